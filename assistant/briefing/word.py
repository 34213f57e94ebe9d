"""A Brief as a Word document laid out like an official document (GB/T 9704 公文 conventions).

A4 with 公文 margins; 方正小标宋简体 title, 黑体 and 楷体_GB2312 headings, 仿宋_GB2312 body, each with a fallback
a machine without the GB2312 fonts has (宋体, 黑体, 楷体, 仿宋: Word reads them from the font table);
the date and author under the centred title; "— 1 —" page numbers in the footer; citation marks as
superscripts; a sources list that reads title › section › location. Author and dates are real.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from assistant.answering.citations import book_title
from assistant.briefing.extract import TARGETS
from assistant.briefing.model import NOT_COVERED, Brief, BriefSection
from assistant.display import MARKER, location_label, section_path

# 公文 fonts and what Word should use where one is missing (w:altName in the font table)
TITLE_FONT, HEADING_FONT, SUBHEADING_FONT, BODY_FONT = "方正小标宋简体", "黑体", "楷体_GB2312", "仿宋_GB2312"
FALLBACKS = {TITLE_FONT: "宋体", HEADING_FONT: "SimHei", SUBHEADING_FONT: "楷体", BODY_FONT: "仿宋", "宋体": "SimSun"}
LATIN_FONT = "Times New Roman"
# sizes in points: 二号 22, 三号 16, 四号 14, 小四 12
TITLE_PT, HEADING_PT, BODY_PT, TABLE_PT, FOOTER_PT = 22, 16, 16, 12, 14
LINE_PT = 28  # a fixed 28-point line: 22 lines a page on A4 with these margins
_TARGET_HEADER = ("指标", "目标值", "年份/时期", "来源")
_DIFF_HEADER = ("指标", "年份/时期", "文件", "目标值", "来源")


def chinese_date(day: date) -> str:
    """A date as 公文 write it: 2025年3月7日."""
    return f"{day.year}年{day.month}月{day.day}日"


def title_of(brief: Brief) -> str:
    """The document's title: 关于“topic”的简报 (no second pair of quotes when the topic has its own)."""
    topic = brief.topic.strip()
    return f"关于{topic}的简报" if "“" in topic or "《" in topic else f"关于“{topic}”的简报"


def brief_to_docx(brief: Brief, path: Path, *, author: str = "规划文件问答助手", today: date | None = None) -> None:
    """Write the briefing as an official-looking .docx (A4, 公文 fonts, page numbers, superscript citations)."""
    from docx import Document

    today = today or date.today()
    document = Document()
    _page(document)
    _styles(document)
    _fallback_fonts(document)
    _footer_page_number(document)
    _metadata(document, brief, author)

    document.add_paragraph(title_of(brief), style="Title")
    document.add_paragraph(f"{author}　{chinese_date(today)}", style="Subtitle")
    if not brief.covered:
        document.add_paragraph(f"{brief.notice or NOT_COVERED}。")
        document.save(str(path))
        return
    if brief.notice:
        document.add_paragraph(brief.notice, style="Quote")
    docs = list(dict.fromkeys(t for t, _ in brief.scope))
    if docs:
        _cited(document.add_paragraph(),
               f"本简报依据 {len(docs)} 份文件、{len(brief.scope)} 个章节：" + "；".join(book_title(d) for d in docs) + "。")
    wrote_targets = False
    for number, section in enumerate(brief.sections, 1):
        document.add_paragraph(f"{_chinese_number(number)}、{section.title}", style="Heading 1")
        for doc, items in grouped_bullets(section):
            if doc:
                document.add_paragraph(f"（{book_title(doc)}）", style="Heading 2")
            for bullet, ok in items:
                _cited(document.add_paragraph(style="List Bullet"), bullet + ("" if ok else "（引用未核实）"))
        if section.title == TARGETS and brief.targets:
            _table(document, _TARGET_HEADER, [(t.indicator, t.value, t.period, f"[{t.n}]") for t in brief.targets])
            wrote_targets = True
    if brief.targets and not wrote_targets:
        document.add_paragraph(f"{_chinese_number(len(brief.sections) + 1)}、主要目标与指标", style="Heading 1")
        _table(document, _TARGET_HEADER, [(t.indicator, t.value, t.period, f"[{t.n}]") for t in brief.targets])
    if brief.differences:
        document.add_paragraph("差异对照", style="Heading 2")
        rows = [(r.indicator, r.period, r.document, r.value, f"[{r.n}]") for d in brief.differences for r in d.rows]
        _table(document, _DIFF_HEADER, rows)
    _sources(document, brief)
    document.save(str(path))


# --- content ---------------------------------------------------------------------------------------------


