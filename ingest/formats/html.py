"""HTML pages: one line per block of text, h1-h6 as headings, tables as tab-separated rows."""

from __future__ import annotations

import re
from typing import Any

from ingest.formats.common import Parsed, normalise
from ingest.formats.text import decode_text

_WS = re.compile(r"\s+")
_DROP = {"script", "style", "nav", "header", "footer", "noscript", "template", "head", "iframe", "svg"}
_BLOCK = re.compile(
    "p|div|section|article|main|aside|li|ul|ol|dl|dt|dd|blockquote|figure|figcaption|address|hr|body"
    "|center|caption|form|fieldset|tr|thead|tbody|tfoot|td|th"
)


def read_html(data: bytes) -> Parsed:
    """An HTML page (its declared or detected encoding)."""
    from bs4 import BeautifulSoup

    walker = _HtmlLines()
    walker.walk(BeautifulSoup(decode_text(data, html=True), "lxml"))
    walker.flush()
    while walker.lines and not walker.lines[-1]:
        walker.lines.pop()
    return Parsed(lines=walker.lines, headings=walker.headings)


class _HtmlLines:
    """Walks a parsed HTML tree, emitting one line per block of text."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.headings: dict[int, int] = {}
        self._buf: list[str] = []

    def flush(self) -> None:
        line = _WS.sub(" ", "".join(self._buf)).strip()
        self._buf = []
        if line:
            self.lines.append(line)

    def blank(self) -> None:
        self.flush()
        if self.lines and self.lines[-1]:
            self.lines.append("")

    def inline(self, tag: Any) -> str:
        sub = _HtmlLines()
        sub.walk(tag)
        sub.flush()
        return " ".join(line for line in sub.lines if line).replace("\t", " ")

    def walk(self, node: Any) -> None:
        from bs4 import NavigableString, Tag

        for child in node.children:
            if isinstance(child, Tag):
                self.element(child)
            elif type(child) is NavigableString:  # subclasses: comments, doctype, CDATA
                self._buf.append(str(child))

    def element(self, tag: Any) -> None:
        name = tag.name.lower()
        if name in _DROP:
            return
        if name == "br":
            self.flush()
        elif re.fullmatch(r"h[1-6]", name):
            self.flush()
            text = self.inline(tag)
            if text:
                self.headings[len(self.lines)] = int(name[1])
                self.lines.append(text)
        elif name == "table":
            self.blank()
            for row in tag.find_all("tr"):
                if row.find_parent("table") is not tag:
                    continue  # rows of nested tables show up inside their cell's text
                cells = [self.inline(c) for c in row.find_all(["td", "th"], recursive=False)]
                if any(cells):
                    self.lines.append("\t".join(cells))
            self.blank()
        elif name == "pre":
            self.flush()
            self.lines.extend(line.rstrip() for line in normalise(tag.get_text()).split("\n"))
        elif _BLOCK.fullmatch(name):
            self.flush()
            self.walk(tag)
            self.flush()
        else:
            self.walk(tag)
