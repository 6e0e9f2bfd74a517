//! ## What it does
//! Finds a copy of the whole source (`COPY . .`, `COPY src/ /app/`,
//! `ADD . /app`) followed by a dependency install (`npm ci`, `pip install
//! -r requirements.txt`, `go mod download`, `bundle install`, …), and moves
//! the install before it, after a `COPY` of only the manifest files the
//! install reads.
//!
//! ## Why is this bad?
//! A builder reuses a step's cached layer only while everything it depends
//! on is unchanged. After `COPY . .`, any source change, one line in one
//! file, invalidates every later step: each build reinstalls every
//! dependency. Copying the manifests first keys the install on them alone,
//! so it comes from the cache until a dependency changes (Docker's "Optimize
//! cache usage in builds").
//!
//! ## Example
//! ```dockerfile
//! FROM node:22
//! WORKDIR /app
//! COPY . .
//! RUN npm ci && npm run build
//! ```
//!
//! Use instead:
//! ```dockerfile
//! FROM node:22
//! WORKDIR /app
//! COPY package.json package-lock.json ./
//! RUN npm ci
//! COPY . .
//! RUN npm run build
//! ```
//!
//! The manifests are those of the ecosystem that exist in the build
//! context: npm (`package.json`, `package-lock.json`,
//! `npm-shrinkwrap.json`, `.npmrc`), yarn (also `yarn.lock`, `.yarnrc.yml`,
//! `.yarn/`), pnpm (`pnpm-lock.yaml`), pip (the requirement and constraint
//! files the command names, those they include, and its `--find-links`
//! folders), poetry and uv (`pyproject.toml` with `poetry.lock` or
//! `uv.lock`), pipenv (`Pipfile`, `Pipfile.lock`), Go (`go.mod`, `go.sum`),
//! Maven (`pom.xml`), Bundler (`Gemfile`, `Gemfile.lock`) and Composer
//! (`composer.json`, `composer.lock`). An install that needs the source
//! stays after the whole copy: where the dependencies can be fetched first by
//! another command, that command is added before (`go mod download` before
//! `go build`, `mvn dependency:go-offline` before `mvn package`, `poetry
//! install --no-root` before `poetry install`, `uv sync
//! --no-install-project`, `composer install --no-scripts --no-autoloader`).
//! Cargo and Gradle are reported: their dependency-only build is a recipe,
//! not one command. The flags of the whole copy (`--chown`, `--chmod`,
//! `--link`) are kept on the new `COPY`; `ENV`, `ARG`, `USER` and absolute
//! `WORKDIR` lines between the copy and the install are repeated before the
//! moved install.
//!
//! ## Fix safety
//! Unsafe: an install may read more than its manifests. The rule declines,
//! saying why, where the context shows it does: `file:`/`link:`
//! dependencies, workspaces or an install-time script (`postinstall`,
//! `prepare`) in `package.json`; `-e` or local paths in requirement files;
//! local `path` dependencies (Pipfile, pyproject.toml, Gemfile, composer
//! repositories), a `gemspec` line, Go `replace` with a local folder, Maven
//! modules. It needs the build context (the Dockerfile's folder, `[context]`
//! in the configuration, or `--context`): without one, or when a manifest is
//! not in it, the finding has no fix. A `RUN`, `COPY` or `SHELL` between the
//! whole copy and the install also leaves it unfixed.

use parse_dockerfile::{Instruction, RunInstruction, Source};

use super::{FixKind, Report, Rule};
use crate::context::{BuildContext, Kind};
use crate::document::{Document, keyword_like, keyword_span};
use crate::ecosystems::{self, Ecosystem, Step, classify, join, needs_no_source};
use crate::edits::{Applicability, Edit, Fix};
use crate::paths::{is_within, resolve};
use crate::shell::Script;
use crate::words::build_word;

pub static RULE: Rule = Rule {
    id: "layer-order",
    codes: &[],
    fix: FixKind::Always(Applicability::Unsafe),
    summary: "Install dependencies from their manifests before copying the whole source",
    source: include_str!("layer_order.rs"),
    check,
};

/// The working directory of a stage before its first `WORKDIR`: the base
/// image's, unknown, written so that paths resolve against it.
const BASE_WORKDIR: &str = "/@base";

