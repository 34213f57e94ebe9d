"""The answerer's fitted models: what the shipped file holds, and the pure parts of the fitting script."""

from __future__ import annotations

from assistant.answering.decide import FACET_FEATURES
from assistant.answering.features import FEATURES
from assistant.answering.scorer import load_scorer
from eval.fit_answerer import _holds_evidence, choose_threshold, reliability


def test_the_shipped_model_matches_the_code_and_says_how_it_was_fitted() -> None:
    scorer = load_scorer()
    assert scorer.unit.features == FEATURES and scorer.facet.features == FACET_FEATURES
    assert 0.0 < scorer.threshold < 1.0
    info = scorer.info
    assert all("(tune)" in source for source in info["fitted_on"])  # never the test splits
    assert info["answerable_facets"] > 50 and info["facets"] > info["answerable_facets"]


def test_a_unit_stated_more_fully_than_its_evidence_holds_it() -> None:
    assert _holds_evidence("今年城镇新增就业90万人以上，城镇调查失业率5.5%左右。", ["城镇新增就业90万人以上"])
    # evidence spanning two sentences: the sentence with the asked figure holds it
    evidence = ["人才数量进入全省第一方阵。技术合同成交额达到20亿元"]
    assert _holds_evidence("技术合同成交额达到20亿元，", evidence, ["20亿元"])
    assert not _holds_evidence("人才数量进入全省第一方阵。", evidence, ["20亿元"])
    assert not _holds_evidence("城镇调查失业率5.5%左右。", ["城镇新增就业90万人以上"])


def test_threshold_keeps_the_wrongly_declined_share_under_its_target() -> None:
    answerable = [(p / 100, True) for p in range(40, 100)]  # 60 answerable facets
    unanswerable = [(p / 100, False) for p in range(60)]
    threshold, curve = choose_threshold(answerable + unanswerable)
    declined = sum(p < threshold for p, a in answerable if a)
    assert declined <= 0.05 * 60
    assert any(row["unanswerable_declined"] > 0.6 for row in curve)
    bins = reliability(answerable + unanswerable)
    assert bins[0]["answerable"] == 0.0 and bins[-1]["answerable"] == 1.0
