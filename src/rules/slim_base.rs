//! ## What it does
//! Moves a stage from an official image's full variant to its slim one:
//! `python:3.12` → `python:3.12-slim`, `node:20` → `node:20-slim`,
//! `debian:bookworm` → `debian:bookworm-slim`, an `eclipse-temurin` or
//! `openjdk` JDK → its JRE in a stage that only runs Java, and a `golang`
//! image in a stage that runs no Go tool → the slim Debian release it is
//! built on.
//!
//! ## Why is this bad?
//! The full variants carry compilers, headers, version control and
//! documentation a program does not need at run time: `python:3.12` is
//! about 1 GB, `python:3.12-slim` about 130 MB. Every extra package is
//! download time, disk and attack surface (CVE scanners report them all).
//!
//! ## Example
//! ```dockerfile
//! FROM python:3.12
//! COPY app.py /app/
//! CMD ["python", "/app/app.py"]
//! ```
//!
//! Use instead:
//! ```dockerfile
//! FROM python:3.12-slim
//! COPY app.py /app/
//! CMD ["python", "/app/app.py"]
//! ```
//!
//! ## The variants
//! From the image descriptions on Docker Hub ("Image Variants"), each
//! entry with its source in [`VARIANTS`]: `python:<version>[-<suite>]` →
//! `<version>-slim[-<suite>]`; `node:<version>[-<suite>]` →
//! `<version>[-<suite>]-slim`; `debian:<suite or version>` → `…-slim`;
//! `eclipse-temurin:<version>[-jdk][-<os>]` → `<version>-jre[-<os>]`;
//! `openjdk:8`/`11` `[-jdk][-slim]` → `-jre[-slim]` (later versions have no
//! JRE tags); `golang:<version>-<suite>` → `debian:<suite>-slim`,
//! `golang:<version>-alpine<v>` → `alpine:<v>`.
//!
//! ## When there is no fix
//! The finding says why, and nothing changes, when the stage (or a stage
//! built on it):
//! - installs build tools or `-dev` packages (`gcc`, `build-essential`,
//!   `libpq-dev`): they belong in a builder stage (see `multi-stage`);
//! - calls a tool the full image has and the slim one lacks without
//!   installing it (`git`, `curl`, `wget`, `gcc`, `make` in python's and
//!   node's full images, which are built on `buildpack-deps`), also in
//!   `CMD`, `ENTRYPOINT` or `HEALTHCHECK`;
//! - runs a Java build tool (`javac`, `mvn`, `gradle`, `jar`) for a JDK, or
//!   a Go tool for `golang`.
//!
//! Tags with a digest or a variable, tags already slim, alpine or Windows,
//! and `golang` tags that name no Debian release are left alone.
//!
//! ## Fix safety
//! Unsafe: the slim variant lacks packages the program may load at run
//! time (a shared library a Python wheel links to, locales, timezone
//! data). `dockerfix fix --verified --unsafe-fixes` keeps the fix only
//! when the image still builds and its smoke command passes.

use parse_dockerfile::FromInstruction;

use super::{FixKind, Report, Rule};
use crate::document::Document;
use crate::edits::{Applicability, Edit, Fix};
use crate::runs;
use crate::stage_use::{self, COMPILERS};

pub static RULE: Rule = Rule {
    id: "slim-base",
    codes: &[],
    fix: FixKind::Always(Applicability::Unsafe),
    summary: "Use the slim variant of an official base image",
    source: include_str!("slim_base.rs"),
    check,
};

/// What the full variants of python and node have that the slim ones lack
/// (both are built on `buildpack-deps`, which adds version control and
/// compilers).
const BUILDPACK_TOOLS: &[&str] = &[
    "git",
    "curl",
    "wget",
    "gcc",
    "g++",
    "cc",
    "make",
    "ssh",
    "scp",
    "svn",
    "hg",
    "bzr",
    "pkg-config",
    "gpg",
    "dirmngr",
    "procps",
    "ps",
    "unzip",
    "xz",
];

