//! ## What it does
//! Reports `FROM --platform=` with a constant platform, such as
//! `FROM --platform=linux/amd64 node:20`, unless the stage's name says
//! which platform it is for (`AS build-amd64`).
//!
//! ## Why is this bad?
//! A constant platform pins the stage to one architecture: on an ARM
//! machine, or in a multi-platform build, the image runs emulated or holds
//! binaries for the wrong platform. BuildKit warns about it
//! (FromPlatformFlagConstDisallowed). `--platform=$BUILDPLATFORM` (build
//! tools that run on the builder) or no flag at all (the target platform)
//! is what is usually meant.
//!
//! ## Example
//! ```dockerfile
//! FROM --platform=linux/amd64 golang:1.23 AS build
//! ```
//!
//! Use instead:
//! ```dockerfile
//! FROM --platform=$BUILDPLATFORM golang:1.23 AS build
//! ```
//!
//! ## Fix safety
//! No fix: which of the two is right depends on what the stage does (a
//! cross-compiling stage wants `$BUILDPLATFORM`, a stage shipped in the
//! image wants no flag), and some images exist for one platform only.

use super::{FixKind, Report, Rule};
use crate::document::Document;
use crate::lexer;

pub static RULE: Rule = Rule {
    id: "from-platform-flag-const-disallowed",
    codes: &["FromPlatformFlagConstDisallowed"],
    fix: FixKind::None,
    summary: "FROM --platform with a constant platform",
    source: include_str!("from_platform_flag_const.rs"),
    check,
};

fn check(doc: &Document<'_>, report: &mut Report) {
    for stage in doc.stages() {
        let name = stage
            .from
            .as_
            .as_ref()
            .map(|(_, n)| n.value.to_lowercase())
            .unwrap_or_default();
        for flag in &stage.from.options {
            let Some(value) = flag
                .value
                .as_ref()
                .filter(|_| flag.name.value == "platform")
            else {
                continue;
            };
            let Ok(expansion) = lexer::expand(&value.value, doc.escape, &|_| None) else {
                continue;
            };
            if !(expansion.matched.is_empty() && expansion.unmatched.is_empty()) {
                continue;
            }
            let Some((os, architecture)) = platform(&expansion.value) else {
                continue;
            };
            if name.contains(os.as_str()) || name.contains(architecture.as_str()) {
                continue;
            }
            let message = format!(
                "FROM --platform flag should not use constant value {:?}",
                expansion.value
            );
            report.push(flag.span(), message, None);
        }
    }
}

/// The operating system and architecture of a platform string, normalised
/// as containerd's `platforms.Parse` does; `None` when it would not parse.
fn platform(text: &str) -> Option<(String, String)> {
    let parts: Vec<String> = text.split('/').map(str::to_lowercase).collect();
    let valid = |p: &String| {
        !p.is_empty()
            && p.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"_.-".contains(&b))
    };
    if !parts.iter().all(valid) {
        return None;
    }
    match parts.as_slice() {
        [one] if OPERATING_SYSTEMS.contains(&one.as_str()) => Some((os(one), "amd64".to_owned())),
        [one] => ARCHITECTURES
            .contains(&architecture(one))
            .then(|| ("linux".to_owned(), architecture(one).to_owned())),
        [system, arch] | [system, arch, _] => Some((os(system), architecture(arch).to_owned())),
        _ => None,
    }
}

const OPERATING_SYSTEMS: &[&str] = &[
    "aix",
    "android",
    "darwin",
    "dragonfly",
    "freebsd",
    "illumos",
    "ios",
    "js",
    "linux",
    "macos",
    "netbsd",
    "openbsd",
    "plan9",
    "solaris",
    "wasip1",
    "windows",
];

const ARCHITECTURES: &[&str] = &[
    "386", "amd64", "arm", "arm64", "loong64", "mips", "mips64", "mips64le", "mipsle", "ppc64",
    "ppc64le", "riscv64", "s390x", "wasm",
];

fn os(name: &str) -> String {
    if name == "macos" { "darwin" } else { name }.to_owned()
}

fn architecture(name: &str) -> &str {
    match name {
        "i386" => "386",
        "x86_64" | "x86-64" => "amd64",
        "aarch64" => "arm64",
        "armhf" | "armel" => "arm",
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn platforms() {
        let p = |s: &str| platform(s).map(|(o, a)| format!("{o}/{a}"));
        assert_eq!(p("linux/amd64").as_deref(), Some("linux/amd64"));
        assert_eq!(p("Linux/x86_64").as_deref(), Some("linux/amd64"));
        assert_eq!(p("linux/arm64/v8").as_deref(), Some("linux/arm64"));
        assert_eq!(p("aarch64").as_deref(), Some("linux/arm64"));
        assert_eq!(p("windows").as_deref(), Some("windows/amd64"));
        assert_eq!(p("nonsense"), None);
        assert_eq!(p("linux/"), None);
    }
}
