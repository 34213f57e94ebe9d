"""The eval's figure checks catch what they are for: a target taken from a province's column of a city's
table, a baseline called a target, and a 'difference' between two columns of one table."""

from __future__ import annotations

import pytest

from assistant.briefing.model import Brief, Difference, TargetRow
from assistant.config import Settings
from assistant.models import Citation
from assistant.service import build_assistant
from eval.brief_checks import check_brief
from ingest.pipeline import ingest_into

PLAN = """成都市“十四五”教育事业发展规划
第一章 发展目标
专栏1 主要指标
维度\t指标\t2020 年·四川\t2020 年·成都\t2025 年·四川\t2025 年·成都\t属性
教育普及\t学前教育毛入园率（%）\t90.3\t95\t93\t96\t预期性
教育普及\t义务教育巩固率（%）\t96.0\t99.75\t96.4\t100\t预期性
第二章 保障措施
加强组织领导，落实规划任务。
"""


@pytest.fixture(scope="module")
def assistant(tmp_path_factory):
    folder = tmp_path_factory.mktemp("plan")
    (folder / "plan.txt").write_text(PLAN, encoding="utf-8")
    built = build_assistant(Settings(_env_file=None, data_dir=tmp_path_factory.mktemp("var"), embedding_backend="hash"))
    ingest_into(built, [folder])
    return built


def _row_line(assistant, indicator: str) -> int:
    return next(c.line_start for c in assistant.store.cached_chunks() if c.kind == "table_row" and indicator in c.text)


def _brief(assistant, rows: list[TargetRow], differences: list[Difference] = ()) -> Brief:
    line = _row_line(assistant, "学前教育毛入园率")
    source = Citation(n=1, source="plan.txt", title="成都市“十四五”教育事业发展规划", section="", lines=[line, line], quote="")
    return Brief("t", "extractive", targets=rows, differences=list(differences), sources=[source])


def test_the_city_column_passes_and_the_province_column_and_baseline_do_not(assistant):
    city = TargetRow("学前教育毛入园率（%）", "96", "2025年", 1, "规划", column="2025 年·成都")
    province = TargetRow("学前教育毛入园率（%）", "93", "2025年", 1, "规划", column="2025 年·四川")
    baseline = TargetRow("学前教育毛入园率（%）", "95", "2025年", 1, "规划", column="2020 年·成都")
    checks = check_brief(_brief(assistant, [city, province, baseline, city]), assistant)
    assert checks.target_rows == 4 and checks.duplicate_rows == 1
    assert [m.split(":")[0] for m in checks.mislabelled] == ["学前教育毛入园率（%）=93", "学前教育毛入园率（%）=95"]
    assert "四川" in checks.mislabelled[0] and "2020" in checks.mislabelled[1]


def test_two_columns_of_one_table_are_no_difference(assistant):
    city = TargetRow("学前教育毛入园率（%）", "96", "2025年", 1, "规划", column="2025 年·成都", place="成都市")
    province = TargetRow("学前教育毛入园率（%）", "93", "2025年", 1, "规划", column="2025 年·四川", place="成都市")
    checks = check_brief(_brief(assistant, [], [Difference("学前教育毛入园率（%）", "2025年", [city, province])]),
                         assistant)
    assert checks.differences == 1 and "one document" in checks.false_differences[0]
