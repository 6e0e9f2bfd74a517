//! ## What it does
//! Rewrites a shell-form `CMD`, `ENTRYPOINT` or `HEALTHCHECK CMD` into JSON
//! exec form. A command that is a plain word list becomes that list:
//! `CMD python app.py` becomes `CMD ["python", "app.py"]`. A command that
//! needs a shell (variables, `${X:-d}`, redirections, `&&`, `|`, …) gets
//! the shell written out, the one the stage's `SHELL` names (`/bin/sh -c`
//! by default): `CMD gunicorn -b :$PORT app` becomes
//! `CMD ["/bin/sh", "-c", "exec gunicorn -b :$PORT app"]`, where `exec`
//! makes the program replace the shell, so it is PID 1 and receives
//! `docker stop`'s SIGTERM while `$PORT` is still expanded. Lists and
//! pipelines (`cd /app && ./run`, `a | b`) are written out without `exec`.
//!
//! ## Why is this bad?
//! In shell form the command runs as `/bin/sh -c "…"`: the shell, not the
//! program, is PID 1, so `docker stop` sends SIGTERM to a shell that does not
//! pass it on and the container is killed after the timeout. A shell-form
//! `ENTRYPOINT` also ignores `CMD` and `docker run` arguments, and the form
//! hides which shell runs the command (hadolint DL3025, BuildKit
//! JSONArgsRecommended; hadolint also reports `HEALTHCHECK CMD`).
//!
//! ## Example
//! ```dockerfile
//! CMD gunicorn --bind 0.0.0.0:8000 app:app
//! ENTRYPOINT gunicorn --bind :$PORT app:app
//! HEALTHCHECK --interval=30s CMD curl -f http://localhost/ || exit 1
//! ```
//!
//! Use instead:
//! ```dockerfile
//! CMD ["gunicorn", "--bind", "0.0.0.0:8000", "app:app"]
//! ENTRYPOINT ["/bin/sh", "-c", "exec gunicorn --bind :$PORT app:app"]
//! HEALTHCHECK --interval=30s CMD ["/bin/sh", "-c", "curl -f http://localhost/ || exit 1"]
//! ```
//!
//! A leading `exec` of a plain word list is dropped (exec form already runs
//! the program as PID 1), and quoted words keep their meaning:
//! `CMD exec nginx -g "daemon off;"` becomes `CMD ["nginx", "-g", "daemon off;"]`.
//! A command that needs a shell and already starts with `exec` keeps it. In
//! a stage whose `SHELL` is `["/bin/bash", "-o", "pipefail", "-c"]`, that is
//! the shell written out; under PowerShell or `cmd` (a Windows stage) the
//! command is written after the stage's shell (`["pwsh", "-Command", "…"]`),
//! without `exec`.
//!
//! ## Fix safety
//! Writing the shell out is exactly what BuildKit does with a shell-form
//! command: it stores the stage's shell followed by the command line, so
//! `["/bin/sh", "-c", "cd /app && ./run"]` is the same image. That fix is
//! safe when the shell is known: the file sets it with `SHELL`, or the base
//! image is `scratch` or a well-known image that sets none (a base image's
//! own `SHELL` would replace `/bin/sh -c`); otherwise it is unsafe. For
//! `HEALTHCHECK`, whose shell is the one of the finished image, it is
//! unsafe too when a later `SHELL` of the stage, or of a stage built on it,
//! changes that.
//!
//! Adding `exec` is unsafe: it is the point of the rule, but the program
//! now runs as PID 1 (it receives signals, and must reap the processes it
//! starts).
//!
//! A plain word list as exec form is unsafe too: the process no longer runs
//! under the shell, which changes signal handling and how the command
//! combines with `ENTRYPOINT` (an exec-form `CMD` is passed to the entrypoint
//! as its arguments, where the shell form passed `/bin/sh -c "…"`; a
//! shell-form `ENTRYPOINT` ignores `CMD` and `docker run` arguments, an
//! exec-form one receives them). It is safe where nothing observable
//! changes: a `CMD exec …` in a stage with no entrypoint in force (the stage
//! sets none, or sets `ENTRYPOINT []`, and its base is `scratch`, a stage of
//! the same file without one, or an image known to set none, such as
//! `alpine`, `debian`, `ubuntu` or `python`), where the shell replaced itself
//! with the program anyway; and a `HEALTHCHECK CMD`, whose result (the
//! command's exit status and output) is the same with or without the shell
//! around it (only an image without `/bin/sh`, where the shell-form check
//! could never run, behaves differently: the check now runs).
//!
//! `exec` is not added to a command with `VAR=value` prefixes or a shell
//! built-in (`cd`, `source`, …), nor to a command run in the background, nor
//! under a `SHELL` whose last argument is not a `-c` option. A command with
//! comment lines inside its continuation lines is reported without a fix,
//! so the comments are kept, and so is one the shell cannot read (a quote
//! left open), which needs a look rather than a new form. `ONBUILD` commands are left alone (the shell of
//! the image that will run them is not known).

