//! How a run's results are shown: `--format text|json|sarif|markdown|github`.
//! Every format is deterministic (files in path order, findings in file
//! order, no timestamps), so a bot can diff two runs.

pub mod github;
pub mod json;
pub mod markdown;
pub mod sarif;
pub mod text;

pub use text::{Style, file_diff, unified_diff};

use crate::report::Outcome;

/// An output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Finding lines (`check`) or unified diffs (`fix --dry-run`).
    Text,
    /// One JSON document (schema in the README).
    Json,
    /// SARIF 2.1.0, for code-scanning tools.
    Sarif,
    /// A summary for a pull-request body.
    Markdown,
    /// GitHub Actions annotations (`::warning file=…`).
    Github,
}

/// The report in `format`.
pub fn render(format: Format, outcome: &Outcome, style: Style) -> String {
    match format {
        Format::Text => text::render(outcome, style),
        Format::Json => json::render(outcome),
        Format::Sarif => sarif::render(outcome),
        Format::Markdown => markdown::render(outcome),
        Format::Github => github::render(outcome),
    }
}
