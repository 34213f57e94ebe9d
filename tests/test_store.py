"""Store: chunks and catalog in Chroma (local and server), what readers see, versions, locks, health."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from assistant.config import Settings
from assistant.index import health
from assistant.index.embed import CachedEmbedder, HashEmbedder
from assistant.index.lexical import LexicalIndex, count_terms, tokenize
from assistant.index.store import EmbedderMismatchError, SourceNameTakenError, Store
from assistant.models import Chunk, DocumentInfo

ROOT = Path(__file__).resolve().parent.parent

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


def make_chunks(source: str, *, year: int | None = 2025, docs: int = 1) -> list[Chunk]:
    out = []
    for n, (heading, text) in enumerate(PASSAGES[source], start=1):
        doc = 1 + (n - 1) * docs // len(PASSAGES[source])
        out.append(
            Chunk(
                id=f"{source}:{n}",
                source=source,
                doc_id=f"{source}#{doc}",
                title=f"{source} 规划纲要{doc}",
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


def documents_of(chunks: list[Chunk]) -> list[DocumentInfo]:
    docs: dict[str, DocumentInfo] = {}
    for c in chunks:
        d = docs.setdefault(c.doc_id, DocumentInfo(c.doc_id, c.source, c.title, c.line_start, c.line_end, year=c.year))
        d.line_end, d.chunks = c.line_end, d.chunks + 1
    return list(docs.values())


def numbered_chunks(source: str, n: int, text_of: Callable[[int], str]) -> list[Chunk]:
    """Chunks 1..n-1 of one source, each its own line, with the text `text_of(i)`."""
    return [
        Chunk(id=f"{source}:{i}", source=source, doc_id=source, title=source, section=[], text=text_of(i),
              line_start=i, line_end=i)
        for i in range(1, n)
    ]


def local_and_chroma(store: Store, query: str, k: int, where: dict | None = None) -> tuple[list, list]:
    """Dense search on the view's vectors, then the same search asked of Chroma."""
    snap = store.snapshot()
    local = store.dense_search(query, k, where=where)
    snap.vectors, kept = None, snap.vectors
    chroma = store.dense_search(query, k, where=where)
    snap.vectors = kept
    return local, chroma


def commit(store: Store, source: str, chunks: list[Chunk], *, path: str | None = None, file_hash: str = "h1") -> int:
    text = "\n".join(f"第{n}行" for n in range(1, 40))
    return store.commit_file(
        source, file_hash=file_hash, path=path or f"/corpus/{source}", text=text,
        documents=documents_of(chunks), chunks=chunks,
    )


def make_store(data_dir: Path, **overrides: object) -> tuple[Store, CachedEmbedder]:
    settings = Settings(data_dir=data_dir, embedding_backend="hash", **overrides)
    embedder = CachedEmbedder(HashEmbedder(), data_dir / "embed_cache.sqlite")
    return Store(settings, embedder, recheck_s=0.0), embedder


@pytest.fixture
def store(tmp_path):
    s, _ = make_store(tmp_path / "var")
    commit(s, "a.txt", make_chunks("a.txt"))
    commit(s, "b.txt", make_chunks("b.txt", year=None))
    return s


def test_construction_does_no_work(tmp_path):
    make_store(tmp_path / "var")
    assert not (tmp_path / "var").exists()


def test_empty_store_searches_return_nothing(tmp_path):
    s, _ = make_store(tmp_path / "var")
    assert s.dense_search("发展目标", 5) == []
    assert s.lexical_search("发展目标", 5) == []
    assert s.count() == 0 and s.all_chunks() == [] and s.documents() == []


def test_chunks_round_trip_through_chroma(store):
    original = make_chunks("a.txt") + make_chunks("b.txt", year=None)
    assert store.count() == 5
    assert store.get_chunks(["b.txt:2", "a.txt:1", "missing"]) == [original[4], original[0]]
    assert store.all_chunks() == original
    assert sorted(store.cached_chunks(), key=lambda c: c.id) == sorted(original, key=lambda c: c.id)
    assert store.ids_for_source("b.txt") == {"b.txt:1", "b.txt:2"}


