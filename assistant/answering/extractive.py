"""Offline answers: quote the sentences or table rows that answer the question, cite them, or abstain.

Each clause of the retrieved chunks (a sentence, a "；" part of one, a list item, a table row) is
scored by how much of the question's information (IDF-weighted content words) it covers; its
section path and, for a list item, the sentence introducing the list count at half weight.
The question shapes the score and the selection:
- scope it names (a year, a district, a plan) that a source does not match makes the source unlikely;
  a clause (or its section heading) that speaks only of other years than the asked ones is not an answer;
- the indicator a figure question asks about ("…户籍人口城镇化率的目标是多少") must be named by the quoted
  clause, its specific words in order: a clause naming only some of them (常住人口城镇化率) does not answer;
  a table row of column headings holds no figure;
- the kind of answer it asks for (a figure, a figure with a given measure, a place) rewards clauses
  that hold one;
- list and "分别" questions take the whole enumeration, and items spelled out under labels the question
  names ("一城：…", "一都：…"), often in a box apart from the sentence naming the list; a quoted list item
  brings its lead-in;
- a question of several parts ("…多少所？…多少所？") or naming several plans or years gets one passage each.
Too little coverage means the sources don't answer: abstain with 文档中未提及.
"""

from __future__ import annotations

import math
import re
import threading
from dataclasses import dataclass, field

from assistant.models import Chunk, Retrieved
from assistant.text import norm, sentences

NOT_FOUND = "文档中未提及"

_STOP = (
    "什么 哪些 哪个 哪几 哪几个 哪几项 哪家 哪座 多少 几个 几 是否 怎么 怎样 如何 为什么 分别 具体 提出 要求 目标 "
    "计划 规划 情况 主要 有关 关于 方面 哪里 哪 吗 呢 的 了 是 在 和 与 对 把 给 要 有 到 中 里 上 为 由 被 将 按 及 "
    "或 等 请问 一下 指 包括 涉及 达到 定 给出 各 提 年 期间 全市 我市 准备 采用 采取 一致 多大 多高 多长"
)
_QUESTION_WORDS = frozenset(_STOP.split())
_NUMBER_Q = re.compile(
    r"多少|(?<!哪)几[个项家所条名万亿人次倍年天届]|第几|比例|比重|占比|百分之|率是|多大|多高|多长|规模|面积"
)
_LIST_Q = re.compile(r"哪些|哪几|包括|分别|有什么|具体指|具体是|各定|各是")
# "多少天", "多少平方米": the measure the figure must carry
_MEASURE_Q = re.compile(
    r"多少(平方米|平方公里|公里|万人|人|家|所|条|天|个|名|头|亿元|万元|元|吨|项|座|张|户|辆|次)"
)
_WHICH_PLACE_Q = re.compile(r"哪(?:个|些|几个)?(县|区|市|乡镇|镇|村|社区)")
_DIGIT = re.compile(r"\d")
_ITEM = re.compile(
    r"^\s*(?:[-*•◉●○]|（[一二三四五六七八九十\d]+）|\([\d一二三四五六七八九十]+\)|\d+[.、．]|[一二三四五六七八九十]+、)"
)
_PLAN_SUFFIX = re.compile(r"规划|纲要|实施意见|实施方案|方案|办法|报告")
_STEM_CUT = re.compile(r"[^\u4e00-\u9fff]|[和与及、的对在里中了把将年按]")
_PLACE_END = re.compile(r"区|县")
_NOT_PLACES = ("地区", "城区", "社区", "园区", "示范区", "区域", "县域", "县区")
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
_MD_EMPHASIS = re.compile(r"\*\*(.+?)\*\*")
_ORDINAL_KEY = re.compile(r"序号|编号|排名|排序")
_CLAUSE_END = ("。", "；", "！", "？", ";", "!", "?", "：", ":")
_TITLE_LINE = re.compile(r"^[^。，；,;！？!?]{2,24}$")
_QUOTED = re.compile(r"[“\"]([^”\"]{2,30})[”\"]")
_LABEL = re.compile(r"^([^\s：:。，,；]{2,6})[：:]")
_UNIT = re.compile(r"[（(]([^（）()]{1,8})[）)]\s*$")
# the asked measure: the words just before "多少" once the asking verbs are peeled off
# ("把城镇调查失业率控制在多少" -> 城镇调查失业率)
_ASK = re.compile(r"多少|(?<!哪)几[个项家所条名万亿人次倍天届张]|第几")
# nouns that name an indicator: a phrase ending in one is a precise name ("户籍人口城镇化率" is not
# "常住人口城镇化率"); counted things ("骨干企业" ~ "重点企业") are paraphrased too freely to require
_MEASURE_HEAD = re.compile(
    r"(?:率|量|数|面积|密度|占比|比重|比例|强度|总量|用时|时长|指数|指标|收入|产值|增加值|里程)$"
)
_ASK_FILLER = re.compile(
    r"(?:的|定的|提出的|给出的|确定的|控制目标|预期目标|目标值|目标|要求|指标值|合计|总计|总共|共|是|为|要|将|应|"
    r"力争|分别|各|给予|给|达到|达|提高到|提升到|控制在|降低到|下降到|增长到|发展到|增加到|保持在|稳定在|"
    r"\d{4}\s*年|和|与|及|、|\s)$"
)
_PHRASE_CUT = re.compile(r"[^\u4e00-\u9fff\w%（）()]|对|把|在|按照|年|末|期间|提出|里|的")
_SCOPE_PREFIX = re.compile(r"^(?:全市|全区|全县|全省|全年|我市|许昌市|许昌|本市)")

