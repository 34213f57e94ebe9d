"""The items a lead-in announces ("重点做好八方面工作：", "办好十件民生实事。"): spelled out after it as sub-headings,
as short title lines or numbered paragraphs of its own section, or under a title naming them elsewhere (an appendix)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace

from assistant.answering.candidates import Candidate, units_of
from assistant.answering.outline import Heading, children, counted, items_after_lead, outline
from assistant.answering.structured import MAX_SECTION_UNITS, NUMBERED_PARAGRAPH, Sources, heading_unit
from assistant.models import Chunk
from assistant.text import norm, number_of, sentences

_RUN_IN = re.compile(r"^[^。，、；,;：:！？!?]{3,18}[。.]$")  # a short head sentence, no clause inside
NUMBERED_HEAD_CHARS = 40  # a numbered paragraph's first sentence up to this long is its head
# the counted things a lead-in announces ("十件民生实事" of "办好十件民生实事。")
_COUNTED_PHRASE = re.compile(r"[一二三四五六七八九十两\d]+\s*(?:个|项|件|大|方面|条|类|种)[\u4e00-\u9fff“”]{2,10}")
_FOLLOWING = re.compile(r"(?:以下|如下)[\u4e00-\u9fff]{0,6}[。：:]?$")


def lead_items(lead: Candidate, chunks: list[Chunk], sources: Sources) -> list[Candidate]:
    """The items a lead-in announces ("重点做好八方面工作：", "突出实施六大关键性举措。") when they are spelled
    out after it as sub-headings, or as short title lines of their own."""
    text = lead.text.rstrip()
    count = counted(text)
    colon = text.endswith(("：", ":"))
    # "…突出实施六大关键性举措。", "今年要重点做好以下工作。": the sentence announces the items that follow
    # (one whose last clause names them before the count, "重点培育甲、乙、丙等20个产业。", has listed them already)
    announces = bool(count and count >= 2 and counted(text[-12:]) and "、" not in re.split("[，,；;]", text)[-1]) or bool(
        _FOLLOWING.search(text[-12:])
    )
    # run into its paragraph, numbered in words right after it ("必须着力把握好三点。一是…。…二是…。", "坚决打好蓝天保卫战。
    # …。一要…。…二要…"), announced or not
    if inline := _inline_items(lead, chunks, sources, count):
        return inline
    if not colon and not announces:
        return []
    # spelled out in the lead-in's own section, before any heading: as many as it announces
    own = _title_lines_after(lead, chunks, sources, count or MAX_SECTION_UNITS, below=False)
    if len(own) >= 2 and (not count or len(own) == count):
        return own
    headings = outline(chunks)
    heads = items_after_lead(headings, lead.chunk, lead.text)
    if heads:
        return [heading_unit(h, sources) for h in heads]
    found = _announced_elsewhere(lead, count, chunks, headings, sources) or _title_lines_after(
        lead, chunks, sources, count or MAX_SECTION_UNITS
    )
    # (lines found further on are its items only as many as it counts: "新设7个自贸试验区。" is not followed by three
    # paragraphs' head lines)
    return found if not count or len(found) == count else []


# "一是…", "二要…", "第一，…": items run into a paragraph (the numbering's kind: 是, 要 or 第)
_WORD_ORDINAL = re.compile(r"^\s*(?:([一二三四五六七八九十]+)(是|要)|(第)([一二三四五六七八九十]+)[，,、])")
INLINE_START = 2  # the first item follows the lead-in within this many statements
INLINE_GAP = 30  # ... and each next one the item before it within this many


def _inline_items(lead: Candidate, chunks: list[Chunk], sources: Sources, count: int | None) -> list[Candidate]:
    """The statements numbered in words that follow a lead-in in its section ("一是…", "二是…", "第一，…", from the
    first, one numbering), as many as it counts; [] when fewer than two follow it so."""
    items: list[Candidate] = []
    gap, suffix = 0, ""
    for chunk, u in _statements_after(lead, chunks):
        m = _WORD_ORDINAL.match(u.text)
        kind, n = (m.group(2) or m.group(3), m.group(1) or m.group(4)) if m else ("", "")
        if m and number_of(n) == len(items) + 1 and kind in (suffix or kind):
            items.append(replace(u, context=sources.index_of(chunk), kind="item"))
            suffix, gap = kind, 0
            if count and len(items) == count:
                return items
            continue
        gap += 1
        if gap > (INLINE_GAP if items else INLINE_START):
            break
    return items if len(items) >= 2 and (not count or len(items) == count) else []


def _statements_after(lead: Candidate, chunks: list[Chunk]) -> Iterator[tuple[Chunk, Candidate]]:
    """The statements after a lead-in in its section, in order, each once (overlapping chunks share some), with the
    chunk each stands in; the lead-in may be a clause of its statement."""
    started, seen = False, set()
    for chunk in sorted(chunks, key=lambda c: c.line_start):
        if chunk.section != lead.chunk.section or chunk.line_end < lead.chunk.line_start:
            continue
        for u in units_of(chunk, -1):
            if not started:
                started = chunk.id == lead.chunk.id and norm(lead.text).rstrip("。：:") in norm(u.text)
                continue
            if (said := norm(u.text)) not in seen:
                seen.add(said)
                yield chunk, u


def _title_lines_after(
    lead: Candidate, chunks: list[Chunk], sources: Sources, count: int, *, below: bool = True
) -> list[Candidate]:
    """Short lines (or paragraphs' short head sentences) that follow a lead-in in its section ("高质量发展示范区。"),
    each an item; with below=False only up to the section's first sub-heading."""
    out: list[Candidate] = []
    started = numbered = False
    for chunk in chunks:
        inside = chunk.section == lead.chunk.section if not below else (
            chunk.section[: len(lead.chunk.section)] == lead.chunk.section)
        if chunk.line_end < lead.chunk.line_start or not inside:
            if started:
                break
            continue
        for line in chunk.text.split("\n"):
            s = line.strip()
            if not started:
                started = chunk.id == lead.chunk.id and norm(lead.text) in norm(s)
                continue
            head = s if 2 <= len(s) <= 30 and "，" not in s and "；" not in s else _run_in_head(s)
            if head and numbered and not NUMBERED_PARAGRAPH.match(head):
                continue  # items numbered ("一是…", "二是…"): a head inside one of them is none of them
            numbered = numbered or bool(head and NUMBERED_PARAGRAPH.match(head))
            if head and all(norm(head) != norm(u.text) for u in out):  # a line two chunks share counts once
                out.append(Candidate(sources.index_of(chunk), chunk, head, head, "item", pos=20_000 + len(out)))
                if len(out) >= count:
                    return out
    return out if len(out) >= 2 else []


def _run_in_head(line: str) -> str | None:
    """A paragraph's short head sentence ("改革创新活力区。" of "改革创新活力区。抢抓…"), when it opens with one; a
    numbered paragraph's first sentence ("一、为老年人提供健康管理、医养结合服务。具体…") is its head."""
    first = sentences(line)[:1]
    if not first or len(first[0]) >= len(line):
        return None
    numbered = NUMBERED_PARAGRAPH.match(first[0]) and len(first[0]) <= NUMBERED_HEAD_CHARS
    return first[0] if _RUN_IN.match(first[0]) or numbered else None


def _announced_elsewhere(
    lead: Candidate, count: int | None, chunks: list[Chunk], headings: list[Heading], sources: Sources
) -> list[Candidate]:
    """"办好十件民生实事。" whose items are spelled out under a title naming them elsewhere in the document (an
    appendix "附件1 2025年省十件民生实事"): that title's items, as many as it counts."""
    m = _COUNTED_PHRASE.search(lead.text)
    if not count or not m:
        return []
    phrase = norm(m.group(0))
    for h in headings:  # a heading of its own ("附件1 > 某年十件民生实事"): the items below it
        below = children(headings, h.path)
        if phrase in norm(h.title) and len(below) == count:
            return [heading_unit(b, sources) for b in below]
    for chunk in chunks:
        for line in chunk.text.split("\n"):
            title = line.strip()
            if title != lead.text.strip() and phrase in norm(title) and len(title) <= 30 and not re.search("[，。；]", title):
                heads = items_after_lead(headings, chunk, title)
                if len(heads) == count:
                    return [heading_unit(h, sources) for h in heads]
                heading = Candidate(sources.index_of(chunk), chunk, title, title, "lead")
                items = _title_lines_after(heading, chunks, sources, count)
                return items if len(items) == count else []
    return []
