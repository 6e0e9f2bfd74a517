//! The Rust recipe: the binary `cargo build` writes (`target/release/NAME`,
//! or where `--target`, `--target-dir`, `CARGO_TARGET_DIR` put it), or
//! `cargo install --path` installs, on the slim release of the builder's
//! distribution, with the file's packages less the build tools.

use parse_dockerfile::{Command, Instruction, Source};

use super::{Input, Recipe, absolute, run_position, slim_distro};
use crate::document::Document;
use crate::runs::Stage;
use crate::shell::SimpleCommand;
use crate::words::rough_words;

/// Packages only a Rust build needs, besides the build tools.
/// (`musl-dev`: the C library's headers, whose library every base has.)
const RUST_BUILD_ONLY: &[&str] = &["git", "rustup", "musl-dev", "libc6-dev"];

/// The words of `command` after `cargo` (and a `+toolchain`), literal or
/// `None`.
fn cargo_args(command: &SimpleCommand) -> Option<Vec<Option<String>>> {
    if command.program() != Some("cargo") {
        return None;
    }
    let mut args: Vec<Option<String>> = command
        .args()
        .iter()
        .map(|w| w.literal().map(|l| l.into_owned()))
        .collect();
    if args
        .first()
        .and_then(|a| a.as_deref())
        .is_some_and(|a| a.starts_with('+'))
    {
        args.remove(0);
    }
    Some(args)
}

/// The values of option `name` (`--name V`, `--name=V`; `None` for a value
/// with a variable).
pub(super) fn values(args: &[Option<String>], name: &str) -> Vec<Option<String>> {
    let mut out = Vec::new();
    for (i, arg) in args.iter().enumerate() {
        match arg.as_deref() {
            Some(a) if a == name => out.push(args.get(i + 1).cloned().flatten()),
            Some(a) => {
                if let Some(value) = a.strip_prefix(name).and_then(|r| r.strip_prefix('=')) {
                    out.push(Some(value.to_owned()));
                }
            }
            None => {}
        }
    }
    out
}

fn has(args: &[Option<String>], flags: &[&str]) -> bool {
    args.iter()
        .any(|a| a.as_deref().is_some_and(|a| flags.contains(&a)))
}

/// One value of option `name`: `Ok(None)` when absent, `Err` when it has a
/// variable or is given twice.
fn single(args: &[Option<String>], name: &str) -> Result<Option<String>, String> {
    match values(args, name).as_slice() {
        [] => Ok(None),
        [Some(value)] => Ok(Some(value.clone())),
        [None] => Err(format!("the value of `{name}` cannot be known")),
        _ => Err(format!("`{name}` is given more than once")),
    }
}

/// The value `NAME=…` of the command's assignments or of the stage's `ENV`.
fn variable(
    doc: &Document<'_>,
    stage: &Stage<'_, '_>,
    command: &SimpleCommand,
    name: &str,
) -> Option<String> {
    let prefix = format!("{name}=");
    if let Some(value) = command.assignments.iter().find_map(|a| {
        let literal = a.literal()?;
        literal.strip_prefix(&prefix).map(str::to_owned)
    }) {
        return Some(value);
    }
    let mut found = None;
    for instruction in stage.instructions {
        let Instruction::Env(env) = instruction else {
            continue;
        };
        for (key, value) in crate::args::key_values(&env.arguments.value, doc.escape) {
            if key == name {
                found = Some(value.trim_matches(|c| c == '"' || c == '\'').to_owned());
            }
        }
    }
    found
}

/// A `RUN` changes its folder with `cd` before `command`: the working
/// directory the command runs in is not the `WORKDIR`.
pub(super) fn cd_before(input: &Input<'_, '_, '_>, command: &SimpleCommand) -> bool {
    let position = run_position(input.stage, command.span.start);
    input.commands.iter().any(|c| {
        c.program() == Some("cd")
            && c.span.start < command.span.start
            && run_position(input.stage, c.span.start) == position
    })
}

