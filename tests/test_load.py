"""Tests for ingest.load: every fixture is built at run time in tmp_path."""

from __future__ import annotations

import random
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from ingest.load import SUPPORTED, LoadError, iter_files, load_file

MB = 1024 * 1024
LIMIT = 50 * MB
CORPUS = Path(__file__).resolve().parents[1] / "data" / "corpus"

PARAGRAPH = (
    "“十四五”时期是我国全面建成小康社会、实现第一个百年奋斗目标之后，乘势而上开启全面建设"
    "社会主义现代化国家新征程、向第二个百年奋斗目标进军的第一个五年。\n"
    "第二章　主要目标\n"
    "到2025年，地区生产总值年均增长6.5%左右，城镇新增就业5万人以上。\n"
)


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def reason_of(path: Path, *, max_bytes: int = LIMIT) -> str:
    with pytest.raises(LoadError) as info:
        load_file(path, max_bytes=max_bytes)
    reason = info.value.reason
    assert reason and "\n" not in reason and "Traceback" not in reason
    return reason


def cjk_font() -> Path | None:
    """A TrueType font with Chinese glyphs, if the machine has one (fonts-wqy-microhei)."""
    if shutil.which("fc-list"):
        out = subprocess.run(
            ["fc-list", ":lang=zh", "file"], check=False, capture_output=True, text=True
        ).stdout
        for line in out.splitlines():
            path = Path(line.split(":")[0].strip())
            if path.suffix.lower() in (".ttf", ".ttc", ".otf") and path.exists():
                return path
    return None


# --- plain text -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16", "utf-16-le", "utf-16-be"], ids=lambda e: e
)
def test_text_encodings_load_to_the_same_text(tmp_path: Path, encoding: str) -> None:
    loaded = load_file(write(tmp_path, "plan.txt", PARAGRAPH.encode(encoding)), max_bytes=LIMIT)
    assert loaded.text == PARAGRAPH
    assert (loaded.source, loaded.kind, loaded.page_of_line) == ("plan.txt", "txt", None)


@pytest.mark.parametrize("text", ["总体要求", "政府工作报告"])
def test_short_gbk_text_is_not_misdetected(tmp_path: Path, text: str) -> None:
    # charset-normalizer alone reads these bytes as Big5 / CP949; strict GB18030 comes first.
    assert load_file(write(tmp_path, "short.txt", text.encode("gbk")), max_bytes=LIMIT).text == text


def test_utf8_with_one_bad_byte_keeps_its_text(tmp_path: Path) -> None:
    data = PARAGRAPH.encode()
    loaded = load_file(write(tmp_path, "cut.txt", data[:30] + b"\xff" + data[30:]), max_bytes=LIMIT)
    assert loaded.text == PARAGRAPH[:10] + "\ufffd" + PARAGRAPH[10:]


def test_newlines_are_normalised(tmp_path: Path) -> None:
    loaded = load_file(
        write(tmp_path, "crlf.md", "# 标题\r\n正文一\r正文二\u2028三\n".encode()), max_bytes=LIMIT
    )
    assert loaded.text == "# 标题\n正文一\n正文二\n三\n"
    assert loaded.kind == "md"
    assert loaded.text.split("\n")[:-1] == loaded.text.splitlines()


def test_markdown_is_kept_as_written(tmp_path: Path) -> None:
    source = "# 第一章 总体要求\n\n**发展目标**：到2025年……\n\n| 指标 | 目标 |\n|---|---|\n"
    assert load_file(write(tmp_path, "a.md", source.encode()), max_bytes=LIMIT).text == source


# --- docx -------------------------------------------------------------------------------------


def make_docx(path: Path) -> Path:
    import docx
    from docx.enum.style import WD_STYLE_TYPE
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    doc = docx.Document()
    doc.add_heading("某市国民经济和社会发展第十四个五年规划", level=0)
    doc.add_heading("第一章 发展基础", level=1)
    doc.add_paragraph("“十三五”时期，全市经济实力显著增强。")
    doc.add_paragraph("")
    doc.add_heading("第一节 主要指标", level=2)
    table = doc.add_table(rows=3, cols=3)
    for r, row in enumerate(
        [
            ["指标", "2020年", "2025年"],
            ["地区生产总值（亿元）", "3200", "4500"],
            ["常住人口城镇化率（%）", "52", "58"],
        ]
    ):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    doc.add_paragraph("表后说明文字。")
    merged = doc.add_table(rows=2, cols=3)
    merged.cell(0, 0).merge(merged.cell(0, 2)).text = "专栏1 重大项目"
    for c, value in enumerate(["项目", "投资", "年限"]):
        merged.cell(1, c).text = value
    custom = doc.styles.add_style("标题 3", WD_STYLE_TYPE.PARAGRAPH)
    assert custom.name == "标题 3"
    doc.add_paragraph("一、加快产业升级", style="标题 3")
    outlined = doc.add_paragraph("（一）大纲级别标题")
    level = OxmlElement("w:outlineLvl")
    level.set(qn("w:val"), "3")
    outlined._p.get_or_add_pPr().append(level)
    doc.save(str(path))
    return path


