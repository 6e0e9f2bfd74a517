//! One image layer, read as a stream: every entry's type, mode, owner, size
//! and content hash, its whiteouts, and the content of the few files
//! verify reads (package databases, accounts). Contents are hashed as they
//! pass, never held, so memory grows with the number of files, not bytes.

use std::collections::HashMap;
use std::io::{BufReader, Read};
use std::sync::Arc;

use sha2::{Digest as _, Sha256};

/// What kind of file system object an entry is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    File,
    Dir,
    Symlink(String),
    /// A device, fifo or socket.
    Special,
}

/// One file system object as a layer (or the stacked image) has it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    pub kind: Kind,
    /// Permission bits (and setuid/setgid/sticky).
    pub mode: u32,
    pub uid: u64,
    pub gid: u64,
    /// Bytes of content (regular files only).
    pub size: u64,
    /// SHA-256 of the content (regular files only).
    pub digest: Option<[u8; 32]>,
}

/// A layer as verify keeps it.
#[derive(Debug, Default)]
pub struct Layer {
    /// Bytes of the uncompressed layer tar.
    pub size: u64,
    /// Entries in the order of the tar, paths relative to `/` without a
    /// leading or trailing slash.
    pub entries: Vec<(String, Node)>,
    /// Paths a `.wh.NAME` file removes from the layers below.
    pub whiteouts: Vec<String>,
    /// Folders whose contents from the layers below are hidden
    /// (`.wh..wh..opq`).
    pub opaque: Vec<String>,
    /// Contents of the files [`captured`] asks for.
    pub captured: HashMap<String, Arc<Vec<u8>>>,
}

/// The largest file whose content is kept for reading (an rpm database can
/// be tens of megabytes; package.json files are small).
const CAPTURE_LIMIT: u64 = 64 << 20;

/// Files whose content verify reads: accounts and package databases.
pub fn captured(path: &str) -> bool {
    matches!(
        path,
        "etc/passwd" | "etc/group" | "var/lib/dpkg/status" | "lib/apk/db/installed"
    ) || super::installed::RPM_DATABASES.iter().any(|db| {
        path.strip_prefix(db)
            .is_some_and(|rest| rest.is_empty() || rest == "-wal")
    }) || is_npm_manifest(path)
}

/// `…/node_modules/NAME/package.json` or `…/node_modules/@SCOPE/NAME/package.json`.
pub fn is_npm_manifest(path: &str) -> bool {
    let Some(package) = path.strip_suffix("/package.json") else {
        return false;
    };
    let mut parts = package.rsplit('/');
    let (Some(name), Some(parent)) = (parts.next(), parts.next()) else {
        return false;
    };
    if name.starts_with('.') || name.starts_with('@') {
        return false;
    }
    parent == "node_modules" || (parent.starts_with('@') && parts.next() == Some("node_modules"))
}

/// Why an exported image could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("cannot read the exported image: {0}")]
    Io(#[from] std::io::Error),
    #[error("the exported image is not understood: {0}")]
    Format(String),
}

/// Counts the bytes that pass through.
struct Counting<R> {
    inner: R,
    count: u64,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count += n as u64;
        Ok(n)
    }
}

/// How a blob's first bytes say it is stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compression {
    None,
    Gzip,
    Zstd,
}

/// Sniffs a blob: a compressed stream, a tar, or neither (`None`).
pub fn sniff(head: &[u8]) -> Option<Compression> {
    if head.starts_with(&[0x1f, 0x8b]) {
        return Some(Compression::Gzip);
    }
    if head.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
        return Some(Compression::Zstd);
    }
    // A tar header has "ustar" at byte 257; an empty tar is zeros.
    let ustar = head.get(257..262) == Some(b"ustar");
    let empty = head.len() >= 512 && head[..512].iter().all(|&b| b == 0);
    (ustar || empty).then_some(Compression::None)
}

/// The first `n` bytes of `stream` (fewer at its end), and the whole
/// stream again: pipes and tar entries hand out data in pieces, so one read
/// is not enough to sniff a header.
pub fn peek<R: Read>(mut stream: R, n: usize) -> std::io::Result<(Vec<u8>, impl Read)> {
    let mut head = Vec::with_capacity(n);
    (&mut stream).take(n as u64).read_to_end(&mut head)?;
    Ok((head.clone(), std::io::Cursor::new(head).chain(stream)))
}

