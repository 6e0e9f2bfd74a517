//! Real registries for tests and benchmarks: Debian's `docker-registry` (the
//! CNCF distribution registry) started on 127.0.0.1 with a free port and a
//! temporary storage folder, optionally with TLS (a test CA and a leaf for
//! 127.0.0.1), htpasswd Basic auth or Bearer tokens from a token service;
//! images pushed through its API; a fault-injecting proxy in front of it.
//! Nothing here mocks a registry: every answer comes from the real one.

#![allow(dead_code)]

pub mod builds;
pub mod images;
pub mod proxy;
pub mod tls;
pub mod token;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use oci_client::client::{Certificate, CertificateEncoding, ClientConfig, ClientProtocol};
use oci_client::secrets::RegistryAuth;

/// One background runtime for every server of a test binary.
pub fn runtime() -> &'static tokio::runtime::Runtime {
    static RUNTIME: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RUNTIME.get_or_init(|| {
        let _ = rustls::crypto::ring::default_provider().install_default();
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("tokio runtime")
    })
}

/// Who may pull and push.
pub enum Access {
    /// No authentication.
    Open,
    /// htpasswd (bcrypt) Basic authentication for one user.
    Basic { user: String, password: String },
    /// Bearer tokens from a token service; anonymous users may pull.
    Token(token::TokenServer),
}

/// A running `docker-registry`, stopped when dropped.
pub struct Registry {
    child: Child,
    dir: tempfile::TempDir,
    /// `127.0.0.1:PORT`.
    pub addr: String,
    /// The CA that signed the registry's certificate, when it serves TLS.
    pub ca: Option<PathBuf>,
    pub access: Access,
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// Fails with the command that installs what is missing; never skips.
pub fn require_tool(tool: &str, package: &str) {
    let found = Command::new("sh")
        .arg("-c")
        .arg(format!("command -v {tool}"))
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    assert!(
        found,
        "`{tool}` is missing: run scripts/test.sh (it installs it) or `apt-get install -y {package}`"
    );
}

impl Registry {
    /// A plain-HTTP registry without authentication.
    pub fn open() -> Self {
        Self::start(false, Access::Open)
    }

    pub fn start(tls: bool, access: Access) -> Self {
        require_tool("docker-registry", "docker-registry");
        let dir = tempfile::tempdir().expect("temp dir");
        let ca = tls.then(|| tls::write_ca_and_leaf(dir.path()));
        let client = http_client(ca.as_deref());
        let scheme = if tls { "https" } else { "http" };
        let mut last_log = String::new();
        // The free port may be taken between finding and binding it.
        for _ in 0..5 {
            let addr = format!("127.0.0.1:{}", free_port());
            let config_path = dir.path().join("config.yml");
            std::fs::write(&config_path, config_yaml(dir.path(), &addr, tls, &access))
                .expect("write config");
            let log_path = dir.path().join("registry.log");
            let log = std::fs::File::create(&log_path).expect("log file");
            let mut child = Command::new("docker-registry")
                .arg("serve")
                .arg(&config_path)
                .stdout(log.try_clone().expect("log"))
                .stderr(log)
                .spawn()
                .expect("start docker-registry");
            let url = format!("{scheme}://{addr}/v2/");
            if wait_ready(&mut child, &client, &url, Duration::from_secs(10)) {
                return Registry {
                    child,
                    dir,
                    addr,
                    ca,
                    access,
                };
            }
            let _ = child.kill();
            let _ = child.wait();
            last_log = std::fs::read_to_string(&log_path).unwrap_or_default();
        }
        panic!("docker-registry did not start: {last_log}");
    }

    fn scheme(&self) -> &'static str {
        if self.ca.is_some() { "https" } else { "http" }
    }

    /// A plain reqwest client that trusts this registry's CA.
    pub fn http_client(&self) -> reqwest::Client {
        http_client(self.ca.as_deref())
    }

    /// An oci-client for pushing, with the registry's CA.
    pub fn oci_client(&self) -> oci_client::Client {
        let _ = rustls::crypto::ring::default_provider().install_default();
        let mut config = ClientConfig {
            protocol: if self.ca.is_some() {
                ClientProtocol::Https
            } else {
                ClientProtocol::Http
            },
            ..ClientConfig::default()
        };
        if let Some(ca) = &self.ca {
            config.extra_root_certificates.push(Certificate {
                encoding: CertificateEncoding::Pem,
                data: std::fs::read(ca).unwrap(),
            });
        }
        oci_client::Client::new(config)
    }

