//! ## What it does
//! Opt-in (`--select cache-mount`). Gives the package-manager commands of a
//! `RUN` a build cache mount (`RUN --mount=type=cache,target=…`) for their
//! downloads, and removes the cleanup of those caches from the same `RUN`,
//! which the mount makes needless:
//!
//! | manager | commands | cache mounts | cleanup removed |
//! |---|---|---|---|
//! | apt | `apt-get update` then `install` | `/var/cache/apt` and `/var/lib/apt/lists`, `sharing=locked` | `rm -rf /var/lib/apt/lists/*`, `apt-get clean` |
//! | pip | `pip install` | `/root/.cache/pip` (`PIP_CACHE_DIR`) | `--no-cache-dir`, `pip cache purge` |
//! | npm | `npm install`/`ci` | `/root/.npm` (`npm_config_cache`) | `npm cache clean` |
//! | yarn 1 | `yarn`, `yarn install`/`add` | `/usr/local/share/.cache/yarn` (`YARN_CACHE_FOLDER`) | `yarn cache clean` |
//! | Go | `go build`/`install`/`mod`/`get`/`test`/… | `/go/pkg/mod` on `golang` images, else `$GOPATH/pkg/mod` (`/root/go`), and `/root/.cache/go-build` (`GOMODCACHE`, `GOCACHE`) | `go clean -modcache -cache` |
//! | Cargo | `cargo build`/`install`/`fetch`/… | `$CARGO_HOME/registry` and `$CARGO_HOME/git` (`/usr/local/cargo` on `rust` images, else `/root/.cargo`) | |
//! | Maven | `mvn`, `mvnw` | `/root/.m2/repository` | |
//!
//! An `rm` of a cache folder (`rm -rf /root/.npm`, `~/.cache/pip`) goes too,
//! or only its operand when it removes other paths as well. Mounts the `RUN`
//! already has (the same target, or one inside or around it) are not added
//! again; its other flags stay. The mounts go after the `RUN`'s own flags,
//! on its first line. When the file has no `# syntax=` directive, one finding
//! adds `# syntax=docker/dockerfile:1` as the first line (after a BOM, before
//! the other parser directives, in the file's line ending).
//!
//! The recipes are Docker's ("Optimize cache usage in builds", the
//! Dockerfile reference), with two choices:
//! - apt's lists are mounted at `/var/lib/apt/lists` rather than
//!   `/var/lib/apt`: `/var/lib/apt/extended_states`, apt's record of which
//!   packages were installed automatically, stays in the image, so a later
//!   `apt-get autoremove` works as before, and builds sharing the cache do
//!   not mix their records.
//! - Debian's and Ubuntu's official images ship
//!   `/etc/apt/apt.conf.d/docker-clean`, which deletes the downloaded
//!   `.deb` files after every install: the `/var/cache/apt` mount then keeps
//!   no packages, only the lists mount saves downloads (`apt-get update`
//!   fetches what changed). Docker's example removes that file in a `RUN`
//!   first; this rule does not, because the file would be gone from the
//!   image, and every later `apt-get install` in it, or in an image built
//!   `FROM` it, would leave its `.deb` files in its layer. Remove it
//!   yourself (`rm -f /etc/apt/apt.conf.d/docker-clean`) where that is
//!   wanted. The mount is added anyway: it is harmless, and it caches the
//!   packages on bases without that file.
//! - Cargo's git mount is `$CARGO_HOME/git`, not only `git/db`: the
//!   checkouts beside it are a cache too, and the common cleanup
//!   `rm -rf $CARGO_HOME/git` is then the cache itself (with a mount on
//!   `git/db` it would fail on the mount point).
//! - Maven's mount is `/root/.m2/repository`, not `/root/.m2`, so that a
//!   `settings.xml` copied to `/root/.m2` stays visible.
//!
//! Cargo's `target` folder is not cached: it holds the build's output, which
//! a later step copies out of the image.
//!
//! ## Why is this bad?
//! Without a cache mount every build that reruns the step downloads every
//! package again, and the cache it fills is either thrown away at the end
//! of the `RUN` (`rm -rf /var/lib/apt/lists/*`, `--no-cache-dir`) or kept in
//! the layer. A cache mount persists between builds on the builder and is
//! never part of the image: the step downloads only what changed, and the
//! layer holds no cache.
//!
//! ## Example
//! ```dockerfile
//! FROM python:3.12
//! RUN apt-get update && apt-get install -y --no-install-recommends gcc \
//!     && rm -rf /var/lib/apt/lists/*
//! RUN pip install --no-cache-dir -r requirements.txt
//! ```
//!
//! Use instead:
//! ```dockerfile
//! # syntax=docker/dockerfile:1
//! FROM python:3.12
//! RUN --mount=type=cache,target=/var/cache/apt,sharing=locked --mount=type=cache,target=/var/lib/apt/lists,sharing=locked apt-get update && apt-get install -y --no-install-recommends gcc
//! RUN --mount=type=cache,target=/root/.cache/pip pip install -r requirements.txt
//! ```
//!
//! ## Fix safety
//! Unsafe, and opt-in: `RUN --mount` needs BuildKit (Docker's default
//! builder, `docker buildx`, Podman and Buildah 1.24 or later); the classic
//! builder fails on it. The image no longer holds the caches, as intended;
//! what else changes is declined, with the reason, without a fix:
//! - a later `RUN` of the stage (or of a stage built on it) that uses apt
//!   without its own `apt-get update`: the lists it relied on are in the
//!   cache mount, not in the image;
//! - a `RUN` that does not run as root: the cache folders are root's (the
//!   stage's `USER`, its parent stage's, or a base image not known to start
//!   as root);
//! - a cache folder named by a variable (`ENV GOPATH=$X`), or a `HOME` set
//!   from one;
//! - a cleanup that cannot be removed alone (inside `if`, joined by `||`),
//!   that removes a folder around a mount (`rm -rf /root/.cache` with a
//!   mount on `/root/.cache/pip`: it would fail on the mount point), or a
//!   path with a variable the file does not tell;
//! - a `# syntax=` directive asking for Dockerfile syntax 1.0 or 1.1, which
//!   has no `RUN --mount`.
//!
//! pip is left alone when the stage or the `RUN` sets `PIP_NO_CACHE_DIR` or
//! passes `--cache-dir`; Maven with `-Dmaven.repo.local`; yarn 2 and later
//! (`--immutable`, `corepack`), whose cache is in the project. `ONBUILD`
//! `RUN`s, exec-form `RUN`s and other shells are not changed.

