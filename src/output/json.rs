//! The JSON format (schema version [`SCHEMA_VERSION`], documented in the
//! README): one object with every file, its findings, the edits each fix
//! makes, what was applied, and errors. Field order is fixed, files come
//! in path order and findings in file order, so runs can be diffed.

use serde::Serialize;

use crate::report::{FileReport, Located, Outcome, Position, Totals};

/// Bumped when a field changes meaning or goes away (new fields may be
/// added within a version).
pub const SCHEMA_VERSION: u32 = 1;

#[derive(Serialize)]
struct Document<'a> {
    version: u32,
    tool: Tool,
    mode: &'static str,
    files: Vec<File<'a>>,
    errors: &'a [String],
    summary: Summary,
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct File<'a> {
    path: &'a str,
    findings: Vec<JsonFinding<'a>>,
    /// Fixes applied (or, in a dry run, that would be) per rule.
    applied: Vec<Applied>,
    /// Unified diff of the fixes (fix mode), `null` otherwise.
    diff: Option<String>,
    /// Other files the fixes write (a `.dockerignore` created or
    /// completed), each with its diff (fix mode; empty otherwise).
    other_files: Vec<OtherFile<'a>>,
    error: Option<JsonError<'a>>,
}

#[derive(Serialize)]
struct OtherFile<'a> {
    path: &'a str,
    /// The file did not exist: the fix creates it.
    created: bool,
    diff: String,
}

/// A whole file a fix writes besides the Dockerfile.
#[derive(Serialize)]
struct FileWrite {
    path: String,
    created: bool,
    /// The file's whole new text.
    content: String,
}

#[derive(Serialize)]
struct Applied {
    rule: &'static str,
    count: usize,
}

#[derive(Serialize)]
struct JsonError<'a> {
    message: &'a str,
    line: Option<usize>,
    column: Option<usize>,
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    rule: &'static str,
    codes: &'static [&'static str],
    message: &'a str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    /// This run applies (or would apply) the fix.
    fixable: bool,
    /// `safe`, `unsafe`, or `null` when there is no fix.
    applicability: Option<&'static str>,
    /// The option that would make this run fix it (`--unsafe-fixes`,
    /// `--pin`), or `null`.
    fixable_with: Option<&'static str>,
    /// The fix's edits on the original file.
    edits: Vec<Edit<'a>>,
    /// Other files the fix writes, whole.
    files: Vec<FileWrite>,
}

#[derive(Serialize)]
struct Edit<'a> {
    start: Place,
    end: Place,
    content: &'a str,
}

#[derive(Serialize)]
struct Place {
    line: usize,
    column: usize,
    offset: usize,
}

impl From<Position> for Place {
    fn from(p: Position) -> Self {
        Self {
            line: p.line,
            column: p.column,
            offset: p.offset,
        }
    }
}

#[derive(Serialize)]
struct Summary {
    files: usize,
    findings: usize,
    fixable: usize,
    unsafe_fixes_not_applied: usize,
    pins_not_applied: usize,
    fixes_applied: usize,
    files_changed: usize,
    errors: usize,
}

impl From<Totals> for Summary {
    fn from(t: Totals) -> Self {
        Self {
            files: t.files,
            findings: t.findings,
            fixable: t.fixable,
            unsafe_fixes_not_applied: t.unsafe_hidden,
            pins_not_applied: t.pin_hidden,
            fixes_applied: t.applied,
            files_changed: t.changed_files,
            errors: t.errors,
        }
    }
}

fn finding(f: &Located) -> JsonFinding<'_> {
    JsonFinding {
        rule: f.rule,
        codes: f.codes,
        message: &f.message,
        line: f.start.line,
        column: f.start.column,
        end_line: f.end.line,
        end_column: f.end.column,
        fixable: f.fixable,
        applicability: f.fix.as_ref().map(|fix| fix.applicability.as_str()),
        fixable_with: f.fixable_with(),
        edits: f
            .fix
            .iter()
            .flat_map(|fix| &fix.edits)
            .map(|e| Edit {
                start: e.start.into(),
                end: e.end.into(),
                content: &e.content,
            })
            .collect(),
        files: f
            .fix
            .iter()
            .flat_map(|fix| &fix.files)
            .map(|file| FileWrite {
                path: file.path.display().to_string(),
                created: file.before.is_none(),
                content: file.after.clone(),
            })
            .collect(),
    }
}

fn file(report: &FileReport) -> File<'_> {
    let style = super::Style { color: false };
    File {
        path: &report.name,
        findings: report.findings.iter().map(finding).collect(),
        applied: report
            .applied_rules
            .iter()
            .map(|&(rule, count)| Applied { rule, count })
            .collect(),
        diff: report
            .change
            .as_ref()
            .map(|(old, new)| super::unified_diff(&report.name, old, new, style)),
        other_files: report
            .files
            .iter()
            .map(|(path, old, new)| OtherFile {
                path,
                created: old.is_none(),
                diff: super::file_diff(path, old.as_deref(), new, style),
            })
            .collect(),
        error: report.error.as_ref().map(|e| JsonError {
            message: &e.message,
            line: e.at.map(|(line, _)| line),
            column: e.at.map(|(_, column)| column),
        }),
    }
}

pub fn render(outcome: &Outcome) -> String {
    let document = Document {
        version: SCHEMA_VERSION,
        tool: Tool {
            name: "dockerfix",
            version: env!("CARGO_PKG_VERSION"),
        },
        mode: outcome.mode.as_str(),
        files: outcome.reports.iter().map(file).collect(),
        errors: &outcome.errors,
        summary: outcome.totals().into(),
    };
    let mut text = serde_json::to_string_pretty(&document).expect("plain data serializes");
    text.push('\n');
    text
}
