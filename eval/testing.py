"""A scripted stand-in for the Assistant facade, for tests and demos of the evaluation runner."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from assistant.config import Settings
from assistant.models import Answer, Citation, Context, IngestReport


def make_answer(
    question: str,
    answer: str,
    *,
    contexts: Sequence[str] = (),
    cite: Sequence[int] = (),
    abstained: bool = False,
    timings_ms: dict[str, float] | None = None,
) -> Answer:
    """An Answer whose contexts are the given passages (ranked in order) and citing contexts `cite` (1-based)."""
    ctxs = [
        Context(
            rank=n,
            source="doc.txt",
            title="规划",
            section=f"第{n}节",
            lines=[10 * n, 10 * n + 5],
            text=t,
            score=1 / n,
        )
        for n, t in enumerate(contexts, 1)
    ]
    citations = [
        Citation(n=i, source=c.source, title=c.title, section=c.section, lines=c.lines, quote=c.text[:20])
        for i, c in enumerate((ctxs[r - 1] for r in cite), 1)
    ]
    return Answer(
        question=question,
        condensed_question=question,
        answer=answer,
        mode="extractive",
        abstained=abstained,
        citations=citations,
        contexts=ctxs,
        timings_ms=timings_ms if timings_ms is not None else {"retrieve": 10.0, "answer": 5.0, "total": 15.0},
    )


class FakeAssistant:
    """Answers from a question -> Answer script; unknown questions get an abstention. Records calls."""

    def __init__(
        self,
        answers: dict[str, Answer] | None = None,
        *,
        settings: Settings | None = None,
        documents: Sequence[Any] = ("doc",),
    ):
        self.answers = dict(answers or {})
        self.settings = settings or Settings()
        self.asked: list[tuple[str, int | None]] = []
        self.ingested: list[list[Path]] = []
        self._documents = list(documents)

    def ask(self, question: str, *, k: int | None = None, **_: Any) -> Answer:
        self.asked.append((question, k))
        if question in self.answers:
            return self.answers[question]
        return make_answer(question, "文档中未提及", abstained=True)

    def documents(self) -> list[Any]:
        return self._documents

    def ingest(self, paths: Sequence[Path], **_: Any) -> IngestReport:
        self.ingested.append(list(paths))
        self._documents = ["doc"]
        return IngestReport(files=len(paths))
