//! ## What it does
//! Rewrites a shell-form `CMD` or `ENTRYPOINT` whose command is a plain word
//! list into JSON exec form: `CMD python app.py` becomes
//! `CMD ["python", "app.py"]`.
//!
//! ## Why is this bad?
//! In shell form the command runs as `/bin/sh -c "…"`: the shell, not the
//! program, is PID 1, so `docker stop` sends SIGTERM to a shell that does not
//! pass it on and the container is killed after the timeout. A shell-form
//! `ENTRYPOINT` also ignores `CMD` and `docker run` arguments (hadolint
//! DL3025, BuildKit JSONArgsRecommended).
//!
//! ## Example
//! ```dockerfile
//! CMD gunicorn --bind 0.0.0.0:8000 app:app
//! ```
//!
//! Use instead:
//! ```dockerfile
//! CMD ["gunicorn", "--bind", "0.0.0.0:8000", "app:app"]
//! ```
//!
//! A leading `exec` is dropped (exec form already runs the program as
//! PID 1), and quoted words keep their meaning:
//! `CMD exec nginx -g "daemon off;"` becomes `CMD ["nginx", "-g", "daemon off;"]`.
//!
//! ## Fix safety
//! Unsafe in general: the process no longer runs under the shell, which
//! changes signal handling and how the command combines with `ENTRYPOINT`
//! (an exec-form `CMD` is passed to the entrypoint as its arguments, where
//! the shell form passed `/bin/sh -c "…"`; a shell-form `ENTRYPOINT` ignores
//! `CMD` and `docker run` arguments, an exec-form one receives them).
//!
//! Safe in the one case where nothing observable changes: a `CMD exec …` in
//! a stage with no entrypoint in force (the stage sets none, or sets
//! `ENTRYPOINT []`, and its base is `scratch`, a stage of the same file
//! without one, or an image known to set none, such as `alpine`, `debian`,
//! `ubuntu` or `python`). There the shell replaced itself with the program
//! anyway, so the same program runs as PID 1 with the same arguments.
//!
//! A command that needs a shell (variables, globs, `~`, `&&`, `|`, `;`,
//! redirections, subshells, backticks, escapes, `VAR=value` prefixes, shell
//! built-ins) is reported without a fix. Stages whose `SHELL` is not a POSIX
//! shell (PowerShell, `cmd`) and Windows base images are left alone. A
//! command with comment lines inside its continuation lines is reported
//! without a fix, so the comments are kept.

use parse_dockerfile::{Command, Instruction};

use super::{FixKind, Report, Rule};
use crate::document::Document;
use crate::words::{logical_line, plain_words};
use crate::images;
use crate::runs::is_posix_shell;
use crate::edits::{Applicability, Edit, Fix};

pub static RULE: Rule = Rule {
    id: "exec-form",
    codes: &["DL3025", "JSONArgsRecommended"],
    fix: FixKind::Always(Applicability::Unsafe),
    summary: "Use JSON exec form for CMD and ENTRYPOINT",
    source: include_str!("exec_form.rs"),
    check,
};

fn check(doc: &Document<'_>, report: &mut Report) {
    for (stage, mut state) in doc.stages().zip(stage_starts(doc)) {
        for instruction in stage.instructions {
            let (keyword, command) = match instruction {
                Instruction::Cmd(cmd) => ("CMD", &cmd.arguments),
                Instruction::Entrypoint(entrypoint) => ("ENTRYPOINT", &entrypoint.arguments),
                other => {
                    state.update(other);
                    continue;
                }
            };
            let entrypoint_empty = state.entrypoint_empty;
            state.update(instruction);
            let Command::Shell(shell_form) = command else { continue };
            // A bare `ENTRYPOINT` (entrypoint `/bin/sh -c`) has no command to rewrite.
            if !state.posix_shell || shell_form.value.is_empty() {
                continue;
            }
            let span = shell_form.span.clone();
            let (logical, has_comments) = logical_line(shell_form.value, doc.escape);
            let Some(words) = plain_words(&logical) else {
                report.push(
                    span,
                    format!(
                        "{keyword} in shell form needs a shell here; write it as \
                         [\"/bin/sh\", \"-c\", \"…\"] or start it with `exec` so the program gets signals"
                    ),
                    None,
                );
                continue;
            };
            let message = format!("{keyword} in shell form: use JSON exec form");
            if has_comments {
                report.push(span, message, None);
                continue;
            }
            let edits = vec![Edit::replace(span.clone(), to_json(&words.words))];
            // Nothing observable changes only for `CMD exec …` run by no entrypoint.
            let fix = if keyword == "CMD" && words.exec && entrypoint_empty {
                Fix::safe(edits)
            } else {
                Fix::unsafe_(edits)
            };
            report.push(span, message, Some(fix));
        }
    }
}

/// What a stage's instructions run under at a point of the stage.
#[derive(Debug, Clone, Copy)]
struct StageState {
    /// The shell in force is a POSIX shell.
    posix_shell: bool,
    /// No `ENTRYPOINT` is in force, as far as the file and the known base
    /// images tell (`false` when unknown).
    entrypoint_empty: bool,
}

impl StageState {
    fn update(&mut self, instruction: &Instruction<'_>) {
        match instruction {
            Instruction::Shell(shell) => {
                self.posix_shell = shell.arguments.first().is_some_and(|a| is_posix_shell(&a.value));
            }
            Instruction::Entrypoint(entrypoint) => {
                self.entrypoint_empty =
                    matches!(&entrypoint.arguments, Command::Exec(args) if args.value.is_empty());
            }
            _ => {}
        }
    }
}

/// The state at the start of each stage: a `FROM <stage>` inherits the end
/// state of that stage; an image starts with its known defaults (Windows
/// images run `cmd`, `scratch` and the images of [`images::KNOWN`] have no
/// entrypoint).
fn stage_starts(doc: &Document<'_>) -> Vec<StageState> {
    let mut names: Vec<Option<String>> = Vec::new();
    let mut ends: Vec<StageState> = Vec::new();
    let mut starts = Vec::new();
    for stage in doc.stages() {
        let image = stage.from.image.value.to_ascii_lowercase();
        let parent = names.iter().rposition(|n| n.as_deref() == Some(image.as_str()));
        let mut state = match parent {
            Some(i) => ends[i],
            None => StageState {
                posix_shell: !images::is_windows(&image),
                entrypoint_empty: image == "scratch" || images::facts(&image).is_some_and(|f| f.no_entrypoint),
            },
        };
        starts.push(state);
        for instruction in stage.instructions {
            state.update(instruction);
        }
        ends.push(state);
        names.push(stage.from.as_.as_ref().map(|(_, name)| name.value.to_ascii_lowercase()));
    }
    starts
}

fn to_json(words: &[String]) -> String {
    let quoted: Vec<String> = words
        .iter()
        .map(|w| serde_json::to_string(w).unwrap_or_else(|_| String::from("\"\"")))
        .collect();
    format!("[{}]", quoted.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_is_escaped() {
        assert_eq!(to_json(&["a\"b".into(), "c\\d".into()]), r#"["a\"b", "c\\d"]"#);
    }

    #[test]
    fn shells() {
        assert!(is_posix_shell("/bin/bash"));
        assert!(!is_posix_shell("powershell"));
        assert!(!is_posix_shell("cmd"));
        assert!(images::is_windows("mcr.microsoft.com/windows/servercore:ltsc2022"));
    }
}
