//! `dockerfix verify` with real builders on the cases of `tests/build/`:
//! buildah (vfs storage under `target/verify/`, a Debian base image made
//! with mmdebstrap by `scripts/verify-base.sh`), podman on the same
//! storage, and a Docker daemon started by the test (classic builder).

mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;
use support::builds::{self, Dockerd, buildah_env, dockerfix, run};

/// The options every buildah or podman run here needs: the base image is
/// local only.
const LOCAL: &str = "--build-opt=--pull=never";

fn verify_json(env: &[(String, String)], args: &[&str]) -> (i32, Value, String) {
    let (code, out, err) = run(dockerfix(env)
        .args(["verify", "--format", "json"])
        .args(args));
    let json = serde_json::from_str(&out)
        .unwrap_or_else(|e| panic!("verify printed no JSON ({e}):\n{out}\n{err}"));
    (code, json, err)
}

/// The files of a verify report by case name (the folder under tests/build).
fn by_case(json: &Value) -> BTreeMap<String, &Value> {
    json["files"]
        .as_array()
        .expect("files")
        .iter()
        .map(|f| {
            let path = f["path"].as_str().unwrap();
            let case = Path::new(path)
                .parent()
                .and_then(Path::file_name)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            (case, f)
        })
        .collect()
}

fn names(list: &Value) -> Vec<&str> {
    list.as_array()
        .map(|l| l.iter().filter_map(|p| p["name"].as_str()).collect())
        .unwrap_or_default()
}

/// The verify images and the working containers in the storage (another
/// run may be using it).
fn verify_images(env: &[(String, String)]) -> BTreeSet<String> {
    let listed = |args: &[&str]| {
        let mut command = Command::new("buildah");
        command.args(args);
        for (k, v) in env {
            command.env(k, v);
        }
        run(&mut command).1
    };
    let images = listed(&["images", "--format", "{{.Name}}:{{.Tag}}"]);
    let containers = listed(&[
        "containers",
        "--notruncate",
        "--format",
        "{{.ContainerName}}",
    ]);
    images
        .lines()
        .filter(|l| l.contains("dockerfix-verify-"))
        .map(|l| format!("image {l}"))
        .chain(containers.lines().map(|c| format!("container {c}")))
        .collect()
}

/// No image of this test's verify run, and no working container of its
/// builds (failed, stopped by a timeout or Ctrl-C), is left behind.
fn assert_no_verify_images(env: &[(String, String)], before: &BTreeSet<String>) {
    let left: Vec<String> = verify_images(env).difference(before).cloned().collect();
    assert!(left.is_empty(), "left behind: {left:?}");
}

#[test]
fn safe_fixes_build_equivalent_images() {
    let _serial = builds::serial();
    let env = buildah_env();
    let images = verify_images(env);
    let (code, json, err) = verify_json(env, &["--builder", "buildah", LOCAL, "tests/build/"]);
    assert_eq!(code, 0, "{err}\n{json:#}");
    let files = by_case(&json);
    assert!(files.len() >= 14, "{} cases", files.len());
    for (case, file) in &files {
        let verdict = file["verdict"].as_str().unwrap();
        match case.as_str() {
            "not-built" => {
                assert_eq!(verdict, "not-built", "{file:#}");
                assert!(
                    file["before"]["error"]
                        .as_str()
                        .unwrap()
                        .contains("missing.txt"),
                    "{file:#}"
                );
            }
            // A case whose only fixes are unsafe is not built.
            _ if file["rules"].as_array().unwrap().is_empty() => {
                assert_eq!(verdict, "unchanged", "{case}: {file:#}")
            }
            _ => assert_eq!(verdict, "equivalent", "{case}: {file:#}"),
        }
    }
    // The safe fixes did something in each case that was built.
    for case in [
        "add-to-copy",
        "apt-lists",
        "apt-style",
        "maintainer",
        "pip-venv",
        "toolchain-base",
        "daemon-named",
    ] {
        assert!(
            !files[case]["rules"].as_array().unwrap().is_empty(),
            "{case}: no fix applied"
        );
    }
    // maintainer-label: the label is set, the author field gone; both
    // explained by the rule.
    let config = files["maintainer"]["diff"]["config"].as_array().unwrap();
    assert!(
        config
            .iter()
            .any(|c| c["field"] == "Labels org.opencontainers.image.authors"
                && c["rules"][0] == "maintainer-label"),
        "{config:?}"
    );
    // apt-clean-lists: the lists are gone as a cache, not as files.
    let apt = &files["apt-lists"]["diff"];
    let cache = apt["other"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["category"] == "cache")
        .expect("a cache difference");
    assert!(cache["removed"].as_u64().unwrap() > 0, "{apt:#}");
    assert!(
        files["apt-lists"]["after"]["layers"].as_u64()
            < files["apt-lists"]["before"]["layers"].as_u64(),
        "combined RUNs make fewer layers"
    );
    assert_no_verify_images(env, &images);
}

