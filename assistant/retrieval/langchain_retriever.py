"""The hybrid retriever as a LangChain retriever (its own module: importing langchain_core takes a second)."""

from __future__ import annotations

from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever


class LangChainRetriever(BaseRetriever):
    """The hybrid retriever exposed as a LangChain retriever (Documents carry the chunk metadata)."""

    retriever: Any
    k: int = 5
    doc: str | None = None
    year: int | None = None

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun
    ) -> list[Document]:
        hits = self.retriever.search(query, k=self.k, doc=self.doc, year=self.year)
        return [
            Document(
                page_content=r.chunk.text,
                metadata={
                    "id": r.chunk.id, "source": r.chunk.source, "title": r.chunk.title,
                    "section": r.chunk.section_path, "lines": [r.chunk.line_start, r.chunk.line_end],
                    "score": r.score, "rank": r.rank,
                },
            )
            for r in hits
        ]
