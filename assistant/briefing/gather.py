"""Recall for briefings: the passages a topic's sources hold about it, side by side for a comparison.

Each facet of the topic (the whole topic when it compares nothing) draws on the documents that fit what it
names (routing.Catalog: place, document year, kind, the documents it names); several queries (the subject,
the subject with each part asked for, each enumerated item) go through the hybrid retriever within those
documents, and the sections the best hits sit in are read whole (a named short document entirely), so a
section's statements that share no word with the topic are still candidates.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from assistant.briefing.frame import TopicFrame
from assistant.briefing.model import MEASURES, TARGETS, TASKS
from assistant.models import Chunk, Retrieved
from assistant.retrieval.routing import Catalog, Scope

if TYPE_CHECKING:
    from assistant.seams import Retriever

PART_QUERIES = {TARGETS: "主要目标 指标", TASKS: "重点任务 主要举措", MEASURES: "保障措施"}
ChunksOf = Callable[[str], list[Chunk]]


@dataclass
class Gathered:
    """The passages gathered for a topic: what each was gathered for and how it was found."""

    frame: TopicFrame
    pool: list[Retrieved] = field(default_factory=list)
    facet: list[int] = field(default_factory=list)  # per passage: the facet it was gathered for
    hit: list[bool] = field(default_factory=list)  # per passage: retrieved itself, not only read with its section
    section: list[float] = field(default_factory=list)  # per passage: the best retrieval score in its section
    sources: list[set[str] | None] = field(default_factory=list)  # per facet: the documents it draws on (None: any)


def facet_sources(scope: Scope, catalog: Catalog, only: set[str] | None = None) -> set[str] | None:
    """The documents a facet draws on: those fitting all it names, relaxing what it names least firmly (the
    documents it seems to name, then the kind, then the document year) until some fit; None when it names
    nothing, or nothing fits even its place."""
    named = scope.doc_ids or scope.hinted
    levels = [
        Scope(places=scope.places, doc_years=scope.doc_years, kinds=scope.kinds, doc_ids=named),
        Scope(places=scope.places, doc_years=scope.doc_years, kinds=scope.kinds),
        Scope(places=scope.places, doc_years=scope.doc_years),
        Scope(places=scope.places, kinds=scope.kinds),
        Scope(places=scope.places),
    ]
    for hard in levels:
        if hard.empty:
            continue
        fits = set(catalog.matching(hard))
        if only is not None:
            fits &= only
        if fits:
            return fits
    return set(only) if only is not None else None


def queries(frame: TopicFrame) -> list[tuple[str, float]]:
    """Retrieval queries for a topic, with their weights: the topic, its subject with each part it asks for
    (every part when it names none), and its subject with each item it enumerates."""
    subject = frame.subject or frame.topic
    out = [(frame.topic, 1.0)]
    for part, words in PART_QUERIES.items():
        wanted = not frame.parts or part in frame.parts
        out.append((f"{subject} {words}", 1.0 if wanted else 0.6))
    out += [(f"{subject} {item}", 0.9) for item in frame.items]
    return out


def gather(
    retriever: Retriever, frame: TopicFrame, catalog: Catalog, chunks_of: ChunksOf, *, only: set[str] | None = None,
    per_query: int = 16, sections: int = 6, section_chunks: int = 24, whole_document: int = 60,
) -> Gathered:
    """Gather a topic's passages, facet by facet (each side of a comparison reads fewer sections: a
    briefing has room for fewer points per side); `only` limits every facet to these documents."""
    out = Gathered(frame)
    seen: set[str] = set()
    shrink = len(frame.facets) ** 0.5
    per_query, sections = max(6, round(per_query / shrink)), max(2, round(sections / shrink))
    section_chunks = max(8, round(section_chunks / shrink))
    for f, facet in enumerate(frame.facets):
        docs = facet_sources(facet.scope, catalog, only)
        out.sources.append(docs)
        best: dict[str, float] = {}
        chunk_of: dict[str, Chunk] = {}
        for query, weight in queries(frame):
            hits = retriever.search(
                query, k=per_query, scope=facet.scope, catalog=catalog, only_docs=docs,
                dense=docs is None or len(docs) > 3,  # within a few documents the lexical match suffices
            )
            top = max((h.score for h in hits), default=0.0) or 1.0
            for h in hits:
                value = weight * h.score / top
                if value > best.get(h.chunk.id, 0.0):
                    best[h.chunk.id], chunk_of[h.chunk.id] = value, h.chunk
        by_section: dict[tuple[str, tuple[str, ...]], float] = {}
        for cid, value in best.items():
            key = section_key(chunk_of[cid])
            by_section[key] = max(by_section.get(key, 0.0), value)
        # a document the topic names by its title ("…实施方案的主要内容") is read whole when short; one the
        # topic only narrows down to (by place and year) is read where retrieval points
        named = set(facet.scope.doc_ids) | set(facet.scope.hinted)
        single = docs if docs is not None and len(docs) == 1 and docs <= named else None
        expanded = _expand(
            sorted(by_section, key=lambda k: -by_section[k])[:sections], best, chunk_of, chunks_of,
            section_chunks, single, whole_document,
        )
        ranked = sorted(best, key=lambda cid: -best[cid])
        for cid in [*ranked, *(c.id for c in expanded if c.id not in best)]:
            chunk = chunk_of.get(cid) or next(c for c in expanded if c.id == cid)
            if cid in seen:
                continue
            seen.add(cid)
            key = section_key(chunk)
            score = best.get(cid, 0.8 * by_section.get(key, 0.0))
            out.pool.append(Retrieved(chunk, score, rank=len(out.pool) + 1))
            out.facet.append(f)
            out.hit.append(cid in best)
            out.section.append(by_section.get(key, 0.0))
    return out


def section_key(chunk: Chunk) -> tuple[str, tuple[str, ...]]:
    """The section a chunk sits in (a table row's last heading is its caption: the section is the one above)."""
    path = tuple(chunk.section)
    return (chunk.doc_id, path[:-1] if chunk.kind == "table_row" and len(path) > 1 else path)


def _expand(
    keys: list[tuple[str, tuple[str, ...]]], best: dict[str, float], chunk_of: dict[str, Chunk],
    chunks_of: ChunksOf, cap: int, single: set[str] | None, whole: int,
) -> list[Chunk]:
    """The chunks of the best sections (the nearest `cap` to the hits in a long one); a facet's only document,
    when short, whole."""
    out: list[Chunk] = []
    if single is not None:
        doc = next(iter(single))
        members = chunks_of(doc)
        if len(members) <= whole:
            return list(members)
    for doc_id, path in keys:
        if not path:
            continue  # a document's preamble is not a section to read whole
        members = [c for c in chunks_of(doc_id) if section_key(c)[1][: len(path)] == path]
        hits = [chunk_of[i] for i in best if chunk_of[i].doc_id == doc_id and section_key(chunk_of[i])[1][: len(path)] == path]
        if len(members) > cap and hits:
            starts = [h.line_start for h in hits]
            nearest = sorted(members, key=lambda c: min(abs(c.line_start - s) for s in starts))[:cap]
            members = sorted(nearest, key=lambda c: c.line_start)
        out += members
    return out
