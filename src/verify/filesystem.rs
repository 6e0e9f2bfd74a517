//! The image's file system: its layers stacked with their whiteouts, the
//! bytes later layers hide (wasted), and paths resolved through symbolic
//! links as the kernel would inside the container.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::layer::{self, Kind, Layer, Node};

/// The file system of an image after all its layers.
#[derive(Debug, Default)]
pub struct FileSystem {
    /// Every path (relative to `/`), sorted.
    pub nodes: BTreeMap<String, Node>,
    /// Contents of the captured files that survive, by path.
    pub contents: BTreeMap<String, Arc<Vec<u8>>>,
    /// Bytes of files that a later layer removed or replaced.
    pub wasted_bytes: u64,
}

impl FileSystem {
    /// Stacks `layers`, bottom first.
    pub fn stack(layers: &[Arc<Layer>]) -> Self {
        let mut fs = FileSystem::default();
        for layer in layers {
            // Whiteouts hide what the layers below have; this layer's own
            // entries come after them.
            for path in &layer.opaque {
                let children: Vec<String> = fs.below(path).map(|(p, _)| p.clone()).collect();
                for child in children {
                    fs.remove(&child);
                }
            }
            for path in &layer.whiteouts {
                fs.remove_tree(path);
            }
            for (path, node) in &layer.entries {
                fs.put(path, node.clone());
            }
            for (path, content) in &layer.captured {
                fs.contents.insert(path.clone(), Arc::clone(content));
            }
        }
        let nodes = &fs.nodes;
        fs.contents.retain(|path, _| nodes.contains_key(path));
        fs
    }

    /// Everything strictly below folder `path`.
    pub fn below<'a>(&'a self, path: &str) -> impl Iterator<Item = (&'a String, &'a Node)> + 'a {
        let prefix = if path.is_empty() {
            String::new()
        } else {
            format!("{path}/")
        };
        self.nodes
            .range(prefix.clone()..)
            .take_while(move |(p, _)| p.starts_with(&prefix))
    }

    fn put(&mut self, path: &str, node: Node) {
        // A file replacing a folder hides the folder's contents; a folder
        // over a folder only changes its metadata.
        let replaces_folder = self
            .nodes
            .get(path)
            .is_some_and(|old| old.kind == Kind::Dir && node.kind != Kind::Dir);
        if replaces_folder {
            self.remove_tree(path);
        }
        if let Some(old) = self.nodes.insert(path.to_owned(), node) {
            self.wasted_bytes += old.size;
        }
        self.contents.remove(path);
    }

    fn remove(&mut self, path: &str) {
        if let Some(old) = self.nodes.remove(path) {
            self.wasted_bytes += old.size;
        }
        self.contents.remove(path);
    }

    fn remove_tree(&mut self, path: &str) {
        let children: Vec<String> = self.below(path).map(|(p, _)| p.clone()).collect();
        for child in children {
            self.remove(&child);
        }
        self.remove(path);
    }

    /// The node at `path` after following symbolic links in every
    /// component (relative to the image's root), with its resolved path and
    /// the folders passed on the way; `None` when it does not exist.
    pub fn resolve(&self, path: &str) -> Option<Resolved<'_>> {
        let mut pending: Vec<String> = layer::normalize(path)
            .split('/')
            .filter(|p| !p.is_empty())
            .rev()
            .map(str::to_owned)
            .collect();
        let mut current = String::new();
        let mut folders = vec![String::new()];
        let mut hops = 0;
        while let Some(part) = pending.pop() {
            if part == ".." {
                current = layer::split(&current).0.to_owned();
                continue;
            }
            let next = layer::join(&current, &part);
            let node = self.nodes.get(&next)?;
            if let Kind::Symlink(target) = &node.kind {
                hops += 1;
                if hops > 40 {
                    return None;
                }
                if target.starts_with('/') {
                    current.clear();
                }
                pending.extend(
                    target
                        .split('/')
                        .filter(|p| !p.is_empty() && *p != ".")
                        .rev()
                        .map(str::to_owned),
                );
                continue;
            }
            if !pending.is_empty() {
                if node.kind != Kind::Dir {
                    return None;
                }
                folders.push(next.clone());
            }
            current = next;
        }
        let node = if current.is_empty() {
            self.nodes.get("")
        } else {
            self.nodes.get(&current)
        };
        Some(Resolved {
            path: current,
            node,
            folders,
        })
    }
}

