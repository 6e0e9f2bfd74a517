//! `fix --verified --unsafe-fixes` with buildah on the cases of
//! `tests/optimize/`: slim-base kept where the build and the smoke command
//! prove it and left out, with the reason, where the smoke command fails;
//! multi-stage on a Go, a C-extension Python, a Node, a Rust and a Maven
//! file. The "full" and "slim" python:3.11 and node:20 images are made
//! locally by `scripts/optimize-images.sh` (the Debian base plus python3,
//! or Debian's nodejs and npm; plus a compiler for the full ones). Nothing
//! is mocked: every image is built.

mod support;

use std::path::PathBuf;
use std::process::Command;

use serde_json::Value;
use support::builds::{self, buildah_env, dockerfix, run};

const LOCAL: &str = "--build-opt=--pull=never";

/// The build environment, with the python:3.11 pair made.
fn env() -> &'static [(String, String)] {
    let env = buildah_env();
    let mut command = Command::new("bash");
    command.arg(builds::root().join("scripts/optimize-images.sh"));
    for (k, v) in env {
        command.env(k, v);
    }
    let (code, out, err) = run(&mut command);
    assert_eq!(code, 0, "optimize-images.sh: {out}{err}");
    env
}

/// A copy of the cases `names` (fix --verified writes in place).
fn copy_cases(names: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for name in names {
        builds::copy_dir(
            &builds::root().join("tests/optimize").join(name),
            &dir.path().join(name),
        );
    }
    dir
}

/// Runs `fix --verified --unsafe-fixes --format json` with `args`.
fn verified(env: &[(String, String)], args: &[&str], paths: &[PathBuf]) -> (i32, Value, String) {
    let (code, out, err) = run(dockerfix(env)
        .args([
            "fix",
            "--verified",
            "--unsafe-fixes",
            "--builder",
            "buildah",
            LOCAL,
            "--format",
            "json",
        ])
        .args(args)
        .args(paths));
    let json =
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("no JSON ({e}):\n{out}\n{err}"));
    (code, json, err)
}

fn file<'j>(json: &'j Value, case: &str) -> &'j Value {
    json["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["path"].as_str().unwrap().contains(&format!("/{case}/")))
        .unwrap_or_else(|| panic!("no {case} in {json:#}"))
}

fn size(file: &Value, side: &str) -> u64 {
    file["evidence"][side].as_u64().unwrap()
}

fn strings(list: &Value) -> Vec<&str> {
    list.as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .collect()
}

/// `fix --verified --unsafe-fixes --select multi-stage --smoke SMOKE` on a
/// copy of case `case` (with the folders `extra` copied into it, as
/// `(from, to)` under `tests/optimize/`): the fix must be proven. The
/// case's JSON, the fixed text and the image sizes before and after.
fn proven_multi_stage(
    case: &str,
    smoke: &str,
    extra: &[(&str, &str)],
) -> (Value, String, u64, u64) {
    let env = env();
    let dir = copy_cases(&[case]);
    for (from, to) in extra {
        builds::copy_dir(
            &builds::root().join("tests/optimize").join(from),
            &dir.path().join(case).join(to),
        );
    }
    let path = dir.path().join(case).join("Dockerfile");
    let (code, json, err) = verified(
        env,
        &["--select", "multi-stage", "--smoke", smoke],
        std::slice::from_ref(&path),
    );
    assert_eq!(code, 0, "{err}\n{json:#}");
    let found = file(&json, case).clone();
    assert_eq!(strings(&found["proven"]), ["multi-stage"], "{found:#}");
    let (before, after) = (size(&found, "size_before"), size(&found, "size_after"));
    let text = std::fs::read_to_string(&path).unwrap();
    (found, text, before, after)
}

