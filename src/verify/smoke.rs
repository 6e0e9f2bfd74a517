//! `fix --verified --smoke 'CMD'`: a command run in a built image as the
//! image's user (`python -c "import app"`, `app --version`); a non-zero
//! exit rejects the fixes that made the image. Run by the builder itself:
//! `buildah from` + `buildah run --user`, `docker run` / `podman run`.

use std::process::{Command, Stdio};
use std::time::Duration;

use super::builder::{Builder, Engine};
use super::image::Image;
use super::process;

/// Runs `script` in image `tag` (read as `image`) as its user. `/bin/sh -c`
/// runs it where the image has a shell; in an image without one (scratch,
/// distroless) its words run as a program.
pub fn run(
    builder: &Builder,
    tag: &str,
    image: &Image,
    script: &str,
    timeout: Duration,
) -> Result<(), String> {
    let argv = argv(image, script)?;
    let user = image.config.user.clone();
    match builder.engine {
        Engine::Buildah => buildah(tag, &user, &argv, timeout),
        Engine::Podman | Engine::Buildx { .. } | Engine::DockerClassic => {
            let mut command = Command::new(builder.name());
            command.args(["run", "--rm", "--network", "none"]);
            if !user.is_empty() {
                command.args(["--user", &user]);
            }
            command
                .args(["--entrypoint", &argv[0]])
                .arg(tag)
                .args(&argv[1..]);
            checked(command, timeout)
        }
    }
}

/// The command line of `script` in `image`.
fn argv(image: &Image, script: &str) -> Result<Vec<String>, String> {
    if image.fs.resolve("/bin/sh").is_some() {
        return Ok(vec!["/bin/sh".into(), "-c".into(), script.into()]);
    }
    let words = crate::words::plain_words(script)
        .map(|p| p.words)
        .filter(|w| !w.is_empty())
        .ok_or_else(|| {
            format!(
                "the image has no /bin/sh, and `{script}` is not a plain command to run without one"
            )
        })?;
    Ok(words)
}

fn buildah(tag: &str, user: &str, argv: &[String], timeout: Duration) -> Result<(), String> {
    let out = Command::new("buildah")
        .args(["from", "--pull=never", "--quiet", tag])
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("buildah from: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "buildah from {tag} failed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    let container = String::from_utf8_lossy(&out.stdout).trim().to_owned();
    let mut command = Command::new("buildah");
    command.arg("run");
    if !user.is_empty() {
        command.args(["--user", user]);
    }
    command.arg(&container).arg("--").args(argv);
    let result = checked(command, timeout);
    let _ = Command::new("buildah")
        .args(["rm", &container])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
    result
}

/// Runs `command`; an error with its exit status and last lines unless it
/// exits with 0.
fn checked(command: Command, timeout: Duration) -> Result<(), String> {
    match process::run_logged(command, timeout, &|_| {}) {
        Ok(done) if done.status.success() => Ok(()),
        Ok(done) => Err(format!(
            "the smoke command exited with {}: {}",
            done.status
                .code()
                .map_or_else(|| done.status.to_string(), |c| c.to_string()),
            last_words(&done.tail_text())
        )),
        Err(stopped) => Err(format!("the smoke command {stopped}")),
    }
}

/// The last line the command itself printed, without the builder's own
/// lines about the exit (`subprocess exited with status 1`, …).
fn last_words(output: &str) -> String {
    const BUILDER: &[&str] = &[
        "subprocess exited with status",
        "Error: exit status",
        "error running container",
    ];
    output
        .lines()
        .rev()
        .map(str::trim)
        .find(|l| !l.is_empty() && !BUILDER.iter().any(|b| l.starts_with(b)))
        .unwrap_or("(no output)")
        .to_owned()
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_reason_is_the_command_s_last_line() {
        let tail = "Traceback (most recent call last):\nOSError: libgomp.so.1: cannot open shared object file\nsubprocess exited with status 1\nError: exit status 1\n";
        assert_eq!(
            super::last_words(tail),
            "OSError: libgomp.so.1: cannot open shared object file"
        );
    }
}
