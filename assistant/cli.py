"""`assistant` command line: docs, remove, ask, brief here; ingest, eval, serve, quickstart registered by their packages.

Messages for people are Chinese; `--json` output keeps its English keys. Text that comes from a
document or a file name is printed as data: never read as rich markup, control sequences removed.
Heavy libraries (models, Chroma, rich's tables and progress bars) are imported only when a command
needs them.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import os
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from importlib.metadata import entry_points
from pathlib import Path
from typing import IO, Any, NoReturn

from rich.console import Console
from rich.text import Text

from assistant.config import Settings, load_settings
from assistant.display import (
    explain_lines,
    format_time,
    location_label,
    renumber,
    section_path,
    terminal_safe,
)
from assistant.errors import UserError  # re-exported for the subcommands: one line, exit code 2
from assistant.text import plain

# subcommands contributed by the packages that build on this one (ingest, eval, ui): see pyproject.toml
COMMANDS_GROUP = "plan_assistant.commands"
STARTED = time.perf_counter()  # when this process began its work (for the "共 … s" line)
K_RANGE = (1, 50)  # the Settings.top_k range

out = Console(soft_wrap=True)  # long answers and quotes are not hard-wrapped when piped
err = Console(stderr=True)




def say(console: Console, text: object, style: str | None = None, *, end: str = "\n") -> None:
    """Print text from a document, a file name or a user as it is: no markup, no terminal control sequences."""
    console.print(Text(terminal_safe(text), style=style or ""), soft_wrap=True, highlight=False, end=end)


def label(console: Console, head: str, text: object, style: str = "bold") -> None:
    """A styled label (ours) followed by data text (escaped)."""
    console.print(Text(head, style=style) + Text(terminal_safe(text)), soft_wrap=True, highlight=False)


_built: dict[int, Any] = {}


def build(settings: Settings) -> Any:
    """The assistant for these settings, built once per process (commands that chain share it)."""
    if id(settings) not in _built:
        from assistant.service import build_assistant

        _built[id(settings)] = build_assistant(settings)
    return _built[id(settings)]


@contextlib.contextmanager
def progress(title: str, *, quiet: bool = False) -> Iterator[Callable[[int, int, str], None]]:
    """A progress callback (done, total, label): a bar on a terminal, else timestamped lines for a log."""
    if quiet:
        yield lambda done, total, label: None
        return
    if err.is_terminal:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        bar = Progress(
            TextColumn(f"[bold]{title}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
            TextColumn("{task.fields[label]}"), console=err, transient=False,
        )
        with bar:
            task = bar.add_task(title, total=None, label="")

            def update(done: int, total: int, label: str) -> None:
                bar.update(task, completed=done, total=total, label=terminal_safe(label))

            yield update
        return
    yield log_lines(title, sys.stderr)


def log_lines(title: str, stream: IO[str], *, every_s: float = 2.0) -> Callable[[int, int, str], None]:
    """Progress as lines ("[12:00:01] 入库 3/5 004_….txt"): the first and last step, and one per `every_s` between."""
    last = {"at": -every_s}

    def update(done: int, total: int, label: str) -> None:
        now = time.monotonic()
        if 0 < done < total and now - last["at"] < every_s:
            return
        last["at"] = now
        count = f"{done}/{total}" if total else str(done)
        stream.write(f"[{time.strftime('%H:%M:%S')}] {title} {count} {terminal_safe(label)}\n")
        stream.flush()

    return update


def step(text: str) -> None:
    """One progress line on stderr for a long step (loading models…), visible in a log too."""
    err.print(Text(f"[{time.strftime('%H:%M:%S')}] {text}", style="dim"), highlight=False)


# --- docs and remove ----------------------------------------------------------------------------------


def cmd_docs(args: argparse.Namespace, settings: Settings) -> int:
    """List documents grouped by file: titles wrap, and number, date and lines tell plans of a gazette apart."""
    docs = build(settings).documents()
    if args.json:
        out.print_json(json.dumps([d.__dict__ for d in docs], ensure_ascii=False))
        return 0
    if not docs:
        say(out, "知识库为空：请先运行 assistant ingest 路径")
        return 0
    from rich import box
    from rich.table import Table

    files = list(dict.fromkeys(d.source for d in docs))
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, expand=True,
                  title=f"共 {len(docs)} 篇文档，{len(files)} 个文件", title_justify="left")
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("标题", ratio=1, overflow="fold", min_width=12)
    table.add_column("文号/日期", overflow="fold", max_width=18)
    table.add_column("年份", no_wrap=True)
    table.add_column("行", no_wrap=True, justify="right")
    table.add_column("分块", no_wrap=True, justify="right")
    n = 0
    for source in files:
        mine = [d for d in docs if d.source == source]
        table.add_row("", Text(terminal_safe(source), style="bold cyan"),
                      Text(f"{len(mine)} 篇，入库 {format_time(mine[0].ingested_at)}", style="cyan"))
        for d in mine:
            n += 1
            issued = "\n".join(x for x in (d.doc_number, d.date) if x)
            table.add_row(str(n), Text(terminal_safe(d.title)), Text(terminal_safe(issued)), str(d.year or ""),
                          f"{d.line_start}–{d.line_end}", str(d.chunks))
    out.print(table)
    return 0


def cmd_remove(args: argparse.Namespace, settings: Settings) -> int:
    """Remove a source file (by file name) or one document (by title)."""
    removed = build(settings).remove(args.name)
    if not removed:
        raise UserError(f"没有名为“{terminal_safe(args.name)}”的文件或文档（用 assistant docs 查看）")
    for source in removed:
        label(out, "已移除 ", source, style="green")
    return 0


# --- ask ------------------------------------------------------------------------------------------------


def _batch_questions(path: str, settings: Settings) -> list[tuple[int, str]]:
    """(line number, question) pairs of a batch file, refused whole when a line or the count is over its limit."""
    limit, most = settings.max_question_chars, settings.max_batch_questions
    if path != "-" and not Path(path).is_file():
        raise UserError(f"找不到文件：{terminal_safe(path)}")
    stream: IO[str] = sys.stdin if path == "-" else open(path, encoding="utf-8")  # noqa: SIM115
    questions: list[tuple[int, str]] = []
    try:
        # read at most one character past the limit per line: a 1 MB line is refused after 2,001 characters
        for number, line in enumerate(iter(lambda: stream.readline(limit + 2), ""), 1):
            question = line.strip()
            if len(line.rstrip("\r\n")) > limit:
                raise UserError(f"第 {number} 行的问题过长（超过 {limit:,} 字），请精简后重试")
            if question:
                questions.append((number, question))
            if len(questions) > most:
                raise UserError(f"批量问题过多：超过 {most:,} 个（ASSISTANT_MAX_BATCH_QUESTIONS）")
    except UnicodeDecodeError:
        raise UserError(f"{terminal_safe(path)} 不是 UTF-8 文本") from None
    finally:
        if stream is not sys.stdin:
            stream.close()
    return questions


def _load(assistant: Any, *, quiet: bool) -> float:
    """Load models and indexes ahead of the question, so its own timings are the real ones; seconds taken."""
    t0 = time.perf_counter()
    if not quiet:
        step("加载模型与索引…")
    assistant.warm_up()
    return time.perf_counter() - t0


def cmd_ask(args: argparse.Namespace, settings: Settings) -> int:
    """Answer one question (or a batch, as JSON lines) with cited sources and the real timings."""
    from assistant import catalog
    from assistant.errors import InputTooLong

    if args.batch is None and not (args.question or "").strip():
        raise UserError("请给出问题，或用 --batch 文件")
    if args.batch is None and len(args.question.strip()) > settings.max_question_chars:
        raise InputTooLong("问题", len(args.question.strip()), settings.max_question_chars)
    batch = _batch_questions(args.batch, settings) if args.batch is not None else None
    assistant = build(settings)
    docs = assistant.documents()
    if not docs:
        raise UserError("知识库为空：请先运行 assistant ingest 路径")
    problem = catalog.filter_problem(docs, args.doc, args.year)
    if problem:
        raise UserError(problem)
    load_s = _load(assistant, quiet=args.json or batch is not None)
    if batch is not None:
        for _, question in batch:
            answer = assistant.ask(question, k=args.k, doc=args.doc, year=args.year, explain=args.explain)
            print(json.dumps(_contract(answer), ensure_ascii=False), flush=True)
        return 0
    streaming = assistant.chat_model is not None and not args.json
    answer = assistant.ask(args.question, k=args.k, doc=args.doc, year=args.year, explain=args.explain,
                           on_token=(lambda t: print(terminal_safe(t), end="", flush=True)) if streaming else None)
    if args.json:
        print(json.dumps(_contract(answer), ensure_ascii=False, indent=2))
        return 0
    shown = renumber(answer)
    if streaming:
        print()  # the answer (or its offline replacement) was already streamed to the terminal
    else:
        say(out, shown.answer)
    notices = [catalog.language_hint(args.question, docs),
               catalog.outside_filter(assistant, args.question, answer, k=args.k, doc=args.doc, year=args.year)]
    print_sources(shown, load_s=load_s, notices=[n for n in notices if n])
    if answer.explain:
        out.print()
        say(out, "为什么这样回答", "bold")
        for line in explain_lines(answer.explain):
            say(out, line)
    return 0


def _contract(answer: Any) -> dict[str, Any]:
    """The documented `ask --json` object: keys added to Answer later appear only when they carry something."""
    data = answer.to_dict()
    for key in ("explain", "curated"):
        if data.get(key) is None:
            data.pop(key, None)
    return data


def print_sources(answer: Any, *, load_s: float | None = None, notices: Sequence[str] = ()) -> None:
    """Mode and the real timings, notices, then each citation: [n] title › section（file, location）and its quote."""
    t = answer.timings_ms
    badge = {"llm": "生成式", "curated": "标准问答"}.get(answer.mode, "离线摘录")
    parts = [f"模式：{badge}"]
    if load_s is not None:
        parts.append(f"加载模型与索引 {load_s:.1f} 秒")
    parts += [f"检索 {t.get('retrieve', 0):.0f} 毫秒", f"作答 {t.get('answer', 0):.0f} 毫秒"]
    parts.append(f"本次共 {time.perf_counter() - STARTED:.1f} 秒（含启动）")
    out.print()
    say(out, " · ".join(parts), "dim")
    curated = getattr(answer, "curated", None)
    if curated is not None:
        who = curated.approved_by or "本机（未启用登录）"
        say(out, f"标准问答 #{curated.id}：由 {who} 于 {format_time(curated.approved_at)} 审定（与问题相似度 "
                 f"{curated.similarity:.2f}，阈值 {curated.threshold:.2f}）", "green")
    for notice in [answer.notice, *notices]:
        if notice:
            say(out, notice, "yellow")
    for c in answer.citations:
        where = "，".join(x for x in (c.source, location_label(c)) if x)
        line = Text(f"[{c.n}] ", style="bold") + Text(terminal_safe(f"{section_path(c)}（{where}）"))
        if not c.verified:
            line += Text(terminal_safe(f" 未核实：{c.problem}"), style="red")
        out.print(line, soft_wrap=True, highlight=False)
        if c.quote:
            say(out, f"    「{plain(c.quote)}」")


# --- parser ---------------------------------------------------------------------------------------------

_ARGPARSE_ZH = (
    ("the following arguments are required: ", "缺少参数："),
    ("unrecognized arguments: ", "无法识别的参数："),
    ("invalid choice: ", "无效的选项："),
    ("invalid int value: ", "不是整数："),
    ("invalid float value: ", "不是数字："),
    ("expected one argument", "需要一个值"),
    ("argument ", "参数 "),
    (": ", "："),
    ("choose from ", "可选："),
    ("not allowed with argument ", "不能与此参数同用："),
)
_HELP_ZH = (
    ("usage:", "用法："),
    ("positional arguments:", "参数："),
    ("options:", "选项："),
    ("show this help message and exit", "显示帮助并退出"),
)


class ArgumentParser(argparse.ArgumentParser):
    """argparse with Chinese usage, help and one-line Chinese errors (exit 2)."""

    def format_usage(self) -> str:
        """The usage line in Chinese."""
        return _zh(super().format_usage(), _HELP_ZH)

    def format_help(self) -> str:
        """The help text in Chinese."""
        return _zh(super().format_help(), _HELP_ZH)

    def error(self, message: str) -> NoReturn:
        """One line on stderr, exit 2."""
        err.print(Text("错误：", style="red") + Text(_zh(message, _ARGPARSE_ZH)), soft_wrap=True, highlight=False)
        err.print(Text(f"（{self.prog} -h 查看用法）", style="dim"), highlight=False)
        sys.exit(2)


def _zh(text: str, table: Sequence[tuple[str, str]]) -> str:
    for english, chinese in table:
        text = text.replace(english, chinese)
    return text


def top_k(value: str) -> int:
    """--k: an integer in the range Settings.top_k allows."""
    try:
        k = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"须为整数，而不是 {value!r}") from None
    low, high = K_RANGE
    if not low <= k <= high:
        raise argparse.ArgumentTypeError(f"须在 {low} 到 {high} 之间，而不是 {k}")
    return k


def build_parser() -> ArgumentParser:
    """The `assistant` parser with every subcommand (those of ingest, eval and ui through entry points)."""
    parser = ArgumentParser(prog="assistant", description="规划文件问答助手：问答、简报、评测与知识库管理")
    parser.add_argument("--data-dir", type=Path, help="索引目录（默认 ASSISTANT_DATA_DIR 或 ./var）")
    parser.add_argument("-v", "--verbose", action="store_true", help="输出运行日志（含出错时的详细信息）")
    sub = parser.add_subparsers(dest="command", required=True, metavar="命令", parser_class=ArgumentParser)

    p = sub.add_parser("docs", help="列出知识库中的文档")
    p.add_argument("--json", action="store_true", help="输出 JSON")
    p.set_defaults(func=cmd_docs, read_only=True)

    p = sub.add_parser("remove", help="移除一个文件（按文件名）或一篇文档（按标题）")
    p.add_argument("name", help="文件名或文档标题")
    p.set_defaults(func=cmd_remove)

    p = sub.add_parser("ask", help="提问")
    p.add_argument("question", nargs="?", help="问题（中文）")
    p.add_argument("--json", action="store_true", help="输出 JSON")
    p.add_argument("--k", type=top_k, default=None, help=f"检索的段落数（{K_RANGE[0]}–{K_RANGE[1]}）")
    p.add_argument("--doc", help="只在这篇文档中查找（标题的一部分或文件名）")
    p.add_argument("--year", type=int, help="只在这一年的文档中查找")
    p.add_argument("--batch", help="每行一个问题的文件（- 表示标准输入）；逐行输出 JSON")
    p.add_argument("--explain", action="store_true",
                   help="说明为什么这样回答：问题解析、文档路由、各段落的词汇/向量/融合得分与作答判断（--json 时为 explain 键）")
    p.set_defaults(func=cmd_ask, read_only=True)

    from assistant.briefing import command as brief_command

    p = sub.add_parser("brief", help="就一个主题生成简报")
    brief_command.add_arguments(p)
    p.set_defaults(func=brief_command.run)

    for entry in sorted(entry_points(group=COMMANDS_GROUP), key=lambda e: e.name):
        entry.load()(sub)  # commands of the stages above this package: ingest, eval, serve
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `assistant` console script."""
    from assistant.errors import AssistantError

    # jieba's dictionary-loading chatter is not for users (a filter: jieba resets its level when imported)
    logging.getLogger("jieba").addFilter(lambda record: record.levelno >= logging.WARNING)
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.WARNING, stream=sys.stderr,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    try:
        settings = load_settings(**({"data_dir": args.data_dir} if args.data_dir else {}))
        code = int(args.func(args, settings) or 0)
        if argv is None and getattr(args, "read_only", False):
            _leave_now(code)
        return code
    except UserError as exc:
        # soft_wrap: one line even when the message is wider than the terminal (or rich's 80-column default)
        label(err, "错误：", exc, style="red")
        return 2
    except AssistantError as exc:  # e.g. a model file that does not match the code: not the user's doing
        label(err, "错误：", exc, style="red")
        return 1
    except KeyboardInterrupt:
        say(err, "已中断")
        return 130
    except Exception as exc:
        from pydantic import ValidationError

        if isinstance(exc, ValidationError):
            first = exc.errors()[0]
            label(err, "错误：", f"设置无效：{first.get('loc')} {first.get('msg')}", style="red")
            return 2
        message = str(exc)
        key = settings.llm_api_key if "settings" in locals() else None
        if key is not None and key.get_secret_value():
            message = message.replace(key.get_secret_value(), "***")  # never echo the API key
        logging.getLogger(__name__).debug("unexpected error", exc_info=True)  # the traceback, with --verbose
        hint = "" if args.verbose else "（加 --verbose 查看详情）"
        label(err, "错误：", f"{type(exc).__name__}: {message}{hint}", style="red")
        return 1


def _leave_now(code: int) -> None:
    """End a read-only command at once: tearing down the loaded models and Chroma took ~1.5 s after the answer.

    Only for commands that write nothing (ask, docs) and only from the console script, never inside tests.
    """
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    sys.exit(main())
