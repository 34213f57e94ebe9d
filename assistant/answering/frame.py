"""The question frame: what kind of answer a question wants, what it is about, and its facets.

A facet is one part that must be answered on its own and labelled: each place, year or document a
comparison names ("甲省和乙省…分别", "2022年和2023年…", "去年和今年", "全国和某省"), or each
sub-question ("…多少？…多少？"). Everything here is general: words come from the vocabulary file,
places from the administrative-division table, documents from the collection's catalog.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from assistant.answering.asked import asked_places, local
from assistant.answering.conjoined import ELLIPTICAL, indicator_parts, part_indicator, sub_questions
from assistant.answering.wording import answer_type, compared_years, content_terms, full_years, plain_asking
from assistant.retrieval.routing import DOCUMENT_KINDS, NATIONAL, Catalog, Scope
from assistant.retrieval.routing import place_names as place_names_of
from assistant.text import cn_years_to_digits, norm, years_in
from assistant.vocab import Place, places, section, vocabulary

ANSWER_TYPES = ("metadata", "structure", "quantity", "list", "date", "yesno", "entity", "description", "fact")
_DOC_YEAR = re.compile(
    r"((?:(?:19|20)\d{2}\s*年?\s*[、和与及]\s*)*(?:19|20)\d{2})\s*年(?:的|度)?\s*(?:《)?[\u4e00-\u9fff]{0,8}(?:政府工作报告|工作报告|报告)"
)  # "2024年报告", "2021年和2023年的政府工作报告"
# a part opening with a year whose report says something, the report left to the part before ("21年的又说降多少")
_SAID_OF = re.compile(r"^\s*((?:19|20)\d{2})\s*年的\s*(?:又|则|还|呢)?\s*(?:说|提|讲|定|写|要求|提出)")
QUOTED = re.compile(r"[“\"「]([^”\"」]{2,30})[”\"」]")  # a name the question quotes


@dataclass
class Facet:
    """One part of a question that is answered on its own, with the label its answer line carries."""

    label: str
    scope: Scope
    text: str = ""  # for a sub-question: its own words
    relative: tuple[int, ...] = ()  # 今年/去年 offsets, resolved against each source's document year
    shared: bool = True  # the rest of the question is its topic too (not for one of two indicators asked together)


@dataclass
class QuestionFrame:
    """What a question asks for and what it is about."""

    question: str
    answer_type: str
    terms: list[str]  # content words, in order
    scope: Scope  # everything the question names together
    facets: list[Facet] = field(default_factory=list)  # two or more when parts must be answered apart
    quoted: list[str] = field(default_factory=list)  # phrases the question quotes (a named list, a slogan)
    relative: dict[str, int] = field(default_factory=dict)  # 去年 -> -1, resolved against a document's year
    national: bool = False
    wants_number: bool = False  # a figure answers it (a quantity, or "定了什么目标")
    place_words: frozenset[str] = frozenset()  # places it names and 今年/去年: scope, not content
    enumerates: bool = False  # it asks for several parallel statements ("市、县、乡镇…分别有什么要求")
    unheld_numbers: tuple[str, ...] = ()  # 文号 it names that no document of the collection has

    @property
    def multi(self) -> bool:
        """True when the answer must cover several facets, each labelled."""
        return len(self.facets) >= 2


def asked_text(question: str) -> str:
    """The question as it is read: years in digits and in full ("24年" as 2024年), asides of manner dropped."""
    return plain_asking(full_years(cn_years_to_digits(question.strip())))


def parse_question(question: str, catalog: Catalog | None = None) -> QuestionFrame:
    """Frame a question: answer type, content terms, scope (places, years, kinds, documents), facets."""
    vocab = vocabulary()
    text = asked_text(question)
    found_places, national = asked_places(text, catalog)
    doc_years = _doc_years(text)
    relative = vocab.relative_in(text)
    if not doc_years:  # "今年（2025年）": the year a relative word stands for fixes the document's year
        doc_years = tuple(dict.fromkeys(
            int(m.group(2)) - vocab.relative_years[m.group(1)]
            for m in re.finditer(rf"({'|'.join(map(re.escape, vocab.relative_years))})\s*[（(]?\s*((?:19|20)\d{{2}})", text)
        ))
    base = compared_years(text)  # "比2020年下降多少", "比“十二五”多了多少"
    years = sorted(years_in(text) - set(doc_years) - base)
    for _, (lo, hi) in vocab.period_years(text):
        if not set(range(lo, hi + 1)) <= base:
            years = sorted(set(years) | set(range(lo, hi + 1))) if not years else years
    if doc_years and relative:
        years = sorted({*years, *(y + d for y in doc_years for d in relative.values())})
    kinds = tuple(dict.fromkeys(k for k, words in vocab.kinds.items() if any(w in text for w in words[:2])))
    groups, named_docs = catalog.named(text) if catalog else ([], [])
    numbered, unheld = catalog.numbered(text) if catalog else ([], [])  # "许政〔2022〕17号文件"
    if numbered and numbered not in groups:
        groups = [*groups, numbered]
    named = tuple(dict.fromkeys([*named_docs, *numbered]))
    hinted = tuple(catalog.hinted(text)) if catalog and not named else ()
    if catalog and kinds and not (found_places or national or local(text) or catalog.one_place(named)):
        national = catalog.national_by_default(kinds, doc_years)
    place_names = tuple(dict.fromkeys([*([NATIONAL] if national else []), *(p.name for p in found_places)]))
    scope = Scope(
        places=place_names, years=tuple(years), doc_years=doc_years, kinds=kinds, doc_ids=named, hinted=hinted
    )
    # a place the question names is a scope (routing answers it), not a word a passage must contain
    place_words = frozenset(norm(n) for p in found_places for n in (p.name, *p.aliases)) | frozenset(relative)
    frame = QuestionFrame(
        question=question, answer_type=answer_type(text), scope=scope, place_words=place_words,
        terms=[t for t in content_terms(text) if t not in place_words],
        quoted=[q for q in QUOTED.findall(text) if len(q) >= 2], relative=relative, national=national,
        unheld_numbers=tuple(unheld),
    )
    hints = vocab.question.get("figure_hints", ())
    frame.wants_number = frame.answer_type == "quantity" or (
        frame.answer_type in ("fact", "description") and any(h in text for h in hints) and bool(_WHAT.search(text))
    )
    frame.enumerates = bool(re.search(r"分别|各自|各是|各为|各有|各要|依次", text))
    frame.facets = _facets(frame, text, found_places, groups)
    for f in frame.facets:  # a document named for another part's place is not this part's
        others = {p for g in frame.facets if g is not f for p in g.scope.places} - set(f.scope.places)
        if catalog and others and f.scope.doc_ids:
            own = tuple(d for d in f.scope.doc_ids if d not in catalog.profiles or catalog.profiles[d].place not in others)
            f.scope = replace(f.scope, doc_ids=own)
    for f in frame.facets:  # a named document's part is labelled by its title ("…规划：…"), never left blank
        if not f.label and not f.text and f.scope.doc_ids and catalog and f.scope.doc_ids[0] in catalog.profiles:
            f.label = catalog.profiles[f.scope.doc_ids[0]].info.title
    return frame


_WHAT = re.compile(r"什么|啥|(?<![如为任])何")  # "定了什么目标", "有何不同"; not 如何 (how) or 为何 (why)


_JOINER = r"(?:和|与|及|、|以及)"
_QUOTES_JOINED = re.compile(rf"[”\"」]\s*{_JOINER}\s*[“\"「]")


def _without_others(text: str, name: str, quoted: list[str]) -> str:
    """The question asked of one quoted name: the others it is joined with left out."""
    for other in (q for q in quoted if q != name):
        text = re.sub(rf"{_JOINER}?\s*[“\"「]{re.escape(other)}[”\"」]\s*{_JOINER}?", "", text, count=1)
    return text


def _doc_years(text: str) -> tuple[int, ...]:
    """The years of the reports a text names ("2024年政府工作报告", "2021年和2023年的政府工作报告")."""
    return tuple(dict.fromkeys(int(y) for m in _DOC_YEAR.findall(text) for y in re.findall(r"(?:19|20)\d{2}", m)))


def _facets(frame: QuestionFrame, text: str, found: list[Place], named: list[list[str]]) -> list[Facet]:
    """Parts of the question to answer apart: sub-questions (each with its own places and years), then
    places, years and named documents the question compares."""
    scope = frame.scope
    parts = sub_questions(text)
    # ("…，科技创新规划和服务业规划说法一样吗？分别是多少": one question asked of each document it names)
    of_documents = len(named) >= 2 and sum(bool(re.search(DOCUMENT_KINDS, p)) for p in parts) <= 1
    if len(parts) >= 2 and not of_documents:
        per_part = _part_facets(parts, frame)
        facets = [f for facet in per_part for f in _each_report(facet)]
        if len(facets) > len(parts):  # (the other parts labelled by their own words beside each place or report)
            for f in facets:
                f.label = f.text if f in per_part else f.label
        scopes = {(f.scope.places, f.scope.years, f.scope.doc_years) for f in facets}
        if ELLIPTICAL.search(text) and len(scopes) == len(facets):
            # "…多少？2018年呢？": one question asked of each year or place, answered as a comparison (one asked of
            # another indicator, "…？农村卫生厕所普及率呢？", keeps its own words)
            for f in facets:
                f.text = ""
        return facets
    if len(scope.places) >= 2:
        own = _place_years(text, scope.places)
        return [
            Facet(place_label(name), replace(scope, places=(name,), years=own.get(name) or scope.years))
            for name in scope.places
        ]
    if len(named) >= 2:  # "科技创新规划和制造业规划分别…": each named document on its own (with the years asked)
        return [Facet("", replace(scope, doc_ids=tuple(group))) for group in named]
    years = scope.years
    asks_years = len(years) >= 2 and len(years) <= 6 and not _is_span(text, years)
    if asks_years:
        return [Facet(f"{y}年", replace(scope, years=(y,))) for y in years]
    if len(scope.doc_years) >= 2:
        return [Facet(f"{y}年", replace(scope, doc_years=(y,))) for y in scope.doc_years]
    if len(frame.relative) >= 2:  # "去年和今年…": each relative year on its own
        asked = sorted(frame.relative.items(), key=lambda kv: text.find(kv[0]))  # in the question's order
        return [Facet(word, scope, relative=(offset,)) for word, offset in asked]
    if len(frame.quoted) >= 2 and frame.enumerates and _QUOTES_JOINED.search(text):
        # "“一库”和“一平台”分别指什么": each quoted name asked on its own, labelled by it
        return [Facet(f"“{q}”", scope, text=_without_others(text, q, frame.quoted), shared=False) for q in frame.quoted]
    joined = indicator_parts(text) if frame.answer_type in ("quantity", "fact", "description") else []
    facets = _part_facets([part for _, part in joined], frame) if joined else []
    for facet, (indicator, _) in zip(facets, joined, strict=True):
        facet.label, facet.shared = indicator, False
    return facets


def _each_report(facet: Facet) -> list[Facet]:
    """A sub-question asking the same of two places or reports ("甲省和乙省各打算新建多少个5G基站？乙省比甲省多多少",
    "17年和18年两份报告里…分别是多少？"): one facet per place or report, labelled by it."""
    if not re.search(r"分别|各", facet.text):
        return [facet]
    places, years = facet.scope.places, facet.scope.doc_years
    if len(places) >= 2:
        return [Facet(place_label(p), replace(facet.scope, places=(p,)), text=facet.text) for p in places]
    if len(years) >= 2:
        return [Facet(f"{y}年", replace(facet.scope, doc_years=(y,), years=(y,)), text=facet.text) for y in years]
    return [facet]


def _place_years(text: str, names: tuple[str, ...]) -> dict[str, tuple[int, ...]]:
    """The years each compared place is named with ("全国2024年和某省2025年…": 2024 for the country, 2025 for
    the province): those written after a place's name and before the next place's."""
    starts = {}
    for name in names:
        words = vocabulary().levels["national"] if name == NATIONAL else place_names_of(name)
        found = [i for w in words if (i := text.find(w)) >= 0]
        if found:
            starts[name] = min(found)
    order = sorted(starts, key=starts.get)  # type: ignore[arg-type]
    out = {}
    for n, name in enumerate(order):
        end = starts[order[n + 1]] if n + 1 < len(order) else len(text)
        years = tuple(sorted(years_in(text[starts[name] : end])))
        if years:
            out[name] = years
    return out if len(out) == len(names) else {}


def _part_facets(parts: list[str], frame: QuestionFrame) -> list[Facet]:
    """One facet per sub-question: its own places and years where it names them, else the question's;
    its 今年/去年 resolved against the document year the question names (or each source's own year)."""
    vocab = vocabulary()
    # the years the question names itself (not those another part's 今年/去年 stands for)
    # (nor the report years parts name: "…？2023年呢？" is asked of the 2023 report)
    reports = set(frame.scope.doc_years) | {y for part in parts for y in _doc_years(part)}
    named_years = tuple(sorted(years_in(cn_years_to_digits(frame.question)) - reports)) or (
        () if frame.relative else tuple(y for y in frame.scope.years if y not in reports)
    )
    out = []
    for part in parts:
        found, national = asked_places(part, None)
        places_named = tuple(dict.fromkeys([*([NATIONAL] if national else []), *(p.name for p in found)]))
        relative = vocab.relative_in(part)
        base = compared_years(part)
        # (the years of the reports asked of are not years asked, but of a part naming its own report, only its
        # own: "17年报告回顾16年…" asks 2016 of the 2017 report, though another part names the 2016 report)
        reports_of = set(frame.scope.doc_years) & set(own_reports) if (own_reports := _doc_years(part)) else set(
            frame.scope.doc_years)
        years = tuple(sorted(years_in(part) - reports_of - base)) or tuple(
            y for _, (lo, hi) in vocab.period_years(part) for y in range(lo, hi + 1) if y not in base
        )  # its own years, else the plan period it names ("十四五期间…？2020年…？"), not the base of a change
        reported = _doc_years(part)  # the reports the part names itself
        if not reported and frame.scope.doc_years and (said := _SAID_OF.match(part)):
            reported = (int(said.group(1)),)  # "19年的报告说…？21年的又说…": the 2021 report, said the same way
        if not (years or reported or relative) and (own := years_in(part) & set(frame.scope.doc_years) - base):
            years = tuple(sorted(own))  # "17年报告…16年…？17年的目标呢": the report's own year, not the other part's
        doc_years = reported or frame.scope.doc_years
        if places_named and not reported and years_in(part) - base:
            # "某省24年的…又是多少" after "24年国务院报告说…": a place and year of its own are what it asks of, not
            # the report another part names
            doc_years, years = (), tuple(sorted(years_in(part) - base))
        if reported and not (years or relative or _SPAN_REVIEWED.search(part)) and any(
            w in part for w in section("reading")["review_asked"]
        ):
            relative = {"去年": vocab.relative_years["去年"]}  # ("到17年报告回顾时，实际改了多少": the year the report reviews)
        if relative and doc_years:
            years = tuple(sorted({*years, *(y + d for y in doc_years for d in relative.values())}))
        scope = replace(
            frame.scope, places=places_named or _inherited(frame, parts, part), doc_years=doc_years,
            # (a part naming its own report, "25年报告定的目标又是多少", asks of that report, not of the years
            # another part names: "24年做到多少了")
            years=years or (named_years if not relative and not reported else ()),
        )
        out.append(Facet("", scope, text=part, relative=() if doc_years else tuple(relative.values())))
    labels = _part_labels(out, parts, frame)
    for facet, label in zip(out, labels, strict=True):
        facet.label = label
    return out


def _inherited(frame: QuestionFrame, parts: list[str], part: str) -> tuple[str, ...]:
    """The places a part naming none asks of: the question's, less those only later parts name ("…，市市场监管局负责
    什么？某区政府又负责什么？": the district is the second part's)."""
    later = parts[parts.index(part) + 1 :]
    whole = asked_text(frame.question)
    upto = whole[: whole.find(part[:6])] if part[:6] in whole else ""
    before = {p.name for p in asked_places(f"{upto}{part}", None)[0]}
    only_later = {p.name for q in later for p in asked_places(q, None)[0]} - before
    return tuple(p for p in frame.scope.places if p not in only_later)


_SPAN_REVIEWED = re.compile(r"[一二三四五六七八九十几多]+年|过去|以来")  # "回顾五年", "过去几年": more than the year before


def _part_labels(facets: list[Facet], parts: list[str], frame: QuestionFrame) -> list[str]:
    """Label sub-questions by what tells them apart (a place, a year, 今年/去年), else leave them unlabelled."""
    if len({f.scope.places for f in facets}) == len(facets) and all(f.scope.places for f in facets):
        return ["、".join(place_label(p) for p in f.scope.places) for f in facets]
    years = [f.scope.years or f.scope.doc_years for f in facets]  # its own years, else its report's
    if len(set(years)) == len(facets) and all(years):
        return [_years_label(y, part) for y, part in zip(years, parts, strict=True)]
    reports = [f.scope.doc_years for f in facets]  # ("16年报告…？17年报告回顾16年…？": the same year of two reports)
    if len(set(reports)) == len(facets) and all(reports):
        return [_years_label(r, p) + ("报告" if "报告" in p else "") for r, p in zip(reports, parts, strict=True)]
    words = [next((w for w in vocabulary().relative_years if w in p), "") for p in parts]
    if all(words) and len(set(words)) == len(words):
        return words
    # the same scope asked of another thing ("…增长目标是多少？城镇新增就业呢？"): each labelled by what it asks about
    # (a document's metadata and structure are labelled by their own fields: "文号：…")
    ellipsis = ELLIPTICAL.search(frame.question) and frame.answer_type not in ("metadata", "structure", "date")
    asked = [part_indicator(p) for p in parts] if ellipsis else [""]
    return asked if all(asked) and len(set(asked)) == len(asked) else [""] * len(facets)


def _years_label(years: tuple[int, ...], part: str) -> str:
    """"2025年", "2024年、2025年"; a plan period by its name ("十四五")."""
    periods = vocabulary().period_years(part)
    if len(years) > 2 and periods:
        return periods[0][0]
    return "、".join(f"{y}年" for y in years)


def _is_span(text: str, years: tuple[int, ...]) -> bool:
    """"2021—2025年" or "十四五" names a period, not years to answer one by one."""
    return bool(re.search(r"(?:19|20)\d{2}\s*年?\s*[—–\-~～至到]\s*(?:19|20)\d{2}", text)) or bool(
        vocabulary().period_years(text)
    ) or len(years) > 2 and list(years) == list(range(years[0], years[-1] + 1))


def place_label(name: str) -> str:
    """How an answer line or a briefing's side names a place: its short name (某省 without 省), or 全国."""
    if name == NATIONAL:
        return NATIONAL
    hits = places().lookup(name)
    aliases = [a for a in (hits[0].aliases if hits else ()) if len(a) >= 2]
    return aliases[0] if aliases else name
