use std::process::ExitCode;

use clap::Parser;
use dockerfix::cli::{Cli, Color, Command, Common};
use dockerfix::commands::{self, Mode, Run, exit};
use dockerfix::config::Resolver;
use dockerfix::ignores::UNUSED_IGNORE;
use dockerfix::{registry, rules};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let code = match cli.command {
        Command::Check { common } => run(Mode::Check, common, false),
        Command::Fix {
            dry_run,
            exit_non_zero_on_fix,
            verified: true,
            smoke,
            common,
            build,
        } => dockerfix::verify::command::run_verified(
            dry_run,
            exit_non_zero_on_fix,
            smoke,
            common,
            build,
        ),
        Command::Fix {
            dry_run,
            exit_non_zero_on_fix,
            common,
            ..
        } => run(Mode::Fix { dry_run }, common, exit_non_zero_on_fix),
        Command::Verify(args) => dockerfix::verify::command::run(args),
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
    let overrides = common.rules.overrides();
    let config = match Resolver::new(overrides) {
        Ok(config) => config,
        Err(e) => {
            eprintln!("error: {e}");
            return exit::ERROR;
        }
    };
    let registry = match registry_settings(&common, &config) {
        Ok(registry) => registry,
        Err(e) => {
            eprintln!("error: {e}");
            return exit::ERROR;
        }
    };
    // Pinning asks registries: only when asked for (an explicit selection of
    // pin-digest counts), never by default.
    let args = &common.registry;
    let pin_selected = common
        .rules
        .select
        .iter()
        .any(|name| rules::lookup(name).iter().any(|r| r.id == "pin-digest"));
    let pin = args.pin || args.update_digests || args.offline || pin_selected;
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
        skip: common.skip,
        pin,
        update_digests: common.registry.update_digests,
        registry,
        context: common.context,
        contexts: Default::default(),
    })
}

/// Registry settings: the command line's, completed by the `[registry]`
/// table of the configuration in force for the current folder.
fn registry_settings(common: &Common, config: &Resolver) -> Result<registry::Settings, String> {
    let mut settings = common.registry.settings()?;
    let folder = config
        .for_folder(std::path::Path::new("."))
        .map_err(|e| e.to_string())?;
    let file = &folder.settings.registry;
    // `--registry-mirror` replaces the file's mirrors of that registry.
    let from_command_line = settings.mirrors.clone();
    for (host, mirrors) in &file.mirrors {
        if from_command_line.contains_key(host) {
            continue;
        }
        for mirror in mirrors {
            settings.add_mirror(&format!("{host}={mirror}"))?;
        }
    }
    for host in &file.insecure {
        if !settings.insecure.contains(host) {
            settings.insecure.push(host.clone());
        }
    }
    if let Some(ttl) = file.cache_ttl {
        settings.cache_ttl = ttl;
    }
    Ok(settings)
}