# a source outside the scope the question names is unlikely to answer it
SCOPE_PENALTY = 0.3  # named district, plan or past year not matched
YEAR_PENALTY = 0.5  # named year not matched by a source dated before it
# a quoted unit that does not name the measure asked for, or that speaks of another year, does not answer
PHRASE_PENALTY = 0.3
GENERIC_DF = 0.05  # a measure word in more than this share of chunks (服务业, 企业) says little: not required
_YEAR_SPAN = re.compile(r"((?:19|20)\d{2})\s*(?:[—–\-~至到]\s*((?:19|20)\d{2}))?\s*年")


@dataclass
class Unit:
    """A quotable unit: one clause of a chunk, or one table row."""

    context: int  # index into the retrieved list
    text: str  # verbatim quote
    display: str  # what the answer shows (a table row rendered with its headers)
    score: float = 0.0
    pos: int = 0  # order within its chunk
    sentence: int = 0  # clauses of one "。"-sentence share this
    intro: int | None = None  # pos of the "…：" clause introducing the list this item belongs to
    covered: frozenset[str] = field(default_factory=frozenset)


@dataclass
class _Part:
    """One sub-question with its weighted terms."""

    terms: dict[str, float]
    scope: dict[str, list[str]]
    wants_number: bool
    wants_list: bool
    measure: str | None
    which_place: str | None
    phrase: tuple[str, ...] = ()  # the asked measure's words that a quote must hold, in order
    phrase_head: str = ""  # its last word, which a quote may shorten (数量 -> 数)


