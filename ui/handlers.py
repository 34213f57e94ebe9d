"""What the UI's buttons do: call the assistant, hand results to ui.render. No gradio import here.

Per-session data (chat history) is passed in and returned by the caller (gr.State), never kept
on this object, so concurrent users cannot see or corrupt each other's conversations.
"""

from __future__ import annotations

import queue
import re
import shutil
import tempfile
import threading
import time
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from assistant import catalog
from assistant.config import Settings
from assistant.display import renumber
from assistant.errors import AssistantError
from assistant.models import Answer, IngestReport
from ingest.pipeline import ingest_into
from ui import render
from ui.security import ALLOWED_SUFFIXES, SUITE_SUFFIXES, check_upload, safe_filename
from ui.views import (
    AnswerRecord,
    BriefView,
    ChatView,
    EvalView,
    KnowledgeView,
    LandingView,
    SourcesBlock,
    Turn,
)

Progress = Callable[[int, int, str], None]
MAX_SHOWN_MESSAGES = 60  # chat messages a client may send back (older ones are dropped)
MAX_MESSAGE_CHARS = 60_000  # a longer message from a client is not echoed back
MAX_SOURCE_BLOCKS = 20  # answers whose sources stay linked in one conversation
FIRST_UPDATE_S = 0.3  # an answer ready sooner is shown at once, without a placeholder first
STREAM_INTERVAL_S = 0.15  # a streaming answer is redrawn at most this often
SOURCE_CACHE_S = 30.0  # cleaned source texts kept this long (dropped at once when this workspace changes them)
_DONE = object()
_CJK = re.compile(r"[\u3400-\u9fff]")


def _bounded(messages: Sequence[dict[str, Any]] | None) -> list[dict[str, Any]]:
    """The chat a client sent back, cut to its last messages; an oversized message is not echoed back."""
    out = []
    for m in list(messages or [])[-MAX_SHOWN_MESSAGES:]:
        content = m.get("content") if isinstance(m, dict) else None
        if content is not None and len(str(content)) > MAX_MESSAGE_CHARS:
            m = {**m, "content": "（内容过长，已省略）"}
        out.append(m)
    return out


