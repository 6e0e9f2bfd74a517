//! Image names as `docker pull` reads them, and digests.

use std::fmt;

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
    let (name, tag, digest) = split_reference(text).map_err(invalid)?;
    let digest = match digest {
        Some(d) => Some(Digest::parse(d).map_err(|e| invalid(&e.to_string()))?.0),
        None => None,
    };
    let (registry, repository) = split_domain(name);
    let (registry, repository) = normalise(registry, repository);
    if repository.len() > NAME_MAX {
        return Err(invalid("the name is longer than 255 characters"));
    }
    Ok(ImageReference {
        name: ImageName {
            registry,
            repository,
            tag: tag.unwrap_or("latest").to_owned(),
        },
        tagged: tag.is_some(),
        digest,
        name_len: text.find('@').unwrap_or(text.len()),
    })
}

/// The longest repository name Docker accepts.
const NAME_MAX: usize = 255;

/// Splits a reference into name, tag and digest by Docker's grammar
/// (`distribution/reference`: `[domain[:port]/]path[:tag][@digest]`),
/// checking the name and the tag; the digest is checked by [`Digest`].
/// Written out rather than through `oci_client::Reference`, whose regular
/// expression (Unicode classes) took 50 ms to compile in every process and
/// made `check` of the corpus 14 times slower.
fn split_reference(text: &str) -> Result<(&str, Option<&str>, Option<&str>), &'static str> {
    let (rest, digest) = match text.split_once('@') {
        Some((rest, digest)) => (rest, Some(digest)),
        None => (text, None),
    };
    let last_part = rest.rfind('/').map_or(0, |i| i + 1);
    let (name, tag) = match rest[last_part..].rfind(':') {
        Some(i) => (&rest[..last_part + i], Some(&rest[last_part + i + 1..])),
        None => (rest, None),
    };
    if tag.is_some_and(|t| !is_tag(t)) {
        return Err("invalid tag format");
    }
    let mut parts = name.split('/');
    let first = parts.next().unwrap_or("");
    let mut rest = parts.peekable();
    let first_ok = is_path_component(first) || rest.peek().is_some() && is_domain(first);
    if !first_ok || !rest.all(is_path_component) {
        return Err("invalid reference format");
    }
    Ok((name, tag, digest))
}

/// `[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}`.
fn is_tag(tag: &str) -> bool {
    let word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let bytes = tag.as_bytes();
    !bytes.is_empty()
        && bytes.len() <= 128
        && word(bytes[0])
        && bytes.iter().all(|&b| word(b) || b == b'.' || b == b'-')
}

/// Lowercase letters and digits in runs joined by `.`, `_`, `__` or any
/// number of `-`.
fn is_path_component(part: &str) -> bool {
    let alnum = |b: u8| b.is_ascii_lowercase() || b.is_ascii_digit();
    let bytes = part.as_bytes();
    if bytes.is_empty() || !alnum(bytes[0]) || !alnum(bytes[bytes.len() - 1]) {
        return false;
    }
    bytes
        .split(|&b| alnum(b))
        .all(|sep| matches!(sep, b"" | b"." | b"_" | b"__") || sep.iter().all(|&b| b == b'-'))
}

/// Host name components (letters, digits, inner `-`) joined by `.`, and an
/// optional `:port`.
fn is_domain(domain: &str) -> bool {
    let (host, port) = match domain.split_once(':') {
        Some((host, port)) => (host, Some(port)),
        None => (domain, None),
    };
    let label = |l: &str| {
        let b = l.as_bytes();
        !b.is_empty()
            && b[0].is_ascii_alphanumeric()
            && b[b.len() - 1].is_ascii_alphanumeric()
            && b.iter().all(|&c| c.is_ascii_alphanumeric() || c == b'-')
    };
    host.split('.').all(label)
        && port.is_none_or(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
}

/// Docker's split of a name into registry and repository: the first part
/// is a registry when it has a `.`, a `:` or a capital letter, or is
/// `localhost`.
fn split_domain(name: &str) -> (&str, &str) {
    match name.split_once('/') {
        Some((first, rest))
            if first.contains(['.', ':'])
                || first == "localhost"
                || first.bytes().any(|b| b.is_ascii_uppercase()) =>
        {
            (first, rest)
        }
        _ => (DOCKER_HUB, name),
    }
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
        for text in [
            "Python:3",
            "python:",
            "$BASE",
            "python:${V}",
            "a b",
            "",
            "a//b",
            "a/",
            "-a",
            "a-",
            "a..b",
            "a___b",
            "a:-tag",
            "a:tag!",
            ":tag",
            "a@",
            "a@sha256:short",
            "localhost:port/a",
            "-host.com/a",
            "ubuntu:é",
        ] {
            assert!(parse_reference(text).is_err(), "{text}");
        }
        assert!(parse_reference(&"a".repeat(256)).is_err());
        assert!(parse_reference(&format!("a:{}", "t".repeat(129))).is_err());
    }

    /// Cases of Docker's grammar (those of oci-spec's reference tests among
    /// them): separators, ports, registries told from repositories.
    #[test]
    fn docker_grammar() {
        for (text, expected) in [
            ("test.com:tag", "docker.io/library/test.com:tag"),
            ("test.com:5000", "docker.io/library/test.com:5000"),
            ("test.com/repo:tag", "test.com/repo:tag"),
            ("test:5000/repo", "test:5000/repo:latest"),
            ("test:5000/repo:tag", "test:5000/repo:tag"),
            (
                "lowercase:Uppercase",
                "docker.io/library/lowercase:Uppercase",
            ),
            (
                "sub-dom1.foo.com/bar/baz/quux",
                "sub-dom1.foo.com/bar/baz/quux:latest",
            ),
            (
                "sub-dom1.foo.com/bar/baz/quux:some-long-tag",
                "sub-dom1.foo.com/bar/baz/quux:some-long-tag",
            ),
            (
                "b.gcr.io/test.example.com/my-app:test.example.com",
                "b.gcr.io/test.example.com/my-app:test.example.com",
            ),
            (
                "xn--n3h.com/myimage:xn--n3h.com",
                "xn--n3h.com/myimage:xn--n3h.com",
            ),
            ("foo_bar.com:8080", "docker.io/library/foo_bar.com:8080"),
            ("foo/foo_bar.com:8080", "docker.io/foo/foo_bar.com:8080"),
            ("a__b---c.d_e", "docker.io/library/a__b---c.d_e:latest"),
            ("Registry.Example/app", "Registry.Example/app:latest"),
            ("MyRegistry/app", "MyRegistry/app:latest"),
            ("localhost/app", "localhost/app:latest"),
            ("docker.io/team/app:1", "docker.io/team/app:1"),
        ] {
            assert_eq!(name(text), expected, "{text}");
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
