//! ## What it does
//! For `yum`, `dnf`, `microdnf` and `zypper` installs: adds `-y` where the
//! command would ask for confirmation, and adds `yum clean all`
//! (`dnf clean all`, `microdnf clean all`, `zypper clean`) at the end of a
//! `RUN` that installs packages and does not clean up after the last
//! install.
//!
//! ## Why is this bad?
//! Without `-y` the package manager asks before installing; a build cannot
//! answer, so it fails (hadolint DL3030, DL3038, DL3034). The metadata and
//! packages these managers download stay in their cache, and the layer,
//! unless the same `RUN` cleans it (hadolint DL3032, DL3040, DL3036).
//!
//! ## Example
//! ```dockerfile
//! RUN yum install httpd
//! ```
//!
//! Use instead:
//! ```dockerfile
//! RUN yum install -y httpd && yum clean all
//! ```
//!
//! ## Fix safety
//! Safe: `-y` only answers the prompt a build cannot answer, and the
//! cleanup removes caches the managers download again when they need them.
//! The cleanup goes at the end of the `RUN` in its own style (see
//! `apt-clean-lists`), not when the last command runs in the background. A
//! `RUN` that mounts a cache or tmpfs on the manager's cache folder
//! (`/var/cache/yum`, `/var/cache/dnf`, `/var/cache/libdnf5`,
//! `/var/cache/zypp`) is not asked to clean it.

use super::{FixKind, Report, Rule};
use crate::document::Document;
use crate::edits::{Applicability, Edit, Fix};
use crate::packages::{Flags, Invocation, invocation};
use crate::runs;
use crate::shell::{Script, SimpleCommand, cache_mount_targets};

pub static RULE: Rule = Rule {
    id: "dnf-yum-zypper-clean",
    codes: &["DL3030", "DL3032", "DL3034", "DL3036", "DL3038", "DL3040"],
    fix: FixKind::Always(Applicability::Safe),
    summary: "Use `-y` and clean the yum/dnf/zypper cache in the RUN that installs",
    source: include_str!("dnf_yum_zypper_clean.rs"),
    check,
};

/// A package manager: its programs, the verbs that download packages, how
/// it cleans up, and where its cache lives.
struct Manager {
    programs: &'static [&'static str],
    installs: &'static [&'static str],
    /// Verbs that answer a prompt: -y is added to these.
    prompts: &'static [&'static str],
    clean_verbs: &'static [&'static str],
    cache: &'static [&'static str],
}

const YUM_DNF_INSTALLS: &[&str] = &[
    "install",
    "in",
    "groupinstall",
    "localinstall",
    "reinstall",
    "rei",
    "upgrade",
    "up",
    "update",
    "upgrade-minimal",
    "up-min",
    "distro-sync",
];

const MANAGERS: &[Manager] = &[
    Manager {
        programs: &["yum", "dnf", "microdnf", "tdnf"],
        installs: YUM_DNF_INSTALLS,
        prompts: &["install", "groupinstall", "localinstall"],
        clean_verbs: &["clean"],
        cache: &[
            "/var/cache/yum",
            "/var/cache/dnf",
            "/var/cache/libdnf5",
            "/var/cache/tdnf",
        ],
    },
    Manager {
        programs: &["zypper"],
        installs: &[
            "install",
            "in",
            "update",
            "up",
            "dist-upgrade",
            "dup",
            "patch",
            "source-install",
            "si",
        ],
        prompts: &[
            "install",
            "in",
            "remove",
            "rm",
            "source-install",
            "si",
            "patch",
        ],
        clean_verbs: &["clean", "cc"],
        cache: &["/var/cache/zypp"],
    },
];

fn check(doc: &Document<'_>, report: &mut Report) {
    for (run, script) in runs::posix_runs(doc) {
        let mounts = cache_mount_targets(run);
        for manager in MANAGERS {
            for command in &script.commands {
                let Some(call) = invocation(command, manager.programs) else {
                    continue;
                };
                if manager.prompts.contains(&call.verb.as_str()) && !answers_yes(command, &call) {
                    let at = command.words[call.subcommand].span.end;
                    report.push(
                        command.span.clone(),
                        format!(
                            "`{} {}` without `-y` aborts at the confirmation prompt",
                            call.program, call.verb
                        ),
                        Some(Fix::safe(vec![Edit::insert(at, " -y")])),
                    );
                }
            }
            if mounts
                .iter()
                .any(|t| manager.cache.iter().any(|c| t.starts_with(c)))
            {
                continue;
            }
            let Some(program) = uncleaned_install(script, manager) else {
                continue;
            };
            let clean = if program == "zypper" {
                "zypper clean".to_owned()
            } else {
                format!("{program} clean all")
            };
            let span = run.run.span.start..script.span.end;
            let message =
                format!("`{program}` installs packages but the RUN does not run `{clean}` after");
            report.push_appended(doc, script, span, &message, &clean);
        }
    }
}

/// `-y`, `--assumeyes`, `-n`/`--non-interactive` (zypper's global one) or
/// `--no-confirm`.
fn answers_yes(command: &SimpleCommand, call: &Invocation) -> bool {
    let flags = Flags::of(command.args());
    flags.short('y') > 0
        || flags.any_long(&["assumeyes", "yes", "no-confirm", "non-interactive"])
        || (call.program == "zypper" && flags.short('n') > 0)
}

/// The program of the last install of `manager` when no clean of its cache
/// follows it in the script.
fn uncleaned_install(script: &Script, manager: &Manager) -> Option<String> {
    let mut pending = None;
    for command in &script.commands {
        if let Some(call) = invocation(command, manager.programs) {
            if manager.installs.contains(&call.verb.as_str()) {
                pending = Some(call.program);
            } else if manager.clean_verbs.contains(&call.verb.as_str()) {
                pending = None;
            }
        } else if removes_cache(command, manager) {
            pending = None;
        }
    }
    pending
}

/// `rm -rf /var/cache/yum` and the like.
fn removes_cache(command: &SimpleCommand, manager: &Manager) -> bool {
    command.program() == Some("rm")
        && command.args().iter().any(|w| {
            let raw = w.raw().trim_matches(['"', '\'']);
            manager.cache.iter().any(|c| raw.starts_with(c))
        })
}
