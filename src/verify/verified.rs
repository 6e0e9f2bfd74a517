//! `dockerfix fix --verified --unsafe-fixes`: unsafe fixes kept only where
//! a build proves them. For each file the original is built once; the file
//! with every unsafe fix is built, read, checked for readiness (and run
//! with `--smoke`); when that fails, the rule to blame is found by
//! rebuilding with rules left out (the bisect of `verify`, its steps
//! cached by the builder), left out with the reason, and the rest tried
//! again. Safe fixes are applied as `fix` applies them.

use std::path::Path;
use std::time::{Duration, Instant};

use super::compare;
use super::image::Image;
use super::readiness::{self, Problem};
use super::{
    LayerCache, Progress, Scratch, VerifyRun, bisect_rules, build_image, context_of, prepare,
    read_image, remove_image, tag,
};
use crate::commands::fix_text_without;
use crate::discovery::{self, Input};

/// What `fix --verified` was asked to do.
pub struct VerifiedRun {
    pub verify: VerifyRun,
    /// Run in each fixed image as its user; non-zero rejects the fixes.
    pub smoke: Option<String>,
    /// Show the diffs, write nothing.
    pub dry_run: bool,
}

/// What the builds showed for the unsafe fixes kept.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Evidence {
    pub size_before: u64,
    pub size_after: u64,
    pub layers_before: usize,
    pub layers_after: usize,
    pub packages_removed: Vec<String>,
    pub packages_added: Vec<String>,
    /// The smoke command passed on the fixed image.
    pub smoke_passed: bool,
    /// What each fix did: the safe fixes first (when they change the
    /// file), then each proven rule added to the ones before it, each step
    /// built. One step is the whole evidence, built once.
    pub steps: Vec<Step>,
}

/// One fix's share of the evidence: the image built with it and the fixes
/// before it, against the image built without it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Step {
    /// The rule, or `safe fixes` for the safe fixes together.
    pub fix: String,
    pub size_before: u64,
    pub size_after: u64,
    pub packages_removed: Vec<String>,
    pub packages_added: Vec<String>,
}

/// The safe fixes' step.
pub const SAFE_STEP: &str = "safe fixes";

impl Step {
    fn between(fix: &str, before: &Image, after: &Image) -> Step {
        let packages = super::installed::diff(&before.packages, &after.packages);
        let names =
            |list: &[super::installed::Package]| list.iter().map(|p| p.name.clone()).collect();
        Step {
            fix: fix.to_owned(),
            size_before: before.size_bytes,
            size_after: after.size_bytes,
            packages_removed: names(&packages.removed),
            packages_added: names(&packages.added),
        }
    }
}

/// An unsafe rule left out, and why.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Rejected {
    pub rule: &'static str,
    pub reason: String,
}

/// One file's outcome.
#[derive(Debug, Clone, serde::Serialize)]
pub struct FileOutcome {
    pub path: String,
    /// Rules whose fixes were applied (safe and proven unsafe ones).
    pub applied: Vec<&'static str>,
    /// The unsafe rules kept because the build proved them.
    pub proven: Vec<&'static str>,
    pub rejected: Vec<Rejected>,
    pub evidence: Option<Evidence>,
    /// Why nothing unsafe could be proven (the original does not build,
    /// the smoke command fails on it).
    pub note: Option<String>,
    pub error: Option<String>,
    /// The file was (or, with --dry-run, would be) changed.
    pub changed: bool,
    pub builds: usize,
    pub duration_ms: u128,
    #[serde(skip)]
    pub source: String,
    #[serde(skip)]
    pub fixed: String,
}

/// A whole run.
#[derive(Debug, serde::Serialize)]
pub struct Outcome {
    pub builder: String,
    /// A smoke command was run in each fixed image.
    pub smoke: bool,
    pub files: Vec<FileOutcome>,
    pub errors: Vec<String>,
}

