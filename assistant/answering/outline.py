"""A document's outline (its headings in order, each with the first chunk under it), and the answers that
come from structure rather than from one sentence: the items of a list spelled out as sub-headings,
the parts or articles a document has, what an article says, the section that states a plan's goals."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from assistant.answering.candidates import Candidate
from assistant.models import Chunk
from assistant.text import norm, number_of

ARTICLE = re.compile(r"第([一二三四五六七八九十百零〇\d]+)条")  # "第十二条": an article and its number
# ("必须把握好三点": points counted in words; not "一点", a little, nor a time, "12点")
_COUNTED = re.compile(r"([一二三四五六七八九十两\d]+)\s*(?:个|项|件|大|方面|条|类|种|部分|篇|章)|([二三四五六七八九十两]+)点")


@dataclass(frozen=True)
class Heading:
    """A heading of a document: its path below the title and the first chunk under it."""

    path: tuple[str, ...]
    chunk: Chunk

    @property
    def title(self) -> str:
        """The heading's own text."""
        return self.path[-1]


_HEAD_NUMBER = re.compile(r"^(?:第[一二三四五六七八九十百\d]+[章节部分篇编]|[（(]?[一二三四五六七八九十\d]+[）)、.．])\s*")


def heading_name(title: str) -> str:
    """A heading's name without its number ("（九）某某建设" -> 某某建设), normalised."""
    return _HEAD_NUMBER.sub("", norm(title))


def outline(chunks: list[Chunk]) -> list[Heading]:
    """The headings of one document's chunks, in document order (each path once, parents before children)."""
    out: list[Heading] = []
    seen: set[tuple[str, ...]] = set()
    for c in sorted(chunks, key=lambda c: (c.line_start, c.line_end)):
        path = tuple(c.section)
        for depth in range(1, len(path) + 1):
            head = path[:depth]
            if head not in seen:
                seen.add(head)
                out.append(Heading(head, c))
    return out


def children(headings: list[Heading], path: tuple[str, ...]) -> list[Heading]:
    """The headings one level below `path` (the top level for an empty path)."""
    return [h for h in headings if len(h.path) == len(path) + 1 and h.path[: len(path)] == path]


def items_after_lead(headings: list[Heading], lead: Chunk, text: str) -> list[Heading]:
    """The sub-headings a lead-in ("重点做好八方面工作：") introduces: the children of its section that come
    after it, as many as it counts when it says how many."""
    path = tuple(lead.section)
    below = [h for h in children(headings, path) if h.chunk.line_start >= lead.line_start]
    count = counted(text)
    if below or not _closes(lead, text):  # (else the lead closes its passage: the sections after it may be its items)
        return below[:count] if count else below
    below = [h for h in children(headings, path[:-1]) if h.chunk.line_start > lead.line_end]  # its section's next ones
    below = below if not count or len(below) >= count else []  # "…289个省重点项目。" counts no sections
    if not below and count:  # "附件 2025年10件惠民实事" ending a part: the headings right after it, of one level
        after = [h for h in headings if h.chunk.line_start > lead.line_end]
        if after:
            first = after[0]
            below = [h for h in after if len(h.path) == len(first.path) and h.path[:-1] == first.path[:-1]]
            below = below if len(below) >= count else []
    return below[:count] if count else below


def _closes(lead: Chunk, text: str) -> bool:
    """Whether the lead-in is the last thing its passage says ("新开通5条国际航线。支持…" goes on: no lead-in of the
    sections after it)."""
    said = text.strip()
    at = lead.text.rfind(said)
    return at < 0 or not lead.text[at + len(said) :].strip()


def counted(text: str) -> int | None:
    """How many items a text announces ("八方面", "3个", "五大"), if it says."""
    m = _COUNTED.search(text)
    if not m:
        return None
    raw = m.group(1) or m.group(2)
    return number_of(raw.replace("两", "二"))


