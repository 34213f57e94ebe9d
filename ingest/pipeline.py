"""Ingest files into the store: load -> clean -> documents -> sections -> chunks -> index.

Idempotent and incremental: a file whose bytes and chunking settings are unchanged costs nothing;
a changed file's chunks are replaced; the manifest entry is written only after the file's chunks
are in the store, so an ingest killed at any point converges when run again.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from assistant.models import Chunk, DocumentInfo, IngestReport
from assistant.tokens import count_tokens
from ingest.chunk import chunk_document, doc_id_for
from ingest.clean import clean_text
from ingest.load import LoadError, iter_files, load_file
from ingest.structure import parse_blocks, split_documents

PIPELINE_VERSION = "2"  # 2: debris dropped, document metadata
Progress = Callable[[int, int, str], None]


def parse_file(path: Path, *, chunk_tokens: int, max_bytes: int) -> tuple[str, list[DocumentInfo], list[Chunk]]:
    """Parse one file into its cleaned text, documents and chunks (raises LoadError for bad input)."""
    loaded = load_file(path, max_bytes=max_bytes)
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


def ingest_paths(
    paths: Sequence[Path], store, *, chunk_tokens: int, max_bytes: int, progress: Progress | None = None
) -> IngestReport:
    """Ingest files and folders into the store; unreadable files are skipped and reported."""
    started = time.perf_counter()
    report = IngestReport()
    files, problems = iter_files([Path(p) for p in paths])
    report.skipped.extend((str(p), reason) for p, reason in problems)
    manifest = store.read_manifest()
    signature = f"{PIPELINE_VERSION}|{chunk_tokens}|{store.embedder.name}"
    seen: dict[str, Path] = {}
    for n, path in enumerate(files):
        if progress:
            progress(n, len(files), path.name)
        source = path.name
        if source in seen:
            report.skipped.append((str(path), f"same file name as {seen[source]}; rename one of them"))
            continue
        seen[source] = path
        try:
            data = path.read_bytes()
        except OSError as exc:
            report.skipped.append((str(path), f"cannot read: {exc.strerror or exc}"))
            continue
        file_hash = hashlib.sha256(data + signature.encode()).hexdigest()
        entry = manifest.get(source)
        if entry and entry.get("file_hash") == file_hash:
            report.unchanged_files += 1
            report.files += 1
            report.documents += len(entry.get("documents", []))
            report.chunks += sum(d.get("chunks", 0) for d in entry.get("documents", []))
            continue
        try:
            text, docs, chunks = parse_file(path, chunk_tokens=chunk_tokens, max_bytes=max_bytes)
        except LoadError as exc:
            report.skipped.append((str(path), exc.reason))
            continue
        now = datetime.now(UTC).isoformat(timespec="seconds")
        for doc in docs:
            doc.ingested_at = now
        store.save_source_text(source, text)
        report.embedded += store.upsert_chunks(chunks)
        stale = store.ids_for_source(source) - {c.id for c in chunks}
        if stale:
            store.delete_ids(sorted(stale))
        store.record_file(source, file_hash, str(path.resolve()), docs)
        report.files += 1
        report.documents += len(docs)
        report.chunks += len(chunks)
        report.tokens += sum(c.tokens for c in chunks)
    if progress:
        progress(len(files), len(files), "更新词汇索引")
    store.sync_lexical()
    report.seconds = time.perf_counter() - started
    return report


def ingest_into(
    assistant: Any, paths: Sequence[Path], *, progress: Progress | None = None, prune: bool = False
) -> IngestReport:
    """Ingest files/folders into an assistant's knowledge base under its write lock (unchanged files cost nothing)."""
    settings = assistant.settings
    store = assistant.store
    with store.writing():
        report = ingest_paths(
            [Path(p) for p in paths], store, chunk_tokens=settings.chunk_tokens,
            max_bytes=int(settings.max_file_mb * 1024 * 1024), progress=progress,
        )
        if prune:
            report.removed = prune_missing(store, [Path(p) for p in paths if Path(p).is_dir()])
    return report


def prune_missing(store, roots: Sequence[Path]) -> list[str]:
    """Remove sources whose files under the given roots no longer exist."""
    removed = []
    resolved = [Path(r).resolve() for r in roots]
    for source, entry in store.read_manifest().items():
        path = Path(entry.get("path", ""))
        under = any(path == r or r in path.parents for r in resolved)
        if under and not path.exists():
            store.delete_source(source)
            store.forget_file(source)
            removed.append(source)
    if removed:
        store.sync_lexical()
    return removed
