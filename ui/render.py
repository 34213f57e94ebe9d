"""Pure functions that turn assistant results into safe HTML/Markdown for the web UI.

Everything that came from a document, an upload or a user is escaped here, so a document
containing `<script>` or `![x](http://...)` is shown as text. No gradio import.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from dataclasses import asdict, is_dataclass, replace
from typing import Any

from assistant.answering.citations import book_title
from assistant.briefing.model import TARGETS, Brief
from assistant.briefing.render import TARGET_COLUMNS, grouped_bullets
from assistant.catalog import Overview
from assistant.display import (
    ANSWER_TYPES,
    MARKER,
    explain_rows,
    format_time,
    location_label,
    marker_numbers,
    score,
    section_path,
    skip_reason,
    without_paths,
)
from assistant.feedback.export import NO_LOGIN
from assistant.feedback.model import VERDICT_NAMES, CuratedPair, Feedback, best_sentence
from assistant.models import Answer, Citation, CuratedInfo, DocumentInfo, IngestReport
from assistant.text import plain

NOT_FOUND = "文档中未提及"
ALL_DOCS = "全部文档"
ALL_YEARS = "全部年份"

# characters that Markdown, LaTeX or a JS/Handlebars template could interpret (chat bubbles)
_MD_SPECIAL = set("\\`*_{}[]()#+-.!|~<>&$\"'=:")
# gr.HTML values pass through a JS template: neutralise ${...}, {{...}} and backticks as well
_HTML_EXTRA = {"$": "&#36;", "{": "&#123;", "}": "&#125;", "`": "&#96;"}


_BOLD = re.compile(r"\*\*(.+?)\*\*")


def escape(text: object) -> str:
    """Escape text for an HTML panel (gr.HTML)."""
    out = html.escape(str(text), quote=True)
    return "".join(_HTML_EXTRA.get(ch, ch) for ch in out)


def escape_md(text: object) -> str:
    """Escape text for a Markdown-rendered chat bubble: every special character becomes an entity."""
    return "".join(f"&#{ord(ch)};" if ch in _MD_SPECIAL else ch for ch in str(text))


def escape_multiline(text: str, *, md: bool = False) -> str:
    """Escape text and keep its line breaks."""
    esc = escape_md if md else escape
    return "<br>".join(esc(line) for line in text.split("\n"))


# --- chat ---------------------------------------------------------------------------------


def _cite_link(n: int, citation: Citation | None, anchor: str) -> str:
    """One number of a marker: a link to its source entry, flagged when unverified, plain when it has none."""
    if citation is None or not citation.source:  # a number that points at no provided source
        return f'<span class="cite missing" title="无此来源">{n}</span>'
    cls, mark, title = ("cite", "", "") if citation.verified else ("cite unverified", "⚠", ' title="未核验"')
    return f'<a class="{cls}" href="#{anchor}-{n}" data-n="{n}"{title}>{n}{mark}</a>'


def _marker_html(numbers: Sequence[int], by_n: dict[int, Citation], anchor: str) -> str:
    """A marker as written ([1], [1,2]) with each number linked: <sup>[<a>1</a>,<a>2</a>]</sup>."""
    links = ",".join(_cite_link(n, by_n.get(n), anchor) for n in numbers)
    missing = all(by_n.get(n) is None or not by_n[n].source for n in numbers)
    return f'<sup class="cites{" missing" if missing else ""}">[{links}]</sup>'


def link_markers(text: str, citations: Sequence[Citation], *, md: bool = True, anchor: str = "src") -> str:
    """Escape text and turn every citation marker ([1], [1,2], [1、2], [1][2]) into links to its sources."""
    by_n = {c.n: c for c in citations}
    out: list[str] = []
    pos = 0
    for m in MARKER.finditer(text):
        out.append(escape_multiline(text[pos : m.start()], md=md))
        out.append(_marker_html(marker_numbers(m.group(1)), by_n, anchor))
        pos = m.end()
    out.append(escape_multiline(text[pos:], md=md))
    return "".join(out)


def answer_anchor(turn: int) -> str:
    """The id prefix of one answer's source entries (each answer keeps its own: src-3-1 is answer 3's [1])."""
    return f"src-{turn}"


def render_partial(text: str) -> str:
    """A streaming answer so far: escaped, markers not yet linked."""
    return escape_multiline(text, md=True) + ' <span class="typing">▍</span>'


def render_answer(answer: Answer, *, turn: int = 0) -> str:
    """The chat bubble for a finished answer: escaped text with its markers linked to this answer's sources."""
    body = link_markers(answer.answer.strip(), answer.citations, anchor=answer_anchor(turn))
    if answer.abstained:
        head = f'<div class="abstain"><strong>{NOT_FOUND}</strong></div>'
        rest = answer.answer.strip()
        if not rest or rest.rstrip("。.") == NOT_FOUND:
            return head
        return head + body
    unverified = [c for c in answer.citations if not c.verified]
    if unverified:
        nums = "、".join(f"[{c.n}]" for c in unverified)
        body += f'<div class="warn">⚠ 引用 {escape(nums)} 未能在原文中核验，请查看来源。</div>'
    if answer.curated is not None:
        body += f'<div class="provenance">✔ {escape(curated_provenance(answer.curated))}</div>'
    return body


