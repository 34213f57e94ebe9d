"""Readable features of a candidate unit for a question (one facet of it), fed to the fitted scorer.

Each feature is a number a person can check: how much of the question the unit says, whether it
holds the kind of answer asked for, whether its document and years fit what the question names,
where retrieval ranked it.
"""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass, field

from assistant.answering.candidates import Candidate
from assistant.answering.frame import QuestionFrame, asked_text
from assistant.answering.stats import CollectionStats
from assistant.answering.wording import content_terms
from assistant.models import Retrieved
from assistant.retrieval.routing import Scope
from assistant.text import norm, number_of, years_in
from assistant.vocab import Synonyms, places, section, vocabulary

FEATURES = (
    "coverage",  # IDF-weighted share of the question's terms in the unit itself
    "coverage_context",  # ... in the unit, its list's lead-in, its section path or its document title
    "rare_term",  # the question's rarest term is in the unit
    "rare_term_context",  # ... in the unit or its context
    "bigrams",  # share of the question's character bigrams in the unit (paraphrase-tolerant)
    "heading",  # share of the question's terms in the unit's section path
    "retrieval",  # the chunk's retrieval score relative to the best
    "first_rank",  # 1 / retrieval rank
    "figure_fit",  # a figure is asked for and the unit holds one
    "figure_missing",  # a figure is asked for and the unit holds none
    "measure_unit",  # the asked measure ("多少人") is written after a figure in the unit
    "list_fit",  # a list is asked for and the unit introduces or is part of one
    "date_fit",  # a date is asked for and the unit holds one
    "entity_fit",  # "哪个县/部门…" is asked and the unit names a place of that level or a body
    "scope_fit",  # how well the unit's document fits the places/years/documents the question names
    "year_hit",  # the unit (or its section) names an asked year
    "year_conflict",  # the unit names years, none of them asked
    "term_figure",  # a clause of the unit holds one of the question's key terms and a figure
    "quoted",  # a phrase the question quotes is in the unit
    "table_row",  # the unit is a table row
    "title_line",  # the unit is a short title line without a statement
    "length",  # log length of the unit
)
_FIGURE = re.compile(r"(?<![\d年])\d+(?:\.\d+)?(?!\d*\s*年)|[一二三四五六七八九十百千万两]+(?:个|项|家|所|条|批|大)")
# a list item's own number ("2.", "（3）", "4、") is not a figure
ITEM_NUMBER = re.compile(r"^\s*(?:[（(]?\d{1,2}[）)]|\d{1,2}\s*[.．、](?!\d))")
_WHICH = re.compile(r"哪(?:个|些|一个|家)?\s*(省|市|县|区|州|乡镇|镇|村|街道|部门|单位|机构|企业|公司)")
_BODY = re.compile(r"[\u4e00-\u9fff]{2,}(?:局|委员会|委|办公室|办|厅|部|中心|公司|集团|银行|学校|大学|医院)")
_DATE = re.compile(r"(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月|\d{1,2}\s*月\s*\d{1,2}\s*日")
_CALENDAR = re.compile(r"(?:(?:19|20)\d{2}\s*年\s*)?\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?")  # "2022年3月23日", "3月"
_MEASURE = re.compile(r"(?:多少|(?<![哪第])几)\s*([\u4e00-\u9fff%]{1,4})")
_PERCENT_ASKED = re.compile(r"百分之(?:多少|几)")
_CLAUSE = re.compile(r"[，,；;。：:]")


