"""What each group of the answerer's features adds: refit without it (on the tuning splits), then score the
test splits of every suite, side by side with the full model.

    python -m eval.ablation --index sample=DATA_DIR:dev,heldout --index more=DATA_DIR:corpus_more \\
        [--out ablation.md]

Each variant is fitted exactly like the shipped model (eval/fit_answerer.py) with its features left out;
nothing is fitted on a test split.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from assistant.answering.scorer import scorer_from_dict
from assistant.config import load_settings
from assistant.service import build_assistant
from eval.fit_answerer import _spec, collect, fit_payload
from eval.runner import run_suite
from eval.suite import load_suite, select_split

# readable groups of features (unit scorer and facet decider)
GROUPS: dict[str, frozenset[str]] = {
    "term coverage": frozenset({"coverage", "coverage_context", "rare_term", "rare_term_context", "bigrams",
                                "heading", "best_coverage", "terms_absent", "rare_absent", "best_rare_missing"}),
    "retrieval rank": frozenset({"retrieval", "first_rank"}),
    "answer-type fit": frozenset({"figure_fit", "figure_missing", "measure_unit", "list_fit", "date_fit", "entity_fit",
                                  "term_figure", "best_figure_missing", "best_term_figure"}),
    "scope fit (place, document)": frozenset({"scope_fit", "best_scope_fit", "scope_unmatched"}),
    "years": frozenset({"year_hit", "year_conflict", "best_year_conflict"}),
    "structure": frozenset({"quoted", "table_row", "title_line", "length"}),
    "decider's own (best unit log-odds, gap)": frozenset({"best_logit", "second_gap"}),
}
METRICS = ("must_include", "abstention_recall", "wrong_abstention_rate", "multi_part_complete")


def evaluate(payload: dict, specs) -> dict[str, dict[str, float | None]]:
    """Scores of the test splits of every suite with a model given as its JSON form."""
    scorer = scorer_from_dict(payload)
    out: dict[str, dict[str, float | None]] = {}
    for _, data_dir, suites in specs:
        assistant = build_assistant(load_settings(data_dir=data_dir))
        assistant.answerer.offline._scorer = scorer
        for suite in suites:
            loaded = load_suite(suite)
            report = run_suite(assistant, select_split(loaded.items, "test"), suite=loaded.name)
            scores = report.metrics()
            out[loaded.name] = {m: scores.get(m) for m in METRICS}
    return out


def main(argv: list[str] | None = None) -> int:
    """Fit every variant, score it, print (and optionally write) the table."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--index", action="append", required=True, type=_spec, metavar="NAME=DATA_DIR:SUITES")
    parser.add_argument("--k", type=int, default=12)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)
    rows = collect(args.index, k=args.k)
    variants = {"full model": frozenset(), **{f"without {name}": group for name, group in GROUPS.items()}}
    results = {}
    for label, drop in variants.items():
        payload, auc = fit_payload(rows, args.index, drop=drop)
        results[label] = (auc, evaluate(payload, args.index))
        print(f"{label}: unit AUC {auc:.3f}", file=sys.stderr)
    suites = list(next(iter(results.values()))[1])
    head = "| variant | unit AUC (cv) | " + " | ".join(
        f"{s} must_include / declined / wrongly declined / multi-part" for s in suites) + " |"
    lines = [head, "|" + "---|" * (2 + len(suites))]
    for label, (auc, scores) in results.items():
        cells = [" / ".join("—" if scores[s][m] is None else f"{scores[s][m]:.2f}" for m in METRICS) for s in suites]
        lines.append(f"| {label} | {auc:.3f} | " + " | ".join(cells) + " |")
    table = "\n".join(lines)
    print(table)
    if args.out:
        args.out.write_text(table + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