def approver_name(user: str | None) -> str:
    """Who approved a curated pair, as shown (no login configured: the local machine)."""
    return user or "本机（未启用登录）"


def curated_provenance(info: CuratedInfo) -> str:
    """标准问答：由 张三 于 2026-01-05 16:00 审定（相似度 0.95）."""
    return (f"标准问答：由 {approver_name(info.approved_by)} 于 {format_time(info.approved_at)} 审定"
            f"（与问题相似度 {info.similarity:.2f}）")


def render_status(
    answer: Answer | None, *, question: str | None = None, notices: Sequence[str | None] = ()
) -> str:
    """Mode badge, notices and (for follow-ups) the question as rewritten for retrieval."""
    if answer is None:
        return '<div class="status"><span class="badge idle">等待提问</span></div>'
    if answer.mode == "llm":
        badge = '<span class="badge llm">生成式回答</span>'
    elif answer.mode == "curated":
        badge = '<span class="badge curated">标准问答</span>'
    else:
        badge = '<span class="badge extractive">离线抽取式回答</span>'
    parts = [badge]
    if answer.curated is not None:
        parts.append(f'<span class="provenance">{escape(curated_provenance(answer.curated))}</span>')
    asked = (question or answer.question or "").strip()
    condensed = (answer.condensed_question or "").strip()
    if condensed and condensed != asked:
        parts.append(f'<span class="condensed">检索问题（结合上文改写）：{escape(condensed)}</span>')
    for notice in (answer.notice, *notices):
        if notice:
            parts.append(f'<span class="notice">{escape(notice)}</span>')
    return f'<div class="status">{" ".join(parts)}</div>'


def render_brief_status(mode: str, notice: str | None = None) -> str:
    """Mode badge and notice above a briefing preview."""
    if mode == "llm":
        badge = '<span class="badge llm">生成式简报</span>'
    else:
        badge = '<span class="badge extractive">离线抽取式简报</span>'
    extra = f' <span class="notice">{escape(notice)}</span>' if notice else ""
    return f'<div class="status">{badge}{extra}</div>'


def citation_passage(lines: Sequence[str], span: Sequence[int], *, context: int = 1) -> tuple[str, str, str]:
    """The cited lines plus a little context: (before, cited, after) as plain text."""
    if not lines or not span:
        return "", "", ""
    start = max(1, int(span[0]))
    end = min(len(lines), int(span[-1]))
    if start > end:
        return "", "", ""
    before = lines[max(0, start - 1 - context) : start - 1]
    after = lines[end : end + context]
    return "\n".join(before), "\n".join(lines[start - 1 : end]), "\n".join(after)


def highlight(passage: str, quote: str) -> str:
    """Escape a passage and wrap the quoted sentence in <mark> (whitespace-insensitive match)."""
    quote = quote.strip().strip("…").strip()
    if quote:
        idx = passage.find(quote)
        if idx >= 0:
            return (
                escape_multiline(passage[:idx])
                + f"<mark>{escape_multiline(quote)}</mark>"
                + escape_multiline(passage[idx + len(quote) :])
            )
        # try ignoring whitespace differences (line breaks inside a sentence)
        flat = re.sub(r"\s+", "", quote)
        if flat:
            chars = [re.escape(ch) for ch in flat]
            match = re.search(r"\s*".join(chars), passage)
            if match:
                return (
                    escape_multiline(passage[: match.start()])
                    + f"<mark>{escape_multiline(match.group(0))}</mark>"
                    + escape_multiline(passage[match.end() :])
                )
    return escape_multiline(passage)


