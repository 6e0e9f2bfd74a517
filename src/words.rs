//! Words as they are meant: a shell-form command joined from its
//! continuation lines and split into words when the shell would interpret
//! nothing in it ([`plain_words`]), and the words of instructions that
//! BuildKit reads itself — `ADD`/`COPY` sources and destinations, `USER`,
//! `WORKDIR` — with its quotes and escapes removed ([`build_word`]). Rules
//! decide on these values, never on the text as written: `ADD "app.tgz" /x/`
//! unpacks `app.tgz`.

use std::borrow::Cow;

use parse_dockerfile::Command;

/// The command as the shell receives it: continuation lines joined, and the
/// comment or empty lines inside them removed. Also says whether there were
/// comment lines.
pub fn logical_line(raw: &str, escape: char) -> (String, bool) {
    let mut out = String::with_capacity(raw.len());
    let mut has_comments = false;
    let mut continued = false;
    for line in raw.split_inclusive('\n') {
        let body = line.trim_end_matches(['\n', '\r']);
        if continued {
            let trimmed = body.trim_start();
            if trimmed.starts_with('#') {
                has_comments = true;
                continue;
            }
            if trimmed.is_empty() {
                continue;
            }
        }
        let without_ws = body.trim_end_matches([' ', '\t']);
        match without_ws.strip_suffix(escape) {
            Some(head) if !ends_with_escaped_escape(head, escape) => {
                out.push_str(head);
                continued = true;
            }
            _ => {
                out.push_str(body);
                continued = false;
            }
        }
    }
    (out, has_comments)
}

/// The text of a `RUN`, `CMD` or `ENTRYPOINT` command as a shell would
/// read it: shell form with continuation lines joined, exec form with its
/// arguments joined by spaces.
pub fn command_text(command: &Command<'_>, escape: char) -> String {
    match command {
        Command::Shell(shell) => logical_line(shell.value, escape).0,
        Command::Exec(args) => args
            .value
            .iter()
            .map(|a| a.value.as_ref())
            .collect::<Vec<_>>()
            .join(" "),
        _ => String::new(),
    }
}

/// Words of shell text for recognising programs: split at blanks and shell
/// operators, quotes removed. Not exact; never used to edit.
pub fn rough_words(text: &str) -> Vec<Cow<'_, str>> {
    fn push<'t>(words: &mut Vec<Cow<'t, str>>, word: &'t str, quoted: bool) {
        if !quoted {
            words.push(Cow::Borrowed(word));
            return;
        }
        let bare: String = word
            .chars()
            .filter(|c| !matches!(c, '\'' | '"' | '\\'))
            .collect();
        if !bare.is_empty() {
            words.push(Cow::Owned(bare));
        }
    }
    let mut words = Vec::new();
    let (mut start, mut quoted) = (0, false);
    for (i, b) in text.bytes().enumerate() {
        let separator = matches!(b, b';' | b'&' | b'|' | b'(' | b')' | b'`');
        if separator || matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c) {
            if start < i {
                push(&mut words, &text[start..i], quoted);
            }
            if separator {
                words.push(Cow::Borrowed(&text[i..i + 1]));
            }
            start = i + 1;
            quoted = false;
        } else if matches!(b, b'\'' | b'"' | b'\\') {
            quoted = true;
        }
    }
    if start < text.len() {
        push(&mut words, &text[start..], quoted);
    }
    words
}

/// A shell operator [`rough_words`] keeps as a word of its own.
pub fn is_separator(word: &str) -> bool {
    matches!(word, ";" | "&" | "|" | "(" | ")" | "`")
}

/// `\\` at the end of a line is an escaped escape, not a continuation.
fn ends_with_escaped_escape(head: &str, escape: char) -> bool {
    head.chars().rev().take_while(|&c| c == escape).count() % 2 == 1
}

/// A command the shell would run without interpreting anything.
#[derive(Debug, PartialEq, Eq)]
pub struct PlainCommand {
    pub words: Vec<String>,
    /// It started with `exec` (dropped from `words`).
    pub exec: bool,
}

