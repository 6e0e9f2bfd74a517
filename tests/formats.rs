//! `--format` json, sarif (validated against the OASIS schema), markdown and
//! github; `--output`; `--exit-non-zero-on-fix`; `--quiet`; progress bar.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use assert_cmd::prelude::*;
use serde_json::Value;

const BAD: &str = "FROM alpine\nMAINTAINER me <me@example.com>\nADD a.txt /a\nCMD python app.py\n";
const BROKEN: &str = "FROM alpine\nWRONG x\n";

/// A temporary folder whose configuration runs the rules these tests are
/// written for (other rules would add findings).
fn tempdir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("dockerfix.toml"),
        "select = [\"add-to-copy\", \"exec-form\", \"maintainer-label\"]\n",
    )
    .unwrap();
    dir
}

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
    let out: Output = cmd.output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// A folder with a bad, a clean and a broken Dockerfile.
fn project() -> tempfile::TempDir {
    let dir = tempdir();
    write(dir.path(), "b/Dockerfile", BAD);
    write(dir.path(), "a/Dockerfile", "FROM alpine\nCOPY a /a\n");
    write(dir.path(), "c/Dockerfile", BROKEN);
    dir
}

#[test]
fn json_schema_fields_and_order() {
    let dir = project();
    let (code, out, _) = run(dockerfix()
        .args(["check", "--format", "json", "."])
        .current_dir(dir.path()));
    assert_eq!(code, 2, "a broken file is an error");
    let json: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json["version"], 1);
    assert_eq!(json["tool"]["name"], "dockerfix");
    assert_eq!(json["mode"], "check");
    let files = json["files"].as_array().unwrap();
    let paths: Vec<&str> = files.iter().map(|f| f["path"].as_str().unwrap()).collect();
    assert_eq!(paths, ["a/Dockerfile", "b/Dockerfile", "c/Dockerfile"]);
    let findings = files[1]["findings"].as_array().unwrap();
    let rules: Vec<&str> = findings
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    assert_eq!(rules, ["maintainer-label", "add-to-copy", "exec-form"]);
    let add = &findings[1];
    assert_eq!(add["codes"], serde_json::json!(["DL3020"]));
    assert_eq!(
        (
            &add["line"],
            &add["column"],
            &add["end_line"],
            &add["end_column"]
        ),
        (&3.into(), &1.into(), &3.into(), &13.into())
    );
    assert_eq!(add["fixable"], true);
    assert_eq!(add["applicability"], "safe");
    assert_eq!(add["edits"][0]["content"], "COPY");
    assert_eq!(add["edits"][0]["start"]["offset"], 43);
    assert_eq!(add["edits"][0]["end"]["offset"], 46);
    assert_eq!(&BAD[43..46], "ADD");
    assert_eq!(add["fixable_with"], Value::Null);
    let exec = &findings[2];
    assert_eq!(exec["fixable"], false);
    assert_eq!(exec["applicability"], "unsafe");
    assert_eq!(exec["fixable_with"], "--unsafe-fixes");
    assert_eq!(files[1]["diff"], Value::Null, "check makes no diff");
    let error = &files[2]["error"];
    assert_eq!((&error["line"], &error["column"]), (&2.into(), &1.into()));
    assert!(error["message"].as_str().unwrap().contains("cannot parse"));
    assert_eq!(json["summary"]["findings"], 3);
    assert_eq!(json["summary"]["errors"], 1);

    // Same input, same bytes.
    let (_, again, _) = run(dockerfix()
        .args(["check", "--format", "json", "."])
        .current_dir(dir.path()));
    assert_eq!(again, out);
}

#[test]
fn json_of_a_fix_lists_what_was_applied() {
    let dir = tempdir();
    let path = write(dir.path(), "Dockerfile", BAD);
    let (code, out, _) = run(dockerfix().args(["fix", "--format", "json"]).arg(&path));
    assert_eq!(code, 0);
    let json: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json["mode"], "fix");
    let file = &json["files"][0];
    assert_eq!(
        file["applied"],
        serde_json::json!([{"rule": "add-to-copy", "count": 1}, {"rule": "maintainer-label", "count": 1}])
    );
    let diff = file["diff"].as_str().unwrap();
    assert!(
        diff.contains("\n-ADD a.txt /a\n") && diff.contains("\n+COPY a.txt /a\n"),
        "{diff}"
    );
    assert!(fs::read_to_string(&path).unwrap().contains("COPY a.txt /a"));
}

