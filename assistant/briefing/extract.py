"""Offline briefing content: the units about the topic, chosen within a length budget and sorted into parts.

Units come from the answer engine (answering.candidates: sentences and their ；-clauses, list items, table
rows with their column names) and carry the fitted relevance probability (relevance.py). The most probable
units above the fitted threshold are taken in turn, one per side of a comparison at a time, until the body
budget is spent; a unit that is not a statement (a heading, a date line) is skipped, as is one saying what a
chosen one of its side says, and a table row whose targets are already in. A table row becomes rows of the targets table (only cells of its document's target columns);
every other unit is quoted verbatim as a bullet of the part its section belongs to.
"""

from __future__ import annotations

import heapq
import math
from dataclasses import dataclass, field

from assistant.answering.candidates import Candidate, same_statement
from assistant.briefing.gather import Gathered, section_key
from assistant.briefing.model import MEASURES, OVERVIEW, PARTS, TARGETS, TASKS
from assistant.briefing.relevance import is_statement, part_of
from assistant.briefing.targets import Target, targets_of_row
from assistant.retrieval.routing import Catalog
from assistant.text import norm

__all__ = ["MEASURES", "OVERVIEW", "PARTS", "TARGETS", "TASKS", "Choice", "choose", "distinct", "target_cost"]
_SKIP = "，。；、：“”（）《》 ,.;:()"


@dataclass
class Choice:
    """A unit chosen for a briefing."""

    unit: Candidate
    p: float
    facet: int
    part: str
    targets: list[Target] = field(default_factory=list)  # a table row's targets of its document

    @property
    def cost(self) -> int:
        """Characters it adds to the body."""
        if self.targets:
            return sum(target_cost(t) for t in self.targets)
        return len(norm(self.unit.display))


def target_cost(t: Target) -> int:
    """Characters a row of the targets table adds to the body."""
    return len(norm(t.indicator + t.value + t.period + t.baseline + t.attribute))


def distinct(units: list[Candidate]) -> list[Candidate]:
    """Units without repeats: overlapping passages hold the same sentence more than once (the first is kept)."""
    seen: set[tuple[str, str]] = set()
    out = []
    for u in units:
        key = (u.chunk.source, norm(u.text))
        if key not in seen:
            seen.add(key)
            out.append(u)
    return out


# the share of the body the targets table may take (a layout choice, not fitted): most of it when a topic asks
# for targets only ("…的主要指标"), a third when it asks for targets among other parts or for everything
TABLE_SHARE = {"targets": 2 / 3, "mixed": 1 / 3}
OVERVIEW_SHARE = 0.15  # 概述 (guiding ideas, a document's preamble, what it looks back on) is context: a few lines


def choose(
    units: list[Candidate], probs: list[float], gathered: Gathered, catalog: Catalog, *, budget: int,
    threshold: float, spread: float = 0.0,
) -> list[Choice]:
    """The units a briefing says, best first, taking the sides of a comparison in turn, within `budget`
    characters; none when no unit reaches the threshold. A topic asking for targets first gets the target
    rows of the indicator tables retrieval found for it (best first, up to its TABLE_SHARE of the budget:
    no tuning topic's key point is in a table, so the rows are not held to the threshold). `spread` lowers a
    unit's log-odds for each unit already taken from its section, so the budget reaches more sections (the
    threshold and the spread are fitted on the tuning topics)."""
    chosen: list[Choice] = []
    keys: set[tuple] = set()
    frame = gathered.frame
    if not frame.parts or TARGETS in frame.parts:
        share = TABLE_SHARE["targets" if frame.parts == {TARGETS} else "mixed"]
        chosen = _table_rows(units, probs, gathered, catalog, budget=int(budget * share))
        keys = {t.key for c in chosen for t in c.targets}
    if chosen and not any(p >= threshold for p in probs):
        chosen = []  # nothing is about the topic: no table either
    heaps: list[list[tuple[float, int, int]]] = [[] for _ in gathered.frame.facets]
    for i, (u, p) in enumerate(zip(units, probs, strict=True)):
        if p >= threshold:
            heaps[gathered.facet[u.context]].append((-_logit(p), 0, i))
    for h in heaps:
        heapq.heapify(h)
    taken: dict[tuple, int] = {}
    grams: list[set[str]] = [_grams(c.unit.display) for c in chosen]
    used = sum(c.cost for c in chosen)
    overview = 0
    while any(heaps) and used < budget:
        for f, h in enumerate(heaps):
            while h:
                _, seen, i = heapq.heappop(h)
                u = units[i]
                where = section_key(u.chunk)
                if taken.get(where, 0) != seen:  # its section gained units since: re-rank it
                    heapq.heappush(h, (-_logit(probs[i]) + spread * taken.get(where, 0), taken.get(where, 0), i))
                    continue
                choice = Choice(u, probs[i], f, part_of(u))
                if u.kind == "row":
                    choice.targets = [t for t in targets_of_row(u.chunk, catalog.profiles.get(u.chunk.doc_id))
                                      if t.key not in keys]
                    if not choice.targets and _has_targets(u, catalog):
                        continue  # its targets are in already (the same row in two tables)
                    if choice.targets:
                        choice.part = TARGETS
                if not is_statement(u):
                    continue  # a heading, a date line, a salutation: never a bullet
                g = _grams(u.display)
                # the same statement twice (overlapping passages, a plan and its summary) is said once; two sides
                # of a comparison saying alike are both said
                if any(c.facet == f and (same_statement(u, c.unit) or _overlap(g, o) >= 0.8)
                       for c, o in zip(chosen, grams, strict=True)):
                    continue
                if used + choice.cost > budget:
                    continue  # too long for what is left; a shorter one may fit
                if choice.part == OVERVIEW:
                    if overview + choice.cost > OVERVIEW_SHARE * budget:
                        continue
                    overview += choice.cost
                chosen.append(choice)
                grams.append(g)
                keys.update(t.key for t in choice.targets)
                taken[where] = taken.get(where, 0) + 1
                used += choice.cost
                break
    return chosen


