"""The question frame: what kind of answer a question wants, what it is about, and its facets.

A facet is one part that must be answered on its own and labelled: each place, year or document a
comparison names ("甲省和乙省…分别", "2022年和2023年…", "去年和今年", "全国和某省"), or each
sub-question ("…多少？…多少？"). Everything here is general: words come from the vocabulary file,
places from the administrative-division table, documents from the collection's catalog.
"""

from __future__ import annotations

import functools
import re
from dataclasses import replace

from assistant.answering.asked import asked_places, local
from assistant.answering.conjoined import ELLIPTICAL, indicator_parts, part_indicator, sub_questions
from assistant.answering.frame_types import Facet, QuestionFrame
from assistant.answering.part_scopes import (
    asked_text,
    own_documents,
    part_facets,
    place_label,
    relative_asked,
    reports_named,
)
from assistant.answering.wording import answer_type, compared_years, content_terms
from assistant.retrieval.routing import DOCUMENT_KINDS, NATIONAL, Catalog, Scope
from assistant.retrieval.routing import place_names as place_names_of
from assistant.text import norm, years_in
from assistant.vocab import Place, section, vocabulary

ANSWER_TYPES = ("metadata", "structure", "quantity", "list", "date", "yesno", "entity", "description", "fact")
QUOTED = re.compile(r"[“\"「]([^”\"」]{2,30})[”\"」]")  # a name the question quotes
_PLAN_SPAN = re.compile(r"(?<=[划要案见])\s*[（(]\s*(?:19|20)\d{2}\s*年?\s*[—–\-－~至到]+\s*(?:19|20)\d{2}\s*年?\s*[）)]")


