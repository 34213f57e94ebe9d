"""Locations in the user's own file: every chunk's text is found where its location points, read back
from the original file independently of the loaders (lines, Word paragraphs and table rows, pages,
sheet rows, zip members)."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from make_files import indicator_xlsx, ofd_file, report_docx, text_pdf

from assistant.models import Chunk, Location
from ingest.pipeline import parse_file

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "data" / "corpus"
# the second corpus lives in the shared folder beside the checkout (beside a worktree's parent, too)
MORE = next((p for p in (ROOT.parent / "shared" / "corpus_more", ROOT.parent.parent / "shared" / "corpus_more")
             if p.is_dir()), None)
LIMIT = 100 * 1024 * 1024
_NOISE = re.compile(r"\s+|\[bookmark:[^\]]*\]|[\u0000-\u001f\u007f\u200b\ufeff]")


def squeeze(text: str) -> str:
    """Text compared without whitespace and the markers cleaning removes (line joins, bookmarks)."""
    return _NOISE.sub("", text)


def chunks_of(path: Path) -> list[Chunk]:
    return parse_file(path, chunk_tokens=350, max_bytes=LIMIT)[2]


def text_files() -> list[Path]:
    files = sorted(CORPUS.glob("*.txt"))
    if MORE is not None:
        files += sorted(MORE.rglob("*.txt"))
    return files


def found_in_order(chunk_text: str, cited: str) -> bool:
    """The chunk's characters are in the cited text, in order: cleaning joins broken lines and drops
    page-number lines (a line "2" between "M" and "增长" too), so the chunk need not be one run of it."""
    at = 0
    for char in squeeze(chunk_text):
        at = cited.find(char, at) + 1
        if at == 0:
            return False
    return True


def touches(line: str, chunk_text: str) -> bool:
    """The file's line holds part of the chunk (so the cited range does not run past the passage)."""
    sq, text = squeeze(line), squeeze(chunk_text)
    return any(sq[i : i + 2] in text for i in range(max(1, len(sq) - 1)))


@pytest.mark.parametrize("path", text_files(), ids=lambda p: p.name)
def test_every_chunk_is_found_at_its_lines_in_the_original_file(path: Path) -> None:
    original = path.read_text(encoding="utf-8").split("\n")
    chunks = chunks_of(path)
    assert chunks
    verbatim = 0
    for chunk in chunks:
        where = chunk.location
        assert where is not None and where.line_start is not None, chunk.id
        cited = original[where.line_start - 1 : where.line_end]
        assert found_in_order(chunk.text, squeeze("".join(cited))), (where.label(), chunk.text[:60])
        # the range is tight: its first and last lines hold part of the passage
        assert touches(cited[0], chunk.text) and touches(cited[-1], chunk.text), (where.label(), chunk.text[:60])
        verbatim += squeeze(chunk.text) in squeeze("".join(cited))
    assert verbatim >= 0.9 * len(chunks)  # nearly all are one unbroken run of the file (the rest lost a page number)


def test_the_sample_rows_location_is_the_users_line_not_the_cleaned_copys() -> None:
    # the example: a row cited as "line 75" of the cleaned copy is line 146 of the file
    path = CORPUS / "004_e9dccd3c8dc8cdfa.txt"
    original = path.read_text(encoding="utf-8").split("\n")
    moved = [c for c in chunks_of(path) if c.location and c.location.line_start != c.line_start]
    assert moved, "cleaning drops blank lines, so cleaned and original line numbers differ"
    for chunk in moved[:20]:
        cited = "".join(original[chunk.location.line_start - 1 : chunk.location.line_end])
        assert found_in_order(chunk.text, squeeze(cited))
    row = next(c for c in moved if c.line_start == 75 and c.kind == "table_row")
    assert row.location.label() == "第146行" and row.text.startswith("市场 活力\t1.全市市场主体数（万户）")


def word_blocks(path: Path) -> tuple[list[str], list[list[list[str]]]]:
    """Non-empty body paragraphs (outside tables) and the tables' rows of cell texts, read with python-docx."""
    import docx
    from docx.oxml.ns import qn

    doc = docx.Document(str(path))
    body = doc.element.body
    paragraphs = [
        "".join(t.text or "" for t in p.iter(qn("w:t")))
        for p in body.iter(qn("w:p"))
        if not any(a.tag == qn("w:tc") for a in p.iterancestors())
    ]
    tables = [[[cell.text for cell in row.cells] for row in table.rows] for table in doc.tables]
    return [p for p in paragraphs if p.strip()], tables


def check_word(path: Path, chunks: list[Chunk]) -> None:
    paragraphs, tables = word_blocks(path)
    for chunk in chunks:
        where = chunk.location
        assert where is not None, chunk.id
        if where.table is not None:
            row = tables[where.table - 1][where.row_start - 1]
            assert squeeze(chunk.text) == squeeze("".join(dict.fromkeys(row))), (where.label(), chunk.text)
        else:
            cited = paragraphs[where.paragraph_start - 1 : where.paragraph_end]
            # in order, not one run: a debris paragraph between (来源：…日报) is not part of the chunk
            assert found_in_order(chunk.text, squeeze("".join(cited))), (where.label(), chunk.text[:60])
            assert touches(cited[0], chunk.text) and touches(cited[-1], chunk.text), (where.label(), chunk.text[:60])


