"""The feedback store (SQLite in the data directory), its filters, exports, and the facade's rules."""

from __future__ import annotations

import csv
import sqlite3
from pathlib import Path

import pytest
from conftest import RecordingAnswerer

from assistant.config import Settings
from assistant.errors import UserError
from assistant.feedback.export import COLUMNS, write_csv, write_xlsx
from assistant.feedback.model import (
    CuratedPair,
    Feedback,
    FeedbackFilter,
    Passage,
    best_sentence,
    knowledge_base_id,
)
from assistant.feedback.sqlite import MIGRATIONS, SqliteFeedbackStore
from assistant.models import Answer, Citation, CuratedInfo
from assistant.service import Assistant

PASSAGE = Passage("plan.txt", "某市教育规划", "某市教育规划 > 一、主要目标", (8, 9),
                  "到2025年，普惠性幼儿园覆盖率达到86%。学前教育毛入园率达到95%。", "到2025年，普惠性幼儿园覆盖率达到86%。")


def _record(**kw) -> Feedback:
    values = {"kb": "ignored", "question": "普惠性幼儿园覆盖率目标是多少？", "answer": "文档中未提及", "verdict": "wrong"}
    return Feedback(**{**values, **kw})


@pytest.fixture
def store(tmp_path: Path) -> SqliteFeedbackStore:
    return SqliteFeedbackStore.in_dir(tmp_path, "local/plans")


def test_records_survive_a_new_process_and_every_write_bumps_the_version(store, tmp_path):
    assert store.version == 0
    saved = store.add(_record(correction="86%", evidence=PASSAGE, user="张三", settings={"top_k": 5},
                              citations=[{"n": 1, "source": "plan.txt"}]))
    assert saved.id == 1 and store.version == 1
    again = SqliteFeedbackStore.in_dir(tmp_path, "local/plans").get(1)  # another process opens the same file
    assert again is not None
    assert (again.correction, again.evidence, again.user, again.settings) == ("86%", PASSAGE, "张三", {"top_k": 5})
    assert again.citations == [{"n": 1, "source": "plan.txt"}] and again.created_at == saved.created_at
    store.mark_in_suite(1, "反馈", "fb1")
    assert store.version == 2 and store.get(1).suite == "反馈"
    con = sqlite3.connect(tmp_path / "feedback.sqlite3")
    assert con.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)  # numbered migrations ran


def test_knowledge_bases_do_not_see_each_others_feedback(tmp_path):
    a = SqliteFeedbackStore.in_dir(tmp_path, "local/a")
    b = SqliteFeedbackStore.in_dir(tmp_path, "host:8000/b")
    a.add(_record())
    assert [f.kb for f in a.records()] == ["local/a"] and b.records() == [] and b.get(1) is None


def test_filters_in_sql_agree_with_the_filter_itself(store):
    records = [
        _record(verdict="correct", answer="86%", user="张三"),
        _record(correction="86%", user="李四", evidence=PASSAGE),
        _record(correction="  ", user="李四"),  # marked wrong, no correction given
        _record(question="学前教育毛入园率是多少？", verdict="correct", answer="95%"),
    ]
    for r in records:
        store.add(r)
    store.mark_in_suite(2, "反馈", "fb2")
    filters = [
        FeedbackFilter(), FeedbackFilter(verdict="wrong"), FeedbackFilter(verdict="correct"),
        FeedbackFilter(corrected=True), FeedbackFilter(corrected=False), FeedbackFilter(user="李四"),
        FeedbackFilter(text="毛入园率"), FeedbackFilter(status="open"), FeedbackFilter(status="in_suite"),
        FeedbackFilter(status="curated"), FeedbackFilter(verdict="wrong", user="李四", status="open"),
    ]
    everything = store.records()
    assert [f.id for f in everything] == [4, 3, 2, 1]  # newest first
    for where in filters:
        assert [f.id for f in store.records(where)] == [f.id for f in everything if where.matches(f)], where
    assert store.users() == ["张三", "李四"]


def test_a_curated_pair_links_its_feedback_and_is_revoked_not_deleted(store):
    store.add(_record(correction="86%", evidence=PASSAGE))
    pair = store.add_curated(CuratedPair("x", "普惠性幼儿园覆盖率目标是多少？", "86%", PASSAGE, "管理员", feedback_id=1))
    assert store.get(1).curated_id == pair.id and [p.id for p in store.curated()] == [pair.id]
    gone = store.revoke_curated(pair.id, "王五")
    assert gone is not None and not gone.active and gone.revoked_by == "王五" and gone.revoked_at
    assert store.curated() == [] and store.curated(include_revoked=True)[0].approved_by == "管理员"


