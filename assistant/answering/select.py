"""Choosing the units that answer one facet of a question, from their fitted probabilities."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace

from assistant.answering.candidates import (
    ITEM,
    Candidate,
    heading_like,
    opens_line,
    run_in_head,
    same_statement,
)
from assistant.answering.figures import ASKS_NUMBER, figure_missing
from assistant.answering.frame import QuestionFrame
from assistant.answering.measures import in_measure
from assistant.answering.outline import ARTICLE
from assistant.text import norm

_NUMBER = re.compile(r"\d|[一二三四五六七八九十百千万两]+(?:个|项|家|所|条|批|天|日|年|月)")
MAX_UNITS = 6  # a facet's answer quotes at most this many units (a list counts its items separately)
MAX_LIST_ITEMS = 24
FIGURE_TIE = 0.02  # probabilities this close do not tell two units apart


@dataclass
class Scored:
    """A candidate with its probability of answering the facet."""

    unit: Candidate
    p: float


def tie_orders(scored: list[Scored], most: int = 2) -> Iterator[list[Scored]]:
    """The units as scored, then with each of (at most `most`) other statements the scorer cannot tell from the best
    (within FIGURE_TIE) put first: where the best one does not give what is asked, one of them may."""
    yield scored
    if not scored:
        return
    best = scored[0]
    alike = [s for s in scored[1:] if s.p >= best.p - FIGURE_TIE and s.unit.display != best.unit.display]
    for s in alike[:most]:  # (scored as the best, and first: the selection keeps the order of equal scores)
        yield [replace(s, p=best.p), *(t for t in scored if t is not s)]


def select_units(
    scored: list[Scored], frame: QuestionFrame, all_units: list[Candidate], *, threshold: float, extra: float,
    terms: dict[str, float], measure: str | None = None, floor: float = 1.0,
) -> list[Candidate]:
    """The best unit with what makes it readable, plus further units that add asked terms; [] to decline.

    The measure asked for ("多少亿元") is no term a unit adds: any figure in 亿元 holds it."""
    terms = {t: w for t, w in terms.items() if t != measure}
    # (a date or a document number alone answers for a document's metadata)
    bare = frame.answer_type not in ("metadata", "date", "structure")
    ranked = sorted((s for s in scored if not (bare and _bare_fragment(s.unit, terms))), key=lambda s: -s.p)
    if not ranked or ranked[0].p < threshold:
        return []
    if _names_a_topic(ranked[0].unit, all_units) and frame.answer_type not in _WHOLE and ranked[1:] and (
        ranked[1].p >= threshold and ranked[1].unit.chunk.id == ranked[0].unit.chunk.id
    ):  # a topic's name states nothing of it: what its passage says does ("即时物流。…以…为载体，建设…产业园")
        ranked = [ranked[1], ranked[0], *ranked[2:]]
    def said(s: Scored) -> float:  # (a compound said in another order counts: "改造农村危房" says 危房改造)
        body = norm(s.unit.display)
        return sum(w for t, w in terms.items() if t in body or len(t) == 4 and t[:2] in body and t[2:] in body)

    if frame.wants_number and figure_missing("多少", [ranked[0].unit]):
        # a number asked for: of units scored alike (within FIGURE_TIE), one that holds a figure answers first; else,
        # above the floor, one stating a figure in the measure asked and saying as much of the question ("体系搭了
        # 几级": "搭建…的9级攀升梯级", not the heading "中小学教师梯队攀升体系建设计划")
        figured = next((s for s in ranked if s.p >= max(floor, ranked[0].p - FIGURE_TIE)
                        and not figure_missing("多少", [s.unit])), None) or next(
            (s for s in ranked if measure and s.p >= floor and in_measure(measure, [s.unit])
             and said(s) >= said(ranked[0])), None)
        ranked = [figured, *(s for s in ranked if s is not figured)] if figured else ranked
    elif frame.wants_number and measure and not in_measure(measure, [ranked[0].unit]):
        # ... and of those, one stating a figure in the measure asked ("多少亿": "2226亿元", not "50%"); or, above the
        # floor, one that also says more of what is asked ("去年派了多少人": "选派超千名科技特派员", not "…降费670亿元")
        measured = next((s for s in ranked if in_measure(measure, [s.unit]) and (
            s.p >= max(floor, ranked[0].p - FIGURE_TIE) or s.p >= floor and said(s) >= said(ranked[0]))), None)
        ranked = [measured, *(s for s in ranked if s is not measured)] if measured else ranked
    if frame.quoted and not _defines(ranked[0].unit, frame.quoted):
        # a term the question quotes is answered first by the statement that defines it ("“三个全覆盖”：…、…、…"), of
        # those scored alike, not by one that only names it ("全面实现…“三个全覆盖”。")
        defining = next((s for s in ranked if s.p >= max(floor, ranked[0].p - FIGURE_TIE)
                         and _defines(s.unit, frame.quoted)), None)
        ranked = [defining, *(s for s in ranked if s is not defining)] if defining else ranked
    top = ranked[0]
    # a question asking nothing but a figure ("…增长目标是多少"; not "哪一年…？多少？", "基于什么考虑")
    only_figures = frame.answer_type == "quantity" and not _ASKS_OTHER.search(frame.question)
    chosen = expand(top.unit, all_units, frame)
    covered = _covered(chosen, terms)
    total = sum(terms.values()) or 1.0
    for s in ranked[1:]:
        if sum(1 for u in chosen if u.kind != "item") >= MAX_UNITS or s.p < max(extra, 0.6 * top.p):
            break
        if any(s.unit.key == u.key or same_statement(s.unit, u) for u in chosen):
            continue
        if only_figures and not _has_number(s.unit.text):
            continue  # a statement without a figure adds nothing to a figure asked for ("开拓新的经济增长点")
        # a year the unit names is no answer added ("——2023年3月5日在…会议上" only names the year asked)
        gain = sum(terms[t] for t in _covered([s.unit], terms) - covered if not t.isdigit()) / total
        enumerating = frame.answer_type == "list" or (frame.enumerates and not frame.multi)
        parallel = enumerating and s.unit.chunk.section == top.unit.chunk.section
        if gain >= 0.15 or parallel or s.p >= 0.9 * top.p and _whole_asked(frame):
            chosen += [u for u in expand(s.unit, all_units, frame, first=False) if u.key not in {c.key for c in chosen}]
            covered |= _covered([s.unit], terms)
    return chosen


def _defines(unit: Candidate, quoted: list[str]) -> bool:
    """Whether a unit says what a quoted term is: the term, then a colon or 是指/即/包括 ("“三个全覆盖”：…")."""
    return any(re.search(rf"{re.escape(q)}”?\s*(?:[：:]|是指|指的是|即|主要包括|包括)", unit.text) for q in quoted)


def _whole_asked(frame: QuestionFrame) -> bool:
    """A question asking what is said of something, answered by every statement scored alike: a list, a description,
    or a fact asked without a number ("智慧岛采用什么样的管理架构": "…构建标准智慧岛管理架构；" and "…实施理事会领导下的
    “秘书处+专家委员会+市场化运营公司”的架构体系")."""
    return frame.answer_type in ("list", "description") or (
        frame.answer_type == "fact" and not frame.wants_number and not ASKS_NUMBER.search(frame.question))


_WHOLE = ("list", "description", "structure", "metadata")  # asked of a part: its heads answer too

_STATEMENT_MARK = re.compile(r"[。；;！？!?，,：:]")


def _bare_fragment(unit: Candidate, terms: dict[str, float]) -> bool:
    """A piece of a page's layout ("建成具有", "2021年1月1日", "版 式 某某 校对 某某"): no list item or table
    row, no sentence (no punctuation of one) and few of the question's words: it answers nothing, however well
    its document and section fit the question."""
    if unit.kind in ("item", "row") or _STATEMENT_MARK.search(unit.text):
        return False
    text = norm(unit.text)
    # (one of the question's words among others, "建成具有全国" for "要建成哪些医院", is still a piece of layout)
    held = [t for t in terms if not t.isdigit() and t in text]
    return not held or len(text) <= SHORT_FRAGMENT and sum(map(len, held)) * 2 < len(text)


SHORT_FRAGMENT = 12  # a short piece of layout may hold a common word of the question; a headline is longer


def _names_a_topic(u: Candidate, units: list[Candidate]) -> bool:
    """A heading or a paragraph's run-in head, not a lead-in to items ("重点抓好以下十个方面工作。")."""
    leads = any(o.intro == u.pos and o.chunk.id == u.chunk.id for o in units)
    return (heading_like(u) or run_in_head(u)) and not leads and not _has_number(u.text)  # ("…以下十个方面工作。")


_ASKS_OTHER = re.compile(r"什么|哪|怎|如何|为何|为什么|何种|是否")


def expand(top: Candidate, units: list[Candidate], frame: QuestionFrame, first: bool = True) -> list[Candidate]:
    """A unit with its list's lead-in, the list it introduces, and the clause that continues it; a heading that
    answers first, with what stands under it."""
    same = [u for u in units if u.chunk.id == top.chunk.id]
    by_pos = {u.pos: u for u in same}
    chosen = [top]
    if top.intro is not None and top.intro in by_pos:
        chosen.insert(0, by_pos[top.intro])
    wants_list = frame.answer_type in ("list", "description")
    items = [u for u in same if u.intro == top.pos]
    if items:
        chosen += items[:MAX_LIST_ITEMS] if wants_list or len(items) <= 4 else items[:2]
    if wants_list and top.intro is not None:
        chosen += [u for u in same if u.intro == top.intro][:MAX_LIST_ITEMS]
    # the rest of the sentence a "；" clause belongs to, when the clause alone reads as a fragment
    if top.kind != "row":
        chosen += [u for u in same if u.sentence == top.sentence and u.kind == top.kind and wants_list]
        nxt = by_pos.get(top.pos + 1)
        # (one holding the figure a number question asks for is whole: "粮食产量继续保持500亿斤以上；")
        whole = frame.wants_number and _has_number(top.text)
        if nxt is not None and nxt.sentence == top.sentence and len(norm(top.text)) < 20 and not whole:
            chosen.append(nxt)
        elif nxt is not None and frame.wants_number and not _has_number(top.text) and _has_number(nxt.text):
            chosen.append(nxt)  # the figure asked for is in the sentence that follows the one naming it
        elif nxt is not None and nxt.sentence == top.sentence and not frame.wants_number and _restated(top, frame):
            chosen.append(nxt)  # ("除了做大做强数字经济，还要加强啥": the question says the clause; what follows answers)
    for q in (q for q in frame.quoted if q in top.text):  # "“两个高于一个前列”是指啥": what says its parts
        chosen += [u for u in same if top.pos < u.pos <= top.pos + DEFINING and _names_part(u.text, q)]
    if (wants_list or first and frame.answer_type == "fact") and not items and top.intro is None and (
        heading_like(top) or run_in_head(top)
    ):
        chosen += following(top, same)  # a heading alone does not answer: what stands under it does
    seen: dict[tuple[str, int], Candidate] = {}
    for u in chosen:
        seen.setdefault(u.key, u)
    return sorted(seen.values(), key=lambda u: (u.context, u.pos))


RESTATED = 6  # characters of a unit the question repeats word for word, at least, to be restating it


def _restated(unit: Candidate, frame: QuestionFrame) -> bool:
    """Whether the question repeats a run of the unit's words ("…除了做大做强数字经济…" of "◉加快建设数字某市：培育…，
    做大做强数字经济；"): it says that much itself, so the unit's own clause is not all it asks. (A name it quotes,
    "“加快建设数字某市”那条", points at the unit; it restates nothing.)"""
    text, asked = norm(unit.text), norm(re.sub(r"“[^”]*”", " ", frame.question))
    return any(text[i : i + RESTATED] in asked for i in range(len(text) - RESTATED + 1))


DEFINING = 4  # the units after one naming a quoted term that may say its parts ("“两个高于”即…；“一个前列”即…")
_QUOTE = re.compile(r"“([^”]{2,12})”")


def _names_part(text: str, term: str) -> bool:
    """Whether a unit quotes a part of the term ("“两个高于”" of "两个高于一个前列")."""
    return any(p != term and p in term for p in _QUOTE.findall(text))


def defines_quoted(chosen: list[Candidate], frame: QuestionFrame) -> bool:
    """Whether the chosen units say the parts of a term the question quotes (then they answer it, not a list
    that follows the statement naming it)."""
    return any(_names_part(u.text, q) for u in chosen for q in frame.quoted)


FOLLOW_UNITS, FOLLOW_CHARS = 3, 240  # at most this much of what follows a heading is quoted


def following(top: Candidate, same: list[Candidate]) -> list[Candidate]:
    """The units after a heading in its chunk, up to FOLLOW_UNITS units or FOLLOW_CHARS characters, within its
    paragraph when it is run in with one."""
    out: list[Candidate] = []
    size = 0
    run_in = run_in_head(top)
    for u in sorted((u for u in same if u.pos > top.pos), key=lambda u: u.pos):
        if len(out) >= FOLLOW_UNITS or size >= FOLLOW_CHARS or ITEM.match(u.text) or run_in and opens_line(u):
            break
        out.append(u)
        size += len(u.text)
    return out


def _has_number(text: str) -> bool:
    """Whether a statement holds a figure (an article's own number, 第十二条, is not one)."""
    text = text.strip()
    own = ARTICLE.match(text)
    return bool(_NUMBER.search(text[own.end() :] if own else text))


def _covered(units: list[Candidate], terms: dict[str, float]) -> set[str]:
    body = "".join(norm(u.display) for u in units)
    return {t for t in terms if t in body}


_LABEL = re.compile(r"^\s*([\u4e00-\u9fff（）()]{3,20})[：:]")  # "市市场监管局：负责…"
_DUTY = re.compile(r"负责|职责|分工|干什么|做什么|干啥|做啥|管什么|管啥")
LABEL_FOLLOW = 3  # statements after a labelled one on its line, at most


def labelled(units: list[Candidate], asked: str) -> list[Candidate]:
    """"市市场监管局负责什么" of a passage giving each body's duties on a line of its own ("市市场监管局：负责推进…。
    会同…"): that line, when exactly one line is labelled by a name the question holds."""
    if not _DUTY.search(asked):
        return []
    q = norm(asked)
    hits = {norm(u.text): u for u in units if (m := _LABEL.match(norm(u.text))) and m.group(1) in q}
    if len(hits) != 1:
        return []
    top = next(iter(hits.values()))
    out = [top]
    for u in sorted((u for u in units if u.chunk.id == top.chunk.id and u.pos > top.pos), key=lambda u: u.pos):
        if opens_line(u) or len(out) > LABEL_FOLLOW:
            break
        out.append(u)
    return out


_WHO_LEADS = re.compile(r"谁牵头|谁负责|哪个(?:部门|单位)(?:牵头|负责)|牵头(?:单位|部门)|责任单位|由谁")
_DUTY_TAG = re.compile(r"[（(][^（）()]{0,40}(?:牵头|负责|责任单位)[^（）()]{0,40}[）)]\s*[。.]?$")


def tagged_duty(units: list[Candidate], chosen: list[Candidate], asked: str) -> list[Candidate]:
    """"这条任务谁牵头" of a measure whose paragraph ends with who leads it ("…丰富进口消费品供给。（省商务厅牵头，
    某海关配合）"): the statement carrying that tag, after the chosen one in its passage, joins the answer."""
    if not chosen or not _WHO_LEADS.search(asked) or any(_DUTY_TAG.search(norm(u.text)) for u in chosen):
        return chosen
    first = chosen[0]
    after = sorted((u for u in units if u.chunk.id == first.chunk.id and u.pos > first.pos), key=lambda u: u.pos)
    tag = next((u for u in after if _DUTY_TAG.search(norm(u.text))), None)
    return [*chosen, tag] if tag is not None else chosen