/// Fixes every input, keeping the unsafe fixes the builds prove.
pub fn run(run: &VerifiedRun, progress: &dyn Progress) -> Outcome {
    let verify = &run.verify;
    let wanted = |path: &Path, explicit: bool| {
        verify
            .config
            .for_file(path)
            .is_ok_and(|folder| folder.wants(path, explicit))
    };
    let (inputs, discovery_errors) = discovery::discover_with(&verify.paths, &wanted);
    let mut errors: Vec<String> = discovery_errors
        .iter()
        .map(|e| format!("{}: {}", e.path.display(), e.message))
        .collect();
    let cache = LayerCache::default();
    let mut files = Vec::new();
    // One file at a time: each one builds several images already.
    for (index, input) in inputs.into_iter().enumerate() {
        let Input::File(path) = input else {
            errors.push(
                "-: --verified builds files in their context; standard input is not supported"
                    .into(),
            );
            continue;
        };
        let mut outcome = fix_file(run, &path, index, &cache, progress);
        progress.finish(&outcome.path);
        if outcome.error.is_none()
            && outcome.changed
            && !run.dry_run
            && let Err(e) = crate::files::write_atomic(&path, outcome.fixed.as_bytes())
        {
            outcome.error = Some(format!("{}: cannot write: {e}", outcome.path));
        }
        files.push(outcome);
        if super::process::cancelled() {
            errors.push("interrupted".into());
            break;
        }
    }
    super::remove_all_images();
    Outcome {
        builder: verify.builder.description.clone(),
        smoke: run.smoke.is_some(),
        files,
        errors,
    }
}