def articles(chunks: list[Chunk]) -> list[tuple[int, Chunk]]:
    """The numbered articles (第N条) of a document, by number, each with the chunk that holds it."""
    found: dict[int, Chunk] = {}
    for c in sorted(chunks, key=lambda c: c.line_start):
        for m in ARTICLE.finditer(" ".join(c.section) + "\n" + c.text):
            n = number_of(m.group(1))
            if n and n not in found and m.start() < 40 + len(" ".join(c.section)):
                found[n] = c
    return sorted(found.items())


_CHAPTER = re.compile(r"(?:^|(?<=\s))第([一二三四五六七八九十百零〇\d]+)章[\s　]*([\u4e00-\u9fff、与和及]{2,20})")


def chapters(chunks: list[Chunk]) -> list[tuple[int, str, str, Chunk]]:
    """A document's chapters (第N章 and its name) where the text runs them in with its articles ("第一章　总则　　
    第一条…", as database exports do), numbered 1, 2, … in order; [] when they do not make one such run."""
    found: dict[int, tuple[str, str, Chunk]] = {}  # number -> (verbatim, shown, chunk)
    for c in sorted(chunks, key=lambda c: c.line_start):
        for m in _CHAPTER.finditer(" ".join(c.section) + "\n" + c.text):
            n = number_of(m.group(1))
            if n and n not in found:
                found[n] = (m.group(0).strip(), f"第{m.group(1)}章 {m.group(2)}", c)
    numbers = sorted(found)
    if len(numbers) < 2 or numbers != list(range(1, len(numbers) + 1)):
        return []
    return [(n, *found[n]) for n in numbers]


_NUMBERED_ITEM = re.compile(r"^\s*(\d{1,3})\s*[.．、](?!\d)")
MIN_NUMBERED_RUN = 5  # fewer numbered items than this are a short list, not a document's count of measures


def numbered_items(chunks: list[Chunk]) -> list[tuple[int, str, Chunk]]:
    """A document's items numbered 1., 2., … through the whole text ("1.扩大优势产品出口" … "24.加强风险应对"),
    when they make one run from 1 with no restart; [] when the numbering restarts (each section its own list)."""
    found: list[tuple[int, str, Chunk]] = []
    for c in sorted(chunks, key=lambda c: c.line_start):
        for line in c.text.split("\n"):
            m = _NUMBERED_ITEM.match(line)
            if m:
                found.append((int(m.group(1)), line.strip(), c))
    numbers = [n for n, _, _ in found]
    if len(numbers) < MIN_NUMBERED_RUN or numbers != list(range(1, len(numbers) + 1)):
        return []
    return found


def article(chunks: list[Chunk], number: int) -> Chunk | None:
    """The chunk holding article N."""
    return dict(articles(chunks)).get(number)


SHORT_WORD = 2  # a description word this short (措施, 目标) names a part only with a topic word beside it


def best_heading(headings: list[Heading], terms: list[str], words: tuple[str, ...]) -> Heading | None:
    """The heading that best names what a description question asks for ("主要目标", "重点任务") and its topic."""
    best, score = None, 0.0
    for h in headings:
        title = norm(h.title)
        # a part named otherwise ("工作目标" asked, "三、治理目标" written) is found by its head word, at less weight
        named = sum(len(w) if w in title else len(w[-2:]) if w[-2:] in title else 0 for w in words)
        topic = [t for t in terms if not any(t in w for w in words)]
        if topic and not any(t in title for t in topic) and max((len(w) for w in words if w in title), default=0) <= SHORT_WORD:
            continue  # a word as short as "措施" alone ("保障措施") does not name the part a question on a topic asks
        s = named * 2 + sum(len(t) for t in terms if t in title)
        if s > score:
            best, score = h, s
    return best if score >= 4 else None


