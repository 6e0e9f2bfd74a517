//! Will the image start under its `User`? Checked on the file system, with
//! nothing run: the program of `Entrypoint`/`Cmd` exists and that user may
//! execute it, and the `WorkingDir` and every `Volume` are writable by it.

use super::image::{Identity, Image};
use super::layer::Kind;

/// One readiness check that failed.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct Problem {
    /// `user`, `program`, `workdir` or `volume`.
    pub check: &'static str,
    /// The path (or user) checked.
    pub subject: String,
    pub message: String,
}

/// The default `PATH` of a container whose image sets none.
const DEFAULT_PATH: &str = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/// Every failed check of `image`, sorted.
pub fn check(image: &Image) -> Vec<Problem> {
    let user = &image.config.user;
    let shown = if user.is_empty() { "root" } else { user };
    let identity = match image.accounts.identity(user) {
        Ok(identity) => identity,
        Err(message) => {
            return vec![Problem {
                check: "user",
                subject: shown.to_owned(),
                message: format!("the container cannot start: {message}"),
            }];
        }
    };
    let mut problems = Vec::new();
    if let Some(program) = program(image)
        && let Err(message) = executable(image, &identity, &program)
    {
        problems.push(Problem {
            check: "program",
            subject: program.clone(),
            message: format!("`{program}` {message} for user {shown}"),
        });
    }
    let workdir = &image.config.working_dir;
    if !workdir.is_empty()
        && let Err(message) = writable(image, &identity, workdir)
    {
        problems.push(Problem {
            check: "workdir",
            subject: workdir.clone(),
            message: format!("WORKDIR {workdir} {message} for user {shown}"),
        });
    }
    for volume in &image.config.volumes {
        if let Err(message) = writable(image, &identity, volume) {
            problems.push(Problem {
                check: "volume",
                subject: volume.clone(),
                message: format!("VOLUME {volume} {message} for user {shown}"),
            });
        }
    }
    problems.sort();
    problems
}

/// The program the container starts: the first word of `Entrypoint`, else
/// of `Cmd`; for `sh -c "exec prog …"`-style commands, also a plain first
/// word of the script is what matters, but the shell is checked here.
fn program(image: &Image) -> Option<String> {
    let config = &image.config;
    let argv = match &config.entrypoint {
        Some(e) if !e.is_empty() => e,
        _ => config.cmd.as_ref()?,
    };
    argv.first().filter(|p| !p.is_empty()).cloned()
}

/// The `PATH` of the image's environment.
fn search_path(image: &Image) -> String {
    image
        .config
        .env
        .iter()
        .find_map(|e| e.strip_prefix("PATH=").map(str::to_owned))
        .unwrap_or_else(|| DEFAULT_PATH.to_owned())
}

/// Whether `identity` may run `program` (a path, or a name searched in
/// `PATH`): `Err` says why not.
fn executable(image: &Image, identity: &Identity, program: &str) -> Result<(), String> {
    let candidates: Vec<String> = if program.contains('/') {
        let base = if program.starts_with('/') {
            String::new()
        } else {
            image.config.working_dir.clone()
        };
        vec![format!("{base}/{program}")]
    } else {
        search_path(image)
            .split(':')
            .filter(|d| !d.is_empty())
            .map(|d| format!("{d}/{program}"))
            .collect()
    };
    let mut reason = if program.contains('/') {
        "does not exist".to_owned()
    } else {
        "is not found in PATH".to_owned()
    };
    for candidate in candidates {
        let Some(found) = image.fs.resolve(&candidate) else {
            continue;
        };
        let Some(node) = found.node else { continue };
        if node.kind != Kind::File {
            continue;
        }
        if let Some(folder) = found
            .folders
            .iter()
            .find(|f| !searchable(image, identity, f))
        {
            reason = format!("is in /{folder}, which is not searchable");
            continue;
        }
        if identity.may(node.mode, node.uid, node.gid, 1) {
            return Ok(());
        }
        reason = format!(
            "is not executable (mode {:o}, owner {}:{})",
            node.mode, node.uid, node.gid
        );
    }
    Err(reason)
}

fn searchable(image: &Image, identity: &Identity, folder: &str) -> bool {
    image
        .fs
        .nodes
        .get(folder)
        .is_none_or(|n| identity.may(n.mode, n.uid, n.gid, 1))
}

/// Whether `identity` may create files in folder `path`: `Err` says why not.
fn writable(image: &Image, identity: &Identity, path: &str) -> Result<(), String> {
    if identity.uid == 0 {
        return Ok(());
    }
    let Some(found) = image.fs.resolve(path) else {
        return Err("does not exist in the image (it is created owned by root)".into());
    };
    let Some(node) = found.node else {
        return Err("is the root folder".into());
    };
    if node.kind != Kind::Dir {
        return Err("is not a folder".into());
    }
    if identity.may(node.mode, node.uid, node.gid, 3) {
        Ok(())
    } else {
        Err(format!(
            "is not writable (mode {:o}, owner {}:{})",
            node.mode, node.uid, node.gid
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::verify::archive::Config;
    use crate::verify::filesystem::FileSystem;
    use crate::verify::image::Accounts;
    use crate::verify::layer::Node;

    fn image(user: &str, entries: &[(&str, Kind, u32, u64)]) -> Image {
        let mut fs = FileSystem::default();
        for (path, kind, mode, uid) in entries {
            fs.nodes.insert(
                (*path).to_owned(),
                Node {
                    kind: kind.clone(),
                    mode: *mode,
                    uid: *uid,
                    gid: *uid,
                    size: 1,
                    digest: None,
                },
            );
        }
        Image {
            size_bytes: 0,
            layers: 1,
            wasted_bytes: 0,
            config: Config {
                user: user.into(),
                cmd: Some(vec!["app".into()]),
                working_dir: "/srv".into(),
                volumes: vec!["/data".into()],
                ..Config::default()
            },
            fs,
            packages: Vec::new(),
            accounts: Accounts::parse(
                "root:x:0:0::/root:/bin/sh\napp:x:1001:1001::/home/app:/bin/sh\n",
                "root:x:0:\napp:x:1001:\n",
            ),
        }
    }

    #[test]
    fn root_is_ready_and_a_new_user_is_not() {
        let entries = [
            ("usr", Kind::Dir, 0o755, 0),
            ("usr/bin", Kind::Dir, 0o755, 0),
            ("usr/bin/app", Kind::File, 0o755, 0),
            ("srv", Kind::Dir, 0o755, 0),
            ("data", Kind::Dir, 0o755, 0),
        ];
        assert_eq!(check(&image("", &entries)), []);
        let problems = check(&image("app", &entries));
        let checks: Vec<&str> = problems.iter().map(|p| p.check).collect();
        assert_eq!(checks, ["volume", "workdir"], "{problems:?}");
        assert!(problems[1].message.contains("not writable"), "{problems:?}");
    }

    #[test]
    fn owned_folders_and_missing_programs() {
        let entries = [
            ("srv", Kind::Dir, 0o755, 1001),
            ("data", Kind::Dir, 0o700, 1001),
            ("usr", Kind::Dir, 0o755, 0),
            ("usr/bin", Kind::Dir, 0o755, 0),
        ];
        let problems = check(&image("1001:1001", &entries));
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].check, "program");
        assert!(problems[0].message.contains("not found in PATH"));
        let unknown = check(&image("nobody", &entries));
        assert_eq!(unknown[0].check, "user");
    }
}
