//! ## What it does
//! Removes `sudo` from `RUN` commands of a stage that runs as root:
//! `RUN sudo apt-get install -y curl` becomes `RUN apt-get install -y curl`.
//! Elsewhere it reports the `sudo`.
//!
//! ## Why is this bad?
//! The build runs as root unless a `USER` says otherwise, so `sudo` adds
//! nothing but a package to install and a behaviour that is hard to
//! predict: it resets the environment, its `secure_path` replaces the
//! image's `PATH`, and under a non-root `USER` it needs a sudoers entry or
//! stops at a password prompt. Switch users with `USER` in the build, and
//! with a tool like `gosu` at run time (hadolint DL3004).
//!
//! ## Example
//! ```dockerfile
//! FROM ubuntu:24.04
//! RUN curl -fsSL https://example.com/key.gpg | sudo tee /etc/apt/keyrings/example.gpg
//! ```
//!
//! Use instead:
//! ```dockerfile
//! FROM ubuntu:24.04
//! RUN curl -fsSL https://example.com/key.gpg | tee /etc/apt/keyrings/example.gpg
//! ```
//!
//! ## Fix safety
//! Unsafe. The user is the same (root), but the command now sees the
//! image's environment where `sudo` gave it a reset one: the `PATH` of the
//! image (`/opt/conda/bin` first, say) instead of `sudo`'s `secure_path`,
//! and the variables `ENV` and build arguments set (`DEBIAN_FRONTEND`,
//! proxies), which `sudo` dropped. That is what the line's author meant in
//! almost every case, but `sudo pip install` may reach another `pip`.
//!
//! The user must be known to be root: the stage (or a stage it is built on)
//! switched with `USER root` or `USER 0`, or no `USER` came since a base
//! image known to start as root (official images such as `debian`,
//! `ubuntu`, `alpine`, `python`, `node`; not distroless `:nonroot` or
//! Chainguard images). Under another user, or an unknown one, and for
//! `sudo` with options (`sudo -u app …`, `sudo -E …`), which does more than
//! keep the user, the finding has no fix. `ONBUILD RUN`s are reported only
//! (they run in another build, as its user).

use parse_dockerfile::Instruction;

use super::non_root_user::is_root;
use super::{FixKind, Report, Rule};
use crate::document::Document;
use crate::edits::{Applicability, Edit, Fix};
use crate::images::{self, Family};
use crate::runs;
use crate::shell::SimpleCommand;
use crate::words::build_word;

pub static RULE: Rule = Rule {
    id: "no-sudo",
    codes: &["DL3004"],
    fix: FixKind::Always(Applicability::Unsafe),
    summary: "Remove `sudo` from RUN where the stage runs as root",
    source: include_str!("no_sudo.rs"),
    check,
};

/// Who a stage's `RUN`s run as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum User {
    Root,
    Other(String),
    Unknown,
}

impl User {
    pub(crate) fn of_image(image: &str) -> Self {
        if images::runs_as_non_root(image) {
            return User::Unknown;
        }
        let known_root = image.eq_ignore_ascii_case("scratch")
            || images::facts(image).is_some()
            || matches!(
                images::family(image),
                Family::Debian | Family::Alpine | Family::Rhel
            );
        if known_root {
            User::Root
        } else {
            User::Unknown
        }
    }

    /// The user a `USER` line sets, read as BuildKit reads it.
    pub(crate) fn of_line(value: &str, escape: char) -> Self {
        match build_word(value.trim(), escape)
            .as_ref()
            .and_then(|w| w.literal())
        {
            Some(user) if is_root(user) => User::Root,
            Some(user) => User::Other(user.to_owned()),
            None => User::Unknown,
        }
    }
}

fn check(doc: &Document<'_>, report: &mut Report) {
    let stages = runs::stages(doc);
    let mut ends: Vec<User> = Vec::with_capacity(stages.len());
    for (stage, from) in stages.iter().zip(doc.stages()) {
        let mut user = match stage.parent {
            Some(parent) => ends[parent].clone(),
            None => User::of_image(&from.from.image.value),
        };
        let mut runs = stage.runs.iter().peekable();
        for (position, instruction) in stage.instructions.iter().enumerate() {
            if let Instruction::User(line) = instruction {
                user = User::of_line(&line.arguments.value, doc.escape);
            }
            let Some(run) = runs.next_if(|r| r.position == position) else {
                continue;
            };
            let Ok(script) = doc.script(run.instruction) else {
                continue;
            };
            if !run.posix {
                continue;
            }
            let user = if run.onbuild { &User::Unknown } else { &user };
            for command in script
                .commands
                .iter()
                .filter(|c| c.program() == Some("sudo"))
            {
                check_sudo(doc, command, user, report);
            }
        }
        ends.push(user);
    }
}

fn check_sudo(doc: &Document<'_>, command: &SimpleCommand, user: &User, report: &mut Report) {
    let span = command.span.clone();
    let Some(next) = command.args().first() else {
        report.push(
            span,
            "sudo in RUN: the build runs as root unless a USER says otherwise",
            None,
        );
        return;
    };
    if next.raw().starts_with('-') {
        report.push(
            span,
            "sudo with options in RUN: switch users with USER in the build (or gosu at run time) instead",
            None,
        );
        return;
    }
    match user {
        User::Root => {
            let sudo = &command.words[0].span;
            let blanks = doc.text[sudo.end..].len() - doc.text[sudo.end..].trim_start_matches([' ', '\t']).len();
            let fix = Fix::unsafe_(vec![Edit::delete(sudo.start..sudo.end + blanks)]);
            report.push(span, "sudo in RUN: the stage runs as root already; remove it", Some(fix));
        }
        User::Other(name) => report.push(
            span,
            format!("sudo in RUN: the stage runs as `{name}`; run this as root with `USER root` before it (and `USER {name}` after) instead"),
            None,
        ),
        User::Unknown => report.push(
            span,
            "sudo in RUN: remove it if the stage runs as root (its user is not known from the file)",
            None,
        ),
    }
}
