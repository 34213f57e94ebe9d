"""Offline answers: quote the sentences or table rows that answer the question, cite them, or abstain.

Each sentence of the retrieved chunks is scored by how much of the question's information
(IDF-weighted content words) it and its section path cover, with a bonus for the kind of answer
the question asks for (a figure for 多少/几, an enumeration for 哪些). Too little coverage means
the sources don't answer: abstain with 文档中未提及.
"""

from __future__ import annotations

import math
import re
import threading
from dataclasses import dataclass

from assistant.citations import norm, sentences
from assistant.models import Chunk, Retrieved

NOT_FOUND = "文档中未提及"

_QUESTION_WORDS = frozenset(
    "什么 哪些 哪个 哪几 哪几个 哪几项 多少 几个 几 是否 怎么 怎样 如何 为什么 分别 具体 提出 要求 目标 计划 "
    "规划 情况 主要 有关 关于 方面 哪里 哪 吗 呢 的 了 是 在 和 与 对 把 给 要 有 到 中 里 上 为 由 被 将 按 及 或 等 "
    "请问 一下 指 包括 涉及 达到 定 给出 各 提 年 期间 全市 我市".split()
)
_NUMBER_Q = re.compile(r"多少|几[个项家所条名万亿人次倍年天]|比例|比重|占比|百分之|率是|多大|多高|多长|规模|面积")
_LIST_Q = re.compile(r"哪些|哪几|包括|分别是|分别有|有什么|具体指|具体是")
_DIGIT = re.compile(r"\d")


@dataclass
class Unit:
    """A quotable unit: one sentence of a chunk, or one table row."""

    context: int  # index into the retrieved list
    text: str  # verbatim quote
    display: str  # what the answer shows (a table row rendered with its headers)
    score: float = 0.0
    pos: int = 0  # order within its chunk


class ExtractiveAnswerer:
    """Picks and cites source sentences; thread-safe, IDF statistics computed lazily from the store."""

    def __init__(self, store, *, abstain_below: float = 0.4):
        self.store = store
        self.abstain_below = abstain_below
        self._idf: dict[str, float] | None = None
        self._idf_size = -1
        self._lock = threading.Lock()

    def answer(self, question: str, retrieved: list[Retrieved]) -> tuple[str, dict[int, str], bool]:
        """Answer text with [n] markers, the quote behind each marker, and whether it abstained."""
        terms = self._terms(question)
        units = self._score(question, terms, retrieved)
        if not units or units[0].score < self.abstain_below:
            return NOT_FOUND, {}, True
        chosen = self._select(question, units, retrieved)
        lines, support = [], {}
        for unit in chosen:
            n = unit.context + 1
            support.setdefault(n, unit.text)
            lines.append(f"{unit.display}[{n}]")
        return "\n".join(lines), support, False

    # scoring ---------------------------------------------------------------------------------
    def _terms(self, question: str) -> dict[str, float]:
        import jieba

        idf = self._idf_table()
        words = {w.strip() for w in jieba.lcut_for_search(re.sub(r"[“”\"《》？?，,。]", " ", question))}
        terms = {}
        for w in words:
            if not w or w in _QUESTION_WORDS or (len(w) < 2 and not w.isdigit()):
                continue
            terms[norm(w)] = idf.get(norm(w), self._max_idf)
        # drop words contained in a longer selected word: they would count the same text twice
        return {t: v for t, v in terms.items() if not any(t != o and t in o for o in terms)}

    def _score(self, question: str, terms: dict[str, float], retrieved: list[Retrieved]) -> list[Unit]:
        total = sum(terms.values()) or 1.0
        wants_number = bool(_NUMBER_Q.search(question))
        wants_list = bool(_LIST_Q.search(question))
        constraints = _constraints(question)
        units: list[Unit] = []
        for i, r in enumerate(retrieved):
            c = r.chunk
            heading = norm(c.section_path)
            whole = norm(c.text) + heading
            # an explicit year or place in the question must hold for the source (its text or its date)
            unmet = [x for x in constraints if x not in whole and not (x.isdigit() and c.year == int(x))]
            penalty = 0.5 ** len(unmet)
            for pos, (text, display) in enumerate(_units_of(c)):
                body = norm(text if c.kind == "text" else display)
                covered = sum(
                    v if t in body else 0.5 * v if t in heading else 0.5 * v * _partial(t, body)
                    for t, v in terms.items()
                )
                score = covered / total * penalty
                if wants_number and _DIGIT.search(text):
                    score += 0.08
                if wants_list and ("、" in text or "；" in text):
                    score += 0.05
                score += 0.04 / (i + 1)  # retrieval rank as a tie-breaker
                units.append(Unit(i, text, display, score, pos))
        units.sort(key=lambda u: -u.score)
        return units

    def _select(self, question: str, units: list[Unit], retrieved: list[Retrieved]) -> list[Unit]:
        """The best unit; for lists and multi-part questions, further strong units from other places."""
        top = units[0]
        chosen = [top]
        multi = bool(_LIST_Q.search(question)) or "和" in question or "分别" in question or "？" in question[:-1]
        limit = 3 if multi else 2
        bar = 0.8 if multi else 0.92
        docs = {retrieved[top.context].chunk.doc_id}
        for u in units[1:]:
            if len(chosen) >= limit:
                break
            if u.score < top.score * bar or any(norm(u.text) in norm(c.text) for c in chosen):
                continue
            # a second document's statement is what cross-document questions need
            same_doc = retrieved[u.context].chunk.doc_id in docs
            if same_doc and not multi:
                continue
            chosen.append(u)
            docs.add(retrieved[u.context].chunk.doc_id)
        # a sentence that introduces a list ("…：") needs the list that follows it; a strong neighbour
        # sentence usually continues the same statement ("市级…；县级…；乡镇…")
        for offset in (1, -1):
            nb = _neighbour(top, units, offset)
            if nb is None or nb in chosen:
                continue
            if (offset == 1 and top.text.rstrip().endswith(("：", ":"))) or nb.score >= top.score * 0.6:
                chosen.insert(1 if offset == 1 else 0, nb)
        return sorted(chosen, key=lambda u: (u.context, u.pos)) if len(chosen) > 1 else chosen

    # IDF -------------------------------------------------------------------------------------
    @property
    def _max_idf(self) -> float:
        return math.log(1 + max(self._idf_size, 1))

    def _idf_table(self) -> dict[str, float]:
        chunks = self.store.cached_chunks()
        with self._lock:
            if self._idf is None or self._idf_size != len(chunks):
                import jieba

                df: dict[str, int] = {}
                for c in chunks:
                    for w in set(jieba.lcut(c.index_text)):
                        df[norm(w)] = df.get(norm(w), 0) + 1
                n = len(chunks)
                self._idf = {w: math.log(1 + n / d) for w, d in df.items()}
                self._idf_size = n
            return self._idf


