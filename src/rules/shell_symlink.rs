//! ## What it does
//! Replaces a `RUN` that points `/bin/sh` at another shell with a `SHELL`
//! instruction: `RUN ln -sf /bin/bash /bin/sh` becomes
//! `SHELL ["/bin/bash", "-c"]`. An `rm /bin/sh` before the link in the same
//! `RUN` goes with it; other commands of the `RUN` stay, and the `SHELL`
//! line follows the `RUN`.
//!
//! ## Why is this bad?
//! Relinking `/bin/sh` changes the shell of every program of the image, not
//! only of the build's `RUN`s: every `#!/bin/sh` script, every shell-form
//! `CMD` and the package manager's own scripts now run in bash, which the
//! image's tools were not written for; and a reader of the Dockerfile does
//! not see which shell runs the `RUN`s. `SHELL` says it where it matters
//! (hadolint DL4005).
//!
//! ## Example
//! ```dockerfile
//! FROM debian:12
//! RUN rm /bin/sh && ln -s /bin/bash /bin/sh
//! RUN source /opt/env.sh && make
//! ```
//!
//! Use instead:
//! ```dockerfile
//! FROM debian:12
//! SHELL ["/bin/bash", "-c"]
//! RUN source /opt/env.sh && make
//! ```
//!
//! ## Fix safety
//! Unsafe. The later `RUN`s, and shell-form `CMD`/`ENTRYPOINT` after the
//! line, run in the same shell as before (bash started as `/bin/bash` rather
//! than as `sh`, so not in POSIX mode: a few corner cases differ), and
//! stages built on this one inherit the `SHELL` as they inherited the link.
//! But `/bin/sh` stays the image's own shell at run time: a script started
//! as `/bin/sh` (a `#!/bin/sh` entrypoint, `docker exec … sh -c`) that
//! relied on bash features breaks. Keeping the link and adding `SHELL`
//! would keep those, but hadolint reports the link itself, and the link is
//! the problem the rule is about; check the image's own scripts before
//! applying. Where the stage already sets `SHELL`, the `RUN`s have their
//! shell and only the link goes. A link to something that is not a POSIX
//! shell, any other `ln` involving `/bin/sh`, a heredoc script, and a `RUN`
//! whose text to remove holds comments are reported without a fix.

use parse_dockerfile::Instruction;

use super::{FixKind, Report, Rule};
use crate::document::{Document, keyword_like, keyword_span};
use crate::edits::{Applicability, Edit, Fix};
use crate::runs::{self, is_posix_shell};
use crate::shell::{Script, SimpleCommand, program_name};

pub static RULE: Rule = Rule {
    id: "shell-symlink",
    codes: &["DL4005"],
    fix: FixKind::Always(Applicability::Unsafe),
    summary: "Use SHELL instead of linking /bin/sh to another shell",
    source: include_str!("shell_symlink.rs"),
    check,
};

const SH: &str = "/bin/sh";

fn check(doc: &Document<'_>, report: &mut Report) {
    let stages = runs::stages(doc);
    for stage in &stages {
        let mut shell_set = false;
        let mut runs = stage.runs.iter().peekable();
        for (position, instruction) in stage.instructions.iter().enumerate() {
            shell_set |= matches!(instruction, Instruction::Shell(_));
            let Some(run) = runs.next_if(|r| r.position == position) else {
                continue;
            };
            if !run.posix || run.onbuild {
                continue;
            }
            let Ok(script) = doc.script(run.instruction) else {
                continue;
            };
            for (i, command) in script.commands.iter().enumerate() {
                if command.program() != Some("ln") || !command.words.iter().any(|w| w.is(SH)) {
                    continue;
                }
                let span = command.span.clone();
                let Some(shell) = linked_shell(command) else {
                    report.push(
                        span,
                        "ln with /bin/sh: use SHELL to change the shell of RUN",
                        None,
                    );
                    continue;
                };
                let next_keyword = next_keyword(doc, keyword_span(instruction).start);
                let fix = fix(
                    doc,
                    run.instruction,
                    script,
                    i,
                    &shell,
                    shell_set,
                    next_keyword,
                );
                report.push(
                    span,
                    format!("RUN links /bin/sh to {shell}, for every program of the image: use SHELL [\"{shell}\", \"-c\"]"),
                    fix,
                );
            }
        }
    }
}

