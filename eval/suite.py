"""Evaluation suites: known question/answer pairs from JSON Lines, CSV or Excel, and briefing suites."""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SUITES_DIR = Path(__file__).resolve().parent / "suites"
QUESTION_TYPES = (
    "number", "fact", "list", "cross_doc", "two_part", "description", "structure", "metadata", "unanswerable",
)
# questions with several parts that must all be answered ("two-part questions fully answered")
MULTI_PART_TYPES = frozenset({"two_part", "cross_doc"})
SPLITS = ("tune", "test")
SUITE_SUFFIXES = (".jsonl", ".csv", ".xlsx")
# short names for bundled suites; any other name is looked up as suites/<name>.jsonl
SUITE_ALIASES = {"briefings": "briefings_dev"}


class SuiteNotFound(Exception):
    """The suite path or bundled name does not exist."""


@dataclass
class EvalItem:
    """One known question with its expected answer and the text that proves it."""

    id: str
    question: str
    answer: str = ""
    must_include: list[str] = field(default_factory=list)
    evidence: list[str] = field(default_factory=list)
    doc: list[str] = field(default_factory=list)
    section: str | None = None
    type: str = "fact"
    line: int = 0  # where the item sits in its suite file
    split: str | None = None  # "tune" (methods may be fitted on it) or "test" (only reported)

    @property
    def answerable(self) -> bool:
        return self.type != "unanswerable"


@dataclass
class SuiteError:
    """A malformed row: reported, skipped, and the rest of the suite still runs."""

    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


@dataclass
class Suite:
    name: str
    path: str
    items: list[EvalItem]
    errors: list[SuiteError] = field(default_factory=list)


@dataclass
class KeyPoint:
    point: str
    evidence: str = ""
    doc: str | None = None


@dataclass
class BriefingTopic:
    id: str
    topic: str
    key_points: list[KeyPoint]
    line: int = 0
    split: str | None = None


@dataclass
class BriefingSuite:
    name: str
    path: str
    topics: list[BriefingTopic]
    errors: list[SuiteError] = field(default_factory=list)


def resolve_suite(name_or_path: str | Path) -> Path:
    """A suite file path, or a bundled suite name ("dev", "briefings") resolved under eval/suites/."""
    path = Path(name_or_path)
    if path.is_file():
        return path
    name = str(name_or_path)
    if "/" not in name and "\\" not in name and not path.suffix:
        name = SUITE_ALIASES.get(name, name)
        for candidate in (SUITES_DIR / f"{name}.jsonl", SUITES_DIR / f"{name}_dev.jsonl"):
            if candidate.is_file():
                return candidate
    raise SuiteNotFound(f"suite not found: {name_or_path} (a .jsonl/.csv/.xlsx file or a bundled name)")


def is_briefing_suite(path: Path) -> bool:
    """True when the first record of a JSON Lines file has a topic and key points."""
    if path.suffix.lower() != ".jsonl":
        return False
    with path.open(encoding="utf-8-sig") as f:
        for raw in f:
            if raw.strip():
                try:
                    record = json.loads(raw)
                except json.JSONDecodeError:
                    return False
                return isinstance(record, dict) and "key_points" in record
    return False


def load_suite(name_or_path: str | Path) -> Suite:
    """Load a question suite from .jsonl, .csv or .xlsx; malformed rows become SuiteErrors."""
    path = resolve_suite(name_or_path)
    suffix = path.suffix.lower()
    if suffix == ".jsonl":
        rows = _jsonl_rows(path)
    elif suffix == ".csv":
        rows = _csv_rows(path)
    elif suffix == ".xlsx":
        rows = _xlsx_rows(path)
    else:
        raise SuiteNotFound(f"unsupported suite format {suffix!r}: use one of {', '.join(SUITE_SUFFIXES)}")
    items: list[EvalItem] = []
    errors: list[SuiteError] = []
    seen: set[str] = set()
    for line, row in rows:
        if isinstance(row, SuiteError):
            errors.append(row)
            continue
        try:
            item = parse_item(row, line=line)
        except ValueError as exc:
            errors.append(SuiteError(line, str(exc)))
            continue
        if item.id in seen:
            errors.append(SuiteError(line, f"duplicate id {item.id!r}"))
            continue
        seen.add(item.id)
        items.append(item)
    return Suite(name=path.stem, path=str(path), items=items, errors=errors)


def parse_item(row: dict[str, Any], *, line: int = 0) -> EvalItem:
    """Validate one record (from any format) into an EvalItem; raises ValueError saying what is wrong."""
    question = _text(row.get("question"))
    if not question:
        raise ValueError("missing question")
    qtype = _text(row.get("type")) or "fact"
    if qtype not in QUESTION_TYPES:
        raise ValueError(f"unknown type {qtype!r} (expected one of {', '.join(QUESTION_TYPES)})")
    item = EvalItem(
        id=_text(row.get("id")) or f"line{line}",
        question=question,
        answer=_text(row.get("answer")),
        must_include=split_list(row.get("must_include")),
        evidence=split_list(row.get("evidence")),
        doc=split_list(row.get("doc")),
        section=_text(row.get("section")) or None,
        type=qtype,
        line=line,
        split=_split(row.get("split")),
    )
    if item.answerable and not (item.evidence or item.must_include or item.answer):
        raise ValueError("answerable item without answer, must_include or evidence")
    return item


