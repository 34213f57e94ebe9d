"""Choose the curated-pair matching threshold on data, and report how it does on held-out pairs.

    python -m eval.fit_curated --index sample=DATA_DIR --index more=DATA_DIR [--out report.md]

The data is `eval/suites/pairs/curated_match.jsonl`: a stored question (a curated pair's) and a later question,
labelled same (a rewording a user would type) or not (a near miss: another year, place, indicator, ordinal or
aspect). Every other question of the suites on the same corpus is a further non-match of each stored question.
Pairs are split by stored question into tune and test. The threshold is the lowest similarity at which no tune
non-match matches (target: no false match), so recall is as high as that target allows; the test split is
only reported. Dense cosine (the bundled embedder) and character-bigram Dice are scored beside it.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.answering.curated import QuestionKey, question_key, similarity, term_weights
from assistant.config import load_settings
from assistant.service import build_assistant
from assistant.text import norm
from eval.suite import SUITES_DIR, load_suite

PAIRS = SUITES_DIR / "pairs" / "curated_match.jsonl"
# the suites asked on each corpus: their questions are non-matches of every other stored question there
PRODUCT = "product: same scope, IDF-weighted terms held"
CORPUS_SUITES = {"sample": ("dev", "heldout", "tune_sample"), "more": ("corpus_more", "tune_more")}


@dataclass
class Pair:
    stored: str
    asked: str
    same: bool
    kind: str
    corpus: str
    split: str


def load_pairs(path: Path = PAIRS) -> list[Pair]:
    """The labelled pairs, plus every other suite question of the same corpus as a non-match."""
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    pairs = [Pair(r["stored"], r["asked"], bool(r["same"]), r["kind"], r["corpus"], r["split"]) for r in rows]
    stored = {(r["stored"], r["corpus"], r["split"]) for r in rows}
    for corpus, suites in CORPUS_SUITES.items():
        questions = {i.question for s in suites for i in load_suite(s).items}
        for question, c, split in sorted(stored):
            if c == corpus:
                pairs += [Pair(question, q, False, "other_question", corpus, split)
                          for q in sorted(questions) if norm(q) != norm(question)]
    return pairs


def choose_threshold(scored: list[tuple[float, bool]]) -> float:
    """The lowest threshold (two decimals) above every non-match's similarity: no false match on these pairs."""
    worst = max((s for s, same in scored if not same), default=0.0)
    return math.floor(worst * 100) / 100 + 0.01


def summary(scored: list[tuple[float, bool]], threshold: float) -> dict[str, Any]:
    """Recall of matches, false matches and AUC at a threshold."""
    pos = [s for s, same in scored if same]
    neg = [s for s, same in scored if not same]
    auc = sum((p > n) + 0.5 * (p == n) for p in pos for n in neg) / (len(pos) * len(neg)) if pos and neg else None
    return {
        "matches": len(pos), "non_matches": len(neg), "recall": sum(s >= threshold for s in pos) / max(1, len(pos)),
        "false_matches": sum(s >= threshold for s in neg), "auc": auc,
    }


def main(argv: list[str] | None = None) -> int:
    """Score every pair with each measure, choose each measure's threshold on tune, report test."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--index", action="append", required=True, metavar="CORPUS=DATA_DIR",
                        help="a built knowledge base per corpus of the pairs (sample, more)")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)
    pairs = load_pairs()
    measures: dict[str, list[tuple[Pair, float]]] = {PRODUCT: [], "dense cosine": [],
                                                     "character-bigram Dice": []}
    misses: list[str] = []
    for spec in args.index:
        corpus, _, data_dir = spec.partition("=")
        assistant = build_assistant(load_settings(data_dir=data_dir))
        chain = assistant.answerer
        catalog, stats = chain.catalogs.get(), chain.stats.get()
        weight = term_weights(stats)
        synonyms = chain.offline.synonyms
        keys: dict[str, QuestionKey] = {}
        vectors: dict[str, list[float]] = {}

        def key(q: str, _keys=keys, _catalog=catalog, _synonyms=synonyms) -> QuestionKey:
            if q not in _keys:
                _keys[q] = question_key(q, _catalog, _synonyms)
            return _keys[q]

        def vector(q: str, _vectors=vectors, _embed=assistant.embedder.embed_query) -> list[float]:
            if q not in _vectors:
                _vectors[q] = _embed(q)
            return _vectors[q]

        for p in (p for p in pairs if p.corpus == corpus):
            product = similarity(key(p.stored), key(p.asked), weight)
            measures[PRODUCT].append((p, product))
            measures["dense cosine"].append((p, _cosine(vector(p.stored), vector(p.asked))))
            measures["character-bigram Dice"].append((p, _dice(p.stored, p.asked)))
    head = "| measure | threshold (tune) | tune recall | tune false matches | test recall | test false matches | test AUC |"
    lines = [head, "|---|---|---|---|---|---|---|"]
    chosen: dict[str, float] = {}
    for name, rows in measures.items():
        tune = [(s, p.same) for p, s in rows if p.split == "tune"]
        test = [(s, p.same) for p, s in rows if p.split == "test"]
        threshold = choose_threshold(tune)
        chosen[name] = threshold
        a, b = summary(tune, threshold), summary(test, threshold)
        lines.append(f"| {name} | {threshold:.2f} | {a['recall']:.2f} ({a['matches']}) | {a['false_matches']} of "
                     f"{a['non_matches']} | {b['recall']:.2f} ({b['matches']}) | {b['false_matches']} of "
                     f"{b['non_matches']} | {b['auc']:.3f} |")
    product = measures[PRODUCT]
    threshold = chosen[PRODUCT]
    for p, s in sorted(product, key=lambda x: -x[1]):
        if p.same and s < threshold:
            misses.append(f"- missed ({p.split}, {s:.2f}): {p.stored} / {p.asked}")
        elif not p.same and s >= threshold - 0.1:
            misses.append(f"- near miss ({p.split}, {p.kind}, {s:.2f}): {p.stored} / {p.asked}")
    report = "\n".join(lines) + "\n\n" + "\n".join(misses)
    print(report)
    if args.out:
        args.out.write_text(report + "\n", encoding="utf-8")
    return 0


def _cosine(a: list[float], b: list[float]) -> float:
    dot = sum(x * y for x, y in zip(a, b, strict=True))
    na, nb = math.sqrt(sum(x * x for x in a)), math.sqrt(sum(y * y for y in b))
    return dot / (na * nb) if na and nb else 0.0


def _dice(a: str, b: str) -> float:
    grams: Callable[[str], set[str]] = lambda t: {norm(t)[i : i + 2] for i in range(len(norm(t)) - 1)}
    x, y = grams(a), grams(b)
    return 2 * len(x & y) / (len(x) + len(y)) if x and y else 0.0


if __name__ == "__main__":
    sys.exit(main())
