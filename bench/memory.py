"""Peak memory of one process that loads a knowledge base and answers the first N questions of a suite.

.venv/bin/python bench/memory.py --data-dir var-sample                                   # dev suite, 40 questions
.venv/bin/python bench/memory.py --data-dir var-more --suite eval/suites/corpus_more.jsonl

The data dir must already hold an ingested corpus (`assistant ingest`); it is only read. Settings come from the
environment like the CLI (default: bundled USE embedder, no LLM). Prints the peak resident set size (ru_maxrss).
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--suite", type=Path, default=ROOT / "eval" / "suites" / "dev.jsonl")
    parser.add_argument("--questions", type=int, default=40)
    args = parser.parse_args(argv)

    from assistant.config import load_settings
    from assistant.service import build_assistant

    assistant = build_assistant(load_settings(data_dir=args.data_dir))
    lines = [line for line in args.suite.read_text(encoding="utf-8").splitlines() if line.strip()]
    questions = [json.loads(line)["question"] for line in lines][: args.questions]
    for question in questions:
        assistant.ask(question)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{len(questions)} questions from {args.suite.name} on {args.data_dir}: peak RSS {peak_mb:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
