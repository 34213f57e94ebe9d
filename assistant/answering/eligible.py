"""Which units may answer a facet: those of the documents that fit what it names (a place, a document, a year)."""

from __future__ import annotations

from assistant.answering.candidates import Candidate
from assistant.answering.frame import Facet
from assistant.retrieval.routing import NATIONAL, Catalog, Scope, place_names


def eligible(units: list[Candidate], facet: Facet, catalog: Catalog, *, strict: bool = True) -> list[Candidate]:
    """Units of the documents that fit what the facet names (a place, a document, a document's year).

    A question about one place is not answered from another place's document. When the collection has no
    document for a place the question names, only passages that name that place themselves can answer;
    when it has no document of the year the question names ("2020年政府工作报告"), nothing can.
    """
    scope = facet.scope
    if not (scope.places or scope.doc_ids or scope.doc_years):
        return units
    hard = Scope(places=scope.places, doc_years=scope.doc_years, doc_ids=scope.doc_ids, kinds=scope.kinds)
    fits = set(catalog.matching(hard))
    if not fits and scope.kinds and scope.doc_ids:
        # the document named by its title is of another kind than the question calls it ("《…报告》解读")
        fits = set(catalog.matching(Scope(places=scope.places, doc_years=scope.doc_years, doc_ids=scope.doc_ids)))
    if fits:
        # none retrieved from them: nothing answers (the fitting, not strict, keeps the others as negatives); another
        # document's passage that names the place speaks of it too ("某区某园区" named in the city's plan)
        naming = {n for p in scope.places if p != NATIONAL for n in place_names(p)} if not scope.doc_ids else set()
        return [u for u in units if u.chunk.doc_id in fits and _speaks_for(u, scope, catalog)
                or u.chunk.doc_id not in fits and any(n in u.display for n in naming)] or ([] if strict else units)
    asked = [p for p in scope.places if p != NATIONAL]
    if scope.doc_ids and asked and not any(catalog.profiles[d].place in asked for d in scope.doc_ids if d in catalog.profiles):
        # a place asked of a document for another ("市方案里，某区的超采区面积"): only what names the place answers
        names = {n for p in asked for n in place_names(p)}
        return [u for u in units if any(n in u.display or n in " ".join(u.chunk.section) for n in names)]
    if scope.doc_years and not catalog.matching(Scope(doc_years=scope.doc_years, kinds=scope.kinds)):
        return []
    if scope.doc_years and scope.places and catalog.matching(Scope(places=scope.places)):
        return []  # the place has documents, none of the named year: another year's does not answer
    named = [p for p in scope.places if p != NATIONAL and not catalog.matching(Scope(places=(p,)))]
    if named:
        names = {n for p in named for n in place_names(p)}
        return [u for u in units if any(n in u.text or n in u.chunk.title for n in names)]
    return units


def _speaks_for(u: Candidate, scope: Scope, catalog: Catalog) -> bool:
    """A unit speaks for the places a facet names: its document is for one of them, or (a city's document asked
    about its province, "某市和某省…分别") the unit names the place itself."""
    named = [p for p in scope.places if p != NATIONAL]
    profile = catalog.profiles.get(u.chunk.doc_id)
    if not named or profile is None or profile.place is None or profile.place in named:
        return True
    return any(n in u.display or n in " ".join(u.chunk.section) for p in named for n in place_names(p))
