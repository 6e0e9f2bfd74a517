//! What package managers' command lines say: subcommands, flags, package
//! arguments, as the rules that fix them need it.

use crate::shell::{Script, SimpleCommand, Word};

/// The flags among `args` (literal words before a `--`): short ones one
/// letter each (`-qy` is `q` and `y`), long ones without `--` and value.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Flags {
    pub short: Vec<char>,
    pub long: Vec<String>,
    /// Words as written, unquoted (`-q=2`, `--option=x`).
    pub words: Vec<String>,
}

impl Flags {
    pub fn of(args: &[Word]) -> Self {
        let mut flags = Flags::default();
        for word in args {
            let Some(value) = word.literal() else {
                continue;
            };
            if value == "--" {
                break;
            }
            if let Some(long) = value.strip_prefix("--") {
                flags
                    .long
                    .push(long.split('=').next().unwrap_or(long).to_owned());
            } else if let Some(short) = value.strip_prefix('-') {
                flags
                    .short
                    .extend(short.split('=').next().unwrap_or(short).chars());
            } else {
                continue;
            }
            flags.words.push(value.into_owned());
        }
        flags
    }

    pub fn short(&self, c: char) -> usize {
        self.short.iter().filter(|&&s| s == c).count()
    }

    pub fn long(&self, name: &str) -> usize {
        self.long.iter().filter(|l| *l == name).count()
    }

    pub fn any_long(&self, names: &[&str]) -> bool {
        names.iter().any(|n| self.long(n) > 0)
    }
}

/// A package manager command and its subcommand.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invocation {
    /// The program (`apt-get`, `apk`, `pip3` …), without its directory.
    pub program: String,
    /// Index in the command's words of the subcommand (`install`).
    pub subcommand: usize,
    pub verb: String,
}

/// The options of `program` that take the next word as their value (when
/// not written `--opt=value`).
fn options_with_value(program: &str) -> &'static [&'static str] {
    match program {
        "apt-get" | "apt" | "aptitude" | "apt-cache" => &[
            "-o",
            "-c",
            "-t",
            "-a",
            "--option",
            "--config-file",
            "--target-release",
            "--default-release",
            "--host-architecture",
        ],
        "apk" => &[
            "-X",
            "-p",
            "-t",
            "--repository",
            "--root",
            "--arch",
            "--cache-dir",
            "--keys-dir",
            "--repositories-file",
            "--virtual",
        ],
        "dnf" | "yum" | "microdnf" | "tdnf" => &[
            "-c",
            "-d",
            "-e",
            "-x",
            "-R",
            "--setopt",
            "--enablerepo",
            "--disablerepo",
            "--releasever",
            "--installroot",
            "--exclude",
            "--config",
        ],
        "zypper" => &[
            "-R",
            "-r",
            "--root",
            "--repo",
            "--reposd-dir",
            "--cache-dir",
        ],
        "npm" | "yarn" => &["--prefix", "--cwd", "-C", "--registry", "--cache"],
        _ if program.starts_with("pip") || program.starts_with("python") => &[
            "-r",
            "--requirement",
            "-i",
            "--index-url",
            "--extra-index-url",
            "-f",
            "--find-links",
            "--target",
            "-t",
            "--prefix",
            "--cache-dir",
            "-c",
            "--constraint",
            "--trusted-host",
            "--platform",
            "--python-version",
            "--only-binary",
            "--no-binary",
            "-e",
            "--editable",
            "--root",
            "--log",
            "--proxy",
            "--timeout",
            "--retries",
            "--src",
            "--upgrade-strategy",
            "--progress-bar",
            "--implementation",
            "--abi",
        ],
        _ => &[],
    }
}

/// The subcommand of `command` when its program is one of `programs`:
/// the first word after the name that is not an option (or an option's
/// value). `None` when a word before it has an expansion.
pub fn invocation(command: &SimpleCommand, programs: &[&str]) -> Option<Invocation> {
    let program = command.program()?;
    if !programs.contains(&program) {
        return None;
    }
    subcommand_after(command, 1, program).map(|(subcommand, verb)| Invocation {
        program: program.to_owned(),
        subcommand,
        verb,
    })
}

