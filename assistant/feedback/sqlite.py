"""The local feedback store: one SQLite file in the data directory, with numbered migrations.

Every write bumps a version kept in the file itself, so another process (a CLI beside the server) sees it.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from assistant.feedback.model import CuratedPair, Feedback, FeedbackFilter, Passage, now_iso

FILE_NAME = "feedback.sqlite3"

# numbered migrations (simonw/llm keeps its database this way): the file's user_version says how many ran
MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE feedback (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        kb TEXT NOT NULL,
        created_at TEXT NOT NULL,
        user TEXT,
        verdict TEXT NOT NULL CHECK (verdict IN ('correct', 'wrong')),
        question TEXT NOT NULL,
        condensed_question TEXT NOT NULL DEFAULT '',
        answer TEXT NOT NULL,
        citations TEXT NOT NULL DEFAULT '[]',
        settings TEXT NOT NULL DEFAULT '{}',
        correction TEXT NOT NULL DEFAULT '',
        evidence TEXT,
        suite TEXT,
        suite_item TEXT,
        curated_id INTEGER
    );
    CREATE INDEX feedback_kb ON feedback (kb, id);
    CREATE TABLE curated (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        kb TEXT NOT NULL,
        question TEXT NOT NULL,
        answer TEXT NOT NULL,
        evidence TEXT NOT NULL,
        approved_by TEXT,
        approved_at TEXT NOT NULL,
        feedback_id INTEGER REFERENCES feedback (id),
        active INTEGER NOT NULL DEFAULT 1,
        revoked_by TEXT,
        revoked_at TEXT
    );
    CREATE INDEX curated_kb ON curated (kb, active);
    CREATE TABLE meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
    INSERT INTO meta VALUES ('version', 0);
    """,
)


