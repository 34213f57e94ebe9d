"""Chunks: inside their document and section, verbatim, sized, stable; table rows as records."""

from __future__ import annotations

import itertools
from functools import cache
from pathlib import Path

import pytest

from assistant.models import SECTION_SEP, Chunk, DocumentInfo
from assistant.tokens import count_tokens
from ingest.chunk import chunk_document, table_records
from ingest.pipeline import parse_file
from ingest.structure import Block, DocSpan

CORPUS = Path(__file__).resolve().parent.parent / "data" / "corpus"
FILES = sorted(p.name for p in CORPUS.glob("*.txt"))
TARGET = 350
MAX_BYTES = 100 * 1024 * 1024


@cache
def parsed(name: str, target: int = TARGET) -> tuple[list[str], list[DocumentInfo], list[Chunk]]:
    text, docs, chunks = parse_file(CORPUS / name, chunk_tokens=target, max_bytes=MAX_BYTES)
    return text.split("\n"), docs, chunks


@pytest.mark.parametrize("name", FILES)
def test_chunks_stay_inside_their_document_and_quote_the_source(name: str) -> None:
    lines, docs, chunks = parsed(name)
    by_id = {d.doc_id: d for d in docs}
    assert chunks and sum(d.chunks for d in docs) == len(chunks)
    for c in chunks:
        doc = by_id[c.doc_id]
        assert c.title == doc.title
        assert doc.line_start <= c.line_start <= c.line_end <= doc.line_end, c
        assert c.text and c.text in "\n".join(lines[c.line_start - 1 : c.line_end]), c


@pytest.mark.parametrize("name", FILES)
def test_no_body_sentence_is_lost(name: str) -> None:
    lines, docs, chunks = parsed(name)
    covered = {n for c in chunks for n in range(c.line_start, c.line_end + 1)}
    body = [n for d in docs for n in range(d.line_start, d.line_end + 1) if "。" in lines[n - 1]]
    assert [n for n in body if n not in covered] == []


@pytest.mark.parametrize("name", FILES)
def test_heading_path_is_indexed_but_not_quoted(name: str) -> None:
    _, _, chunks = parsed(name)
    for c in chunks:
        assert c.index_text.startswith(c.section_path + "\n")
        assert c.text in c.index_text or c.kind == "table_row"
        assert SECTION_SEP not in c.text


def test_heading_lines_are_not_in_the_quoted_text() -> None:
    _, _, chunks = parsed("004_e9dccd3c8dc8cdfa.txt")
    chunk = next(c for c in chunks if "12630家餐饮单位建成“透明厨房”" in c.text)
    heading = "（一）“十三五”时期市场监管改革发展成效显著"
    assert chunk.section[-1] == heading and heading in chunk.index_text
    assert heading not in chunk.text and "一、发展环境" not in chunk.text
    assert not any(c.text.startswith("许昌市“十四五”市场监管现代化规划") for c in chunks)


@pytest.mark.parametrize("target", [120, TARGET])
def test_chunk_size_about_the_target(target: int) -> None:
    for name in FILES:
        _, _, chunks = parsed(name, target)
        for c in chunks:
            assert c.tokens == count_tokens(c.text)
            if c.kind == "text":
                assert c.tokens <= target * 1.05 + 2, c
            else:  # one row per record: only a single row may run over
                assert c.line_start == c.line_end and "\n" not in c.text


def test_ids_stable_across_parses_and_unique() -> None:
    name = "004_e9dccd3c8dc8cdfa.txt"
    first = parse_file(CORPUS / name, chunk_tokens=TARGET, max_bytes=MAX_BYTES)[2]
    second = parse_file(CORPUS / name, chunk_tokens=TARGET, max_bytes=MAX_BYTES)[2]
    assert [c.id for c in first] == [c.id for c in second]
    ids = [c.id for n in FILES for c in parsed(n)[2]]
    assert len(ids) == len(set(ids))


def test_indicator_table_rows_carry_header_and_merged_category() -> None:
    _, _, chunks = parsed("004_e9dccd3c8dc8cdfa.txt")
    rows = [c for c in chunks if c.kind == "table_row" and c.title == "许昌市“十四五”市场监管现代化规划"]
    row = next(c for c in rows if c.text == "\t2.国家标准制定参与度（%）\t2\t3\t预期性")
    assert "类别\t指标\t2020年\t2025年\t属性" in row.index_text
    # the 类别 cell is merged (empty in this row): the value from the row above is carried down
    assert (
        "类别：市场 活力；指标：2.国家标准制定参与度（%）；2020年：2；2025年：3；属性：预期性"
        in row.index_text
    )
    assert row.section[-1] == "“十四五”时期市场监管现代化主要指标"
    first = next(c for c in rows if c.text.startswith("市场 秩序\t8."))
    assert "类别：市场 秩序；" in first.index_text


def test_table_records_pair_from_the_right_when_a_row_is_short() -> None:
    block = Block(
        section=["专栏1 主要指标"],
        kind="table",
        table_title="专栏1 主要指标",
        lines=[
            (0, "类别\t指标\t2025年\t属性"),
            (1, "经济\tGDP（亿元）\t5000\t预期性"),
            (2, "人均GDP（元）\t9\t预期性"),
        ],
    )
    records = table_records(block)
    assert [(i, row) for i, row, _ in records] == [(1, block.lines[1][1]), (2, block.lines[2][1])]
    assert (
        records[0][2]
        == "专栏1 主要指标\n类别\t指标\t2025年\t属性\n类别：经济；指标：GDP（亿元）；2025年：5000；属性：预期性\n"
    )
    assert records[1][2].endswith("指标：人均GDP（元）；2025年：9；属性：预期性\n")


def test_chunks_never_cross_a_section_and_overlap_one_short_sentence() -> None:
    sentences = [f"第{i}项任务是推进重点项目建设，加快形成实物工作量。" for i in range(40)]
    lines = ["".join(sentences), "另一节的内容。"]
    span = DocSpan(title="规划", start=0, end=2)
    blocks = [
        Block(section=["一、任务"], lines=[(0, lines[0])]),
        Block(section=["二、保障"], lines=[(1, lines[1])]),
    ]
    chunks = chunk_document(lines, span, blocks, source="s.txt", target_tokens=100, count_tokens=count_tokens)
    first_section = [c for c in chunks if c.section == ["一、任务"]]
    assert len(first_section) > 3
    assert [c.text for c in chunks if c.section == ["二、保障"]] == ["另一节的内容。"]
    for a, b in itertools.pairwise(first_section):
        last_sentence = a.text.split("。")[-2] + "。"
        assert b.text.startswith(last_sentence)  # the boundary sentence is in both
    joined = "".join(c.text for c in first_section)
    assert all(s in joined for s in sentences)
