//! The `RUN` instructions of a document by stage, with what the rules that
//! read shell commands need around them: whether a POSIX shell runs them,
//! and which stages are built on which.

use parse_dockerfile::{Instruction, RunInstruction};

use crate::document::Document;
use crate::images;
use crate::packages::invocation;
use crate::shell::{Script, SimpleCommand};

/// One stage: its `RUN`s and the stage it is built `FROM`, if any.
pub struct Stage<'d, 'a> {
    /// The stage of this document it is built on (`FROM <name>`).
    pub parent: Option<usize>,
    pub instructions: &'d [Instruction<'a>],
    pub runs: Vec<Run<'d, 'a>>,
    /// The working directory from an instruction on (see
    /// [`Stage::workdir_at`]).
    workdirs: &'d [(usize, Option<String>)],
}

impl Stage<'_, '_> {
    /// The working directory instruction `position` runs in, as an
    /// absolute path in normal form, when it is known: the stage's last
    /// `WORKDIR` before it, resolved against the one before that, down to
    /// the start of the stage (the parent stage's, or the base image's
    /// when [`images::default_workdir`] knows it). `None` after a `WORKDIR`
    /// with a variable, on Windows, or on an image of unknown `WORKDIR`.
    pub fn workdir_at(&self, position: usize) -> Option<&str> {
        let i = self.workdirs.partition_point(|(from, _)| *from <= position);
        self.workdirs.get(i.checked_sub(1)?)?.1.as_deref()
    }
}

/// A `RUN` and where it stands.
pub struct Run<'d, 'a> {
    pub instruction: &'d RunInstruction<'a>,
    /// Its index in the stage's instructions.
    pub position: usize,
    /// Run by a POSIX shell (not PowerShell, `cmd` or a Windows image).
    pub posix: bool,
    /// An `ONBUILD RUN`: it runs in the builds that start `FROM` this
    /// image, after all of this stage.
    pub onbuild: bool,
}

/// Every stage of `doc` with its `RUN`s (those of `ONBUILD` too, where they
/// are written). Most rules ask; what it finds is kept in the document.
pub fn stages<'d, 'a>(doc: &'d Document<'a>) -> Vec<Stage<'d, 'a>> {
    let facts = doc.stage_facts.get_or_init(|| stage_facts(doc));
    doc.stages()
        .zip(facts)
        .map(|(stage, facts)| Stage {
            parent: facts.parent,
            instructions: stage.instructions,
            workdirs: &facts.workdirs,
            runs: facts
                .runs
                .iter()
                .filter_map(|r| {
                    Some(Run {
                        instruction: run_at(&stage.instructions[r.position])?,
                        position: r.position,
                        posix: r.posix,
                        onbuild: r.onbuild,
                    })
                })
                .collect(),
        })
        .collect()
}

/// [`Stage`] without references, as the document keeps it.
pub struct StageFacts {
    parent: Option<usize>,
    runs: Vec<RunFacts>,
    /// `(position, directory)`: the working directory from instruction
    /// `position` on; the first entry is the stage's start.
    workdirs: Vec<(usize, Option<String>)>,
    /// An `ONBUILD WORKDIR` moves the stages built on this one.
    onbuild_workdir: bool,
}

struct RunFacts {
    position: usize,
    posix: bool,
    onbuild: bool,
}

fn run_at<'d, 'a>(instruction: &'d Instruction<'a>) -> Option<&'d RunInstruction<'a>> {
    match instruction {
        Instruction::Run(run) => Some(run),
        Instruction::Onbuild(onbuild) => match &*onbuild.instruction {
            Instruction::Run(run) => Some(run),
            _ => None,
        },
        _ => None,
    }
}

