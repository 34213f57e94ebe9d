"""Offline briefing content: key sentences chosen by relevance and novelty (MMR), sorted into parts."""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.briefing.gather import Gathered, term_share
from assistant.briefing.targets import PAST_HEADING as _PAST_HEADING
from assistant.briefing.targets import Target, targets_from_row, targets_from_text
from assistant.models import Chunk
from assistant.text import norm, sentences

OVERVIEW, TARGETS, TASKS, MEASURES = "概述", "主要目标与指标", "重点任务", "保障措施"
PARTS = (OVERVIEW, TARGETS, TASKS, MEASURES)

_TARGET_HEADING = re.compile(r"目标|指标|定位|愿景|预期")
_MEASURE_HEADING = re.compile(
    r"保障措施|实施保障|组织保障|保障机制|规划实施|组织实施|组织领导|保障规划|强化保障|要素保障|政策保障|"
    r"资金保障|监督考核|考核评估|督促检查|实施要求|工作机制"
)
_OVERVIEW_HEADING = re.compile(r"指导思想|总体思路|总体要求|基本原则|战略定位|发展定位|总体目标")
_BOILERPLATE = re.compile(r"印发给你们|请认真贯彻|请结合实际|[：:]$")
_DECOR = re.compile(r"^(?:[—\-●•·▲■◆]+\s*)")
_BIGRAM_SKIP = re.compile(r"[，。；、：“”（）《》\s]")


@dataclass
class Unit:
    """A quotable piece: one sentence (or a few adjacent ones) of one source line, or a table row."""

    text: str  # verbatim
    chunk: Chunk
    line: int
    order: int
    rel: float = 0.0
    part: str = TASKS
    targets: list[Target] | None = None

    @property
    def heading(self) -> str:
        return " ".join(self.chunk.section)


def _grams(text: str) -> set[str]:
    s = _BIGRAM_SKIP.sub("", norm(text))
    return {s[i : i + 2] for i in range(len(s) - 1)}


def _is_heading(line: str, chunk: Chunk) -> bool:
    s = line.strip()
    if not s:
        return True
    if any(norm(s) == norm(h) for h in chunk.section) or norm(s) == norm(chunk.title):
        return True
    # titles, addressees and dates of an issuing notice have no closing punctuation either
    return len(s) <= 60 and not re.search(r"[。；！？]$", s)


def _repeats_heading(sentence: str, chunk: Chunk) -> bool:
    s = re.sub(r"[。；！？!?;]+$", "", norm(sentence))
    return any(s == norm(h) for h in chunk.section)


def units_of(chunk: Chunk, line_texts: dict[int, str]) -> list[Unit]:
    """Split a text chunk into sentence units on its source lines; a table row is one unit."""
    if chunk.kind == "table_row":
        return [Unit(chunk.text, chunk, chunk.line_start, 0, targets=targets_from_row(chunk))]
    lines = chunk.text.split("\n")
    if len(lines) != chunk.line_end - chunk.line_start + 1:
        numbered = [(chunk.line_start, chunk.text.replace("\n", ""))]
    else:
        numbered = list(enumerate(lines, start=chunk.line_start))
    out: list[Unit] = []
    for line_no, text in numbered:
        if _is_heading(text, chunk):
            continue
        full = line_texts.get(line_no, text)
        pending = ""
        parts = sentences(text)
        for k, sent in enumerate(parts):
            if _repeats_heading(sent, chunk) or _BOILERPLATE.search(sent):
                continue
            sent = pending + sent
            # a short lead-in ("——创新发展跃上新台阶。") belongs with the sentence after it
            if len(norm(sent)) <= 14 and k < len(parts) - 1:
                pending = sent
                continue
            pending = ""
            if sent in full:
                out.append(Unit(sent, chunk, line_no, k))
    return out


def _classify(unit: Unit, facets: set[str]) -> str:
    heading = unit.heading
    if unit.chunk.kind == "table_row":
        return TARGETS if unit.targets else TASKS
    if _MEASURE_HEADING.search(heading):
        return MEASURES
    if _PAST_HEADING.search(heading) or not unit.chunk.section:
        return OVERVIEW  # the last period's record and a document's preamble are context
    if _TARGET_HEADING.search(heading) or unit.targets:
        return TARGETS
    return TASKS


