//! The Node recipe: `npm ci && npm run build` (or yarn's, pnpm's) stays in
//! the builder; the runtime stage gets the package manifests as the file
//! copied them, the production install (`npm ci --omit=dev`) and the build
//! output, on the slim variant of the base. The output folder comes from
//! the `build` script of the context's `package.json` (a table of the
//! usual tools), else from the file `node` runs in `CMD`/`ENTRYPOINT`.

use parse_dockerfile::{Command, Instruction, Source};
use serde_json::Value;

use super::{Input, Recipe, absolute, join, run_position, slim_base, slim_distro};
use crate::context::BuildContext;
use crate::document::Document;
use crate::runs::{self, Stage};
use crate::shell::{SimpleCommand, program_name};
use crate::stage_use::is_build_package;
use crate::words::rough_words;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Manager {
    Npm,
    Yarn,
    Pnpm,
}

impl Manager {
    fn name(self) -> &'static str {
        match self {
            Manager::Npm => "npm",
            Manager::Yarn => "yarn",
            Manager::Pnpm => "pnpm",
        }
    }

    fn lockfiles(self) -> &'static [&'static str] {
        match self {
            Manager::Npm => &["package-lock.json", "npm-shrinkwrap.json"],
            Manager::Yarn => &["yarn.lock"],
            Manager::Pnpm => &["pnpm-lock.yaml"],
        }
    }

    /// The install of the production dependencies only. npm 6 has no
    /// `--omit` (it would install the dev dependencies too): it gets
    /// `--production`, which npm 7 and later still read but deprecate.
    fn production_install(self, ci: bool, lockfile: bool, npm_6: bool) -> &'static str {
        match (self, ci || lockfile) {
            (Manager::Npm, true) if npm_6 => "npm ci --production",
            (Manager::Npm, false) if npm_6 => "npm install --production",
            (Manager::Npm, true) => "npm ci --omit=dev",
            (Manager::Npm, false) => "npm install --omit=dev",
            (Manager::Yarn, true) => "yarn install --production --frozen-lockfile",
            (Manager::Yarn, false) => "yarn install --production",
            (Manager::Pnpm, true) => "pnpm install --prod --frozen-lockfile",
            (Manager::Pnpm, false) => "pnpm install --prod",
        }
    }
}

/// Every lockfile a manifest copy may name.
const LOCKFILES: &[&str] = &[
    "package-lock.json",
    "npm-shrinkwrap.json",
    "yarn.lock",
    "pnpm-lock.yaml",
];

/// Packages node-gyp builds native modules with, besides the build tools.
const NODE_BUILD_ONLY: &[&str] = &["python3", "python3-minimal", "python-is-python3", "python"];

/// Package scripts a production install runs.
const INSTALL_SCRIPTS: &[&str] = &["preinstall", "install", "postinstall", "prepare"];

/// The command's words, when all are literal.
fn words(command: &SimpleCommand) -> Option<Vec<String>> {
    command
        .words
        .iter()
        .map(|w| w.literal().map(|l| l.into_owned()))
        .collect()
}

/// Words not starting with `-`, after the program.
fn operands(words: &[String]) -> Vec<&str> {
    words
        .iter()
        .skip(1)
        .map(String::as_str)
        .filter(|w| !w.starts_with('-'))
        .collect()
}

/// `npm ci`, `npm install`, `yarn`, `yarn install`, `pnpm install`: the
/// manager, and whether it is `npm ci`.
fn install_of(command: &SimpleCommand) -> Option<(Manager, bool)> {
    // The program first: `words` allocates, and this runs on every command.
    if !matches!(command.program()?, "npm" | "yarn" | "pnpm") {
        return None;
    }
    let words = words(command)?;
    let operands = operands(&words);
    match (command.program()?, operands.as_slice()) {
        ("npm", ["ci"]) => Some((Manager::Npm, true)),
        ("npm", ["install" | "i"]) => Some((Manager::Npm, false)),
        ("yarn", [] | ["install"]) => Some((Manager::Yarn, false)),
        ("pnpm", ["install" | "i"]) => Some((Manager::Pnpm, false)),
        _ => None,
    }
}

