"""The topic frame: what a briefing is about, which parts it asks for, and the sides it compares.

Built on the question frame (answering.frame.parse_question): the places, years, kinds and documents a
topic names come out the same way as for a question. A topic adds three things: the parts it asks for
("…的主要目标与重点任务"), the items it enumerates ("（就业、社保、健康、教育）"), and the sides of a comparison:
each place it names (full names, short names, or one-character 简称 in a list such as "（京、冀、辽）"), each
document year of a span ("2014—2024年" over work reports), each document it names. Words come from the
vocabulary file; places from the division table; documents and their years from the catalog.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from assistant.answering.frame import Facet, QuestionFrame, content_terms, parse_question, place_label
from assistant.briefing.model import MEASURES, TARGETS, TASKS
from assistant.retrieval.routing import Catalog, Scope, place_names
from assistant.text import cn_years_to_digits, norm
from assistant.vocab import Place, places, vocabulary

_SPAN = re.compile(r"((?:19|20)\d{2})\s*年?\s*[—–\-~～至到]\s*((?:19|20)\d{2})\s*年?")
_YEAR = re.compile(r"(?:19|20)\d{2}\s*年?")
_BRACKET = re.compile(r"[（(]([^（）()]{1,80})[）)]")
_LIST_SEP = re.compile(r"[、，,]")
_LAST_JOIN = re.compile(r"(?<=[\u4e00-\u9fff])(?:与|和|及|以及)(?=[\u4e00-\u9fff])")
_PUNCT = re.compile(r"[“”\"《》「」]")
MAX_FACETS = 12  # a span over more documents than this is one side, not one facet per year


@dataclass
class TopicFrame:
    """What a briefing topic is about."""

    topic: str
    question: QuestionFrame  # the topic framed as a question (scope, answer type), terms replaced by the subject's
    subject: str  # the topic without part words, places, years, kinds and enumerated places
    parts: frozenset[str]  # parts asked for (TARGETS/TASKS/MEASURES); empty when it asks for everything
    items: list[str] = field(default_factory=list)  # enumerated items, each gathered on its own
    facets: list[Facet] = field(default_factory=list)  # one per side compared; one facet when nothing is compared

    @property
    def scope(self) -> Scope:
        """Everything the topic names together."""
        return self.question.scope

    @property
    def terms(self) -> list[str]:
        """The subject's content words."""
        return self.question.terms

    @property
    def compares(self) -> bool:
        """True when the topic has sides, each gathered and shown on its own."""
        return len(self.facets) >= 2


def parse_topic(topic: str, catalog: Catalog | None = None) -> TopicFrame:
    """Frame a briefing topic against the collection's catalog."""
    words = vocabulary().briefing
    text = cn_years_to_digits(topic.strip())
    question = parse_question(topic, catalog)
    listed, items = _enumerations(text)
    names = list(dict.fromkeys([*question.scope.places, *(p.name for p in listed)]))
    named, period = _years(text)
    kinds = question.scope.kinds
    # "2022—2024年政府工作报告": every report of the span, not the one whose year ends it
    scope = replace(
        question.scope, places=tuple(names), years=tuple(sorted(set(named) | set(period))), doc_years=()
    )
    if catalog is not None:
        scope = _doc_years(scope, named, catalog)
    parts = _parts(text)
    subject = _subject(text, items, [n for p in names for n in place_names(p)])
    scope_words = {w for ws in (*vocabulary().scope.values(), *vocabulary().levels.values()) for w in ws}
    terms = [
        t for t in content_terms(subject)
        if t not in words.frame_words and t not in scope_words and not places().is_name(t)
    ]
    if catalog is not None and len(scope.doc_ids) > 1:
        scope = replace(scope, doc_ids=_best_titles(scope.doc_ids, terms, catalog))
    question = replace(question, scope=scope, terms=terms or content_terms(subject) or question.terms)
    frame = TopicFrame(topic, question, subject, parts, items)
    frame.facets = _facets(scope, catalog, kinds)
    return frame


def _best_titles(doc_ids: tuple[str, ...], terms: list[str], catalog: Catalog) -> tuple[str, ...]:
    """Of several documents a topic seems to name, those whose titles share most of its subject's words."""
    def shared(d: str) -> int:
        title = norm(catalog.profiles[d].info.title)
        return sum(len(t) for t in terms if t in title)

    best = max(shared(d) for d in doc_ids)
    return tuple(d for d in doc_ids if shared(d) == best) if best else doc_ids


def _enumerations(text: str) -> tuple[list[Place], list[str]]:
    """Places listed in the topic ("（京、冀、辽）", "沪苏皖") and the other items it enumerates."""
    found: list[Place] = []
    items: list[str] = []
    for m in _BRACKET.finditer(text):
        pieces = [p.strip() for p in _LIST_SEP.split(m.group(1)) if p.strip()]
        if len(pieces) < 2:
            continue
        as_places = [_place_of(p) for p in pieces]
        if all(as_places):
            found += [p for p in as_places if p]
        else:
            items += [p for p in pieces if not _is_part_word(p)]
    shorts = _shorts()
    for run in re.findall(r"[\u4e00-\u9fff]{3,}", _BRACKET.sub(" ", text)):
        # a run of three or more 简称 ("沪苏皖", "京津冀") inside a longer word
        for m in re.finditer(f"[{shorts}]{{3,}}", run):
            found += [p for ch in m.group(0) if (p := places().by_short(ch))]
    if not items:
        items = _inline_items(text)
    return list({p.name: p for p in found}.values()), items


