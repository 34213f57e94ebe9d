"""Chinese lexical (BM25) index: jieba words plus CJK character bigrams, scored with bm25s.

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
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
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


class _Scores:
    """The BM25 matrix (term-major CSC arrays as bm25s saves them) and its vocabulary, scored the way bm25s's
    `get_scores` does (same arrays, same float32 sums): a query needs numpy only, not bm25s and scipy
    (importing them was a quarter of a second of a cold `assistant ask`)."""

    def __init__(
        self, data: np.ndarray, indices: np.ndarray, indptr: np.ndarray, num_docs: int, vocab: dict[str, int],
        dtype: str = "float32", int_dtype: str = "int32", nonoccurrence: np.ndarray | None = None,
    ) -> None:
        self.data, self.indices, self.indptr, self.num_docs = data, indices, indptr, num_docs
        self.vocab = vocab
        self.dtype, self.int_dtype = np.dtype(dtype), np.dtype(int_dtype)
        self.nonoccurrence = nonoccurrence

    @classmethod
    def of(cls, bm25: Any) -> _Scores:
        """The scores of a bm25s index built in this process."""
        m = bm25.scores
        return cls(m["data"], m["indices"], m["indptr"], int(m["num_docs"]), bm25.vocab_dict,
                   str(getattr(bm25, "dtype", "float32")), str(getattr(bm25, "int_dtype", "int32")),
                   getattr(bm25, "nonoccurrence_array", None))

    @classmethod
    def load(cls, directory: Path, *, mmap: bool) -> _Scores:
        """Read what `bm25s.BM25.save` wrote (its file names and formats)."""
        params = json.loads((directory / "params.index.json").read_text(encoding="utf-8"))
        if params.get("method", "lucene") not in ("lucene", "robertson", "atire"):
            raise ValueError(f"lexical index of bm25s method {params.get('method')!r}: not read here")
        vocab = json.loads((directory / "vocab.index.json").read_text(encoding="utf-8"))
        data, indices, indptr = (
            np.load(directory / f"{name}.csc.index.npy", mmap_mode="r" if mmap else None, allow_pickle=False)
            for name in ("data", "indices", "indptr")
        )
        nnoc_path = directory / "nonoccurrence_array.index.npy"
        nnoc = np.load(nnoc_path, allow_pickle=False) if nnoc_path.exists() else None
        return cls(data, indices, indptr, int(params["num_docs"]), vocab, params.get("dtype", "float32"),
                   params.get("int_dtype", "int32"), nnoc)

    def get_scores(self, terms: list[str]) -> np.ndarray:
        """Each document's score for these query terms (terms not in the vocabulary are left out)."""
        ids = np.asarray([self.vocab[t] for t in terms if t in self.vocab], dtype=self.int_dtype)
        if int(ids.max(initial=0)) >= len(self.indptr) - 1:
            raise ValueError("query term ids beyond the index's vocabulary")
        starts, ends = self.indptr[ids], self.indptr[ids + 1]
        scores = np.zeros(self.num_docs, dtype=self.dtype)
        for start, end in zip(starts, ends, strict=True):
            np.add.at(scores, self.indices[start:end], self.data[start:end])
        if self.nonoccurrence is not None:
            scores += self.nonoccurrence[ids].sum()
        return scores

    def as_bm25(self) -> Any:
        """A bm25s index over the same scores (to save it in bm25s's format)."""
        import bm25s

        bm25 = bm25s.BM25()
        bm25.scores = {"data": self.data, "indices": self.indices, "indptr": self.indptr, "num_docs": self.num_docs}
        bm25.vocab_dict = self.vocab
        bm25.unique_token_ids_set = set(self.vocab.values())
        bm25.nonoccurrence_array = self.nonoccurrence
        return bm25


