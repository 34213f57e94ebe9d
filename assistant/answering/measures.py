"""The measure a quantity question asks in ("多少亿元", "多少小时", "多少元") and whether units give a figure in it."""

from __future__ import annotations

import functools
import re

from assistant.answering.candidates import Candidate
from assistant.answering.features import SHARE_IN_WORDS
from assistant.answering.present import clauses_of
from assistant.text import norm, number_of
from assistant.vocab import section, vocabulary


def measure_missing(
    measure: str | None, units: list[Candidate], question: str = "", stated: list[str] | None = None
) -> bool:
    """A question asking how many of a measure ("要达到多少亿元", "压缩到多少小时") answered by units that give no
    figure in it (a rate "年均增长7.8%", "3个工作日"): they answer something else. A figure followed by the thing
    the question counts ("在校学生多少人" answered by "2.9亿在校学生") is in its measure. `stated`: what each unit
    states besides the figures the question gives itself ("…接待游客量要破4900万人次，那过夜游客要达到多少人次" is
    not answered by "接待游客量突破4900万人次")."""
    same = _same_measure(measure)
    if not same:
        return False
    q = norm(question)
    # (what follows a figure the question names itself, "某号线延伸段建成后", is no thing it counts)
    counted = [c[:3] for u in units for m in _COUNTING.finditer(norm(u.display)) if len(c := m.group(1)) >= 3
               and c[:3] in q and not re.search(rf"\d\s*{re.escape(c[:3])}", q)]
    # a table row says its measure once, in a column ("单位：家") or a heading ("（亿元）")
    written = _written(tuple(same))
    rows = any(u.kind == "row" and (written.search(u.display) or _column_measure(tuple(same)).search(u.display))
               for u in units)
    texts = stated if stated is not None else [u.display for u in units]
    held = any(written.search(_NO_COUNT.sub("", text)) for text in texts)
    return not held and not rows and not counted and not _general_counter(measure, texts, q)


_BY_GENERAL = re.compile(r"([\u4e00-\u9fff]{2,6})\d[\d.]*[万亿千百]*个")


def _general_counter(measure: str | None, texts: list[str], q: str) -> bool:
    """Things counted by 个 where the question asks them by their own counter ("义务教育学校改扩建多少所" answered
    "改扩建义务教育薄弱学校1255个"): the things right before the figure are named by the question."""
    reading = section("reading")
    if measure not in reading["counters_of_things"]:
        return False
    return any(
        any(m.group(1)[i : i + 2] in q for i in range(len(m.group(1)) - 1))
        for text in texts for m in _BY_GENERAL.finditer(norm(text))
    )


def measure_apart(measure: str | None, units: list[Candidate], words: list[str]) -> bool:
    """A count asked in a measure ("毕业生留在省内就业的有多少人") answered by statements whose every figure in it
    stands in a clause that names none of the asked `words`, nor does the clause before it ("培养高层次人才995人，
    省内高校毕业生67.5%留省就业": the 人 are another thing's; the graduates are given as a share). A table row
    names its indicator in its own cells and is not read so."""
    same = _same_measure(measure)
    if not same or not words or not units or any(u.kind == "row" for u in units):
        return False
    written = _written(tuple(same))
    found = False
    for u in units:
        parts = [norm(c) for c in clauses_of(_NO_COUNT.sub("", u.display))]
        for i, clause in enumerate(parts):
            if written.search(clause):
                found = True
                # (a clause of the time or means spent, "经过今明两年努力，让…", speaks of the clause after it)
                after = parts[i + 1] if i + 1 < len(parts) and _SPENT.match(clause) else ""
                if any(w in clause or i and w in parts[i - 1] or w in after for w in words):
                    return False
    return found


_SPENT = re.compile(r"(?:再|力争|争取)?(?:经过|通过|用|花|历时)")


@functools.cache
def _column_measure(same: tuple[str, ...]) -> re.Pattern[str]:
    """A measure a table row names once: in brackets after its indicator ("高新技术企业(家)", "（万立方米）") or in a
    unit column ("单位：家"); not a character of a word ("避难场所" holds no 场)."""
    words = "|".join(re.escape(w) for w in sorted(same, key=len, reverse=True))
    return re.compile(rf"[（(]\s*[万亿千百]*(?:{words})[^（）()，。；;]{{0,5}}[）)]|单位[：:]\s*[万亿千百]*(?:{words})")


