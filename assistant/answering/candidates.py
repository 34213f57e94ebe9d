"""Candidate answer units from retrieved chunks: sentences (and their ；-clauses), list items with the
lead-in that introduces them, and table rows rendered with what each column means."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field, replace
from functools import cache

from assistant.models import Chunk, Retrieved
from assistant.text import norm, plain, sentences
from assistant.vocab import section, vocabulary

# a line that is an item of a list: a bullet, (一), (1), 1., 一、
ITEM = re.compile(
    r"^\s*(?:[-*•◉●○▪■◆]|（[一二三四五六七八九十\d]+）|\([\d一二三四五六七八九十]+\)|\d+[.、．](?!\d)|[一二三四五六七八九十]+、"
    r"|[①②③④⑤⑥⑦⑧⑨⑩])"
)
_CLAUSE_END = ("。", "；", "！", "？", ";", "!", "?", "：", ":")
_TITLE_LINE = re.compile(r"^[^。，；,;！？!?]{2,24}$")
_NAME_SENTENCE = re.compile(r"^[^。，；,;：:！？!?、]{2,24}。$")
_UNIT = re.compile(r"[（(]([^（）()]{1,8})[）)]\s*$")
_ORDINAL = re.compile(r"^(?:序号|编号|排名|排序|No\.?)$", re.IGNORECASE)
_NUMBER_CELL = re.compile(r"^[<>≥≤＞＜~～约+\-−]?\s*\d+(?:[.,]\d+)*\s*[%％‰]?$")


@cache
def _transmittal() -> tuple[re.Pattern[str], re.Pattern[str]]:
    words = section("transmittal")
    return re.compile(words["pattern"]), re.compile(words["signature"])


def signs(line: str) -> bool:
    """Whether a line is only the name of an issuing body (a letterhead or a signature)."""
    return bool(_transmittal()[1].match(line.strip()))


@functools.lru_cache(maxsize=1 << 16)
def transmits(text: str) -> bool:
    """Whether a line is the cover letter's passing on of a document ("现将《…》印发给你们，请认真贯彻执行。") or its
    signature (the issuing body's name alone); a title line set out with spaces ("…关于印发…规划的 通 知") is one."""
    return bool(_transmittal()[0].search(text) or _transmittal()[0].search(re.sub(r"\s", "", text))) or signs(text)


@dataclass
class Candidate:
    """A quotable unit of a retrieved chunk."""

    context: int  # index into the retrieved list (citation number - 1)
    chunk: Chunk
    text: str  # verbatim quote from the chunk
    display: str  # what an answer shows
    kind: str  # sentence | item | lead | row
    pos: int = 0  # order within its chunk
    sentence: int = 0  # clauses of one sentence share this
    intro: int | None = None  # pos of the lead-in introducing the list this item belongs to
    cells: list[tuple[str, str]] = field(default_factory=list)  # table rows: (column name, value)
    lead: str = ""  # for a list item: the text of its lead-in
    dated: int | None = None  # the year the part it stands in opens with ("一、… > 2024年是…"), when its heading names none

    @property
    def key(self) -> tuple[str, int]:
        """Identity across facets: the chunk and the position in it."""
        return (self.chunk.id, self.pos)


def candidates_of(retrieved: list[Retrieved]) -> list[Candidate]:
    """Every unit of every retrieved chunk, in retrieval order; a line that addresses the assistant
    (an injected instruction) is never a candidate."""
    out: list[Candidate] = []
    for i, r in enumerate(retrieved):
        out.extend(u for u in units_of(r.chunk, i) if not _directs(u.text))
    return out


@functools.lru_cache(maxsize=1 << 16)
def _directs(text: str) -> bool:
    """Whether a line addresses the assistant (cached: the same units come back for every question)."""
    return bool(vocabulary().directive.search(text))


_WORDED = re.compile(r"[\u3400-\u9fffA-Za-z0-9]")


def units_of(chunk: Chunk, context: int) -> list[Candidate]:
    """The chunk's units: one per table row, else its clauses with sentence ids and list structure."""
    if chunk.kind == "table_row":
        return [row_candidate(chunk, context)]
    units: list[Candidate] = []
    sentence, intro = 0, None
    previous_item = ""
    for line in chunk.text.split("\n"):
        if not line.strip():
            continue
        is_item = bool(ITEM.match(line))
        # an item wrapped onto the next line stays in its list
        wrapped = bool(previous_item) and not previous_item.rstrip().endswith(_CLAUSE_END) and bool(
            _TITLE_LINE.match(line.strip())
        )
        is_item = is_item or (wrapped and intro is not None)
        previous_item = line if is_item else ""
        if not is_item:
            intro = None
        line_intro = intro
        clauses = [c for c in sentences(line) if _WORDED.search(c)]  # (a bracket left alone by a conversion: none)
        # a line opening with a bare name ("某某检测园区。位于某区，…") speaks of it in the sentences after
        named = clauses[0] if len(clauses) > 1 and _NAME_SENTENCE.match(clauses[0]) else ""
        lead = units[line_intro].text if is_item and line_intro is not None else ""
        for k, clause in enumerate(clauses):
            units.append(
                Candidate(
                    context, chunk, clause, plain(clause), "item" if is_item and line_intro is not None else "sentence",
                    pos=len(units), sentence=sentence, intro=line_intro if is_item else None,
                    lead=lead or (named if k else ""),
                )
            )
            if clause.endswith(("。", "！", "？", "!", "?")) or k == len(clauses) - 1:
                sentence += 1
        if clauses and (clauses[-1].endswith(("：", ":")) or (not is_item and _TITLE_LINE.match(line.strip()))):
            intro = len(units) - 1  # "…：" or a short title line introduces the items below
            units[-1].kind = "lead"
    return units


def row_candidate(chunk: Chunk, context: int) -> Candidate:
    """A table row with its cells named by their columns (from the record ingest wrote)."""
    record = chunk.index_text.rstrip("\n").split("\n")[-1] if chunk.index_text else ""
    cells = [tuple(p.split("：", 1)) for p in record.split("；")] if record else []
    pairs = [(c[0].strip(), c[1].strip()) if len(c) == 2 else ("", c[0].strip()) for c in cells]
    return Candidate(context, chunk, chunk.text, render_row(pairs) if pairs else chunk.text, "row", cells=pairs)


def render_row(cells: list[tuple[str, str]]) -> str:
    """A table row in words: ordinal columns dropped, the indicator's unit written after its figures."""
    kept = [(h, v) for h, v in cells if v and not _ORDINAL.match(h.split("·")[-1])]
    unit = next((m.group(1) for h, v in kept if (m := _UNIT.search(v)) or (m := _UNIT.search(h))), None)
    out = []
    for h, v in kept:
        shown = v + unit if unit and _NUMBER_CELL.match(v) and not v.endswith(("%", "％")) else v
        out.append(f"{h}：{shown}" if h else shown)
    return "；".join(out)


def same_statement(a: Candidate, b: Candidate) -> bool:
    """Whether two units quote the same text (one inside the other)."""
    x, y = norm(a.text), norm(b.text)
    return x in y or y in x


def heading_like(u: Candidate) -> bool:
    """A short item that names a topic rather than states something ("- 全面推进教育新三年攻坚。")."""
    text = norm(u.text).rstrip("。.")
    return u.kind != "row" and len(text) <= 30 and bool(ITEM.match(u.text)) and not any(p in text for p in "，,；;：:")


def run_in_head(u: Candidate) -> bool:
    """A short sentence opening its paragraph that names a topic ("持续打造一流营商环境。实施新一轮…"): the head of
    the paragraph run in with it."""
    text = norm(u.text).rstrip("。.")
    return u.kind == "sentence" and len(text) <= 20 and not any(p in text for p in "，,；;：:") and opens_line(u)


def opens_line(u: Candidate) -> bool:
    """Whether the unit begins its line (nothing but blanks before it there)."""
    at = u.chunk.text.find(u.text.strip())
    return at >= 0 and not u.chunk.text[u.chunk.text.rfind("\n", 0, at) + 1 : at].strip()


_POINT = re.compile(r"^\s*(?:——|—|[-•·●◉])")  # a dash or bullet opening a point ("——以人为本、健康优先。")
POINT_CHARS = 24


def run_in_points(units: list[Candidate]) -> list[Candidate]:
    """A passage of points, each a line opening with a short head run in with what it says ("——以人为本、健康优先。
    坚持以人民健康为中心，…"): one unit per point, its head with its first statement ("——以人为本、健康优先：坚持…");
    [] when a line after the first point is no point (lines before it may end the point before the chunk)."""
    by_pos = {u.pos: u for u in units}
    out: list[Candidate] = []
    for u in units:
        if not opens_line(u):
            continue
        head, nxt = norm(u.text).rstrip("。."), by_pos.get(u.pos + 1)
        # ("人民至上，生命至上。": two short phrases are a head too)
        paired = len(head) <= 12 and head.count("，") + head.count(",") == 1 and not any(p in head for p in "；;：:")
        if len(head) > POINT_CHARS or not (_POINT.match(u.text) or run_in_head(u) or paired) or (
            nxt is not None and opens_line(nxt)
        ):
            if not out:  # (a chunk may begin inside the point before)
                continue
            return []
        if nxt is None:  # (the chunk ends at the head: the point is whole in the next one)
            continue
        out.append(replace(nxt, display=f"{u.text.strip().rstrip('。.')}：{nxt.display}"))
    return out