def test_dense_and_lexical_search_find_the_right_chunk(store):
    chunk, score = store.dense_search("推动制造业高质量发展", 3)[0]
    assert chunk.id == "a.txt:2" and 0 < score <= 1.0
    assert chunk.section_path == "a.txt 规划纲要1 > 第一章 总体要求 > 产业"
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


def test_chunks_no_record_lists_are_not_seen(store):
    """A writer killed between writing chunks and committing the file leaves nothing readers see."""
    stray = Chunk(id="c.txt:1", source="c.txt", doc_id="c", title="c", section=[], text="建设海绵城市，提升防洪排涝能力。",
                  line_start=1, line_end=1, index_text="防洪排涝")
    store.upsert_chunks([stray])
    assert store.count() == 6
    assert all(c.id != "c.txt:1" for c, _ in store.dense_search("防洪排涝", 6))
    assert store.lexical_search("防洪排涝", 3) == []
    assert health.check(store, deep=True).orphans == {"c.txt:1"}
    store._catalog().put_text("c.txt", "一个被中断的导入留下的全文")  # its text was saved, its record never
    assert health.check(store).orphans == {"c.txt:1"}  # the quick check sees the count differ
    health.repair(store)
    assert store.count() == 5
    assert store._catalog().unlisted_texts(store.files()) == []


def test_reupserting_identical_chunks_embeds_nothing(tmp_path):
    s, emb = make_store(tmp_path / "var")
    assert commit(s, "a.txt", make_chunks("a.txt")) == 3
    assert commit(s, "a.txt", make_chunks("a.txt")) == 0
    assert emb.misses == 3

    # same texts into a fresh collection: the embedding cache answers
    s2, emb2 = make_store(tmp_path / "var", collection="other_chunks")
    assert commit(s2, "a.txt", make_chunks("a.txt")) == 0
    assert (emb2.hits, emb2.misses) == (3, 0)

    edited = make_chunks("a.txt")
    edited[1].text += "新增内容"
    edited[1].index_text += "新增内容"
    assert commit(s, "a.txt", edited, file_hash="h2") == 1
    assert s.get_chunks(["a.txt:2"])[0].text.endswith("新增内容")


def test_a_commit_replaces_a_file_as_a_whole(store):
    v = store.version()
    fewer = make_chunks("a.txt")[:1]
    fewer[0].text = "全市地区生产总值年均增长7%。"
    store.commit_file("a.txt", file_hash="h2", path="/corpus/a.txt", text="新的全文", documents=documents_of(fewer),
                      chunks=fewer)
    assert store.version() > v
    assert store.ids_for_source("a.txt") == {"a.txt:1"}  # the chunks the old record listed are gone
    assert [c.text for c in store.cached_chunks() if c.source == "a.txt"] == ["全市地区生产总值年均增长7%。"]
    assert store.source_text("a.txt") == "新的全文"
    assert store.read_manifest()["a.txt"]["file_hash"] == "h2"


def test_another_file_under_a_taken_name_is_refused(store):
    with pytest.raises(SourceNameTakenError):
        commit(store, "a.txt", make_chunks("a.txt"), path="/elsewhere/a.txt", file_hash="other")


def test_remove_file_and_remove_document(tmp_path):
    s, _ = make_store(tmp_path / "var")
    commit(s, "a.txt", make_chunks("a.txt", docs=3))  # a gazette: three documents in one file
    commit(s, "b.txt", make_chunks("b.txt"))
    removed = s.remove_document("a.txt#2")
    assert removed is not None and removed.title == "a.txt 规划纲要2"
    assert sorted(d.doc_id for d in s.documents()) == ["a.txt#1", "a.txt#3", "b.txt#1"]
    assert s.ids_for_source("a.txt") == {"a.txt:1", "a.txt:3"}
    assert all(c.doc_id != "a.txt#2" for c, _ in s.lexical_search("制造业高质量发展", 3))
    assert s.read_manifest()["a.txt"]["excluded"] == ["a.txt#2"]
    assert s.remove_document("a.txt#2") is None and s.remove_document("nothing") is None

    assert s.remove_file("a.txt") is True
    assert s.remove_file("a.txt") is False
    assert [d.source for d in s.documents()] == ["b.txt"]
    assert s.count() == 2 and s.source_text("a.txt") is None


