"""How the units chosen for a facet are shown: a long statement of many figures cut to the clauses asked about,
a table row answering for one of several places with its own columns only, a statement's 今年/去年 resolved for a
"哪一年" question, whether a statement announces the counted items a question asks about, and why nothing answers
when the collection has no document of what the question names."""

from __future__ import annotations

import re
from dataclasses import replace

from assistant.answering.candidates import Candidate, render_row
from assistant.answering.features import QuestionTerms, compound
from assistant.retrieval.routing import Catalog, Scope, place_names
from assistant.text import in_order, norm
from assistant.vocab import section, vocabulary

_DIGIT = re.compile(r"\d")
_HOW_MANY = re.compile(r"几(?:个|项|大|件|类|条)?([\u4e00-\u9fff]{2})")


def counts_items(question: str, text: str) -> bool:
    """"分为几个方面" answered by "抓好以下十个方面工作": the statement counts the things asked about, and what
    it announces is listed after it."""
    m = _HOW_MANY.search(question)
    reading = section("reading")
    measures = [*vocabulary().units, *(w for group in reading["counter_groups"] for w in group)]
    if m and any(len(w) >= 2 and question.startswith(w, m.start(1)) for w in measures):
        return False  # "几个工作日", "几个百分点" ask for a measure, not for things listed after
    said = re.search(r"[一二三四五六七八九十两\d]+(?:个|项|大|件|类|条)?" + m.group(1), text) if m else None
    # (one that names them before the count, "甲、乙、丙3个中心", has listed them already)
    return said is not None and "、" not in text[: said.start()]


def lead_in(chosen: list[Candidate], answer_type: str, question: str) -> Candidate | None:
    """The chosen unit whose items answer the question: the first one for a list or a description, or one that
    counts the things asked about; for a list, a lead-in chosen below it that announces items ("重点抓好以下十二个
    方面：") comes first."""
    if answer_type == "list":
        found = next((u for u in chosen if u.text.rstrip().endswith(("：", ":")) and (
            "以下" in u.text or counts_items(question, u.text))), None)
        if found is not None:
            return found
    if chosen and (answer_type in ("list", "description") or counts_items(question, chosen[0].text)):
        return chosen[0]
    return None


FOCUS_CHARS = 90  # a figure's statement longer than this is shown as the clauses that hold the asked figure


def focus(unit: Candidate, terms: QuestionTerms) -> Candidate:
    """A long statement of many figures shown as the clauses that hold the asked ones (the lead-in kept,
    the rest elided with ……); the quote behind the citation stays the whole sentence."""
    if unit.kind == "row" or len(unit.display) <= FOCUS_CHARS:
        return unit
    clauses = _clauses(unit.display)
    weights = {t: w for t, w in terms.own_weights.items() if not t.isdigit()}
    said = [sum(w for t, w in weights.items() if terms.has(t, norm(c))) for c in clauses]
    # the clause that says most of what is asked stays, with a figure or without ("居民收入增长与经济增长同步")
    best = max(said, default=0.0)
    keep = [i for i, c in enumerate(clauses) if said[i] and (_DIGIT.search(c) or said[i] == best)]
    if not keep or len(keep) == len(clauses):
        return unit
    head = clauses[0] if ("：" in clauses[0] or ":" in clauses[0]) and 0 not in keep else ""
    head = head.split("：")[0].split(":")[0] + "：" if head else ""
    body = "……".join(clauses[i].rstrip("，,；;") for i in keep)
    return replace(unit, display=f"{head}{body}")


def _clauses(text: str) -> list[str]:
    """The text cut after each ，；,; that stands outside brackets ("（责任单位：甲，乙）" stays whole)."""
    out, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        depth += (ch in "（(") - (ch in "）)")
        if ch in "，；,;" and depth <= 0:
            out.append(text[start : i + 1])
            start = i + 1
    return [c for c in [*out, text[start:]] if c]


