"""jieba word segmentation, its prefix dictionary read from a cache file a first character at a time.

jieba's own start loads its whole prefix dictionary (half a million words and prefixes) before the first word:
~0.8 s of a cold `assistant ask`. The dictionary is the same; only how it is loaded differs. The cache file
holds it cut by first character, and a sentence loads the parts of the characters it contains: every lookup
jieba makes while segmenting a sentence is a piece of that sentence (its DAG, the route, the search-mode
grams), so the words found are exactly jieba's. The file is keyed by jieba's version and its dictionary file
(size, time), checked whole on opening (a damaged file is built again), and replaced atomically.

All segmentation in the product goes through `tokenizer()` (or `lcut`, `lcut_for_search`), so queries are
segmented exactly as ingest segmented the documents.
"""

from __future__ import annotations

import hashlib
import logging
import marshal
import mmap
import os
import struct
import sys
import tempfile
import threading
import zlib
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

FORMAT = 3
_MAGIC = b"JPFX"
_HEAD = struct.Struct("<4sII")  # magic, header length, crc32 of the body

_lock = threading.Lock()
_cache_dir: Path | None = None
_tokenizer: Any = None


def default_cache_dir() -> Path:
    """Where the cache file goes when the process names no cache directory (tests, tools)."""
    return Path(tempfile.gettempdir()) / "plan-assistant-cache"


def use_cache_dir(directory: Path) -> None:
    """Keep the prefix dictionary cache in `directory` (settings.model_cache_dir); before first use."""
    global _cache_dir
    with _lock:
        if _tokenizer is None:
            _cache_dir = Path(directory)


def tokenizer() -> Any:
    """The process's jieba tokenizer (a `jieba.Tokenizer`), ready to segment."""
    global _tokenizer
    with _lock:
        if _tokenizer is None:
            _tokenizer = make_tokenizer(_cache_dir or default_cache_dir())
        return _tokenizer


def lcut(text: str) -> list[str]:
    """jieba's default mode, as a list (`jieba.lcut`)."""
    return list(tokenizer().cut(text))


def lcut_for_search(text: str) -> list[str]:
    """jieba's search-engine mode, as a list (`jieba.lcut_for_search`)."""
    return list(tokenizer().cut_for_search(text))


def word_count(word: str) -> int:
    """How often jieba's dictionary counts the word in general Chinese (0: a word it does not know, e.g. one its
    HMM put together)."""
    tk = tokenizer()
    tk.get_DAG(word)  # loads the dictionary parts of the word's characters
    return int(tk.FREQ.get(word) or 0)


def function_tag(word: str) -> str | None:
    """jieba's part-of-speech tag of a function word of its dictionary (FUNCTION_TAGS); None for any other word."""
    tag: str | None = tokenizer().tags.get(word)
    return tag


def word_tag(word: str) -> str | None:
    """jieba's part-of-speech tag of a word of its dictionary ("n" a noun, "ns" a place, "v" a verb, "m" a numeral…);
    None for a word it does not list."""
    tk = tokenizer()
    tk.get_DAG(word)  # loads the dictionary part of the word's first character
    tag: str | None = tk.word_tags.get(word)
    return tag


def import_jieba() -> Any:
    """jieba, imported without pkg_resources: it asks that only to find its own dictionary file, which
    it then opens by path, and importing pkg_resources is a quarter of a cold `assistant ask` (0.5 s)."""
    if "jieba" in sys.modules or "pkg_resources" in sys.modules:
        import jieba

        return jieba
    sys.modules["pkg_resources"] = None  # type: ignore[assignment]  # makes `import pkg_resources` fail
    try:
        import jieba
    finally:
        del sys.modules["pkg_resources"]
    return jieba


class PrefixDict:
    """The cache file: jieba's prefix dictionary in parts by first character, and its total count."""

    def __init__(self, path: Path, key: str) -> None:
        self.path = path
        self.key = key
        with open(path, "rb") as f:
            self._map = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
        try:
            magic, head_len, crc = _HEAD.unpack_from(self._map, 0)
            if magic != _MAGIC:
                raise ValueError("not a prefix dictionary cache")
            body = _HEAD.size + head_len
            if zlib.crc32(memoryview(self._map)[body:]) != crc:
                raise ValueError("checksum mismatch")
            header = marshal.loads(self._map[_HEAD.size : body])
            if header["key"] != key:
                raise ValueError("written for another jieba or dictionary")
        except Exception:
            self._map.close()
            raise
        self.total: int = header["total"]
        self.tags: dict[str, str] = header["tags"]
        self._index: dict[str, tuple[int, int]] = header["index"]
        self._body = body

    def chars(self) -> list[str]:
        """Every first character with words."""
        return list(self._index)

    def part(self, char: str) -> tuple[dict[str, int], dict[str, str]]:
        """Words and prefixes starting with `char` and their counts, and those words' part-of-speech tags (empty
        when none)."""
        where = self._index.get(char)
        if where is None:
            return {}, {}
        start = self._body + where[0]
        counts, tags = marshal.loads(self._map[start : start + where[1]])
        return counts, tags

    @staticmethod
    def write(
        path: Path, key: str, freq: dict[str, int], total: int, tags: dict[str, str], word_tags: dict[str, str]
    ) -> None:
        """Write a cache file from a whole prefix dictionary, the function words' tags and every word's tag
        (atomically: readers see old or new)."""
        parts: dict[str, dict[str, int]] = {}
        for word, count in freq.items():
            parts.setdefault(word[0], {})[word] = count
        index: dict[str, tuple[int, int]] = {}
        chunks: list[bytes] = []
        offset = 0
        for char, part in parts.items():
            data = marshal.dumps((part, {w: t for w in part if (t := word_tags.get(w)) is not None}))
            index[char] = (offset, len(data))
            chunks.append(data)
            offset += len(data)
        body = b"".join(chunks)
        header = marshal.dumps({"key": key, "total": total, "index": index, "tags": tags})
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}-{threading.get_ident()}.tmp")
        with open(tmp, "wb") as f:
            f.write(_HEAD.pack(_MAGIC, len(header), zlib.crc32(body)))
            f.write(header)
            f.write(body)
        os.replace(tmp, path)


