//! ## What it does
//! Adds `--no-cache` to `apk add` commands. When every `apk` command of the
//! `RUN` then runs without a cache, a now useless `apk update` and
//! `rm -rf /var/cache/apk/*` of the same `RUN` are removed.
//!
//! ## Why is this bad?
//! Without `--no-cache`, `apk add` keeps the package index it downloads in
//! `/var/cache/apk`, and it lands in the layer. `--no-cache` fetches a fresh
//! index, uses it and leaves nothing behind, which also makes a separate
//! `apk update` and removing the cache by hand unnecessary (hadolint
//! DL3019).
//!
//! ## Example
//! ```dockerfile
//! RUN apk update && apk add curl && rm -rf /var/cache/apk/*
//! ```
//!
//! Use instead:
//! ```dockerfile
//! RUN apk add --no-cache curl
//! ```
//!
//! ## Fix safety
//! Safe: the same packages are installed from an index fetched at the same
//! time; only the cache is not kept. `apk update` is removed only when the
//! other `apk` commands of the `RUN` are `apk add --no-cache` or `apk del`
//! (an `apk upgrade` or `apk search` still needs the index it fetches), and
//! only where it stands at the top of the `RUN` joined by `&&` or `;`. An
//! `rm` is removed only when all it removes is under `/var/cache/apk`. A
//! `RUN` that mounts a cache or tmpfs on `/var/cache/apk` (or
//! `/etc/apk/cache`) wants the cache and is not reported.

use super::{FixKind, Report, Rule};
use crate::document::Document;
use crate::edits::{Applicability, Edit, Fix};
use crate::packages::{Flags, invocation};
use crate::runs;
use crate::shell::{Script, SimpleCommand, cache_mount_targets};

pub static RULE: Rule = Rule {
    id: "apk-no-cache",
    codes: &["DL3019"],
    fix: FixKind::Always(Applicability::Safe),
    summary: "Use `apk add --no-cache` instead of `apk update` and removing /var/cache/apk",
    source: include_str!("apk_no_cache.rs"),
    check,
};

const CACHE: &str = "/var/cache/apk";

fn check(doc: &Document<'_>, report: &mut Report) {
    for (run, script) in runs::posix_runs(doc) {
        let cached = cache_mount_targets(run);
        if cached
            .iter()
            .any(|t| t.starts_with(CACHE) || t.starts_with("/etc/apk/cache"))
        {
            continue;
        }
        let lacking: Vec<&SimpleCommand> = script
            .commands
            .iter()
            .filter(|c| adds_with_cache(c))
            .collect();
        if lacking.is_empty() {
            continue;
        }
        let fix = Fix::safe(edits(doc, script, &lacking));
        // (`Report::push` widens each finding to every edit of the fix.)
        for command in lacking {
            report.push(
                command.span.clone(),
                "`apk add` without `--no-cache` keeps the package index in the layer",
                Some(fix.clone()),
            );
        }
    }
}

/// `apk add` without `--no-cache`.
fn adds_with_cache(command: &SimpleCommand) -> bool {
    invocation(command, &["apk"]).is_some_and(|apk| apk.verb == "add")
        && Flags::of(command.args()).long("no-cache") == 0
}

/// `--no-cache` after each `add`, and the removal of what it makes useless.
fn edits(doc: &Document<'_>, script: &Script, lacking: &[&SimpleCommand]) -> Vec<Edit> {
    let mut edits: Vec<Edit> = lacking
        .iter()
        .filter_map(|c| {
            let apk = invocation(c, &["apk"])?;
            Some(Edit::insert(
                c.words[apk.subcommand].span.end,
                " --no-cache",
            ))
        })
        .collect();
    let apk_verbs: Vec<String> = script
        .commands
        .iter()
        .filter_map(|c| invocation(c, &["apk"]).map(|apk| apk.verb))
        .collect();
    if apk_verbs
        .iter()
        .any(|v| !matches!(v.as_str(), "add" | "del" | "update"))
    {
        return edits;
    }
    let mut removals: Vec<Edit> = Vec::new();
    for (i, command) in script.commands.iter().enumerate() {
        let useless = invocation(command, &["apk"]).is_some_and(|apk| apk.verb == "update")
            || removes_only_the_cache(command);
        if !useless {
            continue;
        }
        let Some(edit) = script.remove(doc, i) else {
            continue;
        };
        // Two removals that touch (the operator between them) cannot both
        // apply; the next pass removes the second.
        if removals
            .iter()
            .all(|r| r.range.end < edit.range.start || edit.range.end < r.range.start)
            && edits.iter().all(|e| !edit.range.contains(&e.range.start))
        {
            removals.push(edit);
        }
    }
    edits.extend(removals);
    edits
}

/// `rm -rf /var/cache/apk/*` and the like: options and paths under the
/// cache only.
fn removes_only_the_cache(command: &SimpleCommand) -> bool {
    if command.program() != Some("rm") || !command.redirects.is_empty() {
        return false;
    }
    let mut paths = 0;
    for word in command.args() {
        let raw = word.raw().trim_matches(['"', '\'']);
        if raw.starts_with('-') {
            continue;
        }
        if !(raw == CACHE || raw.starts_with("/var/cache/apk/")) {
            return false;
        }
        paths += 1;
    }
    paths > 0
}
