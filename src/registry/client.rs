//! The registry client: one reqwest client (connections reused) for the
//! whole run; per registry host one ping (`GET /v2/`) that learns its scheme
//! and how it authenticates; then one `HEAD` per manifest, with a `GET` only
//! when the registry leaves out the digest. Retries with exponential backoff
//! and jitter on 429, 5xx, resets and timeouts, honouring `Retry-After`,
//! within a time budget per look-up.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use oci_client::manifest::{
    IMAGE_MANIFEST_LIST_MEDIA_TYPE, IMAGE_MANIFEST_MEDIA_TYPE, OCI_IMAGE_INDEX_MEDIA_TYPE,
    OCI_IMAGE_MEDIA_TYPE,
};
use reqwest::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderValue, RETRY_AFTER};
use reqwest::{RequestBuilder, Response, StatusCode};
use tokio::sync::OnceCell;

use super::Settings;
use super::auth::{Challenge, Credentials, bearer_or_basic, parse_challenge, token_from_answer};
use super::error::{ResolveError, cause};
use super::name::{Digest, ImageName};

/// The media types a tag may point to, in the order asked for. Without all
/// four a registry answers a schema1 digest, a 404 for OCI images, or one
/// platform's manifest instead of the index.
pub const MANIFEST_TYPES: [&str; 4] = [
    OCI_IMAGE_INDEX_MEDIA_TYPE,
    IMAGE_MANIFEST_LIST_MEDIA_TYPE,
    OCI_IMAGE_MEDIA_TYPE,
    IMAGE_MANIFEST_MEDIA_TYPE,
];

/// Manifests are small; registries refuse more than 4 MiB.
const MAX_MANIFEST_BYTES: usize = 4 << 20;

const DOCKER_CONTENT_DIGEST: &str = "docker-content-digest";

/// What a tag points to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved {
    pub digest: Digest,
    pub media_type: String,
}

/// A registry host as learnt from its ping.
struct Host {
    /// `host[:port]` as contacted.
    name: String,
    /// `https://host` or `http://host`.
    base: String,
    insecure: bool,
    challenge: Option<Challenge>,
    credentials: Option<Credentials>,
}

type Shared<T> = Arc<OnceCell<Result<T, ResolveError>>>;
/// An `Authorization` value (or none needed) per host and repository.
type TokenCells = HashMap<(String, String), Shared<Option<HeaderValue>>>;

pub struct Client {
    verified: reqwest::Client,
    /// For insecure registries over HTTPS: any certificate is accepted.
    unverified: reqwest::Client,
    settings: Arc<Settings>,
    hosts: Mutex<HashMap<String, Shared<Arc<Host>>>>,
    /// Bearer tokens by host and repository, fetched once each.
    tokens: Mutex<TokenCells>,
    requests: AtomicUsize,
}

impl Client {
    pub fn new(settings: Arc<Settings>) -> Result<Self, ResolveError> {
        // reqwest is built without a default crypto provider; ring is ours.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let mut extra_roots = Vec::new();
        for path in &settings.ca_files {
            let pem = std::fs::read(path).map_err(|e| {
                ResolveError::Settings(format!("cannot read {}: {e}", path.display()))
            })?;
            let certs = reqwest::Certificate::from_pem_bundle(&pem).map_err(|e| {
                ResolveError::Settings(format!("{}: not a PEM certificate: {e}", path.display()))
            })?;
            extra_roots.extend(certs);
        }
        let builder = || {
            reqwest::Client::builder()
                .user_agent(concat!("dockerfix/", env!("CARGO_PKG_VERSION")))
                .connect_timeout(settings.connect_timeout)
                .read_timeout(settings.read_timeout)
                .redirect(reqwest::redirect::Policy::limited(5))
                .tcp_nodelay(true)
                .pool_max_idle_per_host(settings.max_in_flight)
        };
        let verified = builder()
            .tls_certs_merge(extra_roots)
            .build()
            .map_err(|e| ResolveError::Settings(format!("TLS setup failed: {}", cause(&e))))?;
        let unverified = builder()
            .tls_danger_accept_invalid_certs(true)
            .build()
            .map_err(|e| ResolveError::Settings(format!("TLS setup failed: {}", cause(&e))))?;
        Ok(Self {
            verified,
            unverified,
            settings,
            hosts: Mutex::default(),
            tokens: Mutex::default(),
            requests: AtomicUsize::new(0),
        })
    }