#[test]
fn slim_base_is_kept_when_proven_and_left_out_when_the_smoke_command_fails() {
    let _serial = builds::serial();
    let env = env();
    let dir = copy_cases(&["slim-ok", "slim-rejected"]);
    let ok = dir.path().join("slim-ok/Dockerfile");
    let rejected = dir.path().join("slim-rejected/Dockerfile");
    let (code, json, err) = verified(
        env,
        &["--select", "slim-base", "--smoke", "python3 /app/app.py"],
        &[ok.clone(), rejected.clone()],
    );
    assert_eq!(code, 0, "{err}\n{json:#}");

    let kept = file(&json, "slim-ok");
    assert_eq!(strings(&kept["proven"]), ["slim-base"], "{kept:#}");
    assert!(kept["rejected"].as_array().unwrap().is_empty(), "{kept:#}");
    assert!(
        size(kept, "size_after") < size(kept, "size_before"),
        "{kept:#}"
    );
    assert!(
        strings(&kept["evidence"]["packages_removed"]).contains(&"gcc-12"),
        "{kept:#}"
    );
    assert_eq!(kept["evidence"]["smoke_passed"], true);
    let text = std::fs::read_to_string(&ok).unwrap();
    assert!(text.starts_with("FROM python:3.11-slim\n"), "{text}");

    // The app loads libgomp, which only the full image has: the smoke
    // command finds it, the fix is left out and the file stays as it was.
    let left = file(&json, "slim-rejected");
    assert!(left["proven"].as_array().unwrap().is_empty(), "{left:#}");
    let reasons = left["rejected"].as_array().unwrap();
    assert_eq!(reasons.len(), 1, "{left:#}");
    assert_eq!(reasons[0]["rule"], "slim-base");
    let reason = reasons[0]["reason"].as_str().unwrap();
    assert!(reason.contains("smoke command exited with 1"), "{reason}");
    assert!(reason.contains("libgomp.so.1"), "{reason}");
    assert_eq!(left["changed"], false);
    let original =
        std::fs::read_to_string(builds::root().join("tests/optimize/slim-rejected/Dockerfile"))
            .unwrap();
    assert_eq!(std::fs::read_to_string(&rejected).unwrap(), original);
}

#[test]
fn multi_stage_go_halves_the_image() {
    let _serial = builds::serial();
    let (go, text, before, after) = proven_multi_stage("go", "hello", &[]);
    assert!(after * 2 <= before, "not 50 % smaller: {before} → {after}");
    assert!(
        strings(&go["evidence"]["packages_removed"])
            .iter()
            .any(|p| p.starts_with("golang")),
        "{go:#}"
    );
    assert!(text.contains("FROM debian:bookworm AS build\n"), "{text}");
    assert!(
        text.contains("\nFROM debian:bookworm-slim\nWORKDIR /src\nCOPY --from=build /usr/local/bin/hello /usr/local/bin/hello\nCOPY --from=build /src/templates /src/templates\nCMD [\"hello\"]\n"),
        "{text}"
    );
}

#[test]
fn multi_stage_python_keeps_the_c_extension_and_drops_the_compiler() {
    let _serial = builds::serial();
    let smoke = "python -c 'import hello; print(hello.greet())'";
    let (py, text, before, after) = proven_multi_stage("python-cext", smoke, &[]);
    let removed = strings(&py["evidence"]["packages_removed"]);
    for package in ["gcc", "python3-dev", "build-essential"] {
        assert!(removed.contains(&package), "{package} not removed: {py:#}");
    }
    assert!(after < before, "{py:#}");
    assert!(
        text.contains("COPY --from=build /opt/venv /opt/venv\n"),
        "{text}"
    );
}

#[test]
fn multi_stage_rust_drops_cargo_and_the_compiler() {
    let _serial = builds::serial();
    let (rust, text, before, after) = proven_multi_stage("rust", "hello", &[]);
    assert!(after * 2 <= before, "not 50 % smaller: {before} → {after}");
    let removed = strings(&rust["evidence"]["packages_removed"]);
    for package in ["cargo", "rustc", "gcc"] {
        assert!(
            removed.contains(&package),
            "{package} not removed: {rust:#}"
        );
    }
    assert!(text.contains("FROM debian:bookworm AS build\n"), "{text}");
    assert!(
        text.contains("\nFROM debian:bookworm-slim\nWORKDIR /src\nCOPY --from=build /usr/local/bin/hello /usr/local/bin/hello\nCMD [\"hello\"]\n"),
        "{text}"
    );
}

#[test]
fn multi_stage_maven_ships_the_jar_on_a_jre() {
    let _serial = builds::serial();
    let (java, text, before, after) =
        proven_multi_stage("maven", "java -jar target/hello.jar", &[]);
    assert!(after < before, "{java:#}");
    let removed = strings(&java["evidence"]["packages_removed"]);
    for package in ["maven", "openjdk-17-jdk-headless"] {
        assert!(
            removed.contains(&package),
            "{package} not removed: {java:#}"
        );
    }
    assert!(
        text.contains("\nFROM debian:bookworm-slim\nWORKDIR /src\nRUN apt-get update && apt-get install -y --no-install-recommends default-jre-headless && rm -rf /var/lib/apt/lists/*\nCOPY --from=build /src/target/*.jar /src/target/\n"),
        "{text}"
    );
}

