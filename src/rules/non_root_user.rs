//! ## What it does
//! Checks that the image a Dockerfile ships (its last stage) runs as a
//! non-root user, and adds a `USER` line with a user that exists in that
//! image where it does not.
//!
//! ## Why is this bad?
//! A process running as root in a container is root on the host's kernel:
//! a container escape or a writable host mount becomes a host compromise
//! (hadolint DL3002, Trivy DS002). Build steps need root; the program does
//! not.
//!
//! ## Example
//! ```dockerfile
//! FROM python:3.12-slim
//! WORKDIR /app
//! COPY . .
//! CMD ["python", "main.py"]
//! ```
//!
//! Use instead:
//! ```dockerfile
//! FROM python:3.12-slim
//! WORKDIR /app
//! COPY --chown=1001:1001 . .
//! RUN groupadd --gid 1001 app && useradd --no-log-init --uid 1001 --gid app --no-create-home --shell /usr/sbin/nologin app && mkdir -p /app && chown 1001:1001 /app
//! USER 1001:1001
//! CMD ["python", "main.py"]
//! ```
//!
//! The user comes from what the stage's base image is: a user the image
//! ships (`node` → `USER 1000:1000`, the user `node`; distroless and
//! Chainguard → `USER 65532:65532`, the user `nonroot`), a user the
//! Dockerfile creates itself with `useradd` or `adduser`, a new user `app`
//! (uid and gid 1001, no home, no login shell) made with the tools of
//! Debian/Ubuntu, Alpine/BusyBox or RHEL-like bases, or `USER 1001:1001`
//! where no user database can be relied on (`scratch`, minimal images,
//! unknown bases). Windows images, known by name or by a PowerShell or
//! `cmd` `SHELL`, get `USER ContainerUser` (`ContainerAdministrator` counts
//! as root; Nano Server runs as `ContainerUser` already). The `USER` line
//! is numeric wherever the uid is known (it is not known for a user the
//! Dockerfile creates without `-u`, nor on Windows): a name cannot be
//! checked to be non-root by the host, so Kubernetes' `runAsNonRoot`
//! rejects it (hadolint DL3066). The base is found by following `FROM
//! <stage>` to the first image, and from the package manager the stage
//! uses when the image name says nothing. The user is created without a
//! warning in the build log: `--system` only for a uid below 1000 (shadow's
//! `useradd` warns about a system uid above 999), `--no-log-init` (no
//! sparse lastlog/faillog entries), `-K UID_MAX=` above 60000.
//!
//! ## What the new user is given
//! When the fix creates the user, the folders the program writes to
//! become its own: the last `WORKDIR` of the file, every `VOLUME` of the
//! last stage, and what its `CMD`/`ENTRYPOINT` visibly writes
//! (redirections, `tee`, `--log-file`, `--pid-file`, `--data-dir`-like
//! options; the folder of a file, or the file itself in a system folder
//! such as `/var/log`). The copies that fill those folders get
//! `--chown=1001:1001`, and the `RUN` that creates the user makes the
//! folders and owns them (`mkdir -p … && chown 1001:1001 …`, not
//! recursive). That `RUN` goes before the first `VOLUME` that holds one of
//! them: the classic builder and buildah drop what a later step changes in
//! a volume. System folders (`/`, `/usr/local`, `/var/log`, …) stay root's,
//! and the finding says so; it also says when what the program writes
//! cannot be known (a script starts it, a path has a variable). For a user
//! the image ships, or a bare uid, the finding names the folders that stay
//! owned by root.
//!
//! ## When there is no fix
//! No fix is offered, and the finding says why, when a `USER` line would
//! break the image or the images built on it:
//! - it drops privileges itself at start-up (it installs or calls `gosu`,
//!   `su-exec`, `setpriv`, `runuser`, `s6-setuidgid` or `chroot
//!   --userspec`, or it is an official database image whose entrypoint
//!   does);
//! - it is a base for other images: it has `ONBUILD` instructions, or no
//!   `CMD` or `ENTRYPOINT` of its own (it runs its base's, or is built
//!   upon), or it is a toolchain whose root-owned prefix later builds write
//!   to (`ENV CARGO_HOME`, `RUSTUP_HOME`, `GOPATH`, `JAVA_HOME`, `GEM_HOME`
//!   …) started as a shell, an interpreter without a program or one of its
//!   tools (`bash`, `irb`, `go`, `cargo` …);
//! - the program needs root: a service that starts as root and drops
//!   privileges itself (named, Apache httpd, nginx, sshd, Postfix, dovecot,
//!   squid, HAProxy, vsftpd, cron, supervisord, s6 and runit inits …) or a
//!   tool that needs capabilities a plain user lacks (iptables/nftables,
//!   pptp, OpenVPN, WireGuard, tcpdump, ipfm, dnsmasq, ping-style raw
//!   sockets …), started by name or installed and started by a script;
//!   the list, with the reason for each entry, is `src/privileges.rs`;
//! - it works in root's home (`WORKDIR /root`, a `VOLUME` under `/root`),
//!   which no other user may enter.
//!
//! ## Options
//! `[rules.non-root-user]` `uid = 10001` and `user = "svc"` set the uid/gid
//! and the name of the user the fix creates (default 1001 and `app`).
//!
//! ## Fix safety
//! Unsafe: the program runs as another user, so files it writes outside
//! the folders above, ports below 1024 it binds (the message says when the
//! stage exposes one) and paths owned by root behave differently; the
//! copies into its folders become the user's. Only the last stage (and the
//! copies of the stages it is built on) changes.

use std::borrow::Cow;

use parse_dockerfile::{Instruction, JsonOrStringArray, Stage};

use super::{FixKind, Report, Rule};
use crate::document::{Document, keyword_like, keyword_span};
use crate::edits::{Applicability, Edit, Fix};
use crate::images::{self, Family};
use crate::packages::{install, package_name};
use crate::paths;
use crate::privileges;
use crate::runs;
use crate::shell::program_name;
use crate::words::{command_text, is_separator, rough_words};

