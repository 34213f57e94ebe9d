"""What readers see: the consistent view of the committed files (chunks and the lexical index, cached on
disk per version), brought up to the store's version as it moves, and searches and texts read through it.

Readers see the chunks the committed file records list, so a file is seen whole, old or new.

A question needs nothing from Chroma when the view is current: the version of a local store is read from
its file's header (local_state.py), documents and source texts come from the view and its cache, and dense
search runs on the view's copy of the vectors (exact, up to `Settings.dense_local_max` chunks).
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

from assistant.index.base import StoreBase, chroma_call
from assistant.index.lexical import LexicalIndex, TermCounts, count_terms
from assistant.index.local_state import Noted, StateNote, db_state, files_state
from assistant.index.locks import FileWriteLock
from assistant.index.rows import indexed_text
from assistant.index.snapshot import Snapshot, combined_fingerprint
from assistant.models import Chunk, DocumentInfo

log = logging.getLogger(__name__)
T = TypeVar("T")

BACKGROUND_ABOVE = 20_000  # chunks: a view this large is rebuilt in the background when others wrote
_TEXTS_KEPT = 32


class StoreView(StoreBase):
    """The reading side of `Store`: the local view, the version it reflects, searches and source texts."""

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
        local = self._local_dense(snap, vector, k, where)
        if local is not None:
            return local
        with self._conn.using():
            res = self._collection().query(
                query_embeddings=[vector],
                n_results=k + 8,  # a few spare for chunks written but not (or no longer) committed
                where=where,
                include=["distances"],
            )
        hits = [(snap.chunks.get(i), 1.0 - float(d)) for i, d in zip(res["ids"][0], res["distances"][0], strict=True)]
        return [(c, s) for c, s in hits if c is not None][:k]

    def _local_dense(
        self, snap: Snapshot, vector: Sequence[float], k: int, where: dict[str, Any] | None
    ) -> list[tuple[Chunk, float]] | None:
        """Exact cosine search over the view's vectors (None: no local vectors, or a filter Chroma must apply)."""
        matrix = snap.vectors
        if matrix is None or len(vector) != matrix.shape[1]:
            return None
        ids = snap.lexical.ids
        rows: np.ndarray | None = None
        if where is not None:
            wanted = where.get("doc_id") if set(where) == {"doc_id"} else None
            if isinstance(wanted, dict) and set(wanted) == {"$in"}:
                wanted = set(wanted["$in"])
            elif isinstance(wanted, str):
                wanted = {wanted}
            else:
                return None
            rows = np.fromiter(
                (n for n, i in enumerate(ids) if snap.chunks[i].doc_id in wanted), dtype=np.int64
            )
        query = np.asarray(vector, dtype=np.float32)
        query /= np.linalg.norm(query) or 1.0  # cosine, as Chroma's index computes it
        scores = matrix @ query if rows is None else np.asarray(matrix[rows]) @ query
        top = np.argsort(-scores, kind="stable")[:k]
        picked = top if rows is None else rows[top]
        return [(snap.chunks[ids[int(n)]], float(scores[int(t)])) for n, t in zip(picked, top, strict=True)]

    def documents(self) -> list[DocumentInfo]:
        """Every document in the knowledge base: from the view when a local store's file says it is current
        (no Chroma call), else from the file records in Chroma."""
        noted = self._noted()
        if noted is not None:
            snap = self.snapshot()
            if (snap.collection_id, snap.stamp) == (noted.collection_id, noted.stamp):
                return [d for r in snap.records.values() for d in r.documents]
        return super().documents()

    def source_text(self, source: str) -> str | None:
        """The cleaned text of a source file (as shown and cited by line), or None."""
        record = self.snapshot().records.get(source)
        if record is not None and record.text_key in self._texts:
            return self._texts[record.text_key]
        if record is not None:
            text = self.cache.load_text(record.text_key)  # keyed by content: never stale
            if text is not None:
                self._keep_text(record.text_key, text)
                return text
        return self._source_text_from_store(source, record)

    @chroma_call
    def _source_text_from_store(self, source: str, record: Any) -> str | None:
        catalog = self._catalog()
        text = catalog.text(record.text_key, record.text_parts) if record is not None else None
        if text is None:
            record = catalog.file(source)  # the view is older than the file
            text = catalog.text(record.text_key, record.text_parts) if record else None
        if text is not None and record is not None:
            self._keep_text(record.text_key, text)
            try:
                self.cache.save_text(record.text_key, text)
            except OSError as exc:
                log.warning("could not save a source text in %s: %s", self.cache.dir, exc)
        return text

    def _keep_text(self, key: str, text: str) -> None:
        with self._lock:
            while len(self._texts) >= _TEXTS_KEPT:
                self._texts.pop(next(iter(self._texts)))
            self._texts[key] = text

    # --- the view, brought up to the version ---------------------------------------------------

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
        noted = None if wait else self._noted()
        if noted is not None:
            self._checked = time.monotonic()
            snap = self._snap
            if snap is not None and (snap.collection_id, snap.stamp) == (noted.collection_id, noted.stamp):
                return snap
            if self._snap is None:
                self._snap = self.cache.load(noted.collection_id, noted.stamp)
                if self._snap is not None:
                    return self._snap
        snap = self._look_in_chroma(wait)
        if self._refreshing is None:
            self._note(snap)
        return snap

    def _chroma_dir(self) -> Path | None:
        return Path(self._conn.path) if self._conn.is_local and self._conn.path else None

    def _noted(self) -> Noted | None:
        """The version noted for the local store's file as it is now (None: ask Chroma)."""
        chroma_dir = self._chroma_dir()
        return StateNote(self.cache.dir / "state.json").read(db_state(chroma_dir)) if chroma_dir else None

    def _note(self, snap: Snapshot) -> None:
        """Note the version with the state of the local store's file, for later processes. Only while no one
        writes (the write lock free, or ours), with the file's state read after the version."""
        chroma_dir = self._chroma_dir()
        if chroma_dir is None or db_state(chroma_dir) is None:
            return
        lock = self._lock_for_writing()
        if not isinstance(lock, FileWriteLock):
            return
        try:
            with lock.attempt() as held:
                if not held or self.stamp() != snap.stamp:
                    return
                state = db_state(chroma_dir)
                if state is not None:
                    StateNote(self.cache.dir / "state.json").write(Noted(snap.collection_id, snap.stamp), state)
        except OSError as exc:  # a read-only data directory: every process asks Chroma
            log.debug("could not note the store version in %s: %s", self.cache.dir, exc)

    def state_token(self) -> str | None:
        """A digest of a local store's state (its file's header, its vector index files); None for a server."""
        chroma_dir = self._chroma_dir()
        state = db_state(chroma_dir) if chroma_dir else None
        if chroma_dir is None or state is None:
            return None
        return hashlib.sha256(f"{state}|{files_state(chroma_dir)}".encode()).hexdigest()

    def known_healthy(self, token: str) -> bool:
        """Whether the quick health check found nothing wrong in the state `token` names."""
        return self.cache.checked_ok(token)

    def note_healthy(self, token: str) -> None:
        """Remember that the quick health check found nothing wrong in this state."""
        try:
            self.cache.note_checked_ok(token)
        except OSError as exc:
            log.debug("could not note the health check in %s: %s", self.cache.dir, exc)

    def _look_in_chroma(self, wait: bool) -> Snapshot:
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

    @chroma_call
    def _refresh(self, base: Snapshot | None, col_id: str) -> Snapshot:
        """Bring the view up to the store's version, fetching only files whose records changed.

        The lexical index is updated by what changed (files added, replaced, removed) when there is
        a view to start from, and built from every file's cached term counts when there is not.
        """
        catalog = self._catalog()
        for _attempt in range(5):
            stamp = catalog.stamp()
            records = catalog.files(with_chunks=True)
            signatures = {s: r.signature() for s, r in records.items()}
            chunks: dict[str, Chunk] = {}
            by_source: dict[str, list[str]] = {}
            parts: dict[str, TermCounts] = {}  # term counts of the files the lexical index must (re)read
            fresh: dict[str, tuple[list[Chunk], TermCounts]] = {}
            torn = False
            for source in sorted(records):
                record, sig = records[source], signatures[source]
                mine: list[Chunk] | None = None
                if base is not None and base.signatures.get(source) == sig:
                    mine = [base.chunks[i] for i in base.by_source.get(source, []) if i in base.chunks]
                    counts = None  # unchanged: already in the base's lexical index
                else:
                    mine = self.cache.load_chunks(source, sig)
                    counts = self.cache.load_counts(source, sig) if mine is not None else None
                    if mine is None or counts is None:
                        mine = self.get_chunks(record.chunk_ids)
                        if len(mine) != len(set(record.chunk_ids)):
                            torn = True  # a writer replaced this file meanwhile, or chunks were lost
                        counts = count_terms(indexed_text(c) for c in mine)
                        fresh[source] = (mine, counts)
                    parts[source] = counts
                by_source[source] = [c.id for c in mine]
                chunks.update((c.id, c) for c in mine)
            if catalog.stamp() == stamp or not torn:
                break
        if base is not None and not fresh and signatures == base.signatures:
            # the version moved but no file changed (a write that changed nothing visible): same view
            snap = Snapshot(stamp, col_id, base.records, signatures, base.chunks, base.lexical, base.by_source,
                            dict(base.derived), vectors=base.vectors)
            self._save_meta(snap)
            return snap
        fp = combined_fingerprint(signatures)
        if sum(len(v) for v in by_source.values()) != len(chunks):
            # two files list one chunk id (should not happen): keep the first, count terms afresh
            ids = list(dict.fromkeys(i for s in sorted(by_source) for i in by_source[s]))
            lexical = LexicalIndex.build((i, indexed_text(chunks[i])) for i in ids)
            # the rows would not follow the sources: dense search asks Chroma
            vectors, fetched = None, dict[str, np.ndarray]()
        else:
            if base is not None and base.lexical.fingerprint == combined_fingerprint(base.signatures):
                gone = [
                    i for s, ids_ in base.by_source.items() if signatures.get(s) != base.signatures[s] for i in ids_
                ]
                lexical = base.lexical.updated(gone, [(by_source[s], [c]) for s, c in parts.items()], fp)
            else:
                for source in by_source.keys() - parts.keys():
                    counts = self.cache.load_counts(source, signatures[source])
                    if counts is None:
                        counts = count_terms(indexed_text(chunks[i]) for i in by_source[source])
                    parts[source] = counts
                lexical = LexicalIndex.from_counts(
                    [i for s in sorted(parts) for i in by_source[s]], [parts[s] for s in sorted(parts)], fp
                )
            vectors, fetched = self._gather_vectors(base, by_source, signatures, lexical.ids)
        for record in records.values():
            record.chunk_ids = []
        snap = Snapshot(stamp, col_id, records, signatures, chunks, lexical, by_source, vectors=vectors)
        self._rebuilt = True
        try:
            self.cache.save(snap, fresh, vectors=fetched)
        except OSError as exc:
            log.warning("could not save the local index cache in %s: %s", self.cache.dir, exc)
        return snap

    def _gather_vectors(
        self, base: Snapshot | None, by_source: dict[str, list[str]], signatures: dict[str, str], order: list[str]
    ) -> tuple[np.ndarray | None, dict[str, np.ndarray]]:
        """The visible chunks' vectors in the view's row order (`order`: the lexical index's ids; None above
        `dense_local_max` chunks, or when Chroma cannot give them), and those fetched from Chroma now (to cache
        with their source)."""
        fetched: dict[str, np.ndarray] = {}
        total = sum(len(ids) for ids in by_source.values())
        if total == 0 or total > self.settings.dense_local_max:
            return None, fetched
        old = base.vectors if base is not None else None
        old_row = {i: n for n, i in enumerate(base.lexical.ids)} if base is not None and old is not None else {}
        blocks = []
        for source, ids in by_source.items():
            if not ids:
                continue
            block = None
            if old is not None and base is not None and base.signatures.get(source) == signatures[source] \
                    and all(i in old_row for i in ids):
                block = np.asarray(old[[old_row[i] for i in ids]], dtype=np.float32)
            if block is None:
                block = self.cache.load_vectors(source, signatures[source])
                if block is not None and block.shape[0] != len(ids):
                    block = None
            if block is None:
                block = self.get_vectors(ids)
                if block is None:
                    return None, fetched
                fetched[source] = block
            blocks.append(block)
        if len({b.shape[1] for b in blocks if b.ndim == 2}) != 1 or any(b.ndim != 2 for b in blocks):
            return None, fetched
        matrix = np.concatenate(blocks).astype(np.float32, copy=False)
        listed = [i for ids in by_source.values() for i in ids]
        if listed != order:  # an updated lexical index keeps its own order (segments): rows follow it
            row = {i: n for n, i in enumerate(listed)}
            if len(row) != len(order) or any(i not in row for i in order):
                return None, fetched
            matrix = matrix[np.fromiter((row[i] for i in order), dtype=np.int64, count=len(order))]
        return matrix, fetched

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
