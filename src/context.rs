//! The build context of a Dockerfile: the folder its `COPY` and `ADD`
//! sources are read from. Rules that need it (`layer-order`,
//! `dockerignore`, `add-to-copy`) ask which files exist and read small ones
//! through a [`BuildContext`], the one input a check may read. Reads are
//! bounded (a file's first [`MAX_READ`] bytes), cached for the file's run,
//! and never leave the context's folder. Writes that fixes made in earlier
//! passes (a `.dockerignore` created, say) are seen by later passes.

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex};

/// Files larger than this are read only this far.
pub const MAX_READ: u64 = 1 << 20;

/// A folder's entries: name and kind, sorted by name.
pub type Listing = Arc<[(String, Kind)]>;

/// What a path of the context is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    File,
    Dir,
}

/// A build context folder and what has been read from it.
#[derive(Debug)]
pub struct BuildContext {
    root: PathBuf,
    /// What was read, shared by the Dockerfiles of a run with this context.
    cache: Arc<Mutex<Cache>>,
    /// Contents written by this Dockerfile's fixes (not on disk yet, or
    /// never in a dry run).
    written: Mutex<HashMap<String, Arc<str>>>,
}

#[derive(Debug, Default)]
struct Cache {
    kinds: HashMap<String, Option<Kind>>,
    texts: HashMap<String, Option<Arc<str>>>,
    listings: HashMap<String, Arc<[(String, Kind)]>>,
    /// Entries of a folder a caller filters, by (folder, caller's key).
    filtered: HashMap<(String, &'static str), Listing>,
}

/// The reads of a run's build contexts, by folder: Dockerfiles that share
/// a context (a corpus, a monorepo's root) read it once.
#[derive(Debug, Default)]
pub struct Contexts(Mutex<HashMap<PathBuf, Arc<Mutex<Cache>>>>);

impl Contexts {
    /// A view of the context at `root` for one Dockerfile.
    pub fn get(&self, root: PathBuf) -> BuildContext {
        let mut map = self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let cache = Arc::clone(map.entry(root.clone()).or_default());
        BuildContext {
            root,
            cache,
            written: Mutex::default(),
        }
    }
}

impl BuildContext {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self {
            root: root.into(),
            cache: Arc::default(),
            written: Mutex::default(),
        }
    }

    fn written(&self) -> std::sync::MutexGuard<'_, HashMap<String, Arc<str>>> {
        self.written
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The context's folder.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The absolute (or root-relative) path of `relative`, when it stays
    /// inside the context: `None` for `..` that leaves it.
    pub fn path(&self, relative: &str) -> Option<PathBuf> {
        normalize(relative).map(|r| self.root.join(r))
    }

    fn cache(&self) -> std::sync::MutexGuard<'_, Cache> {
        self.cache
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// What `relative` is (following symbolic links), or `None` when it
    /// does not exist.
    pub fn kind(&self, relative: &str) -> Option<Kind> {
        let key = normalize(relative)?;
        if self.written().contains_key(&key) {
            return Some(Kind::File);
        }
        if let Some(kind) = self.cache().kinds.get(&key) {
            return *kind;
        }
        let kind = std::fs::metadata(self.root.join(&key))
            .ok()
            .map(|m| if m.is_dir() { Kind::Dir } else { Kind::File });
        self.cache().kinds.insert(key, kind);
        kind
    }

    pub fn is_file(&self, relative: &str) -> bool {
        self.kind(relative) == Some(Kind::File)
    }

    /// The text of a file (its first [`MAX_READ`] bytes, invalid UTF-8
    /// replaced), or `None` when it is not a readable file.
    pub fn read(&self, relative: &str) -> Option<Arc<str>> {
        let key = normalize(relative)?;
        if let Some(text) = self.written().get(&key) {
            return Some(Arc::clone(text));
        }
        if let Some(text) = self.cache().texts.get(&key) {
            return text.clone();
        }
        let text = self
            .head(&key, MAX_READ as usize)
            .map(|bytes| Arc::from(String::from_utf8_lossy(&bytes).as_ref()));
        self.cache().texts.insert(key, text.clone());
        text
    }

    /// The first `len` bytes of a file (not cached: callers ask once).
    pub fn head(&self, relative: &str, len: usize) -> Option<Vec<u8>> {
        use std::io::Read;
        let key = normalize(relative)?;
        let file = std::fs::File::open(self.root.join(key)).ok()?;
        if !file.metadata().ok()?.is_file() {
            return None;
        }
        let mut bytes = Vec::new();
        file.take(len as u64).read_to_end(&mut bytes).ok()?;
        Some(bytes)
    }

