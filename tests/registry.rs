//! pin-digest against real registries (Debian's `docker-registry`, started
//! per test on 127.0.0.1): every digest written is checked against the bytes
//! the registry serves for it (and against skopeo), auth works without
//! leaking credentials, faults give clear errors and leave files untouched,
//! and look-ups are de-duplicated and cached.

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use base64::Engine as _;
use support::images::{Kind, Pushed};
use support::proxy::{Fault, FaultProxy};
use support::token::TokenServer;
use support::{Access, Registry, fetch_by_digest, require_tool};

/// A folder with Dockerfiles, a Docker config and a digest cache.
struct Workspace {
    dir: tempfile::TempDir,
}

impl Workspace {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("docker")).unwrap();
        Self { dir }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn write(&self, name: &str, text: &str) -> PathBuf {
        let path = self.path(name);
        std::fs::write(&path, text).unwrap();
        path
    }

    fn read(&self, name: &str) -> String {
        std::fs::read_to_string(self.path(name)).unwrap()
    }

    fn docker_config(&self, json: &str) {
        std::fs::write(self.path("docker/config.json"), json).unwrap();
    }

    /// Runs dockerfix with a private HOME, Docker config and cache.
    fn run(&self, args: &[&str]) -> (i32, String, String) {
        let out = self.command(args).output().unwrap();
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8(out.stdout).unwrap(),
            String::from_utf8(out.stderr).unwrap(),
        )
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_dockerfix"));
        command
            .args(args)
            .arg("--cache-dir")
            .arg(self.path("cache"))
            .current_dir(self.dir.path())
            .env("HOME", self.dir.path())
            .env("DOCKER_CONFIG", self.path("docker"))
            .env_remove("DOCKERFIX_CACHE_DIR")
            .env_remove("XDG_CACHE_HOME")
            .env("NO_COLOR", "1");
        for proxy in [
            "http_proxy",
            "https_proxy",
            "HTTP_PROXY",
            "HTTPS_PROXY",
            "ALL_PROXY",
        ] {
            command.env_remove(proxy);
        }
        command
    }
}

/// Options that send Docker Hub names to `host`, over plain HTTP.
fn mirror_args(host: &str) -> Vec<String> {
    vec![
        "--registry-mirror".into(),
        format!("docker.io={host}"),
        "--insecure-registry".into(),
        host.into(),
    ]
}

fn args<'a>(base: &[&'a str], extra: &'a [String]) -> Vec<&'a str> {
    base.iter()
        .copied()
        .chain(extra.iter().map(String::as_str))
        .collect()
}

/// The registry serves exactly these bytes for `digest`, of `media_type`.
fn assert_served(registry: &Registry, repository: &str, pushed: &Pushed) {
    let (sha256, media_type) = fetch_by_digest(registry, repository, &pushed.digest);
    assert_eq!(
        sha256, pushed.digest,
        "{repository}: served bytes hash to the pin"
    );
    assert_eq!(media_type, pushed.media_type, "{repository}: media type");
}

/// skopeo, an independent client, sees the same digest for the tag.
fn assert_skopeo_agrees(registry: &Registry, repository_tag: &str, digest: &str) {
    require_tool("skopeo", "skopeo");
    let out = Command::new("skopeo")
        .args(["inspect", "--raw", "--tls-verify=false"])
        .arg(format!("docker://{}/{repository_tag}", registry.addr))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        dockerfix::registry::Digest::sha256_of(&out.stdout).as_str(),
        digest,
        "skopeo's manifest of {repository_tag}"
    );
}

