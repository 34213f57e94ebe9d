"""Escaping for the two places text is shown: gr.HTML panels and Markdown chat bubbles; a status line."""

from __future__ import annotations

import html
import re

# characters that Markdown, LaTeX or a JS/Handlebars template could interpret (chat bubbles)
_MD_SPECIAL = set("\\`*_{}[]()#+-.!|~<>&$\"'=:")
# gr.HTML values pass through a JS template: neutralise ${...}, {{...}} and backticks as well
_HTML_EXTRA = {"$": "&#36;", "{": "&#123;", "}": "&#125;", "`": "&#96;"}

# Markdown bold (**7.5%**), as converted text and generated briefings carry it
BOLD = re.compile(r"\*\*(.+?)\*\*")


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


def render_message(text: str, *, kind: str = "info") -> str:
    """A short status line (info, ok, error)."""
    return f'<div class="msg {escape(kind)}">{escape(text)}</div>'
