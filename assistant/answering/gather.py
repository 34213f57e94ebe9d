"""The passages a question is answered from: one retrieval for the whole question, favouring the
documents its scope names, and one per facet, so each place/year/document it compares has its own
evidence among the sources."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from assistant.answering.frame import Facet, QuestionFrame
from assistant.models import Retrieved
from assistant.retrieval.routing import Catalog, Scope
from assistant.text import norm
from assistant.vocab import vocabulary

if TYPE_CHECKING:
    from assistant.seams import Retriever

PER_FACET = 3  # passages retrieved for each facet


def gather_contexts(
    retriever: Retriever, frame: QuestionFrame, query: str, catalog: Catalog, *, k: int,
    doc: str | None = None, year: int | None = None, only_docs: set[str] | None = None,
) -> list[Retrieved]:
    """Sources for a question: facets' best passages first (one each in turn), then the whole question's.

    "今年/去年" asked without a year is asked of each place's newest work report, not of the older ones."""
    if frame.relative and not (frame.scope.years or frame.scope.doc_years) and (
        catalog.superseded & set(catalog.matching(frame.scope))
    ):
        only_docs = (only_docs if only_docs is not None else set(catalog.profiles)) - catalog.superseded
    when = _in_words(frame.scope.years, query) if frame.relative else ""
    base = retriever.search(
        f"{when}{query}", k=k, doc=doc, year=year, scope=frame.scope, catalog=catalog, only_docs=only_docs
    )
    # (the named documents' best passages after the first k, none of those pushed out)
    first = {b.chunk.id for b in base[:k]}
    named = [h for h in _named(retriever, frame, query, catalog, only_docs) if h.chunk.id not in first]
    base = _distinct(_quoting(retriever, frame, catalog, only_docs) + base[:k] + named + base[k:])
    if not frame.multi:
        return base[: k + len(named)]
    per_facet = []
    for facet in frame.facets:
        # (one asking of a place is searched in its documents as well: the whole question's words, the other parts'
        # too, may favour other places' passages, "某省24年失业率是多少？社零涨了多少？")
        constrained = facet.scope != frame.scope or bool(facet.scope.places)
        # the documents that fit what the facet names; a year it names is soft when none fits it ("某省2024年…"
        # is answered by the province's 2025 report, which reviews 2024)
        only = set(catalog.matching(facet.scope) or catalog.matching(replace(facet.scope, years=()))) if constrained \
            else set()
        if only_docs is not None:
            only = (only & only_docs) or set(only_docs)
        when = _in_words(_years_of(facet, catalog), facet.text or query)
        asked = f"{when}{facet.text} {query}" if facet.text else f"{when}{query}"
        per_facet.append(
            retriever.search(
                _within(asked, only, catalog), k=PER_FACET, doc=doc, year=year, scope=facet.scope,
                catalog=catalog, only_docs=only or None,
                # (within a few documents the lexical match suffices, but for a part asked of the question's own scope:
                # its words may be the documents' synonyms, "经济总量" for 地区生产总值)
                dense=not only or facet.scope == frame.scope,
            )
        )
    # facets' best passages first, one each in turn, then the whole question's
    merged = [hits[depth] for depth in range(PER_FACET) for hits in per_facet if depth < len(hits)]
    return _distinct(merged + base)[: max(k, len(frame.facets) * 2 + 1)]


NAMED_DOCS = 2  # a scope fitting at most this many documents names them: searched within them too


def _named(
    retriever: Retriever, frame: QuestionFrame, query: str, catalog: Catalog, only_docs: set[str] | None
) -> list[Retrieved]:
    """The best passages of the documents the question names by its scope ("24年国务院报告…"), searched within them
    without the words naming them: in the whole collection those words match every report's opening lines."""
    if frame.multi or not (frame.scope.doc_years or frame.scope.doc_ids):
        return []
    only = set(catalog.matching(frame.scope))
    if only_docs is not None:
        only &= only_docs
    if not only or len(only) > NAMED_DOCS:
        return []
    return retriever.search(
        _within(query, only, catalog), k=PER_FACET, scope=frame.scope, catalog=catalog, only_docs=only, dense=False
    )


def _within(query: str, docs: set[str], catalog: Catalog) -> str:
    """A query searched within the documents it names, without the words naming them (their issuer, their kind,
    their scope words: "国务院…报告…全国"): inside those documents such words only match their opening lines."""
    if not docs:
        return query
    vocab = vocabulary()
    words: set[str] = set()
    for d in docs:
        p = catalog.profiles.get(d)
        if p is None:
            continue
        words.update(vocab.kinds.get(p.kind, ()))
        words.update(vocab.scope.get(p.level or "", ()))
        if p.info.issuer:
            words.add(p.info.issuer)
    if any(w.endswith("报告") for w in words):
        words.add("报告")
    for w in sorted(words, key=len, reverse=True):
        query = query.replace(w, " ")
    return query


def _quoting(
    retriever: Retriever, frame: QuestionFrame, catalog: Catalog, only_docs: set[str] | None
) -> list[Retrieved]:
    """Passages that hold what the question quotes ("“六保”具体是哪六项"), searched by the quotation alone in
    the documents its scope names: a question's other words ("回顾过去五年") may rank another passage first."""
    quoted = [q for q in frame.quoted if not vocabulary().period_years(q)]  # ("“十四五”" quotes a period)
    if not quoted:
        return []
    only = set(catalog.matching(frame.scope)) if frame.scope != Scope() else None
    if only_docs is not None:
        only = (only or set(only_docs)) & only_docs
    hits = retriever.search(
        " ".join(quoted), k=PER_FACET, scope=frame.scope, catalog=catalog, only_docs=only or None, dense=False
    )
    return [h for h in hits if all(norm(q) in norm(h.chunk.text) for q in quoted)][:1]


def _distinct(hits: list[Retrieved]) -> list[Retrieved]:
    """Each passage once, where it first comes, ranked afresh."""
    seen: set[str] = set()
    out = []
    for h in hits:
        if h.chunk.id not in seen:
            seen.add(h.chunk.id)
            out.append(h)
    for rank, r in enumerate(out, 1):
        r.rank = rank
    return out


def _in_words(years: tuple[int, ...], text: str) -> str:
    """The years 去年/今年 stand for, asked in so many words (a report's review is headed by its year), those the
    text does not name already."""
    return "".join(f"{y}年 " for y in years if str(y) not in text)


def _years_of(facet: Facet, catalog: Catalog) -> tuple[int, ...]:
    """The years a facet asks of: its own, or those its 今年/去年 stand for in the newest report of the places it
    names ("某省去年…" in a base whose report of that province is of 2025 asks of 2024)."""
    if facet.scope.years or not facet.relative or not facet.scope.places:
        return facet.scope.years
    docs = set(catalog.matching(facet.scope)) - catalog.superseded
    years = {y for d in docs if (y := catalog.profiles[d].info.year)}
    if len(years) != 1:
        return ()
    year = next(iter(years))  # (one year, for each 今年/去年 the facet asks: "去年实施了几项？今年呢？")
    return tuple(year + d for d in facet.relative)
