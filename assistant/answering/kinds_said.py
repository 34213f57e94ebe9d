"""Whether the units chosen for a facet give the kind of thing its question asks: the members of a counted name
or of a kind ("哪几个城市"), the others of one ("除了甲，另外几个是哪些"), a year, a place, a town, a body, one of the
alternatives offered. Each check that fails declines the facet (an answer that names the thing asked about but not
what was asked of it is no answer)."""

from __future__ import annotations

from assistant.answering.called import name_unsaid, person_unnamed
from assistant.answering.candidates import Candidate
from assistant.answering.checks import alternative_unmet
from assistant.answering.members import members_unsaid, name_unexplained, ones_unlisted, others_unsaid
from assistant.answering.named import (
    WHICH_YEAR,
    body_unnamed,
    place_unnamed,
    places_asked,
    town_unnamed,
    which_place,
    with_place,
    with_year,
    year_unnamed,
)
from assistant.answering.terms import QuestionTerms
from assistant.retrieval.routing import Catalog


def kind_said(
    chosen: list[Candidate], asked: str, terms: QuestionTerms, catalog: Catalog, years: dict[str, int | None]
) -> list[Candidate]:
    """The chosen units, told the year or place they are of where one is asked, or none when they do not give the
    kind of thing asked."""
    # (a name or a kind mentioned, its members never said)
    if any(unsaid(asked, chosen) for unsaid in (members_unsaid, name_unexplained, ones_unlisted, others_unsaid)):
        return []
    if WHICH_YEAR.search(asked):
        chosen = [with_year(u, years.get(u.chunk.doc_id)) for u in chosen]
        if year_unnamed(chosen, asked):
            return []
    if level := which_place(asked):  # "…的是哪个省": whose document says it
        chosen = [with_place(u, catalog.profiles[u.chunk.doc_id], level) for u in chosen[:1]] + chosen[1:]
        several = places_asked(asked)  # (then short names of their own places count)
        homes = {d: p.place for d, p in catalog.profiles.items() if p.place} if several else None
        if place_unnamed(chosen, level, homes, asked, terms):
            return []
    if town_unnamed(chosen, asked, terms) or body_unnamed(asked, chosen) or alternative_unmet(asked, chosen, terms):
        return []
    if name_unsaid(asked, chosen) or person_unnamed(asked, chosen):  # (what it is called, who holds the role)
        return []
    return chosen