def _unbold(text: str) -> str:
    """Markdown bold left in converted text (**7.5%**) reads as noise in a quoted passage."""
    return _BOLD.sub(r"\1", text)


def render_source(
    citation: Citation, lines: Sequence[str] | None = None, *, open_: bool = False, anchor: str = "src"
) -> str:
    """One entry of the sources panel: title > section, line range and the passage with the quote marked."""
    if not citation.source:  # the answer cited a number that matches no provided source
        return (
            f'<div class="source unverified missing" id="{anchor}-{citation.n}"><span class="num">[{citation.n}]</span> '
            f'<span class="flag">无此来源：{escape(citation.problem or "回答引用了不存在的资料编号")}</span></div>'
        )
    path = section_path(citation)
    cls = "source" if citation.verified else "source unverified"
    flag = ""
    if not citation.verified:
        problem = f"：{escape(citation.problem)}" if citation.problem else ""
        flag = f'<span class="flag">未核验{problem}</span>'
    if lines:
        before, cited, after = (_unbold(t) for t in citation_passage(lines, citation.lines))
    else:
        before, cited, after = "", "", ""
    citation = replace(citation, quote=_unbold(citation.quote))
    if cited:
        passage = (
            (f'<div class="ctx">{escape_multiline(before)}</div>' if before else "")
            + f'<div class="cited">{highlight(cited, citation.quote)}</div>'
            + (f'<div class="ctx">{escape_multiline(after)}</div>' if after else "")
        )
    else:
        passage = f'<div class="cited"><mark>{escape_multiline(citation.quote)}</mark></div>'
    return (
        f'<details class="{cls}" id="{anchor}-{citation.n}"{" open" if open_ else ""}>'
        f'<summary><span class="num">[{citation.n}]</span> '
        f'<span class="path">{escape(path)}</span> '
        f'<span class="lines">{escape(location_label(citation))}</span> '
        f'<span class="file">{escape(citation.source)}</span>{flag}</summary>'
        f'<blockquote class="passage">{passage}</blockquote></details>'
    )


def render_sources(
    citations: Sequence[Citation], lines_by_source: dict[str, list[str]] | None = None, *, anchor: str = "src"
) -> str:
    """The sources of one answer (or briefing): one collapsible entry per citation."""
    if not citations:
        return '<div class="sources empty">暂无来源</div>'
    lines_by_source = lines_by_source or {}
    items = [render_source(c, lines_by_source.get(c.source), anchor=anchor) for c in citations]
    return '<div class="sources"><div class="sources-head">来源</div>' + "".join(items) + "</div>"


def render_sources_panel(blocks: Sequence[Sequence[Any]]) -> str:
    """Every answer's sources, newest first and open; older answers' folded so their markers still open them.

    `blocks` holds (turn, question, entries_html) per answer.
    """
    if not blocks:
        return '<div class="sources empty">暂无来源</div>'
    parts = []
    for i, (turn, question, entries) in enumerate(sorted(blocks, key=lambda b: -int(b[0]))):
        short = question if len(question) <= 40 else question[:40] + "…"
        parts.append(
            f'<details class="answer-sources" id="answer-{int(turn)}"{" open" if i == 0 else ""}>'
            f'<summary>第 {int(turn)} 问：{escape(short)}</summary>{entries}</details>'
        )
    return '<div class="sources"><div class="sources-head">来源</div>' + "".join(parts) + "</div>"


def render_source_entries(
    citations: Sequence[Citation], lines_by_source: dict[str, list[str]] | None, *, turn: int
) -> str:
    """The entries of one answer's sources, anchored by its turn (the panel wraps them)."""
    lines_by_source = lines_by_source or {}
    if not citations:
        return '<div class="sources empty">本问无来源</div>'
    return "".join(render_source(c, lines_by_source.get(c.source), anchor=answer_anchor(turn)) for c in citations)


def answer_plain_text(answer: Answer) -> str:
    """Plain text to copy: the answer followed by its numbered sources."""
    text = answer.answer.strip()
    if answer.abstained and not text:
        text = NOT_FOUND
    if answer.citations:
        refs = []
        for c in answer.citations:
            mark = "" if c.verified else "（未核验）"
            section = section_path(c)
            refs.append(f"[{c.n}] {section}，{location_label(c)}（{c.source}）{mark}")
        text += "\n\n来源：\n" + "\n".join(refs)
    return text


# --- filters and knowledge base ---------------------------------------------------------------


