//! ## What it does
//! Inline ignores: comments that silence rules where a team decided so.
//!
//! - `# dockerfix ignore=rule-id[,rule-id]` on the line before an
//!   instruction silences those rules (ids or the codes they answer) on it;
//! - `# dockerfix ignore-file` anywhere silences every rule in the file, and
//!   `# dockerfix ignore-file=rule-id[,…]` the rules named;
//! - hadolint's `# hadolint ignore=DL3008,DL3015` (line) and
//!   `# hadolint global ignore=DL3008` (file) silence the rules answering
//!   those codes; codes no rule answers are left to hadolint.
//! - BuildKit's `# check=skip=Rule1,Rule2` (or `skip=all`) silences the
//!   rules answering those BuildKit checks (`all`: every rule answering
//!   one): as the parser directive at the top of the file, in the whole
//!   file; as one of the comments above an instruction (blank lines may
//!   stand between, an empty `#` line ends them), on that instruction. As
//!   in BuildKit, the value ends at its first blank
//!   (`# check=skip=all // reason`), and the checks BuildKit runs over the
//!   whole file (ConsistentInstructionCasing, DuplicateStageName,
//!   InvalidDefaultArgInFrom, NoEmptyContinuation, ReservedStageName) are
//!   skipped by the directive only; `skip` never reaches the experimental
//!   InvalidDefinitionDescription. See `src/check_directive.rs`.
//!
//! Several ignore comments may stand on consecutive lines before one
//! instruction. With `--report-unused-ignores`, a `# dockerfix` ignore that
//! silences nothing is reported as `unused-ignore` (hadolint's comments are
//! left to hadolint, which may need them).
//!
//! ## Why is this bad?
//! An ignore that silences nothing hides nothing today, but it will hide
//! the next real finding on that line, and readers believe it is needed.
//!
//! ## Example
//! ```dockerfile
//! # dockerfix ignore=add-to-copy
//! COPY app /app
//! ```
//!
//! ## Fix safety
//! Safe: the fix removes the names that silence nothing from the comment,
//! or the whole comment line when none of its names is needed; only
//! comment text changes. It applies when `--report-unused-ignores` is given.

use std::ops::Range;

use crate::check_directive::{
    BUILDKIT_CHECKS, CheckOptions, EXPERIMENTAL_CHECKS, FILE_WIDE_CHECKS, check_value,
};
use crate::document::Document;
use crate::edits::{Applicability, Edit, Fix};
use crate::rules::{self, Finding, FixKind, Report, Rule};

/// The pseudo-rule unused ignores are reported under.
pub static UNUSED_IGNORE: Rule = Rule {
    id: "unused-ignore",
    codes: &[],
    fix: FixKind::Always(Applicability::Safe),
    summary: "An inline ignore that silences nothing",
    source: include_str!("ignores.rs"),
    check: no_check,
};

