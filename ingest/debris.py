"""Page furniture and export debris, found by general patterns and kept out of the cleaned text.

Web pages and database exports carry lines that are not the document: navigation, field boxes
(索引号/发文机关/发文字号), share and print links, licence footers, export headers (引证码, 原文链接),
a title repeated, a body duplicated in full, a running header on every PDF page. They are found by
their shape (a line of field labels, a link-only line, a duplicated block, a footer block at the end,
a line repeated across pages), with the words from the vocabulary, never one site's strings.

Lines are dropped, never rewritten; the one exception is a sentence that link markup split over
several lines (Wikisource's "党的十八届六中全会 / 正式明确 / 习近平 / 总书记…"), which is rejoined.
What a field box says that is metadata (发文字号, 发布日期, 发文机关) is kept as `fields`.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import cache
from itertools import pairwise
from typing import Generic, TypeVar

from assistant.vocab import vocabulary
from ingest.patterns import full_date, heading_kind, is_doc_number, is_signature, is_table_row

Item = TypeVar("Item", bound=tuple)

_TERMINAL = set("。！？；：…!?;:")
_CLOSING = set("”’」』）)】》〉、，。；：！？%％,.;:!?")
_CJK = re.compile(r"[\u3400-\u9fff]")
_SPACE = re.compile(r"[\s\u3000]+")
# "【发文字号】value", "标　　题：value", or a bare label cell followed by its value cell
_FIELD = re.compile(r"^(?:[【\[［](?P<a>[^】\]］]{1,10})[】\]］]|(?P<b>[^：:\t【\[［]{1,10}?)\s*[：:])\s*(?P<value>.*)$")
_HEAD_LINES = 30  # field boxes and repeated titles sit in a page's head
_LEADING_LINKS = re.compile(r"^\s*(?:[【\[［][^】\]］]{1,8}[】\]］]\s*)+")
_LINK_CHARS = 15  # a link's text (a term, a name) is short


@dataclass
class Stripped(Generic[Item]):
    """What is left of a file's lines once debris is out."""

    items: list[Item]  # kept (text, raw line index, …) items; a rejoined line keeps its first item's index
    fields: dict[str, str]  # metadata that dropped field boxes carried: doc_number, date, issuer, title
    paragraphs: bool  # blank lines separate paragraphs: a line is never joined across one


def strip_debris(items: list[Item], raw_lines: list[str], *, pages: list[int] | None = None) -> Stripped[Item]:
    """Drop debris lines from cleaned (text, raw line index, …) items and rejoin link-split sentences."""
    fields: dict[str, str] = {}
    drop: set[int] = set()
    for i, item in enumerate(items):
        text = item[0]
        pairs = _field_pairs(text) if i < _HEAD_LINES or i >= len(items) - _HEAD_LINES else None
        if pairs:
            drop.add(i)
            for name, value in pairs:
                if name != "furniture" and value:
                    fields.setdefault(name, value)
        elif not is_table_row(text) and _is_furniture(text):
            drop.add(i)
    drop |= _repeated_titles([it[0] for it in items], drop)
    if pages:
        drop |= _running_headers(items, pages)
    items = [it for i, it in enumerate(items) if i not in drop]
    paragraphs = _paragraph_layout(items, raw_lines)
    if paragraphs:
        items = _rejoin_link_fragments(items, raw_lines)
    texts = [it[0] for it in items]
    drop = _duplicated_blocks(texts) | _navigation_runs(texts)
    drop |= _footer(texts, drop)
    return Stripped([it for i, it in enumerate(items) if i not in drop], fields, paragraphs)


def _norm(text: str) -> str:
    return _SPACE.sub("", unicodedata.normalize("NFKC", text))


@cache
def _furniture() -> re.Pattern[str]:
    """The vocabulary's debris line patterns as one (a line is searched once)."""
    return re.compile("|".join(f"(?:{p.pattern})" for p in vocabulary().debris))


def _is_furniture(text: str) -> bool:
    if _furniture().search(text):
        return True
    if text[:1] not in "【[［":
        return False
    rest = _LEADING_LINKS.sub("", text)  # a link in brackets before furniture: "【我要纠错】 责任编辑：…"
    return not rest or bool(_furniture().search(rest))


