//! GitHub Actions workflow commands: one `::warning` annotation per finding
//! and one `::error` per file that could not be processed, shown on the
//! lines of the pull request's diff.

use std::fmt::Write as _;

use crate::report::Outcome;

/// Escapes a message (`%`, CR and LF), as the runner reads it back.
fn data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value: as a message, plus `:` and `,`.
fn property(text: &str) -> String {
    data(text).replace(':', "%3A").replace(',', "%2C")
}

pub fn render(outcome: &Outcome) -> String {
    let mut out = String::new();
    for error in &outcome.errors {
        let _ = writeln!(out, "::error title=dockerfix::{}", data(error));
    }
    for report in &outcome.reports {
        let file = property(&report.name);
        if let Some(error) = &report.error {
            let place = error
                .at
                .map(|(line, col)| format!(",line={line},col={col}"))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "::error title=dockerfix,file={file}{place}::{}",
                data(&error.message)
            );
        }
        for f in &report.findings {
            let fix = if f.fixable {
                " (fixable with `dockerfix fix`)".to_owned()
            } else if let Some(option) = f.fixable_with() {
                format!(" (fixable with `dockerfix fix {option}`)")
            } else {
                String::new()
            };
            let _ = writeln!(
                out,
                "::warning title={},file={file},line={},col={},endLine={},endColumn={}::{}",
                property(&format!("dockerfix ({})", f.rule)),
                f.start.line,
                f.start.column,
                f.end.line,
                f.end.column,
                data(&format!("{}{fix}", f.message)),
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping() {
        assert_eq!(data("50% a\r\nb"), "50%25 a%0D%0Ab");
        assert_eq!(property("a:b,c"), "a%3Ab%2Cc");
    }
}
