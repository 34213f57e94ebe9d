"""Ingest files into the store: load -> clean -> documents -> sections -> chunks -> index.

Idempotent and incremental: a file whose bytes and chunking settings are unchanged costs nothing;
a changed file is replaced as a whole (the store commits it with one record, see
assistant/index/store.py), so an ingest killed at any point converges when run again, and two
ingests at once (CLI and UI, or two replicas) lose nothing. One odd file never stops an ingest:
every file is either ingested or listed with its reason.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import time
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from assistant.index import health as store_health
from assistant.index.store import SourceNameTakenError
from assistant.models import Chunk, DocumentInfo, IngestReport
from assistant.tokens import count_tokens
from ingest.chunk import chunk_document, doc_id_for
from ingest.clean import clean_text
from ingest.load import LoadError, iter_files, load_file
from ingest.structure import parse_blocks, split_documents

log = logging.getLogger(__name__)

PIPELINE_VERSION = "2"  # 2: debris dropped, document metadata
Progress = Callable[[int, int, str], None]
SOURCE_SEP = "/"  # same-name files from different folders: "2023/报告.txt" beside "报告.txt"


def parse_file(
    path: Path, *, chunk_tokens: int, max_bytes: int, source: str | None = None
) -> tuple[str, list[DocumentInfo], list[Chunk]]:
    """Parse one file into its cleaned text, documents and chunks (raises LoadError for bad input).

    `source` names the file in the knowledge base (default: its file name).
    """
    loaded = load_file(path, max_bytes=max_bytes)
    if source is not None:
        loaded.source = source
    clean = clean_text(loaded)
    if not any(line.strip() for line in clean.lines):
        raise LoadError("no text left after cleaning")
    docs: list[DocumentInfo] = []
    chunks: list[Chunk] = []
    for span in split_documents(clean, fallback_title=path.stem):
        blocks = parse_blocks(clean.lines, span, marked=clean.headings)
        doc_chunks = chunk_document(
            clean.lines, span, blocks, source=loaded.source, target_tokens=chunk_tokens,
            count_tokens=count_tokens, pages=clean.pages,
        )
        if not doc_chunks:
            continue
        docs.append(
            DocumentInfo(
                doc_id=doc_id_for(loaded.source, span), source=loaded.source, title=span.title,
                line_start=span.start + 1, line_end=span.end, doc_number=span.doc_number,
                date=span.date, year=span.year, chunks=len(doc_chunks), issuer=span.issuer, place=span.place,
                level=span.level, kind=span.kind, period=span.period,
            )
        )
        chunks.extend(doc_chunks)
    return clean.text, docs, chunks


def _resolved(path: Path) -> str:
    try:
        return str(path.resolve())
    except (OSError, RuntimeError):  # a symlink loop: the path as given
        return str(path.absolute())


def source_name(path: Path, file_hash: str, records: dict[str, Any], taken: dict[str, str]) -> str | None:
    """The file's name in the knowledge base: its file name, or with folders in front when another file took it.

    `records` are the store's file records, `taken` the names given in this run (name -> path).
    A file keeps the name it had (same path); a file with the same bytes as the named one (moved)
    takes its name over. None: this run already holds a file with the same bytes under that name.
    """
    where = _resolved(path)
    for source, record in records.items():
        if record.path == where and source not in taken:
            return source
    parts = Path(where).parts
    for depth in range(1, len(parts) + 1):
        name = SOURCE_SEP.join(parts[-depth:]) if depth > 1 else path.name
        if name in taken:
            if taken[name] == where:
                return name
            if depth == 1 and records.get(name) is not None and records[name].file_hash == file_hash:
                return None
            continue
        record = records.get(name)
        if record is None or record.path == where or record.file_hash == file_hash:
            return name
    return f"{where}#{file_hash[:8]}"


def ingest_paths(
    paths: Sequence[Path], store: Any, *, chunk_tokens: int, max_bytes: int, progress: Progress | None = None
) -> IngestReport:
    """Ingest files and folders into the store; files that cannot be ingested are listed with the reason."""
    started = time.perf_counter()
    report = IngestReport()
    files, problems = iter_files([Path(p) for p in paths])
    report.skipped.extend((str(p), reason) for p, reason in problems)
    signature = f"{PIPELINE_VERSION}|{chunk_tokens}|{store.embedder.name}"
    clock = _Clock(report.timings_s)
    with clock("check"):
        found = store_health.check(store)
        checked_at = store.stamp()
    damaged = set(found.missing)  # files whose chunks Chroma lost: parse them again
    records = store.files()
    taken: dict[str, str] = {}
    for n, path in enumerate(files):
        if progress:
            progress(n, len(files), path.name)
        try:
            try:
                _ingest_one(path, store, records, taken, damaged, report, signature, chunk_tokens, max_bytes, clock)
            except SourceNameTakenError:
                # another ingest (a second process or replica) committed a different file under this
                # name meanwhile: look again and take the next free name
                records.clear()
                records.update(store.files())
                _ingest_one(path, store, records, taken, damaged, report, signature, chunk_tokens, max_bytes, clock)
        except LoadError as exc:
            report.skipped.append((str(path), exc.reason))
        except (OSError, RuntimeError, ValueError, UnicodeError) as exc:
            log.warning("skipped %s", path, exc_info=True)
            report.skipped.append((str(path), f"{type(exc).__name__}: {exc}"))
    if progress:
        progress(len(files), len(files), "lexical index")
    if not found.ok or store.stamp() != checked_at:  # something written, or wrong: look again and repair
        with clock("check"):
            done, left = store_health.repair(store)
        report.repaired.extend(done)
        report.problems.extend(left.lines())
    with clock("lexical"):
        store.sync_lexical()
    report.seconds = time.perf_counter() - started
    return report


class _Clock:
    """Adds the seconds spent in each `with clock(name):` to a dict."""

    def __init__(self, into: dict[str, float]) -> None:
        self.into = into

    @contextlib.contextmanager
    def __call__(self, name: str) -> Iterator[None]:
        t0 = time.perf_counter()
        try:
            yield
        finally:
            self.into[name] = round(self.into.get(name, 0.0) + time.perf_counter() - t0, 3)


def _ingest_one(
    path: Path, store: Any, records: dict[str, Any], taken: dict[str, str], damaged: set[str],
    report: IngestReport, signature: str, chunk_tokens: int, max_bytes: int, clock: _Clock,
) -> None:
    try:
        data = path.read_bytes()
    except IsADirectoryError:
        raise LoadError("is a directory, not a file") from None
    except OSError as exc:
        raise LoadError(f"cannot read: {exc.strerror or exc}") from None
    file_hash = hashlib.sha256(data + signature.encode()).hexdigest()
    source = source_name(path, file_hash, records, taken)
    if source is None:
        report.skipped.append((str(path), "same content as a file already ingested in this run"))
        return
    record = records.get(source)
    if record is not None and record.file_hash == file_hash and source not in damaged:
        report.unchanged_files += 1
        report.files += 1
        report.documents += len(record.documents)
        report.chunks += sum(d.chunks for d in record.documents)
        if record.path != _resolved(path):
            record.path = _resolved(path)  # moved: same bytes, same document, new place
            store.commit_path(source, record.path)
        taken[source] = _resolved(path)
        return
    with clock("parse"):
        text, docs, chunks = parse_file(path, chunk_tokens=chunk_tokens, max_bytes=max_bytes, source=source)
    now = datetime.now(UTC).isoformat(timespec="seconds")
    for doc in docs:
        doc.ingested_at = now
    # documents the user removed stay out while the file is unchanged; a changed file brings them back
    excluded = record.excluded if record is not None and record.file_hash == file_hash else []
    with clock("write"):
        report.embedded += store.commit_file(
            source, file_hash=file_hash, path=_resolved(path), text=text, documents=docs, chunks=chunks,
            excluded=excluded, force=source in damaged,
        )
    kept = [d for d in docs if d.doc_id not in set(excluded)]
    report.files += 1
    report.documents += len(kept)
    report.chunks += sum(d.chunks for d in kept)
    report.tokens += sum(c.tokens for c in chunks if c.doc_id not in set(excluded))
    records[source] = store.file_record(source)
    taken[source] = _resolved(path)


def ingest_into(
    assistant: Any, paths: Sequence[Path], *, progress: Progress | None = None, prune: bool = False
) -> IngestReport:
    """Ingest files/folders into an assistant's knowledge base (unchanged files cost nothing)."""
    settings = assistant.settings
    store = assistant.store
    report = ingest_paths(
        [Path(p) for p in paths], store, chunk_tokens=settings.chunk_tokens,
        max_bytes=int(settings.max_file_mb * 1024 * 1024), progress=progress,
    )
    if prune:
        report.removed = prune_missing(store, [Path(p) for p in paths if Path(p).is_dir()])
    return report


def prune_missing(store: Any, roots: Sequence[Path]) -> list[str]:
    """Remove sources whose files under the given roots no longer exist."""
    removed = []
    resolved = [Path(_resolved(Path(r))) for r in roots]
    for source, record in store.files().items():
        path = Path(record.path or "")
        under = any(path == r or r in path.parents for r in resolved)
        if under and not path.exists() and store.remove_file(source):
            removed.append(source)
    if removed:
        store.sync_lexical()
    return removed
