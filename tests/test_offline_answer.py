"""The offline answerer end to end on small documents of two places (hash embeddings, the shipped model):
labelled facets from each place's own document, declining what the collection does not hold, lists spelled
out as sub-headings, metadata and structure answers with citations."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from assistant.answering.offline import FACET_MISSING, NOT_FOUND
from assistant.config import Settings
from assistant.service import build_assistant
from ingest.pipeline import ingest_into

REPORT = """{year}年{province}政府工作报告
——{year}年1月15日在{province}第十四届人民代表大会第三次会议上
{province}省长 某某
各位代表：
一、{prev}年工作回顾
过去一年，全省地区生产总值增长{growth_prev}，城镇新增就业{jobs_prev}。
二、{year}年目标任务和主要工作
今年经济社会发展的主要预期目标是：地区生产总值增长{growth}，城镇新增就业{jobs}，居民收入增长与经济增长同步。
重点做好三方面工作：
（一）聚力扩大有效投资，推动经济持续稳定增长
实施重点项目{projects}个，完成年度投资计划。
（二）聚力发展新质生产力，建设现代化产业体系
培育先进制造业集群，壮大战略性新兴产业。
（三）聚力办好民生实事，提高人民生活品质
新建改扩建中小学校，提升基本医疗服务能力。
"""

MEASURES = """某省人民政府办公厅关于印发某省数据资源管理办法的通知
某政办〔2023〕12号
各市人民政府，省政府各部门：
现将《某省数据资源管理办法》印发给你们，请认真贯彻执行。
某省人民政府办公厅
2023年6月8日
某省数据资源管理办法
第一章　总则
第一条　为规范数据资源管理，推进数据共享开放，制定本办法。
第二条　本办法适用于本省行政区域内政务数据资源的管理活动。
第二章　共享与开放
第三条　政务部门应当自收到共享申请之日起5个工作日内答复。
第四条　有条件开放的数据，应当在十个工作日内完成审核。
"""


OPINIONS = """某省数据专区建设指导意见
一、总体要求
以数据要素市场化配置为主线，推进公共数据开发利用，培育数据产业生态。
二、基本原则
（一）坚持统筹规划、分类推进
按照行业和区域特点分类建设数据专区，避免重复投入。
（二）坚持授权运营、创新引领
通过授权运营方式引入专业力量，探索数据应用新模式。
（三）坚持依法合规、安全可控
落实数据安全主体责任，守住安全底线。
三、保障措施
加强组织领导，完善考核评估，落实资金保障。
"""


def _plan() -> str:
    """A plan whose list items are paragraphs opening with a short head sentence, long enough to span chunks."""
    body = "坚持项目为王，强化要素保障，完善配套设施，提升服务水平，推动产业链上下游协同发展，形成集聚效应。" * 4
    heads = ("先进制造示范区。", "开放合作先行区。", "生态宜居样板区。")
    return "\n".join([
        "某市“十四五”发展规划", "一、发展基础", "全市经济总量稳步增长，产业结构持续优化。", "二、发展定位",
        "立足资源禀赋和产业基础，对标先进地区，结合发展实际，提出“十四五”时期三大发展定位：",
        *(head + body for head in heads),
        "三、基本原则", "实现上述定位，必须遵循以下原则：", "坚持党的全面领导。" + body, "",
    ])


def _sichuan_2025() -> str:
    return REPORT.format(year=2025, prev=2024, province="四川省", growth="5.5%左右", jobs="90万人以上",
                         growth_prev="5.7%", jobs_prev="98.3万人", projects=700)


def _zhejiang(year: int, growth_prev: str) -> str:
    return REPORT.format(year=year, prev=year - 1, province="浙江省", growth="5.5%左右", jobs="100万人",
                         growth_prev=growth_prev, jobs_prev="126万人", projects=1000)


def _built(tmp_path_factory, files: dict[str, str]):
    """An assistant (hash embeddings, the shipped model) with these files ingested."""
    folder = tmp_path_factory.mktemp("docs")
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    settings = Settings(_env_file=None, data_dir=Path(tmp_path_factory.mktemp("var")), embedding_backend="hash")
    built = build_assistant(settings)
    ingest_into(built, [folder])
    return built


@pytest.fixture(scope="module")
def assistant(tmp_path_factory):
    return _built(tmp_path_factory, {
        "sichuan.txt": _sichuan_2025(),
        "zhejiang.txt": _zhejiang(2025, growth_prev="5.5%"),
        "measures.txt": MEASURES,
    })


def test_each_place_of_a_comparison_is_answered_from_its_own_document(assistant) -> None:
    answer = assistant.ask("四川和浙江今年城镇新增就业目标分别是多少？")
    sichuan, zhejiang = answer.answer.split("\n")[:2]
    assert sichuan.startswith("四川：") and "90万人以上" in sichuan
    assert zhejiang.startswith("浙江：") and "100万人" in zhejiang
    sources = {c.n: c.source for c in answer.citations}
    assert sources[int(sichuan.split("[")[-1].rstrip("]"))] == "sichuan.txt"
    assert sources[int(zhejiang.split("[")[-1].rstrip("]"))] == "zhejiang.txt"
    assert all(c.verified for c in answer.citations)


def test_a_place_without_a_document_is_said_to_be_missing(assistant) -> None:
    answer = assistant.ask("四川和甘肃今年城镇新增就业目标分别是多少？")
    assert "90万人以上" in answer.answer
    assert f"甘肃：{FACET_MISSING}" in answer.answer


def test_a_question_about_a_place_not_in_the_collection_is_declined(assistant) -> None:
    answer = assistant.ask("甘肃省今年城镇新增就业目标是多少？")
    assert answer.abstained and answer.citations == []
    # the reason is said: the collection holds no document of the place
    assert answer.answer == f"{NOT_FOUND}。知识库中没有甘肃省的文档。"


def test_an_off_topic_question_is_declined(assistant) -> None:
    assert assistant.ask("数字人民币试点有哪些安排？").abstained


def test_items_spelled_out_as_sub_headings_are_listed(assistant) -> None:
    answer = assistant.ask("四川今年重点做好哪三方面工作？")
    for item in ("扩大有效投资", "新质生产力", "办好民生实事"):
        assert item in answer.answer
    assert {c.source for c in answer.citations} == {"sichuan.txt"}


def test_document_number_and_date_come_from_its_metadata_with_a_citation(assistant) -> None:
    answer = assistant.ask("某省数据资源管理办法的文号和印发日期是什么？")
    assert "某政办〔2023〕12号" in answer.answer and "2023年6月8日" in answer.answer
    assert answer.citations and all(c.source == "measures.txt" for c in answer.citations)


def test_a_document_named_by_a_number_no_document_has_is_not_answered_from_another(assistant) -> None:
    """"某政办〔2023〕13号文件…" when the collection holds 12号 only: declined, saying which number is not held;
    the number it holds is answered by its document's title."""
    missing = assistant.ask("某政办〔2023〕13号文件印发的是哪个办法？")
    assert missing.answer.startswith(NOT_FOUND) and "某政办〔2023〕13号" in missing.answer
    held = assistant.ask("某政办〔2023〕12号文件印发的是哪个办法？")
    assert "某省数据资源管理办法" in held.answer and not held.answer.startswith(NOT_FOUND)


