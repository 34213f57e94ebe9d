"""Cleaning: debris removed, broken paragraphs rejoined, headings and notice lines left alone."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from assistant.models import LoadedText
from ingest.clean import CleanText, clean_text
from ingest.load import load_file

CORPUS = Path(__file__).resolve().parent.parent / "data" / "corpus"


@cache
def cleaned(prefix: str) -> CleanText:
    path = next(CORPUS.glob(f"{prefix}_*.txt"))
    return clean_text(load_file(path, max_bytes=100 * 1024 * 1024))


def clean_lines(*raw: str, headings: dict[int, int] | None = None) -> list[str]:
    loaded = LoadedText(
        source="t.txt", path="t.txt", kind="txt", text="\n".join(raw), headings=headings or {}
    )
    return clean_text(loaded).lines


def test_bookmarks_removed_and_heading_kept_whole() -> None:
    lines = cleaned("002").lines
    assert not any("[bookmark:" in line for line in lines)
    assert "第一节　决胜全面建成小康社会取得决定性成就" in lines
    assert "第二章  未来五年发展蓝图和2035年远景目标" in lines


def test_paragraph_broken_mid_sentence_is_rejoined() -> None:
    lines = cleaned("004").lines
    joined = [line for line in lines if "中国特色社会主义思想，全面落实党中央" in line]
    assert len(joined) == 1
    assert joined[0].startswith("“十三五”期间，全市市场监督管理系统认真学习贯彻习近平新时代")
    assert not any(line.endswith("社会主") for line in lines)


def test_run_in_heading_paragraph_broken_mid_sentence_is_rejoined() -> None:
    # "（十六）…。" opens a body paragraph; the PDF line break after "重大项目" is not a paragraph end
    lines = cleaned("004").lines
    assert any(
        line.startswith(
            "（十六）加大项目用地保障。坚持指标跟着项目走，争取更多符合条件的重大项目纳入国家用地保障范围"
        )
        for line in lines
    )
    assert "（十六）加大项目用地保障。坚持指标跟着项目走，争取更多符合条件的重大项目" not in lines


def test_short_heading_not_joined_to_next_paragraph() -> None:
    lines = cleaned("004").lines
    i = lines.index("一、发展环境")
    assert lines[i + 1].startswith("“十四五”时期是我市完成市场监管机构整合")
    # an unnumbered plan title line stays alone too
    j = lines.index("许昌市“十四五”市场监管现代化规划")
    assert lines[j + 1].startswith("强化市场监管、推进市场监管现代化")


def test_notice_title_not_joined_with_document_number() -> None:
    lines = cleaned("004").lines
    i = lines.index("许昌市人民政府 关于印发许昌市“十四五”市场监管现代化规划的通知")
    assert lines[i + 1] == "许政〔2022〕15号"
    k = lines.index("许昌市人民政府办公室 关于稳住经济大盘促投资的实施意见")
    assert lines[k + 1] == "许政办〔2022〕29号"


def test_newspaper_section_numbers_kept_with_their_title_page_numbers_dropped() -> None:
    lines = cleaned("001").lines
    assert "1 聚焦制造业高质量发展 着力推动产业转型升级" in lines
    assert not any(line.strip().isdigit() for line in lines)
    # "5" before a credit line is a page number, not a section number
    assert cleaned("000").lines[-1] == "（文字整理张辉）"


def test_page_number_lines_removed() -> None:
    text = "推进高质量发展，加快建设现代化经济体系，持续增强经济实力"
    lines = clean_lines(
        "一、总体要求", "- 12 -", "第 3 页", "3/20", "— 7 —", "17", "Page 4", text + "。", "", "第5页 共20页"
    )
    assert lines == ["一、总体要求", text + "。"]


def test_synthetic_broken_line_joined_but_heading_and_table_rows_kept() -> None:
    lines = clean_lines(
        "（一）总体目标",
        "到2025年，全市市场主体数量达到50万户，营商环境持续优化，市场",
        "秩序更加规范。",
        "类别\t指标\t2025年",
        "市场活力\t市场主体数（万户）\t50",
        "第二章 主要任务",
        "加强监管",
    )
    assert lines == [
        "（一）总体目标",
        "到2025年，全市市场主体数量达到50万户，营商环境持续优化，市场秩序更加规范。",
        "类别\t指标\t2025年",
        "市场活力\t市场主体数（万户）\t50",
        "第二章 主要任务",
        "加强监管",
    ]


def test_marked_heading_never_joined_and_level_carried() -> None:
    raw = [
        "前言",
        "",
        "这是一个很长的段落开头，没有结束标点，而且超过了三十个字，按理应当与下一行",
        "连接在一起。",
    ]
    loaded = LoadedText(source="t.docx", path="t.docx", kind="docx", text="\n".join(raw), headings={0: 1})
    clean = clean_text(loaded)
    assert clean.lines == ["前言", raw[2] + raw[3]]
    assert clean.headings == {0: 1}


def test_control_characters_and_blank_lines_dropped() -> None:
    lines = clean_lines("\ufeff第一章 总则\u200b", "", "   ", "本办法自印发之日起施行。\x07")
    assert lines == ["第一章 总则", "本办法自印发之日起施行。"]


def test_a_table_rows_empty_last_cells_are_kept() -> None:
    # without its trailing tab the row would have one cell fewer than the header, and its 2.8 would
    # be read as the last column's value
    assert clean_lines("指标\t2020年\t2025年\t年均增长", "研发经费投入强度（%）\t2.1\t2.8\t  ", "一段文字。\t ") == [
        "指标\t2020年\t2025年\t年均增长",
        "研发经费投入强度（%）\t2.1\t2.8\t",
        "一段文字。",
    ]


def test_a_converted_footnote_is_kept_as_an_aside_without_its_marks() -> None:
    """"…发行ABS[footnoteRef:1]项目收益债…。 [1:  ABS融资模式是…。]" (a Word footnote as some converters write it):
    the mark goes, the note stays with its paragraph in its own words (so the passage is still found in the file),
    and no bracket is left on its own."""
    lines = clean_lines("第四节 创新投融资机制",
                        "通过包装发行ABS[footnoteRef:1]项目收益债进行直接融资。 [1:  ABS融资模式是一种项目融资方式。]")
    assert lines[1] == "通过包装发行ABS项目收益债进行直接融资。ABS融资模式是一种项目融资方式。"
    assert "[" not in "".join(lines) and "]" not in "".join(lines)


def test_zero_width_joiners_are_dropped() -> None:
    """A glossary whose entries a Word file separates with zero-width non-joiners ("…网络。\u200c15.虚拟电厂：…")."""
    lines = clean_lines("14.全级次子企业：共同构成一个完整企业网络。\u200c15.虚拟电厂：一种电源协调管理系统。")
    assert lines == ["14.全级次子企业：共同构成一个完整企业网络。15.虚拟电厂：一种电源协调管理系统。"]


def test_a_subscript_set_on_a_line_of_its_own_stays_in_its_sentence() -> None:
    """A web page's <sub> ("广义货币M" "2" "增长13.6%") is no page number: M2, PM2.5 and PM10 keep their digits and
    the sentence is one line, each of its pieces traced to its own loaded line."""
    lines = clean_lines(
        "去年财政赤字控制在预算范围内，广义货币M", "2", "增长13.6%，符合调控要求。",
        "以细颗粒物（PM", "2.5", "）和可吸入颗粒物（PM", "10", "）治理为突破口。",
    )
    assert lines == ["去年财政赤字控制在预算范围内，广义货币M2增长13.6%，符合调控要求。",
                     "以细颗粒物（PM2.5）和可吸入颗粒物（PM10）治理为突破口。"]
    loaded = LoadedText(source="t.txt", path="t.txt", kind="txt", text="广义货币M\n2\n增长13.6%。")
    assert clean_text(loaded).joins == {0: [(5, 1), (6, 2)]}
    # a page number after a finished sentence, or before a heading, is still dropped
    assert clean_lines("上年工作全面完成。", "12", "第二段开始，继续写下去。") == ["上年工作全面完成。", "第二段开始，继续写下去。"]
