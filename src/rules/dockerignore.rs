//! ## What it does
//! Proposes a `.dockerignore` for a build context that has none, or the
//! lines missing from the one it has, from what the context holds: version
//! control folders (`.git`, `.hg`, `.svn`), secrets (`.env` files, `*.pem`,
//! `*.key`, `id_rsa*`), the dependency and output folders of the detected
//! ecosystems (`node_modules`, `__pycache__`, `.venv`, `target`), the
//! local build output (`dist`, `build`) when a `RUN` of the Dockerfile
//! builds it inside the image (`npm run build`, `yarn build`, `pnpm build`,
//! `python -m build`, `vite build`, `ng build`), and editor and OS files
//! (`.idea`, `.vscode`, `.DS_Store`). Also reports a
//! `COPY` or `ADD` of a path the `.dockerignore` excludes (BuildKit's
//! CopyIgnoredFile).
//!
//! ## Why is this bad?
//! Everything in the context is sent to the builder, and `COPY . .` puts
//! it in the image: the repository's history, credentials, a local
//! `node_modules` built for another platform. A large context slows every
//! build; a secret in it ends up in a layer anyone who pulls the image can
//! read. A `COPY` of an excluded path fails, or copies less than it says.
//!
//! ## Example
//! A context holding `.git/`, `.env`, `node_modules/` and `package.json`,
//! with no `.dockerignore`, and:
//! ```dockerfile
//! FROM node:22
//! COPY . /app
//! ```
//!
//! `fix --unsafe-fixes` creates `.dockerignore`:
//! ```text
//! # Made by dockerfix: what the build does not need.
//! .git
//! .env*
//! node_modules
//! ```
//!
//! A line is never proposed when it would exclude a path a `COPY` or `ADD`
//! of the Dockerfile names (`COPY .env.defaults /app/` keeps `.env*` out of
//! the file): patterns are matched as BuildKit matches them (moby's
//! `patternmatcher`: `!` exceptions, `**`, the last matching line wins; see
//! `src/dockerignore.rs`). The finding is on the first instruction that
//! copies from the context; files that copy nothing from it get none.
//!
//! ## Fix safety
//! Completing an existing `.dockerignore` is safe: the lines only leave out
//! what the build does not name. They go at the end, or at the top when the
//! file has `!` exceptions, so that its own lines keep deciding. Creating
//! one is unsafe: a build step may read a file it does not name (a `COPY .
//! .` whose program loads `.env` at run time). The fix writes
//! `.dockerignore` in the build context (atomically, and only if it has not
//! changed since it was read); `fix --dry-run` shows it as a diff, a new
//! file against `/dev/null`. It needs the build context: without one there
//! is no finding. A COPY of an excluded path is reported without a fix.

use parse_dockerfile::{Instruction, Source};

use super::{FixKind, Report, Rule};
use crate::context::{BuildContext, Kind};
use crate::dockerignore::Ignore;
use crate::document::Document;
use crate::edits::{Applicability, FileEdit, Fix};
use crate::words::build_word;

pub static RULE: Rule = Rule {
    id: "dockerignore",
    codes: &["CopyIgnoredFile"],
    fix: FixKind::Sometimes,
    summary: "Keep VCS folders, secrets and local build output out of the build context",
    source: include_str!("dockerignore.rs"),
    check,
};

const HEADER: &str = "# Made by dockerfix: what the build does not need.";

/// A line to propose: the pattern, and when it applies (a name at the
/// context's top that it is about).
struct Candidate {
    pattern: &'static str,
    applies: fn(&str, Kind) -> bool,
}

