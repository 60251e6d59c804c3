#!/usr/bin/env bash
# One entry point for a fresh Debian machine with only python3:
#   ./dev.sh start   set up, make demo data, and serve the app on http://127.0.0.1:8866
#   ./dev.sh test    set up (including Debian's chromium for the browser tests) and run every test
set -euo pipefail
cd "$(dirname "$0")"

VENV=.venv
PY="$VENV/bin/python"

as_root() {
    if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

apt_install() {
    as_root apt-get update -qq || true
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "$@" >/dev/null
}

setup_python() {
    if ! python3 -m venv --help >/dev/null 2>&1 || ! python3 -c 'import ensurepip' >/dev/null 2>&1; then
        echo "installing python3-venv from Debian"
        apt_install python3-venv
    fi
    if [ ! -x "$PY" ]; then
        python3 -m venv "$VENV"
    fi
    "$PY" -m pip install --quiet --disable-pip-version-check --upgrade pip
    "$PY" -m pip install --quiet --disable-pip-version-check -e ".[test]"
}

setup_browser() {
    if [ ! -x /usr/bin/chromium ]; then
        echo "installing chromium from Debian for the browser tests"
        apt_install chromium
    fi
}

case "${1:-}" in
    start)
        shift
        setup_python
        DATA="${MENTORFORMS_DEMO_DIR:-demo-data}"
        if [ ! -f "$DATA/roster.xlsx" ]; then
            "$VENV/bin/mentorforms" demo "$DATA"
        fi
        exec "$VENV/bin/mentorforms" serve "$DATA" --demo "$@"
        ;;
    test)
        shift
        setup_python
        setup_browser
        MENTORFORMS_REQUIRE_BROWSER=1 exec "$PY" -m pytest tests notebooks/*.ipynb --nbval-lax --nbval-current-env "$@"
        ;;
    *)
        echo "usage: ./dev.sh start | ./dev.sh test" >&2
        exit 2
        ;;
esac
