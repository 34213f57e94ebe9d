"""Recall for briefings: every section across the documents that speaks to a topic, not just a top-5.

Several queries (the topic, its facets, the items it enumerates) go through the hybrid retriever;
hits are grouped by document and section, sections are ranked with a per-document penalty so
other documents get a look in, and each chosen section is expanded to all its chunks.
"""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from assistant.models import Chunk
from assistant.text import norm
from assistant.vocab import places

# words a topic uses to say what kind of content it wants, not what it is about
FACETS: dict[str, tuple[str, ...]] = {
    "目标": ("目标", "指标"),
    "任务": ("任务", "举措", "措施", "重点工作", "工作", "主要内容"),
    "保障": ("保障措施",),
}
_STOP = frozenset(
    ["我市", "全市", "主要", "重点", "目标", "指标", "任务", "举措", "措施", "内容", "工作", "情况", "有关", "关于", "期间", "方面", "哪些", "什么", "如何", "十四", "十四五", "四五", "十三五", "五年", "规划", "时期", "期间", "相关", "以及", "进行", "推进", "推动", "加快", "全面", "持续", "提升"]
)
_FACET_QUERIES = {"目标": "主要目标 指标", "任务": "重点任务 主要举措", "保障": "保障措施"}
_ENUM = re.compile(r"[（(]([^（）()]*[、，,][^（）()]*)[）)]")


@dataclass
class Passage:
    """A gathered chunk and the relevance (0..1) of the section it sits in."""

    chunk: Chunk
    score: float
    hit: bool  # retrieved directly (not only by expanding its section)


@dataclass
class Gathered:
    terms: dict[str, float]  # topic term -> idf weight
    facets: set[str]  # facets the topic names (目标, 任务, 保障)
    passages: list[Passage] = field(default_factory=list)  # grouped by document, then section order
    coverage: float = 0.0  # share of the topic's term weight found in the best sections
    sections: list[tuple[str, str, float]] = field(default_factory=list)  # (doc title, section path, score)


_norm_cache: dict[tuple[int, int, int], list[str]] = {}


def _normed(chunks: Sequence[Chunk]) -> list[str]:
    key = (id(chunks[0]), id(chunks[-1]), len(chunks)) if chunks else (0, 0, 0)
    if key not in _norm_cache:
        _norm_cache.clear()
        _norm_cache[key] = [norm(f"{c.title} {' '.join(c.section)} {c.text}") for c in chunks]
    return _norm_cache[key]


def topic_terms(topic: str, chunks: Sequence[Chunk]) -> dict[str, float]:
    """Content words of the topic weighted by rarity in the knowledge base (idf)."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    text = norm(topic)
    words = [w for w in jieba.lcut(text) if w.strip()]
    terms = []
    for w in words:
        if w in _STOP or len(w) < 2 or not re.search(r"[\u4e00-\u9fff]|\d{4}", w) or places().is_name(w):
            continue
        if re.fullmatch(r"\d+", w) and len(w) != 4:
            continue
        if w not in terms:
            terms.append(w)
    # a compound word adds nothing when its parts are terms too ("教育事业" vs "教育", "事业")
    terms = [t for t in terms if not (len(t) > 2 and sum(1 for o in terms if o != t and o in t) >= 2)]
    docs = _normed(chunks)
    n = max(len(docs), 1)
    return {t: math.log((n + 1) / (1 + sum(1 for d in docs if t in d))) + 0.1 for t in terms}


def topic_facets(topic: str) -> set[str]:
    """Which of 目标 / 任务 / 保障 a topic asks about."""
    return {name for name, words in FACETS.items() if any(w in topic for w in words)}


def term_share(text: str, terms: dict[str, float]) -> float:
    """Share of the topic's term weight present in a (normalised) text."""
    total = sum(terms.values())
    return sum(w for t, w in terms.items() if t in text) / total if total else 0.0