class ExtractiveAnswerer:
    """Picks and cites source clauses; thread-safe, IDF statistics computed lazily from the store."""

    def __init__(self, store, *, abstain_below: float = 0.4):
        self.store = store
        self.abstain_below = abstain_below
        self._idf: dict[str, float] | None = None
        self._texts: list[str] = []
        self._titles: set[str] = set()
        self._sub_df: dict[str, int] = {}
        self._idf_size = -1
        self._lock = threading.Lock()

    def answer(self, question: str, retrieved: list[Retrieved]) -> tuple[str, dict[int, str], bool]:
        """Answer text with [n] markers, the quote behind each marker, and whether it abstained."""
        if not retrieved:
            return NOT_FOUND, {}, True
        self._idf_table()
        parts = self._parts(question)
        chosen: list[Unit] = []
        for part in parts:
            units = self._score(part, retrieved, part.scope)
            if not units or units[0].score < self.abstain_below:
                continue
            for u in self._select(part, units, retrieved, question):
                if not any(u.context == c.context and u.pos == c.pos for c in chosen):
                    chosen.append(u)
        if not chosen:
            return NOT_FOUND, {}, True
        chosen.sort(key=lambda u: (u.context, u.pos))
        lines, support = [], {}
        for unit in chosen:
            n = unit.context + 1
            support.setdefault(n, unit.text)
            lines.append(f"{unit.display}[{n}]")
        return "\n".join(lines), support, False

    # question --------------------------------------------------------------------------------
    def _parts(self, question: str) -> list[_Part]:
        """Sub-questions ("…？…？"); each keeps the others' words at half weight as shared topic."""
        pieces = [p for p in re.split(r"[？?]", question) if len(p.strip()) >= 4] or [question]
        own = [self._terms(p) for p in pieces]
        parts = []
        for i, piece in enumerate(pieces):
            terms = dict(own[i])
            for j, other in enumerate(own):
                if j != i:
                    for t, v in other.items():
                        terms.setdefault(t, 0.5 * v)
            measure = _MEASURE_Q.search(piece)
            place = _WHICH_PLACE_Q.search(piece)
            scope = self._scope(piece)
            scope["plan"] = self._scope(question)["plan"]
            parts.append(
                _Part(
                    terms,
                    scope,
                    bool(_NUMBER_Q.search(piece)),
                    bool(_LIST_Q.search(piece)),
                    measure.group(1) if measure else None,
                    place.group(1) if place else None,
                    *self._phrase_words(piece),
                )
            )
        return parts

    def _terms(self, question: str) -> dict[str, float]:
        import jieba

        text = re.sub(r"[“”\"《》？?，,。、：:（）()]", " ", question)
        words = [norm(w) for w in jieba.lcut_for_search(text)]
        words = [
            w for w in dict.fromkeys(words) if w and w not in _QUESTION_WORDS and (len(w) >= 2 or w.isdigit())
        ]
        # a compound the corpus never writes ("环境规划") is a segmentation artefact: its parts carry the meaning;
        # a two-character string it never writes ("时定") is one across a word boundary
        present = [w for w in words if self._df(w) > 0 or len(w) > 2]
        # a compound the corpus never writes but whose parts spell it out ("环境规划") is a segmentation artefact
        kept = [
            w
            for w in present
            if self._df(w) > 0 or not _spelled_by(w, [o for o in present if o != w and o in w])
        ]
        # words inside a kept longer word would count the same text twice
        kept = [w for w in kept if not any(w != o and w in o for o in kept)]
        return {w: self._weight(w) for w in kept}

    def _phrase_words(self, piece: str) -> tuple[tuple[str, ...], str]:
        """The words of the measure a figure question asks about that a quote must hold, and its head word."""
        import jieba

        phrase = _measure_phrase(piece)
        if not phrase or not _MEASURE_HEAD.search(phrase):
            return (), ""
        words = jieba.lcut(phrase)
        limit = GENERIC_DF * max(self._idf_size, 1)
        kept = tuple(w for w in words if len(w) >= 2 and self._df(w) <= limit)
        return kept, words[-1] if kept and kept[-1] == words[-1] else ""

    def _scope(self, question: str) -> dict[str, list[str]]:
        """Years, districts and plan names the question names explicitly (places and plans only if stored)."""
        years = [norm(y) for y in _YEAR.findall(question)]
        places = []
        for m in _PLACE_END.finditer(question):
            stem = _STEM_CUT.split(question[max(0, m.start() - 4) : m.start()])[-1]
            name = norm(stem + m.group())
            if len(stem) >= 2 and not name.endswith(_NOT_PLACES) and self._df(name) > 0:
                places.append(name)
        plans = []
        for m in _PLAN_SUFFIX.finditer(question):
            before = question[max(0, m.start() - 8) : m.start()]
            stem = _STEM_CUT.split(before)[-1]
            if len(stem) >= 2 and any(_names(stem, t) for t in self._titles):
                plans.append(stem)
        return {"year": years, "place": places, "plan": list(dict.fromkeys(plans))}

    # scoring ---------------------------------------------------------------------------------
    def _score(self, part: _Part, retrieved: list[Retrieved], scope: dict[str, list[str]]) -> list[Unit]:
        terms = part.terms
        total = sum(terms.values()) or 1.0
        units: list[Unit] = []
        for i, r in enumerate(retrieved):
            c = r.chunk
            heading = norm(c.section_path)
            whole = norm(c.text) + norm(c.index_text) + heading
            penalty = 1.0
            asked = {int(y) for y in scope["year"]}
            if asked and not any(y in whole or c.year == int(y) for y in scope["year"]):
                # a document dated after the years is about another year; before them, it may set a target
                penalty *= SCOPE_PENALTY if c.year and c.year > max(asked) else YEAR_PENALTY
            section_years = _years(" ".join(c.section))
            if scope["place"] and not any(p in whole for p in scope["place"]):
                penalty *= SCOPE_PENALTY
            if scope["plan"] and not any(_names(p, norm(c.title)) for p in scope["plan"]):
                penalty *= SCOPE_PENALTY
            chunk_units = _units_of(c, i)
            by_pos = {u.pos: u for u in chunk_units}
            for u in chunk_units:
                body = norm(u.display if c.kind == "table_row" else u.text)
                lead = norm(by_pos[u.intro].text) if u.intro is not None else ""
                covered, got = set(), 0.0
                for t, v in terms.items():
                    if t in body:
                        covered.add(t)
                        got += v
                    elif t in lead or t in heading:
                        got += 0.5 * v
                    elif _abbreviates(t, body):
                        covered.add(t)
                        got += 0.8 * v
                    else:
                        got += 0.3 * v * _partial(t, body)
                score = got / total
                # the quote does not name the asked measure, speaks of another year, or is a heading row
                unit_penalty = 1.0
                if part.phrase and not (_holds(part, body) or _holds(part, lead)):
                    unit_penalty *= PHRASE_PENALTY
                if asked and (said := _years(body) | section_years) and not said & asked:
                    unit_penalty *= PHRASE_PENALTY
                has_digit = bool(_DIGIT.search(u.text))
                if part.wants_number and c.kind == "table_row" and _header_row(c.text):
                    unit_penalty *= PHRASE_PENALTY  # column headings ("到 2025 年", "合计") hold no figure
                    has_digit = False
                if part.wants_number:
                    score += 0.08 if has_digit else 0.0
                    if not has_digit:
                        unit_penalty *= PHRASE_PENALTY  # "多少" is not answered by a bare indicator name
                    if part.measure and has_digit and part.measure in body:
                        score += 0.05
                if part.which_place and re.search(rf"[\u4e00-\u9fff]{{1,3}}{part.which_place}", body):
                    score += 0.1
                if part.wants_list and ("、" in u.text or "；" in u.text or u.intro is not None):
                    score += 0.05
                score = score * penalty * unit_penalty + 0.04 / (i + 1)  # retrieval rank as a tie-breaker
                u.score, u.covered = score, frozenset(covered)
                units.append(u)
        units.sort(key=lambda u: -u.score)
        return units

    def _select(
        self, part: _Part, units: list[Unit], retrieved: list[Retrieved], question: str
    ) -> list[Unit]:
        """The best unit with the statement around it; more passages for lists, several plans, several parts."""
        top = units[0]
        chosen = _expand(top, units, part)
        covered = set().union(*(u.covered for u in chosen))
        total = sum(part.terms.values()) or 1.0
        # one passage per plan or year the question names ("科技创新规划和制造业规划分别…", "2021年和2023年…")
        facets = []
        if len(part.scope["plan"]) > 1:
            facets += [
                lambda u, p=p: _names(p, norm(retrieved[u.context].chunk.title)) for p in part.scope["plan"]
            ]
        if len(part.scope["year"]) > 1:
            facets += [
                lambda u, y=int(y): _of_year(u, retrieved[u.context].chunk, y) for y in part.scope["year"]
            ]
        for matches in facets:
            if any(matches(u) for u in chosen):
                continue
            best = next((u for u in units if matches(u)), None)
            # a facet's passage must say something asked beyond the year ("2021年3月24日" is not an answer)
            says_more = best is not None and any(not re.fullmatch(r"\d+年?", t) for t in best.covered)
            if best is not None and says_more and best.score >= top.score * 0.5:
                chosen += [u for u in _expand(best, units, part) if u not in chosen]
        # further strong passages elsewhere only when they add words of the question not yet quoted
        limit = 3 if part.wants_list else 2
        for u in units[1:]:
            if len(chosen) >= limit + 2 or u.score < top.score * 0.8:
                break
            if u in chosen or any(
                norm(u.text) in norm(c.text) or norm(c.text) in norm(u.text) for c in chosen
            ):
                continue
            gain = sum(part.terms[t] for t in u.covered - covered) / total
            # list questions: a parallel statement in the same section ("打造500亿级化工…", "…建材…") is an item
            parallel = part.wants_list and u.covered >= top.covered and (
                retrieved[u.context].chunk.section == retrieved[top.context].chunk.section
            )
            if gain >= 0.15 or parallel:
                chosen += [x for x in _expand(u, units, part) if x not in chosen]
                covered |= u.covered
        if part.wants_list:
            chosen += [u for u in _labelled_items(units, question) if u not in chosen]
            for intro in _named_list(units, question):
                chosen += [u for u in _expand(intro, units, part) if u not in chosen]
        return chosen

    # IDF -------------------------------------------------------------------------------------
    def _weight(self, term: str) -> float:
        df = self._df(term)
        n = max(self._idf_size, 1)
        return math.log(1 + n / df) if df else math.log(1 + n)

    def _df(self, term: str) -> int:
        """Chunks holding the term as a word, else as a substring (cached)."""
        idf_df = self._idf.get(term) if self._idf else None
        if idf_df:
            return int(idf_df)
        if term not in self._sub_df:
            self._sub_df[term] = sum(term in t for t in self._texts)
        return self._sub_df[term]

    def _idf_table(self) -> dict[str, float]:
        store = self.store
        # keyed on the store version (every write bumps it), computed once per version and kept on disk
        versioned = hasattr(store, "version") and hasattr(store, "derived")
        with self._lock:
            key = store.version() if versioned else len(store.cached_chunks())
            if self._idf is None or self._idf_size != key:
                if versioned:
                    self._idf, self._texts, self._titles = store.derived("extractive-df", _statistics)
                else:
                    self._idf, self._texts, self._titles = _statistics(store.cached_chunks())
                self._sub_df = {}
                self._idf_size = key
            return self._idf


