"""Fit the offline answerer's candidate scorer on the tuning splits, calibrate when to decline, write the model.

    python -m eval.fit_answerer --index sample=var-sample:dev,heldout --index more=var-more:corpus_more \\
        [--out assistant/data/answer_model.json] [--ablation]

Each `--index NAME=DATA_DIR:SUITE,SUITE` is a built knowledge base and the suites asked against it (their
`tune` items only; `test` items are never read here). Training rows are candidate units of the retrieved
passages, labelled by whether they hold the item's evidence. Negatives include realistic unanswerable
questions: every answerable tuning question asked again with its source documents left out of the index.
The decision threshold is the calibrated probability chosen on these questions (see choose_threshold).
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from assistant.answering.asked_years import facet_relative
from assistant.answering.candidates import candidates_of
from assistant.answering.decide import FACET_FEATURES, facet_features
from assistant.answering.eligible import eligible
from assistant.answering.features import FEATURES, features
from assistant.answering.frame import Facet
from assistant.answering.gather import gather_contexts
from assistant.answering.scorer import MODEL_PATH
from assistant.answering.terms import question_terms
from assistant.config import load_settings
from assistant.retrieval.routing import Catalog, Scope
from assistant.service import build_assistant
from assistant.text import norm, years_in
from eval.suite import EvalItem, load_suite, select_split

WRONG_DECLINE_TARGET = 0.05  # answerable facets declined (with their evidence among the sources) at most this


@dataclass
class FacetRows:
    """The candidate rows of one facet of one question, and whether it should be answered."""

    group: str  # question id (for grouped cross-validation)
    answerable: bool  # the evidence is among the sources
    x: list[list[float]]
    y: list[int]
    decide: Callable[[list[float]], list[float]]  # unit probabilities -> the facet's decider features
    hard: list[int]  # rows the unit scorer is fitted on: the positives and the closest negatives


def facet_rows(
    assistant: Any, item: EvalItem, *, k: int, leave_out: bool, tag: str = "", cut: bool = False
) -> list[FacetRows]:
    """Rows for an item as the product sees it. With leave_out, its source documents are not in the collection
    (not searchable, not in the catalog); with cut, the passages stating its evidence are gone from an otherwise
    whole collection (the document is there but does not say it). Both make realistic unanswerable questions."""
    chain = assistant.answerer
    catalog = chain.catalogs.get()
    stats = chain.stats.get()
    only = None
    if leave_out:
        catalog = Catalog([p.info for p in catalog.profiles.values() if p.info.source not in item.doc])
        only = set(catalog.profiles)
    question, frame, _ = chain.understood(item.question, catalog)  # as the product reads it
    hits = gather_contexts(chain.retriever, frame, question, catalog, k=k + 8 if cut else k, only_docs=only)
    if cut:
        stated = [norm(e) for e in item.evidence if norm(e)]
        hits = [h for h in hits if not any(e in norm(h.chunk.text) for e in stated)]
    hits = hits[: max(k, 1)]
    units = candidates_of(hits)
    evidence = [norm(e) for e in item.evidence if norm(e)] if item.answerable else []
    out = []
    facets = frame.facets or [Facet("", frame.scope)]
    years = {d: p.info.year for d, p in catalog.profiles.items()}
    for facet in facets:
        terms = question_terms(frame, stats, facet.text or None, chain.offline.synonyms, facet.shared)
        weights = catalog.weights(facet.scope)
        # a multi-facet item's evidence covers all facets: a unit holds this facet's part when its document fits
        # what the facet names, and it does not speak only of another facet's years
        hard = Scope(places=facet.scope.places, doc_years=facet.scope.doc_years, doc_ids=facet.scope.doc_ids)
        fits = set(catalog.matching(hard)) if frame.multi and not hard.empty else None
        facet_years = set(facet.scope.years) if frame.multi else set()
        relative = facet_relative(frame, facet)
        facet_units = eligible(units, facet, catalog, strict=False)  # other places' units: negatives to learn from
        xs, ys = [], []
        for u in facet_units:
            xs.append(features(u, frame, terms, hits, facet.scope, weights, years.get(u.chunk.doc_id), relative))
            holds = _holds_evidence(norm(u.text), evidence, [norm(m) for m in item.must_include])
            said = years_in(u.display) | years_in(" ".join(u.chunk.section))
            doc_year = years.get(u.chunk.doc_id)
            asked = facet_years | ({doc_year + r for r in relative} if doc_year and frame.multi else set())
            other_year = bool(asked and said and not said & asked)
            ys.append(int(holds and (fits is None or u.chunk.doc_id in fits) and not other_year))
        decide = partial(_facet_vector, xs, facet_units, frame, terms, facet.scope, catalog)
        group = f"{item.id}{'-out' if leave_out else ''}{'-cut' if cut else ''}{tag}"
        out.append(FacetRows(group, any(ys), xs, ys, decide, _hard(xs, ys)))
    return out


HARD_NEGATIVES = 40  # per facet: the negatives that cover the question best are the ones to tell apart


def _hard(xs: list[list[float]], ys: list[int]) -> list[int]:
    """Positives and the negatives that look most like answers (by coverage and retrieval score)."""
    cov, ret = FEATURES.index("coverage_context"), FEATURES.index("retrieval")
    negatives = sorted((i for i, y in enumerate(ys) if not y), key=lambda i: -(xs[i][cov] + 0.5 * xs[i][ret]))
    return sorted([i for i, y in enumerate(ys) if y] + negatives[:HARD_NEGATIVES])


def _facet_vector(xs, units, frame, terms, scope, catalog, probs: list[float]) -> list[float]:
    return facet_features(probs, xs, units, frame, terms, scope, catalog)


def _holds_evidence(unit: str, evidence: list[str], must: list[str] = ()) -> bool:
    """A unit holds evidence when it contains it, or a piece of it: evidence spanning sentences is cut into its
    sentences, and the ones holding a must_include term are the ones that count (all, if none does); a unit
    inside a piece counts when it is long enough to be a statement, as does a large shared part."""
    for e in evidence:
        if e in unit:
            return True
        pieces = [p for p in re.split(r"(?<=[。；;！？])", e) if len(p) >= 6] or [e]
        keyed = [p for p in pieces if any(m in p for m in must)] or pieces
        for p in keyed:
            if p in unit or (len(unit) >= 8 and unit in p):
                return True
            if len(p) >= 12 and _longest_common(unit, p) >= 0.6 * len(p):
                return True
    return False


def _longest_common(a: str, b: str) -> int:
    best = 0
    prev = [0] * (len(b) + 1)
    for ch in a:
        cur = [0] * (len(b) + 1)
        for j, bj in enumerate(b, 1):
            if ch == bj:
                cur[j] = prev[j - 1] + 1
                best = max(best, cur[j])
        prev = cur
    return best


def collect(specs: list[tuple[str, Path, list[str]]], *, k: int) -> list[FacetRows]:
    """Rows from every index and its suites' tuning items, their leave-one-out negatives, and the other
    indexes' tuning questions asked against it (questions about documents it does not hold)."""
    rows: list[FacetRows] = []
    for name, data_dir, suites in specs:
        settings = load_settings(data_dir=data_dir)
        assistant = build_assistant(settings)
        for suite in suites:
            items = select_split(load_suite(suite).items, "tune")
            for item in items:
                rows += facet_rows(assistant, item, k=k, leave_out=False)
                if item.answerable and item.doc:
                    rows += facet_rows(assistant, item, k=k, leave_out=True)
                if item.answerable and item.evidence:
                    rows += [_as_unanswerable(fr) for fr in facet_rows(assistant, item, k=k, leave_out=False, cut=True)]
            print(f"{name}/{suite}: {len(items)} tuning items", file=sys.stderr)
        foreign = [s for other, _, ss in specs if other != name for s in ss]
        for suite in foreign:
            for item in select_split(load_suite(suite).items, "tune"):
                if item.answerable:
                    rows += [_as_unanswerable(fr) for fr in facet_rows(assistant, item, k=k, leave_out=False,
                                                                        tag=f"-in-{name}")]
            print(f"{name}: {suite} asked as questions about documents it does not hold", file=sys.stderr)
    return rows


