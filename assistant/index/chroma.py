"""Chroma clients: a server (`chroma run`) or the local store, opened once per process and reopened when stale.

A local Chroma store keeps its vector index in the memory of each process that opened it. Another
process's writes reach that copy only partly (what the write log still holds), and a process that
writes from a stale copy saves it over the good one: vectors become unreachable for good. So every
process writing to a local store reopens it first when someone else wrote since (the store version
says so), and readers reopen before searching new data. A Chroma server has one copy: no reopening.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

_registry_lock = threading.Lock()
_local: dict[str, _LocalClient] = {}


class _Gate:
    """Calls share the client; a reopen waits until none is in flight (the old client must stop
    before the new one opens, or the new one gets the old one's vector index)."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._active = 0
        self._closing = False
        self._mine = threading.local()

    def depth(self) -> int:
        return int(getattr(self._mine, "depth", 0))

    @contextlib.contextmanager
    def shared(self) -> Iterator[None]:
        depth = self.depth()
        if depth == 0:
            with self._cond:
                while self._closing:
                    self._cond.wait()
                self._active += 1
        self._mine.depth = depth + 1
        try:
            yield
        finally:
            self._mine.depth = depth
            if depth == 0:
                with self._cond:
                    self._active -= 1
                    self._cond.notify_all()

    def close(self, *, wait: bool) -> bool:
        """Stop new calls and wait for those in flight (or give up at once unless `wait`)."""
        if self.depth():
            return False  # this thread is inside a call: it cannot wait for itself
        with self._cond:
            if self._closing or (self._active and not wait):
                return False
            self._closing = True
            while self._active:
                self._cond.wait()
        return True

    def reopen_done(self) -> None:
        with self._cond:
            self._closing = False
            self._cond.notify_all()


@dataclass
class _LocalClient:
    client: Any
    generation: int = 0
    known_stamp: tuple[int, str] | None = None  # the last version this process read or wrote
    gate: _Gate = field(default_factory=_Gate)


def _chroma_settings() -> Any:
    from chromadb.config import Settings as ChromaSettings

    return ChromaSettings(anonymized_telemetry=False)


def _open_local(path: str) -> Any:
    """Open a local store. Two processes opening a new store at once would both create its tables (Chroma
    fails with "table … already exists"), so opening is serialised across processes by a lock file beside it."""
    import chromadb
    from filelock import FileLock

    with FileLock(f"{path}.open.lock"):
        return chromadb.PersistentClient(path=path, settings=_chroma_settings())


class ChromaConnection:
    """The client for a Chroma server or a local path, with reopening for local stores."""

    def __init__(self, *, path: Path | None = None, host: str | None = None, port: int = 8000) -> None:
        self.path = str(Path(path).resolve()) if path is not None else None
        self.host = host
        self.port = port
        self._http: Any = None

    @property
    def is_local(self) -> bool:
        """True for a local (embedded) store, False for a Chroma server."""
        return self.host is None

    @contextlib.contextmanager
    def using(self) -> Iterator[None]:
        """Hold while calling Chroma, so that a reopen never stops the client under a call."""
        if not self.is_local:
            yield
            return
        self.client()
        with _local[self.path or ""].gate.shared():
            yield

    def client(self) -> tuple[Any, int]:
        """The client and its generation (a reopen gives a new generation)."""
        if not self.is_local:
            assert self.host is not None
            if self._http is None:
                import chromadb

                self._http = chromadb.HttpClient(host=self.host, port=self.port, settings=_chroma_settings())
            return self._http, 0
        assert self.path is not None
        with _registry_lock:
            entry = _local.get(self.path)
            if entry is None:
                Path(self.path).mkdir(parents=True, exist_ok=True)
                entry = _local[self.path] = _LocalClient(_open_local(self.path))
            return entry.client, entry.generation

    def known_stamp(self) -> tuple[int, str] | None:
        """The version this process last saw of a local store (None: never looked)."""
        entry = _local.get(self.path or "")
        return entry.known_stamp if entry else None

    def note_stamp(self, stamp: tuple[int, str]) -> None:
        """Remember the version the open client is in step with."""
        entry = _local.get(self.path or "")
        if entry is not None:
            entry.known_stamp = stamp

    def reopen(self, stamp: tuple[int, str], *, wait: bool = True) -> bool:
        """Open a local store afresh: its vector index as saved, plus the writes logged since.

        Returns False when it did not (a call is in flight in this thread, or `wait` is False and
        one is in flight elsewhere): the caller keeps the old client for now.
        """
        if not self.is_local:
            return True
        from chromadb.api.shared_system_client import SharedSystemClient

        assert self.path is not None
        entry = _local.get(self.path)
        if entry is None:
            return True
        if not entry.gate.close(wait=wait):
            return False
        try:
            with _registry_lock:
                system = SharedSystemClient._identifier_to_system.pop(self.path, None)
                SharedSystemClient._identifier_to_refcount.pop(self.path, None)
                if system is not None:
                    system.stop()
                entry.client = _open_local(self.path)
                entry.generation += 1
                entry.known_stamp = stamp
        finally:
            entry.gate.reopen_done()
        return True

    def close(self) -> None:
        """Stop a local store's client in this process (it saves its vector index); the next call opens it again."""
        if not self.is_local:
            return
        from chromadb.api.shared_system_client import SharedSystemClient

        with _registry_lock:
            entry = _local.pop(self.path or "", None)
            system = SharedSystemClient._identifier_to_system.pop(self.path or "", None)
            SharedSystemClient._identifier_to_refcount.pop(self.path or "", None)
        if entry is not None and not entry.gate.close(wait=True):
            return
        if system is not None:
            system.stop()
