//! The text format: `path:line:col: rule message [*]` lines for `check`,
//! unified diffs for `fix --dry-run`; colours on a terminal.

use std::fmt::Write as _;

use rayon::prelude::*;
use similar::TextDiff;

use crate::report::{FileReport, Mode, Outcome};

/// The text report: finding lines (`check`) or diffs (`fix --dry-run`);
/// nothing for `fix` in place (its summary is on standard error). Files are
/// rendered in parallel (diffs cost), in their order.
pub fn render(outcome: &Outcome, style: Style) -> String {
    let parts: Vec<String> = outcome
        .reports
        .par_iter()
        .map(|report| render_file(report, outcome.mode, style))
        .collect();
    parts.concat()
}

fn render_file(report: &FileReport, mode: Mode, style: Style) -> String {
    let mut out = String::new();
    match mode {
        Mode::Check => {
            for f in &report.findings {
                let mark = if f.fixable { " [*]" } else { "" };
                let _ = writeln!(
                    out,
                    "{}:{}:{}: {} {}{mark}",
                    report.name,
                    f.line(),
                    f.column(),
                    style.bold(f.rule),
                    f.message
                );
            }
        }
        Mode::Fix { dry_run: true } => {
            if let Some((old, new)) = &report.change {
                out.push_str(&unified_diff(&report.name, old, new, style));
            }
            for (name, old, new) in &report.files {
                out.push_str(&file_diff(name, old.as_deref(), new, style));
            }
        }
        Mode::Fix { dry_run: false } => {}
    }
    out
}

/// The diff of another file a fix changes; a new file's against
/// `/dev/null`.
pub fn file_diff(name: &str, old: Option<&str>, new: &str, style: Style) -> String {
    let diff = unified_diff(name, old.unwrap_or(""), new, style);
    if old.is_some() {
        return diff;
    }
    match diff.split_once('\n') {
        Some((_, rest)) => format!("{}\n{rest}", style.bold("--- /dev/null")),
        None => diff,
    }
}

/// ANSI colours, used only when writing to a terminal.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub color: bool,
}

impl Style {
    fn paint(self, code: &str, text: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_owned()
        }
    }
    pub fn bold(self, text: &str) -> String {
        self.paint("1", text)
    }
    pub fn red(self, text: &str) -> String {
        self.paint("31", text)
    }
    pub fn green(self, text: &str) -> String {
        self.paint("32", text)
    }
    pub fn cyan(self, text: &str) -> String {
        self.paint("36", text)
    }
}

/// A unified diff of `old` → `new` with 3 lines of context and
/// `--- a/path` / `+++ b/path` headers; empty when the texts are equal.
pub fn unified_diff(path: &str, old: &str, new: &str, style: Style) -> String {
    if old == new {
        return String::new();
    }
    // `a/` and `b/` prefixes as git writes them (`patch -p1` applies it).
    let path = path.trim_start_matches('/');
    let diff = TextDiff::from_lines(old, new);
    let text = diff
        .unified_diff()
        .context_radius(3)
        .missing_newline_hint(true)
        .header(&format!("a/{path}"), &format!("b/{path}"))
        .to_string();
    if !style.color {
        return text;
    }
    let mut out = String::with_capacity(text.len() + 256);
    for line in text.split_inclusive('\n') {
        let (body, end) = match line.strip_suffix('\n') {
            Some(body) => (body, "\n"),
            None => (line, ""),
        };
        let painted = if body.starts_with("+++") || body.starts_with("---") {
            style.bold(body)
        } else if body.starts_with('+') {
            style.green(body)
        } else if body.starts_with('-') {
            style.red(body)
        } else if body.starts_with("@@") {
            style.cyan(body)
        } else {
            body.to_owned()
        };
        let _ = write!(out, "{painted}{end}");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diff_has_headers_and_hunks() {
        let diff = unified_diff(
            "x/Dockerfile",
            "FROM a\nADD b c\n",
            "FROM a\nCOPY b c\n",
            Style { color: false },
        );
        assert!(diff.starts_with("--- a/x/Dockerfile\n+++ b/x/Dockerfile\n@@ -1,2 +1,2 @@\n"));
        assert!(diff.contains("\n-ADD b c\n+COPY b c\n"));
        assert_eq!(
            unified_diff("p", "same", "same", Style { color: false }),
            ""
        );
    }

    #[test]
    fn missing_final_newline_is_marked() {
        let diff = unified_diff(
            "p",
            "FROM a\nADD b c",
            "FROM a\nCOPY b c",
            Style { color: false },
        );
        assert!(diff.contains("\\ No newline at end of file"), "{diff}");
    }

    #[test]
    fn colour_only_when_asked() {
        let diff = unified_diff("p", "a\n", "b\n", Style { color: true });
        assert!(diff.contains("\x1b[32m+b\x1b[0m"));
    }
}
