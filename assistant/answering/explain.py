"""Why an answer says what it says (`assistant ask --explain`, the 命中测试 view): the question frame, the
documents it was routed to, each source's lexical, dense and fused scores, and per facet the decider's
probability against its threshold and the best-scored units."""

from __future__ import annotations

from typing import Any

from assistant.answering.curated import Closest
from assistant.answering.frame import QuestionFrame
from assistant.answering.offline import Draft
from assistant.answering.parts import SURE_UNIT
from assistant.answering.scorer import Scorer
from assistant.models import Retrieved
from assistant.retrieval.routing import Catalog, Scope

TOP_UNITS = 5
TOP_DOCUMENTS = 5


def explain(frame: QuestionFrame, catalog: Catalog, contexts: list[Retrieved], draft: Draft,
            scorer: Scorer) -> dict[str, Any]:
    """The explanation as plain data (JSON-ready), in the order a reader asks: what, where, which, why."""
    return {
        "frame": {
            "answer_type": frame.answer_type,
            "terms": frame.terms,
            "scope": _scope(frame.scope, catalog),
            "facets": [{"label": f.label, "text": f.text, "scope": _scope(f.scope, catalog)} for f in frame.facets],
            "wants_number": frame.wants_number,
        },
        "routing": _routing(frame.scope, catalog),
        "sources": [
            {
                "n": n, "title": r.chunk.title, "section": " > ".join(r.chunk.section), "lines": [r.chunk.line_start,
                r.chunk.line_end], "fused": round(r.score, 4), "lexical": r.lexical_score, "dense": r.dense_score,
                "lexical_rank": r.lexical_rank, "dense_rank": r.dense_rank,
            }
            for n, r in enumerate(contexts, 1)
        ],
        "decision": [
            {
                "facet": r.label or r.text or "（整个问题）",
                "p_answer": round(r.p_answer, 3),
                "threshold": scorer.threshold,
                "best_unit": round(r.scores[0].p, 3) if r.scores else None,
                "unit_floor": scorer.unit_floor,
                "answered": bool(r.units),
                "why": _why(r.p_answer, r.scores[0].p if r.scores else 0.0, bool(r.units), scorer),
                "top_units": [{"p": round(s.p, 3), "text": s.unit.display[:120]} for s in r.scores[:TOP_UNITS]],
            }
            for r in draft.facets
        ],
        "abstained": draft.abstained,
    }


def _scope(scope: Scope, catalog: Catalog) -> dict[str, Any]:
    titles = {d: p.info.title for d, p in catalog.profiles.items()}
    return {
        "places": list(scope.places), "years": list(scope.years), "document_years": list(scope.doc_years),
        "kinds": list(scope.kinds), "documents": [titles.get(d, d) for d in scope.doc_ids],
        "hinted": [titles.get(d, d) for d in scope.hinted],
    }


def _routing(scope: Scope, catalog: Catalog) -> list[dict[str, Any]]:
    weights = catalog.weights(scope)
    ranked = sorted(weights.items(), key=lambda kv: -kv[1])[:TOP_DOCUMENTS]
    return [{"title": catalog.profiles[d].info.title, "weight": round(w, 3)} for d, w in ranked]


def _why(p_answer: float, best: float, answered: bool, scorer: Scorer) -> str:
    if answered and p_answer < scorer.threshold:  # (parts.sure_parts: answered beside another part)
        return f"资料回答了这一问（可答概率低于阈值，但最相关原文 {best:.2f} ≥ {SURE_UNIT:.2f}，且同题另一问已答）"
    if answered:
        return "资料回答了这一问"
    if p_answer < scorer.threshold:
        return f"判断资料不足以回答（{p_answer:.2f} < 阈值 {scorer.threshold:.2f}）"
    if best < scorer.unit_floor:
        return f"最相关的原文也不足以回答（{best:.2f} < {scorer.unit_floor:.2f}）"
    return "没有与问题范围相符的资料"


def curated_explain(closest: Closest | None) -> dict[str, Any]:
    """Whether a curated pair answered: the nearest one, its similarity against the threshold, and why."""
    if closest is None or closest.pair is None:
        return {"matched": False, "why": "没有已审定的标准问答"}
    pair = closest.pair
    if closest.gone:
        why = f"与标准问答相似度 {closest.similarity:.2f} ≥ 阈值 {closest.threshold:.2f}，但其原文出处已不在知识库中，不采用"
    elif closest.matched:
        why = f"与标准问答相似度 {closest.similarity:.2f} ≥ 阈值 {closest.threshold:.2f}，采用审定的答案"
    elif closest.similarity == 0:
        why = "最接近的标准问答与问题所指的年份、地区、文档或序号不同，不采用"
    else:
        why = f"与最接近的标准问答相似度 {closest.similarity:.2f} < 阈值 {closest.threshold:.2f}，不采用"
    return {
        "matched": closest.matched, "similarity": closest.similarity, "threshold": closest.threshold, "why": why,
        "pair": {"id": pair.id, "question": pair.question, "approved_by": pair.approved_by,
                 "approved_at": pair.approved_at},
    }
