//! What a compiled program may read besides its binary: the files the
//! Dockerfile copies from the build context that the compiler does not
//! read (templates, static files, configuration). Go's and Rust's runtime
//! stages copy them from the builder, each entry where the file put it, so
//! a program that opens `templates/index.html` still finds it. Needs the
//! build context: without one nothing can be told, and the finding says
//! so.

use globset::Glob;
use parse_dockerfile::{Instruction, Source};

use super::{Input, absolute, join, under};
use crate::context::{BuildContext, Kind, normalize};
use crate::dockerignore::Ignore;

/// Folders that hold no run-time files of a compiled program: version
/// control and CI, editors, vendored or built code, tests and docs.
const NOT_RUN_TIME: &[&str] = &[
    ".git",
    ".github",
    ".gitlab",
    ".circleci",
    ".vscode",
    ".idea",
    ".cargo",
    "vendor",
    "target",
    "testdata",
    "tests",
    "test",
    "benches",
    "examples",
    "docs",
    "doc",
];

/// Files of a repository that no program reads at run time.
fn repository_file(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    let stem = lower.split('.').next().unwrap_or(&lower);
    lower.ends_with(".md")
        || lower.ends_with(".dockerfile")
        || lower.starts_with("dockerfile")
        || lower.starts_with("docker-compose")
        || lower.starts_with("compose.")
        || [
            "license",
            "licence",
            "copying",
            "readme",
            "changelog",
            "contributing",
            "authors",
            "notice",
            "makefile",
            "justfile",
            "taskfile",
        ]
        .contains(&stem)
        || [
            ".dockerignore",
            ".gitignore",
            ".gitattributes",
            ".gitmodules",
            ".editorconfig",
            ".golangci.yml",
            ".golangci.yaml",
            ".goreleaser.yml",
            ".goreleaser.yaml",
            ".travis.yml",
            "codecov.yml",
            ".pre-commit-config.yaml",
        ]
        .contains(&lower.as_str())
}

/// How many context entries one file's look may read: a folder larger
/// than that is taken as holding run-time files.
const BUDGET: usize = 4000;

/// A file or folder of the context the program may read at run time:
/// a file neither `build_input` (the compiler's) nor a repository's, or a
/// folder holding one. `budget` runs down per entry read.
fn holds_run_time_file(
    context: &BuildContext,
    ignore: &Ignore,
    path: &str,
    kind: Kind,
    build_input: fn(&str) -> bool,
    budget: &mut usize,
) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    if ignore.excludes(path) {
        return false;
    }
    match kind {
        Kind::File => !build_input(name) && !repository_file(name),
        Kind::Dir => {
            if NOT_RUN_TIME.contains(&name) {
                return false;
            }
            for (entry, kind) in context.list(path).iter() {
                if *budget == 0 {
                    return true;
                }
                *budget -= 1;
                let inner = join(path, entry);
                if holds_run_time_file(context, ignore, &inner, *kind, build_input, budget) {
                    return true;
                }
            }
            false
        }
    }
}

/// The context entries a source of `COPY` names, with their kinds: the
/// entry itself, or the matches of a wildcard in its last part.
fn entries(context: &BuildContext, source: &str) -> Option<Vec<(String, Kind)>> {
    let (folder, last) = match source.trim_end_matches('/').rsplit_once('/') {
        Some((folder, last)) => (folder, last),
        None => ("", source.trim_end_matches('/')),
    };
    if folder.contains(['*', '?', '[']) {
        return None;
    }
    if !last.contains(['*', '?', '[']) {
        let path = normalize(source)?;
        let kind = if path.is_empty() {
            Kind::Dir
        } else {
            context.kind(&path)?
        };
        return Some(vec![(path, kind)]);
    }
    let glob = Glob::new(last).ok()?.compile_matcher();
    let folder = normalize(folder)?;
    Some(
        context
            .list(&folder)
            .iter()
            .filter(|(name, _)| glob.is_match(name))
            .map(|(name, kind)| (join(&folder, name), *kind))
            .collect(),
    )
}

