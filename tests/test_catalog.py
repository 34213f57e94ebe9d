"""The knowledge base at a glance: kinds, places and years, example questions, filters that match nothing."""

from __future__ import annotations

from conftest import FakeAssistant

from assistant import catalog
from assistant.models import DocumentInfo


def _doc(title: str, year: int | None = 2022, source: str = "gazette.txt", doc_id: str = "") -> DocumentInfo:
    return DocumentInfo(doc_id or title, source, title, 1, 10, year=year)


DOCS = [
    _doc("许昌市“十四五”教育事业发展规划"),
    _doc("许昌市“十四五”现代供应链发展规划"),
    _doc("许昌市地下水超采综合治理工作实施方案"),
    _doc("许昌市行政复议决定书网上公开办法（试行）"),
    _doc("《政府工作报告》之开局起步篇", 2021, "001.txt"),
    _doc("魏都区国民经济和社会发展第十四个五年规划和二〇三五远景目标纲要（草案）", None, "002.txt"),
    _doc("郑州市城市公园建设实施方案", 2023, "003.txt"),
]


def test_kinds_places_and_years_come_from_the_titles() -> None:
    view = catalog.overview(DOCS)

    assert (view.documents, view.files) == (7, 4)
    assert dict(view.kinds) == {"规划": 3, "实施方案": 2, "办法/规定": 1, "政府工作报告": 1}
    assert view.places[0] == ("许昌市", 4) and ("魏都区", 1) in view.places and ("郑州市", 1) in view.places
    assert view.places[-1] == ("未注明地区", 1)  # the work report names no place
    assert [y for y, _ in view.years] == ["2023", "2022", "2021", "未注明年份"]


def test_a_short_title_drops_place_and_period() -> None:
    assert catalog.short_title("许昌市“十四五”教育事业发展规划") == "教育事业发展规划"
    assert catalog.document_place("城市更新和人居环境建设规划") is None  # 城市 is no place


def test_example_questions_come_from_the_documents_and_retrieval_confirms_them(fake_assistant: FakeAssistant) -> None:
    docs = fake_assistant.documents()
    chunks = fake_assistant.store.cached_chunks()

    questions = catalog.example_questions(docs, chunks, fake_assistant.retrieve, n=4)

    assert questions, "expected example questions from the fake gazette"
    joined = "".join(questions)
    # drawn from the gazette's own indicator and headings, naming its documents
    assert "普惠性幼儿园覆盖率" in joined or "省级供应链综合服务示范企业" in joined
    assert "主要目标" in joined or "保障措施" in joined
    assert all(q.endswith("？") and "《" in q for q in questions)


def test_an_example_that_retrieval_cannot_confirm_is_dropped(fake_assistant: FakeAssistant) -> None:
    docs = fake_assistant.documents()
    chunks = fake_assistant.store.cached_chunks()
    assert catalog.example_questions(docs, chunks, lambda q: [], n=4) == []


def test_a_filter_that_matches_nothing_names_the_close_matches() -> None:
    problem = catalog.filter_problem(DOCS, "教育规划", None)
    assert problem is not None and "没有与“教育规划”匹配的文档" in problem
    assert "《许昌市“十四五”教育事业发展规划》" in problem and "供应链" not in problem

    assert "用 assistant docs 查看全部文档" in (catalog.filter_problem(DOCS, "火星基地", None) or "")
    year = catalog.filter_problem(DOCS, "教育事业", 2019) or ""
    assert "没有2019年的" in year and "2022年" in year
    assert catalog.filter_problem(DOCS, "教育事业", 2022) is None
    assert catalog.filter_problem(DOCS, "001.txt", None) is None  # a file name matches too


def test_an_english_question_gets_a_hint_unless_the_collection_is_english() -> None:
    assert "请用中文提问" in (catalog.language_hint("What is the employment target for 2025?", DOCS) or "")
    assert catalog.language_hint("2025年就业目标是多少？", DOCS) is None
    english = [_doc("Urban Park Construction Plan 2021-2025")]
    assert catalog.language_hint("What is the park target?", english) is None


def test_what_ingest_recorded_wins_over_the_title() -> None:
    recorded = DocumentInfo("x", "a.txt", "关于做好工作的通知", 1, 9, year=2024, kind="plan", place="安徽省")
    assert catalog.document_kind(recorded) == "规划" and catalog.document_place(recorded) == "安徽省"
