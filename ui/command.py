"""`assistant serve` and `assistant quickstart`: the workspace's subcommands (entry point group)."""

from __future__ import annotations

import argparse
from typing import Any

from assistant.cli import build, label, out, print_sources, say, step
from assistant.config import Settings
from assistant.display import renumber


def register(sub: Any) -> None:
    """Add the `serve` and `quickstart` subcommands."""
    for name, helptext in (("serve", "启动网页工作台"), ("quickstart", "导入示例语料、回答一个示例问题并启动工作台")):
        p = sub.add_parser(name, help=helptext)
        p.add_argument("--host", default="127.0.0.1", help="监听地址（默认只在本机）")
        p.add_argument("--port", type=int, default=7860, help="端口")
        if name == "quickstart":
            p.add_argument("--question", help="示例问题（默认取自示例语料）")
            p.add_argument("--no-serve", action="store_true", help="不启动工作台")
        p.set_defaults(func=cmd_serve if name == "serve" else cmd_quickstart)


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    """Start the workspace (the assistant is built once and shared with quickstart)."""
    from ui.app import serve

    serve(settings, host=args.host, port=args.port, assistant=build(settings), on_step=step)
    return 0


def cmd_quickstart(args: argparse.Namespace, settings: Settings) -> int:
    """Ingest the bundled sample corpus, answer a sample question, then start the UI."""
    from ingest.command import ingest_with_progress

    step(f"导入示例语料 {settings.corpus_dir} …")
    report = ingest_with_progress(settings, [settings.corpus_dir])
    step(f"知识库就绪：{report.documents} 篇文档，{report.chunks} 个分块（{report.seconds:.1f} 秒）")
    assistant = build(settings)
    step("加载模型与索引…")
    assistant.warm_up()
    question = args.question or _sample_question(assistant)
    answer = renumber(assistant.ask(question))
    label(out, "\n问：", question)
    say(out, answer.answer)
    print_sources(answer)
    if args.no_serve:
        return 0
    step(f"启动工作台 http://{args.host}:{args.port} （Ctrl+C 停止）")
    return cmd_serve(args, settings)


def _sample_question(assistant: Any) -> str:
    """The first example question the documents themselves suggest (as the 问答 tab shows them)."""
    from assistant import catalog

    examples = catalog.example_questions(
        assistant.documents(), assistant.store.cached_chunks(), lambda q: assistant.retrieve(q, k=3), n=1
    )
    return examples[0] if examples else "主要目标有哪些？"