def _as_unanswerable(fr: FacetRows) -> FacetRows:
    """A question asked of a collection without its documents: nothing in it answers (whatever it quotes)."""
    return FacetRows(fr.group, False, fr.x, [0] * len(fr.y), fr.decide, fr.hard)


def _matrix(rows: list[FacetRows], idx: list[int]):
    import numpy as np

    x = np.array([[fr.x[j][i] for i in idx] for fr in rows for j in fr.hard])
    y = np.array([fr.y[j] for fr in rows for j in fr.hard])
    return x, y


def fit_linear(x: Any, y: Any, *, c: float = 1.0) -> Any:
    """Logistic regression on standardised features, classes balanced."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    model = make_pipeline(StandardScaler(), LogisticRegression(C=c, class_weight="balanced", max_iter=2000))
    model.fit(x, y)
    return model


def _unit_probs(model: Any, fr: FacetRows, idx: list[int]) -> list[float]:
    import numpy as np

    if not fr.x:
        return []
    return [float(p) for p in model.predict_proba(np.array([[r[i] for i in idx] for r in fr.x]))[:, 1]]


def _question(fr: FacetRows) -> str:
    """The question a facet comes from (its variants stay in one fold)."""
    return fr.group.split("-")[0]


def out_of_fold(rows: list[FacetRows], idx: list[int], *, folds: int = 5, c: float = 1.0):
    """Unit probabilities for every facet from a model that never saw its question (folds grouped by question),
    and the unit-level AUC."""
    from sklearn.metrics import roc_auc_score

    groups = sorted({_question(fr) for fr in rows})
    fold_of = {g: i % folds for i, g in enumerate(groups)}
    probs: dict[int, list[float]] = {}
    for f in range(folds):
        train = [fr for fr in rows if fold_of[_question(fr)] != f]
        model = fit_linear(*_matrix(train, idx), c=c)
        for n, fr in enumerate(rows):
            if fold_of[_question(fr)] == f:
                probs[n] = _unit_probs(model, fr, idx)
    scores = [p for n in range(len(rows)) for p in probs[n]]
    labels = [v for fr in rows for v in fr.y]
    auc = roc_auc_score(labels, scores) if len(set(labels)) == 2 else float("nan")
    return [probs[n] for n in range(len(rows))], auc, fold_of


def decider_rows(rows: list[FacetRows], probs: list[list[float]]):
    """The decider's training set: facet features from (out-of-fold) unit probabilities, answerable labels."""
    import numpy as np

    x = np.array([fr.decide(p) for fr, p in zip(rows, probs, strict=True)])
    y = np.array([int(fr.answerable) for fr in rows])
    return x, y