#[test]
fn unsafe_fixes_show_packages_users_and_the_rule_that_breaks_a_build() {
    let _serial = builds::serial();
    let env = buildah_env();
    let images = verify_images(env);
    let (code, json, err) = verify_json(
        env,
        &[
            "--builder",
            "buildah",
            LOCAL,
            "--unsafe-fixes",
            "tests/build/apt-recommends",
            "tests/build/broken-pipefail",
            "tests/build/non-root-workdir",
            "tests/build/toolchain-base",
            "tests/build/daemon-named",
        ],
    );
    // A broken verdict: exit 1.
    assert_eq!(code, 1, "{err}\n{json:#}");
    let files = by_case(&json);

    let apt = files["apt-recommends"];
    assert_eq!(apt["verdict"], "changed", "{apt:#}");
    // The recommends the command needs (https, git over ssh) stay; the
    // others go.
    let removed = names(&apt["diff"]["packages_removed"]);
    assert!(!removed.is_empty(), "{apt:#}");
    assert!(!removed.contains(&"ca-certificates"), "{removed:?}");
    assert!(!removed.contains(&"openssh-client"), "{removed:?}");
    assert_eq!(apt["diff"]["package_rules"][0], "apt-no-recommends");
    assert!(
        apt["after"]["size_bytes"].as_u64() < apt["before"]["size_bytes"].as_u64(),
        "{apt:#}"
    );

    let broken = files["broken-pipefail"];
    assert_eq!(broken["verdict"], "broken", "{broken:#}");
    assert_eq!(broken["culprit"], "pipefail", "{broken:#}");
    assert!(
        broken["rules"].as_array().unwrap().len() >= 3,
        "the bisect had several rules to choose from: {broken:#}"
    );

    let user = files["non-root-workdir"];
    assert_eq!(user["verdict"], "changed", "{user:#}");
    assert_eq!(user["before"]["user"], "root");
    assert_ne!(user["after"]["user"], "root");
    // The new user owns its WORKDIR and VOLUME: readiness passes.
    assert_eq!(user["warnings"].as_array().unwrap().len(), 0, "{user:#}");

    // A toolchain image and a daemon that drops privileges itself keep
    // running as root; their other fixes were built.
    for case in ["toolchain-base", "daemon-named"] {
        let file = files[case];
        assert_eq!(file["verdict"], "equivalent", "{file:#}");
        assert_eq!(file["before"]["user"], "root", "{file:#}");
        assert_eq!(file["after"]["user"], "root", "{file:#}");
    }
    assert_no_verify_images(env, &images);
}

