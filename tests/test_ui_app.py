"""The workspace's handlers and the served app, driven with a fake assistant (no browser)."""

from __future__ import annotations

import ast
import re
import socket
from pathlib import Path

import pytest
from conftest import FakeAssistant

from assistant.config import Settings
from ui.handlers import Workspace

ROOT = Path(__file__).resolve().parent.parent
SECRET = "sk-test-secret-should-never-render-0123456789"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(
        _env_file=None,
        data_dir=tmp_path / "var",
        corpus_dir=tmp_path / "corpus",
        llm_api_key=SECRET,
        upload_max_mb=1,
    )


@pytest.fixture
def fake(settings: Settings) -> FakeAssistant:
    return FakeAssistant(settings)


def _recorded(assistant, paths, **kwargs):
    """Ingest through the fake assistant, which records what it was given."""
    return assistant.ingest(paths, **kwargs)


def _final(views):
    views = list(views)
    assert views[-1].done
    return views


def test_chat_streams_then_links_citations_and_fills_sources(fake, settings):
    fake.chat_model = "a streaming LLM"
    fake.token_delay = 0.25  # slower than the first update: the answer shows while it streams
    ws = Workspace(fake, settings, ingest=_recorded)
    views = _final(ws.chat("透明厨房有多少家", [], [], "", ""))
    partial = [v for v in views if not v.done and "全市" in v.messages[-1]["content"]]
    assert partial, "expected at least one partial (streamed) answer before the final one"
    final = views[-1]
    bubble = final.messages[-1]["content"]
    assert 'href="#src-1-1"' in bubble and "unverified" in bubble  # [2] is marked as not verified
    assert 'id="src-1-1"' in final.sources_html and "<mark>" in final.sources_html
    assert "未核验" in final.sources_html and "引文与原文不符" in final.sources_html
    assert "生成式" in final.status_html
    # the session remembers the question and the answer text the assistant gave, markers and all
    assert final.history == [("透明厨房有多少家", "全市12630家餐饮单位建成“透明厨房”[1]，抽检合格率98%以上[2]。")]
    assert "来源" in final.copy_text and "[1]" in final.copy_text


def test_document_text_is_escaped_in_sources(fake, settings):
    ws = Workspace(fake, settings, ingest=_recorded)
    final = _final(ws.chat("透明厨房", [], [], "", ""))[-1]
    shown = final.sources_html
    assert "<script" not in shown and "<img" not in shown
    assert "&lt;script&gt;" in shown  # shown as text
    assert "![x](http://evil.example/x.png)" in shown  # gr.HTML does not render Markdown: stays text


def test_follow_up_passes_history_and_shows_condensed_question(fake, settings):
    ws = Workspace(fake, settings, ingest=_recorded)
    first = _final(ws.chat("透明厨房有多少家", [], [], "", ""))[-1]
    second = _final(ws.chat("那合格率呢", first.messages, first.history, "", ""))[-1]
    assert fake.calls[1]["history"] == first.history
    assert "结合上文改写" in second.status_html and "透明厨房有多少家" in second.status_html
    assert len(second.messages) == 4


def test_an_emptied_chat_starts_a_new_conversation(fake, settings):
    ws = Workspace(fake, settings, ingest=_recorded)
    first = _final(ws.chat("透明厨房有多少家", [], [], "", ""))[-1]
    _final(ws.chat("那合格率呢", [], first.history, "", ""))
    assert fake.calls[1]["history"] == []


def test_filters_reach_the_assistant(fake, settings):
    ws = Workspace(fake, settings, ingest=_recorded)
    _final(ws.chat("透明厨房", [], [], "许昌市“十四五”市场监管现代化规划", "2022"))
    assert fake.calls[0]["doc"] == "许昌市“十四五”市场监管现代化规划" and fake.calls[0]["year"] == 2022


def test_abstention_is_plain(fake, settings):
    final = _final(Workspace(fake, settings, ingest=_recorded).chat("火星基地建设目标", [], [], "", ""))[-1]
    assert "文档中未提及" in final.messages[-1]["content"]
    assert "离线抽取式" in final.status_html


