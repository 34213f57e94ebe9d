"""Ingest pipeline: incremental, idempotent, replaces changed files, prunes, skips bad input, survives a kill."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from assistant.config import Settings
from assistant.service import Assistant, build_assistant
from ingest.pipeline import ingest_into, parse_file

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "data" / "corpus"
SMALL = ["000_bde97cc65fce8701.txt", "001_632b2db852565a50.txt"]
MAX_BYTES = 100 * 1024 * 1024


def make_assistant(data_dir: Path) -> Assistant:
    settings = Settings(
        data_dir=data_dir, embedding_backend="hash", llm_base_url=None, llm_api_key=None, chroma_host=None
    )
    return build_assistant(settings)


def parsed_ids(*paths: Path, chunk_tokens: int = 350) -> set[str]:
    return {c.id for p in paths for c in parse_file(p, chunk_tokens=chunk_tokens, max_bytes=MAX_BYTES)[2]}


@pytest.fixture
def docs_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "docs"
    folder.mkdir()
    for name in SMALL:
        shutil.copy(CORPUS / name, folder / name)
    return folder


def test_ingest_then_unchanged_reingest_is_a_no_op(tmp_path: Path, docs_dir: Path) -> None:
    assistant = make_assistant(tmp_path / "var")
    first = ingest_into(assistant, [docs_dir])
    expected = parsed_ids(*sorted(docs_dir.iterdir()))
    assert (first.files, first.skipped, first.unchanged_files) == (2, [], 0)
    assert first.chunks == len(expected) == first.embedded == assistant.store.count()
    assert {c.id for c in assistant.store.all_chunks()} == expected
    assert sorted(d.title for d in assistant.documents()) == [
        "《政府工作报告》之开局起步篇",
        "《政府工作报告》之未来展望篇",
    ]
    assert assistant.source_lines(SMALL[1])[0] == "《政府工作报告》之开局起步篇"

    again = ingest_into(make_assistant(tmp_path / "var"), [docs_dir])  # a new process would see the same
    assert (again.embedded, again.unchanged_files, again.files, again.chunks) == (0, 2, 2, first.chunks)
    assert assistant.store.count() == first.chunks


def test_changed_file_replaces_its_chunks(tmp_path: Path, docs_dir: Path) -> None:
    assistant = make_assistant(tmp_path / "var")
    ingest_into(assistant, [docs_dir])
    target = docs_dir / SMALL[1]
    other_ids = assistant.store.ids_for_source(SMALL[0])
    old_ids = assistant.store.ids_for_source(SMALL[1])
    text = target.read_text(encoding="utf-8")
    edited = text.replace("加快发展现代工业", "加快发展先进制造业", 1).replace(
        "打造科技创新共同体。", "打造科技创新共同体。\n新增一段关于数字经济的说明。", 1
    )
    assert edited != text
    target.write_text(edited, encoding="utf-8")

    report = ingest_into(assistant, [docs_dir])
    new_ids = assistant.store.ids_for_source(SMALL[1])
    assert report.unchanged_files == 1 and 0 < report.embedded < len(new_ids) + 1
    assert new_ids == parsed_ids(target) and new_ids != old_ids
    assert assistant.store.ids_for_source(SMALL[0]) == other_ids
    assert assistant.store.count() == len(new_ids) + len(other_ids)  # no stale chunks left behind
    stored_text = "\n".join(assistant.source_lines(SMALL[1]))
    assert "加快发展先进制造业" in stored_text and "加快发展现代工业" not in stored_text
    hits = assistant.store.lexical_search("数字经济的说明", 3)  # the lexical index followed the change
    assert any("新增一段关于数字经济的说明。" in c.text for c, _ in hits)


def test_prune_removes_deleted_files_and_remove_by_title(tmp_path: Path, docs_dir: Path) -> None:
    assistant = make_assistant(tmp_path / "var")
    ingest_into(assistant, [docs_dir])
    (docs_dir / SMALL[0]).unlink()
    kept = ingest_into(assistant, [docs_dir])  # without prune the old file stays
    assert kept.removed == [] and assistant.store.ids_for_source(SMALL[0])

    report = ingest_into(assistant, [docs_dir], prune=True)
    assert report.removed == [SMALL[0]]
    assert assistant.store.ids_for_source(SMALL[0]) == set()
    assert [d.source for d in assistant.documents()] == [SMALL[1]]
    assert assistant.source_lines(SMALL[0]) == []

    assert assistant.remove("《政府工作报告》之开局起步篇") == ["《政府工作报告》之开局起步篇"]  # the document
    assert assistant.store.count() == 0 and assistant.documents() == []
    assert assistant.remove("no such document") == []


def test_bad_files_are_skipped_with_a_reason_and_good_ones_ingested(tmp_path: Path) -> None:
    folder = tmp_path / "mixed"
    folder.mkdir()
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 40)
    # a UTF-8 byte-order mark in front of GBK bytes
    (folder / "undecodable.txt").write_bytes(b"\xef\xbb\xbf" + "规划纲要".encode("gbk") * 50)
    shutil.copy(CORPUS / SMALL[1], folder / SMALL[1])

    report = ingest_into(make_assistant(tmp_path / "var"), [folder])
    skipped = {Path(p).name: reason for p, reason in report.skipped}
    assert set(skipped) == {"empty.txt", "binary.txt", "undecodable.txt"}
    assert all(reason and "\n" not in reason for reason in skipped.values())
    assert skipped["empty.txt"] == "empty file"
    assert "binary" in skipped["binary.txt"]
    assert "decode" in skipped["undecodable.txt"]
    assert report.files == 1 and report.documents == 1 and report.chunks > 0


def test_gbk_file_gives_the_same_chunks_as_utf8(tmp_path: Path) -> None:
    original = CORPUS / SMALL[1]
    gbk = tmp_path / "gbk" / SMALL[1]
    gbk.parent.mkdir()
    gbk.write_bytes(original.read_text(encoding="utf-8").encode("gbk"))
    assert gbk.read_bytes() != original.read_bytes()
    text_u, docs_u, chunks_u = parse_file(original, chunk_tokens=350, max_bytes=MAX_BYTES)
    text_g, docs_g, chunks_g = parse_file(gbk, chunk_tokens=350, max_bytes=MAX_BYTES)
    assert text_g == text_u
    assert [(c.id, c.text, c.section) for c in chunks_g] == [(c.id, c.text, c.section) for c in chunks_u]
    assert [d.title for d in docs_g] == [d.title for d in docs_u]


def _cli_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_") and k != "OPENAI_API_KEY"}
    env["ASSISTANT_EMBEDDING_BACKEND"] = "hash"
    return env


def _assistant_cmd() -> list[str]:
    script = Path(sys.executable).parent / "assistant"
    return [str(script)] if script.exists() else [sys.executable, "-m", "assistant.cli"]


def test_killed_ingest_converges_when_run_again(tmp_path: Path) -> None:
    data_dir = tmp_path / "var"
    cmd = [*_assistant_cmd(), "--data-dir", str(data_dir), "ingest", str(CORPUS), "--json"]
    watcher = make_assistant(data_dir)
    proc = subprocess.Popen(
        cmd, env=_cli_env(), cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + 60
        # the four small files are done: the big gazette is being embedded and written now
        while time.monotonic() < deadline and proc.poll() is None:
            with contextlib.suppress(Exception):  # the store is being created by the other process
                if len(watcher.store.files()) >= 4:
                    break
            time.sleep(0.05)
        time.sleep(0.5)
        assert proc.poll() is None, "ingest finished before it could be killed"
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.kill()
        proc.wait()
    partial = watcher.store.files()
    assert "004_e9dccd3c8dc8cdfa.txt" not in partial
    # readers see the gazette not at all (its chunks written so far are listed by no record), never half
    assert not any(c.source == "004_e9dccd3c8dc8cdfa.txt" for c in watcher.store.cached_chunks())

    done = subprocess.run(
        cmd, check=False, env=_cli_env(), cwd=tmp_path, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr

    # a clean ingest stores exactly the parsed chunks (checked above), so compare with those
    expected = parsed_ids(*sorted(CORPUS.glob("*.txt")))
    assistant = make_assistant(data_dir)
    stored = [c.id for c in assistant.store.all_chunks()]
    assert len(stored) == len(set(stored)) == assistant.store.count()
    assert set(stored) == expected
    assert len(assistant.documents()) == 22
    assert assistant.store.sync_lexical() is False  # the lexical index was left in step


def test_pdf_chunks_know_their_page(tmp_path: Path) -> None:
    from test_load import chinese_pdf

    path = chinese_pdf(
        tmp_path / "交通规划.pdf",
        [["第一章 发展基础", "全市公路通车里程达到1.2万公里。"], ["第二章 发展目标", "到2025年高铁里程达到200公里。"]],
    )
    _, _, chunks = parse_file(path, chunk_tokens=350, max_bytes=10**7)
    by_text = {c.text: (c.page, c.section[-1]) for c in chunks}
    assert by_text["全市公路通车里程达到1.2万公里。"] == (1, "第一章 发展基础")
    assert by_text["到2025年高铁里程达到200公里。"] == (2, "第二章 发展目标")


# --- issue 15: ingest holds under odd files, concurrent writers and a damaged store ---------------


def _small_files(folder: Path, prefix: str, n: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        (folder / f"{prefix}{i:03d}.txt").write_text(
            f"{prefix}第{i}号通知\n一、工作目标\n到2025年，{prefix}第{i}项工作完成率达到{i % 100}%。\n", encoding="utf-8"
        )
    return folder


def test_two_concurrent_ingests_of_150_files_each_list_300_documents(tmp_path: Path) -> None:
    data_dir = tmp_path / "var"
    folders = [_small_files(tmp_path / name, name, 150) for name in ("甲", "乙")]
    cmd = [*_assistant_cmd(), "--data-dir", str(data_dir), "ingest"]
    procs = [
        subprocess.Popen([*cmd, str(f), "--json"], env=_cli_env(), cwd=tmp_path,
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        for f in folders
    ]
    for p in procs:
        _, err = p.communicate(timeout=600)
        assert p.returncode == 0, err[-2000:]
    assistant = make_assistant(data_dir)
    docs = assistant.documents()
    assert len(docs) == 300 and len({d.source for d in docs}) == 300
    stored = [c.id for c in assistant.store.all_chunks()]
    assert len(stored) == len(set(stored)) == 300
    assert len(assistant.store.cached_chunks()) == 300
    from assistant.index import health

    assert health.check(assistant.store, deep=True).ok  # and every vector is reachable


def test_a_symlink_loop_and_a_backslash_name_do_not_stop_the_ingest(tmp_path: Path) -> None:
    folder = _small_files(tmp_path / "docs", "f", 3)
    (folder / "loop.txt").symlink_to(folder / "loop.txt")
    (folder / "a\\b.txt").write_text("反斜杠文件\n一、目标\n到2025年，目标达到10个。\n", encoding="utf-8")
    (folder / "zz.txt").write_text("最后一个文件\n一、目标\n到2025年，目标达到20个。\n", encoding="utf-8")
    report = ingest_into(make_assistant(tmp_path / "var"), [folder])
    assert report.files == 5  # three, the backslash one and the one after both
    assert [Path(p).name for p, _ in report.skipped] == ["loop.txt"]
    assert "symlink loop" in report.skipped[0][1]
    assert "a\\b.txt" in {d.source for d in make_assistant(tmp_path / "var").documents()}


def test_same_name_files_from_different_folders_are_different_documents(tmp_path: Path) -> None:
    first, second = tmp_path / "2022", tmp_path / "2023"
    for folder, n in ((first, 100), (second, 200)):
        folder.mkdir()
        (folder / "报告.txt").write_text(f"{folder.name}年报告\n一、目标\n到年底目标达到{n}个。\n", encoding="utf-8")
    assistant = make_assistant(tmp_path / "var")
    ingest_into(assistant, [first])
    report = ingest_into(assistant, [second])
    assert report.files == 1 and report.skipped == []
    assert sorted(d.source for d in assistant.documents()) == ["2023/报告.txt", "报告.txt"]
    again = ingest_into(assistant, [first, second])  # both unchanged, each keeps its name
    assert again.unchanged_files == 2 and len(assistant.documents()) == 2
    assert any("200个" in r.chunk.text for r in assistant.retrieve("目标达到多少个", k=5))
    assert any("100个" in r.chunk.text for r in assistant.retrieve("目标达到多少个", k=5))


def test_ingest_exits_non_zero_when_nothing_was_ingested(tmp_path: Path) -> None:
    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / "empty.txt").write_bytes(b"")
    cmd = [*_assistant_cmd(), "--data-dir", str(tmp_path / "var"), "ingest", str(folder)]
    done = subprocess.run(cmd, env=_cli_env(), capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 1
    assert "empty.txt" in done.stdout and "错误：没有导入任何文件" in done.stderr
    _small_files(folder, "ok", 1)
    done = subprocess.run(cmd, env=_cli_env(), capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0


def test_a_deleted_chroma_database_is_not_silent(tmp_path: Path, docs_dir: Path) -> None:
    data_dir = tmp_path / "var"
    ingest_into(make_assistant(data_dir), [docs_dir])
    make_assistant(data_dir).store.close()
    (data_dir / "chroma" / "chroma.sqlite3").unlink()
    assistant = make_assistant(data_dir)
    assert assistant.documents() == [] and assistant.store.cached_chunks() == []  # not 22 ghosts
    report = ingest_into(assistant, [docs_dir])
    assert report.unchanged_files == 0 and report.files == 2  # parsed again, not "2 unchanged"
    assert len(assistant.documents()) == 2 and assistant.store.count() == report.chunks


def test_an_ingest_repairs_lost_vectors_and_lost_chunks(tmp_path: Path, docs_dir: Path) -> None:
    from assistant.index import health

    data_dir = tmp_path / "var"
    assistant = make_assistant(data_dir)
    first = ingest_into(assistant, [docs_dir])
    assistant.store.delete_ids(sorted(assistant.store.ids_for_source(SMALL[0]))[:3])  # chunks lost
    found = health.check(assistant.store, deep=True)
    assert set(found.missing) == {SMALL[0]} and f"assistant ingest {docs_dir / SMALL[0]}" in found.lines()[0]
    report = ingest_into(assistant, [docs_dir])
    assert report.unchanged_files == 1 and report.problems == []  # the damaged file was parsed again
    assert assistant.store.count() == first.chunks and health.check(assistant.store, deep=True).ok


def test_small_files_are_written_together_and_a_large_one_on_its_own(tmp_path: Path, monkeypatch) -> None:
    from ingest import pipeline

    assistant = make_assistant(tmp_path / "var")
    writes: list[list[str]] = []
    original = type(assistant.store).commit_files

    def counting(self, files):
        writes.append([f.source for f in files])
        return original(self, files)

    monkeypatch.setattr(type(assistant.store), "commit_files", counting)
    monkeypatch.setattr(pipeline, "COMMIT_ROWS", 30)
    folder = tmp_path / "in"
    folder.mkdir()
    for n in range(4):
        (folder / f"small{n}.txt").write_text(f"第{n}号通知\n一、总体要求\n做好第{n}项工作。\n", encoding="utf-8")
    (folder / "zbig.txt").write_text(
        "某市规划\n" + "\n".join(f"第{n}章 任务{n}\n推进第{n}项重点任务，完成投资{n}亿元。" for n in range(1, 41)),
        encoding="utf-8",
    )
    report = ingest_into(assistant, [folder])
    assert report.files == 5 and not report.skipped
    assert writes == [[f"small{n}.txt" for n in range(4)], ["zbig.txt"]]
    assert len(assistant.documents()) == 5