/// The rules of `applied`, once each, in order.
fn distinct(applied: &[&'static str]) -> Vec<&'static str> {
    let mut rules = applied.to_vec();
    rules.sort_unstable();
    rules.dedup();
    rules
}

fn fix_file(
    run: &VerifiedRun,
    path: &Path,
    index: usize,
    cache: &LayerCache,
    progress: &dyn Progress,
) -> FileOutcome {
    let started = Instant::now();
    let verify = &run.verify;
    let name = path.display().to_string();
    let mut out = FileOutcome {
        path: name.clone(),
        applied: Vec::new(),
        proven: Vec::new(),
        rejected: Vec::new(),
        evidence: None,
        note: None,
        error: None,
        changed: false,
        builds: 0,
        duration_ms: 0,
        source: String::new(),
        fixed: String::new(),
    };
    let super::Prepared {
        settings,
        source,
        fixed: full,
        build: build_context,
    } = match prepare(verify, path, &name) {
        Ok(prepared) => prepared,
        Err(message) => {
            out.error = Some(message);
            return out;
        }
    };
    out.source.clone_from(&source);
    let fix_without = |left_out: &[&'static str]| {
        fix_text_without(&name, &source, &settings, Some(&build_context), left_out)
    };
    // The unsafe rules: those whose unsafe fixes change the text.
    let candidates: Vec<&'static str> = distinct(&full.applied)
        .into_iter()
        .filter(|rule| fix_without(&[rule]).is_ok_and(|t| t.text != full.text))
        .collect();
    let safe = match fix_without(&candidates) {
        Ok(safe) => safe,
        Err(e) => {
            out.error = Some(e.message);
            return out;
        }
    };
    let keep = |out: &mut FileOutcome, text: &str, applied: &[&'static str]| {
        out.fixed = text.to_owned();
        out.changed = text != out.source;
        out.applied = distinct(applied);
    };
    if candidates.is_empty() {
        keep(&mut out, &full.text, &full.applied);
        out.duration_ms = started.elapsed().as_millis();
        return out;
    }
    keep(&mut out, &safe.text, &safe.applied);
    let context = context_of(verify, path);
    let scratch = match Scratch::new(path) {
        Ok(scratch) => scratch,
        Err(e) => {
            out.error = Some(format!("{name}: cannot make a temporary folder: {e}"));
            return out;
        }
    };
    let builds = std::cell::Cell::new(0usize);
    let build = |file: &Path, tag: &str, phase: &str| {
        progress.update(&name, phase, None);
        builds.set(builds.get() + 1);
        build_image(verify, file, &context, tag, &|step| {
            progress.update(&name, phase, Some(step));
        })
    };

    let before_tag = tag(index, "before");
    let before_side = build(path, &before_tag, "building the original");
    let stop = |out: &mut FileOutcome, note: Option<String>, error: Option<String>| {
        out.note = note;
        out.error = error;
        out.builds = builds.get();
        out.duration_ms = started.elapsed().as_millis();
    };
    if before_side.stopped {
        stop(
            &mut out,
            None,
            Some(format!("{name}: {}", before_side.error.unwrap_or_default())),
        );
        return finish_file(out, &before_tag, verify);
    }
    if !before_side.built {
        let why = last_line(before_side.error.as_deref().unwrap_or(""));
        stop(
            &mut out,
            Some(format!(
                "the original does not build ({why}): no unsafe fix can be proven, only safe fixes applied"
            )),
            None,
        );
        return finish_file(out, &before_tag, verify);
    }
    let before = match read_image(verify, &before_tag, cache) {
        Ok(image) => image,
        Err(e) => {
            stop(&mut out, None, Some(format!("{name}: {e}")));
            return finish_file(out, &before_tag, verify);
        }
    };
    if let Some(script) = &run.smoke {
        progress.update(&name, "running the smoke command on the original", None);
        if let Err(reason) = super::smoke::run(
            &verify.builder,
            &before_tag,
            &before,
            script,
            verify.timeout,
        ) {
            stop(
                &mut out,
                Some(format!(
                    "{reason} on the original image already: no unsafe fix can be proven, only safe fixes applied"
                )),
                None,
            );
            return finish_file(out, &before_tag, verify);
        }
    }
    let was: Vec<Problem> = readiness::check(&before);
    let attempts = std::cell::Cell::new(0usize);
    // Builds `text` as a fresh image and hands it to `then` (which decides
    // what the build shows), removing the image after.
    let build_text = |text: &str,
                      what: &str,
                      phase: &str,
                      then: &dyn Fn(&str, super::Side) -> Result<Image, String>|
     -> Result<Image, String> {
        attempts.set(attempts.get() + 1);
        let tag = tag(index, &format!("{what}{}", attempts.get()));
        let file = scratch
            .write(text)
            .map_err(|e| format!("cannot write the fixed copy: {e}"))?;
        let side = build(&file, &tag, phase);
        let result = then(&tag, side);
        remove_image(&verify.builder, &tag);
        result
    };
    // Builds `text`, reads it, checks readiness and runs the smoke
    // command: the image, or why it is rejected.
    let evaluate = |text: &str| -> Result<Image, String> {
        build_text(text, "try", "building the fixed file", &|tag, side| {
            judge(run, tag, side, cache, &was)
        })
    };
    // Builds `text` and reads it, for a step of the evidence.
    let measure = |text: &str| -> Result<Image, String> {
        build_text(text, "step", "building one fix at a time", &|tag, side| {
            if side.built {
                read_image(verify, tag, cache)
            } else {
                Err(last_line(side.error.as_deref().unwrap_or("")))
            }
        })
    };
    let mut accepted = candidates.clone();
    loop {
        if super::process::cancelled() {
            out.error = Some(format!("{name}: interrupted"));
            break;
        }
        let left_out: Vec<&'static str> = candidates
            .iter()
            .copied()
            .filter(|r| !accepted.contains(r))
            .collect();
        let attempt = match fix_without(&left_out) {
            Ok(attempt) => attempt,
            Err(e) => {
                out.error = Some(e.message);
                break;
            }
        };
        if accepted.is_empty() || attempt.text == safe.text {
            keep(&mut out, &attempt.text, &attempt.applied);
            break;
        }
        let reason = match evaluate(&attempt.text) {
            Ok(after) => {
                let comparison = compare::compare(&before, &after, &accepted);
                let mut chain: Vec<(String, String)> = Vec::new();
                if safe.text != out.source {
                    chain.push((SAFE_STEP.to_owned(), safe.text.clone()));
                }
                for (k, rule) in accepted.iter().enumerate() {
                    let mut without = left_out.clone();
                    without.extend_from_slice(&accepted[k + 1..]);
                    let text =
                        fix_without(&without).map_or_else(|_| attempt.text.clone(), |t| t.text);
                    chain.push(((*rule).to_owned(), text));
                }
                let steps = measure_steps(&chain, &before, &after, &measure);
                out.evidence = Some(Evidence {
                    size_before: before.size_bytes,
                    size_after: after.size_bytes,
                    layers_before: before.layers,
                    layers_after: after.layers,
                    packages_removed: comparison
                        .packages
                        .removed
                        .iter()
                        .map(|p| p.name.clone())
                        .collect(),
                    packages_added: comparison
                        .packages
                        .added
                        .iter()
                        .map(|p| p.name.clone())
                        .collect(),
                    smoke_passed: run.smoke.is_some(),
                    steps,
                });
                out.proven.clone_from(&accepted);
                keep(&mut out, &attempt.text, &attempt.applied);
                break;
            }
            Err(reason) => reason,
        };
        progress.update(&name, "finding the fix to leave out", None);
        let try_without = |more: &[&'static str]| -> Option<bool> {
            let mut all = left_out.clone();
            all.extend_from_slice(more);
            let text = fix_without(&all).ok()?.text;
            if text == safe.text {
                return Some(true);
            }
            Some(evaluate(&text).is_ok())
        };
        match bisect_rules(&accepted, &try_without) {
            (Some(rule), _) => {
                out.rejected.push(Rejected { rule, reason });
                accepted.retain(|r| *r != rule);
            }
            (None, note) => {
                for rule in accepted.drain(..) {
                    out.rejected.push(Rejected {
                        rule,
                        reason: format!("{reason} ({})", note.clone().unwrap_or_default()),
                    });
                }
            }
        }
    }
    out.builds = builds.get();
    out.duration_ms = started.elapsed().as_millis();
    finish_file(out, &before_tag, verify)
}

/// Whether a build of the fixed file is good enough: it built, its image
/// reads, it is as ready to start as the original, and the smoke command
/// passes.
fn judge(
    run: &VerifiedRun,
    tag: &str,
    side: super::Side,
    cache: &LayerCache,
    was: &[Problem],
) -> Result<Image, String> {
    let verify = &run.verify;
    if !side.built {
        let error = side.error.unwrap_or_default();
        return Err(format!(
            "the fixed file does not build: {}",
            last_line(&error)
        ));
    }
    let image = read_image(verify, tag, cache)?;
    let new: Vec<String> = readiness::check(&image)
        .into_iter()
        .filter(|p| {
            !was.iter()
                .any(|w| w.check == p.check && w.subject == p.subject)
        })
        .map(|p| p.message)
        .collect();
    if !new.is_empty() {
        return Err(format!("the fixed image may not start: {}", new.join("; ")));
    }
    if let Some(script) = &run.smoke {
        super::smoke::run(&verify.builder, tag, &image, script, verify.timeout)?;
    }
    Ok(image)
}

/// The evidence of each fix of `chain` (its name and the text with it and
/// the fixes before it): every text but the last is built; the last one's
/// image is `after`. A step whose build fails is left out of the list
/// (the whole evidence still holds).
fn measure_steps(
    chain: &[(String, String)],
    before: &Image,
    after: &Image,
    measure: &dyn Fn(&str) -> Result<Image, String>,
) -> Vec<Step> {
    let mut steps = Vec::new();
    let mut previous: Option<Image> = None;
    for (i, (fix, text)) in chain.iter().enumerate() {
        let image = if i + 1 == chain.len() {
            None
        } else {
            match measure(text) {
                Ok(image) => Some(image),
                Err(_) => return steps,
            }
        };
        let from = previous.as_ref().unwrap_or(before);
        steps.push(Step::between(fix, from, image.as_ref().unwrap_or(after)));
        if image.is_some() {
            previous = image;
        }
    }
    steps
}

fn finish_file(out: FileOutcome, before_tag: &str, verify: &VerifyRun) -> FileOutcome {
    remove_image(&verify.builder, before_tag);
    out
}

/// The last lines that say something, on one line.
fn last_line(text: &str) -> String {
    let mut lines: Vec<&str> = text
        .lines()
        .rev()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with("subprocess exited with status"))
        .take(2)
        .collect();
    lines.reverse();
    lines.join(" / ")
}

/// How long a run took, for the summary.
pub fn total(outcome: &Outcome) -> Duration {
    Duration::from_millis(outcome.files.iter().map(|f| f.duration_ms as u64).sum())
}

/// The report in `format` (text, markdown or json); `diffs` adds the
/// unified diff of each changed file (--dry-run).
pub fn render(
    format: crate::output::Format,
    outcome: &Outcome,
    diffs: bool,
) -> Result<String, String> {
    use crate::output::Format;
    match format {
        Format::Text => Ok(text(outcome, diffs)),
        Format::Markdown => Ok(markdown(outcome)),
        Format::Json => serde_json::to_string_pretty(outcome)
            .map(|s| s + "\n")
            .map_err(|e| e.to_string()),
        _ => Err("--verified reports as text, markdown or json".into()),
    }
}

/// `520.3 MB → 172.1 MB (−67 %)`.
fn sizes(evidence: &Evidence) -> String {
    step_size(evidence.size_before, evidence.size_after)
}

/// At most `n` names, then how many more.
fn some(names: &[String], n: usize) -> String {
    let mut shown = names.iter().take(n).cloned().collect::<Vec<_>>().join(", ");
    if names.len() > n {
        shown.push_str(&format!(", … ({} more)", names.len() - n));
    }
    shown
}

fn safe_rules(file: &FileOutcome) -> Vec<&'static str> {
    file.applied
        .iter()
        .copied()
        .filter(|r| !file.proven.contains(r))
        .collect()
}

