//! Paths inside an image as a Dockerfile names them: resolved against the
//! working directory, and what kind of folder they are.

/// `path` resolved against the absolute folder `cwd`, in normal form
/// (`/app/./x/../y/` → `/app/y`). `None` when it has an expansion, a glob
/// or a character a shell word would need quoted.
pub fn resolve(cwd: &str, path: &str) -> Option<String> {
    let plain = path.bytes().all(|b| {
        b.is_ascii_alphanumeric()
            || matches!(
                b,
                b'/' | b'.' | b'_' | b'-' | b'+' | b'@' | b',' | b':' | b'='
            )
    });
    if !plain || path.is_empty() {
        return None;
    }
    let mut parts: Vec<&str> = Vec::new();
    let joined = if path.starts_with('/') {
        None
    } else {
        Some(cwd)
    };
    for part in joined.into_iter().chain([path]).flat_map(|p| p.split('/')) {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            part => parts.push(part),
        }
    }
    Some(format!("/{}", parts.join("/")))
}

/// Whether `path` is `folder` or inside it (both in normal form).
pub fn is_within(path: &str, folder: &str) -> bool {
    folder == "/"
        || path
            .strip_prefix(folder)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

/// Folders every Linux image has, which belong to the system: giving one
/// of them to an application's user would give it more than its own files.
pub const SYSTEM_FOLDERS: &[&str] = &[
    "/",
    "/bin",
    "/boot",
    "/etc",
    "/home",
    "/lib",
    "/lib64",
    "/media",
    "/mnt",
    "/opt",
    "/run",
    "/sbin",
    "/srv",
    "/usr",
    "/usr/bin",
    "/usr/include",
    "/usr/lib",
    "/usr/local",
    "/usr/local/bin",
    "/usr/local/etc",
    "/usr/local/include",
    "/usr/local/lib",
    "/usr/local/sbin",
    "/usr/local/share",
    "/usr/local/src",
    "/usr/sbin",
    "/usr/share",
    "/usr/src",
    "/var",
    "/var/backups",
    "/var/cache",
    "/var/lib",
    "/var/local",
    "/var/log",
    "/var/mail",
    "/var/opt",
    "/var/run",
    "/var/spool",
    "/var/www",
];

/// Folders of programs and libraries: nothing in them is an application's
/// data.
const PROGRAM_FOLDERS: &[&str] = &[
    "/bin",
    "/sbin",
    "/lib",
    "/lib64",
    "/usr/bin",
    "/usr/sbin",
    "/usr/lib",
    "/usr/local/bin",
    "/usr/local/sbin",
    "/usr/local/lib",
    "/boot",
];

/// A system folder, or a folder of programs or below one.
pub fn is_system(path: &str) -> bool {
    SYSTEM_FOLDERS.contains(&path) || PROGRAM_FOLDERS.iter().any(|f| is_within(path, f))
}

/// Places every user may write to already, or that are not files: `/tmp`,
/// `/dev/stdout`, `/proc/1/fd/1`.
pub fn is_writable_by_all(path: &str) -> bool {
    ["/tmp", "/var/tmp", "/dev", "/proc", "/sys", "/dev/shm"]
        .iter()
        .any(|f| is_within(path, f))
}

/// The folder holding `path` (`/var/log/app.log` → `/var/log`).
pub fn parent(path: &str) -> &str {
    match path.rfind('/') {
        Some(0) | None => "/",
        Some(i) => &path[..i],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolving() {
        assert_eq!(resolve("/", "/app/").as_deref(), Some("/app"));
        assert_eq!(resolve("/app", "data").as_deref(), Some("/app/data"));
        assert_eq!(resolve("/app", "./x/../y").as_deref(), Some("/app/y"));
        assert_eq!(resolve("/app", "..").as_deref(), Some("/"));
        assert_eq!(resolve("/", "$HOME/x"), None);
        assert_eq!(resolve("/", "a b"), None);
        assert_eq!(resolve("/", ""), None);
    }

    #[test]
    fn kinds_of_folders() {
        assert!(is_within("/app/data", "/app"));
        assert!(is_within("/app", "/app"));
        assert!(!is_within("/application", "/app"));
        assert!(is_system("/usr/local"));
        assert!(is_system("/usr/local/bin/tools"));
        assert!(!is_system("/usr/src/app"));
        assert!(!is_system("/etc/hass"));
        assert!(is_writable_by_all("/dev/stdout"));
        assert!(is_writable_by_all("/tmp/x.log"));
        assert_eq!(parent("/var/log/app.log"), "/var/log");
        assert_eq!(parent("/app"), "/");
    }
}