class SqliteFeedbackStore:
    """Feedback and curated pairs of one knowledge base in `data_dir/feedback.sqlite3` (thread-safe)."""

    def __init__(self, path: Path, kb: str):
        self.path = Path(path)
        self.kb = kb
        self._lock = threading.Lock()
        self._ready = False

    @classmethod
    def in_dir(cls, data_dir: Path, kb: str) -> SqliteFeedbackStore:
        """The store file of a data directory."""
        return cls(Path(data_dir) / FILE_NAME, kb)

    @contextlib.contextmanager
    def _db(self, *, write: bool = False) -> Iterator[sqlite3.Connection]:
        """A connection (one per call: handlers run in several threads); a write bumps the version."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        con = sqlite3.connect(self.path, timeout=10)
        try:
            con.row_factory = sqlite3.Row
            if not self._ready:
                self._migrate(con)
            if write:
                with self._lock, con:
                    yield con
                    con.execute("UPDATE meta SET value = value + 1 WHERE key = 'version'")
            else:
                yield con
        finally:
            con.close()

    def _migrate(self, con: sqlite3.Connection) -> None:
        con.execute("PRAGMA journal_mode=WAL")
        with self._lock:
            done = con.execute("PRAGMA user_version").fetchone()[0]
            for number, script in enumerate(MIGRATIONS[done:], done + 1):
                con.executescript(f"BEGIN; {script}; PRAGMA user_version = {number}; COMMIT;")
        self._ready = True

    @property
    def version(self) -> int:
        """A number every write increases (kept in the file: other processes' writes count too)."""
        if not self.path.exists():
            return 0
        with self._db() as con:
            return int(con.execute("SELECT value FROM meta WHERE key = 'version'").fetchone()[0])

    # --- feedback --------------------------------------------------------------------------------------

    def add(self, feedback: Feedback) -> Feedback:
        """Store a new record; returns it with its id."""
        with self._db(write=True) as con:
            cur = con.execute(
                "INSERT INTO feedback (kb, created_at, user, verdict, question, condensed_question, answer, citations,"
                " settings, correction, evidence) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (self.kb, feedback.created_at, feedback.user, feedback.verdict, feedback.question,
                 feedback.condensed_question, feedback.answer, _json(feedback.citations), _json(feedback.settings),
                 feedback.correction, _json(feedback.evidence.to_dict()) if feedback.evidence else None),
            )
            feedback.id = int(cur.lastrowid or 0)
            feedback.kb = self.kb
        return feedback

    def get(self, feedback_id: int) -> Feedback | None:
        """One record of this knowledge base, or None."""
        if not self.path.exists():
            return None
        with self._db() as con:
            row = con.execute("SELECT * FROM feedback WHERE kb = ? AND id = ?", (self.kb, int(feedback_id))).fetchone()
        return _feedback(row) if row else None

    def records(self, where: FeedbackFilter | None = None) -> list[Feedback]:
        """Records of this knowledge base, newest first, narrowed by a filter."""
        where = where or FeedbackFilter()
        if not self.path.exists():  # reading creates nothing (a read-only `assistant ask` writes no file)
            return []
        sql, args = ["kb = ?"], [self.kb]
        if where.verdict:
            sql.append("verdict = ?")
            args.append(where.verdict)
        if where.corrected is True:
            sql.append("verdict = 'wrong' AND trim(correction) != ''")
        elif where.corrected is False:
            sql.append("NOT (verdict = 'wrong' AND trim(correction) != '')")
        if where.user:
            sql.append("coalesce(user, '') = ?")
            args.append(where.user)
        if where.text:
            sql.append("(instr(question, ?) OR instr(answer, ?) OR instr(correction, ?))")
            args += [where.text] * 3
        if where.status == "open":
            sql.append("suite IS NULL AND curated_id IS NULL")
        elif where.status == "in_suite":
            sql.append("suite IS NOT NULL")
        elif where.status == "curated":
            sql.append("curated_id IS NOT NULL")
        with self._db() as con:
            rows = con.execute(
                f"SELECT * FROM feedback WHERE {' AND '.join(sql)} ORDER BY id DESC LIMIT ?", (*args, where.limit)
            ).fetchall()
        return [_feedback(r) for r in rows]

    def users(self) -> list[str]:
        """Everyone who gave feedback on this knowledge base (for the list's filter)."""
        if not self.path.exists():
            return []
        with self._db() as con:
            rows = con.execute(
                "SELECT DISTINCT user FROM feedback WHERE kb = ? AND user IS NOT NULL ORDER BY user", (self.kb,)
            ).fetchall()
        return [r[0] for r in rows]

    def mark_in_suite(self, feedback_id: int, suite: str, item_id: str) -> None:
        """Remember that a record became an item of a suite."""
        with self._db(write=True) as con:
            con.execute("UPDATE feedback SET suite = ?, suite_item = ? WHERE kb = ? AND id = ?",
                        (suite, item_id, self.kb, int(feedback_id)))

    # --- curated pairs ---------------------------------------------------------------------------------

    def add_curated(self, pair: CuratedPair) -> CuratedPair:
        """Store an approved pair and link its feedback record to it; returns it with its id."""
        with self._db(write=True) as con:
            cur = con.execute(
                "INSERT INTO curated (kb, question, answer, evidence, approved_by, approved_at, feedback_id, active)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, 1)",
                (self.kb, pair.question, pair.answer, _json(pair.evidence.to_dict()), pair.approved_by,
                 pair.approved_at, pair.feedback_id),
            )
            pair.id = int(cur.lastrowid or 0)
            pair.kb = self.kb
            if pair.feedback_id is not None:
                con.execute("UPDATE feedback SET curated_id = ? WHERE kb = ? AND id = ?",
                            (pair.id, self.kb, pair.feedback_id))
        return pair

    def curated(self, *, include_revoked: bool = False) -> list[CuratedPair]:
        """The curated pairs of this knowledge base, newest first."""
        if not self.path.exists():
            return []
        sql = "SELECT * FROM curated WHERE kb = ?" + ("" if include_revoked else " AND active = 1")
        with self._db() as con:
            rows = con.execute(sql + " ORDER BY id DESC", (self.kb,)).fetchall()
        return [_curated(r) for r in rows]

    def revoke_curated(self, pair_id: int, user: str | None) -> CuratedPair | None:
        """Stop using a curated pair: kept, marked revoked by whom and when."""
        with self._db(write=True) as con:
            con.execute(
                "UPDATE curated SET active = 0, revoked_by = ?, revoked_at = ? WHERE kb = ? AND id = ? AND active = 1",
                (user, now_iso(), self.kb, int(pair_id)),
            )
            row = con.execute("SELECT * FROM curated WHERE kb = ? AND id = ?", (self.kb, int(pair_id))).fetchone()
        return _curated(row) if row else None


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _feedback(row: sqlite3.Row) -> Feedback:
    return Feedback(
        kb=row["kb"], question=row["question"], answer=row["answer"], verdict=row["verdict"],
        citations=json.loads(row["citations"] or "[]"), settings=json.loads(row["settings"] or "{}"),
        correction=row["correction"] or "", evidence=Passage.from_dict(json.loads(row["evidence"] or "null")),
        user=row["user"], created_at=row["created_at"], condensed_question=row["condensed_question"] or "",
        id=int(row["id"]), suite=row["suite"], suite_item=row["suite_item"], curated_id=row["curated_id"],
    )


def _curated(row: sqlite3.Row) -> CuratedPair:
    evidence = Passage.from_dict(json.loads(row["evidence"]))
    assert evidence is not None  # the column is NOT NULL and written from a Passage
    return CuratedPair(
        kb=row["kb"], question=row["question"], answer=row["answer"], evidence=evidence,
        approved_by=row["approved_by"], approved_at=row["approved_at"], feedback_id=row["feedback_id"],
        id=int(row["id"]), active=bool(row["active"]), revoked_by=row["revoked_by"], revoked_at=row["revoked_at"],
    )
