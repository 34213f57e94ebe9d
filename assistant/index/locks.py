"""Write locks of the knowledge base: one writer at a time across threads, processes and replicas.

Local store: a lock file in the data directory (`filelock`; the kernel releases it when a process dies).
Chroma server: a lease held in the server itself. Creating a collection whose name exists fails, so
creating the lock collection is an atomic test-and-set; its metadata holds the owner and an expiry
that the holder renews. A killed holder's lease expires; whoever breaks it renames that collection
(by id, so a lease taken over meanwhile is never touched) before deleting it.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Protocol

log = logging.getLogger(__name__)


class LockTimeoutError(TimeoutError):
    """Another writer held the knowledge base for longer than we were willing to wait."""


class WriteLock(Protocol):
    """A reentrant (per thread) exclusive lock."""

    def hold(self) -> contextlib.AbstractContextManager[None]: ...


class _Reentrant:
    """Thread lock plus reentrancy count around an inter-process acquire/release pair."""

    def __init__(self) -> None:
        self._thread_lock = threading.RLock()
        self._depth = 0

    def _acquire(self) -> None:  # pragma: no cover - overridden
        raise NotImplementedError

    def _release(self) -> None:  # pragma: no cover - overridden
        raise NotImplementedError

    @contextlib.contextmanager
    def hold(self) -> Iterator[None]:
        """Hold the lock; nested holds in the same thread are free."""
        with self._thread_lock:
            if self._depth == 0:
                self._acquire()
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
                if self._depth == 0:
                    self._release()


class FileWriteLock(_Reentrant):
    """A lock file (`write.lock` in the data directory)."""

    def __init__(self, path: Path, *, timeout_s: float = 600.0) -> None:
        super().__init__()
        self.path = Path(path)
        self.timeout_s = timeout_s
        self._lock: Any = None

    def _acquire(self) -> None:
        from filelock import FileLock, Timeout

        if self._lock is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._lock = FileLock(str(self.path), thread_local=False)
        try:
            self._lock.acquire(timeout=self.timeout_s)
        except Timeout as exc:
            raise LockTimeoutError(f"another ingest holds {self.path} (waited {self.timeout_s:.0f} s)") from exc

    def _release(self) -> None:
        self._lock.release()

    @contextlib.contextmanager
    def attempt(self) -> Iterator[bool]:
        """Hold the lock if it is free now (or this thread holds it already); yields whether it is held."""
        from filelock import Timeout

        if not self._thread_lock.acquire(blocking=False):
            yield False
            return
        try:
            if self._depth:
                self._depth += 1
                try:
                    yield True
                finally:
                    self._depth -= 1
                return
            if self._lock is None:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                from filelock import FileLock

                self._lock = FileLock(str(self.path), thread_local=False)
            try:
                self._lock.acquire(timeout=0)
            except Timeout:
                yield False
                return
            self._depth = 1
            try:
                yield True
            finally:
                self._depth = 0
                self._lock.release()
        finally:
            self._thread_lock.release()


class ChromaLease(_Reentrant):
    """A lease in the Chroma server: the collection `name` exists while someone holds it."""

    def __init__(
        self, client: Any, name: str, *, ttl_s: float = 60.0, poll_s: float = 0.1, timeout_s: float = 600.0
    ) -> None:
        super().__init__()
        self.client = client
        self.name = name
        self.ttl_s = ttl_s
        self.poll_s = poll_s
        self.timeout_s = timeout_s
        self.owner = ""
        self._held: Any = None
        self._stop = threading.Event()
        self._beat: threading.Thread | None = None

    def _meta(self) -> dict[str, Any]:
        return {"owner": self.owner, "expires": time.time() + self.ttl_s}

    def _acquire(self) -> None:
        self.owner = uuid.uuid4().hex
        deadline = time.monotonic() + self.timeout_s
        while True:
            try:
                self._held = self.client.create_collection(self.name, metadata=self._meta())
                break
            except Exception as exc:  # chroma raises InternalError/UniqueConstraint variants
                if "exist" not in str(exc).lower():
                    raise
            self._break_if_expired()
            if time.monotonic() > deadline:
                raise LockTimeoutError(f"another writer holds the lease {self.name!r} (waited {self.timeout_s:.0f} s)")
            time.sleep(self.poll_s)
        self._stop.clear()
        self._beat = threading.Thread(target=self._renew, name=f"lease-{self.name}", daemon=True)
        self._beat.start()

    def _break_if_expired(self) -> None:
        try:
            current = self.client.get_collection(self.name)
        except Exception:  # noqa: BLE001 - released between our create and get: just try again
            return
        expires = float((current.metadata or {}).get("expires", 0))
        if expires >= time.time():
            return
        log.warning("breaking the expired write lease of %s", (current.metadata or {}).get("owner"))
        self._bury(current)

    def _bury(self, collection: Any) -> None:
        tomb = f"{self.name}-released-{uuid.uuid4().hex[:12]}"
        try:
            collection.modify(name=tomb)  # by id: a lease taken over since is another collection
            self.client.delete_collection(tomb)
        except Exception as exc:  # noqa: BLE001 - someone else buried it first
            log.debug("lease %s already released: %s", self.name, exc)

    def _renew(self) -> None:
        while not self._stop.wait(self.ttl_s / 4):
            try:
                self._held.modify(metadata=self._meta())
            except Exception:  # noqa: BLE001 - a network hiccup: the next beat tries again
                log.warning("could not renew the write lease %s", self.name)

    def _release(self) -> None:
        self._stop.set()
        if self._beat is not None:
            self._beat.join(timeout=5)
        if self._held is not None:
            self._bury(self._held)
        self._held = None
