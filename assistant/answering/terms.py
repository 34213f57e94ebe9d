"""A question's terms: their weights over the collection, the wordings that count as each (synonyms, a shortening
written out, a count in digits, a compound with a word inside), the measure it asks in, and whether a text says a
term as itself rather than as part of another indicator ("单位国内生产总值能耗" does not say 国内生产总值)."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from assistant.answering.frame import QuestionFrame, asked_text
from assistant.answering.stats import CollectionStats
from assistant.answering.wording import content_terms
from assistant.index.segmenter import function_tag
from assistant.text import norm, number_of
from assistant.vocab import Synonyms, section, vocabulary

_MEASURE = re.compile(r"(?:多少|(?<![哪第那这前近好])几)\s*([\u4e00-\u9fff%]{1,4})")
_PERCENT_ASKED = re.compile(r"百分之(?:多少|几)")
# how a figure is asked after what it is of ("…是多少", "…要达到多少"): a modal, then the verb setting it
_MODAL = "(?:是|为|有|能|要|将|会|可|已|都)?"
_SET_TO = "达到|提高到|提升到|降到|降至|控制在|保持在|定在|定为|达"
# a rate asked by its name ("平均利率是多少", "覆盖率要达到多少"): a figure in % (or percentage points)
_RATE_ASKED = re.compile(rf"[\u4e00-\u9fff]率{_MODAL}(?:{_SET_TO})?了?多少(?![\u4e00-\u9fff])")
# a share asked by its name ("在制造业里占比多少了", "比重提高到多少"): a figure in % (or a share in words)
_SHARE_ASKED = re.compile(rf"(?:占比|比重|比例){_MODAL}(?:{_SET_TO}|到了|到)?了?多少(?:了|呢|啊)?(?![\u4e00-\u9fff])")

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

    def mentions(self, term: str, text: str) -> bool:
        """Whether a (normalised) text holds the term or one of its equivalents anywhere (as part of another indicator
        too): `has` without its second look. What a text does not mention, no part of it does."""
        if term in text or any(a in text for a in self.alternates.get(term, ())):
            return True
        gap = self.gapped.get(term)
        return bool(gap and gap.search(text))

    def has(self, term: str, text: str) -> bool:
        """Whether a (normalised) text holds the term or one of its equivalents (not only as part of another
        indicator: "单位国内生产总值能耗" does not hold 国内生产总值)."""
        if not self.mentions(term, text):
            return False
        gap = self.gapped.get(term)
        if term in self.bound and (_others()[2].search(text) or f"{term}率" in text):  # (a per-unit, share or rate word)
            words = (term, *self.alternates.get(term, ()))
            return not all(_as_other(text, i, w) for w in words for i in _where(text, w)) or bool(gap and gap.search(text))
        return True


def _asked_measure(asked: str) -> str | None:
    """The measure a question asks a figure in: the unit after 多少/几 ("多少亿元": 元, "多少个工作日": 工作日, "多少亿":
    亿), percentage points for "几个点", people for things counted that are people ("几个专职人员"), % for "百分之
    多少", 元 for money asked ("总投资是多少"); None when it asks in no measure."""
    found = _MEASURE.search(asked)
    measure = None
    if found is not None:
        raw = found.group(1)
        units, money, counted = _measure_words()
        if raw.startswith("个") and (rest := next((w for w in counted if len(w) >= 2 and raw[1:].startswith(w)), None)):
            return rest  # "多少个工作日" asks in 工作日, not in 个 ("多少个项目", "多少个亿元以上项目" in 个)
        counted_thing = re.split(r"[，,。？?！!；;、]", asked[found.start(1) :])[0]
        if counted_thing.startswith("个点"):
            return "百分点"
        if raw.startswith("个") and _PEOPLE.search(counted_thing):
            return "人"
        magnitude = _MAGNITUDE.match(raw)
        measure = "元" if raw.startswith(money) else next((u for u in units if raw.startswith(u)), None) or (
            magnitude.group(0) if magnitude else None)  # "多少亿": in 亿, of anything
    if measure is None and (_PERCENT_ASKED.search(asked) or _RATE_ASKED.search(asked) or _SHARE_ASKED.search(asked)):
        return "%"  # "提到百分之多少": a figure in %
    if measure is None and _money_asked(asked):
        return "元"  # "这条线总投资是多少": an amount of money
    return measure