/// The script a `npm run NAME` (`yarn NAME`, `pnpm NAME`, …) runs.
fn script_run(words: &[&str]) -> Option<String> {
    let program = program_name(words.first()?);
    let operands: Vec<&str> = words[1..]
        .iter()
        .copied()
        .filter(|w| !w.starts_with('-'))
        .collect();
    match (program, operands.as_slice()) {
        ("npm" | "pnpm", ["run" | "run-script", name, ..]) => Some((*name).to_owned()),
        ("yarn", ["run", name, ..]) => Some((*name).to_owned()),
        ("npm" | "yarn" | "pnpm", ["start"]) => Some("start".into()),
        ("yarn" | "pnpm", [name]) if !["install", "add", "i", "ci"].contains(name) => {
            Some((*name).to_owned())
        }
        _ => None,
    }
}

fn is_build(command: &SimpleCommand) -> bool {
    let Some(words) = words(command) else {
        return false;
    };
    let words: Vec<&str> = words.iter().map(String::as_str).collect();
    script_run(&words).as_deref() == Some("build")
}

pub(super) fn recipe(input: &Input<'_, '_, '_>) -> Option<Result<Recipe, String>> {
    let commands = input.commands;
    let at = commands.iter().position(|c| install_of(c).is_some())?;
    let (manager, ci) = install_of(commands[at])?;
    let build = commands[at..].iter().find(|c| is_build(c))?;
    Some(split(input, commands[at], build, manager, ci))
}

