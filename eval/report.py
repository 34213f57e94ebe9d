"""Write evaluation reports: report.json (everything), report.md and a self-contained report.html."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Any

from eval import charts
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


def render_markdown(reports: Sequence[EvalReport]) -> str:
    """The report as Markdown: scores per configuration, per type, latency and failed items."""
    first = reports[0]
    lines = [f"# Evaluation: {first.suite}", "", f"{len(first.items)} items, k={first.k}.", ""]
    lines += _md_table(["metric", *(r.label for r in reports)], [[n, *v] for n, v in metric_rows(reports)])
    for r in reports:
        lines += ["", f"## {r.label}", ""]
        lines += [f"> {note}" for note in r.notes]
        rows = [[t, str(s.n), *(fmt(v) for v in s.metrics(r.k).values())] for t, s in r.by_type.items()]
        lines += _md_table(["type", "n", *r.overall.metrics(r.k)], rows)
        lines += ["", "Latency (ms):", ""]
        lines += _md_table(
            ["stage", "n", "p50", "p95", "mean"],
            [
                [s, str(v.n), fmt(v.p50, digits=0), fmt(v.p95, digits=0), fmt(v.mean, digits=0)]
                for s, v in r.latency.items()
            ],
        )
        if r.suite_errors:
            lines += ["", "Malformed suite rows (skipped):", ""] + [f"- {e}" for e in r.suite_errors]
        failed = r.failed()
        lines += ["", f"Failed items: {len(failed)}", ""]
        lines += _md_table(
            ["id", "question", "expected", "answered", "why", "sources"],
            [
                [i.id, i.question, i.expected, i.answer, "; ".join(i.failures()), _sources(i, "; ")]
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
    """A single HTML file: tables, embedded PNG charts and the failed items; all text escaped."""
    first = reports[0]
    parts = [f"<h1>Evaluation: {escape(first.suite)}</h1>"]
    parts.append(
        f"<p>{len(first.items)} items, k={first.k}"
        + (f", comparing {escape(compare_key)}" if compare_key else "")
        + "</p>"
    )
    parts.append(
        _html_table(
            ["metric", *(r.label for r in reports)], [[n, *v] for n, v in metric_rows(reports)], judged_col=0
        )
    )
    if len(reports) > 1:
        parts.append(_img(charts.config_comparison(reports), "configuration comparison"))
    parts.append(_img(charts.latency_distribution(reports), "latency distribution"))
    for r in reports:
        parts.append(f"<h2>{escape(r.label)}</h2>")
        parts += [f'<p class="note">{escape(n)}</p>' for n in r.notes]
        header = ["type", "n", *r.overall.metrics(r.k)]
        rows = [[t, str(s.n), *(fmt(v) for v in s.metrics(r.k).values())] for t, s in r.by_type.items()]
        parts.append(_html_table(header, rows))
        parts.append(_img(charts.scores_by_type(r), f"scores by question type, {r.label}"))
        lat = [
            [s, str(v.n), fmt(v.p50, digits=0), fmt(v.p95, digits=0), fmt(v.mean, digits=0)]
            for s, v in r.latency.items()
        ]
        parts.append("<h3>Latency (ms)</h3>" + _html_table(["stage", "n", "p50", "p95", "mean"], lat))
        if r.suite_errors:
            errs = "".join(f"<li>{escape(str(e))}</li>" for e in r.suite_errors)
            parts.append(f"<h3>Malformed suite rows (skipped)</h3><ul>{errs}</ul>")
        failed = r.failed()
        parts.append(f"<h3>Failed items ({len(failed)})</h3>")
        parts.append(
            _html_table(
                ["id", "type", "question", "expected answer", "answered", "why", "retrieved sources"],
                [
                    [
                        i.id,
                        i.type,
                        i.question,
                        i.expected,
                        i.answer,
                        "; ".join(i.failures()),
                        _sources(i, "\n"),
                    ]
                    for i in failed
                ],
                css_class="failed",
            )
        )
    return _page(f"Evaluation: {first.suite}", "".join(parts))


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
        judged = judged_col is not None and "(judged)" in str(row[judged_col])
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
    """Write the coverage report of a briefing suite (json, md, html)."""
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
    header = ["id", "topic", "covered", "coverage", "body chars", "target rows", "mislabelled", "differences",
              "false differences", "unverified", "seconds", "error"]
    scores = report.metrics()
    checks = (
        f"Figure checks: {fmt(scores['mislabelled_targets'], digits=0)} mislabelled target rows "
        "(a target row's figure must stand in a target column of its document), "
        f"{fmt(scores['false_differences'], digits=0)} false differences "
        "(differences only between documents for the same indicator, place and period), "
        f"{fmt(scores['duplicate_target_rows'], digits=0)} duplicate target rows, "
        f"{fmt(scores['unverified_citations'], digits=0)} unverified citations; "
        f"body characters mean {fmt(scores['body_chars_mean'], digits=0)}, max {fmt(scores['body_chars_max'], digits=0)}."
    )
    md = [
        f"# Briefing coverage: {report.suite}",
        "",
        f"Overall key-point coverage: {fmt(report.coverage)}",
        "",
        checks,
        "",
    ]
    md += _md_table(header, rows)
    missed = [[t.id, p] for t in report.topics for p, ok in zip(t.points, t.covered, strict=True) if not ok]
    md += ["", "Key points not covered:", ""] + _md_table(["id", "key point"], missed)
    wrong = [[t.id, w] for t in report.topics for w in (*t.mislabelled, *t.false_differences)]
    if wrong:
        md += ["", "Mislabelled targets and false differences:", ""] + _md_table(["id", "finding"], wrong)
    files.markdown.write_text("\n".join(md) + "\n", encoding="utf-8")
    html = [
        f"<h1>Briefing coverage: {escape(report.suite)}</h1>",
        f"<p>Overall key-point coverage: {fmt(report.coverage)}</p>",
        f"<p>{escape(checks)}</p>",
        *(f'<p class="note">{escape(n)}</p>' for n in report.notes),
        _html_table(header, rows),
        _img(charts.briefing_coverage(report), "coverage by topic"),
        "<h2>Key points not covered</h2>",
        _html_table(["id", "key point"], missed, css_class="failed"),
    ]
    if wrong:
        html += ["<h2>Mislabelled targets and false differences</h2>",
                 _html_table(["id", "finding"], wrong, css_class="failed")]
    files.html.write_text(_page(f"Briefing coverage: {report.suite}", "".join(html)), encoding="utf-8")
    return files


def summary_rows(report: EvalReport | BriefingReport) -> list[tuple[str, Any]]:
    """(metric, value) pairs for a console summary."""
    return list(report.metrics().items())
