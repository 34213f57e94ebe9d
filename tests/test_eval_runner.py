import pytest

from assistant.config import Settings
from eval.runner import apply_setting, compare, run_briefing_suite, run_suite, score_item
from eval.suite import BriefingTopic, EvalItem, KeyPoint
from eval.testing import FakeAssistant, make_answer


def offline_settings(tmp_path, **kw):
    return Settings(_env_file=None, data_dir=tmp_path, llm_base_url=None, llm_api_key=None, **kw)


ITEMS = [
    EvalItem(
        "n1", "餐饮单位多少家？", "12630家", ["12630"], ["12630家餐饮单位建成“透明厨房”"], type="number"
    ),
    EvalItem("f1", "成交额目标？", "20亿元", ["20亿元"], ["技术合同成交额达到20亿元"], type="fact"),
    EvalItem("u1", "公园绿地面积？", "文档中未提及", type="unanswerable"),
    EvalItem("u2", "新增就业？", "文档中未提及", type="unanswerable"),
]


def scripted(tmp_path):
    return FakeAssistant(
        {
            # hit at rank 2, correct answer citing the evidence passage
            "餐饮单位多少家？": make_answer(
                "餐饮单位多少家？",
                "全市 12630 家餐饮单位建成透明厨房。",
                contexts=["无关", "全市12630家餐饮单位建成“透明厨房”。"],
                cite=[2],
                timings_ms={"retrieve": 10, "answer": 30, "total": 40},
            ),
            # evidence not retrieved, wrong number
            "成交额目标？": make_answer(
                "成交额目标？",
                "达到10亿元",
                contexts=["研发经费投入年均增长21%"],
                cite=[1],
                timings_ms={"retrieve": 20, "answer": 60, "total": 80},
            ),
            # answered an unanswerable question
            "新增就业？": make_answer("新增就业？", "5万人", contexts=["城镇新增就业5万人"], cite=[1]),
        },
        settings=offline_settings(tmp_path),
    )


def test_run_suite_scores_items_types_and_abstention(tmp_path):
    fake = scripted(tmp_path)
    seen = []
    report = run_suite(fake, ITEMS, k=5, progress=lambda d, t, label: seen.append((d, t)))
    assert [q for q, _ in fake.asked] == [i.question for i in ITEMS]
    assert all(k == 5 for _, k in fake.asked)
    assert seen[0] == (0, 4) and seen[-1] == (4, 4)

    n1, f1, u1, u2 = report.items
    assert n1.hit_rank == 2 and n1.hit_at_1 is False and n1.hit_at_k is True and n1.reciprocal_rank == 0.5
    assert n1.must_include_ok and n1.citation_ok and n1.passed
    assert f1.hit_at_k is False and f1.missing == ["20亿元"] and f1.citation_ok is False
    assert "检索结果中没有包含答案依据的段落" in f1.failures()
    assert u1.abstained and u1.passed and u1.hit_at_k is None and u1.citation_ok is None
    assert not u2.passed

    m = report.metrics()
    assert m["hit@1"] == 0.0 and m["hit@5"] == 0.5 and m["mrr"] == 0.25
    assert m["must_include"] == 0.5 and m["citation_accuracy"] == 0.5
    assert m["abstention_precision"] == 1.0 and m["abstention_recall"] == 0.5
    assert m["wrong_abstention_rate"] == 0.0
    assert m["faithfulness (judged)"] is None
    assert any("未计算模型评判指标" in n for n in report.notes) and not report.judged
    assert report.by_type["number"].hit_at_k == 1.0 and report.by_type["fact"].hit_at_k == 0.0
    assert report.by_type["unanswerable"].abstention_recall == 0.5
    total = report.latency["total"]  # 15, 15, 40, 80 ms
    assert total.n == 4 and total.p50 == 27.5 and total.p95 == pytest.approx(74.0)
    assert report.latency["retrieve"].p50 == 10.0
    assert [i.id for i in report.failed()] == ["f1", "u2"]


def test_hit_at_k_only_looks_at_the_top_k_contexts():
    item = ITEMS[0]
    answer = make_answer(item.question, "12630", contexts=["a", "b", "12630家餐饮单位建成“透明厨房”"])
    assert score_item(item, answer, k=2).hit_at_k is False
    assert score_item(item, answer, k=3).hit_at_k is True


def test_a_heading_asked_of_is_found_in_the_passage_listed_under_it():
    # structure questions quote headings as evidence; a passage is shown under its heading path
    item = EvalItem("s1", "第2节叫什么？", "第2节", ["第2节"], ["第2节"], type="structure")
    answer = make_answer(item.question, "第2节", contexts=["正文一", "正文二"], cite=[2])
    assert score_item(item, answer, k=5).hit_rank == 2


