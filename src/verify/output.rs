//! How `verify` reports: `text` (a short block per file), `json` (schema
//! version 1, in the README) and `markdown` (the section a pull-request
//! body includes). Files come in path order.

use std::fmt::Write as _;

use serde::Serialize;

use super::compare::{Comparison, FileChanges, Modified, PathChange};
use super::installed::Package;
use super::readiness::Problem;
use super::{FileVerification, Side, Verdict, VerifyOutcome};
use crate::output::Style;
use crate::output::json::SCHEMA_VERSION;
use crate::report::plural;

/// A report format of `verify`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum VerifyFormat {
    /// A short block per file: verdict, sizes, what changed.
    Text,
    /// One JSON document (schema in the README).
    Json,
    /// A section for a pull-request body.
    Markdown,
}

pub fn render(format: VerifyFormat, outcome: &VerifyOutcome, style: Style) -> String {
    match format {
        VerifyFormat::Text => text(outcome, style),
        VerifyFormat::Json => json(outcome),
        VerifyFormat::Markdown => markdown(outcome),
    }
}

/// `436.2 MB`, `1.5 kB`, `12 B` (powers of 1000, as docker shows sizes).
pub fn size(bytes: u64) -> String {
    const UNITS: [&str; 5] = ["B", "kB", "MB", "GB", "TB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1000.0 && unit < UNITS.len() - 1 {
        value /= 1000.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{bytes} B")
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

/// `-25 %` of `after` against `before`.
pub fn percent(before: u64, after: u64) -> String {
    if before == 0 {
        return String::new();
    }
    let change = (after as f64 - before as f64) * 100.0 / before as f64;
    if change.abs() < 0.05 {
        " (±0 %)".to_owned()
    } else {
        format!(
            " ({}{:.1} %)",
            if change > 0.0 { "+" } else { "−" },
            change.abs()
        )
    }
}

fn user(side: &Side) -> String {
    side.image
        .as_ref()
        .map(|i| {
            if i.config.user.is_empty() {
                "root".to_owned()
            } else {
                i.config.user.clone()
            }
        })
        .unwrap_or_default()
}

fn seconds(d: std::time::Duration) -> String {
    format!("{:.1} s", d.as_secs_f64())
}

fn rules_text(rules: &[&str]) -> String {
    if rules.is_empty() {
        String::new()
    } else {
        format!(" ({})", rules.join(", "))
    }
}

/// At most `limit` items, then how many more.
fn some<T>(items: &[T], limit: usize, show: impl Fn(&T) -> String) -> String {
    let mut parts: Vec<String> = items.iter().take(limit).map(show).collect();
    if items.len() > limit {
        parts.push(format!("… {} more", items.len() - limit));
    }
    parts.join(", ")
}

fn package_text(p: &Package) -> String {
    p.name.clone()
}

fn path_text(c: &PathChange) -> String {
    if c.count > 1 {
        format!("{} ({} entries, {})", c.path, c.count, size(c.bytes))
    } else {
        c.path.clone()
    }
}

fn modified_text(m: &Modified) -> String {
    format!("{} ({})", m.path, m.what.join(", "))
}

/// The summary line of a run.
pub fn summary(outcome: &VerifyOutcome) -> String {
    let count = |v: Verdict| outcome.files.iter().filter(|f| f.verdict == v).count();
    let mut parts = Vec::new();
    for verdict in [
        Verdict::Equivalent,
        Verdict::Changed,
        Verdict::Broken,
        Verdict::NotBuilt,
        Verdict::Unchanged,
        Verdict::Error,
    ] {
        let n = count(verdict);
        if n > 0 {
            parts.push(format!("{n} {}", verdict.as_str()));
        }
    }
    let mut line = format!(
        "Verified {} with {}",
        plural(outcome.files.len(), "file"),
        outcome.builder
    );
    if !parts.is_empty() {
        line.push_str(": ");
        line.push_str(&parts.join(", "));
    }
    line.push('.');
    if outcome.interrupted {
        line.push_str(" Interrupted: the images made were removed.");
    }
    line
}

fn text(outcome: &VerifyOutcome, style: Style) -> String {
    let mut out = String::new();
    for file in &outcome.files {
        text_file(&mut out, file, style);
    }
    out
}

fn verdict_styled(verdict: Verdict, style: Style) -> String {
    match verdict {
        Verdict::Equivalent | Verdict::Unchanged => style.green(verdict.as_str()),
        Verdict::Broken | Verdict::Error => style.red(verdict.as_str()),
        Verdict::Changed | Verdict::NotBuilt => style.bold(verdict.as_str()),
    }
}

fn text_file(out: &mut String, file: &FileVerification, style: Style) {
    let _ = writeln!(
        out,
        "{}: {}",
        style.bold(&file.path),
        verdict_styled(file.verdict, style)
    );
    let line = |out: &mut String, label: &str, text: &str| {
        let _ = writeln!(out, "  {label:<9} {text}");
    };
    if let Some(error) = &file.error {
        line(out, "error", error);
        return;
    }
    if !file.rules.is_empty() {
        let rules: Vec<String> = file
            .rules
            .iter()
            .map(|(r, n)| format!("{r} ({n})"))
            .collect();
        line(out, "rules", &rules.join(", "));
    }
    match file.verdict {
        Verdict::Unchanged => {
            line(out, "", "no fix applies; nothing was built");
            return;
        }
        Verdict::NotBuilt => {
            line(
                out,
                "",
                "the original does not build, so the fixes cannot be verified:",
            );
            indent(out, file.before.error.as_deref().unwrap_or(""));
            return;
        }
        Verdict::Broken => {
            match (file.culprit, &file.bisect_note) {
                (Some(rule), _) => line(
                    out,
                    "culprit",
                    &format!("{rule}: the file builds with every other fix applied"),
                ),
                (None, Some(note)) => line(out, "culprit", note),
                (None, None) => {}
            }
            line(out, "", "the original builds; the fixed file does not:");
            indent(out, file.after.error.as_deref().unwrap_or(""));
            return;
        }
        _ => {}
    }
    let (Some(before), Some(after), Some(comparison)) = (
        file.before.image.as_ref(),
        file.after.image.as_ref(),
        file.comparison.as_ref(),
    ) else {
        return;
    };
    line(
        out,
        "size",
        &format!(
            "{} → {}{}, layers {} → {}, wasted {} → {}",
            size(before.size_bytes),
            size(after.size_bytes),
            percent(before.size_bytes, after.size_bytes),
            before.layers,
            after.layers,
            size(before.wasted_bytes),
            size(after.wasted_bytes)
        ),
    );
    line(
        out,
        "user",
        &format!("{} → {}", user(&file.before), user(&file.after)),
    );
    let packages = &comparison.packages;
    let why = rules_text(&comparison.package_rules);
    for (list, what) in [(&packages.removed, "removed"), (&packages.added, "added")] {
        if !list.is_empty() {
            let names = some(list, 30, package_text);
            line(
                out,
                "packages",
                &format!("{} {what}{why}: {names}", list.len()),
            );
        }
    }
    if !packages.changed.is_empty() {
        line(
            out,
            "packages",
            &format!(
                "{} of another version: {}",
                packages.changed.len(),
                some(&packages.changed, 10, |(a, b)| format!(
                    "{} {} → {}",
                    a.name, a.version, b.version
                ))
            ),
        );
    }
    file_lines(
        out,
        "files",
        &comparison.files,
        &rules_text(&comparison.file_rules),
    );
    for (category, changes) in &comparison.other {
        let _ = category;
        let summary = changes_summary(changes);
        if !summary.is_empty() {
            line(out, category, &summary);
        }
    }
    for change in &comparison.config {
        line(
            out,
            "config",
            &format!(
                "{}: {} → {}{}",
                change.field,
                change.before.as_deref().unwrap_or("(none)"),
                change.after.as_deref().unwrap_or("(none)"),
                rules_text(&change.rules)
            ),
        );
    }
    for warning in &file.warnings {
        line(out, &style.red("warning"), &warning.message);
    }
    line(
        out,
        "time",
        &format!(
            "builds {} + {}, dockerfix {}",
            seconds(file.before.build_time),
            seconds(file.after.build_time),
            seconds(file.timings.export_read + file.timings.compare)
        ),
    );
}

fn indent(out: &mut String, text: &str) {
    for l in text.lines() {
        let _ = writeln!(out, "    | {l}");
    }
}

/// `12 removed (3.1 MB), 2 added, 1 changed`.
fn changes_summary(changes: &FileChanges) -> String {
    let mut parts = Vec::new();
    if !changes.removed.is_empty() {
        parts.push(format!(
            "{} removed ({})",
            changes.removed_count(),
            size(changes.removed_bytes())
        ));
    }
    if !changes.added.is_empty() {
        parts.push(format!(
            "{} added ({})",
            changes.added_count(),
            size(changes.added_bytes())
        ));
    }
    if !changes.changed.is_empty() {
        parts.push(format!("{} changed", changes.changed.len()));
    }
    parts.join(", ")
}

fn file_lines(out: &mut String, label: &str, changes: &FileChanges, why: &str) {
    if changes.is_empty() {
        return;
    }
    let _ = writeln!(out, "  {label:<9} {}{why}", changes_summary(changes));
    if !changes.removed.is_empty() {
        let _ = writeln!(
            out,
            "    removed: {}",
            some(&changes.removed, 12, path_text)
        );
    }
    if !changes.added.is_empty() {
        let _ = writeln!(out, "    added:   {}", some(&changes.added, 12, path_text));
    }
    if !changes.changed.is_empty() {
        let _ = writeln!(
            out,
            "    changed: {}",
            some(&changes.changed, 12, modified_text)
        );
    }
}

// ---- JSON ----

#[derive(Serialize)]
struct JsonDocument<'a> {
    version: u32,
    tool: JsonTool,
    mode: &'static str,
    builder: &'a str,
    files: Vec<JsonFile<'a>>,
    errors: &'a [String],
    summary: JsonSummary,
}

#[derive(Serialize)]
struct JsonTool {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct JsonFile<'a> {
    path: &'a str,
    verdict: &'static str,
    rules: Vec<JsonRule>,
    before: JsonSide<'a>,
    after: JsonSide<'a>,
    diff: Option<JsonDiff<'a>>,
    warnings: &'a [Problem],
    culprit: Option<&'static str>,
    bisect_note: Option<&'a str>,
    error: Option<&'a str>,
    duration_ms: u128,
    timings: JsonTimings,
}

#[derive(Serialize)]
struct JsonRule {
    rule: &'static str,
    count: usize,
}

#[derive(Serialize)]
struct JsonSide<'a> {
    built: bool,
    error: Option<&'a str>,
    size_bytes: Option<u64>,
    layers: Option<usize>,
    wasted_bytes: Option<u64>,
    user: Option<&'a str>,
    cmd: Option<&'a [String]>,
    entrypoint: Option<&'a [String]>,
    packages: Option<usize>,
    build_ms: u128,
}

