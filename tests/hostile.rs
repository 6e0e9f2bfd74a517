//! Hostile input: each case ends in a clear error or a correct result,
//! never a panic, a hang or a partial file. Time limits here are hang
//! guards far above the real cost (speed is measured by scripts/bench.sh).

use std::fs;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use dockerfix::commands::{Mode, Run, process_path};
use dockerfix::config::Overrides;

const HANG_GUARD: Duration = Duration::from_secs(120);

fn bin() -> PathBuf {
    assert_cmd::cargo::cargo_bin("dockerfix")
}

/// Runs the binary, killing it if it outlives the hang guard.
fn run_guarded(cmd: &mut Command) -> Output {
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    loop {
        if child.try_wait().unwrap().is_some() {
            return child.wait_with_output().unwrap();
        }
        if start.elapsed() > HANG_GUARD {
            child.kill().unwrap();
            panic!("dockerfix did not finish within {HANG_GUARD:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn no_panic(out: &Output) {
    let err = stderr(out);
    assert!(!err.contains("panicked"), "panic: {err}");
    assert!(
        out.status.code().is_some_and(|c| c <= 2),
        "status {:?}: {err}",
        out.status
    );
}

/// Fixes `content` in a temp folder and returns (output, file after).
fn fix_file(content: &[u8]) -> (Output, Vec<u8>) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("Dockerfile");
    fs::write(&path, content).unwrap();
    let out = run_guarded(
        Command::new(bin())
            .args(["fix", "--unsafe-fixes"])
            .arg(&path),
    );
    no_panic(&out);
    let after = fs::read(&path).unwrap();
    assert_eq!(
        fs::read_dir(dir.path()).unwrap().count(),
        1,
        "a temp file was left"
    );
    (out, after)
}

/// Fixing the fixed file again changes nothing.
fn assert_idempotent(fixed: &[u8]) {
    let (out, again) = fix_file(fixed);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(again == fixed, "second fix changed the file");
}

#[test]
fn fifty_megabyte_file() {
    let line = "RUN echo 'a fairly ordinary line of a very large Dockerfile'\n";
    let mut text = String::from(
        "FROM alpine@sha256:5afbbbebe6e580ee1b4b41d2a23f506abdc06ae48294544fdfd7bfd7de8d2abc\nMAINTAINER someone\n",
    );
    while text.len() < 50 * 1024 * 1024 {
        text.push_str(line);
    }
    text.push_str("ADD a.txt /a\nCMD exec ./run\nUSER nobody\n");
    let (out, after) = fix_file(text.as_bytes());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    // The consecutive RUNs become one (combine-run).
    let expected = text
        .replace("'\nRUN echo '", "' && \\\n    echo '")
        .replacen(
            "MAINTAINER someone",
            "LABEL org.opencontainers.image.authors=\"someone\"",
            1,
        )
        .replacen(
            "\nADD a.txt /a\nCMD exec ./run\nUSER nobody\n",
            "\nCOPY a.txt /a\nCMD [\"./run\"]\nUSER nobody\n",
            1,
        );
    assert!(
        after == expected.as_bytes(),
        "the 50 MB file was not fixed exactly"
    );
}

#[test]
fn hundred_thousand_line_continuation() {
    let mut text = String::from(
        "FROM alpine@sha256:5afbbbebe6e580ee1b4b41d2a23f506abdc06ae48294544fdfd7bfd7de8d2abc\nRUN true \\\n",
    );
    for i in 0..100_000 {
        text.push_str(&format!("    && echo {i} \\\n"));
    }
    text.push_str("    && true\nADD a /a\nUSER nobody\n");
    let (out, after) = fix_file(text.as_bytes());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        String::from_utf8(after).unwrap(),
        text.replace("ADD a /a", "COPY a /a")
    );
}

#[test]
fn ten_thousand_stages() {
    let mut text = String::from(
        "FROM alpine@sha256:5afbbbebe6e580ee1b4b41d2a23f506abdc06ae48294544fdfd7bfd7de8d2abc AS s0\nADD a /a\n",
    );
    for i in 1..10_000 {
        text.push_str(&format!("FROM s{} AS s{i}\nCMD exec ./run\n", i - 1));
    }
    let (out, after) = fix_file(text.as_bytes());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let after = String::from_utf8(after).unwrap();
    assert_eq!(after.matches("CMD [\"./run\"]").count(), 9_999);
    assert!(after.starts_with("FROM alpine@sha256:5afbbbebe6e580ee1b4b41d2a23f506abdc06ae48294544fdfd7bfd7de8d2abc AS s0\nCOPY a /a\n"));
    assert_idempotent(after.as_bytes());
}

#[test]
fn deeply_nested_quotes() {
    let nested = "\"'".repeat(20_000);
    let text = format!(
        "FROM alpine@sha256:5afbbbebe6e580ee1b4b41d2a23f506abdc06ae48294544fdfd7bfd7de8d2abc\nCMD echo {nested}\nLABEL x={nested}\nRUN echo {nested}\nUSER nobody\n"
    );
    let (out, after) = fix_file(text.as_bytes());
    // Unbalanced quotes in CMD: reported without a fix, the file unchanged
    // (or a parse error, also leaving it unchanged).
    assert!(after == text.as_bytes(), "{}", stderr(&out));
}

#[test]
fn nul_bytes() {
    let text = b"FROM alpine@sha256:5afbbbebe6e580ee1b4b41d2a23f506abdc06ae48294544fdfd7bfd7de8d2abc\nRUN echo \0\0\0\nADD a\0b /x\nCMD exec run\0\n";
    let (out, after) = fix_file(text);
    if out.status.code() == Some(0) {
        assert_idempotent(&after);
    } else {
        assert_eq!(after, text, "an error leaves the file unchanged");
    }
}

#[test]
fn invalid_utf8_is_located() {
    let text = b"FROM alpine@sha256:5afbbbebe6e580ee1b4b41d2a23f506abdc06ae48294544fdfd7bfd7de8d2abc\nRUN echo \xc3\x28 \xff\n";
    let (out, after) = fix_file(text);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains(":2:10: invalid UTF-8 (byte 0xc3)"),
        "{}",
        stderr(&out)
    );
    assert_eq!(after, text);
}

