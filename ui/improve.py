"""What the workspace's improvement tools do: feedback on answers (问答), the feedback list, suites and curated
pairs (评测), the retrieval test view and synonyms (知识库). No gradio import: ui/tabs wires these.

Who acts is the logged-in user (None without ASSISTANT_AUTH); only administrators approve curated pairs.
"""

from __future__ import annotations

import shutil
import tempfile
import threading
from collections import deque
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from assistant.errors import AssistantError, UserError
from assistant.feedback.export import write_csv, write_xlsx
from assistant.feedback.model import Feedback, FeedbackFilter, Passage, best_sentence
from assistant.models import Answer, Context
from ui import render
from ui.security import can_approve
from ui.views import AnswerRecord, CorrectionView, FeedbackListView, SynonymView

QA_SUITE = "dev"  # the bundled question-and-answer suite, offered first (briefing suites are chosen by name)
FIND_K = 8
KEPT_EXPORTS = 32  # list views whose export files stay on disk  # passages listed when an official looks for the one holding the right answer
# filters of the feedback list: (label, value)
VERDICT_FILTERS = [("全部评价", ""), ("正确", "correct"), ("有误", "wrong"), ("有误且已更正", "corrected")]
STATUS_FILTERS = [("全部状态", ""), ("待处理", "open"), ("已加入评测集", "in_suite"), ("已设为标准问答", "curated")]
ALL_USERS = ("全部用户", "")


def _ok(text: str) -> str:
    return render.render_message(text, kind="ok")


def _error(text: str) -> str:
    return render.render_message(text, kind="error")


