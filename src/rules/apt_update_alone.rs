//! ## What it does
//! Merges a `RUN` that only runs `apt-get update` into the `RUN` right
//! after it that installs with apt: `apt-get update && \` goes in front of
//! the install, in the same layer.
//!
//! ## Why is this bad?
//! The build cache keeps the `apt-get update` layer as long as its line is
//! unchanged. When a later change adds a package to the install `RUN`, the
//! install runs against package lists that may be months old: it installs
//! outdated versions or fails with "404 Not Found" from the mirrors. Update
//! and install belong in one `RUN`, so the lists are always fetched with
//! the install that uses them (hadolint DL3059 in part; Docker's "Dockerfile
//! best practices").
//!
//! ## Example
//! ```dockerfile
//! RUN apt-get update
//! RUN apt-get install -y --no-install-recommends curl
//! ```
//!
//! Use instead:
//! ```dockerfile
//! RUN apt-get update && \
//!     apt-get install -y --no-install-recommends curl
//! ```
//!
//! ## Fix safety
//! Safe: `apt-get update` changes nothing in the shell that the install
//! then runs in, so the commands do what they did, now in one layer. The
//! two instructions must have the same flags and nothing but comments
//! between them; comments stay above the install as comment lines inside
//! the continuation (see `combine-run`, which joins small `RUN`s in general
//! and has the same limits). When the install `RUN` runs a list with `;`
//! or `||`, has a heredoc, or its shell text cannot be read, the finding is
//! reported without a fix.

use super::combine_run::{join, same_flags};
use super::{FixKind, Report, Rule};
use crate::document::Document;
use crate::edits::{Applicability, Fix};
use crate::packages::{AptUse, apt_use, invocation};
use crate::runs;
use crate::shell::Script;

pub static RULE: Rule = Rule {
    id: "apt-update-alone",
    codes: &["DL3059"],
    fix: FixKind::Always(Applicability::Safe),
    summary: "Merge a RUN that only runs `apt-get update` into the install RUN after it",
    source: include_str!("apt_update_alone.rs"),
    check,
};

fn check(doc: &Document<'_>, report: &mut Report) {
    for stage in runs::stages(doc) {
        let runs: Vec<&runs::Run<'_, '_>> = stage
            .runs
            .iter()
            .filter(|r| !r.onbuild && r.posix)
            .collect();
        for pair in runs.windows(2) {
            let (first, second) = (pair[0], pair[1]);
            if first.position + 1 != second.position
                || !same_flags(first.instruction, second.instruction)
            {
                continue;
            }
            let (Ok(update), Ok(install)) = (
                doc.script(first.instruction),
                doc.script(second.instruction),
            ) else {
                continue;
            };
            if !only_updates(update) || !matches!(apt_use(install), AptUse::Needs) {
                continue;
            }
            let span = first.instruction.run.span.start..install.span.end;
            let message = "a RUN with only `apt-get update`: its cached layer goes stale; run it in the install RUN";
            match join(doc, first.instruction, second.instruction) {
                Ok((_, edit)) => report.push(span, message, Some(Fix::safe(vec![edit]))),
                Err(reason) => report.push(span, format!("{message} (not fixed: {reason})"), None),
            }
        }
    }
}

/// The script is one `apt-get update` (or `apt update`, `aptitude update`).
fn only_updates(script: &Script) -> bool {
    match script.commands.as_slice() {
        [command] => {
            script.items.len() == 1
                && script.items[0].pipelines.len() == 1
                && command.assignments.is_empty()
                && !command.nested
                && invocation(command, &["apt-get", "apt", "aptitude"])
                    .is_some_and(|apt| apt.verb == "update")
        }
        _ => false,
    }
}
