"""What the tabs share: the progress tracker, who is logged in, the improvement tools' queue."""

from __future__ import annotations

from typing import Any

import gradio as gr

# gradio swaps in a fresh tracker per call; the default only marks the parameter
PROGRESS = gr.Progress()

# the improvement tools (feedback list, suites, curated pairs; 命中测试, synonyms) share one queue of two
IMPROVE_EVENTS: dict[str, Any] = {
    "api_visibility": "private", "concurrency_limit": 2, "concurrency_id": "feedback-list"
}


def progress_cb(progress: gr.Progress):
    def report(done: int, total: int, label: str) -> None:
        progress(done / total if total else 0.0, desc=label)

    return report


def request_user(request: gr.Request | None) -> str | None:
    """The logged-in user (None when no login is configured)."""
    return getattr(request, "username", None) or None