fn split(
    input: &Input<'_, '_, '_>,
    install: &SimpleCommand,
    build: &SimpleCommand,
    manager: Manager,
    ci: bool,
) -> Result<Recipe, String> {
    let Input {
        doc,
        stage,
        commands,
        image,
        uses,
        context,
    } = *input;
    let workdir = stage
        .workdir_at(stage.instructions.len())
        .ok_or("the WORKDIR cannot be known")?
        .to_owned();
    let install_at =
        run_position(stage, install.span.start).ok_or("the install's RUN is not found")?;
    let build_at = run_position(stage, build.span.start).ok_or("the build's RUN is not found")?;
    if [install_at, build_at]
        .iter()
        .any(|p| stage.workdir_at(*p) != Some(workdir.as_str()))
        || commands.iter().any(|c| c.program() == Some("cd"))
    {
        return Err(format!(
            "the install or the build runs in another folder than the WORKDIR ({workdir})"
        ));
    }
    let manifests = manifests(doc, stage, &workdir, install_at, manager, context)?;
    let package: Option<Value> = context
        .and_then(|c| c.read(&manifests.package_json))
        .and_then(|text| serde_json::from_str(&text).ok());
    let scripts = package
        .as_ref()
        .and_then(|p| p.get("scripts"))
        .and_then(Value::as_object);
    if let Some(scripts) = scripts
        && let Some(name) = INSTALL_SCRIPTS.iter().find(|s| scripts.contains_key(**s))
    {
        return Err(format!(
            "package.json has a `{name}` script, which the production install would run without the source and the dev dependencies"
        ));
    }
    if manager == Manager::Yarn && yarn_berry(package.as_ref(), context, &manifests.folder) {
        return Err("Yarn 2 or later has no `yarn install --production`".into());
    }

    let outputs = match scripts.and_then(|s| s.get("build")).and_then(Value::as_str) {
        Some(script) => build_output(script, scripts, context, &manifests.folder, 0).transpose()?,
        None => None,
    };
    let entry = runtime_entry(stage, package.as_ref())?;
    let outputs: Vec<String> = match outputs {
        Some(dirs) => dirs
            .iter()
            .map(|d| runs::normal_path(&workdir, d))
            .collect(),
        None => {
            let Some(entry) = &entry else {
                return Err("the build's output folder cannot be known (no `build` script in package.json that dockerfix knows, and no `node FILE` in CMD or ENTRYPOINT)".into());
            };
            let folder = folder_of(&workdir, &runs::normal_path(&workdir, entry));
            if folder == workdir {
                return Err(format!(
                    "the program runs {entry} at the top of the source tree: the build's output folder cannot be told from the source"
                ));
            }
            vec![folder]
        }
    };
    let mut copies = Vec::new();
    for output in outputs {
        if output == workdir || output == "/" || workdir.starts_with(&format!("{output}/")) {
            return Err(format!(
                "the build's output is the source tree itself ({output}): it cannot be told from the source"
            ));
        }
        if !copies.contains(&output) {
            copies.push(output);
        }
    }
    let mut unproven = Vec::new();
    if let Some(entry) = entry.map(|e| runs::normal_path(&workdir, &e))
        && !copies.iter().any(|c| entry.starts_with(&format!("{c}/")))
    {
        unproven.push(format!("the modules {entry} loads from the source tree"));
        copies.push(entry);
    }

    let base = runtime_base(image, uses, manager)?;
    let runs_npm = manager == Manager::Npm
        || ["npm", "npx"]
            .iter()
            .any(|w| uses.runtime_words.contains(*w));
    let packages: Vec<String> = uses
        .packages
        .iter()
        .filter(|p| !is_build_package(p) && !NODE_BUILD_ONLY.contains(&p.as_str()))
        .filter(|p| *p != "npm" || runs_npm)
        .cloned()
        .collect();
    if !uses.build_packages().is_empty() {
        return Err(
            "the file installs build tools (native modules): the runtime stage's production install would have none"
                .into(),
        );
    }
    let mut steps = setup_steps(commands, manager, &base)?;
    steps.push(manifests.line.clone());
    steps.push(format!(
        "RUN {}",
        manager.production_install(ci, manifests.lockfile, npm_before_7(image))
    ));
    if package.is_none() {
        unproven.push(match context {
            None => "package.json's scripts (not read: no build context)".into(),
            Some(_) => format!(
                "package.json's scripts ({} not read)",
                manifests.package_json
            ),
        });
    }
    unproven.insert(
        0,
        format!(
            "files the program reads outside {} and node_modules",
            copies.join(" and ")
        ),
    );
    Ok(Recipe {
        ecosystem: "Node",
        base,
        packages,
        steps,
        copies,
        copies_to: Vec::new(),
        unproven,
    })
}

/// The top folder of `path` under `workdir`, or its folder when it is
/// elsewhere.
fn folder_of(workdir: &str, path: &str) -> String {
    let prefix = if workdir == "/" {
        "/".to_owned()
    } else {
        format!("{workdir}/")
    };
    match path.strip_prefix(&prefix) {
        Some(rest) => match rest.split_once('/') {
            Some((top, _)) => runs::normal_path(workdir, top),
            None => workdir.to_owned(),
        },
        None => path
            .rsplit_once('/')
            .map_or("/", |(folder, _)| folder)
            .to_owned(),
    }
}

/// The runtime stage's base: the slim variant of an official `node` image,
/// or the slim release of a distribution that installs `nodejs`.
fn runtime_base(
    image: &str,
    uses: &crate::stage_use::StageUse,
    manager: Manager,
) -> Result<String, String> {
    let repository = crate::images::repository(image).ok_or("the base image has a variable")?;
    if repository != "node" {
        if !["debian", "ubuntu", "alpine"].contains(&repository.as_str()) {
            return Err(format!("dockerfix knows no runtime base for {image}"));
        }
        if !uses.packages.contains("nodejs") {
            return Err(format!(
                "Node is not installed from {repository}'s `nodejs` package"
            ));
        }
        if manager != Manager::Npm {
            return Err(format!(
                "{} on {repository}'s Node: the runtime stage would not have it",
                manager.name()
            ));
        }
        return slim_distro(image);
    }
    if image.contains('@') {
        return Err(format!(
            "{image} is pinned by digest: its slim variant's digest is not known"
        ));
    }
    let (name, tag) = match image.rfind(':').filter(|i| !image[*i..].contains('/')) {
        Some(i) => (&image[..i], &image[i + 1..]),
        None => (image, "latest"),
    };
    if tag.contains("slim") || tag.contains("alpine") {
        return Ok(image.to_owned());
    }
    slim_base::VARIANTS
        .iter()
        .find(|v| v.repository == "node")
        .and_then(|v| (v.slim)(tag))
        .map(|slim| format!("{name}:{slim}"))
        .ok_or_else(|| format!("{image} has no slim variant dockerfix knows"))
}

