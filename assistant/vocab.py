"""The vocabulary of Chinese official documents, loaded once from data files.

`assistant/data/vocab.toml` holds the words (plan periods, relative years, scope and level words,
document kinds, units, question words, debris patterns); `assistant/data/places.tsv` is the complete
table of China's administrative divisions. Nothing in code names a place: places are looked up here.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"
LEVELS = ("national", "province", "city", "county")


@dataclass(frozen=True)
class Place:
    """An administrative division: full name, short names, level and the names of its parents."""

    code: str
    level: str  # province | city | county
    name: str  # the full name: 某省, 某市, 某区
    aliases: tuple[str, ...]  # short names: the full name without 省/市/区 and the like
    parents: tuple[str, ...]  # full names, from the top

    @property
    def province(self) -> str:
        """The province-level division this place belongs to (itself for a province)."""
        return self.parents[0] if self.parents else self.name


@dataclass(frozen=True)
class MetadataWords:
    """The [metadata] table of vocab.toml: the words a document's metadata is read by."""

    not_title: tuple[str, ...] = ()
    web_title_separators: tuple[str, ...] = ()
    web_site_words: tuple[str, ...] = ()
    report_openings: tuple[str, ...] = ()
    speaker: str = ""
    review_words: tuple[str, ...] = ()
    plan_words: tuple[str, ...] = ()
    national_issuers: tuple[str, ...] = ()
    national_titles: tuple[str, ...] = ()
    period_words: tuple[str, ...] = ()
    credit_roles: tuple[str, ...] = ()
    target_before: tuple[str, ...] = ()
    target_after: tuple[str, ...] = ()


