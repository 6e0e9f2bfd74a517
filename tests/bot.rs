//! The automation around dockerfix: the pull-request bot recipe
//! (`scripts/pr-bot.sh`, without its network part) and the GitHub action
//! (`action.yml` and its step, `scripts/action-run.sh`), run on temporary
//! git repositories.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

const BAD: &str = "FROM alpine\nMAINTAINER me@example.com\nADD a.txt /a\nCMD python app.py\n";
const FIXED: &str = "FROM alpine\nLABEL org.opencontainers.image.authors=\"me@example.com\"\nCOPY a.txt /a\nCMD python app.py\n";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn bin() -> PathBuf {
    assert_cmd::cargo::cargo_bin("dockerfix")
}

fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_AUTHOR_NAME", "t")
        .env("GIT_AUTHOR_EMAIL", "t@example.com")
        .env("GIT_COMMITTER_NAME", "t")
        .env("GIT_COMMITTER_EMAIL", "t@example.com")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// A git repository with a bad Dockerfile, a good one and a README, committed.
fn repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    git(root, &["init", "-q", "-b", "main"]);
    fs::create_dir_all(root.join("svc")).unwrap();
    fs::write(root.join("svc/Dockerfile"), BAD).unwrap();
    fs::write(root.join("Dockerfile"), "FROM alpine\nCOPY a /a\n").unwrap();
    fs::write(root.join("README.md"), "hello\n").unwrap();
    // The rules these tests are written for.
    fs::write(
        root.join("dockerfix.toml"),
        "select = [\"add-to-copy\", \"exec-form\", \"maintainer-label\"]\n",
    )
    .unwrap();
    git(root, &["add", "-A"]);
    git(root, &["commit", "-qm", "initial"]);
    dir
}

fn script(name: &str, dir: &Path) -> Command {
    let mut cmd = Command::new("bash");
    cmd.arg(root().join("scripts").join(name))
        .current_dir(dir)
        .env("DOCKERFIX", bin())
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_AUTHOR_NAME", "bot")
        .env("GIT_AUTHOR_EMAIL", "bot@example.com")
        .env("GIT_COMMITTER_NAME", "bot")
        .env("GIT_COMMITTER_EMAIL", "bot@example.com");
    cmd
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
fn pr_bot_commits_the_fixes_on_a_branch_with_a_markdown_body() {
    let dir = repo();
    let root = dir.path();
    let body = root.join("body.md");
    let (code, out, err) = run(script("pr-bot.sh", root)
        .args(["--no-push", "--body"])
        .arg(&body));
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        out.contains("committed on dockerfix/fixes: 1 file(s)"),
        "{out}"
    );
    assert_eq!(
        git(root, &["rev-parse", "--abbrev-ref", "HEAD"]).trim(),
        "dockerfix/fixes"
    );
    assert_eq!(
        git(root, &["log", "-1", "--format=%s%n%b"]).trim(),
        "Fix Dockerfiles with dockerfix\nApplied 2 fixes in 1 of 2 files (1 more with --unsafe-fixes)."
    );
    assert_eq!(
        git(root, &["show", "HEAD:svc/Dockerfile"]),
        FIXED,
        "the fix is committed"
    );
    assert_eq!(
        git(root, &["diff", "--name-only", "main", "HEAD"]).trim(),
        "svc/Dockerfile"
    );
    assert_eq!(git(root, &["status", "--porcelain"]).trim(), "?? body.md");
    let markdown = fs::read_to_string(&body).unwrap();
    assert!(markdown.starts_with("## dockerfix\n"), "{markdown}");
    assert!(
        markdown.contains("| <code>svc/Dockerfile</code> | 1 | 1 | 2 |"),
        "{markdown}"
    );
    assert!(markdown.contains("<details>"), "{markdown}");

    // Run again: nothing left to fix, no new commit.
    let head = git(root, &["rev-parse", "HEAD"]);
    let (code, out, _) = run(script("pr-bot.sh", root)
        .args(["--no-push", "--body"])
        .arg(&body));
    assert_eq!(code, 0);
    assert!(out.contains("nothing to fix"), "{out}");
    assert_eq!(git(root, &["rev-parse", "HEAD"]), head);
}

