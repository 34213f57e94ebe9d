"""`assistant serve` and `assistant quickstart`: the workspace's subcommands (entry point group)."""

from __future__ import annotations

import argparse
from typing import Any

from assistant.cli import build, out, print_sources
from assistant.config import Settings


def register(sub: Any) -> None:
    """Add the `serve` and `quickstart` subcommands."""
    for name, helptext in (("serve", "start the web workspace"), ("quickstart", "sample corpus demo + UI")):
        p = sub.add_parser(name, help=helptext)
        p.add_argument("--host", default="127.0.0.1")
        p.add_argument("--port", type=int, default=7860)
        if name == "quickstart":
            p.add_argument("--question")
            p.add_argument("--no-serve", action="store_true")
        p.set_defaults(func=cmd_serve if name == "serve" else cmd_quickstart)


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    """Start the workspace (the assistant is built once and shared with quickstart)."""
    from ui.app import serve

    serve(settings, host=args.host, port=args.port, assistant=build(settings))
    return 0


def cmd_quickstart(args: argparse.Namespace, settings: Settings) -> int:
    """Ingest the bundled sample corpus, answer a sample question, then start the UI."""
    from ingest.command import ingest_with_progress

    ingest_with_progress(settings, [settings.corpus_dir])
    question = args.question or "到2025年全市市场主体数要达到多少万户？"
    out.print(f"\n[bold]问：[/]{question}")
    answer = build(settings).ask(question)
    out.print(answer.answer, highlight=False)
    print_sources(answer)
    if args.no_serve:
        return 0
    out.print(f"\nstarting the workspace on http://{args.host}:{args.port} (Ctrl+C to stop)")
    return cmd_serve(args, settings)
