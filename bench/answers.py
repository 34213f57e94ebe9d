"""Offline answer quality on a suite: the extractive answerer behind Assistant.ask, no LLM.

.venv/bin/python bench/answers.py --data-dir /path/to/index            # dev suite, summary + failures
.venv/bin/python bench/answers.py --data-dir DIR --show                 # also print every answer
.venv/bin/python bench/answers.py --data-dir DIR --abstain-below 0.3,0.4,0.5   # sensitivity sweep
.venv/bin/python bench/answers.py --data-dir DIR --json

The data dir must already hold an ingested corpus (`assistant ingest`). Scores:
- must_include: answerable items whose answer holds every must_include string (NFKC, no whitespace);
- abstention recall: unanswerable items answered with 文档中未提及;
- wrong abstention: answerable items abstained on;
- answer ms: the answer step alone (retrieval excluded), median and max, warm.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.config import load_settings
from assistant.service import build_assistant
from eval import metrics
from eval.suite import load_suite


@dataclass
class Outcome:
    id: str
    type: str
    question: str
    answerable: bool
    abstained: bool
    missing: list[str]
    answer: str
    answer_ms: float


@dataclass
class Summary:
    abstain_below: float
    must_include: float
    abstention_recall: float | None
    wrong_abstention: float | None
    answerable: int
    unanswerable: int
    answer_ms_median: float
    answer_ms_max: float
    failures: list[Outcome] = field(default_factory=list)


def run_suite(assistant, suite_name: str) -> list[Outcome]:
    """Ask every suite question once and record what came back."""
    suite = load_suite(suite_name)
    out = []
    for item in suite.items:
        ans = assistant.ask(item.question)
        missing = metrics.missing_terms(ans.answer, item.must_include) if item.answerable else []
        out.append(
            Outcome(
                item.id,
                item.type,
                item.question,
                item.answerable,
                ans.abstained,
                missing,
                ans.answer,
                ans.timings_ms.get("answer", 0.0),
            )
        )
    return out


def summarise(outcomes: list[Outcome], abstain_below: float) -> Summary:
    """Rates over the outcomes; failures are wrong content, wrong abstention or a missed abstention."""
    answerable = [o for o in outcomes if o.answerable]
    unanswerable = [o for o in outcomes if not o.answerable]
    ok = [not o.missing for o in answerable]
    abst = metrics.abstention_scores((o.answerable, o.abstained) for o in outcomes)
    times = [o.answer_ms for o in outcomes] or [0.0]
    failures = [
        o
        for o in outcomes
        if (o.answerable and (o.missing or o.abstained)) or (not o.answerable and not o.abstained)
    ]
    return Summary(
        abstain_below,
        sum(ok) / len(ok) if ok else 0.0,
        abst.recall,
        abst.wrong_rate,
        len(answerable),
        len(unanswerable),
        statistics.median(times),
        max(times),
        failures,
    )


def _pct(x: float | None) -> str:
    return "-" if x is None else f"{x:.3f}"


def main(argv: list[str] | None = None) -> int:
    """Run the suite through Assistant.ask offline and print the scores."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--data-dir", type=Path, required=True, help="an ingested data dir (read-only use)")
    p.add_argument("--suite", default="dev")
    p.add_argument("--abstain-below", default="", help="comma-separated thresholds to sweep")
    p.add_argument("--show", action="store_true", help="print every answer")
    p.add_argument("--json", action="store_true")
    args = p.parse_args(argv)

    assistant = build_assistant(load_settings(data_dir=args.data_dir))
    assistant.answerer.chat_model = None  # offline: the extractive answerer only
    extractive = assistant.answerer.extractive
    thresholds = [float(x) for x in args.abstain_below.split(",") if x.strip()] or [extractive.abstain_below]
    assistant.ask("预热")  # loads jieba and the IDF table, so timings are warm
    summaries = []
    for threshold in thresholds:
        extractive.abstain_below = threshold
        outcomes = run_suite(assistant, args.suite)
        summaries.append((summarise(outcomes, threshold), outcomes))

    if args.json:
        print(json.dumps([asdict(s) for s, _ in summaries], ensure_ascii=False, indent=2))
        return 0
    for s, outcomes in summaries:
        print(
            f"abstain_below={s.abstain_below:g}  must_include={_pct(s.must_include)} "
            f"({round(s.must_include * s.answerable)}/{s.answerable})  "
            f"abstention_recall={_pct(s.abstention_recall)}  wrong_abstention={_pct(s.wrong_abstention)}  "
            f"answer_ms median={s.answer_ms_median:.1f} max={s.answer_ms_max:.1f}"
        )
        if len(summaries) == 1 or args.show:
            for o in s.failures:
                why = (
                    "wrongly abstained"
                    if o.answerable and o.abstained
                    else f"missing {o.missing}"
                    if o.answerable
                    else "answered an unanswerable question"
                )
                print(f"  FAIL {o.id} [{o.type}] {why}: {o.question}")
                if args.show or not o.abstained:
                    print("       " + o.answer.replace("\n", "\n       "))
        if args.show:
            for o in outcomes:
                if o not in s.failures:
                    print(f"  ok   {o.id}: {o.question}\n       " + o.answer.replace("\n", "\n       "))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
