"""Shared test fixtures: no real credentials or endpoints ever reach a test."""

from __future__ import annotations

import os

import pytest

_SENSITIVE = ("OPENAI_API_KEY", "OPENAI_BASE_URL", "OPENAI_API_BASE")


@pytest.fixture(autouse=True)
def _no_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    """Remove API keys and ASSISTANT_* settings so a stray real call fails loudly and settings are defaults."""
    for name in list(os.environ):
        if name.startswith("ASSISTANT_") or name in _SENSITIVE:
            monkeypatch.delenv(name, raising=False)
