"""Figures from indicator tables, each cell read with what its column means.

A column's heading says what its cells hold: the indicator, a baseline (a year before the document's own
period, or 基期/现状/实现值), a target (a year the document plans for, or 目标/预期/规划), a growth rate, the
attribute (约束性/预期性), and whose figure it is (a place or a level: "2025年·某省", "省级目标"). A cell is a
target of its document only when its column is a target column and speaks for the document's own place (or
for no place): a province's column in a city's plan is context, not the city's target. A row whose label is a
place (a county of the city) holds that place's targets.

Differences between documents are found only between different documents (or different years of one series)
stating the same indicator for the same place, year and sub-column.
"""

from __future__ import annotations

import hashlib
import re
import threading
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from assistant.answering.candidates import row_candidate
from assistant.models import Chunk
from assistant.retrieval.routing import Catalog, DocProfile
from assistant.vocab import places, vocabulary

_YEAR = re.compile(r"((?:19|20)\d{2})\s*年?")
_DIGIT = re.compile(r"\d")
_NUMBERS = re.compile(r"\d+(?:\.\d+)?")
_LEAD = re.compile(r"^(?:[—\-●•·\s]+|\d+[.、．]\s*|[（(][一二三四五六七八九十\d]+[)）]\s*)+")
_UNIT_TAIL = re.compile(r"[（(][^（）()]*[)）]\s*$")
_DASH = {"", "-", "—", "--", "/", "——", "－", "–"}


@dataclass(frozen=True)
class Column:
    """What one column of an indicator table holds, read from its heading and the document it is in."""

    name: str  # as the table names it ("“十四五”目标·2025年绝对值", "2025 年·某市")
    role: str  # indicator | label | target | baseline | growth | attribute | unit | other
    year: int | None = None  # the year its figures are for
    place: str | None = None  # a place (full name) or a level ("province") the column speaks for
    qualifier: str = ""  # what else its heading says (a sub-column: "浅层地下水")
    growth: bool = False  # its figures are growth rates (年均增长)

    def is_target_of(self, doc: DocProfile | None) -> bool:
        """A target column of its document: planned figures, for the document's own place or for no place."""
        if self.role != "target":
            return False
        return self.place is None or doc is None or self.place in (doc.place, doc.level)


@dataclass
class Target:
    """One target figure: a cell of a target column of its document, with its row's indicator."""

    indicator: str
    value: str  # the cell, as written
    column: Column
    chunk: Chunk
    year: int | None  # the year it is for
    period: str  # how the table names when ("2025年", "“十四五”期末")
    place: str  # whose target it is (the document's place, or the row's or column's)
    baseline: str = ""  # "2020年：338.1"
    attribute: str = ""  # 约束性 / 预期性

    @property
    def key(self) -> tuple[str, str, int | None, str]:
        """What two documents must share to state the same target: indicator, place, year, sub-column."""
        return (indicator_key(self.indicator), self.place, self.year, indicator_key(self.column.qualifier))


def indicator_key(name: str) -> str:
    """An indicator name for matching across documents: no units in brackets, numbering or whitespace."""
    s = unicodedata.normalize("NFKC", name)
    s = re.sub(r"[(（][^()（）]*[)）]", "", s)
    s = re.sub(r"\s+", "", s)
    s = _LEAD.sub("", s)
    return s.replace("规模以上", "规上").strip("“”\"' ")


def read_columns(names: Sequence[str], doc: DocProfile | None) -> list[Column]:
    """Each column's meaning from its heading (and, for years, from the document's own period)."""
    start = _start_year(doc)
    cols = [_column(name, start) for name in names]
    years = sorted({c.year for c in cols if c.year is not None and c.role in ("target", "year")})
    out = []
    for c in cols:
        if c.role == "year":  # a bare year: a target when the document plans for it, else a baseline
            planned = (start is not None and c.year is not None and c.year >= start) or (
                start is None and len(years) > 1 and c.year != years[0]
            )
            c = Column(c.name, "target" if planned else "baseline", c.year, c.place, c.qualifier, c.growth)
        out.append(c)
    if not any(c.role == "indicator" for c in out):
        label = next((i for i, c in enumerate(out) if c.role == "label"), None)
        if label is not None:
            c = out[label]
            out[label] = Column(c.name, "indicator", c.year, c.place, c.qualifier)
    return out


def _start_year(doc: DocProfile | None) -> int | None:
    """The first year a document plans for: its period's first year, else the year after the one it is for
    (a work report plans its own year)."""
    if doc is None:
        return None
    if doc.info.period:
        return doc.info.period[0]
    return doc.info.year


