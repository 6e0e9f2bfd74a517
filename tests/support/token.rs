//! A token service as Docker Hub runs one: `GET /token?service=…&scope=…`
//! answers a JWT (ES256, the signing certificate in `x5c`) that grants
//! pull to anyone and pull+push to one user with a password.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use http_body_util::Full;
use hyper::body::{Bytes, Incoming};
use hyper::{Request, Response};
use ring::rand::SystemRandom;
use ring::signature::{ECDSA_P256_SHA256_FIXED_SIGNING, EcdsaKeyPair};

use super::runtime;

pub const SERVICE: &str = "test-registry";
pub const ISSUER: &str = "test-issuer";

struct Signer {
    key: EcdsaKeyPair,
    cert_der_base64: String,
    user: String,
    password: String,
    requests: AtomicUsize,
}

pub struct TokenServer {
    /// `127.0.0.1:PORT`.
    pub addr: String,
    /// The signing certificate (the registry's `rootcertbundle`).
    pub cert_path: PathBuf,
    pub user: String,
    pub password: String,
    signer: Arc<Signer>,
    _dir: tempfile::TempDir,
    task: tokio::task::JoinHandle<()>,
}

impl TokenServer {
    pub fn start(user: &str, password: &str) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let key_pair =
            rcgen::KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256).expect("token key");
        let mut params =
            rcgen::CertificateParams::new(Vec::<String>::new()).expect("token cert params");
        params
            .distinguished_name
            .push(rcgen::DnType::CommonName, "token signer");
        let cert = params.self_signed(&key_pair).expect("token certificate");
        let cert_path = dir.path().join("token.pem");
        std::fs::write(&cert_path, cert.pem()).expect("write token.pem");
        let key = EcdsaKeyPair::from_pkcs8(
            &ECDSA_P256_SHA256_FIXED_SIGNING,
            &key_pair.serialize_der(),
            &SystemRandom::new(),
        )
        .expect("ring key");
        let signer = Arc::new(Signer {
            key,
            cert_der_base64: STANDARD.encode(cert.der()),
            user: user.to_owned(),
            password: password.to_owned(),
            requests: AtomicUsize::new(0),
        });
        let listener = runtime()
            .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
            .expect("bind token server");
        let addr = listener.local_addr().expect("address").to_string();
        let serving = signer.clone();
        let task = runtime().spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    continue;
                };
                let signer = serving.clone();
                tokio::spawn(async move {
                    let service = hyper::service::service_fn(move |request| {
                        let signer = signer.clone();
                        async move { Ok::<_, std::convert::Infallible>(answer(&signer, &request)) }
                    });
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(hyper_util::rt::TokioIo::new(stream), service)
                        .await;
                });
            }
        });
        Self {
            addr,
            cert_path,
            user: user.to_owned(),
            password: password.to_owned(),
            signer,
            _dir: dir,
            task,
        }
    }

    /// Tokens handed out so far.
    pub fn requests(&self) -> usize {
        self.signer.requests.load(Ordering::Relaxed)
    }

    /// A pull token for `repository` (for checks made by the tests).
    pub fn token_for(&self, repository: &str) -> String {
        self.signer.token(&self.user, repository, &["pull"])
    }
}

impl Drop for TokenServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

fn answer(signer: &Signer, request: &Request<Incoming>) -> Response<Full<Bytes>> {
    signer.requests.fetch_add(1, Ordering::Relaxed);
    let query: HashMap<String, Vec<String>> = request
        .uri()
        .query()
        .unwrap_or("")
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .fold(HashMap::new(), |mut map, (k, v)| {
            let v = percent_decode(v);
            map.entry(k.to_owned()).or_insert_with(Vec::new).push(v);
            map
        });
    let user = match request.headers().get("authorization") {
        None => None,
        Some(value) => {
            let decoded = value
                .to_str()
                .ok()
                .and_then(|v| v.strip_prefix("Basic "))
                .and_then(|b| STANDARD.decode(b).ok())
                .and_then(|b| String::from_utf8(b).ok());
            match decoded.and_then(|d| d.split_once(':').map(|(u, p)| (u.to_owned(), p.to_owned())))
            {
                Some((user, password)) if user == signer.user && password == signer.password => {
                    Some(user)
                }
                _ => {
                    return Response::builder()
                        .status(401)
                        .body(Full::new(Bytes::from_static(
                            b"{\"details\":\"bad credentials\"}",
                        )))
                        .unwrap();
                }
            }
        }
    };
    let scope = query
        .get("scope")
        .and_then(|s| s.first())
        .cloned()
        .unwrap_or_default();
    // repository:NAME:pull,push
    let mut parts = scope.splitn(2, ':');
    let (kind, rest) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    let (name, actions) = rest.rsplit_once(':').unwrap_or(("", ""));
    let allowed: Vec<&str> = actions
        .split(',')
        .filter(|a| *a == "pull" || (*a == "push" && user.is_some()))
        .collect();
    let token = if kind == "repository" && !name.is_empty() {
        signer.token(user.as_deref().unwrap_or(""), name, &allowed)
    } else {
        signer.token(user.as_deref().unwrap_or(""), "", &[])
    };
    let body = format!("{{\"token\":\"{token}\",\"access_token\":\"{token}\",\"expires_in\":300}}");
    Response::builder()
        .header("content-type", "application/json")
        .body(Full::new(Bytes::from(body)))
        .unwrap()
}

impl Signer {
    fn token(&self, subject: &str, repository: &str, actions: &[&str]) -> String {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs();
        let header = format!(
            r#"{{"alg":"ES256","typ":"JWT","x5c":["{}"]}}"#,
            self.cert_der_base64
        );
        let access = if repository.is_empty() {
            "[]".to_owned()
        } else {
            let actions: Vec<String> = actions.iter().map(|a| format!("\"{a}\"")).collect();
            format!(
                r#"[{{"type":"repository","name":"{repository}","actions":[{}]}}]"#,
                actions.join(",")
            )
        };
        let claims = format!(
            r#"{{"iss":"{ISSUER}","sub":"{subject}","aud":"{SERVICE}","exp":{},"nbf":{},"iat":{now},"jti":"{}","access":{access}}}"#,
            now + 300,
            now - 10,
            fastrand::u64(..)
        );
        let signing_input = format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(header),
            URL_SAFE_NO_PAD.encode(claims)
        );
        let signature = self
            .key
            .sign(&SystemRandom::new(), signing_input.as_bytes())
            .expect("sign");
        format!(
            "{signing_input}.{}",
            URL_SAFE_NO_PAD.encode(signature.as_ref())
        )
    }
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("");
                match u8::from_str_radix(hex, 16) {
                    Ok(b) => {
                        out.push(b);
                        i += 3;
                    }
                    Err(_) => {
                        out.push(b'%');
                        i += 1;
                    }
                }
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}
