//! ## What it does
//! Lowercases the protocol of an `EXPOSE` port: `EXPOSE 80/TCP` becomes
//! `EXPOSE 80/tcp`.
//!
//! ## Why is this bad?
//! The image's configuration stores protocols in lowercase (`80/tcp`);
//! BuildKit lowercases them itself and warns that the file should say so
//! (ExposeProtoCasing).
//!
//! ## Example
//! ```dockerfile
//! EXPOSE 53/UDP 8080/TCP
//! ```
//!
//! Use instead:
//! ```dockerfile
//! EXPOSE 53/udp 8080/tcp
//! ```
//!
//! ## Fix safety
//! Safe: BuildKit exposes `80/tcp` for `80/TCP`; the image is the same.
//! Ports written with variables are not looked at (their value is known
//! only at build time); ports with quotes or escapes are reported without a
//! fix.

use super::{FixKind, Report, Rule};
use crate::document::Document;
use crate::edits::{Applicability, Edit, Fix};
use crate::lexer;
use parse_dockerfile::Instruction;

pub static RULE: Rule = Rule {
    id: "expose-proto-casing",
    codes: &["ExposeProtoCasing"],
    fix: FixKind::Always(Applicability::Safe),
    summary: "Write EXPOSE protocols in lowercase",
    source: include_str!("expose_proto_casing.rs"),
    check,
};

fn check(doc: &Document<'_>, report: &mut Report) {
    for (word, port) in ports(doc) {
        let Some((_, protocol)) = port.rsplit_once('/') else {
            continue;
        };
        if protocol == protocol.to_lowercase() {
            continue;
        }
        let raw = &doc.text[word.clone()];
        let fix = (raw == port).then(|| {
            let start = word.end - protocol.len();
            Fix::safe(vec![Edit::replace(
                start..word.end,
                protocol.to_lowercase(),
            )])
        });
        let message =
            format!("Defined protocol '{port}' in EXPOSE instruction should be lowercase");
        report.push(word, message, fix);
    }
}

/// Every port of the stages' `EXPOSE`s with its span, as BuildKit reads it
/// (quotes removed); ports with variables are left out.
pub fn ports(doc: &Document<'_>) -> Vec<(std::ops::Range<usize>, String)> {
    let mut out = Vec::new();
    for stage in doc.stages() {
        for instruction in stage.instructions {
            let Instruction::Expose(expose) = instruction else {
                continue;
            };
            for word in &expose.arguments {
                if word.value.contains('$') {
                    continue;
                }
                let Ok(port) = lexer::expand(&word.value, doc.escape, &|_| None) else {
                    continue;
                };
                out.push((word.span.clone(), port.value));
            }
        }
    }
    out
}
