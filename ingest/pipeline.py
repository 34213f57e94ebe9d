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
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.index import health as store_health
from assistant.models import MEMBER_SEP, Chunk, DocumentInfo, FileCommit, IngestReport, LoadedText
from assistant.tokens import count_tokens
from ingest.chunk import chunk_document, doc_id_for
from ingest.clean import clean_text
from ingest.load import ARCHIVES, SUPPORTED, LoadError, LoadOptions, iter_files, load_bytes, load_file
from ingest.locate import locator
from ingest.structure import parse_blocks, split_documents

if TYPE_CHECKING:
    from assistant import seams
    from assistant.index.store import Store

log = logging.getLogger(__name__)

PIPELINE_VERSION = "8"  # 2: debris dropped, document metadata; 3: chunks know their place in the user's file; 4: appendices are parts of their own, documents know the one they present; 5: pages know whom they credit; 6: doubled-glyph headlines and lone weekdays are debris; 7: a numbered heading broken over two paragraphs is one heading; 8: a subscript set on a line of its own (M2, PM2.5) stays in its sentence
Progress = Callable[[int, int, str], None]
SOURCE_SEP = "/"  # same-name files from different folders: "2023/报告.txt" beside "报告.txt"


def parse_file(
    path: Path, *, chunk_tokens: int, max_bytes: int, source: str | None = None, options: LoadOptions | None = None
) -> tuple[str, list[DocumentInfo], list[Chunk]]:
    """Parse one file into its cleaned text, documents and chunks (raises LoadError for bad input).

    `source` names the file in the knowledge base (default: its file name).
    """
    loaded = load_file(path, max_bytes=max_bytes, options=options)
    if source is not None:
        loaded.source = source
    return parse_loaded(loaded, chunk_tokens=chunk_tokens)


def parse_loaded(loaded: LoadedText, *, chunk_tokens: int) -> tuple[str, list[DocumentInfo], list[Chunk]]:
    """Clean a loaded file and cut it into documents and chunks (raises LoadError when nothing is left)."""
    clean = clean_text(loaded)
    if not any(line.strip() for line in clean.lines):
        raise LoadError("no text left after cleaning")
    fallback_title = Path(loaded.source.rsplit(MEMBER_SEP, 1)[-1].rsplit(SOURCE_SEP, 1)[-1]).stem
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
                level=span.level, kind=span.kind, period=span.period, about=span.about, credits=span.credits,
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


COMMIT_ROWS = 1024  # parsed files are committed together once they hold this many chunks (fewer, larger writes)