#[test]
fn lone_carriage_returns() {
    for text in [
        &b"FROM alpine@sha256:5afbbbebe6e580ee1b4b41d2a23f506abdc06ae48294544fdfd7bfd7de8d2abc\rADD a /a\r"[..],
        b"FROM alpine@sha256:5afbbbebe6e580ee1b4b41d2a23f506abdc06ae48294544fdfd7bfd7de8d2abc\nADD a /a\r\rCMD exec x\r",
        b"\r",
    ] {
        let (out, after) = fix_file(text);
        if out.status.code() == Some(0) {
            assert_idempotent(&after);
        } else {
            assert_eq!(after, text);
            assert!(stderr(&out).contains("error"));
        }
    }
}

#[cfg(unix)]
#[test]
fn symlink_loops_in_a_searched_folder() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::create_dir(root.join("sub")).unwrap();
    std::os::unix::fs::symlink(root, root.join("sub/loop")).unwrap();
    std::os::unix::fs::symlink(root.join("sub/Dockerfile"), root.join("sub/Dockerfile")).unwrap();
    fs::write(root.join("Dockerfile"), "FROM alpine@sha256:5afbbbebe6e580ee1b4b41d2a23f506abdc06ae48294544fdfd7bfd7de8d2abc\nADD a /a\n").unwrap();
    let out = run_guarded(Command::new(bin()).arg("fix").arg(root));
    no_panic(&out);
    assert_eq!(out.status.code(), Some(2), "the self-link is an error");
    assert!(
        stderr(&out).contains("sub/Dockerfile: cannot read"),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        fs::read_to_string(root.join("Dockerfile")).unwrap(),
        "FROM alpine@sha256:5afbbbebe6e580ee1b4b41d2a23f506abdc06ae48294544fdfd7bfd7de8d2abc\nCOPY a /a\n"
    );
}