fn sarif_validator() -> jsonschema::Validator {
    let schema: Value = serde_json::from_str(
        &fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/schemas/sarif-schema-2.1.0.json"),
        )
        .unwrap(),
    )
    .unwrap();
    jsonschema::validator_for(&schema).unwrap()
}

fn schema_errors(validator: &jsonschema::Validator, sarif: &Value) -> Vec<String> {
    validator
        .iter_errors(sarif)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

#[test]
fn sarif_is_valid_and_carries_rules_regions_and_fixes() {
    let dir = project();
    write(dir.path(), "d dir/Dockerfile.dev", "FROM a\nADD x /x\n");
    let (code, out, _) = run(dockerfix()
        .args(["check", "--format", "sarif", "."])
        .current_dir(dir.path()));
    assert_eq!(code, 2);
    let sarif: Value = serde_json::from_str(&out).unwrap();
    let validator = sarif_validator();
    let errors = schema_errors(&validator, &sarif);
    assert!(errors.is_empty(), "{errors:#?}");

    assert_eq!(sarif["version"], "2.1.0");
    let run0 = &sarif["runs"][0];
    let rules = run0["tool"]["driver"]["rules"].as_array().unwrap();
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    let mut sorted = ids.clone();
    sorted.sort_unstable();
    assert_eq!(ids, sorted, "rules sorted by id");
    let add = rules.iter().find(|r| r["id"] == "add-to-copy").unwrap();
    assert_eq!(
        add["helpUri"],
        "https://github.com/hadolint/hadolint/wiki/DL3020"
    );
    assert!(
        add["help"]["text"]
            .as_str()
            .unwrap()
            .contains("## Fix safety")
    );
    let results = run0["results"].as_array().unwrap();
    assert_eq!(results.len(), 4);
    let copy = &results[1];
    assert_eq!(copy["ruleId"], "add-to-copy");
    assert_eq!(
        rules[copy["ruleIndex"].as_u64().unwrap() as usize]["id"],
        "add-to-copy"
    );
    let location = &copy["locations"][0]["physicalLocation"];
    assert_eq!(location["artifactLocation"]["uri"], "b/Dockerfile");
    assert_eq!(location["region"]["startLine"], 3);
    let replacement = &copy["fixes"][0]["artifactChanges"][0]["replacements"][0];
    assert_eq!(replacement["deletedRegion"]["startColumn"], 1);
    assert_eq!(replacement["deletedRegion"]["endColumn"], 4);
    assert_eq!(replacement["insertedContent"]["text"], "COPY");
    assert_eq!(
        results[3]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "d%20dir/Dockerfile.dev"
    );
    let invocation = &run0["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], false);
    assert!(
        invocation["toolExecutionNotifications"][0]["message"]["text"]
            .as_str()
            .unwrap()
            .contains("c/Dockerfile:2:1: cannot parse")
    );

    // The validation can fail: a region starting at line 0 is refused.
    let mut broken = sarif.clone();
    broken["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] =
        0.into();
    assert!(!schema_errors(&validator, &broken).is_empty());

    let (_, again, _) = run(dockerfix()
        .args(["check", "--format", "sarif", "."])
        .current_dir(dir.path()));
    assert_eq!(again, out, "deterministic");
}

#[test]
fn sarif_of_a_clean_run_and_of_unused_ignores_is_valid() {
    let dir = tempdir();
    let path = write(
        dir.path(),
        "Dockerfile",
        "FROM a\n# dockerfix ignore=add-to-copy\nCOPY a /a\n",
    );
    let validator = sarif_validator();
    for args in [
        &["check", "--format", "sarif"][..],
        &["check", "--format", "sarif", "--report-unused-ignores"],
        &["fix", "--dry-run", "--format", "sarif"],
    ] {
        let (_, out, _) = run(dockerfix().args(args).arg(&path));
        let sarif: Value = serde_json::from_str(&out).unwrap();
        let errors = schema_errors(&validator, &sarif);
        assert!(errors.is_empty(), "{args:?}: {errors:#?}");
        let results = sarif["runs"][0]["results"].as_array().unwrap();
        let unused = args.contains(&"--report-unused-ignores");
        assert_eq!(results.len(), usize::from(unused), "{args:?}");
        if unused {
            assert_eq!(results[0]["ruleId"], "unused-ignore");
        }
    }
}

/// Microsoft's SARIF validator (`@microsoft/sarif-multitool` from npm, a
/// self-contained .NET program per platform, installed into `.tools/sarif`
/// by `scripts/test.sh`): `$SARIF_MULTITOOL`, else that install.
fn sarif_multitool() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("SARIF_MULTITOOL").filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(path));
    }
    let platform = match std::env::consts::OS {
        "macos" => "darwin",
        "windows" => "win32",
        other => other,
    };
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!(
        ".tools/sarif/node_modules/@microsoft/sarif-multitool-{platform}/Sarif.Multitool"
    ));
    path.exists().then_some(path)
}