def grouped_bullets(section: BriefSection) -> list[tuple[str, list[tuple[str, bool]]]]:
    """Bullets grouped by document when a part draws on more than one document, else one group."""
    docs = section.documents if len(section.documents) == len(section.bullets) else [""] * len(section.bullets)
    flags = section.verified if len(section.verified) == len(section.bullets) else [True] * len(section.bullets)
    several = len({d for d in docs if d}) > 1
    groups: list[tuple[str, list[tuple[str, bool]]]] = []
    for bullet, doc, ok in zip(section.bullets, docs, flags, strict=True):
        key = doc if several else ""
        if not groups or groups[-1][0] != key:
            groups.append((key, []))
        groups[-1][1].append((bullet, ok))
    return groups


def _cited(paragraph: Any, text: str) -> Any:
    """Fill a paragraph with text whose citation markers ([1], [1,2]) are superscript runs."""
    pos = 0
    for m in MARKER.finditer(text):
        before = text[pos : m.start()].rstrip()
        if before:
            paragraph.add_run(before)
        paragraph.add_run(m.group(0)).font.superscript = True
        pos = m.end()
    if text[pos:]:
        paragraph.add_run(text[pos:])
    return paragraph


def _plain(text: str) -> str:
    """Source text for a Word paragraph: table cells (tabs) joined by ' ｜ ', runs of spaces collapsed."""
    text = re.sub(r"[ \u3000]*\t+[ \u3000]*", " ｜ ", text.strip("\t \u3000"))
    return re.sub(r"[ \u3000]{2,}", " ", text).strip()


def _sources(document: Any, brief: Brief) -> None:
    document.add_paragraph("来源", style="Heading 1")
    for c in brief.sources:
        p = document.add_paragraph(style="Source")
        p.add_run(f"[{c.n}] ").bold = True
        if not c.source:
            p.add_run(f"（无效引用：{c.problem or '不对应任何资料'}）")
            continue
        where = " › ".join(x for x in (section_path(c), location_label(c)) if x)
        p.add_run(f"{where}（{c.source}）")
        if not c.verified:
            p.add_run(f"（未核实：{c.problem}）")
        if c.quote:
            document.add_paragraph(_plain(c.quote)[:300], style="Source Quote")


def _table(document: Any, header: tuple[str, ...], rows: Sequence[tuple[str, ...]]) -> None:
    from docx.enum.table import WD_TABLE_ALIGNMENT

    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        _cell(cell, text, bold=True)
    for row in rows:
        for cell, text in zip(table.add_row().cells, row, strict=True):
            _cell(cell, _plain(text), superscript=bool(MARKER.fullmatch(text)))


def _cell(cell: Any, text: str, *, bold: bool = False, superscript: bool = False) -> None:
    from docx.shared import Pt

    paragraph = cell.paragraphs[0]
    paragraph.paragraph_format.line_spacing = 1.0
    run = paragraph.add_run(text)
    run.font.size = Pt(TABLE_PT)
    run.bold = bold
    run.font.superscript = superscript


def _chinese_number(n: int) -> str:
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    if n < 20:
        return "十" + (digits[n % 10] if n % 10 else "")
    return digits[n // 10] + "十" + (digits[n % 10] if n % 10 else "")


# --- layout ----------------------------------------------------------------------------------------------


def _page(document: Any) -> None:
    """A4 with the 公文 margins: top 37 mm, bottom 35 mm, left 28 mm, right 26 mm."""
    from docx.shared import Mm

    for section in document.sections:
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin, section.bottom_margin = Mm(37), Mm(35)
        section.left_margin, section.right_margin = Mm(28), Mm(26)
        section.footer_distance = Mm(20)


def _font(style_or_run: Any, name: str, size: float | None = None, *, bold: bool | None = None) -> None:
    """Set the East Asian and Latin fonts (both slots: CJK text uses w:eastAsia), size and weight, in black."""
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    font = style_or_run.font
    font.name = LATIN_FONT
    if size is not None:
        font.size = Pt(size)
    if bold is not None:
        font.bold = bold
    font.color.rgb = RGBColor(0, 0, 0)
    rpr = style_or_run.element.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), name)
    fonts.set(qn("w:hint"), "eastAsia")
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)  # a theme font would override the names above


