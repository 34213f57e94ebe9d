"""The catalog beside the chunks, in Chroma too: file records (the manifest), cleaned texts, the version.

One collection `<collection>__catalog` holds three kinds of record (their embeddings are a dummy):
- `file:<source>`: one per ingested file. Its metadata holds the file hash, path, time, documents
  and the documents the user removed; its document lists the file's chunk ids. Writing this one
  record is the commit point of a file: readers see exactly the chunks it lists, so they see a
  file's old state or its new one, never a half.
- `text:<key>:<n>`: the cleaned text of a file (needed to show and check citations by line),
  compressed, in parts; the key changes with the text, so old and new texts coexist until commit.
- `version`: a counter bumped by every write, with a nonce, so that caches (the lexical index, the
  answerer's statistics) know cheaply whether anything changed.
"""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import json
import uuid
import zlib
from dataclasses import asdict, dataclass, field
from typing import Any

from assistant.models import DocumentInfo

SCHEMA = 2  # 1: manifest.json and sources/ in the data directory
VERSION_ID = "version"
_PART = 60_000  # characters of compressed text per record
_DUMMY = [1.0]
_PAGE = 500


def _pack(text: str) -> str:
    # base64, not base85: Python decodes base85 in pure Python, 100 ms for a gazette's text
    return "b64:" + base64.b64encode(zlib.compress(text.encode("utf-8"), 6)).decode("ascii")


def _unpack(packed: str) -> str:
    if packed.startswith("b64:"):
        return zlib.decompress(base64.b64decode(packed[4:])).decode("utf-8")
    return zlib.decompress(base64.b85decode(packed)).decode("utf-8")  # written before the change


@dataclass
class FileRecord:
    """One ingested file as the catalog knows it."""

    source: str
    file_hash: str
    path: str
    ingested_at: str
    documents: list[DocumentInfo] = field(default_factory=list)
    chunk_ids: list[str] = field(default_factory=list)
    text_key: str = ""
    text_parts: int = 0
    excluded: list[str] = field(default_factory=list)  # doc ids the user removed from this file

    def manifest_entry(self) -> dict[str, Any]:
        """The entry's shape in the manifest: file_hash, path, ingested_at, documents, excluded."""
        return {
            "file_hash": self.file_hash,
            "path": self.path,
            "ingested_at": self.ingested_at,
            "documents": [asdict(d) for d in self.documents],
            "excluded": list(self.excluded),
        }

    def signature(self) -> str:
        """Changes whenever what readers see of this file changes."""
        h = hashlib.sha256(self.file_hash.encode())
        for part in (self.text_key, *sorted(self.chunk_ids), *self.excluded):
            h.update(b"\x00" + part.encode())
        return h.hexdigest()


_DOC_FIELDS = frozenset(f.name for f in dataclasses.fields(DocumentInfo))


def document_info(d: dict[str, Any]) -> DocumentInfo:
    """A DocumentInfo from its stored dict (fields added or dropped since it was written are tolerated)."""
    return DocumentInfo(**{k: v for k, v in d.items() if k in _DOC_FIELDS})


def _file_id(source: str) -> str:
    return f"file:{source}"


def _text_ids(key: str, parts: int) -> list[str]:
    return [f"text:{key}:{n}" for n in range(parts)]


def _record(meta: dict[str, Any], document: str | None) -> FileRecord:
    info = json.loads(_unpack(str(meta["info"])))
    return FileRecord(
        source=str(meta["source"]),
        file_hash=str(meta["file_hash"]),
        path=info.get("path", ""),
        ingested_at=info.get("ingested_at", ""),
        documents=[document_info(d) for d in info.get("documents", [])],
        chunk_ids=list(json.loads(document)) if document else [],
        text_key=info.get("text_key", ""),
        text_parts=int(info.get("text_parts", 0)),
        excluded=list(info.get("excluded", [])),
    )


