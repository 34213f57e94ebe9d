"""Builders of the document fixtures the format tests ingest: every file is made at run time."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from test_load import cjk_font

OFD_NS = "http://www.ofdspec.org/2016"


def need_font() -> Path:
    """The CJK font fixtures are drawn with (skips the test without one)."""
    font = cjk_font()
    if font is None:
        pytest.skip("no CJK font installed (apt-get install fonts-wqy-microhei)")
    return font


def need_soffice() -> str:
    """LibreOffice, which makes the .doc/.wps/.xls fixtures (skips the test without it)."""
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice not installed (bash scripts/setup.sh --test installs it)")
    return soffice


def text_image(lines: list[str], *, width: int = 900, size: int = 30, margin: int = 60) -> object:
    """A white page image with the lines drawn in black (a scan of a printed page)."""
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype(str(need_font()), size)
    height = margin * 2 + len(lines) * size * 2
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    for n, line in enumerate(lines):
        draw.text((margin, margin + n * size * 2), line, font=font, fill="black")
    return image


def scanned_pdf(path: Path, pages: list[list[str]]) -> Path:
    """An image-only PDF: each page a picture of its lines, no text layer."""
    images = [text_image(lines) for lines in pages]
    images[0].save(path, save_all=True, append_images=images[1:], resolution=150)
    return path


def text_pdf(path: Path, pages: list[list[str] | object], *, title: str | None = None) -> Path:
    """A PDF with a Chinese text layer; a page given as an image (PIL) is a scanned page instead."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_font("cjk", fname=str(need_font()))
    pdf.set_font("cjk", size=12)
    if title:
        pdf.set_title(title)
    for page in pages:
        pdf.add_page()
        if isinstance(page, list):
            for text in page:
                if isinstance(text, str):
                    pdf.cell(text=text, new_x="LMARGIN", new_y="NEXT")
                else:  # an image of text inside a text page
                    pdf.image(text, w=150)
        else:
            pdf.image(page, x=0, y=0, w=pdf.w)
    pdf.output(str(path))
    return path


def table_pdf(path: Path, before: list[str], rows: list[list[str]], after: list[str]) -> Path:
    """A PDF page with text, a ruled table, then more text."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_font("cjk", fname=str(need_font()))
    pdf.set_font("cjk", size=11)
    pdf.add_page()
    for text in before:
        pdf.cell(text=text, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    with pdf.table(first_row_as_headings=False) as table:
        for cells in rows:
            row = table.row()
            for cell in cells:
                row.cell(cell)
    pdf.ln(4)
    for text in after:
        pdf.cell(text=text, new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))
    return path


def report_docx(path: Path, *, title: str, heading: str, paragraphs: list[str]) -> Path:
    """A small .docx with a core-properties title, a Title paragraph, a heading and body paragraphs."""
    import docx

    doc = docx.Document()
    doc.core_properties.title = title
    doc.core_properties.author = "某县人民政府办公室"
    doc.add_heading(title, level=0)
    doc.add_heading(heading, level=1)
    for text in paragraphs:
        doc.add_paragraph(text)
    doc.save(str(path))
    return path


def soffice_convert(source: Path, fmt: str, out_dir: Path) -> Path:
    """Convert a file with LibreOffice (a test's own profile), returning the new file."""
    soffice = need_soffice()
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [soffice, f"-env:UserInstallation={Path(profile).as_uri()}", "--headless", "--norestore",
             "--convert-to", fmt, "--outdir", str(out_dir), str(source)],
            check=True, capture_output=True, timeout=180,
        )
    return out_dir / f"{source.stem}.{fmt}"


