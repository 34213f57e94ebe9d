"""Chinese lexical (BM25) index: jieba words plus CJK character bigrams, scored as bm25s "lucene" scores them.

Tokenisation choices, applied the same way to passages and queries:
- NFKC first, so full-width digits, letters and ％ match their ASCII forms; latin is lowercased.
- jieba search-engine mode (`lcut_for_search`) gives words and the shorter words inside long
  ones (生产总值 -> 生产, 总值, 生产总值), which lets a short query word hit a long compound.
- Numbers stay whole ("12630", "2025", "5.5%"); a percentage also yields its bare number.
- Character bigrams of every CJK run are added (those jieba did not already emit), so a phrase
  that jieba splits differently in the question and in the document still matches. This costs
  index size, not precision: BM25's idf keeps frequent bigrams cheap.
- Punctuation, whitespace and a few function words (的, 是, 什么, 多少, ...) are dropped.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import re
import shutil
import threading
import unicodedata
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np

TOKENIZER_VERSION = "jieba-search+cjk-bigrams/1"

_STOPWORDS = frozenset(
    [
        "的",
        "了",
        "是",
        "在",
        "和",
        "与",
        "及",
        "或",
        "等",
        "之",
        "其",
        "对",
        "为",
        "把",
        "被",
        "将",
        "吗",
        "呢",
        "吧",
        "啊",
        "么",
        "什么",
        "多少",
        "哪些",
        "哪个",
        "如何",
        "怎么",
        "怎样",
        "是否",
        "有关",
        "关于",
        "请问",
    ]
)
_BIGRAM_SKIP = frozenset("的了是在和与及或等之其")
_CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_WORDLIKE = re.compile(r"[0-9a-z\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_PERCENT = re.compile(r"^(\d+(?:\.\d+)?)%$")


def _tokenizer() -> Any:
    """jieba's tokenizer, its dictionary loaded as sentences need it (see segmenter.py)."""
    from assistant.index.segmenter import tokenizer

    return tokenizer()


def tokenize(text: str) -> list[str]:
    """Index terms for `text` (see the module docstring for the choices made)."""
    norm = unicodedata.normalize("NFKC", text).lower()
    out: list[str] = []
    for raw in _tokenizer().cut_for_search(norm):
        tok = raw.strip()
        if not tok or tok in _STOPWORDS or not _WORDLIKE.search(tok):
            continue
        out.append(tok)
        m = _PERCENT.match(tok)
        if m:
            out.append(m.group(1))
    words = set(out)
    for run in _CJK_RUN.findall(norm):
        for a, b in itertools.pairwise(run):
            gram = a + b
            if gram in words or gram in _STOPWORDS or a in _BIGRAM_SKIP or b in _BIGRAM_SKIP:
                continue
            out.append(gram)
    return out


def fingerprint(items: Iterable[tuple[str, str]]) -> str:
    """Hash of sorted ids and their texts' hashes (and the tokenizer version)."""
    h = hashlib.sha256(TOKENIZER_VERSION.encode())
    for id_, text in sorted((i, hashlib.sha256(t.encode()).hexdigest()) for i, t in items):
        h.update(f"\x00{id_}\x01{text}".encode())
    return h.hexdigest()


@dataclass
class TermCounts:
    """Term counts of a run of texts (one source's chunks): what an index is built from, without jieba.

    `vocab` is local to the run; text n holds `terms[indptr[n]:indptr[n+1]]` (indexes into vocab)
    with counts `tf[...]`, and `lengths[n]` terms in all (repeats included).
    """

    vocab: list[str]
    indptr: np.ndarray
    terms: np.ndarray
    tf: np.ndarray
    lengths: np.ndarray

    def __len__(self) -> int:
        return len(self.lengths)


def count_terms(texts: Iterable[str]) -> TermCounts:
    """Tokenise texts and count their terms."""
    vocab: dict[str, int] = {}
    indptr = [0]
    terms: list[int] = []
    tf: list[int] = []
    lengths: list[int] = []
    for text in texts:
        counts: dict[int, int] = {}
        tokens = tokenize(text)
        for tok in tokens:
            tid = vocab.setdefault(tok, len(vocab))
            counts[tid] = counts.get(tid, 0) + 1
        terms.extend(counts)
        tf.extend(counts.values())
        indptr.append(len(terms))
        lengths.append(len(tokens))
    return TermCounts(
        list(vocab), np.asarray(indptr, dtype=np.int64), np.asarray(terms, dtype=np.int32),
        np.asarray(tf, dtype=np.float32), np.asarray(lengths, dtype=np.float32),
    )