use std::collections::HashMap;

use parse_dockerfile::Instruction;

use super::no_sudo::User;
use super::{FixKind, Report, Rule};
use crate::args::{declared, key_values};
use crate::document::Document;
use crate::edits::{Applicability, Edit, Fix};
use crate::images;
use crate::packages::{AptUse, Flags, apt_use, invocation, pip_install};
use crate::runs::{self, Stage};
use crate::shell::style::holds_comment;
use crate::shell::{Script, SimpleCommand, cache_mount_targets};
use crate::words::build_word;

pub static RULE: Rule = Rule {
    id: "cache-mount",
    codes: &[],
    fix: FixKind::Always(Applicability::Unsafe),
    summary: "Cache package-manager downloads with `RUN --mount=type=cache` instead of cleaning them",
    source: include_str!("cache_mount.rs"),
    check,
};

const SYNTAX: &str = "# syntax=docker/dockerfile:1";

/// A package manager whose downloads the rule caches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Manager {
    Apt,
    Pip,
    Npm,
    Yarn,
    Go,
    Cargo,
    Maven,
}

impl Manager {
    fn name(self) -> &'static str {
        match self {
            Manager::Apt => "apt-get",
            Manager::Pip => "pip",
            Manager::Npm => "npm",
            Manager::Yarn => "yarn",
            Manager::Go => "go",
            Manager::Cargo => "cargo",
            Manager::Maven => "mvn",
        }
    }
}

/// A cache mount: where, and whether builds wait for each other on it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Mount {
    target: String,
    locked: bool,
}

impl Mount {
    fn shared(target: String) -> Self {
        Self {
            target,
            locked: false,
        }
    }

    fn flag(&self) -> String {
        let sharing = if self.locked { ",sharing=locked" } else { "" };
        format!("--mount=type=cache,target={}{sharing}", self.target)
    }
}

/// What a `RUN` sees: the variables set before it, the user, the base.
struct Setting {
    /// `ENV` and `ARG` values of the stage and the stages it is built on;
    /// `None` for a value with a variable (or an `ARG` without default).
    vars: HashMap<String, Option<String>>,
    /// The repository of the image the stage is built on, at the root.
    base: Option<String>,
}