def _statistics(chunks: list[Chunk]) -> tuple[dict[str, float], list[str], set[str]]:
    """Document frequencies of words, normalised chunk texts and titles: what answering weighs terms by."""
    import jieba

    df: dict[str, int] = {}
    for c in chunks:
        for w in {norm(w) for w in jieba.lcut(c.index_text)}:
            df[w] = df.get(w, 0) + 1
    idf = {w: float(d) for w, d in df.items()}  # document frequencies
    return idf, [norm(c.index_text or c.text) for c in chunks], {norm(c.title) for c in chunks}


def _units_of(chunk: Chunk, context: int) -> list[Unit]:
    """The chunk's clauses (or its table row), with sentence ids and list structure."""
    if chunk.kind == "table_row":
        record = chunk.index_text.rstrip("\n").split("\n")[-1]
        return [Unit(context, chunk.text, _record_display(record) if record else chunk.text)]
    units: list[Unit] = []
    sentence, intro = 0, None
    previous_item = ""
    for line in chunk.text.split("\n"):
        if not line.strip():
            continue
        is_item = bool(_ITEM.match(line))
        # an item wrapped onto the next line ("◉先进制造业…深度融合的" / "现代产业高地") stays in its list
        wrapped = bool(previous_item) and not previous_item.rstrip().endswith(_CLAUSE_END) and bool(
            _TITLE_LINE.match(line.strip())
        )
        is_item = is_item or (wrapped and intro is not None)
        previous_item = line if is_item else ""
        if not is_item:
            intro = None
        line_intro = intro
        clauses = sentences(line)
        for k, clause in enumerate(clauses):
            units.append(
                Unit(
                    context,
                    clause,
                    _display(clause),
                    pos=len(units),
                    sentence=sentence,
                    intro=line_intro if is_item else None,
                )
            )
            if clause.endswith(("。", "！", "？", "!", "?")) or k == len(clauses) - 1:
                sentence += 1
        if clauses and (clauses[-1].endswith(("：", ":")) or (not is_item and _TITLE_LINE.match(line.strip()))):
            intro = len(units) - 1  # "…：" or a short title line ("打造六个高地") introduces the items below
    return units