fn check(doc: &Document<'_>, report: &mut Report) {
    for stage in doc.stages() {
        check_stage(doc, stage.instructions, report);
    }
}

/// A copy of the whole source: where from (in the context) and where to.
struct WholeCopy {
    /// The copied folder, relative to the context (`""` for `.`).
    source: String,
    /// The destination as written, and resolved.
    dest: String,
    dest_path: String,
    keyword: std::ops::Range<usize>,
    span: std::ops::Range<usize>,
    /// The flags kept on the manifests' copy, as written.
    flags: Vec<String>,
    /// The working directory at the copy.
    workdir: String,
}

/// The dependency step found after a whole copy.
struct Install<'b, 'a> {
    run: &'b RunInstruction<'a>,
    ecosystem: Ecosystem,
    step: Step,
    /// The working directory of the install.
    workdir: String,
    /// The script and the index of the install command.
    command: usize,
}

fn check_stage<'a>(doc: &Document<'a>, instructions: &[Instruction<'a>], report: &mut Report) {
    let mut workdir = BASE_WORKDIR.to_owned();
    let mut installed: Vec<Ecosystem> = Vec::new();
    for (i, instruction) in instructions.iter().enumerate() {
        match instruction {
            Instruction::Workdir(w) => {
                let Some(next) = resolve(&workdir, &w.arguments.value) else {
                    return;
                };
                workdir = next;
            }
            Instruction::Run(run) => installed.extend(installs_of(doc, run)),
            Instruction::Copy(_) | Instruction::Add(_) => {
                if let Some(copy) = whole_copy(doc, instruction, &workdir, report) {
                    check_after(doc, &copy, &instructions[i + 1..], &installed, report);
                    return;
                }
            }
            _ => {}
        }
    }
}

fn installs_of(doc: &Document<'_>, run: &RunInstruction<'_>) -> Vec<Ecosystem> {
    let Ok(script) = doc.script(run) else {
        return Vec::new();
    };
    script
        .commands
        .iter()
        .filter_map(classify)
        .map(|(ecosystem, _)| ecosystem)
        .collect()
}

/// `COPY`/`ADD` of one local folder (`.`, `src/`, a folder of the context).
fn whole_copy(
    doc: &Document<'_>,
    instruction: &Instruction<'_>,
    workdir: &str,
    report: &Report,
) -> Option<WholeCopy> {
    let (keyword, options, src, dest) = match instruction {
        Instruction::Copy(c) => (&c.copy.span, &c.options, &c.src, &c.dest),
        Instruction::Add(a) => (&a.add.span, &a.options, &a.src, &a.dest),
        _ => return None,
    };
    let [Source::Path(path)] = src.as_slice() else {
        return None;
    };
    let mut flags = Vec::new();
    for flag in options {
        match flag.name.value.as_ref() {
            "chown" | "chmod" | "link" => flags.push(doc.text[flag.span()].to_owned()),
            "exclude" => {}
            _ => return None,
        }
    }
    let source = build_word(&path.value, doc.escape)?.literal()?.to_owned();
    let folder = crate::context::normalize(&source)?;
    let is_folder = folder.is_empty()
        || source.ends_with('/')
        || report
            .context()
            .build
            .is_some_and(|b| b.kind(&folder) == Some(Kind::Dir));
    if !is_folder || source.contains(['*', '?', '[']) {
        return None;
    }
    let dest_text = build_word(&dest.value, doc.escape)?.literal()?.to_owned();
    let dest_path = resolve(workdir, &dest_text)?;
    Some(WholeCopy {
        source: folder,
        dest: dest_text,
        dest_path,
        keyword: keyword.clone(),
        span: keyword.start..dest.span.end,
        flags,
        workdir: workdir.to_owned(),
    })
}