def test_docx_headings_tables_and_order(tmp_path: Path) -> None:
    loaded = load_file(make_docx(tmp_path / "规划.docx"), max_bytes=LIMIT)
    lines = loaded.text.split("\n")
    assert loaded.kind == "docx" and loaded.source == "规划.docx"
    assert lines == [
        "某市国民经济和社会发展第十四个五年规划",
        "第一章 发展基础",
        "“十三五”时期，全市经济实力显著增强。",
        "",
        "第一节 主要指标",
        "",
        "指标\t2020年\t2025年",
        "地区生产总值（亿元）\t3200\t4500",
        "常住人口城镇化率（%）\t52\t58",
        "",
        "表后说明文字。",
        "",
        "专栏1 重大项目",
        "项目\t投资\t年限",
        "",
        "一、加快产业升级",
        "（一）大纲级别标题",
    ]
    assert loaded.headings == {0: 0, 1: 1, 4: 2, 15: 3, 16: 4}


def test_corrupt_docx(tmp_path: Path) -> None:
    junk = random.Random(1).randbytes(4000)
    assert reason_of(write(tmp_path, "bad.docx", junk)).startswith("corrupt docx: ")
    not_word = tmp_path / "zip.docx"
    with zipfile.ZipFile(not_word, "w") as archive:
        archive.writestr("hello.txt", "not a word document")
    assert reason_of(not_word).startswith("corrupt docx: ")


# --- pdf --------------------------------------------------------------------------------------


def test_pdf_lines_carry_page_numbers(tmp_path: Path) -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_font("Helvetica", size=12)
    for page in (1, 2):
        pdf.add_page()
        pdf.cell(text=f"Chapter {page} Overview", new_x="LMARGIN", new_y="NEXT")
        pdf.cell(text=f"Target for page {page} is growth.", new_x="LMARGIN", new_y="NEXT")
    path = tmp_path / "report.pdf"
    pdf.output(str(path))

    loaded = load_file(path, max_bytes=LIMIT)
    lines = loaded.text.split("\n")
    assert loaded.kind == "pdf" and loaded.page_of_line is not None
    assert len(loaded.page_of_line) == len(lines)
    by_page = {line: page for line, page in zip(lines, loaded.page_of_line, strict=True)}
    assert by_page["Chapter 1 Overview"] == 1
    assert by_page["Target for page 2 is growth."] == 2
    assert loaded.page_of_line == sorted(loaded.page_of_line)


def chinese_pdf(path: Path, pages: list[list[str]]) -> Path:
    """Write a PDF with a text layer in Chinese, one list of lines per page (skips without a CJK font)."""
    font = cjk_font()
    if font is None:
        pytest.skip("no CJK font installed (apt-get install fonts-wqy-microhei)")
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_font("cjk", fname=str(font))
    pdf.set_font("cjk", size=12)
    for lines in pages:
        pdf.add_page()
        for text in lines:
            pdf.cell(text=text, new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))
    return path


def test_chinese_pdf(tmp_path: Path) -> None:
    path = chinese_pdf(tmp_path / "规划.pdf", [["第一章 指导思想"], ["第二章 发展目标"]])
    loaded = load_file(path, max_bytes=LIMIT)
    assert loaded.text.split("\n") == ["第一章 指导思想", "第二章 发展目标"]
    assert loaded.page_of_line == [1, 2]


def test_pdf_problems(tmp_path: Path) -> None:
    from fpdf import FPDF

    corrupt = write(tmp_path, "corrupt.pdf", b"%PDF-1.4\n" + random.Random(2).randbytes(3000))
    assert reason_of(corrupt).startswith("corrupt pdf: ")

    scanned = FPDF()
    scanned.add_page()
    scanned.rect(20, 20, 100, 60, style="F")
    scanned.output(str(tmp_path / "scan.pdf"))
    assert reason_of(tmp_path / "scan.pdf") == "PDF has no text layer (scanned?)"

    locked = FPDF()
    locked.set_encryption(owner_password="owner", user_password="secret")
    locked.add_page()
    locked.set_font("Helvetica")
    locked.cell(text="secret plan")
    locked.output(str(tmp_path / "locked.pdf"))
    assert reason_of(tmp_path / "locked.pdf").startswith("encrypted PDF")


# --- html -------------------------------------------------------------------------------------

HTML = """<!DOCTYPE html>
<html><head><meta charset="gbk"><title>门户网站</title>
<style>p { color: red; }</style><script>var x = "脚本内容";</script></head>
<body>
<header>网站导航 首页</header>
<nav><a href="/">返回首页</a></nav>
<h1>某市“十四五”规划</h1>
<p>规划期为2021&mdash;2025年，展望到2035年&nbsp;&amp;&nbsp;远景。</p>
<!-- 注释不应出现 -->
<h2>第一章　<span>发展环境</span></h2>
<div>第一行<br>第二行 <b>加粗</b>文字</div>
<table>
  <thead><tr><th>指标</th><th>目标</th></tr></thead>
  <tbody><tr><td>GDP增速</td><td><p>6%</p></td></tr>
  <tr><td>研发投入</td><td>2.5%</td></tr></tbody>
</table>
<ul><li>条目一</li><li>条目二</li></ul>
<footer>版权所有 某市人民政府</footer>
</body></html>
"""