fn stage_facts(doc: &Document<'_>) -> Vec<StageFacts> {
    let mut names: Vec<Option<String>> = Vec::new();
    let mut out: Vec<StageFacts> = Vec::new();
    let mut end_posix: Vec<bool> = Vec::new();
    for stage in doc.stages() {
        let image = stage.from.image.value.to_ascii_lowercase();
        let parent = names
            .iter()
            .rposition(|n| n.as_deref() == Some(image.as_str()));
        let mut posix = match parent {
            Some(i) => end_posix[i],
            None => !images::is_windows(&image),
        };
        let start = match parent {
            Some(i) => end_workdir(&out[i]),
            None => images::default_workdir(&image).map(str::to_owned),
        };
        let mut workdirs = vec![(0, start)];
        let mut runs = Vec::new();
        for (position, instruction) in stage.instructions.iter().enumerate() {
            if let Instruction::Workdir(workdir) = instruction {
                let current = workdirs.last().and_then(|(_, w)| w.as_deref());
                let next = resolve_workdir(current, &workdir.arguments.value, doc.escape);
                workdirs.push((position + 1, next));
            }
            if let Instruction::Shell(shell) = instruction {
                posix = shell
                    .arguments
                    .first()
                    .is_some_and(|a| is_posix_shell(&a.value));
            } else if run_at(instruction).is_some() {
                runs.push(RunFacts {
                    position,
                    posix,
                    onbuild: matches!(instruction, Instruction::Onbuild(_)),
                });
            }
        }
        end_posix.push(posix);
        names.push(
            stage
                .from
                .as_
                .as_ref()
                .map(|(_, n)| n.value.to_ascii_lowercase()),
        );
        let onbuild_workdir = stage.instructions.iter().any(|i| {
            matches!(i, Instruction::Onbuild(o) if matches!(*o.instruction, Instruction::Workdir(_)))
        });
        out.push(StageFacts {
            parent,
            runs,
            workdirs,
            onbuild_workdir,
        });
    }
    out
}

/// The working directory a stage built on `parent` starts in: where
/// `parent` ends, unless an `ONBUILD WORKDIR` of it moves the child.
fn end_workdir(parent: &StageFacts) -> Option<String> {
    if parent.onbuild_workdir {
        return None;
    }
    parent.workdirs.last().and_then(|(_, w)| w.clone())
}

/// The directory `WORKDIR <argument>` moves to from `current`: an absolute
/// path in normal form, or `None` when it depends on a variable or on an
/// unknown `current`.
pub fn resolve_workdir(current: Option<&str>, argument: &str, escape: char) -> Option<String> {
    if argument.contains('$') {
        return None;
    }
    let path = crate::lexer::expand(argument, escape, &|_| None)
        .ok()?
        .value;
    if path.starts_with('/') {
        return Some(normal_path("/", &path));
    }
    Some(normal_path(current?, &path))
}

/// A path BuildKit reads as it is written in a `WORKDIR`: no blank, quote,
/// variable, comment sign or escape character.
pub fn is_plain_path(path: &str, escape: char) -> bool {
    !path
        .contains(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '$' | '#') || c == escape)
}

/// `base` joined with `path` and cleaned as Go's `path.Join` does
/// (`.` and `..` resolved, no trailing or doubled `/`); `base` is
/// absolute.
pub fn normal_path(base: &str, path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    let whole = if path.starts_with('/') {
        path.to_owned()
    } else {
        format!("{base}/{path}")
    };
    for part in whole.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            part => parts.push(part),
        }
    }
    format!("/{}", parts.join("/"))
}

/// The RUNs a POSIX shell runs and the shell module understands, with
/// their scripts, in document order.
pub fn posix_runs<'d, 'a>(doc: &'d Document<'a>) -> Vec<(&'d RunInstruction<'a>, &'d Script)> {
    let mut out = Vec::new();
    for stage in stages(doc) {
        for run in stage.runs.iter().filter(|r| r.posix) {
            if let Ok(script) = doc.script(run.instruction) {
                out.push((run.instruction, script));
            }
        }
    }
    out
}

/// Every simple command of [`posix_runs`], in document order.
pub fn posix_commands<'d>(doc: &'d Document<'_>) -> Vec<&'d SimpleCommand> {
    posix_runs(doc)
        .into_iter()
        .flat_map(|(_, s)| &s.commands)
        .collect()
}

/// Whether stage `stage` is `ancestor` or built on it, directly or not.
pub fn descends_from(stages: &[Stage<'_, '_>], mut stage: usize, ancestor: usize) -> bool {
    loop {
        if stage == ancestor {
            return true;
        }
        match stages[stage].parent {
            Some(parent) => stage = parent,
            None => return false,
        }
    }
}