def test_source_names_are_shown_not_used_as_paths(tmp_path):
    s, _ = make_store(tmp_path / "var")
    for name in ("a\\b.txt", "bundle.zip›dir›a.txt", "2023/a.txt", "../a.txt"):
        chunks = [Chunk(id=f"{name}:1", source=name, doc_id=name, title="规划", section=[], text="正文。",
                        line_start=1, line_end=1)]
        commit(s, name, chunks)
        assert s.source_text(name) is not None
    assert {d.source for d in s.documents()} == {"a\\b.txt", "bundle.zip›dir›a.txt", "2023/a.txt", "../a.txt"}
    assert not (tmp_path / "a.txt").exists() and not (tmp_path / "var" / "2023").exists()
    for bad in ("", " ", "a\x00b", "a\nb"):
        with pytest.raises(ValueError):
            commit(s, bad, [])


def test_every_write_bumps_the_version_and_derived_values_follow(store, tmp_path):
    calls = []

    def build(chunks: list[Chunk]) -> int:
        calls.append(1)
        return len(chunks)

    v = store.version()
    assert store.derived("n", build) == 5 and store.derived("n", build) == 5 and len(calls) == 1
    other, _ = make_store(tmp_path / "var")  # another process would load it from disk
    assert other.derived("n", build) == 5 and len(calls) == 1
    store.remove_file("b.txt")
    assert store.version() > v
    assert store.derived("n", build) == 3 and len(calls) == 2


def test_a_reader_loads_its_view_from_disk_without_reading_chunks(store, tmp_path, monkeypatch):
    store.sync_lexical()
    cold, _ = make_store(tmp_path / "var")
    monkeypatch.setattr(Store, "get_chunks", lambda self, ids: pytest.fail("read chunks from Chroma"))
    assert cold.lexical_search("执业医师", 1)[0][0].id == "b.txt:2"
    assert cold.dense_search("执业医师", 1)[0][0].id == "b.txt:2"
    assert cold.sync_lexical() is False


def test_lexical_index_rebuilt_when_deleted_or_damaged(store, tmp_path):
    store.sync_lexical()
    lexical = tmp_path / "var" / "index" / "plan_chunks" / "lexical"
    shutil.rmtree(lexical)
    fresh, _ = make_store(tmp_path / "var")
    assert fresh.lexical_search("污染防治", 1)[0][0].id == "a.txt:3"
    assert (lexical / "meta.json").exists()
    for f in lexical.rglob("*"):
        if f.is_file():
            f.write_bytes(b"\x00garbage")
    again, _ = make_store(tmp_path / "var")
    assert again.lexical_search("污染防治", 1)[0][0].id == "a.txt:3"
    assert LexicalIndex.load(lexical).ids


def test_embedder_mismatch_is_a_clear_error(store, tmp_path):
    other = Store(Settings(data_dir=tmp_path / "var"), HashEmbedder(dim=64))
    with pytest.raises(EmbedderMismatchError, match="hash-256"):
        other.count()


