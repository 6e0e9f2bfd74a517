//! The on-disk digest cache: one JSON file of `name → digest, when`, so that
//! repeated runs (a pre-commit hook, say) need no registry, and `--offline`
//! works from what earlier runs resolved.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use super::name::{Digest, ImageName};

const FILE: &str = "digests.json";
const VERSION: u32 = 1;

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Entry {
    digest: String,
    media_type: String,
    /// Seconds since the Unix epoch.
    resolved_at: u64,
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct CacheFile {
    version: u32,
    entries: BTreeMap<String, Entry>,
}

/// A cached digest and its age.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cached {
    pub digest: Digest,
    pub media_type: String,
    pub age: Duration,
}

/// The cache in a folder; a missing or unreadable file is an empty cache.
pub struct Cache {
    dir: PathBuf,
    file: CacheFile,
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

impl Cache {
    pub fn load(dir: &Path) -> Self {
        let file = std::fs::read(dir.join(FILE))
            .ok()
            .and_then(|bytes| serde_json::from_slice::<CacheFile>(&bytes).ok())
            .filter(|f| f.version == VERSION)
            .unwrap_or_default();
        Self {
            dir: dir.to_owned(),
            file,
        }
    }

    /// The entry for `name`, if its digest is well-formed (a damaged cache
    /// never puts a bad digest into a file).
    pub fn get(&self, name: &ImageName) -> Option<Cached> {
        let entry = self.file.entries.get(&name.to_string())?;
        let digest = Digest::parse(&entry.digest).ok()?;
        Some(Cached {
            digest,
            media_type: entry.media_type.clone(),
            age: Duration::from_secs(now().saturating_sub(entry.resolved_at)),
        })
    }

    pub fn put(&mut self, name: &ImageName, digest: &Digest, media_type: &str) {
        self.file.entries.insert(
            name.to_string(),
            Entry {
                digest: digest.to_string(),
                media_type: media_type.to_owned(),
                resolved_at: now(),
            },
        );
    }

    /// Writes the cache atomically, merged with what other runs wrote in
    /// the meantime (this run's entries win).
    pub fn save(&self) -> std::io::Result<()> {
        std::fs::create_dir_all(&self.dir)?;
        let mut merged = Self::load(&self.dir).file;
        merged.version = VERSION;
        merged.entries.extend(
            self.file
                .entries
                .iter()
                .map(|(k, v)| (k.clone(), v.clone())),
        );
        let json = serde_json::to_vec_pretty(&merged).map_err(std::io::Error::other)?;
        let mut temp = tempfile::Builder::new()
            .prefix(".digests-")
            .tempfile_in(&self.dir)?;
        temp.write_all(&json)?;
        temp.persist(self.dir.join(FILE)).map_err(|e| e.error)?;
        Ok(())
    }
}

/// `$DOCKERFIX_CACHE_DIR`, else `$XDG_CACHE_HOME/dockerfix`, else
/// `~/.cache/dockerfix`.
pub fn default_dir() -> Option<PathBuf> {
    let var = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty());
    if let Some(dir) = var("DOCKERFIX_CACHE_DIR") {
        return Some(PathBuf::from(dir));
    }
    if let Some(dir) = var("XDG_CACHE_HOME") {
        return Some(PathBuf::from(dir).join("dockerfix"));
    }
    var("HOME").map(|home| PathBuf::from(home).join(".cache").join("dockerfix"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(tag: &str) -> ImageName {
        ImageName {
            registry: "docker.io".into(),
            repository: "library/python".into(),
            tag: tag.into(),
        }
    }

    #[test]
    fn round_trip_and_merge() {
        let dir = tempfile::tempdir().unwrap();
        let digest = Digest::sha256_of(b"x");
        let mut one = Cache::load(dir.path());
        assert!(one.get(&name("3")).is_none());
        one.put(
            &name("3"),
            &digest,
            "application/vnd.oci.image.index.v1+json",
        );
        one.save().unwrap();
        let mut two = Cache::load(dir.path());
        two.put(&name("4"), &digest, "t");
        two.save().unwrap();
        let three = Cache::load(dir.path());
        assert_eq!(three.get(&name("3")).unwrap().digest, digest);
        assert!(three.get(&name("3")).unwrap().age < Duration::from_secs(60));
        assert_eq!(three.get(&name("4")).unwrap().media_type, "t");
    }

    #[test]
    fn damaged_cache_is_ignored() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(FILE), "{not json").unwrap();
        assert!(Cache::load(dir.path()).get(&name("3")).is_none());
        let bad = r#"{{"version":1,"entries":{{"docker.io/library/python:3":{{"digest":"sha256:zz","media_type":"","resolved_at":0}}}}}}"#;
        std::fs::write(dir.path().join(FILE), bad).unwrap();
        assert!(Cache::load(dir.path()).get(&name("3")).is_none());
    }
}
