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


def _metric(report: EvalReport, name: str, scores=None) -> float:
    values = (scores or report.overall).metrics(report.k)
    value = values.get(f"hit@{report.k}" if name == "hit@k" else name)
    return value or 0.0


def _grouped_bars(title: str, groups: Sequence[str], series: dict[str, list[float]]) -> str:
    plt = _pyplot()
    logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)
    fig, ax = plt.subplots(figsize=(max(6.0, len(groups) * (1.0 + 0.25 * len(series))), 3.6))
    width = 0.8 / max(1, len(series))
    for i, (name, values) in enumerate(series.items()):
        xs = [g + i * width for g in range(len(groups))]
        ax.bar(xs, values, width=width, label=name)
    ax.set_xticks([g + width * (len(series) - 1) / 2 for g in range(len(groups))], groups)
    ax.set_ylim(0, 1.05)
    ax.set_title(title)
    ax.legend(fontsize=8, ncols=min(len(series), 5), loc="upper center", bbox_to_anchor=(0.5, -0.12))
    return _png(fig)


def scores_by_type(report: EvalReport) -> str:
    """Bar chart of the main scores per question type."""
    types = list(report.by_type)
    series = {
        (f"hit@{report.k}" if m == "hit@k" else m): [_metric(report, m, report.by_type[t]) for t in types]
        for m in CHART_METRICS
    }
    return _grouped_bars(f"Scores by question type ({report.label})", types, series)


def config_comparison(reports: Sequence[EvalReport]) -> str:
    """Bar chart of the main scores per configuration."""
    k = reports[0].k
    metric_names = [f"hit@{k}" if m == "hit@k" else m for m in CHART_METRICS]
    series = {r.label: [_metric(r, m) for m in CHART_METRICS] for r in reports}
    return _grouped_bars("Configuration comparison", metric_names, series)


def latency_distribution(reports: Sequence[EvalReport]) -> str:
    """Box plot of total latency (ms) per configuration."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(max(6.0, 1.4 * len(reports)), 3.6))
    data = [[i.timings_ms.get("total", 0.0) for i in r.items if i.timings_ms] or [0.0] for r in reports]
    ax.boxplot(data, tick_labels=[r.label for r in reports])
    ax.set_ylabel("total latency (ms)")
    ax.set_title("Latency distribution")
    return _png(fig)


def briefing_coverage(report: BriefingReport) -> str:
    """Bar chart of key-point coverage per topic (topic ids when no CJK font is installed)."""
    labels = [(t.topic[:12] if cjk_font() else t.id) for t in report.topics]
    return _grouped_bars(
        "Key-point coverage by topic", labels, {"coverage": [t.coverage for t in report.topics]}
    )
