//! Fixes as data: byte-span edits on the original text, applied in passes
//! until nothing applies, each pass verified by parsing the result again.

use std::collections::BTreeSet;
use std::ops::Range;

use crate::document::{Document, ParseError};
use crate::rules::Finding;

/// Replace `range` of the text with `content` (an insertion when the range is
/// empty, a deletion when the content is).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    pub range: Range<usize>,
    pub content: String,
}

impl Edit {
    pub fn replace(range: Range<usize>, content: impl Into<String>) -> Self {
        Self {
            range,
            content: content.into(),
        }
    }
    pub fn insert(at: usize, content: impl Into<String>) -> Self {
        Self {
            range: at..at,
            content: content.into(),
        }
    }
    pub fn delete(range: Range<usize>) -> Self {
        Self {
            range,
            content: String::new(),
        }
    }
}

/// Whether a fix keeps every build's result the same.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Applicability {
    /// The image is the same for every build: applied by `fix`.
    Safe,
    /// The image or its behaviour may change: applied with `--unsafe-fixes`.
    Unsafe,
}

impl Applicability {
    pub fn as_str(self) -> &'static str {
        match self {
            Applicability::Safe => "safe",
            Applicability::Unsafe => "unsafe",
        }
    }
}

/// The edits that resolve one finding; they are applied all or none.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix {
    pub applicability: Applicability,
    pub edits: Vec<Edit>,
    /// Other files the fix writes (a `.dockerignore` of the build context),
    /// written with the Dockerfile, each atomically.
    pub files: Vec<FileEdit>,
}

/// A whole-file change of a file next to the Dockerfile: what it held
/// when the fix was made (`None`: it did not exist) and what it becomes.
/// It is written only if it still holds `before`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileEdit {
    pub path: std::path::PathBuf,
    pub before: Option<String>,
    pub after: String,
}

impl Fix {
    pub fn safe(edits: Vec<Edit>) -> Self {
        Self {
            applicability: Applicability::Safe,
            edits,
            files: Vec::new(),
        }
    }
    pub fn unsafe_(edits: Vec<Edit>) -> Self {
        Self {
            applicability: Applicability::Unsafe,
            edits,
            files: Vec::new(),
        }
    }
    /// A fix that writes another file only.
    pub fn file(applicability: Applicability, file: FileEdit) -> Self {
        Self {
            applicability,
            edits: Vec::new(),
            files: vec![file],
        }
    }
    pub fn is_applicable(&self, unsafe_fixes: bool) -> bool {
        unsafe_fixes || self.applicability == Applicability::Safe
    }
}

/// Applies as many of `fixes` as fit without overlapping, in order of their
/// first edit. Returns the new text and, for each fix, whether it was applied.
/// A fix whose edits overlap each other or an applied edit is skipped (it is
/// found again on the next pass, against the new text).
pub fn apply_fixes(text: &str, fixes: &[&Fix]) -> (String, Vec<bool>) {
    let mut order: Vec<usize> = (0..fixes.len()).collect();
    order.sort_by_key(|&i| first_position(fixes[i]));

    let mut taken = Taken::default();
    let mut files_taken: Vec<&std::path::Path> = Vec::new();
    let mut applied = vec![false; fixes.len()];
    for i in order {
        let fix = fixes[i];
        let in_text = fix.edits.iter().all(|edit| {
            edit.range.start <= edit.range.end
                && edit.range.end <= text.len()
                && text.is_char_boundary(edit.range.start)
                && text.is_char_boundary(edit.range.end)
        });
        if !in_text || (fix.edits.is_empty() && fix.files.is_empty()) {
            continue;
        }
        // One change per other file and pass.
        if fix
            .files
            .iter()
            .any(|f| files_taken.contains(&f.path.as_path()))
        {
            continue;
        }
        // The fix's own edits must not overlap each other either.
        let mut own = Taken::default();
        let fits = fix.edits.iter().all(|edit| {
            !taken.overlaps(&edit.range) && !own.overlaps(&edit.range) && {
                own.insert(&edit.range);
                true
            }
        });
        if fits {
            for edit in &fix.edits {
                taken.insert(&edit.range);
            }
            files_taken.extend(fix.files.iter().map(|f| f.path.as_path()));
            applied[i] = true;
        }
    }

    let mut edits: Vec<&Edit> = fixes
        .iter()
        .zip(&applied)
        .filter(|(_, a)| **a)
        .flat_map(|(fix, _)| &fix.edits)
        .collect();
    edits.sort_by_key(|e| (e.range.start, e.range.end));

    let mut out = String::with_capacity(text.len() + 64);
    let mut last = 0;
    for edit in edits {
        out.push_str(&text[last..edit.range.start]);
        out.push_str(&edit.content);
        last = edit.range.end;
    }
    out.push_str(&text[last..]);
    (out, applied)
}

