"""A list question asking what a part of a document comprises ("推进城市有机更新包括哪些方面", "具体目标有哪几个
方面"): the part is found by its heading and answered by its sub-headings."""

from __future__ import annotations

import re

from assistant.answering.candidates import ITEM, Candidate, units_of
from assistant.answering.frame import QuestionFrame
from assistant.answering.leads import lead_items
from assistant.answering.outline import (
    ARTICLE,
    Heading,
    article,
    best_heading,
    children,
    heading_name,
    outline,
)
from assistant.answering.present import counts_items
from assistant.answering.structured import (
    Sources,
    _heading_with_lead,
    ordinal_points,
    parts_shown,
)
from assistant.models import Chunk
from assistant.text import cn_numeral, in_order, norm, number_of

_ASPECTS = re.compile(
    r"(?:包括|包含|有|分为|由)?(?:哪些|哪几个?|几个)(?:方面|部分|内容|[“\"])|具体包括|包括哪些|包含哪些"
)  # (哪几个“坚持”: the parts named by what each opens with)


def aspect_units(frame: QuestionFrame, chunks: list[Chunk], sources: Sources) -> list[Candidate]:
    """A list question asking what a part its words name comprises ("推进城市有机更新包括哪些方面", "具体目标有哪几个
    方面"): the sub-headings of the heading that holds most of those words (at least half of them)."""
    if frame.answer_type != "list" or not chunks:
        return []
    heads, title = outline(chunks), norm(chunks[0].title)
    if counted := _counted_parts(frame, heads, sources) or _counted_inline(frame, chunks, sources):
        return counted
    asked = _ASPECTS.search(frame.question)
    if asked is None:
        return []
    # a heading the question names in so many words ("具体目标", "推进城市有机更新"), else the one holding most of
    # its words (the document's name cut otherwise, "环境规划" of "…营商环境和社会信用体系发展规划", is its name too)
    question = norm(frame.question)
    named = [h for h in heads if len(name := heading_name(h.title)) >= 3 and name in question]
    terms = [t for t in frame.terms if not _named_in(t, title) and t not in asked.group(0)]
    best = max(named, key=lambda h: len(h.title)) if named else best_heading(heads, terms, ())
    if best is None or not named and 2 * sum(len(t) for t in terms if t in norm(best.title)) < sum(map(len, terms)):
        return []
    below = children(heads, best.path)
    if len(below) >= 2:
        return parts_shown(below, sources, every=True)
    # a part without sub-headings that makes its points in paragraphs ("一是坚持政治引领，…。二是…"): their openings
    return ordinal_points([c for c in chunks if tuple(c.section) == best.path], sources)


def _named_in(term: str, title: str) -> bool:
    """A term the title holds, or a longer one whose characters it holds in order."""
    return term in title or len(term) >= 3 and in_order(term, title)


# a quoted name that counts its parts: "八大提升工程", "三个中心" (the count, then what each part is)
_COUNTED_NAME = re.compile(r"([一二两三四五六七八九十\d]{1,3})(?:大|个|项|条|种|类)?([\u4e00-\u9fff]{2,10})")


def _counted_parts(frame: QuestionFrame, heads: list[Heading], sources: Sources) -> list[Candidate]:
    """"“八大提升工程”是哪八个": a heading of the document with exactly that many parts, named like them (重点工程 ›
    实施创新提能工程, …): its parts. A count alone decides nothing: the parts' kind (工程) must be in the names."""
    for quoted in frame.quoted:
        m = _COUNTED_NAME.fullmatch(norm(quoted))
        count = number_of(m.group(1)) if m else None
        if m is None or not count or count < 2:
            continue
        kind = m.group(2)[-2:]
        for h in heads:  # (a box beside the parts, "专栏1 创新提能行动", is none of them)
            below = [c for c in children(heads, h.path) if kind in norm(c.title)]
            if len(below) == count:
                return [_heading_with_lead(c, sources) for c in below]
    return []


# a name counting its parts as the question quotes it: "“六保”", "五个“不”", "“三个中心”"
_QUOTED_COUNT = re.compile(r"([一二两三四五六七八九十\d]{1,3})(?:大|个|项|条|种|类)?[“\"「]?([\u4e00-\u9fff]{1,8})[”\"」]")
ITEM_SPLIT = re.compile(r"[，,；;：:。]")


def _counted_inline(frame: QuestionFrame, chunks: list[Chunk], sources: Sources) -> list[Candidate]:
    """"“六保”具体指哪六个": a statement of the document that names the quoted name and lists exactly that many
    parts in one clause, each holding what the name counts ("强化保居民就业、保基本民生、…、保基层运转"): that
    statement; one for each such name the question quotes, or none when one of them is not found."""
    found: list[Candidate] = []
    for m in _QUOTED_COUNT.finditer(frame.question):
        count, stem = number_of(m.group(1)), m.group(2)
        if not count or count < 2:
            continue
        unit = _listing(count, stem[-2:], norm(m.group(0)).strip("“”\"「」"), chunks)
        if unit is None:
            return []
        unit.context = sources.index_of(unit.chunk)
        if all(unit.key != u.key for u in found):
            found.append(unit)
    return found