def test_sessions_do_not_share_history(fake, settings):
    ws = Workspace(fake, settings, ingest=_recorded)
    a = _final(ws.chat("透明厨房", [], [], "", ""))[-1]
    b = _final(ws.chat("火星", [], [], "", ""))[-1]
    assert len(a.history) == 1 and len(b.history) == 1 and a.history != b.history
    assert fake.calls[1]["history"] == []


def test_assistant_error_is_shown_not_raised(settings):
    class Broken(FakeAssistant):
        def ask(self, *a, **kw):
            raise RuntimeError("index missing")

    final = _final(Workspace(Broken(settings), settings).chat("问题", [], [], "", ""))[-1]
    assert "index missing" in final.messages[-1]["content"]


def test_error_messages_never_echo_the_key(settings):
    class Leaky(FakeAssistant):
        def ask(self, *a, **kw):
            raise RuntimeError(f"401 bad key {SECRET}")

    final = _final(Workspace(Leaky(settings), settings).chat("问题", [], [], "", ""))[-1]
    assert SECRET not in final.messages[-1]["content"] and "401" in final.messages[-1]["content"]


def test_upload_checks_type_size_and_name_then_ingests(fake, settings, tmp_path):
    ws = Workspace(fake, settings, ingest=_recorded)
    good = tmp_path / "in" / "..新规划.txt"
    good.parent.mkdir()
    good.write_text("新区发展规划\n到2030年建成智慧园区。\n", encoding="utf-8")
    exe = tmp_path / "in" / "evil.exe"
    exe.write_bytes(b"MZ")
    big = tmp_path / "in" / "big.txt"
    big.write_bytes(b"x" * (2 * 1024 * 1024))
    view = ws.upload([good, exe, big])
    stored = list((settings.data_dir / "uploads").iterdir())
    assert [p.name for p in stored] == ["新规划.txt"]
    assert "不支持的文件类型" in view.message_html and "文件过大" in view.message_html
    assert "新区发展规划" in view.documents_html
    assert ("新区发展规划（新规划.txt）", "新区发展规划") in view.doc_choices
    # the chat sees the new document at once
    final = _final(ws.chat("智慧园区", [], [], "", ""))[-1]
    assert "新规划.txt" in final.sources_html


def test_removing_a_file_is_confirmed_first_and_names_all_its_documents(fake, settings):
    ws = Workspace(fake, settings, ingest=_recorded)
    choices = {v: k for k, v in ws.knowledge().removal_choices}
    assert "file:004_gazette.txt" in choices and "doc:d2" in choices

    confirm = ws.confirm_removal("file:004_gazette.txt")
    assert fake.removed == []  # asking is not removing
    assert "004_gazette.txt" in confirm and "全部 3 篇文档" in confirm and "教育事业发展规划" in confirm

    view = ws.remove("file:004_gazette.txt")
    assert fake.removed == ["004_gazette.txt"]
    assert "已移除文件" in view.message_html and "知识库为空" in view.documents_html


def test_removing_one_plan_of_a_gazette_keeps_the_others(fake, settings):
    ws = Workspace(fake, settings, ingest=_recorded)

    confirm = ws.confirm_removal("doc:d2")
    assert "只移除" in confirm and "许昌市“十四五”教育事业发展规划" in confirm and "其他 2 篇文档保留" in confirm
    assert "市场监管" not in confirm

    view = ws.remove("doc:d2")
    assert fake.removed == ["d2"]
    assert "已移除文档 许昌市“十四五”教育事业发展规划" in view.message_html
    assert "教育事业发展规划" not in view.documents_html and "市场监管现代化规划" in view.documents_html
    assert "共 2 篇文档，1 个文件" in view.documents_html


def test_eval_upload_rejects_wrong_type(fake, settings, tmp_path):
    bad = tmp_path / "suite.txt"
    bad.write_text("x", encoding="utf-8")
    view = Workspace(fake, settings, ingest=_recorded).eval_run(None, bad)
    assert "不支持的文件类型" in view.message_html


