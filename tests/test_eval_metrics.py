from eval import metrics
from eval.metrics import CitedSpan


def test_normalize_removes_all_whitespace_and_applies_nfkc():
    assert metrics.normalize("遴选 260 名\n乡村首席教师（１＋10）") == "遴选260名乡村首席教师(1+10)"
    assert metrics.normalize(None) == ""


def test_first_hit_rank_matches_evidence_across_line_breaks_and_fullwidth_digits():
    contexts = ["无关内容", "遴选\n２６０ 名乡村首席教师", "遴选260名乡村首席教师"]
    assert metrics.first_hit_rank(contexts, ["遴选 260 名乡村首席教师"]) == 2


def test_first_hit_rank_uses_first_rank_where_any_evidence_string_is_contained():
    contexts = ["甲", "含有第二条证据", "含有第一条证据"]
    assert metrics.first_hit_rank(contexts, ["第一条证据", "第二条证据"]) == 2


def test_no_evidence_or_no_hit_gives_none_and_zero_reciprocal_rank():
    assert metrics.first_hit_rank(["任何文本"], []) is None
    assert metrics.first_hit_rank(["任何文本"], ["  "]) is None
    assert metrics.first_hit_rank([], ["证据"]) is None
    assert metrics.reciprocal_rank(None) == 0.0
    assert metrics.reciprocal_rank(4) == 0.25


def test_hit_at_k_boundaries():
    assert metrics.hit_at(1, 1)
    assert metrics.hit_at(5, 5)
    assert not metrics.hit_at(6, 5)
    assert not metrics.hit_at(None, 5)


def test_evidence_split_across_two_chunks_is_recalled_from_the_joined_top_k():
    evidence = ["技术合同成交额达到20亿元"]
    contexts = ["……技术合同成交", "额达到20亿元，研发经费……"]
    assert metrics.first_hit_rank(contexts, evidence) is None  # no single chunk holds it
    assert metrics.evidence_recall(contexts, evidence, k=2) == 1.0
    assert metrics.evidence_recall(contexts, evidence, k=1) == 0.0


def test_evidence_recall_is_the_fraction_of_strings_found_and_none_without_evidence():
    contexts = ["不少于100人", "不少于50人"]
    assert metrics.evidence_recall(contexts, ["不少于100人", "不少于50人", "不少于20人"], k=5) == 2 / 3
    assert metrics.evidence_recall(contexts, [], k=5) is None


def test_must_include_requires_every_term_after_normalisation():
    assert metrics.must_include_ok("市级不少于 100 人，县级 50人，乡镇20 人", ["100人", "50人", "20人"])
    assert not metrics.must_include_ok("市级不少于100人", ["100人", "50人"])
    assert metrics.missing_terms("市级不少于100人", ["100人", "50人"]) == ["50人"]


def test_must_include_on_empty_answer_fails_and_empty_list_does_not_apply():
    assert metrics.must_include_ok("", ["12630"]) is False
    assert metrics.must_include_ok(None, ["12630"]) is False
    assert metrics.must_include_ok("任何回答", []) is None


def test_citation_ok_when_quote_or_cited_context_holds_the_evidence():
    evidence = ["全市新开工装配式建筑占新建建筑的面积比例达到40%"]
    assert metrics.citation_ok([CitedSpan(quote="面积比例达到 40%")], evidence) is False
    full = "到2025年，全市新开工装配式建筑占新建建筑的面积比例达到40%。"
    assert metrics.citation_ok([CitedSpan(quote="面积比例达到40%", context=full)], evidence) is True
    assert metrics.citation_ok([CitedSpan(quote=full)], evidence) is True
    assert metrics.citation_ok([], evidence) is False
    assert metrics.citation_ok([CitedSpan(quote=full)], []) is None


def test_lines_overlap():
    assert metrics.lines_overlap([10, 20], [20, 30])
    assert metrics.lines_overlap([15], [10, 20])
    assert not metrics.lines_overlap([10, 20], [21, 30])
    assert not metrics.lines_overlap([], [1, 2])


def test_abstention_precision_recall_and_wrong_abstention_rate():
    # (answerable, abstained)
    outcomes = [(False, True), (False, False), (True, True), (True, False), (True, False), (True, False)]
    scores = metrics.abstention_scores(outcomes)
    assert scores.precision == 0.5  # 1 of 2 abstentions was on an unanswerable item
    assert scores.recall == 0.5  # 1 of 2 unanswerable items abstained on
    assert scores.wrong_rate == 0.25  # 1 of 4 answerable items


def test_abstention_scores_without_abstentions_or_unanswerable_items_are_none():
    scores = metrics.abstention_scores([(True, False)])
    assert scores.precision is None
    assert scores.recall is None
    assert scores.wrong_rate == 0.0
    assert metrics.abstention_scores([]).wrong_rate is None


def test_mean_skips_inapplicable_values_and_percentile_interpolates():
    assert metrics.mean([True, False, None, True]) == 2 / 3
    assert metrics.mean([None]) is None
    assert metrics.percentile([], 50) is None
    assert metrics.percentile([10.0], 95) == 10.0
    assert metrics.percentile([1.0, 2.0, 3.0, 4.0], 50) == 2.5
    assert metrics.percentile([float(v) for v in range(1, 101)], 95) == 95.05


def test_numbers_in_normalises_separators_and_trailing_zeros():
    assert metrics.numbers_in("12,630家，2.50亿元，１＋10＋100，50%") == [
        "12630",
        "2.5",
        "1",
        "10",
        "100",
        "50",
    ]


def test_key_point_covered_by_evidence_or_by_all_numbers():
    point = "创新引领型企业20家、高新技术企业600家"
    evidence = "创新引领型企业达到20家，高新技术企业达到600家"
    assert metrics.key_point_covered(
        "……创新引领型企业达到 20 家，高新技术企业达到600家……", point=point, evidence=evidence
    )
    assert metrics.key_point_covered("培育引领型企业20家、高企600家。", point=point, evidence=evidence)
    assert not metrics.key_point_covered("培育引领型企业20家。", point=point, evidence=evidence)
    # 20 inside 2025 is not the number 20
    assert not metrics.key_point_covered("到2025年，高企600家", point=point, evidence=evidence)


def test_key_point_without_numbers_needs_its_evidence():
    point = "建成国家级高新区"
    assert not metrics.key_point_covered(
        "一份无关的简报", point=point, evidence="建成国家级高新区，融入郑洛新"
    )
    assert not metrics.key_point_covered("", point=point, evidence="")
