//! A fault-injecting HTTP proxy in front of a registry: it forwards every
//! request (repeated headers included) and counts them; faults queued for
//! requests whose path contains a pattern replace or delay the answer.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use http_body_util::{BodyExt, Full};
use hyper::body::{Bytes, Incoming};
use hyper::{Request, Response};

use super::runtime;

/// What the proxy does to one matching request.
#[derive(Debug, Clone, PartialEq)]
pub enum Fault {
    /// Forward unchanged.
    Pass,
    /// Answer this status with a registry-style error body.
    Status(u16),
    /// 429 with `Retry-After: seconds`.
    TooManyRequests(u64),
    /// Never answer.
    Hang,
    /// Close the connection without an answer.
    Reset,
    /// 200, `text/plain`, no digest, `not json`.
    Garbage,
    /// Forward after a delay.
    Delay(Duration),
}

struct State {
    target: String,
    client: reqwest::Client,
    requests: AtomicUsize,
    pattern: Mutex<String>,
    faults: Mutex<VecDeque<Fault>>,
    /// Added to every request (after any fault's own delay).
    latency: Mutex<Duration>,
    log: Mutex<Vec<String>>,
}

pub struct FaultProxy {
    /// `127.0.0.1:PORT`.
    pub addr: String,
    state: Arc<State>,
    task: tokio::task::JoinHandle<()>,
}

impl FaultProxy {
    /// A proxy to the plain-HTTP registry at `target` (`127.0.0.1:PORT`).
    pub fn start(target: &str) -> Self {
        let _ = rustls::crypto::ring::default_provider().install_default();
        let state = Arc::new(State {
            target: format!("http://{target}"),
            client: reqwest::Client::builder()
                .no_proxy()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .expect("proxy client"),
            requests: AtomicUsize::new(0),
            pattern: Mutex::new(String::new()),
            faults: Mutex::new(VecDeque::new()),
            latency: Mutex::new(Duration::ZERO),
            log: Mutex::new(Vec::new()),
        });
        let listener = runtime()
            .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
            .expect("bind proxy");
        let addr = listener.local_addr().expect("address").to_string();
        let serving = state.clone();
        let task = runtime().spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    continue;
                };
                let _ = stream.set_nodelay(true);
                let state = serving.clone();
                tokio::spawn(async move {
                    let service = hyper::service::service_fn(move |request| {
                        let state = state.clone();
                        async move { handle(&state, request).await }
                    });
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(hyper_util::rt::TokioIo::new(stream), service)
                        .await;
                });
            }
        });
        Self { addr, state, task }
    }

    /// Faults for the next requests whose path contains `pattern`, one per
    /// request, in order; then requests pass again.
    pub fn faults(&self, pattern: &str, faults: Vec<Fault>) {
        *self.state.pattern.lock().unwrap() = pattern.to_owned();
        *self.state.faults.lock().unwrap() = faults.into();
    }

    /// Latency added to every request.
    pub fn latency(&self, latency: Duration) {
        *self.state.latency.lock().unwrap() = latency;
    }

    /// Requests received so far.
    pub fn requests(&self) -> usize {
        self.state.requests.load(Ordering::SeqCst)
    }

    /// `METHOD path -> outcome`, one line per request.
    pub fn log(&self) -> Vec<String> {
        self.state.log.lock().unwrap().clone()
    }

    pub fn reset_counts(&self) {
        self.state.requests.store(0, Ordering::SeqCst);
        self.state.log.lock().unwrap().clear();
    }
}

impl Drop for FaultProxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}

fn error_body(status: u16, code: &str) -> Response<Full<Bytes>> {
    Response::builder()
        .status(status)
        .header("content-type", "application/json")
        .body(Full::new(Bytes::from(format!(
            r#"{{"errors":[{{"code":"{code}","message":"injected {status}"}}]}}"#
        ))))
        .unwrap()
}

async fn handle(
    state: &State,
    request: Request<Incoming>,
) -> Result<Response<Full<Bytes>>, std::io::Error> {
    state.requests.fetch_add(1, Ordering::SeqCst);
    let line = format!("{} {}", request.method(), request.uri().path());
    let fault = {
        let pattern = state.pattern.lock().unwrap().clone();
        if !pattern.is_empty() && request.uri().path().contains(&pattern) {
            state.faults.lock().unwrap().pop_front()
        } else {
            None
        }
    }
    .unwrap_or(Fault::Pass);
    state
        .log
        .lock()
        .unwrap()
        .push(format!("{line} -> {fault:?}"));
    let latency = *state.latency.lock().unwrap();
    if !latency.is_zero() {
        tokio::time::sleep(latency).await;
    }
    match fault {
        Fault::Pass => {}
        Fault::Status(status) => return Ok(error_body(status, "UNKNOWN")),
        Fault::TooManyRequests(seconds) => {
            let mut response = error_body(429, "TOOMANYREQUESTS");
            response
                .headers_mut()
                .insert("retry-after", seconds.to_string().parse().unwrap());
            return Ok(response);
        }
        Fault::Hang => std::future::pending::<()>().await,
        Fault::Reset => return Err(std::io::Error::other("injected reset")),
        Fault::Garbage => {
            return Ok(Response::builder()
                .status(200)
                .header("content-type", "text/plain")
                .body(Full::new(Bytes::from_static(b"not json")))
                .unwrap());
        }
        Fault::Delay(delay) => tokio::time::sleep(delay).await,
    }
    forward(state, request).await
}

async fn forward(
    state: &State,
    request: Request<Incoming>,
) -> Result<Response<Full<Bytes>>, std::io::Error> {
    let (parts, body) = request.into_parts();
    let body = body
        .collect()
        .await
        .map_err(std::io::Error::other)?
        .to_bytes();
    let path = parts.uri.path_and_query().map_or("/", |p| p.as_str());
    let mut outgoing = state
        .client
        .request(parts.method.clone(), format!("{}{path}", state.target));
    for (name, value) in &parts.headers {
        if name != "host" && name != "connection" && name != "content-length" {
            // `header` appends: repeated headers stay repeated.
            outgoing = outgoing.header(name, value);
        }
    }
    let answer = outgoing
        .body(body)
        .send()
        .await
        .map_err(std::io::Error::other)?;
    let mut response = Response::builder().status(answer.status());
    for (name, value) in answer.headers() {
        if name != "transfer-encoding" && name != "connection" {
            response = response.header(name, value);
        }
    }
    let bytes = answer.bytes().await.map_err(std::io::Error::other)?;
    Ok(response.body(Full::new(bytes)).unwrap())
}
