//! Which files to process: the paths given, with folders searched for
//! Dockerfiles (respecting `.gitignore`), sorted so output is deterministic.

use std::path::{Path, PathBuf};

/// A path to process, or the standard input.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Input {
    Stdin,
    File(PathBuf),
}

/// A path that could not be searched.
#[derive(Debug)]
pub struct DiscoveryError {
    pub path: PathBuf,
    pub message: String,
}

/// Is this file name one of a Dockerfile?
/// `Dockerfile`, `Dockerfile.*`, `*.Dockerfile`, `*.dockerfile`,
/// `Containerfile`, `Containerfile.*` — but not `Dockerfile.dockerignore`.
pub fn is_dockerfile_name(name: &str) -> bool {
    if name.ends_with(".dockerignore") {
        return false;
    }
    for stem in ["Dockerfile", "Containerfile"] {
        if name == stem {
            return true;
        }
        if let Some(rest) = name.strip_prefix(stem)
            && rest.starts_with('.')
            && rest.len() > 1
        {
            return true;
        }
    }
    name.ends_with(".Dockerfile") || name.ends_with(".dockerfile")
}

/// Expands `paths` (none = the current folder) into the inputs to process.
/// A file named explicitly is taken whatever its name; folders are walked
/// for Dockerfile names.
pub fn discover(paths: &[PathBuf]) -> (Vec<Input>, Vec<DiscoveryError>) {
    discover_with(paths, &|path: &Path, explicit: bool| {
        explicit
            || path
                .file_name()
                .and_then(|n| n.to_str())
                .is_some_and(is_dockerfile_name)
    })
}

/// Like [`discover`], with `wanted(path, named_explicitly)` deciding which
/// files are taken (configuration's include/exclude patterns).
pub fn discover_with(
    paths: &[PathBuf],
    wanted: &(dyn Fn(&Path, bool) -> bool + Sync),
) -> (Vec<Input>, Vec<DiscoveryError>) {
    let default = [PathBuf::from(".")];
    let paths = if paths.is_empty() {
        &default[..]
    } else {
        paths
    };
    let mut inputs = Vec::new();
    let mut errors = Vec::new();
    for path in paths {
        if path.as_os_str() == "-" {
            inputs.push(Input::Stdin);
            continue;
        }
        match std::fs::metadata(path) {
            Ok(meta) if meta.is_dir() => walk(path, wanted, &mut inputs, &mut errors),
            Ok(_) => {
                if wanted(path, true) {
                    inputs.push(Input::File(path.clone()));
                }
            }
            Err(e) => errors.push(DiscoveryError {
                path: path.clone(),
                message: e.to_string(),
            }),
        }
    }
    // Path order compares component by component; computing each key once
    // keeps that cheap for large trees.
    inputs.sort_by_cached_key(|input| match input {
        Input::Stdin => Vec::new(),
        Input::File(path) => path
            .components()
            .map(|c| c.as_os_str().to_owned())
            .collect(),
    });
    inputs.dedup();
    (inputs, errors)
}

fn walk(
    root: &Path,
    wanted: &(dyn Fn(&Path, bool) -> bool + Sync),
    inputs: &mut Vec<Input>,
    errors: &mut Vec<DiscoveryError>,
) {
    let walker = ignore::WalkBuilder::new(root)
        .hidden(false)
        .require_git(false)
        .follow_links(false)
        .filter_entry(|entry| entry.file_name() != ".git")
        .build();
    for entry in walker {
        match entry {
            Ok(entry) => {
                let is_file = entry
                    .file_type()
                    .is_some_and(|t| t.is_file() || t.is_symlink());
                if is_file && wanted(entry.path(), false) {
                    inputs.push(Input::File(clean(entry.path())));
                }
            }
            Err(err) => errors.push(DiscoveryError {
                path: error_path(&err).unwrap_or_else(|| root.to_path_buf()),
                message: err.to_string(),
            }),
        }
    }
}

/// `./a/Dockerfile` → `a/Dockerfile`, for stable, readable output.
fn clean(path: &Path) -> PathBuf {
    path.strip_prefix(".")
        .map_or_else(|_| path.to_path_buf(), Path::to_path_buf)
}

fn error_path(err: &ignore::Error) -> Option<PathBuf> {
    match err {
        ignore::Error::WithPath { path, .. } => Some(path.clone()),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            error_path(err)
        }
        ignore::Error::Loop { child, .. } => Some(child.clone()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dockerfile_names() {
        for name in [
            "Dockerfile",
            "Dockerfile.dev",
            "api.Dockerfile",
            "api.dockerfile",
            "Containerfile",
            "Containerfile.arm64",
        ] {
            assert!(is_dockerfile_name(name), "{name}");
        }
        for name in [
            "dockerfile",
            "Dockerfile.",
            "Dockerfile.dockerignore",
            "README.md",
            "Dockerfilex",
        ] {
            assert!(!is_dockerfile_name(name), "{name}");
        }
    }
}