def _styles(document: Any) -> None:
    from docx.enum.style import WD_STYLE_TYPE
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.shared import Pt

    styles = document.styles

    def paragraph(style: Any, *, before: float = 0, after: float = 0, indent: bool = False,
                  align: Any = None, exact: bool = True) -> None:
        fmt = style.paragraph_format
        fmt.space_before, fmt.space_after = Pt(before), Pt(after)
        if exact:
            fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
            fmt.line_spacing = Pt(LINE_PT)
        if indent:
            fmt.first_line_indent = Pt(BODY_PT * 2)  # two characters, as 公文 paragraphs start
        if align is not None:
            fmt.alignment = align

    normal = styles["Normal"]
    _font(normal, BODY_FONT, BODY_PT)
    paragraph(normal, indent=True, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    title = styles["Title"]
    _font(title, TITLE_FONT, TITLE_PT, bold=False)
    paragraph(title, before=0, after=LINE_PT / 2, align=WD_ALIGN_PARAGRAPH.CENTER, exact=False)
    title.paragraph_format.line_spacing = 1.2
    title.element.get_or_add_pPr().remove_all("w:pBdr")  # the template's blue rule under the title
    subtitle = styles["Subtitle"]
    _font(subtitle, SUBHEADING_FONT, BODY_PT, bold=False)
    subtitle.font.italic = False
    paragraph(subtitle, after=LINE_PT / 2, align=WD_ALIGN_PARAGRAPH.CENTER)
    for name, font in (("Heading 1", HEADING_FONT), ("Heading 2", SUBHEADING_FONT)):
        heading = styles[name]
        _font(heading, font, HEADING_PT, bold=False)
        heading.font.italic = False
        paragraph(heading, indent=True, align=WD_ALIGN_PARAGRAPH.LEFT)
        heading.paragraph_format.keep_with_next = True
    bullet = styles["List Bullet"]
    _font(bullet, BODY_FONT, BODY_PT)
    paragraph(bullet, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    quote = styles["Quote"]
    _font(quote, SUBHEADING_FONT, BODY_PT)
    quote.font.italic = False
    paragraph(quote, indent=True)
    source = styles.add_style("Source", WD_STYLE_TYPE.PARAGRAPH)
    source.base_style = normal
    _font(source, BODY_FONT, TABLE_PT + 2)
    paragraph(source, before=4, exact=False, align=WD_ALIGN_PARAGRAPH.LEFT)
    source.paragraph_format.first_line_indent = Pt(0)
    source.paragraph_format.line_spacing = 1.15
    source_quote = styles.add_style("Source Quote", WD_STYLE_TYPE.PARAGRAPH)
    source_quote.base_style = source
    _font(source_quote, SUBHEADING_FONT, TABLE_PT)
    source_quote.paragraph_format.left_indent = Pt(TABLE_PT * 2)
    source_quote.paragraph_format.space_before = Pt(0)


def _fallback_fonts(document: Any) -> None:
    """Name each 公文 font in the font table with the font Word should use where it is not installed."""
    from lxml import etree

    part = next(p for p in document.part.package.iter_parts() if str(p.partname) == "/word/fontTable.xml")
    ns = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    root = etree.fromstring(part.blob)
    for name, fallback in FALLBACKS.items():
        font = root.find(f"{{{ns}}}font[@{{{ns}}}name='{name}']")
        if font is None:
            font = etree.SubElement(root, f"{{{ns}}}font", {f"{{{ns}}}name": name})
        for old in font.findall(f"{{{ns}}}altName"):
            font.remove(old)
        font.insert(0, etree.Element(f"{{{ns}}}altName", {f"{{{ns}}}val": fallback}))
        if font.find(f"{{{ns}}}charset") is None:
            etree.SubElement(font, f"{{{ns}}}charset", {f"{{{ns}}}val": "86"})  # GB2312
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _footer_page_number(document: Any) -> None:
    """A centred "— PAGE —" in 宋体 四号 in every page's footer (a PAGE field Word fills in)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    for section in document.sections:
        footer = section.footer
        footer.is_linked_to_previous = False
        paragraph = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.first_line_indent = 0
        _font(paragraph.add_run("— "), "宋体", FOOTER_PT)
        field = OxmlElement("w:fldSimple")
        field.set(qn("w:instr"), " PAGE ")
        number = paragraph.add_run("1")  # shown until Word updates the field
        _font(number, "宋体", FOOTER_PT)
        field.append(number._r)
        paragraph._p.append(field)
        _font(paragraph.add_run(" —"), "宋体", FOOTER_PT)


def _metadata(document: Any, brief: Brief, author: str) -> None:
    """Real document properties: the configured author, now, the topic (not the template's)."""
    props = document.core_properties
    now = datetime.now().replace(microsecond=0)
    props.author = props.last_modified_by = author
    props.created = props.modified = now
    props.title = title_of(brief)
    props.subject = brief.topic
    props.keywords = "简报；规划文件"
    props.comments = "由规划文件问答助手生成；每条要点均注明来源。"
    props.language = "zh-CN"
    props.revision = 1
    thumbnail = [p for p in document.part.package.iter_parts() if str(p.partname).endswith("thumbnail.jpeg")]
    for rel_id, rel in list(document.part.package.rels.items()):
        if thumbnail and rel.target_part is thumbnail[0]:
            document.part.package.rels.pop(rel_id)  # the template's preview picture
