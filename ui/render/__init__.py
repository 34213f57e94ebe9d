"""Pure functions that turn assistant results into safe HTML/Markdown for the web UI.

Everything that came from a document, an upload or a user is escaped here, so a document
containing `<script>` or `![x](http://...)` is shown as text. No gradio import.

One module per area (markup: the escaping they all use; chat, brief, knowledge, evaluation, improve);
the package re-exports their public names, so `from ui import render` and `render.render_answer` serve.
"""

from __future__ import annotations

from assistant.display import format_time
from ui.render.brief import render_brief, render_brief_status
from ui.render.chat import (
    NOT_FOUND,
    answer_anchor,
    answer_plain_text,
    approver_name,
    citation_passage,
    curated_provenance,
    highlight,
    link_markers,
    render_answer,
    render_partial,
    render_source,
    render_source_entries,
    render_sources,
    render_sources_panel,
    render_status,
)
from ui.render.evaluation import render_metrics, render_table
from ui.render.improve import (
    answer_choices,
    curated_choices,
    feedback_choices,
    feedback_status,
    passage_choices,
    passage_label,
    render_curated_list,
    render_explain,
    render_feedback_list,
    render_synonyms,
    snippet,
    synonym_choices,
)
from ui.render.knowledge import (
    ALL_DOCS,
    ALL_YEARS,
    DOC_PREFIX,
    FILE_PREFIX,
    doc_choices,
    removal_choices,
    removal_target,
    render_documents,
    render_ingest_report,
    render_landing,
    render_removal_confirm,
    source_choices,
    year_choices,
)
from ui.render.markup import escape, escape_md, escape_multiline, render_message

__all__ = [
    "ALL_DOCS", "ALL_YEARS", "DOC_PREFIX", "FILE_PREFIX", "NOT_FOUND",
    "answer_anchor", "answer_choices", "answer_plain_text", "approver_name", "citation_passage",
    "curated_choices", "curated_provenance", "doc_choices", "escape", "escape_md", "escape_multiline",
    "feedback_choices", "feedback_status", "format_time", "highlight", "link_markers", "passage_choices",
    "passage_label", "removal_choices", "removal_target", "render_answer", "render_brief",
    "render_brief_status", "render_curated_list", "render_documents", "render_explain",
    "render_feedback_list", "render_ingest_report", "render_landing", "render_message", "render_metrics",
    "render_partial", "render_removal_confirm", "render_source", "render_source_entries", "render_sources",
    "render_sources_panel", "render_status", "render_synonyms", "render_table", "snippet", "source_choices",
    "synonym_choices", "year_choices",
]
