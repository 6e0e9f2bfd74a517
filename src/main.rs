use std::process::ExitCode;

use clap::Parser;
use dockerfix::cli::{Cli, Color, Command, Common};
use dockerfix::commands::{self, Mode, Run, exit};
use dockerfix::config::{Overrides, Resolver};
use dockerfix::ignores::UNUSED_IGNORE;
use dockerfix::rules;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let code = match cli.command {
        Command::Check { common } => run(Mode::Check, common, false),
        Command::Fix {
            dry_run,
            exit_non_zero_on_fix,
            common,
        } => run(Mode::Fix { dry_run }, common, exit_non_zero_on_fix),
        Command::Rules => {
            print!("{}", rules::table());
            exit::CLEAN
        }
        Command::Rule { name } => match rule_pages(&name).as_slice() {
            [] => {
                eprintln!("error: unknown rule or code `{name}` (see `dockerfix rules`)");
                exit::ERROR
            }
            found => {
                let docs: Vec<String> = found.iter().map(|r| rules::full_doc(r)).collect();
                print!("{}", docs.join("\n"));
                exit::CLEAN
            }
        },
    };
    ExitCode::from(code)
}

/// The rules `dockerfix rule NAME` shows: by id or code, and the
/// `unused-ignore` pseudo-rule of `--report-unused-ignores`.
fn rule_pages(name: &str) -> Vec<&'static rules::Rule> {
    if name == UNUSED_IGNORE.id {
        return vec![&UNUSED_IGNORE];
    }
    rules::lookup(name)
}

fn run(mode: Mode, common: Common, exit_non_zero_on_fix: bool) -> u8 {
    let overrides = Overrides {
        select: common.select.clone(),
        ignore: common.ignore.clone(),
        unsafe_fixes: common.unsafe_fixes(),
        config: common.config.clone(),
    };
    let config = match Resolver::new(overrides) {
        Ok(config) => config,
        Err(e) => {
            eprintln!("error: {e}");
            return exit::ERROR;
        }
    };
    let color = match common.color {
        Color::Always => true,
        Color::Never => false,
        // Colour only where a person reads the text format.
        Color::Auto => common.output.is_none() && commands::stdout_color(),
    };
    commands::run(&Run {
        mode,
        config,
        paths: common.paths,
        stdin_name: common.stdin_filename,
        color,
        format: common.format,
        output: common.output,
        quiet: common.quiet,
        exit_non_zero_on_fix,
        report_unused_ignores: common.report_unused_ignores,
    })
}
