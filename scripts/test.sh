#!/usr/bin/env bash
# Runs the whole test suite, installing what it needs when it is missing.
# Usage: scripts/test.sh [extra cargo test arguments]
set -euo pipefail
cd "$(dirname "$0")/.."

need() { command -v "$1" >/dev/null 2>&1; }

# System tools the tests use: setpriv (util-linux) drops root for the
# permission test; the registry tests run Debian's docker-registry and
# compare digests with skopeo.
missing=()
need setpriv || missing+=(util-linux)
need docker-registry || missing+=(docker-registry)
need skopeo || missing+=(skopeo)
# The verify tests build images: buildah and podman (vfs storage under
# target/verify), a Docker daemon (docker.io) and mmdebstrap for the base.
need buildah || missing+=(buildah)
need podman || missing+=(podman)
need mmdebstrap || missing+=(mmdebstrap)
need dockerd || missing+=(docker.io)
# rpm: rpmbuild and rpm make the rpm database verify's reader is checked on.
need rpmbuild || missing+=(rpm)
if ((${#missing[@]})); then
    echo "installing: ${missing[*]}" >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# Microsoft's SARIF validator (npm), for tests/formats.rs.
. scripts/tools.sh
ensure_sarif_multitool

corpus="${DOCKERFIX_CORPUS:-../shared/corpus/files}"
if [ ! -d "$corpus" ]; then
    echo "note: no corpus at $corpus; the corpus test will say it skipped" >&2
fi

# The base image of the verify tests, made once and kept under target/verify.
bash scripts/verify-base.sh
# --nocapture on the corpus test prints its counts; the rest runs as usual.
cargo test --locked --all-targets "$@"
# The hooks of .pre-commit-hooks.yaml with the real pre-commit (PyPI).
bash scripts/test-pre-commit.sh
cargo test --locked --test corpus -- --nocapture 2>&1 | grep -E '^(corpus|fixes applied|files fixed|SKIPPED)' || true