def _expand(top: Unit, units: list[Unit], part: _Part) -> list[Unit]:
    """The unit with what makes it readable: its list's lead-in, the list it introduces, its whole
    enumeration for list questions, and a neighbour that continues the same statement."""
    same = sorted((u for u in units if u.context == top.context), key=lambda u: u.pos)
    chosen = [top]
    if top.intro is not None:
        chosen.append(next(u for u in same if u.pos == top.intro))
    items = [u for u in same if u.intro == top.pos]
    if items:
        # a lead-in needs its list: all of it for lists, else the items that match the question
        best = max(items, key=lambda u: u.score)
        chosen += items if part.wants_list or len(items) <= 3 else [best]
    if part.wants_list:
        chosen += [u for u in same if u.sentence == top.sentence]
        if top.intro is not None:
            chosen += [u for u in same if u.intro == top.intro]
    for offset in (1, -1):
        nb = next((u for u in same if u.pos == top.pos + offset), None)
        if (
            nb is not None
            and nb.score >= top.score * 0.6
            and (nb.covered - top.covered or nb.sentence == top.sentence)
        ):
            chosen.append(nb)
    return list({(u.context, u.pos): u for u in chosen}.values())


def _labelled_items(units: list[Unit], question: str) -> list[Unit]:
    """Items spelled out under labels the question names ("一城、一都…分别指什么" -> "一城：…", "一都：…"),
    often in a box apart from the sentence that names the list: the chunk with most such labels, if two or more."""
    asked = re.sub(r"[^\w]", "", norm(question))
    by_context: dict[int, dict[str, Unit]] = {}
    for u in units:
        m = _LABEL.match(u.text)
        if m and norm(m.group(1)) in asked:
            by_context.setdefault(u.context, {}).setdefault(norm(m.group(1)), u)
    best = max(by_context.values(), key=len, default={})
    return list(best.values()) if len(best) >= 2 else []