def test_manifest_and_sources(tmp_path):
    s, _ = make_store(tmp_path / "var")
    assert s.read_manifest() == {}
    chunks = make_chunks("a.txt")
    s.commit_file("a.txt", file_hash="abc123", path="/corpus/a.txt", text="第一行\n第二行\n",
                  documents=documents_of(chunks), chunks=chunks)
    again, _ = make_store(tmp_path / "var")
    entry = again.read_manifest()["a.txt"]
    assert entry["file_hash"] == "abc123" and entry["documents"][0]["title"] == "a.txt 规划纲要1"
    assert entry["ingested_at"] and entry["path"] == "/corpus/a.txt"
    assert again.documents() == documents_of(chunks)
    assert again.source_text("a.txt") == "第一行\n第二行\n"
    big = "规划正文，" * 200_000  # a gazette's cleaned text is over a megabyte
    again.commit_file("a.txt", file_hash="abc124", path="/corpus/a.txt", text=big, documents=[], chunks=[])
    assert s.source_text("a.txt") == big
    assert again.remove_file("a.txt")
    assert again.read_manifest() == {} and again.source_text("a.txt") is None
    assert not list((tmp_path / "var").glob("**/*.tmp"))


def test_lexical_tokenize_keeps_numbers_and_drops_punctuation():
    terms = tokenize("２０２５年GDP增长５.５％，就业12630人。")
    assert {"2025", "gdp", "5.5%", "5.5", "12630", "增长"} <= set(terms)
    assert not {"，", "。", "%"} & set(terms)
    assert "多少" not in tokenize("目标是多少？")


def test_index_from_term_counts_scores_as_bm25s():
    texts = [t for source in PASSAGES for _, t in PASSAGES[source]]
    ids = [f"c{i}" for i in range(len(texts))]
    reference = LexicalIndex.build(zip(ids, texts, strict=True))
    built = LexicalIndex.from_counts(ids, [count_terms(texts[:2]), count_terms(texts[2:])], "fp")
    for q in ("制造业高质量发展", "就业 教育", "PM2.5浓度"):
        want, got = reference.search(q, 5), built.search(q, 5)
        assert want and [i for i, _ in got] == [i for i, _ in want]
        assert [s for _, s in got] == pytest.approx([s for _, s in want], rel=1e-5)


# --- health --------------------------------------------------------------------------------------


def test_a_lost_vector_index_is_found_and_repaired_without_the_files(store, tmp_path):
    many = [
        Chunk(id=f"c.txt:{i}", source="c.txt", doc_id="c", title="c", section=[], text=f"第{i}条措施，编号{i * 7}。",
              line_start=i, line_end=i)
        for i in range(1, 1500)  # past the point where the local store folds its log into the saved index
    ]
    commit(store, "c.txt", many)
    store.sync_lexical()
    store.close()
    chroma = tmp_path / "var" / "chroma"
    for folder in chroma.iterdir():
        if folder.is_dir():
            shutil.rmtree(folder)  # the vector-index folders; chroma.sqlite3 stays
    fresh, _ = make_store(tmp_path / "var")
    found = health.check(fresh, deep=True)
    assert not found.ok and found.unreachable
    assert any("a.txt" in line or "b.txt" in line for line in found.lines())
    done, left = health.repair(fresh)
    assert done and left.ok and health.check(fresh, deep=True).ok
    assert fresh.dense_search("医疗\n" + PASSAGES["b.txt"][1][1], 1)[0][0].id == "b.txt:2"


def test_chunks_a_record_lists_but_chroma_lost_are_named_with_the_fix(store):
    store.delete_ids(["a.txt:2"])
    found = health.check(store, deep=False)
    assert found.missing == {"a.txt": {"a.txt:2"}}
    (line,) = found.lines()
    assert "a.txt" in line and "assistant ingest /corpus/a.txt" in line


# --- several processes on one local store -----------------------------------------------------------


_WRITER = textwrap.dedent(
    """
    import sys
    sys.path.insert(0, {root!r})
    from tests.test_store import commit, make_chunks, make_store
    from pathlib import Path
    s, _ = make_store(Path({data!r}))
    chunks = make_chunks("b.txt")
    for i in range(1200):  # enough writes that the local store's log is folded into its saved index
        text = f"补充条目{{i}}：第{{i * 7 % 1000}}号工程，编号{{i}}。"
        chunks.append(chunks[0].__class__(**{{**chunks[0].__dict__, "id": f"b.txt:x{{i}}", "text": text, "index_text": text}}))
    commit(s, "b.txt", chunks)
    """
)


