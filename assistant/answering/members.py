"""The members of a counted name, asked ("“四所医院”具体是哪四家医院", "那5处遗址公园具体是哪几处") or explained
("“365”工程具体指的是哪些内容"): whether the units chosen spell them out, or only name it in passing."""

from __future__ import annotations

import re
from itertools import pairwise

from assistant.answering.aspects import ITEM_SPLIT
from assistant.answering.candidates import ITEM, Candidate
from assistant.index.segmenter import lcut
from assistant.text import norm, number_of
from assistant.vocab import section, vocabulary

# the members of a counted name asked for by their number: "“四所医院”具体是哪四家", "六个区分别是哪六个"
_WHICH_COUNTED = re.compile(r"哪([二两三四五六七八九十\d]{1,3})")
# ... or by the number the question gives them: "那5处考古遗址公园具体是哪几处", "这18项收费具体都有啥", "那4只基金
#分别叫啥名字" (in the clause naming them or the next)
_COUNTED_WHICH = re.compile(
    r"(?<![第前近\d])(\d{1,3}|[两二三四五六七八九十]{1,3})(?:个|项|家|处|所|座|条|名|位|类|批|只|户|支|件)(?![月年])"
    r"[^，,。？?！；]{0,20}?[，,]?[^，,。？?！；]{0,8}?"
    r"(?:哪些|哪几[个项家处所座条名位类只户支]?|(?:都有|分别是|具体是|都是|分别指|具体指|包括|分别叫|都叫|叫)(?:啥|什么)(?:名字)?(?=[？?]|$)"
    r"|(?:是|都是|分别是)谁)"
)
_PARTS = re.compile(r"[、；;]")
_PARTS_TWO = re.compile(r"[、；;和与及]")  # (two joined by 和: "“链长”和产业联盟会长“双长制”")


def _heads(text: str) -> bool:
    """A lead-in ("…“六保”：") or a heading line ("八个走在前列"): no statement of its own."""
    return text.endswith(("：", ":")) or not re.search(r"[，,。；;]", text)


