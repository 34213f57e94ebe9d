"""Briefings: what the documents say on a topic, in parts, within about two pages, every point cited.

One extractive engine with the answers: the topic is framed like a question (frame.py), its sources are
chosen by what it names and gathered facet by facet (gather.py), the answer engine's candidate units are
scored by a model fitted on the briefing suites' tuning topics (relevance.py), and the best units are
chosen within a length budget (extract.py). Figures for the targets table come from table cells whose
column is a target column of their document (targets.py), and differences only between documents stating
the same indicator for the same place and year. With an LLM configured, the bullets are written by a
map-reduce over the same passages (llm.py) and verified like extractive ones; targets and differences still
come from code. Rendering to Markdown, Word and JSON lives in render.py.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Literal

from assistant.answering.candidates import Candidate, candidates_of
from assistant.answering.citations import book_title, markers, numbers_in, strip_markers, verify
from assistant.briefing.extract import Choice, choose, distinct, in_parts
from assistant.briefing.frame import parse_topic
from assistant.briefing.gather import gather
from assistant.briefing.model import (
    DIFFERENCES,
    MEASURES,
    NOT_COVERED,
    OVERVIEW,
    PARTS,
    TARGETS,
    TASKS,
    Brief,
    BriefError,
    BriefSection,
    Difference,
    TargetRow,
)
from assistant.briefing.relevance import (
    ABSENT_LIMIT,
    BriefModel,
    load_model,
    terms_absent,
    unit_vectors,
    unmatched,
)
from assistant.briefing.render import body_text
from assistant.briefing.render import brief_to_markdown as render_markdown
from assistant.briefing.render import save_brief as render_save
from assistant.briefing.targets import Target, TargetIndex, find_differences
from assistant.errors import check_length
from assistant.models import Chunk, Citation
from assistant.text import cn_years_to_digits, norm
from assistant.vocab import vocabulary

__all__ = [
    "DIFFERENCES", "MEASURES", "NOT_COVERED", "OVERVIEW", "TARGETS", "TASKS", "Brief", "BriefError",
    "brief_to_markdown", "numbers_copied", "save_brief", "write_brief",
]
Progress = Callable[[int, int, str], None]
_TARGET_INDEX = TargetIndex()  # every table target of the collection, recomputed when its contents change


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
    long: bool = False,
    model: BriefModel | None = None,
) -> Brief:
    """Write a briefing on a topic from the knowledge base: about two pages, or the long form with `long`
    (LLM map-reduce for the bullets when one is configured, else extractive)."""
    topic = (topic or "").strip()
    if not topic:
        raise BriefError("简报主题不能为空 (the topic is empty)")
    check_length("简报主题", topic, getattr(getattr(assistant, "settings", None), "max_topic_chars", 200))
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    report = progress or (lambda done, total, label: None)
    report(0, 3, "检索相关章节")
    settings = getattr(assistant, "settings", None)
    chain = assistant.answerer
    catalog, stats = chain.catalogs.get(), chain.stats.get()
    frame = parse_topic(topic, catalog)
    only = _documents_called(doc, catalog) if doc else None
    gathered = gather(chain.retriever, frame, catalog, chain.documents.chunks_of, only=only)
    # a side whose place or year no document is for is said to be missing, not briefed from other documents
    missing = {f for f, facet in enumerate(frame.facets) if unmatched(facet.scope, catalog)}
    units = [u for u in distinct(candidates_of(gathered.pool)) if gathered.facet[u.context] not in missing]
    timings["gather"] = _ms(t0)
    t1 = time.perf_counter()
    model = model or load_model()
    synonyms = getattr(getattr(chain, "offline", None), "synonyms", None)
    vectors, _ = unit_vectors(gathered, units, catalog, stats, synonyms)
    probs = [model.unit.probability(x) for x in vectors]
    budget = _budget(settings, long)
    chosen = []
    if terms_absent(gathered, stats, synonyms) < ABSENT_LIMIT:
        chosen = choose(units, probs, gathered, catalog, budget=budget, threshold=model.threshold, spread=model.spread)
    timings["select"] = _ms(t1)
    if not chosen:
        report(3, 3, "完成")
        return Brief(topic, "extractive", timings_ms=timings, long=long)  # not covered (brief.covered is False)
    if chat_model is None and settings is not None and settings.llm_enabled:
        chat_model = getattr(assistant, "chat_model", None) or _default_chat_model(settings)
    registry = SourceRegistry(getattr(assistant, "source_lines", lambda source: []))
    notice = None
    if missing:
        notice = "文档中未涉及：" + "、".join(frame.facets[f].label for f in sorted(missing))
    mode: Literal["extractive", "llm"] = "extractive"
    drafts: dict[str, list[tuple[str, str]]] = {}
    t2 = time.perf_counter()
    if chat_model is not None:
        from assistant.briefing.llm import llm_sections

        try:
            drafts = llm_sections(
                chat_model, topic, _passages(chosen, gathered), registry,
                budget=getattr(settings, "context_tokens", 3000), progress=report,
                prompts_dir=getattr(settings, "prompts_dir", None),
            )
            mode = "llm"
        except Exception as exc:  # noqa: BLE001 - any LLM failure falls back to the offline briefing
            notice = "；".join(x for x in (notice, f"LLM 不可用（{type(exc).__name__}），已生成离线简报") if x)
    if mode == "extractive":
        report(1, 3, "抽取要点")
        drafts = {
            name: [(_bullet(group, registry), document_label(catalog, group[0].unit.chunk)) for group in groups]
            for name, groups in in_parts(chosen).items()
        }
    timings["compose"] = _ms(t2)
    report(2, 3, "核对引用")
    t3 = time.perf_counter()
    brief = Brief(topic, mode, notice=notice, timings_ms=timings, long=long)
    for name in PARTS:
        if drafts.get(name) or (name == TARGETS and any(c.targets for c in chosen)):
            drafts.setdefault(name, [])
            brief.sections.append(BriefSection(name, [b for b, _ in drafts[name]], [d for _, d in drafts[name]]))
    targets = [t for c in chosen for t in c.targets]
    brief.targets = [_target_row(t, registry, catalog) for t in targets]
    everywhere = _TARGET_INDEX.get(assistant.store.cached_chunks(), catalog)
    brief.differences = [_difference(group, registry, catalog) for group in find_differences(targets, everywhere)]
    if brief.differences:
        bullets = [_difference_bullet(d) for d in brief.differences]
        brief.sections.append(BriefSection(DIFFERENCES, bullets, ["" for _ in bullets]))
    if mode == "extractive":
        _trim(brief, chosen, budget)
    _verify(brief, registry)
    brief.scope = sorted({(document_label(catalog, c.unit.chunk), " > ".join(c.unit.chunk.section)) for c in chosen})
    brief.body_chars = body_chars(brief)
    timings["verify"] = _ms(t3)
    timings["total"] = _ms(t0)
    report(3, 3, "完成")
    return brief


def _budget(settings, long: bool) -> int:
    if long:
        return int(getattr(settings, "brief_long_chars", 9000))
    return int(getattr(settings, "brief_chars", 3000))


def body_chars(brief: Brief) -> int:
    """Characters of a briefing's content (bullets, target rows, differences), whitespace and markers aside."""
    return len(re.sub(r"\s", "", body_text(brief, headings=False)))


