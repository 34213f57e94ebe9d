"""Spreadsheets (.xlsx, .xls, .csv): each sheet one table of tab-separated rows under its name and title."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from typing import Any

from assistant.models import Location
from ingest.formats.common import OLE_MAGIC, ZIP_MAGIC, LoadError, Parsed, iso_date, properties_of, squash
from ingest.formats.text import decode_text

SHEET_LEVEL = 2  # a sheet's name is a heading at this level, its title row one level below
_DEFAULT_NAME = re.compile(r"^(sheet|工作表|表)\s*\d*$", re.IGNORECASE)
_DECIMALS = re.compile(r"\.([0#]+)")
_ENCRYPTED = "EncryptionInfo".encode("utf-16-le")


def read_xlsx(data: bytes) -> Parsed:
    """An Excel 2007+ workbook (cached formula values, merged cells left to their top-left cell)."""
    import openpyxl

    if data.startswith(OLE_MAGIC):  # an encrypted workbook, or an old .xls under a new name
        return read_xls(data)
    if not data.startswith(ZIP_MAGIC):
        raise LoadError("not an Excel workbook")
    book = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    parsed = Parsed(lines=[])
    for sheet in book.worksheets:
        if sheet.sheet_state != "visible":
            parsed.notes.append(f"hidden sheet “{sheet.title}” left out")
            continue
        grid = [[_xlsx_cell(cell) for cell in row] for row in sheet.iter_rows()]
        add_table(parsed, sheet.title, grid, _sheet_rows(sheet.title, len(grid)))
    props = book.properties
    parsed.properties = properties_of(
        title=props.title, author=props.creator, subject=props.subject, keywords=props.keywords,
        created=iso_date(props.created), modified=iso_date(props.modified),
        sheets=[s.title for s in book.worksheets if s.sheet_state == "visible"],
    )
    return parsed


def read_xls(data: bytes) -> Parsed:
    """An Excel 97-2003 workbook (xlrd)."""
    import xlrd

    if _ENCRYPTED in data:
        raise LoadError("password-protected (encrypted) workbook, cannot open")
    try:
        book = xlrd.open_workbook(file_contents=data, formatting_info=True)
    except NotImplementedError:  # formatting records of very old files: values only
        book = xlrd.open_workbook(file_contents=data)
    except xlrd.XLRDError as exc:
        if "encrypt" in str(exc).lower():
            raise LoadError("password-protected (encrypted) workbook, cannot open") from None
        raise
    parsed = Parsed(lines=[])
    for sheet in book.sheets():
        if getattr(sheet, "visibility", 0):
            parsed.notes.append(f"hidden sheet “{sheet.name}” left out")
            continue
        grid = [[_xls_cell(book, sheet, r, c) for c in range(sheet.ncols)] for r in range(sheet.nrows)]
        add_table(parsed, sheet.name, grid, _sheet_rows(sheet.name, len(grid)))
    parsed.properties = properties_of(sheets=[s.name for s in book.sheets() if not getattr(s, "visibility", 0)])
    return parsed


def read_csv(data: bytes) -> Parsed:
    """A CSV (or tab/semicolon-separated) file in any encoding the text reader detects."""
    text = decode_text(data)
    try:
        dialect: Any = csv.Sniffer().sniff(text[:8192], delimiters=",\t;|")
    except csv.Error:
        dialect = csv.excel
    parsed = Parsed(lines=[])
    reader = csv.reader(io.StringIO(text), dialect)
    grid: list[list[str]] = []
    origins: list[Location] = []
    first = 1
    for row in reader:  # a quoted cell may hold line breaks: a record spans lines first..line_num
        grid.append([squash(cell) for cell in row])
        origins.append(Location(line_start=first, line_end=reader.line_num))
        first = reader.line_num + 1
    add_table(parsed, None, grid, origins)
    return parsed


def _sheet_rows(name: str, count: int) -> list[Location]:
    return [Location(sheet=name, row_start=r, row_end=r) for r in range(1, count + 1)]


def add_table(parsed: Parsed, name: str | None, grid: list[list[str]], origins: list[Location]) -> None:
    """Append one sheet: its name (a heading), a title row above the header (a heading), then its rows;
    `origins` says where each row of the grid is (the sheet's row numbers, a CSV's lines)."""
    kept = [(origin, row) for origin, row in zip(origins, _trim_columns(grid), strict=True) if any(row)]
    if not kept:
        return
    if parsed.origins is None:
        parsed.origins = []
    lines = parsed.lines

    def add(text: str, origin: Location) -> None:
        lines.append(text)
        parsed.origins.append(origin)  # type: ignore[union-attr]

    if lines and lines[-1]:
        add("", Location())
    if name and not _DEFAULT_NAME.match(name.strip()):
        parsed.headings[len(lines)] = SHEET_LEVEL
        add(name.strip(), Location(sheet=name))
    body = 0
    wide = any(sum(1 for c in row if c) >= 2 for _, row in kept)
    while wide and body < len(kept) and sum(1 for c in kept[body][1] if c) == 1:
        body += 1  # rows of one cell above the header: the table's title, a unit line
    for n, (origin, row) in enumerate(kept[:body]):
        if n == 0:
            parsed.headings[len(lines)] = SHEET_LEVEL + 1
        add(next(c for c in row if c), origin)
    for origin, row in kept[body:]:
        filled = [c for c in row if c]
        # a row of one cell (a note, a group label) is text; rows of two or more are the table
        add(filled[0] if len(filled) == 1 else "\t".join(row), origin)  # full width: columns line up


def _trim_columns(grid: list[list[str]]) -> list[list[str]]:
    """Rows padded to one width, empty columns dropped (empty rows stay, for their row numbers)."""
    width = max((len(r) for r in grid), default=0)
    rows = [r + [""] * (width - len(r)) for r in grid]
    keep = [j for j in range(width) if any(r[j] for r in rows)]
    return [[r[j] for j in keep] for r in rows]


def _xlsx_cell(cell: Any) -> str:
    return _format(cell.value, getattr(cell, "number_format", "General") or "General")


def _xls_cell(book: Any, sheet: Any, r: int, c: int) -> str:
    import xlrd

    cell = sheet.cell(r, c)
    if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
        return ""
    if cell.ctype == xlrd.XL_CELL_BOOLEAN:
        return "TRUE" if cell.value else "FALSE"
    if cell.ctype == xlrd.XL_CELL_DATE:
        try:
            return _format(xlrd.xldate_as_datetime(cell.value, book.datemode), "General")
        except (ValueError, OverflowError, xlrd.xldate.XLDateError):
            return str(cell.value)
    fmt = "General"
    if cell.ctype == xlrd.XL_CELL_NUMBER and book.formatting_info:
        xf = book.xf_list[sheet.cell_xf_index(r, c)]
        fmt = book.format_map[xf.format_key].format_str if xf.format_key in book.format_map else "General"
    return _format(cell.value, fmt)


def _format(value: Any, number_format: str) -> str:
    """A cell's value as the sheet shows it: 6.5%, 3,200 -> 3200, 2023-05-01."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time(0) else value.isoformat(sep=" ")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, (int, float)):
        section = number_format.split(";")[0]
        percent = "%" in section
        number = value * 100 if percent else value
        decimals = _DECIMALS.search(section)
        if decimals and section != "General":
            text = f"{number:.{len(decimals.group(1))}f}"
        elif float(number).is_integer():
            text = str(int(number))
        else:
            text = f"{number:.15g}"
        return text + ("%" if percent else "")
    return squash(str(value))