impl Setting {
    /// The value of `name` when it is set: `Err` for a value the file does
    /// not tell.
    fn var(&self, name: &str) -> Result<Option<&str>, String> {
        match self.vars.get(name) {
            None => Ok(None),
            Some(Some(value)) => Ok(Some(value)),
            Some(None) => Err(format!("`{name}` is set from a variable")),
        }
    }

    fn home(&self) -> Result<String, String> {
        Ok(self
            .var("HOME")?
            .unwrap_or("/root")
            .trim_end_matches('/')
            .to_owned())
    }

    /// `CARGO_HOME`: set, the official `rust` image's, or `~/.cargo`.
    fn cargo_home(&self) -> Result<String, String> {
        Ok(match self.var("CARGO_HOME")? {
            Some(dir) => dir.trim_end_matches('/').to_owned(),
            None if self.base.as_deref() == Some("rust") => "/usr/local/cargo".into(),
            None => format!("{}/.cargo", self.home()?),
        })
    }
}

fn check(doc: &Document<'_>, report: &mut Report) {
    let stages = runs::stages(doc);
    let mut fixed = false;
    let mut ends: Vec<User> = Vec::with_capacity(stages.len());
    for (s, (stage, from)) in stages.iter().zip(doc.stages()).enumerate() {
        let start = match stage.parent {
            Some(parent) => ends[parent].clone(),
            None => User::of_image(&from.from.image.value),
        };
        let user_before = |position: usize| {
            last_user(doc, &stage.instructions[..position]).unwrap_or_else(|| start.clone())
        };
        for (r, run) in stage.runs.iter().enumerate() {
            if run.posix && !run.onbuild {
                fixed |= check_run(doc, &stages, s, r, &user_before(run.position), report);
            }
        }
        ends.push(user_before(stage.instructions.len()));
    }
    if doc.dockerfile.parser_directives.syntax.is_none() && (fixed || has_cache_mount(doc)) {
        let edit = Edit::insert(0, format!("{SYNTAX}{}", doc.line_ending));
        report.push(
            0..0,
            "`RUN --mount` needs the Dockerfile syntax 1.2 or later: add `# syntax=docker/dockerfile:1`",
            Some(Fix::unsafe_(vec![edit])),
        );
    }
}

/// The user the last `USER` of `instructions` sets.
fn last_user(doc: &Document<'_>, instructions: &[Instruction<'_>]) -> Option<User> {
    instructions.iter().rev().find_map(|i| match i {
        Instruction::User(line) => Some(User::of_line(&line.arguments.value, doc.escape)),
        _ => None,
    })
}

/// A `RUN` of the file already mounts a cache.
fn has_cache_mount(doc: &Document<'_>) -> bool {
    doc.all_instructions().any(|i| match i {
        Instruction::Run(run) => run.options.iter().any(|f| {
            f.name.value == "mount"
                && f.value
                    .as_ref()
                    .is_some_and(|v| v.value.contains("type=cache"))
        }),
        _ => false,
    })
}

/// Checks one `RUN`; whether it got a fix.
fn check_run(
    doc: &Document<'_>,
    stages: &[Stage<'_, '_>],
    s: usize,
    r: usize,
    user: &User,
    report: &mut Report,
) -> bool {
    let run = &stages[s].runs[r];
    let Ok(script) = doc.script(run.instruction) else {
        return false;
    };
    let setting = setting(doc, stages, s, run.position);
    let managers = managers(script, &setting);
    if managers.is_empty() {
        return false;
    }
    let span = run.instruction.run.span.start..script.span.end;
    let names: Vec<&str> = managers.iter().map(|m| m.name()).collect();
    let plan = match plan(doc, stages, s, r, script, &managers, &setting, user) {
        Ok(Some(plan)) => plan,
        Ok(None) => return false,
        Err(reason) => {
            let message = format!(
                "{} downloads are not cached between builds: use `RUN --mount=type=cache` (not fixed: {reason})",
                list(&names)
            );
            report.push(span, message, None);
            return false;
        }
    };
    let message = if plan.mounts.is_empty() {
        format!(
            "the RUN cleans the caches it mounts ({}): remove the cleanup",
            plan.removed.join(", ")
        )
    } else {
        let targets: Vec<&str> = plan.mounts.iter().map(|m| m.target.as_str()).collect();
        format!(
            "{} downloads are not cached between builds: mount a build cache on {}",
            list(&names),
            targets.join(", ")
        )
    };
    report.push(span, message, Some(Fix::unsafe_(plan.edits)));
    true
}

