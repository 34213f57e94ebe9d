"""Result types shared by ingest, retrieval, answering, briefing, evaluation and the UI."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, fields
from typing import Any, Literal

SECTION_SEP = " > "
MEMBER_SEP = "›"  # between an archive's name and a member's path in a source name: bundle.zip›某省›报告.docx


@dataclass(frozen=True)
class Location:
    """Where a passage sits in the user's own file, in terms they can open and go to.

    Text files: lines; PDF/OFD: pages; Word (.docx/.doc/.wps): body paragraphs counted from 1 (a
    table's rows by table and row instead); spreadsheets: sheet and row as the program numbers it;
    CSV: lines. `member` is the path inside a zip. Absent parts are None (an HTML page has none).
    """

    line_start: int | None = None
    line_end: int | None = None
    page_start: int | None = None
    page_end: int | None = None
    paragraph_start: int | None = None
    paragraph_end: int | None = None
    table: int | None = None  # Word: the table's number in the document
    row_start: int | None = None  # a Word table's row, or a sheet's row
    row_end: int | None = None
    sheet: str | None = None
    member: str | None = None

    def label(self) -> str:
        """The location in Chinese: 第146–148行, 第3页, 第12段, 表2第5行, 工作表“指标”第4行."""
        parts = []
        if self.sheet is not None:
            parts.append(f"工作表“{self.sheet}”" + (f"第{_span(self.row_start, self.row_end)}行" if self.row_start else ""))
        elif self.table is not None:
            parts.append(f"表{self.table}" + (f"第{_span(self.row_start, self.row_end)}行" if self.row_start else ""))
        if self.page_start is not None:
            parts.append(f"第{_span(self.page_start, self.page_end)}页")
        if self.paragraph_start is not None:
            parts.append(f"第{_span(self.paragraph_start, self.paragraph_end)}段")
        if self.line_start is not None:
            parts.append(f"第{_span(self.line_start, self.line_end)}行")
        return " ".join(parts)

    def to_dict(self) -> dict[str, Any]:
        """The parts that are known, plus the label (the JSON form)."""
        out: dict[str, Any] = {k: v for k, v in asdict(self).items() if v is not None}
        out["label"] = self.label()
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Location:
        """Back from to_dict (the label is recomputed, unknown keys ignored)."""
        return cls(**{k: v for k, v in data.items() if k in _LOCATION_FIELDS})

    @classmethod
    def spanning(cls, locations: Sequence[Location]) -> Location:
        """One location covering several (a chunk's lines): ranges widened, names kept where shared."""
        def low(name: str) -> int | None:
            values = [v for loc in locations if (v := getattr(loc, name)) is not None]
            return min(values) if values else None

        def high(name: str) -> int | None:
            values = [v for loc in locations if (v := getattr(loc, name)) is not None]
            return max(values) if values else None

        def shared(name: str) -> Any:
            values = {getattr(loc, name) for loc in locations} - {None}
            return values.pop() if len(values) == 1 else None

        return cls(
            line_start=low("line_start"), line_end=high("line_end"), page_start=low("page_start"),
            page_end=high("page_end"), paragraph_start=low("paragraph_start"), paragraph_end=high("paragraph_end"),
            table=shared("table"), row_start=low("row_start"), row_end=high("row_end"), sheet=shared("sheet"),
            member=shared("member"),
        )


_LOCATION_FIELDS = {f.name for f in fields(Location)}


def _span(first: int | None, last: int | None) -> str:
    return f"{first}" if last is None or last == first else f"{first}–{last}"


def _location(value: Location | dict[str, Any] | None) -> Location | None:
    """A Location from itself or its JSON form (briefings and answers read back from JSON)."""
    return Location.from_dict(value) if isinstance(value, dict) else value


@dataclass
class LoadedText:
    """A file turned into plain text lines (before cleaning).

    Tables are emitted as tab-separated rows, one row a line. `headings` maps 0-based line
    indexes that the file format marks as headings (docx heading styles, html h1-h6, sheet names)
    to a level. `page_of_line` holds, for PDFs and OFDs, the 1-based page number of each line.

    `properties` is the metadata the format itself carries, under these keys where known (all str):
    title, author, subject, keywords, created, modified (ISO dates), creator (the producing
    program); `sheets` (list[str], workbook sheet names); `archive` and `member` (a zip's file
    name and the member's path inside it, "/"-separated); `custom` (dict[str, str], OFD CustomData).
    `notes` are parts of the file that were left out, one user-readable line each. `origins` holds,
    for formats whose lines are not the file's lines (Word, spreadsheets), each line's Location.
    """

    source: str  # file name shown to users (bundle.zip›某省›报告.docx for a zip member)
    path: str
    kind: str  # txt, md, docx, doc, wps, pdf, html, xlsx, xls, csv, ofd
    text: str
    headings: dict[int, int] = field(default_factory=dict)
    page_of_line: list[int] | None = None
    properties: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    origins: list[Location] | None = None  # where each line is in the file; None: line n is line n+1


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
    location: Location | None = None  # in the user's file (line_start/line_end are the cleaned copy's)

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
    about: str | None = None  # the document its text presents, when not itself ("《…纲要（草案）》提出了…" explained)
    credits: dict[str, str] | None = None  # who a page credits, by role: {"文字整理": "某某", "值班总编": "某某"}



@dataclass
class FileCommit:
    """One file to commit: its cleaned text, documents and chunks (see Store.commit_files)."""

    source: str
    file_hash: str
    path: str
    text: str
    documents: list[DocumentInfo]
    chunks: list[Chunk]
    excluded: Sequence[str] = ()  # doc ids the user removed: left out
    force: bool = False  # rewrite chunks even when Chroma holds them unchanged (a repair)


@dataclass
class Retrieved:
    """A chunk returned by retrieval, with its fused score and per-signal ranks."""

    chunk: Chunk
    score: float
    rank: int = 0
    dense_rank: int | None = None
    lexical_rank: int | None = None
    lexical_score: float | None = None  # BM25
    dense_score: float | None = None  # cosine similarity


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
    location: Location | None = None  # where the cited passage is in the user's file

    def __post_init__(self) -> None:
        self.location = _location(self.location)


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
    location: Location | None = None  # where the passage is in the user's file

    def __post_init__(self) -> None:
        self.location = _location(self.location)


@dataclass
class CuratedInfo:
    """Where a curated answer comes from: the approved pair, who approved it and when, how closely it matched."""

    id: int
    question: str  # the pair's own question
    approved_by: str | None  # None: approved where no login is configured
    approved_at: str  # ISO timestamp
    similarity: float
    threshold: float
    feedback_id: int | None = None


@dataclass
class Answer:
    question: str
    condensed_question: str
    answer: str
    mode: Literal["extractive", "llm", "curated"]
    abstained: bool
    citations: list[Citation] = field(default_factory=list)
    contexts: list[Context] = field(default_factory=list)
    timings_ms: dict[str, float] = field(default_factory=dict)
    notice: str | None = None  # e.g. "LLM unavailable, offline answer"
    explain: dict[str, Any] | None = None  # why: question frame, routing, scores, decisions (when asked for)
    curated: CuratedInfo | None = None  # the approved pair that answered (mode "curated")

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (the `assistant ask --json` contract); a location with its label."""
        data = asdict(self)
        for key in ("citations", "contexts"):
            for item, obj in zip(data[key], getattr(self, key), strict=True):
                item["location"] = obj.location.to_dict() if obj.location else None
        for key in ("explain", "curated"):
            if data.get(key) is None:
                data.pop(key, None)  # only when they carry something: the documented keys stay as they were
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Answer:
        """Back from to_dict (an answer a session kept, to give feedback on later)."""
        fields_ = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in fields_}
        values["citations"] = [Citation(**c) for c in data.get("citations", [])]
        values["contexts"] = [Context(**c) for c in data.get("contexts", [])]
        curated = data.get("curated")
        values["curated"] = CuratedInfo(**curated) if isinstance(curated, dict) else None
        return cls(**values)


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
