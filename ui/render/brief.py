"""A briefing preview: its mode badge and the Brief as a small, safe subset of Markdown rendered to HTML."""

from __future__ import annotations

import re

from assistant.answering.citations import book_title
from assistant.briefing.model import TARGETS, Brief
from assistant.briefing.render import TARGET_COLUMNS, grouped_bullets
from assistant.display import MARKER, marker_numbers
from ui.render.markup import BOLD, escape


def render_brief_status(mode: str, notice: str | None = None) -> str:
    """Mode badge and notice above a briefing preview."""
    if mode == "llm":
        badge = '<span class="badge llm">生成式简报</span>'
    else:
        badge = '<span class="badge extractive">离线抽取式简报</span>'
    extra = f' <span class="notice">{escape(notice)}</span>' if notice else ""
    return f'<div class="status">{badge}{extra}</div>'


def _inline(text: str, anchor: str = "brief-src") -> str:
    out = escape(text)
    out = BOLD.sub(r"<strong>\1</strong>", out)

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
