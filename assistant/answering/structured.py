"""Answers that come from a document's structure and metadata: 文号/日期/发文机关, how many articles or parts
it has, what article N says, the section stating goals (the items a lead-in announces: `leads`)."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Protocol

from assistant.answering.candidates import Candidate, opens_line, signs, units_of
from assistant.answering.frame import QuestionFrame
from assistant.answering.outline import (
    ARTICLE,
    DIGIT_SPACED,
    Heading,
    article,
    articles,
    chapters,
    children,
    counted,
    heading_name,
    numbered_items,
    numbered_part,
    outline,
    parts_besides,
)
from assistant.models import Chunk, Retrieved
from assistant.retrieval.routing import Catalog, Scope
from assistant.text import cn_numeral, count_word, norm, number_of
from assistant.vocab import vocabulary


class Library(Protocol):
    """What structure answers read besides the retrieved passages: a document's chunks and its source lines."""

    def chunks_of(self, doc_id: str) -> list[Chunk]:
        """The document's chunks, in line order."""
        ...

    def find_line(self, source: str, needle: str, first: int, last: int) -> tuple[int, str] | None:
        """The first line within first..last of the source's cleaned text that holds the needle."""
        ...
MAX_SECTION_UNITS = 6
MAX_PARTS = 12  # a document's parts listed at most
# "几个方面", "下面有几节", "几大部分": how many parts (not "几大工程": things the text names)
COUNTS_PARTS = re.compile(r"几\s*((?:个|项|条|类|种)(?:方面|部分|项)?|大(?:方面|部分|项|块|类|板块)|节)")


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


# (第N块, 第N大部分: a part, as users say it)
PART_NAMED = re.compile(r"第([一二三四五六七八九十百\d]+)大?(章|部分|篇|节|块)")
_TITLE_ASKED = re.compile(r"标题|题目|名称|叫什么|叫啥|章名")  # a part's name asked, not what it says
_LAST = re.compile(r"最后|末尾|收尾")  # "最后一条讲的啥": the last of a part's items


def part_missing(frame: QuestionFrame, scope: Scope, catalog: Catalog, library: Library) -> bool:
    """Whether the one numbered part a question names is missing from the documents it asks of (those it names, else
    the one its place and year fit), each numbering its parts of that kind: a chapter or part ("第十一章讲什么" of a
    plan of ten), an article ("第五十条" of rules of forty), a bracketed item ("第（十二）项" where none is numbered
    so). Nothing of theirs answers it."""
    asked = [(number_of(raw), kind.replace("块", "部分")) for raw, kind in PART_NAMED.findall(frame.question)]
    asked += [(number_of(raw), "条") for raw in ARTICLE.findall(frame.question)]
    asked += [(number_of(raw), "项") for raw in _BRACKETED_ASKED.findall(frame.question)]
    if len(asked) != 1:
        return False
    (number, kind), = asked
    if not number or kind not in ("章", "部分", "条", "项"):
        return False
    doc_ids = scope.doc_ids or (tuple(catalog.matching(Scope(places=scope.places, doc_years=scope.doc_years,
                                                             kinds=scope.kinds))) if scope.doc_years else ())
    if not doc_ids or len(doc_ids) > 2:
        return False
    return all(_lacks(library.chunks_of(d), kind, number) for d in doc_ids)


def _lacks(chunks: list[Chunk], kind: str, number: int) -> bool:
    """Whether a document numbering its parts of a kind has none numbered so."""
    if kind == "条":
        held = dict(articles(chunks))
        return 1 in held and number not in held
    if kind == "项":
        said = {number_of(raw) for c in chunks for text in (*c.section, c.text) for raw in _BRACKETED.findall(text)}
        return 1 in said and number not in said
    heads = outline(chunks)
    runs = [r[0] for r in chapters(chunks)] if kind == "章" else []
    numbers = heads and numbered_part(heads, kind, 1) is not None or 1 in runs
    return bool(numbers) and numbered_part(heads, kind, number) is None and number not in runs


_BRACKETED = re.compile(r"[（(]([一二三四五六七八九十\d]{1,3})[）)]")
_BRACKETED_ASKED = re.compile(r"第[（(]([一二三四五六七八九十\d]{1,3})[）)]项?")


