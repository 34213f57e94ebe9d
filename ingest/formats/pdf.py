"""PDF: the text layer page by page (pypdf), ruled tables as tab-separated rows (pdfplumber), and OCR
(RapidOCR on pages rendered by pypdfium2) for scanned pages and for images with no text on them."""

from __future__ import annotations

import io
import itertools
import logging
import re
from typing import Any

from ingest.formats.common import (
    LoadError,
    LoadOptions,
    Parsed,
    iso_date,
    normalise,
    one_line,
    page_ranges,
    properties_of,
    squash,
)

log = logging.getLogger(__name__)
_VISIBLE = re.compile(r"\s+")
_IMAGE_COVER = 0.08  # an image covering this share of the page, with no text over it, is OCR'd
_TABLE_PATHS = 4  # a page drawing fewer lines and boxes than this has no ruled table
_OCR_OFF = "OCR is disabled (ASSISTANT_OCR=false)"


def read_pdf(data: bytes, options: LoadOptions) -> Parsed:
    """A PDF, page by page with page numbers; tables as rows; scanned pages OCR'd when allowed."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    if reader.is_encrypted and not reader.decrypt(""):
        raise LoadError("encrypted PDF, needs a password")
    rendered = _Rendered(data)
    lines: list[str] = []
    pages: list[int] = []
    unread: dict[str, list[int]] = {}  # what was left out (OCR disabled, OCR failed) -> pages
    for number, page in enumerate(reader.pages, start=1):
        text = page.extract_text() or ""
        images = rendered.text_free_images(number)
        page_lines: list[str] = []
        if not text.strip() and images:  # a scanned page
            if options.ocr:
                page_lines = _ocr(rendered, number, None, options, unread)
            else:
                unread.setdefault(f"no text layer (scanned), {_OCR_OFF}", []).append(number)
        else:
            page_lines = rendered.table_lines(number) or _split(text)
            for box in images:  # an image of text (a chart, a pasted scan) inside a text page
                if not options.ocr:
                    unread.setdefault(f"images with no text layer left unread, {_OCR_OFF}", []).append(number)
                    break
                if found := _ocr(rendered, number, box, options, unread):
                    page_lines += ["", *found]
        while page_lines and not page_lines[-1].strip():
            page_lines.pop()
        while page_lines and not page_lines[0].strip():
            page_lines.pop(0)
        lines.extend(page_lines)
        pages.extend([number] * len(page_lines))
    rendered.close()

    notes = [f"{_pages(p)}: {reason}" for reason, p in unread.items()]
    if not any(line.strip() for line in lines):
        if unread and not options.ocr:
            raise LoadError(f"PDF has no text layer (scanned?) and {_OCR_OFF}")
        if unread:
            raise LoadError(f"PDF has no text layer (scanned?); {next(iter(unread))}")
        raise LoadError("PDF has no text layer (scanned?)")
    return Parsed(lines=lines, pages=pages, properties=_properties(reader), notes=notes)


def _pages(numbers: list[int]) -> str:
    return f"page{'s' if len(numbers) > 1 else ''} {page_ranges(numbers)}"


def _split(text: str) -> list[str]:
    return [line.rstrip() for line in normalise(text).split("\n")]


class _Rendered:
    """The same PDF opened with pdfium (images, rendering) and, for pages with ruled tables, pdfplumber."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self._pdfium: Any = None
        self._plumber: Any = None
        self._pdfium_failed = False

    def page(self, number: int) -> Any:
        """The pdfium page, or None when pdfium cannot read the file."""
        if self._pdfium is None and not self._pdfium_failed:
            import pypdfium2 as pdfium

            try:
                self._pdfium = pdfium.PdfDocument(self.data, password="")
            except pdfium.PdfiumError as exc:
                log.info("pdfium cannot open the PDF (%s): no OCR or table detection", exc)
                self._pdfium_failed = True
        if self._pdfium is None or number > len(self._pdfium):
            return None
        return self._pdfium[number - 1]

    def text_free_images(self, number: int) -> list[tuple[float, float, float, float]]:
        """Boxes (left, bottom, right, top) of the page's large images that have no text over them."""
        import pypdfium2.raw as pdfium_c

        page = self.page(number)
        if page is None:
            return []
        width, height = page.get_size()
        boxes = []
        textpage = None
        for obj in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,), max_depth=3):
            left, bottom, right, top = obj.get_bounds()
            visible = max(0.0, min(right, width) - max(left, 0)) * max(0.0, min(top, height) - max(bottom, 0))
            if visible < _IMAGE_COVER * width * height:
                continue  # a logo, a seal, a rule
            textpage = textpage or page.get_textpage()
            if len(_VISIBLE.sub("", str(textpage.get_text_bounded(left, bottom, right, top)))) < 10:
                boxes.append((left, bottom, right, top))  # an OCR'd scan has its text layer over the image
        return boxes

    def render(self, number: int, box: tuple[float, float, float, float] | None, dpi: int) -> Any:
        """A page (or a box of it) as a PIL image."""
        page = self.page(number)
        crop = (0.0, 0.0, 0.0, 0.0)
        if box is not None:
            width, height = page.get_size()
            left, bottom, right, top = box
            crop = (max(0.0, left), max(0.0, bottom), max(0.0, width - right), max(0.0, height - top))
        return page.render(scale=dpi / 72, crop=crop).to_pil()

    def table_lines(self, number: int) -> list[str] | None:
        """The page's lines with its ruled tables as tab-separated rows, or None when it has none."""
        import pypdfium2.raw as pdfium_c

        page = self.page(number)
        if page is None:
            return None
        paths = page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_PATH,), max_depth=3)
        if sum(1 for _ in itertools.islice(paths, _TABLE_PATHS)) < _TABLE_PATHS:
            return None
        if self._plumber is None:
            import pdfplumber

            self._plumber = pdfplumber.open(io.BytesIO(self.data), password="")
        return _lines_with_tables(self._plumber.pages[number - 1])

    def close(self) -> None:
        """Release both documents."""
        if self._plumber is not None:
            self._plumber.close()
        if self._pdfium is not None:
            self._pdfium.close()


