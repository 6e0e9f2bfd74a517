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
    let builder = match super::Builder::find(args.builder, args.buildx_builder.as_deref()) {
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
        options: super::BuildOptions {
            build_args: args.build_arg,
            target: args.target,
            platform: args.platform,
            secrets: args.secret,
            extra: args.build_opt,
        },
        context: args.context,
        timeout: args.timeout,
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
