"""Pure scoring functions: retrieval hits, answer content, citations, abstention, latency, coverage."""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

_SPACE = re.compile(r"\s+")
_NUMBER = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?")


def normalize(text: str | None) -> str:
    """NFKC, then every whitespace character removed (PDF and gazette text breaks lines anywhere)."""
    if not text:
        return ""
    return _SPACE.sub("", unicodedata.normalize("NFKC", text))


def contains(haystack: str | None, needle: str | None) -> bool:
    """True when the normalised needle occurs in the normalised haystack; an empty needle never does."""
    n = normalize(needle)
    return bool(n) and n in normalize(haystack)


def first_hit_rank(contexts: Sequence[str], evidence: Sequence[str]) -> int | None:
    """1-based rank of the first context containing any evidence string; None when none does."""
    needles = [n for n in (normalize(e) for e in evidence) if n]
    if not needles:
        return None
    for rank, text in enumerate(contexts, 1):
        hay = normalize(text)
        if any(n in hay for n in needles):
            return rank
    return None


def hit_at(rank: int | None, k: int) -> bool:
    """True when the first hit is within the top k."""
    return rank is not None and rank <= k


def reciprocal_rank(rank: int | None) -> float:
    """1/rank of the first hit, 0 when nothing was hit."""
    return 1.0 / rank if rank else 0.0


def evidence_recall(contexts: Sequence[str], evidence: Sequence[str], k: int) -> float | None:
    """Fraction of evidence strings found in the top-k contexts joined (evidence may straddle two chunks)."""
    needles = [n for n in (normalize(e) for e in evidence) if n]
    if not needles:
        return None
    joined = "".join(normalize(t) for t in contexts[:k])
    return sum(n in joined for n in needles) / len(needles)


def missing_terms(answer: str | None, must_include: Sequence[str]) -> list[str]:
    """The must_include terms absent from the answer (after normalisation)."""
    hay = normalize(answer)
    return [t for t in must_include if normalize(t) and normalize(t) not in hay]


def must_include_ok(answer: str | None, must_include: Sequence[str]) -> bool | None:
    """All must_include terms present; None when the item lists none."""
    if not any(normalize(t) for t in must_include):
        return None
    return not missing_terms(answer, must_include)


@dataclass
class CitedSpan:
    """What a citation points at: its quote and the context passage (same source, overlapping lines)."""

    quote: str
    context: str = ""


def citation_ok(cited: Sequence[CitedSpan], evidence: Sequence[str]) -> bool | None:
    """True when some citation's quote or cited context contains any evidence; None without evidence."""
    needles = [n for n in (normalize(e) for e in evidence) if n]
    if not needles:
        return None
    for span in cited:
        for text in (span.quote, span.context):
            hay = normalize(text)
            if hay and any(n in hay for n in needles):
                return True
    return False


def lines_overlap(a: Sequence[int], b: Sequence[int]) -> bool:
    """Whether two [start, end] line ranges (or single lines) overlap; empty ranges never do."""
    if not a or not b:
        return False
    return min(a) <= max(b) and min(b) <= max(a)


@dataclass
class Abstention:
    precision: float | None  # of the abstentions, how many were on unanswerable items
    recall: float | None  # of the unanswerable items, how many were abstained on
    wrong_rate: float | None  # of the answerable items, how many were wrongly abstained on


def abstention_scores(outcomes: Iterable[tuple[bool, bool]]) -> Abstention:
    """Scores from (answerable, abstained) pairs; a rate is None when its denominator is zero."""
    tp = fp = unanswerable = answerable = 0
    for is_answerable, abstained in outcomes:
        if is_answerable:
            answerable += 1
            fp += abstained
        else:
            unanswerable += 1
            tp += abstained
    return Abstention(
        precision=tp / (tp + fp) if tp + fp else None,
        recall=tp / unanswerable if unanswerable else None,
        wrong_rate=fp / answerable if answerable else None,
    )


def mean(values: Iterable[float | bool | None]) -> float | None:
    """Mean of the values that apply (None skipped); None when none apply."""
    kept = [float(v) for v in values if v is not None]
    return sum(kept) / len(kept) if kept else None


def percentile(values: Sequence[float], p: float) -> float | None:
    """Linear-interpolated percentile (p in 0..100), as numpy's default; None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    pos = (len(ordered) - 1) * p / 100
    lo, hi = math.floor(pos), math.ceil(pos)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo)


def numbers_in(text: str | None) -> list[str]:
    """Numbers in a text, normalised (NFKC, thousands separators dropped, 2.50 -> 2.5)."""
    found = []
    for raw in _NUMBER.findall(unicodedata.normalize("NFKC", text or "")):
        try:
            found.append(format(Decimal(raw.replace(",", "")).normalize(), "f"))
        except InvalidOperation:  # pragma: no cover - the regex only yields valid decimals
            continue
    return found


def key_point_covered(brief_text: str, *, point: str, evidence: str = "") -> bool:
    """A key point is covered when its evidence text, or all of the point's numbers, appear in the brief."""
    if contains(brief_text, evidence):
        return True
    wanted = set(numbers_in(point))
    return bool(wanted) and wanted <= set(numbers_in(brief_text))
