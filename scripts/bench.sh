#!/usr/bin/env bash
# Speed and memory of dockerfix against hadolint and `cat` on the shared
# corpus, measured in one run on this machine (hyperfine). Registry look-ups
# are not part of this benchmark.
# Usage: scripts/bench.sh            (DOCKERFIX_CORPUS overrides the corpus)
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/tools.sh
ensure_apt hyperfine hyperfine
ensure_apt /usr/bin/time time
ensure_hadolint

corpus="$(cd "${DOCKERFIX_CORPUS:-../shared/corpus/files}" && pwd)"
cargo build --release --locked -q
bin="$PWD/target/release/dockerfix"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
nfiles=$(ls "$corpus" | wc -l)
echo "corpus: $nfiles files, $(du -sh "$corpus" | cut -f1); $(nproc) cores; $("$HADOLINT" --version)"

# 1-3. The whole corpus in one process each.
hyperfine -N --style basic --warmup 3 --min-runs 20 -i --export-json "$work/corpus-fast.json" \
    -n "dockerfix check" "$bin check --color never $corpus" \
    -n "dockerfix fix --dry-run" "$bin fix --dry-run --color never $corpus" \
    -n "cat" "sh -c 'cat $corpus/* >/dev/null'" >/dev/null 2>&1
hyperfine --style basic --runs 3 -i --export-json "$work/corpus-hadolint.json" \
    -n "hadolint" "$HADOLINT --no-fail $corpus/* >/dev/null" >/dev/null 2>&1

# Single-file latency, as a pre-commit hook sees it.
one="examples/Dockerfile"
hyperfine -N --style basic --warmup 20 --min-runs 100 -i --export-json "$work/one.json" \
    -n "dockerfix check (1 file)" "$bin check $one" \
    -n "hadolint (1 file)" "$HADOLINT --no-fail $one" >/dev/null 2>&1

# Peak memory over the whole corpus.
# (dockerfix exits 1 or 2 on the corpus: findings, and files it cannot parse.)
peak_kb() { { /usr/bin/time -f %M "$@" 2>&1 >/dev/null || true; } | tail -1; }
rss_check=$(peak_kb "$bin" check "$corpus")
rss_fix=$(peak_kb "$bin" fix --dry-run --unsafe-fixes "$corpus")

# Scaling: the corpus replicated x10 and x100 (hard links), one and two threads.
for factor in 1 10 100; do
    dir="$work/x$factor"
    mkdir -p "$dir"
    for i in $(seq 1 "$factor"); do cp -al "$corpus" "$dir/copy$i"; done
    hyperfine -N --style basic --warmup 1 --runs 5 -i --export-json "$work/scale-x$factor.json" \
        -n "x$factor threads=1" "env RAYON_NUM_THREADS=1 $bin check --color never $dir" \
        -n "x$factor threads=2" "env RAYON_NUM_THREADS=2 $bin check --color never $dir" >/dev/null 2>&1
done

python3 - "$work" "$rss_check" "$rss_fix" "$nfiles" <<'PY'
import json, sys
work, rss_check, rss_fix, nfiles = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
def load(name):
    return {r["command"]: r for r in json.load(open(f"{work}/{name}.json"))["results"]}
fast, slow, one = load("corpus-fast"), load("corpus-hadolint"), load("one")
ms = lambda r, k="median": r[k] * 1000
print("\n## Whole corpus, one process (median of runs; min in brackets)")
for name, r in {**fast, **slow}.items():
    print(f"  {name:26} {ms(r):9.1f} ms  [{ms(r, 'min'):.1f}]")
had, cat = ms(slow["hadolint"]), ms(fast["cat"])
for name in ("dockerfix check", "dockerfix fix --dry-run"):
    d = ms(fast[name])
    print(f"  {name:26} {had / d:7.0f}x faster than hadolint (target >= 50x); "
          f"{d / cat:5.1f}x of cat (target <= 5x)")
print("\n## One file (examples/Dockerfile), process start included")
for name, r in one.items():
    print(f"  {name:26} {ms(r):7.2f} ms  [min {ms(r, 'min'):.2f}]  (target for dockerfix <= 5 ms)")
print(f"\n## Peak memory over the corpus: check {rss_check / 1024:.1f} MB, "
      f"fix --dry-run --unsafe-fixes {rss_fix / 1024:.1f} MB (target <= 30 MB)")
print("\n## Scaling: check over the corpus replicated (median; CPU use = (user+sys)/wall)")
base = {}
for factor in (1, 10, 100):
    for name, r in load(f"scale-x{factor}").items():
        threads = name.split("=")[1]
        wall, cpu, files = r["median"], r["user"] + r["system"], nfiles * factor
        base.setdefault(threads, (files, wall))
        print(f"  {name:14} {files:7} files  {wall * 1000:8.1f} ms  {files / wall:9.0f} files/s  "
              f"CPU {cpu / r['mean']:4.2f}  time x{wall / base[threads][1]:5.1f} for x{factor} files")
PY
