//! dockerfix: rewrites Dockerfiles to follow container best practices.

pub mod args;
pub mod check_directive;
pub mod cli;
pub mod commands;
pub mod config;
pub mod discovery;
pub mod document;
pub mod edits;
pub mod files;
pub mod ignores;
pub mod images;
pub mod invariants;
pub mod lexer;
pub mod output;
pub mod packages;
pub mod paths;
pub mod privileges;
pub mod registry;
pub mod report;
pub mod rules;
pub mod runs;
pub mod shell;
pub mod stage_use;
pub mod verify;
pub mod words;
