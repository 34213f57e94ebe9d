"""Corrections become suite items that `assistant eval NAME` runs like the bundled suites."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.cli import main
from assistant.config import Settings
from assistant.errors import UserError
from assistant.feedback.model import Feedback, Passage
from assistant.service import build_assistant
from eval.feedback_suite import add_to_suite, figures, suite_item, suite_path, user_suites
from eval.suite import load_suite, resolve_suite
from ingest.pipeline import ingest_into

CORPUS = Path(__file__).resolve().parent.parent / "data" / "corpus"
PASSAGE = Passage("plan.txt", "某市规划", "某市规划 > 一、主要目标", (8, 9),
                  "到2025年，全市市场主体达到50万户。营商环境进入全省第一方阵。", "到2025年，全市市场主体达到50万户。")


def _fb(**kw) -> Feedback:
    values = {"kb": "k", "question": "市场主体要达到多少？", "answer": "文档中未提及", "verdict": "wrong", "id": 3,
              "correction": "到2025年达到50万户", "evidence": PASSAGE}
    return Feedback(**{**values, **kw})


def test_a_corrected_exchange_becomes_an_item_of_the_suite_schema():
    item = suite_item(_fb(), "fb3")
    assert item == {
        "id": "fb3", "question": "市场主体要达到多少？", "answer": "到2025年达到50万户", "must_include": ["50万户"],
        "evidence": ["到2025年，全市市场主体达到50万户。"], "doc": ["plan.txt"], "section": "某市规划 > 一、主要目标",
        "type": "number", "split": "test",
    }
    worded = suite_item(_fb(correction="进入全省第一方阵", evidence=PASSAGE), "fb4")
    assert worded["type"] == "fact" and worded["must_include"] == ["进入全省第一方阵"]
    confirmed = suite_item(_fb(verdict="correct", correction="", answer="达到50万户[1]", evidence=None,
                               citations=[{"source": "plan.txt", "quote": "全市市场主体达到50万户"}]), "fb5")
    assert confirmed["answer"] == "达到50万户" and confirmed["evidence"] == ["全市市场主体达到50万户"]
    with pytest.raises(UserError, match="没有正确答案"):
        suite_item(_fb(correction=""), "fb6")
    assert figures("2025年GDP增长5%，达到1.2万亿元") == ["5%", "1.2万亿元"]


def test_items_are_appended_once_to_a_suite_in_the_data_directory(tmp_path: Path):
    item = add_to_suite(tmp_path, "反馈", _fb())
    assert item.id == "fb3" and item.split == "test"
    add_to_suite(tmp_path, "反馈", _fb(id=4, question="营商环境目标？", correction="进入全省第一方阵"))
    with pytest.raises(UserError, match="已有这条反馈"):
        add_to_suite(tmp_path, "反馈", _fb())
    suite = load_suite("反馈", search=[tmp_path / "suites"])
    assert [i.id for i in suite.items] == ["fb3", "fb4"] and suite.errors == []
    assert [p.stem for p in user_suites(tmp_path)] == ["反馈"]
    assert resolve_suite("反馈", search=[tmp_path / "suites"]) == tmp_path / "suites" / "反馈.jsonl"


@pytest.mark.parametrize("name", ["../escape", "a/b", "", "dev", "名" * 41, "a b"])
def test_suite_names_that_leave_the_folder_or_clash_are_refused(tmp_path: Path, name: str):
    with pytest.raises(UserError):
        suite_path(tmp_path, name)


def test_assistant_eval_runs_a_suite_built_from_feedback_by_its_name(tmp_path: Path, capsys, monkeypatch):
    settings = Settings(_env_file=None, data_dir=tmp_path, embedding_backend="hash")
    assistant = build_assistant(settings)
    ingest_into(assistant, sorted(CORPUS.glob("001_*.txt")))
    hit = next(h for h in assistant.retrieve("城镇新增就业", k=10) if "城镇新增就业" in h.chunk.text)
    c = hit.chunk
    evidence = Passage(c.source, c.title, c.section_path, (c.line_start, c.line_end), c.text, "城镇新增就业**4.9万人**")
    answer = assistant.ask("2021年城镇新增就业目标是多少？")
    record = assistant.record_feedback(answer, "wrong", correction="4.9万人", evidence=evidence)
    add_to_suite(tmp_path, "我的评测", record)
    monkeypatch.setenv("ASSISTANT_EMBEDDING_BACKEND", "hash")
    capsys.readouterr()
    code = main(["--data-dir", str(tmp_path), "eval", "我的评测", "--json"])
    report = json.loads(capsys.readouterr().out)[0]
    assert code == 0 and report["suite"] == "我的评测"
    assert [i["id"] for i in report["items"]] == [f"fb{record.id}"]
    assert report["items"][0]["must_include"] == ["4.9万人"]
