"""Citation markers [n]: parse them, pick the quoted passage, and verify them against the sources."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from assistant.models import Chunk, Citation
from assistant.text import norm, sentences

_MARKER = re.compile(r"\[(\d+(?:\s*[,，、]\s*\d+)*)\]")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")


def markers(text: str) -> list[int]:
    """Citation numbers in order of first appearance ("[1]", "[2,3]", "[1][4]")."""
    seen: list[int] = []
    for m in _MARKER.finditer(text):
        for n in re.split(r"[,，、]", m.group(1)):
            if int(n) not in seen:
                seen.append(int(n))
    return seen


def strip_markers(text: str) -> str:
    """The text without citation markers."""
    return _MARKER.sub("", text)


def book_title(title: str) -> str:
    """A document title in 《》, unless it already starts with one (《政府工作报告》解读…)."""
    return title if title.startswith("《") else f"《{title}》"


def numbers_in(text: str) -> list[str]:
    """Numbers a claim states (years and figures), as written; thousands separators dropped (12,630)."""
    return _NUMBER.findall(_THOUSANDS.sub("", unicodedata.normalize("NFKC", strip_markers(text))))


def best_quote(claim: str, chunk: Chunk) -> str:
    """The sentence (or table row) of the chunk that best supports the claim."""
    if chunk.kind == "table_row":
        return chunk.text
    candidates = sentences(chunk.text) or [chunk.text]
    target = _bigrams(norm(strip_markers(claim)))
    if not target:
        return candidates[0]
    return max(candidates, key=lambda s: len(_bigrams(norm(s)) & target) / (1 + 0.002 * len(s)))


def _bigrams(s: str) -> set[str]:
    return {s[i : i + 2] for i in range(len(s) - 1)}


def verify(answer: str, sources: Sequence[Chunk], *, support: dict[int, str] | None = None) -> list[Citation]:
    """One Citation per cited source; unverified when the source does not exist or lacks a cited number.

    `support` optionally maps a source number to the exact passage quoted (extractive answers).
    """
    claims: dict[int, list[str]] = {}
    missing: dict[int, list[str]] = {}
    for sentence in sentences(answer):
        cited = [n for n in markers(sentence) if 1 <= n <= len(sources)]
        # whole numbers only: "20" is not supported by a source that says "2025"
        pool = set(numbers_in(" ".join(sources[n - 1].text + " " + sources[n - 1].index_text for n in cited)))
        absent = [x for x in numbers_in(sentence) if x not in pool]
        for n in markers(sentence):
            claims.setdefault(n, []).append(sentence)
            if absent:
                missing.setdefault(n, []).extend(absent)
    out: list[Citation] = []
    for n, cited_in in claims.items():
        if not 1 <= n <= len(sources):
            out.append(Citation(n=n, source="", title="", section="", lines=[], quote="", verified=False,
                                problem=f"[{n}] 不对应任何提供的资料"))
            continue
        chunk = sources[n - 1]
        lacking = list(dict.fromkeys(missing.get(n, [])))
        quote = (support or {}).get(n) or best_quote(" ".join(cited_in), chunk)
        out.append(
            Citation(
                n=n, source=chunk.source, title=chunk.title, section=chunk.section_path,
                lines=[chunk.line_start, chunk.line_end], quote=quote, verified=not lacking,
                problem=f"数字 {'、'.join(lacking)} 未在所引资料中出现" if lacking else None,
                page=chunk.page,
            )
        )
    return sorted(out, key=lambda c: c.n)
