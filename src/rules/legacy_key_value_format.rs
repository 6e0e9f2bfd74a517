//! ## What it does
//! Rewrites the legacy `ENV key value` and `LABEL key value` forms as
//! `key=value`: `ENV NODE_VERSION 20.11.1` becomes
//! `ENV NODE_VERSION=20.11.1`, and a value of several words is quoted:
//! `LABEL description My web app` becomes
//! `LABEL description="My web app"`.
//!
//! ## Why is this bad?
//! The form with a blank between key and value is deprecated; it sets one
//! variable whose value is the whole rest of the line, which reads like
//! several words, and it cannot be mixed with `key=value` pairs. BuildKit
//! warns about it (LegacyKeyValueFormat).
//!
//! ## Example
//! ```dockerfile
//! ENV JAVA_OPTS -Xms256m -Xmx512m
//! ```
//!
//! Use instead:
//! ```dockerfile
//! ENV JAVA_OPTS="-Xms256m -Xmx512m"
//! ```
//!
//! ## Fix safety
//! Safe: BuildKit reads the legacy value as one word up to the end of the
//! line (continuation lines joined, the blanks between the words kept),
//! and the new form gives it the same value: a value that is one word
//! already gets just an `=`; a value of several words is wrapped in double
//! quotes only when it holds no quote and no escape character (inside
//! double quotes only `$` stays special, as it is without them). Other
//! values, and key/value gaps holding comment lines, are reported without
//! a fix.

use std::ops::Range;

use parse_dockerfile::{Instruction, UnescapedString};

use super::{FixKind, Report, Rule};
use crate::document::Document;
use crate::edits::{Applicability, Edit, Fix};
use crate::lexer;
use crate::shell::Joined;
use crate::shell::style::holds_comment;

pub static RULE: Rule = Rule {
    id: "legacy-key-value-format",
    codes: &["LegacyKeyValueFormat"],
    fix: FixKind::Always(Applicability::Safe),
    summary: "Use ENV/LABEL key=value instead of the legacy `key value` form",
    source: include_str!("legacy_key_value_format.rs"),
    check,
};

fn check(doc: &Document<'_>, report: &mut Report) {
    for stage in doc.stages() {
        for instruction in stage.instructions {
            let (keyword, arguments) = match instruction {
                Instruction::Env(env) => (&env.env.span, &env.arguments),
                Instruction::Label(label) => (&label.label.span, &label.arguments),
                _ => continue,
            };
            let Some(legacy) = legacy(doc, arguments) else {
                continue;
            };
            let name = &doc.text[keyword.clone()];
            let message = format!(
                "\"{name} key=value\" should be used instead of legacy \"{name} key value\" format"
            );
            let span = keyword.start..arguments.span.end;
            report.push(span, message, fix(doc, &legacy).map(Fix::safe));
        }
    }
}

/// A legacy `key value` argument: the joined text and where the key ends
/// and the value starts in it.
struct Legacy {
    joined: Joined,
    key_end: usize,
    value_start: usize,
}

fn legacy(doc: &Document<'_>, arguments: &UnescapedString<'_>) -> Option<Legacy> {
    // The common `key=value`: its first blank-separated piece has the `=`
    // (the first word, read with quotes, is at least that long).
    let first_piece = arguments.value.split([' ', '\t']).next().unwrap_or("");
    if first_piece.contains('=') {
        return None;
    }
    let raw = &doc.text[arguments.span.clone()];
    let joined = Joined::continuation_lines(raw, arguments.span.start, doc.escape);
    let first = lexer::words(&joined.text, doc.escape).into_iter().next()?;
    if joined.text[first].contains('=') {
        return None;
    }
    // BuildKit splits the key off at the first run of blanks.
    let blank = |c: char| matches!(c, ' ' | '\t' | '\u{b}' | '\u{c}' | '\r');
    let key_end = joined.text.find(blank)?;
    let value_start = joined.text[key_end..]
        .find(|c: char| !blank(c))
        .map_or(joined.text.len(), |i| key_end + i);
    Some(Legacy {
        joined,
        key_end,
        value_start,
    })
}

/// The edits that write `key=value` with the same value.
fn fix(doc: &Document<'_>, legacy: &Legacy) -> Option<Vec<Edit>> {
    let text = &legacy.joined.text;
    let key = &text[..legacy.key_end];
    let value = &text[legacy.value_start..];
    let escape = doc.escape;
    if key.contains(['"', '\'', escape]) || value.is_empty() {
        return None;
    }
    let gap = legacy
        .joined
        .document_range(legacy.key_end..legacy.value_start);
    if holds_comment(&doc.text[gap.clone()]) {
        return None;
    }
    let words: Vec<Range<usize>> = lexer::words(value, escape);
    if words.len() == 1 && words[0] == (0..value.len()) {
        return Some(vec![Edit::replace(gap, "=")]);
    }
    if value.contains(['"', '\'', escape]) {
        return None;
    }
    let end = legacy
        .joined
        .document_range(legacy.value_start..text.len())
        .end;
    Some(vec![Edit::replace(gap, "=\""), Edit::insert(end, "\"")])
}
