//! ## What it does
//! Combines consecutive `RUN` instructions of a stage into one, joined with
//! `&&` on continuation lines, when each of them runs at most two commands
//! (hadolint's measure: longer `RUN`s are usually split on purpose, to keep
//! build cache steps apart).
//!
//! ## Why is this bad?
//! Every `RUN` makes a layer. Files that one `RUN` creates and the next one
//! deletes stay in the image, and each layer adds its own overhead (hadolint
//! DL3059).
//!
//! ## Example
//! ```dockerfile
//! RUN apt-get update
//! # the tools we need
//! RUN apt-get install -y --no-install-recommends curl
//! ```
//!
//! Use instead:
//! ```dockerfile
//! RUN apt-get update && \
//!     # the tools we need
//!     apt-get install -y --no-install-recommends curl
//! ```
//!
//! Comments between the instructions stay above their part, as comment
//! lines inside the continuation (BuildKit drops those); blank lines
//! between them go. The new lines follow the first `RUN`'s style: `&& \`
//! at the end of a line or `\` then `&& …` on the next, and its indentation
//! (when it is one line: the second's, at most four spaces or a tab).
//!
//! ## Fix safety
//! Both instructions must be in shell form, without heredocs, with the same
//! flags (`--mount`, `--network`, …), and nothing but comments between
//! them. The second must be one list joined by `&&` only: after `A &&`, a
//! top-level `;` or `||` in it would run even when `A` failed.
//!
//! Safe when the first `RUN` cannot change the shell the second one then
//! runs in. When it sets variables, `export`s, `source`s a file, defines
//! functions or aliases, or changes `umask`, `ulimit`, traps or shell
//! options, the fix is unsafe (the second part now sees those). When it
//! changes directory (`cd`, `pushd`, `popd`) or options with `set`, ends the
//! shell (`exit`, `exec`, `return`), or starts something in the background,
//! there is no fix. `RUN`s of a stage whose `SHELL` is not a POSIX shell
//! (PowerShell, `cmd`) are reported without a fix. Commands in a subshell (`( … )`, a pipeline) change
//! nothing that lasts. Comments that steer tools (`# hadolint …`,
//! `# check=…`) are not moved: those instructions are not combined. A
//! `RUN` that creates a user (`useradd`, `adduser`, `groupadd`,
//! `addgroup`) stays a step of its own, reported without a fix, unless the
//! other one creates users too: a reviewer reads "create the user" as one
//! thing (and `non-root-user` adds such a `RUN`).

use parse_dockerfile::RunInstruction;

use super::{FixKind, Report, Rule};
use crate::document::Document;
use crate::edits::{Applicability, Edit, Fix};
use crate::packages::invocation;
use crate::runs::{self, Run};
use crate::shell::style::Layout;
use crate::shell::{Script, SimpleCommand};

pub static RULE: Rule = Rule {
    id: "combine-run",
    codes: &["DL3059"],
    fix: FixKind::Sometimes,
    summary: "Combine consecutive small RUN instructions into one",
    source: include_str!("combine_run.rs"),
    check,
};

/// At most this many commands in each `RUN` (hadolint's threshold).
const SMALL: usize = 2;

/// Shell state the first part can leave to the second: no fix.
const NO_FIX: &[&str] = &["cd", "pushd", "popd", "set", "exit", "exec", "return"];
/// Shell state that may change what the second part does: unsafe.
const UNSAFE: &[&str] = &[
    "export", "unset", "umask", "ulimit", "alias", "unalias", "source", ".", "eval", "trap",
    "shopt", "declare", "typeset", "readonly", "local", "hash", "shift", "enable", "builtin",
];
/// Keywords of compound commands that are not function definitions.
const COMPOUND: &[&str] = &[
    "(", "{", "if", "while", "until", "for", "select", "case", "[[",
];