use parse_dockerfile::{Command, HealthcheckArguments, Instruction};

use super::{FixKind, Report, Rule};
use crate::document::Document;
use crate::edits::{Edit, Fix};
use crate::images::{self, Family};
use crate::runs::{self, is_posix_shell};
use crate::shell::{Joined, Script};
use crate::words::{is_shell_builtin, plain_words};

pub static RULE: Rule = Rule {
    id: "exec-form",
    codes: &["DL3025", "JSONArgsRecommended"],
    fix: FixKind::Sometimes,
    summary: "Use JSON exec form for CMD, ENTRYPOINT and HEALTHCHECK (the shell written out where one is needed)",
    source: include_str!("exec_form.rs"),
    check,
};

fn check(doc: &Document<'_>, report: &mut Report) {
    let states = stage_states(doc);
    for (index, stage) in doc.stages().enumerate() {
        let mut state = states[index].start.clone();
        for instruction in stage.instructions {
            let (keyword, command) = match instruction {
                Instruction::Cmd(cmd) => (Keyword::Cmd, &cmd.arguments),
                Instruction::Entrypoint(entrypoint) => (Keyword::Entrypoint, &entrypoint.arguments),
                Instruction::Healthcheck(healthcheck) => match &healthcheck.arguments {
                    HealthcheckArguments::Cmd { arguments, .. } => {
                        (Keyword::Healthcheck, arguments)
                    }
                    _ => continue,
                },
                other => {
                    state.update(other);
                    continue;
                }
            };
            let entrypoint_empty = state.entrypoint_empty;
            state.update(instruction);
            let Command::Shell(shell_form) = command else {
                continue;
            };
            // A bare `ENTRYPOINT` (entrypoint `/bin/sh -c`) has no command to rewrite.
            if shell_form.value.trim().is_empty() {
                continue;
            }
            let joined =
                Joined::continuation_lines(shell_form.value, shell_form.span.start, doc.escape);
            let span = shell_form.span.clone();
            let name = keyword.name();
            if joined.dropped_comments {
                report.push(
                    span,
                    format!("{name} in shell form: use JSON exec form (not fixed: comment lines inside it would be lost)"),
                    None,
                );
                continue;
            }
            let text = joined.text.trim().to_owned();
            let layout = Layout {
                doc,
                joined: &joined,
            };
            // A health check runs under the shell of the finished image.
            let shell = match keyword {
                Keyword::Healthcheck => states[index].healthcheck_shell(index, &states),
                _ => state.shell.clone(),
            };
            let script = Script::parse(joined.clone(), false, span.clone());
            if shell.is_posix()
                && let Err(error) = &script
                && error.is_syntax_error()
            {
                report.push(
                    span,
                    format!("{name} in shell form: use JSON exec form (not fixed: the shell cannot read it, check its quotes)"),
                    None,
                );
                continue;
            }
            let (message, fix) = match (shell.is_posix(), plain_words(&text)) {
                (true, Some(words)) => {
                    let edits = vec![Edit::replace(span.clone(), to_json(&words.words))];
                    // Nothing observable changes for `CMD exec …` run by no
                    // entrypoint, nor for a health check.
                    let safe = match keyword {
                        Keyword::Cmd => words.exec && entrypoint_empty,
                        Keyword::Entrypoint => false,
                        Keyword::Healthcheck => true,
                    };
                    let fix = if safe {
                        Fix::safe(edits)
                    } else {
                        Fix::unsafe_(edits)
                    };
                    (format!("{name} in shell form: use JSON exec form"), fix)
                }
                _ => written_out(&shell, keyword, &layout, script.ok().as_ref(), span.clone()),
            };
            report.push(span, message, Some(fix));
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Keyword {
    Cmd,
    Entrypoint,
    Healthcheck,
}

impl Keyword {
    fn name(self) -> &'static str {
        match self {
            Keyword::Cmd => "CMD",
            Keyword::Entrypoint => "ENTRYPOINT",
            Keyword::Healthcheck => "HEALTHCHECK CMD",
        }
    }
}

/// The command written after its shell, with `exec` in front when it is
/// the one program a `CMD`/`ENTRYPOINT` starts.
fn written_out(
    shell: &Shell,
    keyword: Keyword,
    layout: &Layout<'_, '_>,
    script: Option<&Script>,
    span: std::ops::Range<usize>,
) -> (String, Fix) {
    let name = keyword.name();
    let exec = keyword != Keyword::Healthcheck
        && shell.takes_command_string()
        && script.is_some_and(is_one_program);
    let prefix = if exec { "exec " } else { "" };
    let mut json = to_json(&shell.argv);
    json.pop();
    if !shell.argv.is_empty() {
        json.push_str(", ");
    }
    json.push_str(&layout.json_string(prefix));
    json.push(']');
    let edits = vec![Edit::replace(span, json)];
    if exec {
        return (
            format!(
                "{name} in shell form runs the program under a shell that does not pass on signals: \
                 write the shell out and `exec` the program"
            ),
            Fix::unsafe_(edits),
        );
    }
    let fix = if shell.known {
        Fix::safe(edits)
    } else {
        Fix::unsafe_(edits)
    };
    (
        format!("{name} in shell form: write the shell it runs in as JSON exec form"),
        fix,
    )
}

/// A shell-form command and the document it is written in.
struct Layout<'d, 'a> {
    doc: &'d Document<'a>,
    joined: &'d Joined,
}

impl Layout<'_, '_> {
    /// The command as one JSON string, `prefix` first, that keeps its line
    /// breaks: each line's text JSON-escaped, the continuations between
    /// lines (escape character, blanks, line ending) as written. BuildKit
    /// joins the lines before it reads the JSON, so the string is the
    /// command line it stored for the shell form.
    fn json_string(&self, prefix: &str) -> String {
        let text = &self.joined.text;
        let start = text.len() - text.trim_start().len();
        let end = text.trim_end().len();
        let mut out = String::from("\"");
        out.push_str(&json_escaped(prefix));
        let mut previous_end: Option<usize> = None;
        for (piece, document) in self.joined.pieces() {
            let from = piece.start.max(start);
            let to = piece.end.min(end);
            if from >= to {
                continue;
            }
            let document_from = document + (from - piece.start);
            if let Some(previous) = previous_end {
                let gap = self.doc.text.get(previous..document_from).unwrap_or("");
                if gap
                    .chars()
                    .any(|c| !matches!(c, ' ' | '\t' | '\r' | '\n') && c != self.doc.escape)
                {
                    // Not only a continuation: write the joined line instead.
                    return format!(
                        "\"{}\"",
                        json_escaped(&format!("{prefix}{}", &text[start..end]))
                    );
                }
                out.push_str(gap);
            }
            out.push_str(&json_escaped(&text[from..to]));
            previous_end = Some(document_from + (to - from));
        }
        out.push('"');
        out
    }
}

/// `text` as the inside of a JSON string.
fn json_escaped(text: &str) -> String {
    let quoted = serde_json::to_string(text).unwrap_or_default();
    quoted
        .get(1..quoted.len().saturating_sub(1))
        .unwrap_or_default()
        .to_owned()
}

/// The command is one simple command that `exec` can start: not a list, a
/// pipeline, a compound command or a built-in, without `VAR=value`
/// prefixes, not in the background and not already run with `exec`.
fn is_one_program(script: &Script) -> bool {
    let [item] = script.items.as_slice() else {
        return false;
    };
    let [pipeline] = item.pipelines.as_slice() else {
        return false;
    };
    if pipeline.bang || pipeline.commands != [Some(0)] || script.commands.len() != 1 {
        return false;
    }
    if item.terminator.as_ref().is_some_and(|t| t.text == "&") {
        return false;
    }
    let command = &script.commands[0];
    if !command.assignments.is_empty() {
        return false;
    }
    match command.words.first() {
        // `exec` already, a built-in, or a name the text cannot read (`$APP`
        // is fine: `exec $APP` starts whatever it names).
        Some(first) => match first.literal() {
            Some(name) => name != "exec" && !is_shell_builtin(&name),
            None => true,
        },
        None => false,
    }
}

/// The shell a stage runs shell-form commands with.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Shell {
    argv: Vec<String>,
    /// The file sets it, or the base image is known to keep the default.
    known: bool,
}

impl Shell {
    fn default_for(image: &str) -> Self {
        if images::is_windows(image) {
            return Shell {
                argv: vec!["cmd".into(), "/S".into(), "/C".into()],
                known: false,
            };
        }
        let known = image.eq_ignore_ascii_case("scratch")
            || images::facts(image).is_some()
            || matches!(
                images::family(image),
                Family::Debian | Family::Alpine | Family::Rhel | Family::Distroless
            );
        Shell {
            argv: vec!["/bin/sh".into(), "-c".into()],
            known,
        }
    }

    fn is_posix(&self) -> bool {
        self.argv
            .first()
            .is_some_and(|program| is_posix_shell(program))
    }

    /// A POSIX shell whose last argument is `-c` (or `-ec`, …): the command
    /// is a command string, where `exec` can go.
    fn takes_command_string(&self) -> bool {
        self.is_posix()
            && self
                .argv
                .last()
                .is_some_and(|a| a.starts_with('-') && !a.starts_with("--") && a.ends_with('c'))
    }
}

/// What a stage's instructions run under at a point of the stage.
#[derive(Debug, Clone)]
struct StageState {
    shell: Shell,
    /// No `ENTRYPOINT` is in force, as far as the file and the known base
    /// images tell (`false` when unknown).
    entrypoint_empty: bool,
}

impl StageState {
    fn update(&mut self, instruction: &Instruction<'_>) {
        match instruction {
            Instruction::Shell(shell) => {
                self.shell = Shell {
                    argv: shell
                        .arguments
                        .iter()
                        .map(|a| a.value.to_string())
                        .collect(),
                    known: true,
                };
            }
            Instruction::Entrypoint(entrypoint) => {
                self.entrypoint_empty =
                    matches!(&entrypoint.arguments, Command::Exec(args) if args.value.is_empty());
            }
            _ => {}
        }
    }
}

/// A stage's state at its start and end, and the stage it is built on.
struct StageStates {
    start: StageState,
    end: StageState,
    parent: Option<usize>,
}

impl StageStates {
    /// The shell that runs a shell-form health check of stage `index`: the
    /// one of the finished stage. Not known when a stage built on it ends
    /// with another shell (its image runs the inherited check with that one).
    fn healthcheck_shell(&self, index: usize, all: &[StageStates]) -> Shell {
        let mut shell = self.end.shell.clone();
        let descendants = (index + 1..all.len()).filter(|&i| descends(all, i, index));
        if descendants
            .into_iter()
            .any(|i| all[i].end.shell.argv != shell.argv)
        {
            shell.known = false;
        }
        shell
    }
}

fn descends(all: &[StageStates], mut stage: usize, ancestor: usize) -> bool {
    while let Some(parent) = all[stage].parent {
        if parent == ancestor {
            return true;
        }
        stage = parent;
    }
    false
}

/// Every stage's states: a `FROM <stage>` starts from the end of that stage;
/// an image starts with its known defaults (Windows images run `cmd`,
/// `scratch` and the images of [`images::KNOWN`] have no entrypoint).
fn stage_states(doc: &Document<'_>) -> Vec<StageStates> {
    let parents: Vec<Option<usize>> = runs::stages(doc).iter().map(|s| s.parent).collect();
    let mut out: Vec<StageStates> = Vec::new();
    for (stage, parent) in doc.stages().zip(parents) {
        let image = stage.from.image.value.as_ref();
        let start = match parent {
            Some(i) => out[i].end.clone(),
            None => StageState {
                shell: Shell::default_for(image),
                entrypoint_empty: image.eq_ignore_ascii_case("scratch")
                    || images::facts(image).is_some_and(|f| f.no_entrypoint),
            },
        };
        let mut end = start.clone();
        for instruction in stage.instructions {
            end.update(instruction);
        }
        out.push(StageStates { start, end, parent });
    }
    out
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
        assert_eq!(
            to_json(&["a\"b".into(), "c\\d".into()]),
            r#"["a\"b", "c\\d"]"#
        );
    }

    #[test]
    fn shells() {
        assert!(is_posix_shell("/bin/bash"));
        assert!(!is_posix_shell("powershell"));
        assert!(!is_posix_shell("cmd"));
        assert!(images::is_windows(
            "mcr.microsoft.com/windows/servercore:ltsc2022"
        ));
        let bash = |argv: &[&str]| Shell {
            argv: argv.iter().map(|a| (*a).to_owned()).collect(),
            known: true,
        };
        assert!(bash(&["/bin/bash", "-o", "pipefail", "-c"]).takes_command_string());
        assert!(bash(&["/bin/sh", "-ec"]).takes_command_string());
        assert!(!bash(&["/bin/bash"]).takes_command_string());
        assert!(!bash(&["pwsh", "-Command"]).takes_command_string());
        assert!(Shell::default_for("python:3.12").known);
        assert!(!Shell::default_for("example.com/team/base:1").known);
    }

    /// After the fix the exec form's last word is, once the document's
    /// lines are joined and the JSON read, the command line of the shell
    /// form (with `exec` where added).
    #[test]
    fn the_written_out_string_is_the_command_line() {
        let cases = [
            (
                "FROM a\nCMD set -e \\\n    && echo \"a \\\"b\\\"\" \\  \n\n\t&& echo c:\\\\d \\\n    | tee /x\n",
                '\\',
            ),
            ("FROM a\r\nCMD run $X `\r\n    --flag\r\n", '`'),
            (
                "FROM a\nHEALTHCHECK --interval=1s CMD curl -f \"$URL\" \\\n || exit 1\n",
                '\\',
            ),
            (
                "FROM a\nSHELL [\"pwsh\", \"-Command\"]\nCMD Write-Host 'C:\\x' ; \\\n  exit 0\n",
                '\\',
            ),
        ];
        for (source, escape) in cases {
            let source = if escape == '`' {
                format!("# escape=`\r\n{source}")
            } else {
                source.to_owned()
            };
            let doc = Document::parse(&source).unwrap();
            let findings = crate::rules::check(&doc, &[&RULE]);
            let (command, shell_form) = last_command(&doc);
            let Command::Shell(shell_form) = shell_form else {
                panic!("{source}")
            };
            let joined = Joined::continuation_lines(shell_form.value, 0, doc.escape);
            let fixes: Vec<&Fix> = findings.iter().filter_map(|f| f.fix.as_ref()).collect();
            let (fixed, _) = crate::edits::apply_fixes(&source, &fixes);
            let fixed_doc = Document::parse(&fixed).unwrap_or_else(|e| panic!("{fixed}: {e}"));
            let (_, exec) = last_command(&fixed_doc);
            let Command::Exec(args) = exec else {
                panic!("{fixed}")
            };
            let last = args.value.last().unwrap().value.to_string();
            let expected = joined.text.trim();
            assert!(
                last == expected || last == format!("exec {expected}"),
                "{command}: {last:?} != {expected:?}\n{fixed}"
            );
            assert!(
                fixed.lines().count() >= source.lines().count() - 1,
                "lines kept: {fixed}"
            );
        }
    }

    fn last_command<'d, 'a>(doc: &'d Document<'a>) -> (&'static str, &'d Command<'a>) {
        let instruction = doc.dockerfile.instructions.last().unwrap();
        match instruction {
            Instruction::Cmd(cmd) => ("CMD", &cmd.arguments),
            Instruction::Healthcheck(healthcheck) => match &healthcheck.arguments {
                HealthcheckArguments::Cmd { arguments, .. } => ("HEALTHCHECK", arguments),
                _ => panic!("no command"),
            },
            _ => panic!("not a command"),
        }
    }

    fn one_program(text: &str) -> bool {
        let joined = Joined::continuation_lines(text, 0, '\\');
        Script::parse(joined, false, 0..text.len()).is_ok_and(|s| is_one_program(&s))
    }

    #[test]
    fn one_program_or_more() {
        for text in [
            "gunicorn -b :$PORT app",
            "app > /log 2>&1",
            "\"$APP\" --x",
            "java ${JAVA_OPTS:-} -jar a.jar;",
        ] {
            assert!(one_program(text), "{text}");
        }
        for text in [
            "a && b",
            "a | b",
            "a; b",
            "exec app $X",
            "cd /x",
            "FOO=1 app",
            "app &",
            "! app",
            "(app)",
            "> /log",
        ] {
            assert!(!one_program(text), "{text}");
        }
    }
}
