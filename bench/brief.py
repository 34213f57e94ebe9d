"""Briefing benchmark: key-point coverage, citation checks and time per briefing on a briefing suite.

    .venv/bin/python bench/brief.py --data-dir /tmp/idx1 [--suite eval/suites/briefings_dev.jsonl] [--show]

Uses an existing index (build one with `assistant ingest data/corpus`); offline (extractive) unless
an LLM is configured. The first briefing pays for loading the index and models: it is reported apart.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.briefing.brief import brief_to_markdown, numbers_copied, write_brief
from assistant.config import load_settings
from assistant.service import build_assistant
from eval.metrics import key_point_covered


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--embedding-backend", default="use")
    parser.add_argument("--suite", type=Path, default=ROOT / "eval/suites/briefings_dev.jsonl")
    parser.add_argument("--show", action="store_true", help="print each briefing's Markdown")
    args = parser.parse_args(argv)
    settings = load_settings(data_dir=args.data_dir, embedding_backend=args.embedding_backend)
    t0 = time.perf_counter()
    assistant = build_assistant(settings)
    assistant.store.cached_chunks()
    print(f"load: {time.perf_counter() - t0:.2f}s")
    topics = [json.loads(line) for line in args.suite.read_text(encoding="utf-8").splitlines() if line.strip()]
    covered_all, total_all, times = 0, 0, []
    for item in topics:
        t = time.perf_counter()
        brief = write_brief(assistant, item["topic"])
        seconds = time.perf_counter() - t
        times.append(seconds)
        text = brief_to_markdown(brief)
        flags = [key_point_covered(text, point=p["point"], evidence=p.get("evidence", "")) for p in item["key_points"]]
        covered_all += sum(flags)
        total_all += len(flags)
        bullets = sum(len(s.bullets) for s in brief.sections)
        print(
            f"{item['id']}: coverage {sum(flags)}/{len(flags)}  {seconds:.2f}s  bullets={bullets} "
            f"targets={len(brief.targets)} differences={len(brief.differences)} sources={len(brief.sources)} "
            f"verified={brief.all_verified} numbers_copied={numbers_copied(brief)}"
        )
        for p, ok in zip(item["key_points"], flags, strict=True):
            if not ok:
                print(f"    missed: {p['point']}")
        if args.show:
            print(text)
    warm = times[1:] or times
    print(f"coverage: {covered_all / max(total_all, 1):.3f} ({covered_all}/{total_all})")
    print(f"time per briefing: first {times[0]:.2f}s, then mean {sum(warm) / len(warm):.2f}s, max {max(warm):.2f}s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
