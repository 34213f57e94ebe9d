"""The facets of a question asking several things ("…多少？…多少？"): each sub-question with its own places, years
and reports where it names them, else the question's, and the label its answer line carries."""

from __future__ import annotations

import re
from dataclasses import replace

from assistant.answering.asked import asked_places
from assistant.answering.conjoined import ELLIPTICAL, part_indicator
from assistant.answering.frame_types import Facet, QuestionFrame
from assistant.answering.wording import compared_years, full_years, plain_asking
from assistant.retrieval.routing import NATIONAL, Catalog
from assistant.text import cn_years_to_digits, years_in
from assistant.vocab import places, section, vocabulary

_DOC_YEAR = re.compile(
    r"((?:(?:19|20)\d{2}\s*年?\s*[、和与及]\s*)*(?:19|20)\d{2})\s*年(?:的|度)?\s*(?:《)?[\u4e00-\u9fff]{0,8}(?:政府工作报告|工作报告|报告)"
)  # "2024年报告", "2021年和2023年的政府工作报告"
# a part opening with a year whose report says something, the report left to the part before ("21年的又说降多少")
_SAID_OF = re.compile(r"^\s*((?:19|20)\d{2})\s*年的\s*(?:又|则|还|呢)?\s*(?:说|提|讲|定|写|要求|提出)")


def asked_text(question: str) -> str:
    """The question as it is read: years in digits and in full ("24年" as 2024年), asides of manner dropped."""
    return plain_asking(full_years(cn_years_to_digits(question.strip())))


def reports_named(text: str) -> tuple[int, ...]:
    """The years of the reports a text names ("2024年政府工作报告", "2021年和2023年的政府工作报告")."""
    return tuple(dict.fromkeys(int(y) for m in _DOC_YEAR.findall(text) for y in re.findall(r"(?:19|20)\d{2}", m)))


def relative_asked(text: str) -> dict[str, int]:
    """The relative years a text asks (去年 -> -1), less a word pointing back to a year named before it that no
    report named is of ("23年报告说22年…，那当年…": 当年 is 2022, not the report's year)."""
    relative = vocabulary().relative_in(text)
    for word in section("reading")["anaphoric_years"]:
        if word in relative and (before := text[: text.find(word)]) and years_in(before) - set(reports_named(before)):
            del relative[word]
    return relative


def place_label(name: str) -> str:
    """How an answer line or a briefing's side names a place: its short name (某省 without 省), or 全国."""
    if name == NATIONAL:
        return NATIONAL
    hits = places().lookup(name)
    aliases = [a for a in (hits[0].aliases if hits else ()) if len(a) >= 2]
    return aliases[0] if aliases else name


def part_facets(parts: list[str], frame: QuestionFrame, catalog: Catalog | None = None) -> list[Facet]:
    """One facet per sub-question: its own places and years where it names them, else the question's;
    its 今年/去年 resolved against the document year the question names (or each source's own year)."""
    vocab = vocabulary()
    # the years the question names itself (not those another part's 今年/去年 stands for)
    # (nor the report years parts name: "…？2023年呢？" is asked of the 2023 report)
    reports = set(frame.scope.doc_years) | {y for part in parts for y in reports_named(part)}
    named_years = tuple(sorted(years_in(cn_years_to_digits(frame.question)) - reports)) or (
        () if frame.relative else tuple(y for y in frame.scope.years if y not in reports)
    )
    out = []
    for part in parts:
        found, national = asked_places(part, catalog)  # (the places the collection speaks for by short name too)
        places_named = tuple(dict.fromkeys([*([NATIONAL] if national else []), *(p.name for p in found)]))
        relative = relative_asked(part)
        base = compared_years(part)
        # (the years of the reports asked of are not years asked, but of a part naming its own report, only its
        # own: "17年报告回顾16年…" asks 2016 of the 2017 report, though another part names the 2016 report)
        reports_of = set(frame.scope.doc_years) & set(own_reports) if (own_reports := reports_named(part)) else set(
            frame.scope.doc_years)
        years = tuple(sorted(years_in(part) - reports_of - base)) or tuple(
            y for _, (lo, hi) in vocab.period_years(part) for y in range(lo, hi + 1) if y not in base
        )  # its own years, else the plan period it names ("十四五期间…？2020年…？"), not the base of a change
        reported = reports_named(part)  # the reports the part names itself
        if not reported and frame.scope.doc_years and (said := _SAID_OF.match(part)):
            reported = (int(said.group(1)),)  # "19年的报告说…？21年的又说…": the 2021 report, said the same way
        if not (years or reported or relative) and (own := years_in(part) & set(frame.scope.doc_years) - base):
            years = tuple(sorted(own))  # "17年报告…16年…？17年的目标呢": the report's own year, not the other part's
        doc_years = reported or frame.scope.doc_years
        others = [q for q in parts if q is not part]
        if places_named and not reported and doc_years and set(doc_years) <= {y for q in others for y in reports_named(q)} \
                and not set(places_named) & {n for q in others for n in _places_of(q, catalog)}:
            # "国务院17年报告里…？某省去年…又是多少": another place's report is not this place's; its 今年/去年 are of
            # its own documents
            doc_years = ()
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
            frame.scope, places=places_named or _inherited(frame, parts, part, catalog), doc_years=doc_years,
            # (a part naming its own report, "25年报告定的目标又是多少", asks of that report, not of the years
            # another part names: "24年做到多少了")
            years=years or (named_years if not relative and not reported else ()),
        )
        out.append(Facet("", scope, text=part, relative=() if doc_years else tuple(relative.values())))
    labels = _part_labels(out, parts, frame)
    for facet, label in zip(out, labels, strict=True):
        facet.label = label
    return out