def cache_key(jieba: Any) -> str:
    """What the cache file depends on: this format, jieba's version and its dictionary file."""
    stat = os.stat(_dictionary_path(jieba))
    return f"{FORMAT}|jieba {jieba.__version__}|{stat.st_size}|{stat.st_mtime_ns}"


def _dictionary_path(jieba: Any) -> str:
    return os.path.join(os.path.dirname(jieba.__file__), jieba.DEFAULT_DICT_NAME)


def open_prefix_dict(cache_dir: Path, jieba: Any) -> PrefixDict:
    """The cache file for this jieba, built from jieba's dictionary when missing, stale or damaged."""
    key = cache_key(jieba)
    path = Path(cache_dir) / f"jieba-{hashlib.sha1(key.encode()).hexdigest()[:16]}.pfx"
    try:
        return PrefixDict(path, key)
    except FileNotFoundError:
        pass
    except Exception as exc:  # noqa: BLE001 - a damaged or foreign file is built again, whatever the damage
        log.warning("jieba prefix dictionary cache %s unreadable (%s): building it again", path, exc)
    with open(_dictionary_path(jieba), "rb") as f:
        freq, total = jieba.Tokenizer.gen_pfdict(f)
    word_tags = _word_tags(_dictionary_path(jieba))
    tags = {w: t for w, t in word_tags.items() if t in FUNCTION_TAGS}
    try:
        PrefixDict.write(path, key, freq, total, tags, word_tags)
        return PrefixDict(path, key)
    except OSError as exc:  # a read-only cache directory: this process keeps the dictionary in memory
        log.warning("could not write the jieba prefix dictionary cache %s: %s", path, exc)
        return _InMemory(freq, total, tags, word_tags)  # type: ignore[return-value]


# the part-of-speech tags of jieba's dictionary kept whole in the cache's header (every word's go with its part):
# function words (adverbs, pronouns, conjunctions,
# prepositions, particles, modal particles, interjections, onomatopoeia), a few thousand words
FUNCTION_TAGS = frozenset({"d", "r", "c", "p", "u", "y", "e", "o"})


def _word_tags(dictionary: str) -> dict[str, str]:
    """The dictionary's words and their part-of-speech tags ("word count tag" lines)."""
    tags = {}
    with open(dictionary, encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if len(parts) == 3:
                tags[parts[0]] = parts[2]
    return tags


class _InMemory:
    """A prefix dictionary already in memory (when the cache file cannot be written)."""

    def __init__(self, freq: dict[str, int], total: int, tags: dict[str, str], word_tags: dict[str, str]) -> None:
        self.total = total
        self.tags = tags
        self._parts: dict[str, dict[str, int]] = {}
        self._word_tags = word_tags
        for word, count in freq.items():
            self._parts.setdefault(word[0], {})[word] = count

    def chars(self) -> list[str]:
        return list(self._parts)

    def part(self, char: str) -> tuple[dict[str, int], dict[str, str]]:
        counts = self._parts.get(char, {})
        return counts, {w: t for w in counts if (t := self._word_tags.get(w)) is not None}


def make_tokenizer(cache_dir: Path) -> Any:
    """A jieba tokenizer over the cached prefix dictionary (segments exactly as `jieba.Tokenizer()`)."""
    jieba = import_jieba()
    jieba.setLogLevel(logging.WARNING)
    prefixes = open_prefix_dict(cache_dir, jieba)

    class CachedTokenizer(jieba.Tokenizer):  # type: ignore[misc,name-defined]
        """jieba's tokenizer; a sentence first loads the dictionary parts of its characters."""

        def __init__(self) -> None:
            super().__init__()
            self.FREQ: dict[str, int] = {}
            self.total = prefixes.total
            self.tags: dict[str, str] = prefixes.tags  # function words' part-of-speech tags
            self.word_tags: dict[str, str] = {}  # every word's, of the parts loaded
            self.initialized = True
            self._loaded: set[str] = set()
            self._parts_lock = threading.Lock()

        def _load(self, chars: set[str]) -> None:
            with self._parts_lock:
                for char in chars - self._loaded:
                    counts, tags = prefixes.part(char)
                    self.FREQ.update(counts)
                    self.word_tags.update(tags)
                    self._loaded.add(char)  # after the update: another thread may then skip it

        def load_all(self) -> None:
            """Every part (before changing the dictionary: jieba's add_word writes into it)."""
            self._load(set(prefixes.chars()))

        def get_DAG(self, sentence: str) -> dict[int, list[int]]:
            missing = set(sentence) - self._loaded
            if missing:
                self._load(missing)
            dag: dict[int, list[int]] = super().get_DAG(sentence)
            return dag

        def add_word(self, word: str, freq: int | None = None, tag: str | None = None) -> None:
            self.load_all()
            super().add_word(word, freq, tag)

        def suggest_freq(self, segment: Any, tune: bool = False) -> int:
            self.load_all()
            value: int = super().suggest_freq(segment, tune)
            return value

        def initialize(self, dictionary: str | None = None) -> None:
            if dictionary is not None:
                raise ValueError("the cached tokenizer keeps jieba's default dictionary")

    return CachedTokenizer()
