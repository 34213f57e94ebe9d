"""Errors the assistant raises on purpose; their messages are for people (Chinese), one line each."""

from __future__ import annotations


class AssistantError(Exception):
    """Base of the errors a caller can show as they are (a user mistake or a limit, not a bug)."""


class InputTooLong(AssistantError, ValueError):
    """A question, topic or batch over its limit: refused before any work is done."""

    def __init__(self, what: str, size: int, limit: int, unit: str = "字") -> None:
        self.what, self.size, self.limit = what, size, limit
        super().__init__(f"{what}过长（{size:,} {unit}），上限为 {limit:,} {unit}，请精简后重试")


def check_length(what: str, text: str, limit: int) -> str:
    """The text unchanged when it fits the limit; otherwise InputTooLong naming what and both sizes."""
    if len(text) > limit:
        raise InputTooLong(what, len(text), limit)
    return text
