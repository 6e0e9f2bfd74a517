//! The `check` and `fix` commands: process every input in parallel, then
//! report in path order, and say how the run ended as an exit code.

use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::config::Settings;
use crate::discovery::{self, Input};
use crate::document::{Document, join_bom, split_bom};
use crate::edits::{Applicability, fix_until_stable};
use crate::files::{read_text, write_atomic};
use crate::output::{Style, unified_diff};
use crate::registry::{self, ImageName, Resolution};
use crate::rules::{self, Context, pin_digest};

/// Exit codes, as documented in `--help`.
pub mod exit {
    /// Nothing to fix, or everything was fixed in place.
    pub const CLEAN: u8 = 0;
    /// `check` found something, or `fix --dry-run` would change something.
    pub const FOUND: u8 = 1;
    /// An error: unreadable or unparseable file, failed write, bad option.
    pub const ERROR: u8 = 2;
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Check,
    Fix { dry_run: bool },
}

pub struct Run {
    pub mode: Mode,
    pub settings: Settings,
    pub paths: Vec<PathBuf>,
    /// The name standard input is shown under.
    pub stdin_name: String,
    pub color: bool,
}

/// A finding placed in its file, ready to show.
#[derive(Debug, Clone)]
pub struct Located {
    pub rule: &'static str,
    pub line: usize,
    pub column: usize,
    pub message: String,
    /// A fix exists and this run's settings allow it.
    pub fixable: bool,
    /// A fix exists but needs `--unsafe-fixes`.
    pub unsafe_hidden: bool,
}

/// What happened to one input.
pub struct FileReport {
    pub name: String,
    pub findings: Vec<Located>,
    /// Original and fixed text (with BOM), when fixing ran.
    pub change: Option<(String, String)>,
    pub applied: usize,
    pub error: Option<String>,
}

/// Runs `check` or `fix` and returns the exit code.
pub fn run(run: &Run) -> u8 {
    let (inputs, discovery_errors) = discovery::discover(&run.paths);
    let mut code = exit::CLEAN;
    let mut stderr = std::io::stderr().lock();
    for error in &discovery_errors {
        let _ = writeln!(stderr, "error: {}: {}", error.path.display(), error.message);
        code = exit::ERROR;
    }
    let stdin = if inputs.contains(&Input::Stdin) {
        Some(read_stdin())
    } else {
        None
    };
    let style = Style { color: run.color };

    let resolution = resolve_images(run, &inputs, stdin.as_ref());
    if let Some(resolution) = &resolution {
        for error in &resolution.errors {
            let _ = writeln!(stderr, "{}: {error}", style.red("error"));
            code = exit::ERROR;
        }
        if let Some(summary) = &resolution.summary {
            let _ = writeln!(stderr, "{summary}");
        }
    }
    let context = Context {
        digests: resolution.as_ref().map(|r| &r.resolution.digests),
        update_digests: run.settings.update_digests,
    };

    let reports: Vec<FileReport> = inputs
        .par_iter()
        .map(|input| match input {
            Input::Stdin => {
                let bytes = stdin
                    .as_ref()
                    .map_or_else(|| Err("no input".to_owned()), Clone::clone);
                process(run, context, &run.stdin_name, bytes, None)
            }
            Input::File(path) => {
                let bytes = std::fs::read(path).map_err(|e| e.to_string());
                process(run, context, &path.display().to_string(), bytes, Some(path))
            }
        })
        .collect();

    let mut stdout = std::io::stdout().lock();
    let mut totals = Totals::default();
    for (input, report) in inputs.iter().zip(&reports) {
        totals.add(report);
        if let Some(error) = &report.error {
            let _ = writeln!(stderr, "{}: {error}", style.red("error"));
            code = exit::ERROR;
        }
        match run.mode {
            Mode::Check => {
                for f in &report.findings {
                    let mark = if f.fixable { " [*]" } else { "" };
                    let _ = writeln!(
                        stdout,
                        "{}:{}:{}: {} {}{mark}",
                        report.name,
                        f.line,
                        f.column,
                        style.bold(f.rule),
                        f.message
                    );
                }
                if !report.findings.is_empty() && code == exit::CLEAN {
                    code = exit::FOUND;
                }
            }
            Mode::Fix { dry_run } => {
                let Some((old, new)) = &report.change else {
                    // Fixing stdin to stdout never loses the input: on an
                    // error it is passed through unchanged.
                    if let (Input::Stdin, false, Some(Ok(bytes))) = (input, dry_run, &stdin) {
                        let _ = stdout.write_all(bytes);
                    }
                    continue;
                };
                if *input == Input::Stdin && !dry_run {
                    let _ = stdout.write_all(new.as_bytes());
                } else if dry_run {
                    let _ =
                        stdout.write_all(unified_diff(&report.name, old, new, style).as_bytes());
                    if old != new && code == exit::CLEAN {
                        code = exit::FOUND;
                    }
                }
            }
        }
    }
    let _ = stdout.flush();
    let _ = writeln!(stderr, "{}", totals.summary(run.mode));
    code
}

