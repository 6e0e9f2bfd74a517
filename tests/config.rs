//! Configuration files and inline ignores, as users meet them on the
//! command line.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use assert_cmd::prelude::*;

const BAD: &str = "FROM alpine\nMAINTAINER me\nADD a.txt /a\nCMD python app.py\n";

/// The rules these tests are written for (other rules would add findings).
const THREE: &str = "select = [\"add-to-copy\", \"exec-form\", \"maintainer-label\"]\n";

fn dockerfix() -> Command {
    let mut cmd = Command::cargo_bin("dockerfix").unwrap();
    cmd.env_remove("NO_COLOR");
    cmd
}

fn write(dir: &Path, name: &str, content: &str) -> PathBuf {
    let path = dir.join(name);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(&path, content).unwrap();
    path
}

fn run(cmd: &mut Command) -> (i32, String, String) {
    let out = cmd.output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// `path:rule` for every finding line.
fn found(out: &str) -> Vec<String> {
    out.lines()
        .map(|l| {
            let mut parts = l.split(": ");
            let place = parts.next().unwrap();
            let rule = parts.next().unwrap().split(' ').next().unwrap();
            format!("{}:{rule}", place.split(':').next().unwrap())
        })
        .collect()
}

#[test]
fn nearest_config_wins_for_each_file() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "dockerfix.toml", "select = [\"add-to-copy\"]\n");
    write(root, "svc/.dockerfix.toml", "select = [\"DL4000\"]\n");
    write(root, "Dockerfile", BAD);
    write(root, "svc/api/Dockerfile", BAD);
    write(root, "other/Dockerfile", BAD);
    let (code, out, err) = run(dockerfix().arg("check").current_dir(root));
    assert_eq!(code, 1, "{err}");
    assert_eq!(
        found(&out),
        [
            "Dockerfile:add-to-copy",
            "other/Dockerfile:add-to-copy",
            "svc/api/Dockerfile:maintainer-label",
        ]
    );
    // The command line's --select wins over the files.
    let (_, out, _) = run(dockerfix()
        .args(["check", "--select", "exec-form"])
        .current_dir(root));
    assert_eq!(out.lines().count(), 3, "{out}");
    assert!(out.lines().all(|l| l.contains("exec-form")));
    // --config: one file for everything, nothing searched.
    let custom = write(
        root,
        "ci/strict.toml",
        &format!("{THREE}ignore = [\"exec-form\"]\n"),
    );
    let (_, out, _) = run(dockerfix()
        .args(["check", "--config"])
        .arg(&custom)
        .current_dir(root));
    assert_eq!(out.lines().count(), 6, "{out}");
}

#[test]
fn unsafe_fixes_and_rule_options_from_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        "dockerfix.toml",
        &format!(
            "{THREE}unsafe-fixes = true\n\n[rules.maintainer-label]\nlabel = \"maintainer\"\n"
        ),
    );
    let path = write(root, "Dockerfile", BAD);
    let (code, _, err) = run(dockerfix().arg("fix").arg(&path));
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        fs::read_to_string(&path).unwrap(),
        "FROM alpine\nLABEL maintainer=\"me\"\nCOPY a.txt /a\nCMD [\"python\", \"app.py\"]\n"
    );
    // --no-unsafe-fixes wins over the file.
    write(root, "Dockerfile", BAD);
    let (_, out, _) = run(dockerfix()
        .args(["fix", "--dry-run", "--no-unsafe-fixes"])
        .arg(&path));
    assert!(!out.contains("+CMD"), "{out}");
}

