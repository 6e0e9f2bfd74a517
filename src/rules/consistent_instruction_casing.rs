//! ## What it does
//! Writes every instruction keyword in the casing most of the file's
//! keywords use: `From` and `copy` in a file of upper-case instructions
//! become `FROM` and `COPY`.
//!
//! ## Why is this bad?
//! Dockerfile keywords are case-insensitive, but a file that mixes casings
//! is harder to read and to search. BuildKit warns about it
//! (ConsistentInstructionCasing).
//!
//! As BuildKit counts: the keywords of the stages (`FROM` and the
//! instructions after it, not the `ARG`s before the first `FROM`, not the
//! instruction inside an `ONBUILD`) vote for lower or upper case; mixed
//! keywords such as `From` do not vote and are always reported; a tie is
//! upper case.
//!
//! ## Example
//! ```dockerfile
//! FROM alpine
//! copy app /app
//! RUN make
//! ```
//!
//! Use instead:
//! ```dockerfile
//! FROM alpine
//! COPY app /app
//! RUN make
//! ```
//!
//! ## Fix safety
//! Safe: only the keyword's letters change case.

use super::{FixKind, Report, Rule};
use crate::document::{Document, keyword_span};
use crate::edits::{Applicability, Edit, Fix};

pub static RULE: Rule = Rule {
    id: "consistent-instruction-casing",
    codes: &["ConsistentInstructionCasing"],
    fix: FixKind::Always(Applicability::Safe),
    summary: "Write instruction keywords in the casing most of the file uses",
    source: include_str!("consistent_instruction_casing.rs"),
    check,
};

fn check(doc: &Document<'_>, report: &mut Report) {
    let keywords = || {
        doc.stages().flat_map(|stage| {
            let from = stage.from.from.span.clone();
            std::iter::once(from).chain(stage.instructions.iter().map(keyword_span))
        })
    };
    let (mut lower, mut upper) = (0, 0);
    for span in keywords() {
        match casing(&doc.text[span]) {
            Casing::Lower => lower += 1,
            Casing::Upper => upper += 1,
            Casing::Mixed => {}
        }
    }
    let majority = if lower > upper {
        Casing::Lower
    } else {
        Casing::Upper
    };
    for span in keywords().filter(|s| !s.is_empty()) {
        let keyword = &doc.text[span.clone()];
        if casing(keyword) == majority {
            continue;
        }
        let (wanted, name) = match majority {
            Casing::Lower => (keyword.to_ascii_lowercase(), "lowercase"),
            _ => (keyword.to_ascii_uppercase(), "uppercase"),
        };
        let message =
            format!("Command '{keyword}' should match the case of the command majority ({name})");
        // A keyword broken by a line continuation is left as it is.
        let fix = keyword
            .bytes()
            .all(|b| b.is_ascii_alphabetic())
            .then(|| Fix::safe(vec![Edit::replace(span.clone(), wanted)]));
        report.push(span, message, fix);
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Casing {
    Lower,
    Upper,
    Mixed,
}

/// How a keyword is written (without allocating: most files are checked,
/// few have anything to report).
fn casing(keyword: &str) -> Casing {
    if !keyword.bytes().any(|b| b.is_ascii_uppercase()) {
        Casing::Lower
    } else if !keyword.bytes().any(|b| b.is_ascii_lowercase()) {
        Casing::Upper
    } else {
        Casing::Mixed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn messages(text: &str) -> Vec<String> {
        crate::rules::messages_of(&RULE, text)
    }

    #[test]
    fn majority_and_ties() {
        assert_eq!(
            messages("from a\nCOPY a b\ncopy c d\n"),
            ["2: Command 'COPY' should match the case of the command majority (lowercase)"]
        );
        // A tie is upper case; mixed casing does not vote.
        assert_eq!(
            messages("From a\nRUN x\nrun y\n"),
            [
                "1: Command 'From' should match the case of the command majority (uppercase)",
                "3: Command 'run' should match the case of the command majority (uppercase)"
            ]
        );
        // Global ARGs and ONBUILD's inner keyword are not BuildKit's business.
        assert!(messages("arg V\nFROM a\nONBUILD run x\n").is_empty());
    }
}
