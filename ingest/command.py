"""`assistant ingest PATH…`: the ingest stage's subcommand, registered through the entry point group."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from assistant.cli import UserError, build, err, label, out, progress
from assistant.config import Settings
from assistant.display import skip_reason, terminal_safe
from assistant.models import IngestReport


def register(sub: Any) -> None:
    """Add the `ingest` subcommand."""
    p = sub.add_parser("ingest", help="导入文件或文件夹")
    p.add_argument("paths", nargs="+", help="文件或文件夹")
    p.add_argument("--prune", action="store_true", help="同时移除文件已不存在的文档")
    p.add_argument("--json", action="store_true", help="输出 JSON")
    p.set_defaults(func=cmd_ingest)


def ingest_with_progress(
    settings: Settings, paths: list[Path], *, prune: bool = False, quiet: bool = False
) -> IngestReport:
    """Ingest with progress on stderr: a bar on a terminal, timestamped lines in a log."""
    from ingest.pipeline import ingest_into

    missing = [p for p in paths if not Path(p).exists()]
    if missing:
        raise UserError("找不到文件或文件夹：" + "、".join(terminal_safe(p) for p in missing))
    assistant = build(settings)
    with progress("入库", quiet=quiet) as update:
        return ingest_into(assistant, [Path(p) for p in paths], progress=update, prune=prune)


def cmd_ingest(args: argparse.Namespace, settings: Settings) -> int:
    """Ingest and print what was ingested, skipped and removed."""
    report = ingest_with_progress(settings, [Path(p) for p in args.paths], prune=args.prune, quiet=args.json)
    code = 0 if report.files else 1  # nothing ingested (nor already there): a failure
    if args.json:
        out.print_json(json.dumps(report.__dict__, ensure_ascii=False))
        return code
    label(
        out, "已入库 ",
        f"{report.files} 个文件，{report.documents} 篇文档，{report.chunks} 个分块；新嵌入 {report.embedded} 个，"
        f"新增 {report.tokens} 个词元，未变化 {report.unchanged_files} 个文件；用时 {report.seconds:.1f} 秒",
        style="green",
    )
    for path, reason in report.skipped:
        label(out, "已跳过 ", f"{path}：{skip_reason(reason)}", style="yellow")
    for source in report.removed:
        label(out, "已移除 ", f"{source}（文件已不存在）", style="yellow")
    for line in report.repaired:
        label(out, "已修复 ", line, style="green")
    for line in report.problems:
        label(out, "问题 ", line, style="red")
    if not report.files:
        label(err, "错误：", "没有导入任何文件", style="red")
    return code