def test_another_process_writes_are_seen_by_both_searches(tmp_path):
    reader, _ = make_store(tmp_path / "var")
    commit(reader, "a.txt", make_chunks("a.txt"))
    assert reader.lexical_search("执业医师", 1) == []
    script = _WRITER.format(root=str(ROOT), data=str(tmp_path / "var"))
    subprocess.run([sys.executable, "-c", script], check=True, timeout=120)
    assert reader.lexical_search("执业医师", 1)[0][0].id == "b.txt:2"
    assert reader.dense_search("医疗\n" + PASSAGES["b.txt"][1][1], 1)[0][0].id == "b.txt:2"
    # this process writes again: it must not save its stale copy of the vector index over the other's
    commit(reader, "a.txt", make_chunks("a.txt"), file_hash="h2")
    fresh = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(f"""
            import sys
            sys.path.insert(0, {str(ROOT)!r})
            from pathlib import Path
            from tests.test_store import make_store
            from assistant.index import health
            s, _ = make_store(Path({str(tmp_path / 'var')!r}))
            print(health.check(s, deep=True).ok, s.count())
        """)],
        check=True, capture_output=True, text=True, timeout=120,
    )
    assert fresh.stdout.split() == ["True", str(3 + 2 + 1200)]


# --- a Chroma server and replicas ---------------------------------------------------------------------


def test_chroma_server(chroma_server, tmp_path):
    s, _ = make_store(tmp_path / "var", chroma_host="127.0.0.1", chroma_port=chroma_server)
    assert commit(s, "a.txt", make_chunks("a.txt")) + commit(s, "b.txt", make_chunks("b.txt")) == 5
    assert s.dense_search("新建改扩建中小学校", 1)[0][0].id == "b.txt:1"
    assert s.lexical_search("执业医师", 1)[0][0].id == "b.txt:2"
    assert not (tmp_path / "var" / "chroma").exists()  # nothing stored locally
    assert s.remove_file("a.txt") and s.count() == 2

    # a replica with its own data directory sees the same knowledge base, cited text included
    replica, _ = make_store(tmp_path / "replica", chroma_host="127.0.0.1", chroma_port=chroma_server)
    assert [d.source for d in replica.documents()] == ["b.txt"]
    assert replica.lexical_search("执业医师", 1)[0][0].id == "b.txt:2"
    assert replica.source_text("b.txt") == s.source_text("b.txt") is not None
    assert replica.version() == s.version()


def test_the_server_lease_is_exclusive_and_a_dead_holders_lease_expires(chroma_server, tmp_path):
    import threading

    import chromadb

    from assistant.index.locks import ChromaLease, LockTimeoutError

    client = chromadb.HttpClient(host="127.0.0.1", port=chroma_server)
    first = ChromaLease(client, "test__lock", ttl_s=2.0, timeout_s=0.5)
    second = ChromaLease(client, "test__lock", ttl_s=2.0, timeout_s=0.5)
    inside: list[str] = []
    with first.hold():
        with pytest.raises(LockTimeoutError), second.hold():
            pass

        def take() -> None:
            with second.hold():
                inside.append("second")

        second.timeout_s = 30
        t = threading.Thread(target=take)
        t.start()
        time.sleep(0.5)
        assert inside == []  # still waiting
    t.join(timeout=30)
    assert inside == ["second"]

    # a holder that died without releasing: its lease is broken once expired
    dead = ChromaLease(client, "test__lock", ttl_s=1.0)
    dead._acquire()
    dead._stop.set()  # no more renewals: as if the process were killed
    started = time.monotonic()
    with ChromaLease(client, "test__lock", timeout_s=30).hold():
        assert time.monotonic() - started >= 0.5
    assert json.dumps([c.name for c in client.list_collections() if c.name.startswith("test__lock")]) == "[]"