/// Reads a layer from `blob` (a tar, gzip'd or zstd'd tar).
pub fn read_layer(blob: impl Read) -> Result<Layer, ReadError> {
    let (head, blob) = peek(blob, 512)?;
    let blob = BufReader::with_capacity(1 << 16, blob);
    match sniff(&head) {
        Some(Compression::None) => read_tar(blob),
        Some(Compression::Gzip) => read_tar(flate2::bufread::MultiGzDecoder::new(blob)),
        Some(Compression::Zstd) => read_tar(zstd::stream::read::Decoder::with_buffer(blob)?),
        None => Err(ReadError::Format(
            "a layer is neither a tar nor compressed".into(),
        )),
    }
}

fn read_tar(stream: impl Read) -> Result<Layer, ReadError> {
    let mut counting = Counting {
        inner: stream,
        count: 0,
    };
    let mut layer = Layer::default();
    // Hard links point to an earlier entry of the same layer.
    let mut by_path: HashMap<String, usize> = HashMap::new();
    {
        let mut archive = tar::Archive::new(&mut counting);
        for entry in archive.entries()? {
            let mut entry = entry?;
            let raw = entry.path()?.to_string_lossy().into_owned();
            let path = normalize(&raw);
            if path.is_empty() {
                continue;
            }
            let (parent, name) = split(&path);
            if name == ".wh..wh..opq" {
                layer.opaque.push(parent.to_owned());
                continue;
            }
            if let Some(hidden) = name.strip_prefix(".wh.") {
                layer.whiteouts.push(join(parent, hidden));
                continue;
            }
            let header = entry.header();
            let mode = header.mode().unwrap_or(0) & 0o7777;
            let uid = header.uid().unwrap_or(0);
            let gid = header.gid().unwrap_or(0);
            let node = |kind, size, digest| Node {
                kind,
                mode,
                uid,
                gid,
                size,
                digest,
            };
            let node = match header.entry_type() {
                tar::EntryType::Directory => node(Kind::Dir, 0, None),
                tar::EntryType::Symlink => {
                    let target = entry
                        .link_name()?
                        .map(|t| t.to_string_lossy().into_owned())
                        .unwrap_or_default();
                    node(Kind::Symlink(target), 0, None)
                }
                tar::EntryType::Link => {
                    let target = entry
                        .link_name()?
                        .map(|t| normalize(&t.to_string_lossy()))
                        .unwrap_or_default();
                    // The same content as the file it links to.
                    let linked = by_path.get(&target).map(|&i| &layer.entries[i].1);
                    let (size, digest) = linked.map_or((0, None), |n| (n.size, n.digest));
                    if let Some(content) = layer.captured.get(&target).cloned() {
                        layer.captured.insert(path.clone(), content);
                    }
                    node(Kind::File, size, digest)
                }
                tar::EntryType::Regular | tar::EntryType::Continuous => {
                    let size = entry.size();
                    let keep = size <= CAPTURE_LIMIT && captured(&path);
                    let (digest, content) = hash(&mut entry, keep)?;
                    if let Some(content) = content {
                        layer.captured.insert(path.clone(), Arc::new(content));
                    }
                    node(Kind::File, size, Some(digest))
                }
                tar::EntryType::Char | tar::EntryType::Block | tar::EntryType::Fifo => {
                    node(Kind::Special, 0, None)
                }
                // Extended headers are read by the tar crate itself.
                _ => continue,
            };
            by_path.insert(path.clone(), layer.entries.len());
            layer.entries.push((path, node));
        }
    }
    // Padding after the end-of-archive blocks is still part of the layer.
    std::io::copy(&mut counting, &mut std::io::sink())?;
    layer.size = counting.count;
    Ok(layer)
}

fn hash(entry: &mut impl Read, keep: bool) -> std::io::Result<([u8; 32], Option<Vec<u8>>)> {
    let mut hasher = Sha256::new();
    let mut kept = keep.then(Vec::new);
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = entry.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
        if let Some(kept) = kept.as_mut() {
            kept.extend_from_slice(&buf[..n]);
        }
    }
    Ok((hasher.finalize().into(), kept))
}

