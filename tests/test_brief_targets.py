"""Table columns read with their meaning: baseline and target years against the document's own period,
whose figure a column is (a province's or the city's), the plan period from the vocabulary (十五五 too);
differences only between documents for the same indicator, place, year and sub-column."""

from __future__ import annotations

from assistant.briefing.targets import find_differences, read_columns, targets_of_row
from assistant.models import Chunk, DocumentInfo
from assistant.retrieval.routing import profile


def _doc(period: list[int] | None, year: int = 2022, place: str = "成都市", level: str = "city"):
    return profile(DocumentInfo(doc_id="d", source="d.txt", title="成都市某规划", line_start=1, line_end=9,
                                place=place, level=level, year=year, kind="plan", period=period))


def _row(header: list[str], cells: list[str], doc_id: str = "d") -> Chunk:
    record = "；".join(f"{h}：{v}" for h, v in zip(header, cells, strict=True) if v)
    return Chunk(id=f"{doc_id}-{cells[0]}", source=f"{doc_id}.txt", doc_id=doc_id, title="某规划", section=["指标"],
                 text="\t".join(cells), line_start=5, line_end=5, kind="table_row",
                 index_text="某规划 > 指标\n" + "\t".join(header) + f"\n{record}\n")


def test_years_before_the_plan_are_baselines_and_its_own_years_targets():
    cols = read_columns(["指标", "2020年", "2025年", "属性"], _doc([2021, 2025]))
    assert [c.role for c in cols] == ["indicator", "baseline", "target", "attribute"]
    # a past plan's target column is no target of this plan
    cols = read_columns(["指标", "2020年目标值", "2020年实现值"], _doc([2021, 2025]))
    assert [c.role for c in cols][1:] == ["baseline", "baseline"]
    cols = read_columns(["指标名称", "“十三五”基数·2020年绝对值", "“十四五”目标·2025年绝对值"], _doc([2021, 2025]))
    assert [c.role for c in cols][1:] == ["baseline", "target"]


def test_a_province_column_is_not_a_target_of_a_city_plan():
    header = ["指标", "2020 年·四川", "2020 年·成都", "2025 年·四川", "2025 年·成都", "属性"]
    found = targets_of_row(_row(header, ["学前教育毛入园率（%）", "90.3", "95", "93", "96", "预期性"]), _doc([2021, 2025]))
    assert [(t.value, t.period, t.place, t.baseline, t.attribute) for t in found] == [
        ("96", "2025年", "成都市", "2020年：95", "预期性")
    ]


def test_a_plan_period_from_the_vocabulary_names_a_column_without_a_year():
    found = targets_of_row(_row(["序号", "指标内容", "预期值", "指标性质"], ["1", "生产安全事故死亡人数", "下降 16%", "约束性"]),
                           _doc([2026, 2030], year=2026))
    assert [(t.indicator, t.value, t.period, t.year) for t in found] == [
        ("生产安全事故死亡人数", "下降 16%", "“十五五”期末", 2030)
    ]


def test_rows_of_places_inside_the_document_s_place_are_their_targets():
    header = ["区域", "压减指标（万立方米）·到 2025 年·浅层", "压减指标（万立方米）·到 2025 年·深层"]
    found = targets_of_row(_row(header, ["武侯区", "120", "30"]), _doc(None, year=2022))
    assert [(t.place, t.value, t.year) for t in found] == [("武侯区", "120", 2025), ("武侯区", "30", 2025)]
    assert found[0].key != found[1].key  # two sub-columns: two targets, not one stated twice


def test_differences_only_between_documents_for_the_same_indicator_place_and_year():
    doc = _doc([2021, 2025])
    header = ["指标", "2020年", "2025年"]
    a = targets_of_row(_row(header, ["城市道路网密度", "7", "8"], "a"), doc)[0]
    same_doc = targets_of_row(_row(header, ["城市道路网密度", "7", "9"], "a"), doc)[0]
    b = targets_of_row(_row(["指标", "2020年", "2025年", "2035年"], ["城市道路网密度（公里/平方公里）", "7", "7.18", "9"], "b"), doc)
    assert find_differences([a], [a, same_doc]) == []
    groups = find_differences([a], [a, same_doc, *b])
    assert [[t.value for t in g] for g in groups] == [["8", "7.18"]]  # 2035 is another year
    other_place = targets_of_row(_row(["指标", "2025 年·四川"], ["城市道路网密度", "6"], "c"), _doc([2021, 2025], place="四川省", level="province"))
    assert find_differences([a], [a, *other_place]) == []
