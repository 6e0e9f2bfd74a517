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

/// How users are created in an image, by the distribution it is built on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    /// Debian, Ubuntu and images built on them: `groupadd` / `useradd`.
    Debian,
    /// Alpine and BusyBox: `addgroup` / `adduser` of BusyBox.
    Alpine,
    /// Fedora, RHEL, UBI, CentOS, Rocky, Alma, Oracle and Amazon Linux: `useradd`.
    Rhel,
    /// distroless and Chainguard images: a `nonroot` user (65532) is there.
    Distroless,
    /// Windows Server Core, Nano Server: accounts, not uids
    /// (`ContainerUser` is the one without administrator rights).
    Windows,
    /// No user database to rely on (`scratch`, minimal images, unknown).
    Unknown,
}

/// A Windows base image (Server Core, Nano Server, Windows).
pub fn is_windows(image: &str) -> bool {
    let image = image.to_ascii_lowercase();
    ["windows", "nanoserver", "servercore"]
        .iter()
        .any(|w| image.contains(w))
}

/// Repositories built on Debian or Ubuntu unless their tag says otherwise.
const DEBIAN_LIKE: &[&str] = &[
    "debian",
    "ubuntu",
    "python",
    "node",
    "ruby",
    "golang",
    "rust",
    "gcc",
    "buildpack-deps",
    "php",
    "perl",
    "openjdk",
    "eclipse-temurin",
    "maven",
    "gradle",
    "nginx",
    "httpd",
    "haskell",
    "elixir",
    "erlang",
    "julia",
    "r-base",
    "swift",
    "clojure",
    "ibm-semeru-runtimes",
    "mcr.microsoft.com/dotnet/sdk",
    "mcr.microsoft.com/dotnet/aspnet",
    "mcr.microsoft.com/dotnet/runtime",
    "mcr.microsoft.com/dotnet/runtime-deps",
];

const RHEL_LIKE: &[&str] = &[
    "fedora",
    "centos",
    "rockylinux",
    "almalinux",
    "oraclelinux",
    "amazonlinux",
    "amazoncorretto",
    "quay.io/centos/centos",
    "redhat/ubi8",
    "redhat/ubi9",
    "redhat/ubi10",
    "registry.access.redhat.com/ubi8",
    "registry.access.redhat.com/ubi9",
    "registry.access.redhat.com/ubi10",
    "registry.redhat.io/ubi8",
    "registry.redhat.io/ubi9",
    "registry.access.redhat.com/ubi8/ubi",
    "registry.access.redhat.com/ubi9/ubi",
    "registry.redhat.io/ubi8/ubi",
    "registry.redhat.io/ubi9/ubi",
];

/// The family of `reference`'s image, from its repository and tag.
pub fn family(reference: &str) -> Family {
    // Before the name is parsed: `servercore:$tag` is Windows whatever the tag.
    if is_windows(reference) {
        return Family::Windows;
    }
    let Some(repository) = repository(reference) else {
        return Family::Unknown;
    };
    let tag = tag(reference).unwrap_or("");
    if repository == "scratch" {
        return Family::Unknown;
    }
    if repository.starts_with("gcr.io/distroless/") || repository.starts_with("cgr.dev/chainguard/")
    {
        return Family::Distroless;
    }
    if repository == "alpine" || repository == "busybox" || tag.contains("alpine") {
        return Family::Alpine;
    }
    // Minimal and micro images come without `useradd`.
    let minimal = ["minimal", "micro"]
        .iter()
        .any(|m| repository.contains(m) || tag.contains(m));
    if RHEL_LIKE.contains(&repository.as_str()) {
        return if minimal {
            Family::Unknown
        } else {
            Family::Rhel
        };
    }
    if DEBIAN_LIKE.contains(&repository.as_str()) && !minimal {
        return Family::Debian;
    }
    Family::Unknown
}

/// A non-root user an image ships for applications: its name and its
/// numeric `uid:gid`.
pub type ShippedUser = (&'static str, &'static str);

/// Images that ship a non-root user for applications (repository, user).
const SHIPPED_USERS: &[(&str, ShippedUser)] = &[("node", ("node", "1000:1000"))];

/// The non-root user of distroless and Chainguard images.
pub const NONROOT: ShippedUser = ("nonroot", "65532:65532");

/// The non-root user `reference`'s image ships for applications, if known.
pub fn shipped_user(reference: &str) -> Option<ShippedUser> {
    if family(reference) == Family::Distroless {
        return Some(NONROOT);
    }
    let repository = repository(reference)?;
    SHIPPED_USERS
        .iter()
        .find(|(r, _)| *r == repository)
        .map(|(_, user)| *user)
}

/// The image already runs as a non-root user by default (distroless
/// `:nonroot` tags, Chainguard images, whose default user is `nonroot`, and
/// Nano Server, whose default user is `ContainerUser`).
pub fn runs_as_non_root(reference: &str) -> bool {
    let Some(repository) = repository(reference) else {
        return false;
    };
    let tag = tag(reference).unwrap_or("");
    repository.contains("nanoserver")
        || (repository.starts_with("gcr.io/distroless/") && tag.contains("nonroot"))
        || repository.starts_with("cgr.dev/chainguard/") && !tag.contains("-dev")
}