def _column(name: str, start: int | None) -> Column:
    words = vocabulary().briefing
    parts = [p.strip() for p in name.split("·") if p.strip()]
    flat = re.sub(r"\s+", "", name)
    years = [int(y) for y in _YEAR.findall(flat)]
    periods = vocabulary().period_years(flat)
    place = _place_in(parts)
    qualifier = "·".join(q for p in parts if _place_in([p]) is None and (q := _without_when(p)))
    if not flat:
        return Column(name, "label")
    if any(flat.startswith(w) or flat == w for w in words.column_other):
        return Column(name, "unit" if flat.startswith("单位") else "other")
    if any(w in flat for w in words.column_attribute):
        return Column(name, "attribute")
    growth = any(w in flat for w in words.column_growth)
    year = max(years) if years else (periods[-1][1][1] if periods else None)
    past = year is not None and start is not None and year < start
    if any(w in flat for w in words.column_baseline) or past:
        return Column(name, "baseline", year, place, qualifier, growth)
    if any(w in flat for w in words.column_target) or (growth and start is not None):
        return Column(name, "target", year, place, qualifier, growth)
    if years:
        return Column(name, "year", year, place, qualifier, growth)
    if any(w in flat for w in words.column_indicator):
        return Column(name, "indicator")
    if place is not None:
        return Column(name, "target" if start is not None else "other", year, place, qualifier, growth)
    return Column(name, "label")


def _without_when(part: str) -> str:
    """A heading part without what only says when ("2025年绝对值" -> "绝对值"; "“十四五”目标" -> "")."""
    flat = re.sub(r"[\s“”\"]", "", part)
    flat = _YEAR.sub("", flat)
    for name in vocabulary().periods:
        flat = flat.replace(name, "")
    words = vocabulary().briefing
    for w in sorted((*words.column_target, *words.column_baseline), key=len, reverse=True):
        flat = flat.replace(w, "")
    flat = re.sub(r"^(?:到|至)|(?:值|末)$", "", flat)
    return flat


def _place_in(parts: Sequence[str]) -> str | None:
    """A place or level a heading names (a province's or city's short name, "全省", "省级")."""
    levels = vocabulary().briefing.column_level
    for part in parts:
        flat = re.sub(r"[\s（）()]", "", part)
        hits = places().lookup(flat)
        if hits:
            return hits[0].name
        for level, ws in levels.items():
            if flat in ws:
                return level
    return None


def targets_of_row(chunk: Chunk, doc: DocProfile | None) -> list[Target]:
    """The targets a table row states for its document (one per target column with a figure)."""
    cells = row_candidate(chunk, 0).cells
    if not cells:
        return []
    cols = read_columns([h for h, _ in cells], doc)
    values = [v for _, v in cells]
    label = next((v for c, v in zip(cols, values, strict=True) if c.role == "indicator" and v), "")
    label = _LEAD.sub("", label).strip()
    if not label or len(label) > 60:
        return []
    row_place = _row_place(label, doc)
    unit = next((v for c, v in zip(cols, values, strict=True) if c.role == "unit" and v), "")
    attribute = next((v for c, v in zip(cols, values, strict=True) if c.role == "attribute" and v), "")
    own = doc.place if doc is not None and doc.place else ""
    mine = [(c, v.strip()) for c, v in zip(cols, values, strict=True) if c.is_target_of(doc) and v.strip() not in _DASH]
    level_figures = any(not c.growth and _DIGIT.search(v) for c, v in mine)
    # several target columns for one year ("浅层/深层/合计") are told apart by what else their headings say
    years = [c.year for c, _ in mine if not c.growth]
    named = {c.year for c in cols if years.count(c.year) > 1}
    out = []
    for col, value in mine:
        if col.growth and level_figures:
            continue  # the level a row plans for says more than its growth rate beside it
        indicator = label if not unit or _UNIT_TAIL.search(label) else f"{label}（{unit}）"
        if row_place is not None:
            indicator = col.qualifier or indicator
        elif col.qualifier and (col.growth or col.year in named):
            indicator = f"{col.qualifier}（{indicator}）" if not col.growth else f"{indicator}·{col.qualifier}"
        place = row_place or (own if col.place in (None, doc.level if doc else None) else col.place) or own
        out.append(Target(
            indicator, value, col, chunk, col.year or _period_end(doc), _period(col, doc), place,
            _baseline(cols, values, col), attribute,
        ))
    return out


def _row_place(label: str, doc: DocProfile | None) -> str | None:
    """A row label that names a place inside the document's own (a county's row of a table of quotas)."""
    if doc is None or not doc.place:
        return None
    hits = places().lookup(re.sub(r"\s", "", label))
    inside = [p for p in hits if doc.place in p.parents]
    return inside[0].name if inside else None


def _baseline(cols: list[Column], values: list[str], target: Column) -> str:
    """The baseline beside a target: a baseline column for the same place and sub-column."""
    for col, value in zip(cols, values, strict=True):
        if col.role != "baseline" or value.strip() in _DASH or col.growth != target.growth:
            continue
        if col.place != target.place:
            continue
        when = f"{col.year}年" if col.year else col.name
        return f"{when}：{value.strip()}"
    return ""


