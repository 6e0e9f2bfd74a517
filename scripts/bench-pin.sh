#!/usr/bin/env bash
# Digest pinning benchmark: a real registry (Debian's docker-registry) behind
# a proxy adding 50 ms per request, 200 Dockerfiles referencing 40 images;
# dockerfix (empty and warm cache) against a loop of `skopeo inspect --raw`
# per FROM, with wall times, their ratio and request counts.
# Usage: scripts/bench-pin.sh
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/tools.sh

ensure_apt docker-registry docker-registry
ensure_apt skopeo skopeo
cargo bench --locked --bench pin
