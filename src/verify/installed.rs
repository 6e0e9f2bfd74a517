//! The packages an image has installed, read from the package databases in
//! its file system: dpkg, apk, rpm (the SQLite database of rpm 4.16 and
//! later: Fedora, RHEL/UBI 9, openSUSE), Python distributions
//! (`*.dist-info`, `*.egg-info`) and npm packages
//! (`node_modules/*/package.json`).

use std::collections::BTreeMap;

use super::filesystem::FileSystem;
use super::layer;

/// One installed package.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct Package {
    /// `deb`, `apk`, `rpm`, `python` or `npm`.
    pub ecosystem: &'static str,
    pub name: String,
    pub version: String,
}

/// Every package of the image, sorted by ecosystem and name (one entry per
/// name: several copies of an npm package count once, at their first
/// version in path order).
pub fn packages(fs: &FileSystem) -> Vec<Package> {
    let mut found: BTreeMap<(&'static str, String), String> = BTreeMap::new();
    if let Some(status) = fs.contents.get("var/lib/dpkg/status") {
        for (name, version) in dpkg(&String::from_utf8_lossy(status)) {
            found.insert(("deb", name), version);
        }
    }
    if let Some(db) = fs.contents.get("lib/apk/db/installed") {
        for (name, version) in apk(&String::from_utf8_lossy(db)) {
            found.insert(("apk", name), version);
        }
    }
    for path in RPM_DATABASES {
        if let Some(db) = fs.contents.get(*path) {
            let wal = fs.contents.get(&format!("{path}-wal"));
            for (name, version) in rpm(db, wal.map(|w| w.as_slice())) {
                found.insert(("rpm", name), version);
            }
            break;
        }
    }
    for path in fs.nodes.keys() {
        if let Some((name, version)) = python(path) {
            found.entry(("python", name)).or_insert(version);
        }
    }
    for (path, content) in &fs.contents {
        if layer::is_npm_manifest(path)
            && let Some((name, version)) = npm(content)
        {
            found.entry(("npm", name)).or_insert(version);
        }
    }
    found
        .into_iter()
        .map(|((ecosystem, name), version)| Package {
            ecosystem,
            name,
            version,
        })
        .collect()
}

/// Installed packages of a dpkg status file: stanzas whose `Status` ends in
/// `installed`; `name:arch` for packages of a foreign architecture.
pub fn dpkg(status: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for stanza in status.split("\n\n") {
        let (mut name, mut version, mut arch, mut installed) = (None, None, None, false);
        for line in stanza.lines() {
            if let Some(v) = line.strip_prefix("Package: ") {
                name = Some(v.trim());
            } else if let Some(v) = line.strip_prefix("Version: ") {
                version = Some(v.trim());
            } else if let Some(v) = line.strip_prefix("Architecture: ") {
                arch = Some(v.trim());
            } else if let Some(v) = line.strip_prefix("Status: ") {
                installed = v.trim().ends_with(" installed");
            }
        }
        if let (Some(name), true) = (name, installed) {
            let name = match arch {
                // The native architecture is not named; "all" is everyone's.
                Some(a) if a != "all" && out.iter().any(|(n, _): &(String, _)| n == name) => {
                    format!("{name}:{a}")
                }
                _ => name.to_owned(),
            };
            out.push((name, version.unwrap_or("").to_owned()));
        }
    }
    out
}

/// Packages of an apk database (`P:` name, `V:` version stanzas).
pub fn apk(db: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for stanza in db.split("\n\n") {
        let mut name = None;
        let mut version = "";
        for line in stanza.lines() {
            if let Some(v) = line.strip_prefix("P:") {
                name = Some(v.trim());
            } else if let Some(v) = line.strip_prefix("V:") {
                version = v.trim();
            }
        }
        if let Some(name) = name {
            out.push((name.to_owned(), version.to_owned()));
        }
    }
    out
}

/// Where rpm keeps its SQLite database: Fedora 36+ and RHEL 9 under
/// `/usr/lib/sysimage` (with `/var/lib/rpm` a link to it), older ones and
/// openSUSE in `/var/lib/rpm`.
pub const RPM_DATABASES: &[&str] = &[
    "usr/lib/sysimage/rpm/rpmdb.sqlite",
    "var/lib/rpm/rpmdb.sqlite",
];

/// Installed packages of an rpm SQLite database (and its write-ahead log,
/// when the image has one): each row of its `Packages` table is an rpm
/// header, from which name, `[epoch:]version-release` and architecture are
/// read. Packages installed for several architectures are named
/// `name.arch`. A database that cannot be read gives none.
pub fn rpm(db: &[u8], wal: Option<&[u8]>) -> Vec<(String, String)> {
    let Ok(headers) = rpm_headers(db, wal) else {
        return Vec::new();
    };
    let packages: Vec<RpmPackage> = headers.iter().filter_map(|h| RpmPackage::read(h)).collect();
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    for p in &packages {
        *seen.entry(&p.name).or_default() += 1;
    }
    packages
        .iter()
        .map(|p| {
            let name = if seen[p.name.as_str()] > 1 && !p.arch.is_empty() {
                format!("{}.{}", p.name, p.arch)
            } else {
                p.name.clone()
            };
            (name, p.version.clone())
        })
        .collect()
}

/// The header blobs of the database's `Packages` table. SQLite reads a
/// file, so the database goes to a temporary folder first (with its
/// write-ahead log, which holds what rpm has not yet checkpointed).
fn rpm_headers(db: &[u8], wal: Option<&[u8]>) -> Result<Vec<Vec<u8>>, Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("rpmdb.sqlite");
    std::fs::write(&path, db)?;
    if let Some(wal) = wal {
        std::fs::write(dir.path().join("rpmdb.sqlite-wal"), wal)?;
    }
    let connection = rusqlite::Connection::open(&path)?;
    let mut statement = connection.prepare("SELECT blob FROM Packages")?;
    let rows = statement.query_map([], |row| row.get::<_, Vec<u8>>(0))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

struct RpmPackage {
    name: String,
    version: String,
    arch: String,
}

impl RpmPackage {
    const NAME: u32 = 1000;
    const VERSION: u32 = 1001;
    const RELEASE: u32 = 1002;
    const EPOCH: u32 = 1003;
    const ARCH: u32 = 1022;

    /// Reads an rpm header as rpm stores it in its database: the number
    /// of index entries and the data size (big-endian 32-bit), the entries
    /// (tag, type, offset, count), then the data.
    fn read(blob: &[u8]) -> Option<Self> {
        let be = |at: usize| -> Option<u32> {
            Some(u32::from_be_bytes(blob.get(at..at + 4)?.try_into().ok()?))
        };
        let entries = be(0)? as usize;
        let data_len = be(4)? as usize;
        let data_start = 8usize.checked_add(entries.checked_mul(16)?)?;
        let data = blob.get(data_start..data_start.checked_add(data_len)?)?;
        let mut string = BTreeMap::new();
        let mut epoch = None;
        for i in 0..entries {
            let at = 8 + i * 16;
            let (tag, kind, offset) = (be(at)?, be(at + 4)?, be(at + 8)? as usize);
            match (tag, kind) {
                // STRING (6) or I18NSTRING (9): NUL-terminated, the first one.
                (Self::NAME | Self::VERSION | Self::RELEASE | Self::ARCH, 6 | 9) => {
                    let rest = data.get(offset..)?;
                    let end = rest.iter().position(|&b| b == 0)?;
                    string.insert(tag, String::from_utf8_lossy(&rest[..end]).into_owned());
                }
                // INT32 (4).
                (Self::EPOCH, 4) => {
                    let bytes = data.get(offset..offset + 4)?;
                    epoch = Some(u32::from_be_bytes(bytes.try_into().ok()?));
                }
                _ => {}
            }
        }
        let name = string.remove(&Self::NAME)?;
        let mut version = string.remove(&Self::VERSION).unwrap_or_default();
        if let Some(release) = string.remove(&Self::RELEASE) {
            version = format!("{version}-{release}");
        }
        if let Some(epoch) = epoch {
            version = format!("{epoch}:{version}");
        }
        let arch = string.remove(&Self::ARCH).unwrap_or_default();
        Some(Self {
            name,
            version,
            arch,
        })
    }
}

/// A Python distribution from its metadata folder's name:
/// `…/requests-2.31.0.dist-info` or `…/requests-2.31.0.egg-info` (Debian
/// adds `-py3.11` after the version).
pub fn python(path: &str) -> Option<(String, String)> {
    let (_, name) = layer::split(path);
    let stem = name
        .strip_suffix(".dist-info")
        .or_else(|| name.strip_suffix(".egg-info"))?;
    let (package, version) = stem.split_once('-')?;
    let version = version.split("-py").next().unwrap_or(version);
    if package.is_empty() || version.is_empty() {
        return None;
    }
    // PEP 503 normalisation: `Foo_Bar` and `foo-bar` are one package.
    let normalized = package.to_ascii_lowercase().replace(['_', '.'], "-");
    Some((normalized, version.to_owned()))
}

/// Name and version of an npm package.json.
pub fn npm(content: &[u8]) -> Option<(String, String)> {
    #[derive(serde::Deserialize)]
    struct Manifest {
        name: Option<String>,
        version: Option<String>,
    }
    let manifest: Manifest = serde_json::from_slice(content).ok()?;
    Some((manifest.name?, manifest.version.unwrap_or_default()))
}

/// How two package lists differ.
#[derive(Debug, Default, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PackageDiff {
    pub removed: Vec<Package>,
    pub added: Vec<Package>,
    /// Same name, other version: (before, after).
    pub changed: Vec<(Package, Package)>,
}

