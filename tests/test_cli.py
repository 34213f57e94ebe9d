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

# a gazette: three plans of one city with long titles that differ only near their ends
PLANS = [("教育事业发展规划", 17, "普惠性幼儿园覆盖率达到86%"), ("现代供应链发展规划", 21, "培育省级供应链示范企业5家"),
         ("公共卫生体系和全民健康规划", 28, "人均预期寿命达到78岁")]
GAZETTE = "\n\n".join(
    f"""湖滨市人民政府关于印发湖滨市“十四五”{name}的通知

湖政〔2022〕{number}号

各县（市、区）人民政府：现将规划印发给你们，请认真贯彻执行。

2022年7月{i + 1}日

湖滨市“十四五”{name}

一、主要目标

到2025年，{target}。"""
    for i, (name, number, target) in enumerate(PLANS)
)

REPORT = """2023年政府工作报告

一、2023年主要目标

城镇新增就业5万人，粮食产量稳定在280万吨以上。

二、重点工作

推进教育改革、医药卫生体制改革，深化农村改革。
"""

# a document whose text looks like rich markup and a file name carrying terminal control sequences
MARKUP = """标记测试规划

一、主要目标

到2025年，建成[/bold]智慧灯杆[link=http://evil.example]1200根[/link]。
"""
EVIL_NAME = "evil\x1b]0;pwned\x07\x1b[31m标记.txt"

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
CITATION_KEYS = {"n", "source", "title", "section", "lines", "quote", "verified", "problem", "page"}
CONTEXT_KEYS = {"rank", "source", "title", "section", "lines", "text", "score", "page"}


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    folder = tmp_path_factory.mktemp("docs")
    (folder / "park.txt").write_text(PLAN, encoding="utf-8")
    (folder / "report.txt").write_text(REPORT, encoding="utf-8")
    (folder / "gazette.txt").write_text(GAZETTE, encoding="utf-8")
    (folder / EVIL_NAME).write_text(MARKUP, encoding="utf-8")
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
    assert lines[0].startswith("错误："), lines[0]
    return lines[0]


def test_ingest_of_a_missing_path_is_a_one_line_error(cli, tmp_path):
    code, _, err = cli("ingest", str(tmp_path / "nope.txt"), data=str(tmp_path / "kb"))

    assert code == 2 and "nope.txt" in one_line_error(err)


def test_an_empty_question_is_refused(cli):
    code, _, err = cli("ask", "")
    assert code == 2 and "问题" in one_line_error(err)


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
    assert answer["contexts"] and all(set(c) == CONTEXT_KEYS for c in answer["contexts"])
    assert [c["rank"] for c in answer["contexts"]] == list(range(1, len(answer["contexts"]) + 1))
    assert set(answer["timings_ms"]) >= {"retrieve", "answer", "total"}


def test_ask_human_output_shows_answer_and_sources(cli):
    code, out, _ = cli("ask", "城镇新增就业目标是多少？")

    assert code == 0
    assert "5万人" in out and "[1]" in out and "report.txt" in out and "离线摘录" in out
    # the real timings: loading apart from the question's own retrieval and answer
    timing = next(line for line in out.splitlines() if line.startswith("模式："))
    assert "加载模型与索引" in timing and "检索" in timing and "毫秒" in timing and "本次共" in timing


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
    assert sorted({d["source"] for d in docs}) == sorted([EVIL_NAME, "gazette.txt", "park.txt", "report.txt"])
    assert {"许昌市城市公园建设规划", "2023年政府工作报告"} <= {d["title"] for d in docs}
    assert set(docs[0]) >= {"doc_id", "source", "title", "line_start", "line_end", "year", "chunks"}

    code, out, _ = cli("docs")
    assert code == 0 and "park.txt" in out and "report.txt" in out


def test_remove_a_source_and_an_unknown_name(cli, folder, tmp_path):
    data = str(tmp_path / "kb")
    assert cli("ingest", str(folder), data=data)[0] == 0

    code, out, _ = cli("remove", "park.txt", data=data)
    assert code == 0 and "已移除 park.txt" in out
    code, out, _ = cli("docs", "--json", data=data)
    assert "park.txt" not in {d["source"] for d in json.loads(out)}

    code, _, err = cli("remove", "park.txt", data=data)
    assert code == 2 and "park.txt" in one_line_error(err)


def test_an_invalid_setting_is_a_one_line_error(cli, monkeypatch):
    monkeypatch.setenv("ASSISTANT_TOP_K", "0")
    code, _, err = cli("docs")
    assert code == 2 and "top_k" in one_line_error(err)


def test_docs_at_80_columns_wraps_titles_and_tells_the_plans_of_a_gazette_apart(cli, monkeypatch):
    from assistant import cli as cli_module

    monkeypatch.setattr(cli_module, "out", cli_module.Console(width=80, soft_wrap=True))
    code, table, _ = cli("docs")

    assert code == 0
    assert max(cli_module.Console().measure(line).maximum for line in table.splitlines()) <= 80
    assert "…" not in table  # wrapped, never cut
    lines = table.splitlines()
    header = next(line for line in lines if "标题" in line and "文号" in line)
    start, end = _cell_index(header, "标题"), _cell_index(header, "文号")
    titles = "".join(_cells(line, start, end).strip() for line in lines)  # the title column, read down
    numbers = "".join(_cells(line, end, end + 18).strip() for line in lines)
    for name, number, _ in PLANS:
        assert f"湖滨市“十四五”{name}" in titles, name  # every title whole
        assert f"湖政〔2022〕{number}号" in numbers  # and the document number that tells it apart
    assert "gazette.txt" in titles and "3 篇" in numbers