K1, B = 1.5, 0.75  # bm25s "lucene" defaults
FORMAT = 2  # 2: segments of raw term frequencies, scored at query time (1 was bm25s's score matrix)
MERGE_FACTOR = 8  # this many segments of one size class are merged into one
LEVEL_DOCS = 1000  # size class 0 is up to this many live documents, class n up to LEVEL_DOCS * MERGE_FACTOR**n
MERGED_MAX_DOCS = 100_000  # segments are not merged beyond this (a merge costs what it rewrites)
DEAD_MAX = 0.5  # a segment with more removed documents than this is rewritten without them
WEIGHT_CACHE_POSTINGS = 16_000_000  # per version, the BM25 weights of this many postings stay cached (64 MB)


class _Vocab:
    """Term -> term id, append-only, shared by the successive versions of one index.

    A version uses the first `n_vocab` terms; a later version appends. Should two versions be made
    from one base (a refresh retried), the second copies the prefix rather than clash (`lineage` changes).
    """

    def __init__(self, terms: list[str]) -> None:
        self.terms = terms
        self.ids = {t: i for i, t in enumerate(terms)}
        self.lineage = os.urandom(8).hex()  # names this sequence of terms in the saved files
        self.loaded = False  # read from disk: the lineage is shared with whoever else read it
        self.lock = threading.Lock()

    def add(self, term: str) -> int:
        """The term's id, appended if new."""
        tid = self.ids.get(term)
        if tid is None:
            tid = self.ids[term] = len(self.terms)
            self.terms.append(term)
        return tid


@dataclass(frozen=True, eq=False)
class _Segment:
    """An immutable run of documents: their term frequencies term-major (for queries) and their term ids
    document-major (to subtract a removed document's terms from the document frequencies)."""

    name: str
    ids: list[str]
    lengths: np.ndarray  # float32: terms per document, repeats included
    terms: np.ndarray  # int32: sorted term ids present
    term_ptr: np.ndarray  # int64: postings of terms[j] are [term_ptr[j], term_ptr[j+1])
    post_docs: np.ndarray  # int32: document (in this segment) of each posting, ascending per term
    post_tf: np.ndarray  # float32: term frequency of each posting
    doc_ptr: np.ndarray  # int64: terms of document n are doc_terms[doc_ptr[n]:doc_ptr[n+1]]
    doc_terms: np.ndarray  # int32

    def __len__(self) -> int:
        return len(self.ids)

    def postings(self, term: int) -> tuple[np.ndarray, np.ndarray]:
        j = int(np.searchsorted(self.terms, np.int32(term)))  # a Python int would cast all the terms to int64 first
        if j == len(self.terms) or self.terms[j] != term:
            return _EMPTY_I, _EMPTY_F
        lo, hi = int(self.term_ptr[j]), int(self.term_ptr[j + 1])
        return self.post_docs[lo:hi], self.post_tf[lo:hi]

    def terms_of(self, docs: np.ndarray) -> np.ndarray:
        """Term ids of the given documents (each document's terms once)."""
        if not len(docs):
            return _EMPTY_I
        return np.concatenate([self.doc_terms[self.doc_ptr[d] : self.doc_ptr[d + 1]] for d in docs])

    @classmethod
    def from_postings(
        cls, ids: list[str], lengths: np.ndarray, docs: np.ndarray, terms: np.ndarray, tf: np.ndarray
    ) -> _Segment:
        """A segment from (document, term id, frequency) triples in any order."""
        by_doc = np.argsort(docs, kind="stable")
        order = by_doc[np.argsort(terms[by_doc], kind="stable")]  # term-major, documents ascending within a term
        post_terms, post_docs, post_tf = terms[order], docs[order].astype(np.int32), tf[order].astype(np.float32)
        starts = np.flatnonzero(np.r_[True, post_terms[1:] != post_terms[:-1]]) if len(post_terms) else _EMPTY_I
        doc_ptr = np.zeros(len(ids) + 1, dtype=np.int64)
        np.cumsum(np.bincount(docs, minlength=len(ids)), out=doc_ptr[1:])
        return cls(
            name=os.urandom(8).hex(), ids=ids, lengths=np.asarray(lengths, dtype=np.float32),
            terms=post_terms[starts].astype(np.int32), term_ptr=np.r_[starts, len(post_terms)].astype(np.int64),
            post_docs=post_docs, post_tf=post_tf, doc_ptr=doc_ptr, doc_terms=terms[by_doc].astype(np.int32),
        )

    _ARRAYS = ("lengths", "terms", "term_ptr", "post_docs", "post_tf", "doc_ptr", "doc_terms")

    def save(self, directory: Path) -> None:
        """Write as `directory/seg-<name>/` (once: a segment never changes)."""
        final = directory / f"seg-{self.name}"
        if final.exists():
            return
        tmp = directory / f".seg-{self.name}.{os.getpid()}-{threading.get_ident()}"
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        (tmp / "ids.json").write_text(json.dumps(self.ids, ensure_ascii=False), encoding="utf-8")
        for key in self._ARRAYS:
            np.save(tmp / f"{key}.npy", getattr(self, key), allow_pickle=False)
        os.replace(tmp, final)

    @classmethod
    def load(cls, directory: Path, name: str, *, mmap: bool) -> _Segment:
        folder = directory / f"seg-{name}"
        ids = json.loads((folder / "ids.json").read_text(encoding="utf-8"))
        # plain arrays over the mapping: slicing a np.memmap costs a Python-level __array_finalize__ per slice
        arrays = {k: np.asarray(np.load(folder / f"{k}.npy", mmap_mode="r" if mmap else None, allow_pickle=False))
                  for k in cls._ARRAYS}
        if len(arrays["lengths"]) != len(ids) or len(arrays["doc_ptr"]) != len(ids) + 1:
            raise ValueError(f"lexical segment {name} is damaged")
        return cls(name=name, ids=ids, **arrays)