def score_units(gathered: Gathered, line_texts: dict[str, dict[int, str]]) -> list[Unit]:
    """Every unit of the gathered passages with a relevance score and a part."""
    seen: set[tuple[str, int, str]] = set()
    units: list[Unit] = []
    for p in gathered.passages:
        for u in units_of(p.chunk, line_texts.get(p.chunk.source, {})):
            key = (u.chunk.source, u.line, norm(u.text))
            if key in seen:
                continue
            seen.add(key)
            if u.targets is None:
                u.targets = [t for t in targets_from_text(u.text, u.chunk) if t.period]
            u.part = _classify(u, gathered.facets)
            heading = norm(f"{u.chunk.title} {u.heading}")
            terms = 0.7 * term_share(norm(u.text), gathered.terms) + 0.3 * term_share(heading, gathered.terms)
            wanted = 1.0 if not gathered.facets else (
                1.0 if _facet_of(u.part) in gathered.facets else 0.45
            )
            numeric = 0.1 if u.targets else 0.0
            u.rel = 0.5 * p.score + 0.25 * terms + 0.2 * wanted + numeric
            if _PAST_HEADING.search(u.heading) and u.part != MEASURES:
                u.rel *= 0.7  # achievements of the last period are context, not the topic
            units.append(u)
    return units


def _facet_of(part: str) -> str:
    return {TARGETS: "目标", MEASURES: "保障", TASKS: "任务", OVERVIEW: "目标"}[part]


def select(units: list[Unit], *, limit: int = 60, char_budget: int = 9000, trade_off: float = 0.7) -> list[Unit]:
    """Maximal marginal relevance: relevant units that say something the chosen ones do not."""
    pool = [u for u in units if u.chunk.kind == "text" or not u.targets]
    grams = {id(u): _grams(u.text) for u in pool}
    redundancy = {id(u): 0.0 for u in pool}
    chosen: list[Unit] = []
    used = 0
    floor = 0.45 * max((u.rel for u in pool), default=0.0)
    per_section: dict[tuple[str, tuple[str, ...]], int] = {}

    def section(u: Unit) -> tuple[str, tuple[str, ...]]:
        return (u.chunk.doc_id, tuple(u.chunk.section))

    def gain(u: Unit) -> float:
        # novelty in wording, and a small preference for sections not yet drawn on
        return trade_off * u.rel - (1 - trade_off) * redundancy[id(u)] - 0.02 * min(per_section.get(section(u), 0), 5)

    while pool and len(chosen) < limit and used < char_budget:
        best = max(pool, key=gain)
        pool.remove(best)
        if best.rel < floor or redundancy[id(best)] > 0.8:
            continue  # off topic, or says what a chosen unit already says (overlapping chunks)
        chosen.append(best)
        per_section[section(best)] = per_section.get(section(best), 0) + 1
        used += len(best.text)
        g = grams[id(best)]
        for u in pool:
            other = grams[id(u)]
            if g and other:
                overlap = len(g & other) / min(len(g), len(other))
                redundancy[id(u)] = max(redundancy[id(u)], overlap)
    return chosen


def organise(chosen: list[Unit], *, overview_max: int = 3) -> dict[str, list[Unit]]:
    """Chosen units by part, each part in document order; the overview gets the broadest statements."""
    parts: dict[str, list[Unit]] = {p: [] for p in PARTS}
    for u in chosen:
        parts[u.part].append(u)
    if not parts[OVERVIEW]:
        general = [
            u for u in chosen
            if u.part in (TARGETS, TASKS) and _OVERVIEW_HEADING.search(u.heading) and not re.search(r"\d", u.text)
        ] or [u for u in chosen if u.part == TARGETS and not re.search(r"\d", u.text)]
        for u in sorted(general, key=lambda u: -u.rel)[:overview_max]:
            parts[u.part].remove(u)
            parts[OVERVIEW].append(u)
    else:
        parts[OVERVIEW] = sorted(parts[OVERVIEW], key=lambda u: -u.rel)[:overview_max]
    doc_rank: dict[str, int] = {}
    for u in sorted(chosen, key=lambda u: -u.rel):
        doc_rank.setdefault(u.chunk.doc_id, len(doc_rank))
    for name in PARTS:
        parts[name].sort(key=lambda u: (doc_rank[u.chunk.doc_id], u.chunk.source, u.line, u.order))
    return parts


def display_text(unit: Unit) -> str:
    """The unit as a bullet: verbatim, without list decoration; table cells joined."""
    if unit.chunk.kind == "table_row":
        return "；".join(c.strip() for c in unit.text.split("\t") if c.strip())
    return _DECOR.sub("", unit.text.strip())
