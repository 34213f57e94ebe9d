"""Checks an official would make of a briefing's figures, done apart from the code that chose them.

- A target row is mislabelled unless its figure stands, on the line it cites, in a table cell whose column is a
  target column of that row's document: a column for a year the document plans for (not before its period or
  the year it is for) or one its heading calls a target, not a baseline (基期/现状/实现值…), and one that speaks
  for the document's own place or level, or for none (a province's column in a city's plan is not the city's).
- A difference is false unless it sets at least two different documents (or years of one series) against each
  other for the same indicator, place and period, with figures that differ, each row itself a true target.
- Duplicate target rows (the same indicator, period and figure of one document twice) are counted.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from assistant.vocab import places, vocabulary

_YEAR = re.compile(r"(?:19|20)\d{2}")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")


@dataclass
class BriefChecks:
    """What the checks found in one briefing."""

    target_rows: int = 0
    mislabelled: list[str] = field(default_factory=list)  # "indicator=value: why"
    differences: int = 0
    false_differences: list[str] = field(default_factory=list)
    duplicate_rows: int = 0
    unverified: int = 0  # bullets, rows or sources whose citation does not check out
    body_chars: int = 0


def check_brief(brief: Any, assistant: Any) -> BriefChecks:
    """Check a Brief's targets table and differences against the cited table rows and document metadata."""
    out = BriefChecks(body_chars=int(getattr(brief, "body_chars", 0) or 0))
    sources = {c.n: c for c in brief.sources}
    rows_at = _table_rows(assistant)
    docs = {d.doc_id: d for d in assistant.documents()}
    out.unverified = (
        sum(not ok for s in brief.sections for ok in s.verified)
        + sum(not t.verified for t in brief.targets)
        + sum(not c.verified for c in brief.sources)
    )
    seen: set[tuple[str, str, str, str]] = set()
    for row in brief.targets:
        out.target_rows += 1
        key = (row.document, _flat(row.indicator), row.period, _flat(row.value))
        out.duplicate_rows += key in seen
        seen.add(key)
        why = _mislabelled(row, sources, rows_at, docs)
        if why:
            out.mislabelled.append(f"{row.indicator}={row.value}: {why}")
    for d in brief.differences:
        out.differences += 1
        why = _false_difference(d, sources, rows_at, docs)
        if why:
            out.false_differences.append(f"{d.indicator}: {why}")
    return out


def _table_rows(assistant: Any) -> dict[tuple[str, int], Any]:
    """Every table row of the collection by (source, line)."""
    return {(c.source, c.line_start): c for c in assistant.store.cached_chunks() if c.kind == "table_row"}


def _cells(chunk: Any) -> list[tuple[str, str]]:
    """The row's cells as (column heading, value), from the record ingest wrote for it."""
    record = chunk.index_text.rstrip("\n").split("\n")[-1]
    pairs = []
    for part in record.split("；"):
        head, sep, value = part.partition("：")
        pairs.append((head.strip(), value.strip()) if sep else ("", part.strip()))
    return pairs


def _mislabelled(row: Any, sources: dict[int, Any], rows_at: dict, docs: dict) -> str | None:
    cited = sources.get(row.n)
    if cited is None or not cited.lines:
        return "cites no source"
    chunk = rows_at.get((cited.source, cited.lines[0]))
    if chunk is None:
        return "the cited line is not a table row"
    cell = next(((h, v) for h, v in _cells(chunk) if _flat(v) == _flat(row.value) and h == row.column), None)
    if cell is None:
        return f"no cell {row.value!r} under column {row.column!r} on the cited row"
    return _not_a_target_column(cell[0], docs.get(chunk.doc_id))


def _not_a_target_column(heading: str, doc: Any) -> str | None:
    """Why a column is not a target column of its document (None when it is one)."""
    words = vocabulary().briefing
    flat = re.sub(r"\s", "", heading)
    if any(w in flat for w in words.column_baseline):
        return f"column {heading!r} is a baseline"
    start = (doc.period[0] if doc is not None and doc.period else None) or (doc.year if doc is not None else None)
    years = [int(y) for y in _YEAR.findall(flat)] or [
        hi for _, (_, hi) in vocabulary().period_years(flat)
    ]
    if years and start is not None and max(years) < start:
        return f"column {heading!r} is for {max(years)}, before the document's own years ({start}–)"
    if not years and not any(w in flat for w in (*words.column_target, *words.column_growth)):
        return f"column {heading!r} names neither a year nor a target"
    for part in flat.split("·"):
        named = _place_or_level(part)
        if named is None or doc is None:
            continue
        if named not in (doc.place, doc.level):
            return f"column {heading!r} speaks for {named}, the document for {doc.place}"
    return None


def _place_or_level(part: str) -> str | None:
    hits = places().lookup(re.sub(r"[（）()]", "", part))
    if hits:
        return hits[0].name
    for level, ws in vocabulary().briefing.column_level.items():
        if part in ws:
            return level
    return None


def _false_difference(d: Any, sources: dict[int, Any], rows_at: dict, docs: dict) -> str | None:
    if len(d.rows) < 2:
        return "fewer than two rows"
    cited = [sources.get(r.n) for r in d.rows]
    if any(c is None for c in cited):
        return "a row cites no source"
    chunks = [rows_at.get((c.source, c.lines[0])) if c.lines else None for c in cited]
    if any(c is None for c in chunks):
        return "a row does not cite a table row"
    doc_ids = [c.doc_id for c in chunks]
    if len(set(doc_ids)) < len(doc_ids):
        return "two rows of one document (columns of one table are not documents)"
    if len({_key(r.indicator) for r in d.rows}) > 1:
        return "rows for different indicators"
    if len({r.period for r in d.rows}) > 1 or len({r.place for r in d.rows}) > 1:
        return "rows for different periods or places"
    if len({_numbers(r.value) for r in d.rows}) < 2:
        return "the figures do not differ"
    for r in d.rows:
        why = _mislabelled(r, sources, rows_at, docs)
        if why:
            return f"a row is not a target: {why}"
    return None


def _flat(text: str) -> str:
    return re.sub(r"\s", "", unicodedata.normalize("NFKC", text))


def _key(name: str) -> str:
    s = _flat(name)
    s = re.sub(r"[(（][^()（）]*[)）]", "", s)
    return re.sub(r"^\d+[.、]", "", s).replace("规模以上", "规上")


def _numbers(value: str) -> tuple[str, ...]:
    return tuple(_NUMBER.findall(unicodedata.normalize("NFKC", value)))
