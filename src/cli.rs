//! The command line (clap derive).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::output::Format;

const EXIT_CODES: &str = "\
Exit codes:
  0  nothing to fix, or everything was fixed in place
  1  `check` found something, `fix --dry-run` would change something, or
     `fix --exit-non-zero-on-fix` changed something
  2  an error: a file could not be read, parsed or written, an image tag could
     not be resolved for pinning, a bad option or a bad configuration file";

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

// Parsed once per run: the size of its largest variant costs nothing.
#[allow(clippy::large_enum_variant)]
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
        /// Keep an unsafe fix only when a build proves it: the fixed file
        /// builds, its image is as ready to start as the original's, and
        /// the --smoke command passes in it; a fix that fails is left out
        /// (one rule at a time) with the reason. Needs --unsafe-fixes and a
        /// builder (see `verify`).
        #[arg(long, requires = "unsafe_fixes")]
        verified: bool,
        /// With --verified: run this command (`sh -c`) in the original and
        /// in each fixed image as the image's user; a non-zero exit rejects
        /// the fixes.
        #[arg(long, value_name = "CMD", requires = "verified")]
        smoke: Option<String>,
        #[command(flatten)]
        common: Common,
        #[command(flatten)]
        build: BuildArgs,
    },
    /// List findings (`path:line:col: rule message`, `[*]` = fixable) without changing anything.
    #[command(after_help = EXIT_CODES)]
    Check {
        #[command(flatten)]
        common: Common,
    },
    /// Build each Dockerfile before and after its fixes with a real builder
    /// (docker, podman or buildah) and show what the fixes change in the
    /// image: size, packages, files, configuration, and whether it still
    /// starts under its user. Nothing in the work tree is changed.
    #[command(after_help = VERIFY_EXIT_CODES)]
    Verify(VerifyArgs),
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
    #[command(flatten)]
    pub rules: RuleArgs,
    /// The name standard input is shown under.
    #[arg(long, default_value = "-", value_name = "NAME")]
    pub stdin_filename: String,
    /// The build context of every file, which context-aware rules read
    /// (layer-order, dockerignore, add-to-copy) [default: `[context]` of the
    /// configuration, else the Dockerfile's folder; none for standard input].
    #[arg(long, value_name = "DIR")]
    pub context: Option<PathBuf>,
    /// When to colour the output.
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    pub color: Color,
    /// The report's format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Write the report to this file instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Report `# dockerfix ignore=` / `# hadolint ignore=` comments that
    /// silence nothing (as `unused-ignore`).
    #[arg(long)]
    pub report_unused_ignores: bool,
    /// Leave out this file, or every file under this folder, even when
    /// named on the command line (a bot skips files whose fixes failed
    /// `verify`). Repeatable.
    #[arg(long, value_name = "PATH")]
    pub skip: Vec<PathBuf>,
    /// Print no summary and no progress bar; only findings and errors.
    #[arg(long, short)]
    pub quiet: bool,
    #[command(flatten)]
    pub registry: RegistryArgs,
}

/// Which rules run and which fixes apply (`check`, `fix`, `verify`).
#[derive(Debug, Args)]
pub struct RuleArgs {
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
    /// Use this configuration file for every input instead of the nearest
    /// dockerfix.toml or .dockerfix.toml.
    #[arg(long, value_name = "PATH")]
    pub config: Option<PathBuf>,
}

impl RuleArgs {
    /// `--unsafe-fixes` / `--no-unsafe-fixes`, or neither.
    pub fn unsafe_fixes(&self) -> Option<bool> {
        match (self.unsafe_fixes, self.no_unsafe_fixes) {
            (true, _) => Some(true),
            (_, true) => Some(false),
            _ => None,
        }
    }

    /// What these options override in configuration files.
    pub fn overrides(&self) -> crate::config::Overrides {
        crate::config::Overrides {
            select: self.select.clone(),
            ignore: self.ignore.clone(),
            unsafe_fixes: self.unsafe_fixes(),
            config: self.config.clone(),
        }
    }
}

const VERIFY_EXIT_CODES: &str = "\
Exit codes:
  0  every file is unchanged, equivalent, changed, or its original does not
     build (not-built)
  1  a fix broke the build of a file whose original builds (broken)
  2  an error: no builder works, a bad option or configuration, a file that
     cannot be read or parsed, an image that cannot be read, or Ctrl-C";

/// `dockerfix verify`: how the images are built and reported.
#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// Dockerfiles or folders (searched as `check` and `fix` search them).
    /// Default: the current folder.
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub rules: RuleArgs,
    /// The build context of every file [default: `[context]` of the
    /// configuration, else the Dockerfile's folder].
    #[arg(long, value_name = "DIR")]
    pub context: Option<PathBuf>,
    #[command(flatten)]
    pub build: BuildArgs,
    /// Files verified at the same time.
    #[arg(long, short, value_name = "N", default_value_t = 2)]
    pub jobs: usize,
    /// The report's format.
    #[arg(long, value_enum, default_value_t = crate::verify::output::VerifyFormat::Text)]
    pub format: crate::verify::output::VerifyFormat,
    /// Write the report to this file instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// When to colour the output.
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    pub color: Color,
    /// Print no summary and no progress.
    #[arg(long, short)]
    pub quiet: bool,
}

