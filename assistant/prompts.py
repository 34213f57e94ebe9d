"""Prompts are files: prompts/<name>.md, rendered with {variables} that must all be supplied."""

from __future__ import annotations

import string
from functools import lru_cache
from pathlib import Path

from assistant.config import PROJECT_ROOT
from assistant.errors import ConfigError

DEFAULT_DIR = PROJECT_ROOT / "prompts"


class PromptError(ConfigError, KeyError):
    """A prompt file is missing or was rendered with missing/unknown variables."""


@lru_cache(maxsize=64)
def _load(path: Path) -> tuple[str, frozenset[str]]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise PromptError(f"prompt file not found: {path}") from exc
    fields = frozenset(f for _, f, _, _ in string.Formatter().parse(text) if f)
    return text, fields


def variables(name: str, /, *, prompts_dir: Path | None = None) -> frozenset[str]:
    """The variables a prompt expects."""
    return _load((prompts_dir or DEFAULT_DIR) / f"{name}.md")[1]


def render(name: str, /, *, prompts_dir: Path | None = None, **values: object) -> str:
    """Render a prompt; a missing or unexpected variable is an error, never a silent blank.

    `name` is positional-only so a prompt may itself use a {name} variable.
    """
    text, fields = _load((prompts_dir or DEFAULT_DIR) / f"{name}.md")
    missing = fields - values.keys()
    extra = values.keys() - fields
    if missing or extra:
        raise PromptError(f"prompt {name!r}: missing {sorted(missing)}, unexpected {sorted(extra)}")
    return text.format(**values)
