"""The answering chain: condense a follow-up, retrieve, prompt within a token budget, answer, verify.

Generative with any OpenAI-compatible endpoint (LangChain ChatOpenAI); offline, or when the LLM
fails, the extractive answerer quotes and cites instead and a notice says so.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Sequence

from assistant.answering.citations import book_title, verify
from assistant.answering.frame import QuestionFrame, parse_question
from assistant.answering.gather import gather_contexts
from assistant.answering.guide import defused, guide_text
from assistant.answering.offline import NOT_FOUND, OfflineAnswerer
from assistant.answering.stats import DocumentChunks, StatsCache
from assistant.config import Settings
from assistant.models import Answer, Context, Retrieved
from assistant.prompts import render
from assistant.retrieval.routing import CatalogCache
from assistant.tokens import count_tokens

History = Sequence[tuple[str, str]]
# a follow-up that refers back ("那2025年呢？", "其中哪些是约束性指标？", "这个规划…")
_FOLLOW_UP = re.compile(
    r"^(那|那么|它|它们|其|其中|该|这|这个|这些|此|上述|还有|另外|以及|同时|又|再)|(这个|这些|该项|上述|它们?)|呢[？?]?$"
)
_QUESTION_ONLY = re.compile(r"[\s，。？?！!、]|什么|哪些|哪个|多少|怎么|怎样|如何|为什么|是否|具体|情况|请|说明|一下|呢|吗")


def make_chat_model(settings: Settings):
    """A LangChain chat model for the configured endpoint, or None offline."""
    if not settings.llm_enabled:
        return None
    from langchain_openai import ChatOpenAI

    return ChatOpenAI(
        model=settings.llm_model,
        base_url=settings.llm_base_url,
        api_key=settings.llm_api_key or "not-needed",
        timeout=settings.llm_timeout_s,
        max_retries=settings.llm_max_retries,
        temperature=settings.llm_temperature,
    )


class AnswerChain:
    """Question (+ history) in, verified Answer out."""

    def __init__(self, settings: Settings, retriever, store, offline: OfflineAnswerer, chat_model=None):
        self.settings = settings
        self.retriever = retriever
        self.offline = offline
        self.chat_model = chat_model
        self.catalogs = CatalogCache(store)
        self.stats = StatsCache(store, settings.data_dir / "answer_stats.json")
        self.documents = DocumentChunks(store)

    def frame(self, question: str) -> QuestionFrame:
        """The question's frame against the current collection."""
        return parse_question(question, self.catalogs.get())

    def run(
        self,
        question: str,
        *,
        history: History = (),
        k: int | None = None,
        doc: str | None = None,
        year: int | None = None,
        on_token: Callable[[str], None] | None = None,
    ) -> Answer:
        """Answer one question; never raises for LLM trouble (falls back with a notice)."""
        t0 = time.perf_counter()
        notice = None
        condensed = question
        if history:
            condensed, notice = self.condense(question, history)
        t1 = time.perf_counter()
        catalog = self.catalogs.get()
        frame = parse_question(condensed, catalog)
        top_k = k or self.settings.top_k
        pool = gather_contexts(
            self.retriever, frame, condensed, catalog, k=max(top_k, self.settings.answer_pool), doc=doc, year=year
        )
        shown = max(top_k, len(frame.facets) * 2 + 1) if frame.multi else top_k
        t2 = time.perf_counter()
        # the offline answer is always worked out: it is the answer offline, and the LLM's guide otherwise
        draft = self.offline.answer(
            frame, pool, catalog, self.stats.get(), k=shown, chunks_of=self.documents.chunks_of
        )
        hits = draft.contexts
        answer = None
        streamed: list[str] = []

        def relay(token: str) -> None:
            streamed.append(token)
            if on_token:
                on_token(token)

        if self.chat_model is not None and hits:
            try:
                answer, hits = self._generate(condensed, hits, guide_text(frame, draft), relay if on_token else None)
            except Exception as exc:  # noqa: BLE001 - any endpoint failure falls back to offline
                notice = f"LLM 不可用（{_describe(exc)}），已改用离线摘录回答"
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
        answer.contexts = [_context(h) for h in hits]
        answer.notice = notice
        answer.timings_ms = {
            "condense": round((t1 - t0) * 1000, 2), "retrieve": round((t2 - t1) * 1000, 2),
            "answer": round((t3 - t2) * 1000, 2), "total": round((t3 - t0) * 1000, 2),
        }
        return answer

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
                reply = self.chat_model.invoke(self._render("condense", history=transcript, question=question))
                text = str(reply.content).strip().splitlines()[0].strip() if reply.content else ""
                if text:
                    return text, None
            except Exception as exc:  # noqa: BLE001
                return _carry_over(question, history), f"LLM 不可用（{_describe(exc)}），已改用离线摘录回答"
        return _carry_over(question, history), None

    def _generate(
        self, question: str, hits: list[Retrieved], guide: str, on_token
    ) -> tuple[Answer, list[Retrieved]]:
        """The LLM's answer from the sources that fit the prompt budget (returned with it: [n] counts them)."""
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
        if on_token:
            parts = []
            for piece in self.chat_model.stream(messages):
                token = str(piece.content or "")
                if token:
                    parts.append(token)
                    on_token(token)
            text = "".join(parts).strip()
        else:
            text = str(self.chat_model.invoke(messages).content).strip()
        if not text:
            raise RuntimeError("empty reply")
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
        used, spent = [], 0
        for h in hits:
            cost = count_tokens(h.chunk.text) + 30
            if used and spent + cost > budget:
                break
            used.append(h)
            spent += cost
        return used


def _carry_over(question: str, history: History) -> str:
    """Offline condensation: a short or referring follow-up inherits the previous question's topic."""
    previous = history[-1][0]
    # a question with almost no words of its own ("具体是多少？") or one that refers back needs the topic
    own_words = _QUESTION_ONLY.sub("", question)
    if len(own_words) <= 3 or _FOLLOW_UP.search(question):
        return f"{previous} {question}"
    return question


def _context(h: Retrieved) -> Context:
    c = h.chunk
    return Context(rank=h.rank, source=c.source, title=c.title, section=c.section_path,
                   lines=[c.line_start, c.line_end], text=c.text, score=round(h.score, 4), page=c.page)


def _describe(exc: Exception) -> str:
    """A one-line description that never includes credentials."""
    status = getattr(exc, "status_code", None)
    name = type(exc).__name__
    return f"{name} {status}" if status else name