@dataclass(frozen=True)
class BriefingWords:
    """The [briefing] table of vocab.toml: what asks for a part of a briefing, and where each part is found."""

    target_words: tuple[str, ...] = ()
    task_words: tuple[str, ...] = ()
    measure_words: tuple[str, ...] = ()
    whole_words: tuple[str, ...] = ()
    frame_words: tuple[str, ...] = ()
    target_headings: tuple[str, ...] = ()
    measure_headings: tuple[str, ...] = ()
    past_headings: tuple[str, ...] = ()
    overview_headings: tuple[str, ...] = ()
    target_verbs: tuple[str, ...] = ()
    target_qualifiers: tuple[str, ...] = ()
    target_sentence_words: tuple[str, ...] = ()
    column_baseline: tuple[str, ...] = ()
    column_target: tuple[str, ...] = ()
    column_growth: tuple[str, ...] = ()
    column_attribute: tuple[str, ...] = ()
    column_indicator: tuple[str, ...] = ()
    column_other: tuple[str, ...] = ()
    column_level: dict[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class Vocabulary:
    """Everything in vocab.toml, typed."""

    periods: dict[str, tuple[int, int]]
    relative_years: dict[str, int]
    scope: dict[str, tuple[str, ...]]
    levels: dict[str, tuple[str, ...]]
    kinds: dict[str, tuple[str, ...]]
    kind_names: dict[str, str]
    issuer_suffixes: tuple[str, ...]
    doc_number: re.Pattern[str]
    units: tuple[str, ...]
    question: dict[str, tuple[str, ...]]
    question_words: frozenset[str]
    document_forms: frozenset[str]
    part_separators: tuple[str, ...]
    facet_joiners: tuple[str, ...]
    national_not_scope: re.Pattern[str]
    compared_base: re.Pattern[str]
    directive: re.Pattern[str]
    answer_type_names: dict[str, str]
    debris: tuple[re.Pattern[str], ...] = field(default=())
    footer: tuple[re.Pattern[str], ...] = field(default=())
    footer_more: tuple[re.Pattern[str], ...] = field(default=())
    nav_run: int = 5
    nav_line_chars: int = 4
    field_labels: dict[str, str] = field(default_factory=dict)  # "发文字号" -> doc_number; "索引号" -> furniture
    metadata: MetadataWords = field(default_factory=MetadataWords)
    briefing: BriefingWords = field(default_factory=BriefingWords)
    province_short: dict[str, tuple[str, ...]] = field(default_factory=dict)  # division code prefix -> 简称

    def kind_of(self, title: str) -> str:
        """The kind of a document by its title ("…政府工作报告" -> work_report); "other" when none fits."""
        t = re.sub(r"[（(][^）)]*[）)]|[《》“”\"\s]", "", title)
        best: tuple[int, str] | None = None
        for kind, endings in self.kinds.items():
            for word in endings:
                at = t.rfind(word)
                # the word that ends nearest the end of the title decides ("关于印发…规划的通知" is a plan)
                if at >= 0:
                    score = len(t) - (at + len(word))
                    if best is None or score < best[0]:
                        best = (score, kind)
        return best[1] if best else "other"

    @property
    def kind_words(self) -> tuple[str, ...]:
        """Every word naming a kind of document ("政府工作报告", "规划", "实施意见", …)."""
        return tuple(w for words in self.kinds.values() for w in words)

    def relative_in(self, text: str) -> dict[str, int]:
        """The relative years a text speaks of (去年 -> -1), not those it only compares with ("比上年增加")."""
        plain = self.compared_base.sub("", text)
        return {w: d for w, d in self.relative_years.items() if w in plain}

    def period_years(self, text: str) -> list[tuple[str, tuple[int, int]]]:
        """Plan periods a text names ("十四五" -> 2021–2025), in order."""
        return [(name, years) for name, years in self.periods.items() if name in text]


@cache
def _raw() -> dict:
    return tomllib.loads((DATA_DIR / "vocab.toml").read_text(encoding="utf-8"))


def section(name: str) -> dict:
    """One table of vocab.toml as parsed, for the words only one module reads ("follow_up", "catalog")."""
    return dict(_raw()[name])


@cache
def vocabulary() -> Vocabulary:
    """The vocabulary (read once per process)."""
    raw = _raw()
    return Vocabulary(
        periods={k: (int(v[0]), int(v[1])) for k, v in raw["periods"].items()},
        relative_years={k: int(v) for k, v in raw["relative_years"].items()},
        scope={k: tuple(v) for k, v in raw["scope"].items()},
        levels={k: tuple(v) for k, v in raw["levels"].items()},
        kinds={k: tuple(v) for k, v in raw["kinds"].items()},
        kind_names=dict(raw["kind_names"]),
        issuer_suffixes=tuple(raw["issuer_suffixes"]),
        doc_number=re.compile(raw["doc_number"]),
        units=tuple(sorted(raw["units"], key=len, reverse=True)),
        question={k: tuple(v) for k, v in raw["question"].items()},
        question_words=frozenset(raw["question_words"]),
        document_forms=frozenset(raw["document_forms"]),
        part_separators=tuple(raw["part_separators"]),
        facet_joiners=tuple(raw["facet_joiners"]),
        national_not_scope=re.compile(raw["national_not_scope"]),
        compared_base=re.compile(raw["compared_base"]),
        directive=re.compile(raw["directive"]),
        answer_type_names=dict(raw["answer_type_names"]),
        debris=tuple(re.compile(p) for p in raw["debris"]["line_patterns"]),
        footer=tuple(re.compile(p) for p in raw["debris"]["footer_patterns"]),
        footer_more=tuple(re.compile(p) for p in raw["debris"]["footer_more"]),
        nav_run=int(raw["debris"]["nav_run"]),
        nav_line_chars=int(raw["debris"]["nav_line_chars"]),
        field_labels=dict(raw["debris"]["field_labels"]),
        metadata=MetadataWords(**{  # type: ignore[arg-type]  # TOML tables, checked by the dataclass
            k: tuple(v) if isinstance(v, list) else v for k, v in raw["metadata"].items()
        }),
        briefing=BriefingWords(**{  # type: ignore[arg-type]
            k: {level: tuple(w) for level, w in v.items()} if isinstance(v, dict) else tuple(v)
            for k, v in raw.get("briefing", {}).items()
        }),
        province_short={k: tuple(v) for k, v in raw.get("province_short", {}).items()},
    )


class PlaceTable:
    """Finds administrative divisions named in a text by their full or short names."""

    def __init__(self, places: list[Place]):
        self.places = places
        names: dict[str, list[Place]] = {}
        for p in places:
            for n in {p.name, *p.aliases}:
                if len(n) >= 2:
                    names.setdefault(n, []).append(p)
        self._names = names
        self._longest = max((len(n) for n in names), default=0)
        self._starts = frozenset(n[:2] for n in names)  # most positions of a text start no name: skip them

    def lookup(self, name: str) -> list[Place]:
        """Places called exactly this (several when a short name is shared)."""
        return list(self._names.get(name, []))

    def is_name(self, word: str) -> bool:
        """The word names a division: a full name, or a province's or city's short name (many counties'
        short names are everyday words)."""
        return any(word == p.name or p.level in ("province", "city") for p in self._names.get(word, ()))

    def find(self, text: str) -> list[tuple[int, str, list[Place]]]:
        """Non-overlapping (position, matched name, candidate places), longest match first at each position.

        A short name shared by places of different provinces ("朝阳") is kept with all its candidates;
        callers decide with context (a province named nearby, the document's own place).
        """
        out: list[tuple[int, str, list[Place]]] = []
        i = 0
        while i < len(text):
            if text[i : i + 2] not in self._starts:
                i += 1
                continue
            hit = None
            for size in range(min(self._longest, len(text) - i), 1, -1):
                cands = self._names.get(text[i : i + size])
                two = size == 2
                # (a province's short name stands even where the segmenter glued its second character to the
                # name after it, a province and a city cut X|YZ|W)
                province = two and any(c.level == "province" for c in cands or ())
                if cands and not _inside_word(text, i, size) and not (
                    two and (_a_level(text, i) or _mid_word(text, i, start_only=province))
                ):
                    hit = (i, text[i : i + size], cands)
                    break
            if hit:
                out.append(hit)
                i += len(hit[1])
            else:
                i += 1
        return out

    def provinces(self) -> list[Place]:
        """The province-level divisions."""
        return [p for p in self.places if p.level == "province"]

    def by_short(self, char: str) -> Place | None:
        """The province-level division a one-character short name (简称, "皖") stands for, if any."""
        codes = [code for code, chars in vocabulary().province_short.items() if char in chars]
        if not codes:
            return None
        return next((p for p in self.provinces() if p.code.startswith(codes[0])), None)


# a short name followed by one of these is part of a longer word: before 省 it is the place, before 路, 街道,
# 湖… it names a street, a lake or the like
_GLUE_AFTER = set("路街道桥湖山河江站港")


def _inside_word(text: str, i: int, size: int) -> bool:
    """A match that continues into a name-like character is part of something else (a road, a river)."""
    nxt = text[i + size : i + size + 1]
    return bool(nxt) and nxt in _GLUE_AFTER and not text[i : i + size].endswith(("省", "市", "区", "县", "州"))


_LEVEL_SUFFIX = set("省市县区州盟旗")


def _a_level(text: str, i: int) -> bool:
    """A two-character match whose level character begins a level word: "市一级和县一级" holds 和县 (a county's name)
    across 和 and 县一级."""
    return text[i + 1] in _LEVEL_SUFFIX and text[i + 2 : i + 4].startswith(("级", "一级"))


def _mid_word(text: str, i: int, start_only: bool = False) -> bool:
    """A two-character match that starts or ends inside a word of the text: "提高县域" holds 高县 (a county's name)
    across 提高 and 县域, "城市和县城" holds 和县 across 和 and 县城; with `start_only` (a province's short name),
    one that starts inside one (a river's name and 南岸 hold no province ending in its first character's 河; a
    province and its city cut X|YZ|W name the province)."""
    from assistant.index.segmenter import lcut

    lo = max(0, i - 4)
    bounds, at = {lo}, lo
    for word in lcut(text[lo : i + 6]):
        at += len(word)
        bounds.add(at)
    # (a short name glued to its level, "某州政务", ends where the level does)
    glued = text[i + 2 : i + 3] in _LEVEL_SUFFIX and i + 3 in bounds
    return i not in bounds or not start_only and i + 2 not in bounds and not glued


@cache
def places() -> PlaceTable:
    """The administrative-division table (read once per process)."""
    rows: list[Place] = []
    with (DATA_DIR / "places.tsv").open(encoding="utf-8") as f:
        for line in f:
            if line.startswith(("#", "code\t")):
                continue
            code, level, name, aliases, parent = line.rstrip("\n").split("\t")
            rows.append(
                Place(code, level, name, tuple(a for a in aliases.split(",") if a),
                      tuple(p for p in parent.split("/") if p))
            )
    return PlaceTable(rows)


class Synonyms:
    """Groups of equivalent terms; a term's equivalents are the other members of its groups."""

    def __init__(self, groups: list[list[str]]):
        self.groups = [g for g in groups if len(g) >= 2]
        # what identifies this table's contents (caches over it compare this, not the object)
        self.version = hashlib.sha1("\n".join("|".join(g) for g in self.groups).encode()).hexdigest()[:16]
        self._of: dict[str, set[str]] = {}
        for group in self.groups:
            for term in group:
                self._of.setdefault(_fold(term), set()).update(_fold(t) for t in group if t != term)

    def current(self) -> Synonyms:
        """Itself (a fixed table is its own source: see assistant.synonyms.SynonymSource)."""
        return self

    def of(self, term: str) -> set[str]:
        """The equivalents of a term (normalised: lower case, no spaces)."""
        return self._of.get(_fold(term), set())

    def in_text(self, text: str) -> list[tuple[str, set[str]]]:
        """The terms of the table a text contains, longest first, each with its equivalents."""
        folded = _fold(text)
        found = sorted((t for t in self._of if t in folded), key=len, reverse=True)
        kept = [t for t in found if not any(t != o and t in o for o in found)]
        return [(t, self._of[t]) for t in kept]


def _fold(text: str) -> str:
    return re.sub(r"\s+", "", text).lower()


def read_groups(path: Path) -> list[list[str]]:
    """The groups of one synonym file: one per line, terms separated by "|" (or "｜"); "#" starts a comment line."""
    groups: list[list[str]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            groups.append([t.strip() for t in re.split(r"[|｜]", line) if t.strip()])
    return groups


def load_synonyms(*extra: Path | None) -> Synonyms:
    """The shipped synonym table, plus users' files of more groups (same format) when given."""
    groups = read_groups(DATA_DIR / "synonyms.txt")
    for path in extra:
        if path is not None:
            groups += read_groups(path)
    return Synonyms(groups)


@cache
def synonyms() -> Synonyms:
    """The shipped synonym table (read once per process)."""
    return load_synonyms()
