"""File loaders: turn .txt/.md/.docx/.pdf/.html files into plain text lines with structure hints."""

from __future__ import annotations

import codecs
import io
import os
import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from assistant.models import LoadedText

SUPPORTED = {".txt", ".md", ".docx", ".pdf", ".html", ".htm"}

_MB = 1024 * 1024
# Every character str.splitlines() treats as a line break becomes "\n", so that line numbers
# agree whether later stages split on "\n" or call splitlines().
_LINE_BREAKS = re.compile("\r\n|[\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
_WS = re.compile(r"\s+")
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
_CONTROL = set(range(0x20)) - {0x09, 0x0A, 0x0C, 0x0D, 0x1B}


class LoadError(Exception):
    """A file that cannot be turned into text; `reason` is one user-readable line."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def load_file(path: Path, *, max_bytes: int) -> LoadedText:
    """Read one supported file into a LoadedText, or raise LoadError saying why not."""
    path = Path(path)
    ext = path.suffix.lower()
    if ext not in SUPPORTED:
        raise LoadError(f"unsupported type {ext or '(no extension)'}")
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise LoadError(f"file too large ({_fmt_size(size)} > {_fmt_size(max_bytes)})")
        data = path.read_bytes()
    except FileNotFoundError:
        raise LoadError("no such file or directory") from None
    except IsADirectoryError:
        raise LoadError("is a directory, not a file") from None
    except OSError as exc:
        raise LoadError(f"cannot read file: {exc.strerror or exc}") from None
    if not data.strip():
        raise LoadError("empty file")

    kind = {".htm": "html"}.get(ext, ext[1:])
    headings: dict[int, int] = {}
    pages: list[int] | None = None
    try:
        if kind == "docx":
            lines, headings = _docx_lines(data)
        elif kind == "pdf":
            lines, pages = _pdf_lines(data)
        elif kind == "html":
            lines, headings = _html_lines(decode_text(data, html=True))
        else:
            lines = decode_text(data).split("\n")
    except LoadError:
        raise
    except RecursionError:
        raise LoadError(f"{kind} structure nested too deeply") from None
    except Exception as exc:  # noqa: BLE001 - parsers raise many error types; the user gets one line
        message = _WS.sub(" ", str(exc)).strip()[:160] or type(exc).__name__
        problem = "encrypted PDF, cannot open" if kind == "pdf" and "crypt" in message else f"corrupt {kind}"
        raise LoadError(f"{problem}: {message}") from None
    text = "\n".join(lines)
    if not text.strip():
        raise LoadError("no text found in file")
    return LoadedText(
        source=path.name, path=str(path), kind=kind, text=text, headings=headings, page_of_line=pages
    )


def iter_files(paths: Sequence[Path]) -> tuple[list[Path], list[tuple[str, str]]]:
    """Expand files and folders (recursively, sorted, hidden entries skipped) into supported files."""
    files: list[Path] = []
    problems: list[tuple[str, str]] = []
    seen: set[Path] = set()

    def add(file: Path) -> None:
        try:
            key = file.resolve()
        except (OSError, RuntimeError):  # a symlink loop: listed, and the ingest goes on
            problems.append((str(file), "symlink loop or unresolvable path"))
            return
        if key not in seen:
            seen.add(key)
            files.append(file)

    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for file in _walk(path, problems):
                add(file)
        elif path.is_file():
            if path.suffix.lower() in SUPPORTED:
                add(path)
            else:
                problems.append((str(path), f"unsupported type {path.suffix.lower() or '(no extension)'}"))
        else:
            problems.append((str(path), "no such file or directory"))
    return files, problems


def _walk(folder: Path, problems: list[tuple[str, str]]) -> list[Path]:
    def on_error(exc: OSError) -> None:
        problems.append((str(exc.filename or folder), f"cannot read folder: {exc.strerror}"))

    found: list[Path] = []
    for root, dirs, names in os.walk(folder, onerror=on_error):
        dirs[:] = [d for d in dirs if not _hidden(d)]
        found += [Path(root, n) for n in names if not _hidden(n) and Path(n).suffix.lower() in SUPPORTED]
    return sorted(found)


def decode_text(data: bytes, *, html: bool = False) -> str:
    """Decode bytes: BOM, strict UTF-8, (html meta charset), strict GB18030, near-UTF-8, then a detector."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return _normalise(data[len(bom) :].decode(codec))
            except UnicodeDecodeError:
                raise LoadError(f"cannot decode text (invalid {codec} after its byte-order mark)") from None
    _reject_binary(data)
    codecs_to_try = ["utf-8"]
    if html:
        meta = re.search(rb"""charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", data[:4096], re.IGNORECASE)
        if meta:
            declared = meta.group(1).decode("ascii").lower()
            codecs_to_try.append("gb18030" if declared in ("gb2312", "gbk", "x-gbk") else declared)
    codecs_to_try.append("gb18030")
    for codec in codecs_to_try:
        try:
            return _normalise(data.decode(codec))
        except (UnicodeDecodeError, LookupError):
            continue
    # A UTF-8 file with a stray bad byte (a cut-off copy, say) keeps its text, not a detector's guess.
    lenient = data.decode("utf-8", errors="replace")
    if lenient.count("\ufffd") <= len(lenient) // 1000 + 1 and len(lenient) > 20:
        return _normalise(lenient)
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise LoadError("cannot decode text (tried UTF-8, GB18030)")
    return _normalise(str(best))


def _normalise(text: str) -> str:
    return _LINE_BREAKS.sub("\n", text)


def _reject_binary(data: bytes) -> None:
    head = data[:8192]
    if b"\x00" in head or sum(byte in _CONTROL for byte in head) > 0.05 * len(head):
        raise LoadError("binary file, not text")


def _hidden(name: str) -> bool:
    return name.startswith((".", "~$"))  # ~$x.docx: Word's lock files


def _fmt_size(n: int) -> str:
    for unit, size in (("MB", _MB), ("KB", 1024)):
        if n >= size:
            return f"{n / size:.1f}".removesuffix(".0") + f" {unit}"
    return f"{n} bytes"


def _docx_lines(data: bytes) -> tuple[list[str], dict[int, int]]:
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    doc = docx.Document(io.BytesIO(data))
    lines: list[str] = []
    headings: dict[int, int] = {}

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
            level = _docx_heading_level(para)
            if level is not None and para.text.strip():
                headings[len(lines)] = level
                lines.append(_WS.sub(" ", para.text).strip())
            else:
                lines.extend(_normalise(para.text).split("\n"))
            continue
        if lines and lines[-1].strip():
            lines.append("")
        for row in Table(element, doc).rows:
            cells, last = [], None
            for cell in row.cells:
                if cell._tc is not last:  # a horizontally merged cell repeats: keep it once
                    cells.append(_WS.sub(" ", cell.text).strip())
                last = cell._tc
            if any(cells):
                lines.append("\t".join(cells))
        lines.append("")
    return lines, headings


_HEADING_STYLE = re.compile(r"^(?:heading|标题)\s*([1-9])$", re.IGNORECASE)


def _docx_heading_level(para: Any) -> int | None:
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


def _pdf_lines(data: bytes) -> tuple[list[str], list[int]]:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    if reader.is_encrypted and not reader.decrypt(""):
        raise LoadError("encrypted PDF, needs a password")
    lines: list[str] = []
    page_of_line: list[int] = []
    for number, page in enumerate(reader.pages, start=1):
        text = page.extract_text() or ""
        page_lines = [line.rstrip() for line in _normalise(text).split("\n")]
        while page_lines and not page_lines[-1]:
            page_lines.pop()
        lines.extend(page_lines)
        page_of_line.extend([number] * len(page_lines))
    if not any(line.strip() for line in lines):
        raise LoadError("PDF has no text layer (scanned?)")
    return lines, page_of_line


_DROP = {"script", "style", "nav", "header", "footer", "noscript", "template", "head", "iframe", "svg"}
_BLOCK = re.compile(
    "p|div|section|article|main|aside|li|ul|ol|dl|dt|dd|blockquote|figure|figcaption|address|hr|body"
    "|center|caption|form|fieldset|tr|thead|tbody|tfoot|td|th"
)


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
            self.lines.extend(line.rstrip() for line in _normalise(tag.get_text()).split("\n"))
        elif _BLOCK.fullmatch(name):
            self.flush()
            self.walk(tag)
            self.flush()
        else:
            self.walk(tag)


def _html_lines(markup: str) -> tuple[list[str], dict[int, int]]:
    from bs4 import BeautifulSoup

    walker = _HtmlLines()
    walker.walk(BeautifulSoup(markup, "lxml"))
    walker.flush()
    while walker.lines and not walker.lines[-1]:
        walker.lines.pop()
    return walker.lines, walker.headings