/// Reads, checks and (in fix mode) fixes one file; a file that cannot be
/// read (it vanished since discovery, say) is an error in the report.
pub fn process_path(run: &Run, path: &Path) -> FileReport {
    let bytes = std::fs::read(path).map_err(|e| e.to_string());
    process(
        run,
        Context::default(),
        &path.display().to_string(),
        bytes,
        Some(path),
    )
}

/// An image reference to resolve: line, column, text as written, name.
type Lookup = (usize, usize, String, ImageName);

/// The digests a `fix` run needs, with one located error per reference
/// that could not be resolved.
struct ImageResolution {
    resolution: Resolution,
    errors: Vec<String>,
    summary: Option<String>,
}

/// Before fixing: collects the image references of every input that
/// pin-digest would pin, and resolves each distinct name once, concurrently.
/// `None` when pinning is not part of this run; no request is made when
/// nothing needs pinning.
fn resolve_images(
    run: &Run,
    inputs: &[Input],
    stdin: Option<&Result<Vec<u8>, String>>,
) -> Option<ImageResolution> {
    let Mode::Fix { .. } = run.mode else {
        return None;
    };
    // Pinning is asked for (`--pin`): no network otherwise.
    if !run.settings.pin
        || !run
            .settings
            .rules
            .iter()
            .any(|r| r.id == pin_digest::RULE.id)
    {
        return None;
    }
    let update = run.settings.update_digests;
    // Unreadable or unparseable inputs are reported when they are processed.
    let uses: Vec<(String, Vec<Lookup>)> = inputs
        .par_iter()
        .map(|input| {
            let (name, bytes) = match input {
                Input::Stdin => (
                    run.stdin_name.clone(),
                    stdin.and_then(|s| s.as_ref().ok()).cloned(),
                ),
                Input::File(path) => (path.display().to_string(), std::fs::read(path).ok()),
            };
            let Some(source) = bytes.and_then(|b| read_text(b).ok()) else {
                return (name, Vec::new());
            };
            let (_, text) = split_bom(&source);
            let Ok(doc) = Document::parse(text) else {
                return (name, Vec::new());
            };
            let found = pin_digest::lookups(&doc, update)
                .into_iter()
                .map(|(span, text, image)| {
                    let (line, column) = doc.line_column(span.start);
                    (line, column, text, image)
                })
                .collect();
            (name, found)
        })
        .collect();
    let names: std::collections::BTreeSet<ImageName> = uses
        .iter()
        .flat_map(|(_, found)| found.iter().map(|(.., name)| name.clone()))
        .collect();
    if names.is_empty() {
        return Some(ImageResolution {
            resolution: Resolution::default(),
            errors: Vec::new(),
            summary: None,
        });
    }
    let resolution = registry::resolve(&run.settings.registry, &names, update);
    let mut errors = Vec::new();
    for (file, found) in &uses {
        for (line, column, text, name) in found {
            if let Some(error) = resolution.errors.get(name) {
                errors.push(format!(
                    "{file}:{line}:{column}: pin-digest: cannot resolve `{text}` ({name}): {error}"
                ));
            }
        }
    }
    let summary = format!(
        "Resolved {} of {}: {} from registries ({}), {} from the cache.",
        resolution.digests.len(),
        plural(names.len(), "image tag"),
        resolution.from_registry,
        plural(resolution.requests, "request"),
        resolution.from_cache,
    );
    Some(ImageResolution {
        resolution,
        errors,
        summary: Some(summary),
    })
}

