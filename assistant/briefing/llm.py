"""Generative briefings: map (points per batch of sections) then reduce (one organised briefing).

The model only sees numbered passages (those holding the units the offline briefing chose, best first); its [n] markers are mapped back to the passages' chunks
and every bullet is verified afterwards like an extractive one. Figures for the targets table and
the differences between documents still come from code, never from the model.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from assistant.answering.citations import book_title, markers
from assistant.briefing.model import MEASURES, OVERVIEW, TARGETS, TASKS
from assistant.models import Chunk
from assistant.prompts import render
from assistant.tokens import count_tokens

Progress = Callable[[int, int, str], None]

_BULLET = re.compile(r"^\s*(?:[-*•]|\d{1,3}[.、)])\s*(.+)$")
_TAG = re.compile(r"^【(目标|任务|保障|概况)】\s*")
_MARKER = re.compile(r"\[(\d+(?:\s*[,，、]\s*\d+)*)\]")


def _part_of(heading: str) -> str:
    if "概述" in heading or "概况" in heading:
        return OVERVIEW
    if "目标" in heading or "指标" in heading:
        return TARGETS
    if "保障" in heading:
        return MEASURES
    return TASKS


def _passage(n: int, c: Chunk) -> str:
    where = " > ".join(c.section) or "正文"
    return f"[{n}] {book_title(c.title)} {where}（第{c.line_start}-{c.line_end}行）\n<<<资料开始\n{c.text}\n资料结束>>>"


def batches(chunks: list[Chunk], budget: int) -> list[list[int]]:
    """Passage numbers (1-based) packed into batches of at most `budget` tokens (one passage at least)."""
    out: list[list[int]] = []
    used = 0
    for n, c in enumerate(chunks, start=1):
        cost = count_tokens(_passage(n, c))
        if not out or (used + cost > budget and out[-1]):
            out.append([])
            used = 0
        out[-1].append(n)
        used += cost
    return out


def _text(reply) -> str:
    content = getattr(reply, "content", reply)
    if isinstance(content, list):  # content blocks
        return "".join(part.get("text", "") if isinstance(part, dict) else str(part) for part in content)
    return str(content)


def _trim(notes: list[str], budget: int) -> str:
    """Notes up to a token budget (later batches are less relevant: sections come best-first by document)."""
    kept: list[str] = []
    used = 0
    for line in notes:
        cost = count_tokens(line)
        if used + cost > budget:
            break
        kept.append(line)
        used += cost
    return "\n".join(kept)


def llm_sections(
    chat_model,
    topic: str,
    chunks: list[Chunk],
    registry,
    *,
    budget: int = 3000,
    progress: Progress | None = None,
    prompts_dir: Path | None = None,
) -> dict[str, list[tuple[str, str]]]:
    """Bullets per part as (text with final [n] markers, document title), via map-reduce."""
    report = progress or (lambda done, total, label: None)
    groups = batches(chunks, budget)
    total = len(groups) + 2
    notes: list[str] = []
    for i, group in enumerate(groups, start=1):
        report(i, total, f"提炼要点 {i}/{len(groups)}")
        sources = "\n\n".join(_passage(n, chunks[n - 1]) for n in group)
        reply = _text(chat_model.invoke(render("brief_map", prompts_dir=prompts_dir, topic=topic, sources=sources)))
        notes += [ln.strip() for ln in reply.splitlines() if _BULLET.match(ln)]
    report(len(groups) + 1, total, "汇总成文")
    prompt = render("brief_reduce", prompts_dir=prompts_dir, topic=topic, notes=_trim(notes, 2 * budget))
    text = ""
    for piece in chat_model.stream(prompt):
        text += _text(piece)
        report(len(groups) + 1, total, f"汇总成文（已生成 {len(text)} 字）")
    return _parse(text, chunks, registry)


def _parse(text: str, chunks: list[Chunk], registry) -> dict[str, list[tuple[str, str]]]:
    """The reduce reply as bullets per part, markers renumbered to the briefing's sources."""
    parts: dict[str, list[tuple[str, str]]] = {}
    current = OVERVIEW
    raw: list[tuple[str, str]] = []
    for line in text.splitlines():
        if line.lstrip().startswith("#"):
            current = _part_of(line)
            continue
        if m := _BULLET.match(line):
            raw.append((current, _TAG.sub("", m.group(1).strip())))
    # valid sources first, in order of citation; numbers the model made up come after them
    for _, bullet in raw:
        for n in markers(bullet):
            if 1 <= n <= len(chunks):
                registry.cite(chunks[n - 1], "")
    for part, bullet in raw:
        def renumber(m: re.Match[str]) -> str:
            out = []
            for piece in re.split(r"[,，、]", m.group(1)):
                n = int(piece)
                out.append(registry.cite(chunks[n - 1], "") if 1 <= n <= len(chunks) else registry.invalid_number(n))
            return "".join(f"[{x}]" for x in out)

        cited = [n for n in markers(bullet) if 1 <= n <= len(chunks)]
        title = chunks[cited[0] - 1].title if cited else ""
        parts.setdefault(part, []).append((_MARKER.sub(renumber, bullet), title))
    return parts