_ASKS_NUMBER = re.compile(r"多少|(?<!哪)几(?!乎)|百分之几|多大|多高|多长|多久")
# a number, or one written in words with what it counts ("三年", "翻一番"; not "第四条", "一批")
_ANY_FIGURE = re.compile(r"\d|(?<!第)[一二三四五六七八九十百千两半]+(?:个|项|家|所|倍|番|成|年|月|日|天|周|小时|分钟|次|岁|人|名|万|亿|元|户|亩|公里|吨|件|张|台|座|位)|翻[一两]番")


def figure_missing(question: str, units: list[Candidate]) -> bool:
    """A question that asks for a number ("是多少", "几年") answered by units that hold none: they do not answer it
    (a number written in words, "翻一番", "三年", counts as one, and so does a target set without one, "与经济增长
    同步")."""
    qualitative = section("reading")["qualitative_targets"]
    return bool(_ASKS_NUMBER.search(question)) and not any(
        _ANY_FIGURE.search(_values(u)) or any(w in u.display for w in qualitative) for u in units
    )


_NAMED_WITH_DIGITS = re.compile(r"[A-Za-z]+[\d.]+[A-Za-z\d.]*|\d+[A-Za-z]+[A-Za-z\d]*")  # "5G", "PM2.5": names
_YEAR = re.compile(r"(?:19|20)\d{2}\s*年(?:\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?)?")


def _values(unit: Candidate) -> str:
    """What a unit states, without the years it is dated by ("到2025年，基本实现全覆盖" states no figure) or the
    names that hold digits ("5G网络"): a table row's cells, not its column names ("指标值·2025年：同比例提高")."""
    shown = unit.display
    text = " ".join(part.split("：", 1)[-1] for part in shown.split("；")) if unit.kind == "row" else shown
    return _NAMED_WITH_DIGITS.sub("", _YEAR.sub("", text))


def measure_missing(measure: str | None, units: list[Candidate]) -> bool:
    """A question asking how many of a measure ("要达到多少亿元", "压缩到多少小时") answered by units that give no
    figure in it (a rate "年均增长7.8%", "3个工作日"): they answer something else."""
    if not measure or measure == section("reading")["counter_general"]:
        return False
    same = next((g for g in section("reading")["counter_groups"] if measure in g), [measure])
    words = "|".join(re.escape(w) for w in same)
    written = re.compile(rf"(?:\d|[一二三四五六七八九十百千万两半])\s*(?:[万亿千百]\s*)*个?(?:{words})")
    # a table row says its measure once, in a column ("单位：家") or a heading ("（亿元）")
    return not any(written.search(u.display) or u.kind == "row" and any(w in u.display for w in same) for u in units)


BARE_CHARS = 16  # an indicator stated without a figure is short: "固定资产投资提质提效", "进出口总额保持正增长"


def stated_without_figure(question: str, chosen: list[Candidate], units: list[Candidate], terms: QuestionTerms) -> bool:
    """A number asked of an indicator the passage states without one: "固定资产投资增长目标是多少" where the
    targets say "固定资产投资提质提效，社会消费品零售总额增长5%左右". A short clause of the chosen passages that
    holds the rarest word of the asking clause and says more of it than any clause chosen with a figure, and
    holds no figure itself, is what the text says of it. Only a statement that sets targets is read so (in
    other prose a short clause without a figure introduces the one that has it: "加大保障性安居工程建设力度，
    今年新开工700万套以上")."""
    asking = _asking_clause(question)
    weights = {
        t: w for t, w in terms.own_weights.items()
        if not t.isdigit() and t in norm(asking) and not _ASKS_NUMBER.search(t) and "百分" not in t
    }
    if not weights:
        return False
    rarest = max(weights, key=weights.__getitem__)

    def said(clause: str) -> float:
        return sum(w for t, w in weights.items() if terms.has(t, norm(clause)))

    chunks = {u.chunk.id for u in chosen}
    shown = [c for u in chosen if u.kind != "row" for c in _clauses(u.display)]
    targets = section("reading")["target_statements"]  # what sets targets: "今年主要预期目标是：…"
    bare = [
        c for u in units if u.chunk.id in chunks and u.kind != "row" and any(w in u.chunk.text for w in targets)
        for c in (re.split("[：:]", c)[-1] for c in _clauses(u.display))  # without the lead-in "…目标是："
        if len(c.strip("，,；;。 ")) <= BARE_CHARS and terms.has(rarest, norm(c)) and not _holds_figure(c)
    ]
    with_figure = max((said(c) for c in shown if _holds_figure(c)), default=0.0)
    return any(said(c) > with_figure for c in bare)