/// The first non-option word from `start` on, with its literal value.
fn subcommand_after(
    command: &SimpleCommand,
    start: usize,
    program: &str,
) -> Option<(usize, String)> {
    let with_value = options_with_value(program);
    let mut i = start;
    while let Some(word) = command.words.get(i) {
        let value = word.literal()?;
        // After `--` every word is an operand: an option added after the
        // subcommand would be one too (found by fuzzing: `dnf -- install
        // x` got `-y` after `install` in every pass). Not read.
        if value == "--" {
            return None;
        }
        if !value.starts_with('-') || value == "-" {
            return Some((i, value.into_owned()));
        }
        i += if with_value.contains(&value.as_ref()) {
            2
        } else {
            1
        };
    }
    None
}

/// The indices of the operands after the subcommand of `invocation` (the
/// words that are not options or option values; after `--`, every word).
/// `None` when a word has an expansion: what it stands for is unknown.
pub fn operands(command: &SimpleCommand, invocation: &Invocation) -> Option<Vec<usize>> {
    let with_value = options_with_value(&invocation.program);
    let mut out = Vec::new();
    let mut options_end = false;
    let mut i = invocation.subcommand + 1;
    while let Some(word) = command.words.get(i) {
        let value = word.literal()?;
        i += 1;
        if options_end || !value.starts_with('-') || value == "-" {
            out.push(i - 1);
        } else if value == "--" {
            options_end = true;
        } else if with_value.contains(&value.as_ref()) {
            command.words.get(i)?.literal()?;
            i += 1;
        }
    }
    Some(out)
}

/// Package managers and the subcommands that install the packages they are
/// given.
pub const INSTALLS: &[(&str, &[&str])] = &[
    ("apt-get", &["install"]),
    ("apt", &["install"]),
    ("aptitude", &["install"]),
    ("apk", &["add"]),
    ("dnf", &["install"]),
    ("yum", &["install"]),
    ("microdnf", &["install"]),
    ("tdnf", &["install"]),
    ("zypper", &["install", "in"]),
];

/// An install of one of [`INSTALLS`] and the indices of its package words
/// (`None` when a word has an expansion: the packages are not known).
pub fn install(command: &SimpleCommand) -> Option<(Invocation, Vec<usize>)> {
    let program = command.program()?;
    let (_, verbs) = INSTALLS.iter().find(|(p, _)| *p == program)?;
    let install = invocation(command, &[program])?;
    if !verbs.contains(&install.verb.as_str()) {
        return None;
    }
    let packages = operands(command, &install)?;
    Some((install, packages))
}

/// The name of a package as an install names it: without a version
/// (`curl=7.88*`, `curl>=7`), an architecture (`curl:amd64`) or a release
/// (`curl/bookworm`). `None` for local files and URLs.
pub fn package_name(word: &str) -> Option<&str> {
    if word.starts_with(['.', '/']) || word.contains("://") {
        return None;
    }
    let end = word
        .find(['=', ':', '/', '<', '>', '~'])
        .unwrap_or(word.len());
    let name = &word[..end];
    (!name.is_empty() && !name.ends_with(".deb") && !name.ends_with(".rpm")).then_some(name)
}

/// `pip install`, `pip3.12 install`, `python3 -m pip install`: the index
/// of the `install` word. Not `pipx` or `pipenv`.
pub fn pip_install(command: &SimpleCommand) -> Option<usize> {
    let program = command.program()?;
    let args_from = if is_pip(program) {
        1
    } else if program.starts_with("python") {
        let m = command.words.iter().position(|w| w.is("-m"))?;
        if !command.words.get(m + 1)?.is("pip") && !command.words.get(m + 1)?.is("pip3") {
            return None;
        }
        m + 2
    } else {
        return None;
    };
    let (i, verb) = subcommand_after(command, args_from, program)?;
    (verb == "install").then_some(i)
}

