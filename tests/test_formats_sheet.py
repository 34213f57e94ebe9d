"""Spreadsheets: each sheet a table under its name and title, header rows kept, values as shown."""

from __future__ import annotations

from pathlib import Path

import pytest
from make_files import indicator_xlsx, soffice_convert

from ingest.load import LoadError, load_file

LIMIT = 50 * 1024 * 1024
INDICATOR_LINES = [
    "指标",
    "“十四五”经济社会发展主要指标",
    "指标\t2020年\t2025年\t",
    "\t实际\t目标\t年均增长",
    "地区生产总值（亿元）\t3200\t4500\t6.5%",
    "研发经费投入强度（%）\t2.1\t2.8\t",
    "常住人口城镇化率（%）\t52.3\t58\t",
    "",
    "项目",
    "项目名称\t总投资（亿元）\t建设年限",
    "城市轨道交通三号线\t260\t2021—2025",
]


def test_xlsx_sheets_become_titled_tables(tmp_path: Path) -> None:
    loaded = load_file(indicator_xlsx(tmp_path / "指标.xlsx"), max_bytes=LIMIT)
    # the empty row and column are gone, the merged title and parent cells sit in their first cell,
    # percentages and decimals read as the sheet shows them, the hidden sheet is left out and said so
    assert loaded.text.split("\n") == INDICATOR_LINES
    assert loaded.headings == {0: 2, 1: 3, 8: 2}  # sheet names, and the title row above a header
    assert loaded.notes == ["hidden sheet “计算” left out"]
    assert loaded.properties["title"] == "某市“十四五”主要指标表"
    assert loaded.properties["sheets"] == ["指标", "项目"]


def test_xls_reads_like_xlsx(tmp_path: Path) -> None:
    xls = soffice_convert(indicator_xlsx(tmp_path / "指标.xlsx"), "xls", tmp_path / "out")
    loaded = load_file(xls, max_bytes=LIMIT)
    assert loaded.kind == "xls"
    assert loaded.text.split("\n") == INDICATOR_LINES


def test_indicator_rows_become_table_records_with_their_headers(tmp_path: Path) -> None:
    from ingest.pipeline import parse_file

    chunks = parse_file(indicator_xlsx(tmp_path / "主要指标表.xlsx"), chunk_tokens=350, max_bytes=LIMIT)[2]
    rows = {c.text.rstrip("\t"): c for c in chunks if c.kind == "table_row"}
    gdp = rows["地区生产总值（亿元）\t3200\t4500\t6.5%"]
    assert gdp.index_text.endswith(
        "指标：地区生产总值（亿元）；2020年·实际：3200；2025年·目标：4500；2025年·年均增长：6.5%\n"
    )
    # a row with an empty last cell keeps its columns: 2.8 is the 2025 target, not a growth rate
    rd = rows["研发经费投入强度（%）\t2.1\t2.8"]
    assert rd.index_text.endswith("指标：研发经费投入强度（%）；2020年·实际：2.1；2025年·目标：2.8\n")
    assert gdp.section == ["指标", "“十四五”经济社会发展主要指标"]  # sheet name, then its title row
    metro = rows["城市轨道交通三号线\t260\t2021—2025"]
    assert metro.section == ["项目"] and "总投资（亿元）：260" in metro.index_text


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gbk"])
def test_csv_in_any_encoding_is_one_table(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "指标.csv"
    path.write_bytes("2023年主要指标\n指标,2022年,2023年\n粮食产量（万吨）,\"1,230\",1260\n,,\n".encode(encoding))
    loaded = load_file(path, max_bytes=LIMIT)
    assert loaded.text.split("\n") == ["2023年主要指标", "指标\t2022年\t2023年", "粮食产量（万吨）\t1,230\t1260"]
    assert loaded.headings == {0: 3}


def test_bad_workbooks_give_reasons(tmp_path: Path) -> None:
    import random

    (tmp_path / "坏.xlsx").write_bytes(b"PK\x03\x04" + random.Random(4).randbytes(3000))
    (tmp_path / "加密.xlsx").write_bytes(
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500) + "EncryptionInfo".encode("utf-16-le") + bytes(500)
    )
    (tmp_path / "坏.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + random.Random(5).randbytes(3000))
    reasons = {}
    for name in ("坏.xlsx", "加密.xlsx", "坏.xls"):
        with pytest.raises(LoadError) as info:
            load_file(tmp_path / name, max_bytes=LIMIT)
        reasons[name] = info.value.reason
    assert reasons["坏.xlsx"].startswith("corrupt xlsx: ")
    assert reasons["加密.xlsx"] == "password-protected (encrypted) workbook, cannot open"
    assert reasons["坏.xls"].startswith("corrupt xls: ")
    assert all("\n" not in r for r in reasons.values())
