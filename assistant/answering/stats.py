"""What is common or rare in the collection: document frequencies of words over chunks.

Computed from the store (never listed by hand), rebuilt when the store's contents change, and kept
on disk beside the index so a cold process does not re-segment every chunk.
"""

from __future__ import annotations

import json
import math
import os
import threading
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.text import norm

if TYPE_CHECKING:
    from assistant.seams import StoreReader

_VERSION = 1
SUBSTRING_SAMPLE = 20_000  # chunks scanned at most for a word's substring frequency


class CollectionStats:
    """Word document frequencies over the collection's chunks (jieba words, normalised)."""

    def __init__(self, df: dict[str, int], n: int, texts: list[str] | Callable[[], list[str]]):
        self.df = df
        self.n = max(n, 1)
        # normalised chunk texts, for substring frequencies of unseen words (made on first need when a callable:
        # a cold process that loads the statistics may never need them)
        self._texts = texts
        self._sub: dict[str, int] = {}
        self._memo: dict[Hashable, Any] = {}
        self._lock = threading.Lock()

    def freq(self, term: str) -> int:
        """Chunks holding the term as a word, else as a substring (cached). Above SUBSTRING_SAMPLE chunks the
        substring count is estimated from an evenly spaced sample (a full scan of 250,000 chunks costs 150 ms
        for each new word of a question; the estimate moves an IDF by little, and only for rare words)."""
        if term in self.df:
            return self.df[term]
        with self._lock:
            if term not in self._sub:
                texts = self._all_texts()
                step = max(1, -(-len(texts) // SUBSTRING_SAMPLE))  # ceiling: 1 up to SUBSTRING_SAMPLE chunks
                self._sub[term] = step * sum(term in t for t in texts[::step])
            return self._sub[term]

    def _all_texts(self) -> list[str]:
        if callable(self._texts):
            self._texts = self._texts()
        return self._texts

    def sample(self) -> list[str]:
        """The normalised chunk texts, every one up to SUBSTRING_SAMPLE chunks, else an evenly spaced sample."""
        with self._lock:
            texts = self._all_texts()
        return texts[:: max(1, -(-len(texts) // SUBSTRING_SAMPLE))]

    def memo(self, key: Hashable, compute: Callable[[], Any]) -> Any:
        """A value worked out from these statistics once (kept as long as they are the collection's)."""
        with self._lock:
            if key in self._memo:
                return self._memo[key]
        value = compute()
        with self._lock:
            self._memo[key] = value
        return value

    def idf(self, term: str) -> float:
        """log(1 + N/df); an unseen term gets the highest weight."""
        df = self.freq(term)
        return math.log(1 + self.n / df) if df else math.log(1 + self.n)

    def share(self, term: str) -> float:
        """The share of chunks holding the term."""
        return self.freq(term) / self.n


def build_stats(chunks: list[Any]) -> CollectionStats:
    """Segment every chunk once and count in how many chunks each word occurs."""
    from assistant.index.segmenter import lcut

    df: dict[str, int] = {}
    texts = []
    for c in chunks:
        text = c.index_text or c.text
        texts.append(norm(text))
        for w in {norm(w) for w in lcut(text)}:
            if w:
                df[w] = df.get(w, 0) + 1
    return CollectionStats(df, len(chunks), texts)


class StatsCache:
    """Collection statistics for a store: in memory per store version, on disk across processes."""

    def __init__(self, store: StoreReader, path: Path | None):
        self.store = store
        self.path = path
        self._key: str | None = None
        self._stats: CollectionStats | None = None
        self._lock = threading.Lock()

    def get(self) -> CollectionStats:
        """The statistics for the store's current contents."""
        known = _version_key(self.store)
        if known is not None and known == self._key and self._stats is not None:
            return self._stats  # unchanged: no need to list a large collection's chunks per question
        chunks = self.store.cached_chunks()
        key = _key_of(self.store, chunks)
        with self._lock:
            if self._stats is None or self._key != key:
                loaded = self._load(key, chunks)
                self._stats = loaded or build_stats(chunks)
                self._key = key
                if loaded is None:  # (a file read is not written back: processes sharing it would race)
                    self._save(key)
            return self._stats

    def _load(self, key: str, chunks: list[Any]) -> CollectionStats | None:
        if self.path is None:
            return None
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None  # missing or damaged: rebuilt
        if data.get("version") != _VERSION or data.get("key") != key:
            return None
        return CollectionStats(data["df"], int(data["n"]), lambda: [norm(c.index_text or c.text) for c in chunks])

    def _save(self, key: str) -> None:
        if self.path is None or self._stats is None:
            return
        payload = {"version": _VERSION, "key": key, "n": self._stats.n, "df": self._stats.df}
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")  # (one per process: none writes another's)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp.write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")
            tmp.replace(self.path)
        except OSError:
            pass  # a cache: failing to write it costs time, not correctness


def _version_key(store: Any) -> str | None:
    """The store's version as a cache key, when it keeps one (then nothing else need be read to know)."""
    version = getattr(store, "version", None)
    return f"v{version()}" if callable(version) else None


def _key_of(store: Any, chunks: list[Any]) -> str:
    """What identifies the store's contents: its version when it keeps one, else its chunk ids."""
    key = _version_key(store)
    if key is not None:
        return key
    import hashlib

    digest = hashlib.sha1()
    for c in sorted(chunks, key=lambda c: c.id):
        digest.update(c.id.encode())
    return digest.hexdigest()


class DocumentChunks:
    """Each document's chunks in order, from the store's in-memory copy (regrouped when it changes)."""

    def __init__(self, store: StoreReader):
        self.store = store
        self._key: str | None = None
        self._by_doc: dict[str, list[Any]] = {}
        self._lock = threading.Lock()

    def chunks_of(self, doc_id: str) -> list[Any]:
        """The document's chunks, in line order."""
        known = _version_key(self.store)
        if known is not None and known == self._key:
            return self._by_doc.get(doc_id, [])
        chunks = self.store.cached_chunks()
        key = _key_of(self.store, chunks)
        with self._lock:
            if key != self._key:
                by_doc: dict[str, list[Any]] = {}
                for c in chunks:
                    by_doc.setdefault(c.doc_id, []).append(c)
                for group in by_doc.values():
                    group.sort(key=lambda c: (c.line_start, c.line_end))
                self._by_doc, self._key = by_doc, key
            return self._by_doc.get(doc_id, [])

    def find_line(self, source: str, needle: str, first: int, last: int) -> tuple[int, str] | None:
        """The first line (1-based, within first..last) of a source's cleaned text that holds the needle."""
        text = self.store.source_text(source)
        if text is None:
            return None
        wanted = norm(needle)
        lines = text.split("\n")
        for n in range(max(first, 1), min(last, len(lines)) + 1):
            if wanted in norm(lines[n - 1]):
                return n, lines[n - 1].strip()
        return None
