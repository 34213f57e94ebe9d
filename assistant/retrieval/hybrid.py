"""Hybrid retrieval: lexical (jieba BM25) as the backbone, dense (Chroma) as a second opinion.

On Chinese plan documents the lexical signal is far more precise than a small multilingual
embedder, so equal-weight rank fusion hurts. Instead: min-max normalised scores, lexical plus a
small share of dense, multiplied by document-level boosts: a question that names a plan
("供应链规划") or a year ("2021年") favours that document's chunks.
Overlapping neighbours (the chunker overlaps by one sentence) are merged before results are shown.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever

from assistant.models import Chunk, Retrieved
from assistant.text import norm as _norm

# documents a question names: (doc ids, named explicitly as "<topic>规划…", {year: dated doc ids})
Targets = tuple[list[str], bool, dict[int, list[str]]]


@dataclass
class FusionWeights:
    # chosen by a sweep on the dev suite (bench/retrieval.py); lexical is the backbone
    dense: float = 0.2  # share of the (min-max normalised) dense score added to the lexical one
    title: float = 0.2  # boost for chunks of a document the question names ("供应链规划")
    year: float = 0.8  # boost for documents dated in a year the question names ("2021年…")


class HybridRetriever:
    """Retrieve chunks for a query with filters by document and year."""

    def __init__(self, store, *, mode: str = "hybrid", weights: FusionWeights | None = None, pool: int = 40):
        self.store = store
        self.mode = mode
        self.weights = weights or FusionWeights()
        self.pool = pool
        self._doc_cache: tuple[int, dict[str, tuple[str, int | None]]] | None = None

    def search(
        self, query: str, *, k: int = 5, doc: str | None = None, year: int | None = None
    ) -> list[Retrieved]:
        """Top-k chunks, fused, filtered, with overlapping neighbours merged."""
        allowed = self._allowed_ids(doc, year)
        if allowed is not None and not allowed:
            return []
        pool = max(self.pool, k * 4)
        lexical = [] if self.mode == "dense" else self.store.lexical_search(query, pool, allowed_ids=allowed)
        dense = [] if self.mode == "lexical" else self._dense(query, pool, allowed)
        chunks: dict[str, Chunk] = {}
        scores: dict[str, float] = {}
        lex_rank = {c.id: n for n, (c, _) in enumerate(lexical, 1)}
        dense_rank = {c.id: n for n, (c, _) in enumerate(dense, 1)}
        dense_weight = self.weights.dense if self.mode == "hybrid" else 1.0
        for hits, weight in ((lexical, 1.0), (dense, dense_weight)):
            for cid, value in _normalise(hits).items():
                scores[cid] = scores.get(cid, 0.0) + weight * value
            chunks.update((c.id, c) for c, _ in hits)
        targets = self._targets(query) if self.mode == "hybrid" else None
        if targets is not None:
            boosts = self._doc_boosts(query, targets)
            for cid in scores:
                scores[cid] *= 1.0 + boosts.get(chunks[cid].doc_id, 0.0)
        ranked = sorted(scores, key=lambda cid: -scores[cid])
        results = [
            Retrieved(chunks[cid], scores[cid], dense_rank=dense_rank.get(cid), lexical_rank=lex_rank.get(cid))
            for cid in ranked
        ]
        merged = merge_overlapping(results, self.store)
        if targets is not None:
            merged = self._cover_targets(query, merged, k, targets)
        for rank, r in enumerate(merged[:k], 1):
            r.rank = rank
        return merged[:k]

    def _dense(self, query: str, k: int, allowed: set[str] | None) -> list[tuple[Chunk, float]]:
        if allowed is None:
            return self.store.dense_search(query, k)
        # filter inside Chroma: the nearest chunks overall may hold few (or none) of the allowed ones
        docs = sorted({c.doc_id for c in self.store.cached_chunks() if c.id in allowed})
        where = {"doc_id": docs[0]} if len(docs) == 1 else {"doc_id": {"$in": docs}}
        hits = self.store.dense_search(query, min(k * 3, len(allowed)), where=where)
        return [(c, s) for c, s in hits if c.id in allowed][:k]

    def _allowed_ids(self, doc: str | None, year: int | None) -> set[str] | None:
        if not doc and not year:
            return None
        wanted = _norm(doc) if doc else None
        out = set()
        for c in self.store.cached_chunks():
            if wanted and wanted != _norm(c.source) and wanted not in _norm(c.title):
                continue
            if year and c.year != year:
                continue
            out.add(c.id)
        return out

    def _documents(self) -> dict[str, tuple[str, int | None]]:
        """doc_id -> (title, year), recomputed when the store's contents change."""
        chunks = self.store.cached_chunks()
        if self._doc_cache is None or self._doc_cache[0] != len(chunks):
            self._doc_cache = (len(chunks), {c.doc_id: (c.title, c.year) for c in chunks})
        return self._doc_cache[1]

    def _targets(self, query: str) -> Targets:
        """Documents the question names: by a distinctive word of their title, and by a year they are dated."""
        docs = self._documents()
        q = _norm(query)
        named = self._named_by_kind(q, docs)
        explicit = bool(named)  # only explicitly named plans are guaranteed a place (_cover_targets)
        if not named:
            # no "<…>规划" phrase: the documents sharing most distinctive title words with the question
            matched = {d: n for d, (title, _) in docs.items() if (n := sum(w in q for w in _title_words(title)))}
            top = max(matched.values(), default=0)
            best = [d for d, n in matched.items() if n == top]
            named = best if len(best) <= 3 else []  # a word shared by many titles names none of them
        by_year: dict[int, list[str]] = {}
        for y in {int(y) for y in re.findall(r"((?:19|20)\d{2})\s*年", query)}:
            dated = [d for d, (_, year) in docs.items() if year == y]
            if dated:
                by_year[y] = dated
        return named, explicit, by_year

    @staticmethod
    def _named_by_kind(q: str, docs: dict[str, tuple[str, int | None]]) -> list[str]:
        """Documents named as "<topic>规划/方案/办法/意见/纲要/报告" ("科技创新规划和制造业规划")."""
        named: list[str] = []
        for m in _NAMED_KIND.finditer(q):
            stem = m.group(1)
            for i in range(len(stem) - 1):  # "和制造业" -> "制造业": the longest tail found in a title
                hits = [d for d, (title, _) in docs.items() if stem[i:] in _norm(title)]
                if hits:
                    if len(hits) <= 3:
                        named += [d for d in hits if d not in named]
                    break
        return named

    def _doc_boosts(self, query: str, targets: Targets | None = None) -> dict[str, float]:
        """Boost documents the question points at: by naming words of their title, or their year."""
        named, _, by_year = targets or self._targets(query)
        boosts = dict.fromkeys(named, self.weights.title)
        for dated in by_year.values():
            for doc_id in dated:
                boosts[doc_id] = boosts.get(doc_id, 0.0) + self.weights.year
        return boosts

    def _cover_targets(
        self, query: str, results: list[Retrieved], k: int, targets: Targets | None = None
    ) -> list[Retrieved]:
        """When a question names several plans or years, each gets its best chunk into the top k."""
        named, explicit, by_year = targets or self._targets(query)
        groups = [{d} for d in named] if len(named) >= 2 and explicit else []
        if len(by_year) >= 2:
            groups += [set(dated) for dated in by_year.values()]
        if not groups:
            return results
        top = results[:k]
        for group in groups:
            if any(r.chunk.doc_id in group for r in top):
                continue
            best = next((r for r in results[k:] if r.chunk.doc_id in group), None)
            if best is None:
                continue
            # replace the lowest-ranked result whose document is not itself a named target
            for i in range(len(top) - 1, -1, -1):
                if not any(top[i].chunk.doc_id in g for g in groups):
                    top[i] = best
                    break
        return top + [r for r in results[k:] if r not in top]