def test_how_many_articles_and_what_one_says(assistant) -> None:
    count = assistant.ask("某省数据资源管理办法一共有多少条？")
    assert "共四条" in count.answer and "第四条" in count.answer
    article = assistant.ask("某省数据资源管理办法第三条规定了什么？")
    assert "5个工作日" in article.answer


@pytest.fixture(scope="module")
def two_years(tmp_path_factory):
    return _built(tmp_path_factory, {
        "sichuan.txt": _sichuan_2025(),
        "zhejiang.txt": _zhejiang(2024, growth_prev="6%"),
        "opinions.txt": OPINIONS,
        "plan.txt": _plan(),
    })


def test_a_list_question_naming_a_section_is_answered_by_its_sub_headings(two_years) -> None:
    answer = two_years.ask("数据专区建设要坚持哪几条基本原则？")
    for principle in ("统筹规划、分类推进", "授权运营、创新引领", "依法合规、安全可控"):
        assert principle in answer.answer, answer.answer
    assert {c.source for c in answer.citations if f"[{c.n}]" in answer.answer} == {"opinions.txt"}


def test_a_place_s_report_of_a_year_the_collection_lacks_is_not_answered_from_another_year(two_years) -> None:
    # the collection has a 2024 report (of another province) and this province's 2025 report, not its 2024 one
    answer = two_years.ask("四川省2024年政府工作报告提出的城镇新增就业目标是多少？")
    assert answer.answer.startswith(NOT_FOUND), answer.answer
    held = two_years.ask("浙江省2024年政府工作报告提出实施重点项目多少个？")
    assert "1000个" in held.answer and held.citations[0].source == "zhejiang.txt"


def test_this_year_is_not_answered_from_the_review_of_last_year(two_years) -> None:
    for question in ("浙江今年城镇新增就业目标是多少？", "浙江今年全省地区生产总值增长多少？"):
        answer = two_years.ask(question)
        assert "过去一年" not in answer.answer and "126万人" not in answer.answer, answer.answer



def test_a_target_the_report_does_not_set_is_not_answered_from_last_year_s_result(tmp_path_factory) -> None:
    report = _sichuan_2025().replace(
        "城镇新增就业{jobs_prev}。".format(jobs_prev="98.3万人"), "城镇新增就业98.3万人，粮食产量达到718亿斤。"
    )
    built = _built(tmp_path_factory, {"sichuan.txt": report})
    assert "718亿斤" in built.ask("四川去年粮食产量是多少？").answer  # the review answers for last year
    answer = built.ask("四川今年粮食产量目标是多少？")  # this year's targets name no grain output
    assert answer.answer.startswith(NOT_FOUND), answer.answer


def test_units_all_of_other_years_leave_nothing_to_answer_with() -> None:
    from assistant.answering.asked_years import drop_other_years
    from assistant.answering.features import FEATURES

    conflict = FEATURES.index("year_conflict")
    other, asked = [0.0] * len(FEATURES), [0.0] * len(FEATURES)
    other[conflict] = 1.0
    assert drop_other_years(["a", "b"], [other, asked]) == (["b"], [asked])  # type: ignore[list-item]
    assert drop_other_years(["a", "b"], [other, other]) == ([], [])  # type: ignore[list-item]
    assert drop_other_years(["a"], [asked]) == (["a"], [asked])  # type: ignore[list-item]


def test_a_place_whose_passages_were_not_retrieved_is_not_answered_from_another_place(assistant) -> None:
    from assistant.answering.candidates import candidates_of
    from assistant.answering.eligible import eligible
    from assistant.answering.frame import Facet, parse_question
    from assistant.models import Retrieved

    catalog = assistant.answerer.catalogs.get()
    frame = parse_question("四川今年城镇新增就业目标是多少？", catalog)
    others = [c for c in assistant.store.cached_chunks() if c.source == "zhejiang.txt"]
    units = candidates_of([Retrieved(chunk=c, score=1.0) for c in others])
    facet = Facet("", frame.scope)
    assert units and eligible(units, facet, catalog) == []  # Sichuan has a document: Zhejiang's passages don't answer
    assert eligible(units, facet, catalog, strict=False) == units  # the fitting keeps them, as negatives


