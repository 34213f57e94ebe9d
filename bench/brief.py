"""Briefing benchmark: key-point coverage, length, figure checks and time per briefing on a briefing suite.

    .venv/bin/python bench/brief.py --data-dir /tmp/idx1 [--suite eval/suites/briefings_dev.jsonl] [--split test]
        [--long] [--show]

Uses an existing index (build one with `assistant ingest data/corpus`); offline (extractive) unless an LLM
is configured. Coverage is measured on the briefing's body (its parts, target rows and differences, not the
sources list). The first briefing pays for loading the index and models: it is reported apart, and each
topic is then written a second time, warm, for the timing figures.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.briefing.brief import write_brief
from assistant.briefing.render import body_text
from assistant.config import load_settings
from assistant.service import build_assistant
from eval.brief_checks import check_brief
from eval.metrics import key_point_covered
from eval.suite import load_briefing_suite, select_split


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--embedding-backend", default="use")
    parser.add_argument("--suite", type=Path, default=ROOT / "eval/suites/briefings_dev.jsonl")
    parser.add_argument("--split", choices=("tune", "test", "all"), default="all")
    parser.add_argument("--long", action="store_true", help="the long form (展开)")
    parser.add_argument("--show", action="store_true", help="print each briefing's body")
    args = parser.parse_args(argv)
    settings = load_settings(data_dir=args.data_dir, embedding_backend=args.embedding_backend)
    t0 = time.perf_counter()
    assistant = build_assistant(settings)
    assistant.store.cached_chunks()
    print(f"load: {time.perf_counter() - t0:.2f}s  (load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")
    topics = select_split(load_briefing_suite(args.suite).topics, args.split)
    covered_all = total_all = 0
    first = None
    warm: list[float] = []
    chars: list[int] = []
    problems = 0
    for item in topics:
        t = time.perf_counter()
        write_brief(assistant, item.topic, long=args.long)
        cold = time.perf_counter() - t
        first = cold if first is None else first
        t = time.perf_counter()
        brief = write_brief(assistant, item.topic, long=args.long)
        seconds = time.perf_counter() - t
        warm.append(seconds)
        text = body_text(brief)
        flags = [key_point_covered(text, point=p.point, evidence=p.evidence) for p in item.key_points]
        covered_all += sum(flags)
        total_all += len(flags)
        checks = check_brief(brief, assistant)
        chars.append(brief.body_chars)
        problems += len(checks.mislabelled) + len(checks.false_differences) + checks.duplicate_rows + checks.unverified
        print(
            f"{item.id}: coverage {sum(flags)}/{len(flags)}  {seconds:.2f}s  body={brief.body_chars} "
            f"bullets={sum(len(s.bullets) for s in brief.sections)} targets={checks.target_rows} "
            f"(mislabelled {len(checks.mislabelled)}) differences={checks.differences} "
            f"(false {len(checks.false_differences)}) duplicates={checks.duplicate_rows} "
            f"unverified={checks.unverified} sources={len(brief.sources)}"
        )
        for p, ok in zip(item.key_points, flags, strict=True):
            if not ok:
                print(f"    missed: {p.point}")
        for finding in (*checks.mislabelled, *checks.false_differences):
            print(f"    WRONG: {finding}")
        if args.show:
            print(text)
    print(f"coverage: {covered_all / max(total_all, 1):.3f} ({covered_all}/{total_all})")
    print(f"body characters: mean {sum(chars) / max(len(chars), 1):.0f}, max {max(chars, default=0)}")
    print(f"mislabelled targets + false differences + duplicates + unverified: {problems}")
    print(f"time per briefing: first {first or 0:.2f}s (cold), warm mean {sum(warm) / max(len(warm), 1):.2f}s, "
          f"max {max(warm, default=0):.2f}s  (load average {os.getloadavg()[0]:.1f})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
