//! ## What it does
//! Folds a `RUN chown` (or `RUN chmod`) of what a `COPY` or `ADD` just
//! copied into the copy itself, as `--chown` (or `--chmod`), and removes the
//! `RUN`, or the command when it is the first of a longer `RUN`
//! (`chown -R app:app /app && make`).
//!
//! ## Why is this bad?
//! `chown -R` after a copy rewrites every copied file in a new layer: the
//! image carries the files twice, and the build takes longer. `COPY
//! --chown=user:group` sets the owner while copying, in the same layer.
//!
//! ## Example
//! ```dockerfile
//! COPY src/ /srv/app/
//! RUN chown -R app:app /srv/app/
//! ```
//!
//! Use instead:
//! ```dockerfile
//! COPY --chown=app:app src/ /srv/app/
//! ```
//!
//! The `RUN` must be one plain `chown [-R] owner path` (or `chmod [-R] mode
//! path` with an octal mode) whose path is the copy's destination, alone or
//! as the first command of the `RUN` joined to the rest by `&&`, `;` or a
//! newline (a later one would also change what the commands before it
//! wrote), and nothing that writes files may come between the copy and it.
//! `--chmod` is only used when the file names a BuildKit frontend with a
//! `# syntax=` directive.
//!
//! ## Fix safety
//! Safe when the result is the same: a recursive `chown -R user:group` /
//! `chmod -R` of a destination that nothing before the copy creates (no `WORKDIR`, copy or
//! `RUN` in the stage or the stages it is built on names it, and it is not
//! a system folder such as `/usr/local`). The copy then creates the folder
//! with the new owner or mode, exactly as the `RUN` would leave it.
//! Otherwise unsafe: a destination that existed before keeps its own owner
//! and its other files keep theirs with `--chown`, where `chown -R` changed
//! them too (for example `WORKDIR /app` then `COPY . .` then `chown -R`: with
//! `--chown`, `/app` itself stays owned by root). `chown user` without a
//! group keeps the files' group, where `--chown=user` sets the group whose
//! id is the user's uid: unsafe too.

use parse_dockerfile::{Command, Instruction, RunInstruction, Source, Stage};

use super::{FixKind, Report, Rule};
use crate::document::{Document, keyword_span};
use crate::edits::{Edit, Fix};
use crate::words::{build_word, logical_line, plain_words};

pub static RULE: Rule = Rule {
    id: "copy-chown",
    // Neither hadolint nor BuildKit has a check for this.
    codes: &[],
    fix: FixKind::Sometimes,
    summary: "Set ownership with COPY --chown instead of a RUN chown layer",
    source: include_str!("copy_chown.rs"),
    check,
};

/// Folders every base image has: a copy into them never creates them.
const SYSTEM_FOLDERS: &[&str] = &[
    "/",
    "/bin",
    "/etc",
    "/home",
    "/lib",
    "/opt",
    "/root",
    "/sbin",
    "/srv",
    "/tmp",
    "/usr",
    "/usr/bin",
    "/usr/lib",
    "/usr/local",
    "/usr/local/bin",
    "/usr/local/lib",
    "/usr/share",
    "/var",
    "/var/lib",
    "/var/www",
    "/var/log",
    "/var/cache",
];

fn check(doc: &Document<'_>, report: &mut Report) {
    let syntax = doc.dockerfile.parser_directives.syntax.is_some();
    let stages: Vec<Stage<'_, '_>> = doc.stages().collect();
    for (index, stage) in stages.iter().enumerate() {
        for (i, instruction) in stage.instructions.iter().enumerate() {
            let Some(copy) = CopyLike::new(instruction, doc.escape) else {
                continue;
            };
            let Some((j, change)) = following_change(doc, &stage.instructions[i + 1..]) else {
                continue;
            };
            let run = &stage.instructions[i + 1 + j];
            if normalize(&change.path) != normalize(&copy.dest) {
                continue;
            }
            if change.flag == "chmod" && !syntax || copy.has_flag(change.flag) {
                continue;
            }
            let run_span = keyword_span(run).start..change.end;
            let keyword_end = keyword_span(instruction).end;
            let removal = change.removal.clone().unwrap_or_else(|| {
                Edit::delete(doc.line_start(run_span.start)..doc.line_end_inclusive(run_span.end))
            });
            let edits = vec![
                Edit::insert(keyword_end, format!(" --{}={}", change.flag, change.value)),
                removal,
            ];
            // `--chown=user` gives the group of the user's uid; `chown user` keeps the group.
            let exact = change.recursive
                && (change.flag == "chmod" || change.value.contains(':'))
                && !SYSTEM_FOLDERS.contains(&normalize(&copy.dest))
                && !named_before(doc, &stages, index, i, &copy.dest);
            let fix = if exact {
                Fix::safe(edits)
            } else {
                Fix::unsafe_(edits)
            };
            let span = keyword_span(instruction).start..run_span.end;
            let message = format!(
                "RUN {} after the copy adds a layer with the files again: use {} --{}={}",
                change.flag, copy.keyword, change.flag, change.value
            );
            report.push(span, message, Some(fix));
        }
    }
}