const CANDIDATES: &[Candidate] = &[
    Candidate {
        pattern: ".git",
        applies: |n, _| n == ".git",
    },
    Candidate {
        pattern: ".hg",
        applies: |n, _| n == ".hg",
    },
    Candidate {
        pattern: ".svn",
        applies: |n, _| n == ".svn",
    },
    Candidate {
        pattern: ".env*",
        applies: |n, k| k == Kind::File && (n == ".env" || n.starts_with(".env.")),
    },
    Candidate {
        pattern: "**/*.pem",
        applies: |n, k| k == Kind::File && n.ends_with(".pem"),
    },
    Candidate {
        pattern: "**/*.key",
        applies: |n, k| k == Kind::File && n.ends_with(".key"),
    },
    Candidate {
        pattern: "**/id_rsa*",
        applies: |n, _| n.starts_with("id_rsa"),
    },
    Candidate {
        pattern: "**/id_ed25519*",
        applies: |n, _| n.starts_with("id_ed25519"),
    },
    Candidate {
        pattern: "node_modules",
        applies: |n, k| k == Kind::Dir && n == "node_modules",
    },
    Candidate {
        pattern: "**/__pycache__",
        applies: |n, k| k == Kind::Dir && n == "__pycache__",
    },
    Candidate {
        pattern: ".venv",
        applies: |n, k| k == Kind::Dir && n == ".venv",
    },
    Candidate {
        pattern: ".pytest_cache",
        applies: |n, k| k == Kind::Dir && n == ".pytest_cache",
    },
    Candidate {
        pattern: ".mypy_cache",
        applies: |n, k| k == Kind::Dir && n == ".mypy_cache",
    },
    Candidate {
        pattern: "target",
        applies: |n, k| k == Kind::Dir && n == "target",
    },
    Candidate {
        pattern: ".idea",
        applies: |n, _| n == ".idea",
    },
    Candidate {
        pattern: ".vscode",
        applies: |n, _| n == ".vscode",
    },
    Candidate {
        pattern: "**/.DS_Store",
        applies: |n, _| n == ".DS_Store",
    },
];

/// Output folders a local build leaves, proposed only when the image
/// builds its own (a `COPY dist/ …` of a prebuilt one keeps it: no line
/// excludes a path a copy names).
const BUILD_OUTPUTS: &[Candidate] = &[
    Candidate {
        pattern: "dist",
        applies: |n, k| k == Kind::Dir && n == "dist",
    },
    Candidate {
        pattern: "build",
        applies: |n, k| k == Kind::Dir && n == "build",
    },
];

/// A `RUN` builds the project's output inside the image.
fn builds_output(doc: &Document<'_>) -> bool {
    doc.all_instructions().any(|instruction| {
        let Instruction::Run(run) = instruction else {
            return false;
        };
        let Ok(script) = doc.script(run) else {
            return false;
        };
        script.commands.iter().any(|command| {
            let words: Vec<_> = command.words.iter().filter_map(|w| w.literal()).collect();
            let word = |i: usize| words.get(i).map(|w| w.as_ref());
            match command.program() {
                Some("npm" | "pnpm" | "yarn") => {
                    word(1) == Some("build") || (word(1) == Some("run") && word(2) == Some("build"))
                }
                Some("vite" | "ng") => word(1) == Some("build"),
                Some(p) if p.starts_with("python") => {
                    word(1) == Some("-m") && word(2) == Some("build")
                }
                _ => false,
            }
        })
    })
}

fn check(doc: &Document<'_>, report: &mut Report) {
    let Some(build) = report.context().build else {
        return;
    };
    let sources = context_sources(doc);
    let Some((first, _)) = sources.first() else {
        return;
    };
    let existing = build.read(".dockerignore");
    let ignore = existing.as_deref().map(Ignore::parse).unwrap_or_default();
    if existing.is_some() {
        for (span, path) in &sources {
            if path.is_empty() || !ignore.excludes(path) {
                continue;
            }
            report.push(
                span.clone(),
                format!("`{path}` is excluded by .dockerignore: this copy fails or copies less than it names"),
                None,
            );
        }
    }
    let candidates: Vec<&Candidate> = if builds_output(doc) {
        CANDIDATES.iter().chain(BUILD_OUTPUTS).collect()
    } else {
        CANDIDATES.iter().collect()
    };
    let lines = missing_lines(build, &ignore, &sources, &candidates);
    if lines.is_empty() {
        return;
    }
    let span = first.clone();
    let names = lines.join(", ");
    let Some(path) = build.path(".dockerignore") else {
        return;
    };
    match existing {
        None => {
            let after = format!("{HEADER}\n{}\n", lines.join("\n"));
            let fix = Fix::file(
                Applicability::Unsafe,
                FileEdit {
                    path,
                    before: None,
                    after,
                },
            );
            report.push(
                span,
                format!("the build context has no .dockerignore: leave out {names}"),
                Some(fix),
            );
        }
        Some(text) => {
            let block = lines.join("\n");
            let after = if ignore.has_exceptions() {
                format!("{block}\n{text}")
            } else if text.is_empty() || text.ends_with('\n') {
                format!("{text}{block}\n")
            } else {
                format!("{text}\n{block}\n")
            };
            let fix = Fix::file(
                Applicability::Safe,
                FileEdit {
                    path,
                    before: Some(text.to_string()),
                    after,
                },
            );
            report.push(
                span,
                format!(".dockerignore lets {names} into the build context"),
                Some(fix),
            );
        }
    }
}