    /// How many HTTP requests this client sent.
    pub fn requests(&self) -> usize {
        self.requests.load(Ordering::Relaxed)
    }

    /// The digest `name`'s tag points to now: asked of the registry's
    /// mirrors in order, then of the registry, as Docker's daemon does; any
    /// failure of a mirror (down, refusing, not knowing the tag) moves on to
    /// the next host, each with its own time budget. When every host
    /// failed, the error is the registry's own, with its mirrors' failures.
    pub async fn resolve(&self, name: &ImageName) -> Result<Resolved, ResolveError> {
        let mut errors = Vec::new();
        for host_name in self.settings.hosts(&name.registry) {
            let deadline = Instant::now() + self.settings.total_timeout;
            match self.resolve_on(&host_name, name, deadline).await {
                Ok(resolved) => return Ok(resolved),
                Err(error) => errors.push(error),
            }
        }
        let last = errors.pop().unwrap_or(ResolveError::Network {
            host: name.registry.clone(),
            detail: "no host to ask".into(),
        });
        if errors.is_empty() {
            return Err(last);
        }
        Err(ResolveError::AfterMirrors {
            last: Box::new(last),
            mirrors: errors,
        })
    }

    /// The digest `name`'s tag points to on one host.
    async fn resolve_on(
        &self,
        host_name: &str,
        name: &ImageName,
        deadline: Instant,
    ) -> Result<Resolved, ResolveError> {
        let host = self.host(host_name, &name.registry, deadline).await?;
        let url = format!(
            "{}/v2/{}/manifests/{}",
            host.base, name.repository, name.tag
        );
        let mut authorization = self
            .authorization(&host, &name.repository, host.challenge.as_ref(), deadline)
            .await?;
        let head = |auth: &Option<HeaderValue>| {
            let request = self.http(&host).head(&url).header(ACCEPT, accept_header());
            with_auth(request, auth)
        };
        let mut response = self
            .send(&host.name, deadline, || head(&authorization))
            .await?;
        if response.status() == StatusCode::UNAUTHORIZED {
            // The ping needed no authentication but this repository does
            // (or a token expired): answer this challenge once.
            let challenge = challenge_of(&response);
            if challenge.is_some() {
                self.forget_token(&host, &name.repository);
                authorization = self
                    .authorization(&host, &name.repository, challenge.as_ref(), deadline)
                    .await?;
                if authorization.is_some() {
                    response = self
                        .send(&host.name, deadline, || head(&authorization))
                        .await?;
                }
            }
        }
        match response.status() {
            StatusCode::OK => {}
            StatusCode::NOT_FOUND => {
                return Err(self.not_found(&host, name, &authorization, deadline).await);
            }
            status => return Err(refusal(&host, name, status, authorization.is_some())),
        }
        let content_type = media_type(&response);
        let header_digest = response
            .headers()
            .get(DOCKER_CONTENT_DIGEST)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        if let (Some(media_type), Some(digest)) = (content_type, header_digest) {
            let digest = Digest::parse(&digest).map_err(|e| bad(&host, name, e.to_string()))?;
            return Ok(Resolved { digest, media_type });
        }
        // No digest header (or no manifest type): fetch the manifest and
        // hash exactly its bytes.
        self.resolve_by_get(&host, name, &url, &authorization, deadline)
            .await
    }

