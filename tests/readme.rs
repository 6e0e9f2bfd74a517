//! Every example in README.md is checked: console sessions are run and their
//! output compared, the configuration example is loaded, the pre-commit and
//! workflow snippets name hooks and inputs that exist, the bot command runs.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The fenced blocks of README.md: (info string, body).
fn blocks() -> Vec<(String, String)> {
    let text = fs::read_to_string(root().join("README.md")).unwrap();
    let mut out = Vec::new();
    let mut current: Option<(String, String)> = None;
    for line in text.lines() {
        match (&mut current, line.strip_prefix("```")) {
            (None, Some(info)) => current = Some((info.trim().to_owned(), String::new())),
            (Some(_), Some("")) => out.push(current.take().unwrap()),
            (Some((_, body)), _) => {
                body.push_str(line);
                body.push('\n');
            }
            (None, None) => {}
        }
    }
    assert!(current.is_none(), "an unclosed code block");
    out
}

fn of_kind(info: &str) -> Vec<String> {
    blocks()
        .into_iter()
        .filter(|(i, _)| i == info)
        .map(|(_, b)| b)
        .collect()
}

/// A PATH with the built dockerfix first.
fn path_with_dockerfix() -> std::ffi::OsString {
    let bin = assert_cmd::cargo::cargo_bin("dockerfix");
    let dir = bin.parent().unwrap().to_path_buf();
    let mut paths = vec![dir];
    paths.extend(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    ));
    std::env::join_paths(paths).unwrap()
}

#[test]
fn console_sessions_print_what_the_readme_shows() {
    let sessions = of_kind("console");
    assert!(sessions.len() >= 4, "{} console blocks", sessions.len());
    let mut commands = 0;
    for session in sessions {
        // `$ command` lines, each followed by its expected standard output.
        let mut steps: Vec<(String, String)> = Vec::new();
        for line in session.lines() {
            match line.strip_prefix("$ ") {
                Some(command) => steps.push((command.to_owned(), String::new())),
                None => {
                    let (_, expected) = steps.last_mut().expect("output before a command");
                    expected.push_str(line);
                    expected.push('\n');
                }
            }
        }
        for (command, expected) in steps {
            let out = Command::new("sh")
                .args(["-c", &command])
                .current_dir(root())
                .env("PATH", path_with_dockerfix())
                .env("NO_COLOR", "1")
                .output()
                .unwrap();
            let stdout = String::from_utf8(out.stdout).unwrap();
            assert_eq!(stdout, expected, "README command `{command}`");
            commands += 1;
        }
    }
    assert!(commands >= 4);
}

#[test]
fn the_configuration_example_loads_and_shows_every_key() {
    let examples = of_kind("toml");
    assert_eq!(examples.len(), 1);
    let example = &examples[0];
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("dockerfix.toml"), example).unwrap();
    let resolver = dockerfix::config::Resolver::new(Default::default()).unwrap();
    let folder = resolver
        .for_folder(dir.path())
        .unwrap_or_else(|e| panic!("README config: {e}"));
    let ids: Vec<&str> = folder.settings.rules.iter().map(|r| r.id).collect();
    assert_eq!(ids, ["add-to-copy", "maintainer-label"]);
    assert_eq!(
        folder.settings.registry.cache_ttl,
        Some(std::time::Duration::from_secs(24 * 3600))
    );
    for key in [
        "select =",
        "ignore =",
        "unsafe-fixes =",
        "include =",
        "exclude =",
        "force-exclude =",
        "hadolint-config =",
        "[rules.maintainer-label]",
        "label =",
        "[rules.non-root-user]",
        "uid =",
        "user =",
        "[registry]",
        "mirrors =",
        "insecure =",
        "cache-ttl =",
    ] {
        assert!(example.contains(key), "the example lacks {key}");
    }
}

fn yaml(text: &str) -> Value {
    serde_saphyr::from_str(text).unwrap()
}

