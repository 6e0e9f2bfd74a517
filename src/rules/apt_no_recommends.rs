//! ## What it does
//! Adds `--no-install-recommends` to `apt-get install` and `apt install`
//! commands that install recommended packages.
//!
//! ## Why is this bad?
//! By default apt also installs every package the requested ones merely
//! recommend: documentation, optional tools, often whole desktop libraries.
//! The image grows, builds take longer, and the attack surface widens for
//! packages nothing uses (hadolint DL3015).
//!
//! ## Example
//! ```dockerfile
//! RUN apt-get update && apt-get install -y curl
//! RUN curl -fsSLo /usr/local/bin/tool https://example.com/tool
//! ```
//!
//! Use instead:
//! ```dockerfile
//! RUN apt-get update && apt-get install --no-install-recommends -y ca-certificates curl
//! RUN curl -fsSLo /usr/local/bin/tool https://example.com/tool
//! ```
//!
//! ## What it keeps
//! Some recommends are what the rest of the Dockerfile relies on. `curl`
//! recommends nothing itself, but its library `libcurl4` recommends
//! `ca-certificates`, without which every `https://` download fails; `git`
//! recommends `ssh-client`. The fix adds such a package to the install
//! list explicitly when a package of the list brings it only as a
//! recommendation and the file evidently needs it, after the install (in
//! its stage and the stages built on it):
//!
//! - `ca-certificates`: an `https://` (or `hkps://`, `ftps://`) URL in a
//!   `RUN`, `CMD`, `ENTRYPOINT`, `HEALTHCHECK`, `ENV` or `ARG`; a
//!   download by `go get`/`go install`/`go mod`, `gem install`, `bundle
//!   install`, `cargo install` or `composer`; an image whose command is
//!   `curl`, `wget` or `git` (its users give it the URLs).
//! - `openssh-client`: a `git@host:` or `ssh://` URL, `GIT_SSH`, a `RUN
//!   --mount=type=ssh`, or `ssh`, `scp`, `sftp`, `ssh-keyscan`,
//!   `ssh-keygen`, `ssh-add`, `ssh-agent` run.
//! - `dirmngr`: a keyserver look-up (`--recv-keys`, `--keyserver`,
//!   `--fetch-keys`, `hkp://` …).
//! - `gnupg`: `apt-key`, `gpg-agent`, `gpgconf`, `gpgsm` run.
//!
//! Which package brings which of these only as a recommendation comes from
//! the distribution's package index: `src/rules/recommends.txt`, written by
//! `scripts/gen-recommends.py` from every Debian or Ubuntu index apt has
//! (its header names them and their dates; Debian 12 for the table
//! shipped). Other releases name the same recommends for these tools.
//! A package the list or an earlier install names already is not added.
//! The new package goes where the list's own style puts it: in order when
//! the list is sorted (else last), on a line of its own when the list has
//! one package per line.
//!
//! ## Fix safety
//! Unsafe: the set of installed packages changes, and software that relied
//! on a recommended package (a locale, a plugin, a tool the file does not
//! name) may stop working. Review the image after the fix; name the
//! packages you need. Commands that already say `--no-install-recommends`
//! or `-o APT::Install-Recommends=false` are left alone. A `RUN` whose
//! shell text cannot be read fully is left alone.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::OnceLock;

use parse_dockerfile::{HealthcheckArguments, Instruction};

use super::{FixKind, Report, Rule};
use crate::document::Document;
use crate::edits::{Applicability, Edit, Fix};
use crate::packages::{Flags, install, invocation, package_name};
use crate::runs;
use crate::shell::{Script, SimpleCommand, program_name};
use crate::words::{command_text, rough_words};

pub static RULE: Rule = Rule {
    id: "apt-no-recommends",
    codes: &["DL3015"],
    fix: FixKind::Always(Applicability::Unsafe),
    summary: "Use `--no-install-recommends` with `apt-get install`",
    source: include_str!("apt_no_recommends.rs"),
    check,
};

/// Recommends that matter, by package (`scripts/gen-recommends.py`).
static RECOMMENDS: &str = include_str!("recommends.txt");