class Catalog:
    """File records, cleaned texts and the version counter in one Chroma collection."""

    def __init__(self, collection: Any) -> None:
        self.col = collection

    # --- version -----------------------------------------------------------------------------

    def stamp(self) -> tuple[int, str]:
        """(counter, nonce) of the last write; (0, "") for a store never written."""
        res = self.col.get(ids=[VERSION_ID], include=["metadatas"])
        if not res["ids"]:
            return 0, ""
        meta = res["metadatas"][0] or {}
        return int(meta.get("n", 0)), str(meta.get("nonce", ""))

    def bump(self) -> tuple[int, str]:
        """Count one more write (call while holding the write lock)."""
        n, _ = self.stamp()
        stamp = (n + 1, uuid.uuid4().hex)
        self.col.upsert(
            ids=[VERSION_ID], embeddings=[_DUMMY],
            metadatas=[{"kind": "version", "n": stamp[0], "nonce": stamp[1], "schema": SCHEMA}],
        )
        return stamp

    # --- file records ------------------------------------------------------------------------

    def files(self, *, with_chunks: bool = False) -> dict[str, FileRecord]:
        """Every file record by source (chunk id lists only when asked: they are the bulk)."""
        include = ["metadatas", "documents"] if with_chunks else ["metadatas"]
        out: dict[str, FileRecord] = {}
        offset = 0
        while True:
            res = self.col.get(where={"kind": "file"}, include=include, limit=_PAGE, offset=offset)
            docs = res.get("documents") or [None] * len(res["ids"])
            for meta, doc in zip(res["metadatas"], docs, strict=True):
                record = _record(meta or {}, doc)
                out[record.source] = record
            if len(res["ids"]) < _PAGE:
                return out
            offset += _PAGE

    def file(self, source: str) -> FileRecord | None:
        """One file's record with its chunk ids, or None."""
        res = self.col.get(ids=[_file_id(source)], include=["metadatas", "documents"])
        if not res["ids"]:
            return None
        return _record(res["metadatas"][0] or {}, res["documents"][0])

    def put_file(self, record: FileRecord) -> None:
        """Write (commit) one file record."""
        info = {
            "path": record.path, "ingested_at": record.ingested_at,
            "documents": [asdict(d) for d in record.documents], "text_key": record.text_key,
            "text_parts": record.text_parts, "excluded": record.excluded,
        }
        self.col.upsert(
            ids=[_file_id(record.source)], embeddings=[_DUMMY],
            documents=[json.dumps(record.chunk_ids)],
            metadatas=[{
                "kind": "file", "source": record.source, "file_hash": record.file_hash,
                "info": _pack(json.dumps(info, ensure_ascii=False)),
            }],
        )

    def delete_file(self, source: str) -> None:
        """Drop one file record."""
        self.col.delete(ids=[_file_id(source)])

    # --- cleaned texts -----------------------------------------------------------------------

    def put_text(self, source: str, text: str) -> tuple[str, int]:
        """Save a cleaned text; returns (key, parts) for the file record."""
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
        key = f"{hashlib.sha1(source.encode('utf-8')).hexdigest()[:16]}-{digest}"
        packed = _pack(text)
        parts = [packed[i : i + _PART] for i in range(0, len(packed), _PART)] or [""]
        self.col.upsert(
            ids=_text_ids(key, len(parts)), embeddings=[_DUMMY] * len(parts),
            metadatas=[{"kind": "text", "source": source, "z": p} for p in parts],
        )
        return key, len(parts)

    def text(self, key: str, parts: int) -> str | None:
        """A saved cleaned text, or None when it is not (or no longer) there."""
        if not key or parts <= 0:
            return None
        ids = _text_ids(key, parts)
        res = self.col.get(ids=ids, include=["metadatas"])
        found = {i: str((m or {}).get("z", "")) for i, m in zip(res["ids"], res["metadatas"], strict=True)}
        if len(found) != parts:
            return None
        try:
            return _unpack("".join(found[i] for i in ids))
        except (ValueError, zlib.error):
            return None

    def delete_text(self, key: str, parts: int) -> None:
        """Drop a saved text."""
        if key and parts > 0:
            self.col.delete(ids=_text_ids(key, parts))

    def unlisted_texts(self, records: dict[str, FileRecord]) -> list[str]:
        """Ids of saved text parts no record points at (an ingest killed between text and record)."""
        keep = {r.text_key for r in records.values()}
        res = self.col.get(where={"kind": "text"}, include=[])
        return [i for i in res["ids"] if i.split(":")[1] not in keep]

    def delete_ids(self, ids: list[str]) -> None:
        """Drop catalog records by id."""
        for i in range(0, len(ids), _PAGE):
            self.col.delete(ids=ids[i : i + _PAGE])