/// Java build tools a JRE lacks.
const JAVA_BUILD: &[&str] = &[
    "javac", "jar", "jlink", "jpackage", "mvn", "mvnw", "gradle", "gradlew", "ant", "sbt",
];

/// Go tools the slim distro lacks.
const GO_TOOLS: &[&str] = &["go", "gofmt"];

/// One pattern of an official image's variants.
pub struct Variant {
    pub repository: &'static str,
    /// The slim tag of a full tag, or None when the tag is not a full one.
    pub slim: fn(&str) -> Option<String>,
    /// Tools the full variant has and the slim one lacks.
    pub lacks: &'static [&'static str],
    /// `Runtime`: only for stages that run none of `lacks` (they are the
    /// build tools of the image).
    pub runtime_only: bool,
    /// Where the pattern is described.
    pub source: &'static str,
}

/// The official images' variants, with their sources.
pub const VARIANTS: &[Variant] = &[
    Variant {
        repository: "python",
        slim: python_slim,
        lacks: BUILDPACK_TOOLS,
        runtime_only: false,
        source: "https://hub.docker.com/_/python (Image Variants: python:<version>-slim)",
    },
    Variant {
        repository: "node",
        slim: node_slim,
        lacks: BUILDPACK_TOOLS,
        runtime_only: false,
        source: "https://hub.docker.com/_/node (Image Variants: node:<version>-slim)",
    },
    Variant {
        repository: "debian",
        slim: debian_slim,
        lacks: &[],
        runtime_only: false,
        source: "https://hub.docker.com/_/debian (Image Variants: debian:<suite>-slim)",
    },
    Variant {
        repository: "eclipse-temurin",
        slim: temurin_jre,
        lacks: JAVA_BUILD,
        runtime_only: true,
        source: "https://hub.docker.com/_/eclipse-temurin (JRE images: <version>-jre)",
    },
    Variant {
        repository: "openjdk",
        slim: openjdk_jre,
        lacks: JAVA_BUILD,
        runtime_only: true,
        source: "https://hub.docker.com/_/openjdk (8 and 11: <version>-jre, <version>-jre-slim)",
    },
    Variant {
        repository: "golang",
        slim: golang_distro,
        lacks: GO_TOOLS,
        runtime_only: true,
        source: "https://hub.docker.com/_/golang (golang:<version>-<suite> is built on debian:<suite>)",
    },
];

/// Debian releases the official images are built on.
const SUITES: &[&str] = &["trixie", "bookworm", "bullseye", "buster", "stretch"];

/// A tag that names a variant dockerfix must not touch.
fn special(tag: &str) -> bool {
    [
        "slim",
        "alpine",
        "windows",
        "nanoserver",
        "servercore",
        "onbuild",
    ]
    .iter()
    .any(|w| tag.contains(w))
}

/// `3.12` or `3.12-bookworm` → `3.12-slim` / `3.12-slim-bookworm`.
fn python_slim(tag: &str) -> Option<String> {
    versioned_slim(tag, |version, suite| format!("{version}-slim-{suite}"))
}

/// `20` or `20-bookworm` → `20-slim` / `20-bookworm-slim`.
fn node_slim(tag: &str) -> Option<String> {
    versioned_slim(tag, |version, suite| format!("{version}-{suite}-slim"))
}

/// The slim tag of a `VERSION` or `VERSION-SUITE` tag; `with_suite` places
/// the suite (each image family orders the words its own way).
fn versioned_slim(tag: &str, with_suite: fn(&str, &str) -> String) -> Option<String> {
    if special(tag) {
        return None;
    }
    if tag == "latest" {
        return Some("slim".into());
    }
    match tag.split_once('-') {
        None => Some(format!("{tag}-slim")),
        Some((version, suite)) if SUITES.contains(&suite) => Some(with_suite(version, suite)),
        Some(_) => None,
    }
}