    /// The entries of a folder, sorted by name; empty when it is not one.
    pub fn list(&self, relative: &str) -> Arc<[(String, Kind)]> {
        let Some(key) = normalize(relative) else {
            return Arc::from(Vec::new());
        };
        if let Some(listing) = self.cache().listings.get(&key) {
            return Arc::clone(listing);
        }
        let mut entries: Vec<(String, Kind)> = std::fs::read_dir(self.root.join(&key))
            .into_iter()
            .flatten()
            .filter_map(Result::ok)
            .filter_map(|entry| {
                let name = entry.file_name().into_string().ok()?;
                let kind = entry.file_type().ok()?;
                // A link is what it points to (one more look-up).
                let dir = if kind.is_symlink() {
                    std::fs::metadata(entry.path()).ok()?.is_dir()
                } else {
                    kind.is_dir()
                };
                Some((name, if dir { Kind::Dir } else { Kind::File }))
            })
            .collect();
        entries.sort();
        let listing: Arc<[(String, Kind)]> = Arc::from(entries);
        self.cache().listings.insert(key, Arc::clone(&listing));
        listing
    }

    /// The entries of folder `relative` that `keep`, filtered once per
    /// run and context for each `key` (Dockerfiles sharing a context ask
    /// the same question).
    pub fn list_filtered(
        &self,
        relative: &str,
        key: &'static str,
        keep: fn(&str, Kind) -> bool,
    ) -> Arc<[(String, Kind)]> {
        let Some(folder) = normalize(relative) else {
            return Arc::from(Vec::new());
        };
        let cache_key = (folder, key);
        if let Some(found) = self.cache().filtered.get(&cache_key) {
            return Arc::clone(found);
        }
        let kept: Arc<[(String, Kind)]> = self
            .list(&cache_key.0)
            .iter()
            .filter(|(name, kind)| keep(name, *kind))
            .cloned()
            .collect();
        self.cache().filtered.insert(cache_key, Arc::clone(&kept));
        kept
    }

    /// Files of folder `relative` whose name `matches`, sorted.
    pub fn files_matching(&self, relative: &str, matches: impl Fn(&str) -> bool) -> Vec<String> {
        self.list(relative)
            .iter()
            .filter(|(name, kind)| *kind == Kind::File && matches(name))
            .map(|(name, _)| name.clone())
            .collect()
    }

    /// Records that a fix wrote `content` to the file at `path` (inside the
    /// context): later reads see it.
    pub fn record_written(&self, path: &Path, content: &str) {
        if let Some(relative) = path.strip_prefix(&self.root).ok().and_then(Path::to_str) {
            self.record_write(relative, content);
        }
    }

    /// Records that a fix wrote `content` to `relative`: later reads see it.
    pub fn record_write(&self, relative: &str, content: &str) {
        if let Some(key) = normalize(relative) {
            self.written().insert(key, Arc::from(content));
        }
    }
}

/// A context path without `.` components, repeated or trailing slashes;
/// `""` for the root. `None` when `..` leaves the context or the path is
/// absolute on the host (a context path's leading `/` is its root).
pub fn normalize(relative: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    for component in Path::new(relative.trim_start_matches('/')).components() {
        match component {
            Component::Normal(part) => parts.push(part.to_str()?),
            Component::CurDir => {}
            Component::ParentDir => {
                parts.pop()?;
            }
            Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    Some(parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_stay_inside() {
        assert_eq!(normalize("./a//b/").as_deref(), Some("a/b"));
        assert_eq!(normalize("/a/./b").as_deref(), Some("a/b"));
        assert_eq!(normalize(".").as_deref(), Some(""));
        assert_eq!(normalize("a/../b").as_deref(), Some("b"));
        assert_eq!(normalize("../etc/passwd"), None);
    }

    #[test]
    fn reads_lists_and_sees_writes() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("package.json"), "{}").unwrap();
        std::fs::create_dir(dir.path().join("src")).unwrap();
        let context = BuildContext::new(dir.path());
        assert_eq!(context.kind("package.json"), Some(Kind::File));
        assert_eq!(context.kind("./src/"), Some(Kind::Dir));
        assert_eq!(context.kind("nope"), None);
        assert_eq!(context.read("package.json").as_deref(), Some("{}"));
        assert_eq!(
            context.files_matching("", |n| n.ends_with(".json")),
            ["package.json"]
        );
        assert_eq!(context.read(".dockerignore"), None);
        context.record_write(".dockerignore", ".git\n");
        assert_eq!(context.read(".dockerignore").as_deref(), Some(".git\n"));
        assert!(context.is_file(".dockerignore"));
    }
}
