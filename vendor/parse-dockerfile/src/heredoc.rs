// SPDX-License-Identifier: Apache-2.0 OR MIT

// Added by the dockerfix patch (see PATCHES.md): here-document detection on a
// whole RUN line, following BuildKit's frontend/dockerfile/parser
// (`heredocsFromLine`, `ParseHeredoc`, `heredocFromMatch`) and the shell
// lexer it uses (`shell.Lex` with raw quotes and raw escapes).

use alloc::{string::String, vec::Vec};

/// A here-document marker found on an instruction line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Marker {
    /// The delimiter with quotes and escapes removed.
    pub(crate) name: String,
    /// `<<-`: leading tabs are stripped from the body and the delimiter line.
    pub(crate) strip_tab: bool,
    /// `false` when any part of the delimiter was quoted.
    pub(crate) expand: bool,
}

/// The here-document markers of an instruction's arguments, in order.
///
/// `raw` is the argument text as written, with line continuations (the
/// Dockerfile escape character before a newline) and comment lines inside
/// them; like BuildKit, they are joined first. The line is then split into
/// words as BuildKit's shell lexer does (the lexer's escape is always `\`),
/// and each word of the form `[n]<<[-][ ]*word` is a marker.
pub(crate) fn markers(raw: &str, escape: u8) -> Vec<Marker> {
    if !raw.contains("<<") {
        return Vec::new();
    }
    let line = join_continuations(raw, escape);
    let Some(words) = split_raw_words(&line) else {
        return Vec::new();
    };
    words.iter().filter_map(|word| marker(word)).collect()
}

/// BuildKit's logical line: continuation escapes removed, comment lines and
/// empty lines inside a continuation dropped.
fn join_continuations(raw: &str, escape: u8) -> String {
    let mut line = String::with_capacity(raw.len());
    let mut first = true;
    for physical in raw.split('\n') {
        let physical = physical.strip_suffix('\r').unwrap_or(physical);
        if !first {
            let trimmed = physical.trim_start_matches([' ', '\t']);
            if trimmed.is_empty() || trimmed.starts_with('#') {
                continue;
            }
        }
        first = false;
        let without_blanks = physical.trim_end_matches([' ', '\t']);
        match without_blanks.as_bytes().last() {
            Some(&b) if b == escape => line.push_str(&without_blanks[..without_blanks.len() - 1]),
            _ => line.push_str(physical),
        }
    }
    line
}

/// Words as BuildKit's lexer gives them with raw quotes and raw escapes:
/// quotes and escapes are kept, whitespace inside them does not split, and
/// `<<` takes the blanks after it into its word. `None` when a quote is not
/// closed (BuildKit then finds no here-document on the line).
fn split_raw_words(line: &str) -> Option<Vec<String>> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            ' ' | '\t' | '\r' | '\n' | '\x0b' | '\x0c' => {
                if in_word {
                    words.push(core::mem::take(&mut word));
                    in_word = false;
                }
            }
            '\'' => {
                word.push(c);
                loop {
                    let c = chars.next()?;
                    word.push(c);
                    if c == '\'' {
                        break;
                    }
                }
                in_word = true;
            }
            '"' => {
                word.push(c);
                loop {
                    let c = chars.next()?;
                    word.push(c);
                    match c {
                        '"' => break,
                        '\\' => word.push(chars.next()?),
                        _ => {}
                    }
                }
                in_word = true;
            }
            '\\' => {
                word.push(c);
                if let Some(next) = chars.next() {
                    word.push(next);
                }
                in_word = true;
            }
            '<' if chars.peek() == Some(&'<') => {
                chars.next();
                word.push_str("<<");
                while let Some(&blank @ (' ' | '\t')) = chars.peek() {
                    word.push(blank);
                    chars.next();
                }
                in_word = true;
            }
            _ => {
                word.push(c);
                in_word = true;
            }
        }
    }
    if in_word {
        words.push(word);
    }
    Some(words)
}

/// BuildKit's `^(\d*)<<(-?)\s*([^<]*)$` on one word, then the delimiter
/// unquoted; it must be exactly one word.
fn marker(word: &str) -> Option<Marker> {
    let rest = word.trim_start_matches(|c: char| c.is_ascii_digit());
    let rest = rest.strip_prefix("<<")?;
    let (strip_tab, rest) = match rest.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, rest),
    };
    let rest = rest.trim_start_matches(|c: char| c.is_ascii_whitespace());
    if rest.is_empty() || rest.contains('<') {
        return None;
    }
    let (name, quoted) = unquote_single_word(rest)?;
    // `<<''` names no delimiter: BuildKit's lexer yields no word for it.
    if name.is_empty() {
        return None;
    }
    Some(Marker { name, strip_tab, expand: !quoted })
}

/// The shell word `s` with quotes and escapes removed, and whether it had
/// quotes; `None` unless `s` is exactly one word.
fn unquote_single_word(s: &str) -> Option<(String, bool)> {
    let mut out = String::new();
    let mut quoted = false;
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                quoted = true;
                loop {
                    match chars.next()? {
                        '\'' => break,
                        c => out.push(c),
                    }
                }
            }
            '"' => {
                quoted = true;
                loop {
                    match chars.next()? {
                        '"' => break,
                        '\\' => {
                            let next = chars.next()?;
                            if !matches!(next, '"' | '\\' | '$' | '`') {
                                out.push('\\');
                            }
                            out.push(next);
                        }
                        c => out.push(c),
                    }
                }
            }
            '\\' => {
                if let Some(next) = chars.next() {
                    out.push(next);
                }
            }
            c if c.is_whitespace() => return None,
            c => out.push(c),
        }
    }
    Some((out, quoted))
}
