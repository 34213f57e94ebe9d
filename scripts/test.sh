#!/usr/bin/env bash
# Set up (including test tools, Chromium and fonts), run the test suite, then gate on the dev eval suite.
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
# quality gate: the bundled dev suite, offline, on the bundled corpus (an index of its own under out/)
ASSISTANT_DATA_DIR=out/eval-index .venv/bin/assistant eval dev --out out/eval-report \
  --min hit@5=0.90 --min must_include=0.80 || exit 1
# the second suite (same index): written apart from the product, guards against fitting the dev suite
ASSISTANT_DATA_DIR=out/eval-index .venv/bin/assistant eval eval/suites/heldout.jsonl --out out/eval-report-heldout \
  --min hit@5=0.90 --min must_include=0.80 || exit 1
# briefings (test topics only): key-point coverage at about two pages, every figure in a target column of its
# document and no false difference, on the bundled corpus and on the second corpus (an index of its own)
for suite in briefings_dev briefings_xuchang; do
  ASSISTANT_DATA_DIR=out/eval-index .venv/bin/assistant eval eval/suites/$suite.jsonl --split test \
    --out out/eval-report-$suite --min coverage=0.85 --min figures_correct=1 --min within_length=1 || exit 1
done
ASSISTANT_DATA_DIR=out/eval-index-more .venv/bin/assistant eval eval/suites/briefings_more.jsonl --split test \
  --corpus data/corpus_more --out out/eval-report-briefings_more \
  --min coverage=0.85 --min figures_correct=1 --min within_length=1
