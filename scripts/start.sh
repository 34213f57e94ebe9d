#!/usr/bin/env bash
# Quick start: set up, ingest the bundled sample corpus, answer a sample question, start the workspace.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/assistant quickstart "$@"