/// The words the shell would pass to `exec` unchanged, or `None` when
/// anything in the command needs the shell to mean what it says.
pub fn plain_words(command: &str) -> Option<PlainCommand> {
    let mut words = Vec::new();
    let mut chars = command.chars().peekable();
    loop {
        while chars.next_if(|c| *c == ' ' || *c == '\t').is_some() {}
        if chars.peek().is_none() {
            break;
        }
        let mut word = String::new();
        let mut quoted = false;
        if matches!(chars.peek(), Some('#' | '~')) {
            return None;
        }
        while let Some(&c) = chars.peek() {
            match c {
                ' ' | '\t' => break,
                '\'' => {
                    chars.next();
                    quoted = true;
                    loop {
                        match chars.next()? {
                            '\'' => break,
                            c => word.push(c),
                        }
                    }
                }
                '"' => {
                    chars.next();
                    quoted = true;
                    loop {
                        match chars.next()? {
                            '"' => break,
                            '$' | '`' | '\\' => return None,
                            c => word.push(c),
                        }
                    }
                }
                '|' | '&' | ';' | '<' | '>' | '(' | ')' | '$' | '`' | '\\' | '*' | '?' | '['
                | ']' | '{' | '}' | '~' | '\n' | '\r' => return None,
                c => {
                    chars.next();
                    word.push(c);
                }
            }
        }
        if !quoted && words.is_empty() && is_assignment(&word) {
            return None;
        }
        words.push(word);
    }
    let exec = words.first().is_some_and(|w| w == "exec");
    if exec {
        words.remove(0);
        if words.first().is_some_and(|w| w.starts_with('-')) {
            return None;
        }
    }
    let first = words.first()?;
    if SHELL_ONLY.contains(&first.as_str()) || first.is_empty() {
        return None;
    }
    Some(PlainCommand { words, exec })
}

/// Built-ins and keywords that are no program `exec` could start.
const SHELL_ONLY: &[&str] = &[
    "!", ".", ":", "alias", "break", "case", "cd", "continue", "eval", "exec", "exit", "export",
    "for", "function", "if", "local", "readonly", "return", "select", "set", "shift", "source",
    "then", "trap", "ulimit", "umask", "unalias", "unset", "until", "wait", "while", "[[",
];

/// A shell built-in or keyword that no program `exec` could start.
pub fn is_shell_builtin(name: &str) -> bool {
    SHELL_ONLY.contains(&name)
}

fn is_assignment(word: &str) -> bool {
    let Some((name, _)) = word.split_once('=') else {
        return false;
    };
    let mut bytes = name.bytes();
    bytes
        .next()
        .is_some_and(|b| b.is_ascii_alphabetic() || b == b'_')
        && bytes.all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

/// A word of an instruction as BuildKit reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildWord {
    /// The value: quotes and escapes removed; a variable reference stays as
    /// written (`$X`, `${X:-d}`), since its value is known only at build time.
    pub value: String,
    /// It holds a variable reference.
    pub variables: bool,
}

impl BuildWord {
    /// The value, when no variable makes it unknown.
    pub fn literal(&self) -> Option<&str> {
        (!self.variables).then_some(self.value.as_str())
    }
}

/// Reads a word of `ADD`, `COPY`, `USER`, `WORKDIR`, `FROM`… the way
/// BuildKit's word expansion does before it uses it (its shell lexer, not a
/// shell): outside quotes the escape character takes the next character
/// literally; single quotes keep everything; inside double quotes the
/// escape character escapes only `"`, `$` and itself; `$NAME`, `${…}` are
/// variables. The JSON form's strings go through the same expansion.
/// `None` for a quote that is not closed (BuildKit's error).
pub fn build_word(raw: &str, escape: char) -> Option<BuildWord> {
    let mut value = String::with_capacity(raw.len());
    let mut variables = false;
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\'' => loop {
                match chars.next()? {
                    '\'' => break,
                    c => value.push(c),
                }
            },
            '"' => loop {
                match chars.next()? {
                    '"' => break,
                    '$' => variables |= dollar(&mut chars, &mut value),
                    c if c == escape => match chars.peek() {
                        Some(&next) if next == '"' || next == '$' || next == escape => {
                            value.push(next);
                            chars.next();
                        }
                        Some(_) => value.push(c),
                        None => {}
                    },
                    c => value.push(c),
                }
            },
            '$' => variables |= dollar(&mut chars, &mut value),
            c if c == escape => {
                if let Some(next) = chars.next() {
                    value.push(next);
                }
            }
            c => value.push(c),
        }
    }
    Some(BuildWord { value, variables })
}

