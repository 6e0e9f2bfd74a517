//! ## What it does
//! Removes empty lines inside an instruction continued over several lines:
//!
//! ```dockerfile
//! RUN apt-get update && \
//!
//!     apt-get install -y curl
//! ```
//!
//! loses its empty line.
//!
//! ## Why is this bad?
//! BuildKit skips an empty line inside a continuation today, but warns that
//! it will become an error (NoEmptyContinuation); to a reader the empty
//! line looks like the end of the instruction. Comment lines inside a
//! continuation are fine and stay.
//!
//! ## Example
//! ```dockerfile
//! COPY package.json \
//!
//!      package-lock.json /app/
//! ```
//!
//! Use instead:
//! ```dockerfile
//! COPY package.json \
//!      package-lock.json /app/
//! ```
//!
//! ## Fix safety
//! Safe: BuildKit drops the empty lines before it reads the instruction,
//! so the instruction is the same.

use std::ops::Range;

use super::{FixKind, Report, Rule};
use crate::document::Document;
use crate::edits::{Applicability, Edit, Fix};

pub static RULE: Rule = Rule {
    id: "no-empty-continuation",
    codes: &["NoEmptyContinuation"],
    fix: FixKind::Always(Applicability::Safe),
    summary: "Remove empty lines inside continued instructions",
    source: include_str!("no_empty_continuation.rs"),
    check,
};

fn check(doc: &Document<'_>, report: &mut Report) {
    for start in doc.instruction_starts() {
        let (empty, end) = empty_lines(doc, start);
        let Some(first) = empty.first() else { continue };
        let span = first.start..end;
        let edits = empty.into_iter().map(Edit::delete).collect();
        report.push(span, "Empty continuation line", Some(Fix::safe(edits)));
    }
}

/// The empty lines (with their line endings) inside the continuation of
/// the instruction whose keyword is at `keyword`, and where its last line
/// ends; lines are read as BuildKit's parser reads them. Only the lines of
/// the instruction are looked at.
fn empty_lines(doc: &Document<'_>, keyword: usize) -> (Vec<Range<usize>>, usize) {
    let text = doc.text;
    let mut empty = Vec::new();
    let mut line = keyword;
    let mut first = true;
    while line < text.len() {
        let next = memchr::memchr(b'\n', &text.as_bytes()[line..]).map_or(text.len(), |i| line + i + 1);
        let content = text[line..next].trim_end_matches(['\n', '\r']);
        let blank = content.trim_start_matches([' ', '\t']);
        if !first && blank.is_empty() {
            empty.push(line..next);
        } else if (first || !blank.starts_with('#')) && !continues(content, doc.escape) {
            return (empty, line + content.len());
        }
        first = false;
        line = next;
    }
    (empty, text.len())
}

/// BuildKit's continuation test: the line ends with the escape character
/// (blanks after it allowed) that is not itself escaped, or is only that
/// character.
fn continues(line: &str, escape: char) -> bool {
    let body = line.trim_end_matches([' ', '\t']);
    let Some(before) = body.strip_suffix(escape) else { return false };
    before.is_empty() || !before.ends_with(escape)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn continuation_test_is_buildkits() {
        assert!(continues("RUN a \\", '\\'));
        assert!(continues("RUN a \\  \t", '\\'));
        assert!(continues("\\", '\\'));
        assert!(!continues("RUN a \\\\", '\\'));
        assert!(continues("RUN a `", '`'));
        assert!(!continues("RUN a \\", '`'));
    }
}
