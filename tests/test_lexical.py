"""Lexical index: BM25 as bm25s scores it, kept up to date by what changed, saved and read back."""

from __future__ import annotations

import json
import random

import bm25s
import numpy as np
import pytest

from assistant.index import lexical
from assistant.index.lexical import LexicalIndex, count_terms, tokenize
from tests.test_store import commit, make_chunks, make_store

TEXTS = [
    "全市地区生产总值年均增长6%左右，城镇新增就业12630人。",
    "加快建设现代化产业体系，推动制造业高质量发展，培育先进制造业集群。",
    "深入打好污染防治攻坚战，PM2.5平均浓度下降10%。",
    "推进义务教育优质均衡发展，新建改扩建中小学校20所。",
    "深化医药卫生体制改革，每千人口执业医师数达到3.2人。",
    "实施城市更新行动，改造老旧小区120个，新增城镇就业岗位。",
    "坚持生态优先、绿色发展，森林覆盖率达到45%，空气质量优良天数比率保持90%以上。",
    "推动数字经济和实体经济深度融合，数字经济核心产业增加值占比达到10%。",
    "发展",  # a one-word text: long texts' length normalisation must not hide it
    "",
]
QUERIES = ["制造业高质量发展", "就业 教育", "PM2.5浓度", "数字经济", "城镇就业", "发展", "医师"]


def full(docs: dict[str, str]) -> LexicalIndex:
    ids = sorted(docs)
    return LexicalIndex.from_counts(ids, [count_terms(docs[i] for i in ids)], "fp")


def test_scores_are_bm25s_lucene_scores():
    ids = [f"c{i}" for i in range(len(TEXTS))]
    reference = bm25s.BM25()
    reference.index([tokenize(t) for t in TEXTS], show_progress=False)
    index = LexicalIndex.from_counts(ids, [count_terms(TEXTS[:4]), count_terms(TEXTS[4:])], "fp")
    for q in QUERIES:
        want = np.asarray(reference.get_scores([t for t in tokenize(q) if t in reference.vocab_dict]))
        got = dict(index.search(q, len(ids)))
        assert got
        assert [got.get(i, 0.0) for i in ids] == pytest.approx(want.tolist(), rel=1e-6)


