//! Real builders for the verify tests: buildah (and podman) on a storage
//! under `target/verify/` with a Debian base image made by
//! `scripts/verify-base.sh`, and a Docker daemon started here with its own
//! folders and socket. Nothing is mocked: every image is really built.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::{Mutex, MutexGuard, OnceLock};
use std::time::{Duration, Instant};

/// The repository's root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Builds run one at a time in a test binary: the machine has two cores,
/// and each verify builds two files at once already.
pub fn serial() -> MutexGuard<'static, ()> {
    static LOCK: Mutex<()> = Mutex::new(());
    LOCK.lock().unwrap_or_else(|e| e.into_inner())
}

/// The environment buildah and podman need (storage, isolation), after
/// making the base image once (`scripts/verify-base.sh`).
pub fn buildah_env() -> &'static [(String, String)] {
    static ENV: OnceLock<Vec<(String, String)>> = OnceLock::new();
    ENV.get_or_init(|| {
        let script = root().join("scripts/verify-base.sh");
        let status = Command::new("bash")
            .arg(&script)
            .status()
            .expect("run scripts/verify-base.sh");
        assert!(status.success(), "scripts/verify-base.sh failed");
        let out = Command::new("bash")
            .arg(&script)
            .arg("--env")
            .output()
            .expect("scripts/verify-base.sh --env");
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .filter_map(|line| {
                let (key, value) = line.strip_prefix("export ")?.split_once('=')?;
                Some((key.to_owned(), value.trim_matches('\'').to_owned()))
            })
            .collect()
    })
}

/// `dockerfix` with the builders' environment.
pub fn dockerfix(env: &[(String, String)]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_dockerfix"));
    command.current_dir(root()).env("NO_COLOR", "1");
    for (key, value) in env {
        command.env(key, value);
    }
    command
}

/// Runs a command; its exit code, standard output and error.
pub fn run(command: &mut Command) -> (i32, String, String) {
    let Output {
        status,
        stdout,
        stderr,
    } = command.output().expect("run");
    (
        status.code().unwrap_or(-1),
        String::from_utf8_lossy(&stdout).into_owned(),
        String::from_utf8_lossy(&stderr).into_owned(),
    )
}

/// Copies folder `from` (a case with its context) to `to`.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// The base image's root file system tar that scripts/verify-base.sh made.
pub fn base_tar() -> PathBuf {
    buildah_env();
    root().join("target/verify/debian-bookworm-minbase.tar")
}

/// The storage driver scripts/verify-base.sh chose for buildah (`overlay`
/// where the kernel mounts one here, else `vfs`).
pub fn storage_driver() -> String {
    buildah_env();
    std::fs::read_to_string(root().join("target/verify/driver"))
        .map(|d| d.trim().to_owned())
        .unwrap_or_else(|_| "vfs".into())
}

/// A Docker daemon with the same kind of storage as buildah's (overlay2 or
/// vfs), no networking of its own, and its folders and socket in a
/// temporary folder; stopped when dropped.
pub struct Dockerd {
    child: Child,
    dir: tempfile::TempDir,
}

impl Dockerd {
    /// Starts dockerd and imports the base image under the names the cases
    /// use.
    pub fn start() -> Dockerd {
        let dir = tempfile::Builder::new()
            .prefix("dfx-dockerd-")
            .tempdir_in("/tmp")
            .expect("temporary folder");
        let path = dir.path();
        let log = std::fs::File::create(path.join("dockerd.log")).expect("log file");
        let driver = match storage_driver().as_str() {
            "overlay" => "overlay2",
            _ => "vfs",
        };
        let child = Command::new("dockerd")
            .args([
                "--storage-driver",
                driver,
                "--iptables=false",
                "--bridge=none",
            ])
            .arg("--data-root")
            .arg(path.join("root"))
            .arg("--exec-root")
            .arg(path.join("exec"))
            .arg("--pidfile")
            .arg(path.join("docker.pid"))
            .arg("-H")
            .arg(format!("unix://{}", path.join("docker.sock").display()))
            .stdin(Stdio::null())
            .stdout(log.try_clone().expect("log"))
            .stderr(log)
            .spawn()
            .expect("dockerd is installed (scripts/test.sh installs docker.io)");
        let daemon = Dockerd { child, dir };
        let started = Instant::now();
        loop {
            let ok = daemon
                .docker()
                .args(["version", "--format", "{{.Server.Version}}"])
                .output()
                .is_ok_and(|o| o.status.success());
            if ok {
                break;
            }
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "dockerd did not start: {}",
                std::fs::read_to_string(daemon.dir.path().join("dockerd.log")).unwrap_or_default()
            );
            std::thread::sleep(Duration::from_millis(300));
        }
        let tar = base_tar();
        let (code, _, err) = run(daemon
            .docker()
            .args(["import", "--change", "CMD [\"/bin/bash\"]"])
            .arg(&tar)
            .arg("debian:bookworm-slim"));
        assert_eq!(code, 0, "docker import: {err}");
        for name in ["debian:bookworm", "debian:12"] {
            let (code, _, err) = run(daemon.docker().args(["tag", "debian:bookworm-slim", name]));
            assert_eq!(code, 0, "docker tag: {err}");
        }
        daemon
    }

    /// The environment that points docker at this daemon.
    pub fn env(&self) -> Vec<(String, String)> {
        vec![(
            "DOCKER_HOST".into(),
            format!("unix://{}", self.socket().display()),
        )]
    }

    fn socket(&self) -> PathBuf {
        self.dir.path().join("docker.sock")
    }

    /// `docker` talking to this daemon.
    pub fn docker(&self) -> Command {
        let mut command = Command::new("docker");
        command.env("DOCKER_HOST", format!("unix://{}", self.socket().display()));
        command
    }

    pub fn dir(&self) -> &Path {
        self.dir.path()
    }
}

impl Drop for Dockerd {
    fn drop(&mut self) {
        // SIGTERM lets dockerd stop its containerd and unmount.
        // SAFETY: signals the daemon this harness started.
        unsafe {
            libc::kill(self.child.id() as i32, libc::SIGTERM);
        }
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(20) {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(200));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
