"""Chinese names for what evaluation reports show: metrics, question types, latency stages.

Metric keys (`hit@5`, `must_include`, …) stay as they are in JSON, `--min` and the report files' data;
people read these names next to them.
"""

from __future__ import annotations

import re

METRICS = {
    "hit@1": "首位命中率",
    "hit@k": "前 {k} 命中率",
    "mrr": "平均倒数排名",
    "evidence_recall@k": "证据召回率（前 {k}）",
    "must_include": "要点齐全率",
    "citation_accuracy": "引用准确率",
    "abstention_precision": "拒答准确率",
    "abstention_recall": "拒答召回率",
    "wrong_abstention_rate": "误拒答率",
    "faithfulness (judged)": "忠实度（模型评判）",
    "correctness (judged)": "正确性（模型评判）",
    "passed": "通过率",
    "key-point coverage": "要点覆盖率",
    "coverage": "要点覆盖率",
    "topic_coverage_mean": "各主题平均覆盖率",
}
QUESTION_TYPES = {
    "number": "数字",
    "fact": "事实",
    "list": "列举",
    "cross_doc": "跨文档",
    "unanswerable": "无答案",
}
STAGES = {"condense": "改写", "retrieve": "检索", "answer": "作答", "total": "合计"}


def metric(name: str) -> str:
    """A metric's Chinese name with its key, e.g. "前 5 命中率 hit@5"; unknown names unchanged."""
    m = re.fullmatch(r"(hit|evidence_recall)@(\d+)", name)
    if m and name != "hit@1":
        label = METRICS[f"{m.group(1)}@k"].format(k=m.group(2))
    else:
        label = METRICS.get(name)
    return f"{label} {name.replace(' (judged)', '')}" if label else name


def question_type(name: str) -> str:
    """A question type's Chinese name (unknown types unchanged)."""
    return QUESTION_TYPES.get(name, name)


def stage(name: str) -> str:
    """A latency stage's Chinese name."""
    return STAGES.get(name, name)
