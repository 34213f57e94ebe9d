"""Shared test fixtures: no real credentials or endpoints ever reach a test."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import pytest

from assistant.config import Settings
from assistant.feedback.sqlite import SqliteFeedbackStore
from assistant.models import Answer, Chunk, Citation, Context, DocumentInfo, IngestReport, Retrieved
from assistant.service import Assistant
from assistant.synonyms import SynonymTable

CHROMIUM = Path("/usr/bin/chromium")  # Debian's chromium (apt), never a downloaded browser
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
_SENSITIVE = ("OPENAI_API_KEY", "OPENAI_BASE_URL", "OPENAI_API_BASE")


@pytest.fixture(autouse=True)
def _no_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    """Remove API keys and ASSISTANT_* settings so a stray real call fails loudly and settings are defaults."""
    for name in list(os.environ):
        if name.startswith("ASSISTANT_") or name in _SENSITIVE:
            monkeypatch.delenv(name, raising=False)


# --- the shared fake of the Assistant facade (UI and CLI tests) ----------------------------------------

GAZETTE = "004_gazette.txt"
# a gazette file holding three plans, as the bundled corpus's 004 file holds eighteen
GAZETTE_LINES = [
    "许昌市“十四五”市场监管现代化规划",
    "一、发展环境",
    "（一）成效显著",
    "全市12630家餐饮单位建成“透明厨房”。<script>alert('x')</script>",
    "![x](http://evil.example/x.png) 食品安全抽检合格率保持在98%以上。",
    "二、总体要求",
    "许昌市“十四五”教育事业发展规划",
    "一、主要目标",
    "到2025年，普惠性幼儿园覆盖率达到86%。",
    "二、保障措施",
    "许昌市“十四五”现代供应链发展规划",
    "一、主要目标",
    "到2025年，培育省级供应链综合服务示范企业5家。",
]
GAZETTE_DOCS = [
    ("d1", "许昌市“十四五”市场监管现代化规划", 1, 6, "许政〔2022〕15号", 3),
    ("d2", "许昌市“十四五”教育事业发展规划", 7, 10, "许政〔2022〕17号", 2),
    ("d3", "许昌市“十四五”现代供应链发展规划", 11, 13, "许政〔2022〕21号", 1),
]


class FakeStore:
    """The part of the store the UI reads: every chunk, in memory."""

    def __init__(self, owner: FakeAssistant) -> None:
        self.owner = owner

    def cached_chunks(self) -> list[Chunk]:
        chunks = []
        for doc in self.owner.documents():
            lines = self.owner.lines.get(doc.source, [])
            for n in range(doc.line_start + 1, doc.line_end + 1):
                text = lines[n - 1] if n <= len(lines) else ""
                if not text or text.startswith(("一、", "二、", "（")):
                    continue
                heading = next((lines[i - 1] for i in range(n - 1, doc.line_start, -1)
                                if lines[i - 1].startswith(("一、", "二、"))), "")
                chunks.append(Chunk(
                    id=f"{doc.doc_id}:{n}", source=doc.source, doc_id=doc.doc_id, title=doc.title,
                    section=[heading] if heading else [], text=text, line_start=n, line_end=n, year=doc.year,
                ))
        return chunks


class FakeAssistant:
    """Implements the Assistant methods the UI and CLI call; records what it was asked.

    Knows a gazette of three plans (one file) and answers from it, streaming when asked to;
    remove(name) drops a file, remove_document(doc_id) one plan, as the store's API does.
    """

    def __init__(self, settings: Settings):
        self.settings = settings
        self.calls: list[dict] = []
        self.removed: list[str] = []
        self.token_delay = 0.05
        self.chat_model = None
        self._lock = threading.Lock()
        self.docs: dict[str, list[DocumentInfo]] = {
            GAZETTE: [
                DocumentInfo(doc_id, GAZETTE, title, start, end, doc_number=number, date="2022年7月1日",
                             year=2022, chunks=chunks, ingested_at="2026-01-05T08:00:00+00:00")
                for doc_id, title, start, end, number, chunks in GAZETTE_DOCS
            ]
        }
        self.lines: dict[str, list[str]] = {GAZETTE: list(GAZETTE_LINES)}
        self.store = FakeStore(self)
        # feedback and synonyms are the real ones (SQLite and a file in the data directory: cheap)
        self.feedback = SqliteFeedbackStore.in_dir(settings.data_dir, "local/test")
        self.synonyms = SynonymTable(settings.data_dir)

    record_feedback = Assistant.record_feedback
    approve_curated = Assistant.approve_curated

    def documents(self) -> list[DocumentInfo]:
        with self._lock:
            return [d for docs in self.docs.values() for d in docs]

    def source_lines(self, source: str) -> list[str]:
        return self.lines[source]

    def ingest(self, paths: Sequence[Path], *, progress: Callable | None = None) -> IngestReport:
        report = IngestReport()
        for i, p in enumerate(paths):
            if progress:
                progress(i, len(paths), Path(p).name)
            text = Path(p).read_text(encoding="utf-8", errors="replace")
            lines = text.splitlines()
            with self._lock:
                self.lines[Path(p).name] = lines
                self.docs[Path(p).name] = [
                    DocumentInfo(
                        f"u{i}", Path(p).name, lines[0] if lines else Path(p).name, 1, len(lines), chunks=1
                    )
                ]
            report.files += 1
            report.documents += 1
            report.chunks += 1
        return report

    def remove(self, name: str) -> list[str]:
        with self._lock:
            if name in self.docs:
                del self.docs[name]
                self.removed.append(name)
                return [name]
        return []

    def remove_document(self, doc_id: str) -> DocumentInfo | None:
        with self._lock:
            for source, docs in self.docs.items():
                for d in docs:
                    if d.doc_id == doc_id:
                        docs.remove(d)
                        if not docs:
                            del self.docs[source]
                        self.removed.append(doc_id)
                        return d
        return None

    def retrieve(self, query: str, *, k: int | None = None, doc: str | None = None,
                 year: int | None = None) -> list[Retrieved]:
        pairs = {query[i : i + 2] for i in range(len(query) - 1)}
        scored = sorted(((sum(p in c.text + c.title for p in pairs), c) for c in self.store.cached_chunks()),
                        key=lambda s: -s[0])
        return [Retrieved(c, float(s), rank=n) for n, (s, c) in enumerate(scored[: k or 5], 1) if s >= 3]

    def ask(self, question, *, history=(), k=None, doc=None, year=None, on_token=None, explain=False) -> Answer:
        self.calls.append({"question": question, "history": list(history), "doc": doc, "year": year, "k": k})
        condensed = f"{history[-1][0]}：{question}" if history else question
        if "火星" in question or (doc and "市场监管" not in doc):
            return Answer(question, condensed, "文档中未提及。", "extractive", True)
        for source, lines in self.lines.items():
            # the line sharing most character pairs with the question (at least three)
            pairs = {question[i : i + 2] for i in range(len(question) - 1)}
            scored = [(sum(p in line for p in pairs), -i, i) for i, line in enumerate(lines)]
            best = max(scored, default=(0, 0, 0))
            hits = [best[2]] if best[0] >= 3 else []
            if hits and source != GAZETTE:
                n = hits[0] + 1
                quote = lines[hits[0]]
                return Answer(
                    question,
                    condensed,
                    f"{quote}[1]",
                    "extractive",
                    False,
                    [Citation(1, source, lines[0], lines[0], [n, n], quote)],
                )
        text = "全市12630家餐饮单位建成“透明厨房”[1]，抽检合格率98%以上[2]。"
        if on_token:
            for piece in (text[:8], text[8:20], text[20:]):
                on_token(piece)
                time.sleep(self.token_delay)
        title = GAZETTE_LINES[0]
        citations = [
            Citation(1, GAZETTE, title, f"{title} > 一、发展环境", [4, 4], "全市12630家餐饮单位建成“透明厨房”。"),
            Citation(2, GAZETTE, title, f"{title} > 一、发展环境", [5, 5], "合格率保持在99%", verified=False,
                     problem="引文与原文不符"),
        ]
        contexts = [Context(1, GAZETTE, title, "一、发展环境", [4, 5], "\n".join(GAZETTE_LINES[3:5]), 1.0)]
        return Answer(question, condensed, text, "llm", False, citations, contexts, notice=None)


@pytest.fixture
def fake_settings(tmp_path: Path) -> Settings:
    """Offline settings on a temporary data directory (hash embeddings, 1 MB uploads)."""
    return Settings(_env_file=None, data_dir=tmp_path / "var", corpus_dir=tmp_path / "corpus",
                    embedding_backend="hash", upload_max_mb=1)


@pytest.fixture
def fake_assistant(fake_settings: Settings) -> FakeAssistant:
    """The shared FakeAssistant on fake_settings."""
    return FakeAssistant(fake_settings)


class RecordingAnswerer:
    """Stands in for the answering chain behind a real Assistant: records each run, answers 文档中未提及."""

    def __init__(self) -> None:
        self.runs: list[dict] = []

    def run(self, question: str, **kwargs) -> Answer:
        self.runs.append({"question": question, **kwargs})
        return Answer(question, question, "文档中未提及", "extractive", True)
def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def chroma_server(tmp_path: Path) -> Iterator[int]:
    """A real `chroma run` on 127.0.0.1 (its port), stopped after the test."""
    port = _free_port()
    log = (tmp_path / "chroma.log").open("wb")
    chroma = Path(sys.executable).parent / "chroma"
    proc = subprocess.Popen(
        [str(chroma), "run", "--host", "127.0.0.1", "--port", str(port), "--path", str(tmp_path / "server")],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=2):
                    break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(
                        "chroma server did not start: " + (tmp_path / "chroma.log").read_text()[-2000:]
                    )
                time.sleep(0.3)
        yield port
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()
