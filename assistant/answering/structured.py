"""Answers that come from a document's structure and metadata: 文号/日期/发文机关, how many articles or parts
it has, what article N says, the items a lead-in announces as sub-headings, the section stating goals."""

from __future__ import annotations

import re
from collections.abc import Callable

from assistant.answering.candidates import Candidate, units_of
from assistant.answering.frame import QuestionFrame
from assistant.answering.outline import (
    Heading,
    article,
    articles,
    best_heading,
    children,
    counted,
    items_after_lead,
    outline,
)
from assistant.models import Chunk, DocumentInfo, Retrieved
from assistant.text import cn_number, norm
from assistant.vocab import vocabulary

ChunksOf = Callable[[str], list[Chunk]]
_ARTICLE_ASKED = re.compile(r"第([一二三四五六七八九十百零〇\d]+)条")
_FIELDS = (  # (words asking for it, label, DocumentInfo attribute)
    (("文号", "发文字号", "发文号"), "文号", "doc_number"),
    (("日期", "时间", "哪天", "何时", "什么时候"), "日期", "date"),
    (("机关", "部门", "单位", "谁"), "发文机关", "issuer"),
)
MAX_SECTION_UNITS = 6


class Sources:
    """The pool of passages an answer cites from; structure answers add passages to it."""

    def __init__(self, pool: list[Retrieved]):
        self.pool = pool

    def index_of(self, chunk: Chunk) -> int:
        """The pool index of a chunk, adding it when it is not there yet."""
        for i, r in enumerate(self.pool):
            if r.chunk.id == chunk.id:
                return i
        self.pool.append(Retrieved(chunk, 0.0, rank=len(self.pool) + 1))
        return len(self.pool) - 1


def metadata_units(frame: QuestionFrame, doc: DocumentInfo, chunks: list[Chunk], sources: Sources) -> list[Candidate]:
    """文号/日期/发文机关 of a document from its metadata, each cited where the document states it."""
    out = []
    for words, label, attr in _FIELDS:
        value = getattr(doc, attr)
        if not value or not any(w in frame.question for w in words):
            continue
        where = next((c for c in chunks if norm(value) in norm(c.text)), None)
        if where is None:
            continue
        line = next((ln for ln in where.text.split("\n") if norm(value) in norm(ln)), value)
        out.append(Candidate(sources.index_of(where), where, line.strip(), f"{label}：{value}", "sentence"))
    return out


def structure_units(frame: QuestionFrame, chunks: list[Chunk], sources: Sources) -> list[Candidate]:
    """What article N says; how many articles or parts a document has, with their headings."""
    asked = _ARTICLE_ASKED.search(frame.question)
    if asked and not counted(frame.question.replace(asked.group(0), "")):
        raw = asked.group(1)
        number = int(raw) if raw.isdigit() else cn_number(raw)
        chunk = article(chunks, number) if number else None
        if chunk is None:
            return []
        i = sources.index_of(chunk)
        units = [u for u in units_of(chunk, i) if asked.group(0) in u.text or u.pos > 0]
        return units[:MAX_SECTION_UNITS]
    if "条" in frame.question:
        numbered = articles(chunks)
        if len(numbered) >= 2:
            last, chunk = numbered[-1]
            text = _article_line(chunk, last)
            return [Candidate(sources.index_of(chunk), chunk, text, f"共{_cn(last)}条，最后一条：{text}", "sentence")]
    heads = children(outline(chunks), ())
    if len(heads) >= 2:
        return [_heading_unit(h, sources) for h in heads]
    return []


def lead_items(lead: Candidate, chunks: list[Chunk], sources: Sources) -> list[Candidate]:
    """The sub-headings a lead-in announces, when its list is spelled out as sections rather than lines."""
    if not lead.text.rstrip().endswith(("：", ":")):
        return []
    return [_heading_unit(h, sources) for h in items_after_lead(outline(chunks), lead.chunk, lead.text)]


def section_units(frame: QuestionFrame, chunks: list[Chunk], sources: Sources) -> list[Candidate]:
    """The section a description question asks about ("主要目标"): its sub-headings, else its first statements."""
    words = tuple(w for w in vocabulary().question["description"] if w in frame.question)
    if not words:
        return []
    heads = outline(chunks)
    best = best_heading(heads, frame.terms, words)
    if best is None:
        return []
    below = children(heads, best.path)
    if len(below) >= 2:
        return [_heading_unit(h, sources) for h in below]
    i = sources.index_of(best.chunk)
    return units_of(best.chunk, i)[:MAX_SECTION_UNITS]


def _heading_unit(h: Heading, sources: Sources) -> Candidate:
    return Candidate(sources.index_of(h.chunk), h.chunk, h.title, h.title, "item")


def _article_line(chunk: Chunk, number: int) -> str:
    for line in chunk.text.split("\n"):
        m = _ARTICLE_ASKED.search(line)
        if m and (int(m.group(1)) if m.group(1).isdigit() else cn_number(m.group(1))) == number:
            return line.strip()
    return chunk.text.split("\n")[0].strip()


def _cn(n: int) -> str:
    """A count in Chinese numerals (as the documents write them)."""
    import cn2an

    return str(cn2an.an2cn(n))
