"""`assistant brief "topic" [--doc ...] [--out brief.md|brief.docx|brief.json]`."""

from __future__ import annotations

import argparse
from pathlib import Path

from rich.console import Console
from rich.text import Text

from assistant.config import Settings
from assistant.display import terminal_safe


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Arguments of the brief subcommand."""
    parser.add_argument("topic", nargs="?", default="", help="简报主题，例如 \"2023年民生保障重点工作\"")
    parser.add_argument("--doc", help="只用这篇文档（标题的一部分或文件名）")
    parser.add_argument("--out", type=Path, help="写入文件：.md、.docx 或 .json（默认在终端显示）")
    parser.add_argument("--plain", action="store_true", help="输出原始 Markdown（不加终端格式）")
    parser.add_argument("--long", action="store_true", help="展开：长篇简报（至多 ASSISTANT_BRIEF_LONG_CHARS 字，默认约两页）")


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Write the briefing; one-line errors, exit 2 for a user mistake."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from assistant.briefing.brief import BriefError, brief_to_markdown, write_brief
    from assistant.briefing.render import SUFFIXES, save_brief
    from assistant.errors import InputTooLong
    from assistant.service import build_assistant

    out = Console()
    err = Console(stderr=True)
    topic = (args.topic or "").strip()
    if not topic:
        err.print("[red]错误：[/]简报主题为空：assistant brief \"主题\"")
        return 2
    if args.out is not None and args.out.suffix.lower() not in SUFFIXES:
        err.print(Text("错误：", style="red") + Text(
            f"不支持的输出格式 {args.out.suffix or '（无扩展名）'}：请用 .md、.docx 或 .json"))
        return 2
    assistant = build_assistant(settings)
    if not assistant.documents():
        err.print("[red]错误：[/]知识库为空：请先运行 assistant ingest 路径")
        return 1
    bar = Progress(
        TextColumn("[bold]简报"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        TextColumn("{task.fields[label]}"), console=err, transient=True,
    )
    with bar:
        task = bar.add_task("brief", total=None, label="")

        def progress(done: int, total: int, label: str) -> None:
            bar.update(task, completed=done, total=total, label=label)

        try:
            brief = write_brief(assistant, topic, doc=args.doc, progress=progress, long=getattr(args, "long", False))
        except (BriefError, InputTooLong) as exc:
            err.print(Text("错误：", style="red") + Text(terminal_safe(exc)))
            return 2
    if brief.notice and brief.covered:
        err.print(Text(terminal_safe(brief.notice), style="yellow"))
    if args.out is not None:
        path = save_brief(brief, args.out, author=settings.author)
        unverified = sum(1 for c in brief.sources if not c.verified)
        err.print(Text("已写入 ", style="green") + Text(terminal_safe(
            f"{path}（{sum(len(s.bullets) for s in brief.sections)} 条要点，{len(brief.targets)} 行指标，"
            f"正文 {brief.body_chars} 字，{len(brief.sources)} 个来源，"
            f"{unverified} 个未核实，用时 {brief.timings_ms.get('total', 0) / 1000:.1f} 秒）")))
        return 0
    markdown = brief_to_markdown(brief)
    if args.plain or not out.is_terminal:
        print(terminal_safe(markdown))
    else:
        from rich.markdown import Markdown

        out.print(Markdown(terminal_safe(markdown)))
    return 0
