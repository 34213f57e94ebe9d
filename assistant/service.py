"""The composition root: one function builds the assistant from settings; the facade the CLI and UI use."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from assistant.config import Settings
from assistant.models import Answer, DocumentInfo, IngestReport, Retrieved

# progress callback: (done, total, label)
Progress = Callable[[int, int, str], None]


class Assistant:
    """Facade over ingest, store, retrieval and answering. Built once per process by build_assistant."""

    def __init__(self, settings: Settings, *, embedder, store, retriever, answerer, chat_model=None):
        self.settings = settings
        self.embedder = embedder
        self.store = store
        self.retriever = retriever
        self.answerer = answerer
        self.chat_model = chat_model

    # knowledge base -------------------------------------------------------
    def ingest(self, paths: Sequence[Path], *, progress: Progress | None = None) -> IngestReport:
        """Ingest files/folders incrementally (unchanged files cost nothing)."""
        raise NotImplementedError

    def documents(self) -> list[DocumentInfo]:
        """Documents in the knowledge base, in source order."""
        raise NotImplementedError

    def remove(self, name: str) -> list[str]:
        """Remove a source file (by file name or document title); returns removed sources."""
        raise NotImplementedError

    def source_lines(self, source: str) -> list[str]:
        """The cleaned text of a source file, one entry per line (line n is index n-1)."""
        raise NotImplementedError

    # questions --------------------------------------------------------------
    def retrieve(
        self, query: str, *, k: int | None = None, doc: str | None = None, year: int | None = None
    ) -> list[Retrieved]:
        """Hybrid retrieval; doc filters by title or source file name, year by document year."""
        raise NotImplementedError

    def ask(
        self,
        question: str,
        *,
        history: Sequence[tuple[str, str]] = (),
        k: int | None = None,
        doc: str | None = None,
        year: int | None = None,
        on_token: Callable[[str], None] | None = None,
    ) -> Answer:
        """Answer a question with cited sections; history is (user, assistant) turns for follow-ups."""
        raise NotImplementedError


def build_assistant(settings: Settings) -> Assistant:
    """Build embedder, store, retriever and answerer from settings."""
    raise NotImplementedError