def test_a_large_view_is_rebuilt_in_the_background_while_the_old_one_serves(store, tmp_path, monkeypatch):
    from assistant.index import view

    monkeypatch.setattr(view, "BACKGROUND_ABOVE", 0)
    assert store.lexical_search("执业医师", 1)[0][0].id == "b.txt:2"
    writer, _ = make_store(tmp_path / "var")
    writer.remove_file("b.txt")
    old = store.snapshot()  # the old view, at once; the new one is being built
    assert "b.txt:2" in old.chunks
    assert "b.txt:2" not in store.snapshot(wait=True).chunks
    assert store.lexical_search("执业医师", 1) == []


def test_a_data_directory_of_the_old_layout_is_moved_into_the_catalog(tmp_path):
    s, _ = make_store(tmp_path / "var")
    s.upsert_chunks(make_chunks("a.txt"))  # schema 1: chunks in Chroma, the manifest and texts in files
    doc = documents_of(make_chunks("a.txt"))[0]
    (tmp_path / "var" / "manifest.json").write_text(json.dumps({"a.txt": {
        "file_hash": "h1", "path": "/corpus/a.txt", "ingested_at": "2025-01-01T00:00:00+00:00",
        "documents": [doc.__dict__]}}, ensure_ascii=False), encoding="utf-8")
    (tmp_path / "var" / "sources").mkdir()
    (tmp_path / "var" / "sources" / "a.txt.txt").write_text("第一行\n第二行", encoding="utf-8")
    s.close()
    fresh, _ = make_store(tmp_path / "var")
    assert fresh.documents() == [doc]
    assert fresh.source_text("a.txt") == "第一行\n第二行"
    assert fresh.lexical_search("城镇新增就业", 1)[0][0].id == "a.txt:1"
    assert not (tmp_path / "var" / "manifest.json").exists() and not (tmp_path / "var" / "sources").exists()


def test_delete_source_removes_the_file_and_says_how_many_chunks(store):
    assert store.delete_source("b.txt") == 2
    assert store.delete_source("b.txt") == 0
    assert [d.source for d in store.documents()] == ["a.txt"]


# --- a question without Chroma: the noted version, the view's vectors and texts, the start's check ---------------


def _no_chroma(monkeypatch: pytest.MonkeyPatch) -> None:
    """Opening (or reusing) a Chroma client fails the test."""
    from assistant.index.chroma import ChromaConnection

    monkeypatch.setattr(ChromaConnection, "client", lambda self: pytest.fail("opened Chroma"))


def test_a_later_process_answers_from_the_view_without_opening_chroma(store, tmp_path, monkeypatch):
    store.sync_lexical()  # reads the version from Chroma and notes it with the state of the store's file
    with monkeypatch.context() as m:
        _no_chroma(m)
        cold, _ = make_store(tmp_path / "var")
        assert cold.version() == store.version()
        assert sorted(d.doc_id for d in cold.documents()) == sorted(d.doc_id for d in store.documents())
        assert cold.lexical_search("执业医师", 1)[0][0].id == "b.txt:2"
        assert cold.dense_search("推动制造业高质量发展", 1)[0][0].id == "a.txt:2"
        assert cold.dense_search("推动制造业高质量发展", 1, where={"doc_id": "b.txt#1"})[0][0].source == "b.txt"
        assert cold.source_text("a.txt") == "\n".join(f"第{n}行" for n in range(1, 40))
    # another process writes: the file's state moves, so the note no longer counts and Chroma is asked
    writer, _ = make_store(tmp_path / "var")
    commit(writer, "a.txt", make_chunks("a.txt")[:1], file_hash="h2")
    later, _ = make_store(tmp_path / "var")
    assert [c.id for c in later.cached_chunks() if c.source == "a.txt"] == ["a.txt:1"]
    assert later.lexical_search("污染防治", 3) == [] and "a.txt:3" not in {c.id for c, _ in later.dense_search("污染", 5)}
    with monkeypatch.context() as m:  # ... and noted again by the process that asked
        _no_chroma(m)
        again, _ = make_store(tmp_path / "var")
        assert [c.id for c in again.cached_chunks() if c.source == "a.txt"] == ["a.txt:1"]