fn check(doc: &Document<'_>, report: &mut Report) {
    let stages = runs::stages(doc);
    // The packages each stage has installed by name so far (those of the
    // stage it is built on included), with the ones this rule adds.
    let mut installed: Vec<Vec<String>> = Vec::with_capacity(stages.len());
    for (index, stage) in stages.iter().enumerate() {
        let mut names = stage
            .parent
            .map(|p| installed[p].clone())
            .unwrap_or_default();
        for run in stage.runs.iter().filter(|r| r.posix) {
            let Ok(script) = doc.script(run.instruction) else {
                continue;
            };
            for command in &script.commands {
                let listed = listed_packages(command);
                let Some(apt) = invocation(command, &["apt-get", "apt"]) else {
                    names.extend(listed);
                    continue;
                };
                if apt.verb != "install" || skips_recommends(command) {
                    names.extend(listed);
                    continue;
                }
                let at = command.words[apt.subcommand].span.end;
                let mut edits = vec![Edit::insert(at, " --no-install-recommends")];
                let mut message = format!(
                    "`{} install` also installs recommended packages: add `--no-install-recommends`",
                    apt.program
                );
                let keep = kept_recommends(doc, &stages, index, run.position, &listed, &names);
                if !keep.is_empty()
                    && let Some(added) = add_packages(doc, script, command, &keep)
                {
                    message.push_str(&format!("; keeps {}", describe(&keep)));
                    edits.extend(added);
                    names.extend(keep.iter().map(|(m, _)| m.package.to_owned()));
                }
                names.extend(listed);
                report.push(command.span.clone(), message, Some(Fix::unsafe_(edits)));
            }
        }
        installed.push(names);
    }
}

/// The names of the packages an install command names (none for other
/// commands or when a word has an expansion).
fn listed_packages(command: &SimpleCommand) -> Vec<String> {
    let Some((_, words)) = install(command) else {
        return Vec::new();
    };
    words
        .iter()
        .filter_map(|&i| Some(package_name(&command.words[i].literal()?)?.to_owned()))
        .collect()
}

fn skips_recommends(command: &SimpleCommand) -> bool {
    Flags::of(command.args()).long("no-install-recommends") > 0
        || command.args().iter().any(|w| {
            w.literal().is_some_and(|l| {
                let l = l.to_ascii_lowercase();
                l.ends_with("apt::install-recommends=false")
                    || l.ends_with("apt::install-recommends=0")
            })
        })
}

/// The recommends that matter of each package: the table, read once.
fn table() -> &'static HashMap<&'static str, Vec<&'static str>> {
    static TABLE: OnceLock<HashMap<&'static str, Vec<&'static str>>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut table = HashMap::new();
        let mut group: Vec<&'static str> = Vec::new();
        for line in RECOMMENDS.lines() {
            if line.starts_with('#') || line.is_empty() {
                continue;
            }
            match line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
                Some(names) => group = names.split(' ').collect(),
                None => {
                    table.insert(line, group.clone());
                }
            }
        }
        table
    })
}

/// A package that matters, what shows that the file needs it, and the
/// names that already install it.
struct Matter {
    package: &'static str,
    why: &'static str,
    needed: fn(&Evidence) -> bool,
    aliases: &'static [&'static str],
}

static MATTERS: &[Matter] = &[
    Matter {
        package: "ca-certificates",
        why: "https",
        needed: |e| e.tls,
        aliases: &[],
    },
    Matter {
        package: "openssh-client",
        why: "ssh",
        needed: |e| e.ssh,
        aliases: &["ssh", "openssh-server"],
    },
    Matter {
        package: "gnupg",
        why: "apt-key",
        needed: |e| e.gnupg,
        aliases: &["gnupg2"],
    },
    Matter {
        package: "dirmngr",
        why: "keyserver look-ups",
        needed: |e| e.keyserver,
        aliases: &["gnupg", "gnupg2"],
    },
];

