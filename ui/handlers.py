"""What the UI's buttons do: call the assistant, hand results to ui.render. No gradio import here.

Per-session data (chat history) is passed in and returned by the caller (gr.State), never kept
on this object, so concurrent users cannot see or corrupt each other's conversations.
"""

from __future__ import annotations

import queue
import shutil
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from assistant.config import Settings
from assistant.models import Answer, IngestReport
from ingest.pipeline import ingest_into
from ui import render
from ui.security import ALLOWED_SUFFIXES, SUITE_SUFFIXES, check_upload, safe_filename
from ui.views import BriefView, ChatView, EvalView, KnowledgeView, Turn

Progress = Callable[[int, int, str], None]
MAX_HISTORY_TURNS = 6
_DONE = object()


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

    # --- 问答 --------------------------------------------------------------------------------

    def chat(
        self,
        message: str,
        messages: Sequence[dict[str, str]] | None,
        history: Sequence[Turn] | None,
        doc: str | None = None,
        year: str | int | None = None,
    ) -> Iterator[ChatView]:
        """Answer one question, yielding the partial answer while it streams and the final view."""
        question = (message or "").strip()
        messages = list(messages or [])
        # an emptied chat (clear button, chatbot trash icon, API client) starts a new conversation
        history = list(history or []) if messages else []
        if not question:
            yield ChatView(
                messages, history, render.render_sources([]), render.render_status(None), done=True
            )
            return
        shown = [*messages, {"role": "user", "content": render.escape_multiline(question, md=True)}]
        status = '<div class="status"><span class="badge busy">检索与生成中…</span></div>'
        yield ChatView([*shown, {"role": "assistant", "content": "…"}], history, "", status)

        tokens: queue.Queue[object] = queue.Queue()
        result: dict[str, Any] = {}

        def work() -> None:
            try:
                result["answer"] = self.assistant.ask(
                    question,
                    history=history[-MAX_HISTORY_TURNS:],
                    doc=doc or None,
                    year=_year(year),
                    on_token=tokens.put,
                )
            except Exception as exc:  # noqa: BLE001 - shown to the user, the server keeps running
                result["error"] = exc
            finally:
                tokens.put(_DONE)

        threading.Thread(target=work, name="ui-ask", daemon=True).start()
        partial = ""
        finished = False
        while not finished:
            item = tokens.get()
            # drain what has arrived so a fast stream costs one UI update, not one per token
            batch = [item]
            while True:
                try:
                    batch.append(tokens.get_nowait())
                except queue.Empty:
                    break
            for piece in batch:
                if piece is _DONE:
                    finished = True
                else:
                    partial += str(piece)
            if partial and not finished:
                bubble = {"role": "assistant", "content": render.render_partial(partial)}
                yield ChatView([*shown, bubble], history, "", status)

        if "error" in result:
            err = result["error"]
            text = self._scrub(f"出错了：{type(err).__name__}: {str(err)[:300]}")
            bubble = {"role": "assistant", "content": render.render_message(text, kind="error")}
            yield ChatView(
                [*shown, bubble], history, render.render_sources([]), render.render_status(None), done=True
            )
            return
        answer: Answer = result["answer"]
        lines = self._source_lines(answer)
        bubble = {"role": "assistant", "content": render.render_answer(answer)}
        new_history = [*history, (question, answer.answer)][-MAX_HISTORY_TURNS:]
        yield ChatView(
            [*shown, bubble],
            new_history,
            render.render_sources(answer.citations, lines),
            render.render_status(answer, question=question),
            render.answer_plain_text(answer),
            done=True,
        )

    def _scrub(self, text: str) -> str:
        """Never echo the LLM key, even if an error message quotes it."""
        key = self.settings.llm_api_key
        secret = key.get_secret_value() if key is not None else ""
        return text.replace(secret, "***") if secret else text

    def _source_lines(self, answer: Answer) -> dict[str, list[str]]:
        return self._lines_for(c.source for c in answer.citations)

    def _lines_for(self, sources: Iterable[str]) -> dict[str, list[str]]:
        lines: dict[str, list[str]] = {}
        for source in sources:
            if source in lines:
                continue
            try:
                lines[source] = list(self.assistant.source_lines(source))
            except Exception:  # noqa: BLE001 - a removed source: show the quote alone
                lines[source] = []
        return lines

    # --- 简报 --------------------------------------------------------------------------------

    def brief(self, topic: str, doc: str | None = None, *, progress: Progress | None = None) -> BriefView:
        """Write a briefing on a topic and save .md and .docx copies for download."""
        from assistant.briefing.brief import brief_to_markdown, save_brief, write_brief

        topic = (topic or "").strip()
        if not topic:
            return BriefView(render.render_message("请输入简报主题", kind="error"))
        try:
            brief = write_brief(self.assistant, topic, doc=doc or None, progress=progress)
        except Exception as exc:  # noqa: BLE001 - shown to the user, the server keeps running
            text = self._scrub(f"简报生成失败：{type(exc).__name__}: {str(exc)[:300]}")
            return BriefView(render.render_message(text, kind="error"))
        head = render.render_brief_status(brief.mode, brief.notice)
        if not brief.covered:
            return BriefView(head + render.render_message(brief.notice or "文档中未涉及该主题", kind="error"))
        sources = list(getattr(brief, "sources", []) or [])
        lines = self._lines_for(c.source for c in sources)
        markdown = brief_to_markdown(brief)
        if sources:  # the sources panel below shows them with their passages
            markdown = render.drop_section(markdown, "来源")
        body = render.render_markdown_safe(markdown)
        preview = head + body + render.render_sources(sources, lines, anchor="brief-src")
        out_dir = Path(tempfile.mkdtemp(prefix="brief-"))
        stem = safe_filename(f"简报-{topic[:30]}", fallback="brief")
        md_path = out_dir / f"{stem}.md"
        docx_path = out_dir / f"{stem}.docx"
        save_brief(brief, md_path)
        save_brief(brief, docx_path)
        return BriefView(preview, str(md_path), str(docx_path))

    # --- 知识库 -------------------------------------------------------------------------------

    @property
    def upload_dir(self) -> Path:
        return Path(self.settings.data_dir) / "uploads"

    def knowledge(self, message_html: str = "") -> KnowledgeView:
        """The current document list and the filter choices derived from it."""
        docs = self.assistant.documents()
        return KnowledgeView(
            render.render_documents(docs),
            message_html,
            render.doc_choices(docs),
            render.year_choices(docs),
            render.source_choices(docs),
        )

    def upload(
        self, files: Sequence[str | Path] | None, *, progress: Progress | None = None
    ) -> KnowledgeView:
        """Check uploaded files, store them under data_dir/uploads with safe names, ingest them."""
        if not files:
            return self.knowledge(render.render_message("请先选择要上传的文件", kind="error"))
        rejected: list[tuple[str, str]] = []
        accepted: list[Path] = []
        self.upload_dir.mkdir(parents=True, exist_ok=True)
        for f in files:
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
        return self.knowledge(render.render_ingest_report(report, rejected=rejected))

    def remove(self, source: str | None) -> KnowledgeView:
        """Remove one source file from the knowledge base (and its stored upload copy)."""
        if not source:
            return self.knowledge(render.render_message("请选择要移除的文件", kind="error"))
        with self._kb_lock:
            removed = self.assistant.remove(source)
        for name in removed:
            stored = self.upload_dir / safe_filename(name)
            if stored.is_file() and stored.parent == self.upload_dir:
                stored.unlink()
        if not removed:
            return self.knowledge(render.render_message(f"未找到：{source}", kind="error"))
        return self.knowledge(render.render_message("已移除：" + "、".join(removed), kind="ok"))

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
