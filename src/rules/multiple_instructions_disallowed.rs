//! ## What it does
//! Removes a `CMD`, `ENTRYPOINT` or `HEALTHCHECK` that a later one of the
//! same stage overrides, with the comment lines right above it.
//!
//! ## Why is this bad?
//! An image has one command, one entrypoint and one health check: only the
//! last of each in a stage counts, so the earlier ones mislead the reader
//! (often a leftover from debugging). BuildKit warns about it
//! (MultipleInstructionsDisallowed); hadolint too (DL4003 for `CMD`,
//! DL4004 for `ENTRYPOINT`, DL3012 for `HEALTHCHECK`). A stage built on
//! another may set its own: only instructions of one stage count.
//!
//! ## Example
//! ```dockerfile
//! FROM python:3.12
//! CMD ["python", "-m", "http.server"]
//! COPY app /app
//! CMD ["python", "/app/main.py"]
//! ```
//!
//! Use instead:
//! ```dockerfile
//! FROM python:3.12
//! COPY app /app
//! CMD ["python", "/app/main.py"]
//! ```
//!
//! ## Fix safety
//! Safe: the image's configuration is the same, since the later
//! instruction replaces what the earlier one set (an `ENTRYPOINT` clears
//! the base image's command only until the stage sets one, which holds
//! without the earlier instructions too). The removed lines are the
//! instruction's own and the comment lines directly above it (kept when a
//! blank line separates them).

use parse_dockerfile::{Command, HealthcheckArguments, Instruction};

use super::{FixKind, Report, Rule};
use crate::document::{Document, keyword_span};
use crate::edits::{Applicability, Edit, Fix};

pub static RULE: Rule = Rule {
    id: "multiple-instructions-disallowed",
    codes: &[
        "MultipleInstructionsDisallowed",
        "DL4003",
        "DL4004",
        "DL3012",
    ],
    fix: FixKind::Always(Applicability::Safe),
    summary: "Remove CMD/ENTRYPOINT/HEALTHCHECK that a later one of the stage overrides",
    source: include_str!("multiple_instructions_disallowed.rs"),
    check,
};

fn check(doc: &Document<'_>, report: &mut Report) {
    for stage in doc.stages() {
        for (i, instruction) in stage.instructions.iter().enumerate() {
            let Some(kind) = kind(instruction) else {
                continue;
            };
            let later = stage.instructions[i + 1..]
                .iter()
                .find(|other| self::kind(other) == Some(kind));
            let Some(later) = later else { continue };
            let name = &doc.text[keyword_span(later)];
            let message = format!(
                "Multiple {name} instructions should not be used in the same stage because only the last one will be used"
            );
            let span = keyword_span(instruction).start..end(instruction);
            let fix = removal(doc, &span).map(|edit| Fix::safe(vec![edit]));
            report.push(span, message, fix);
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Cmd,
    Entrypoint,
    Healthcheck,
}

fn kind(instruction: &Instruction<'_>) -> Option<Kind> {
    match instruction {
        Instruction::Cmd(_) => Some(Kind::Cmd),
        Instruction::Entrypoint(_) => Some(Kind::Entrypoint),
        Instruction::Healthcheck(_) => Some(Kind::Healthcheck),
        _ => None,
    }
}

/// Where the instruction's text ends.
fn end(instruction: &Instruction<'_>) -> usize {
    let command = |c: &Command<'_>| match c {
        Command::Exec(e) => e.span.end,
        Command::Shell(s) => s.span.end,
        _ => 0,
    };
    match instruction {
        Instruction::Cmd(c) => command(&c.arguments).max(c.cmd.span.end),
        Instruction::Entrypoint(e) => command(&e.arguments).max(e.entrypoint.span.end),
        Instruction::Healthcheck(h) => match &h.arguments {
            HealthcheckArguments::Cmd { arguments, .. } => command(arguments),
            HealthcheckArguments::None { none, .. } => none.span.end,
            _ => h.healthcheck.span.end,
        },
        other => keyword_span(other).end,
    }
}

/// The edit deleting the whole lines of `span` and the comment lines
/// directly above them; `None` when the line before those would continue
/// into what follows.
fn removal(doc: &Document<'_>, span: &std::ops::Range<usize>) -> Option<Edit> {
    let end = doc.line_end_inclusive(span.end.saturating_sub(1).max(span.start));
    let mut start = doc.line_start(span.start);
    while start > 0 {
        let above = doc.line_start(start - 1);
        if !doc.text[above..start].trim_start().starts_with('#') {
            break;
        }
        start = above;
    }
    if doc.text[..start].trim_end().ends_with(doc.escape) {
        return None;
    }
    Some(Edit::delete(start..end))
}