#[test]
fn pr_bot_refuses_a_dirty_tree_and_commits_only_its_fixes() {
    let dir = repo();
    let root = dir.path();
    fs::write(root.join("README.md"), "changed by hand\n").unwrap();
    let (code, _, err) = run(script("pr-bot.sh", root).arg("--no-push"));
    assert_eq!(code, 2);
    assert!(err.contains("uncommitted changes"), "{err}");
    assert_eq!(
        fs::read_to_string(root.join("svc/Dockerfile")).unwrap(),
        BAD
    );

    let (code, out, err) = run(script("pr-bot.sh", root).args(["--no-push", "--allow-dirty"]));
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(
        git(root, &["show", "--name-only", "--format=", "HEAD"]).trim(),
        "svc/Dockerfile",
        "the hand edit is not committed"
    );
    assert_eq!(git(root, &["status", "--porcelain"]).trim(), "M README.md");
}

#[test]
fn pr_bot_passes_options_and_reports_errors() {
    let dir = repo();
    let root = dir.path();
    fs::write(root.join("svc/Dockerfile.broken"), "FROM a\nWRONG\n").unwrap();
    git(root, &["add", "-A"]);
    git(root, &["commit", "-qm", "broken"]);
    let body = root.join(".git/body.md");
    let (code, _, _) = run(script("pr-bot.sh", root)
        .args(["--no-push", "--branch", "fixes", "--body"])
        .arg(&body)
        .args(["--", "--unsafe-fixes", "svc"]));
    assert_eq!(code, 2, "an unprocessed file is an error");
    let markdown = fs::read_to_string(&body).unwrap();
    assert!(markdown.contains("### Errors"), "{markdown}");
    assert!(
        git(root, &["show", "fixes:svc/Dockerfile"]).contains("CMD [\"python\", \"app.py\"]"),
        "--unsafe-fixes reached dockerfix"
    );
}

/// Every `${{ inputs.NAME }}` in action.yml is a declared input, and every
/// input is used.
#[test]
fn action_inputs_are_declared_and_used() {
    let text = fs::read_to_string(root().join("action.yml")).unwrap();
    let action: serde_json::Value = serde_saphyr::from_str(&text).unwrap();
    assert_eq!(action["runs"]["using"], "composite");
    let declared: BTreeSet<String> = action["inputs"]
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect();
    let used: BTreeSet<String> = text
        .split("${{ inputs.")
        .skip(1)
        .map(|rest| rest.split(' ').next().unwrap().to_owned())
        .collect();
    assert_eq!(declared, used);
    for step in action["runs"]["steps"].as_array().unwrap() {
        assert_eq!(step["shell"], "bash", "composite steps need a shell");
    }
    let run = action["runs"]["steps"][1]["run"].as_str().unwrap();
    assert!(run.contains("scripts/action-run.sh"));
}

