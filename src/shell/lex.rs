//! Shell text split into words and operators, with byte ranges.
//!
//! The tokens are those of bash's grammar (with `extglob`): words keep
//! their quotes, `$(…)`, `${…}`, `$((…))`, backticks and extended globs
//! whole; operators are `&&`, `|`, `;;`, redirections and newlines;
//! comments and line continuations between words are dropped. Here-documents
//! and extended globs (`!(…)`) are not read. It is
//! checked against `brush-parser`'s tokenizer on every corpus script and on
//! mutated scripts (`tests/shell_lexer.rs`): where it accepts a script, the
//! tokens are the same. It replaced that tokenizer and brush's grammar pass
//! in the hot path, which took two thirds of a corpus `check`
//! (`docs/shell-parser.md`). Anything it cannot delimit for sure (an
//! unclosed quote, process substitution) makes the script unsupported.

use std::ops::Range;

use super::scan::Unsupported;

/// A token with its byte range in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tok<'t> {
    pub text: &'t str,
    pub range: Range<usize>,
    pub operator: bool,
}

impl Tok<'_> {
    pub fn is_op(&self, op: &str) -> bool {
        self.operator && self.text == op
    }
    pub fn is_word(&self, word: &str) -> bool {
        !self.operator && self.text == word
    }
}

/// Operators, longer before their prefixes.
const OPERATORS: &[&str] = &[
    ";;&", "&>>", "<<<", "<<-", "&&", "||", "|&", ";;", ";&", "<<", "<&", "<>", ">>", ">&", ">|",
    "&>", "&", "|", ";", "(", ")", "<", ">", "\n",
];

/// The operator `text` is, as a constant (`""` if it is none).
pub fn operator(text: &str) -> &'static str {
    OPERATORS
        .iter()
        .find(|op| **op == text)
        .copied()
        .unwrap_or("")
}

/// Deeper nesting of quotes and substitutions is not read.
const MAX_NESTING: usize = 64;

const SYNTAX: Unsupported = Unsupported("shell syntax");
const EXTGLOB: Unsupported = Unsupported("extended glob");

/// `@(`, `!(`, `+(`, `*(` or `?(` at `i`: an extended glob (bash reads
/// them even after a backslash or inside `${…}`).
fn is_extglob(bytes: &[u8], i: usize) -> bool {
    matches!(bytes.get(i), Some(b'@' | b'!' | b'+' | b'*' | b'?'))
        && bytes.get(i + 1) == Some(&b'(')
}

/// Bytes that end a word outside quotes.
fn is_meta(b: u8) -> bool {
    matches!(
        b,
        b' ' | b'\t' | b'\n' | b'|' | b'&' | b';' | b'(' | b')' | b'<' | b'>'
    )
}

/// The tokens of `text`.
pub fn lex(text: &str) -> Result<Vec<Tok<'_>>, Unsupported> {
    let bytes = text.as_bytes();
    let mut tokens = Vec::new();
    let mut i = 0;
    loop {
        // Blanks and line continuations between tokens.
        while i < bytes.len() {
            match bytes[i] {
                b' ' | b'\t' => i += 1,
                b'\\' if bytes.get(i + 1) == Some(&b'\n') => i += 2,
                _ => break,
            }
        }
        let Some(&b) = bytes.get(i) else { break };
        if b == b'#' {
            i += bytes[i..]
                .iter()
                .position(|&b| b == b'\n')
                .unwrap_or(bytes.len() - i);
            // Shells differ on a comment that ends like a continuation.
            if i > 0 && bytes[i - 1] == b'\\' {
                return Err(Unsupported("comment ending in a backslash"));
            }
            continue;
        }
        if matches!(b, b'<' | b'>') && bytes.get(i + 1) == Some(&b'(') {
            return Err(Unsupported("process substitution"));
        }
        if let Some(op) = OPERATORS
            .iter()
            .find(|op| bytes[i..].starts_with(op.as_bytes()))
        {
            if matches!(*op, "<<" | "<<-") {
                return Err(Unsupported("here-document"));
            }
            tokens.push(Tok {
                text: &text[i..i + op.len()],
                range: i..i + op.len(),
                operator: true,
            });
            i += op.len();
            continue;
        }
        let end = word_end(bytes, i)?;
        tokens.push(Tok {
            text: &text[i..end],
            range: i..end,
            operator: false,
        });
        i = end;
    }
    Ok(tokens)
}

