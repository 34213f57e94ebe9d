"""The topic frame: places (full, short, 简称), years and spans of reports, parts asked for, enumerated items."""

from __future__ import annotations

from assistant.briefing.frame import parse_topic
from assistant.briefing.model import MEASURES, TARGETS, TASKS
from assistant.models import DocumentInfo
from assistant.retrieval.routing import NATIONAL, Catalog


def _doc(doc_id: str, title: str, place: str, level: str, year: int, kind: str = "work_report",
         period: list[int] | None = None) -> DocumentInfo:
    return DocumentInfo(doc_id=doc_id, source=f"{doc_id}.txt", title=title, line_start=1, line_end=10,
                        place=place, level=level, year=year, kind=kind, period=period)


CATALOG = Catalog([
    *(_doc(f"n{y}", f"{y}年政府工作报告", NATIONAL, "national", y) for y in (2014, 2015, 2016, 2018, 2023, 2024)),
    _doc("zj", "2025年浙江省政府工作报告", "浙江省", "province", 2025),
    _doc("sc", "2025年四川省政府工作报告", "四川省", "province", 2025),
    _doc("cd23", "成都市2023年重点工作", "成都市", "city", 2023, kind="interpretation"),
    _doc("cdplan", "成都市“十四五”教育事业发展规划", "成都市", "city", 2022, kind="plan", period=[2021, 2025]),
])


def test_short_names_in_a_list_are_places_each_a_side():
    frame = parse_topic("2025年经济增长预期目标（浙、川）", CATALOG)
    assert frame.scope.places == ("浙江省", "四川省")
    assert [f.label for f in frame.facets] == ["浙江", "四川"]
    assert frame.parts == {TARGETS} and frame.terms == ["经济", "增长"]
    # the year is the year of the reports it names
    assert frame.scope.doc_years == (2025,)


def test_a_span_of_years_names_each_report_of_the_span():
    frame = parse_topic("国务院政府工作报告中的经济增长预期目标（2014—2024年）", CATALOG)
    assert [f.label for f in frame.facets] == ["2014年", "2015年", "2016年", "2018年", "2023年", "2024年"]
    assert all(f.scope.doc_years == (int(f.label[:4]),) for f in frame.facets)
    # a span without 年 in brackets too
    frame = parse_topic("政府工作报告中减税降费政策的变化（2015—2016）", CATALOG)
    assert [f.label for f in frame.facets] == ["2015年", "2016年"]


def test_a_plan_period_is_not_a_span_of_reports():
    frame = parse_topic("成都市“十四五”教育事业发展规划的主要目标", CATALOG)
    assert len(frame.facets) == 1 and not frame.scope.doc_years
    assert 2021 in frame.scope.years and 2025 in frame.scope.years
    assert frame.scope.doc_ids == ("cdplan",)


def test_a_topic_year_picks_the_documents_for_that_year():
    frame = parse_topic("成都市2023年民生保障重点工作（就业、社保、健康、教育）", CATALOG)
    assert frame.scope.doc_years == (2023,)
    assert frame.items == ["就业", "社保", "健康", "教育"]
    assert frame.parts == {TASKS}  # 保障 is the subject here, not 保障措施


def test_parts_asked_for():
    assert parse_topic("某市数据专区建设的主要任务和保障措施", CATALOG).parts == {TASKS, MEASURES}
    assert parse_topic("某规划的定位、目标与重点任务", CATALOG).parts == {TARGETS, TASKS}
    assert parse_topic("某实施方案的主要内容", CATALOG).parts == frozenset()


def test_items_listed_after_the_topic_s_last_de():
    frame = parse_topic("2023—2024年政府工作报告中的赤字率、地方政府专项债券与特别国债安排", CATALOG)
    assert frame.items == ["赤字率", "地方政府专项债券", "特别国债安排"]
    assert [f.label for f in frame.facets] == ["2023年", "2024年"]
