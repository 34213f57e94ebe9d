"""Heading and table patterns of Chinese plan documents."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from assistant.vocab import vocabulary

_NUM = "一二三四五六七八九十百零〇两"
_SENTENCE_END = "。！？；"


@dataclass(frozen=True)
class Heading:
    kind: str  # part, chapter, section, cn, paren_cn, arabic, paren_arabic, circled, article, box, ...
    rank: float  # smaller = higher in the hierarchy
    title: str  # what the section path shows
    run_in: bool = False  # the heading starts a body paragraph (the line is also quotable text)


# (kind, rank, pattern); a pattern's group "t" is the full title text
_PATTERNS: list[tuple[str, float, re.Pattern[str]]] = [
    ("part", 0, re.compile(rf"^第[{_NUM}\d]+篇")),
    ("chapter", 1, re.compile(rf"^第[{_NUM}\d]+章")),
    ("section", 2, re.compile(rf"^第[{_NUM}\d]+节")),
    ("cn", 3, re.compile(rf"^[{_NUM}]+\s*[、.．]")),
    ("paren_cn", 4, re.compile(rf"^[（(]\s*[{_NUM}]+\s*[）)]")),
    ("arabic", 5, re.compile(r"^\d{1,2}\s*[.．、](?!\d)")),
    ("paren_arabic", 6, re.compile(r"^[（(]\s*\d{1,2}\s*[）)]")),
    ("circled", 7, re.compile(r"^[①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳]")),
]
_ARTICLE = re.compile(rf"^第[{_NUM}\d]+条")
_BOX = re.compile(r"^专栏\s*\d+")
# an appendix's own heading: "附件", "附 件", "附件1", "附件2 名词解释" (not "附件：1. …", which lists the appendices)
_ANNEX = re.compile(rf"^附\s*件\s*[\d{_NUM}]{{0,2}}(?:\s+[^，。；：:,;]{{2,30}})?$")
ANNEX_RANK = -3.0  # above every numbered level: an appendix ends the text before it, its own parts nest in it
_BULLET_TITLE = re.compile(r"^[●◆■▲★◎]\s*(?P<t>\S.{0,28})$")
_MD = re.compile(r"^(#{1,6})\s+(?P<t>.+)$")
_DATE = re.compile(r"^\d{4}\s*年\s*\d{1,2}\s*月(\s*\d{1,2}\s*日)?$")
_SIGNATURE = re.compile(r"(人民政府|办公室|办公厅|委员会|管委会|领导小组)$")
_MAX_TITLE = 40


# 2022年7月1日, or in Chinese digits as formal signatures write it: 二〇二二年七月一日
_CN_DIGIT = "〇零○一二三四五六七八九"
_FULL_DATE = re.compile(
    rf"^(?P<y>(?:19|20)\d{{2}}|[{_CN_DIGIT}]{{4}})\s*年\s*(?:\d{{1,2}}|[一二三四五六七八九十]{{1,3}})\s*月"
    rf"\s*(?:\d{{1,2}}|[一二三四五六七八九十]{{1,3}})\s*日$"
)
_TO_DIGITS = str.maketrans(_CN_DIGIT, "000123456789")


@cache
def _doc_number_line() -> re.Pattern[str]:
    # the vocabulary's number, alone on its line, perhaps in parentheses: （皖开放办〔2022〕6号）
    return re.compile(rf"^[（(]?\s*(?P<n>{vocabulary().doc_number.pattern})\s*[）)]?$")


def doc_number(line: str) -> str | None:
    """The document number a line consists of (许政〔2022〕15号, 国发[2021]4号, （皖政办(2023)3号）), spaces removed."""
    s = line.strip()
    if len(s) > 40 or "号" not in s:
        return None
    m = _doc_number_line().match(s)
    return re.sub(r"\s+", "", m.group("n")) if m else None


def is_doc_number(line: str) -> bool:
    """A document number line such as 许政〔2022〕15号, in any bracket style."""
    return doc_number(line) is not None


def full_date(line: str) -> str | None:
    """The line is a date such as 2022年7月1日 or 二〇二二年七月一日 (its year is returned, in Arabic digits)."""
    m = _FULL_DATE.match(line.strip())
    return m.group("y").translate(_TO_DIGITS) if m else None


def is_signature(line: str) -> bool:
    """An issuing body's signature line (…人民政府, …办公室)."""
    return bool(_SIGNATURE.search(line.strip())) and len(line.strip()) <= 30


def is_table_row(line: str) -> bool:
    """A tab-separated row with at least two non-empty cells."""
    return "\t" in line and sum(1 for c in line.split("\t") if c.strip()) >= 2


def heading_kind(line: str) -> Heading | None:
    """Classify a cleaned line as a heading (or a run-in heading paragraph), or None for body text."""
    s = line.strip()
    if not s or is_table_row(line) or len(s) > 400:
        return None
    if m := _MD.match(s):
        return Heading(f"md{len(m.group(1))}", len(m.group(1)) - 0.5, m.group("t").strip())
    if m := _ARTICLE.match(s):
        return Heading("article", 8, m.group(0), run_in=len(s) > len(m.group(0)) + 2)
    if _ANNEX.match(s):
        return Heading("annex", ANNEX_RANK, _compact(s))
    if _BOX.match(s):
        return Heading("box", -1, _compact(s)[:_MAX_TITLE])  # rank is set relative to its parent
    if m := _BULLET_TITLE.match(s):
        if not any(ch in s for ch in "。，；"):
            return Heading("bullet", 2.5, m.group("t").strip())
        return None
    for kind, rank, pattern in _PATTERNS:
        if pattern.match(s):
            return _numbered(kind, rank, s)
    return None


def _numbered(kind: str, rank: float, s: str) -> Heading | None:
    """A numbered line is a heading when short; a long paragraph with a short lead sentence is run-in."""
    body_end = min((s.find(ch) for ch in _SENTENCE_END if ch in s), default=-1)
    if body_end == -1 and len(s) <= _MAX_TITLE + 10:
        return Heading(kind, rank, _compact(s))
    if body_end == -1:
        return None
    lead = s[:body_end]
    if len(lead) <= _MAX_TITLE and body_end < len(s) - 1:
        return Heading(kind, rank, _compact(lead), run_in=True)
    if len(lead) <= _MAX_TITLE and body_end == len(s) - 1 and kind in ("chapter", "section", "part"):
        return Heading(kind, rank, _compact(lead))
    return None


def is_short_title(line: str) -> bool:
    """A short unnumbered line without punctuation (a title of its own), but not a date or signature."""
    s = line.strip()
    if not (2 <= len(s) <= 24) or is_table_row(line) or _DATE.match(s) or _SIGNATURE.search(s) or is_doc_number(s):
        return False
    if any(ch in s for ch in "。，；：！？,;:!?、") or s[0] in _LIST_MARKERS:
        return False
    return bool(re.search(r"[\u3400-\u9fff]", s))


_LIST_MARKERS = set("◉○•·-－—*")


def _compact(s: str) -> str:
    """Collapse runs of spaces (extraction leaves full-width and double spaces in headings)."""
    return re.sub(r"[\s\u3000]+", " ", s).strip()
