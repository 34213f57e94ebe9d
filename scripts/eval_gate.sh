#!/usr/bin/env bash
# Quality gates (CI): the test parts of the bundled question suites, offline, each corpus in an index of its
# own under out/ (built on first use). The thresholds sit a little under the figures measured when they were
# set (README, "Answer quality"): they catch regressions; the targets of the answering issue are reported.
set -uo pipefail
cd "$(dirname "$0")/.."
A=.venv/bin/assistant
fail=0
gate() {  # index corpus suite report-dir thresholds...
  local index=$1 corpus=$2 suite=$3 out=$4; shift 4
  echo "== eval gate: $suite (test split) on $corpus"
  ASSISTANT_DATA_DIR=$index $A eval "$suite" --split test --corpus "$corpus" --out "$out" "$@" || fail=1
}
gate out/eval-index data/corpus dev out/eval-report \
  --min hit@5=0.90 --min must_include=0.80 --max wrong_abstention_rate=0.10
gate out/eval-index data/corpus eval/suites/heldout.jsonl out/eval-report-heldout \
  --min hit@5=0.90 --min must_include=0.75 --max wrong_abstention_rate=0.15
gate out/eval-index-more data/corpus_more eval/suites/corpus_more.jsonl out/eval-report-more \
  --min hit@5=0.85 --min must_include=0.85 --min abstention_recall=0.73 --max wrong_abstention_rate=0.05 \
  --min multi_part_complete=0.76
# briefings (test topics): key-point coverage at about two pages, no target outside a target column of its
# document, no false difference, every briefing within the default length
for suite in briefings_dev briefings_xuchang; do
  gate out/eval-index data/corpus eval/suites/$suite.jsonl out/eval-report-$suite \
    --min coverage=0.85 --max mislabelled_targets=0 --max false_differences=0 --min within_length=1
done
gate out/eval-index-more data/corpus_more eval/suites/briefings_more.jsonl out/eval-report-briefings_more \
  --min coverage=0.85 --max mislabelled_targets=0 --max false_differences=0 --min within_length=1
exit $fail
