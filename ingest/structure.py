"""Documents inside a file (gazettes bundle many), their titles, and their section structure."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache

from assistant.vocab import vocabulary
from ingest.clean import CleanText
from ingest.metadata import Head, describe
from ingest.patterns import Heading, doc_number, full_date, heading_kind, is_short_title, is_table_row

_ISSUED = re.compile(r"(?:关于)?印发(?P<x>.+?)的\s*通\s*知$")


@cache
def _notice() -> re.Pattern[str]:
    """A notice's title: an issuing body, then 关于/印发 ("…人民政府关于印发…的通知", "…局印发《…》的通知")."""
    suffixes = "|".join(map(re.escape, vocabulary().issuer_suffixes))
    return re.compile(rf"^\S{{2,40}}?(?:{suffixes})\s*(?:关于|印发).{{2,120}}$")


_BOX_RANK = 4.0  # popped by （一）-level and higher headings


@dataclass
class DocSpan:
    """A document: a line range of the cleaned file (0-based, end exclusive) and its metadata."""

    title: str
    start: int
    end: int
    doc_number: str | None = None
    date: str | None = None
    year: int | None = None
    issuer: str | None = None
    place: str | None = None
    level: str | None = None
    kind: str | None = None
    period: list[int] | None = None
    about: str | None = None
    credits: dict[str, str] | None = None


@dataclass
class Block:
    """Consecutive lines under one heading path: body text or one table."""

    section: list[str]
    lines: list[tuple[int, str]] = field(default_factory=list)  # (0-based cleaned line, text)
    kind: str = "text"  # text | table
    table_title: str | None = None


def split_documents(
    clean: CleanText, *, fallback_title: str, properties: dict[str, object] | None = None
) -> list[DocSpan]:
    """Split a file into documents (a gazette into its notices/plans; anything else is one) with their metadata.

    `properties` are what the file format says of the file (docx core title, PDF info); they and the
    field boxes that cleaning dropped (`clean.fields`) count only for a file that holds one document.
    """
    lines = clean.lines
    starts = [i for i in range(len(lines)) if _starts_document(lines, i)]
    bounds = [(s, starts[n + 1] if n + 1 < len(starts) else len(lines)) for n, s in enumerate(starts)]
    heads: list[Head | None] = [_notice_head(lines, s, e) for s, e in bounds] or [None]
    bounds = bounds or [(0, len(lines))]
    single = len(bounds) == 1
    spans = []
    for (start, end), head in zip(bounds, heads, strict=True):
        meta = describe(
            lines, start, end, head=head, headings=clean.headings, fields=clean.fields if single else None,
            properties=properties if single else None, fallback_title=fallback_title,
        )
        spans.append(
            DocSpan(
                title=meta.title, start=start, end=end, doc_number=meta.doc_number, date=meta.date, year=meta.year,
                issuer=meta.issuer, place=meta.place, level=meta.level, kind=meta.kind, period=meta.period,
                about=meta.about, credits=meta.credits,
            )
        )
    return spans


def _starts_document(lines: list[str], i: int) -> bool:
    """A notice title followed within three lines by a document number (any bracket style) starts a document."""
    if is_table_row(lines[i]) or not _notice().match(lines[i].strip()):
        return False
    return any(doc_number(lines[j]) for j in range(i + 1, min(i + 4, len(lines))))


def _notice_head(lines: list[str], start: int, end: int) -> Head:
    """A notice's head: its number, signature and date, and the title of the document it issues."""
    notice = re.sub(r"\s+", "", lines[start])
    number = date = signature = None
    date_line = start
    for j in range(start + 1, min(start + 15, end)):
        s = lines[j].strip()
        number = number or doc_number(s)
        if full_date(s):
            date, date_line = re.sub(r"\s+", "", s), j
            signature = re.sub(r"\s+", "", lines[j - 1]) if j - 1 > start else None
            break
    if date is None:
        # a notice that is itself the document (实施意见) is signed and dated at its end
        for j in range(end - 1, max(start, end - 4), -1):
            if full_date(lines[j]):
                date = re.sub(r"\s+", "", lines[j])
                signature = re.sub(r"\s+", "", lines[j - 1])
                break
    title = notice
    if m := _ISSUED.search(notice):
        issued = m.group("x").strip("《》")
        title = issued
        # the plan's own title line follows the date; prefer its exact wording
        for j in range(date_line + 1, min(date_line + 6, end)):
            if own := _own_wording(lines[j], issued):
                title = own
                break
    if signature and (len(signature) > 40 or set(signature) & set("。，；：")):
        signature = None
    return Head(title=title, notice=notice, doc_number=number, date=date, signature=signature)


def _title_key(s: str) -> str:
    return re.sub(r"[-—–－\s《》〈〉“”\"'‘’]", "", unicodedata.normalize("NFKC", s))


def _own_wording(line: str, issued: str) -> str | None:
    """The line is the issued document's own title (perhaps with its first paragraph run on): its wording."""
    own = re.sub(r"\s+", "", line)
    a, b = _title_key(own), _title_key(issued)
    if a == b or (a.startswith(b) and len(a) - len(b) < 6):
        return own
    if a.startswith(b):  # the title line and its first paragraph were joined: the title's share of the line
        for n in range(len(b), len(own) + 1):
            if _title_key(own[:n]) == b:
                return own[:n]
    return None