/// The validator's results for the SARIF log at `path` (it writes them as
/// a SARIF log of its own, next to it).
fn validate_sarif(tool: &Path, path: &Path) -> Vec<Value> {
    let validation = path.with_extension("validation.sarif");
    let _ = fs::remove_file(&validation);
    let out = Command::new(tool)
        .args(["validate", "--rule-kind", "Sarif;Gh", "--output"])
        .arg(&validation)
        .arg(path)
        .output()
        .unwrap_or_else(|e| panic!("{}: {e}", tool.display()));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let log: Value = serde_json::from_str(&fs::read_to_string(&validation).unwrap()).unwrap();
    log["runs"][0]["results"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

#[test]
fn sarif_passes_microsofts_validator_without_a_warning() {
    let Some(tool) = sarif_multitool() else {
        let required = std::env::var_os("DOCKERFIX_REQUIRE_SARIF_MULTITOOL").is_some();
        assert!(
            !required,
            "the SARIF validator is missing and CI requires it: run scripts/test.sh"
        );
        eprintln!(
            "\n*** SKIPPED sarif_passes_microsofts_validator_without_a_warning: Microsoft's SARIF \
             validator is not installed (scripts/test.sh installs @microsoft/sarif-multitool \
             with npm; set SARIF_MULTITOOL to its binary) ***\n"
        );
        return;
    };
    // Findings with and without fixes, an unparseable file (a tool
    // notification), an unused ignore, a path with a blank.
    let dir = project();
    write(
        dir.path(),
        "d dir/Dockerfile.dev",
        "FROM a\n# dockerfix ignore=exec-form\nADD x /x\n",
    );
    let sarif_path = dir.path().join("report.sarif");
    let (code, _, _) = run(dockerfix()
        .args([
            "check",
            "--report-unused-ignores",
            "--format",
            "sarif",
            "--output",
        ])
        .arg(&sarif_path)
        .arg(".")
        .current_dir(dir.path()));
    assert_eq!(code, 2);
    let warnings = |results: Vec<Value>| -> Vec<String> {
        results
            .iter()
            .filter(|r| r["level"] != "note" && r["level"] != "none")
            .map(|r| format!("{}: {}", r["ruleId"], r["message"]))
            .collect()
    };
    let found = warnings(validate_sarif(&tool, &sarif_path));
    assert!(found.is_empty(), "{found:#?}");
    // The validator does read the log: a rule whose name equals its id is a warning.
    let mut sarif: Value = serde_json::from_str(&fs::read_to_string(&sarif_path).unwrap()).unwrap();
    sarif["runs"][0]["tool"]["driver"]["rules"][0]["name"] =
        sarif["runs"][0]["tool"]["driver"]["rules"][0]["id"].clone();
    fs::write(&sarif_path, sarif.to_string()).unwrap();
    let flagged = warnings(validate_sarif(&tool, &sarif_path));
    assert!(
        flagged.iter().any(|w| w.starts_with("\"SARIF1001\"")),
        "{flagged:#?}"
    );
}

#[test]
fn markdown_for_a_pull_request() {
    let dir = project();
    write(dir.path(), "e/Dockerfile", "FROM a\nADD x /x\nCMD `x` y\n");
    let (code, out, _) = run(dockerfix()
        .args(["fix", "--format", "markdown", "."])
        .current_dir(dir.path()));
    assert_eq!(code, 2);
    assert!(out.starts_with("## dockerfix\n\nApplied 3 fixes in 2 of 4 files (2 more with --unsafe-fixes); 1 file could not be processed.\n"), "{out}");
    assert!(
        out.contains(
            "| File | <code>add-to-copy</code> | <code>maintainer-label</code> | Total |\n\
             |---|---:|---:|---:|\n\
             | <code>b/Dockerfile</code> | 1 | 1 | 2 |\n\
             | <code>e/Dockerfile</code> | 1 |  | 1 |\n\
             | **Total** | 2 | 1 | 3 |\n"
        ),
        "{out}"
    );
    assert!(out.contains("### Unsafe fixes not applied"), "{out}");
    assert!(
        out.contains(
            "| <code>b/Dockerfile</code> | 4 | <code>exec-form</code> | CMD in shell form: use JSON exec form |"
        ),
        "{out}"
    );
    assert!(
        out.contains("### Errors\n\nThese files were left unchanged:\n\n- <code>c/Dockerfile:2:1: cannot parse"),
        "{out}"
    );
    assert!(
        out.contains(
            "<details>\n<summary><code>b/Dockerfile</code>: 2 fixes</summary>\n\n```diff\n--- a/b/Dockerfile\n"
        ),
        "{out}"
    );
    assert!(
        out.contains("+LABEL org.opencontainers.image.authors=\"me <me@example.com>\"\n"),
        "diffs are verbatim"
    );
    assert_eq!(out.matches("<details>").count(), 2);
    assert_eq!(out.matches("</details>").count(), 2);
    assert!(
        !out.contains("a/Dockerfile</code>"),
        "unchanged files are not listed"
    );
}

/// A finding an option would fix is never one "left to fix by hand": the
/// Markdown body and the summary name the option.
#[test]
fn findings_an_option_fixes_name_it() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("dockerfix.toml"),
        "select = [\"pin-digest\", \"exec-form\", \"secret-in-arg-env\"]\n",
    )
    .unwrap();
    write(
        dir.path(),
        "Dockerfile",
        "FROM python:3.12-slim\nARG API_TOKEN\nCMD python app.py\n",
    );
    let (code, out, err) = run(dockerfix()
        .args(["fix", "--format", "markdown", "."])
        .current_dir(dir.path()));
    assert_eq!(code, 0, "{err}");
    assert!(
        out.starts_with("## dockerfix\n\nApplied 0 fixes in 0 of 1 file (1 more with --unsafe-fixes, 1 more with --pin).\n"),
        "{out}"
    );
    assert_eq!(
        err.trim_end(),
        "Applied 0 fixes in 0 of 1 file (1 more with --unsafe-fixes, 1 more with --pin)."
    );
    let pins = out.find("### Pins not applied").expect(&out);
    let by_hand = out.find("### Left to fix by hand").expect(&out);
    assert!(
        out[pins..by_hand].contains("`dockerfix fix --pin`"),
        "{out}"
    );
    assert!(
        out[pins..by_hand].contains("| <code>Dockerfile</code> | 1 | <code>pin-digest</code> |"),
        "{out}"
    );
    assert!(!out[by_hand..].contains("pin-digest"), "{out}");
    assert!(
        out[by_hand..].contains("<code>secret-in-arg-env</code>"),
        "{out}"
    );
    let unsafe_section = out.find("### Unsafe fixes not applied").expect(&out);
    assert!(
        out[unsafe_section..pins].contains("<code>exec-form</code>"),
        "{out}"
    );

    let (_, out, _) = run(dockerfix()
        .args(["check", "--format", "json", "."])
        .current_dir(dir.path()));
    let json: Value = serde_json::from_str(&out).unwrap();
    let with: Vec<&Value> = json["files"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| &f["fixable_with"])
        .collect();
    assert_eq!(
        with,
        [
            &Value::from("--pin"),
            &Value::Null,
            &Value::from("--unsafe-fixes")
        ]
    );
    assert_eq!(json["summary"]["pins_not_applied"], 1);

    let (code, out, err) = run(dockerfix()
        .args(["check", "--format", "github", "."])
        .current_dir(dir.path()));
    assert_eq!(code, 1);
    assert!(
        out.contains("image `python:3.12-slim` is not pinned to a digest (fixable with `dockerfix fix --pin`)"),
        "{out}"
    );
    assert!(
        out.contains("(fixable with `dockerfix fix --unsafe-fixes`)"),
        "{out}"
    );
    assert_eq!(
        err.trim_end(),
        "3 findings in 1 file; 0 fixable with `dockerfix fix` (1 more with --unsafe-fixes, 1 more with --pin)."
    );
}