#[test]
fn pins_every_kind_of_reference_with_the_served_digest() {
    let registry = Registry::open();
    let python = registry.push("library/python:3.12-slim", Kind::DockerList, "");
    let alpine = registry.push("library/alpine:3.20", Kind::OciIndex, "");
    let debian = registry.push("library/debian:latest", Kind::DockerManifest, "");
    let app_oci = registry.push("myorg/app:1.0-oci", Kind::OciManifest, "");
    let app = registry.push("myorg/app:1.0", Kind::DockerManifest, "");
    let nested = registry.push("nested/deep/name:tag", Kind::OciManifest, "");
    let syntax = registry.push("docker/dockerfile:1", Kind::OciIndex, "");
    let addr = &registry.addr;

    let source = format!(
        "# syntax=docker/dockerfile:1\n\
         ARG BASE=python:3.12-slim\n\
         ARG PY=3.12\n\
         FROM ${{BASE}} AS build\n\
         COPY --from={addr}/nested/deep/name:tag /x /x\n\
         RUN --mount=type=bind,from=myorg/app:1.0-oci,target=/m true\n\
         FROM build AS test\n\
         FROM python:${{PY}}-slim AS report\n\
         FROM alpine:3.20\n\
         COPY --from=build /a /a\n\
         FROM debian\n\
         FROM {addr}/myorg/app:1.0\n"
    );
    let ws = Workspace::new();
    ws.write("Dockerfile", &source);
    let mirror = mirror_args(addr);
    let (code, _, err) = ws.run(&args(&["fix", "--pin", "--select", "pin-digest"], &mirror));
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("Resolved 7 of 7 image tags: 7 from registries"),
        "{err}"
    );
    let expected = format!(
        "# syntax=docker/dockerfile:1@{}\n\
         ARG BASE=python:3.12-slim@{}\n\
         ARG PY=3.12\n\
         FROM ${{BASE}} AS build\n\
         COPY --from={addr}/nested/deep/name:tag@{} /x /x\n\
         RUN --mount=type=bind,from=myorg/app:1.0-oci@{},target=/m true\n\
         FROM build AS test\n\
         FROM python:${{PY}}-slim AS report\n\
         FROM alpine:3.20@{}\n\
         COPY --from=build /a /a\n\
         FROM debian@{}\n\
         FROM {addr}/myorg/app:1.0@{}\n",
        syntax.digest,
        python.digest,
        nested.digest,
        app_oci.digest,
        alpine.digest,
        debian.digest,
        app.digest
    );
    assert_eq!(ws.read("Dockerfile"), expected);

    // Multi-platform tags are pinned to their index / list, not a child.
    assert_eq!(python.media_type, Kind::DockerList.media_type());
    assert!(
        !python
            .children
            .iter()
            .any(|c| expected.contains(c.as_str()))
    );
    for (repository, pushed) in [
        ("docker/dockerfile", &syntax),
        ("library/python", &python),
        ("nested/deep/name", &nested),
        ("myorg/app", &app_oci),
        ("library/alpine", &alpine),
        ("library/debian", &debian),
        ("myorg/app", &app),
    ] {
        assert_served(&registry, repository, pushed);
    }
    assert_skopeo_agrees(&registry, "library/python:3.12-slim", &python.digest);
    assert_skopeo_agrees(&registry, "library/alpine:3.20", &alpine.digest);

    // Fixed: nothing left to pin; the variable-built tag is still reported.
    let (code, out, _) = ws.run(&args(&["check", "--select", "pin-digest"], &mirror));
    assert_eq!(code, 1);
    assert_eq!(out.lines().count(), 1, "{out}");
    assert!(
        out.contains("python:${PY}-slim") && out.contains("ARG PY"),
        "{out}"
    );
    let (code, _, err) = ws.run(&args(&["fix", "--pin", "--select", "pin-digest"], &mirror));
    assert_eq!(code, 0, "{err}");
    assert_eq!(ws.read("Dockerfile"), expected, "idempotent");
}