#[derive(Serialize)]
struct JsonDiff<'a> {
    packages_removed: &'a [Package],
    packages_added: &'a [Package],
    packages_changed: Vec<JsonVersionChange<'a>>,
    package_rules: &'a [&'static str],
    files_added: JsonPaths<'a>,
    files_removed: JsonPaths<'a>,
    files_changed: JsonModified<'a>,
    file_rules: &'a [&'static str],
    /// Caches, logs and volatile files: counts only.
    other: Vec<JsonOther<'a>>,
    config: &'a [super::compare::ConfigChange],
}

#[derive(Serialize)]
struct JsonVersionChange<'a> {
    ecosystem: &'static str,
    name: &'a str,
    before: &'a str,
    after: &'a str,
}

#[derive(Serialize)]
struct JsonPaths<'a> {
    count: u64,
    bytes: u64,
    paths: &'a [PathChange],
}

#[derive(Serialize)]
struct JsonModified<'a> {
    count: usize,
    paths: &'a [Modified],
}

#[derive(Serialize)]
struct JsonOther<'a> {
    category: &'a str,
    added: u64,
    removed: u64,
    changed: usize,
    bytes_added: u64,
    bytes_removed: u64,
}

#[derive(Serialize)]
struct JsonTimings {
    build_ms: u128,
    bisect_ms: u128,
    export_read_ms: u128,
    compare_ms: u128,
}

