"""The Gradio workspace: 问答, 简报, 评测, 知识库. Layout and wiring only; logic is in ui.handlers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import gradio as gr

from assistant.config import Settings
from ui import render
from ui.handlers import Workspace
from ui.improve import ALL_USERS, STATUS_FILTERS, VERDICT_FILTERS, Improvement
from ui.security import ALLOWED_SUFFIXES, SUITE_SUFFIXES, login_throttle, parse_auth
from ui.style import CSS, HEAD
from ui.views import ChatView, CorrectionView, FeedbackListView, KnowledgeView, LandingView, SynonymView

TITLE = "规划文件问答助手"
CHAT_CONCURRENCY = 8  # answers run in worker threads: offline a few ms of CPU each, an LLM call waits on I/O
QUEUE_MAX = 200
QUEUE_STATUS_S = 2.0  # how often waiting requests hear their place in the queue

# gradio swaps in a fresh tracker per call; the default only marks the parameter
PROGRESS = gr.Progress()

COPY_JS = "(text) => { if (navigator.clipboard) { navigator.clipboard.writeText(text || ''); } return []; }"


def _progress_cb(progress: gr.Progress):
    def report(done: int, total: int, label: str) -> None:
        progress(done / total if total else 0.0, desc=label)

    return report


def build_app(assistant: Any, settings: Settings) -> gr.Blocks:
    """Build the four-tab workspace around an assistant (real or fake)."""
    ws = Workspace(assistant, settings)
    imp = Improvement(assistant, settings)
    suites = imp.suite_names()
    types = " ".join(ALLOWED_SUFFIXES)
    landing = ws.landing()

    with gr.Blocks(title=TITLE, analytics_enabled=False) as demo:
        gr.Markdown(f"## {TITLE}")
        with gr.Tabs():
            # --- 问答 ------------------------------------------------------------------------
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

            # --- 简报 ------------------------------------------------------------------------
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

            # --- 评测 ------------------------------------------------------------------------
            with gr.Tab("评测", id="eval") as eval_tab:
                with gr.Row():
                    suite = gr.Dropdown(
                        choices=suites,
                        value=suites[0] if suites else None,
                        label="评测集（内置，或由反馈生成）",
                        elem_id="suite",
                    )
                    suite_file = gr.File(
                        label="或上传评测集（" + " ".join(SUITE_SUFFIXES) + "）",
                        file_types=list(SUITE_SUFFIXES),
                        type="filepath",
                        elem_id="suite-file",
                    )
                    eval_go = gr.Button("运行评测", variant="primary", elem_id="eval-go")
                eval_msg = gr.HTML(elem_id="eval-msg", min_height=40)
                metrics = gr.HTML(elem_id="eval-metrics")
                chart = gr.HTML(elem_id="eval-chart")
                by_type = gr.HTML(elem_id="eval-by-type")
                failures = gr.HTML(elem_id="eval-failures")
                eval_items = gr.HTML(elem_id="eval-items")
                dl_report = gr.DownloadButton("下载报告", visible=False, elem_id="dl-report")

                gr.Markdown("### 用户反馈")
                with gr.Row(equal_height=True):
                    fl_verdict = gr.Dropdown(choices=VERDICT_FILTERS, value="", label="评价", elem_id="fl-verdict")
                    fl_status = gr.Dropdown(choices=STATUS_FILTERS, value="", label="状态", elem_id="fl-status")
                    fl_user = gr.Dropdown(choices=[ALL_USERS], value="", label="用户", elem_id="fl-user")
                    fl_text = gr.Textbox(label="关键词", elem_id="fl-text", max_length=200)
                    fl_go = gr.Button("筛选", elem_id="fl-go", min_width=80)
                fl_table = gr.HTML(elem_id="fl-table")
                with gr.Row():
                    fl_csv = gr.DownloadButton("导出 CSV", visible=False, elem_id="fl-csv")
                    fl_xlsx = gr.DownloadButton("导出 Excel", visible=False, elem_id="fl-xlsx")
                with gr.Row(equal_height=True):
                    fl_pick = gr.Dropdown(choices=[], value=None, label="选择一条反馈", elem_id="fl-pick", scale=3)
                    fl_suite = gr.Textbox(value="反馈", label="评测集名称", elem_id="fl-suite", scale=1, max_length=40)
                    fl_to_suite = gr.Button("加入评测集", elem_id="fl-to-suite", min_width=100)
                    fl_curate = gr.Button("设为标准问答（管理员）", elem_id="fl-curate", min_width=160)
                fl_msg = gr.HTML(elem_id="fl-msg")
                gr.Markdown("### 标准问答")
                cu_table = gr.HTML(elem_id="cu-table")
                with gr.Row(equal_height=True):
                    cu_pick = gr.Dropdown(
                        choices=[], value=None, label="停用一条标准问答（管理员）", elem_id="cu-pick", scale=4
                    )
                    cu_revoke = gr.Button("停用", variant="stop", elem_id="cu-revoke", scale=1, min_width=80)

            # --- 知识库 -----------------------------------------------------------------------
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

        # --- wiring ----------------------------------------------------------------------------
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

        # --- feedback on an answer -------------------------------------------------------------------
        fb_outputs = [fb_form, fb_passage, fb_passages, fb_msg]

        def fb_ok_fn(kept, turn, request: gr.Request):
            return gr.update(visible=False), imp.mark_correct(kept, turn, _user(request))

        def fb_wrong_fn(kept, turn):
            return _correction_outputs(imp.open_correction(kept, turn), reset=True)

        def fb_find_fn(query, kept, turn):
            view = imp.find_passages(query, kept, turn)
            return gr.update(choices=view.choices, value=None), view.passages, view.message_html

        def fb_submit_fn(kept, turn, correction, passages, choice, request: gr.Request):
            message = imp.submit_correction(kept, turn, correction, passages, choice, _user(request))
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

        # --- the feedback list, suites and curated pairs (评测) -------------------------------------------
        filters = [fl_verdict, fl_status, fl_user, fl_text]
        fl_outputs = [fl_table, fl_pick, fl_user, fl_csv, fl_xlsx, fl_msg, cu_table, cu_pick, suite]

        def fl_fn(verdict, status_value, user_value, text, suite_value):
            return _list_outputs(imp.feedback_list(verdict, status_value, user_value, text), suite_value)

        def to_suite_fn(pick, name, verdict, status_value, user_value, text, suite_value, request: gr.Request):
            view = imp.to_suite(pick, name, _user(request), verdict, status_value, user_value, text)
            chosen = (name or "").strip() if 'class="msg ok"' in view.message_html else suite_value
            return _list_outputs(view, chosen)

        def curate_fn(pick, verdict, status_value, user_value, text, suite_value, request: gr.Request):
            view = imp.curate(pick, _user(request), verdict, status_value, user_value, text)
            return _list_outputs(view, suite_value)

        def revoke_fn(pick, verdict, status_value, user_value, text, suite_value, request: gr.Request):
            view = imp.revoke(pick, _user(request), verdict, status_value, user_value, text)
            return _list_outputs(view, suite_value)

        fl = {"api_visibility": "private", "concurrency_limit": 2, "concurrency_id": "feedback-list"}
        fl_go.click(fl_fn, [*filters, suite], fl_outputs, **fl)
        fl_text.submit(fl_fn, [*filters, suite], fl_outputs, **fl)
        eval_tab.select(fl_fn, [*filters, suite], fl_outputs, **fl)
        fl_to_suite.click(to_suite_fn, [fl_pick, fl_suite, *filters, suite], fl_outputs, **fl)
        fl_curate.click(curate_fn, [fl_pick, *filters, suite], fl_outputs, **fl)
        cu_revoke.click(revoke_fn, [cu_pick, *filters, suite], fl_outputs, **fl)

        # --- retrieval test and synonyms (知识库) -------------------------------------------------------
        def hit_fn(question_value):
            return imp.hit_test(question_value)[0]

        ht_go.click(hit_fn, [ht_question], [ht_result], **fl)
        ht_question.submit(hit_fn, [ht_question], [ht_result], **fl)
        sy_outputs = [sy_html, sy_pick, sy_msg, sy_new]
        sy_add.click(lambda text: _synonym_outputs(imp.add_synonyms(text)), [sy_new], sy_outputs, **fl)
        sy_new.submit(lambda text: _synonym_outputs(imp.add_synonyms(text)), [sy_new], sy_outputs, **fl)
        sy_remove.click(lambda pick: _synonym_outputs(imp.remove_synonyms(pick)), [sy_pick], sy_outputs, **fl)
        demo.load(lambda: _synonym_outputs(imp.synonyms_view()), None, sy_outputs, api_visibility="private")

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
            show_progress_on=[brief_preview],
        )

        def eval_fn(suite_value, upload_value, progress=PROGRESS):
            view = ws.eval_run(suite_value, upload_value, progress=_progress_cb(progress))
            return (
                view.message_html,
                view.metrics_html,
                view.charts_html,
                view.by_type_html,
                view.failures_html,
                view.items_html,
                gr.update(value=view.report_path, visible=view.report_path is not None),
            )

        eval_go.click(
            eval_fn,
            [suite, suite_file],
            [eval_msg, metrics, chart, by_type, failures, eval_items, dl_report],
            api_visibility="private",
            concurrency_limit=1,
            concurrency_id="eval",
            show_progress_on=[eval_msg],  # one progress bar, not one per output
        )

        kb_outputs = [docs_html, kb_msg, doc, year, brief_doc, kb_target]
        kb = {"concurrency_limit": 1, "concurrency_id": "kb", "api_visibility": "private"}

        def kb_refresh():
            return _kb_outputs(ws.knowledge())

        def landing_fn():
            return _landing_output(ws.landing())

        def upload_fn(paths, progress=PROGRESS):
            return (*_kb_outputs(ws.upload(paths, progress=_progress_cb(progress))), None, "")

        def reindex_fn(progress=PROGRESS):
            return (*_kb_outputs(ws.reindex(progress=_progress_cb(progress))), "")

        def ask_confirm(value):
            return gr.update(visible=True), ws.confirm_removal(value)

        def remove_fn(value):
            return (*_kb_outputs(ws.remove(value)), gr.update(visible=False), "")

        def cancel_fn():
            return gr.update(visible=False), ""

        kb_ingest.click(
            upload_fn, [files], [*kb_outputs, files, kb_progress], show_progress_on=[kb_progress], **kb
        ).then(landing_fn, None, [chatbot], api_visibility="private")
        kb_reindex.click(
            reindex_fn, None, [*kb_outputs, kb_progress], show_progress_on=[kb_progress], **kb
        ).then(landing_fn, None, [chatbot], api_visibility="private")
        kb_remove.click(ask_confirm, [kb_target], [confirm_box, confirm_html], api_visibility="private",
                        queue=False)
        kb_cancel.click(cancel_fn, None, [confirm_box, confirm_html], api_visibility="private", queue=False)
        kb_confirm.click(
            remove_fn, [kb_target], [*kb_outputs, confirm_box, confirm_html], show_progress_on=[kb_progress], **kb
        ).then(landing_fn, None, [chatbot], api_visibility="private")
        demo.load(kb_refresh, None, kb_outputs, api_visibility="private")
    return demo


def _examples(landing: LandingView) -> list[dict[str, str]] | None:
    return [{"text": q} for q in landing.examples] or None


def _landing_output(landing: LandingView) -> Any:
    return gr.update(placeholder=landing.overview_markdown, examples=_examples(landing))


def _chat_outputs(view: ChatView) -> tuple:
    # keep the question box until the answer is complete, then clear it for the next one
    box = "" if view.done else gr.update()
    sources = view.sources_html if view.sources_html else gr.update()
    copy = view.copy_text if view.done else gr.update()
    turns = render.answer_choices(view.answers)
    which = gr.update(choices=turns, value=turns[0][1] if turns else None) if view.done else gr.update()
    return view.messages, view.history, sources, view.status_html, copy, box, view.sources, view.answers, which


def _user(request: gr.Request | None) -> str | None:
    """The logged-in user (None when no login is configured)."""
    return getattr(request, "username", None) or None


def _correction_outputs(view: CorrectionView, *, reset: bool = False) -> tuple:
    radio = gr.update(choices=view.choices, value=None)
    base = (gr.update(visible=view.open), radio, view.passages, view.message_html)
    return (*base, "", "") if reset else (*base, gr.update(), gr.update())


def _list_outputs(view: FeedbackListView, suite_value: str | None) -> tuple:
    chosen = suite_value if suite_value in view.suites else (view.suites[0] if view.suites else None)
    return (
        view.table_html,
        gr.update(choices=view.choices, value=None),
        gr.update(choices=view.users),
        gr.update(value=view.csv_path, visible=view.csv_path is not None),
        gr.update(value=view.xlsx_path, visible=view.xlsx_path is not None),
        view.message_html,
        view.curated_html,
        gr.update(choices=view.curated_choices, value=None),
        gr.update(choices=view.suites, value=chosen),
    )


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