pub fn is_posix_shell(program: &str) -> bool {
    let name = program.rsplit(['/', '\\']).next().unwrap_or(program);
    matches!(
        name,
        "sh" | "bash" | "ash" | "dash" | "zsh" | "ksh" | "mksh" | "busybox"
    )
}

/// The family of the system a stage builds on, which decides its `/bin/sh`
/// and its tools (dash and GNU tools on Debian, BusyBox on Alpine, bash on
/// Red Hat and SUSE).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Userland {
    Debian,
    Alpine,
    RedHat,
    Suse,
    Unknown,
}

/// Official images whose default variant is Debian or Ubuntu based.
const DEBIAN_BASED: &[&str] = &[
    "debian",
    "ubuntu",
    "buildpack-deps",
    "python",
    "node",
    "golang",
    "ruby",
    "rust",
    "perl",
    "php",
    "openjdk",
    "eclipse-temurin",
    "gcc",
    "maven",
    "gradle",
    "haskell",
    "elixir",
    "erlang",
    "julia",
    "r-base",
    "nginx",
    "httpd",
    "postgres",
    "redis",
    "mongo",
    "wordpress",
    "tomcat",
];
const RED_HAT_BASED: &[&str] = &[
    "centos",
    "fedora",
    "rockylinux",
    "almalinux",
    "oraclelinux",
    "amazonlinux",
    "mysql",
];

/// The userland of every stage: from its base image when it is a known
/// one, else from the package manager its `RUN`s use; a stage built on
/// another stage has that stage's.
pub fn userlands(doc: &Document<'_>, stages: &[Stage<'_, '_>]) -> Vec<Userland> {
    let mut out: Vec<Userland> = Vec::with_capacity(stages.len());
    for (stage, from) in stages.iter().zip(doc.stages()) {
        let userland = match stage.parent {
            Some(parent) => out[parent],
            None => match image_userland(&from.from.image.value) {
                Userland::Unknown => evidence(doc, stage),
                known => known,
            },
        };
        out.push(userland);
    }
    out
}

fn image_userland(reference: &str) -> Userland {
    let Some(name) = images::repository(reference) else {
        return Userland::Unknown;
    };
    let lower = reference.to_ascii_lowercase();
    let tag = lower.rsplit_once(':').map_or("", |(_, t)| t);
    if name.contains("alpine") || tag.contains("alpine") {
        return Userland::Alpine;
    }
    if tag.contains("windows") || tag.contains("nanoserver") || tag.contains("ubi") {
        return if tag.contains("ubi") {
            Userland::RedHat
        } else {
            Userland::Unknown
        };
    }
    let last = name.rsplit('/').next().unwrap_or(&name);
    if name.starts_with("opensuse/") || last.contains("sles") {
        Userland::Suse
    } else if RED_HAT_BASED.contains(&name.as_str()) || last.starts_with("ubi") {
        Userland::RedHat
    } else if DEBIAN_BASED.contains(&name.as_str()) {
        Userland::Debian
    } else {
        Userland::Unknown
    }
}

/// The package manager the stage's `RUN`s use tells the system.
fn evidence(doc: &Document<'_>, stage: &Stage<'_, '_>) -> Userland {
    for run in &stage.runs {
        let Ok(script) = doc.script(run.instruction) else {
            continue;
        };
        for command in &script.commands {
            let Some(program) = command.program() else {
                continue;
            };
            let userland = match program {
                "apt-get" | "apt" | "dpkg" => Userland::Debian,
                "apk" => Userland::Alpine,
                "yum" | "dnf" | "microdnf" | "rpm" => Userland::RedHat,
                "zypper" => Userland::Suse,
                _ => continue,
            };
            if invocation(command, &[program]).is_some() || program == "dpkg" || program == "rpm" {
                return userland;
            }
        }
    }
    Userland::Unknown
}