@functools.cache
def _written(same: tuple[str, ...]) -> re.Pattern[str]:
    """A figure written in one of the measure words."""
    words = "|".join(re.escape(w) for w in same)
    # ("6600多万纳税人": about a figure, 多/余, and people named by a word ending in 人)
    person = rf"|{_NOT_UNIT}{{1,3}}人" if "人" in same else ""
    # (a lone 一 with a counter of things is no count: "建设一批…", "形成一套…体系"; "十一个" is)
    digits = "一二三四五六七八九十百千万两"
    numeral = f"[二三四五六七八九十百千万两半]|(?<=[{digits}])一|一(?=[{digits}])" if section("reading")[
        "counter_general"] in same else f"[{digits}半]"
    written = rf"(?:\d|{numeral})\s*[多余]?(?:[万亿千百]\s*)*[多余]?个?(?:{words}{person})"
    if "%" in same:  # (a share in words, "超过三分之一", "五成以上", "一半", or as a ratio, "1∶3.4")
        written += rf"|{SHARE_IN_WORDS}|[一二三四五六七八九]成(?![为果本立员就])|一半|过半|半数|\d\s*[:∶比]\s*\d"
    if "元" in same:  # an amount of money is often written without 元 after what spends it ("投入2.2亿全面提升…")
        spend = "|".join(map(re.escape, section("reading")["money_verbs"]))
        units = "|".join(re.escape(u) for u in sorted(vocabulary().units, key=len, reverse=True))
        written += rf"|(?:{spend})[^，。；;\d]{{0,4}}\d[\d.]*\s*(?:万亿|亿|万)(?![\d.]|\s*[多余]?\s*(?:{units}))"
    return re.compile(written)


_NOT_UNIT = r"[^\W\d元万亿千百个家户名人次项件%％]"  # a character of a word, not of a unit


def _same_measure(measure: str | None) -> list[str]:
    """The measure words read as the asked one ("亿元", "万元" of 元); none for a general counter or no measure."""
    reading = section("reading")
    if measure == reading["counter_general"]:  # "多少个": any counter of things, not people, money or a measure
        return [measure, *reading["counters_of_things"], *reading["counters_general_also"]]
    if not measure:
        return []
    same = [w for g in reading["counter_groups"] if measure in g for w in g]  # (a counter may be in two groups)
    return list(dict.fromkeys(same)) or [measure]


def in_measure(measure: str | None, units: list[Candidate]) -> list[Candidate]:
    """The units stating a figure in the measure asked ("多少元": "每人每月…元", not "比例达到…%"; a date's day,
    "7 月 31 日", is no count of days)."""
    same = _same_measure(measure)
    written = _written(tuple(same))
    return [u for u in units if same and written.search(_NO_COUNT.sub("", u.display))]


# a figure and what follows it: "2.9亿在校学生", "1700多万困难和重度残疾人"
_COUNTING = re.compile(r"\d[\d.]*[多余]?[万亿千百]*[多余]?([\u4e00-\u9fff]{3,6})")


# a date's day ("7 月 31 日") or an ordinal ("第十四个五年规划"): no count of days or things
_NO_COUNT = re.compile(r"\d{1,2}\s*月\s*\d{1,2}\s*日|第[一二三四五六七八九十百千\d]+")


# a bound that is part of an indicator's name: "65岁以上老年人口", "年营业收入2000万元以上企业"
_BOUND = re.compile(r"(\d+(?:\.\d+)?|[一二三四五六七八九十百千]+)\s*(岁|万元|亿元|元|万人|人|家|个|吨|亩|平方米|公里)\s*及?(以上|以下)")


def other_bound(question: str, chosen: list[Candidate]) -> bool:
    """The question names its indicator by a bound ("65岁以上老年人口") and the chosen units give the figure of one
    bounded otherwise ("60岁以上人口"), never the bound asked: another indicator."""
    shown = norm("".join(u.display for u in chosen))
    for m in _BOUND.finditer(norm(question)):
        held = [_amount(b.group(1)) for b in _BOUND.finditer(shown) if b.group(2, 3) == m.group(2, 3)]
        if held and _amount(m.group(1)) not in held:
            return True
    return False


def _amount(raw: str) -> float | None:
    """A bound's number, in digits ("2.5") or Chinese numerals ("六十")."""
    return float(raw) if re.fullmatch(r"\d+(?:\.\d+)?", raw) else number_of(raw)


