//! The shell commands of a `RUN`, with byte spans into the document.
//!
//! A shell-form `RUN` is joined the way BuildKit joins it (see [`join`]),
//! split into tokens ([`lex`]) and read by a recursive-descent scanner into
//! top-level and-or lists, pipelines and simple commands whose words carry
//! document spans. Heredoc `RUN`s whose body is the script are read the same
//! way. `tests/shell_lexer.rs` checks both against brush-parser, a
//! maintained bash parser (`docs/shell-parser.md`).
//!
//! A script with a syntax error, or that uses what this module does not
//! model (here-documents inside the script, `[[ … ]]`, arithmetic `for`), is
//! [`Unsupported`]: rules then report without a fix.

mod join;
pub mod lex;
mod scan;
pub mod style;

use std::borrow::Cow;
use std::ops::Range;
use std::sync::Arc;

use parse_dockerfile::{Command as DockerCommand, RunInstruction};

use crate::document::Document;
pub use join::Joined;
use scan::Scanner;
pub use scan::Unsupported;
pub use style::Style;

/// One word of a command as written (quotes included) and where it is.
#[derive(Clone)]
pub struct Word {
    /// The script's joined text, shared by all its words (one allocation
    /// per script instead of one per word), and the word's part of it.
    text: Arc<str>,
    range: Range<usize>,
    pub span: Range<usize>,
}

impl std::fmt::Debug for Word {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Word")
            .field("raw", &self.raw())
            .field("span", &self.span)
            .finish()
    }
}

impl PartialEq for Word {
    fn eq(&self, other: &Self) -> bool {
        self.raw() == other.raw() && self.span == other.span
    }
}

impl Eq for Word {}

impl Word {
    /// The word as written, quotes included.
    pub fn raw(&self) -> &str {
        &self.text[self.range.clone()]
    }

    /// The word's value when it has no expansion, glob or other shell
    /// magic: quotes and backslash escapes removed. `None` otherwise.
    pub fn literal(&self) -> Option<Cow<'_, str>> {
        literal(self.raw())
    }

    /// Whether the literal value is `s`.
    pub fn is(&self, s: &str) -> bool {
        self.literal().is_some_and(|l| l == s)
    }
}

/// A program name without its directory (`/usr/sbin/gosu` → `gosu`); a
/// byte loop, as names are short.
pub fn program_name(word: &str) -> &str {
    let start = word
        .bytes()
        .rposition(|b| b == b'/')
        .map_or(0, |slash| slash + 1);
    &word[start..]
}

/// The value of a word without quotes, or `None` if the shell would expand
/// anything in it.
pub fn literal(raw: &str) -> Option<Cow<'_, str>> {
    // One pass over the bytes for the common word without quotes.
    let mut quoted = false;
    for b in raw.bytes() {
        match b {
            b'\'' | b'"' | b'\\' => quoted = true,
            b'$' | b'`' | b'*' | b'?' | b'[' | b'{' | b'~' if !quoted => return None,
            _ => {}
        }
    }
    if !quoted {
        return Some(Cow::Borrowed(raw));
    }
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        match c {
            '\'' => loop {
                match chars.next()? {
                    '\'' => break,
                    c => out.push(c),
                }
            },
            '"' => loop {
                match chars.next()? {
                    '"' => break,
                    '$' | '`' => return None,
                    '\\' => match chars.next()? {
                        c @ ('"' | '\\' | '$' | '`') => out.push(c),
                        c => {
                            out.push('\\');
                            out.push(c);
                        }
                    },
                    c => out.push(c),
                }
            },
            '\\' => out.push(chars.next()?),
            '$' | '`' | '*' | '?' | '[' | '{' | '~' => return None,
            c => out.push(c),
        }
    }
    Some(Cow::Owned(out))
}

/// A redirection: `2>/dev/null` is number `2`, operator `>`, target
/// `/dev/null`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redirect {
    pub number: Option<String>,
    pub operator: &'static str,
    pub target: Word,
}