def test_eval_runs_an_uploaded_jsonl_suite(fake, settings, tmp_path):
    suite = tmp_path / "tiny.jsonl"
    suite.write_text(
        '{"id": "t1", "question": "透明厨房有多少家", "answer": "12630家", "must_include": ["12630"],'
        ' "evidence": ["12630家餐饮单位"], "type": "number"}\n'
        '{"id": "t2", "question": "火星基地", "type": "unanswerable"}\n',
        encoding="utf-8",
    )
    view = Workspace(fake, settings, ingest=_recorded).eval_run(None, suite)
    assert "2 题" in view.message_html, view.message_html
    assert "must_include" in view.metrics_html and view.report_path and Path(view.report_path).is_file()
    assert "data:image/png;base64" in view.charts_html


def test_nothing_in_assistant_or_ingest_imports_gradio():
    for folder in ("assistant", "ingest"):
        for path in (ROOT / folder).rglob("*.py"):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                names = []
                if isinstance(node, ast.Import):
                    names = [a.name for a in node.names]
                elif isinstance(node, ast.ImportFrom) and node.module:
                    names = [node.module]
                assert not any(n.split(".")[0] == "gradio" for n in names), f"{path} imports gradio"


# --- the served app -------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def served(fake, settings):
    from ui.app import build_app, launch_options, prepare

    app = prepare(build_app(fake, settings))
    opts = launch_options(settings, port=_free_port())
    app.launch(prevent_thread_lock=True, **opts)
    try:
        yield app, f"http://127.0.0.1:{opts['server_port']}/"
    finally:
        app.close()


def test_served_app_listens_locally_and_never_leaks_the_key(served):
    import httpx

    app, url = served
    assert app.server_name == "127.0.0.1"
    page = httpx.get(url, timeout=10).text
    config = httpx.get(url + "config", timeout=10).text
    for text in (page, config):
        assert SECRET not in text
    assert "问答" in config and "知识库" in config


def test_chat_endpoint_through_gradio_client(served):
    from gradio_client import Client

    _, url = served
    client = Client(url, verbose=False)
    result = client.predict("透明厨房有多少家", [], "", "", api_name="/ask")
    messages, sources = result[0], result[1]
    content = messages[-1]["content"]  # gradio 6 sends content as a list of parts
    text = content if isinstance(content, str) else "".join(part.get("text", "") for part in content)
    assert messages[-1]["role"] == "assistant" and "12630" in text
    assert 'id="src-1-1"' in sources


def test_login_is_required_when_auth_is_set(fake, settings):
    import httpx

    from ui.app import build_app, launch_options, prepare

    settings.auth = "alice:pw1"
    app = prepare(build_app(fake, settings))
    opts = launch_options(settings, port=_free_port())
    app.launch(prevent_thread_lock=True, **opts)
    url = f"http://127.0.0.1:{opts['server_port']}/"
    try:
        with httpx.Client(timeout=10) as anon:
            assert anon.get(url + "config").status_code in (401, 403)
        with httpx.Client(timeout=10) as user:
            assert user.post(url + "login", data={"username": "alice", "password": "nope"}).status_code >= 400
            assert user.post(url + "login", data={"username": "alice", "password": "pw1"}).status_code == 200
            assert "知识库" in user.get(url + "config").text
    finally:
        app.close()


def test_launch_options_parse_auth(settings, tmp_path):
    from ui.app import launch_options

    settings.auth = "alice:pw1, bob:pw:2"
    assert launch_options(settings)["auth"] == [("alice", "pw1"), ("bob", "pw:2")]
    assert launch_options(settings, host="0.0.0.0")["server_name"] == "0.0.0.0"


# --- 问答: each answer's own sources, citation numbers, limits, notices, landing ----------------------------


