#!/usr/bin/env bash
# Set up (including test tools, Chromium and fonts), run the test suite, then gate on the eval suites.
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test || { echo "setup failed"; exit 1; }
mkdir -p out
.venv/bin/ruff check . || { echo "ruff found problems"; exit 1; }
.venv/bin/python -m pytest -q -p no:cacheprovider "$@"
rc=$?
if [ $rc -ne 0 ]; then
  echo "tests failed (pytest exit $rc)"
  exit $rc
fi
# quality gates: the test parts of the bundled suites on both corpora (scripts/eval_gate.sh)
exec bash scripts/eval_gate.sh