/// Looks for the first dependency step after the whole copy and reports it.
fn check_after<'a>(
    doc: &Document<'a>,
    copy: &WholeCopy,
    rest: &[Instruction<'a>],
    installed: &[Ecosystem],
    report: &mut Report,
) {
    let mut workdir = copy.workdir.clone();
    let mut between: Vec<&Instruction<'a>> = Vec::new();
    let mut blocked: Option<&'static str> = None;
    for instruction in rest {
        match instruction {
            Instruction::Run(run) => {
                if let Some(install) = install_in(doc, run, &workdir, installed) {
                    report_install(doc, copy, &install, &between, blocked, report);
                    return;
                }
                blocked = blocked.or(Some("a RUN runs between the copy and the install"));
            }
            Instruction::Workdir(w) => {
                let Some(next) = resolve(&workdir, &w.arguments.value) else {
                    return;
                };
                if !w.arguments.value.starts_with('/') {
                    blocked = blocked.or(Some(
                        "a relative WORKDIR is between the copy and the install",
                    ));
                }
                workdir = next;
                between.push(instruction);
            }
            Instruction::Env(_) | Instruction::Arg(_) | Instruction::User(_) => {
                between.push(instruction);
            }
            Instruction::Copy(_) | Instruction::Add(_) => {
                blocked = blocked.or(Some("another COPY is between the copy and the install"));
            }
            Instruction::Shell(_) | Instruction::Onbuild(_) => {
                blocked = blocked.or(Some(
                    "a SHELL or ONBUILD is between the copy and the install",
                ));
            }
            _ => {}
        }
    }
}

/// The first dependency step of `run` whose ecosystem was not installed
/// before the whole copy.
fn install_in<'b, 'a>(
    doc: &Document<'a>,
    run: &'b RunInstruction<'a>,
    workdir: &str,
    installed: &[Ecosystem],
) -> Option<Install<'b, 'a>> {
    let script = doc.script(run).ok()?;
    script.commands.iter().enumerate().find_map(|(i, command)| {
        let (ecosystem, step) = classify(command)?;
        (!installed.contains(&ecosystem) && !command.nested).then(|| Install {
            run,
            ecosystem,
            step,
            workdir: workdir.to_owned(),
            command: i,
        })
    })
}