def test_items_written_as_the_heads_of_their_paragraphs_are_listed(two_years) -> None:
    answer = two_years.ask("某市“十四五”发展规划提出的发展定位是什么？")
    for head in ("先进制造示范区", "开放合作先行区", "生态宜居样板区"):
        assert head in answer.answer, answer.answer
    assert "坚持党的全面领导" not in answer.answer  # the next section's paragraph is no item of the list
    assert {c.source for c in answer.citations if f"[{c.n}]" in answer.answer} == {"plan.txt"}


def test_this_year_asked_without_a_year_is_the_newest_reports(tmp_path_factory) -> None:
    """With a province's reports of two years, "今年/去年" means its newest report's (the older one's 今年 is
    another year); a question naming the year still reads the older one."""
    def report(year: int, jobs: str, jobs_prev: str) -> str:
        return REPORT.format(year=year, prev=year - 1, province="浙江省", growth="5.5%左右", jobs=jobs,
                             growth_prev="6%", jobs_prev=jobs_prev, projects=1000)

    built = _built(tmp_path_factory, {"zj24.txt": report(2024, "95万人", "111万人"),
                                      "zj25.txt": report(2025, "100万人", "126万人")})
    answer = built.ask("浙江今年城镇新增就业目标是多少？")
    assert "100万人" in answer.answer and "95万人" not in answer.answer, answer.answer
    answer = built.ask("浙江去年城镇新增就业多少？")
    assert "126万人" in answer.answer and "111万人" not in answer.answer, answer.answer
    assert "95万人" in built.ask("浙江2024年政府工作报告提出的城镇新增就业目标是多少？").answer
    catalog = built.answerer.catalogs.get()
    assert {catalog.profiles[d].info.source for d in catalog.superseded} == {"zj24.txt"}


def test_a_list_question_is_answered_by_the_items_a_lead_in_says_follow(tmp_path_factory) -> None:
    """"今年要重点做好以下工作。" announces the sub-headings after it: they answer, without the sentence beside it."""
    report = """2025年浙江省政府工作报告
——2025年1月15日在浙江省第十四届人民代表大会第三次会议上
一、2024年工作回顾
过去一年，全省地区生产总值增长5.5%。
二、2025年工作安排
做好今年工作，要坚持稳中求进工作总基调，重点抓好经济工作。
今年要重点做好以下工作。
（一）聚力扩大有效投资
实施重点项目1000个，完成年度投资计划。
（二）聚力发展新质生产力
培育先进制造业集群，壮大战略性新兴产业。
（三）聚力办好民生实事
新建改扩建中小学校，提升基本医疗服务能力。
"""
    answer = _built(tmp_path_factory, {"zj.txt": report}).ask("浙江今年重点做好哪些工作？").answer
    lines = [line.split("[")[0] for line in answer.split("\n")]
    assert lines == ["今年要重点做好以下工作。", "（一）聚力扩大有效投资", "（二）聚力发展新质生产力", "（三）聚力办好民生实事"]


def test_of_several_documents_a_title_names_the_one_whose_passages_answer_gives_the_section(tmp_path_factory) -> None:
    """Two excerpts of one report both fit "2021年政府工作报告": the section answer ("主要目标") comes from the one
    whose passages answer best, not from whichever is listed first."""
    outlook = """《政府工作报告》之未来展望篇
今后五年奋斗目标
2021年是“十四五”开局之年。今后五年，全市经济实力显著增强，城乡面貌明显改善。
坚持创新驱动，建设创新高地。
"""
    targets = """《政府工作报告》之开局起步篇
我市2021年经济社会发展主要预期目标
生产总值增长7.5%以上，规模以上工业增加值增长7.5%以上，固定资产投资增长6.5%。
城镇新增就业6万人以上。
"""
    built = _built(tmp_path_factory, {"001_a.txt": outlook, "002_b.txt": targets})
    answer = built.ask("2021年政府工作报告提出的主要目标是什么？").answer
    assert "7.5%以上" in answer and "今后五年" not in answer, answer


def test_a_gdp_target_written_as_economic_growth_answers(tmp_path_factory) -> None:
    """"GDP增长目标" is answered by "经济增长6%左右" (a report's own wording), not declined for naming no GDP."""
    report = """2025年湖北省政府工作报告
二、2025年工作安排
经济社会发展的主要预期目标是：经济增长6%左右；城镇新增就业70万人以上；居民消费价格涨幅2%左右。
"""
    answer = _built(tmp_path_factory, {"hb.txt": report}).ask("湖北今年GDP增长目标是多少？").answer
    assert "6%左右" in answer, answer


def test_two_indicators_asked_together_are_answered_each_from_its_own_statement(assistant) -> None:
    """"…城镇新增就业和重点项目分别是多少": a labelled line each, from the sentence that states it."""
    answer = assistant.ask("四川今年城镇新增就业和重点项目分别是多少？")
    lines = answer.answer.split("\n")
    jobs = next(line for line in lines if line.startswith("城镇新增就业："))
    projects = next(line for line in lines if line.startswith("重点项目："))
    assert "90万人以上" in jobs and "700个" in projects


def test_a_part_just_short_of_the_floor_is_answered_when_another_part_is_answered_from_its_document() -> None:
    """"…24年新增了多少张？25年打算再建多少张？": the second part's best unit (0.65, under the floor) is in the report
    the first part is answered from, and the decider finds the part answered: it is answered again at a lower floor.
    Not so from another document, nor below that floor, nor when the decider declines the part."""
    from assistant.answering.candidates import Candidate
    from assistant.answering.parts import COMPANION_FLOOR, FacetAnswer, companions
    from assistant.answering.select import Scored
    from assistant.models import Chunk

    def unit(doc: str) -> Candidate:
        chunk = Chunk(f"c-{doc}", f"{doc}.txt", doc, "某市政府工作报告", [], "新建2000张家庭养老床位。", 1, 1)
        return Candidate(0, chunk, chunk.text, chunk.text, "sentence")

    first = FacetAnswer("2024年", [unit("r")], 0.9, [Scored(unit("r"), 0.95)])
    second = FacetAnswer("2025年", [], 0.35, [Scored(unit("r"), 0.65)])
    assert companions([first, second], threshold=0.25) == [1]
    assert companions([first, FacetAnswer("2025年", [], 0.35, [Scored(unit("other"), 0.65)])], 0.25) == []
    assert companions([first, FacetAnswer("2025年", [], 0.35, [Scored(unit("r"), COMPANION_FLOOR - 0.01)])], 0.25) == []
    assert companions([first, FacetAnswer("2025年", [], 0.2, [Scored(unit("r"), 0.65)])], 0.25) == []