    async fn resolve_by_get(
        &self,
        host: &Host,
        name: &ImageName,
        url: &str,
        authorization: &Option<HeaderValue>,
        deadline: Instant,
    ) -> Result<Resolved, ResolveError> {
        let response = self
            .send(&host.name, deadline, || {
                with_auth(
                    self.http(host).get(url).header(ACCEPT, accept_header()),
                    authorization,
                )
            })
            .await?;
        if response.status() != StatusCode::OK {
            return Err(refusal(
                host,
                name,
                response.status(),
                authorization.is_some(),
            ));
        }
        let Some(media_type) = media_type(&response) else {
            let got = response
                .headers()
                .get(CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("no content type")
                .to_owned();
            return Err(bad(host, name, format!("{got} is not a manifest type")));
        };
        let header_digest = response
            .headers()
            .get(DOCKER_CONTENT_DIGEST)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let body = read_limited(response, MAX_MANIFEST_BYTES)
            .await
            .map_err(|why| bad(host, name, why))?;
        check_manifest(&body, &media_type).map_err(|why| bad(host, name, why))?;
        let digest = Digest::sha256_of(&body);
        if let Some(header) = header_digest
            && header.starts_with("sha256:")
            && header != digest.as_str()
        {
            return Err(bad(
                host,
                name,
                format!("the manifest's sha256 is {digest}, but the registry says {header}"),
            ));
        }
        Ok(Resolved { digest, media_type })
    }

    /// A 404 from HEAD has no body, and registries answer
    /// `MANIFEST_UNKNOWN` for unknown repositories too: the tag list tells
    /// an unknown tag (the repository lists) from an unknown repository.
    async fn not_found(
        &self,
        host: &Host,
        name: &ImageName,
        authorization: &Option<HeaderValue>,
        deadline: Instant,
    ) -> ResolveError {
        let url = format!("{}/v2/{}/tags/list?n=1", host.base, name.repository);
        let repository_unknown = match self
            .send(&host.name, deadline, || {
                with_auth(self.http(host).get(&url), authorization)
            })
            .await
        {
            Ok(response) if response.status() == StatusCode::NOT_FOUND => {
                let body = read_limited(response, 64 << 10).await.unwrap_or_default();
                let body = String::from_utf8_lossy(&body);
                body.contains("NAME_UNKNOWN") || !body.contains("MANIFEST_UNKNOWN")
            }
            _ => false,
        };
        if repository_unknown {
            return ResolveError::RepositoryNotFound {
                host: host.name.clone(),
                repository: name.repository.clone(),
            };
        }
        ResolveError::TagNotFound {
            host: host.name.clone(),
            repository: name.repository.clone(),
            tag: name.tag.clone(),
        }
    }

    fn http(&self, host: &Host) -> &reqwest::Client {
        if host.insecure {
            &self.unverified
        } else {
            &self.verified
        }
    }

    /// The host's ping result, learnt once per run.
    async fn host(
        &self,
        host_name: &str,
        registry: &str,
        deadline: Instant,
    ) -> Result<Arc<Host>, ResolveError> {
        let cell = {
            let mut hosts = self.hosts.lock().unwrap_or_else(|e| e.into_inner());
            hosts.entry(host_name.to_owned()).or_default().clone()
        };
        cell.get_or_init(|| self.ping(host_name, registry, deadline))
            .await
            .clone()
    }

    async fn ping(
        &self,
        host_name: &str,
        registry: &str,
        deadline: Instant,
    ) -> Result<Arc<Host>, ResolveError> {
        let insecure = self.settings.is_insecure(host_name) || self.settings.is_insecure(registry);
        // An insecure registry is tried over HTTPS without verification
        // first, then over plain HTTP, as Docker does.
        let schemes: &[&str] = if insecure {
            &["https", "http"]
        } else {
            &["https"]
        };
        let mut last_error = None;
        for scheme in schemes {
            let base = format!("{scheme}://{host_name}");
            let client = if insecure {
                &self.unverified
            } else {
                &self.verified
            };
            let url = format!("{base}/v2/");
            // Over HTTPS to a plain-HTTP registry a retry cannot help.
            let attempts = if *scheme == "https" && insecure {
                1
            } else {
                self.settings.attempts
            };
            match self
                .send_tries(host_name, deadline, attempts, || client.get(&url))
                .await
            {
                Ok(response) => {
                    let challenge = if response.status() == StatusCode::UNAUTHORIZED {
                        challenge_of(&response)
                    } else {
                        None
                    };
                    let credentials = match challenge {
                        Some(_) => self.credentials(host_name, registry).await,
                        None => None,
                    };
                    return Ok(Arc::new(Host {
                        name: host_name.to_owned(),
                        base,
                        insecure,
                        challenge,
                        credentials,
                    }));
                }
                Err(error @ (ResolveError::Network { .. } | ResolveError::Timeout { .. })) => {
                    last_error = Some(error);
                }
                Err(error) => return Err(error),
            }
        }
        Err(last_error.unwrap_or(ResolveError::Network {
            host: host_name.to_owned(),
            detail: "no scheme to try".into(),
        }))
    }

    /// Credentials from the Docker config for the host contacted (a mirror
    /// has its own), else for the registry as written in references.
    async fn credentials(&self, host_name: &str, registry: &str) -> Option<Credentials> {
        let servers = [host_name.to_owned(), registry.to_owned()];
        tokio::task::spawn_blocking(move || {
            servers
                .iter()
                .find_map(|server| super::auth::docker_credentials(server))
        })
        .await
        .ok()
        .flatten()
    }

    /// The `Authorization` header for a repository on `host`, answering
    /// `challenge`: Basic with the configured credentials, or a Bearer token
    /// from the token service (fetched once per repository).
    async fn authorization(
        &self,
        host: &Host,
        repository: &str,
        challenge: Option<&Challenge>,
        deadline: Instant,
    ) -> Result<Option<HeaderValue>, ResolveError> {
        match challenge {
            None => Ok(None),
            Some(Challenge::Basic) => Ok(host.credentials.as_ref().map(Credentials::basic_header)),
            Some(Challenge::Bearer { realm, service, .. }) => {
                let cell = {
                    let mut tokens = self.tokens.lock().unwrap_or_else(|e| e.into_inner());
                    tokens
                        .entry((host.name.clone(), repository.to_owned()))
                        .or_default()
                        .clone()
                };
                cell.get_or_init(|| {
                    self.fetch_token(host, repository, realm, service.as_deref(), deadline)
                })
                .await
                .clone()
            }
        }
    }

    fn forget_token(&self, host: &Host, repository: &str) {
        let mut tokens = self.tokens.lock().unwrap_or_else(|e| e.into_inner());
        tokens.remove(&(host.name.clone(), repository.to_owned()));
    }

    async fn fetch_token(
        &self,
        host: &Host,
        repository: &str,
        realm: &str,
        service: Option<&str>,
        deadline: Instant,
    ) -> Result<Option<HeaderValue>, ResolveError> {
        let scope = format!("repository:{repository}:pull");
        let mut query = vec![("scope", scope.as_str())];
        if let Some(service) = service {
            query.push(("service", service));
        }
        let mut url = reqwest::Url::parse(realm).map_err(|_| ResolveError::BadResponse {
            host: host.name.clone(),
            repository: repository.to_owned(),
            tag: String::new(),
            why: "the token service address in its challenge is not a URL".into(),
        })?;
        url.query_pairs_mut().extend_pairs(&query);
        let realm_host = url.host_str().unwrap_or("the token service").to_owned();
        let response = self
            .send(&realm_host, deadline, || {
                let request = self.http(host).get(url.clone());
                match &host.credentials {
                    Some(credentials) => request.header(AUTHORIZATION, credentials.basic_header()),
                    None => request,
                }
            })
            .await?;
        let status = response.status();
        if status == StatusCode::UNAUTHORIZED || status == StatusCode::FORBIDDEN {
            return Err(ResolveError::Unauthorized {
                host: host.name.clone(),
                repository: repository.to_owned(),
                why: match host.credentials {
                    Some(_) => format!(
                        "its token service refused the credentials configured for {} ({status})",
                        host.name
                    ),
                    None => format!(
                        "its token service wants credentials; none are configured (docker login {})",
                        host.name
                    ),
                },
            });
        }
        if !status.is_success() {
            return Err(ResolveError::Server {
                host: realm_host,
                status: status.as_u16(),
                attempts: 1,
            });
        }
        let body = read_limited(response, 1 << 20).await.unwrap_or_default();
        let token = token_from_answer(&body).ok_or_else(|| ResolveError::BadResponse {
            host: realm_host,
            repository: repository.to_owned(),
            tag: String::new(),
            why: "the token service's answer has no token".into(),
        })?;
        Ok(Some(bearer_or_basic("Bearer", &token)))
    }

    /// Sends a request, retrying transient failures: connection errors,
    /// timeouts, 429 and 5xx. Waits with exponential backoff and jitter, or
    /// as long as `Retry-After` says, while the deadline allows. Any other
    /// answer is returned for the caller to judge.
    async fn send(
        &self,
        host: &str,
        deadline: Instant,
        request: impl Fn() -> RequestBuilder,
    ) -> Result<Response, ResolveError> {
        self.send_tries(host, deadline, self.settings.attempts, request)
            .await
    }

    /// [`Self::send`] with at most `attempts` attempts.
    async fn send_tries(
        &self,
        host: &str,
        deadline: Instant,
        attempts: u32,
        request: impl Fn() -> RequestBuilder,
    ) -> Result<Response, ResolveError> {
        let mut attempt = 0;
        loop {
            attempt += 1;
            self.requests.fetch_add(1, Ordering::Relaxed);
            let (error, asked_wait) = match request().send().await {
                Ok(response) if !is_transient_status(response.status()) => return Ok(response),
                Ok(response) => {
                    let wait = retry_after(&response);
                    let status = response.status();
                    let error = if status == StatusCode::TOO_MANY_REQUESTS {
                        ResolveError::RateLimited {
                            host: host.to_owned(),
                            wait: wait.unwrap_or_default(),
                        }
                    } else {
                        ResolveError::Server {
                            host: host.to_owned(),
                            status: status.as_u16(),
                            attempts: attempt,
                        }
                    };
                    (error, wait)
                }
                Err(error) => {
                    let detail = cause(&error);
                    let error = if error.is_timeout() {
                        ResolveError::Timeout {
                            host: host.to_owned(),
                            detail,
                        }
                    } else {
                        ResolveError::Network {
                            host: host.to_owned(),
                            detail,
                        }
                    };
                    (error, None)
                }
            };
            if attempt >= attempts || !worth_retrying(&error) {
                return Err(error);
            }
            let wait = asked_wait.unwrap_or_else(|| backoff(attempt));
            if Instant::now() + wait > deadline {
                return Err(error);
            }
            tokio::time::sleep(wait).await;
        }
    }
}

fn with_auth(request: RequestBuilder, authorization: &Option<HeaderValue>) -> RequestBuilder {
    match authorization {
        Some(value) => request.header(AUTHORIZATION, value.clone()),
        None => request,
    }
}

fn accept_header() -> HeaderValue {
    HeaderValue::from_static(
        "application/vnd.oci.image.index.v1+json, \
         application/vnd.docker.distribution.manifest.list.v2+json, \
         application/vnd.oci.image.manifest.v1+json, \
         application/vnd.docker.distribution.manifest.v2+json",
    )
}

/// The response's media type when it is one of [`MANIFEST_TYPES`].
fn media_type(response: &Response) -> Option<String> {
    let value = response.headers().get(CONTENT_TYPE)?.to_str().ok()?;
    let essence = value.split(';').next()?.trim().to_ascii_lowercase();
    MANIFEST_TYPES
        .contains(&essence.as_str())
        .then_some(essence)
}

fn challenge_of(response: &Response) -> Option<Challenge> {
    response
        .headers()
        .get_all(reqwest::header::WWW_AUTHENTICATE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(parse_challenge)
}

/// A manifest body must be JSON of schema version 2 whose `mediaType`, when
/// present, is the type the registry sent.
fn check_manifest(body: &[u8], media_type: &str) -> Result<(), String> {
    let value: serde_json::Value =
        serde_json::from_slice(body).map_err(|_| "the manifest is not JSON".to_owned())?;
    if value
        .get("schemaVersion")
        .and_then(serde_json::Value::as_u64)
        != Some(2)
    {
        return Err("the manifest is not schema version 2".into());
    }
    match value.get("mediaType").and_then(serde_json::Value::as_str) {
        Some(declared) if declared != media_type => Err(format!(
            "the manifest says it is {declared}, the registry says {media_type}"
        )),
        _ => Ok(()),
    }
}

async fn read_limited(mut response: Response, limit: usize) -> Result<Vec<u8>, String> {
    let mut body = Vec::new();
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|e| format!("reading the answer failed: {}", cause(&e)))?
    {
        if body.len() + chunk.len() > limit {
            return Err(format!("the answer is larger than {limit} bytes"));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

fn bad(host: &Host, name: &ImageName, why: String) -> ResolveError {
    ResolveError::BadResponse {
        host: host.name.clone(),
        repository: name.repository.clone(),
        tag: name.tag.clone(),
        why,
    }
}

/// The error for a final answer other than 200 or 404.
fn refusal(host: &Host, name: &ImageName, status: StatusCode, authenticated: bool) -> ResolveError {
    let unauthorized = |why: String| ResolveError::Unauthorized {
        host: host.name.clone(),
        repository: name.repository.clone(),
        why,
    };
    match status {
        StatusCode::UNAUTHORIZED if authenticated => unauthorized(format!(
            "the credentials configured for {} were rejected (401)",
            host.name
        )),
        StatusCode::UNAUTHORIZED if host.challenge.is_some() && host.credentials.is_none() => {
            unauthorized(format!(
                "it needs credentials; none are configured (docker login {})",
                host.name
            ))
        }
        StatusCode::UNAUTHORIZED => unauthorized("authentication required (401)".into()),
        StatusCode::FORBIDDEN => unauthorized("access denied (403)".into()),
        status => bad(host, name, format!("unexpected answer {status}")),
    }
}

fn is_transient_status(status: StatusCode) -> bool {
    status == StatusCode::TOO_MANY_REQUESTS || matches!(status.as_u16(), 500 | 502 | 503 | 504)
}

/// Certificate problems do not heal by retrying.
fn worth_retrying(error: &ResolveError) -> bool {
    match error {
        ResolveError::Network { detail, .. } => {
            !detail.to_ascii_lowercase().contains("certificate")
        }
        other => other.is_transient(),
    }
}

/// `Retry-After` in seconds or as an HTTP date.
fn retry_after(response: &Response) -> Option<Duration> {
    let value = response.headers().get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let when = httpdate::parse_http_date(value).ok()?;
    Some(
        when.duration_since(std::time::SystemTime::now())
            .unwrap_or_default(),
    )
}

/// 250 ms, 500 ms, 1 s, … (at most 4 s), each with jitter down to half.
fn backoff(attempt: u32) -> Duration {
    let full = Duration::from_millis(250)
        .saturating_mul(1 << attempt.saturating_sub(1).min(4))
        .min(Duration::from_secs(4));
    full.mul_f64(0.5 + fastrand::f64() * 0.5)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_and_is_bounded() {
        for attempt in 1..10 {
            let wait = backoff(attempt);
            let full =
                Duration::from_millis(250 << (attempt - 1).min(4)).min(Duration::from_secs(4));
            assert!(wait <= full && wait >= full / 2, "{attempt}: {wait:?}");
        }
    }

    #[test]
    fn manifests_are_checked() {
        let index = br#"{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[]}"#;
        assert!(check_manifest(index, OCI_IMAGE_INDEX_MEDIA_TYPE).is_ok());
        assert!(check_manifest(index, IMAGE_MANIFEST_MEDIA_TYPE).is_err());
        assert!(check_manifest(b"not json", OCI_IMAGE_INDEX_MEDIA_TYPE).is_err());
        assert!(check_manifest(br#"{"schemaVersion":1}"#, IMAGE_MANIFEST_MEDIA_TYPE).is_err());
        assert!(check_manifest(br#"{"schemaVersion":2}"#, OCI_IMAGE_MEDIA_TYPE).is_ok());
    }

    #[test]
    fn accept_lists_all_four_types() {
        let accept = accept_header();
        let accept = accept.to_str().unwrap();
        for media_type in MANIFEST_TYPES {
            assert!(accept.contains(media_type), "{media_type}");
        }
    }
}