/// After a `$`: copies a variable reference as written and says `true`, or
/// a lone `$` (BuildKit keeps it) and says `false`.
fn dollar(chars: &mut std::iter::Peekable<std::str::Chars<'_>>, out: &mut String) -> bool {
    out.push('$');
    match chars.peek() {
        Some('{') => {
            let mut depth = 0;
            for c in chars.by_ref() {
                out.push(c);
                match c {
                    '{' => depth += 1,
                    '}' => {
                        depth -= 1;
                        if depth == 0 {
                            break;
                        }
                    }
                    _ => {}
                }
            }
            true
        }
        Some(&c) if c.is_alphanumeric() || c == '_' || "@*#?$!-".contains(c) => {
            out.push(c);
            chars.next();
            if c.is_alphabetic() || c == '_' {
                while let Some(&c) = chars.peek().filter(|c| c.is_alphanumeric() || **c == '_') {
                    out.push(c);
                    chars.next();
                }
            }
            true
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Option<Vec<String>> {
        plain_words(s).map(|c| c.words)
    }

    #[test]
    fn plain_word_lists() {
        assert_eq!(
            words("python app.py --port 80").unwrap(),
            ["python", "app.py", "--port", "80"]
        );
        assert_eq!(
            words("exec nginx -g 'daemon off;'").unwrap(),
            ["nginx", "-g", "daemon off;"]
        );
        assert_eq!(
            words("a \"b c\" --x=\"y z\"").unwrap(),
            ["a", "b c", "--x=y z"]
        );
        assert_eq!(words("run ''").unwrap(), ["run", ""]);
    }

    #[test]
    fn needs_a_shell() {
        for s in [
            "echo $HOME",
            "a && b",
            "a | b",
            "a; b",
            "a > f",
            "ls *.txt",
            "cd /x",
            "FOO=1 app",
            "~/bin/app",
            "echo `date`",
            "echo \"$X\"",
            "a \\ b",
            "(a)",
            "echo {a,b}",
            "'unterminated",
            "exec -a name app",
            "# comment",
        ] {
            assert_eq!(words(s), None, "{s}");
        }
    }

    #[test]
    fn continuations_are_joined() {
        let (line, comments) = logical_line("python \\\n    app.py \\\n  --debug", '\\');
        assert_eq!(line, "python     app.py   --debug");
        assert!(!comments);
        let (line, comments) = logical_line("a `\r\n  # note\r\n  b", '`');
        assert_eq!(line, "a   b");
        assert!(comments);
        let (line, _) = logical_line("a \\\\", '\\');
        assert_eq!(line, "a \\\\");
    }

    fn build(raw: &str, escape: char) -> Option<(String, bool)> {
        build_word(raw, escape).map(|w| (w.value, w.variables))
    }

    #[test]
    fn words_as_buildkit_reads_them() {
        let plain = |s: &str| Some((s.to_owned(), false));
        assert_eq!(build("\"file.tgz\"", '\\'), plain("file.tgz"));
        assert_eq!(build("'file.tar.gz'", '\\'), plain("file.tar.gz"));
        assert_eq!(build("app\\.tgz", '\\'), plain("app.tgz"));
        assert_eq!(build("a\"b c\"'d'", '\\'), plain("ab cd"));
        // Inside double quotes only `"`, `$` and the escape are escaped.
        assert_eq!(build("\"a\\b\\\"c\"", '\\'), plain("a\\b\"c"));
        // A backtick escape leaves backslashes alone (Windows paths).
        assert_eq!(build("C:\\app\\x.zip", '`'), plain("C:\\app\\x.zip"));
        assert_eq!(build("a`.tgz", '`'), plain("a.tgz"));
        assert_eq!(build("'$X'", '\\'), plain("$X"));
        assert_eq!(build("cost$", '\\'), plain("cost$"));
        assert_eq!(build("\\$X.tgz", '\\'), plain("$X.tgz"));
        assert_eq!(
            build("${X:-a}.tgz", '\\'),
            Some(("${X:-a}.tgz".into(), true))
        );
        assert_eq!(build("\"$HOME/x\"", '\\'), Some(("$HOME/x".into(), true)));
        assert_eq!(build("'open", '\\'), None);
        assert_eq!(build("\"open", '\\'), None);
    }
}
