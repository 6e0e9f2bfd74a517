//! ## What it does
//! Reports a `FROM` whose image name is empty or invalid when the global
//! `ARG`s keep their defaults: `ARG VERSION` then `FROM alpine:$VERSION`
//! names `alpine:`.
//!
//! ## Why is this bad?
//! The build works only when every caller passes `--build-arg`; a plain
//! `docker build` fails with an unhelpful error. BuildKit warns about it
//! (InvalidDefaultArgInFrom). Giving the `ARG` a default that makes a
//! valid name (`ARG VERSION=3.20`) keeps both ways working.
//!
//! ## Example
//! ```dockerfile
//! ARG IMAGE
//! FROM $IMAGE
//! ```
//!
//! Use instead:
//! ```dockerfile
//! ARG IMAGE=alpine:3.20
//! FROM $IMAGE
//! ```
//!
//! ## Fix safety
//! No fix: which default is right is the author's choice.

use super::{FixKind, Report, Rule};
use crate::args::GlobalArgs;
use crate::document::Document;
use crate::lexer;
use crate::registry::parse_reference;

pub static RULE: Rule = Rule {
    id: "invalid-default-arg-in-from",
    codes: &["InvalidDefaultArgInFrom"],
    fix: FixKind::None,
    summary: "FROM names an empty or invalid image when the ARGs keep their defaults",
    source: include_str!("invalid_default_arg_in_from.rs"),
    check,
};

fn check(doc: &Document<'_>, report: &mut Report) {
    for stage in doc.stages() {
        let image = &stage.from.image;
        let valid = if image.value.contains('$') {
            // BuildKit stops checking at the first name it cannot expand.
            let Some(args) = GlobalArgs::of(doc) else {
                return;
            };
            let Ok(name) = lexer::expand(&image.value, doc.escape, &|n| args.get(n)) else {
                return;
            };
            parse_reference(&name.value).is_ok()
        } else {
            parse_reference(&image.value).is_ok()
        };
        if valid {
            continue;
        }
        let message = format!(
            "Default value for ARG {} results in empty or invalid base image name",
            image.value
        );
        report.push(stage.from.from.span.start..image.span.end, message, None);
    }
}