/// The shell an `ln -s[f] SHELL /bin/sh` points `/bin/sh` at (`bash` is
/// taken relative to `/bin`).
fn linked_shell(command: &SimpleCommand) -> Option<String> {
    let words: Vec<String> = command
        .args()
        .iter()
        .map(|w| w.literal().map(|l| l.into_owned()))
        .collect::<Option<_>>()?;
    let (options, operands): (Vec<&String>, Vec<&String>) =
        words.iter().partition(|w| w.starts_with('-'));
    let symbolic = options
        .iter()
        .all(|o| !o.starts_with("--") && o[1..].chars().all(|c| "sfnv".contains(c)))
        && options.iter().any(|o| o.contains('s'));
    let [target, link] = operands.as_slice() else {
        return None;
    };
    if !symbolic
        || link.as_str() != SH
        || !is_posix_shell(target)
        || program_name(target) == "busybox"
    {
        return None;
    }
    Some(if target.starts_with('/') {
        (*target).clone()
    } else {
        format!("/bin/{target}")
    })
}

/// The edits: the whole `RUN` becomes the `SHELL` line when it does nothing
/// else; else the `ln` (and an `rm /bin/sh` before it) go and the `SHELL`
/// line follows the `RUN`. With a `SHELL` already set, only the link goes.
fn fix(
    doc: &Document<'_>,
    run: &parse_dockerfile::RunInstruction<'_>,
    script: &Script,
    ln: usize,
    shell: &str,
    shell_set: bool,
    next_keyword: usize,
) -> Option<Fix> {
    if script.heredoc {
        return None;
    }
    let keyword = keyword_like(&doc.text[run.run.span.clone()], "SHELL");
    let line = format!("{keyword} [\"{shell}\", \"-c\"]");
    let rm = script.commands[..ln].iter().rposition(removes_sh);
    let removed: Vec<usize> = rm.into_iter().chain([ln]).collect();
    let top_level = script.items.iter().flat_map(|item| &item.pipelines).count();
    let only_these = top_level == removed.len()
        && removed.iter().all(|&c| script.position(c).is_some())
        && script.commands.len() == removed.len();
    if only_these {
        if script.joined.dropped_comments {
            return None;
        }
        let whole = run.run.span.start..script.span.end;
        let edit = if shell_set {
            Edit::delete(doc.line_start(whole.start)..doc.line_end_inclusive(whole.end))
        } else {
            Edit::replace(whole, line)
        };
        return Some(Fix::unsafe_(vec![edit]));
    }
    let mut edits: Vec<Edit> = removed
        .iter()
        .map(|&c| script.remove(doc, c))
        .collect::<Option<_>>()?;
    if edits.windows(2).any(|w| w[0].range.end > w[1].range.start) {
        return None;
    }
    if !shell_set {
        let (at, newline_first) = doc.insertion_point(next_keyword)?;
        let le = doc.line_ending;
        edits.push(Edit::insert(
            at,
            if newline_first {
                format!("{le}{line}")
            } else {
                format!("{line}{le}")
            },
        ));
    }
    Some(Fix::unsafe_(edits))
}

/// `rm /bin/sh`, `rm -f /bin/sh`.
fn removes_sh(command: &SimpleCommand) -> bool {
    command.program() == Some("rm")
        && command.args().iter().all(|w| {
            w.is(SH)
                || w.literal()
                    .is_some_and(|l| l.starts_with('-') && !l.contains('r'))
        })
        && command.args().iter().filter(|w| w.is(SH)).count() == 1
}

/// The keyword offset of the instruction after the one at `keyword`, or
/// the end of the text.
fn next_keyword(doc: &Document<'_>, keyword: usize) -> usize {
    doc.instruction_starts()
        .into_iter()
        .find(|&start| start > keyword)
        .unwrap_or(doc.text.len())
}
