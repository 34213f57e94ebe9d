"""Is a unit about the topic? The answer engine's candidate features, a few a briefing adds, and a fitted model.

Every candidate unit (a sentence or ；-clause, a list item, a table row) of the gathered passages gets the
answer scorer's readable features (answering.features: coverage of the subject's terms, scope fit, years,
figures, retrieval score …) computed against the topic's frame, plus what only a briefing needs to know: is
the unit's document one the topic draws on or names, which part of a document it sits in (targets,
tasks, implementation, a look back), does it name an enumerated item. A logistic regression over them, and
the threshold below which a unit is left out, are fitted on the tuning topics of the briefing suites by
`python -m eval.fit_briefing`; nothing here is weighted by hand.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Any

from assistant.answering.candidates import Candidate
from assistant.answering.features import FEATURES, features
from assistant.answering.features import _years_of as years_of
from assistant.answering.scorer import LinearModel, linear_from_dict, load_scorer, read_model
from assistant.answering.stats import CollectionStats
from assistant.answering.terms import QuestionTerms, question_terms
from assistant.briefing.gather import Gathered
from assistant.briefing.model import MEASURES, OVERVIEW, TARGETS, TASKS
from assistant.retrieval.routing import Catalog, Scope
from assistant.text import norm, sentences
from assistant.vocab import Synonyms, vocabulary

MODEL_PATH = Path(__file__).resolve().parent.parent / "data" / "brief_model.json"

ANSWER_FEATURES = (  # the answer scorer's features a briefing uses (answering.features.FEATURES)
    "coverage",  # IDF-weighted share of the subject's terms in the unit
    "coverage_context",  # ... in the unit, its lead-in, its section path or its document title
    "heading",  # share of the subject's terms in the unit's section path
    "bigrams",  # share of the subject's character bigrams in the unit
    "retrieval",  # its passage's retrieval score relative to the best
    "scope_fit",  # how well its document fits the places/years/documents the facet names
    "year_hit",  # it (or its section) names a year the topic names
    "year_conflict",  # it names years, none of them the topic's
    "table_row",  # it is a table row
    "length",  # log length
)
BRIEF_FEATURES = (
    *ANSWER_FEATURES,
    "answer_logit",  # the answer scorer's log-odds that the unit answers the topic asked as a question
    "doc_focus",  # 1 / how many documents the facet draws on (1: the topic pins down its document)
    "doc_named",  # its document is one the topic names or hints at by its title's words
    "title_terms",  # IDF share of the subject's terms in its document's title (the topic is the document)
    "local_off_title",  # share of the subject's terms in it, its paragraph's lead or its section path, when they
    # are not in its document's title (the topic is one subject inside the document)
    "part_wanted",  # the part of its document it sits in is one the topic asks for
    "target_part",  # it sits in (or states) targets
    "measure_part",  # ... in the implementation/safeguard part
    "overview_part",  # ... in the guiding ideas, principles or a document's preamble
    "past_section",  # ... in a section that looks back (发展基础, 回顾)
    "before_topic",  # the years it (or its section) speaks of all come before the topic's years
    "item_hit",  # an item the topic enumerates is in it or its section path
    "paragraph_lead",  # share of the subject's terms in the sentence that opens its paragraph ("加快推进…建设。…")
    "section_score",  # the best retrieval score in its section
    "direct_hit",  # its passage was retrieved itself, not only read with its section
    "figure",  # it holds a figure
    "target_statement",  # it states a target (a target word or verb with a figure)
    "statement",  # it is a statement (a sentence, clause, item or row), not a heading, number or date line
)
_PICK = [FEATURES.index(name) for name in ANSWER_FEATURES]
_STATEMENT_END = ("。", "；", "！", "？", ";", "!", "?", "：", ":", "，", ",")
_DATE_LINE = re.compile(r"^\s*(?:(?:19|20)\d{2}|[〇零一二三四五六七八九]{4})\s*年[\d〇零一二三四五六七八九十\s]+月[\d〇零一二三四五六七八九十\s]+日\s*$")
_FIGURE = re.compile(r"(?<![\d年])\d+(?:\.\d+)?(?!\d*\s*年)")


@dataclass(frozen=True)
class BriefModel:
    """The fitted relevance model and the threshold below which a unit is not about the topic."""

    unit: LinearModel
    threshold: float  # a unit less probable than this is not about the topic
    spread: float = 0.0  # log-odds taken off a unit for each unit already chosen from its section
    info: dict[str, Any] = field(default_factory=dict, compare=False)

    def to_dict(self) -> dict[str, Any]:
        """JSON form (what the fitting script writes)."""
        return {"unit": self.unit.to_dict(), "threshold": self.threshold, "spread": self.spread, "info": self.info}


def model_from_dict(data: dict[str, Any]) -> BriefModel:
    """A BriefModel from its JSON form."""
    return BriefModel(
        linear_from_dict(data["unit"], BRIEF_FEATURES), float(data["threshold"]), float(data.get("spread", 0.0)),
        dict(data.get("info", {})),
    )


@cache
def load_model(path: Path = MODEL_PATH) -> BriefModel:
    """The shipped model (read once)."""
    return model_from_dict(read_model(path, "briefing model", "python -m eval.fit_briefing"))


def part_of(unit: Candidate) -> str:
    """The briefing part a unit belongs to, by the headings above it and what it says."""
    words = vocabulary().briefing
    heading = norm(" ".join(unit.chunk.section))
    if any(w in heading for w in words.measure_headings):
        return MEASURES
    if is_past(unit):
        return OVERVIEW
    if states_target(unit.display) or any(w in heading for w in words.target_headings):
        return TARGETS
    if any(w in heading for w in words.overview_headings) or not unit.chunk.section:
        return OVERVIEW
    return TASKS


def is_past(unit: Candidate) -> bool:
    """The unit sits in a section that looks back (the last period's record, the current situation)."""
    heading = norm(" ".join(unit.chunk.section))
    return any(w in heading for w in vocabulary().briefing.past_headings)


def states_target(text: str) -> bool:
    """A sentence that states a target: a figure with a target word or verb."""
    words = vocabulary().briefing
    said = (*words.target_sentence_words, *words.target_verbs, *words.target_qualifiers)
    return bool(_FIGURE.search(text)) and any(w in text for w in said)


def topic_terms(gathered: Gathered, stats: CollectionStats, synonyms: Synonyms | None = None) -> QuestionTerms:
    """The subject's terms weighted by rarity in the collection (the items it enumerates included), equivalent
    wordings matched as one term as the answerer matches them."""
    frame = gathered.frame
    text = " ".join([frame.subject, *frame.items]) or frame.topic
    return question_terms(replace(frame.question, question=text), stats, synonyms=synonyms)


def unit_vectors(
    gathered: Gathered, units: list[Candidate], catalog: Catalog, stats: CollectionStats,
    synonyms: Synonyms | None = None,
) -> tuple[list[list[float]], list[list[float]]]:
    """Each unit's feature vector (BRIEF_FEATURES order), against the facet its passage was gathered for, and
    its answer-scorer feature vector (answering.features.FEATURES order)."""
    frame = gathered.frame
    question = replace(frame.question, question=" ".join([frame.subject, *frame.items]) or frame.topic)
    terms = topic_terms(gathered, stats, synonyms)
    years = {d: p.info.year for d, p in catalog.profiles.items()}
    named = set(frame.scope.doc_ids) | set(frame.scope.hinted)
    items = [norm(i) for i in frame.items]
    weights = [catalog.weights(f.scope) for f in frame.facets]
    best = max((r.score for r in gathered.pool), default=1.0) or 1.0
    scorer = load_scorer().unit
    leads: dict[str, list[tuple[str, str]]] = {}
    out, answer = [], []
    for u in units:
        f = gathered.facet[u.context]
        facet = frame.facets[f]
        full = features(u, question, terms, gathered.pool, facet.scope, weights[f], years.get(u.chunk.doc_id), best=best)
        answer.append(full)
        p = min(max(scorer.probability(full), 1e-6), 1 - 1e-6)
        x = [*(full[i] for i in _PICK), math.log(p / (1 - p))]
        sources = gathered.sources[f]
        focus = 1.0 / len(sources) if sources else 0.0
        where = norm(u.display + " ".join(u.chunk.section))
        in_title = _share(terms, norm(u.chunk.title))
        lead = _lead(u, leads)
        part = part_of(u)
        x += [
            focus,
            float(u.chunk.doc_id in named),
            in_title,
            (1 - in_title) * _share(terms, norm(u.display) + norm(" ".join(u.chunk.section)) + lead),
            float(not frame.parts or part in frame.parts),
            float(part == TARGETS),
            float(part == MEASURES),
            float(part == OVERVIEW and not is_past(u)),
            float(is_past(u)),
            float(_before(u, frame.scope.years, years.get(u.chunk.doc_id))),
            float(any(i in where for i in items)),
            _share(terms, lead),
            gathered.section[u.context],
            float(gathered.hit[u.context]),
            float(bool(_FIGURE.search(u.display))),
            float(states_target(u.display)),
            float(is_statement(u)),
        ]
        out.append(x)
    return out, answer


ABSENT_LIMIT = 0.5  # a topic most of whose subject (by IDF weight) is in no gathered passage is not covered


def terms_absent(gathered: Gathered, stats: CollectionStats, synonyms: Synonyms | None = None) -> float:
    """IDF share of the subject's terms that occur in no gathered passage (as the answer decider measures it)."""
    terms = topic_terms(gathered, stats, synonyms)
    text = "".join(norm(r.chunk.text + r.chunk.title + " ".join(r.chunk.section)) for r in gathered.pool)
    total = sum(terms.weights.values()) or 1.0
    return sum(w for t, w in terms.weights.items() if not terms.has(t, text)) / total


def unmatched(scope: Scope, catalog: Catalog) -> bool:
    """A facet names a place, or a year of a kind of document, that no document of the collection is for
    ("某省…" in a collection without that province's documents; "2022—2024年政府工作报告…" without those reports)."""
    if not catalog.profiles:
        return False
    if scope.places and not catalog.matching(Scope(places=scope.places)):
        return True
    if scope.doc_years and not catalog.matching(Scope(places=scope.places, doc_years=scope.doc_years)):
        return True
    if scope.years and scope.kinds and not scope.doc_years:
        fitting = catalog.matching(Scope(places=scope.places, kinds=scope.kinds))
        held = {y for d in fitting for y in catalog.profiles[d].years}
        return not held & set(scope.years)
    return False


def _share(terms: QuestionTerms, text: str) -> float:
    """IDF share of the subject's terms in a (normalised) text."""
    total = sum(terms.weights.values()) or 1.0
    return sum(w for t, w in terms.weights.items() if terms.has(t, text)) / total


def _lead(u: Candidate, cache: dict[str, list[tuple[str, str]]]) -> str:
    """The first sentence of the paragraph (source line) a unit is in, normalised ("" for a table row)."""
    if u.kind == "row":
        return ""
    if u.chunk.id not in cache:
        cache[u.chunk.id] = [
            (norm(line), norm(first[0]) if (first := sentences(line)) else "") for line in u.chunk.text.split("\n")
        ]
    text = norm(u.text)
    return next((first for line, first in cache[u.chunk.id] if text in line), "")


def _before(u: Candidate, asked: tuple[int, ...], doc_year: int | None) -> bool:
    """The unit speaks only of years before the ones the topic names (a look back, for this topic)."""
    if not asked:
        return False
    said = years_of(u, doc_year)
    return bool(said) and max(said) < min(asked)


def is_statement(u: Candidate) -> bool:
    """A unit that says something: a sentence, clause or list item with its punctuation, or a table row —
    not a heading, a document number or a date line."""
    if u.kind == "row":
        return True
    text = u.text.strip()
    if _DATE_LINE.match(text) or vocabulary().doc_number.search(text) and len(norm(text)) <= 30:
        return False
    return len(norm(text)) >= 8 and (text.endswith(_STATEMENT_END) or u.kind == "item")
