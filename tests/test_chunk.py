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


def _table(*rows: str, title: str | None = None) -> Block:
    return Block(section=["表"], kind="table", table_title=title, lines=list(enumerate(rows)))


def _records(block: Block) -> dict[int, str]:
    """Row line -> the record line (the last line of the record text)."""
    return {i: record.splitlines()[-1] for i, _, record in table_records(block)}


def test_groundwater_table_pairs_values_with_the_combined_two_level_header() -> None:
    _, _, chunks = parsed("004_e9dccd3c8dc8cdfa.txt")
    rows = [c for c in chunks if c.kind == "table_row" and c.title == "许昌市地下水超采综合治理工作实施方案"]
    total = next(c for c in rows if c.text == "合计\t7009\t543\t7552\t7383\t543\t7926")
    record = total.index_text.splitlines()[-1]
    assert record.startswith("区域：合计；")
    assert "地下水超采量压减指标（万立方米）·到 2025 年·深层地下水：543；" in record
    assert record.endswith("地下水超采量压减指标（万立方米）·到 2035 年·合计：7926")
    # the header's sub-lines are the header, not rows of data
    assert not [c for c in rows if "到 2025 年" in c.text or c.text.startswith("\t浅层地下水")]


def test_two_level_header_names_each_sub_column_under_its_parent() -> None:
    block = _table(
        "维度\t指标\t2020 年\t\t2025 年\t\t属性",
        "\t\t全省\t本市\t全省\t本市",
        "教育普及\t毛入园率（%）\t90.3\t95\t93\t96\t预期性",
        "\t巩固率（%）\t96.0\t99.75\t96.4\t100\t预期性",
    )
    records = table_records(block)
    assert [(i, row) for i, row, _ in records] == block.lines[2:]  # one verbatim record per data row
    assert (
        records[0][2].splitlines()[-2]
        == "维度\t指标\t2020 年·全省\t2020 年·本市\t2025 年·全省\t2025 年·本市\t属性"
    )
    assert _records(block)[3] == (
        "维度：教育普及；指标：巩固率（%）；2020 年·全省：96.0；2020 年·本市：99.75；"
        "2025 年·全省：96.4；2025 年·本市：100；属性：预期性"
    )


def test_header_lines_trimmed_short_still_span_the_columns_below() -> None:
    # trailing empty cells are trimmed in cleaning, so the top header line has two cells for seven columns
    block = _table(
        "区域\t压减指标（万立方米）",
        "\t到2025年\t\t\t到2035年",
        "\t浅层\t深层\t合计\t浅层\t深层\t合计",
        "甲县\t10\t2\t12\t11\t3\t14",
    )
    assert list(_records(block)) == [3]
    assert _records(block)[3] == (
        "区域：甲县；压减指标（万立方米）·到2025年·浅层：10；压减指标（万立方米）·到2025年·深层：2；"
        "压减指标（万立方米）·到2025年·合计：12；压减指标（万立方米）·到2035年·浅层：11；"
        "压减指标（万立方米）·到2035年·深层：3；压减指标（万立方米）·到2035年·合计：14"
    )


def test_a_one_line_header_shorter_than_its_rows_names_the_extra_cells_by_its_last_column() -> None:
    block = _table("分类\t序号\t指标值", "健康水平\t1\t77.5\t78.9")
    assert _records(block)[1] == "分类：健康水平；序号：1；指标值：77.5；指标值：78.9"


def test_a_title_line_above_the_header_joins_the_table_title() -> None:
    block = _table(
        "表3 主要指标\t单位：亿元", "指标\t2020年\t2025年", "地区生产总值\t3000\t4500", title="专栏2"
    )
    records = table_records(block)
    assert [i for i, _, _ in records] == [2]
    assert (
        records[0][2]
        == "专栏2\n表3 主要指标 单位：亿元\n指标\t2020年\t2025年\n指标：地区生产总值；2020年：3000；2025年：4500\n"
    )


def test_a_text_table_keeps_its_first_rows_as_data() -> None:
    # no figures anywhere, and the first data row leaves the merged category empty: still data, not header
    block = _table("类别\t园区\t情况", "\t甲园区\t主要生产电子产品", "\t乙园区\t主要发展新材料")
    assert _records(block) == {
        1: "园区：甲园区；情况：主要生产电子产品",
        2: "园区：乙园区；情况：主要发展新材料",
    }


def test_a_row_that_starts_empty_lines_up_from_the_left_and_a_total_row_carries_nothing() -> None:
    block = _table(
        "区域\t类别\t范围\t面积\t面积合计",
        "甲县\t一般超采区\t两乡\t136\t1436",
        "\t严重超采区\t全部乡镇\t1300",
        "合计\t\t\t1436\t1436",
    )
    records = _records(block)
    assert records[2] == "区域：甲县；类别：严重超采区；范围：全部乡镇；面积：1300"
    assert records[3] == "区域：合计；面积：1436；面积合计：1436"


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