def test_a_reader_with_a_view_sees_another_process_write_at_once(store, tmp_path):
    store.sync_lexical()
    reader, _ = make_store(tmp_path / "var")
    assert len(reader.documents()) == 2
    writer, _ = make_store(tmp_path / "var")
    assert writer.remove_file("b.txt")
    assert [d.source for d in reader.documents()] == ["a.txt"]  # the file's header moved: no stale list
    assert all(c.source == "a.txt" for c, _ in reader.dense_search("执业医师", 5))


@pytest.mark.parametrize("damage", ["state", "vectors", "texts", "meta"])
def test_damaged_view_caches_are_read_from_chroma_without_error(store, tmp_path, damage):
    store.sync_lexical()
    assert store.source_text("a.txt")
    folder = tmp_path / "var" / "index" / "plan_chunks"
    targets = {"state": [folder / "state.json"], "vectors": [folder / "vectors.npy"],
               "texts": list((folder / "texts").glob("*.z")), "meta": [folder / "meta.json"]}[damage]
    assert targets
    for path in targets:
        path.write_bytes(b"\x00garbage")
    cold, _ = make_store(tmp_path / "var")
    assert cold.dense_search("推动制造业高质量发展", 1)[0][0].id == "a.txt:2"
    assert cold.lexical_search("执业医师", 1)[0][0].id == "b.txt:2"
    assert cold.source_text("a.txt") == "\n".join(f"第{n}行" for n in range(1, 40))
    assert len(cold.documents()) == 2


def test_dense_search_on_the_views_vectors_is_chromas_exact_order(store):
    for source in ("c.txt", "d.txt"):
        commit(store, source, numbered_chunks(
            source, 60, lambda i: f"第{i}项任务：推进{'制造业' if i % 3 else '生态环境'}发展，指标{i * 7}。"
        ))
    snap = store.snapshot()
    assert snap.vectors is not None and snap.vectors.shape[0] == len(snap.chunks)
    for query, where in [("推动制造业发展", None), ("生态环境指标", {"doc_id": {"$in": ["c.txt", "a.txt#1"]}})]:
        local, chroma = local_and_chroma(store, query, 10, where)
        assert [c.id for c, _ in local] == [c.id for c, _ in chroma]
        assert np.allclose([s for _, s in local], [s for _, s in chroma], atol=1e-5)


def test_local_dense_rows_follow_an_updated_lexical_index(store):
    # a file that sorts first, added to a view that exists: the updated BM25 index keeps its own order (a new
    # segment last), and the view's vectors must follow it, not the sources' sorted order
    store.snapshot()
    commit(store, "0.txt", numbered_chunks("0.txt", 30, lambda i: f"第{i}条：建设{'数据专区' if i % 2 else '算力中心'}，规模{i * 11}。"))
    snap = store.snapshot()
    assert snap.lexical.ids[0] != "0.txt:1"  # the new file's chunks are not first in the index
    assert snap.vectors is not None and snap.vectors.shape[0] == len(snap.lexical.ids)
    for query in ("建设数据专区", "推动制造业高质量发展"):
        local, chroma = local_and_chroma(store, query, 8)
        assert np.allclose([x for _, x in local], [x for _, x in chroma], atol=1e-5)
        floor = min(x for _, x in chroma) + 1e-5  # ties at the cut may come in any order
        assert {c.id: round(x, 4) for c, x in local if x > floor} == {c.id: round(x, 4) for c, x in chroma if x > floor}


def test_above_the_local_limit_dense_search_asks_chroma(tmp_path):
    s, _ = make_store(tmp_path / "var", dense_local_max=3)
    commit(s, "a.txt", make_chunks("a.txt"))
    assert s.snapshot().vectors is not None  # 3 chunks
    commit(s, "b.txt", make_chunks("b.txt"))
    assert s.snapshot().vectors is None  # 5: Chroma's index
    assert s.dense_search("推动制造业高质量发展", 1)[0][0].id == "a.txt:2"