def test_a_part_gives_way_to_another_that_its_first_unit_answers_better() -> None:
    """"…22年比上一年多打了多少粮？这五年粮食产量一直稳在多少以上？": both parts' first unit is "粮食产量连年稳定在…以上",
    scored 0.97 for the second and 0.80 for the first: the first is answered again without it when a unit of its own
    is scored at least COMPANION_FLOOR. Not when it is scored higher for the first, nor without such a unit, nor
    for facets that are no sub-questions (places, years)."""
    from assistant.answering.candidates import Candidate
    from assistant.answering.parts import COMPANION_FLOOR, FacetAnswer, giving_way
    from assistant.answering.select import Scored
    from assistant.models import Chunk

    def unit(text: str, pos: int) -> Candidate:
        chunk = Chunk("c1", "r.txt", "r", "政府工作报告", [], text, 1, 1)
        return Candidate(0, chunk, text, text, "sentence", pos=pos)

    steady, more = unit("粮食产量连年稳定在1.3万亿斤以上。", 1), unit("粮食产量1.37万亿斤，增产74亿斤。", 2)
    first = FacetAnswer("", [steady], 0.35, [Scored(steady, 0.80), Scored(more, 0.62)], "多打了多少粮")
    second = FacetAnswer("", [steady], 0.8, [Scored(steady, 0.97), Scored(more, 0.55)], "一直稳在多少以上")
    assert giving_way([first, second]) == [(0, steady.key)]
    assert giving_way([second, first]) == [(1, steady.key)]
    short = FacetAnswer("", [steady], 0.35, [Scored(steady, 0.80), Scored(more, COMPANION_FLOOR - 0.01)], "多打了多少粮")
    assert giving_way([short, second]) == []
    stronger = FacetAnswer("", [steady], 0.35, [Scored(steady, 0.99), Scored(more, 0.62)], "多打了多少粮")
    assert giving_way([stronger, second]) == []  # (the second, scored lower, has no unit of its own at the floor)
    # a unit saying a word only this part asks answers it too ("…推进多少个？总投资多少？": "推进好总投资…的289个项目")
    both = unit("推进好总投资1.78万亿元的289个省重点项目。", 3)
    count = FacetAnswer("", [both], 0.5, [Scored(both, 0.97), Scored(more, 0.7)], "省重点项目今年推进多少个")
    total = FacetAnswer("", [both], 0.5, [Scored(both, 0.90), Scored(more, 0.7)], "总投资多少")
    assert giving_way([count, total]) == []
    years = [FacetAnswer("2022年", [steady], 0.5, [Scored(steady, 0.8), Scored(more, 0.7)]),
             FacetAnswer("2023年", [steady], 0.5, [Scored(steady, 0.9), Scored(more, 0.7)])]
    assert giving_way(years) == []


def test_a_part_the_decider_declines_is_answered_when_its_best_unit_is_sure_and_another_part_is_answered() -> None:
    """"去年上海和福建分别办了啥促消费活动": the decider finds the second part unanswered, yet a unit is scored a
    sure answer (SURE_UNIT) and the first part is answered: the parts ask alike, so it is answered. Not when no part
    is answered, nor below SURE_UNIT, nor a part already answered."""
    from assistant.answering.candidates import Candidate
    from assistant.answering.parts import SURE_UNIT, FacetAnswer, sure_parts
    from assistant.answering.select import Scored
    from assistant.models import Chunk

    def unit(doc: str) -> Candidate:
        chunk = Chunk(f"c-{doc}", f"{doc}.txt", doc, "某省政府工作报告", [], "举办“某某乐购”活动超万场。", 1, 1)
        return Candidate(0, chunk, chunk.text, chunk.text, "sentence")

    first = FacetAnswer("甲省", [unit("a")], 0.6, [Scored(unit("a"), 0.8)])
    second = FacetAnswer("乙省", [], 0.2, [Scored(unit("b"), SURE_UNIT + 0.05)])
    assert sure_parts([first, second], threshold=0.3) == [1]
    assert sure_parts([FacetAnswer("甲省", [], 0.1, [Scored(unit("a"), 0.5)]), second], 0.3) == []
    assert sure_parts([first, FacetAnswer("乙省", [], 0.2, [Scored(unit("b"), SURE_UNIT - 0.05)])], 0.3) == []
    assert sure_parts([first, FacetAnswer("乙省", [unit("b")], 0.2, [Scored(unit("b"), 0.9)])], 0.3) == []
    # the explanation says why a part under the threshold was answered
    from types import SimpleNamespace

    from assistant.answering.explain import _why

    scorer = SimpleNamespace(threshold=0.3, unit_floor=0.6)
    assert "另一问已答" in _why(0.2, SURE_UNIT + 0.05, True, scorer)  # type: ignore[arg-type]
    assert _why(0.5, 0.9, True, scorer) == "资料回答了这一问"  # type: ignore[arg-type]


