//! ## What it does
//! Reports `apt-get upgrade`, `apt-get dist-upgrade` (and `full-upgrade`,
//! with `apt` or `aptitude` too) in `RUN` instructions, and offers to remove
//! the command.
//!
//! ## Why is this bad?
//! Upgrading every package of the base image inside the build makes the
//! image depend on the day it was built, grows the layer by every upgraded
//! package, and hides what the base image really is. Updates belong in the
//! base image: pull or pin a newer tag (in the spirit of hadolint's former
//! DL3005).
//!
//! ## Example
//! ```dockerfile
//! RUN apt-get update && apt-get upgrade -y && apt-get install -y curl
//! ```
//!
//! Use instead:
//! ```dockerfile
//! RUN apt-get update && apt-get install -y curl
//! ```
//!
//! ## Fix safety
//! Unsafe: without the upgrade the image keeps the base image's package
//! versions, security fixes published since included, until the base image
//! is updated. Only a command that stands alone at the top of the `RUN`,
//! joined by `&&` or `;`, is removed (never the whole `RUN`, and never
//! where comments would go with it); others are reported without a fix.

use super::{FixKind, Report, Rule};
use crate::document::Document;
use crate::edits::{Applicability, Fix};
use crate::packages::invocation;
use crate::runs;

pub static RULE: Rule = Rule {
    id: "no-dist-upgrade",
    codes: &["DL3005"],
    fix: FixKind::Always(Applicability::Unsafe),
    summary: "Do not upgrade all packages in the build; update the base image",
    source: include_str!("no_dist_upgrade.rs"),
    check,
};

const UPGRADES: &[&str] = &["upgrade", "dist-upgrade", "full-upgrade", "safe-upgrade"];

fn check(doc: &Document<'_>, report: &mut Report) {
    for (_, script) in runs::posix_runs(doc) {
        for (i, command) in script.commands.iter().enumerate() {
            let Some(apt) = invocation(command, &["apt-get", "apt", "aptitude"]) else {
                continue;
            };
            if !UPGRADES.contains(&apt.verb.as_str()) {
                continue;
            }
            let message = format!(
                "`{} {}` upgrades the base image's packages in the build: use a newer base image",
                apt.program, apt.verb
            );
            let fix = script.remove(doc, i).map(|edit| Fix::unsafe_(vec![edit]));
            // (`Report::push` widens the finding to the removed operator.)
            report.push(command.span.clone(), message, fix);
        }
    }
}