def doc_choices(docs: Iterable[DocumentInfo]) -> list[tuple[str, str]]:
    """(label, value) pairs for the document filter; the value is the title the retriever filters by."""
    seen: set[str] = set()
    choices = [(ALL_DOCS, "")]
    for d in docs:
        if d.title in seen:
            continue
        seen.add(d.title)
        choices.append((f"{d.title}（{d.source}）", d.title))
    return choices


def year_choices(docs: Iterable[DocumentInfo]) -> list[tuple[str, str]]:
    """(label, value) pairs for the year filter."""
    years = sorted({d.year for d in docs if d.year}, reverse=True)
    return [(ALL_YEARS, "")] + [(f"{y} 年", str(y)) for y in years]


def source_choices(docs: Iterable[DocumentInfo]) -> list[str]:
    """Distinct source files, in order."""
    return list(dict.fromkeys(d.source for d in docs))


FILE_PREFIX, DOC_PREFIX = "file:", "doc:"


def removal_choices(docs: Sequence[DocumentInfo]) -> list[tuple[str, str]]:
    """(label, value) pairs for 移除: each file (with all its documents) and, under it, each of its documents."""
    choices: list[tuple[str, str]] = []
    for source in source_choices(docs):
        mine = [d for d in docs if d.source == source]
        choices.append((f"文件 {source}（{len(mine)} 篇文档）", FILE_PREFIX + source))
        if len(mine) > 1 or mine[0].title != source:
            for d in mine:
                number = f"，{d.doc_number}" if d.doc_number else ""
                choices.append((f"　文档 {d.title}（{source}{number}）", DOC_PREFIX + d.doc_id))
    return choices


def removal_target(value: str | None, docs: Sequence[DocumentInfo]) -> tuple[str, list[DocumentInfo]]:
    """What a 移除 choice stands for: ("file" | "doc" | "", the documents that would go)."""
    value = value or ""
    if value.startswith(FILE_PREFIX):
        source = value[len(FILE_PREFIX):]
        return "file", [d for d in docs if d.source == source]
    if value.startswith(DOC_PREFIX):
        doc_id = value[len(DOC_PREFIX):]
        return "doc", [d for d in docs if d.doc_id == doc_id]
    return "", []


def render_removal_confirm(value: str | None, docs: Sequence[DocumentInfo]) -> str:
    """The confirmation shown before anything is removed: which file or document, its documents and chunks."""
    kind, going = removal_target(value, docs)
    if not going:
        return render_message("请先选择要移除的文件或文档", kind="error")
    chunks = sum(d.chunks for d in going)
    if kind == "file":
        head = (f"将移除文件 <b>{escape(going[0].source)}</b> 及其中全部 {len(going)} 篇文档"
                f"（共 {chunks} 个分块）：")
    else:
        d = going[0]
        others = sum(1 for x in docs if x.source == d.source) - 1
        rest = f"；同一文件中的其他 {others} 篇文档保留" if others else ""
        head = (f"将只移除文件 {escape(d.source)} 中的这一篇文档（{chunks} 个分块{rest}）：")
    items = "".join(
        f"<li>{escape(d.title)}"
        + (f"（{escape(d.doc_number)}）" if d.doc_number else "")
        + f' <span class="lines">第 {d.line_start}–{d.line_end} 行</span></li>'
        for d in going[:30]
    )
    more = f"<li>……另有 {len(going) - 30} 篇</li>" if len(going) > 30 else ""
    return (f'<div class="confirm"><div>{head}</div><ul>{items}{more}</ul>'
            "<div>移除后将无法从这些文档中检索和回答；此操作不可撤销。</div></div>")


