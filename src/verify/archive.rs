//! An exported image read as one stream: a `docker save` / `docker-archive`
//! tar (`manifest.json`, a config, layer tars) or an OCI image layout
//! (`index.json`, `blobs/sha256/…`), whichever the builder writes. Nothing
//! is unpacked to disk and nothing in the image is run.

use std::collections::HashMap;
use std::io::Read;
use std::sync::{Arc, Mutex};

use oci_spec::image::{ImageConfiguration, ImageIndex, ImageManifest};
use serde::Deserialize;

use super::layer::{self, Layer, ReadError};

/// The largest JSON document (manifest, config, index) kept in memory.
const JSON_LIMIT: u64 = 16 << 20;

/// An image as exported: its configuration and its layers, bottom first.
#[derive(Debug)]
pub struct Exported {
    pub config: Config,
    pub layers: Vec<Arc<Layer>>,
}

/// The parts of an image configuration verify compares.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Config {
    pub user: String,
    pub cmd: Option<Vec<String>>,
    pub entrypoint: Option<Vec<String>>,
    pub env: Vec<String>,
    pub working_dir: String,
    pub exposed_ports: Vec<String>,
    pub labels: Vec<(String, String)>,
    /// The health check as JSON (Docker's `Healthcheck`), if any.
    pub healthcheck: Option<String>,
    pub shell: Option<Vec<String>>,
    pub volumes: Vec<String>,
    pub stop_signal: String,
    pub author: String,
}

/// Docker's extensions to the OCI configuration (`Healthcheck`, `Shell`),
/// which the OCI types do not carry.
#[derive(Deserialize, Default)]
struct DockerExtensions {
    #[serde(default)]
    config: Option<DockerConfig>,
}

#[derive(Deserialize, Default)]
struct DockerConfig {
    #[serde(rename = "Healthcheck", default)]
    healthcheck: Option<serde_json::Value>,
    #[serde(rename = "Shell", default)]
    shell: Option<Vec<String>>,
}

/// `manifest.json` of a docker-archive.
#[derive(Deserialize)]
struct ArchiveManifest {
    #[serde(rename = "Config")]
    config: String,
    #[serde(rename = "Layers", default)]
    layers: Vec<String>,
}

/// Layers already read in this run, by digest: the base layers two images
/// share are read once.
#[derive(Default, Clone)]
pub struct LayerCache(Arc<Mutex<HashMap<String, Arc<Layer>>>>);

impl LayerCache {
    fn get(&self, digest: &str) -> Option<Arc<Layer>> {
        self.0.lock().ok()?.get(digest).cloned()
    }
    fn put(&self, digest: String, layer: Arc<Layer>) {
        if let Ok(mut map) = self.0.lock() {
            map.insert(digest, layer);
        }
    }
}

/// The digest a blob's name gives, when it has one: `blobs/sha256/HEX`,
/// `HEX.tar` (buildah's docker-archive) or `HEX/layer.tar` (docker save).
fn digest_of_name(path: &str) -> Option<String> {
    let hex = path
        .strip_prefix("blobs/sha256/")
        .or_else(|| path.strip_suffix(".tar"))?;
    (hex.len() == 64 && hex.bytes().all(|b| b.is_ascii_hexdigit())).then(|| hex.to_owned())
}

