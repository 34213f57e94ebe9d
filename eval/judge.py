"""LLM-as-judge scores (faithfulness to sources, correctness against the expected answer), generative mode only."""

from __future__ import annotations

import re
import string
from collections.abc import Callable
from pathlib import Path
from typing import Any

from assistant.models import Answer
from eval.results import Judged
from eval.suite import EvalItem

# prompt text in, reply text out
JudgeFn = Callable[[str], str]

_SCORE = re.compile(r"[1-5]")


def render_prompt(name: str, prompts_dir: Path, **variables: str) -> str:
    """Render prompts/<name>.md through assistant.prompts when it exists, else a strict local fallback."""
    try:
        from assistant.prompts import render  # the shared loader, once the lead adds it
    except ImportError:
        return _render_fallback(prompts_dir / f"{name}.md", variables)
    return render(name, **variables)


def _render_fallback(path: Path, variables: dict[str, str]) -> str:
    template = path.read_text(encoding="utf-8")
    wanted = {f for _, f, _, _ in string.Formatter().parse(template) if f}
    missing = wanted - variables.keys()
    if missing:
        raise KeyError(f"{path.name}: missing prompt variables {sorted(missing)}")
    return template.format(**variables)


def parse_score(reply: str) -> float | None:
    """The first 1..5 digit of the reply mapped to 0..1; None when the reply has none."""
    match = _SCORE.search(reply or "")
    return (int(match.group()) - 1) / 4 if match else None


def judge_answer(judge: JudgeFn, item: EvalItem, answer: Answer, *, prompts_dir: Path) -> Judged:
    """Ask the judge model for faithfulness and correctness of one answer."""
    contexts = "\n\n".join(f"[{c.rank}] {c.section}\n{c.text}" for c in answer.contexts) or "（无）"
    result = Judged()
    prompts = {
        "faithfulness": render_prompt(
            "judge_faithfulness", prompts_dir, question=item.question, contexts=contexts, answer=answer.answer
        ),
        "correctness": render_prompt(
            "judge_correctness",
            prompts_dir,
            question=item.question,
            expected=item.answer or "文档中未提及",
            answer=answer.answer,
        ),
    }
    for metric, prompt in prompts.items():
        try:
            reply = judge(prompt)
        except Exception as exc:  # noqa: BLE001 - a failing judge call costs one score, not the run
            result.notes.append(f"{metric}: judge failed ({type(exc).__name__}: {exc})")
            continue
        score = parse_score(reply)
        if score is None:
            result.notes.append(f"{metric}: no score in judge reply {reply[:80]!r}")
        setattr(result, metric, score)
    return result


def judge_from_assistant(assistant: Any) -> JudgeFn | None:
    """A judge function over the assistant's configured chat model (LangChain-style .invoke), if any."""
    chat = getattr(assistant, "chat_model", None)
    if chat is None or not hasattr(chat, "invoke"):
        return None

    def judge(prompt: str) -> str:
        reply = chat.invoke(prompt)
        content = getattr(reply, "content", reply)
        return content if isinstance(content, str) else str(content)

    return judge
