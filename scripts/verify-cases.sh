#!/usr/bin/env bash
# The README's table of the verify cases: `dockerfix verify` over
# tests/build/ with the buildah harness, safe fixes and then unsafe ones,
# printed as Markdown rows (case, fixes, size before -> after, layers,
# packages removed, verdict, build time). Not a test: the tests assert; this measures.
#
# Usage: scripts/verify-cases.sh [--unsafe-only]
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --locked -q
bash scripts/verify-base.sh
eval "$(bash scripts/verify-base.sh --env)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
opts=(--builder buildah --build-opt=--pull=never --format json -q)
modes=(safe unsafe)
[ "${1:-}" = "--unsafe-only" ] && modes=(unsafe)
for mode in "${modes[@]}"; do
    extra=()
    [ "$mode" = unsafe ] && extra=(--unsafe-fixes)
    target/release/dockerfix verify "${opts[@]}" "${extra[@]}" -o "$work/$mode.json" tests/build/ || true
done
python3 - "$work" "${modes[@]}" <<'PY'
import json, os, sys
work, modes = sys.argv[1], sys.argv[2:]
def mb(n):
    return f"{n / 1e6:.0f} MB" if n is not None else "–"
print("| case | fixes | size before → after | layers | packages removed | verdict | builds |")
print("|---|---|---|---|---|---|---|")
for mode in modes:
    report = json.load(open(os.path.join(work, f"{mode}.json")))
    for f in report["files"]:
        case = os.path.basename(os.path.dirname(f["path"]))
        rules = ", ".join(f"`{r['rule']}`" if isinstance(r, dict) else f"`{r}`" for r in f.get("rules", [])) or "–"
        b, a = f.get("before") or {}, f.get("after") or {}
        size = f"{mb(b.get('size_bytes'))} → {mb(a.get('size_bytes'))}" if a.get("size_bytes") else mb(b.get("size_bytes"))
        layers = f"{b.get('layers', '–')} → {a.get('layers', '–')}" if a.get("layers") else "–"
        verdict = f["verdict"] + (f" (`{f['culprit']}`)" if f.get("culprit") else "")
        build = f["timings"]["build_ms"] / 1000 if f.get("timings") else 0
        removed = len((f.get("diff") or {}).get("packages_removed") or []) if f.get("diff") else "–"
        print(f"| {case} ({mode}) | {rules} | {size} | {layers} | {removed} | {verdict} | {build:.0f} s |")
PY
