//! The command line as users run it: exit codes, writes, stdin, errors.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use assert_cmd::prelude::*;

const BAD: &str = "FROM alpine:3.20@sha256:5afbbbebe6e580ee1b4b41d2a23f506abdc06ae48294544fdfd7bfd7de8d2abc\nMAINTAINER me@example.com\nADD a.txt /a\nCMD python app.py\nUSER nobody\n";
const CLEAN: &str = "FROM alpine:3.20@sha256:5afbbbebe6e580ee1b4b41d2a23f506abdc06ae48294544fdfd7bfd7de8d2abc\nCOPY a.txt /a\nCMD [\"python\", \"app.py\"]\nUSER nobody\n";

fn dockerfix() -> Command {
    let mut cmd = Command::cargo_bin("dockerfix").unwrap();
    cmd.env_remove("NO_COLOR");
    cmd
}

fn write(dir: &Path, name: &str, content: &[u8]) -> PathBuf {
    let path = dir.join(name);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(&path, content).unwrap();
    path
}

/// Runs dockerfix with `args`, feeding `input` on standard input.
fn with_stdin(args: &[&str], input: &str) -> std::process::Output {
    use std::io::Write;
    use std::process::Stdio;
    let mut child = dockerfix()
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

fn run(cmd: &mut Command) -> (i32, String, String) {
    let out = cmd.output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn check_lists_findings_and_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "Dockerfile", BAD.as_bytes());
    let (code, out, _) = run(dockerfix().arg("check").arg(&path));
    assert_eq!(code, 1);
    let p = path.display();
    assert!(
        out.contains(&format!("{p}:2:1: maintainer-label ")),
        "{out}"
    );
    assert!(out.contains(&format!(
        "{p}:3:1: add-to-copy ADD copies only local files here: use COPY [*]"
    )));
    // exec-form is unsafe: listed, but not marked fixable without --unsafe-fixes.
    assert!(out.contains(&format!(
        "{p}:4:5: exec-form CMD in shell form: use JSON exec form\n"
    )));
    let (_, out, _) = run(dockerfix().args(["check", "--unsafe-fixes"]).arg(&path));
    assert!(out.contains("exec-form CMD in shell form: use JSON exec form [*]"));
    assert_eq!(
        fs::read_to_string(&path).unwrap(),
        BAD,
        "check never writes"
    );

    write(dir.path(), "Dockerfile", CLEAN.as_bytes());
    let (code, out, _) = run(dockerfix().arg("check").arg(dir.path()));
    assert_eq!((code, out.as_str()), (0, ""));
}

#[test]
fn dry_run_prints_a_diff_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "Dockerfile", BAD.as_bytes());
    let before = fs::metadata(&path).unwrap().modified().unwrap();
    for flag in ["--dry-run", "--diff"] {
        let (code, out, _) = run(dockerfix().args(["fix", flag]).current_dir(dir.path()));
        assert_eq!(code, 1);
        assert!(
            out.starts_with("--- a/Dockerfile\n+++ b/Dockerfile\n@@ -1,5 +1,5 @@\n"),
            "{out}"
        );
        assert!(
            out.contains("\n-ADD a.txt /a\n") && out.contains("\n+COPY a.txt /a\n"),
            "{out}"
        );
        assert!(out.contains("+LABEL org.opencontainers.image.authors=\"me@example.com\"\n"));
        assert!(
            !out.contains("+CMD"),
            "unsafe fix shown without --unsafe-fixes"
        );
        assert!(!out.contains("\x1b["), "no colour when not a terminal");
    }
    assert_eq!(fs::read_to_string(&path).unwrap(), BAD);
    assert_eq!(fs::metadata(&path).unwrap().modified().unwrap(), before);

    let (_, out, _) = run(dockerfix()
        .args(["fix", "--dry-run", "--color=always"])
        .arg(&path));
    assert!(out.contains("\x1b[32m+COPY a.txt /a\x1b[0m"));

    write(dir.path(), "Dockerfile", CLEAN.as_bytes());
    let (code, out, _) = run(dockerfix().args(["fix", "--dry-run"]).arg(&path));
    assert_eq!((code, out.as_str()), (0, ""));
}

