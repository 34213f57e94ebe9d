"""Zip bundles: member names decoded, nested paths kept, one level of nesting, bombs and path tricks refused."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from make_files import legacy_zip

from ingest.formats.archive import Member, Skipped, read_archive
from ingest.load import SUPPORTED, LoadError, LoadOptions

REPORT = "2023年，全省地区生产总值增长5.8%。".encode()


def members(path: Path, options: LoadOptions | None = None) -> list[Member | Skipped]:
    return list(read_archive(path.read_bytes(), path.name, options or LoadOptions(), supported=SUPPORTED))


def refusal(path: Path, options: LoadOptions | None = None) -> str:
    with pytest.raises(LoadError) as info:
        members(path, options)
    assert "\n" not in info.value.reason
    return info.value.reason


def inner_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("附件/指标说明.txt", "指标说明正文。")
        deeper = io.BytesIO()
        with zipfile.ZipFile(deeper, "w") as third:
            third.writestr("x.txt", "第三层")
        archive.writestr("更深.zip", deeper.getvalue())
    return buffer.getvalue()


def test_gbk_names_nested_paths_and_one_level_of_nesting(tmp_path: Path) -> None:
    path = legacy_zip(
        tmp_path / "各省报告.zip",
        {
            "安徽/安徽省政府工作报告.txt": REPORT,
            "江苏/江苏省政府工作报告.txt": "江苏正文。".encode(),
            "江苏/封面.png": b"\x89PNG....",
            "附件包.zip": inner_zip(),
            "__MACOSX/._安徽.txt": b"resource fork",
        },
    )
    found = members(path)
    read = {m.source: m for m in found if isinstance(m, Member)}
    skipped = {s.source: s.reason for s in found if isinstance(s, Skipped)}
    assert sorted(read) == [
        "各省报告.zip›安徽›安徽省政府工作报告.txt",
        "各省报告.zip›江苏›江苏省政府工作报告.txt",
        "各省报告.zip›附件包.zip›附件›指标说明.txt",
    ]
    assert read["各省报告.zip›安徽›安徽省政府工作报告.txt"].data == REPORT
    assert read["各省报告.zip›附件包.zip›附件›指标说明.txt"].name == "附件包.zip/附件/指标说明.txt"
    assert skipped == {
        "各省报告.zip›江苏›封面.png": "unsupported type .png",
        "各省报告.zip›附件包.zip›更深.zip": "archive inside an archive inside an archive: not opened",
    }


def test_utf8_flagged_and_unflagged_utf8_names(tmp_path: Path) -> None:
    flagged = tmp_path / "a.zip"
    with zipfile.ZipFile(flagged, "w") as archive:  # Python flags non-ASCII names as UTF-8
        archive.writestr("规划/纲要.txt", "正文")
    unflagged = legacy_zip(tmp_path / "b.zip", {"规划/纲要.txt": "正文".encode()}, encoding="utf-8")
    assert [m.source for m in members(flagged)] == ["a.zip›规划›纲要.txt"]
    assert [m.source for m in members(unflagged)] == ["b.zip›规划›纲要.txt"]


def test_password_protected_member_is_listed(tmp_path: Path) -> None:
    path = legacy_zip(
        tmp_path / "c.zip", {"公开/报告.txt": REPORT, "内部/密件.txt": b"secret"}, encrypted=("内部/密件.txt",)
    )
    found = {m.source: m for m in members(path)}
    assert isinstance(found["c.zip›公开›报告.txt"], Member)
    assert found["c.zip›内部›密件.txt"] == Skipped("c.zip›内部›密件.txt", "password-protected member, cannot open")


@pytest.mark.parametrize("name", ["../../etc/evil.txt", "/etc/evil.txt", "C:\\Windows\\evil.txt", "a/../../evil.txt"])
def test_paths_that_leave_the_archive_refuse_it(tmp_path: Path, name: str) -> None:
    path = tmp_path / "evil.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("ok.txt", "正文")
        archive.writestr(zipfile.ZipInfo(name), "payload")
    assert refusal(path) == f"zip refused: member path {name!r} points outside the archive"


def test_zip_bombs_are_refused_before_anything_is_unpacked(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("zeros.txt", bytes(20 * 1024 * 1024))  # 20 MB of zeros packs to ~20 KB
    assert refusal(bomb).startswith("zip refused: zeros.txt expands ")

    many = tmp_path / "many.zip"
    with zipfile.ZipFile(many, "w") as archive:
        for n in range(30):
            archive.writestr(f"{n}.txt", "正文")
    assert refusal(many, LoadOptions(archive_max_members=20)) == "zip refused: 30 members (more than 20)"
    assert refusal(many, LoadOptions(archive_max_total_bytes=100)) == (
        "zip refused: 180 bytes when unpacked (more than 100 bytes)"
    )


def test_corrupt_zip(tmp_path: Path) -> None:
    path = tmp_path / "坏.zip"
    path.write_bytes(b"PK\x03\x04" + bytes(range(256)) * 8)
    assert refusal(path).startswith("corrupt zip: ")
