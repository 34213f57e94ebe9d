"""The 问答 tab: the chat with its filters and sources panel, copying an answer, feedback on an answer."""

from __future__ import annotations

from typing import Any, NamedTuple

import gradio as gr

from assistant.config import Settings
from ui import render
from ui.handlers import Workspace
from ui.improve import Improvement
from ui.tabs.common import request_user
from ui.views import ChatView, CorrectionView, LandingView

CHAT_CONCURRENCY = 8  # answers run in worker threads: offline a few ms of CPU each, an LLM call waits on I/O
COPY_JS = "(text) => { if (navigator.clipboard) { navigator.clipboard.writeText(text || ''); } return []; }"


class ChatTab(NamedTuple):
    """What the knowledge base's changes update: the chat's first screen and the filters."""

    chatbot: gr.Chatbot
    doc: gr.Dropdown
    year: gr.Dropdown


def chat_tab(
    assistant: Any, ws: Workspace, imp: Improvement, settings: Settings, landing: LandingView
) -> ChatTab:
    """Lay out the 问答 tab and wire its events."""
    with gr.Tab("问答", id="chat"):
        history = gr.State([])
        answer_sources = gr.State([])  # (answer number, question, source entries) per answer
        answers = gr.State([])  # every answer of the session, for feedback on it
        fb_passages = gr.State([])  # the passages offered in the correction form
        with gr.Row(equal_height=False):
            with gr.Column(scale=3, min_width=320):
                status = gr.HTML(render.render_status(None), elem_id="chat-status")
                chatbot = gr.Chatbot(
                    label="对话",
                    show_label=False,
                    elem_id="chatbot",
                    height="68vh",
                    min_height=420,
                    autoscroll=False,  # a new question is scrolled to the top instead (HEAD script)
                    latex_delimiters=[],
                    feedback_options=None,
                    buttons=["copy_all"],
                    sanitize_html=True,
                    allow_tags=False,
                    placeholder=landing.overview_markdown,
                    examples=_examples(landing),
                )
                with gr.Row():
                    question = gr.Textbox(
                        placeholder="输入问题，回车发送，可接着追问",
                        show_label=False,
                        scale=6,
                        elem_id="question",
                        max_length=settings.max_question_chars,
                    )
                    send = gr.Button("发送", variant="primary", scale=1, elem_id="send", min_width=80)
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
                with gr.Group(elem_id="fb-box"):
                    with gr.Row(equal_height=True):
                        fb_turn = gr.Dropdown(
                            choices=[], value=None, label="评价回答", elem_id="fb-turn", scale=4
                        )
                        fb_ok = gr.Button("正确", elem_id="fb-ok", scale=1, min_width=80)
                        fb_wrong = gr.Button("有误", variant="stop", elem_id="fb-wrong", scale=1, min_width=80)
                    with gr.Group(visible=False, elem_id="fb-form") as fb_form:
                        fb_correction = gr.Textbox(
                            label="正确答案", lines=2, elem_id="fb-correction",
                            max_length=settings.max_question_chars,
                        )
                        with gr.Row(equal_height=True):
                            fb_query = gr.Textbox(
                                label="查找原文", placeholder="输入关键词，在知识库中查找包含正确答案的段落",
                                elem_id="fb-query", scale=5, max_length=settings.max_question_chars,
                            )
                            fb_find = gr.Button("查找", elem_id="fb-find", scale=1, min_width=80)
                        fb_passage = gr.Radio(
                            choices=[], label="点选包含正确答案的段落", elem_id="fb-passage"
                        )
                        with gr.Row():
                            fb_submit = gr.Button("提交更正", variant="primary", elem_id="fb-submit")
                            fb_cancel = gr.Button("取消", elem_id="fb-cancel")
                fb_msg = gr.HTML(elem_id="fb-msg")
            with gr.Column(scale=2, min_width=300):
                sources = gr.HTML(render.render_sources_panel([]), elem_id="sources")

    if getattr(assistant, "chat_model", None) is not None:

        def chat_fn(message, messages, hist, doc_value, year_value, blocks, kept):
            for view in ws.chat(message, messages, hist, doc_value, year_value, blocks, kept):
                yield _chat_outputs(view)  # the answer streams from the LLM

    else:

        def chat_fn(message, messages, hist, doc_value, year_value, blocks, kept):
            # offline an answer takes milliseconds: one update, no generator round trips in the queue
            *_, view = ws.chat(message, messages, hist, doc_value, year_value, blocks, kept)
            return _chat_outputs(view)

    chat_outputs = [chatbot, history, sources, status, copy_text, question, answer_sources, answers, fb_turn]
    chat_inputs = [question, chatbot, history, doc, year, answer_sources, answers]
    chat_opts = {
        "concurrency_limit": CHAT_CONCURRENCY,
        "concurrency_id": "chat",
        "show_progress": "hidden",
    }
    question.submit(chat_fn, chat_inputs, chat_outputs, api_name="ask", **chat_opts)
    send.click(chat_fn, chat_inputs, chat_outputs, api_visibility="private", **chat_opts)

    def example_fn(evt: gr.SelectData):
        return (evt.value or {}).get("text", "") if isinstance(evt.value, dict) else str(evt.value or "")

    chatbot.example_select(example_fn, None, [question], api_visibility="private", queue=False).then(
        chat_fn, chat_inputs, chat_outputs, api_visibility="private", **chat_opts
    )

    def clear_fn():
        empty = gr.update(choices=[], value=None)
        return [], [], render.render_sources_panel([]), render.render_status(None), "", "", [], [], empty

    clear.click(clear_fn, None, chat_outputs, api_visibility="private", queue=False)
    chatbot.clear(clear_fn, None, chat_outputs, api_visibility="private", queue=False)
    copy.click(None, [copy_text], None, js=COPY_JS)

    # --- feedback on an answer --------------------------------------------------------------------
    fb_outputs = [fb_form, fb_passage, fb_passages, fb_msg]

    def fb_ok_fn(kept, turn, request: gr.Request):
        return gr.update(visible=False), imp.mark_correct(kept, turn, request_user(request))

    def fb_wrong_fn(kept, turn):
        return _correction_outputs(imp.open_correction(kept, turn), reset=True)

    def fb_find_fn(query, kept, turn):
        view = imp.find_passages(query, kept, turn)
        return gr.update(choices=view.choices, value=None), view.passages, view.message_html

    def fb_submit_fn(kept, turn, correction, passages, choice, request: gr.Request):
        message = imp.submit_correction(kept, turn, correction, passages, choice, request_user(request))
        done = 'class="msg ok"' in message
        return (gr.update(visible=not done), gr.update() if not done else gr.update(choices=[], value=None),
                gr.update() if not done else [], message, gr.update(value="") if done else gr.update())

    fb = {"api_visibility": "private", "concurrency_limit": 4, "concurrency_id": "feedback"}
    fb_ok.click(fb_ok_fn, [answers, fb_turn], [fb_form, fb_msg], **fb)
    fb_wrong.click(fb_wrong_fn, [answers, fb_turn], [*fb_outputs, fb_correction, fb_query], **fb)
    fb_find.click(fb_find_fn, [fb_query, answers, fb_turn], [fb_passage, fb_passages, fb_msg], **fb)
    fb_query.submit(fb_find_fn, [fb_query, answers, fb_turn], [fb_passage, fb_passages, fb_msg], **fb)
    fb_submit.click(fb_submit_fn, [answers, fb_turn, fb_correction, fb_passages, fb_passage],
                    [fb_form, fb_passage, fb_passages, fb_msg, fb_correction], **fb)
    fb_cancel.click(lambda: (gr.update(visible=False), ""), None, [fb_form, fb_msg], queue=False,
                    api_visibility="private")
    return ChatTab(chatbot, doc, year)


def _examples(landing: LandingView) -> list[dict[str, str]] | None:
    return [{"text": q} for q in landing.examples] or None


def landing_output(landing: LandingView) -> Any:
    return gr.update(placeholder=landing.overview_markdown, examples=_examples(landing))


def _chat_outputs(view: ChatView) -> tuple:
    # keep the question box until the answer is complete, then clear it for the next one
    box = "" if view.done else gr.update()
    sources = view.sources_html if view.sources_html else gr.update()
    copy = view.copy_text if view.done else gr.update()
    turns = render.answer_choices(view.answers)
    which = gr.update(choices=turns, value=turns[0][1] if turns else None) if view.done else gr.update()
    return view.messages, view.history, sources, view.status_html, copy, box, view.sources, view.answers, which


def _correction_outputs(view: CorrectionView, *, reset: bool = False) -> tuple:
    radio = gr.update(choices=view.choices, value=None)
    base = (gr.update(visible=view.open), radio, view.passages, view.message_html)
    return (*base, "", "") if reset else (*base, gr.update(), gr.update())
