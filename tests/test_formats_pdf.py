"""PDF reader: scanned pages OCR'd page by page, mixed PDFs, images in text pages, ruled tables, OCR off."""

from __future__ import annotations

from pathlib import Path

from make_files import scanned_pdf, table_pdf, text_image, text_pdf

from ingest.load import LoadError, LoadOptions, load_file

LIMIT = 50 * 1024 * 1024
NO_OCR = LoadOptions(ocr=False)

SCANNED = [
    ["第一章 总体要求", "到2025年，全市地区生产总值达到4500亿元。"],
    ["第二章 重点任务", "新建城市轨道交通线路3条，总长86公里。"],
]


def by_page(loaded) -> dict[int, list[str]]:
    pages: dict[int, list[str]] = {}
    for line, page in zip(loaded.text.split("\n"), loaded.page_of_line, strict=True):
        if line.strip():
            pages.setdefault(page, []).append(line)
    return pages


def test_scanned_pdf_is_read_by_ocr_page_by_page(tmp_path: Path) -> None:
    loaded = load_file(scanned_pdf(tmp_path / "扫描件.pdf", SCANNED), max_bytes=LIMIT)
    pages = by_page(loaded)
    assert sorted(pages) == [1, 2]
    assert "到2025年，全市地区生产总值达到4500亿元。" in pages[1]
    assert "新建城市轨道交通线路3条，总长86公里。" in pages[2]
    assert pages[1][0].replace(" ", "") == "第一章总体要求"  # OCR may drop the space; the heading stays one line
    assert loaded.notes == []


def test_mixed_pdf_ocrs_only_pages_and_images_without_text(tmp_path: Path) -> None:
    path = text_pdf(
        tmp_path / "交通规划.pdf",
        [
            ["第一章 发展基础", "全市公路通车里程达到1.2万公里。"],
            text_image(["第二章 发展目标", "到2025年高铁里程达到200公里。"], width=700),  # a scanned page
            ["第三章 保障措施", "加强组织领导。", text_image(["图1 投资结构", "基础设施投资占比45%。"], width=700)],
        ],
        title="某市综合交通运输发展规划",
    )
    loaded = load_file(path, max_bytes=LIMIT)
    pages = by_page(loaded)
    assert pages[1] == ["第一章 发展基础", "全市公路通车里程达到1.2万公里。"]  # the text layer, as written
    assert "到2025年高铁里程达到200公里。" in pages[2]
    assert pages[3][:2] == ["第三章 保障措施", "加强组织领导。"]
    assert "基础设施投资占比45%。" in pages[3]  # an image of text inside a text page
    assert loaded.properties["title"] == "某市综合交通运输发展规划"

    # OCR off: the text pages are kept, the scanned page is named as left out, with the setting to change
    off = load_file(path, max_bytes=LIMIT, options=NO_OCR)
    assert sorted(by_page(off)) == [1, 3]
    assert "基础设施投资占比" not in off.text
    assert off.notes == [
        "page 2: no text layer (scanned), OCR is disabled (ASSISTANT_OCR=false)",
        "page 3: images with no text layer left unread, OCR is disabled (ASSISTANT_OCR=false)",
    ]


def test_scanned_pdf_with_ocr_disabled_is_skipped_with_the_setting_named(tmp_path: Path) -> None:
    path = scanned_pdf(tmp_path / "扫描件.pdf", SCANNED)
    try:
        load_file(path, max_bytes=LIMIT, options=NO_OCR)
    except LoadError as exc:
        assert exc.reason == "PDF has no text layer (scanned?) and OCR is disabled (ASSISTANT_OCR=false)"
    else:
        raise AssertionError("a scanned PDF without OCR has no text")


def test_pdf_table_rows_are_tab_separated_and_not_repeated_as_text(tmp_path: Path) -> None:
    path = table_pdf(
        tmp_path / "指标.pdf",
        ["表1 主要指标", "以下为规划目标。"],
        [["指标", "2020年", "2025年"], ["地区生产总值（亿元）", "3200", "4500"], ["常住人口城镇化率（%）", "52", "58"]],
        ["注：数据来源于市统计局。"],
    )
    loaded = load_file(path, max_bytes=LIMIT)
    lines = [line for line in loaded.text.split("\n") if line]
    assert lines == [
        "表1 主要指标",
        "以下为规划目标。",
        "指标\t2020年\t2025年",
        "地区生产总值（亿元）\t3200\t4500",
        "常住人口城镇化率（%）\t52\t58",
        "注：数据来源于市统计局。",
    ]
    assert set(loaded.page_of_line) == {1}


def test_pdf_metadata_becomes_properties(tmp_path: Path) -> None:
    loaded = load_file(text_pdf(tmp_path / "a.pdf", [["正文内容一行。"]], title="某省“十四五”规划纲要"), max_bytes=LIMIT)
    assert loaded.properties["title"] == "某省“十四五”规划纲要"
    assert loaded.properties["created"][:2] == "20"


def test_an_aes_pdf_with_only_an_owner_password_is_read_and_one_needing_a_password_is_skipped(tmp_path: Path) -> None:
    """Restricted government PDFs are AES-encrypted with an owner password only: they open without one."""
    from pypdf import PdfReader, PdfWriter

    plain = text_pdf(tmp_path / "公开.pdf", [SCANNED[0]])
    for user, name in (("", "受限.pdf"), ("口令", "加密.pdf")):
        writer = PdfWriter(clone_from=PdfReader(plain))
        writer.encrypt(user_password=user, owner_password="owner", algorithm="AES-256")
        writer.write(tmp_path / name)
    assert "4500亿元" in load_file(tmp_path / "受限.pdf", max_bytes=LIMIT, options=NO_OCR).text
    try:
        load_file(tmp_path / "加密.pdf", max_bytes=LIMIT, options=NO_OCR)
    except LoadError as exc:
        assert "password" in exc.reason
    else:
        raise AssertionError("a PDF that needs a password was read")