fn check(doc: &Document<'_>, report: &mut Report) {
    for stage in runs::stages(doc) {
        let runs: Vec<&Run<'_, '_>> = stage.runs.iter().filter(|r| !r.onbuild).collect();
        let mut chain = Chain::default();
        for (i, run) in runs.iter().enumerate() {
            let Some(previous) = i.checked_sub(1).map(|p| runs[p]) else {
                continue;
            };
            let mut pair = if previous.position + 1 == run.position {
                pair(doc, previous, run)
            } else {
                Pair::Apart
            };
            if let (Pair::Joins(..), Ok(first), Ok(second)) = (
                &pair,
                doc.script(previous.instruction),
                doc.script(run.instruction),
            ) {
                if chain.edits.is_empty() {
                    chain.cleaned = cache_cleans(first);
                }
                if cache_installs(second)
                    .iter()
                    .any(|m| chain.cleaned.contains(m))
                {
                    pair = Pair::Declined(
                        "a package cache cleaned earlier would be filled again in the same RUN; \
                         join them by hand with one clean at the end",
                    );
                } else {
                    chain.cleaned.extend(cache_cleans(second));
                }
            }
            match pair {
                Pair::Joins(applicability, edit) => {
                    if chain.edits.is_empty() {
                        chain.start = previous.instruction.run.span.start;
                    }
                    chain.end = instruction_end(doc, run.instruction);
                    chain.applicability = chain.applicability.max(applicability);
                    chain.edits.push(edit);
                }
                Pair::Declined(reason) => {
                    chain.flush(report);
                    report.push(
                        run.instruction.run.span.start..instruction_end(doc, run.instruction),
                        format!("this RUN follows another RUN: combine them into one (not fixed: {reason})"),
                        None,
                    );
                }
                Pair::Apart => chain.flush(report),
            }
        }
        chain.flush(report);
    }
}

/// Consecutive `RUN`s joined so far, and the edits that join them.
struct Chain {
    /// Package managers whose cache a part of the chain cleans.
    cleaned: Vec<&'static str>,
    start: usize,
    end: usize,
    applicability: Applicability,
    edits: Vec<Edit>,
}

impl Default for Chain {
    fn default() -> Self {
        Self {
            cleaned: Vec::new(),
            start: 0,
            end: 0,
            applicability: Applicability::Safe,
            edits: Vec::new(),
        }
    }
}

impl Chain {
    fn flush(&mut self, report: &mut Report) {
        let chain = std::mem::take(self);
        if chain.edits.is_empty() {
            return;
        }
        report.push(
            chain.start..chain.end,
            format!(
                "{} consecutive RUN instructions: combine them into one",
                chain.edits.len() + 1
            ),
            Some(Fix {
                applicability: chain.applicability,
                edits: chain.edits,
                files: Vec::new(),
            }),
        );
    }
}