#[test]
fn github_annotations() {
    let dir = project();
    let (code, out, _) = run(dockerfix()
        .args(["check", "--format", "github", "."])
        .current_dir(dir.path()));
    assert_eq!(code, 2);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines,
        [
            "::warning title=dockerfix (maintainer-label),file=b/Dockerfile,line=2,col=1,endLine=2,endColumn=31::MAINTAINER is deprecated: use LABEL org.opencontainers.image.authors (fixable with `dockerfix fix`)",
            "::warning title=dockerfix (add-to-copy),file=b/Dockerfile,line=3,col=1,endLine=3,endColumn=13::ADD copies only local files here: use COPY (fixable with `dockerfix fix`)",
            "::warning title=dockerfix (exec-form),file=b/Dockerfile,line=4,col=5,endLine=4,endColumn=18::CMD in shell form: use JSON exec form (fixable with `dockerfix fix --unsafe-fixes`)",
            "::error title=dockerfix,file=c/Dockerfile,line=2,col=1::c/Dockerfile:2:1: cannot parse: unknown instruction 'WRONG'",
        ]
    );
}

#[test]
fn output_file_and_stdin() {
    let dir = project();
    let report = dir.path().join("report.json");
    let (code, out, err) = run(dockerfix()
        .args(["check", "--format", "json", "--output"])
        .arg(&report)
        .arg(dir.path().join("b")));
    assert_eq!((code, out.as_str()), (1, ""), "{err}");
    let json: Value = serde_json::from_str(&fs::read_to_string(&report).unwrap()).unwrap();
    assert_eq!(json["summary"]["findings"], 3);

    // Fixing standard input: the fixed text on stdout, the report aside.
    let mut child = dockerfix()
        .args(["fix", "--format", "json", "-"])
        .current_dir(dir.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(BAD.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.starts_with("FROM alpine\nLABEL "), "{stdout}");
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("\"version\": 1"), "{stderr}");

    let (code, _, err) = run(dockerfix()
        .args(["check", "--output"])
        .arg(dir.path().join("no/such/dir/r.txt"))
        .arg(dir.path().join("a")));
    assert_eq!(code, 2);
    assert!(err.contains("cannot write"), "{err}");
}

