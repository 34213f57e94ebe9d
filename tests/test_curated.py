"""Curated Q&A pairs: matched by a measured similarity over the same scope, never answering a near miss, shown
with who approved them and when, and always citing their passage as the document reads now."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.answering.curated import fold_synonyms, question_key, similarity
from assistant.config import Settings
from assistant.feedback.model import Passage
from assistant.models import Answer
from assistant.service import build_assistant
from assistant.vocab import load_synonyms
from eval.fit_curated import PAIRS, choose_threshold, summary
from ingest.pipeline import ingest_into

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "data" / "corpus"
QUESTION = "2021年城镇新增就业的目标是多少？"


def _uniform(_: str) -> float:
    return 1.0


def test_questions_that_name_another_year_place_number_or_ordinal_never_match():
    stored = question_key("2023年应届高校毕业生综合就业率的目标是多少？", None)
    for other in ("2021年应届高校毕业生综合就业率的目标是多少？", "2023年浙江应届高校毕业生综合就业率的目标是多少？",
                  "去年应届高校毕业生综合就业率的目标是多少？"):
        assert similarity(stored, question_key(other, None), _uniform) == 0.0, other
    assert similarity(question_key("入选第一批试点的是哪个县？", None),
                      question_key("入选第二批试点的是哪个县？", None), _uniform) == 0.0
    assert similarity(question_key("入选首批试点的是哪个县？", None),
                      question_key("入选第一批试点的是哪个县？", None), _uniform) == 1.0  # 首批 is 第一批
    assert similarity(question_key("80周岁以上老人有多少？", None), question_key("90周岁以上老人有多少？", None), _uniform) == 0
    assert similarity(stored, stored, _uniform) == 1.0


def test_equivalent_wordings_of_the_synonym_table_are_one_term():
    table = load_synonyms()
    assert fold_synonyms("重庆2024年GDP是多少", table) == fold_synonyms("重庆2024年地区生产总值是多少", table)
    a = question_key("2024年GDP是多少？", None, table)
    b = question_key("2024年经济总量是多少？", None, table)
    assert similarity(a, b, _uniform) == 1.0


def test_every_near_miss_of_the_pairs_that_names_another_scope_scores_zero():
    """The hand-written near misses that change a year, place, number, ordinal or plan period (both splits)."""
    rows = [json.loads(line) for line in PAIRS.read_text(encoding="utf-8").splitlines() if line.strip()]
    scoped = [r for r in rows if r["kind"] in ("year", "place", "number", "ordinal", "period")]
    assert len(scoped) >= 30
    for r in scoped:
        assert similarity(question_key(r["stored"], None), question_key(r["asked"], None), _uniform) == 0.0, r


def test_the_threshold_is_the_lowest_with_no_false_match_on_the_pairs_it_is_chosen_on():
    scored = [(0.2, False), (0.836, False), (0.9, True), (0.8, True), (1.0, True)]
    threshold = choose_threshold(scored)
    assert threshold == 0.84
    assert summary(scored, threshold)["false_matches"] == 0 and summary(scored, threshold)["recall"] == 2 / 3
    assert Settings(_env_file=None).curated_threshold == 0.84  # what eval.fit_curated chose (README)


# --- end to end: a real assistant on two reports of the sample corpus -----------------------------------


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    settings = Settings(_env_file=None, data_dir=tmp_path_factory.mktemp("curated"), embedding_backend="hash")
    assistant = build_assistant(settings)
    ingest_into(assistant, sorted(CORPUS.glob("001_*.txt")) + sorted(CORPUS.glob("003_*.txt")))
    return assistant


def _approve(assistant, question: str, correction: str, quote: str, user: str = "管理员"):
    hit = next(h for h in assistant.retrieve(quote, k=10) if quote in h.chunk.text.replace("**", ""))
    c = hit.chunk
    evidence = Passage(c.source, c.title, c.section_path, (c.line_start, c.line_end), c.text, quote)
    answer = assistant.ask(question)
    record = assistant.record_feedback(answer, "wrong", correction=correction, evidence=evidence, user="张三")
    return assistant.approve_curated(record.id, approved_by=user)


def test_a_curated_pair_answers_its_question_and_close_rewordings_with_its_provenance(reports):
    before = reports.ask(QUESTION)
    assert before.mode == "extractive"
    pair = _approve(reports, QUESTION, "城镇新增就业4.9万人", "城镇新增就业")
    for asked in (QUESTION, "2021年城镇新增就业目标定的是多少？", "城镇新增就业2021年的目标是多少"):
        answer = reports.ask(asked, explain=True)
        assert answer.mode == "curated", (asked, answer.explain["curated"])
        assert answer.answer == "城镇新增就业4.9万人[1]" and not answer.abstained
        assert answer.curated is not None and answer.curated.id == pair.id
        assert answer.curated.approved_by == "管理员" and answer.curated.approved_at == pair.approved_at
        assert answer.curated.similarity >= reports.settings.curated_threshold
        cited = answer.citations[0]
        assert cited.verified and cited.source == pair.evidence.source and cited.quote == "城镇新增就业"
        assert answer.contexts[0].source == pair.evidence.source
        assert "采用审定的答案" in answer.explain["curated"]["why"]
    data = reports.ask(QUESTION).to_dict()
    assert data["mode"] == "curated" and data["curated"]["approved_by"] == "管理员"


@pytest.mark.parametrize("near_miss", [
    "2023年城镇新增就业的目标是多少？",  # another year
    "2021年城镇调查失业率的目标是多少？",  # another indicator
    "2021年粮食产量的目标是多少？",
    "今年城镇新增就业的目标是多少？",  # 今年 is not 2021 until a report year says so
    "2021年城乡居民人均可支配收入增长目标是多少？",
])
def test_a_curated_pair_never_answers_a_question_it_does_not_match(reports, near_miss):
    answer = reports.ask(near_miss, explain=True)
    assert answer.mode != "curated" and answer.curated is None
    assert answer.answer != "城镇新增就业4.9万人[1]"  # never the curated answer itself
    assert answer.explain["curated"]["matched"] is False


def test_a_revoked_pair_no_longer_answers(reports):
    pair = _approve(reports, "2021年粮食产量要保持在多少？", "280万吨以上", "粮食产量")
    assert reports.ask("2021年粮食产量要保持在多少？").mode == "curated"
    reports.feedback.revoke_curated(pair.id, "管理员")
    assert reports.ask("2021年粮食产量要保持在多少？").mode != "curated"


def test_a_pair_whose_passage_is_gone_is_not_used(reports, monkeypatch):
    pair = _approve(reports, "2021年居民消费价格涨幅控制在多少？", "3%左右", "居民消费价格涨幅")
    assert reports.ask("2021年居民消费价格涨幅控制在多少？").mode == "curated"
    monkeypatch.setattr(reports.store, "source_text", lambda source: "这一文件已被替换。")
    answer = reports.ask("2021年居民消费价格涨幅控制在多少？", explain=True)
    assert answer.mode != "curated" and "原文出处已不在知识库中" in answer.explain["curated"]["why"]
    reports.feedback.revoke_curated(pair.id, "管理员")


def test_curated_pairs_can_be_turned_off(reports, monkeypatch):
    monkeypatch.setattr(reports.settings, "curated", False)
    answer: Answer = reports.ask(QUESTION)
    assert answer.mode == "extractive"
