"""The language-model seam: the chat model for the configured endpoint, which failures fall back to the
offline answer (API and network trouble, never programming errors), a deadline per answer, and a circuit
breaker so a dead endpoint costs users nothing after it has failed twice."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any, Protocol

from assistant.config import Settings
from assistant.errors import LLMUnavailable

log = logging.getLogger(__name__)


class ChatModel(Protocol):
    """What the chain needs of a chat model (LangChain's ChatOpenAI, or a fake in tests)."""

    def invoke(self, messages: Any, /) -> Any:
        """One reply (with .content)."""
        ...

    def stream(self, messages: Any, /) -> Iterable[Any]:
        """The reply in pieces (each with .content)."""
        ...


def make_chat_model(settings: Settings) -> ChatModel | None:
    """A LangChain chat model for the configured endpoint, or None offline."""
    if not settings.llm_enabled:
        return None
    from langchain_openai import ChatOpenAI
    from pydantic import SecretStr

    model: ChatModel = ChatOpenAI(
        model=settings.llm_model,
        base_url=settings.llm_base_url,
        api_key=settings.llm_api_key or SecretStr("not-needed"),
        timeout=settings.llm_timeout_s,  # connect and each read: a silent endpoint fails within this
        max_retries=settings.llm_max_retries,
        temperature=settings.llm_temperature,
    )
    return model


def fallback_errors() -> tuple[type[BaseException], ...]:
    """The failures that mean "the endpoint is not usable now": the offline answer is given instead."""
    import json

    import httpx
    import openai

    # JSONDecodeError: an endpoint that streams garbage (the SDK parses each event as JSON)
    return (openai.APIError, httpx.HTTPError, TimeoutError, ConnectionError, json.JSONDecodeError, LLMUnavailable)


def describe(exc: BaseException) -> str:
    """A one-line description that never includes credentials."""
    status = getattr(exc, "status_code", None)
    name = type(exc).__name__
    if isinstance(exc, LLMUnavailable):
        return str(exc)
    return f"{name} {status}" if status else name


class Breaker:
    """Opens after `failures` consecutive failures; while open, calls are refused at once; after
    `cooldown_s` one call is let through as a probe (success closes it, failure opens it again)."""

    def __init__(self, failures: int = 2, cooldown_s: float = 60.0, clock: Callable[[], float] = time.monotonic):
        self.failures = failures
        self.cooldown_s = cooldown_s
        self.clock = clock
        self._count = 0
        self._opened_at: float | None = None
        self._lock = threading.Lock()

    def check(self) -> None:
        """Raise LLMUnavailable while open (and not yet due for a probe)."""
        with self._lock:
            if self._opened_at is None:
                return
            waited = self.clock() - self._opened_at
            if waited < self.cooldown_s:
                raise LLMUnavailable(f"大模型接口连续失败，{self.cooldown_s - waited:.0f} 秒内暂停调用")
            self._opened_at = self.clock()  # the probe: later callers wait for its outcome's cooldown

    def success(self) -> None:
        """A call went through: close."""
        with self._lock:
            self._count, self._opened_at = 0, None

    def failure(self) -> None:
        """A call failed: count it, open at the limit."""
        with self._lock:
            self._count += 1
            if self._count >= self.failures:
                self._opened_at = self.clock()
                log.warning("LLM circuit open after %d failures; offline answers for %.0f s", self._count,
                            self.cooldown_s)


def stream_within(
    chat_model: ChatModel, messages: Any, on_token: Callable[[str], None] | None, *, budget_s: float,
    clock: Callable[[], float] = time.monotonic,
) -> str:
    """The model's reply (streamed to on_token when given), abandoned when it runs past the budget."""
    started = clock()
    if on_token is None:
        reply = chat_model.invoke(messages)
        if clock() - started > budget_s:
            raise LLMUnavailable(f"回答超过 {budget_s:.0f} 秒")
        return str(reply.content or "").strip()
    parts: list[str] = []
    for piece in chat_model.stream(messages):
        token = str(piece.content or "")
        if token:
            parts.append(token)
            on_token(token)
        if clock() - started > budget_s:
            raise LLMUnavailable(f"回答超过 {budget_s:.0f} 秒")
    return "".join(parts).strip()