#[test]
fn action_check_fix_and_pr_modes() {
    let dir = repo();
    let root = dir.path();
    let temp = tempfile::tempdir().unwrap();
    let summary = temp.path().join("summary.md");
    let output = temp.path().join("output");
    let action = |mode: &str, extra: &[(&str, &str)]| {
        let mut cmd = script("action-run.sh", root);
        cmd.env("MODE", mode)
            .env("PATHS", ".")
            .env("RUNNER_TEMP", temp.path())
            .env("GITHUB_STEP_SUMMARY", &summary)
            .env("GITHUB_OUTPUT", &output);
        for (k, v) in extra {
            cmd.env(k, v);
        }
        run(&mut cmd)
    };

    let (code, out, _) = action("check", &[]);
    assert_eq!(code, 1);
    assert!(
        out.lines()
            .all(|l| l.starts_with("::warning title=dockerfix (")),
        "{out}"
    );
    assert_eq!(out.lines().count(), 3);
    assert!(
        fs::read_to_string(&summary)
            .unwrap()
            .contains("### Findings")
    );
    assert_eq!(fs::read_to_string(&output).unwrap(), "found=true\n");
    assert_eq!(
        fs::read_to_string(root.join("svc/Dockerfile")).unwrap(),
        BAD
    );

    let (code, _, _) = action("pr", &[("PUSH", "false"), ("BRANCH", "bot/fixes")]);
    assert_eq!(code, 0);
    assert_eq!(git(root, &["show", "bot/fixes:svc/Dockerfile"]), FIXED);
    assert!(
        fs::read_to_string(&summary)
            .unwrap()
            .contains("### Fixes applied")
    );

    git(root, &["checkout", "-q", "main"]);
    // `verified` reaches `fix --verified` (which wants --unsafe-fixes, and
    // the smoke command only with it) in fix and pr modes; nothing is written.
    let before = fs::read_to_string(root.join("svc/Dockerfile")).unwrap();
    for mode in ["fix", "pr"] {
        let (code, _, err) = action(mode, &[("VERIFIED", "true"), ("SMOKE", "true")]);
        assert_eq!(code, 2, "{mode}: {err}");
        assert!(err.contains("--unsafe-fixes"), "{mode}: {err}");
    }
    assert_eq!(
        fs::read_to_string(root.join("svc/Dockerfile")).unwrap(),
        before
    );

    let (code, _, _) = action("fix", &[("ARGS", "--unsafe-fixes")]);
    assert_eq!(code, 1, "fix mode fails when it changed something");
    assert!(
        fs::read_to_string(root.join("svc/Dockerfile"))
            .unwrap()
            .contains("CMD [\"python\", \"app.py\"]")
    );
    assert!(
        fs::read_to_string(&output)
            .unwrap()
            .ends_with("changed=true\n")
    );
    let (code, _, _) = action("fix", &[("ARGS", "--unsafe-fixes")]);
    assert_eq!(code, 0);

    let (code, _, err) = action("lint", &[]);
    assert_eq!(code, 2);
    assert!(err.contains("unknown mode"), "{err}");
}

/// The hooks' `files`/`exclude` patterns, read as pre-commit reads them
/// (Python's `re.search`), take exactly the names folders are searched for.
#[test]
fn hook_file_patterns_match_dockerfile_names() {
    let text = fs::read_to_string(root().join(".pre-commit-hooks.yaml")).unwrap();
    let hooks: serde_json::Value = serde_saphyr::from_str(&text).unwrap();
    let names = [
        "Dockerfile",
        "svc/Dockerfile",
        "Dockerfile.dev",
        "a/b/Dockerfile.arm64",
        "api.Dockerfile",
        "web.dockerfile",
        "Containerfile",
        "x/Containerfile.prod",
        "dockerfile",
        "Dockerfile.",
        "Dockerfilex",
        "NotADockerfile",
        "Dockerfile.dockerignore",
        "README.md",
        "docs/Dockerfile.md/notes",
    ];
    for hook in hooks.as_array().unwrap() {
        let script = format!(
            "import re, sys\nfor n in sys.argv[1:]:\n    print(bool(re.search({:?}, n)) and not re.search({:?}, n))",
            hook["files"].as_str().unwrap(),
            hook["exclude"].as_str().unwrap()
        );
        let out = Command::new("python3")
            .args(["-c", &script])
            .args(names)
            .output()
            .expect("python3 runs");
        let taken: Vec<bool> = String::from_utf8(out.stdout)
            .unwrap()
            .lines()
            .map(|l| l == "True")
            .collect();
        let expected: Vec<bool> = names
            .iter()
            .map(|n| dockerfix::discovery::is_dockerfile_name(n.rsplit('/').next().unwrap()))
            .collect();
        assert_eq!(taken, expected, "{} on {names:?}", hook["id"]);
    }
}
