"""The places a question names: divisions from the administrative-division table (a short name kept when it
is a province's or a place the collection speaks for), whether it speaks of the whole country, and whether it
speaks of a province's or city's own affairs without naming it."""

from __future__ import annotations

import re

from assistant.retrieval.routing import Catalog
from assistant.vocab import Place, places, vocabulary


def asked_places(text: str, catalog: Catalog | None) -> tuple[list[Place], bool]:
    """Divisions the question names, and whether it speaks of the whole country."""
    vocab = vocabulary()
    national = any(w in vocab.national_not_scope.sub("", text) for w in vocab.levels["national"])
    known = catalog.places if catalog else set()
    out: list[Place] = []
    spans: dict[str, tuple[int, int]] = {}  # where each chosen place is named
    for at, name, cands in places().find(text):
        cands = list({c.name: c for c in cands}.values())  # a municipality is a province and a city
        full = [c for c in cands if c.name == name]
        if full:
            chosen = full
        elif len(cands) == 1 and (cands[0].level == "province" or cands[0].name in known):
            chosen = cands  # a short name: a province's, or one of a place the collection speaks for
        else:
            chosen = [c for c in cands if c.name in known][:1]
        for c in chosen[:1]:
            if c not in out:
                out.append(c)
                spans[c.name] = (at, at + len(name))
    # "某市某区": the district is the place; its city only narrows it down — unless the two are compared
    # ("某市和某省…分别")
    out = [p for p in out if not any(
        p.name in other.parents and not _joined(text, spans[p.name], spans[other.name]) for other in out if other is not p
    )]
    return out, national


def local(text: str) -> bool:
    """Whether the question speaks of a province's or a city's own affairs ("全省", "我市", "市政府") without naming it."""
    scope = vocabulary().scope
    return any(w in text for w in (*scope["province"], *scope["city"])) or bool(_LOCAL_BODY.search(text))


_LOCAL_BODY = re.compile(r"[省市州县区]\s*(?:政府|委|人大|“十[一二三四五]五”)")


def _joined(text: str, a: tuple[int, int], b: tuple[int, int]) -> bool:
    """Whether two names of the text stand side by side joined as things compared ("甲和乙", "甲、乙")."""
    between = text[min(a[1], b[1]) : max(a[0], b[0])].strip()
    return between in vocabulary().facet_joiners
