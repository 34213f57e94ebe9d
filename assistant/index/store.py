"""The knowledge base on disk: chunks in Chroma, a BM25 index kept in step, a manifest and cleaned sources."""

from __future__ import annotations

import contextlib
import json
import os
import threading
from collections.abc import Iterator
from dataclasses import asdict
from datetime import UTC
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.index.lexical import LexicalIndex, fingerprint
from assistant.models import Chunk, DocumentInfo

if TYPE_CHECKING:
    from assistant.config import Settings
    from assistant.index.embed import Embedder

_BATCH = 256
_PAGE = 1000


class EmbedderMismatchError(ValueError):
    """The collection was built with a different embedding model than the one configured."""


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
    )


def _check_source_name(source: str) -> str:
    if not source or source in (".", "..") or any(c in source for c in "/\\\x00"):
        raise ValueError(f"not a plain file name: {source!r}")
    return source


def _write_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}-{threading.get_ident()}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


class Store:
    """Chunks with their embeddings (Chroma), a lexical index, the file manifest and cleaned sources.

    Nothing is opened until first use. The lexical index is rebuilt from Chroma whenever its
    fingerprint differs from Chroma's contents, so an interrupted ingest cannot leave them apart.
    """

    def __init__(self, settings: Settings, embedder: Embedder) -> None:
        self.settings = settings
        self.embedder = embedder
        self.data_dir = Path(settings.data_dir)
        self.lexical_dir = self.data_dir / "lexical"
        self.manifest_path = self.data_dir / "manifest.json"
        self.sources_dir = self.data_dir / "sources"
        self._lock = threading.RLock()
        self._write_lock = threading.RLock()
        self._client: Any = None
        self._col: Any = None
        self._batch = _BATCH
        self._lex: LexicalIndex | None = None
        self._chunks: dict[str, Chunk] = {}
        self._texts: dict[str, tuple[tuple[int, int], str]] = {}  # source -> (mtime and size, cleaned text)
        self._lex_stamp: int | None = None
        self._dirty = True  # this process changed Chroma since the lexical index was last synced

    @contextlib.contextmanager
    def writing(self) -> Iterator[None]:
        """Hold the knowledge base's write lock (one writer at a time in this process)."""
        with self._write_lock:
            yield

    # --- Chroma -------------------------------------------------------------------------------

    def _collection(self) -> Any:
        with self._lock:
            if self._col is None:
                import chromadb
                from chromadb.config import Settings as ChromaSettings

                chroma_settings = ChromaSettings(anonymized_telemetry=False)
                if self.settings.chroma_host:
                    client = chromadb.HttpClient(
                        host=self.settings.chroma_host,
                        port=self.settings.chroma_port,
                        settings=chroma_settings,
                    )
                else:
                    client = chromadb.PersistentClient(
                        path=str(self.data_dir / "chroma"), settings=chroma_settings
                    )
                col = client.get_or_create_collection(
                    self.settings.collection,
                    embedding_function=None,  # we always pass our own embeddings
                    configuration={"hnsw": {"space": "cosine"}},
                    metadata={"embedder": self.embedder.name},
                )
                built_with = (col.metadata or {}).get("embedder")
                if built_with and built_with != self.embedder.name and col.count() > 0:
                    raise EmbedderMismatchError(
                        f"collection {self.settings.collection!r} was built with embedder {built_with!r}, "
                        f"not {self.embedder.name!r}: re-ingest into a new collection or data directory"
                    )
                self._batch = max(1, min(_BATCH, client.get_max_batch_size()))
                self._client, self._col = client, col
            return self._col

    def count(self) -> int:
        """Number of chunks stored."""
        return int(self._collection().count())

    def _get(self, **kwargs: Any) -> list[Chunk]:
        res = self._collection().get(include=["documents", "metadatas"], **kwargs)
        return [
            _chunk(i, d, m or {})
            for i, d, m in zip(res["ids"], res["documents"], res["metadatas"], strict=True)
        ]

    def get_chunks(self, ids: list[str]) -> list[Chunk]:
        """The chunks with these ids, in the order asked (unknown ids are skipped)."""
        found: dict[str, Chunk] = {}
        unique = list(dict.fromkeys(ids))
        for i in range(0, len(unique), self._batch):
            found.update((c.id, c) for c in self._get(ids=unique[i : i + self._batch]))
        return [found[i] for i in unique if i in found]

    def all_chunks(self) -> list[Chunk]:
        """Every chunk, ordered by source, document and line."""
        col = self._collection()
        out: list[Chunk] = []
        total = col.count()
        for offset in range(0, total, _PAGE):
            out.extend(self._get(limit=_PAGE, offset=offset))
        out.sort(key=lambda c: (c.source, c.line_start, c.line_end, c.id))
        return out

    def ids_for_source(self, source: str) -> set[str]:
        """Ids of every chunk from one source file."""
        res = self._collection().get(where={"source": source}, include=[])
        return set(res["ids"])

    def upsert_chunks(self, chunks: list[Chunk]) -> int:
        """Add or update chunks; returns how many needed a new embedding (unchanged ones cost nothing)."""
        latest = {c.id: c for c in chunks}  # a repeated id: the last one wins
        if not latest:
            return 0
        stored = {c.id: c for c in self.get_chunks(list(latest))}
        changed = [c for c in latest.values() if stored.get(c.id) != c]
        if not changed:
            return 0
        misses_before = getattr(self.embedder, "misses", None)
        vectors = self.embedder.embed_documents([_index_text(c) for c in changed])
        col = self._collection()
        with self._lock:
            self._dirty = True
        for i in range(0, len(changed), self._batch):
            part = changed[i : i + self._batch]
            col.upsert(
                ids=[c.id for c in part],
                embeddings=vectors[i : i + self._batch],
                documents=[c.text for c in part],
                metadatas=[_metadata(c) for c in part],
            )
        if misses_before is not None:
            return int(self.embedder.misses) - int(misses_before)  # type: ignore[attr-defined]
        return len(changed)

    def delete_ids(self, ids: set[str] | list[str]) -> None:
        """Remove chunks by id."""
        todo = list(ids)
        if not todo:
            return
        col = self._collection()
        with self._lock:
            self._dirty = True
        for i in range(0, len(todo), self._batch):
            col.delete(ids=todo[i : i + self._batch])

    def delete_source(self, source: str) -> int:
        """Remove every chunk of one source file; returns how many were removed."""
        ids = self.ids_for_source(source)
        self.delete_ids(ids)
        return len(ids)

    def dense_search(
        self, query: str, k: int, *, where: dict[str, Any] | None = None
    ) -> list[tuple[Chunk, float]]:
        """Nearest chunks by embedding; score is cosine similarity (higher is closer)."""
        if k <= 0:
            return []
        col = self._collection()
        vector = self.embedder.embed_query(query)
        # ids and distances only: the chunks themselves are in memory with the lexical index (reading 40
        # documents and their metadata back from SQLite was half of a question's time under load)
        res = col.query(query_embeddings=[vector], n_results=k, where=where, include=["distances"])
        _, known = self._lexical()
        ids = res["ids"][0]
        missing = [i for i in ids if i not in known]
        fetched = {c.id: c for c in self.get_chunks(missing)} if missing else {}
        return [
            (known.get(i) or fetched[i], 1.0 - float(dist))
            for i, dist in zip(ids, res["distances"][0], strict=True)
            if i in known or i in fetched
        ]

    # --- lexical index ------------------------------------------------------------------------

    def _lex_disk_stamp(self) -> int | None:
        try:
            return (self.lexical_dir / LexicalIndex.META).stat().st_mtime_ns
        except OSError:
            return None

    def sync_lexical(self) -> bool:
        """Bring the lexical index in step with Chroma; returns True when it had to be rebuilt."""
        with self._lock:
            chunks = self.all_chunks()
            want = fingerprint((c.id, _index_text(c)) for c in chunks)
            index: LexicalIndex | None = None
            try:
                index = LexicalIndex.load(self.lexical_dir)
            except (OSError, ValueError, KeyError):
                index = None  # missing or half-written: rebuilt below
            rebuilt = index is None or index.fingerprint != want
            if rebuilt:
                index = LexicalIndex.build((c.id, _index_text(c)) for c in chunks)
                index.save(self.lexical_dir)
            self._lex = index
            self._chunks = {c.id: c for c in chunks}
            self._lex_stamp = self._lex_disk_stamp()
            self._dirty = False
            return rebuilt

    def _lexical(self) -> tuple[LexicalIndex, dict[str, Chunk]]:
        with self._lock:
            # another process (an ingest) that rewrote the index changes the stamp
            if self._lex is None or self._dirty or self._lex_disk_stamp() != self._lex_stamp:
                self.sync_lexical()
            assert self._lex is not None
            return self._lex, self._chunks

    def lexical_search(
        self, query: str, k: int, *, allowed_ids: set[str] | None = None
    ) -> list[tuple[Chunk, float]]:
        """Best chunks by BM25 over jieba words and CJK bigrams; score is the BM25 score."""
        index, chunks = self._lexical()
        return [(chunks[i], s) for i, s in index.search(query, k, allowed_ids) if i in chunks]

    def cached_chunks(self) -> list[Chunk]:
        """All chunks from the in-memory copy kept with the lexical index (fast, for filters)."""
        _, chunks = self._lexical()
        return list(chunks.values())

    # --- manifest and cleaned sources ---------------------------------------------------------

    def read_manifest(self) -> dict[str, Any]:
        """Ingested files: source name -> {file_hash, path, ingested_at, documents}."""
        try:
            return json.loads(self.manifest_path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}

    def record_file(
        self,
        source: str,
        file_hash: str,
        path: str,
        documents: list[DocumentInfo],
        *,
        ingested_at: str | None = None,
    ) -> None:
        """Record (or replace) one ingested file in the manifest."""
        from datetime import datetime

        _check_source_name(source)
        with self._lock:
            manifest = self.read_manifest()
            manifest[source] = {
                "file_hash": file_hash,
                "path": str(path),
                "ingested_at": ingested_at or datetime.now(UTC).isoformat(timespec="seconds"),
                "documents": [asdict(d) for d in documents],
            }
            _write_atomic(self.manifest_path, json.dumps(manifest, ensure_ascii=False, indent=1))

    def forget_file(self, source: str) -> None:
        """Drop a file from the manifest and delete its saved cleaned text."""
        with self._lock:
            manifest = self.read_manifest()
            if manifest.pop(source, None) is not None:
                _write_atomic(self.manifest_path, json.dumps(manifest, ensure_ascii=False, indent=1))
        try:
            self._source_path(source).unlink()
        except (FileNotFoundError, ValueError):
            pass

    def documents(self) -> list[DocumentInfo]:
        """Every document recorded in the manifest."""
        return [
            DocumentInfo(**d) for entry in self.read_manifest().values() for d in entry.get("documents", [])
        ]

    def _source_path(self, source: str) -> Path:
        return self.sources_dir / f"{_check_source_name(source)}.txt"

    def save_source_text(self, source: str, text: str) -> None:
        """Keep the cleaned text of a source file, so citations can be shown and checked by line."""
        _write_atomic(self._source_path(source), text)

    def source_text(self, source: str) -> str | None:
        """The cleaned text saved for `source`, or None (kept in memory while the file is unchanged)."""
        try:
            path = self._source_path(source)
            stat = os.stat(path)
        except (FileNotFoundError, ValueError):
            return None
        stamp = (stat.st_mtime_ns, stat.st_size)
        cached = self._texts.get(source)
        if cached is not None and cached[0] == stamp:
            return cached[1]  # a gazette is megabytes: merging overlapping chunks read it on every question
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        self._texts[source] = (stamp, text)
        while len(self._texts) > 64:  # a bounded memory of recently shown sources
            self._texts.pop(next(iter(self._texts)))
        return text