def test_an_earlier_answers_markers_still_open_its_own_sources(fake, settings):
    ws = Workspace(fake, settings, ingest=_recorded)
    first = _final(ws.chat("透明厨房有多少家", [], [], "", ""))[-1]
    second = _final(ws.chat("那合格率呢", first.messages, first.history, "", "", first.sources))[-1]

    assert 'href="#src-1-1"' in second.messages[1]["content"]  # the first answer's bubble, unchanged
    assert 'href="#src-2-1"' in second.messages[3]["content"]
    assert 'id="src-1-1"' in second.sources_html and 'id="src-2-1"' in second.sources_html
    assert [b[0] for b in second.sources] == [1, 2]


def test_an_answer_ready_at_once_is_one_update(fake, settings):
    fake.chat_model = "a streaming LLM"
    fake.token_delay = 0
    views = _final(Workspace(fake, settings, ingest=_recorded).chat("透明厨房有多少家", [], [], "", ""))
    assert len(views) == 1  # no placeholder, no partial: each update resends the chat to the browser

    fake.chat_model = None  # offline: asked in the request's own thread, one update
    views = _final(Workspace(fake, settings, ingest=_recorded).chat("透明厨房有多少家", [], [], "", ""))
    assert len(views) == 1 and "12630" in views[0].messages[-1]["content"]


def test_citation_numbers_run_from_one_in_order_of_first_use(settings):
    from assistant.models import Answer, Citation

    class Gappy(FakeAssistant):
        def ask(self, question, **kwargs):
            cites = [Citation(n, "004_gazette.txt", "规划", "规划 > 一", [4, 4], f"第{n}条") for n in (1, 5)]
            return Answer(question, question, "甲[5]。乙[1]，丙[1]。", "extractive", False, cites)

    final = _final(Workspace(Gappy(settings), settings).chat("问题", [], [], "", ""))[-1]
    bubble = final.messages[-1]["content"]
    assert 'href="#src-1-1"' in bubble and 'href="#src-1-2"' in bubble and "#src-1-5" not in bubble
    assert bubble.index('data-n="1"') < bubble.index('data-n="2"')
    assert final.copy_text.startswith("甲[1]。乙[2]，丙[2]。")


def test_a_1_mb_question_is_refused_in_chinese_without_asking(fake, settings):
    ws = Workspace(fake, settings, ingest=_recorded)
    final = _final(ws.chat("问" * 1_000_000, [], [], "", ""))[-1]

    assert "问题过长" in final.messages[-1]["content"] and "2,000" in final.messages[-1]["content"]
    assert fake.calls == []
    assert len(final.messages[0]["content"]) < 10_000  # the question is not echoed back whole


def test_what_a_client_sends_back_is_bounded(fake, settings):
    ws = Workspace(fake, settings, ingest=_recorded)
    sent = [{"role": "user", "content": "x" * 5_000_000}] + [{"role": "user", "content": "y"}] * 500
    final = _final(ws.chat("透明厨房", sent, [("旧问题" * 1000, "旧答案")] * 100, "", ""))[-1]

    assert len(final.messages) <= 62 and all(len(str(m["content"])) < 100_000 for m in final.messages)
    assert len(fake.calls[0]["history"]) <= settings.max_history_turns


def test_a_filter_that_excludes_the_answer_says_so(fake, settings):
    ws = Workspace(fake, settings, ingest=_recorded)
    final = _final(ws.chat("透明厨房有多少家", [], [], "许昌市“十四五”教育事业发展规划", ""))[-1]

    assert "文档中未提及" in final.messages[-1]["content"]
    assert "限定范围" in final.status_html and "市场监管现代化规划" in final.status_html


def test_an_english_question_gets_a_hint(fake, settings):
    final = _final(Workspace(fake, settings, ingest=_recorded).chat("What is the target for 2025?", [], [], "", ""))
    assert "请用中文提问" in final[-1].status_html


def test_landing_shows_the_knowledge_base_and_examples_from_its_documents(fake, settings):
    view = Workspace(fake, settings, ingest=_recorded).landing()

    assert "知识库一览：3 篇文档，1 个文件" in view.overview_markdown
    assert "规划 3 篇" in view.overview_markdown and "许昌市 3 篇" in view.overview_markdown
    assert "2022年 3 篇" in view.overview_markdown
    assert view.examples and all("《" in q for q in view.examples)


