"""The years a facet of a question asks about, against each source's: 今年/去年 resolved per document, units of
other years dropped, a target not answered by a review."""

from __future__ import annotations

from assistant.answering.candidates import Candidate
from assistant.answering.features import FEATURES, looks_back
from assistant.answering.frame import Facet, QuestionFrame, asked_text, asks_done
from assistant.retrieval.routing import Scope
from assistant.vocab import section

_YEAR_CONFLICT = FEATURES.index("year_conflict")


def drop_other_years(
    units: list[Candidate], vectors: list[list[float]]
) -> tuple[list[Candidate], list[list[float]]]:
    """Units that speak only of other years than the asked ones are no answer ("今年…预期" is not answered by the
    review of last year); when every unit does, the sources do not answer for the asked years at all."""
    keep = [i for i, v in enumerate(vectors) if not v[_YEAR_CONFLICT]]
    if len(keep) == len(units):
        return units, vectors
    return [units[i] for i in keep], [vectors[i] for i in keep]


def asks_target(asked: str) -> bool:
    """Whether a question (or a part) asks a target ("目标多少", "预期"): what a document sets, not what it reviews."""
    reading = section("reading")
    for name in reading["target_in_names"]:
        asked = asked.replace(name, " ")
    return any(w in asked for w in reading["target_asked"])


def drop_reviews(
    units: list[Candidate], vectors: list[list[float]], years: dict[str, int | None]
) -> tuple[list[Candidate], list[list[float]]]:
    """A target asked with no year ("婴儿死亡率现在多少、目标多少": the 目标 part) is not answered by units that speak
    only of years before their document (its review: "2020年…为2.74‰" in a 十四五 plan), when other units remain."""
    return _unless_none_left(units, vectors, [i for i, u in enumerate(units) if not looks_back(u, years.get(u.chunk.doc_id))])


def drop_targets(units: list[Candidate], vectors: list[list[float]]) -> tuple[list[Candidate], list[list[float]]]:
    """A thing done asked ("14年居民消费价格涨了多少") is not answered by the target a report set for that year
    ("把居民消费价格涨幅控制在3.5%左右"), when statements of what was done remain."""
    marks = section("reading")["target_marks"]
    return _unless_none_left(units, vectors, [i for i, u in enumerate(units) if not any(m in u.text for m in marks)])


def _unless_none_left(
    units: list[Candidate], vectors: list[list[float]], keep: list[int]
) -> tuple[list[Candidate], list[list[float]]]:
    """The units (and their vectors) at the kept positions; all of them when none would be left."""
    if not keep or len(keep) == len(units):
        return units, vectors
    return [units[i] for i in keep], [vectors[i] for i in keep]


def keep_asked_years(
    units: list[Candidate], vectors: list[list[float]], asked: str, scope: Scope, relative: tuple[int, ...],
    years: dict[str, int | None],
) -> tuple[list[Candidate], list[list[float]]]:
    """The units speaking of the years asked: other years' dropped; a target asked with no year ("目标多少") not
    answered by a review; a thing done ("涨了多少") not answered by a target."""
    units, vectors = drop_other_years(units, vectors)
    if not (scope.years or relative) and asks_target(asked):
        return drop_reviews(units, vectors, years)
    if asks_done(asked) and not asks_target(asked):
        return drop_targets(units, vectors)
    return units, vectors


def facet_relative(frame: QuestionFrame, facet: Facet) -> tuple[int, ...]:
    """今年/去年 offsets to resolve against each source's year (when the question names no document year)."""
    if facet.relative:
        return facet.relative
    if frame.scope.doc_years:
        # "2024年政府工作报告提出的…目标" asks the targets the report sets for its own year, not its review of the
        # year before
        asked = facet.text or frame.question
        return (0,) if not facet.scope.years and asks_target(asked) else ()
    if facet.text and facet.scope.years:
        return ()  # a part naming its own year ("…去年有多少家？25年还要培育几家"): not another part's 去年
    if facet.text:  # a part takes the 今年/去年 said before it, never a later part's ("…排第几？今年要办第几届…")
        whole = asked_text(frame.question)
        before = whole[: max(0, whole.find(facet.text))] if facet.text in whole else whole
        return tuple(d for w, d in frame.relative.items() if w in before)
    return tuple(frame.relative.values())
