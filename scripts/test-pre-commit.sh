#!/usr/bin/env bash
# Tests .pre-commit-hooks.yaml with the real pre-commit (from PyPI, in
# .tools/venv): a temporary git repository uses this working tree's hooks;
# a bad Dockerfile makes each hook fail (dockerfix also fixes it), and the
# next run passes. pre-commit builds dockerfix with `cargo install` from a
# snapshot of the working tree (no network but the crate registry); the
# build's target folder is kept in .tools/ so later runs are quick.
set -euo pipefail
cd "$(dirname "$0")/.."
here="$PWD"
. scripts/tools.sh
ensure_precommit

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export PRE_COMMIT_HOME="$work/cache"
export CARGO_TARGET_DIR="${DOCKERFIX_TOOLS:-$here/.tools}/pre-commit-target"
export GIT_CONFIG_GLOBAL="$work/gitconfig"
git config --global user.name "dockerfix test"
git config --global user.email "test@example.com"
git config --global init.defaultBranch main
git config --global advice.detachedHead false

fail() { echo "FAIL: $*" >&2; exit 1; }
pass() { echo "ok: $*"; }

# The hook repository: the working tree as it is (tracked and new files,
# without what .gitignore leaves out), committed.
hooks="$work/hooks"
mkdir -p "$hooks"
git ls-files -z --cached --others --exclude-standard \
    | while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done \
    | xargs -0 cp --parents -t "$hooks"
git -C "$hooks" init -q
git -C "$hooks" add -A
git -C "$hooks" commit -qm snapshot
rev="$(git -C "$hooks" rev-parse HEAD)"

project="$work/project"
mkdir -p "$project/svc"
git -C "$project" init -q
cat >"$project/.pre-commit-config.yaml" <<YAML
repos:
  - repo: $hooks
    rev: $rev
    hooks:
      - id: dockerfix
      - id: dockerfix-check
YAML
# The image is pinned: a plain fix never pins (no network), so the check hook
# would keep reporting an unpinned image.
bad=$'FROM alpine:3.20@sha256:5afbbbebe6e580ee1b4b41d2a23f506abdc06ae48294544fdfd7bfd7de8d2abc\nMAINTAINER me@example.com\nADD app.txt /app\nUSER nobody\n'
fixed=$'FROM alpine:3.20@sha256:5afbbbebe6e580ee1b4b41d2a23f506abdc06ae48294544fdfd7bfd7de8d2abc\nLABEL org.opencontainers.image.authors="me@example.com"\nCOPY app.txt /app\nUSER nobody\n'
printf '%s' "$bad" >"$project/svc/Dockerfile"
printf '%s' "$bad" >"$project/Dockerfile.dockerignore"
printf 'not a Dockerfile\n' >"$project/README.md"
git -C "$project" add -A
cd "$project"

# Check only: fails, writes nothing.
if "$PRE_COMMIT" run dockerfix-check --all-files >"$work/out1" 2>&1; then
    cat "$work/out1"; fail "dockerfix-check passed on a bad Dockerfile"
fi
grep -q "add-to-copy" "$work/out1" || { cat "$work/out1"; fail "dockerfix-check did not report add-to-copy"; }
[ "$(cat svc/Dockerfile)" = "${bad%$'\n'}" ] || fail "dockerfix-check changed the file"
pass "dockerfix-check fails on a bad Dockerfile and writes nothing"

# Fix: fails (it changed the file) and leaves it fixed; other files alone.
if "$PRE_COMMIT" run dockerfix --all-files >"$work/out2" 2>&1; then
    cat "$work/out2"; fail "dockerfix passed on a bad Dockerfile"
fi
[ "$(cat svc/Dockerfile)" = "${fixed%$'\n'}" ] || { cat "$work/out2"; cat svc/Dockerfile; fail "the file was not fixed as expected"; }
[ "$(cat Dockerfile.dockerignore)" = "${bad%$'\n'}" ] || fail "a .dockerignore file was touched"
pass "dockerfix fails and fixes the file"

# Second run: both hooks pass.
"$PRE_COMMIT" run --all-files >"$work/out3" 2>&1 || { cat "$work/out3"; fail "the second run failed"; }
pass "the second run passes"

# As a git hook: the commit is refused once, the fix is staged, then it goes in.
git checkout -q -- . 2>/dev/null || true
printf '%s' "$bad" >svc/Dockerfile
git add -A
"$PRE_COMMIT" install >/dev/null
if git commit -qm "bad" >"$work/out4" 2>&1; then
    cat "$work/out4"; fail "the commit of a bad Dockerfile went through"
fi
[ "$(cat svc/Dockerfile)" = "${fixed%$'\n'}" ] || fail "the commit hook did not fix the file"
git add -A
git commit -qm "fixed" >"$work/out5" 2>&1 || { cat "$work/out5"; fail "the commit of the fixed file failed"; }
pass "git commit: refused, fixed, then accepted"
echo "pre-commit: 4 passed, 0 failed"