pub static RULE: Rule = Rule {
    id: "non-root-user",
    codes: &["DL3002", "DS002"],
    fix: FixKind::Always(Applicability::Unsafe),
    summary: "Run the final image as a non-root user",
    source: include_str!("non_root_user.rs"),
    check,
};

/// The uid and gid, and the name, of a user this rule creates (unless the
/// rule's options say otherwise).
const ID: &str = "1001";
const NAME: &str = "app";

/// The account of Windows base images without administrator rights.
const WINDOWS_USER: &str = "ContainerUser";

/// Programs that switch user at start-up.
const PRIVILEGE_DROPPERS: &[&str] = &["gosu", "su-exec", "setpriv", "runuser", "s6-setuidgid"];

fn check(doc: &Document<'_>, report: &mut Report) {
    let stages: Vec<Stage<'_, '_>> = doc.stages().collect();
    let Some(last) = stages.len().checked_sub(1) else {
        return;
    };
    let chain = stage_chain(&stages, last);
    let base = stages[*chain.last().unwrap_or(&last)]
        .from
        .image
        .value
        .as_ref();
    let final_stage = &stages[last];

    // The user in force at the end: the last USER of the stage, else of the
    // stages it is built on, else the image's default.
    let last_user = chain
        .iter()
        .find_map(|&i| last_user_instruction(&stages[i]));
    match last_user {
        Some((user, _)) if !is_root(&user) => return,
        None if images::runs_as_non_root(base) => return,
        _ => {}
    }
    let span = match &last_user {
        Some((_, Some(span))) => span.clone(),
        _ => final_stage.from.from.span.start..final_stage.from.image.span.end,
    };
    let what = if last_user.is_some() {
        "The image ends as root"
    } else {
        "The image runs as root (no USER)"
    };

    // The shell texts of the stages, in the order of `chain`, as rough words.
    let texts: Vec<Vec<String>> = chain
        .iter()
        .map(|&i| shell_texts(doc, &stages[i]).collect())
        .collect();
    let words: Vec<Vec<Vec<Cow<'_, str>>>> = texts
        .iter()
        .map(|stage| stage.iter().map(|t| rough_words(t)).collect())
        .collect();
    if let Some(reason) = drops_privileges(&stages, &chain, &words, base) {
        report.push(
            span,
            format!("{what}, but {reason}; a USER line would break it"),
            None,
        );
        return;
    }
    let start_texts = start_texts(doc, &stages, &chain);
    let start: Vec<Vec<Cow<'_, str>>> = start_texts
        .iter()
        .flatten()
        .map(|t| rough_words(t))
        .collect();
    let layout = Layout::of(&stages, &chain);
    let declined = base_image(
        &stages,
        &chain,
        start_texts.iter().any(Option::is_some),
        &start,
    )
    .or_else(|| needs_root(doc, &chain, &start))
    .or_else(|| layout.in_root_home(&written_paths(&start, layout.workdir.as_deref()).0));
    if let Some(reason) = declined {
        report.push(span, format!("{what}, but {reason}"), None);
        return;
    }

    let options = &report.options().non_root_user;
    let id = options
        .uid
        .as_ref()
        .map_or_else(|| ID.to_owned(), |uid| uid.get_ref().to_string());
    let name = options
        .user
        .as_ref()
        .map_or(NAME, |u| u.get_ref().as_str())
        .to_owned();
    let plan = plan(&stages, &chain, &words, base, &id, &name);
    let ownership = Ownership::of(&layout, &start);
    let keyword = |k: &str| keyword_like(&doc.text[final_stage.from.from.span.clone()], k);
    let user_line = format!("{} {}", keyword("USER"), plan.user);

    // After the last instruction of the stage that may need root.
    let steps = final_stage.instructions.iter().rposition(is_build_step);
    let mut edits = Vec::new();
    let create = plan.create.as_ref().map(|create| match &plan.owner {
        Some(owner) => format!("{} {create}{}", keyword("RUN"), ownership.commands(owner)),
        None => format!("{} {create}", keyword("RUN")),
    });
    match steps.map(|i| &final_stage.instructions[i]) {
        // `USER root` last: give it the new user when nothing must be created.
        Some(Instruction::User(user)) if create.is_none() => {
            edits.push(Edit::replace(
                user.arguments.span.clone(),
                plan.user.clone(),
            ));
        }
        _ => {
            let next = steps.map_or(0, |i| i + 1);
            let mut lines = Vec::new();
            // The user's folders inside a VOLUME must be its own before the
            // VOLUME line: the classic builder and buildah drop what a later
            // step changes there.
            match (
                create,
                ownership.before_volume.filter(|_| plan.owner.is_some()),
            ) {
                (Some(create), Some(volume)) => {
                    let Some(edit) = insert_lines(doc, &stages, last, volume, &[create]) else {
                        report.push(span, format!("{what}: switch to a non-root user"), None);
                        return;
                    };
                    edits.push(edit);
                }
                (Some(create), None) => lines.push(create),
                (None, _) => {}
            }
            lines.push(user_line.clone());
            let Some(edit) = insert_lines(doc, &stages, last, next, &lines) else {
                report.push(span, format!("{what}: switch to a non-root user"), None);
                return;
            };
            edits.push(edit);
        }
    }
    if let Some(owner) = &plan.owner {
        edits.extend(
            ownership
                .copies
                .iter()
                .map(|&at| Edit::insert(at, format!(" --chown={owner}"))),
        );
    }
    let message = message(what, &user_line, &plan, &ownership, &stages, &chain);
    report.push(span, message, Some(Fix::unsafe_(edits)));
}