/// `bookworm`, `12`, `bookworm-20240110`, `stable` → `…-slim`.
fn debian_slim(tag: &str) -> Option<String> {
    if special(tag) {
        return None;
    }
    let release = tag.split('-').next().unwrap_or(tag);
    let known = SUITES.contains(&release)
        || ["stable", "oldstable", "testing", "unstable", "sid"].contains(&release)
        || release.chars().all(|c| c.is_ascii_digit() || c == '.') && !release.is_empty();
    let date = tag[release.len()..]
        .strip_prefix('-')
        .is_none_or(|d| d.len() == 8 && d.chars().all(|c| c.is_ascii_digit()));
    (known && date).then(|| format!("{tag}-slim"))
}

/// `17`, `17-jdk`, `17-jdk-jammy`, `17.0.9_9-jdk-jammy` → `…-jre…`.
pub(crate) fn temurin_jre(tag: &str) -> Option<String> {
    if special(tag) || tag.contains("jre") || tag == "latest" {
        return None;
    }
    if let Some((version, rest)) = tag.split_once("-jdk") {
        return Some(format!("{version}-jre{rest}"));
    }
    match tag.split_once('-') {
        None => Some(format!("{tag}-jre")),
        Some((version, os)) => Some(format!("{version}-jre-{os}")),
    }
}

/// openjdk `8`, `11`, `11-jdk`, `11-jdk-slim`, `11-slim` → `…-jre…`.
pub(crate) fn openjdk_jre(tag: &str) -> Option<String> {
    let version = tag.split('-').next().unwrap_or(tag);
    let major = version.split(['.', 'u']).next().unwrap_or(version);
    if !["8", "11"].contains(&major) || tag.contains("jre") {
        return None;
    }
    let rest = &tag[version.len()..];
    let rest = rest.strip_prefix("-jdk").unwrap_or(rest);
    match rest {
        "" | "-slim" | "-bullseye" | "-slim-bullseye" | "-buster" | "-slim-buster" => {
            Some(format!("{version}-jre{rest}"))
        }
        _ => None,
    }
}

/// `1.22-bookworm` → `debian:bookworm-slim`; `1.22-alpine3.19` →
/// `alpine:3.19`. A whole new reference (`repo:tag`), not a tag.
pub(crate) fn golang_distro(tag: &str) -> Option<String> {
    if let Some((_, alpine)) = tag.split_once("-alpine") {
        let version = if alpine.is_empty() { "latest" } else { alpine };
        return Some(format!("alpine:{version}"));
    }
    let suite = tag.rsplit('-').next()?;
    SUITES
        .contains(&suite)
        .then(|| format!("debian:{suite}-slim"))
}

/// An image reference split for the rule: the repository's Docker Hub
/// name, the tag (`latest` when none) and the byte range of what is
/// replaced (the tag with its `:`, or the empty end of a bare name).
struct Reference {
    repository: String,
    tag: String,
    tag_range: std::ops::Range<usize>,
}

fn reference(from: &FromInstruction<'_>, doc: &Document<'_>) -> Option<Reference> {
    let span = from.image.span.clone();
    let raw = &doc.text[span.clone()];
    // Escapes, quotes, variables, digests: left alone.
    if raw != from.image.value || raw.contains(['$', '@', '"', '\'']) {
        return None;
    }
    let repository = crate::images::repository(raw)?;
    let colon = raw.rfind(':').filter(|i| !raw[*i..].contains('/'));
    let (tag, tag_range) = match colon {
        Some(i) => (raw[i + 1..].to_owned(), span.start + i..span.end),
        None => ("latest".to_owned(), span.end..span.end),
    };
    Some(Reference {
        repository,
        tag,
        tag_range,
    })
}

