//! ## What it does
//! Writes the `AS` of `FROM image AS name` in the casing of its `FROM`:
//! `FROM alpine as build` becomes `FROM alpine AS build`, `from alpine AS
//! build` becomes `from alpine as build`.
//!
//! ## Why is this bad?
//! The keywords are case-insensitive; mixing casings in one instruction
//! reads as a mistake. BuildKit warns about it (FromAsCasing). A `FROM`
//! that is itself mixed (`From`) is left to `consistent-instruction-casing`,
//! as BuildKit does.
//!
//! ## Example
//! ```dockerfile
//! FROM golang:1.23 as build
//! ```
//!
//! Use instead:
//! ```dockerfile
//! FROM golang:1.23 AS build
//! ```
//!
//! ## Fix safety
//! Safe: only the keyword's letters change case.

use super::{FixKind, Report, Rule};
use crate::document::Document;
use crate::edits::{Applicability, Edit, Fix};

pub static RULE: Rule = Rule {
    id: "from-as-casing",
    codes: &["FromAsCasing"],
    fix: FixKind::Always(Applicability::Safe),
    summary: "Write AS in the casing of its FROM",
    source: include_str!("from_as_casing.rs"),
    check,
};

fn check(doc: &Document<'_>, report: &mut Report) {
    for stage in doc.stages() {
        let Some((as_keyword, _)) = &stage.from.as_ else {
            continue;
        };
        let from = &doc.text[stage.from.from.span.clone()];
        let as_ = &doc.text[as_keyword.span.clone()];
        let wanted = if from == from.to_ascii_lowercase() {
            as_.to_ascii_lowercase()
        } else if from == from.to_ascii_uppercase() {
            as_.to_ascii_uppercase()
        } else {
            continue;
        };
        if wanted == as_ {
            continue;
        }
        let fix = as_
            .bytes()
            .all(|b| b.is_ascii_alphabetic())
            .then(|| Fix::safe(vec![Edit::replace(as_keyword.span.clone(), wanted)]));
        report.push(
            as_keyword.span.clone(),
            format!("'{as_}' and '{from}' keywords' casing do not match"),
            fix,
        );
    }
}
