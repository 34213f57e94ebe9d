"""Whether the units chosen for a facet give the figure a question asks for: they hold one in the measure asked,
of the indicator asked (not another's that differs in a modifier, nor one the text states without a figure, nor
another thing's amount than what 多少 measures)."""

from __future__ import annotations

import functools
import re

from assistant.answering.candidates import Candidate
from assistant.answering.features import (
    DURATION_ASKED,
    ITEM_NUMBER,
    NAMED_WITH_DIGITS,
    ROUND_AMOUNT,
    SHARE_IN_WORDS,
    stated_ordinal,
)
from assistant.answering.measures import area_missing, length_missing, measure_missing
from assistant.answering.present import clauses_of, focus
from assistant.answering.terms import QuestionTerms
from assistant.answering.wording import ASKS_NUMBER, ORDINAL_ASKED, names_a_thing
from assistant.index.segmenter import word_count
from assistant.text import norm
from assistant.vocab import section, vocabulary

# a number, or one written in words with what it counts ("三年", "翻一番"; not "第四条", "一批")
_ANY_FIGURE = re.compile(r"\d|(?<!第)[一二三四五六七八九十百千两半]+(?:个|项|家|所|倍|番|成|年|月|日|天|周|小时|分钟|次|岁|人|名|万|亿|元|户|亩|公里|吨|件|张|台|座|位|档|折)|翻[一两]番"
    r"|(?<![第一二三四五六七八九十])[一二三四五六七八九十]大(?![力量批会])[\u4e00-\u9fff]"  # "四大呼叫区域"; not "二十大"
    rf"|{SHARE_IN_WORDS}|一半"  # a share in words: "减少三分之一", "万分之一", "清偿一半以上"
    rf"|[百千万]亿|{ROUND_AMOUNT}")  # a round amount: "旅游收入超万亿元", "千亿级产业集群", "近亿人次"


def figure_missing(question: str, units: list[Candidate]) -> bool:
    """A question that asks for a number ("是多少", "几年") answered by units that hold none: they do not answer it
    (a number written in words, "翻一番", "三年", counts as one, and so does a target set without one, "与经济增长
    同步")."""
    qualitative = section("reading")["qualitative_targets"]
    how_long = bool(_ASKS_DURATION.search(question))  # ("多久开一次" is answered by how often: "每周")
    counted = counted_in_words(question)  # ("几级网格" is answered by "四级网格")
    ordinal = bool(ORDINAL_ASKED.search(question))  # ("第几届" is answered by "第七届")
    rank = bool(_RANK_ASKED.search(question))  # ("排第几" by "居全国首位" too)
    if rank:  # (a rank is stated as one, "居全国第2位", "位居榜首"; another figure is none: "连续4年获得优秀")
        return not any(stated_ordinal(question).search(s := stated_values(u, question)) or _FIRST_PLACE.search(s)
                       for u in units)
    return bool(ASKS_NUMBER.search(question)) and not any(
        _ANY_FIGURE.search(stated := stated_values(u, question)) or any(w in u.display for w in qualitative)
        or how_long and _DURATION.search(stated) or counted is not None and counted.search(stated)
        or ordinal and stated_ordinal(question).search(stated) for u in units
    )


# a rank asked ("排第几", "第几名"), answered by first place said in words ("居全国各城市首位", "位居榜首")
_RANK_ASKED = re.compile(r"排(?:名)?(?:在)?第几(?![页章节条部项])|第几(?:名|位)")  # (not "排在第几页")
_FIRST_PLACE = re.compile(r"首位|榜首|居首|之首")


_ASKED_COUNTER = re.compile(r"(?:几|多少)\s*([\u4e00-\u9fff])")


def counted_in_words(question: str, lone: bool = False) -> re.Pattern[str] | None:
    """A number in words with the counter the question asks by ("几级" → "四级", "几条" → "三条"), not an ordinal;
    a lone 一 only when `lone` (it is more often a word's, "统一", "进一步", than a count: "开设一节体育课")."""
    counters = {c for c in _ASKED_COUNTER.findall(question) if c not in "个年的是"}
    if not counters:
        return None
    one, not_after = ("一", "这那每") if lone else ("", "")  # (not "这一节", "每一项")
    return re.compile(rf"(?<![第一二三四五六七八九十两{not_after}])(?:[一二三四五六七八九十]{{2,}}|[{one}二三四五六七八九十两])[{''.join(sorted(counters))}]")


# "5G", "PM2.5", a standard's code with its year ("GB/T3557—2017"): names
_YEAR = re.compile(r"(?:19|20)\d{2}\s*年(?:\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?)?")