fn report_install(
    doc: &Document<'_>,
    copy: &WholeCopy,
    install: &Install<'_, '_>,
    between: &[&Instruction<'_>],
    blocked: Option<&'static str>,
    report: &mut Report,
) {
    let script = doc.script(install.run).expect("a script was read");
    let command_text: String = script.commands[install.command]
        .words
        .iter()
        .map(|w| w.raw())
        .collect::<Vec<_>>()
        .join(" ");
    let copied = doc.text[copy.keyword.start..doc.line_end_inclusive(copy.keyword.start)]
        .trim_end()
        .trim_end_matches(doc.escape)
        .trim_end();
    let message = format!(
        "`{command_text}` runs after `{copied}`: every source change reinstalls the {} dependencies",
        install.ecosystem.name()
    );
    let declined = |reason: &str| format!("{message} (not fixed: {reason})");
    if let Step::Recipe(recipe) = install.step {
        report.push(copy.span.clone(), format!("{message}; {recipe}"), None);
        return;
    }
    if let Some(reason) = blocked {
        report.push(copy.span.clone(), declined(reason), None);
        return;
    }
    let Some(build) = report.context().build else {
        report.push(copy.span.clone(), declined("no build context"), None);
        return;
    };
    let fixed = manifests(copy, install, build, script).and_then(|files| {
        let edits = fix(doc, copy, install, between, &files, script)?;
        let names: Vec<String> = files
            .names
            .iter()
            .cloned()
            .chain(files.folders.iter().map(|f| format!("{f}/")))
            .collect();
        Ok((names.join(", "), edits))
    });
    match fixed {
        Ok((names, edits)) => {
            report.push(
                copy.span.clone(),
                format!("{message}; copy {names} first and install from them"),
                Some(Fix::unsafe_(edits)),
            );
        }
        Err(reason) => report.push(copy.span.clone(), declined(&reason), None),
    }
}

/// The context paths the install reads: files (copied together) and
/// folders (each copied to its place).
struct Manifests {
    /// Paths relative to the install's folder.
    names: Vec<String>,
    folders: Vec<String>,
    /// The install's folder relative to the copied one.
    sub: String,
    /// The install's folder in the context.
    base: String,
}

fn manifests(
    copy: &WholeCopy,
    install: &Install<'_, '_>,
    build: &BuildContext,
    script: &Script,
) -> Result<Manifests, String> {
    if !is_within(&install.workdir, &copy.dest_path) {
        return Err("the install runs outside the copied folder".into());
    }
    let sub = install.workdir[copy.dest_path.len()..]
        .trim_start_matches('/')
        .to_owned();
    let base = join(&copy.source, &sub).trim_end_matches('/').to_owned();
    let ecosystem = install.ecosystem;
    let mut names = Vec::new();
    let mut folders = Vec::new();
    if ecosystem == Ecosystem::Pip {
        let command = &script.commands[install.command];
        let arguments =
            ecosystems::pip_arguments(command).ok_or("pip's arguments are not plain words")?;
        for requirement in &arguments.requirements {
            if let Some(reason) =
                ecosystems::pip_requirement_reason(build, &base, requirement, &mut names)
            {
                return Err(reason);
            }
        }
        for folder in &arguments.find_links {
            if folder.contains("://") {
                continue;
            }
            if build.kind(&join(&base, folder)) != Some(Kind::Dir) {
                return Err(format!(
                    "--find-links {folder} is not a folder of the build context"
                ));
            }
            folders.push(folder.trim_end_matches('/').to_owned());
        }
    } else {
        let required = ecosystem.manifests()[0];
        if !build.is_file(&join(&base, required)) {
            return Err(format!("no {} in the build context", join(&base, required)));
        }
        if let Some(reason) = ecosystems::why_not_enough(ecosystem, build, &base) {
            return Err(reason);
        }
        names.extend(
            ecosystem
                .manifests()
                .iter()
                .filter(|name| build.is_file(&join(&base, name)))
                .map(|name| (*name).to_owned()),
        );
        folders.extend(
            ecosystem
                .folders()
                .iter()
                .filter(|name| build.kind(&join(&base, name)) == Some(Kind::Dir))
                .map(|name| (*name).to_owned()),
        );
    }
    if names
        .iter()
        .chain(&folders)
        .any(|n| n.contains(char::is_whitespace) || n.contains('$'))
    {
        return Err("a manifest's name needs quoting".into());
    }
    Ok(Manifests {
        names,
        folders,
        sub,
        base,
    })
}

/// The edits: the manifests' copy, the repeated instructions and the
/// install before the whole copy; the install taken out of its `RUN` when
/// it moves.
fn fix(
    doc: &Document<'_>,
    copy: &WholeCopy,
    install: &Install<'_, '_>,
    between: &[&Instruction<'_>],
    files: &Manifests,
    script: &Script,
) -> Result<Vec<Edit>, String> {
    if between.iter().any(|i| matches!(i, Instruction::Workdir(_))) && !copy.dest.starts_with('/') {
        return Err(
            "a WORKDIR between the copy and the install would move a relative destination".into(),
        );
    }
    let keyword_start = copy.keyword.start;
    let Some((at, newline)) = doc.insertion_point(keyword_start) else {
        return Err("the line before the copy is continued".into());
    };
    let le = doc.line_ending;
    let indent = {
        let line = &doc.text[doc.line_start(keyword_start)..keyword_start];
        line[..line.len() - line.trim_start().len()].to_owned()
    };
    let copy_word = keyword_like(&doc.text[copy.keyword.clone()], "COPY");
    let flags: String = copy.flags.iter().map(|f| format!("{f} ")).collect();
    let dest_folder = destination(&copy.dest, &files.sub);
    let mut lines = Vec::new();
    if !files.names.is_empty() {
        let sources: Vec<String> = files.names.iter().map(|n| join(&files.base, n)).collect();
        lines.push(format!(
            "{indent}{copy_word} {flags}{} {dest_folder}",
            sources.join(" ")
        ));
    }
    for folder in &files.folders {
        lines.push(format!(
            "{indent}{copy_word} {flags}{}/ {}{folder}/",
            join(&files.base, folder),
            dest_folder
        ));
    }
    for instruction in between {
        let span = keyword_span(instruction);
        let end = instruction_end(doc, instruction);
        let text = doc.text[span.start..end].trim_end();
        if text.ends_with(doc.escape) {
            return Err("an instruction between the copy and the install spans lines".into());
        }
        lines.push(format!("{indent}{text}"));
    }
    let run_word = keyword_like(&doc.text[install.run.run.span.clone()], "RUN");
    let run_flags = run_flags(doc, install.run);
    let mut edits = Vec::new();
    match &install.step {
        Step::Primes(command) => lines.push(format!("{indent}{run_word} {run_flags}{command}")),
        Step::Installs => {
            let (moved, edit) = take_install(doc, install, script)?;
            lines.push(format!("{indent}{run_word} {run_flags}{moved}"));
            edits.push(edit);
        }
        Step::Recipe(_) => unreachable!("recipes are reported without a fix"),
    }
    let mut text = String::new();
    if newline {
        text.push_str(le);
    }
    for line in lines {
        text.push_str(&line);
        text.push_str(le);
    }
    edits.push(Edit::insert(at, text));
    Ok(edits)
}

/// Where the manifests go: the whole copy's destination as a folder, and
/// the install's folder under it.
fn destination(dest: &str, sub: &str) -> String {
    let folder = if dest == "." {
        "./".to_owned()
    } else if dest.ends_with('/') {
        dest.to_owned()
    } else {
        format!("{dest}/")
    };
    if sub.is_empty() {
        folder
    } else {
        format!("{folder}{sub}/")
    }
}

/// The `RUN`'s flags, as written, but bind mounts (they would bring the
/// source back in).
fn run_flags(doc: &Document<'_>, run: &RunInstruction<'_>) -> String {
    run.options
        .iter()
        .filter(|flag| {
            !(flag.name.value == "mount"
                && flag.value.as_ref().is_some_and(|v| {
                    !v.value.contains("type=cache")
                        && !v.value.contains("type=secret")
                        && !v.value.contains("type=tmpfs")
                }))
        })
        .map(|flag| format!("{} ", &doc.text[flag.span()]))
        .collect()
}

/// The text that moves and the edit that takes it out: the whole `RUN`
/// when all its commands need no source, else its leading commands that
/// need none (joined by `&&`), when the install is among them.
fn take_install(
    doc: &Document<'_>,
    install: &Install<'_, '_>,
    script: &Script,
) -> Result<(String, Edit), String> {
    if script.heredoc {
        return Err("the install is in a heredoc".into());
    }
    let movable = |i: usize| {
        let command = &script.commands[i];
        !command.nested
            && (i == install.command
                || matches!(classify(command), Some((_, Step::Installs)))
                || needs_no_source(command))
    };
    if (0..script.commands.len()).all(movable) {
        let start = doc.line_start(install.run.run.span.start);
        let end = doc.line_end_inclusive(script.span.end.saturating_sub(1).max(script.span.start));
        let text = &doc.text[script.span.clone()];
        if doc.text[start..install.run.run.span.start]
            .trim()
            .is_empty()
        {
            return Ok((text.to_owned(), Edit::delete(start..end)));
        }
        return Err("the RUN shares its line".into());
    }
    let [item] = script.items.as_slice() else {
        return Err("the RUN holds more than one list of commands".into());
    };
    let simple =
        |k: usize| item.pipelines[k].commands.as_slice() == [Some(k)] && !item.pipelines[k].bang;
    let count = (0..item.pipelines.len())
        .take_while(|&k| {
            simple(k)
                && movable(k)
                && (k + 1 == item.pipelines.len() || item.operators[k].text == "&&")
        })
        .count();
    if count <= install.command || count == item.pipelines.len() {
        return Err("the install runs after a command that needs the source".into());
    }
    let moved = &doc.text[item.pipelines[0].span.start..item.pipelines[count - 1].span.end];
    let removed = item.pipelines[0].span.start..item.pipelines[count].span.start;
    if crate::shell::style::holds_comment(&doc.text[removed.clone()]) {
        return Err("a comment is inside the commands to move".into());
    }
    Ok((moved.to_owned(), Edit::delete(removed)))
}

/// Where the line of an instruction's keyword ends (one-line instructions
/// only are repeated).
fn instruction_end(doc: &Document<'_>, instruction: &Instruction<'_>) -> usize {
    doc.line_end_inclusive(keyword_span(instruction).start)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn destinations() {
        assert_eq!(destination(".", ""), "./");
        assert_eq!(destination("/app", ""), "/app/");
        assert_eq!(destination("/app/", "web"), "/app/web/");
        assert_eq!(destination(".", "web"), "./web/");
    }
}
