"""End to end in headless Chromium, behind the login: an official marks an answer 有误 with a correction and
clicks the passage that holds it; the 评测 tab lists it; it becomes an item of a suite, the suite runs and shows
the item; a non-administrator cannot approve it, the administrator does; the same question is then answered
by the curated pair with who approved it and when, citing the document; the 命中测试 view explains it.

Screenshots go to out/screenshots/ (20_* to 24_*).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from conftest import CHROMIUM
from test_ui_browser import SHOTS, served_workspace

from assistant.config import Settings

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium is not installed (apt-get install chromium)"),
]

QUESTION = "2021年城镇新增就业目标是多少？"
CORRECTION = "2021年的目标是城镇新增就业4.9万人"
USERS = {"管理员": "pw-admin-1", "张三": "pw-zhang-2"}


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[str]:
    """The real assistant (offline, hash embedder) on two reports, served on 127.0.0.1 behind the login."""
    tmp = tmp_path_factory.mktemp("loop")
    settings = Settings(
        _env_file=None, data_dir=tmp / "var", corpus_dir=tmp / "corpus", embedding_backend="hash",
        auth=",".join(f"{u}:{p}" for u, p in USERS.items()),
    )
    with served_workspace(settings) as url:
        yield url


def _login(browser, url: str, user: str):
    SHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    pg = context.new_page()
    pg.goto(url)
    pg.locator("input[type=text], input[name=username]").first.fill(user)
    pg.locator("input[type=password]").first.fill(USERS[user])
    pg.keyboard.press("Enter")
    pg.get_by_role("tab", name="问答").wait_for(timeout=30_000)
    return context, pg


def _ask(pg, question: str, turns: int) -> None:
    box = pg.locator("#question textarea")
    box.fill(question)
    box.press("Enter")
    pg.wait_for_function(
        "(n) => document.querySelectorAll('#chatbot [data-testid=\"bot\"]').length >= n"
        " && !document.querySelector('#chat-status').innerText.includes('检索与生成中')",
        arg=turns, timeout=60_000,
    )


def _choose(pg, dropdown: str, text: str) -> None:
    pg.locator(f"{dropdown} input").click()
    pg.get_by_role("option", name=text, exact=False).first.click()


def _shot(pg, name: str) -> None:
    pg.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_a_correction_becomes_a_suite_item_then_a_curated_answer(browser, server):
    context, pg = _login(browser, server, "张三")
    try:
        _ask(pg, QUESTION, 1)
        pg.locator("#fb-wrong").click()
        pg.locator("#fb-correction textarea").wait_for(state="visible")
        pg.locator("#fb-correction textarea").fill(CORRECTION)
        pg.locator("#fb-query input, #fb-query textarea").first.fill("城镇新增就业")
        pg.locator("#fb-find").click()
        option = pg.locator("#fb-passage label").filter(has_text="城镇新增就业4.9万人").first
        option.wait_for(timeout=30_000)
        option.click()  # the passage that holds the right answer
        _shot(pg, "20_feedback_correction")
        pg.locator("#fb-submit").click()
        pg.locator("#fb-msg").get_by_text("已记录更正").wait_for(timeout=30_000)
        assert "出处" in pg.locator("#fb-msg").inner_text()

        pg.get_by_role("tab", name="评测").click()
        table = pg.locator("#fl-table")
        table.get_by_text(CORRECTION, exact=True).wait_for(timeout=30_000)
        row = table.locator("tr", has_text=CORRECTION).inner_text()
        assert "张三" in row and "有误" in row and QUESTION in row and "待处理" in row
        _choose(pg, "#fl-verdict", "有误且已更正")
        pg.locator("#fl-go").click()
        pg.wait_for_function("() => document.querySelector('#fl-table').innerText.includes('共 1 条')")
        _choose(pg, "#fl-pick", QUESTION[:10])
        pg.locator("#fl-curate").click()  # not an administrator
        pg.locator("#fl-msg").get_by_text("只有管理员").wait_for(timeout=30_000)
        _choose(pg, "#fl-pick", QUESTION[:10])
        pg.locator("#fl-to-suite").click()
        pg.locator("#fl-msg").get_by_text("已将反馈").wait_for(timeout=30_000)
        assert "4.9万人" in pg.locator("#fl-msg").inner_text()  # what the item's answer must include
        assert pg.locator("#suite input").input_value() == "反馈"  # the new suite is chosen to run
        _shot(pg, "21_feedback_list")
        pg.locator("#eval-go").click()
        pg.locator("#eval-metrics table").wait_for(timeout=120_000)
        pg.locator("#eval-items summary").click()
        items = pg.locator("#eval-items").inner_text()
        assert "fb1" in items and QUESTION in items and "4.9万人" in items
        _shot(pg, "22_feedback_suite_run")
    finally:
        context.close()

    context, pg = _login(browser, server, "管理员")
    try:
        pg.get_by_role("tab", name="评测").click()
        pg.locator("#fl-table").get_by_text(CORRECTION, exact=True).wait_for(timeout=30_000)
        _choose(pg, "#fl-pick", QUESTION[:10])
        pg.locator("#fl-curate").click()
        pg.locator("#fl-msg").get_by_text("已设为标准问答").wait_for(timeout=30_000)
        curated = pg.locator("#cu-table").inner_text()
        assert "管理员" in curated and CORRECTION in curated and "使用中" in curated

        pg.get_by_role("tab", name="问答").click()
        _ask(pg, QUESTION, 1)
        bubble = pg.locator('#chatbot [data-testid="bot"]').last
        text = bubble.inner_text()
        assert CORRECTION in text and "标准问答：由 管理员 于" in text and "审定" in text
        assert "标准问答" in pg.locator("#chat-status").inner_text()
        bubble.locator("a.cite").first.click()  # it still cites the document
        source = pg.locator("#sources details.source[open]").first
        source.wait_for()
        assert "城镇新增就业" in source.inner_text()
        _shot(pg, "23_curated_answer")

        pg.get_by_role("tab", name="知识库").click()
        pg.locator("#ht-box").get_by_text("命中测试").first.click()
        pg.locator("#ht-question input, #ht-question textarea").first.fill(QUESTION)
        pg.locator("#ht-go").click()
        result = pg.locator("#ht-result")
        result.locator("table.hit-sources").wait_for(timeout=30_000)
        shown = result.inner_text()
        assert "词汇得分" in shown and "向量得分" in shown and "采用审定的答案" in shown and "文档路由" in shown
        _shot(pg, "24_hit_test")
    finally:
        context.close()
