//! The packages an image has installed, read from the package databases in
//! its file system: dpkg, apk, Python distributions (`*.dist-info`,
//! `*.egg-info`) and npm packages (`node_modules/*/package.json`).

use std::collections::BTreeMap;

use super::filesystem::FileSystem;
use super::layer;

/// One installed package.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct Package {
    /// `deb`, `apk`, `python` or `npm`.
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
