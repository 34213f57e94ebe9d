import csv
import json

import pytest
from openpyxl import Workbook

from eval.suite import (
    SuiteNotFound,
    is_briefing_suite,
    load_briefing_suite,
    load_suite,
    resolve_suite,
    split_list,
)

COLUMNS = ["id", "question", "answer", "must_include", "evidence", "doc", "section", "type"]


def test_bundled_dev_suite_loads_every_item_with_lists_normalised():
    suite = load_suite("dev")
    assert len(suite.items) == 45 and not suite.errors
    types = {i.type for i in suite.items}
    assert types == {"number", "fact", "list", "cross_doc", "unanswerable"}
    cross = next(i for i in suite.items if i.type == "cross_doc")
    assert cross.doc == ["004_e9dccd3c8dc8cdfa.txt"]  # a JSON list in the suite
    unanswerable = next(i for i in suite.items if i.type == "unanswerable")
    assert unanswerable.doc == [] and unanswerable.evidence == [] and unanswerable.section is None
    assert suite.items[1].must_include == ["100人", "50人", "20人"]


def test_malformed_jsonl_rows_are_reported_with_line_numbers_and_the_rest_loads(tmp_path):
    good = {
        "id": "a",
        "question": "问题一？",
        "answer": "1",
        "must_include": ["1"],
        "evidence": ["证据"],
        "type": "number",
    }
    lines = [
        json.dumps(good, ensure_ascii=False),
        "{not json",
        "",
        json.dumps({"id": "b", "question": "问题二？", "answer": "x", "type": "opinion"}, ensure_ascii=False),
        json.dumps({"id": "c", "answer": "没有问题"}, ensure_ascii=False),
        json.dumps({**good, "id": "a", "question": "重复"}, ensure_ascii=False),
        json.dumps({**good, "id": "d", "question": "问题五？"}, ensure_ascii=False),
    ]
    path = tmp_path / "s.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    suite = load_suite(path)
    assert [i.id for i in suite.items] == ["a", "d"]
    assert suite.items[1].line == 7
    errors = {e.line: e.message for e in suite.errors}
    assert set(errors) == {2, 4, 5, 6}
    assert "不是有效的 JSON" in errors[2]
    assert "未知的题型 'opinion'" in errors[4]
    assert "缺少问题" in errors[5]
    assert "重复" in errors[6]
    assert str(suite.errors[0]).startswith("第 2 行：")


def test_csv_suite_with_pipe_newline_and_json_list_cells(tmp_path):
    path = tmp_path / "suite.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f)
        w.writerow(COLUMNS)
        w.writerow(
            ["c1", "三级队伍人数？", "100/50/20", "100人|50人| 20人", "证据一\n证据二", "a.txt", "", "number"]
        )
        w.writerow(
            [
                "c2",
                "跨文档？",
                "x",
                '["甲", "乙"]',
                '["证据"]',
                '["a.txt", "b.txt"]',
                "规划 > 一",
                "cross_doc",
            ]
        )
        w.writerow(["c3", "坏行", "x", "[broken", "证据", "", "", "fact"])
        w.writerow(["c4", "无答案？", "文档中未提及", "", "", "", "", "unanswerable"])
    suite = load_suite(path)
    assert [i.id for i in suite.items] == ["c1", "c2", "c4"]
    c1, c2, c4 = suite.items
    assert c1.must_include == ["100人", "50人", "20人"]
    assert c1.evidence == ["证据一", "证据二"]
    assert c1.doc == ["a.txt"]
    assert c2.must_include == ["甲", "乙"] and c2.doc == ["a.txt", "b.txt"] and c2.section == "规划 > 一"
    assert c4.evidence == [] and not c4.answerable
    # c1's evidence cell spans two physical lines, so c3 starts on line 5
    assert [(e.line, "不是有效的 JSON" in e.message) for e in suite.errors] == [(5, True)]


def test_xlsx_suite_loads_and_reports_a_bad_row_by_sheet_row(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(COLUMNS)
    ws.append(["x1", "餐饮单位多少家？", 12630, 12630, "12630家餐饮单位", "004.txt", None, "number"])
    ws.append(["x2", None, "答案", None, None, None, None, "fact"])
    ws.append([None] * 8)
    ws.append(["x3", "目标是什么？", "20亿元", "20亿元", "成交额达到20亿元\n研发经费", None, None, "fact"])
    path = tmp_path / "suite.xlsx"
    wb.save(path)
    suite = load_suite(path)
    assert [i.id for i in suite.items] == ["x1", "x3"]
    assert suite.items[0].must_include == ["12630"]  # a numeric cell, not "12630.0"
    assert suite.items[1].evidence == ["成交额达到20亿元", "研发经费"]
    assert [(e.line, e.message) for e in suite.errors] == [(3, "缺少问题（question）")]


def test_split_list_variants():
    assert split_list(None) == []
    assert split_list("") == []
    assert split_list("a | b|c") == ["a", "b", "c"]
    assert split_list("a\r\nb") == ["a", "b"]
    assert split_list('["a", "b|c"]') == ["a", "b|c"]
    assert split_list(["a", None, " "]) == ["a"]
    with pytest.raises(ValueError):
        split_list('["a", "b"')


def test_resolve_suite_by_name_and_missing_suite():
    assert resolve_suite("dev").name == "dev.jsonl"
    assert resolve_suite("briefings").name == "briefings_dev.jsonl"
    with pytest.raises(SuiteNotFound):
        resolve_suite("no_such_suite")
    with pytest.raises(SuiteNotFound):
        resolve_suite("missing/dir/suite.jsonl")


def test_briefing_suite_loads_with_its_own_loader(tmp_path):
    suite = load_briefing_suite("briefings")
    assert len(suite.topics) == 6 and not suite.errors
    assert all(t.key_points and t.key_points[0].evidence for t in suite.topics)
    assert is_briefing_suite(resolve_suite("briefings"))
    assert not is_briefing_suite(resolve_suite("dev"))

    path = tmp_path / "b.jsonl"
    path.write_text(
        json.dumps(
            {"id": "t1", "topic": "主题", "key_points": [{"point": "要点", "evidence": "证据"}]},
            ensure_ascii=False,
        )
        + "\n"
        + json.dumps({"id": "t2", "topic": "空", "key_points": []})
        + "\n",
        encoding="utf-8",
    )
    loaded = load_briefing_suite(path)
    assert [t.id for t in loaded.topics] == ["t1"]
    assert [e.line for e in loaded.errors] == [2]


@pytest.mark.parametrize("name", ["sample.csv", "sample.xlsx"])
def test_bundled_spreadsheet_examples_match_the_jsonl_items(name):
    from eval.suite import SUITES_DIR

    sheet = load_suite(SUITES_DIR / "examples" / name)
    dev = {i.id: i for i in load_suite("dev").items}
    assert not sheet.errors and len(sheet.items) == 5
    for item in sheet.items:
        expected = dev[item.id]
        assert (item.question, item.must_include, item.evidence, item.doc, item.section, item.type) == (
            expected.question,
            expected.must_include,
            expected.evidence,
            expected.doc,
            expected.section,
            expected.type,
        )