def render_documents(docs: Sequence[DocumentInfo]) -> str:
    """The knowledge-base table, grouped by file: title, 文号, date, year, lines, chunks, ingested at."""
    if not docs:
        return '<div class="docs empty">知识库为空，请上传文档。</div>'
    rows = []
    for source in source_choices(docs):
        mine = [d for d in docs if d.source == source]
        rows.append(
            f'<tr class="file"><td colspan="6"><span class="file-name">{escape(source)}</span> '
            f'<span class="file-meta">{len(mine)} 篇文档 · 入库 {escape(format_time(mine[0].ingested_at))}</span>'
            "</td></tr>"
        )
        for d in mine:
            rows.append(
                "<tr>"
                f'<td class="title" data-label="标题">{escape(d.title)}</td>'
                f'<td data-label="文号">{escape(d.doc_number or "")}</td>'
                f'<td data-label="日期">{escape(d.date or "")}</td>'
                f'<td data-label="年份">{escape(d.year or "")}</td>'
                f'<td data-label="行">{d.line_start}–{d.line_end}</td>'
                f"<td class='num' data-label=\"分块\">{d.chunks}</td></tr>"
            )
    files = len({d.source for d in docs})
    return (
        f'<div class="docs"><div class="docs-head">共 {len(docs)} 篇文档，{files} 个文件</div>'
        "<table><thead><tr><th>标题</th><th>文号</th><th>日期</th><th>年份</th><th>行</th><th>分块</th></tr>"
        "</thead><tbody>" + "".join(rows) + "</tbody></table></div>"
    )


def render_ingest_report(report: IngestReport, *, rejected: Sequence[tuple[str, str]] = ()) -> str:
    """A one-paragraph summary of an ingest run plus what was rejected or skipped (file names only, in Chinese)."""
    msg = (
        f"已处理 {report.files} 个文件：{report.documents} 篇文档，{report.chunks} 个分块，"
        f"新嵌入 {report.embedded} 个，未变化 {report.unchanged_files} 个文件，用时 {report.seconds:.1f} 秒。"
    )
    problems = [*rejected, *((_basename(path), skip_reason(reason)) for path, reason in report.skipped)]
    items = "".join(f"<li>{escape(name)}：{escape(without_paths(reason))}</li>" for name, reason in problems)
    warn = f'<div class="rejected-head">未导入 {len(problems)} 个文件：</div><ul class="rejected">{items}</ul>' if items else ""
    return f'<div class="report">{escape(msg)}{warn}</div>'


def _basename(path: str) -> str:
    return re.split(r"[\\/]", path)[-1] or path


def render_landing(overview: Overview) -> str:
    """The empty chat's first screen (Markdown): the knowledge base at a glance; examples are shown below it."""
    if not overview.documents:
        return "**知识库为空**\n\n请在“知识库”页上传规划文件后再提问。"

    def counts(items: Sequence[tuple[str, int]], unit: str = "") -> str:
        return "、".join(f"{escape_md(name)}{unit if name.isdigit() else ''} {n} 篇" for name, n in items[:8])

    return (
        f"### 知识库一览：{overview.documents} 篇文档，{overview.files} 个文件\n\n"
        f"- **类别**：{counts(overview.kinds)}\n"
        f"- **地区**：{counts(overview.places)}\n"
        f"- **年份**：{counts(overview.years, '年')}\n\n"
        "可以直接提问，也可以点下面的示例问题；答案中的 [1] 等标记可点开原文出处。"
    )


def render_message(text: str, *, kind: str = "info") -> str:
    """A short status line (info, ok, error)."""
    return f'<div class="msg {escape(kind)}">{escape(text)}</div>'


# --- briefings: a small, safe Markdown subset ---------------------------------------------------



def _inline(text: str, anchor: str = "brief-src") -> str:
    out = escape(text)
    out = _BOLD.sub(r"<strong>\1</strong>", out)

    def link(m: re.Match[str]) -> str:
        numbers = marker_numbers(m.group(1))
        links = ",".join(f'<a class="cite" href="#{anchor}-{n}" data-n="{n}">{n}</a>' for n in numbers)
        return f'<sup class="cites">[{links}]</sup>'

    return MARKER.sub(link, out)


_UNVERIFIED = '<span class="unverified">（引用未核实）</span>'


def render_brief(brief: Brief, anchor: str = "brief-src") -> str:
    """A briefing as HTML, built from the Brief itself (document text escaped, [n] markers linked to the
    sources panel): its scope, each part's bullets grouped by document, the targets table."""
    out = []
    if brief.notice:
        out.append(f'<blockquote>{escape(brief.notice)}</blockquote>')
    docs = list(dict.fromkeys(t for t, _ in brief.scope))
    if docs:
        named = "；".join(escape(book_title(d)) for d in docs)
        out.append(f"<p>依据 {len(docs)} 份文件、{len(brief.scope)} 个章节：{named}</p>")
    shown_targets = False
    for section in brief.sections:
        out.append(f"<h2>{escape(section.title)}</h2>")
        groups = grouped_bullets(section)
        several = len({d for d, _ in groups if d}) > 1
        for doc, items in groups:
            if several and doc:
                out.append(f'<p class="doc">{escape(book_title(doc))}</p>')
            bullets = "".join(f"<li>{_inline(b, anchor)}{'' if ok else _UNVERIFIED}</li>" for b, ok in items)
            out.append(f"<ul>{bullets}</ul>")
        if section.title == TARGETS and brief.targets:
            out.append(_brief_targets(brief, anchor))
            shown_targets = True
    if brief.targets and not shown_targets:
        out.append(f"<h2>{escape(TARGETS)}</h2>" + _brief_targets(brief, anchor))
    return f'<div class="md"><h1>简报：{escape(brief.topic)}</h1>' + "\n".join(out) + "</div>"


