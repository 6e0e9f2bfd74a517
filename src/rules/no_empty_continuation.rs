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
/// the instruction are looked at, byte by byte (every instruction of every
/// file goes through here).
fn empty_lines(doc: &Document<'_>, keyword: usize) -> (Vec<Range<usize>>, usize) {
    let bytes = doc.text.as_bytes();
    let Ok(escape) = u8::try_from(doc.escape) else {
        return (Vec::new(), keyword);
    };
    let mut empty = Vec::new();
    let mut line = keyword;
    let mut first = true;
    while line < bytes.len() {
        let next = memchr::memchr(b'\n', &bytes[line..]).map_or(bytes.len(), |i| line + i + 1);
        let mut end = next;
        while end > line && matches!(bytes[end - 1], b'\n' | b'\r') {
            end -= 1;
        }
        let content = &bytes[line..end];
        let blank = content.iter().position(|b| !matches!(b, b' ' | b'\t'));
        match blank {
            None if !first => empty.push(line..next),
            Some(i) if !first && content[i] == b'#' => {}
            _ if !continues(content, escape) => return (empty, end),
            _ => {}
        }
        first = false;
        line = next;
    }
    (empty, bytes.len())
}

/// BuildKit's continuation test: the line ends with the escape character
/// (blanks after it allowed) that is not itself escaped, or is only that
/// character.
fn continues(line: &[u8], escape: u8) -> bool {
    let mut end = line.len();
    while end > 0 && matches!(line[end - 1], b' ' | b'\t') {
        end -= 1;
    }
    match end {
        0 => false,
        1 => line[0] == escape,
        _ => line[end - 1] == escape && line[end - 2] != escape,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn continuation_test_is_buildkits() {
        assert!(continues(b"RUN a \\", b'\\'));
        assert!(continues(b"RUN a \\  \t", b'\\'));
        assert!(continues(b"\\", b'\\'));
        assert!(!continues(b"RUN a \\\\", b'\\'));
        assert!(continues(b"RUN a `", b'`'));
        assert!(!continues(b"RUN a \\", b'`'));
        assert!(!continues(b"", b'\\'));
    }
}
