//! The command line (clap derive).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

const EXIT_CODES: &str = "\
Exit codes:
  0  nothing to fix, or everything was fixed in place
  1  `check` found something, or `fix --dry-run` would change something
  2  an error: a file could not be read, parsed or written, or a bad option";

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
    #[arg(long)]
    pub unsafe_fixes: bool,
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
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Color {
    Auto,
    Always,
    Never,
}