def queries(topic: str, facets: set[str]) -> list[tuple[str, float, str]]:
    """The retrieval queries for a topic: (query, weight, the item it asks about or "")."""
    core = _ENUM.sub("", topic)
    for w in sorted((w for words in FACETS.values() for w in words), key=len, reverse=True):
        core = core.replace(w, " ")
    core = re.sub(r"[的和与及]\s*$", "", re.sub(r"\s+", " ", core)).strip() or topic
    out = [(topic, 1.0, "")]
    for name, extra in _FACET_QUERIES.items():
        out.append((f"{core} {extra}", 1.0 if name in facets else 0.6, ""))
    for m in _ENUM.finditer(topic):
        for item in re.split(r"[、，,]", m.group(1)):
            if item.strip():
                out.append((f"{core} {item.strip()}", 0.9, norm(item)))
    return out


def _section_key(chunk: Chunk) -> tuple[str, ...]:
    # a table row's last heading is the table caption; its section is the one holding the table
    path = tuple(chunk.section)
    return path[:-1] if chunk.kind == "table_row" and len(path) > 1 else path


def gather(
    assistant,
    topic: str,
    *,
    doc: str | None = None,
    per_query: int = 30,
    max_sections: int = 14,
    max_chunks: int = 160,
) -> Gathered:
    """Gather the sections relevant to a topic, grouped by document and section."""
    all_chunks = assistant.store.cached_chunks()
    facets = topic_facets(topic)
    terms = topic_terms(topic, all_chunks)
    best: dict[str, float] = {}
    chunk_of: dict[str, Chunk] = {}
    leaders: list[Chunk] = []  # each query's best hit: its section is kept whatever the ranking
    home: set[str] = set()
    for query, weight, item in queries(topic, facets):
        hits = assistant.retrieve(query, k=per_query, doc=doc)
        if not hits:
            continue
        if not home:
            home = {h.chunk.doc_id for h in hits[:3]}  # the documents the topic itself points at
        if weight >= 0.9:
            # an enumerated item's query is led by its best hit that names the item, in the topic's documents
            naming = [h for h in hits if item and item in norm(f"{' '.join(h.chunk.section)} {h.chunk.text}")]
            at_home = [h for h in naming if h.chunk.doc_id in home]
            leaders.append((at_home or naming or hits)[0].chunk)
        top = max(h.score for h in hits) or 1.0
        for h in hits:
            value = weight * h.score / top
            if value > best.get(h.chunk.id, 0.0):
                best[h.chunk.id] = value
                chunk_of[h.chunk.id] = h.chunk
    out = Gathered(terms=terms, facets=facets)
    if not best:
        return out
    sections: dict[tuple[str, tuple[str, ...]], list[str]] = {}
    for cid in best:
        c = chunk_of[cid]
        sections.setdefault((c.doc_id, _section_key(c)), []).append(cid)
    scored: dict[tuple[str, tuple[str, ...]], float] = {}
    for key, ids in sections.items():
        values = sorted((best[i] for i in ids), reverse=True)
        head = chunk_of[ids[0]]
        heading = norm(" ".join([head.title, *key[1]]))
        scored[key] = values[0] + 0.05 * min(len(values) - 1, 4) + 0.25 * term_share(heading, terms)
    top_score = max(scored.values())
    named = _named_document(topic, facets, all_chunks, {chunk_of[i].doc_id for i in best})
    if named is not None:
        # the topic is a whole (short) document: every one of its sections belongs in the briefing
        for c in all_chunks:
            if c.doc_id == named:
                key = (c.doc_id, _section_key(c))
                scored[key] = max(scored.get(key, 0.0), 0.75 * top_score)
                sections.setdefault(key, [])
                if c.id not in chunk_of:
                    chunk_of[c.id] = c
                    sections[key].append(c.id)
        max_sections = max(max_sections, sum(1 for k in scored if k[0] == named) + 4)
    chosen: list[tuple[tuple[str, tuple[str, ...]], float]] = []
    per_doc: dict[str, int] = {}
    remaining = dict(scored)
    for c in leaders:
        key = (c.doc_id, _section_key(c))
        if key in remaining:
            chosen.append((key, remaining.pop(key) / top_score))
            per_doc[key[0]] = per_doc.get(key[0], 0) + 1
    while remaining and len(chosen) < max_sections:
        # diversity: each section already taken from a document lowers that document's next one
        key = max(remaining, key=lambda k: remaining[k] * 0.88 ** per_doc.get(k[0], 0))
        value = remaining.pop(key)
        if value < 0.4 * top_score:
            break
        chosen.append((key, value / top_score))
        if key[0] != named:
            per_doc[key[0]] = per_doc.get(key[0], 0) + 1
    by_doc_section = _index(all_chunks)
    seen: set[str] = set()
    passages: list[Passage] = []
    for key, value in chosen:
        hit_ids = set(sections[key])
        members = _expand(key, hit_ids, by_doc_section, chunk_of)
        for c in members:
            if c.id in seen:
                continue
            seen.add(c.id)
            passages.append(Passage(c, value if c.id in hit_ids else 0.9 * value, c.id in hit_ids))
        head = chunk_of[next(iter(hit_ids))]
        out.sections.append((head.title, " > ".join(key[1]), round(value, 3)))
    passages = passages[:max_chunks]
    # group by document (best section first), then by position in the document
    doc_rank: dict[str, int] = {}
    for p in passages:
        doc_rank.setdefault(p.chunk.doc_id, len(doc_rank))
    passages.sort(key=lambda p: (doc_rank[p.chunk.doc_id], p.chunk.line_start, p.chunk.kind != "text"))
    out.passages = passages
    best_text = " ".join(
        norm(f"{p.chunk.title} {' '.join(p.chunk.section)} {p.chunk.text}") for p in passages if p.score >= 0.6
    )
    out.coverage = term_share(best_text, terms)
    return out