@dataclass
class _Run:
    """One ingest run's shared state."""

    store: seams.Store
    report: IngestReport
    records: dict[str, Any]  # the store's file records, kept up to date as this run commits
    taken: dict[str, str]  # names given in this run -> the path they were given to
    damaged: set[str]  # files whose chunks Chroma lost: parse them again
    signature: str
    chunk_tokens: int
    options: LoadOptions
    clock: _Clock
    # parsed files waiting to be committed together (one write of their chunks; see flush)
    pending: list[tuple[FileCommit, Path | None]] = field(default_factory=list)
    again: list[Path] = field(default_factory=list)  # files whose name another ingest took meanwhile

    def file_hash(self, data: bytes) -> str:
        """What decides whether a file must be parsed again: its bytes and the chunking settings."""
        return hashlib.sha256(data + self.signature.encode()).hexdigest()

    def unchanged(self, source: str, file_hash: str, where: str) -> bool:
        """Count a file whose bytes and settings are as last ingested; True when it is."""
        record = self.records.get(source)
        if record is None or record.file_hash != file_hash or source in self.damaged:
            return False
        self.report.unchanged_files += 1
        self.report.files += 1
        self.report.documents += len(record.documents)
        self.report.chunks += sum(d.chunks for d in record.documents)
        if record.path != where:
            record.path = where  # moved: same bytes, same document, new place
            self.store.commit_path(source, where)
        self.taken[source] = where
        return True

    def commit(
        self, source: str, file_hash: str, where: str, parsed: tuple[str, list[DocumentInfo], list[Chunk]],
        path: Path | None = None,
    ) -> None:
        """Queue a parsed file for commit; the queue is committed once it holds COMMIT_ROWS chunks, a larger file on
        its own (each file as a whole: readers see it old or new). `path`: the file to parse again if its name is
        taken meanwhile."""
        text, docs, chunks = parsed
        now = datetime.now(UTC).isoformat(timespec="seconds")
        for doc in docs:
            doc.ingested_at = now
        record = self.records.get(source)
        # documents the user removed stay out while the file is unchanged; a changed file brings them back
        excluded = record.excluded if record is not None and record.file_hash == file_hash else []
        if len(chunks) >= COMMIT_ROWS:
            self.flush()  # a large file is written on its own, after the smaller ones before it
        self.pending.append((FileCommit(source, file_hash, where, text, docs, chunks, excluded,
                                        force=source in self.damaged), path))
        self.taken[source] = where
        if sum(len(f.chunks) for f, _ in self.pending) >= COMMIT_ROWS:
            self.flush()

    def flush(self) -> None:
        """Commit the queued files; a file whose name another ingest took meanwhile goes to `again`."""
        batch, self.pending = self.pending, []
        if not batch:
            return
        try:
            with self.clock("write"):
                embedded, refused = self.store.commit_files([f for f, _ in batch])
        except (OSError, RuntimeError, ValueError) as exc:
            log.warning("could not commit %s", [f.source for f, _ in batch], exc_info=True)
            self.report.skipped.extend((f.path, f"{type(exc).__name__}: {exc}") for f, _ in batch)
            return
        self.report.embedded += embedded
        gone = {source: why for source, why in refused}
        for f, path in batch:
            if f.source in gone:
                self.taken.pop(f.source, None)
                if path is not None:
                    self.again.append(path)
                else:
                    self.report.skipped.append((f.path, gone[f.source]))
                continue
            out = set(f.excluded)
            kept = [d for d in f.documents if d.doc_id not in out]
            self.report.files += 1
            self.report.documents += len(kept)
            self.report.chunks += sum(d.chunks for d in kept)
            self.report.tokens += sum(c.tokens for c in f.chunks if c.doc_id not in out)
            self.records[f.source] = self.store.file_record(f.source)

    def refresh(self) -> None:
        """Read the records again (another ingest committed meanwhile)."""
        self.records.clear()
        self.records.update(self.store.files())


def ingest_paths(
    paths: Sequence[Path],
    store: Store,  # the store itself, not the seam: the repair after an ingest works under its write lock
    *,
    chunk_tokens: int,
    max_bytes: int,
    progress: Progress | None = None,
    options: LoadOptions | None = None,
) -> IngestReport:
    """Ingest files, folders and zip bundles into the store; files that cannot be ingested are listed with the reason."""
    started = time.perf_counter()
    report = IngestReport()
    files, problems = iter_files([Path(p) for p in paths])
    report.skipped.extend((str(p), reason) for p, reason in problems)
    clock = _Clock(report.timings_s)
    with clock("check"):
        found = store_health.check(store)
        checked_at = store.stamp()
    run = _Run(
        store=store, report=report, records=store.files(), taken={}, damaged=set(found.missing),
        signature=f"{PIPELINE_VERSION}|{chunk_tokens}|{store.embedder.name}", chunk_tokens=chunk_tokens,
        options=replace(options or LoadOptions(), max_bytes=max_bytes), clock=clock,
    )
    for n, path in enumerate(files):
        if progress:
            progress(n, len(files), path.name)
        try:
            _ingest_one(run, path, step=(n, len(files)), progress=progress)
        except LoadError as exc:
            report.skipped.append((str(path), exc.reason))
        except (OSError, RuntimeError, ValueError, UnicodeError) as exc:
            log.warning("skipped %s", path, exc_info=True)
            report.skipped.append((str(path), f"{type(exc).__name__}: {exc}"))
    run.flush()
    again, run.again = run.again, []
    if again:  # another ingest committed other files under their names meanwhile: look again, next free names
        run.refresh()
        for path in again:
            try:
                _ingest_one(run, path, step=(len(files), len(files)), progress=None)
            except LoadError as exc:
                report.skipped.append((str(path), exc.reason))
        run.flush()
        report.skipped.extend((str(p), "another file took its name while it was ingested; ingest it again")
                              for p in run.again)
    if progress:
        progress(len(files), len(files), "更新词汇索引")
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