/// The end of the word that starts at `i`.
fn word_end(bytes: &[u8], mut i: usize) -> Result<usize, Unsupported> {
    while let Some(&b) = bytes.get(i) {
        match b {
            _ if is_meta(b) => break,
            // A continuation inside a word joins it with what follows,
            // unless a blank or operator follows: then it ends the word.
            b'\\' if bytes.get(i + 1) == Some(&b'\n') => {
                let mut next = i + 2;
                while bytes[next..].starts_with(b"\\\n") {
                    next += 2;
                }
                match bytes.get(next) {
                    Some(&b) if !is_meta(b) => i = next,
                    _ => break,
                }
            }
            b'\\' if i + 1 == bytes.len() => return Err(SYNTAX),
            b'\\' if is_extglob(bytes, i + 1) => return Err(EXTGLOB),
            b'\\' => i += 2,
            b'\'' => i = single_quoted(bytes, i + 1)?,
            b'"' => i = double_quoted(bytes, i + 1, 0)?,
            b'`' => i = backquoted(bytes, i + 1)?,
            b'$' => i = dollar(bytes, i, 0, false)?,
            _ if is_extglob(bytes, i) => return Err(EXTGLOB),
            _ => i += 1,
        }
    }
    Ok(i)
}

/// After `'`: the end of the single-quoted part.
fn single_quoted(bytes: &[u8], from: usize) -> Result<usize, Unsupported> {
    let close = bytes[from..]
        .iter()
        .position(|&b| b == b'\'')
        .ok_or(SYNTAX)?;
    Ok(from + close + 1)
}

/// After `$'`: the end of the ANSI-C quoted part (backslash escapes).
fn ansi_quoted(bytes: &[u8], mut i: usize) -> Result<usize, Unsupported> {
    while let Some(&b) = bytes.get(i) {
        match b {
            b'\\' => i += 2,
            b'\'' => return Ok(i + 1),
            _ => i += 1,
        }
    }
    Err(SYNTAX)
}

/// After `"`: the end of the double-quoted part.
fn double_quoted(bytes: &[u8], mut i: usize, depth: usize) -> Result<usize, Unsupported> {
    while let Some(&b) = bytes.get(i) {
        match b {
            b'\\' => i += 2,
            b'"' => return Ok(i + 1),
            b'`' => i = backquoted(bytes, i + 1)?,
            b'$' => i = dollar(bytes, i, depth + 1, true)?,
            _ => i += 1,
        }
    }
    Err(SYNTAX)
}

/// After `` ` ``: the end of the backquoted command.
fn backquoted(bytes: &[u8], mut i: usize) -> Result<usize, Unsupported> {
    while let Some(&b) = bytes.get(i) {
        match b {
            b'\\' => i += 2,
            b'`' => return Ok(i + 1),
            _ => i += 1,
        }
    }
    Err(SYNTAX)
}

/// At `$`: the end of the expansion it starts (or just past a `$` that
/// starts none). Inside double quotes, `$'` and `$"` quote nothing.
fn dollar(bytes: &[u8], i: usize, depth: usize, in_quotes: bool) -> Result<usize, Unsupported> {
    if depth > MAX_NESTING {
        return Err(Unsupported("nested too deeply"));
    }
    match bytes.get(i + 1) {
        Some(b'(') => parenthesized(bytes, i + 2, depth + 1),
        Some(b'{') => braced(bytes, i + 2, depth + 1),
        Some(b'\'') if !in_quotes => ansi_quoted(bytes, i + 2),
        Some(b'"') if !in_quotes => double_quoted(bytes, i + 2, depth + 1),
        Some(b'[') => Err(Unsupported("arithmetic $[…]")),
        _ => Ok(i + 1),
    }
}

