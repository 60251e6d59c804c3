#!/usr/bin/env bash
# One entry point for a fresh Debian machine with only python3:
#   ./dev.sh start   set up, make demo data, and serve the app on http://127.0.0.1:8866
#   ./dev.sh test    set up (including Debian's chromium for the browser tests) and run every test
#   ./dev.sh hub     set up, make demo data, and serve it behind a real JupyterHub on http://127.0.0.1:8000
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
    "$PY" -m pip install --quiet --disable-pip-version-check -e ".[test,hub]"
}

# The Hub's proxy (configurable-http-proxy) from npm, into deploy/node_modules, exactly as locked.
setup_hub_proxy() {
    if ! command -v npm >/dev/null 2>&1; then
        echo "installing nodejs and npm from Debian for JupyterHub's proxy"
        apt_install nodejs npm
    fi
    if [ ! -x deploy/node_modules/.bin/configurable-http-proxy ] \
        || [ deploy/package-lock.json -nt deploy/node_modules/.package-lock.json ]; then
        npm ci --prefix deploy --no-audit --no-fund --loglevel=error >/dev/null
    fi
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
        setup_hub_proxy
        # lint and types first (configured in pyproject.toml): a finding fails the run like a test
        "$VENV/bin/ruff" check .
        "$VENV/bin/mypy"
        MENTORFORMS_REQUIRE_BROWSER=1 exec "$PY" -m pytest tests notebooks/*.ipynb --nbval-lax --nbval-current-env "$@"
        ;;
    hub)
        # The app behind a real JupyterHub on http://127.0.0.1:8000 (shared password: see below).
        shift
        setup_python
        setup_hub_proxy
        DATA="${MENTORFORMS_DEMO_DIR:-demo-data}"
        if [ ! -f "$DATA/roster.xlsx" ]; then
            "$VENV/bin/mentorforms" demo "$DATA"
        fi
        export MENTORFORMS_DATA="$(cd "$DATA" && pwd)"
        export MENTORFORMS_HUB_PASSWORD="${MENTORFORMS_HUB_PASSWORD:-mentorforms-demo}"
        echo "sign in with a roster id (such as f00001) and the password $MENTORFORMS_HUB_PASSWORD"
        PATH="$PWD/$VENV/bin:$PATH" exec "$VENV/bin/jupyterhub" -f deploy/jupyterhub_config.py "$@"
        ;;
    *)
        echo "usage: ./dev.sh start | ./dev.sh test | ./dev.sh hub" >&2
        exit 2
        ;;
esac
