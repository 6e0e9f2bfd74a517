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
if ((${#missing[@]})); then
    echo "installing: ${missing[*]}" >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

corpus="${DOCKERFIX_CORPUS:-../shared/corpus/files}"
if [ ! -d "$corpus" ]; then
    echo "note: no corpus at $corpus; the corpus test will say it skipped" >&2
fi

# --nocapture on the corpus test prints its counts; the rest runs as usual.
cargo test --locked --all-targets "$@"
# The hooks of .pre-commit-hooks.yaml with the real pre-commit (PyPI).
bash scripts/test-pre-commit.sh
cargo test --locked --test corpus -- --nocapture 2>&1 | grep -E '^(corpus|fixes applied|files fixed|SKIPPED)' || true
