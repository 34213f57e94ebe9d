"""The 评测 tab: running a suite (metrics, charts, failed items, the report), the users' feedback with its
filters and exports, adding feedback to a suite, curated pairs."""

from __future__ import annotations

import gradio as gr

from ui.handlers import Workspace
from ui.improve import ALL_USERS, STATUS_FILTERS, VERDICT_FILTERS, Improvement
from ui.security import SUITE_SUFFIXES
from ui.tabs.common import IMPROVE_EVENTS, PROGRESS, progress_cb, request_user
from ui.views import FeedbackListView


def evaluation_tab(ws: Workspace, imp: Improvement, suites: list[str]) -> None:
    """Lay out the 评测 tab and wire its events."""
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

    # --- the feedback list, suites and curated pairs ----------------------------------------------
    filters = [fl_verdict, fl_status, fl_user, fl_text]
    fl_outputs = [fl_table, fl_pick, fl_user, fl_csv, fl_xlsx, fl_msg, cu_table, cu_pick, suite]

    def fl_fn(verdict, status_value, user_value, text, suite_value):
        return _list_outputs(imp.feedback_list(verdict, status_value, user_value, text), suite_value)

    def to_suite_fn(pick, name, verdict, status_value, user_value, text, suite_value, request: gr.Request):
        view = imp.to_suite(pick, name, request_user(request), verdict, status_value, user_value, text)
        chosen = (name or "").strip() if 'class="msg ok"' in view.message_html else suite_value
        return _list_outputs(view, chosen)

    def curate_fn(pick, verdict, status_value, user_value, text, suite_value, request: gr.Request):
        view = imp.curate(pick, request_user(request), verdict, status_value, user_value, text)
        return _list_outputs(view, suite_value)

    def revoke_fn(pick, verdict, status_value, user_value, text, suite_value, request: gr.Request):
        view = imp.revoke(pick, request_user(request), verdict, status_value, user_value, text)
        return _list_outputs(view, suite_value)

    fl = IMPROVE_EVENTS
    fl_go.click(fl_fn, [*filters, suite], fl_outputs, **fl)
    fl_text.submit(fl_fn, [*filters, suite], fl_outputs, **fl)
    eval_tab.select(fl_fn, [*filters, suite], fl_outputs, **fl)
    fl_to_suite.click(to_suite_fn, [fl_pick, fl_suite, *filters, suite], fl_outputs, **fl)
    fl_curate.click(curate_fn, [fl_pick, *filters, suite], fl_outputs, **fl)
    cu_revoke.click(revoke_fn, [cu_pick, *filters, suite], fl_outputs, **fl)

    # --- running a suite --------------------------------------------------------------------------
    def eval_fn(suite_value, upload_value, progress=PROGRESS):
        view = ws.eval_run(suite_value, upload_value, progress=progress_cb(progress))
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