/// Whether the image's npm predates npm 7 (Node 15), which brought
/// `--omit=dev`: `node:14` and older (by number or by LTS code name),
/// Debian buster's and Ubuntu focal's and bionic's `npm` packages, and
/// Alpine 3.13 and older.
fn npm_before_7(image: &str) -> bool {
    const OLD_CODE_NAMES: &[&str] = &["argon", "boron", "carbon", "dubnium", "erbium", "fermium"];
    let Some(repository) = crate::images::repository(image) else {
        return false;
    };
    let tag = image
        .split('@')
        .next()
        .and_then(|i| i.rsplit_once(':'))
        .filter(|(_, t)| !t.contains('/'))
        .map_or("latest", |(_, t)| t);
    let first = tag.split('-').next().unwrap_or(tag);
    let number = |version: &str, at: usize| -> Option<u32> {
        version.split('.').nth(at).and_then(|n| n.parse().ok())
    };
    match repository.as_str() {
        "node" => {
            number(first, 0).is_some_and(|major| major <= 14) || OLD_CODE_NAMES.contains(&first)
        }
        "debian" => ["buster", "stretch", "10", "9"].contains(&first),
        "ubuntu" => ["focal", "bionic", "20.04", "18.04"].contains(&first),
        "alpine" => {
            number(first, 0) == Some(3) && number(first, 1).is_some_and(|minor| minor <= 13)
        }
        _ => false,
    }
}

/// The commands that put pnpm (or a Yarn of corepack) on the image, for
/// the runtime stage: `corepack enable`, `npm install -g pnpm`.
fn setup_steps(
    commands: &[&SimpleCommand],
    manager: Manager,
    base: &str,
) -> Result<Vec<String>, String> {
    if manager == Manager::Npm {
        return Ok(Vec::new());
    }
    let setup: Vec<String> = commands
        .iter()
        .filter(|c| {
            let Some(words) = words(c) else { return false };
            let operands = operands(&words);
            match c.program() {
                Some("corepack") => true,
                Some("npm") => {
                    words.iter().any(|w| w == "-g" || w == "--global")
                        && operands
                            .iter()
                            .skip(1)
                            .any(|o| o.starts_with(manager.name()))
                }
                _ => false,
            }
        })
        .map(|c| c.one_line())
        .collect();
    if setup.is_empty() && manager == Manager::Pnpm {
        return Err(format!(
            "pnpm is not in {base} and the file does not install it (`corepack enable` or `npm install -g pnpm`)"
        ));
    }
    Ok(setup.into_iter().map(|c| format!("RUN {c}")).collect())
}

/// The manifest copy of the runtime stage.
struct Manifests {
    /// `COPY package.json package-lock.json ./`.
    line: String,
    /// Whether it copies a lockfile.
    lockfile: bool,
    /// package.json's path in the build context.
    package_json: String,
    /// Its folder in the build context (`""` for the root).
    folder: String,
}