def _units_of(chunk: Chunk) -> list[tuple[str, str]]:
    """(verbatim quote, display text) pairs of a chunk."""
    if chunk.kind == "table_row":
        record = chunk.index_text.rstrip("\n").split("\n")[-1]
        return [(chunk.text, _record_display(record) if record else chunk.text)]
    return [(s, _display(s)) for s in sentences(chunk.text)]


def _neighbour(unit: Unit, units: list[Unit], offset: int) -> Unit | None:
    return next((u for u in units if u.context == unit.context and u.pos == unit.pos + offset), None)


_PLACE = re.compile(r"[\u4e00-\u9fff]{2,4}?(?:区|县)")
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
_MD_EMPHASIS = re.compile(r"\*\*(.+?)\*\*")
_UNIT = re.compile(r"[（(]([^（）()]{1,8})[）)]\s*$")


def _constraints(question: str) -> list[str]:
    """Years and district/county names the question names explicitly."""
    out = _YEAR.findall(question)
    out += [m for m in _PLACE.findall(question) if not m.endswith(("地区", "城区", "社区", "园区", "示范区"))]
    return [norm(x) for x in out]


def _partial(term: str, body: str) -> float:
    """Share of a term's character bigrams found in the text (首批 vs 第一批, 医共体 vs 医疗卫生共同体)."""
    grams = {term[i : i + 2] for i in range(len(term) - 1)}
    return sum(g in body for g in grams) / len(grams) if grams else 0.0


def _display(text: str) -> str:
    """Quote text for reading: markdown emphasis from conversions removed."""
    return _MD_EMPHASIS.sub(r"\1", text)


def _record_display(record: str) -> str:
    """A table record with the indicator's unit written after its numeric values (22 → 22%)."""
    pairs = [p.split("：", 1) for p in record.split("；")]
    unit = next((m.group(1) for p in pairs if len(p) == 2 and (m := _UNIT.search(p[1]))), None)
    if not unit or len(unit) > 4:
        return record
    out = []
    for p in pairs:
        if len(p) == 2 and re.fullmatch(r"[\d.]+", p[1].strip()) and not _YEAR.search(p[0] + "年"):
            p = [p[0], p[1].strip() + unit]
        elif len(p) == 2 and re.fullmatch(r"[\d.]+", p[1].strip()):
            p = [p[0], p[1].strip() + unit]
        out.append("：".join(p))
    return "；".join(out)