/// A `COPY` or `ADD` from the build context with a plain destination
/// (sources and destination read as BuildKit reads them).
struct CopyLike<'a> {
    keyword: &'static str,
    flags: Vec<&'a str>,
    dest: String,
}

impl<'a> CopyLike<'a> {
    fn new(instruction: &'a Instruction<'_>, escape: char) -> Option<Self> {
        let (keyword, options, src, dest) = match instruction {
            Instruction::Copy(c) => ("COPY", &c.options, &c.src, &c.dest),
            Instruction::Add(a) => ("ADD", &a.options, &a.src, &a.dest),
            _ => return None,
        };
        let plain = |s: &str| {
            build_word(s, escape)
                .filter(|w| {
                    !w.variables && !w.value.is_empty() && !w.value.contains(['*', '?', '['])
                })
                .map(|w| w.value)
        };
        let sources_plain = src
            .iter()
            .all(|s| matches!(s, Source::Path(p) if plain(&p.value).is_some()));
        let dest = plain(&dest.value).filter(|_| sources_plain)?;
        let flags = options.iter().map(|o| o.name.value.as_ref()).collect();
        Some(Self {
            keyword,
            flags,
            dest,
        })
    }

    fn has_flag(&self, flag: &str) -> bool {
        self.flags.contains(&flag)
    }
}

/// A `RUN chown` / `RUN chmod` of one path.
struct Change {
    flag: &'static str,
    recursive: bool,
    value: String,
    path: String,
    /// End of the RUN's text (of the command's removal, for a part).
    end: usize,
    /// The edit removing the command when it is the first part of a
    /// longer `RUN` (`chown … && next`); `None`: the whole `RUN` goes.
    removal: Option<Edit>,
}

/// The first RUN after a copy, when it is a plain chown or chmod and only
/// instructions that write no files come before it.
fn following_change(doc: &Document<'_>, rest: &[Instruction<'_>]) -> Option<(usize, Change)> {
    for (j, instruction) in rest.iter().enumerate() {
        match instruction {
            Instruction::Run(run) => {
                if !run.options.is_empty() || !run.here_docs.is_empty() {
                    return None;
                }
                let Command::Shell(shell) = &run.arguments else {
                    return None;
                };
                let (line, comments) = logical_line(shell.value, doc.escape);
                let whole = plain_words(&line).filter(|_| !comments);
                let change = match whole {
                    Some(words) => parse_change(&words.words, shell.span.end),
                    None => first_of_chain(doc, run),
                };
                return change.map(|c| (j, c));
            }
            Instruction::Env(_)
            | Instruction::Arg(_)
            | Instruction::Label(_)
            | Instruction::Expose(_)
            | Instruction::Cmd(_)
            | Instruction::Entrypoint(_)
            | Instruction::Healthcheck(_)
            | Instruction::Stopsignal(_)
            | Instruction::Maintainer(_) => {}
            _ => return None,
        }
    }
    None
}

/// A change that is the first command of a longer `RUN`, with the edit
/// that removes it and the operator after it (`chown -R a:a /app && make`).
fn first_of_chain(doc: &Document<'_>, run: &RunInstruction<'_>) -> Option<Change> {
    let script = doc.script(run).ok()?;
    let first = script.commands.first()?;
    if script.position(0) != Some((0, 0))
        || !first.assignments.is_empty()
        || !first.redirects.is_empty()
    {
        return None;
    }
    let words: Vec<String> = first
        .words
        .iter()
        .map(|w| w.literal().map(|l| l.into_owned()))
        .collect::<Option<_>>()?;
    let removal = script.remove(doc, 0)?;
    let mut change = parse_change(&words, removal.range.end)?;
    change.removal = Some(removal);
    Some(change)
}

