//! Why a look-up failed, in words a user can act on. No message ever holds a
//! credential: they are built from names, hosts and status codes only.

use std::time::Duration;

/// The failure of one look-up.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ResolveError {
    #[error("tag `{tag}` not found in {repository} on {host}")]
    TagNotFound {
        host: String,
        repository: String,
        tag: String,
    },
    #[error("repository {repository} not found on {host}")]
    RepositoryNotFound { host: String, repository: String },
    #[error("{host} refused access to {repository}: {why}")]
    Unauthorized {
        host: String,
        repository: String,
        why: String,
    },
    #[error("cannot reach {host}: {detail}")]
    Network { host: String, detail: String },
    #[error("{host} did not answer in time ({detail})")]
    Timeout { host: String, detail: String },
    #[error("{host} answered {status}{after}", after = attempts_note(*attempts))]
    Server {
        host: String,
        status: u16,
        attempts: u32,
    },
    #[error(
        "{host} answered 429 Too Many Requests and asks to wait {}; gave up",
        seconds(wait)
    )]
    RateLimited { host: String, wait: Duration },
    #[error("{host} gave an invalid answer for {repository}:{tag}: {why}")]
    BadResponse {
        host: String,
        repository: String,
        tag: String,
        why: String,
    },
    #[error("not in the digest cache, and --offline forbids asking the registry")]
    NotCached,
    #[error("invalid registry setting: {0}")]
    Settings(String),
    /// The registry's own failure, after its mirrors failed too.
    #[error("{last} (its mirrors failed first: {})", mirrors.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))]
    AfterMirrors {
        last: Box<ResolveError>,
        mirrors: Vec<ResolveError>,
    },
}

fn attempts_note(attempts: u32) -> String {
    if attempts > 1 {
        format!(" (after {attempts} attempts)")
    } else {
        String::new()
    }
}

fn seconds(wait: &Duration) -> String {
    format!("{} s", wait.as_secs_f64().ceil())
}

impl ResolveError {
    /// Worth another attempt: the registry or the network may recover.
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            ResolveError::Network { .. }
                | ResolveError::Timeout { .. }
                | ResolveError::Server { .. }
                | ResolveError::RateLimited { .. }
        )
    }
}

/// Describes a failed request by its innermost cause ("Connection refused",
/// "invalid peer certificate: UnknownIssuer"), leaving out the URL.
pub fn cause(error: &reqwest::Error) -> String {
    let mut innermost: &dyn std::error::Error = error;
    while let Some(source) = innermost.source() {
        innermost = source;
    }
    let text = innermost.to_string();
    if text.contains("://") {
        // Never repeat a URL: it names where, not why.
        "request failed".to_owned()
    } else {
        text
    }
}