#[test]
fn lookups_are_deduplicated_cached_and_skipped_when_nothing_needs_pinning() {
    let registry = Registry::open();
    let python = registry.push("library/python:3.12-slim", Kind::DockerList, "");
    let alpine = registry.push("library/alpine:3.20", Kind::OciIndex, "");
    let proxy = FaultProxy::start(&registry.addr);
    let mirror = mirror_args(&proxy.addr);
    let ws = Workspace::new();
    let unpinned =
        "FROM python:3.12-slim AS a\nFROM alpine:3.20\nCOPY --from=python:3.12-slim / /\n";
    for name in ["one.Dockerfile", "two.Dockerfile", "three.Dockerfile"] {
        ws.write(name, unpinned);
    }
    ws.write(
        "pinned.Dockerfile",
        &format!("FROM python:3.12-slim@{}\n", python.digest),
    );

    // check never asks; fix of pinned files has nothing to ask.
    let (code, _, _) = ws.run(&args(&["check", "."], &mirror));
    assert_eq!((code, proxy.requests()), (1, 0));
    let (code, _, err) = ws.run(&args(&["fix", "--pin", "pinned.Dockerfile"], &mirror));
    assert_eq!((code, proxy.requests()), (0, 0), "{err}");
    // Without --pin, fix stays off the network (a pre-commit hook) and
    // leaves the images as they are.
    let (code, _, err) = ws.run(&args(
        &["fix", "--dry-run", "--ignore", "non-root-user", "."],
        &mirror,
    ));
    assert_eq!((code, proxy.requests()), (0, 0), "{err}");
    assert_eq!(ws.read("one.Dockerfile"), unpinned);

    // 9 references, 2 distinct tags: one ping and one HEAD per tag.
    let (code, out, err) = ws.run(&args(&["fix", "--pin", "--dry-run", "."], &mirror));
    assert_eq!(code, 1, "{err}");
    assert_eq!(
        out.matches(&format!("+FROM python:3.12-slim@{} AS a", python.digest))
            .count(),
        3
    );
    assert_eq!(
        out.matches(&format!("+FROM alpine:3.20@{}", alpine.digest))
            .count(),
        3
    );
    let log = proxy.log();
    assert_eq!(proxy.requests(), 3, "{log:#?}");
    assert_eq!(
        log.iter().filter(|l| l.starts_with("HEAD ")).count(),
        2,
        "{log:#?}"
    );
    assert!(
        err.contains("Resolved 2 of 2 image tags: 2 from registries"),
        "{err}"
    );

    // A second run answers from the cache: no request at all.
    proxy.reset_counts();
    let (code, out2, err) = ws.run(&args(&["fix", "--pin", "--dry-run", "."], &mirror));
    assert_eq!(code, 1, "{err}");
    assert_eq!(out2, out);
    assert_eq!(proxy.requests(), 0, "{:#?}", proxy.log());
    assert!(
        err.contains("0 from registries (0 requests), 2 from the cache"),
        "{err}"
    );
}

#[test]
fn update_digests_replaces_a_moved_tag_and_nothing_else() {
    let registry = Registry::open();
    let old = registry.push("team/app:1", Kind::OciIndex, "v1");
    let other = registry.push("team/other:2", Kind::OciManifest, "");
    let addr = &registry.addr;
    let insecure = ["--insecure-registry".to_owned(), addr.clone()];
    let source = format!(
        "FROM {addr}/team/app:1@{}\nFROM {addr}/team/other:2@{}\nFROM {addr}/team/app@{}\n",
        old.digest, other.digest, old.digest
    );
    let ws = Workspace::new();
    ws.write("Dockerfile", &source);
    let new = registry.push("team/app:1", Kind::OciIndex, "v2");
    assert_ne!(new.digest, old.digest);

    let (code, _, err) = ws.run(&args(
        &["fix", "--pin", "--select", "pin-digest"],
        &insecure,
    ));
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        ws.read("Dockerfile"),
        source,
        "existing pins stay without --update-digests"
    );

    let (code, out, err) = ws.run(&args(
        &["check", "--select", "pin-digest", "--update-digests"],
        &insecure,
    ));
    assert_eq!(
        code, 0,
        "check asks no registry, so finds nothing stale: {out}{err}"
    );

    let (code, _, err) = ws.run(&args(
        &["fix", "--pin", "--select", "pin-digest", "--update-digests"],
        &insecure,
    ));
    assert_eq!(code, 0, "{err}");
    let expected = format!(
        "FROM {addr}/team/app:1@{}\nFROM {addr}/team/other:2@{}\nFROM {addr}/team/app@{}\n",
        new.digest, other.digest, old.digest
    );
    assert_eq!(
        ws.read("Dockerfile"),
        expected,
        "only the moved, tagged pin changes"
    );
    assert_served(&registry, "team/app", &new);
}