def test_word_chunks_are_found_in_their_paragraphs_and_table_rows(tmp_path: Path) -> None:
    from test_load import make_docx

    path = make_docx(tmp_path / "规划.docx")
    chunks = chunks_of(path)
    check_word(path, chunks)
    labels = {c.text: c.location.label() for c in chunks if c.location}
    assert labels["“十三五”时期，全市经济实力显著增强。"] == "第3段"
    assert labels["常住人口城镇化率（%）\t52\t58"] == "表1第3行"


@pytest.mark.skipif(MORE is None, reason="shared/corpus_more not beside the checkout")
@pytest.mark.parametrize("path", sorted(MORE.rglob("*.docx")) if MORE else [], ids=lambda p: p.name)
def test_real_word_documents_cite_the_right_paragraphs(path: Path) -> None:
    check_word(path, chunks_of(path))


def test_pdf_ofd_sheet_and_csv_locations(tmp_path: Path) -> None:
    pdf = text_pdf(tmp_path / "交通规划.pdf", [["第一章 发展基础", "全市公路通车里程达到1.2万公里。"],
                                              ["第二章 发展目标", "到2025年高铁里程达到200公里。"]])
    at = {c.text: c.location for c in chunks_of(pdf)}
    assert at["到2025年高铁里程达到200公里。"] == Location(page_start=2, page_end=2)

    ofd = ofd_file(tmp_path / "通知.ofd", [["一、总体要求", "坚持整体协同。"], ["二、主要目标", "全程网办率达到90%。"]])
    assert {c.text: c.location.label() for c in chunks_of(ofd)}["全程网办率达到90%。"] == "第2页"

    rows = {c.text.rstrip("\t"): c.location.label() for c in chunks_of(indicator_xlsx(tmp_path / "主要指标表.xlsx"))}
    # sheet rows as the spreadsheet numbers them: the title is row 1, an empty row 2, the header rows 3-4
    assert rows["地区生产总值（亿元）\t3200\t4500\t6.5%"] == "工作表“指标”第5行"
    assert rows["城市轨道交通三号线\t260\t2021—2025"] == "工作表“项目”第2行"

    csv_path = tmp_path / "工业.csv"
    csv_path.write_bytes("指标,2022年,2023年\n\n规模以上工业增加值增速（%）,6.1,7.3\n\"说明\n两行\",1,2\n".encode("gbk"))
    rows = {c.text: c.location.label() for c in chunks_of(csv_path)}
    assert rows["规模以上工业增加值增速（%）\t6.1\t7.3"] == "第3行"
    assert rows["说明两行\t1\t2"] == "第4–5行"  # a quoted cell that runs over two lines


def test_zip_members_carry_their_path(tmp_path: Path) -> None:
    from ingest.formats.archive import Member, read_archive
    from ingest.load import SUPPORTED, LoadOptions, load_bytes
    from ingest.pipeline import parse_loaded

    report = report_docx(tmp_path / "皖.docx", title="2023年安徽省政府工作报告", heading="一、2022年工作回顾",
                         paragraphs=["安徽省地区生产总值增长3.5%。"])
    with zipfile.ZipFile(tmp_path / "各省.zip", "w") as archive:
        archive.write(report, "安徽/报告.docx")
    member = next(m for m in read_archive((tmp_path / "各省.zip").read_bytes(), "各省.zip", LoadOptions(),
                                          supported=SUPPORTED) if isinstance(m, Member))
    loaded = load_bytes(member.data, member.ext, source=member.source, path=str(tmp_path / "各省.zip"))
    loaded.properties["member"] = member.name
    chunk = next(c for c in parse_loaded(loaded, chunk_tokens=350)[2] if "3.5%" in c.text)
    assert chunk.location == Location(paragraph_start=3, paragraph_end=3, member="安徽/报告.docx")


def test_sentences_rejoined_by_debris_removal_cite_all_their_lines(tmp_path: Path) -> None:
    from test_debris import WIKI

    path = tmp_path / "wiki.txt"
    path.write_text(WIKI, encoding="utf-8")
    original = WIKI.split("\n")
    chunks = chunks_of(path)
    for chunk in chunks:
        where = chunk.location
        cited = original[where.line_start - 1 : where.line_end]
        assert found_in_order(chunk.text, squeeze("".join(cited))), (where.label(), chunk.text[:40])
        assert touches(cited[0], chunk.text) and touches(cited[-1], chunk.text), (where.label(), chunk.text[:40])
    line = next(n for n, text in enumerate(original, start=1) if "广义货币" in text)
    m2 = next(c for c in chunks if "广义货币M2和社会融资规模增速" in c.text)
    assert m2.location.line_start <= line < m2.location.line_end  # the sentence runs over a link's lines
