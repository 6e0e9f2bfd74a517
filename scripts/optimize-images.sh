#!/usr/bin/env bash
# The images the fix --verified tests need besides the Debian base of
# scripts/verify-base.sh: a "slim" and a "full" variant of an official
# image, made locally and tagged as python:3.11-slim and python:3.11 (the
# slim one: the base and python3; the full one adds a compiler, its
# libraries and documentation). Made once in the verify storage, then
# reused: a second run takes a second.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/verify-base.sh
eval "$(bash scripts/verify-base.sh --env)"
dir=tests/optimize/images
make() {
    local name="$1" file="$2" tag="$3"
    if ! buildah inspect --type image "localhost/dockerfix-test-python:$name" >/dev/null 2>&1; then
        echo "optimize-images: building the $name image" >&2
        buildah bud --quiet --pull=never -f "$dir/$file" -t "localhost/dockerfix-test-python:$name" "$dir" >/dev/null
    fi
    buildah tag "localhost/dockerfix-test-python:$name" "docker.io/library/python:$tag"
}
make 3.11-slim slim.Dockerfile 3.11-slim
make 3.11-full full.Dockerfile 3.11
