"""Result types shared by ingest, retrieval, answering, briefing, evaluation and the UI."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

SECTION_SEP = " > "


@dataclass
class LoadedText:
    """A file turned into plain text lines (before cleaning).

    Tables are emitted as tab-separated rows, one row a line. `headings` maps 0-based line
    indexes that the file format marks as headings (docx heading styles, html h1-h6) to a level.
    `page_of_line` holds, for PDFs, the 1-based page number of each line.
    """

    source: str  # file name shown to users
    path: str
    kind: str  # txt, md, docx, pdf, html
    text: str
    headings: dict[int, int] = field(default_factory=dict)
    page_of_line: list[int] | None = None


@dataclass
class Chunk:
    """One retrievable unit: quotable text plus where it sits in its document."""

    id: str
    source: str  # file name
    doc_id: str
    title: str  # document title
    section: list[str]  # heading path below the title
    text: str  # verbatim from the cleaned source (lines joined with "\n")
    line_start: int  # 1-based, inclusive, in the cleaned source
    line_end: int
    kind: Literal["text", "table_row"] = "text"
    index_text: str = ""  # what is embedded and indexed lexically (headings + text)
    tokens: int = 0
    year: int | None = None
    page: int | None = None

    @property
    def section_path(self) -> str:
        """Title > chapter > section, as shown to users."""
        return SECTION_SEP.join([self.title, *self.section])


@dataclass
class DocumentInfo:
    """A document in the knowledge base (a gazette file holds several)."""

    doc_id: str
    source: str
    title: str
    line_start: int
    line_end: int
    doc_number: str | None = None  # 文号, e.g. 国发〔2021〕4号
    date: str | None = None  # 印发/发布日期 as written, e.g. 2022年7月1日
    year: int | None = None  # the year the document is for (a 2014 work report: 2014), not the last it mentions
    chunks: int = 0
    ingested_at: str | None = None
    issuer: str | None = None  # 发文机关, e.g. 国务院, 某某省人民政府办公厅
    place: str | None = None  # the administrative division it speaks for (full name), "全国" for national
    level: str | None = None  # national | province | city | county
    kind: str | None = None  # vocab kinds: work_report, plan, implementation_plan, opinions, measures, rules, notice, ...
    period: list[int] | None = None  # [first, last] year a plan covers (十四五: [2021, 2025])


@dataclass
class Retrieved:
    """A chunk returned by retrieval, with its fused score and per-signal ranks."""

    chunk: Chunk
    score: float
    rank: int = 0
    dense_rank: int | None = None
    lexical_rank: int | None = None


@dataclass
class Citation:
    n: int
    source: str
    title: str
    section: str
    lines: list[int]
    quote: str
    verified: bool = True
    problem: str | None = None  # why a citation is not verified
    page: int | None = None  # PDF page of the cited lines


@dataclass
class Context:
    rank: int
    source: str
    title: str
    section: str
    lines: list[int]
    text: str
    score: float
    page: int | None = None  # PDF page of the chunk


@dataclass
class Answer:
    question: str
    condensed_question: str
    answer: str
    mode: Literal["extractive", "llm"]
    abstained: bool
    citations: list[Citation] = field(default_factory=list)
    contexts: list[Context] = field(default_factory=list)
    timings_ms: dict[str, float] = field(default_factory=dict)
    notice: str | None = None  # e.g. "LLM unavailable, offline answer"

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (the `assistant ask --json` contract)."""
        return asdict(self)


@dataclass
class IngestReport:
    files: int = 0
    documents: int = 0
    chunks: int = 0
    tokens: int = 0
    embedded: int = 0  # chunks that needed new embeddings
    unchanged_files: int = 0
    seconds: float = 0.0
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (path, reason)
    removed: list[str] = field(default_factory=list)
    repaired: list[str] = field(default_factory=list)  # store repairs made on the way (one line each)
    problems: list[str] = field(default_factory=list)  # store problems left (one line each: file and fix)
    timings_s: dict[str, float] = field(default_factory=dict)  # parse, write (embedding + Chroma), check, lexical
