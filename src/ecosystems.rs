//! Language package managers as `layer-order` sees them: which command
//! installs dependencies, from which manifest files, and what in those
//! files makes an install read more than its manifests.

use crate::context::BuildContext;
use crate::packages::pip_install;
use crate::shell::SimpleCommand;

/// A package manager's dependency step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ecosystem {
    Npm,
    Yarn,
    Pnpm,
    Pip,
    Poetry,
    Uv,
    Pipenv,
    Go,
    Cargo,
    Maven,
    Gradle,
    Bundler,
    Composer,
}

/// What a command does with an ecosystem's dependencies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// It installs the dependencies from the manifests alone: it can run
    /// before the source is copied.
    Installs,
    /// It needs the source (a build), but this command, run first with only
    /// the manifests, fetches the dependencies it uses.
    Primes(String),
    /// It needs the source and the dependency-only step is a recipe beyond
    /// one command: reported, not fixed.
    Recipe(&'static str),
}

impl Ecosystem {
    pub fn name(self) -> &'static str {
        match self {
            Ecosystem::Npm => "npm",
            Ecosystem::Yarn => "yarn",
            Ecosystem::Pnpm => "pnpm",
            Ecosystem::Pip => "pip",
            Ecosystem::Poetry => "poetry",
            Ecosystem::Uv => "uv",
            Ecosystem::Pipenv => "pipenv",
            Ecosystem::Go => "go",
            Ecosystem::Cargo => "cargo",
            Ecosystem::Maven => "maven",
            Ecosystem::Gradle => "gradle",
            Ecosystem::Bundler => "bundler",
            Ecosystem::Composer => "composer",
        }
    }

    /// Manifest files, the first required, the others copied when they
    /// exist.
    pub fn manifests(self) -> &'static [&'static str] {
        match self {
            Ecosystem::Npm => &[
                "package.json",
                "package-lock.json",
                "npm-shrinkwrap.json",
                ".npmrc",
            ],
            Ecosystem::Yarn => &[
                "package.json",
                "yarn.lock",
                ".yarnrc.yml",
                ".yarnrc",
                ".npmrc",
            ],
            Ecosystem::Pnpm => &["package.json", "pnpm-lock.yaml", ".npmrc"],
            // pip's files are those its command names (see `pip_files`).
            Ecosystem::Pip => &[],
            Ecosystem::Poetry => &["pyproject.toml", "poetry.lock", "poetry.toml"],
            Ecosystem::Uv => &["pyproject.toml", "uv.lock", ".python-version"],
            Ecosystem::Pipenv => &["Pipfile", "Pipfile.lock"],
            Ecosystem::Go => &["go.mod", "go.sum"],
            Ecosystem::Cargo => &["Cargo.toml", "Cargo.lock"],
            Ecosystem::Maven => &["pom.xml"],
            Ecosystem::Gradle => &["build.gradle"],
            Ecosystem::Bundler => &["Gemfile", "Gemfile.lock", ".ruby-version"],
            Ecosystem::Composer => &["composer.json", "composer.lock"],
        }
    }

    /// Folders the install reads as well, copied when they exist.
    pub fn folders(self) -> &'static [&'static str] {
        match self {
            Ecosystem::Yarn => &[".yarn"],
            _ => &[],
        }
    }
}

