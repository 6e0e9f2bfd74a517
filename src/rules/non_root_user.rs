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
//! COPY . /app
//! CMD ["python", "/app/main.py"]
//! ```
//!
//! Use instead:
//! ```dockerfile
//! FROM python:3.12-slim
//! COPY . /app
//! RUN groupadd --system --gid 1001 app && useradd --system --uid 1001 --gid app --no-create-home --shell /usr/sbin/nologin app
//! USER 1001:1001
//! CMD ["python", "/app/main.py"]
//! ```
//!
//! The user comes from what the stage's base image is: a user the image
//! ships (`node` → `USER 1000:1000`, the user `node`; distroless and
//! Chainguard → `USER 65532:65532`, the user `nonroot`), a user the
//! Dockerfile creates itself with `useradd` or `adduser`, a new system user
//! `app` (uid and gid 1001, no home, no login shell) made with the tools of
//! Debian/Ubuntu, Alpine/BusyBox or RHEL-like bases, or `USER 1001:1001`
//! where no user database can be relied on (`scratch`, minimal images,
//! unknown bases). Windows images, known by name or by a PowerShell or
//! `cmd` `SHELL`, get `USER ContainerUser` (`ContainerAdministrator` counts
//! as root; Nano Server runs as `ContainerUser` already). The `USER` line
//! is numeric wherever the uid is known (it is not known for a user the
//! Dockerfile creates without `-u`, nor on Windows): a name cannot be checked to be non-root by the host, so Kubernetes'
//! `runAsNonRoot` rejects it (hadolint DL3066). The base is found by
//! following `FROM <stage>` to the first image, and from the package
//! manager the stage uses when the image name says nothing.
//!
//! No fix is offered when the image drops privileges itself at start-up
//! (it installs or calls `gosu`, `su-exec`, `setpriv`, `runuser`,
//! `s6-setuidgid` or `chroot --userspec`, or it is an official database
//! image whose entrypoint does): a `USER` line would break that entrypoint.
//!
//! ## Options
//! `[rules.non-root-user]` `uid = 10001` and `user = "svc"` set the uid/gid
//! and the name of the user the fix creates (default 1001 and `app`).
//!
//! ## Fix safety
//! Unsafe: the program runs as another user, so files it writes, ports
//! below 1024 it binds (the message says when the stage exposes one) and
//! paths owned by root behave differently. Only the last stage changes.

use std::borrow::Cow;

use parse_dockerfile::{Command, Instruction, Stage};

use super::{FixKind, Report, Rule};
use crate::document::{Document, keyword_like, keyword_span};
use crate::edits::{Applicability, Edit, Fix};
use crate::images::{self, Family};
use crate::runs;
use crate::shell::program_name;
use crate::words::logical_line;

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
    let Some(last) = stages.len().checked_sub(1) else { return };
    let chain = stage_chain(&stages, last);
    let base = stages[*chain.last().unwrap_or(&last)].from.image.value.as_ref();
    let final_stage = &stages[last];

    // The user in force at the end: the last USER of the stage, else of the
    // stages it is built on, else the image's default.
    let last_user = chain.iter().find_map(|&i| last_user_instruction(&stages[i]));
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
    let texts: Vec<Vec<String>> = chain.iter().map(|&i| shell_texts(doc, &stages[i]).collect()).collect();
    let words: Vec<Vec<Vec<Cow<'_, str>>>> =
        texts.iter().map(|stage| stage.iter().map(|t| rough_words(t)).collect()).collect();
    if let Some(reason) = drops_privileges(&stages, &chain, &words, base) {
        report.push(span, format!("{what}, but {reason}; a USER line would break it"), None);
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
    let keyword = |k: &str| keyword_like(&doc.text[final_stage.from.from.span.clone()], k);
    let le = doc.line_ending;
    let user_line = format!("{} {}", keyword("USER"), plan.user);

    // After the last instruction of the stage that may need root.
    let steps = final_stage.instructions.iter().rposition(is_build_step);
    let edit = match steps.map(|i| &final_stage.instructions[i]) {
        // `USER root` last: give it the new user when nothing must be created.
        Some(Instruction::User(user)) if plan.create.is_none() => {
            Edit::replace(user.arguments.span.clone(), plan.user.clone())
        }
        _ => {
            let next = steps.map_or(0, |i| i + 1);
            let next_keyword = final_stage
                .instructions
                .get(next)
                .map_or_else(|| next_stage_start(doc, &stages, last), |i| keyword_span(i).start);
            let Some((at, newline_first)) = doc.insertion_point(next_keyword) else {
                report.push(span, format!("{what}: switch to a non-root user"), None);
                return;
            };
            let mut text = String::new();
            if newline_first {
                text.push_str(le);
            }
            // A blank line after a heredoc's terminator: hadolint cannot
            // read an instruction right below one.
            let after_heredoc = steps.is_some_and(|i| {
                matches!(&final_stage.instructions[i], Instruction::Run(run) if !run.here_docs.is_empty())
            });
            let blank_before = ["\n\n", "\n\r\n"].iter().any(|e| doc.text[..at].ends_with(e));
            if after_heredoc && (newline_first || !blank_before) {
                text.push_str(le);
            }
            if let Some(create) = &plan.create {
                text.push_str(&format!("{} {create}{le}", keyword("RUN")));
            }
            text.push_str(&user_line);
            // At the end of a file without a final newline, it stays without.
            if !newline_first {
                text.push_str(le);
            }
            Edit::insert(at, text)
        }
    };
    let mut message = format!("{what}: switch to a non-root user ({user_line}");
    if let Some(name) = &plan.name {
        message.push_str(&format!(", the user {name}"));
    }
    message.push(')');
    if let Some(port) = privileged_port(&stages, &chain) {
        message.push_str(&format!(
            "; note: it exposes port {port}, which a non-root user can bind only with \
             CAP_NET_BIND_SERVICE or a port of 1024 or above"
        ));
    }
    // The finding covers its edit: from the FROM (or the root USER) to where
    // the new lines go.
    let span = span.start..span.end.max(edit.range.end);
    report.push(span, message, Some(Fix::unsafe_(vec![edit])));
}