def _cell_index(line: str, text: str) -> int:
    from rich.cells import cell_len

    return cell_len(line[: line.index(text)])


def _cells(line: str, start: int, end: int) -> str:
    """The characters of a line between two terminal columns (CJK characters are two columns wide)."""
    from rich.cells import get_character_cell_size

    out, col = [], 0
    for ch in line:
        if start <= col < end:
            out.append(ch)
        col += get_character_cell_size(ch)
    return "".join(out)


def test_a_doc_filter_that_matches_nothing_names_the_close_matches(cli):
    code, out, err = cli("ask", "到2025年普惠性幼儿园覆盖率达到多少？", "--doc", "教育规划")
    line = one_line_error(err)
    assert code == 2 and out == ""
    assert "没有与“教育规划”匹配的文档" in line and "《湖滨市“十四五”教育事业发展规划》" in line

    code, _, err = cli("ask", "公园建设目标？", "--year", "2019")
    assert code == 2 and "没有2019年的" in one_line_error(err)


def test_a_filter_that_excludes_the_answer_says_where_it_is(cli):
    code, out, _ = cli("ask", "城镇新增就业目标是多少？", "--doc", "许昌市城市公园建设规划")

    assert code == 0 and "文档中未提及" in out
    assert "限定范围" in out and "《2023年政府工作报告》" in out


def test_an_english_question_gets_a_hint(cli):
    code, out, _ = cli("ask", "What is the employment target?")
    assert code == 0 and "请用中文提问" in out


@pytest.mark.parametrize("k", ["0", "-1", "51", "abc"])
def test_k_outside_its_range_is_a_one_line_chinese_error(cli, k):
    with pytest.raises(SystemExit) as raised:
        cli("ask", "公园建设目标？", "--k", k)
    assert raised.value.code == 2


def test_k_error_message_is_chinese(capsys):
    with pytest.raises(SystemExit):
        main(["ask", "公园", "--k", "0"])
    err = capsys.readouterr().err
    assert "错误：" in err and "--k" in err and "须在 1 到 50 之间" in err and "Traceback" not in err


def test_help_is_chinese(capsys):
    with pytest.raises(SystemExit):
        main(["-h"])
    assert "用法：" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        main(["ask", "-h"])
    text = capsys.readouterr().out
    assert "只在这篇文档中查找" in text and "用法：" in text


def test_a_question_over_the_limit_is_refused_before_loading_anything(cli, monkeypatch):
    from assistant import cli as cli_module

    monkeypatch.setattr(cli_module, "build", lambda settings: pytest.fail("the assistant was built"))
    code, _, err = cli("ask", "问" * 2001)
    assert code == 2 and "问题过长" in one_line_error(err) and "2,000" in err


def test_a_batch_with_a_1_mb_line_is_refused_at_once_naming_the_line(cli, tmp_path, monkeypatch):
    from assistant import cli as cli_module

    batch = tmp_path / "batch.txt"
    batch.write_text("公园建设目标是什么？\n" + "问" * 1_000_000 + "\n城镇新增就业目标是多少？\n", encoding="utf-8")
    monkeypatch.setattr(cli_module, "build", lambda settings: pytest.fail("the assistant was built"))
    code, out, err = cli("ask", "--batch", str(batch), "--json")
    assert code == 2 and out == ""
    assert "第 2 行的问题过长" in one_line_error(err)


def test_a_batch_over_the_count_limit_is_refused(cli, tmp_path, monkeypatch):
    monkeypatch.setenv("ASSISTANT_MAX_BATCH_QUESTIONS", "2")
    batch = tmp_path / "batch.txt"
    batch.write_text("问题一？\n问题二？\n问题三？\n", encoding="utf-8")
    code, out, err = cli("ask", "--batch", str(batch), "--json")
    assert code == 2 and out == "" and "批量问题过多" in one_line_error(err)


def test_document_text_prints_verbatim_and_names_carry_no_terminal_codes(cli):
    code, out, err = cli("ask", "智慧灯杆建设目标是多少？")
    assert code == 0, err
    assert "建成[/bold]智慧灯杆[link=http://evil.example]1200根[/link]" in out  # as written, twice: answer, quote

    code, out, err = cli("docs")
    assert code == 0 and "Traceback" not in err
    assert "\x1b" not in out and "\x07" not in out and "evil" in out and "标记.txt" in out


def test_ingest_progress_is_written_as_lines_in_a_log(cli, folder, tmp_path):
    code, out, err = cli("ingest", str(folder), data=str(tmp_path / "log-kb"))
    assert code == 0 and "已入库 4 个文件" in out
    steps = [line for line in err.splitlines() if " 入库 " in line]
    assert " 入库 0/4 " in steps[0] and " 入库 4/4 " in steps[-1] and all(line.startswith("[") for line in steps)
    assert "\x1b" not in err