/// `` `a` ``, `` `a` and `b` ``, `` `a`, `b` and `c` ``.
fn list(names: &[&str]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    match quoted.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        _ => quoted.concat(),
    }
}

/// The mounts to add and the cleanups to remove.
struct Plan {
    mounts: Vec<Mount>,
    edits: Vec<Edit>,
    /// The cleanups removed, as written.
    removed: Vec<String>,
}

/// What the fix of a `RUN` does: `None` when it has every mount and no
/// cleanup; `Err` with the reason it is declined.
#[allow(clippy::too_many_arguments)]
fn plan(
    doc: &Document<'_>,
    stages: &[Stage<'_, '_>],
    s: usize,
    r: usize,
    script: &Script,
    managers: &[Manager],
    setting: &Setting,
    user: &User,
) -> Result<Option<Plan>, String> {
    let run = &stages[s].runs[r];
    let mut wanted = Vec::new();
    for manager in managers {
        wanted.extend(mounts(*manager, setting)?);
    }
    let existing = cache_mount_targets(run.instruction);
    let missing: Vec<Mount> = wanted
        .iter()
        .filter(|m| {
            !existing
                .iter()
                .any(|e| related(e.trim_end_matches('/'), &m.target))
        })
        .cloned()
        .collect();
    let targets: Vec<&str> = wanted.iter().map(|m| m.target.as_str()).collect();
    let (mut edits, removed) = cleanups(doc, script, managers, &targets, setting)?;
    if missing.is_empty() && edits.is_empty() {
        return Ok(None);
    }
    match user {
        User::Root => {}
        User::Other(name) => {
            return Err(format!(
                "the RUN runs as `{name}`, and the cache folders are root's"
            ));
        }
        User::Unknown => {
            return Err(
                "the user the RUN runs as is not known, and the cache folders are root's".into(),
            );
        }
    }
    if let Some(reason) = old_syntax(doc) {
        return Err(reason);
    }
    if managers.contains(&Manager::Apt)
        && let Some(at) = super::apt_clean_lists::later_use(doc, stages, s, r)
    {
        let (line, _) = doc.line_column(at);
        return Err(format!(
            "the RUN on line {line} uses apt without `apt-get update`: it needs the lists in the image"
        ));
    }
    if !missing.is_empty() {
        let at = run
            .instruction
            .options
            .last()
            .map_or(run.instruction.run.span.end, |f| f.span().end);
        let flags: String = missing.iter().map(|m| format!(" {}", m.flag())).collect();
        edits.push(Edit::insert(at, flags));
    }
    Ok(Some(Plan {
        mounts: missing,
        edits,
        removed,
    }))
}

/// A `# syntax=docker/dockerfile:1.0` or `1.1` directive: no `RUN --mount`.
fn old_syntax(doc: &Document<'_>) -> Option<String> {
    let syntax = doc.dockerfile.parser_directives.syntax.as_ref()?;
    let value = syntax.value.value.trim();
    let image = value.strip_prefix("docker.io/").unwrap_or(value);
    let version = image.strip_prefix("docker/dockerfile:")?;
    let old = ["1.0", "1.1"].iter().any(|v| {
        version == *v
            || version.starts_with(&format!("{v}."))
            || version.starts_with(&format!("{v}@"))
    });
    old.then(|| format!("`# syntax={value}` has no `RUN --mount` (it came with 1.2)"))
}

/// Paths where one is the other or inside it.
fn related(a: &str, b: &str) -> bool {
    a == b || inside(a, b) || inside(b, a)
}

/// `path` is strictly inside `folder`.
fn inside(path: &str, folder: &str) -> bool {
    path.strip_prefix(folder)
        .is_some_and(|rest| rest.starts_with('/'))
        || (folder == "/" && path != "/")
}

