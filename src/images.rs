//! What is known about well-known base images, kept in one table so rules
//! share it and it is easy to extend.

/// Facts about one image repository (without registry or `library/`).
pub struct ImageFacts {
    pub repository: &'static str,
    /// The image sets no `ENTRYPOINT`: a `CMD` runs as the command itself.
    pub no_entrypoint: bool,
}

const fn os(repository: &'static str) -> ImageFacts {
    ImageFacts {
        repository,
        no_entrypoint: true,
    }
}

/// Official images that set no `ENTRYPOINT` (their Dockerfiles end in a
/// `CMD` only). Images that ship an entrypoint script (node, nginx, php,
/// postgres, …) are deliberately absent.
pub static KNOWN: &[ImageFacts] = &[
    os("alpine"),
    os("almalinux"),
    os("amazonlinux"),
    os("archlinux"),
    os("buildpack-deps"),
    os("busybox"),
    os("centos"),
    os("debian"),
    os("fedora"),
    os("gcc"),
    os("golang"),
    os("opensuse/leap"),
    os("oraclelinux"),
    os("python"),
    os("rockylinux"),
    os("ruby"),
    os("rust"),
    os("ubuntu"),
];

/// The repository of an image reference as Docker Hub names it:
/// `docker.io/library/python:3.12@sha256:…` → `python`. `None` for
/// references with variables.
pub fn repository(reference: &str) -> Option<String> {
    if reference.contains('$') {
        return None;
    }
    let without_digest = reference.split('@').next().unwrap_or(reference);
    // A tag is a `:` after the last `/` (a `:` before it is a registry port).
    let name = match without_digest.rfind(':') {
        Some(i) if !without_digest[i..].contains('/') => &without_digest[..i],
        _ => without_digest,
    };
    let name = name.to_ascii_lowercase();
    let name = ["docker.io/", "index.docker.io/", "registry-1.docker.io/"]
        .iter()
        .find_map(|host| name.strip_prefix(host))
        .map_or(name.as_str(), |rest| rest);
    Some(name.strip_prefix("library/").unwrap_or(name).to_owned())
}

/// Facts about `reference`'s image, when it is in [`KNOWN`].
pub fn facts(reference: &str) -> Option<&'static ImageFacts> {
    let repository = repository(reference)?;
    KNOWN.iter().find(|f| f.repository == repository)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repositories() {
        assert_eq!(repository("python:3.12-slim").as_deref(), Some("python"));
        assert_eq!(
            repository("docker.io/library/python:3@sha256:ab").as_deref(),
            Some("python")
        );
        assert_eq!(
            repository("localhost:5000/team/app:1").as_deref(),
            Some("localhost:5000/team/app")
        );
        assert_eq!(
            repository("opensuse/leap").as_deref(),
            Some("opensuse/leap")
        );
        assert_eq!(repository("python:${V}"), None);
        assert!(facts("alpine:3.20").is_some_and(|f| f.no_entrypoint));
        assert!(facts("node:20").is_none());
    }
}
