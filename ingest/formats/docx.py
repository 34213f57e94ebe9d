"""Word .docx: paragraphs and tables in body order, heading styles and outline levels, core properties."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from typing import Any

from assistant.models import Location
from ingest.formats.common import OLE_MAGIC, LoadError, Parsed, iso_date, normalise, properties_of

_WS = re.compile(r"\s+")
_HEADING_STYLE = re.compile(r"^(?:heading|标题)\s*([1-9])$", re.IGNORECASE)


def read_docx(data: bytes) -> Parsed:
    """A .docx file: one line per paragraph, one tab-separated line per table row."""
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    if data.startswith(OLE_MAGIC):
        raise LoadError("password-protected (encrypted) Word document, cannot open")
    doc = docx.Document(io.BytesIO(data))
    lines: list[str] = []
    headings: dict[int, int] = {}
    origins: list[Location] = []  # paragraphs as a reader counts them (empty ones not), table rows
    paragraphs = tables = 0

    def add(text: str, origin: Location) -> None:
        lines.append(text)
        origins.append(origin)

    def blocks(parent: Any) -> Iterator[tuple[str, Any]]:
        for child in parent.iterchildren():
            tag = child.tag.rsplit("}", 1)[-1]
            if tag in ("p", "tbl"):
                yield tag, child
            elif tag == "sdt":  # content controls (e.g. a table of contents) wrap paragraphs
                for content in child.iterchildren():
                    if content.tag.endswith("}sdtContent"):
                        yield from blocks(content)

    for tag, element in blocks(doc.element.body):
        if tag == "p":
            para = Paragraph(element, doc)
            if para.text.strip():
                paragraphs += 1
            here = Location(paragraph_start=paragraphs, paragraph_end=paragraphs) if para.text.strip() else Location()
            level = _heading_level(para)
            if level is not None and para.text.strip():
                headings[len(lines)] = level
                add(_WS.sub(" ", para.text).strip(), here)
            else:
                for line in normalise(para.text).split("\n"):
                    add(line, here)
            continue
        if lines and lines[-1].strip():
            add("", Location())
        tables += 1
        for number, row in enumerate(Table(element, doc).rows, start=1):
            cells, last = [], None
            for cell in row.cells:
                if cell._tc is not last:  # a horizontally merged cell repeats: keep it once
                    cells.append(_WS.sub(" ", cell.text).strip())
                last = cell._tc
            if any(cells):
                add("\t".join(cells), Location(table=tables, row_start=number, row_end=number))
        add("", Location())
    return Parsed(lines=lines, headings=headings, properties=_properties(doc), origins=origins)


def _properties(doc: Any) -> dict[str, Any]:
    core = doc.core_properties
    return properties_of(
        title=core.title, author=core.author, subject=core.subject, keywords=core.keywords,
        created=iso_date(core.created), modified=iso_date(core.modified),
    )


def _heading_level(para: Any) -> int | None:
    style = para.style
    name = (style.name or "").strip() if style is not None else ""
    match = _HEADING_STYLE.match(name)
    if match:
        return int(match.group(1))
    if name.lower() in ("title", "标题"):
        return 0
    # An explicit outline level (0-8; 9 means body text) on the paragraph or its style chain.
    values = para._p.xpath("./w:pPr/w:outlineLvl/@w:val")
    for _ in range(10):  # base-style chains are short; the bound guards against cycles
        if values or style is None:
            break
        values = style.element.xpath("./w:pPr/w:outlineLvl/@w:val")
        style = style.base_style
    if not values:
        return None
    level = int(values[0]) if values[0].isdigit() else 9
    return level + 1 if level < 9 else None