def _documents_called(name: str, catalog) -> set[str]:
    """Documents whose title or file name is (or contains) the given name."""
    wanted = norm(name)
    return {
        d for d, p in catalog.profiles.items() if wanted == norm(p.info.source) or wanted in norm(p.info.title)
    }


def _passages(chosen: list[Choice], gathered) -> list[Chunk]:
    """The passages an LLM briefing reads: those holding the chosen units, best first."""
    out: list[Chunk] = []
    for c in sorted(chosen, key=lambda c: -c.p):
        chunk = gathered.pool[c.unit.context].chunk
        if all(chunk.id != o.id for o in out):
            out.append(chunk)
    return out


def _bullet(group: list[Choice], registry: SourceRegistry) -> str:
    """A bullet: the clauses of one sentence (or an item, or a row), verbatim, with the line it is on cited."""
    first = group[0].unit
    text = "".join(c.unit.display for c in group)
    quote = "".join(c.unit.text for c in group)
    n = registry.cite(first.chunk, quote, line=_line_of(first, registry))
    return f"{text} [{n}]"


def _line_of(unit: Candidate, registry: SourceRegistry) -> int | None:
    """The source line a text unit is on (None for a table row: the row is its own line)."""
    if unit.chunk.kind == "table_row":
        return None
    lines = registry.source_lines(unit.chunk.source)
    wanted = norm(unit.text)
    for line in range(unit.chunk.line_start, unit.chunk.line_end + 1):
        if 0 < line <= len(lines) and wanted in norm(lines[line - 1]):
            return line
    return None


def _trim(brief: Brief, chosen: list[Choice], budget: int) -> None:
    """Drop the last bullets of the longest parts while the body is over budget (differences added after the
    choice can push it over)."""
    while body_chars(brief) > budget:
        longest = max((s for s in brief.sections if s.title != DIFFERENCES and s.bullets),
                      key=lambda s: len(s.bullets), default=None)
        if longest is None or len(longest.bullets) <= 1:
            return
        longest.bullets.pop()
        longest.documents.pop()


def _default_chat_model(settings):
    from assistant.answering.llm import make_chat_model

    return make_chat_model(settings)


def _ms(since: float) -> float:
    return round((time.perf_counter() - since) * 1000, 1)


def document_label(catalog, chunk: Chunk) -> str:
    """How a briefing names a document: its title, with the year it is for when the title does not say it
    (several reports are all called "政府工作报告")."""
    profile = catalog.profiles.get(chunk.doc_id)
    year = profile.info.year if profile is not None else None
    title = cn_years_to_digits(chunk.title)
    if year and not re.search(r"(?:19|20)\d{2}", title) and not vocabulary().period_years(title):
        return f"{chunk.title}（{year}年）"
    return chunk.title


def _target_row(t: Target, registry: SourceRegistry, catalog) -> TargetRow:
    return TargetRow(
        t.indicator, t.value, t.period, registry.cite(t.chunk, t.chunk.text), document_label(catalog, t.chunk),
        column=t.column.name, baseline=t.baseline, attribute=t.attribute, place=t.place,
    )


def _difference(group: list[Target], registry: SourceRegistry, catalog) -> Difference:
    rows = [_target_row(t, registry, catalog) for t in group]
    return Difference(group[0].indicator, group[0].period, rows)


def _difference_bullet(d: Difference) -> str:
    said = "；".join(f"{book_title(r.document)}为 {r.value} [{r.n}]" for r in d.rows)
    where = f"，{d.rows[0].place}" if d.rows[0].place else ""
    return f"{d.indicator}（{d.period}{where}）：{said}。"


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
        if section.title != DIFFERENCES:
            section.verified = [check(_claim(b)) for b in section.bullets]
    for row in brief.targets:
        row.verified = check(f"{row.indicator} {row.period} {row.baseline} {row.value}[{row.n}]。")
    for d in brief.differences:
        for row in d.rows:
            row.verified = check(f"{row.indicator} {row.period} {row.value}[{row.n}]。")
    for section in brief.sections:
        if section.title == DIFFERENCES:  # a difference is verified row by row (its documents' names aside)
            section.verified = [all(r.verified for r in d.rows) for d in brief.differences]
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