def _split(value: Any) -> str | None:
    text = _text(value)
    if not text:
        return None
    if text not in SPLITS:
        raise ValueError(f"unknown split {text!r} (expected one of {', '.join(SPLITS)})")
    return text


def select_split(items: list[Any], split: str | None) -> list[Any]:
    """The items (or briefing topics) of one split ("tune"/"test"); all when split is None or "all"."""
    if split in (None, "all"):
        return list(items)
    return [i for i in items if i.split == split]


def split_list(value: Any) -> list[str]:
    """A list cell: a JSON list, a string separated by "|" or newlines, a single string, or empty."""
    if value is None:
        return []
    if isinstance(value, list | tuple):
        return [s for s in (_text(v) for v in value) if s]
    if not isinstance(value, str):
        value = _text(value)
    text = value.strip()
    if text.startswith("["):
        try:
            parsed = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ValueError(f"list cell is not valid JSON: {exc.msg}") from None
        if not isinstance(parsed, list):
            raise ValueError("list cell must be a JSON list")
        return split_list(parsed)
    parts = text.replace("\r\n", "\n").replace("|", "\n").split("\n")
    return [p.strip() for p in parts if p.strip()]


def load_briefing_suite(name_or_path: str | Path) -> BriefingSuite:
    """Load a briefing suite (JSON Lines with topic and key_points of point/evidence/doc)."""
    path = resolve_suite(name_or_path)
    topics: list[BriefingTopic] = []
    errors: list[SuiteError] = []
    for line, row in _jsonl_rows(path):
        if isinstance(row, SuiteError):
            errors.append(row)
            continue
        try:
            topics.append(_parse_topic(row, line))
        except ValueError as exc:
            errors.append(SuiteError(line, str(exc)))
    return BriefingSuite(name=path.stem, path=str(path), topics=topics, errors=errors)


def _parse_topic(row: dict[str, Any], line: int) -> BriefingTopic:
    topic = _text(row.get("topic"))
    if not topic:
        raise ValueError("missing topic")
    raw_points = row.get("key_points")
    if not isinstance(raw_points, list) or not raw_points:
        raise ValueError("key_points must be a non-empty list")
    points = []
    for n, p in enumerate(raw_points, 1):
        if not isinstance(p, dict) or not _text(p.get("point")):
            raise ValueError(f"key point {n} has no 'point'")
        points.append(KeyPoint(_text(p["point"]), _text(p.get("evidence")), _text(p.get("doc")) or None))
    split = _split(row.get("split")) if _text(row.get("split")) in SPLITS else None  # older suites say "dev"
    return BriefingTopic(
        id=_text(row.get("id")) or f"line{line}", topic=topic, key_points=points, line=line, split=split
    )


Row = tuple[int, "dict[str, Any] | SuiteError"]


def _jsonl_rows(path: Path) -> list[Row]:
    rows: list[Row] = []
    with path.open(encoding="utf-8-sig") as f:
        for line, raw in enumerate(f, 1):
            if not raw.strip():
                continue
            try:
                record = json.loads(raw)
            except json.JSONDecodeError as exc:
                rows.append((line, SuiteError(line, f"invalid JSON: {exc.msg}")))
                continue
            if not isinstance(record, dict):
                rows.append((line, SuiteError(line, "a line must hold one JSON object")))
                continue
            rows.append((line, record))
    return rows


def _csv_rows(path: Path) -> list[Row]:
    rows: list[Row] = []
    with path.open(encoding="utf-8-sig", newline="") as f:
        reader = csv.reader(f)
        header = [h.strip().lower() for h in next(reader, [])]
        start = reader.line_num + 1
        for cells in reader:
            line, start = start, reader.line_num + 1  # a quoted cell may span several physical lines
            if not any(c.strip() for c in cells):
                continue
            if len(cells) > len(header):
                rows.append((line, SuiteError(line, f"{len(cells)} cells but {len(header)} columns")))
                continue
            rows.append((line, dict(zip(header, cells, strict=False))))
    return rows


def _xlsx_rows(path: Path) -> list[Row]:
    from openpyxl import load_workbook  # imported here: only spreadsheet suites need it

    workbook = load_workbook(path, read_only=True, data_only=True)
    try:
        sheet = workbook.worksheets[0]
        values = sheet.iter_rows(values_only=True)
        header = [_text(h).lower() for h in next(values, ())]
        rows: list[Row] = []
        for line, cells in enumerate(values, 2):
            if not any(_text(c) for c in cells):
                continue
            rows.append((line, {h: c for h, c in zip(header, cells, strict=False) if h}))
        return rows
    finally:
        workbook.close()


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # spreadsheets store 12630 as 12630.0
    return str(value).strip()
