"""The years a unit speaks of: read from the unit, its list's lead-in and its section, relative words resolved
against its document's year; a comparison's base year ("比上年增加") is not one of them, and a plan period the unit
only mentions does not date it when something closer does."""

from __future__ import annotations

from assistant.answering.candidates import Candidate
from assistant.answering.features import _years_of
from assistant.answering.frame import parse_question
from assistant.answering.gather import gather_contexts
from assistant.answering.wording import content_terms
from assistant.models import Chunk, DocumentInfo
from assistant.retrieval.routing import NATIONAL, Catalog
from assistant.vocab import vocabulary


def _unit(text: str, section: list[str], lead: str = "") -> Candidate:
    chunk = Chunk(id="c", source="r.txt", doc_id="r", title="政府工作报告", section=section, text=text,
                  line_start=1, line_end=1)
    return Candidate(0, chunk, text, text, "item" if lead else "sentence", lead=lead)


def test_a_target_list_item_is_of_the_year_its_lead_in_names() -> None:
    item = _unit("城镇新增就业1200万人左右；", ["二、经济社会发展总体要求和政策取向"], lead="今年发展主要预期目标是：")
    assert _years_of(item, 2023) == {2023}


def test_a_part_whose_heading_names_no_year_is_dated_by_the_year_it_opens_with() -> None:
    """A 2025 report's "一、牢记嘱托，…取得新成效" opens "2024年是…": its statements speak of 2024; "二、…奋勇争先"
    opens "2025年是…收官之年" a few paragraphs in: of 2025. A heading naming a year keeps its own."""
    from assistant.answering.outline import date_parts, part_years

    def chunk(i: int, section: list[str], text: str) -> Chunk:
        return Chunk(id=f"c{i}", source="r.docx", doc_id="r", title="2025年某省政府工作报告", section=section, text=text,
                     line_start=i, line_end=i)

    review, plan = "一、牢记嘱托，发展取得新成效", "二、牢记使命，奋勇争先"
    chunks = [chunk(1, [review], "2024年是具有里程碑意义的一年。\n一年来的主要工作是："),
              chunk(2, [review, "（一）创新能力增强"], "国家高新技术企业超1.4万家。"),
              chunk(3, [plan], "我们有基础、有条件。\n2025年是“十四五”规划收官之年。"),
              chunk(4, [plan, "（一）坚持自立自强"], "国家高新技术企业突破1.5万家。"),
              chunk(5, ["三、2025年工作安排"], "2024年是关键一年。")]

    units = date_parts([Candidate(0, c, c.text, c.text, "sentence") for c in chunks], lambda doc_id: part_years(chunks))
    assert [u.dated for u in units] == [2024, 2024, 2025, 2025, None]
    assert _years_of(units[1], 2025) == {2024} and _years_of(units[3], 2025) == {2025}


def test_the_review_headed_past_year_speaks_of_the_year_before_the_report() -> None:
    review = _unit("城镇新增就业1206万人。", ["一、过去一年和五年工作回顾"])
    assert _years_of(review, 2023) == {2022}


def test_a_plan_s_review_of_what_was_achieved_speaks_of_the_years_before_it() -> None:
    """"第一章 发展基础 > 第一节 主要成就": "常住人口城镇化率达到53.55%" is no answer for 2030 or 2025; a review that
    names its own years keeps them."""
    done = _unit("常住人口城镇化率达到53.55%，城乡结构发生历史性变化。", ["第一章 发展基础", "第一节 主要成就"])
    assert _years_of(done, 2022) == set(range(2017, 2022))
    dated = _unit("2020年常住人口城镇化率达到53.55%。", ["第一章 发展基础", "第一节 主要成就"])
    assert _years_of(dated, 2022) == {2020}
    assert _years_of(_unit("到2030年城镇化率达到70%。", ["第二章 发展目标"]), 2022) == {2030}
    # a plan titled by its period reviews the years before it (a 十四五 plan issued in 2022 reviews 十三五)
    chunk = Chunk(id="p", source="p.txt", doc_id="p", title="某市“十四五”城市更新规划", section=["第一节 发展基础"],
                  text="新增公共停车位1.8万余个。", line_start=1, line_end=1)
    parking = Candidate(0, chunk, chunk.text, chunk.text, "sentence")
    assert _years_of(parking, 2022) == set(range(2016, 2021))
    # ... also when it gives no year of its own, and under any heading saying what was achieved ("…取得决定性成就")
    chunk = Chunk(id="q", source="q.txt", doc_id="q", title="某区国民经济和社会发展第十四个五年规划纲要",
                  section=["第一章 开启新征程", "第一节 决胜全面建成小康社会取得决定性成就"],
                  text="一般公共预算收入达到10.18亿元，年均增长15.3%。", line_start=1, line_end=1)
    revenue = Candidate(0, chunk, chunk.text, chunk.text, "sentence")
    assert _years_of(revenue, None) == set(range(2016, 2021))


def test_the_base_of_a_comparison_is_not_a_year_spoken_of() -> None:
    unit = _unit("预计今年一般公共预算支出规模28.5万亿元、比上年增加1.1万亿元。", [])
    assert _years_of(unit, 2024) == {2024}
    assert vocabulary().relative_in("比去年增加400亿元，去年增长5%") == {"去年": -1}
    assert vocabulary().relative_in("较上年同期增长") == {}


