"""The synonym groups in use, and the ones users add: applied without a restart.

Three sources, one group ("a|b|c") per line in each: the shipped table (assistant/data/synonyms.txt), a user's
file named by ASSISTANT_SYNONYMS_FILE, and the groups added in the workspace, kept in the data directory
(`synonyms_user.txt`, the same format, so it can be edited by hand too). The table is re-read when either
user file changes: its first line carries a version every write through here bumps, and a hand edit changes
its modification time.
"""

from __future__ import annotations

import os
import re
import threading
from pathlib import Path
from typing import Protocol

from assistant.errors import UserError
from assistant.vocab import DATA_DIR, Synonyms, load_synonyms, read_groups

USER_FILE = "synonyms_user.txt"
MAX_TERM_CHARS = 30
MAX_GROUP_TERMS = 12
MAX_USER_GROUPS = 1000
_VERSION_LINE = re.compile(r"^#\s*version:\s*(\d+)\s*$")
_SPLIT = re.compile(r"[|｜]")


class SynonymSource(Protocol):
    """Whatever gives the answerer its synonym table at the moment of a question."""

    def current(self) -> Synonyms | None:
        """The table to use now (None: exact words only)."""
        ...


class SynonymTable:
    """The shipped table plus the users' groups; `current()` re-reads them when a user file changed."""

    def __init__(self, data_dir: Path, extra: Path | None = None, *, enabled: bool = True):
        self.user_file = Path(data_dir) / USER_FILE
        self.extra = extra
        self.enabled = enabled
        self._lock = threading.Lock()
        self._stamp: object = None
        self._table: Synonyms | None = None

    @property
    def version(self) -> object:
        """What identifies the files' current contents (the user file's version line and both files' times)."""
        return (_file_version(self.user_file), _stat(self.user_file), _stat(self.extra) if self.extra else None)

    def current(self) -> Synonyms | None:
        """The table to use now; None when synonyms are turned off (ASSISTANT_SYNONYMS=false)."""
        if not self.enabled:
            return None
        stamp = self.version
        with self._lock:
            if self._table is None or stamp != self._stamp:
                files = [f for f in (self.extra, self.user_file) if f is not None and f.is_file()]
                self._table, self._stamp = load_synonyms(*files), stamp
            return self._table

    def shipped_groups(self) -> list[list[str]]:
        """The groups of the shipped table."""
        return read_groups(DATA_DIR / "synonyms.txt")

    def file_groups(self) -> list[list[str]]:
        """The groups of ASSISTANT_SYNONYMS_FILE (none when unset)."""
        return read_groups(self.extra) if self.extra and self.extra.is_file() else []

    def user_groups(self) -> list[list[str]]:
        """The groups added in the workspace (or by hand in the data directory's file)."""
        return read_groups(self.user_file) if self.user_file.is_file() else []

    def add_group(self, text: str) -> list[str]:
        """Add a group typed as "a|b|c"; returns it. Refused with a Chinese reason when it cannot be used."""
        terms = list(dict.fromkeys(t.strip() for t in _SPLIT.split(text or "") if t.strip()))
        if len(terms) < 2:
            raise UserError("同义词组至少需要两个词，用“|”分隔，例如：市场主体|经营主体")
        if len(terms) > MAX_GROUP_TERMS:
            raise UserError(f"一组同义词最多 {MAX_GROUP_TERMS} 个")
        for term in terms:
            if len(term) > MAX_TERM_CHARS:
                raise UserError(f"词语过长（超过 {MAX_TERM_CHARS} 字）：{term[:MAX_TERM_CHARS]}…")
            if len(term) < 2:
                raise UserError(f"词语至少两个字：{term}")
            if term.startswith("#") or any(ch in term for ch in "\r\n"):
                raise UserError(f"词语中不能有换行或以“#”开头：{term}")
        with self._lock:
            groups = self.user_groups()
            if len(groups) >= MAX_USER_GROUPS:
                raise UserError(f"自定义同义词组已达上限（{MAX_USER_GROUPS} 组）")
            if any(set(g) == set(terms) for g in groups):
                raise UserError("这组同义词已经存在")
            self._write([*groups, terms])
        return terms

    def remove_group(self, index: int) -> list[str]:
        """Remove the user group at this position (0-based, as user_groups lists them); returns it."""
        with self._lock:
            groups = self.user_groups()
            if not 0 <= index < len(groups):
                raise UserError("没有这组自定义同义词（可能已被删除）")
            gone = groups.pop(index)
            self._write(groups)
        return gone

    def _write(self, groups: list[list[str]]) -> None:
        version = (_file_version(self.user_file) or 0) + 1
        body = "\n".join("|".join(g) for g in groups)
        text = (f"# version: {version}\n# 自定义同义词：每行一组，用“|”分隔（在工作台“知识库”页增删，也可直接编辑）\n"
                f"{body}\n")
        self.user_file.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.user_file.with_name(f".{self.user_file.name}.tmp")
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, self.user_file)


def _file_version(path: Path) -> int | None:
    try:
        with path.open(encoding="utf-8") as f:
            match = _VERSION_LINE.match(f.readline())
    except OSError:
        return None
    return int(match.group(1)) if match else None


def _stat(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_mtime_ns, st.st_size
