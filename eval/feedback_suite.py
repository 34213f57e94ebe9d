"""Officials' corrections as eval items: one click turns a corrected exchange into an item of a suite that
`assistant eval NAME` runs like the bundled ones (same schema: question, answer, must_include, evidence, doc,
section, type, split).

User suites live in the data directory (`DATA_DIR/suites/NAME.jsonl`), beside the knowledge base they were
written on.
"""

from __future__ import annotations

import json
import re
import threading
from pathlib import Path
from typing import Any

from assistant.display import MARKER
from assistant.errors import UserError
from assistant.feedback.model import Feedback
from assistant.text import norm
from assistant.vocab import vocabulary
from eval.suite import SUITES_DIR, EvalItem, load_suite, parse_item

SUITES_SUBDIR = "suites"
DEFAULT_SUITE = "反馈"
MAX_NAME_CHARS = 40
MAX_PHRASES = 3
_NAME = re.compile(r"^[\w\u3400-\u9fff\-]+$")
_lock = threading.Lock()


def user_suites_dir(data_dir: Path) -> Path:
    """Where the suites built from feedback are kept."""
    return Path(data_dir) / SUITES_SUBDIR


def user_suites(data_dir: Path) -> list[Path]:
    """The suites built from feedback, by name."""
    folder = user_suites_dir(data_dir)
    return sorted(folder.glob("*.jsonl")) if folder.is_dir() else []


def suite_path(data_dir: Path, name: str) -> Path:
    """The file of a user suite; refused when the name could leave the folder or clash with a bundled suite."""
    name = (name or "").strip()
    if not name or len(name) > MAX_NAME_CHARS or not _NAME.match(name):
        raise UserError(f"评测集名称只能由汉字、字母、数字、下划线和“-”组成，不超过 {MAX_NAME_CHARS} 个字")
    if (SUITES_DIR / f"{name}.jsonl").is_file():
        raise UserError(f"“{name}”是内置评测集的名称，请换一个名称")
    return user_suites_dir(data_dir) / f"{name}.jsonl"


def figures(text: str) -> list[str]:
    """The figures a text states with their units ("50万户", "12630家", "98%"), in order."""
    units = "|".join(re.escape(u) for u in vocabulary().units)
    found = re.findall(rf"\d+(?:\.\d+)?\s*(?:{units})?", text)
    years = re.compile(r"^(?:19|20)\d{2}年?$")
    return list(dict.fromkeys(f.strip() for f in found if not years.match(f.strip())))


def suite_item(feedback: Feedback, item_id: str) -> dict[str, Any]:
    """The suite record of a corrected (or confirmed) exchange.

    answer: the correction (or the confirmed answer without its markers); evidence: the sentence of the clicked
    passage that holds it; must_include: the figures the answer states, else up to three phrases it shares with
    the evidence, else the answer itself when it is short.
    """
    answer = feedback.correction.strip() if feedback.verdict == "wrong" else MARKER.sub("", feedback.answer).strip()
    if not answer:
        raise UserError("这条反馈没有正确答案：请先填写更正，或对回答标记“正确”")
    evidence = feedback.evidence
    quote = (evidence.quote or evidence.text).strip() if evidence else ""
    if not quote and feedback.verdict == "correct" and feedback.citations:
        quote = str(feedback.citations[0].get("quote") or "")
    stated = figures(answer)
    must = stated or _shared_phrases(answer, quote) or ([answer.rstrip("。.；;")] if len(answer) <= 20 else [])
    doc = evidence.source if evidence else (str(feedback.citations[0].get("source")) if feedback.citations else "")
    return {
        "id": item_id,
        "question": feedback.condensed_question or feedback.question,
        "answer": answer,
        "must_include": must,
        "evidence": [quote] if quote else [],
        "doc": [doc] if doc else [],
        "section": evidence.section if evidence else "",
        "type": "number" if stated else "fact",
        "split": "test",  # officials' items are for checking the product, never for fitting it
    }


def add_to_suite(data_dir: Path, name: str, feedback: Feedback) -> EvalItem:
    """Append the exchange to a user suite (created when new); returns the item as `assistant eval` reads it."""
    path = suite_path(data_dir, name)
    item_id = f"fb{feedback.id}"
    record = suite_item(feedback, item_id)
    item = parse_item(record)  # the same checks as any suite file's rows
    with _lock:
        if path.is_file() and any(i.id == item_id for i in load_suite(path).items):
            raise UserError(f"评测集“{name}”中已有这条反馈（{item_id}）")
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as f:
            f.write(json.dumps(record, ensure_ascii=False) + "\n")
    return item


def _shared_phrases(answer: str, evidence: str, *, shortest: int = 4) -> list[str]:
    """The longest phrases (at least `shortest` characters) the answer takes word for word from the evidence."""
    a, e = answer, norm(evidence)
    if not e:
        return []
    found: list[str] = []
    i = 0
    while i < len(a) and len(found) < MAX_PHRASES:
        best = ""
        for j in range(len(a), i + shortest - 1, -1):
            piece = a[i:j]
            if norm(piece) in e and len(piece.strip()) >= shortest:
                best = piece.strip()
                break
        if best:
            found.append(best)
            i += len(best)
        else:
            i += 1
    return found
