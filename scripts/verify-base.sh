#!/usr/bin/env bash
# The build harness of the verify tests: buildah with its own storage under
# target/verify/, and a Debian bookworm base image made locally with
# mmdebstrap (from the machine's configured Debian mirror), tagged as the
# names the cases under tests/build/ use. Made once, then reused: a second
# run takes a second.
#
# Usage: scripts/verify-base.sh [--env]
#   --env  print the environment a verify run needs (`eval "$(… --env)"`)
# Environment: DOCKERFIX_VERIFY_DIR (default target/verify);
#   DOCKERFIX_STORAGE_DRIVER=overlay|vfs (default: overlay where the kernel
#   mounts an overlay here, else vfs).
#
# The storage driver decides the disk a test run needs: vfs copies the
# whole file system at every step of a build, so one multi-stage Go case
# took 11.5 GB at its peak; overlay stores each step's changes only.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/tools.sh

dir="${DOCKERFIX_VERIFY_DIR:-$PWD/target/verify}"
mkdir -p "$dir"
dir="$(cd "$dir" && pwd)"
# overlay where a kernel overlay mount works here (root, not in a
# container that forbids it), vfs everywhere else.
overlay_works() {
    local probe
    probe="$(mktemp -d "$dir/.overlay-probe.XXXXXX")"
    mkdir -p "$probe"/{lower,upper,work,merged}
    local ok=1
    if mount -t overlay overlay \
        -o "lowerdir=$probe/lower,upperdir=$probe/upper,workdir=$probe/work" \
        "$probe/merged" 2>/dev/null; then
        umount "$probe/merged" && ok=0
    fi
    rm -rf "$probe"
    return $ok
}
driver="${DOCKERFIX_STORAGE_DRIVER:-}"
if [ -z "$driver" ]; then
    if [ -s "$dir/driver" ]; then
        driver="$(cat "$dir/driver")"
    elif overlay_works; then
        driver=overlay
    else
        driver=vfs
    fi
    echo "$driver" >"$dir/driver"
fi
# One storage per driver: containers/storage refuses a storage made by
# another driver.
conf="$dir/storage-$driver.conf"
tar="$dir/debian-bookworm-minbase.tar"
base="localhost/dockerfix-base:bookworm"
names=(
    docker.io/library/debian:bookworm-slim
    docker.io/library/debian:bookworm
    docker.io/library/debian:12-slim
    docker.io/library/debian:12
)

env_lines() {
    # chroot isolation works without cgroup delegation.
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
driver = "$driver"
graphroot = "$dir/storage-$driver"
runroot = "$dir/run-$driver"
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