#[test]
fn fix_writes_in_place_and_is_idempotent() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "Dockerfile", BAD.as_bytes());
    let (code, out, err) = run(dockerfix().args(["fix", "--unsafe-fixes"]).arg(&path));
    assert_eq!(code, 0, "{err}");
    assert_eq!(out, "");
    assert!(err.contains("Applied 3 fixes in 1 of 1 file"), "{err}");
    let fixed = fs::read_to_string(&path).unwrap();
    assert_eq!(
        fixed,
        "FROM alpine:3.20@sha256:5afbbbebe6e580ee1b4b41d2a23f506abdc06ae48294544fdfd7bfd7de8d2abc\nLABEL org.opencontainers.image.authors=\"me@example.com\"\nCOPY a.txt /a\nCMD [\"python\", \"app.py\"]\nUSER nobody\n"
    );
    let (code, _, _) = run(dockerfix().args(["fix", "--unsafe-fixes"]).arg(&path));
    assert_eq!(code, 0);
    assert_eq!(fs::read_to_string(&path).unwrap(), fixed);
    let (code, _, _) = run(dockerfix().args(["check", "--unsafe-fixes"]).arg(&path));
    assert_eq!(code, 0, "nothing left to find");
}

#[cfg(unix)]
#[test]
fn fix_keeps_permissions_and_bom() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "Dockerfile",
        b"\xef\xbb\xbfFROM alpine:3.20@sha256:5afbbbebe6e580ee1b4b41d2a23f506abdc06ae48294544fdfd7bfd7de8d2abc\r\nADD a /a",
    );
    fs::set_permissions(&path, fs::Permissions::from_mode(0o604)).unwrap();
    let (code, _, _) = run(dockerfix().arg("fix").arg(&path));
    assert_eq!(code, 0);
    assert_eq!(
        fs::read(&path).unwrap(),
        b"\xef\xbb\xbfFROM alpine:3.20@sha256:5afbbbebe6e580ee1b4b41d2a23f506abdc06ae48294544fdfd7bfd7de8d2abc\r\nCOPY a /a"
    );
    assert_eq!(
        fs::metadata(&path).unwrap().permissions().mode() & 0o777,
        0o604
    );
}

#[cfg(unix)]
#[test]
fn read_only_file_is_an_error_and_unchanged() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "Dockerfile", BAD.as_bytes());
    fs::set_permissions(&path, fs::Permissions::from_mode(0o444)).unwrap();
    let (code, _, err) = run(dockerfix().arg("fix").arg(&path));
    assert_eq!(code, 2);
    assert!(
        err.contains("cannot write the fixed file: the file is read-only"),
        "{err}"
    );
    assert_eq!(fs::read_to_string(&path).unwrap(), BAD);
}

#[test]
fn stdin_to_stdout_keeps_crlf() {
    let out = with_stdin(
        &["fix", "-"],
        "FROM alpine:3.20@sha256:5afbbbebe6e580ee1b4b41d2a23f506abdc06ae48294544fdfd7bfd7de8d2abc\r\nADD a.txt /a\r\n",
    );
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(out.stdout, b"FROM alpine:3.20@sha256:5afbbbebe6e580ee1b4b41d2a23f506abdc06ae48294544fdfd7bfd7de8d2abc\r\nCOPY a.txt /a\r\n");

    let out = with_stdin(
        &[
            "fix",
            "--dry-run",
            "--stdin-filename",
            "svc/Dockerfile",
            "-",
        ],
        "FROM alpine:3.20@sha256:5afbbbebe6e580ee1b4b41d2a23f506abdc06ae48294544fdfd7bfd7de8d2abc\nADD a.txt /a\n",
    );
    assert_eq!(out.status.code(), Some(1));
    let diff = String::from_utf8(out.stdout).unwrap();
    assert!(
        diff.starts_with("--- a/svc/Dockerfile\n+++ b/svc/Dockerfile\n"),
        "{diff}"
    );

    // Unchanged input is written back unchanged.
    let out = with_stdin(&["fix", "-"], CLEAN);
    assert_eq!(out.stdout, CLEAN.as_bytes());

    // An input that cannot be fixed is passed through unchanged, with exit 2.
    let out = with_stdin(&["fix", "-"], "FROM a\nWRONG\n");
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(out.stdout, b"FROM a\nWRONG\n");

    let out = with_stdin(&["check", "-"], BAD);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8(out.stdout)
            .unwrap()
            .contains("-:3:1: add-to-copy")
    );
}