#[test]
fn text_report_names_the_verdict_sizes_and_packages() {
    let _serial = builds::serial();
    let env = buildah_env();
    let (code, out, err) = run(dockerfix(env).args([
        "verify",
        "--builder",
        "buildah",
        LOCAL,
        "--unsafe-fixes",
        "tests/build/apt-style/Dockerfile",
    ]));
    assert_eq!(code, 0, "{out}\n{err}");
    assert!(
        out.starts_with("tests/build/apt-style/Dockerfile: changed\n"),
        "{out}"
    );
    assert!(out.contains("  size "), "{out}");
    assert!(out.contains("  user      root → 1001:1001"), "{out}");
    // File changes name the rules that explain them.
    assert!(
        out.contains("changed (apt-no-recommends, non-root-user)"),
        "{out}"
    );
    assert!(err.contains("Verified 1 file with buildah"), "{err}");
}

#[test]
fn podman_builds_too() {
    let _serial = builds::serial();
    let env = buildah_env();
    let (code, json, err) = verify_json(
        env,
        &["--builder", "podman", LOCAL, "tests/build/maintainer"],
    );
    assert_eq!(code, 0, "{err}\n{json:#}");
    assert!(json["builder"].as_str().unwrap().starts_with("podman"));
    assert_eq!(json["files"][0]["verdict"], "equivalent", "{json:#}");
}

#[test]
fn docker_classic_builder_on_a_real_daemon() {
    let _serial = builds::serial();
    let daemon = Dockerd::start();
    let env = daemon.env();
    let (code, json, err) = verify_json(
        &env,
        &[
            "--builder",
            "docker",
            "--build-opt=--network=host",
            "--unsafe-fixes",
            // The user non-root-user adds would make add-to-copy `changed`.
            "--ignore",
            "non-root-user",
            "tests/build/add-to-copy",
            "tests/build/broken-pipefail",
        ],
    );
    assert_eq!(code, 1, "{err}\n{json:#}");
    assert!(
        json["builder"]
            .as_str()
            .unwrap()
            .contains("classic builder"),
        "{json:#}"
    );
    let files = by_case(&json);
    assert_eq!(files["add-to-copy"]["verdict"], "equivalent", "{json:#}");
    assert!(
        files["add-to-copy"]["after"]["size_bytes"]
            .as_u64()
            .unwrap()
            > 100_000_000
    );
    assert_eq!(files["broken-pipefail"]["verdict"], "broken", "{json:#}");
    assert_eq!(files["broken-pipefail"]["culprit"], "pipefail");
    // Every image verify made is gone; the base image stays.
    let (_, images, _) =
        run(daemon
            .docker()
            .args(["images", "--format", "{{.Repository}}:{{.Tag}}"]));
    assert!(!images.contains("dockerfix-verify"), "{images}");
    assert!(images.contains("debian:bookworm-slim"), "{images}");
    drop(daemon);
}

#[test]
fn a_timeout_stops_the_build_with_a_clear_error() {
    let _serial = builds::serial();
    let env = buildah_env();
    let images = verify_images(env);
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("Dockerfile"),
        "FROM debian:bookworm-slim\nMAINTAINER x\nRUN sleep 300\n",
    )
    .unwrap();
    let started = std::time::Instant::now();
    let (code, out, err) = run(dockerfix(env)
        .args(["verify", "--builder", "buildah", LOCAL, "--timeout", "3s"])
        .arg(dir.path()));
    assert_eq!(code, 2, "{out}\n{err}");
    assert!(out.contains("stopped after the timeout of 3s"), "{out}");
    assert!(started.elapsed() < std::time::Duration::from_secs(120));
    assert_no_verify_images(env, &images);
}