def _period(col: Column, doc: DocProfile | None) -> str:
    """How a target's time is named: its column's year, else the plan period it belongs to."""
    name = period_name(doc)
    if col.growth and name:
        return f"“{name}”时期"
    if col.year is not None and str(col.year) in col.name.replace(" ", ""):
        return f"{col.year}年"
    if name:
        return f"“{name}”期末"
    return f"{col.year}年" if col.year else col.name


def period_name(doc: DocProfile | None) -> str | None:
    """The vocabulary's name of a document's plan period ("十四五" for 2021–2025), if it has one."""
    if doc is None or not doc.info.period:
        return None
    span = (doc.info.period[0], doc.info.period[-1])
    return next((name for name, years in vocabulary().periods.items() if years == span and len(name) <= 4), None)


def _period_end(doc: DocProfile | None) -> int | None:
    if doc is None:
        return None
    if doc.info.period:
        return doc.info.period[-1]
    return doc.info.year


def numbers(value: str) -> tuple[str, ...]:
    """The figures of a cell ("70%以上" -> ("70",))."""
    return tuple(_NUMBERS.findall(unicodedata.normalize("NFKC", value)))


def find_differences(mine: Sequence[Target], everywhere: Sequence[Target]) -> list[list[Target]]:
    """Groups of targets that state one indicator for the same place, year and sub-column with different
    figures in different documents (a briefing's own targets against every target in the collection)."""
    by_key: dict[tuple, list[Target]] = {}
    for t in everywhere:
        if t.year is not None and len(t.key[0]) >= 4:
            by_key.setdefault(t.key, []).append(t)
    groups = []
    done: set[tuple] = set()
    for t in mine:
        if t.year is None or t.key in done or not numbers(t.value):
            continue
        done.add(t.key)
        per_doc: dict[str, Target] = {t.chunk.doc_id: t}
        for o in by_key.get(t.key, []):
            if numbers(o.value):
                per_doc.setdefault(o.chunk.doc_id, o)
        if len(per_doc) > 1 and len({numbers(o.value) for o in per_doc.values()}) > 1:
            groups.append(list(per_doc.values()))
    return groups


def table_targets(chunks: Sequence[Chunk], catalog: Catalog | None = None) -> list[Target]:
    """Every table target of the chunks (read against their documents' metadata when a catalog is given;
    without it a column is a target when its heading says so or names a later year than another column)."""
    profiles = catalog.profiles if catalog is not None else {}
    return [t for c in chunks if c.kind == "table_row" for t in targets_of_row(c, profiles.get(c.doc_id))]


@dataclass
class Stated:
    """A target a sentence states ("到2025年，……覆盖率达到86%"): for example questions, never a target row."""

    indicator: str
    value: str
    period: str  # "2025年" when the sentence names the year, else ""
    chunk: Chunk
    year: int | None = None


@cache
def _stated_pattern() -> re.Pattern[str]:
    words = vocabulary().briefing
    verbs = "|".join(sorted(map(re.escape, words.target_verbs), key=len, reverse=True))
    after = "|".join(map(re.escape, words.target_qualifiers))
    return re.compile(
        rf"(?P<ind>[\u4e00-\u9fff“”（）()A-Za-z]{{2,40}}?)(?:{verbs})\s*(?P<value>\d+(?:\.\d+)?\s*[%‰\u4e00-\u9fff]{{0,4}}?(?:{after})?)(?=[，。；、,;）)]|$)"
    )


def stated_targets(chunks: Sequence[Chunk]) -> list[Stated]:
    """Targets stated in the sentences of text chunks: indicator, figure and the year its clause names."""
    pattern = _stated_pattern()
    out = []
    for c in chunks:
        if c.kind != "text":
            continue
        for clause in re.split(r"[，。；,;]", c.text):
            for m in pattern.finditer(clause):
                year = _YEAR.search(clause)
                indicator = re.sub(r"^(?:到|至)?\s*(?:19|20)\d{2}\s*年(?:底|末)?", "", m.group("ind")).strip()
                if len(indicator) >= 2:
                    y = int(year.group(1)) if year else None
                    out.append(Stated(indicator, m.group("value").strip(), f"{y}年" if y else "", c, y))
    return out


def all_targets(chunks: Sequence[Chunk], catalog: Catalog | None = None) -> list[Target | Stated]:
    """Targets of the chunks from tables (with their columns' meaning) and from sentences (example questions
    use both; a briefing's targets table and its differences only the tables')."""
    return [*table_targets(chunks, catalog), *stated_targets(chunks)]


class TargetIndex:
    """Every table target of a store's collection, recomputed when its contents change."""

    def __init__(self) -> None:
        self._key: str | None = None
        self._targets: list[Target] = []
        self._lock = threading.Lock()

    def get(self, chunks: Sequence[Chunk], catalog: Catalog) -> list[Target]:
        """The targets of these chunks (the whole collection)."""
        digest = hashlib.sha1()
        for c in chunks:
            digest.update(c.id.encode())
        key = digest.hexdigest()
        with self._lock:
            if key != self._key:
                self._targets = table_targets(chunks, catalog)
                self._key = key
            return self._targets