# a part numbered with a digit and a space ("2 坚持创新驱动发展", a page's parts)
DIGIT_SPACED = r"(\d{1,2})[\s\u3000]+(?=[\u4e00-\u9fff])"
# "第三章", "二、", and at the top a part numbered with a digit and a space
_PART_TITLE = re.compile(rf"^\s*(?:第([一二三四五六七八九十百\d]+)([章篇节部分]+)|([一二三四五六七八九十]+)、|{DIGIT_SPACED})")


def parts_besides(headings: list[Heading], question: str, pattern: re.Pattern[str]) -> list[Heading] | None:
    """"除了第一部分回顾去年，后面两部分分别叫什么": the parts of the kind named after 除了, less those named (only
    those after them when the question says 后面/之后); None when the question excludes no part."""
    named = [(number_of(m.group(1)), m.group(2).replace("块", "部分")) for m in pattern.finditer(question)]
    excluded = [m for m in pattern.finditer(question) if _BESIDES.search(question[max(0, m.start() - 4) : m.start()])
                or _OTHERS.search(question[m.end() :])]  # ("第一部分是回顾去年，后面两大部分…")
    if not excluded or len(excluded) != len(named) or len({kind for _, kind in named}) != 1:
        return None
    found = [numbered_part(headings, kind, n) for n, kind in named if n]
    if not found or not all(found):
        return None
    path = found[0].path[:-1]  # type: ignore[union-attr]
    siblings = [h for h in children(headings, path) if numbered_part([h], named[0][1], number_of_part(h)) is h]
    last = max(siblings.index(h) for h in found if h in siblings) if any(h in siblings for h in found) else -1
    after = bool(_AFTER.search(question))
    return [h for i, h in enumerate(siblings) if h not in found and (not after or i > last)]


_BESIDES = re.compile(r"除(?:了|去|开)?$")
_OTHERS = re.compile(r"(?:后面|其余|其他|剩下)的?(?:[两三四五六七八九几]|\d)?大?个?(?:部分|章|篇|块)")
_AFTER = re.compile(r"后面|之后|以后|后边|往后")


def number_of_part(h: Heading) -> int:
    """The number a part's heading gives itself ("第三章…", "三、…"), 0 when none."""
    m = _PART_TITLE.match(h.title)
    return (number_of(m.group(1) or m.group(3) or m.group(4)) or 0) if m else 0


def numbered_part(headings: list[Heading], kind: str, number: int) -> Heading | None:
    """The heading of part N of a kind ("第三章", "第二部分"; a top-level "二、" is the second part)."""
    for h in headings:
        m = _PART_TITLE.match(h.title)
        if not m:
            continue
        raw, own = (m.group(1), m.group(2)) if m.group(1) else (m.group(3) or m.group(4), "部分")
        n = number_of(raw)
        if n == number and own == kind and (m.group(1) or len(h.path) == 1):
            return h
    return None


_OPENS_WITH_YEAR = re.compile(r"^\s*((?:19|20)\d{2})\s*年(?:是|，|,|以来)")  # "2024年是…的一年", "2025年，…"


def part_years(chunks: list[Chunk]) -> dict[str, int]:
    """The year each top-level part of a document opens with, by its heading, where the heading names none: a work
    report's "一、牢记嘱托，…取得新成效" opens "2024年是…", its "二、…奋勇争先" "2025年是…收官之年"."""
    out: dict[str, int] = {}
    for c in sorted(chunks, key=lambda c: c.line_start):
        if len(c.section) != 1 or c.section[0] in out or re.search(r"(?:19|20)\d{2}", c.section[0]):
            continue
        for line in c.text.split("\n"):
            if m := _OPENS_WITH_YEAR.match(line):
                out[c.section[0]] = int(m.group(1))
                break
    return out


def date_parts(units: list[Candidate], years_of: Callable[[str], dict[str, int]]) -> list[Candidate]:
    """The units, each dated by the year its top-level part opens with when that part's heading names none
    (`years_of`: a document's part years, `part_years` of its chunks)."""
    for u in units:
        if u.chunk.section:
            u.dated = years_of(u.chunk.doc_id).get(u.chunk.section[0])
    return units
