"""Whether a local Chroma store changed since the version was last read, without opening Chroma.

Opening a local store costs a cold process ~0.7 s (importing chromadb, starting its system), only to read the
version. But every write to the store's sqlite file (rollback journal, Chroma's mode) increments the change
counter in the file's header, and reads leave it alone. So a version read from Chroma while no one could
write (holding the write lock), with the counter read after it, stays the store's version for as long as
the header shows the same counter, file size and inode: a later process reads 100 bytes instead of opening
Chroma. In WAL mode (or with a hot journal, mid-write) the header says nothing: no shortcut is taken.

Opening Chroma writes to the file too, so any process that opens it moves the counter; the next one
to read the version from Chroma notes it again. A Chroma server has no such file: always asked.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

FORMAT = 1
_SQLITE = b"SQLite format 3\x00"


@dataclass(frozen=True)
class Noted:
    """The store version and collection id noted for one state of the sqlite file."""

    collection_id: str
    stamp: tuple[int, str]


def db_state(chroma_dir: Path) -> tuple[int, int, int] | None:
    """(change counter, size, inode) of the store's sqlite file; None when its header cannot tell (WAL, mid-write)."""
    db = Path(chroma_dir) / "chroma.sqlite3"
    try:
        with open(db, "rb") as f:
            head = f.read(100)
            st = os.fstat(f.fileno())
    except OSError:
        return None
    if len(head) < 100 or not head.startswith(_SQLITE) or head[18] != 1 or head[19] != 1:
        return None  # not sqlite, or WAL (bytes 18-19 are 2): writes may not reach the header
    if Path(f"{db}-wal").exists() or Path(f"{db}-journal").exists():
        return None
    return int.from_bytes(head[24:28], "big"), st.st_size, st.st_ino


def files_state(chroma_dir: Path) -> str:
    """A digest of the vector index folders' files (names, sizes, times): changes when one is written or lost."""
    h = hashlib.sha256()
    root = Path(chroma_dir)
    try:
        entries = sorted(p for p in root.iterdir() if p.is_dir())
    except OSError:
        return ""
    for folder in entries:
        h.update(f"\x00{folder.name}".encode())
        try:
            files = sorted(folder.iterdir())
        except OSError:
            continue
        for f in files:
            try:
                st = f.stat()
            except OSError:
                continue
            h.update(f"\x01{f.name}\x02{st.st_size}\x03{st.st_mtime_ns}".encode())
    return h.hexdigest()


class StateNote:
    """`state.json` in the local view's cache folder: the version noted for a state of the sqlite file."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    def read(self, state: tuple[int, int, int] | None) -> Noted | None:
        """The version noted for exactly this state of the file, or None."""
        if state is None:
            return None
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            if data.get("format") != FORMAT or tuple(data.get("db", ())) != tuple(state):
                return None
            stamp = data["stamp"]
            return Noted(str(data["collection_id"]), (int(stamp[0]), str(stamp[1])))
        except (OSError, ValueError, KeyError, TypeError, IndexError):
            return None  # missing or damaged: the version is read from Chroma

    def write(self, noted: Noted, state: tuple[int, int, int]) -> None:
        """Note the version for this state (atomically)."""
        data = {"format": FORMAT, "db": list(state), "collection_id": noted.collection_id, "stamp": list(noted.stamp)}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps(data), encoding="utf-8")
        os.replace(tmp, self.path)