fn first_position(fix: &Fix) -> (usize, usize) {
    fix.edits
        .iter()
        .map(|e| (e.range.start, e.range.end))
        .min()
        .unwrap_or((usize::MAX, usize::MAX))
}

/// Ranges that do not overlap each other (see [`overlaps`]), by start and
/// end. Sorted, each one ends where or before the next one starts, so a new
/// range can only overlap the one before it or those that start within it:
/// checking is logarithmic, not a scan of everything taken.
#[derive(Default)]
struct Taken(std::collections::BTreeSet<(usize, usize)>);

impl Taken {
    fn overlaps(&self, range: &Range<usize>) -> bool {
        let before = self.0.range(..(range.start, 0)).next_back();
        if before.is_some_and(|&(s, e)| overlaps(&(s..e), range)) {
            return true;
        }
        for &(s, e) in self.0.range((range.start, 0)..) {
            let past = if range.is_empty() {
                s > range.start
            } else {
                s >= range.end
            };
            if past {
                break;
            }
            if overlaps(&(s..e), range) {
                return true;
            }
        }
        false
    }

    fn insert(&mut self, range: &Range<usize>) {
        self.0.insert((range.start, range.end));
    }
}

/// Two ranges overlap when they share a byte; two insertions overlap when
/// they are at the same place (their order would be arbitrary); an insertion
/// overlaps a range that strictly contains its position.
fn overlaps(a: &Range<usize>, b: &Range<usize>) -> bool {
    if a.is_empty() && b.is_empty() {
        return a.start == b.start;
    }
    if a.is_empty() {
        return b.start < a.start && a.start < b.end;
    }
    if b.is_empty() {
        return a.start < b.start && b.start < a.end;
    }
    a.start < b.end && b.start < a.end
}

/// How many passes may run before the fixes are said not to converge.
pub const MAX_PASSES: usize = 10;

/// What the passes did to a text.
#[derive(Debug, Default)]
pub struct FixOutcome {
    /// The fixed text (without BOM); equal to the input when nothing applied.
    pub text: String,
    /// The rule of every applied fix, once per fix.
    pub applied: Vec<&'static str>,
    /// Passes that applied something.
    pub passes: usize,
    /// The other files the applied fixes change, one entry per file: its
    /// first `before` and last `after`.
    pub files: Vec<FileEdit>,
}

/// Why a text could not be fixed; the file is then left as it was.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum FixError {
    #[error("fixes by {} made the file unparseable ({error}); the file was left unchanged", rules.join(", "))]
    Unparseable {
        rules: Vec<&'static str>,
        error: ParseError,
    },
    #[error(
        "fixes by {} changed the number of stages from {before} to {after}; the file was left unchanged",
        rules.join(", ")
    )]
    StagesChanged {
        rules: Vec<&'static str>,
        before: usize,
        after: usize,
    },
    #[error(
        "fixes did not converge after {MAX_PASSES} passes (rules: {}); the file was left unchanged",
        rules.join(", ")
    )]
    NoConvergence { rules: Vec<&'static str> },
}

/// The one rule whose fix adds a stage (the runtime stage of a
/// single-stage file); every other fix keeps the number of stages.
pub const ADDS_A_STAGE: &str = "multi-stage";

/// Runs `check` on `original` and on each new text, applying the applicable
/// fixes until none is left. `first` holds the findings of `original`.
pub fn fix_until_stable<'t>(
    original: &Document<'t>,
    first: &[Finding],
    check: impl Fn(&Document<'_>) -> Vec<Finding>,
    unsafe_fixes: bool,
) -> Result<FixOutcome, FixError> {
    fix_until_stable_with(original, first, check, unsafe_fixes, |_| {})
}

