"""`assistant eval SUITE`: run a suite (or compare configurations), write reports, check thresholds."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.text import Text

from assistant.config import Settings
from assistant.errors import UserError

if TYPE_CHECKING:
    from eval.results import BriefingReport, EvalReport

# the runner, reports and the assistant are imported when a suite runs, not when `assistant` starts


def build_assistant(settings: Settings) -> Any:
    """The assistant for a run (assistant.service.build_assistant, imported when a suite runs)."""
    from assistant.service import build_assistant as build

    return build(settings)


def ingest_into(assistant: Any, paths: list[Path], **kwargs: Any) -> Any:
    """Ingest a corpus (ingest.pipeline.ingest_into, imported when it is needed)."""
    from ingest.pipeline import ingest_into as ingest

    return ingest(assistant, paths, **kwargs)


class UsageError(UserError):
    """A user mistake: reported as one line, exit 2."""


def register(sub: Any) -> None:
    """Add the `eval` subcommand (entry point group plan_assistant.commands)."""
    p = sub.add_parser("eval", help="运行评测集")
    add_arguments(p)
    p.set_defaults(func=run)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Arguments of `assistant eval`."""
    parser.add_argument(
        "suite", help='评测集文件（.jsonl/.csv/.xlsx）、内置名称（"dev"、"briefings_dev"）或由反馈生成的评测集名称'
    )
    parser.add_argument("--k", type=int, default=5, help="每题检索的段落数；hit@k 据此计算")
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE", help="覆盖一项设置")
    parser.add_argument("--compare", metavar="KEY=V1,V2,...", help="对一项设置的每个取值各运行一次")
    parser.add_argument("--out", type=Path, help="报告目录（report.json、report.md、report.html）")
    parser.add_argument(
        "--min", action="append", default=[], metavar="METRIC=VALUE", help="低于此分数即未达标（退出码 1）"
    )
    parser.add_argument(
        "--max", action="append", default=[], metavar="METRIC=VALUE",
        help="高于此分数即未达标（退出码 1；用于越低越好的比率，如 wrong_abstention_rate）",
    )
    parser.add_argument(
        "--corpus", type=Path, help="需要建索引时导入的语料（默认：内置示例语料）"
    )
    parser.add_argument("--json", action="store_true", help="以 JSON 输出报告")
    parser.add_argument(
        "--split", choices=("tune", "test", "all"), default="all",
        help="只用评测集中某一部分的题目（题目的 split 字段）：报告 test 部分",
    )


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Run the eval command; 0 when every --min threshold holds, 1 when one fails, 2 on a usage error."""
    err = Console(stderr=True)
    try:
        return _run(args, settings, err)
    except UsageError as exc:
        _say(err, "错误：", "red", str(exc))
        return 2


def _run(args: argparse.Namespace, settings: Settings, err: Console) -> int:
    from eval.feedback_suite import user_suites_dir
    from eval.report import write_briefing_report, write_report
    from eval.results import BriefingReport, Scores
    from eval.runner import compare, run_briefing_suite, run_suite
    from eval.suite import (
        SuiteNotFound,
        is_briefing_suite,
        load_briefing_suite,
        load_suite,
        resolve_suite,
        select_split,
    )

    try:
        path = resolve_suite(args.suite, search=[user_suites_dir(settings.data_dir)])
    except SuiteNotFound as exc:
        raise UsageError(str(exc)) from None
    for pair in args.set:
        key, value = _pair(pair, "--set")
        settings = _apply(settings, key, value)
    thresholds = {key: _float(key, value) for key, value in (_pair(p, "--min") for p in args.min)}
    ceilings = {key: _float(key, value) for key, value in (_pair(p, "--max") for p in args.max)}
    if args.k < 1:
        raise UsageError("--k 至少为 1")
    briefing = is_briefing_suite(path)
    known = BriefingReport("", "", []).metrics() if briefing else Scores().metrics(args.k)
    # judged metrics may be named without their label: --min faithfulness=0.8
    thresholds = {(f"{k} (judged)" if f"{k} (judged)" in known else k): v for k, v in thresholds.items()}
    unknown = [key for key in [*thresholds, *ceilings] if key not in known]
    if unknown:
        raise UsageError(f"--min/--max 中的指标 {unknown[0]!r} 不存在（可用：{'、'.join(known)}）")
    corpus = [args.corpus or settings.corpus_dir]

    reports: list[EvalReport] | list[BriefingReport]
    if briefing:
        if args.compare:
            raise UsageError("简报评测集不支持 --compare")
        bsuite = load_briefing_suite(path)
        _warn_errors(err, bsuite.errors)
        bsuite.topics = select_split(bsuite.topics, args.split)
        assistant = _ready(settings, corpus, err)
        with _progress(err, args.json) as bar:
            reports = [
                run_briefing_suite(
                    assistant,
                    bsuite.topics,
                    progress=bar("简报"),
                    suite=bsuite.name,
                    suite_errors=bsuite.errors,
                )
            ]
    else:
        try:
            suite = load_suite(path)
        except SuiteNotFound as exc:
            raise UsageError(str(exc)) from None
        _warn_errors(err, suite.errors)
        suite.items = select_split(suite.items, args.split)
        if not suite.items:
            raise UsageError(f"评测集 {path} 中没有可用的题目")
        with _progress(err, args.json) as bar:
            if args.compare:
                key, values = _compare_spec(args.compare, settings)
                reports = compare(
                    settings,
                    key,
                    values,
                    suite.items,
                    build=lambda s: build_assistant(s),
                    corpus=corpus,
                    k=args.k,
                    progress=bar,
                    suite=suite.name,
                    suite_errors=suite.errors,
                )
            else:
                assistant = _ready(settings, corpus, err)
                reports = [
                    run_suite(
                        assistant,
                        suite.items,
                        k=args.k,
                        progress=bar("问题"),
                        suite=suite.name,
                        suite_errors=suite.errors,
                    )
                ]

    if args.out:
        if isinstance(reports[0], BriefingReport):
            files = write_briefing_report(args.out, reports[0])
        else:
            files = write_report(
                args.out, reports, compare_key=args.compare.split("=")[0] if args.compare else None
            )
        _say(err, "报告：", "green", str(files.html))
    if args.json:
        print(json.dumps([r.to_dict() for r in reports], ensure_ascii=False, indent=2, default=str))
    else:
        _print_summary(Console(), reports)
    failures = check_thresholds(reports, thresholds) + check_thresholds(reports, ceilings, above=True)
    for line in failures:
        _say(err, "未达标：", "red", line)
    return 1 if failures else 0


def check_thresholds(
    reports: Sequence[EvalReport | BriefingReport], thresholds: dict[str, float], *, above: bool = False
) -> list[str]:
    """One line per threshold a run falls below (with above=True: rises above), or a metric that is missing."""
    failures = []
    sign = "<=" if above else ">="
    for report in reports:
        scores = report.metrics()
        for key, bound in thresholds.items():
            if key not in scores:
                raise UsageError(
                    f"{'--max' if above else '--min'} 中的指标 {key!r} 不存在（可用：{'、'.join(scores)}）"
                )
            value = scores[key]
            prefix = f"[{report.label}] " if len(reports) > 1 else ""
            if value is None:
                failures.append(f"{prefix}{key} 未能计算（没有适用的题目），要求 {sign} {bound}")
            elif (value > bound) if above else (value < bound):
                failures.append(f"{prefix}{key} = {value:.3f}，{'高于' if above else '低于'}要求的 {bound}")
    return failures


def _ready(settings: Settings, corpus: Sequence[Path], err: Console) -> Any:
    """Build the assistant; ingest the corpus first when the knowledge base is empty."""
    assistant = build_assistant(settings)
    try:
        empty = not assistant.documents()
    except (AttributeError, NotImplementedError):
        empty = False
    if empty:
        from assistant.cli import progress

        _say(err, "知识库为空：", "yellow", "正在导入 " + "、".join(map(str, corpus)))
        with progress("入库") as update:  # a bar on a terminal, timestamped lines in a log (CI)
            ingest_into(assistant, list(corpus), progress=update)
    return assistant


def _print_summary(console: Console, reports: Sequence[EvalReport | BriefingReport]) -> None:
    from rich.table import Table

    from eval import labels
    from eval.report import fmt
    from eval.results import EvalReport

    table = Table(title=f"评测：{reports[0].suite}")
    table.add_column("指标")
    for r in reports:
        table.add_column(r.label, justify="right")
    names = list(dict.fromkeys(n for r in reports for n in r.metrics()))
    for name in names:
        table.add_row(labels.metric(name), *(fmt(r.metrics().get(name)) for r in reports))
    for r in reports:
        if isinstance(r, EvalReport):
            total = r.latency.get("total")
            if total:
                table.caption = (table.caption or "") + f" {r.label}：每题用时中位数 {fmt(total.p50, digits=0)} 毫秒，"
                table.caption += f"95 分位 {fmt(total.p95, digits=0)} 毫秒。"
            for note in r.notes:
                _say(console, "说明：", "dim", note)
            failed = len(r.failed())
            _say(console, f"{r.label}：", "bold", f"{len(r.items) - failed}/{len(r.items)} 题通过")
    console.print(table)


class _progress:
    """A rich progress bar on stderr; bar(label) gives a Progress callback (done, total, item)."""

    def __init__(self, console: Console, quiet: bool):
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        self.lines = not quiet and not console.is_terminal  # a log gets timestamped lines instead of a bar
        self.bar = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TextColumn("{task.fields[item]}"),
            console=console,
            disable=quiet or self.lines,
            transient=False,
        )

    def __enter__(self):
        self.bar.start()
        return self.callback

    def __exit__(self, *exc: object) -> None:
        self.bar.stop()

    def callback(self, label: str):
        if self.lines:
            from assistant.cli import log_lines

            return log_lines(f"评测（{label}）", sys.stderr)
        task = self.bar.add_task(label, total=None, item="")

        def update(done: int, total: int, item: str) -> None:
            self.bar.update(task, completed=done, total=total, item=item)

        return update


def _pair(text: str, option: str) -> tuple[str, str]:
    key, sep, value = text.partition("=")
    if not sep or not key.strip():
        raise UsageError(f"{option} 应为 键=值，而不是 {text!r}")
    return key.strip(), value.strip()


def _float(key: str, value: str) -> float:
    try:
        return float(value)
    except ValueError:
        raise UsageError(f"--min/--max {key}：{value!r} 不是数字") from None


def _apply(settings: Settings, key: str, value: str) -> Settings:
    from eval.runner import apply_setting

    try:
        return apply_setting(settings, key, value)
    except ValueError as exc:
        raise UsageError(str(exc)) from None


def _compare_spec(spec: str, settings: Settings) -> tuple[str, list[str]]:
    key, values_text = _pair(spec, "--compare")
    values = [v.strip() for v in values_text.split(",") if v.strip()]
    if not values:
        raise UsageError("--compare 至少需要一个取值")
    for value in values:
        _apply(settings, key, value)  # fail before any run starts
    return key, values


def _say(console: Console, prefix: str, style: str, text: str) -> None:
    """One unwrapped line; the text is never read as rich markup (labels look like [key=value])."""
    gap = "" if prefix.endswith("：") else " "
    console.print(Text(prefix, style=style) + Text(gap + text), soft_wrap=True, highlight=False)


def _warn_errors(err: Console, errors: Sequence[object]) -> None:
    for e in errors:
        _say(err, "已跳过", "yellow", str(e))


def main(argv: Sequence[str] | None = None) -> int:
    """Stand-alone entry (python -m eval.command) until `assistant eval` is wired."""
    from assistant.cli import ArgumentParser
    from assistant.config import load_settings

    parser = ArgumentParser(prog="assistant eval")
    add_arguments(parser)
    return run(parser.parse_args(argv), load_settings())


if __name__ == "__main__":
    sys.exit(main())
