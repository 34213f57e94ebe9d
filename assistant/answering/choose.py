"""The units answering a facet: the best scored ones with what makes them readable, kept only when they give what is
asked (a figure question answered by the figure asked, not another indicator's or its change).

Of units the scorer cannot tell apart, the best may give the asked indicator's change where one scored alike gives
its amount: then that one is tried first instead (select.tie_orders); any other failed check declines the facet.
"""

from __future__ import annotations

from assistant.answering.candidates import Candidate
from assistant.answering.checks import figure_of_other_form, not_the_figure_asked, thing_unsaid
from assistant.answering.frame import QuestionFrame
from assistant.answering.grouped import group_figure
from assistant.answering.select import Scored, labelled, select_units, tagged_duty, tie_orders
from assistant.answering.siblings import document_text, named_elsewhere, sibling_named
from assistant.answering.stats import CollectionStats
from assistant.answering.structured import Library
from assistant.answering.terms import QuestionTerms
from assistant.retrieval.routing import Catalog
from assistant.text import norm
from assistant.vocab import section


def checked_units(
    scored: list[Scored], frame: QuestionFrame, units: list[Candidate], terms: QuestionTerms, asked: str, *,
    extra: float, floor: float, catalog: Catalog, library: Library, stats: CollectionStats,
    taken: frozenset[tuple[str, int]] | set[tuple[str, int]] = frozenset(),
) -> list[Candidate]:
    """The units chosen to answer `asked` (a facet's text, or the question), or [] when they do not give it; `taken`:
    the units earlier parts are answered by first."""
    titles = tuple(catalog.profiles[d].info.title for d in frame.scope.doc_ids if d in catalog.profiles)
    for ranked in tie_orders(scored):
        chosen = select_units(
            ranked, frame, units, threshold=0.0, extra=extra, terms=terms.own_weights, measure=terms.measure, floor=floor,
        )
        chosen = labelled(units, asked) or chosen  # ("某局负责什么": the line that body's name labels)
        chosen = tagged_duty(units, chosen, asked)  # ("这条任务谁牵头": the tag closing the measure's paragraph)
        if not _rejected(frame, asked, terms, chosen, units, titles, library, stats, taken):
            return chosen
        if not figure_of_other_form(asked, chosen, terms):  # (only that failure gives way to a unit scored alike)
            return []
    return []


def _rejected(
    frame: QuestionFrame, asked: str, terms: QuestionTerms, chosen: list[Candidate], units: list[Candidate],
    titles: tuple[str, ...], library: Library, stats: CollectionStats,
    taken: frozenset[tuple[str, int]] | set[tuple[str, int]] = frozenset(),
) -> bool:
    """Whether the chosen units fail the question: not the figure asked, or figures of statements saying little of
    the thing asked, of a sibling thing the documents name, or of a thing named elsewhere."""
    return not_the_figure_asked(
        frame.answer_type, asked, terms, chosen, units, frame.scope_words, frame.wants_number, frame.question
    ) or not frame.facets and frame.answer_type not in ("list", "structure", "metadata", "date") and thing_unsaid(
        asked, chosen, terms, lambda word: stats.df.get(word, 0) > 0) or frame.wants_number and sibling_named(
        asked, chosen, terms, frame.scope_words, frame.wants_number,
        titles, lambda doc_id: document_text(library.chunks_of(doc_id)),
    ) or frame.wants_number and named_elsewhere(asked, chosen, terms, frame.scope_words, stats.sample, titles) or (
        group_figure(asked, chosen, terms, frame.wants_number)) or asked != frame.question and topic_unsaid(terms, chosen, taken)


def topic_unsaid(
    terms: QuestionTerms, chosen: list[Candidate], taken: frozenset[tuple[str, int]] | set[tuple[str, int]] = frozenset(),
) -> bool:
    """A part that names no thing of its own, leaning on the question's ("规上工业总产值是多少？增长了多少？": how it
    changed, of what the first part names), answered by units naming none of the question's words for that thing —
    and none of them the unit an earlier part is answered by (which says the thing in its own words: "经济总量是多少？
    增长多少？" answered first by "生产总值X万亿元、增长Y%")."""
    rates = section("reading")["rate_words"]
    if [t for t in terms.own if not t.isdigit() and t not in rates] or any(u.key in taken for u in chosen):
        return False
    topic = [t for t in terms.weights if t not in terms.own and not t.isdigit()]
    return bool(topic and chosen) and not any(terms.has(t, norm(u.display)) for u in chosen for t in topic)
