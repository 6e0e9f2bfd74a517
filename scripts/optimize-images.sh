#!/usr/bin/env bash
# The images the fix --verified tests need besides the Debian base of
# scripts/verify-base.sh: a "slim" and a "full" variant of official
# images, made locally and tagged as python:3.11-slim and python:3.11 (the
# slim one: the base and python3; the full one adds a compiler, its
# libraries and documentation), and node:20-slim and node:20 (the base
# and Debian's nodejs and npm; the full one adds build-essential and
# python3). Made once in the verify storage, then reused: a second run
# takes a second.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/verify-base.sh
eval "$(bash scripts/verify-base.sh --env)"
dir=tests/optimize/images
make() {
    local repository="$1" name="$2" file="$3" tag="$4"
    local local_name="localhost/dockerfix-test-$repository:$name"
    if ! buildah inspect --type image "$local_name" >/dev/null 2>&1; then
        echo "optimize-images: building the $repository $name image" >&2
        buildah bud --quiet --pull=never -f "$dir/$file" -t "$local_name" "$dir" >/dev/null
    fi
    buildah tag "$local_name" "docker.io/library/$repository:$tag"
}
make python 3.11-slim slim.Dockerfile 3.11-slim
make python 3.11-full full.Dockerfile 3.11
make node 20-slim node-slim.Dockerfile 20-slim
make node 20-full node-full.Dockerfile 20
