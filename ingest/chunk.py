"""Structure-aware chunks: sentence-bounded text chunks within a section, one record per table row."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass

from assistant.models import SECTION_SEP, Chunk, Location
from ingest.structure import Block, DocSpan

_SENTENCE = re.compile(r"[^。！？；!?;]*[。！？；!?;]+[”’」』）)]*|[^。！？；!?;]+$")
Counter = Callable[[str], int]


@dataclass
class _Piece:
    line: int  # 0-based cleaned line
    start: int
    end: int
    tokens: int


def doc_id_for(source: str, span: DocSpan) -> str:
    """Stable id of a document inside a file."""
    return hashlib.sha1(f"{source}|{span.start}|{span.title}".encode()).hexdigest()[:12]


def chunk_document(
    lines: list[str],
    span: DocSpan,
    blocks: list[Block],
    *,
    source: str,
    target_tokens: int,
    count_tokens: Counter,
    pages: list[int] | None = None,
    locate: Callable[[int, int, int, int | None], Location] | None = None,
) -> list[Chunk]:
    """Turn a document's blocks into chunks that never cross the document or a section; `locate` says
    where a passage of the cleaned lines (first line, last line, 0-based; start offset in the first,
    end offset in the last or None for its end) is in the user's file."""
    doc_id = doc_id_for(source, span)
    chunks: list[Chunk] = []

    def make(
        section: list[str], text: str, first: int, last: int, kind: str, index_extra: str = "",
        chars: tuple[int, int | None] = (0, None),
    ) -> None:
        head = SECTION_SEP.join([span.title, *section])
        index_text = f"{head}\n{index_extra}{text}" if not index_extra else f"{head}\n{index_extra}"
        digest = hashlib.sha1(f"{source}|{doc_id}|{first}|{last}|{text}".encode()).hexdigest()[:20]
        chunks.append(
            Chunk(
                id=digest,
                source=source,
                doc_id=doc_id,
                title=span.title,
                section=list(section),
                text=text,
                line_start=first + 1,
                line_end=last + 1,
                kind=kind,  # type: ignore[arg-type]
                index_text=index_text,
                tokens=count_tokens(text),
                year=span.year,
                page=pages[first] if pages else None,
                location=locate(first, last, *chars) if locate else None,
            )
        )

    for block in _merge_small(blocks, count_tokens, target_tokens):
        if block.kind == "table":
            for line_no, row_text, record in table_records(block):
                make(block.section, row_text, line_no, line_no, "table_row", record)
            continue
        for first, last, text, chars in _pack(lines, block, target_tokens, count_tokens):
            make(block.section, text, first, last, "text", chars=chars)
    return chunks


def table_records(block: Block) -> list[tuple[int, str, str]]:
    """Each data row as (line, verbatim row, self-contained record 'title / header: value; ...').

    A header may span several lines (a parent cell over its sub-columns); its lines are combined
    into full column names ("到2025年·浅层地下水") and are never records themselves. A short
    line above the header that names the table (a title, 单位：…) joins the table title.
    """
    rows = [(i, line, [c.strip() for c in line.split("\t")]) for i, line in block.lines]
    titles, header_rows, data = _split_table(rows)
    header = _column_names([cells for _, _, cells in header_rows])
    title = "\n".join(t for t in [block.table_title or "", *titles] if t)
    prefix = f"{title}\n" if title else ""
    head = "\t".join(header)
    out = []
    previous: list[str] = []
    for i, line, cells in data:
        placed = _place(len(header), cells)
        # merged cells come out empty: the leading ones carry the value from the row above
        lead = next((j for j, c in enumerate(placed) if c), len(placed))
        filled = [previous[j] if j < lead and j < len(previous) else c for j, c in enumerate(placed)]
        previous = filled
        pairs = _pair(header, filled)
        record = "；".join(f"{h}：{v}" if h else v for h, v in pairs if v)
        out.append((i, line, f"{prefix}{head}\n{record}\n"))
    return out


_Row = tuple[int, str, list[str]]
_NUMBER = re.compile(r"[\[〔(（]?[<>≥≤＞＜~～约+\-−]?\s*\d+(?:[.,]\d+)*\s*[%％‰]?[\]〕)）]?")
_PLACEHOLDER = re.compile(r"[-—–－/／]+")
_YEAR = re.compile(r"(?:19|20)\d\d")


def _is_value(cell: str) -> bool:
    """A cell that holds a figure (or a dash for a missing one), as data rows do and headers don't."""
    return bool((_NUMBER.fullmatch(cell) and not _YEAR.fullmatch(cell)) or _PLACEHOLDER.fullmatch(cell))


def _split_table(rows: list[_Row]) -> tuple[list[str], list[_Row], list[_Row]]:
    """(title lines, header rows, data rows); a table of one line has no header."""
    if len(rows) < 2:
        return [], [], rows
    start = 0
    if len(rows) > 2 and _is_title_row(rows[0][2], rows[1][2]):
        start = 1
    end = start + 1
    while end < len(rows) - 1 and _continues_header([r[2] for r in rows[start:end]], rows[end][2]):
        end += 1
    titles = [" ".join(c for c in cells if c) for _, _, cells in rows[:start]]
    header = rows[start:end]
    # a header line repeated further down (after a page break) is not data either
    data = [r for r in rows[end:] if r[2] not in [h[2] for h in header]]
    return titles, header, data