def stated_values(unit: Candidate, question: str = "") -> str:
    """What a unit states, without the years it is dated by ("到2025年，基本实现全覆盖" states no figure) or the
    names that hold digits ("5G网络"): a table row's cells, not its column names ("指标值·2025年：同比例提高"); nor
    the figures the question itself gives ("12项民生工程里，新增托位多少个" is not answered by "实施12项民生工程"), nor
    a list item's own number."""
    shown = unit.display
    text = " ".join(part.split("：", 1)[-1] for part in shown.split("；")) if unit.kind == "row" else shown
    text = NAMED_WITH_DIGITS.sub("", _YEAR.sub("", ITEM_NUMBER.sub("", text)))  # ("6.某某培育工程": an item's number)
    text = _IDIOM.sub(lambda m: "" if word_count(m.group()) else m.group(), text)  # ("千家万户", "千方百计": no count)
    if question:  # a quoted name ("落实“16条”金融政策") is no figure, unless the question asks what it names (after
        asked = norm(question)  # it, or in it: "“15分钟健身圈”" asked "健身圈按几分钟来打造")
        text = _QUOTED_NAME.sub(lambda m: m.group(0) if _names_asked(text[m.end() : m.end() + 4], asked)
                                or _names_asked(re.sub(r"[\d.“”]", "", m.group(0)), asked) else "", text)
    text = _DOC_NUMBER.sub("", text)  # ("依据《…办法》（某政办〔2020〕9 号）": a document's number)
    if question and not (_ASKS_DAY.search(question) or ASKS_IN_TIME.search(question)):
        text = _DAY.sub("", text)  # ("于每月 25 日前报送": a day of the month is no amount)
    for given in set(_GIVEN.findall(NAMED_WITH_DIGITS.sub("", _YEAR.sub("", norm(question))))):
        text = re.sub(rf"(?<![\d.]){re.escape(given)}(?![\d.])\s*[万亿千百]*", "", text)  # (with its magnitude)
    for given in set(_GIVEN_IN_WORDS.findall(question)):  # ("十件民生实事…有多少个候选项目": not answered by "十件")
        text = text.replace(given, "")
    return text


_GIVEN = re.compile(r"\d+(?:\.\d+)?")
_IDIOM = re.compile(r"[一二三四五六七八九十百千万两][\u4e00-\u9fff][一二三四五六七八九十百千万两][\u4e00-\u9fff]")
_GIVEN_IN_WORDS = re.compile(r"(?<![第一二三四五六七八九十百千两])[一二三四五六七八九十百两]+[件项个条家所批类档级]")
_DOC_NUMBER = re.compile(r"[〔\[［(（]\s*(?:19|20)\d{2}\s*[〕\]］)）]\s*\d+\s*号")
_DAY = re.compile(r"(?<![\d.])\d{1,2}\s*月\s*\d{1,2}\s*[日号]|(?<![\d.月])\d{1,2}\s*[日号](?![内以])")
_ASKS_DAY = re.compile(r"几号|哪天|哪一天|几日|日期|什么时候|何时|截止|几月")
_QUOTED_NAME = re.compile(r"“[^”]{0,6}\d[^”]{0,6}”")  # a short quoted name holding digits: "“16条”"


def _names_asked(after: str, asked: str) -> bool:
    """Whether the words after a quoted name ("金融支持…" of "“16条”金融支持房地产政策") are the question's."""
    return any(after[i : i + 2] in asked for i in range(len(after) - 1))


BARE_CHARS = 16  # an indicator stated without a figure is short: "固定资产投资提质提效", "进出口总额保持正增长"
_GLOSS = re.compile(r"[（(][^（）()]{1,12}[）)]")  # a gloss in brackets, "细颗粒物（PM2.5）", makes no clause longer