def _shorts() -> str:
    """简称 that can stand in a run of them: not the ones that are also everyday characters of a run of words."""
    common = "新青宁云贵台港秦"
    return "".join(ch for chars in vocabulary().province_short.values() for ch in chars if ch not in common)


def _place_of(piece: str) -> Place | None:
    """A list item that names a place: a one-character 简称, or a full or short name."""
    if len(piece) == 1:
        return places().by_short(piece)
    hits = places().lookup(piece)
    provinces = [p for p in hits if p.level == "province"]
    chosen = provinces or hits
    return chosen[0] if chosen else None


def _inline_items(text: str) -> list[str]:
    """"…中的赤字率、地方政府专项债券与特别国债安排": items listed with 、 after the topic's last 的."""
    tail = _BRACKET.sub("", text).rsplit("的", 1)[-1]
    if "、" not in tail:
        return []
    pieces = [p for chunk in tail.split("、") for p in _LAST_JOIN.split(chunk)]
    pieces = [_PUNCT.sub("", p).strip() for p in pieces]
    if len(pieces) < 2 or any(len(p) < 2 for p in pieces) or all(_is_part_word(p) for p in pieces):
        return []
    return [p for p in pieces if not _is_part_word(p)]


def _is_part_word(piece: str) -> bool:
    words = vocabulary().briefing
    every = (*words.target_words, *words.task_words, *words.measure_words, *words.whole_words)
    return any(norm(piece) == norm(w) or norm(piece) == norm("主要" + w) for w in every)


def _years(text: str) -> tuple[list[int], list[int]]:
    """Years the topic names in figures (single years, every year of a span), and the years of a plan period
    it names ("十四五": 2021–2025)."""
    named: set[int] = set()
    for a, b in _SPAN.findall(text):
        lo, hi = int(a), int(b)
        if 0 <= hi - lo <= 30:
            named.update(range(lo, hi + 1))
    for m in re.finditer(r"((?:19|20)\d{2})\s*年", text):
        named.add(int(m.group(1)))
    period = {y for _, (lo, hi) in vocabulary().period_years(text) for y in range(lo, hi + 1)}
    return sorted(named), sorted(period)


def _doc_years(scope: Scope, named: list[int], catalog: Catalog) -> Scope:
    """Years the topic names in figures that the collection has documents for ("2023年…重点工作" and a 2023
    report; "2014—2024年…政府工作报告" and the reports of those years) name those documents. A plan period
    ("十四五") does not: the reports of years inside it are not what it names."""
    if scope.doc_years or not named or len(named) > 3 * MAX_FACETS:
        return scope
    fitting = Scope(places=scope.places, kinds=scope.kinds)
    docs = catalog.matching(fitting) if not fitting.empty else list(catalog.profiles)
    own = sorted({y for d in docs if (y := catalog.profiles[d].info.year) in named})
    if not own or len(own) > MAX_FACETS:
        return scope
    return replace(scope, doc_years=tuple(own))


def _parts(text: str) -> frozenset[str]:
    """The parts a topic asks for (none named: everything)."""
    words = vocabulary().briefing
    rest = text
    out = set()
    for w in sorted(words.measure_words, key=len, reverse=True):
        if w in rest:
            out.add(MEASURES)
            rest = rest.replace(w, " ")
    for part, ws in ((TARGETS, words.target_words), (TASKS, words.task_words)):
        for w in sorted(ws, key=len, reverse=True):
            if w in rest:
                out.add(part)
                rest = rest.replace(w, " ")
    if any(w in rest for w in words.whole_words):
        return frozenset()  # "…的主要内容": every part
    return frozenset(out)


def _subject(text: str, items: list[str], place_words: list[str]) -> str:
    """The topic without what only places, dates or frames it (the words left say what it is about)."""
    vocab = vocabulary()
    words = vocab.briefing
    s = _BRACKET.sub(lambda m: " " + m.group(1) + " " if any(i in m.group(1) for i in items) else " ", text)
    s = _SPAN.sub(" ", s)
    s = _YEAR.sub(" ", s)
    for name in vocab.periods:
        s = s.replace(name, " ")
    for ws in (words.measure_words, words.target_words, words.task_words, words.whole_words):
        for w in sorted(ws, key=len, reverse=True):
            s = s.replace(w, " ")
    for ws in vocab.kinds.values():
        for w in sorted(ws, key=len, reverse=True):
            if len(w) >= 3:
                s = s.replace(w, " ")
    scope_words = {w for ws in (*vocab.scope.values(), *vocab.levels.values()) for w in ws if len(w) >= 2}
    for name in sorted({*place_words, *scope_words}, key=len, reverse=True):
        s = s.replace(name, " ")
    s = re.sub(f"[{_shorts()}]{{3,}}", " ", s)
    s = _PUNCT.sub(" ", s)
    s = re.sub(r"(?:^|\s)(?:中的|的|之)(?=\S)", " ", s)  # "…报告中的就业": what is left of a removed word
    return re.sub(r"\s+", " ", re.sub(r"(?:^|\s)(?:的|中的|之|和|与|及)(?=\s|$)", " ", s)).strip()


def _facets(scope: Scope, catalog: Catalog | None, kinds: tuple[str, ...]) -> list[Facet]:
    """The sides a topic compares: each place, else each document year, else each named document."""
    if len(scope.places) >= 2:
        return [Facet(place_label(p), replace(scope, places=(p,))) for p in scope.places]
    if len(scope.doc_years) >= 2:
        return [Facet(f"{y}年", replace(scope, doc_years=(y,), years=())) for y in scope.doc_years]
    return [Facet("", scope)]