#[test]
fn file_vanishing_after_discovery() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("Dockerfile");
    fs::write(&path, "FROM alpine\nADD a /a\n").unwrap();
    let run = Run::new(
        Mode::Fix { dry_run: false },
        Overrides::default(),
        vec![dir.path().to_path_buf()],
    )
    .unwrap();
    fs::remove_file(&path).unwrap();
    let report = process_path(&run, &path);
    let error = report.error.expect("an error").message;
    assert!(
        error.contains("cannot read") && error.contains("No such file"),
        "{error}"
    );
    assert!(!path.exists(), "nothing was written");
}

#[test]
fn device_as_target_is_refused() {
    let out = run_guarded(Command::new(bin()).args(["fix", "/dev/null"]));
    no_panic(&out);
    // /dev/null reads as empty: a parse error, and nothing is written.
    assert_eq!(out.status.code(), Some(2));
}

/// A disk that fills up while the fixed file is written: a tiny tmpfs in a
/// private mount namespace (as root; `unshare -r` otherwise).
#[cfg(target_os = "linux")]
#[test]
fn full_disk_on_write() {
    let dir = tempfile::tempdir().unwrap();
    let mnt = dir.path().join("mnt");
    fs::create_dir(&mnt).unwrap();
    let original: String = std::iter::once(
        "FROM alpine@sha256:5afbbbebe6e580ee1b4b41d2a23f506abdc06ae48294544fdfd7bfd7de8d2abc\n"
            .to_string(),
    )
    .chain((0..300).map(|i| format!("MAINTAINER person-{i}\n")))
    .collect();
    let source = dir.path().join("source");
    fs::write(&source, &original).unwrap();
    // Fill the tmpfs so the original fits but the fixed copy does not.
    let script = format!(
        "mount -t tmpfs -o size=64k tmpfs {mnt} || exit 9; cp {source} {mnt}/Dockerfile; \
         head -c $((64*1024 - {len} - 4096)) /dev/zero > {mnt}/filler 2>/dev/null || true; \
         {bin} fix {mnt}/Dockerfile; echo \"exit=$?\" >&2; \
         cmp {source} {mnt}/Dockerfile && echo same >&2; ls -A {mnt} >&2",
        mnt = mnt.display(),
        source = source.display(),
        len = original.len(),
        bin = bin().display()
    );
    let root = is_root();
    let mut cmd = Command::new("unshare");
    cmd.args(if root { vec!["-m"] } else { vec!["-r", "-m"] })
        .args(["sh", "-c", &script]);
    let out = run_guarded(&mut cmd);
    let err = stderr(&out);
    if err.contains("mount:") || err.contains("unshare:") {
        panic!("cannot make a tmpfs here: {err}");
    }
    assert!(
        err.contains("cannot write the fixed file") && err.contains("No space left"),
        "{err}"
    );
    assert!(err.contains("exit=2"), "{err}");
    assert!(err.contains("\nsame\n"), "the file is unchanged: {err}");
    let listing: Vec<&str> = err.lines().skip_while(|l| *l != "same").skip(1).collect();
    assert_eq!(
        listing,
        ["Dockerfile", "filler"],
        "no temp file left: {err}"
    );
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.starts_with(b"0\n"))
}

/// Inputs that fuzzing found breaking an invariant, kept as regressions.
#[test]
fn fuzz_regressions() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/regressions");
    let mut count = 0;
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let bytes = fs::read(&path).unwrap();
        let Ok(text) = String::from_utf8(bytes) else {
            continue;
        };
        if let Err(e) = dockerfix::invariants::check_fix_invariants(&text) {
            panic!("{}: {e}", path.display());
        }
        count += 1;
    }
    assert!(count > 0);
}
