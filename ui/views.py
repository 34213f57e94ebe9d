"""What a handler hands back to the Gradio app: one view per tab (HTML pieces and file paths)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple

Turn = tuple[str, str]  # (user question, assistant answer text) as Assistant.ask expects
SourcesBlock = tuple[int, str, str]  # (answer number, question, its source entries as HTML)


class AnswerRecord(NamedTuple):
    """One answer of a session, kept (gr.State) so feedback can be given on it later."""

    turn: int
    question: str
    answer: dict[str, Any]  # Answer.to_dict()
    doc: str | None = None
    year: int | None = None


@dataclass
class LandingView:
    """The empty chat's first screen: the knowledge base at a glance and example questions."""

    overview_markdown: str
    examples: list[str] = field(default_factory=list)


@dataclass
class ChatView:
    """Everything the chat tab shows after one step of an answer."""

    messages: list[dict[str, str]]
    history: list[Turn]
    sources_html: str
    status_html: str
    copy_text: str = ""
    done: bool = False
    sources: list[SourcesBlock] = field(default_factory=list)  # every answer's sources, kept per session
    answers: list[AnswerRecord] = field(default_factory=list)  # every answer itself, for feedback


@dataclass
class BriefView:
    preview_html: str
    md_path: str | None = None
    docx_path: str | None = None


@dataclass
class KnowledgeView:
    documents_html: str
    message_html: str
    doc_choices: list[tuple[str, str]] = field(default_factory=list)
    year_choices: list[tuple[str, str]] = field(default_factory=list)
    removal_choices: list[tuple[str, str]] = field(default_factory=list)  # files and their documents


@dataclass
class EvalView:
    metrics_html: str
    by_type_html: str = ""
    failures_html: str = ""
    items_html: str = ""  # every item with its result
    charts_html: str = ""
    report_path: str | None = None
    message_html: str = ""


@dataclass
class CorrectionView:
    """The correction form: the passages an official may click, and a message."""

    passages: list[dict[str, Any]]  # Context-like dicts (source, title, section, lines, text), kept per session
    choices: list[tuple[str, str]]
    message_html: str = ""
    open: bool = True


@dataclass
class FeedbackListView:
    """The 评测 tab's feedback list, the choices to act on, and the exports of what is listed."""

    table_html: str
    choices: list[tuple[str, str]]
    users: list[tuple[str, str]]
    csv_path: str | None = None
    xlsx_path: str | None = None
    curated_html: str = ""
    curated_choices: list[tuple[str, str]] = field(default_factory=list)
    suites: list[str] = field(default_factory=list)  # bundled and user suites, for the suite dropdown
    message_html: str = ""


@dataclass
class SynonymView:
    html: str
    choices: list[tuple[str, str]]
    message_html: str = ""
