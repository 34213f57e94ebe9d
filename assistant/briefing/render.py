"""A Brief as Markdown (with a sources list), a Word document (python-docx) or JSON."""

from __future__ import annotations

import json
from pathlib import Path

from assistant.answering.citations import book_title, strip_markers
from assistant.briefing.model import NOT_COVERED, TARGETS, Brief, BriefSection, TargetRow
from assistant.models import Citation

_TARGET_HEADER = ("指标", "目标值", "年份/时期", "来源")
_MD_TARGET_HEADER = ("指标", "基期", "目标值", "年份/时期", "属性", "来源")
_DIFF_HEADER = ("指标", "年份/时期", "文件", "目标值", "来源")
SUFFIXES = (".md", ".docx", ".json")


def _cell(text: str) -> str:
    return text.replace("|", "｜").replace("\n", " ").strip()


def _where(c: Citation) -> str:
    """The file and where the cited passage is in it (规划.pdf 第3页, 报告.txt 第146–148行)."""
    return " ".join(p for p in (c.source, c.location.label() if c.location else "") if p)


def grouped_bullets(section: BriefSection) -> list[tuple[str, list[tuple[str, bool]]]]:
    """Bullets grouped by document, in order, when a part draws on more than one document."""
    groups: list[tuple[str, list[tuple[str, bool]]]] = []
    docs = section.documents if len(section.documents) == len(section.bullets) else [""] * len(section.bullets)
    flags = section.verified if len(section.verified) == len(section.bullets) else [True] * len(section.bullets)
    for bullet, doc, ok in zip(section.bullets, docs, flags, strict=True):
        if not groups or groups[-1][0] != doc:
            groups.append((doc, []))
        groups[-1][1].append((bullet, ok))
    return groups


def brief_to_markdown(brief: Brief) -> str:
    """Headings per part, the targets table, differences, and the sources with line ranges."""

    out = [f"# 简报：{brief.topic}", ""]
    if not brief.covered:
        out += [f"{brief.notice or NOT_COVERED}。", ""]
        return "\n".join(out)
    if brief.notice:
        out += [f"> {brief.notice}", ""]
    docs = list(dict.fromkeys(t for t, _ in brief.scope))
    if docs:
        out += [f"依据 {len(docs)} 份文件、{len(brief.scope)} 个章节：" + "；".join(book_title(d) for d in docs), ""]
    for section in brief.sections:
        out += [f"## {section.title}", ""]
        groups = grouped_bullets(section)
        several = len({d for d, _ in groups if d}) > 1
        for doc, items in groups:
            if several and doc:
                out += [f"**{doc}**", ""]
            out += [f"- {b}" + ("" if ok else "（引用未核实）") for b, ok in items]
            out.append("")
        if section.title == TARGETS and brief.targets:
            out += _targets_table(brief)
    if brief.targets and not any(s.title == TARGETS for s in brief.sections):
        out += ["## 主要目标与指标", "", *_targets_table(brief)]
    out += ["## 来源", ""]
    for c in brief.sources:
        where = " > ".join(x for x in (c.section,) if x) or "（无效引用）"
        flag = "" if c.verified else f"（未核实：{c.problem}）"
        out.append(f"{c.n}. {where}（{_where(c)}）{flag}")
        if c.quote:
            out.append(f"   > {c.quote[:300]}")
    out.append("")
    return "\n".join(out)


TARGET_COLUMNS = _MD_TARGET_HEADER


def _targets_table(brief: Brief) -> list[str]:
    out = ["| " + " | ".join(_MD_TARGET_HEADER) + " |", "|" + "---|" * len(_MD_TARGET_HEADER)]
    for t in brief.targets:
        out.append(f"| {_cell(t.indicator)} | {_cell(t.baseline)} | {_cell(t.value)} | {_cell(t.period)} | "
                   f"{_cell(t.attribute)} | [{t.n}] |")
    out.append("")
    return out


def _target_text(t: TargetRow) -> str:
    return " ".join(x for x in (t.indicator, t.baseline, t.value, t.period, t.attribute) if x)


def body_text(brief: Brief, *, headings: bool = True) -> str:
    """What a briefing says, without its sources: bullets (markers dropped), target rows and differences;
    with the part headings and document names when `headings`."""
    out: list[str] = []
    for section in brief.sections:
        if headings:
            out.append(section.title)
        for doc, items in grouped_bullets(section):
            if headings and doc:
                out.append(doc)
            out += [strip_markers(b) for b, _ in items]
        if section.title == TARGETS:
            out += [_target_text(t) for t in brief.targets]
    if brief.targets and not any(s.title == TARGETS for s in brief.sections):
        out += ([TARGETS] if headings else []) + [_target_text(t) for t in brief.targets]
    return "\n".join(out)


def save_brief(brief: Brief, path: str | Path, *, author: str | None = None) -> Path:
    """Write .md, .docx or .json by the file's extension; anything else is a ValueError.

    A .docx is laid out as an official document (assistant/briefing/word.py), with `author` as its author.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise ValueError(
            f"unsupported briefing format {suffix or '(none)'!r} for {path.name}: use .md, .docx or .json"
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".md":
        path.write_text(brief_to_markdown(brief), encoding="utf-8")
    elif suffix == ".json":
        path.write_text(json.dumps(brief.to_dict(), ensure_ascii=False, indent=1), encoding="utf-8")
    else:
        from assistant.briefing.word import brief_to_docx

        if author:
            brief_to_docx(brief, path, author=author)
        else:
            brief_to_docx(brief, path)
    return path
