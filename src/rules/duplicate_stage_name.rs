//! ## What it does
//! Reports a stage name used by an earlier stage too (names compared
//! without regard to case, as BuildKit compares them).
//!
//! ## Why is this bad?
//! A later `FROM name`, `COPY --from=name` or `--target name` means the
//! latest stage of that name, so the earlier one can no longer be named:
//! usually a copy-paste mistake. BuildKit warns about it
//! (DuplicateStageName); hadolint reports it as an error (DL3024).
//!
//! ## Example
//! ```dockerfile
//! FROM node:20 AS build
//! FROM golang:1.23 AS build
//! ```
//!
//! Use instead:
//! ```dockerfile
//! FROM node:20 AS build-web
//! FROM golang:1.23 AS build-api
//! ```
//!
//! ## Fix safety
//! No fix: which stage the references mean, and what to call the other,
//! is the author's choice.

use super::{FixKind, Report, Rule};
use crate::document::Document;

pub static RULE: Rule = Rule {
    id: "duplicate-stage-name",
    codes: &["DuplicateStageName", "DL3024"],
    fix: FixKind::None,
    summary: "Stage names must be unique",
    source: include_str!("duplicate_stage_name.rs"),
    check,
};

fn check(doc: &Document<'_>, report: &mut Report) {
    let mut seen: Vec<String> = Vec::new();
    for stage in doc.stages() {
        let Some((_, name)) = &stage.from.as_ else {
            continue;
        };
        let lower = name.value.to_lowercase();
        if seen.contains(&lower) {
            report.push(
                name.span.clone(),
                format!("Duplicate stage name {lower:?}, stage names should be unique"),
                None,
            );
        } else {
            seen.push(lower);
        }
    }
}
