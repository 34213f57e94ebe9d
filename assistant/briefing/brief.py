"""Briefings: everything the documents say on a topic, organised into parts, every point cited.

Recall first (brief_gather), then either an extractive briefing (brief_extract: key sentences by
relevance and novelty) or, with an LLM configured, a map-reduce over the gathered sections
(brief_llm). Targets and differences between documents come from code in both modes, so figures
are always copied from a source. Rendering to Markdown, Word and JSON lives in brief_render.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Literal

from assistant.answering.citations import book_title, markers, numbers_in, strip_markers, verify
from assistant.briefing.extract import (
    MEASURES,
    OVERVIEW,
    PARTS,
    TARGETS,
    TASKS,
    display_text,
    organise,
    score_units,
    select,
)
from assistant.briefing.gather import Gathered, gather
from assistant.briefing.model import (
    DIFFERENCES,
    NOT_COVERED,
    Brief,
    BriefError,
    BriefSection,
    Difference,
    TargetRow,
)
from assistant.briefing.render import brief_to_markdown as render_markdown
from assistant.briefing.render import save_brief as render_save
from assistant.briefing.targets import Target, all_targets, find_differences
from assistant.errors import check_length
from assistant.models import Chunk, Citation

Progress = Callable[[int, int, str], None]
MIN_COVERAGE = 0.6  # share of the topic's (idf-weighted) words the gathered sections must contain

class SourceRegistry:
    """Numbers sources in the order they are first cited; one source per quoted line or table row."""

    def __init__(self, lines_of: Callable[[str], list[str]]):
        self._lines_of = lines_of
        self._lines: dict[str, list[str]] = {}
        self.chunks: list[Chunk] = []
        self.quotes: dict[int, list[str]] = {}
        self._index: dict[tuple[str, int, int, str], int] = {}
        self.invalid: dict[int, int] = {}  # source number -> the number a model cited that matches nothing

    def source_lines(self, source: str) -> list[str]:
        if source not in self._lines:
            self._lines[source] = self._lines_of(source)
        return self._lines[source]

    def line_texts(self, sources: set[str]) -> dict[str, dict[int, str]]:
        return {s: dict(enumerate(self.source_lines(s), start=1)) for s in sources}

    def invalid_number(self, cited: int) -> int:
        """A source number standing for a citation that matches no passage (flagged when verified)."""
        for n, original in self.invalid.items():
            if original == cited:
                return n
        self.chunks.append(Chunk(id=f"invalid:{cited}", source="", doc_id="", title="", section=[], text="",
                                 line_start=0, line_end=0))
        self.invalid[len(self.chunks)] = cited
        return len(self.chunks)

    def cite(self, chunk: Chunk, quote: str, *, line: int | None = None) -> int:
        """The source number for a quote from a chunk (narrowed to one line when given)."""
        if chunk.kind == "table_row":
            key = (chunk.source, chunk.line_start, chunk.line_end, "row")
            narrowed = chunk
        elif line is not None:
            key = (chunk.source, line, line, "line")
            lines = self.source_lines(chunk.source)
            text = lines[line - 1] if 0 < line <= len(lines) else quote
            # the heading path stays searchable for verification (a title's years, a section name)
            narrowed = replace(chunk, id=f"{chunk.id}@{line}", text=text, line_start=line, line_end=line,
                               index_text=chunk.section_path)
        else:
            key = (chunk.source, chunk.line_start, chunk.line_end, "chunk")
            narrowed = replace(chunk, index_text=chunk.section_path)
        if key not in self._index:
            self.chunks.append(narrowed)
            self._index[key] = len(self.chunks)
        n = self._index[key]
        if quote and quote not in self.quotes.setdefault(n, []):
            self.quotes[n].append(quote)
        return n


def write_brief(
    assistant,
    topic: str,
    *,
    doc: str | None = None,
    chat_model=None,
    progress: Progress | None = None,
) -> Brief:
    """Write a briefing on a topic from the knowledge base (LLM map-reduce when configured, else extractive)."""
    topic = (topic or "").strip()
    if not topic:
        raise BriefError("简报主题不能为空 (the topic is empty)")
    check_length("简报主题", topic, getattr(getattr(assistant, "settings", None), "max_topic_chars", 200))
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    report = progress or (lambda done, total, label: None)
    report(0, 3, "检索相关章节")
    gathered = gather(assistant, topic, doc=doc)
    timings["gather"] = _ms(t0)
    if not gathered.passages or gathered.coverage < MIN_COVERAGE:
        report(3, 3, "完成")
        return Brief(topic, "extractive", notice=NOT_COVERED, timings_ms=timings)
    settings = getattr(assistant, "settings", None)
    if chat_model is None and settings is not None and settings.llm_enabled:
        chat_model = getattr(assistant, "chat_model", None) or _default_chat_model(settings)
    registry = SourceRegistry(getattr(assistant, "source_lines", lambda source: []))
    notice = None
    t1 = time.perf_counter()
    units = score_units(gathered, registry.line_texts({p.chunk.source for p in gathered.passages}))
    parts = organise(select(units))
    targets = _targets_for(parts[TARGETS], units)
    if chat_model is not None:
        from assistant.briefing.llm import llm_sections

        try:
            drafts = llm_sections(
                chat_model, topic, gathered, registry,
                budget=getattr(settings, "context_tokens", 3000), progress=report,
                prompts_dir=getattr(settings, "prompts_dir", None),
            )
            mode: Literal["extractive", "llm"] = "llm"
        except Exception as exc:  # noqa: BLE001 - any LLM failure falls back to the offline briefing
            notice = f"LLM 不可用（{type(exc).__name__}），已生成离线简报"
            chat_model = None
    if chat_model is None:
        report(1, 3, "抽取要点")
        drafts = {
            name: [(f"{display_text(u)} [{registry.cite(u.chunk, u.text, line=u.line)}]", u.chunk.title)
                   for u in parts[name]]
            for name in PARTS
        }
        mode = "extractive"
    timings["compose"] = _ms(t1)
    report(2, 3, "核对引用")
    t2 = time.perf_counter()
    brief = Brief(topic, mode, notice=notice, timings_ms=timings)
    for name in (OVERVIEW, TARGETS, TASKS, MEASURES):
        if drafts.get(name):
            brief.sections.append(BriefSection(name, [b for b, _ in drafts[name]], [d for _, d in drafts[name]]))
    brief.targets = _target_rows(targets, registry)
    diffs = find_differences(targets, all_targets(assistant.store.cached_chunks()))
    brief.differences = [_difference(group, registry) for group in diffs]
    if brief.differences:
        bullets = [_difference_bullet(d) for d in brief.differences]
        brief.sections.append(BriefSection(DIFFERENCES, bullets, ["" for _ in bullets]))
    _verify(brief, registry)
    brief.scope = _scope(gathered)
    timings["verify"] = _ms(t2)
    timings["total"] = _ms(t0)
    report(3, 3, "完成")
    return brief


def _default_chat_model(settings):
    from assistant.answering.llm import make_chat_model

    return make_chat_model(settings)


def _ms(since: float) -> float:
    return round((time.perf_counter() - since) * 1000, 1)


def _targets_for(target_units, units, *, max_rows: int = 40) -> list[Target]:
    """Targets for the table: stated in chosen sentences, then rows of the gathered indicator tables."""
    out: list[Target] = [t for u in target_units for t in (u.targets or [])]
    rows = sorted((u for u in units if u.chunk.kind == "table_row" and u.targets), key=lambda u: -u.rel)
    top = rows[0].rel if rows else 0.0
    for u in rows:
        if u.rel >= 0.6 * top:
            out.extend(u.targets or [])
    seen: set[tuple[str, str, str, str]] = set()
    unique = []
    for t in out:
        key = (t.chunk.doc_id, t.key, t.period, t.value)
        if key not in seen:
            seen.add(key)
            unique.append(t)
    return unique[:max_rows]


def _target_rows(targets: list[Target], registry: SourceRegistry) -> list[TargetRow]:
    rows = []
    for t in sorted(targets, key=lambda t: (t.chunk.kind != "table_row", t.chunk.source, t.chunk.line_start)):
        n = _cite_target(t, registry)
        rows.append(TargetRow(t.indicator, t.value, t.period, n, t.chunk.title))
    return rows


def _cite_target(t: Target, registry: SourceRegistry) -> int:
    if t.chunk.kind == "table_row":
        return registry.cite(t.chunk, t.chunk.text)
    lines = registry.source_lines(t.chunk.source)
    for line in range(t.chunk.line_start, t.chunk.line_end + 1):
        if 0 < line <= len(lines) and t.value in re.sub(r"\s+", "", lines[line - 1]):
            return registry.cite(t.chunk, lines[line - 1], line=line)
    return registry.cite(t.chunk, "")


def _difference(group: list[Target], registry: SourceRegistry) -> Difference:
    rows = [TargetRow(t.indicator, t.value, t.period, _cite_target(t, registry), t.chunk.title) for t in group]
    year = group[0].year
    return Difference(group[0].indicator, f"{year}年" if year else group[0].period, rows)


def _difference_bullet(d: Difference) -> str:
    said = "，".join(f"{book_title(r.document)}为 {r.value} [{r.n}]" for r in d.rows)
    return f"{re.sub(r'[(（][^()（）]*[)）]$', '', d.indicator)}：{said}。"


def _claim(bullet: str) -> str:
    """A bullet as one claim for verification: its sentences joined, markers kept at the end."""
    ns = markers(bullet)
    body = re.sub(r"[。；！？!?;]", "，", strip_markers(bullet))
    return f"{body}{''.join(f'[{n}]' for n in ns)}。"


def _verify(brief: Brief, registry: SourceRegistry) -> None:
    """Check every bullet and target row against its sources; one Citation per source number."""
    chunks = registry.chunks
    support = {n: " … ".join(q) for n, q in registry.quotes.items() if q}
    problems: dict[int, list[str]] = {}
    used: set[int] = set()

    def check(claim_text: str) -> bool:
        cites = verify(claim_text, chunks, support=support)
        if not cites:
            return False
        for c in cites:
            used.add(c.n)
            if c.n in registry.invalid:
                c.verified = False
                c.problem = f"[{registry.invalid[c.n]}] 不对应任何提供的资料"
            if not c.verified:
                problems.setdefault(c.n, []).append(c.problem or "unverified")
        return all(c.verified for c in cites)

    for section in brief.sections:
        section.verified = [check(_claim(b)) for b in section.bullets]
    for row in brief.targets:
        row.verified = check(f"{row.indicator}{row.period}{row.value}[{row.n}]。")
    for d in brief.differences:
        for row in d.rows:
            row.verified = check(f"{row.indicator}{row.period}{row.value}[{row.n}]。")
    sources = []
    for n in sorted(used):
        if 1 <= n <= len(chunks) and n not in registry.invalid:
            c = chunks[n - 1]
            sources.append(Citation(
                n=n, source=c.source, title=c.title, section=c.section_path, lines=[c.line_start, c.line_end],
                quote=support.get(n) or c.text, verified=n not in problems,
                problem="; ".join(dict.fromkeys(problems[n])) if n in problems else None,
                page=c.page, location=c.location,
            ))
        else:
            cited = registry.invalid.get(n, n)
            sources.append(Citation(n=n, source="", title="", section="", lines=[], quote="", verified=False,
                                    problem=f"[{cited}] 不对应任何提供的资料"))
    brief.sources = sources


def _scope(gathered: Gathered) -> list[tuple[str, str]]:
    return [(title, section) for title, section, _ in gathered.sections]


def numbers_copied(brief: Brief) -> bool:
    """Every number in the bullets occurs in the sources they cite (a check the tests and eval use)."""
    by_n = {c.n: c for c in brief.sources}
    for section in brief.sections:
        for bullet in section.bullets:
            pool = "".join(by_n[n].quote + by_n[n].section for n in markers(bullet) if n in by_n)
            if any(x not in re.sub(r"\s+", "", pool) for x in numbers_in(bullet)):
                return False
    return True


def brief_to_markdown(brief: Brief) -> str:
    """The briefing as Markdown with a sources list."""
    return render_markdown(brief)


def save_brief(brief: Brief, path: str | Path) -> Path:
    """Write a briefing as .md, .docx or .json (by extension)."""
    return render_save(brief, path)