def _named_list(units: list[Unit], question: str) -> list[Unit]:
    """The lead-in of a list the question names in quotes ("“打造六个高地”，具体是哪六个？"), with items."""
    quoted = [norm(q) for q in _QUOTED.findall(question) if len(q) >= 3]
    heads = {(u.context, u.intro) for u in units if u.intro is not None}
    return [
        u for u in units
        if (u.context, u.pos) in heads and any(q in norm(u.text) or norm(u.text).rstrip("：:") in q for q in quoted)
    ][:1]


def _header_row(row: str) -> bool:
    """A table row of column headings: no cell holds a figure other than a year."""
    cells = [_YEAR_SPAN.sub("", cell) for cell in row.split("\t")]
    return not any(_DIGIT.search(cell) for cell in cells)


def _of_year(unit: Unit, chunk: Chunk, year: int) -> bool:
    """Whether a quote is about the year: it names the year, or its source is dated in it."""
    return chunk.year == year or year in _years(unit.display)


def _years(text: str) -> set[int]:
    """Years a text names ("2025年", "2021—2025年" as every year of the span)."""
    out: set[int] = set()
    for a, b in _YEAR_SPAN.findall(text):
        lo, hi = int(a), int(b or a)
        out.update(range(lo, hi + 1) if 0 <= hi - lo <= 30 else (lo, hi))
    return out


