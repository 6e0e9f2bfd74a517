//! Resolving image tags to digests through their registries: names as
//! `docker pull` reads them, authentication as it does it, mirrors and
//! insecure registries, an on-disk cache, and concurrent, de-duplicated
//! look-ups.
//!
//! [`resolve`] is the one entry point: give it every name of a run, it asks
//! each registry at most once per name and returns digests and errors.

pub mod auth;
pub mod cache;
pub mod client;
pub mod error;
pub mod name;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

pub use client::Resolved;
pub use error::ResolveError;
pub use name::{Digest, ImageName, ImageReference, InvalidReference, parse_reference};

/// How look-ups reach registries. The command line fills it; a
/// configuration file can fill the same fields.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Registry name (as in references, `docker.io`) → the `host[:port]`s
    /// to ask first, in order. The written reference keeps its original
    /// name.
    pub mirrors: BTreeMap<String, Vec<String>>,
    /// Hosts reached over HTTPS without certificate checks, or plain HTTP.
    pub insecure: Vec<String>,
    /// Extra PEM files of certificate authorities to trust.
    pub ca_files: Vec<PathBuf>,
    /// Where the digest cache lives; `None` = no cache.
    pub cache_dir: Option<PathBuf>,
    /// How long a cached digest is used without asking the registry.
    pub cache_ttl: Duration,
    /// Use only the cache (at any age); a miss is an error.
    pub offline: bool,
    pub connect_timeout: Duration,
    /// Longest wait for any read from the registry.
    pub read_timeout: Duration,
    /// Longest time one look-up may take, retries included.
    pub total_timeout: Duration,
    /// Look-ups in flight at once.
    pub max_in_flight: usize,
    /// Attempts per request (the first one included).
    pub attempts: u32,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            mirrors: BTreeMap::new(),
            insecure: Vec::new(),
            ca_files: Vec::new(),
            cache_dir: cache::default_dir(),
            cache_ttl: Duration::from_secs(24 * 60 * 60),
            offline: false,
            connect_timeout: Duration::from_secs(10),
            read_timeout: Duration::from_secs(30),
            total_timeout: Duration::from_secs(120),
            max_in_flight: 16,
            attempts: 4,
        }
    }
}

impl Settings {
    /// The hosts asked for `registry`'s images, in order, as Docker's
    /// daemon asks them: each of its mirrors, then the registry itself
    /// (Docker Hub's API host for `docker.io`).
    pub fn hosts(&self, registry: &str) -> Vec<String> {
        let mut hosts = self.mirrors.get(registry).cloned().unwrap_or_default();
        hosts.push(if registry == name::DOCKER_HUB {
            name::DOCKER_HUB_API.to_owned()
        } else {
            registry.to_owned()
        });
        hosts
    }

    pub fn is_insecure(&self, host: &str) -> bool {
        self.insecure.iter().any(|h| h == host)
    }

    /// Parses `REGISTRY=HOST` (as `--registry-mirror` takes it) and adds
    /// HOST after the registry's mirrors so far.
    pub fn add_mirror(&mut self, spec: &str) -> Result<(), String> {
        let (registry, host) = spec
            .split_once('=')
            .filter(|(r, h)| !r.is_empty() && !h.is_empty())
            .ok_or_else(|| format!("`{spec}`: a mirror is REGISTRY=HOST[:PORT]"))?;
        let host = host
            .trim_start_matches("https://")
            .trim_start_matches("http://")
            .trim_end_matches('/');
        let mirrors = self.mirrors.entry(registry.to_owned()).or_default();
        if !mirrors.iter().any(|m| m == host) {
            mirrors.push(host.to_owned());
        }
        Ok(())
    }
}

/// Where a digest came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Registry,
    Cache,
}

/// The outcome of resolving a run's names.
#[derive(Debug, Default)]
pub struct Resolution {
    pub digests: HashMap<ImageName, Digest>,
    pub errors: BTreeMap<ImageName, ResolveError>,
    pub from_registry: usize,
    pub from_cache: usize,
    /// HTTP requests sent to registries and token services.
    pub requests: usize,
}

