//! ## What it does
//! Reports `ARG` and `ENV` names that look like secrets, and `COPY`/`ADD` of
//! files that usually hold credentials.
//!
//! ## Why is this bad?
//! `ARG` and `ENV` values are stored in the image: `docker history` and
//! `docker inspect` show them to anyone who can pull it, and `ENV` values
//! reach every process of the container. A copied `.env`, private key or
//! `.npmrc` stays in its layer even if a later step deletes it. BuildKit
//! secrets (`RUN --mount=type=secret,id=…`) give a build step a secret
//! without storing it (BuildKit SecretsUsedInArgOrEnv).
//!
//! A name is suspicious when one of its `_`-separated parts is `apikey`,
//! `auth`, `credential(s)`, `key`, `password`, `passwd`, `pword`,
//! `passphrase`, `secret` or `token` (as BuildKit checks), unless a part
//! says it is not the secret itself: `public`, `file`, `version`, `path`,
//! `dir`, `url`, `gpg`, `pgp`, `fingerprint` or `signing` (`DB_PASSWORD_FILE`
//! and `GPG_KEY`, which official images use for key fingerprints, are fine).
//! Copied public keys (`*.pub`, `*.gpg.key`, `authorized_keys`) are fine too.
//!
//! ## Example
//! ```dockerfile
//! ARG NPM_TOKEN
//! RUN echo "//registry.npmjs.org/:_authToken=${NPM_TOKEN}" > .npmrc && npm ci
//! ```
//!
//! Use instead:
//! ```dockerfile
//! RUN --mount=type=secret,id=npm_token,env=NPM_TOKEN \
//!     echo "//registry.npmjs.org/:_authToken=${NPM_TOKEN}" > .npmrc && npm ci && rm .npmrc
//! ```
//!
//! ## Fix safety
//! No fix: moving a secret to a secret mount changes how the build is
//! called (`docker build --secret id=…`). Values are never shown in
//! messages.

use parse_dockerfile::{Instruction, Source};

use super::{FixKind, Report, Rule};
use crate::document::Document;
use crate::words::build_word;

pub static RULE: Rule = Rule {
    id: "secret-in-arg-env",
    codes: &["SecretsUsedInArgOrEnv"],
    fix: FixKind::None,
    summary: "Do not pass secrets through ARG, ENV or copied files",
    source: include_str!("secret_in_arg_env.rs"),
    check,
};

const SECRET_PARTS: &[&str] = &[
    "apikey",
    "auth",
    "credential",
    "credentials",
    "key",
    "password",
    "passwd",
    "pword",
    "passphrase",
    "secret",
    "token",
];

const HARMLESS_PARTS: &[&str] = &[
    "public",
    "file",
    "version",
    "path",
    "dir",
    "url",
    "gpg",
    "pgp",
    "fingerprint",
    "signing",
];

/// File names that usually hold credentials.
const SECRET_FILES: &[&str] = &[
    ".env",
    "id_rsa",
    "id_dsa",
    "id_ecdsa",
    "id_ed25519",
    ".npmrc",
    ".pypirc",
    ".netrc",
    ".git-credentials",
    ".dockercfg",
    "credentials.json",
    "service-account.json",
];

/// Name endings of key stores and private keys.
const SECRET_ENDINGS: &[&str] = &[".pem", ".key", ".p12", ".pfx", ".jks", ".keystore"];

/// Folders that hold credentials.
const SECRET_FOLDERS: &[&str] = &[".aws", ".ssh", ".gnupg", ".docker", ".kube"];

const ADVICE: &str = "pass it with a secret mount instead (RUN --mount=type=secret,id=…)";

fn check(doc: &Document<'_>, report: &mut Report) {
    for instruction in doc.all_instructions() {
        match instruction {
            Instruction::Arg(arg) => {
                for name in names(&arg.arguments.value, false) {
                    if is_secret_name(&name) {
                        report.push(
                            arg.arg.span.start..arg.arguments.span.end,
                            format!("ARG {name} looks like a secret, and build arguments are stored in the image; {ADVICE}"),
                            None,
                        );
                    }
                }
            }
            Instruction::Env(env) => {
                for name in names(&env.arguments.value, true) {
                    if is_secret_name(&name) {
                        report.push(
                            env.env.span.start..env.arguments.span.end,
                            format!("ENV {name} looks like a secret, and it is stored in the image; {ADVICE}"),
                            None,
                        );
                    }
                }
            }
            Instruction::Copy(copy) => {
                if copy.options.iter().any(|o| o.name.value == "from") {
                    continue;
                }
                report_secret_files(
                    doc,
                    &copy.src,
                    copy.copy.span.start..copy.dest.span.end,
                    "COPY",
                    report,
                );
            }
            Instruction::Add(add) => {
                report_secret_files(
                    doc,
                    &add.src,
                    add.add.span.start..add.dest.span.end,
                    "ADD",
                    report,
                );
            }
            _ => {}
        }
    }
}