@dataclass
class QuestionTerms:
    """A question's terms with their weights, computed once per question."""

    weights: dict[str, float]
    rarest: str | None
    bigrams: set[str]
    measure: str | None
    alternates: dict[str, frozenset[str]] = field(default_factory=dict)  # equivalent wordings of a term
    own: frozenset[str] = frozenset()  # a sub-question's own terms (the rest is the question's shared topic)
    gapped: dict[str, re.Pattern[str]] = field(default_factory=dict)  # a compound written with a word inside
    bound: frozenset[str] = frozenset()  # terms not read after 单位/人均 or as a share's whole (another indicator)

    @property
    def own_weights(self) -> dict[str, float]:
        """The weights of the terms this (sub-)question asks about itself."""
        return {t: w for t, w in self.weights.items() if not self.own or t in self.own}

    def has(self, term: str, text: str) -> bool:
        """Whether a (normalised) text holds the term or one of its equivalents (not only as part of another
        indicator: "单位国内生产总值能耗" does not hold 国内生产总值)."""
        gap = self.gapped.get(term)
        if not (term in text or any(a in text for a in self.alternates.get(term, ())) or gap and gap.search(text)):
            return False
        if term in self.bound and (_others()[2].search(text) or f"{term}率" in text):  # (a per-unit, share or rate word)
            words = (term, *self.alternates.get(term, ()))
            return not all(_as_other(text, i, w) for w in words for i in _where(text, w)) or bool(gap and gap.search(text))
        return True


_MAGNITUDE = re.compile(r"万亿|亿|万")  # a magnitude asked without its unit ("总投资是多少亿")
_COUNT_IN_WORDS = re.compile(r"([一二三四五六七八九十两百]+)([\u4e00-\u9fff])")  # "三年", "十件", "两批"


def question_terms(
    frame: QuestionFrame, stats: CollectionStats, text: str | None = None, synonyms: Synonyms | None = None,
    shared: bool = True,
) -> QuestionTerms:
    """Weights of the frame's terms (IDF over the collection); a sub-question may bring its own text.

    A term of the synonym table ("经济总量") counts as one term, matched by any of its equivalents
    ("国内生产总值", "GDP"), weighted like its commonest wording.
    """
    terms = [t for t in content_terms(text) if t not in frame.scope_words] if text else frame.terms
    alternates: dict[str, frozenset[str]] = {}
    if synonyms is not None:
        for phrase, others in synonyms.in_text(text or frame.question):
            phrase = norm(phrase)
            terms = [t for t in terms if t not in phrase] + [phrase]
            alternates[phrase] = frozenset(norm(o) for o in others)
    for t in terms:  # a rare word may shorten one the documents write out ("改厕": 改造农村户厕, "高企": 高新技术企业)
        if (long := _written_out(t, stats)) is not None:
            alternates[t] = alternates.get(t, frozenset()) | {long}
    for t in terms:  # a count in Chinese numerals is written in digits too ("三年" as "用3年时间")
        if (m := _COUNT_IN_WORDS.fullmatch(t)) and (n := number_of(m.group(1).replace("两", "二"))) is not None:
            alternates[t] = alternates.get(t, frozenset()) | {f"{n}{m.group(2)}"}
    weights = {t: min([stats.idf(t), *(stats.idf(a) for a in alternates.get(t, ()))]) for t in terms}
    if text and shared:  # a sub-question keeps what the question said before it as shared topic, at half weight
        whole = asked_text(frame.question)
        before = norm(whole[: max(0, whole.find(text))] if text in whole else whole)
        for t in (t for t in frame.terms if t in before):  # (not what a later part asks: that is its own)
            if not any(t in phrase for phrase in alternates):
                weights.setdefault(t, 0.5 * stats.idf(t))
    rarest = max(weights, key=weights.get) if weights else None  # type: ignore[arg-type]
    body = norm(re.sub(r"[？?，,。、“”《》]", "", text or frame.question))
    for w in vocabulary().question_words:
        body = body.replace(w, " ")
    grams = {body[i : i + 2] for i in range(len(body) - 1) if " " not in body[i : i + 2]}
    measure = m.group(1) if (m := _MEASURE.search(text or frame.question)) else None
    units, money, counted = _measure_words()
    if measure and measure.startswith("个") and (
        rest := next((w for w in counted if len(w) >= 2 and measure[1:].startswith(w)), None)
    ):
        measure = rest  # "多少个工作日" asks in 工作日, not in 个 ("多少个项目", "多少个亿元以上项目" in 个)
    else:
        measure = "元" if measure and measure.startswith(money) else next(
            (u for u in units if measure and measure.startswith(u)), None
        ) or (m.group(0) if measure and (m := _MAGNITUDE.match(measure)) else None)  # "多少亿": in 亿, of anything
    if measure is None and _PERCENT_ASKED.search(text or frame.question):
        measure = "%"  # "提到百分之多少": a figure in %
    gapped = {t: g for t in weights if (g := _gapped(t) if t not in alternates else _stated_apart(t, alternates[t]))}
    asked = norm(text or frame.question)
    bound = frozenset(
        t for t in weights if not t.isdigit() and t not in _others()[0]
        and not any(_as_other(asked, i, w) for w in (t, *alternates.get(t, ())) for i in _where(asked, w))
    )
    return QuestionTerms(
        weights, rarest, grams, measure, alternates, frozenset(terms) if text else frozenset(), gapped, bound
    )