def _money_asked(asked: str) -> bool:
    """Whether the thing a bare 多少 asks is money ("总投资是多少", "奖补资金有多少", "补贴标准是多少"): a money word
    right before it, or before the word for its rate or sum."""
    words = "|".join(map(re.escape, section("reading")["money_words"]))
    return bool(re.search(
        rf"(?:{words}|投资|投资额)(?:标准|额度|金额|数额)?(?:是|为|有|共|一共|总共)?多少(?![\u4e00-\u9fff%])", asked
    ))


_PEOPLE = re.compile(r"(?:人员|人才|人|员|师|士|生)[”\"]?$")  # what is counted is people (技师, 院士, 毕业生)
_MAGNITUDE = re.compile(r"万亿|亿|万")  # a magnitude asked without its unit ("总投资是多少亿")
_YEAR = re.compile(r"(?:19|20)\d{2}")
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
    for t in terms:  # a change "to" a figure is written with 至 as well as 到 ("降到" as "降至", "提高到" as "提高至")
        if len(t) >= 2 and t.endswith("到"):
            alternates[t] = alternates.get(t, frozenset()) | {f"{t[:-1]}至"}
    weights = {t: min([stats.idf(t), *(stats.idf(a) for a in alternates.get(t, ()))]) for t in terms}
    if text and shared:  # a sub-question keeps what the question said before it as shared topic, at half weight
        whole = asked_text(frame.question)
        before = norm(whole[: max(0, whole.find(text))] if text in whole else whole)
        own_year = bool(_YEAR.search(text))
        for t in (t for t in frame.terms if t in before):  # (not what a later part asks: that is its own)
            if own_year and _YEAR.fullmatch(t):
                continue  # (nor the year another part asks about, where this part names its own)
            if not any(t in phrase for phrase in alternates):
                weights.setdefault(t, 0.5 * stats.idf(t))
    for t, weight in weights.items():  # an adverb ("已经", "大概"): rare in documents, it says little of what is asked
        if function_tag(t) == "d":
            weights[t] = min(weight, ADVERB_WEIGHT)
    rarest = max(weights, key=weights.get) if weights else None  # type: ignore[arg-type]
    body = norm(re.sub(r"[？?，,。、“”《》]", "", text or frame.question))
    for w in sorted(vocabulary().question_words, key=lambda w: (-len(w), w)):  # longest first, the same every run
        body = body.replace(w, " ")
    grams = {body[i : i + 2] for i in range(len(body) - 1) if " " not in body[i : i + 2]}
    measure = _asked_measure(text or frame.question)
    gapped = {t: g for t in weights if (g := _gapped(t) if t not in alternates else _stated_apart(t, alternates[t]))}
    for t in weights:  # a three-character word passages rarely say, its word and last character apart ("出境游": 出境旅游)
        if t not in gapped and t not in alternates and len(t) == 3 and stats.freq(t) < SHORT_RARE and (g := _gapped_short(t)):
            gapped[t] = g
    asked = norm(text or frame.question)
    bound = frozenset(
        t for t in weights if not t.isdigit() and t not in _others()[0]
        and not any(_as_other(asked, i, w) for w in (t, *alternates.get(t, ())) for i in _where(asked, w))
    )
    return QuestionTerms(
        weights, rarest, grams, measure, alternates, frozenset(terms) if text else frozenset(), gapped, bound
    )


ADVERB_WEIGHT = 1.0  # the most an adverb of the question weighs (an IDF: a word in a third of the chunks)
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
    return _apart(*parts) if parts else None


def _apart(head: str, tail: str) -> re.Pattern[str]:
    """Two pieces of a term with a character or two standing between them ("粮食…产量", "出境…游"), or a number
    ("核电2—4号机组", "轨道交通7号线")."""
    return re.compile(f"{re.escape(head)}(?:[\u4e00-\u9fff]{{1,{_GAP}}}|{_NUMBERED}){re.escape(tail)}")


_NUMBERED = r"[\d一二三四五六七八九十]{1,3}(?:\s*[—–\-~～、至]\s*[\d一二三四五六七八九十]{1,3})*\s*号"


def _gapped_short(term: str) -> re.Pattern[str] | None:
    """A three-character word of a two-character dictionary word and one character ("出境|游") as a pattern that lets
    a character or two stand between them ("出境旅游"); None for another."""
    from assistant.index.segmenter import word_count

    if not re.fullmatch(r"[\u4e00-\u9fff]{3}", term) or not word_count(term[:2]):
        return None
    return _apart(term[:2], term[2])


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