# a figure per head ("人均", "每千名老年人", "每万人口"): the magnitude it is per
_PER_HEAD = re.compile(r"(人均|户均|每人|每户)|每\s*(十万|[千万百])")
_PER_THOUSANDS = re.compile(r"每\s*(?:十万|[千万百])")  # (人均 is often left out when asked: "农民收入多少")
_RATIO_ASKED = re.compile(r"每|比|率|密度|占")


def per_head_missing(
    question: str, units: list[Candidate], measure: str | None = None, whole: str = "",
    alternates: dict[str, frozenset[str]] | None = None,
) -> bool:
    """A figure per head asked ("每千名老年人拥有养老床位多少张", "人均…多少", "每人每月发多少钱") answered by units
    that give none per head: "养老服务床位数（万张）：3.38万张" is the total, another indicator; nor does a figure per
    head of another thing ("人均GDP" by "居民人均可支配收入"). (`whole`: the question a part is of, when it is one;
    `alternates`: other wordings of the question's terms, "GDP" said "地区生产总值".)"""
    asked = _PER_HEAD.search(norm(question))
    if not units:
        return False
    if not asked:  # a count asked of a thing ("…规划床位是多少张") answered only per head ("每千常住人口…床位数5.57张")
        # (not when the question names the per-head indicator before its parts: "每万人口…拥有量，甲…？乙…？")
        if not measure or _RATIO_ASKED.search(question) or _PER_HEAD.search(norm(whole)):
            return False
        given = _clauses_giving(measure, units)
        return bool(given) and all(_PER_THOUSANDS.search(c) for c in given)
    shown = " ".join(norm(u.display + " ".join(u.chunk.section)) for u in units)
    if asked.group(1):
        if not any(w in shown for w in ("人均", "户均", "每人", "每户")):
            return True
    else:
        per = asked.group(2)
        if f"每{per}" not in shown and f"{per}人" not in shown and not (per == "千" and "‰" in shown):
            return True
    # per head of another thing ("每千人口执业医师数" answered by "每千人医疗床位数7.75张"): no word of what is
    # asked per head (or of its other wordings) follows any per-head sign the units give
    after = _after(norm(question), asked.end())
    wanted = _pairs(after).union(*(_pairs(a) for t, group in (alternates or {}).items() if t in after for a in group))
    given = [_after(shown, m.end()) for m in _PER_HEAD.finditer(shown) if m.group(2) == asked.group(2)]
    given = [_PER_TIME.sub("", g) for g in given]  # ("每人每年320元": per head and year, of what came before)
    if not all(given):  # (a sign right before its figure follows what it is of: "补助标准增加到人均280元")
        return False
    return bool(wanted and given) and not any(wanted & _pairs(g) for g in given)


_PER_TIME = re.compile(r"^(?:每|一)(?:年|季|月|周|天|日)")
_HEAD_WORDS = re.compile(r"^(?:个|名|位)?(?:常住)?(?:人口|人|户|名)?(?:拥有|有)?")


def _after(text: str, at: int) -> str:
    """What a per-head sign is of ("每千|人口执业（助理）医师数是多少" -> "执业医师数"): up to a figure or an
    asking word, without the heads it counts by and brackets."""
    rest = re.split(r"[\d，。；,;？?]|是|达|为|多少|要|目标|不少于|不低于|不超过|超过|以上|至少|增长|提高|下降|增加|减少",
                    re.sub(r"[（(][^）)]*[）)]", "", text[at:]))[0]  # (up to how it changes: "人均可支配收入|增长与经济增长同步")
    return _HEAD_WORDS.sub("", rest)[:10]


def _pairs(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)}


_TOTAL_ASKED = re.compile(r"总共|一共|总数|总量|共有|总计|现有|现在有")
_ADDED = re.compile(r"新增|新建|增加|新培育|新认定|新开工|新获批")
_TOTAL_SAID = re.compile(r"总数|总量|累计|共有|共计|总计|达到|达|现有|拥有")


def increment_as_total(question: str, units: list[Candidate], measure: str | None) -> bool:
    """A total asked ("4A级景区总共有多少家") answered only by what was added ("新增4A级以上景区10家"): every clause
    giving a figure in the asked measure says it was added, none how many there are."""
    q = norm(question)
    if not measure or not _TOTAL_ASKED.search(q) or _ADDED.search(q):
        return False
    given = _clauses_giving(measure, units)
    return bool(given) and all(_ADDED.search(c) and not _TOTAL_SAID.search(c) for c in given)