#[test]
fn offline_uses_the_cache_and_a_miss_is_an_error() {
    let registry = Registry::open();
    let python = registry.push("library/python:3.12-slim", Kind::DockerList, "");
    let mirror = mirror_args(&registry.addr);
    let ws = Workspace::new();
    let source = "FROM python:3.12-slim\nADD a.txt /a\n";
    ws.write("Dockerfile", source);

    let (code, _, err) = ws.run(&args(&["fix", "--pin", "--offline"], &mirror));
    assert_eq!(code, 2);
    assert!(
        err.contains("Dockerfile:1:6: pin-digest: cannot resolve `python:3.12-slim`")
            && err.contains("not in the digest cache"),
        "{err}"
    );
    assert_eq!(
        ws.read("Dockerfile"),
        "FROM python:3.12-slim\nCOPY a.txt /a\n",
        "the file's other fixes still apply"
    );

    let (code, _, err) = ws.run(&args(&["fix", "--pin", "--dry-run"], &mirror));
    assert_eq!(code, 1, "{err}");
    drop(registry);
    ws.write("Dockerfile", source);
    let (code, _, err) = ws.run(&args(&["fix", "--pin", "--offline"], &mirror));
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        ws.read("Dockerfile"),
        format!("FROM python:3.12-slim@{}\nCOPY a.txt /a\n", python.digest)
    );
}

#[test]
fn unknown_tags_and_repositories_are_named_and_other_fixes_apply() {
    let registry = Registry::open();
    let alpine = registry.push("library/alpine:3.20", Kind::OciIndex, "");
    registry.push("library/python:3.12-slim", Kind::DockerList, "");
    let mirror = mirror_args(&registry.addr);
    let ws = Workspace::new();
    // Named on the registry itself: a mirror that does not know a tag
    // would hand the question on to Docker Hub.
    let host = &registry.addr;
    ws.write(
        "Dockerfile",
        &format!("FROM {host}/library/python:nope AS a\nFROM {host}/nosuch/repo:1 AS b\nFROM alpine:3.20\nADD a.txt /a\n"),
    );
    let (code, _, err) = ws.run(&args(&["fix", "--pin"], &mirror));
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains(&format!(
            "Dockerfile:1:6: pin-digest: cannot resolve `{host}/library/python:nope` ({host}/library/python:nope): \
             tag `nope` not found in library/python on {host}"
        )),
        "{err}"
    );
    assert!(
        err.contains(&format!("repository nosuch/repo not found on {host}")),
        "{err}"
    );
    assert_eq!(
        ws.read("Dockerfile"),
        format!(
            "FROM {host}/library/python:nope AS a\nFROM {host}/nosuch/repo:1 AS b\nFROM alpine:3.20@{}\nCOPY a.txt /a\n",
            alpine.digest
        )
    );
}

/// A `host:port` where nothing listens (a mirror that is down).
fn closed_port() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    addr.to_string()
}

