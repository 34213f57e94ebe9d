"""Prompt files: every one renders with its variables; a missing or unknown variable is an error."""

from __future__ import annotations

import pytest

from assistant.config import PROJECT_ROOT
from assistant.prompts import PromptError, render, variables

PROMPT_NAMES = sorted(p.stem for p in (PROJECT_ROOT / "prompts").glob("*.md"))


def test_the_prompts_the_answer_chain_uses_exist():
    assert {"answer_system", "answer_user", "condense", "source_item"} <= set(PROMPT_NAMES)


@pytest.mark.parametrize("name", PROMPT_NAMES)
def test_every_prompt_renders_with_its_variables(name):
    names = variables(name)
    values = {v: f"«{v}-值»" for v in names}
    text = render(name, **values)

    assert text.strip()
    for v in names:
        assert f"«{v}-值»" in text
    assert not any("{" + v + "}" in text for v in names)


@pytest.mark.parametrize("name", [n for n in PROMPT_NAMES if variables(n)])
def test_a_missing_variable_raises(name):
    names = sorted(variables(name))
    values = {v: "x" for v in names[1:]}
    with pytest.raises(PromptError, match=names[0]):
        render(name, **values)


def test_an_unexpected_variable_raises():
    with pytest.raises(PromptError, match="unexpected"):
        render("condense", history="h", question="q", answer="a")


def test_values_are_inserted_verbatim_even_with_braces():
    text = render(
        "source_item", n=1, title="《规划》", section="第一章", line_start=3, line_end=4, text="{question} 50%"
    )
    assert "{question} 50%" in text and "[1] 《规划》 第一章（第3-4行）" in text


def test_expected_variables_of_the_chain_prompts():
    assert variables("condense") == {"history", "question"}
    assert variables("answer_user") == {"sources", "guide", "question"}
    assert variables("answer_system") == frozenset()


def test_prompts_dir_can_be_swapped_and_a_missing_file_raises(tmp_path):
    (tmp_path / "hello.md").write_text("你好，{name}！", encoding="utf-8")
    assert render("hello", prompts_dir=tmp_path, name="世界") == "你好，世界！"
    with pytest.raises(PromptError, match="not found"):
        render("absent", prompts_dir=tmp_path)