def test_a_part_already_answered_gives_way_to_a_statement_of_its_own_words() -> None:
    """"…今年要引进多少人？三年的总目标呢？": the second part's best unit is the one answering the first part; a unit
    close behind it that says the part's own words ("三年" written "3年") answers it. Not when the best unit says
    them as much, nor when no earlier part took it, nor below the floor."""
    from assistant.answering.candidates import Candidate
    from assistant.answering.parts import own_part
    from assistant.answering.select import Scored
    from assistant.answering.terms import QuestionTerms
    from assistant.models import Chunk

    def unit(text: str, n: int) -> Candidate:
        chunk = Chunk(f"c{n}", "r.txt", "r", "某省政府工作报告", [], text, 1, 1)
        return Candidate(0, chunk, text, text, "sentence")

    year = unit("年度目标：引进留用3600名高层次人才。", 1)
    three = unit("用3年时间，引进留用1万名左右高层次人才。", 2)
    terms = QuestionTerms({"三年": 3.0, "总目标": 2.0}, "三年", set(), None, {"三年": frozenset({"3年"})},
                          frozenset({"三年", "总目标"}))
    scored = [Scored(year, 0.99), Scored(three, 0.98)]
    assert [s.unit for s in own_part(scored, terms, {year.key}, 0.5)] == [three]
    assert own_part(scored, terms, set(), 0.5) == scored
    assert own_part([Scored(year, 0.99), Scored(three, 0.4)], terms, {year.key}, 0.5)[0].unit is year
    both = unit("用3年时间引进1万名，年度目标：引进留用3600名。", 3)
    assert own_part([Scored(both, 0.99), Scored(three, 0.98)], terms, {both.key}, 0.5)[0].unit is both


def test_a_later_part_asking_a_count_of_its_own_is_answered_from_the_outline(tmp_path_factory) -> None:
    """"…一共分几章？“重点任务”那一章下面有几节？": the chapters, then the sections of the chapter the second part
    names, each with its count (not the chapters twice, nor the count hidden as a passage shown before)."""
    def section(n: str, title: str) -> list[str]:
        return [f"第{n}节 {title}", f"围绕{title}，完善制度机制，加强统筹协调，推动各项工作落实落细。"]

    plan = "\n".join([
        "某市“十四五”营商环境发展规划",
        "第一章 现实基础", *section("一", "发展回顾"), *section("二", "面临形势"),
        "第二章 总体要求", *section("一", "指导思想"),
        "第三章 重点任务", *section("一", "营造政务服务环境"), *section("二", "营造市场环境"), *section("三", "营造法治环境"),
        "第四章 保障措施", *section("一", "加强组织领导"), "",
    ])
    built = _built(tmp_path_factory, {"plan.txt": plan})
    answer = built.ask("某市营商环境规划一共分几章？“重点任务”那一章下面有几节？").answer
    assert "共四章" in answer and "共三节" in answer
    assert answer.count("第四章 保障措施") == 1 and "营造法治环境" in answer


def test_whom_a_page_credits_answers_who_did_that_work(tmp_path_factory) -> None:
    """"那版解读的文字是谁整理的", "值班总编是谁": the page's credits, cited at their line, not who issued it."""
    page = "《政府工作报告》之未来展望篇\n2021年3月24日\n打造六个高地\n《某市国民经济和社会发展第十四个五年规划和2035年远景目标纲要（草案）》提出了我市2035年远景目标。\n新增就业超过25万人，城镇化率达到65%。\n值班总编 张三 编辑 李四\n（文字整理孙七）\n"
    built = _built(tmp_path_factory, {"page.txt": page})
    answer = built.ask("未来展望篇那版解读的文字是谁整理的？")
    assert "文字整理：孙七" in answer.answer and "张三" not in answer.answer
    assert any("孙七" in c.quote for c in answer.citations)
    assert "值班总编：张三" in built.ask("未来展望篇那一版的值班总编是谁？").answer


def test_a_section_quoted_by_its_heading_is_answered_by_the_points_it_holds() -> None:
    """"“持续推进美丽某省建设”这一块主要安排了哪几方面的工作" asks no description word ("主要内容"): the section whose
    heading it quotes answers, by the heads of its paragraphs; a quote that is no heading does not."""
    from assistant.answering.frame import parse_question
    from assistant.answering.sections import section_units
    from assistant.answering.structured import Sources
    from assistant.models import Chunk

    body = "持续推进治理，完善长效机制，强化督察问责，推动各项任务落实落地，确保取得实效。"
    path = ["二、2025年主要工作", "（二）持续推进美丽某省建设"]
    text = "\n".join(["深入践行绿水青山就是金山银山理念。", f"强化污染防治攻坚。{body}", f"抓好生态保护修复。{body}",
                      f"加快绿色低碳转型。{body}"])
    chunks = [
        Chunk("c1", "r.txt", "r", "2025年某省政府工作报告", ["二、2025年主要工作", "（一）扩大有效投资"],
              "实施重点项目500个，完成年度投资计划。", 5, 6),
        Chunk("c2", "r.txt", "r", "2025年某省政府工作报告", path, text, 7, 11),
    ]
    asked = parse_question("某省25年报告里“持续推进美丽某省建设”这一块主要安排了哪几方面的工作？")
    shown = "".join(u.display for u in section_units(asked, chunks, Sources([])))
    assert all(w in shown for w in ("强化污染防治攻坚", "抓好生态保护修复", "加快绿色低碳转型"))
    assert section_units(parse_question("某省报告里“美丽乡村”安排了哪几方面的工作？"), chunks, Sources([])) == []
    # a chapter quoted and counted ("“…”那一章下面分了几节") is counted by its sections, each shown
    plan = [Chunk(f"p{i}", "p.txt", "p", "某市城市更新规划", ["第八章 强化质量安全监管", title], "加强监管。", i, i)
            for i, title in enumerate(("第一节 突出重点领域", "第二节 完善责任体系", "第三节 实施源头治理"), 1)]
    counted = parse_question("城市更新规划里，“强化质量安全监管”那一章下面分了几节？")
    assert counted.answer_type == "quantity"
    shown = [u.display for u in section_units(counted, plan, Sources([]))]
    assert shown and shown[0].startswith("共三节") and "实施源头治理" in "".join(shown)


