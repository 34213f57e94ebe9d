"""Report charts as base64 PNG (matplotlib Agg), with a CJK font when one is installed."""

from __future__ import annotations

import base64
import io
import logging
import shutil
import subprocess
import warnings
from collections.abc import Sequence
from functools import cache

from eval import labels
from eval.results import BriefingReport, EvalReport

# metrics drawn per type and per configuration (higher is better)
CHART_METRICS = ("hit@1", "hit@k", "mrr", "must_include", "citation_accuracy", "abstention_recall")


@cache
def cjk_font() -> str | None:
    """Family name of an installed font covering Chinese (fc-list :lang=zh), or None."""
    if shutil.which("fc-list") is None:
        return None
    try:
        out = subprocess.run(
            ["fc-list", ":lang=zh", "family"], capture_output=True, text=True, timeout=10, check=False
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    families = [line.split(",")[0].strip() for line in out.splitlines() if line.strip()]
    if not families:
        return None
    from matplotlib import font_manager

    known = {f.name for f in font_manager.fontManager.ttflist}
    families.sort(key=lambda f: "Mono" in f)  # proportional first
    return next((f for f in families if f in known), None)


def _pyplot():
    import matplotlib

    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    font = cjk_font()
    plt.rcParams["font.sans-serif"] = [font, "DejaVu Sans"] if font else ["DejaVu Sans"]
    plt.rcParams["axes.unicode_minus"] = False
    return plt


def _png(fig) -> str:
    buf = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # never spam "missing glyph" warnings
        fig.savefig(buf, format="png", dpi=96, bbox_inches="tight")
    import matplotlib.pyplot as plt

    plt.close(fig)
    return base64.b64encode(buf.getvalue()).decode("ascii")


def _metric(report: EvalReport, name: str, scores=None) -> float | None:
    """A score, or None where it does not apply (no bar is drawn for it)."""
    values = (scores or report.overall).metrics(report.k)
    return values.get(f"hit@{report.k}" if name == "hit@k" else name)


def _label(text: str, width: int = 14) -> str:
    """A label wrapped every `width` characters, so long Chinese names stay readable (and never overlap)."""
    return "\n".join(text[i : i + width] for i in range(0, len(text), width)) or text


def _metric_name(report_k: int, name: str) -> str:
    """A chart's metric label: its Chinese name with a CJK font, else the key."""
    key = f"hit@{report_k}" if name == "hit@k" else name
    return labels.metric(key) if cjk_font() else key


def _hbars(
    title: str, groups: Sequence[str], series: dict[str, list[float | None]], *, xlabel: str = "得分"
) -> str:
    """Horizontal grouped bars with their values: labels sit on the y axis and cannot collide.

    A score that does not apply (None) gets no bar; the legend sits to the right of the plot.
    """
    plt = _pyplot()
    logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)
    n = max(1, len(series))
    height = 0.8 / n
    fig, ax = plt.subplots(figsize=(7.5, max(2.2, 0.8 + len(groups) * (0.2 + 0.22 * n))))
    for i, (name, values) in enumerate(series.items()):
        shown = [(g + i * height, v) for g, v in enumerate(values) if v is not None]
        bars = ax.barh([y for y, _ in shown], [v for _, v in shown], height=height * 0.9, label=name)
        ax.bar_label(bars, labels=[f"{v:.2f}" for _, v in shown], fontsize=7, padding=2)
    ax.set_yticks([g + height * (n - 1) / 2 for g in range(len(groups))], [_label(g) for g in groups])
    ax.invert_yaxis()  # the first group and the first series on top, as in the tables
    ax.set_xlim(0, 1.12)
    ax.set_xlabel(xlabel)
    ax.set_title(title)
    ax.grid(axis="x", alpha=0.3)
    if n > 1:
        ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    return _png(fig)


def scores_by_type(report: EvalReport) -> str:
    """Bars of the main scores per question type (Chinese names with a CJK font installed)."""
    types = list(report.by_type)
    shown = [labels.question_type(t) if cjk_font() else t for t in types]
    series = {
        _metric_name(report.k, m): [_metric(report, m, report.by_type[t]) for t in types] for m in CHART_METRICS
    }
    title = f"按题型的得分（{report.label}）" if cjk_font() else f"Scores by question type ({report.label})"
    return _hbars(title, shown, series)


def config_comparison(reports: Sequence[EvalReport]) -> str:
    """Bars of the main scores per configuration, one group per metric."""
    k = reports[0].k
    metric_names = [_metric_name(k, m) for m in CHART_METRICS]
    series: dict[str, list[float | None]] = {r.label: [_metric(r, m) for m in CHART_METRICS] for r in reports}
    return _hbars("配置对比" if cjk_font() else "Configuration comparison", metric_names, series)


def latency_distribution(reports: Sequence[EvalReport]) -> str:
    """Box plot of total latency (ms) per configuration."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(8.0, max(2.0, 0.9 + 0.5 * len(reports))))
    data = [[i.timings_ms.get("total", 0.0) for i in r.items if i.timings_ms] or [0.0] for r in reports]
    ax.boxplot(data, tick_labels=[_label(r.label, 20) for r in reports], orientation="horizontal")
    chinese = cjk_font() is not None
    ax.set_xlabel("每题总用时（毫秒）" if chinese else "total latency (ms)")
    ax.set_title("用时分布" if chinese else "Latency distribution")
    return _png(fig)


def briefing_coverage(report: BriefingReport) -> str:
    """Bars of key-point coverage per topic (topic ids when no CJK font is installed)."""
    chinese = cjk_font() is not None
    names = [(t.topic if chinese else t.id) for t in report.topics]
    return _hbars(
        "各主题要点覆盖率" if chinese else "Key-point coverage by topic",
        names,
        {"要点覆盖率" if chinese else "coverage": [t.coverage for t in report.topics]},
        xlabel="覆盖率" if chinese else "coverage",
    )