/// The variables, user and base a `RUN` at `position` of stage `s` sees.
fn setting(doc: &Document<'_>, stages: &[Stage<'_, '_>], s: usize, position: usize) -> Setting {
    let mut chain = vec![(s, position)];
    let mut stage = s;
    while let Some(parent) = stages[stage].parent {
        chain.push((parent, stages[parent].instructions.len()));
        stage = parent;
    }
    let base = doc
        .stages()
        .nth(stage)
        .and_then(|st| images::repository(&st.from.image.value));
    let mut vars = HashMap::new();
    for (stage, end) in chain.into_iter().rev() {
        for instruction in &stages[stage].instructions[..end] {
            let pairs: Vec<(&str, Option<&str>)> = match instruction {
                Instruction::Env(env) => key_values(&env.arguments.value, doc.escape)
                    .into_iter()
                    .map(|(k, v)| (k, Some(v)))
                    .collect(),
                Instruction::Arg(arg) => declared(&arg.arguments.value, doc.escape),
                _ => continue,
            };
            for (key, value) in pairs {
                let value = value
                    .and_then(|v| build_word(v, doc.escape))
                    .and_then(|w| w.literal().map(str::to_owned));
                vars.insert(key.to_owned(), value);
            }
        }
    }
    Setting { vars, base }
}

/// Whether a command downloads with a manager.
type Uses = fn(&SimpleCommand) -> bool;

/// The managers whose downloads the script makes, in a fixed order.
fn managers(script: &Script, setting: &Setting) -> Vec<Manager> {
    let mut found = Vec::new();
    if matches!(apt_use(script), AptUse::Updates) && script.commands.iter().any(apt_installs) {
        found.push(Manager::Apt);
    }
    let checks: [(Manager, Uses); 6] = [
        (Manager::Pip, |c| pip_install(c).is_some()),
        (Manager::Npm, npm_installs),
        (Manager::Yarn, yarn_installs),
        (Manager::Go, go_downloads),
        (Manager::Cargo, cargo_downloads),
        (Manager::Maven, |c| {
            matches!(c.program(), Some("mvn" | "mvnw")) && c.words.len() > 1
        }),
    ];
    for (manager, uses) in checks {
        if script.commands.iter().any(uses) && !left_alone(manager, script, setting) {
            found.push(manager);
        }
    }
    found
}

fn apt_installs(command: &SimpleCommand) -> bool {
    invocation(command, &["apt-get", "apt"]).is_some_and(|apt| {
        matches!(
            apt.verb.as_str(),
            "install" | "reinstall" | "upgrade" | "dist-upgrade" | "full-upgrade" | "build-dep"
        )
    })
}

fn npm_installs(command: &SimpleCommand) -> bool {
    invocation(command, &["npm"]).is_some_and(|npm| {
        matches!(
            npm.verb.as_str(),
            "install" | "i" | "ci" | "add" | "install-clean" | "update"
        )
    })
}

fn yarn_installs(command: &SimpleCommand) -> bool {
    if command.program() != Some("yarn") {
        return false;
    }
    if command.args().iter().all(|w| w.raw().starts_with('-')) {
        return true;
    }
    invocation(command, &["yarn"])
        .is_some_and(|yarn| matches!(yarn.verb.as_str(), "install" | "add"))
}

fn go_downloads(command: &SimpleCommand) -> bool {
    invocation(command, &["go"]).is_some_and(|go| {
        matches!(
            go.verb.as_str(),
            "build" | "install" | "get" | "mod" | "test" | "run" | "vet" | "generate" | "list"
        )
    })
}

fn cargo_downloads(command: &SimpleCommand) -> bool {
    invocation(command, &["cargo"]).is_some_and(|cargo| {
        matches!(
            cargo.verb.as_str(),
            "build"
                | "b"
                | "install"
                | "fetch"
                | "test"
                | "t"
                | "run"
                | "r"
                | "check"
                | "c"
                | "clippy"
                | "doc"
                | "bench"
                | "update"
                | "generate-lockfile"
                | "vendor"
        )
    })
}

