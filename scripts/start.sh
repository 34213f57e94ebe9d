#!/usr/bin/env bash
# Quick start: set up, ingest the bundled sample corpus, answer a sample question, start the workspace.
# Progress is printed as timestamped lines (also when the output goes to a log, not a terminal).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# LibreOffice is optional: without it .doc/.wps files are skipped with a reason
command -v soffice >/dev/null ||
  echo "note: LibreOffice is not installed, so .doc/.wps files will be skipped (bash scripts/setup.sh --office installs it)"
exec .venv/bin/assistant quickstart "$@"