/// How images are built (`verify`, `fix --verified`).
#[derive(Debug, Args)]
#[command(next_help_heading = "Building (verify, fix --verified)")]
pub struct BuildArgs {
    /// The builder: `auto` takes the first that works of docker (buildx, or
    /// the classic builder), podman and buildah.
    #[arg(long, value_enum, default_value_t = crate::verify::Choice::Auto)]
    pub builder: crate::verify::Choice,
    /// Build on this `docker buildx` builder (remote, Kubernetes, …).
    #[arg(long, value_name = "NAME")]
    pub buildx_builder: Option<String>,
    /// A build argument, for both builds. Repeatable.
    #[arg(long, value_name = "KEY=VALUE")]
    pub build_arg: Vec<String>,
    /// Build this stage.
    #[arg(long, value_name = "STAGE")]
    pub target: Option<String>,
    /// Build for this platform (`linux/arm64`).
    #[arg(long, value_name = "PLATFORM")]
    pub platform: Option<String>,
    /// A build secret, as the builder takes it (`id=npm,src=.npmrc`).
    /// Repeatable.
    #[arg(long, value_name = "SPEC")]
    pub secret: Vec<String>,
    /// One more option for the builder's build command, passed as it is
    /// (`--build-opt=--pull=never`, `--build-opt=--network=host`).
    /// Repeatable.
    #[arg(long, value_name = "OPTION", allow_hyphen_values = true)]
    pub build_opt: Vec<String>,
    /// Stop a build or export that takes longer (`90s`, `10m`).
    #[arg(long, value_name = "DURATION", default_value = "10m", value_parser = humantime::parse_duration)]
    pub timeout: std::time::Duration,
}

impl BuildArgs {
    /// The builder these options name, or why none works.
    pub fn builder(&self) -> Result<crate::verify::Builder, String> {
        crate::verify::Builder::find(self.builder, self.buildx_builder.as_deref())
    }

    /// The options of each build.
    pub fn options(&self) -> crate::verify::BuildOptions {
        crate::verify::BuildOptions {
            build_args: self.build_arg.clone(),
            target: self.target.clone(),
            platform: self.platform.clone(),
            secrets: self.secret.clone(),
            extra: self.build_opt.clone(),
        }
    }
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Color {
    Auto,
    Always,
    Never,
}

/// How `fix` reaches registries to pin image digests (`check` never does).
#[derive(Debug, Args)]
#[command(next_help_heading = "Registry (pin-digest)")]
pub struct RegistryArgs {
    /// Pin images to the digests their tags point to now (asks registries).
    /// Without it, `fix` makes no network request; `--update-digests`,
    /// `--offline` and an explicit `--select pin-digest` imply it.
    #[arg(long)]
    pub pin: bool,
    /// Re-resolve pinned `name:tag@sha256:…` references and replace digests
    /// their tag no longer points to.
    #[arg(long)]
    pub update_digests: bool,
    /// Ask no registry: use digests from the cache only (at any age); a
    /// reference that is not cached is an error.
    #[arg(long)]
    pub offline: bool,
    /// Ask HOST for REGISTRY's images first (`docker.io=mirror:5000`), then
    /// REGISTRY itself; the written reference keeps its name. Repeatable:
    /// the mirrors are asked in order.
    #[arg(long, value_name = "REGISTRY=HOST")]
    pub registry_mirror: Vec<String>,
    /// Reach HOST[:PORT] without certificate checks, or over plain HTTP.
    /// Repeatable.
    #[arg(long, value_name = "HOST")]
    pub insecure_registry: Vec<String>,
    /// Also trust the certificate authorities in this PEM file. Repeatable.
    #[arg(long, value_name = "FILE")]
    pub registry_ca: Vec<PathBuf>,
    /// Where resolved digests are cached [default: $DOCKERFIX_CACHE_DIR,
    /// $XDG_CACHE_HOME/dockerfix or ~/.cache/dockerfix].
    #[arg(long, value_name = "DIR")]
    pub cache_dir: Option<PathBuf>,
    /// Connect and read timeout for registry requests, in seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 30.0)]
    pub registry_timeout: f64,
}

impl RegistryArgs {
    /// The registry settings these options describe.
    pub fn settings(&self) -> Result<crate::registry::Settings, String> {
        let mut settings = crate::registry::Settings::default();
        for mirror in &self.registry_mirror {
            settings.add_mirror(mirror)?;
        }
        settings.insecure.clone_from(&self.insecure_registry);
        settings.ca_files.clone_from(&self.registry_ca);
        if let Some(dir) = &self.cache_dir {
            settings.cache_dir = Some(dir.clone());
        }
        settings.offline = self.offline;
        if !(self.registry_timeout.is_finite() && self.registry_timeout > 0.0) {
            return Err("--registry-timeout must be a positive number of seconds".into());
        }
        let timeout = std::time::Duration::from_secs_f64(self.registry_timeout);
        settings.read_timeout = timeout;
        settings.connect_timeout = timeout.min(settings.connect_timeout);
        settings.total_timeout = settings.total_timeout.max(timeout * 4);
        Ok(settings)
    }
}