/// A manager the file configures so that a cache mount would not be used
/// (or would be elsewhere).
fn left_alone(manager: Manager, script: &Script, setting: &Setting) -> bool {
    let text = &script.joined.text;
    let runs = |program: &'static str| {
        script
            .commands
            .iter()
            .filter(move |c| c.program() == Some(program))
    };
    match manager {
        Manager::Pip => {
            setting.vars.contains_key("PIP_NO_CACHE_DIR")
                || text.contains("PIP_NO_CACHE_DIR")
                || script
                    .commands
                    .iter()
                    .filter(|c| pip_install(c).is_some())
                    .any(|c| Flags::of(c.args()).long("cache-dir") > 0)
        }
        Manager::Yarn => {
            runs("corepack").next().is_some()
                || runs("yarn").any(|c| c.args().iter().any(|w| w.is("--immutable") || w.is("set")))
        }
        Manager::Maven => {
            text.contains("maven.repo.local")
                || setting
                    .vars
                    .get("MAVEN_OPTS")
                    .is_some_and(|v| v.as_deref().is_none_or(|v| v.contains("maven.repo.local")))
        }
        _ => false,
    }
}

/// The cache mounts of `manager` for a `RUN` that sees `setting`.
fn mounts(manager: Manager, setting: &Setting) -> Result<Vec<Mount>, String> {
    let folder = |s: &str| s.trim_end_matches('/').to_owned();
    Ok(match manager {
        Manager::Apt => vec![
            Mount {
                target: "/var/cache/apt".into(),
                locked: true,
            },
            Mount {
                target: "/var/lib/apt/lists".into(),
                locked: true,
            },
        ],
        Manager::Pip => {
            let target = match (
                setting.var("PIP_CACHE_DIR")?,
                setting.var("XDG_CACHE_HOME")?,
            ) {
                (Some(dir), _) => folder(dir),
                (None, Some(cache)) => format!("{}/pip", folder(cache)),
                (None, None) => format!("{}/.cache/pip", setting.home()?),
            };
            vec![Mount::shared(target)]
        }
        Manager::Npm => {
            let target = match setting
                .var("npm_config_cache")?
                .or(setting.var("NPM_CONFIG_CACHE")?)
            {
                Some(dir) => folder(dir),
                None => format!("{}/.npm", setting.home()?),
            };
            vec![Mount::shared(target)]
        }
        Manager::Yarn => {
            let target = setting
                .var("YARN_CACHE_FOLDER")?
                .map_or("/usr/local/share/.cache/yarn".into(), folder);
            vec![Mount::shared(target)]
        }
        Manager::Go => {
            let modules = match (setting.var("GOMODCACHE")?, setting.var("GOPATH")?) {
                (Some(dir), _) => folder(dir),
                (None, Some(path)) => {
                    format!("{}/pkg/mod", folder(path.split(':').next().unwrap_or(path)))
                }
                (None, None) if setting.base.as_deref() == Some("golang") => "/go/pkg/mod".into(),
                (None, None) => format!("{}/go/pkg/mod", setting.home()?),
            };
            let build = match (setting.var("GOCACHE")?, setting.var("XDG_CACHE_HOME")?) {
                (Some(dir), _) => folder(dir),
                (None, Some(cache)) => format!("{}/go-build", folder(cache)),
                (None, None) => format!("{}/.cache/go-build", setting.home()?),
            };
            vec![Mount::shared(modules), Mount::shared(build)]
        }
        Manager::Cargo => {
            let home = setting.cargo_home()?;
            vec![
                Mount::shared(format!("{home}/registry")),
                Mount::shared(format!("{home}/git")),
            ]
        }
        Manager::Maven => vec![Mount::shared(format!("{}/.m2/repository", setting.home()?))],
    })
}