_TITLE_STOP = frozenset(["关于", "印发", "通知", "的", "和", "与", "市", "人民政府", "办公室", "推进", "进一步"])


def _named_document(
    topic: str, facets: set[str], chunks: Sequence[Chunk], candidates: set[str], *, max_chunks: int = 120
) -> str | None:
    """A retrieved short document whose title the topic spells out, when the topic asks for its content."""
    import jieba

    if facets - {"任务"}:
        return None  # the topic asks for one part (targets, measures), not the whole document
    q = norm(topic)
    titles: dict[str, str] = {}
    sizes: dict[str, int] = {}
    for c in chunks:
        if c.doc_id in candidates:
            titles[c.doc_id] = c.title
            sizes[c.doc_id] = sizes.get(c.doc_id, 0) + 1
    for doc_id, title in titles.items():
        words = [w for w in jieba.lcut(norm(title)) if len(w) >= 2 and w not in _TITLE_STOP and not places().is_name(w)]
        if words and sizes[doc_id] <= max_chunks and sum(w in q for w in words) / len(words) >= 0.8:
            return doc_id
    return None


def _index(chunks: Sequence[Chunk]) -> dict[str, list[Chunk]]:
    by_doc: dict[str, list[Chunk]] = {}
    for c in chunks:
        by_doc.setdefault(c.doc_id, []).append(c)
    for members in by_doc.values():
        members.sort(key=lambda c: (c.line_start, c.line_end))
    return by_doc


def _expand(
    key: tuple[str, tuple[str, ...]],
    hit_ids: set[str],
    by_doc: dict[str, list[Chunk]],
    chunk_of: dict[str, Chunk],
    *,
    cap: int = 40,
) -> list[Chunk]:
    """All chunks of a section (and its subsections); the document root is not expanded."""
    doc_id, path = key
    hits = [chunk_of[i] for i in hit_ids]
    if not path:
        return sorted(hits, key=lambda c: c.line_start)
    members = [c for c in by_doc.get(doc_id, []) if tuple(c.section[: len(path)]) == path]
    if len(members) > cap:
        # a long chapter: the chunks nearest the hits
        def distance(c: Chunk) -> int:
            return min(abs(c.line_start - h.line_start) for h in hits)

        members = sorted(sorted(members, key=distance)[:cap], key=lambda c: c.line_start)
    ids = {c.id for c in members}
    return members + [h for h in hits if h.id not in ids]