def test_a_part_asking_what_a_section_says_is_not_answered_by_the_section_another_part_names(tmp_path_factory) -> None:
    """"…要形成什么样的通勤圈？全域开放空间格局是怎么概括的？": the section the whole question's words find (the
    second part's) does not answer the first part, whose own words it never says; that part is answered by its
    statement."""
    plan = """某市新型城镇化和城乡融合发展规划
第一章 总体要求
坚持以人为核心推进新型城镇化，促进城乡融合发展。
第二章 构建城镇化发展新格局
第一节 优化国土空间开发保护格局
加快建立全覆盖的“多规合一”国土空间规划体系，塑造“一带四轴”“一区四片”全域开放空间格局。
建立国土空间规划战略“留白”机制，预留未来发展空间。
推进区域协调联动发展，构建梯次培育、合理布局的新型城镇体系。
第二节 加快融入都市圈一体化发展
以市域铁路为先导，推动与中心城市的高效通勤，形成“半小时、1小时”通勤圈。
加强与周边城市的深层次合作，共建产业协作走廊。
第三章 保障措施
加强组织领导，完善考核评估。
"""
    built = _built(tmp_path_factory, {"plan.txt": plan})
    answer = built.ask("某市新型城镇化和城乡融合发展规划里，跟中心城市之间要形成什么样的通勤圈？全域开放空间格局是怎么概括的？").answer
    assert "半小时、1小时" in answer and "一带四轴" in answer


def test_the_number_of_a_document_a_text_only_cites_is_the_one_written_beside_its_title(tmp_path_factory) -> None:
    """"…规划回顾时说贯彻了省政府办公厅关于积极推进某某的实施意见，这个文件的文号是多少": the number the text writes
    beside the title it cites, not the plan's own; the plan's own 文号 is still its own."""
    plan = """某市人民政府关于印发某市“十四五”现代供应链发展规划的通知
某政〔2022〕21号
各县（市、区）人民政府：
现将《某市“十四五”现代供应链发展规划》印发给你们，请认真贯彻执行。
某市人民政府
2022年6月1日
某市“十四五”现代供应链发展规划
一、发展基础
“十三五”时期，我市深入贯彻落实《某省人民政府办公厅关于积极推进供应链创新与应用的实施意见》（某政办〔2018〕75号），重点围绕供应链标准化、智能化推进改革。
二、主要任务
培育供应链龙头企业，建设供应链公共服务平台。
"""
    built = _built(tmp_path_factory, {"plan.txt": plan})
    cited = built.ask("供应链十四五规划回顾十三五时说贯彻了省政府办公厅关于积极推进供应链创新与应用的实施意见，这个文件的文号是多少？")
    assert "某政办〔2018〕75号" in cited.answer and "某政〔2022〕21号" not in cited.answer
    assert "某政〔2022〕21号" in built.ask("某市现代供应链发展规划的文号是多少？").answer


def test_the_document_a_quoted_item_follows_is_the_one_its_paragraph_cites(tmp_path_factory) -> None:
    """"“煤矿智能化水平提升”这项工程是按哪个文件的要求推进的？文号多少": the document the quoted item's paragraph
    cites, with its number, not the plan's own."""
    plan = """某市人民政府关于印发某市“十四五”应急管理规划的通知
某政〔2022〕16号
各县（市、区）人民政府：
现将《某市“十四五”应急管理规划》印发给你们，请认真贯彻执行。
某市“十四五”应急管理规划
四、重点工程
3.煤矿智能化水平提升。按照《关于加快煤矿智能化发展的指导意见》（发改能源〔2020〕283号）等要求，深挖煤矿智能化建设潜力。
4.危险化学品安全提升。推进化工园区安全整治。
"""
    built = _built(tmp_path_factory, {"plan.txt": plan})
    answer = built.ask("应急管理规划里“煤矿智能化水平提升”这项工程是按哪个文件的要求推进的？文号多少？").answer
    assert "关于加快煤矿智能化发展的指导意见" in answer and "发改能源〔2020〕283号" in answer
    assert "某政〔2022〕16号" not in answer


def test_what_a_document_was_made_on_is_the_sentence_saying_so(tmp_path_factory) -> None:
    """"…规划是依据哪些文件编出来的": the sentence naming what it was made on ("根据《…》…，编制本规划。"); what a thing
    in it was set by ("…范围是依据哪几个文件划定的") is no question of the document's basis."""
    plan = """某市“十四五”市场监管现代化规划
强化市场监管、推进市场监管现代化，是推动高质量发展的内在要求。
根据《某市国民经济和社会发展第十四个五年规划和二〇三五年远景目标纲要》和某省“十四五”市场监管现代化工作部署，编制本规划。
本规划主要阐明“十四五”时期全市市场监管战略意图，是全市市场监管的系统性、基础性和战略性规划。
一、主要任务
深化商事制度改革，优化准入准营环境。
"""
    built = _built(tmp_path_factory, {"plan.txt": plan})
    answer = built.ask("某市那个十四五市场监管现代化规划，是依据哪些文件或部署编出来的？").answer
    assert "远景目标纲要" in answer and "战略意图" not in answer
    from assistant.vocab import section

    assert not re.search(section("reading")["basis_asked"], "省定地下水禁采区范围是依据哪几个文件划定的？")


