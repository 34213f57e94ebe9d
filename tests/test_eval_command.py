import argparse
import json

import pytest

from assistant.config import Settings
from eval import command
from eval.testing import FakeAssistant, make_answer

SUITE = [
    {
        "id": "a",
        "question": "餐饮单位多少家？",
        "answer": "12630家",
        "must_include": ["12630"],
        "evidence": ["12630家餐饮单位"],
        "type": "number",
    },
    {
        "id": "b",
        "question": "成交额目标？",
        "answer": "20亿元",
        "must_include": ["20亿元"],
        "evidence": ["成交额达到20亿元"],
        "type": "fact",
    },
]


@pytest.fixture
def settings(tmp_path):
    return Settings(_env_file=None, data_dir=tmp_path / "var", llm_base_url=None, llm_api_key=None)


@pytest.fixture
def suite_path(tmp_path):
    path = tmp_path / "suite.jsonl"
    lines = [json.dumps(r, ensure_ascii=False) for r in SUITE] + ["{broken"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def built(monkeypatch):
    """Replace build_assistant: the first question is answered well, the second misses."""
    fakes = []

    def build(settings):
        fake = FakeAssistant(
            {
                "餐饮单位多少家？": make_answer(
                    "餐饮单位多少家？", "12630家", contexts=["12630家餐饮单位建成"], cite=[1]
                ),
                "成交额目标？": make_answer("成交额目标？", "不清楚", contexts=["无关段落"]),
            },
            settings=settings,
        )
        fakes.append(fake)
        return fake

    monkeypatch.setattr(command, "build_assistant", build)
    return fakes


def run(argv, settings):
    parser = argparse.ArgumentParser()
    command.add_arguments(parser)
    return command.run(parser.parse_args(argv), settings)


def test_thresholds_that_hold_exit_0_and_write_the_report(suite_path, settings, built, tmp_path, capsys):
    out = tmp_path / "report"
    code = run(
        [str(suite_path), "--min", "hit@5=0.5", "--min", "must_include=0.5", "--out", str(out)], settings
    )
    assert code == 0
    assert (out / "report.html").is_file() and (out / "report.json").is_file()
    captured = capsys.readouterr()
    assert "hit@5" in captured.out and "0.500" in captured.out
    assert "第 3 行" in captured.err  # the malformed row is reported, the rest ran
    assert [q for q, _ in built[0].asked] == ["餐饮单位多少家？", "成交额目标？"]


def test_a_failed_threshold_exits_1_with_one_line_per_failure(suite_path, settings, built, capsys):
    code = run(
        [str(suite_path), "--min", "hit@5=0.9", "--min", "must_include=0.8", "--min", "mrr=0.1"], settings
    )
    assert code == 1
    err = capsys.readouterr().err
    fails = [line for line in err.splitlines() if line.startswith("未达标")]
    assert fails == ["未达标：hit@5 = 0.500，低于要求的 0.9", "未达标：must_include = 0.500，低于要求的 0.8"]


def test_missing_suite_exits_2_with_one_line(settings, built, capsys):
    code = run(["no/such/suite.jsonl"], settings)
    assert code == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("错误：找不到评测集：no/such/suite.jsonl") and "\n" not in err
    assert built == []  # nothing was built


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--min", "recall=0.5"], "指标 'recall' 不存在"),
        (["--min", "hit@5=high"], "不是数字"),
        (["--set", "retriever=magic"], "bad value for retriever"),
        (["--compare", "nope=1,2"], "unknown setting 'nope'"),
    ],
)
def test_usage_mistakes_exit_2(suite_path, settings, built, capsys, argv, message):
    assert run([str(suite_path), *argv], settings) == 2
    assert message in capsys.readouterr().err


def test_judged_threshold_offline_fails_as_not_measured(suite_path, settings, built, capsys):
    assert run([str(suite_path), "--min", "faithfulness=0.5"], settings) == 1
    assert "faithfulness (judged) 未能计算" in capsys.readouterr().err


def test_set_and_k_reach_the_assistant_and_json_output(suite_path, settings, built, capsys):
    code = run([str(suite_path), "--set", "retriever=lexical", "--k", "3", "--json"], settings)
    assert code == 0
    assert built[0].settings.retriever == "lexical"
    assert {k for _, k in built[0].asked} == {3}
    data = json.loads(capsys.readouterr().out)
    assert data[0]["metrics"]["hit@3"] == 0.5


def test_compare_runs_each_value_and_checks_thresholds_per_run(suite_path, settings, built, capsys):
    code = run(
        [str(suite_path), "--compare", "retriever=dense,hybrid", "--min", "hit@5=0.9", "--json"], settings
    )
    assert code == 1
    assert [f.settings.retriever for f in built] == ["dense", "hybrid"]
    err = capsys.readouterr().err
    assert "未达标：[retriever=dense] hit@5" in err and "未达标：[retriever=hybrid] hit@5" in err


def test_empty_knowledge_base_is_ingested_from_the_corpus_first(suite_path, settings, monkeypatch, tmp_path):
    fakes = []

    def build(s):
        fakes.append(FakeAssistant(settings=s, documents=()))
        return fakes[-1]

    monkeypatch.setattr(command, "build_assistant", build)
    monkeypatch.setattr(command, "ingest_into", lambda assistant, paths, **kwargs: assistant.ingest(paths))
    assert run([str(suite_path), "--corpus", str(tmp_path)], settings) == 0
    assert fakes[0].ingested == [[tmp_path]]


def test_briefing_suite_runs_with_coverage_threshold(settings, built, monkeypatch, capsys):
    from eval import runner

    monkeypatch.setattr(
        runner, "default_brief_writer", lambda: lambda assistant, topic: "技术合同成交额达到20亿元"
    )
    code = run(["briefings", "--min", "coverage=0.9"], settings)
    assert code == 1
    assert "未达标：coverage" in capsys.readouterr().err