fn text(outcome: &Outcome, diffs: bool) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    for file in &outcome.files {
        let _ = writeln!(out, "{}", file.path);
        if let Some(error) = &file.error {
            let _ = writeln!(out, "  error: {error}");
            continue;
        }
        if let Some(evidence) = &file.evidence {
            let _ = writeln!(
                out,
                "  kept     {}: built, {}{}, {} layers → {}",
                file.proven.join(", "),
                sizes(evidence),
                if evidence.smoke_passed {
                    ", smoke command passed"
                } else {
                    ""
                },
                evidence.layers_before,
                evidence.layers_after,
            );
            if !evidence.packages_removed.is_empty() {
                let _ = writeln!(
                    out,
                    "           {} packages no longer installed: {}",
                    evidence.packages_removed.len(),
                    some(&evidence.packages_removed, 12)
                );
            }
            if !evidence.packages_added.is_empty() {
                let _ = writeln!(
                    out,
                    "           {} packages added: {}",
                    evidence.packages_added.len(),
                    some(&evidence.packages_added, 12)
                );
            }
            if evidence.steps.len() > 1 {
                for step in &evidence.steps {
                    let _ = writeln!(
                        out,
                        "           step {}: {}, {} packages removed",
                        step.fix,
                        step_size(step.size_before, step.size_after),
                        step.packages_removed.len()
                    );
                }
            }
        }
        for rejected in &file.rejected {
            let _ = writeln!(out, "  left out {}: {}", rejected.rule, rejected.reason);
        }
        if let Some(note) = &file.note {
            let _ = writeln!(out, "  note: {note}");
        }
        let safe = safe_rules(file);
        if !safe.is_empty() {
            let _ = writeln!(out, "  safe     {}", safe.join(", "));
        }
        if !file.changed {
            let _ = writeln!(out, "  unchanged");
        }
        if diffs && file.changed {
            out.push_str(&crate::output::unified_diff(
                &file.path,
                &file.source,
                &file.fixed,
                crate::output::Style { color: false },
            ));
        }
    }
    out
}