impl Redirect {
    /// Whether standard error (alone or with standard output) goes to
    /// `/dev/null` by this redirection.
    pub fn silences_stderr(&self) -> bool {
        let to_null = self.target.is("/dev/null");
        match (self.number.as_deref(), self.operator) {
            (Some("2"), ">" | ">>") => to_null,
            (None, "&>" | "&>>" | ">&") => to_null,
            _ => false,
        }
    }
}

/// A simple command: assignments, words (name first), redirections.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SimpleCommand {
    pub assignments: Vec<Word>,
    pub words: Vec<Word>,
    pub redirects: Vec<Redirect>,
    /// From its first to its last token, in document bytes.
    pub span: Range<usize>,
    /// Inside a subshell, group, `if` or loop rather than at the top.
    pub nested: bool,
    /// Run in a subshell (`( … )`, a part of a pipeline of several
    /// commands): what it changes in the shell does not outlive it.
    pub subshell: bool,
    /// [`SimpleCommand::program`], found once: every rule asks for it.
    program: Option<String>,
}

impl SimpleCommand {
    /// The command name's literal value (the first word).
    pub fn name(&self) -> Option<Cow<'_, str>> {
        self.words.first()?.literal()
    }

    /// The program name without its directory (`/usr/bin/pip3` → `pip3`).
    pub fn program(&self) -> Option<&str> {
        self.program.as_deref()
    }

    /// The arguments after the name.
    /// The command's words as written, joined by one space (for messages).
    pub fn one_line(&self) -> String {
        let words: Vec<&str> = self.words.iter().map(|w| w.raw()).collect();
        words.join(" ")
    }

    pub fn args(&self) -> &[Word] {
        self.words.get(1..).unwrap_or_default()
    }

    /// Whether every argument is a literal (no expansion the text cannot
    /// tell the value of).
    pub fn all_literal(&self) -> bool {
        self.words.iter().all(|w| w.literal().is_some())
    }
}

/// A pipeline's part of a top-level and-or list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pipeline {
    pub bang: bool,
    /// Simple commands by index into [`Script::commands`]; `None` for a
    /// compound command (subshell, group, `if`, loop, `case`, `[[`).
    pub commands: Vec<Option<usize>>,
    /// The keyword of each compound command, in order.
    pub compound_keywords: Vec<String>,
    pub span: Range<usize>,
}

/// An operator token: `&&`, `||`, `;`, `&` or a newline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Operator {
    pub text: &'static str,
    pub span: Range<usize>,
}

/// A top-level and-or list: pipelines joined by `&&`/`||`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub pipelines: Vec<Pipeline>,
    /// The operator before each pipeline after the first.
    pub operators: Vec<Operator>,
    /// `;`, `&` or newline after it, if any.
    pub terminator: Option<Operator>,
    /// From the first pipeline's start to the last one's end.
    pub span: Range<usize>,
}

/// The commands of one `RUN`.
#[derive(Debug, Clone)]
pub struct Script {
    pub joined: Joined,
    /// Every simple command, in order, nested ones included (those inside
    /// `$(…)` and backticks are part of a word and not listed).
    pub commands: Vec<SimpleCommand>,
    /// The top-level and-or lists.
    pub items: Vec<Item>,
    /// Read from a heredoc body (lines, not continuations).
    pub heredoc: bool,
    /// A pipeline of several commands, at any depth (see [`Script::has_pipe`]).
    pipes: bool,
    /// The whole shell text in the document (for heredocs: the body).
    pub span: Range<usize>,
}

impl Script {
    /// The script of a `RUN`: its shell-form command, or the body of its
    /// only heredoc when that is the script (`RUN <<EOF`, `RUN <<EOF bash`).
    pub fn of_run(doc: &Document<'_>, run: &RunInstruction<'_>) -> Result<Self, Unsupported> {
        let (joined, heredoc, span) = shell_text(doc, run)?;
        Self::parse(joined, heredoc, span)
    }