_EMPTY_I = np.zeros(0, dtype=np.int32)
_EMPTY_F = np.zeros(0, dtype=np.float32)


class LexicalIndex:
    """BM25 over (id, index_text) pairs, with filtering by id, persistence and incremental updates.

    Scores are bm25s's "lucene" BM25 (k1 1.5, b 0.75), computed from raw term frequencies, so adding or
    removing documents touches only them: the collection statistics (document count, document
    frequencies, average length) are kept up to date, and a version weighs a term's postings with them
    the first time a query asks for the term (then keeps the weights, so a query adds precomputed
    weights as bm25s does).
    An index updated any number of times scores exactly as one built at once from the same documents
    (ties broken by id). Documents live in segments: each update adds one, and segments of one size
    class are merged `MERGE_FACTOR` at a time (as Lucene does), so an update costs what it adds plus an
    amortised merge, and a query reads a few dozen segments at most.
    """

    META = "meta.json"

    def __init__(
        self, segments: list[_Segment], alive: list[np.ndarray], vocab: _Vocab, n_vocab: int, df: np.ndarray,
        fingerprint: str,
    ) -> None:
        self.fingerprint = fingerprint
        self._segments = segments
        self._alive = alive
        self._vocab = vocab
        self._n_vocab = n_vocab
        self._df = df
        self._offsets = np.cumsum([0, *(len(s) for s in segments)])
        self._pos: dict[str, int] = {}
        self._ids_by_pos = [i for seg in segments for i in seg.ids]  # position -> id (removed ones included)
        self._n = 0
        total = 0.0
        for seg, live, offset in zip(segments, alive, self._offsets, strict=False):
            where = np.flatnonzero(live)
            self._pos.update(zip([seg.ids[i] for i in where], (where + offset).tolist(), strict=True))
            self._n += len(where)
            total += float(seg.lengths[where].astype(np.float64).sum())
        if self._n != len(self._pos):
            raise ValueError("duplicate ids in lexical index")
        self._total_len = total
        self._norms: list[np.ndarray] | None = None
        # term id -> its postings per segment with their BM25 weights; valid for this version only (N, df,
        # average length and the removed documents are fixed in it), which is this object's lifetime
        self._weights: OrderedDict[int, list[tuple[int, np.ndarray, np.ndarray]]] = OrderedDict()
        self._cached_postings = 0
        self._cache_lock = threading.Lock()

    def __len__(self) -> int:
        return self._n

    @cached_property
    def ids(self) -> list[str]:
        """The indexed ids (one list per version: the index never changes in place)."""
        return list(self._pos)

    @property
    def segments(self) -> int:
        """How many segments hold the documents (for tests and benchmarks)."""
        return len(self._segments)

    @classmethod
    def empty(cls, fingerprint: str = "") -> LexicalIndex:
        return cls([], [], _Vocab([]), 0, np.zeros(0, dtype=np.int64), fingerprint)

    @classmethod
    def build(cls, items: Iterable[tuple[str, str]]) -> LexicalIndex:
        """Tokenise and index the pairs (ids must be unique)."""
        pairs = list(items)
        ids = [i for i, _ in pairs]
        return cls.from_counts(ids, [count_terms(t for _, t in pairs)], fingerprint(pairs))

    @classmethod
    def from_counts(cls, ids: list[str], parts: Sequence[TermCounts], fingerprint: str) -> LexicalIndex:
        """Build from term counts (ids in the order of the parts' texts), as one segment."""
        if len(set(ids)) != len(ids) or len(ids) != sum(len(p) for p in parts):
            raise ValueError("ids must be unique and match the counted texts")
        return cls.empty().updated([], [(list(ids), list(parts))], fingerprint, merge=False)

    def updated(
        self, remove: Iterable[str], add: Sequence[tuple[list[str], Sequence[TermCounts]]], fingerprint: str,
        *, merge: bool = True,
    ) -> LexicalIndex:
        """A new index: this one without the `remove` ids, with the added texts (ids, their term counts).

        This index is left as it is (readers may be using it). An added id already present replaces it.
        """
        new_ids = [i for ids, _ in add for i in ids]
        if len(set(new_ids)) != len(new_ids) or len(new_ids) != sum(len(p) for _, parts in add for p in parts):
            raise ValueError("ids must be unique and match the counted texts")
        alive = list(self._alive)
        df = self._df
        gone: dict[int, list[int]] = {}
        for id_ in {*remove, *new_ids}:
            pos = self._pos.get(id_)
            if pos is not None:
                s = int(np.searchsorted(self._offsets, pos, side="right")) - 1
                gone.setdefault(s, []).append(pos - int(self._offsets[s]))
        if gone:
            df = df.copy()
            for s, local in gone.items():
                alive[s] = alive[s].copy()
                alive[s][local] = False
                df -= np.bincount(self._segments[s].terms_of(np.asarray(local)), minlength=len(df))
        segments = list(self._segments)
        vocab, n_vocab = self._vocab, self._n_vocab
        if new_ids:
            with self._vocab.lock:
                if len(vocab.terms) != n_vocab:  # another version was made from this one: fork the vocabulary
                    vocab = _Vocab(vocab.terms[:n_vocab])
                elif vocab.loaded:  # other processes may extend the same saved vocabulary their own way
                    vocab.lineage, vocab.loaded = os.urandom(8).hex(), False
                docs: list[np.ndarray] = []
                terms: list[np.ndarray] = []
                tfs: list[np.ndarray] = []
                lengths: list[np.ndarray] = []
                start = 0
                for part in (p for _, parts in add for p in parts):
                    tids = np.fromiter((vocab.add(t) for t in part.vocab), np.int32, len(part.vocab))
                    docs.append(np.repeat(np.arange(start, start + len(part), dtype=np.int32), np.diff(part.indptr)))
                    terms.append(tids[part.terms])
                    tfs.append(part.tf)
                    lengths.append(part.lengths)
                    start += len(part)
                n_vocab = len(vocab.terms)
            seg = _Segment.from_postings(
                new_ids, np.concatenate(lengths), np.concatenate(docs), np.concatenate(terms), np.concatenate(tfs)
            )
            df = np.concatenate([df, np.zeros(n_vocab - len(df), dtype=np.int64)])
            df += np.bincount(seg.doc_terms, minlength=n_vocab)
            segments.append(seg)
            alive.append(np.ones(len(seg), dtype=bool))
        if merge:
            segments, alive = _merged(segments, alive)
        return LexicalIndex(segments, alive, vocab, n_vocab, df, fingerprint)

    def _norm(self, s: int) -> np.ndarray:
        """Each document's length normalisation in segment s (for this version's average length)."""
        if self._norms is None:
            avg = self._total_len / max(self._n, 1)
            self._norms = [(K1 * ((1 - B) + B * seg.lengths / avg)).astype(np.float32) for seg in self._segments]
        return self._norms[s]

    def _term_weights(self, term: int) -> list[tuple[int, np.ndarray, np.ndarray]]:
        """(segment, documents, BM25 weight of the term in each) for every segment holding the term; a removed
        document weighs 0. Computed once per version and kept (least recently used dropped beyond
        `WEIGHT_CACHE_POSTINGS`), so a query costs one addition per posting, as with bm25s's precomputed matrix."""
        with self._cache_lock:
            hit = self._weights.get(term)
            if hit is not None:
                self._weights.move_to_end(term)
                return hit
        df = float(self._df[term])
        idf = np.float32(np.log(1.0 + (self._n - df + 0.5) / (df + 0.5)))
        out = []
        for s, seg in enumerate(self._segments):
            docs, tf = seg.postings(term)
            if len(docs):
                weights = tf / (self._norm(s)[docs] + tf) * idf
                dead = ~self._alive[s][docs]
                if dead.any():
                    weights[dead] = 0.0
                out.append((s, docs, weights))
        size = sum(len(d) for _, d, _ in out)
        with self._cache_lock:
            if term not in self._weights and size <= WEIGHT_CACHE_POSTINGS:
                self._weights[term] = out
                self._cached_postings += size
                while self._cached_postings > WEIGHT_CACHE_POSTINGS:
                    _, old = self._weights.popitem(last=False)
                    self._cached_postings -= sum(len(d) for _, d, _ in old)
        return out

    def search(self, query: str, k: int, allowed_ids: set[str] | None = None) -> list[tuple[str, float]]:
        """Top `k` (id, bm25 score) with a positive score, optionally only among `allowed_ids`."""
        if not self._n or k <= 0:
            return []
        known = ((self._vocab.ids.get(t), t) for t in tokenize(query))
        terms = [g for g, _ in known if g is not None and g < self._n_vocab and self._df[g] > 0]
        if not terms:
            return []
        scores = np.zeros(int(self._offsets[-1]), dtype=np.float32)
        parts = [scores[self._offsets[s] : self._offsets[s + 1]] for s in range(len(self._segments))]
        for term in terms:  # in query order, as bm25s sums
            for s, docs, weights in self._term_weights(term):
                np.add.at(parts[s], docs, weights)  # numpy 2's add.at: faster than `parts[s][docs] += weights`
        hits = np.flatnonzero(scores > 0)
        if allowed_ids is not None:
            # Best hits first, kept if allowed, while that checks fewer ids than looking up every allowed one
            # (a filter by year or by many documents allows a large share of the collection).
            m = k
            while m * 4 <= len(allowed_ids):
                best = self._best(scores, hits, m)
                found = [f for f in best if f[1] in allowed_ids]
                if len(found) >= k or len(best) == len(hits):
                    return [(id_, -neg) for neg, id_ in found[:k]]
                m *= 4
            keep = np.zeros(len(scores), dtype=bool)
            keep[[self._pos[i] for i in allowed_ids if i in self._pos]] = True
            hits = hits[keep[hits]]
        return [(id_, -neg) for neg, id_ in self._best(scores, hits, k)[:k]]

    def _best(self, scores: np.ndarray, hits: np.ndarray, m: int) -> list[tuple[float, str]]:
        """(-score, id) of the m best hits and every hit tied with the m-th, best first, ties by id."""
        if len(hits) > m:
            kth = np.partition(scores[hits], len(hits) - m)[len(hits) - m]
            hits = hits[scores[hits] >= kth]
        ids = self._ids_by_pos
        return sorted(zip((-scores[hits].astype(np.float64)).tolist(), [ids[p] for p in hits.tolist()], strict=True))

    def save(self, directory: Path) -> None:
        """Write to `directory`: new segments and vocabulary, then the meta file that names them (the commit).

        Segments already there are kept; files the meta file no longer names are deleted. One writer
        at a time (the caller holds the cache's lock); a reader sees the old or the new meta file.
        """
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        try:
            old = json.loads((directory / self.META).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            old = {}
        parts: list[list[Any]] = []
        have = 0
        if old.get("format") == FORMAT and old.get("lineage") == self._vocab.lineage:
            parts = [p for p in old.get("vocab", [])]
            have = sum(int(n) for _, n in parts)
            if have > self._n_vocab:
                parts, have = [], 0
        if have < self._n_vocab:
            name = f"vocab-{os.urandom(8).hex()}.json"
            _write_atomic(directory / name, json.dumps(self._vocab.terms[have : self._n_vocab], ensure_ascii=False))
            parts.append([name, self._n_vocab - have])
        for seg in self._segments:
            seg.save(directory)
        state = f"state-{os.urandom(8).hex()}.npz"
        tmp = directory / f".{state}"
        with open(tmp, "wb") as f:
            np.savez(f, df=self._df, alive=np.concatenate(self._alive) if self._alive else np.zeros(0, dtype=bool))
        os.replace(tmp, directory / state)
        meta = {
            "format": FORMAT, "tokenizer": TOKENIZER_VERSION, "fingerprint": self.fingerprint,
            "lineage": self._vocab.lineage, "vocab": parts, "n_vocab": self._n_vocab,
            "segments": [s.name for s in self._segments], "state": state,
        }
        _write_atomic(directory / self.META, json.dumps(meta, ensure_ascii=False))
        named = {self.META, state, *(p for p, _ in parts), *(f"seg-{s.name}" for s in self._segments)}
        for path in directory.iterdir():
            if path.name not in named and not path.name.startswith("."):
                if path.is_dir():
                    shutil.rmtree(path, ignore_errors=True)
                else:
                    path.unlink(missing_ok=True)

    @classmethod
    def load(cls, directory: Path, *, mmap: bool = False) -> LexicalIndex:
        """Read an index written by `save` (raises if missing or unreadable); `mmap` leaves the postings on disk."""
        directory = Path(directory)
        meta = json.loads((directory / cls.META).read_text(encoding="utf-8"))
        if meta.get("tokenizer") != TOKENIZER_VERSION or meta.get("format") != FORMAT:
            raise ValueError("lexical index written with another tokenizer or format")
        terms: list[str] = []
        for name, n in meta["vocab"]:
            part = json.loads((directory / name).read_text(encoding="utf-8"))
            if len(part) != n:
                raise ValueError("lexical vocabulary damaged")
            terms.extend(part)
        if len(terms) != meta["n_vocab"]:
            raise ValueError("lexical vocabulary damaged")
        vocab = _Vocab(terms)
        vocab.lineage, vocab.loaded = meta["lineage"], True
        segments = [_Segment.load(directory, name, mmap=mmap) for name in meta["segments"]]
        with np.load(directory / meta["state"], allow_pickle=False) as z:
            df, flat = z["df"], z["alive"]
        if len(df) != len(terms) or len(flat) != sum(len(s) for s in segments):
            raise ValueError("lexical index state damaged")
        alive = np.split(flat, np.cumsum([len(s) for s in segments])[:-1]) if segments else []
        return cls(segments, alive, vocab, len(terms), df, meta["fingerprint"])


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}-{threading.get_ident()}")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def _level(live: int) -> int:
    level, size = 0, LEVEL_DOCS
    while live > size:
        level, size = level + 1, size * MERGE_FACTOR
    return level