fn read_stdin() -> Result<Vec<u8>, String> {
    let mut bytes = Vec::new();
    std::io::stdin()
        .read_to_end(&mut bytes)
        .map(|_| bytes)
        .map_err(|e| e.to_string())
}

/// Reads, parses, checks and (in fix mode) fixes one input; writes it back
/// when fixing in place.
fn process(
    run: &Run,
    context: Context<'_>,
    name: &str,
    bytes: Result<Vec<u8>, String>,
    path: Option<&Path>,
) -> FileReport {
    let mut report = FileReport {
        name: name.to_owned(),
        findings: Vec::new(),
        change: None,
        applied: 0,
        error: None,
    };
    let source = match bytes {
        Ok(bytes) => match read_text(bytes) {
            Ok(text) => text,
            Err((line, column, reason)) => {
                report.error = Some(format!("{name}:{line}:{column}: {reason}"));
                return report;
            }
        },
        Err(reason) => {
            report.error = Some(format!("{name}: cannot read: {reason}"));
            return report;
        }
    };
    let (bom, text) = split_bom(&source);
    let doc = match Document::parse(text) {
        Ok(doc) => doc,
        Err(e) => {
            report.error = Some(format!(
                "{name}:{}:{}: cannot parse: {}",
                e.line, e.column, e.message
            ));
            return report;
        }
    };
    let findings = rules::check_with(&doc, &run.settings.rules, context);
    let unsafe_fixes = run.settings.unsafe_fixes;
    report.findings = findings
        .iter()
        .map(|f| {
            let (line, column) = doc.line_column(f.span.start);
            let fix = f.fix.as_ref();
            Located {
                rule: f.rule,
                line,
                column,
                message: f.message.clone(),
                fixable: fix.is_some_and(|fix| fix.is_applicable(unsafe_fixes)),
                unsafe_hidden: fix
                    .is_some_and(|fix| !unsafe_fixes && fix.applicability == Applicability::Unsafe),
            }
        })
        .collect();
    let Mode::Fix { dry_run } = run.mode else {
        return report;
    };

    let rules = &run.settings.rules;
    let check = |d: &Document<'_>| rules::check_with(d, rules, context);
    let outcome = match fix_until_stable(&doc, &findings, check, unsafe_fixes) {
        Ok(outcome) => outcome,
        Err(e) => {
            report.error = Some(format!("{name}: {e}"));
            return report;
        }
    };
    report.applied = outcome.applied.len();
    let fixed = join_bom(bom, &outcome.text);
    if let Some(path) = path.filter(|_| !dry_run && fixed != source)
        && let Err(e) = write_atomic(path, fixed.as_bytes())
    {
        report.error = Some(format!(
            "{name}: cannot write the fixed file: {e}; it was left unchanged"
        ));
        report.applied = 0;
        return report;
    }
    report.change = Some((source.clone(), fixed));
    report
}

#[derive(Default)]
struct Totals {
    files: usize,
    findings: usize,
    fixable: usize,
    unsafe_hidden: usize,
    applied: usize,
    changed_files: usize,
    errors: usize,
}

impl Totals {
    fn add(&mut self, report: &FileReport) {
        self.files += 1;
        self.findings += report.findings.len();
        self.fixable += report.findings.iter().filter(|f| f.fixable).count();
        self.unsafe_hidden += report.findings.iter().filter(|f| f.unsafe_hidden).count();
        self.applied += report.applied;
        self.changed_files += usize::from(report.change.as_ref().is_some_and(|(o, n)| o != n));
        self.errors += usize::from(report.error.is_some());
    }

    fn summary(&self, mode: Mode) -> String {
        let files = plural(self.files, "file");
        let errors = match self.errors {
            0 => String::new(),
            n => format!("; {} could not be processed", plural(n, "file")),
        };
        let hidden = match self.unsafe_hidden {
            0 => String::new(),
            n => format!(" ({n} more with --unsafe-fixes)"),
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

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else if word.ends_with('x') {
        format!("{n} {word}es")
    } else {
        format!("{n} {word}s")
    }
}

/// Colour when stdout is a terminal and `NO_COLOR` is unset.
pub fn stdout_color() -> bool {
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
}
