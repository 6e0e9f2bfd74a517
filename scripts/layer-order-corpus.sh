#!/usr/bin/env bash
# layer-order on the corpus. The corpus has Dockerfiles without their
# build contexts, so each file with a finding gets a context rebuilt from
# what the rule says is missing: a minimal manifest for every "no X in the
# build context" (package.json `{}`, go.mod `module x`, an empty
# requirements file, …), repeated until nothing is missing, then
# `fix --unsafe-fixes --select layer-order` in that folder. Prints the
# counts: files reported, fixed, and declined (with their reasons).
#
# Usage: scripts/layer-order-corpus.sh [DOCKERFIX] (default target/release/dockerfix)
set -euo pipefail
cd "$(dirname "$0")/.."
bin="${1:-target/release/dockerfix}"
corpus="${CORPUS:-/work/shared/corpus/files}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

manifest() { # name → minimal content
    case "$(basename "$1")" in
        package.json | composer.json) echo '{}' ;;
        go.mod) echo 'module example.com/app' ;;
        pom.xml) echo '<project/>' ;;
        pyproject.toml) echo '[project]' ;;
        *) echo ;;
    esac
}

reported=0 fixed=0
: >"$work/declined"
for file in "$corpus"/*; do
    out="$("$bin" check --select layer-order --quiet --color never --context "$work/none" "$file" || true)"
    [ -n "$out" ] || continue
    reported=$((reported + 1))
    dir="$work/ctx"
    rm -rf "$dir" && mkdir -p "$dir"
    cp "$file" "$dir/Dockerfile" && chmod u+w "$dir/Dockerfile"
    for _ in 1 2 3 4; do
        missing="$("$bin" check --select layer-order --quiet --color never "$dir/Dockerfile" |
            sed -n 's/.*not fixed: \(no \(.*\) in the build context\|\(.*\) is not in the build context\|--find-links \(.*\) is not a folder.*\)).*/\2\3\4/p' || true)"
        [ -n "$missing" ] || break
        while IFS= read -r name; do
            [ -n "$name" ] || continue
            case "$name" in
                */ | wheels | *links*) mkdir -p "$dir/$name" ;;
                *) mkdir -p "$(dirname "$dir/$name")" && manifest "$name" >"$dir/$name" ;;
            esac
        done <<<"$missing"
    done
    if "$bin" fix --unsafe-fixes --select layer-order --quiet "$dir/Dockerfile" >/dev/null 2>&1 &&
        ! cmp -s "$file" "$dir/Dockerfile"; then
        fixed=$((fixed + 1))
    else
        "$bin" check --select layer-order --quiet --color never "$dir/Dockerfile" |
            sed -n 's/.*(not fixed: \(.*\))$/\1/p; s/.*; \(cargo\|Gradle\) .*/\1 (a recipe, reported)/p' >>"$work/declined" || true
    fi
done
echo "layer-order on $(ls "$corpus" | wc -l) corpus files: $reported reported, $fixed fixed with rebuilt contexts"
echo "not fixed, by reason:"
sed -E 's/\(([^)]*)\)//; s/[^ ]+\.txt/FILE.txt/' "$work/declined" | sort | uniq -c | sort -rn
