//! ## What it does
//! Reports `RUN` instructions that pipe one command into another while the
//! shell does not fail on a failing pipe, and adds
//! `SHELL ["/bin/bash", "-o", "pipefail", "-c"]` (`/bin/ash` on Alpine)
//! before the first of them in the stage.
//!
//! ## Why is this bad?
//! A pipeline's status is the status of its last command: in
//! `RUN curl -fsSL https://example.com/key | gpg --dearmor -o /key.gpg`
//! a failed download goes unnoticed as long as `gpg` succeeds, and the
//! build goes on with a broken image (hadolint DL4006).
//!
//! ## Example
//! ```dockerfile
//! FROM debian:bookworm
//! RUN curl -fsSL https://example.com/install.sh | sh
//! ```
//!
//! Use instead:
//! ```dockerfile
//! FROM debian:bookworm
//! SHELL ["/bin/bash", "-o", "pipefail", "-c"]
//! RUN curl -fsSL https://example.com/install.sh | sh
//! ```
//!
//! ## Fix safety
//! Unsafe: a build that passed may now fail where a pipe's first command
//! fails, and the `RUN`s, `CMD`s and `ENTRYPOINT`s in shell form after the
//! new `SHELL` run under bash (or ash) instead of `/bin/sh`. The shell is
//! chosen by the stage's system: Debian's and Ubuntu's `/bin/sh` is dash,
//! which knows `pipefail` only from dash 0.5.12-7 (Debian 13, Ubuntu 25.04)
//! on, so those stages get bash, which they always have; Red Hat and SUSE
//! based stages get bash; Alpine's BusyBox ash supports the option. In a
//! stage whose system is unknown, or whose `SHELL` is already set without
//! `-o pipefail`, the finding is reported without a fix. Each stage states
//! its own `SHELL`, as hadolint expects: a stage built on another one gets
//! the line again.

use parse_dockerfile::Instruction;

use super::{FixKind, Report, Rule};
use crate::document::{Document, keyword_like};
use crate::edits::{Applicability, Edit, Fix};
use crate::runs::{self, Userland};

pub static RULE: Rule = Rule {
    id: "pipefail",
    codes: &["DL4006"],
    fix: FixKind::Always(Applicability::Unsafe),
    summary: "Set `-o pipefail` in the SHELL of stages that RUN pipes",
    source: include_str!("pipefail.rs"),
    check,
};

/// What the `SHELL` in force does with a failing pipe.
#[derive(Clone, Copy, PartialEq, Eq)]
enum ShellState {
    /// The default `/bin/sh -c`.
    Default,
    /// A POSIX shell with `-o pipefail`.
    Pipefail,
    /// A POSIX shell without it.
    Without,
    /// PowerShell, cmd: not concerned.
    Other,
}

fn check(doc: &Document<'_>, report: &mut Report) {
    let stages = runs::stages(doc);
    let userlands = runs::userlands(doc, &stages);
    for (stage, userland) in stages.iter().zip(userlands) {
        let mut state = ShellState::Default;
        // The edit adding SHELL before the first piping RUN under the
        // default shell, shared by every finding it resolves.
        let mut shell_edit: Option<Edit> = None;
        let mut runs = stage.runs.iter().filter(|r| !r.onbuild).peekable();
        for (position, instruction) in stage.instructions.iter().enumerate() {
            if let Instruction::Shell(shell) = instruction {
                state = shell_state(shell.arguments.iter().map(|a| a.value.as_ref()));
                shell_edit = None;
                continue;
            }
            let Some(run) = runs.next_if(|r| r.position == position) else {
                continue;
            };
            if matches!(state, ShellState::Pipefail | ShellState::Other) {
                continue;
            }
            let Ok(script) = doc.script(run.instruction) else {
                continue;
            };
            if !script.has_pipe() {
                continue;
            }
            let span = run.instruction.run.span.start..script.span.end;
            let message =
                "RUN with a pipe: a failure before the pipe's last command goes unnoticed";
            if state == ShellState::Without {
                report.push(
                    span,
                    format!("{message} (not fixed: the stage's SHELL lacks `-o pipefail`)"),
                    None,
                );
                continue;
            }
            let program = match userland {
                Userland::Debian | Userland::RedHat | Userland::Suse => "/bin/bash",
                Userland::Alpine => "/bin/ash",
                Userland::Unknown => {
                    report.push(
                        span,
                        format!("{message} (not fixed: the stage's shell is unknown; set SHELL with `-o pipefail`)"),
                        None,
                    );
                    continue;
                }
            };
            let edit = shell_edit.get_or_insert_with(|| {
                let keyword = keyword_like(&doc.text[run.instruction.run.span.clone()], "SHELL");
                let at = above_comments(doc, run.instruction.run.span.start);
                Edit::insert(
                    at,
                    format!(
                        "{keyword} [\"{program}\", \"-o\", \"pipefail\", \"-c\"]{}",
                        doc.line_ending
                    ),
                )
            });
            // The finding covers the lines from the new SHELL to this RUN.
            let (line, _) = doc.line_column(span.start);
            report.push(
                edit.range.start..span.end,
                format!(
                    "{message} (the RUN on line {line}): set `-o pipefail` in the stage's SHELL"
                ),
                Some(Fix::unsafe_(vec![edit.clone()])),
            );
        }
    }
}

fn shell_state<'s>(mut arguments: impl Iterator<Item = &'s str>) -> ShellState {
    let Some(program) = arguments.next() else {
        return ShellState::Other;
    };
    let name = program.rsplit(['/', '\\']).next().unwrap_or(program);
    if !matches!(
        name,
        "sh" | "bash" | "ash" | "dash" | "zsh" | "ksh" | "mksh" | "busybox"
    ) {
        return ShellState::Other;
    }
    let arguments: Vec<&str> = arguments.collect();
    let pipefail = arguments
        .windows(2)
        .any(|w| w[0].starts_with('-') && w[0].ends_with('o') && w[1] == "pipefail");
    if pipefail {
        ShellState::Pipefail
    } else {
        ShellState::Without
    }
}

/// The start of the comment lines directly above the line at `offset`
/// (they explain that line), or of that line.
fn above_comments(doc: &Document<'_>, offset: usize) -> usize {
    let mut start = doc.line_start(offset);
    while start > 0 {
        let previous = doc.line_start(start - 1);
        let line = doc.text[previous..start].trim();
        if !line.starts_with('#') {
            break;
        }
        start = previous;
    }
    start
}
