"""Remove conversion debris from extracted text without changing real text.

The cleaned text is what chunks quote and what citations point into (1-based line numbers),
so every transformation here is conservative: drop markers and page numbers, rejoin paragraphs
that PDF extraction broke mid-sentence, and drop blank lines.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from assistant.models import LoadedText
from ingest.debris import strip_debris
from ingest.patterns import full_date, heading_kind, is_doc_number, is_signature, is_table_row

_BOOKMARK = re.compile(r"\[bookmark:[^\]]*\]")
# a converted Word footnote: its mark in the text ("X[footnoteRef:1]") and its note run on after the paragraph
# ("… [1:  X是…。]"), kept as a sentence of it
_FOOTNOTE_MARK = re.compile(r"\[footnoteRef:\d+\]")
_FOOTNOTE_NOTE = re.compile(r"\s*\[\d+:\s*([^\[\]]+?)\s*\]\s*$")
_PAGE_NUMBER = re.compile(
    r"^\s*(?:[-—–－]\s*\d{1,4}\s*[-—–－]|第\s*\d{1,4}\s*页(?:\s*[/，,]?\s*共\s*\d{1,4}\s*页)?|\d{1,4}\s*/\s*\d{1,4}"
    r"|page\s*\d{1,4})\s*$",
    re.IGNORECASE,
)
_TRAILING_SPACE = re.compile(r"[^\S\t]+$")
_LONE_NUMBER = re.compile(r"^\s*\d{1,3}\s*$")
# a sentence broken before a subscript ("广义货币M", "可吸入颗粒物（PM"): letters ending an unfinished line
_SUBSCRIPTED = re.compile(r"[\u4e00-\u9fff（(][A-Z]{1,3}$")
_SUBSCRIPT = re.compile(r"^\s*\d{1,2}(?:\.\d)?\s*$")
_CONTROL = re.compile(r"[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u200b-\u200d\u2060\ufeff]")  # (zero-width joiners too)
# a paragraph that ends with one of these is complete
_TERMINAL = set("。！？；：…”’」』）)】》!?;:.")
_CJK = re.compile(r"[\u3400-\u9fff]")
_CONTINUATION_START = re.compile(r"^[\u3400-\u9fff0-9０-９a-zA-Z，、。；：”’）)%％]")


@dataclass
class CleanText:
    """Cleaned lines (no blank lines); headings/pages carried over from the loader where known."""

    source: str
    lines: list[str]
    headings: dict[int, int] = field(default_factory=dict)  # 0-based cleaned line -> level
    pages: list[int] | None = None  # page of each cleaned line (PDF)
    # a cleaned line made of several loaded lines: (offset in the cleaned line, loaded line) where each
    # loaded line after its first begins; other lines are their loaded line (firsts) alone
    firsts: list[int] = field(default_factory=list)  # the loaded line (0-based) each cleaned line starts on
    joins: dict[int, list[tuple[int, int]]] = field(default_factory=dict)

    def loaded_line(self, line: int, offset: int) -> int:
        """The loaded line (0-based) that character `offset` of cleaned line `line` came from."""
        found = self.firsts[line]
        for start, loaded in self.joins.get(line, ()):
            if offset < start:
                break
            found = loaded
        return found
    fields: dict[str, str] = field(default_factory=dict)  # metadata that dropped field boxes carried (发文字号…)

    @property
    def text(self) -> str:
        """The cleaned source as stored and cited."""
        return "\n".join(self.lines)


def clean_text(loaded: LoadedText) -> CleanText:
    """Clean a loaded file into citable lines."""
    raw_lines = loaded.text.split("\n")
    items: list[tuple[str, int]] = []  # (line, raw index)
    for i, raw in enumerate(raw_lines):
        line = _CONTROL.sub("", _BOOKMARK.sub("", raw))
        line = _FOOTNOTE_NOTE.sub(r"\1", _FOOTNOTE_MARK.sub("", line))  # (the note's words as written, no brackets)
        # a table row's trailing tabs are its empty last cells: without them its cells would not line up
        line = _TRAILING_SPACE.sub("", line) if is_table_row(line) else line.rstrip()
        if not line.strip() or _PAGE_NUMBER.match(line):
            continue
        items.append((line if "\t" in line else line.strip(), i))
    before = items
    stripped = strip_debris(items, raw_lines, pages=loaded.page_of_line)
    parts = _rejoined(stripped.items, before)  # debris removal rejoins link-split sentences
    items = _attach_lone_numbers(stripped.items, parts)
    merged = items if stripped.paragraphs else _join_broken(items, loaded.headings, parts)
    lines = [text for text, _ in merged]
    headings = {n: loaded.headings[idx] for n, (_, idx) in enumerate(merged) if idx in loaded.headings}
    pages = None
    if loaded.page_of_line:
        pages = [loaded.page_of_line[min(idx, len(loaded.page_of_line) - 1)] for _, idx in merged]
    joins = {n: parts[idx] for n, (_, idx) in enumerate(merged) if idx in parts}
    return CleanText(
        source=loaded.source, lines=lines, headings=headings, pages=pages, fields=stripped.fields,
        firsts=[idx for _, idx in merged], joins=joins,
    )


# a line joined from several loaded lines, by its first: (offset in the joined line, loaded line) of the others
_Parts = dict[int, list[tuple[int, int]]]


def _rejoined(kept: list[tuple[str, int]], before: list[tuple[str, int]]) -> _Parts:
    """Which loaded lines a line that debris removal rejoined is made of (it keeps its first line's index)."""
    text_of = {idx: text for text, idx in before}
    order = [idx for _, idx in before]
    position = {idx: n for n, idx in enumerate(order)}
    parts: _Parts = {}
    for text, idx in kept:
        own = text_of.get(idx)
        if own is None or text == own or not text.startswith(own):
            continue
        at, n, found = len(own), position[idx] + 1, []
        while at < len(text) and n < len(order):
            piece = text_of[order[n]]
            if piece and text.startswith(piece, at):  # a dropped line between is skipped over
                found.append((at, order[n]))
                at += len(piece)
            n += 1
        if found:
            parts[idx] = found
    return parts


def _attach_lone_numbers(items: list[tuple[str, int]], parts: _Parts) -> list[tuple[str, int]]:
    """A lone number is a page number unless a short title line follows (newspaper section numbers) or it is a
    subscript ending a line's letters mid-sentence (M2, PM2.5: joined with the lines around it)."""
    out: list[tuple[str, int]] = []
    for pos, (line, idx) in enumerate(items):
        nxt = items[pos + 1][0] if pos + 1 < len(items) else ""
        if out and _SUBSCRIPT.match(line) and _SUBSCRIPTED.search(out[-1][0]) and nxt and not heading_kind(nxt):
            # a subscript a web page set on a line of its own ("广义货币M" "2" "增长13.6%"): the sentence is one line
            (prev, pidx), sub = out[-1], line.strip()
            out[-1] = (prev + sub + nxt, pidx)
            parts[pidx] = [*parts.get(pidx, []), (len(prev), idx), (len(prev) + len(sub), items[pos + 1][1])]
            items[pos + 1] = ("", -1)
            continue
        if _LONE_NUMBER.match(line) and "\t" not in line:
            if _looks_like_title(nxt):
                out.append((f"{line.strip()} {nxt}", idx))
                parts[idx] = [(len(line.strip()) + 1, items[pos + 1][1])]
                items[pos + 1] = ("", -1)
            continue  # a page number: drop it
        if idx == -1:
            continue
        out.append((line, idx))
    return out


def _looks_like_title(line: str) -> bool:
    s = line.strip()
    if s.startswith(("（", "(")):  # a credit line such as （文字整理…） after a page number
        return False
    return 2 <= len(s) <= 30 and not (set(s) & set("。，；：！？,;")) and "\t" not in s and bool(_CJK.search(s))


def _join_broken(items: list[tuple[str, int]], marked: dict[int, int], parts: _Parts) -> list[tuple[str, int]]:
    """Rejoin a paragraph that extraction broke in the middle of a sentence."""
    out: list[tuple[str, int]] = []
    for line, idx in items:
        if out and _is_broken_pair(out[-1][0], line, out[-1][1] in marked or idx in marked):
            prev, pidx = out[-1]
            sep = " " if prev[-1:].isascii() and line[:1].isascii() and prev[-1:].isalnum() else ""
            out[-1] = (prev + sep + line, pidx)
            at = len(prev) + len(sep)
            parts[pidx] = [*parts.get(pidx, []), (at, idx), *((at + o, r) for o, r in parts.pop(idx, []))]
        else:
            out.append((line, idx))
    return out


def _is_broken_pair(prev: str, line: str, either_marked_heading: bool) -> bool:
    if either_marked_heading or is_table_row(prev) or is_table_row(line):
        return False
    prev_s = unicodedata.normalize("NFKC", prev.strip())
    if not prev_s or prev_s[-1] in _TERMINAL:
        return False
    if heading_kind(line) or not _CONTINUATION_START.match(line.strip()):
        return False
    if is_doc_number(line) or full_date(line) or is_signature(line):
        return False
    # a heading line stands alone; a run-in heading ("（十六）….坚持…") is a paragraph that can break
    if (head := heading_kind(prev)) and not head.run_in and len(prev_s) <= 40:
        return False
    # a short line with no inner punctuation is a title, not a broken sentence
    has_inner_punct = any(ch in prev_s for ch in "，、；,")
    return len(prev_s) >= 30 or (has_inner_punct and len(prev_s) >= 12)
