"""Whether a facet of a question is answered at all: a second fitted model over facet-level evidence.

The unit scorer ranks units well within a question; whether the best of them really answers is a
different question — the sources may be about another place or year, or miss the asked indicator.
"""

from __future__ import annotations

import math
import re

from assistant.answering.candidates import Candidate
from assistant.answering.features import FEATURES
from assistant.answering.frame import QuestionFrame
from assistant.answering.terms import QuestionTerms
from assistant.retrieval.routing import NATIONAL, Catalog, Scope
from assistant.text import norm

FACET_FEATURES = (
    "best_logit",  # log-odds of the best unit's probability
    "second_gap",  # best minus second-best unit probability (of another statement)
    "best_coverage",  # the best unit's coverage of the question's terms (with its context)
    "best_scope_fit",  # how well the best unit's document fits the facet's places/years/documents
    "terms_absent",  # IDF share of the question's terms found in no retrieved passage
    "rare_absent",  # the question's rarest term is in no retrieved passage
    "scope_unmatched",  # the facet names a place or a document year no document of the collection is for
    "best_figure_missing",  # a figure is asked for and the best unit holds none
    "best_rare_missing",  # the question's rarest term is not in the best unit or its context
    "best_term_figure",  # a figure is asked for and the best unit has a clause with a key term and a figure
    "best_year_conflict",  # the best unit speaks of other years than the asked ones
)
_COVERAGE = FEATURES.index("coverage_context")
_SCOPE = FEATURES.index("scope_fit")
_FIGURE_MISSING = FEATURES.index("figure_missing")
_RARE = FEATURES.index("rare_term_context")
_TERM_FIGURE = FEATURES.index("term_figure")
_YEAR_CONFLICT = FEATURES.index("year_conflict")


def facet_features(
    probs: list[float], vectors: list[list[float]], units: list[Candidate], frame: QuestionFrame,
    terms: QuestionTerms, scope: Scope, catalog: Catalog,
) -> list[float]:
    """The facet's feature vector, in FACET_FEATURES order."""
    if not probs:
        return [-10.0, 0.0, 0.0, 0.0, 1.0, 1.0, float(_unmatched(scope, catalog)), 0.0, 1.0, 0.0, 0.0]
    order = sorted(range(len(probs)), key=lambda i: -probs[i])
    top = order[0]
    # (the same words in an overlapping chunk are the same statement, no second one)
    # (nor is a unit giving the asked figure the best one gives: it agrees, it is no rival answer)
    agreed = _values(units[top].display) if frame.wants_number else set()
    second = next((probs[i] for i in order[1:] if (units[i].sentence != units[top].sentence
                   or units[i].chunk.id != units[top].chunk.id) and units[i].display != units[top].display
                   and not agreed & _values(units[i].display)), 0.0)
    p = min(max(probs[top], 1e-6), 1 - 1e-6)
    passages = {u.chunk.id: norm(u.chunk.text + u.chunk.title + " ".join(u.chunk.section)) for u in units}
    text = "".join(passages.values())
    total = sum(terms.weights.values()) or 1.0
    absent = sum(w for t, w in terms.weights.items() if not terms.has(t, text)) / total
    return [
        math.log(p / (1 - p)),
        probs[top] - second,
        vectors[top][_COVERAGE],
        vectors[top][_SCOPE],
        absent,
        float(bool(terms.rarest) and not terms.has(terms.rarest or "", text)),
        float(_unmatched(scope, catalog)),
        vectors[top][_FIGURE_MISSING],
        1.0 - vectors[top][_RARE],
        vectors[top][_TERM_FIGURE] if frame.wants_number else 1.0,
        vectors[top][_YEAR_CONFLICT],
    ]


_VALUE = re.compile(r"\d+(?:\.\d+)?(?:\s*[:：]\s*\d+(?:\.\d+)?|\s*%|\s*％)?")


def _values(text: str) -> set[str]:
    """The figures a text states that could be an answer: not a year, not a bare one-digit number."""
    return {v.replace(" ", "") for v in _VALUE.findall(text) if not re.fullmatch(r"(?:19|20)\d{2}|\d", v)}


def _unmatched(scope: Scope, catalog: Catalog) -> bool:
    """The scope names a place, or a year of a document, that no document of the collection is for."""
    if not catalog.profiles:
        return False
    if scope.places:
        named = [p for p in scope.places if p != NATIONAL]
        if named and not catalog.matching(Scope(places=tuple(named))):
            return True
        if NATIONAL in scope.places and not catalog.matching(Scope(places=(NATIONAL,))):
            return True
    if scope.doc_years:
        fitting = Scope(doc_years=scope.doc_years, kinds=scope.kinds, places=scope.places)
        if not catalog.matching(fitting):
            return True
    return False
