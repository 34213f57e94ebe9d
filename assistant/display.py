"""How answers are shown to people, shared by the CLI and the web UI: citation numbers, locations, safe text.

Pure functions over the result types; nothing here prints or renders HTML.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from assistant.models import Answer, Citation

# every form a citation takes in an answer: [1], [1,2], [1，2], [1、2]; [1][2] is two markers
MARKER = re.compile(r"\[(\d{1,3}(?:\s*[,，、]\s*\d{1,3})*)\]")
_SPLIT = re.compile(r"\s*[,，、]\s*")

# terminal control: CSI (ESC [ … final), OSC (ESC ] … BEL/ST), other ESC sequences, then lone C0/C1 characters
_ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-Z\\-_]|\x9b[0-?]*[ -/]*[@-~]")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def format_time(stamp: str | None) -> str:
    """An ISO timestamp as local 'YYYY-MM-DD HH:MM'; other text unchanged."""
    from datetime import datetime

    if not stamp:
        return ""
    try:
        moment = datetime.fromisoformat(stamp)
    except ValueError:
        return stamp
    return (moment.astimezone() if moment.tzinfo else moment).strftime("%Y-%m-%d %H:%M")


def marker_numbers(group: str) -> list[int]:
    """The numbers inside one marker's brackets ("1，2" -> [1, 2])."""
    return [int(n) for n in _SPLIT.split(group.strip()) if n]


def renumber(answer: Answer) -> Answer:
    """A copy whose citations run 1..n in the order the answer first uses them (the text's markers follow).

    Sources the text never cites keep their order after the cited ones. The --json output keeps the
    core's numbers; people see these.
    """
    order: list[int] = []
    for m in MARKER.finditer(answer.answer):
        order += [n for n in marker_numbers(m.group(1)) if n not in order]
    order += [c.n for c in answer.citations if c.n not in order]
    new = {old: i for i, old in enumerate(order, 1)}
    if all(old == n for old, n in new.items()):
        return answer

    def mark(m: re.Match[str]) -> str:
        return "[" + ",".join(str(new.get(n, n)) for n in marker_numbers(m.group(1))) + "]"

    citations = sorted((replace(c, n=new.get(c.n, c.n)) for c in answer.citations), key=lambda c: c.n)
    return replace(answer, answer=MARKER.sub(mark, answer.answer), citations=citations)


def location_label(item: Citation | Any) -> str:
    """Where a cited passage sits, e.g. "第3页 第146–148行".

    The one place that words a location: when citations carry a `location` (ingest's Location:
    lines, page or paragraph), its own wording is used.
    """
    location = getattr(item, "location", None)
    if location is not None:
        label = location.label() if callable(getattr(location, "label", None)) else str(location)
        if label:
            return label
    parts = []
    page = getattr(item, "page", None)
    if page:
        parts.append(f"第{page}页")
    lines = list(getattr(item, "lines", None) or [])
    if lines:
        parts.append(f"第{lines[0]}行" if lines[0] == lines[-1] else f"第{lines[0]}–{lines[-1]}行")
    return " ".join(parts)


def section_path(item: Citation | Any, sep: str = " › ") -> str:
    """Title › chapter › section of a citation, whether or not its section already starts with the title."""
    title = getattr(item, "title", "") or ""
    section = getattr(item, "section", "") or ""
    parts = [p.strip() for p in section.split(" > ") if p.strip()]
    if title and (not parts or parts[0] != title):
        parts.insert(0, title)
    return sep.join(parts)


def terminal_safe(text: object) -> str:
    """Text from a document or a file name with terminal escape sequences and control characters removed."""
    return _CONTROL.sub("", _ANSI.sub("", str(text)))


# why ingest skipped a file, in Chinese (ingest words its reasons in English; Chinese ones pass through)
_SKIP_REASONS = (
    (re.compile(r"^unsupported type (.*)$"), "不支持的文件类型：{0}"),
    (re.compile(r"^file too large \((.*) > (.*)\)$"), "文件过大（{0}，上限 {1}）"),
    (re.compile(r"^no such file or directory$"), "文件不存在"),
    (re.compile(r"^is a directory, not a file$"), "这是文件夹，不是文件"),
    (re.compile(r"^cannot read(?: file)?: (.*)$"), "无法读取文件（{0}）"),
    (re.compile(r"^empty file$"), "文件为空"),
    (re.compile(r"^(.*) structure nested too deeply$"), "{0} 文件结构嵌套过深"),
    (re.compile(r"^no text (?:found in file|left after cleaning)$"), "文件中没有可提取的文字"),
    (re.compile(r"^cannot decode text.*$"), "无法识别文字编码（请另存为 UTF-8 或 GB18030）"),
    (re.compile(r"^binary file, not text$"), "二进制文件，不是文本"),
    (re.compile(r"^encrypted PDF, needs a password$"), "PDF 已加密，需要密码"),
    (re.compile(r"^PDF has no text layer.*$"), "PDF 没有文字层（可能是扫描件）"),
    (re.compile(r"^same file name as (.*?); rename one of them$"), "与 {0} 同名，请改名后再导入"),
)
_PATH = re.compile(r"(?:[A-Za-z]:)?(?:[\\/][^\\/\s:;,，；）)]+)+[\\/]([^\\/\s:;,，；）)]+)")