class Improvement:
    """Handlers shared by all sessions (session data comes in and goes out through the caller)."""

    def __init__(self, assistant: Any, settings: Any):
        self.assistant = assistant
        self.settings = settings
        self._exports: deque[Path] = deque()  # folders of recent exports (each list view writes its own)
        self._exports_lock = threading.Lock()

    @property
    def store(self) -> Any:
        return getattr(self.assistant, "feedback", None)

    # --- 问答: feedback on an answer ------------------------------------------------------------------

    @staticmethod
    def _record(answers: Sequence[AnswerRecord] | None, turn: Any) -> AnswerRecord | None:
        records = [AnswerRecord(*r) for r in (answers or [])]
        if not records:
            return None
        try:
            wanted = int(turn) if turn not in (None, "") else records[-1].turn
        except (TypeError, ValueError):
            wanted = records[-1].turn
        return next((r for r in records if r.turn == wanted), None)

    def mark_correct(self, answers: Sequence[AnswerRecord] | None, turn: Any, user: str | None) -> str:
        """Record that an answer is right."""
        record = self._record(answers, turn)
        if record is None:
            return _error("请先提问，再评价回答")
        try:
            saved = self.assistant.record_feedback(
                Answer.from_dict(record.answer), "correct", user=user, doc=record.doc, year=record.year
            )
        except AssistantError as exc:
            return _error(str(exc))
        return _ok(f"已记录：第 {record.turn} 问的回答正确（反馈编号 {saved.id}）")

    def open_correction(self, answers: Sequence[AnswerRecord] | None, turn: Any) -> CorrectionView:
        """The correction form for an answer: its sources, to click the one that holds the right answer."""
        record = self._record(answers, turn)
        if record is None:
            return CorrectionView([], [], _error("请先提问，再评价回答"), open=False)
        answer = Answer.from_dict(record.answer)
        passages = _passages([*answer.contexts, *_cited(answer)])
        hint = "请填写正确答案，并点选包含它的段落；列表中没有时，可用“查找原文”搜索。"
        return CorrectionView(passages, render.passage_choices([_context(p) for p in passages], record.question),
                              render.render_message(hint))

    def find_passages(self, query: str, answers: Sequence[AnswerRecord] | None, turn: Any) -> CorrectionView:
        """Passages of the knowledge base for what the official typed (or the question and correction)."""
        record = self._record(answers, turn)
        text = (query or "").strip() or (record.question if record else "")
        if not text:
            return CorrectionView([], [], _error("请输入要查找的内容"))
        text = text[: self.settings.max_question_chars]
        hits = self.assistant.retrieve(text, k=FIND_K)
        passages = _passages([
            Context(h.rank, h.chunk.source, h.chunk.title, h.chunk.section_path, [h.chunk.line_start, h.chunk.line_end],
                    h.chunk.text, round(h.score, 4), h.chunk.page, h.chunk.location)
            for h in hits
        ])
        if not passages:
            return CorrectionView([], [], _error("没有找到相关段落，请换个说法"))
        return CorrectionView(passages, render.passage_choices([_context(p) for p in passages], text),
                              render.render_message(f"找到 {len(passages)} 个段落，请点选包含正确答案的一段"))

    def submit_correction(
        self, answers: Sequence[AnswerRecord] | None, turn: Any, correction: str,
        passages: Sequence[dict[str, Any]] | None, choice: str | None, user: str | None,
    ) -> str:
        """Record an answer as wrong, with the right answer and (when clicked) the passage that holds it."""
        record = self._record(answers, turn)
        if record is None:
            return _error("请先提问，再评价回答")
        evidence = None
        if choice not in (None, ""):
            try:
                chosen = list(passages or [])[int(str(choice))]
            except (ValueError, IndexError):
                return _error("所选段落已失效，请重新点选")
            ctx = _context(chosen)
            evidence = Passage(ctx.source, ctx.title, ctx.section, (ctx.lines[0], ctx.lines[-1]), ctx.text,
                               best_sentence(ctx.text, correction or record.question))
        try:
            saved = self.assistant.record_feedback(
                Answer.from_dict(record.answer), "wrong", correction=correction or "", evidence=evidence, user=user,
                doc=record.doc, year=record.year,
            )
        except AssistantError as exc:
            return _error(str(exc))
        where = f"，出处：{evidence.section} 第{evidence.lines[0]}–{evidence.lines[1]}行" if evidence else "（未点选出处）"
        return _ok(f"已记录更正（反馈编号 {saved.id}）{where}。可在“评测”页查看、加入评测集。")

    # --- 评测: the list, suites, curated pairs --------------------------------------------------------

    def feedback_list(
        self, verdict: str | None = "", status: str | None = "", user: str | None = "", text: str | None = "",
        *, message_html: str = "",
    ) -> FeedbackListView:
        """The feedback of this knowledge base, filtered, with CSV/XLSX exports of what is listed."""
        if self.store is None:
            return FeedbackListView(_error("反馈功能未启用"), [], [ALL_USERS])
        where = FeedbackFilter(
            verdict=verdict if verdict in ("correct", "wrong") else ("wrong" if verdict == "corrected" else None),
            corrected=True if verdict == "corrected" else None, user=user or None,
            text=(text or "").strip()[:200] or None,
            status=status if status in ("open", "in_suite", "curated") else None,  # type: ignore[arg-type]
        )
        records: list[Feedback] = self.store.records(where)
        out = self._export_dir()
        csv_path = write_csv(out / "反馈.csv", records) if records else None
        xlsx_path = write_xlsx(out / "反馈.xlsx", records) if records else None
        users = [ALL_USERS, *((u, u) for u in self.store.users())]
        pairs = self.store.curated(include_revoked=True)
        return FeedbackListView(
            render.render_feedback_list(records), render.feedback_choices(records), users,
            str(csv_path) if csv_path else None, str(xlsx_path) if xlsx_path else None,
            render.render_curated_list(pairs), render.curated_choices(pairs), self.suite_names(), message_html,
        )

    def _export_dir(self) -> Path:
        """A fresh folder for one list view's exports; the oldest beyond KEPT_EXPORTS are deleted (a session
        downloads what its last view listed, and views are made at every visit of the 评测 tab)."""
        folder = Path(tempfile.mkdtemp(prefix="feedback-"))
        with self._exports_lock:
            self._exports.append(folder)
            while len(self._exports) > KEPT_EXPORTS:
                shutil.rmtree(self._exports.popleft(), ignore_errors=True)
        return folder

    def suite_names(self) -> list[str]:
        """The suites the 评测 tab offers: the bundled ones (the Q&A suite first), then those built from feedback."""
        from eval.feedback_suite import user_suites
        from eval.suite import SUITES_DIR

        bundled = sorted((p.stem for p in Path(SUITES_DIR).glob("*.jsonl")), key=lambda n: (n != QA_SUITE, n))
        return [*bundled, *(p.stem for p in user_suites(self.settings.data_dir))]

    def to_suite(self, feedback_id: str | None, suite: str | None, user: str | None, *filters: Any) -> FeedbackListView:
        """Turn a corrected (or confirmed) exchange into an item of a suite kept in the data directory."""
        from eval.feedback_suite import DEFAULT_SUITE, add_to_suite

        name = (suite or "").strip() or DEFAULT_SUITE
        try:
            record = self._feedback(feedback_id)
            item = add_to_suite(self.settings.data_dir, name, record)
            self.store.mark_in_suite(record.id, name, item.id)
        except AssistantError as exc:
            return self.feedback_list(*filters, message_html=_error(str(exc)))
        must = "、".join(item.must_include) or "（无）"
        return self.feedback_list(*filters, message_html=_ok(
            f"已将反馈 #{record.id} 加入评测集“{name}”（题目 {item.id}，须包含：{must}）。"
            f"在上方选择“{name}”即可运行；命令行：assistant eval {name}"))

    def curate(self, feedback_id: str | None, user: str | None, *filters: Any) -> FeedbackListView:
        """Approve a correction as a curated pair (administrators only)."""
        if not can_approve(user, self.settings):
            return self.feedback_list(*filters, message_html=_error("只有管理员可以设为标准问答"))
        try:
            record = self._feedback(feedback_id)
            pair = self.assistant.approve_curated(int(record.id or 0), approved_by=user)
        except AssistantError as exc:
            return self.feedback_list(*filters, message_html=_error(str(exc)))
        return self.feedback_list(*filters, message_html=_ok(
            f"已设为标准问答 #{pair.id}：之后与“{pair.question}”足够相近的问题，将以审定的答案作答并引用原文。"))

    def revoke(self, pair_id: str | None, user: str | None, *filters: Any) -> FeedbackListView:
        """Stop using a curated pair (administrators only; kept with who stopped it and when)."""
        if not can_approve(user, self.settings):
            return self.feedback_list(*filters, message_html=_error("只有管理员可以停用标准问答"))
        if self.store is None or not pair_id:
            return self.feedback_list(*filters, message_html=_error("请先选择要停用的标准问答"))
        pair = self.store.revoke_curated(int(pair_id), user)
        if pair is None:
            return self.feedback_list(*filters, message_html=_error("没有这条标准问答"))
        return self.feedback_list(*filters, message_html=_ok(f"已停用标准问答 #{pair.id}"))

    def _feedback(self, feedback_id: str | None) -> Feedback:
        if self.store is None:
            raise UserError("反馈功能未启用")
        if not feedback_id:
            raise UserError("请先在列表中选择一条反馈")
        record = self.store.get(int(feedback_id))
        if record is None:
            raise UserError(f"没有编号为 {feedback_id} 的反馈")
        return record

    # --- 知识库: retrieval test and synonyms ---------------------------------------------------------

    def hit_test(self, question: str, doc: str | None = None, year: str | int | None = None) -> tuple[str, Answer | None]:
        """The 命中测试 view of a question: the same data as `assistant ask --json --explain`."""
        question = (question or "").strip()
        if not question:
            return _error("请输入问题"), None
        try:
            answer = self.assistant.ask(question, doc=doc or None, year=int(year) if year else None, explain=True)
        except AssistantError as exc:
            return _error(str(exc)), None
        return render.render_explain(answer), answer

    def synonyms_view(self, message_html: str = "") -> SynonymView:
        """The synonym groups in use and the users' own, removable."""
        table = getattr(self.assistant, "synonyms", None)
        if table is None:
            return SynonymView(_error("同义词功能未启用"), [], message_html)
        own = table.user_groups()
        html = render.render_synonyms(table.shipped_groups(), table.file_groups(), own, enabled=table.enabled)
        return SynonymView(html, render.synonym_choices(own), message_html)

    def add_synonyms(self, text: str) -> SynonymView:
        """Add a group typed as "a|b|c" (applied to the next question, no restart)."""
        table = getattr(self.assistant, "synonyms", None)
        if table is None:
            return self.synonyms_view(_error("同义词功能未启用"))
        try:
            group = table.add_group(text)
        except UserError as exc:
            return self.synonyms_view(_error(str(exc)))
        return self.synonyms_view(_ok(f"已添加同义词组：{' | '.join(group)}（立即生效）"))

    def remove_synonyms(self, index: str | None) -> SynonymView:
        """Remove one of the users' own groups."""
        table = getattr(self.assistant, "synonyms", None)
        if table is None or index in (None, ""):
            return self.synonyms_view(_error("请先选择要删除的同义词组"))
        try:
            gone = table.remove_group(int(str(index)))
        except (UserError, ValueError) as exc:
            return self.synonyms_view(_error(str(exc) if isinstance(exc, UserError) else "请先选择要删除的同义词组"))
        return self.synonyms_view(_ok(f"已删除同义词组：{' | '.join(gone)}"))


def _cited(answer: Answer) -> list[Context]:
    """The answer's citations as passages (a citation beyond the shown sources is clickable too)."""
    return [Context(c.n, c.source, c.title, c.section, list(c.lines), c.quote, 0.0, c.page, c.location)
            for c in answer.citations if c.source]


def _passages(contexts: Sequence[Context]) -> list[dict[str, Any]]:
    """Distinct passages (by file and lines) as plain dicts, kept in the session between clicks."""
    seen: set[tuple[str, int, int]] = set()
    out = []
    for c in contexts:
        key = (c.source, int(c.lines[0]), int(c.lines[-1]))
        if key in seen or not c.source:
            continue
        seen.add(key)
        out.append({"source": c.source, "title": c.title, "section": c.section, "lines": [key[1], key[2]],
                    "text": c.text})
    return out


def _context(p: dict[str, Any]) -> Context:
    return Context(0, p["source"], p["title"], p["section"], list(p["lines"]), p["text"], 0.0)

