//! ## What it does
//! Adds `--no-cache-dir` to `pip install` (`pip3`, `pip3.12`,
//! `python -m pip`) commands.
//!
//! ## Why is this bad?
//! pip keeps every wheel it downloads or builds in `~/.cache/pip`. In an
//! image that cache is dead weight, often larger than the installed
//! packages themselves (hadolint DL3042).
//!
//! ## Example
//! ```dockerfile
//! RUN pip install -r requirements.txt
//! ```
//!
//! Use instead:
//! ```dockerfile
//! RUN pip install --no-cache-dir -r requirements.txt
//! ```
//!
//! ## Fix safety
//! Safe: the same packages are installed; pip only does not keep its
//! download cache. Not reported when the stage (or a stage it is built on)
//! sets `PIP_NO_CACHE_DIR` with `ENV` or `ARG`, when the `RUN` sets it, or
//! when the `RUN` mounts a cache or tmpfs on pip's cache (a target with
//! `pip` in it, or a `.cache` folder): that cache is meant to be reused.
//! `pipx`, `pipenv` and `uv pip` are other tools and are left alone.

use parse_dockerfile::Instruction;

use super::{FixKind, Report, Rule};
use crate::document::Document;
use crate::edits::{Applicability, Edit, Fix};
use crate::packages::{Flags, pip_install};
use crate::runs::{self, Stage};
use crate::shell::cache_mount_targets;

pub static RULE: Rule = Rule {
    id: "pip-no-cache-dir",
    codes: &["DL3042"],
    fix: FixKind::Always(Applicability::Safe),
    summary: "Use `pip install --no-cache-dir`",
    source: include_str!("pip_no_cache_dir.rs"),
    check,
};

const VARIABLE: &str = "PIP_NO_CACHE_DIR";

fn check(doc: &Document<'_>, report: &mut Report) {
    let stages = runs::stages(doc);
    for (s, stage) in stages.iter().enumerate() {
        for run in stage.runs.iter().filter(|r| r.posix) {
            let Ok(script) = doc.script(run.instruction) else {
                continue;
            };
            let installs: Vec<_> = script
                .commands
                .iter()
                .filter_map(|c| Some((c, pip_install(c)?)))
                .collect();
            if installs.is_empty() || script.joined.text.contains(VARIABLE) {
                continue;
            }
            if variable_set(&stages, s, run.position)
                || cache_mount_targets(run.instruction)
                    .iter()
                    .any(|t| is_pip_cache(t))
            {
                continue;
            }
            for (command, install) in installs {
                if Flags::of(command.args()).long("no-cache-dir") > 0 {
                    continue;
                }
                let at = command.words[install].span.end;
                report.push(
                    command.span.clone(),
                    "`pip install` keeps its download cache in the layer: add `--no-cache-dir`",
                    Some(Fix::safe(vec![Edit::insert(at, " --no-cache-dir")])),
                );
            }
        }
    }
}

/// `PIP_NO_CACHE_DIR` set by an `ENV` or `ARG` of the stage before
/// `position`, or of a stage it is built on.
fn variable_set(stages: &[Stage<'_, '_>], stage: usize, position: usize) -> bool {
    let own = stages[stage].instructions[..position].iter();
    let sets = |i: &Instruction<'_>| runs::sets_variable(i, VARIABLE);
    if own.clone().any(sets) {
        return true;
    }
    let mut parent = stages[stage].parent;
    while let Some(p) = parent {
        if stages[p].instructions.iter().any(sets) {
            return true;
        }
        parent = stages[p].parent;
    }
    false
}

fn is_pip_cache(target: &str) -> bool {
    let target = target.trim_end_matches('/');
    target.contains("pip") || target.ends_with(".cache")
}
