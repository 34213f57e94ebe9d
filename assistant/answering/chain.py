"""The answering chain: condense a follow-up, retrieve, prompt within a token budget, answer, verify.

Generative with any OpenAI-compatible endpoint (LangChain ChatOpenAI); offline, or when the LLM
fails, the extractive answerer quotes and cites instead and a notice says so.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from assistant.answering.abbrev import read_abbreviations
from assistant.answering.asked import spelled_out
from assistant.answering.citations import book_title, verify
from assistant.answering.curated import Closest, CuratedAnswers, curated_citation, curated_context
from assistant.answering.explain import curated_explain
from assistant.answering.explain import explain as explain_answer
from assistant.answering.frame import QuestionFrame, parse_question
from assistant.answering.gather import gather_contexts
from assistant.answering.guide import defused, guide_text
from assistant.answering.llm import Breaker, ChatModel, describe, fallback_errors, stream_within
from assistant.answering.offline import NOT_FOUND, OfflineAnswerer
from assistant.answering.stats import DocumentChunks, StatsCache
from assistant.answering.wording import full_years
from assistant.config import Settings
from assistant.errors import LLMUnavailable
from assistant.models import Answer, Context, CuratedInfo, Retrieved
from assistant.prompts import render
from assistant.retrieval.routing import Catalog, CatalogCache
from assistant.tokens import count_tokens

if TYPE_CHECKING:
    from assistant.seams import Retriever, StoreReader

History = Sequence[tuple[str, str]]
log = logging.getLogger(__name__)
# a follow-up that refers back ("那2025年呢？", "其中哪些是约束性指标？", "这个规划…")
_FOLLOW_UP = re.compile(
    r"^(那|那么|它|它们|其|其中|该|这|这个|这些|此|上述|还有|另外|以及|同时|又|再)|(这个|这些|该项|上述|它们?)|呢[？?]?$"
)
_QUESTION_ONLY = re.compile(r"[\s，。？?！!、]|什么|哪些|哪个|多少|怎么|怎样|如何|为什么|是否|具体|情况|请|说明|一下|呢|吗")


class AnswerChain:
    """Question (+ history) in, verified Answer out."""

    def __init__(
        self, settings: Settings, retriever: Retriever, store: StoreReader, offline: OfflineAnswerer,
        chat_model: ChatModel | None = None, curated: CuratedAnswers | None = None,
    ) -> None:
        self.settings = settings
        self.store = store
        self.curated = curated  # approved Q&A pairs, preferred when a question matches one closely
        self.retriever = retriever
        self.offline = offline
        self.chat_model = chat_model
        self.catalogs = CatalogCache(store)
        self.stats = StatsCache(store, settings.data_dir / "answer_stats.json")
        self.documents = DocumentChunks(store)
        self.breaker = Breaker(settings.llm_breaker_failures, settings.llm_breaker_cooldown_s)

    def frame(self, question: str) -> QuestionFrame:
        """The question's frame against the current collection."""
        return parse_question(question, self.catalogs.get())

    def understood(self, question: str, catalog: Catalog) -> tuple[str, QuestionFrame, list[tuple[str, str]]]:
        """The question as it is answered, its frame, and the shortenings in it that the documents never use,
        each with the documents' wording it was read as (固投 -> 固定资产投资; see abbrev.py)."""
        question = _written_out(question)
        frame = parse_question(question, catalog)
        read, readings = read_abbreviations(question, frame.terms, self.stats.get())
        return (read, parse_question(read, catalog), readings) if readings else (question, frame, [])

    def run(
        self,
        question: str,
        *,
        history: History = (),
        k: int | None = None,
        doc: str | None = None,
        year: int | None = None,
        on_token: Callable[[str], None] | None = None,
        explain: bool = False,
    ) -> Answer:
        """Answer one question; never raises for LLM trouble (falls back with a notice). With explain, the
        answer carries why: the question frame, routing, scores and decisions."""
        t0 = time.perf_counter()
        notice = None
        condensed = question
        if history:
            condensed, notice = self.condense(question, history)
        t1 = time.perf_counter()
        catalog = self.catalogs.get()
        condensed, frame, readings = self.understood(condensed, catalog)
        top_k = k or self.settings.top_k
        pool = gather_contexts(
            self.retriever, frame, condensed, catalog, k=max(top_k, self.settings.answer_pool), doc=doc, year=year
        )
        shown = max(top_k, len(frame.facets) * 2 + 1) if frame.multi else top_k
        t2 = time.perf_counter()
        # the offline answer is always worked out: it is the answer offline, and the LLM's guide otherwise
        draft = self.offline.answer(
            frame, pool, catalog, self.stats.get(), k=shown, library=self.documents
        )
        hits = draft.contexts
        answer = None
        streamed: list[str] = []
        closest = self._closest(condensed, catalog)
        if closest is not None and closest.matched:
            answer = self._curated(question, condensed, closest, hits)
            if answer is None:  # its passage is no longer in the knowledge base: the pair cannot cite it
                closest = replace(closest, gone=True)
            elif on_token:
                on_token(answer.answer)

        def relay(token: str) -> None:
            streamed.append(token)
            if on_token:
                on_token(token)

        if answer is None and self.chat_model is not None and hits:
            try:
                answer, hits = self._generate(condensed, hits, guide_text(frame, draft), relay if on_token else None)
            except fallback_errors() as exc:  # API and network trouble only: a programming error raises
                notice = _unavailable(exc)
        if answer is None:
            text = draft.text
            answer = Answer(
                question=question, condensed_question=condensed, answer=text, mode="extractive",
                abstained=draft.abstained, citations=verify(text, [h.chunk for h in hits], support=draft.support),
            )
            if on_token:
                # a reply cut off mid-stream is marked as such before the offline answer that replaces it
                on_token(f"\n\n（{notice}）\n{text}" if streamed else text)
        t3 = time.perf_counter()
        answer.question, answer.condensed_question = question, condensed
        if answer.mode != "curated":
            answer.contexts = [_context(h) for h in hits]
        read = "、".join(f"“{short}”按“{full}”" for short, full in readings)
        answer.notice = "；".join(n for n in (notice, f"{read}理解（文档中的说法）" if read else None) if n) or None
        if explain:
            answer.explain = explain_answer(frame, catalog, hits, draft, self.offline.scorer)
            answer.explain["curated"] = curated_explain(closest)
        answer.timings_ms = {
            "condense": round((t1 - t0) * 1000, 2), "retrieve": round((t2 - t1) * 1000, 2),
            "answer": round((t3 - t2) * 1000, 2), "total": round((t3 - t0) * 1000, 2),
        }
        return answer

    def _closest(self, question: str, catalog) -> Closest | None:
        """The nearest curated pair to the question (None when there are none or they are turned off)."""
        if self.curated is None or not self.settings.curated:
            return None
        return self.curated.closest(question, catalog, self.stats.get(), self.offline.synonyms,
                                    self.offline.synonyms_version)

    def _curated(self, question: str, condensed: str, closest: Closest, hits: list[Retrieved]) -> Answer | None:
        """The approved answer of a matching pair, citing its passage as the document reads now (None when the
        document no longer holds it: a curated answer always cites its source)."""
        pair = closest.pair
        assert pair is not None and pair.id is not None
        text = self.store.source_text(pair.evidence.source)
        citation = curated_citation(pair, text.split("\n") if text is not None else [])
        if not citation.verified:
            log.info("curated pair %s: its passage is no longer in %s", pair.id, pair.evidence.source)
            return None
        first = curated_context(pair, citation)
        rest = [_context(h) for h in hits if not (h.chunk.source == first.source and h.chunk.line_start <= first.lines[-1]
                                                   and h.chunk.line_end >= first.lines[0])]
        return Answer(
            question=question, condensed_question=condensed, answer=f"{pair.answer.strip()}[1]", mode="curated",
            abstained=False, citations=[citation], contexts=[first, *rest][: max(1, len(hits))],
            curated=CuratedInfo(pair.id, pair.question, pair.approved_by, pair.approved_at, closest.similarity,
                                closest.threshold, pair.feedback_id),
        )

    def as_runnable(self):
        """The chain as a LangChain Runnable: {"question", "history"?, "k"?, "doc"?, "year"?} -> Answer."""
        from langchain_core.runnables import RunnableLambda

        def _invoke(inputs: dict) -> Answer:
            return self.run(
                inputs["question"], history=inputs.get("history", ()), k=inputs.get("k"),
                doc=inputs.get("doc"), year=inputs.get("year"),
            )

        return RunnableLambda(_invoke, name="cited_answer")

    def condense(self, question: str, history: History) -> tuple[str, str | None]:
        """A standalone question: by the LLM when configured, else by carrying the previous question over."""
        if self.chat_model is not None:
            transcript = "\n".join(f"用户：{u}\n助手：{a[:300]}" for u, a in history[-3:])
            try:
                self.breaker.check()
                reply = self.chat_model.invoke(self._render("condense", history=transcript, question=question))
                self.breaker.success()
                text = str(reply.content).strip().splitlines()[0].strip() if reply.content else ""
                if text:
                    return text, None
            except fallback_errors() as exc:
                if not isinstance(exc, LLMUnavailable):
                    self.breaker.failure()
                return _carry_over(question, history), _unavailable(exc)
        return _carry_over(question, history), None

    def _generate(
        self, question: str, hits: list[Retrieved], guide: str, on_token
    ) -> tuple[Answer, list[Retrieved]]:
        """The LLM's answer from the sources that fit the prompt budget (returned with it: [n] counts them)."""
        assert self.chat_model is not None  # run asks for the LLM's answer only when there is a chat model
        used = self._within_budget(hits)
        sources = "\n\n".join(
            self._render(
                "source_item", n=i, title=book_title(h.chunk.title), section=" > ".join(h.chunk.section) or "正文",
                line_start=h.chunk.line_start, line_end=h.chunk.line_end, text=defused(h.chunk.text),
            )
            for i, h in enumerate(used, 1)
        )
        messages = [
            ("system", self._render("answer_system")),
            ("human", self._render("answer_user", sources=sources, guide=guide, question=question)),
        ]
        self.breaker.check()
        try:
            text = stream_within(self.chat_model, messages, on_token, budget_s=self.settings.llm_answer_budget_s)
            if not text:
                raise LLMUnavailable("空回复")
        except fallback_errors():
            self.breaker.failure()
            raise
        self.breaker.success()
        abstained = NOT_FOUND in text and len(text) <= len(NOT_FOUND) + 20
        answer = Answer(
            question=question, condensed_question=question, answer=text, mode="llm", abstained=abstained,
            citations=verify(text, [h.chunk for h in used]),
        )
        return answer, used

    def _render(self, name: str, **values: object) -> str:
        return render(name, prompts_dir=self.settings.prompts_dir, **values)

    def _within_budget(self, hits: list[Retrieved]) -> list[Retrieved]:
        """Keep sources in rank order while their tokens fit the prompt budget (always at least one)."""
        budget = self.settings.context_tokens
        used: list[Retrieved] = []
        spent = 0
        for h in hits:
            cost = count_tokens(h.chunk.text) + 30
            if used and spent + cost > budget:
                break
            used.append(h)
            spent += cost
        return used


def _carry_over(question: str, history: History) -> str:
    """Offline condensation: the follow-up rewritten with the subject it inherits filled in (see followup)."""
    from assistant.answering.followup import standalone

    # (the follow-up and the questions before it read with their short years and provinces written out: "皖呢？")
    return standalone(_written_out(question), [(_written_out(u), a) for u, a in history])


def _written_out(text: str) -> str:
    """A question with its short forms written out: a province named by its short character by its name, a
    two-digit year ("16年报告") in full."""
    return spelled_out(full_years(text))


def _context(h: Retrieved) -> Context:
    c = h.chunk
    return Context(rank=h.rank, source=c.source, title=c.title, section=c.section_path,
                   lines=[c.line_start, c.line_end], text=c.text, score=round(h.score, 4), page=c.page,
                   location=c.location)


def _unavailable(exc: BaseException) -> str:
    """The notice shown with an offline answer given instead of the LLM's (no credentials in it)."""
    log.info("LLM unavailable: %s", describe(exc))
    return f"LLM 不可用（{describe(exc)}），已改用离线摘录回答"
