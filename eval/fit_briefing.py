"""Fit the briefing relevance model on the tuning topics of the briefing suites and choose its threshold.

    python -m eval.fit_briefing --index sample=DATA_DIR:briefings_dev,briefings_xuchang \\
        --index more=DATA_DIR:briefings_more [--out assistant/data/brief_model.json] [--ablation]

Each `--index NAME=DATA_DIR:SUITE,SUITE` is a built knowledge base and the briefing suites written over it;
only their `tune` topics are read (`test` topics are for reporting). Every candidate unit the product gathers
for a topic is a row, labelled by whether it holds one of the topic's key points (its evidence, in the
document the point names). The threshold is the one that gives the best key-point coverage at the default
length budget when each topic is briefed with probabilities from a model that never saw it (folds grouped by
topic); among equally good thresholds the highest (fewer, surer bullets) is taken.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.answering.candidates import Candidate, candidates_of
from assistant.briefing.extract import choose, distinct
from assistant.briefing.frame import parse_topic
from assistant.briefing.gather import Gathered, gather
from assistant.briefing.relevance import BRIEF_FEATURES, MODEL_PATH, unit_vectors
from assistant.briefing.targets import Target
from assistant.config import load_settings
from assistant.retrieval.routing import Catalog
from assistant.service import build_assistant
from assistant.text import norm
from eval.fit_answerer import _holds_evidence, fit_linear
from eval.metrics import key_point_covered
from eval.suite import BriefingTopic, load_briefing_suite, select_split

THRESHOLDS = [0.005, 0.01, 0.02, 0.03, 0.05, 0.07, *(round(t / 100, 2) for t in range(10, 96, 5))]
SPREADS = [0.0, 0.5, 1.0, 2.0, 4.0]


@dataclass
class TopicRows:
    """One tuning topic as the product sees it: its units, their features and labels."""

    topic: BriefingTopic
    gathered: Gathered
    units: list[Candidate]
    x: list[list[float]]
    y: list[int]
    catalog: Catalog


def topic_rows(assistant: Any, topic: BriefingTopic) -> TopicRows:
    """Rows for one topic: every gathered unit, labelled by whether it states a key point."""
    chain = assistant.answerer
    catalog, stats = chain.catalogs.get(), chain.stats.get()
    frame = parse_topic(topic.topic, catalog)
    gathered = gather(chain.retriever, frame, catalog, chain.documents.chunks_of)
    units = distinct(candidates_of(gathered.pool))
    x, _ = unit_vectors(gathered, units, catalog, stats, getattr(chain.offline, "synonyms", None))
    y = []
    for u in units:
        text = norm(u.text)
        y.append(int(any(
            _holds_evidence(text, [norm(p.evidence)]) and (not p.doc or u.chunk.source == p.doc)
            for p in topic.key_points if norm(p.evidence)
        )))
    return TopicRows(topic, gathered, units, x, y, catalog)


def briefed_text(
    rows: TopicRows, probs: list[float], *, budget: int, threshold: float, spread: float
) -> tuple[str, int]:
    """What a briefing of the topic would say with these probabilities (bullets and target rows), and its length."""
    chosen = choose(rows.units, probs, rows.gathered, rows.catalog, budget=budget, threshold=threshold, spread=spread)
    parts = []
    for c in chosen:
        parts += [_target_text(t) for t in c.targets] if c.targets else [c.unit.display]
    text = "\n".join(parts)
    return text, sum(c.cost for c in chosen)


def _target_text(t: Target) -> str:
    return " ".join(x for x in (t.indicator, t.baseline, t.value, t.period, t.attribute) if x)


def coverage(rows: TopicRows, text: str) -> tuple[int, int]:
    """Key points covered by a text, as the eval measures them."""
    flags = [key_point_covered(text, point=p.point, evidence=p.evidence) for p in rows.topic.key_points]
    return sum(flags), len(flags)


def _probs(model: Any, x: list[list[float]], idx: list[int]) -> list[float]:
    import numpy as np

    if not x:
        return []
    return [float(p) for p in model.predict_proba(np.array([[r[i] for i in idx] for r in x]))[:, 1]]


def _matrix(rows: list[TopicRows], idx: list[int]):
    import numpy as np

    x = np.array([[r[i] for i in idx] for t in rows for r in t.x])
    y = np.array([v for t in rows for v in t.y])
    return x, y


def out_of_fold(rows: list[TopicRows], idx: list[int], *, c: float) -> tuple[list[list[float]], float]:
    """Unit probabilities for every topic from a model fitted on the other topics, and the unit-level AUC."""
    from sklearn.metrics import roc_auc_score

    probs = []
    for i, held in enumerate(rows):
        model = fit_linear(*_matrix([t for j, t in enumerate(rows) if j != i], idx), c=c)
        probs.append(_probs(model, held.x, idx))
    labels = [v for t in rows for v in t.y]
    scores = [p for ps in probs for p in ps]
    return probs, float(roc_auc_score(labels, scores))


def curve(
    rows: list[TopicRows], probs: list[list[float]], *, budget: int, extra: float | None = None
) -> list[dict[str, float]]:
    """Per threshold (the grid, and `extra`) and spread: tuning key-point coverage and mean body characters,
    each topic briefed at the budget."""
    thresholds = sorted({*THRESHOLDS, *([extra] if extra is not None else [])})
    out = []
    for s in SPREADS:
        for t in thresholds:
            cov, chars = at(rows, probs, budget=budget, threshold=t, spread=s)
            out.append({"threshold": t, "spread": s, "coverage": cov, "chars": chars})
    return out


def at(rows: list[TopicRows], probs: list[list[float]], *, budget: int, threshold: float, spread: float):
    """Tuning coverage and mean body characters at one threshold and spread."""
    covered = total = chars = 0
    for r, p in zip(rows, probs, strict=True):
        text, used = briefed_text(r, p, budget=budget, threshold=threshold, spread=spread)
        a, b = coverage(r, text)
        covered, total, chars = covered + a, total + b, chars + used
    return covered / max(total, 1), chars / max(len(rows), 1)


MISSED_TARGET = 0.05  # units stating a key point the threshold may leave out (out-of-fold), as the answerer's rule


def choose_threshold(rows: list[TopicRows], probs: list[list[float]]) -> float:
    """The highest threshold that leaves out at most MISSED_TARGET of the units stating a key point, by their
    out-of-fold probabilities (the answer engine chooses its threshold the same way)."""
    positives = sorted(p for r, ps in zip(rows, probs, strict=True) for p, y in zip(ps, r.y, strict=True) if y)
    if not positives:
        return 0.5
    return round(positives[math.floor(MISSED_TARGET * len(positives))] - 1e-6, 4)


def choose_spread(points: list[dict[str, float]], threshold: float) -> float:
    """The spread with the best tuning coverage at the threshold (the least spread among equals)."""
    at_threshold = [p for p in points if p["threshold"] == threshold]
    best = max(p["coverage"] for p in at_threshold)
    return min(p["spread"] for p in at_threshold if p["coverage"] >= best - 1e-9)


def collect(specs: list[tuple[str, Path, list[str]]]) -> list[TopicRows]:
    """Rows of every tuning topic of every index's suites."""
    rows: list[TopicRows] = []
    for name, data_dir, suites in specs:
        assistant = build_assistant(load_settings(data_dir=data_dir))
        for suite in suites:
            topics = select_split(load_briefing_suite(suite).topics, "tune")
            rows += [topic_rows(assistant, t) for t in topics]
            print(f"{name}/{suite}: {len(topics)} tuning topics", file=sys.stderr)
    return rows


