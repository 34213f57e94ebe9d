"""What every format reader shares: the error it raises, the options it gets and the result it returns."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from assistant.errors import AssistantError
from assistant.models import Location

MB = 1024 * 1024
# Every character str.splitlines() treats as a line break becomes "\n", so that line numbers
# agree whether later stages split on "\n" or call splitlines().
_LINE_BREAKS = re.compile("\r\n|[\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
_WS = re.compile(r"\s+")
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Compound File: .doc/.xls/.wps, and encrypted OOXML
ZIP_MAGIC = b"PK\x03\x04"


class LoadError(AssistantError):
    """A file that cannot be turned into text; `reason` is one user-readable line."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class LoadOptions:
    """How far loaders may go: OCR, the office converter's time limit, archive limits."""

    max_bytes: int = 50 * MB  # a file (or an archive member) larger than this is skipped
    ocr: bool = True  # OCR scanned PDF pages and images with no text on them
    ocr_dpi: int = 150  # page rendering resolution for OCR
    convert_timeout_s: float = 120.0  # LibreOffice conversion of one .doc/.wps/.xls
    archive_max_members: int = 2000
    archive_max_total_bytes: int = 1024 * MB  # all members of one archive, uncompressed
    archive_max_ratio: int = 200  # uncompressed/compressed size of a member (zip bombs go far higher)


@dataclass
class Parsed:
    """A reader's result: text lines plus what the format marks on them."""

    lines: list[str]
    headings: dict[int, int] = field(default_factory=dict)  # 0-based line -> heading level
    pages: list[int] | None = None  # 1-based page of each line
    properties: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    origins: list[Location] | None = None  # where each line is in the file, when not line n = line n+1


def normalise(text: str) -> str:
    """Every kind of line break becomes "\\n"."""
    return _LINE_BREAKS.sub("\n", text)


def one_line(text: str, limit: int = 160) -> str:
    """Collapse whitespace so a message fits on one line."""
    return _WS.sub(" ", text).strip()[:limit]


def squash(text: str) -> str:
    """A cell's text on one line: CJK text broken across lines joins without a space."""
    parts = [p.strip() for p in normalise(text).split("\n") if p.strip()]
    out = ""
    for part in parts:
        if out and out[-1].isascii() and out[-1].isalnum() and part[0].isascii() and part[0].isalnum():
            out += " "
        out += part
    return _WS.sub(" ", out).replace("\t", " ")


def fmt_size(n: int) -> str:
    """A byte count for people: 63.2 MB, 12 KB, 100 bytes."""
    for unit, size in (("MB", MB), ("KB", 1024)):
        if n >= size:
            return f"{n / size:.1f}".removesuffix(".0") + f" {unit}"
    return f"{n} bytes"


def page_ranges(pages: list[int]) -> str:
    """Page numbers as ranges: [2, 3, 4, 7] -> '2–4, 7'."""
    runs: list[list[int]] = []
    for page in sorted(set(pages)):
        if runs and runs[-1][-1] == page - 1:
            runs[-1].append(page)
        else:
            runs.append([page])
    return ", ".join(str(r[0]) if len(r) == 1 else f"{r[0]}–{r[-1]}" for r in runs)


def iso_date(value: Any) -> str | None:
    """A datetime (or a string) as an ISO date-time string, None when absent."""
    if value is None or value == "":
        return None
    iso = getattr(value, "isoformat", None)
    return iso(timespec="seconds") if callable(iso) and hasattr(value, "hour") else str(value).strip() or None


def properties_of(**values: Any) -> dict[str, Any]:
    """Keep the properties that have a value; strings stripped."""
    out: dict[str, Any] = {}
    for key, value in values.items():
        if isinstance(value, str):
            value = value.strip()
        if value not in (None, "", [], {}):
            out[key] = value
    return out