def _merged(segments: list[_Segment], alive: list[np.ndarray]) -> tuple[list[_Segment], list[np.ndarray]]:
    """Segments after the merge policy: mostly-removed ones rewritten, a full size class merged into one."""
    segments, alive = list(segments), list(alive)
    for s in range(len(segments)):
        if len(segments[s]) and 1 - alive[s].mean() > DEAD_MAX:
            segments[s], alive[s] = _merge([segments[s]], [alive[s]])
    keep = [s for s in range(len(segments)) if alive[s].any()]
    segments, alive = [segments[s] for s in keep], [alive[s] for s in keep]
    while len(segments) >= MERGE_FACTOR:
        live = [int(a.sum()) for a in alive]
        level = _level(live[-1])
        j = len(segments)
        while j > 0 and _level(live[j - 1]) == level:
            j -= 1
        if len(segments) - j < MERGE_FACTOR or sum(live[j:]) > MERGED_MAX_DOCS:
            break
        merged = _merge(segments[j:], alive[j:])
        segments, alive = [*segments[:j], merged[0]], [*alive[:j], merged[1]]
    return segments, alive


def _merge(segments: list[_Segment], alive: list[np.ndarray]) -> tuple[_Segment, np.ndarray]:
    """One segment holding the live documents of several, in order."""
    ids: list[str] = []
    lengths, docs, terms, tfs = [], [], [], []
    for seg, live in zip(segments, alive, strict=True):
        renumber = np.cumsum(live, dtype=np.int64) - 1 + len(ids)
        post_terms = np.repeat(seg.terms, np.diff(seg.term_ptr))
        keep = live[seg.post_docs]
        docs.append(renumber[seg.post_docs[keep]].astype(np.int32))
        terms.append(post_terms[keep])
        tfs.append(np.asarray(seg.post_tf)[keep])
        lengths.append(np.asarray(seg.lengths)[live])
        ids.extend(seg.ids[i] for i in np.flatnonzero(live))
    seg = _Segment.from_postings(ids, np.concatenate(lengths), np.concatenate(docs), np.concatenate(terms),
                                 np.concatenate(tfs))
    return seg, np.ones(len(seg), dtype=bool)
