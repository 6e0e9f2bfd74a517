//! ## What it does
//! Replaces `apt` in `RUN` commands with `apt-get` (or `apt-cache` for the
//! queries): `apt install` → `apt-get install`, `apt search` →
//! `apt-cache search`.
//!
//! ## Why is this bad?
//! `apt` is made for people at a terminal: its output and behaviour may
//! change between releases, and it warns "apt does not have a stable CLI
//! interface. Use with caution in scripts." `apt-get` and `apt-cache` are
//! the stable interfaces for scripts (hadolint DL3027).
//!
//! ## Example
//! ```dockerfile
//! RUN apt update && apt install -y curl
//! ```
//!
//! Use instead:
//! ```dockerfile
//! RUN apt-get update && apt-get install -y curl
//! ```
//!
//! ## Fix safety
//! Safe: each subcommand maps to the one that does the same. `apt upgrade`
//! installs new dependencies where `apt-get upgrade` holds packages back,
//! so it becomes `apt-get upgrade --with-new-pkgs`; `apt full-upgrade`
//! becomes `apt-get dist-upgrade`. Subcommands with no `apt-get` or
//! `apt-cache` twin (`apt list`, `apt edit-sources`) are reported without a
//! fix.

use super::{FixKind, Report, Rule};
use crate::document::Document;
use crate::edits::{Applicability, Edit, Fix};
use crate::packages::invocation;
use crate::runs;

pub static RULE: Rule = Rule {
    id: "apt-get-not-apt",
    codes: &["DL3027"],
    fix: FixKind::Always(Applicability::Safe),
    summary: "Use `apt-get` or `apt-cache` instead of `apt` in scripts",
    source: include_str!("apt_get_not_apt.rs"),
    check,
};

fn check(doc: &Document<'_>, report: &mut Report) {
    for command in runs::posix_commands(doc) {
        let Some(apt) = invocation(command, &["apt"]) else {
            continue;
        };
        let message = format!(
            "`apt {}` in a script: apt has no stable command line",
            apt.verb
        );
        let Some((program, verb)) = replacement(&apt.verb) else {
            report.push(command.span.clone(), message, None);
            continue;
        };
        let name = &command.words[0];
        let directory = name.raw().strip_suffix("apt").unwrap_or("");
        let mut edits = vec![Edit::replace(
            name.span.clone(),
            format!("{directory}{program}"),
        )];
        if verb != apt.verb {
            edits.push(Edit::replace(
                command.words[apt.subcommand].span.clone(),
                verb,
            ));
        }
        report.push(
            command.span.clone(),
            format!("{message}: use `{program}`"),
            Some(Fix::safe(edits)),
        );
    }
}

/// The program and subcommand that do what `apt <verb>` does.
fn replacement(verb: &str) -> Option<(&'static str, &'static str)> {
    Some(match verb {
        "install" => ("apt-get", "install"),
        "update" => ("apt-get", "update"),
        "remove" => ("apt-get", "remove"),
        "purge" => ("apt-get", "purge"),
        "autoremove" => ("apt-get", "autoremove"),
        "autoclean" => ("apt-get", "autoclean"),
        "clean" => ("apt-get", "clean"),
        "source" => ("apt-get", "source"),
        "build-dep" => ("apt-get", "build-dep"),
        "download" => ("apt-get", "download"),
        "satisfy" => ("apt-get", "satisfy"),
        "upgrade" => ("apt-get", "upgrade --with-new-pkgs"),
        "full-upgrade" | "dist-upgrade" => ("apt-get", "dist-upgrade"),
        "search" => ("apt-cache", "search"),
        "show" => ("apt-cache", "show"),
        "showsrc" => ("apt-cache", "showsrc"),
        "policy" => ("apt-cache", "policy"),
        "depends" => ("apt-cache", "depends"),
        "rdepends" => ("apt-cache", "rdepends"),
        _ => return None,
    })
}