/// A package to add, with the package of the list that brings it only as
/// a recommendation.
type Keep = (&'static Matter, String);

/// What the fix must add to an install (in the `RUN` at `position` of
/// stage `index`, naming `listed`) to keep the recommends the file needs,
/// when `installed` are installed by name already.
fn kept_recommends(
    doc: &Document<'_>,
    stages: &[runs::Stage<'_, '_>],
    index: usize,
    position: usize,
    listed: &[String],
    installed: &[String],
) -> Vec<Keep> {
    let mut wanted: Vec<Keep> = Vec::new();
    for name in listed {
        for matter in table().get(name.as_str()).into_iter().flatten() {
            if let Some(m) = MATTERS.iter().find(|m| m.package == *matter)
                && !wanted.iter().any(|(w, _)| w.package == m.package)
            {
                wanted.push((m, name.clone()));
            }
        }
    }
    if wanted.is_empty() {
        return wanted;
    }
    let evidence = Evidence::after(doc, stages, index, position);
    wanted.retain(|(m, _)| {
        (m.needed)(&evidence)
            && ![m.package]
                .iter()
                .chain(m.aliases)
                .any(|a| listed.iter().chain(installed).any(|n| n == a))
    });
    // gnupg depends on dirmngr: one is enough.
    if wanted.iter().any(|(m, _)| m.package == "gnupg") {
        wanted.retain(|(m, _)| m.package != "dirmngr");
    }
    wanted
}

/// `` `ca-certificates` (for https, recommended through `curl`) ``.
fn describe(keep: &[Keep]) -> String {
    let parts: Vec<String> = keep
        .iter()
        .map(|(m, by)| {
            format!(
                "`{}` (for {}, recommended through `{by}`)",
                m.package, m.why
            )
        })
        .collect();
    parts.join(" and ")
}

/// The edits that add the packages to the install's list in its own style:
/// each before the first package that sorts after it when the list is
/// sorted, else after the last; on a line of its own when the list has one
/// package per line.
fn add_packages(
    doc: &Document<'_>,
    script: &Script,
    command: &SimpleCommand,
    keep: &[Keep],
) -> Option<Vec<Edit>> {
    let (_, indices) = install(command)?;
    let words: Vec<_> = indices.iter().map(|&i| &command.words[i]).collect();
    let (first, last) = (words.first()?, words.last()?);
    let literals: Vec<Cow<'_, str>> = words.iter().map(|w| w.literal()).collect::<Option<_>>()?;
    let sorted = literals.windows(2).all(|pair| pair[0] <= pair[1]);
    let one_per_line = if words.len() > 1 {
        words
            .windows(2)
            .all(|pair| doc.text[pair[0].span.end..pair[1].span.start].contains('\n'))
    } else {
        doc.line_start(first.span.start) != doc.line_start(command.span.start)
    };
    let escape = if script.heredoc { '\\' } else { doc.escape };
    let le = if doc.text[command.span.clone()].contains("\r\n") {
        "\r\n"
    } else {
        doc.line_ending
    };
    let line = &doc.text[doc.line_start(last.span.start)..];
    let indent = &line[..line.len() - line.trim_start_matches([' ', '\t']).len()];
    let between = if one_per_line {
        format!(" {escape}{le}{indent}")
    } else {
        " ".to_owned()
    };
    let mut names: Vec<&str> = keep.iter().map(|(m, _)| m.package).collect();
    names.sort_unstable();
    // Names by the package they go before (`None`: after the last).
    let mut places: Vec<(Option<usize>, Vec<&str>)> = Vec::new();
    for name in names {
        let before = sorted
            .then(|| literals.iter().position(|l| l.as_ref() > name))
            .flatten();
        match places.iter_mut().find(|(b, _)| *b == before) {
            Some((_, group)) => group.push(name),
            None => places.push((before, vec![name])),
        }
    }
    Some(
        places
            .into_iter()
            .map(|(before, group)| match before {
                Some(i) => Edit::insert(
                    words[i].span.start,
                    format!("{}{between}", group.join(&between)),
                ),
                None => Edit::insert(last.span.end, format!("{between}{}", group.join(&between))),
            })
            .collect(),
    )
}

/// What the file does after an install that shows which recommends it
/// needs.
#[derive(Default)]
struct Evidence {
    tls: bool,
    ssh: bool,
    keyserver: bool,
    gnupg: bool,
}

/// Downloads over TLS with the system's CA bundle: program and subcommands.
const TLS_DOWNLOADS: &[(&str, &[&str])] = &[
    ("go", &["get", "install", "mod"]),
    ("gem", &["install"]),
    ("bundle", &["install"]),
    ("cargo", &["install"]),
    (
        "composer",
        &["install", "require", "create-project", "update"],
    ),
];
/// Programs whose users give them URLs: an image started as one needs TLS.
const URL_CLIENTS: &[&str] = &["curl", "wget", "git"];
const SSH_PROGRAMS: &[&str] = &[
    "ssh",
    "scp",
    "sftp",
    "ssh-keyscan",
    "ssh-keygen",
    "ssh-add",
    "ssh-agent",
];
const KEYSERVER_OPTIONS: &[&str] = &[
    "--recv-keys",
    "--recv-key",
    "--receive-keys",
    "--keyserver",
    "--search-keys",
    "--refresh-keys",
    "--fetch-keys",
    "--locate-keys",
    "--locate-external-keys",
    "--auto-key-locate",
    "--auto-key-retrieve",
];
const GNUPG_PROGRAMS: &[&str] = &[
    "apt-key",
    "gpg-agent",
    "gpgconf",
    "gpgsm",
    "gpg-connect-agent",
];

impl Evidence {
    /// From the instruction at `position` of stage `index` on, and the
    /// stages built on that stage.
    fn after(
        doc: &Document<'_>,
        stages: &[runs::Stage<'_, '_>],
        index: usize,
        position: usize,
    ) -> Self {
        let mut evidence = Evidence::default();
        for (i, stage) in stages.iter().enumerate() {
            let from = if i == index {
                position
            } else if i > index && runs::descends_from(stages, i, index) {
                0
            } else {
                continue;
            };
            for instruction in &stage.instructions[from..] {
                evidence.read(doc, instruction);
            }
        }
        evidence
    }

    fn read(&mut self, doc: &Document<'_>, instruction: &Instruction<'_>) {
        let instruction = match instruction {
            Instruction::Onbuild(onbuild) => &*onbuild.instruction,
            other => other,
        };
        let text = match instruction {
            Instruction::Run(run) => {
                self.ssh |= run.options.iter().any(|o| {
                    o.value
                        .as_ref()
                        .is_some_and(|v| v.value.contains("type=ssh"))
                });
                let mut text = command_text(&run.arguments, doc.escape);
                for here_doc in &run.here_docs {
                    text.push('\n');
                    text.push_str(&here_doc.value);
                }
                text
            }
            Instruction::Cmd(cmd) => command_text(&cmd.arguments, doc.escape),
            Instruction::Entrypoint(entrypoint) => command_text(&entrypoint.arguments, doc.escape),
            Instruction::Healthcheck(check) => match &check.arguments {
                HealthcheckArguments::Cmd { arguments, .. } => command_text(arguments, doc.escape),
                _ => return,
            },
            Instruction::Env(env) => env.arguments.value.to_string(),
            Instruction::Arg(arg) => arg.arguments.value.to_string(),
            _ => return,
        };
        self.tls |= ["https://", "hkps://", "ftps://"]
            .iter()
            .any(|s| text.contains(s));
        self.ssh |= ["git@", "ssh://", "GIT_SSH"]
            .iter()
            .any(|s| text.contains(s));
        self.keyserver |= ["hkp://", "hkps://"].iter().any(|s| text.contains(s));
        let words = rough_words(&text);
        if matches!(
            instruction,
            Instruction::Cmd(_) | Instruction::Entrypoint(_)
        ) && let Some(first) = words.first()
        {
            self.tls |= URL_CLIENTS.contains(&program_name(first));
        }
        for (i, word) in words.iter().enumerate() {
            let program = program_name(word);
            self.ssh |= SSH_PROGRAMS.contains(&program);
            self.gnupg |= GNUPG_PROGRAMS.contains(&program);
            self.keyserver |= program == "dirmngr"
                || KEYSERVER_OPTIONS
                    .iter()
                    .any(|o| word.split('=').next() == Some(*o));
            let next = words.get(i + 1).map(|w| w.as_ref());
            self.tls |= TLS_DOWNLOADS
                .iter()
                .any(|(p, verbs)| *p == program && next.is_some_and(|n| verbs.contains(&n)));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_follows_dependencies() {
        let table = table();
        assert_eq!(table.get("curl"), Some(&vec!["ca-certificates"]));
        assert_eq!(table.get("libcurl4"), Some(&vec!["ca-certificates"]));
        assert_eq!(
            table.get("git"),
            Some(&vec!["ca-certificates", "openssh-client"])
        );
        // Depends already bring them: nothing to keep.
        assert_eq!(table.get("ca-certificates"), None);
        assert_eq!(table.get("openssh-client"), None);
        assert!(
            RECOMMENDS
                .lines()
                .any(|l| l.starts_with("#   Debian ") && l.contains("UTC"))
        );
    }

    fn evidence(text: &str) -> Evidence {
        let doc = Document::parse(text).unwrap();
        let stages = runs::stages(&doc);
        Evidence::after(&doc, &stages, 0, 0)
    }

    #[test]
    fn what_shows_a_need() {
        let e = evidence("FROM a\nRUN curl -o x https://example.com/x\n");
        assert!(e.tls && !e.ssh && !e.keyserver && !e.gnupg);
        let e = evidence(
            "FROM a\n# see https://example.com\nRUN curl -o x http://example.com/x\nLABEL url=https://example.com\n",
        );
        assert!(!e.tls);
        assert!(evidence("FROM a\nENTRYPOINT [\"/usr/bin/curl\"]\n").tls);
        assert!(evidence("FROM a\nRUN go install example.com/tool@latest\n").tls);
        assert!(evidence("FROM a\nRUN git clone git@github.com:a/b.git\n").ssh);
        assert!(evidence("FROM a\nRUN --mount=type=ssh make\n").ssh);
        assert!(
            evidence("FROM a\nRUN gpg --batch --keyserver=keys.example.com --recv-keys AB\n")
                .keyserver
        );
        assert!(evidence("FROM a\nRUN curl -s https://x/key | apt-key add -\n").gnupg);
    }
}