def out_of_fold_decider(
    rows, probs, fold_of, *, folds: int = 5, c: float = 1.0, columns: list[int] | None = None
) -> list[tuple[float, bool]]:
    """Out-of-fold decider probabilities per facet, with whether the facet should be answered."""
    x, y = decider_rows(rows, probs)
    if columns is not None:
        x = x[:, columns]
    out: dict[int, float] = {}
    for f in range(folds):
        train = [n for n, fr in enumerate(rows) if fold_of[_question(fr)] != f]
        test = [n for n, fr in enumerate(rows) if fold_of[_question(fr)] == f]
        model = fit_linear(x[train], y[train], c=c)
        for n, p in zip(test, model.predict_proba(x[test])[:, 1], strict=True):
            out[n] = float(p)
    return [(out[n], bool(y[n])) for n in range(len(rows))]


def choose_thresholds(
    best: list[tuple[float, bool]], units: list[float]
) -> tuple[float, float]:
    """The decider's threshold and the best unit's floor, together: of the pairs that wrongly decline at most
    WRONG_DECLINE_TARGET of the answerable facets (out-of-fold), the one that declines most unanswerable
    ones (ties: the lower pair)."""
    answerable = [(p, u) for (p, a), u in zip(best, units, strict=True) if a]
    other = [(p, u) for (p, a), u in zip(best, units, strict=True) if not a]
    allowed = math.floor(WRONG_DECLINE_TARGET * len(answerable))
    cut_p = sorted(p for p, _ in answerable)[: allowed + 1] or [0.5]
    cut_u = sorted(u for _, u in answerable)[: allowed + 1] or [0.0]
    chosen, declined_best = (cut_p[0] - 1e-6, 0.0), -1
    for tp in cut_p:
        for tu in cut_u:
            tp_, tu_ = tp - 1e-6, tu - 1e-6
            lost = sum(p < tp_ or u < tu_ for p, u in answerable)
            if lost > allowed:
                continue
            declined = sum(p < tp_ or u < tu_ for p, u in other)
            if declined > declined_best:
                chosen, declined_best = (tp_, tu_), declined
    return round(chosen[0], 4), round(chosen[1], 4)


def choose_threshold(best: list[tuple[float, bool]]) -> tuple[float, list[dict[str, float]]]:
    """The highest threshold that wrongly declines at most WRONG_DECLINE_TARGET of the answerable facets
    (out-of-fold), and the reliability curve: per threshold, the share of answerable facets declined and
    of unanswerable facets declined."""
    pos = sorted(p for p, a in best if a)
    neg = [p for p, a in best if not a]
    curve = []
    for t in [i / 100 for i in range(5, 96, 5)]:
        curve.append({
            "threshold": t,
            "answerable_declined": sum(p < t for p in pos) / max(len(pos), 1),
            "unanswerable_declined": sum(p < t for p in neg) / max(len(neg), 1),
        })
    allowed = math.floor(WRONG_DECLINE_TARGET * len(pos))
    threshold = pos[allowed] if pos else 0.5  # declining below this loses at most `allowed` answerable facets
    return round(threshold - 1e-6, 4), curve


