"""Writing: one writer at a time (a lock file, or a lease in the Chroma server), and the commit protocol.

A file is replaced as a whole: its chunks are written first (invisible), then its record is committed
(readers now see it), then what the old record listed and the new one does not is deleted. The version
is bumped before the first change and after the last, so readers in any process look again.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

from assistant.index.base import SourceNameTakenError, StoreBase, chroma_call
from assistant.index.catalog import FileRecord
from assistant.index.lexical import TermCounts, count_terms
from assistant.index.rows import check_source_name, chunk_metadata, indexed_text
from assistant.models import Chunk, DocumentInfo, FileCommit

log = logging.getLogger(__name__)

WRITE_ROWS = 1024  # rows per Chroma write: 2,559 rows cost 4.2 CPU-s written 256 at a time, 3.0 s 1,000 at a time


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class StoreWriter(StoreBase):
    """The writing side of `Store`: the write lock, chunks in and out, files committed and removed."""

    @contextlib.contextmanager
    def writing(self) -> Iterator[None]:
        """Hold the knowledge base's write lock (one writer across threads, processes and replicas).

        The version is bumped before the first change (so anyone who wrote anything bumped it) and
        after the last (the commit); a writing session that changed nothing leaves it alone.
        """
        depth = getattr(self._writing, "depth", 0)
        if depth:
            self._writing.depth = depth + 1
            try:
                yield
            finally:
                self._writing.depth -= 1
            return
        with self._lock_for_writing().hold():
            self._writing.depth = 1
            self._writing.dirty = False
            try:
                self._catch_up()
                with self._conn.using():
                    try:
                        yield
                    finally:
                        if self._writing.dirty:
                            self._bump()
            finally:
                self._writing.depth = 0
                self._writing.dirty = False

    def _catch_up(self) -> None:
        """A local store written by another process since we opened it is reopened before we write."""
        if not self._conn.is_local:
            return
        stamp = self.stamp()
        known = self._conn.known_stamp()
        if known is not None and known != stamp:
            log.info("local store written by another process: reopening it")
            self._conn.reopen(stamp, wait=True)
        else:
            self._conn.note_stamp(stamp)

    def _changing(self) -> None:
        """Called before each change inside `writing()`: the first one bumps the version."""
        if not getattr(self._writing, "dirty", False):
            self._bump()
            self._writing.dirty = True

    def _bump(self) -> None:
        stamp = self._catalog().bump()
        self._conn.note_stamp(stamp)
        with self._lock:
            self._checked = 0.0  # our own write: readers in this process look again at once

    @chroma_call
    def upsert_chunks(self, chunks: list[Chunk], *, meanwhile: Callable[[], object] | None = None) -> int:
        """Write chunks to Chroma (invisible until a file record lists them); returns how many were embedded.

        Embeddings are computed a batch ahead of the writes, in another thread (for the bundled model,
        in worker processes), and `meanwhile` runs while the first batch is embedded.
        """
        latest = {c.id: c for c in chunks}  # a repeated id: the last one wins
        with self.writing():
            stored = {c.id: c for c in self.get_chunks(list(latest))} if latest else {}
            changed = [c for c in latest.values() if stored.get(c.id) != c]
            if not changed:
                if meanwhile is not None:
                    meanwhile()
                return 0
            misses_before = getattr(self.embedder, "misses", None)
            self._changing()
            col = self._collection()
            step = max(self._batch, 1)
            batches = [changed[i : i + step] for i in range(0, len(changed), step)]
            depth = _embedding_depth(self.embedder)
            with ThreadPoolExecutor(depth, thread_name_prefix="embed") as ahead:
                futures = [
                    ahead.submit(self.embedder.embed_documents, [indexed_text(c) for c in b]) for b in batches[:depth]
                ]
                if meanwhile is not None:
                    meanwhile()
                rows: list[Chunk] = []
                vectors: list[list[float]] = []
                group = max(step, min(WRITE_ROWS, self._max_write))
                for n, part in enumerate(batches):
                    if n + depth < len(batches):
                        texts = [indexed_text(c) for c in batches[n + depth]]
                        futures.append(ahead.submit(self.embedder.embed_documents, texts))
                    rows += part
                    vectors += futures[n].result()
                    if len(rows) >= group or n == len(batches) - 1:  # Chroma writes fewer, larger batches faster
                        col.upsert(
                            ids=[c.id for c in rows], embeddings=vectors, documents=[c.text for c in rows],
                            metadatas=[chunk_metadata(c) for c in rows],
                        )
                        rows, vectors = [], []
        if misses_before is not None:
            return int(self.embedder.misses) - int(misses_before)  # type: ignore[attr-defined]
        return len(changed)

    @chroma_call
    def rewrite_vectors(self, ids: Sequence[str]) -> int:
        """Write stored chunks again with their vectors (the index lost them); returns how many."""
        n = 0
        with self.writing():
            self._changing()
            col = self._collection()
            for i in range(0, len(ids), self._batch):
                part = self.get_chunks(ids[i : i + self._batch])
                if part:
                    vectors = self.embedder.embed_documents([indexed_text(c) for c in part])
                    col.upsert(ids=[c.id for c in part], embeddings=vectors, documents=[c.text for c in part],
                               metadatas=[chunk_metadata(c) for c in part])
                    n += len(part)
        return n

    @chroma_call
    def delete_ids(self, ids: set[str] | list[str]) -> None:
        """Remove chunks by id."""
        todo = sorted(ids)
        if not todo:
            return
        with self.writing():
            self._changing()
            col = self._collection()
            for i in range(0, len(todo), self._batch):
                col.delete(ids=todo[i : i + self._batch])

    @chroma_call
    def commit_file(
        self,
        source: str,
        *,
        file_hash: str,
        path: str,
        text: str,
        documents: list[DocumentInfo],
        chunks: list[Chunk],
        excluded: Sequence[str] = (),
        force: bool = False,
    ) -> int:
        """Replace one file in the knowledge base as a whole; returns how many chunks were embedded.

        Chunks first (invisible), then the record (the commit), then what the old record listed
        and the new one does not. `excluded` doc ids (removed by the user) are left out. `force`
        rewrites chunks even when Chroma holds them unchanged (a repair).
        """
        one = FileCommit(source, file_hash, path, text, documents, chunks, tuple(excluded), force)
        embedded, refused = self.commit_files([one])
        if refused:
            raise SourceNameTakenError(refused[0][1])
        return embedded

    @chroma_call
    def commit_files(self, files: Sequence[FileCommit]) -> tuple[int, list[tuple[str, str]]]:
        """Replace several files, each as a whole, with one write of all their chunks (a write to Chroma costs
        more the larger the collection, whatever it holds: 160 ms at 33,000 chunks). Returns how many chunks
        were embedded and the files refused, (source, why), because another file has that name meanwhile.

        The order per file is commit_file's: its chunks (invisible until listed), then its record, then what
        its old record listed and the new one does not; a file's record is written only after all chunks are.
        """
        refused: list[tuple[str, str]] = []
        todo: list[tuple[FileCommit, FileRecord | None, list[Chunk], list[str]]] = []
        with self.writing():
            catalog = self._catalog()
            for f in files:
                check_source_name(f.source)
                old = catalog.file(f.source)
                if old is not None and old.path != f.path and old.file_hash != f.file_hash:
                    refused.append((f.source, f"{f.source!r} is the name of another file: {old.path}"))
                    continue
                keep_out = set(f.excluded)
                chunks = [c for c in f.chunks if c.doc_id not in keep_out]
                todo.append((f, old, chunks, list(dict.fromkeys(c.id for c in chunks))))
            if not todo:
                return 0, refused
            forced = [c.id for f, _, chunks, _ in todo if f.force for c in chunks]
            if forced:
                self.delete_ids(forced)
            latest = {c.id: c for _, _, chunks, _ in todo for c in chunks}
            counted: list[TermCounts] = []
            # while the chunks are embedded: their term counts, so the lexical index never tokenises them again
            embedded = self.upsert_chunks(
                [c for _, _, chunks, _ in todo for c in chunks],
                meanwhile=lambda: counted.extend(count_terms(indexed_text(latest[i]) for i in ids) for *_, ids in todo),
            )
            self._changing()
            stale: set[str] = set()
            for (f, old, _, ids), terms in zip(todo, counted, strict=True):
                keep_out = set(f.excluded)
                key, parts = catalog.put_text(f.source, f.text)
                record = FileRecord(
                    source=f.source, file_hash=f.file_hash, path=f.path, ingested_at=_now(),
                    documents=[d for d in f.documents if d.doc_id not in keep_out], chunk_ids=ids, text_key=key,
                    text_parts=parts, excluded=sorted(keep_out),
                )
                catalog.put_file(record)
                try:
                    self.cache.save_source(f.source, record.signature(), [latest[i] for i in ids], terms)
                    self.cache.save_text(key, f.text)  # a question's citations read it without Chroma
                except OSError as exc:
                    log.warning("could not cache %s's terms: %s", f.source, exc)
                # what the old record listed and the new one does not; chunks of an ingest killed before
                # its commit are listed by no record: the repair at the end of an ingest deletes those
                stale |= (set(old.chunk_ids) if old else set()) - set(ids)
                if old and old.text_key != key:
                    catalog.delete_text(old.text_key, old.text_parts)
            self.delete_ids(stale - set(latest))
        return embedded, refused

    @chroma_call
    def delete_unlisted_texts(self) -> int:
        """Delete saved texts no file record points at; returns how many parts."""
        with self.writing():
            catalog = self._catalog()
            ids = catalog.unlisted_texts(catalog.files())
            if ids:
                self._changing()
                catalog.delete_ids(ids)
        return len(ids)

    @chroma_call
    def commit_path(self, source: str, path: str) -> None:
        """Record that a file (same bytes) now lives at another path."""
        with self.writing():
            catalog = self._catalog()
            record = catalog.file(source)
            if record is not None and record.path != path:
                record.path = path
                self._changing()
                catalog.put_file(record)

    @chroma_call
    def remove_file(self, source: str) -> bool:
        """Remove a file: its record first (readers stop seeing it), then its chunks and text."""
        with self.writing():
            catalog = self._catalog()
            old = catalog.file(source)
            if old is None:
                return False
            self._changing()
            catalog.delete_file(source)
            self.delete_ids(set(old.chunk_ids))
            catalog.delete_text(old.text_key, old.text_parts)
        return True

    def delete_source(self, source: str) -> int:
        """Remove a file; returns how many chunks it had (the earlier name of `remove_file`)."""
        record = self.file_record(source)
        return len(record.chunk_ids) if record is not None and self.remove_file(source) else 0

    @chroma_call
    def remove_document(self, doc_id: str) -> DocumentInfo | None:
        """Remove one document of a file; the record remembers it, so an unchanged re-ingest keeps it out."""
        with self.writing():
            catalog = self._catalog()
            for source, record in catalog.files().items():
                doc = next((d for d in record.documents if d.doc_id == doc_id), None)
                if doc is None:
                    continue
                full = catalog.file(source)
                assert full is not None
                gone = {c.id for c in self.get_chunks(full.chunk_ids) if c.doc_id == doc_id}
                full.documents = [d for d in full.documents if d.doc_id != doc_id]
                full.chunk_ids = [i for i in full.chunk_ids if i not in gone]
                full.excluded = sorted({*full.excluded, doc_id})
                self._changing()
                catalog.put_file(full)
                self.delete_ids(gone)
                return doc
        return None


def _embedding_depth(embedder: object) -> int:
    """How many write batches are embedded at once: two when the embedder spreads a batch over worker processes
    (one batch's tail then never leaves a worker idle), else one (a remote endpoint has its own concurrency)."""
    inner = getattr(embedder, "inner", embedder)
    return 2 if int(getattr(inner, "workers", 1) or 1) > 1 else 1
