"""A chat answer: its bubble with linked citation markers, the status line above it, its sources panel, the
plain text to copy."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from assistant.display import MARKER, format_time, location_label, marker_numbers, section_path
from assistant.models import Answer, Citation, CuratedInfo
from ui.render.markup import BOLD, escape, escape_multiline

NOT_FOUND = "文档中未提及"


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
        if rest.startswith(NOT_FOUND):  # "文档中未提及。知识库中没有…": the reason under the heading
            rest = rest[len(NOT_FOUND) :].lstrip("。. ")
            body = link_markers(rest, answer.citations, anchor=answer_anchor(turn))
        if not rest:
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
    return BOLD.sub(r"\1", text)


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