    /// Parses joined shell text.
    pub fn parse(joined: Joined, heredoc: bool, span: Range<usize>) -> Result<Self, Unsupported> {
        let toks = lex::lex(&joined.text)?;
        let mut scanner = Scanner::new(&toks);
        let list = scanner.script()?;
        let (simples, pipes) = (std::mem::take(&mut scanner.simples), scanner.pipes);
        let ranges: Vec<Range<usize>> = toks
            .iter()
            .map(|t| joined.document_range(t.range.clone()))
            .collect();
        let shared: Arc<str> = Arc::from(joined.text.as_str());
        let take = |i: usize| Word {
            text: Arc::clone(&shared),
            range: toks[i].range.clone(),
            span: ranges[i].clone(),
        };
        let op = |i: usize| lex::operator(toks[i].text);
        let range_of =
            |tokens: &Range<usize>| ranges[tokens.start].start..ranges[tokens.end - 1].end;
        let commands = simples
            .iter()
            .map(|s| SimpleCommand {
                assignments: s.assignments.iter().map(|&i| take(i)).collect(),
                words: s.words.iter().map(|&i| take(i)).collect(),
                redirects: s
                    .redirects
                    .iter()
                    .map(|r| Redirect {
                        number: r.number.map(|n| toks[n].text.to_owned()),
                        operator: op(r.operator),
                        target: take(r.target),
                    })
                    .collect(),
                span: range_of(&s.tokens),
                nested: s.nested,
                subshell: s.subshell,
                program: None,
            })
            .map(|mut c: SimpleCommand| {
                c.program = c.name().map(|name| program_name(&name).to_owned());
                c
            })
            .collect();
        let operator = |i: usize| Operator {
            text: op(i),
            span: ranges[i].clone(),
        };
        let items = list
            .items
            .iter()
            .map(|and_or| {
                let pipelines: Vec<Pipeline> = and_or
                    .pipelines()
                    .map(|p| Pipeline {
                        bang: p.bang,
                        commands: p
                            .commands
                            .iter()
                            .map(|c| match c {
                                scan::Command::Simple(i) => Some(*i),
                                scan::Command::Compound { .. } => None,
                            })
                            .collect(),
                        compound_keywords: p
                            .commands
                            .iter()
                            .filter_map(|c| match c {
                                scan::Command::Compound { keyword, .. } => Some(keyword.clone()),
                                scan::Command::Simple(_) => None,
                            })
                            .collect(),
                        span: range_of(&p.tokens),
                    })
                    .collect();
                let span = pipelines[0].span.start..pipelines[pipelines.len() - 1].span.end;
                Item {
                    operators: and_or.rest.iter().map(|(op, _)| operator(*op)).collect(),
                    terminator: and_or.terminator.map(operator),
                    pipelines,
                    span,
                }
            })
            .collect();
        Ok(Self {
            joined,
            commands,
            items,
            heredoc,
            pipes,
            span,
        })
    }

    /// The simple command that is a whole top-level pipeline on its own:
    /// `(item, pipeline)` indices.
    pub fn position(&self, command: usize) -> Option<(usize, usize)> {
        self.items.iter().enumerate().find_map(|(i, item)| {
            item.pipelines
                .iter()
                .position(|p| p.commands == [Some(command)] && !p.bang)
                .map(|k| (i, k))
        })
    }

    /// Whether the script pipes one command into another, also inside a
    /// command substitution (`$(a | b)`, backticks), which this module does
    /// not parse: there a `|` that is not `||` counts.
    pub fn has_pipe(&self) -> bool {
        self.pipes
            || self.commands.iter().any(|c| {
                c.words.iter().chain(&c.assignments).any(|w| {
                    (w.raw().contains("$(") || w.raw().contains('`')) && has_single_bar(w.raw())
                })
            })
    }

    /// Whether `set -e` (or `-o errexit`) is in force from the top of the
    /// script before item `before`.
    pub fn errexit_before(&self, before: usize) -> bool {
        self.items[..before.min(self.items.len())]
            .iter()
            .any(|item| {
                item.pipelines.len() == 1
                    && item.pipelines[0].commands.len() == 1
                    && item.pipelines[0].commands[0]
                        .is_some_and(|i| sets_errexit(&self.commands[i]))
            })
    }
}

