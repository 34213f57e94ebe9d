"""OFD (GB/T 33190, the format of 公文 e-documents): text page by page and DocInfo, read with ofdkit."""

from __future__ import annotations

from typing import Any

from ingest.formats.common import LoadError, Parsed, normalise, properties_of


def read_ofd(data: bytes) -> Parsed:
    """An OFD file: each page's text in reading order, with its page number; DocInfo as properties."""
    import ofdkit

    try:
        document = ofdkit.open(data)
    except ofdkit.OFDLimitError as exc:
        raise LoadError(f"OFD refused: {exc}") from None
    except ofdkit.OFDError as exc:
        raise LoadError(f"corrupt ofd: {exc}") from None
    with document:
        lines: list[str] = []
        pages: list[int] = []
        for number, page in enumerate(document.pages, start=1):
            page_lines = [line.rstrip() for line in normalise(page.text()).split("\n")]
            while page_lines and not page_lines[-1].strip():
                page_lines.pop()
            lines.extend(page_lines)
            pages.extend([number] * len(page_lines))
        notes = [f"OFD: {warning}" for warning in document.warnings]
        return Parsed(lines=lines, pages=pages, properties=_properties(document.info), notes=notes)


def _properties(info: Any) -> dict[str, Any]:
    return properties_of(
        title=info.title, author=info.author, subject=info.subject or info.abstract,
        keywords="，".join(info.keywords), created=info.creation_date, modified=info.mod_date,
        creator=info.creator, custom=dict(info.custom_data),
    )
