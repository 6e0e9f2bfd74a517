//! A Dockerfile as text plus its parse: the byte-exact facts fixers need
//! (BOM, line ending, escape character) and a line index for positions.

use std::collections::HashMap;
use std::sync::OnceLock;

use memchr::memchr_iter;
use parse_dockerfile::{Dockerfile, Instruction, RunInstruction};

use crate::shell::{Script, Unsupported};

const UTF8_BOM: &str = "\u{feff}";

/// A parse error located in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl std::fmt::Display for ParseError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}: {}", self.line, self.column, self.message)
    }
}

/// The text of a Dockerfile without its BOM, and what the parser made of it.
///
/// Every span in the parse, in findings and in edits is a byte offset into
/// [`Document::text`] (the BOM, when present, is not part of it).
pub struct Document<'a> {
    pub text: &'a str,
    pub dockerfile: Dockerfile<'a>,
    /// The escape character in force (`\` or the `# escape=` directive's).
    pub escape: char,
    /// The file's own line ending, used for every line a fix adds.
    pub line_ending: &'static str,
    /// Where each line starts; built on first use (most files need no
    /// positions at all).
    line_starts: OnceLock<Vec<usize>>,
    /// The script of every `RUN`, by the offset of its keyword; built on
    /// first use, shared by the rules.
    scripts: OnceLock<HashMap<usize, Result<Script, Unsupported>>>,
}

/// Splits a leading UTF-8 BOM off `source`: `(had_bom, text)`.
pub fn split_bom(source: &str) -> (bool, &str) {
    match source.strip_prefix(UTF8_BOM) {
        Some(rest) => (true, rest),
        None => (false, source),
    }
}

/// Puts the BOM back in front of `text` when the original had one.
pub fn join_bom(bom: bool, text: &str) -> String {
    if bom {
        format!("{UTF8_BOM}{text}")
    } else {
        text.to_owned()
    }
}

impl<'a> Document<'a> {
    /// Parses `text` (which must not start with a BOM; see [`split_bom`]).
    pub fn parse(text: &'a str) -> Result<Self, ParseError> {
        // The parser skips a leading BOM itself, which would shift every
        // span; BuildKit drops only one, so a second one is an error.
        if text.starts_with(UTF8_BOM) {
            return Err(ParseError {
                line: 1,
                column: 1,
                message: "unexpected byte-order mark (U+FEFF) before the first instruction".into(),
            });
        }
        let dockerfile = parse_dockerfile::parse(text).map_err(|e| ParseError {
            line: e.line(),
            column: e.column(),
            message: format!("{e:#}"),
        })?;
        let escape = dockerfile
            .parser_directives
            .escape
            .as_ref()
            .map_or('\\', |d| d.value.value);
        Ok(Self {
            text,
            dockerfile,
            escape,
            line_ending: detect_line_ending(text),
            line_starts: OnceLock::new(),
            scripts: OnceLock::new(),
        })
    }

    fn line_starts(&self) -> &[usize] {
        self.line_starts.get_or_init(|| {
            let mut starts = Vec::with_capacity(self.text.len() / 32 + 1);
            starts.push(0);
            starts.extend(memchr_iter(b'\n', self.text.as_bytes()).map(|i| i + 1));
            starts
        })
    }

