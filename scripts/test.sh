#!/usr/bin/env bash
# Set up (including test tools, Chromium and fonts), run the test suite, then gate on the eval suites.
set -uo pipefail
cd "$(dirname "$0")/.."
say() { echo "[$(date +%H:%M:%S)] $*"; }
mkdir -p out
bash scripts/setup.sh --test || { say "setup failed"; exit 1; }
say "ruff"
.venv/bin/ruff check . || { say "ruff found problems"; exit 1; }
say "mypy (assistant, ingest)"
.venv/bin/mypy || { say "mypy found problems"; exit 1; }
say "pytest"
.venv/bin/python -m pytest -q -p no:cacheprovider "$@"
rc=$?
if [ $rc -ne 0 ]; then
  echo "tests failed (pytest exit $rc)"
  exit $rc
fi
say "eval gates (scripts/eval_gate.sh)"
# quality gates: the test parts of the bundled suites on both corpora (scripts/eval_gate.sh)
exec bash scripts/eval_gate.sh