#[test]
fn broken_files_are_reported_and_the_others_fixed() {
    let dir = tempfile::tempdir().unwrap();
    let good = write(dir.path(), "a/Dockerfile", BAD.as_bytes());
    let latin1 = write(
        dir.path(),
        "b/Dockerfile",
        b"FROM alpine:3.20@sha256:5afbbbebe6e580ee1b4b41d2a23f506abdc06ae48294544fdfd7bfd7de8d2abc\nLABEL who=\"J\xf6rg\"\n",
    );
    let broken = write(
        dir.path(),
        "c/Dockerfile",
        b"FROM alpine:3.20@sha256:5afbbbebe6e580ee1b4b41d2a23f506abdc06ae48294544fdfd7bfd7de8d2abc\nADD a /a\nWRONG x\n",
    );
    let (code, _, err) = run(dockerfix().arg("fix").arg(dir.path()));
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains(&format!(
            "{}:2:13: invalid UTF-8 (byte 0xf6)",
            latin1.display()
        )),
        "{err}"
    );
    assert!(
        err.contains(&format!(
            "{}:3:1: cannot parse: unknown instruction",
            broken.display()
        )),
        "{err}"
    );
    assert!(
        fs::read_to_string(&good).unwrap().contains("COPY a.txt /a"),
        "the good file is fixed"
    );
    assert_eq!(
        fs::read(&latin1).unwrap(),
        b"FROM alpine:3.20@sha256:5afbbbebe6e580ee1b4b41d2a23f506abdc06ae48294544fdfd7bfd7de8d2abc\nLABEL who=\"J\xf6rg\"\n"
    );
    assert_eq!(
        fs::read_to_string(&broken).unwrap(),
        "FROM alpine:3.20@sha256:5afbbbebe6e580ee1b4b41d2a23f506abdc06ae48294544fdfd7bfd7de8d2abc\nADD a /a\nWRONG x\n"
    );

    let (code, _, err) = run(dockerfix().arg("check").arg(dir.path().join("missing")));
    assert_eq!(code, 2);
    assert!(err.contains("missing"), "{err}");
}

/// As root, permissions do not stop a write, so the run drops to `nobody`.
#[cfg(unix)]
#[test]
fn unwritable_folder_is_an_error_and_others_are_fixed() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o755)).unwrap();
    let locked = write(dir.path(), "locked/Dockerfile", BAD.as_bytes());
    let open = write(dir.path(), "open/Dockerfile", BAD.as_bytes());
    for (path, mode) in [(&locked, 0o666), (&open, 0o666)] {
        fs::set_permissions(path, fs::Permissions::from_mode(mode)).unwrap();
    }
    fs::set_permissions(dir.path().join("open"), fs::Permissions::from_mode(0o777)).unwrap();
    fs::set_permissions(dir.path().join("locked"), fs::Permissions::from_mode(0o555)).unwrap();

    let bin = assert_cmd::cargo::cargo_bin("dockerfix");
    let mut cmd = if is_root() {
        let mut cmd = Command::new("setpriv");
        cmd.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(&bin);
        cmd
    } else {
        Command::new(&bin)
    };
    let (code, _, err) = run(cmd.arg("fix").arg(dir.path()));
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains(&format!(
            "{}: cannot write the fixed file",
            locked.display()
        )) && err.contains("ermission denied"),
        "{err}"
    );
    assert!(!err.contains(".dockerfix-"), "no temporary name: {err}");
    assert_eq!(fs::read_to_string(&locked).unwrap(), BAD, "left unchanged");
    assert!(fs::read_to_string(&open).unwrap().contains("COPY a.txt /a"));
    assert_eq!(
        fs::read_dir(dir.path().join("locked")).unwrap().count(),
        1,
        "no temp file left"
    );
}