def test_exports_open_in_a_spreadsheet_with_chinese_headers_and_no_formulas(store, tmp_path):
    store.add(_record(question="=HYPERLINK(\"http://x\")", correction="+86%", evidence=PASSAGE, user="张三"))
    rows = store.records()
    with write_csv(tmp_path / "f.csv", rows).open(encoding="utf-8-sig", newline="") as f:
        table = list(csv.reader(f))
    assert tuple(table[0]) == COLUMNS and table[1][COLUMNS.index("问题")].startswith("'=")
    assert table[1][COLUMNS.index("评价")] == "有误" and "第8–9行" in table[1][COLUMNS.index("原文出处")]
    from openpyxl import load_workbook

    sheet = load_workbook(write_xlsx(tmp_path / "f.xlsx", rows)).active
    assert [c.value for c in sheet[1]] == list(COLUMNS)
    question = sheet.cell(2, COLUMNS.index("问题") + 1)
    assert question.value == "=HYPERLINK(\"http://x\")" and question.data_type == "s"  # text, never a formula


def test_the_sentence_holding_the_correction_is_picked_from_a_clicked_passage():
    assert best_sentence(PASSAGE.text, "毛入园率95%") == "学前教育毛入园率达到95%。"
    assert best_sentence(PASSAGE.text, "") == "到2025年，普惠性幼儿园覆盖率达到86%。"


def test_knowledge_base_is_the_collection_and_the_server_when_there_is_one(tmp_path):
    local = Settings(_env_file=None, data_dir=tmp_path)
    server = Settings(_env_file=None, data_dir=tmp_path, chroma_host="10.0.0.5", chroma_port=8001, collection="c")
    assert knowledge_base_id(local) == "local/plan_chunks" and knowledge_base_id(server) == "10.0.0.5:8001/c"


# --- the facade ------------------------------------------------------------------------------------------


@pytest.fixture
def assistant(tmp_path: Path, store) -> Assistant:
    settings = Settings(_env_file=None, data_dir=tmp_path, embedding_backend="hash", llm_model="某模型")
    return Assistant(settings, embedder=None, store=None, retriever=None, answerer=RecordingAnswerer(),
                     feedback=store)


ANSWER = Answer("普惠性幼儿园覆盖率目标是多少？", "普惠性幼儿园覆盖率目标是多少？", "覆盖率达到90%[1]", "llm", False,
                [Citation(1, "plan.txt", "某市教育规划", "某市教育规划 > 一、主要目标", [8, 8], "覆盖率达到90%")])


def test_feedback_keeps_the_answer_its_citations_settings_and_who_gave_it(assistant):
    saved = assistant.record_feedback(ANSWER, "wrong", correction=" 86% ", evidence=PASSAGE, user="张三",
                                      doc="教育规划", year=2022)
    kept = assistant.feedback.get(saved.id)
    assert kept.correction == "86%" and kept.user == "张三" and kept.answer == "覆盖率达到90%[1]"
    assert kept.citations[0]["quote"] == "覆盖率达到90%" and kept.citations[0]["lines"] == [8, 8]
    assert kept.settings["mode"] == "llm" and kept.settings["llm_model"] == "某模型"
    assert kept.settings["doc"] == "教育规划" and kept.settings["year"] == 2022 and kept.settings["top_k"] == 5
    confirmed = assistant.record_feedback(ANSWER, "correct", correction="ignored")
    assert assistant.feedback.get(confirmed.id).correction == ""  # a confirmed answer carries no correction


def test_approving_needs_a_correction_and_its_passage_and_records_the_approver(assistant):
    no_passage = assistant.record_feedback(ANSWER, "wrong", correction="86%")
    with pytest.raises(UserError, match="原文出处"):
        assistant.approve_curated(no_passage.id, approved_by="管理员")
    empty = assistant.record_feedback(ANSWER, "wrong", evidence=PASSAGE)
    with pytest.raises(UserError, match="没有更正"):
        assistant.approve_curated(empty.id, approved_by="管理员")
    with pytest.raises(UserError, match="没有编号"):
        assistant.approve_curated(999, approved_by="管理员")
    good = assistant.record_feedback(ANSWER, "wrong", correction="86%", evidence=PASSAGE, user="张三")
    pair = assistant.approve_curated(good.id, approved_by="管理员")
    assert (pair.answer, pair.evidence, pair.approved_by, pair.feedback_id) == ("86%", PASSAGE, "管理员", good.id)
    with pytest.raises(UserError, match="已设为标准问答"):
        assistant.approve_curated(good.id, approved_by="管理员")


def test_feedback_on_a_curated_answer_says_which_pair_gave_it(assistant):
    curated = Answer("q", "q", "86%[1]", "curated", False, curated=CuratedInfo(7, "q", "管理员", "2026-01-01", 1.0, 0.8))
    saved = assistant.record_feedback(curated, "wrong", correction="95%")
    assert assistant.feedback.get(saved.id).settings["curated_id"] == 7


def test_an_over_long_correction_is_refused(assistant):
    with pytest.raises(UserError):
        assistant.record_feedback(ANSWER, "wrong", correction="长" * (assistant.settings.max_question_chars + 1))


def test_reading_an_empty_store_creates_no_file(tmp_path):
    store = SqliteFeedbackStore.in_dir(tmp_path / "kb", "local/x")
    assert (store.version, store.records(), store.curated(), store.users(), store.get(1)) == (0, [], [], [], None)
    assert not (tmp_path / "kb").exists()  # `assistant ask` on a knowledge base without feedback writes nothing