def parse_blocks(lines: list[str], span: DocSpan, *, marked: dict[int, int] | None = None) -> list[Block]:
    """Walk a document's lines keeping a heading stack; emit body and table blocks with section paths."""
    marked = marked or {}
    stack: list[tuple[Heading, float]] = []  # (heading, effective rank)
    blocks: list[Block] = []
    current: Block | None = None
    title_seen = False
    title_line: int | None = None

    def path() -> list[str]:
        return [h.title for h, _ in stack]

    def flush() -> None:
        nonlocal current
        if current and current.lines:
            blocks.append(current)
        current = None

    carried: set[int] = set()  # lines read as the second half of the heading above them
    for i in range(span.start, span.end):
        if i in carried:
            continue
        line = lines[i]
        s = re.sub(r"\s+", "", line)
        if not title_seen and s == re.sub(r"\s+", "", span.title):
            title_seen, title_line = True, i  # the title line itself is not body text
            flush()
            stack.clear()
            continue
        if is_table_row(line):
            if current is None or current.kind != "table":
                table_title = _table_title(current, stack)
                flush()
                current = Block(section=path(), kind="table", table_title=table_title)
            current.lines.append((i, line))
            continue
        heading = _heading_for(line, i, marked, stack)
        if heading is not None and heading.kind == "short" and _in_short_run(lines, i, span, title_line):
            heading = None  # a run of short lines is a list or a broken-up headline: content, not headings
        if heading is not None and _heading_goes_on(lines, i, span, heading, marked):
            heading = Heading(heading.kind, heading.rank, heading.title + lines[i + 1].strip())
            carried.add(i + 1)
        if heading is not None:
            flush()
            rank = _effective_rank(heading, stack)
            while stack and stack[-1][1] >= rank:
                stack.pop()
            stack.append((heading, rank))
            if not heading.run_in:
                continue
        if current is None or current.kind == "table" or heading is not None:
            flush()
            current = Block(section=path())
        current.lines.append((i, line))
    flush()
    return blocks


def _heading_for(line: str, i: int, marked: dict[int, int], stack: list) -> Heading | None:
    if i in marked:
        level = marked[i]
        return Heading(f"h{level}", level - 0.5, re.sub(r"\s+", " ", line.strip()).lstrip("# "))
    h = heading_kind(line)
    if h is not None:
        return h
    if is_short_title(line):
        return Heading("short", 0, line.strip())  # rank depends on the stack: see _effective_rank
    return None


def _heading_goes_on(lines: list[str], i: int, span: DocSpan, heading: Heading, marked: dict[int, int]) -> bool:
    """A numbered heading broken over two paragraphs ("三、持续提升政府" / "治理效能和服务水平"): a short
    unnumbered line without punctuation follows it and a body paragraph follows that."""
    if heading.run_in or heading.kind not in _NUMBERED or i in marked or i + 2 >= span.end:
        return False
    nxt, after = lines[i + 1].strip(), lines[i + 2].strip()
    return (
        is_short_title(nxt) and heading_kind(nxt) is None and (i + 1) not in marked
        and len(heading.title) + len(nxt) <= _JOINED_TITLE
        and len(after) > _JOINED_TITLE and heading_kind(after) is None and not is_table_row(lines[i + 2])
    )


_NUMBERED = frozenset({"part", "chapter", "section", "cn", "paren_cn", "arabic", "paren_arabic", "circled"})
_JOINED_TITLE = 30


def _in_short_run(lines: list[str], i: int, span: DocSpan, title_line: int | None) -> bool:
    """The line has a short unnumbered neighbour line (or a list item follows it); the title line does not count."""
    nxt = lines[i + 1] if i + 1 < span.end else ""
    prev = lines[i - 1] if i > span.start and i - 1 != title_line else ""
    follows_list = bool(nxt.strip()) and nxt.strip()[0] in "◉○•·"
    return follows_list or (is_short_title(nxt) and not heading_kind(nxt)) or (
        is_short_title(prev) and not heading_kind(prev)
    )


def _effective_rank(heading: Heading, stack: list[tuple[Heading, float]]) -> float:
    """Ranks of headings whose level depends on context (boxes, unnumbered short titles)."""
    ranks = [r for _, r in stack]
    if heading.kind == "box":
        # a 专栏 belongs to the chapter/section it illustrates, not to a numbered sub-item; it ends at
        # the next （一）-level or higher heading, while its own 1./2. items nest inside it
        upper = [r for r in ranks if r <= 2] or [r for r in ranks if r <= 3]
        while stack and stack[-1][1] > (max(upper) if upper else -1):
            stack.pop()
        return _BOX_RANK
    if heading.kind == "short":
        siblings = [r for h, r in stack if h.kind == "short"]
        if siblings:
            return siblings[-1]  # replaces the previous short title
        # at the top (前言, a newspaper headline) it is popped by any later heading; else a child
        return 99.0 if not stack else stack[-1][1] + 0.25
    return heading.rank


def _table_title(current: Block | None, stack: list) -> str | None:
    """The heading or short line just above a table names it (专栏 1 …, 表1 …)."""
    if stack:
        return stack[-1][0].title
    if current and current.lines and len(current.lines[-1][1]) <= 40:
        return current.lines[-1][1].strip()
    return None
