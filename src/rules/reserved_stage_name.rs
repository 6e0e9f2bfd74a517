//! ## What it does
//! Reports a stage named `scratch` or `context` (in any casing).
//!
//! ## Why is this bad?
//! `scratch` is the empty image and `context` the build context: BuildKit
//! gives both names their own meaning before it looks for stages, so
//! `FROM scratch` or `COPY --from=context` never reach a stage of that
//! name. BuildKit warns about it (ReservedStageName); hadolint too
//! (DL3063).
//!
//! ## Example
//! ```dockerfile
//! FROM alpine AS scratch
//! ```
//!
//! Use instead:
//! ```dockerfile
//! FROM alpine AS base
//! ```
//!
//! ## Fix safety
//! No fix: the new name is the author's choice.

use super::{FixKind, Report, Rule};
use crate::document::Document;

pub static RULE: Rule = Rule {
    id: "reserved-stage-name",
    codes: &["ReservedStageName", "DL3063"],
    fix: FixKind::None,
    summary: "Do not name a stage scratch or context",
    source: include_str!("reserved_stage_name.rs"),
    check,
};

const RESERVED: &[&str] = &["context", "scratch"];

fn check(doc: &Document<'_>, report: &mut Report) {
    for stage in doc.stages() {
        let Some((_, name)) = &stage.from.as_ else {
            continue;
        };
        let lower = name.value.to_lowercase();
        if RESERVED.contains(&lower.as_str()) {
            report.push(
                name.span.clone(),
                format!("Stage name should not use the same name as reserved stage {lower:?}"),
                None,
            );
        }
    }
}
