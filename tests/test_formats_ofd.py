"""OFD (GB/T 33190): text and page numbers through ofdkit, DocInfo as properties, bad packages refused."""

from __future__ import annotations

import random
import zipfile
from pathlib import Path

import pytest
from make_files import ofd_file

from ingest.load import LoadError, load_file

LIMIT = 50 * 1024 * 1024


def test_ofd_text_with_page_numbers_and_docinfo(tmp_path: Path) -> None:
    path = ofd_file(
        tmp_path / "通知.ofd",
        [
            ["某市人民政府关于印发某市数字政府建设方案的通知", "各区人民政府，市政府各部门："],
            ["到2025年，政务服务事项全程网办率达到90%。", "某市人民政府", "2022年3月1日"],
        ],
        title="某市数字政府建设方案",
    )
    loaded = load_file(path, max_bytes=LIMIT)
    assert loaded.kind == "ofd"
    lines = loaded.text.split("\n")
    assert lines == [
        "某市人民政府关于印发某市数字政府建设方案的通知", "各区人民政府，市政府各部门：",
        "到2025年，政务服务事项全程网办率达到90%。", "某市人民政府", "2022年3月1日",
    ]
    assert loaded.page_of_line == [1, 1, 2, 2, 2]
    assert loaded.properties == {
        "title": "某市数字政府建设方案", "author": "某市人民政府办公室", "created": "2022-03-01",
    }


def test_ofd_template_text_is_on_each_page(tmp_path: Path) -> None:
    # a template page (the red header of a 公文) is part of what each page shows
    loaded = load_file(ofd_file(tmp_path / "a.ofd", [["第一页正文。"], ["第二页正文。"]], template="某市人民政府文件"),
                       max_bytes=LIMIT)
    lines = [(line, page) for line, page in zip(loaded.text.split("\n"), loaded.page_of_line, strict=True) if line]
    assert ("某市人民政府文件", 1) in lines and ("某市人民政府文件", 2) in lines
    assert ("第二页正文。", 2) in lines


def test_bad_ofd_files_give_reasons(tmp_path: Path) -> None:
    (tmp_path / "乱码.ofd").write_bytes(random.Random(6).randbytes(2000))
    with zipfile.ZipFile(tmp_path / "空包.ofd", "w") as archive:
        archive.writestr("Doc_0/Document.xml", "<x/>")
    reasons = {}
    for name in ("乱码.ofd", "空包.ofd"):
        with pytest.raises(LoadError) as info:
            load_file(tmp_path / name, max_bytes=LIMIT)
        reasons[name] = info.value.reason
    assert reasons["乱码.ofd"].startswith("corrupt ofd: not an OFD file")
    assert reasons["空包.ofd"] == "corrupt ofd: not an OFD file: OFD.xml is missing"
