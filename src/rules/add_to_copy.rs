//! ## What it does
//! Replaces `ADD` with `COPY` where `ADD` only copies local files or folders.
//!
//! ## Why is this bad?
//! `ADD` also downloads URLs, clones git repositories and unpacks local tar
//! archives. Using it for a plain copy hides which of those the author meant
//! and invites surprises when a file turns out to be an archive; `COPY` says
//! exactly what happens (hadolint DL3020).
//!
//! ## Example
//! ```dockerfile
//! ADD --chown=app:app requirements.txt /app/
//! ```
//!
//! Use instead:
//! ```dockerfile
//! COPY --chown=app:app requirements.txt /app/
//! ```
//!
//! ## Fix safety
//! Safe: only the keyword changes and flags such as `--chown`, `--chmod`,
//! `--link` and `--exclude` stay. The rule leaves `ADD` alone wherever it may
//! do more than copy: a URL or git source, a source named like an archive
//! (`.tar`, `.tgz`, `.tar.gz`, `.xz`, `.zst`, …), a glob that could match
//! such a name, `--checksum`, `--keep-git-dir`, `--unpack` or any other flag
//! `COPY` lacks, heredoc sources, and sources built from variables (`$X`),
//! whose value it cannot know. Sources are read as BuildKit reads them,
//! quotes and escapes removed: `ADD "app.tgz" /x/` and `ADD app\.tgz /x/`
//! unpack `app.tgz` and stay `ADD`. `ADD` also unpacks a tar archive whatever its
//! name; a tar file named like a plain file (say `data.bin`) is the one case
//! the text cannot tell.

use parse_dockerfile::{AddInstruction, Instruction, Source};

use super::{FixKind, Report, Rule};
use crate::document::{Document, keyword_like};
use crate::edits::{Applicability, Edit, Fix};
use crate::words::build_word;

pub static RULE: Rule = Rule {
    id: "add-to-copy",
    codes: &["DL3020"],
    fix: FixKind::Always(Applicability::Safe),
    summary: "Use COPY instead of ADD for local files and folders",
    source: include_str!("add_to_copy.rs"),
    check,
};

/// Flags that `COPY` accepts with the same meaning.
const COPY_FLAGS: &[&str] = &["chown", "chmod", "link", "exclude", "parents"];

/// Name endings of files that `ADD` would unpack (or that are compressed, so
/// may be tar archives inside).
const ARCHIVE_ENDINGS: &[&str] = &[
    ".tar", ".tgz", ".taz", ".tbz", ".tbz2", ".tb2", ".txz", ".tlz", ".tzst", ".tzs", ".gz",
    ".bz2", ".xz", ".lz", ".lzma", ".lz4", ".zst", ".z",
];

fn check(doc: &Document<'_>, report: &mut Report) {
    for instruction in doc.all_instructions() {
        let Instruction::Add(add) = instruction else { continue };
        let keyword = &doc.text[add.add.span.clone()];
        let span = add.add.span.start..add.dest.span.end;
        match why_not_copy(add, doc.escape) {
            None => {
                let fix = Fix::safe(vec![Edit::replace(
                    add.add.span.clone(),
                    keyword_like(keyword, "COPY"),
                )]);
                report.push(span, "ADD copies only local files here: use COPY", Some(fix));
            }
            Some(Reason::Variable) => report.push(
                span,
                "ADD with a source built from a variable: use COPY if it is a local, non-archive file",
                None,
            ),
            Some(Reason::MaybeArchive) => report.push(
                span,
                "ADD with a glob that may match an archive: use COPY if no archive is meant to be unpacked",
                None,
            ),
            Some(Reason::DoesMore) => {}
        }
    }
}

enum Reason {
    /// ADD does something COPY cannot (download, clone, unpack, checksum):
    /// no finding at all.
    DoesMore,
    /// A source has a variable: reported without a fix.
    Variable,
    /// A glob could match an archive: reported without a fix.
    MaybeArchive,
}

/// Sources are read as BuildKit reads them: `ADD "app.tgz" /x/` unpacks
/// `app.tgz`.
fn why_not_copy(add: &AddInstruction<'_>, escape: char) -> Option<Reason> {
    if add.options.iter().any(|flag| !COPY_FLAGS.contains(&flag.name.value.as_ref())) {
        return Some(Reason::DoesMore);
    }
    let mut reason = None;
    for source in &add.src {
        let Source::Path(path) = source else { return Some(Reason::DoesMore) };
        // A quote left open is BuildKit's error: nothing to say.
        let Some(word) = build_word(&path.value, escape) else { return Some(Reason::DoesMore) };
        let path = word.value.as_str();
        if is_remote(path) || names_archive(path) {
            return Some(Reason::DoesMore);
        }
        if word.variables {
            reason = Some(Reason::Variable);
        } else if may_match_archive(path) {
            reason = reason.or(Some(Reason::MaybeArchive));
        }
    }
    reason
}

/// URLs and git references, as BuildKit recognises them for `ADD`.
fn is_remote(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    lower.contains("://")
        || lower.starts_with("git@")
        || lower.starts_with("github.com/")
        || scp_like(path)
}

/// `user@host:path`, the scp-like git syntax.
fn scp_like(path: &str) -> bool {
    let Some((user_host, _)) = path.split_once(':') else { return false };
    user_host.contains('@') && !user_host.contains('/')
}

fn names_archive(path: &str) -> bool {
    let name = path.trim_end_matches('/').rsplit('/').next().unwrap_or(path);
    let lower = name.to_ascii_lowercase();
    ARCHIVE_ENDINGS.iter().any(|ending| lower.ends_with(ending))
}

/// A glob whose last component ends in a wildcard or a character class
/// (`*`, `app-?`, `dist/*`) could match an archive name.
fn may_match_archive(path: &str) -> bool {
    let name = path.trim_end_matches('/').rsplit('/').next().unwrap_or(path);
    let Some(wild) = name.rfind(['*', '?', ']']) else { return false };
    // `*.txt`: the part after the last wildcard fixes the ending.
    let tail = &name[wild + 1..];
    !(tail.starts_with('.') && tail.len() > 1 && !tail.contains('['))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remote_sources() {
        assert!(is_remote("https://example.com/a.txt"));
        assert!(is_remote("git@github.com:user/repo.git"));
        assert!(is_remote("github.com/moby/buildkit"));
        assert!(!is_remote("src/app.py"));
        assert!(!is_remote("a@b/c:d"));
    }

    #[test]
    fn archives_and_globs() {
        assert!(names_archive("dist/app.tar.gz"));
        assert!(names_archive("rootfs.TXZ"));
        assert!(!names_archive("requirements.txt"));
        assert!(may_match_archive("*"));
        assert!(may_match_archive("dist/*"));
        assert!(may_match_archive("app-?"));
        assert!(!may_match_archive("*.txt"));
        assert!(!may_match_archive("conf/"));
    }
}
