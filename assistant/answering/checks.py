"""Whether the units chosen for a facet fail a question asking for a number: the checks, in one place, that the
figure chosen is the one asked (in its measure, of its indicator, of the year and the thing asked)."""

from __future__ import annotations

import re
from collections.abc import Callable

from assistant.answering.candidates import Candidate
from assistant.answering.features import NAMED_WITH_DIGITS
from assistant.answering.figures import (
    ASKS_IN_TIME,
    ASKS_NUMBER,
    asking_clause,
    counted_in_words,
    holds_figure,
    lacks_asked_figure,
    stated_values,
    stated_without_figure,
)
from assistant.answering.frame import QUOTED
from assistant.answering.indicators import measured_missing, share_as_change, swapped_indicator
from assistant.answering.measures import (
    change_as_amount,
    increment_as_total,
    measure_apart,
    other_bound,
    per_head_missing,
)
from assistant.answering.named import TITLED
from assistant.answering.terms import QuestionTerms
from assistant.answering.wording import names_a_thing, plain_asking
from assistant.index.segmenter import lcut, lcut_for_search
from assistant.retrieval.routing import DOCUMENT_KINDS
from assistant.text import cn_years_to_digits, norm, years_in
from assistant.vocab import section, vocabulary


def not_the_figure_asked(
    answer_type: str, question: str, terms: QuestionTerms, chosen: list[Candidate], units: list[Candidate],
    places: frozenset[str] = frozenset(), wants_number: bool = False, whole: str = "",
) -> bool:
    """Whether the chosen units fail a question asking for a number: they hold none, or none in the measure asked,
    or the passage states the asked indicator without one, or they give another indicator's figure. (`whole`: the
    question, when `question` is a part of it.)"""
    if lacks_asked_figure(answer_type, question, terms.measure, chosen):
        return True
    if answer_type != "metadata" and time_missing(question, chosen):  # (a document's own date is its metadata's)
        return True
    if answer_type in ("list", "structure", "metadata", "date"):
        return False
    return (
        blank_cell(question, chosen) or rate_missing(question, chosen) or measured_missing(question, chosen, terms)
        or stated_without_figure(question, chosen, units, terms)
        or swapped_indicator(question, chosen, terms, places, wants_number)
        or share_as_change(question, chosen, terms) or other_bound(question, chosen)
        or measure_apart(terms.measure, chosen, _with_alternates(_uncounted(question, terms, places), terms)) or per_head_missing(
            question, chosen, terms.measure, whole, terms.alternates)
        or increment_as_total(question, chosen, terms.measure) or change_as_amount(question, chosen, _asked_words(terms), terms.measure)
        or quoted_missing(question, chosen) or rate_unnamed(question, chosen, terms) or part_of_given(question, chosen, terms)
    )


def thing_unsaid(question: str, chosen: list[Candidate], terms: QuestionTerms, seen: Callable[[str], bool]) -> bool:
    """A number asked of a thing the asking clause names ("秦岭国家公园规划面积有多大", "洋山港区贡献了多少") answered by
    figures of statements that say little of it: every unit with a figure says at most a third of the weight of the
    clause's words, and the clause names a thing (a noun: "库容", "师生比"; not only how it asks, "打算", "一年") among
    other words.

    The words that are not the thing: those naming the document asked of ("营商环境规划里", "《…》"), how a quantity is asked
    (比例, 规模, 目标), scope, time and change words, the thing counted right after 多少 (measured_missing's) and a word
    the collection never holds unless it is a noun. A word is said by its equivalents or a word inside it ("专职人员"
    by "专职团队成员", "全世界" by "世界"). How long or when is asked otherwise (time_missing, the duration checks).
    Only a question of one part is read so (choose._rejected): a part's clause leans on the words of the others."""
    asking = _DOCUMENT_NAMED.sub("", TITLED.sub("", norm(asking_clause(question))))  # ("《某规划》提出…")
    if not asking or _TIME_ASKED.search(asking):
        return False
    reading = section("reading")
    skip = {*reading["rate_words"], *reading["target_statements"], *vocabulary().relative_years,
            *section("follow_up")["heads"], *section("question")["quantity"]}
    scopes = {w for group in vocabulary().scope.values() for w in group}
    named = [t for t in terms.own_weights if len(t) >= 2 and not t.isdigit() and t in asking and t not in skip
             and t not in scopes and not vocabulary().period_years(t) and not ASKS_NUMBER.search(t)]
    counted = set(_COUNTED_THING.findall(asking))  # ("多少套房": what 多少 counts, not the thing asked of)
    nouns = {t for t in named if names_a_thing(t)}
    if not any(t not in counted and not _FREQUENCY.fullmatch(t) for t in nouns):
        return False
    held = [t for t in named if seen(t) or any(seen(a) for a in terms.alternates.get(t, ()))]  # (or an equivalent)
    named = [t for t in named if t in nouns or t in held]
    if len(named) < 2:  # (one word is too little to go by: a statement may leave its subject unsaid, "全年增长4.8%、
        return False  # 总量达5.3万亿元" of GDP, or say it in words of its own, "经济增长6%左右")
    total = sum(terms.own_weights[t] for t in named)

    inside = {t: [w for w in lcut_for_search(t) if 2 <= len(w) < len(t)] + ([t[:2], t[-2:]] if len(t) >= 4 else [])
              for t in named}  # (the words inside each, found once)

    def said(word: str, text: str) -> bool:
        return terms.has(word, text) or word in text or any(w in text for w in inside[word])

    words_count = counted_in_words(question, lone=True)  # ("几节": "每天开设一节体育课" states it)
    figured = [_BRACKETS.sub("", norm(u.display)) for u in chosen if holds_figure(stated_values(u, question))
               or words_count and words_count.search(u.display)]
    return bool(figured) and not any(
        sum(terms.own_weights[t] for t in named if said(t, text)) > total * SAID_SHARE for text in figured)


