//! Authentication as `docker pull` does it: the registry's challenge
//! (`WWW-Authenticate`) says Basic or Bearer; credentials come from the
//! Docker config (`auths`, `credHelpers`, `credsStore`).

use base64::Engine as _;
use http_auth::parser::ChallengeParser;

/// What a registry asked for in its `WWW-Authenticate` header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Challenge {
    Basic,
    /// Docker's token flow: ask `realm` for a token for `service` and a scope.
    Bearer {
        realm: String,
        service: Option<String>,
        scope: Option<String>,
    },
}

/// Reads the first Bearer or Basic challenge of a `WWW-Authenticate` value.
pub fn parse_challenge(header: &str) -> Option<Challenge> {
    let mut basic = false;
    for challenge in ChallengeParser::new(header).flatten() {
        if challenge.scheme.eq_ignore_ascii_case("bearer") {
            let param = |name: &str| {
                challenge
                    .params
                    .iter()
                    .find(|(key, _)| key.eq_ignore_ascii_case(name))
                    .map(|(_, value)| value.to_unescaped())
            };
            let realm = param("realm")?;
            return Some(Challenge::Bearer {
                realm,
                service: param("service"),
                scope: param("scope"),
            });
        }
        basic |= challenge.scheme.eq_ignore_ascii_case("basic");
    }
    basic.then_some(Challenge::Basic)
}

/// A user name and password (or token) for a registry. `Debug` never shows
/// the secret.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    pub username: String,
    secret: String,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Credentials({}, <redacted>)", self.username)
    }
}

impl Credentials {
    pub fn new(username: impl Into<String>, secret: impl Into<String>) -> Self {
        Self {
            username: username.into(),
            secret: secret.into(),
        }
    }

    /// The `Authorization` value for Basic authentication, marked sensitive
    /// so that it is never logged.
    pub fn basic_header(&self) -> reqwest::header::HeaderValue {
        let encoded = base64::engine::general_purpose::STANDARD
            .encode(format!("{}:{}", self.username, self.secret));
        bearer_or_basic("Basic", &encoded)
    }
}

/// An `Authorization` header value, marked sensitive.
pub fn bearer_or_basic(scheme: &str, value: &str) -> reqwest::header::HeaderValue {
    let mut header = reqwest::header::HeaderValue::from_str(&format!("{scheme} {value}"))
        .unwrap_or_else(|_| reqwest::header::HeaderValue::from_static(""));
    header.set_sensitive(true);
    header
}

/// The credentials Docker would use for `server` (a registry as written in
/// references, such as `docker.io` or `127.0.0.1:5000`). `None` when none
/// are configured, the config cannot be read, or a helper has none: the
/// look-up then goes on anonymously, as `docker pull` does.
pub fn docker_credentials(server: &str) -> Option<Credentials> {
    match docker_credential::get_credential(server) {
        Ok(docker_credential::DockerCredential::UsernamePassword(user, secret)) => {
            Some(Credentials::new(user, secret))
        }
        // An identity token is an OAuth2 refresh token (Docker Desktop,
        // ACR): it needs a refresh-token exchange that is not implemented,
        // and must not be sent as an access token.
        Ok(docker_credential::DockerCredential::IdentityToken(_)) | Err(_) => None,
    }
}

/// The token in a token service's JSON answer (`token` or `access_token`).
pub fn token_from_answer(body: &[u8]) -> Option<String> {
    let value: serde_json::Value = serde_json::from_slice(body).ok()?;
    ["token", "access_token"]
        .iter()
        .find_map(|key| value.get(key)?.as_str())
        .filter(|token| !token.is_empty())
        .map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn challenges() {
        assert_eq!(
            parse_challenge(r#"Basic realm="test""#),
            Some(Challenge::Basic)
        );
        assert_eq!(
            parse_challenge(
                r#"Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/python:pull""#
            ),
            Some(Challenge::Bearer {
                realm: "https://auth.docker.io/token".into(),
                service: Some("registry.docker.io".into()),
                scope: Some("repository:library/python:pull".into()),
            })
        );
        assert_eq!(parse_challenge("Bearer service=\"x\""), None, "no realm");
        assert_eq!(parse_challenge("garbage"), None);
    }

    #[test]
    fn secrets_stay_hidden() {
        let credentials = Credentials::new("alice", "s3cret");
        assert!(!format!("{credentials:?}").contains("s3cret"));
        let header = credentials.basic_header();
        assert!(header.is_sensitive());
        assert!(!format!("{header:?}").contains("YWxpY2U6czNjcmV0"));
    }

    #[test]
    fn token_answers() {
        assert_eq!(
            token_from_answer(br#"{"token":"t1"}"#).as_deref(),
            Some("t1")
        );
        assert_eq!(
            token_from_answer(br#"{"access_token":"t2","expires_in":300}"#).as_deref(),
            Some("t2")
        );
        assert_eq!(token_from_answer(br#"{"token":""}"#), None);
        assert_eq!(token_from_answer(b"not json"), None);
    }
}
