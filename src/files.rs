//! Reading a file as UTF-8 with a located error, and writing it atomically.

use std::io::Write;
use std::path::Path;

/// Reads `path` as UTF-8; a non-UTF-8 file is an error at the first bad byte.
pub fn read_text(bytes: Vec<u8>) -> Result<String, (usize, usize, String)> {
    String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let bytes = e.as_bytes();
        let before = &bytes[..valid];
        let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
        let line_start = before
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1);
        let column = String::from_utf8_lossy(&before[line_start..])
            .chars()
            .count()
            + 1;
        (
            line,
            column,
            format!("invalid UTF-8 (byte 0x{:02x})", bytes[valid]),
        )
    })
}

/// Replaces the content of `path` with `content`: written to a temporary file
/// in the same folder, given the original's permissions, then renamed over
/// it, so readers see the old or the new file, never a partial one. A
/// read-only file is refused.
pub fn write_atomic(path: &Path, content: &[u8]) -> std::io::Result<()> {
    let target = std::fs::canonicalize(path)?;
    let dir = target.parent().unwrap_or_else(|| Path::new("."));
    let metadata = std::fs::metadata(&target)?;
    // A device or fifo (say `/dev/full`) cannot be replaced by renaming.
    if !metadata.is_file() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "not a regular file",
        ));
    }
    let permissions = metadata.permissions();
    // Renaming over a read-only file would succeed; its mode says "do not
    // change me", so honour it.
    if permissions.readonly() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::PermissionDenied,
            "the file is read-only",
        ));
    }
    let temp = tempfile::Builder::new()
        .prefix(".dockerfix-")
        .tempfile_in(dir)
        .map_err(|e| {
            // Name the folder, not the temporary file that was never made.
            let reason = std::io::Error::from(e.kind());
            std::io::Error::new(
                e.kind(),
                format!("cannot create a file in its folder: {reason}"),
            )
        })?;
    temp.as_file().write_all(content)?;
    temp.as_file().sync_all()?;
    temp.as_file().set_permissions(permissions)?;
    keep_owner(temp.as_file(), &target);
    temp.persist(&target).map_err(|e| e.error)?;
    Ok(())
}

/// Creates `path` with `content`, atomically: written to a temporary file
/// in the same folder, then linked to its name only if nothing has that
/// name yet (a file made meanwhile is never replaced).
pub fn create_atomic(path: &Path, content: &[u8]) -> std::io::Result<()> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or_else(|| Path::new("."));
    let temp = tempfile::Builder::new()
        .prefix(".dockerfix-")
        .tempfile_in(dir)?;
    temp.as_file().write_all(content)?;
    temp.as_file().sync_all()?;
    {
        use std::os::unix::fs::PermissionsExt;
        temp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(0o644))?;
    }
    temp.persist_noclobber(path).map_err(|e| e.error)?;
    Ok(())
}

/// Writes a file next to a Dockerfile that a fix changes, if it still
/// holds what the fix was made from (`None`: it does not exist).
pub fn write_if_unchanged(path: &Path, before: Option<&str>, after: &str) -> std::io::Result<()> {
    let now = match std::fs::read(path) {
        Ok(bytes) => Some(bytes),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(e),
    };
    if now.as_deref() != before.map(str::as_bytes) {
        return Err(std::io::Error::other("it changed since it was read"));
    }
    match before {
        Some(_) => write_atomic(path, after.as_bytes()),
        None => create_atomic(path, after.as_bytes()),
    }
}

/// Gives the new file the original's owner where allowed (as root); a user
/// can only write files it may replace anyway, so a failure here is ignored.
#[cfg(unix)]
fn keep_owner(file: &std::fs::File, original: &Path) {
    use std::os::unix::fs::MetadataExt;
    if let Ok(meta) = std::fs::metadata(original) {
        let _ = std::os::unix::fs::fchown(file, Some(meta.uid()), Some(meta.gid()));
    }
}

#[cfg(not(unix))]
fn keep_owner(_: &std::fs::File, _: &Path) {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_error_position() {
        let (line, column, message) = read_text(b"FROM a\nRUN \xff\n".to_vec()).unwrap_err();
        assert_eq!((line, column), (2, 5));
        assert!(message.contains("0xff"));
    }

    #[cfg(unix)]
    #[test]
    fn atomic_write_keeps_permissions() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("Dockerfile");
        std::fs::write(&path, "old").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
        write_atomic(&path, b"new").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new");
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o640);
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            1,
            "no temp file left"
        );
    }
}
