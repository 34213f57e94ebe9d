"""Documents inside a file, their titles and numbers, and section paths of known passages."""

from __future__ import annotations

import itertools
import json
from functools import cache
from pathlib import Path

import pytest

from assistant.models import Chunk, DocumentInfo
from ingest.clean import CleanText
from ingest.pipeline import parse_file
from ingest.structure import DocSpan, parse_blocks, split_documents

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "data" / "corpus"
GAZETTE = "004_e9dccd3c8dc8cdfa.txt"


@cache
def parsed(name: str) -> tuple[str, list[DocumentInfo], list[Chunk]]:
    return parse_file(CORPUS / name, chunk_tokens=350, max_bytes=100 * 1024 * 1024)


def corpus_file(prefix: str) -> str:
    return next(CORPUS.glob(f"{prefix}_*.txt")).name


GAZETTE_DOCS = [
    ("许昌市“十四五”市场监管现代化规划", "许政〔2022〕15号", "2022年7月1日"),
    ("许昌市“十四五”应急管理体系和本质安全能力建设规划", "许政〔2022〕16号", "2022年7月1日"),
    ("许昌市“十四五”教育事业发展规划", "许政〔2022〕17号", "2022年7月1日"),
    ("许昌市“十四五”城市更新和城乡人居环境建设规划", "许政〔2022〕19号", "2022年7月6日"),
    ("许昌市“十四五”科技创新和一流创新生态建设规划", "许政〔2022〕20号", "2022年7月12日"),
    ("许昌市“十四五”现代供应链发展规划", "许政〔2022〕21号", "2022年7月12日"),
    ("许昌市地下水超采综合治理工作实施方案", "许政〔2022〕22号", "2022年7月14日"),
    ("许昌市“十四五”现代服务业发展规划", "许政〔2022〕23号", "2022年7月14日"),
    ("许昌市“十四五”乡村振兴和农业农村现代化规划", "许政〔2022〕24号", "2022年7月14日"),
    ("许昌市新型城镇化和城乡融合发展规划（2021—2035年）", "许政〔2022〕25号", "2022年7月16日"),
    ("许昌市“十四五”制造业高质量发展规划", "许政〔2022〕26号", "2022年7月16日"),
    ("许昌市“十四五”营商环境和社会信用体系发展规划", "许政〔2022〕27号", "2022年7月21日"),
    ("许昌市“十四五”公共卫生体系和全民健康规划", "许政〔2022〕28号", "2022年7月30日"),
    ("许昌市“十四五”公共服务和社会保障规划", "许政〔2022〕29号", "2022年7月30日"),
    ("许昌市人民政府办公室关于稳住经济大盘促投资的实施意见", "许政办〔2022〕29号", "2022年7月7日"),
    ("许昌市行政复议决定书网上公开办法（试行）", "许政办〔2022〕30号", "2022年7月25日"),
    ("许昌市对上市（挂牌）企业奖补办法", "许政办〔2022〕32号", "2022年7月30日"),
    ("许昌市推进智慧岛建设实施方案", "许政办〔2022〕33号", "2022年7月30日"),
]


def test_gazette_splits_into_its_documents_with_numbers_and_dates() -> None:
    _, docs, _ = parsed(GAZETTE)
    assert [(d.title, d.doc_number, d.date) for d in docs] == GAZETTE_DOCS
    assert all(d.year == 2022 for d in docs)
    # spans tile the file after the table of contents, without overlap
    for a, b in itertools.pairwise(docs):
        assert a.line_end + 1 == b.line_start
    assert len({d.doc_id for d in docs}) == len(docs)


def test_gazette_table_of_contents_is_not_a_document() -> None:
    text, docs, chunks = parsed(GAZETTE)
    lines = text.split("\n")
    assert lines[docs[0].line_start - 1] == "许昌市人民政府 关于印发许昌市“十四五”市场监管现代化规划的通知"
    toc = range(1, docs[0].line_start)
    assert any(lines[i - 1] == "目 录" for i in toc)
    assert not any(c.line_start in toc for c in chunks)
    assert not any("目 录" in d.title or "公 报" in d.title for d in docs)


def test_single_document_titles() -> None:
    (_, docs002, _) = parsed(corpus_file("002"))
    assert [d.title for d in docs002] == [
        "魏都区国民经济和社会发展第十四个五年规划和二〇三五远景目标纲要（草案）"
    ]
    titles = {p: parsed(corpus_file(p))[1][0].title for p in ("000", "001", "003")}
    assert titles == {
        "000": "《政府工作报告》之未来展望篇",
        "001": "《政府工作报告》之开局起步篇",
        "003": "《政府工作报告》解读之2023年重点工作篇（下）",
    }
    assert parsed(corpus_file("001"))[1][0].year == 2021
    assert parsed(corpus_file("003"))[1][0].year == 2023


def _dev_items() -> dict[str, dict]:
    path = ROOT / "eval" / "suites" / "dev.jsonl"
    items = (json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip())
    return {item["id"]: item for item in items}


@pytest.mark.parametrize(
    "qid", ["d001", "d002", "d003", "d006", "d008", "d013", "d014", "d015", "d016", "d024"]
)
def test_known_passages_get_their_section_path(qid: str) -> None:
    item = _dev_items()[qid]
    _, _, chunks = parsed(item["doc"])
    evidence = item["evidence"][0]
    paths = {c.section_path for c in chunks if evidence in c.text}
    assert paths == {item["section"]}


