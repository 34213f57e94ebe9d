"""The seams between the parts the facade (service.py) puts together: what each part needs of the others.

`Store` is what the facade, ingest and the UI use of the knowledge base (assistant.index.store.Store is
the one implementation); `StoreReader` the part retrieval and answering read. `Retriever` is what
answering and briefing ask of retrieval (retrieval.hybrid.HybridRetriever), `Answerer` what
`Assistant.ask` asks of answering (answering.chain.AnswerChain). The chat model's seam is
answering.llm.ChatModel, the embedder's index.embed.Embedder.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from assistant.index.catalog import FileRecord
    from assistant.models import Answer, Chunk, DocumentInfo, FileCommit, Retrieved
    from assistant.retrieval.routing import Catalog, Scope


class StoreReader(Protocol):
    """What retrieval and answering read of the knowledge base: the chunks readers see, searched."""

    def version(self) -> int:
        """A counter every write bumps: caches of anything computed from the chunks are keyed by it."""
        ...

    def documents(self) -> list[DocumentInfo]:
        """Every document in the knowledge base."""
        ...

    def cached_chunks(self) -> list[Chunk]:
        """Every visible chunk."""
        ...

    def source_text(self, source: str) -> str | None:
        """The cleaned text of a source file (as cited by line), or None."""
        ...

    def lexical_search(
        self, query: str, k: int, *, allowed_ids: set[str] | None = None
    ) -> list[tuple[Chunk, float]]:
        """Best visible chunks by BM25, with their scores."""
        ...

    def dense_search(
        self, query: str, k: int, *, where: dict[str, Any] | None = None
    ) -> list[tuple[Chunk, float]]:
        """Nearest visible chunks by embedding, with their cosine similarities."""
        ...


class Store(StoreReader, Protocol):
    """What the facade, ingest and the UI use of the knowledge base: reading, the file records, files
    committed and removed, and what the health check reads."""

    def files(self, *, with_chunks: bool = False) -> dict[str, FileRecord]:
        """Every ingested file's record."""
        ...

    def file_record(self, source: str) -> FileRecord | None:
        """One file's record, or None."""
        ...

    def commit_file(
        self,
        source: str,
        *,
        file_hash: str,
        path: str,
        text: str,
        documents: list[DocumentInfo],
        chunks: list[Chunk],
        excluded: Sequence[str] = (),
        force: bool = False,
    ) -> int:
        """Replace one file as a whole; returns how many chunks were embedded."""
        ...

    def commit_files(self, files: Sequence[FileCommit]) -> tuple[int, list[tuple[str, str]]]:
        """Replace several files, each as a whole, with one write of their chunks; returns how many chunks were
        embedded and the files refused (source, why) because another file took the name meanwhile."""
        ...

    def commit_path(self, source: str, path: str) -> None:
        """Record that a file (same bytes) now lives at another path."""
        ...

    def remove_file(self, source: str) -> bool:
        """Remove a file; False when there was none."""
        ...

    def remove_document(self, doc_id: str) -> DocumentInfo | None:
        """Remove one document of a file (kept out of an unchanged re-ingest); None when there was none."""
        ...

    def sync_lexical(self) -> bool:
        """Bring what readers see in step with the store now; True when anything was rebuilt."""
        ...

    def count(self) -> int:
        """Number of chunks stored (visible or not)."""
        ...

    def sample_ids(self, n: int, records: dict[str, FileRecord] | None = None) -> list[str]:
        """About `n` chunk ids that file records list."""
        ...

    def has_vectors(self, ids: Sequence[str]) -> bool:
        """Whether the vector index holds the vectors of all these chunks."""
        ...

    def all_ids(self) -> set[str]:
        """Ids of every chunk stored."""
        ...

    def reachable_ids(self, n: int) -> set[str]:
        """Ids an exhaustive dense search returns."""
        ...


class Retriever(Protocol):
    """What answering and briefing ask of retrieval."""

    def search(
        self, query: str, *, k: int = 5, doc: str | None = None, year: int | None = None,
        scope: Scope | None = None, catalog: Catalog | None = None, only_docs: set[str] | None = None,
        dense: bool = True,
    ) -> list[Retrieved]:
        """Top-k chunks for a query, filtered by document, year or a set of documents, favouring the scope's
        documents (with `catalog`); `dense` False asks the lexical index only."""
        ...


class Answerer(Protocol):
    """What `Assistant.ask` asks of answering."""

    def run(
        self,
        question: str,
        *,
        history: Sequence[tuple[str, str]] = (),
        k: int | None = None,
        doc: str | None = None,
        year: int | None = None,
        on_token: Callable[[str], None] | None = None,
        explain: bool = False,
    ) -> Answer:
        """Answer one question with cited sections (history: earlier (user, assistant) turns)."""
        ...