def reliability(best: list[tuple[float, bool]], bins: int = 10) -> list[dict[str, float]]:
    """Calibration: per probability bin, the share of facets that should be answered."""
    out = []
    for b in range(bins):
        lo, hi = b / bins, (b + 1) / bins
        inside = [a for p, a in best if lo <= p < hi or (b == bins - 1 and p == 1.0)]
        if inside:
            out.append({"bin": f"{lo:.1f}-{hi:.1f}", "n": len(inside), "answerable": sum(inside) / len(inside)})
    return out


def _linear_json(model: Any, names: tuple[str, ...], used: list[int]) -> dict[str, Any]:
    """The model over all the code's features; those left out get weight 0."""
    scaler, lr = model.steps[0][1], model.steps[1][1]
    mean, scale, coef = [0.0] * len(names), [1.0] * len(names), [0.0] * len(names)
    for j, i in enumerate(used):
        mean[i], scale[i], coef[i] = float(scaler.mean_[j]), float(scaler.scale_[j]), float(lr.coef_[0][j])
    return {"features": list(names), "mean": mean, "scale": scale, "coef": coef,
            "intercept": float(lr.intercept_[0])}


def _spec(text: str) -> tuple[str, Path, list[str]]:
    name, rest = text.split("=", 1)
    data_dir, suites = rest.rsplit(":", 1)
    return name, Path(data_dir), suites.split(",")


def fit_payload(
    rows: list[FacetRows], specs: list[tuple[str, Path, list[str]]], *, c: float = 1.0,
    drop: frozenset[str] = frozenset(),
) -> tuple[dict[str, Any], float]:
    """Fit both models and choose the threshold; features named in `drop` are left out (weight 0).

    Returns the model file's content and the unit scorer's cross-validated AUC.
    """
    idx = [i for i, name in enumerate(FEATURES) if name not in drop]
    facet_idx = [i for i, name in enumerate(FACET_FEATURES) if name not in drop]
    probs, auc, fold_of = out_of_fold(rows, idx, c=c)
    best = out_of_fold_decider(rows, probs, fold_of, c=c, columns=facet_idx)
    _, curve = choose_threshold(best)
    threshold, unit_floor = choose_thresholds(best, [max(p, default=0.0) for p in probs])
    unit_model = fit_linear(*_matrix(rows, idx), c=c)
    x, y = decider_rows(rows, probs)
    facet_model = fit_linear(x[:, facet_idx], y, c=c)  # trained on out-of-fold unit probabilities
    info = {
        "fitted_on": [f"{n}:{','.join(s)} (tune)" for n, _, s in specs],
        "left_out": sorted(drop),
        "facets": len(rows), "answerable_facets": sum(fr.answerable for fr in rows),
        "units": sum(len(fr.y) for fr in rows), "positives": sum(sum(fr.y) for fr in rows),
        "unit_cv_auc": round(auc, 4),
        "threshold_rule": f"decider threshold and best-unit floor chosen together: wrongly declined <= "
                          f"{WRONG_DECLINE_TARGET} of answerable facets (out-of-fold), most unanswerable declined",
        "curve": curve, "reliability": reliability(best),
    }
    payload = {
        "unit": _linear_json(unit_model, FEATURES, idx), "facet": _linear_json(facet_model, FACET_FEATURES, facet_idx),
        "threshold": threshold, "unit_floor": unit_floor, "extra": 0.5, "info": info,
    }
    return payload, auc


def main(argv: list[str] | None = None) -> int:
    """Fit, calibrate, write the model; print the cross-validated figures."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--index", action="append", required=True, type=_spec, metavar="NAME=DATA_DIR:SUITES")
    parser.add_argument("--out", type=Path, default=MODEL_PATH)
    parser.add_argument("--k", type=int, default=12, help="passages the answerer reads (settings.answer_pool)")
    parser.add_argument("--c", type=float, default=1.0, help="inverse regularisation strength")
    args = parser.parse_args(argv)
    rows = collect(args.index, k=args.k)
    payload, _ = fit_payload(rows, args.index, c=args.c)
    args.out.write_text(json.dumps(payload, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    info = payload["info"]
    print(json.dumps({k: v for k, v in info.items() if k not in ("curve", "reliability")}, ensure_ascii=False))
    print(f"threshold {payload['threshold']}, unit floor {payload['unit_floor']}")
    for row in info["curve"]:
        print(f"  t={row['threshold']:.2f}  answerable declined {row['answerable_declined']:.3f}  "
              f"unanswerable declined {row['unanswerable_declined']:.3f}")
    for name, coef in zip(FACET_FEATURES, payload["facet"]["coef"], strict=True):
        print(f"  decider {name:20s} {coef:+.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