def stated_without_figure(question: str, chosen: list[Candidate], units: list[Candidate], terms: QuestionTerms) -> bool:
    """A number asked of an indicator the passage states without one: "固定资产投资增长目标是多少" where the
    targets say "固定资产投资提质提效，社会消费品零售总额增长5%左右". A short clause of the chosen passages that
    holds the rarest word of the asking clause and says more of it than any clause chosen with a figure, and
    holds no figure itself, is what the text says of it. Only a statement that sets targets is read so (in
    other prose a short clause without a figure introduces the one that has it: "加大保障性安居工程建设力度，
    今年新开工700万套以上")."""
    if ORDINAL_ASKED.search(question):  # ("这回是第几次": which one, said by "第四次", no indicator's figure)
        return False
    asking = asking_clause(question)
    targets = section("reading")["target_statements"]  # what sets targets: "今年主要预期目标是：…"
    rates = section("reading")["rate_words"]  # ("降幅目标是多少": what is asked of the indicator, not its name)
    weights = {  # (the words that say a target is set, 预期/目标, name no indicator; nor does a plan period, 十四五)
        t: w for t, w in terms.own_weights.items()
        if not t.isdigit() and t in norm(asking) and not ASKS_NUMBER.search(t) and "百分" not in t
        and not any(t in w for w in targets) and not vocabulary().period_years(t) and t not in rates
        and not re.search(rf"(?:多少|几){re.escape(t)}", norm(asking))  # (what it is measured in: "多少万辆")
        and not any(t in group for group in vocabulary().scope.values())  # (whose it is: 国务院, 全省)
    }
    if not weights:
        return False
    things = [t for t in weights if names_a_thing(t)]  # (the rarest noun: "治理率", not a verb, "定到")
    rarest = max(things or weights, key=weights.__getitem__)
    counted = counted_in_words(question)  # ("几连增" is stated by "十二连增")

    def has_figure(clause: str) -> bool:
        return holds_figure(clause) or bool(counted and counted.search(clause))

    def said(clause: str) -> float:
        return sum(w for t, w in weights.items() if terms.has(t, norm(clause)))

    chunks = {u.chunk.id for u in chosen}
    # (the clauses shown, those a focused statement elides between, "……", apart)
    shown = [c for u in chosen if u.kind != "row" for c in clauses_of(u.display.replace("……", "，"))]
    # (outside a statement of targets, when every figure shown is another indicator's own: "全省研发经费投入强度进一步
    # 提升，技术合同成交额5000亿元以上")
    others = [c for c in shown if has_figure(c)]
    apart = bool(others) and all(_other_indicator(c, terms) for c in others)
    with_figure = max((said(c) for c in shown if has_figure(c)), default=0.0)
    # (in other prose, only when no figure shown says any of it: "淘汰黄标车和老旧车600万辆，推广新能源汽车，…" asked
    # of 新能源汽车, not "省级骨干教师 2000 名" beside "努力推荐省级名师、骨干教师")
    bare = [
        c for u in units if u.chunk.id in chunks and u.kind != "row"
        for c in _bare_clauses(u, apart or _sets_targets(u, targets), not with_figure, rarest, terms)
        if len(_GLOSS.sub("", c).strip("，,；;。 ")) <= BARE_CHARS and terms.has(rarest, norm(c)) and not has_figure(c)
    ]
    return any(said(c) > with_figure for c in bare)


def _bare_clauses(unit: Candidate, statement: bool, prose: bool, rarest: str, terms: QuestionTerms) -> list[str]:
    """The unit's clauses that may state an indicator without a figure (without a lead-in, "…目标是："): all of them in a
    statement of targets; elsewhere those followed by a clause that holds only another indicator's figure, or (with
    `prose`) no figure, in a run of actions ("淘汰黄标车和老旧车600万辆，推广新能源汽车，在全国供应…", "提高某某治理率，
    某某普及率达到85%"; not "加大保障性安居工程建设力度，今年新开工700万套以上", which introduces its figure)."""
    listed = clauses_of(unit.display)
    return [
        re.split("[：:]", c)[-1] for i, c in enumerate(listed)
        if statement or i + 1 < len(listed) and (
            prose and not holds_figure(listed[i + 1]) or _other_indicator(listed[i + 1], terms, rarest))
    ]


def _other_indicator(clause: str, terms: QuestionTerms, rarest: str = "") -> bool:
    """Whether the clause's figure is of an indicator it names itself, not one the question asks ("技术合同成交额5000亿元
    以上"; not "今年新开工700万套", where the figure continues what the clause before it names): its name holds none
    of the question's words, or not the `rarest` one when given."""
    head = _ANY_FIGURE.split(_YEAR.sub("", clause), maxsplit=1)[0]
    found = _named_before().search(head)
    if found is None:
        return False
    asked = [rarest] if rarest else [t for t in terms.own_weights if not t.isdigit()]
    return not any(terms.has(t, norm(found.group(1))) for t in asked)


@functools.cache
def _named_before() -> re.Pattern[str]:
    """An indicator's name (ending as one does: 成交额, 覆盖率) right before a figure, with the verb that states it."""
    reading = section("reading")
    endings = "|".join(map(re.escape, reading["indicator_endings"]))
    return re.compile(rf"([\u4e00-\u9fff]{{2,}}?(?:{endings}))(?:要|将|力争)?(?:增长|达到|达|为|突破|超过|提高到|提高|提升到|下降|降低|降到)?\s*$")


def _sets_targets(unit: Candidate, targets: list[str]) -> bool:
    """Whether the unit's passage sets targets: it says so, or its own heading does ("主要预期目标"; not one of the
    parts it stands in, "二、2025年目标任务" over all the year's work)."""
    own = unit.chunk.section[-1] if unit.chunk.section else ""
    return any(w in unit.chunk.text or w in own for w in targets)


