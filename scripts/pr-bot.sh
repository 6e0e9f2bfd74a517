#!/usr/bin/env bash
# A pull-request bot: fix the Dockerfiles of a git repository, commit the
# fixes on a branch and open (or update) a pull request whose body is
# dockerfix's Markdown report.
#
# Usage: scripts/pr-bot.sh [--branch NAME] [--base BRANCH] [--body FILE]
#                          [--no-push] [--allow-dirty] [-- DOCKERFIX FIX ARGS…]
#   --branch     the branch the fixes are committed on (dockerfix/fixes)
#   --base       the pull request's base (the branch checked out now)
#   --body       where the Markdown report is written (inside .git/)
#   --no-push    commit only: no push, no pull request (for a dry run)
#   --allow-dirty  run even with uncommitted changes (they are not committed)
#   --verify     build every Dockerfile before and after its fixes first
#                (`dockerfix verify`): a file whose fixes break its build is
#                left out of the commit, and the body carries the verify
#                section (sizes, packages, users) and says why
#   --verify-opt OPT  an option for `dockerfix verify` only (`--builder
#                buildah`, `--build-opt=--pull=never`, …); repeatable
#   --verified   fix with `dockerfix fix --verified`: each unsafe fix is
#                kept only when the fixed file builds (and passes --smoke
#                CMD, given after `--`), and the body shows each fix's
#                evidence (size before → after, packages removed) or why
#                it was left out. Needs --unsafe-fixes after `--` and a
#                builder; not with --verify, which it replaces.
# Everything after `--` goes to `dockerfix fix` (paths, --unsafe-fixes, …);
# with --verify to `dockerfix verify` too, so use options both take (paths,
# --unsafe-fixes, --select, --ignore, --config).
# Environment: DOCKERFIX (the binary, default `dockerfix`); pushing uses
# the `origin` remote, the pull request `gh` (GH_TOKEN).
# Exit: 0 when nothing needed fixing or the fixes were committed (and the
# pull request opened); 2 on an error. Files dockerfix could not process are
# left unchanged and listed in the body.
set -euo pipefail

dockerfix="${DOCKERFIX:-dockerfix}"
branch="dockerfix/fixes"
base=""
body=""
push=1
allow_dirty=0
verify=0
verify_opts=()
fix_mode=()
while (($#)); do
    case "$1" in
    --branch) branch="$2"; shift 2 ;;
    --base) base="$2"; shift 2 ;;
    --body) body="$2"; shift 2 ;;
    --no-push) push=0; shift ;;
    --allow-dirty) allow_dirty=1; shift ;;
    --verify) verify=1; shift ;;
    --verify-opt) verify_opts+=("$2"); verify=1; shift 2 ;;
    --verified) fix_mode=(--verified); shift ;;
    --) shift; break ;;
    *) echo "pr-bot: unknown option $1" >&2; exit 2 ;;
    esac
done

if ((verify)) && ((${#fix_mode[@]})); then
    echo "pr-bot: --verified builds every fix already; do not combine it with --verify" >&2
    exit 2
fi

cd "$(git rev-parse --show-toplevel)"
[ -n "$base" ] || base="$(git rev-parse --abbrev-ref HEAD)"
[ -n "$body" ] || body="$(git rev-parse --absolute-git-dir)/dockerfix-pr.md"
if ((!allow_dirty)) && [ -n "$(git status --porcelain --untracked-files=no)" ]; then
    echo "pr-bot: the working tree has uncommitted changes; commit or stash them (or --allow-dirty)" >&2
    exit 2
fi
before="$(git diff --name-only)"

# 0: nothing to fix or all fixed; 1 is not used by `fix`; 2: some file
# could not be processed (the others are fixed, the body says which).
status=0
skip=()
if ((verify)); then
    # 0: nothing broke; 1: some fix broke a build (that file is skipped);
    # 2: verify could not run (no builder, …): nothing is committed.
    verified="$body.verify"
    vstatus=0
    "$dockerfix" verify --format markdown --output "$verified" "${verify_opts[@]}" "$@" || vstatus=$?
    if ((vstatus > 1)); then
        echo "pr-bot: dockerfix verify failed ($vstatus); nothing committed" >&2
        exit 2
    fi
    while IFS= read -r path; do
        skip+=(--skip "$path")
        echo "pr-bot: left out $path: its fixes break its build" >&2
    done < <(sed -n 's/^<!-- dockerfix-verify broken \(.*\) -->$/\1/p' "$verified")
fi
"$dockerfix" fix "${fix_mode[@]}" --format markdown --output "$body" "${skip[@]}" "$@" || status=$?
if ((status > 2)); then
    echo "pr-bot: dockerfix failed ($status)" >&2
    exit 2
fi
if ((verify)); then
    printf '\n' >>"$body"
    cat "$verified" >>"$body"
    rm -f "$verified"
fi

changed="$(comm -13 <(printf '%s\n' "$before" | sort) <(git diff --name-only | sort) | sed '/^$/d')"
if [ -z "$changed" ]; then
    echo "pr-bot: nothing to fix"
    exit "$status"
fi

title="Fix Dockerfiles with dockerfix"
git checkout -q -B "$branch"
printf '%s\n' "$changed" | tr '\n' '\0' | xargs -0 git add --
summary="$(sed -n '3p' "$body")"
git commit -q -m "$title" -m "$summary"
echo "pr-bot: committed on $branch: $(printf '%s\n' "$changed" | wc -l | tr -d ' ') file(s); body in $body"

if ((push)); then
    git push --force-with-lease -u origin "$branch"
    if gh pr view "$branch" >/dev/null 2>&1; then
        gh pr edit "$branch" --body-file "$body"
    else
        gh pr create --base "$base" --head "$branch" --title "$title" --body-file "$body"
    fi
fi
exit "$status"
