"""Curated Q&A pairs: when a later question matches an approved one closely, its approved answer is given,
shown as such (who approved it and when) and still citing its document.

The match is a measured similarity with a threshold chosen on data (eval/fit_curated.py on
eval/suites/curated_match.jsonl; Settings.curated_threshold). Two questions can only match when they name the
same scope: the same years, places, documents, document kinds, numbers and ordinals ("第二批", "第5条"); then
their similarity is how much of each one's content, weighted by rarity in the collection (IDF), the other one
holds, taken from the side that holds less (a word the documents never use weighs nothing). A paraphrase keeps both sides' content; a near miss that swaps one
indicator ("城镇" -> "农村", "收入" -> "支出") loses that word's weight on both sides.
"""

from __future__ import annotations

import bisect
import re
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from assistant.answering.frame import parse_question
from assistant.answering.stats import CollectionStats
from assistant.feedback.model import CuratedPair, FeedbackStore
from assistant.models import Citation, Context
from assistant.retrieval.routing import Catalog
from assistant.text import cn_years_to_digits, norm, years_in
from assistant.vocab import Synonyms

_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_ORDINAL = re.compile(r"第\s*([一二三四五六七八九十百零〇两\d]+)\s*([批届次条章节篇项部分个])")
_FIRST = re.compile(r"首([批届次])")


@dataclass(frozen=True)
class QuestionKey:
    """What matching compares of a question: its scope (must be equal) and its content terms."""

    question: str
    scope: tuple[tuple[str, ...], ...]  # years, relative years, places, documents, numbers, ordinals
    terms: tuple[str, ...]  # content words, synonyms folded to one wording
    text: str  # the question normalised, synonyms folded (a term is found in it as a substring)


@dataclass(frozen=True)
class Match:
    """The curated pair a question matched, and how closely."""

    pair: CuratedPair
    similarity: float


@dataclass(frozen=True)
class Closest:
    """The nearest curated pair and its similarity (for explanations, whether or not it matched)."""

    pair: CuratedPair | None
    similarity: float
    threshold: float
    gone: bool = False  # close enough, but its passage is no longer in the knowledge base

    @property
    def matched(self) -> bool:
        """True when the nearest pair is close enough to answer (and can still cite its passage)."""
        return self.pair is not None and self.similarity >= self.threshold and not self.gone


def fold_synonyms(text: str, synonyms: Synonyms | None) -> str:
    """The text normalised, each term of the synonym table written as its group's first wording (longest first)."""
    out = norm(text)
    if synonyms is None or not synonyms.groups:
        return out
    canonical = {norm(t): norm(g[0]) for g in synonyms.groups for t in g}
    longest = max(len(t) for t in canonical)
    parts: list[str] = []
    i = 0
    while i < len(out):
        for size in range(min(longest, len(out) - i), 0, -1):
            word = canonical.get(out[i : i + size])
            if word is not None:
                parts.append(word)
                i += size
                break
        else:
            parts.append(out[i])
            i += 1
    return "".join(parts)


def question_key(question: str, catalog: Catalog | None, synonyms: Synonyms | None = None) -> QuestionKey:
    """The key of a question against the current collection."""
    text = fold_synonyms(_FIRST.sub(r"第一\1", cn_years_to_digits(question)), synonyms)
    frame = parse_question(text, catalog)
    scope = frame.scope
    years = tuple(sorted({*scope.years, *scope.doc_years, *years_in(text)}))
    # 今年/去年 are resolved against a named report year; alone they must be said alike
    relative = () if years else tuple(sorted(frame.relative))
    numbers = tuple(sorted(set(_NUMBER.findall(re.sub(r"(?:19|20)\d{2}\s*年", " ", text))) - {str(y) for y in years}))
    ordinals = tuple(sorted(f"{n}{unit}" for n, unit in _ORDINAL.findall(text)))
    # (document kinds are not compared: "市十四五纲要" and "市十四五规划纲要" name one document)
    key_scope = (
        tuple(str(y) for y in years), relative, tuple(sorted(scope.places)), tuple(sorted(scope.doc_ids)), numbers,
        ordinals,
    )
    terms = tuple(t for t in frame.terms if not _NUMBER.fullmatch(t) and not re.fullmatch(r"\d+年", t))
    return QuestionKey(question, key_scope, terms, text)