def test_a_section_pointed_at_by_its_topic_is_answered_by_what_it_sets_out() -> None:
    """"…推进现代化产业体系建设那一节，主要从哪几个方面部署": the heading holding most of the phrase ("（三）更大力度推动
    现代化产业体系建设") answers by its points; a thing asked within it ("…那一节，新材料主要盯哪几类") does not."""
    from assistant.answering.frame import parse_question
    from assistant.answering.sections import section_units
    from assistant.answering.structured import Sources
    from assistant.models import Chunk

    body = "开展提升行动，推动产业成体系成支柱成支撑，支持龙头企业扩量提质。"
    text = "\n".join([f"突出集群化发展。{body}", f"突出数字化转型。{body}", f"突出未来产业培育。{body}"])
    chunks = [
        Chunk("c1", "r.txt", "r", "2025年某省政府工作报告", ["二、2025年重点工作", "（二）更大力度推动科技创新"],
              "强化高能级创新平台建设，实施重大科技专项。", 5, 6),
        Chunk("c2", "r.txt", "r", "2025年某省政府工作报告", ["二、2025年重点工作", "（三）更大力度推动现代化产业体系建设"],
              text, 7, 9),
    ]
    asked = parse_question("某省今年报告里推进现代化产业体系建设那一节，主要从哪几个方面部署？")
    shown = "".join(u.display for u in section_units(asked, chunks, Sources([])))
    assert all(w in shown for w in ("突出集群化发展", "突出数字化转型", "突出未来产业培育"))
    below = parse_question("某省今年报告里讲现代化产业体系建设的那一部分，下面分了哪几条？")  # ("下面…": what it holds)
    shown = "".join(u.display for u in section_units(below, chunks, Sources([])))
    assert all(w in shown for w in ("突出集群化发展", "突出数字化转型", "突出未来产业培育"))
    inside = parse_question("某省今年报告里推进现代化产业体系建设那一节，新材料方向主要盯哪几类材料？")
    assert section_units(inside, chunks, Sources([])) == []


def test_the_part_a_question_points_at_holds_the_section_its_words_ask_for() -> None:
    """"讲住房保障的那章，主要任务分哪几条": of every chapter's "第一节 主要任务", the one under the chapter the question
    points at ("第九章 优化公共住房保障"), not the first that fits the words."""
    from assistant.answering.frame import parse_question
    from assistant.answering.sections import section_units
    from assistant.answering.structured import Sources
    from assistant.models import Chunk

    def tasks(chapter: str, points: list[str], n: int) -> Chunk:
        text = "\n".join(f"{p}：坚持量力而行，完善制度机制，推动各项工作落实落细。" for p in points)
        return Chunk(f"c{n}", "p.txt", "p", "某市“十四五”公共服务和社会保障规划", [chapter, "第一节 主要任务"], text, n, n)

    chunks = [
        tasks("第八章 促进人口均衡发展", ["一是提升优生优育服务水平", "二是发展优质普惠托育服务"], 1),
        tasks("第九章 优化公共住房保障", ["一是持续推进棚户区改造", "二是完善公租房保障体系", "三是适度发展保障性租赁住房"], 2),
    ]
    asked = parse_question("某市公共服务和社会保障规划里讲住房保障的那章，主要任务分哪几条？")
    shown = "".join(u.display for u in section_units(asked, chunks, Sources([])))
    assert "完善公租房保障体系" in shown and "托育" not in shown


def test_measures_on_a_topic_are_that_topics_not_the_documents_parts(tmp_path_factory) -> None:
    """"某规划里减轻噪声污染提了哪些措施" asks the measures on noise (not the 保障措施 part, nor the document's parts); "某规划提出了哪些主要任务" its parts."""
    plan = """某市生态环境保护“十四五”规划
第一章 发展基础
“十三五”期间，全市生态环境质量持续改善，主要污染物排放总量明显下降。
第二章 持续改善大气环境质量
强化工业源、移动源和扬尘源综合治理，推动细颗粒物和臭氧协同控制。
第三章 加强声环境管理
深入开展噪声污染防治，通过加强机动车管控、建设噪声屏障、安装降噪装置、种植绿化带等措施减轻噪声污染。
第四章 保障措施
加强组织领导，完善考核评估，落实资金保障。
"""
    built = _built(tmp_path_factory, {"plan.txt": plan})
    answer = built.ask("某市生态环境十四五规划里减轻噪声污染提了哪些措施？").answer
    assert "建设噪声屏障" in answer and "第二章" not in answer
    overview = built.ask("某市生态环境保护十四五规划提出了哪些主要任务？").answer
    assert "持续改善大气环境质量" in overview and "加强声环境管理" in overview


def test_money_written_without_yuan_after_what_spends_it_answers_how_much(tmp_path_factory) -> None:
    """"…投了多少钱" is answered by "投入2.2亿全面提升86个社区党建阵地" (an amount after what spends it, 元 left out);
    the plan period the question names (十三五) dates what is asked and names nothing it is of."""
    plan = """某区国民经济和社会发展第十四个五年规划纲要
第一章 发展基础
“十三五”时期，全区实施党建引领工程，投入2.2亿全面提升86个社区党建阵地，基层治理能力明显增强。
全区接待游客2.2亿人次，文旅消费持续升温。
第二章 主要目标
到2025年，全区地区生产总值年均增长6%左右。
"""
    built = _built(tmp_path_factory, {"plan.txt": plan})
    assert "2.2亿" in built.ask("某区十三五提升社区党建阵地投了多少钱？").answer
    assert not built.ask("某区十三五文旅消费花了多少钱？").answer.startswith("全区接待游客")


def test_a_part_asking_how_a_thing_changed_is_not_answered_by_the_review_section_its_report_words_name(
    tmp_path_factory,
) -> None:
    """"25年报告回顾24年：法律援助的覆盖范围是怎么调整的？": the words naming the report's review ("回顾", "2024")
    do not make the part ask what the whole review says; its heaviest word (法律援助) is in a statement, not a heading."""
    report = """2025年甘肃省政府工作报告
各位代表：
一、2024年工作回顾
（一）经济运行稳中向好
全省地区生产总值增长5.8%，规上工业增加值增长7.2%。
（二）民生保障持续加强
法律援助范围从低保群体扩大到低收入群体。完成第五次经济普查。
（三）生态环境持续改善
空气质量优良天数比例达到92%。
二、2025年主要工作
今年地区生产总值增长5.5%左右。
"""
    built = _built(tmp_path_factory, {"gansu.txt": report})
    answer = built.ask("甘肃25年报告回顾24年：法律援助的覆盖范围是怎么调整的？那年完成的是第几次经济普查？")
    assert "从低保群体扩大到低收入群体" in answer.answer and "第五次" in answer.answer, answer.answer
    assert "经济运行稳中向好" not in answer.answer, answer.answer