_NAMED_KIND = re.compile(r"([\u4e00-\u9fff]{2,10}?)(?:规划|方案|办法|意见|纲要|报告)")
_GENERIC_TITLE_WORDS = frozenset(
    ["许昌", "许昌市", "十四五", "规划", "发展", "建设", "关于", "实施", "方案", "通知", "意见", "办法", "工作", "政府", "人民政府", "办公室", "印发", "纲要", "草案", "试行", "我市", "全市", "年", "和", "的", "与", "及", "之", "市", "体系"]
)


@lru_cache(maxsize=4096)
def _title_words(title: str) -> frozenset[str]:
    """Distinctive words of a document title (place names and plan boilerplate removed).

    Cached: titles repeat on every query and jieba costs about as much as the rest of the search.
    """
    import jieba

    words = {w for w in jieba.lcut(re.sub(r"[“”\"《》（）()\d—-]", " ", title)) if len(w.strip()) >= 2}
    return frozenset(_norm(w) for w in words if w.strip() not in _GENERIC_TITLE_WORDS)


def _normalise(hits: list[tuple[Chunk, float]]) -> dict[str, float]:
    """Min-max normalise a result list's scores to [0, 1] (best = 1)."""
    if not hits:
        return {}
    values = [s for _, s in hits]
    hi, lo = max(values), min(values)
    span = (hi - lo) or 1.0
    return {c.id: (s - lo) / span if hi > lo else 1.0 for c, s in hits}


def merge_overlapping(results: list[Retrieved], store) -> list[Retrieved]:
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


def _union(a: Chunk, b: Chunk, store, cache: dict[str, list[str] | None]) -> Chunk:
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


class LangChainRetriever(BaseRetriever):
    """The hybrid retriever exposed as a LangChain retriever (Documents carry the chunk metadata)."""

    retriever: Any
    k: int = 5
    doc: str | None = None
    year: int | None = None

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun
    ) -> list[Document]:
        hits = self.retriever.search(query, k=self.k, doc=self.doc, year=self.year)
        return [
            Document(
                page_content=r.chunk.text,
                metadata={
                    "id": r.chunk.id, "source": r.chunk.source, "title": r.chunk.title,
                    "section": r.chunk.section_path, "lines": [r.chunk.line_start, r.chunk.line_end],
                    "score": r.score, "rank": r.rank,
                },
            )
            for r in hits
        ]
