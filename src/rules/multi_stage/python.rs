//! The Python recipe: the venv (or `/usr/local`, where pip installs outside
//! a venv on the official image and on Debian's and Ubuntu's Python) and
//! the `WORKDIR`, on the slim variant of the base, with the run-time
//! libraries of the `-dev` packages.

use std::collections::BTreeSet;

use super::{Input, Recipe, absolute, run_position, slim_distro};
use crate::shell::SimpleCommand;
use crate::stage_use::{self, is_build_package};

/// `-dev` package → run-time packages, per release
/// (scripts/gen-dev-runtime.py): the names differ between releases
/// (`libssl1.1`, `libssl3`, `libssl3t64`).
const DEV_RUNTIME: &[(&str, &str)] = &[
    ("bullseye", include_str!("dev-runtime/bullseye.txt")),
    ("bookworm", include_str!("dev-runtime/bookworm.txt")),
    ("trixie", include_str!("dev-runtime/trixie.txt")),
    ("focal", include_str!("dev-runtime/focal.txt")),
    ("jammy", include_str!("dev-runtime/jammy.txt")),
    ("noble", include_str!("dev-runtime/noble.txt")),
];

/// Packages only a Python build needs.
const PYTHON_BUILD_ONLY: &[&str] = &[
    "python3-pip",
    "python3-venv",
    "python3-setuptools",
    "python3-wheel",
    "python3-virtualenv",
    "virtualenv",
    "git",
];

/// The runtime packages of `-dev` package `dev` on `release`.
pub(super) fn runtime_of(release: &str, dev: &str) -> Option<Vec<&'static str>> {
    let (_, table) = DEV_RUNTIME.iter().find(|(r, _)| *r == release)?;
    table
        .lines()
        .filter(|l| !l.starts_with('#'))
        .find_map(|line| {
            let mut words = line.split_whitespace();
            (words.next() == Some(dev)).then(|| words.collect())
        })
}

pub(super) fn recipe(input: &Input<'_, '_, '_>) -> Option<Result<Recipe, String>> {
    let Input {
        stage,
        commands,
        image,
        uses,
        ..
    } = *input;
    commands
        .iter()
        .find(|c| crate::packages::pip_install(c).is_some())?;
    let build_packages = uses.build_packages();
    let compiles = stage_use::COMPILERS
        .iter()
        .any(|c| uses.programs.contains(*c));
    if build_packages.is_empty() && !compiles {
        return None;
    }
    let official = crate::images::repository(image).as_deref() == Some("python");
    let venv = match commands.iter().find_map(|c| venv_of(c).map(|v| (*c, v))) {
        Some((venv_command, venv)) => {
            let position = run_position(stage, venv_command.span.start)?;
            let Some(venv) = absolute(stage, position, &venv) else {
                return Some(Err("the venv's path cannot be known".into()));
            };
            venv
        }
        // The official image's Python lives in /usr/local, and so do Debian's
        // and Ubuntu's pip installs as root outside a venv (their
        // `posix_local` scheme).
        None if official || debian_like(image) => {
            if let Some(option) = commands.iter().find_map(|c| elsewhere(c)) {
                return Some(Err(format!(
                    "`pip install {option}` installs outside /usr/local: what to copy cannot be known"
                )));
            }
            "/usr/local".to_owned()
        }
        None => {
            return Some(Err(slim_distro(image).err().unwrap_or_else(|| {
                "pip installs outside a venv on a Python other than Debian's or Ubuntu's: what to copy cannot be known"
                    .into()
            })));
        }
    };
    let base = match slim_distro(image) {
        Ok(base) => base,
        Err(reason) => return Some(Err(reason)),
    };
    let alpine = super::on_alpine(&base);
    let mut packages: BTreeSet<String> = BTreeSet::new();
    let mut unproven = Vec::new();
    for package in &uses.packages {
        if PYTHON_BUILD_ONLY.contains(&package.as_str()) {
            // pip, venv and setuptools need the interpreter: the runtime
            // keeps it.
            if package.starts_with("python3-") && !official {
                packages.insert("python3".to_owned());
            }
            continue;
        }
        if !is_build_package(package) {
            packages.insert(package.clone());
            continue;
        }
        if package.ends_with("-dev") && alpine {
            unproven.push(format!(
                "the run-time library of {package} (Alpine: no table)"
            ));
        } else if package.ends_with("-dev") {
            let Some(release) = super::release_of(image) else {
                return Some(Err(format!(
                    "the run-time library of {package} cannot be named for {image}: dockerfix knows the names of Debian 11 to 13 and Ubuntu 20.04 to 24.04, when the tag names the release (such as -bookworm)"
                )));
            };
            match runtime_of(release, package) {
                Some(runtime) => packages.extend(runtime.into_iter().map(str::to_owned)),
                None => unproven.push(format!("the run-time library of {package}")),
            }
        }
    }
    let mut copies = vec![venv.clone()];
    let workdir = stage
        .workdir_at(stage.instructions.len())
        .map(str::to_owned);
    if let Some(dir) =
        workdir.filter(|d| d != "/" && *d != venv && !venv.starts_with(&format!("{d}/")))
    {
        copies.push(dir);
    }
    unproven.push(format!(
        "files the program reads outside {}",
        copies.join(" and ")
    ));
    Some(Ok(Recipe {
        ecosystem: "Python",
        base,
        packages: packages.into_iter().collect(),
        steps: Vec::new(),
        copies,
        copies_to: Vec::new(),
        unproven,
    }))
}