#[derive(Serialize)]
struct JsonSummary {
    files: usize,
    unchanged: usize,
    equivalent: usize,
    changed: usize,
    broken: usize,
    not_built: usize,
    errors: usize,
}

fn json_side(side: &Side) -> JsonSide<'_> {
    let image = side.image.as_ref();
    JsonSide {
        built: side.built,
        error: side.error.as_deref(),
        size_bytes: image.map(|i| i.size_bytes),
        layers: image.map(|i| i.layers),
        wasted_bytes: image.map(|i| i.wasted_bytes),
        user: image.map(|i| {
            if i.config.user.is_empty() {
                "root"
            } else {
                i.config.user.as_str()
            }
        }),
        cmd: image.and_then(|i| i.config.cmd.as_deref()),
        entrypoint: image.and_then(|i| i.config.entrypoint.as_deref()),
        packages: image.map(|i| i.packages.len()),
        build_ms: side.build_time.as_millis(),
    }
}

fn json_diff(c: &Comparison) -> JsonDiff<'_> {
    JsonDiff {
        packages_removed: &c.packages.removed,
        packages_added: &c.packages.added,
        packages_changed: c
            .packages
            .changed
            .iter()
            .map(|(a, b)| JsonVersionChange {
                ecosystem: a.ecosystem,
                name: &a.name,
                before: &a.version,
                after: &b.version,
            })
            .collect(),
        package_rules: &c.package_rules,
        files_added: JsonPaths {
            count: c.files.added_count(),
            bytes: c.files.added_bytes(),
            paths: &c.files.added,
        },
        files_removed: JsonPaths {
            count: c.files.removed_count(),
            bytes: c.files.removed_bytes(),
            paths: &c.files.removed,
        },
        files_changed: JsonModified {
            count: c.files.changed.len(),
            paths: &c.files.changed,
        },
        file_rules: &c.file_rules,
        other: c
            .other
            .iter()
            .map(|(category, ch)| JsonOther {
                category,
                added: ch.added_count(),
                removed: ch.removed_count(),
                changed: ch.changed.len(),
                bytes_added: ch.added_bytes(),
                bytes_removed: ch.removed_bytes(),
            })
            .collect(),
        config: &c.config,
    }
}

