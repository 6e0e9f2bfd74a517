//! `dockerfix verify`: the fixes proven by building. For each Dockerfile,
//! the original and the fixed text are built with a real builder, both
//! images are exported and read (nothing runs inside them), and the report
//! says what the fixes changed in the image, file by file, with a verdict.

pub mod archive;
pub mod builder;
pub mod command;
pub mod compare;
pub mod filesystem;
pub mod image;
pub mod installed;
pub mod layer;
pub mod output;
pub mod process;
pub mod progress;
pub mod readiness;
pub mod smoke;
pub mod verified;

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::commands::{FixedText, fix_text};
use crate::config::{Resolver, Settings};
use crate::context::BuildContext;
use crate::discovery::{self, Input};
use crate::files::read_text;

use archive::LayerCache;
pub use builder::{BuildOptions, Builder, Choice};
use compare::Comparison;
use image::Image;
use process::Stopped;
use readiness::Problem;

/// Exit codes of `verify`.
pub mod exit {
    /// Every file is unchanged, equivalent, changed or not built.
    pub const OK: u8 = 0;
    /// A fix broke a build that passed.
    pub const BROKEN: u8 = 1;
    /// No builder, a bad option, or a file that cannot be read.
    pub const ERROR: u8 = 2;
}

/// What a verify run was asked to do.
pub struct VerifyRun {
    pub config: Resolver,
    pub paths: Vec<PathBuf>,
    pub builder: Builder,
    pub options: BuildOptions,
    /// The build context for every file (else the configuration's
    /// `[context]`, else the Dockerfile's folder).
    pub context: Option<PathBuf>,
    pub timeout: Duration,
    pub jobs: usize,
}

/// How the fixes changed the image, in one word.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// No fix applies: nothing was built.
    Unchanged,
    /// Only expected deltas: caches, logs, layers, and the metadata an
    /// applied rule sets.
    Equivalent,
    /// Packages or files differ, or the image may not start as before.
    Changed,
    /// The fixed file does not build, but the original does.
    Broken,
    /// The original does not build: nothing to compare.
    NotBuilt,
    /// The file could not be read, parsed or fixed.
    Error,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Unchanged => "unchanged",
            Verdict::Equivalent => "equivalent",
            Verdict::Changed => "changed",
            Verdict::Broken => "broken",
            Verdict::NotBuilt => "not-built",
            Verdict::Error => "error",
        }
    }
}

/// One side of the comparison: a build and, when it built, its image.
#[derive(Debug, Default)]
pub struct Side {
    pub built: bool,
    /// Why it did not build (the builder's last lines), or why the image
    /// could not be read.
    pub error: Option<String>,
    pub image: Option<Image>,
    pub build_time: Duration,
    /// The build did not end by itself (timeout, Ctrl-C) or could not
    /// start: an error of the run, not a verdict on the file.
    pub stopped: bool,
}

/// Where the time of one file went.
#[derive(Debug, Default, Clone, Copy)]
pub struct Timings {
    /// The builds of the original and the fixed file.
    pub builds: Duration,
    /// Rebuilds to find the rule that broke the build.
    pub bisect: Duration,
    /// Exporting and reading both images, as far as it runs after the
    /// builds (the original's image is read while the fixed file builds).
    pub export_read: Duration,
    /// Comparing them.
    pub compare: Duration,
    pub total: Duration,
}