def parse_question(question: str, catalog: Catalog | None = None) -> QuestionFrame:
    """Frame a question: answer type, content terms, scope (places, years, kinds, documents), facets."""
    vocab = vocabulary()
    text = asked_text(question)
    # (a place inside a quoted name, "获评“某省最美教师”", names no scope)
    found_places, national = asked_places(QUOTED.sub(" ", text), catalog)
    doc_years = reports_named(text)
    relative = relative_asked(text)
    if not doc_years:  # "今年（2025年）": the year a relative word stands for fixes the document's year
        doc_years = tuple(dict.fromkeys(
            int(m.group(2)) - vocab.relative_years[m.group(1)]
            for m in re.finditer(rf"({'|'.join(map(re.escape, vocab.relative_years))})\s*[（(]?\s*((?:19|20)\d{{2}})", text)
        ))
    base = compared_years(text)  # "比2020年下降多少", "比“十二五”多了多少"
    # (the period a plan's name gives, "…规划（2021—2035年）", names the plan, not the years asked)
    years = sorted(years_in(_PLAN_SPAN.sub("", text)) - set(doc_years) - base)
    if (given := _premise_years(text)) and set(years) - given:
        years = sorted(set(years) - given)  # ("…25年城区人口要到50万以上，那到2035年的目标是多少": 2035 is asked)
    reviewed = any(w in text for w in section("reading")["review_asked"]) or asks_done(text)
    for name, (lo, hi) in vocab.period_years(text):
        # (a review asked of a plan named by its period, "教育十四五规划回顾…", asks the years before it)
        if not set(range(lo, hi + 1)) <= base and not (reviewed and _names_plan(text, name)):
            years = sorted(set(years) | set(range(lo, hi + 1))) if not years else years
    if doc_years and relative:
        years = sorted({*years, *(y + d for y in doc_years for d in relative.values())})
    kinds = _kinds_named(text, catalog)
    groups, named_docs = catalog.named(text) if catalog else ([], [])
    if catalog and doc_years:  # ("21年…报告解读" does not name "…解读之2023年重点工作篇": it names a report's year)
        groups = [g for g in groups if any(catalog.profiles[d].info.year in (None, *doc_years) for d in g)]
        named_docs = list(dict.fromkeys(d for g in groups for d in g))
    numbered, unheld = catalog.numbered(text) if catalog else ([], [])  # "许政〔2022〕17号文件"
    if numbered and numbered not in groups:
        groups = [*groups, numbered]
    named = tuple(dict.fromkeys([*named_docs, *numbered]))
    hinted = _of_kinds(catalog.hinted(text), kinds, catalog) if catalog and not named else ()
    if catalog and kinds and not (found_places or national or local(text) or catalog.one_place(named)):
        national = catalog.national_by_default(kinds, doc_years)
    place_names = tuple(dict.fromkeys([*([NATIONAL] if national else []), *(p.name for p in found_places)]))
    scope = Scope(
        places=place_names, years=tuple(years), doc_years=doc_years, kinds=kinds, doc_ids=named, hinted=hinted
    )
    # a place the question names is a scope (routing answers it), not a word a passage must contain; nor is a word
    # of the named document's form ("…纲要草案的报纸解读里": no passage says 草案 or 报纸)
    places_named = frozenset(norm(n) for p in found_places for n in (p.name, *p.aliases))
    scope_words = places_named | frozenset(relative) | vocab.document_forms | _issuers_of_reports(text)
    frame = QuestionFrame(
        question=question, answer_type=answer_type(text), scope=scope, scope_words=scope_words,
        terms=[t for t in content_terms(text) if t not in scope_words],
        quoted=[q for q in QUOTED.findall(text) if len(q) >= 2], relative=relative, national=national,
        unheld_numbers=tuple(unheld),
    )
    hints = vocab.question.get("figure_hints", ())
    qualities = "|".join(vocab.question.get("qualities", ()))
    frame.wants_number = frame.answer_type == "quantity" or (
        frame.answer_type in ("fact", "description") and any(h in text for h in hints) and bool(_WHAT.search(text))
        and not (qualities and re.search(rf"(?:{_WHAT.pattern})(?:样的?|种)?(?:{qualities})", text))
    )
    frame.enumerates = bool(re.search(r"分别|各自|各是|各为|各有|各要|依次", text))
    frame.facets = _facets(frame, text, found_places, groups, catalog)
    for f in frame.facets:
        if not catalog or not f.text or (end := text.find(f.text)) < 0:
            continue
        # the kinds of document a part names (a report by its year too); a part asking "…呢" those the parts before it
        # name; never a later part's ("23年报告说…？某州那个管理办法里…？": the first part asks of a report)
        f.scope = replace(f.scope, kinds=_kinds_named(f.text, catalog) or (
            _kinds_named(text[:end], catalog) if ELLIPTICAL.search(f.text) else ()))
        if not named:  # a part is hinted at by what it and the parts before it say, not by a later part's words
            f.scope = replace(f.scope, hinted=_of_kinds(catalog.hinted(text[: end + len(f.text)]), f.scope.kinds, catalog))
    own_documents(frame.facets, catalog)
    return frame


def _issuers_of_reports(text: str) -> frozenset[str]:
    """The national bodies a question names as the author of the report it asks of ("国务院2015年的报告"): they name
    the document, not a word its passages must hold ("国务院各部门取消…审批事项" answers nothing of it)."""
    issuers = "|".join(map(re.escape, sorted(section("metadata")["national_issuers"], key=len, reverse=True)))
    found = re.findall(
        rf"({issuers})\s*(?:(?:19|20)\d{{2}}\s*年)?\s*(?:的)?\s*[\u4e00-\u9fff]{{0,2}}(?:政府工作报告|工作报告|报告)", text)
    # (and the report named by its year or author: "15年的报告" says 报告 of no passage)
    return frozenset([*found, *(["报告"] if found or reports_named(text) else [])])


def _kinds_named(text: str, catalog: Catalog | None) -> tuple[str, ...]:
    """The kinds of document a text names by their words ("…实施方案", "管理办法"), else by a report's year."""
    asked = _asked_kind().sub("", text)  # ("要制定个啥规划纲要": the plan asked about is no document asked of)
    kinds = tuple(dict.fromkeys(k for k, words in _kind_words() if any(w in asked for w in words)))
    return kinds or _report_kinds(text, catalog)