def members_unsaid(question: str, chosen: list[Candidate]) -> bool:
    """Whether a question asking which N things a counted name stands for ("“四所医院”具体是哪四家医院") is answered
    by statements that only name it ("建设市级公立“四所医院”、县级公立“三所医院”"): none spells out at least N-1
    (and two) parts in one clause without the name, nor are as many units chosen apart from those naming it."""
    m = _WHICH_COUNTED.search(question)
    given = None if m else _COUNTED_WHICH.search(question)  # (a number given, not asked: some members named answer)
    m = m or given
    written = m.group(1) if m else ""  # (the number as the question writes it: "5", "五")
    count = number_of(written.replace("两", "二")) if m else None
    if not chosen or not count or count < 2:
        return False
    if m and question[m.end() : m.end() + 2] in ("个字", "字"):
        count = max(2, count // 2)  # ("哪八个字": characters counted, four words of two said "巩固、增强、提升、畅通")
    names = [norm(q) for q in re.findall(r"“([^”]{2,12})”", question)]
    asked = norm(question)
    need = 2 if given else max(2, count - 1)
    naming = [u for u in chosen if any(n in norm(u.text) for n in names)]
    # (a lead-in or a heading naming it, its items after; or as many units, when none is quoted and the number is
    # asked: when it is given, items of a list, not any two statements)
    apart = sum(u.kind == "item" for u in chosen) if given else len(chosen) - len(naming)
    if apart >= need and (not names or any(_heads(norm(u.text).strip()) for u in naming)):
        return False
    # ("水网、道路网、…、航空消防网“六网”", "“五进”（进商场、进市场、…）", two joined by 和: "“链长”和…会长“双长制”")
    parts = _PARTS if count > 2 else _PARTS_TWO

    # (a count in the counter asked is none: "培训孵化基地1家、示范园区3家" names no park)
    counted = re.compile(rf"(?:\d|[一二两三四五六七八九十])\s*{re.escape(counter)}") if (counter := _counter(question, m)) else None

    def members(clause: str) -> int:  # (none the question names itself: "除了甲、乙，另外几个是哪些"; of a number
        # given, none stating a figure: "新设基金4只、总规模97亿元" names no fund)
        return len([p for p in parts.split(clause)
                    if _member(p, names, count) and p not in asked and not (given and re.search(r"\d", p))
                    and not (counted and counted.search(p))])

    # (the number itself, not a part of another: "十大行动" states 十, "二十大" does not)
    number = re.compile(rf"(?<![\d一二三四五六七八九十百千两])(?:{re.escape(written)}|{count})(?![\d一二三四五六七八九十百千])")

    def stating(clauses: list[str]) -> list[int]:
        return [i for i, c in enumerate(clauses) if given and number.search(c)]

    split = [ITEM_SPLIT.split(norm(u.text).replace("（", "、").replace("）", "、")) for u in chosen]
    spots = [stating(clauses) for clauses in split]
    for clauses, at in zip(split, spots, strict=True):
        # (members of a number given are listed in the clause stating it, the one before or the two after: "甲、乙等9个
        # …", "围绕甲、乙等领域，推出10个行动计划"; in a statement not stating it only when none does)
        if any(spots):
            clauses = [clauses[j] for j in sorted({j for i in at for j in range(i - 1, i + 3) if 0 <= j < len(clauses)})]
        if any(members(c) >= need for c in clauses):
            return False
        # (or spelled out up to the clause naming it: "甲、乙城际开通运营，与丙、丁城际“四线贯通”")
        if any(names and any(n in c for n in names) and members(b) + members(c) >= need for b, c in pairwise(clauses)):
            return False
    return True


def _counter(question: str, m: re.Match[str] | None) -> str:
    """The counter the members are asked in ("哪3家" -> 家, "20家…分别是哪几家" -> 家)."""
    if m is None:
        return ""
    after = question[m.end(1) : m.end(1) + 1]
    return after if after in _MEMBER_COUNTERS else ""


_MEMBER_COUNTERS = frozenset("个项家处所座条名位类批只户支件")


def _member(part: str, names: list[str], count: int) -> bool:
    """A part of a clause that may be a member: not the name (nor a part naming it), unless of two joined by 和 the
    name closes the second ("产业联盟会长“双长制”")."""
    if count == 2:
        part = next((part.removesuffix(f"“{n}”") for n in names if part.endswith(f"“{n}”")), part)
    return bool(part) and not any(n in part for n in names)


# (a quoted name counting its members: "“365”工程", "“两个70%”激励", "“双百工程”"; a lone 一 counts none: "“一单制”")
_COUNTING_NAME = re.compile(r"“([^”]*(?:\d|[二两三四五六七八九十百双])[^”]*)”")
# (... or unquoted, right before what is asked: "某省885工作体系指的啥", "7大产业集群是哪7个")
_UNQUOTED_NAME = re.compile(r"(?<![\d.%])((?:\d{1,4}|[两三四五六七八九十]{1,2})[\u4e00-\u9fff]{2,8})$")
# (what it stands for asked: "“323”攻坚行动，三个数字分别对应哪些病", "“365”具体指的是哪些内容", "是哪两个70%")
_MEANING_ASKED = re.compile(
    r"指的?是?(?:啥|什么|哪)|是指|分别(?:是|指|对应|叫|为)|具体(?:是|有|包括|指)|包括(?:哪|啥|什么)|都有(?:哪|啥|什么)"
    r"|是哪[些几二两三四五六七八九十\d]|啥意思|什么意思|代表(?:啥|什么)"
)
_NUMERAL_RUN = re.compile(r"[一二两三四五六七八九十百双]+|\d+")
_CLAUSE_END = re.compile(r"[,。;!?]")
_ENUM = re.compile(r"[、;]|”(?=“)")
_ENUM_TWO = re.compile(r"[、;和与及]|”(?=“)")
_DEFINED_NEXT = re.compile(r",(?:即|包括|是指|指的是|分别是|就是)")  # ("“三空间二平台一示范”，即…")
_COUNTER = re.compile(r"[个大项类种条张级件]")
# what defines a name, right after it or after the kind of thing it is ("“1+10”工程：", "“五进”（进商场、…）"); 为 only
# right after it ("“三个一百”为…", not "以“1242”发展战略为抓手")
_DEFINED_AFTER = re.compile(r"”?\s*为|”?[\u4e00-\u9fff]{0,12}?(?:[:(]|即|是指|指的是|包括)")


def _unquoted(text: str) -> str:
    """A passage as compared with a name typed without its quotes ("“885”工作体系" as 885工作体系)."""
    return norm(text).replace("“", "").replace("”", "")


def name_unexplained(question: str, chosen: list[Candidate]) -> bool:
    """Whether a question asking what a counted name stands for ("“365”工程具体指的是哪些内容", "“双百工程”两个“百”分别
    是指啥") is answered only by statements naming it in passing ("坚持每年实施民生“365”工程，…"): none spells it out
    where it is named (after it: "：", "（", "即", "包括"; its members before it in its clause or the one before:
    "汽车、钢铁、化工产业转型“三大战役”"; in the clause after it: "“四通四到”机制，畅通…、沟通…、疏通…"), and no list
    of its items follows a short lead-in naming it. A part of the name defined counts ("“两个高于”即…")."""
    asked = _MEANING_ASKED.search(question)
    before = question[: asked.start()] if asked else ""
    names = [norm(n) for n in _COUNTING_NAME.findall(before) or _UNQUOTED_NAME.findall(before)]
    names = [n for n in names if len(n) >= 2]
    # (the number counts its members when it is the only one or a counter follows it: "“六保”", "“三个一百”"; "“1+10”",
    # "“四通四到”" say no count; a plan period, "“十四五”", is none)
    names = [n for n in names if not vocabulary().period_years(n)]
    if not chosen or not names:
        return False
    runs = list(_NUMERAL_RUN.finditer(names[0]))
    counted = runs[:1] if len(runs) == 1 or runs and _COUNTER.match(names[0], runs[0].end()) else []
    count = number_of(counted[0].group().replace("两", "二").replace("双", "二")) if counted else None
    need = max(2, count - 1) if count and count <= 12 else 3
    enum = _ENUM_TWO if count == 2 else _ENUM  # (two joined by 和: "“链长”和产业联盟会长“双长制”")

    def parts(text: str) -> int:
        return len([p for p in enum.split(text) if p.strip("“”")])

    naming = [u for u in chosen if any(n in _unquoted(u.text) for n in names)]
    if not naming:
        return False
    short = any(not re.search(r"[,;]", norm(u.text).rstrip("。")) for u in naming)
    if short and len(chosen) - len(naming) >= need:
        return False
    for text in (t for u in chosen for t in dict.fromkeys((norm(u.text), _unquoted(u.text)))):
        defined = [m.end() for m in re.finditer(r"“([^”]{2,})”", text) if any(m.group(1) in n for n in names)]
        for end in defined + [i + len(n) for n in names for i in _starts(text, n)]:
            start = max((m.end() for m in _CLAUSE_END.finditer(text, 0, end)), default=0)
            close = _CLAUSE_END.search(text, end)
            after = text[end : close.start() if close else len(text)]
            if _DEFINED_AFTER.match(after) or _DEFINED_NEXT.match(text, end + len(after)):
                return False
            before = text[start : end - 1]
            earlier = _CLAUSE_END.split(text[:start])[-2] if start else ""
            # (not when it closes a list of its own: "…、科技赋能、四治融合等“九大行动”" lists the actions)
            listed = re.match(r"[\u4e00-\u9fff]{0,4}?”?等", after) is not None
            some = re.search("等“?(?:" + "|".join(map(re.escape, names)) + ")", text[start:end])
            if some and parts(text[start : start + some.start()]) >= 2:  # (some of them: "海参、人参等十大特色产业")
                return False
            if not listed and (parts(before) >= need or parts(earlier) + parts(before) - 1 >= need and parts(before) >= 2):
                return False
            if close and close.group() != "。":
                rest = text[close.end() :]
                nxt = _CLAUSE_END.split(rest)[0]
                if parts(nxt) >= need:
                    return False
    return True


def _starts(text: str, name: str) -> list[int]:
    return [m.start() for m in re.finditer(re.escape(name), text)]


# (which ones of a kind asked: "首批试点城市有哪些", "是哪几家企业", "哪几个行业"; the word after names the kind)
_COUNTERS = "[个项家处所座条名位类只户支件批种部]"  # (what a group of named things is counted by)
_WHICH_ONES = re.compile(rf"哪(?:几|些|[两二三四五六七八九十]){_COUNTERS}?([\u4e00-\u9fff]{{0,6}})")
# (a counted group the question names, "那4个设区市", "2所幼儿园": the kind a which-ones asked without one means,
# "是哪几个", "分别是哪两所"; and the names of its members asked, "2家公司都叫啥名")
_COUNTED_GROUP = re.compile(
    rf"(?:\d+|[两二三四五六七八九十]+)\s*{_COUNTERS}([\u4e00-\u9fff]{{2,12}}?)(?=[，,？?]|是|都|分别|里|中|的|具体|各)"
)
_NAMES_ASKED = re.compile(r"(?:都|分别|各)(?:叫|是)(?:什么|啥)(?:名字|名)")
_ALL = re.compile(r"所有|全部|各类|一切")  # ("扩大至所有企业": every one of the kind)
# (kinds that are no named things: "要做哪些事", "哪些方面"; times, said by a span: "连续哪几年", "哪几届")
_NOT_NAMED = ("事", "方面", "工作", "年", "天", "月", "届", "次")


def ones_unlisted(question: str, chosen: list[Candidate]) -> bool:
    """Which ones of a kind asked ("首批入选的光网城市是哪些", "试点地区选的是哪几个") answered by statements that list
    none: no two items chosen, and no clause of them enumerates ("甲、乙", "“甲”“乙”", "《甲》《乙》", "“甲+乙+丙”", "甲和乙
    晚会" of 晚会 asked) or says all of the kind ("所有企业"). Measures asked ("哪些新举措", "哪些方面") are described by
    statements, not listed. Which ones by a count in words ("分别是哪两所") or the names of a counted group ("那2家公司都叫
    啥名") are asked of the group the question counts: its members are looked for where it is named; two joined by 和
    answer 哪两."""
    m = _WHICH_ONES.search(question)
    group = _COUNTED_GROUP.search(question)
    if not chosen or not (m or group and _NAMES_ASKED.search(question)):
        return False
    described = [*vocabulary().question["description"], *section("contents")["overview"]]
    if any(w in question for w in described) or m and m.group(1).startswith(_NOT_NAMED):
        return False
    if sum(u.kind in ("item", "row") or bool(ITEM.match(u.text)) for u in chosen) >= 2:
        return False
    asked = norm(question)
    kind = (lcut(m.group(1)) or [""])[0] if m else ""
    two = bool(m and m.group().startswith(("哪两", "哪二")))  # ("免费做哪两项": two joined by 和 are listed)
    counted = next((w for w in reversed(lcut(group.group(1))) if len(w) >= 2), "") if group else ""
    for u in chosen:
        text = norm(u.text)
        if _ALL.search(text):
            return False
        clauses = ITEM_SPLIT.split(text)
        if not kind and counted and any(counted in c for c in clauses):
            # (the members of a counted group are listed where it is named, or right after: "甲、乙等4个设区市")
            at = {j for i, c in enumerate(clauses) if counted in c for j in (i, i + 1)}
            clauses = [c for i, c in enumerate(clauses) if i in at]
        for c in clauses:
            if "”“" in c or "》《" in c or re.search(r"“[^”+]+\+[^”+]+\+", c):
                return False
            if len([p for p in c.split("、") if p and p not in asked]) >= 2:
                return False
            joined = re.split(r"[和与及]", c)
            if (len(kind) >= 2 and joined[-1].endswith(kind) or two) and len(joined) >= 2 and len(joined[-2]) >= 2:
                return False
    return True


# (the others asked, some named: "除了甲、乙，另外7个是哪些", "除了甲还有啥论坛", "除了甲和乙，剩下8个是啥")
_OTHERS = re.compile(r"除了?([^，,？?]{2,40}?)(?:以外|之外|外)?[，,]?\s*(?:另外|剩下|其余|其他|还有)")


def others_unsaid(question: str, chosen: list[Candidate]) -> bool:
    """The others of a kind asked, some named ("除了甲、乙、丙，另外7个是哪些") answered by statements that name no
    other: no clause naming one of them lists another beside it ("甲、乙、丙等10个县获得表彰" restates them), and no
    two items chosen name none of them."""
    m = _OTHERS.search(norm(question))
    if not chosen or not m:
        return False
    named = [p for p in re.split(r"[、和及与]", m.group(1)) if len(p) >= 2]
    if not named:
        return False

    def names(text: str) -> bool:
        return any(n in text or len(n) >= 4 and n[-3:] in text for n in named)

    home = chosen[0].chunk.id  # (items of the list chosen first, not headings of another part)
    listed = [u for u in chosen if (u.kind in ("item", "row") or ITEM.match(u.text)) and u.chunk.id == home]
    if sum(not names(norm(u.text)) for u in listed) >= 2:
        return False
    split = [ITEM_SPLIT.split(norm(u.text)) for u in chosen]
    clauses = [c for cs in split for c in cs if names(c)]
    if not clauses:  # (none named as the question names them: "服贸会" said in full; any enumeration lists others)
        return not any(len(c.split("、")) >= 2 for cs in split for c in cs)
    return not any(p and not names(p) for c in clauses for p in re.split(r"[、和及与]|”“", c))
