"""One tree of the assistant's own exceptions: callers catch what they mean and nothing else."""

from __future__ import annotations


class AssistantError(Exception):
    """Base of every error the assistant raises on purpose (programming errors are not among them)."""


class UserError(AssistantError):
    """A mistake the user can fix (a bad argument, a filter that matches nothing): one line, exit code 2."""


class InputTooLong(UserError, ValueError):
    """A question, topic or batch line over its limit: refused before any work is done (message in Chinese)."""

    def __init__(self, what: str, size: int, limit: int, unit: str = "字") -> None:
        self.what, self.size, self.limit = what, size, limit
        super().__init__(f"{what}过长（{size:,} {unit}），上限为 {limit:,} {unit}，请精简后重试")


class ConfigError(AssistantError):
    """Settings or a shipped data file that cannot be used (a model file that does not match the code)."""


class LLMUnavailable(AssistantError):
    """The language model endpoint failed, timed out, broke off or is paused by the circuit breaker: the
    offline answer is given instead, with a notice."""


def check_length(what: str, text: str, limit: int) -> str:
    """The text unchanged when it fits the limit; otherwise InputTooLong naming what and both sizes."""
    if len(text) > limit:
        raise InputTooLong(what, len(text), limit)
    return text