#[test]
fn verified_without_a_builder_is_an_error() {
    let empty = tempfile::tempdir().unwrap();
    let (code, out, err) = run(Command::new(env!("CARGO_BIN_EXE_dockerfix"))
        .env("PATH", empty.path())
        .args([
            "fix",
            "--verified",
            "--unsafe-fixes",
            "tests/optimize/slim-ok",
        ])
        .current_dir(builds::root()));
    assert_eq!(code, 2, "{out}{err}");
    assert!(err.contains("--verified needs a builder"), "{err}");
    // Nothing was written.
    let text =
        std::fs::read_to_string(builds::root().join("tests/optimize/slim-ok/Dockerfile")).unwrap();
    assert!(text.starts_with("FROM python:3.11\n"), "{text}");
    // --verified needs --unsafe-fixes.
    let (code, _, err) = run(Command::new(env!("CARGO_BIN_EXE_dockerfix"))
        .args(["fix", "--verified", "tests/optimize/slim-ok"])
        .current_dir(builds::root()));
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("--unsafe-fixes"), "{err}");
}

/// The pull-request bot with `--verified`: in a git repository holding the
/// two slim cases, every proven fix is committed and the body shows each
/// fix's evidence: non-root-user and slim-base each as a step of their
/// own (slim-ok), and slim-base left out of slim-rejected with the smoke
/// command's reason while its proven non-root-user fix is kept.
#[test]
fn pr_bot_verified_commits_proven_fixes_with_each_fixs_evidence() {
    let _serial = builds::serial();
    let env = env();
    let repo = copy_cases(&["slim-ok", "slim-rejected"]);
    let root = repo.path();
    let git = |args: &[&str]| {
        let (code, out, err) = run(Command::new("git").args(args).current_dir(root));
        assert_eq!(code, 0, "git {args:?}: {err}");
        out
    };
    git(&["init", "-q", "-b", "main"]);
    git(&["config", "user.name", "Test"]);
    git(&["config", "user.email", "test@example.com"]);
    git(&["add", "."]);
    git(&["commit", "-q", "-m", "initial"]);

    let mut command = Command::new("bash");
    command
        .arg(builds::root().join("scripts/pr-bot.sh"))
        .args(["--no-push", "--verified", "--"])
        .args(["--unsafe-fixes", "--builder", "buildah", LOCAL])
        .args(["--select", "slim-base,non-root-user"])
        .args(["--smoke", "python3 /app/app.py", "."])
        .current_dir(root)
        .env("DOCKERFIX", env!("CARGO_BIN_EXE_dockerfix"));
    for (k, v) in env {
        command.env(k, v);
    }
    let (code, out, err) = run(&mut command);
    assert_eq!(code, 0, "{out}\n{err}");
    let committed = git(&["show", "--name-only", "--format=", "HEAD"]);
    assert_eq!(
        committed.trim(),
        "slim-ok/Dockerfile\nslim-rejected/Dockerfile",
        "{out}{err}"
    );
    let ok = git(&["show", "HEAD:slim-ok/Dockerfile"]);
    assert!(ok.starts_with("FROM python:3.11-slim\n"), "{ok}");
    assert!(ok.contains("USER 1001:1001"), "{ok}");
    let rejected = git(&["show", "HEAD:slim-rejected/Dockerfile"]);
    assert!(rejected.starts_with("FROM python:3.11\n"), "{rejected}");
    assert!(rejected.contains("USER 1001:1001"), "{rejected}");

    let body = std::fs::read_to_string(root.join(".git/dockerfix-pr.md")).unwrap();
    assert!(body.starts_with("## dockerfix\n\n2 files: "), "{body}");
    assert!(
        body.contains("| File | Fix | Verdict | Image size | Packages removed |"),
        "{body}"
    );
    let rows: Vec<&str> = body
        .lines()
        .filter(|l| l.starts_with("| <code>slim-ok/"))
        .collect();
    assert_eq!(rows.len(), 3, "two steps and the whole: {body}");
    assert!(
        rows[0].contains("<code>non-root-user</code> | kept: proven"),
        "{body}"
    );
    assert!(
        rows[1].contains("<code>slim-base</code> | kept: proven"),
        "{body}"
    );
    // slim-base's step drops the compiler of the full image.
    assert!(rows[1].contains("gcc-12"), "{body}");
    assert!(
        rows[2].contains("all together | built, smoke command passed"),
        "{body}"
    );
    let left = body
        .lines()
        .find(|l| l.starts_with("| <code>slim-rejected/") && l.contains("left out"))
        .unwrap_or_else(|| panic!("{body}"));
    assert!(left.contains("<code>slim-base</code>"), "{left}");
    assert!(left.contains("libgomp.so.1"), "{left}");
    assert!(
        body.contains("<summary><code>slim-ok/Dockerfile</code>: proven"),
        "{body}"
    );
    // The commit message is the summary line.
    let message = git(&["log", "-1", "--format=%b"]);
    assert!(
        message.starts_with("2 files: 3 unsafe fixes proven and kept, 1 left out"),
        "{message}"
    );
}