/// Reads an exported image from `stream`.
pub fn read(stream: &mut dyn Read, cache: &LayerCache) -> Result<Exported, ReadError> {
    let mut documents: HashMap<String, Vec<u8>> = HashMap::new();
    let mut layers: HashMap<String, Arc<Layer>> = HashMap::new();
    let mut links: HashMap<String, String> = HashMap::new();
    let mut archive = tar::Archive::new(stream);
    for entry in archive.entries()? {
        let mut entry = entry?;
        let path = layer::normalize(&entry.path()?.to_string_lossy());
        match entry.header().entry_type() {
            tar::EntryType::Symlink | tar::EntryType::Link => {
                if let Some(target) = entry.link_name()? {
                    let target = target.to_string_lossy();
                    let (folder, _) = layer::split(&path);
                    let resolved = if entry.header().entry_type() == tar::EntryType::Link {
                        layer::normalize(&target)
                    } else {
                        layer::normalize(&layer::join(folder, &target))
                    };
                    links.insert(path, resolved);
                }
                continue;
            }
            tar::EntryType::Regular | tar::EntryType::Continuous => {}
            _ => continue,
        }
        let digest = digest_of_name(&path);
        if let Some(known) = digest.as_deref().and_then(|d| cache.get(d)) {
            layers.insert(path, known);
            continue;
        }
        let size = entry.size();
        let (head, mut reader) = layer::peek(&mut entry, 512)?;
        if head.first() == Some(&b'{') || head.first() == Some(&b'[') {
            if size <= JSON_LIMIT {
                let mut bytes = Vec::with_capacity(size as usize);
                reader.read_to_end(&mut bytes)?;
                documents.insert(path, bytes);
            }
            continue;
        }
        if layer::sniff(&head).is_none() {
            continue;
        }
        let read = Arc::new(layer::read_layer(reader)?);
        if let Some(digest) = digest {
            cache.put(digest, Arc::clone(&read));
        }
        layers.insert(path, read);
    }
    let resolve = |path: &str| -> String {
        let mut path = layer::normalize(path);
        for _ in 0..8 {
            match links.get(&path) {
                Some(target) => path = target.clone(),
                None => break,
            }
        }
        path
    };
    let (config_path, layer_paths) = if let Some(manifest) = documents.get("manifest.json") {
        let manifests: Vec<ArchiveManifest> = serde_json::from_slice(manifest)
            .map_err(|e| ReadError::Format(format!("manifest.json: {e}")))?;
        let first = manifests
            .into_iter()
            .next()
            .ok_or_else(|| ReadError::Format("manifest.json lists no image".into()))?;
        (first.config, first.layers)
    } else if let Some(index) = documents.get("index.json") {
        oci_layout(index, &documents)?
    } else {
        return Err(ReadError::Format(
            "neither manifest.json nor index.json in the archive".into(),
        ));
    };
    let config_bytes = documents
        .get(&resolve(&config_path))
        .ok_or_else(|| ReadError::Format(format!("the configuration {config_path} is missing")))?;
    let config = parse_config(config_bytes)?;
    let layers = layer_paths
        .iter()
        .map(|path| {
            layers
                .get(&resolve(path))
                .cloned()
                .ok_or_else(|| ReadError::Format(format!("the layer {path} is missing")))
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Exported { config, layers })
}

/// The configuration and layer paths of the first image of an OCI layout.
fn oci_layout(
    index: &[u8],
    documents: &HashMap<String, Vec<u8>>,
) -> Result<(String, Vec<String>), ReadError> {
    let blob = |digest: &str| format!("blobs/{}", digest.replacen(':', "/", 1));
    let mut index: ImageIndex =
        serde_json::from_slice(index).map_err(|e| ReadError::Format(format!("index.json: {e}")))?;
    // An index may point to another index (a multi-platform image).
    for _ in 0..4 {
        let first = index
            .manifests()
            .first()
            .ok_or_else(|| ReadError::Format("the image index is empty".into()))?;
        let path = blob(first.digest().as_ref());
        let bytes = documents
            .get(&path)
            .ok_or_else(|| ReadError::Format(format!("the manifest {path} is missing")))?;
        if let Ok(manifest) = serde_json::from_slice::<ImageManifest>(bytes)
            && !manifest.layers().is_empty()
        {
            let layers = manifest
                .layers()
                .iter()
                .map(|l| blob(l.digest().as_ref()))
                .collect();
            return Ok((blob(manifest.config().digest().as_ref()), layers));
        }
        index =
            serde_json::from_slice(bytes).map_err(|e| ReadError::Format(format!("{path}: {e}")))?;
    }
    Err(ReadError::Format("image indexes nest too deep".into()))
}

/// The compared parts of an image configuration.
pub fn parse_config(bytes: &[u8]) -> Result<Config, ReadError> {
    let oci: ImageConfiguration = serde_json::from_slice(bytes)
        .map_err(|e| ReadError::Format(format!("image configuration: {e}")))?;
    let docker: DockerExtensions = serde_json::from_slice(bytes).unwrap_or_default();
    let docker = docker.config.unwrap_or_default();
    let mut config = Config {
        author: oci.author().clone().unwrap_or_default(),
        healthcheck: docker.healthcheck.map(|h| h.to_string()),
        shell: docker.shell,
        ..Config::default()
    };
    if let Some(c) = oci.config() {
        config.user = c.user().clone().unwrap_or_default();
        config.cmd = c.cmd().clone();
        config.entrypoint = c.entrypoint().clone();
        config.env = c.env().clone().unwrap_or_default();
        config.working_dir = c.working_dir().clone().unwrap_or_default();
        config.exposed_ports = c.exposed_ports().clone().unwrap_or_default();
        config.exposed_ports.sort();
        config.labels = c.labels().clone().unwrap_or_default().into_iter().collect();
        config.labels.sort();
        config.volumes = c.volumes().clone().unwrap_or_default();
        config.volumes.sort();
        config.stop_signal = c.stop_signal().clone().unwrap_or_default();
    }
    Ok(config)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::verify::layer::tests::tar_of;

    fn archive(files: &[(&str, &[u8])]) -> Vec<u8> {
        let mut builder = tar::Builder::new(Vec::new());
        for (path, data) in files {
            let mut header = tar::Header::new_gnu();
            header.set_size(data.len() as u64);
            header.set_mode(0o644);
            builder.append_data(&mut header, path, *data).unwrap();
        }
        builder.into_inner().unwrap()
    }

    const CONFIG: &str = r#"{"architecture":"amd64","os":"linux","author":"Jane",
        "config":{"User":"app","Cmd":["run"],"Env":["PATH=/bin"],"WorkingDir":"/app",
        "Labels":{"b":"2","a":"1"},"Healthcheck":{"Test":["CMD","true"]},"Shell":["/bin/bash","-c"]},
        "rootfs":{"type":"layers","diff_ids":[]}}"#;

    #[test]
    fn docker_archive() {
        let base = tar_of(&[("bin/sh", Some(b"sh"))]);
        let top = tar_of(&[("app/run", Some(b"run"))]);
        let hex = "a".repeat(64);
        let stream = archive(&[
            (&format!("{hex}.tar"), &base),
            ("top/layer.tar", &top),
            ("cfg.json", CONFIG.as_bytes()),
            (
                "manifest.json",
                format!(r#"[{{"Config":"cfg.json","Layers":["{hex}.tar","top/layer.tar"]}}]"#)
                    .as_bytes(),
            ),
        ]);
        let cache = LayerCache::default();
        let image = read(&mut &stream[..], &cache).unwrap();
        assert_eq!(image.layers.len(), 2);
        assert_eq!(image.layers[1].entries[0].0, "app/run");
        assert_eq!(image.config.user, "app");
        assert_eq!(image.config.author, "Jane");
        assert_eq!(image.config.labels[0], ("a".into(), "1".into()));
        assert_eq!(image.config.shell.as_deref().unwrap(), ["/bin/bash", "-c"]);
        assert!(
            image
                .config
                .healthcheck
                .as_deref()
                .unwrap()
                .contains("true")
        );
        // The layer named by its digest is reused by the next image.
        assert!(cache.get(&hex).is_some());
    }

    #[test]
    fn oci_layout_with_gzip_layers() {
        use sha2::{Digest as _, Sha256};
        use std::io::Write;
        let layer = tar_of(&[("etc/", None), ("etc/hostname", Some(b"box"))]);
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(&layer).unwrap();
        let layer_gz = gz.finish().unwrap();
        let hex = |b: &[u8]| {
            Sha256::digest(b)
                .iter()
                .map(|x| format!("{x:02x}"))
                .collect::<String>()
        };
        let (layer_hex, config_hex) = (hex(&layer_gz), hex(CONFIG.as_bytes()));
        let manifest = format!(
            r#"{{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",
            "config":{{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:{config_hex}","size":{}}},
            "layers":[{{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"sha256:{layer_hex}","size":{}}}]}}"#,
            CONFIG.len(),
            layer_gz.len()
        );
        let manifest_hex = hex(manifest.as_bytes());
        let index = format!(
            r#"{{"schemaVersion":2,"manifests":[{{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:{manifest_hex}","size":{}}}]}}"#,
            manifest.len()
        );
        let stream = archive(&[
            ("oci-layout", br#"{"imageLayoutVersion":"1.0.0"}"#),
            ("index.json", index.as_bytes()),
            (&format!("blobs/sha256/{manifest_hex}"), manifest.as_bytes()),
            (&format!("blobs/sha256/{config_hex}"), CONFIG.as_bytes()),
            (&format!("blobs/sha256/{layer_hex}"), &layer_gz),
        ]);
        let image = read(&mut &stream[..], &LayerCache::default()).unwrap();
        assert_eq!(image.layers.len(), 1);
        assert_eq!(image.layers[0].size, layer.len() as u64);
        assert_eq!(image.config.working_dir, "/app");
    }

    #[test]
    fn a_stream_without_a_manifest_is_an_error() {
        let stream = archive(&[("hello.txt", b"hi")]);
        let err = read(&mut &stream[..], &LayerCache::default()).unwrap_err();
        assert!(err.to_string().contains("manifest.json"), "{err}");
    }
}
