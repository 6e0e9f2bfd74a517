//! The `verify` command line: options to a run, the run, its report.

use std::io::IsTerminal;

use crate::cli::{Color, VerifyArgs};
use crate::config::Resolver;
use crate::output::Style;

/// `dockerfix verify`: finds a builder, builds and compares every file,
/// reports, and returns the exit code.
pub fn run(args: VerifyArgs) -> u8 {
    let config = match Resolver::new(args.rules.overrides()) {
        Ok(config) => config,
        Err(e) => {
            eprintln!("error: {e}");
            return super::exit::ERROR;
        }
    };
    if args.jobs == 0 {
        eprintln!("error: --jobs must be at least 1");
        return super::exit::ERROR;
    }
    let builder = match args.build.builder() {
        Ok(builder) => builder,
        Err(e) => {
            eprintln!("error: {e}");
            return super::exit::ERROR;
        }
    };
    // Ctrl-C or SIGTERM: builds stop, images are removed, then exit.
    let _ = ctrlc::set_handler(super::process::cancel);
    let run = super::VerifyRun {
        config,
        paths: args.paths,
        builder,
        options: args.build.options(),
        context: args.context,
        timeout: args.build.timeout,
        jobs: args.jobs,
    };
    let color = match args.color {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => args.output.is_none() && crate::commands::stdout_color(),
    };
    let bars = super::progress::Bars::new(!args.quiet && std::io::stderr().is_terminal());
    let outcome = super::run(&run, &bars);
    drop(bars);
    let body = super::output::render(args.format, &outcome, Style { color });
    let mut code = outcome.exit_code();
    match &args.output {
        Some(path) => {
            if let Err(e) = std::fs::write(path, body.as_bytes()) {
                eprintln!("error: {}: cannot write: {e}", path.display());
                code = super::exit::ERROR;
            }
        }
        None => print!("{body}"),
    }
    for error in &outcome.errors {
        eprintln!("error: {error}");
    }
    if !args.quiet {
        eprintln!("{}", super::output::summary(&outcome));
    }
    code
}

/// `dockerfix fix --verified --unsafe-fixes`: fixes every file, keeping
/// the unsafe fixes a build proves; returns the exit code (2 without a
/// builder: never a silent pass).
pub fn run_verified(
    dry_run: bool,
    exit_non_zero_on_fix: bool,
    smoke: Option<String>,
    common: crate::cli::Common,
    build: crate::cli::BuildArgs,
) -> u8 {
    use crate::commands::exit;
    let config = match Resolver::new(common.rules.overrides()) {
        Ok(config) => config,
        Err(e) => {
            eprintln!("error: {e}");
            return exit::ERROR;
        }
    };
    if !matches!(
        common.format,
        crate::output::Format::Text | crate::output::Format::Markdown | crate::output::Format::Json
    ) {
        eprintln!("error: --verified reports as text, markdown or json");
        return exit::ERROR;
    }
    let builder = match build.builder() {
        Ok(builder) => builder,
        Err(e) => {
            eprintln!("error: --verified needs a builder: {e}");
            return exit::ERROR;
        }
    };
    let _ = ctrlc::set_handler(super::process::cancel);
    let run = super::verified::VerifiedRun {
        verify: super::VerifyRun {
            config,
            paths: common.paths,
            builder,
            options: build.options(),
            context: common.context.clone(),
            timeout: build.timeout,
            jobs: 1,
        },
        smoke,
        dry_run,
    };
    let bars = super::progress::Bars::new(!common.quiet && std::io::stderr().is_terminal());
    let outcome = super::verified::run(&run, &bars);
    drop(bars);
    let body = match super::verified::render(common.format, &outcome, dry_run) {
        Ok(body) => body,
        Err(e) => {
            eprintln!("error: {e}");
            return exit::ERROR;
        }
    };
    let mut code = if !outcome.errors.is_empty() || outcome.files.iter().any(|f| f.error.is_some())
    {
        exit::ERROR
    } else if (dry_run || exit_non_zero_on_fix) && outcome.files.iter().any(|f| f.changed) {
        exit::FOUND
    } else {
        exit::CLEAN
    };
    match &common.output {
        Some(path) => {
            if let Err(e) = std::fs::write(path, body.as_bytes()) {
                eprintln!("error: {}: cannot write: {e}", path.display());
                code = exit::ERROR;
            }
        }
        None => print!("{body}"),
    }
    for error in outcome
        .errors
        .iter()
        .chain(outcome.files.iter().filter_map(|f| f.error.as_ref()))
    {
        eprintln!("error: {error}");
    }
    if !common.quiet {
        eprintln!("{}", super::verified::summary(&outcome));
    }
    code
}
