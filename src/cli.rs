//! The command line (clap derive).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::output::Format;

const EXIT_CODES: &str = "\
Exit codes:
  0  nothing to fix, or everything was fixed in place
  1  `check` found something, `fix --dry-run` would change something, or
     `fix --exit-non-zero-on-fix` changed something
  2  an error: a file could not be read, parsed or written, a bad option or
     a bad configuration file";

#[derive(Debug, Parser)]
#[command(
    name = "dockerfix",
    version,
    about = "Rewrites Dockerfiles to follow container best practices, with the smallest edits.",
    after_help = EXIT_CODES
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Fix files in place, or show the fixes as a unified diff with --dry-run.
    #[command(after_help = EXIT_CODES)]
    Fix {
        /// Show a unified diff of the fixes and change nothing.
        #[arg(long, visible_alias = "diff")]
        dry_run: bool,
        /// Exit with 1 when a file was changed (for CI and hooks).
        #[arg(long)]
        exit_non_zero_on_fix: bool,
        #[command(flatten)]
        common: Common,
    },
    /// List findings (`path:line:col: rule message`, `[*]` = fixable) without changing anything.
    #[command(after_help = EXIT_CODES)]
    Check {
        #[command(flatten)]
        common: Common,
    },
    /// List every rule: id, the hadolint/BuildKit codes it answers, fix safety, summary.
    Rules,
    /// Show the full documentation of one rule (by id or code).
    Rule {
        /// A rule id such as `add-to-copy`, or a code such as `DL3020`.
        name: String,
    },
}

#[derive(Debug, Args)]
pub struct Common {
    /// Files or folders (searched for Dockerfile, Dockerfile.*, *.Dockerfile,
    /// *.dockerfile, Containerfile, Containerfile.*, respecting .gitignore).
    /// `-` reads standard input. Default: the current folder.
    pub paths: Vec<PathBuf>,
    /// Also apply fixes that may change the image's behaviour.
    #[arg(long, overrides_with = "no_unsafe_fixes")]
    pub unsafe_fixes: bool,
    /// Do not apply unsafe fixes, whatever the configuration says.
    #[arg(long, overrides_with = "unsafe_fixes")]
    pub no_unsafe_fixes: bool,
    /// Run only these rules (ids or hadolint/BuildKit codes, comma-separated).
    #[arg(long, value_delimiter = ',', value_name = "RULE")]
    pub select: Vec<String>,
    /// Do not run these rules (ids or codes, comma-separated).
    #[arg(long, value_delimiter = ',', value_name = "RULE")]
    pub ignore: Vec<String>,
    /// The name standard input is shown under.
    #[arg(long, default_value = "-", value_name = "NAME")]
    pub stdin_filename: String,
    /// When to colour the output.
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    pub color: Color,
    /// The report's format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Write the report to this file instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Use this configuration file for every input instead of the nearest
    /// dockerfix.toml or .dockerfix.toml.
    #[arg(long, value_name = "PATH")]
    pub config: Option<PathBuf>,
    /// Report `# dockerfix ignore=` / `# hadolint ignore=` comments that
    /// silence nothing (as `unused-ignore`).
    #[arg(long)]
    pub report_unused_ignores: bool,
    /// Print no summary and no progress bar; only findings and errors.
    #[arg(long, short)]
    pub quiet: bool,
}

impl Common {
    /// `--unsafe-fixes` / `--no-unsafe-fixes`, or neither.
    pub fn unsafe_fixes(&self) -> Option<bool> {
        match (self.unsafe_fixes, self.no_unsafe_fixes) {
            (true, _) => Some(true),
            (_, true) => Some(false),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Color {
    Auto,
    Always,
    Never,
}
