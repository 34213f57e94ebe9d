"""The knowledge base: the filters' choices, removal choices and their confirmation, the documents table, an
ingest report, the empty chat's overview of the collection."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from assistant.catalog import Overview
from assistant.display import format_time, skip_reason, without_paths
from assistant.models import DocumentInfo, IngestReport
from ui.render.markup import escape, escape_md, render_message

ALL_DOCS = "全部文档"
ALL_YEARS = "全部年份"


def doc_choices(docs: Iterable[DocumentInfo]) -> list[tuple[str, str]]:
    """(label, value) pairs for the document filter; the value is the title the retriever filters by."""
    seen: set[str] = set()
    choices = [(ALL_DOCS, "")]
    for d in docs:
        if d.title in seen:
            continue
        seen.add(d.title)
        choices.append((f"{d.title}（{d.source}）", d.title))
    return choices


def year_choices(docs: Iterable[DocumentInfo]) -> list[tuple[str, str]]:
    """(label, value) pairs for the year filter."""
    years = sorted({d.year for d in docs if d.year}, reverse=True)
    return [(ALL_YEARS, "")] + [(f"{y} 年", str(y)) for y in years]


def source_choices(docs: Iterable[DocumentInfo]) -> list[str]:
    """Distinct source files, in order."""
    return list(dict.fromkeys(d.source for d in docs))


FILE_PREFIX, DOC_PREFIX = "file:", "doc:"


def removal_choices(docs: Sequence[DocumentInfo]) -> list[tuple[str, str]]:
    """(label, value) pairs for 移除: each file (with all its documents) and, under it, each of its documents."""
    choices: list[tuple[str, str]] = []
    for source in source_choices(docs):
        mine = [d for d in docs if d.source == source]
        choices.append((f"文件 {source}（{len(mine)} 篇文档）", FILE_PREFIX + source))
        if len(mine) > 1 or mine[0].title != source:
            for d in mine:
                number = f"，{d.doc_number}" if d.doc_number else ""
                choices.append((f"　文档 {d.title}（{source}{number}）", DOC_PREFIX + d.doc_id))
    return choices


def removal_target(value: str | None, docs: Sequence[DocumentInfo]) -> tuple[str, list[DocumentInfo]]:
    """What a 移除 choice stands for: ("file" | "doc" | "", the documents that would go)."""
    value = value or ""
    if value.startswith(FILE_PREFIX):
        source = value[len(FILE_PREFIX):]
        return "file", [d for d in docs if d.source == source]
    if value.startswith(DOC_PREFIX):
        doc_id = value[len(DOC_PREFIX):]
        return "doc", [d for d in docs if d.doc_id == doc_id]
    return "", []


def render_removal_confirm(value: str | None, docs: Sequence[DocumentInfo]) -> str:
    """The confirmation shown before anything is removed: which file or document, its documents and chunks."""
    kind, going = removal_target(value, docs)
    if not going:
        return render_message("请先选择要移除的文件或文档", kind="error")
    chunks = sum(d.chunks for d in going)
    if kind == "file":
        head = (f"将移除文件 <b>{escape(going[0].source)}</b> 及其中全部 {len(going)} 篇文档"
                f"（共 {chunks} 个分块）：")
    else:
        d = going[0]
        others = sum(1 for x in docs if x.source == d.source) - 1
        rest = f"；同一文件中的其他 {others} 篇文档保留" if others else ""
        head = (f"将只移除文件 {escape(d.source)} 中的这一篇文档（{chunks} 个分块{rest}）：")
    items = "".join(
        f"<li>{escape(d.title)}"
        + (f"（{escape(d.doc_number)}）" if d.doc_number else "")
        + f' <span class="lines">第 {d.line_start}–{d.line_end} 行</span></li>'
        for d in going[:30]
    )
    more = f"<li>……另有 {len(going) - 30} 篇</li>" if len(going) > 30 else ""
    return (f'<div class="confirm"><div>{head}</div><ul>{items}{more}</ul>'
            "<div>移除后将无法从这些文档中检索和回答；此操作不可撤销。</div></div>")


def render_documents(docs: Sequence[DocumentInfo]) -> str:
    """The knowledge-base table, grouped by file: title, 文号, date, year, lines, chunks, ingested at."""
    if not docs:
        return '<div class="docs empty">知识库为空，请上传文档。</div>'
    rows = []
    for source in source_choices(docs):
        mine = [d for d in docs if d.source == source]
        rows.append(
            f'<tr class="file"><td colspan="6"><span class="file-name">{escape(source)}</span> '
            f'<span class="file-meta">{len(mine)} 篇文档 · 入库 {escape(format_time(mine[0].ingested_at))}</span>'
            "</td></tr>"
        )
        for d in mine:
            rows.append(
                "<tr>"
                f'<td class="title" data-label="标题">{escape(d.title)}</td>'
                f'<td data-label="文号">{escape(d.doc_number or "")}</td>'
                f'<td data-label="日期">{escape(d.date or "")}</td>'
                f'<td data-label="年份">{escape(d.year or "")}</td>'
                f'<td data-label="行">{d.line_start}–{d.line_end}</td>'
                f"<td class='num' data-label=\"分块\">{d.chunks}</td></tr>"
            )
    files = len({d.source for d in docs})
    return (
        f'<div class="docs"><div class="docs-head">共 {len(docs)} 篇文档，{files} 个文件</div>'
        "<table><thead><tr><th>标题</th><th>文号</th><th>日期</th><th>年份</th><th>行</th><th>分块</th></tr>"
        "</thead><tbody>" + "".join(rows) + "</tbody></table></div>"
    )


def render_ingest_report(report: IngestReport, *, rejected: Sequence[tuple[str, str]] = ()) -> str:
    """A one-paragraph summary of an ingest run plus what was rejected or skipped (file names only, in Chinese)."""
    msg = (
        f"已处理 {report.files} 个文件：{report.documents} 篇文档，{report.chunks} 个分块，"
        f"新嵌入 {report.embedded} 个，未变化 {report.unchanged_files} 个文件，用时 {report.seconds:.1f} 秒。"
    )
    problems = [*rejected, *((_basename(path), skip_reason(reason)) for path, reason in report.skipped)]
    items = "".join(f"<li>{escape(name)}：{escape(without_paths(reason))}</li>" for name, reason in problems)
    warn = f'<div class="rejected-head">未导入 {len(problems)} 个文件：</div><ul class="rejected">{items}</ul>' if items else ""
    return f'<div class="report">{escape(msg)}{warn}</div>'


def _basename(path: str) -> str:
    return re.split(r"[\\/]", path)[-1] or path


def render_landing(overview: Overview) -> str:
    """The empty chat's first screen (Markdown): the knowledge base at a glance; examples are shown below it."""
    if not overview.documents:
        return "**知识库为空**\n\n请在“知识库”页上传规划文件后再提问。"

    def counts(items: Sequence[tuple[str, int]], unit: str = "") -> str:
        return "、".join(f"{escape_md(name)}{unit if name.isdigit() else ''} {n} 篇" for name, n in items[:8])

    return (
        f"### 知识库一览：{overview.documents} 篇文档，{overview.files} 个文件\n\n"
        f"- **类别**：{counts(overview.kinds)}\n"
        f"- **地区**：{counts(overview.places)}\n"
        f"- **年份**：{counts(overview.years, '年')}\n\n"
        "可以直接提问，也可以点下面的示例问题；答案中的 [1] 等标记可点开原文出处。"
    )