#[cfg(unix)]
fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.starts_with(b"0\n"))
}

#[test]
fn folders_are_searched_for_dockerfiles_in_order() {
    let dir = tempfile::tempdir().unwrap();
    for name in [
        "Dockerfile",
        "b/Dockerfile.dev",
        "a/api.Dockerfile",
        "a/web.dockerfile",
        "c/Containerfile",
        "c/Containerfile.arm64",
        ".devcontainer/Dockerfile",
        "ignored/Dockerfile",
        "Dockerfile.dockerignore",
        "README.md",
    ] {
        write(dir.path(), name, BAD.as_bytes());
    }
    write(dir.path(), ".gitignore", b"ignored/\n");
    let (code, out, _) = run(dockerfix().arg("check").arg(".").current_dir(dir.path()));
    assert_eq!(code, 1);
    let files: Vec<&str> = out
        .lines()
        .filter(|l| l.contains("add-to-copy"))
        .map(|l| l.split(':').next().unwrap())
        .collect();
    assert_eq!(
        files,
        [
            ".devcontainer/Dockerfile",
            "Dockerfile",
            "a/api.Dockerfile",
            "a/web.dockerfile",
            "b/Dockerfile.dev",
            "c/Containerfile",
            "c/Containerfile.arm64",
        ]
    );
    // No paths = the current folder, same result.
    let (_, again, _) = run(dockerfix().arg("check").current_dir(dir.path()));
    assert_eq!(again, out);
}

#[test]
fn select_and_ignore_rules() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "Dockerfile", BAD.as_bytes());
    let (_, out, _) = run(dockerfix().args(["check", "--select", "DL3020"]).arg(&path));
    assert_eq!(out.lines().count(), 1);
    assert!(out.contains("add-to-copy"));
    let (_, out, _) = run(dockerfix()
        .args(["check", "--ignore", "add-to-copy,exec-form"])
        .arg(&path));
    assert_eq!(out.lines().count(), 1);
    assert!(out.contains("maintainer-label"));
    let (code, _, err) = run(dockerfix().args(["check", "--select", "nope"]).arg(&path));
    assert_eq!(code, 2);
    assert!(err.contains("unknown rule or code `nope`"));
}

/// An opt-in rule runs only when named: `--select`, or `select` in the
/// configuration.
#[test]
fn opt_in_rule_runs_only_when_selected() {
    let dir = tempfile::tempdir().unwrap();
    let text = "FROM python:3.12\nRUN pip install --no-cache-dir flask\n";
    let path = write(dir.path(), "Dockerfile", text.as_bytes());
    let (_, out, _) = run(dockerfix().arg("check").arg(&path));
    assert!(!out.contains("cache-mount"), "{out}");
    let (code, out, _) = run(dockerfix()
        .args([
            "fix",
            "--dry-run",
            "--unsafe-fixes",
            "--select",
            "cache-mount",
        ])
        .arg(&path));
    assert_eq!(code, 1);
    assert!(out.contains("+# syntax=docker/dockerfile:1"), "{out}");
    assert!(
        out.contains("+RUN --mount=type=cache,target=/root/.cache/pip pip install flask"),
        "{out}"
    );
    write(
        dir.path(),
        "dockerfix.toml",
        b"select = [\"cache-mount\"]\n",
    );
    let (code, out, _) = run(dockerfix().arg("check").arg(&path));
    assert_eq!(code, 1);
    assert!(out.contains("cache-mount"), "{out}");
    let (_, out, _) = run(dockerfix().arg("rules"));
    let line = out.lines().find(|l| l.starts_with("cache-mount")).unwrap();
    assert!(line.contains("(opt-in: --select cache-mount)"), "{line}");
}

