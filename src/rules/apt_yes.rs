//! ## What it does
//! Adds `-y` to `apt-get install` and `apt install` commands that do not
//! already answer apt's questions (`-y`, `--yes`, `--assume-yes`, `-qq`).
//!
//! ## Why is this bad?
//! A build has no terminal: when apt asks "Do you want to continue?" it
//! reads end-of-file and aborts, so the build fails as soon as an install
//! pulls in a package that was not named (hadolint DL3014).
//!
//! ## Example
//! ```dockerfile
//! RUN apt-get update && apt-get install curl
//! ```
//!
//! Use instead:
//! ```dockerfile
//! RUN apt-get update && apt-get install -y curl
//! ```
//!
//! ## Fix safety
//! Safe: `-y` only answers the confirmation prompt, which a build cannot
//! answer otherwise; the set of packages installed is the same. `-y` goes
//! right after `install`. A `RUN` whose shell text cannot be read fully is
//! left alone.

use super::{FixKind, Report, Rule};
use crate::document::Document;
use crate::edits::{Applicability, Edit, Fix};
use crate::packages::{Flags, invocation};
use crate::runs;
use crate::shell::SimpleCommand;

pub static RULE: Rule = Rule {
    id: "apt-yes",
    codes: &["DL3014"],
    fix: FixKind::Always(Applicability::Safe),
    summary: "Use `-y` with `apt-get install`",
    source: include_str!("apt_yes.rs"),
    check,
};

fn check(doc: &Document<'_>, report: &mut Report) {
    for command in runs::posix_commands(doc) {
        let Some(apt) = invocation(command, &["apt-get", "apt"]) else {
            continue;
        };
        if apt.verb != "install" || answers_yes(command) {
            continue;
        }
        let at = command.words[apt.subcommand].span.end;
        report.push(
            command.span.clone(),
            format!(
                "`{} install` without `-y` aborts at apt's prompt",
                apt.program
            ),
            Some(Fix::safe(vec![Edit::insert(at, " -y")])),
        );
    }
}

/// `-y`, `--yes`, `--assume-yes`, quiet level 2 (which implies `-y`), or
/// `-o APT::Get::Assume-Yes=true`.
fn answers_yes(command: &SimpleCommand) -> bool {
    let flags = Flags::of(command.args());
    flags.short('y') > 0
        || flags.any_long(&["yes", "assume-yes"])
        || flags.short('q') >= 2
        || flags.long("quiet") >= 2
        || flags.words.iter().any(|w| w == "-q=2" || w == "--quiet=2")
        || command.args().iter().any(|w| {
            w.literal().is_some_and(|l| {
                l.to_ascii_lowercase()
                    .ends_with("apt::get::assume-yes=true")
            })
        })
}