/// The copy that brings package.json into the WORKDIR before the install:
/// the file's own `COPY package.json …`, or from a whole copy (`COPY . .`)
/// package.json and the lockfile the context has.
fn manifests(
    doc: &Document<'_>,
    stage: &Stage<'_, '_>,
    workdir: &str,
    install_at: usize,
    manager: Manager,
    context: Option<&BuildContext>,
) -> Result<Manifests, String> {
    let mut whole = None;
    for (position, instruction) in stage.instructions.iter().enumerate().take(install_at) {
        let Instruction::Copy(copy) = instruction else {
            continue;
        };
        if copy.options.iter().any(|f| f.name.value == "from") {
            continue;
        }
        let flags: Vec<&str> = copy.options.iter().map(|f| &doc.text[f.span()]).collect();
        let sources: Vec<&str> = copy
            .src
            .iter()
            .filter_map(|s| match s {
                Source::Path(p) => Some(p.value.as_ref()),
                _ => None,
            })
            .collect();
        if sources
            .iter()
            .any(|s| s.contains(char::is_whitespace) || s.contains('$'))
        {
            continue;
        }
        let Some(dest) = absolute(stage, position, &copy.dest.value) else {
            continue;
        };
        let base_name = |s: &str| {
            s.trim_end_matches('/')
                .rsplit('/')
                .next()
                .unwrap_or(s)
                .to_owned()
        };
        let explicit = sources.iter().find(|s| {
            let name = base_name(s);
            name == "package.json" || name.starts_with("package") && name.contains('*')
        });
        if let Some(package) = explicit {
            if dest != workdir {
                return Err(format!(
                    "package.json is copied to {dest}, not to the WORKDIR ({workdir})"
                ));
            }
            let folder = package.rsplit_once('/').map_or("", |(f, _)| f);
            let folder = crate::context::normalize(folder).unwrap_or_default();
            let lockfile = sources
                .iter()
                .any(|s| LOCKFILES.contains(&base_name(s).as_str()))
                || (package.contains('*')
                    && context.is_some_and(|c| {
                        manager
                            .lockfiles()
                            .iter()
                            .any(|l| c.is_file(&join(&folder, l)))
                    }));
            let mut words = flags.clone();
            words.extend(sources.iter().copied());
            words.push("./");
            return Ok(Manifests {
                line: format!("COPY {}", words.join(" ")),
                lockfile,
                package_json: join(&folder, "package.json"),
                folder,
            });
        }
        let is_folder = |s: &str| {
            s == "."
                || s.ends_with('/')
                || context.map_or(!base_name(s).contains('.'), |c| {
                    c.kind(s) == Some(crate::context::Kind::Dir)
                })
        };
        if whole.is_none() && dest == workdir && sources.len() == 1 && is_folder(sources[0]) {
            whole = Some((
                flags,
                crate::context::normalize(sources[0]).unwrap_or_default(),
            ));
        }
    }
    let Some((flags, folder)) = whole else {
        return Err(format!(
            "no COPY brings package.json into the WORKDIR ({workdir}) before the install"
        ));
    };
    let (files, lockfile) = match context {
        Some(c) => {
            let mut files = vec!["package.json".to_owned()];
            files.extend(
                manager
                    .lockfiles()
                    .iter()
                    .chain([".npmrc"].iter())
                    .filter(|f| c.is_file(&join(&folder, f)))
                    .map(|f| (*f).to_owned()),
            );
            let lockfile = files.iter().any(|f| LOCKFILES.contains(&f.as_str()));
            (files, lockfile)
        }
        None => match manager {
            Manager::Npm => (vec!["package*.json".to_owned()], false),
            _ => (
                vec!["package.json".to_owned(), manager.lockfiles()[0].to_owned()],
                true,
            ),
        },
    };
    let mut words: Vec<String> = flags.iter().map(|f| (*f).to_owned()).collect();
    words.extend(files.iter().map(|f| join(&folder, f)));
    words.push("./".into());
    Ok(Manifests {
        line: format!("COPY {}", words.join(" ")),
        lockfile,
        package_json: join(&folder, "package.json"),
        folder,
    })
}

/// Yarn 2+: a `.yarnrc.yml`, or `packageManager: yarn@2…`.
fn yarn_berry(package: Option<&Value>, context: Option<&BuildContext>, folder: &str) -> bool {
    let declared = package
        .and_then(|p| p.get("packageManager"))
        .and_then(Value::as_str)
        .and_then(|m| m.strip_prefix("yarn@"))
        .is_some_and(|v| !v.starts_with("1."));
    declared || context.is_some_and(|c| c.is_file(&join(folder, ".yarnrc.yml")))
}

