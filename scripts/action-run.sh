#!/usr/bin/env bash
# The step of action.yml, kept here so it can be tested outside GitHub.
# Environment (from the action's inputs): MODE (check | fix | pr), PATHS
# (space-separated), ARGS (extra options), BRANCH, BASE, PUSH, VERIFY
# (`true`: pr mode verifies by building), VERIFY_ARGS, VERIFIED (`true`:
# fix and pr modes keep unsafe fixes only where a build proves them), SMOKE
# (the command run in each fixed image with VERIFIED); set by the runner:
# GITHUB_STEP_SUMMARY, GITHUB_OUTPUT, RUNNER_TEMP.
set -euo pipefail

dockerfix="${DOCKERFIX:-dockerfix}"
read -r -a paths <<<"${PATHS:-.}"
read -r -a args <<<"${ARGS:-}"
fix_args=()
if [ "${VERIFIED:-false}" = true ]; then
    fix_args+=(--verified)
    [ -n "${SMOKE:-}" ] && fix_args+=(--smoke "$SMOKE")
fi
temp="${RUNNER_TEMP:-$(mktemp -d)}"
summary="${GITHUB_STEP_SUMMARY:-/dev/null}"
output="${GITHUB_OUTPUT:-/dev/null}"
report="$temp/dockerfix.md"

case "${MODE:-check}" in
check)
    # Annotations on the pull request's lines; fails when something is found.
    status=0
    "$dockerfix" check --format github "${args[@]}" "${paths[@]}" || status=$?
    "$dockerfix" check --format markdown --quiet --output "$report" "${args[@]}" "${paths[@]}" || true
    cat "$report" >>"$summary"
    echo "found=$([ "$status" = 1 ] && echo true || echo false)" >>"$output"
    exit "$status"
    ;;
fix)
    # Fixes in the workspace (a later step may commit them); fails when
    # something changed, so a required check shows the fixes are missing.
    status=0
    "$dockerfix" fix "${fix_args[@]}" --exit-non-zero-on-fix --format markdown --output "$report" "${args[@]}" "${paths[@]}" || status=$?
    cat "$report" >>"$summary"
    echo "changed=$([ "$status" = 1 ] && echo true || echo false)" >>"$output"
    exit "$status"
    ;;
pr)
    # Commits need an author; the runner has none.
    git config user.name >/dev/null || git config user.name "github-actions[bot]"
    git config user.email >/dev/null ||
        git config user.email "41898282+github-actions[bot]@users.noreply.github.com"
    here="$(cd "$(dirname "$0")" && pwd)"
    extra=()
    [ -n "${BASE:-}" ] && extra+=(--base "$BASE")
    [ "${PUSH:-true}" = true ] || extra+=(--no-push)
    if [ "${VERIFIED:-false}" = true ]; then
        extra+=(--verified)
        [ -n "${SMOKE:-}" ] && args+=(--smoke "$SMOKE")
    elif [ "${VERIFY:-false}" = true ]; then
        extra+=(--verify)
        read -r -a verify_opts <<<"${VERIFY_ARGS:-}"
        for opt in "${verify_opts[@]}"; do extra+=(--verify-opt "$opt"); done
    fi
    bash "$here/pr-bot.sh" --branch "${BRANCH:-dockerfix/fixes}" --body "$report" "${extra[@]}" \
        -- "${args[@]}" "${paths[@]}"
    [ -f "$report" ] && cat "$report" >>"$summary"
    ;;
*)
    echo "dockerfix action: unknown mode '${MODE}' (check, fix or pr)" >&2
    exit 2
    ;;
esac