@pytest.mark.parametrize("encoding", ["utf-8", "gbk"])
def test_html_blocks_headings_tables(tmp_path: Path, encoding: str) -> None:
    loaded = load_file(write(tmp_path, "page.htm", HTML.encode(encoding)), max_bytes=LIMIT)
    lines = loaded.text.split("\n")
    assert loaded.kind == "html"
    assert lines == [
        "某市“十四五”规划",
        "规划期为2021—2025年，展望到2035年 & 远景。",
        "第一章 发展环境",
        "第一行",
        "第二行 加粗文字",
        "",
        "指标\t目标",
        "GDP增速\t6%",
        "研发投入\t2.5%",
        "",
        "条目一",
        "条目二",
    ]
    assert loaded.headings == {0: 1, 2: 2}
    for noise in ("脚本", "color", "导航", "返回首页", "版权", "注释", "门户网站"):
        assert noise not in loaded.text


# --- bad inputs -------------------------------------------------------------------------------


def test_bad_inputs_raise_one_line_reasons(tmp_path: Path) -> None:
    assert reason_of(write(tmp_path, "empty.txt", b"")) == "empty file"
    assert reason_of(write(tmp_path, "blank.md", b" \n\r\n ")) == "empty file"
    assert reason_of(write(tmp_path, "garbage.txt", random.Random(3).randbytes(5000))) == (
        "binary file, not text"
    )
    assert reason_of(write(tmp_path, "controls.txt", bytes(range(1, 32)) * 40)) == "binary file, not text"
    assert reason_of(write(tmp_path, "mojibake.txt", bytes(range(128, 256)) * 4)) == (
        "cannot decode text (tried UTF-8, GB18030)"
    )
    assert reason_of(write(tmp_path, "big.txt", b"x" * 100), max_bytes=10) == (
        "file too large (100 bytes > 10 bytes)"
    )
    assert reason_of(write(tmp_path, "image.png", b"\x89PNG....")) == "unsupported type .png"
    assert reason_of(write(tmp_path, "README", b"text")) == "unsupported type (no extension)"
    assert reason_of(tmp_path / "missing.txt") == "no such file or directory"


def test_oversized_file_reason_in_megabytes(tmp_path: Path) -> None:
    path = tmp_path / "huge.pdf"
    with path.open("wb") as handle:  # sparse: the size is checked before anything is read
        handle.truncate(int(63.2 * MB))
    assert reason_of(path) == "file too large (63.2 MB > 50 MB)"


# --- iter_files -------------------------------------------------------------------------------


def test_iter_files_expands_folders_and_lists_what_it_leaves_out(tmp_path: Path) -> None:
    root = tmp_path / "docs"
    for name in [
        "b.txt",
        "a.md",
        "sub/c.DOCX",
        "sub/deeper/d.pdf",
        "page.html",
        "old.htm",
        "指标.xlsx",
        "bundle.zip",
        "image.png",
        "notes",
        ".hidden.txt",
        ".git/config.txt",
        "~$lock.docx",
    ]:
        write(root, name, b"x")
    single = write(tmp_path, "single.txt", b"x")
    other = write(tmp_path, "photo.jpg", b"x")

    files, problems = iter_files([root, single, tmp_path / "nope", root / "a.md", other])
    rel = [p.relative_to(tmp_path).as_posix() for p in files]
    assert rel == [
        "docs/a.md",
        "docs/b.txt",
        "docs/bundle.zip",
        "docs/old.htm",
        "docs/page.html",
        "docs/sub/c.DOCX",
        "docs/sub/deeper/d.pdf",
        "docs/指标.xlsx",
        "single.txt",
    ]
    # a file in a folder that no reader takes is listed with its reason, not dropped in silence
    assert problems == [
        (str(root / "image.png"), "unsupported type .png"),
        (str(root / "notes"), "unsupported type (no extension)"),
        (str(tmp_path / "nope"), "no such file or directory"),
        (str(other), "unsupported type .jpg"),
    ]
    assert {".txt", ".md", ".docx", ".doc", ".wps", ".pdf", ".html", ".htm", ".xlsx", ".xls", ".csv", ".ofd"} <= (
        SUPPORTED
    )


# --- the real sample corpus -------------------------------------------------------------------


@pytest.mark.parametrize("path", sorted(CORPUS.glob("*.txt")), ids=lambda p: p.name)
def test_corpus_files_load_verbatim(path: Path) -> None:
    raw = path.read_bytes().decode("utf-8")
    loaded = load_file(path, max_bytes=LIMIT)
    assert loaded.text.strip()
    assert loaded.text[:40] == raw[:40]
    assert loaded.text == raw  # the corpus is UTF-8 with \n line ends: nothing may change
    assert (loaded.source, loaded.kind) == (path.name, "txt")
