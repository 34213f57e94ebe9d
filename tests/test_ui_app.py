"""The workspace's handlers and the served app, driven with a fake assistant (no browser)."""

from __future__ import annotations

import ast
import socket
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

from assistant.config import Settings
from assistant.models import Answer, Citation, Context, DocumentInfo, IngestReport
from ui.handlers import Workspace

ROOT = Path(__file__).resolve().parent.parent
SECRET = "sk-test-secret-should-never-render-0123456789"

DOC_LINES = [
    "许昌市“十四五”市场监管现代化规划",
    "一、发展环境",
    "（一）成效显著",
    "全市12630家餐饮单位建成“透明厨房”。<script>alert('x')</script>",
    "![x](http://evil.example/x.png) 食品安全抽检合格率保持在98%以上。",
    "二、总体要求",
]


class FakeAssistant:
    """Implements the Assistant methods the UI calls; records what it was asked."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.calls: list[dict] = []
        self.token_delay = 0.05
        self._lock = threading.Lock()
        self.docs: dict[str, list[DocumentInfo]] = {
            "004_gazette.txt": [
                DocumentInfo(
                    "d1", "004_gazette.txt", "许昌市“十四五”市场监管现代化规划", 1, 6, year=2022, chunks=3
                )
            ]
        }
        self.lines: dict[str, list[str]] = {"004_gazette.txt": list(DOC_LINES)}

    def documents(self) -> list[DocumentInfo]:
        with self._lock:
            return [d for docs in self.docs.values() for d in docs]

    def source_lines(self, source: str) -> list[str]:
        return self.lines[source]

    def ingest(self, paths: Sequence[Path], *, progress: Callable | None = None) -> IngestReport:
        report = IngestReport()
        for i, p in enumerate(paths):
            if progress:
                progress(i, len(paths), Path(p).name)
            text = Path(p).read_text(encoding="utf-8", errors="replace")
            lines = text.splitlines()
            with self._lock:
                self.lines[Path(p).name] = lines
                self.docs[Path(p).name] = [
                    DocumentInfo(
                        f"u{i}", Path(p).name, lines[0] if lines else Path(p).name, 1, len(lines), chunks=1
                    )
                ]
            report.files += 1
            report.documents += 1
            report.chunks += 1
        return report

    def remove(self, name: str) -> list[str]:
        with self._lock:
            if name in self.docs:
                del self.docs[name]
                return [name]
        return []

    def ask(self, question, *, history=(), k=None, doc=None, year=None, on_token=None) -> Answer:
        self.calls.append({"question": question, "history": list(history), "doc": doc, "year": year})
        condensed = f"{history[-1][0]}：{question}" if history else question
        if "火星" in question:
            return Answer(question, condensed, "文档中未提及。", "extractive", True)
        for source, lines in self.lines.items():
            # the line sharing most character pairs with the question (at least three)
            pairs = {question[i : i + 2] for i in range(len(question) - 1)}
            scored = [(sum(p in line for p in pairs), -i, i) for i, line in enumerate(lines)]
            best = max(scored, default=(0, 0, 0))
            hits = [best[2]] if best[0] >= 3 else []
            if hits and source != "004_gazette.txt":
                n = hits[0] + 1
                quote = lines[hits[0]]
                return Answer(
                    question,
                    condensed,
                    f"{quote}[1]",
                    "extractive",
                    False,
                    [Citation(1, source, lines[0], lines[0], [n, n], quote)],
                )
        text = "全市12630家餐饮单位建成“透明厨房”[1]，抽检合格率98%以上[2]。"
        if on_token:
            for piece in (text[:8], text[8:20], text[20:]):
                on_token(piece)
                time.sleep(self.token_delay)
        citations = [
            Citation(
                1,
                "004_gazette.txt",
                DOC_LINES[0],
                f"{DOC_LINES[0]} > 一、发展环境",
                [4, 4],
                "全市12630家餐饮单位建成“透明厨房”。",
            ),
            Citation(
                2,
                "004_gazette.txt",
                DOC_LINES[0],
                f"{DOC_LINES[0]} > 一、发展环境",
                [5, 5],
                "合格率保持在99%",
                verified=False,
                problem="引文与原文不符",
            ),
        ]
        contexts = [
            Context(
                1, "004_gazette.txt", DOC_LINES[0], "一、发展环境", [4, 5], "\n".join(DOC_LINES[3:5]), 1.0
            )
        ]
        return Answer(question, condensed, text, "llm", False, citations, contexts, notice=None)


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
    ws = Workspace(fake, settings, ingest=_recorded)
    views = _final(ws.chat("透明厨房有多少家", [], [], "", ""))
    partial = [v for v in views if not v.done and "全市" in v.messages[-1]["content"]]
    assert partial, "expected at least one partial (streamed) answer before the final one"
    final = views[-1]
    bubble = final.messages[-1]["content"]
    assert 'href="#src-1"' in bubble and "unverified" in bubble  # [2] is marked as not verified
    assert 'id="src-1"' in final.sources_html and "<mark>" in final.sources_html
    assert "未核验" in final.sources_html and "引文与原文不符" in final.sources_html
    assert "生成式" in final.status_html
    assert final.history == [("透明厨房有多少家", fake.calls[0] and final.history[0][1])]
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


def test_remove_drops_the_document(fake, settings):
    ws = Workspace(fake, settings, ingest=_recorded)
    view = ws.remove("004_gazette.txt")
    assert "已移除" in view.message_html and "知识库为空" in view.documents_html


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
    assert 'id="src-1"' in sources


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