fn is_pip(program: &str) -> bool {
    let Some(rest) = program.strip_prefix("pip") else {
        return false;
    };
    rest.bytes().all(|b| b.is_ascii_digit() || b == b'.')
}

/// What a `RUN` does with apt's lists, in the order of its commands.
pub enum AptUse {
    /// It needs the lists before (or without) updating them.
    Needs,
    /// It runs `apt-get update` before anything that needs the lists.
    Updates,
    None,
}

/// The first command of apt that needs the lists, or an update before it.
pub fn apt_use(script: &Script) -> AptUse {
    for command in &script.commands {
        let Some(program) = command.program() else {
            continue;
        };
        if program == "apt-cache" {
            return AptUse::Needs;
        }
        let Some(apt) = invocation(command, &["apt-get", "apt", "aptitude"]) else {
            continue;
        };
        match apt.verb.as_str() {
            "update" => return AptUse::Updates,
            "install" | "reinstall" | "upgrade" | "dist-upgrade" | "full-upgrade" | "source"
            | "build-dep" | "download" | "satisfy" | "search" | "show" | "policy" => {
                return AptUse::Needs;
            }
            _ => {}
        }
    }
    AptUse::None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Document;
    use crate::shell::Script;
    use parse_dockerfile::Instruction;

    fn command(shell: &str) -> SimpleCommand {
        let source = format!("FROM a\nRUN {shell}\n");
        let doc = Document::parse(&source).unwrap();
        let Some(Instruction::Run(run)) = doc.all_instructions().nth(1) else {
            panic!()
        };
        Script::of_run(&doc, run).unwrap().commands.remove(0)
    }

    #[test]
    fn no_subcommand_after_a_double_dash() {
        assert!(invocation(&command("dnf -- install x"), &["dnf"]).is_none());
        assert!(invocation(&command("apt-get -q -- install x"), &["apt-get"]).is_none());
    }

    #[test]
    fn subcommands_skip_options() {
        let c = command("apt-get -o Dpkg::Options::=--force-confold -qq install -y a");
        let inv = invocation(&c, &["apt-get"]).unwrap();
        assert_eq!((inv.subcommand, inv.verb.as_str()), (4, "install"));
        assert_eq!(invocation(&c, &["apk"]), None);
        assert_eq!(
            invocation(&command("apt-get $OPTS install a"), &["apt-get"]),
            None
        );
        assert_eq!(
            invocation(&command("/usr/bin/apt-get update"), &["apt-get"])
                .unwrap()
                .verb,
            "update"
        );
    }

    #[test]
    fn flags_short_long_and_counts() {
        let c = command("apt-get -qq install --yes=1 '-y' a -- -z");
        let flags = Flags::of(c.args());
        assert_eq!(flags.short('q'), 2);
        assert_eq!(flags.short('y'), 1);
        assert_eq!(flags.short('z'), 0);
        assert_eq!(flags.long("yes"), 1);
    }

    #[test]
    fn operands_skip_options_and_their_values() {
        let c = command("apk add --no-cache --virtual .deps -t x b a -- -c");
        let inv = invocation(&c, &["apk"]).unwrap();
        let words: Vec<&str> = operands(&c, &inv)
            .unwrap()
            .into_iter()
            .map(|i| c.words[i].raw())
            .collect();
        assert_eq!(words, ["b", "a", "-c"]);
        let c = command("apt-get install -y $PKGS");
        assert_eq!(operands(&c, &invocation(&c, &["apt-get"]).unwrap()), None);
    }

    #[test]
    fn pip_installs() {
        assert_eq!(pip_install(&command("pip install a")), Some(1));
        assert_eq!(pip_install(&command("pip3.11 -q install a")), Some(2));
        assert_eq!(
            pip_install(&command("python3 -m pip install -U pip")),
            Some(3)
        );
        assert_eq!(pip_install(&command("pipx install a")), None);
        assert_eq!(pip_install(&command("pip download a")), None);
        assert_eq!(pip_install(&command("python -m venv x")), None);
    }
}