/// What can be done with two `RUN`s that follow each other.
enum Pair {
    /// Joined by this edit, this safely.
    Joins(Applicability, Edit),
    /// Worth joining, but not by a fix, for this reason.
    Declined(&'static str),
    /// Not a pair to join (different flags, a long `RUN`, another shell).
    Apart,
}

fn instruction_end(doc: &Document<'_>, run: &RunInstruction<'_>) -> usize {
    match doc.script(run) {
        Ok(script) => script.span.end,
        Err(_) => run.run.span.end,
    }
}

/// Whether `second` can be joined to `first` (which it follows directly),
/// how safely, and the edit that does it.
fn pair(doc: &Document<'_>, first: &Run<'_, '_>, second: &Run<'_, '_>) -> Pair {
    let (a, b) = (first.instruction, second.instruction);
    if !same_flags(a, b) {
        return Pair::Apart;
    }
    if !first.posix || !second.posix {
        let shell_form =
            |r: &RunInstruction<'_>| matches!(r.arguments, parse_dockerfile::Command::Shell(_));
        return if shell_form(a) && shell_form(b) {
            Pair::Declined("the stage's shell is not a POSIX shell")
        } else {
            Pair::Apart
        };
    }
    let (Ok(sa), Ok(sb)) = (doc.script(a), doc.script(b)) else {
        return Pair::Apart;
    };
    if sa.commands.len() > SMALL || sb.commands.len() > SMALL {
        return Pair::Apart;
    }
    if creates_user(sa) != creates_user(sb) {
        return Pair::Declined("one of them creates a user, a step of its own");
    }
    match join(doc, a, b) {
        Ok((applicability, edit)) => Pair::Joins(applicability, edit),
        Err(reason) => Pair::Declined(reason),
    }
}

/// Whether the script creates a user or a group.
fn creates_user(script: &Script) -> bool {
    script.commands.iter().any(|c| {
        matches!(
            c.program(),
            Some("useradd" | "adduser" | "groupadd" | "addgroup")
        )
    })
}

/// The edit that appends the shell-form `b` to `a`, which it follows
/// directly (same flags, both read), with `&&` in `a`'s style, and how
/// safe that is; or why it cannot be done.
pub(crate) fn join(
    doc: &Document<'_>,
    a: &RunInstruction<'_>,
    b: &RunInstruction<'_>,
) -> Result<(Applicability, Edit), &'static str> {
    let (Ok(sa), Ok(sb)) = (doc.script(a), doc.script(b)) else {
        return Err("the shell text of one of them cannot be read");
    };
    if sa.heredoc || sb.heredoc || !a.here_docs.is_empty() || !b.here_docs.is_empty() {
        return Err("one of them has a heredoc");
    }
    let applicability = leaks(sa)?;
    if !single_and_list(sb) {
        return Err("this RUN runs a list with `;`, `||` or `&`, which `&&` would split");
    }
    let Some(last) = sa.items.last() else {
        return Err("the RUN before runs nothing");
    };
    // After the last command of the first RUN: nothing but blanks or `;`.
    if !doc.text[last.span.end..sa.span.end]
        .trim()
        .trim_start_matches(';')
        .trim()
        .is_empty()
    {
        return Err("a comment ends the RUN before");
    }
    let Some(comments) = comments_between(&doc.text[sa.span.end..b.run.span.start]) else {
        return Err("a comment between them steers a tool");
    };
    let style = sa.style(doc);
    // A one-line first RUN shows no indentation: take the second's, but no
    // deeper than four spaces or a tab (its continuation lines often indent
    // arguments further than commands).
    let indent = if style.layout == Layout::Inline {
        match continuation_indent(doc, sb) {
            Some(i) if i.starts_with('\t') => "\t".to_owned(),
            Some(i) if i.len() <= 4 => i,
            _ => "    ".to_owned(),
        }
    } else {
        style.indent
    };
    let (esc, le) = (doc.escape, doc.line_ending);
    let mut text = if style.layout == Layout::Leading {
        format!(" {esc}{le}")
    } else {
        format!(" && {esc}{le}")
    };
    for comment in comments {
        text.push_str(&format!("{indent}{comment}{le}"));
    }
    text.push_str(&indent);
    if style.layout == Layout::Leading {
        text.push_str("&& ");
    }
    Ok((
        applicability,
        Edit::replace(last.span.end..sb.span.start, text),
    ))
}

/// Managers whose installs leave a cache that `clean` removes, checked in
/// this order by hadolint (DL3032, DL3036, DL3040, DL3060).
const CACHED_MANAGERS: &[&str] = &["yum", "dnf", "microdnf", "zypper", "yarn"];

/// The managers of [`CACHED_MANAGERS`] whose cache the script cleans.
fn cache_cleans(script: &Script) -> Vec<&'static str> {
    managers(script, |verb, next| {
        verb == "clean" || verb == "cc" || (verb == "cache" && next == Some("clean"))
    })
}

/// The managers of [`CACHED_MANAGERS`] the script installs with.
fn cache_installs(script: &Script) -> Vec<&'static str> {
    managers(script, |verb, _| {
        matches!(
            verb,
            "install"
                | "in"
                | "groupinstall"
                | "localinstall"
                | "reinstall"
                | "upgrade"
                | "up"
                | "add"
        )
    })
}

