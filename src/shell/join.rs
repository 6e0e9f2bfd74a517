//! The text a shell receives from a shell-form `RUN`: the Dockerfile's line
//! continuations (escape character, optional blanks, newline) removed and
//! the comment or empty lines inside them dropped, as BuildKit does, with a
//! map from every byte of that text back to the document.

use std::ops::Range;

/// Joined shell text and where each piece of it sits in the document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Joined {
    pub text: String,
    /// Pieces copied verbatim: `(start in text, start in document, length)`,
    /// in order, without gaps in `text`.
    pieces: Vec<(usize, usize, usize)>,
    /// Whether a comment line was dropped from inside a continuation.
    pub dropped_comments: bool,
}

impl Joined {
    /// Joins the shell-form command `raw`, which starts at byte `start` of
    /// the document.
    pub fn continuation_lines(raw: &str, start: usize, escape: char) -> Self {
        let mut joined = Joined {
            text: String::with_capacity(raw.len()),
            pieces: Vec::new(),
            dropped_comments: false,
        };
        let mut continued = false;
        let mut offset = 0;
        for line in raw.split_inclusive('\n') {
            let line_start = offset;
            offset += line.len();
            if continued {
                let content = line.trim_start_matches([' ', '\t']);
                let content = content.trim_end_matches(['\n', '\r']);
                if content.is_empty() {
                    continue;
                }
                if content.starts_with('#') {
                    joined.dropped_comments = true;
                    continue;
                }
            }
            let (kept, continues) = match continuation_at(line, escape) {
                Some(cut) => (&line[..cut], true),
                None => (line, false),
            };
            joined.push(kept, start + line_start);
            continued = continues;
        }
        joined
    }

    /// The pieces copied from the document, in order: their range in the
    /// text and where they start in the document.
    pub fn pieces(&self) -> impl Iterator<Item = (Range<usize>, usize)> + '_ {
        self.pieces
            .iter()
            .map(|&(text, document, len)| (text..text + len, document))
    }

    /// A heredoc body taken as it is (the shell reads it unchanged).
    pub fn verbatim(text: &str, start: usize) -> Self {
        let mut joined = Joined {
            text: String::with_capacity(text.len()),
            pieces: Vec::new(),
            dropped_comments: false,
        };
        joined.push(text, start);
        joined
    }

    fn push(&mut self, piece: &str, document_start: usize) {
        if piece.is_empty() {
            return;
        }
        self.pieces
            .push((self.text.len(), document_start, piece.len()));
        self.text.push_str(piece);
    }

    /// The document range of `range` of the joined text. The result may span
    /// the continuations that the joined text left out.
    pub fn document_range(&self, range: Range<usize>) -> Range<usize> {
        let start = self.document_start(range.start);
        if range.is_empty() {
            return start..start;
        }
        start..self.document_end(range.end)
    }

    /// Document offset of the byte at `at` of the joined text (or just past
    /// the last piece when `at` is the end).
    fn document_start(&self, at: usize) -> usize {
        let i = self.pieces.partition_point(|&(s, _, _)| s <= at);
        match i.checked_sub(1).map(|i| self.pieces[i]) {
            Some((s, d, len)) if at < s + len => d + (at - s),
            Some((s, d, len)) => d + len + (at - s - len),
            None => 0,
        }
    }

    /// Document offset just past the byte before `end` of the joined text.
    fn document_end(&self, end: usize) -> usize {
        self.document_start(end - 1) + 1
    }
}

/// Where the continuation of `line` starts (its escape character), when the
/// line ends with the escape character, optional blanks and a newline.
fn continuation_at(line: &str, escape: char) -> Option<usize> {
    let body = line.strip_suffix('\n')?;
    let body = body.strip_suffix('\r').unwrap_or(body);
    let body = body.trim_end_matches([' ', '\t']);
    body.strip_suffix(escape).map(str::len)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn continuations_comments_and_empty_lines_go() {
        let raw = "apt-get update && \\\n  # why\n\n    apt-get install -y a \\  \r\n\tb";
        let joined = Joined::continuation_lines(raw, 100, '\\');
        assert_eq!(
            joined.text,
            "apt-get update &&     apt-get install -y a \tb"
        );
        assert!(joined.dropped_comments);
        // `apt-get` of the second command, then `b`, in document bytes.
        let second = joined.text.rfind("apt-get").unwrap();
        let range = joined.document_range(second..second + 7);
        assert_eq!(&raw[range.start - 100..range.end - 100], "apt-get");
        let b = joined.text.len() - 1;
        assert_eq!(
            joined.document_range(b..b + 1),
            100 + raw.len() - 1..100 + raw.len()
        );
        // A range across a continuation covers it in the document.
        let across = joined.document_range(15..second + 7);
        assert_eq!(
            &raw[across.start - 100..across.end - 100],
            "&& \\\n  # why\n\n    apt-get"
        );
    }

    #[test]
    fn backtick_escape_and_a_trailing_backslash() {
        let joined = Joined::continuation_lines("a `\r\n  b \\", 0, '`');
        assert_eq!(joined.text, "a   b \\");
        let joined = Joined::continuation_lines("a \\\\\n b", 0, '\\');
        assert_eq!(joined.text, "a \\ b");
    }

    #[test]
    fn verbatim_maps_one_to_one() {
        let joined = Joined::verbatim("set -e\necho hi\n", 40);
        assert_eq!(joined.document_range(7..11), 47..51);
        assert_eq!(joined.document_range(3..3), 43..43);
    }
}
