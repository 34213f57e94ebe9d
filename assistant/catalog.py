"""The knowledge base at a glance: documents by kind, place and year, example questions drawn from the
documents themselves, and what to tell a user whose filter or question cannot match them.

Pure functions over DocumentInfo and Chunk lists (the CLI and the web UI pass them in). A document's kind and
place are what ingest recorded, else read from its title with the vocabulary (kinds, the table of
administrative divisions), so nothing here names a place or a document.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import zip_longest
from typing import Any

from assistant.answering.citations import book_title
from assistant.models import Answer, Chunk, DocumentInfo, Retrieved
from assistant.text import norm
from assistant.vocab import places, section, vocabulary

_BRACKETS = re.compile(r"[（(][^）)]*[）)]$")
_NUMBERING = re.compile(r"^(?:第[一二三四五六七八九十百\d]+[篇章节]|[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[）)]|\d+[.．、])\s*")
_CJK = re.compile(r"[\u3400-\u9fff]")
_LATIN_WORD = re.compile(r"[A-Za-z]{2,}")


@dataclass
class Overview:
    """How many documents and files, and the documents counted by kind, place and year (most first)."""

    documents: int = 0
    files: int = 0
    kinds: list[tuple[str, int]] = field(default_factory=list)
    places: list[tuple[str, int]] = field(default_factory=list)
    years: list[tuple[str, int]] = field(default_factory=list)


def _bare(title: str) -> str:
    """A title without book-title marks and trailing brackets such as （试行）."""
    text = title.strip().replace("《", "").replace("》", "")
    while _BRACKETS.search(text):
        text = _BRACKETS.sub("", text).strip()
    return text


def document_kind(doc: DocumentInfo | str) -> str:
    """The kind of a document in Chinese (规划, 政府工作报告, 实施方案, …): as ingest recorded it, else by its title."""
    vocab = vocabulary()
    kind = getattr(doc, "kind", None) if not isinstance(doc, str) else None
    title = doc if isinstance(doc, str) else doc.title
    kind = kind or vocab.kind_of(title)
    return vocab.kind_names.get(kind, vocab.kind_names.get("other", kind))


def document_place(doc: DocumentInfo | str) -> str | None:
    """The place a document speaks for: as ingest recorded it, else the division its title starts with."""
    recorded = getattr(doc, "place", None) if not isinstance(doc, str) else None
    if recorded:
        return recorded
    title = _bare(doc if isinstance(doc, str) else doc.title)
    found = places().find(title[:16])
    if not found or found[0][0] != 0:
        return None
    name, candidates = found[0][1], found[0][2]
    full = [p.name for p in candidates if p.name == name]
    return full[0] if full else (candidates[0].name if len(candidates) == 1 else name)


def short_title(title: str) -> str:
    """A title without its place and plan period, for questions ("教育事业发展规划")."""
    bare = _bare(title)
    found = places().find(bare[:16])
    if found and found[0][0] == 0 and len(bare) > len(found[0][1]) + 2:
        bare = bare[len(found[0][1]):]
    periods = "|".join(map(re.escape, vocabulary().periods))
    return re.sub(rf"^“?(?:{periods})”?(?:时期|期间)?", "", bare) or bare


def overview(docs: Sequence[DocumentInfo]) -> Overview:
    """Counts of documents by kind, place and year."""
    words = section("catalog")
    kinds = Counter(document_kind(d) for d in docs)
    where = Counter(document_place(d) or words["unknown_place"] for d in docs)
    years = Counter(str(d.year) if d.year else words["unknown_year"] for d in docs)
    by_year = sorted(years.items(), key=lambda kv: (not kv[0].isdigit(), -int(kv[0]) if kv[0].isdigit() else 0))
    return Overview(
        documents=len(docs),
        files=len({d.source for d in docs}),
        kinds=kinds.most_common(),
        places=sorted(where.items(), key=lambda kv: (kv[0] == words["unknown_place"], -kv[1], kv[0])),
        years=by_year,
    )


# --- example questions -------------------------------------------------------------------------------


def _indicator_name(indicator: str) -> str | None:
    """An indicator as a question can name it: numbering, units in brackets and spaces removed."""
    name = re.sub(r"^\d+[.．、]\s*", "", indicator.strip())
    name = re.sub(r"[（(][^）)]*[）)]", "", name).replace(" ", "").strip("：:，,")
    if not 4 <= len(name) <= 16 or len(_CJK.findall(name)) < len(name) - 1:
        return None
    return name


def _question_title(title: str) -> str:
    """How an example question names a document: its short title, or place and kind when that is long."""
    short = short_title(title)
    if len(short) <= 20:
        return book_title(short)
    return book_title(f"{document_place(title) or ''}{document_kind(title)}")


def _candidates(docs: Sequence[DocumentInfo], chunks: Sequence[Chunk]) -> list[tuple[str, str]]:
    """(question, doc_id) candidates: a target a document sets and a list it outlines, alternating documents."""
    from assistant.briefing.targets import all_targets

    year_of = {d.doc_id: d.year for d in docs}
    indicators: dict[str, tuple[str, str]] = {}
    for t in all_targets(chunks):
        name = _indicator_name(t.indicator)
        doc_year = year_of.get(t.chunk.doc_id)
        if name is None or t.chunk.doc_id in indicators:
            continue
        dated = bool(t.year) and re.fullmatch(r"\d{4}年", t.period or "") is not None
        if dated and doc_year and t.year is not None and t.year < doc_year:
            continue  # a target for the document's year or later, not a past value
        if not dated and t.period:
            continue  # a period that is no year ("预期值", "“十四五”"): the question would misname it
        when = f"到{t.year}年" if dated else ""
        indicators[t.chunk.doc_id] = (f"{_question_title(t.chunk.title)}提出{when}{name}达到多少？", t.chunk.doc_id)
    outline = list(section("catalog")["outline_headings"])
    scopes = sorted({w for ws in vocabulary().scope.values() for w in ws}, key=len, reverse=True)
    outlines: dict[str, tuple[int, str]] = {}
    for c in chunks:
        for heading in c.section:
            bare = _NUMBERING.sub("", heading).strip()
            bare = next((bare[len(w):] for w in scopes if bare.startswith(w) and len(bare) > len(w) + 2), bare)
            rank = next((i for i, w in enumerate(outline) if w in bare), None)
            if rank is not None and len(bare) <= 20 and rank < outlines.get(c.doc_id, (len(outline), ""))[0]:
                outlines[c.doc_id] = (rank, f"{_question_title(c.title)}的{bare}有哪些？")
    ordered_indicators = [indicators[d.doc_id] for d in docs if d.doc_id in indicators]
    ordered_outlines = [(outlines[d.doc_id][1], d.doc_id) for d in docs if d.doc_id in outlines]
    out: list[tuple[str, str]] = []
    for pair in zip_longest(ordered_indicators, ordered_outlines[1:] + ordered_outlines[:1]):
        out += [c for c in pair if c is not None]  # the two kinds alternate, from different documents
    return out


def example_questions(
    docs: Sequence[DocumentInfo],
    chunks: Sequence[Chunk],
    retrieve: Callable[[str], Sequence[Retrieved]],
    *,
    n: int = 4,
) -> list[str]:
    """Up to n questions drawn from the documents' own indicators and headings, from different documents.

    A candidate is kept only when retrieval finds its own document among the first three results, so
    every example shown can be answered from the knowledge base.
    """
    kept: list[str] = []
    used_docs: set[str] = set()
    for question, doc_id in _candidates(docs, chunks):
        if len(kept) >= n:
            break
        if doc_id in used_docs and len(used_docs) < len(docs):
            continue
        if any(h.chunk.doc_id == doc_id for h in list(retrieve(question))[:3]):
            kept.append(question)
            used_docs.add(doc_id)
    return kept


# --- filters and questions that cannot match ------------------------------------------------------------


def matches_filter(d: DocumentInfo, doc: str | None, year: int | None) -> bool:
    """Whether a document passes the --doc/--year filter (the retriever's rule: file name, or part of the title)."""
    if doc:
        wanted = norm(doc)
        if wanted != norm(d.source) and wanted not in norm(d.title):
            return False
    return not year or d.year == year


def close_titles(doc: str, docs: Sequence[DocumentInfo], n: int = 3) -> list[str]:
    """Titles (or file names) nearest to what a user typed: most characters in common, in order."""
    wanted = norm(doc)
    names = list(dict.fromkeys([*(d.title for d in docs), *(d.source for d in docs)]))

    def score(name: str) -> float:
        other = norm(name)
        common = sum(1 for ch in set(wanted) if ch in other) / max(1, len(set(wanted)))
        return common + difflib.SequenceMatcher(None, wanted, other).ratio() * 0.5

    ranked = sorted(names, key=lambda name: -score(name))
    best = score(ranked[0]) if ranked else 0.0
    return [name for name in ranked if score(name) >= max(0.5, best - 0.25)][:n]


def filter_problem(docs: Sequence[DocumentInfo], doc: str | None, year: int | None) -> str | None:
    """Why a --doc/--year filter matches no document, naming the close matches; None when it matches some."""
    if not doc and not year:
        return None
    if any(matches_filter(d, doc, year) for d in docs):
        return None
    if doc and not any(matches_filter(d, doc, None) for d in docs):
        near = close_titles(doc, docs)
        hint = "相近的有：" + "；".join(book_title(t) if not t.endswith(".txt") else t for t in near) if near else (
            "用 assistant docs 查看全部文档"
        )
        return f"没有与“{doc}”匹配的文档，{hint}"
    in_doc = [d for d in docs if matches_filter(d, doc, None)]
    years = sorted({d.year for d in in_doc if d.year})
    where = f"“{doc}”的文档" if doc else "知识库中的文档"
    listed = "、".join(f"{y}年" for y in years) if years else "无年份信息"
    return f"{where}没有{year}年的：现有年份为 {listed}"


def language_hint(question: str, docs: Sequence[DocumentInfo]) -> str | None:
    """A hint when a question is in a Latin-script language and the documents are Chinese, else None."""
    if _CJK.search(question) or len(_LATIN_WORD.findall(question)) < 2:
        return None
    titles = "".join(d.title for d in docs)
    if not titles or len(_CJK.findall(titles)) < len(titles) / 3:
        return None  # an English collection: the question is fine as it is
    return "知识库中的文件是中文的，请用中文提问（例如把 “employment target 2025” 写成 “2025年就业目标是多少？”）"


def outside_filter(
    assistant: Any, question: str, answer: Answer, *, history: Sequence[tuple[str, str]] = (),
    k: int | None = None, doc: str | None = None, year: int | None = None,
) -> str | None:
    """When a question asked within a document/year filter went unanswered: whether the answer lies outside it.

    Offline the question is asked again without the filter (a few milliseconds) and the documents that
    answer it are named; with an LLM (a second paid call) the notice only says the filter may be why.
    """
    if not answer.abstained or not (doc or year):
        return None
    scope = "、".join(x for x in (f"“{doc}”" if doc else "", f"{year}年" if year else "") if x)
    if getattr(assistant, "chat_model", None) is not None:
        return f"限定范围（{scope}）内没有找到答案，可取消限定后再问"
    free = assistant.ask(question, history=history, k=k)
    if free.abstained:
        return None
    titles = list(dict.fromkeys(book_title(c.title) for c in free.citations if c.title))
    where = "、".join(titles[:3]) or "其他文档"
    return f"限定范围（{scope}）内没有找到答案；不限定时，{where}中有相关内容，可取消限定后再问"
