#!/usr/bin/env bash
# Set up (including test tools, Chromium and fonts), run the test suite, then gate on the dev eval suite.
set -uo pipefail
cd "$(dirname "$0")/.."
say() { echo "[$(date +%H:%M:%S)] $*"; }
mkdir -p out
bash scripts/setup.sh --test || { say "setup failed"; exit 1; }
say "ruff"
.venv/bin/ruff check . || { say "ruff found problems"; exit 1; }
say "pytest"
.venv/bin/python -m pytest -q -p no:cacheprovider "$@"
rc=$?
if [ $rc -ne 0 ]; then
  echo "tests failed (pytest exit $rc)"
  exit $rc
fi
# quality gate: the bundled dev suite, offline, on the bundled corpus (an index of its own under out/)
say "eval gate: dev, heldout"
ASSISTANT_DATA_DIR=out/eval-index .venv/bin/assistant eval dev --out out/eval-report \
  --min hit@5=0.90 --min must_include=0.80 || exit 1
# the second suite (same index): written apart from the product, guards against fitting the dev suite
ASSISTANT_DATA_DIR=out/eval-index .venv/bin/assistant eval eval/suites/heldout.jsonl --out out/eval-report-heldout \
  --min hit@5=0.90 --min must_include=0.80