def part_units(frame: QuestionFrame, chunks: list[Chunk], sources: Sources) -> list[Candidate]:
    """What part N of a document is about ("第三章讲什么", "第二部分的标题"): its heading, then the headings below it
    or, with none, its first statements."""
    asked = [(number_of(raw), kind.replace("块", "部分")) for raw, kind in PART_NAMED.findall(frame.question)]
    if not asked:
        return []
    heads = outline(chunks)
    if (besides := parts_besides(heads, frame.question, PART_NAMED)) is not None:  # "除了第一部分，后面两部分…"
        return [heading_unit(h, sources) for h in besides]
    parts = [numbered_part(heads, kind, n) if n else None for n, kind in asked]
    if len(parts) >= 2 and all(parts):  # "第5部分和第7部分的标题分别是啥": each part's heading
        return [heading_unit(h, sources) for h in {h.path: h for h in parts if h is not None}.values()]
    (number, kind), part = asked[0], parts[0]
    if part is not None:  # "第十二章里“保障措施”那一节": the section it quotes below the part, when one is so named
        quoted = [h for h in heads if h.path[: len(part.path)] == part.path and len(h.path) > len(part.path)
                  and any(heading_name(h.title) == norm(q) for q in frame.quoted)]
        part = quoted[0] if len(quoted) == 1 else part
    if part is None:  # chapters run in with their articles ("第三章　目录管理　　第十五条…"): the chapter's own line
        run = next((r for r in chapters(chunks) if r[0] == number), None) if kind == "章" else None
        if run is None:
            return []
        _, text, shown, chunk = run
        start = chunk.text.find(text)
        rest = [u for u in units_of(chunk, sources.index_of(chunk)) if chunk.text.find(u.text) >= start >= 0]
        return [Candidate(sources.index_of(chunk), chunk, text, shown, "sentence"), *rest[:MAX_SECTION_UNITS]]
    below = children(heads, part.path)
    if below:
        # asked how many it holds or which is last ("下面分了几节", "最后一条讲的啥"): every one, and how many
        counts = counts_part(frame.question)
        every = bool(counts or _LAST.search(frame.question))
        # (a part opening with its own statements before its sub-headings: the first of them, "…这一章总体上要抓哪些方面")
        opens = tuple(part.chunk.section) == part.path and not counts and not _TITLE_ASKED.search(frame.question)
        title = _heading_with_lead(part, sources) if opens else heading_unit(part, sources)
        if counts:
            counter = "个部分" if counts.group(1) == "大" else counts.group(1)  # ("分几大块")
            title.display = f"{part.title}：下分{count_word(len(below))}{counter}"
        listed = below[:MAX_PARTS] if every else below[:MAX_SECTION_UNITS]
        return [title, *(heading_unit(h, sources) for h in listed)]
    if counts_part(frame.question):
        return []  # its items are no headings: they are counted otherwise
    points = ordinal_points([c for c in chunks if tuple(c.section) == part.path], sources)
    if len(points) >= 2:  # its paragraphs numbered in words or ordinals ("一是强化要素保障能力。…"): their heads
        return [heading_unit(part, sources), *points[:MAX_PARTS]]
    return [heading_unit(part, sources), *units_of(part.chunk, sources.index_of(part.chunk))[:MAX_SECTION_UNITS]]


_ORDINAL = re.compile(r"^\s*(?:([一二三四五六七八九十]+)是|[（(]([一二三四五六七八九十]+)[）)])")


def ordinal_points(chunks: list[Chunk], sources: Sources) -> list[Candidate]:
    """The opening sentences of a part's paragraphs numbered 一是, 二是, … (or （一）, （二）, …), when they run from
    the first without a gap; [] otherwise."""
    found: dict[int, Candidate] = {}
    for c in sorted(chunks, key=lambda c: c.line_start):
        for u in units_of(c, sources.index_of(c)):
            m = _ORDINAL.match(u.text)
            n = number_of(m.group(1) or m.group(2)) if m and opens_line(u) else None
            if n and n not in found:
                found[n] = u
    numbers = sorted(found)
    if len(numbers) < 2 or numbers != list(range(1, len(numbers) + 1)):
        return []
    return [found[n] for n in numbers][:MAX_PARTS]


def counts_part(question: str) -> re.Match[str] | None:
    """The count a question asks of the part it names: after the part ("第三部分…下面分了几项"), not before it
    ("分了几个方面？最后第三部分叫什么" counts something else)."""
    named = PART_NAMED.search(question)
    return COUNTS_PARTS.search(question, named.end()) if named else None