def indicator_xlsx(path: Path) -> Path:
    """An indicator workbook: a title row merged across, a two-line header with a merged parent cell,
    percent and decimal formats, an empty column and row, a second sheet and a hidden one."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "指标"
    sheet["A1"] = "“十四五”经济社会发展主要指标"
    sheet.merge_cells("A1:E1")
    sheet.append([])  # an empty row
    sheet.append(["指标", "2020年", None, "2025年", None])
    sheet.merge_cells("D3:E3")
    sheet.append([None, "实际", None, "目标", "年均增长"])
    sheet.append(["地区生产总值（亿元）", 3200, None, 4500, 0.065])
    sheet.append(["研发经费投入强度（%）", 2.1, None, 2.8, None])
    sheet.append(["常住人口城镇化率（%）", 52.34, None, 58, None])
    sheet["E5"].number_format = "0.0%"
    sheet["B7"].number_format = "0.0"
    projects = book.create_sheet("项目")
    projects.append(["项目名称", "总投资（亿元）", "建设年限"])
    projects.append(["城市轨道交通三号线", 260, "2021—2025"])
    hidden = book.create_sheet("计算")
    hidden.append(["中间值", 1])
    hidden.sheet_state = "hidden"
    book.properties.title = "某市“十四五”主要指标表"
    book.save(str(path))
    return path


def ofd_file(path: Path, pages: list[list[str]], *, title: str | None = None, template: str | None = None) -> Path:
    """A minimal OFD package (GB/T 33190): OFD.xml, Document.xml, public resources and one content
    file per page, each line a TextObject with its TextCode; an optional template page (a header)."""
    size = 5.0  # mm
    files: dict[str, str] = {}
    info = "<ofd:DocID>7a1f2c</ofd:DocID>" + (f"<ofd:Title>{escape(title)}</ofd:Title>" if title else "")
    info += "<ofd:Author>某市人民政府办公室</ofd:Author><ofd:CreationDate>2022-03-01</ofd:CreationDate>"
    head = '<?xml version="1.0" encoding="UTF-8"?>'
    files["OFD.xml"] = (
        f'{head}<ofd:OFD xmlns:ofd="{OFD_NS}" Version="1.0" DocType="OFD"><ofd:DocBody>'
        f"<ofd:DocInfo>{info}</ofd:DocInfo><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>"
    )
    tpl = '<ofd:TemplatePage ID="90" BaseLoc="Tpls/Tpl_0/Content.xml"/>' if template else ""
    if template:
        files["Doc_0/Tpls/Tpl_0/Content.xml"] = (
            f'{head}<ofd:Page xmlns:ofd="{OFD_NS}"><ofd:Content><ofd:Layer ID="91">'
            f'<ofd:TextObject ID="92" Boundary="20 10 170 8" Font="3" Size="{size}">'
            f'<ofd:TextCode X="0" Y="{size}">{escape(template)}</ofd:TextCode></ofd:TextObject>'
            "</ofd:Layer></ofd:Content></ofd:Page>"
        )
    refs = "".join(f'<ofd:Page ID="{10 + i}" BaseLoc="Pages/Page_{i}/Content.xml"/>' for i in range(len(pages)))
    files["Doc_0/Document.xml"] = (
        f'{head}<ofd:Document xmlns:ofd="{OFD_NS}"><ofd:CommonData><ofd:MaxUnitID>999</ofd:MaxUnitID>'
        "<ofd:PageArea><ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox></ofd:PageArea>"
        f"<ofd:PublicRes>PublicRes.xml</ofd:PublicRes>{tpl}</ofd:CommonData><ofd:Pages>{refs}</ofd:Pages>"
        "</ofd:Document>"
    )
    files["Doc_0/PublicRes.xml"] = (
        f'{head}<ofd:Res xmlns:ofd="{OFD_NS}" BaseLoc="Res"><ofd:Fonts>'
        '<ofd:Font ID="3" FontName="宋体" FamilyName="宋体"/></ofd:Fonts></ofd:Res>'
    )
    unit = 100
    for i, lines in enumerate(pages):
        objects = []
        for n, line in enumerate(lines):
            unit += 1
            delta = " ".join([str(size)] * (len(line) - 1))
            objects.append(
                f'<ofd:TextObject ID="{unit}" Boundary="20 {30 + n * 8} 170 {size + 1}" Font="3" Size="{size}">'
                f'<ofd:TextCode X="0" Y="{size}" DeltaX="{delta}">{escape(line)}</ofd:TextCode></ofd:TextObject>'
            )
        use_tpl = '<ofd:Template TemplateID="90" ZOrder="Background"/>' if template else ""
        files[f"Doc_0/Pages/Page_{i}/Content.xml"] = (
            f'{head}<ofd:Page xmlns:ofd="{OFD_NS}">{use_tpl}<ofd:Content><ofd:Layer ID="{50 + i}">'
            f'{"".join(objects)}</ofd:Layer></ofd:Content></ofd:Page>'
        )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return path


def legacy_zip(path: Path, members: dict[str, bytes], *, encoding: str = "gbk", encrypted: tuple[str, ...] = ()) -> Path:
    """A zip as Windows tools write it: member names in a legacy code page, no UTF-8 flag.

    Python's zipfile always flags non-ASCII names as UTF-8, so the archive is written with ASCII
    stand-ins of the same byte length and the names patched in afterwards (lengths and offsets hold).
    Members named in `encrypted` get the "encrypted" flag set, as a password-protected member has.
    """
    stand_ins: dict[bytes, bytes] = {}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for n, (name, data) in enumerate(members.items()):
            raw = name.encode(encoding)
            stand_in = f"~{n:03d}".encode().ljust(len(raw), b"_")[: len(raw)]
            assert len(raw) >= 4, "names this short could not be told apart"
            stand_ins[stand_in] = raw
            archive.writestr(stand_in.decode(), data)
    blob = bytearray(path.read_bytes())
    for stand_in, raw in stand_ins.items():
        name = raw.decode(encoding)
        start = 0
        for _ in range(2):  # the local header, then the central directory
            at = blob.index(stand_in, start)
            blob[at : at + len(raw)] = raw
            if name in encrypted:
                # local header: the name sits 30 bytes after its start; central: 46 bytes after
                header = at - 30 if blob[at - 30 : at - 26] == b"PK\x03\x04" else at - 46
                flag_at = header + (6 if blob[header : header + 4] == b"PK\x03\x04" else 8)
                blob[flag_at] |= 0x01
            start = at + len(raw)
    path.write_bytes(bytes(blob))
    return path
