"""Result types of an evaluation run: per item, per question type, per configuration."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from eval.suite import SuiteError


@dataclass
class SourceRef:
    """A retrieved passage as shown in reports: title > section, lines."""

    rank: int
    source: str
    title: str
    section: str
    lines: list[int]
    score: float = 0.0

    @property
    def label(self) -> str:
        where = (
            self.section
            if self.section.startswith(self.title)
            else " > ".join(p for p in (self.title, self.section) if p)
        )
        if not self.lines:
            span = "?"
        elif self.lines[0] == self.lines[-1]:
            span = str(self.lines[0])
        else:
            span = f"{self.lines[0]}-{self.lines[-1]}"
        return f"{where} (lines {span})"


@dataclass
class Judged:
    """LLM-judged scores (0..1); labelled as judged wherever shown."""

    faithfulness: float | None = None
    correctness: float | None = None
    notes: list[str] = field(default_factory=list)


@dataclass
class ItemResult:
    id: str
    question: str
    type: str
    expected: str
    answer: str
    abstained: bool
    must_include: list[str]
    evidence: list[str]
    missing: list[str] = field(default_factory=list)
    hit_rank: int | None = None
    hit_at_1: bool | None = None
    hit_at_k: bool | None = None
    reciprocal_rank: float | None = None
    evidence_recall: float | None = None
    must_include_ok: bool | None = None
    citation_ok: bool | None = None
    sources: list[SourceRef] = field(default_factory=list)
    timings_ms: dict[str, float] = field(default_factory=dict)
    mode: str = ""
    judged: Judged | None = None
    error: str | None = None

    @property
    def answerable(self) -> bool:
        return self.type != "unanswerable"

    def failures(self) -> list[str]:
        """Why this item counts as failed (empty when it passed)."""
        if self.error:
            return [f"error: {self.error}"]
        if not self.answerable:
            return [] if self.abstained else ["answered an unanswerable question"]
        reasons = []
        if self.abstained:
            reasons.append("abstained")
        if self.hit_at_k is False:
            reasons.append("evidence not retrieved")
        if self.must_include_ok is False:
            reasons.append("missing " + ", ".join(self.missing))
        if self.citation_ok is False and not self.abstained:
            reasons.append("no citation holds the evidence")
        return reasons

    @property
    def passed(self) -> bool:
        return not self.failures()


@dataclass
class Scores:
    """Aggregate scores over a set of items; None where a metric does not apply."""

    n: int = 0
    answerable: int = 0
    unanswerable: int = 0
    hit_at_1: float | None = None
    hit_at_k: float | None = None
    mrr: float | None = None
    evidence_recall: float | None = None
    must_include: float | None = None
    citation_accuracy: float | None = None
    abstention_precision: float | None = None
    abstention_recall: float | None = None
    wrong_abstention_rate: float | None = None
    multi_part_complete: float | None = None  # two-part/cross-document questions with every part answered
    unanswerable_answered: float | None = None  # share of unanswerable questions given an answer anyway
    faithfulness_judged: float | None = None
    correctness_judged: float | None = None
    passed: float | None = None

    def metrics(self, k: int) -> dict[str, float | None]:
        """Named metrics, as used by --min thresholds and report tables."""
        return {
            "hit@1": self.hit_at_1,
            f"hit@{k}": self.hit_at_k,
            "mrr": self.mrr,
            f"evidence_recall@{k}": self.evidence_recall,
            "must_include": self.must_include,
            "citation_accuracy": self.citation_accuracy,
            "abstention_precision": self.abstention_precision,
            "abstention_recall": self.abstention_recall,
            "wrong_abstention_rate": self.wrong_abstention_rate,
            "multi_part_complete": self.multi_part_complete,
            "unanswerable_answered": self.unanswerable_answered,
            "faithfulness (judged)": self.faithfulness_judged,
            "correctness (judged)": self.correctness_judged,
            "passed": self.passed,
        }


@dataclass
class Latency:
    n: int
    p50: float | None
    p95: float | None
    mean: float | None


@dataclass
class EvalReport:
    """One suite run under one configuration."""

    suite: str
    label: str  # e.g. "default" or "retriever=dense"
    k: int
    items: list[ItemResult]
    overall: Scores
    by_type: dict[str, Scores]
    latency: dict[str, Latency]  # stage -> stats in ms
    config: dict[str, Any] = field(default_factory=dict)
    suite_errors: list[SuiteError] = field(default_factory=list)
    judged: bool = False
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def metrics(self) -> dict[str, float | None]:
        return self.overall.metrics(self.k)

    def failed(self) -> list[ItemResult]:
        return [i for i in self.items if not i.passed]

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["metrics"] = self.metrics()
        for item, raw in zip(self.items, data["items"], strict=True):
            raw["passed"] = item.passed
            raw["failures"] = item.failures()
        return data


@dataclass
class TopicCoverage:
    id: str
    topic: str
    points: list[str]
    covered: list[bool]
    brief: str = ""
    seconds: float = 0.0
    error: str | None = None

    @property
    def coverage(self) -> float:
        return sum(self.covered) / len(self.covered) if self.covered else 0.0


@dataclass
class BriefingReport:
    suite: str
    label: str
    topics: list[TopicCoverage]
    suite_errors: list[SuiteError] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def coverage(self) -> float | None:
        """Covered key points over all key points (micro average)."""
        total = sum(len(t.covered) for t in self.topics)
        return sum(sum(t.covered) for t in self.topics) / total if total else None

    def metrics(self) -> dict[str, float | None]:
        per_topic = [t.coverage for t in self.topics]
        return {
            "coverage": self.coverage,
            "topic_coverage_mean": sum(per_topic) / len(per_topic) if per_topic else None,
        }

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["metrics"] = self.metrics()
        for topic, raw in zip(self.topics, data["topics"], strict=True):
            raw["coverage"] = topic.coverage
        return data