def _year(value: str | int | None) -> int | None:
    if value in (None, ""):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class Workspace:
    """Handlers shared by all sessions; they hold the assistant and settings, never session data."""

    def __init__(self, assistant: Any, settings: Settings, *, ingest: Callable[..., IngestReport] = ingest_into):
        self.assistant = assistant
        self.settings = settings
        self._ingest = ingest  # ingest.pipeline.ingest_into; tests pass a recorder
        # ingestion and removal rewrite the index: one at a time
        self._kb_lock = threading.Lock()
        self._landing: tuple[tuple, LandingView] | None = None
        self._landing_lock = threading.Lock()
        self._lines_cache: dict[str, tuple[float, list[str]]] = {}
        self._lines_lock = threading.Lock()

    # --- 问答 --------------------------------------------------------------------------------

    def chat(
        self,
        message: str,
        messages: Sequence[dict[str, Any]] | None,
        history: Sequence[Turn] | None,
        doc: str | None = None,
        year: str | int | None = None,
        sources: Sequence[SourcesBlock] | None = None,
        answers: Sequence[AnswerRecord] | None = None,
    ) -> Iterator[ChatView]:
        """Answer one question, yielding the partial answer while it streams and the final view.

        Every answer keeps its own sources (`sources`, one block per answer, held per session), so the
        markers of an earlier answer still open the passages they cite; `answers` keeps each answer itself
        (per session too), for feedback on it.
        """
        question = (message or "").strip()
        messages = _bounded(messages)
        # an emptied chat (clear button, chatbot trash icon, API client) starts a new conversation
        fresh = not messages
        history = [] if fresh else list(history or [])[-self.settings.max_history_turns:]
        blocks = [] if fresh else [tuple(b) for b in (sources or [])][-MAX_SOURCE_BLOCKS:]
        kept = [] if fresh else list(answers or [])[-MAX_SOURCE_BLOCKS:]
        panel = render.render_sources_panel(blocks)
        if not question:
            yield ChatView(messages, history, panel, render.render_status(None), done=True, sources=blocks,
                           answers=kept)
            return
        limit = self.settings.max_question_chars
        shown_question = question if len(question) <= limit else question[:200] + "……"
        shown = [*messages, {"role": "user", "content": render.escape_multiline(shown_question, md=True)}]
        if len(question) > limit:
            text = f"问题过长（{len(question):,} 字），上限为 {limit:,} 字，请精简后重试。"
            bubble = {"role": "assistant", "content": render.render_message(text, kind="error")}
            yield ChatView([*shown, bubble], history, panel, render.render_status(None), done=True, sources=blocks,
                           answers=kept)
            return
        turn = max((int(b[0]) for b in blocks), default=0) + 1
        if getattr(self.assistant, "chat_model", None) is None:
            result = self._ask_now(question, history, doc, year)  # offline: milliseconds, one update
        else:
            status = '<div class="status"><span class="badge busy">检索与生成中…</span></div>'
            result = yield from self._stream(question, history, doc, year, shown, panel, status, blocks, kept)
        if "error" in result:
            err = result["error"]
            if isinstance(err, AssistantError):
                text = str(err)  # a limit or a user mistake, already worded for people
            else:
                text = self._scrub(f"出错了：{type(err).__name__}: {str(err)[:300]}")
            bubble = {"role": "assistant", "content": render.render_message(text, kind="error")}
            yield ChatView([*shown, bubble], history, panel, render.render_status(None), done=True, sources=blocks,
                           answers=kept)
            return
        answer: Answer = renumber(result["answer"])
        record = AnswerRecord(turn, question, answer.to_dict(), doc or None, _year(year))
        kept = [*kept, record][-MAX_SOURCE_BLOCKS:]
        entries = render.render_source_entries(answer.citations, self._source_lines(answer), turn=turn)
        blocks = [*blocks, (turn, question, entries)][-MAX_SOURCE_BLOCKS:]
        bubble = {"role": "assistant", "content": render.render_answer(answer, turn=turn)}
        new_history = [*history, (question, answer.answer)][-self.settings.max_history_turns:]
        notices = [
            catalog.language_hint(question, self.assistant.documents()) if not _CJK.search(question) else None,
            catalog.outside_filter(self.assistant, question, answer, history=history, doc=doc or None,
                                   year=_year(year)),
        ]
        yield ChatView(
            [*shown, bubble],
            new_history,
            render.render_sources_panel(blocks),
            render.render_status(answer, question=question, notices=notices),
            render.answer_plain_text(answer),
            done=True,
            sources=blocks,
            answers=kept,
        )

    def _ask_now(
        self, question: str, history: list[Turn], doc: str | None, year: str | int | None
    ) -> dict[str, Any]:
        """Ask in this thread (no stream to show): {"answer": Answer} or {"error": exception}."""
        try:
            return {"answer": self.assistant.ask(question, history=history, doc=doc or None, year=_year(year))}
        except Exception as exc:  # noqa: BLE001 - shown to the user, the server keeps running
            return {"error": exc}

    def _stream(
        self, question: str, history: list[Turn], doc: str | None, year: str | int | None,
        shown: list[dict[str, Any]], panel: str, status: str, blocks: list[SourcesBlock],
        answers: list[AnswerRecord],
    ) -> Generator[ChatView, None, dict[str, Any]]:
        """Ask in a worker thread and show the answer as it streams; returns the result.

        Updates are coalesced: an answer complete within FIRST_UPDATE_S is shown once, and a stream is
        redrawn at most every STREAM_INTERVAL_S (each update resends the chat to the browser).
        """
        tokens: queue.Queue[object] = queue.Queue()
        result: dict[str, Any] = {}

        def work() -> None:
            result.update(self._ask_streaming(question, history, doc, year, tokens.put))
            tokens.put(_DONE)

        threading.Thread(target=work, name="ui-ask", daemon=True).start()
        partial, shown_text = "", None
        next_update = time.monotonic() + FIRST_UPDATE_S
        while True:
            try:
                pieces = [tokens.get(timeout=max(0.0, next_update - time.monotonic()))]
            except queue.Empty:
                pieces = []
            while True:  # whatever else has arrived joins this update
                try:
                    pieces.append(tokens.get_nowait())
                except queue.Empty:
                    break
            if _DONE in pieces:
                return result
            partial += "".join(str(p) for p in pieces)
            now = time.monotonic()
            if now >= next_update:
                text = render.render_partial(partial) if partial else "…"
                if text != shown_text:
                    yield ChatView([*shown, {"role": "assistant", "content": text}], history, panel, status,
                                   sources=blocks, answers=answers)
                    shown_text = text
                next_update = now + STREAM_INTERVAL_S

    def _ask_streaming(
        self, question: str, history: list[Turn], doc: str | None, year: str | int | None,
        on_token: Callable[[str], None],
    ) -> dict[str, Any]:
        try:
            answer = self.assistant.ask(question, history=history, doc=doc or None, year=_year(year),
                                        on_token=on_token)
            return {"answer": answer}
        except Exception as exc:  # noqa: BLE001 - shown to the user, the server keeps running
            return {"error": exc}

    def landing(self) -> LandingView:
        """The knowledge base at a glance and example questions from its documents (recomputed when it changes)."""
        docs = self.assistant.documents()
        key = tuple((d.doc_id, d.source, d.ingested_at) for d in docs)
        with self._landing_lock:
            if self._landing is not None and self._landing[0] == key:
                return self._landing[1]
            examples: list[str] = []
            store = getattr(self.assistant, "store", None)
            if docs and store is not None and hasattr(self.assistant, "retrieve"):
                examples = catalog.example_questions(
                    docs, store.cached_chunks(), lambda q: self.assistant.retrieve(q, k=3), n=4
                )
            view = LandingView(render.render_landing(catalog.overview(docs)), examples)
            self._landing = (key, view)
            return view

    def _scrub(self, text: str) -> str:
        """Never echo the LLM key, even if an error message quotes it."""
        key = self.settings.llm_api_key
        secret = key.get_secret_value() if key is not None else ""
        return text.replace(secret, "***") if secret else text

    def _source_lines(self, answer: Answer) -> dict[str, list[str]]:
        return self._lines_for(c.source for c in answer.citations)

    def _lines_for(self, sources: Iterable[str]) -> dict[str, list[str]]:
        """Cleaned lines of each source, kept for SOURCE_CACHE_S: a gazette is megabytes to read per answer."""
        lines: dict[str, list[str]] = {}
        now = time.monotonic()
        for source in sources:
            if source in lines:
                continue
            with self._lines_lock:
                cached = self._lines_cache.get(source)
            if cached is not None and now - cached[0] < SOURCE_CACHE_S:
                lines[source] = cached[1]
                continue
            try:
                lines[source] = list(self.assistant.source_lines(source))
            except Exception:  # noqa: BLE001 - a removed source: show the quote alone
                lines[source] = []
            with self._lines_lock:
                self._lines_cache[source] = (now, lines[source])
        return lines

    def _forget_sources(self) -> None:
        """The knowledge base changed here: read source texts afresh."""
        with self._lines_lock:
            self._lines_cache.clear()

    # --- 简报 --------------------------------------------------------------------------------

    def brief(self, topic: str, doc: str | None = None, *, progress: Progress | None = None) -> BriefView:
        """Write a briefing on a topic and save .md and .docx copies for download."""
        from assistant.briefing.brief import write_brief
        from assistant.briefing.render import save_brief

        topic = (topic or "").strip()
        if not topic:
            return BriefView(render.render_message("请输入简报主题", kind="error"))
        try:
            brief = write_brief(self.assistant, topic, doc=doc or None, progress=progress)
        except AssistantError as exc:  # a limit: its message is already for people
            return BriefView(render.render_message(str(exc), kind="error"))
        except Exception as exc:  # noqa: BLE001 - shown to the user, the server keeps running
            text = self._scrub(f"简报生成失败：{type(exc).__name__}: {str(exc)[:300]}")
            return BriefView(render.render_message(text, kind="error"))
        head = render.render_brief_status(brief.mode, brief.notice)
        if not brief.covered:
            return BriefView(head + render.render_message(brief.notice or "文档中未涉及该主题", kind="error"))
        sources = list(getattr(brief, "sources", []) or [])
        lines = self._lines_for(c.source for c in sources)
        # built from the Brief itself; the sources panel below shows the sources with their passages
        preview = head + render.render_brief(brief) + render.render_sources(sources, lines, anchor="brief-src")
        out_dir = Path(tempfile.mkdtemp(prefix="brief-"))
        stem = safe_filename(f"简报-{topic[:30]}", fallback="brief")
        md_path = out_dir / f"{stem}.md"
        docx_path = out_dir / f"{stem}.docx"
        save_brief(brief, md_path)
        save_brief(brief, docx_path, author=self.settings.author)
        return BriefView(preview, str(md_path), str(docx_path))

    # --- 知识库 -------------------------------------------------------------------------------

    @property
    def upload_dir(self) -> Path:
        return Path(self.settings.data_dir) / "uploads"

    def knowledge(self, message_html: str = "") -> KnowledgeView:
        """The current document list and the filter and removal choices derived from it."""
        docs = self.assistant.documents()
        return KnowledgeView(
            render.render_documents(docs),
            message_html,
            render.doc_choices(docs),
            render.year_choices(docs),
            render.removal_choices(docs),
        )

    def upload(
        self, files: Sequence[str | Path] | None, *, progress: Progress | None = None
    ) -> KnowledgeView:
        """Check uploaded files, store them under data_dir/uploads with safe names, ingest them.

        Rejections are named by file name with a Chinese reason (never a server path), and a file the
        ingest could not read is removed again from the uploads folder, so 重新索引 does not retry it.
        """
        if not files:
            return self.knowledge(render.render_message("请先选择要上传的文件", kind="error"))
        most = self.settings.upload_max_files
        rejected: list[tuple[str, str]] = [
            (safe_filename(Path(f).name), f"一次最多上传 {most} 个文件，本次未导入") for f in list(files)[most:]
        ]
        accepted: list[Path] = []
        self.upload_dir.mkdir(parents=True, exist_ok=True)
        for f in list(files)[:most]:
            path = Path(f)
            check = check_upload(path, max_mb=self.settings.upload_max_mb, allowed=ALLOWED_SUFFIXES)
            if not check.ok:
                rejected.append((check.name, check.error or ""))
                continue
            dest = self.upload_dir / check.name
            shutil.copyfile(path, dest)
            accepted.append(dest)
        if not accepted:
            return self.knowledge(render.render_ingest_report(IngestReport(), rejected=rejected))
        with self._kb_lock:
            report = self._ingest(self.assistant, accepted, progress=progress)
        self._forget_sources()
        stored = {p.resolve() for p in accepted}
        for skipped, _ in report.skipped:
            path = Path(skipped).resolve()
            if path in stored and path.parent == self.upload_dir.resolve():
                path.unlink(missing_ok=True)
        return self.knowledge(render.render_ingest_report(report, rejected=rejected))

    def confirm_removal(self, value: str | None) -> str:
        """What 移除 would take away, for the user to confirm (nothing is removed here)."""
        return render.render_removal_confirm(value, self.assistant.documents())

    def remove(self, value: str | None) -> KnowledgeView:
        """Remove a whole file (value "file:NAME") or one document of it ("doc:ID"), once confirmed."""
        kind, going = render.removal_target(value, self.assistant.documents())
        if not going:
            return self.knowledge(render.render_message("请先选择要移除的文件或文档", kind="error"))
        if kind == "file":
            source = going[0].source
            with self._kb_lock:
                removed = self.assistant.remove(source)
            self._forget_sources()
            for name in removed:
                stored = self.upload_dir / safe_filename(name)
                if stored.is_file() and stored.parent == self.upload_dir:
                    stored.unlink()
            if not removed:
                return self.knowledge(render.render_message(f"未找到：{source}", kind="error"))
            return self.knowledge(render.render_message(
                f"已移除文件 {source}（{len(going)} 篇文档）", kind="ok"))
        remove_document = getattr(self.assistant, "remove_document", None)
        if remove_document is None:  # an assistant without per-document removal (Assistant.remove_document)
            return self.knowledge(render.render_message("当前版本只能按文件移除", kind="error"))
        with self._kb_lock:
            gone = remove_document(going[0].doc_id)
        self._forget_sources()
        if gone is None:
            return self.knowledge(render.render_message(f"未找到：{going[0].title}", kind="error"))
        return self.knowledge(render.render_message(f"已移除文档 {gone.title}（{gone.source}）", kind="ok"))

    def reindex_paths(self) -> list[Path]:
        """Folders re-indexed by 重新索引: the bundled corpus and the uploads folder."""
        candidates = [Path(self.settings.corpus_dir), self.upload_dir]
        return [p for p in candidates if p.exists()]

    def reindex(self, *, progress: Progress | None = None) -> KnowledgeView:
        """Re-ingest the corpus and uploads folders (unchanged files are skipped by the assistant)."""
        paths = self.reindex_paths()
        if not paths:
            return self.knowledge(render.render_message("没有可索引的文件夹", kind="error"))
        with self._kb_lock:
            report = self._ingest(self.assistant, paths, progress=progress)
        self._forget_sources()
        return self.knowledge(render.render_ingest_report(report))

    # --- 评测 --------------------------------------------------------------------------------

    def eval_run(
        self, suite: str | None, upload: str | Path | None = None, *, progress: Progress | None = None
    ) -> EvalView:
        """Run a bundled or uploaded suite and render metrics, charts and failed items."""
        from ui.evaluation import run_suite_for_ui

        if upload:
            path = Path(upload)
            check = check_upload(path, max_mb=self.settings.upload_max_mb, allowed=SUITE_SUFFIXES)
            if not check.ok:
                return EvalView("", message_html=render.render_message(check.error or "", kind="error"))
            target_dir = Path(tempfile.mkdtemp(prefix="suite-"))
            target: str | Path = target_dir / check.name
            shutil.copyfile(path, target)
        elif suite:
            target = suite
        else:
            return EvalView("", message_html=render.render_message("请选择或上传评测集", kind="error"))
        return run_suite_for_ui(self.assistant, target, progress=progress)