SAID_SHARE = 1 / 3  # (half, tried on the tune splits, declined more answerable questions than it caught)


# a document asked of, named by its topic and kind ("营商环境规划里", "21年政府工作报告提出")
_DOCUMENT_NAMED = re.compile(rf"[\u4e00-\u9fff“”]{{0,12}}?(?:{DOCUMENT_KINDS})(?:草案)?(?=里|中|说|提|讲|的|上|要|对|把|，|,)")
_TIME_ASKED = re.compile(rf"{ASKS_IN_TIME.pattern}|多久|周年")
_COUNTED_THING = re.compile(r"(?:多少|几)\s*([\u4e00-\u9fff]{2})")
_FREQUENCY = re.compile(r"[\u4e00-\u9fff]次")  # a count of times by a counter ("场次", "人次"): a measure
_BRACKETS = re.compile(r"[（）()]")  # ("县（区）" says 县区)


def part_of_given(question: str, chosen: list[Candidate], terms: QuestionTerms) -> bool:
    """A question giving a figure in one clause and asking a part of it in another ("76个区域医疗中心，儿科方向的有
    几个", "354亿投资里，省级财政出了多少"), answered by units restating the figure given: none of their clauses names a
    word of the asking clause with a figure the question does not give (the statement of the whole answers nothing).
    The words of the asking clause that tell the part from what is given are those the giving clauses do not say
    ("城镇调查失业率控制在5.5%左右，那城镇登记失业率…": 登记), when it has any."""
    asking = asking_clause(question, alone=True)  # (what the clauses before give is the whole)
    # (a name it quotes gives no figure: "“1+10+100”模式")
    giving = norm(re.sub(r"“[^”]*”", " ", question.replace(asking, " "))) if asking else ""
    given = _numbers(giving)
    words = [w for w in _asked_words(terms) if w in norm(asking)]
    words = [w for w in words if not terms.has(w, giving)] or words
    if not given or not words or not any(given & _numbers(u.display) for u in chosen):
        return False
    for u in chosen:
        for clause in [u.display] if u.kind == "row" else _parts_of(u.display):
            said = norm(clause)
            if any(terms.has(w, said) for w in words) and (_numbers(said) - given or _FRACTION.search(said)):
                return False
    return True


def _parts_of(text: str) -> list[str]:
    """The clauses of a statement, and the members of an enumeration each apart ("淘汰炼钢炼铁产能9000多万吨、水泥2.3亿
    吨": 水泥's figure is not 炼铁's); a clause pairing them ("分别") stays whole."""
    return [p for c in re.split(r"[，,；;。]", text) for p in ([c] if "分别" in c else c.split("、"))]


_YEAR_NUMBER = re.compile(  # ("2021—2035", "2025年", "24年")
    r"(?<![\d.])(?:(?:19|20)\d{2}(?=\s*(?:年|[—\-–~至到]|[）)]))|\d{2}(?=年))|(?<=[—\-–~至到])(?:19|20)\d{2}(?![\d.])"
)
_FRACTION = re.compile(r"[一二三四五六七八九十百]+分之[一二三四五六七八九十]|[一二三四五六七八九]成")


def _numbers(text: str) -> set[str]:
    """The figures a text states in digits: no year ("2021—2035", "2025年", "24年"), no name holding digits ("5G")."""
    return set(re.findall(r"\d+(?:\.\d+)?", NAMED_WITH_DIGITS.sub("", _YEAR_NUMBER.sub("", text))))


