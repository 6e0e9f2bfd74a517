//! Digest pinning at scale, against a real registry behind a proxy that adds
//! 50 ms to every request: 200 Dockerfiles referencing 40 distinct images.
//! Measures `dockerfix fix --dry-run` (empty cache, then warm cache) against
//! what a user scripts by hand, a loop of `skopeo inspect --raw` per FROM,
//! and counts the requests each makes. Run by `scripts/bench-pin.sh`.

#[path = "../tests/support/mod.rs"]
mod support;

use std::collections::BTreeMap;
use std::process::Command;
use std::time::{Duration, Instant};

use support::images::Kind;
use support::proxy::FaultProxy;
use support::{Registry, require_tool};

const FILES: usize = 200;
const IMAGES: usize = 40;
const LATENCY: Duration = Duration::from_millis(50);

fn main() {
    // `cargo test --all-targets` runs bench binaries without `--bench`:
    // the benchmark itself only runs under `cargo bench`.
    if !std::env::args().any(|a| a == "--bench") {
        println!("pin benchmark: skipped (run scripts/bench-pin.sh)");
        return;
    }
    require_tool("docker-registry", "docker-registry");
    require_tool("skopeo", "skopeo");
    let registry = Registry::open();
    let kinds = [
        Kind::DockerList,
        Kind::OciIndex,
        Kind::DockerManifest,
        Kind::OciManifest,
    ];
    let mut digests = BTreeMap::new();
    for i in 0..IMAGES {
        let reference = format!("base{i:02}:1.{i}");
        let pushed = registry.push(&format!("library/{reference}"), kinds[i % 4], "");
        digests.insert(reference, pushed.digest);
    }
    let proxy = FaultProxy::start(&registry.addr);
    proxy.latency(LATENCY);

    let dir = tempfile::tempdir().unwrap();
    let mut froms = Vec::new();
    for k in 0..FILES {
        let reference = format!("base{:02}:1.{}", k % IMAGES, k % IMAGES);
        std::fs::write(
            dir.path().join(format!("{k:03}.Dockerfile")),
            format!("FROM {reference}\nRUN echo {k}\n"),
        )
        .unwrap();
        froms.push(reference);
    }
    let cache = dir.path().join("cache");
    let dockerfix = || {
        let mut command = Command::new(env!("CARGO_BIN_EXE_dockerfix"));
        command
            .args(["fix", "--dry-run", "--select", "pin-digest"])
            .args(["--registry-mirror", &format!("docker.io={}", proxy.addr)])
            .args(["--insecure-registry", &proxy.addr])
            .arg("--cache-dir")
            .arg(&cache)
            .arg(dir.path())
            .env("DOCKER_CONFIG", dir.path().join("docker"))
            .env("NO_COLOR", "1");
        command
    };

    println!(
        "pin-digest benchmark: {FILES} Dockerfiles, {IMAGES} distinct images, \
         +{} ms per request (proxy), registry {}",
        LATENCY.as_millis(),
        registry.addr
    );
    let (cold, cold_requests, output) = timed(&proxy, || dockerfix().output().unwrap());
    assert_eq!(
        output.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let diff = String::from_utf8(output.stdout).unwrap();
    for reference in &froms {
        let pinned = format!("+FROM {reference}@{}\n", digests[reference]);
        assert!(diff.contains(&pinned), "missing {pinned}");
    }
    let (warm, warm_requests, output) = timed(&proxy, || dockerfix().output().unwrap());
    assert_eq!(
        output.stdout,
        diff.as_bytes(),
        "the cache gives the same pins"
    );

    let (skopeo, skopeo_requests, ()) = timed(&proxy, || {
        for reference in &froms {
            let out = Command::new("skopeo")
                .args(["inspect", "--raw", "--tls-verify=false"])
                .arg(format!("docker://{}/library/{reference}", proxy.addr))
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            let digest = dockerfix::registry::Digest::sha256_of(&out.stdout);
            assert_eq!(digest.as_str(), digests[reference], "skopeo agrees");
        }
    });

    println!();
    println!("| run | wall time | registry requests |");
    println!("|---|---|---|");
    println!(
        "| dockerfix fix --dry-run, empty cache | {:.2} s | {cold_requests} |",
        cold.as_secs_f64()
    );
    println!(
        "| dockerfix fix --dry-run, warm cache | {:.3} s | {warm_requests} |",
        warm.as_secs_f64()
    );
    println!(
        "| skopeo inspect --raw, one per FROM ({FILES} calls) | {:.2} s | {skopeo_requests} |",
        skopeo.as_secs_f64()
    );
    println!();
    println!(
        "skopeo loop / dockerfix (empty cache): {:.1}x; / dockerfix (warm cache): {:.0}x",
        skopeo.as_secs_f64() / cold.as_secs_f64(),
        skopeo.as_secs_f64() / warm.as_secs_f64()
    );
}

/// Wall time of `run` and the requests the proxy saw meanwhile.
fn timed<T>(proxy: &FaultProxy, run: impl FnOnce() -> T) -> (Duration, usize, T) {
    proxy.reset_counts();
    let start = Instant::now();
    let value = run();
    (start.elapsed(), proxy.requests(), value)
}
