"""`assistant brief "topic" [--doc ...] [--out brief.md|brief.docx|brief.json]`."""

from __future__ import annotations

import argparse
from pathlib import Path

from rich.console import Console
from rich.markdown import Markdown
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from assistant.config import Settings


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Arguments of the brief subcommand."""
    parser.add_argument("topic", nargs="?", default="", help="the briefing topic, e.g. \"2023年民生保障重点工作\"")
    parser.add_argument("--doc", help="only this document (title or file name)")
    parser.add_argument("--out", type=Path, help="write to a file: .md, .docx or .json (default: print Markdown)")
    parser.add_argument("--plain", action="store_true", help="print raw Markdown (no terminal formatting)")
    parser.add_argument(
        "--long", action="store_true",
        help="the long form (展开): up to ASSISTANT_BRIEF_LONG_CHARS characters instead of about two pages",
    )


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Write the briefing; one-line errors, exit 2 for a user mistake."""
    from assistant.briefing.brief import BriefError, brief_to_markdown, save_brief, write_brief
    from assistant.briefing.render import SUFFIXES
    from assistant.service import build_assistant

    out = Console()
    err = Console(stderr=True)
    topic = (args.topic or "").strip()
    if not topic:
        err.print("[red]error:[/] the briefing topic is empty: assistant brief \"主题\"")
        return 2
    if args.out is not None and args.out.suffix.lower() not in SUFFIXES:
        err.print(f"[red]error:[/] unsupported output format {args.out.suffix or '(none)'!r}: use .md, .docx or .json")
        return 2
    assistant = build_assistant(settings)
    if not assistant.documents():
        err.print("[red]error:[/] the knowledge base is empty: run `assistant ingest PATH` first")
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
        except BriefError as exc:
            err.print(f"[red]error:[/] {exc}")
            return 2
    if brief.notice and brief.covered:
        err.print(f"[yellow]{brief.notice}[/]")
    if args.out is not None:
        path = save_brief(brief, args.out)
        unverified = sum(1 for c in brief.sources if not c.verified)
        err.print(f"[green]wrote[/] {path} ({sum(len(s.bullets) for s in brief.sections)} points, "
                  f"{len(brief.targets)} target rows, {brief.body_chars} characters, "
                  f"{len(brief.sources)} sources, {unverified} unverified, "
                  f"{brief.timings_ms.get('total', 0) / 1000:.1f} s)")
        return 0
    markdown = brief_to_markdown(brief)
    if args.plain or not out.is_terminal:
        print(markdown)
    else:
        out.print(Markdown(markdown))
    return 0
