//! ## What it does
//! Reports a variable in a `FROM` line (image or `--platform`) that no
//! global `ARG` declares and that is not one of the platform ARGs BuildKit
//! defines (`BUILDPLATFORM`, `TARGETARCH`, …).
//!
//! ## Why is this bad?
//! A `FROM` can only use the `ARG`s declared before the first `FROM`; any
//! other variable is empty there, so `FROM node:${NODE_VERSION}` pulls
//! `node:` (an error) or, with a default, silently something else than
//! meant. Often it is a typo. BuildKit warns about it (UndefinedArgInFrom)
//! and suggests the closest declared name.
//!
//! ## Example
//! ```dockerfile
//! FROM node:${NODE_VERSION}-alpine
//! ```
//!
//! Use instead:
//! ```dockerfile
//! ARG NODE_VERSION=20
//! FROM node:${NODE_VERSION}-alpine
//! ```
//!
//! ## Fix safety
//! No fix: the value the author meant is not in the file.

use super::{FixKind, Report, Rule};
use crate::args::GlobalArgs;
use crate::document::Document;
use crate::lexer;

pub static RULE: Rule = Rule {
    id: "undefined-arg-in-from",
    codes: &["UndefinedArgInFrom"],
    fix: FixKind::None,
    summary: "FROM uses a variable no global ARG declares",
    source: include_str!("undefined_arg_in_from.rs"),
    check,
};

fn check(doc: &Document<'_>, report: &mut Report) {
    if !doc
        .stages()
        .any(|s| s.from.image.value.contains('$') || !s.from.options.is_empty())
    {
        return;
    }
    let Some(args) = GlobalArgs::of(doc) else {
        return;
    };
    for stage in doc.stages() {
        let from = stage.from;
        let platforms = from.options.iter().filter(|f| f.name.value == "platform");
        let words = std::iter::once(&from.image).chain(platforms.filter_map(|f| f.value.as_ref()));
        let span = from.from.span.start..from.image.span.end;
        for word in words {
            for name in lexer::variables(&word.value, doc.escape) {
                if args.knows(&name) {
                    continue;
                }
                let mut message = format!("FROM argument '{name}' is not declared");
                if let Some(suggestion) = lexer::suggestion(&name, args.names(), true) {
                    message.push_str(&format!(" (did you mean {suggestion}?)"));
                }
                report.push(span.clone(), message, None);
            }
        }
    }
}
