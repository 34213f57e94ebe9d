"""Every format through the real pipeline (hash embedder): a question about each finds the right chunk,
at the right page, section or table row; bad files are skipped with a reason and the rest is ingested."""

from __future__ import annotations

import io
import shutil
import zipfile
from pathlib import Path

import pytest
from make_files import (
    indicator_xlsx,
    legacy_zip,
    ofd_file,
    report_docx,
    scanned_pdf,
    soffice_convert,
    table_pdf,
    text_image,
    text_pdf,
)

from assistant.config import Settings
from assistant.service import Assistant, build_assistant
from ingest.pipeline import ingest_into

HAS_SOFFICE = shutil.which("soffice") is not None
ZIP = "各省报告.zip"


def make_assistant(data_dir: Path, **settings: object) -> Assistant:
    return build_assistant(
        Settings(data_dir=data_dir, embedding_backend="hash", llm_base_url=None, llm_api_key=None, **settings)
    )


def finance_xlsx(path: Path) -> Path:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "财政"
    sheet.append(["项目", "2022年", "2023年"])
    sheet.append(["一般公共预算收入（亿元）", 280, 360])
    book.save(str(path))
    return path


def build_folder(root: Path) -> Path:
    """One folder with a file of every format, a zip bundle, and some bad files."""
    docs = root / "docs"
    work = root / "work"
    docs.mkdir()
    work.mkdir()
    scanned_pdf(docs / "扫描件.pdf", [
        ["第一章 总体要求", "到2025年，全市地区生产总值达到4500亿元。"],
        ["第二章 重点任务", "新建城市轨道交通线路3条，总长86公里。"],
    ])
    text_pdf(docs / "交通规划.pdf", [
        ["第一章 发展基础", "全市公路通车里程达到1.2万公里。"],
        text_image(["第二章 发展目标", "到2025年高铁里程达到200公里。"], width=700),
        ["第三章 保障措施", "加强组织领导。", text_image(["图1 投资结构", "基础设施投资占比45%。"], width=700)],
    ])
    table_pdf(
        docs / "指标表.pdf", ["表1 主要指标"],
        [["指标", "2020年", "2025年"], ["地区生产总值（亿元）", "3200", "4500"], ["常住人口城镇化率（%）", "52", "58"]],
        ["注：数据来源于市统计局。"],
    )
    report_docx(docs / "报告.docx", title="某县2023年政府工作报告", heading="一、2022年工作回顾",
                paragraphs=["全县地区生产总值增长5.2%。", "新增城镇就业1.2万人。"])
    indicator_xlsx(docs / "主要指标.xlsx")
    (docs / "工业.csv").write_bytes("指标,2022年,2023年\n规模以上工业增加值增速（%）,6.1,7.3\n".encode("gbk"))
    ofd_file(docs / "通知.ofd", [
        ["某市数字政府建设方案", "一、总体要求", "坚持整体协同，推进政务数据共享。"],
        ["二、主要目标", "到2025年，政务服务事项全程网办率达到90%。"],
    ], title="某市数字政府建设方案")
    if HAS_SOFFICE:
        old = report_docx(work / "旧报告.docx", title="某乡2021年工作总结", heading="一、农业生产",
                          paragraphs=["全乡粮食总产量达到3.6万吨。"])
        shutil.copy(soffice_convert(old, "doc", work), docs / "旧报告.doc")
        kingsoft = report_docx(work / "金山.docx", title="某区生态环境保护规划", heading="第一章 生态建设",
                               paragraphs=["全区森林覆盖率达到41.5%。"])
        shutil.copy(soffice_convert(kingsoft, "doc", work), docs / "金山.wps")
        shutil.copy(soffice_convert(finance_xlsx(work / "财政.xlsx"), "xls", work), docs / "财政.xls")
        (docs / "损坏.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(range(256)) * 20)
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as archive:
        archive.writestr("附件/指标说明.txt", "附件：统计指标说明。主要指标口径与统计年鉴一致。")
    anhui = report_docx(work / "皖.docx", title="2023年安徽省政府工作报告", heading="一、2022年工作回顾",
                        paragraphs=["安徽省地区生产总值增长3.5%，总量达到4.5万亿元。"])
    legacy_zip(docs / ZIP, {
        "安徽/安徽省政府工作报告.docx": anhui.read_bytes(),
        "江苏/江苏省政府工作报告.txt": "江苏省全年实现地区生产总值12.29万亿元。".encode(),
        "江苏/封面.png": b"\x89PNG....",
        "附件包.zip": inner.getvalue(),
        "内部/密件.txt": "保密内容".encode(),
    }, encrypted=("内部/密件.txt",))
    with zipfile.ZipFile(docs / "恶意.zip", "w") as archive:
        archive.writestr("../../outside.txt", "越界")
    (docs / "坏.ofd").write_bytes(b"PK\x03\x04" + bytes(300))
    (docs / "坏.xlsx").write_bytes(b"PK\x03\x04" + bytes(300))
    (docs / "封面.png").write_bytes(b"\x89PNG....")
    return docs


@pytest.fixture(scope="module")
def kb(tmp_path_factory: pytest.TempPathFactory) -> tuple[Assistant, Path, object]:
    root = tmp_path_factory.mktemp("formats")
    docs = build_folder(root)
    assistant = make_assistant(root / "var")
    report = ingest_into(assistant, [docs])
    return assistant, docs, report


def test_every_format_is_ingested_and_bad_files_have_reasons(kb) -> None:
    assistant, _, report = kb
    sources = {d.source for d in assistant.documents()}
    expected = {
        "扫描件.pdf", "交通规划.pdf", "指标表.pdf", "报告.docx", "主要指标.xlsx", "工业.csv", "通知.ofd",
        f"{ZIP}›安徽›安徽省政府工作报告.docx", f"{ZIP}›江苏›江苏省政府工作报告.txt",
        f"{ZIP}›附件包.zip›附件›指标说明.txt",
    }
    if HAS_SOFFICE:
        expected |= {"旧报告.doc", "金山.wps", "财政.xls"}
    assert sources == expected
    skipped = {Path(p).name: reason for p, reason in report.skipped}
    assert skipped["恶意.zip"] == "zip refused: member path '../../outside.txt' points outside the archive"
    assert skipped["坏.ofd"].startswith("corrupt ofd: ")
    assert skipped["坏.xlsx"].startswith("corrupt xlsx: ")
    assert skipped["封面.png"] == "unsupported type .png"
    assert skipped[f"{ZIP}›江苏›封面.png"] == "unsupported type .png"
    assert skipped[f"{ZIP}›内部›密件.txt"] == "password-protected member, cannot open"
    assert skipped["主要指标.xlsx"] == "hidden sheet “计算” left out"
    if HAS_SOFFICE:
        assert skipped["损坏.doc"].startswith("LibreOffice cannot open this .doc file")
    assert all("\n" not in reason for reason in skipped.values())


CASES = [
    # (question, source, text in the chunk, where it is in the user's file)
    ("全市地区生产总值达到多少亿元", "扫描件.pdf", "4500亿元", "第1页"),
    ("城市轨道交通线路总长多少公里", "扫描件.pdf", "86公里", "第2页"),
    ("高铁里程达到多少公里", "交通规划.pdf", "200公里", "第2页"),
    ("基础设施投资占比多少", "交通规划.pdf", "基础设施投资占比45%", "第3页"),
    ("常住人口城镇化率2025年目标", "指标表.pdf", "常住人口城镇化率（%）\t52\t58", "第1页"),
    ("政务服务事项全程网办率达到多少", "通知.ofd", "全程网办率达到90%", "第2页"),
    ("新增城镇就业多少万人", "报告.docx", "新增城镇就业1.2万人", "第3–4段"),
    ("地区生产总值年均增长多少", "主要指标.xlsx", "地区生产总值（亿元）\t3200\t4500\t6.5%", "工作表“指标”第5行"),
    ("规模以上工业增加值增速", "工业.csv", "规模以上工业增加值增速（%）\t6.1\t7.3", "第2行"),
    ("安徽省地区生产总值增长多少", f"{ZIP}›安徽›安徽省政府工作报告.docx", "增长3.5%", "第3段"),
    ("统计指标说明的口径", f"{ZIP}›附件包.zip›附件›指标说明.txt", "口径与统计年鉴一致", "第1行"),
]
OFFICE_CASES = [
    ("全乡粮食总产量达到多少", "旧报告.doc", "3.6万吨", "第3段"),
    ("全区森林覆盖率", "金山.wps", "41.5%", "第3段"),
    ("一般公共预算收入2023年", "财政.xls", "一般公共预算收入（亿元）\t280\t360", "工作表“财政”第2行"),
]


@pytest.mark.parametrize(("question", "source", "text", "where"), CASES + OFFICE_CASES, ids=[c[1] for c in CASES + OFFICE_CASES])
def test_a_question_about_each_format_finds_its_chunk_and_where_it_is(
    kb, question: str, source: str, text: str, where: str
) -> None:
    assistant, _, _ = kb
    if source in {c[1] for c in OFFICE_CASES} and not HAS_SOFFICE:
        pytest.skip("LibreOffice not installed")
    hits = [r.chunk for r in assistant.retrieve(question, k=3)]
    found = [c for c in hits if c.source == source and text in c.text]
    assert found, [(c.source, c.text[:40]) for c in hits]
    assert found[0].location is not None and found[0].location.label() == where  # read back from Chroma


def test_answers_carry_the_location_in_json(kb) -> None:
    assistant, _, _ = kb
    data = assistant.ask("到2025年高铁里程达到多少公里").to_dict()
    context = next(c for c in data["contexts"] if c["source"] == "交通规划.pdf")
    assert context["location"] == {"page_start": 2, "page_end": 2, "label": "第2页"}
    member = next(c for c in assistant.ask("安徽省地区生产总值增长多少").to_dict()["contexts"] if ZIP in c["source"])
    assert member["location"]["member"] == "安徽/安徽省政府工作报告.docx"
    for citation in data["citations"]:
        assert citation["location"] is None or citation["location"]["label"]


def test_table_rows_of_pdf_and_sheets_carry_their_headers(kb) -> None:
    assistant, _, _ = kb
    pdf_row = next(r.chunk for r in assistant.retrieve("常住人口城镇化率2025年目标", k=3) if r.chunk.source == "指标表.pdf")
    assert pdf_row.kind == "table_row"
    assert "指标：常住人口城镇化率（%）；2020年：52；2025年：58" in pdf_row.index_text
    pdf_chunks = [c for c in assistant.store.all_chunks() if c.source == "指标表.pdf"]
    assert sum("4500" in c.text for c in pdf_chunks) == 1  # the table's text is not repeated as body text
    sheet_row = next(r.chunk for r in assistant.retrieve("地区生产总值年均增长多少", k=3) if r.chunk.source == "主要指标.xlsx")
    assert sheet_row.kind == "table_row" and sheet_row.section[0] == "指标"
    assert "2025年·年均增长：6.5%" in sheet_row.index_text
    if HAS_SOFFICE:
        xls = next(r.chunk for r in assistant.retrieve("一般公共预算收入2023年", k=3) if r.chunk.source == "财政.xls")
        assert xls.kind == "table_row" and xls.section_path.startswith("财政")
        assert "项目：一般公共预算收入（亿元）；2022年：280；2023年：360" in xls.index_text


def test_removing_a_zip_removes_its_members_and_a_member_gone_from_the_zip_is_dropped(tmp_path: Path, kb) -> None:
    _, docs, _ = kb
    bundle = tmp_path / ZIP
    shutil.copy(docs / ZIP, bundle)
    assistant = make_assistant(tmp_path / "var")
    first = ingest_into(assistant, [bundle])
    assert first.files == 3
    members = {s for s in assistant.store.read_manifest() if s.startswith(ZIP)}
    assert len(members) == 3

    again = ingest_into(assistant, [bundle])  # unchanged: nothing parsed or embedded again
    assert (again.unchanged_files, again.embedded) == (3, 0)

    with zipfile.ZipFile(bundle, "w") as archive:  # the bundle now holds one report only
        archive.writestr("江苏/江苏省政府工作报告.txt", "江苏省全年实现地区生产总值12.29万亿元。")
    ingest_into(assistant, [bundle])
    assert {s for s in assistant.store.read_manifest()} == {f"{ZIP}›江苏›江苏省政府工作报告.txt"}
    assert {c.source for c in assistant.store.all_chunks()} == {f"{ZIP}›江苏›江苏省政府工作报告.txt"}
    assert assistant.source_lines(f"{ZIP}›江苏›江苏省政府工作报告.txt") == ["江苏省全年实现地区生产总值12.29万亿元。"]

    assert assistant.remove(ZIP) == [f"{ZIP}›江苏›江苏省政府工作报告.txt"]
    assert assistant.store.count() == 0 and assistant.store.read_manifest() == {}


def test_ocr_disabled_skips_scans_with_the_setting_named(tmp_path: Path, kb) -> None:
    _, docs, _ = kb
    folder = tmp_path / "pdfs"
    folder.mkdir()
    for name in ("扫描件.pdf", "交通规划.pdf"):
        shutil.copy(docs / name, folder / name)
    assistant = make_assistant(tmp_path / "var", ocr=False)
    report = ingest_into(assistant, [folder])
    assert report.files == 1
    assert sorted((Path(p).name, r) for p, r in report.skipped) == [
        ("交通规划.pdf", "page 2: no text layer (scanned), OCR is disabled (ASSISTANT_OCR=false)"),
        ("交通规划.pdf", "page 3: images with no text layer left unread, OCR is disabled (ASSISTANT_OCR=false)"),
        ("扫描件.pdf", "PDF has no text layer (scanned?) and OCR is disabled (ASSISTANT_OCR=false)"),
    ]