fn no_check(_: &Document<'_>, _: &mut Report) {}

/// Who wrote the comment: names in our comments must be ours; hadolint's
/// comments may name codes only hadolint knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Source {
    Dockerfix,
    Hadolint,
    /// `# check=skip=…`: BuildKit's.
    BuildKit,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Scope {
    /// The whole file.
    File,
    /// The instruction in this byte range of the text.
    Instruction(Range<usize>),
    /// Not before an instruction: applies to nothing.
    Nowhere,
}

/// One name in an ignore comment.
#[derive(Debug, Clone)]
struct Entry {
    /// As written; `None` for a bare `ignore-file` (every rule).
    name: Option<String>,
    /// The rule ids it names (empty: names no rule).
    rules: Vec<&'static str>,
    /// Where the name (or the comment) is in the text.
    span: Range<usize>,
    /// Where the comment's line starts (entries of one comment share it).
    comment: usize,
    scope: Scope,
    source: Source,
}

impl Entry {
    fn covers(&self, finding: &Finding) -> bool {
        let in_scope = match &self.scope {
            Scope::File => true,
            Scope::Instruction(range) => range.contains(&finding.span.start),
            Scope::Nowhere => false,
        };
        in_scope && (self.name.is_none() || self.rules.contains(&finding.rule))
    }
}

/// The ignore comments of one document.
#[derive(Debug, Default)]
pub struct Ignores {
    entries: Vec<Entry>,
}

/// What a comment asks for.
enum Pragma<'c> {
    /// Line ignore: names with their offsets in the comment.
    Line(Vec<(&'c str, usize)>),
    /// File ignore: `None` = every rule.
    File(Option<Vec<(&'c str, usize)>>),
}

/// Parses `# dockerfix ignore=…`, `# dockerfix ignore-file[=…]`,
/// `# hadolint ignore=…` and `# hadolint global ignore=…`.
fn pragma(line: &str) -> Option<(Source, Pragma<'_>)> {
    let body = line.trim_start().strip_prefix('#')?;
    let rest = body.trim_start();
    let (source, rest) = if let Some(rest) = rest.strip_prefix("dockerfix") {
        (Source::Dockerfix, rest)
    } else {
        (Source::Hadolint, rest.strip_prefix("hadolint")?)
    };
    let rest = rest.strip_prefix(':').unwrap_or(rest);
    if !rest.starts_with(char::is_whitespace) {
        return None;
    }
    let rest = rest.trim_start();
    let offset = |s: &str| line.len() - s.len();
    match source {
        Source::Dockerfix => {
            if let Some(after) = rest.strip_prefix("ignore-file") {
                return match after.strip_prefix('=') {
                    Some(list) => Some((source, Pragma::File(Some(names(list, offset(list)))))),
                    None if after.trim().is_empty() => Some((source, Pragma::File(None))),
                    None => None,
                };
            }
            let list = rest.strip_prefix("ignore=")?;
            Some((source, Pragma::Line(names(list, offset(list)))))
        }
        Source::Hadolint => {
            if let Some(global) = rest.strip_prefix("global") {
                let list = global.trim_start().strip_prefix("ignore=")?;
                return Some((source, Pragma::File(Some(names(list, offset(list))))));
            }
            let list = rest.strip_prefix("ignore=")?;
            Some((source, Pragma::Line(names(list, offset(list)))))
        }
        Source::BuildKit => None,
    }
}

/// `a, b,c reason…` → `[("a", at), ("b", at), ("c", at)]`; the list ends at
/// the first name followed by a space that is not before a comma.
fn names(list: &str, start: usize) -> Vec<(&str, usize)> {
    let mut out = Vec::new();
    let mut at = 0;
    for part in list.split(',') {
        let leading = part.len() - part.trim_start().len();
        let trimmed = part.trim_start();
        let word_len = trimmed.find(char::is_whitespace).unwrap_or(trimmed.len());
        let word = &trimmed[..word_len];
        if !word.is_empty() {
            out.push((word, start + at + leading));
        }
        // Text after the name that is not only spaces ends the list.
        if !trimmed[word_len..].trim().is_empty() {
            break;
        }
        at += part.len() + 1;
    }
    out
}

/// The lines of `text` with their byte offsets, without line endings.
fn lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut offset = 0;
    text.split_inclusive('\n').map(move |raw| {
        let start = offset;
        offset += raw.len();
        (start, raw.trim_end_matches(['\n', '\r']))
    })
}

fn is_comment(line: &str) -> bool {
    line.trim_start().starts_with('#')
}

impl Ignores {
    /// Finds the ignore comments of `doc`; `hadolint` says whether
    /// hadolint's comments count.
    pub fn parse(doc: &Document<'_>, hadolint: bool) -> Self {
        let text = doc.text;
        // Cheap exits for the common file without any.
        let ours = text.contains("dockerfix") || hadolint && text.contains("hadolint");
        let buildkit = may_hold_check_comment(text);
        if !(ours || buildkit) {
            return Self::default();
        }
        let starts = doc.instruction_starts();
        let mut entries = if buildkit {
            check_entries(doc, &starts)
        } else {
            Vec::new()
        };
        if !ours {
            return Self { entries };
        }
        let all: Vec<(usize, &str)> = lines(text).collect();
        for (index, &(line_start, line)) in all.iter().enumerate() {
            let Some((source, pragma)) = pragma(line) else {
                continue;
            };
            if source == Source::Hadolint && !hadolint {
                continue;
            }
            let (list, scope) = match pragma {
                Pragma::File(None) => {
                    entries.push(Entry {
                        name: None,
                        rules: Vec::new(),
                        span: line_start..line_start + line.len(),
                        comment: line_start,
                        scope: Scope::File,
                        source,
                    });
                    continue;
                }
                Pragma::File(Some(list)) => (list, Scope::File),
                Pragma::Line(list) => (list, target(text, &all[index + 1..], &starts)),
            };
            for (name, at) in list {
                entries.push(Entry {
                    name: Some(name.to_owned()),
                    rules: rules::lookup(name).iter().map(|r| r.id).collect(),
                    span: line_start + at..line_start + at + name.len(),
                    comment: line_start,
                    scope: scope.clone(),
                    source,
                });
            }
        }
        Self { entries }
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Drops the findings an ignore covers.
    pub fn filter(&self, findings: Vec<Finding>) -> Vec<Finding> {
        if self.is_empty() {
            return findings;
        }
        findings
            .into_iter()
            .filter(|f| !self.entries.iter().any(|e| e.covers(f)))
            .collect()
    }

    /// The `# dockerfix` ignores that silence none of `findings` (all
    /// findings, before filtering), as `unused-ignore` findings, each with a
    /// safe fix that removes the name (or the whole comment when none of its
    /// names is needed). Names of rules this run does not run are not
    /// reported (they may be needed when it does); hadolint's comments never
    /// are (hadolint may need them).
    pub fn unused(
        &self,
        doc: &Document<'_>,
        findings: &[Finding],
        enabled: &[&'static Rule],
    ) -> Vec<Finding> {
        let reported: Vec<Option<String>> = self
            .entries
            .iter()
            .map(|entry| unused_message(entry, findings, enabled))
            .collect();
        let mut out = Vec::new();
        for (entry, message) in self.entries.iter().zip(&reported) {
            let Some(message) = message else { continue };
            // The whole comment goes when none of its names stays.
            let whole = self
                .entries
                .iter()
                .zip(&reported)
                .filter(|(other, _)| other.comment == entry.comment)
                .all(|(_, m)| m.is_some());
            let edit = if whole {
                Edit::delete(entry.comment..doc.line_end_inclusive(entry.comment))
            } else {
                Edit::delete(name_with_separator(doc.text, &entry.span))
            };
            out.push(Finding {
                rule: UNUSED_IGNORE.id,
                span: entry.span.clone(),
                message: message.clone(),
                fix: Some(Fix::safe(vec![edit])),
                fix_with: None,
            });
        }
        out
    }
}

/// Whether a line of `text` starts with `#`, blanks and `check` (what a
/// BuildKit `check` comment looks like), without reading every line.
fn may_hold_check_comment(text: &str) -> bool {
    memchr::memmem::find_iter(text.as_bytes(), b"check").any(|at| {
        let line = text[..at].rfind('\n').map_or(0, |i| i + 1);
        text[line..at]
            .trim_start()
            .strip_prefix('#')
            .is_some_and(|gap| gap.trim().is_empty())
    })
}

/// The entries of BuildKit's `# check=` comments: the parser directive
/// for the file, and the comments above each instruction for it.
fn check_entries(doc: &Document<'_>, starts: &[usize]) -> Vec<Entry> {
    let mut entries = Vec::new();
    if let Some(directive) = &doc.dockerfile.parser_directives.check {
        let span = directive.span();
        let comment = doc.line_start(span.start);
        if let Some(options) = CheckOptions::parse(directive.value.value) {
            entries.extend(skipped(&options, true).map(|rules| Entry {
                name: Some("check".to_owned()),
                rules,
                span: span.clone(),
                comment,
                scope: Scope::File,
                source: Source::BuildKit,
            }));
        }
    }
    for (i, &keyword) in starts.iter().enumerate() {
        // BuildKit uses the first `check=` comment of the instruction's.
        let comments = doc.leading_comments(keyword);
        let Some((line, value)) = comments
            .iter()
            .find_map(|&(l, c)| Some((l, check_value(c)?)))
        else {
            continue;
        };
        let Some(options) = CheckOptions::parse(value) else {
            continue;
        };
        let end = starts.get(i + 1).copied().unwrap_or(doc.text.len());
        entries.extend(skipped(&options, false).map(|rules| Entry {
            name: Some("check".to_owned()),
            rules,
            span: line..doc.line_end_inclusive(line),
            comment: line,
            scope: Scope::Instruction(doc.line_start(keyword)..end),
            source: Source::BuildKit,
        }));
    }
    entries
}

/// The rules a `check` comment's `skip` silences (none: `None`); checks
/// BuildKit runs over the whole file only for the file's directive.
fn skipped(options: &CheckOptions, file: bool) -> Option<Vec<&'static str>> {
    let applies = |name: &&str| {
        (file || !FILE_WIDE_CHECKS.contains(name)) && !EXPERIMENTAL_CHECKS.contains(name)
    };
    let names: Vec<&str> = if options.skip_all {
        BUILDKIT_CHECKS.iter().copied().filter(applies).collect()
    } else {
        options
            .skip
            .iter()
            .map(String::as_str)
            .filter(applies)
            .collect()
    };
    let mut rules: Vec<&'static str> = names
        .iter()
        .filter(|name| BUILDKIT_CHECKS.contains(name))
        .flat_map(|name| rules::lookup(name))
        .map(|rule| rule.id)
        .collect();
    rules.sort_unstable();
    rules.dedup();
    (!rules.is_empty()).then_some(rules)
}

/// Why an ignore is reported, or `None` when it is not.
fn unused_message(entry: &Entry, findings: &[Finding], enabled: &[&Rule]) -> Option<String> {
    // hadolint's and BuildKit's comments are theirs: whether one is needed
    // is for them to say (their checks differ from our fixes).
    if entry.source != Source::Dockerfix {
        return None;
    }
    if let Some(name) = entry.name.as_ref().filter(|_| entry.rules.is_empty()) {
        return Some(format!(
            "unknown rule or code `{name}` in an ignore comment"
        ));
    }
    let runs = |id: &&str| enabled.iter().any(|r| r.id == *id);
    if !entry.rules.is_empty() && !entry.rules.iter().any(runs) {
        return None;
    }
    let name = entry.name.as_deref();
    if entry.scope == Scope::Nowhere {
        return Some(format!(
            "ignore of `{}` is not on the line before an instruction",
            name.unwrap_or("*")
        ));
    }
    if findings.iter().any(|f| entry.covers(f)) {
        return None;
    }
    Some(match name {
        Some(name) => format!("unused ignore: `{name}` silences nothing here"),
        None => "unused ignore: `ignore-file` silences nothing".to_owned(),
    })
}

/// A name in a list with the comma that joins it to the next name (or,
/// for the last one, to the previous name), and the spaces after that comma.
fn name_with_separator(text: &str, name: &Range<usize>) -> Range<usize> {
    let after = &text[name.end..];
    let gap = after.len() - after.trim_start_matches([' ', '\t']).len();
    if after[gap..].starts_with(',') {
        let rest = &after[gap + 1..];
        let spaces = rest.len() - rest.trim_start_matches([' ', '\t']).len();
        return name.start..name.end + gap + 1 + spaces;
    }
    let before = &text[..name.start];
    let trimmed = before.trim_end_matches([' ', '\t']);
    match trimmed.strip_suffix(',') {
        Some(list) => list.trim_end_matches([' ', '\t']).len()..name.end,
        None => name.clone(),
    }
}

/// The instruction a line ignore is for: the one starting on the first
/// line after it that is not another comment, if one starts there.
fn target(text: &str, after: &[(usize, &str)], starts: &[usize]) -> Scope {
    let Some(&(line_start, _)) = after.iter().find(|(_, line)| !is_comment(line)) else {
        return Scope::Nowhere;
    };
    let line_end = line_start
        + text[line_start..]
            .find('\n')
            .unwrap_or(text.len() - line_start);
    let Some(index) = starts
        .iter()
        .position(|&s| (line_start..=line_end).contains(&s))
    else {
        return Scope::Nowhere;
    };
    // Only comments may stand between the comment and the instruction's
    // keyword on its line.
    if !text[line_start..starts[index]].trim().is_empty() {
        return Scope::Nowhere;
    }
    let end = starts.get(index + 1).copied().unwrap_or(text.len());
    Scope::Instruction(line_start..end)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The rules these cases are written for (others would add findings).
    fn three() -> Vec<&'static Rule> {
        ["add-to-copy", "exec-form", "maintainer-label"]
            .iter()
            .map(|id| rules::by_id(id).unwrap())
            .collect()
    }

    fn findings(text: &str, hadolint: bool) -> (Vec<String>, Vec<String>) {
        let doc = Document::parse(text).unwrap();
        let enabled = three();
        let all = rules::check(&doc, &enabled);
        let ignores = Ignores::parse(&doc, hadolint);
        let kept = ignores
            .filter(all.clone())
            .iter()
            .map(|f| format!("{}:{}", doc.line_column(f.span.start).0, f.rule))
            .collect();
        let unused = ignores
            .unused(&doc, &all, &enabled)
            .iter()
            .map(|f| {
                let (line, column) = doc.line_column(f.span.start);
                format!("{line}:{column} {}", f.message)
            })
            .collect();
        (kept, unused)
    }

    #[test]
    fn line_ignore_covers_the_next_instruction_only() {
        let text = "FROM a\n# dockerfix ignore=add-to-copy\nADD a /a\nADD b /b\n";
        let (kept, unused) = findings(text, true);
        assert_eq!(kept, ["4:add-to-copy"]);
        assert!(unused.is_empty(), "{unused:?}");
    }

    #[test]
    fn codes_lists_and_stacked_comments() {
        let text = "FROM a\n# dockerfix ignore=DL3020, maintainer-label\n# hadolint ignore=DL3008,DL4000\nADD a /a\nMAINTAINER me\n";
        let (kept, unused) = findings(text, true);
        assert_eq!(kept, ["5:maintainer-label"]);
        // maintainer-label matched nothing on the ADD line; hadolint's
        // comment is hadolint's business, whatever it names.
        assert_eq!(
            unused,
            ["2:28 unused ignore: `maintainer-label` silences nothing here"]
        );
    }

    #[test]
    fn a_multi_line_instruction_is_covered_whole() {
        let text = "FROM a\n# hadolint ignore=DL3025\nCMD python \\\n  app.py\nCMD x y\n";
        let (kept, _) = findings(text, true);
        assert_eq!(kept, ["5:exec-form"]);
    }

    #[test]
    fn file_ignores() {
        let text = "FROM a\nADD a /a\n# dockerfix ignore-file\nMAINTAINER me\n";
        assert!(findings(text, true).0.is_empty());
        let text = "# dockerfix ignore-file=add-to-copy\nFROM a\nADD a /a\nMAINTAINER me\n";
        assert_eq!(findings(text, true).0, ["4:maintainer-label"]);
        let text = "# hadolint global ignore=DL4000\nFROM a\nADD a /a\nMAINTAINER me\n";
        assert_eq!(findings(text, true).0, ["3:add-to-copy"]);
        let text = "# dockerfix ignore-file\nFROM a\nCOPY a /a\n";
        assert_eq!(
            findings(text, true).1,
            ["1:1 unused ignore: `ignore-file` silences nothing"]
        );
    }

    #[test]
    fn hadolint_comments_can_be_turned_off() {
        let text = "FROM a\n# hadolint ignore=DL3020\nADD a /a\n";
        assert!(findings(text, true).0.is_empty());
        assert_eq!(findings(text, false).0, ["3:add-to-copy"]);
    }

    #[test]
    fn misplaced_unknown_and_non_pragmas() {
        let text = "FROM a\n# dockerfix ignore=add-to-copy\n\nADD a /a\n# dockerfix ignore=nope\nCOPY a /a\n";
        let (kept, unused) = findings(text, true);
        assert_eq!(kept, ["4:add-to-copy"], "a blank line breaks the link");
        assert_eq!(
            unused,
            [
                "2:20 ignore of `add-to-copy` is not on the line before an instruction",
                "5:20 unknown rule or code `nope` in an ignore comment",
            ]
        );
        // Look-alikes are plain comments.
        for text in [
            "FROM a\n# dockerfixignore=add-to-copy\nADD a /a\n",
            "FROM a\n# see dockerfix ignore=add-to-copy\nADD a /a\n",
            "FROM a\nRUN x \\\n # dockerfix ignore=add-to-copy\n && y\nADD a /a\n",
        ] {
            assert_eq!(
                findings(text, true).0,
                ["3:add-to-copy"].map(|s| {
                    let line = text.lines().position(|l| l.starts_with("ADD")).unwrap() + 1;
                    s.replace('3', &line.to_string())
                }),
                "{text:?}"
            );
        }
    }

    #[test]
    fn crlf_and_indented_comments() {
        let text = "FROM a\r\n  # dockerfix ignore=add-to-copy\r\nADD a /a\r\nADD b /b\r\n";
        let (kept, unused) = findings(text, true);
        assert_eq!(kept, ["4:add-to-copy"]);
        assert!(unused.is_empty());
        let text = "FROM a\r\n# dockerfix ignore=exec-form\r\nADD a /a\r\n";
        assert_eq!(
            findings(text, true).1,
            ["2:20 unused ignore: `exec-form` silences nothing here"]
        );
    }

    /// `text` after fixing the unused ignores (the rules' own fixes off).
    fn cleaned(text: &str) -> String {
        let enabled = three();
        let check = |d: &Document<'_>| {
            let all = rules::check(d, &enabled);
            Ignores::parse(d, true).unused(d, &all, &enabled)
        };
        let doc = Document::parse(text).unwrap();
        let first = check(&doc);
        crate::edits::fix_until_stable(&doc, &first, check, false)
            .unwrap()
            .text
    }

    #[test]
    fn unused_names_and_comments_are_removed() {
        // One name of two is needed: the other goes with its comma.
        assert_eq!(
            cleaned("FROM a\n# dockerfix ignore=exec-form, add-to-copy\nADD a /a\n"),
            "FROM a\n# dockerfix ignore=add-to-copy\nADD a /a\n"
        );
        assert_eq!(
            cleaned("FROM a\n# dockerfix ignore=add-to-copy ,exec-form\nADD a /a\n"),
            "FROM a\n# dockerfix ignore=add-to-copy\nADD a /a\n"
        );
        // Two of three go (in two passes: their edits touch).
        assert_eq!(
            cleaned("FROM a\n# dockerfix ignore=nope,add-to-copy,exec-form\nADD a /a\n"),
            "FROM a\n# dockerfix ignore=add-to-copy\nADD a /a\n"
        );
        // None is needed: the line goes, CRLF and all; hadolint's stays.
        assert_eq!(
            cleaned(
                "FROM a\r\n# dockerfix ignore=exec-form,DL4000\r\n# hadolint ignore=DL3025\r\nADD a /a\r\n"
            ),
            "FROM a\r\n# hadolint ignore=DL3025\r\nADD a /a\r\n"
        );
        assert_eq!(
            cleaned("# dockerfix ignore-file\nFROM a\nCOPY a /a"),
            "FROM a\nCOPY a /a"
        );
        // Nothing unused, nothing changes.
        let kept = "FROM a\n# dockerfix ignore=DL3020\nADD a /a\n";
        assert_eq!(cleaned(kept), kept);
    }

    /// Findings of `ids` kept after the ignores, as `line:rule`.
    fn kept_of(text: &str, ids: &[&str]) -> Vec<String> {
        let doc = Document::parse(text).unwrap();
        let enabled: Vec<&'static Rule> = ids.iter().map(|id| rules::by_id(id).unwrap()).collect();
        let all = rules::check(&doc, &enabled);
        Ignores::parse(&doc, false)
            .filter(all)
            .iter()
            .map(|f| format!("{}:{}", doc.line_column(f.span.start).0, f.rule))
            .collect()
    }

    #[test]
    fn buildkit_check_directive_for_the_file() {
        let ids = [
            "consistent-instruction-casing",
            "from-as-casing",
            "add-to-copy",
        ];
        let text = "FROM scratch as base\ncopy a b\nADD c /d\n";
        assert_eq!(
            kept_of(text, &ids),
            [
                "1:from-as-casing",
                "2:consistent-instruction-casing",
                "3:add-to-copy"
            ]
        );
        let skip = |directive: &str| kept_of(&format!("{directive}\n{text}"), &ids);
        // skip=all: the rules answering a BuildKit check, not hadolint-only ones.
        assert_eq!(skip("#check=skip=all"), ["4:add-to-copy"]);
        assert_eq!(skip("# check=skip=all;error=true"), ["4:add-to-copy"]);
        assert_eq!(
            skip("# check=skip=ConsistentInstructionCasing"),
            ["2:from-as-casing", "4:add-to-copy"]
        );
        // Up to the first blank, as BuildKit reads it; a bad option voids it.
        assert_eq!(
            skip("# check=skip=FromAsCasing, ConsistentInstructionCasing"),
            ["3:consistent-instruction-casing", "4:add-to-copy"]
        );
        assert_eq!(skip("# check=skip=all;bogus=1").len(), 3);
    }

    #[test]
    fn buildkit_check_comments_for_one_instruction() {
        let ids = [
            "secret-in-arg-env",
            "legacy-key-value-format",
            "consistent-instruction-casing",
        ];
        let text = "FROM scratch\n# check=skip=SecretsUsedInArgOrEnv // allowed\n\n# more words\nENV password=bar\nENV token=x\n# check=skip=all // this one\nENV secret value\n#\n# check=skip=all\n#\nENV key=1\n  # check=skip=all\nENV auth=1\n# check=skip=ConsistentInstructionCasing\nenv apikey=2\n";
        assert_eq!(
            kept_of(text, &ids),
            [
                "6:secret-in-arg-env",
                "12:secret-in-arg-env",
                "14:secret-in-arg-env",
                "16:consistent-instruction-casing",
                "16:secret-in-arg-env",
            ]
        );
    }

    #[test]
    fn name_lists() {
        assert_eq!(names("a,b", 0), [("a", 0), ("b", 2)]);
        assert_eq!(names(" a , b because", 10), [("a", 11), ("b", 15)]);
        assert_eq!(names("a reason, b", 0), [("a", 0)]);
    }
}
