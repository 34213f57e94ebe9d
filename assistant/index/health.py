"""Store health: what the file records list, what Chroma holds, what dense search reaches, and the repairs.

Checked at start (cheap: counts and a sample) and at ingest (every id). A chunk a record lists but
Chroma lacks needs its file parsed again; a chunk whose vector the index lost (a deleted or stale
vector-index folder) is re-inserted from its stored text and the embedding cache; chunks no record
lists (an ingest killed before its commit) are deleted. Each problem left is one line naming the
file and the fix.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from assistant import seams
    from assistant.index.catalog import FileRecord
    from assistant.index.store import Store

log = logging.getLogger(__name__)

FULL_REACH_LIMIT = 50_000  # chunks: above this, dense reachability is checked on a sample
SAMPLE = 32


@dataclass
class Health:
    """What a check found; `lines()` says it to a person."""

    records: dict[str, FileRecord] = field(default_factory=dict)
    missing: dict[str, set[str]] = field(default_factory=dict)  # source -> listed ids Chroma lacks
    unreachable: dict[str, set[str]] = field(default_factory=dict)  # source -> ids dense search cannot reach
    damaged_sample: int = 0  # sampled chunks whose vectors are gone (when not every id was checked)
    orphans: set[str] = field(default_factory=set)  # ids in Chroma that no record lists

    @property
    def ok(self) -> bool:
        """True when readers see every listed chunk by both searches."""
        return not (self.missing or self.unreachable or self.damaged_sample)

    def lines(self) -> list[str]:
        """One line per problem, naming the file and the fix."""
        out = []
        for source, ids in sorted(self.missing.items()):
            path = self.records[source].path if source in self.records else source
            out.append(
                f"「{source}」：清单列出的 {len(ids)} 个片段不在向量库中；修复：assistant ingest {path}"
            )
        for source, ids in sorted(self.unreachable.items()):
            out.append(
                f"「{source}」：{len(ids)} 个片段的向量不在向量索引中（语义检索找不到）；"
                "修复：运行任意一次 assistant ingest，会从片段原文重新写入向量"
            )
        if self.damaged_sample:
            out.append(
                f"向量索引损坏：抽查的 {SAMPLE} 个片段中 {self.damaged_sample} 个没有向量；"
                "修复：运行任意一次 assistant ingest"
            )
        return out


def _listed(records: dict[str, FileRecord]) -> dict[str, str]:
    return {i: source for source, r in records.items() for i in r.chunk_ids}


def check(store: seams.Store, *, deep: bool = False) -> Health:
    """Quick: the chunk counts the records give against Chroma's count, and a sample's vectors.

    A difference (or `deep`) compares every id, and every id's vector up to FULL_REACH_LIMIT chunks
    (beyond, the sample says whether vectors are lost). The quick check costs a few calls whatever
    the size of the collection.
    """
    records = store.files()
    expected = sum(d.chunks for r in records.values() for d in r.documents)
    count = store.count()
    sample = store.sample_ids(SAMPLE, records) if count else []
    damaged = 0 if store.has_vectors(sample) else sum(not store.has_vectors([i]) for i in sample)
    if not deep and count == expected and not damaged:
        return Health(records=records)
    records = store.files(with_chunks=True)
    listed = _listed(records)
    health = Health(records=records)
    present = store.all_ids()
    for i in listed.keys() - present:
        health.missing.setdefault(listed[i], set()).add(i)
    health.orphans = present - listed.keys()
    reachable = [i for i in listed if i in present]
    if reachable and count <= FULL_REACH_LIMIT:
        for i in set(reachable) - store.reachable_ids(count):
            health.unreachable.setdefault(listed[i], set()).add(i)
    elif reachable:
        health.damaged_sample = damaged
    return health


def check_at_start(store: seams.Store) -> list[str]:
    """The quick check's lines, skipped while a local store is in the state the last clean check saw (its
    file's header and its vector index files unchanged: nothing was written, nothing lost)."""
    state_of = getattr(store, "state_token", None)
    token = state_of() if callable(state_of) else None
    if token is not None and store.known_healthy(token):  # type: ignore[attr-defined]
        return []
    health = check(store, deep=False)
    token = state_of() if callable(state_of) else None  # after the check: opening the store wrote to its file
    if health.ok and token is not None:
        store.note_healthy(token)  # type: ignore[attr-defined]
    return health.lines()


def repair(store: Store) -> tuple[list[str], Health]:
    """Under the write lock, check and fix what needs no source file: re-insert lost vectors, delete
    chunks no record lists. Returns what was done and what is left (chunks only a file can give).
    """
    done: list[str] = []
    with store.writing():
        health = check(store)
        if health.damaged_sample:
            # too many chunks to check one by one: re-insert every listed chunk's vector
            lost = {i for ids in health.missing.values() for i in ids}
            health.unreachable = {"*": {i for r in health.records.values() for i in r.chunk_ids} - lost}
            health.damaged_sample = 0
        for source, ids in sorted(health.unreachable.items()):
            n = store.rewrite_vectors(sorted(ids))
            done.append(f"「{source}」：重新写入 {n} 个片段的向量" if source != "*" else f"重新写入 {n} 个片段的向量")
        health.unreachable = {}
        if health.orphans:
            store.delete_ids(health.orphans)
            log.info("deleted %d chunks no file record lists", len(health.orphans))
            health.orphans = set()
            # an ingest killed before its commit may have saved its text too
            if store.delete_unlisted_texts():
                log.info("deleted saved texts no file record points at")
    return done, health