# --- 知识库: upload limits and rejections ---------------------------------------------------------------


def test_upload_count_is_limited(fake, settings, tmp_path):
    settings.upload_max_files = 2
    paths = []
    for i in range(4):
        p = tmp_path / f"规划{i}.txt"
        p.write_text(f"规划{i}\n内容。\n", encoding="utf-8")
        paths.append(p)
    view = Workspace(fake, settings, ingest=_recorded).upload(paths)
    assert "一次最多上传 2 个文件" in view.message_html and "规划3.txt" in view.message_html
    assert sorted(p.name for p in (settings.data_dir / "uploads").iterdir()) == ["规划0.txt", "规划1.txt"]


def test_a_file_the_ingest_rejects_is_named_in_chinese_and_removed_from_uploads(fake, settings, tmp_path):
    from assistant.models import IngestReport

    def rejecting(assistant, paths, **kwargs):
        return IngestReport(skipped=[(str(p), "binary file, not text") for p in paths])

    bad = tmp_path / "扫描件.pdf"
    bad.write_bytes(b"%PDF-1.4 not really")
    view = Workspace(fake, settings, ingest=rejecting).upload([bad])

    assert "扫描件.pdf：二进制文件，不是文本" in view.message_html
    shown = re.sub(r"<[^>]+>", "", view.message_html)
    assert str(settings.data_dir) not in shown and "/" not in shown and "binary" not in shown
    assert list((settings.data_dir / "uploads").iterdir()) == []  # 重新索引 will not retry it


# --- login: rate-limited per client ------------------------------------------------------------------------


def test_login_is_locked_after_repeated_failures_with_a_chinese_message(fake, settings):
    import httpx

    from ui.app import build_app, launch_options, prepare

    settings.auth = "alice:pw1"
    settings.login_max_failures = 3
    app = prepare(build_app(fake, settings))
    opts = launch_options(settings, port=_free_port())
    app.launch(prevent_thread_lock=True, **opts)
    url = f"http://127.0.0.1:{opts['server_port']}/"
    try:
        with httpx.Client(timeout=10) as client:
            codes = [client.post(url + "login", data={"username": "alice", "password": f"x{i}"}).status_code
                     for i in range(5)]
            assert codes[:3] == [400, 400, 400] and codes[3:] == [429, 429]
            locked = client.post(url + "login", data={"username": "alice", "password": "pw1"})
            assert locked.status_code == 429  # even the right password waits out the lockout
            assert "登录失败次数过多" in locked.json()["detail"] and "分钟后再试" in locked.json()["detail"]
    finally:
        app.close()


def test_the_lockout_is_per_client_and_ends() -> None:
    import asyncio

    from ui.security import LoginThrottle

    now = [0.0]

    async def app(scope, receive, send):
        ok = scope.get("password") == "right"
        await send({"type": "http.response.start", "status": 200 if ok else 400, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    throttle = LoginThrottle(app, max_failures=2, lockout_s=60, clock=lambda: now[0])

    def attempt(client: str, password: str) -> int:
        sent: list[dict] = []

        async def send(message):
            sent.append(message)

        scope = {"type": "http", "method": "POST", "path": "/login", "client": (client, 1), "password": password}
        asyncio.run(throttle(scope, None, send))
        return sent[0]["status"]

    assert [attempt("10.0.0.1", "wrong") for _ in range(3)] == [400, 400, 429]
    assert attempt("10.0.0.2", "right") == 200  # another client is not affected
    now[0] = 61.0
    assert attempt("10.0.0.1", "right") == 200  # the lockout ran out


def test_a_briefing_topic_over_the_limit_is_refused_in_chinese(fake, settings):
    view = Workspace(fake, settings, ingest=_recorded).brief("教育" * 500_000)
    assert "简报主题过长" in view.preview_html and "InputTooLong" not in view.preview_html
    assert view.md_path is None and fake.calls == []
