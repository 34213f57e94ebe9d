"""Documents inside a file (gazettes bundle many), their titles, and their section structure."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingest.clean import CleanText
from ingest.patterns import Heading, full_date, heading_kind, is_doc_number, is_short_title, is_table_row

# "许昌市人民政府关于印发…的通知", "…办公室关于稳住经济大盘促投资的实施意见"
_NOTICE = re.compile(r"^\S{2,30}?(人民政府|办公室|办公厅|委员会|局|厅|部)\s*关于.{2,120}$")
_ISSUED = re.compile(r"关于印发(?P<x>.+?)的\s*通\s*知$")
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
_NAMED = re.compile(r"《(?P<x>[^《》]{4,80}?(?:规划|纲要|报告|方案|意见|办法|计划)[^《》]{0,20})》")
_TITLE_WORDS = re.compile(r"规划|纲要|报告|方案|意见|办法|通知|解读|计划|决定|条例|公报")


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


@dataclass
class Block:
    """Consecutive lines under one heading path: body text or one table."""

    section: list[str]
    lines: list[tuple[int, str]] = field(default_factory=list)  # (0-based cleaned line, text)
    kind: str = "text"  # text | table
    table_title: str | None = None


def split_documents(clean: CleanText, *, fallback_title: str) -> list[DocSpan]:
    """Split a file into documents: a gazette into its notices/plans; anything else is one document."""
    lines = clean.lines
    starts = [i for i in range(len(lines)) if _starts_document(lines, i)]
    if not starts:
        return [_single_document(clean, fallback_title)]
    spans = []
    for n, start in enumerate(starts):
        end = starts[n + 1] if n + 1 < len(starts) else len(lines)
        spans.append(_gazette_document(lines, start, end))
    return spans


def _starts_document(lines: list[str], i: int) -> bool:
    """A notice title followed within three lines by a document number starts a document."""
    if not _NOTICE.match(lines[i].strip()) or is_table_row(lines[i]):
        return False
    return any(is_doc_number(lines[j]) for j in range(i + 1, min(i + 4, len(lines))))


def _gazette_document(lines: list[str], start: int, end: int) -> DocSpan:
    notice = re.sub(r"\s+", "", lines[start])
    number = date = None
    date_line = start
    for j in range(start + 1, min(start + 15, end)):
        s = lines[j].strip()
        if number is None and is_doc_number(s):
            number = re.sub(r"\s+", "", s)
        if full_date(s):
            date, date_line = re.sub(r"\s+", "", s), j
            break
    if date is None:
        # a notice that is itself the document (实施意见) is signed and dated at its end
        for j in range(end - 1, max(start, end - 4), -1):
            if full_date(lines[j]):
                date = re.sub(r"\s+", "", lines[j])
                break
    title = notice
    if m := _ISSUED.search(notice):
        issued = m.group("x").strip("《》")
        title = issued
        # the plan's own title line follows the date; prefer its exact wording
        for j in range(date_line + 1, min(date_line + 6, end)):
            own = re.sub(r"\s+", "", lines[j])
            if _same_title(own, issued):
                title = own
                break
    year = int(date[:4]) if date else (int(m.group(1)) if number and (m := re.search(r"〔(\d{4})〕", number)) else None)
    return DocSpan(title=title, start=start, end=end, doc_number=number, date=date, year=year)


def _same_title(a: str, b: str) -> bool:
    norm = lambda s: re.sub(r"[-—–－\s]", "", s)
    return norm(a) == norm(b) or (norm(a).startswith(norm(b)) and len(a) - len(b) < 6)


def _single_document(clean: CleanText, fallback_title: str) -> DocSpan:
    lines = clean.lines
    title = _marked_title(clean) or _title_line(lines) or _named_title(lines) or fallback_title
    # a dated page (newspaper, notice) > a year in the title > a year in the opening lines
    dated = next((y for line in lines if (y := full_date(line))), None)
    opening = next((m.group(1) for line in lines[:3] if (m := _YEAR.search(line))), None)
    in_title = m.group(1) if (m := _YEAR.search(title)) else None
    year = dated or in_title or opening
    return DocSpan(title=title, start=0, end=len(lines), year=int(year) if year else None)


def _marked_title(clean: CleanText) -> str | None:
    """A docx Title / html h1 / markdown '# ' line near the top."""
    for i, level in sorted(clean.headings.items()):
        if i > 10:
            break
        if level <= 1:
            return clean.lines[i].strip().lstrip("#").strip()
    for line in clean.lines[:3]:
        if line.startswith("# "):
            return line[2:].strip()
    return None


def _title_line(lines: list[str]) -> str | None:
    """A short title-like line near the top: names a plan/report, balanced 《》, no sentence punctuation."""
    # a title naming a report in 《》 anywhere (newspaper pages put it mid-page), else one near the top
    candidates = [line for line in lines if line.strip().startswith("《")] + lines[:40]
    for line in candidates:
        s = line.strip()
        if not (4 <= len(s) <= 40) or heading_kind(s) or any(ch in s for ch in "。，；："):
            continue
        if s.count("《") != s.count("》") or s.count("（") != s.count("）"):
            continue
        if _TITLE_WORDS.search(s):
            return re.sub(r"\s+", "", s) if re.search(r"[\u3400-\u9fff]\s+[\u3400-\u9fff]", s) else s
    return None


def _named_title(lines: list[str]) -> str | None:
    """A plan named in 《》 in the opening paragraphs (e.g. '编制形成《…纲要（草案）》')."""
    names = [m for line in lines[:8] for m in _NAMED.finditer(line)]
    for m in names:  # the plan this text introduces: '编制形成《…》', '制定本《…》'
        if re.search(r"(编制|形成|制定|印发|本)$", m.string[: m.start()]):
            return m.group("x")
    return names[-1].group("x") if names else None


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

    for i in range(span.start, span.end):
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
