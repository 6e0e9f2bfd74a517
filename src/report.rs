//! What a run found and did, file by file: the data every output format
//! renders.

use crate::edits::Applicability;
use crate::rules::pin_digest::PIN_OPTION;

/// The option that applies unsafe fixes.
pub const UNSAFE_FIXES: &str = "--unsafe-fixes";

/// What the run was asked to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Check,
    Fix { dry_run: bool },
}

impl Mode {
    /// `check`, `fix` or `fix --dry-run`, as in machine formats.
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Check => "check",
            Mode::Fix { dry_run: false } => "fix",
            Mode::Fix { dry_run: true } => "fix --dry-run",
        }
    }
}

/// A place in a file: 1-based line and column (in characters), and the
/// byte offset from the start of the file (a BOM included).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    pub line: usize,
    pub column: usize,
    pub offset: usize,
}

/// One edit of a fix, placed in the original file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocatedEdit {
    pub start: Position,
    pub end: Position,
    pub content: String,
}

/// The fix a finding offers, placed in the original file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocatedFix {
    pub applicability: Applicability,
    pub edits: Vec<LocatedEdit>,
    /// Other files the fix writes (a `.dockerignore`).
    pub files: Vec<crate::edits::FileEdit>,
}

/// A finding placed in its file, ready to show.
#[derive(Debug, Clone)]
pub struct Located {
    pub rule: &'static str,
    /// The hadolint/BuildKit codes the rule answers.
    pub codes: &'static [&'static str],
    pub start: Position,
    pub end: Position,
    pub message: String,
    pub fix: Option<LocatedFix>,
    /// A fix exists and this run's settings allow it.
    pub fixable: bool,
    /// A fix exists but needs `--unsafe-fixes`.
    pub unsafe_hidden: bool,
    /// No fix in this run, but one with this option (`--pin`).
    pub fix_with: Option<&'static str>,
}

impl Located {
    /// The option that would make this run fix the finding, if any.
    pub fn fixable_with(&self) -> Option<&'static str> {
        if self.unsafe_hidden {
            Some(UNSAFE_FIXES)
        } else {
            self.fix_with
        }
    }
}

impl Located {
    pub fn line(&self) -> usize {
        self.start.line
    }
    pub fn column(&self) -> usize {
        self.start.column
    }
}

/// Why an input could not be processed, with its place when known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileError {
    /// The whole message, as printed (`path:line:col: reason`).
    pub message: String,
    /// Line and column, when the error has a place in the file.
    pub at: Option<(usize, usize)>,
}

/// What happened to one input.
#[derive(Debug, Clone)]
pub struct FileReport {
    /// The path as shown (or the standard input's name).
    pub name: String,
    /// The input is the standard input.
    pub stdin: bool,
    pub findings: Vec<Located>,
    /// Original and fixed text (with BOM), when fixing ran.
    pub change: Option<(String, String)>,
    /// Other files the fixes change (a `.dockerignore`): path as shown,
    /// old text (`None`: a new file), new text.
    pub files: Vec<(String, Option<String>, String)>,
    /// Fixes applied (or, in a dry run, that would be), in total.
    pub applied: usize,
    /// Fixes applied per rule, sorted by rule id.
    pub applied_rules: Vec<(&'static str, usize)>,
    pub error: Option<FileError>,
}

impl FileReport {
    pub fn new(name: &str, stdin: bool) -> Self {
        Self {
            name: name.to_owned(),
            stdin,
            findings: Vec::new(),
            change: None,
            files: Vec::new(),
            applied: 0,
            applied_rules: Vec::new(),
            error: None,
        }
    }

    /// The fixing changed the text.
    pub fn changed(&self) -> bool {
        self.change.as_ref().is_some_and(|(old, new)| old != new) || !self.files.is_empty()
    }
}

/// Everything a run produced, in path order.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub mode: Mode,
    pub reports: Vec<FileReport>,
    /// Paths that could not be searched (`path: reason`).
    pub errors: Vec<String>,
}

impl Outcome {
    pub fn totals(&self) -> Totals {
        let mut totals = Totals::default();
        for report in &self.reports {
            totals.add(report);
        }
        totals.errors += self.errors.len();
        totals
    }
}

/// Counts over a run.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Totals {
    pub files: usize,
    pub findings: usize,
    pub fixable: usize,
    pub unsafe_hidden: usize,
    /// Findings `--pin` would fix (pin-digest looks digests up only then).
    pub pin_hidden: usize,
    pub applied: usize,
    pub changed_files: usize,
    pub errors: usize,
}

impl Totals {
    fn add(&mut self, report: &FileReport) {
        self.files += 1;
        self.findings += report.findings.len();
        self.fixable += report.findings.iter().filter(|f| f.fixable).count();
        self.unsafe_hidden += report.findings.iter().filter(|f| f.unsafe_hidden).count();
        self.pin_hidden += report
            .findings
            .iter()
            .filter(|f| f.fix_with == Some(PIN_OPTION))
            .count();
        self.applied += report.applied;
        self.changed_files += usize::from(report.changed());
        self.errors += usize::from(report.error.is_some());
    }

    /// The one-line summary shown on standard error.
    pub fn summary(&self, mode: Mode) -> String {
        let files = plural(self.files, "file");
        let errors = match self.errors {
            0 => String::new(),
            n => format!("; {} could not be processed", plural(n, "file")),
        };
        let more: Vec<String> = [
            (self.unsafe_hidden, UNSAFE_FIXES),
            (self.pin_hidden, PIN_OPTION),
        ]
        .iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, option)| format!("{n} more with {option}"))
        .collect();
        let hidden = if more.is_empty() {
            String::new()
        } else {
            format!(" ({})", more.join(", "))
        };
        match mode {
            Mode::Check => format!(
                "{} in {files}; {} fixable with `dockerfix fix`{hidden}{errors}.",
                plural(self.findings, "finding"),
                self.fixable
            ),
            Mode::Fix { dry_run } => format!(
                "{} {} in {} of {files}{hidden}{errors}.",
                if dry_run { "Would apply" } else { "Applied" },
                plural(self.applied, "fix"),
                self.changed_files,
            ),
        }
    }
}

pub fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else if word.ends_with('x') {
        format!("{n} {word}es")
    } else {
        format!("{n} {word}s")
    }
}
