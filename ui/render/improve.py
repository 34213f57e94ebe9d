"""The improvement tools' views: the answers and passages feedback is about, the feedback list, curated pairs,
the 命中测试 view, synonym groups."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from assistant.display import ANSWER_TYPES, explain_rows, format_time, score, section_path
from assistant.feedback.export import NO_LOGIN
from assistant.feedback.model import VERDICT_NAMES, CuratedPair, Feedback, best_sentence
from assistant.models import Answer
from assistant.text import plain
from ui.render.chat import approver_name
from ui.render.markup import escape


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
