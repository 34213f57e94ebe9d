#!/usr/bin/env bash
# Set up (idempotently) the virtual environment from the lock file.
#   --test    also the test extras and the Debian packages the tests need: Chromium (browser tests),
#             Chinese fonts (charts, PDF and OCR fixtures), LibreOffice Writer and Calc (.doc/.wps
#             conversion, .xls fixtures)
#   --office  also LibreOffice Writer, which reads .doc and .wps files (without it they are skipped)
set -euo pipefail
cd "$(dirname "$0")/.."
want_test=0
want_office=0
case "${1:-}" in
  --test) want_test=1; want_office=1 ;;
  --office) want_office=1 ;;
esac

# Debian packages, installed when missing: as root directly, otherwise through sudo
need=()
if [ "$want_test" = 1 ]; then
  [ -x /usr/bin/chromium ] || need+=(chromium)
  [ -x /usr/bin/chromedriver ] || need+=(chromium-driver)
  fc-list :lang=zh 2>/dev/null | grep -qi wqy || need+=(fonts-wqy-microhei)
  dpkg -s libreoffice-calc-nogui >/dev/null 2>&1 || dpkg -s libreoffice-calc >/dev/null 2>&1 ||
    need+=(libreoffice-calc-nogui)
fi
if [ "$want_office" = 1 ]; then
  command -v soffice >/dev/null || need+=(libreoffice-writer-nogui)
fi
if [ ${#need[@]} -gt 0 ]; then
  SUDO=""
  if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null || { echo "need root or sudo to install: ${need[*]}"; exit 1; }
    SUDO="sudo"
  fi
  apt_log=$(mktemp -t assistant-apt.XXXXXX)
  echo "installing Debian packages: ${need[*]} (takes a few minutes; log: $apt_log) ..."
  if ! { $SUDO apt-get update -qq &&
         $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}"; } > "$apt_log" 2>&1; then
    tail -20 "$apt_log"
    echo "installing Debian packages failed"
    exit 1
  fi
  echo "installed: ${need[*]}"
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
