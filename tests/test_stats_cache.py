"""The collection statistics cache: built once and written for other processes, read by them without writing it
back (processes sharing a data directory would otherwise race on the file)."""

from __future__ import annotations

from pathlib import Path

from assistant.answering.stats import StatsCache
from assistant.models import Chunk


class _Store:
    def __init__(self, chunks: list[Chunk]):
        self.chunks = chunks

    def cached_chunks(self) -> list[Chunk]:
        return self.chunks

    def version(self) -> int:
        return 1


def test_statistics_are_written_once_and_read_without_writing_back(tmp_path: Path, monkeypatch) -> None:
    chunks = [Chunk(f"c{i}", "a.txt", "d", "某市规划", [], text, i, i)
              for i, text in enumerate(["建设现代产业体系。", "推进城乡融合发展。", "建设美丽乡村。"])]
    path = tmp_path / "answer_stats.json"
    built = StatsCache(_Store(chunks), path).get()
    assert path.exists() and built.n == 3
    written = []
    monkeypatch.setattr(StatsCache, "_save", lambda self, key: written.append(key))
    loaded = StatsCache(_Store(chunks), path).get()
    assert loaded.df == built.df and loaded.n == 3
    assert written == []  # read, not written back
    assert not list(tmp_path.glob(".*.tmp"))  # (no temporary file left behind)