/// Resolves every name once: from the cache when fresh (or at any age when
/// offline; never when `refresh`, unless offline), else from its registry,
/// concurrently. Sends no request when nothing needs the network.
pub fn resolve(settings: &Settings, names: &BTreeSet<ImageName>, refresh: bool) -> Resolution {
    let mut resolution = Resolution::default();
    let mut cache = settings.cache_dir.as_deref().map(cache::Cache::load);
    let mut wanted = Vec::new();
    for name in names {
        let cached = cache.as_ref().and_then(|c| c.get(name));
        match cached {
            Some(hit) if settings.offline || (!refresh && hit.age <= settings.cache_ttl) => {
                resolution.digests.insert(name.clone(), hit.digest);
                resolution.from_cache += 1;
            }
            _ if settings.offline => {
                resolution
                    .errors
                    .insert(name.clone(), ResolveError::NotCached);
            }
            _ => wanted.push(name.clone()),
        }
    }
    if wanted.is_empty() {
        return resolution;
    }
    let (results, requests) = match fetch_all(settings, wanted.clone()) {
        Ok(done) => done,
        Err(error) => {
            for name in wanted {
                resolution.errors.insert(name, error.clone());
            }
            return resolution;
        }
    };
    resolution.requests = requests;
    for (name, result) in results {
        match result {
            Ok(resolved) => {
                if let Some(cache) = cache.as_mut() {
                    cache.put(&name, &resolved.digest, &resolved.media_type);
                }
                resolution.digests.insert(name, resolved.digest);
                resolution.from_registry += 1;
            }
            Err(error) => {
                resolution.errors.insert(name, error);
            }
        }
    }
    if let Some(cache) = &cache
        && resolution.from_registry > 0
    {
        // A cache that cannot be written only costs the next run time.
        let _ = cache.save();
    }
    resolution
}

type Results = Vec<(ImageName, Result<Resolved, ResolveError>)>;

/// Looks every name up on one client, at most `max_in_flight` at once.
fn fetch_all(settings: &Settings, names: Vec<ImageName>) -> Result<(Results, usize), ResolveError> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| ResolveError::Settings(format!("cannot start the network runtime: {e}")))?;
    let settings = Arc::new(settings.clone());
    runtime.block_on(async move {
        let client = Arc::new(client::Client::new(settings.clone())?);
        let limit = Arc::new(tokio::sync::Semaphore::new(settings.max_in_flight.max(1)));
        let mut tasks = tokio::task::JoinSet::new();
        for name in names {
            let client = client.clone();
            let limit = limit.clone();
            tasks.spawn(async move {
                let _permit = limit.acquire_owned().await;
                let result = client.resolve(&name).await;
                (name, result)
            });
        }
        let mut results = Vec::new();
        while let Some(done) = tasks.join_next().await {
            if let Ok(result) = done {
                results.push(result);
            }
        }
        Ok((results, client.requests()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_mirrors_and_insecure() {
        let mut settings = Settings::default();
        assert_eq!(settings.hosts("docker.io"), ["registry-1.docker.io"]);
        assert_eq!(settings.hosts("ghcr.io"), ["ghcr.io"]);
        settings
            .add_mirror("docker.io=http://127.0.0.1:5000/")
            .unwrap();
        settings.add_mirror("docker.io=mirror.gcr.io").unwrap();
        assert_eq!(
            settings.hosts("docker.io"),
            ["127.0.0.1:5000", "mirror.gcr.io", "registry-1.docker.io"]
        );
        assert!(settings.add_mirror("docker.io").is_err());
        assert!(settings.add_mirror("=x").is_err());
        settings.insecure.push("127.0.0.1:5000".into());
        assert!(settings.is_insecure("127.0.0.1:5000"));
        assert!(!settings.is_insecure("127.0.0.1:5001"));
    }

    #[test]
    fn offline_uses_only_the_cache() {
        let dir = tempfile::tempdir().unwrap();
        let settings = Settings {
            cache_dir: Some(dir.path().to_owned()),
            offline: true,
            ..Settings::default()
        };
        let name = parse_reference("python:3.12").unwrap().name;
        let mut cache = cache::Cache::load(dir.path());
        let digest = Digest::sha256_of(b"index");
        cache.put(&name, &digest, "t");
        cache.save().unwrap();
        let other = parse_reference("python:3.13").unwrap().name;
        let names: BTreeSet<ImageName> = [name.clone(), other.clone()].into();
        let resolution = resolve(&settings, &names, true);
        assert_eq!(resolution.digests.get(&name), Some(&digest));
        assert_eq!(
            resolution.errors.get(&other),
            Some(&ResolveError::NotCached)
        );
        assert_eq!((resolution.from_cache, resolution.requests), (1, 0));
    }
}