fn json(outcome: &VerifyOutcome) -> String {
    let count = |v: Verdict| outcome.files.iter().filter(|f| f.verdict == v).count();
    let document = JsonDocument {
        version: SCHEMA_VERSION,
        tool: JsonTool {
            name: "dockerfix",
            version: env!("CARGO_PKG_VERSION"),
        },
        mode: "verify",
        builder: &outcome.builder,
        files: outcome
            .files
            .iter()
            .map(|f| JsonFile {
                path: &f.path,
                verdict: f.verdict.as_str(),
                rules: f
                    .rules
                    .iter()
                    .map(|(rule, count)| JsonRule {
                        rule,
                        count: *count,
                    })
                    .collect(),
                before: json_side(&f.before),
                after: json_side(&f.after),
                diff: f.comparison.as_ref().map(json_diff),
                warnings: &f.warnings,
                culprit: f.culprit,
                bisect_note: f.bisect_note.as_deref(),
                error: f.error.as_deref(),
                duration_ms: f.timings.total.as_millis(),
                timings: JsonTimings {
                    build_ms: f.timings.builds.as_millis(),
                    bisect_ms: f.timings.bisect.as_millis(),
                    export_read_ms: f.timings.export_read.as_millis(),
                    compare_ms: f.timings.compare.as_millis(),
                },
            })
            .collect(),
        errors: &outcome.errors,
        summary: JsonSummary {
            files: outcome.files.len(),
            unchanged: count(Verdict::Unchanged),
            equivalent: count(Verdict::Equivalent),
            changed: count(Verdict::Changed),
            broken: count(Verdict::Broken),
            not_built: count(Verdict::NotBuilt),
            errors: count(Verdict::Error) + outcome.errors.len(),
        },
    };
    let mut text = serde_json::to_string_pretty(&document).unwrap_or_default();
    text.push('\n');
    text
}

