"""`assistant eval SUITE`: run a suite (or compare configurations), write reports, check thresholds."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from assistant.config import Settings
from assistant.service import build_assistant
from eval.report import fmt, write_briefing_report, write_report
from eval.results import BriefingReport, EvalReport, Scores
from eval.runner import apply_setting, compare, run_briefing_suite, run_suite
from eval.suite import (
    SuiteNotFound,
    is_briefing_suite,
    load_briefing_suite,
    load_suite,
    resolve_suite,
    select_split,
)
from ingest.pipeline import ingest_into


class UsageError(Exception):
    """A user mistake: reported as one line, exit 2."""


def register(sub: Any) -> None:
    """Add the `eval` subcommand (entry point group plan_assistant.commands)."""
    p = sub.add_parser("eval", help="run an evaluation suite")
    add_arguments(p)
    p.set_defaults(func=run)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Arguments of `assistant eval`."""
    parser.add_argument("suite", help='suite file (.jsonl/.csv/.xlsx) or bundled name ("dev", "briefings")')
    parser.add_argument("--k", type=int, default=5, help="passages retrieved per question; hit@k uses them")
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE", help="override a setting")
    parser.add_argument("--compare", metavar="KEY=V1,V2,...", help="run once per value of one setting")
    parser.add_argument("--out", type=Path, help="report folder (report.json, report.md, report.html)")
    parser.add_argument(
        "--min", action="append", default=[], metavar="METRIC=VALUE", help="fail (exit 1) below this score"
    )
    parser.add_argument(
        "--max", action="append", default=[], metavar="METRIC=VALUE",
        help="fail (exit 1) above this score (for rates where lower is better, e.g. wrong_abstention_rate)",
    )
    parser.add_argument(
        "--corpus", type=Path, help="corpus to ingest when an index is built (default: bundled)"
    )
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.add_argument(
        "--split", choices=("tune", "test", "all"), default="all",
        help="only the items of one split (a suite's 'split' field): report the test part",
    )


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Run the eval command; 0 when every --min threshold holds, 1 when one fails, 2 on a usage error."""
    err = Console(stderr=True)
    try:
        return _run(args, settings, err)
    except UsageError as exc:
        _say(err, "error:", "red", str(exc))
        return 2


def _run(args: argparse.Namespace, settings: Settings, err: Console) -> int:
    try:
        path = resolve_suite(args.suite)
    except SuiteNotFound as exc:
        raise UsageError(str(exc)) from None
    for pair in args.set:
        key, value = _pair(pair, "--set")
        settings = _apply(settings, key, value)
    thresholds = {key: _float(key, value) for key, value in (_pair(p, "--min") for p in args.min)}
    ceilings = {key: _float(key, value) for key, value in (_pair(p, "--max") for p in args.max)}
    if args.k < 1:
        raise UsageError("--k must be at least 1")
    briefing = is_briefing_suite(path)
    known = BriefingReport("", "", []).metrics() if briefing else Scores().metrics(args.k)
    # judged metrics may be named without their label: --min faithfulness=0.8
    thresholds = {(f"{k} (judged)" if f"{k} (judged)" in known else k): v for k, v in thresholds.items()}
    unknown = [key for key in [*thresholds, *ceilings] if key not in known]
    if unknown:
        raise UsageError(f"unknown metric {unknown[0]!r} for --min (known: {', '.join(known)})")
    corpus = [args.corpus or settings.corpus_dir]

    reports: list[EvalReport] | list[BriefingReport]
    if briefing:
        if args.compare:
            raise UsageError("--compare is not supported for briefing suites")
        bsuite = load_briefing_suite(path)
        _warn_errors(err, bsuite.errors)
        bsuite.topics = select_split(bsuite.topics, args.split)
        assistant = _ready(settings, corpus, err)
        with _progress(err, args.json) as bar:
            reports = [
                run_briefing_suite(
                    assistant,
                    bsuite.topics,
                    progress=bar("briefings"),
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
            raise UsageError(f"suite {path} has no valid items")
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
                        progress=bar("questions"),
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
        _say(err, "report:", "green", str(files.html))
    if args.json:
        print(json.dumps([r.to_dict() for r in reports], ensure_ascii=False, indent=2, default=str))
    else:
        _print_summary(Console(), reports)
    failures = check_thresholds(reports, thresholds) + check_thresholds(reports, ceilings, above=True)
    for line in failures:
        _say(err, "FAIL", "red", line)
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
                raise UsageError(f"unknown metric {key!r} for {'--max' if above else '--min'} (known: {', '.join(scores)})")
            value = scores[key]
            prefix = f"[{report.label}] " if len(reports) > 1 else ""
            if value is None:
                failures.append(f"{prefix}{key} not measured (no items it applies to), required {sign} {bound}")
            elif (value > bound) if above else (value < bound):
                failures.append(f"{prefix}{key} = {value:.3f} {'>' if above else '<'} {bound}")
    return failures


def _ready(settings: Settings, corpus: Sequence[Path], err: Console) -> Any:
    """Build the assistant; ingest the corpus first when the knowledge base is empty."""
    assistant = build_assistant(settings)
    try:
        empty = not assistant.documents()
    except (AttributeError, NotImplementedError):
        empty = False
    if empty:
        _say(err, "knowledge base is empty:", "yellow", "ingesting " + ", ".join(map(str, corpus)))
        ingest_into(assistant, list(corpus))
    return assistant


def _print_summary(console: Console, reports: Sequence[EvalReport | BriefingReport]) -> None:
    table = Table(title=f"Evaluation: {reports[0].suite}")
    table.add_column("metric")
    for r in reports:
        table.add_column(r.label, justify="right")
    names = list(dict.fromkeys(n for r in reports for n in r.metrics()))
    for name in names:
        table.add_row(name, *(fmt(r.metrics().get(name)) for r in reports))
    for r in reports:
        if isinstance(r, EvalReport):
            total = r.latency.get("total")
            if total:
                table.caption = (table.caption or "") + f" {r.label}: p50 {fmt(total.p50, digits=0)} ms,"
                table.caption += f" p95 {fmt(total.p95, digits=0)} ms."
            for note in r.notes:
                _say(console, "note:", "dim", note)
            failed = len(r.failed())
            _say(console, f"{r.label}:", "bold", f"{len(r.items) - failed}/{len(r.items)} items passed")
    console.print(table)


class _progress:
    """A rich progress bar on stderr; bar(label) gives a Progress callback (done, total, item)."""

    def __init__(self, console: Console, quiet: bool):
        self.bar = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TextColumn("{task.fields[item]}"),
            console=console,
            disable=quiet,
            transient=False,
        )

    def __enter__(self):
        self.bar.start()
        return self.callback

    def __exit__(self, *exc: object) -> None:
        self.bar.stop()

    def callback(self, label: str):
        task = self.bar.add_task(label, total=None, item="")

        def update(done: int, total: int, item: str) -> None:
            self.bar.update(task, completed=done, total=total, item=item)

        return update


def _pair(text: str, option: str) -> tuple[str, str]:
    key, sep, value = text.partition("=")
    if not sep or not key.strip():
        raise UsageError(f"{option} expects KEY=VALUE, got {text!r}")
    return key.strip(), value.strip()


def _float(key: str, value: str) -> float:
    try:
        return float(value)
    except ValueError:
        raise UsageError(f"--min {key}: {value!r} is not a number") from None


def _apply(settings: Settings, key: str, value: str) -> Settings:
    try:
        return apply_setting(settings, key, value)
    except ValueError as exc:
        raise UsageError(str(exc)) from None


def _compare_spec(spec: str, settings: Settings) -> tuple[str, list[str]]:
    key, values_text = _pair(spec, "--compare")
    values = [v.strip() for v in values_text.split(",") if v.strip()]
    if not values:
        raise UsageError("--compare needs at least one value")
    for value in values:
        _apply(settings, key, value)  # fail before any run starts
    return key, values


def _say(console: Console, prefix: str, style: str, text: str) -> None:
    """One unwrapped line; the text is never read as rich markup (labels look like [key=value])."""
    console.print(Text(prefix, style=style) + Text(" " + text), soft_wrap=True, highlight=False)


def _warn_errors(err: Console, errors: Sequence[object]) -> None:
    for e in errors:
        _say(err, "skipped", "yellow", str(e))


def main(argv: Sequence[str] | None = None) -> int:
    """Stand-alone entry (python -m eval.command) until `assistant eval` is wired."""
    from assistant.config import load_settings

    parser = argparse.ArgumentParser(prog="assistant eval")
    add_arguments(parser)
    return run(parser.parse_args(argv), load_settings())


if __name__ == "__main__":
    sys.exit(main())
