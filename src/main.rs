use std::process::ExitCode;

use clap::Parser;
use dockerfix::cli::{Cli, Color, Command, Common};
use dockerfix::commands::{self, Mode, Run, exit};
use dockerfix::config::Settings;
use dockerfix::rules;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let code = match cli.command {
        Command::Check { common } => run(Mode::Check, common),
        Command::Fix { dry_run, common } => run(Mode::Fix { dry_run }, common),
        Command::Rules => {
            print!("{}", rules::table());
            exit::CLEAN
        }
        Command::Rule { name } => match rules::lookup(&name).as_slice() {
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

fn run(mode: Mode, common: Common) -> u8 {
    let mut settings = match Settings::new(&common.select, &common.ignore, common.unsafe_fixes) {
        Ok(settings) => settings,
        Err(e) => {
            eprintln!("error: {e}");
            return exit::ERROR;
        }
    };
    settings.update_digests = common.registry.update_digests;
    settings.pin |=
        common.registry.pin || common.registry.update_digests || common.registry.offline;
    settings.registry = match common.registry.settings() {
        Ok(registry) => registry,
        Err(e) => {
            eprintln!("error: {e}");
            return exit::ERROR;
        }
    };
    let color = match common.color {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => commands::stdout_color(),
    };
    commands::run(&Run {
        mode,
        settings,
        paths: common.paths,
        stdin_name: common.stdin_filename,
        color,
    })
}
