"""What a handler hands back to the Gradio app: one view per tab (HTML pieces and file paths)."""

from __future__ import annotations

from dataclasses import dataclass, field

Turn = tuple[str, str]  # (user question, assistant answer text) as Assistant.ask expects
SourcesBlock = tuple[int, str, str]  # (answer number, question, its source entries as HTML)


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
    charts_html: str = ""
    report_path: str | None = None
    message_html: str = ""
