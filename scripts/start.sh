#!/usr/bin/env bash
# Quick start: set up, ingest the bundled sample corpus, answer a sample question, start the workspace.
# Progress is printed as timestamped lines (also when the output goes to a log, not a terminal).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/assistant quickstart "$@"
