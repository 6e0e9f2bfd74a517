//! The `check` and `fix` commands: process every input in parallel, then
//! report in path order in the chosen format, and say how the run ended as
//! an exit code.

use std::collections::BTreeMap;
use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::config::{ConfigError, FolderSettings, Overrides, Resolver, Settings, SetupError};
use crate::context::{BuildContext, Contexts};
use crate::discovery::{self, Input};
use crate::document::{Document, join_bom, split_bom};
use crate::edits::{Applicability, FileEdit, Fix, fix_until_stable, fix_until_stable_with};
use crate::files::{read_text, write_atomic, write_if_unchanged};
use crate::ignores::{Ignores, UNUSED_IGNORE};
use crate::output::{self, Format, Style};
use crate::registry::{self, ImageName, Resolution};
pub use crate::report::Mode;
use crate::report::plural;
use crate::report::{FileError, FileReport, Located, LocatedEdit, LocatedFix, Outcome, Position};
use crate::rules::{self, Context, Finding, pin_digest};

/// Exit codes, as documented in `--help`.
pub mod exit {
    /// Nothing to fix, or everything was fixed in place.
    pub const CLEAN: u8 = 0;
    /// `check` found something, `fix --dry-run` would change something, or
    /// (with `--exit-non-zero-on-fix`) `fix` changed something.
    pub const FOUND: u8 = 1;
    /// An error: unreadable or unparseable file, failed write, bad option
    /// or configuration.
    pub const ERROR: u8 = 2;
}

/// Runs with at least this many inputs show a progress bar (on a terminal).
pub const PROGRESS_MIN_FILES: usize = 50;

pub struct Run {
    pub mode: Mode,
    /// The settings of each file's folder.
    pub config: Resolver,
    pub paths: Vec<PathBuf>,
    /// The name standard input is shown under.
    pub stdin_name: String,
    pub color: bool,
    pub format: Format,
    /// Write the report here instead of standard output.
    pub output: Option<PathBuf>,
    /// No summary line and no progress bar.
    pub quiet: bool,
    /// `fix` exits 1 when it changed a file.
    pub exit_non_zero_on_fix: bool,
    /// Report ignore comments that silence nothing.
    pub report_unused_ignores: bool,
    /// Files and folders left out, even when named.
    pub skip: Vec<PathBuf>,
    /// pin-digest: `fix` asks registries for digests (never by default).
    pub pin: bool,
    /// pin-digest: replace pinned digests their tag no longer points to.
    pub update_digests: bool,
    /// pin-digest: how registries are reached.
    pub registry: registry::Settings,
    /// `--context DIR`: the build context of every input.
    pub context: Option<PathBuf>,
    /// What the run read of its build contexts.
    pub contexts: Contexts,
}

impl Run {
    /// A run with the default options (text, no output file).
    pub fn new(mode: Mode, overrides: Overrides, paths: Vec<PathBuf>) -> Result<Self, SetupError> {
        Ok(Self {
            mode,
            config: Resolver::new(overrides)?,
            paths,
            stdin_name: "-".into(),
            color: false,
            format: Format::Text,
            output: None,
            quiet: false,
            exit_non_zero_on_fix: false,
            report_unused_ignores: false,
            skip: Vec::new(),
            pin: false,
            update_digests: false,
            registry: registry::Settings::default(),
            context: None,
            contexts: Contexts::default(),
        })
    }
}

/// Whether to draw a progress bar: many files, text output, a terminal.
pub fn show_progress(format: Format, quiet: bool, stderr_is_terminal: bool, files: usize) -> bool {
    format == Format::Text && !quiet && stderr_is_terminal && files >= PROGRESS_MIN_FILES
}

