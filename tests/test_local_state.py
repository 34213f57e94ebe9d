"""The state of a local store's sqlite file: it moves with every write, not with reads, and says nothing in WAL mode."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from assistant.index.local_state import Noted, StateNote, db_state


def _db(folder: Path, *, wal: bool = False) -> sqlite3.Connection:
    folder.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(folder / "chroma.sqlite3")
    if wal:
        conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    return conn


def test_the_state_moves_with_each_write_and_not_with_reads(tmp_path):
    conn = _db(tmp_path)
    before = db_state(tmp_path)
    assert before is not None
    conn.execute("SELECT * FROM t").fetchall()
    assert db_state(tmp_path) == before
    for n in range(3):  # writes that leave the size alone still move the counter
        conn.execute("INSERT INTO t VALUES (?)", (n,))
        conn.commit()
        now = db_state(tmp_path)
        assert now != before
        before = now


def test_wal_mode_and_a_missing_file_say_nothing(tmp_path):
    assert db_state(tmp_path / "none") is None
    conn = _db(tmp_path / "wal", wal=True)
    assert db_state(tmp_path / "wal") is None
    conn.close()


def test_a_note_counts_only_for_the_state_it_was_written_for(tmp_path):
    conn = _db(tmp_path)
    note = StateNote(tmp_path / "cache" / "state.json")
    state = db_state(tmp_path)
    assert state is not None and note.read(state) is None
    note.write(Noted("col-1", (3, "abc")), state)
    assert note.read(state) == Noted("col-1", (3, "abc"))
    conn.execute("INSERT INTO t VALUES (1)")
    conn.commit()
    assert note.read(db_state(tmp_path)) is None
    for damaged in (b"", b"{", b'{"format": 1, "db": [1], "stamp": 5}', b"\xff\xfe"):
        note.path.write_bytes(damaged)
        assert note.read(state) is None