/// A path followed to its end.
#[derive(Debug)]
pub struct Resolved<'a> {
    /// The real path, relative to `/`.
    pub path: String,
    /// Its node (`None` for the root folder when the image has no entry
    /// for it).
    pub node: Option<&'a Node>,
    /// The folders passed through, the root first (each must be searchable).
    pub folders: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(kind: Kind, size: u64) -> Node {
        Node {
            kind,
            mode: 0o755,
            uid: 0,
            gid: 0,
            size,
            digest: None,
        }
    }

    fn layer(entries: &[(&str, Node)], whiteouts: &[&str], opaque: &[&str]) -> Arc<Layer> {
        Arc::new(Layer {
            size: 0,
            entries: entries
                .iter()
                .map(|(p, n)| ((*p).to_owned(), n.clone()))
                .collect(),
            whiteouts: whiteouts.iter().map(|s| (*s).to_owned()).collect(),
            opaque: opaque.iter().map(|s| (*s).to_owned()).collect(),
            captured: Default::default(),
        })
    }

    #[test]
    fn whiteouts_remove_and_count_waste() {
        let base = layer(
            &[
                ("var", node(Kind::Dir, 0)),
                ("var/cache", node(Kind::Dir, 0)),
                ("var/cache/a", node(Kind::File, 100)),
                ("var/cache/b", node(Kind::File, 50)),
                ("opt", node(Kind::Dir, 0)),
                ("opt/x", node(Kind::File, 7)),
                ("etc", node(Kind::Dir, 0)),
                ("etc/conf", node(Kind::File, 10)),
            ],
            &[],
            &[],
        );
        let top = layer(
            &[
                ("opt/y", node(Kind::File, 1)),
                ("etc/conf", node(Kind::File, 12)),
            ],
            &["var/cache"],
            &["opt"],
        );
        let fs = FileSystem::stack(&[base, top]);
        let paths: Vec<&str> = fs.nodes.keys().map(String::as_str).collect();
        assert_eq!(paths, ["etc", "etc/conf", "opt", "opt/y", "var"]);
        // 150 under var/cache, 7 in the opaque opt, 10 of the replaced conf.
        assert_eq!(fs.wasted_bytes, 167);
    }

    #[test]
    fn symlinks_resolve_like_the_kernel() {
        let fs = FileSystem::stack(&[layer(
            &[
                ("bin", node(Kind::Symlink("usr/bin".into()), 0)),
                ("usr", node(Kind::Dir, 0)),
                ("usr/bin", node(Kind::Dir, 0)),
                (
                    "usr/bin/python3",
                    node(Kind::Symlink("python3.11".into()), 0),
                ),
                ("usr/bin/python3.11", node(Kind::File, 5)),
                ("usr/local", node(Kind::Dir, 0)),
                (
                    "usr/local/py",
                    node(Kind::Symlink("/bin/python3".into()), 0),
                ),
                ("loop", node(Kind::Symlink("loop".into()), 0)),
            ],
            &[],
            &[],
        )]);
        let found = fs.resolve("/bin/python3").unwrap();
        assert_eq!(found.path, "usr/bin/python3.11");
        assert_eq!(found.folders, ["", "usr", "usr/bin"]);
        assert_eq!(
            fs.resolve("/usr/local/py").unwrap().path,
            "usr/bin/python3.11"
        );
        assert!(fs.resolve("/usr/bin/missing").is_none());
        assert!(fs.resolve("/loop").is_none());
        assert!(fs.resolve("/usr/bin/python3.11/x").is_none());
    }
}