def term_weights(stats: CollectionStats) -> Callable[[str], float]:
    """A term's weight: its IDF in the collection; 0 for a word the documents never use, which only says how the
    question is put ("一共", "各是", "几项") and cannot tell one passage from another."""
    return lambda term: stats.idf(term) if stats.freq(term) else 0.0


def similarity(a: QuestionKey, b: QuestionKey, weight: Callable[[str], float]) -> float:
    """0 when the scopes differ; else the smaller of the two sides' weighted shares of content the other holds."""
    if a.scope != b.scope:
        return 0.0
    return min(_held(a, b, weight), _held(b, a, weight))


def _held(a: QuestionKey, b: QuestionKey, weight: Callable[[str], float]) -> float:
    total = sum(weight(t) for t in a.terms)
    if not total:
        return 1.0 if not sum(weight(t) for t in b.terms) else 0.0
    return sum(weight(t) for t in a.terms if t in b.text) / total


class CuratedAnswers:
    """The curated pairs of a knowledge base, keyed once per store version and collection."""

    def __init__(self, store: FeedbackStore, threshold: float):
        self.store = store
        self.threshold = threshold
        self._lock = threading.Lock()
        self._cache: tuple[object, list[tuple[CuratedPair, QuestionKey]]] | None = None

    def closest(
        self, question: str, catalog: Catalog, stats: CollectionStats, synonyms: Synonyms | None,
        synonyms_version: object = None,
    ) -> Closest:
        """The nearest active pair to a question, with its similarity and the threshold it must reach."""
        keyed = self._keyed(catalog, synonyms, synonyms_version)
        if not keyed:
            return Closest(None, 0.0, self.threshold)
        asked = question_key(question, catalog, synonyms)
        weight = term_weights(stats)
        best = max(((pair, similarity(asked, key, weight)) for pair, key in keyed), key=lambda x: x[1])
        return Closest(best[0], round(best[1], 4), self.threshold)

    def _keyed(
        self, catalog: Catalog, synonyms: Synonyms | None, synonyms_version: object
    ) -> list[tuple[CuratedPair, QuestionKey]]:
        # rebuilt when a pair is approved or revoked (the store's version), the documents change (their ids)
        # or the synonym table changes (its version)
        stamp = (self.store.version, tuple(sorted(catalog.profiles)), synonyms_version)
        with self._lock:
            if self._cache is None or self._cache[0] != stamp:
                pairs = self.store.curated()
                self._cache = (stamp, [(p, question_key(p.question, catalog, synonyms)) for p in pairs])
            return self._cache[1]


def curated_citation(pair: CuratedPair, lines: Sequence[str]) -> Citation:
    """The citation of a curated answer, checked against the document as it is now.

    The quote must still be on the cited lines (or, after a re-ingest moved it, elsewhere in the same
    file: the lines follow it); otherwise the citation is unverified, with the reason (and is not used).
    """
    ev = pair.evidence
    quote = ev.quote or ev.text
    first, last = ev.lines
    at = _find(lines, quote, first, last)
    if at is None:
        return Citation(1, ev.source, ev.title, ev.section, [first, last], quote, verified=False,
                        problem="出处文档已更改或已移除，原文未能核验")
    return Citation(1, ev.source, ev.title, ev.section, list(at), quote)


def curated_context(pair: CuratedPair, citation: Citation) -> Context:
    """The cited passage as the answer's first source."""
    ev = pair.evidence
    return Context(rank=1, source=ev.source, title=ev.title, section=ev.section, lines=list(citation.lines),
                   text=ev.text, score=1.0)


def _find(lines: Sequence[str], quote: str, first: int, last: int) -> tuple[int, int] | None:
    """Where the quote is in the file's cleaned lines: the given span when it holds it, else the occurrence
    nearest to it (a re-ingest may have moved it)."""
    needle = norm(quote)
    if not needle or not lines:
        return None
    if needle in norm("".join(lines[max(0, first - 1) : last])):
        return first, last
    normed = [norm(line) for line in lines]
    ends, total = [], 0
    for line in normed:
        total += len(line)
        ends.append(total)
    text = "".join(normed)
    spans = []
    at = text.find(needle)
    while at >= 0:
        start = bisect.bisect_right(ends, at) + 1
        end = bisect.bisect_left(ends, at + len(needle)) + 1
        spans.append((abs(start - first), (start, end)))
        at = text.find(needle, at + 1)
    return min(spans)[1] if spans else None