// ---- Markdown ----

fn markdown(outcome: &VerifyOutcome) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "### Verified by building\n");
    let _ = writeln!(
        out,
        "Each Dockerfile was built before and after the fixes with {}, and the images compared.\n",
        outcome.builder
    );
    let _ = writeln!(out, "| File | Verdict | Size | User | Rules |");
    let _ = writeln!(out, "|---|---|---|---|---|");
    for file in &outcome.files {
        let sizes = match (file.before.image.as_ref(), file.after.image.as_ref()) {
            (Some(a), Some(b)) => format!(
                "{} → {}{}",
                size(a.size_bytes),
                size(b.size_bytes),
                percent(a.size_bytes, b.size_bytes)
            ),
            _ => String::new(),
        };
        let users = if file.after.image.is_some() {
            format!("{} → {}", user(&file.before), user(&file.after))
        } else {
            String::new()
        };
        let rules: Vec<&str> = file.rules.iter().map(|(r, _)| *r).collect();
        let _ = writeln!(
            out,
            "| `{}` | {} | {} | {} | {} |",
            file.path.replace('|', "\\|"),
            file.verdict.as_str(),
            sizes,
            users,
            rules.join(", ")
        );
    }
    out.push('\n');
    for file in &outcome.files {
        let mut notes = Vec::new();
        if let Some(c) = &file.comparison {
            let p = &c.packages;
            if !p.removed.is_empty() {
                notes.push(format!(
                    "{} no longer installed{}: {}",
                    plural(p.removed.len(), "package"),
                    rules_text(&c.package_rules),
                    some(&p.removed, 40, |p| format!("`{}`", p.name))
                ));
            }
            if !p.added.is_empty() {
                notes.push(format!(
                    "{} newly installed: {}",
                    plural(p.added.len(), "package"),
                    some(&p.added, 40, |p| format!("`{}`", p.name))
                ));
            }
            if !c.files.is_empty() {
                notes.push(format!(
                    "files outside caches{}: {}",
                    rules_text(&c.file_rules),
                    changes_summary(&c.files)
                ));
            }
            for change in c.config.iter().filter(|c| c.field == "User") {
                notes.push(format!(
                    "user {} → {}",
                    change.before.as_deref().unwrap_or("root"),
                    change.after.as_deref().unwrap_or("root")
                ));
            }
        }
        for w in &file.warnings {
            notes.push(format!("⚠️ {}", w.message));
        }
        match file.verdict {
            Verdict::Broken => notes.push(match (file.culprit, &file.bisect_note) {
                (Some(rule), _) => format!(
                    "**the fixed file does not build**; the fixes of `{rule}` break it, so this file is left out"
                ),
                (None, Some(note)) => {
                    format!("**the fixed file does not build** ({note}); this file is left out")
                }
                _ => "**the fixed file does not build**; this file is left out".to_owned(),
            }),
            Verdict::NotBuilt => {
                notes.push("the original does not build here, so the fixes are not verified".into());
            }
            Verdict::Error => notes.push(file.error.clone().unwrap_or_default()),
            _ => {}
        }
        if notes.is_empty() {
            continue;
        }
        let _ = writeln!(out, "- `{}`: {}", file.path, notes.join("; "));
    }
    // For bots: each file's verdict, invisible in the rendered body.
    out.push('\n');
    for file in &outcome.files {
        let _ = writeln!(
            out,
            "<!-- dockerfix-verify {} {} -->",
            file.verdict.as_str(),
            file.path
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_and_percents() {
        assert_eq!(size(12), "12 B");
        assert_eq!(size(436_200_000), "436.2 MB");
        assert_eq!(percent(436, 326), " (−25.2 %)");
        assert_eq!(percent(100, 100), " (±0 %)");
        assert_eq!(percent(0, 5), "");
    }
}