def structure_units(frame: QuestionFrame, chunks: list[Chunk], sources: Sources) -> list[Candidate]:
    """What article N says; how many articles or parts a document has, with their headings."""
    asked = ARTICLE.search(frame.question)
    if asked and not counted(frame.question.replace(asked.group(0), "")):
        raw = asked.group(1)
        number = number_of(raw)
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
            return [Candidate(sources.index_of(chunk), chunk, text, f"共{cn_numeral(last)}条，最后一条：{text}", "sentence")]
        items = numbered_items(chunks)  # measures numbered 1., 2., … through the document
        if items:
            n, text, chunk = items[-1]
            return [Candidate(sources.index_of(chunk), chunk, text, f"共{n}条，最后一条：{text}", "sentence")]
    heads = [h for h in children(outline(chunks), ()) if not signs(h.title)]  # a letterhead is no part
    ordinal = [h for h in heads if NUMBERED_PARAGRAPH.match(h.title) or _ORDINAL_HEAD.match(h.title)]
    heads = ordinal if len(ordinal) >= 2 else heads  # nor a byline among numbered parts ("国务院总理…")
    if "章" in frame.question and not any(h.title.startswith("第") and "章" in h.title[:6] for h in heads):
        runs = chapters(chunks)  # chapters run in with the articles, not headings of their own
        if runs:
            return _with_count(frame.question, [
                Candidate(sources.index_of(c), c, text, shown, "sentence", pos=30_000 + n) for n, text, shown, c in runs
            ])
    if len(heads) >= 2:
        return _with_count(frame.question, [heading_unit(h, sources) for h in heads])
    return []


_ORDINAL_HEAD = re.compile(r"^\s*第[一二三四五六七八九十百\d]+[章节部分篇编]")
COUNTS_WHOLE = re.compile(r"(?:几|多少)\s*大?(个部分|部分|章|篇|编|块)")  # "分为几章", "有几(大)部分"


def _with_count(question: str, units: list[Candidate]) -> list[Candidate]:
    """A document's parts, said how many first when the question asks ("共九章：第一章 总则…")."""
    asked = COUNTS_WHOLE.search(question)
    if asked is None or not units:
        return units
    counter = "个部分" if asked.group(1) in ("部分", "块") else asked.group(1)  # ("分几大块")
    return [replace(units[0], display=f"共{count_word(len(units))}{counter}：{units[0].display}"), *units[1:]]


NUMBERED_PARAGRAPH = re.compile(  # ("一是奋力拼经济，稳住经济基本盘。…": a paragraph numbered in words)
    rf"^\s*(?:[一二三四五六七八九十]+[、.．是]|[（(][一二三四五六七八九十]+[）)]|\d{{1,2}}[、.．]|{DIGIT_SPACED})"
)


def parts_shown(below: list[Heading], sources: Sources, *, every: bool) -> list[Candidate]:
    """A part's sub-headings, each with its first statement; when every one is asked for (a list question) and
    there are more than that shows, each by its heading alone (the ten items of an appendix, not six of them)."""
    if every and len(below) > MAX_SECTION_UNITS:
        return [heading_unit(h, sources) for h in below[:MAX_PARTS]]
    return [_heading_with_lead(h, sources) for h in below[:MAX_SECTION_UNITS]]


def _heading_with_lead(h: Heading, sources: Sources) -> Candidate:
    """A sub-heading with the first statement under it ("总体目标：到2025年，……")."""
    i = sources.index_of(h.chunk)
    title = norm(h.title).rstrip("。.")
    # (a run-in heading, "（一）坚持……。强化……", is the first sentence of its own paragraph: what follows it is said)
    first = next((u for u in units_of(h.chunk, i) if u.kind != "lead" and norm(u.text).rstrip("。.") not in title), None)
    if first is None:
        return heading_unit(h, sources)
    first.display = f"{h.title}：{first.display}"
    return first


def heading_unit(h: Heading, sources: Sources) -> Candidate:
    return Candidate(sources.index_of(h.chunk), h.chunk, h.title, h.title, "item")


def _article_line(chunk: Chunk, number: int) -> str:
    for line in chunk.text.split("\n"):
        m = ARTICLE.search(line)
        if m and number_of(m.group(1)) == number:
            return line.strip()
    return chunk.text.split("\n")[0].strip()


_ISSUER_BODY = re.compile(r"哪(?:个|一个|家)?(?:部门|单位|机构|机关)|什么(?:部门|单位|机构|机关)")


def other_document(question: str, kind: str | None, title: str) -> bool:
    """Whether the issuing body is asked of another document than the one routed: the question names a
    kind of document ("那15条措施是哪个部门出台的", "这个条例是哪个部门起草的") that the routed one is not, nor does
    its title say the word (a report speaking of a regulation does not answer who issued the regulation). Only the
    issuing body asked is read so."""
    if not _ISSUER_BODY.search(question):  # (a date, a credit or a speaker asked is the page's own)
        return False
    kinds = vocabulary().kinds
    said = {k: [w for w in words if w in question] for k, words in kinds.items()}
    named = {k for k, words in said.items() if words}
    return bool(named) and kind not in named and not any(w in title for ws in said.values() for w in ws)