def _listing(count: int, key: str, name: str, chunks: list[Chunk]) -> Candidate | None:
    """The first statement of a chunk naming `name` with a clause of exactly `count` parts, each holding `key`."""
    for chunk in chunks:
        if name not in norm(chunk.text):
            continue
        for unit in units_of(chunk, 0):
            for clause in ITEM_SPLIT.split(norm(unit.text)):
                parts = [p for p in clause.split("、") if p]
                if len(parts) == count and all(key in p for p in parts):
                    return unit
    return None


# the parts of a text counted: "几个方面", "几大部分", "几项重点工作" (not "几个国家公园", things the text counts)
_PARTS_COUNTED = re.compile(r"几\s*(?:个|大|项)?\s*(?:方面|部分)|几\s*(?:项|个|大)\s*(?:重点|主要)?(?:工作|任务)")


def announced_parts(frame: QuestionFrame, chunks: list[Chunk], sources: Sources) -> list[Candidate]:
    """"今年的重点工作有几个方面" of a document that says "重点抓好以下十二个方面：" and spells the parts out after it:
    that statement with its parts. Of several such statements, the one sharing most of the question's words (its
    own or its section's) answers; none when two share as many."""
    if not _PARTS_COUNTED.search(frame.question):  # ("几个国家公园" counts things, not the parts of a text)
        return []
    found: list[tuple[int, Candidate, list[Candidate]]] = []
    for chunk in chunks:
        for unit in units_of(chunk, 0):
            if not counts_items(frame.question, unit.text):
                continue
            items = lead_items(unit, chunks, sources)
            if len(items) < 2:
                continue
            said = norm(unit.text + " ".join(chunk.section))
            found.append((sum(len(t) for t in frame.terms if t in said), unit, items))
    found.sort(key=lambda f: -f[0])
    if not found or found[0][0] == 0 or len(found) > 1 and found[1][0] == found[0][0]:
        return []
    _, lead, items = found[0]
    lead.context = sources.index_of(lead.chunk)
    return [lead, *items]


_COUNTS_IN = re.compile(r"(?:多少|几)\s*(?:种|项|类|个|款)")  # "多少种情形", "几项": what an article lists, counted


def article_items(frame: QuestionFrame, chunks: list[Chunk], sources: Sources) -> list[Candidate]:
    """"第四十四条一共列了多少种要责令限期整改的情形": the items the named article lists ("（一）…" to "（十三）…"),
    counted, after the statement introducing them; none when the article lists fewer than two."""
    asked = ARTICLE.search(frame.question)
    if asked is None or not _COUNTS_IN.search(frame.question, asked.end()):
        return []
    number = number_of(asked.group(1))
    chunk = article(chunks, number) if number else None
    if chunk is None:
        return []
    units = units_of(chunk, sources.index_of(chunk))
    # (an article longer than a chunk goes on in the next chunks of its section, which may overlap)
    rest = [c for c in sorted(chunks, key=lambda c: c.line_start) if c.section == chunk.section and c.line_start > chunk.line_start]
    said = {norm(u.text) for u in units}
    for c in rest:
        more = [u for u in units_of(c, sources.index_of(c)) if _is_item(u) and norm(u.text) not in said]
        said |= {norm(u.text) for u in more}
        units += more
    items = [u for u in units if _is_item(u)]
    lead = next((u for u in reversed(units) if items and u.chunk is chunk and u.pos < items[0].pos), None)
    if len(items) < 2 or lead is None:
        return []
    lead.display = f"共{cn_numeral(len(items))}项：{lead.display}"
    return [lead, *items]


def _is_item(u: Candidate) -> bool:
    return u.kind == "item" or bool(ITEM.match(u.text))


_NTH = re.compile(r"第([一二三四五六七八九十\d]{1,3})(?:件|项|个|条)")
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


def nth_item(frame: QuestionFrame, chunks: list[Chunk], sources: Sources) -> list[Candidate]:
    """"“十大重点民生实事”的第一件具体包括哪些内容": the item numbered N (①…) that follows the quoted name in its
    paragraph ("扎实办好“十大重点民生实事”。①补充配置…。②…"); [] when the question names no such item."""
    m = _NTH.search(frame.question)
    n = number_of(m.group(1)) if m else None
    if not n or n > len(_CIRCLED) or not frame.quoted:
        return []
    for chunk in chunks:
        for q in frame.quoted:
            at = chunk.text.find(q)
            end = chunk.text.find("\n", at) if at >= 0 else -1
            paragraph = chunk.text[at : end if end >= 0 else len(chunk.text)] if at >= 0 else ""
            start = paragraph.find(_CIRCLED[n - 1])
            if start < 0:
                continue
            stop = min((i for c in _CIRCLED[n:] if (i := paragraph.find(c, start)) >= 0), default=len(paragraph))
            text = paragraph[start:stop].strip()
            return [Candidate(sources.index_of(chunk), chunk, text, text, "item")]
    return []

