"""Feedback records, curated Q&A pairs and the store seam they are kept behind."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal, Protocol

Verdict = Literal["correct", "wrong"]
LONG_SENTENCE = 60  # characters: a longer sentence is quoted by the clause that holds the answer
VERDICTS: tuple[Verdict, ...] = ("correct", "wrong")
VERDICT_NAMES = {"correct": "正确", "wrong": "有误"}


def now_iso() -> str:
    """The current time as an ISO timestamp in UTC (what every record carries)."""
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass(frozen=True)
class Passage:
    """A passage of a document, as the official clicked it (the evidence of a correction)."""

    source: str
    title: str
    section: str  # title > chapter > section
    lines: tuple[int, int]
    text: str  # the passage as shown
    quote: str = ""  # the sentence of it that holds the answer (picked by the correction's wording)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {**asdict(self), "lines": list(self.lines)}

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> Passage | None:
        """Back from to_dict (None stays None)."""
        if not data:
            return None
        lines = data.get("lines") or (0, 0)
        return cls(str(data.get("source", "")), str(data.get("title", "")), str(data.get("section", "")),
                   (int(lines[0]), int(lines[-1])), str(data.get("text", "")), str(data.get("quote", "")))


@dataclass
class Feedback:
    """One official's verdict on one answer, with everything needed to reproduce and judge it."""

    kb: str  # the knowledge base it was given on (see knowledge_base_id)
    question: str
    answer: str
    verdict: Verdict
    citations: list[dict[str, Any]] = field(default_factory=list)  # the answer's citations, JSON form
    settings: dict[str, Any] = field(default_factory=dict)  # what shaped the answer (mode, retriever, filters…)
    correction: str = ""  # the right answer, in the official's words
    evidence: Passage | None = None  # the passage that holds the right answer
    user: str | None = None  # who gave it (None: no login configured)
    created_at: str = field(default_factory=now_iso)
    condensed_question: str = ""
    id: int | None = None
    suite: str | None = None  # the suite it was turned into an item of
    suite_item: str | None = None  # that item's id
    curated_id: int | None = None  # the curated pair approved from it

    @property
    def corrected(self) -> bool:
        """Marked wrong and given the right answer."""
        return self.verdict == "wrong" and bool(self.correction.strip())


@dataclass
class CuratedPair:
    """A question and its approved answer, preferred by the answerer when a later question matches it closely."""

    kb: str
    question: str
    answer: str
    evidence: Passage  # the answer still cites its document
    approved_by: str | None
    approved_at: str = field(default_factory=now_iso)
    feedback_id: int | None = None
    id: int | None = None
    active: bool = True
    revoked_by: str | None = None
    revoked_at: str | None = None


@dataclass(frozen=True)
class FeedbackFilter:
    """What the 评测 tab's list narrows to; None means any."""

    verdict: Verdict | None = None
    corrected: bool | None = None  # only those with (or without) a correction
    user: str | None = None
    text: str | None = None  # in the question, the answer or the correction
    status: Literal["open", "in_suite", "curated"] | None = None
    limit: int = 500

    def matches(self, f: Feedback) -> bool:
        """Whether a record passes this filter (the SQL of a store must agree with it)."""
        if self.verdict and f.verdict != self.verdict:
            return False
        if self.corrected is not None and f.corrected != self.corrected:
            return False
        if self.user and (f.user or "") != self.user:
            return False
        if self.text and not any(self.text in s for s in (f.question, f.answer, f.correction)):
            return False
        if self.status == "open" and (f.suite or f.curated_id):
            return False
        if self.status == "in_suite" and not f.suite:
            return False
        return not (self.status == "curated" and not f.curated_id)


class FeedbackStore(Protocol):
    """Where feedback and curated pairs of one knowledge base are kept (local SQLite, or the Chroma server).

    `version` changes with every write, so caches over curated pairs know when to rebuild.
    """

    kb: str

    @property
    def version(self) -> int:
        """A number every write increases."""
        ...

    def add(self, feedback: Feedback) -> Feedback:
        """Store a new record; returns it with its id."""
        ...

    def get(self, feedback_id: int) -> Feedback | None:
        """One record of this knowledge base, or None."""
        ...

    def records(self, where: FeedbackFilter | None = None) -> list[Feedback]:
        """Records of this knowledge base, newest first."""
        ...

    def mark_in_suite(self, feedback_id: int, suite: str, item_id: str) -> None:
        """Remember that a record became an item of a suite."""
        ...

    def add_curated(self, pair: CuratedPair) -> CuratedPair:
        """Store an approved pair (and link its feedback record to it); returns it with its id."""
        ...

    def curated(self, *, include_revoked: bool = False) -> list[CuratedPair]:
        """The curated pairs of this knowledge base, newest first."""
        ...

    def revoke_curated(self, pair_id: int, user: str | None) -> CuratedPair | None:
        """Stop using a curated pair (kept, marked revoked by whom and when)."""
        ...


def knowledge_base_id(settings: Any) -> str:
    """Which knowledge base feedback belongs to: the collection, on the Chroma server when one is configured."""
    if settings.chroma_host:
        return f"{settings.chroma_host}:{settings.chroma_port}/{settings.collection}"
    return f"local/{settings.collection}"


def best_sentence(text: str, answer: str) -> str:
    """The sentence of a passage that shares most of the answer's character pairs (the first when none does); of
    a long sentence (a list of targets in one line), the clause that holds what it shares."""
    from assistant.text import norm, sentences

    parts = sentences(text) or [text]
    wanted = norm(answer)
    grams = {wanted[i : i + 2] for i in range(len(wanted) - 1)}
    if not grams:
        return parts[0].strip()

    def shared(piece: str) -> int:
        return sum(g in norm(piece) for g in grams)

    best = max(((shared(s), -i, s) for i, s in enumerate(parts)))[2].strip()
    if len(best) <= LONG_SENTENCE:
        return best
    clauses = [c.strip(" ，,；;、") for c in re.split(r"(?<=[，,；;])", best) if c.strip(" ，,；;、")]
    score, _, clause = max((shared(c), -i, c) for i, c in enumerate(clauses))
    return clause if score and score >= 0.8 * shared(best) else best
