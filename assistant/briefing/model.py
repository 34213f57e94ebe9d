"""What a briefing is: sections of cited bullets, a targets table, differences between documents, sources."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from assistant.errors import UserError
from assistant.models import Citation

NOT_COVERED = "文档中未涉及该主题"
OVERVIEW, TARGETS, TASKS, MEASURES = "概述", "主要目标与指标", "重点任务", "保障措施"
DIFFERENCES = "文件之间的差异"
PARTS = (OVERVIEW, TARGETS, TASKS, MEASURES)  # the order of a briefing's sections, then DIFFERENCES


class BriefError(UserError, ValueError):
    """A briefing cannot be written for this input (e.g. an empty topic)."""


@dataclass
class BriefSection:
    title: str
    bullets: list[str]  # text with [n] markers
    documents: list[str] = field(default_factory=list)  # the document title each bullet comes from
    verified: list[bool] = field(default_factory=list)  # per bullet: every marker resolves and checks


@dataclass
class TargetRow:
    indicator: str
    value: str  # copied from the source
    period: str  # year or period ("2025年", "“十四五”目标")
    n: int  # source number
    document: str
    verified: bool = True
    column: str = ""  # the table column the value stands in, as the table names it
    baseline: str = ""  # the baseline beside it ("2020年：338.1"), when the table gives one
    attribute: str = ""  # 约束性 / 预期性, when the table says
    place: str = ""  # whose target it is: the document's place, or the place a row or column names


@dataclass
class Difference:
    indicator: str
    period: str
    rows: list[TargetRow]  # one per document, each with its own value and source


@dataclass
class Brief:
    topic: str
    mode: Literal["extractive", "llm"]
    sections: list[BriefSection] = field(default_factory=list)
    targets: list[TargetRow] = field(default_factory=list)
    differences: list[Difference] = field(default_factory=list)
    sources: list[Citation] = field(default_factory=list)
    scope: list[tuple[str, str]] = field(default_factory=list)  # (document title, section path) drawn on
    notice: str | None = None
    timings_ms: dict[str, float] = field(default_factory=dict)
    long: bool = False  # the long form ("展开") rather than about two pages
    body_chars: int = 0  # characters of content: bullets, target rows and differences (no markers, no sources)

    @property
    def covered(self) -> bool:
        """False when the documents do not address the topic."""
        return bool(self.sections or self.targets)

    @property
    def all_verified(self) -> bool:
        """Every bullet, target row and source checks out."""
        return (
            all(all(s.verified) for s in self.sections)
            and all(t.verified for t in self.targets)
            and all(c.verified for c in self.sources)
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (the `assistant brief --out x.json` contract)."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Brief:
        """Inverse of to_dict."""
        return cls(
            topic=data["topic"],
            mode=data["mode"],
            sections=[BriefSection(**s) for s in data.get("sections", [])],
            targets=[TargetRow(**t) for t in data.get("targets", [])],
            differences=[
                Difference(d["indicator"], d["period"], [TargetRow(**r) for r in d["rows"]])
                for d in data.get("differences", [])
            ],
            sources=[Citation(**c) for c in data.get("sources", [])],
            scope=[tuple(x) for x in data.get("scope", [])],  # type: ignore[misc]
            notice=data.get("notice"),
            timings_ms=dict(data.get("timings_ms", {})),
            long=bool(data.get("long", False)),
            body_chars=int(data.get("body_chars", 0)),
        )