@functools.lru_cache(maxsize=4096)  # (every check asks it of the same question: the clause is segmented once)
def asking_clause(question: str, *, whole: bool = False, alone: bool = False) -> str:
    """The clause of a question that asks for a number ("…，目标是多少"), with the one before when it names no thing
    ("…推动降低一般工商业电价，当年具体要降多少"; not `alone`); the whole question when none asks but it asks for a
    figure otherwise (whole), else ""."""
    from assistant.index.segmenter import lcut

    parts = re.split(r"[，,；;]", question)
    at = next((i for i, p in enumerate(parts) if ASKS_NUMBER.search(p)), None)
    if at is None:
        return question if whole else ""
    asking = section("reading")["asking_nouns"]  # (a noun saying how a figure is asked names no thing: "目标定到多少")
    if at and not alone and not any(names_a_thing(w) and w not in asking for w in lcut(norm(parts[at]))):
        return f"{parts[at - 1]}，{parts[at]}"
    return parts[at]


def holds_figure(clause: str) -> bool:
    """Whether a clause states a figure (a target set without one, "与经济增长同步", counts; a name holding digits,
    "PM2.5", "5G", does not)."""
    return bool(_ANY_FIGURE.search(NAMED_WITH_DIGITS.sub("", _YEAR.sub("", clause)))) or any(  # ("PM2.5浓度继续下降")
        w in clause for w in section("reading")["qualitative_targets"]
    )


def lacks_asked_figure(answer_type: str, question: str, measure: str | None, units: list[Candidate]) -> bool:
    """Whether the units cannot answer a question that asks for a number: they hold none ("运营授权期限是几年"
    answered by "采取政府授权运营模式"), or none in the measure asked ("多少亿元" answered by a rate). A list,
    a structure or a date is asked for otherwise; so is a document's metadata, unless the passages answer for it
    ("有效期是几年" answered by the document's title line, when no article says how long it is valid)."""
    if answer_type in ("list", "structure", "date"):
        return False
    if answer_type == "metadata":
        return figure_missing(question, units)
    return figure_missing(question, units) or answer_type == "quantity" and measure_missing(
        measure, units, question, [stated_values(u, question) for u in units]) or (
        bool(_ASKS_DURATION.search(question)) and not any(_DURATION.search(stated_values(u, question)) for u in units)
    ) or answer_type == "quantity" and only_spans(question, units) or length_missing(question, units) or area_missing(
        question, units)


ASKS_IN_TIME = re.compile(r"(?:多少|几)\s*个?\s*(?:工作日|日|天|周|星期|月|年|小时|分钟)|时间|时限|期限|周期|时长|天数")


def only_spans(question: str, units: list[Candidate]) -> bool:
    """An amount asked ("过路过桥费具体要降多少") answered by units whose only figures are spans of time ("两年内基本取消
    …收费站"): they say when, not how much. A question asking how long, in a unit of time or of a time ("救助时间
    要控制在多少"), is answered so."""
    if _ASKS_DURATION.search(question) or ASKS_IN_TIME.search(question) or not ASKS_NUMBER.search(question) or (
        ORDINAL_ASKED.search(question)  # ("第几届": which one, not how much)
    ):
        return False
    counted = counted_in_words(question)
    return not any(_ANY_FIGURE.search(left := _DURATION.sub("", stated_values(u, question)))
                   or counted is not None and counted.search(left) for u in units)


# how long ("多长时间内完成", "多久答复", "保留多长时间", "给几年期限"): answered by a span of time ("二十日内", "3个工作日",
# "两年")
_ASKS_DURATION = re.compile(rf"{DURATION_ASKED.pattern}|多长期限|多少时间|多长的?时间")
_DURATION = re.compile(  # ("40多年", "2.5个自然日"; or how often: "每周召开", "每季度报送", "建立季度通报制度")
    r"(?:\d|[一二三四五六七八九十百两半])\s*[多余]?(?:个\s*)?(?:工作日|自然日|日|天|周|星期|月|年|小时|分钟)"
    r"|每\s*(?:[一二两三四五六七八九十半\d]+\s*个?)?(?:工作日|日|天|周|星期|月|季度|季|年)"
    r"|(?:季度|月度|年度|半年度?)(?=[\u4e00-\u9fff]{0,2}(?:通报|调度|会商|报告|报送|考核|评估|检查|例会|会议|分析|督查))"
)


def focused(chosen: list[Candidate], terms: QuestionTerms, asked: str) -> list[Candidate]:
    """The chosen statements focused on the clauses of what is asked, or none when those clauses hold no figure a
    number asked needs ("…年吞吐能力能到多少" and "甲码头投用" kept of a sentence whose figures are of other things):
    what would be shown does not answer."""
    shown = [focus(u, terms) for u in chosen]
    return [] if figure_missing(asked, shown) else shown
