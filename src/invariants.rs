//! The promises every fix keeps, checked on any text: used by the fuzz
//! targets, the property tests and the corpus mutation test.

use crate::document::{Document, split_bom};
use crate::edits::fix_until_stable;
use crate::rules;

/// What checking one text found.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Checked {
    pub parsed: bool,
    pub fixes_applied: usize,
}

/// Parses `source`, runs every rule, applies every fix (unsafe ones too) and
/// checks: each edit stays on the lines of the instruction its finding is
/// about; the fixed text parses with the same number of stages (a fix the
/// engine had to refuse counts as a failure here; `multi-stage` adds one);
/// fixing again is a no-op.
/// A text that does not parse is fine (it is reported, never fixed).
pub fn check_fix_invariants(source: &str) -> Result<Checked, String> {
    let (_, text) = split_bom(source);
    let Ok(doc) = Document::parse(text) else {
        return Ok(Checked::default());
    };
    let findings = rules::check(&doc, rules::ALL);
    for finding in &findings {
        let Some(fix) = &finding.fix else { continue };
        let lines = doc.line_start(finding.span.start)..doc.line_end_inclusive(finding.span.end);
        for edit in &fix.edits {
            if edit.range.start < lines.start || edit.range.end > lines.end {
                return Err(format!(
                    "{}: edit {:?} outside the lines {lines:?} of its finding",
                    finding.rule, edit.range
                ));
            }
        }
    }
    let check = |d: &Document<'_>| rules::check(d, rules::ALL);
    let once = fix_until_stable(&doc, &findings, check, true).map_err(|e| e.to_string())?;
    let fixed = Document::parse(&once.text).map_err(|e| format!("fixed text: {e}"))?;
    let added = usize::from(once.applied.contains(&crate::edits::ADDS_A_STAGE));
    if fixed.stage_count() != doc.stage_count() + added {
        return Err("the number of stages changed".into());
    }
    let again_findings = rules::check(&fixed, rules::ALL);
    let twice =
        fix_until_stable(&fixed, &again_findings, check, true).map_err(|e| e.to_string())?;
    if twice.text != once.text {
        return Err(format!(
            "not idempotent:\n{}\n---\n{}",
            once.text, twice.text
        ));
    }
    Ok(Checked {
        parsed: true,
        fixes_applied: once.applied.len(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn holds_for_a_fixable_file() {
        let checked = check_fix_invariants("FROM a\nMAINTAINER x\nADD a /a\nCMD exec b\n").unwrap();
        assert_eq!(
            checked,
            Checked {
                parsed: true,
                // maintainer-label, add-to-copy, exec-form, non-root-user
                fixes_applied: 4
            }
        );
        assert_eq!(
            check_fix_invariants("not a dockerfile").unwrap(),
            Checked::default()
        );
    }
}