/// The edits that remove the cleanups of `targets` from the script, and
/// the cleanups as written; `Err` when one cannot go.
fn cleanups(
    doc: &Document<'_>,
    script: &Script,
    managers: &[Manager],
    targets: &[&str],
    setting: &Setting,
) -> Result<(Vec<Edit>, Vec<String>), String> {
    let mut whole = Vec::new();
    let mut edits = Vec::new();
    let mut removed = Vec::new();
    for (i, command) in script.commands.iter().enumerate() {
        let text = command.one_line();
        if cleans_cache(command, managers) {
            whole.push(i);
            removed.push(format!("`{text}`"));
            continue;
        }
        if let Some(words) = no_cache_dir_words(command, managers) {
            for w in words {
                edits.push(delete_word(doc, command, w)?);
                removed.push("`--no-cache-dir`".to_owned());
            }
            continue;
        }
        if command.program() != Some("rm") {
            continue;
        }
        let operands: Vec<usize> = (1..command.words.len())
            .filter(|&w| !command.words[w].raw().starts_with('-'))
            .collect();
        let mut cache = Vec::new();
        for &w in &operands {
            let raw = command.words[w].raw();
            let Some(path) = operand_path(raw, setting) else {
                if CACHE_VARIABLES.iter().any(|v| mentions_variable(raw, v)) {
                    return Err(format!("`{text}` removes a path the file does not tell"));
                }
                continue;
            };
            let dir = glob_free_folder(&path);
            if targets.iter().any(|t| dir == *t || inside(&dir, t)) {
                cache.push(w);
            } else if targets.iter().any(|t| inside(t, &dir)) {
                return Err(format!(
                    "`{text}` removes a folder that holds a cache mount"
                ));
            }
        }
        if cache.is_empty() {
            continue;
        }
        removed.push(format!("`{text}`"));
        if cache.len() == operands.len() {
            whole.push(i);
        } else {
            for w in cache {
                edits.push(delete_word(doc, command, w)?);
            }
        }
    }
    edits.extend(script.remove_commands(doc, &whole)?);
    Ok((edits, removed))
}

/// `apt-get clean`, `npm cache clean`, `yarn cache clean`, `pip cache
/// purge`, `go clean -modcache -cache` of a manager the `RUN` caches.
fn cleans_cache(command: &SimpleCommand, managers: &[Manager]) -> bool {
    let uses = |m: Manager| managers.contains(&m);
    let word = |i: usize| command.words.get(i).and_then(|w| w.literal());
    if let Some(apt) = invocation(command, &["apt-get", "apt"]) {
        return uses(Manager::Apt) && apt.verb == "clean";
    }
    if let Some(call) = invocation(command, &["npm", "yarn"]) {
        let manager = if call.program == "npm" {
            Manager::Npm
        } else {
            Manager::Yarn
        };
        return uses(manager)
            && call.verb == "cache"
            && word(call.subcommand + 1).as_deref() == Some("clean");
    }
    if let Some(go) = invocation(command, &["go"]) {
        let flags = &command.words[go.subcommand + 1..];
        return uses(Manager::Go)
            && go.verb == "clean"
            && !flags.is_empty()
            && flags.iter().all(|w| w.is("-modcache") || w.is("-cache"));
    }
    let pip = command.program().is_some_and(|p| p.starts_with("pip"))
        && command.words.get(1).is_some_and(|w| w.is("cache"));
    pip && uses(Manager::Pip) && command.words.get(2).is_some_and(|w| w.is("purge"))
}

/// The `--no-cache-dir` words of a `pip install` when pip is cached.
fn no_cache_dir_words(command: &SimpleCommand, managers: &[Manager]) -> Option<Vec<usize>> {
    if !managers.contains(&Manager::Pip) {
        return None;
    }
    let install = pip_install(command)?;
    let words: Vec<usize> = (install..command.words.len())
        .filter(|&w| command.words[w].is("--no-cache-dir"))
        .collect();
    (!words.is_empty()).then_some(words)
}

/// Deletes word `w` of `command` from the end of the word before it (a
/// line continuation between them included).
fn delete_word(doc: &Document<'_>, command: &SimpleCommand, w: usize) -> Result<Edit, String> {
    let range = command.words[w - 1].span.end..command.words[w].span.end;
    if holds_comment(&doc.text[range.clone()]) {
        return Err("a comment stands between the cleanup and the rest".into());
    }
    Ok(Edit::delete(range))
}

/// A command as one line: its words joined by blanks.
/// Variables that name cache folders: an `rm` of a path built from one
/// that the file does not tell may remove a mount.
const CACHE_VARIABLES: &[&str] = &[
    "HOME",
    "CARGO_HOME",
    "GOPATH",
    "GOMODCACHE",
    "GOCACHE",
    "XDG_CACHE_HOME",
    "PIP_CACHE_DIR",
    "npm_config_cache",
    "YARN_CACHE_FOLDER",
];

/// `$name` or `${name…}` in `raw` (not `$GNUPGHOME` for `HOME`).
fn mentions_variable(raw: &str, name: &str) -> bool {
    raw.match_indices('$').any(|(at, _)| {
        let rest = &raw[at + 1..];
        let rest = rest.strip_prefix('{').unwrap_or(rest);
        rest.strip_prefix(name).is_some_and(|after| {
            !after.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_')
        })
    })
}

