"""Pure functions that turn assistant results into safe HTML/Markdown for the web UI.

Everything that came from a document, an upload or a user is escaped here, so a document
containing `<script>` or `![x](http://...)` is shown as text. No gradio import.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from dataclasses import asdict, is_dataclass, replace
from datetime import datetime
from typing import Any

from assistant.models import Answer, Citation, DocumentInfo, IngestReport

NOT_FOUND = "文档中未提及"
ALL_DOCS = "全部文档"
ALL_YEARS = "全部年份"

# characters that Markdown, LaTeX or a JS/Handlebars template could interpret (chat bubbles)
_MD_SPECIAL = set("\\`*_{}[]()#+-.!|~<>&$\"'=:")
# gr.HTML values pass through a JS template: neutralise ${...}, {{...}} and backticks as well
_HTML_EXTRA = {"$": "&#36;", "{": "&#123;", "}": "&#125;", "`": "&#96;"}
_MARKER = re.compile(r"\[(\d{1,3})\]")


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


def _marker_html(n: int, citation: Citation | None) -> str:
    if citation is None or not citation.source:  # a number that points at no provided source
        return f'<sup class="cite missing" title="无此来源">[{n}]</sup>'
    if citation.verified:
        return f'<a class="cite" href="#src-{n}" data-n="{n}"><sup>[{n}]</sup></a>'
    return f'<a class="cite unverified" href="#src-{n}" data-n="{n}" title="未核验"><sup>[{n}]⚠</sup></a>'


def link_markers(text: str, citations: Sequence[Citation], *, md: bool = True) -> str:
    """Escape text and turn its [n] markers into links to the sources panel."""
    by_n = {c.n: c for c in citations}
    out: list[str] = []
    pos = 0
    for m in _MARKER.finditer(text):
        out.append(escape_multiline(text[pos : m.start()], md=md))
        out.append(_marker_html(int(m.group(1)), by_n.get(int(m.group(1)))))
        pos = m.end()
    out.append(escape_multiline(text[pos:], md=md))
    return "".join(out)


def render_partial(text: str) -> str:
    """A streaming answer so far: escaped, markers not yet linked."""
    return escape_multiline(text, md=True) + ' <span class="typing">▍</span>'


def render_answer(answer: Answer) -> str:
    """The chat bubble for a finished answer: escaped text with linked citation markers."""
    body = link_markers(answer.answer.strip(), answer.citations)
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
    return body


def render_status(answer: Answer | None, *, question: str | None = None) -> str:
    """Mode badge, notice and (for follow-ups) the condensed question."""
    if answer is None:
        return '<div class="status"><span class="badge idle">等待提问</span></div>'
    if answer.mode == "llm":
        badge = '<span class="badge llm">生成式回答</span>'
    else:
        badge = '<span class="badge extractive">离线抽取式回答</span>'
    parts = [badge]
    asked = (question or answer.question or "").strip()
    condensed = (answer.condensed_question or "").strip()
    if condensed and condensed != asked:
        parts.append(f'<span class="condensed">检索问题（结合上文改写）：{escape(condensed)}</span>')
    if answer.notice:
        parts.append(f'<span class="notice">{escape(answer.notice)}</span>')
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


def _location_label(citation: Citation) -> str:
    """Where the passage is in the user's file (第3页, 第12段, 第146–148行); the cleaned copy's lines stay inside."""
    return citation.location.label() if citation.location else ""


def render_source(
    citation: Citation, lines: Sequence[str] | None = None, *, open_: bool = False, anchor: str = "src"
) -> str:
    """One entry of the sources panel: title > section, line range and the passage with the quote marked."""
    if not citation.source:  # the answer cited a number that matches no provided source
        return (
            f'<div class="source unverified missing" id="{anchor}-{citation.n}"><span class="num">[{citation.n}]</span> '
            f'<span class="flag">无此来源：{escape(citation.problem or "回答引用了不存在的资料编号")}</span></div>'
        )
    section = citation.section or ""
    path = (
        section
        if section.startswith(citation.title)
        else " > ".join(p for p in (citation.title, section) if p)
    )
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
        f'<span class="lines">{escape(_location_label(citation))}</span> '
        f'<span class="file">{escape(citation.source)}</span>{flag}</summary>'
        f'<blockquote class="passage">{passage}</blockquote></details>'
    )


def render_sources(
    citations: Sequence[Citation], lines_by_source: dict[str, list[str]] | None = None, *, anchor: str = "src"
) -> str:
    """The sources panel for one answer (or briefing): one collapsible entry per citation."""
    if not citations:
        return '<div class="sources empty">暂无来源</div>'
    lines_by_source = lines_by_source or {}
    items = [render_source(c, lines_by_source.get(c.source), anchor=anchor) for c in citations]
    return '<div class="sources"><div class="sources-head">来源</div>' + "".join(items) + "</div>"


def answer_plain_text(answer: Answer) -> str:
    """Plain text to copy: the answer followed by its numbered sources."""
    text = answer.answer.strip()
    if answer.abstained and not text:
        text = NOT_FOUND
    if answer.citations:
        refs = []
        for c in answer.citations:
            mark = "" if c.verified else "（未核验）"
            section = c.section or c.title
            where = " ".join(p for p in (c.source, _location_label(c)) if p)
            refs.append(f"[{c.n}] {section}（{where}）{mark}")
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
    """Distinct source files, for the remove selector."""
    return list(dict.fromkeys(d.source for d in docs))


def format_time(stamp: str | None) -> str:
    """An ISO timestamp as local 'YYYY-MM-DD HH:MM'; other text unchanged."""
    if not stamp:
        return ""
    try:
        moment = datetime.fromisoformat(stamp)
    except ValueError:
        return stamp
    if moment.tzinfo is not None:
        moment = moment.astimezone()
    return moment.strftime("%Y-%m-%d %H:%M")


def render_documents(docs: Sequence[DocumentInfo]) -> str:
    """The knowledge-base table: title, source file, chunks, ingested at."""
    if not docs:
        return '<div class="docs empty">知识库为空，请上传文档。</div>'
    rows = []
    for d in docs:
        rows.append(
            "<tr>"
            f"<td>{escape(d.title)}</td><td>{escape(d.source)}</td>"
            f"<td>{escape(d.year or '')}</td><td class='num'>{d.chunks}</td>"
            f"<td>{escape(format_time(d.ingested_at))}</td></tr>"
        )
    files = len({d.source for d in docs})
    return (
        f'<div class="docs"><div class="docs-head">共 {len(docs)} 篇文档，{files} 个文件</div>'
        "<table><thead><tr><th>标题</th><th>来源文件</th><th>年份</th><th>分块</th><th>入库时间</th></tr>"
        "</thead><tbody>" + "".join(rows) + "</tbody></table></div>"
    )


def render_ingest_report(report: IngestReport, *, rejected: Sequence[tuple[str, str]] = ()) -> str:
    """A one-paragraph summary of an ingest run plus anything rejected or skipped."""
    msg = (
        f"已处理 {report.files} 个文件：{report.documents} 篇文档，{report.chunks} 个分块，"
        f"新嵌入 {report.embedded} 个，未变化 {report.unchanged_files} 个文件，用时 {report.seconds:.1f} 秒。"
    )
    problems = [*rejected, *report.skipped]
    items = "".join(f"<li>{escape(name)}：{escape(reason)}</li>" for name, reason in problems)
    warn = f'<ul class="rejected">{items}</ul>' if items else ""
    return f'<div class="report">{escape(msg)}{warn}</div>'


def render_message(text: str, *, kind: str = "info") -> str:
    """A short status line (info, ok, error)."""
    return f'<div class="msg {escape(kind)}">{escape(text)}</div>'


# --- briefings: a small, safe Markdown subset ---------------------------------------------------

_HEADING = re.compile(r"^(#{1,6})\s+(.*)$")
_BULLET = re.compile(r"^\s*[-*+]\s+(.*)$")
_NUMBERED = re.compile(r"^\s*(\d{1,3})[.、)]\s+(.*)$")
_BOLD = re.compile(r"\*\*(.+?)\*\*")


def _inline(text: str) -> str:
    out = escape(text)
    out = _BOLD.sub(r"<strong>\1</strong>", out)
    return _MARKER.sub(r'<sup class="cite">[\1]</sup>', out)


def drop_section(markdown: str, heading: str) -> str:
    """Remove a '## heading' section (up to the next heading of the same or higher level)."""
    out: list[str] = []
    level = 0
    for line in markdown.splitlines():
        m = _HEADING.match(line)
        if level and m and len(m.group(1)) <= level:
            level = 0
        if not level and m and m.group(2).strip() == heading:
            level = len(m.group(1))
            continue
        if not level:
            out.append(line)
    return "\n".join(out)


def render_markdown_safe(markdown: str) -> str:
    """Render headings, lists, quotes, bold and [n] markers; everything else is text (no links, images)."""
    out: list[str] = []
    list_tag: str | None = None
    para: list[str] = []
    table: list[list[str]] = []

    def flush_para() -> None:
        if para:
            out.append("<p>" + "<br>".join(_inline(p) for p in para) + "</p>")
            para.clear()
        flush_table()

    def flush_table() -> None:
        if table:
            head, *body = table
            rows = "".join("<tr>" + "".join(f"<td>{_inline(c)}</td>" for c in r) + "</tr>" for r in body)
            out.append("<table><thead><tr>" + "".join(f"<th>{_inline(c)}</th>" for c in head)
                       + f"</tr></thead><tbody>{rows}</tbody></table>")
            table.clear()

    def close_list() -> None:
        nonlocal list_tag
        if list_tag:
            out.append(f"</{list_tag}>")
            list_tag = None

    for raw in markdown.splitlines():
        line = raw.rstrip()
        if not line.strip():
            flush_para()
            close_list()
            continue
        if line.lstrip().startswith("|") and line.rstrip().endswith("|"):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if not all(re.fullmatch(r":?-{2,}:?", c) for c in cells):  # skip the |---| separator row
                if para:
                    out.append("<p>" + "<br>".join(_inline(p) for p in para) + "</p>")
                    para.clear()
                close_list()
                table.append(cells)
            continue
        flush_table()
        if m := _HEADING.match(line):
            flush_para()
            close_list()
            level = len(m.group(1))
            out.append(f"<h{level}>{_inline(m.group(2))}</h{level}>")
        elif (m := _BULLET.match(line)) or (m2 := _NUMBERED.match(line)):
            flush_para()
            tag = "ul" if m else "ol"
            if list_tag != tag:
                close_list()
                out.append(f"<{tag}>")
                list_tag = tag
            item = m.group(1) if m else m2.group(2)  # type: ignore[union-attr]
            out.append(f"<li>{_inline(item)}</li>")
        elif line.lstrip().startswith(">"):
            flush_para()
            close_list()
            out.append(f"<blockquote>{_inline(line.lstrip()[1:].strip())}</blockquote>")
        else:
            close_list()
            para.append(line.strip())
    flush_para()
    close_list()
    return '<div class="md">' + "\n".join(out) + "</div>"


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
