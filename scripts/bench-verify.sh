#!/usr/bin/env bash
# Benchmark of `dockerfix verify` (not a test): where the time of a verify
# goes, builds against dockerfix's own part (export, read, compare), cold
# (base image made from nothing) and with the base image cached; and the
# peak memory of verifying a 1 GB image (layers are streamed, not held).
#
# Usage: scripts/bench-verify.sh [CASE] (default tests/build/apt-recommends)
# Target: dockerfix's own part ≤ 20 % of the two builds; peak memory far
# below the image size.
set -euo pipefail
cd "$(dirname "$0")/.."
case_dir="${1:-tests/build/apt-recommends}"
cargo build --release --locked -q
bin="$PWD/target/release/dockerfix"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# Cold: its own storage and base image, made from nothing.
export DOCKERFIX_VERIFY_DIR="$work/cold"
start=$(date +%s.%N)
bash scripts/verify-base.sh
base_s=$(echo "$(date +%s.%N) - $start" | bc)
eval "$(bash scripts/verify-base.sh --env)"

report() { # label json
    python3 - "$1" "$2" <<'EOF'
import json, sys
label, path = sys.argv[1], sys.argv[2]
f = json.load(open(path))["files"][0]
t = f["timings"]
builds = t["build_ms"] / 1000
own = (t["export_read_ms"] + t["compare_ms"]) / 1000
total = f["duration_ms"] / 1000
print(f"{label:<24} builds {builds:6.1f} s (before {f['before']['build_ms']/1000:.1f} s, after {f['after']['build_ms']/1000:.1f} s)"
      f"  dockerfix {own:5.1f} s (export+read {t['export_read_ms']/1000:.1f} s, compare {t['compare_ms']/1000:.2f} s)"
      f"  = {100*own/builds:4.1f} % of the builds  total {total:.1f} s  [{f['verdict']}]")
EOF
}

# --no-cache: every step really runs (buildah's --layers would reuse the
# steps of the previous run and leave nothing to measure).
opts=(--builder buildah --build-opt=--pull=never --build-opt=--no-cache --unsafe-fixes --format json -q)
"$bin" verify "${opts[@]}" -o "$work/cold.json" "$case_dir" || true
echo "base image from nothing: ${base_s} s (mmdebstrap + import)"
report "cold (after the base)" "$work/cold.json"
"$bin" verify "${opts[@]}" -o "$work/warm.json" "$case_dir" || true
report "base image cached" "$work/warm.json"

# Memory: a 1 GB image (one incompressible 1 GB file) verified under
# /usr/bin/time; its peak resident memory must stay far below 1 GB.
mkdir -p "$work/big"
cat >"$work/big/Dockerfile" <<'EOF'
FROM debian:bookworm-slim
MAINTAINER bench
RUN head -c 1000000000 /dev/urandom > /big
EOF
/usr/bin/time -v "$bin" verify "${opts[@]}" -o "$work/big.json" "$work/big" 2>"$work/time.txt" || true
report "1 GB image" "$work/big.json"
python3 - "$work/big.json" <<'EOF'
import json, sys
f = json.load(open(sys.argv[1]))["files"][0]
print(f"1 GB image: size {f['after']['size_bytes']/1e9:.2f} GB")
EOF
grep -E "Maximum resident set size" "$work/time.txt" | sed 's/^\s*/1 GB image: /'
