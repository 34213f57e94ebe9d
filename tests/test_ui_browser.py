"""End to end in a real headless Chromium: ask, open a source, follow up, brief, evaluate, upload.

Screenshots go to out/screenshots/. Needs Debian's chromium (apt-get install chromium chromium-driver).
"""

from __future__ import annotations

import contextlib
import json
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.config import Settings
from ingest.pipeline import ingest_into

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
SHOTS = ROOT / "out" / "screenshots"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="/usr/bin/chromium is not installed (apt-get install chromium)"
    ),
]

# an uploaded document whose key sentence also carries markup that must show as text
UPLOAD_TEXT = """滨河新区智慧园区建设规划

一、建设目标

到2030年，滨河新区建成智慧园区18个，园区5G覆盖率达到100%。<script>window.__pwned = 1</script>![x](http://127.0.0.1:9/x.png)

二、保障措施

建立园区建设联席会议制度。
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def served_workspace(settings: Settings) -> Iterator[str]:
    """The real assistant built from settings, with corpus files 001 and 003 ingested, served on 127.0.0.1."""
    from assistant.service import build_assistant
    from ui.app import build_app, launch_options, prepare

    assistant = build_assistant(settings)
    corpus = ROOT / "data" / "corpus"
    report = ingest_into(assistant, [*corpus.glob("001_*.txt"), *corpus.glob("003_*.txt")])
    assert report.documents >= 2
    app = prepare(build_app(assistant, settings))
    opts = launch_options(settings, port=_free_port())
    app.launch(prevent_thread_lock=True, **opts)
    try:
        yield f"http://127.0.0.1:{opts['server_port']}/"
    finally:
        app.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[str]:
    """The real assistant (offline extractive, hash embedder) on two small corpus files, served locally."""
    tmp = tmp_path_factory.mktemp("ui")
    settings = Settings(
        _env_file=None, data_dir=tmp / "var", corpus_dir=tmp / "corpus", embedding_backend="hash"
    )
    with served_workspace(settings) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture
def page(browser, server):
    SHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(accept_downloads=True, viewport={"width": 1400, "height": 1000})
    pg = context.new_page()
    dialogs: list[str] = []
    pg.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    pg.goto(server)
    pg.get_by_role("tab", name="问答").wait_for()
    yield pg
    assert not dialogs, f"page script ran from document text: {dialogs}"
    assert pg.evaluate("() => window.__pwned") is None
    context.close()


def _shot(pg, name: str) -> None:
    pg.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _ask(pg, question: str, *, turns: int) -> None:
    box = pg.locator("#question textarea")
    box.fill(question)
    box.press("Enter")
    # the answer is final when its citation links (or the not-found notice) are in place
    pg.wait_for_function(
        """(n) => {
            const status = document.querySelector('#chat-status');
            const bots = document.querySelectorAll('#chatbot [data-testid="bot"]');
            return status && !status.innerText.includes('检索与生成中') && bots.length >= n;
        }""",
        arg=turns,
        timeout=60_000,
    )


def _tab(pg, name: str) -> None:
    pg.get_by_role("tab", name=name).click()


def test_ask_open_source_and_follow_up(page):
    _ask(page, "2021年城镇新增就业目标是多少？", turns=1)
    cite = page.locator("#chatbot a.cite").first
    cite.wait_for()
    assert "4.9万人" in page.locator("#chatbot").inner_text()
    assert "离线抽取式" in page.locator("#chat-status").inner_text()
    _shot(page, "01_answer")
    cite.click()
    opened = page.locator("#sources details[open]").first
    opened.wait_for()
    assert "城镇新增就业" in opened.locator("mark").first.inner_text()
    summary = opened.locator("summary").inner_text()
    assert "政府工作报告" in summary and " > " in summary and "行" in summary and "001_" in summary
    _shot(page, "02_source_opened")

    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.locator("#copy").click()
    copied = page.evaluate("() => navigator.clipboard.readText()")
    assert "[1]" in copied and "来源" in copied and "<a" not in copied

    _ask(page, "那粮食产量呢？", turns=2)
    status = page.locator("#chat-status").inner_text()
    assert "结合上文改写" in status and "城镇新增就业" in status  # the condensed question carries the context
    assert "280万吨" in page.locator("#chatbot [data-testid=bot]").last.inner_text()
    _shot(page, "03_follow_up")

    page.locator("#clear").click()
    page.wait_for_function("() => !document.querySelector('#chatbot a.cite')")
    assert (
        "来源" not in page.locator("#sources").inner_text()
        or "暂无来源" in page.locator("#sources").inner_text()
    )

    _ask(page, "南极科考站有几座？", turns=1)
    assert "文档中未提及" in page.locator("#chatbot [data-testid=bot]").last.inner_text()
    _shot(page, "04_not_found")


def test_brief_preview_and_downloads(page, tmp_path):
    pytest.importorskip("assistant.briefing.brief", reason="assistant/brief.py (write_brief) is not in the tree yet")
    _tab(page, "简报")
    page.locator("#brief-topic textarea, #brief-topic input").first.fill("制造业高质量发展")
    page.locator("#brief-go").click()
    page.locator("#brief-preview h1, #brief-preview h2").first.wait_for(timeout=60_000)
    preview = page.locator("#brief-preview")
    assert "抽取式简报" in preview.inner_text() and preview.locator("sup.cite").count() >= 1
    preview.locator("details.source summary").first.click()
    assert preview.locator("details.source[open] mark").count() >= 1
    _shot(page, "05_brief")
    for elem, suffix in (("#dl-md", ".md"), ("#dl-docx", ".docx")):
        with page.expect_download() as info:
            page.locator(elem).click()
        target = tmp_path / f"brief{suffix}"
        info.value.save_as(target)
        assert target.stat().st_size > 0
        if suffix == ".md":
            assert "制造业高质量发展" in target.read_text(encoding="utf-8")
        else:
            assert target.read_bytes()[:2] == b"PK"


def test_run_tiny_suite(page, tmp_path):
    suite = tmp_path / "tiny.jsonl"
    rows = [
        {
            "id": "t1",
            "question": "2021年城镇新增就业目标是多少？",
            "answer": "4.9万人",
            "must_include": ["4.9万"],
            "evidence": ["城镇新增就业"],
            "type": "number",
        },
        {"id": "t2", "question": "南极科考站有几座？", "type": "unanswerable"},
    ]
    suite.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
    _tab(page, "评测")
    page.locator("#suite-file input[type=file]").set_input_files(str(suite))
    page.locator("#eval-go").click()
    page.locator("#eval-metrics table").wait_for(timeout=120_000)
    assert "hit@1" in page.locator("#eval-metrics").inner_text()
    page.locator("#eval-chart img").wait_for()
    _shot(page, "06_eval")
    with page.expect_download() as info:
        page.locator("#dl-report").click()
    report = tmp_path / "report.html"
    info.value.save_as(report)
    assert "tiny" in report.read_text(encoding="utf-8")


def test_upload_then_ask_about_it(page, tmp_path):
    doc = tmp_path / "滨河新区规划.txt"
    doc.write_text(UPLOAD_TEXT, encoding="utf-8")
    _tab(page, "知识库")
    page.locator("#kb-files input[type=file]").set_input_files(str(doc))
    page.locator("#kb-ingest").click()
    page.locator("#kb-docs").get_by_text("滨河新区智慧园区建设规划").first.wait_for(timeout=120_000)
    _shot(page, "07_uploaded")

    _tab(page, "问答")
    _ask(page, "滨河新区园区5G覆盖率要达到多少？", turns=1)
    page.locator("#chatbot a.cite").first.wait_for()
    sources = page.locator("#sources").inner_text()
    assert "滨河新区规划.txt" in sources and "100%" in page.locator("#chatbot").inner_text()
    page.locator("#chatbot a.cite").first.click()
    assert "<script>window.__pwned = 1</script>" in page.locator("#sources details[open]").first.inner_text()
    assert page.locator("#chatbot img, #sources img").count() == 0
    _shot(page, "08_ask_uploaded")