/// The finding's text: the user it switches to, the folders that become
/// its own, and what the user should check.
fn message(
    what: &str,
    user_line: &str,
    plan: &Plan,
    ownership: &Ownership,
    stages: &[Stage<'_, '_>],
    chain: &[usize],
) -> String {
    let mut message = format!("{what}: switch to a non-root user ({user_line}");
    if let Some(name) = &plan.name {
        message.push_str(&format!(", the user {name}"));
    }
    let owned: Vec<&str> = ownership
        .dirs
        .iter()
        .chain(&ownership.files)
        .map(String::as_str)
        .collect();
    if plan.owner.is_some() && !owned.is_empty() {
        message.push_str(&format!(", owner of {}", list(&owned)));
    }
    message.push(')');
    let mut notes = ownership.notes.clone();
    if plan.owner.is_none() && plan.notes_ownership && !owned.is_empty() {
        notes.push(format!("{} stay owned by root", list(&owned)));
    }
    if let Some(port) = privileged_port(stages, chain) {
        notes.push(format!(
            "it exposes port {port}, which a non-root user can bind only with \
             CAP_NET_BIND_SERVICE or a port of 1024 or above"
        ));
    }
    for note in notes {
        message.push_str(&format!("; note: {note}"));
    }
    message
}

/// `a`, `a and b`, `a, b and c`.
fn list(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// An edit that puts `lines` before instruction `next` of stage `index`
/// (or at the end of the stage), after the instruction before it; `None`
/// when they cannot go there (a continuation at the end of the file).
fn insert_lines(
    doc: &Document<'_>,
    stages: &[Stage<'_, '_>],
    index: usize,
    next: usize,
    lines: &[String],
) -> Option<Edit> {
    let stage = &stages[index];
    let next_keyword = stage.instructions.get(next).map_or_else(
        || next_stage_start(doc, stages, index),
        |i| keyword_span(i).start,
    );
    let (at, newline_first) = doc.insertion_point(next_keyword)?;
    let le = doc.line_ending;
    let mut text = String::new();
    if newline_first {
        text.push_str(le);
    }
    // A blank line after a heredoc's terminator: hadolint cannot read an
    // instruction right below one.
    let after_heredoc = next.checked_sub(1).is_some_and(
        |i| matches!(&stage.instructions[i], Instruction::Run(run) if !run.here_docs.is_empty()),
    );
    let blank_before = ["\n\n", "\n\r\n"]
        .iter()
        .any(|e| doc.text[..at].ends_with(e));
    if after_heredoc && (newline_first || !blank_before) {
        text.push_str(le);
    }
    text.push_str(&lines.join(le));
    // At the end of a file without a final newline, it stays without.
    if !newline_first {
        text.push_str(le);
    }
    Some(Edit::insert(at, text))
}

/// The texts of the last `ENTRYPOINT` and the last `CMD` of the chain,
/// continuation lines joined (exec form: the arguments joined by spaces);
/// `None` for an instruction the chain does not have.
fn start_texts(
    doc: &Document<'_>,
    stages: &[Stage<'_, '_>],
    chain: &[usize],
) -> [Option<String>; 2] {
    let instructions = || {
        chain
            .iter()
            .flat_map(|&i| stages[i].instructions.iter().rev())
    };
    let entrypoint = instructions().find_map(|i| match i {
        Instruction::Entrypoint(e) => Some(command_text(&e.arguments, doc.escape)),
        _ => None,
    });
    let cmd = instructions().find_map(|i| match i {
        Instruction::Cmd(c) => Some(command_text(&c.arguments, doc.escape)),
        _ => None,
    });
    [entrypoint, cmd]
}

/// Words after which a word names the program a command runs.
const BEFORE_PROGRAM: &[&str] = &[
    "exec",
    "then",
    "do",
    "else",
    "!",
    "--",
    "nohup",
    "sudo",
    "tini",
    "dumb-init",
    "time",
];

/// The programs the start command runs (the words in command position).
fn start_programs<'w>(start: &'w [Vec<Cow<'_, str>>]) -> impl Iterator<Item = &'w str> + 'w {
    start.iter().flat_map(|words| {
        words.iter().enumerate().filter_map(move |(i, word)| {
            let program = program_name(word);
            let previous = i.checked_sub(1).map(|p| words[p].as_ref());
            let command_position = match previous {
                None => true,
                Some(p) => {
                    is_separator(p)
                        || BEFORE_PROGRAM.contains(&program_name(p))
                        || shell_command_option(words, i - 1)
                }
            };
            let program_word = !is_separator(word) && !BEFORE_PROGRAM.contains(&program);
            (command_position && program_word && !program.is_empty() && !program.starts_with('-'))
                .then_some(program)
        })
    })
}

/// `-c` (or `-lc`, `-ec`) after a POSIX shell: the next word is a command.
fn shell_command_option(words: &[Cow<'_, str>], at: usize) -> bool {
    let option = &words[at];
    option.starts_with('-')
        && !option.starts_with("--")
        && option.contains('c')
        && at
            .checked_sub(1)
            .is_some_and(|s| runs::is_posix_shell(&words[s]))
}

/// A script the start command runs, which this file cannot show:
/// `./start.sh`, `sh /entrypoint.sh`.
fn start_script<'w>(start: &'w [Vec<Cow<'_, str>>]) -> Option<&'w str> {
    start.iter().find_map(|words| {
        words.iter().enumerate().find_map(|(i, word)| {
            if program_name(word).ends_with(".sh") && !word.contains('=') {
                return Some(word.as_ref());
            }
            let next = words.get(i + 1)?;
            (i == 0 && runs::is_posix_shell(word) && !next.starts_with('-') && !is_separator(next))
                .then_some(next.as_ref())
        })
    })
}

/// Why the image is a base for other images rather than one that runs a
/// program, if it is: ONBUILD, no command of its own, or a toolchain
/// started as a shell or a tool.
fn base_image(
    stages: &[Stage<'_, '_>],
    chain: &[usize],
    has_start: bool,
    start: &[Vec<Cow<'_, str>>],
) -> Option<String> {
    let instructions = || chain.iter().flat_map(|&i| stages[i].instructions.iter());
    if instructions().any(|i| matches!(i, Instruction::Onbuild(_))) {
        return Some(
            "it has ONBUILD instructions: it is a base for other images, whose builds run them \
             (set USER in the images built on it)"
                .into(),
        );
    }
    if !has_start {
        return Some(
            "it has no CMD or ENTRYPOINT of its own: it runs its base image's command, or is a base \
             for other images whose RUN steps need root (set USER where the program is started)"
                .into(),
        );
    }
    let variable = privileges::TOOLCHAIN_VARIABLES.iter().find(|v| {
        instructions().any(|i| matches!(i, Instruction::Env(_)) && runs::sets_variable(i, v))
    })?;
    let words = start.iter().find(|w| !w.is_empty())?;
    let program = program_name(&words[0]);
    let toolchain = privileges::TOOLCHAIN_TOOLS.contains(&program)
        || privileges::INTERACTIVE.contains(&program) && words.len() == 1;
    toolchain.then(|| {
        format!(
            "it is a toolchain image (ENV {variable}) started as `{program}`: the builds FROM it write \
             into its root-owned folders (set USER in the images built on it)"
        )
    })
}

/// Why the program the image starts needs root, if it does: a service
/// that drops privileges itself or a tool that needs capabilities
/// (`privileges::ROOT_PROGRAMS`), started by name or, when a script starts
/// it, installed by the file.
fn needs_root(doc: &Document<'_>, chain: &[usize], start: &[Vec<Cow<'_, str>>]) -> Option<String> {
    if let Some((program, entry)) =
        start_programs(start).find_map(|p| Some((p, privileges::by_program(p)?)))
    {
        return Some(format!(
            "it starts {program}: {}; a USER line would break it",
            entry.reason
        ));
    }
    let script = start_script(start)?;
    let stages = runs::stages(doc);
    chain.iter().flat_map(|&i| &stages[i].runs).find_map(|run| {
        let script_of_run = doc.script(run.instruction).ok()?;
        script_of_run.commands.iter().find_map(|command| {
            let (_, packages) = install(command)?;
            packages.iter().find_map(|&p| {
                let word = command.words[p].literal()?;
                let package = package_name(&word)?;
                let entry = privileges::by_package(package)?;
                Some(format!(
                    "it installs {package} and starts {script}, which likely runs it: {}; a USER line would break it",
                    entry.reason
                ))
            })
        })
    })
}

/// Options whose value is a file the program writes (`--log-file x.log`),
/// then options whose value is a folder it writes in.
const FILE_OPTIONS: &[&str] = &[
    "log-file",
    "logfile",
    "log_file",
    "pid-file",
    "pidfile",
    "error-logfile",
    "access-logfile",
    "error-log",
    "access-log",
    "log-path",
];
const FOLDER_OPTIONS: &[&str] = &["log-dir", "logdir", "data-dir", "datadir"];

/// A path the start command visibly writes.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Written {
    File(String),
    Folder(String),
    /// A target this file cannot tell (`> $LOG`), as written.
    Unknown(String),
}

/// The paths the start command writes: redirections, `tee`, log, pid and
/// data options; relative ones resolved against `workdir` (unknown without
/// one). Also returns notes on what cannot be known.
fn written_paths(
    start: &[Vec<Cow<'_, str>>],
    workdir: Option<&str>,
) -> (Vec<Written>, Vec<String>) {
    let mut targets: Vec<(String, bool)> = Vec::new();
    for words in start {
        let mut tee = false;
        let mut i = 0;
        while let Some(word) = words.get(i) {
            i += 1;
            let next = words
                .get(i)
                .filter(|n| !is_separator(n))
                .map(|n| n.to_string());
            if is_separator(word) {
                tee = false;
            } else if let Some(rest) = redirection(word) {
                let target = if rest.is_empty() {
                    i += 1;
                    next
                } else {
                    Some(rest.to_owned())
                };
                targets.extend(target.map(|t| (t, false)));
            } else if tee && !word.starts_with('-') {
                targets.push((word.to_string(), false));
            } else if program_name(word) == "tee" {
                tee = true;
            } else if let Some(option) = word.strip_prefix("--") {
                let (name, value) = match option.split_once('=') {
                    Some((name, value)) => (name, Some(value.to_owned())),
                    None => (option, None),
                };
                let folder = FOLDER_OPTIONS.contains(&name);
                if folder || FILE_OPTIONS.contains(&name) {
                    targets.extend(value.or(next).map(|v| (v, folder)));
                }
            }
        }
    }
    let mut written = Vec::new();
    for (target, folder) in targets {
        if target == "-" || target.starts_with('&') {
            continue;
        }
        let resolved = match workdir {
            Some(cwd) => paths::resolve(cwd, &target),
            None if target.starts_with('/') => paths::resolve("/", &target),
            None => None,
        };
        written.push(match resolved {
            Some(path) if folder => Written::Folder(path),
            Some(path) => Written::File(path),
            None => Written::Unknown(target),
        });
    }
    let mut notes: Vec<String> = written
        .iter()
        .filter_map(|w| match w {
            Written::Unknown(target) => {
                Some(format!("where `{target}` is written cannot be known here"))
            }
            _ => None,
        })
        .collect();
    if let Some(script) = start_script(start) {
        notes.push(format!("what {script} writes cannot be known here"));
    }
    (written, notes)
}

/// The target of a redirection that writes (`>f`, `2>>f`, `&>f`; empty when
/// the target is the next word).
fn redirection(word: &str) -> Option<&str> {
    let rest = word.trim_start_matches(|c: char| c.is_ascii_digit());
    let rest = rest.strip_prefix('&').unwrap_or(rest);
    let rest = rest.strip_prefix('>')?;
    Some(rest.strip_prefix(['>', '|']).unwrap_or(rest))
}

/// What the stages of the final image do with folders: its working
/// directory, its volumes, its copies.
struct Layout {
    /// The last `WORKDIR` of the chain, resolved; `None` without one or
    /// when it cannot be resolved.
    workdir: Option<String>,
    volumes: Vec<Volume>,
    copies: Vec<Copy>,
}

struct Volume {
    /// The path, or the text as written when it cannot be resolved.
    path: Result<String, String>,
    /// Its instruction's index in the final stage, when it is there.
    in_final: Option<usize>,
}

/// A `COPY` or `ADD`: where a flag goes, whether it sets the owner, and
/// its destination resolved (`None` when unknown).
struct Copy {
    flag_at: usize,
    chown: bool,
    dest: Option<String>,
}

impl Layout {
    fn of(stages: &[Stage<'_, '_>], chain: &[usize]) -> Self {
        let mut layout = Layout {
            workdir: None,
            volumes: Vec::new(),
            copies: Vec::new(),
        };
        // Relative paths before any WORKDIR are relative to the base
        // image's, which this file cannot tell.
        let mut cwd: Option<String> = None;
        let last = chain.first().copied();
        for &index in chain.iter().rev() {
            for (position, instruction) in stages[index].instructions.iter().enumerate() {
                match instruction {
                    Instruction::Workdir(w) => {
                        let path = w.arguments.value.trim();
                        cwd = match &cwd {
                            _ if path.starts_with('/') => paths::resolve("/", path),
                            Some(cwd) => paths::resolve(cwd, path),
                            None => None,
                        };
                        layout.workdir = cwd.clone();
                    }
                    Instruction::Volume(v) => {
                        let values: Vec<&str> = match &v.arguments {
                            JsonOrStringArray::Json(json) => {
                                json.value.iter().map(|s| s.value.as_ref()).collect()
                            }
                            JsonOrStringArray::String(words) => {
                                words.iter().map(|s| s.value.as_ref()).collect()
                            }
                        };
                        for value in values {
                            let path = value
                                .starts_with('/')
                                .then(|| paths::resolve("/", value))
                                .flatten()
                                .ok_or_else(|| value.to_owned());
                            let in_final = (Some(index) == last).then_some(position);
                            layout.volumes.push(Volume { path, in_final });
                        }
                    }
                    Instruction::Copy(_) | Instruction::Add(_) => {
                        let (options, dest) = match instruction {
                            Instruction::Copy(c) => (&c.options, &c.dest),
                            Instruction::Add(a) => (&a.options, &a.dest),
                            _ => continue,
                        };
                        let dest = dest.value.as_ref();
                        let dest = match &cwd {
                            _ if dest.starts_with('/') => paths::resolve("/", dest),
                            Some(cwd) => paths::resolve(cwd, dest),
                            None => None,
                        };
                        layout.copies.push(Copy {
                            flag_at: keyword_span(instruction).end,
                            chown: options.iter().any(|o| o.name.value == "chown"),
                            dest,
                        });
                    }
                    _ => {}
                }
            }
        }
        layout
    }

    /// Why no user but root can run the image, if it works in root's home
    /// (its WORKDIR, a VOLUME, a path the start command writes).
    fn in_root_home(&self, written: &[Written]) -> Option<String> {
        let paths = self
            .workdir
            .iter()
            .chain(self.volumes.iter().filter_map(|v| v.path.as_ref().ok()))
            .chain(written.iter().filter_map(|w| match w {
                Written::File(p) | Written::Folder(p) => Some(p),
                Written::Unknown(_) => None,
            }));
        for path in paths {
            if paths::is_within(path, "/root") {
                return Some(format!(
                    "it uses {path}, in root's home, which no other user may enter; a USER line would break it"
                ));
            }
        }
        None
    }
}

/// What the user the fix creates is given: folders (made and owned),
/// files (made and owned), copies that get `--chown`, and notes.
#[derive(Default)]
struct Ownership {
    dirs: Vec<String>,
    files: Vec<String>,
    /// Where ` --chown=…` goes in the copies that fill those folders.
    copies: Vec<usize>,
    /// The index in the final stage of the first VOLUME that holds one of
    /// them: the user's RUN must come before it.
    before_volume: Option<usize>,
    notes: Vec<String>,
}

impl Ownership {
    fn of(layout: &Layout, start: &[Vec<Cow<'_, str>>]) -> Self {
        let mut ownership = Ownership::default();
        let (written, notes) = written_paths(start, layout.workdir.as_deref());
        ownership.notes = notes;
        let mut folders: Vec<(String, &str)> = Vec::new();
        if let Some(workdir) = &layout.workdir {
            folders.push((workdir.clone(), "WORKDIR"));
        }
        for volume in &layout.volumes {
            match &volume.path {
                Ok(path) if volume.in_final.is_some() => folders.push((path.clone(), "VOLUME")),
                Ok(path) => ownership.notes.push(format!(
                    "VOLUME {path} of an earlier stage stays owned by root"
                )),
                Err(text) => ownership
                    .notes
                    .push(format!("VOLUME {text} cannot be resolved here")),
            }
        }
        for w in &written {
            match w {
                Written::Folder(path) => folders.push((path.clone(), "written")),
                Written::File(path) if !paths::is_system(paths::parent(path)) => {
                    folders.push((paths::parent(path).to_owned(), "written"));
                }
                Written::File(path)
                    if !paths::is_writable_by_all(path) && !paths::is_system(path) =>
                {
                    push_new(&mut ownership.files, path);
                }
                _ => {}
            }
        }
        for (folder, kind) in folders {
            if paths::is_writable_by_all(&folder) {
                continue;
            }
            if paths::is_system(&folder) {
                if kind != "written" {
                    ownership.notes.push(format!(
                        "{kind} {folder} is a system folder and stays owned by root"
                    ));
                }
                continue;
            }
            push_new(&mut ownership.dirs, &folder);
        }
        ownership.copies = layout
            .copies
            .iter()
            .filter(|c| !c.chown)
            .filter(|c| {
                c.dest
                    .as_ref()
                    .is_some_and(|d| ownership.dirs.iter().any(|f| paths::is_within(d, f)))
            })
            .map(|c| c.flag_at)
            .collect();
        ownership.before_volume = layout
            .volumes
            .iter()
            .filter(|v| {
                v.path.as_ref().is_ok_and(|p| {
                    ownership
                        .dirs
                        .iter()
                        .chain(&ownership.files)
                        .any(|owned| paths::is_within(owned, p))
                })
            })
            .filter_map(|v| v.in_final)
            .min();
        ownership
    }

    /// The commands that make the folders and files the user's, after the
    /// ones that create it: ` && mkdir -p … && touch … && chown uid:gid …`.
    fn commands(&self, owner: &str) -> String {
        let mut text = String::new();
        if !self.dirs.is_empty() {
            text.push_str(&format!(" && mkdir -p {}", self.dirs.join(" ")));
        }
        if !self.files.is_empty() {
            text.push_str(&format!(" && touch {}", self.files.join(" ")));
        }
        if !self.dirs.is_empty() || !self.files.is_empty() {
            let all: Vec<&str> = self
                .dirs
                .iter()
                .chain(&self.files)
                .map(String::as_str)
                .collect();
            text.push_str(&format!(" && chown {owner} {}", all.join(" ")));
        }
        text
    }
}

fn push_new(list: &mut Vec<String>, item: &str) {
    if !list.iter().any(|i| i == item) {
        list.push(item.to_owned());
    }
}

/// The stage and the stages it is built on (`FROM <stage>`), nearest first.
fn stage_chain(stages: &[Stage<'_, '_>], index: usize) -> Vec<usize> {
    let mut chain = vec![index];
    let mut current = index;
    while let Some(parent) = (0..current).rev().find(|&i| {
        stages[i].from.as_.as_ref().is_some_and(|(_, name)| {
            name.value
                .eq_ignore_ascii_case(&stages[current].from.image.value)
        })
    }) {
        chain.push(parent);
        current = parent;
    }
    chain
}

/// The last `USER` of a stage: its value and span.
fn last_user_instruction(
    stage: &Stage<'_, '_>,
) -> Option<(String, Option<std::ops::Range<usize>>)> {
    stage.instructions.iter().rev().find_map(|i| match i {
        Instruction::User(user) => Some((
            user.arguments.value.trim().to_owned(),
            Some(user.user.span.start..user.arguments.span.end),
        )),
        _ => None,
    })
}

/// `root`, `0`, `root:…`, `ContainerAdministrator`.
pub(crate) fn is_root(user: &str) -> bool {
    let name = user.split(':').next().unwrap_or(user);
    name == "root"
        || name.eq_ignore_ascii_case("ContainerAdministrator")
        || name.trim_start_matches('0').is_empty() && !name.is_empty()
}

/// Instructions that may need root to do their work.
fn is_build_step(instruction: &Instruction<'_>) -> bool {
    matches!(
        instruction,
        Instruction::Run(_)
            | Instruction::Copy(_)
            | Instruction::Add(_)
            | Instruction::Workdir(_)
            | Instruction::User(_)
            | Instruction::Volume(_)
            | Instruction::Onbuild(_)
    )
}

/// The keyword offset of the stage after `index`, or the end of the text.
fn next_stage_start(doc: &Document<'_>, stages: &[Stage<'_, '_>], index: usize) -> usize {
    stages
        .get(index + 1)
        .map_or(doc.text.len(), |s| s.from.from.span.start)
}

/// The texts a stage runs in its shell, continuation lines joined.
fn shell_texts<'s>(
    doc: &Document<'_>,
    stage: &'s Stage<'_, '_>,
) -> impl Iterator<Item = String> + 's {
    let escape = doc.escape;
    stage.instructions.iter().filter_map(move |i| {
        let command = match i {
            Instruction::Run(run) => &run.arguments,
            Instruction::Cmd(cmd) => &cmd.arguments,
            Instruction::Entrypoint(entrypoint) => &entrypoint.arguments,
            _ => return None,
        };
        let mut text = command_text(command, escape);
        if let Instruction::Run(run) = i {
            for here_doc in &run.here_docs {
                text.push('\n');
                text.push_str(&here_doc.value);
            }
        }
        Some(text)
    })
}

/// Why the image cannot simply get a `USER` line, if it drops privileges
/// itself.
fn drops_privileges(
    stages: &[Stage<'_, '_>],
    chain: &[usize],
    words: &[StageWords<'_>],
    base: &str,
) -> Option<String> {
    for stage in words {
        for words in stage {
            if let Some(tool) = words
                .iter()
                .find(|w| PRIVILEGE_DROPPERS.contains(&program_name(w)))
            {
                return Some(format!(
                    "it switches user at start-up itself ({})",
                    program_name(tool)
                ));
            }
            if words
                .windows(2)
                .any(|w| program_name(&w[0]) == "chroot" && w[1].starts_with("--userspec"))
            {
                return Some("it switches user at start-up itself (chroot --userspec)".into());
            }
        }
    }
    let own_entrypoint = chain.iter().any(|&i| {
        stages[i]
            .instructions
            .iter()
            .any(|i| matches!(i, Instruction::Entrypoint(_)))
    });
    if !own_entrypoint && images::drops_privileges(base) {
        return Some(format!(
            "the entrypoint of {base} starts as root and switches user itself"
        ));
    }
    None
}

/// The user to switch to, and the command that creates it, if any.
struct Plan {
    /// What the `USER` line gets: numeric where the uid is known, since a
    /// name cannot be checked to be non-root by the host (Kubernetes'
    /// `runAsNonRoot`, hadolint DL3066).
    user: String,
    /// The user's name, when `user` is its number.
    name: Option<String>,
    create: Option<String>,
    /// `uid:gid` for `chown` and `COPY --chown`, when this rule creates the
    /// user and so makes its folders its own.
    owner: Option<String>,
    /// Whether the finding names the folders that stay owned by root (a
    /// user the image ships or a bare uid; not a user the file creates,
    /// whose folders the file looks after).
    notes_ownership: bool,
}

impl Plan {
    fn named(name: &str, id: Option<&str>, create: Option<String>) -> Self {
        let (user, name) = match id {
            Some(id) => (id.to_owned(), Some(name.to_owned())),
            None => (name.to_owned(), None),
        };
        Plan {
            user,
            name,
            create,
            owner: None,
            notes_ownership: true,
        }
    }
}

fn plan(
    stages: &[Stage<'_, '_>],
    chain: &[usize],
    words: &[StageWords<'_>],
    base: &str,
    id: &str,
    name: &str,
) -> Plan {
    if let Some((user, id)) = images::shipped_user(base) {
        return Plan::named(user, Some(id), None);
    }
    // A user the Dockerfile creates itself (the last one made).
    let created = words
        .iter()
        .flat_map(|stage| stage.iter().rev())
        .find_map(|words| created_user(words));
    if let Some((user, uid)) = created {
        return Plan {
            notes_ownership: false,
            ..Plan::named(&user, uid.as_deref(), None)
        };
    }
    let family = match images::family(base) {
        Family::Unknown if windows_shell(stages, chain) => Family::Windows,
        Family::Unknown => family_from_package_manager(words),
        family => family,
    };
    let uid: u32 = id.parse().unwrap_or(1001);
    let (create, owner, user) = match family {
        Family::Debian => (
            format!(
                "groupadd{} --gid {id} {name} && useradd{} --no-log-init --uid {id} --gid {name} \
                 --no-create-home --shell /usr/sbin/nologin {name}",
                uid_range(uid, " --system", false),
                uid_range(uid, " --system", true),
            ),
            format!("{id}:{id}"),
            format!("{id}:{id}"),
        ),
        Family::Alpine => (
            format!(
                "addgroup -S -g {id} {name} && adduser -S -D -H -u {id} -G {name} -s /sbin/nologin {name}"
            ),
            format!("{id}:{id}"),
            format!("{id}:{id}"),
        ),
        Family::Rhel => (
            format!(
                "useradd{} -l -u {id} -g 0 -M -s /sbin/nologin {name}",
                uid_range(uid, " -r", true)
            ),
            format!("{id}:0"),
            id.to_owned(),
        ),
        Family::Distroless => {
            let (user, id) = images::NONROOT;
            return Plan::named(user, Some(id), None);
        }
        Family::Windows => {
            return Plan {
                notes_ownership: false,
                ..Plan::named(WINDOWS_USER, None, None)
            };
        }
        Family::Unknown => return Plan::named(&format!("{id}:{id}"), None, None),
    };
    Plan {
        user,
        name: Some(name.to_owned()),
        create: Some(create),
        owner: Some(owner),
        notes_ownership: true,
    }
}

/// The options that keep shadow's `useradd` from warning about the uid in
/// the build log: it warns about a uid outside the range of its kind of
/// user (system users below 1000, others from 1000 to 60000 on Debian and
/// RHEL). `system` is the option for a system user; `user` asks for
/// `useradd`'s (`groupadd` does not warn about a gid above the range).
fn uid_range(uid: u32, system: &'static str, user: bool) -> String {
    match uid {
        0..1000 => system.to_owned(),
        1000..=60000 => String::new(),
        _ if user => format!(" -K UID_MAX={uid}"),
        _ => String::new(),
    }
}

/// Whether a stage of the chain sets a shell that is not POSIX (PowerShell,
/// `cmd`): a Windows image whatever its name.
fn windows_shell(stages: &[Stage<'_, '_>], chain: &[usize]) -> bool {
    chain
        .iter()
        .flat_map(|&i| stages[i].instructions.iter())
        .any(|i| {
            matches!(i, Instruction::Shell(shell)
            if shell.arguments.first().is_some_and(|a| !runs::is_posix_shell(&a.value)))
        })
}

/// The family told by the package manager the stages use.
fn family_from_package_manager(words: &[StageWords<'_>]) -> Family {
    for stage in words {
        for words in stage {
            for word in words {
                match program_name(word) {
                    "apt-get" | "apt" => return Family::Debian,
                    "apk" => return Family::Alpine,
                    "dnf" | "yum" => return Family::Rhel,
                    // microdnf is the package manager of minimal images, which have no useradd.
                    "microdnf" => return Family::Unknown,
                    _ => {}
                }
            }
        }
    }
    Family::Unknown
}

/// Options of `useradd` / `adduser` (shadow, Debian and BusyBox) that take a value.
const OPTIONS_WITH_VALUE: &[&str] = &[
    "-b",
    "-c",
    "-d",
    "-e",
    "-f",
    "-g",
    "-G",
    "-h",
    "-k",
    "-K",
    "-p",
    "-s",
    "-u",
    "-R",
    "-P",
    "-Z",
    "--base-dir",
    "--comment",
    "--home-dir",
    "--home",
    "--expiredate",
    "--inactive",
    "--gid",
    "--groups",
    "--skel",
    "--key",
    "--password",
    "--shell",
    "--uid",
    "--root",
    "--prefix",
    "--selinux-user",
    "--ingroup",
    "--gecos",
    "--firstuid",
    "--lastuid",
    "--firstgid",
    "--lastgid",
    "--conf",
];

/// The name of the user a `useradd` / `adduser` in `text` creates (the
/// last one), when it is a plain name, and its uid when the command sets a
/// plain number.
fn created_user(words: &[Cow<'_, str>]) -> Option<(String, Option<String>)> {
    let mut found = None;
    for (i, word) in words.iter().enumerate() {
        let command_position = i == 0
            || is_separator(&words[i - 1])
            || matches!(
                &*words[i - 1],
                "sudo" | "exec" | "then" | "do" | "else" | "!"
            );
        if !command_position || !matches!(program_name(word), "useradd" | "adduser") {
            continue;
        }
        let mut args = words[i + 1..].iter().take_while(|w| !is_separator(w));
        let (mut name, mut uid) = (None, None);
        while let Some(arg) = args.next() {
            if let Some(value) = arg.strip_prefix("--uid=") {
                uid = Some(value.to_owned());
            } else if arg.starts_with('-') {
                if OPTIONS_WITH_VALUE.contains(&&**arg) {
                    let value = args.next();
                    if matches!(&**arg, "-u" | "--uid") {
                        uid = value.map(|v| v.to_string());
                    }
                }
                continue;
            } else {
                name = Some(arg.to_string());
                break;
            }
        }
        let uid =
            uid.filter(|u| !u.is_empty() && u.bytes().all(|b| b.is_ascii_digit()) && !is_root(u));
        if let Some(name) = name.filter(|n| is_plain_name(n) && n != "root") {
            found = Some((name, uid));
        }
    }
    found
}

fn is_plain_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'))
        && !name.starts_with('-')
}

/// A port below 1024 the stages expose, if any.
fn privileged_port(stages: &[Stage<'_, '_>], chain: &[usize]) -> Option<u16> {
    chain
        .iter()
        .flat_map(|&i| stages[i].instructions.iter())
        .find_map(|i| {
            let Instruction::Expose(expose) = i else {
                return None;
            };
            expose.arguments.iter().find_map(|port| {
                let number = port.value.split(['/', '-']).next()?;
                number.parse::<u16>().ok().filter(|&p| p < 1024)
            })
        })
}

/// The rough words of each shell text of a stage.
type StageWords<'t> = Vec<Vec<Cow<'t, str>>>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn root_users() {
        for user in [
            "root",
            "0",
            "0:0",
            "root:root",
            "00",
            "ContainerAdministrator",
        ] {
            assert!(is_root(user), "{user}");
        }
        for user in ["app", "1001", "1001:0", "node", ""] {
            assert!(!is_root(user), "{user}");
        }
    }

    fn start(texts: &[&str]) -> Vec<Vec<Cow<'static, str>>> {
        texts
            .iter()
            .map(|t| {
                rough_words(t)
                    .into_iter()
                    .map(|w| Cow::Owned(w.into_owned()))
                    .collect()
            })
            .collect()
    }

    #[test]
    fn programs_the_start_command_runs() {
        let programs = |texts: &[&str]| {
            start_programs(&start(texts))
                .map(str::to_owned)
                .collect::<Vec<_>>()
        };
        assert_eq!(programs(&["/usr/sbin/named -u bind -f"]), ["named"]);
        assert_eq!(programs(&["sh -c nginx -g 'daemon off;'"]), ["sh", "nginx"]);
        assert_eq!(programs(&["tini -- app --cron"]), ["app"]);
        assert_eq!(
            programs(&["python ping.py && exec gunicorn app"]),
            ["python", "gunicorn"]
        );
        assert_eq!(
            start_script(&start(&["/entrypoint.sh"])),
            Some("/entrypoint.sh")
        );
        assert_eq!(
            start_script(&start(&["bash /opt/run", "x"])),
            Some("/opt/run")
        );
        assert_eq!(start_script(&start(&["bash -c app"])), None);
    }

    #[test]
    fn paths_the_start_command_writes() {
        let written = |text: &str, cwd: Option<&str>| written_paths(&start(&[text]), cwd);
        let (paths, notes) = written(
            "sh -c app 2>&1 | tee -a /var/log/app.log > out.txt",
            Some("/srv"),
        );
        assert_eq!(
            paths,
            [
                Written::File("/var/log/app.log".into()),
                Written::File("/srv/out.txt".into())
            ]
        );
        assert!(notes.is_empty());
        let (paths, _) = written(
            "gunicorn --access-logfile - --log-file=/logs/g.log --pid-file /run/g.pid",
            None,
        );
        assert_eq!(
            paths,
            [
                Written::File("/logs/g.log".into()),
                Written::File("/run/g.pid".into())
            ]
        );
        let (paths, notes) = written("app --data-dir data >>$LOG", None);
        assert_eq!(
            paths,
            [
                Written::Unknown("data".into()),
                Written::Unknown("$LOG".into())
            ]
        );
        assert_eq!(notes.len(), 2);
        assert_eq!(redirection("2>>x"), Some("x"));
        assert_eq!(redirection("&>"), Some(""));
        assert_eq!(redirection("<in"), None);
    }

    #[test]
    fn no_uid_warnings() {
        assert_eq!(uid_range(999, " --system", true), " --system");
        assert_eq!(uid_range(1001, " --system", true), "");
        assert_eq!(uid_range(60000, " -r", true), "");
        assert_eq!(uid_range(65532, " --system", true), " -K UID_MAX=65532");
        assert_eq!(uid_range(65532, " --system", false), "");
    }

    #[test]
    fn users_the_file_creates() {
        let created = |t: &str| created_user(&rough_words(t));
        let named = |name: &str, uid: Option<&str>| Some((name.to_owned(), uid.map(str::to_owned)));
        assert_eq!(
            created("useradd -r -u 999 -g app -s /bin/false appuser"),
            named("appuser", Some("999"))
        );
        assert_eq!(
            created("adduser --system --group --home /srv svc"),
            named("svc", None)
        );
        assert_eq!(
            created("addgroup -S g && adduser -S -D -H -G g -u 10 web"),
            named("web", Some("10"))
        );
        assert_eq!(
            created("useradd --uid=2000 svc"),
            named("svc", Some("2000"))
        );
        assert_eq!(created("useradd -u \"$UID\" svc"), named("svc", None));
        assert_eq!(created("useradd -u 0 -o admin"), named("admin", None));
        assert_eq!(created("adduser -D user && echo hi"), named("user", None));
        assert_eq!(created("useradd -m \"$USER\""), None);
        assert_eq!(created("apt-get install -y adduser"), None);
        assert_eq!(created("apt-get install -y adduser sudo"), None);
    }

    #[test]
    fn words_for_recognising_programs() {
        assert_eq!(
            rough_words("set -e; exec gosu \"$U\" app"),
            ["set", "-e", ";", "exec", "gosu", "$U", "app"]
        );
        assert_eq!(program_name("/usr/local/bin/su-exec"), "su-exec");
    }
}