def _field_pairs(text: str) -> list[tuple[str, str]] | None:
    """A field-box line ("索引号：…\t主题分类：…", "【发文字号】京经信发〔2022〕87号"): its (field, value) pairs.

    Every cell must be a known label (with its value, or followed by a value cell); else None.
    """
    if len(text) > 300:
        return None
    labels = vocabulary().field_labels
    cells: list[str] = []
    for piece in re.split(r"\t|[ \u3000]{2,}", text.strip()):
        if cells and len(cells[-1]) == 1 and _CJK.match(cells[-1]):
            cells[-1] += piece.strip()  # a label spaced out to the width of others: "标　　题："
        elif piece.strip():
            cells.append(piece.strip())
    pairs: list[tuple[str, str]] = []
    known = 0
    i = 0
    while i < len(cells):
        label, value = _label(cells[i])
        if label not in labels:
            label = next((k for k in labels if len(k) >= 3 and label.endswith(k)), label)
        if label in labels:
            known += 1
        elif not (len(label) <= 6 and re.search(r"[：:】\]］]", cells[i])):
            return None  # beside known labels, a site's own label ("发布机构：") is furniture too
        if not value and i + 1 < len(cells) and not _FIELD.match(cells[i + 1]):
            value, i = cells[i + 1], i + 1
        if len(value) > 120:
            return None
        pairs.append((labels.get(label, "furniture"), value))
        i += 1
    return pairs if known else None


def _label(cell: str) -> tuple[str, str]:
    """(label, value) of a field cell; a bare cell is all label."""
    m = _FIELD.match(cell)
    if not m:
        return _SPACE.sub("", cell), ""
    return _SPACE.sub("", m.group("a") or m.group("b")), m.group("value").strip()


def _paragraph_layout(items: list[tuple], raw_lines: list[str]) -> bool:
    """Paragraphs separated by blank lines, each ending in sentence punctuation (a web page's text, Wikisource).

    A text extracted from print breaks lines mid-sentence at blank lines too; there fewer paragraph ends are
    complete sentences (the sample gazette: 80%, Wikisource pages: 96% and more).
    """
    ends = [it[0] for it, nxt in pairwise(items) if _gap(it[1], nxt[1], raw_lines) == "blank"]
    if len(ends) < 0.4 * len(items):
        return False
    open_ends = [t for t in ends if t.strip()[-1:] not in _TERMINAL]
    incomplete = 0
    for t in open_ends:
        if heading_kind(t) is None:
            incomplete += 1
            if incomplete > 0.1 * len(ends):  # more than a tenth of all paragraph ends: not this layout
                return False
    body = len(ends) - len(open_ends) + incomplete
    return body >= 10 and incomplete <= 0.1 * body


def _gap(a: int, b: int, raw_lines: list[str]) -> str:
    """What separates raw lines a < b: nothing ("line"), only invisible characters ("invisible"), or a blank line."""
    if b == a + 1:
        return "line"
    between = raw_lines[a + 1 : b]
    if all(line.strip() and not any(ch.isprintable() and not ch.isspace() for ch in line) for line in between):
        return "invisible"
    return "blank"


def _rejoin_link_fragments(items: list[Item], raw_lines: list[str]) -> list[Item]:
    """In a paragraph layout, a line break inside a paragraph that falls mid-sentence is link markup: rejoin."""
    if len(items) < 2:
        return items
    out: list[Item] = [items[0]]
    for prev, item in pairwise(items):
        gap = _gap(prev[1], item[1], raw_lines)
        if gap != "blank" and _is_fragment_break(prev[0], item[0], gap):
            out[-1] = (out[-1][0] + item[0], *out[-1][1:])  # type: ignore[assignment]
        else:
            out.append(item)
    return out


def _is_fragment_break(prev: str, line: str, gap: str) -> bool:
    if is_table_row(prev) or is_table_row(line) or heading_kind(line) is not None:
        return False
    if any(f(s) for s in (prev, line) for f in (is_signature, full_date, is_doc_number)):
        return False  # a notice's signature, date and number stand on their own lines
    if gap == "invisible":
        return True  # a zero-width character alone on a line: a link's remains inside a paragraph
    if (head := heading_kind(prev)) is not None and not head.run_in:
        return False
    if line.strip()[:1] in _CLOSING:
        return True
    prev_s = unicodedata.normalize("NFKC", prev.strip())
    if prev_s[-1:] in _TERMINAL:
        return False
    # a sentence in progress, or link text on either side; a whole title line followed by its text is not
    return len(prev_s) <= _LINK_CHARS or len(line.strip()) <= _LINK_CHARS or bool(set(prev_s) & set("，、,"))