/// `./usr/bin/`, `/usr/bin` and `usr/bin` are all `usr/bin`.
pub fn normalize(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                let cut = out.rfind('/').unwrap_or(0);
                out.truncate(cut);
            }
            part => {
                if !out.is_empty() {
                    out.push('/');
                }
                out.push_str(part);
            }
        }
    }
    out
}

/// The folder and the name of a normalized path (`""` for the root).
pub fn split(path: &str) -> (&str, &str) {
    path.rsplit_once('/').unwrap_or(("", path))
}

/// `folder/name` (or `name` at the root).
pub fn join(folder: &str, name: &str) -> String {
    if folder.is_empty() {
        name.to_owned()
    } else {
        format!("{folder}/{name}")
    }
}

#[cfg(test)]
pub mod tests {
    use super::*;

    /// A tar of `(path, content or None for a folder)`.
    pub fn tar_of(entries: &[(&str, Option<&[u8]>)]) -> Vec<u8> {
        let mut builder = tar::Builder::new(Vec::new());
        for (path, content) in entries {
            let mut header = tar::Header::new_gnu();
            match content {
                Some(data) => {
                    header.set_entry_type(tar::EntryType::Regular);
                    header.set_size(data.len() as u64);
                    header.set_mode(0o644);
                    builder.append_data(&mut header, path, *data).unwrap();
                }
                None => {
                    header.set_entry_type(tar::EntryType::Directory);
                    header.set_size(0);
                    header.set_mode(0o755);
                    builder.append_data(&mut header, path, &[][..]).unwrap();
                }
            }
        }
        builder.into_inner().unwrap()
    }

    #[test]
    fn entries_whiteouts_and_captures() {
        let tar = tar_of(&[
            ("etc/", None),
            ("etc/passwd", Some(b"root:x:0:0::/root:/bin/sh\n")),
            ("usr/bin/app", Some(b"binary")),
            ("var/.wh.gone", Some(b"")),
            ("opt/.wh..wh..opq", Some(b"")),
        ]);
        let layer = read_layer(&tar[..]).unwrap();
        let paths: Vec<&str> = layer.entries.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(paths, ["etc", "etc/passwd", "usr/bin/app"]);
        assert_eq!(layer.whiteouts, ["var/gone"]);
        assert_eq!(layer.opaque, ["opt"]);
        assert_eq!(layer.size, tar.len() as u64);
        assert!(layer.captured.contains_key("etc/passwd"));
        assert!(!layer.captured.contains_key("usr/bin/app"));
        let app = &layer.entries[2].1;
        assert_eq!(app.size, 6);
        assert_eq!(app.digest, Some(Sha256::digest(b"binary").into()));
    }

    #[test]
    fn compressed_layers_read_the_same() {
        use std::io::Write;
        let tar = tar_of(&[("a", Some(b"hello"))]);
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(&tar).unwrap();
        let gz = gz.finish().unwrap();
        let zst = zstd::stream::encode_all(&tar[..], 1).unwrap();
        for blob in [&tar, &gz, &zst] {
            let layer = read_layer(&blob[..]).unwrap();
            assert_eq!(layer.entries.len(), 1);
            assert_eq!(layer.size, tar.len() as u64);
        }
        assert!(read_layer(&b"{\"not\": \"a layer\"}"[..]).is_err());
    }

    #[test]
    fn npm_manifests() {
        assert!(is_npm_manifest("app/node_modules/left-pad/package.json"));
        assert!(is_npm_manifest("node_modules/@types/node/package.json"));
        assert!(!is_npm_manifest("app/package.json"));
        assert!(!is_npm_manifest("node_modules/@types/package.json"));
        assert!(!is_npm_manifest("node_modules/x/lib/package.json"));
    }

    #[test]
    fn paths_normalize() {
        assert_eq!(normalize("./usr/bin/"), "usr/bin");
        assert_eq!(normalize("/a/./b/../c"), "a/c");
        assert_eq!(normalize("../../etc"), "etc");
        assert_eq!(split("a/b/c"), ("a/b", "c"));
        assert_eq!(split("c"), ("", "c"));
    }
}
