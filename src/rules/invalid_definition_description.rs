//! ## What it does
//! Reports a comment right above a named `FROM` or an `ARG` that does not
//! start with the stage's or argument's name, when the file turns on
//! BuildKit's experimental check with
//! `# check=experimental=InvalidDefinitionDescription` (or
//! `experimental=all`), as BuildKit does.
//!
//! ## Why is this bad?
//! `docker build --call=outline` and `--call=targets` show the comment
//! right above a stage or an `ARG` as its description when it starts with
//! the name (`# VERSION the release to build`). Any other comment there is
//! taken for a badly written description. BuildKit warns about it
//! (InvalidDefinitionDescription). A comment that is not meant as a
//! description can be separated by an empty `#` line.
//!
//! As BuildKit reads it: the comments since the previous instruction count
//! (blank lines do not separate them; an empty `#` line does), and the
//! last one is the description.
//!
//! ## Example
//! ```dockerfile
//! # check=experimental=InvalidDefinitionDescription
//! # the version to build
//! ARG VERSION=1
//! ```
//!
//! Use instead:
//! ```dockerfile
//! # check=experimental=InvalidDefinitionDescription
//! # VERSION the version to build
//! ARG VERSION=1
//! ```
//!
//! ## Fix safety
//! No fix: whether the comment is a description, and how to word it, is the
//! author's call.

use parse_dockerfile::Instruction;

use super::{FixKind, Report, Rule};
use crate::args;
use crate::check_directive::CheckOptions;
use crate::document::{Document, keyword_span};

pub static RULE: Rule = Rule {
    id: "invalid-definition-description",
    codes: &["InvalidDefinitionDescription"],
    fix: FixKind::None,
    summary: "A comment above a stage or ARG should start with its name (experimental)",
    source: include_str!("invalid_definition_description.rs"),
    check,
};

const CHECK: &str = "InvalidDefinitionDescription";

fn check(doc: &Document<'_>, report: &mut Report) {
    if !CheckOptions::of_file(doc).enables(CHECK) {
        return;
    }
    for instruction in &doc.dockerfile.instructions {
        let (keyword, names): (&str, Vec<String>) = match instruction {
            Instruction::From(from) => match &from.as_ {
                Some((_, name)) => ("FROM", vec![name.value.to_lowercase()]),
                None => continue,
            },
            Instruction::Arg(arg) => (
                "ARG",
                args::declared(&arg.arguments.value, doc.escape)
                    .into_iter()
                    .map(|(name, _)| name.to_owned())
                    .collect(),
            ),
            _ => continue,
        };
        let span = keyword_span(instruction);
        let comments = doc.leading_comments(span.start);
        let Some((_, description)) = comments.last() else {
            continue;
        };
        let first_word = description.split(' ').next().unwrap_or("");
        if names.is_empty() || names.iter().any(|n| n == first_word) {
            continue;
        }
        let example = if names.len() == 1 {
            names[0].as_str()
        } else {
            "<arg_key>"
        };
        let message =
            format!("Comment for {keyword} should follow the format: `# {example} <description>`");
        report.push(span, message, None);
    }
}
