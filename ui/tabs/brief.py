"""The 简报 tab: a topic and a document filter in, a preview and .md/.docx downloads out."""

from __future__ import annotations

import gradio as gr

from assistant.config import Settings
from ui import render
from ui.handlers import Workspace
from ui.tabs.common import PROGRESS, progress_cb


def brief_tab(ws: Workspace, settings: Settings) -> gr.Dropdown:
    """Lay out the 简报 tab and wire its event; returns its document filter (the knowledge base updates it)."""
    with gr.Tab("简报", id="brief"):
        with gr.Row():
            topic = gr.Textbox(
                label="简报主题", scale=4, elem_id="brief-topic", max_length=settings.max_topic_chars
            )
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

    def brief_fn(topic_value, doc_value, progress=PROGRESS):
        view = ws.brief(topic_value, doc_value, progress=progress_cb(progress))
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
        show_progress_on=[brief_preview],
    )
    return brief_doc
