"""Upload checks, safe file names and login parsing for the web UI (no gradio here)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

# what ingest reads (ingest.load.SUPPORTED and ARCHIVES; ui does not import ingest, tests keep them equal)
ALLOWED_SUFFIXES = (
    ".txt", ".md", ".docx", ".doc", ".wps", ".pdf", ".html", ".htm", ".xlsx", ".xlsm", ".xls", ".csv", ".ofd", ".zip",
)
SUITE_SUFFIXES = (".jsonl", ".csv", ".xlsx")
_MAX_NAME_CHARS = 120
_UNSAFE_CHARS = re.compile(r'[<>:"|?*\\/]')


def safe_filename(name: str, *, fallback: str = "upload") -> str:
    """Reduce a user-supplied file name to a harmless basename (no dirs, '..', control or hidden names)."""
    # keep only the last path component, whichever separator the client used
    base = re.split(r"[\\/]", name or "")[-1]
    base = unicodedata.normalize("NFC", base)
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C")  # control, format, ...
    base = _UNSAFE_CHARS.sub("_", base)
    base = re.sub(r"\.{2,}", ".", base)
    base = base.strip().lstrip(".").strip()
    stem, dot, suffix = base.rpartition(".")
    if not dot:
        stem, suffix = base, ""
    stem = stem.strip(" .")
    if not stem:
        stem = fallback
    suffix = suffix.lower()
    if len(stem) > _MAX_NAME_CHARS:
        stem = stem[:_MAX_NAME_CHARS]
    return f"{stem}.{suffix}" if suffix else stem


@dataclass
class UploadCheck:
    """Outcome of checking one uploaded file."""

    name: str  # the sanitised basename to store it under
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


def check_upload(
    path: Path,
    *,
    original_name: str | None = None,
    max_mb: float,
    allowed: tuple[str, ...] = ALLOWED_SUFFIXES,
) -> UploadCheck:
    """Check an uploaded file's type and size and pick a safe name for it."""
    name = safe_filename(original_name or path.name)
    suffix = Path(name).suffix.lower()
    if suffix not in allowed:
        return UploadCheck(name, f"不支持的文件类型（{suffix or '无扩展名'}），只接受 {' '.join(allowed)}")
    try:
        size = path.stat().st_size
    except OSError:
        return UploadCheck(name, "无法读取上传的文件")
    if size > max_mb * 1024 * 1024:
        return UploadCheck(name, f"文件过大（{size / 1024 / 1024:.1f} MB），上限 {max_mb:g} MB")
    if size == 0:
        return UploadCheck(name, "文件为空")
    return UploadCheck(name)


def parse_auth(value: str | None) -> list[tuple[str, str]] | None:
    """Read login pairs from 'user:pass,user2:pass2' or from a file with one 'user:pass' per line."""
    if not value or not value.strip():
        return None
    candidate = Path(value.strip()).expanduser()
    if ":" not in value or (candidate.is_file()):
        if not candidate.is_file():
            raise ValueError(f"auth file not found: {candidate}")
        entries = candidate.read_text(encoding="utf-8").splitlines()
    else:
        entries = value.split(",")
    pairs: list[tuple[str, str]] = []
    for entry in entries:
        entry = entry.strip()
        if not entry or entry.startswith("#"):
            continue
        user, sep, password = entry.partition(":")
        if not sep or not user.strip() or not password:
            raise ValueError("auth entries must look like user:password")
        pairs.append((user.strip(), password))
    if not pairs:
        raise ValueError("auth is set but holds no user:password entries")
    return pairs