def _clauses_giving(measure: str, units: list[Candidate]) -> list[str]:
    """The (normalised) clauses of the units that give a figure in the measure ("5.57张" of 张)."""
    return [c for u in units for c in clauses_of(norm(u.display)) if re.search(rf"\d\s*{re.escape(measure)}", c)]


_RATIOS = ("%", "％", "‰", "倍", "个百分点", "百分点")  # measures of a change or a share, not of an amount
_CHANGE_ONLY = re.compile(r"(?:增长|增加|下降|减少|提高|降低|上涨|回落)\s*[\d.]+\s*[%％]")


@functools.cache
def _amount_figure() -> re.Pattern[str]:
    """A figure of an amount: in any unit of the vocabulary but those of a change or share, and not a year."""
    amounts = [u for u in vocabulary().units if u not in _RATIOS and u != "年"]
    return re.compile(rf"\d\s*(?:[万亿千百]\s*)*(?:美元|{'|'.join(map(re.escape, amounts))})")


def change_as_amount(question: str, units: list[Candidate], words: list[str], measure: str | None = None) -> bool:
    """An amount asked of an indicator named as one ("技术合同成交额分别是多少") or in a measure ("居民人均可支配收入是
    多少元") answered only by how it changed ("吸纳外地技术合同成交额增长34.8%", "居民人均可支配收入增长5.5%"): every
    chosen clause naming it (its `words`, weightiest first) gives a rate of change, none the amount. A change asked
    (增长多少, 增速, 比重) is another question."""
    q = norm(question)
    if re.search(r"增|涨|降|减|速|幅|率|比重|占|百分", q):  # (every change asked, rate_asked's too, says one of these)
        return False
    amounts = [w for w in words if w.endswith("额") and len(w) >= 3]
    if not amounts and words and _same_measure(measure) and measure not in _RATIOS:
        amounts = words[:1]
    if not amounts or not units:
        return False
    naming = [c for u in units for c in clauses_of(norm(u.display)) if any(w in c for w in amounts)]
    return bool(naming) and all(_CHANGE_ONLY.search(c) and not _amount_figure().search(c) for c in naming)


# how long or far a thing is ("这条跑道有多长", "离市区多远"; not how long a time: "期限多长", "多长时间")
_ASKS_LENGTH = re.compile(r"多长(?!时间|的时间|期限)|多远|多宽|多深")
_TIME_ASKED = re.compile(r"时间|期限|周期|年限|多久|规划期|有效期")
_LENGTH = re.compile(r"(?:\d|[一二三四五六七八九十百千万两半])\s*(?:[万千]?米|公里|千米|厘米|毫米|里|km|KM|m(?![²2³3]))")


def length_missing(question: str, units: list[Candidate]) -> bool:
    """A length asked ("第四跑道有多长") answered by units stating none ("…航线恢复至41条"): another figure."""
    if not _ASKS_LENGTH.search(question) or _TIME_ASKED.search(question) or not units:
        return False
    return not any(_LENGTH.search(u.display) for u in units)


# an area asked ("建筑面积有多大", "占地多少", "多大面积"; not a share of one: "占家庭承包面积的比例多少")
_ASKS_AREA = re.compile(r"(?:面积|占地)[^，,。？?；;]{0,8}?(?:多大|多少|几)|多大的?面积")
_SHARE_ASKED = re.compile(r"比例|比重|占比|百分之|%|占[^地]")
_AREA = re.compile(r"(?:\d|[一二三四五六七八九十百千万两半])\s*[多余]?\s*(?:万|千|百|亿)?\s*(?:平方米|平方公里|平方千米|平米|亩|公顷|㎡|m²|km²)"
                   r"|面积[^，。；;\d]{0,6}\d[\d.]*\s*[%％]")  # (or the share of it done: "确权面积超过80%")


def area_missing(question: str, units: list[Candidate]) -> bool:
    """An area asked ("新馆建筑面积有多大") answered by units stating none ("…等九个子项目"): another figure."""
    asked = _ASKS_AREA.search(question)
    if asked is None or _SHARE_ASKED.search(question[asked.start():]) or not units:
        return False
    return not any(_AREA.search(u.display) for u in units)
