"""Hybrid retrieval on a small real ingest: filters, merging of overlapping neighbours, LangChain adapter."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from langchain_core.documents import Document

from assistant.config import PROJECT_ROOT, Settings
from assistant.models import Chunk, Retrieved
from assistant.retrieval.hybrid import HybridRetriever, LangChainRetriever, merge_overlapping
from assistant.service import build_assistant
from ingest.pipeline import ingest_into

CORPUS = PROJECT_ROOT / "data" / "corpus"
QUERIES = ["改革", "创新驱动发展", "城镇新增就业", "产业转型升级", "重点领域改革和对外开放", "民生实事"]


@pytest.fixture(scope="module")
def kb(tmp_path_factory):
    assistant = build_assistant(
        Settings(_env_file=None, data_dir=tmp_path_factory.mktemp("kb"), embedding_backend="hash")
    )
    ingest_into(assistant, sorted(CORPUS.glob("001_*.txt")) + sorted(CORPUS.glob("003_*.txt")))
    return assistant


def sources(hits: list[Retrieved]) -> set[str]:
    return {h.chunk.source[:3] for h in hits}


def test_unfiltered_search_reaches_both_documents(kb):
    assert sources(kb.retrieve("改革", k=8)) == {"001", "003"}


@pytest.mark.parametrize("mode", ["hybrid", "dense", "lexical"])
def test_doc_filter_restricts_results(kb, mode):
    retriever = HybridRetriever(kb.store, mode=mode)
    doc_001 = next(d for d in kb.documents() if d.source.startswith("001_"))
    for query in QUERIES:
        by_source = retriever.search(query, k=5, doc=doc_001.source)
        by_title = retriever.search(query, k=5, doc=doc_001.title.strip("《》"))
        assert sources(by_source) <= {"001"} and sources(by_title) <= {"001"}
    assert retriever.search("改革", k=5, doc=doc_001.source)
    assert retriever.search("改革", k=5, doc="no-such-document.txt") == []


@pytest.mark.parametrize("mode", ["hybrid", "dense", "lexical"])
def test_year_filter_restricts_results(kb, mode):
    retriever = HybridRetriever(kb.store, mode=mode)
    for query in QUERIES:
        for year in (2021, 2023):
            assert {h.chunk.year for h in retriever.search(query, k=5, year=year)} <= {year}
    assert retriever.search("改革", k=5, year=1999) == []


def test_dense_search_with_a_filter_still_fills_k(kb):
    # the filtered document has 12 chunks; filtering must not starve the dense signal
    retriever = HybridRetriever(kb.store, mode="dense")
    source = next(d.source for d in kb.documents() if d.source.startswith("001_"))
    hits = retriever.search("城镇新增就业", k=5, doc=source)
    assert len(hits) == 5 and sources(hits) == {"001"}


def test_results_never_overlap_within_a_document(kb):
    for query in QUERIES:
        hits = kb.retrieve(query, k=10)
        assert [h.rank for h in hits] == list(range(1, len(hits) + 1))
        for i, a in enumerate(hits):
            for b in hits[i + 1 :]:
                if a.chunk.doc_id == b.chunk.doc_id:
                    overlap = (
                        a.chunk.line_start <= b.chunk.line_end and b.chunk.line_start <= a.chunk.line_end
                    )
                    assert not overlap, (query, a.chunk.id, b.chunk.id)


def test_result_text_is_the_source_lines(kb):
    for h in kb.retrieve("重点领域改革", k=5):
        lines = kb.source_lines(h.chunk.source)[h.chunk.line_start - 1 : h.chunk.line_end]
        assert h.chunk.text in "\n".join(lines) or "\n".join(lines) in h.chunk.text


# merging, on synthetic neighbours -----------------------------------------------------------------

SOURCE_LINES = ["标题", "第一句。", "第二句。", "第三句。", "第四句。", "第五句。"]


@dataclass
class FakeStore:
    def source_text(self, source: str) -> str:
        return "\n".join(SOURCE_LINES)


def piece(start: int, end: int, *, doc: str = "d1", section: str = "一", kind: str = "text") -> Retrieved:
    text = "\n".join(SOURCE_LINES[start - 1 : end])
    chunk = Chunk(
        id=f"{doc}:{start}",
        source="a.txt",
        doc_id=doc,
        title="标题",
        section=[section],
        text=text,
        line_start=start,
        line_end=end,
        kind=kind,
    )  # type: ignore[arg-type]
    return Retrieved(chunk, score=1.0 / start)


def test_overlapping_neighbours_merge_into_the_spanning_source_lines():
    merged = merge_overlapping([piece(2, 3), piece(3, 5), piece(6, 6)], FakeStore())

    assert [(r.chunk.line_start, r.chunk.line_end) for r in merged] == [(2, 5), (6, 6)]
    assert merged[0].chunk.text == "第一句。\n第二句。\n第三句。\n第四句。"
    assert merged[0].chunk.id == "d1:2" and merged[0].score == 1.0 / 2  # the better hit's identity


def test_different_documents_sections_and_table_rows_are_not_merged():
    hits = [piece(2, 3), piece(3, 4, doc="d2"), piece(3, 5, section="二"), piece(2, 2, kind="table_row")]
    assert len(merge_overlapping(hits, FakeStore())) == 4


def test_duplicate_text_is_dropped():
    assert len(merge_overlapping([piece(2, 3), piece(2, 3, doc="d2")], FakeStore())) == 1


# LangChain adapter --------------------------------------------------------------------------------


def test_langchain_retriever_returns_documents_with_metadata(kb):
    retriever = LangChainRetriever(retriever=kb.retriever, k=3, year=2023)
    docs = retriever.invoke("重点领域改革")

    assert 0 < len(docs) <= 3 and all(isinstance(d, Document) for d in docs)
    top = docs[0]
    assert "改革" in top.page_content
    assert top.metadata["source"].startswith("003_") and top.metadata["rank"] == 1
    assert set(top.metadata) >= {"id", "source", "title", "section", "lines", "score", "rank"}
    start, end = top.metadata["lines"]
    assert top.page_content in "\n".join(kb.source_lines(top.metadata["source"])[start - 1 : end])
    assert top.metadata["section"].startswith(top.metadata["title"])


def test_each_year_a_question_compares_gets_its_own_sources(kb):
    """"2021年和2023年…分别": each year's document is among the sources, whatever the scores."""
    from assistant.answering.frame import parse_question
    from assistant.answering.gather import gather_contexts

    chain = kb.answerer
    catalog = chain.catalogs.get()
    question = "2021年和2023年城镇新增就业目标分别是多少？"
    frame = parse_question(question, catalog)
    assert [f.label for f in frame.facets] == ["2021年", "2023年"]
    hits = gather_contexts(chain.retriever, frame, question, catalog, k=5)
    years = {catalog.profiles[h.chunk.doc_id].info.year for h in hits[:4]}
    assert {2021, 2023} <= years


def test_a_question_naming_a_document_favours_it(kb):
    """A document named by its title words ranks above the others for the same words."""
    from assistant.retrieval.routing import Scope

    catalog = kb.answerer.catalogs.get()
    docs = {d.year: d.doc_id for d in kb.documents()}
    plain = kb.retriever.search("城镇新增就业", k=5)
    scoped = kb.retriever.search("城镇新增就业", k=5, scope=Scope(doc_years=(2023,)), catalog=catalog)
    assert scoped[0].chunk.doc_id == docs[2023]
    assert [h.chunk.doc_id for h in scoped].count(docs[2023]) >= [h.chunk.doc_id for h in plain].count(docs[2023])
