"""The embedding cache: vectors on disk (one sqlite file) keyed by model, kind and text."""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import sqlite3
import threading
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from assistant.index.embedders import WINDOW_CHARS, Embedder, clip

log = logging.getLogger(__name__)


class CachedEmbedder:
    """Wraps an embedder with an on-disk cache keyed by sha256(model name + text).

    One sqlite file in WAL mode: each batch commits on its own, so a killed process loses
    at most the batch in flight and never corrupts what was cached before.
    """

    _LOOKUP_BATCH = 500  # stays well under sqlite's bound-variable limit

    def __init__(self, inner: Embedder, cache_path: Path) -> None:
        self.inner = inner
        self.cache_path = Path(cache_path)
        self.name = inner.name
        self.hits = 0
        self.misses = 0
        self._conn: sqlite3.Connection | None = None
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"CachedEmbedder({self.inner!r}, {str(self.cache_path)!r})"

    @property
    def dim(self) -> int:
        """The wrapped model's vector size."""
        return self.inner.dim

    def _db(self) -> sqlite3.Connection:
        if self._conn is None:
            self.cache_path.parent.mkdir(parents=True, exist_ok=True)
            try:
                self._conn = self._connect()
            except sqlite3.DatabaseError as exc:
                self._set_aside(exc)
                self._conn = self._connect()
        return self._conn

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.cache_path, check_same_thread=False, timeout=30)
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("CREATE TABLE IF NOT EXISTS embeddings (key TEXT PRIMARY KEY, vec BLOB NOT NULL)")
            conn.commit()
        except sqlite3.DatabaseError:
            conn.close()
            raise
        return conn

    def _set_aside(self, exc: Exception) -> None:
        """A damaged cache is moved aside and started afresh: it only costs re-embedding."""
        if self._conn is not None:
            with contextlib.suppress(sqlite3.Error):
                self._conn.close()
            self._conn = None
        stamp = time.strftime("%Y%m%d-%H%M%S")
        for suffix in ("", "-wal", "-shm"):
            path = Path(f"{self.cache_path}{suffix}")
            if path.exists():
                os.replace(path, f"{path}.corrupt-{stamp}")
        log.warning("embedding cache %s was damaged (%s): moved aside, starting a new one", self.cache_path, exc)

    def _key(self, text: str, kind: str) -> str:
        return hashlib.sha256(f"{self.name}\x00{kind}\x00{text}".encode()).hexdigest()

    def _lookup(self, keys: Sequence[str]) -> dict[str, list[float]]:
        found: dict[str, list[float]] = {}
        db = self._db()
        unique = list(dict.fromkeys(keys))
        for i in range(0, len(unique), self._LOOKUP_BATCH):
            part = unique[i : i + self._LOOKUP_BATCH]
            marks = ",".join("?" * len(part))
            for key, blob in db.execute(f"SELECT key, vec FROM embeddings WHERE key IN ({marks})", part):
                if isinstance(blob, bytes) and blob and len(blob) % 4 == 0:  # else a damaged row: a miss
                    found[key] = np.frombuffer(blob, dtype=np.float32).astype(float).tolist()
        return found

    def _store(self, pairs: list[tuple[str, list[float]]]) -> None:
        db = self._db()
        rows = [(k, np.asarray(v, dtype=np.float32).tobytes()) for k, v in pairs]
        with db:
            db.executemany("INSERT OR REPLACE INTO embeddings (key, vec) VALUES (?, ?)", rows)

    def _embed(self, texts: list[str], kind: str) -> list[list[float]]:
        window = getattr(self.inner, "max_chars", WINDOW_CHARS)
        texts = [clip(t, window) for t in texts]
        keys = [self._key(t, kind) for t in texts]
        with self._lock:
            try:
                found = self._lookup(keys)
            except sqlite3.DatabaseError as exc:
                self._set_aside(exc)
                found = {}
        todo: dict[str, str] = {}  # key -> text, each distinct text embedded once
        for key, text in zip(keys, texts, strict=True):
            if key not in found:
                todo.setdefault(key, text)
        if todo:
            if kind == "q":
                vectors = [self.inner.embed_query(t) for t in todo.values()]
            else:
                vectors = self.inner.embed_documents(list(todo.values()))
            new = list(zip(todo.keys(), vectors, strict=True))
            with self._lock:
                try:
                    self._store(new)
                except sqlite3.DatabaseError as exc:
                    self._set_aside(exc)
            found.update(new)
        with self._lock:
            self.misses += len(todo)
            self.hits += len(texts) - len(todo)
        return [found[k] for k in keys]

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """Embed passages, computing only those not cached before."""
        return self._embed(list(texts), "d")

    def embed_query(self, text: str) -> list[float]:
        """Embed a query (cached separately: some models embed queries differently)."""
        return self._embed([text], "q")[0]

    def close(self) -> None:
        """Close the cache file."""
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None
