import json
import re
import warnings

from assistant.config import Settings
from eval.report import write_briefing_report, write_report
from eval.results import BriefingReport, TopicCoverage
from eval.runner import run_suite
from eval.suite import EvalItem
from eval.testing import FakeAssistant, make_answer

EVIL = "<script>alert('x')</script>新增多少家？"


def _report(tmp_path, label="default"):
    items = [
        EvalItem("e1", EVIL, "12630家", ["12630"], ["12630家餐饮单位"], type="number"),
        EvalItem("e2", "成交额目标？", "20亿元", ["20亿元"], ["成交额达到20亿元"], type="fact"),
        EvalItem("u1", "公园绿地？", "文档中未提及", type="unanswerable"),
    ]
    fake = FakeAssistant(
        {
            EVIL: make_answer(EVIL, "<b>不知道</b>", contexts=["研发<经费>投入"], cite=[1]),
            "成交额目标？": make_answer(
                "成交额目标？", "20亿元", contexts=["技术合同成交额达到20亿元"], cite=[1]
            ),
        },
        settings=Settings(_env_file=None, data_dir=tmp_path, llm_base_url=None, llm_api_key=None),
    )
    return run_suite(fake, items, k=5, label=label, suite="unit")


def test_report_files_are_written_with_every_item_in_json(tmp_path):
    files = write_report(tmp_path / "out", [_report(tmp_path)])
    data = json.loads(files.json.read_text(encoding="utf-8"))
    run = data["runs"][0]
    assert [i["id"] for i in run["items"]] == ["e1", "e2", "u1"]
    assert run["items"][0]["passed"] is False and run["items"][1]["passed"] is True
    assert run["metrics"]["hit@5"] == 0.5
    assert run["by_type"]["fact"]["hit_at_k"] == 1.0
    md = files.markdown.read_text(encoding="utf-8")
    assert "| 前 5 命中率 hit@5 | 0.500 |" in md and "未通过的题目：1 题" in md


def test_html_is_self_contained_escaped_and_lists_failed_items(tmp_path):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no missing-glyph or other warnings from charts
        files = write_report(tmp_path / "out", [_report(tmp_path)])
    html = files.html.read_text(encoding="utf-8")
    assert html.count('<img alt="') == 2  # latency + scores by type (no comparison for one run)
    assert '<img alt="按题型的得分（default）" src="data:image/png;base64,' in html
    assert "<script" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html
    assert "&lt;b&gt;不知道&lt;/b&gt;" in html
    assert not re.search(r'(src|href)="(?!data:)', html)  # nothing loaded from elsewhere
    failed = html.split('<table class="failed">')[1].split("</table>")[0]
    assert "12630家" in failed  # expected answer
    assert "规划 &gt; 第1节（第10–15行）" in failed  # retrieved source: title > section, lines
    assert "成交额目标" not in failed  # passed items are not listed


def test_comparison_report_has_a_column_and_chart_per_configuration(tmp_path):
    reports = [_report(tmp_path, "retriever=dense"), _report(tmp_path, "retriever=lexical")]
    files = write_report(tmp_path / "cmp", reports, compare_key="retriever")
    html = files.html.read_text(encoding="utf-8")
    assert '<img alt="配置对比" src="data:image/png;base64,' in html
    assert "<th>retriever=dense</th><th>retriever=lexical</th>" in html
    assert len(json.loads(files.json.read_text(encoding="utf-8"))["runs"]) == 2


def test_briefing_report_shows_coverage_and_missed_points(tmp_path):
    report = BriefingReport(
        "briefings",
        "default",
        [TopicCoverage("t1", "<i>科技</i>", ["要点甲", "要点乙"], [True, False], brief="简报")],
    )
    files = write_briefing_report(tmp_path / "b", report)
    html = files.html.read_text(encoding="utf-8")
    assert "总体要点覆盖率：0.500" in html
    assert "&lt;i&gt;科技&lt;/i&gt;" in html and "<i>" not in html
    assert "要点乙" in html.split('<table class="failed">')[1]
    assert 'src="data:image/png;base64,' in html
    assert json.loads(files.json.read_text(encoding="utf-8"))["metrics"]["coverage"] == 0.5
