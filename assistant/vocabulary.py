"""The vocabulary of Chinese official documents (vocabulary.toml), loaded once on first use."""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path
from typing import Any

PATH = Path(__file__).with_name("vocabulary.toml")


@cache
def vocabulary() -> dict[str, Any]:
    """The parsed vocabulary file (read on first call, then shared)."""
    with PATH.open("rb") as f:
        return tomllib.load(f)


def words(section: str, key: str) -> list[str]:
    """One word list of the vocabulary, e.g. words("questions", "asking")."""
    return list(vocabulary()[section][key])
