"""What readers see, cached on this machine: the visible chunks and their lexical index, keyed by the store version.

The store (Chroma, local or a server) is the truth; this is a cache in the data directory, so any
number of replicas can serve one store. It is saved per source file (chunks, and their term counts,
so an unchanged file is never tokenised again) plus one lexical index over all (updated by the files
that changed, see lexical.py), and a meta file
naming the store version it reflects. When the version in Chroma is the one in the meta file,
nothing is read from Chroma; when it moved, only the files whose records changed are fetched.

With them, for a question to need nothing from Chroma: the chunks' vectors (one matrix in the lexical
index's row order, read lazily from disk; dense search runs on it), the cleaned texts (by their
content key, so never stale), the version noted with the state of a local store's file (local_state.py)
and the last quick health check that found nothing wrong, with the state it was made in.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import os
import pickle
import shutil
import threading
import zlib
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from assistant.index.catalog import FileRecord, document_info
from assistant.index.lexical import TOKENIZER_VERSION, LexicalIndex, TermCounts
from assistant.models import Chunk

log = logging.getLogger(__name__)

FORMAT = 3  # 2: chunks as tuples with shared strings; 3: vectors and texts kept too
_CHUNK_FIELDS = ",".join(f.name for f in dataclasses.fields(Chunk))
_CACHE_KEY = hashlib.sha1(f"{FORMAT}|{TOKENIZER_VERSION}|{_CHUNK_FIELDS}".encode()).hexdigest()[:12]
_MMAP_ABOVE = 50_000  # chunks: a larger lexical matrix stays on disk, paged in as queries touch it


@dataclass
class Snapshot:
    """One consistent view of the knowledge base: the file records and exactly the chunks they list."""

    stamp: tuple[int, str]
    collection_id: str
    records: dict[str, FileRecord]  # without chunk ids (the chunks are here)
    signatures: dict[str, str]
    chunks: dict[str, Chunk]
    lexical: LexicalIndex
    by_source: dict[str, list[str]] = field(default_factory=dict)  # chunk ids per source, in order
    derived: dict[str, Any] = field(default_factory=dict)  # values computed from these chunks, by name
    vectors: Any = None  # the chunks' embeddings (rows in `lexical.ids` order), or None: dense search asks Chroma


def _atomic_write(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}-{threading.get_ident()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


_FIELDS = [f.name for f in dataclasses.fields(Chunk)]
_SECTION = _FIELDS.index("section")
_SHARED = [i for i, name in enumerate(_FIELDS) if name in ("source", "doc_id", "title", "kind")]


def _rows(chunks: list[Chunk]) -> list[tuple[Any, ...]]:
    """Chunks as tuples, the strings many chunks repeat (file, document, title, headings) shared:
    pickle writes a shared object once, and loading gives one object for all (less memory)."""
    pool: dict[Any, Any] = {}
    rows = []
    for c in chunks:
        row = [getattr(c, name) for name in _FIELDS]
        for i in _SHARED:
            row[i] = pool.setdefault(row[i], row[i])
        row[_SECTION] = pool.setdefault(tuple(row[_SECTION]), tuple(pool.setdefault(h, h) for h in row[_SECTION]))
        rows.append(tuple(row))
    return rows


def _chunk_from(row: tuple[Any, ...]) -> Chunk:
    values = list(row)
    values[_SECTION] = list(values[_SECTION])
    return Chunk(*values)


class SnapshotCache:
    """The on-disk side: `<data_dir>/index/<collection>/`."""

    def __init__(self, directory: Path) -> None:
        self.dir = Path(directory)
        self.sources_dir = self.dir / "sources"
        self.lexical_dir = self.dir / "lexical"
        self.meta_path = self.dir / "meta.json"
        self.vectors_path = self.dir / "vectors.npy"
        self.texts_dir = self.dir / "texts"
        self._lock: Any = None

    def _file_lock(self) -> Any:
        from filelock import FileLock

        if self._lock is None:
            self.dir.mkdir(parents=True, exist_ok=True)
            self._lock = FileLock(str(self.dir / ".lock"), thread_local=False)
        return self._lock

    def _entry_base(self, source: str) -> Path:
        return self.sources_dir / hashlib.sha1(source.encode("utf-8")).hexdigest()

    # --- per source ----------------------------------------------------------------------

    def load_chunks(self, source: str, signature: str) -> list[Chunk] | None:
        """The cached chunks of a source at this signature, or None."""
        try:
            data = pickle.loads(self._entry_base(source).with_suffix(".chunks").read_bytes())
            if data["signature"] != signature or data["key"] != _CACHE_KEY:
                return None
            return [_chunk_from(d) for d in data["chunks"]]
        except Exception:  # noqa: BLE001 - a missing or damaged cache entry is rebuilt, whatever the damage
            return None

    def load_counts(self, source: str, signature: str) -> TermCounts | None:
        """The cached term counts of a source at this signature, or None."""
        try:
            with np.load(self._entry_base(source).with_suffix(".terms.npz"), allow_pickle=False) as z:
                if str(z["signature"]) != signature or str(z["key"]) != _CACHE_KEY:
                    return None
                return TermCounts(
                    vocab=list(z["vocab"].tolist()), indptr=z["indptr"], terms=z["terms"], tf=z["tf"],
                    lengths=z["lengths"],
                )
        except Exception:  # noqa: BLE001 - as above
            return None

    def save_source(self, source: str, signature: str, chunks: list[Chunk], counts: TermCounts) -> None:
        """Cache one source's chunks and term counts."""
        self.sources_dir.mkdir(parents=True, exist_ok=True)
        base = self._entry_base(source)
        payload = {"key": _CACHE_KEY, "signature": signature, "chunks": _rows(chunks)}
        _atomic_write(base.with_suffix(".chunks"), pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL))
        tmp = base.with_name(f".{base.name}.{os.getpid()}-{threading.get_ident()}.npz")
        np.savez(
            tmp, key=np.str_(_CACHE_KEY), signature=np.str_(signature),
            vocab=np.array(counts.vocab, dtype=np.str_) if counts.vocab else np.array([], dtype="<U1"),
            indptr=counts.indptr, terms=counts.terms, tf=counts.tf, lengths=counts.lengths,
        )
        os.replace(tmp, base.with_suffix(".terms.npz"))

    def drop_source(self, source: str) -> None:
        """Forget a source's cache entry."""
        base = self._entry_base(source)
        for suffix in (".chunks", ".terms.npz", ".vectors.npz"):
            base.with_suffix(suffix).unlink(missing_ok=True)

    def load_vectors(self, source: str, signature: str) -> np.ndarray | None:
        """The cached vectors of a source's chunks (in its chunk order) at this signature, or None."""
        try:
            with np.load(self._entry_base(source).with_suffix(".vectors.npz"), allow_pickle=False) as z:
                if str(z["signature"]) != signature or str(z["key"]) != _CACHE_KEY:
                    return None
                vectors: np.ndarray = z["vectors"]
                return vectors
        except Exception:  # noqa: BLE001 - a missing or damaged entry is fetched again
            return None

    def save_vectors(self, source: str, signature: str, vectors: np.ndarray) -> None:
        """Cache one source's vectors."""
        self.sources_dir.mkdir(parents=True, exist_ok=True)
        base = self._entry_base(source)
        tmp = base.with_name(f".{base.name}.{os.getpid()}-{threading.get_ident()}.v.npz")
        np.savez(tmp, key=np.str_(_CACHE_KEY), signature=np.str_(signature), vectors=vectors)
        os.replace(tmp, base.with_suffix(".vectors.npz"))

    # --- cleaned texts, by content key ---------------------------------------------------------

    def _text_path(self, key: str) -> Path:
        return self.texts_dir / f"{hashlib.sha1(key.encode('utf-8')).hexdigest()}.z"

    def load_text(self, key: str) -> str | None:
        """A cleaned text saved under its key (the key changes with the text), or None."""
        if not key:
            return None
        try:
            raw = zlib.decompress(self._text_path(key).read_bytes()).decode("utf-8")
        except Exception:  # noqa: BLE001 - missing or damaged: read from the store again
            return None
        head, sep, text = raw.partition("\n")
        return text if sep and head == key else None

    def save_text(self, key: str, text: str) -> None:
        """Keep a cleaned text under its key."""
        self.texts_dir.mkdir(parents=True, exist_ok=True)
        _atomic_write(self._text_path(key), zlib.compress(f"{key}\n{text}".encode(), 1))

    # --- the whole -------------------------------------------------------------------------

    def reflects(self, collection_id: str, stamp: tuple[int, str]) -> bool:
        """Whether the saved view is of this collection at this version (without loading it)."""
        try:
            meta = json.loads(self.meta_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return False
        return (
            meta.get("key") == _CACHE_KEY and meta.get("collection_id") == collection_id
            and tuple(meta.get("stamp", ())) == tuple(stamp)
        )

    def load(self, collection_id: str, stamp: tuple[int, str]) -> Snapshot | None:
        """The cached snapshot if it reflects exactly this collection and version, else None."""
        with self._file_lock():
            try:
                meta = json.loads(self.meta_path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                return None
            if (
                meta.get("key") != _CACHE_KEY or meta.get("collection_id") != collection_id
                or tuple(meta.get("stamp", ())) != tuple(stamp)
            ):
                return None
            try:
                records = {s: _record_from(d) for s, d in meta["records"].items()}
                signatures = dict(meta["signatures"])
                chunks: dict[str, Chunk] = {}
                by_source: dict[str, list[str]] = {}
                for source, sig in signatures.items():
                    loaded = self.load_chunks(source, sig)
                    if loaded is None:
                        return None
                    by_source[source] = [c.id for c in loaded]
                    chunks.update((c.id, c) for c in loaded)
                lexical = LexicalIndex.load(self.lexical_dir, mmap=len(chunks) > _MMAP_ABOVE)
            except Exception as exc:  # noqa: BLE001 - a damaged cache is rebuilt from the store
                log.warning("local index cache in %s unreadable (%s): rebuilding it", self.dir, exc)
                return None
            if lexical.fingerprint != meta.get("fingerprint") or set(lexical.ids) != chunks.keys():
                log.warning("lexical index in %s out of step with its chunks: rebuilding it", self.lexical_dir)
                return None
            vectors = self._load_matrix(meta, len(lexical.ids))
            return Snapshot(
                (int(stamp[0]), str(stamp[1])), collection_id, records, signatures, chunks, lexical, by_source,
                vectors=vectors,
            )

    def _load_matrix(self, meta: dict[str, Any], rows: int) -> np.ndarray | None:
        """The vectors saved with the view (read from disk as searches touch them), or None."""
        if not meta.get("vectors") or meta.get("vectors") != meta.get("fingerprint"):
            return None
        try:
            matrix = np.load(self.vectors_path, mmap_mode="r", allow_pickle=False)
        except Exception:  # noqa: BLE001 - missing or damaged: dense search asks Chroma until the next rebuild
            return None
        if matrix.ndim != 2 or matrix.shape[0] != rows or matrix.dtype != np.float32:
            return None
        return matrix

    def save(
        self, snap: Snapshot, fresh: dict[str, tuple[list[Chunk], TermCounts]], *, lexical: bool = True,
        vectors: dict[str, np.ndarray] | None = None,
    ) -> None:
        """Write the sources built afresh (and vectors fetched), the lexical index and the vectors (unless
        unchanged), then the meta file."""
        with self._file_lock():
            for source, (chunks, counts) in fresh.items():
                self.save_source(source, snap.signatures[source], chunks, counts)
            for source, matrix in (vectors or {}).items():
                self.save_vectors(source, snap.signatures[source], matrix)
            if lexical or not (self.lexical_dir / LexicalIndex.META).exists():
                snap.lexical.save(self.lexical_dir)
            saved_vectors = None
            if snap.vectors is not None:
                if lexical or self._load_matrix(self._read_meta(), len(snap.lexical.ids)) is None:
                    tmp = self.dir / f".vectors.{os.getpid()}-{threading.get_ident()}.npy"
                    np.save(tmp, np.ascontiguousarray(snap.vectors, dtype=np.float32))
                    os.replace(tmp, self.vectors_path)
                saved_vectors = snap.lexical.fingerprint
            meta = {
                "key": _CACHE_KEY, "collection_id": snap.collection_id, "stamp": list(snap.stamp),
                "fingerprint": snap.lexical.fingerprint, "signatures": snap.signatures,
                "records": {s: _record_to(r) for s, r in snap.records.items()}, "vectors": saved_vectors,
            }
            _atomic_write(self.meta_path, json.dumps(meta, ensure_ascii=False).encode("utf-8"))
            known = {self._entry_base(s).name for s in snap.signatures}
            for path in self.sources_dir.glob("*"):
                if path.name.split(".")[0] not in known and not path.name.startswith("."):
                    path.unlink(missing_ok=True)
            texts = {self._text_path(r.text_key).name for r in snap.records.values() if r.text_key}
            for path in self.texts_dir.glob("*.z"):
                if path.name not in texts:
                    path.unlink(missing_ok=True)

    def _read_meta(self) -> dict[str, Any]:
        try:
            meta: dict[str, Any] = json.loads(self.meta_path.read_text(encoding="utf-8"))
            return meta
        except (OSError, ValueError):
            return {}

    def checked_ok(self, state: str) -> bool:
        """Whether the quick health check found nothing wrong in exactly this state of the store."""
        try:
            return bool(state) and json.loads((self.dir / "health.json").read_text(encoding="utf-8")) == {
                "key": _CACHE_KEY, "ok": state,
            }
        except (OSError, ValueError):
            return False

    def note_checked_ok(self, state: str) -> None:
        """Remember that the quick health check found nothing wrong in this state of the store."""
        self.dir.mkdir(parents=True, exist_ok=True)
        _atomic_write(self.dir / "health.json", json.dumps({"key": _CACHE_KEY, "ok": state}).encode())

    def load_derived(self, name: str, snap: Snapshot) -> Any:
        """A value saved by `save_derived` for exactly this snapshot, or None."""
        try:
            data = pickle.loads((self.dir / "derived" / f"{name}.pkl").read_bytes())
        except Exception:  # noqa: BLE001 - missing or damaged: computed again
            return None
        if data.get("key") != _CACHE_KEY or data.get("collection_id") != snap.collection_id:
            return None
        if tuple(data.get("stamp", ())) != tuple(snap.stamp):
            return None
        return data.get("value")

    def save_derived(self, name: str, snap: Snapshot, value: Any) -> None:
        """Keep a value computed from a snapshot's chunks until the version moves."""
        folder = self.dir / "derived"
        folder.mkdir(parents=True, exist_ok=True)
        payload = {"key": _CACHE_KEY, "collection_id": snap.collection_id, "stamp": list(snap.stamp), "value": value}
        _atomic_write(folder / f"{name}.pkl", pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL))

    def clear(self) -> None:
        """Delete the whole cache."""
        shutil.rmtree(self.dir, ignore_errors=True)


def _record_to(r: FileRecord) -> dict[str, Any]:
    d = asdict(r)
    d["chunk_ids"] = []
    return d


def _record_from(d: dict[str, Any]) -> FileRecord:
    docs = [document_info(x) for x in d.pop("documents", [])]
    return FileRecord(**d, documents=docs)


def combined_fingerprint(signatures: dict[str, str]) -> str:
    """One fingerprint over every source's signature (what the lexical index was built from)."""
    h = hashlib.sha256(_CACHE_KEY.encode())
    for source in sorted(signatures):
        h.update(f"\x00{source}\x01{signatures[source]}".encode())
    return h.hexdigest()
