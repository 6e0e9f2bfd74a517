#!/usr/bin/env bash
# The README's table of the verified optimizations: `dockerfix fix
# --verified --unsafe-fixes --dry-run` on each case of tests/optimize/ with
# the buildah harness and the case's smoke command, printed as Markdown
# rows (case, rule, smoke command, size before -> after, packages removed,
# verdict, time). Not a test: tests/optimize.rs asserts; this measures.
#
# Usage: scripts/optimize-cases.sh [CASE...]   (default: every case below)
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --locked -q
bash scripts/optimize-images.sh
eval "$(bash scripts/verify-base.sh --env)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# case | rules | smoke command | folders copied in (from:to under tests/optimize)
cases=(
    "slim-ok|slim-base|python3 /app/app.py|"
    "slim-rejected|slim-base|python3 /app/app.py|"
    "go|multi-stage|hello|"
    "python-cext|multi-stage|python -c 'import hello; print(hello.greet())'|"
    "python-distro|multi-stage|python3 -c 'import hello; print(hello.greet())'|python-cext/hello:hello"
    "node|multi-stage|node /app/dist/index.js|"
    "rust|multi-stage|hello|"
    "maven|multi-stage|java -jar target/hello.jar|"
)
wanted=("$@")
for entry in "${cases[@]}"; do
    IFS='|' read -r case rules smoke extra <<<"$entry"
    [ -d "tests/optimize/$case" ] || continue
    if ((${#wanted[@]})) && [[ ! " ${wanted[*]} " =~ " $case " ]]; then continue; fi
    cp -r "tests/optimize/$case" "$work/$case"
    if [ -n "$extra" ]; then cp -r "tests/optimize/${extra%%:*}" "$work/$case/${extra##*:}"; fi
    target/release/dockerfix fix --verified --unsafe-fixes --dry-run --builder buildah \
        --build-opt=--pull=never --select "$rules" --smoke "$smoke" --format json -q \
        -o "$work/$case.json" "$work/$case/Dockerfile" || true
    printf '%s\t%s\t%s\n' "$case" "$rules" "$smoke" >>"$work/list"
done
python3 - "$work" <<'PY'
import json, os, sys
work = sys.argv[1]
def mb(n):
    return f"{n / 1e6:.1f} MB"
print("| case | rule | smoke command | image before → after | packages no longer installed | verdict | time |")
print("|---|---|---|---|---|---|---|")
for line in open(os.path.join(work, "list")):
    case, rules, smoke = line.rstrip("\n").split("\t")
    outcome = json.load(open(os.path.join(work, f"{case}.json")))
    f = outcome["files"][0]
    e = f.get("evidence")
    size = removed = "–"
    if e:
        b, a = e["size_before"], e["size_after"]
        size = f"{mb(b)} → {mb(a)} ({(a - b) / b * 100:+.1f} %)".replace("-", "−")
        names = e["packages_removed"]
        removed = f"{len(names)}: " + ", ".join(names[:6]) + (", …" if len(names) > 6 else "")
    if f["proven"]:
        verdict = "kept"
    elif f["rejected"]:
        verdict = "left out: " + "; ".join(r["reason"] for r in f["rejected"]).replace("|", "\\|")
    else:
        verdict = f.get("note") or f.get("error") or "nothing to try"
    print(f"| `{case}` | `{rules}` | `{smoke}` | {size} | {removed} | {verdict} | {f['duration_ms'] / 1000:.0f} s, {f['builds']} builds |")
PY