#[test]
fn mirrors_are_tried_in_order_then_the_registry() {
    let registry = Registry::open();
    let python = registry.push("library/python:3.12-slim", Kind::DockerList, "");
    let alpine = registry.push("library/alpine:3.20", Kind::OciIndex, "");
    let proxy = FaultProxy::start(&registry.addr);
    // A mirror that answers but does not have the image.
    let empty = Registry::open();
    let empty_proxy = FaultProxy::start(&empty.addr);
    let down = closed_port();
    let host = &registry.addr;
    let ws = Workspace::new();
    // Three mirrors of Docker Hub: the first down, the second without the
    // image, the third answers. Another registry's mirror given as one
    // string, down: the registry itself answers.
    ws.write(
        "dockerfix.toml",
        &format!(
            "[registry]\n\
             mirrors = {{ \"docker.io\" = [\"{down}\", \"{empty}\", \"{proxy}\"], \"{host}\" = \"{down}\" }}\n\
             insecure = [\"{down}\", \"{empty}\", \"{proxy}\", \"{host}\"]\n",
            empty = empty_proxy.addr,
            proxy = proxy.addr,
        ),
    );
    ws.write(
        "Dockerfile",
        &format!("FROM python:3.12-slim\nFROM {host}/library/alpine:3.20\n"),
    );
    let (code, _, err) = ws.run(&["fix", "--pin"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        ws.read("Dockerfile"),
        format!(
            "FROM python:3.12-slim@{}\nFROM {host}/library/alpine:3.20@{}\n",
            python.digest, alpine.digest
        )
    );
    // Docker Hub's name was asked of the second mirror, then of the third;
    // the other registry's image was not asked of them.
    let asked = |log: &[String]| {
        log.iter()
            .any(|l| l.starts_with("HEAD /v2/library/python/manifests/3.12-slim"))
    };
    assert!(asked(&empty_proxy.log()), "{:#?}", empty_proxy.log());
    let log = proxy.log();
    assert!(asked(&log), "{log:#?}");
    assert!(!log.iter().any(|l| l.contains("alpine")), "{log:#?}");

    // Every host down: the registry's error, after its mirrors'.
    let other = closed_port();
    ws.write(
        "dockerfix.toml",
        &format!("[registry]\nmirrors = {{ \"{other}\" = [\"{down}\"] }}\ninsecure = [\"{down}\", \"{other}\"]\n"),
    );
    ws.write("Dockerfile", &format!("FROM {other}/team/app:1\n"));
    let (code, _, err) = ws.run(&["fix", "--pin", "--registry-timeout", "1"]);
    assert_eq!(code, 2);
    assert!(
        err.contains(&format!("cannot reach {other}"))
            && err.contains(&format!("its mirrors failed first: cannot reach {down}")),
        "{err}"
    );
}

const USER: &str = "alice";
const PASSWORD: &str = "s3cret-Pa55";

fn auths_json(server: &str, user: &str, password: &str) -> String {
    let auth = base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"));
    format!(r#"{{"auths": {{"{server}": {{"auth": "{auth}"}}}}}}"#)
}

/// Nothing in `text` gives a password or its encodings away.
fn assert_no_secret(text: &str, password: &str, user: &str) {
    let basic = base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"));
    assert!(!text.contains(password), "password leaked: {text}");
    assert!(!text.contains(&basic), "Basic credentials leaked: {text}");
}

#[test]
fn tls_with_basic_auth_from_the_docker_config() {
    let registry = Registry::start(
        true,
        Access::Basic {
            user: USER.into(),
            password: PASSWORD.into(),
        },
    );
    let app = registry.push("team/app:1", Kind::OciIndex, "");
    let addr = registry.addr.clone();
    let ca = registry.ca.clone().unwrap();
    let ca_arg = ["--registry-ca".to_owned(), ca.display().to_string()];
    let source = format!("FROM {addr}/team/app:1\n");
    let pinned = format!("FROM {addr}/team/app:1@{}\n", app.digest);
    let ws = Workspace::new();
    ws.write("Dockerfile", &source);

    // No credentials: refused, with advice, file unchanged.
    let (code, _, err) = ws.run(&args(&["fix", "--pin"], &ca_arg));
    assert_eq!(code, 2);
    assert!(
        err.contains(&format!("{addr} refused access to team/app: it needs credentials; none are configured (docker login {addr})")),
        "{err}"
    );
    assert_eq!(ws.read("Dockerfile"), source);

    // A wrong password: rejected, and the password appears nowhere.
    ws.docker_config(&auths_json(&addr, USER, "wrong-Pa55word"));
    let (code, out, err) = ws.run(&args(&["fix", "--pin"], &ca_arg));
    assert_eq!(code, 2);
    assert!(
        err.contains("the credentials configured for") && err.contains("were rejected"),
        "{err}"
    );
    assert_no_secret(&format!("{out}{err}"), "wrong-Pa55word", USER);
    assert_eq!(ws.read("Dockerfile"), source);

    // Without the CA the certificate is not trusted.
    ws.docker_config(&auths_json(&addr, USER, PASSWORD));
    let (code, _, err) = ws.run(&["fix", "--pin"]);
    assert_eq!(code, 2);
    assert!(
        err.contains(&format!("cannot reach {addr}")) && err.contains("UnknownIssuer"),
        "{err}"
    );
    assert_eq!(ws.read("Dockerfile"), source);

    // The right password, over verified TLS.
    let (code, out, err) = ws.run(&args(&["fix", "--pin"], &ca_arg));
    assert_eq!(code, 0, "{err}");
    assert_eq!(ws.read("Dockerfile"), pinned);
    assert_no_secret(&format!("{out}{err}"), PASSWORD, USER);
    assert_served(&registry, "team/app", &app);
}

#[test]
fn credential_helpers_supply_the_password() {
    let registry = Registry::start(
        false,
        Access::Basic {
            user: USER.into(),
            password: PASSWORD.into(),
        },
    );
    let app = registry.push("team/app:1", Kind::DockerManifest, "");
    let addr = registry.addr.clone();
    let ws = Workspace::new();
    ws.write("Dockerfile", &format!("FROM {addr}/team/app:1\n"));
    let bin = ws.path("bin");
    std::fs::create_dir_all(&bin).unwrap();
    write_helper(&bin.join("docker-credential-dockerfix-test"), &addr);
    ws.docker_config(&format!(
        r#"{{"credHelpers": {{"{addr}": "dockerfix-test"}}}}"#
    ));
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let out = ws
        .command(&["fix", "--pin", "--insecure-registry", &addr])
        .env("PATH", path)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert_eq!(
        ws.read("Dockerfile"),
        format!("FROM {addr}/team/app:1@{}\n", app.digest)
    );
    assert_no_secret(&err, PASSWORD, USER);
}

/// A `docker-credential-*` helper that knows one server.
fn write_helper(path: &Path, server: &str) {
    let script = format!(
        "#!/bin/sh\n[ \"$1\" = get ] || exit 1\nread -r server\n\
         if [ \"$server\" = \"{server}\" ]; then\n\
         printf '{{\"ServerURL\":\"%s\",\"Username\":\"{USER}\",\"Secret\":\"{PASSWORD}\"}}\\n' \"$server\"\n\
         else echo 'credentials not found in native keychain'; exit 1; fi\n"
    );
    std::fs::write(path, script).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
}

#[test]
fn bearer_token_flow_fetches_one_token_per_repository() {
    let tokens = TokenServer::start("bob", "push-Pa55");
    let registry = Registry::start(false, Access::Token(tokens));
    let python = registry.push("library/python:3.12-slim", Kind::DockerList, "");
    let python3 = registry.push("library/python:3.13", Kind::OciIndex, "");
    let alpine = registry.push("library/alpine:3.20", Kind::OciIndex, "");
    let Access::Token(tokens) = &registry.access else {
        unreachable!()
    };
    let before = tokens.requests();
    let mirror = mirror_args(&registry.addr);
    let ws = Workspace::new();
    ws.write(
        "Dockerfile",
        "FROM python:3.12-slim AS a\nFROM python:3.13 AS b\nFROM alpine:3.20\n",
    );
    let (code, _, err) = ws.run(&args(&["fix", "--pin"], &mirror));
    assert_eq!(code, 0, "{err}\n{}", registry.log());
    assert_eq!(
        ws.read("Dockerfile"),
        format!(
            "FROM python:3.12-slim@{} AS a\nFROM python:3.13@{} AS b\nFROM alpine:3.20@{}\n",
            python.digest, python3.digest, alpine.digest
        )
    );
    assert_eq!(tokens.requests() - before, 2, "one token per repository");
    assert_served(&registry, "library/python", &python);
}

/// A registry behind a fault proxy, Docker Hub names sent to the proxy.
struct Faulty {
    registry: Registry,
    proxy: FaultProxy,
    python: Pushed,
    ws: Workspace,
}

/// A registry behind a proxy that injects faults. The image is named on
/// the proxy itself, not through a mirror: a failing mirror would hand the
/// question on to the registry (Docker Hub).
impl Faulty {
    fn new() -> Self {
        let registry = Registry::open();
        let python = registry.push("library/python:3.12-slim", Kind::DockerList, "");
        let proxy = FaultProxy::start(&registry.addr);
        let ws = Workspace::new();
        let f = Self {
            registry,
            proxy,
            python,
            ws,
        };
        f.ws.write("Dockerfile", &f.source());
        f
    }

    fn source(&self) -> String {
        format!("FROM {}/library/python:3.12-slim\n", self.proxy.addr)
    }

    fn fix(&self, faults: Vec<Fault>) -> (i32, String) {
        self.proxy.faults("/manifests/", faults);
        let arguments = [
            "--insecure-registry".to_owned(),
            self.proxy.addr.clone(),
            "--registry-timeout".to_owned(),
            "1".to_owned(),
        ];
        let (code, _, err) = self.ws.run(&args(&["fix", "--pin"], &arguments));
        (code, err)
    }

    fn pinned(&self) -> String {
        format!(
            "FROM {}/library/python:3.12-slim@{}\n",
            self.proxy.addr, self.python.digest
        )
    }

    fn heads(&self) -> usize {
        self.proxy
            .log()
            .iter()
            .filter(|l| l.starts_with("HEAD /v2/library/python/manifests/"))
            .count()
    }
}

#[test]
fn a_500_then_success_is_retried_and_pinned() {
    let f = Faulty::new();
    let (code, err) = f.fix(vec![Fault::Status(500)]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(f.ws.read("Dockerfile"), f.pinned());
    assert_eq!(f.heads(), 2, "{:#?}", f.proxy.log());
    assert_served(&f.registry, "library/python", &f.python);
}

#[test]
fn a_429_is_retried_after_the_time_it_asks_for() {
    let f = Faulty::new();
    let start = Instant::now();
    let (code, err) = f.fix(vec![Fault::TooManyRequests(1)]);
    assert_eq!(code, 0, "{err}");
    assert!(
        start.elapsed() >= Duration::from_secs(1),
        "Retry-After not honoured"
    );
    assert_eq!(f.ws.read("Dockerfile"), f.pinned());
    assert_eq!(f.heads(), 2);
}

#[test]
fn a_reset_connection_is_retried() {
    let f = Faulty::new();
    let (code, err) = f.fix(vec![Fault::Reset]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(f.ws.read("Dockerfile"), f.pinned());
}

#[test]
fn a_hang_beyond_the_timeout_is_an_error_and_the_file_is_untouched() {
    let f = Faulty::new();
    let before = std::fs::metadata(f.ws.path("Dockerfile"))
        .unwrap()
        .modified()
        .unwrap();
    let (code, err) = f.fix(vec![Fault::Hang; 8]);
    assert_eq!(code, 2);
    assert!(
        err.contains(&format!(
            "cannot resolve `{}/library/python:3.12-slim`",
            f.proxy.addr
        )) && err.contains("did not answer in time"),
        "{err}"
    );
    assert_eq!(f.ws.read("Dockerfile"), f.source());
    let after = std::fs::metadata(f.ws.path("Dockerfile"))
        .unwrap()
        .modified()
        .unwrap();
    assert_eq!(before, after, "not rewritten");
}

#[test]
fn a_registry_that_keeps_failing_is_named_with_its_status() {
    let f = Faulty::new();
    let (code, err) = f.fix(vec![Fault::Status(503); 8]);
    assert_eq!(code, 2);
    assert!(
        err.contains(&format!("{} answered 503 (after 4 attempts)", f.proxy.addr)),
        "{err}"
    );
    assert_eq!(f.ws.read("Dockerfile"), f.source());
}

#[test]
fn an_answer_without_a_manifest_never_becomes_a_digest() {
    let f = Faulty::new();
    let (code, err) = f.fix(vec![Fault::Garbage, Fault::Garbage]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("gave an invalid answer") && err.contains("text/plain"),
        "{err}"
    );
    assert_eq!(f.ws.read("Dockerfile"), f.source());
}