def _holds(part: _Part, body: str) -> bool:
    """Whether the text names the asked measure: its words in order, close together; the head word may be
    shortened to its first character (市场主体数量 ~ 市场主体数), not replaced (户籍人口 is not 常住人口)."""
    words = part.phrase
    if not body:
        return False
    at, start = 0, None
    for k, w in enumerate(words):
        if k == len(words) - 1 and part.phrase_head and start is not None and w not in body[at:]:
            return body[at : at + 1] == w[0]
        found = body.find(w, at)
        if found < 0:
            return False
        if start is None:
            start = found
        elif found - at > 4:  # the measure's words run together
            return False
        at = found + len(w)
    return True


def _measure_phrase(piece: str) -> str | None:
    """The measure a figure question asks about ("…户籍人口城镇化率的目标是多少" -> 户籍人口城镇化率)."""
    m = _ASK.search(piece)
    if not m:
        return None
    before = piece[: m.start()].rstrip()
    while (f := _ASK_FILLER.search(before)) and f.start() < len(before):
        before = before[: f.start()]
    phrase = _SCOPE_PREFIX.sub("", _PHRASE_CUT.split(before)[-1])
    return norm(phrase) if len(phrase) >= 3 else None


def _names(stem: str, title: str) -> bool:
    """Whether a plan name from a question ("科技创新", "促投资") names a title: its characters in order,
    the first two together."""
    if stem[:2] not in title:
        return False
    at = title.find(stem[:2]) + 2
    for ch in stem[2:]:
        at = title.find(ch, at)
        if at < 0:
            return False
        at += 1
    return True


def _spelled_by(word: str, parts: list[str]) -> bool:
    """Whether the parts cover every character of the word."""
    hit = [False] * len(word)
    for p in parts:
        at = word.find(p)
        while at >= 0:
            hit[at : at + len(p)] = [True] * len(p)
            at = word.find(p, at + 1)
    return all(hit)


def _abbreviates(term: str, body: str) -> bool:
    """A question's abbreviation spelled out in the text (规上 → 规模以上): its characters in order within a
    span at most twice its length."""
    if not 2 <= len(term) <= 3 or not re.fullmatch(r"[\u4e00-\u9fff]+", term):
        return False
    start = body.find(term[0])
    while start >= 0:
        at, ok = start + 1, True
        for ch in term[1:]:
            at = body.find(ch, at, start + 2 * len(term))
            if at < 0:
                ok = False
                break
            at += 1
        if ok:
            return True
        start = body.find(term[0], start + 1)
    return False


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
    if not unit:
        return record
    out = []
    for p in pairs:
        if len(p) == 2 and re.fullmatch(r"[\d.]+", p[1].strip()) and not _ORDINAL_KEY.search(p[0]):
            p = [p[0], p[1].strip() + unit]
        out.append("：".join(p))
    return "；".join(out)