def _repeated_titles(texts: list[str], dropped: set[int]) -> set[int]:
    """A title-like line in the head that repeats the line before it or the first line (a title printed twice)."""
    out: set[int] = set()
    kept: list[str] = []
    for i, text in enumerate(texts[:_HEAD_LINES]):
        if i in dropped or is_table_row(text):
            continue
        if len(text) > 120:
            kept.append(text)
            continue
        key = _norm(text)
        titled = len(key) >= 4 and not (set(key) & set("。！？；!?;"))
        if titled and kept and key in (kept[0], kept[-1]):
            out.add(i)
            continue
        kept.append(key)
    return out


def _duplicated_blocks(texts: list[str], *, min_lines: int = 3, min_chars: int = 60, share: float = 0.2) -> set[int]:
    """A long run of lines that repeats an earlier run (a page printing its body twice): the later copy.

    Long means a fifth of the file or more: a gazette's plans may share a few paragraphs of boilerplate,
    and each plan keeps its own.
    """
    min_lines = max(min_lines, int(share * len(texts)))
    keys = ["".join(t.split()) for t in texts]  # a copy repeats the bytes; spacing aside
    first: dict[str, list[int]] = {}
    out: set[int] = set()
    i = 0
    while i < len(keys):
        best = 0
        for j in first.get(keys[i], [])[-5:]:
            k = 0
            while i + k < len(keys) and j + k < i and keys[j + k] == keys[i + k] and not is_table_row(texts[i + k]):
                k += 1
            best = max(best, k)
        if best >= min_lines and sum(len(keys[i + n]) for n in range(best)) >= min_chars:
            out.update(range(i, i + best))
            i += best
            continue
        first.setdefault(keys[i], []).append(i)
        i += 1
    return out


def _navigation_runs(texts: list[str]) -> set[int]:
    """A run of very short unpunctuated lines opening a file, or just above its footer: a navigation bar.

    Elsewhere such a run is content (a table's cells, one a line, as print extraction leaves them).
    """
    v = vocabulary()
    out: set[int] = set()
    run: list[int] = []
    for i, text in enumerate([*texts, ""]):
        s = text.strip()
        if 0 < len(s) <= v.nav_line_chars and _CJK.search(s) and not set(s) & _TERMINAL and not is_table_row(text):
            run.append(i)
            continue
        if len(run) >= v.nav_run and (run[0] <= 2 or (i < len(texts) and any(p.search(text) for p in v.footer))):
            out.update(run)
        run = []
    return out


def _footer(texts: list[str], dropped: set[int]) -> set[int]:
    """The block at the end of a file made of licence/copyright/site lines and lines with no Chinese text."""
    v = vocabulary()
    out: set[int] = set()
    started = False  # a licence or copyright line was seen: a sponsor's or a note's line below it is footer too
    for i in range(len(texts) - 1, -1, -1):
        text = texts[i].strip()
        if i in dropped:
            continue
        if any(p.search(text) for p in v.footer):
            started = True
        elif not (("\t" not in texts[i] and not _CJK.search(text)) or (started and any(p.search(text) for p in v.footer_more))):
            break
        out.add(i)
    return out


def _running_headers(items: list[tuple], pages: list[int]) -> set[int]:
    """The same line first or last on most pages: a running header or footer."""
    by_page: dict[int, list[int]] = {}
    for n, item in enumerate(items):
        by_page.setdefault(pages[min(item[1], len(pages) - 1)], []).append(n)
    if len(by_page) < 3:
        return set()
    edges = {n for ns in by_page.values() for n in (ns[0], ns[-1])}
    counts = Counter(_norm(items[n][0]) for n in edges)
    common = {k for k, c in counts.items() if k and c >= max(3, len(by_page) // 2)}
    return {n for n in edges if _norm(items[n][0]) in common}
