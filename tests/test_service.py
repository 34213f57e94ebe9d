"""The Assistant facade bounds every request before any work: question length and follow-up history."""

from __future__ import annotations

import pytest
from conftest import RecordingAnswerer

from assistant.config import Settings
from assistant.errors import InputTooLong
from assistant.service import Assistant


@pytest.fixture
def facade(tmp_path) -> tuple[Assistant, RecordingAnswerer]:
    answerer = RecordingAnswerer()
    settings = Settings(_env_file=None, data_dir=tmp_path, max_question_chars=2000, max_history_turns=3)
    return Assistant(settings, embedder=None, store=None, retriever=None, answerer=answerer), answerer


def test_a_question_over_the_limit_is_refused_in_chinese_before_any_work(facade) -> None:
    assistant, answerer = facade

    with pytest.raises(InputTooLong) as raised:
        assistant.ask("十四五" * 400_000)  # 1.2 million characters

    message = str(raised.value)
    assert "问题过长" in message and "1,200,000" in message and "2,000" in message
    assert answerer.runs == []  # nothing was embedded or retrieved


def test_a_question_at_the_limit_is_answered(facade) -> None:
    assistant, answerer = facade
    assistant.ask("问" * 2000)
    assert len(answerer.runs) == 1


def test_only_the_last_turns_of_history_reach_the_answerer_each_cut_to_the_limit(facade) -> None:
    assistant, answerer = facade
    history = [(f"问题{i}", "答" * 50_000) for i in range(100)]

    assistant.ask("那2025年呢？", history=history)

    seen = answerer.runs[0]["history"]
    assert [u for u, _ in seen] == ["问题97", "问题98", "问题99"]
    assert all(len(a) == 2000 for _, a in seen)
