"""Turn files into plain text lines with structure hints: pick the reader by extension, report why not."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path

from assistant.models import LoadedText
from ingest.formats.common import LoadError, LoadOptions, Parsed, fmt_size, one_line
from ingest.formats.text import decode_text

__all__ = [
    "ARCHIVES", "SUPPORTED", "LoadError", "LoadOptions", "decode_text", "iter_files", "load_bytes", "load_file",
]

# extension -> kind; the kind names the reader (and is what LoadedText.kind says)
KINDS = {
    ".txt": "txt", ".md": "md", ".html": "html", ".htm": "html", ".docx": "docx", ".doc": "doc", ".wps": "wps",
    ".pdf": "pdf", ".xlsx": "xlsx", ".xlsm": "xlsx", ".xls": "xls", ".csv": "csv", ".ofd": "ofd",
}
SUPPORTED = set(KINDS)  # files that hold one text
ARCHIVES = {".zip"}  # files that hold files: see ingest.formats.archive


def load_file(path: Path, *, max_bytes: int, options: LoadOptions | None = None) -> LoadedText:
    """Read one supported file into a LoadedText, or raise LoadError saying why not."""
    path = Path(path)
    ext = path.suffix.lower()
    if ext not in SUPPORTED:
        raise LoadError(f"unsupported type {ext or '(no extension)'}")
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise LoadError(f"file too large ({fmt_size(size)} > {fmt_size(max_bytes)})")
        data = path.read_bytes()
    except FileNotFoundError:
        raise LoadError("no such file or directory") from None
    except IsADirectoryError:
        raise LoadError("is a directory, not a file") from None
    except OSError as exc:
        raise LoadError(f"cannot read file: {exc.strerror or exc}") from None
    return load_bytes(data, ext, source=path.name, path=str(path), options=options)


def load_bytes(
    data: bytes, ext: str, *, source: str, path: str, options: LoadOptions | None = None
) -> LoadedText:
    """Read a file's bytes (a file on disk or an archive member) by its extension."""
    options = options or LoadOptions()
    kind = KINDS.get(ext.lower())
    if kind is None:
        raise LoadError(f"unsupported type {ext or '(no extension)'}")
    if not data.strip():
        raise LoadError("empty file")
    try:
        parsed = _reader(kind, ext.lower(), options)(data)
    except LoadError:
        raise
    except RecursionError:
        raise LoadError(f"{kind} structure nested too deeply") from None
    except Exception as exc:  # noqa: BLE001 - parsers raise many error types; the user gets one line
        message = one_line(str(exc)) or type(exc).__name__
        problem = "encrypted PDF, cannot open" if kind == "pdf" and "crypt" in message else f"corrupt {kind}"
        raise LoadError(f"{problem}: {message}") from None
    text = "\n".join(parsed.lines)
    if not text.strip():
        raise LoadError("no text found in file")
    return LoadedText(
        source=source, path=path, kind=kind, text=text, headings=parsed.headings, page_of_line=parsed.pages,
        properties=parsed.properties, notes=parsed.notes, origins=parsed.origins,
    )


def _reader(kind: str, ext: str, options: LoadOptions) -> Callable[[bytes], Parsed]:
    """The reader for a kind; heavy libraries are imported only when a file of that kind comes."""
    if kind in ("txt", "md"):
        from ingest.formats.text import read_text

        return read_text
    if kind == "html":
        from ingest.formats.html import read_html

        return read_html
    if kind == "docx":
        from ingest.formats.docx import read_docx

        return read_docx
    if kind in ("doc", "wps"):
        from ingest.formats.office import read_word_binary

        return lambda data: read_word_binary(data, ext, options)
    if kind == "pdf":
        from ingest.formats.pdf import read_pdf

        return lambda data: read_pdf(data, options)
    if kind == "xlsx":
        from ingest.formats.sheet import read_xlsx

        return read_xlsx
    if kind == "xls":
        from ingest.formats.sheet import read_xls

        return read_xls
    if kind == "csv":
        from ingest.formats.sheet import read_csv

        return read_csv
    from ingest.formats.ofd import read_ofd

    return read_ofd


def iter_files(paths: Sequence[Path]) -> tuple[list[Path], list[tuple[str, str]]]:
    """Expand files and folders (recursively, sorted, hidden entries skipped) into supported files and
    archives; every other file is listed with the reason it is left out."""
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
            if _readable(path):
                add(path)
            else:
                problems.append((str(path), _unsupported(path)))
        else:
            problems.append((str(path), "no such file or directory"))
    return files, problems


def _walk(folder: Path, problems: list[tuple[str, str]]) -> list[Path]:
    def on_error(exc: OSError) -> None:
        problems.append((str(exc.filename or folder), f"cannot read folder: {exc.strerror}"))

    found: list[Path] = []
    left_out: list[Path] = []
    for root, dirs, names in os.walk(folder, onerror=on_error):
        dirs[:] = [d for d in dirs if not _hidden(d)]
        for name in names:
            if not _hidden(name):
                (found if _readable(Path(name)) else left_out).append(Path(root, name))
    problems.extend((str(p), _unsupported(p)) for p in sorted(left_out))
    return sorted(found)


def _readable(path: Path) -> bool:
    return path.suffix.lower() in SUPPORTED or path.suffix.lower() in ARCHIVES


def _unsupported(path: Path) -> str:
    return f"unsupported type {path.suffix.lower() or '(no extension)'}"


def _hidden(name: str) -> bool:
    return name.startswith((".", "~$"))  # ~$x.docx: Word's lock files

