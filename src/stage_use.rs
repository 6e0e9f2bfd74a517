//! What a stage uses: the programs its `RUN`s call, the packages they
//! install, and the build tools among them. `slim-base` and `multi-stage`
//! decide from it whether a smaller base or a runtime stage can work.

use std::collections::BTreeSet;

use parse_dockerfile::Instruction;

use crate::document::{Document, keyword_span};
use crate::packages::{install, package_name};
use crate::runs::{self, Stage};
use crate::shell::{SimpleCommand, program_name};
use crate::words::rough_words;

/// Packages that are compilers or build tools (Debian, Alpine and RHEL
/// names), besides every `-dev`/`-devel` package.
pub const BUILD_TOOLS: &[&str] = &[
    "build-essential",
    "build-base",
    "gcc",
    "g++",
    "clang",
    "make",
    "cmake",
    "autoconf",
    "automake",
    "libtool",
    "pkg-config",
    "pkgconf",
    "gfortran",
    "cargo",
    "rustc",
    "golang",
    "golang-go",
    "musl-dev",
    "python3-dev",
    "gcc-c++",
];

/// Programs that compile or link.
pub const COMPILERS: &[&str] = &["gcc", "g++", "cc", "c++", "clang", "make", "cmake", "ld"];

/// Whether package `name` is a build tool or headers.
pub fn is_build_package(name: &str) -> bool {
    BUILD_TOOLS.contains(&name) || name.ends_with("-dev") || name.ends_with("-devel")
}

/// What one stage (and the stages built on it) does.
#[derive(Debug, Default)]
pub struct StageUse {
    /// Programs its `RUN`s call, by name.
    pub programs: BTreeSet<String>,
    /// Packages its installs name (apt-get, apk, dnf, …), known names only.
    pub packages: BTreeSet<String>,
    /// Words of its `CMD`, `ENTRYPOINT` and `HEALTHCHECK`.
    pub runtime_words: BTreeSet<String>,
    /// Some `RUN` could not be read (a shell dockerfix does not parse).
    pub unreadable: bool,
}

impl StageUse {
    /// The build tools and `-dev` packages it installs.
    pub fn build_packages(&self) -> Vec<&str> {
        self.packages
            .iter()
            .map(String::as_str)
            .filter(|p| is_build_package(p))
            .collect()
    }

    /// Which of `tools` it calls (in `RUN`s, or at run time) without
    /// installing a package of that name itself.
    pub fn uses_missing<'t>(&self, tools: &[&'t str]) -> Vec<&'t str> {
        tools
            .iter()
            .copied()
            .filter(|t| {
                (self.programs.contains(*t) || self.runtime_words.contains(*t))
                    && !self.packages.contains(*t)
            })
            .collect()
    }
}

/// The commands of the `RUN`s of `stage`.
pub fn commands<'d>(
    doc: &'d Document<'_>,
    stage: &Stage<'d, '_>,
) -> Option<Vec<&'d SimpleCommand>> {
    let mut out = Vec::new();
    for run in &stage.runs {
        if !run.posix {
            return None;
        }
        let script = doc.script(run.instruction).ok()?;
        out.extend(script.commands.iter());
    }
    Some(out)
}

/// What stage `index` and every stage built on it use.
pub fn of(doc: &Document<'_>, stages: &[Stage<'_, '_>], index: usize) -> StageUse {
    let mut out = StageUse::default();
    for (i, stage) in stages.iter().enumerate() {
        if !runs::descends_from(stages, i, index) {
            continue;
        }
        add_stage(doc, stage, &mut out);
    }
    out
}

fn add_stage(doc: &Document<'_>, stage: &Stage<'_, '_>, out: &mut StageUse) {
    match commands(doc, stage) {
        Some(commands) => {
            for command in commands {
                add_command(command, out);
            }
        }
        None => out.unreadable = true,
    }
    let starts = doc.instruction_starts();
    for instruction in stage.instructions {
        if !matches!(
            instruction,
            Instruction::Cmd(_) | Instruction::Entrypoint(_) | Instruction::Healthcheck(_)
        ) {
            continue;
        }
        let start = keyword_span(instruction).start;
        let end = starts
            .iter()
            .copied()
            .find(|s| *s > start)
            .unwrap_or(doc.text.len());
        for word in rough_words(&doc.text[start..end]) {
            let word = word.trim_matches(|c: char| matches!(c, '"' | '\'' | '[' | ']' | ','));
            out.runtime_words.insert(program_name(word).to_owned());
        }
    }
}

fn add_command(command: &SimpleCommand, out: &mut StageUse) {
    if let Some(program) = command.program() {
        out.programs.insert(program_name(program).to_owned());
    }
    let Some((_, indices)) = install(command) else {
        return;
    };
    for i in indices {
        let Some(word) = command.words.get(i).and_then(|w| w.literal()) else {
            continue;
        };
        if let Some(name) = package_name(&word) {
            out.packages.insert(name.to_owned());
        }
    }
}