fn managers(
    script: &Script,
    verb_matches: impl Fn(&str, Option<&str>) -> bool,
) -> Vec<&'static str> {
    let mut found = Vec::new();
    for command in &script.commands {
        let Some(call) = invocation(command, CACHED_MANAGERS) else {
            continue;
        };
        let next = command
            .words
            .get(call.subcommand + 1)
            .and_then(|w| w.literal());
        if verb_matches(&call.verb, next.as_deref())
            && let Some(m) = CACHED_MANAGERS.iter().find(|m| **m == call.program)
        {
            found.push(*m);
        }
    }
    found
}

/// The `--flags` of two `RUN`s are the same.
pub(crate) fn same_flags(a: &RunInstruction<'_>, b: &RunInstruction<'_>) -> bool {
    let flags = |r: &RunInstruction<'_>| -> Vec<(String, Option<String>)> {
        r.options
            .iter()
            .map(|f| {
                (
                    f.name.value.to_string(),
                    f.value.as_ref().map(|v| v.value.to_string()),
                )
            })
            .collect()
    };
    flags(a) == flags(b)
}

/// What the first script can leave behind for the second: why that rules
/// the fix out, or how safe joining them is.
fn leaks(script: &Script) -> Result<Applicability, &'static str> {
    if script
        .items
        .iter()
        .any(|i| i.terminator.as_ref().is_some_and(|t| t.text == "&"))
    {
        return Err("the RUN before starts a job in the background");
    }
    let mut applicability = Applicability::Safe;
    for command in script.commands.iter().filter(|c| !c.subshell) {
        if command.words.is_empty() && !command.assignments.is_empty() {
            applicability = Applicability::Unsafe;
            continue;
        }
        match program(command).as_deref() {
            Some(p) if NO_FIX.contains(&p) => {
                return Err(
                    "the RUN before changes the directory, the shell options or ends the shell",
                );
            }
            Some(p) if UNSAFE.contains(&p) => applicability = Applicability::Unsafe,
            Some(_) => {}
            // A command name the text cannot tell (`$CMD`) could be anything.
            None => applicability = Applicability::Unsafe,
        }
    }
    let defines_function = script
        .items
        .iter()
        .flat_map(|i| &i.pipelines)
        .flat_map(|p| &p.compound_keywords)
        .any(|k| !COMPOUND.contains(&k.as_str()));
    if defines_function {
        applicability = Applicability::Unsafe;
    }
    Ok(applicability)
}

fn program(command: &SimpleCommand) -> Option<String> {
    command.words.first()?.literal().map(|l| l.into_owned())
}

/// One and-or list whose operators are all `&&` (a trailing `;` is fine).
fn single_and_list(script: &Script) -> bool {
    match script.items.as_slice() {
        [item] => {
            item.operators.iter().all(|op| op.text == "&&")
                && item.terminator.as_ref().is_none_or(|t| t.text != "&")
        }
        _ => false,
    }
}

/// The comment lines of `between` (the text after the first RUN's last line
/// up to the second `RUN` keyword), trimmed; `None` when something else
/// than comments and blank lines is there, or a comment steers a tool.
fn comments_between(between: &str) -> Option<Vec<&str>> {
    let mut comments = Vec::new();
    for line in between.split('\n').skip(1) {
        let line = line.trim_matches([' ', '\t', '\r']);
        if line.is_empty() {
            continue;
        }
        let body = line.strip_prefix('#')?.trim_start().to_ascii_lowercase();
        if body.starts_with("hadolint") || body.starts_with("check=") || body.starts_with("syntax=")
        {
            return None;
        }
        comments.push(line);
    }
    Some(comments)
}

/// The indentation of the script's second line, if it has one.
fn continuation_indent(doc: &Document<'_>, script: &Script) -> Option<String> {
    let text = &doc.text[script.span.clone()];
    let second = text.split('\n').nth(1)?;
    let indent = &second[..second.len() - second.trim_start_matches([' ', '\t']).len()];
    (!indent.is_empty()).then(|| indent.to_owned())
}