/// Runs `check` or `fix` and returns the exit code.
pub fn run(run: &Run) -> u8 {
    let config_errors = std::sync::Mutex::new(Vec::<ConfigError>::new());
    let skipped: Vec<PathBuf> = run
        .skip
        .iter()
        .filter_map(|p| std::fs::canonicalize(p).ok())
        .collect();
    let is_skipped = |path: &Path| {
        !skipped.is_empty()
            && std::fs::canonicalize(path).is_ok_and(|p| skipped.iter().any(|s| p.starts_with(s)))
    };
    let wanted = |path: &Path, explicit: bool| match run.config.for_file(path) {
        _ if is_skipped(path) => false,
        Ok(folder) => folder.wants(path, explicit),
        Err(e) => {
            config_errors.lock().unwrap().push(e);
            false
        }
    };
    let (inputs, discovery_errors) = discovery::discover_with(&run.paths, &wanted);
    let mut config_errors = config_errors.into_inner().unwrap();
    if inputs.contains(&Input::Stdin)
        && let Err(e) = run.config.for_folder(&stdin_folder(&run.stdin_name))
    {
        config_errors.push(e);
    }
    if !config_errors.is_empty() {
        // A configuration that cannot be read stops the run: its files
        // would otherwise be processed with settings nobody asked for.
        config_errors.sort_by_key(ToString::to_string);
        config_errors.dedup();
        for error in &config_errors {
            eprintln!("error: {error}");
        }
        return exit::ERROR;
    }
    let stdin = if inputs.contains(&Input::Stdin) {
        Some(read_stdin())
    } else {
        None
    };

    let resolution = resolve_images(run, &inputs, stdin.as_ref());
    let context = Context {
        digests: resolution.as_ref().map(|r| &r.resolution.digests),
        update_digests: run.update_digests,
        build: None,
    };

    let progress = if show_progress(
        run.format,
        run.quiet,
        std::io::stderr().is_terminal(),
        inputs.len(),
    ) {
        indicatif::ProgressBar::new(inputs.len() as u64).with_style(
            indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} files")
                .expect("a valid template"),
        )
    } else {
        indicatif::ProgressBar::hidden()
    };
    let reports: Vec<FileReport> = inputs
        .par_iter()
        .map(|input| {
            let report = match input {
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
            };
            progress.inc(1);
            report
        })
        .collect();
    progress.finish_and_clear();
    // Locked only now: the progress bar writes to it from other threads.
    let mut stderr = std::io::stderr().lock();

    let outcome = Outcome {
        mode: run.mode,
        reports,
        errors: discovery_errors
            .iter()
            .map(|e| format!("{}: {}", e.path.display(), e.message))
            .collect(),
    };
    let style = Style { color: run.color };
    let mut code = exit_code(run, &outcome);

    for error in &outcome.errors {
        let _ = writeln!(stderr, "error: {error}");
    }
    if let Some(resolution) = &resolution {
        for error in &resolution.errors {
            let _ = writeln!(stderr, "{}: {error}", style.red("error"));
            code = exit::ERROR;
        }
        if let Some(summary) = resolution.summary.as_ref().filter(|_| !run.quiet) {
            let _ = writeln!(stderr, "{summary}");
        }
    }
    for report in &outcome.reports {
        if let Some(error) = &report.error {
            let _ = writeln!(stderr, "{}: {}", style.red("error"), error.message);
        }
    }

    // Fixing standard input in place writes the fixed text to standard
    // output; on an error the input is passed through unchanged.
    let stdin_fixed = match (run.mode, &stdin) {
        (Mode::Fix { dry_run: false }, Some(Ok(bytes))) => {
            let report = outcome.reports.iter().find(|r| r.stdin);
            Some(match report.and_then(|r| r.change.as_ref()) {
                Some((_, new)) => new.as_bytes().to_vec(),
                None => bytes.clone(),
            })
        }
        _ => None,
    };
    let body = output::render(run.format, &outcome, style);
    let mut stdout = std::io::stdout().lock();
    if let Some(fixed) = &stdin_fixed {
        let _ = stdout.write_all(fixed);
    }
    match &run.output {
        Some(path) => {
            if let Err(e) = std::fs::write(path, body.as_bytes()) {
                let _ = writeln!(stderr, "error: {}: cannot write: {e}", path.display());
                code = exit::ERROR;
            }
        }
        // Standard output carries the fixed text: the report goes aside.
        None if stdin_fixed.is_some() => {
            let _ = stderr.write_all(body.as_bytes());
        }
        None => {
            let _ = stdout.write_all(body.as_bytes());
        }
    }
    let _ = stdout.flush();
    if !run.quiet {
        let _ = writeln!(stderr, "{}", outcome.totals().summary(run.mode));
    }
    code
}