/// The folder of the build context a `COPY` put at container folder `dir`
/// (`COPY . .` into the `WORKDIR`, `COPY Cargo.toml ./`), when one did.
pub(super) fn context_folder(input: &Input<'_, '_, '_>, dir: &str, file: &str) -> Option<String> {
    let doc = input.doc;
    let mut found = None;
    for (position, instruction) in input.stage.instructions.iter().enumerate() {
        let Instruction::Copy(copy) = instruction else {
            continue;
        };
        if copy.options.iter().any(|o| o.name.value == "from") {
            continue;
        }
        let dest = crate::words::build_word(&copy.dest.value, doc.escape)?
            .literal()?
            .to_owned();
        let Some(dest) = absolute(input.stage, position, &dest) else {
            continue;
        };
        for source in &copy.src {
            let Source::Path(path) = source else { continue };
            let Some(source) = crate::words::build_word(&path.value, doc.escape)
                .and_then(|w| w.literal().map(str::to_owned))
            else {
                continue;
            };
            let Some(folder) = crate::context::normalize(&source) else {
                continue;
            };
            let file_copied = folder.rsplit('/').next() == Some(file);
            let is_folder = folder.is_empty()
                || input
                    .context
                    .is_some_and(|c| c.kind(&folder) == Some(crate::context::Kind::Dir));
            if file_copied && dest == dir {
                found = Some(
                    folder
                        .rsplit_once('/')
                        .map_or(String::new(), |(f, _)| f.to_owned()),
                );
            } else if is_folder && !source.contains(['*', '?', '[']) {
                // A folder copied whole: `dir` is inside it.
                let rest = if dest == dir {
                    Some("")
                } else {
                    dir.strip_prefix(&format!("{}/", dest.trim_end_matches('/')))
                };
                if let Some(rest) = rest {
                    let joined = [folder.as_str(), rest]
                        .iter()
                        .filter(|p| !p.is_empty())
                        .copied()
                        .collect::<Vec<_>>()
                        .join("/");
                    found = Some(joined);
                }
            }
        }
    }
    found
}

/// The binaries of the package whose manifest is `Cargo.toml` in context
/// folder `folder`, or why they cannot be known.
fn manifest_binary(input: &Input<'_, '_, '_>, folder: &str) -> Result<String, String> {
    let context = input
        .context
        .ok_or("the binary's name cannot be known (no --bin, no build context)")?;
    let path = if folder.is_empty() {
        "Cargo.toml".to_owned()
    } else {
        format!("{folder}/Cargo.toml")
    };
    let text = context.read(&path).ok_or_else(|| {
        format!("the binary's name cannot be known (no --bin, and no {path} in the context)")
    })?;
    let manifest: toml::Table =
        toml::from_str(&text).map_err(|_| format!("{path} cannot be read"))?;
    if manifest.contains_key("workspace") {
        return Err(format!(
            "{path} is a workspace: which binary to ship cannot be known (use --bin)"
        ));
    }
    if let Some(bins) = manifest.get("bin").and_then(|b| b.as_array()) {
        let names: Vec<&str> = bins
            .iter()
            .filter_map(|b| b.get("name")?.as_str())
            .collect();
        return match names.as_slice() {
            [name] if bins.len() == 1 => Ok((*name).to_owned()),
            _ => Err(format!(
                "{path} has several binaries: which to ship cannot be known (use --bin)"
            )),
        };
    }
    manifest
        .get("package")
        .and_then(|p| p.get("name"))
        .and_then(|n| n.as_str())
        .map(str::to_owned)
        .ok_or_else(|| format!("{path} names no package"))
}

/// The words of the stage's `CMD` and `ENTRYPOINT`.
fn runtime_words(stage: &Stage<'_, '_>) -> Vec<String> {
    let mut out = Vec::new();
    for instruction in stage.instructions {
        let arguments = match instruction {
            Instruction::Cmd(c) => &c.arguments,
            Instruction::Entrypoint(e) => &e.arguments,
            _ => continue,
        };
        match arguments {
            Command::Exec(list) => out.extend(list.value.iter().map(|s| s.value.to_string())),
            Command::Shell(text) => {
                out.extend(rough_words(text.value).iter().map(|w| w.to_string()))
            }
            _ => {}
        }
    }
    out
}

/// The runtime base of `image`: the Debian release a `rust` tag names
/// (`1.75-bookworm`, `1.75-slim-bookworm` → `debian:bookworm-slim`), the
/// Alpine of `…-alpine3.19`, or the slim distro of a distribution's image.
fn runtime_base(image: &str) -> Result<String, String> {
    if crate::images::repository(image).as_deref() != Some("rust") {
        return slim_distro(image);
    }
    let tag = image
        .rfind(':')
        .filter(|i| !image[*i..].contains('/'))
        .map(|i| &image[i + 1..]);
    tag.and_then(|t| super::slim_base::golang_distro(t.split('@').next().unwrap_or(t)))
        .ok_or_else(|| format!("{image} does not name the Debian release it is built on"))
}

