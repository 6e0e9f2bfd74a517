//! ## What it does
//! Reports a variable that nothing defines where BuildKit expands it: in
//! `ENV`, `LABEL`, `ARG` defaults, `COPY`/`ADD` (sources, destination,
//! `--chown`, `--chmod`, `--checksum`), `WORKDIR`, `USER`, `VOLUME`,
//! `STOPSIGNAL` and `RUN --mount` options. Defined means set by an `ENV` or
//! declared by an `ARG` earlier in the stage (or in the stage it is built
//! on), or set by the base image.
//!
//! ## Why is this bad?
//! An undefined variable expands to nothing: `COPY $APP_DIR /app` copies
//! the whole context, `ENV PATH=$PAHT:/app/bin` loses the system `PATH`.
//! Usually it is a typo, or a global `ARG` not declared again in the stage.
//! BuildKit warns about it (UndefinedVar) and suggests the closest name.
//!
//! As BuildKit does, shell-form `RUN`, `CMD` and `ENTRYPOINT` are not
//! looked at (their shell expands them, and the environment of the
//! container may set them). A global `ARG` (before the first `FROM`) and the
//! platform ARGs (`TARGETARCH`, …) are defined in a stage only once an
//! `ARG` there declares them: without it `COPY app-$TARGETARCH .` copies
//! `app-` on every platform (BuildKit warns too; the message says how to
//! declare it). A `${X:-default}` counts as a use of `X`.
//!
//! Only stages whose base defines no variable the file cannot know are
//! looked at: `scratch`, `alpine`, `busybox`, `debian` and `ubuntu` (which
//! set `PATH` only), and stages of the file built on them. Other images set
//! variables of their own (`python` sets `PYTHON_VERSION`) that only the
//! image can tell.
//!
//! ## Example
//! ```dockerfile
//! ARG VERSION=1.0
//! FROM alpine
//! COPY app-$VERSION.tar.gz /app/
//! ```
//!
//! Use instead:
//! ```dockerfile
//! ARG VERSION=1.0
//! FROM alpine
//! ARG VERSION
//! COPY app-$VERSION.tar.gz /app/
//! ```
//!
//! ## Fix safety
//! No fix: whether a declaration is missing or the name is misspelt is the
//! author's call.

use parse_dockerfile::{Instruction, JsonOrStringArray, Source};

use super::{FixKind, Report, Rule};
use crate::args::{self, GlobalArgs};
use crate::document::{Document, keyword_span};
use crate::images;
use crate::lexer;
use crate::runs;

pub static RULE: Rule = Rule {
    id: "undefined-var",
    codes: &["UndefinedVar"],
    fix: FixKind::None,
    summary: "A variable BuildKit expands that nothing defines",
    source: include_str!("undefined_var.rs"),
    check,
};

/// Build arguments BuildKit reads itself and never puts in the environment.
const NOT_IN_ENV: &[&str] = &["BUILDKIT_SBOM_SCAN_CONTEXT", "BUILDKIT_SBOM_SCAN_STAGE"];

/// The variables defined at a point of a stage.
#[derive(Clone, Default)]
struct Scope {
    /// Set: in the environment (`ENV`, `ARG` with a value, the image's).
    env: Vec<String>,
    /// Declared by an `ARG`, with or without a value.
    declared: Vec<String>,
}

impl Scope {
    fn defines(&self, name: &str) -> bool {
        self.env.iter().chain(&self.declared).any(|n| n == name) || NOT_IN_ENV.contains(&name)
    }
}

fn check(doc: &Document<'_>, report: &mut Report) {
    if !doc.text.contains('$') {
        return;
    }
    let mut ends: Vec<Option<Scope>> = Vec::new();
    for (stage, from) in runs::stages(doc).iter().zip(doc.stages()) {
        let start = match stage.parent {
            Some(parent) => ends[parent].clone(),
            None => images::default_env(&from.from.image.value).map(|env| Scope {
                env: env.iter().map(|n| (*n).to_owned()).collect(),
                declared: Vec::new(),
            }),
        };
        let Some(mut scope) = start else {
            ends.push(None);
            continue;
        };
        for instruction in stage.instructions {
            let span = keyword_span(instruction);
            let mut reported: Vec<String> = Vec::new();
            for word in expanded_words(instruction, doc.escape) {
                for name in lexer::variables(word, doc.escape) {
                    if scope.defines(&name) || reported.contains(&name) {
                        continue;
                    }
                    let mut message = format!("Usage of undefined variable '${name}'");
                    let options = scope.env.iter().map(String::as_str);
                    if args::is_platform_arg(&name) {
                        message.push_str(&format!(
                            " (platform ARGs are global: declare it in the stage with `ARG {name}`)"
                        ));
                    } else if let Some(suggestion) = lexer::suggestion(&name, options, true) {
                        message.push_str(&format!(" (did you mean ${suggestion}?)"));
                    }
                    report.push(span.clone(), message, None);
                    reported.push(name);
                }
            }
            define(&mut scope, instruction, doc);
        }
        ends.push(Some(scope));
    }
}