/// Official images whose entrypoint starts as root and drops privileges
/// itself (with `gosu` or `su-exec`); a `USER` line breaks that entrypoint.
const DROPS_PRIVILEGES: &[&str] = &[
    "postgres",
    "mysql",
    "mariadb",
    "mongo",
    "redis",
    "rabbitmq",
    "cassandra",
    "couchdb",
    "percona",
    "zookeeper",
    "solr",
    "neo4j",
    "odoo",
    "nextcloud",
    "ghost",
    "influxdb",
];

/// `reference`'s image entrypoint drops privileges itself.
pub fn drops_privileges(reference: &str) -> bool {
    repository(reference).is_some_and(|r| DROPS_PRIVILEGES.contains(&r.as_str()))
}

/// System images that set no `WORKDIR`: a stage built on one starts in `/`.
const IN_ROOT: &[&str] = &[
    "alpine",
    "almalinux",
    "amazonlinux",
    "archlinux",
    "busybox",
    "centos",
    "debian",
    "fedora",
    "opensuse/leap",
    "oraclelinux",
    "python",
    "rockylinux",
    "ubuntu",
];

/// The working directory a stage built on `reference` starts in, when it
/// is known: `/` for `scratch` and [`IN_ROOT`], `/go` for `golang`.
pub fn default_workdir(reference: &str) -> Option<&'static str> {
    if is_windows(reference) {
        return None;
    }
    match repository(reference)?.as_str() {
        "scratch" => Some("/"),
        "golang" => Some("/go"),
        name if IN_ROOT.contains(&name) => Some("/"),
        _ => None,
    }
}

/// System images whose configuration sets no variable but `PATH` (which
/// BuildKit sets for `scratch` too).
const ONLY_PATH: &[&str] = &["alpine", "busybox", "debian", "scratch", "ubuntu"];

/// The variables the configuration of `reference` sets, when they are
/// known.
pub fn default_env(reference: &str) -> Option<&'static [&'static str]> {
    let name = repository(reference)?;
    (ONLY_PATH.contains(&name.as_str()) && !is_windows(reference)).then_some(&["PATH"][..])
}

/// The tag of an image reference, if it has one.
fn tag(reference: &str) -> Option<&str> {
    let without_digest = reference.split('@').next().unwrap_or(reference);
    match without_digest.rfind(':') {
        Some(i) if !without_digest[i..].contains('/') => Some(&without_digest[i + 1..]),
        _ => None,
    }
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

    #[test]
    fn families_and_users() {
        assert_eq!(family("python:3.12-slim"), Family::Debian);
        assert_eq!(family("python:3.12-alpine"), Family::Alpine);
        assert_eq!(family("docker.io/library/ubuntu:24.04"), Family::Debian);
        assert_eq!(family("busybox"), Family::Alpine);
        assert_eq!(family("fedora:40"), Family::Rhel);
        assert_eq!(
            family("registry.access.redhat.com/ubi9/ubi-minimal:9.4"),
            Family::Unknown
        );
        assert_eq!(family("registry.access.redhat.com/ubi9:9.4"), Family::Rhel);
        assert_eq!(
            family("gcr.io/distroless/static-debian12"),
            Family::Distroless
        );
        assert_eq!(family("scratch"), Family::Unknown);
        assert_eq!(
            family("mcr.microsoft.com/windows/servercore:ltsc2022"),
            Family::Windows
        );
        assert_eq!(
            family("mcr.microsoft.com/windows/servercore:$tag"),
            Family::Windows
        );
        assert_eq!(family("my.registry:5000/team/app:1"), Family::Unknown);
        assert_eq!(family("python:${V}"), Family::Unknown);
        assert_eq!(shipped_user("node:20-alpine"), Some(("node", "1000:1000")));
        assert_eq!(
            shipped_user("gcr.io/distroless/base"),
            Some(("nonroot", "65532:65532"))
        );
        assert_eq!(shipped_user("python:3"), None);
        assert!(runs_as_non_root("gcr.io/distroless/static:nonroot"));
        assert!(!runs_as_non_root("gcr.io/distroless/static:latest"));
        assert!(drops_privileges("postgres:16"));
        assert!(!drops_privileges("python:3"));
        assert_eq!(tag("localhost:5000/a"), None);
        assert_eq!(tag("a:1@sha256:ab"), Some("1"));
    }

    #[test]
    fn defaults_of_known_images() {
        assert_eq!(default_workdir("scratch"), Some("/"));
        assert_eq!(
            default_workdir("docker.io/library/debian:12-slim"),
            Some("/")
        );
        assert_eq!(default_workdir("golang:1.23-alpine"), Some("/go"));
        assert_eq!(default_workdir("node:20"), None);
        assert_eq!(default_workdir("python:3.12-windowsservercore"), None);
        assert_eq!(default_workdir("alpine:${V}"), None);
        assert_eq!(default_env("alpine:3.20"), Some(&["PATH"][..]));
        assert_eq!(default_env("python:3.12"), None);
    }
}
