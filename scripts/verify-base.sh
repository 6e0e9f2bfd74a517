#!/usr/bin/env bash
# The build harness of the verify tests: buildah with its own storage under
# target/verify/, and a Debian bookworm base image made locally with
# mmdebstrap (from the machine's configured Debian mirror), tagged as the
# names the cases under tests/build/ use. Made once, then reused: a second
# run takes a second.
#
# Usage: scripts/verify-base.sh [--env]
#   --env  print the environment a verify run needs (`eval "$(… --env)"`)
# Environment: DOCKERFIX_VERIFY_DIR (default target/verify).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/tools.sh

dir="${DOCKERFIX_VERIFY_DIR:-$PWD/target/verify}"
mkdir -p "$dir"
dir="$(cd "$dir" && pwd)"
conf="$dir/storage.conf"
tar="$dir/debian-bookworm-minbase.tar"
base="localhost/dockerfix-base:bookworm"
names=(
    docker.io/library/debian:bookworm-slim
    docker.io/library/debian:bookworm
    docker.io/library/debian:12-slim
    docker.io/library/debian:12
)

env_lines() {
    # vfs works everywhere (no overlay mounts in containers); chroot
    # isolation works without cgroup delegation.
    echo "export CONTAINERS_STORAGE_CONF='$conf'"
    echo "export BUILDAH_ISOLATION=chroot"
}
if [ "${1:-}" = "--env" ]; then
    env_lines
    exit 0
fi

ensure_apt buildah buildah
ensure_apt mmdebstrap mmdebstrap
cat >"$conf" <<EOF
[storage]
driver = "vfs"
graphroot = "$dir/storage"
runroot = "$dir/run"
EOF
eval "$(env_lines)"

# A folder left by an older version of this script (mmdebstrap guesses the
# format from the name, and `.part` made it a folder) is made again.
[ -d "$tar" ] && rm -rf "$tar"
if [ ! -s "$tar" ]; then
    echo "verify-base: making a Debian bookworm base image with mmdebstrap (about 30 s)" >&2
    rm -rf "$tar.part"
    mmdebstrap --quiet --variant=minbase --mode=unshare --format=tar bookworm "$tar.part"
    mv "$tar.part" "$tar"
fi
# The tar stays: the Docker daemon tests import it too.
if buildah inspect --type image "$base" >/dev/null 2>&1; then
    # Tags can go (a test removes what it made); put them back.
    buildah tag "$base" "${names[@]}"
    exit 0
fi
echo "verify-base: importing the base image into buildah" >&2
container="$(buildah from scratch)"
buildah add --quiet "$container" "$tar" / >/dev/null
buildah config --cmd /bin/bash "$container"
buildah commit --quiet "$container" "$base" >/dev/null
buildah rm "$container" >/dev/null
buildah tag "$base" "${names[@]}"