def figure_of_other_form(question: str, chosen: list[Candidate], terms: QuestionTerms) -> bool:
    """Whether the chosen units name the asked indicator but give its figure in another form: its change for its
    amount ("成交额增长34.8%" for "成交额是多少"), what was added for the total, a change for a share."""
    return bool(chosen) and (
        increment_as_total(question, chosen, terms.measure) or share_as_change(question, chosen, terms)
        or change_as_amount(question, chosen, _asked_words(terms), terms.measure)
    )


# when a thing is to be done, asked ("要求哪年建成", "计划什么时候完成"): the statements answering it say a time
# (and when a thing happens, asked so: "博览会什么时候开幕")
_WHEN_DUE = re.compile(r"(?:要求|要|计划|力争|争取|预计|将|打算|准备)[\u4e00-\u9fff]{0,6}(?:哪年|哪一年|几月)|什么时候|何时")
_A_TIME = re.compile(r"(?:19|20)\d{2}|\d+\s*(?:个月|年|月|日|号|天)|[〇一二三四五六七八九十]{2,4}年|[今明后]年|年[内底中初]|月底|季度"
                     r"|期间|之前|以前|[上下]半年|十[二三四五六七]五")


_ASKS_DAY = re.compile(r"哪天|哪一天|几号|几月几[日号]|哪日")
_ASKS_MONTH = re.compile(r"几月|哪个月|哪一个月|哪月")
_A_MONTH = re.compile(r"(?:\d{1,2}|[一二三四五六七八九十]{1,2})\s*月(?!份?[以之]?来)|月[底初中]|[上下]半年|季度|年[底初中内]")
# (not "19号线"; a numeral in words before 号 names a thing: "天问一号", "嫦娥五号")
_A_DAY = re.compile(r"\d{1,2}\s*(?:[月日]|号(?![线楼院]))|[一二三四五六七八九十]{1,3}[月日]")


def time_missing(question: str, chosen: list[Candidate]) -> bool:
    """"应急物资储备库要求哪年建成" answered by statements that say no time ("规划建设1-2个市级综合应急物资储备库"): the
    time a thing is due is not given; nor is the day a thing happened ("…委员会是哪天成立的") by statements without a
    month, nor the month asked ("场景汇定在几月份") by statements without one. (The year a thing happened, "首届进口博览会是哪一年办的", its report's year may answer.)"""
    if not chosen:
        return False
    question = plain_asking(question)  # ("要求啥时候建完")
    if _ASKS_DAY.search(question):
        return not any(_A_DAY.search(u.display) for u in chosen)
    if _ASKS_MONTH.search(question):  # ("定在几月份": a month, or a part of the year)
        return not any(_A_MONTH.search(u.display) for u in chosen)
    return bool(_WHEN_DUE.search(question)) and not any(_A_TIME.search(u.display) for u in chosen)


def rate_unnamed(question: str, chosen: list[Candidate], terms: QuestionTerms) -> bool:
    """A rate the asking clause names ("城市生活垃圾无害化处理率25年目标是多少") answered by units naming none of
    its words ending in 率 ("城市生活垃圾资源化利用率；2025年：60%"): another rate's figure. (A change asked as a
    rate, "增长率", is said by its figure: "增长6%".)"""
    clause = norm(asking_clause(question))
    changes = tuple(section("reading")["indicator_changes"])
    asked = [t for t in terms.own_weights if len(t) >= 3 and t.endswith("率") and t in clause and not t.startswith(changes)]
    if not chosen or not asked:
        return False
    shown = norm(" ".join(u.display + " ".join(u.chunk.section) for u in chosen))
    shown += " " + re.sub(r"[（）()]", "", shown)  # (a rate named with an aside: "生活污水治理（管控）率")
    shares = section("reading")["share_words"]  # (a rate said as a share of its stem: 优良率 as "优良水体比例")
    return not any(terms.has(t, shown) or t[:-1] in shown and any(w in shown for w in shares) for t in asked)


def quoted_missing(question: str, chosen: list[Candidate]) -> bool:
    """A figure asked of a name the question quotes ("专精特新“小巨人”企业培育了多少家") answered by statements
    that never say it ("专精特新中小企业达7万多家"): of another thing."""
    if not chosen or not ASKS_NUMBER.search(question):
        return False
    shown = norm(" ".join(u.display + u.chunk.title + " ".join(u.chunk.section) for u in chosen))
    # (a plan period, "“十四五”期间", dates what is asked; it names nothing)
    return any(norm(q) not in shown for q in QUOTED.findall(question) if not vocabulary().period_years(q))