SHORT_RARE = 3  # a word in fewer chunks than this may be read as a shortening of one the documents use


def _written_out(term: str, stats: CollectionStats) -> str | None:
    """The phrase the documents write a short, rare word out as (abbrev.reading_of: its characters starting words,
    in order, clearly the commonest such phrase); None for a word they use often enough, a word of general Chinese,
    or one they read no clearer. (A word they never use is rewritten in the question already: abbrev.)"""
    from assistant.answering.abbrev import reading_of
    from assistant.index.segmenter import lcut, word_count

    if not (2 <= len(term) <= 4 and re.fullmatch(r"[\u4e00-\u9fff]+", term)) or stats.df.get(term, 0) >= SHORT_RARE:
        return None
    if word_count(term):  # a word of general Chinese ("一共") is itself, not a shortening
        return None
    reading = stats.memo(("short", term), lambda: reading_of(term, stats.sample()))  # (the sample read once, if needed)
    if not reading or len(reading) <= len(term) or len(lcut(reading)[0]) < 2:
        return None  # (its first character a word of its own, "对|上市" for 对市, is no shortening's)
    return norm(reading)


@functools.cache
def _measure_words() -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """The units a figure is asked in, the words asking an amount of money ("多少钱": in 元), and the counters of
    the counter groups, longest first ("多少个工作日" asks in 工作日)."""
    counted = sorted({w for g in section("reading")["counter_groups"] for w in g}, key=len, reverse=True)
    return tuple(vocabulary().units), tuple(section("reading")["money_words"]), tuple(counted)


@functools.cache
def _others() -> tuple[tuple[str, ...], tuple[str, ...], re.Pattern[str]]:
    """The words that make another indicator of the one after them, the share words, and a pattern of either."""
    prefixes, shares = tuple(section("reading")["ratio_prefixes"]), tuple(section("reading")["share_words"])
    return prefixes, shares, re.compile("|".join(map(re.escape, (*prefixes, *shares))))


_CLAUSE_END = re.compile(r"[，。；、：,.;:！？!?\s]")


def _where(text: str, word: str) -> list[int]:
    """Where a word occurs in a text."""
    out, at = [], text.find(word)
    while at >= 0:
        out.append(at)
        at = text.find(word, at + 1)
    return out


def _as_other(text: str, at: int, word: str) -> bool:
    """Whether the word at this place names it as part of another indicator: after a word that makes one of it
    ("单位国内生产总值能耗", with up to two characters between: 单位|国内|生产总值), or as the whole a share is taken of
    ("在国内生产总值中的比重", "消费对经济增长的贡献率")."""
    before = re.split(_CLAUSE_END, text[max(0, at - 8) : at])[-1]  # what stands before it in its clause
    prefixes, shares, _ = _others()
    for head in (before[: len(before) - gap] for gap in range(3)):
        # (after an amount, 万元/亿元 measure it: "给予150万元奖补资金" names 奖补资金 itself)
        if any(head.endswith(p) and not re.search(r"\d\s*$", head[: -len(p)]) for p in prefixes):
            return True
    after = text[at + len(word) : at + len(word) + 6]
    if after.startswith("率"):  # a rate of it: "赤字率" is not the 赤字 asked ("赤字规模")
        return True
    share = any(after.startswith(f"{x}{w}") for x in ("中的", "中", "的", "") for w in shares)
    return share and any(c in "在占对" for c in before[-3:])


