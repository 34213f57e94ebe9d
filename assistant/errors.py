"""One tree of the assistant's own exceptions: callers catch what they mean and nothing else."""

from __future__ import annotations


class AssistantError(Exception):
    """Base of every error the assistant raises on purpose (programming errors are not among them)."""


class UserError(AssistantError):
    """A mistake the user can fix (a bad argument, a filter that matches nothing): one line, exit code 2."""


class ConfigError(AssistantError):
    """Settings or a shipped data file that cannot be used (a model file that does not match the code)."""


class LLMUnavailable(AssistantError):
    """The language model endpoint failed, timed out, broke off or is paused by the circuit breaker: the
    offline answer is given instead, with a notice."""
