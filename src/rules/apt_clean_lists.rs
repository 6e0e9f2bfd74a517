//! ## What it does
//! Adds `rm -rf /var/lib/apt/lists/*` at the end of a `RUN` that runs
//! `apt-get update` (or `apt update`, `aptitude update`) and does not remove
//! the package lists itself.
//!
//! ## Why is this bad?
//! `apt-get update` downloads the package lists of every repository, tens
//! of megabytes that nothing in the image needs at run time. Removed in a
//! later `RUN`, they still weigh in the earlier layer; only removing them in
//! the same `RUN` keeps them out of the image (hadolint DL3009).
//!
//! ## Example
//! ```dockerfile
//! RUN apt-get update && apt-get install -y curl
//! ```
//!
//! Use instead:
//! ```dockerfile
//! RUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*
//! ```
//!
//! The command is added in the `RUN`'s own style: after `&& \` or before
//! `\` + `&&` on a new line with the indentation of the last command, or
//! after `;` in a `set -e` script that separates its commands with `;`.
//!
//! ## Fix safety
//! Safe when nothing later needs the lists. The fix is not offered (the
//! finding is still reported) when a later `RUN` of the same stage, or of a
//! stage built on it, uses apt (`install`, `upgrade`, `source`, `apt-cache`
//! …) without running `apt-get update` first: it would fail, or silently
//! install nothing, without the lists. It is also not offered when the last
//! command runs in the background. A `RUN` that mounts a cache or tmpfs on
//! `/var/lib/apt` keeps its lists out of the image already and is not
//! reported. `ONBUILD RUN`s count as running after the whole stage.

use super::{FixKind, Report, Rule};
use crate::document::Document;
use crate::edits::Applicability;
use crate::packages::{AptUse, apt_use, invocation};
use crate::runs::{self, Stage};
use crate::shell::{Script, SimpleCommand, cache_mount_targets};

pub static RULE: Rule = Rule {
    id: "apt-clean-lists",
    codes: &["DL3009"],
    fix: FixKind::Always(Applicability::Safe),
    summary: "Remove /var/lib/apt/lists/* in the RUN that runs `apt-get update`",
    source: include_str!("apt_clean_lists.rs"),
    check,
};

const LISTS: &str = "/var/lib/apt/lists";
const REMOVE_LISTS: &str = "rm -rf /var/lib/apt/lists/*";

fn check(doc: &Document<'_>, report: &mut Report) {
    let stages = runs::stages(doc);
    for (s, stage) in stages.iter().enumerate() {
        for (r, run) in stage.runs.iter().enumerate() {
            if !run.posix {
                continue;
            }
            let Ok(script) = doc.script(run.instruction) else {
                continue;
            };
            if !script.commands.iter().any(is_apt_update) || removes_lists(script) {
                continue;
            }
            if cache_mount_targets(run.instruction)
                .iter()
                .any(|t| t.starts_with("/var/lib/apt"))
            {
                continue;
            }
            let span = run.instruction.run.span.start..script.span.end;
            let message = "`apt-get update` leaves the package lists in the layer: remove /var/lib/apt/lists/* in the same RUN";
            if let Some(line) = later_use(doc, &stages, s, r) {
                let (line, _) = doc.line_column(line);
                report.push(
                    span,
                    format!("{message} (not fixed: the RUN on line {line} uses apt without `apt-get update`)"),
                    None,
                );
                continue;
            }
            report.push_appended(doc, script, span, message, REMOVE_LISTS);
        }
    }
}

fn is_apt_update(command: &SimpleCommand) -> bool {
    invocation(command, &["apt-get", "apt", "aptitude"]).is_some_and(|apt| apt.verb == "update")
}

/// An `rm` (or `find … -delete`) of the lists anywhere in the script.
fn removes_lists(script: &Script) -> bool {
    script.commands.iter().any(|c| {
        matches!(c.program(), Some("rm" | "find"))
            && c.args()
                .iter()
                .any(|w| w.raw().trim_matches(['"', '\'']).starts_with(LISTS))
    })
}

/// The start of the first later `RUN` (of this stage after `run`, then of
/// the stages built on this one) that needs the lists this `RUN` would
/// remove. A `RUN` that updates them first ends the search in its stage.
pub(crate) fn later_use(
    doc: &Document<'_>,
    stages: &[Stage<'_, '_>],
    stage: usize,
    run: usize,
) -> Option<usize> {
    let this = &stages[stage].runs[run];
    let mut sequences: Vec<Vec<&runs::Run<'_, '_>>> = vec![
        stages[stage].runs[run + 1..]
            .iter()
            // An ONBUILD RUN runs after the whole stage, in another build.
            .filter(|other| !this.onbuild || other.onbuild)
            .collect(),
    ];
    if !this.onbuild {
        sequences.extend(
            stages
                .iter()
                .enumerate()
                .filter(|&(s, _)| s != stage && runs::descends_from(stages, s, stage))
                .map(|(_, st)| st.runs.iter().collect()),
        );
    }
    for sequence in sequences {
        for other in sequence {
            let needs = match doc.script(other.instruction) {
                Ok(script) => match apt_use(script) {
                    AptUse::Needs => true,
                    AptUse::Updates => break,
                    AptUse::None => false,
                },
                // A RUN that cannot be read may use apt: assume it does if
                // it mentions it.
                Err(_) => mentions_apt(
                    &doc.text[other.instruction.run.span.start..instruction_end(other.instruction)],
                ),
            };
            if needs {
                return Some(other.instruction.run.span.start);
            }
        }
    }
    None
}

fn instruction_end(run: &parse_dockerfile::RunInstruction<'_>) -> usize {
    let end = match &run.arguments {
        parse_dockerfile::Command::Shell(s) => s.span.end,
        parse_dockerfile::Command::Exec(e) => e.span.end,
        _ => run.run.span.end,
    };
    run.here_docs
        .iter()
        .map(|h| h.span.end)
        .fold(end, usize::max)
}

fn mentions_apt(text: &str) -> bool {
    ["apt-get", "apt-cache", "aptitude", "apt "]
        .iter()
        .any(|p| text.contains(p))
}
