"""`assistant` command line: docs, remove, ask, brief here; ingest, eval, serve, quickstart registered by their packages."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from assistant.config import Settings, load_settings

# subcommands contributed by the packages that build on this one (ingest, eval, ui): see pyproject.toml
COMMANDS_GROUP = "plan_assistant.commands"

out = Console(soft_wrap=True)  # long answers and quotes are not hard-wrapped when piped
err = Console(stderr=True)


class UserError(Exception):
    """A mistake the user can fix: printed as one line, exit code 2."""


_built: dict[int, Any] = {}


def build(settings: Settings) -> Any:
    """The assistant for these settings, built once per process (commands that chain share it)."""
    if id(settings) not in _built:
        from assistant.service import build_assistant

        _built[id(settings)] = build_assistant(settings)
    return _built[id(settings)]


def progress_bar() -> Progress:
    return Progress(
        TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        TextColumn("{task.fields[label]}"), console=err, transient=False,
    )


def cmd_docs(args: argparse.Namespace, settings: Settings) -> int:
    docs = build(settings).documents()
    if args.json:
        out.print_json(json.dumps([d.__dict__ for d in docs], ensure_ascii=False))
        return 0
    if not docs:
        out.print("knowledge base is empty: run `assistant ingest PATH`")
        return 0
    table = Table("title", "source", "lines", "year", "chunks", "ingested at")
    for d in docs:
        table.add_row(d.title, d.source, f"{d.line_start}-{d.line_end}", str(d.year or ""), str(d.chunks),
                      d.ingested_at or "")
    out.print(table)
    return 0


def cmd_remove(args: argparse.Namespace, settings: Settings) -> int:
    removed = build(settings).remove(args.name)
    if not removed:
        raise UserError(f"no source file or document titled {args.name!r} (see `assistant docs`)")
    for source in removed:
        out.print(f"removed {source}")
    return 0


def cmd_ask(args: argparse.Namespace, settings: Settings) -> int:
    if args.batch is None and not (args.question or "").strip():
        raise UserError("give a question, or --batch FILE")
    assistant = build(settings)
    if args.batch is not None:
        path = Path(args.batch)
        if str(path) != "-" and not path.is_file():
            raise UserError(f"no such file: {path}")
        lines = sys.stdin if str(path) == "-" else path.open(encoding="utf-8")
        for line in lines:
            if line.strip():
                answer = assistant.ask(line.strip(), k=args.k, doc=args.doc, year=args.year)
                print(json.dumps(answer.to_dict(), ensure_ascii=False), flush=True)
        return 0
    if not assistant.documents():
        raise UserError("knowledge base is empty: run `assistant ingest PATH` first")
    stream = None if args.json else (lambda t: print(t, end="", flush=True))
    answer = assistant.ask(args.question, k=args.k, doc=args.doc, year=args.year,
                           on_token=stream if assistant.chat_model is not None else None)
    if args.json:
        print(json.dumps(answer.to_dict(), ensure_ascii=False, indent=2))
        return 0
    if assistant.chat_model is not None:
        print()  # the answer (or its offline replacement) was already streamed to the terminal
    else:
        out.print(answer.answer, highlight=False)
    print_sources(answer)
    return 0


def print_sources(answer) -> None:
    """Citations under an answer: [n] title > section (lines) and the quoted passage."""
    badge = "生成式" if answer.mode == "llm" else "离线摘录"
    out.print(f"\n[dim]模式：{badge}  检索 {answer.timings_ms.get('retrieve', 0):.0f} ms，"
              f"共 {answer.timings_ms.get('total', 0):.0f} ms[/]")
    if answer.notice:
        out.print(f"[yellow]{answer.notice}[/]")
    for c in answer.citations:
        mark = "" if c.verified else f" [red]未核实：{c.problem}[/]"
        where = " ".join(p for p in (c.source, c.location.label() if c.location else "") if p)
        out.print(f"[bold][{c.n}][/] {c.section}（{where}）{mark}" if c.source else f"[bold][{c.n}][/]{mark}",
                  highlight=False)
        if c.quote:
            out.print(f"    「{c.quote}」", highlight=False)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="assistant", description="规划文件问答助手 — plan documents Q&A")
    parser.add_argument("--data-dir", type=Path, help="index location (default: ASSISTANT_DATA_DIR or ./var)")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("docs", help="list documents")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_docs)

    p = sub.add_parser("remove", help="remove a source file or document (by file name or title)")
    p.add_argument("name")
    p.set_defaults(func=cmd_remove)

    p = sub.add_parser("ask", help="ask a question")
    p.add_argument("question", nargs="?")
    p.add_argument("--json", action="store_true")
    p.add_argument("--k", type=int, default=None)
    p.add_argument("--doc", help="only this document (title or file name)")
    p.add_argument("--year", type=int)
    p.add_argument("--batch", help="file with one question per line (- for stdin); JSON lines out")
    p.set_defaults(func=cmd_ask)

    from assistant.briefing import command as brief_command

    p = sub.add_parser("brief", help="write a briefing on a topic")
    brief_command.add_arguments(p)
    p.set_defaults(func=brief_command.run)

    for entry in sorted(entry_points(group=COMMANDS_GROUP), key=lambda e: e.name):
        entry.load()(sub)  # commands of the stages above this package: ingest, eval, serve
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `assistant` console script."""
    args = build_parser().parse_args(argv)
    try:
        settings = load_settings(**({"data_dir": args.data_dir} if args.data_dir else {}))
        return int(args.func(args, settings) or 0)
    except UserError as exc:
        # soft_wrap: one line even when the message is wider than the terminal (or rich's 80-column default)
        err.print(f"[red]error:[/] {exc}", soft_wrap=True)
        return 2
    except KeyboardInterrupt:
        err.print("interrupted")
        return 130
    except Exception as exc:  # noqa: BLE001 - a clear line instead of a traceback
        from pydantic import ValidationError

        if isinstance(exc, ValidationError):
            first = exc.errors()[0]
            err.print(f"[red]error:[/] invalid setting: {first.get('loc')} {first.get('msg')}", soft_wrap=True)
            return 2
        message = str(exc)
        key = settings.llm_api_key if "settings" in locals() else None
        if key is not None and key.get_secret_value():
            message = message.replace(key.get_secret_value(), "***")  # never echo the API key
        err.print(f"[red]error:[/] {type(exc).__name__}: {message}", soft_wrap=True)
        return 1


if __name__ == "__main__":
    sys.exit(main())