/// What verify found for one file.
#[derive(Debug)]
pub struct FileVerification {
    pub path: String,
    pub verdict: Verdict,
    /// Fixes applied per rule, sorted by rule id.
    pub rules: Vec<(&'static str, usize)>,
    pub before: Side,
    pub after: Side,
    pub comparison: Option<Comparison>,
    /// Readiness checks that pass on the original and fail on the fixed
    /// image.
    pub warnings: Vec<Problem>,
    /// The rule whose fixes broke the build, found by rebuilding without
    /// them.
    pub culprit: Option<&'static str>,
    /// What the bisect found when no single rule is to blame.
    pub bisect_note: Option<String>,
    /// The file itself could not be processed.
    pub error: Option<String>,
    pub timings: Timings,
}

impl FileVerification {
    fn new(path: String) -> Self {
        Self {
            path,
            verdict: Verdict::Unchanged,
            rules: Vec::new(),
            before: Side::default(),
            after: Side::default(),
            comparison: None,
            warnings: Vec::new(),
            culprit: None,
            bisect_note: None,
            error: None,
            timings: Timings::default(),
        }
    }
}

/// Everything a verify run found, in path order.
#[derive(Debug)]
pub struct VerifyOutcome {
    pub builder: String,
    pub files: Vec<FileVerification>,
    /// Paths that could not be searched.
    pub errors: Vec<String>,
    pub interrupted: bool,
}

impl VerifyOutcome {
    /// The exit code the outcome calls for.
    pub fn exit_code(&self) -> u8 {
        let error = !self.errors.is_empty()
            || self.interrupted
            || self.files.iter().any(|f| f.verdict == Verdict::Error);
        if error {
            exit::ERROR
        } else if self.files.iter().any(|f| f.verdict == Verdict::Broken) {
            exit::BROKEN
        } else {
            exit::OK
        }
    }
}

/// Images this run made that still exist: removed after each file, and by
/// the Ctrl-C path before exiting.
static IMAGES: Mutex<Vec<(Builder, String)>> = Mutex::new(Vec::new());

/// Removes every image this run made that is still there.
pub fn remove_all_images() {
    let images: Vec<(Builder, String)> = std::mem::take(&mut *lock(&IMAGES));
    for (builder, tag) in images {
        remove_image(&builder, &tag);
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

fn remove_image(builder: &Builder, tag: &str) {
    let mut command = builder.remove(&[tag.to_owned()]);
    command
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
    let _ = command.status();
    lock(&IMAGES).retain(|(_, t)| t != tag);
}

/// Progress of one file's builds, shown by the caller (a bar per file on a
/// terminal).
pub trait Progress: Sync {
    /// `phase` is what is going on (`building the original`, …); `step`
    /// the builder's step `(n, of, text)` when it said one.
    fn update(&self, path: &str, phase: &str, step: Option<(u64, u64, &str)>);
    fn finish(&self, path: &str);
}

/// No progress shown.
pub struct Silent;

impl Progress for Silent {
    fn update(&self, _: &str, _: &str, _: Option<(u64, u64, &str)>) {}
    fn finish(&self, _: &str) {}
}

/// Runs verify over every input and returns what it found.
pub fn run(run: &VerifyRun, progress: &dyn Progress) -> VerifyOutcome {
    let wanted = |path: &Path, explicit: bool| {
        run.config
            .for_file(path)
            .is_ok_and(|folder| folder.wants(path, explicit))
    };
    let (inputs, discovery_errors) = discovery::discover_with(&run.paths, &wanted);
    let mut errors: Vec<String> = discovery_errors
        .iter()
        .map(|e| format!("{}: {}", e.path.display(), e.message))
        .collect();
    let files: Vec<PathBuf> = inputs
        .into_iter()
        .filter_map(|input| match input {
            Input::File(path) => Some(path),
            Input::Stdin => {
                errors.push(
                    "-: verify builds files in their context; standard input is not supported"
                        .into(),
                );
                None
            }
        })
        .collect();
    let cache = LayerCache::default();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(run.jobs.max(1))
        .build();
    let verify_all = || -> Vec<FileVerification> {
        files
            .par_iter()
            .enumerate()
            .map(|(index, path)| {
                let result = verify_file(run, path, index, &cache, progress);
                progress.finish(&result.path);
                result
            })
            .collect()
    };
    let files = match pool {
        Ok(pool) => pool.install(verify_all),
        Err(_) => verify_all(),
    };
    remove_all_images();
    VerifyOutcome {
        builder: run.builder.description.clone(),
        files,
        errors,
        interrupted: process::cancelled(),
    }
}

/// Image tags of this run: unique per process, file and build.
fn tag(index: usize, what: &str) -> String {
    format!(
        "localhost/dockerfix-verify-{}-{index}:{what}",
        std::process::id()
    )
}

/// The build context of `path`.
fn context_of(run: &VerifyRun, path: &Path) -> PathBuf {
    if let Some(context) = &run.context {
        return context.clone();
    }
    if let Ok(folder) = run.config.for_file(path)
        && let Some(context) = folder.context_for(path)
    {
        return context;
    }
    path.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}

fn verify_file(
    run: &VerifyRun,
    path: &Path,
    index: usize,
    cache: &LayerCache,
    progress: &dyn Progress,
) -> FileVerification {
    let started = Instant::now();
    let name = path.display().to_string();
    let mut result = FileVerification::new(name.clone());
    let outcome = prepare(run, path, &name).map(|prepared| {
        result.rules = per_rule(&prepared.fixed.applied);
        (prepared.fixed.text != prepared.source).then_some(prepared)
    });
    let Prepared {
        settings,
        source,
        fixed,
        build: build_context,
    } = match outcome {
        Ok(Some(prepared)) => prepared,
        Ok(None) => {
            result.verdict = Verdict::Unchanged;
            result.timings.total = started.elapsed();
            return result;
        }
        Err(message) => {
            result.verdict = Verdict::Error;
            result.error = Some(message);
            result.timings.total = started.elapsed();
            return result;
        }
    };
    let context = context_of(run, path);
    let scratch = match Scratch::new(path) {
        Ok(scratch) => scratch,
        Err(e) => {
            result.verdict = Verdict::Error;
            result.error = Some(format!("{name}: cannot make a temporary folder: {e}"));
            return result;
        }
    };
    let build = |dockerfile: &Path, tag: &str, phase: &str| -> Side {
        progress.update(&name, phase, None);
        build_image(run, dockerfile, &context, tag, &|step| {
            progress.update(&name, phase, Some(step));
        })
    };

    let before_tag = tag(index, "before");
    result.before = build(path, &before_tag, "building the original");
    result.timings.builds += result.before.build_time;
    if result.before.stopped {
        result.verdict = Verdict::Error;
        result.error = Some(format!(
            "{name}: {}",
            result.before.error.clone().unwrap_or_default()
        ));
        return finish(result, &[before_tag], run);
    }
    if !result.before.built {
        result.verdict = Verdict::NotBuilt;
        result.timings.total = started.elapsed();
        return finish(result, &[before_tag], run);
    }
    let after_file = match scratch.write(&fixed.text) {
        Ok(file) => file,
        Err(e) => {
            result.verdict = Verdict::Error;
            result.error = Some(format!("{name}: cannot write the fixed copy: {e}"));
            return finish(result, &[before_tag], run);
        }
    };
    let after_tag = tag(index, "after");
    // The original's image is exported and read while the fixed file
    // builds: only what is left of that waits after the builds.
    std::thread::scope(|scope| {
        let before_read = scope.spawn(|| read_image(run, &before_tag, cache));
        let mut result = result;
        result.after = build(&after_file, &after_tag, "building the fixed file");
        result.timings.builds += result.after.build_time;
        let tags = vec![before_tag.clone(), after_tag.clone()];
        if result.after.stopped {
            result.verdict = Verdict::Error;
            result.error = Some(format!(
                "{name}: {}",
                result.after.error.clone().unwrap_or_default()
            ));
            let _ = before_read.join();
            return finish(result, &tags, run);
        }
        if !result.after.built {
            result.verdict = Verdict::Broken;
            let bisect_started = Instant::now();
            progress.update(&name, "finding the rule that broke the build", None);
            let attempts = Mutex::new(0);
            let (culprit, note) = bisect(
                &name,
                &source,
                &settings,
                &build_context,
                &fixed,
                &scratch,
                &|file| {
                    let attempt = {
                        let mut n = lock(&attempts);
                        *n += 1;
                        *n
                    };
                    let tag = tag(index, &format!("bisect{attempt}"));
                    let built = build(file, &tag, "rebuilding without some rules").built;
                    remove_image(&run.builder, &tag);
                    built
                },
            );
            result.culprit = culprit;
            result.bisect_note = note;
            result.timings.bisect = bisect_started.elapsed();
            result.timings.total = started.elapsed();
            let _ = before_read.join();
            return finish(result, &tags, run);
        }

        progress.update(&name, "reading the images", None);
        let read_started = Instant::now();
        let after = read_image(run, &after_tag, cache);
        let before = before_read
            .join()
            .unwrap_or_else(|_| Err("the reader failed".into()));
        result.timings.export_read = read_started.elapsed();
        match (before, after) {
            (Ok(before), Ok(after)) => {
                let compare_started = Instant::now();
                let applied: Vec<&'static str> = result.rules.iter().map(|(r, _)| *r).collect();
                let comparison = compare::compare(&before, &after, &applied);
                let was: Vec<Problem> = readiness::check(&before);
                result.warnings = readiness::check(&after)
                    .into_iter()
                    .filter(|p| {
                        !was.iter()
                            .any(|w| w.check == p.check && w.subject == p.subject)
                    })
                    .collect();
                result.verdict = if comparison.equivalent() && result.warnings.is_empty() {
                    Verdict::Equivalent
                } else {
                    Verdict::Changed
                };
                result.comparison = Some(comparison);
                result.before.image = Some(before);
                result.after.image = Some(after);
                result.timings.compare = compare_started.elapsed();
            }
            (before, after) => {
                result.verdict = Verdict::Error;
                let errors: Vec<String> =
                    [before.err(), after.err()].into_iter().flatten().collect();
                result.error = Some(format!("{name}: {}", errors.join("; ")));
            }
        }
        result.timings.total = started.elapsed();
        finish(result, &tags, run)
    })
}

/// Removes the images of one file; its result goes on.
fn finish(result: FileVerification, tags: &[String], run: &VerifyRun) -> FileVerification {
    for tag in tags {
        remove_image(&run.builder, tag);
    }
    result
}

/// The settings, original text and fixed text of one file.
/// What a file's verification starts from: its settings, its text, the
/// text fixed, and its build context (which the rules that read it see).
struct Prepared {
    settings: Settings,
    source: String,
    fixed: FixedText,
    build: BuildContext,
}

fn prepare(run: &VerifyRun, path: &Path, name: &str) -> Result<Prepared, String> {
    let folder = run
        .config
        .for_file(path)
        .map_err(|e| format!("{name}: {e}"))?;
    let bytes = std::fs::read(path).map_err(|e| format!("{name}: cannot read: {e}"))?;
    let source = read_text(bytes)
        .map_err(|(line, column, reason)| format!("{name}:{line}:{column}: {reason}"))?;
    let settings = folder.settings.clone();
    let build = BuildContext::new(context_of(run, path));
    let fixed = fix_text(name, &source, &settings, Some(&build)).map_err(|e| e.message)?;
    Ok(Prepared {
        settings,
        source,
        fixed,
        build,
    })
}

fn per_rule(applied: &[&'static str]) -> Vec<(&'static str, usize)> {
    let mut counts: std::collections::BTreeMap<&'static str, usize> = Default::default();
    for rule in applied {
        *counts.entry(rule).or_insert(0) += 1;
    }
    counts.into_iter().collect()
}

/// A temporary folder for the fixed copies of one Dockerfile, outside the
/// work tree. A `Dockerfile.dockerignore` beside the original is copied
/// beside each copy, so the builder sends the same context.
struct Scratch {
    dir: tempfile::TempDir,
    ignore: Option<Vec<u8>>,
    count: Mutex<usize>,
}

impl Scratch {
    fn new(original: &Path) -> std::io::Result<Self> {
        let dir = tempfile::Builder::new()
            .prefix("dockerfix-verify-")
            .tempdir()?;
        let mut ignore_name = original.as_os_str().to_owned();
        ignore_name.push(".dockerignore");
        let ignore = std::fs::read(PathBuf::from(ignore_name)).ok();
        Ok(Self {
            dir,
            ignore,
            count: Mutex::new(0),
        })
    }

    /// Writes `text` as a new Dockerfile; returns its path.
    fn write(&self, text: &str) -> std::io::Result<PathBuf> {
        let n = {
            let mut count = lock(&self.count);
            *count += 1;
            *count
        };
        let folder = self.dir.path().join(n.to_string());
        std::fs::create_dir(&folder)?;
        let file = folder.join("Dockerfile");
        std::fs::write(&file, text)?;
        if let Some(ignore) = &self.ignore {
            std::fs::write(folder.join("Dockerfile.dockerignore"), ignore)?;
        }
        Ok(file)
    }
}

/// Builds `dockerfile` in `context` as `tag`.
fn build_image(
    run: &VerifyRun,
    dockerfile: &Path,
    context: &Path,
    tag: &str,
    on_step: &(dyn Fn((u64, u64, &str)) + Sync),
) -> Side {
    lock(&IMAGES).push((run.builder.clone(), tag.to_owned()));
    let on_line = |line: &str| {
        if let Some(step) = builder::step_of(line) {
            on_step(step);
        }
    };
    let mut attempts = 0;
    let mut spent = Duration::ZERO;
    let outcome = loop {
        let command = run.builder.build(dockerfile, context, tag, &run.options);
        let outcome = process::run_logged(command, run.timeout, &on_line);
        attempts += 1;
        match outcome {
            Ok(done)
                if !done.status.success() && attempts < 3 && storage_race(&done.tail_text()) =>
            {
                spent += done.elapsed;
            }
            outcome => break outcome,
        }
    };
    match outcome {
        Ok(done) if done.status.success() => Side {
            built: true,
            build_time: spent + done.elapsed,
            ..Side::default()
        },
        Ok(done) => Side {
            built: false,
            error: Some(format!(
                "{} exited with {}:\n{}",
                run.builder.name(),
                done.status,
                done.tail_text()
            )),
            build_time: spent + done.elapsed,
            ..Side::default()
        },
        Err(stopped) => Side {
            built: false,
            stopped: true,
            error: Some(match stopped {
                Stopped::Timeout(_) => format!("the build {stopped} (--timeout)"),
                Stopped::Cancelled => "the build was interrupted".to_owned(),
                spawn @ Stopped::Spawn { .. } => spawn.to_string(),
            }),
            ..Side::default()
        },
    }
}

/// Whether a failed build lost a race with another build's clean-up:
/// buildah and podman look for cached steps among all images, and the
/// image of a step another file's build made can be removed between
/// finding it and reading its top layer. Such a build is run again.
fn storage_race(log: &str) -> bool {
    log.contains("checking if cached image exists") && log.contains("layer not known")
}

/// Exports image `tag` and reads it.
fn read_image(run: &VerifyRun, tag: &str, cache: &LayerCache) -> Result<Image, String> {
    let command = run.builder.export(tag);
    let (read, done) =
        process::run_streaming(command, run.timeout, |stream| archive::read(stream, cache))
            .map_err(|e| format!("exporting {tag}: {e}"))?;
    if !done.status.success() {
        return Err(format!(
            "exporting {tag} failed ({}): {}",
            done.status,
            done.tail_text()
        ));
    }
    let exported = read.map_err(|e| format!("{tag}: {e}"))?;
    Ok(Image::from_export(exported))
}

/// Finds the rule whose fixes break the build: rebuilds with half of the
/// applied rules left out at a time (the original's image is not built
/// again). Returns the culprit, or a note when no single rule is to blame.
fn bisect(
    name: &str,
    source: &str,
    settings: &Settings,
    build: &BuildContext,
    fixed: &FixedText,
    scratch: &Scratch,
    builds: &dyn Fn(&Path) -> bool,
) -> (Option<&'static str>, Option<String>) {
    let mut rules: Vec<&'static str> = fixed.applied.clone();
    rules.sort_unstable();
    rules.dedup();
    // Builds the file fixed without `left_out`; None when that text could
    // not be made.
    let try_without = |left_out: &[&'static str]| -> Option<bool> {
        let mut reduced = settings.clone();
        reduced.rules.retain(|r| !left_out.contains(&r.id));
        let text = fix_text(name, source, &reduced, Some(build)).ok()?.text;
        if text == source {
            return Some(true);
        }
        let file = scratch.write(&text).ok()?;
        Some(builds(&file))
    };
    bisect_rules(&rules, &try_without)
}

/// Finds the one of `rules` to blame: `try_without(left_out)` says whether
/// the file passes with the fixes of `left_out` not applied (None: that
/// text could not be made). Leaving out all of `rules` must pass. Returns
/// the culprit, or a note when no single rule is to blame.
fn bisect_rules(
    rules: &[&'static str],
    try_without: &dyn Fn(&[&'static str]) -> Option<bool>,
) -> (Option<&'static str>, Option<String>) {
    if rules.len() == 1 {
        return (Some(rules[0]), None);
    }
    // Invariant: leaving out all of `suspects` makes the build pass.
    let mut suspects = rules.to_vec();
    while suspects.len() > 1 {
        if process::cancelled() {
            return (None, Some("interrupted".into()));
        }
        let (first, second) = suspects.split_at(suspects.len() / 2);
        suspects = match try_without(first) {
            Some(true) => first.to_vec(),
            Some(false) => second.to_vec(),
            None => return (None, Some("the bisect could not fix the file".into())),
        };
    }
    let suspect = suspects[0];
    // Leaving out the last suspect alone must make the build pass; if it
    // does not, several rules break it together.
    match try_without(&[suspect]) {
        Some(true) => (Some(suspect), None),
        _ => (
            None,
            Some(format!(
                "no single rule: the build passes only without several of {}",
                rules.join(", ")
            )),
        ),
    }
}