/// The stage and the stages it is built on (`FROM <stage>`), nearest first.
fn stage_chain(stages: &[Stage<'_, '_>], index: usize) -> Vec<usize> {
    let mut chain = vec![index];
    let mut current = index;
    while let Some(parent) = (0..current).rev().find(|&i| {
        stages[i]
            .from
            .as_
            .as_ref()
            .is_some_and(|(_, name)| name.value.eq_ignore_ascii_case(&stages[current].from.image.value))
    }) {
        chain.push(parent);
        current = parent;
    }
    chain
}

/// The last `USER` of a stage: its value and span.
fn last_user_instruction(stage: &Stage<'_, '_>) -> Option<(String, Option<std::ops::Range<usize>>)> {
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
    stages.get(index + 1).map_or(doc.text.len(), |s| s.from.from.span.start)
}

/// The texts a stage runs in its shell, continuation lines joined.
fn shell_texts<'s>(doc: &Document<'_>, stage: &'s Stage<'_, '_>) -> impl Iterator<Item = String> + 's {
    let escape = doc.escape;
    stage.instructions.iter().filter_map(move |i| {
        let command = match i {
            Instruction::Run(run) => &run.arguments,
            Instruction::Cmd(cmd) => &cmd.arguments,
            Instruction::Entrypoint(entrypoint) => &entrypoint.arguments,
            _ => return None,
        };
        let mut text = match command {
            Command::Shell(shell) => logical_line(shell.value, escape).0,
            Command::Exec(args) => args.value.iter().map(|a| a.value.as_ref()).collect::<Vec<_>>().join(" "),
            _ => return None,
        };
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
fn drops_privileges(stages: &[Stage<'_, '_>], chain: &[usize], words: &[StageWords<'_>], base: &str) -> Option<String> {
    for stage in words {
        for words in stage {
            if let Some(tool) = words.iter().find(|w| PRIVILEGE_DROPPERS.contains(&program_name(w))) {
                return Some(format!("it switches user at start-up itself ({})", program_name(tool)));
            }
            if words.windows(2).any(|w| program_name(&w[0]) == "chroot" && w[1].starts_with("--userspec")) {
                return Some("it switches user at start-up itself (chroot --userspec)".into());
            }
        }
    }
    let own_entrypoint = chain
        .iter()
        .any(|&i| stages[i].instructions.iter().any(|i| matches!(i, Instruction::Entrypoint(_))));
    if !own_entrypoint && images::drops_privileges(base) {
        return Some(format!("the entrypoint of {base} starts as root and switches user itself"));
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
}

impl Plan {
    fn named(name: &str, id: Option<&str>, create: Option<String>) -> Self {
        match id {
            Some(id) => Plan { user: id.into(), name: Some(name.into()), create },
            None => Plan { user: name.into(), name: None, create },
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
    let created = words.iter().flat_map(|stage| stage.iter().rev()).find_map(|words| created_user(words));
    if let Some((user, uid)) = created {
        return Plan::named(&user, uid.as_deref(), None);
    }
    let family = match images::family(base) {
        Family::Unknown if windows_shell(stages, chain) => Family::Windows,
        Family::Unknown => family_from_package_manager(words),
        family => family,
    };
    let create = match family {
        Family::Debian => format!(
            "groupadd --system --gid {id} {name} && useradd --system --uid {id} --gid {name} \
             --no-create-home --shell /usr/sbin/nologin {name}"
        ),
        Family::Alpine => format!(
            "addgroup -S -g {id} {name} && adduser -S -D -H -u {id} -G {name} -s /sbin/nologin {name}"
        ),
        Family::Rhel => {
            let create = format!("useradd -r -u {id} -g 0 -M -s /sbin/nologin {name}");
            return Plan::named(name, Some(id), Some(create));
        }
        Family::Distroless => {
            let (user, id) = images::NONROOT;
            return Plan::named(user, Some(id), None);
        }
        Family::Windows => return Plan::named(WINDOWS_USER, None, None),
        Family::Unknown => return Plan { user: format!("{id}:{id}"), name: None, create: None },
    };
    Plan::named(name, Some(&format!("{id}:{id}")), Some(create))
}

/// Whether a stage of the chain sets a shell that is not POSIX (PowerShell,
/// `cmd`): a Windows image whatever its name.
fn windows_shell(stages: &[Stage<'_, '_>], chain: &[usize]) -> bool {
    chain.iter().flat_map(|&i| stages[i].instructions.iter()).any(|i| {
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
    "-b", "-c", "-d", "-e", "-f", "-g", "-G", "-h", "-k", "-K", "-p", "-s", "-u", "-R", "-P", "-Z",
    "--base-dir", "--comment", "--home-dir", "--home", "--expiredate", "--inactive", "--gid",
    "--groups", "--skel", "--key", "--password", "--shell", "--uid", "--root", "--prefix",
    "--selinux-user", "--ingroup", "--gecos", "--firstuid", "--lastuid", "--firstgid",
    "--lastgid", "--conf",
];

/// The name of the user a `useradd` / `adduser` in `text` creates (the
/// last one), when it is a plain name, and its uid when the command sets a
/// plain number.
fn created_user(words: &[Cow<'_, str>]) -> Option<(String, Option<String>)> {
    let mut found = None;
    for (i, word) in words.iter().enumerate() {
        let command_position = i == 0
            || is_separator(&words[i - 1])
            || matches!(&*words[i - 1], "sudo" | "exec" | "then" | "do" | "else" | "!");
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
        let uid = uid.filter(|u| !u.is_empty() && u.bytes().all(|b| b.is_ascii_digit()) && !is_root(u));
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
    chain.iter().flat_map(|&i| stages[i].instructions.iter()).find_map(|i| {
        let Instruction::Expose(expose) = i else { return None };
        expose.arguments.iter().find_map(|port| {
            let number = port.value.split(['/', '-']).next()?;
            number.parse::<u16>().ok().filter(|&p| p < 1024)
        })
    })
}

/// The rough words of each shell text of a stage.
type StageWords<'t> = Vec<Vec<Cow<'t, str>>>;

/// Words of shell text for recognising programs: split at blanks and shell
/// operators, quotes removed. Not exact; never used to edit.
fn rough_words(text: &str) -> Vec<Cow<'_, str>> {
    fn push<'t>(words: &mut Vec<Cow<'t, str>>, word: &'t str, quoted: bool) {
        if !quoted {
            words.push(Cow::Borrowed(word));
            return;
        }
        let bare: String = word.chars().filter(|c| !matches!(c, '\'' | '"' | '\\')).collect();
        if !bare.is_empty() {
            words.push(Cow::Owned(bare));
        }
    }
    let mut words = Vec::new();
    let (mut start, mut quoted) = (0, false);
    for (i, b) in text.bytes().enumerate() {
        let separator = matches!(b, b';' | b'&' | b'|' | b'(' | b')' | b'`');
        if separator || matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c) {
            if start < i {
                push(&mut words, &text[start..i], quoted);
            }
            if separator {
                words.push(Cow::Borrowed(&text[i..i + 1]));
            }
            start = i + 1;
            quoted = false;
        } else if matches!(b, b'\'' | b'"' | b'\\') {
            quoted = true;
        }
    }
    if start < text.len() {
        push(&mut words, &text[start..], quoted);
    }
    words
}

fn is_separator(word: &str) -> bool {
    matches!(word, ";" | "&" | "|" | "(" | ")" | "`")
}


#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn root_users() {
        for user in ["root", "0", "0:0", "root:root", "00", "ContainerAdministrator"] {
            assert!(is_root(user), "{user}");
        }
        for user in ["app", "1001", "1001:0", "node", ""] {
            assert!(!is_root(user), "{user}");
        }
    }

    #[test]
    fn users_the_file_creates() {
        let created = |t: &str| created_user(&rough_words(t));
        let named = |name: &str, uid: Option<&str>| Some((name.to_owned(), uid.map(str::to_owned)));
        assert_eq!(created("useradd -r -u 999 -g app -s /bin/false appuser"), named("appuser", Some("999")));
        assert_eq!(created("adduser --system --group --home /srv svc"), named("svc", None));
        assert_eq!(created("addgroup -S g && adduser -S -D -H -G g -u 10 web"), named("web", Some("10")));
        assert_eq!(created("useradd --uid=2000 svc"), named("svc", Some("2000")));
        assert_eq!(created("useradd -u \"$UID\" svc"), named("svc", None));
        assert_eq!(created("useradd -u 0 -o admin"), named("admin", None));
        assert_eq!(created("adduser -D user && echo hi"), named("user", None));
        assert_eq!(created("useradd -m \"$USER\""), None);
        assert_eq!(created("apt-get install -y adduser"), None);
        assert_eq!(created("apt-get install -y adduser sudo"), None);
    }

    #[test]
    fn words_for_recognising_programs() {
        assert_eq!(rough_words("set -e; exec gosu \"$U\" app"), ["set", "-e", ";", "exec", "gosu", "$U", "app"]);
        assert_eq!(program_name("/usr/local/bin/su-exec"), "su-exec");
    }
}