/// The ecosystem and step of a command, if it is a dependency step.
pub fn classify(command: &SimpleCommand) -> Option<(Ecosystem, Step)> {
    if pip_install(command).is_some() {
        return pip_step(command).map(|step| (Ecosystem::Pip, step));
    }
    let program = command.program()?;
    let words: Vec<String> = command
        .words
        .iter()
        .map(|w| w.literal().map(|l| l.into_owned()))
        .collect::<Option<_>>()?;
    let args: Vec<&str> = words[1..].iter().map(String::as_str).collect();
    let operands: Vec<&str> = args
        .iter()
        .copied()
        .filter(|a| !a.starts_with('-'))
        .collect();
    let verb = operands.first().copied();
    let raw = || command.one_line();
    let step = match program {
        "npm" if matches!(verb, Some("ci" | "install" | "i")) && operands.len() == 1 => {
            (Ecosystem::Npm, Step::Installs)
        }
        "yarn" if verb.is_none() || verb == Some("install") && operands.len() == 1 => {
            (Ecosystem::Yarn, Step::Installs)
        }
        "pnpm" if matches!(verb, Some("install" | "i")) && operands.len() == 1 => {
            (Ecosystem::Pnpm, Step::Installs)
        }
        "poetry" if verb == Some("install") => {
            if args.contains(&"--no-root") {
                (Ecosystem::Poetry, Step::Installs)
            } else {
                (
                    Ecosystem::Poetry,
                    Step::Primes(format!("{} --no-root", raw())),
                )
            }
        }
        "uv" if verb == Some("sync") => {
            if args.contains(&"--no-install-project") {
                (Ecosystem::Uv, Step::Installs)
            } else {
                (
                    Ecosystem::Uv,
                    Step::Primes(format!("{} --no-install-project", raw())),
                )
            }
        }
        "pipenv" if matches!(verb, Some("install" | "sync")) && operands.len() == 1 => {
            (Ecosystem::Pipenv, Step::Installs)
        }
        "go" if args.first() == Some(&"mod") && args.get(1) == Some(&"download") => {
            (Ecosystem::Go, Step::Installs)
        }
        "go" if matches!(verb, Some("build" | "install" | "test" | "vet")) => {
            (Ecosystem::Go, Step::Primes("go mod download".to_owned()))
        }
        "cargo" if matches!(verb, Some("build" | "install" | "test")) => (
            Ecosystem::Cargo,
            Step::Recipe(
                "cargo builds the dependencies with the source: build them first from Cargo.toml and Cargo.lock with an empty src/main.rs, or with cargo-chef",
            ),
        ),
        "mvn" if operands.contains(&"dependency:go-offline") => (Ecosystem::Maven, Step::Installs),
        "mvn"
            if operands
                .iter()
                .any(|o| matches!(*o, "package" | "install" | "verify" | "compile" | "test")) =>
        {
            let batch = if args.contains(&"-B") || args.contains(&"--batch-mode") {
                " -B"
            } else {
                ""
            };
            (
                Ecosystem::Maven,
                Step::Primes(format!(
                    "{}{batch} dependency:go-offline",
                    command.words[0].raw()
                )),
            )
        }
        "gradle" | "gradlew" if verb.is_some() => (
            Ecosystem::Gradle,
            Step::Recipe(
                "Gradle resolves dependencies with the source: copy the build and settings scripts (and the wrapper) first and run `gradle dependencies`",
            ),
        ),
        "bundle" if verb.is_none() || verb == Some("install") && operands.len() == 1 => {
            (Ecosystem::Bundler, Step::Installs)
        }
        "composer" if verb == Some("install") => {
            if args.contains(&"--no-scripts") && args.contains(&"--no-autoloader") {
                (Ecosystem::Composer, Step::Installs)
            } else {
                (
                    Ecosystem::Composer,
                    Step::Primes(format!("{} --no-scripts --no-autoloader", raw())),
                )
            }
        }
        _ => return None,
    };
    Some(step)
}

/// Commands that may run next to an install and need no source (`pip
/// install --upgrade pip`, `npm cache clean --force`).
pub fn needs_no_source(command: &SimpleCommand) -> bool {
    if pip_install(command).is_some() {
        return pip_arguments(command).is_some_and(|a| a.requirements.is_empty() && !a.local);
    }
    let words: Vec<_> = command.words.iter().map(|w| w.literal()).collect();
    let word = |i: usize| words.get(i).and_then(|w| w.as_deref());
    matches!(
        (command.program(), word(1), word(2)),
        (Some("npm" | "yarn" | "pnpm"), Some("cache"), Some("clean"))
            | (Some("npm" | "yarn" | "pnpm" | "bundle"), Some("config"), _)
            | (Some("gem"), Some("install"), _)
            | (Some("corepack"), Some("enable"), _)
    )
}

/// What a `pip install` names: its requirement and constraint files, the
/// folders it finds packages in, and whether it installs local paths.
#[derive(Debug, Default)]
pub struct PipArguments {
    pub requirements: Vec<String>,
    pub find_links: Vec<String>,
    /// A local path or editable install: needs the source.
    pub local: bool,
}

pub fn pip_arguments(command: &SimpleCommand) -> Option<PipArguments> {
    let install = pip_install(command)?;
    let mut out = PipArguments::default();
    let words: Vec<String> = command.words[install + 1..]
        .iter()
        .map(|w| w.literal().map(|l| l.into_owned()))
        .collect::<Option<_>>()?;
    let mut i = 0;
    while let Some(word) = words.get(i) {
        let (flag, inline) = match word.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f, Some(v.to_owned())),
            _ => (word.as_str(), None),
        };
        let mut value = || {
            inline.clone().or_else(|| {
                i += 1;
                words.get(i).cloned()
            })
        };
        match flag {
            "-r" | "--requirement" | "-c" | "--constraint" => out.requirements.push(value()?),
            "-f" | "--find-links" => out.find_links.push(value()?),
            "-e" | "--editable" => {
                value()?;
                out.local = true;
            }
            "-i" | "--index-url" | "--extra-index-url" | "--target" | "-t" | "--prefix"
            | "--cache-dir" | "--trusted-host" | "--platform" | "--python-version"
            | "--only-binary" | "--no-binary" | "--root" | "--log" | "--proxy" | "--timeout"
            | "--retries" | "--src" | "--upgrade-strategy" | "--progress-bar"
            | "--implementation" | "--abi" => {
                value()?;
            }
            _ if flag.starts_with('-') => {}
            operand => out.local |= is_local(operand),
        }
        i += 1;
    }
    Some(out)
}

fn pip_step(command: &SimpleCommand) -> Option<Step> {
    let arguments = pip_arguments(command)?;
    (!arguments.requirements.is_empty() && !arguments.local).then_some(Step::Installs)
}