#[test]
fn exit_non_zero_on_fix_and_quiet() {
    let dir = tempdir();
    let path = write(dir.path(), "Dockerfile", BAD);
    let (code, _, err) = run(dockerfix()
        .args(["fix", "--exit-non-zero-on-fix"])
        .arg(&path));
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("Applied 2 fixes"), "{err}");
    let (code, _, _) = run(dockerfix()
        .args(["fix", "--exit-non-zero-on-fix"])
        .arg(&path));
    assert_eq!(code, 0, "nothing left to change");
    let (code, out, err) = run(dockerfix().args(["check", "--quiet"]).arg(&path));
    assert_eq!(code, 1);
    assert_eq!(err, "", "no summary");
    assert!(out.contains("exec-form"));
}

/// Runs dockerfix with `args` in `dir`, its standard error on a
/// pseudo-terminal (Python's `pty`), standard output discarded; returns what
/// the terminal showed.
const PTY_RUN: &str = r#"
import os, pty, sys
pid, fd = pty.fork()
if pid == 0:
    os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
    os.execv(sys.argv[1], sys.argv[1:])
chunks = []
while True:
    try:
        data = os.read(fd, 65536)
    except OSError:
        break
    if not data:
        break
    chunks.append(data)
os.waitpid(pid, 0)
sys.stdout.buffer.write(b"".join(chunks))
"#;