def _asking_clause(question: str, *, whole: bool = False) -> str:
    """The clause of a question that asks for a number ("…，目标是多少"); the whole question when none does but it
    asks for a figure otherwise (whole), else ""."""
    return next((p for p in re.split(r"[，,；;]", question) if _ASKS_NUMBER.search(p)), question if whole else "")


def _holds_figure(clause: str) -> bool:
    """Whether a clause states a figure (a target set without one, "与经济增长同步", counts)."""
    return bool(_ANY_FIGURE.search(_YEAR.sub("", clause))) or any(
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
    return figure_missing(question, units) or answer_type == "quantity" and measure_missing(measure, units)


def not_the_figure_asked(
    answer_type: str, question: str, terms: QuestionTerms, chosen: list[Candidate], units: list[Candidate],
    places: frozenset[str] = frozenset(), wants_number: bool = False,
) -> bool:
    """Whether the chosen units fail a question asking for a number: they hold none, or none in the measure asked,
    or the passage states the asked indicator without one, or they give another indicator's figure."""
    if lacks_asked_figure(answer_type, question, terms.measure, chosen):
        return True
    if answer_type in ("list", "structure", "metadata", "date"):
        return False
    return stated_without_figure(question, chosen, units, terms) or swapped_indicator(
        question, chosen, terms, places, wants_number
    )


WHICH_YEAR = re.compile(r"哪一?年|什么年份|哪个年份")


def with_year(unit: Candidate, doc_year: int | None) -> Candidate:
    """"哪一年…首次…" answered by "今年首次…": the year the statement's 今年/去年 stands for, said after it."""
    if doc_year is None:
        return unit
    said = "、".join(f"{w}即{doc_year + d}年" for w, d in vocabulary().relative_years.items() if w in unit.text)
    if not said:
        return unit
    return replace(unit, display=f"{unit.display}（{said}，据《{unit.chunk.title}》）")


def own_columns(unit: Candidate, mine: tuple[str, ...], asked: tuple[str, ...]) -> Candidate:
    """A table row answering for one of several places compared, shown without the columns of the others
    ("2025年·乙省：93%" under 乙省, not 甲市's figures beside it)."""
    if unit.kind != "row":
        return unit
    others = {n for p in asked if p not in mine for n in place_names(p)}
    kept = [(h, v) for h, v in unit.cells if not any(n in h for n in others)]
    if len(kept) == len(unit.cells) or not any(any(n in h for n in place_names(p)) for h, _ in kept for p in mine):
        return unit
    return replace(unit, display=render_row(kept))


def not_held(scope: Scope, catalog: Catalog) -> str | None:
    """Why nothing answers when the places and years a question names match no document of the kind it names:
    "知识库中没有全国2025年的政府工作报告。" (None when some document fits, or the question names neither)."""
    if not (scope.places or scope.doc_years) or scope.doc_ids:
        return None
    if catalog.matching(Scope(places=scope.places, doc_years=scope.doc_years, kinds=scope.kinds)):
        return None
    vocab = vocabulary()
    years = "、".join(f"{y}年" for y in scope.doc_years)
    kind = vocab.kind_names.get(scope.kinds[0], "文档") if scope.kinds else "文档"
    return f"知识库中没有{'、'.join(scope.places)}{years}的{kind}。"


_COUNTED = re.compile(r"多少(?:个|家|所|项|条|座|套|批)([\u4e00-\u9fff]{3,10})")
_CJK2 = re.compile(r"[\u4e00-\u9fff]{2}$")  # two Chinese characters end the text


def swapped_indicator(
    question: str, chosen: list[Candidate], terms: QuestionTerms, places: frozenset[str], wants_number: bool = False
) -> bool:
    """A number asked of one indicator answered with another that differs in its modifier: "城镇登记失业率" by
    "城镇调查失业率5.5%左右", "户籍人口城镇化率" by "常住人口城镇化率", "进出口总值增长" by "生产总值增长7.5%".

    The asking clause names a word (登记) right before an indicator (失业率: question words up to one ending in
    率/额/量/值); every chosen clause with a figure that names the indicator names it after another word and not
    the asked one. A word the question also uses there, a scope or time word ("全省失业率"), a word sharing two
    characters with the asked one ("食品评价性抽检合格率" for 食品安全) or its shortening (规上 for 规模以上) is
    no other word. A question asking a figure otherwise ("…提出了什么目标") is read whole."""
    q = norm(_asking_clause(question, whole=wants_number))
    words = [t for t in terms.own_weights if not t.isdigit() and t in q]
    reading = section("reading")
    endings = (*reading["indicator_endings"], *reading["indicator_changes"], *reading["indicator_counts"])
    pairs = []  # (the asked word, the indicator after it)
    for word in words:
        if word in places:
            continue
        if len(word) >= 4 and word.endswith(endings):  # one word of both: 粮食产量 (粮食 + 产量)
            pairs.append((word[:-2], word[-2:]))
        pos, head = q.find(word) + len(word), ""
        while (w := next((w for w in words if q.startswith(w, pos)), None)) is not None:
            head, pos = head + w, pos + len(w)
            if w.endswith(endings):
                pairs.append((word, head))
                break
    counted = _COUNTED.search(q)  # "多少家独角兽企业": the things counted are an indicator too
    if counted and (last := next((w for w in words if counted.group(1).endswith(w)), None)):
        first = counted.group(1)[: -len(last)]
        if first in words and first not in places:
            pairs.append((first, last))
        elif not first and (parts := compound(last)):  # one word of both: 重大项目 (重大 + 项目)
            pairs.append(parts)
    said = [norm(c) for u in chosen for c in ([u.display] if u.kind == "row" else _clauses(u.display))]
    # a change of the asked indicator said in other words is said ("固定资产投资增速保持在全国平均水平以上")
    changes = tuple(section("reading")["indicator_changes"])
    pairs = [(w, h) for w, h in pairs if not (h.endswith(changes) and any(terms.has(w, c) for c in said))]
    clauses = [c for c in said if _holds_figure(c)]
    naming = [c for c in clauses if any(h in c for _, h in pairs)]
    # words that are no other word before the indicator: the question's own (with those a sub-question shares with
    # the rest: "…粮食产量…？去年实际产量是多少" asks 粮食产量), scope and time words ("全省失业率")
    shared = [t[:k] for t in terms.weights if not t.isdigit() for k in range(2, len(t) + 1)]
    same = [*words, *shared, *vocabulary().relative_years, *(w for group in section("scope").values() for w in group)]
    return bool(naming) and all(_another_before(c, pairs, q, same, terms) for c in naming)


def _another_before(clause: str, pairs: list[tuple[str, str]], asked: str, same: list[str], terms: QuestionTerms) -> bool:
    """Whether the clause names one of the indicators after another word than the asked one (none of `same`)."""
    for word, head in pairs:
        if terms.has(word, clause) or terms.has(word + head, clause):  # (经济增长 written 生产总值增长)
            continue
        said = asked[: asked.find(head)]
        for m in re.finditer(re.escape(head), clause):
            before = re.sub(r"[“”\"]", "", clause[: m.start()])  # ("“小巨人”企业")
            other = before[-2:]
            if not _CJK2.search(before) or any(before.endswith(w) for w in same):
                continue
            if any(word[j : j + 2] in before[-6:] for j in range(len(word) - 1)) or in_order(other, said[-8:]) or (
                in_order(word, before[-8:])  # the asked word shortens the one written (外资 for 外商投资)
            ):
                continue
            return True
    return False