def test_empty_answer_and_wrong_abstention_on_answerable_item():
    item = ITEMS[1]
    result = score_item(item, make_answer(item.question, "", abstained=True, contexts=[]), k=5)
    assert result.must_include_ok is False and result.hit_at_k is False
    assert result.citation_ok is None  # citation accuracy covers answers given
    assert result.failures()[0] == "文档中有答案，却回答了“文档中未提及”"


def test_a_question_that_raises_is_a_miss_and_the_run_goes_on(tmp_path):
    class Broken(FakeAssistant):
        def ask(self, question, **kw):
            if question == ITEMS[0].question:
                raise RuntimeError("store offline")
            return super().ask(question, **kw)

    report = run_suite(Broken(settings=offline_settings(tmp_path)), ITEMS, k=5)
    assert report.items[0].error == "RuntimeError: store offline"
    assert report.items[0].hit_at_k is False and not report.items[0].passed
    assert report.metrics()["abstention_recall"] == 1.0


def test_judge_scores_are_recorded_and_labelled(tmp_path):
    prompts = []

    def judge(prompt: str) -> str:
        prompts.append(prompt)
        return "4\n基本正确"

    report = run_suite(scripted(tmp_path), ITEMS[:1], k=5, judge=judge)
    assert report.judged
    assert report.items[0].judged.faithfulness == 0.75 and report.items[0].judged.correctness == 0.75
    assert report.metrics()["correctness (judged)"] == 0.75
    assert len(prompts) == 2 and ITEMS[0].question in prompts[0]
    assert "12630家" in prompts[1]  # the expected answer reaches the correctness judge


def test_apply_setting_validates_values_and_keys(tmp_path):
    settings = offline_settings(tmp_path)
    assert apply_setting(settings, "chunk_tokens", "250").chunk_tokens == 250
    assert apply_setting(settings, "retriever", "dense").retriever == "dense"
    with pytest.raises(ValueError, match="bad value for retriever"):
        apply_setting(settings, "retriever", "magic")
    with pytest.raises(ValueError, match="bad value for chunk_tokens"):
        apply_setting(settings, "chunk_tokens", "10")
    with pytest.raises(ValueError, match="unknown setting"):
        apply_setting(settings, "nope", "1")


def test_compare_builds_one_assistant_per_value_with_own_index_for_index_keys(tmp_path):
    built = []

    def build(settings):
        fake = FakeAssistant(settings=settings)
        built.append(fake)
        return fake

    corpus = [tmp_path / "corpus"]
    reports = compare(
        offline_settings(tmp_path), "chunk_tokens", ["250", "500"], ITEMS, build=build, corpus=corpus,
        ingest=lambda assistant, paths: assistant.ingest(paths),
    )
    assert [r.label for r in reports] == ["chunk_tokens=250", "chunk_tokens=500"]
    assert [b.settings.chunk_tokens for b in built] == [250, 500]
    assert built[0].settings.data_dir == tmp_path / "compare" / "chunk_tokens-250"
    assert all(b.ingested == [corpus] for b in built)

    built.clear()
    reports = compare(
        offline_settings(tmp_path), "top_k", ["3", "10"], ITEMS, build=build, corpus=corpus,
        ingest=lambda assistant, paths: assistant.ingest(paths),
    )
    assert [b.settings.data_dir for b in built] == [tmp_path, tmp_path]
    assert [b.asked[0][1] for b in built] == [3, 10]
    assert all(b.ingested == [] for b in built)


def test_briefing_suite_coverage_per_topic_with_injected_writer(tmp_path):
    topics = [
        BriefingTopic(
            "t1",
            "科技创新目标",
            [
                KeyPoint("技术合同成交额达到20亿元", "技术合同成交额达到20亿元"),
                KeyPoint("建成国家级高新区", "建成国家级高新区"),
            ],
        ),
        BriefingTopic("t2", "民生", [KeyPoint("城镇新增就业5万人", "城镇新增就业5万人")]),
    ]
    calls = []

    def write(assistant, topic):
        calls.append(topic)
        if topic == "民生":
            raise RuntimeError("no sources")
        return "## 简报\n- 技术合同成交额 20 亿元\n"

    report = run_briefing_suite(FakeAssistant(settings=offline_settings(tmp_path)), topics, write=write)
    assert calls == ["科技创新目标", "民生"]
    assert report.topics[0].covered == [True, False] and report.topics[0].coverage == 0.5
    assert report.topics[1].error == "RuntimeError: no sources"
    assert report.coverage == pytest.approx(1 / 3)
    assert report.metrics()["topic_coverage_mean"] == 0.25
