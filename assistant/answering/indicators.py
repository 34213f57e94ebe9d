"""Whether the figure chosen for a question is of another indicator or thing than the one asked: another modifier
("城镇调查失业率" for 城镇登记失业率), another thing than what 多少 measures ("地方财政赤字" for 专项债券), or a change
where a share is asked (研发投入增长 for 研发投入强度)."""

from __future__ import annotations

import re
from itertools import pairwise

from assistant.answering.candidates import Candidate
from assistant.answering.figures import asking_clause, holds_figure
from assistant.answering.present import clauses_of
from assistant.answering.terms import QuestionTerms, compound
from assistant.text import in_order, norm
from assistant.vocab import section, vocabulary

_MEASURED = re.compile(r"多少([\u4e00-\u9fff]{2,12})")  # "安排了多少地方政府专项债券"


def measured_missing(question: str, chosen: list[Candidate], terms: QuestionTerms) -> bool:
    """"安排了多少地方政府专项债券": what 多少 measures is named right after it; a figure of the answer that names
    none of it ("地方财政赤字5000亿元") is another thing's. A unit or counter after 多少 ("多少亿元", "多少个项目")
    measures nothing of its own."""
    q = norm(question)
    m = _MEASURED.search(q)
    if m and _MONEY.match(m.group(1)):  # "财政赤字规模安排了多少万亿元": an amount of what the clause names before it
        return _figures_miss(re.split(r"[，,；;]", q[: m.start()])[-1], chosen, terms)
    # "要建多少个口袋公园": the things counted, of which no word is named (one may vary: "选多少所乡镇卫生院建到…" is
    # said "选建10-15所乡镇卫生院达到…")
    if (c := _COUNT_ASKED.search(q)) and (after := _CJK_RUN.match(q, c.end())):
        return _figures_miss(after.group(0), chosen, terms, every=True)
    if not m or m.group(1).startswith(vocabulary().units) or _NOT_A_THING.match(m.group(1)):
        return False
    # ("给多少奖励" answered "给予60万元奖补资金": a short word varies)
    return len(m.group(1)) >= 4 and _figures_miss(m.group(1), chosen, terms)


def _figures_miss(words: str, chosen: list[Candidate], terms: QuestionTerms, every: bool = False) -> bool:
    """Whether no chosen unit with a figure names the rarest question term of `words` (with `every`, any of them;
    False when they hold none)."""
    named = [t for t in terms.own_weights if not t.isdigit() and len(t) >= 2 and t in words]
    if not named:
        return False
    looked = named if every else [max(named, key=terms.own_weights.__getitem__)]
    figured = [norm(u.display) for u in chosen if holds_figure(u.display)]
    if not every and len(named) >= 3:  # (a user's word for one of several: "多少农村人口进城落户", said "在城镇落户")
        total = sum(terms.own_weights[t] for t in named)
        return not any(sum(terms.own_weights[t] for t in named if terms.has(t, text)) > total / 2 for text in figured)
    return not any(terms.has(t, text) for text in figured for t in looked)


