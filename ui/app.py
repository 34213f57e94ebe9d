"""The Gradio workspace: the tabs 问答, 简报, 评测, 知识库 (one module each in ui.tabs), the login, the queue,
serving. Layout and wiring only; logic is in ui.handlers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import gradio as gr

from assistant.config import Settings
from ui.handlers import Workspace
from ui.improve import Improvement
from ui.security import login_throttle, parse_auth
from ui.style import CSS, HEAD
from ui.tabs.brief import brief_tab
from ui.tabs.chat import chat_tab
from ui.tabs.evaluation import evaluation_tab
from ui.tabs.knowledge import knowledge_tab

TITLE = "规划文件问答助手"
QUEUE_MAX = 200
QUEUE_STATUS_S = 2.0  # how often waiting requests hear their place in the queue


def build_app(assistant: Any, settings: Settings) -> gr.Blocks:
    """Build the four-tab workspace around an assistant (real or fake)."""
    ws = Workspace(assistant, settings)
    imp = Improvement(assistant, settings)
    suites = imp.suite_names()
    landing = ws.landing()

    with gr.Blocks(title=TITLE, analytics_enabled=False) as demo:
        gr.Markdown(f"## {TITLE}")
        with gr.Tabs():
            chat = chat_tab(assistant, ws, imp, settings, landing)
            brief_doc = brief_tab(ws, settings)
            evaluation_tab(ws, imp, suites)
            knowledge_tab(demo, ws, imp, settings, chat, brief_doc)
    return demo


def launch_options(settings: Settings, *, host: str = "127.0.0.1", port: int = 7860) -> dict[str, Any]:
    """Keyword arguments for Blocks.launch: local by default, optional login (rate-limited), upload size cap."""
    auth = parse_auth(settings.auth)
    options: dict[str, Any] = {
        "server_name": host,
        "server_port": port,
        "auth": auth,
        "auth_message": "请登录" if settings.auth else None,
        "max_file_size": f"{settings.upload_max_mb:g}mb",
        "css": CSS,
        "head": HEAD,
        "footer_links": ["api"],
        "run_history": False,
        "show_error": False,
        "quiet": True,
    }
    if auth:
        options["app_kwargs"] = {"middleware": [login_throttle(settings)]}
    return options


def prepare(app: gr.Blocks) -> gr.Blocks:
    """Turn on the request queue (bounded, per-event concurrency limits)."""
    # status_update_rate "auto" sends every waiting request a new queue estimate each time one starts:
    # fifty waiting chats meant fifty messages per answer. Every two seconds is plenty (nobody sees it).
    app.queue(max_size=QUEUE_MAX, default_concurrency_limit=2, status_update_rate=QUEUE_STATUS_S)
    # After every event gradio rebuilds a pandas summary of up to 10,000 past events for its monitoring
    # page (unused here): work that grows with the number of requests served. Keep a few, summarise rarely.
    queue = getattr(app, "_queue", None)
    if queue is not None and hasattr(queue, "ANAYLTICS_CACHE_FREQUENCY"):
        queue.ANALYTICS_MAX_EVENTS = 100
        queue.ANAYLTICS_CACHE_FREQUENCY = 1_000_000
    return app


def serve(
    settings: Settings,
    *,
    host: str = "127.0.0.1",
    port: int = 7860,
    assistant: Any = None,
    on_step: Callable[[str], None] | None = None,
) -> None:
    """Serve the workspace until interrupted (building the assistant unless one is given)."""
    report = on_step or (lambda text: None)
    if assistant is None:
        from assistant.service import build_assistant

        assistant = build_assistant(settings)
    report("加载模型与索引…")
    assistant.warm_up()  # load models and indexes now, not on the first user's question
    report("整理知识库一览与示例问题…")
    app = prepare(build_app(assistant, settings))
    app.launch(prevent_thread_lock=True, **launch_options(settings, host=host, port=port))
    report(f"工作台已启动：http://{host}:{port}/ （Ctrl+C 停止）")
    app.block_thread()