def test_updates_score_exactly_as_a_full_rebuild(tmp_path, monkeypatch):
    monkeypatch.setattr(lexical, "LEVEL_DOCS", 4)  # small segments, so merges and rewrites happen
    monkeypatch.setattr(lexical, "MERGE_FACTOR", 3)
    rng = random.Random(7)
    docs: dict[str, str] = {}
    index = LexicalIndex.empty()
    merged = 0
    for step in range(60):
        gone = rng.sample(sorted(docs), min(len(docs), rng.randint(0, 6)))
        for i in gone:
            del docs[i]
        added = {f"s{step}-{n}": rng.choice(TEXTS) + rng.choice(TEXTS) for n in range(rng.randint(0, 8))}
        added.update({i: rng.choice(TEXTS) for i in rng.sample(sorted(docs), min(len(docs), 2))})  # replaced
        docs.update(added)
        ids = list(added)
        before = index.segments
        index = index.updated(gone, [(ids[:3], [count_terms(added[i] for i in ids[:3])]),
                                     (ids[3:], [count_terms(added[i] for i in ids[3:])])], "fp")
        merged += index.segments < before + (1 if ids else 0)
        if step % 15 == 14:  # and through the disk, as another process would read it
            index.save(tmp_path / "lex")
            index = LexicalIndex.load(tmp_path / "lex", mmap=step % 2 == 0)
        reference = full(docs)
        assert sorted(index.ids) == sorted(docs) and len(index) == len(docs)
        for q in QUERIES:
            assert index.search(q, 5) == reference.search(q, 5), (step, q)
        allowed = set(rng.sample(sorted(docs), len(docs) // 2))
        assert index.search("发展", 3, allowed) == reference.search("发展", 3, allowed)
    assert merged and index.segments < 20


def test_an_old_version_keeps_answering_while_a_new_one_is_made():
    old = full({"a": TEXTS[0], "b": TEXTS[4]})
    before = old.search("就业", 5)
    new = old.updated(["a"], [(["c"], [count_terms([TEXTS[5] + "甲乙丙丁"])])], "fp2")
    assert old.search("就业", 5) == before and old.search("甲乙丙丁", 5) == []
    assert [i for i, _ in new.search("就业", 5)] == ["c"]
    other = old.updated([], [(["d"], [count_terms(["戊己庚辛"])])], "fp3")  # a second version from one base
    assert [i for i, _ in other.search("戊己庚辛", 5)] == ["d"] and new.search("戊己庚辛", 5) == []


@pytest.mark.parametrize("cache_postings", [lexical.WEIGHT_CACHE_POSTINGS, 3])  # and one evicting all the time
def test_a_query_after_an_update_sees_the_new_scores(monkeypatch, cache_postings):
    monkeypatch.setattr(lexical, "WEIGHT_CACHE_POSTINGS", cache_postings)
    docs = {"a": TEXTS[0], "b": TEXTS[5], "c": TEXTS[1], "d": TEXTS[3]}
    old = full(docs)
    before = {q: old.search(q, 5) for q in QUERIES}  # the terms' weights are now cached in the old version
    new = old.updated(["a"], [(["e"], [count_terms([TEXTS[5] + TEXTS[2]])])], "fp2")
    del docs["a"]
    docs["e"] = TEXTS[5] + TEXTS[2]
    for q in QUERIES:
        assert new.search(q, 5) == full(docs).search(q, 5), q
        assert old.search(q, 5) == before[q], q
    assert new.search("城镇就业", 5) != before["城镇就业"]  # "a" is gone, "e" came, and "b" scores otherwise


def test_a_store_query_after_a_commit_sees_the_new_scores(tmp_path):
    s, _ = make_store(tmp_path / "var")
    commit(s, "a.txt", make_chunks("a.txt"))
    before = [(c.id, score) for c, score in s.lexical_search("发展", 5)]
    commit(s, "b.txt", make_chunks("b.txt"))
    after = [(c.id, score) for c, score in s.lexical_search("发展", 5)]
    assert after == _rebuilt(s).search("发展", 5) and after != before


@pytest.mark.parametrize("share", [0.05, 0.5, 0.95])
def test_a_filtered_search_gives_the_best_allowed_hits(share):
    rng = random.Random(3)
    docs = {f"d{n:03d}": rng.choice(TEXTS) + rng.choice(TEXTS) for n in range(300)}
    index = full(docs)
    allowed = set(rng.sample(sorted(docs), int(len(docs) * share)))
    for q in QUERIES:
        everything = index.search(q, len(docs))
        for k in (1, 5, 40):
            assert index.search(q, k, allowed) == [hit for hit in everything if hit[0] in allowed][:k], (q, k)


def test_ties_go_by_id_whatever_the_order_of_the_updates():
    one = full({"b": TEXTS[1], "a": TEXTS[1], "c": TEXTS[2]})
    grown = full({"c": TEXTS[2]}).updated([], [(["b"], [count_terms([TEXTS[1]])])], "fp")
    grown = grown.updated([], [(["a"], [count_terms([TEXTS[1]])])], "fp")
    assert [i for i, _ in one.search("制造业", 1)] == ["a"] == [i for i, _ in grown.search("制造业", 1)]


def _rebuilt(store) -> LexicalIndex:
    from assistant.index.rows import indexed_text

    chunks = sorted(store.cached_chunks(), key=lambda c: c.id)
    return LexicalIndex.build((c.id, indexed_text(c)) for c in chunks)


def test_the_store_updates_its_index_by_what_changed(tmp_path):
    s, _ = make_store(tmp_path / "var")
    commit(s, "a.txt", make_chunks("a.txt"))
    s.sync_lexical()
    commit(s, "b.txt", make_chunks("b.txt"))  # added
    s.sync_lexical()
    assert s.snapshot().lexical.segments == 2  # the first view's segment, and the added file's
    changed = make_chunks("a.txt")
    changed[1].text = changed[1].index_text = "新建改扩建中小学校30所，推动制造业高质量发展。"
    commit(s, "a.txt", changed, file_hash="h2")  # replaced
    s.sync_lexical()
    for q in QUERIES + ["中小学校"]:
        got = [(c.id, score) for c, score in s.lexical_search(q, 5)]
        assert got == _rebuilt(s).search(q, 5), q
    s.remove_file("b.txt")  # removed: gone at once for a query right after
    assert s.lexical_search("执业医师", 5) == []
    assert [c.id for c, _ in s.lexical_search("中小学校", 5)] == ["a.txt:2"]


def test_an_interrupted_save_converges(tmp_path, monkeypatch):
    s, _ = make_store(tmp_path / "var")
    commit(s, "a.txt", make_chunks("a.txt"))
    s.sync_lexical()
    real = lexical._write_atomic

    def killed(path, text):
        if path.name == LexicalIndex.META:
            raise OSError("killed before the commit")
        real(path, text)

    monkeypatch.setattr(lexical, "_write_atomic", killed)
    commit(s, "b.txt", make_chunks("b.txt"))
    s.sync_lexical()  # the view in memory is right; the one on disk is the old one plus an orphan segment
    assert s.lexical_search("执业医师", 1)[0][0].id == "b.txt:2"
    monkeypatch.setattr(lexical, "_write_atomic", real)
    again, _ = make_store(tmp_path / "var")
    for q in QUERIES:
        assert [(c.id, score) for c, score in again.lexical_search(q, 5)] == _rebuilt(again).search(q, 5)
    folder = tmp_path / "var" / "index" / "plan_chunks" / "lexical"
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    assert sorted(p.name for p in folder.glob("seg-*")) == sorted(f"seg-{n}" for n in meta["segments"])