def test_a_plan_mentioned_under_the_reports_own_year_does_not_make_it_speak_of_the_period() -> None:
    unit = _unit("经济增长预期目标为5%左右，与“十四五”规划相衔接。", ["二、2024年经济社会发展总体要求和政策取向"])
    assert _years_of(unit, 2024) == {2024}
    alone = _unit("主要预期目标是：粮食产量1300亿斤以上，完成“十四五”考核目标。", [])
    assert 2023 in _years_of(alone, 2025)  # nothing dates it more closely: the period does


def test_a_plan_period_the_unit_names_counts_under_a_heading_of_another_year() -> None:
    unit = _unit("实现“十四五”发展目标，必须突出战略重点。", ["第二章 未来五年发展蓝图和2035年远景目标"])
    assert {2023, 2035} <= _years_of(unit, 2021)


def test_a_comparison_base_is_neither_a_relative_year_of_the_question_nor_a_term() -> None:
    frame = parse_question("2019年中央预算内投资安排了多少？比上年多了多少？")
    assert frame.relative == {}
    assert "上年" not in content_terms("比上年多了多少")


def test_a_facets_resolved_year_is_searched_for_in_so_many_words() -> None:
    """"去年GDP增长多少" in the 2024 report is looked for with "2023年": the review is headed by its year."""
    catalog = Catalog([DocumentInfo("n24", "n24.txt", "2024年政府工作报告", 1, 10, year=2024, place=NATIONAL,
                                    level="national", kind="work_report")])
    question = "2024年的政府工作报告里说去年GDP增长多少？今年目标又是多少？"
    frame = parse_question(question, catalog)
    calls: list[str] = []

    class Recording:
        def search(self, query: str, **kwargs: object) -> list:
            calls.append(query)
            return []

    gather_contexts(Recording(), frame, question, catalog, k=5)  # type: ignore[arg-type]
    assert calls[1].startswith("2023年 ") and calls[2].startswith("2024年 今年")


def test_a_target_asked_with_no_year_is_not_answered_by_a_review() -> None:
    """"婴儿死亡率…目标多少": in a 十四五 plan, "2020年…为2.74‰" under 发展基础 speaks only of years before the plan
    and is dropped while the indicator row (2020 base, 2025 target) remains; with nothing else it stays."""
    from assistant.answering.asked_years import drop_reviews

    def unit(text: str, section: list[str]) -> Candidate:
        chunk = Chunk(id=text, source="p.txt", doc_id="p", title="某市“十四五”公共卫生体系和全民健康规划",
                      section=section, text=text, line_start=1, line_end=1)
        return Candidate(0, chunk, text, text, "sentence")

    review = unit("2020年，婴儿死亡率为2.74‰。", ["一、规划背景", "（一）发展基础"])
    row = unit("指标名称：婴儿死亡率（‰）；指标值·2020年：2.74‰；指标值·2025年：≤4.2‰", ["二、总体要求", "主要发展目标"])
    kept, _ = drop_reviews([review, row], [[0.0], [0.0]], {"p": 2022})
    assert kept == [row]
    assert drop_reviews([review], [[0.0]], {"p": 2022})[0] == [review]


def test_an_indicator_asked_is_a_target_asked() -> None:
    """"…对铁路提了啥硬指标？" asks what the report sets (its targets), as "目标多少" does; "去年…增长了多少" does not."""
    from assistant.answering.asked_years import asks_target

    assert asks_target("2015年政府工作报告对铁路提了啥硬指标？")
    assert asks_target("婴儿死亡率现在多少、目标多少？")
    assert not asks_target("去年铁路投资增长了多少？")
    # an indicator whose name holds a target word ("人均预期寿命") asks no target by that word
    assert not asks_target("国务院18年报告里说全国人均预期寿命到多少岁了？")
    assert asks_target("人均预期寿命的目标是多少？")


def test_a_plan_period_mentioned_under_a_dated_review_heading_does_not_date_the_unit() -> None:
    """"一、2024年工作回顾 > …新增公园141座，为“十四五”末建成千座公园城市打下基础" speaks of 2024, not of 2025 (the
    report's own year, which a later part of the question asks of); a heading naming a target year ("2035年远景目标")
    does not date the unit so."""
    parks = _unit("新增公园141座、累计达到973座，为“十四五”末建成千座公园城市打下扎实基础。", ["一、2024年工作回顾"])
    assert _years_of(parks, 2025) == {2024}
    target = _unit("为“十四五”发展奠定基础。", ["第二章 2035年远景目标"])
    assert 2023 in _years_of(target, 2022)


def test_a_thing_done_is_not_answered_by_the_target_set_for_it() -> None:
    """"某年居民消费价格涨了多少" asks what happened: the report's own target for that year ("控制在3.5%左右") is no
    answer while the next report's review ("居民消费价格上涨2%") remains; a target alone stays (it may be all there is)."""
    from assistant.answering.asked_years import drop_targets
    from assistant.answering.frame import asks_done

    def unit(text: str) -> Candidate:
        chunk = Chunk(id=text, source="r.txt", doc_id="r", title="政府工作报告", section=[], text=text,
                      line_start=1, line_end=1)
        return Candidate(0, chunk, text, text, "sentence")

    target, done = unit("把居民消费价格涨幅控制在3.5%左右。"), unit("价格稳，居民消费价格上涨2%。")
    review = unit("广义货币M2增长11.3%，低于13%左右的预期目标。")  # (a review naming the target it missed)
    assert asks_done("2030年居民消费价格涨了多少？") and not asks_done("2030年报告提出了什么目标？")
    assert drop_targets([target, done, review], [[0.0]] * 3)[0] == [done, review]
    assert drop_targets([target], [[0.0]])[0] == [target]
