"""The knowledge base: chunks and the catalog in Chroma (local or a server), a local cache of what readers see.

What lives where:
- Chroma collection `<collection>`: chunks with their embeddings, texts and metadata.
- Chroma collection `<collection>__catalog`: one record per file (the manifest; its commit point),
  the cleaned texts, and the version counter (see catalog.py).
- the data directory: caches only (the visible chunks and the lexical index per version, the
  embedding cache) and, for a local store, the Chroma files and the write lock.

Writers take the write lock (a lock file, or a lease in the Chroma server), write a file's chunks,
commit its record, delete what the record no longer lists, and bump the version. Readers see the
chunks the committed records list, so a file is seen whole, old or new.
"""

from __future__ import annotations

import contextlib
import functools
import json
import logging
import os
import random
import shutil
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from assistant.index.catalog import Catalog, FileRecord, document_info
from assistant.index.chroma import ChromaConnection
from assistant.index.lexical import LexicalIndex, TermCounts, count_terms
from assistant.index.locks import ChromaLease, FileWriteLock, WriteLock
from assistant.index.snapshot import Snapshot, SnapshotCache, combined_fingerprint
from assistant.models import Chunk, DocumentInfo, Location

if TYPE_CHECKING:
    from assistant.config import Settings
    from assistant.index.embed import Embedder

log = logging.getLogger(__name__)
T = TypeVar("T")

_BATCH = 256
_PAGE = 1000
BACKGROUND_ABOVE = 20_000  # chunks: a view this large is rebuilt in the background when others wrote
_TEXTS_KEPT = 32


class EmbedderMismatchError(ValueError):
    """The collection was built with a different embedding model than the one configured."""


class SourceNameTakenError(ValueError):
    """Another file (other path, other bytes) was committed under this source name meanwhile."""


def _index_text(chunk: Chunk) -> str:
    return chunk.index_text or chunk.text


def _metadata(chunk: Chunk) -> dict[str, Any]:
    meta: dict[str, Any] = {
        "source": chunk.source,
        "doc_id": chunk.doc_id,
        "title": chunk.title,
        "section": json.dumps(chunk.section, ensure_ascii=False),
        "line_start": chunk.line_start,
        "line_end": chunk.line_end,
        "kind": chunk.kind,
        "index_text": chunk.index_text,
        "tokens": chunk.tokens,
    }
    # Chroma metadata cannot hold None: absent means None
    if chunk.year is not None:
        meta["year"] = chunk.year
    if chunk.page is not None:
        meta["page"] = chunk.page
    if chunk.location is not None:
        meta["location"] = json.dumps(
            {k: v for k, v in asdict(chunk.location).items() if v is not None}, ensure_ascii=False
        )
    return meta


def _chunk(id_: str, document: str | None, meta: dict[str, Any]) -> Chunk:
    return Chunk(
        id=id_,
        source=str(meta["source"]),
        doc_id=str(meta["doc_id"]),
        title=str(meta["title"]),
        section=list(json.loads(str(meta["section"]))),
        text=document or "",
        line_start=int(meta["line_start"]),
        line_end=int(meta["line_end"]),
        kind=meta.get("kind", "text"),
        index_text=str(meta.get("index_text", "")),
        tokens=int(meta.get("tokens", 0)),
        year=int(meta["year"]) if meta.get("year") is not None else None,
        page=int(meta["page"]) if meta.get("page") is not None else None,
        location=Location.from_dict(json.loads(str(meta["location"]))) if meta.get("location") else None,
    )


def _chroma_call(method: Callable[..., T]) -> Callable[..., T]:
    """Run a Store method holding the Chroma client (a reopen of a local store waits for it)."""

    @functools.wraps(method)
    def wrapper(self: Store, *args: Any, **kwargs: Any) -> T:
        with self._conn.using():
            return method(self, *args, **kwargs)

    return wrapper


