"""End to end in a real headless Chromium: the first screen, ask, open sources (an earlier answer's too), follow up,
brief, evaluate in Chinese, upload, remove one plan of a gazette after a confirmation, and a 390 px phone.

Screenshots go to out/screenshots/. Needs Debian's chromium (apt-get install chromium chromium-driver).
"""

from __future__ import annotations

import contextlib
import json
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import CHROMIUM

from assistant.config import Settings
from ingest.pipeline import ingest_into

ROOT = Path(__file__).resolve().parent.parent
SHOTS = ROOT / "out" / "screenshots"

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


def test_landing_shows_the_knowledge_base_and_asks_an_example(page):
    chat = page.locator("#chatbot")
    chat.get_by_text("知识库一览：2 篇文档，2 个文件").wait_for()
    overview = chat.inner_text()
    assert "政府工作报告 1 篇" in overview and "2023年 1 篇" in overview and "2021年 1 篇" in overview
    examples = chat.locator("button", has_text="？")
    assert examples.count() >= 1
    first = examples.first.inner_text().strip()
    assert "《" in first  # drawn from the documents' own titles, headings and indicators
    _shot(page, "00_landing")
    examples.first.click()
    page.locator("#chatbot a.cite").first.wait_for(timeout=60_000)
    assert first in page.locator("#chatbot [data-testid=user]").first.inner_text()
    assert "知识库一览" not in page.locator("#chatbot").inner_text()  # the landing gives way to the chat


def test_ask_open_source_and_follow_up(page):
    _ask(page, "2021年城镇新增就业目标是多少？", turns=1)
    cite = page.locator("#chatbot a.cite").first
    cite.wait_for()
    assert "4.9万人" in page.locator("#chatbot").inner_text()
    assert "离线抽取式" in page.locator("#chat-status").inner_text()
    _shot(page, "01_answer")
    cite.click()
    opened = page.locator("#sources details.source[open]").first
    opened.wait_for()
    assert "城镇新增就业" in opened.locator("mark").first.inner_text()
    summary = opened.locator("summary").inner_text()
    assert "政府工作报告" in summary and " › " in summary and "行" in summary and "001_" in summary
    _shot(page, "02_source_opened")

    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.locator("#copy").click()
    copied = page.evaluate("() => navigator.clipboard.readText()")
    assert "[1]" in copied and "来源" in copied and "<a" not in copied

    _ask(page, "那粮食产量呢？", turns=2)
    status = page.locator("#chat-status").inner_text()
    # the rewritten question: the new subject in the old question, not the two glued together
    assert "结合上文改写" in status and "2021年粮食产量目标是多少？" in status and "城镇新增就业" not in status
    assert "280万吨" in page.locator("#chatbot [data-testid=bot]").last.inner_text()
    _shot(page, "03_follow_up")

    # the first answer's marker still opens its own source (in the first answer's folded block)
    page.locator("#chatbot [data-testid=bot]").first.locator("a.cite").first.click()
    first_source = page.locator("#src-1-1")
    first_source.wait_for()
    assert first_source.evaluate("d => d.open && d.closest('details.answer-sources').open")
    assert first_source.is_visible() and "城镇新增就业" in first_source.locator("mark").first.inner_text()
    _shot(page, "03b_earlier_marker")

    page.locator("#clear").click()
    page.wait_for_function("() => !document.querySelector('#chatbot a.cite')")
    assert "暂无来源" in page.locator("#sources").inner_text()

    _ask(page, "南极科考站有几座？", turns=1)
    assert "文档中未提及" in page.locator("#chatbot [data-testid=bot]").last.inner_text()
    _shot(page, "04_not_found")


def test_a_long_answer_is_read_from_its_start(page):
    _ask(page, "2023年重点工作有哪些？", turns=1)
    page.locator("#chatbot [data-testid=bot]").last.wait_for()
    top = page.evaluate(
        """() => {
            const bot = [...document.querySelectorAll('#chatbot [data-testid="bot"]')].pop();
            let box = bot.parentElement;
            while (box && box.scrollHeight <= box.clientHeight) box = box.parentElement;
            return bot.getBoundingClientRect().top - box.getBoundingClientRect().top;
        }"""
    )
    assert -5 <= top < 300  # the answer's first line is in view, not scrolled past


def test_brief_preview_and_downloads(page, tmp_path):
    pytest.importorskip("assistant.briefing.brief", reason="assistant/brief.py (write_brief) is not in the tree yet")
    _tab(page, "简报")
    page.locator("#brief-topic textarea, #brief-topic input").first.fill("制造业高质量发展")
    page.locator("#brief-go").click()
    page.locator("#brief-preview h1, #brief-preview h2").first.wait_for(timeout=60_000)
    preview = page.locator("#brief-preview")
    assert "抽取式简报" in preview.inner_text() and preview.locator("sup.cites a.cite").count() >= 1
    preview.locator("sup.cites a.cite").first.click()  # a briefing's marks open their sources too
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