/// [`fix_until_stable`], telling `written` of each other file a pass
/// changes, before the next pass checks (so that its checks see it).
pub fn fix_until_stable_with<'t>(
    original: &Document<'t>,
    first: &[Finding],
    check: impl Fn(&Document<'_>) -> Vec<Finding>,
    unsafe_fixes: bool,
    written: impl Fn(&FileEdit),
) -> Result<FixOutcome, FixError> {
    let mut stages = original.stage_count();
    let mut outcome = FixOutcome {
        text: original.text.to_owned(),
        ..FixOutcome::default()
    };
    let mut owned_findings: Option<Vec<Finding>> = None;
    loop {
        let findings = owned_findings.as_deref().unwrap_or(first);
        let fixable: Vec<&Finding> = findings
            .iter()
            .filter(|f| {
                f.fix
                    .as_ref()
                    .is_some_and(|fix| fix.is_applicable(unsafe_fixes))
            })
            .collect();
        if fixable.is_empty() {
            return Ok(outcome);
        }
        let rules = rule_names(fixable.iter().map(|f| f.rule));
        if outcome.passes == MAX_PASSES {
            return Err(FixError::NoConvergence { rules });
        }
        let fixes: Vec<&Fix> = fixable.iter().filter_map(|f| f.fix.as_ref()).collect();
        let (text, applied) = apply_fixes(&outcome.text, &fixes);
        let applied_rules: Vec<&'static str> = fixable
            .iter()
            .zip(&applied)
            .filter(|(_, a)| **a)
            .map(|(f, _)| f.rule)
            .collect();
        let files: Vec<&FileEdit> = fixes
            .iter()
            .zip(&applied)
            .filter(|(_, a)| **a)
            .flat_map(|(fix, _)| &fix.files)
            .collect();
        let files_change = files
            .iter()
            .any(|f| f.before.as_deref() != Some(f.after.as_str()));
        if applied_rules.is_empty() || (text == outcome.text && !files_change) {
            // Nothing could be placed, or the edits changed nothing: stop
            // rather than loop on the same findings.
            return if applied_rules.is_empty() {
                Ok(outcome)
            } else {
                Err(FixError::NoConvergence { rules })
            };
        }
        let doc = match Document::parse(&text) {
            Ok(doc) => doc,
            Err(error) => {
                return Err(FixError::Unparseable {
                    rules: rule_names(applied_rules),
                    error,
                });
            }
        };
        if doc.stage_count() == stages + 1 && applied_rules.contains(&ADDS_A_STAGE) {
            stages += 1;
        }
        if doc.stage_count() != stages {
            return Err(FixError::StagesChanged {
                rules: rule_names(applied_rules),
                before: stages,
                after: doc.stage_count(),
            });
        }
        for file in files {
            written(file);
            match outcome.files.iter_mut().find(|f| f.path == file.path) {
                Some(earlier) => earlier.after.clone_from(&file.after),
                None => outcome.files.push(file.clone()),
            }
        }
        let next = check(&doc);
        drop(doc);
        outcome.applied.extend(applied_rules);
        outcome.passes += 1;
        outcome.text = text;
        owned_findings = Some(next);
    }
}