def _lines_with_tables(page: Any) -> list[str] | None:
    """Text above, between and below the tables, each table a block of tab-separated rows."""
    tables = sorted(page.find_tables(), key=lambda t: t.bbox[1])
    if not tables:
        return None
    boxes = [t.bbox for t in tables]

    def outside(obj: dict[str, Any]) -> bool:
        x = (obj["x0"] + obj["x1"]) / 2
        y = (obj["top"] + obj["bottom"]) / 2
        return not any(x0 <= x <= x1 and top <= y <= bottom for x0, top, x1, bottom in boxes)

    def text_between(upper: float, lower: float) -> list[str]:
        def keep(obj: dict[str, Any]) -> bool:
            return "top" in obj and upper <= (obj["top"] + obj["bottom"]) / 2 < lower and outside(obj)

        return [line.rstrip() for line in _split(page.filter(keep).extract_text() or "") if line.strip()]

    lines: list[str] = []
    upper = float("-inf")
    for table in tables:
        lines += text_between(upper, table.bbox[1])
        lines.append("")
        for row in table.extract():
            cells = [squash(cell or "") for cell in row]
            if any(cells):
                lines.append("\t".join(cells))
        lines.append("")
        upper = table.bbox[3]
    lines += text_between(upper, float("inf"))
    return lines


def _ocr(
    rendered: _Rendered,
    number: int,
    box: tuple[float, float, float, float] | None,
    options: LoadOptions,
    problems: dict[str, list[int]],
) -> list[str]:
    """OCR one page (or one image box of it); a failure is noted against the page, not raised."""
    from ingest.formats.ocr import ocr_lines

    if rendered.page(number) is None:
        problems.setdefault("cannot render the page for OCR", []).append(number)
        return []
    try:
        return ocr_lines(rendered.render(number, box, options.ocr_dpi))
    except LoadError as exc:
        problems.setdefault(exc.reason, []).append(number)
    except Exception as exc:  # noqa: BLE001 - a model or image failure loses one page, not the file
        log.warning("OCR of page %d failed: %s", number, exc)
        problems.setdefault(f"OCR failed: {one_line(str(exc), 80) or type(exc).__name__}", []).append(number)
    return []


def _properties(reader: Any) -> dict[str, Any]:
    try:
        info = reader.metadata
        if info is None:
            return {}
        created = modified = None
        try:
            created, modified = info.creation_date, info.modification_date
        except (ValueError, TypeError):
            pass  # a malformed date string: the other properties still count
        return properties_of(
            title=info.title, author=info.author, subject=info.subject, keywords=_str(info.get("/Keywords")),
            creator=info.creator or info.producer, created=iso_date(created), modified=iso_date(modified),
        )
    except Exception as exc:  # noqa: BLE001 - broken metadata never costs the document its text
        log.info("unreadable PDF metadata: %s", exc)
        return {}


def _str(value: Any) -> str | None:
    return str(value) if value else None