#[test]
fn rules_and_rule_docs() {
    let (code, out, _) = run(dockerfix().arg("rules"));
    assert_eq!(code, 0);
    for id in ["add-to-copy", "exec-form", "maintainer-label"] {
        assert!(
            out.lines().any(|l| l.starts_with(id)),
            "{id} missing:\n{out}"
        );
    }
    assert!(out.contains("DL3025,JSONArgsRecommended") && out.contains("unsafe"));
    let (code, out, _) = run(dockerfix().args(["rule", "DL3020"]));
    assert_eq!(code, 0);
    assert!(out.starts_with("# add-to-copy (DL3020)"));
    assert!(out.contains("## Fix safety"));
    let (code, _, _) = run(dockerfix().args(["rule", "nope"]));
    assert_eq!(code, 2);
}

#[test]
fn help_documents_exit_codes_and_bad_options_exit_2() {
    let (code, out, _) = run(dockerfix().args(["fix", "--help"]));
    assert_eq!(code, 0);
    assert!(out.contains("Exit codes:") && out.contains("2  an error"));
    let (code, _, _) = run(dockerfix().args(["fix", "--no-such-flag"]));
    assert_eq!(code, 2);
}

/// Context-aware rules on a real folder: `fix --dry-run` shows the new
/// `.dockerignore` against /dev/null and writes nothing; `fix` writes it and
/// the Dockerfile together; a second `fix` changes nothing. Standard input
/// has no context unless `--context` names one.
#[test]
fn context_rules_write_a_second_file() {
    let dir = tempfile::tempdir().unwrap();
    let dockerfile = write(
        dir.path(),
        "Dockerfile",
        b"FROM node:22-slim\nWORKDIR /app\nCOPY . .\nRUN npm ci\n",
    );
    write(dir.path(), "package.json", b"{ \"name\": \"app\" }\n");
    write(dir.path(), ".env", b"TOKEN=secret\n");
    write(dir.path(), "node_modules/x/index.js", b"1\n");
    let args = [
        "--unsafe-fixes",
        "--select",
        "layer-order,dockerignore",
        "--color",
        "never",
    ];

    let (code, out, _) = run(dockerfix()
        .arg("fix")
        .arg("--dry-run")
        .args(args)
        .arg(&dockerfile));
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("--- /dev/null\n"), "{out}");
    assert!(out.contains("+.env*\n+node_modules\n"), "{out}");
    assert!(out.contains("+COPY package.json ./\n"), "{out}");
    assert!(!dir.path().join(".dockerignore").exists());

    let (code, _, err) = run(dockerfix().arg("fix").args(args).arg(&dockerfile));
    assert_eq!(code, 0, "{err}");
    let ignore = fs::read_to_string(dir.path().join(".dockerignore")).unwrap();
    assert!(ignore.ends_with(".env*\nnode_modules\n"), "{ignore}");
    let fixed = fs::read_to_string(&dockerfile).unwrap();
    assert!(
        fixed.contains("COPY package.json ./\nRUN npm ci\nCOPY . .\n"),
        "{fixed}"
    );

    let (code, out, err) = run(dockerfix()
        .arg("fix")
        .arg("--dry-run")
        .args(args)
        .arg(&dockerfile));
    assert_eq!((code, out.as_str()), (0, ""), "{err}");

    // Standard input: reported without a fix, unless --context is given.
    let text = "FROM node:22-slim\nWORKDIR /app\nCOPY . .\nRUN npm ci\n";
    let out = with_stdin(&["check", "--select", "layer-order", "-"], text);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("not fixed: no build context"), "{stdout}");
    let context = dir.path().to_str().unwrap();
    let out = with_stdin(
        &[
            "fix",
            "--unsafe-fixes",
            "--select",
            "layer-order",
            "--context",
            context,
            "-",
        ],
        text,
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("COPY package.json ./\nRUN npm ci\nCOPY . .\n"),
        "{stdout}"
    );
}
