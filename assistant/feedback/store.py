"""Which feedback store a knowledge base uses."""

from __future__ import annotations

from assistant.config import Settings
from assistant.feedback.model import FeedbackStore, knowledge_base_id
from assistant.feedback.sqlite import SqliteFeedbackStore


def make_feedback_store(settings: Settings) -> FeedbackStore:
    """The SQLite store in the data directory, keyed by the knowledge base (the Chroma server's collection when
    one is configured, so two knowledge bases never mix their feedback)."""
    return SqliteFeedbackStore.in_dir(settings.data_dir, knowledge_base_id(settings))
