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
    /// The stages' `RUN`s and shells ([`crate::runs::stages`]); built on
    /// first use.
    pub(crate) stage_facts: OnceLock<Vec<crate::runs::StageFacts>>,
    /// The global ARGs ([`crate::args::GlobalArgs::of`]); built on first use.
    pub(crate) global_args: OnceLock<Option<crate::args::GlobalArgs>>,
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
            stage_facts: OnceLock::new(),
            global_args: OnceLock::new(),
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

    /// Where each top-level instruction starts (its keyword), in order.
    pub fn instruction_starts(&self) -> Vec<usize> {
        self.dockerfile
            .instructions
            .iter()
            .map(keyword_span)
            .filter(|span| !span.is_empty())
            .map(|span| span.start)
            .collect()
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

impl<'a> Document<'a> {
    /// The comment lines BuildKit attaches to the instruction whose keyword
    /// is at `keyword` (its `PrevComment`, which descriptions and
    /// `# check=` comments are read from): every comment line since the
    /// previous instruction, blank lines allowed in between, from the last
    /// empty `#` line on, parser directives left out. Each comes as (where
    /// its line starts, its text without the line's first byte, trimmed),
    /// in order.
    pub fn leading_comments(&self, keyword: usize) -> Vec<(usize, &'a str)> {
        let text: &'a str = self.text;
        let directives = &self.dockerfile.parser_directives;
        let directives_end = [
            directives.syntax.as_ref().map(|d| d.span().end),
            directives.escape.as_ref().map(|d| d.span().end),
            directives.check.as_ref().map(|d| d.span().end),
        ]
        .into_iter()
        .flatten()
        .max()
        .unwrap_or(0);
        let mut out = Vec::new();
        let mut line = self.line_start(keyword);
        while line > 0 {
            let above = self.line_start(line - 1);
            if above < directives_end {
                break;
            }
            let raw = text[above..line].trim_end_matches(['\n', '\r']);
            let trimmed = raw.trim_start();
            if !trimmed.is_empty() {
                if !trimmed.starts_with('#') {
                    break;
                }
                let comment = raw.get(1..).map_or("", str::trim);
                if comment.is_empty() {
                    break;
                }
                out.push((above, comment));
            }
            line = above;
        }
        out.reverse();
        out
    }
}

/// The span of an instruction's keyword (`RUN`, `COPY`, …).
pub fn keyword_span(instruction: &Instruction<'_>) -> std::ops::Range<usize> {
    match instruction {
        Instruction::Add(i) => i.add.span.clone(),
        Instruction::Arg(i) => i.arg.span.clone(),
        Instruction::Cmd(i) => i.cmd.span.clone(),
        Instruction::Copy(i) => i.copy.span.clone(),
        Instruction::Entrypoint(i) => i.entrypoint.span.clone(),
        Instruction::Env(i) => i.env.span.clone(),
        Instruction::Expose(i) => i.expose.span.clone(),
        Instruction::From(i) => i.from.span.clone(),
        Instruction::Healthcheck(i) => i.healthcheck.span.clone(),
        Instruction::Label(i) => i.label.span.clone(),
        Instruction::Maintainer(i) => i.maintainer.span.clone(),
        Instruction::Onbuild(i) => i.onbuild.span.clone(),
        Instruction::Run(i) => i.run.span.clone(),
        Instruction::Shell(i) => i.shell.span.clone(),
        Instruction::Stopsignal(i) => i.stopsignal.span.clone(),
        Instruction::User(i) => i.user.span.clone(),
        Instruction::Volume(i) => i.volume.span.clone(),
        Instruction::Workdir(i) => i.workdir.span.clone(),
        _ => 0..0,
    }
}

impl Document<'_> {
    /// Where new lines go so that they follow the instruction before
    /// `next_keyword` (an offset of the next instruction's keyword, or the
    /// text's end): after that instruction's last line (here-document bodies
    /// included) and before the comments and blank lines that lead to the
    /// next one. Returns the offset and whether a line ending must come first
    /// (a last line without one); `None` when the text before ends with a
    /// line continuation that would join the new lines to it (an instruction
    /// continued at the end of the file).
    pub fn insertion_point(&self, next_keyword: usize) -> Option<(usize, bool)> {
        let mut at = if next_keyword >= self.text.len() {
            self.text.len()
        } else {
            self.line_start(next_keyword)
        };
        while at > 0 {
            let previous = self.line_start(at - 1);
            let line = self.text[previous..at].trim();
            if !(line.is_empty() || line.starts_with('#')) || previous == 0 {
                break;
            }
            at = previous;
        }
        if self.text[..at].trim_end().ends_with(self.escape) {
            return None;
        }
        let needs_newline = at == self.text.len() && !self.text.ends_with('\n');
        Some((at, needs_newline))
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
    fn insertion_points() {
        let text = "FROM a\nRUN x\n\n# run it\nCMD y\n";
        let doc = Document::parse(text).unwrap();
        assert_eq!(
            doc.insertion_point(text.find("CMD").unwrap()),
            Some((13, false))
        );
        let doc = Document::parse("FROM a\nRUN <<EOF\nbody\nEOF\nCMD y").unwrap();
        assert_eq!(
            doc.insertion_point(doc.text.find("CMD").unwrap()),
            Some((26, false))
        );
        assert_eq!(
            doc.insertion_point(doc.text.len()),
            Some((doc.text.len(), true))
        );
        // Found by fuzzing: a continuation at the end would swallow new lines.
        let doc = Document::parse("FROM a\nFROM b \\\n  ").unwrap();
        assert_eq!(doc.insertion_point(doc.text.len()), None);
    }

    #[test]
    fn comments_before_an_instruction() {
        let text = "# syntax=docker/dockerfile:1\n# check=skip=A\n# one\nFROM a\n# old\n#\n# two\n\n  # three\nRUN x \\\n  # inside\n  y\nCMD z\n";
        let doc = Document::parse(text).unwrap();
        let comments = |keyword: &str| -> Vec<&str> {
            let at = doc.text.find(keyword).unwrap();
            doc.leading_comments(at)
                .into_iter()
                .map(|(_, c)| c)
                .collect()
        };
        assert_eq!(comments("FROM"), ["one"]);
        assert_eq!(comments("RUN"), ["two", "# three"]);
        assert!(comments("CMD").is_empty());
    }

    #[test]
    fn keyword_casing() {
        assert_eq!(keyword_like("add", "copy"), "copy");
        assert_eq!(keyword_like("ADD", "copy"), "COPY");
        assert_eq!(keyword_like("Add", "copy"), "COPY");
    }
}