_GAP = 2  # characters a document may put inside a compound term ("粮食产量" written "粮食总产量")


@functools.lru_cache(maxsize=4096)
def _gapped(term: str) -> re.Pattern[str] | None:
    """A compound term of two dictionary words ("粮食|产量") as a pattern that lets a short word stand between
    them ("粮食总产量"); None for a term that is not such a compound."""
    parts = compound(term)
    return re.compile(f"{re.escape(parts[0])}[\u4e00-\u9fff]{{1,{_GAP}}}{re.escape(parts[1])}") if parts else None


# an amount stated between an indicator and its change ("生产总值31534亿元、增长3.3%", "…超过126万亿元，增长5.2%")
_AMOUNT_BETWEEN = r"[^。；;！？]{0,6}\d[\d.]*[^。；;！？\d]{0,6}"


@functools.lru_cache(maxsize=1024)
def _stated_apart(term: str, alternates: frozenset[str]) -> re.Pattern[str] | None:
    """A term of the synonym table that joins an indicator and its change ("生产总值增长"), as a pattern that lets
    the indicator's amount stand between them; None when no wording of it is such a compound."""
    compounds = [parts for w in sorted({term, *alternates}) if (parts := compound(w))]
    if not compounds:
        return None
    return re.compile("|".join(f"{re.escape(head)}{_AMOUNT_BETWEEN}{re.escape(tail)}" for head, tail in compounds))


def compound(term: str) -> tuple[str, str] | None:
    """A Chinese term of two dictionary words, split ("粮食产量" -> 粮食, 产量); None otherwise."""
    from assistant.index.segmenter import word_count

    if len(term) < 4 or not re.fullmatch(r"[\u4e00-\u9fff]+", term):
        return None
    for cut in range(2, len(term) - 1):
        head, tail = term[:cut], term[cut:]
        if word_count(head) and word_count(tail):
            return head, tail
    return None


def features(
    c: Candidate,
    frame: QuestionFrame,
    terms: QuestionTerms,
    retrieved: list[Retrieved],
    scope: Scope,
    doc_weights: dict[str, float],
    doc_year: int | None,
    relative: tuple[int, ...] = (),
    best: float | None = None,
) -> list[float]:
    """The feature vector of one candidate, in FEATURES order; `relative` holds the 今年/去年 offsets the
    question leaves to be resolved against the candidate's own document year; `best` the best retrieval
    score of `retrieved` when the caller scores many units of a long pool (computed here otherwise)."""
    body = norm(c.display if c.kind == "row" else c.text)
    heading = norm(" ".join(c.chunk.section))
    context = body + norm(c.chunk.title) + heading + norm(c.lead)
    total = sum(terms.weights.values()) or 1.0
    covered = sum(w for t, w in terms.weights.items() if terms.has(t, body)) / total
    covered_ctx = sum(w for t, w in terms.weights.items() if terms.has(t, context)) / total
    in_heading = sum(w for t, w in terms.weights.items() if terms.has(t, heading)) / total
    bigrams = sum(g in body for g in terms.bigrams) / len(terms.bigrams) if terms.bigrams else 0.0
    r = retrieved[c.context]
    best = best or max((x.score for x in retrieved), default=1.0) or 1.0
    # a list number, a date or a document number (某发〔2022〕87号) is not a figure
    plain_text = vocabulary().doc_number.sub("", _CALENDAR.sub("", ITEM_NUMBER.sub("", c.text)))
    figure = bool(_FIGURE.search(plain_text)) and not (c.kind == "row" and not any(_FIGURE.search(v) for _, v in c.cells))
    said_years = _years_of(c, doc_year)
    asked_years = set(scope.years) | ({doc_year + d for d in relative} if doc_year else set())
    list_like = c.kind in ("lead", "item") or "、" in c.text or c.text.count("；") >= 1
    return [
        covered,
        covered_ctx,
        float(bool(terms.rarest) and terms.has(terms.rarest or "", body)),
        float(bool(terms.rarest) and terms.has(terms.rarest or "", context)),
        bigrams,
        in_heading,
        r.score / best,
        1.0 / (c.context + 1),
        float(frame.wants_number and figure),
        float(frame.wants_number and not figure),
        float(bool(terms.measure) and figure and (terms.measure or "") in c.text),
        float(frame.answer_type == "list" and list_like),
        float(frame.answer_type == "date" and bool(_DATE.search(c.text))),
        float(_entity_fit(frame.question, c.text)),
        doc_weights.get(c.chunk.doc_id, 1.0) if doc_weights else 1.0,
        float(bool(asked_years & said_years)),
        float(bool(asked_years) and bool(said_years) and not asked_years & said_years),
        float(_term_figure(c.display, terms)),
        float(any(norm(q) in body for q in frame.quoted)),
        float(c.kind == "row"),
        float(c.kind == "lead" and not c.text.rstrip().endswith(("：", ":"))),
        math.log1p(len(body)),
    ]


