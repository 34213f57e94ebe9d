"""The store's state and its reads of Chroma: opening the collections (the embedder check, a data directory
of the old layout moved in), chunks by id, ids, vector checks, the write lock object and the file records.

What readers see is in view.py, writing in writer.py; `Store` (store.py) is made of both.
"""

from __future__ import annotations

import functools
import json
import logging
import os
import random
import shutil
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import numpy as np

from assistant.index.catalog import Catalog, FileRecord, document_info
from assistant.index.chroma import ChromaConnection
from assistant.index.locks import ChromaLease, FileWriteLock, WriteLock
from assistant.index.rows import chunk_from_row, chunk_schema
from assistant.index.snapshot import Snapshot, SnapshotCache
from assistant.models import Chunk, DocumentInfo

if TYPE_CHECKING:
    from assistant.config import Settings
    from assistant.index.embed import Embedder

log = logging.getLogger(__name__)
T = TypeVar("T")

_BATCH = 256
_PAGE = 1000


class EmbedderMismatchError(ValueError):
    """The collection was built with a different embedding model than the one configured."""


class SourceNameTakenError(ValueError):
    """Another file (other path, other bytes) was committed under this source name meanwhile."""


def chroma_call(method: Callable[..., T]) -> Callable[..., T]:
    """Run a Store method holding the Chroma client (a reopen of a local store waits for it)."""

    @functools.wraps(method)
    def wrapper(self: StoreBase, *args: Any, **kwargs: Any) -> T:
        with self._conn.using():
            return method(self, *args, **kwargs)

    return wrapper


class StoreBase:
    """The state every part of the store shares, and what reads Chroma and the catalog directly."""

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
        self._max_write = _BATCH  # the most rows one write may carry (the server's limit)
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
                self._max_write = max(1, client.get_max_batch_size())
                self._batch = min(_BATCH, self._max_write)
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
                name, embedding_function=None, schema=chunk_schema(), metadata={"embedder": self.embedder.name}
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

    @chroma_call
    def collection_id(self) -> str:
        """Identity of the chunk collection (a recreated collection is another one)."""
        return str(self._collection().id)

    @chroma_call
    def stamp(self) -> tuple[int, str]:
        """The store version as (counter, nonce)."""
        return self._catalog().stamp()

    @chroma_call
    def count(self) -> int:
        """Number of chunks in Chroma (visible or not)."""
        return int(self._collection().count())

    def _get(self, **kwargs: Any) -> list[Chunk]:
        res = self._collection().get(include=["documents", "metadatas"], **kwargs)
        return [
            chunk_from_row(i, d, m or {})
            for i, d, m in zip(res["ids"], res["documents"], res["metadatas"], strict=True)
        ]

    @chroma_call
    def get_chunks(self, ids: Sequence[str]) -> list[Chunk]:
        """The chunks with these ids as stored in Chroma, in the order asked (unknown ids are skipped)."""
        found: dict[str, Chunk] = {}
        unique = list(dict.fromkeys(ids))
        for i in range(0, len(unique), self._batch):
            found.update((c.id, c) for c in self._get(ids=unique[i : i + self._batch]))
        return [found[i] for i in unique if i in found]

    @chroma_call
    def get_vectors(self, ids: Sequence[str]) -> np.ndarray | None:
        """The stored embeddings of these chunks in this order, or None when Chroma cannot give every one."""
        found: dict[str, Any] = {}
        try:
            for i in range(0, len(ids), self._batch):
                res = self._collection().get(ids=list(ids[i : i + self._batch]), include=["embeddings"])
                embeddings = res.get("embeddings")
                if embeddings is None:
                    return None
                found.update(zip(res["ids"], embeddings, strict=True))
        except Exception:  # noqa: BLE001 - chroma fails the whole get when the vector index lacks an id
            return None
        if any(i not in found for i in ids):
            return None
        return np.asarray([found[i] for i in ids], dtype=np.float32)

    @chroma_call
    def all_chunks(self) -> list[Chunk]:
        """Every chunk in Chroma (visible or not), ordered by source and line."""
        col = self._collection()
        out: list[Chunk] = []
        total = col.count()
        for offset in range(0, total, _PAGE):
            out.extend(self._get(limit=_PAGE, offset=offset))
        out.sort(key=lambda c: (c.source, c.line_start, c.line_end, c.id))
        return out

    @chroma_call
    def all_ids(self) -> set[str]:
        """Ids of every chunk in Chroma."""
        col = self._collection()
        out: set[str] = set()
        total = col.count()
        for offset in range(0, total, 10 * _PAGE):
            out.update(col.get(include=[], limit=10 * _PAGE, offset=offset)["ids"])
        return out

    @chroma_call
    @chroma_call
    def reachable_ids(self, n: int) -> set[str]:
        """Ids an exhaustive dense search returns (a chunk whose vector the index lost is absent)."""
        dim = self.embedder.dim
        res = self._collection().query(query_embeddings=[[1.0] + [0.0] * (dim - 1)], n_results=n, include=[])
        return set(res["ids"][0])

    @chroma_call
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

    @chroma_call
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

    def _lock_for_writing(self) -> WriteLock:
        with self._lock:
            if self._write_lock is None:
                if self._conn.is_local:
                    self._write_lock = FileWriteLock(self.data_dir / "write.lock")
                else:
                    client, _ = self._conn.client()
                    self._write_lock = ChromaLease(client, f"{self.settings.collection}__lock")
            return self._write_lock

    # --- catalog ------------------------------------------------------------------------------

    @chroma_call
    def files(self, *, with_chunks: bool = False) -> dict[str, FileRecord]:
        """Every ingested file's record (chunk id lists only when asked: they are the bulk)."""
        return self._catalog().files(with_chunks=with_chunks)

    @chroma_call
    def file_record(self, source: str) -> FileRecord | None:
        """One file's record, or None."""
        return self._catalog().file(source)

    def read_manifest(self) -> dict[str, dict[str, Any]]:
        """Ingested files: source name -> {file_hash, path, ingested_at, documents, excluded}."""
        return {s: r.manifest_entry() for s, r in self.files().items()}

    def documents(self) -> list[DocumentInfo]:
        """Every document in the knowledge base."""
        return [d for r in self.files().values() for d in r.documents]

