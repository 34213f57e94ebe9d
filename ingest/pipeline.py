"""Ingest files into the store: load -> clean -> documents -> sections -> chunks -> index.

Idempotent and incremental: a file whose bytes and chunking settings are unchanged costs nothing;
a changed file's chunks are replaced; the manifest entry is written only after the file's chunks
are in the store, so an ingest killed at any point converges when run again.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from assistant.models import MEMBER_SEP, Chunk, DocumentInfo, IngestReport, LoadedText
from assistant.tokens import count_tokens
from ingest.chunk import chunk_document, doc_id_for
from ingest.clean import clean_text
from ingest.load import ARCHIVES, SUPPORTED, LoadError, LoadOptions, iter_files, load_bytes, load_file
from ingest.locate import locator
from ingest.structure import parse_blocks, split_documents

PIPELINE_VERSION = "3"  # 2: debris dropped, document metadata; 3: chunks know their place in the user's file
Progress = Callable[[int, int, str], None]


def parse_file(
    path: Path, *, chunk_tokens: int, max_bytes: int, options: LoadOptions | None = None
) -> tuple[str, list[DocumentInfo], list[Chunk]]:
    """Parse one file into its cleaned text, documents and chunks (raises LoadError for bad input)."""
    return parse_loaded(load_file(path, max_bytes=max_bytes, options=options), chunk_tokens=chunk_tokens)


def parse_loaded(loaded: LoadedText, *, chunk_tokens: int) -> tuple[str, list[DocumentInfo], list[Chunk]]:
    """Clean a loaded file and cut it into documents and chunks (raises LoadError when nothing is left)."""
    clean = clean_text(loaded)
    if not any(line.strip() for line in clean.lines):
        raise LoadError("no text left after cleaning")
    fallback_title = Path(loaded.source.rsplit(MEMBER_SEP, 1)[-1]).stem
    locate = locator(loaded, clean)
    docs: list[DocumentInfo] = []
    chunks: list[Chunk] = []
    for span in split_documents(clean, fallback_title=fallback_title):
        blocks = parse_blocks(clean.lines, span, marked=clean.headings)
        doc_chunks = chunk_document(
            clean.lines, span, blocks, source=loaded.source, target_tokens=chunk_tokens,
            count_tokens=count_tokens, pages=clean.pages, locate=locate,
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


@dataclass
class _Run:
    """One ingest run's shared state."""

    store: Any
    report: IngestReport
    manifest: dict[str, Any]
    signature: str
    chunk_tokens: int
    options: LoadOptions

    def unchanged(self, source: str, file_hash: str) -> bool:
        """Count a file whose bytes and settings are as last ingested; True when it is."""
        entry = self.manifest.get(source)
        if not entry or entry.get("file_hash") != file_hash:
            return False
        self.report.unchanged_files += 1
        self.report.files += 1
        self.report.documents += len(entry.get("documents", []))
        self.report.chunks += sum(d.get("chunks", 0) for d in entry.get("documents", []))
        return True

    def save(self, source: str, file_hash: str, path: Path, parsed: tuple[str, list[DocumentInfo], list[Chunk]]) -> None:
        """Replace a source's chunks, then record it (the manifest entry last, so a kill converges)."""
        text, docs, chunks = parsed
        now = datetime.now(UTC).isoformat(timespec="seconds")
        for doc in docs:
            doc.ingested_at = now
        self.store.save_source_text(source, text)
        self.report.embedded += self.store.upsert_chunks(chunks)
        stale = self.store.ids_for_source(source) - {c.id for c in chunks}
        if stale:
            self.store.delete_ids(sorted(stale))
        self.store.record_file(source, file_hash, str(path.resolve()), docs)
        self.report.files += 1
        self.report.documents += len(docs)
        self.report.chunks += len(chunks)
        self.report.tokens += sum(c.tokens for c in chunks)

    def file_hash(self, data: bytes) -> str:
        """What decides whether a file must be parsed again: its bytes and the chunking settings."""
        return hashlib.sha256(data + self.signature.encode()).hexdigest()


def ingest_paths(
    paths: Sequence[Path],
    store,
    *,
    chunk_tokens: int,
    max_bytes: int,
    progress: Progress | None = None,
    options: LoadOptions | None = None,
) -> IngestReport:
    """Ingest files, folders and zip bundles into the store; unreadable files are skipped and reported."""
    started = time.perf_counter()
    report = IngestReport()
    files, problems = iter_files([Path(p) for p in paths])
    report.skipped.extend((str(p), reason) for p, reason in problems)
    options = replace(options or LoadOptions(), max_bytes=max_bytes)
    run = _Run(
        store=store, report=report, manifest=store.read_manifest(), chunk_tokens=chunk_tokens, options=options,
        signature=f"{PIPELINE_VERSION}|{chunk_tokens}|{store.embedder.name}",
    )
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
        if path.suffix.lower() in ARCHIVES:
            _ingest_archive(run, path, data, step=(n, len(files)), progress=progress)
            continue
        file_hash = run.file_hash(data)
        if run.unchanged(source, file_hash):
            continue
        try:
            loaded = load_file(path, max_bytes=max_bytes, options=options)
            parsed = parse_loaded(loaded, chunk_tokens=chunk_tokens)
        except LoadError as exc:
            report.skipped.append((str(path), exc.reason))
            continue
        report.skipped.extend((str(path), note) for note in loaded.notes)
        run.save(source, file_hash, path, parsed)
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
            max_bytes=int(settings.max_file_mb * 1024 * 1024), progress=progress, options=load_options(settings),
        )
        if prune:
            report.removed = prune_missing(store, [Path(p) for p in paths if Path(p).is_dir()])
    return report


def load_options(settings: Any) -> LoadOptions:
    """What the loaders may do, from the settings (OCR, its resolution, the converter's time limit)."""
    return LoadOptions(ocr=settings.ocr, ocr_dpi=settings.ocr_dpi, convert_timeout_s=settings.convert_timeout_s)


def _ingest_archive(
    run: _Run, path: Path, data: bytes, *, step: tuple[int, int], progress: Progress | None
) -> None:
    """Each member of a zip as if given on its own; members gone from the zip are removed."""
    from ingest.formats.archive import Member, read_archive

    if len(data) > run.options.archive_max_total_bytes:
        run.report.skipped.append((str(path), "zip larger than the unpacked-size limit"))
        return
    try:
        members = read_archive(data, path.name, run.options, supported=SUPPORTED)
    except LoadError as exc:
        run.report.skipped.append((str(path), exc.reason))
        return
    present: set[str] = set()
    for item in members:
        shown = f"{path}{item.source[len(path.name):]}"  # the zip's path, then the member's
        present.add(item.source)
        if not isinstance(item, Member):
            run.report.skipped.append((shown, item.reason))
            continue
        if progress:
            progress(*step, item.source)
        file_hash = run.file_hash(item.data)
        if run.unchanged(item.source, file_hash):
            continue
        try:
            loaded = load_bytes(item.data, item.ext, source=item.source, path=str(path), options=run.options)
            loaded.properties = {**loaded.properties, "archive": path.name, "member": item.name}
            parsed = parse_loaded(loaded, chunk_tokens=run.chunk_tokens)
        except LoadError as exc:
            run.report.skipped.append((shown, exc.reason))
            continue
        run.report.skipped.extend((shown, note) for note in loaded.notes)
        run.save(item.source, file_hash, path, parsed)
    prefix = path.name + MEMBER_SEP
    for source in sorted(s for s in run.manifest if s.startswith(prefix) and s not in present):
        run.store.delete_source(source)  # the member is no longer in the zip
        run.store.forget_file(source)


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
