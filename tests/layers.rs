//! `layer-order` measured with a real builder: buildah with `bud --layers`
//! (its step cache) on `tests/build-layers/pip/`, a pip install from a wheel
//! folder in the build context. A one-line source change is rebuilt before
//! and after the fix; after it, the dependency step must come from the
//! cache. The times are printed (README, "Rebuild measurements").

mod support;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use support::builds::{self, buildah_env, dockerfix, run};

/// What one build printed and took.
struct Build {
    output: String,
    lines: Vec<(Duration, String)>,
    took: Duration,
    /// The image ids of the steps after the source is copied (removed at
    /// the end; the base steps stay cached for the next run).
    new_images: Vec<String>,
}

fn buildah(env: &[(String, String)]) -> Command {
    let mut command = Command::new("buildah");
    for (key, value) in env {
        command.env(key, value);
    }
    command
}

fn build(env: &[(String, String)], dir: &Path, tag: &str) -> Build {
    use std::io::BufRead;
    let started = Instant::now();
    let mut child = buildah(env)
        .args(["bud", "--layers", "--pull=never", "-t", tag, "-f"])
        .arg(dir.join("Dockerfile"))
        .arg(dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("buildah runs");
    let stderr = child.stderr.take().expect("stderr");
    let errors = std::thread::spawn(move || std::io::read_to_string(stderr).unwrap_or_default());
    // Each line with when it came: a step lasts until the next one starts.
    let lines: Vec<(Duration, String)> =
        std::io::BufReader::new(child.stdout.take().expect("stdout"))
            .lines()
            .map_while(Result::ok)
            .map(|line| (started.elapsed(), line))
            .collect();
    let status = child.wait().expect("buildah ends");
    let took = started.elapsed();
    let errors = errors.join().unwrap_or_default();
    let output: String = lines.iter().map(|(_, l)| format!("{l}\n")).collect();
    assert!(status.success(), "build failed:\n{output}\n{errors}");
    let mut new_images = Vec::new();
    let mut after_copy = false;
    for (_, line) in &lines {
        if line.starts_with("STEP") && line.contains("COPY") {
            after_copy = true;
        }
        if let Some(id) = line.strip_prefix("--> ")
            && after_copy
        {
            let id = id.trim_start_matches("Using cache ").trim();
            if id.len() >= 12 && id.bytes().all(|b| b.is_ascii_hexdigit()) {
                new_images.push(id.to_owned());
            }
        }
    }
    Build {
        output,
        lines,
        took,
        new_images,
    }
}

impl Build {
    /// How long the step running `needle` took (with its layer's commit).
    fn step_time(&self, needle: &str) -> Duration {
        let start = self
            .lines
            .iter()
            .position(|(_, l)| l.starts_with("STEP") && l.contains(needle))
            .unwrap_or_else(|| panic!("no step runs {needle}:\n{}", self.output));
        let end = self.lines[start + 1..]
            .iter()
            .find(|(_, l)| l.starts_with("STEP") || l.starts_with("Successfully tagged"))
            .map_or(self.took, |(at, _)| *at);
        end - self.lines[start].0
    }
}

/// Whether the step running `needle` was taken from the cache.
fn step_cached(output: &str, needle: &str) -> bool {
    let mut lines = output.lines();
    lines
        .find(|l| l.starts_with("STEP") && l.contains(needle))
        .unwrap_or_else(|| panic!("no step runs {needle}:\n{output}"));
    lines
        .find(|l| l.starts_with("-->"))
        .is_some_and(|l| l.contains("Using cache"))
}

/// A one-line change of the program, different on every run (so that no
/// earlier run's cache holds it).
fn change_source(dir: &Path, nonce: &str) {
    let path = dir.join("app.py");
    let mut text = std::fs::read_to_string(&path).unwrap();
    text.push_str(&format!("print(\"{nonce}\")\n"));
    std::fs::write(path, text).unwrap();
}

#[test]
fn dependency_step_is_cached_after_layer_order() {
    let _serial = builds::serial();
    let env = buildah_env();
    let work = tempfile::tempdir().unwrap();
    let dir = work.path().join("pip");
    builds::copy_dir(&builds::root().join("tests/build-layers/pip"), &dir);
    let nonce = format!(
        "{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos()
    );
    let tag = format!("localhost/dockerfix-layers-{}", std::process::id());
    let pip = "pip install";
    let mut images = Vec::new();

    // Before: the install follows `COPY . .`.
    images.extend(build(env, &dir, &tag).new_images);
    change_source(&dir, &format!("before {nonce}"));
    let before = build(env, &dir, &tag);
    images.extend(before.new_images.iter().cloned());
    assert!(
        !step_cached(&before.output, pip),
        "the install ran again after the source changed:\n{}",
        before.output
    );

    // The fix.
    let (code, out, err) = run(dockerfix(env)
        .args(["fix", "--unsafe-fixes", "--select", "layer-order"])
        .arg(dir.join("Dockerfile")));
    assert_eq!(code, 0, "{out}\n{err}");
    let fixed = std::fs::read_to_string(dir.join("Dockerfile")).unwrap();
    assert!(
        fixed.contains("COPY requirements.txt ./\nCOPY wheels/ ./wheels/\nRUN /venv/bin/pip"),
        "{fixed}"
    );

    // After: the same change no longer reaches the install.
    images.extend(build(env, &dir, &tag).new_images);
    change_source(&dir, &format!("after {nonce}"));
    let after = build(env, &dir, &tag);
    images.extend(after.new_images.iter().cloned());
    assert!(
        step_cached(&after.output, pip),
        "the install did not come from the cache:\n{}",
        after.output
    );
    let (code, program, err) = run(buildah(env).args(["from", "--pull=never", &tag]));
    assert_eq!(code, 0, "{err}");
    let container = program.trim().to_owned();
    let (code, printed, err) =
        run(buildah(env).args(["run", &container, "/venv/bin/python", "/app/app.py"]));
    assert_eq!(code, 0, "{err}");
    assert!(printed.starts_with("hello, layers\n"), "{printed}");
    let _ = run(buildah(env).args(["rm", &container]));

    let ratio = after.took.as_secs_f64() / before.took.as_secs_f64();
    eprintln!(
        "layer-order rebuild after a one-line change: before {:.1} s, after {:.1} s (ratio {ratio:.2}); \
         the dependency step took {:.1} s before, {:.1} s after (from the cache)",
        before.took.as_secs_f64(),
        after.took.as_secs_f64(),
        before.step_time(pip).as_secs_f64(),
        after.step_time(pip).as_secs_f64(),
    );
    let _ = run(buildah(env).args(["rmi", "-f", &tag]));
    images.sort();
    images.dedup();
    for image in images {
        let _ = run(buildah(env).args(["rmi", "-f", &image]));
    }
}