def _asked_words(terms: QuestionTerms) -> list[str]:
    """The words of a question (with the topic a part shares) that may name what is asked (not when or how: 去年,
    预计, 目标), weightiest first."""
    skip = {*vocabulary().relative_years, *section("reading")["change_modals"], *section("reading")["target_statements"]}
    # (nor the measure asked: "多少万人次" names no thing by 万人次, which any figure in it says)
    units = vocabulary().units
    asked = [t for t in terms.weights if len(t) >= 2 and not t.isdigit() and t not in skip and t != terms.measure
             and t not in units]
    return sorted(asked, key=terms.weights.__getitem__, reverse=True)


def _uncounted(question: str, terms: QuestionTerms, places: frozenset[str]) -> list[str]:
    """The asked words but the thing a count asked counts, when the asking clause names a rarer thing ("省重点工程安排了
    多少个项目": any 项目 counted is of that measure; what it is of is said by 重点工程; not "某市有多少个物流园区", nor
    "几家高新区进了评价前50强", where the thing counted is the rarest)."""
    words = _asked_words(terms)
    counted = re.search(rf"(?:多少|几)\s*{re.escape(terms.measure)}\s*([\u4e00-\u9fff]{{2,}})", norm(question)) if (
        terms.measure) else None
    if counted is None:
        return words
    rest = [w for w in words if not counted.group(1).startswith(w)]
    weight = max((terms.weights[w] for w in words if counted.group(1).startswith(w)), default=0.0)
    clause = norm(asking_clause(question, alone=True))
    rarer = [w for w in rest if w in clause and w not in places and names_a_thing(w) and terms.weights[w] > weight]
    return rest if rarer else words


def _with_alternates(words: list[str], terms: QuestionTerms) -> list[str]:
    """The words with the wordings that count as each ("GDP" as 生产总值), in that order."""
    return [*words, *(a for w in words for a in sorted(terms.alternates.get(w, ())))]


def rate_missing(question: str, chosen: list[Candidate]) -> bool:
    """A change asked for as such ("增长目标是多少") answered by units with figures, none of them a rate (an amount,
    "总投资不低于2000亿元", is no growth; a target set without a figure, "与经济增长同步", answers as it is)."""
    reading = section("reading")
    if not re.search(reading["rate_asked"], question) or not chosen:
        return False
    shown = " ".join(stated_values(u) for u in chosen)
    if any(w in shown for w in reading["rate_units"]):
        return False
    return bool(re.search(r"\d", shown)) or not any(w in shown for w in reading["qualitative_targets"])


def blank_cell(question: str, chosen: list[Candidate]) -> bool:
    """"…2020年的基数是多少" answered only by table rows whose 2020 column is blank ("2020年：—；2025年：60%"):
    the table gives no figure for the year asked. A column that states it in words ("2025年：同比例提高") answers
    a question asking how it is set ("目标怎么定的"), not one asking a figure ("要达到百分之多少")."""
    years = {str(y) for y in years_in(cn_years_to_digits(question))}
    if not years or not chosen or any(u.kind != "row" for u in chosen):
        return False
    asked = [[v for h, v in u.cells if any(y in h for y in years)] for u in chosen]
    stated = _DIGITS if ASKS_NUMBER.search(question) else _STATED
    return all(cells and not any(stated.search(v) for v in cells) for cells in asked)


_DIGITS = re.compile(r"\d")
_STATED = re.compile(r"\d|[\u4e00-\u9fff]{2}")  # a figure, or words ("持续提升"): not a dash


# ("是科技部牵头还是发改委牵头搞", "走公开招标还是竞争性磋商": each side of 还是 to the clause's edge)
_CHOICE = re.compile(r"([^，,。？?！；;：:]{1,24}?)还是([^，,。？?！；;：:]{1,24})")


def alternative_unmet(asked: str, chosen: list[Candidate], terms: QuestionTerms) -> bool:
    """A question offering alternatives ("是科技部牵头还是发改委牵头", "通报是每季度一次还是半年一次") answered by
    statements naming neither: the words that tell them apart (those of one side found neither in the other nor
    elsewhere in the question) are said nowhere. Alternatives told apart by a single character ("高还是低", "增还是减")
    are a comparison that figures answer."""
    m = _CHOICE.search(asked)
    if not m or not chosen:
        return False
    before, after = m.groups()
    start = m.start() + (before.rfind("是") + 1 if before.rfind("是") < len(before) - 1 else 0)  # ("方案是甲还是乙": 甲)
    left, right = set(lcut(asked[start : m.start(2) - 2])), set(lcut(after))
    rest = set(lcut(asked[:start] + "，" + asked[m.end() :]))
    own = [[w for w in side - other - rest if len(w) >= 2] for side, other in ((left, right), (right, left))]
    if not all(own):
        return False
    shown = norm(" ".join(u.display + u.chunk.title for u in chosen))
    return not any(
        norm(w) in shown or any(a in shown for a in terms.alternates.get(norm(w), ())) for side in own for w in side
    )