    /// Index of the line holding `offset` in [`Self::line_starts`].
    fn line_index(&self, offset: usize) -> usize {
        self.line_starts().partition_point(|&start| start <= offset) - 1
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_column(&self, offset: usize) -> (usize, usize) {
        let line = self.line_index(offset);
        let start = self.line_starts()[line];
        let column = self
            .text
            .get(start..offset)
            .map_or(1, |s| s.chars().count() + 1);
        (line + 1, column)
    }

    /// Byte offset where the line holding `offset` starts.
    pub fn line_start(&self, offset: usize) -> usize {
        self.line_starts()[self.line_index(offset)]
    }

    /// Byte offset just past the line ending of the line holding `offset`
    /// (or the end of the text on a last line without one).
    pub fn line_end_inclusive(&self, offset: usize) -> usize {
        self.line_starts()
            .get(self.line_index(offset) + 1)
            .copied()
            .unwrap_or(self.text.len())
    }

    /// The shell commands of `run` (an instruction of this document).
    pub fn script(&self, run: &RunInstruction<'_>) -> Result<&Script, &Unsupported> {
        let scripts = self.scripts.get_or_init(|| {
            self.all_instructions()
                .filter_map(|i| match i {
                    Instruction::Run(run) => Some((run.run.span.start, Script::of_run(self, run))),
                    _ => None,
                })
                .collect()
        });
        match scripts.get(&run.run.span.start) {
            Some(script) => script.as_ref(),
            None => Err(&Unsupported("not a RUN of this document")),
        }
    }

    /// Number of stages (FROM instructions).
    pub fn stage_count(&self) -> usize {
        self.dockerfile.stages().len()
    }

    /// The stages with their index in order, each with the instructions it holds.
    pub fn stages(&self) -> impl Iterator<Item = parse_dockerfile::Stage<'a, '_>> {
        self.dockerfile.stages()
    }

    /// Every instruction, with those nested in `ONBUILD` visited too.
    pub fn all_instructions(&self) -> impl Iterator<Item = &Instruction<'a>> {
        self.dockerfile.instructions.iter().flat_map(|instruction| {
            let nested = match instruction {
                Instruction::Onbuild(onbuild) => Some(&*onbuild.instruction),
                _ => None,
            };
            std::iter::once(instruction).chain(nested)
        })
    }
}

/// The first line ending of the text decides: `\r\n` or `\n` (the default).
fn detect_line_ending(text: &str) -> &'static str {
    match text.find('\n') {
        Some(i) if i > 0 && text.as_bytes()[i - 1] == b'\r' => "\r\n",
        _ => "\n",
    }
}

/// Writes `keyword` in the casing of `original` (an instruction keyword as
/// written): all lowercase stays lowercase, anything else is uppercase.
pub fn keyword_like(original: &str, keyword: &str) -> String {
    if original.chars().all(|c| c.is_ascii_lowercase()) {
        keyword.to_ascii_lowercase()
    } else {
        keyword.to_ascii_uppercase()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_and_line_ending() {
        let doc = Document::parse("FROM a\r\nRUN x\r\n").unwrap();
        assert_eq!(doc.line_ending, "\r\n");
        assert_eq!(doc.line_column(0), (1, 1));
        assert_eq!(doc.line_column(8), (2, 1));
        assert_eq!(doc.line_column(12), (2, 5));
        assert_eq!(doc.line_start(12), 8);
        assert_eq!(doc.line_end_inclusive(12), 15);
        assert_eq!(doc.stage_count(), 1);
    }

    #[test]
    fn escape_directive_and_bom() {
        let (bom, text) = split_bom("\u{feff}# escape=`\nFROM a\n");
        assert!(bom);
        let doc = Document::parse(text).unwrap();
        assert_eq!(doc.escape, '`');
        assert_eq!(doc.line_ending, "\n");
        assert_eq!(join_bom(bom, "x"), "\u{feff}x");
    }

    #[test]
    fn a_second_bom_is_an_error() {
        // Found by fuzzing: the parser dropped it too, shifting all spans.
        let (bom, text) = split_bom("\u{feff}\u{feff}FROM a\nMAINTAINER x\n");
        assert!(bom);
        let err = Document::parse(text).err().unwrap();
        assert_eq!((err.line, err.column), (1, 1));
    }

    #[test]
    fn parse_error_has_position() {
        let err = Document::parse("FROM a\nWRONG x\n").err().unwrap();
        assert_eq!(err.line, 2);
        assert!(err.column >= 1);
    }

    #[test]
    fn keyword_casing() {
        assert_eq!(keyword_like("add", "copy"), "copy");
        assert_eq!(keyword_like("ADD", "copy"), "COPY");
        assert_eq!(keyword_like("Add", "copy"), "COPY");
    }
}
