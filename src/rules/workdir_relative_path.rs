//! ## What it does
//! Makes a relative `WORKDIR` absolute where the directory it starts from
//! is known: `FROM alpine` + `WORKDIR app` becomes `WORKDIR /app`, and
//! after `WORKDIR /src` a `WORKDIR build` becomes `WORKDIR /src/build`.
//!
//! ## Why is this bad?
//! A relative `WORKDIR` is resolved against the previous working directory,
//! which may come from the base image: when the image changes its
//! `WORKDIR` upstream, the build silently works somewhere else. BuildKit
//! warns about the first relative `WORKDIR` of a stage that no absolute one
//! precedes (WorkdirRelativePath); hadolint about every relative one
//! (DL3000). Both are reported.
//!
//! ## Example
//! ```dockerfile
//! FROM debian:12
//! WORKDIR usr/src/app
//! ```
//!
//! Use instead:
//! ```dockerfile
//! FROM debian:12
//! WORKDIR /usr/src/app
//! ```
//!
//! ## Fix safety
//! Safe: the path written is the one BuildKit resolves to today. The
//! previous directory is known from the stage's own absolute `WORKDIR`s,
//! from the stage it is built on, or from the base image when it is
//! `scratch` or a system image that sets no `WORKDIR` (`alpine`, `debian`,
//! `ubuntu`, … start in `/`; `golang` in `/go`). Elsewhere (another image,
//! a `WORKDIR` with a variable before it, Windows) the `WORKDIR` is
//! reported without a fix. A path starting with a variable is left alone,
//! as hadolint does.

use parse_dockerfile::Instruction;

use super::{FixKind, Report, Rule};
use crate::document::Document;
use crate::edits::{Applicability, Edit, Fix};
use crate::runs;

pub static RULE: Rule = Rule {
    id: "workdir-relative-path",
    codes: &["WorkdirRelativePath", "DL3000"],
    fix: FixKind::Always(Applicability::Safe),
    summary: "Make a relative WORKDIR absolute",
    source: include_str!("workdir_relative_path.rs"),
    check,
};

fn check(doc: &Document<'_>, report: &mut Report) {
    for stage in runs::stages(doc) {
        for (position, instruction) in stage.instructions.iter().enumerate() {
            let Instruction::Workdir(workdir) = instruction else {
                continue;
            };
            let path = &workdir.arguments;
            if !is_relative(&path.value) {
                continue;
            }
            let message = format!(
                "Relative workdir {:?} can have unexpected results if the base image changes",
                path.value.trim_matches(['"', '\''])
            );
            let raw = &doc.text[path.span.clone()];
            let fix = stage
                .workdir_at(position)
                .filter(|base| runs::is_plain_path(base, doc.escape) && raw == path.value)
                .map(|base| {
                    // A plain path is written resolved, as the image records
                    // it; one with quotes or variables gets the base in front.
                    let edit = if runs::is_plain_path(raw, doc.escape) {
                        Edit::replace(path.span.clone(), runs::normal_path(base, raw))
                    } else {
                        let prefix = if base == "/" {
                            "/".to_owned()
                        } else {
                            format!("{base}/")
                        };
                        Edit::insert(path.span.start, prefix)
                    };
                    Fix::safe(vec![edit])
                });
            report.push(workdir.workdir.span.start..path.span.end, message, fix);
        }
    }
}

/// Relative as hadolint and BuildKit see it: quotes aside, not starting
/// with `/`, a variable, or a Windows drive (`C:`).
fn is_relative(path: &str) -> bool {
    let path = path.trim_start_matches(['"', '\'']);
    let drive = path.as_bytes().get(1) == Some(&b':')
        && path.as_bytes().first().is_some_and(u8::is_ascii_alphabetic);
    !(path.starts_with(['/', '$']) || drive || path.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths() {
        for path in ["app", "./app", "app/", "\"my dir\"", "a/$X", "\\app"] {
            assert!(is_relative(path), "{path}");
        }
        for path in ["/app", "$HOME/app", "\"/quoted\"", "C:\\app", "c:/app"] {
            assert!(!is_relative(path), "{path}");
        }
    }
}