/// The pull request body of a verified fix: the summary, a row per fix
/// with its evidence (or why it was left out), and each file's diff.
fn markdown(outcome: &Outcome) -> String {
    use crate::output::markdown::{cell, code, details};
    use std::fmt::Write as _;
    let mut out = format!("## dockerfix\n\n{}.\n\n", summary(outcome));
    out.push_str("### Fixes verified by building\n\n");
    let _ = writeln!(
        out,
        "Each unsafe fix was kept only when the fixed Dockerfile built with {}{}. \
         A step's size compares the image with that fix and the ones above it to the image without it.\n",
        cell(&outcome.builder),
        if outcome.smoke {
            " and the smoke command passed in its image"
        } else {
            ""
        },
    );
    out.push_str("| File | Fix | Verdict | Image size | Packages removed |\n");
    out.push_str("|---|---|---|---:|---|\n");
    for file in &outcome.files {
        let path = code(&file.path);
        if let Some(error) = &file.error {
            let _ = writeln!(out, "| {path} | — | error: {} | — | — |", cell(error));
            continue;
        }
        if let Some(evidence) = &file.evidence {
            let single = evidence.steps.len() <= 1;
            for step in &evidence.steps {
                let fix = if step.fix == SAFE_STEP {
                    step.fix.clone()
                } else {
                    code(&step.fix)
                };
                let verdict = if step.fix == SAFE_STEP {
                    "applied (safe)"
                } else {
                    "kept: proven"
                };
                let _ = writeln!(
                    out,
                    "| {path} | {fix} | {verdict} | {} | {} |",
                    step_size(step.size_before, step.size_after),
                    packages_cell(&step.packages_removed),
                );
            }
            if !single {
                let _ = writeln!(
                    out,
                    "| {path} | all together | built{} | {} | {} |",
                    if evidence.smoke_passed {
                        ", smoke command passed"
                    } else {
                        ""
                    },
                    sizes(evidence),
                    packages_cell(&evidence.packages_removed),
                );
            } else if evidence.steps.is_empty() {
                let _ = writeln!(
                    out,
                    "| {path} | {} | kept: proven | {} | {} |",
                    file.proven
                        .iter()
                        .map(|r| code(r))
                        .collect::<Vec<_>>()
                        .join(", "),
                    sizes(evidence),
                    packages_cell(&evidence.packages_removed),
                );
            }
        }
        for rejected in &file.rejected {
            let _ = writeln!(
                out,
                "| {path} | {} | left out: {} | — | — |",
                code(rejected.rule),
                cell(&rejected.reason)
            );
        }
        if let Some(note) = &file.note {
            let _ = writeln!(out, "| {path} | — | {} | — | — |", cell(note));
        }
        if file.evidence.is_none() && file.rejected.is_empty() && file.note.is_none() {
            let safe = safe_rules(file);
            let verdict = if safe.is_empty() {
                "nothing to fix".to_owned()
            } else {
                "safe fixes only".to_owned()
            };
            let _ = writeln!(
                out,
                "| {path} | {} | {verdict} | — | — |",
                if safe.is_empty() {
                    "—".to_owned()
                } else {
                    safe.iter().map(|r| code(r)).collect::<Vec<_>>().join(", ")
                }
            );
        }
    }
    if !outcome.errors.is_empty() {
        out.push_str("\n### Errors\n\n");
        for error in &outcome.errors {
            let _ = writeln!(out, "- {}", cell(error));
        }
    }
    let changed: Vec<&FileOutcome> = outcome
        .files
        .iter()
        .filter(|f| f.changed && f.error.is_none())
        .collect();
    if !changed.is_empty() {
        out.push_str("\n### Changes\n\n");
        for file in changed {
            let diff = crate::output::unified_diff(
                &file.path,
                &file.source,
                &file.fixed,
                crate::output::Style { color: false },
            );
            let mut what = Vec::new();
            if !file.proven.is_empty() {
                what.push(format!(
                    "proven {}",
                    file.proven
                        .iter()
                        .map(|r| code(r))
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            }
            let safe = safe_rules(file);
            if !safe.is_empty() {
                what.push(format!(
                    "safe {}",
                    safe.iter().map(|r| code(r)).collect::<Vec<_>>().join(", ")
                ));
            }
            details(&mut out, &file.path, &what.join("; "), &diff);
        }
    }
    out
}

/// `1.0 GB → 300.0 MB (−70.0 %)` for a step.
fn step_size(before: u64, after: u64) -> String {
    format!(
        "{} → {}{}",
        super::output::size(before),
        super::output::size(after),
        super::output::percent(before, after)
    )
}

/// How many packages, and the first names.
fn packages_cell(names: &[String]) -> String {
    if names.is_empty() {
        "none".to_owned()
    } else {
        format!(
            "{}: {}",
            names.len(),
            crate::output::markdown::cell(&some(names, 8))
        )
    }
}

/// One line for standard error.
pub fn summary(outcome: &Outcome) -> String {
    let kept: usize = outcome.files.iter().map(|f| f.proven.len()).sum();
    let left: usize = outcome.files.iter().map(|f| f.rejected.len()).sum();
    let builds: usize = outcome.files.iter().map(|f| f.builds).sum();
    use crate::report::plural;
    format!(
        "{}: {} proven and kept, {left} left out; {} in {:.0?} with {}",
        plural(outcome.files.len(), "file"),
        plural(kept, "unsafe fix"),
        plural(builds, "build"),
        total(outcome),
        outcome.builder
    )
}