def _brief_targets(brief: Brief, anchor: str) -> str:
    head = "".join(f"<th>{escape(c)}</th>" for c in TARGET_COLUMNS)
    rows = "".join(
        "<tr>" + "".join(f"<td>{escape(v)}</td>" for v in (t.indicator, t.baseline, t.value, t.period, t.attribute))
        + f"<td>{_inline(f'[{t.n}]', anchor)}</td></tr>"
        for t in brief.targets
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"


# --- evaluation --------------------------------------------------------------------------------


def _as_dict(item: Any) -> dict[str, Any]:
    if is_dataclass(item) and not isinstance(item, type):
        return asdict(item)
    if isinstance(item, dict):
        return item
    return dict(vars(item)) if hasattr(item, "__dict__") else {"value": item}


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.3f}"
    if isinstance(value, (list, tuple)):
        return "；".join(_fmt(v) for v in value)
    if value is None:
        return ""
    return str(value)


def render_table(rows: Sequence[Any], *, columns: Sequence[str] | None = None, limit: int = 200) -> str:
    """A generic escaped HTML table from dataclasses or dicts."""
    dicts = [_as_dict(r) for r in rows[:limit]]
    if not dicts:
        return '<div class="table empty">无</div>'
    cols = list(columns or dict.fromkeys(k for d in dicts for k in d))
    head = "".join(f"<th>{escape(c)}</th>" for c in cols)
    body = "".join(
        "<tr>" + "".join(f"<td>{escape(_fmt(d.get(c)))}</td>" for c in cols) + "</tr>" for d in dicts
    )
    more = f'<div class="more">另有 {len(rows) - limit} 行未显示</div>' if len(rows) > limit else ""
    return f'<table class="table"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>{more}'


def render_metrics(metrics: dict[str, Any]) -> str:
    """Metric name / value table."""
    rows = [{"指标": k, "数值": v} for k, v in metrics.items()]
    return render_table(rows, columns=["指标", "数值"])


# --- feedback, curated pairs, retrieval test, synonyms -------------------------------------------------


