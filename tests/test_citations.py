"""Citation markers: parsing, quote selection and verification against the sources."""

from __future__ import annotations

import pytest

from assistant.answering.citations import best_quote, markers, numbers_in, strip_markers, verify
from assistant.models import Chunk
from assistant.text import sentences


def chunk(text: str, *, n: int = 1, kind: str = "text", index_text: str = "") -> Chunk:
    return Chunk(
        id=f"c{n}",
        source=f"doc{n}.txt",
        doc_id=f"d{n}",
        title=f"规划{n}",
        section=["第一章", "第二节"],
        text=text,
        line_start=10 * n,
        line_end=10 * n + 2,
        kind=kind,
        index_text=index_text,  # type: ignore[arg-type]
    )


SOURCES = [
    chunk("到2025年，全市地区生产总值达到5000亿元。城镇新增就业4.9万人。加快建设现代化产业体系。"),
    chunk("新建改扩建中小学校20所。每千人口执业医师数达到3.2人。", n=2),
    chunk("深入打好污染防治攻坚战，PM2.5平均浓度下降10%。", n=3),
]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("增长[1]。", [1]),
        ("见[1,2]和[3]。", [1, 2, 3]),
        ("见[1][3]，又见[1]。", [1, 3]),
        ("全角分隔[2，1]、顿号[3、4]", [2, 1, 3, 4]),
        ("没有引用", []),
        ("不是引用：[a] [ ] 第[一]条", []),
    ],
)
def test_markers_in_order_of_first_appearance(text, expected):
    assert markers(text) == expected


def test_strip_markers_and_sentences():
    assert strip_markers("增长6%[1]，就业[1,2]。") == "增长6%，就业。"
    assert sentences("第一句。第二句！\n第三句") == ["第一句。", "第二句！", "第三句"]


def test_a_bracketed_note_after_a_sentence_belongs_to_it():
    """"…出口占比。（省商务厅牵头，合肥海关配合）支持…": the body responsible ends the sentence it follows, so
    "由哪些部门负责" quotes it with its task; a number opening the next item ("。（二）") does not."""
    text = "扩大出口占比。（省商务厅牵头，合肥海关配合）支持农业企业。（省外办负责）"
    assert sentences(text) == ["扩大出口占比。（省商务厅牵头，合肥海关配合）", "支持农业企业。（省外办负责）"]
    assert sentences("目标如下。（二）推进服务贸易升级。") == ["目标如下。", "（二）推进服务贸易升级。"]


def test_a_long_statement_is_focused_without_cutting_a_bracketed_note():
    from assistant.answering.present import clauses_of

    text = "抓好366个重点项目建设，确保完成投资1800亿元以上。（责任单位：市发展和改革委员会，各县政府）"
    assert clauses_of(text) == ["抓好366个重点项目建设，", "确保完成投资1800亿元以上。（责任单位：市发展和改革委员会，各县政府）"]


def test_numbers_in_ignores_citation_markers_and_normalises_width():
    assert numbers_in("到２０２５年达到5000亿元[1]，增长4.9%[2]。") == ["2025", "5000", "4.9"]


def test_verify_accepts_numbers_present_in_the_cited_source():
    [c] = verify("到2025年地区生产总值达到5000亿元[1]。", SOURCES)

    assert c.verified and c.problem is None
    assert (c.n, c.source, c.lines) == (1, "doc1.txt", [10, 12])
    assert c.section == "规划1 > 第一章 > 第二节"
    assert c.quote == "到2025年，全市地区生产总值达到5000亿元。"


def test_verify_flags_a_number_missing_from_the_cited_source():
    by_n = {c.n: c for c in verify("新建中小学校30所[2]。PM2.5浓度下降10%[3]。", SOURCES)}

    assert not by_n[2].verified and "30" in by_n[2].problem
    assert by_n[3].verified


def test_verify_flags_a_number_that_is_only_in_another_source():
    [c] = verify("城镇新增就业4.9万人，新建学校20所[1]。", SOURCES)

    assert not c.verified and "20" in c.problem and "4.9" not in c.problem


def test_verify_flags_out_of_range_citations():
    by_n = {c.n: c for c in verify("达到5000亿元[1]。另有规定[7]。还有[0]。", SOURCES)}

    assert by_n[1].verified
    for n in (7, 0):
        assert not by_n[n].verified and f"[{n}]" in by_n[n].problem
        assert by_n[n].quote == "" and by_n[n].lines == []


def test_verify_numbers_may_come_from_any_source_cited_in_the_sentence():
    [c1, c2] = verify("就业4.9万人，学校20所[1][2]。", SOURCES)

    assert c1.verified and c2.verified


def test_verify_uses_headings_in_index_text():
    source = chunk("全市新建公园30个。", index_text="2023年重点工作 > 城市建设\n全市新建公园30个。")
    [c] = verify("2023年全市新建公园30个[1]。", [source])

    assert c.verified


def test_verify_uses_the_given_support_quote():
    [c] = verify("就业4.9万人[1]。", SOURCES, support={1: "城镇新增就业4.9万人。"})

    assert c.quote == "城镇新增就业4.9万人。"


def test_best_quote_picks_the_supporting_sentence():
    assert best_quote("城镇新增就业多少人", SOURCES[0]) == "城镇新增就业4.9万人。"
    assert best_quote("现代化产业体系", SOURCES[0]) == "加快建设现代化产业体系。"


def test_best_quote_of_a_table_row_is_the_row():
    row = chunk("地区生产总值\t亿元\t5000", kind="table_row")
    assert best_quote("产业体系", row) == row.text


def test_a_long_target_list_keeps_the_clause_asked_about_even_without_a_figure():
    """"居民收入增长目标是多少" of a list whose clause for it sets no figure ("居民收入增长与经济增长同步"): the clause
    stays in the focused statement; the clauses of other figures that share a word with the question stay too."""
    from assistant.answering.candidates import Candidate
    from assistant.answering.frame import parse_question
    from assistant.answering.present import focus
    from assistant.answering.stats import CollectionStats
    from assistant.answering.terms import question_terms

    text = ("建议今年经济社会发展主要预期目标是：地区生产总值增长5%以上，一般公共预算收入增长3%，居民收入增长与经济增长同步，"
            "城镇调查失业率5.5%左右，城镇新增就业110万人以上，居民消费价格保持合理水平。")
    unit = Candidate(0, chunk(text), text, text, "sentence")
    terms = question_terms(parse_question("山东今年居民收入增长目标是多少？"), CollectionStats({}, 10, []))
    shown = focus(unit, terms).display
    assert "居民收入增长与经济增长同步" in shown and "城镇调查失业率" not in shown
