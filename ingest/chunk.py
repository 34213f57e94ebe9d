"""Structure-aware chunks: sentence-bounded text chunks within a section, one record per table row."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass

from assistant.models import SECTION_SEP, Chunk
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
) -> list[Chunk]:
    """Turn a document's blocks into chunks that never cross the document or a section."""
    doc_id = doc_id_for(source, span)
    chunks: list[Chunk] = []

    def make(section: list[str], text: str, first: int, last: int, kind: str, index_extra: str = "") -> None:
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
            )
        )

    for block in _merge_small(blocks, count_tokens, target_tokens):
        if block.kind == "table":
            for line_no, row_text, record in table_records(block):
                make(block.section, row_text, line_no, line_no, "table_row", record)
            continue
        for first, last, text in _pack(lines, block, target_tokens, count_tokens):
            make(block.section, text, first, last, "text")
    return chunks


def table_records(block: Block) -> list[tuple[int, str, str]]:
    """Each data row as (line, verbatim row, self-contained record 'title / header: value; ...')."""
    rows = [(i, line, [c.strip() for c in line.split("\t")]) for i, line in block.lines]
    header = rows[0][2] if len(rows) > 1 else []
    title = block.table_title or ""
    out = []
    previous: list[str] = []
    for i, line, cells in rows[1:] if header else rows:
        # merged cells come out empty: carry the value from the row above
        filled = [c or (previous[j] if j < len(previous) else "") for j, c in enumerate(cells)]
        previous = filled
        pairs = _pair(header, filled)
        record = "；".join(f"{h}：{v}" if h else v for h, v in pairs if v)
        head = "\t".join(header)
        prefix = f"{title}\n" if title else ""
        out.append((i, line, f"{prefix}{head}\n{record}\n"))
    return out


def _pair(header: list[str], cells: list[str]) -> list[tuple[str, str]]:
    if not header:
        return [("", c) for c in cells]
    if len(cells) == len(header):
        return list(zip(header, cells, strict=True))
    # misaligned rows: values and attributes sit at the right end, align from the right
    n = min(len(cells), len(header))
    left = [("", c) for c in cells[: len(cells) - n]]
    return left + list(zip(header[len(header) - n :], cells[len(cells) - n :], strict=True))


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


def _pack(lines: list[str], block: Block, target: int, count: Counter) -> list[tuple[int, int, str]]:
    """Pack whole sentences into chunks of about `target` tokens; one short sentence of overlap."""
    pieces: list[_Piece] = []
    for line_no, text in block.lines:
        first = len(pieces)
        for m in _SENTENCE.finditer(text):
            if m.group().strip():
                pieces.extend(_split_long(line_no, m.start(), m.end(), text, target, count))
        if len(pieces) > first:
            pieces[first].tokens += 1  # the line break that joins this line to the previous one
    out: list[tuple[int, int, str]] = []
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


def _text_of(lines: list[str], pieces: list[_Piece]) -> tuple[int, int, str]:
    first, last = pieces[0], pieces[-1]
    if first.line == last.line:
        return first.line, last.line, lines[first.line][first.start : last.end].strip()
    parts = [lines[first.line][first.start :]]
    parts += [lines[i] for i in range(first.line + 1, last.line)]
    parts.append(lines[last.line][: last.end])
    return first.line, last.line, "\n".join(parts).strip()
