"""Evaluation results: a generic escaped table of dataclasses or dicts, metric tables."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, is_dataclass
from typing import Any

from ui.render.markup import escape


def _as_dict(item: Any) -> dict[str, Any]:
    if is_dataclass(item) and not isinstance(item, type):
        return asdict(item)
    if isinstance(item, dict):
        return item
    return dict(vars(item)) if hasattr(item, "__dict__") else {"value": item}


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.3f}"
    if isinstance(value, (list, tuple)):
        return "；".join(_fmt(v) for v in value)
    if value is None:
        return ""
    return str(value)


def render_table(rows: Sequence[Any], *, columns: Sequence[str] | None = None, limit: int = 200) -> str:
    """A generic escaped HTML table from dataclasses or dicts."""
    dicts = [_as_dict(r) for r in rows[:limit]]
    if not dicts:
        return '<div class="table empty">无</div>'
    cols = list(columns or dict.fromkeys(k for d in dicts for k in d))
    head = "".join(f"<th>{escape(c)}</th>" for c in cols)
    body = "".join(
        "<tr>" + "".join(f"<td>{escape(_fmt(d.get(c)))}</td>" for c in cols) + "</tr>" for d in dicts
    )
    more = f'<div class="more">另有 {len(rows) - limit} 行未显示</div>' if len(rows) > limit else ""
    return f'<table class="table"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>{more}'


def render_metrics(metrics: dict[str, Any]) -> str:
    """Metric name / value table."""
    rows = [{"指标": k, "数值": v} for k, v in metrics.items()]
    return render_table(rows, columns=["指标", "数值"])