def test_eval_tab_is_chinese_with_one_progress_bar_and_a_readable_chart(page, tmp_path):
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
        {"id": "t2", "question": "2021年全市生产总值增长目标是多少？", "answer": "20%", "must_include": ["20%"],
         "evidence": ["生产总值增长"], "type": "number"},
        {"id": "t3", "question": "南极科考站有几座？", "type": "unanswerable"},
    ]
    suite.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
    _tab(page, "评测")
    assert page.locator("#suite input").input_value() == "dev"  # the question-and-answer suite by default
    page.locator("#suite-file input[type=file]").set_input_files(str(suite))
    # (the other tabs' lists fill in when the page loads, each with its own bar: counted from when they are done)
    page.wait_for_function(
        "() => ![...document.querySelectorAll('.progress-level, .eta-bar')].some(e => e.offsetParent)", timeout=60_000
    )
    page.evaluate(
        """() => { window.__bars = 0; window.__timer = setInterval(() => {
            const n = [...document.querySelectorAll('.progress-level, .eta-bar')].filter(e => e.offsetParent).length;
            window.__bars = Math.max(window.__bars, n); }, 30); }"""
    )
    page.locator("#eval-go").click()
    page.locator("#eval-metrics table").wait_for(timeout=120_000)
    assert page.evaluate("() => window.__bars") <= 1  # one progress bar, not one per output
    metrics = page.locator("#eval-metrics").inner_text()
    assert "首位命中率" in metrics and "要点齐全率" in metrics and "拒答召回率" in metrics
    assert "数字" in page.locator("#eval-by-type").inner_text()  # question types in Chinese too
    failures = page.locator("#eval-failures").inner_text()
    assert "未通过的题目（1）" in failures and "答案缺少要点：20%" in failures
    chart = page.locator("#eval-chart img")
    chart.wait_for()
    assert chart.evaluate("img => img.naturalWidth") > 400
    assert "按题型的得分" in (chart.get_attribute("alt") or "")
    chart.screenshot(path=str(SHOTS / "06_eval_chart.png"))
    _shot(page, "06_eval")
    with page.expect_download() as info:
        page.locator("#dl-report").click()
    report = tmp_path / "report.html"
    info.value.save_as(report)
    text = report.read_text(encoding="utf-8")
    assert "评测报告：tiny" in text and "未通过的题目" in text and "Failed items" not in text


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


# --- 知识库 on a gazette of three plans (the shared fake assistant), and the phone layout --------------------


@pytest.fixture(scope="module")
def gazette_server(tmp_path_factory) -> Iterator[tuple[str, Any]]:
    """The workspace around the shared FakeAssistant: one gazette file holding three plans."""
    from conftest import FakeAssistant

    from ui.app import build_app, launch_options, prepare

    tmp = tmp_path_factory.mktemp("gazette")
    settings = Settings(_env_file=None, data_dir=tmp / "var", corpus_dir=tmp / "corpus", embedding_backend="hash")
    fake = FakeAssistant(settings)
    app = prepare(build_app(fake, settings))
    opts = launch_options(settings, port=_free_port())
    app.launch(prevent_thread_lock=True, **opts)
    try:
        yield f"http://127.0.0.1:{opts['server_port']}/", fake
    finally:
        app.close()


def _open(browser, url: str, **viewport: int):
    context = browser.new_context(viewport=viewport or {"width": 1400, "height": 1000})
    pg = context.new_page()
    pg.goto(url)
    pg.get_by_role("tab", name="问答").wait_for()
    return context, pg


def test_removing_one_plan_of_a_gazette_asks_first_and_keeps_the_others(browser, gazette_server):
    url, fake = gazette_server
    context, pg = _open(browser, url)
    try:
        _tab(pg, "知识库")
        docs = pg.locator("#kb-docs")
        docs.get_by_text("许昌市“十四五”教育事业发展规划").wait_for()
        pg.locator("#kb-target input").click()
        pg.get_by_role("option", name="文档 许昌市“十四五”教育事业发展规划", exact=False).click()
        pg.locator("#kb-remove").click()
        confirm = pg.locator("#kb-confirm-text")
        confirm.get_by_text("将只移除").wait_for()
        text = confirm.inner_text()
        assert "许昌市“十四五”教育事业发展规划" in text and "其他 2 篇文档保留" in text and "不可撤销" in text
        assert fake.removed == []  # nothing goes before the confirmation
        _shot(pg, "09_remove_confirm")
        pg.locator("#kb-confirm-yes").click()
        pg.locator("#kb-msg").get_by_text("已移除文档").wait_for()
        assert fake.removed == ["d2"]
        table = docs.inner_text()
        assert "教育事业发展规划" not in table
        assert "市场监管现代化规划" in table and "现代供应链发展规划" in table and "共 2 篇文档，1 个文件" in table
        assert not pg.locator("#kb-confirm").is_visible()
        _shot(pg, "10_removed")

        # cancelling a file's removal removes nothing
        pg.locator("#kb-target input").click()
        pg.get_by_role("option", name="文件 004_gazette.txt", exact=False).click()
        pg.locator("#kb-remove").click()
        pg.locator("#kb-confirm-text").get_by_text("全部 2 篇文档").wait_for()
        pg.locator("#kb-confirm-no").click()
        assert fake.removed == ["d2"] and "市场监管现代化规划" in docs.inner_text()
    finally:
        context.close()


def test_a_390_px_phone_shows_whole_titles_without_sideways_scrolling(browser, gazette_server):
    url, _ = gazette_server
    context, pg = _open(browser, url, width=390, height=844)
    try:
        pg.locator("#chatbot").get_by_text("知识库一览").wait_for()
        _shot(pg, "11_phone_chat")
        _tab(pg, "知识库")
        title = pg.locator("#kb-docs td.title").first
        title.wait_for()
        assert title.bounding_box()["width"] > 250  # a title gets the width of the screen, not four characters
        assert pg.evaluate("() => document.documentElement.scrollWidth") <= 392
        assert pg.locator("#kb-ingest").is_visible() and pg.locator("#kb-remove").is_visible()
        _shot(pg, "12_phone_kb")
    finally:
        context.close()