fn on_terminal(dir: &Path, args: &[&str]) -> String {
    let bin = assert_cmd::cargo::cargo_bin("dockerfix");
    let out = Command::new("python3")
        .args(["-c", PTY_RUN])
        .arg(&bin)
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .output()
        .expect("python3 runs");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn progress_bar_on_a_terminal_only_for_text() {
    let dir = tempdir();
    for i in 0..dockerfix::commands::PROGRESS_MIN_FILES {
        write(dir.path(), &format!("s{i:03}/Dockerfile"), BAD);
    }
    let text = on_terminal(dir.path(), &["check", "."]);
    assert!(text.contains("/50 files"), "{text:?}");
    let json = on_terminal(dir.path(), &["check", "--format", "json", "."]);
    assert!(!json.contains("/50"), "{json:?}");
    let quiet = on_terminal(dir.path(), &["check", "--quiet", "."]);
    assert!(
        json.contains("50 findings in 50 files"),
        "the summary is there: {json:?}"
    );
    assert!(!quiet.contains("/50"), "{quiet:?}");
}

/// A fix that writes a second file (a `.dockerignore` made for the build
/// context) shows it in every format: its diff in JSON and Markdown, its
/// whole text in the finding's JSON fix, and a second artifact change in
/// SARIF (valid by the schema and, where installed, Microsoft's validator).
#[test]
fn a_second_file_shows_in_every_format() {
    let dir = tempdir();
    write(
        dir.path(),
        "Dockerfile",
        "FROM debian:bookworm-slim\nCOPY . /app\n",
    );
    write(dir.path(), ".env", "TOKEN=secret\n");
    let fix = |format: &str| {
        let (code, out, err) = run(dockerfix()
            .args([
                "fix",
                "--dry-run",
                "--unsafe-fixes",
                "--select",
                "dockerignore",
            ])
            .args(["--format", format, "Dockerfile"])
            .current_dir(dir.path()));
        assert_eq!(code, 1, "{format}: {out}{err}");
        out
    };

    let json: Value = serde_json::from_str(&fix("json")).unwrap();
    let file = &json["files"][0];
    let other = &file["other_files"][0];
    assert!(
        other["path"].as_str().unwrap().ends_with(".dockerignore"),
        "{file:#}"
    );
    assert_eq!(other["created"], true);
    let diff = other["diff"].as_str().unwrap();
    assert!(
        diff.starts_with("--- /dev/null\n") && diff.contains("\n+.env*\n"),
        "{diff}"
    );
    let finding = &file["findings"][0];
    assert_eq!(finding["rule"], "dockerignore");
    let written = &finding["files"][0];
    assert_eq!(written["created"], true);
    assert!(
        written["content"].as_str().unwrap().contains(".env*\n"),
        "{finding:#}"
    );

    let markdown = fix("markdown");
    assert!(
        markdown.contains(".dockerignore</code>: created</summary>"),
        "{markdown}"
    );
    assert!(markdown.contains("--- /dev/null\n"), "{markdown}");

    let sarif_text = fix("sarif");
    let sarif: Value = serde_json::from_str(&sarif_text).unwrap();
    let errors = schema_errors(&sarif_validator(), &sarif);
    assert!(errors.is_empty(), "{errors:#?}");
    let changes = &sarif["runs"][0]["results"][0]["fixes"][0]["artifactChanges"];
    // The fix changes nothing in the Dockerfile: one change, the new file.
    assert_eq!(changes.as_array().unwrap().len(), 1, "{changes:#}");
    assert!(
        changes[0]["artifactLocation"]["uri"]
            .as_str()
            .unwrap()
            .ends_with(".dockerignore")
    );
    let inserted = changes[0]["replacements"][0]["insertedContent"]["text"]
        .as_str()
        .unwrap();
    assert!(inserted.contains(".env*\n"), "{inserted}");
    if let Some(tool) = sarif_multitool() {
        let path = dir.path().join("report.sarif");
        fs::write(&path, &sarif_text).unwrap();
        let problems: Vec<Value> = validate_sarif(&tool, &path)
            .into_iter()
            .filter(|r| r["level"] != "note" && r["level"] != "none")
            .collect();
        assert!(problems.is_empty(), "{problems:#?}");
    }
}
