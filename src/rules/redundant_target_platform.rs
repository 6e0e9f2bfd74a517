//! ## What it does
//! Removes `--platform=$TARGETPLATFORM` from `FROM`: `FROM
//! --platform=$TARGETPLATFORM alpine` becomes `FROM alpine`.
//!
//! ## Why is this bad?
//! A `FROM` without `--platform` already pulls the image for the target
//! platform; the flag says nothing and suggests that something special
//! happens. BuildKit warns about it (RedundantTargetPlatform); hadolint too
//! (DL3065). `--platform=$BUILDPLATFORM`, which does change the platform,
//! is left alone.
//!
//! ## Example
//! ```dockerfile
//! FROM --platform=${TARGETPLATFORM} debian:12
//! ```
//!
//! Use instead:
//! ```dockerfile
//! FROM debian:12
//! ```
//!
//! ## Fix safety
//! Safe: both forms pull the target platform's image. The fix is not
//! offered when a global `ARG TARGETPLATFORM=…` gives the variable another
//! default (then the flag does pick another platform), for a value with a
//! fallback such as `${TARGETPLATFORM:-linux/amd64}` (BuildKit always sets
//! the variable, but the legacy builder does not and then uses the
//! fallback), nor when comment lines stand between `FROM` and the flag.

use super::{FixKind, Report, Rule};
use crate::args::GlobalArgs;
use crate::document::Document;
use crate::edits::{Applicability, Edit, Fix};
use crate::lexer;

pub static RULE: Rule = Rule {
    id: "redundant-target-platform",
    codes: &["RedundantTargetPlatform", "DL3065"],
    fix: FixKind::Always(Applicability::Safe),
    summary: "Remove FROM --platform=$TARGETPLATFORM (the default)",
    source: include_str!("redundant_target_platform.rs"),
    check,
};

const TARGET: &str = "TARGETPLATFORM";

fn check(doc: &Document<'_>, report: &mut Report) {
    let Some(args) = GlobalArgs::of(doc) else {
        return;
    };
    let overridden = args.has_default(TARGET);
    for stage in doc.stages() {
        let mut previous_end = stage.from.from.span.end;
        for flag in &stage.from.options {
            let flag_end = flag.span().end;
            let Some(value) = flag
                .value
                .as_ref()
                .filter(|_| flag.name.value == "platform")
            else {
                previous_end = flag_end;
                continue;
            };
            let Ok(expansion) = lexer::expand(&value.value, doc.escape, &|n| args.get(n)) else {
                continue;
            };
            let only_target = expansion.matched == [TARGET] && expansion.unmatched.is_empty();
            if !only_target || Some(&expansion.value) != args.get(TARGET).as_ref() {
                previous_end = flag_end;
                continue;
            }
            let gap = &doc.text[previous_end..flag.span().start];
            let plain = matches!(
                value.value.trim_matches('"'),
                "$TARGETPLATFORM" | "${TARGETPLATFORM}"
            );
            let fix = (plain && !overridden && !gap.contains('#'))
                .then(|| Fix::safe(vec![Edit::delete(previous_end..flag_end)]));
            let message = format!(
                "Setting platform to predefined {} in FROM is redundant as this is the default behavior",
                value.value
            );
            report.push(flag.span(), message, fix);
        }
    }
}
