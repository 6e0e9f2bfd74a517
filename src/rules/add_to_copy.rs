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
//!
//! With the build context (the Dockerfile's folder, `[context]` or
//! `--context`) the rule reads the first bytes of each source that exists
//! there: a tar archive, or a compressed file (gzip is opened to see whether
//! a tar is inside; bzip2, xz, zstd and lzma count as archives), stays
//! `ADD` whatever its name, and a plain file becomes `COPY` even when its
//! name or a glob would have stopped the rule (`ADD notes.gz /x/` where
//! `notes.gz` is a gzip of a text file; `ADD conf/* /etc/app/` where every
//! match is plain). Folders and missing sources are judged by name.

use parse_dockerfile::{AddInstruction, Instruction, Source};

use super::{FixKind, Report, Rule};
use crate::context::{BuildContext, Kind};
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
        let Instruction::Add(add) = instruction else {
            continue;
        };
        let keyword = &doc.text[add.add.span.clone()];
        let span = add.add.span.start..add.dest.span.end;
        let by_name = why_not_copy(add, doc.escape);
        let reason = match report.context().build {
            Some(build) => by_content(add, doc.escape, build).unwrap_or(by_name),
            None => by_name,
        };
        match reason {
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
    if add
        .options
        .iter()
        .any(|flag| !COPY_FLAGS.contains(&flag.name.value.as_ref()))
    {
        return Some(Reason::DoesMore);
    }
    let mut reason = None;
    for source in &add.src {
        let Source::Path(path) = source else {
            return Some(Reason::DoesMore);
        };
        // A quote left open is BuildKit's error: nothing to say.
        let Some(word) = build_word(&path.value, escape) else {
            return Some(Reason::DoesMore);
        };
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

/// What the sources' contents say, when every source is local, has no
/// variable and is found in the context (a glob: its matches in a folder
/// named without wildcards): `DoesMore` when one is or may be an archive,
/// `None` (a plain copy) when all are plain files. `None` of the outer
/// option when the contents cannot decide.
fn by_content(
    add: &AddInstruction<'_>,
    escape: char,
    build: &BuildContext,
) -> Option<Option<Reason>> {
    if add
        .options
        .iter()
        .any(|flag| !COPY_FLAGS.contains(&flag.name.value.as_ref()))
    {
        return None;
    }
    let mut files = Vec::new();
    for source in &add.src {
        let Source::Path(path) = source else {
            return None;
        };
        let word = build_word(&path.value, escape)?;
        let path = word.literal()?;
        if is_remote(path) {
            return None;
        }
        files.extend(matches_in_context(path, build)?);
    }
    let mut archive = false;
    for file in &files {
        let head = build.head(file, 1024)?;
        archive |= may_be_tar(&head);
    }
    Some(if archive {
        Some(Reason::DoesMore)
    } else {
        None
    })
}

/// The context files a source names: itself, or a glob's matches in its
/// folder. `None` for a folder, a missing file, a glob without match or
/// with wildcards in its folder part.
fn matches_in_context(path: &str, build: &BuildContext) -> Option<Vec<String>> {
    let normal = crate::context::normalize(path)?;
    let (folder, name) = match normal.rsplit_once('/') {
        Some((folder, name)) => (folder.to_owned(), name.to_owned()),
        None => (String::new(), normal.clone()),
    };
    if !name.contains(['*', '?', '[']) {
        return (build.kind(&normal) == Some(Kind::File)).then(|| vec![normal]);
    }
    if folder.contains(['*', '?', '[']) {
        return None;
    }
    let glob = globset::GlobBuilder::new(&name)
        .literal_separator(true)
        .backslash_escape(true)
        .build()
        .ok()?
        .compile_matcher();
    let listing = build.list(&folder);
    let mut found = Vec::new();
    for (entry, kind) in listing.iter() {
        if !glob.is_match(entry) {
            continue;
        }
        if *kind == Kind::Dir {
            return None;
        }
        found.push(crate::ecosystems::join(&folder, entry));
    }
    (!found.is_empty()).then_some(found)
}

/// Whether `ADD` may unpack a file starting with `head`: a tar (its
/// `ustar` magic), a gzip holding one, or another compressed file.
fn may_be_tar(head: &[u8]) -> bool {
    if head.get(257..262) == Some(b"ustar") {
        return true;
    }
    if head.starts_with(&[0x1f, 0x8b]) {
        use std::io::Read;
        let mut inner = Vec::new();
        let _ = flate2::read::GzDecoder::new(head)
            .take(512)
            .read_to_end(&mut inner);
        // Too little to tell (a large first file): an archive it may be.
        return inner.len() < 262 || inner.get(257..262) == Some(b"ustar");
    }
    head.starts_with(b"BZh")
        || head.starts_with(&[0xfd, b'7', b'z', b'X', b'Z', 0])
        || head.starts_with(&[0x28, 0xb5, 0x2f, 0xfd])
        || head.starts_with(&[0x5d, 0, 0])
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
    let Some((user_host, _)) = path.split_once(':') else {
        return false;
    };
    user_host.contains('@') && !user_host.contains('/')
}

fn names_archive(path: &str) -> bool {
    let name = path
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or(path);
    let lower = name.to_ascii_lowercase();
    ARCHIVE_ENDINGS.iter().any(|ending| lower.ends_with(ending))
}

/// A glob whose last component ends in a wildcard or a character class
/// (`*`, `app-?`, `dist/*`) could match an archive name.
fn may_match_archive(path: &str) -> bool {
    let name = path
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or(path);
    let Some(wild) = name.rfind(['*', '?', ']']) else {
        return false;
    };
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
    fn tar_by_content() {
        let mut tar = vec![0u8; 512];
        tar[257..262].copy_from_slice(b"ustar");
        assert!(may_be_tar(&tar));
        assert!(!may_be_tar(b"plain text"));
        let gzip = |bytes: &[u8]| {
            use std::io::Write;
            let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
            gz.write_all(bytes).unwrap();
            gz.finish().unwrap()
        };
        assert!(may_be_tar(&gzip(&tar)));
        assert!(!may_be_tar(&gzip(&[b'x'; 600])));
        assert!(may_be_tar(b"BZh91AY"));
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
