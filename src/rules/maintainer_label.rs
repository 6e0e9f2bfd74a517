//! ## What it does
//! Replaces the deprecated `MAINTAINER` instruction with the standard
//! `org.opencontainers.image.authors` label.
//!
//! ## Why is this bad?
//! `MAINTAINER` has been deprecated since Docker 1.13; the OCI annotation
//! `org.opencontainers.image.authors` is what registries and scanners read
//! (hadolint DL4000, BuildKit MaintainerDeprecated).
//!
//! ## Example
//! ```dockerfile
//! MAINTAINER Jane Doe <jane@example.com>
//! ```
//!
//! Use instead:
//! ```dockerfile
//! LABEL org.opencontainers.image.authors="Jane Doe <jane@example.com>"
//! ```
//!
//! ## Fix safety
//! Safe: what the build runs is unchanged; the image records the author as
//! a label instead of the deprecated `Author` field. The value is quoted so
//! that `LABEL` keeps it verbatim (`"`, `$` and the escape character are
//! escaped, as `MAINTAINER` does not expand variables). When the stage
//! already sets `org.opencontainers.image.authors`, the `MAINTAINER` line is
//! removed instead, so the existing label keeps its value.
//!
//! ## Options
//! `[rules.maintainer-label]` `label = "maintainer"` writes another label
//! key instead of `org.opencontainers.image.authors`.

use parse_dockerfile::Instruction;

use super::{FixKind, Report, Rule};
use crate::document::{Document, keyword_like};
use crate::edits::{Applicability, Edit, Fix};

pub static RULE: Rule = Rule {
    id: "maintainer-label",
    codes: &["DL4000", "MaintainerDeprecated"],
    fix: FixKind::Always(Applicability::Safe),
    summary: "Replace deprecated MAINTAINER with the org.opencontainers.image.authors label",
    source: include_str!("maintainer_label.rs"),
    check,
};

const AUTHORS: &str = "org.opencontainers.image.authors";

fn check(doc: &Document<'_>, report: &mut Report) {
    let key = report
        .options()
        .maintainer_label
        .label
        .as_ref()
        .map_or(AUTHORS, |l| l.get_ref().as_str())
        .to_owned();
    for stage in doc.stages() {
        let has_authors_label = stage.instructions.iter().any(|i| {
            matches!(i, Instruction::Label(label) if label.arguments.value.contains(key.as_str()))
        });
        for instruction in stage.instructions {
            let Instruction::Maintainer(maintainer) = instruction else {
                continue;
            };
            let keyword = &doc.text[maintainer.maintainer.span.clone()];
            let span = maintainer.maintainer.span.start..maintainer.name.span.end;
            let edit = if has_authors_label {
                // The whole line goes, with its line ending, if nothing else is on it.
                let start = doc.line_start(span.start);
                let end = doc.line_end_inclusive(span.end);
                let line = &doc.text[start..end];
                if line.trim() != doc.text[span.clone()].trim() {
                    report.push(span, "MAINTAINER is deprecated", None);
                    continue;
                }
                Edit::delete(start..end)
            } else {
                let value = quote(&maintainer.name.value, doc.escape);
                Edit::replace(
                    span.clone(),
                    format!("{} {key}={value}", keyword_like(keyword, "LABEL")),
                )
            };
            report.push(
                span,
                format!("MAINTAINER is deprecated: use LABEL {key}"),
                Some(Fix::safe(vec![edit])),
            );
        }
    }
}

/// Double-quotes `value` for a `LABEL`, escaping what the Dockerfile word
/// lexer would otherwise interpret inside double quotes.
fn quote(value: &str, escape: char) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        if c == '"' || c == '$' || c == escape {
            out.push(escape);
        }
        out.push(c);
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn label_key_option() {
        let doc = Document::parse("FROM a\nMAINTAINER Jane\n").unwrap();
        let config = crate::config::file::parse(
            std::path::Path::new("dockerfix.toml"),
            "[rules.maintainer-label]\nlabel = \"maintainer\"\n",
        )
        .unwrap();
        let findings = crate::rules::check_with(
            &doc,
            &[&RULE],
            &config.rules,
            crate::rules::Context::default(),
        );
        let edit = &findings[0].fix.as_ref().unwrap().edits[0];
        assert_eq!(edit.content, "LABEL maintainer=\"Jane\"");
        assert!(findings[0].message.ends_with("use LABEL maintainer"));
    }

    #[test]
    fn quoting() {
        assert_eq!(quote("Jane <j@x>", '\\'), "\"Jane <j@x>\"");
        assert_eq!(quote("a \"b\" $c \\d", '\\'), r#""a \"b\" \$c \\d""#);
        assert_eq!(quote("a \"b\" `c \\d", '`'), "\"a `\"b`\" ``c \\d\"");
    }
}