def _kind_words() -> list[tuple[str, tuple[str, ...]]]:
    """Each kind of document with the words that name it in a question (its first two: "规划纲要", "发展规划")."""
    return [(k, tuple(words[:2])) for k, words in vocabulary().kinds.items()]


@functools.cache
def _asked_kind() -> re.Pattern[str]:
    """A document's kind right after an asking word ("制定个啥规划纲要", "出台了什么实施方案"): what is asked, not the
    kind asked of (nor is "哪个规划里…", which asks which of the documents of that kind)."""
    words = "|".join(sorted({re.escape(w) for _, ws in _kind_words() for w in ws}, key=len, reverse=True))
    return re.compile(rf"(?:什么|啥|何种)\s*(?:个|项|份|部)?\s*[\u4e00-\u9fff]{{0,4}}?(?:{words})")


def _report_kinds(text: str, catalog: Catalog | None) -> tuple[str, ...]:
    """The kinds of document a report named by its year alone ("22年报告") may be: those of the collection's
    documents whose title says 报告 (a work report, or a reading of one)."""
    if catalog is None or not reports_named(text):
        return ()
    return tuple(sorted({p.kind for p in catalog.profiles.values() if "报告" in p.info.title}))


def _of_kinds(docs: list[str], kinds: tuple[str, ...], catalog: Catalog) -> tuple[str, ...]:
    """The documents hinted at that are of the kinds asked ("22年报告…政务数据…": no notice on data)."""
    return tuple(d for d in docs if not kinds or d not in catalog.profiles or catalog.profiles[d].kind in kinds)


_WHAT = re.compile(r"什么|啥|(?<![如为任])何")  # "定了什么目标", "有何不同"; not 如何 (how) or 为何 (why)


_JOINER = r"(?:和|与|及|、|以及)"
_QUOTES_JOINED = re.compile(rf"[”\"」]\s*{_JOINER}\s*[“\"「]")


def _without_others(text: str, name: str, quoted: list[str]) -> str:
    """The question asked of one quoted name: the others it is joined with left out."""
    for other in (q for q in quoted if q != name):
        text = re.sub(rf"{_JOINER}?\s*[“\"「]{re.escape(other)}[”\"」]\s*{_JOINER}?", "", text, count=1)
    return text


def _facets(
    frame: QuestionFrame, text: str, found: list[Place], named: list[list[str]], catalog: Catalog | None = None
) -> list[Facet]:
    """Parts of the question to answer apart: sub-questions (each with its own places and years), then
    places, years and named documents the question compares."""
    scope = frame.scope
    parts = sub_questions(text)
    # ("…，科技创新规划和服务业规划说法一样吗？分别是多少": one question asked of each document it names)
    of_documents = len(named) >= 2 and sum(bool(re.search(DOCUMENT_KINDS, p)) for p in parts) <= 1
    if len(parts) >= 2 and not of_documents:
        per_part = part_facets(parts, frame, catalog)
        facets = [f for facet in per_part for f in _each_report(facet)]
        if len(facets) > len(parts):  # (the other parts labelled by their own words beside each place or report)
            for f in facets:
                f.label = f.text if f in per_part else f.label
        scopes = {(f.scope.places, f.scope.years, f.scope.doc_years) for f in facets}
        if ELLIPTICAL.search(text) and len(scopes) == len(facets) and _names_other_thing(text):
            # one asked of another indicator ("…25年要到多少个？示范性合作社呢？") keeps its own words, labelled by them
            labels = [part_indicator(f.text) for f in facets]
            if all(labels) and len(set(labels)) == len(labels):
                for f, label in zip(facets, labels, strict=True):
                    f.label = label
        elif ELLIPTICAL.search(text) and len(scopes) == len(facets):
            # "…多少？2018年呢？": one question asked of each year or place, answered as a comparison
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
        # the years 今年/去年 stand for in each report named ("14年和15年的报告，当年…各…"): each of its report
        offsets = set(frame.relative.values())
        of_report = {y: y - d for d in offsets for y in years} if len(offsets) == 1 else {}
        if not (scope.doc_years and set(of_report.values()) == set(scope.doc_years)):
            of_report = {}
        return [Facet(f"{y}年", replace(scope, years=(y,), doc_years=(of_report[y],) if of_report else scope.doc_years))
                for y in years]
    if len(scope.doc_years) >= 2:
        return [Facet(f"{y}年", replace(scope, doc_years=(y,))) for y in scope.doc_years]
    if len(frame.relative) >= 2:  # "去年和今年…": each relative year on its own
        asked = sorted(frame.relative.items(), key=lambda kv: text.find(kv[0]))  # in the question's order
        return [Facet(word, scope, relative=(offset,)) for word, offset in asked]
    if len(frame.quoted) >= 2 and frame.enumerates and _QUOTES_JOINED.search(text):
        # "“一库”和“一平台”分别指什么": each quoted name asked on its own, labelled by it
        return [Facet(f"“{q}”", scope, text=_without_others(text, q, frame.quoted), shared=False) for q in frame.quoted]
    joined = indicator_parts(text) if frame.answer_type in ("quantity", "fact", "description") else []
    facets = part_facets([part for _, part in joined], frame, catalog) if joined else []
    for facet, (indicator, _) in zip(facets, joined, strict=True):
        facet.label, facet.shared = indicator, False
    return facets


