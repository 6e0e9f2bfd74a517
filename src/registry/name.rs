//! Image names as `docker pull` reads them, and digests.

use std::fmt;

use oci_client::Reference;

/// How Docker Hub is named in references.
pub const DOCKER_HUB: &str = "docker.io";
/// Where Docker Hub's registry API answers.
pub const DOCKER_HUB_API: &str = "registry-1.docker.io";

/// A repository and tag on a registry, normalised as `docker pull` does
/// (`python` → `docker.io/library/python:latest`): what a look-up asks for.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ImageName {
    /// `docker.io`, `ghcr.io`, `localhost:5000`, …
    pub registry: String,
    /// `library/python`, `team/app`, `a/b/c`, …
    pub repository: String,
    pub tag: String,
}

impl fmt::Display for ImageName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}:{}", self.registry, self.repository, self.tag)
    }
}

/// A reference as written in a Dockerfile, split into its parts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageReference {
    /// What to look up: the name with its tag (`latest` when none is written).
    pub name: ImageName,
    /// A tag is written (`python:3.12`), not implied (`python`).
    pub tagged: bool,
    /// The digest written after `@`, if any.
    pub digest: Option<String>,
    /// Byte length of the name-and-tag part as written (before any `@`).
    pub name_len: usize,
}

/// A reference that Docker would not accept.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{text}` is not a valid image reference ({reason})")]
pub struct InvalidReference {
    pub text: String,
    pub reason: String,
}

/// Parses `text` (no variables) the way `docker pull` does.
pub fn parse_reference(text: &str) -> Result<ImageReference, InvalidReference> {
    let invalid = |reason: &str| InvalidReference {
        text: text.to_owned(),
        reason: reason.to_owned(),
    };
    if text.contains('$') {
        return Err(invalid("it uses a variable"));
    }
    let reference: Reference = text.parse().map_err(|e| invalid(&format!("{e}")))?;
    let name_len = text.find('@').unwrap_or(text.len());
    let last_part = text[..name_len].rsplit('/').next().unwrap_or("");
    let tagged = last_part.contains(':');
    let digest = match reference.digest() {
        Some(d) => Some(Digest::parse(d).map_err(|e| invalid(&e.to_string()))?.0),
        None => None,
    };
    let (registry, repository) = normalise(reference.registry(), reference.repository());
    Ok(ImageReference {
        name: ImageName {
            registry,
            repository,
            tag: reference.tag().unwrap_or("latest").to_owned(),
        },
        tagged,
        digest,
        name_len,
    })
}

/// Docker Hub's other host names become `docker.io`; its one-part names get
/// `library/`.
fn normalise(registry: &str, repository: &str) -> (String, String) {
    let registry = match registry {
        "index.docker.io" | "registry-1.docker.io" | "registry.hub.docker.com" => DOCKER_HUB,
        other => other,
    };
    let repository = if registry == DOCKER_HUB && !repository.contains('/') {
        format!("library/{repository}")
    } else {
        repository.to_owned()
    };
    (registry.to_owned(), repository)
}

/// A content digest whose format was checked: `sha256:` and 64 lowercase hex
/// digits (or `sha512:` and 128). Only such a digest is written into a file.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Digest(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not a sha256 or sha512 digest")]
pub struct InvalidDigest(pub String);

impl Digest {
    pub fn parse(text: &str) -> Result<Self, InvalidDigest> {
        let bad = || InvalidDigest(text.chars().take(80).collect());
        let (algorithm, hex) = text.split_once(':').ok_or_else(bad)?;
        let length = match algorithm {
            "sha256" => 64,
            "sha512" => 128,
            _ => return Err(bad()),
        };
        let lower_hex = hex
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
        if hex.len() != length || !lower_hex {
            return Err(bad());
        }
        Ok(Self(text.to_owned()))
    }

    /// The sha256 digest of `bytes`.
    pub fn sha256_of(bytes: &[u8]) -> Self {
        use sha2::Digest as _;
        let hash = sha2::Sha256::digest(bytes);
        let mut text = String::with_capacity(71);
        text.push_str("sha256:");
        for byte in hash.iter() {
            text.push_str(&format!("{byte:02x}"));
        }
        Self(text)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Digest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(text: &str) -> String {
        parse_reference(text).unwrap().name.to_string()
    }

    #[test]
    fn normalises_like_docker_pull() {
        assert_eq!(name("python"), "docker.io/library/python:latest");
        assert_eq!(
            name("python:3.12-slim"),
            "docker.io/library/python:3.12-slim"
        );
        assert_eq!(name("docker.io/python:3"), "docker.io/library/python:3");
        assert_eq!(
            name("index.docker.io/library/python:3"),
            "docker.io/library/python:3"
        );
        assert_eq!(
            name("registry-1.docker.io/python:3"),
            "docker.io/library/python:3"
        );
        assert_eq!(name("user/app"), "docker.io/user/app:latest");
        assert_eq!(name("ghcr.io/o/r:1"), "ghcr.io/o/r:1");
        assert_eq!(name("localhost/app"), "localhost/app:latest");
        assert_eq!(name("localhost:5000/a/b/c:t"), "localhost:5000/a/b/c:t");
        assert_eq!(name("127.0.0.1:5000/app:1"), "127.0.0.1:5000/app:1");
    }

    #[test]
    fn tags_and_digests_as_written() {
        let d = format!("sha256:{}", "a".repeat(64));
        let r = parse_reference(&format!("python:3.12@{d}")).unwrap();
        assert!(r.tagged);
        assert_eq!(r.digest.as_deref(), Some(d.as_str()));
        assert_eq!(r.name_len, "python:3.12".len());
        let r = parse_reference(&format!("python@{d}")).unwrap();
        assert!(!r.tagged);
        let r = parse_reference("localhost:5000/app").unwrap();
        assert!(!r.tagged, "a port is not a tag");
        assert_eq!(r.name.tag, "latest");
    }

    #[test]
    fn invalid_references() {
        for text in ["Python:3", "python:", "$BASE", "python:${V}", "a b", ""] {
            assert!(parse_reference(text).is_err(), "{text}");
        }
    }

    #[test]
    fn digest_format() {
        let good = format!("sha256:{}", "0123456789abcdef".repeat(4));
        assert!(Digest::parse(&good).is_ok());
        assert!(Digest::parse(&format!("sha512:{}", "f".repeat(128))).is_ok());
        for bad in [
            "sha256:abc",
            &format!("sha256:{}", "A".repeat(64)),
            &format!("md5:{}", "a".repeat(64)),
            &format!("sha256:{}\n", "a".repeat(64)),
            "not json",
        ] {
            assert!(Digest::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(
            Digest::sha256_of(b"").as_str(),
            "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }
}