/// A requirement that is a path (`.`, `./pkg`, `/src`, `file:…`).
fn is_local(requirement: &str) -> bool {
    requirement.starts_with(['.', '/'])
        || requirement.starts_with("file:")
        || (requirement.contains('/') && !requirement.contains("://"))
}

/// Why the manifests in folder `base` of the context are not enough for
/// the install, if they are not.
pub fn why_not_enough(ecosystem: Ecosystem, context: &BuildContext, base: &str) -> Option<String> {
    let read = |name: &str| context.read(&join(base, name));
    match ecosystem {
        Ecosystem::Npm | Ecosystem::Yarn | Ecosystem::Pnpm => {
            let json = read("package.json")?;
            npm_reason(&json, context.is_file(&join(base, "pnpm-workspace.yaml")))
        }
        Ecosystem::Go => {
            if context.is_file(&join(base, "go.work")) {
                return Some("a go.work workspace names other modules".into());
            }
            let modfile = read("go.mod")?;
            modfile
                .lines()
                .any(|l| l.contains("=> ./") || l.contains("=> ../"))
                .then(|| "go.mod replaces a module with a local folder".into())
        }
        Ecosystem::Bundler => {
            let gemfile = read("Gemfile")?;
            gemfile
                .lines()
                .map(str::trim)
                .filter(|l| !l.starts_with('#'))
                .find_map(|l| {
                    if l.starts_with("gemspec") {
                        Some("the Gemfile reads the gemspec of the source".into())
                    } else if l.contains("path:") || l.contains(":path") {
                        Some("the Gemfile has a gem from a local path".into())
                    } else {
                        None
                    }
                })
        }
        Ecosystem::Composer => read("composer.json")?
            .contains("\"path\"")
            .then(|| "composer.json has a repository of type path".into()),
        Ecosystem::Maven => read("pom.xml")?
            .contains("<modules>")
            .then(|| "pom.xml has modules, each with its own pom.xml".into()),
        Ecosystem::Pipenv => read("Pipfile")?
            .lines()
            .any(|l| l.contains("path =") || l.contains("path=") || l.contains("editable"))
            .then(|| "the Pipfile has a package from a local path".into()),
        Ecosystem::Poetry | Ecosystem::Uv => read("pyproject.toml")?
            .lines()
            .any(|l| l.contains("path =") || l.contains("path="))
            .then(|| "pyproject.toml has a dependency from a local path".into()),
        Ecosystem::Pip | Ecosystem::Cargo | Ecosystem::Gradle => None,
    }
}

fn npm_reason(json: &str, workspace: bool) -> Option<String> {
    if workspace {
        return Some("pnpm-workspace.yaml names other packages".into());
    }
    let value: serde_json::Value = serde_json::from_str(json).ok()?;
    if value.get("workspaces").is_some() {
        return Some("package.json has workspaces, each with its own package.json".into());
    }
    for key in [
        "dependencies",
        "devDependencies",
        "optionalDependencies",
        "peerDependencies",
    ] {
        let Some(deps) = value.get(key).and_then(|d| d.as_object()) else {
            continue;
        };
        for (name, spec) in deps {
            let spec = spec.as_str().unwrap_or_default();
            if spec.starts_with("file:") || spec.starts_with("link:") {
                return Some(format!(
                    "package.json has a local dependency ({name}: {spec})"
                ));
            }
        }
    }
    let scripts = value.get("scripts").and_then(|s| s.as_object())?;
    ["preinstall", "install", "postinstall", "prepare"]
        .iter()
        .find(|s| scripts.contains_key(**s))
        .map(|s| format!("package.json has a `{s}` script, which may read the source"))
}

/// Why requirement file `name` (in folder `base`) needs more than the
/// files copied: a local or editable requirement, or a file it includes
/// from elsewhere. Collects the files it includes into `files`.
pub fn pip_requirement_reason(
    context: &BuildContext,
    base: &str,
    name: &str,
    files: &mut Vec<String>,
) -> Option<String> {
    if files.iter().any(|f| f == name) {
        return None;
    }
    let Some(text) = context.read(&join(base, name)) else {
        return Some(format!("{name} is not in the build context"));
    };
    files.push(name.to_owned());
    let folder = match name.rsplit_once('/') {
        Some((folder, _)) => folder.to_owned(),
        None => String::new(),
    };
    for line in text.lines() {
        let line = line.split(" #").next().unwrap_or(line).trim();
        let mut words = line.split_whitespace();
        let first = words.next().unwrap_or_default();
        match first {
            "-e" | "--editable" => {
                return Some(format!("{name} has an editable requirement ({line})"));
            }
            "-r" | "--requirement" | "-c" | "--constraint" => {
                let included = words.next().unwrap_or_default();
                let path = join(&folder, included);
                if let Some(reason) = pip_requirement_reason(context, base, &path, files) {
                    return Some(reason);
                }
            }
            _ if is_local(first) && !first.is_empty() => {
                return Some(format!("{name} has a local requirement ({first})"));
            }
            _ => {}
        }
    }
    None
}

/// `base/name`, or `name` at the context's root.
pub fn join(base: &str, name: &str) -> String {
    if base.is_empty() {
        name.to_owned()
    } else {
        format!("{base}/{name}")
    }
}
