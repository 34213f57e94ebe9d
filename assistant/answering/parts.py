"""How the parts of one question are answered beside each other: what each part's answer holds, the frame a part
is read with (a part asking who, or a count of its own), a part answered by a statement of its own words rather
than an earlier part's, a part just short of the floor answered from the document the others are, and the section a
part asking what a section says is answered by (the one its own words name)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from assistant.answering.candidates import Candidate
from assistant.answering.frame import QUOTED, Facet, QuestionFrame
from assistant.answering.select import Scored
from assistant.answering.stats import CollectionStats
from assistant.answering.terms import QuestionTerms
from assistant.answering.wording import answer_type, content_terms
from assistant.text import norm
from assistant.vocab import vocabulary

COMPANION_FLOOR = 0.6  # a part's best unit, at least, when another part is answered from its document
_OWN_KINDS = ("entity", "date")  # a part asking who (a department, a body) or when is read so, whatever the first asks
_STRUCTURAL = ("structure", "quantity")  # a count a part asks of a document's outline ("…下面有几节")


def topic_words(frame: QuestionFrame, facet: Facet, terms: QuestionTerms, stats: CollectionStats) -> list[str] | None:
    """The words a part asking what a section says (beside other parts) may name its section by: the phrases it
    quotes, else its own words the collection says (a word no document says, "那张", names nothing). None for a
    question of one part."""
    text = facet.text
    if not text or len(frame.facets) < 2 or frame.answer_type not in ("description", "list"):
        return None
    if quoted := [norm(q) for q in QUOTED.findall(text)]:
        return quoted
    return [t for t in terms.own_weights if stats.freq(t)] if terms.own else []


OWN_SHARE = 0.5  # the share of a part's own words (by weight) a section's headings must say to be what it asks


def says_own(units: list[Candidate], terms: QuestionTerms, words: list[str]) -> bool:
    """Whether a section found by the whole question's words is the part's: its headings say most of the part's own
    words by weight (a phrase it quotes may stand in its statements too), not one naming the document ("…城镇化…规划
    里")."""
    if not words:
        return True
    title = norm(" ".join(u.chunk.title for u in units))
    headings = norm(" ".join(h for u in units for h in u.chunk.section))
    shown = headings + norm(" ".join(u.display for u in units))
    # (most of them by weight: "回顾2014年…法律援助的覆盖范围是怎么调整的" does not ask what "2014年工作回顾" says)
    weight = {w: terms.weights.get(w) or 1.0 for w in words}
    said = sum(x for w, x in weight.items() if w not in title and terms.has(w, headings)
               or w not in terms.weights and len(w) >= 4 and w in shown)  # (a phrase it quotes, not a word of it)
    return said > 0 and said >= OWN_SHARE * sum(weight.values())


def companions(results: list[FacetAnswer], threshold: float) -> list[int]:
    """The parts to answer again with COMPANION_FLOOR: those the decider finds answered whose best unit falls just
    short of the floor, in a document another part is answered from ("…去年新增了多少？今年打算再建多少？": the parts
    of one question ask of one text)."""
    answered = {u.chunk.doc_id for r in results for u in r.units}
    return [
        i for i, r in enumerate(results) if not r.units and r.p_answer >= threshold and r.scores
        and r.scores[0].p >= COMPANION_FLOOR and r.scores[0].unit.chunk.doc_id in answered
    ]


SURE_UNIT = 0.7  # (chosen on the tune suites: 0.8 gains 9 there, 0.7 gains 13, neither loses any)


def giving_way(results: list[FacetAnswer]) -> list[tuple[int, tuple[str, int]]]:
    """The sub-questions whose first unit answers another sub-question better (scored higher there), with that unit:
    each is answered again without it when a unit of its own is close behind ("…去年比上年多打了多少粮？这五年一直稳
    在多少以上？": "粮食产量连年稳定在…以上" answers the second; the first's own figure is "增产74亿斤")."""
    out = []
    for i, r in enumerate(results):
        if not (r.text and r.units):
            continue
        key = r.units[0].key
        mine = next((s.p for s in r.scores if s.unit.key == key), None)
        theirs = [next((s.p for s in o.scores if s.unit.key == key), 0.0) for o in results
                  if o is not r and o.text and o.units and o.units[0].key == key]
        if mine is not None and theirs and max(theirs) > mine and any(
            s.unit.key != key and s.p >= COMPANION_FLOOR for s in r.scores
        ) and not _says_own(r, results, r.units[0]):
            out.append((i, key))
    return out


def _says_own(part: FacetAnswer, results: list[FacetAnswer], unit: Candidate) -> bool:
    """Whether a unit says a word only this sub-question asks (none another part's words hold or are held by): then
    it answers this part too ("…推进多少个？总投资多少？": "推进好总投资…的289个项目" says 总投资)."""
    others = {w for o in results if o is not part for w in content_terms(o.text)}
    own = [w for w in content_terms(part.text) if not any(w in x or x in w for x in others)]
    return any(w in norm(unit.display) for w in own)


def sure_parts(results: list[FacetAnswer], threshold: float) -> list[int]:
    """The parts the decider finds unanswered though a unit is scored a sure answer, beside a part answered ("甲省和乙省
    去年各办了啥促消费活动": the parts ask alike, and one found answered says the sources speak of what is asked)."""
    if not any(r.units for r in results):
        return []
    return [i for i, r in enumerate(results) if not r.units and r.p_answer < threshold and r.scores
            and r.scores[0].p >= SURE_UNIT]


def unnamed_together(results: list[FacetAnswer], facets: list[Facet], frame: QuestionFrame) -> list[FacetAnswer]:
    """The results, with no units for the parts told apart by a thing each names (not a place, year or document:
    "男性和女性各是多少岁") answered by one statement that names none of them: its figure is of what they share, not
    of each ("人均期望寿命77.5岁")."""
    groups: dict[tuple[str, int], list[int]] = {}
    for i, (f, r) in enumerate(zip(facets, results, strict=True)):
        if r.units and f.label and f.scope == frame.scope:
            groups.setdefault(r.units[0].key, []).append(i)
    apart = []
    for idx in groups.values():
        shown = norm(" ".join(u.display + " ".join(u.chunk.section) for i in idx for u in results[i].units))
        if len(idx) >= 2 and not any(_label_said(results[i].label, shown) for i in idx):
            apart += idx
    return [replace(r, units=[]) if i in apart else r for i, r in enumerate(results)]


def _label_said(label: str, shown: str) -> bool:
    """Whether a part's label is said, loosely: a label is the part's own words ("市里", "办电环节要压到"), said in other
    words ("市、县两级"); its first character or any two in a row will do."""
    text = norm(label)
    return bool(text) and (text[0] in shown or any(text[i : i + 2] in shown for i in range(len(text) - 1)))


def own_part(scored: list[Scored], terms: QuestionTerms, taken: set[tuple[str, int]] | frozenset[tuple[str, int]],
              floor: float) -> list[Scored]:
    """A part whose best unit answers an earlier part already is answered by a unit close behind it that says more of
    the part's own words ("…今年要引进多少人？三年的总目标呢？": not the year's figure again, "用3年时间…1万名")."""
    if not scored or scored[0].unit.key not in taken or not terms.own:
        return scored
    own = terms.own_weights

    def said(s: Scored) -> float:
        body = norm(s.unit.display + s.unit.text)  # (a table row's column headings name its years)
        return sum(w for t, w in own.items() if terms.has(t, body))

    top = said(scored[0])
    alt = next((s for s in scored[1:5] if s.p >= floor and s.unit.key not in taken and said(s) > top), None)
    return [s for s in scored if s is not scored[0]] if alt else scored


def part_frame(frame: QuestionFrame, facet: Facet) -> QuestionFrame:
    """The frame a part's structure or metadata is read with: its own words, quotes and kind of answer."""
    own = answer_type(facet.text) if facet.text else frame.answer_type
    if not facet.text or frame.answer_type not in _STRUCTURAL or own not in _STRUCTURAL:
        return frame
    return replace(frame, question=facet.text, answer_type=own, quoted=[q for q in frame.quoted if q in facet.text])


def frame_for(frame: QuestionFrame, facet: Facet) -> QuestionFrame:
    """The frame a facet is answered with: the question's, but a sub-question asking who ("…要选多少名学生？主办单位是
    哪个部门？") asks for a name, not the figure the first part asks for."""
    own = answer_type(facet.text) if facet.text else frame.answer_type
    if own in _OWN_KINDS and own != frame.answer_type and frame.answer_type != "metadata":  # (a date issued is one)
        return replace(frame, answer_type=own, wants_number=False)
    if frame.answer_type == "quantity" and own != "quantity" and _ASKS_ITS_OWN.search(facet.text) and _names_a_thing(
        facet.text
    ):  # a part asking of a thing of its own, with no count ("几级网格管理？…依托哪家企业发展") asks no figure; one
        # asking only of the document ("当年政府工作报告怎么定的") asks the figure again
        return replace(frame, answer_type=own, wants_number=False)
    return frame


def _names_a_thing(text: str) -> bool:
    """Whether a part names something other than a document's kind and a relative year."""
    vocab = vocabulary()
    return any(t not in vocab.relative_years and not any(t in w for w in vocab.kind_words) for t in content_terms(text))


_ASKS_ITS_OWN = re.compile(r"什么|哪|怎|如何|为何|何种|谁")


@dataclass
class FacetAnswer:
    """What was found for one facet (the whole question when it has none)."""

    label: str
    units: list[Candidate]
    p_answer: float  # the decider's probability that the sources answer this facet
    scores: list[Scored] = field(default_factory=list)  # the best-scored units, for explanations
    text: str = ""  # a sub-question's own words