/// The words of the stage's last `ENTRYPOINT` and `CMD`, in that order.
fn runtime_words(stage: &Stage<'_, '_>) -> Vec<String> {
    let of = |command: &Command<'_>| -> Vec<String> {
        match command {
            Command::Exec(list) => list.value.iter().map(|w| w.value.to_string()).collect(),
            Command::Shell(text) => rough_words(text.value)
                .iter()
                .map(|w| w.to_string())
                .collect(),
            _ => Vec::new(),
        }
    };
    let last = |entrypoint: bool| {
        stage.instructions.iter().rev().find_map(|i| match i {
            Instruction::Entrypoint(e) if entrypoint => Some(of(&e.arguments)),
            Instruction::Cmd(c) if !entrypoint => Some(of(&c.arguments)),
            _ => None,
        })
    };
    let mut words = last(true).unwrap_or_default();
    words.extend(last(false).unwrap_or_default());
    words
}

/// The file `node` runs at run time (from CMD/ENTRYPOINT, or the script
/// `npm start` runs), as written. `Err` when the runtime runs a script
/// whose command cannot be read or is not `node`.
fn runtime_entry(stage: &Stage<'_, '_>, package: Option<&Value>) -> Result<Option<String>, String> {
    let words = runtime_words(stage);
    let words: Vec<&str> = words.iter().map(String::as_str).collect();
    if let Some(entry) = node_entry(&words) {
        return Ok(Some(entry));
    }
    let Some(name) = script_run(&words) else {
        return Ok(None);
    };
    let Some(package) = package else {
        return Err(format!(
            "the program starts with `{}`, whose script cannot be read without the build context",
            words.join(" ")
        ));
    };
    let script = package
        .get("scripts")
        .and_then(|s| s.get(&name))
        .and_then(Value::as_str);
    let script = match script {
        Some(script) => script,
        None if name == "start" => "node server.js",
        None => return Err(format!("package.json has no `{name}` script")),
    };
    let first = script.split("&&").next().unwrap_or(script);
    let first: Vec<&str> = first.split_whitespace().collect();
    match node_entry(&first) {
        Some(entry) if first.first().map(|w| program_name(w)) == Some("node") => Ok(Some(entry)),
        _ => Err(format!(
            "the `{name}` script runs `{script}`, whose tools the production install may leave out"
        )),
    }
}

/// The script `node` (or Debian's `nodejs`) runs in `words`.
fn node_entry(words: &[&str]) -> Option<String> {
    let at = words
        .iter()
        .position(|w| matches!(program_name(w), "node" | "nodejs"))?;
    let mut rest = words[at + 1..].iter();
    while let Some(word) = rest.next() {
        if matches!(
            *word,
            "-r" | "--require" | "--import" | "--loader" | "--experimental-loader"
        ) {
            rest.next();
        } else if !word.starts_with('-') {
            return Some((*word).to_owned());
        }
    }
    None
}