/// Inside `$(…)` or `${…}`: the end of the escape, quoted part or
/// expansion that starts at `i`, or `None` for any other byte.
fn nested_part(bytes: &[u8], i: usize, depth: usize) -> Option<Result<usize, Unsupported>> {
    Some(match bytes[i] {
        b'\\' => Ok(i + 2),
        b'\'' => single_quoted(bytes, i + 1),
        b'"' => double_quoted(bytes, i + 1, depth + 1),
        b'`' => backquoted(bytes, i + 1),
        b'$' => dollar(bytes, i, depth + 1, false),
        _ if is_extglob(bytes, i) => Err(EXTGLOB),
        _ => return None,
    })
}

/// After the opening `(` of `$(` or `$((`: the end of the balanced text up
/// to its `)`, quotes and substitutions skipped.
fn parenthesized(bytes: &[u8], mut i: usize, depth: usize) -> Result<usize, Unsupported> {
    if depth > MAX_NESTING {
        return Err(Unsupported("nested too deeply"));
    }
    let mut open = 1usize;
    while let Some(&b) = bytes.get(i) {
        if let Some(end) = nested_part(bytes, i, depth) {
            i = end?;
            continue;
        }
        match b {
            // A comment there could hide the closing parenthesis.
            b'#' if matches!(
                bytes[i - 1],
                b'(' | b' ' | b'\t' | b'\n' | b';' | b'|' | b'&'
            ) =>
            {
                return Err(Unsupported("comment in a command substitution"));
            }
            b'(' => open += 1,
            b')' => {
                open -= 1;
                if open == 0 {
                    return Ok(i + 1);
                }
            }
            _ => {}
        }
        i += 1;
    }
    Err(SYNTAX)
}

/// After `${`: the end of the parameter expansion, at the first `}` not
/// quoted or inside a nested expansion (braces do not nest there).
fn braced(bytes: &[u8], mut i: usize, depth: usize) -> Result<usize, Unsupported> {
    while let Some(&b) = bytes.get(i) {
        if let Some(end) = nested_part(bytes, i, depth) {
            i = end?;
            continue;
        }
        if b == b'}' {
            return Ok(i + 1);
        }
        i += 1;
    }
    Err(SYNTAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<&str> {
        lex(text).unwrap().iter().map(|t| t.text).collect()
    }

    #[test]
    fn splits_words_and_operators() {
        assert_eq!(
            words("a  b&&c|d;e\n"),
            ["a", "b", "&&", "c", "|", "d", ";", "e", "\n"]
        );
        assert_eq!(
            words("x 2>/dev/null &>>log <<<s"),
            ["x", "2", ">", "/dev/null", "&>>", "log", "<<<", "s"]
        );
        assert_eq!(
            words("case a in x) b;; esac"),
            ["case", "a", "in", "x", ")", "b", ";;", "esac"]
        );
    }

    #[test]
    fn keeps_quotes_and_substitutions_whole() {
        assert_eq!(
            words(r#"echo "a b" 'c d' e\ f"#),
            ["echo", "\"a b\"", "'c d'", "e\\ f"]
        );
        assert_eq!(
            words("v=$(a | b) w=`c; d` x=${y:-'}'}"),
            ["v=$(a | b)", "w=`c; d`", "x=${y:-'}'}"]
        );
        assert_eq!(
            words("echo $((1 + (2))) \"$(f \")\")\""),
            ["echo", "$((1 + (2)))", "\"$(f \")\")\""]
        );
        assert_eq!(words("ls $'it\\'s'"), ["ls", "$'it\\'s'"]);
    }

    #[test]
    fn drops_comments_and_continuations() {
        assert_eq!(words("a # b c\nd"), ["a", "\n", "d"]);
        assert_eq!(words("a#b \\\n  c"), ["a#b", "c"]);
        assert_eq!(words("ab\\\ncd"), ["ab\\\ncd"]);
        assert_eq!(lex("ab \\\n").unwrap()[0].range, 0..2);
    }

    #[test]
    fn rejects_what_it_cannot_delimit() {
        for text in [
            "echo 'a",
            "echo \"a",
            "echo $(a",
            "echo `a",
            "echo ${a",
            "diff <(a) b",
            "ls !(a|b)",
            "cat <<EOF",
            "a\\",
            "${a!(b}",
            "$[1]",
        ] {
            assert!(lex(text).is_err(), "{text}");
        }
        let deep = "$(".repeat(100);
        assert!(lex(&deep).is_err());
    }
}
