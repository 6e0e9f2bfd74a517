//! Two images compared: configuration, packages and files, each change with
//! the applied rules that explain it; caches, logs and files that differ
//! from build to build are counted apart, not listed.

use std::collections::BTreeMap;

use super::archive::Config;
use super::image::Image;
use super::installed::{self, PackageDiff};
use super::layer::{Kind, Node};

/// What a path is, for a reviewer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Category {
    /// Package-manager and language caches, `__pycache__`, temporary files.
    Cache,
    /// `/var/log`.
    Log,
    /// Files that differ between two builds of one Dockerfile (machine ids,
    /// host keys, backups of package databases).
    Volatile,
    /// Everything else.
    File,
}

/// The category of a path (relative to `/`).
pub fn category(path: &str) -> Category {
    let in_home = |rest: &str| {
        rest.strip_prefix("root/")
            .or_else(|| {
                rest.strip_prefix("home/")
                    .and_then(|r| r.split_once('/').map(|(_, r)| r))
            })
            .is_some_and(|r| {
                [
                    ".cache/",
                    ".npm/",
                    ".cargo/registry/",
                    ".m2/repository/",
                    ".gradle/caches/",
                ]
                .iter()
                .any(|c| r.starts_with(c))
                    || [".cache", ".npm", ".wget-hsts"].contains(&r)
            })
    };
    if path.starts_with("var/log/") || path == "var/log" {
        return Category::Log;
    }
    if path.starts_with("var/cache/")
        || path.starts_with("var/lib/apt/lists/")
        || path.starts_with("tmp/")
        || path.starts_with("var/tmp/")
        || path.starts_with("usr/local/share/.cache/")
        || path.contains("/__pycache__/")
        || path.ends_with("/__pycache__")
        || in_home(path)
    {
        return Category::Cache;
    }
    let volatile = matches!(
        path,
        "etc/machine-id"
            | "var/lib/dbus/machine-id"
            | "var/lib/systemd/random-seed"
            | "etc/ld.so.cache"
            | "var/lib/dpkg/status-old"
            | "var/lib/dpkg/available-old"
            | "var/lib/dpkg/diversions-old"
            | "var/lib/dpkg/statoverride-old"
    ) || path.starts_with("etc/ssh/ssh_host_")
        || path.ends_with(".pyc");
    if volatile {
        Category::Volatile
    } else {
        Category::File
    }
}

/// A path, or a folder with everything below it, that one image has and
/// the other does not.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PathChange {
    /// With a trailing `/` for a folder.
    pub path: String,
    /// Files and folders it stands for (1 for a file).
    pub count: u64,
    pub bytes: u64,
}

/// A path both images have, with what differs.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Modified {
    pub path: String,
    /// `content`, `type`, `mode 755 → 775`, `owner 0:0 → 1001:1001`, …
    pub what: Vec<String>,
}

/// Files that differ, in one category.
#[derive(Debug, Default, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FileChanges {
    pub added: Vec<PathChange>,
    pub removed: Vec<PathChange>,
    pub changed: Vec<Modified>,
}

impl FileChanges {
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty() && self.changed.is_empty()
    }
    /// Paths added (every file and folder, not the collapsed entries).
    pub fn added_count(&self) -> u64 {
        self.added.iter().map(|c| c.count).sum()
    }
    pub fn removed_count(&self) -> u64 {
        self.removed.iter().map(|c| c.count).sum()
    }
    pub fn added_bytes(&self) -> u64 {
        self.added.iter().map(|c| c.bytes).sum()
    }
    pub fn removed_bytes(&self) -> u64 {
        self.removed.iter().map(|c| c.bytes).sum()
    }
}

/// A configuration field that differs (`Env PATH`, `Labels KEY` per key).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ConfigChange {
    pub field: String,
    pub before: Option<String>,
    pub after: Option<String>,
    /// Applied rules that change this field.
    pub rules: Vec<&'static str>,
}