fn has_single_bar(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.iter().enumerate().any(|(i, &b)| {
        b == b'|' && bytes.get(i + 1) != Some(&b'|') && (i == 0 || bytes[i - 1] != b'|')
    })
}

/// `set -e…`, `set -…e…` or `set -o errexit`.
fn sets_errexit(command: &SimpleCommand) -> bool {
    if command.name().as_deref() != Some("set") {
        return false;
    }
    let args: Vec<_> = command.args().iter().map(Word::literal).collect();
    args.iter()
        .enumerate()
        .any(|(i, arg)| match arg.as_deref() {
            Some(a) if a.starts_with('-') && !a.starts_with("--") => {
                a.contains('e')
                    || (a.ends_with('o')
                        && args.get(i + 1).and_then(|n| n.as_deref()) == Some("errexit"))
            }
            _ => false,
        })
}

/// The shell text of a `RUN` as the shell reads it (continuations
/// joined), whether it is a heredoc body, and its span in the document.
pub fn shell_text(
    doc: &Document<'_>,
    run: &RunInstruction<'_>,
) -> Result<(Joined, bool, Range<usize>), Unsupported> {
    let DockerCommand::Shell(shell) = &run.arguments else {
        return Err(Unsupported("exec form"));
    };
    match run.here_docs.as_slice() {
        [] => Ok((
            Joined::continuation_lines(shell.value, shell.span.start, doc.escape),
            false,
            shell.span.clone(),
        )),
        [body] if heredoc_is_script(shell.value) => {
            if doc.text.get(body.span.clone()) != Some(body.value.as_ref()) {
                return Err(Unsupported("heredoc with stripped tabs"));
            }
            if !shebang_is_posix(&body.value) {
                return Err(Unsupported("heredoc script for another interpreter"));
            }
            Ok((
                Joined::verbatim(&body.value, body.span.start),
                true,
                body.span.clone(),
            ))
        }
        _ => Err(Unsupported("heredoc")),
    }
}

/// The arguments of a heredoc `RUN` that make its body the script: the
/// marker alone (`<<EOF`), or followed by a POSIX shell reading the body from
/// standard input (`<<EOF bash -e`).
fn heredoc_is_script(arguments: &str) -> bool {
    let mut words = arguments.split_whitespace();
    if !words.next().is_some_and(|marker| marker.starts_with("<<")) {
        return false;
    }
    match words.next() {
        None => true,
        Some(shell) => {
            matches!(
                shell,
                "sh" | "bash" | "/bin/sh" | "/bin/bash" | "ash" | "dash"
            ) && words.all(|w| w.starts_with('-') && w.len() > 1 && !w.contains('c'))
        }
    }
}

/// A body that starts with a `#!` line for something else than a POSIX
/// shell is run by that program.
fn shebang_is_posix(body: &str) -> bool {
    let Some(line) = body.strip_prefix("#!") else {
        return true;
    };
    let line = line.lines().next().unwrap_or_default();
    let mut words = line.split_whitespace();
    let mut program = words.next().unwrap_or_default();
    if program.ends_with("/env") {
        program = words.next().unwrap_or_default();
    }
    matches!(
        program.rsplit('/').next().unwrap_or(program),
        "sh" | "bash" | "ash" | "dash"
    )
}

/// The flags of a `RUN --mount=…` of type cache or tmpfs, by target.
pub fn cache_mount_targets(run: &RunInstruction<'_>) -> Vec<String> {
    let mut targets = Vec::new();
    for flag in &run.options {
        if flag.name.value != "mount" {
            continue;
        }
        let Some(value) = &flag.value else { continue };
        let mut kind = "bind";
        let mut target = None;
        for field in value.value.split(',') {
            let (key, val) = field.split_once('=').unwrap_or((field, ""));
            match key.trim() {
                "type" => kind = val.trim(),
                "target" | "dst" | "destination" => target = Some(val.trim().trim_matches('"')),
                _ => {}
            }
        }
        if matches!(kind, "cache" | "tmpfs")
            && let Some(target) = target
        {
            targets.push(target.to_owned());
        }
    }
    targets
}

#[cfg(test)]
mod tests;
