"""How the units chosen for a facet are shown: a long statement of many figures cut to the clauses asked about,
a table row answering for one of several places with its own columns only, whether a statement announces the
counted items a question asks about, and why nothing answers when the collection has no document of what the
question names."""

from __future__ import annotations

import re
from dataclasses import replace

from assistant.answering.candidates import Candidate, render_row
from assistant.answering.terms import QuestionTerms
from assistant.retrieval.routing import Catalog, Scope, place_names
from assistant.text import norm
from assistant.vocab import section, vocabulary

_DIGIT = re.compile(r"\d")
_HOW_MANY = re.compile(r"几(?:个|项|大|件|类|条)?(?:重点|主要)?([\u4e00-\u9fff]{2})")  # ("几项重点工作": 工作 counted)


def counts_items(question: str, text: str) -> bool:
    """"分为几个方面" answered by "抓好以下十个方面工作": the statement counts the things asked about, and what
    it announces is listed after it."""
    m = _HOW_MANY.search(question)
    reading = section("reading")
    measures = [*vocabulary().units, *(w for group in reading["counter_groups"] for w in group)]
    if m and any(len(w) >= 2 and question.startswith(w, m.start(1)) for w in measures):
        return False  # "几个工作日", "几个百分点" ask for a measure, not for things listed after
    said = re.search(r"[一二三四五六七八九十两\d]+(?:个|项|大|件|类|条)?" + m.group(1), text) if m else None
    # (one that names them before the count, "甲、乙、丙3个中心", has listed them already)
    return said is not None and "、" not in text[: said.start()]


def lead_in(chosen: list[Candidate], answer_type: str, question: str) -> Candidate | None:
    """The chosen unit whose items answer the question: the first one for a list or a description, or one that
    counts the things asked about; for a list, a lead-in chosen below it that announces items ("重点抓好以下十二个
    方面：") comes first."""
    if answer_type == "list":
        found = next((u for u in chosen if u.text.rstrip().endswith(("：", ":")) and (
            "以下" in u.text or counts_items(question, u.text))), None)
        if found is not None:
            return found
    if chosen and (answer_type in ("list", "description") or counts_items(question, chosen[0].text)):
        return chosen[0]
    return None


FOCUS_CHARS = 90  # a figure's statement longer than this is shown as the clauses that hold the asked figure


def focus(unit: Candidate, terms: QuestionTerms) -> Candidate:
    """A long statement of many figures shown as the clauses that hold the asked ones (the lead-in kept,
    the rest elided with ……); the quote behind the citation stays the whole sentence."""
    if unit.kind == "row" or len(unit.display) <= FOCUS_CHARS:
        return unit
    clauses = clauses_of(unit.display)
    weights = {t: w for t, w in terms.own_weights.items() if not t.isdigit()}
    said = [sum(w for t, w in weights.items() if terms.has(t, norm(c))) for c in clauses]
    # the clause that says most of what is asked stays, with a figure or without ("居民收入增长与经济增长同步")
    best = max(said, default=0.0)
    keep = [i for i, c in enumerate(clauses) if said[i] and (_DIGIT.search(c) or said[i] == best)]
    if not keep or len(keep) == len(clauses):
        return unit
    head = clauses[0] if ("：" in clauses[0] or ":" in clauses[0]) and 0 not in keep else ""
    head = head.split("：")[0].split(":")[0] + "：" if head else ""
    body = "……".join(clauses[i].rstrip("，,；;") for i in keep)
    return replace(unit, display=f"{head}{body}")


def clauses_of(text: str) -> list[str]:
    """The text cut after each ，；,; that stands outside brackets ("（责任单位：甲，乙）" stays whole)."""
    out, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        depth += (ch in "（(") - (ch in "）)")
        if ch in "，；,;" and depth <= 0:
            out.append(text[start : i + 1])
            start = i + 1
    return [c for c in [*out, text[start:]] if c]


def own_columns(unit: Candidate, mine: tuple[str, ...], asked: tuple[str, ...]) -> Candidate:
    """A table row answering for one of several places compared, shown without the columns of the others
    ("2025年·乙省：93%" under 乙省, not 甲市's figures beside it)."""
    if unit.kind != "row":
        return unit
    others = {n for p in asked if p not in mine for n in place_names(p)}
    kept = [(h, v) for h, v in unit.cells if not any(n in h for n in others)]
    if len(kept) == len(unit.cells) or not any(any(n in h for n in place_names(p)) for h, _ in kept for p in mine):
        return unit
    return replace(unit, display=render_row(kept))


def not_held(scope: Scope, catalog: Catalog) -> str | None:
    """Why nothing answers when the places and years a question names match no document of the kind it names:
    "知识库中没有全国2025年的政府工作报告。" (None when some document fits, or the question names neither)."""
    if not (scope.places or scope.doc_years) or scope.doc_ids:
        return None
    if catalog.matching(Scope(places=scope.places, doc_years=scope.doc_years, kinds=scope.kinds)):
        return None
    vocab = vocabulary()
    years = "、".join(f"{y}年" for y in scope.doc_years)
    kind = vocab.kind_names.get(scope.kinds[0], "文档") if scope.kinds else "文档"
    return f"知识库中没有{'、'.join(scope.places)}{years}的{kind}。"
