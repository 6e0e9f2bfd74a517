//! ## What it does
//! Adds `--no-install-recommends` to `apt-get install` and `apt install`
//! commands that install recommended packages.
//!
//! ## Why is this bad?
//! By default apt also installs every package the requested ones merely
//! recommend: documentation, optional tools, often whole desktop libraries.
//! The image grows, builds take longer, and the attack surface widens for
//! packages nothing uses (hadolint DL3015).
//!
//! ## Example
//! ```dockerfile
//! RUN apt-get update && apt-get install -y curl
//! ```
//!
//! Use instead:
//! ```dockerfile
//! RUN apt-get update && apt-get install --no-install-recommends -y curl
//! ```
//!
//! ## Fix safety
//! Unsafe: the set of installed packages changes, and software that relied
//! on a recommended package (a CA bundle, a locale, a plugin) may stop
//! working. Review the image after the fix; name the packages you need.
//! Commands that already say `--no-install-recommends` or
//! `-o APT::Install-Recommends=false` are left alone. A `RUN` whose shell
//! text cannot be read fully is left alone.

use super::{FixKind, Report, Rule};
use crate::document::Document;
use crate::edits::{Applicability, Edit, Fix};
use crate::packages::{Flags, invocation};
use crate::runs;
use crate::shell::SimpleCommand;

pub static RULE: Rule = Rule {
    id: "apt-no-recommends",
    codes: &["DL3015"],
    fix: FixKind::Always(Applicability::Unsafe),
    summary: "Use `--no-install-recommends` with `apt-get install`",
    source: include_str!("apt_no_recommends.rs"),
    check,
};

fn check(doc: &Document<'_>, report: &mut Report) {
    for command in runs::posix_commands(doc) {
        let Some(apt) = invocation(command, &["apt-get", "apt"]) else { continue };
        if apt.verb != "install" || skips_recommends(command) {
            continue;
        }
        let at = command.words[apt.subcommand].span.end;
        report.push(
            command.span.clone(),
            format!(
                "`{} install` also installs recommended packages: add `--no-install-recommends`",
                apt.program
            ),
            Some(Fix::unsafe_(vec![Edit::insert(at, " --no-install-recommends")])),
        );
    }
}

fn skips_recommends(command: &SimpleCommand) -> bool {
    Flags::of(command.args()).long("no-install-recommends") > 0
        || command.args().iter().any(|w| {
            w.literal().is_some_and(|l| {
                let l = l.to_ascii_lowercase();
                l.ends_with("apt::install-recommends=false") || l.ends_with("apt::install-recommends=0")
            })
        })
}