/// The output folders (relative to package.json's folder) of a `build`
/// script: `None` when no tool of it is known, `Err` when the output
/// cannot be split from the source.
fn build_output(
    script: &str,
    scripts: Option<&serde_json::Map<String, Value>>,
    context: Option<&BuildContext>,
    folder: &str,
    depth: usize,
) -> Option<Result<Vec<String>, String>> {
    let mut dirs = Vec::new();
    for segment in script.split("&&").flat_map(|s| s.split(';')) {
        let words: Vec<&str> = segment
            .split_whitespace()
            .skip_while(|w| w.contains('=') && !w.starts_with('-') || *w == "cross-env")
            .collect();
        let Some(tool) = words.first().map(|w| program_name(w)) else {
            continue;
        };
        let args = &words[1..];
        let value = |names: &[&str]| flag_value(args, names);
        let verb = args.first().copied();
        let dir = match tool {
            "vite" if verb == Some("build") => Some(value(&["--outDir"]).unwrap_or("dist".into())),
            "ng" if verb == Some("build") => {
                Some(value(&["--output-path"]).unwrap_or("dist".into()))
            }
            "nest" if verb == Some("build") => Some("dist".into()),
            "vue-cli-service" if verb == Some("build") => {
                Some(value(&["--dest"]).unwrap_or("dist".into()))
            }
            "parcel" if verb == Some("build") => {
                Some(value(&["--dist-dir"]).unwrap_or("dist".into()))
            }
            "react-scripts" if verb == Some("build") => Some("build".into()),
            "next" if verb == Some("build") => {
                return Some(Err(
                    "`next build` writes .next, which `next start` serves with next.config.* and public/ (use output: 'standalone')".into(),
                ));
            }
            "webpack" | "webpack-cli" => {
                Some(value(&["--output-path", "-o"]).unwrap_or("dist".into()))
            }
            "babel" => value(&["-d", "--out-dir"]),
            "rollup" => value(&["-d", "--dir"])
                .or_else(|| value(&["-o", "--file"]).and_then(|f| parent(&f))),
            "esbuild" => {
                value(&["--outdir"]).or_else(|| value(&["--outfile"]).and_then(|f| parent(&f)))
            }
            "tsc" => match tsc_output(args, context, folder) {
                Some(Err(reason)) => return Some(Err(reason)),
                Some(Ok(dir)) => dir,
                None => None,
            },
            "npm" | "yarn" | "pnpm" if depth < 3 => {
                let inner = script_run(&words)
                    .and_then(|name| scripts?.get(&name)?.as_str().map(str::to_owned));
                let Some(inner) = inner else { continue };
                match build_output(&inner, scripts, context, folder, depth + 1) {
                    Some(Ok(inner)) => {
                        dirs.extend(inner);
                        None
                    }
                    other => return other,
                }
            }
            _ => None,
        };
        dirs.extend(dir.map(|d| d.trim_start_matches("./").trim_end_matches('/').to_owned()));
    }
    (!dirs.is_empty()).then_some(Ok(dirs))
}

/// `tsc`'s output folder: `--outDir`, else tsconfig.json's `outDir`.
/// `Ok(None)` when it emits nothing (`--noEmit`), `None` when unknown.
fn tsc_output(
    args: &[&str],
    context: Option<&BuildContext>,
    folder: &str,
) -> Option<Result<Option<String>, String>> {
    if args.contains(&"--noEmit") {
        return Some(Ok(None));
    }
    if let Some(dir) = flag_value(args, &["--outDir"]) {
        return Some(Ok(Some(dir)));
    }
    let project =
        flag_value(args, &["-p", "--project", "-b", "--build"]).unwrap_or("tsconfig.json".into());
    let project = if project.ends_with(".json") {
        project
    } else {
        join(&project, "tsconfig.json")
    };
    let text = context?.read(&join(folder, &project))?;
    // tsconfig.json may have comments: whole-line ones are dropped.
    let text: String = text
        .lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n");
    let config: Value = serde_json::from_str(&text).ok()?;
    let options = config.get("compilerOptions");
    if options
        .and_then(|o| o.get("noEmit"))
        .and_then(Value::as_bool)
        == Some(true)
    {
        return Some(Ok(None));
    }
    if let Some(dir) = options
        .and_then(|o| o.get("outDir"))
        .and_then(Value::as_str)
    {
        let base = project.rsplit_once('/').map_or("", |(f, _)| f);
        return Some(Ok(Some(join(base, dir.trim_start_matches("./")))));
    }
    if config.get("extends").is_some() || config.get("references").is_some() {
        return None;
    }
    Some(Err(format!(
        "`tsc` writes its output next to the sources ({project} has no outDir)"
    )))
}

