"""Chunks as Chroma rows: a chunk's metadata and back, the chunk collection's schema, the source-name rule."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from assistant.models import Chunk, Location


def indexed_text(chunk: Chunk) -> str:
    """What a chunk is embedded and indexed by: its index text (with its headings), else its text."""
    return chunk.index_text or chunk.text


def chunk_metadata(chunk: Chunk) -> dict[str, Any]:
    """A chunk's fields as Chroma metadata (its text is the row's document)."""
    meta: dict[str, Any] = {
        "source": chunk.source,
        "doc_id": chunk.doc_id,
        "title": chunk.title,
        "section": json.dumps(chunk.section, ensure_ascii=False),
        "line_start": chunk.line_start,
        "line_end": chunk.line_end,
        "kind": chunk.kind,
        "index_text": chunk.index_text,
        "tokens": chunk.tokens,
    }
    # Chroma metadata cannot hold None: absent means None
    if chunk.year is not None:
        meta["year"] = chunk.year
    if chunk.page is not None:
        meta["page"] = chunk.page
    if chunk.location is not None:
        meta["location"] = json.dumps(
            {k: v for k, v in asdict(chunk.location).items() if v is not None}, ensure_ascii=False
        )
    return meta


def chunk_from_row(id_: str, document: str | None, meta: dict[str, Any]) -> Chunk:
    """The chunk a Chroma row holds (the inverse of `chunk_metadata`)."""
    return Chunk(
        id=id_,
        source=str(meta["source"]),
        doc_id=str(meta["doc_id"]),
        title=str(meta["title"]),
        section=list(json.loads(str(meta["section"]))),
        text=document or "",
        line_start=int(meta["line_start"]),
        line_end=int(meta["line_end"]),
        kind=meta.get("kind", "text"),
        index_text=str(meta.get("index_text", "")),
        tokens=int(meta.get("tokens", 0)),
        year=int(meta["year"]) if meta.get("year") is not None else None,
        page=int(meta["page"]) if meta.get("page") is not None else None,
        location=Location.from_dict(json.loads(str(meta["location"]))) if meta.get("location") else None,
    )



def check_source_name(source: str) -> str:
    """A source name is stored and shown, never used as a path: any file name goes (`a.zip›dir›b.docx`,
    `x\\y.txt`, even one holding terminal codes, which every display strips); not an empty one, nor one
    with a NUL or a line break (one name, one line)."""
    if not source or not source.strip() or any(c in source for c in "\x00\n\r"):
        raise ValueError(f"not a usable source name: {source!r}")
    return source



def chunk_schema() -> Any:
    """Cosine space; no full-text index on chunk texts (the lexical index is ours), nor on long metadata."""
    from chromadb import FtsIndexConfig, Schema, StringInvertedIndexConfig, VectorIndexConfig

    schema = Schema()
    schema.create_index(VectorIndexConfig(space="cosine", embedding_function=None))
    schema.delete_index(config=FtsIndexConfig(), key="#document")
    for key in ("index_text", "section"):
        schema.delete_index(config=StringInvertedIndexConfig(), key=key)
    return schema