/// Whether an `ENV` or `ARG` instruction sets `name` (to any value).
pub fn sets_variable(instruction: &Instruction<'_>, name: &str) -> bool {
    let text = match instruction {
        Instruction::Env(env) => &env.arguments.value,
        Instruction::Arg(arg) => &arg.arguments.value,
        _ => return false,
    };
    let env_legacy = matches!(instruction, Instruction::Env(_));
    text.split_whitespace().enumerate().any(|(i, word)| {
        let word = word.trim_start_matches(['"', '\'']);
        match word.strip_prefix(name) {
            Some(rest) => rest.starts_with('=') || (env_legacy && i == 0 && rest.is_empty()),
            None => false,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stages_inherit_shell_and_parent() {
        let doc = Document::parse(
            "FROM debian AS base\nRUN a\nSHELL [\"pwsh\", \"-c\"]\nRUN b\nFROM base\nRUN c\nONBUILD RUN e\nFROM mcr.microsoft.com/windows/servercore\nRUN d\n",
        )
        .unwrap();
        let stages = stages(&doc);
        let posix: Vec<Vec<bool>> = stages
            .iter()
            .map(|s| s.runs.iter().map(|r| r.posix).collect())
            .collect();
        assert_eq!(posix, [vec![true, false], vec![false, false], vec![false]]);
        assert!(stages[1].runs[1].onbuild);
        assert_eq!(stages[1].parent, Some(0));
        assert!(descends_from(&stages, 1, 0));
        assert!(!descends_from(&stages, 2, 0));
        assert_eq!(stages[0].runs[1].position, 2);
    }

    #[test]
    fn userlands_from_images_and_package_managers() {
        let doc = Document::parse(
            "FROM python:3.12-alpine AS a\nFROM python:3.12-slim\nFROM a\nFROM docker.io/library/centos:7\nFROM registry.access.redhat.com/ubi9/ubi-minimal\nFROM opensuse/leap\nFROM example.com/base\nRUN apt-get update\nFROM example.com/other\n",
        )
        .unwrap();
        let stages = stages(&doc);
        use Userland::*;
        assert_eq!(
            userlands(&doc, &stages),
            [
                Alpine, Debian, Alpine, RedHat, RedHat, Suse, Debian, Unknown
            ]
        );
    }

    #[test]
    fn working_directories() {
        let doc = Document::parse(
            "FROM alpine AS a\nRUN x\nWORKDIR app/\nWORKDIR ../src/./lib\nFROM a\nWORKDIR \"my dir\"\nFROM example.com/base\nWORKDIR x\nWORKDIR /abs//y/\nWORKDIR $V\nWORKDIR z\nFROM a AS b\nONBUILD WORKDIR /q\nFROM b\n",
        )
        .unwrap();
        let stages = stages(&doc);
        let at = |s: usize, p: usize| stages[s].workdir_at(p).map(str::to_owned);
        assert_eq!(at(0, 0).as_deref(), Some("/"));
        assert_eq!(at(0, 1).as_deref(), Some("/"));
        assert_eq!(at(0, 2).as_deref(), Some("/app"));
        assert_eq!(at(0, 3).as_deref(), Some("/src/lib"));
        assert_eq!(at(1, 0).as_deref(), Some("/src/lib"));
        assert_eq!(at(1, 1).as_deref(), Some("/src/lib/my dir"));
        assert_eq!(at(2, 0), None);
        assert_eq!(at(2, 1), None);
        assert_eq!(at(2, 2).as_deref(), Some("/abs/y"));
        assert_eq!(at(2, 3), None);
        assert_eq!(at(2, 4), None);
        assert_eq!(at(3, 1).as_deref(), Some("/src/lib"));
        assert_eq!(at(4, 0), None, "ONBUILD WORKDIR of the parent");
        assert_eq!(normal_path("/", ".."), "/");
    }

    #[test]
    fn variables_set_by_env_and_arg() {
        let doc = Document::parse(
            "FROM a\nENV PIP_NO_CACHE_DIR=1\nENV PIP_NO_CACHE_DIR off\nARG X=1 PIP_NO_CACHE_DIR\nENV PIP_NO_CACHE_DIRS=1\n",
        )
        .unwrap();
        let set: Vec<bool> = doc
            .stages()
            .next()
            .unwrap()
            .instructions
            .iter()
            .map(|i| sets_variable(i, "PIP_NO_CACHE_DIR"))
            .collect();
        assert_eq!(set, [true, true, false, false]);
    }
}
