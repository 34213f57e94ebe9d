"""The assistant facade: every request bounded before any work (question length, follow-up history);
replicas on a Chroma server; removing documents."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import RecordingAnswerer

from assistant.config import Settings
from assistant.errors import InputTooLong
from assistant.service import Assistant, build_assistant
from assistant.text import norm
from ingest.pipeline import ingest_into


@pytest.fixture
def facade(tmp_path) -> tuple[Assistant, RecordingAnswerer]:
    answerer = RecordingAnswerer()
    settings = Settings(_env_file=None, data_dir=tmp_path, max_question_chars=2000, max_history_turns=3)
    return Assistant(settings, embedder=None, store=None, retriever=None, answerer=answerer), answerer


def test_a_question_over_the_limit_is_refused_in_chinese_before_any_work(facade) -> None:
    assistant, answerer = facade

    with pytest.raises(InputTooLong) as raised:
        assistant.ask("十四五" * 400_000)  # 1.2 million characters

    message = str(raised.value)
    assert "问题过长" in message and "1,200,000" in message and "2,000" in message
    assert answerer.runs == []  # nothing was embedded or retrieved


def test_a_question_at_the_limit_is_answered(facade) -> None:
    assistant, answerer = facade
    assistant.ask("问" * 2000)
    assert len(answerer.runs) == 1


def test_only_the_last_turns_of_history_reach_the_answerer_each_cut_to_the_limit(facade) -> None:
    assistant, answerer = facade
    history = [(f"问题{i}", "答" * 50_000) for i in range(100)]

    assistant.ask("那2025年呢？", history=history)

    seen = answerer.runs[0]["history"]
    assert [u for u, _ in seen] == ["问题97", "问题98", "问题99"]
    assert all(len(a) == 2000 for _, a in seen)

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "data" / "corpus"
GAZETTE = "004_e9dccd3c8dc8cdfa.txt"  # one file, 18 plans
SMALL = ["000_bde97cc65fce8701.txt", "001_632b2db852565a50.txt"]


def make_assistant(data_dir: Path, **overrides: object) -> Assistant:
    settings = Settings(data_dir=data_dir, embedding_backend="hash", llm_base_url=None, llm_api_key=None,
                        **overrides)
    return build_assistant(settings)


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_") and k != "OPENAI_API_KEY"}
    env["ASSISTANT_EMBEDDING_BACKEND"] = "hash"
    env["PYTHONPATH"] = str(ROOT)
    return env


def test_replicas_on_one_chroma_server_serve_the_same_knowledge_base(chroma_server, tmp_path):
    """What one replica ingests the other lists, answers from with citations, and removes."""
    server = {"chroma_host": "127.0.0.1", "chroma_port": chroma_server}
    folder = tmp_path / "docs"
    folder.mkdir()
    for name in SMALL:
        shutil.copy(CORPUS / name, folder / name)
    a = make_assistant(tmp_path / "replica-a", **server)
    b = make_assistant(tmp_path / "replica-b", **server)
    assert b.documents() == []

    report = ingest_into(a, [folder])
    assert report.files == 2 and report.problems == []
    assert [d.title for d in b.documents()] == [d.title for d in a.documents()] != []

    question = "郑许一体化发展中，市“十四五”纲要把许昌定位为郑州都市圈的什么城市？"
    assert any("次中心城市" in r.chunk.text for r in b.retrieve(question, k=5))
    answer = b.ask(question)
    assert answer.citations and not answer.abstained
    for cited in answer.citations:  # each quote is on the cited lines of the text the server holds
        lines = b.source_lines(cited.source)
        assert cited.quote and cited.lines and lines
        assert norm(cited.quote.replace("**", "")) in norm("".join(lines[cited.lines[0] - 1 : cited.lines[-1]]))
    assert b.remove(SMALL[0]) == [SMALL[0]]
    assert [d.source for d in a.documents()] == [SMALL[1]]
    time.sleep(a.store.recheck_s)  # a replica looks at the version at most this often
    assert all(c.source != SMALL[0] for c in a.store.cached_chunks())
    assert all(r.chunk.source != SMALL[0] for r in a.retrieve("郑州都市圈次中心城市", k=5))
    assert not (tmp_path / "replica-a" / "chroma").exists() and not (tmp_path / "replica-b" / "chroma").exists()


def test_two_replicas_ingesting_at_once_lose_and_duplicate_nothing(chroma_server, tmp_path):
    folders = []
    for n in range(2):
        folder = tmp_path / f"docs{n}"
        folder.mkdir()
        for i in range(20):
            (folder / f"r{n}-{i:02d}.txt").write_text(
                f"第{n}号副本第{i}号文件\n一、总体要求\n到2025年，第{n}区第{i}项指标达到{n * 100 + i}个。\n", encoding="utf-8"
            )
        folders.append(folder)
    # both write the same name too: two different files, so two documents, never one replacing the other
    (folders[0] / "同名.txt").write_text("甲\n一、目标\n甲区目标为100个。\n", encoding="utf-8")
    (folders[1] / "同名.txt").write_text("乙\n一、目标\n乙区目标为200个。\n", encoding="utf-8")
    env = {**_env(), "ASSISTANT_CHROMA_HOST": "127.0.0.1", "ASSISTANT_CHROMA_PORT": str(chroma_server)}
    cmd = [sys.executable, "-m", "assistant.cli"]
    procs = [
        subprocess.Popen([*cmd, "--data-dir", str(tmp_path / f"replica{n}"), "ingest", str(folders[n]), "--json"],
                         env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for n in range(2)
    ]
    for p in procs:
        _out, err = p.communicate(timeout=300)
        assert p.returncode == 0, err[-2000:]

    reader = make_assistant(tmp_path / "reader", chroma_host="127.0.0.1", chroma_port=chroma_server)
    docs = reader.documents()
    assert len(docs) == 42 and len({d.source for d in docs}) == 42
    names = {d.source for d in docs}
    assert "同名.txt" in names and len({"docs0/同名.txt", "docs1/同名.txt"} & names) == 1
    ids = reader.store.all_ids()
    listed = [i for r in reader.store.files(with_chunks=True).values() for i in r.chunk_ids]
    assert len(listed) == len(set(listed)) == len(ids)  # no chunk twice, none unlisted
    assert reader.store.count() == len(ids)


@pytest.fixture
def gazette(tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    shutil.copy(CORPUS / GAZETTE, folder / GAZETTE)
    return folder


def test_removing_one_document_of_a_gazette_keeps_the_others(gazette, tmp_path):
    assistant = make_assistant(tmp_path / "var")
    ingest_into(assistant, [gazette])
    docs = assistant.documents()
    assert len(docs) == 18
    target = next(d for d in docs if "应急管理" in d.title)
    chunks_before = assistant.store.count()

    removed = assistant.remove_document(target.doc_id)
    assert removed is not None and removed.doc_id == target.doc_id
    assert len(assistant.documents()) == 17 and target.doc_id not in {d.doc_id for d in assistant.documents()}
    assert assistant.store.count() == chunks_before - target.chunks
    assert all(r.chunk.doc_id != target.doc_id for r in assistant.retrieve("专（兼）职救援队伍", k=10))
    assert assistant.remove_document(target.doc_id) is None

    again = ingest_into(make_assistant(tmp_path / "var"), [gazette])  # unchanged: it stays out
    assert again.unchanged_files == 1 and again.documents == 17
    assert len(assistant.documents()) == 17

    (gazette / GAZETTE).write_text((gazette / GAZETTE).read_text(encoding="utf-8") + "\n附：修订说明。\n",
                                   encoding="utf-8")
    ingest_into(assistant, [gazette])  # changed: all its documents come back
    assert len(assistant.documents()) == 18


def test_remove_by_title_removes_that_document_and_by_file_name_the_file(gazette, tmp_path):
    assistant = make_assistant(tmp_path / "var")
    ingest_into(assistant, [gazette])
    title = next(d.title for d in assistant.documents() if "应急管理" in d.title)
    assert assistant.remove(title) == [title]
    assert len(assistant.documents()) == 17
    assert assistant.remove(GAZETTE) == [GAZETTE]
    assert assistant.documents() == [] and assistant.store.count() == 0
    assert assistant.remove("no such thing") == []