def _is_title_row(first: list[str], second: list[str]) -> bool:
    """A line of one or two cells naming the table, above a wider header line."""
    filled = [c for c in first if c]
    return (
        len(filled) <= 2
        and len(filled) < sum(1 for c in second if c)
        and bool(second[0])
        and not any(_is_value(c) for c in first + second)
    )


def _continues_header(header: list[list[str]], cells: list[str]) -> bool:
    """A line of sub-column names: no figures, the row-label column left to the line above,
    and a name under a column the line above leaves empty (a parent cell spanning it)."""
    if not cells or cells[0] or any(_is_value(c) for c in cells):
        return False
    above = header[-1]
    return any(c and (j >= len(above) or not above[j]) for j, c in enumerate(cells) if j > 0)


def _column_names(header: list[list[str]]) -> list[str]:
    """Full column names from one or more header lines: a parent name spans the empty cells to
    its right that have sub-column names below them, within its own parent."""
    if not header:
        return []
    width = max(len(r) for r in header)
    grid = [r + [""] * (width - len(r)) for r in header]
    for r, row in enumerate(grid):
        for j in range(1, width):
            if (
                not row[j]
                and row[j - 1]
                and any(lower[j] for lower in grid[r + 1 :])
                and all(upper[j] == upper[j - 1] for upper in grid[:r])
            ):
                row[j] = row[j - 1]
    names = []
    for j in range(width):
        parts: list[str] = []
        for row in grid:
            if row[j] and (not parts or parts[-1] != row[j]):
                parts.append(row[j])
        names.append("·".join(parts))
    return names


def _place(width: int, cells: list[str]) -> list[str]:
    """A row's cells in header columns. A short row that starts with a cell (its merged leading
    cells dropped) lines up from the right, where values and attributes sit; a row that starts
    empty (or any row, when there is no header) lines up from the left."""
    if len(cells) >= width or not cells or not cells[0]:
        return cells + [""] * (width - len(cells))
    return [""] * (width - len(cells)) + cells


def _pair(header: list[str], cells: list[str]) -> list[tuple[str, str]]:
    """Pair placed cells with column names; cells beyond the header fall under its last column
    (a trailing parent cell whose empty neighbours were trimmed)."""
    if not header:
        return [("", c) for c in cells]
    return [(header[min(j, len(header) - 1)], c) for j, c in enumerate(cells)]


def _merge_small(blocks: list[Block], count: Counter, target: int) -> list[Block]:
    """Merge a tiny text block into its preceding sibling under the same parent section."""
    out: list[Block] = []
    for block in blocks:
        prev = out[-1] if out else None
        if (
            prev is not None
            and block.kind == prev.kind == "text"
            and block.section[:-1] == prev.section[:-1]
            and len(block.section) == len(prev.section) >= 2  # merged chunks keep a non-empty path
            and _tokens(block, count) < target // 6
            and _tokens(prev, count) + _tokens(block, count) <= target
            and block.lines[0][0] == prev.lines[-1][0] + 1
        ):
            merged = Block(section=_common(prev.section, block.section), lines=prev.lines + block.lines)
            out[-1] = merged
        else:
            out.append(block)
    return out


def _common(a: list[str], b: list[str]) -> list[str]:
    out = []
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        out.append(x)
    return out


def _tokens(block: Block, count: Counter) -> int:
    return sum(count(t) for _, t in block.lines)


def _pack(
    lines: list[str], block: Block, target: int, count: Counter
) -> list[tuple[int, int, str, tuple[int, int | None]]]:
    """Pack whole sentences into chunks of about `target` tokens; one short sentence of overlap."""
    pieces: list[_Piece] = []
    for line_no, text in block.lines:
        first = len(pieces)
        for m in _SENTENCE.finditer(text):
            if m.group().strip():
                pieces.extend(_split_long(line_no, m.start(), m.end(), text, target, count))
        if len(pieces) > first:
            pieces[first].tokens += 1  # the line break that joins this line to the previous one
    out: list[tuple[int, int, str, tuple[int, int | None]]] = []
    start = 0
    while start < len(pieces):
        end, used = start, 0
        while end < len(pieces) and (end == start or used + pieces[end].tokens <= target):
            used += pieces[end].tokens
            end += 1
        out.append(_text_of(lines, pieces[start:end]))
        if end >= len(pieces):
            break
        # carry the last sentence over when it is short, so a fact stated across a boundary stays whole
        last = pieces[end - 1]
        start = end - 1 if end - 1 > start and last.tokens <= target // 4 else end
    return out


def _split_long(line: int, start: int, end: int, text: str, target: int, count: Counter) -> list[_Piece]:
    """A sentence longer than the target is cut at commas (or hard) so no chunk runs away."""
    n = count(text[start:end])
    if n <= target:
        return [_Piece(line, start, end, n)]
    out, s = [], start
    step = max(20, (end - start) * target // (n * 2))
    while s < end:
        e = min(end, s + step)
        comma = text.rfind("，", s + step // 2, e)
        e = comma + 1 if comma != -1 and e < end else e
        out.append(_Piece(line, s, e, count(text[s:e])))
        s = e
    return out


def _text_of(lines: list[str], pieces: list[_Piece]) -> tuple[int, int, str, tuple[int, int | None]]:
    first, last = pieces[0], pieces[-1]
    if first.line == last.line:
        return first.line, last.line, lines[first.line][first.start : last.end].strip(), (first.start, last.end)
    parts = [lines[first.line][first.start :]]
    parts += [lines[i] for i in range(first.line + 1, last.line)]
    parts.append(lines[last.line][: last.end])
    return first.line, last.line, "\n".join(parts).strip(), (first.start, last.end)