def test_the_start_check_is_skipped_while_the_store_is_as_last_checked(store, tmp_path, monkeypatch):
    store.sync_lexical()
    assert health.check_at_start(store) == []  # checked, and noted
    cold, _ = make_store(tmp_path / "var")
    monkeypatch.setattr(health, "check", lambda *a, **k: pytest.fail("checked again"))
    assert health.check_at_start(cold) == []
    monkeypatch.undo()
    segment = next(p for p in (tmp_path / "var" / "chroma").iterdir() if p.is_dir())
    victim = next(p for p in segment.iterdir() if p.is_file())
    victim.write_bytes(victim.read_bytes() + b"\x00")  # the vector index changed on disk: checked again
    calls = []
    real = health.check
    monkeypatch.setattr(health, "check", lambda *a, **k: calls.append(1) or real(*a, **k))
    health.check_at_start(cold)
    assert calls


class _SlowWorkers(HashEmbedder):
    """A hash embedder that says it spreads batches over worker processes, and takes uneven time per batch."""

    workers = 2

    def embed_documents(self, texts):  # type: ignore[no-untyped-def]
        time.sleep(0.02 * (len(texts) % 3))
        return super().embed_documents(texts)


def test_write_batches_embedded_two_at_a_time_keep_each_chunk_s_vector(tmp_path):
    from assistant.index.writer import _embedding_depth

    settings = Settings(data_dir=tmp_path / "var", embedding_backend="hash")
    embedder = CachedEmbedder(_SlowWorkers(), tmp_path / "var" / "embed_cache.sqlite")
    assert _embedding_depth(embedder) == 2 and _embedding_depth(CachedEmbedder(HashEmbedder(), tmp_path / "c")) == 1
    s = Store(settings, embedder, recheck_s=0.0)
    s._batch = 3  # several write batches of uneven sizes
    commit(s, "m.txt", numbered_chunks("m.txt", 17, lambda i: f"第{i}项：{'教育' * (i % 4 + 1)}投入{i * 13}亿元。"))
    snap = s.snapshot()
    plain = HashEmbedder()
    for n, chunk_id in enumerate(snap.lexical.ids):
        expected = np.asarray(plain.embed_documents([snap.chunks[chunk_id].text])[0], dtype=np.float32)
        assert np.allclose(snap.vectors[n], expected / (np.linalg.norm(expected) or 1), atol=1e-5) or np.allclose(
            snap.vectors[n], expected, atol=1e-5
        )


def test_several_files_are_committed_with_one_chunk_write_and_a_taken_name_is_refused_alone(tmp_path, monkeypatch):
    from assistant.models import FileCommit

    s, _ = make_store(tmp_path / "var")
    commit(s, "a.txt", make_chunks("a.txt"))
    writes: list[int] = []
    original = type(s).upsert_chunks

    def counting(self, chunks, **kwargs):
        writes.append(len(chunks))
        return original(self, chunks, **kwargs)

    monkeypatch.setattr(type(s), "upsert_chunks", counting)
    text = "\n".join(f"第{n}行" for n in range(1, 40))
    b, a_elsewhere = make_chunks("b.txt"), make_chunks("a.txt", year=2024)
    files = [
        FileCommit("b.txt", "hb", "/corpus/b.txt", text, documents_of(b), b),
        FileCommit("a.txt", "other", "/elsewhere/a.txt", text, documents_of(a_elsewhere), a_elsewhere),
    ]
    embedded, refused = s.commit_files(files)
    assert writes == [len(b)]  # one write, of the committed file's chunks only
    assert [source for source, _ in refused] == ["a.txt"] and "/corpus/a.txt" in refused[0][1]
    assert embedded == len(b)
    assert s.file_record("b.txt") is not None and s.file_record("a.txt").path == "/corpus/a.txt"
    assert {c.source for c in s.cached_chunks()} == {"a.txt", "b.txt"}