/// An `rm` operand as a path: quotes removed, `~`, `$HOME` and
/// `$CARGO_HOME` replaced; `None` with another expansion.
fn operand_path(raw: &str, setting: &Setting) -> Option<String> {
    let unquoted = raw.trim_matches(['"', '\'']);
    let mut path = unquoted.to_owned();
    for (prefix, name) in [
        ("~", "HOME"),
        ("$HOME", "HOME"),
        ("${HOME}", "HOME"),
        ("$CARGO_HOME", "CARGO_HOME"),
        ("${CARGO_HOME}", "CARGO_HOME"),
    ] {
        let Some(rest) = unquoted.strip_prefix(prefix) else {
            continue;
        };
        if !(rest.is_empty() || rest.starts_with('/')) {
            continue;
        }
        let value = match name {
            "HOME" => setting.home().ok()?,
            _ => setting.cargo_home().ok()?,
        };
        path = format!("{value}{rest}");
        break;
    }
    (!path.contains(['$', '`']) && path.starts_with('/')).then_some(path)
}

/// The folder part of a path before its first glob, without a trailing
/// `/`: `/var/lib/apt/lists/*` → `/var/lib/apt/lists`.
fn glob_free_folder(path: &str) -> String {
    match path.find(['*', '?', '[']) {
        Some(glob) => {
            let before = &path[..glob];
            let folder = before.rfind('/').map_or("/", |slash| &path[..slash.max(1)]);
            folder.to_owned()
        }
        None => path.trim_end_matches('/').to_owned(),
    }
    .replace("//", "/")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::messages_of;

    #[test]
    fn paths() {
        assert_eq!(
            glob_free_folder("/var/lib/apt/lists/*"),
            "/var/lib/apt/lists"
        );
        assert_eq!(glob_free_folder("/root/.npm/"), "/root/.npm");
        assert_eq!(
            glob_free_folder("/var/cache/apt/archives/*.deb"),
            "/var/cache/apt/archives"
        );
        assert_eq!(glob_free_folder("/*"), "/");
        assert!(inside("/root/.cache/pip", "/root/.cache"));
        assert!(!inside("/root/.cachex", "/root/.cache"));
        assert!(related("/var/lib/apt", "/var/lib/apt/lists"));
        let setting = Setting {
            vars: HashMap::new(),
            base: None,
        };
        assert_eq!(
            operand_path("~/.npm", &setting).as_deref(),
            Some("/root/.npm")
        );
        assert_eq!(
            operand_path("\"$HOME/.cache/pip\"", &setting).as_deref(),
            Some("/root/.cache/pip")
        );
        assert_eq!(operand_path("$X/y", &setting), None);
        assert!(mentions_variable("\"${HOME:-/root}\"/.cache", "HOME"));
        assert!(mentions_variable("$HOME", "HOME"));
        assert!(!mentions_variable("\"$GNUPGHOME\"", "HOME"));
        assert!(!mentions_variable("$HOMEDIR", "HOME"));
    }

    #[test]
    fn declines_with_reasons() {
        let messages = messages_of(
            &RULE,
            "FROM debian\nUSER app\nRUN apt-get update && apt-get install -y curl\n",
        );
        assert!(
            messages[0].contains("not fixed: the RUN runs as `app`"),
            "{messages:?}"
        );
        let messages = messages_of(&RULE, "FROM example.com/base\nRUN npm ci\n");
        assert!(
            messages[0].contains("the user the RUN runs as is not known"),
            "{messages:?}"
        );
        let messages = messages_of(
            &RULE,
            "FROM python:3.12\nRUN pip install x && rm -rf /root/.cache\n",
        );
        assert!(
            messages[0].contains("removes a folder that holds a cache mount"),
            "{messages:?}"
        );
        let messages = messages_of(
            &RULE,
            "# syntax=docker/dockerfile:1.1\nFROM node:20\nRUN npm ci\n",
        );
        assert!(messages[0].contains("has no `RUN --mount`"), "{messages:?}");
        let messages = messages_of(&RULE, "FROM golang:1.22\nENV GOPATH=$X\nRUN go build\n");
        assert!(
            messages[0].contains("`GOPATH` is set from a variable"),
            "{messages:?}"
        );
    }
}