def _names_other_thing(text: str) -> bool:
    """Whether a part "…呢？" names a thing of its own ("县级以上示范性农民专业合作社呢"), not only a year or a place
    ("2023年呢", "某省呢"): it keeps its own words even when the part before names a year it does not."""
    vocab = vocabulary()
    for m in ELLIPTICAL.finditer(text):
        piece = re.sub(r"^(?:那|那么|而|另外|还有)", "", m.group(0)[:-1].strip())
        frame = parse_question(piece)
        own = [t for t in frame.terms if not t.isdigit() and not vocab.period_years(t) and norm(t) not in frame.scope_words
               and not any(t in words for words in vocab.scope.values())]
        if own:
            return True
    return False


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


def _premise_years(text: str) -> set[int]:
    """The years of clauses that state a figure and ask nothing: what the question gives, not what it asks."""
    given: set[int] = set()
    for clause in re.split(r"[，,；;？?。]", text):
        if not _ASKS.search(clause) and re.search(r"\d", re.sub(r"(?:19|20)\d{2}\s*年?", "", clause)):
            given |= years_in(clause)
    return given


_ASKS = re.compile(r"多少|几|什么|啥|哪|吗|如何|怎么|怎样|是否")


def asks_done(text: str) -> bool:
    """Whether the question asks of a thing done ("全市建了多少个"), not of the document's own act ("提出了什么")."""
    acts = "|".join(map(re.escape, sorted(section("reading")["not_done"], key=len, reverse=True)))
    return "了" in re.sub(acts, "", text)


def _names_plan(text: str, period: str) -> bool:
    """Whether every mention of a plan period is part of a plan's name ("十四五教育规划", "“十四五”现代服务业发展规划")."""
    plans = "|".join(map(re.escape, vocabulary().kinds["plan"]))
    named = rf"{re.escape(period)}[”\"」]?(?:(?!期间|时期|末|以来|初)[\u4e00-\u9fff]){{0,14}}?(?:{plans})"
    return len(re.findall(named, text)) == text.count(period)


def _is_span(text: str, years: tuple[int, ...]) -> bool:
    """"2021—2025年" or "十四五" names a period, not years to answer one by one."""
    spans = bool(re.search(r"(?:19|20)\d{2}\s*年?\s*[—–\-~～至到]\s*(?:19|20)\d{2}", text) or vocabulary().period_years(text))
    return spans or len(years) > 2 and list(years) == list(range(years[0], years[-1] + 1))