def _ingest_one(run: _Run, path: Path, *, step: tuple[int, int], progress: Progress | None) -> None:
    try:
        data = path.read_bytes()
    except IsADirectoryError:
        raise LoadError("is a directory, not a file") from None
    except OSError as exc:
        raise LoadError(f"cannot read: {exc.strerror or exc}") from None
    if path.suffix.lower() in ARCHIVES:
        _ingest_archive(run, path, data, step=step, progress=progress)
        return
    file_hash = run.file_hash(data)
    plain = {s: r for s, r in run.records.items() if MEMBER_SEP not in s}
    source = source_name(path, file_hash, plain, run.taken)
    if source is None:
        run.report.skipped.append((str(path), "same content as a file already ingested in this run"))
        return
    where = _resolved(path)
    if run.unchanged(source, file_hash, where):
        return
    with run.clock("parse"):
        loaded = load_file(path, max_bytes=run.options.max_bytes, options=run.options)
        loaded.source = source
        parsed = parse_loaded(loaded, chunk_tokens=run.chunk_tokens)
    run.report.skipped.extend((str(path), note) for note in loaded.notes)
    run.commit(source, file_hash, where, parsed, path)


def _archive_name(run: _Run, path: Path, where: str) -> str:
    """The zip's name in front of its members' names: its file name, with folders when another zip took it."""
    parts = Path(where).parts
    for depth in range(1, len(parts) + 1):
        name = SOURCE_SEP.join(parts[-depth:]) if depth > 1 else path.name
        prefix = name + MEMBER_SEP
        owners = {r.path for s, r in run.records.items() if s.startswith(prefix)}
        owners |= {p for s, p in run.taken.items() if s.startswith(prefix)}
        if owners <= {where}:
            return name
    return where


def _ingest_archive(run: _Run, path: Path, data: bytes, *, step: tuple[int, int], progress: Progress | None) -> None:
    """Each member of a zip as if given on its own; members gone from the zip are removed."""
    from ingest.formats.archive import Member, read_archive

    if len(data) > run.options.archive_max_total_bytes:
        run.report.skipped.append((str(path), "zip larger than the unpacked-size limit"))
        return
    where = _resolved(path)
    name = _archive_name(run, path, where)
    members = read_archive(data, name, run.options, supported=SUPPORTED)  # LoadError: the zip is skipped
    present: set[str] = set()
    for item in members:
        shown = f"{path}{item.source[len(name):]}"  # the zip's path, then the member's
        present.add(item.source)
        if not isinstance(item, Member):
            run.report.skipped.append((shown, item.reason))
            continue
        if progress:
            progress(*step, item.source)
        file_hash = run.file_hash(item.data)
        if run.unchanged(item.source, file_hash, where):
            continue
        try:
            with run.clock("parse"):
                loaded = load_bytes(item.data, item.ext, source=item.source, path=str(path), options=run.options)
                loaded.properties = {**loaded.properties, "archive": path.name, "member": item.name}
                parsed = parse_loaded(loaded, chunk_tokens=run.chunk_tokens)
        except LoadError as exc:
            run.report.skipped.append((shown, exc.reason))
            continue
        run.report.skipped.extend((shown, note) for note in loaded.notes)
        run.commit(item.source, file_hash, where, parsed)
    prefix = name + MEMBER_SEP
    for source in sorted(s for s in list(run.records) if s.startswith(prefix) and s not in present):
        if run.store.remove_file(source):  # the member is no longer in the zip
            run.records.pop(source, None)


def load_options(settings: Any) -> LoadOptions:
    """What the loaders may do, from the settings (OCR, its resolution, the converter's time limit)."""
    return LoadOptions(ocr=settings.ocr, ocr_dpi=settings.ocr_dpi, convert_timeout_s=settings.convert_timeout_s)


def ingest_into(
    assistant: Any, paths: Sequence[Path], *, progress: Progress | None = None, prune: bool = False
) -> IngestReport:
    """Ingest files/folders into an assistant's knowledge base (unchanged files cost nothing)."""
    settings = assistant.settings
    store = assistant.store
    report = ingest_paths(
        [Path(p) for p in paths], store, chunk_tokens=settings.chunk_tokens,
        max_bytes=int(settings.max_file_mb * 1024 * 1024), progress=progress, options=load_options(settings),
    )
    if prune:
        report.removed = prune_missing(store, [Path(p) for p in paths if Path(p).is_dir()])
    return report


def prune_missing(store: seams.Store, roots: Sequence[Path]) -> list[str]:
    """Remove sources whose files under the given roots no longer exist (a zip's members with the zip)."""
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