#[test]
fn ctrl_c_stops_builds_and_removes_images() {
    let _serial = builds::serial();
    let env = buildah_env();
    let images = verify_images(env);
    let dir = tempfile::tempdir().unwrap();
    let dockerfile = "FROM debian:bookworm-slim\nMAINTAINER x\nRUN touch /a\nRUN sleep 300\n";
    std::fs::write(dir.path().join("Dockerfile"), dockerfile).unwrap();
    let child = dockerfix(env)
        .args(["verify", "--builder", "buildah", LOCAL])
        .arg(dir.path())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Wait until the build runs its long step.
    std::thread::sleep(std::time::Duration::from_secs(20));
    // SAFETY: signals the child this test started.
    unsafe {
        libc::kill(child.id() as i32, libc::SIGINT);
    }
    let output = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{err}");
    assert!(err.contains("Interrupted"), "{err}");
    // The work tree is untouched and nothing is left in the storage.
    assert_eq!(
        std::fs::read_to_string(dir.path().join("Dockerfile")).unwrap(),
        dockerfile
    );
    assert_no_verify_images(env, &images);
}

#[test]
fn no_builder_is_an_error_that_says_what_was_tried() {
    let empty = tempfile::tempdir().unwrap();
    let (code, out, err) = run(Command::new(env!("CARGO_BIN_EXE_dockerfix"))
        .env("PATH", empty.path())
        .args(["verify", "tests/build/maintainer"])
        .current_dir(builds::root()));
    assert_eq!(code, 2, "{out}{err}");
    for builder in ["docker", "podman", "buildah"] {
        assert!(
            err.contains(&format!("`{builder}` is not installed")),
            "{err}"
        );
    }
    assert!(err.contains("apt-get install buildah"), "{err}");
}

#[test]
fn pr_bot_leaves_out_a_file_whose_fixes_break_its_build() {
    let _serial = builds::serial();
    let env = buildah_env();
    let images = verify_images(env);
    let repo = tempfile::tempdir().unwrap();
    let root = repo.path();
    for case in ["broken-pipefail", "maintainer"] {
        let from = builds::root().join("tests/build").join(case);
        let to = root.join(case);
        std::fs::create_dir(&to).unwrap();
        for entry in std::fs::read_dir(&from).unwrap() {
            let entry = entry.unwrap();
            std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
        }
    }
    let git = |args: &[&str]| {
        let (code, _, err) = run(Command::new("git").args(args).current_dir(root));
        assert_eq!(code, 0, "git {args:?}: {err}");
    };
    git(&["init", "-q", "-b", "main"]);
    git(&["config", "user.name", "Test"]);
    git(&["config", "user.email", "test@example.com"]);
    git(&["add", "."]);
    git(&["commit", "-q", "-m", "initial"]);
    let broken_before = std::fs::read_to_string(root.join("broken-pipefail/Dockerfile")).unwrap();

    let bin = std::path::PathBuf::from(env!("CARGO_BIN_EXE_dockerfix"));
    let mut command = Command::new("bash");
    command
        .arg(builds::root().join("scripts/pr-bot.sh"))
        .args(["--no-push", "--verify"])
        .args(["--verify-opt", "--builder", "--verify-opt", "buildah"])
        .args(["--verify-opt", LOCAL])
        .args(["--", "--unsafe-fixes", "."])
        .current_dir(root)
        .env("DOCKERFIX", &bin);
    for (k, v) in env {
        command.env(k, v);
    }
    let (code, out, err) = run(&mut command);
    assert_eq!(code, 0, "{out}\n{err}");
    assert!(
        err.contains("left out broken-pipefail/Dockerfile: its fixes break its build"),
        "{err}"
    );
    // The broken file is not in the commit; the other one is.
    let (_, changed, _) = run(Command::new("git")
        .args(["show", "--name-only", "--format=", "HEAD"])
        .current_dir(root));
    assert_eq!(changed.trim(), "maintainer/Dockerfile", "{changed}");
    assert_eq!(
        std::fs::read_to_string(root.join("broken-pipefail/Dockerfile")).unwrap(),
        broken_before
    );
    let body = std::fs::read_to_string(root.join(".git/dockerfix-pr.md")).unwrap();
    assert!(body.contains("### Verified by building"), "{body}");
    assert!(body.contains("the fixes of `pipefail` break it"), "{body}");
    assert!(
        !body.contains("broken-pipefail/Dockerfile</summary>"),
        "{body}"
    );
    assert_no_verify_images(env, &images);
}