#[test]
fn the_pre_commit_snippet_names_existing_hooks() {
    let hooks = yaml(&fs::read_to_string(root().join(".pre-commit-hooks.yaml")).unwrap());
    let ids: BTreeSet<&str> = hooks
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, BTreeSet::from(["dockerfix", "dockerfix-check"]));
    for hook in hooks.as_array().unwrap() {
        assert_eq!(hook["language"], "rust");
        let entry = hook["entry"].as_str().unwrap();
        assert!(entry.starts_with("dockerfix "), "{entry}");
    }
    let snippet = of_kind("yaml")
        .into_iter()
        .find(|b| b.starts_with("repos:"))
        .expect("a pre-commit snippet");
    let config = yaml(&snippet);
    let repo = &config["repos"][0];
    assert!(repo["rev"].is_string());
    // Hooks used, and hooks shown in comments.
    let named: BTreeSet<String> = snippet
        .lines()
        .filter_map(|l| l.split("id: ").nth(1))
        .map(|id| id.trim().to_owned())
        .collect();
    assert_eq!(named.len(), 2);
    for id in &named {
        assert!(ids.contains(id.as_str()), "README names hook {id}");
    }
    assert_eq!(repo["hooks"][0]["id"], "dockerfix");
}

#[test]
fn the_workflow_example_uses_existing_inputs() {
    let action = yaml(&fs::read_to_string(root().join("action.yml")).unwrap());
    let inputs: BTreeSet<&str> = action["inputs"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    let workflow = of_kind("yaml")
        .into_iter()
        .find(|b| b.contains("uses: OWNER/dockerfix@"))
        .expect("a workflow example");
    let workflow = yaml(&workflow);
    let mut steps = 0;
    for job in workflow["jobs"].as_object().unwrap().values() {
        for step in job["steps"].as_array().unwrap() {
            let Some(uses) = step["uses"].as_str() else {
                continue;
            };
            if !uses.starts_with("OWNER/dockerfix@") {
                continue;
            }
            steps += 1;
            for (key, value) in step["with"].as_object().unwrap() {
                assert!(inputs.contains(key.as_str()), "unknown input {key}");
                if key == "mode" {
                    assert!(["check", "fix", "pr"].contains(&value.as_str().unwrap()));
                }
            }
        }
    }
    assert_eq!(steps, 2);
}

#[test]
fn the_bot_command_runs() {
    let commands: Vec<String> = of_kind("sh")
        .into_iter()
        .filter(|b| b.contains("scripts/pr-bot.sh"))
        .collect();
    // The plain bot runs here; the `--verified` one builds, and
    // tests/optimize.rs runs it on the slim cases.
    assert_eq!(commands.len(), 2);
    assert!(commands[1].contains("--verified"), "{}", commands[1]);
    let commands = &commands[..1];
    let command = commands[0].trim().replace(
        "scripts/pr-bot.sh",
        &root().join("scripts/pr-bot.sh").display().to_string(),
    );
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path();
    let git = |args: &[&str]| {
        let ok = Command::new("git")
            .args(args)
            .current_dir(repo)
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_AUTHOR_NAME", "t")
            .env("GIT_AUTHOR_EMAIL", "t@example.com")
            .env("GIT_COMMITTER_NAME", "t")
            .env("GIT_COMMITTER_EMAIL", "t@example.com")
            .status()
            .unwrap()
            .success();
        assert!(ok, "git {args:?}");
    };
    git(&["init", "-q", "-b", "main"]);
    fs::create_dir_all(repo.join("services/api")).unwrap();
    fs::write(
        repo.join("services/api/Dockerfile"),
        "FROM alpine\nCMD python app.py\n",
    )
    .unwrap();
    git(&["add", "-A"]);
    git(&["commit", "-qm", "initial"]);
    let out = Command::new("sh")
        .args(["-c", &command])
        .current_dir(repo)
        .env("PATH", path_with_dockerfix())
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_AUTHOR_NAME", "t")
        .env("GIT_AUTHOR_EMAIL", "t@example.com")
        .env("GIT_COMMITTER_NAME", "t")
        .env("GIT_COMMITTER_EMAIL", "t@example.com")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let fixed = fs::read_to_string(repo.join("services/api/Dockerfile")).unwrap();
    assert!(
        fixed.ends_with("\nCMD [\"python\", \"app.py\"]\n"),
        "--unsafe-fixes reached dockerfix: {fixed}"
    );
    assert!(Path::new(&repo.join(".git/dockerfix-pr.md")).is_file());
}
