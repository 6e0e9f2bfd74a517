//! `fix --verified --unsafe-fixes` with buildah on the cases of
//! `tests/optimize/`: slim-base kept where the build and the smoke command
//! prove it and left out, with the reason, where the smoke command fails;
//! multi-stage on a Go and a C-extension Python file. The "full" and
//! "slim" python:3.11 images are made locally by
//! `scripts/optimize-images.sh` (the Debian base plus python3; plus a
//! compiler for the full one). Nothing is mocked: every image is built.

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
    let env = env();
    let dir = copy_cases(&["go"]);
    let path = dir.path().join("go/Dockerfile");
    let (code, json, err) = verified(
        env,
        &["--select", "multi-stage", "--smoke", "hello"],
        std::slice::from_ref(&path),
    );
    assert_eq!(code, 0, "{err}\n{json:#}");
    let go = file(&json, "go");
    assert_eq!(strings(&go["proven"]), ["multi-stage"], "{go:#}");
    let (before, after) = (size(go, "size_before"), size(go, "size_after"));
    assert!(after * 2 <= before, "not 50 % smaller: {before} → {after}");
    assert!(
        strings(&go["evidence"]["packages_removed"])
            .iter()
            .any(|p| p.starts_with("golang")),
        "{go:#}"
    );
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("FROM debian:bookworm AS build\n"), "{text}");
    assert!(
        text.contains("\nFROM debian:bookworm-slim\nWORKDIR /src\nCOPY --from=build /usr/local/bin/hello /usr/local/bin/hello\nCMD [\"hello\"]\n"),
        "{text}"
    );
}

#[test]
fn multi_stage_python_keeps_the_c_extension_and_drops_the_compiler() {
    let _serial = builds::serial();
    let env = env();
    let dir = copy_cases(&["python-cext"]);
    let path = dir.path().join("python-cext/Dockerfile");
    let (code, json, err) = verified(
        env,
        &[
            "--select",
            "multi-stage",
            "--smoke",
            "python -c 'import hello; print(hello.greet())'",
        ],
        std::slice::from_ref(&path),
    );
    assert_eq!(code, 0, "{err}\n{json:#}");
    let py = file(&json, "python-cext");
    assert_eq!(strings(&py["proven"]), ["multi-stage"], "{py:#}");
    let removed = strings(&py["evidence"]["packages_removed"]);
    for package in ["gcc", "python3-dev", "build-essential"] {
        assert!(removed.contains(&package), "{package} not removed: {py:#}");
    }
    assert!(size(py, "size_after") < size(py, "size_before"), "{py:#}");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(
        text.contains("COPY --from=build /opt/venv /opt/venv\n"),
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