/// The absolute paths in the image, under the destinations of the stage's
/// own `COPY`/`ADD` of context files, where files the program may read at
/// run time were put, and one such file for the message. Paths under
/// `skip` (the binary's folder, the build output) are left out.
pub(super) fn run_time_copies(
    input: &Input<'_, '_, '_>,
    build_input: fn(&str) -> bool,
    skip: &[&str],
) -> Result<(Vec<String>, Option<String>), String> {
    let Some(context) = input.context else {
        return Ok((Vec::new(), None));
    };
    let ignore = context
        .read(".dockerignore")
        .map(|text| Ignore::parse(&text))
        .unwrap_or_default();
    let stage = input.stage;
    let mut copies: Vec<String> = Vec::new();
    let mut example = None;
    let mut budget = BUDGET;
    for (position, instruction) in stage.instructions.iter().enumerate() {
        let (options, sources, dest) = match instruction {
            Instruction::Copy(copy) => (&copy.options, &copy.src, &copy.dest),
            Instruction::Add(add) => (&add.options, &add.src, &add.dest),
            _ => continue,
        };
        // From another image or stage, or laid out another way (`--parents`,
        // `--exclude`): what lands where is not the context's tree.
        if options
            .iter()
            .any(|f| ["from", "parents", "exclude"].contains(&f.name.value.as_ref()))
        {
            continue;
        }
        let add = matches!(instruction, Instruction::Add(_));
        let paths: Vec<&str> = sources
            .iter()
            .filter_map(|s| match s {
                Source::Path(p) => Some(p.value.as_ref()),
                _ => None,
            })
            .collect();
        // A destination is a folder when it says so or takes several
        // sources or a folder's content; else the file's new name.
        let into_folder = dest_is_folder(&dest.value, paths.len());
        let Some(dest) = absolute(stage, position, &dest.value) else {
            continue;
        };
        for source in paths {
            if source.contains('$') || source.contains("://") {
                continue;
            }
            // ADD unpacks a local archive into the destination: its files
            // cannot be listed, the destination is copied whole.
            if add && archive(source) {
                if dest == "/" {
                    return Err(format!(
                        "ADD unpacks {source}, which the program may read, into /"
                    ));
                }
                if !skip.iter().any(|s| under(&dest, s)) {
                    example.get_or_insert_with(|| source.to_owned());
                    keep(&mut copies, dest.clone());
                }
                continue;
            }
            let Some(found) = entries(context, source) else {
                continue;
            };
            for (path, kind) in found {
                let targets: Vec<(String, String, Kind)> = match kind {
                    // A folder's content goes into the destination.
                    Kind::Dir => context
                        .list(&path)
                        .iter()
                        .map(|(name, kind)| (join(&path, name), join(&dest, name), *kind))
                        .collect(),
                    Kind::File if into_folder => {
                        let name = path.rsplit('/').next().unwrap_or(&path);
                        vec![(path.clone(), join(&dest, name), Kind::File)]
                    }
                    Kind::File => vec![(path.clone(), dest.clone(), Kind::File)],
                };
                for (from, to, kind) in targets {
                    if skip.iter().any(|s| under(&to, s)) {
                        continue;
                    }
                    if !holds_run_time_file(context, &ignore, &from, kind, build_input, &mut budget)
                    {
                        continue;
                    }
                    if to == "/" {
                        return Err(format!(
                            "the file copies {from}, which the program may read, to /"
                        ));
                    }
                    example.get_or_insert(from);
                    keep(&mut copies, to);
                }
            }
        }
    }
    Ok((copies, example))
}

/// Adds `path` to `copies` unless a copied folder holds it; the copies it
/// holds go.
fn keep(copies: &mut Vec<String>, path: String) {
    if !copies.iter().any(|c| under(&path, c)) {
        copies.retain(|c| !under(c, &path));
        copies.push(path);
    }
}

/// For a compiled program's recipe: the context files to copy besides the
/// `binaries` ([`run_time_copies`]) and what is left unproven.
pub(super) fn beside_binaries(
    input: &Input<'_, '_, '_>,
    build_input: fn(&str) -> bool,
    binaries: &[String],
) -> Result<(Vec<String>, String), String> {
    let skip: Vec<&str> = binaries.iter().map(String::as_str).collect();
    let (copies, example) = run_time_copies(input, build_input, &skip)?;
    let shown = binaries.join(", ");
    let unproven = match example {
        Some(example) => format!(
            "files the program reads besides {shown} and the context files the compiler does not read ({example} and the like, copied to {})",
            copies.join(", ")
        ),
        None if input.context.is_some() => format!(
            "files the program reads besides {shown} (only the binary is copied: the file copies nothing else from the context that the compiler does not read)"
        ),
        None => format!("files the program reads besides {shown} (only the binary is copied)"),
    };
    Ok((copies, unproven))
}

/// Go's build inputs: sources, assembly and cgo files, the module files.
pub(super) fn go_build_input(name: &str) -> bool {
    const EXTENSIONS: &[&str] = &[".go", ".s", ".c", ".h", ".cc", ".cpp", ".proto", ".syso"];
    EXTENSIONS.iter().any(|e| name.ends_with(e))
        || ["go.mod", "go.sum", "go.work", "go.work.sum"].contains(&name)
}

/// Rust's build inputs: sources, the manifests, the toolchain and lint
/// settings, C sources of build scripts.
pub(super) fn rust_build_input(name: &str) -> bool {
    const EXTENSIONS: &[&str] = &[".rs", ".c", ".h", ".cc", ".cpp", ".proto"];
    EXTENSIONS.iter().any(|e| name.ends_with(e))
        || [
            "Cargo.toml",
            "Cargo.lock",
            "rust-toolchain",
            "rust-toolchain.toml",
            "rustfmt.toml",
            ".rustfmt.toml",
            "clippy.toml",
            "deny.toml",
        ]
        .contains(&name)
}

/// A name ADD unpacks (a tar archive, compressed or not).
fn archive(name: &str) -> bool {
    const EXTENSIONS: &[&str] = &[
        ".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tar.xz", ".txz", ".tar.zst", ".tzst",
    ];
    let lower = name.to_ascii_lowercase();
    EXTENSIONS.iter().any(|e| lower.ends_with(e))
}

fn dest_is_folder(dest: &str, sources: usize) -> bool {
    sources > 1 || dest.ends_with('/') || dest == "." || dest.ends_with("/.")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joined_paths() {
        assert_eq!(join("", "static"), "static");
        assert_eq!(join("web", "static"), "web/static");
        assert_eq!(join("/", "static"), "/static");
        assert_eq!(join("/app", "static"), "/app/static");
    }

    #[test]
    fn repository_files() {
        for name in [
            "README.md",
            "LICENSE",
            "Dockerfile",
            "app.Dockerfile",
            "Makefile",
            ".gitignore",
            "docker-compose.yml",
        ] {
            assert!(repository_file(name), "{name}");
        }
        for name in ["config.yaml", "index.html", "app.toml", "schema.sql"] {
            assert!(!repository_file(name), "{name}");
        }
    }
}
