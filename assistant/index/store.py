"""The knowledge base: chunks and the catalog in Chroma (local or a server), a local cache of what readers see.

What lives where:
- Chroma collection `<collection>`: chunks with their embeddings, texts and metadata.
- Chroma collection `<collection>__catalog`: one record per file (the manifest; its commit point),
  the cleaned texts, and the version counter (see catalog.py).
- the data directory: caches only (the visible chunks and the lexical index per version, the
  embedding cache) and, for a local store, the Chroma files and the write lock.

Writers take the write lock (a lock file, or a lease in the Chroma server), write a file's chunks,
commit its record, delete what the record no longer lists, and bump the version. Readers see the
chunks the committed records list, so a file is seen whole, old or new.

Where the parts live: base.py (the state, opening Chroma, reads of chunks, ids and file records), view.py
(what readers see: the view, searches, source texts), writer.py (the write lock and the commits), rows.py
(a chunk as a Chroma row).
"""

from __future__ import annotations

from assistant.index.base import EmbedderMismatchError, SourceNameTakenError
from assistant.index.view import StoreView
from assistant.index.writer import StoreWriter

__all__ = ["EmbedderMismatchError", "SourceNameTakenError", "Store"]


class Store(StoreWriter, StoreView):
    """Chunks with their embeddings and the catalog in Chroma, and the local cache readers search.

    Nothing is opened until first use. `version()` changes with every write, in any process or replica.
    """
