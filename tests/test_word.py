"""The Word export reads as an official document: A4, 公文 fonts, page numbers, superscript marks, real metadata."""

from __future__ import annotations

from datetime import date, datetime

import docx
import pytest
from docx.oxml.ns import qn
from docx.shared import Pt

from assistant.briefing.model import Brief, BriefSection, TargetRow
from assistant.briefing.render import save_brief
from assistant.briefing.word import BODY_FONT, HEADING_FONT, TITLE_FONT, chinese_date
from assistant.models import Citation

TITLE = "许昌市“十四五”教育事业发展规划"


@pytest.fixture
def brief() -> Brief:
    sources = [
        Citation(1, "004.txt", TITLE, f"{TITLE} > 三、主要目标", [410, 412], "到2025年，学前教育毛入园率达到96%。"),
        Citation(2, "004.txt", TITLE, f"{TITLE} > 表1 主要指标", [420, 420],
                 "普惠性幼儿园覆盖率（%）\t86\t90\t预期性", page=3),
    ]
    return Brief(
        topic="教育事业发展的主要目标",
        mode="extractive",
        sections=[BriefSection("主要目标与指标", ["学前教育毛入园率达到96% [1]。", "普惠性幼儿园覆盖率达到90%[1,2]。"],
                               [TITLE, TITLE], [True, True])],
        targets=[TargetRow("普惠性幼儿园覆盖率", "90%", "2025年", 2, TITLE)],
        sources=sources,
        scope=[(TITLE, "三、主要目标")],
    )


@pytest.fixture
def document(brief, tmp_path):
    path = save_brief(brief, tmp_path / "简报.docx", author="许昌市发展改革委")
    return docx.Document(str(path))


def _east_asia(style) -> str | None:
    fonts = style.element.rPr.rFonts
    return fonts.get(qn("w:eastAsia"))


def test_the_page_is_a4_with_official_margins(document) -> None:
    section = document.sections[0]
    sizes = [section.page_width, section.page_height, section.top_margin, section.bottom_margin,
             section.left_margin, section.right_margin]
    assert [round(x.mm) for x in sizes] == [210, 297, 37, 35, 28, 26]  # stored in twips: whole millimetres


def test_the_footer_holds_a_page_number_field(document) -> None:
    footer = document.sections[0].footer._element.xml
    assert 'w:instr=" PAGE "' in footer or "PAGE" in footer and "w:instrText" in footer
    assert "— " in footer and " —" in footer


def test_styles_use_official_fonts_in_black_with_fallbacks(document) -> None:
    styles = document.styles
    assert _east_asia(styles["Title"]) == TITLE_FONT and styles["Title"].font.size == Pt(22)
    assert _east_asia(styles["Normal"]) == BODY_FONT and styles["Normal"].font.size == Pt(16)
    assert _east_asia(styles["Heading 1"]) == HEADING_FONT
    for name in ("Title", "Heading 1", "Heading 2"):
        assert str(styles[name].font.color.rgb) == "000000", name  # not the template's blue
    fonts = next(p for p in document.part.package.iter_parts() if str(p.partname) == "/word/fontTable.xml").blob
    text = fonts.decode("utf-8")
    assert f'w:name="{BODY_FONT}"' in text and 'w:altName w:val="仿宋"' in text  # what Word uses without it


def test_the_title_is_centred_and_dated(document) -> None:
    title, subtitle = document.paragraphs[0], document.paragraphs[1]
    assert title.style.name == "Title" and title.text == "关于“教育事业发展的主要目标”的简报"
    assert title.style.paragraph_format.alignment == 1  # centred
    assert subtitle.text == f"许昌市发展改革委　{chinese_date(date.today())}"


def test_citation_marks_are_superscript(document) -> None:
    bullets = [p for p in document.paragraphs if p.style.name == "List Bullet"]
    marks = [(r.text, r.font.superscript) for p in bullets for r in p.runs if r.text.startswith("[")]
    assert marks == [("[1]", True), ("[1,2]", True)]
    assert bullets[0].text == "学前教育毛入园率达到96%[1]。"
    assert all(not r.font.superscript for p in bullets for r in p.runs if not r.text.startswith("["))


def test_sources_read_title_section_location_without_raw_tabs(document) -> None:
    texts = [p.text for p in document.paragraphs if p.style.name in ("Source", "Source Quote")]
    assert texts[0] == f"[1] {TITLE} › 三、主要目标 › 第410–412行（004.txt）"
    assert texts[2].startswith(f"[2] {TITLE} › 表1 主要指标 › 第3页 第420行")
    assert all("\t" not in t for t in texts) and "普惠性幼儿园覆盖率（%） ｜ 86 ｜ 90 ｜ 预期性" in texts


def test_metadata_is_real(document) -> None:
    props = document.core_properties
    assert props.author == "许昌市发展改革委" and props.last_modified_by == "许昌市发展改革委"
    assert props.created.date() == datetime.now().date() and props.title.startswith("关于“教育事业")
    assert "python-docx" not in (props.author + props.comments + props.last_modified_by)
    names = [str(p.partname) for p in document.part.package.iter_parts()]
    assert not any(n.endswith("thumbnail.jpeg") for n in names)


def test_a_topic_with_its_own_quotes_gets_no_second_pair(brief) -> None:
    from dataclasses import replace

    from assistant.briefing.word import title_of

    assert title_of(replace(brief, topic="“十四五”期间教育发展目标")) == "关于“十四五”期间教育发展目标的简报"
    assert title_of(brief) == "关于“教育事业发展的主要目标”的简报"