class LexicalIndex:
    """BM25 over (id, index_text) pairs, with filtering by id and persistence."""

    META = "meta.json"

    def __init__(self, ids: list[str], bm25: Any, fingerprint: str, *, scores: _Scores | None = None) -> None:
        self.ids = ids
        self.fingerprint = fingerprint
        self._bm25 = bm25  # a bm25s index built here (None when read from disk, or empty)
        self._scores = scores if scores is not None else (_Scores.of(bm25) if bm25 is not None else None)
        self._pos = {id_: i for i, id_ in enumerate(ids)}

    def __len__(self) -> int:
        return len(self.ids)

    @classmethod
    def build(cls, items: Iterable[tuple[str, str]]) -> LexicalIndex:
        """Tokenise and index the pairs (ids must be unique)."""
        pairs = list(items)
        ids = [i for i, _ in pairs]
        if len(set(ids)) != len(ids):
            raise ValueError("duplicate ids in lexical index input")
        bm25 = None
        if pairs:
            import bm25s

            bm25 = bm25s.BM25()
            bm25.index([tokenize(t) for _, t in pairs], show_progress=False)
        return cls(ids, bm25, fingerprint(pairs))

    @classmethod
    def from_counts(
        cls, ids: list[str], parts: Sequence[TermCounts], fingerprint: str, *, k1: float = 1.5, b: float = 0.75
    ) -> LexicalIndex:
        """Build from term counts (ids in the order of the parts' texts); the same scores as bm25s "lucene"."""
        if len(set(ids)) != len(ids) or len(ids) != sum(len(p) for p in parts):
            raise ValueError("ids must be unique and match the counted texts")
        if not ids:
            return cls([], None, fingerprint)
        import bm25s
        import scipy.sparse as sp

        # pass 1: one vocabulary, document frequencies and lengths; the rows stay in document order (CSR)
        vocab: dict[str, int] = {}
        term_parts = []
        for part in parts:
            local = np.fromiter((vocab.setdefault(t, len(vocab)) for t in part.vocab), np.int32, len(part.vocab))
            term_parts.append(local[part.terms])
        n_docs, n_vocab = len(ids), len(vocab)
        df = np.zeros(n_vocab, dtype=np.float64)
        for terms in term_parts:
            df += np.bincount(terms, minlength=n_vocab)
        idf = np.log(1.0 + (n_docs - df + 0.5) / (df + 0.5)).astype(np.float32)
        del df
        avg_len = float(np.concatenate([p.lengths for p in parts]).mean())
        # pass 2: each entry's score; then the term-major copy queries read (a linear transpose)
        data_parts = []
        for part, terms in zip(parts, term_parts, strict=True):
            norm = (k1 * ((1 - b) + b * part.lengths / avg_len)).astype(np.float32)
            tf = part.tf.astype(np.float32, copy=True)
            tf /= np.repeat(norm, np.diff(part.indptr)) + tf  # the term-frequency component
            tf *= idf[terms]
            data_parts.append(tf)
        indptr = np.zeros(n_docs + 1, dtype=np.int64)
        np.cumsum(np.concatenate([np.diff(p.indptr) for p in parts]), out=indptr[1:])
        rows = sp.csr_matrix(
            (np.concatenate(data_parts), np.concatenate(term_parts), indptr), shape=(n_docs, n_vocab)
        )
        del data_parts, term_parts
        matrix = rows.tocsc()
        del rows
        bm25 = bm25s.BM25()
        bm25.scores = {
            "data": matrix.data, "indices": matrix.indices, "indptr": matrix.indptr, "num_docs": n_docs,
        }
        bm25.vocab_dict = vocab
        bm25.unique_token_ids_set = set(vocab.values())
        bm25.nonoccurrence_array = None  # set by bm25s.index for its bm25l/bm25+ variants only
        return cls(list(ids), bm25, fingerprint)

    def search(self, query: str, k: int, allowed_ids: set[str] | None = None) -> list[tuple[str, float]]:
        """Top `k` (id, bm25 score) with a positive score, optionally only among `allowed_ids`."""
        if self._scores is None or k <= 0:
            return []
        vocab = self._scores.vocab
        terms = [t for t in tokenize(query) if t in vocab]
        if not terms:
            return []
        scores = np.asarray(self._scores.get_scores(terms), dtype=np.float64)
        if allowed_ids is not None:
            mask = np.zeros(len(self.ids), dtype=bool)
            mask[[self._pos[i] for i in allowed_ids if i in self._pos]] = True
            scores = np.where(mask, scores, 0.0)
        hits = np.flatnonzero(scores > 0)
        if len(hits) > k:
            hits = hits[np.argpartition(-scores[hits], k - 1)[:k]]
        order = hits[np.argsort(-scores[hits], kind="stable")]
        return [(self.ids[i], float(scores[i])) for i in order]

    def save(self, directory: Path) -> None:
        """Write to `directory`, replacing it as a whole (a reader sees old, new or nothing)."""
        directory = Path(directory)
        directory.parent.mkdir(parents=True, exist_ok=True)
        tmp = directory.with_name(f"{directory.name}.tmp-{os.getpid()}-{threading.get_ident()}")
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir()
        bm25 = self._bm25 if self._bm25 is not None else (self._scores.as_bm25() if self._scores else None)
        if bm25 is not None:
            bm25.save(str(tmp), show_progress=False)
        meta = {"ids": self.ids, "fingerprint": self.fingerprint, "tokenizer": TOKENIZER_VERSION}
        (tmp / self.META).write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
        old = directory.with_name(f"{directory.name}.old-{os.getpid()}-{threading.get_ident()}")
        if directory.exists():
            os.replace(directory, old)
        os.replace(tmp, directory)
        shutil.rmtree(old, ignore_errors=True)

    @classmethod
    def load(cls, directory: Path, *, mmap: bool = False) -> LexicalIndex:
        """Read an index written by `save` (raises if missing or unreadable); `mmap` leaves the matrix on disk."""
        directory = Path(directory)
        meta = json.loads((directory / cls.META).read_text(encoding="utf-8"))
        if meta.get("tokenizer") != TOKENIZER_VERSION:
            raise ValueError("lexical index written with another tokenizer")
        scores = _Scores.load(directory, mmap=mmap) if meta["ids"] else None
        return cls(list(meta["ids"]), None, meta["fingerprint"], scores=scores)
