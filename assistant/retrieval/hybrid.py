"""Hybrid retrieval: lexical (jieba BM25) as the backbone, dense (Chroma) as a second opinion.

On Chinese plan documents the lexical signal is far more precise than a small multilingual
embedder, so equal-weight rank fusion hurts. Instead: min-max normalised scores, lexical plus a
small share of dense, multiplied by how well each chunk's document fits the scope the question
names (places, years, kinds, documents: see routing.Catalog).
Overlapping neighbours (the chunker overlaps by one sentence) are merged before results are shown.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from assistant.models import Chunk, Retrieved
from assistant.retrieval.routing import Catalog, Scope
from assistant.synonyms import SynonymSource
from assistant.text import norm as _norm

if TYPE_CHECKING:
    from assistant.seams import StoreReader


@dataclass
class FusionWeights:
    # chosen on the tuning splits (eval/fit_answerer.py --retrieval reports the sweep); lexical is the backbone
    dense: float = 0.2  # share of the (min-max normalised) dense score added to the lexical one
    scope: float = 0.6  # how much a document that does not fit the question's scope is pushed down


class HybridRetriever:
    """Retrieve chunks for a query with filters by document and year."""

    def __init__(
        self, store: StoreReader, *, mode: str = "hybrid", weights: FusionWeights | None = None, pool: int = 40,
        synonyms: SynonymSource | None = None,
    ) -> None:
        self.store = store
        self.synonyms = synonyms  # the lexical query also asks for a term's equivalent wordings
        self.mode = mode
        self.weights = weights or FusionWeights()
        self.pool = pool
        # (store version, chunk id -> its document, document -> its chunk ids)
        self._docs: tuple[object, dict[str, str], dict[str, list[str]]] | None = None

    def search(
        self, query: str, *, k: int = 5, doc: str | None = None, year: int | None = None,
        scope: Scope | None = None, catalog: Catalog | None = None, only_docs: set[str] | None = None,
        dense: bool = True,
    ) -> list[Retrieved]:
        """Top-k chunks, fused, filtered (document, year, only these documents), favouring the scope's documents,
        with overlapping neighbours merged."""
        allowed = self._allowed_ids(doc, year, only_docs)
        if allowed is not None and not allowed:
            return []
        pool = max(self.pool, k * 4)
        lexical = [] if self.mode == "dense" else self.store.lexical_search(
            self._expanded(query), pool, allowed_ids=allowed
        )
        dense_hits = [] if self.mode == "lexical" or not dense else self._dense(query, pool, allowed)
        chunks: dict[str, Chunk] = {}
        scores: dict[str, float] = {}
        lex_rank = {c.id: n for n, (c, _) in enumerate(lexical, 1)}
        dense_rank = {c.id: n for n, (c, _) in enumerate(dense_hits, 1)}
        lex_score = {c.id: round(float(s), 4) for c, s in lexical}
        dense_score = {c.id: round(float(s), 4) for c, s in dense_hits}
        dense_weight = self.weights.dense if self.mode == "hybrid" else 1.0
        for hits, weight in ((lexical, 1.0), (dense_hits, dense_weight)):
            for cid, value in _normalise(hits).items():
                scores[cid] = scores.get(cid, 0.0) + weight * value
            chunks.update((c.id, c) for c, _ in hits)
        if scope is not None and catalog is not None and self.mode == "hybrid":
            fit = catalog.weights(scope)
            floor = 1.0 - self.weights.scope
            for cid in scores:
                scores[cid] *= floor + self.weights.scope * fit.get(chunks[cid].doc_id, 1.0)
        ranked = sorted(scores, key=lambda cid: -scores[cid])
        results = [
            Retrieved(
                chunks[cid], scores[cid], dense_rank=dense_rank.get(cid), lexical_rank=lex_rank.get(cid),
                lexical_score=lex_score.get(cid), dense_score=dense_score.get(cid),
            )
            for cid in ranked
        ]
        merged = merge_overlapping(results, self.store)
        for rank, r in enumerate(merged[:k], 1):
            r.rank = rank
        return merged[:k]

    def _expanded(self, query: str) -> str:
        """The query with the equivalent wordings of its terms appended (经济总量 -> 国内生产总值 …)."""
        table = self.synonyms.current() if self.synonyms is not None else None
        if table is None:
            return query
        extra = [o for _, others in table.in_text(query) for o in sorted(others)]
        return " ".join([query, *extra]) if extra else query

    def _dense(self, query: str, k: int, allowed: set[str] | None) -> list[tuple[Chunk, float]]:
        if allowed is None:
            return self.store.dense_search(query, k)
        # filter inside Chroma: the nearest chunks overall may hold few (or none) of the allowed ones
        doc_of = self._index()[0]
        docs = sorted({doc_of[i] for i in allowed if i in doc_of})
        where = {"doc_id": docs[0]} if len(docs) == 1 else {"doc_id": {"$in": docs}}
        hits = self.store.dense_search(query, min(k * 3, len(allowed)), where=where)
        return [(c, s) for c, s in hits if c.id in allowed][:k]

    def _allowed_ids(self, doc: str | None, year: int | None, only_docs: set[str] | None) -> set[str] | None:
        if not doc and not year and only_docs is None:
            return None
        if not doc and not year and only_docs is not None:  # a facet's documents: no need to look at every chunk
            ids_of = self._index()[1]
            return {i for d in only_docs for i in ids_of.get(d, ())}
        wanted = _norm(doc) if doc else None
        out = set()
        for c in self.store.cached_chunks():
            if wanted and wanted != _norm(c.source) and wanted not in _norm(c.title):
                continue
            if year and c.year != year:
                continue
            if only_docs is not None and c.doc_id not in only_docs:
                continue
            out.add(c.id)
        return out

    def _index(self) -> tuple[dict[str, str], dict[str, list[str]]]:
        """Each visible chunk's document and each document's chunks, kept until the store's version moves (a
        filtered search of a large collection would otherwise walk every chunk)."""
        version_of = getattr(self.store, "version", None)
        version = version_of() if callable(version_of) else None
        known = self._docs
        if version is None or known is None or known[0] != version:
            doc_of = {c.id: c.doc_id for c in self.store.cached_chunks()}
            ids_of: dict[str, list[str]] = {}
            for cid, doc_id in doc_of.items():
                ids_of.setdefault(doc_id, []).append(cid)
            known = (version, doc_of, ids_of)
            self._docs = known
        return known[1], known[2]


def _normalise(hits: list[tuple[Chunk, float]]) -> dict[str, float]:
    """Min-max normalise a result list's scores to [0, 1] (best = 1)."""
    if not hits:
        return {}
    values = [s for _, s in hits]
    hi, lo = max(values), min(values)
    span = (hi - lo) or 1.0
    return {c.id: (s - lo) / span if hi > lo else 1.0 for c, s in hits}


