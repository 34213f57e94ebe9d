"""`assistant ingest PATH…`: the ingest stage's subcommand, registered through the entry point group."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from rich.markup import escape

from assistant.cli import UserError, build, err, out, progress_bar
from assistant.config import Settings
from assistant.models import IngestReport
from ingest.pipeline import ingest_into


def register(sub: Any) -> None:
    """Add the `ingest` subcommand."""
    p = sub.add_parser("ingest", help="ingest files or folders")
    p.add_argument("paths", nargs="+")
    p.add_argument("--prune", action="store_true", help="remove documents whose files are gone")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_ingest)


def ingest_with_progress(settings: Settings, paths: list[Path], *, prune: bool = False) -> IngestReport:
    """Ingest with a progress bar on stderr."""
    missing = [p for p in paths if not Path(p).exists()]
    if missing:
        raise UserError(f"no such file or directory: {', '.join(map(str, missing))}")
    assistant = build(settings)
    with progress_bar() as bar:
        task = bar.add_task("ingest", total=None, label="")

        def progress(done: int, total: int, label: str) -> None:
            bar.update(task, completed=done, total=total, label=label)

        return ingest_into(assistant, [Path(p) for p in paths], progress=progress, prune=prune)


def cmd_ingest(args: argparse.Namespace, settings: Settings) -> int:
    """Ingest and print what was ingested, skipped and removed."""
    report = ingest_with_progress(settings, [Path(p) for p in args.paths], prune=args.prune)
    code = 0 if report.files else 1  # nothing ingested (nor already there): a failure
    if args.json:
        out.print_json(json.dumps(report.__dict__, ensure_ascii=False))
        return code
    out.print(
        f"[green]ingested[/] {report.files} files, {report.documents} documents, {report.chunks} chunks, "
        f"{report.tokens} new tokens, {report.embedded} embedded, {report.unchanged_files} unchanged, "
        f"{report.seconds:.1f} s"
    )
    for path, reason in report.skipped:
        out.print(f"[yellow]skipped[/] {escape(path)}: {escape(reason)}")
    for source in report.removed:
        out.print(f"[yellow]removed[/] {escape(source)} (file no longer exists)")
    for line in report.repaired:
        out.print(f"[green]repaired[/] {escape(line)}")
    for line in report.problems:
        out.print(f"[red]problem[/] {escape(line)}")
    if not report.files:
        err.print("[red]error:[/] nothing was ingested", soft_wrap=True)
    return code