/// The value of the first of `names` in `args` (`--out X`, `--out=X`).
fn flag_value(args: &[&str], names: &[&str]) -> Option<String> {
    for (i, arg) in args.iter().enumerate() {
        for name in names {
            if arg == name {
                return args.get(i + 1).map(|v| (*v).to_owned());
            }
            if let Some(value) = arg.strip_prefix(name).and_then(|r| r.strip_prefix('=')) {
                return Some(value.to_owned());
            }
        }
    }
    None
}

/// The folder of a file path, when it has one.
fn parent(file: &str) -> Option<String> {
    file.trim_start_matches("./")
        .rsplit_once('/')
        .map(|(folder, _)| folder.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn build_outputs() {
        let out = |script: &str| build_output(script, None, None, "", 0);
        assert_eq!(out("vite build"), Some(Ok(vec!["dist".into()])));
        assert_eq!(
            out("tsc --noEmit && vite build --outDir out"),
            Some(Ok(vec!["out".into()]))
        );
        assert_eq!(out("react-scripts build"), Some(Ok(vec!["build".into()])));
        assert_eq!(out("babel src -d lib"), Some(Ok(vec!["lib".into()])));
        assert_eq!(
            out("esbuild src/index.ts --bundle --outfile=out/app.js"),
            Some(Ok(vec!["out".into()]))
        );
        assert_eq!(
            out("NODE_ENV=production webpack --mode production"),
            Some(Ok(vec!["dist".into()]))
        );
        assert!(matches!(out("next build"), Some(Err(_))));
        assert_eq!(out("node build.js"), None);
        assert_eq!(out("tsc"), None);
    }

    #[test]
    fn runtime_bases() {
        let none = crate::stage_use::StageUse::default();
        let base = |image: &str| runtime_base(image, &none, Manager::Npm);
        assert_eq!(base("node:20").unwrap(), "node:20-slim");
        assert_eq!(base("node:20-bookworm").unwrap(), "node:20-bookworm-slim");
        assert_eq!(base("node").unwrap(), "node:slim");
        assert_eq!(base("node:20-alpine").unwrap(), "node:20-alpine");
        assert_eq!(base("node:20-slim").unwrap(), "node:20-slim");
        assert!(base("debian:bookworm").is_err(), "no nodejs package");
        let mut nodejs = crate::stage_use::StageUse::default();
        nodejs.packages.insert("nodejs".into());
        let distro = |image: &str, manager| runtime_base(image, &nodejs, manager);
        assert_eq!(
            distro("debian:bookworm", Manager::Npm).unwrap(),
            "debian:bookworm-slim"
        );
        assert!(distro("debian:bookworm", Manager::Yarn).is_err());
    }

    #[test]
    fn npm_versions() {
        for old in [
            "node:14",
            "node:14.21-alpine",
            "node:12-buster",
            "node:fermium",
            "node:10",
            "ubuntu:focal",
            "debian:buster",
            "alpine:3.12",
        ] {
            assert!(npm_before_7(old), "{old}");
        }
        for new in [
            "node:16",
            "node:20-bookworm-slim",
            "node",
            "node:lts",
            "node:gallium",
            "node:current-alpine",
            "debian:bookworm",
            "ubuntu:22.04",
            "alpine:3.19",
            "node:20@sha256:abc",
        ] {
            assert!(!npm_before_7(new), "{new}");
        }
    }

    #[test]
    fn entries() {
        assert_eq!(
            node_entry(&["node", "dist/index.js"]).as_deref(),
            Some("dist/index.js")
        );
        assert_eq!(
            node_entry(&["node", "-r", "dotenv/config", "dist/a.js"]).as_deref(),
            Some("dist/a.js")
        );
        assert_eq!(
            node_entry(&["/usr/bin/nodejs", "--enable-source-maps", "x.js"]).as_deref(),
            Some("x.js")
        );
        assert_eq!(folder_of("/app", "/app/dist/server/index.js"), "/app/dist");
        assert_eq!(folder_of("/app", "/app/server.js"), "/app");
        assert_eq!(folder_of("/app", "/srv/out/a.js"), "/srv/out");
    }
}
