#!/usr/bin/env bash
# Runs the cargo-fuzz targets (nightly), seeded from the shared corpus.
# An input that runs longer than 10 s counts as a crash (a hang).
# Usage: scripts/fuzz.sh [seconds per target, default 600] [target...]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-600}"
shift || true
targets=("$@")
((${#targets[@]})) || targets=(parse_fix structured)

command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
corpus="${DOCKERFIX_CORPUS:-../shared/corpus/files}"
for target in "${targets[@]}"; do
    mkdir -p "fuzz/corpus/$target"
    if [ "$target" = parse_fix ] && [ -d "$corpus" ]; then
        cp -n "$corpus"/* "fuzz/corpus/$target/" 2>/dev/null || true
    fi
    echo "== $target: $seconds s"
    cargo +nightly fuzz run "$target" "fuzz/corpus/$target" -- \
        -max_total_time="$seconds" -max_len=65536 -timeout=10 -print_final_stats=1 2>&1 |
        grep -E '^(stat::|Done|==|SUMMARY|artifact_prefix|Test unit|thread)|panicked|ALARM|timeout' || true
done
