//! ## What it does
//! Lowercases a stage name that has capitals, with every reference to it:
//! `FROM golang AS Build` … `COPY --from=Build /app /app` becomes
//! `FROM golang AS build` … `COPY --from=build /app /app`; a later
//! `FROM Build` and `RUN --mount=…,from=Build` are renamed too.
//!
//! ## Why is this bad?
//! BuildKit lowercases stage names itself and finds stages without regard
//! to case, so `Build`, `build` and `BUILD` are one stage written three
//! ways. BuildKit warns about it (StageNameCasing).
//!
//! ## Example
//! ```dockerfile
//! FROM golang:1.23 AS Build
//! RUN go build -o /app .
//! FROM scratch
//! COPY --from=Build /app /app
//! ```
//!
//! Use instead:
//! ```dockerfile
//! FROM golang:1.23 AS build
//! RUN go build -o /app .
//! FROM scratch
//! COPY --from=build /app /app
//! ```
//!
//! ## Fix safety
//! Safe: BuildKit resolves stage names without regard to case (so does
//! `docker build --target`), so every reference finds the same stage. A
//! reference written with quotes or escapes is left as it is; it still
//! finds the stage. References inside `ONBUILD` are not renamed: they are
//! resolved in the builds that use the image, where this file's stages do
//! not exist.

use std::ops::Range;

use parse_dockerfile::{Flag, Instruction};

use super::{FixKind, Report, Rule};
use crate::document::Document;
use crate::edits::{Applicability, Edit, Fix};

pub static RULE: Rule = Rule {
    id: "stage-name-casing",
    codes: &["StageNameCasing"],
    fix: FixKind::Always(Applicability::Safe),
    summary: "Lowercase stage names, and every reference to them",
    source: include_str!("stage_name_casing.rs"),
    check,
};

fn check(doc: &Document<'_>, report: &mut Report) {
    for (index, stage) in doc.stages().enumerate() {
        let Some((_, name)) = &stage.from.as_ else {
            continue;
        };
        let lower = name.value.to_lowercase();
        if lower == name.value {
            continue;
        }
        let mut edits = Vec::new();
        if doc.text[name.span.clone()] == *name.value {
            edits.push(Edit::replace(name.span.clone(), lower.clone()));
        }
        for span in references(doc, index, &lower) {
            edits.push(Edit::replace(span, lower.clone()));
        }
        let fix = (!edits.is_empty()).then(|| Fix::safe(edits));
        let message = format!("Stage name '{}' should be lowercase", name.value);
        report.push(name.span.clone(), message, fix);
    }
}

/// Where the stage defined at `stage` (lowercase name `name`) is named
/// after its definition by a `FROM`, a `COPY --from` or a
/// `RUN --mount … from=`, written plainly and not in lowercase.
fn references(doc: &Document<'_>, stage: usize, name: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    for (index, other) in doc.stages().enumerate().skip(stage) {
        let image = &other.from.image;
        if index > stage && image.value.to_lowercase() == name {
            out.extend(plain(doc, &image.span, &image.value, name));
        }
        for instruction in other.instructions {
            let flags: &[Flag<'_>] = match instruction {
                Instruction::Copy(copy) => &copy.options,
                Instruction::Run(run) => &run.options,
                _ => continue,
            };
            for flag in flags {
                let Some(value) = &flag.value else { continue };
                match &*flag.name.value {
                    "from" if value.value.to_lowercase() == name => {
                        out.extend(plain(doc, &value.span, &value.value, name));
                    }
                    "mount" => out.extend(mount_from(doc, &value.span, name)),
                    _ => {}
                }
            }
        }
    }
    out
}

/// `span` when it holds `value` as written and not already as `name`.
fn plain(doc: &Document<'_>, span: &Range<usize>, value: &str, name: &str) -> Option<Range<usize>> {
    let raw = &doc.text[span.clone()];
    (raw == value && raw != name).then(|| span.clone())
}

/// The `from=` value of a `--mount` flag's fields, when it names the stage.
fn mount_from(doc: &Document<'_>, span: &Range<usize>, name: &str) -> Option<Range<usize>> {
    let raw = &doc.text[span.clone()];
    if raw.contains(['"', '\'', '\\', '`', '\n']) {
        return None;
    }
    let mut at = span.start;
    for field in raw.split(',') {
        let start = at;
        at += field.len() + 1;
        let Some((key, value)) = field.split_once('=') else {
            continue;
        };
        if key.trim().eq_ignore_ascii_case("from") && value.to_lowercase() == name && value != name
        {
            let value_start = start + key.len() + 1;
            return Some(value_start..value_start + value.len());
        }
    }
    None
}
