"""Feedback as a table for people: CSV (opens in Excel) and XLSX, with Chinese column names."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path

from assistant.feedback.model import VERDICT_NAMES, Feedback

COLUMNS = ("编号", "时间", "用户", "评价", "问题", "回答", "更正", "原文出处", "引用", "设置", "评测集", "标准问答")
NO_LOGIN = "（未登录）"
# a cell a spreadsheet would run as a formula (=, +, -, @, tab, carriage return first) is written as text
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def feedback_rows(records: Sequence[Feedback]) -> list[dict[str, str]]:
    """One row per record, every value a string, in COLUMNS order."""
    rows = []
    for f in records:
        ev = f.evidence
        where = f"{ev.section}（{ev.source} 第{ev.lines[0]}–{ev.lines[1]}行）：{ev.quote or ev.text}" if ev else ""
        cites = "；".join(f"[{c.get('n')}] {c.get('section', '')}（{c.get('source', '')}）" for c in f.citations)
        shaped = "，".join(f"{k}={v}" for k, v in f.settings.items() if v not in (None, ""))
        rows.append({
            "编号": str(f.id or ""), "时间": f.created_at, "用户": f.user or NO_LOGIN,
            "评价": VERDICT_NAMES.get(f.verdict, f.verdict), "问题": f.question, "回答": f.answer,
            "更正": f.correction, "原文出处": where, "引用": cites, "设置": shaped,
            "评测集": f"{f.suite}（{f.suite_item}）" if f.suite else "", "标准问答": str(f.curated_id or ""),
        })
    return rows


def write_csv(path: Path, records: Sequence[Feedback]) -> Path:
    """The table as UTF-8 CSV with a byte-order mark (Excel reads the Chinese right)."""
    with Path(path).open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows({k: _as_text(v) for k, v in row.items()} for row in feedback_rows(records))
    return Path(path)


def write_xlsx(path: Path, records: Sequence[Feedback]) -> Path:
    """The table as an Excel workbook (one sheet, header row frozen)."""
    from openpyxl import Workbook  # imported here: only an export needs it

    book = Workbook()
    sheet = book.active
    sheet.title = "反馈"
    sheet.append(list(COLUMNS))
    for row in feedback_rows(records):
        sheet.append([row[c] for c in COLUMNS])
        for cell in sheet[sheet.max_row]:
            cell.data_type = "s"  # as written: a cell starting with "=" is text, not a formula
    sheet.freeze_panes = "A2"
    for column, width in zip("ABCDEFGHIJKL", (6, 20, 10, 6, 40, 60, 40, 60, 40, 30, 16, 8), strict=True):
        sheet.column_dimensions[column].width = width
    book.save(path)
    return Path(path)


def _as_text(value: str) -> str:
    """A cell's text, never read as a formula by a spreadsheet program."""
    return "'" + value if value.startswith(_FORMULA_START) else value