def without_paths(text: str) -> str:
    """Text with file-system paths cut to their last part (a server's folders are nobody's business)."""
    return _PATH.sub(lambda m: m.group(1), text)


def skip_reason(reason: str) -> str:
    """Why a file was skipped, in Chinese and without server paths."""
    text = reason.strip()
    for pattern, chinese in _SKIP_REASONS:
        if m := pattern.match(text):
            return without_paths(chinese.format(*m.groups()))
    if re.search(r"[\u3400-\u9fff]", text):
        return without_paths(text)
    return without_paths(f"无法导入（{text}）")


# the question frame's answer types as people read them
ANSWER_TYPES = {"quantity": "数量", "list": "列举", "date": "日期", "metadata": "文件信息", "structure": "文件结构",
                "description": "描述", "entity": "名称", "yesno": "是否", "fact": "事实"}


def score(value: Any, digits: int = 4) -> str:
    """A score as shown to people (the CLI and the 命中测试 view print the same digits); — when absent."""
    return "—" if value is None else f"{float(value):.{digits}f}"


def explain_rows(explain: dict[str, Any]) -> list[list[str]]:
    """The ranked passages of an explanation as rows (rank, title › section, lines, lexical (rank), dense (rank),
    fused): what `assistant ask --explain` prints and the 命中测试 view shows."""
    rows = []
    for s in explain.get("sources", []):
        lex = score(s.get("lexical")) + (f"（第{s['lexical_rank']}）" if s.get("lexical_rank") else "")
        dense = score(s.get("dense")) + (f"（第{s['dense_rank']}）" if s.get("dense_rank") else "")
        where = " › ".join(x for x in (s.get("title", ""), *str(s.get("section", "")).split(" > ")) if x)
        lines = s.get("lines") or [0, 0]
        rows.append([str(s.get("n")), where, f"{lines[0]}–{lines[-1]}", lex, dense, score(s.get("fused"))])
    return rows


def explain_lines(explain: dict[str, Any]) -> list[str]:
    """An explanation as lines of Chinese text for the terminal: frame, routing, passages, decisions, curated."""
    frame = explain.get("frame", {})
    scope = frame.get("scope", {})
    kind = ANSWER_TYPES.get(frame.get("answer_type", ""), frame.get("answer_type", ""))
    named = [f"{k}：{'、'.join(map(str, v))}" for k, v in (
        ("地区", scope.get("places")), ("年份", scope.get("years")), ("报告年份", scope.get("document_years")),
        ("文档类别", scope.get("kinds")), ("点名的文档", scope.get("documents"))) if v]
    lines = [
        "问题解析：答案类型 " + str(kind) + ("（要数字）" if frame.get("wants_number") else "")
        + "；关键词 " + ("、".join(frame.get("terms", [])) or "无") + "；范围 " + ("；".join(named) or "未限定"),
    ]
    for f in frame.get("facets", []):
        lines.append(f"  分项：{f.get('label') or f.get('text')}")
    lines.append("文档路由：" + ("；".join(f"{r['title']} {score(r['weight'], 3)}" for r in explain.get("routing", []))
                             or "无"))
    lines.append("检索到的段落（序号 文档 › 章节 行 词汇得分 向量得分 融合得分）：")
    lines += ["  " + " ".join(r) for r in explain_rows(explain)]
    lines.append("作答判断：")
    for d in explain.get("decision", []):
        lines.append(f"  {d.get('facet')}：{d.get('why')}（可答概率 {score(d.get('p_answer'), 3)}，阈值 "
                     f"{score(d.get('threshold'), 3)}；最佳句 {score(d.get('best_unit'), 3)}，下限 "
                     f"{score(d.get('unit_floor'), 3)}）")
    curated = explain.get("curated") or {}
    if curated:
        lines.append(f"标准问答：{curated.get('why', '')}")
    return lines
