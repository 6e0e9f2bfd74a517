//! ## What it does
//! Adds `npm cache clean --force` (or `yarn cache clean`) at the end of a
//! `RUN` that installs with npm (or yarn) and does not clean the cache
//! after its last install.
//!
//! ## Why is this bad?
//! npm and yarn keep every package they download in a cache under the
//! user's home (`~/.npm`, `~/.cache/yarn`, `/usr/local/share/.cache/yarn`).
//! In an image it is dead weight, often as large as `node_modules` itself
//! (hadolint DL3060 for yarn).
//!
//! ## Example
//! ```dockerfile
//! RUN yarn install --frozen-lockfile
//! ```
//!
//! Use instead:
//! ```dockerfile
//! RUN yarn install --frozen-lockfile && yarn cache clean
//! ```
//!
//! ## Fix safety
//! Safe: only the download cache goes; a later install downloads again what
//! it needs. The command goes at the end of the `RUN` in its own style (see
//! `apt-clean-lists`), not when the last command runs in the background.
//! A `RUN` that mounts a cache or tmpfs on the manager's cache (a target
//! with `.npm`, `npm` or `yarn` in it) wants the cache and is not reported.

use super::{FixKind, Report, Rule};
use crate::document::Document;
use crate::edits::Applicability;
use crate::packages::invocation;
use crate::runs;
use crate::shell::{Script, SimpleCommand, cache_mount_targets};

pub static RULE: Rule = Rule {
    id: "npm-cache-clean",
    codes: &["DL3060"],
    fix: FixKind::Always(Applicability::Safe),
    summary: "Clean the npm/yarn cache in the RUN that installs",
    source: include_str!("npm_cache_clean.rs"),
    check,
};

/// A package manager, its installing subcommands and its cleanup.
struct Manager {
    program: &'static str,
    installs: &'static [&'static str],
    clean: &'static str,
    cache: &'static [&'static str],
}

const MANAGERS: &[Manager] = &[
    Manager {
        program: "npm",
        installs: &["install", "i", "ci", "add", "install-clean", "isntall"],
        clean: "npm cache clean --force",
        cache: &["npm"],
    },
    Manager {
        program: "yarn",
        installs: &["install", "add"],
        clean: "yarn cache clean",
        cache: &["yarn"],
    },
];

fn check(doc: &Document<'_>, report: &mut Report) {
    for (run, script) in runs::posix_runs(doc) {
        let mounts = cache_mount_targets(run);
        for manager in MANAGERS {
            if !installs_without_clean(script, manager) {
                continue;
            }
            if mounts
                .iter()
                .any(|t| manager.cache.iter().any(|c| t.contains(c)))
            {
                continue;
            }
            let span = run.run.span.start..script.span.end;
            let message = format!(
                "`{}` installs and leaves its download cache in the layer: add `{}`",
                manager.program, manager.clean
            );
            report.push_appended(doc, script, span, &message, manager.clean);
        }
    }
}

/// An install of `manager` with no `cache clean` after the last one.
fn installs_without_clean(script: &Script, manager: &Manager) -> bool {
    let mut pending = false;
    for command in &script.commands {
        let Some(call) = invocation(command, &[manager.program]) else {
            continue;
        };
        if manager.installs.contains(&call.verb.as_str()) {
            pending = true;
        } else if cleans(command, call.subcommand) {
            pending = false;
        }
    }
    pending
}

/// `… cache clean` (and npm's `cache rm`).
fn cleans(command: &SimpleCommand, subcommand: usize) -> bool {
    command.words[subcommand].is("cache")
        && command
            .words
            .get(subcommand + 1)
            .is_some_and(|w| w.is("clean") || w.is("rm") || w.is("clear"))
}