impl PackageDiff {
    pub fn is_empty(&self) -> bool {
        self.removed.is_empty() && self.added.is_empty() && self.changed.is_empty()
    }
}

/// `before` → `after`, both sorted as [`packages`] returns them.
pub fn diff(before: &[Package], after: &[Package]) -> PackageDiff {
    let key = |p: &Package| (p.ecosystem, p.name.clone());
    let old: BTreeMap<_, &Package> = before.iter().map(|p| (key(p), p)).collect();
    let new: BTreeMap<_, &Package> = after.iter().map(|p| (key(p), p)).collect();
    let mut out = PackageDiff::default();
    for (k, p) in &old {
        match new.get(k) {
            None => out.removed.push((*p).clone()),
            Some(q) if q.version != p.version => out.changed.push(((*p).clone(), (*q).clone())),
            Some(_) => {}
        }
    }
    for (k, q) in &new {
        if !old.contains_key(k) {
            out.added.push((*q).clone());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dpkg_status() {
        let status = "Package: curl\nStatus: install ok installed\nVersion: 7.88.1-10\nArchitecture: amd64\n\n\
                      Package: gone\nStatus: deinstall ok config-files\nVersion: 1\n\n\
                      Package: libc6\nStatus: install ok installed\nVersion: 2.36\nArchitecture: amd64\n\n\
                      Package: libc6\nStatus: install ok installed\nVersion: 2.36\nArchitecture: i386\n";
        assert_eq!(
            dpkg(status),
            [
                ("curl".to_owned(), "7.88.1-10".to_owned()),
                ("libc6".into(), "2.36".into()),
                ("libc6:i386".into(), "2.36".into()),
            ]
        );
    }

    #[test]
    fn rpm_headers_read_and_reject() {
        // One entry: NAME (1000), STRING (6), offset 0, count 1; data "bash\0".
        let mut blob = vec![0, 0, 0, 1, 0, 0, 0, 5];
        blob.extend([0, 0, 0x03, 0xe8, 0, 0, 0, 6, 0, 0, 0, 0, 0, 0, 0, 1]);
        blob.extend(b"bash\0");
        let package = RpmPackage::read(&blob).unwrap();
        assert_eq!(
            (package.name.as_str(), package.version.as_str()),
            ("bash", "")
        );
        // Truncated, an offset past the data, absurd counts: none, no panic.
        for cut in 0..blob.len() {
            assert!(RpmPackage::read(&blob[..cut]).is_none(), "{cut}");
        }
        let mut far = blob.clone();
        far[16..20].copy_from_slice(&[0xff, 0xff, 0xff, 0xf0]);
        assert!(RpmPackage::read(&far).is_none());
        assert!(RpmPackage::read(&[0xff; 8]).is_none());
    }

    #[test]
    fn apk_db() {
        let db = "C:Q1x\nP:musl\nV:1.2.4-r2\nA:x86_64\n\nP:busybox\nV:1.36.1-r5\n";
        assert_eq!(
            apk(db),
            [
                ("musl".to_owned(), "1.2.4-r2".to_owned()),
                ("busybox".into(), "1.36.1-r5".into())
            ]
        );
    }

    #[test]
    fn python_distributions() {
        assert_eq!(
            python("usr/lib/python3/dist-packages/Flask_Cors-4.0.0.dist-info"),
            Some(("flask-cors".into(), "4.0.0".into()))
        );
        assert_eq!(
            python("usr/lib/python3/dist-packages/requests-2.28.1.egg-info"),
            Some(("requests".into(), "2.28.1".into()))
        );
        assert_eq!(
            python("x/six-1.16.0-py3.11.egg-info"),
            Some(("six".into(), "1.16.0".into()))
        );
        assert_eq!(python("x/METADATA"), None);
    }

    #[test]
    fn package_diffs() {
        let p = |n: &str, v: &str| Package {
            ecosystem: "deb",
            name: n.into(),
            version: v.into(),
        };
        let d = diff(&[p("a", "1"), p("b", "1")], &[p("b", "2"), p("c", "1")]);
        assert_eq!(d.removed, [p("a", "1")]);
        assert_eq!(d.added, [p("c", "1")]);
        assert_eq!(d.changed, [(p("b", "1"), p("b", "2"))]);
        assert!(diff(&[p("a", "1")], &[p("a", "1")]).is_empty());
    }
}