def _logit(p: float) -> float:
    p = min(max(p, 1e-9), 1 - 1e-9)
    return math.log(p / (1 - p))


def _table_rows(
    units: list[Candidate], probs: list[float], gathered: Gathered, catalog: Catalog, *, budget: int
) -> list[Choice]:
    """Target rows of the indicator tables retrieval found for the topic (a table one of whose rows was
    retrieved itself), most probable first, within `budget` characters."""
    found = {tuple(u.chunk.section) + (u.chunk.doc_id,) for u in units if u.kind == "row" and gathered.hit[u.context]}
    rows = sorted(
        (i for i, u in enumerate(units) if u.kind == "row" and tuple(u.chunk.section) + (u.chunk.doc_id,) in found),
        key=lambda i: -probs[i],
    )
    out: list[Choice] = []
    keys: set[tuple] = set()
    used = 0
    for i in rows:
        u = units[i]
        targets = [t for t in targets_of_row(u.chunk, catalog.profiles.get(u.chunk.doc_id)) if t.key not in keys]
        if not targets:
            continue
        choice = Choice(u, probs[i], gathered.facet[u.context], TARGETS, targets)
        if used + choice.cost > budget:
            continue
        out.append(choice)
        keys.update(t.key for t in targets)
        used += choice.cost
    return out


def _has_targets(u: Candidate, catalog: Catalog) -> bool:
    return bool(targets_of_row(u.chunk, catalog.profiles.get(u.chunk.doc_id)))


def _grams(text: str) -> set[str]:
    s = "".join(ch for ch in norm(text) if ch not in _SKIP)
    return {s[i : i + 2] for i in range(len(s) - 1)}


def _overlap(a: set[str], b: set[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def in_parts(chosen: list[Choice]) -> dict[str, list[list[Choice]]]:
    """Chosen text units by part, as bullets (the clauses of one sentence together), in order: side of the
    comparison, then document (the best first), then position in the document."""
    doc_rank: dict[str, int] = {}
    for c in sorted(chosen, key=lambda c: -c.p):
        doc_rank.setdefault(c.unit.chunk.doc_id, len(doc_rank))
    ordered = sorted(
        (c for c in chosen if not c.targets),
        key=lambda c: (c.facet, doc_rank[c.unit.chunk.doc_id], c.unit.chunk.line_start, c.unit.pos),
    )
    parts: dict[str, list[list[Choice]]] = {p: [] for p in PARTS}
    for c in ordered:
        bullets = parts[c.part]
        last = bullets[-1][-1] if bullets else None
        if (
            last is not None and last.unit.chunk.id == c.unit.chunk.id and last.unit.sentence == c.unit.sentence
            and last.unit.pos + 1 == c.unit.pos and last.unit.kind == c.unit.kind == "sentence"
        ):
            bullets[-1].append(c)
        else:
            bullets.append([c])
    return parts