fn exit_code(run: &Run, outcome: &Outcome) -> u8 {
    let errors = !outcome.errors.is_empty() || outcome.reports.iter().any(|r| r.error.is_some());
    if errors {
        return exit::ERROR;
    }
    let found = match run.mode {
        Mode::Check => outcome.reports.iter().any(|r| !r.findings.is_empty()),
        Mode::Fix { dry_run: true } => outcome.reports.iter().any(FileReport::changed),
        Mode::Fix { dry_run: false } => {
            run.exit_non_zero_on_fix && outcome.reports.iter().any(FileReport::changed)
        }
    };
    if found { exit::FOUND } else { exit::CLEAN }
}

/// The folder whose configuration applies to standard input: that of the
/// `--stdin-filename`, else the current folder.
fn stdin_folder(name: &str) -> PathBuf {
    match Path::new(name).parent() {
        Some(parent) if name != "-" && !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// The build context of an input: `--context`, else `[context]` of the
/// configuration, else the Dockerfile's folder; standard input has one only
/// with `--context`.
fn context_dir(run: &Run, folder: &FolderSettings, path: Option<&Path>) -> Option<PathBuf> {
    if let Some(dir) = &run.context {
        return Some(dir.clone());
    }
    let path = path?;
    if let Some(dir) = folder.context_for(path) {
        return Some(dir);
    }
    Some(
        path.parent()
            .filter(|p| !p.as_os_str().is_empty())
            .map_or_else(|| PathBuf::from("."), Path::to_path_buf),
    )
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

fn read_stdin() -> Result<Vec<u8>, String> {
    let mut bytes = Vec::new();
    std::io::stdin()
        .read_to_end(&mut bytes)
        .map(|_| bytes)
        .map_err(|e| e.to_string())
}

/// A file error with its place.
fn located_error(message: String, at: Option<(usize, usize)>) -> Option<FileError> {
    Some(FileError { message, at })
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
    let mut report = FileReport::new(name, path.is_none());
    let folder = match path {
        Some(path) => run.config.for_file(path),
        None => run.config.for_folder(&stdin_folder(name)),
    };
    let folder = match folder {
        Ok(folder) => folder,
        Err(e) => {
            report.error = located_error(format!("{name}: {e}"), None);
            return report;
        }
    };
    let settings = &folder.settings;
    let build = context_dir(run, &folder, path).map(|dir| run.contexts.get(dir));
    let context = Context {
        build: build.as_ref(),
        ..context
    };
    let source = match bytes {
        Ok(bytes) => match read_text(bytes) {
            Ok(text) => text,
            Err((line, column, reason)) => {
                report.error = located_error(
                    format!("{name}:{line}:{column}: {reason}"),
                    Some((line, column)),
                );
                return report;
            }
        },
        Err(reason) => {
            report.error = located_error(format!("{name}: cannot read: {reason}"), None);
            return report;
        }
    };
    let (bom, doc) = match parse_source(name, &source) {
        Ok(parsed) => parsed,
        Err(error) => {
            report.error = Some(error);
            return report;
        }
    };
    let report_unused = run.report_unused_ignores;
    let check = |d: &Document<'_>| findings_of(d, settings, report_unused, context);
    let findings = check(&doc);
    let unsafe_fixes = settings.unsafe_fixes;
    let bom_len = if bom { '\u{feff}'.len_utf8() } else { 0 };
    report.findings = findings
        .iter()
        .map(|f| locate(&doc, f, unsafe_fixes, bom_len))
        .collect();
    let Mode::Fix { dry_run } = run.mode else {
        return report;
    };

    let written = |file: &FileEdit| {
        if let Some(build) = &build {
            build.record_written(&file.path, &file.after);
        }
    };
    let outcome = match fix_until_stable_with(&doc, &findings, check, unsafe_fixes, written) {
        Ok(outcome) => outcome,
        Err(e) => {
            report.error = located_error(format!("{name}: {e}"), None);
            return report;
        }
    };
    let fixed = join_bom(bom, &outcome.text);
    // The other files first: when one cannot be written, the Dockerfile
    // stays as it was.
    for file in outcome.files.iter().filter(|_| !dry_run) {
        if let Err(e) = write_if_unchanged(&file.path, file.before.as_deref(), &file.after) {
            report.error = located_error(
                format!(
                    "{name}: cannot write {}: {e}; the Dockerfile was left unchanged",
                    file.path.display()
                ),
                None,
            );
            return report;
        }
    }
    report.files = outcome
        .files
        .iter()
        .map(|f| {
            (
                f.path.display().to_string(),
                f.before.clone(),
                f.after.clone(),
            )
        })
        .collect();
    if let Some(path) = path.filter(|_| !dry_run && fixed != source)
        && let Err(e) = write_atomic(path, fixed.as_bytes())
    {
        report.error = located_error(
            format!("{name}: cannot write the fixed file: {e}; it was left unchanged"),
            None,
        );
        return report;
    }
    report.applied = outcome.applied.len();
    let mut per_rule = BTreeMap::new();
    for rule in &outcome.applied {
        *per_rule.entry(*rule).or_insert(0) += 1;
    }
    report.applied_rules = per_rule.into_iter().collect();
    report.change = Some((source.clone(), fixed));
    report
}

/// Parses a file's text (after its BOM, if any); a parse error is placed.
fn parse_source<'t>(name: &str, source: &'t str) -> Result<(bool, Document<'t>), FileError> {
    let (bom, text) = split_bom(source);
    Document::parse(text)
        .map(|doc| (bom, doc))
        .map_err(|e| FileError {
            message: format!(
                "{name}:{}:{}: cannot parse: {}",
                e.line, e.column, e.message
            ),
            at: Some((e.line, e.column)),
        })
}

/// A text with the fixes of some settings applied.
#[derive(Debug, Clone)]
pub struct FixedText {
    /// The fixed text, BOM included when the original has one.
    pub text: String,
    /// The rule of every applied fix, once per fix.
    pub applied: Vec<&'static str>,
}

/// Fixes `source` (a whole file, BOM included) as `fix` would with
/// `settings` and the build context `build`, without pinning digests: the
/// text `verify` builds.
pub fn fix_text(
    name: &str,
    source: &str,
    settings: &Settings,
    build: Option<&BuildContext>,
) -> Result<FixedText, FileError> {
    fix_text_without(name, source, settings, build, &[])
}

/// [`fix_text`] with the unsafe fixes of the rules `left_out` not applied
/// (their safe fixes are): the texts `fix --verified` builds.
pub fn fix_text_without(
    name: &str,
    source: &str,
    settings: &Settings,
    build: Option<&BuildContext>,
    left_out: &[&str],
) -> Result<FixedText, FileError> {
    let (bom, doc) = parse_source(name, source)?;
    let context = Context {
        build,
        ..Context::default()
    };
    let check = |d: &Document<'_>| {
        let mut findings = findings_of(d, settings, false, context);
        for finding in &mut findings {
            let unsafe_fix = finding
                .fix
                .as_ref()
                .is_some_and(|f| f.applicability == Applicability::Unsafe);
            // A fix that writes another file (a `.dockerignore`) is `fix`'s
            // to write: the text built here is the Dockerfile's alone.
            let other_files = finding.fix.as_ref().is_some_and(|f| !f.files.is_empty());
            if unsafe_fix && left_out.contains(&finding.rule) || other_files {
                finding.fix = None;
            }
        }
        findings
    };
    let findings = check(&doc);
    let outcome =
        fix_until_stable(&doc, &findings, check, settings.unsafe_fixes).map_err(|e| FileError {
            message: format!("{name}: {e}"),
            at: None,
        })?;
    Ok(FixedText {
        text: join_bom(bom, &outcome.text),
        applied: outcome.applied,
    })
}

/// The findings of `doc` a run shows and fixes: the rules' findings less
/// those an ignore comment silences, plus the ignores that silence nothing
/// when asked; sorted by position.
fn findings_of(
    doc: &Document<'_>,
    settings: &Settings,
    report_unused: bool,
    context: Context<'_>,
) -> Vec<Finding> {
    let all = rules::check_with(doc, &settings.rules, &settings.options, context);
    let ignores = Ignores::parse(doc, settings.hadolint_pragmas);
    if ignores.is_empty() {
        return all;
    }
    let unused = if report_unused {
        ignores.unused(doc, &all, &settings.rules)
    } else {
        Vec::new()
    };
    let mut findings = ignores.filter(all);
    findings.extend(unused);
    findings.sort_by_key(|f| (f.span.start, f.span.end));
    findings
}

/// Places a finding and its fix in the file.
fn locate(doc: &Document<'_>, f: &Finding, unsafe_fixes: bool, bom_len: usize) -> Located {
    let position = |offset: usize| {
        let (line, column) = doc.line_column(offset);
        Position {
            line,
            column,
            offset: offset + bom_len,
        }
    };
    let fix = f.fix.as_ref();
    let codes = rules::by_id(f.rule).map_or(UNUSED_IGNORE.codes, |r| r.codes);
    Located {
        rule: f.rule,
        codes,
        start: position(f.span.start),
        end: position(f.span.end),
        message: f.message.clone(),
        fix: fix.map(|fix: &Fix| LocatedFix {
            applicability: fix.applicability,
            edits: fix
                .edits
                .iter()
                .map(|e| LocatedEdit {
                    start: position(e.range.start),
                    end: position(e.range.end),
                    content: e.content.clone(),
                })
                .collect(),
            files: fix.files.clone(),
        }),
        fixable: fix.is_some_and(|fix| fix.is_applicable(unsafe_fixes)),
        unsafe_hidden: fix
            .is_some_and(|fix| !unsafe_fixes && fix.applicability == Applicability::Unsafe),
        fix_with: if fix.is_none() { f.fix_with } else { None },
    }
}

/// Colour when stdout is a terminal and `NO_COLOR` is unset.
pub fn stdout_color() -> bool {
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
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
/// `None` when pinning is not asked for (`--pin`): no network otherwise. No
/// request is made when nothing needs pinning.
fn resolve_images(
    run: &Run,
    inputs: &[Input],
    stdin: Option<&Result<Vec<u8>, String>>,
) -> Option<ImageResolution> {
    let Mode::Fix { .. } = run.mode else {
        return None;
    };
    if !run.pin {
        return None;
    }
    let update = run.update_digests;
    // Unreadable or unparseable inputs are reported when they are processed.
    let uses: Vec<(String, Vec<Lookup>)> = inputs
        .par_iter()
        .map(|input| {
            let (name, bytes, folder) = match input {
                Input::Stdin => (
                    run.stdin_name.clone(),
                    stdin.and_then(|s| s.as_ref().ok()).cloned(),
                    run.config.for_folder(&stdin_folder(&run.stdin_name)),
                ),
                Input::File(path) => (
                    path.display().to_string(),
                    std::fs::read(path).ok(),
                    run.config.for_file(path),
                ),
            };
            let pins =
                folder.is_ok_and(|f| f.settings.rules.iter().any(|r| r.id == pin_digest::RULE.id));
            let Some(source) = bytes.filter(|_| pins).and_then(|b| read_text(b).ok()) else {
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
    let resolution = registry::resolve(&run.registry, &names, update);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_only_for_many_files_on_a_terminal_in_text() {
        assert!(show_progress(Format::Text, false, true, PROGRESS_MIN_FILES));
        assert!(!show_progress(
            Format::Text,
            false,
            true,
            PROGRESS_MIN_FILES - 1
        ));
        assert!(!show_progress(Format::Text, false, false, 1000));
        assert!(!show_progress(Format::Text, true, true, 1000));
        for format in [
            Format::Json,
            Format::Sarif,
            Format::Markdown,
            Format::Github,
        ] {
            assert!(!show_progress(format, false, true, 1000));
        }
    }
}