/// Sources are read as BuildKit reads them (`COPY ".env" /app/` copies `.env`).
fn report_secret_files(
    doc: &Document<'_>,
    sources: &[Source<'_>],
    span: std::ops::Range<usize>,
    keyword: &str,
    report: &mut Report,
) {
    for source in sources {
        let Source::Path(path) = source else { continue };
        let Some(word) = build_word(&path.value, doc.escape) else {
            continue;
        };
        if is_secret_file(&word.value) {
            report.push(
                span.clone(),
                format!(
                    "{keyword} {} may put credentials into a layer for good; {ADVICE}",
                    path.value
                ),
                None,
            );
        }
    }
}

/// The variable names an `ARG` or `ENV` declares. `ENV name value` (the old
/// form, no `=` in the first word) declares one.
fn names(arguments: &str, env: bool) -> Vec<String> {
    let words = words(arguments);
    if env && words.first().is_some_and(|w| !w.contains('=')) {
        return words.into_iter().take(1).collect();
    }
    words
        .into_iter()
        .map(|w| w.split('=').next().unwrap_or_default().to_owned())
        .filter(|n| !n.is_empty())
        .collect()
}

/// Blank-separated words, quotes kept together (values may hold blanks).
fn words(text: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut quote = None;
    for c in text.chars() {
        match (quote, c) {
            (None, '"' | '\'') => {
                quote = Some(c);
                word.push(c);
            }
            (Some(q), c) if c == q => {
                quote = None;
                word.push(c);
            }
            (None, c) if c.is_whitespace() => {
                if !word.is_empty() {
                    words.push(std::mem::take(&mut word));
                }
            }
            (_, c) => word.push(c),
        }
    }
    if !word.is_empty() {
        words.push(word);
    }
    words
}

fn is_secret_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    let parts: Vec<&str> = lower.split('_').collect();
    parts.iter().any(|p| SECRET_PARTS.contains(p))
        && !parts.iter().any(|p| HARMLESS_PARTS.contains(p))
}

fn is_secret_file(path: &str) -> bool {
    let path = path.trim_end_matches('/');
    let lower = path.to_ascii_lowercase();
    let name = lower.rsplit('/').next().unwrap_or(&lower);
    let public = ["pub", "gpg", "asc"].iter().any(|p| name.contains(p))
        || ["authorized_keys", "known_hosts"].contains(&name);
    if public {
        return false;
    }
    let env_file = name == ".env"
        || name.strip_prefix(".env.").is_some_and(|rest| {
            !["example", "sample", "template", "dist", "defaults"].contains(&rest)
        });
    env_file
        || SECRET_FILES.contains(&name)
        || SECRET_ENDINGS
            .iter()
            .any(|e| name.ends_with(e) && name.len() > e.len())
        || SECRET_FOLDERS.contains(&name)
        || lower
            .split('/')
            .any(|part| SECRET_FOLDERS.contains(&part) && part != name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_names() {
        for name in [
            "DB_PASSWORD",
            "api_key",
            "GITHUB_TOKEN",
            "AUTH",
            "AWS_SECRET_ACCESS_KEY",
            "NPM_TOKEN",
        ] {
            assert!(is_secret_name(name), "{name}");
        }
        for name in [
            "DB_PASSWORD_FILE",
            "GPG_KEY",
            "PUBLIC_KEY",
            "NODE_VERSION",
            "KEYCLOAK_URL",
            "TOKENIZER",
        ] {
            assert!(!is_secret_name(name), "{name}");
        }
    }

    #[test]
    fn declared_names() {
        assert_eq!(names("A=1 B=\"x y\" C", false), ["A", "B", "C"]);
        assert_eq!(
            names("API_TOKEN some value with blanks", true),
            ["API_TOKEN"]
        );
        assert_eq!(names("X=1 Y='a b'", true), ["X", "Y"]);
    }

    #[test]
    fn values_never_appear_in_messages() {
        let text = "FROM a\nARG TOKEN=s3cr3t-value\nENV DB_PASSWORD=\"hunter 2\" API_KEY hunter3\n";
        let doc = Document::parse(text).unwrap();
        let findings = crate::rules::check(&doc, &[&RULE]);
        assert_eq!(findings.len(), 3);
        for finding in findings {
            for value in ["s3cr3t", "hunter"] {
                assert!(!finding.message.contains(value), "{}", finding.message);
            }
        }
    }

    #[test]
    fn secret_files() {
        for path in [
            ".env",
            "config/.env.production",
            "id_rsa",
            "certs/server.key",
            ".aws/",
            ".ssh/config",
            ".npmrc",
        ] {
            assert!(is_secret_file(path), "{path}");
        }
        for path in [
            ".env.example",
            "src/",
            "keys.py",
            "environment.yml",
            ".dockerignore",
            "app.key.txt",
            "yarn-pubkey.gpg.key",
            ".ssh/authorized_keys",
        ] {
            assert!(!is_secret_file(path), "{path}");
        }
    }
}
