"""The 命中测试 view and `assistant ask --json --explain` show the same scores and reasons."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.cli import main
from assistant.config import Settings
from assistant.display import explain_rows
from assistant.service import build_assistant
from ingest.pipeline import ingest_into
from ui import render
from ui.improve import Improvement

CORPUS = Path(__file__).resolve().parent.parent / "data" / "corpus"
QUESTIONS = ["2021年城镇新增就业目标是多少？", "2023年粮食产量要稳定在多少？", "火星基地建设规划的目标是什么？"]


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory) -> Path:
    data_dir = tmp_path_factory.mktemp("hit")
    assistant = build_assistant(Settings(_env_file=None, data_dir=data_dir, embedding_backend="hash"))
    ingest_into(assistant, sorted(CORPUS.glob("001_*.txt")) + sorted(CORPUS.glob("003_*.txt")))
    return data_dir


@pytest.mark.parametrize("question", QUESTIONS)
def test_the_view_shows_what_ask_json_explain_prints(data_dir, question, capsys, monkeypatch):
    monkeypatch.setenv("ASSISTANT_EMBEDDING_BACKEND", "hash")
    capsys.readouterr()
    assert main(["--data-dir", str(data_dir), "ask", question, "--json", "--explain"]) == 0
    printed = json.loads(capsys.readouterr().out)["explain"]

    settings = Settings(_env_file=None, data_dir=data_dir, embedding_backend="hash")
    html, answer = Improvement(build_assistant(settings), settings).hit_test(question)
    assert answer is not None and json.loads(json.dumps(answer.explain, ensure_ascii=False)) == printed

    # every ranked passage's lexical, dense and fused score, in the printed order, and every reason
    at = 0
    for row in explain_rows(printed):
        for cell in row:
            found = html.find(render.escape(cell), at)
            assert found >= 0, (cell, row)
            at = found
    for decision in printed["decision"]:
        assert render.escape(decision["why"]) in html
    assert render.escape(printed["curated"]["why"]) in html
    for doc in printed["routing"]:
        assert render.escape(doc["title"]) in html


def test_an_empty_question_is_refused_in_chinese(data_dir):
    settings = Settings(_env_file=None, data_dir=data_dir, embedding_backend="hash")
    html, answer = Improvement(build_assistant(settings), settings).hit_test("  ")
    assert answer is None and "请输入问题" in html