def _short(text: str, n: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= n else text[:n] + "…"


def answer_choices(records: Sequence[Any]) -> list[tuple[str, int]]:
    """(label, turn) of a session's answers, newest first: which one the feedback is about."""
    return [(f"第 {int(r[0])} 问：{_short(r[1], 40)}", int(r[0])) for r in sorted(records, key=lambda r: -int(r[0]))]


def passage_label(n: int, passage: Any, focus: str = "") -> str:
    """One clickable passage: [n] title › section 第a–b行：the sentence of it nearest to what is sought (plain
    text: a radio label)."""
    lines = list(passage.lines)
    shown = best_sentence(plain(passage.text), focus) if focus else plain(passage.text)
    return f"[{n}] {section_path(passage)} 第{lines[0]}–{lines[-1]}行：{snippet(shown, focus, 90)}"


def snippet(text: str, focus: str, width: int) -> str:
    """About `width` characters of a text around the longest piece of `focus` it holds (its start otherwise)."""
    text = " ".join(text.split())
    if len(text) <= width:
        return text
    at = -1
    for size in range(min(len(focus), 12), 1, -1):
        at = next((text.find(focus[i : i + size]) for i in range(len(focus) - size + 1)
                   if focus[i : i + size] in text), -1)
        if at >= 0:
            break
    start = max(0, min(at - width // 4, len(text) - width)) if at >= 0 else 0
    return ("…" if start else "") + text[start : start + width] + ("…" if start + width < len(text) else "")


def passage_choices(passages: Sequence[Any], focus: str = "") -> list[tuple[str, str]]:
    """(label, value) of the passages an official may click as the one holding the right answer."""
    return [(passage_label(n, p, focus), str(n - 1)) for n, p in enumerate(passages, 1)]


def feedback_status(f: Feedback) -> str:
    """Where a record went: into a suite, into a curated pair, or nowhere yet."""
    done = []
    if f.suite:
        done.append(f"已加入评测集“{f.suite}”")
    if f.curated_id:
        done.append(f"已设为标准问答 #{f.curated_id}")
    return "；".join(done) or "待处理"


def render_feedback_list(records: Sequence[Feedback]) -> str:
    """The 评测 tab's feedback table (everything escaped; long texts cut)."""
    if not records:
        return '<div class="table empty">没有符合条件的反馈</div>'
    rows = []
    for f in records:
        ev = f.evidence
        where = f"{ev.section} 第{ev.lines[0]}–{ev.lines[1]}行" if ev else ""
        verdict = VERDICT_NAMES.get(f.verdict, f.verdict)
        rows.append(
            f'<tr data-id="{int(f.id or 0)}"><td>{int(f.id or 0)}</td><td>{escape(format_time(f.created_at))}</td>'
            f"<td>{escape(f.user or NO_LOGIN)}</td>"
            f'<td><span class="verdict {escape(f.verdict)}">{escape(verdict)}</span></td>'
            f"<td>{escape(_short(f.question, 80))}</td><td>{escape(_short(f.answer, 120))}</td>"
            f"<td>{escape(_short(f.correction, 120))}</td><td>{escape(where)}</td>"
            f"<td>{escape(feedback_status(f))}</td></tr>"
        )
    head = "".join(f"<th>{h}</th>" for h in ("编号", "时间", "用户", "评价", "问题", "回答", "更正", "原文出处", "状态"))
    return (f'<div class="feedback-count">共 {len(records)} 条</div><table class="table feedback">'
            f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>")


def feedback_choices(records: Sequence[Feedback]) -> list[tuple[str, str]]:
    """(label, id) of the records an official may act on."""
    return [
        (f"#{f.id} {VERDICT_NAMES.get(f.verdict, f.verdict)}：{_short(f.question, 40)}", str(f.id)) for f in records
    ]


def render_curated_list(pairs: Sequence[CuratedPair]) -> str:
    """The curated pairs with their provenance: who approved them and when, and the passage they cite."""
    if not pairs:
        return '<div class="table empty">还没有标准问答</div>'
    rows = []
    for p in pairs:
        ev = p.evidence
        state = "使用中" if p.active else f"已停用（{approver_name(p.revoked_by)}，{format_time(p.revoked_at)}）"
        rows.append(
            f"<tr><td>{int(p.id or 0)}</td><td>{escape(_short(p.question, 80))}</td><td>{escape(_short(p.answer, 120))}"
            f"</td><td>{escape(ev.section)} 第{ev.lines[0]}–{ev.lines[1]}行</td>"
            f"<td>{escape(approver_name(p.approved_by))}</td><td>{escape(format_time(p.approved_at))}</td>"
            f"<td>{escape(state)}</td></tr>"
        )
    head = "".join(f"<th>{h}</th>" for h in ("编号", "问题", "审定的答案", "原文出处", "审定人", "审定时间", "状态"))
    return f'<table class="table curated"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'


def curated_choices(pairs: Sequence[CuratedPair]) -> list[tuple[str, str]]:
    """(label, id) of the pairs in use (to stop using one)."""
    return [(f"#{p.id} {_short(p.question, 40)}", str(p.id)) for p in pairs if p.active]


def render_explain(answer: Answer) -> str:
    """The 命中测试 view: the answer in brief, the question frame, the routing, the ranked passages with their
    lexical, dense and fused scores, and per part of the question why the answerer answered or declined."""
    ex = answer.explain or {}
    frame = ex.get("frame", {})
    types = ANSWER_TYPES
    scope = frame.get("scope", {})
    scope_bits = [
        ("地区", scope.get("places")), ("年份", scope.get("years")), ("报告年份", scope.get("document_years")),
        ("文档类别", scope.get("kinds")), ("点名的文档", scope.get("documents")), ("提示的文档", scope.get("hinted")),
    ]
    scope_html = "；".join(f"{k}：{escape('、'.join(map(str, v)))}" for k, v in scope_bits if v) or "未限定"
    facets = "".join(f"<li>{escape(f.get('label') or f.get('text') or '')}</li>" for f in frame.get("facets", []))
    mode = {"llm": "生成式", "curated": "标准问答", "extractive": "离线抽取式"}.get(answer.mode, answer.mode)
    verdict = "拒答（文档中未提及）" if answer.abstained else "作答"
    head = (f'<div class="hit-answer"><b>结论：</b>{escape(verdict)}（{escape(mode)}）'
            f'<div class="hit-text">{escape(_short(answer.answer, 300))}</div></div>')
    frame_html = (
        '<h4>问题解析</h4><ul class="hit-frame">'
        f"<li>答案类型：{escape(types.get(frame.get('answer_type', ''), frame.get('answer_type', '')))}"
        f"{'（要数字）' if frame.get('wants_number') else ''}</li>"
        f"<li>关键词：{escape('、'.join(frame.get('terms', [])) or '无')}</li>"
        f"<li>范围：{scope_html}</li>"
        + (f"<li>分项：<ul>{facets}</ul></li>" if facets else "")
        + "</ul>"
    )
    routing = ex.get("routing", [])
    routing_html = "<h4>文档路由（权重）</h4>" + (
        '<table class="table hit-routing"><thead><tr><th>文档</th><th>权重</th></tr></thead><tbody>'
        + "".join(f"<tr><td>{escape(r['title'])}</td><td>{score(r['weight'], 3)}</td></tr>" for r in routing)
        + "</tbody></table>" if routing else '<div class="table empty">无</div>'
    )
    rows = explain_rows(ex)
    body = "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in r) + "</tr>" for r in rows)
    sources_html = (
        "<h4>检索到的段落（按融合得分排序）</h4>"
        '<table class="table hit-sources"><thead><tr><th>序号</th><th>文档 › 章节</th><th>行</th>'
        "<th>词汇得分（排名）</th><th>向量得分（排名）</th><th>融合得分</th></tr></thead>"
        f"<tbody>{body}</tbody></table>" if rows else "<h4>检索到的段落</h4><div class='table empty'>无</div>"
    )
    decisions = []
    for d in ex.get("decision", []):
        units = "".join(f"<li>{score(u['p'], 3)}　{escape(_short(u['text'], 100))}</li>" for u in d.get("top_units", []))
        decisions.append(
            f'<div class="hit-decision"><b>{escape(d.get("facet", ""))}</b>：{escape(d.get("why", ""))}'
            f"（可答概率 {score(d.get('p_answer'), 3)}，阈值 {score(d.get('threshold'), 3)}；"
            f"最佳句 {score(d.get('best_unit'), 3)}，下限 {score(d.get('unit_floor'), 3)}）"
            + (f'<ol class="hit-units">{units}</ol>' if units else "") + "</div>"
        )
    curated = ex.get("curated") or {}
    curated_html = f'<div class="hit-curated">{escape(curated.get("why", ""))}' + (
        f"（最接近：#{curated['pair']['id']} {escape(_short(curated['pair']['question'], 60))}）"
        if curated.get("pair") else "") + "</div>"
    decided = "".join(decisions) or '<div class="table empty">无</div>'
    return (
        f'<div class="hit-test">{head}{frame_html}{routing_html}{sources_html}'
        f"<h4>作答判断</h4>{decided}<h4>标准问答</h4>{curated_html}</div>"
    )


def render_synonyms(shipped: Sequence[Sequence[str]], from_file: Sequence[Sequence[str]],
                    own: Sequence[Sequence[str]], *, enabled: bool = True) -> str:
    """The synonym groups in use: users' own (removable), a settings file's, and the shipped table."""
    def items(groups: Sequence[Sequence[str]]) -> str:
        return "".join(f"<li>{escape(' | '.join(g))}</li>" for g in groups) or "<li>无</li>"

    off = "" if enabled else '<div class="msg error">同义词匹配已关闭（ASSISTANT_SYNONYMS=false）</div>'
    return (
        f'<div class="synonyms">{off}<div><b>自定义同义词（{len(own)} 组）</b><ul class="own">{items(own)}</ul></div>'
        + (f"<div><b>同义词文件（{len(from_file)} 组）</b><ul>{items(from_file)}</ul></div>" if from_file else "")
        + f"<details><summary>内置同义词（{len(shipped)} 组）</summary><ul>{items(shipped)}</ul></details></div>"
    )


def synonym_choices(own: Sequence[Sequence[str]]) -> list[tuple[str, str]]:
    """(label, index) of the users' own groups (to remove one)."""
    return [(" | ".join(g), str(i)) for i, g in enumerate(own)]