def linear_json(model: Any, names: tuple[str, ...]) -> dict[str, Any]:
    """A fitted scaler + logistic regression as the JSON the product reads (assistant.answering.scorer)."""
    scaler, lr = model.steps[0][1], model.steps[1][1]
    return {"features": list(names), "mean": [float(v) for v in scaler.mean_],
            "scale": [float(v) for v in scaler.scale_], "coef": [float(v) for v in lr.coef_[0]],
            "intercept": float(lr.intercept_[0])}


def _spec(text: str) -> tuple[str, Path, list[str]]:
    name, rest = text.split("=", 1)
    data_dir, suites = rest.rsplit(":", 1)
    return name, Path(data_dir), suites.split(",")


def main(argv: list[str] | None = None) -> int:
    """Fit, choose the threshold, write the model; print the cross-validated figures (and the ablation)."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--index", action="append", required=True, type=_spec, metavar="NAME=DATA_DIR:SUITES")
    parser.add_argument("--out", type=Path, default=MODEL_PATH)
    parser.add_argument("--budget", type=int, default=3000, help="body characters (settings.brief_chars)")
    parser.add_argument("--c", type=float, default=0.1, help="inverse regularisation strength")
    parser.add_argument("--ablation", action="store_true", help="cross-validated AUC and coverage without each feature")
    args = parser.parse_args(argv)
    rows = collect(args.index)
    idx = list(range(len(BRIEF_FEATURES)))
    probs, auc = out_of_fold(rows, idx, c=args.c)
    threshold = choose_threshold(rows, probs)
    points = curve(rows, probs, budget=args.budget, extra=threshold)
    spread = choose_spread(points, threshold)
    best = next(p for p in points if p["threshold"] == threshold and p["spread"] == spread)
    model = fit_linear(*_matrix(rows, idx), c=args.c)
    info = {
        "fitted_on": [f"{n}:{','.join(s)} (tune)" for n, _, s in args.index],
        "topics": len(rows), "units": sum(len(r.y) for r in rows), "positives": sum(sum(r.y) for r in rows),
        "unit_cv_auc": round(auc, 4), "budget": args.budget,
        "threshold_rule": f"the highest threshold leaving out at most {MISSED_TARGET} of the units stating a key "
                          "point (out-of-fold); the spread with the best tuning coverage there",
        "tune_coverage_out_of_fold": round(best["coverage"], 4), "curve": points,
    }
    payload = {"unit": linear_json(model, BRIEF_FEATURES), "threshold": threshold, "spread": spread, "info": info}
    args.out.write_text(json.dumps(payload, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(json.dumps({k: v for k, v in info.items() if k != "curve"}, ensure_ascii=False))
    print(f"threshold {threshold} spread {spread}")
    for p in points:
        print(f"  t={p['threshold']:.2f} spread={p['spread']:.1f}  coverage {p['coverage']:.3f}  chars {p['chars']:.0f}")
    for name, coef in zip(BRIEF_FEATURES, payload["unit"]["coef"], strict=True):
        print(f"  {name:20s} {coef:+.3f}")
    if args.ablation:
        print("ablation (out-of-fold unit AUC and tuning coverage at the chosen threshold, without each feature):")
        for i, name in enumerate(BRIEF_FEATURES):
            kept = [j for j in idx if j != i]
            p, a = out_of_fold(rows, kept, c=args.c)
            cov = at(rows, p, budget=args.budget, threshold=threshold, spread=spread)[0]
            print(f"  -{name:20s} auc {a:.4f} ({a - auc:+.4f})  coverage {cov:.3f} ({cov - best['coverage']:+.3f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
