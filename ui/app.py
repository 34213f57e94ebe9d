"""The Gradio workspace: 问答, 简报, 评测, 知识库. Layout and wiring only; logic is in ui.handlers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import gradio as gr

from assistant.config import Settings
from ui import render
from ui.handlers import Workspace
from ui.security import ALLOWED_SUFFIXES, SUITE_SUFFIXES, parse_auth
from ui.views import ChatView, KnowledgeView

TITLE = "规划文件问答助手"
CHAT_CONCURRENCY = 4  # answers run in worker threads; retrieval is light, the LLM call waits on I/O
QUEUE_MAX = 200

CSS = """
.status { display:flex; flex-wrap:wrap; gap:.5em; align-items:center; margin:.25em 0; }
.badge { padding:.1em .6em; border-radius:1em; font-size:.85em; font-weight:600; }
.badge.llm { background:#dbeafe; color:#1e3a8a; }
.badge.extractive { background:#fef3c7; color:#78350f; }
.badge.idle, .badge.busy { background:#e5e7eb; color:#374151; }
.condensed { font-size:.85em; color:#4b5563; }
.notice { font-size:.85em; color:#92400e; }
.abstain { font-size:1.05em; color:#991b1b; }
.warn, .flag { color:#b45309; font-size:.85em; }
.flag { margin-left:.5em; font-weight:600; }
a.cite { text-decoration:none; cursor:pointer; }
a.cite.unverified sup { color:#b45309; }
.sources-head, .docs-head { font-weight:600; margin-bottom:.3em; }
details.source { border:1px solid #e5e7eb; border-radius:.4em; padding:.3em .6em; margin:.3em 0; }
details.source.unverified { border-color:#f59e0b; }
details.source.flash { outline:2px solid #3b82f6; }
details.source summary { cursor:pointer; }
details.source .num { font-weight:700; }
details.source .lines, details.source .file { color:#6b7280; font-size:.85em; margin-left:.4em; }
blockquote.passage { margin:.4em 0; padding-left:.6em; border-left:3px solid #d1d5db; }
blockquote.passage .ctx { color:#9ca3af; }
mark { background:#fde68a; }
.msg.error { color:#b91c1c; } .msg.ok { color:#15803d; }
.docs table, table.table { border-collapse:collapse; width:100%; font-size:.9em; }
.docs td, .docs th, table.table td, table.table th { border:1px solid #e5e7eb; padding:.2em .4em; }
.rejected { color:#b91c1c; }
img.chart { max-width:100%; }
"""

# Clicking a citation marker opens and scrolls to its entry in the sources panel.
HEAD = """
<script>
document.addEventListener('click', function (e) {
  var a = e.target && e.target.closest ? e.target.closest('a.cite') : null;
  if (!a) return;
  var n = a.getAttribute('data-n') || (a.getAttribute('href') || '').replace(/^.*#src-/, '');
  var d = document.getElementById('src-' + n);
  if (!d) return;
  e.preventDefault(); e.stopPropagation();
  d.open = true;
  d.scrollIntoView({block: 'center'});
  d.classList.add('flash');
  setTimeout(function () { d.classList.remove('flash'); }, 1500);
}, true);
</script>
"""

# gradio swaps in a fresh tracker per call; the default only marks the parameter
PROGRESS = gr.Progress()

COPY_JS = "(text) => { if (navigator.clipboard) { navigator.clipboard.writeText(text || ''); } return []; }"


def _bundled_suites() -> list[str]:
    from eval.suite import SUITES_DIR

    return sorted(p.stem for p in Path(SUITES_DIR).glob("*.jsonl"))


def _progress_cb(progress: gr.Progress):
    def report(done: int, total: int, label: str) -> None:
        progress(done / total if total else 0.0, desc=label)

    return report


def build_app(assistant: Any, settings: Settings) -> gr.Blocks:
    """Build the four-tab workspace around an assistant (real or fake)."""
    ws = Workspace(assistant, settings)
    suites = _bundled_suites()
    types = " ".join(ALLOWED_SUFFIXES)

    with gr.Blocks(title=TITLE, analytics_enabled=False) as demo:
        gr.Markdown(f"## {TITLE}")
        with gr.Tabs():
            # --- 问答 ------------------------------------------------------------------------
            with gr.Tab("问答", id="chat"):
                history = gr.State([])
                with gr.Row():
                    with gr.Column(scale=3):
                        status = gr.HTML(render.render_status(None), elem_id="chat-status")
                        chatbot = gr.Chatbot(
                            label="对话",
                            elem_id="chatbot",
                            height=520,
                            latex_delimiters=[],
                            feedback_options=None,
                            buttons=["copy_all"],
                            sanitize_html=True,
                            allow_tags=False,
                        )
                        with gr.Row():
                            question = gr.Textbox(
                                placeholder="输入问题，回车发送；可以接着追问",
                                show_label=False,
                                scale=6,
                                elem_id="question",
                                max_length=2000,
                            )
                            send = gr.Button("发送", variant="primary", scale=1, elem_id="send")
                        with gr.Row():
                            doc = gr.Dropdown(
                                choices=[(render.ALL_DOCS, "")],
                                value="",
                                label="限定文档",
                                elem_id="doc-filter",
                            )
                            year = gr.Dropdown(
                                choices=[(render.ALL_YEARS, "")],
                                value="",
                                label="年份",
                                elem_id="year-filter",
                            )
                            copy = gr.Button("复制答案", elem_id="copy")
                            clear = gr.Button("清空对话", elem_id="clear")
                        with gr.Accordion("纯文本答案", open=False):
                            copy_text = gr.Textbox(
                                show_label=False,
                                interactive=False,
                                lines=4,
                                buttons=["copy"],
                                elem_id="copy-text",
                            )
                    with gr.Column(scale=2):
                        sources = gr.HTML(render.render_sources([]), elem_id="sources")

            # --- 简报 ------------------------------------------------------------------------
            with gr.Tab("简报", id="brief"):
                with gr.Row():
                    topic = gr.Textbox(label="简报主题", scale=4, elem_id="brief-topic", max_length=200)
                    brief_doc = gr.Dropdown(
                        choices=[(render.ALL_DOCS, "")],
                        value="",
                        label="限定文档",
                        scale=2,
                        elem_id="brief-doc",
                    )
                    brief_go = gr.Button("生成简报", variant="primary", scale=1, elem_id="brief-go")
                brief_preview = gr.HTML(elem_id="brief-preview")
                with gr.Row():
                    dl_md = gr.DownloadButton("下载 .md", visible=False, elem_id="dl-md")
                    dl_docx = gr.DownloadButton("下载 .docx", visible=False, elem_id="dl-docx")

            # --- 评测 ------------------------------------------------------------------------
            with gr.Tab("评测", id="eval"):
                with gr.Row():
                    suite = gr.Dropdown(
                        choices=suites,
                        value=suites[0] if suites else None,
                        label="内置评测集",
                        elem_id="suite",
                    )
                    suite_file = gr.File(
                        label="或上传评测集（" + " ".join(SUITE_SUFFIXES) + "）",
                        file_types=list(SUITE_SUFFIXES),
                        type="filepath",
                        elem_id="suite-file",
                    )
                    eval_go = gr.Button("运行评测", variant="primary", elem_id="eval-go")
                eval_msg = gr.HTML(elem_id="eval-msg")
                metrics = gr.HTML(elem_id="eval-metrics")
                chart = gr.HTML(elem_id="eval-chart")
                by_type = gr.HTML(elem_id="eval-by-type")
                failures = gr.HTML(elem_id="eval-failures")
                dl_report = gr.DownloadButton("下载报告", visible=False, elem_id="dl-report")

            # --- 知识库 -----------------------------------------------------------------------
            with gr.Tab("知识库", id="kb"):
                kb_msg = gr.HTML(elem_id="kb-msg")
                with gr.Row():
                    files = gr.File(
                        label=f"上传文件（{types}，单个不超过 {settings.upload_max_mb:g} MB）",
                        file_count="multiple",
                        file_types=list(ALLOWED_SUFFIXES),
                        type="filepath",
                        elem_id="kb-files",
                    )
                    with gr.Column():
                        kb_ingest = gr.Button("上传并入库", variant="primary", elem_id="kb-ingest")
                        kb_reindex = gr.Button("重新索引", elem_id="kb-reindex")
                        kb_source = gr.Dropdown(choices=[], label="选择文件", elem_id="kb-source")
                        kb_remove = gr.Button("移除", variant="stop", elem_id="kb-remove")
                docs_html = gr.HTML(elem_id="kb-docs")

        # --- wiring ----------------------------------------------------------------------------
        def chat_fn(message, messages, hist, doc_value, year_value):
            for view in ws.chat(message, messages, hist, doc_value, year_value):
                yield _chat_outputs(view)

        chat_outputs = [chatbot, history, sources, status, copy_text, question]
        chat_inputs = [question, chatbot, history, doc, year]
        chat_opts = {
            "concurrency_limit": CHAT_CONCURRENCY,
            "concurrency_id": "chat",
            "show_progress": "hidden",
        }
        question.submit(chat_fn, chat_inputs, chat_outputs, api_name="ask", **chat_opts)
        send.click(chat_fn, chat_inputs, chat_outputs, api_visibility="private", **chat_opts)

        def clear_fn():
            return [], [], render.render_sources([]), render.render_status(None), "", ""

        clear.click(clear_fn, None, chat_outputs, api_visibility="private", queue=False)
        chatbot.clear(clear_fn, None, chat_outputs, api_visibility="private", queue=False)
        copy.click(None, [copy_text], None, js=COPY_JS)

        def brief_fn(topic_value, doc_value, progress=PROGRESS):
            view = ws.brief(topic_value, doc_value, progress=_progress_cb(progress))
            shown = view.md_path is not None
            return (
                view.preview_html,
                gr.update(value=view.md_path, visible=shown),
                gr.update(value=view.docx_path, visible=shown),
            )

        brief_go.click(
            brief_fn,
            [topic, brief_doc],
            [brief_preview, dl_md, dl_docx],
            api_name="brief",
            concurrency_limit=2,
        )

        def eval_fn(suite_value, upload_value, progress=PROGRESS):
            view = ws.eval_run(suite_value, upload_value, progress=_progress_cb(progress))
            return (
                view.message_html,
                view.metrics_html,
                view.charts_html,
                view.by_type_html,
                view.failures_html,
                gr.update(value=view.report_path, visible=view.report_path is not None),
            )

        eval_go.click(
            eval_fn,
            [suite, suite_file],
            [eval_msg, metrics, chart, by_type, failures, dl_report],
            api_visibility="private",
            concurrency_limit=1,
            concurrency_id="eval",
        )

        kb_outputs = [docs_html, kb_msg, doc, year, brief_doc, kb_source]

        def kb_refresh():
            return _kb_outputs(ws.knowledge())

        def upload_fn(paths, progress=PROGRESS):
            return (*_kb_outputs(ws.upload(paths, progress=_progress_cb(progress))), None)

        def remove_fn(source):
            return _kb_outputs(ws.remove(source))

        def reindex_fn(progress=PROGRESS):
            return _kb_outputs(ws.reindex(progress=_progress_cb(progress)))

        kb = {"concurrency_limit": 1, "concurrency_id": "kb", "api_visibility": "private"}
        kb_ingest.click(upload_fn, [files], [*kb_outputs, files], **kb)
        kb_remove.click(remove_fn, [kb_source], kb_outputs, **kb)
        kb_reindex.click(reindex_fn, None, kb_outputs, **kb)
        demo.load(kb_refresh, None, kb_outputs, api_visibility="private")
    return demo


def _chat_outputs(view: ChatView) -> tuple:
    # keep the question box until the answer is complete, then clear it for the next one
    box = "" if view.done else gr.update()
    sources = view.sources_html if view.sources_html else gr.update()
    copy = view.copy_text if view.done else gr.update()
    return view.messages, view.history, sources, view.status_html, copy, box


def _kb_outputs(view: KnowledgeView) -> tuple:
    return (
        view.documents_html,
        view.message_html,
        gr.update(choices=view.doc_choices),
        gr.update(choices=view.year_choices),
        gr.update(choices=view.doc_choices),
        gr.update(choices=view.sources, value=None),
    )


def launch_options(settings: Settings, *, host: str = "127.0.0.1", port: int = 7860) -> dict[str, Any]:
    """Keyword arguments for Blocks.launch: local by default, optional login, upload size cap."""
    return {
        "server_name": host,
        "server_port": port,
        "auth": parse_auth(settings.auth),
        "auth_message": "请登录" if settings.auth else None,
        "max_file_size": f"{settings.upload_max_mb:g}mb",
        "css": CSS,
        "head": HEAD,
        "footer_links": ["api"],
        "run_history": False,
        "show_error": False,
        "quiet": True,
    }


def prepare(app: gr.Blocks) -> gr.Blocks:
    """Turn on the request queue (bounded, per-event concurrency limits)."""
    return app.queue(max_size=QUEUE_MAX, default_concurrency_limit=2)


def serve(settings: Settings, *, host: str = "127.0.0.1", port: int = 7860, assistant: Any = None) -> None:
    """Serve the workspace until interrupted (building the assistant unless one is given)."""
    if assistant is None:
        from assistant.service import build_assistant

        assistant = build_assistant(settings)
    assistant.warm_up()  # load models and indexes now, not on the first user's question
    app = prepare(build_app(assistant, settings))
    app.launch(**launch_options(settings, host=host, port=port))
