//! ## What it does
//! Replaces a `cd` that starts a `RUN` with `WORKDIR`: `RUN cd /src && make`
//! becomes
//!
//! ```dockerfile
//! WORKDIR /src
//! RUN make
//! WORKDIR /
//! ```
//!
//! where the last line goes back to the directory the stage was in (here
//! `/`), so what follows runs where it did. Other `cd`s in `RUN` are
//! reported.
//!
//! ## Why is this bad?
//! A `cd` lasts for one `RUN`: the next instruction is back in the
//! previous directory, which is easy to forget, and a chain of
//! `cd … && cd …` is hard to follow. `WORKDIR` says where the build works
//! and shows in the image's history (hadolint DL3003).
//!
//! ## Example
//! ```dockerfile
//! FROM debian:12
//! RUN cd /usr/src/app && ./configure && make
//! ```
//!
//! Use instead:
//! ```dockerfile
//! FROM debian:12
//! WORKDIR /usr/src/app
//! RUN ./configure && make
//! WORKDIR /
//! ```
//!
//! ## Fix safety
//! Unsafe: `WORKDIR` creates a missing directory where `cd` failed and
//! stopped the build, and the image records the `WORKDIR` steps in its
//! history. The fix applies to a `cd <dir> &&` at the start of a `RUN` run
//! by a POSIX shell, to a plain directory, when the directory the stage is
//! in before the `RUN` is known (see `workdir-relative-path`); it is not
//! offered when a `--mount` of the `RUN` has a relative target (it would
//! move with the directory). The `WORKDIR` back is left out when the next
//! instruction sets an absolute `WORKDIR` anyway.

use parse_dockerfile::{Instruction, RunInstruction};

use super::{FixKind, Report, Rule};
use crate::document::{Document, keyword_like};
use crate::edits::{Applicability, Edit, Fix};
use crate::runs::{self, normal_path};
use crate::shell::Script;

pub static RULE: Rule = Rule {
    id: "cd-to-workdir",
    codes: &["DL3003"],
    fix: FixKind::Always(Applicability::Unsafe),
    summary: "Use WORKDIR instead of a leading `cd` in RUN",
    source: include_str!("cd_to_workdir.rs"),
    check,
};

const MESSAGE: &str = "`cd` in RUN: use WORKDIR to switch to a directory";

fn check(doc: &Document<'_>, report: &mut Report) {
    for stage in runs::stages(doc) {
        for run in stage.runs.iter().filter(|r| !r.onbuild) {
            let instruction = run.instruction;
            let span = instruction.run.span.start..instruction_end(doc, instruction);
            let script = doc.script(instruction).ok().filter(|_| run.posix);
            let Some(script) = script else {
                if rough_cd(doc, instruction) {
                    let why = if run.posix {
                        "the shell script is not understood"
                    } else {
                        "the shell is not a POSIX shell"
                    };
                    report.push(span, format!("{MESSAGE} (not fixed: {why})"), None);
                }
                continue;
            };
            if !script.commands.iter().any(|c| c.program() == Some("cd")) {
                continue;
            }
            let current = stage.workdir_at(run.position);
            let next = stage.instructions.get(run.position + 1);
            match fix(doc, instruction, script, current, next) {
                Ok(edits) => report.push(span, MESSAGE, Some(Fix::unsafe_(edits))),
                Err(why) => report.push(span, format!("{MESSAGE} (not fixed: {why})"), None),
            }
        }
    }
}

/// The edits that move a leading `cd` to `WORKDIR`s, or why there are none.
fn fix(
    doc: &Document<'_>,
    run: &RunInstruction<'_>,
    script: &Script,
    current: Option<&str>,
    next: Option<&Instruction<'_>>,
) -> Result<Vec<Edit>, &'static str> {
    let target = leading_cd(script).ok_or("the `cd` does not start the RUN as `cd <dir> && …`")?;
    let current = current.ok_or("the stage's working directory before it is unknown")?;
    if script.heredoc {
        return Err("the script is a here-document");
    }
    if has_relative_mount(run) {
        return Err("a --mount target is relative to the working directory");
    }
    let directory = normal_path(current, &target);
    if !runs::is_plain_path(&directory, doc.escape) || !runs::is_plain_path(current, doc.escape) {
        return Err("the directory has blanks, quotes or variables");
    }
    let remove_cd = script
        .remove(doc, 0)
        .ok_or("the `cd` cannot be removed cleanly")?;
    if directory == current {
        return Ok(vec![remove_cd]);
    }
    let keyword = &doc.text[run.run.span.clone()];
    let workdir = keyword_like(keyword, "WORKDIR");
    let line_start = doc.line_start(run.run.span.start);
    let indent = &doc.text[line_start..run.run.span.start];
    if !indent.trim().is_empty() {
        return Err("the RUN does not start its line");
    }
    let eol = doc.line_ending;
    let mut edits = vec![
        Edit::insert(
            run.run.span.start,
            format!("{workdir} {directory}{eol}{indent}"),
        ),
        remove_cd,
    ];
    if !sets_absolute_workdir(next) {
        let end = script.span.end;
        edits.push(Edit::insert(
            end,
            format!("{eol}{indent}{workdir} {current}"),
        ));
    }
    Ok(edits)
}

/// The directory of a `cd <dir>` that is the first pipeline of the script,
/// joined to the rest by `&&`.
fn leading_cd(script: &Script) -> Option<String> {
    let command = script.commands.first()?;
    if command.program() != Some("cd") || script.position(0) != Some((0, 0)) {
        return None;
    }
    let item = script.items.first()?;
    if item.operators.first()?.text != "&&" {
        return None;
    }
    if !command.assignments.is_empty() || !command.redirects.is_empty() {
        return None;
    }
    let [directory] = command.args() else {
        return None;
    };
    let directory = directory.literal()?;
    (!directory.starts_with('-') && !directory.is_empty()).then(|| directory.into_owned())
}

/// A `--mount` whose target is a relative path.
fn has_relative_mount(run: &RunInstruction<'_>) -> bool {
    run.options
        .iter()
        .filter(|flag| flag.name.value == "mount")
        .filter_map(|flag| flag.value.as_ref())
        .any(|value| {
            value.value.split(',').any(|field| {
                let (key, path) = field.split_once('=').unwrap_or((field, ""));
                matches!(key.trim(), "target" | "dst" | "destination") && !path.starts_with('/')
            })
        })
}

fn sets_absolute_workdir(instruction: Option<&Instruction<'_>>) -> bool {
    matches!(instruction, Some(Instruction::Workdir(w)) if w.arguments.value.starts_with('/'))
}

fn instruction_end(doc: &Document<'_>, run: &RunInstruction<'_>) -> usize {
    match doc.script(run) {
        Ok(script) if !script.heredoc => script.span.end,
        _ => run.run.span.end,
    }
}

/// A `cd` command in a `RUN` the shell module cannot read (or that
/// PowerShell or `cmd` runs), found by its text: `cd` after the start, an
/// operator, `;`, `(` or a line break.
fn rough_cd(doc: &Document<'_>, run: &RunInstruction<'_>) -> bool {
    let parse_dockerfile::Command::Shell(shell) = &run.arguments else {
        return false;
    };
    let (text, _) = crate::words::logical_line(shell.value, doc.escape);
    text.split(['&', '|', ';', '(', '\n'])
        .any(|part| matches!(part.split_whitespace().next(), Some("cd")))
}
