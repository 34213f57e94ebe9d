"""The improvement tools' handlers (feedback, the list, suites, curated pairs, synonyms) and their rendering,
driven with the shared fake assistant (real SQLite feedback store and synonym file)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import GAZETTE, FakeAssistant

from assistant.config import Settings
from assistant.feedback.model import CuratedPair, Feedback, Passage
from assistant.models import Answer, CuratedInfo
from ui import render
from ui.handlers import Workspace
from ui.improve import Improvement
from ui.security import administrators, can_approve


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(_env_file=None, data_dir=tmp_path / "var", corpus_dir=tmp_path / "corpus", embedding_backend="hash")


@pytest.fixture
def fake(settings) -> FakeAssistant:
    return FakeAssistant(settings)


def _asked(fake, settings, question: str = "透明厨房有多少家"):
    *_, view = Workspace(fake, settings).chat(question, [], [], "", "")
    return view.answers


def test_each_answer_of_a_session_is_kept_for_feedback(fake, settings):
    ws = Workspace(fake, settings)
    *_, first = ws.chat("透明厨房有多少家", [], [], "", "")
    *_, second = ws.chat("那合格率呢", first.messages, first.history, "", "", first.sources, first.answers)
    assert [r.turn for r in second.answers] == [1, 2] and second.answers[1].question == "那合格率呢"
    assert render.answer_choices(second.answers)[0] == ("第 2 问：那合格率呢", 2)  # newest first
    *_, fresh = ws.chat("透明厨房有多少家", [], [], "", "", second.sources, second.answers)
    assert [r.turn for r in fresh.answers] == [1]  # an emptied chat starts over


def test_marking_an_answer_right_records_it_with_the_user(fake, settings):
    answers = _asked(fake, settings)
    message = Improvement(fake, settings).mark_correct(answers, 1, "张三")
    assert "正确" in message and 'class="msg ok"' in message
    saved = fake.feedback.records()[0]
    assert (saved.verdict, saved.user, saved.question) == ("correct", "张三", "透明厨房有多少家")
    assert saved.citations[0]["source"] == GAZETTE and saved.settings["mode"] == "llm"


def test_a_correction_keeps_the_clicked_passage_and_its_sentence(fake, settings):
    answers = _asked(fake, settings)
    imp = Improvement(fake, settings)
    form = imp.open_correction(answers, 1)
    assert form.open and form.choices and all(label.startswith("[") for label, _ in form.choices)
    found = imp.find_passages("普惠性幼儿园覆盖率", answers, 1)
    assert any("普惠性幼儿园" in p["text"] for p in found.passages)
    pick = next(i for i, p in enumerate(found.passages) if "普惠性幼儿园" in p["text"])
    message = imp.submit_correction(answers, 1, "覆盖率达到86%", found.passages, str(pick), None)
    assert "已记录更正" in message and "出处" in message
    saved = fake.feedback.records()[0]
    assert saved.correction == "覆盖率达到86%" and saved.user is None
    assert saved.evidence is not None and saved.evidence.quote == "到2025年，普惠性幼儿园覆盖率达到86%。"
    assert "已失效" in imp.submit_correction(answers, 1, "x", found.passages, "99", None)
    assert "请先提问" in imp.submit_correction([], None, "x", [], None, None)


def test_the_list_filters_exports_and_escapes(fake, settings):
    store = fake.feedback
    store.add(Feedback("k", "<script>alert(1)</script>有多少家？", "12630家", "correct", user="张三"))
    store.add(Feedback("k", "合格率是多少？", "99%", "wrong", correction="98%以上", user="李四"))
    imp = Improvement(fake, settings)
    view = imp.feedback_list()
    assert "<script>" not in view.table_html and "&lt;script&gt;" in view.table_html
    assert "共 2 条" in view.table_html and view.csv_path and view.xlsx_path and Path(view.xlsx_path).is_file()
    assert ("张三", "张三") in view.users and "dev" == view.suites[0]
    wrong = imp.feedback_list("corrected", "", "", "")
    assert "合格率" in wrong.table_html and "有多少家" not in wrong.table_html
    assert "没有符合条件" in imp.feedback_list("", "", "王五", "").table_html
    assert Path(view.csv_path).read_text(encoding="utf-8-sig").splitlines()[0].startswith("编号,时间,用户")


def _corrected(fake) -> Feedback:
    evidence = Passage(GAZETTE, "市场监管规划", "市场监管规划 > 一、发展环境", (4, 4), "全市12630家餐饮单位建成“透明厨房”。",
                       "全市12630家餐饮单位建成“透明厨房”。")
    return fake.feedback.add(Feedback("k", "透明厨房有多少家？", "文档中未提及", "wrong", correction="12630家",
                                      evidence=evidence, user="张三"))


def test_a_correction_becomes_a_suite_item_and_the_suite_is_offered(fake, settings):
    record = _corrected(fake)
    imp = Improvement(fake, settings)
    view = imp.to_suite(str(record.id), "反馈", "张三")
    assert "已将反馈" in view.message_html and "12630家" in view.message_html and "反馈" in view.suites
    assert "已加入评测集“反馈”" in view.table_html
    again = imp.to_suite(str(record.id), "反馈", "张三")
    assert "已有这条反馈" in again.message_html
    assert "评测集名称" in imp.to_suite(str(record.id), "../x", "张三").message_html
    assert "请先在列表中选择" in imp.to_suite(None, "反馈", "张三").message_html


def test_only_administrators_approve_curated_pairs(fake, tmp_path):
    settings = Settings(_env_file=None, data_dir=tmp_path / "var", auth="管理员:pw1,张三:pw2", embedding_backend="hash")
    fake.settings = settings
    record = _corrected(fake)
    imp = Improvement(fake, settings)
    refused = imp.curate(str(record.id), "张三")
    assert "只有管理员" in refused.message_html and fake.feedback.curated() == []
    approved = imp.curate(str(record.id), "管理员")
    assert "已设为标准问答" in approved.message_html
    assert "管理员" in approved.curated_html and "使用中" in approved.curated_html
    pair = fake.feedback.curated()[0]
    assert pair.approved_by == "管理员" and pair.question == "透明厨房有多少家？"
    assert "只有管理员" in imp.revoke(str(pair.id), "张三").message_html
    assert "已停用" in imp.revoke(str(pair.id), "管理员").message_html and fake.feedback.curated() == []


def test_who_administers(tmp_path):
    def s(**kw):
        return Settings(_env_file=None, data_dir=tmp_path, **kw)

    assert administrators(s()) is None and can_approve(None, s())  # no login: the machine's user
    assert administrators(s(auth="a:1,b:2")) == {"a"} and not can_approve("b", s(auth="a:1,b:2"))
    assert can_approve("b", s(auth="a:1,b:2", admins="b, c")) and not can_approve(None, s(auth="a:1"))


def test_synonym_groups_are_added_and_removed_in_the_view(fake, settings):
    imp = Improvement(fake, settings)
    added = imp.add_synonyms("<b>普惠园</b>|普惠性幼儿园")
    assert "已添加" in added.message_html and "<b>普惠园" not in added.html and "&lt;b&gt;普惠园" in added.html
    assert added.choices == [("<b>普惠园</b> | 普惠性幼儿园", "0")]
    assert "至少需要两个词" in imp.add_synonyms("普惠园").message_html
    removed = imp.remove_synonyms("0")
    assert "已删除" in removed.message_html and removed.choices == []
    assert "请先选择" in imp.remove_synonyms(None).message_html


# --- rendering ------------------------------------------------------------------------------------------


def test_a_curated_answer_shows_its_provenance_in_the_bubble_and_status():
    info = CuratedInfo(3, "透明厨房有多少家？", "管理员<i>", "2026-01-05T08:00:00+00:00", 0.93, 0.84)
    answer = Answer("q", "q", "12630家[1]", "curated", False, curated=info)
    bubble, status = render.render_answer(answer, turn=1), render.render_status(answer)
    assert "标准问答：由 管理员&lt;i&gt; 于" in bubble and "相似度 0.93" in bubble and "<i>" not in bubble
    assert "badge curated" in status and "标准问答" in status
    nobody = CuratedInfo(3, "q", None, "2026-01-05T08:00:00+00:00", 1.0, 0.84)
    assert "本机（未启用登录）" in render.curated_provenance(nobody)


def test_curated_list_and_passage_labels_escape_document_text():
    ev = Passage("a.txt", "<script>x</script>", "<script>x</script> > 一", (1, 2), "<img src=x>", "")
    html = render.render_curated_list([CuratedPair("k", "<b>问</b>", "答", ev, None, id=1)])
    assert "<script>" not in html and "<b>" not in html and "本机（未启用登录）" in html
    assert render.feedback_status(Feedback("k", "q", "a", "wrong", suite="反馈", curated_id=2)) == (
        "已加入评测集“反馈”；已设为标准问答 #2")


def test_old_exports_are_deleted_as_new_lists_are_made(fake, settings, monkeypatch):
    import ui.improve

    monkeypatch.setattr(ui.improve, "KEPT_EXPORTS", 2)
    fake.feedback.add(Feedback("k", "合格率是多少？", "99%", "wrong", correction="98%以上"))
    imp = Improvement(fake, settings)
    views = [imp.feedback_list() for _ in range(3)]
    assert not Path(views[0].csv_path).exists()
    assert Path(views[1].csv_path).exists() and Path(views[2].xlsx_path).exists()
