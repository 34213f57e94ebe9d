"""The 知识库 tab: uploading, re-indexing and removing files, the documents, 命中测试, synonyms."""

from __future__ import annotations

import gradio as gr

from assistant.config import Settings
from ui.handlers import Workspace
from ui.improve import Improvement
from ui.security import ALLOWED_SUFFIXES
from ui.tabs.chat import ChatTab, landing_output
from ui.tabs.common import IMPROVE_EVENTS, PROGRESS, progress_cb
from ui.views import KnowledgeView, SynonymView


def knowledge_tab(demo: gr.Blocks, ws: Workspace, imp: Improvement, settings: Settings, chat: ChatTab,
                  brief_doc: gr.Dropdown) -> None:
    """Lay out the 知识库 tab and wire its events (a change to the knowledge base updates the chat's first
    screen and the filters of 问答 and 简报)."""
    types = " ".join(ALLOWED_SUFFIXES)
    with gr.Tab("知识库", id="kb"):
        with gr.Row():
            files = gr.File(
                label=(f"上传文件（{types}；单个不超过 {settings.upload_max_mb:g} MB，"
                       f"一次最多 {settings.upload_max_files} 个）"),
                file_count="multiple",
                file_types=list(ALLOWED_SUFFIXES),
                type="filepath",
                elem_id="kb-files",
                min_width=280,
            )
            with gr.Column(min_width=280):
                kb_ingest = gr.Button("上传并入库", variant="primary", elem_id="kb-ingest")
                kb_reindex = gr.Button("重新索引", elem_id="kb-reindex")
                kb_target = gr.Dropdown(
                    choices=[], label="移除文件或其中一篇文档", elem_id="kb-target"
                )
                kb_remove = gr.Button("移除…", variant="stop", elem_id="kb-remove")
        with gr.Group(visible=False, elem_id="kb-confirm") as confirm_box:
            confirm_html = gr.HTML(elem_id="kb-confirm-text")
            with gr.Row():
                kb_confirm = gr.Button("确认移除", variant="stop", elem_id="kb-confirm-yes")
                kb_cancel = gr.Button("取消", elem_id="kb-confirm-no")
        kb_progress = gr.HTML(elem_id="kb-progress")  # progress shows here, not over the controls
        kb_msg = gr.HTML(elem_id="kb-msg")
        docs_html = gr.HTML(elem_id="kb-docs")
        with gr.Accordion("命中测试：检索到哪些段落、得分多少、为什么这样回答", open=False, elem_id="ht-box"):
            with gr.Row(equal_height=True):
                ht_question = gr.Textbox(
                    label="问题", placeholder="输入一个问题", elem_id="ht-question", scale=5,
                    max_length=settings.max_question_chars,
                )
                ht_go = gr.Button("测试", variant="primary", elem_id="ht-go", scale=1, min_width=80)
            ht_result = gr.HTML(elem_id="ht-result")
        with gr.Accordion("同义词", open=False, elem_id="sy-box"):
            sy_html = gr.HTML(elem_id="sy-list")
            with gr.Row(equal_height=True):
                sy_new = gr.Textbox(
                    label="添加一组同义词（用“|”分隔）", placeholder="例如：市场主体|经营主体", elem_id="sy-new",
                    scale=4, max_length=400,
                )
                sy_add = gr.Button("添加", elem_id="sy-add", scale=1, min_width=80)
            with gr.Row(equal_height=True):
                sy_pick = gr.Dropdown(choices=[], value=None, label="删除一组自定义同义词", elem_id="sy-pick",
                                      scale=4)
                sy_remove = gr.Button("删除", variant="stop", elem_id="sy-remove", scale=1, min_width=80)
            sy_msg = gr.HTML(elem_id="sy-msg")

    # --- retrieval test and synonyms --------------------------------------------------------------
    tools = IMPROVE_EVENTS

    def hit_fn(question_value):
        return imp.hit_test(question_value)[0]

    ht_go.click(hit_fn, [ht_question], [ht_result], **tools)
    ht_question.submit(hit_fn, [ht_question], [ht_result], **tools)
    sy_outputs = [sy_html, sy_pick, sy_msg, sy_new]
    sy_add.click(lambda text: _synonym_outputs(imp.add_synonyms(text)), [sy_new], sy_outputs, **tools)
    sy_new.submit(lambda text: _synonym_outputs(imp.add_synonyms(text)), [sy_new], sy_outputs, **tools)
    sy_remove.click(lambda pick: _synonym_outputs(imp.remove_synonyms(pick)), [sy_pick], sy_outputs, **tools)
    demo.load(lambda: _synonym_outputs(imp.synonyms_view()), None, sy_outputs, api_visibility="private")

    # --- the knowledge base -----------------------------------------------------------------------
    kb_outputs = [docs_html, kb_msg, chat.doc, chat.year, brief_doc, kb_target]
    kb = {"concurrency_limit": 1, "concurrency_id": "kb", "api_visibility": "private"}

    def kb_refresh():
        return _kb_outputs(ws.knowledge())

    def landing_fn():
        return landing_output(ws.landing())

    def upload_fn(paths, progress=PROGRESS):
        return (*_kb_outputs(ws.upload(paths, progress=progress_cb(progress))), None, "")

    def reindex_fn(progress=PROGRESS):
        return (*_kb_outputs(ws.reindex(progress=progress_cb(progress))), "")

    def ask_confirm(value):
        return gr.update(visible=True), ws.confirm_removal(value)

    def remove_fn(value):
        return (*_kb_outputs(ws.remove(value)), gr.update(visible=False), "")

    def cancel_fn():
        return gr.update(visible=False), ""

    kb_ingest.click(
        upload_fn, [files], [*kb_outputs, files, kb_progress], show_progress_on=[kb_progress], **kb
    ).then(landing_fn, None, [chat.chatbot], api_visibility="private")
    kb_reindex.click(
        reindex_fn, None, [*kb_outputs, kb_progress], show_progress_on=[kb_progress], **kb
    ).then(landing_fn, None, [chat.chatbot], api_visibility="private")
    kb_remove.click(ask_confirm, [kb_target], [confirm_box, confirm_html], api_visibility="private",
                    queue=False)
    kb_cancel.click(cancel_fn, None, [confirm_box, confirm_html], api_visibility="private", queue=False)
    kb_confirm.click(
        remove_fn, [kb_target], [*kb_outputs, confirm_box, confirm_html], show_progress_on=[kb_progress], **kb
    ).then(landing_fn, None, [chat.chatbot], api_visibility="private")
    demo.load(kb_refresh, None, kb_outputs, api_visibility="private")


def _synonym_outputs(view: SynonymView) -> tuple:
    cleared = "" if 'class="msg ok"' in view.message_html else gr.update()
    return view.html, gr.update(choices=view.choices, value=None), view.message_html, cleared


def _kb_outputs(view: KnowledgeView) -> tuple:
    return (
        view.documents_html,
        view.message_html,
        gr.update(choices=view.doc_choices),
        gr.update(choices=view.year_choices),
        gr.update(choices=view.doc_choices),
        gr.update(choices=view.removal_choices, value=None),
    )
