//! ## What it does
//! Adds `--progress=dot:giga` to `wget` commands that show a progress bar,
//! or `-q` where the output is thrown away anyway or where `wget` is
//! BusyBox's (Alpine), which knows no `--progress`.
//!
//! ## Why is this bad?
//! In a build log `wget`'s progress bar becomes thousands of lines for one
//! download, burying the output that matters (hadolint DL3047).
//! `--progress=dot:giga` prints one dot per megabyte-sized chunk and keeps
//! the errors.
//!
//! ## Example
//! ```dockerfile
//! RUN wget https://example.com/tool.tar.gz
//! ```
//!
//! Use instead:
//! ```dockerfile
//! RUN wget --progress=dot:giga https://example.com/tool.tar.gz
//! ```
//!
//! ## Fix safety
//! Safe: only what `wget` prints changes. Commands that already choose
//! their output (`--progress`, `-q`, `-nv`, `-o`, `-a`) are left alone. The
//! option must exist in the `wget` the stage runs: GNU wget on Debian,
//! Ubuntu, Red Hat and SUSE based images gets `--progress=dot:giga`;
//! BusyBox wget on Alpine gets `-q` unless the stage installs GNU wget with
//! `apk add wget` first. In a stage whose system is unknown the finding is
//! reported without a fix.

use super::{FixKind, Report, Rule};
use crate::document::Document;
use crate::edits::{Applicability, Edit, Fix};
use crate::packages::{Flags, invocation};
use crate::runs::{self, Userland};
use crate::shell::SimpleCommand;

pub static RULE: Rule = Rule {
    id: "wget-quiet",
    codes: &["DL3047"],
    fix: FixKind::Always(Applicability::Safe),
    summary: "Use `wget --progress=dot:giga` (or `-q`) so build logs are not flooded",
    source: include_str!("wget_quiet.rs"),
    check,
};

fn check(doc: &Document<'_>, report: &mut Report) {
    let stages = runs::stages(doc);
    let userlands = runs::userlands(doc, &stages);
    for (s, stage) in stages.iter().enumerate() {
        let mut gnu_wget_installed = stage
            .parent
            .is_some_and(|p| installs_gnu_wget(doc, &stages, p));
        for run in stage.runs.iter().filter(|r| r.posix) {
            let Ok(script) = doc.script(run.instruction) else {
                continue;
            };
            for command in &script.commands {
                gnu_wget_installed |= apk_adds_wget(command);
                if command.program() != Some("wget") || chooses_output(command) {
                    continue;
                }
                let option = if discards_output(command) {
                    Some("-q")
                } else {
                    match userlands[s] {
                        Userland::Debian | Userland::RedHat | Userland::Suse => {
                            Some("--progress=dot:giga")
                        }
                        Userland::Alpine if gnu_wget_installed => Some("--progress=dot:giga"),
                        Userland::Alpine => Some("-q"),
                        Userland::Unknown => None,
                    }
                };
                let message = "`wget` without a progress option floods the build log";
                let Some(option) = option else {
                    report.push(
                        command.span.clone(),
                        format!("{message} (not fixed: the stage's wget is unknown; use `--progress=dot:giga` with GNU wget, `-q` with BusyBox)"),
                        None,
                    );
                    continue;
                };
                let at = command.words[0].span.end;
                report.push(
                    command.span.clone(),
                    format!("{message}: add `{option}`"),
                    Some(Fix::safe(vec![Edit::insert(at, format!(" {option}"))])),
                );
            }
        }
    }
}

fn installs_gnu_wget(doc: &Document<'_>, stages: &[runs::Stage<'_, '_>], stage: usize) -> bool {
    let own = stages[stage].runs.iter().any(|run| {
        doc.script(run.instruction)
            .is_ok_and(|script| script.commands.iter().any(apk_adds_wget))
    });
    own || stages[stage]
        .parent
        .is_some_and(|p| installs_gnu_wget(doc, stages, p))
}

fn apk_adds_wget(command: &SimpleCommand) -> bool {
    invocation(command, &["apk"]).is_some_and(|apk| {
        apk.verb == "add"
            && command.words[apk.subcommand + 1..]
                .iter()
                .any(|w| w.is("wget"))
    })
}

/// `--progress`, `-q`/`--quiet`, `-nv`/`--no-verbose`, `-o`/`--output-file`,
/// `-a`/`--append-output`.
fn chooses_output(command: &SimpleCommand) -> bool {
    let flags = Flags::of(command.args());
    flags.any_long(&[
        "progress",
        "quiet",
        "no-verbose",
        "output-file",
        "append-output",
    ]) || flags.words.iter().any(|w| w == "-nv")
        || ['q', 'o', 'a'].iter().any(|&c| flags.short(c) > 0)
}

/// Standard error (where wget writes its progress) goes to `/dev/null`:
/// `2>/dev/null`, `&>/dev/null`, or `>/dev/null 2>&1`.
fn discards_output(command: &SimpleCommand) -> bool {
    let redirects = &command.redirects;
    redirects.iter().any(|r| r.silences_stderr())
        || redirects.iter().enumerate().any(|(i, r)| {
            r.number.is_none()
                && r.operator == ">"
                && r.target.is("/dev/null")
                && redirects[i + 1..].iter().any(|later| {
                    later.number.as_deref() == Some("2")
                        && later.operator == ">&"
                        && later.target.is("1")
                })
        })
}
