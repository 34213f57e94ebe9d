"""Zip bundles: members read as if given one by one, names decoded, bombs and path tricks refused."""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass

from assistant.models import MEMBER_SEP
from ingest.formats.common import LoadError, LoadOptions, fmt_size, one_line

_UTF8_FLAG = 0x800
_ENCRYPTED_FLAG = 0x1
_DRIVE = re.compile(r"^[A-Za-z]:")
_BOMB_MIN = 1024 * 1024  # a high ratio only matters for members that expand to something large


@dataclass
class Member:
    """One file inside an archive, ready to load."""

    source: str  # bundle.zip›某省›报告.docx: unique, shown to users, a valid store source name
    name: str  # 某省/报告.docx: the path inside the archive (an inner archive's path leads it)
    data: bytes

    @property
    def ext(self) -> str:
        """The member's extension, lower case."""
        last = self.name.rsplit("/", 1)[-1]
        return "." + last.rsplit(".", 1)[-1].lower() if "." in last.strip(".") else ""


@dataclass
class Skipped:
    """A member left out, with the reason."""

    source: str
    reason: str


def read_archive(
    data: bytes, source: str, options: LoadOptions, *, supported: set[str], depth: int = 0
) -> Iterator[Member | Skipped]:
    """Check the whole archive first (LoadError refuses it), then yield its members one at a time."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError) as exc:
        raise LoadError(f"corrupt zip: {one_line(str(exc)) or type(exc).__name__}") from None
    entries = _checked_entries(archive, options)
    return _members(archive, entries, source, options, supported, depth)


def _checked_entries(archive: zipfile.ZipFile, options: LoadOptions) -> list[tuple[zipfile.ZipInfo, str]]:
    """(entry, decoded path) of the files to read; refuses bombs and paths that leave the archive."""
    infos = archive.infolist()
    if len(infos) > options.archive_max_members:
        raise LoadError(f"zip refused: {len(infos)} members (more than {options.archive_max_members})")
    total = sum(info.file_size for info in infos)
    if total > options.archive_max_total_bytes:
        raise LoadError(
            f"zip refused: {fmt_size(total)} when unpacked (more than {fmt_size(options.archive_max_total_bytes)})"
        )
    entries = []
    for info in infos:
        name = member_name(info)
        if info.file_size > _BOMB_MIN and info.file_size > options.archive_max_ratio * max(1, info.compress_size):
            raise LoadError(
                f"zip refused: {name} expands {info.file_size // max(1, info.compress_size)} times (a zip bomb?)"
            )
        path = name.replace("\\", "/")
        if "\x00" in path or path.startswith("/") or _DRIVE.match(path) or ".." in path.split("/"):
            raise LoadError(f"zip refused: member path {name!r} points outside the archive")
        if not info.is_dir():
            entries.append((info, path))
    return entries


def member_name(info: zipfile.ZipInfo) -> str:
    """A member's name: UTF-8 when flagged, else UTF-8 or GB18030 if the bytes decode, else CP437."""
    if info.flag_bits & _UTF8_FLAG:
        return info.filename
    raw = info.filename.encode("cp437")  # zipfile decoded the raw bytes as CP437: get them back
    for codec in ("utf-8", "gb18030"):
        try:
            return raw.decode(codec)
        except UnicodeDecodeError:
            continue
    return info.filename


def _members(
    archive: zipfile.ZipFile,
    entries: list[tuple[zipfile.ZipInfo, str]],
    source: str,
    options: LoadOptions,
    supported: set[str],
    depth: int,
) -> Iterator[Member | Skipped]:
    seen: set[str] = set()
    with archive:
        for info, path in entries:
            parts = [p for p in path.split("/") if p not in ("", ".")]
            if not parts or parts[0] == "__MACOSX" or any(p.startswith((".", "~$")) for p in parts):
                continue  # resource forks, hidden files and Word lock files, as in a folder
            member_source = MEMBER_SEP.join([source, *parts])
            name = "/".join(parts)
            ext = Member(member_source, name, b"").ext
            if member_source in seen:
                yield Skipped(member_source, "the archive holds this name twice; the first one was read")
                continue
            seen.add(member_source)
            if ext != ".zip" and ext not in supported:
                yield Skipped(member_source, f"unsupported type {ext or '(no extension)'}")
                continue
            if ext == ".zip" and depth >= 1:
                yield Skipped(member_source, "archive inside an archive inside an archive: not opened")
                continue
            if info.flag_bits & _ENCRYPTED_FLAG:
                yield Skipped(member_source, "password-protected member, cannot open")
                continue
            if info.file_size > options.max_bytes:
                yield Skipped(member_source, f"file too large ({fmt_size(info.file_size)} > {fmt_size(options.max_bytes)})")
                continue
            try:
                with archive.open(info) as handle:
                    data = handle.read(options.max_bytes + 1)
            except (zipfile.BadZipFile, zlib.error, NotImplementedError, EOFError, OSError) as exc:
                yield Skipped(member_source, f"cannot unpack: {one_line(str(exc)) or type(exc).__name__}")
                continue
            if ext != ".zip":
                yield Member(member_source, name, data)
                continue
            try:
                inner = read_archive(data, member_source, options, supported=supported, depth=depth + 1)
            except LoadError as exc:
                yield Skipped(member_source, exc.reason)
                continue
            for item in inner:
                if isinstance(item, Member):
                    item.name = f"{name}/{item.name}"
                yield item