/// An rpm database made by rpm itself (Debian's `rpm` package: rpmbuild
/// makes three tiny packages, one with an epoch and one for two
/// architectures; `rpm --justdb` installs them into an SQLite database):
/// verify's reader lists what `rpm -qa` lists.
#[test]
fn rpm_database_reads_as_rpm_lists_it() {
    let dir = tempfile::tempdir().unwrap();
    let top = dir.path().join("rpmbuild");
    let db = dir.path().join("db");
    std::fs::create_dir_all(top.join("SPECS")).unwrap();
    std::fs::create_dir_all(&db).unwrap();
    let spec = |name: &str, epoch: Option<u32>, arch: &str| {
        let path = top.join(format!("SPECS/{name}.spec"));
        let epoch = epoch.map(|e| format!("Epoch: {e}\n")).unwrap_or_default();
        let noarch = if arch == "noarch" {
            "BuildArch: noarch\n"
        } else {
            ""
        };
        std::fs::write(
            &path,
            format!(
                "Name: {name}\nVersion: 1.2\nRelease: 3\n{epoch}{noarch}Summary: s\nLicense: MIT\n\
                 %description\nd\n%files\n"
            ),
        )
        .unwrap();
        let mut command = Command::new("rpmbuild");
        command
            .args(["-bb", "--quiet", "--define"])
            .arg(format!("_topdir {}", top.display()));
        if arch != "noarch" {
            command.args(["--target", arch]);
        }
        let (code, out, err) = run(command.arg(&path));
        assert_eq!(
            code, 0,
            "rpmbuild (scripts/test.sh installs rpm): {out}{err}"
        );
    };
    spec("dfx-plain", None, "noarch");
    spec("dfx-epoch", Some(2), "noarch");
    spec("dfx-multi", None, "x86_64");
    spec("dfx-multi", None, "i686");
    let rpms: Vec<PathBuf> = ["noarch", "x86_64", "i686"]
        .iter()
        .flat_map(|arch| std::fs::read_dir(top.join("RPMS").join(arch)).unwrap())
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(rpms.len(), 4, "{rpms:?}");
    let (code, _, err) = run(Command::new("rpm")
        .arg("--dbpath")
        .arg(&db)
        .args(["-i", "--justdb", "--nodeps", "--ignorearch"])
        .args(&rpms));
    assert_eq!(code, 0, "{err}");
    let (code, listed, err) = run(Command::new("rpm").arg("--dbpath").arg(&db).args([
        "-qa",
        "--qf",
        "%{NAME}.%{ARCH} %|EPOCH?{%{EPOCH}:}:{}|%{VERSION}-%{RELEASE}\\n",
    ]));
    assert_eq!(code, 0, "{err}");
    let mut expected: Vec<(String, String)> = listed
        .lines()
        .map(|line| {
            let (name, version) = line.split_once(' ').unwrap();
            // Only the package with two architectures keeps its arch.
            let name = if name.starts_with("dfx-multi") {
                name.to_owned()
            } else {
                name.rsplit_once('.').unwrap().0.to_owned()
            };
            (name, version.to_owned())
        })
        .collect();
    expected.sort();
    let content = std::fs::read(db.join("rpmdb.sqlite")).unwrap();
    let wal = std::fs::read(db.join("rpmdb.sqlite-wal")).ok();
    let mut read = dockerfix::verify::installed::rpm(&content, wal.as_deref());
    read.sort();
    assert_eq!(read, expected);
    assert!(
        read.contains(&("dfx-epoch".into(), "2:1.2-3".into())),
        "{read:?}"
    );
    assert!(
        read.contains(&("dfx-multi.i686".into(), "1.2-3".into())),
        "{read:?}"
    );
    // Not a database: nothing, and no panic.
    assert!(dockerfix::verify::installed::rpm(b"not sqlite", None).is_empty());
}