/// What `instruction` adds to the scope of the instructions after it.
fn define(scope: &mut Scope, instruction: &Instruction<'_>, doc: &Document<'_>) {
    match instruction {
        Instruction::Env(env) => {
            for (key, _) in args::key_values(&env.arguments.value, doc.escape) {
                scope.env.push(key.to_owned());
            }
        }
        Instruction::Arg(arg) => {
            for (name, default) in args::declared(&arg.arguments.value, doc.escape) {
                scope.declared.push(name.to_owned());
                let global = || GlobalArgs::of(doc).is_some_and(|g| g.get(name).is_some());
                if default.is_some() || global() {
                    scope.env.push(name.to_owned());
                }
            }
        }
        _ => {}
    }
}

/// The words of `instruction` that BuildKit expands itself, as written.
fn expanded_words<'i>(instruction: &'i Instruction<'_>, escape: char) -> Vec<&'i str> {
    let flags = |options: &'i [parse_dockerfile::Flag<'_>], names: &[&str]| -> Vec<&'i str> {
        options
            .iter()
            .filter(|f| names.contains(&&*f.name.value))
            .filter_map(|f| f.value.as_ref().map(|v| &*v.value))
            .collect()
    };
    let paths = |sources: &'i [Source<'_>]| -> Vec<&'i str> {
        sources
            .iter()
            .filter_map(|s| match s {
                Source::Path(path) => Some(&*path.value),
                _ => None,
            })
            .collect()
    };
    match instruction {
        Instruction::Env(env) => pairs(&env.arguments.value, escape),
        Instruction::Label(label) => pairs(&label.arguments.value, escape),
        Instruction::Arg(arg) => args::declared(&arg.arguments.value, escape)
            .into_iter()
            .filter_map(|(_, default)| default)
            .collect(),
        Instruction::Copy(copy) => {
            let mut words = flags(&copy.options, &["chown", "chmod"]);
            words.extend(paths(&copy.src));
            words.push(&copy.dest.value);
            words
        }
        Instruction::Add(add) => {
            let mut words = flags(&add.options, &["chown", "chmod", "checksum"]);
            words.extend(paths(&add.src));
            words.push(&add.dest.value);
            words
        }
        Instruction::Run(run) => flags(&run.options, &["mount"]),
        Instruction::Workdir(workdir) => vec![&workdir.arguments.value],
        Instruction::User(user) => vec![&user.arguments.value],
        Instruction::Stopsignal(signal) => vec![&signal.arguments.value],
        Instruction::Volume(volume) => match &volume.arguments {
            JsonOrStringArray::Json(list) => list.value.iter().map(|v| &*v.value).collect(),
            JsonOrStringArray::String(list) => list.iter().map(|v| &*v.value).collect(),
        },
        _ => Vec::new(),
    }
}

/// The keys and values of an `ENV` or `LABEL` that use a variable.
fn pairs(arguments: &str, escape: char) -> Vec<&str> {
    if !arguments.contains('$') {
        return Vec::new();
    }
    args::key_values(arguments, escape)
        .into_iter()
        .flat_map(|(key, value)| [key, value])
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn messages(text: &str) -> Vec<String> {
        crate::rules::messages_of(&RULE, text)
    }

    #[test]
    fn buildkit_cases() {
        assert_eq!(
            messages("FROM alpine\nCOPY $foo .\nARG foo=bar\nRUN echo $foo\n"),
            ["2: Usage of undefined variable '$foo'"]
        );
        assert_eq!(
            messages("FROM alpine\nARG DIR_ASSETS=assets/\nCOPY $DIR_ASSET .\n"),
            ["3: Usage of undefined variable '$DIR_ASSET' (did you mean $DIR_ASSETS?)"]
        );
        assert_eq!(
            messages("FROM alpine\nENV PATH=$PAHT:/tmp/bin\n"),
            ["2: Usage of undefined variable '$PAHT' (did you mean $PATH?)"]
        );
        assert!(
            messages("FROM alpine AS base\nARG foo=Dockerfile\nFROM base\nCOPY $foo .\n")
                .is_empty()
        );
        assert!(messages("FROM scratch\nARG foo\nCOPY Dockerfile${foo} .\n").is_empty());
    }

    #[test]
    fn scope_rules() {
        // A global ARG is not in the stage until declared there.
        assert_eq!(
            messages("ARG V=1\nFROM alpine\nWORKDIR /v$V\nARG V\nWORKDIR /w$V\n"),
            ["3: Usage of undefined variable '$V'"]
        );
        // Unknown base images set variables the file cannot know.
        assert!(messages("FROM python:3.12\nENV PATH=$PYTHON_HOME/bin:$PATH\n").is_empty());
        // Shell-form RUN is the shell's; single quotes are literal.
        assert!(messages("FROM alpine\nRUN echo $X\nLABEL a='$Y'\n").is_empty());
        assert_eq!(
            messages("FROM busybox\nRUN --mount=type=cache,target=$CACHE make\n"),
            ["2: Usage of undefined variable '$CACHE'"]
        );
    }
}