fn parse_change(words: &[String], end: usize) -> Option<Change> {
    let (program, rest) = words.split_first()?;
    let flag = match program.as_str() {
        "chown" => "chown",
        "chmod" => "chmod",
        _ => return None,
    };
    let (recursive, rest) = match rest.first().map(String::as_str) {
        Some("-R" | "--recursive") => (true, &rest[1..]),
        _ => (false, rest),
    };
    let [value, path] = rest else { return None };
    let valid = match flag {
        "chown" => is_owner(value),
        _ => (3..=4).contains(&value.len()) && value.bytes().all(|b| (b'0'..=b'7').contains(&b)),
    };
    if !valid || path.starts_with('-') {
        return None;
    }
    Some(Change {
        flag,
        recursive,
        value: value.clone(),
        path: path.clone(),
        end,
        removal: None,
    })
}

/// `user`, `user:group`, `1001:1001`: names without anything a flag value
/// would need quoted.
fn is_owner(value: &str) -> bool {
    let mut parts = value.split(':');
    let valid = |p: &str| {
        !p.is_empty()
            && p.bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'))
    };
    parts.next().is_some_and(valid) && parts.next().is_none_or(valid) && parts.next().is_none()
}

fn normalize(path: &str) -> &str {
    match path.trim_end_matches('/') {
        "" if path.starts_with('/') => "/",
        trimmed => trimmed,
    }
}

/// Whether anything before the copy (at `copy_index` of stage `index`) in
/// the stage or the stages it is built on names `dest`, so that it may exist.
fn named_before(
    doc: &Document<'_>,
    stages: &[Stage<'_, '_>],
    index: usize,
    copy_index: usize,
    dest: &str,
) -> bool {
    if !dest.starts_with('/') {
        return true;
    }
    let dest = normalize(dest);
    let mut current = index;
    let mut instructions = &stages[index].instructions[..copy_index];
    loop {
        let before_start = instructions
            .first()
            .map_or(stages[current].from.from.span.end, |i| {
                keyword_span(i).start
            });
        let end = instructions.last().map_or(before_start, |_| {
            stages[current]
                .instructions
                .get(instructions.len())
                .map_or(doc.text.len(), |i| keyword_span(i).start)
        });
        if mentions(&doc.text[before_start..end], dest) {
            return true;
        }
        let image = &stages[current].from.image.value;
        let parent = (0..current).rev().find(|&i| {
            stages[i]
                .from
                .as_
                .as_ref()
                .is_some_and(|(_, n)| n.value.eq_ignore_ascii_case(image))
        });
        match parent {
            Some(p) => {
                current = p;
                instructions = stages[p].instructions;
            }
            None => return false,
        }
    }
}

/// `text` names `path` or a path below it, as a word of its own.
fn mentions(text: &str, path: &str) -> bool {
    text.match_indices(path).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + path.len()..].chars().next();
        !before.is_some_and(|c| c.is_alphanumeric() || matches!(c, '/' | '_' | '-' | '.'))
            && !after.is_some_and(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.'))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(s: &str) -> Option<(bool, String, String)> {
        let words: Vec<String> = s.split(' ').map(String::from).collect();
        parse_change(&words, 0).map(|c| (c.recursive, c.value, c.path))
    }

    #[test]
    fn plain_changes() {
        assert_eq!(
            change("chown -R app:app /srv"),
            Some((true, "app:app".into(), "/srv".into()))
        );
        assert_eq!(
            change("chmod 0755 /entry.sh"),
            Some((false, "0755".into(), "/entry.sh".into()))
        );
        assert_eq!(change("chown app /a /b"), None);
        assert_eq!(change("chmod +x /a"), None);
        assert_eq!(change("chown -h app /a"), None);
        assert_eq!(change("chown app:g:x /a"), None);
    }

    #[test]
    fn paths_named_in_text() {
        assert!(mentions("WORKDIR /app\n", "/app"));
        assert!(mentions("RUN mkdir -p /app/data\n", "/app"));
        assert!(!mentions("COPY x /application\n", "/app"));
        assert!(!mentions("COPY x /srv/app\n", "/app"));
        assert_eq!(normalize("/app/"), "/app");
        assert_eq!(normalize("/"), "/");
    }
}