def _check_source_name(source: str) -> str:
    """A source name is stored and shown, never used as a path: any file name goes (`a.zip›dir›b.docx`,
    `x\\y.txt`, even one holding terminal codes, which every display strips); not an empty one, nor one
    with a NUL or a line break (one name, one line)."""
    if not source or not source.strip() or any(c in source for c in "\x00\n\r"):
        raise ValueError(f"not a usable source name: {source!r}")
    return source


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class Store:
    """Chunks with their embeddings and the catalog in Chroma, and the local cache readers search.

    Nothing is opened until first use. `version()` changes with every write, in any process or replica.
    """

    def __init__(self, settings: Settings, embedder: Embedder, *, recheck_s: float = 1.0) -> None:
        self.settings = settings
        self.embedder = embedder
        self.data_dir = Path(settings.data_dir)
        self.recheck_s = recheck_s  # how often readers ask Chroma whether the version moved
        self.cache = SnapshotCache(self.data_dir / "index" / settings.collection)
        if settings.chroma_host:
            self._conn = ChromaConnection(host=settings.chroma_host, port=settings.chroma_port)
        else:
            self._conn = ChromaConnection(path=self.data_dir / "chroma")
        self._lock = threading.RLock()  # this object's state
        self._write_lock: WriteLock | None = None
        self._writing = threading.local()
        self._cols: tuple[int, Any, Any] | None = None  # (client generation, chunks, catalog)
        self._batch = _BATCH
        self._snap: Snapshot | None = None
        self._checked = 0.0  # when the version was last compared with the snapshot's
        self._rebuilt = False  # the last look at the version rebuilt the view (not loaded it)
        self._refreshing: threading.Thread | None = None
        self._texts: dict[str, str] = {}  # cleaned texts by key, a few kept (neighbour merging reads them per query)

    # --- Chroma -------------------------------------------------------------------------------

    def _open(self) -> tuple[Any, Any]:
        with self._lock:
            client, generation = self._conn.client()
            if self._cols is None or self._cols[0] != generation:
                col = self._chunk_collection(client)
                catalog = client.get_or_create_collection(
                    f"{self.settings.collection}__catalog", embedding_function=None
                )
                self._batch = max(1, min(_BATCH, client.get_max_batch_size()))
                self._cols = (generation, col, catalog)
                if self._conn.is_local and (self.data_dir / "manifest.json").exists():
                    self._migrate_legacy(col, Catalog(catalog))
            return self._cols[1], self._cols[2]

    def _migrate_legacy(self, col: Any, catalog: Catalog) -> None:
        """A data directory of schema 1 (manifest.json and sources/ beside Chroma): its files become records."""
        legacy = self.data_dir / "manifest.json"
        with self._lock_for_writing().hold():
            if not legacy.exists() or catalog.files():
                return
            try:
                manifest = json.loads(legacy.read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                log.warning("%s is unreadable (%s): ingest the files again to list them", legacy, exc)
                manifest = {}
            for source, entry in manifest.items():
                ids = col.get(where={"source": source}, include=[])["ids"]
                text_path = self.data_dir / "sources" / f"{source}.txt"
                text = text_path.read_text(encoding="utf-8") if text_path.exists() else ""
                key, parts = catalog.put_text(source, text)
                docs = [d for d in entry.get("documents", [])]
                catalog.put_file(FileRecord(
                    source=source, file_hash=str(entry.get("file_hash", "")), path=str(entry.get("path", "")),
                    ingested_at=str(entry.get("ingested_at", "")), documents=[document_info(d) for d in docs],
                    chunk_ids=list(ids), text_key=key, text_parts=parts,
                ))
            self._conn.note_stamp(catalog.bump())
            os.replace(legacy, legacy.with_name("manifest.json.migrated"))
            for old in ("sources", "lexical"):  # now in the catalog, and a cache of the old layout
                shutil.rmtree(self.data_dir / old, ignore_errors=True)
            log.info("moved %d files of %s into the store's catalog", len(manifest), legacy)

    def _chunk_collection(self, client: Any) -> Any:
        name = self.settings.collection
        try:
            col = client.get_collection(name, embedding_function=None)
        except Exception:  # noqa: BLE001 - chroma raises NotFoundError or ValueError by version
            col = client.get_or_create_collection(
                name, embedding_function=None, schema=_chunk_schema(), metadata={"embedder": self.embedder.name}
            )
        built_with = (col.metadata or {}).get("embedder")
        if built_with and built_with != self.embedder.name and col.count() > 0:
            raise EmbedderMismatchError(
                f"collection {name!r} was built with embedder {built_with!r}, "
                f"not {self.embedder.name!r}: re-ingest into a new collection or data directory"
            )
        return col

    def _collection(self) -> Any:
        return self._open()[0]

    def close(self) -> None:
        """Let go of Chroma (a local store is saved and closed in this process; reopened on next use)."""
        with self._lock:
            self._cols = None
        self._conn.close()

    def _catalog(self) -> Catalog:
        return Catalog(self._open()[1])

    @_chroma_call
    def collection_id(self) -> str:
        """Identity of the chunk collection (a recreated collection is another one)."""
        return str(self._collection().id)

    @_chroma_call
    def stamp(self) -> tuple[int, str]:
        """The store version as (counter, nonce)."""
        return self._catalog().stamp()

    def version(self) -> int:
        """A counter every write bumps, in any process or replica: the version `cached_chunks()` reflects.

        Key caches of anything computed from the chunks on it (it is checked against Chroma at most
        every `recheck_s`, so calling it per request is cheap).
        """
        return self.snapshot().stamp[0]

    def derived(self, name: str, build: Callable[[list[Chunk]], T]) -> T:
        """A value computed from the visible chunks, kept in memory and on disk until the version moves."""
        snap = self.snapshot()
        if name in snap.derived:
            return snap.derived[name]
        value = self.cache.load_derived(name, snap)
        if value is None:
            value = build(list(snap.chunks.values()))
            try:
                self.cache.save_derived(name, snap, value)
            except OSError as exc:
                log.warning("could not save %s in %s: %s", name, self.cache.dir, exc)
        snap.derived[name] = value
        return value

    @_chroma_call
    def count(self) -> int:
        """Number of chunks in Chroma (visible or not)."""
        return int(self._collection().count())

    def _get(self, **kwargs: Any) -> list[Chunk]:
        res = self._collection().get(include=["documents", "metadatas"], **kwargs)
        return [
            _chunk(i, d, m or {})
            for i, d, m in zip(res["ids"], res["documents"], res["metadatas"], strict=True)
        ]

    @_chroma_call
    def get_chunks(self, ids: Sequence[str]) -> list[Chunk]:
        """The chunks with these ids as stored in Chroma, in the order asked (unknown ids are skipped)."""
        found: dict[str, Chunk] = {}
        unique = list(dict.fromkeys(ids))
        for i in range(0, len(unique), self._batch):
            found.update((c.id, c) for c in self._get(ids=unique[i : i + self._batch]))
        return [found[i] for i in unique if i in found]

    @_chroma_call
    def all_chunks(self) -> list[Chunk]:
        """Every chunk in Chroma (visible or not), ordered by source and line."""
        col = self._collection()
        out: list[Chunk] = []
        total = col.count()
        for offset in range(0, total, _PAGE):
            out.extend(self._get(limit=_PAGE, offset=offset))
        out.sort(key=lambda c: (c.source, c.line_start, c.line_end, c.id))
        return out

    @_chroma_call
    def all_ids(self) -> set[str]:
        """Ids of every chunk in Chroma."""
        col = self._collection()
        out: set[str] = set()
        total = col.count()
        for offset in range(0, total, 10 * _PAGE):
            out.update(col.get(include=[], limit=10 * _PAGE, offset=offset)["ids"])
        return out

    @_chroma_call
    @_chroma_call
    def reachable_ids(self, n: int) -> set[str]:
        """Ids an exhaustive dense search returns (a chunk whose vector the index lost is absent)."""
        dim = self.embedder.dim
        res = self._collection().query(query_embeddings=[[1.0] + [0.0] * (dim - 1)], n_results=n, include=[])
        return set(res["ids"][0])

    @_chroma_call
    def sample_ids(self, n: int, records: dict[str, FileRecord] | None = None) -> list[str]:
        """About `n` chunk ids that file records list, from a few random files."""
        catalog = self._catalog()
        sources = list(records if records is not None else catalog.files())
        out: list[str] = []
        for source in random.sample(sources, min(4, len(sources))):
            record = catalog.file(source)
            if record is not None and record.chunk_ids:
                out += random.sample(record.chunk_ids, min(max(1, n // 4), len(record.chunk_ids)))
        return out

    @_chroma_call
    def has_vectors(self, ids: Sequence[str]) -> bool:
        """Whether the vector index holds the vectors of all these chunks."""
        if not ids:
            return True
        try:
            res = self._collection().get(ids=list(ids), include=["embeddings"])
        except Exception:  # noqa: BLE001 - chroma fails the whole get when the vector index lacks an id
            return False
        embeddings = res.get("embeddings")
        return embeddings is not None and len(embeddings) == len(set(ids))

    def ids_for_source(self, source: str) -> set[str]:
        """Ids of every chunk in Chroma from one source file."""
        res = self._collection().get(where={"source": source}, include=[])
        return set(res["ids"])

    def dense_search(
        self, query: str, k: int, *, where: dict[str, Any] | None = None
    ) -> list[tuple[Chunk, float]]:
        """Nearest visible chunks by embedding; score is cosine similarity (higher is closer)."""
        if k <= 0:
            return []
        snap = self.snapshot()
        if not snap.chunks:
            return []
        vector = self.embedder.embed_query(query)
        with self._conn.using():
            res = self._collection().query(
                query_embeddings=[vector],
                n_results=k + 8,  # a few spare for chunks written but not (or no longer) committed
                where=where,
                include=["distances"],
            )
        hits = [(snap.chunks.get(i), 1.0 - float(d)) for i, d in zip(res["ids"][0], res["distances"][0], strict=True)]
        return [(c, s) for c, s in hits if c is not None][:k]

    # --- writing ------------------------------------------------------------------------------

    def _lock_for_writing(self) -> WriteLock:
        with self._lock:
            if self._write_lock is None:
                if self._conn.is_local:
                    self._write_lock = FileWriteLock(self.data_dir / "write.lock")
                else:
                    client, _ = self._conn.client()
                    self._write_lock = ChromaLease(client, f"{self.settings.collection}__lock")
            return self._write_lock

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

    @_chroma_call
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
            with ThreadPoolExecutor(1, thread_name_prefix="embed") as ahead:
                futures = [ahead.submit(self.embedder.embed_documents, [_index_text(c) for c in batches[0]])]
                if meanwhile is not None:
                    meanwhile()
                for n, part in enumerate(batches):
                    if n + 1 < len(batches):
                        texts = [_index_text(c) for c in batches[n + 1]]
                        futures.append(ahead.submit(self.embedder.embed_documents, texts))
                    col.upsert(
                        ids=[c.id for c in part],
                        embeddings=futures[n].result(),
                        documents=[c.text for c in part],
                        metadatas=[_metadata(c) for c in part],
                    )
        if misses_before is not None:
            return int(self.embedder.misses) - int(misses_before)  # type: ignore[attr-defined]
        return len(changed)

    @_chroma_call
    def rewrite_vectors(self, ids: Sequence[str]) -> int:
        """Write stored chunks again with their vectors (the index lost them); returns how many."""
        n = 0
        with self.writing():
            self._changing()
            col = self._collection()
            for i in range(0, len(ids), self._batch):
                part = self.get_chunks(ids[i : i + self._batch])
                if part:
                    vectors = self.embedder.embed_documents([_index_text(c) for c in part])
                    col.upsert(ids=[c.id for c in part], embeddings=vectors, documents=[c.text for c in part],
                               metadatas=[_metadata(c) for c in part])
                    n += len(part)
        return n

    @_chroma_call
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

    @_chroma_call
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
        _check_source_name(source)
        keep_out = set(excluded)
        chunks = [c for c in chunks if c.doc_id not in keep_out]
        documents = [d for d in documents if d.doc_id not in keep_out]
        with self.writing():
            catalog = self._catalog()
            old = catalog.file(source)
            if old is not None and old.path != path and old.file_hash != file_hash:
                raise SourceNameTakenError(f"{source!r} is the name of another file: {old.path}")
            if force:
                self.delete_ids([c.id for c in chunks])
            latest = {c.id: c for c in chunks}
            ids = list(dict.fromkeys(c.id for c in chunks))
            counted: list[TermCounts] = []
            # while the chunks are embedded: their term counts, so the lexical index never tokenises them again
            embedded = self.upsert_chunks(
                chunks, meanwhile=lambda: counted.append(count_terms(_index_text(latest[i]) for i in ids))
            )
            self._changing()
            key, parts = catalog.put_text(source, text)
            record = FileRecord(
                source=source, file_hash=file_hash, path=path, ingested_at=_now(), documents=documents,
                chunk_ids=ids, text_key=key, text_parts=parts, excluded=sorted(keep_out),
            )
            catalog.put_file(record)
            try:
                self.cache.save_source(source, record.signature(), [latest[i] for i in ids], counted[0])
            except OSError as exc:
                log.warning("could not cache %s's terms: %s", source, exc)
            # what the old record listed and the new one does not; chunks of an ingest killed before
            # its commit are listed by no record: the repair at the end of an ingest deletes those
            self.delete_ids((set(old.chunk_ids) if old else set()) - set(ids))
            if old and old.text_key != key:
                catalog.delete_text(old.text_key, old.text_parts)
        return embedded

    @_chroma_call
    def delete_unlisted_texts(self) -> int:
        """Delete saved texts no file record points at; returns how many parts."""
        with self.writing():
            catalog = self._catalog()
            ids = catalog.unlisted_texts(catalog.files())
            if ids:
                self._changing()
                catalog.delete_ids(ids)
        return len(ids)

    @_chroma_call
    def commit_path(self, source: str, path: str) -> None:
        """Record that a file (same bytes) now lives at another path."""
        with self.writing():
            catalog = self._catalog()
            record = catalog.file(source)
            if record is not None and record.path != path:
                record.path = path
                self._changing()
                catalog.put_file(record)

    @_chroma_call
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

    @_chroma_call
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

    # --- catalog ------------------------------------------------------------------------------

    @_chroma_call
    def files(self, *, with_chunks: bool = False) -> dict[str, FileRecord]:
        """Every ingested file's record (chunk id lists only when asked: they are the bulk)."""
        return self._catalog().files(with_chunks=with_chunks)

    @_chroma_call
    def file_record(self, source: str) -> FileRecord | None:
        """One file's record, or None."""
        return self._catalog().file(source)

    def read_manifest(self) -> dict[str, dict[str, Any]]:
        """Ingested files: source name -> {file_hash, path, ingested_at, documents, excluded}."""
        return {s: r.manifest_entry() for s, r in self.files().items()}

    def documents(self) -> list[DocumentInfo]:
        """Every document in the knowledge base."""
        return [d for r in self.files().values() for d in r.documents]

    @_chroma_call
    def source_text(self, source: str) -> str | None:
        """The cleaned text of a source file (as shown and cited by line), or None."""
        snap = self._snap
        record = snap.records.get(source) if snap is not None else None
        if record is not None and record.text_key in self._texts:
            return self._texts[record.text_key]
        catalog = self._catalog()
        text = catalog.text(record.text_key, record.text_parts) if record is not None else None
        if text is None:
            record = catalog.file(source)  # the view is older than the file
            text = catalog.text(record.text_key, record.text_parts) if record else None
        if text is not None and record is not None:
            with self._lock:
                while len(self._texts) >= _TEXTS_KEPT:
                    self._texts.pop(next(iter(self._texts)))
                self._texts[record.text_key] = text
        return text

    # --- what readers see -----------------------------------------------------------------------

    def snapshot(self, *, wait: bool = False) -> Snapshot:
        """The current consistent view (rechecked against the store version at most every `recheck_s`).

        A large view that another process or replica changed is rebuilt in the background while
        the old one keeps serving (readers see the old state, then the new); `wait` rebuilds now.
        """
        while True:
            with self._lock:
                now = time.monotonic()
                if self._snap is not None and not wait and now - self._checked < self.recheck_s:
                    return self._snap
                running = self._refreshing
                if running is None:
                    return self._look(wait)
                if self._snap is not None and not wait:
                    return self._snap
            running.join()  # outside the lock: the refresh takes it to swap the view in

    def _look(self, wait: bool) -> Snapshot:
        """Compare the version with the view's and bring the view up to it (called holding the lock)."""
        stamp = self.stamp()
        self._checked = time.monotonic()
        if self._snap is not None and self._snap.stamp == stamp:
            return self._snap
        self._reopen_if_stale(stamp)
        col_id = self.collection_id()
        if self._snap is None:
            self._snap = self.cache.load(col_id, stamp)
            if self._snap is not None:
                return self._snap
        if self._snap is not None and not wait and len(self._snap.chunks) > BACKGROUND_ABOVE:
            self._refreshing = threading.Thread(
                target=self._refresh_in_background, args=(self._snap, col_id), name="store-refresh", daemon=True
            )
            self._refreshing.start()
            return self._snap
        self._snap = self._refresh(self._snap, col_id)
        self._checked = time.monotonic()
        return self._snap

    def _refresh_in_background(self, base: Snapshot, col_id: str) -> None:
        try:
            snap = self._refresh(base, col_id)
            with self._lock:
                if self._snap is base:
                    self._snap = snap
        except Exception:  # the old view keeps serving; the next look tries again
            log.exception("refreshing the local index view failed")
        finally:
            with self._lock:
                self._refreshing = None
                self._checked = 0.0

    def _reopen_if_stale(self, stamp: tuple[int, str]) -> None:
        """A reader of a local store reopens it to see vectors another process wrote (never mid-write)."""
        if not self._conn.is_local or int(getattr(self._writing, "depth", 0)):
            return
        known = self._conn.known_stamp()
        if known is None:
            self._conn.note_stamp(stamp)
        elif known != stamp:
            self._conn.reopen(stamp, wait=False)  # busy: dense search lags a little, tried again next time

    @_chroma_call
    def _refresh(self, base: Snapshot | None, col_id: str) -> Snapshot:
        """Bring the view up to the store's version, fetching only files whose records changed."""
        catalog = self._catalog()
        for _attempt in range(5):
            stamp = catalog.stamp()
            records = catalog.files(with_chunks=True)
            signatures = {s: r.signature() for s, r in records.items()}
            chunks: dict[str, Chunk] = {}
            by_source: dict[str, list[str]] = {}
            parts: list[tuple[list[str], TermCounts]] = []
            fresh: dict[str, tuple[list[Chunk], TermCounts]] = {}
            torn = False
            for source in sorted(records):
                record, sig = records[source], signatures[source]
                mine: list[Chunk] | None = None
                if base is not None and base.signatures.get(source) == sig:
                    mine = [base.chunks[i] for i in base.by_source.get(source, []) if i in base.chunks]
                if mine is None:
                    mine = self.cache.load_chunks(source, sig)
                counts = self.cache.load_counts(source, sig) if mine is not None else None
                if mine is None or counts is None:
                    mine = self.get_chunks(record.chunk_ids)
                    if len(mine) != len(set(record.chunk_ids)):
                        torn = True  # a writer replaced this file meanwhile, or chunks were lost
                    counts = count_terms(_index_text(c) for c in mine)
                    fresh[source] = (mine, counts)
                by_source[source] = [c.id for c in mine]
                chunks.update((c.id, c) for c in mine)
                parts.append((by_source[source], counts))
            if catalog.stamp() == stamp or not torn:
                break
        ids = [i for ids_, _ in parts for i in ids_]
        if base is not None and not fresh and signatures == base.signatures:
            # the version moved but no file changed (a write that changed nothing visible): same view
            snap = Snapshot(stamp, col_id, base.records, signatures, base.chunks, base.lexical, base.by_source,
                            dict(base.derived))
            self._save_meta(snap)
            return snap
        if len(ids) != len(set(ids)):
            # two files list one chunk id (should not happen): keep the first, count terms afresh
            seen: set[str] = set()

            def first_seen(i: str) -> bool:
                new = i not in seen
                seen.add(i)
                return new

            parts = [([i for i in ids_ if first_seen(i)], c) for ids_, c in parts]
            ids = [i for ids_, _ in parts for i in ids_]
            lexical = LexicalIndex.build((i, _index_text(chunks[i])) for i in ids)
        else:
            lexical = LexicalIndex.from_counts(ids, [c for _, c in parts], combined_fingerprint(signatures))
        for record in records.values():
            record.chunk_ids = []
        snap = Snapshot(stamp, col_id, records, signatures, chunks, lexical, by_source)
        self._rebuilt = True
        try:
            self.cache.save(snap, fresh)
        except OSError as exc:
            log.warning("could not save the local index cache in %s: %s", self.cache.dir, exc)
        return snap

    def _save_meta(self, snap: Snapshot) -> None:
        try:
            self.cache.save(snap, {}, lexical=False)
        except OSError as exc:
            log.warning("could not save the local index cache in %s: %s", self.cache.dir, exc)

    def sync_lexical(self) -> bool:
        """Bring the local view in step with the store now; returns True when anything was rebuilt.

        A process without a view in memory whose saved view is current leaves it on disk (an
        unchanged re-ingest of a large collection need not load it).
        """
        with self._lock:
            if self._snap is None and self.cache.reflects(self.collection_id(), self.stamp()):
                return False
            self._checked = 0.0
            self._rebuilt = False
            self.snapshot(wait=True)
            return self._rebuilt

    def lexical_search(
        self, query: str, k: int, *, allowed_ids: set[str] | None = None
    ) -> list[tuple[Chunk, float]]:
        """Best visible chunks by BM25 over jieba words and CJK bigrams; score is the BM25 score."""
        snap = self.snapshot()
        return [(snap.chunks[i], s) for i, s in snap.lexical.search(query, k, allowed_ids) if i in snap.chunks]

    def cached_chunks(self) -> list[Chunk]:
        """Every visible chunk, from the local view (fast, for filters and statistics)."""
        return list(self.snapshot().chunks.values())

    def visible_ids(self) -> set[str]:
        """Ids of every visible chunk."""
        return set(self.snapshot().chunks)


def _chunk_schema() -> Any:
    """Cosine space; no full-text index on chunk texts (the lexical index is ours), nor on long metadata."""
    from chromadb import FtsIndexConfig, Schema, StringInvertedIndexConfig, VectorIndexConfig

    schema = Schema()
    schema.create_index(VectorIndexConfig(space="cosine", embedding_function=None))
    schema.delete_index(config=FtsIndexConfig(), key="#document")
    for key in ("index_text", "section"):
        schema.delete_index(config=StringInvertedIndexConfig(), key=key)
    return schema