pub(super) fn recipe(input: &Input<'_, '_, '_>) -> Option<Result<Recipe, String>> {
    let (build, args) = input.commands.iter().rev().find_map(|c| {
        let args = cargo_args(c)?;
        let sub = args.first()?.as_deref()?;
        let known =
            matches!(sub, "build" | "b") || sub == "install" && !values(&args, "--path").is_empty();
        known.then_some((*c, args))
    })?;
    Some(split(input, build, &args))
}

fn split(
    input: &Input<'_, '_, '_>,
    build: &SimpleCommand,
    args: &[Option<String>],
) -> Result<Recipe, String> {
    let Input {
        doc,
        stage,
        image,
        uses,
        ..
    } = *input;
    let install = args.first().and_then(|a| a.as_deref()) == Some("install");
    let shown = build.one_line();
    if args.iter().any(Option::is_none) {
        return Err(format!(
            "`{shown}` has a variable: what it builds cannot be known"
        ));
    }
    if cd_before(input, build) {
        return Err(format!(
            "a `cd` before `{shown}`: the folder it builds in cannot be known"
        ));
    }
    for flag in [
        "--manifest-path",
        "--bins",
        "--all",
        "--workspace",
        "--examples",
        "--example",
    ] {
        if has(args, &[flag]) || !values(args, flag).is_empty() {
            return Err(format!(
                "`{shown}` has {flag}: the binary's path cannot be known"
            ));
        }
    }
    let position = run_position(stage, build.span.start).ok_or("the RUN cannot be found")?;
    let cwd = stage
        .workdir_at(position)
        .ok_or_else(|| format!("the folder `{shown}` runs in cannot be known (no WORKDIR)"))?
        .to_owned();
    let mut names: Vec<String> = values(args, "--bin").into_iter().flatten().collect();
    let (dir, copied_to) = if install {
        let root = match single(args, "--root")?
            .or_else(|| variable(doc, stage, build, "CARGO_INSTALL_ROOT"))
        {
            Some(root) => {
                Some(absolute(stage, position, &root).ok_or("the --root folder cannot be known")?)
            }
            None if crate::images::repository(image).as_deref() == Some("rust") => None,
            None => {
                return Err("`cargo install` without --root installs under the user's home: where the binary is cannot be known".into());
            }
        };
        if names.is_empty() {
            let path = single(args, "--path")?.unwrap_or_default();
            let dir =
                absolute(stage, position, &path).ok_or("the --path folder cannot be known")?;
            let folder = context_folder(input, &dir, "Cargo.toml").ok_or(
                "the binary's name cannot be known (no --bin, and no COPY of its Cargo.toml)",
            )?;
            names.push(manifest_binary(input, &folder)?);
        }
        match root {
            Some(root) => (format!("{}/bin", root.trim_end_matches('/')), None),
            // The official image installs in /usr/local/cargo/bin, on its
            // PATH: the runtime stage gets the binary on the system's.
            None => ("/usr/local/cargo/bin".to_owned(), Some("/usr/local/bin")),
        }
    } else {
        let target_dir = match single(args, "--target-dir")?
            .or_else(|| variable(doc, stage, build, "CARGO_TARGET_DIR"))
        {
            Some(dir) => {
                absolute(stage, position, &dir).ok_or("the target folder cannot be known")?
            }
            None => crate::runs::normal_path(&cwd, "target"),
        };
        let profile = match single(args, "--profile")? {
            Some(p) if p == "dev" || p == "test" => "debug".to_owned(),
            Some(p) if p == "bench" => "release".to_owned(),
            Some(p) => p,
            None if has(args, &["--release", "-r"]) => "release".to_owned(),
            None => "debug".to_owned(),
        };
        let dir = match single(args, "--target")? {
            Some(triple) => format!("{target_dir}/{triple}/{profile}"),
            None => format!("{target_dir}/{profile}"),
        };
        if names.is_empty() {
            let from_cmd = runtime_words(stage).iter().find_map(|w| {
                let path = absolute(stage, stage.instructions.len(), w)?;
                let (parent, name) = path.rsplit_once('/')?;
                (parent == dir && !name.is_empty()).then(|| name.to_owned())
            });
            let name = match from_cmd {
                Some(name) => name,
                None if !values(args, "--package").is_empty() || !values(args, "-p").is_empty() => {
                    return Err(format!(
                        "`{shown}` builds one package of several: which binary to ship cannot be known (use --bin)"
                    ));
                }
                None => {
                    let folder = context_folder(input, &cwd, "Cargo.toml")
                        .ok_or("the binary's name cannot be known (no --bin, no CMD path into the target folder, no COPY of Cargo.toml)")?;
                    manifest_binary(input, &folder)?
                }
            };
            names.push(name);
        }
        (dir, None)
    };
    let base = runtime_base(image)?;
    // The official image ships libssl-dev (openssl-sys links with it).
    let (packages, mut unproven) =
        super::runtime_packages(image, &base, uses, RUST_BUILD_ONLY, &["libssl-dev"])?;
    let paths: Vec<String> = names
        .iter()
        .map(|n| moved(input, build, &format!("{dir}/{n}")))
        .collect::<Result<_, _>>()?;
    let (extra, beside) =
        super::sources::beside_binaries(input, super::sources::rust_build_input, &paths)?;
    unproven.insert(0, beside);
    let (copies, copies_to) = match copied_to {
        Some(to) => (
            extra,
            names
                .iter()
                .map(|n| (format!("{dir}/{n}"), format!("{to}/{n}")))
                .collect(),
        ),
        None => (paths.into_iter().chain(extra).collect(), Vec::new()),
    };
    Ok(Recipe {
        ecosystem: "Rust",
        base,
        packages: packages.into_iter().collect(),
        steps: Vec::new(),
        copies,
        copies_to,
        unproven,
    })
}