/// A base on Debian's or Ubuntu's own Python.
fn debian_like(image: &str) -> bool {
    matches!(
        crate::images::repository(image).as_deref(),
        Some("debian" | "ubuntu")
    )
}

/// The option of a `pip install` that installs somewhere else than the
/// interpreter's prefix: `--user`, `--target`, `--prefix`, `--root`.
fn elsewhere(command: &SimpleCommand) -> Option<String> {
    crate::packages::pip_install(command)?;
    command
        .args()
        .iter()
        .filter_map(|w| w.literal())
        .find_map(|word| {
            let name = word.split('=').next().unwrap_or(&word).to_owned();
            let short = ["-t"].contains(&name.as_str());
            (short || ["--user", "--target", "--prefix", "--root"].contains(&name.as_str()))
                .then_some(name)
        })
}

/// `python3 -m venv DIR`, `python -m venv DIR`, `virtualenv DIR`: DIR.
fn venv_of(command: &SimpleCommand) -> Option<String> {
    let program = command.program()?;
    let words: Vec<String> = command
        .args()
        .iter()
        .map(|w| w.literal().map(|l| l.into_owned()))
        .collect::<Option<_>>()?;
    let operands: Vec<&String> = if program.starts_with("python") {
        let m = words.iter().position(|w| w == "-m")?;
        if words.get(m + 1).map(String::as_str) != Some("venv") {
            return None;
        }
        words[m + 2..]
            .iter()
            .filter(|w| !w.starts_with('-'))
            .collect()
    } else if program == "virtualenv" {
        words.iter().filter(|w| !w.starts_with('-')).collect()
    } else {
        return None;
    };
    operands.last().map(|s| (*s).clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runtime_libraries_of_dev_packages() {
        assert_eq!(runtime_of("bookworm", "libpq-dev"), Some(vec!["libpq5"]));
        assert_eq!(runtime_of("bookworm", "python3-dev"), Some(vec!["python3"]));
        assert_eq!(runtime_of("bookworm", "no-such-dev"), None);
        assert_eq!(
            runtime_of("bullseye", "libssl-dev"),
            Some(vec!["libssl1.1"])
        );
        assert_eq!(runtime_of("noble", "libssl-dev"), Some(vec!["libssl3t64"]));
        assert_eq!(runtime_of("hamm", "libssl-dev"), None);
    }
}