/// The context paths the `COPY` and `ADD` instructions name (no `--from`,
/// no URL), with where each instruction is; `""` for `.`. Sources with a
/// variable are left out.
fn context_sources(doc: &Document<'_>) -> Vec<(std::ops::Range<usize>, String)> {
    let mut out = Vec::new();
    for instruction in doc.all_instructions() {
        let (keyword, options, src) = match instruction {
            Instruction::Copy(c) => (&c.copy.span, &c.options, &c.src),
            Instruction::Add(a) => (&a.add.span, &a.options, &a.src),
            _ => continue,
        };
        if options.iter().any(|o| o.name.value == "from") {
            continue;
        }
        for source in src {
            let Source::Path(path) = source else { continue };
            let Some(word) = build_word(&path.value, doc.escape) else {
                continue;
            };
            let Some(value) = word.literal() else {
                continue;
            };
            if value.contains("://") || value.starts_with("git@") {
                continue;
            }
            let Some(normal) = crate::context::normalize(value) else {
                continue;
            };
            out.push((keyword.clone(), normal));
        }
    }
    out
}

/// The candidate lines that apply to the context, that the existing file
/// does not cover yet, and that exclude no path a copy names.
fn missing_lines(
    build: &BuildContext,
    existing: &Ignore,
    sources: &[(std::ops::Range<usize>, String)],
    candidates: &[&Candidate],
) -> Vec<String> {
    // One listing per context for every Dockerfile in it: filtered by
    // all the candidates, whichever this file proposes.
    let listing = build.list_filtered("", RULE.id, |name, kind| {
        CANDIDATES
            .iter()
            .chain(BUILD_OUTPUTS)
            .any(|c| (c.applies)(name, kind))
    });
    let mut lines = Vec::new();
    for candidate in candidates {
        let names: Vec<&str> = listing
            .iter()
            .filter(|(name, kind)| (candidate.applies)(name, *kind))
            .map(|(name, _)| name.as_str())
            .collect();
        if names.is_empty() || names.iter().all(|n| existing.excludes(n)) {
            continue;
        }
        let needs = |pattern: &str| {
            let alone = Ignore::parse(pattern);
            sources.iter().any(|(_, path)| {
                !path.is_empty() && (alone.excludes(path) || glob_hits(path, &names, &alone))
            })
        };
        if !needs(candidate.pattern) {
            lines.push(candidate.pattern.to_owned());
            continue;
        }
        // A copy needs some of what the pattern covers: the other names
        // one by one (`.env` when `.env.defaults` is copied).
        for &name in &names {
            let plain = !name.contains(['*', '?', '[', '\\', '!', '#']);
            if plain && !existing.excludes(name) && !needs(name) {
                lines.push(name.to_owned());
            }
        }
    }
    lines
}

/// A source with a wildcard at the top (`COPY *.pem /x/`) names the top
/// entries it matches.
fn glob_hits(source: &str, names: &[&str], pattern: &Ignore) -> bool {
    if !source.contains(['*', '?', '[']) {
        return false;
    }
    let glob = Ignore::parse(source);
    names
        .iter()
        .any(|n| glob.excludes(n) && pattern.excludes(n))
}