#[test]
fn non_root_user_options() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        "dockerfix.toml",
        "[rules.non-root-user]\nuid = 10001\nuser = \"svc\"\n",
    );
    let path = write(
        root,
        "Dockerfile",
        "FROM debian:12\nCOPY run /app/run\nCMD [\"/app/run\"]\n",
    );
    let (code, _, err) = run(dockerfix()
        .args(["fix", "--unsafe-fixes", "--select", "non-root-user"])
        .arg(&path));
    assert_eq!(code, 0, "{err}");
    let fixed = fs::read_to_string(&path).unwrap();
    assert!(
        fixed.contains("groupadd --gid 10001 svc && useradd --no-log-init --uid 10001 --gid svc"),
        "{fixed}"
    );
    assert!(fixed.contains("\nUSER 10001:10001\n"), "{fixed}");

    write(root, "dockerfix.toml", "[rules.non-root-user]\nuid = 0\n");
    let (code, _, err) = run(dockerfix().arg("check").arg(&path));
    assert_eq!(code, 2);
    assert!(
        err.contains("dockerfix.toml:2:7: `uid`: 0 is root"),
        "{err}"
    );
    write(
        root,
        "dockerfix.toml",
        "[rules.non-root-user]\nuser = \"Bad Name\"\n",
    );
    let (code, _, err) = run(dockerfix().arg("check").arg(&path));
    assert_eq!(code, 2);
    assert!(
        err.contains("dockerfix.toml:2:8: `user`: `Bad Name` is not a user name"),
        "{err}"
    );
}

#[test]
fn include_and_exclude_patterns() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        "dockerfix.toml",
        "include = [\"images/*.df\"]\nexclude = [\"third_party\"]\n",
    );
    write(root, "images/api.df", BAD);
    write(root, "third_party/x/Dockerfile", BAD);
    write(root, "Dockerfile", BAD);
    let (_, out, _) = run(dockerfix()
        .args(["check", "--select", "add-to-copy"])
        .current_dir(root));
    assert_eq!(
        found(&out),
        ["Dockerfile:add-to-copy", "images/api.df:add-to-copy"]
    );
    // A file named on the command line is taken, unless force-exclude.
    let (_, out, _) = run(dockerfix()
        .args([
            "check",
            "--select",
            "add-to-copy",
            "third_party/x/Dockerfile",
        ])
        .current_dir(root));
    assert_eq!(out.lines().count(), 1);
    write(
        root,
        "dockerfix.toml",
        "exclude = [\"third_party\"]\nforce-exclude = true\n",
    );
    let (code, out, _) = run(dockerfix()
        .args(["check", "third_party/x/Dockerfile"])
        .current_dir(root));
    assert_eq!((code, out.as_str()), (0, ""));
}

#[test]
fn bad_configuration_is_an_error_naming_file_key_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let config = write(
        root,
        "dockerfix.toml",
        "select = [\"add-to-copy\"]\nunsafe-fixes = 1\n",
    );
    let path = write(root, "Dockerfile", BAD);
    let (code, out, err) = run(dockerfix().arg("fix").arg(&path));
    assert_eq!((code, out.as_str()), (2, ""));
    assert!(
        err.contains(&format!(
            "error: {}:2:16: `unsafe-fixes`: invalid type: integer `1`, expected a boolean",
            config.display()
        )),
        "{err}"
    );
    assert_eq!(fs::read_to_string(&path).unwrap(), BAD, "nothing written");

    write(root, "dockerfix.toml", "[registry]\nmirror = []\n");
    let (code, _, err) = run(dockerfix().arg("check").arg(&path));
    assert_eq!(code, 2);
    assert!(
        err.contains("dockerfix.toml:2:1: unknown field `mirror`, expected one of `mirrors`, `insecure`, `cache-ttl`"),
        "{err}"
    );

    write(root, "dockerfix.toml", "ignore = [\"DL9999\"]\n");
    let (code, _, err) = run(dockerfix().arg("check").arg(&path));
    assert_eq!(code, 2);
    assert!(
        err.contains("dockerfix.toml:1:11: `ignore`: unknown rule or code `DL9999`"),
        "{err}"
    );
}

#[test]
fn hadolint_yaml_ignored_codes() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        ".hadolint.yaml",
        "ignored:\n  - DL3020\n  - DL3008\nfailure-threshold: error\n",
    );
    write(root, "dockerfix.toml", THREE);
    write(root, "Dockerfile", BAD);
    let (_, out, _) = run(dockerfix().arg("check").current_dir(root));
    assert_eq!(
        found(&out),
        ["Dockerfile:maintainer-label", "Dockerfile:exec-form"]
    );
    write(root, ".hadolint.yaml", "ignored: [DL3020\n");
    let (code, _, err) = run(dockerfix().arg("check").current_dir(root));
    assert_eq!(code, 2);
    assert!(err.contains(".hadolint.yaml:"), "{err}");
}

