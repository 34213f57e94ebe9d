#!/usr/bin/env bash
# Set up (idempotently) the virtual environment from the lock file; with --test also the test extras
# and the Debian packages the browser tests and Chinese chart fonts need (scripts/system-packages.sh).
# Every step prints a timestamped line, so a log shows where the time goes.
set -euo pipefail
cd "$(dirname "$0")/.."
say() { echo "[$(date +%H:%M:%S)] $*"; }
want_test=0
[ "${1:-}" = "--test" ] && want_test=1

if [ "$want_test" = 1 ]; then
  bash scripts/system-packages.sh
fi

PY=${PYTHON:-python3.11}
command -v "$PY" >/dev/null || PY=python3
if [ ! -x .venv/bin/python ]; then
  say "创建虚拟环境 .venv（$PY）"
  "$PY" -m venv .venv
fi
stamp=".venv/.installed-$(cat requirements.lock pyproject.toml | sha1sum | cut -c1-12)"
if [ ! -f "$stamp" ]; then
  say "安装依赖（requirements.lock；日志 .venv/pip.log），首次需要几分钟…"
  if ! { .venv/bin/python -m pip install -q --upgrade pip &&
         .venv/bin/python -m pip install -q -r requirements.lock &&
         .venv/bin/python -m pip install -q --no-deps -e . ; } > .venv/pip.log 2>&1; then
    grep -v "^WARNING: Location" .venv/pip.log | tail -20
    say "依赖安装失败"
    exit 1
  fi
  touch "$stamp"
  say "依赖已安装"
else
  say "依赖已就绪"
fi
