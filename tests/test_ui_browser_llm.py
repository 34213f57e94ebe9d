"""End to end in a real headless Chromium, generative mode: the app talks to a scripted OpenAI-compatible server.

Covers a streamed cited answer, an unverifiable citation, an endpoint failure that falls back to the
offline answer, a follow-up condensed by the LLM, and that the API key never reaches the page.
Screenshots go to out/screenshots/llm_*.png. Needs Debian's chromium (apt-get install chromium).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from conftest import CHROMIUM, CHROMIUM_ARGS
from fake_openai import Failure, FakeOpenAI, Reply
from test_ui_browser import SHOTS, _ask, _shot, served_workspace

from assistant.config import Settings

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="/usr/bin/chromium is not installed (apt-get install chromium)"
    ),
]

KEY = "sk-test-LEAK-CHECK-123"
FIRST_QUESTION = "2021年城镇新增就业目标是多少？"
FOLLOW_UP = "那粮食产量呢？"
CONDENSED = "2021年粮食产量目标是多少？"


@dataclass
class Served:
    url: str
    llm: FakeOpenAI


@pytest.fixture(scope="module")
def served(tmp_path_factory) -> Iterator[Served]:
    """The real assistant in generative mode (hash embedder, corpus files 001 and 003) against a fake LLM."""

    tmp = tmp_path_factory.mktemp("ui-llm")
    with FakeOpenAI() as llm:
        settings = Settings(
            _env_file=None,
            data_dir=tmp / "var",
            corpus_dir=tmp / "corpus",
            embedding_backend="hash",
            llm_base_url=llm.url,
            llm_api_key=KEY,
            llm_model="fake",
            llm_max_retries=0,
            llm_timeout_s=20,
        )
        with served_workspace(settings) as url:
            yield Served(url, llm)


@pytest.fixture
def page(served):
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            pg = browser.new_page(viewport={"width": 1400, "height": 1000})
            pg.goto(served.url)
            pg.get_by_role("tab", name="问答").wait_for()
            yield pg
        finally:
            browser.close()


def _no_key_in_page(pg) -> None:
    assert KEY not in pg.content()
    # the app's config (what the page's script is built from) does not carry it either
    config = pg.request.get(pg.url.rstrip("/") + "/config")
    assert config.ok and KEY not in config.text()


def _clear(pg) -> None:
    pg.locator("#clear").click()
    pg.wait_for_function("() => document.querySelectorAll('#chatbot [data-testid=\"bot\"]').length === 0")


def _last_bot(pg):
    return pg.locator("#chatbot [data-testid=bot]").last


def test_generative_answers_in_the_browser(page, served):
    llm = served.llm
    llm.reset()
    _no_key_in_page(page)

    # (1) a streamed answer whose [1] is backed by the source it cites
    llm.script(Reply("2021年城镇新增就业目标为4.9万人[1]。", chunk_size=3))
    _ask(page, FIRST_QUESTION, turns=1)
    assert len(llm.requests) == 1
    sent = llm.requests[0]
    assert sent.body.get("stream") is True and sent.body.get("model") == "fake"
    assert sent.headers.get("authorization") == f"Bearer {KEY}"  # the key is really in use
    assert FIRST_QUESTION in sent.user_prompt
    source_1 = sent.user_prompt.split("资料结束>>>")[0]
    assert "4.9万人" in source_1, (
        "source [1] sent to the LLM should be the paragraph with the employment target"
    )
    assert "4.9万人" in _last_bot(page).inner_text()
    assert "生成式回答" in page.locator("#chat-status").inner_text()
    assert page.locator("#chatbot a.cite.unverified, #chatbot .warn").count() == 0
    cite = page.locator("#chatbot a.cite").first
    cite.wait_for()
    _shot(page, "llm_01_answer")
    cite.click()
    opened = page.locator("#sources details.source[open]").first
    opened.wait_for()
    summary = opened.locator("summary").inner_text()
    assert "政府工作报告" in summary and " › " in summary and "001_" in summary
    assert "4.9万人" in opened.locator("mark").first.inner_text()
    assert "未核验" not in opened.inner_text()
    _shot(page, "llm_02_source_opened")
    _no_key_in_page(page)

    # (5) a follow-up: the LLM condenses it first, the condensed question is shown
    llm.script(CONDENSED, Reply("粮食产量保持在280万吨以上[1]。"))
    _ask(page, FOLLOW_UP, turns=2)
    assert len(llm.requests) == 3
    condense, answer = llm.requests[1], llm.requests[2]
    assert not condense.body.get("stream")
    assert "改写" in condense.user_prompt and FOLLOW_UP in condense.user_prompt
    assert FIRST_QUESTION in condense.user_prompt and "4.9万人" in condense.user_prompt  # the transcript
    assert CONDENSED in answer.user_prompt and FOLLOW_UP not in answer.user_prompt
    status = page.locator("#chat-status").inner_text()
    assert "结合上文改写" in status and CONDENSED in status and "生成式回答" in status
    assert "280万吨" in _last_bot(page).inner_text()
    _shot(page, "llm_03_follow_up")
    _no_key_in_page(page)

    # (4) one marker citing two sources, [1,2]: each number is a link to its own source
    _clear(page)
    llm.script(Reply("城镇新增就业4.9万人，粮食产量280万吨以上[1,2]。"))
    _ask(page, "2021年城镇新增就业和粮食产量的目标是多少？", turns=1)
    group = _last_bot(page).locator("sup.cites").first
    assert group.inner_text().replace(" ", "") in ("[1,2]", "[1,2⚠]", "[1⚠,2]", "[1⚠,2⚠]")
    links = group.locator("a.cite")
    assert links.count() == 2
    links.nth(1).click()
    second = page.locator("#src-1-2")
    second.wait_for()
    assert second.evaluate("d => d.open") and second.is_visible()
    _shot(page, "llm_03b_two_sources_in_one_marker")

    # (2) a marker that matches no source is flagged, in the answer and in the sources panel
    _clear(page)
    llm.script(Reply("城镇新增就业目标为4.9万人[7]。"))
    _ask(page, FIRST_QUESTION, turns=1)
    bubble = _last_bot(page)
    flagged = bubble.locator("sup.cites.missing")
    # shown as [1]: numbers run from 1 in order of use; it is still flagged and links nowhere
    assert flagged.count() == 1 and "[1]" in flagged.inner_text()
    assert flagged.locator(".cite.missing").get_attribute("title") == "无此来源" and flagged.locator("a").count() == 0
    assert "[1]" in bubble.locator(".warn").inner_text() and "未能在原文中核验" in bubble.inner_text()
    assert "生成式回答" in page.locator("#chat-status").inner_text()
    missing = page.locator("#sources .source.missing")
    assert "[1]" in missing.locator(".num").inner_text() and "无此来源" in missing.locator(".flag").inner_text()
    assert "[7]" in missing.locator(".flag").inner_text()  # the problem still names the number the LLM wrote
    _shot(page, "llm_04_unverified")
    _no_key_in_page(page)

    # (3) the endpoint fails (its error quoting the key): the offline answer appears with a notice
    _clear(page)
    before = len(llm.requests)
    llm.script(Failure(500, f"upstream error for key {KEY}"))
    _ask(page, FIRST_QUESTION, turns=1)
    assert len(llm.requests) == before + 1  # llm_max_retries=0: one try, then offline
    status = page.locator("#chat-status").inner_text()
    assert "离线抽取式回答" in status and "LLM 不可用" in status and "已改用离线摘录回答" in status
    page.locator("#chatbot a.cite").first.wait_for()
    assert "4.9万人" in _last_bot(page).inner_text()
    _shot(page, "llm_05_fallback")
    _no_key_in_page(page)
