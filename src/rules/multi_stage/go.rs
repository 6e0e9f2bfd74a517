//! The Go recipe: the binary `go build -o PATH` writes, on the slim
//! release of the builder's distribution or on `scratch`.

use super::{Input, Recipe, absolute, env_sets, needs_shell, run_position, slim_distro};
use crate::shell::SimpleCommand;

/// The value of option `-o` (or `-o=…`) of `go build`.
fn go_output(command: &SimpleCommand) -> Option<Option<String>> {
    let args = command.args();
    if args.first().and_then(|w| w.literal()).as_deref() != Some("build") {
        return None;
    }
    for (i, word) in args.iter().enumerate() {
        let Some(value) = word.literal() else {
            continue;
        };
        if value == "-o" {
            return Some(
                args.get(i + 1)
                    .and_then(|w| w.literal())
                    .map(|v| v.into_owned()),
            );
        }
        if let Some(rest) = value.strip_prefix("-o=") {
            return Some(Some(rest.to_owned()));
        }
    }
    Some(None)
}

/// Packages only a Go build needs, besides the build tools.
const GO_BUILD_ONLY: &[&str] = &["golang", "golang-go", "git", "mercurial"];

pub(super) fn recipe(input: &Input<'_, '_, '_>) -> Option<Result<Recipe, String>> {
    let Input {
        stage,
        commands,
        image,
        uses,
        ..
    } = *input;
    let mut builds = commands
        .iter()
        .filter(|c| c.program() == Some("go") && go_output(c).is_some());
    let build = builds.next()?;
    if builds.next().is_some() {
        return Some(Err(
            "the file runs `go build` more than once: which binaries the program needs cannot be known".into(),
        ));
    }
    let output = match go_output(build) {
        Some(Some(output)) => output,
        _ if build.args().iter().any(|w| w.raw().starts_with("-o")) => {
            return Some(Err(
                "the path of `go build -o` has a variable: the binary's path cannot be known"
                    .into(),
            ));
        }
        _ => {
            return Some(Err(
                "`go build` has no `-o PATH`: the binary's path cannot be known".into(),
            ));
        }
    };
    if super::rust::cd_before(input, build) {
        return Some(Err(
            "a `cd` comes before `go build` in its RUN: the binary's folder cannot be known".into(),
        ));
    }
    let position = run_position(stage, build.span.start)?;
    let Some(path) = absolute(stage, position, &output) else {
        return Some(Err(format!("the path of `-o {output}` cannot be known")));
    };
    let static_binary = build
        .assignments
        .iter()
        .any(|a| a.literal().as_deref() == Some("CGO_ENABLED=0"))
        || env_sets(stage, position, "CGO_ENABLED", "0");
    let (extra, beside) = match super::sources::beside_binaries(
        input,
        super::sources::go_build_input,
        std::slice::from_ref(&path),
    ) {
        Ok(found) => found,
        Err(reason) => return Some(Err(reason)),
    };
    let mut unproven = vec![beside];
    // The packages the file installs for run time (certificates, time zone
    // data, libraries) rule out scratch.
    let wants_packages = uses
        .packages
        .iter()
        .any(|p| !GO_BUILD_ONLY.contains(&p.as_str()) && !crate::stage_use::is_build_package(p));
    let base = if static_binary && !needs_shell(stage) && !wants_packages {
        unproven.push("scratch has no CA certificates, time zone data or users".into());
        "scratch".to_owned()
    } else {
        match slim_distro(image) {
            Ok(base) => base,
            Err(reason) => return Some(Err(reason)),
        }
    };
    let packages = if base == "scratch" {
        Vec::new()
    } else {
        match super::runtime_packages(image, &base, uses, GO_BUILD_ONLY, &[]) {
            Ok((packages, more)) => {
                unproven.extend(more);
                packages
            }
            Err(reason) => return Some(Err(reason)),
        }
    };
    Some(Ok(Recipe {
        ecosystem: "Go",
        base,
        packages,
        steps: Vec::new(),
        copies: std::iter::once(path).chain(extra).collect(),
        copies_to: Vec::new(),
        unproven,
    }))
}