/// Everything that differs between two images.
#[derive(Debug, Default, Clone, serde::Serialize)]
pub struct Comparison {
    pub config: Vec<ConfigChange>,
    pub packages: PackageDiff,
    /// Applied rules that remove or add packages.
    pub package_rules: Vec<&'static str>,
    /// Files outside caches, logs and volatile files.
    pub files: FileChanges,
    /// Caches, logs and volatile files, by category.
    pub other: BTreeMap<String, FileChanges>,
    /// Applied rules that explain the file changes, where one does.
    pub file_rules: Vec<&'static str>,
}

impl Comparison {
    /// Only expected deltas: no package or file change, and every
    /// configuration change made by an applied rule.
    pub fn equivalent(&self) -> bool {
        self.packages.is_empty()
            && self.files.is_empty()
            && self.config.iter().all(|c| !c.rules.is_empty())
    }
}

/// Which of `applied` may cause a change of this kind.
fn explaining(applied: &[&'static str], candidates: &[&str]) -> Vec<&'static str> {
    applied
        .iter()
        .copied()
        .filter(|r| candidates.contains(r))
        .collect()
}

/// Rules that set a configuration field.
fn config_rules(field: &str) -> &'static [&'static str] {
    match field.split(' ').next().unwrap_or("") {
        "Cmd" | "Entrypoint" | "Healthcheck" => &["exec-form", "multiple-instructions-disallowed"],
        "User" => &["non-root-user"],
        "Labels" | "Author" => &["maintainer-label", "legacy-key-value-format"],
        "Env" => &["legacy-key-value-format"],
        "ExposedPorts" => &["expose-proto-casing"],
        "Shell" => &["pipefail", "shell-symlink"],
        "WorkingDir" => &["cd-to-workdir", "workdir-relative-path"],
        _ => &[],
    }
}

/// Rules whose fixes remove (or add) installed packages.
const PACKAGE_RULES: &[&str] = &["apt-no-recommends", "non-root-user", "no-sudo"];

/// Rules whose fixes add, remove or re-own files outside caches.
const FILE_RULES: &[&str] = &[
    "non-root-user",
    "copy-chown",
    "apt-no-recommends",
    "shell-symlink",
    "cd-to-workdir",
];

/// Compares `before` with `after`; `applied` are the rules whose fixes
/// made the difference.
pub fn compare(before: &Image, after: &Image, applied: &[&'static str]) -> Comparison {
    let mut config = config_changes(&before.config, &after.config);
    for change in &mut config {
        change.rules = explaining(applied, config_rules(&change.field));
    }
    let packages = installed::diff(&before.packages, &after.packages);
    let mut by_category: BTreeMap<Category, FileChanges> = BTreeMap::new();
    collect_paths(&before.fs.nodes, &after.fs.nodes, |category, change| {
        by_category
            .entry(category)
            .or_default()
            .removed
            .push(change);
    });
    collect_paths(&after.fs.nodes, &before.fs.nodes, |category, change| {
        by_category.entry(category).or_default().added.push(change);
    });
    for (path, old) in &before.fs.nodes {
        let Some(new) = after.fs.nodes.get(path) else {
            continue;
        };
        let what = node_changes(old, new);
        if !what.is_empty() {
            by_category
                .entry(category_of(path, new))
                .or_default()
                .changed
                .push(Modified {
                    path: display(path, new),
                    what,
                });
        }
    }
    let files = by_category.remove(&Category::File).unwrap_or_default();
    let other = by_category
        .into_iter()
        .map(|(c, changes)| {
            let name = serde_json::to_value(c)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default();
            (name, changes)
        })
        .collect();
    Comparison {
        config,
        package_rules: if packages.is_empty() {
            Vec::new()
        } else {
            explaining(applied, PACKAGE_RULES)
        },
        packages,
        file_rules: if files.is_empty() {
            Vec::new()
        } else {
            explaining(applied, FILE_RULES)
        },
        files,
        other,
    }
}

/// The category of a node: a folder is seen with its trailing slash, so
/// that `var/lib/apt/lists/` is a cache as what is in it.
fn category_of(path: &str, node: &Node) -> Category {
    if node.kind == Kind::Dir {
        category(&format!("{path}/"))
    } else {
        category(path)
    }
}

fn display(path: &str, node: &Node) -> String {
    if node.kind == Kind::Dir {
        format!("/{path}/")
    } else {
        format!("/{path}")
    }
}

/// The paths of `from` missing in `other`, a folder standing for what is
/// below it when all of that is missing too.
fn collect_paths(
    from: &BTreeMap<String, Node>,
    other: &BTreeMap<String, Node>,
    mut push: impl FnMut(Category, PathChange),
) {
    let mut open: Option<(String, Category, PathChange)> = None;
    for (path, node) in from {
        if other.contains_key(path) {
            continue;
        }
        if let Some((folder, _, change)) = open.as_mut()
            && path.starts_with(folder.as_str())
        {
            change.count += 1;
            change.bytes += node.size;
            continue;
        }
        if let Some((_, category, change)) = open.take() {
            push(category, change);
        }
        let change = PathChange {
            path: display(path, node),
            count: 1,
            bytes: node.size,
        };
        let prefix = if node.kind == Kind::Dir {
            format!("{path}/")
        } else {
            // Nothing is below a file: a prefix no other path has.
            format!("{path}\0")
        };
        open = Some((prefix, category_of(path, node), change));
    }
    if let Some((_, category, change)) = open {
        push(category, change);
    }
}

fn node_changes(old: &Node, new: &Node) -> Vec<String> {
    let mut what = Vec::new();
    if std::mem::discriminant(&old.kind) != std::mem::discriminant(&new.kind) {
        what.push("type".to_owned());
        return what;
    }
    if let (Kind::Symlink(a), Kind::Symlink(b)) = (&old.kind, &new.kind)
        && a != b
    {
        what.push(format!("target {a} → {b}"));
    }
    if old.digest != new.digest || old.size != new.size {
        what.push("content".to_owned());
    }
    if old.mode != new.mode {
        what.push(format!("mode {:o} → {:o}", old.mode, new.mode));
    }
    if (old.uid, old.gid) != (new.uid, new.gid) {
        what.push(format!(
            "owner {}:{} → {}:{}",
            old.uid, old.gid, new.uid, new.gid
        ));
    }
    what
}

/// The configuration fields that differ; `Env` and `Labels` per key.
pub fn config_changes(before: &Config, after: &Config) -> Vec<ConfigChange> {
    let mut out = Vec::new();
    let mut field = |name: String, a: Option<String>, b: Option<String>| {
        if a != b {
            out.push(ConfigChange {
                field: name,
                before: a,
                after: b,
                rules: Vec::new(),
            });
        }
    };
    let text = |s: &str| (!s.is_empty()).then(|| s.to_owned());
    let json = |v: &Option<Vec<String>>| v.as_ref().and_then(|v| serde_json::to_string(v).ok());
    let list = |v: &[String]| (!v.is_empty()).then(|| v.join(" "));
    field("User".into(), text(&before.user), text(&after.user));
    field("Cmd".into(), json(&before.cmd), json(&after.cmd));
    field(
        "Entrypoint".into(),
        json(&before.entrypoint),
        json(&after.entrypoint),
    );
    field(
        "WorkingDir".into(),
        text(&before.working_dir),
        text(&after.working_dir),
    );
    field(
        "ExposedPorts".into(),
        list(&before.exposed_ports),
        list(&after.exposed_ports),
    );
    field(
        "Healthcheck".into(),
        before.healthcheck.clone(),
        after.healthcheck.clone(),
    );
    field("Shell".into(), json(&before.shell), json(&after.shell));
    field(
        "Volumes".into(),
        list(&before.volumes),
        list(&after.volumes),
    );
    field(
        "StopSignal".into(),
        text(&before.stop_signal),
        text(&after.stop_signal),
    );
    field("Author".into(), text(&before.author), text(&after.author));
    let env = |c: &Config| -> BTreeMap<String, String> {
        c.env
            .iter()
            .map(|e| match e.split_once('=') {
                Some((k, v)) => (k.to_owned(), v.to_owned()),
                None => (e.clone(), String::new()),
            })
            .collect()
    };
    for (key, a, b) in keyed(&env(before), &env(after)) {
        field(format!("Env {key}"), a, b);
    }
    let labels = |c: &Config| -> BTreeMap<String, String> { c.labels.iter().cloned().collect() };
    for (key, a, b) in keyed(&labels(before), &labels(after)) {
        field(format!("Labels {key}"), a, b);
    }
    out
}

/// Keys of either map with both values.
fn keyed(
    a: &BTreeMap<String, String>,
    b: &BTreeMap<String, String>,
) -> Vec<(String, Option<String>, Option<String>)> {
    let mut keys: Vec<&String> = a.keys().chain(b.keys()).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .map(|k| (k.clone(), a.get(k).cloned(), b.get(k).cloned()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn categories() {
        assert_eq!(
            category("var/lib/apt/lists/deb.debian.org_Release"),
            Category::Cache
        );
        assert_eq!(category("root/.cache/pip/http/x"), Category::Cache);
        assert_eq!(category("home/app/.npm/_cacache/x"), Category::Cache);
        assert_eq!(
            category("usr/lib/python3/x/__pycache__/a.pyc"),
            Category::Cache
        );
        assert_eq!(category("var/log/dpkg.log"), Category::Log);
        assert_eq!(category("etc/machine-id"), Category::Volatile);
        assert_eq!(
            category("etc/ssl/certs/ca-certificates.crt"),
            Category::File
        );
        assert_eq!(category("home/app/app.py"), Category::File);
    }

    fn node(kind: Kind, size: u64) -> Node {
        Node {
            kind,
            mode: 0o644,
            uid: 0,
            gid: 0,
            size,
            digest: None,
        }
    }

    #[test]
    fn missing_folders_collapse() {
        let mut before = BTreeMap::new();
        for (p, k, s) in [
            ("usr", Kind::Dir, 0),
            ("usr/share", Kind::Dir, 0),
            ("usr/share/doc", Kind::Dir, 0),
            ("usr/share/doc/curl", Kind::Dir, 0),
            ("usr/share/doc/curl/copyright", Kind::File, 10),
            ("usr/share/doc/curl/changelog.gz", Kind::File, 20),
            ("usr/share/doc/curlx", Kind::File, 5),
            ("var/cache/apt/pkgcache.bin", Kind::File, 7),
        ] {
            before.insert(p.to_owned(), node(k, s));
        }
        let mut after = before.clone();
        after.retain(|p, _| !p.starts_with("usr/share/doc/curl") && !p.starts_with("var/"));
        let mut seen = Vec::new();
        collect_paths(&before, &after, |c, change| seen.push((c, change)));
        assert_eq!(seen.len(), 3, "{seen:?}");
        assert_eq!(seen[0].1.path, "/usr/share/doc/curl/");
        assert_eq!((seen[0].1.count, seen[0].1.bytes), (3, 30));
        assert_eq!(seen[1].1.path, "/usr/share/doc/curlx");
        assert_eq!(seen[2].0, Category::Cache);
    }

    #[test]
    fn config_per_key() {
        let a = Config {
            env: vec!["PATH=/bin".into(), "A=1".into()],
            labels: vec![("x".into(), "1".into())],
            ..Config::default()
        };
        let b = Config {
            user: "1001".into(),
            env: vec!["PATH=/bin".into(), "A=2".into()],
            ..Config::default()
        };
        let fields: Vec<String> = config_changes(&a, &b)
            .into_iter()
            .map(|c| c.field)
            .collect();
        assert_eq!(fields, ["User", "Env A", "Labels x"]);
    }
}
