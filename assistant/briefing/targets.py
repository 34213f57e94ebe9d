"""Numeric targets in plan documents: from indicator table rows and from target sentences.

A target is (indicator, value, period) copied from one place in one document. The same indicator
stated with different values for the same period in two documents is a difference worth showing.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from assistant.models import Chunk
from assistant.text import sentences

# verbs that introduce a target value in plan prose ("……比重达到 50% 以上")
_VERB = r"(?:达到|提高到|提升到|提高至|提升至|增长到|增加到|增至|降至|降低到|下降到|降低至|控制在|保持在|稳定在|超过|突破|不低于|不少于|不超过)"
_VALUE = r"(\d+(?:\.\d+)?\s*(?:%|‰|[^\d\s，。；、,;（）()]{0,8}?)\s*(?:以上|以下|左右|以内)?)(?=[，。；、,;）)]|$|\s)"
_TARGET = re.compile(rf"(?P<ind>[^，。；,;：:]{{2,48}}?)\s*{_VERB}\s*{_VALUE}")
# "培育 5 个以上全省领先的行业供应链平台": the count comes before what is counted
_COUNT = re.compile(
    r"(?P<verb>培育|建成|新建|改扩建|打造|创建|引进|新增|建设|完成|实施)\s*"
    r"(?P<value>\d+(?:\.\d+)?\s*(?:个|家|所|座|条|项|处|万人|人|亩|万亩|公里|千米|张|套|户)\s*(?:以上|左右)?)"
    r"(?P<obj>[^，。；、,;\d]{2,24})"
)
_YEAR = re.compile(r"(?:到|至)?\s*(20[2-5]\d)\s*年(?:底|末)?")
_LEAD = re.compile(r"^(?:[—\-●•·\s]+|\d+[.、]\s*|[（(][一二三四五六七八九十\d]+[)）]\s*|全市|我市|全区|力争|确保|其中)+")
_TAIL = re.compile(r"(?:力争|均|将|要|需|预计|分别|基本|稳定)+$")
# headings of sections that look back (十三五 results) rather than set targets
PAST_HEADING = re.compile(
    r"发展基础|现实基础|工作基础|基础条件|回顾|成就|现状|十三五|发展环境|面临形势|发展形势|取得成效|主要成效"
)
_FUTURE = re.compile(r"到|力争|将|预计|确保|目标|预期")
_PERIOD_HEADING = re.compile(r"目标|指标|定位|任务|预期")
_BASE_HEADER = re.compile(r"基数|基期|现状|现值|完成|实际|基准")
_TARGET_HEADER = re.compile(r"目标|预期|规划|20[2-5]\d")
_INDICATOR_HEADER = re.compile(r"指标|名称|项目|内容")
_SKIP_HEADER = re.compile(r"序号|编号|类别|属性|单位|备注|责任|牵头")
_DASH = {"", "-", "—", "--", "/", "——", "－"}


@dataclass
class Target:
    """One stated target: indicator, value and period as written, and the chunk it comes from."""

    indicator: str
    value: str
    period: str
    chunk: Chunk
    year: int | None = None  # the period as a year, for comparing documents

    @property
    def key(self) -> str:
        """The indicator name normalised for matching across documents."""
        return indicator_key(self.indicator)


def indicator_key(name: str) -> str:
    """Normalise an indicator name: no units in brackets, numbering, scope words or whitespace."""
    s = unicodedata.normalize("NFKC", name)
    s = re.sub(r"[(（][^()（）]*[)）]", "", s)
    s = re.sub(r"\s+", "", s)
    s = _LEAD.sub("", s)
    s = s.replace("规模以上", "规上")
    return s.strip("“”\"' ")


def _period_year(period: str, title: str) -> int | None:
    """The year a period ends in: "2025年" -> 2025; a "十四五" target column of a 十四五 plan -> 2025."""
    if m := re.search(r"(20[2-5]\d)", period):
        return int(m.group(1))
    if "十四五" in period or (period and "十四五" in title and "目标" in period):
        return 2025
    return None


def _cells(index_text: str) -> list[tuple[str, str]]:
    """(header, value) pairs from the flattened 'header：value；…' line of a table row's index text."""
    lines = [ln for ln in index_text.split("\n") if "：" in ln]
    if not lines:
        return []
    pairs: list[tuple[str, str]] = []
    for part in lines[-1].split("；"):
        head, sep, value = part.partition("：")
        if sep:
            pairs.append((head.strip(), value.strip()))
        elif pairs:  # a bare value continues the header before it (a merged header cell)
            pairs.append((pairs[-1][0], part.strip()))
    return pairs


