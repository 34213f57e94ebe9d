"""The 评测 tab's work: load a suite, run it through eval/, and turn the report into UI pieces."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ui import render
from ui.views import EvalView

Progress = Callable[[int, int, str], None]


def _img(b64: str, alt: str) -> str:
    return f'<img class="chart" alt="{render.escape(alt)}" src="data:image/png;base64,{b64}">'


def run_suite_for_ui(assistant: Any, target: str | Path, *, progress: Progress | None = None) -> Any:
    """Run a question or briefing suite and return an EvalView (metrics, chart, failures, report file)."""
    from eval.suite import SuiteNotFound, is_briefing_suite, resolve_suite

    try:
        path = resolve_suite(target)
    except SuiteNotFound as exc:
        return EvalView("", message_html=render.render_message(str(exc), kind="error"))
    out_dir = Path(tempfile.mkdtemp(prefix="eval-"))
    if is_briefing_suite(path):
        return _run_briefings(assistant, path, out_dir, progress)
    return _run_questions(assistant, path, out_dir, progress)


def _run_questions(assistant: Any, path: Path, out_dir: Path, progress: Progress | None) -> Any:
    from eval import charts, labels
    from eval.report import write_report
    from eval.runner import run_suite
    from eval.suite import load_suite

    suite = load_suite(path)
    if not suite.items:
        errors = "；".join(str(e) for e in suite.errors[:5])
        return EvalView(
            "", message_html=render.render_message(f"评测集没有可用的题目。{errors}", kind="error")
        )
    k = getattr(getattr(assistant, "settings", None), "top_k", 5)
    report = run_suite(
        assistant, suite.items, k=k, progress=progress, suite=suite.name, suite_errors=suite.errors
    )
    files = write_report(out_dir, [report])
    by_type = [
        {
            "题型": labels.question_type(t),
            "题数": s.n,
            **{labels.metric(name): value for name, value in s.metrics(report.k).items() if value is not None},
        }
        for t, s in report.by_type.items()
    ]
    failed = [
        {
            "编号": i.id,
            "题型": labels.question_type(i.type),
            "问题": i.question,
            "参考答案": i.expected,
            "回答": i.answer[:300],
            "原因": "；".join(i.failures()),
        }
        for i in report.failed()
    ]
    notes = [*report.notes, *(f"跳过格式错误的行：{e}" for e in report.suite_errors)]
    message = (
        f"评测集 {suite.name}：{len(report.items)} 题，未通过 {len(failed)} 题，用时 {report.seconds:.1f} 秒。"
    )
    metrics = {labels.metric(name): value for name, value in report.metrics().items() if value is not None}
    return EvalView(
        render.render_metrics(metrics),
        by_type_html="<h4>按题型</h4>" + render.render_table(by_type),
        failures_html=f"<h4>未通过的题目（{len(failed)}）</h4>" + render.render_table(failed),
        charts_html=_img(charts.scores_by_type(report), "按题型的得分"),
        report_path=str(files.html),
        message_html=render.render_message(message + " ".join(notes), kind="ok"),
    )


def _run_briefings(assistant: Any, path: Path, out_dir: Path, progress: Progress | None) -> Any:
    from eval import charts, labels
    from eval.report import write_briefing_report
    from eval.runner import run_briefing_suite
    from eval.suite import load_briefing_suite

    suite = load_briefing_suite(path)
    report = run_briefing_suite(
        assistant, suite.topics, progress=progress, suite=suite.name, suite_errors=suite.errors
    )
    files = write_briefing_report(out_dir, report)
    topics = [
        {"编号": t.id, "主题": t.topic, "覆盖": f"{sum(t.covered)}/{len(t.covered)}", "错误": t.error or ""}
        for t in report.topics
    ]
    missed = [
        {"编号": t.id, "未覆盖要点": p}
        for t in report.topics
        for p, ok in zip(t.points, t.covered, strict=True)
        if not ok
    ]
    return EvalView(
        render.render_metrics({labels.metric("coverage"): report.coverage}),
        by_type_html=render.render_table(topics),
        failures_html=f"<h4>未覆盖的要点（{len(missed)}）</h4>" + render.render_table(missed),
        charts_html=_img(charts.briefing_coverage(report), "要点覆盖率"),
        report_path=str(files.html),
        message_html=render.render_message(
            f"简报评测 {suite.name}：{len(report.topics)} 个主题。", kind="ok"
        ),
    )
