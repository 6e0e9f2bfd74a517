//! The Markdown format, written for a pull-request body: a table of files ×
//! rules, the unsafe fixes left for review, the pins `--pin` would make,
//! findings without a fix, errors, and each file's diff in a collapsed
//! `<details>` block.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use crate::report::{FileReport, Located, Mode, Outcome, plural};
use crate::rules::pin_digest::PIN_OPTION;

/// Text for a table cell or HTML element: no `|`, no line breaks, and
/// `<`, `>`, `&` as entities (an author's `<me@example.com>` is no tag).
pub(crate) fn cell(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '|' => out.push_str("\\|"),
            '\r' | '\n' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

pub(crate) fn code(text: &str) -> String {
    format!("<code>{}</code>", cell(text))
}

/// A code fence longer than any run of backticks in `text`.
fn fence(text: &str) -> String {
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    "`".repeat(longest.max(2) + 1)
}

/// Counts per file and rule: fixes applied (fix) or findings (check).
fn counts(outcome: &Outcome, report: &FileReport) -> Vec<(&'static str, usize)> {
    match outcome.mode {
        Mode::Fix { .. } => report.applied_rules.clone(),
        Mode::Check => {
            let mut counts: Vec<(&'static str, usize)> = Vec::new();
            for f in &report.findings {
                match counts.iter_mut().find(|(rule, _)| *rule == f.rule) {
                    Some((_, n)) => *n += 1,
                    None => counts.push((f.rule, 1)),
                }
            }
            counts.sort_unstable();
            counts
        }
    }
}

fn table(out: &mut String, outcome: &Outcome) {
    let rows: Vec<(&FileReport, Vec<(&'static str, usize)>)> = outcome
        .reports
        .iter()
        .map(|r| (r, counts(outcome, r)))
        .filter(|(_, c)| !c.is_empty())
        .collect();
    if rows.is_empty() {
        return;
    }
    let rules: BTreeSet<&str> = rows
        .iter()
        .flat_map(|(_, c)| c.iter().map(|(r, _)| *r))
        .collect();
    let title = match outcome.mode {
        Mode::Check => "Findings",
        Mode::Fix { dry_run: false } => "Fixes applied",
        Mode::Fix { dry_run: true } => "Fixes to apply",
    };
    let _ = writeln!(out, "### {title}\n");
    let header: Vec<String> = rules.iter().map(|r| code(r)).collect();
    let _ = writeln!(out, "| File | {} | Total |", header.join(" | "));
    let _ = writeln!(out, "|---|{}---:|", "---:|".repeat(rules.len()));
    let mut totals = vec![0; rules.len()];
    for (report, counts) in &rows {
        let mut cells = Vec::new();
        for (i, rule) in rules.iter().enumerate() {
            let n = counts
                .iter()
                .find(|(r, _)| r == rule)
                .map_or(0, |(_, n)| *n);
            totals[i] += n;
            cells.push(if n == 0 { String::new() } else { n.to_string() });
        }
        let total: usize = counts.iter().map(|(_, n)| n).sum();
        let _ = writeln!(
            out,
            "| {} | {} | {total} |",
            code(&report.name),
            cells.join(" | ")
        );
    }
    if rows.len() > 1 {
        let sum: usize = totals.iter().sum();
        let cells: Vec<String> = totals.iter().map(ToString::to_string).collect();
        let _ = writeln!(out, "| **Total** | {} | {sum} |", cells.join(" | "));
    }
    out.push('\n');
}

/// A list of findings as a table: file, line, rule, message.
fn finding_table(out: &mut String, title: &str, intro: &str, items: &[(&FileReport, &Located)]) {
    if items.is_empty() {
        return;
    }
    let _ = writeln!(out, "### {title}\n\n{intro}\n");
    let _ = writeln!(out, "| File | Line | Rule | Finding |\n|---|---:|---|---|");
    for (report, f) in items {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} |",
            code(&report.name),
            f.start.line,
            code(f.rule),
            cell(&f.message)
        );
    }
    out.push('\n');
}

pub fn render(outcome: &Outcome) -> String {
    let totals = outcome.totals();
    let mut out = String::from("## dockerfix\n\n");
    let _ = writeln!(out, "{}\n", totals.summary(outcome.mode));
    table(&mut out, outcome);

    let findings: Vec<(&FileReport, &Located)> = outcome
        .reports
        .iter()
        .flat_map(|r| r.findings.iter().map(move |f| (r, f)))
        .collect();
    let unsafe_left: Vec<_> = findings
        .iter()
        .copied()
        .filter(|(_, f)| f.unsafe_hidden)
        .collect();
    finding_table(
        &mut out,
        "Unsafe fixes not applied",
        "These fixes may change how the image behaves: review them, then apply them with \
         `dockerfix fix --unsafe-fixes`.",
        &unsafe_left,
    );
    let pins_left: Vec<_> = findings
        .iter()
        .copied()
        .filter(|(_, f)| f.fix_with == Some(PIN_OPTION))
        .collect();
    finding_table(
        &mut out,
        "Pins not applied",
        "These images can be pinned to the digests their tags point to now with \
         `dockerfix fix --pin` (it asks their registries).",
        &pins_left,
    );
    if outcome.mode != Mode::Check {
        let by_hand: Vec<_> = findings
            .iter()
            .copied()
            .filter(|(_, f)| f.fix.is_none() && f.fix_with.is_none())
            .collect();
        finding_table(
            &mut out,
            "Left to fix by hand",
            "dockerfix has no fix for these.",
            &by_hand,
        );
    }

    let errors: Vec<&str> = outcome
        .errors
        .iter()
        .map(String::as_str)
        .chain(
            outcome
                .reports
                .iter()
                .filter_map(|r| r.error.as_ref().map(|e| e.message.as_str())),
        )
        .collect();
    if !errors.is_empty() {
        let _ = writeln!(out, "### Errors\n\nThese files were left unchanged:\n");
        for error in errors {
            let _ = writeln!(out, "- {}", code(error));
        }
        out.push('\n');
    }

    let changed: Vec<&FileReport> = outcome.reports.iter().filter(|r| r.changed()).collect();
    if !changed.is_empty() {
        let _ = writeln!(out, "### Changes\n");
        let plain = super::Style { color: false };
        for report in changed {
            if let Some((old, new)) = report.change.as_ref().filter(|(old, new)| old != new) {
                let diff = super::unified_diff(&report.name, old, new, plain);
                details(
                    &mut out,
                    &report.name,
                    &plural(report.applied, "fix"),
                    &diff,
                );
            }
            // Other files the fixes write (a `.dockerignore` made or
            // completed), each in its own block.
            for (name, old, new) in &report.files {
                let diff = super::file_diff(name, old.as_deref(), new, plain);
                let what = if old.is_some() {
                    "completed"
                } else {
                    "created"
                };
                details(&mut out, name, what, &diff);
            }
        }
    }
    out
}

/// A diff in a collapsed block headed by the file's name and `what`.
pub(crate) fn details(out: &mut String, name: &str, what: &str, diff: &str) {
    let fence = fence(diff);
    let _ = writeln!(
        out,
        "<details>\n<summary>{}: {}</summary>\n\n{fence}diff\n{}{}{fence}\n\n</details>\n",
        code(name),
        what,
        diff,
        if diff.ends_with('\n') { "" } else { "\n" },
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_and_fences() {
        assert_eq!(cell("a|b <x@y> & z\n"), "a\\|b &lt;x@y&gt; &amp; z ");
        assert_eq!(fence("no ticks"), "```");
        assert_eq!(fence("RUN echo ````x"), "`````");
    }
}