def targets_from_row(chunk: Chunk) -> list[Target]:
    """Targets in one indicator table row (one per target column with a value)."""
    pairs = _cells(chunk.index_text)
    if not pairs:
        return []
    indicator = next((v for h, v in pairs if _INDICATOR_HEADER.search(h) and not _SKIP_HEADER.search(h)), "")
    if not indicator:
        indicator = next(
            (v for h, v in pairs if re.search(r"[\u4e00-\u9fff]", v) and not _SKIP_HEADER.search(h)), ""
        )
    indicator = _LEAD.sub("", indicator).strip()
    if not indicator or len(indicator) > 60:
        return []
    years = [int(y) for h, _ in pairs for y in re.findall(r"(20[0-5]\d)", h)]
    base_year = min(years) if len(set(years)) > 1 else None
    out: list[Target] = []
    seen: set[str] = set()
    for head, value in pairs:
        if head in seen or not _TARGET_HEADER.search(head) or _BASE_HEADER.search(head):
            continue
        if base_year is not None and str(base_year) in head:
            continue
        if value in _DASH or not re.search(r"\d", value) or "年" in value:
            continue  # a merged header's first column may be empty; its next bare value is tried
        seen.add(head)
        m = re.search(r"(20[2-5]\d)", head)
        period = f"{m.group(1)}年" if m else head
        value = re.sub(r"\s+", "", value)
        out.append(Target(indicator, value, period, chunk, _period_year(period, chunk.title)))
    return out


def targets_from_text(text: str, chunk: Chunk) -> list[Target]:
    """Targets stated in a sentence ("到2025年，……达到20亿元")."""
    out: list[Target] = []
    for clause in re.split(r"[，。；;,]", text):
        for m in _TARGET.finditer(clause):
            ind = _YEAR.sub("", m.group("ind"))
            ind = _TAIL.sub("", _LEAD.sub("", ind).strip(" ，、:：")).strip()
            if len(ind) < 2 or not re.search(r"[\u4e00-\u9fff]", ind) or re.search(r"\d", ind):
                continue
            value = re.sub(r"\s+", "", m.group(2))
            period = _period(clause, text, chunk)
            out.append(Target(ind, value, period, chunk, _period_year(period, chunk.title)))
        for m in _COUNT.finditer(clause):
            obj = m.group("obj").strip()
            if not re.search(r"[\u4e00-\u9fff]{2}", obj):
                continue
            period = _period(clause, text, chunk)
            value = re.sub(r"\s+", "", m.group("value"))
            out.append(Target(f"{m.group('verb')}{obj}", value, period, chunk, _period_year(period, chunk.title)))
    return out


def _period(clause: str, text: str, chunk: Chunk) -> str:
    """The year a clause (else its sentence) names, else the plan period when the sentence sets targets."""
    m = _YEAR.search(clause) or _YEAR.search(text)
    if m:
        return f"{m.group(1)}年"
    if "十四五" in chunk.title and _stated_for_plan_period(text, chunk):
        return "“十四五”"
    return ""


def _stated_for_plan_period(text: str, chunk: Chunk) -> bool:
    """Whether a sentence without a year states a plan-period target (not a past figure)."""
    heading = " ".join(chunk.section)
    if PAST_HEADING.search(heading):
        return False
    return bool(_FUTURE.search(text) or _PERIOD_HEADING.search(heading))


def _numbers(value: str) -> tuple[str, ...]:
    return tuple(re.findall(r"\d+(?:\.\d+)?", unicodedata.normalize("NFKC", value)))


def find_differences(
    mine: Sequence[Target], everywhere: Sequence[Target]
) -> list[list[Target]]:
    """Groups of targets for one indicator and year whose values differ between documents.

    `mine` are the briefing's targets; `everywhere` is every target in the knowledge base, so a
    sector plan and the city outline disagreeing is found even when only one was gathered.
    """
    by_key: dict[tuple[str, int], list[Target]] = {}
    for t in everywhere:
        if t.year is not None and len(t.key) >= 4:
            by_key.setdefault((t.key, t.year), []).append(t)
    groups: list[list[Target]] = []
    done: set[tuple[str, int]] = set()
    for t in mine:
        if t.year is None or (t.key, t.year) in done:
            continue
        done.add((t.key, t.year))
        same = [t, *(o for o in by_key.get((t.key, t.year), []) if o.chunk.doc_id != t.chunk.doc_id)]
        per_doc: dict[str, Target] = {}
        for o in same:
            per_doc.setdefault(o.chunk.doc_id, o)
        if len(per_doc) > 1 and len({_numbers(o.value) for o in per_doc.values()}) > 1:
            groups.append(list(per_doc.values()))
    return groups


_cache: dict[tuple[int, int, int], list[Target]] = {}


def all_targets(chunks: Sequence[Chunk]) -> list[Target]:
    """Every target in a list of chunks (cached for the store's in-memory copy of its chunks)."""
    key = (id(chunks[0]), id(chunks[-1]), len(chunks)) if chunks else (0, 0, 0)
    if key in _cache:
        return _cache[key]
    out: list[Target] = []
    for c in chunks:
        if c.kind == "table_row":
            out.extend(targets_from_row(c))
        elif re.search(_VERB, c.text):
            for sentence in sentences(c.text):
                out.extend(targets_from_text(sentence, c))
    _cache.clear()
    _cache[key] = out
    return out
