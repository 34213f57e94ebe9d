"""The `assistant` command line: user mistakes are one line and exit 2; --json output is the contract."""

from __future__ import annotations

import json

import pytest

from assistant.cli import main

PLAN = """许昌市城市公园建设规划

一、建设目标

到2025年，全市新建城市公园30个，人均公园绿地面积达到15平方米。

二、保障措施

加强公园日常养护管理，建立公园绿地巡查制度。
"""

REPORT = """2023年政府工作报告

一、2023年主要目标

城镇新增就业5万人，粮食产量稳定在280万吨以上。

二、重点工作

推进教育改革、医药卫生体制改革，深化农村改革。
"""

ANSWER_KEYS = {
    "question",
    "condensed_question",
    "answer",
    "mode",
    "abstained",
    "citations",
    "contexts",
    "timings_ms",
    "notice",
}
CITATION_KEYS = {"n", "source", "title", "section", "lines", "quote", "verified", "problem", "page", "location"}
CONTEXT_KEYS = {"rank", "source", "title", "section", "lines", "text", "score", "page", "location"}


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    folder = tmp_path_factory.mktemp("docs")
    (folder / "park.txt").write_text(PLAN, encoding="utf-8")
    (folder / "report.txt").write_text(REPORT, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory, folder):
    """A knowledge base ingested once through the CLI (hash embeddings)."""
    data_dir = tmp_path_factory.mktemp("kb")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("ASSISTANT_EMBEDDING_BACKEND", "hash")
        assert main(["--data-dir", str(data_dir), "ingest", str(folder)]) == 0
    return data_dir


@pytest.fixture
def cli(monkeypatch, capsys, data_dir):
    """Run the CLI on the shared knowledge base; returns (exit code, stdout, stderr)."""
    monkeypatch.setenv("ASSISTANT_EMBEDDING_BACKEND", "hash")

    def run(*argv: str, data: str | None = None) -> tuple[int, str, str]:
        capsys.readouterr()
        code = main(["--data-dir", data or str(data_dir), *argv])
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return run


def one_line_error(err: str) -> str:
    assert "Traceback" not in err
    lines = [line for line in err.strip().splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert lines[0].startswith("error:")
    return lines[0]


def test_ingest_of_a_missing_path_is_a_one_line_error(cli, tmp_path):
    code, _, err = cli("ingest", str(tmp_path / "nope.txt"), data=str(tmp_path / "kb"))

    assert code == 2 and "nope.txt" in one_line_error(err)


def test_an_empty_question_is_refused(cli):
    code, _, err = cli("ask", "")
    assert code == 2 and "question" in one_line_error(err)


def test_ask_on_an_empty_knowledge_base_says_to_ingest(cli, tmp_path):
    code, _, err = cli("ask", "公园建设目标？", data=str(tmp_path / "empty"))
    assert code == 2 and "ingest" in one_line_error(err)


def test_ask_json_prints_the_documented_contract(cli):
    code, out, err = cli("ask", "到2025年全市新建多少个城市公园？", "--json")

    assert code == 0, err
    answer = json.loads(out)
    assert set(answer) == ANSWER_KEYS
    assert answer["question"] == answer["condensed_question"] == "到2025年全市新建多少个城市公园？"
    assert answer["mode"] == "extractive" and answer["abstained"] is False and "30个" in answer["answer"]
    assert answer["citations"] and all(set(c) == CITATION_KEYS for c in answer["citations"])
    citation = answer["citations"][0]
    assert citation["source"] == "park.txt" and citation["verified"] is True and "30个" in citation["quote"]
    assert len(citation["lines"]) == 2 and citation["section"].startswith("许昌市城市公园建设规划")
    # where the quote is in the user's file, as parts and as a label
    where = citation["location"]
    assert where["label"] == (f"第{where['line_start']}行" if where["line_start"] == where["line_end"]
                              else f"第{where['line_start']}–{where['line_end']}行")
    assert answer["contexts"] and all(set(c) == CONTEXT_KEYS for c in answer["contexts"])
    assert [c["rank"] for c in answer["contexts"]] == list(range(1, len(answer["contexts"]) + 1))
    assert set(answer["timings_ms"]) >= {"retrieve", "answer", "total"}


def test_ask_human_output_shows_answer_and_sources(cli):
    code, out, _ = cli("ask", "城镇新增就业目标是多少？")

    assert code == 0
    assert "5万人" in out and "[1]" in out and "report.txt" in out and "离线摘录" in out
    line = next(n for n, text in enumerate(REPORT.split("\n"), start=1) if "5万人" in text)
    assert f"report.txt 第{line}行" in out  # the line of the user's file, not of the cleaned copy


def test_ask_batch_prints_one_json_object_per_line(cli, tmp_path):
    batch = tmp_path / "questions.txt"
    batch.write_text(
        "到2025年全市新建多少个城市公园？\n\n城镇新增就业目标是多少？\n数字人民币试点有哪些安排？\n",
        encoding="utf-8",
    )
    code, out, err = cli("ask", "--batch", str(batch), "--json")

    assert code == 0, err
    answers = [json.loads(line) for line in out.strip().splitlines()]
    assert [a["question"] for a in answers] == [
        "到2025年全市新建多少个城市公园？",
        "城镇新增就业目标是多少？",
        "数字人民币试点有哪些安排？",
    ]
    assert all(set(a) == ANSWER_KEYS for a in answers)
    assert answers[2]["abstained"] is True and answers[2]["answer"] == "文档中未提及"


def test_ask_batch_with_a_missing_file_is_a_one_line_error(cli, tmp_path):
    code, _, err = cli("ask", "--batch", str(tmp_path / "none.txt"))
    assert code == 2 and "none.txt" in one_line_error(err)


def test_docs_lists_documents(cli):
    code, out, _ = cli("docs", "--json")
    assert code == 0
    docs = json.loads(out)
    assert sorted(d["source"] for d in docs) == ["park.txt", "report.txt"]
    assert {d["title"] for d in docs} == {"许昌市城市公园建设规划", "2023年政府工作报告"}

    code, out, _ = cli("docs")
    assert code == 0 and "park.txt" in out and "report.txt" in out


def test_remove_a_source_and_an_unknown_name(cli, folder, tmp_path):
    data = str(tmp_path / "kb")
    assert cli("ingest", str(folder), data=data)[0] == 0

    code, out, _ = cli("remove", "park.txt", data=data)
    assert code == 0 and "park.txt" in out
    code, out, _ = cli("docs", "--json", data=data)
    assert [d["source"] for d in json.loads(out)] == ["report.txt"]

    code, _, err = cli("remove", "park.txt", data=data)
    assert code == 2 and "park.txt" in one_line_error(err)


def test_an_invalid_setting_is_a_one_line_error(cli, monkeypatch):
    monkeypatch.setenv("ASSISTANT_TOP_K", "0")
    code, _, err = cli("docs")
    assert code == 2 and "top_k" in one_line_error(err)
