#!/usr/bin/env bash
# Set up (idempotently) the virtual environment from the lock file; with --test also the test extras
# and the Debian packages the browser tests and Chinese chart/PDF fonts need.
set -euo pipefail
cd "$(dirname "$0")/.."
want_test=0
[ "${1:-}" = "--test" ] && want_test=1

if [ "$want_test" = 1 ]; then
  need=()
  [ -x /usr/bin/chromium ] || need+=(chromium)
  [ -x /usr/bin/chromedriver ] || need+=(chromium-driver)
  fc-list :lang=zh 2>/dev/null | grep -qi wqy || need+=(fonts-wqy-microhei)
  if [ ${#need[@]} -gt 0 ]; then
    SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq && $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  fi
fi

PY=${PYTHON:-python3.11}
command -v "$PY" >/dev/null || PY=python3
[ -x .venv/bin/python ] || "$PY" -m venv .venv
stamp=".venv/.installed-$(cat requirements.lock pyproject.toml | sha1sum | cut -c1-12)"
if [ ! -f "$stamp" ]; then
  echo "installing dependencies from requirements.lock (log: .venv/pip.log) ..."
  if ! { .venv/bin/python -m pip install -q --upgrade pip &&
         .venv/bin/python -m pip install -q -r requirements.lock &&
         .venv/bin/python -m pip install -q --no-deps -e . ; } > .venv/pip.log 2>&1; then
    grep -v "^WARNING: Location" .venv/pip.log | tail -20
    echo "dependency installation failed"
    exit 1
  fi
  touch "$stamp"
fi
