"""Run suites against an assistant: one configuration, several side by side, or briefing coverage."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Annotated, Any

from pydantic import TypeAdapter, ValidationError

from assistant.config import Settings
from assistant.models import Answer
from eval import metrics
from eval.judge import JudgeFn, judge_answer, judge_from_assistant
from eval.results import (
    BriefingReport,
    EvalReport,
    ItemResult,
    Latency,
    Scores,
    SourceRef,
    TopicCoverage,
)
from eval.suite import MULTI_PART_TYPES, BriefingTopic, EvalItem, SuiteError
from ingest.pipeline import ingest_into

Progress = Callable[[int, int, str], None]
BuildFn = Callable[[Settings], Any]
WriteBriefFn = Callable[[Any, str], Any]

# settings whose change needs a separate index (own data_dir, fresh ingest of the corpus)
INDEX_KEYS = frozenset({"chunk_tokens", "embedding_backend", "embedding_model", "embedding_base_url"})


def run_suite(
    assistant: Any,
    items: Sequence[EvalItem],
    *,
    k: int = 5,
    progress: Progress | None = None,
    ask_k: int | None = None,
    judge: JudgeFn | None = None,
    label: str = "default",
    suite: str = "",
    suite_errors: Sequence[SuiteError] = (),
) -> EvalReport:
    """Ask every question, score retrieval and answers, and aggregate per type and overall.

    `ask_k` is how many passages the assistant retrieves (default k); hit@k looks at the top k of them.
    `judge` scores faithfulness/correctness (generative mode); by default the assistant's chat model
    when settings.llm_enabled, else judged metrics are skipped with a note.
    """
    settings = getattr(assistant, "settings", None)
    notes: list[str] = []
    if judge is None and settings is not None and getattr(settings, "llm_enabled", False):
        judge = judge_from_assistant(assistant)
        if judge is None:
            notes.append("未计算模型评判指标：已配置大模型，但助手没有可用的对话模型")
    elif judge is None:
        notes.append("未计算模型评判指标（忠实度、正确性）：离线运行，未配置大模型")
    prompts_dir = Path(getattr(settings, "prompts_dir", Path(__file__).resolve().parent.parent / "prompts"))

    warm_up = getattr(assistant, "warm_up", None)
    if callable(warm_up):
        warm_up()  # model and index loading is not a question's latency
    started = time.perf_counter()
    results: list[ItemResult] = []
    for done, item in enumerate(items):
        if progress:
            progress(done, len(items), item.id)
        try:
            answer = assistant.ask(item.question, k=ask_k or k)
        except Exception as exc:  # noqa: BLE001 - one broken question must not end the run
            results.append(_errored(item, exc))
            continue
        result = score_item(item, answer, k=k)
        if judge is not None:
            result.judged = judge_answer(judge, item, answer, prompts_dir=prompts_dir)
        results.append(result)
    if progress:
        progress(len(items), len(items), "完成")

    by_type = {
        t: aggregate([r for r in results if r.type == t]) for t in dict.fromkeys(r.type for r in results)
    }
    return EvalReport(
        suite=suite,
        label=label,
        k=k,
        items=results,
        overall=aggregate(results),
        by_type=by_type,
        latency=latency_stats(results),
        config=_config_of(settings),
        suite_errors=list(suite_errors),
        judged=judge is not None,
        notes=notes,
        seconds=time.perf_counter() - started,
    )


def score_item(item: EvalItem, answer: Answer, *, k: int) -> ItemResult:
    """Score one answer against its item (pure: no model calls)."""
    # a passage is shown under its heading path, so a heading asked of (a structure question's evidence) is found
    # in the passage listed under it
    texts = [f"{c.section}\n{c.text}" if c.section else c.text for c in answer.contexts]
    answerable = item.answerable and bool(item.evidence)
    rank = metrics.first_hit_rank(texts[:k], item.evidence) if answerable else None
    cited = [
        metrics.CitedSpan(
            quote=c.quote,
            context="\n".join(
                ctx.text
                for ctx in answer.contexts
                if ctx.source == c.source and metrics.lines_overlap(ctx.lines, c.lines)
            ),
        )
        for c in answer.citations
    ]
    return ItemResult(
        id=item.id,
        question=item.question,
        type=item.type,
        expected=item.answer,
        answer=answer.answer,
        abstained=answer.abstained,
        must_include=item.must_include,
        evidence=item.evidence,
        missing=metrics.missing_terms(answer.answer, item.must_include) if item.answerable else [],
        hit_rank=rank,
        hit_at_1=metrics.hit_at(rank, 1) if answerable else None,
        hit_at_k=metrics.hit_at(rank, k) if answerable else None,
        reciprocal_rank=metrics.reciprocal_rank(rank) if answerable else None,
        evidence_recall=metrics.evidence_recall(texts, item.evidence, k) if answerable else None,
        must_include_ok=metrics.must_include_ok(answer.answer, item.must_include)
        if item.answerable
        else None,
        # citation accuracy is judged on the answers given; wrong abstention is its own metric
        citation_ok=(
            metrics.citation_ok(cited, item.evidence) if item.answerable and not answer.abstained else None
        ),
        sources=[
            SourceRef(c.rank, c.source, c.title, c.section, list(c.lines), c.score) for c in answer.contexts
        ],
        timings_ms=dict(answer.timings_ms),
        mode=answer.mode,
    )


def aggregate(results: Sequence[ItemResult]) -> Scores:
    """Aggregate item results; each metric averages over the items it applies to."""
    scored = [r for r in results if r.error is None]
    abst = metrics.abstention_scores((r.answerable, r.abstained) for r in scored)
    return Scores(
        n=len(results),
        answerable=sum(r.answerable for r in results),
        unanswerable=sum(not r.answerable for r in results),
        hit_at_1=metrics.mean(r.hit_at_1 for r in results),
        hit_at_k=metrics.mean(r.hit_at_k for r in results),
        mrr=metrics.mean(r.reciprocal_rank for r in results),
        evidence_recall=metrics.mean(r.evidence_recall for r in results),
        must_include=metrics.mean(r.must_include_ok for r in results),
        citation_accuracy=metrics.mean(r.citation_ok for r in results),
        abstention_precision=abst.precision,
        abstention_recall=abst.recall,
        wrong_abstention_rate=abst.wrong_rate,
        multi_part_complete=metrics.mean(r.must_include_ok for r in results if r.type in MULTI_PART_TYPES),
        unanswerable_answered=None if abst.recall is None else 1.0 - abst.recall,
        faithfulness_judged=metrics.mean(r.judged.faithfulness for r in results if r.judged),
        correctness_judged=metrics.mean(r.judged.correctness for r in results if r.judged),
        passed=metrics.mean(r.passed for r in results),
    )


def latency_stats(results: Sequence[ItemResult]) -> dict[str, Latency]:
    """p50/p95/mean per timing stage (retrieve, answer, total, ...) in milliseconds."""
    stages: dict[str, list[float]] = {}
    for r in results:
        for stage, ms in r.timings_ms.items():
            stages.setdefault(stage, []).append(float(ms))
    return {
        stage: Latency(len(v), metrics.percentile(v, 50), metrics.percentile(v, 95), metrics.mean(v))
        for stage, v in stages.items()
    }


def apply_setting(settings: Settings, key: str, value: str) -> Settings:
    """A copy of settings with one field set from text, validated like the field itself."""
    field = Settings.model_fields.get(key)
    if field is None:
        raise ValueError(f"unknown setting {key!r}")
    annotation = Annotated[field.annotation, *field.metadata] if field.metadata else field.annotation
    adapter: TypeAdapter[Any] = TypeAdapter(annotation)
    try:
        parsed = adapter.validate_python(None if value.lower() in ("", "none") else value)
    except ValidationError as exc:
        reason = exc.errors()[0]["msg"]
        raise ValueError(f"bad value for {key}: {value!r} ({reason})") from None
    return settings.model_copy(update={key: parsed})


def compare(
    settings: Settings,
    key: str,
    values: Sequence[str],
    items: Sequence[EvalItem],
    *,
    build: BuildFn,
    corpus: Sequence[Path],
    ingest: Callable[[Any, list[Path]], Any] = ingest_into,
    k: int = 5,
    progress: Callable[[str], Progress | None] | None = None,
    suite: str = "",
    suite_errors: Sequence[SuiteError] = (),
) -> list[EvalReport]:
    """Run the suite once per value of one setting; index-changing keys get their own data_dir and ingest."""
    reports = []
    for value in values:
        label = f"{key}={value}"
        variant = apply_setting(settings, key, value)
        if key in INDEX_KEYS:
            variant = variant.model_copy(
                update={"data_dir": settings.data_dir / "compare" / f"{key}-{value}"}
            )
        assistant = build(variant)
        if key in INDEX_KEYS or not _has_documents(assistant):
            ingest(assistant, list(corpus))
        report = run_suite(
            assistant,
            items,
            k=k,
            ask_k=variant.top_k if key == "top_k" else None,
            progress=progress(label) if progress else None,
            label=label,
            suite=suite,
            suite_errors=suite_errors,
        )
        reports.append(report)
    return reports


def run_briefing_suite(
    assistant: Any,
    topics: Sequence[BriefingTopic],
    *,
    write: WriteBriefFn | None = None,
    progress: Progress | None = None,
    label: str = "default",
    suite: str = "",
    suite_errors: Sequence[SuiteError] = (),
) -> BriefingReport:
    """Write a briefing per topic and measure key-point coverage; `write(assistant, topic)` is injectable."""
    write = write or default_brief_writer()
    started = time.perf_counter()
    results = []
    for done, topic in enumerate(topics):
        if progress:
            progress(done, len(topics), topic.id)
        points = [p.point for p in topic.key_points]
        t0 = time.perf_counter()
        try:
            brief = write(assistant, topic.topic)
            seconds = time.perf_counter() - t0
            text = brief_text(brief)
        except Exception as exc:  # noqa: BLE001 - one failed briefing must not end the run
            results.append(
                TopicCoverage(topic.id, topic.topic, points, [False] * len(points), error=_describe(exc))
            )
            continue
        covered = [
            metrics.key_point_covered(text, point=p.point, evidence=p.evidence) for p in topic.key_points
        ]
        result = TopicCoverage(topic.id, topic.topic, points, covered, text, seconds)
        if not isinstance(brief, str):
            _add_checks(result, brief, assistant)
        results.append(result)
    if progress:
        progress(len(topics), len(topics), "完成")
    return BriefingReport(
        suite=suite,
        label=label,
        topics=results,
        suite_errors=list(suite_errors),
        seconds=time.perf_counter() - started,
    )


def default_brief_writer() -> WriteBriefFn:
    """assistant.briefing.brief.write_brief, imported only when a briefing suite runs."""
    try:
        from assistant.briefing.brief import write_brief
    except ImportError as exc:
        raise RuntimeError(f"briefings are not available: {exc}") from None
    return lambda assistant, topic: write_brief(assistant, topic)


def _add_checks(result: TopicCoverage, brief: Any, assistant: Any) -> None:
    """The figure checks of a Brief (targets in target columns, differences between documents)."""
    from eval.brief_checks import check_brief

    checks = check_brief(brief, assistant)
    result.body_chars = checks.body_chars
    result.target_rows, result.mislabelled = checks.target_rows, checks.mislabelled
    result.differences, result.false_differences = checks.differences, checks.false_differences
    result.duplicate_rows, result.unverified = checks.duplicate_rows, checks.unverified
    budget = getattr(getattr(assistant, "settings", None), "brief_chars", None)
    if budget is not None and not getattr(brief, "long", False):
        result.within_length = checks.body_chars <= budget


def brief_text(brief: Any) -> str:
    """What a briefing says, without its sources list (a Brief's body: parts, document names, bullets, target
    rows, differences), or a plain string as given. Coverage is measured on it, so a key point found only in
    the quotes of the sources list does not count."""
    if isinstance(brief, str):
        return brief
    if hasattr(brief, "sections") and hasattr(brief, "targets"):
        from assistant.briefing.render import body_text

        return body_text(brief)
    for name in ("markdown", "to_markdown", "render_markdown", "text"):
        value = getattr(brief, name, None)
        if callable(value):
            value = value()
        if isinstance(value, str):
            return value
    return str(brief)


def _has_documents(assistant: Any) -> bool:
    try:
        return bool(assistant.documents())
    except (AttributeError, NotImplementedError):
        return True  # cannot tell: assume the knowledge base is ready


def _errored(item: EvalItem, exc: Exception) -> ItemResult:
    """A question whose ask() raised counts as a miss on every metric that applies to it."""
    retrieval = item.answerable and bool(item.evidence)
    return ItemResult(
        id=item.id,
        question=item.question,
        type=item.type,
        expected=item.answer,
        answer="",
        abstained=False,
        must_include=item.must_include,
        evidence=item.evidence,
        missing=list(item.must_include) if item.answerable else [],
        hit_at_1=False if retrieval else None,
        hit_at_k=False if retrieval else None,
        reciprocal_rank=0.0 if retrieval else None,
        evidence_recall=0.0 if retrieval else None,
        must_include_ok=False if item.answerable and item.must_include else None,
        error=_describe(exc),
    )


def _describe(exc: Exception) -> str:
    return f"{type(exc).__name__}: {exc}"


def _config_of(settings: Any) -> dict[str, Any]:
    if not isinstance(settings, Settings):
        return {}
    keys = ("retriever", "top_k", "chunk_tokens", "embedding_backend", "llm_model", "data_dir")
    config: dict[str, Any] = {key: getattr(settings, key) for key in keys}
    config["data_dir"] = str(config["data_dir"])
    config["llm_enabled"] = settings.llm_enabled
    return config
