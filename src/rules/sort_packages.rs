//! ## What it does
//! Sorts the package list of an `apt-get`/`apt` install, an `apk add`, a
//! `dnf`/`yum`/`microdnf`/`tdnf` install or a `zypper install` that spans
//! several lines: alphabetically, one package per line.
//!
//! ## Why is this bad?
//! An unsorted list hides duplicates and makes every change to it a
//! conflict-prone edit somewhere in the middle; one package per line, in
//! order, makes a diff show exactly which package came or went (Docker's
//! best practices: "sort multi-line arguments"; the official images all
//! write their lists this way).
//!
//! ## Example
//! ```dockerfile
//! RUN apt-get update && apt-get install -y --no-install-recommends \
//!         wget curl \
//!         ca-certificates \
//!     && rm -rf /var/lib/apt/lists/*
//! ```
//!
//! Use instead:
//! ```dockerfile
//! RUN apt-get update && apt-get install -y --no-install-recommends \
//!         ca-certificates \
//!         curl \
//!         wget \
//!     && rm -rf /var/lib/apt/lists/*
//! ```
//!
//! Only the packages move: options stay where they are, the first package
//! stays on its line, the others go one per line with the indentation of
//! the list's last line, joined with the file's escape character and line
//! ending. A list is left alone when options stand between its packages, a
//! comment line stands inside it, or a word has a variable or glob (what it
//! stands for is unknown); lists on one line are left alone.
//!
//! ## Fix safety
//! Safe: the package managers install the same set whatever the order of
//! their arguments. Lists where the order can matter are left alone: apt's
//! `package-` / `package+` suffixes (remove or install that package).

use super::{FixKind, Report, Rule};
use crate::document::Document;
use crate::edits::{Applicability, Edit, Fix};
use crate::packages::install;
use crate::runs;
use crate::shell::{Script, SimpleCommand};

pub static RULE: Rule = Rule {
    id: "sort-packages",
    // Neither hadolint nor BuildKit checks the order.
    codes: &[],
    fix: FixKind::Always(Applicability::Safe),
    summary: "Sort multi-line package lists, one package per line",
    source: include_str!("sort_packages.rs"),
    check,
};

fn check(doc: &Document<'_>, report: &mut Report) {
    for (_, script) in runs::posix_runs(doc) {
        for command in &script.commands {
            let Some(packages) = package_words(command) else {
                continue;
            };
            let Some(edit) = sorted(doc, script, command, &packages) else {
                continue;
            };
            let program = command.program().unwrap_or_default();
            report.push(
                edit.range.clone(),
                format!("the package list of `{program}` is not sorted one per line"),
                Some(Fix::safe(vec![edit])),
            );
        }
    }
}

/// The indices of the package words of an install command, when it is one
/// whose list can be sorted.
fn package_words(command: &SimpleCommand) -> Option<Vec<usize>> {
    let (install, packages) = install(command)?;
    let program = install.program.as_str();
    // Options between the packages: they would have to move.
    let (first, last) = (*packages.first()?, *packages.last()?);
    if last - first + 1 != packages.len() {
        return None;
    }
    let order_matters = program.starts_with("apt")
        && packages
            .iter()
            .any(|&i| command.words[i].raw().ends_with(['-', '+']));
    (!order_matters && packages.len() > 1).then_some(packages)
}

/// The edit that writes the packages sorted, one per line, when they span
/// several lines and are not written that way already.
fn sorted(
    doc: &Document<'_>,
    script: &Script,
    command: &SimpleCommand,
    packages: &[usize],
) -> Option<Edit> {
    let words: Vec<_> = packages.iter().map(|&i| &command.words[i]).collect();
    let (first, last) = (words.first()?, words.last()?);
    let region = first.span.start..last.span.end;
    let last_line = doc.line_start(last.span.start);
    if doc.line_start(first.span.start) == last_line {
        return None;
    }
    // Only blanks and line continuations between the packages.
    let escape = if script.heredoc { '\\' } else { doc.escape };
    for pair in words.windows(2) {
        let gap = doc.text[pair[0].span.end..pair[1].span.start].trim_matches([' ', '\t']);
        let continuation = gap
            .strip_prefix(escape)
            .is_some_and(|rest| rest == "\n" || rest == "\r\n" && !script.heredoc);
        if !gap.is_empty() && !continuation {
            return None;
        }
    }
    let line = &doc.text[last_line..];
    let indent = &line[..line.len() - line.trim_start_matches([' ', '\t']).len()];
    let mut names: Vec<(String, &str)> = words
        .iter()
        .map(|w| Some((w.literal()?.into_owned(), w.raw())))
        .collect::<Option<_>>()?;
    names.sort();
    let names: Vec<&str> = names.into_iter().map(|(_, raw)| raw).collect();
    let le = if doc.text[region.clone()].contains("\r\n") {
        "\r\n"
    } else {
        "\n"
    };
    let text = names.join(&format!(" {escape}{le}{indent}"));
    (text != doc.text[region.clone()]).then(|| Edit::replace(region, text))
}
