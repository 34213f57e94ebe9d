"""Evaluation suites: known question/answer pairs from JSON Lines, CSV or Excel, and briefing suites."""

from __future__ import annotations

import csv
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant.errors import UserError

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


class SuiteNotFound(UserError):
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
        return f"第 {self.line} 行：{self.message}"


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


def resolve_suite(name_or_path: str | Path, *, search: Sequence[Path] = ()) -> Path:
    """A suite file path, or a suite name resolved under eval/suites/ (bundled: "dev", "briefings") and then
    under each `search` folder (the suites officials built from feedback in the data directory)."""
    path = Path(name_or_path)
    if path.is_file():
        return path
    name = str(name_or_path)
    if "/" not in name and "\\" not in name and not path.suffix:
        name = SUITE_ALIASES.get(name, name)
        folders = [SUITES_DIR, *search]
        for candidate in (f / n for f in folders for n in (f"{name}.jsonl", f"{name}_dev.jsonl")):
            if candidate.is_file():
                return candidate
    raise SuiteNotFound(f"找不到评测集：{name_or_path}（应为 .jsonl/.csv/.xlsx 文件或内置评测集名称）")


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


def load_suite(name_or_path: str | Path, *, search: Sequence[Path] = ()) -> Suite:
    """Load a question suite from .jsonl, .csv or .xlsx; malformed rows become SuiteErrors."""
    path = resolve_suite(name_or_path, search=search)
    suffix = path.suffix.lower()
    if suffix == ".jsonl":
        rows = _jsonl_rows(path)
    elif suffix == ".csv":
        rows = _csv_rows(path)
    elif suffix == ".xlsx":
        rows = _xlsx_rows(path)
    else:
        raise SuiteNotFound(f"不支持的评测集格式 {suffix or '（无扩展名）'}：请用 {'、'.join(SUITE_SUFFIXES)}")
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
            errors.append(SuiteError(line, f"编号 {item.id} 重复"))
            continue
        seen.add(item.id)
        items.append(item)
    return Suite(name=path.stem, path=str(path), items=items, errors=errors)


def parse_item(row: dict[str, Any], *, line: int = 0) -> EvalItem:
    """Validate one record (from any format) into an EvalItem; raises ValueError saying what is wrong."""
    question = _text(row.get("question"))
    if not question:
        raise ValueError("缺少问题（question）")
    qtype = _text(row.get("type")) or "fact"
    if qtype not in QUESTION_TYPES:
        raise ValueError(f"未知的题型 {qtype!r}（应为 {'、'.join(QUESTION_TYPES)} 之一）")
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
        raise ValueError("可回答的题目缺少答案（answer、must_include 或 evidence）")
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
            raise ValueError(f"列表单元格不是有效的 JSON：{exc.msg}") from None
        if not isinstance(parsed, list):
            raise ValueError("列表单元格必须是 JSON 列表")
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
        raise ValueError("缺少主题（topic）")
    raw_points = row.get("key_points")
    if not isinstance(raw_points, list) or not raw_points:
        raise ValueError("key_points 必须是非空列表")
    points = []
    for n, p in enumerate(raw_points, 1):
        if not isinstance(p, dict) or not _text(p.get("point")):
            raise ValueError(f"第 {n} 个要点缺少 point")
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
                rows.append((line, SuiteError(line, f"不是有效的 JSON：{exc.msg}")))
                continue
            if not isinstance(record, dict):
                rows.append((line, SuiteError(line, "每行应是一个 JSON 对象")))
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
                rows.append((line, SuiteError(line, f"有 {len(cells)} 个单元格，但表头有 {len(header)} 列")))
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