fn rule_names(rules: impl IntoIterator<Item = &'static str>) -> Vec<&'static str> {
    rules
        .into_iter()
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn safe(edits: &[(Range<usize>, &str)]) -> Fix {
        Fix::safe(
            edits
                .iter()
                .map(|(r, c)| Edit::replace(r.clone(), *c))
                .collect(),
        )
    }

    #[test]
    fn applies_non_overlapping_edits_in_order() {
        let a = safe(&[(6..9, "THREE")]);
        let b = safe(&[(0..3, "one")]);
        let (text, applied) = apply_fixes("abc - xyz!", &[&a, &b]);
        assert_eq!(text, "one - THREE!");
        assert_eq!(applied, vec![true, true]);
    }

    #[test]
    fn overlapping_fix_waits() {
        let a = safe(&[(0..5, "X")]);
        let b = safe(&[(3..7, "Y")]);
        let (text, applied) = apply_fixes("0123456789", &[&a, &b]);
        assert_eq!(text, "X56789");
        assert_eq!(applied, vec![true, false]);
    }

    #[test]
    fn a_fix_is_all_or_nothing() {
        let a = safe(&[(4..6, "A")]);
        let b = safe(&[(0..1, "B"), (5..6, "C")]);
        let (text, applied) = apply_fixes("0123456789", &[&a, &b]);
        // b starts first and is taken whole; a overlaps b's second edit.
        assert_eq!(applied, vec![false, true]);
        assert_eq!(text, "B1234C6789");
    }

    #[test]
    fn touching_ranges_and_insertions() {
        let a = safe(&[(0..2, "x")]);
        let b = Fix::safe(vec![Edit::insert(2, "+")]);
        let c = Fix::safe(vec![Edit::insert(2, "-")]);
        let (text, applied) = apply_fixes("abcd", &[&a, &b, &c]);
        assert_eq!(applied, vec![true, true, false]);
        assert_eq!(text, "x+cd");
    }

    #[test]
    fn out_of_range_or_split_char_is_refused() {
        let a = safe(&[(2..9, "x")]);
        let b = safe(&[(1..2, "x")]);
        let (text, applied) = apply_fixes("é", &[&a, &b]);
        assert_eq!(applied, vec![false, false]);
        assert_eq!(text, "é");
    }

    #[test]
    fn crlf_and_bom_untouched_outside_edits() {
        let text = "FROM a\r\nADD b /c\r\n";
        let fix = safe(&[(8..11, "COPY")]);
        let (out, _) = apply_fixes(text, &[&fix]);
        assert_eq!(out, "FROM a\r\nCOPY b /c\r\n");
    }

    fn finding(rule: &'static str, fix: Fix) -> Finding {
        Finding {
            rule,
            span: 0..0,
            message: String::new(),
            fix: Some(fix),
            fix_with: None,
        }
    }

    #[test]
    fn passes_repeat_until_stable() {
        // Each pass lowercases the first uppercase "X" it finds.
        let check = |doc: &Document<'_>| -> Vec<Finding> {
            doc.text
                .find("XX")
                .map(|i| finding("lower-x", safe(&[(i..i + 1, "x")])))
                .into_iter()
                .collect()
        };
        let doc = Document::parse("FROM a\nRUN XXX\n").unwrap();
        let first = check(&doc);
        let out = fix_until_stable(&doc, &first, check, false).unwrap();
        assert_eq!(out.text, "FROM a\nRUN xxX\n");
        assert_eq!(out.passes, 2);
        assert_eq!(out.applied, vec!["lower-x", "lower-x"]);
    }

    #[test]
    fn unsafe_fixes_only_when_asked() {
        let check = |doc: &Document<'_>| -> Vec<Finding> {
            doc.text
                .find("RUN")
                .map(|i| finding("r", Fix::unsafe_(vec![Edit::replace(i..i + 3, "run")])))
                .into_iter()
                .collect()
        };
        let doc = Document::parse("FROM a\nRUN x\n").unwrap();
        let first = check(&doc);
        let out = fix_until_stable(&doc, &first, check, false).unwrap();
        assert_eq!(out.text, doc.text);
        let out = fix_until_stable(&doc, &first, check, true).unwrap();
        assert_eq!(out.text, "FROM a\nrun x\n");
    }

    #[test]
    fn unparseable_result_is_an_error_naming_the_rule() {
        let check = |doc: &Document<'_>| -> Vec<Finding> {
            vec![finding("breaker", safe(&[(0..4, "WRONG")]))]
                .into_iter()
                .filter(|_| doc.text.starts_with("FROM"))
                .collect()
        };
        let doc = Document::parse("FROM a\n").unwrap();
        let first = check(&doc);
        let err = fix_until_stable(&doc, &first, check, false).unwrap_err();
        assert!(matches!(err, FixError::Unparseable { ref rules, .. } if rules == &["breaker"]));
        assert!(err.to_string().contains("breaker"));
    }

    #[test]
    fn stage_count_change_is_an_error() {
        let check = |doc: &Document<'_>| -> Vec<Finding> {
            if doc.text.contains("FROM b") {
                return vec![];
            }
            vec![finding(
                "stager",
                Fix::safe(vec![Edit::insert(doc.text.len(), "FROM b\n")]),
            )]
        };
        let doc = Document::parse("FROM a\n").unwrap();
        let first = check(&doc);
        let err = fix_until_stable(&doc, &first, check, false).unwrap_err();
        assert_eq!(
            err,
            FixError::StagesChanged {
                rules: vec!["stager"],
                before: 1,
                after: 2
            }
        );
    }

    #[test]
    fn endless_fixes_hit_the_bound() {
        let check = |doc: &Document<'_>| -> Vec<Finding> {
            vec![finding(
                "grow",
                Fix::safe(vec![Edit::insert(doc.text.len(), "#\n")]),
            )]
        };
        let doc = Document::parse("FROM a\n").unwrap();
        let first = check(&doc);
        let err = fix_until_stable(&doc, &first, check, false).unwrap_err();
        assert_eq!(
            err,
            FixError::NoConvergence {
                rules: vec!["grow"]
            }
        );
    }
}
