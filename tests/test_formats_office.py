""".doc and Kingsoft .wps through LibreOffice: converted and read as .docx, or a one-line reason."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from make_files import need_soffice, report_docx, soffice_convert

from ingest.load import LoadError, LoadOptions, load_file

LIMIT = 50 * 1024 * 1024


def reason(path: Path, options: LoadOptions | None = None) -> str:
    with pytest.raises(LoadError) as info:
        load_file(path, max_bytes=LIMIT, options=options)
    assert "\n" not in info.value.reason
    return info.value.reason


@pytest.fixture(scope="module")
def word_binary(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A Word 97-2003 file made by LibreOffice from a .docx."""
    need_soffice()
    folder = tmp_path_factory.mktemp("doc")
    source = report_docx(
        folder / "工作报告.docx", title="某县2023年政府工作报告", heading="一、2022年工作回顾",
        paragraphs=["全县地区生产总值增长5.2%。", "新增城镇就业1.2万人。"],
    )
    return soffice_convert(source, "doc", folder / "out")


@pytest.mark.parametrize("ext", [".doc", ".wps"])
def test_word_binary_is_converted_and_read_like_docx(word_binary: Path, tmp_path: Path, ext: str) -> None:
    # a Kingsoft .wps is a Word-binary file under its own extension
    path = tmp_path / f"工作报告{ext}"
    path.write_bytes(word_binary.read_bytes())
    loaded = load_file(path, max_bytes=LIMIT)
    assert loaded.kind == ext[1:]
    assert loaded.text.split("\n") == [
        "某县2023年政府工作报告", "一、2022年工作回顾", "全县地区生产总值增长5.2%。", "新增城镇就业1.2万人。",
    ]
    assert loaded.headings == {0: 0, 1: 1}
    assert loaded.properties["title"] == "某县2023年政府工作报告"


def test_docx_saved_under_doc_name_needs_no_converter(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # no soffice anywhere
    docx_bytes = report_docx(tmp_path / "a.docx", title="标题", heading="一、总则", paragraphs=["正文。"]).read_bytes()
    (tmp_path / "a.doc").write_bytes(docx_bytes)
    assert "正文。" in load_file(tmp_path / "a.doc", max_bytes=LIMIT).text


def test_missing_libreoffice_gives_a_reason(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    path = tmp_path / "旧文件.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600))
    assert reason(path) == (
        "cannot read .doc: LibreOffice is not installed "
        "(apt-get install libreoffice-writer-nogui, or bash scripts/setup.sh --office)"
    )


def test_rtf_saved_as_doc_is_read(tmp_path: Path) -> None:
    need_soffice()
    text = "到2025年，全县森林覆盖率达到65%。"
    rtf = "{\\rtf1\\ansi{\\fonttbl\\f0 SimSun;}\\f0 " + "".join(f"\\u{ord(c)}?" for c in text) + "\\par}"
    (tmp_path / "通知.doc").write_text(rtf, encoding="ascii")
    assert load_file(tmp_path / "通知.doc", max_bytes=LIMIT).text.strip() == text


def test_a_doc_libreoffice_cannot_open(tmp_path: Path) -> None:
    need_soffice()
    path = tmp_path / "损坏.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(range(256)) * 20)  # Word's header, then junk
    assert reason(path) == "LibreOffice cannot open this .doc file: Error: source file could not be loaded"
    (tmp_path / "乱码.wps").write_bytes(bytes(range(256)) * 20)  # not read as plain text either
    assert reason(tmp_path / "乱码.wps") == "not a Word document (neither Word 97-2003, RTF nor HTML)"


def test_a_hanging_conversion_is_stopped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake = tmp_path / "bin" / "soffice"
    fake.parent.mkdir()
    pid_file = tmp_path / "pid"
    fake.write_text(f"#!/bin/sh\necho $$ > {pid_file}\nsleep 60\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{fake.parent}:{os.environ['PATH']}")
    path = tmp_path / "慢.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600))
    started = time.monotonic()
    assert reason(path, LoadOptions(convert_timeout_s=1)) == (
        "LibreOffice did not finish converting this .doc file within 1 s"
    )
    assert time.monotonic() - started < 10
    with pytest.raises(ProcessLookupError):  # the converter was ended, not left behind
        os.kill(int(pid_file.read_text()), 0)


def test_concurrent_conversions_do_not_clash(word_binary: Path, tmp_path: Path) -> None:
    from concurrent.futures import ThreadPoolExecutor

    paths = []
    for n in range(3):
        paths.append(tmp_path / f"报告{n}.doc")
        paths[-1].write_bytes(word_binary.read_bytes())
    with ThreadPoolExecutor(3) as pool:
        texts = list(pool.map(lambda p: load_file(p, max_bytes=LIMIT).text, paths))
    assert all("新增城镇就业1.2万人。" in text for text in texts)