    /// The credentials that may push.
    pub fn push_auth(&self) -> RegistryAuth {
        match &self.access {
            Access::Open => RegistryAuth::Anonymous,
            Access::Basic { user, password } => RegistryAuth::Basic(user.clone(), password.clone()),
            Access::Token(server) => {
                RegistryAuth::Basic(server.user.clone(), server.password.clone())
            }
        }
    }

    /// The registry's log (for failure messages).
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("registry.log")).unwrap_or_default()
    }

    pub fn dir(&self) -> &Path {
        self.dir.path()
    }
}

impl Drop for Registry {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `GET /v2/` answers 200 or 401 before `limit`, and the child still runs.
fn wait_ready(child: &mut Child, client: &reqwest::Client, url: &str, limit: Duration) -> bool {
    let start = Instant::now();
    while start.elapsed() < limit {
        if let Ok(Some(_)) = child.try_wait() {
            return false;
        }
        let status = runtime().block_on(async {
            client
                .get(url)
                .timeout(Duration::from_secs(1))
                .send()
                .await
                .map(|r| r.status().as_u16())
        });
        if matches!(status, Ok(200 | 401)) {
            return true;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    false
}

/// A reqwest client without proxies that trusts `ca` too.
pub fn http_client(ca: Option<&Path>) -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let mut builder = reqwest::Client::builder().no_proxy();
    if let Some(ca) = ca {
        let pem = std::fs::read(ca).expect("CA file");
        builder =
            builder.tls_certs_merge(reqwest::Certificate::from_pem_bundle(&pem).expect("PEM"));
    }
    builder.build().expect("reqwest client")
}

fn config_yaml(dir: &Path, addr: &str, tls: bool, access: &Access) -> String {
    let mut yaml = format!(
        "version: 0.1\n\
         log:\n  level: warn\n  accesslog:\n    disabled: true\n\
         storage:\n  filesystem:\n    rootdirectory: {}\n  delete:\n    enabled: true\n\
         http:\n  addr: {addr}\n",
        dir.join("data").display()
    );
    if tls {
        yaml.push_str(&format!(
            "  tls:\n    certificate: {}\n    key: {}\n",
            dir.join("leaf.pem").display(),
            dir.join("leaf.key").display()
        ));
    }
    match access {
        Access::Open => {}
        Access::Basic { user, password } => {
            let hash = bcrypt::hash(password, 5).expect("bcrypt");
            let path = dir.join("htpasswd");
            std::fs::write(&path, format!("{user}:{hash}\n")).expect("htpasswd");
            yaml.push_str(&format!(
                "auth:\n  htpasswd:\n    realm: test-registry\n    path: {}\n",
                path.display()
            ));
        }
        Access::Token(server) => {
            yaml.push_str(&format!(
                "auth:\n  token:\n    realm: http://{}/token\n    service: {}\n    issuer: {}\n    rootcertbundle: {}\n",
                server.addr,
                token::SERVICE,
                token::ISSUER,
                server.cert_path.display()
            ));
        }
    }
    yaml
}

/// sha256 of the manifest the registry serves for `digest`, and its type:
/// the check every pinned digest must pass.
pub fn fetch_by_digest(registry: &Registry, repository: &str, digest: &str) -> (String, String) {
    let url = format!(
        "{}://{}/v2/{repository}/manifests/{digest}",
        registry.scheme(),
        registry.addr
    );
    let client = registry.http_client();
    let auth = registry.push_auth();
    runtime().block_on(async {
        let mut request = client.get(&url).header("Accept", images::ACCEPT_ALL);
        if let RegistryAuth::Basic(user, password) = &auth
            && matches!(registry.access, Access::Basic { .. })
        {
            request = request.basic_auth(user, Some(password));
        }
        if let Access::Token(server) = &registry.access {
            request = request.bearer_auth(server.token_for(repository));
        }
        let response = request.send().await.expect("GET manifest by digest");
        assert_eq!(response.status(), 200, "GET {url}");
        let media_type = response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned();
        let body = response.bytes().await.expect("manifest bytes");
        (
            dockerfix::registry::Digest::sha256_of(&body).to_string(),
            media_type,
        )
    })
}