/// The new text for the tag range: `:slim-tag`, or for golang the
/// reference of the distro in place of the whole image.
fn check(doc: &Document<'_>, report: &mut Report) {
    let stages = runs::stages(doc);
    for (index, stage) in doc.stages().enumerate() {
        let Some(found) = reference(stage.from, doc) else {
            continue;
        };
        let Some(variant) = VARIANTS.iter().find(|v| v.repository == found.repository) else {
            continue;
        };
        let Some(slim) = (variant.slim)(&found.tag) else {
            continue;
        };
        let image_span = stage.from.image.span.clone();
        let full = &doc.text[image_span.clone()];
        let (edit, shown) = if variant.repository == "golang" {
            (
                Edit::replace(image_span.clone(), slim.clone()),
                slim.clone(),
            )
        } else {
            let text = format!(":{slim}");
            let shown = format!(
                "{}{text}",
                &doc.text[image_span.start..found.tag_range.start]
            );
            (Edit::replace(found.tag_range.clone(), text), shown)
        };
        let uses = stage_use::of(doc, &stages, index);
        match decline(variant, &uses) {
            Some(reason) => report.push(
                image_span,
                format!("{full} has a smaller variant, {shown}, but {reason}"),
                None,
            ),
            None => report.push(
                image_span,
                format!(
                    "{full} has a smaller variant: use {shown} (source: {})",
                    variant.source
                ),
                Some(Fix::unsafe_(vec![edit])),
            ),
        }
    }
}

/// Why the stage needs the full variant, if it visibly does.
fn decline(variant: &Variant, uses: &stage_use::StageUse) -> Option<String> {
    if uses.unreadable {
        return Some("a RUN of the stage could not be read".into());
    }
    if variant.runtime_only {
        let tools: Vec<&str> = variant
            .lacks
            .iter()
            .copied()
            .filter(|t| uses.programs.contains(*t))
            .collect();
        if !tools.is_empty() {
            return Some(format!(
                "the stage builds with {} (a builder stage needs the full image)",
                tools.join(", ")
            ));
        }
    }
    let build = uses.build_packages();
    if !build.is_empty() {
        return Some(format!(
            "the stage installs build tools or headers ({}): move the build to a builder stage (multi-stage)",
            build.join(", ")
        ));
    }
    let compiles: Vec<&str> = COMPILERS
        .iter()
        .copied()
        .filter(|c| uses.programs.contains(*c) && !uses.packages.contains(*c))
        .collect();
    if !compiles.is_empty() && !variant.lacks.is_empty() {
        return Some(format!("the stage compiles with {}", compiles.join(", ")));
    }
    if variant.runtime_only {
        return None;
    }
    let missing = uses.uses_missing(variant.lacks);
    if !missing.is_empty() {
        return Some(format!(
            "the stage uses {}, which the slim variant lacks (install {} in the stage first)",
            missing.join(", "),
            if missing.len() == 1 { "it" } else { "them" }
        ));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variant_tags() {
        assert_eq!(python_slim("3.12").as_deref(), Some("3.12-slim"));
        assert_eq!(
            python_slim("3.12-bookworm").as_deref(),
            Some("3.12-slim-bookworm")
        );
        assert_eq!(python_slim("3.12-slim"), None);
        assert_eq!(python_slim("3.12-alpine"), None);
        assert_eq!(
            node_slim("20-bookworm").as_deref(),
            Some("20-bookworm-slim")
        );
        assert_eq!(debian_slim("bookworm").as_deref(), Some("bookworm-slim"));
        assert_eq!(debian_slim("12.4").as_deref(), Some("12.4-slim"));
        assert_eq!(
            debian_slim("bookworm-20240110").as_deref(),
            Some("bookworm-20240110-slim")
        );
        assert_eq!(debian_slim("bookworm-backports"), None);
        assert_eq!(temurin_jre("17-jdk-jammy").as_deref(), Some("17-jre-jammy"));
        assert_eq!(temurin_jre("21").as_deref(), Some("21-jre"));
        assert_eq!(openjdk_jre("11-jdk-slim").as_deref(), Some("11-jre-slim"));
        assert_eq!(openjdk_jre("17-jdk"), None);
        assert_eq!(
            golang_distro("1.22-bookworm").as_deref(),
            Some("debian:bookworm-slim")
        );
        assert_eq!(
            golang_distro("1.22-alpine3.19").as_deref(),
            Some("alpine:3.19")
        );
        assert_eq!(golang_distro("1.22"), None);
    }
}