def own_documents(facets: list[Facet], catalog: Catalog | None) -> None:
    """Each part with its own documents, once their kinds are known: a part asking of another kind of document than
    every part before it ("某州那个管理办法里…？另外国务院21年报告说…？") has no topic of theirs (is asked on its own
    words; not one ending "…呢", which asks theirs again); a document named for another part's place is not this
    part's; a named document's part is labelled by its title ("…规划：…"), never left blank."""
    for i, f in enumerate(facets):
        if i and f.text and f.scope.kinds and not ELLIPTICAL.search(f.text) and all(
            g.scope.kinds and not set(g.scope.kinds) & set(f.scope.kinds) for g in facets[:i]
        ):
            f.shared = False
    for f in facets:
        if not (catalog and f.text and len(f.scope.doc_ids) >= 2):
            continue
        own = tuple(d for d in catalog.named(f.text)[1] if d in f.scope.doc_ids)
        if own:  # "甲区纲要提倡…？市里的乙规划又要求…？": each part asks of the document it names itself (by its title)
            f.scope = replace(f.scope, doc_ids=own)
            if not f.label and len(own) == 1 and own[0] in catalog.profiles:
                f.label = catalog.profiles[own[0]].info.title
            if f.scope.places and not _places_of(f.text, catalog) and not any(
                catalog.profiles[d].place in f.scope.places for d in own if d in catalog.profiles
            ):
                f.scope = replace(f.scope, places=())  # (the place another part names is not its document's)
    for f in facets:
        others = {p for g in facets if g is not f for p in g.scope.places} - set(f.scope.places)
        if catalog and others and f.scope.doc_ids:
            own = tuple(d for d in f.scope.doc_ids if d not in catalog.profiles or catalog.profiles[d].place not in others)
            f.scope = replace(f.scope, doc_ids=own)
    for f in facets:
        if not f.label and not f.text and f.scope.doc_ids and catalog and f.scope.doc_ids[0] in catalog.profiles:
            f.label = catalog.profiles[f.scope.doc_ids[0]].info.title


def _places_of(part: str, catalog: Catalog | None) -> set[str]:
    """The places a part names (the national scope as NATIONAL)."""
    found, national = asked_places(part, catalog)
    return {p.name for p in found} | ({NATIONAL} if national else set())


def _inherited(frame: QuestionFrame, parts: list[str], part: str, catalog: Catalog | None) -> tuple[str, ...]:
    """The places a part naming none asks of: the question's, less those only later parts name ("…，市市场监管局负责
    什么？某区政府又负责什么？": the district is the second part's)."""
    later = parts[parts.index(part) + 1 :]
    whole = asked_text(frame.question)
    upto = whole[: whole.find(part[:6])] if part[:6] in whole else ""
    before = {p.name for p in asked_places(f"{upto}{part}", catalog)[0]}
    only_later = {p.name for q in later for p in asked_places(q, catalog)[0]} - before
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
    # ("…去年有多少家？25年还要再培育几家": one part by its 去年, the other by its year)
    # (a year of its own, not its report's; a 去年 it asks of, not the base of a change, "比上年")
    said = [w if w and f"比{w}" not in p else "" for w, p in zip(words, parts, strict=True)]
    own = [f.scope.years if set(f.scope.years) & (years_in(p) - set(reports_named(p))) else () for f, p in
           zip(facets, parts, strict=True)]
    mixed = [w or (_years_label(y, p) if y else "") for y, w, p in zip(own, said, parts, strict=True)]
    if any(said) and all(mixed) and len(set(mixed)) == len(mixed):
        return mixed
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