def test_items_numbered_in_words_inside_the_lead_ins_paragraph_are_listed(tmp_path_factory) -> None:
    """"必须着力把握好三点。一是…。…二是…。…三是…。" in one paragraph: a list question gets the three, each by its
    numbered statement, not the lead-in alone; "两点" counts as the lead-in's number too."""
    plan = """某市“十四五”发展规划
一、发展基础
全市经济总量稳步增长，产业结构持续优化。
二、主要任务
做好今后五年工作，实现规划目标，必须着力把握好三点。一是牢牢抓住创新驱动不放松。创新是引领发展的第一动力，必须摆在全局核心位置。二是大力推进结构性改革。改革是破解发展难题的关键一招，要以更大力度推进。三是加快新旧发展动能接续转换。培育新动能和改造提升传统动能并举。
三、保障措施
加强组织领导，完善考核评估。
"""
    report = """某市2030年政府工作报告
一、2030年重点工作
坚决打好蓝天保卫战。今年细颗粒物浓度要明显下降。一要加快解决燃煤污染问题。全面实施散煤综合治理。二要全面推进污染源治理。开展重点行业提标改造。三要强化机动车尾气治理。加快淘汰老旧车辆。
二、保障措施
加强组织领导。
"""
    built = _built(tmp_path_factory, {"plan.txt": plan, "report.txt": report})
    answer = built.ask("某市十四五规划说必须着力把握好哪几点？")
    for item in ("一是牢牢抓住创新驱动不放松", "二是大力推进结构性改革", "三是加快新旧发展动能接续转换"):
        assert item in answer.answer, answer.answer
    # a statement the items follow without announcing them ("坚决打好蓝天保卫战。…一要…二要…")
    answer = built.ask("某市2030年政府工作报告讲坚决打好蓝天保卫战，具体分了哪几条来抓？")
    for item in ("一要加快解决燃煤污染问题", "二要全面推进污染源治理", "三要强化机动车尾气治理"):
        assert item in answer.answer, answer.answer


def test_of_statements_scored_alike_the_one_giving_the_amount_asked_answers(tmp_path_factory) -> None:
    """"技术合同成交额是多少": the statement of its change and the one of its amount score alike; the amount answers
    (the change alone would be declined as not the figure asked)."""
    report = (
        "2030年甘肃省政府工作报告\n一、2029年工作回顾\n科技创新成效明显。吸纳外省技术合同成交额增长34.8%。"
        "全省技术合同成交额1900亿元，高新技术产业增加值增长11.2%。\n二、2030年工作安排\n今年经济增长目标为5%左右。\n"
    )
    built = _built(tmp_path_factory, {"gansu.txt": report})
    answer = built.ask("甘肃去年的技术合同成交额是多少？").answer
    assert "1900亿元" in answer, answer


def test_paragraphs_numbered_first_second_third_are_the_items_of_their_lead_in(tmp_path_factory) -> None:
    """"要把握好以下三点。" followed by paragraphs "第一，…。", "第二，…。", "第三，…。": a list question gets the three."""
    report = """某市2030年政府工作报告
一、2030年工作总体要求
做好今年政府工作，要把握好以下三点。

第一，稳定和完善宏观经济政策。保持政策连续性稳定性，增强针对性。

第二，保持稳增长与调结构的平衡。既要稳住速度，也要调整结构。

第三，培育和催生经济社会发展新动力。推动大众创业、万众创新。
二、保障措施
加强组织领导。
"""
    built = _built(tmp_path_factory, {"report.txt": report})
    answer = built.ask("某市2030年的报告说做好当年的政府工作要把握哪几点？")
    for item in ("稳定和完善宏观经济政策", "保持稳增长与调结构的平衡", "培育和催生经济社会发展新动力"):
        assert item in answer.answer, answer.answer


def test_a_year_a_description_question_names_does_not_pick_the_section_headed_by_it() -> None:
    """"2021年某报告…关于教育评价改革和校外培训是怎么说的": the year says which report, not which part; the section
    headed "三、2021年重点工作" is no answer by the year alone (its run-in heads were listed); a section named by a
    topic word still answers."""
    from assistant.answering.frame import parse_question
    from assistant.answering.sections import section_units
    from assistant.answering.structured import Sources
    from assistant.models import Chunk

    body = "坚持问题导向，完善制度机制，推动各项工作落实落细。"
    text = "\n".join([f"积极的财政政策要提质增效：{body}", f"稳健的货币政策要灵活精准：{body}", f"就业优先政策要聚力增效：{body}"])
    chunks = [
        Chunk("c1", "r.txt", "r", "某国政府工作报告", ["三、2021年重点工作"], text, 5, 7),
        Chunk("c2", "r.txt", "r", "某国政府工作报告", ["四、社会建设", "（一）发展更加公平更高质量的教育"],
              "深化教育评价改革，健全学校家庭社会协同育人机制，规范校外培训。", 8, 8),
    ]
    asked = parse_question("2021年政府工作报告教育部分，关于教育评价改革和校外培训是怎么说的？")
    shown = "".join(u.display for u in section_units(asked, chunks, Sources([])))
    assert "财政政策" not in shown
    topic = parse_question("2021年报告里社会建设那部分是怎么说的？")
    assert "深化教育评价改革" in "".join(u.display for u in section_units(topic, chunks, Sources([])))