def _entity_fit(question: str, text: str) -> bool:
    """A "哪个县/哪个部门" question and a unit that names a division of that level or a body."""
    m = _WHICH.search(question)
    if not m:
        return False
    kind = m.group(1)
    if kind in ("部门", "单位", "机构", "企业", "公司"):
        return bool(_BODY.search(text))
    return any(name.endswith(kind[-1]) for _, name, _ in places().find(text))


def _term_figure(text: str, terms: QuestionTerms) -> bool:
    """Whether one clause of the text holds both a key term of the question and a figure."""
    key = [t for t in sorted(terms.weights, key=lambda t: -terms.weights[t])[:3] if not t.isdigit()]
    for clause in _CLAUSE.split(text):
        flat = norm(clause)
        if _FIGURE.search(clause) and any(terms.has(t, flat) for t in key):
            return True
    return False


REVIEW_YEARS = 5  # a review section speaks of at most the five years before its document (a plan period)


def looks_back(c: Candidate, doc_year: int | None) -> bool:
    """Whether a unit speaks only of years before its document: before the plan period its title names, else
    before the document's year."""
    start, said = _start(c, doc_year), _years_of(c, doc_year)
    return start is not None and bool(said) and max(said) < start


def _start(c: Candidate, doc_year: int | None) -> int | None:
    """Where a unit's document begins: the first year of the plan period its title names, else its own year."""
    periods = [lo for _, (lo, _) in vocabulary().period_years(c.chunk.title)]
    return min(periods) if periods else doc_year


def _years_of(c: Candidate, doc_year: int | None) -> set[int]:
    """Years a unit speaks of: named in it or its section (a plan period as its years), and 今年/去年
    resolved against its document."""
    vocab = vocabulary()
    heading = " ".join(c.chunk.section)
    own = years_in(c.display)
    if doc_year:  # 今年/去年 in the unit, its list's lead-in ("今年发展主要预期目标是：") or its section ("过去一年…回顾")
        own |= {doc_year + d for d in vocab.relative_in(f"{c.text} {c.lead} {heading}").values()}
        own |= {doc_year} & years_in(heading)  # a report's "二、2024年…总体要求" heading
    # a plan period in the section speaks of its years; one the unit only mentions ("与“十四五”规划相衔接") does
    # when nothing dates the unit more closely, nor its section a year up to its document's ("一、2024年工作回顾" of a
    # 2025 report: "为“十四五”末…打下基础"; not a target year, "2035年远景目标")
    dated = bool(doc_year) and any(y <= (doc_year or 0) for y in years_in(heading))
    periods = vocab.period_years(heading) + (vocab.period_years(c.display) if not own and not dated else [])
    said = own | years_in(heading)
    for _, (lo, hi) in periods:
        said.update(range(lo, hi + 1))
    if not said and c.dated is not None:  # the year the part it stands in opens with ("2024年是…")
        said = {c.dated}
    start = _start(c, doc_year)
    if not said and start is not None and any(w in heading for w in section("reading")["review_headings"]):
        # (before the plan period its title names: a 十四五 plan reviews 十三五; else before the document's year)
        said = set(range(start - REVIEW_YEARS, start))
    return said