#[test]
fn inline_ignores_and_unused_ones() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "dockerfix.toml", THREE);
    let path = write(
        dir.path(),
        "Dockerfile",
        "FROM alpine\n\
         # hadolint ignore=DL4000,DL3008\n\
         MAINTAINER me\n\
         # dockerfix ignore=add-to-copy,exec-form\n\
         ADD a.txt /a\n\
         ADD b.txt /b\n",
    );
    let (code, out, _) = run(dockerfix().arg("check").arg(&path));
    assert_eq!(code, 1);
    assert_eq!(found(&out).len(), 1);
    assert!(out.contains(":6:1: add-to-copy"), "{out}");
    let (_, out, _) = run(dockerfix()
        .args(["check", "--report-unused-ignores"])
        .arg(&path));
    assert!(
        out.contains(":4:32: unused-ignore unused ignore: `exec-form` silences nothing here"),
        "{out}"
    );
    let (code, page, _) = run(dockerfix().args(["rule", "unused-ignore"]));
    assert_eq!(code, 0);
    assert!(page.starts_with("# unused-ignore"), "{page}");
    assert!(page.contains("# dockerfix ignore-file"), "{page}");
    assert_eq!(out.lines().count(), 2, "DL3008 belongs to hadolint: {out}");

    // With --report-unused-ignores, fix removes the unused name.
    let before = fs::read_to_string(&path).unwrap();
    let (code, diff, _) = run(dockerfix()
        .args([
            "fix",
            "--dry-run",
            "--select",
            "add-to-copy,exec-form",
            "--report-unused-ignores",
        ])
        .arg(&path));
    assert_eq!(code, 1);
    assert!(
        diff.contains(
            "-# dockerfix ignore=add-to-copy,exec-form\n+# dockerfix ignore=add-to-copy\n"
        ),
        "{diff}"
    );
    assert_eq!(fs::read_to_string(&path).unwrap(), before);

    // The fix honours the ignores.
    let (code, _, _) = run(dockerfix().arg("fix").arg(&path));
    assert_eq!(code, 0);
    assert_eq!(
        fs::read_to_string(&path).unwrap(),
        "FROM alpine\n\
         # hadolint ignore=DL4000,DL3008\n\
         MAINTAINER me\n\
         # dockerfix ignore=add-to-copy,exec-form\n\
         ADD a.txt /a\n\
         COPY b.txt /b\n"
    );

    let path = write(
        dir.path(),
        "Dockerfile",
        "# dockerfix ignore-file\nFROM alpine\nADD a /a\n",
    );
    let (code, out, _) = run(dockerfix().arg("check").arg(&path));
    assert_eq!((code, out.as_str()), (0, ""));

    // hadolint's disable-ignore-pragma turns its comments off.
    write(
        dir.path(),
        ".hadolint.yaml",
        "disable-ignore-pragma: true\n",
    );
    let path = write(
        dir.path(),
        "Dockerfile",
        "FROM alpine\n# hadolint ignore=DL3020\nADD a /a\n",
    );
    let (code, out, _) = run(dockerfix().arg("check").arg(&path));
    assert_eq!(code, 1);
    assert!(out.contains("add-to-copy"));
}

#[test]
fn standard_input_uses_the_config_of_its_name() {
    use std::io::Write;
    use std::process::Stdio;
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "dockerfix.toml", THREE);
    write(
        root,
        "svc/dockerfix.toml",
        "select = [\"maintainer-label\"]\n",
    );
    let check = |name: &str| {
        let mut child = dockerfix()
            .args(["check", "--stdin-filename", name, "-"])
            .current_dir(root)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(BAD.as_bytes())
            .unwrap();
        String::from_utf8(child.wait_with_output().unwrap().stdout).unwrap()
    };
    assert_eq!(check("Dockerfile").lines().count(), 3);
    let svc = check("svc/Dockerfile");
    assert_eq!(svc.lines().count(), 1, "{svc}");
    assert!(
        svc.starts_with("svc/Dockerfile:2:1: maintainer-label"),
        "{svc}"
    );
}