_MONEY = re.compile(r"(?:万亿|亿|万)?元")  # an amount of money asked ("多少亿元")
# after 多少: a counter or a measure ("多少个项目", "多少亿斤"), a change to another figure ("从多少降到多少"), or
# what a threshold qualifies ("年取水许可量超过多少的取水户": the amount is of the words before it)
_NOT_A_THING = re.compile(r"[个家所项条座套批种类名位件次场元亿万千百十的钱]|.*(?:到|至|为)")  # ("多少钱一个月")
_COUNTED = re.compile(r"多少(?:个|家|所|项|条|座|套|批|张|台|辆|名|处|户)([\u4e00-\u9fff]{3,10})")
_COUNT_ASKED = re.compile(r"多少\s*(?:个|家|所|项|条|座|套|批|张|台|辆|处|户|件|间|栋|场|次)(?!百分点)")
_CJK_RUN = re.compile(r"[\u4e00-\u9fff]{2,10}")
_CJK2 = re.compile(r"[\u4e00-\u9fff]{2}$")  # two Chinese characters end the text
_CJK1 = re.compile(r"[\u4e00-\u9fff]")


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
    q = norm(asking_clause(question, whole=wants_number))
    q = q[: q.find("多少的")] if "多少的" in q else q  # ("超过多少的取水户要装在线计量": what follows is qualified, not measured)
    words = [t for t in terms.own_weights if not t.isdigit() and t in q]
    reading = section("reading")
    endings = (*reading["indicator_endings"], *reading["indicator_changes"], *reading["indicator_counts"])
    particles = reading["particles"]
    pairs = []  # (the asked word, the indicator after it)
    when = {*reading["time_words"], *vocabulary().relative_years}
    scopes = {w for group in section("scope").values() for w in group}  # ("全市生产安全事故起数": the place's own)
    for word in words:
        if word in places or word in when or word in scopes or vocabulary().period_years(word):  # ("十三五期间…": a time)
            continue
        if len(word) >= 4 and word.endswith(endings):  # one word of both: 粮食产量 (粮食 + 产量)
            pairs.append((word[:-2], word[-2:]))
        pos, head = q.find(word) + len(word), ""
        if not any(q.startswith(w, pos) for w in words) and _CJK1.match(q, pos) and q[pos] not in particles and any(
            q.startswith(w, pos + 1) and w.endswith(endings) for w in words
        ):
            pos += 1  # one character between ("生猪年出栏量"; not a particle: "比例的面积" is no 比例 indicator)
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
        else:  # "多少张护理型养老床位": each word before the thing counted is asked of it
            pairs += [(w, last) for w in words if w in first and w not in places and w != last]
    said = [norm(c) for u in chosen for c in ([u.display] if u.kind == "row" else clauses_of(u.display))]
    # (a clause naming the indicator whose figure the next one gives: "下调某保险单位缴费比例，可降至X%")
    said_with = [c for u in chosen if u.kind != "row" for c in _figure_after(clauses_of(norm(u.display)))]
    # a change of the asked indicator said in other words is said ("固定资产投资增速保持在全国平均水平以上")
    changes = tuple(reading["indicator_changes"])
    pairs = [(w, h) for w, h in pairs if not (h.endswith(changes) and any(terms.has(w, c) for c in said))]
    # ... nor is a change said how it is meant ("今年计划增长多少"): 计划 names no indicator ("实际产量" is one)
    pairs = [(w, h) for w, h in pairs if not (h.endswith(changes) and w in reading["change_modals"])]
    clauses = [c for c in said if holds_figure(c)] + said_with
    naming = [c for c in clauses if any(h in c for _, h in pairs)]
    # words that are no other word before the indicator: the question's own (with those a sub-question shares with
    # the rest: "…粮食产量…？去年实际产量是多少" asks 粮食产量), scope and time words ("全省失业率")
    shared = [t[:k] for t in terms.weights if not t.isdigit() for k in range(2, len(t) + 1)]
    same = [*words, *shared, *vocabulary().relative_years, *reading["time_words"],
            *(w for group in section("scope").values() for w in group)]
    return bool(naming) and all(another_before(c, pairs, q, same, terms) for c in naming)


def _figure_after(clauses: list[str]) -> list[str]:
    """Clauses without a figure whose next clause gives one: what that figure is of."""
    return [c for c, after in pairwise(clauses) if not holds_figure(c) and holds_figure(after)]


def another_before(
    clause: str, pairs: list[tuple[str, str]], asked: str, same: list[str], terms: QuestionTerms, reach: int = 6,
) -> bool:
    """Whether the clause names one of the indicators after another word than the asked one (none of `same`; nor
    one sharing two characters with it within `reach` characters before)."""
    for word, head in pairs:
        if terms.has(word, clause) or terms.has(word + head, clause):  # (经济增长 written 生产总值增长)
            continue
        said = asked[: asked.find(head)]
        for m in re.finditer(re.escape(head), clause):
            before = re.sub(r"[“”\"]", "", clause[: m.start()])  # ("“小巨人”企业")
            bare = before
            while nearest := next((w for w in same if len(w) >= 2 and bare.endswith(w)), None):
                bare = bare[: -len(nearest)]  # ("家庭养老床位" for "护理型养老床位": 养老 is the question's, 家庭 not)
            other = bare[-2:]
            if bare == before and any(before.endswith(w) for w in same) or not _CJK2.search(bare):
                continue
            named = (word, *terms.alternates.get(word, ()))  # (GDP is 经济总量: "经济增长6%左右" names it)
            if any(w[j : j + 2] in before[-reach:] for w in named for j in range(len(w) - 1)) or in_order(other, said[-8:]) or (
                in_order(word, before[-8:])  # the asked word shortens the one written (外资 for 外商投资)
            ):
                continue
            return True
    return False


def share_as_change(question: str, chosen: list[Candidate], terms: QuestionTerms) -> bool:
    """"研发投入强度要达到多少" answered by "企业研发投入增长15%以上": a share asked of a thing (强度, 比重, 占比: the
    word after it in the asking clause) answered by clauses that give the thing's change (增长) and never the
    share: another measure of it."""
    q = norm(asking_clause(question))
    shares = section("reading")["share_asked"]
    # (or the thing before 占, the share after it: "高新技术产业增加值占规上工业的比重")
    asked = [(t, h) for t in terms.own_weights if len(t) >= 2 for h in shares
             if f"{t}{h}" in q or f"{t}占" in q and h in q[q.find(f"{t}占") :]]
    if not asked:
        return False
    said = [norm(c) for u in chosen for c in ([u.display] if u.kind == "row" else clauses_of(u.display)) if holds_figure(c)]
    changes = "|".join(section("reading")["indicator_changes"])
    return any(
        any(re.search(rf"{re.escape(t)}(?:分别)?(?:{changes})", c) for c in said) and not any(h in c for c in said)
        for t, h in asked
    )