/// Debian's own Python without a venv: pip installs the C extension into
/// /usr/local, which the runtime stage copies onto the slim release with
/// `python3` (the interpreter pip needed) and without the compiler.
#[test]
fn multi_stage_debian_python_without_a_venv_copies_usr_local() {
    let _serial = builds::serial();
    let smoke = "python3 -c 'import hello; print(hello.greet())'";
    // The C module of python-cext.
    let (py, text, before, after) =
        proven_multi_stage("python-distro", smoke, &[("python-cext/hello", "hello")]);
    let removed = strings(&py["evidence"]["packages_removed"]);
    for package in ["gcc", "python3-dev", "python3-pip", "build-essential"] {
        assert!(removed.contains(&package), "{package} not removed: {py:#}");
    }
    assert!(after * 2 <= before, "not 50 % smaller: {before} → {after}");
    assert!(
        text.contains("\nFROM debian:bookworm-slim\nWORKDIR /src\nRUN apt-get update && apt-get install -y --no-install-recommends python3 && rm -rf /var/lib/apt/lists/*\nCOPY --from=build /usr/local /usr/local\n"),
        "{text}"
    );
}

#[test]
fn multi_stage_node_ships_the_build_output_and_production_dependencies() {
    let _serial = builds::serial();
    let (node, text, before, after) = proven_multi_stage("node", "node /app/dist/index.js", &[]);
    // 969.6 MB → 554.5 MB (−43 %) when written: the runtime stage needs
    // npm for `npm ci --omit=dev`, and the local "slim" image's Debian npm
    // depends on node-gyp, libnode-dev, python3 and perl (its nodejs and
    // npm are 385 MB over the Debian base); the official node:20-slim's
    // bundled npm needs none of them.
    eprintln!("node: {before} → {after} bytes");
    assert!(
        after * 10 <= before * 6,
        "not 40 % smaller: {before} → {after}"
    );
    let removed = strings(&node["evidence"]["packages_removed"]);
    for package in ["build-essential", "gcc"] {
        assert!(
            removed.iter().any(|p| p.starts_with(package)),
            "{package} not removed: {node:#}"
        );
    }
    assert!(text.contains("FROM node:20 AS build\n"), "{text}");
    assert!(
        text.contains("\nFROM node:20-slim\nENV NPM_CONFIG_AUDIT=false NPM_CONFIG_FUND=false NPM_CONFIG_UPDATE_NOTIFIER=false\nWORKDIR /app\nCOPY package.json package-lock.json ./\nRUN npm ci --omit=dev\nCOPY --from=build /app/dist /app/dist\nCMD [\"node\", \"dist/index.js\"]\n"),
        "{text}"
    );
}

/// A fix that writes another file (dockerignore's `.dockerignore`) is left
/// to `fix`: `fix --verified` builds the Dockerfile's text alone, and used
/// to loop on such a fix once the rules saw the build context. No build
/// is needed: nothing unsafe changes the Dockerfile.
#[test]
fn verified_leaves_fixes_of_other_files_to_fix() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    std::fs::write(dir.path().join(".env"), "SECRET=1\n").unwrap();
    let dockerfile = dir.path().join("Dockerfile");
    let text = "FROM alpine:3.20\nCOPY . /app\nCMD [\"/app/run\"]\n";
    std::fs::write(&dockerfile, text).unwrap();
    let (code, json, err) = verified(
        buildah_env(),
        &["--select", "dockerignore"],
        std::slice::from_ref(&dockerfile),
    );
    assert_eq!(code, 0, "{err}\n{json:#}");
    let found = &json["files"][0];
    assert!(found["error"].is_null(), "{found:#}");
    assert_eq!(found["changed"], false, "{found:#}");
    assert_eq!(found["builds"], 0, "{found:#}");
    assert!(!dir.path().join(".dockerignore").exists());
    assert_eq!(std::fs::read_to_string(&dockerfile).unwrap(), text);
}
