"""Store: Chroma (local and server) plus the lexical index kept in step, manifest and sources."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from assistant.config import Settings
from assistant.index.embed import CachedEmbedder, HashEmbedder
from assistant.index.lexical import LexicalIndex, tokenize
from assistant.index.store import EmbedderMismatchError, Store
from assistant.models import Chunk, DocumentInfo

PASSAGES = {
    "a.txt": [
        ("目标", "全市地区生产总值年均增长6%左右，城镇新增就业12630人。"),
        ("产业", "加快建设现代化产业体系，推动制造业高质量发展，培育先进制造业集群。"),
        ("生态", "深入打好污染防治攻坚战，PM2.5平均浓度下降10%。"),
    ],
    "b.txt": [
        ("教育", "推进义务教育优质均衡发展，新建改扩建中小学校20所。"),
        ("医疗", "深化医药卫生体制改革，每千人口执业医师数达到3.2人。"),
    ],
}


def make_chunks(source: str, *, year: int | None = 2025) -> list[Chunk]:
    out = []
    for n, (heading, text) in enumerate(PASSAGES[source], start=1):
        out.append(
            Chunk(
                id=f"{source}:{n}",
                source=source,
                doc_id=f"{source}#1",
                title=f"{source} 规划纲要",
                section=["第一章 总体要求", heading],
                text=text,
                line_start=n * 10,
                line_end=n * 10 + 2,
                index_text=f"{heading}\n{text}",
                tokens=len(text),
                year=year,
                page=n if source == "b.txt" else None,
            )
        )
    return out


def make_store(data_dir: Path, **overrides: object) -> tuple[Store, CachedEmbedder]:
    settings = Settings(data_dir=data_dir, embedding_backend="hash", **overrides)
    embedder = CachedEmbedder(HashEmbedder(), data_dir / "embed_cache.sqlite")
    return Store(settings, embedder), embedder


@pytest.fixture
def store(tmp_path):
    s, _ = make_store(tmp_path / "var")
    s.upsert_chunks(make_chunks("a.txt") + make_chunks("b.txt", year=None))
    return s


def test_construction_does_no_work(tmp_path):
    make_store(tmp_path / "var")
    assert not (tmp_path / "var").exists()


def test_empty_store_searches_return_nothing(tmp_path):
    s, _ = make_store(tmp_path / "var")
    assert s.dense_search("发展目标", 5) == []
    assert s.lexical_search("发展目标", 5) == []
    assert s.count() == 0 and s.all_chunks() == []


def test_chunks_round_trip_through_chroma(store):
    original = make_chunks("a.txt") + make_chunks("b.txt", year=None)
    assert store.count() == 5
    assert store.get_chunks(["b.txt:2", "a.txt:1", "missing"]) == [original[4], original[0]]
    assert store.all_chunks() == original
    assert store.ids_for_source("b.txt") == {"b.txt:1", "b.txt:2"}


def test_dense_and_lexical_search_find_the_right_chunk(store):
    chunk, score = store.dense_search("推动制造业高质量发展", 3)[0]
    assert chunk.id == "a.txt:2" and 0 < score <= 1.0
    assert chunk.section_path == "a.txt 规划纲要 > 第一章 总体要求 > 产业"
    hits = store.lexical_search("城镇新增就业多少人", 3)
    assert hits[0][0].id == "a.txt:1"
    assert store.lexical_search("12630", 3)[0][0].id == "a.txt:1"


def test_search_filters(store):
    only_b = store.dense_search("制造业发展", 5, where={"source": "b.txt"})
    assert only_b and {c.source for c, _ in only_b} == {"b.txt"}
    assert {c.id for c, _ in store.dense_search("发展", 5, where={"year": 2025})} <= store.ids_for_source(
        "a.txt"
    )
    lex = store.lexical_search("发展", 5, allowed_ids={"b.txt:1"})
    assert [c.id for c, _ in lex] == ["b.txt:1"]
    assert store.lexical_search("制造业", 5, allowed_ids=set()) == []


def test_reupserting_identical_chunks_embeds_nothing(tmp_path):
    s, emb = make_store(tmp_path / "var")
    assert s.upsert_chunks(make_chunks("a.txt")) == 3
    assert s.upsert_chunks(make_chunks("a.txt")) == 0
    assert emb.misses == 3

    # same texts into a fresh collection: the embedding cache answers
    s2, emb2 = make_store(tmp_path / "var", collection="other_chunks")
    assert s2.upsert_chunks(make_chunks("a.txt")) == 0
    assert (emb2.hits, emb2.misses) == (3, 0)

    edited = make_chunks("a.txt")
    edited[1].text += "新增内容"
    edited[1].index_text += "新增内容"
    assert s.upsert_chunks(edited) == 1
    assert s.get_chunks(["a.txt:2"])[0].text.endswith("新增内容")


def test_delete_source_removes_from_dense_and_lexical(store):
    assert store.lexical_search("义务教育", 3)[0][0].source == "b.txt"
    assert store.delete_source("b.txt") == 2
    assert store.count() == 3
    assert all(c.source == "a.txt" for c, _ in store.dense_search("义务教育", 5))
    assert all(c.source == "a.txt" for c, _ in store.lexical_search("义务教育 医师", 5))
    assert store.delete_source("b.txt") == 0


def test_persists_across_store_instances(store, tmp_path):
    store.sync_lexical()
    again, _ = make_store(tmp_path / "var")
    assert again.count() == 5
    assert again.sync_lexical() is False  # saved index is in step: loaded, not rebuilt
    assert again.lexical_search("执业医师", 1)[0][0].id == "b.txt:2"
    assert again.dense_search("执业医师", 1)[0][0].id == "b.txt:2"


def test_lexical_index_rebuilt_when_deleted(store, tmp_path):
    store.sync_lexical()
    shutil.rmtree(tmp_path / "var" / "lexical")
    fresh, _ = make_store(tmp_path / "var")
    assert fresh.lexical_search("污染防治", 1)[0][0].id == "a.txt:3"
    assert (tmp_path / "var" / "lexical" / "meta.json").exists()


def test_lexical_index_rebuilt_when_chroma_changed_behind_its_back(store, tmp_path):
    store.sync_lexical()
    # another writer (say an ingest killed before its final sync) adds a chunk through Chroma directly
    writer, _ = make_store(tmp_path / "var")
    meta = {"source": "c.txt", "doc_id": "c", "title": "c", "section": "[]", "line_start": 1, "line_end": 1}
    writer._collection().upsert(
        ids=["c.txt:1"],
        embeddings=[writer.embedder.embed_query("防洪排涝")],
        documents=["建设海绵城市，提升防洪排涝能力。"],
        metadatas=[{**meta, "kind": "text", "index_text": "防洪排涝", "tokens": 5}],
    )
    reader, _ = make_store(tmp_path / "var")
    assert reader.lexical_search("防洪排涝", 1)[0][0].id == "c.txt:1"
    index = LexicalIndex.load(tmp_path / "var" / "lexical")
    assert "c.txt:1" in index.ids


def test_embedder_mismatch_is_a_clear_error(store, tmp_path):
    other = Store(Settings(data_dir=tmp_path / "var"), HashEmbedder(dim=64))
    with pytest.raises(EmbedderMismatchError, match="hash-256"):
        other.count()


def test_manifest_and_sources(tmp_path):
    s, _ = make_store(tmp_path / "var")
    assert s.read_manifest() == {}
    doc = DocumentInfo(
        doc_id="a.txt#1", source="a.txt", title="规划纲要", line_start=1, line_end=40, year=2025
    )
    s.record_file("a.txt", "abc123", "/corpus/a.txt", [doc])
    s.save_source_text("a.txt", "第一行\n第二行\n")
    again, _ = make_store(tmp_path / "var")
    entry = again.read_manifest()["a.txt"]
    assert entry["file_hash"] == "abc123" and entry["documents"][0]["title"] == "规划纲要"
    assert entry["ingested_at"]
    assert again.documents() == [doc]
    assert again.source_text("a.txt") == "第一行\n第二行\n"
    assert json.loads((tmp_path / "var" / "manifest.json").read_text(encoding="utf-8"))["a.txt"]["path"]
    again.forget_file("a.txt")
    assert again.read_manifest() == {} and again.source_text("a.txt") is None
    with pytest.raises(ValueError):
        again.save_source_text("../evil", "x")
    assert not list((tmp_path / "var").glob("**/*.tmp"))


def test_lexical_tokenize_keeps_numbers_and_drops_punctuation():
    terms = tokenize("２０２５年GDP增长５.５％，就业12630人。")
    assert {"2025", "gdp", "5.5%", "5.5", "12630", "增长"} <= set(terms)
    assert not {"，", "。", "%"} & set(terms)
    assert "多少" not in tokenize("目标是多少？")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def chroma_server(tmp_path):
    port = _free_port()
    log = (tmp_path / "chroma.log").open("wb")
    chroma = Path(sys.executable).parent / "chroma"
    proc = subprocess.Popen(
        [str(chroma), "run", "--host", "127.0.0.1", "--port", str(port), "--path", str(tmp_path / "server")],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=2):
                    break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(
                        "chroma server did not start: " + (tmp_path / "chroma.log").read_text()[-2000:]
                    )
                time.sleep(0.3)
        yield port
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


def test_chroma_server(chroma_server, tmp_path):
    s, _ = make_store(tmp_path / "var", chroma_host="127.0.0.1", chroma_port=chroma_server)
    assert s.upsert_chunks(make_chunks("a.txt") + make_chunks("b.txt")) == 5
    assert s.dense_search("新建改扩建中小学校", 1)[0][0].id == "b.txt:1"
    assert s.lexical_search("执业医师", 1)[0][0].id == "b.txt:2"
    assert not (tmp_path / "var" / "chroma").exists()  # nothing stored locally
    assert s.delete_source("a.txt") == 3 and s.count() == 2