def test_table_row_under_its_box_gets_the_box_path() -> None:
    item = _dev_items()["d011"]  # a row of 专栏1 's indicator table
    _, _, chunks = parsed(item["doc"])
    rows = [c for c in chunks if item["evidence"][0] in c.text]
    assert len(rows) == 1 and rows[0].kind == "table_row"
    assert rows[0].section_path == item["section"]


def test_box_ends_at_next_numbered_heading() -> None:
    lines = [
        "第二章 主要任务",
        "第一节 建设教师队伍",
        "加强师德师风建设。",
        "专栏 5 教师队伍建设工程",
        "1.乡村首席教师岗位计划",
        "遴选260名乡村首席教师。",
        "（一）完善教师管理",
        "深化教师管理改革。",
    ]
    clean = CleanText(source="t.txt", lines=lines)
    span = split_documents(clean, fallback_title="t")[0]
    blocks = parse_blocks(lines, DocSpan(title="t", start=0, end=len(lines)))
    assert span.title == "t" and (span.start, span.end) == (0, len(lines))
    sections = {b.lines[0][1]: b.section for b in blocks}
    assert sections["遴选260名乡村首席教师。"] == [
        "第二章 主要任务",
        "第一节 建设教师队伍",
        "专栏 5 教师队伍建设工程",
        "1.乡村首席教师岗位计划",
    ]
    assert sections["深化教师管理改革。"] == ["第二章 主要任务", "第一节 建设教师队伍", "（一）完善教师管理"]


def test_title_line_is_not_body_text_and_run_in_heading_is() -> None:
    lines = ["某市发展规划", "一、总体要求", "（一）指导思想。坚持以人民为中心的发展思想。"]
    span = DocSpan(title="某市发展规划", start=0, end=len(lines))
    blocks = parse_blocks(lines, span)
    assert [(b.section, [t for _, t in b.lines]) for b in blocks] == [
        (["一、总体要求", "（一）指导思想"], ["（一）指导思想。坚持以人民为中心的发展思想。"])
    ]


def test_a_run_of_short_lines_is_content_not_headings() -> None:
    # the newspaper page opens with "打造六个高地" and six short "◉…高地" lines: a list, to be indexed
    _, _, chunks = parse_file(CORPUS / "000_bde97cc65fce8701.txt", chunk_tokens=350, max_bytes=10**8)
    first = next(c for c in chunks if "打造六个高地" in c.text)
    assert "◉面向新发展格局的枢纽经济高地" in first.text and "◉魅力彰显的中原文化高地" in first.text
    assert not any("高地" in part for c in chunks for part in c.section)


def test_an_appendix_is_a_part_of_its_own_not_of_the_last_section() -> None:
    # "附件" (or "附件 1") ends the text: its title and numbered items nest in it, not in the section before it
    lines = [
        "三、重点任务",
        "（九）防范化解风险",
        "守住不发生系统性风险底线。",
        "附 件",
        "2025年10件惠民实事",
        "一、稳定和扩大就业",
        "年度目标：城镇新增就业50万人以上；",
        "附件2 名词解释",
        "1.“两新”：大规模设备更新和消费品以旧换新。",
    ]
    blocks = parse_blocks(lines, DocSpan(title="t", start=0, end=len(lines)))
    sections = {b.lines[0][1]: b.section for b in blocks}
    assert sections["守住不发生系统性风险底线。"] == ["三、重点任务", "（九）防范化解风险"]
    assert sections["年度目标：城镇新增就业50万人以上；"] == ["附 件", "2025年10件惠民实事", "一、稳定和扩大就业"]
    assert sections["1.“两新”：大规模设备更新和消费品以旧换新。"] == ["附件2 名词解释"]
    # a line listing the appendices inside the text ("附件：1. …") is no heading
    listing = ["（四）加强宣传", "要加大宣传力度。", "附件：1. 全市超采区范围"]
    blocks = parse_blocks(listing, DocSpan(title="t", start=0, end=len(listing)))
    assert [line for b in blocks for _, line in b.lines if b.section == ["（四）加强宣传"]] == listing[1:]


def test_numbered_heading_broken_over_two_paragraphs_is_one_heading() -> None:
    # Word documents sometimes break a long heading into two paragraphs with nothing to mark the second as a heading
    lines = [
        "三、持续提升政府",
        "治理效能和服务水平",
        "人民满意是衡量政府工作的根本标准。全市政府系统要坚持干字当头、实字为先。",
        "（一）以政治铸魂淬炼忠诚。旗帜鲜明讲政治，深学细悟新思想。",
    ]
    blocks = parse_blocks(lines, DocSpan(title="t", start=0, end=len(lines)))
    sections = {line: b.section for b in blocks for _, line in b.lines}
    assert sections[lines[2]] == ["三、持续提升政府治理效能和服务水平"]
    assert sections[lines[3]] == ["三、持续提升政府治理效能和服务水平", "（一）以政治铸魂淬炼忠诚"]
    assert lines[1] not in sections
    # a short unnumbered sub-title followed by another short line (a list, a headline) is left as it was
    kept = ["一、重点项目", "智慧城市", "数字乡村", "要加快推进智慧城市和数字乡村建设，形成示范。"]
    blocks = parse_blocks(kept, DocSpan(title="t", start=0, end=len(kept)))
    assert all(b.section[:1] == ["一、重点项目"] for b in blocks)
    assert "智慧城市" in {line for b in blocks for _, line in b.lines}