def merge_overlapping(results: list[Retrieved], store: StoreReader) -> list[Retrieved]:
    """Merge results from the same document whose line ranges overlap or touch; drop exact duplicates."""
    out: list[Retrieved] = []
    seen_text: set[str] = set()
    lines: dict[str, list[str] | None] = {}  # source -> cleaned lines, read once per call
    for r in results:
        key = _norm(r.chunk.text)
        if key in seen_text:
            continue
        target = next(
            (o for o in out if o.chunk.doc_id == r.chunk.doc_id and o.chunk.kind == r.chunk.kind == "text"
             and r.chunk.section == o.chunk.section
             and r.chunk.line_start <= o.chunk.line_end and o.chunk.line_start <= r.chunk.line_end),
            None,
        )
        if target is None:
            out.append(r)
            seen_text.add(key)
            continue
        target.chunk = _union(target.chunk, r.chunk, store, lines)
        seen_text.add(_norm(target.chunk.text))
    return out


def _union(a: Chunk, b: Chunk, store: StoreReader, cache: dict[str, list[str] | None]) -> Chunk:
    """One chunk covering both: the cleaned source lines spanning them (verbatim)."""
    if _norm(b.text) in _norm(a.text):
        return a
    if _norm(a.text) in _norm(b.text):
        return replace(b, id=a.id)
    if a.source not in cache:
        # a gazette's cleaned source is over a megabyte: read and split it once, not once per merge
        text = store.source_text(a.source) if hasattr(store, "source_text") else None
        cache[a.source] = text.split("\n") if text is not None else None
    source_lines = cache[a.source]
    start, end = min(a.line_start, b.line_start), max(a.line_end, b.line_end)
    if source_lines is None:
        return a
    lines = source_lines[start - 1 : end]
    return replace(a, text="\n".join(lines), line_start=start, line_end=end, tokens=a.tokens + b.tokens)


def __getattr__(name: str) -> Any:
    """LangChainRetriever is imported on first use: langchain_core is most of a cold `assistant ask`'s start."""
    if name == "LangChainRetriever":
        from assistant.retrieval.langchain_retriever import LangChainRetriever

        return LangChainRetriever
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
