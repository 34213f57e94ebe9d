"""Write evaluation reports: report.json (everything), report.md and a self-contained report.html."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Any

from eval import charts, labels
from eval.results import BriefingReport, EvalReport, ItemResult

_CSS = """
body{font-family:system-ui,"Noto Sans CJK SC","WenQuanYi Micro Hei",sans-serif;margin:2em;color:#222}
table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:4px 8px;vertical-align:top}
th{background:#f3f3f3}td.num{text-align:right;font-variant-numeric:tabular-nums}
.note{color:#666}.judged{font-style:italic}img{max-width:100%}
"""


@dataclass
class ReportFiles:
    json: Path
    markdown: Path
    html: Path


def fmt(value: float | None, *, digits: int = 3) -> str:
    """A score for tables: fixed digits, or an em dash when it does not apply."""
    return "—" if value is None else f"{value:.{digits}f}"


def write_report(
    out_dir: Path, reports: Sequence[EvalReport], *, compare_key: str | None = None
) -> ReportFiles:
    """Write report.json, report.md and report.html for one run or a comparison of several."""
    out_dir.mkdir(parents=True, exist_ok=True)
    files = ReportFiles(out_dir / "report.json", out_dir / "report.md", out_dir / "report.html")
    payload = {"compare": compare_key, "runs": [r.to_dict() for r in reports]}
    files.json.write_text(json.dumps(payload, ensure_ascii=False, indent=2, default=str), encoding="utf-8")
    files.markdown.write_text(render_markdown(reports), encoding="utf-8")
    files.html.write_text(render_html(reports, compare_key=compare_key), encoding="utf-8")
    return files


def metric_rows(reports: Sequence[EvalReport]) -> list[tuple[str, list[str]]]:
    """(metric, value per report) rows, aligned even when k differs between runs."""
    names = list(dict.fromkeys(name for r in reports for name in r.metrics()))
    return [(name, [fmt(r.metrics().get(name)) for r in reports]) for name in names]


def _metric_rows(reports: Sequence[EvalReport]) -> list[list[str]]:
    return [[labels.metric(n), *v] for n, v in metric_rows(reports)]


def _type_rows(r: EvalReport) -> list[list[str]]:
    return [[labels.question_type(t), str(s.n), *(fmt(v) for v in s.metrics(r.k).values())]
            for t, s in r.by_type.items()]


def _latency_rows(r: EvalReport) -> list[list[str]]:
    return [[labels.stage(s), str(v.n), fmt(v.p50, digits=0), fmt(v.p95, digits=0), fmt(v.mean, digits=0)]
            for s, v in r.latency.items()]


_LATENCY_HEADER = ["阶段", "题数", "中位数", "95 分位", "平均"]


def render_markdown(reports: Sequence[EvalReport]) -> str:
    """The report as Markdown, in Chinese: scores per configuration, per type, latency and failed items."""
    first = reports[0]
    lines = [f"# 评测报告：{first.suite}", "", f"共 {len(first.items)} 题，每题检索 {first.k} 段。", ""]
    lines += _md_table(["指标", *(r.label for r in reports)], _metric_rows(reports))
    for r in reports:
        lines += ["", f"## {r.label}", ""]
        lines += [f"> {note}" for note in r.notes]
        lines += _md_table(["题型", "题数", *(labels.metric(m) for m in r.overall.metrics(r.k))], _type_rows(r))
        lines += ["", "用时（毫秒）：", ""]
        lines += _md_table(_LATENCY_HEADER, _latency_rows(r))
        if r.suite_errors:
            lines += ["", "评测集中格式有误、已跳过的行：", ""] + [f"- {e}" for e in r.suite_errors]
        failed = r.failed()
        lines += ["", f"未通过的题目：{len(failed)} 题", ""]
        lines += _md_table(
            ["编号", "问题", "参考答案", "回答", "原因", "检索到的来源"],
            [
                [i.id, i.question, i.expected, i.answer, "；".join(i.failures()), _sources(i, "；")]
                for i in failed
            ],
        )
    return "\n".join(lines) + "\n"


def _md_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    def cell(text: str) -> str:
        return " ".join(str(text).split()).replace("|", "\\|")

    out = ["| " + " | ".join(cell(h) for h in header) + " |", "|" + "---|" * len(header)]
    return out + ["| " + " | ".join(cell(c) for c in row) + " |" for row in rows]


def _sources(item: ItemResult, sep: str) -> str:
    return sep.join(f"[{s.rank}] {s.label}" for s in item.sources)


def render_html(reports: Sequence[EvalReport], *, compare_key: str | None = None) -> str:
    """A single HTML file in Chinese: tables, embedded PNG charts and the failed items; all text escaped."""
    first = reports[0]
    parts = [f"<h1>评测报告：{escape(first.suite)}</h1>"]
    parts.append(
        f"<p>共 {len(first.items)} 题，每题检索 {first.k} 段"
        + (f"；对比设置 {escape(compare_key)}" if compare_key else "")
        + "。</p>"
    )
    parts.append(_html_table(["指标", *(r.label for r in reports)], _metric_rows(reports), judged_col=0))
    if len(reports) > 1:
        parts.append(_img(charts.config_comparison(reports), "配置对比"))
    parts.append(_img(charts.latency_distribution(reports), "用时分布"))
    for r in reports:
        parts.append(f"<h2>{escape(r.label)}</h2>")
        parts += [f'<p class="note">{escape(n)}</p>' for n in r.notes]
        header = ["题型", "题数", *(labels.metric(m) for m in r.overall.metrics(r.k))]
        parts.append(_html_table(header, _type_rows(r)))
        parts.append(_img(charts.scores_by_type(r), f"按题型的得分（{r.label}）"))
        parts.append("<h3>用时（毫秒）</h3>" + _html_table(_LATENCY_HEADER, _latency_rows(r)))
        if r.suite_errors:
            errs = "".join(f"<li>{escape(str(e))}</li>" for e in r.suite_errors)
            parts.append(f"<h3>评测集中格式有误、已跳过的行</h3><ul>{errs}</ul>")
        failed = r.failed()
        parts.append(f"<h3>未通过的题目（{len(failed)}）</h3>")
        parts.append(
            _html_table(
                ["编号", "题型", "问题", "参考答案", "回答", "原因", "检索到的来源"],
                [
                    [i.id, labels.question_type(i.type), i.question, i.expected, i.answer,
                     "；".join(i.failures()), _sources(i, "\n")]
                    for i in failed
                ],
                css_class="failed",
            )
        )
    return _page(f"评测报告：{first.suite}", "".join(parts))


def _html_table(
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    css_class: str = "",
    judged_col: int | None = None,
) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in header)
    body = []
    for row in rows:
        judged = judged_col is not None and "模型评判" in str(row[judged_col])
        cells = "".join(
            f'<td class="num">{escape(c)}</td>'
            if _numeric(c)
            else f"<td>{escape(c).replace(chr(10), '<br>')}</td>"
            for c in map(str, row)
        )
        body.append(f'<tr class="judged">{cells}</tr>' if judged else f"<tr>{cells}</tr>")
    cls = f' class="{css_class}"' if css_class else ""
    return f"<table{cls}><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _numeric(text: str) -> bool:
    return text == "—" or text.replace(".", "", 1).isdigit()


def _img(b64: str, alt: str) -> str:
    return f'<p><img alt="{escape(alt)}" src="data:image/png;base64,{b64}"></p>'


def _page(title: str, body: str) -> str:
    return (
        '<!DOCTYPE html><html lang="zh"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title><style>{_CSS}</style></head><body>{body}</body></html>\n"
    )


def write_briefing_report(out_dir: Path, report: BriefingReport) -> ReportFiles:
    """Write the coverage report of a briefing suite (json, md, html), in Chinese, with the figure checks."""
    out_dir.mkdir(parents=True, exist_ok=True)
    files = ReportFiles(out_dir / "report.json", out_dir / "report.md", out_dir / "report.html")
    files.json.write_text(
        json.dumps(report.to_dict(), ensure_ascii=False, indent=2, default=str), encoding="utf-8"
    )
    rows = [
        [t.id, t.topic, f"{sum(t.covered)}/{len(t.covered)}", fmt(t.coverage),
         "" if t.body_chars is None else str(t.body_chars), str(t.target_rows), str(len(t.mislabelled)),
         str(t.differences), str(len(t.false_differences)), str(t.unverified), f"{t.seconds:.2f}", t.error or ""]
        for t in report.topics
    ]
    header = ["编号", "主题", "已覆盖", "覆盖率", "正文字数", "指标行", "误标目标", "差异", "虚假差异", "未核实引用",
              "用时（秒）", "错误"]
    scores = report.metrics()
    checks = (
        f"数字核查：误标目标 {fmt(scores['mislabelled_targets'], digits=0)} 行"
        "（目标行的数值必须位于其文件的目标列中）；"
        f"虚假差异 {fmt(scores['false_differences'], digits=0)} 处"
        "（差异只比较不同文件中同一指标、同一地区、同一年份的目标）；"
        f"重复指标行 {fmt(scores['duplicate_target_rows'], digits=0)} 行；"
        f"未核实引用 {fmt(scores['unverified_citations'], digits=0)} 处；"
        f"正文字数平均 {fmt(scores['body_chars_mean'], digits=0)}，最多 {fmt(scores['body_chars_max'], digits=0)}。"
    )
    md = [
        f"# 简报评测报告：{report.suite}",
        "",
        f"总体要点覆盖率：{fmt(report.coverage)}",
        "",
        checks,
        "",
    ]
    md += _md_table(header, rows)
    missed = [[t.id, p] for t in report.topics for p, ok in zip(t.points, t.covered, strict=True) if not ok]
    md += ["", "未覆盖的要点：", ""] + _md_table(["编号", "要点"], missed)
    wrong = [[t.id, w] for t in report.topics for w in (*t.mislabelled, *t.false_differences)]
    if wrong:
        md += ["", "误标目标与虚假差异：", ""] + _md_table(["编号", "问题"], wrong)
    files.markdown.write_text("\n".join(md) + "\n", encoding="utf-8")
    html = [
        f"<h1>简报评测报告：{escape(report.suite)}</h1>",
        f"<p>总体要点覆盖率：{fmt(report.coverage)}</p>",
        f"<p>{escape(checks)}</p>",
        *(f'<p class="note">{escape(n)}</p>' for n in report.notes),
        _html_table(header, rows),
        _img(charts.briefing_coverage(report), "各主题要点覆盖率"),
        "<h2>未覆盖的要点</h2>",
        _html_table(["编号", "要点"], missed, css_class="failed"),
    ]
    if wrong:
        html += ["<h2>误标目标与虚假差异</h2>", _html_table(["编号", "问题"], wrong, css_class="failed")]
    files.html.write_text(_page(f"简报评测报告：{report.suite}", "".join(html)), encoding="utf-8")
    return files


def summary_rows(report: EvalReport | BriefingReport) -> list[tuple[str, Any]]:
    """(metric, value) pairs for a console summary."""
    return list(report.metrics().items())