/// Where a later `cp`, `mv` or `install` of the binary at `path` puts it
/// (`cp target/release/app /usr/local/bin/`), or `path`.
fn moved(input: &Input<'_, '_, '_>, build: &SimpleCommand, path: &str) -> Result<String, String> {
    let mut path = path.to_owned();
    for command in input
        .commands
        .iter()
        .filter(|c| c.span.start > build.span.start)
    {
        if !matches!(command.program(), Some("cp" | "mv" | "install")) {
            continue;
        }
        let Some(position) = run_position(input.stage, command.span.start) else {
            continue;
        };
        let words: Option<Vec<String>> = command
            .args()
            .iter()
            .map(|w| w.literal().map(|l| l.into_owned()))
            .collect();
        let Some(words) = words else { continue };
        let operands: Vec<&String> = words.iter().filter(|w| !w.starts_with('-')).collect();
        let Some((dest, sources)) = operands.split_last() else {
            continue;
        };
        let copies_it = sources
            .iter()
            .any(|s| absolute(input.stage, position, s).as_deref() == Some(path.as_str()));
        if !copies_it {
            continue;
        }
        let plain = |w: &String| {
            ["-v", "-f", "-p", "-s", "--strip"].contains(&w.as_str()) || !w.starts_with('-')
        };
        if !words.iter().all(plain) || cd_before(input, command) {
            return Err(format!(
                "`{}` moves the binary where it cannot be known",
                command.one_line()
            ));
        }
        let folder_written = dest.ends_with('/') || [".", ".."].contains(&dest.as_str());
        let dest = absolute(input.stage, position, dest).ok_or_else(|| {
            format!(
                "`{}` moves the binary where it cannot be known",
                command.one_line()
            )
        })?;
        let name = path.rsplit('/').next().unwrap_or_default().to_owned();
        let into_folder =
            folder_written || sources.len() > 1 || super::SYSTEM_PATH.contains(&dest.as_str());
        path = if into_folder {
            format!("{}/{name}", dest.trim_end_matches('/'))
        } else {
            dest
        };
    }
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runtime_bases() {
        assert_eq!(
            runtime_base("rust:1.75-bookworm").unwrap(),
            "debian:bookworm-slim"
        );
        assert_eq!(
            runtime_base("rust:1.75-slim-bookworm").unwrap(),
            "debian:bookworm-slim"
        );
        assert_eq!(runtime_base("rust:1.75-alpine3.19").unwrap(), "alpine:3.19");
        assert_eq!(
            runtime_base("debian:bookworm").unwrap(),
            "debian:bookworm-slim"
        );
        assert!(runtime_base("rust:1.75").is_err());
        assert!(runtime_base("rust").is_err());
    }
}
