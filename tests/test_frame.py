"""The question frame: answer type, scope (places, years, documents) and facets, on any place's documents."""

from __future__ import annotations

import pytest

from assistant.answering.frame import answer_type, parse_question
from assistant.models import DocumentInfo
from assistant.retrieval.routing import NATIONAL, Catalog


def _doc(doc_id: str, title: str, *, place: str | None = None, level: str | None = None, year: int | None = None,
         kind: str | None = None) -> DocumentInfo:
    return DocumentInfo(doc_id, f"{doc_id}.txt", title, 1, 10, year=year, place=place, level=level, kind=kind)


def _plans(*docs: tuple[str, str]) -> Catalog:
    """A catalog of one city's 2022 plans, (id, title) each."""
    return Catalog([_doc(d, t, place="某市", level="city", year=2022, kind="plan") for d, t in docs])


@pytest.fixture
def catalog() -> Catalog:
    return Catalog([
        _doc("n23", "2023年政府工作报告", place=NATIONAL, level="national", year=2023, kind="work_report"),
        _doc("n24", "2024年政府工作报告", place=NATIONAL, level="national", year=2024, kind="work_report"),
        _doc("sc", "2025年四川省政府工作报告", place="四川省", level="province", year=2025, kind="work_report"),
        _doc("zj", "2025年浙江省政府工作报告", place="浙江省", level="province", year=2025, kind="work_report"),
        _doc("cq", "2025年重庆市政府工作报告", year=2025, kind="work_report"),  # place left to the title
        _doc("edu", "某市“十四五”教育事业发展规划", place="某市", level="city", year=2022, kind="plan"),
        _doc("water", "某市“十四五”水资源节约利用规划", place="某市", level="city", year=2022, kind="plan"),
    ])


@pytest.mark.parametrize(("question", "kind"), [
    ("今年城镇新增就业目标是多少？", "quantity"),
    ("重点做好哪八方面工作？", "list"),
    ("数据专区一般分为哪几种类型？", "list"),
    ("这份意见的文号和印发日期是什么？", "metadata"),
    ("某省今年的政府工作报告是在哪个会上作的？", "metadata"),  # the meeting a report was delivered at
    ("2023年政府工作报告是谁在哪次会上作的", "metadata"),
    ("2030年的政府工作报告是啥时候、在哪次全国人大会议上作的？", "metadata"),  # the meeting named in between
    ("这份报告是在什么大会上作的", "metadata"),
    ("这个办法啥时候施行", "date"),  # the colloquial 啥时候 asks as 什么时候 does
    ("该办法一共有多少条？", "structure"),
    ("第十二条规定了什么？", "structure"),
    ("教育规划的主要目标是什么？", "description"),
    ("哪一年首次提出这项任务？", "date"),
    ("2023年的经济增长目标比2022年高还是低？", "quantity"),  # two figures compared
    ("甲省和乙省今年增长目标哪个更高？", "quantity"),
    ("某省今年的政府工作报告正文分成几大部分？", "structure"),  # "几大部分" counts parts as "几部分" does
    ("某省今年的政府工作报告分为哪几部分？", "structure"),  # the parts of a whole document
    ("这个办法由哪几章组成？", "structure"),
    ("重点任务包括哪几个方面？", "list"),  # the parts of a section it names are listed
    ("十件民生实事具体包括哪些？", "list"),
    ("某区纲要“创新投融资机制”那一节主要讲了些什么？", "description"),  # what a named section says
    ("落实的金融支持房地产政策是多少条？", "quantity"),  # the measures a policy counts ("16条"), no articles
    ("今年要新增多少条“漫步”旅游线路？", "quantity"),  # things counted by 条, named in quotes
    ("该办法共几条“禁止性”规定？", "structure"),
    ("给守信主体的租金折扣具体是几折？", "quantity"),  # 几 with a counter (折, 档) counts, though 具体是 lists
    ("增值税税率要并成几档？", "quantity"),
    ("要复制推广某示范区的多少条支持政策？", "quantity"),
    ("2030年那份国务院政府工作报告在第几届人大的第几次会议上作的？", "metadata"),  # the congress it was delivered to
    ("2030年要办好第几届跨境电商大会？", "quantity"),  # another event's edition
    ("金融数据专区具体是哪家公司在运营？", "entity"),  # 具体是 + one asked: no list
    ("去年是哪家单位拿了一等奖？", "entity"),
    ("具体是哪几项改革？", "list"),
    ("两地一起推进的那几条“走廊”都是啥？", "list"),  # which of those the question points at, not how many
    ("这几项措施分别是什么？", "list"),
    ("那几年平均增长多少？", "quantity"),  # those years asked of a figure
    ("某路那段整治长度有几公里？", "quantity"),  # 几 with a measure after it asks a figure
    ("储备库能存几吨物资？", "quantity"),
    ("近几年有啥变化？", "fact"),  # (近几年, 哪几年 count no measure)
    ("去年安全稳定这块打了几场“保卫战”，都是啥？", "list"),  # which ones asked apart: listing them answers how many
    ("去年打了几场“保卫战”，分别打了多少天？", "quantity"),  # (the later clause counts too)
])
def test_answer_type(question: str, kind: str) -> None:
    assert answer_type(question) == kind


def test_two_places_are_two_labelled_facets(catalog: Catalog) -> None:
    frame = parse_question("四川和浙江2025年GDP增长目标分别是多少？", catalog)
    assert [f.label for f in frame.facets] == ["四川", "浙江"]
    assert [f.scope.places for f in frame.facets] == [("四川省",), ("浙江省",)]
    assert frame.scope.years == (2025,) and frame.wants_number


def test_a_municipality_is_one_place_and_its_document_is_found_by_title(catalog: Catalog) -> None:
    frame = parse_question("重庆今年城镇新增就业目标定了多少？", catalog)
    assert frame.scope.places == ("重庆市",)
    assert catalog.matching(frame.scope) == ["cq"]


def test_sub_questions_resolve_relative_years_against_the_named_report(catalog: Catalog) -> None:
    frame = parse_question("2024年的政府工作报告里说去年GDP增长多少？今年目标又是多少？", catalog)
    assert [f.scope.years for f in frame.facets] == [(2023,), (2024,)]
    assert [f.label for f in frame.facets] == ["2023年", "2024年"]
    assert all(f.scope.doc_years == (2024,) for f in frame.facets)


def test_relative_years_without_a_named_report_stay_relative(catalog: Catalog) -> None:
    frame = parse_question("北京去年城镇新增就业多少人？今年的目标是多少？", catalog)
    assert [f.label for f in frame.facets] == ["去年", "今年"]
    assert [f.relative for f in frame.facets] == [(-1,), (0,)]


def test_ranking_words_are_not_a_national_scope(catalog: Catalog) -> None:
    assert parse_question("国家定的GDP增长目标是多少？", catalog).national
    frame = parse_question("四川国家级专精特新企业有多少家？在全国排第几？", catalog)
    assert not frame.national and frame.scope.places == ("四川省",)


def test_two_named_plans_are_two_facets_and_one_plan_is_a_scope(catalog: Catalog) -> None:
    both = parse_question("教育规划和水资源规划分别提出了什么目标？", catalog)
    assert [f.scope.doc_ids for f in both.facets] == [("edu",), ("water",)]
    one = parse_question("教育事业发展规划对高中阶段毛入学率提出了什么目标？", catalog)
    assert one.scope.doc_ids == ("edu",) and not one.facets


def test_a_place_the_collection_has_no_document_for_matches_none(catalog: Catalog) -> None:
    frame = parse_question("甘肃省2025年GDP增长目标是多少？", catalog)
    assert frame.scope.places == ("甘肃省",)
    assert catalog.matching(frame.scope) == []


def test_content_terms_keep_latin_and_drop_question_words() -> None:
    frame = parse_question("安徽2025年R&D投入强度目标是多少？")
    assert "r&d" in frame.terms and "多少" not in frame.terms and "年全" not in "".join(frame.terms)


def test_an_adverb_the_segmenter_glued_to_a_verb_is_no_content_word() -> None:
    """"…目标又定的多少" is cut 又定 (no word of general Chinese): no passage says it, so it is no term a passage
    must hold; a dictionary word opening with an adverb stays (还原)."""
    from assistant.answering.wording import content_terms

    terms = content_terms("25年增速目标又定的多少？")
    assert "又定" not in terms and {"增速", "目标"} <= set(terms)
    assert "还原" in content_terms("历史场景还原了多少处？")


def test_a_period_set_against_another_is_the_base_of_the_change_asked() -> None:
    """"十三五跟十二五比，…各降了多少": the change over 十三五, measured from 十二五 (as "比“十二五”下降" is)."""
    frame = parse_question("十三五跟十二五比，全市生产安全事故起数降了多少？")
    assert frame.scope.years == (2016, 2017, 2018, 2019, 2020)
    assert parse_question("与2020年相比，2025年单位GDP能耗要降多少？").scope.years == (2025,)


def test_that_year_after_a_year_named_is_that_year_not_the_reports() -> None:
    """"23年报告说22年…，那当年…": 当年 points back to 2022, so the question asks one year of the 2023 report, not
    2022 and 2023 as two parts; after a report's year alone it is the report's year ("16年报告给当年定的…")."""
    frame = parse_question("23年报告说22年粮食增产了74亿斤，那当年全国大豆产量是多少？")
    assert frame.scope.years == (2022,) and frame.scope.doc_years == (2023,) and not frame.facets
    frame = parse_question("16年报告给当年定的棚户区改造任务是多少套？")
    assert frame.scope.years == (2016,)


def test_words_of_a_documents_form_are_scope_not_content() -> None:
    # (no passage says 草案 or 报纸: the question names its document by them)
    frame = parse_question("某市十四五规划纲要草案的报纸解读里，构建现代产业体系以什么为主攻方向？")
    assert "草案" not in frame.terms and "报纸" not in frame.terms
    assert {"现代", "产业", "方向"} <= set(frame.terms)


def test_two_questions_asking_how_long_are_two_facets() -> None:
    frame = parse_question("有条件共享的数据申请多久内要答复？有条件开放的数据申请多久内要处理？")
    assert [f.text for f in frame.facets] == ["有条件共享的数据申请多久内要答复", "有条件开放的数据申请多久内要处理"]
    assert frame.answer_type == "quantity"


def test_national_followed_by_a_time_word_is_the_national_scope() -> None:
    assert parse_question("国家今年粮食产量要稳定在多少？").national
    assert parse_question("国家2024年粮食产量目标是多少？").national
    assert not parse_question("国家级高新区有多少个？").national  # 国家级 only ranks something
    assert not parse_question("到2024年与RCEP国家的服务贸易占比要达到多少？").national  # 国家: countries
    assert not parse_question("与其他国家的货物贸易占比是多少？").national
    assert not parse_question("某省去年承办了个啥全国性的青少年比赛？").national  # 全国性: nationwide, a kind


def test_a_year_given_for_a_relative_word_fixes_the_document_year() -> None:
    frame = parse_question("国家今年（2025年）粮食产量要稳定在多少？")
    assert frame.scope.doc_years == (2025,)
    frame = parse_question("去年(2023年)国内生产总值增长多少？")
    assert frame.scope.doc_years == (2024,) and frame.scope.years == (2023,)
    assert parse_question("今年粮食产量要稳定在多少？").scope.doc_years == ()


def test_a_contents_or_structure_a_passage_speaks_of_is_no_question_of_the_outline() -> None:
    """"归集目录…覆盖率要到多少", "产业结构调整目标是多少" ask figures; "报告目录有几部分" asks the outline."""
    from assistant.answering.wording import answer_type

    assert answer_type("信用信息归集总量目标是多少亿条？公共信用信息归集目录行业部门覆盖率要到多少？") == "quantity"
    assert answer_type("产业结构调整目标是多少？") == "quantity"
    assert answer_type("报告目录有几部分？") == "structure"


def test_how_many_asked_specifically_is_a_quantity() -> None:
    """"…中小学具体是多少所" asks a number; "具体包括哪些" a list."""
    from assistant.answering.wording import answer_type

    assert answer_type("全区计划新建和改扩建的中小学具体是多少所？") == "quantity"
    assert answer_type("某省的森林覆盖率现在具体是百分之多少？") == "quantity"
    assert answer_type("具体包括哪些项目？") == "list"


def test_the_year_a_change_is_measured_from_is_not_a_year_asked() -> None:
    """"到2035年…比2020年下降多少" asks the 2035 figure: 2020 is its base, neither a facet nor a year of its scope;
    two years asked together still are."""
    frame = parse_question("到2035年生产安全事故死亡人数比2020年下降多少？")
    assert frame.scope.years == (2035,) and not frame.facets
    assert [f.label for f in parse_question("2020年和2035年死亡人数分别是多少？").facets] == ["2020年", "2035年"]
    # a plan period a change is measured from ("比“十二五”多了多少") is no period asked either; a year "多多少" is
    # compared with is (both figures are asked)
    frame = parse_question("回顾“十三五”时说全市教育总投入是多少？比“十二五”多了多少？")
    assert all(f.scope.years == tuple(range(2016, 2021)) for f in frame.facets)
    assert 2023 in parse_question("今年城镇新增就业目标比2023年多多少？").scope.years
    from assistant.answering.wording import content_terms

    assert "十三五" in content_terms("回顾“十三五”时说全市教育总投入是多少")  # a plan period is one word
    # "一共/总共" ask for a total; they name nothing the answer says ("累计完成工业投资6500亿元")
    said = content_terms("制造业规划说十三五全市工业投资一共完成了多少？总共多少家？")
    assert "一共" not in said and "总共" not in said and "投资" in said


def test_years_listed_with_one_year_word_are_each_named() -> None:
    from assistant.text import years_in

    assert years_in("2014、2015两年中央预算内投资") == {2014, 2015}
    assert years_in("2021和2022年") == {2021, 2022} and years_in("2019—2021年") == {2019, 2020, 2021}
    assert years_in("增长2014、2015个百分点") == set()  # figures, not years
    frame = parse_question("2014、2015两年中央预算内投资规模各多少？")
    assert [f.label for f in frame.facets] == ["2014年", "2015年"]


def test_reports_of_several_years_named_together_are_each_a_facet() -> None:
    frame = parse_question("2021年和2023年的政府工作报告分别安排了多少万亩林业生态建设任务？")
    assert frame.scope.doc_years == (2021, 2023)
    assert [f.label for f in frame.facets] == ["2021年", "2023年"]
    assert [f.scope.doc_years for f in frame.facets] == [(2021,), (2023,)]
    assert parse_question("2024年的政府工作报告里说去年GDP增长多少？").scope.doc_years == (2024,)


def test_a_scope_asked_again_weighs_the_documents_the_same(catalog: Catalog) -> None:
    scope = parse_question("2025年四川GDP增长目标是多少？", catalog).scope
    first = catalog.weights(scope)
    first["zj"] = 1.0  # a caller changing its copy changes nothing for the next one
    again = catalog.weights(scope)
    assert again["sc"] == 1.0 and again["zj"] < 1.0 and catalog.matching(scope) == ["sc"]


def test_each_named_document_of_a_comparison_is_labelled_by_its_title(catalog: Catalog) -> None:
    frame = parse_question("教育规划和水资源节约利用规划分别提出了多少个项目？", catalog)
    assert [f.scope.doc_ids for f in frame.facets] == [("edu",), ("water",)]
    assert [f.label for f in frame.facets] == ["某市“十四五”教育事业发展规划", "某市“十四五”水资源节约利用规划"]


def test_the_period_a_plan_s_name_gives_is_not_the_years_asked() -> None:
    """"…规划（2021—2035年）里，2030年…要达到多少": 2030 is asked, not every year of the plan's period (its 2035
    target does not answer); a span asked in its own right still is."""
    assert parse_question("那个新型城镇化规划（2021—2035年）里，2030年城镇化率要达到多少？").scope.years == (2030,)
    assert parse_question("新型城镇化规划（2021-2035）里，中心城区要建成啥格局？").scope.years == ()
    assert parse_question("2021—2025年新建多少所学校？").scope.years == (2021, 2022, 2023, 2024, 2025)


def test_a_document_named_by_its_kind_is_not_one_of_another_year_than_the_report_named() -> None:
    """"21年某市政府工作报告解读里…" names the 2021 report's pages, not "《政府工作报告》解读之2023年重点工作篇", which
    its words 报告 and 解读 fit: a document of another year than the one named is no document the question names."""
    pages = Catalog([
        _doc("p21", "《政府工作报告》之开局起步篇", place="某市", level="city", year=2021, kind="work_report"),
        _doc("p23", "《政府工作报告》解读之2023年重点工作篇（下）", place="某市", level="city", year=2023,
             kind="interpretation"),
    ])
    assert parse_question("21年政府工作报告解读里，现代服务业要提升哪些生产性服务业？", pages).scope.doc_ids == ()
    assert parse_question("23年政府工作报告解读里，现代服务业要提升哪些？", pages).scope.doc_ids == ("p23",)


def test_a_city_and_its_province_compared_are_two_facets() -> None:
    """"成都和四川…分别" compares the two; "四川省成都市" only narrows the city down."""
    city = Catalog([_doc("cd", "成都市“十四五”教育事业发展规划", place="成都市", level="city", year=2022, kind="plan")])
    frame = parse_question("2025年学前教育毛入园率成都和四川的目标分别是多少？", city)
    assert frame.scope.places == ("成都市", "四川省")
    assert [f.label for f in frame.facets] == ["成都", "四川"]
    assert parse_question("四川省成都市2025年学前教育毛入园率目标是多少？", city).scope.places == ("成都市",)


def test_each_place_compared_keeps_the_year_named_with_it() -> None:
    frame = parse_question("全国2024年和浙江2025年的GDP增长目标各是多少？")
    assert [(f.label, f.scope.years) for f in frame.facets] == [("全国", (2024,)), ("浙江", (2025,))]
    frame = parse_question("2024年全国和浙江的GDP增长目标各是多少？")  # one year for both
    assert [(f.label, f.scope.years) for f in frame.facets] == [("全国", (2024,)), ("浙江", (2024,))]


def test_a_part_without_years_of_its_own_does_not_take_another_parts_relative_year() -> None:
    """"…报告提出的目标是多少？去年完成了多少？": 去年 is the second part's; the first asks of the report's own year."""
    frame = parse_question("2030年政府工作报告提出的粮食产量目标是多少？去年完成了多少？")
    assert [f.scope.years for f in frame.facets] == [(), (2029,)]
    frame = parse_question("十四五期间高新技术企业要达到多少家？2020年有多少家？")
    assert [(f.label, f.scope.years) for f in frame.facets] == [("十四五", (2021, 2022, 2023, 2024, 2025)),
                                                                ("2020年", (2020,))]


def _reports(*docs: tuple[str, int, str, str]) -> Catalog:
    return Catalog([DocumentInfo(f"{place}{year}", f"{place}{year}.docx", title, 1, 10, year=year, place=place,
                                 level=level, kind="work_report") for place, year, level, title in docs])


def test_a_report_named_without_a_place_is_the_national_one_among_many_places() -> None:
    """"2025年政府工作报告" in a base of the national reports and several provinces' 2025 reports means the
    State Council's (none of 2025 here, so nothing answers), not one province's picked by wording."""
    catalog = _reports((NATIONAL, 2024, "national", "政府工作报告——2024年3月5日在第十四届全国人民代表大会第二次会议上"),
                       ("河北省", 2025, "province", "2025年河北省政府工作报告"),
                       ("福建省", 2025, "province", "2025年福建省政府工作报告"))
    frame = parse_question("2025年政府工作报告提出的城镇新增就业目标是多少？", catalog)
    assert frame.scope.places == (NATIONAL,)
    assert catalog.matching(frame.scope) == []
    # a province's own affairs ("全省") or a named province are not national
    assert parse_question("2025年政府工作报告提出全省城镇新增就业目标是多少？", catalog).scope.places == ()
    assert parse_question("福建2025年政府工作报告提出的城镇新增就业目标是多少？", catalog).scope.places == ("福建省",)


def test_a_report_named_in_one_part_is_not_another_parts_of_another_place() -> None:
    """"山东今年的报告说要发挥好几个？福建报告里说去年有几个…": 福建报告 is named by the second part; the first,
    asking of 山东, is answered from 山东's report, not held to 福建's."""
    catalog = _reports(("山东省", 2025, "province", "2025年山东省政府工作报告"),
                       ("福建省", 2025, "province", "2025年福建省政府工作报告"))
    frame = parse_question("国家区域医疗中心：山东今年的报告说要发挥好几个？福建报告里说去年有几个已经全部投用？", catalog)
    assert [(f.scope.places, f.scope.doc_ids) for f in frame.facets] == [
        (("山东省",), ()), (("福建省",), ("福建省2025",))]


def test_with_one_other_places_report_of_the_year_the_wording_decides() -> None:
    """A city's base with the national reports added: "2021年政府工作报告" may be either; no place is assumed."""
    catalog = _reports((NATIONAL, 2021, "national", "政府工作报告——2021年3月5日在第十三届全国人民代表大会第四次会议上"),
                       ("许昌市", 2021, "city", "2021年许昌市政府工作报告"),
                       ("河北省", 2025, "province", "2025年河北省政府工作报告"))
    assert parse_question("2021年政府工作报告提出的城镇新增就业目标是多少？", catalog).scope.places == ()


def test_an_elliptical_part_asks_the_part_before_of_its_own_year_or_place() -> None:
    """"…赤字率是多少？2023年呢？" asks the same of the 2023 report; each part is labelled by its report's year."""
    frame = parse_question("2022年政府工作报告提出的赤字率是多少？2023年呢？")
    assert [f.label for f in frame.facets] == ["2022年", "2023年"]
    assert [f.scope.doc_years for f in frame.facets] == [(2022,), (2023,)]
    assert all(2023 not in f.scope.years for f in frame.facets[:1])
    frame = parse_question("广东今年地区生产总值增长目标是多少？江苏呢？")
    assert [f.label for f in frame.facets] == ["广东", "江苏"]
    assert [f.scope.places for f in frame.facets] == [("广东省",), ("江苏省",)]


def test_a_compound_term_is_found_with_a_short_word_inside_it() -> None:
    """"粮食产量" asked, "粮食总产量稳定在1955万吨以上" written: the compound of two words with one inside."""
    from assistant.answering.stats import CollectionStats
    from assistant.answering.terms import question_terms

    terms = question_terms(parse_question("云南今年粮食产量目标是多少？"), CollectionStats({}, 10, []))
    assert terms.has("粮食产量", "粮食总产量稳定在1955万吨以上")
    assert not terms.has("粮食产量", "粮食播种面积稳定，肉类产量增长")  # the two words apart are not the term


def test_what_a_text_does_not_mention_no_part_of_it_holds() -> None:
    """`mentions` is the cheap first look the unit features take over a unit's whole context before asking `has` of
    its parts: a term it denies for a text is held by no part of that text (plain, gapped, a synonym's wording, a
    bound indicator), and a term a part holds is mentioned by the whole."""
    from assistant.answering.stats import CollectionStats
    from assistant.answering.terms import question_terms
    from assistant.vocab import load_synonyms

    stats = CollectionStats({}, 10, [])
    texts = ["全省完成地区生产总值31534亿元、增长3.3%", "单位国内生产总值能耗下降5.6%", "粮食总产量稳定在1955万吨以上",
             "今年赤字率拟按2.8%安排", "帮助2200余家个体工商户转型升级为企业", "经济运行总体平稳，消费增长较快"]
    whole = "".join(texts)
    parts = [t[i:j] for t in texts for i in range(0, len(t), 3) for j in range(i + 1, len(t) + 1, 4)]
    held = 0
    for question in ("去年经济增长多少？", "粮食产量目标是多少？", "赤字规模是多少？", "帮了多少家个体户？", "单位国内生产总值能耗下降多少？"):
        terms = question_terms(parse_question(question), stats, synonyms=load_synonyms())
        for term in terms.weights:
            for part in [*texts, *parts]:
                if terms.has(term, part):
                    held += 1
                    assert terms.mentions(term, part) and terms.mentions(term, whole), (term, part)
            if not terms.mentions(term, whole):
                assert not any(terms.has(term, part) for part in parts), term
    assert held >= 5  # (the texts do hold terms asked)


def test_an_indicator_after_a_per_unit_word_or_as_a_share_s_whole_is_another_one() -> None:
    """"国内生产总值是多少" is not stated by "单位国内生产总值能耗下降5.6%" (energy per unit of it) nor by "服务业在国内
    生产总值中的比重" (a share of it); a question asking the per-unit indicator or the share is matched by them."""
    from assistant.answering.stats import CollectionStats
    from assistant.answering.terms import question_terms
    from assistant.vocab import load_synonyms

    stats = CollectionStats({}, 10, [])
    for synonyms in (None, load_synonyms()):  # read as 国内+生产总值, or as one term of the synonym table
        terms = question_terms(parse_question("2030年报告中去年国内生产总值是多少？"), stats, synonyms=synonyms)
        gdp = next(t for t in terms.weights if "生产总值" in t)
        assert terms.has(gdp, "国内生产总值达到67.7万亿元")
        assert not terms.has(gdp, "单位国内生产总值能耗下降5.6%")
        assert not terms.has(gdp, "服务业在国内生产总值中的比重上升到50.5%")
    # the shipped table reads a common shortening as the documents' wording (个体户: 个体工商户)
    firms = question_terms(parse_question("规划说十三五期间帮了多少家个体户转成企业？"), stats, synonyms=load_synonyms())
    assert any(firms.has(t, "帮助2200余家个体工商户转型升级为企业") for t in firms.weights if "个体" in t)
    growth = question_terms(parse_question("2030年报告中去年经济增长多少？"), stats, synonyms=load_synonyms())
    assert growth.has("经济增长", "国内生产总值增长6.6%")  # the synonym table: 经济增长 is 生产总值增长
    assert not growth.has("经济增长", "消费对经济增长的贡献率上升3个百分点")  # a contribution to it is another one
    # its amount may stand between the indicator and its change; prose between them does not
    assert growth.has("经济增长", "国内生产总值超过126万亿元，增长5.2%")
    assert growth.has("经济增长", "全省完成地区生产总值31534亿元、增长3.3%")
    assert not growth.has("经济增长", "经济运行总体平稳，消费增长较快")
    asked = question_terms(parse_question("单位国内生产总值能耗下降多少？"), stats)
    assert any(asked.has(t, "单位国内生产总值能耗下降5.6%") for t in asked.weights if "生产总值" in t)
    share = question_terms(parse_question("服务业在国内生产总值中的比重是多少？"), stats)
    assert any(share.has(t, "服务业在国内生产总值中的比重上升到50.5%") for t in share.weights if "生产总值" in t)
    # a rate of it is another indicator: "赤字率拟按2.8%安排" states no 赤字 amount ("赤字规模")
    deficit = question_terms(parse_question("2030年赤字规模是多少？"), stats)
    assert not deficit.has("赤字", "今年赤字率拟按2.8%安排") and deficit.has("赤字", "财政赤字2.76万亿元")
    assert question_terms(parse_question("2030年赤字率是多少？"), stats).has("赤字率", "今年赤字率拟按2.8%安排")
    # after an amount, 万元 measures it: "给予150万元奖补资金" states the 奖补资金 itself
    grant = question_terms(parse_question("市财政给多少奖补资金？"), stats)
    assert any(grant.has(t, "市财政给予150万元奖补资金") for t in grant.weights if "奖补" in t)


def test_an_indicator_keeps_the_ending_the_segmenter_cut_off() -> None:
    """"赤字率" (a rate) is not "赤字" (an amount): the term keeps its ending."""
    from assistant.answering.wording import content_terms

    assert "赤字率" in content_terms("2015年政府工作报告提出的赤字率是多少？")
    assert "赤字" not in content_terms("2015年政府工作报告提出的赤字率是多少？")


def test_how_big_asks_of_the_word_after_it() -> None:
    """"规划了多大面积" asks the 面积, not a 大面积 ("a large area") the segmenter reads."""
    from assistant.answering.wording import content_terms

    assert content_terms("智慧岛总共规划了多大面积？") == ["智慧", "规划", "面积"]
    assert "比例" in content_terms("要达到多高比例？") and "多高" not in content_terms("要达到多高比例？")
    assert content_terms("去年投入多少钱办民生实事？") == ["去年", "投入", "民生", "实事"]  # (not 钱办)


def test_a_dimension_asked_is_no_content_word() -> None:
    """"达到什么规模" asks how large, so 规模 is no content word to match "规模工业企业利润" by; 规模 asked as a
    thing ("规模以上工业") stays one."""
    from assistant.answering.wording import content_terms

    assert "规模" not in content_terms("去年地区生产总值达到什么规模？")
    assert "水平" not in content_terms("人均可支配收入提高到什么水平？")
    assert "规模" in content_terms("规模以上工业增加值增长多少？")


def _measure(question: str) -> str | None:
    """The measure a question asks its figure in (no collection statistics needed)."""
    from assistant.answering.stats import CollectionStats
    from assistant.answering.terms import question_terms

    return question_terms(parse_question(question), CollectionStats({}, 10, [])).measure


def test_how_much_money_asks_for_an_amount_in_yuan() -> None:
    """"每家奖励多少钱" is answered by an amount in 元, not by "营业收入同比增长10%以上"."""
    assert _measure("每家企业奖励多少钱？") == "元"
    assert _measure("安排了多少资金？") == "元"
    assert _measure("挂牌企业能拿多少奖补？") == "元"
    assert _measure("评上文明户的家庭能拿到多少奖励？") == "元"
    assert _measure("某省数据集团挂牌了，注册资本是多少？") == "元"
    # "多少个工作日" asks in 工作日 (a date's day is none); "多少个项目", "多少个亿元以上项目" count in 个
    assert _measure("要在多少个工作日内拨付？") == "工作日"
    assert _measure("新开工多少个亿元以上重点项目？") == "个"
    assert _measure("要关停多少眼自备井？") == "眼"  # a counter of wells
    assert _measure("专利授权量目标是多少件？") == "件"
    # a number asked by 几 and a counter is asked in it, like 多少 ("体系搭了几级", "要建几所"), not 哪几/第几
    assert _measure("梯队攀升体系一共搭了几级？") == "级"
    assert _measure("要建几所学校？") == "所"
    assert _measure("分为哪几项任务？") is None
    from assistant.answering.candidates import Candidate
    from assistant.answering.figures import measure_missing
    from assistant.models import Chunk

    text = "每年申报一次，申报周期为：上年度8月1日至本年度7月31日。"
    unit = Candidate(0, Chunk("c", "a.txt", "d", "某办法", [], text, 1, 1), text, text, "sentence")
    assert measure_missing("工作日", [unit])
    # days said as 自然日 are days ("用气报装时间压到几天": "压缩至2.5个自然日")
    gas = "用气报装时间压缩至2.5个自然日，办理流程压缩为2个环节。"
    assert not measure_missing("天", [Candidate(0, Chunk("k", "a.txt", "d", "某规划", [], gas, 1, 1), gas, gas, "sentence")])
    # "那几年" (those years) asks no count of years: 多少条 is the measure asked
    assert _measure("规划里说十三五那几年一共归集了多少条市场主体信息？") == "条"
    # an amount of money asked by a bare 多少 after a money word ("总投资是多少"); not a change of it
    assert _measure("某地铁线年内建成投运，这条线总投资是多少？") == "元"
    assert _measure("今年固定资产投资增长多少？") is None
    assert _measure("新增多少人？") == "人"
    # ... or after the word for its rate or sum ("补贴标准是多少": in 元; a count of those paid is no answer)
    assert _measure("某计划引进的教师，每月补贴标准是多少？") == "元"
    counted = "引进留用3600名高层次人才，其中教师1550名。"
    assert measure_missing("元", [Candidate(0, Chunk("t", "a.txt", "d", "某报告", [], counted, 1, 1), counted, counted, "sentence")])
    # "多少个" asks a count of things: people, money or a share is no answer; people counted by 个 are people, and
    # "几个点" asks percentage points
    crews = "各乡镇（街道）分别建立不少于20人的专（兼）职救援队伍；"
    assert measure_missing("个", [Candidate(0, Chunk("v", "a.txt", "d", "某规划", [], crews, 1, 1), crews, crews, "sentence")])
    stations = "新建乡镇消防站12个，改造城市消防站3座。"
    assert not measure_missing("个", [Candidate(0, Chunk("w", "a.txt", "d", "某规划", [], stations, 1, 1), stations, stations, "sentence")])
    assert _measure("服务中心至少要配几个专职人员？") == "人"
    assert _measure("每个村要培养几个“法律明白人”？") == "人"
    assert _measure("十四五比十三五高几个点？") == "百分点"
    assert _measure("要新建多少个乡镇消防站？") == "个"
    # people counted after a round figure ("为1700多万困难和重度残疾人发放…补贴") are in the measure asked
    aided = "提高低保标准，为1700多万困难和重度残疾人发放生活或护理补贴。"
    assert not measure_missing("人", [Candidate(0, Chunk("x", "a.txt", "d", "某报告", [], aided, 1, 1), aided, aided, "sentence")],
                               "去年困难和重度残疾人拿到生活或护理补贴的有多少人？")
    # a table row names its measure in brackets or a unit column, not inside a word ("避难场所" holds no 场)
    shelter = "指标内容：全市应急避难场所人均避难面积；预期值：>1.5 平方米；指标性质：约束性"
    assert measure_missing("个", [Candidate(0, Chunk("y", "a.txt", "d", "某规划", [], shelter, 1, 1), shelter, shelter, "row")])
    cut = "区域：某区；地下水超采量压减指标（万立方米）·到 2025 年·合计：55"
    assert not measure_missing("万", [Candidate(0, Chunk("z", "a.txt", "d", "某方案", [], cut, 1, 1), cut, cut, "row")])
    # a lone 一 with a counter ("建设一批…中心", "形成一套…体系") counts nothing a "几个" question asks
    batch = "建设一批高水平的国家科学中心和技术创新中心，形成一套科学完备的管理制度体系。"
    assert measure_missing("个", [Candidate(0, Chunk("b1", "a.txt", "d", "某报告", [], batch, 1, 1), batch, batch, "sentence")])
    eleven = "建成十一个国家科学中心。"
    assert not measure_missing("个", [Candidate(0, Chunk("b2", "a.txt", "d", "某报告", [], eleven, 1, 1), eleven, eleven, "sentence")])
    # trains counted in 列 are not answered by the containers they carried ("货运52.4万标箱")
    assert _measure("某省去年中欧班列一共开了多少列？") == "列"
    freight = "在13个国家投运海外仓36个，中欧班列货运52.4万标箱、增长21.9%。"
    assert measure_missing("列", [Candidate(0, Chunk("u", "a.txt", "d", "某报告", [], freight, 1, 1), freight, freight, "sentence")])
    # "建成多少处应急避难场所" counts sites: an area per head is no answer
    assert _measure("到2025年要建成多少处应急避难场所？") == "处"
    area = "全市应急避难场所人均避难面积不低于1.5平方米。"
    assert measure_missing("处", [Candidate(0, Chunk("e", "a.txt", "d", "某规划", [], area, 1, 1), area, area, "sentence")])
    # things counted by 个 are in the measure their own counter asks, when the question names them
    schools = "改扩建义务教育薄弱学校1255个，新增博士硕士授权点106个。"
    said = [Candidate(0, Chunk("f", "a.txt", "d", "某报告", [], schools, 1, 1), schools, schools, "sentence")]
    assert not measure_missing("所", said, "某省去年义务教育学校改扩建了多少所？")
    assert measure_missing("所", said, "某省去年新建了多少所幼儿园？")  # (another thing's 个)
    assert measure_missing("人", said, "某省去年义务教育学校招了多少人？")  # (个 counts no people)
    # a round amount in words is a figure
    from assistant.answering.figures import holds_figure

    assert holds_figure("接待游客突破10亿人次，旅游收入超万亿元")
    assert holds_figure("旅游收入超万亿元")
    # a length asked is not answered by statements stating none; a time asked as 多长 is not a length
    from assistant.answering.measures import length_missing

    runway = "江北国际机场第四跑道建成投用，国际（地区）客货运航线恢复至41条。"
    said = [Candidate(0, Chunk("g", "a.txt", "d", "某报告", [], runway, 1, 1), runway, runway, "sentence")]
    assert length_missing("机场第四跑道已经投用了，这条跑道有多长？", said)
    assert not length_missing("规划期有多长？", said)
    pipes = "新建一级热水管网总长度 84.50km，改造及新建热力站 218 座。"
    laid = [Candidate(0, Chunk("h", "a.txt", "d", "某规划", [], pipes, 1, 1), pipes, pipes, "sentence")]
    assert not length_missing("一级热水管网要新建多长？", laid)
    # so for an area ("建筑面积有多大", "占地多少"): a statement stating none gives another figure; a share of the area
    # done ("确权面积超过80%") or an area in 亿亩 answers, and a share of an area asked is no area asked
    # a rank asked ("排第几") is answered by first place said in words ("居全国各城市首位"); a count asked is not
    from assistant.answering.figures import figure_missing

    first = [Candidate(0, Chunk("j", "a.txt", "d", "某报告", [], "小巨人企业数量居全国各城市首位。", 1, 1),
                       "小巨人企业数量居全国各城市首位。", "小巨人企业数量居全国各城市首位。", "sentence")]
    assert not figure_missing("小巨人企业数量在全国城市里排第几？", first)
    assert figure_missing("小巨人企业有多少家？", first)
    assert figure_missing("这是第几届？", first)  # (an edition is no rank: "第七届")
    # and only by a rank: another figure ("连续4年获得优秀") is none; a page asked ("排在第几页") is no rank
    good = [Candidate(0, Chunk("k", "a.txt", "d", "某报告", [], "在健康中国考核中连续4年获得优秀。", 1, 1),
                      "在健康中国考核中连续4年获得优秀。", "在健康中国考核中连续4年获得优秀。", "sentence")]
    assert figure_missing("健康中国考核在全国排第几名？", good)
    assert not figure_missing("健康中国考核连续几年优秀？", good)
    second = "整车出口居全国第2位。"
    said_rank = [Candidate(0, Chunk("l", "a.txt", "d", "某报告", [], second, 1, 1), second, second, "sentence")]
    assert not figure_missing("整车出口在全国排第几？", said_rank)
    assert figure_missing("这个通知排在第几页？", good) is figure_missing("这个通知在第几页？", good)
    from assistant.answering.measures import area_missing

    def said_as(text: str) -> list[Candidate]:
        return [Candidate(0, Chunk("i", "a.txt", "d", "某规划", [], text, 1, 1), text, text, "sentence")]

    listed = said_as("开展包括某重点实验室、某检验中心、某数字标准馆等九个子项目在内的中央实验室建设。")
    assert area_missing("市场监管规划里的某数字标准馆，建筑面积有多大？", listed)
    assert area_missing("某产业园规划占地多少？", listed)
    assert not area_missing("某产业园规划占地多少？", said_as("某产业园规划占地1200亩，首期建成标准化厂房。"))
    assert not area_missing("今年粮食播种面积定了多少？", said_as("全年粮食播种面积1.1亿亩、产量825亿斤以上。"))
    assert not area_missing("农村承包地确权面积到多少了？", said_as("推进农村承包地“三权”分置改革、确权面积超过80%。"))
    assert not area_missing("土地流转面积占家庭承包面积的比例多少？", listed)
    assert not area_missing("这个基金规模有多大？", listed)  # (a size, not an area)


def test_a_plan_of_the_next_period_fits_a_question_about_the_period_before() -> None:
    """"某区“十三五”期间实施了什么行动计划": the district's "十四五" plan reviews the "十三五" years; another
    place's plan of that period does not fit."""
    catalog = Catalog([
        DocumentInfo("wd", "wd.txt", "魏都区国民经济和社会发展第十四个五年规划和二〇三五远景目标纲要", 1, 10,
                     place="魏都区", level="district", kind="plan"),
        DocumentInfo("old", "old.txt", "某市“十二五”规划", 1, 10, place="魏都区", level="district", kind="plan"),
    ])
    frame = parse_question("魏都区“十三五”期间推动工业发展实施的是什么行动计划？", catalog)
    weights = catalog.weights(frame.scope)
    assert weights["wd"] > 0.5 > weights["old"]


def test_a_review_asked_of_a_plan_named_by_its_period_asks_no_year_of_the_period() -> None:
    """"教育十四五规划回顾时说，…宣讲了多少场": 十四五 names the plan, and a review asks the years before it; a period
    asked as such ("十四五期间要新建多少所") still asks its years. A place inside a quoted name ("获评“某省最美教师”",
    "“信用某市”建设") names no scope."""
    assert parse_question("教育十四五规划回顾时说，师德巡回报告团一共宣讲了多少场？").scope.years == ()
    assert parse_question("十四五期间全市要新建多少所学校？").scope.years == (2021, 2022, 2023, 2024, 2025)
    # a thing done ("建了多少个") asks the review too; the plan's own act ("提出了", "定了") or a thing to do does not
    assert parse_question("市场监管十四五规划说全市建了多少个消费维权服务站？").scope.years == ()
    assert parse_question("市场监管十四五规划提出了多少个重点工程？").scope.years == (2021, 2022, 2023, 2024, 2025)
    assert parse_question("应急十四五规划里示范社区要创几个？").scope.years == (2021, 2022, 2023, 2024, 2025)
    assert parse_question("教育规划里有几位老师获评“甘肃最美教师”？").scope.places == ()
    assert parse_question("甘肃今年报告里有几位老师获评最美教师？").scope.places == ("甘肃省",)


def test_the_year_of_a_figure_the_question_gives_is_not_asked() -> None:
    """"…25年城区人口要到50万以上，那到2035年的目标是多少": the clause stating a figure and asking nothing gives 2025;
    2035 is the year asked. Two asked years stay two ("20年是多少？25年目标多少？")."""
    assert parse_question("某规划里某县25年城区人口要到50万以上，那到2035年城区人口的目标是多少？").scope.years == (2035,)
    assert parse_question("全市服务业增加值20年是多少？25年目标多少？").scope.years == (2020, 2025)
    assert parse_question("25年目标增长10%，实际完成了多少？").scope.years == (2025,)  # (no other year: kept)


def test_an_elliptical_part_naming_another_indicator_keeps_its_own_words() -> None:
    """"…污水治理率目标是多少？农村卫生厕所普及率呢？" asks of another indicator, not another year or place: each
    part keeps its words (answered apart, not twice alike)."""
    frame = parse_question("乡村振兴规划提出的农村生活污水治理率目标是多少？农村卫生厕所普及率呢？")
    assert len(frame.facets) == 2
    assert "污水" in frame.facets[0].text and "厕所" in frame.facets[1].text
    # ... also when the part before names a year it does not ("…25年要到多少个？示范性合作社呢？"): each labelled by
    # what it asks about, not by the year and the plan period of the document's name
    frame = parse_question("十四五某某规划里，县级以上龙头企业数量25年要到多少个？县级以上示范性农民专业合作社呢？")
    assert len(frame.facets) == 2 and "合作社" in frame.facets[1].text and "龙头企业" in frame.facets[0].text
    assert [f.label for f in frame.facets] == ["县级以上龙头企业数量", "县级以上示范性农民专业合作社"]
    # a part asking the same of a year or a place is asked of it alone
    assert all(not f.text for f in parse_question("2022年赤字率是多少？2023年呢？").facets)


def test_counting_things_by_tiao_is_a_quantity_not_a_documents_articles() -> None:
    """"推出了多少条专线" counts what the text names; "共有多少条" and "多少条具体措施" count a document's articles."""
    assert answer_type("北京推出了多少条通学、通医、通游专线？") == "quantity"
    assert answer_type("优化了多少条公交线路？") == "quantity"
    assert answer_type("这个办法共有多少条？") == "structure"
    # measures someone issued are counted in the text ("省里又发了多少条融合举措"), not the document's own
    assert answer_type("闽台融合这块，省里自己又发了多少条融合举措？") == "quantity"
    assert answer_type("实施意见提出了几条措施？") == "structure"
    # records of a thing counted at the end of a clause ("企业承诺有多少条？"); the document or a part of it, or how
    # the text is divided ("第三章有几条", "下面分了几条"), counts articles
    assert answer_type("归集的信用承诺里企业承诺有多少条？个人承诺多少条？") == "quantity"
    assert answer_type("市一级和县一级的特色链各要做成几条、分别是什么规模？") == "quantity"
    # "几大工程" counts things the text names, even after a chapter named ("第一章讲战略重点，…一共要实施几大工程");
    # "几大部分", "几大块" count a document's parts
    assert answer_type("规划第一章讲战略重点，十四五一共要实施几大工程？") == "quantity"
    assert answer_type("纲要一共分几大部分？") == "structure"
    assert answer_type("报告分几大块？") == "structure"
    assert answer_type("第三章有几条？") == "structure"
    assert answer_type("这份办法里总共有多少条？") == "structure"
    assert answer_type("第三大部分叫什么？下面分了几条？") == "structure"
    # who publishes a thing the document speaks of is no question of the document's issuer
    assert answer_type("已经生效的决定书由谁、在什么平台发布？") == "entity"
    assert answer_type("这个办法是由谁、在哪天发布的？") == "metadata"
    assert answer_type("某市城市更新规划是哪个部门印发的？") == "metadata"
    assert answer_type("那份文件一共列了多少条具体措施？") == "structure"
    # issued in the future ("计划啥时候出台") is a thing the document speaks of: a document in hand was issued
    assert answer_type("报告说要制定甲行动纲要，这个纲要计划啥时候出台？") == "date"
    assert answer_type("配套细则打算什么时候出台？") == "date"
    assert answer_type("这个实施方案是啥时候出台的？") == "metadata"


def test_a_comparing_word_is_no_content_term() -> None:
    from assistant.answering.wording import content_terms

    assert "还是" not in content_terms("2023年的经济增长目标比2022年高还是低")


def test_a_two_character_place_name_read_across_two_words_is_no_place() -> None:
    """"提高县域" holds 高县, a county's name, across 提高 and 县域: no place is asked about; the county named as a
    word still is."""
    from assistant.vocab import places

    assert parse_question("如何提高县域医疗卫生服务能力？").scope.places == ()
    assert [name for _, name, _ in places().find("提高县域医疗卫生服务体系")] == []
    assert [name for _, name, _ in places().find("四川省高县人民政府")] == ["四川省", "高县"]
    assert [name for _, name, _ in places().find("湖南和湖北今年")] == ["湖南", "湖北"]
    # ... nor one that ends inside a word: "城市和县城" holds 和县 across 和 and 县城
    assert [name for _, name, _ in places().find("城市和县城管道燃气普及率")] == []
    assert parse_question("2030年城市和县城管道燃气普及率各是多少？").scope.places == ()
    assert [name for _, name, _ in places().find("和县今年的目标")] == ["和县"]
    # ... nor one whose level character begins a level word: "市一级和县一级" holds 和县 across 和 and 县一级
    assert [name for _, name, _ in places().find("市一级和县一级的特色链")] == []
    assert [name for _, name, _ in places().find("县级和市级")] == []
    assert [name for _, name, _ in places().find("安徽和县的规划")] == ["安徽", "和县"]


def test_what_asked_as_he_asks_a_figure_of_a_target_but_how_and_why_do_not() -> None:
    assert parse_question("2030年和2031年的赤字率目标有何变化？").wants_number
    assert parse_question("今年粮食产量定了何种目标？").wants_number
    assert not parse_question("如何促进居民收入增长？").wants_number
    assert not parse_question("为何把经济增长目标定在6%左右？").wants_number


def test_asking_what_changed_compares_the_figures_it_lists_nothing() -> None:
    """"…目标相比有什么变化": each year's figure, not every item of each year's target list."""
    frame = parse_question("2030年和2031年的城镇新增就业目标相比有什么变化？")
    assert frame.answer_type != "list" and frame.wants_number
    assert parse_question("2030年政府工作报告提出的今年工作任务有什么？").answer_type == "list"


def test_a_document_is_named_by_its_topic_and_its_kind() -> None:
    """"某规划有哪些保障措施": 保障措施 is a section asked of the plan, not a document "…社会保障…" named by it."""
    catalog = Catalog([
        _doc("chain", "某市“十四五”现代供应链发展规划", place="某市", level="city", year=2022, kind="plan"),
        _doc("social", "某市“十四五”公共服务和社会保障规划", place="某市", level="city", year=2022, kind="plan"),
    ])
    assert parse_question("现代供应链发展规划有哪些保障措施？", catalog).scope.doc_ids == ("chain",)
    assert parse_question("社会保障规划有哪些保障措施？", catalog).scope.doc_ids == ("social",)


def test_a_question_comparing_two_named_documents_is_asked_of_each_even_with_a_follow_up(catalog: Catalog) -> None:
    """"…，教育规划和水资源规划说法一样吗？分别是多少": the follow-up names no document of its own; the question is
    asked of each document it names. Two parts naming a document each stay two sub-questions."""
    frame = parse_question("年均增速，教育事业发展规划和水资源节约利用规划说法一样吗？分别是多少", catalog)
    assert [f.scope.doc_ids for f in frame.facets] == [("edu",), ("water",)]
    frame = parse_question("漏损率2025年要控制到多少？教育事业发展规划和水资源节约利用规划各自怎么定的", catalog)
    assert [f.scope.doc_ids for f in frame.facets] == [("edu",), ("water",)]
    frame = parse_question("教育事业发展规划的毛入学率是多少？水资源节约利用规划的漏损率是多少？", catalog)
    assert [f.text for f in frame.facets] == ["教育事业发展规划的毛入学率是多少", "水资源节约利用规划的漏损率是多少"]


def test_a_plan_named_shortened_is_named_and_two_plans_compared_come_before_their_years() -> None:
    """"公共服务社保规划" names "…公共服务和社会保障规划" (characters left out, the first two kept together); a
    question comparing two plans' 2020 base and 2025 target is asked of each plan, each answer with both years."""
    catalog = _plans(("ps", "某市“十四五”公共服务和社会保障规划"), ("nu", "某市新型城镇化和城乡融合发展规划"),
                     ("edu", "某市“十四五”教育事业发展规划"))
    frame = parse_question("人均体育场地面积，公共服务社保规划和新型城镇化规划给的2020年基数和2025年目标分别是多少？", catalog)
    assert [f.scope.doc_ids for f in frame.facets] == [("ps",), ("nu",)]
    assert all(f.scope.years == (2020, 2025) for f in frame.facets)
    assert parse_question("社保规划的目标是多少？", catalog).scope.doc_ids == ()  # too short to stand for a name


def test_a_plan_named_by_its_words_first_characters_or_its_period_s_usual_name() -> None:
    """"科创规划" names "…科技创新和一流创新生态建设规划" (the first characters of its words), not a plan of other
    words. ("十四五纲要" does not name "…第十四个五年规划和…纲要" by the period's usual name: tried, it routed questions
    about a city's 纲要 summary, titled otherwise, to a district's 纲要.)"""
    catalog = _plans(("st", "某市“十四五”科技创新和一流创新生态建设规划"), ("be", "某市“十四五”营商环境和社会信用体系发展规划"),
                     ("ol", "某区国民经济和社会发展第十四个五年规划和二〇三五年远景目标纲要（草案）"))
    frame = parse_question("技术合同成交额2025年目标，科创规划和营商环境规划里各是多少？", catalog)
    assert [f.scope.doc_ids for f in frame.facets] == [("st",), ("be",)]
    assert parse_question("创新规划的目标是什么？", catalog).scope.doc_ids == ("st",)  # (a word of the title itself)
    assert parse_question("科信规划的目标是什么？", catalog).scope.doc_ids == ()
    # a plan period said after the topic ("制造业高质量发展十四五规划") names the plan of that topic and period, not
    # one whose words hold the topic's last word and the period in order ("…社会发展第十四个五年规划")
    catalog = _plans(("mf", "某市“十四五”制造业高质量发展规划"), ("ol", "某区国民经济和社会发展第十四个五年规划纲要"),
                     ("old", "某市“十三五”制造业高质量发展规划"))
    assert parse_question("制造业高质量发展十四五规划的目标是什么？", catalog).scope.doc_ids == ("mf",)
    assert parse_question("制造业高质量发展十三五规划的目标是什么？", catalog).scope.doc_ids == ("old",)


def test_a_two_digit_year_is_a_year_of_this_century() -> None:
    """"20年政府工作报告" is the report of 2020 and "25年目标" a target for 2025; "近20年", "20年来" count years."""
    from assistant.answering.wording import full_years

    assert parse_question("20年政府工作报告里赤字率按多少安排的？").scope.doc_years == (2020,)
    assert 2025 in parse_question("全市服务业增加值20年是多少？25年目标多少？").scope.years
    assert full_years("近20年来增长了多少？") == "近20年来增长了多少？"
    assert full_years("用30年时间建成") == "用30年时间建成"
    assert full_years("参保率20年多少？") == "参保率2020年多少？" and full_years("已过20年多") == "已过20年多"
    assert full_years("规划期10年，实施期为15年") == "规划期10年，实施期为15年"  # spans, not years
    # a year of the early 2010s is a year too ("…说13年能耗强度降了多少"); "未来10年" is a span
    assert full_years("14年那份报告说13年能耗强度降了多少？") == "2014年那份报告说2013年能耗强度降了多少？"
    assert full_years("未来10年要建成") == "未来10年要建成"


def test_a_province_named_by_its_one_character_short_name() -> None:
    """"皖25年…", "沪去年…", "京、沪今年…", "苏浙两省…" name provinces; the same characters elsewhere do not ("新经济",
    "云计算", "宁" inside 辽宁)."""
    from assistant.answering.asked import short_names, spelled_out

    assert parse_question("沪去年地方财政收入多少？").scope.places == ("上海市",)
    assert parse_question("皖25年政府工作报告谁作的？").scope.places == ("安徽省",)
    assert [p.name for _, p in short_names("京、沪今年GDP目标分别是多少")] == ["北京市", "上海市"]
    assert [p.name for _, p in short_names("苏浙两省今年")] == ["江苏省", "浙江省"]
    assert short_names("新经济增长多少") == [] and short_names("云计算平台建了几个") == []
    assert parse_question("辽宁今年城镇新增就业目标是多少？").scope.places == ("辽宁省",)
    assert spelled_out("闽去年GDP多少") == "福建去年GDP多少"  # searched as the name the documents use
    # leading a clause as a word of its own ("皖|口岸", "鄂|5500个"); not where the segmenter joins it into a word
    # ("黑土地", "闽台合作", "晋升"), nor an everyday character without a year after it ("云|计算中心")
    assert parse_question("皖口岸货物吞吐量多少吨？").scope.places == ("安徽省",)
    assert parse_question("鄂5500个项目总投资多少？").scope.places == ("湖北省",)
    assert parse_question("今年，渝优质高中建了几所？").scope.places == ("重庆市",)
    # a city's short name leading a clause as a word of its own names the city, though the collection holds none of
    # its documents (a county of the same short name beside it); not inside a phrase ("幸福安康")
    assert parse_question("长沙今年GDP增速目标定的多少？").scope.places == ("长沙市",)
    assert parse_question("要让群众幸福安康，今年办了几件实事？").scope.places == ()
    for question in ("黑土地保护今年投了多少？", "闽台合作有哪些举措？", "晋升机制有哪些？", "云计算中心建了几个？",
                     "川渝一起推进的那几条“走廊”都是啥？",  # (a run of them names a region: 川渝)
                     "藏粮于地战略怎么落实？"):  # (a character of a phrase the segmenter cannot read: 藏|粮于|地)
        assert parse_question(question).scope.places == (), question


def test_a_particle_the_segmenter_glued_to_a_word_is_no_part_of_it() -> None:
    """"…示范社区要创几个" is cut 要创, a word of no dictionary: the content word is not 要创 (that no passage holds),
    while a dictionary word beginning with a particle (要素) stays whole."""
    from assistant.answering.wording import content_terms

    assert "要创" not in content_terms("综合减灾示范社区要创几个？")
    assert "要素" in content_terms("要素市场化配置改革有哪些举措？")


def test_a_counter_the_segmenter_glued_to_the_asked_word_is_no_part_of_it() -> None:
    """"要引进多少名银龄律师" is cut 名银龄: the word asked of is 银龄 (then 律师), not 名银龄, which no passage
    holds; a dictionary word beginning with a counter (项目) stays whole."""
    from assistant.answering.wording import content_terms

    assert content_terms("今年要引进多少名银龄律师？")[-2:] == ["银龄", "律师"]
    assert "托位" in content_terms("新增多少个托位？")
    assert "项目" in content_terms("今年安排多少项目？")


def test_a_count_in_chinese_numerals_matches_its_digits() -> None:
    """"三年的总目标" asked, "用3年时间，引进留用1万名" written: a count in numerals is matched written in digits."""
    from assistant.answering.stats import CollectionStats
    from assistant.answering.terms import question_terms

    terms = question_terms(parse_question("银龄人才计划三年的总目标是多少？"), CollectionStats({}, 10, []))
    assert "三年" in terms.weights
    assert terms.has("三年", "用3年时间，引进留用1万名左右高层次银龄人才")
    assert terms.has("三年", "用三年时间")
    assert not terms.has("三年", "用5年时间")


def test_a_short_place_name_glued_to_its_level_is_read() -> None:
    """A short name the segmenter glues to its level ("阿坝州政务…") ends where the level does: it is a place."""
    from assistant.vocab import places

    assert [name for _, name, _ in places().find("阿坝州政务数据资源管理暂行办法")] == ["阿坝"]


def test_a_part_asking_the_same_of_two_reports_is_answered_for_each() -> None:
    """"2017年和2018年两份报告里，…分别是多少人？2018年比2017年少了多少？": the first part is asked of each
    report, labelled by its year; the comparison stays a part of its own, labelled by its words."""
    frame = parse_question("2017年和2018年两份政府工作报告里，易地扶贫搬迁任务分别是多少人？2018年比2017年少了多少？")
    assert [(f.label, f.scope.doc_years) for f in frame.facets[:2]] == [("2017年", (2017,)), ("2018年", (2018,))]
    assert len(frame.facets) == 3 and frame.facets[2].label == frame.facets[2].text != ""
    # ... and so is one asking the same of two places ("福建和湖北各打算新建多少个5G基站？湖北比福建多多少？")
    places = parse_question("四川和浙江2030年各打算新建多少个5G基站？浙江比四川多多少？")
    assert [f.label for f in places.facets[:2]] == ["四川", "浙江"]
    assert [f.scope.places for f in places.facets[:2]] == [("四川省",), ("浙江省",)]
    assert places.facets[2].label == places.facets[2].text


def test_a_two_character_name_several_divisions_share_is_a_word() -> None:
    """"中心城区最高多少层": 城区 names districts of several cities, and here it is a word, not a place asked about."""
    assert parse_question("城市更新规划里中心城区新建住宅最高多少层？").scope.places == ()


def test_colloquial_question_words_read_as_their_plain_forms() -> None:
    """"完不成任务的咋处理" asks as "怎么处理" does: a part of its own after "…每月几号前要报什么？"."""
    frame = parse_question("促投资实施意见里，各县区每月几号前要报什么？完不成任务的咋处理？")
    assert len(frame.facets) == 2 and frame.facets[1].text.endswith("怎么处理")


def test_a_plan_the_collection_lacks_is_routed_to_the_page_that_presents_it() -> None:
    """"某市十四五纲要草案里…": no title names it, but a newspaper page headlined otherwise presents it
    ("《某市国民经济和社会发展第十四个五年规划和2035年远景目标纲要（草案）》提出了…"): the question is asked of that
    page. A title that names it wins; the page is only what is left."""
    page = DocumentInfo("page", "p.txt", "《政府工作报告》之未来展望篇", 1, 10, year=2021, place="洛阳市", level="city",
                        kind="work_report", about="洛阳市国民经济和社会发展第十四个五年规划和2035年远景目标纲要（草案）")
    report = _doc("wr", "洛阳市2021年政府工作报告", place="洛阳市", level="city", year=2021, kind="work_report")
    catalog = Catalog([page, report])
    assert parse_question("洛阳十四五纲要草案里新增就业定的目标是多少？", catalog).scope.doc_ids == ("page",)
    # its formal name too ("十四五规划纲要": a 纲要, not "十四五规划" of every plan of the period)
    plans = [_doc(f"p{i}", f"洛阳市“十四五”{t}规划", place="洛阳市", level="city", year=2022, kind="plan")
             for i, t in enumerate(("教育事业发展", "现代服务业发展", "应急管理体系建设", "现代供应链发展"))]
    asked = "洛阳十四五规划纲要草案那版解读里，新增就业定的目标是多少？"
    assert parse_question(asked, Catalog([page, *plans])).scope.doc_ids == ("page",)
    # a plan of another place named so is not the one the page presents
    district = _doc("d", "涧西区国民经济和社会发展第十四个五年规划纲要", place="涧西区", level="county", kind="plan")
    assert parse_question("涧西区十四五纲要一共分几章？", Catalog([page, district])).scope.doc_ids != ("page",)
    own = _doc("plan", "洛阳市“十四五”规划纲要", place="洛阳市", level="city", year=2021, kind="plan")
    assert parse_question("洛阳十四五纲要里新增就业定的目标是多少？", Catalog([page, own])).scope.doc_ids == ("plan",)


def test_a_part_asking_who_is_answered_as_such_whatever_the_first_part_asks() -> None:
    """"…要选多少名学生？主办单位是哪个部门？": the second part asks for a name, not the figure the first asks for; a
    part asking a figure, or one asking nothing of its own kind, keeps the question's reading."""
    import dataclasses

    from assistant.answering.parts import frame_for

    frame = parse_question("某省十件实事里那项要选多少名学生下乡支教？主办单位是哪个部门？")
    assert frame.answer_type == "quantity" and len(frame.facets) == 2
    first, second = (frame_for(frame, f) for f in frame.facets)
    assert first.answer_type == "quantity" and first.wants_number
    assert second.answer_type == "entity" and not second.wants_number
    figure = dataclasses.replace(frame.facets[1], text="城镇新增就业目标是多少")
    assert frame_for(frame, figure) is frame
    # a part asking when ("…每个村要培养几个？村法律顾问啥时候实现全覆盖？") is read as a date; not in a question of
    # a document's metadata ("文号是多少，啥时候发的": the date it was issued)
    frame = parse_question("到2025年每个村要培养几个“法律明白人”？村法律顾问啥时候实现全覆盖？")
    assert [frame_for(frame, f).answer_type for f in frame.facets] == ["quantity", "date"]
    frame = parse_question("那个实施意见的文号是多少，啥时候发的？")
    assert all(frame_for(frame, f) is frame for f in frame.facets)
    # a part asking of a thing of its own with a question word, and no count, asks no figure; a part asking only of
    # the document ("当年政府工作报告怎么定的") asks the first part's figure again
    frame = parse_question("某区纲要里治大气污染实行的是几级网格管理？清洁能源这块打算依托哪家企业发展生物质能源？")
    assert frame.answer_type == "quantity"
    first, second = (frame_for(frame, f) for f in frame.facets)
    assert first.wants_number and not second.wants_number and second.answer_type != "quantity"
    frame = parse_question("我市2022年的GDP预期增速是多少？当年政府工作报告怎么定的？")
    assert all(frame_for(frame, f) is frame for f in frame.facets)


def test_of_documents_a_kind_names_those_the_question_tells_apart_by_their_other_title_words() -> None:
    """"21年政府工作报告开局起步篇…": of the pages titled 《政府工作报告》之…篇, the one whose title holds 开局起步篇;
    a question naming only the kind names them all."""
    pages = [_doc("a", "《政府工作报告》之开局起步篇", place="洛阳市", level="city", year=2021, kind="work_report"),
             _doc("b", "《政府工作报告》之未来展望篇", place="洛阳市", level="city", year=2021, kind="work_report")]
    catalog = Catalog(pages)
    assert parse_question("21年政府工作报告开局起步篇里重点工作有哪些？", catalog).scope.doc_ids == ("a",)
    assert set(parse_question("21年政府工作报告里重点工作有哪些？", catalog).scope.doc_ids) <= {"a", "b"}
    # named twice (by its title and by the plan it presents), it is one document asked about, not two parts
    pages[1].about = "洛阳市国民经济和社会发展第十四个五年规划和2035年远景目标纲要（草案）"
    frame = parse_question("21年政府工作报告未来展望篇（讲十四五纲要的）是谁校对的？", Catalog(pages))
    assert frame.scope.doc_ids == ("b",) and len(frame.facets) <= 1


def test_a_part_naming_its_own_place_and_year_does_not_take_the_report_another_part_names(catalog: Catalog) -> None:
    """"24年国务院报告说全国…多少？浙江24年的…又是多少？": the second part asks of 浙江 in 2024 (its 2025 report
    reviews it), not of a 2024 report of 浙江's that the first part's report year would call for."""
    frame = parse_question("24年国务院报告说全国常住人口城镇化率提高到多少了？浙江24年的常住人口城镇化率又是多少？", catalog)
    national, province = frame.facets
    assert national.scope.doc_years == (2024,) and national.scope.places == (NATIONAL,)
    assert province.scope.places == ("浙江省",) and province.scope.doc_years == () and province.scope.years == (2024,)


def test_a_document_named_with_the_wrong_kind_is_found_by_its_topic() -> None:
    """"推进智慧岛建设的实施意见里…" names 某市推进智慧岛建设实施方案 (its kind misnamed), not the one 实施意见 whose
    title only shares "的实施" with it; a name that fits its kind well keeps it."""
    catalog = _plans(("opinions", "某市人民政府办公室关于稳住经济大盘促投资的实施意见"), ("island", "某市推进智慧岛建设实施方案"))
    assert parse_question("推进智慧岛建设的实施意见里，22年计划引进多少家基金机构？", catalog).scope.doc_ids == ("island",)
    assert parse_question("稳住经济大盘促投资的实施意见里，奖励多少？", catalog).scope.doc_ids == ("opinions",)


def test_a_part_naming_its_own_report_asks_of_it_not_of_the_years_another_part_names(catalog: Catalog) -> None:
    """"浙江的智能算力，24年做到多少了？25年报告定的目标又是多少？": the second part asks of the 2025 report's own
    target, not of 2024, the year the first part names."""
    frame = parse_question("浙江的智能算力，24年做到多少了？25年报告定的目标又是多少？", catalog)
    done, target = frame.facets
    assert done.scope.years == (2024,)
    assert target.scope.doc_years == (2025,) and target.scope.years == ()


def test_a_plan_named_by_its_period_and_topic_is_told_apart_by_the_topic() -> None:
    """"教育十四五规划里…": 十四五 fits every plan of the period (too many to name); 教育 names one of them."""
    titles = ["市场监管现代化", "应急管理体系", "教育事业发展", "城市更新", "现代服务业发展"]
    catalog = _plans(*((f"p{n}", f"某市“十四五”{t}规划") for n, t in enumerate(titles)))
    assert parse_question("教育十四五规划里，全市要新建改扩建多少所幼儿园？", catalog).scope.doc_ids == ("p2",)
    assert parse_question("十四五规划里，全市要新建改扩建多少所幼儿园？", catalog).scope.doc_ids == ()


def test_a_share_asked_as_a_percentage_is_asked_in_percent() -> None:
    """"分担率目标要提到百分之多少" is answered by a figure in %, not by "建成6号线东站段"."""
    from assistant.answering.candidates import Candidate
    from assistant.answering.measures import measure_missing
    from assistant.answering.stats import CollectionStats
    from assistant.answering.terms import question_terms
    from assistant.models import Chunk

    stats = CollectionStats({}, 10, [])
    asked = "某市今年搞提升轨道交通分担率攻坚，分担率目标要提到百分之多少？"
    measure = question_terms(parse_question(asked), stats).measure
    assert measure == "%"

    def unit(text: str) -> Candidate:
        return Candidate(0, Chunk("c", "a.txt", "d", "某市政府工作报告", [], text, 1, 1), text, text, "sentence")

    assert measure_missing(measure, [unit("实施提升轨道交通分担率攻坚行动。"), unit("建成6号线东站段、4号线西延伸段。")])
    assert not measure_missing(measure, [unit("轨道交通分担率提高到45%。")])
    assert not measure_missing(measure, [unit("分担率提高3个百分点。")])


def test_a_figure_the_question_gives_itself_is_no_answer_in_the_measure_asked() -> None:
    """"…接待游客量要破4900万人次，那过夜游客要达到多少人次" is not answered by "…接待游客量突破 4900 万人次": the figure
    the question gives, with its magnitude, is left out of what the statement says."""
    from assistant.answering.candidates import Candidate
    from assistant.answering.figures import lacks_asked_figure
    from assistant.answering.stats import CollectionStats
    from assistant.answering.terms import question_terms
    from assistant.models import Chunk

    def unit(text: str) -> Candidate:
        return Candidate(0, Chunk("c", "a.txt", "d", "某市服务业规划", [], text, 1, 1), text, text, "sentence")

    asked = "规划里说25年接待游客量要破4900万人次，那过夜游客要达到多少人次？"
    measure = question_terms(parse_question(asked), CollectionStats({}, 10, [])).measure
    said = unit("到2025年，全市年接待游客量突破 4900 万人次，旅游综合收入突破340亿元。")
    assert lacks_asked_figure("quantity", asked, measure, [said])
    assert not lacks_asked_figure("quantity", asked, measure, [unit("过夜游客达到1200万人次。")])


def test_respectively_is_a_question_word_not_an_indicators_modifier() -> None:
    """"城镇居民和农村居民的收入各自实际增长了多少": 各自 asks each, as 分别 does; it is no word a passage must say,
    nor one naming another indicator before "实际增长"."""
    frame = parse_question("2013年城镇居民和农村居民的收入各自实际增长了多少？")
    assert "各自" not in frame.terms and frame.enumerates


def test_a_part_shares_the_topic_said_before_it_not_what_a_later_part_asks() -> None:
    """"…要法律援助，这事归哪个单位管？应对贸易摩擦要强化什么机制？": the first part is not weighed by 贸易摩擦, which
    the second part asks; the second keeps what was said before it (the document, 法律援助) as its topic."""
    from assistant.answering.conjoined import sub_questions
    from assistant.answering.stats import CollectionStats
    from assistant.answering.terms import question_terms

    asked = "某省对接RCEP的实施意见里，企业要法律援助，这事归哪个单位管？应对贸易摩擦要强化什么机制？"
    frame = parse_question(asked)
    first, second = sub_questions(asked)
    stats = CollectionStats({}, 10, [])
    assert not any("摩擦" in t for t in question_terms(frame, stats, first).weights)
    later = question_terms(frame, stats, second).weights
    aid = next(t for t in later if "援助" in t)
    assert later[aid] < later["摩擦"]  # (the topic said before it, at half weight)


def test_a_part_naming_the_report_s_own_year_asks_of_that_year() -> None:
    """"17年政府工作报告里，16年…降了多少？17年给这两项定的下降目标又是多少？": the second part asks of 2017, the year
    the report is for, not of 2016, which the first part asks of; a part naming a report or 去年 is read as before."""
    frame = parse_question("17年政府工作报告里，16年二氧化硫排放实际降了多少？17年给这项定的下降目标又是多少？")
    assert [f.scope.years for f in frame.facets] == [(2016,), (2017,)]
    frame = parse_question("2024年的政府工作报告里说去年GDP增长多少？今年目标又是多少？")
    assert [f.scope.years for f in frame.facets] == [(2023,), (2024,)]


def test_quoted_names_asked_together_are_asked_each_on_its_own() -> None:
    """"“一库”和“一平台”分别指什么": one part per quoted name, labelled by it, asking of it alone; one quoted name,
    or names not joined, are no parts."""
    frame = parse_question("某规划里那个智慧监管系统，“一库”和“一平台”分别指什么？")
    assert [f.label for f in frame.facets] == ["“一库”", "“一平台”"]
    assert "一平台" not in frame.facets[0].text and "一库" not in frame.facets[1].text
    assert "分别指什么" in frame.facets[1].text
    assert not parse_question("某规划里的“一库”指什么？").facets
    assert not parse_question("某规划里“一库”和“一平台”是什么关系？").facets  # asked together, not each


def test_a_short_rare_word_is_matched_by_the_phrase_the_documents_write_out() -> None:
    """"高企" (once in the documents, as "通胀高企") is matched by "高新技术企业", which they write out; a word of
    general Chinese ("一共") and a preposition glued to a word ("对市": 对|上市) are not read so."""
    from assistant.answering.stats import CollectionStats
    from assistant.answering.terms import _written_out, question_terms

    texts = ["全省国家高新技术企业超1.4万家。", "培育高新技术企业。", "高新技术企业突破1.5万家。", "通胀高企。",
             "对上市企业给予奖补。", "对上市公司加强监管。", "对上市挂牌企业予以支持。", "一般公共预算收入增长。"] * 2
    stats = CollectionStats({"高企": 1}, len(texts), texts)
    assert _written_out("高企", stats) == "高新技术企业"
    assert _written_out("一共", stats) is None and _written_out("对市", stats) is None
    terms = question_terms(parse_question("国家高企去年有多少家？"), stats)
    assert terms.has("高企", "国家高新技术企业超1.4万家")


def test_a_part_saying_only_its_year_asks_of_that_year_s_report() -> None:
    """"19年的报告说再降多少？21年的又说降多少？": the second part asks what the 2021 report says, as the first asks
    the 2019 report; without a report named before, a year is a year."""
    frame = parse_question("中小企业宽带资费，19年的报告说再降多少？21年的又说降多少？")
    assert [f.scope.doc_years for f in frame.facets] == [(2019,), (2021,)]
    frame = parse_question("某省粮食产量20年是多少？25年的又定了多少？")
    assert all(not f.scope.doc_years for f in frame.facets)


def test_a_name_quoting_part_of_itself_is_the_name_unquoted() -> None:
    """"市“十四五”纲要和教育规划…各是多少": the quotes around 十四五 do not hide the plan named (the page presenting
    it), nor do the quotes in a title ("洛阳市“十四五”教育事业发展规划")."""
    page = DocumentInfo("page", "p.txt", "《政府工作报告》之未来展望篇", 1, 10, year=2021, place="洛阳市", level="city",
                        kind="work_report", about="洛阳市国民经济和社会发展第十四个五年规划和2035年远景目标纲要（草案）")
    edu = _doc("edu", "洛阳市“十四五”教育事业发展规划", place="洛阳市", level="city", kind="plan")
    frame = parse_question("高中阶段教育毛入学率，市“十四五”纲要和教育规划给出的目标各是多少？", Catalog([page, edu]))
    assert [f.scope.doc_ids for f in frame.facets] == [("page",), ("edu",)]


def test_a_part_naming_its_own_report_asks_the_year_another_part_names_the_report_of() -> None:
    """"16年报告里…多少？17年报告回顾16年，…实际各退出了多少？": the second part asks 2016 of the 2017 report (its
    review), though 2016 is the report year of the first part; the parts are labelled by their reports."""
    frame = parse_question("去产能这块：16年报告里中央财政安排了多少专项奖补资金？17年报告回顾16年，钢铁产能实际退出了多少？")
    first, second = frame.facets
    assert (first.scope.doc_years, second.scope.doc_years) == ((2016,), (2017,))
    assert second.scope.years == (2016,)
    assert [f.label for f in frame.facets] == ["2016年报告", "2017年报告"]
    # a year the question names only as a part's report is still that part's year when no other part names it
    frame = parse_question("2022年政府工作报告提出的赤字率是多少？2023年呢？")
    assert frame.facets[1].scope.years == (2023,)
    # a part naming only its report and asking what it reviews asks the year before; a review of years does not
    frame = parse_question("16年报告给当年定的棚户区改造任务是多少套？到17年报告回顾时，实际改了多少？")
    assert frame.facets[1].scope.years == (2016,)
    frame = parse_question("19年报告定的扩招规模是多少？到23年报告回顾五年时，累计扩招了多少人？")
    assert frame.facets[1].scope.years == ()


def test_a_part_naming_no_place_does_not_take_the_place_only_a_later_part_names() -> None:
    """"…，市市场监管局负责什么？魏都区政府又负责什么？": the district is the second part's scope, not the first's; a
    place named before a part is its too ("某省今年GDP目标多少？CPI呢？")."""
    frame = parse_question("联席会议的工作细则里，市市场监管局负责什么？东城区政府又负责什么？")
    first, second = frame.facets
    assert first.scope.places == () and second.scope.places != ()
    assert first.label == second.label == ""  # (no place to label the first by: none is labelled so)
    frame = parse_question("湖南今年GDP增长目标是多少？CPI涨幅目标呢？")
    assert all(f.scope.places == frame.facets[0].scope.places != () for f in frame.facets)


def test_the_year_a_relative_word_stands_for_in_each_named_report_is_asked_of_that_report() -> None:
    """"14年和15年的报告，当年…各安排了多少": the 2014 part is the 2014 report's, not answered from the 2015 one;
    "去年" in two reports asks each report's year before."""
    frame = parse_question("国务院14年和15年的政府工作报告，当年农村危房改造各安排了多少户？")
    assert [(f.scope.years, f.scope.doc_years) for f in frame.facets] == [((2014,), (2014,)), ((2015,), (2015,))]
    frame = parse_question("2019年和2020年报告里去年的GDP各是多少？")
    assert [(f.scope.years, f.scope.doc_years) for f in frame.facets] == [((2018,), (2019,)), ((2019,), (2020,))]
    # "前一年" is the year before, as 去年 and 上一年 are
    frame = parse_question("22年和24年的政府工作报告里，分别说前一年居民消费价格涨了多少？")
    assert [(f.scope.years, f.scope.doc_years) for f in frame.facets] == [((2021,), (2022,)), ((2023,), (2024,))]


def test_a_quality_asked_after_a_figure_word_asks_no_figure() -> None:
    """"…要达到啥效果" asks a statement ("小雨不积水、大雨不内涝"); "…要达到什么目标" may be a figure."""
    assert not parse_question("城区防洪排涝要达到啥效果？").wants_number
    assert not parse_question("招商引资方面，投资增长取得了什么样的成效？").wants_number
    assert parse_question("单位GDP能耗下降要达到什么目标？").wants_number


def test_what_kind_asked_is_no_term() -> None:
    """"…打造成啥样的" asks what kind (什么样, 怎么样): no word of the answer."""
    assert "什么样" not in parse_question("要把政府打造成啥样的？").terms
    assert "怎么样" not in parse_question("甘肃去年文旅市场怎么样？").terms


def test_another_places_report_is_not_the_one_a_part_naming_its_own_place_asks_of() -> None:
    """"国务院17年报告里…？甘肃去年…又是多少": 甘肃's 去年 is of its own documents, not of the national 2017 report; a part
    asking of the same place ("全国去年…") still asks of the report the other part names."""
    own = parse_question("国务院17年报告里新建改建农村公路定了多少？甘肃去年新改建农村公路又是多少公里？").facets[1]
    assert own.scope.places == ("甘肃省",) and own.scope.doc_years == () and own.relative == (-1,)
    same = parse_question("国务院17年报告里新建改建农村公路定了多少？全国去年实际完成多少公里？").facets[1]
    assert same.scope.doc_years == (2017,) and same.scope.years == (2016,)


def test_a_report_named_by_its_year_is_a_report_and_each_part_keeps_its_own_documents() -> None:
    """"22年报告…？某市数据专区…？": the first part asks of the 2022 report, not of a 2022 notice whose title shares
    the question's words (those of the later part hint at it); the later part asks of the notice, not of a report."""
    cat = Catalog([
        _doc("n22", "2022年政府工作报告", place=NATIONAL, level="national", year=2022, kind="work_report"),
        _doc("bj", "关于推进甘肃省数据专区建设的指导意见", place="甘肃省", level="province", year=2022, kind="opinions"),
        _doc("ab", "某州政务数据资源管理暂行办法", place="某州", level="city", year=2021, kind="rules"),
    ])
    frame = parse_question("22年报告讲数字政府建设时对政务数据提了啥？甘肃数据专区要用的政务数据共享是靠哪个系统统一管的？", cat)
    first, second = frame.facets
    assert first.scope.doc_years == (2022,) and first.scope.kinds == ("work_report",)
    assert "bj" not in first.scope.hinted and "ab" not in first.scope.hinted
    assert second.scope.kinds == () and second.scope.hinted == ("bj",)
    assert set(cat.matching(first.scope)) == {"n22"}
    # each part asks of the kinds it names, not of a later part's ("…管理办法里…" asks the second of rules)
    asked = parse_question("23年报告说政务服务网上可办的比例到了多少？某州那个政务数据管理办法里，申请共享数据时必须写明什么？", cat)
    assert [f.scope.kinds for f in asked.facets] == [("work_report",), ("rules",)]
    # a report named by its year alone in a one-part question is one too
    assert parse_question("22年报告对政务数据提了啥？", cat).scope.kinds == ("work_report",)


def test_a_part_naming_its_own_document_asks_of_it_and_is_labelled_by_it() -> None:
    """"甲区纲要提倡…？市里的乙规划又要求…？": each part asks of the document it names itself and is labelled by its title;
    the district the first part names is not the second part's (its document is the city's)."""
    cat = Catalog([
        _doc("qu", "甲区国民经济和社会发展第十四个五年规划纲要", place="甲区", level="district", year=2021, kind="plan"),
        _doc("gx", "某市“十四五”城市更新和城乡人居环境建设规划", place="某市", level="city", year=2021, kind="plan"),
        _doc("yj", "某市“十四五”应急管理体系建设规划", place="某市", level="city", year=2021, kind="plan"),
    ])
    frame = parse_question("绿色建筑这块，甲区纲要提倡啥样的建筑方式？市里城市更新和人居环境建设规划又要求落实哪部条例？", cat)
    first, second = frame.facets
    assert first.scope.doc_ids == ("qu",) and first.label == "甲区国民经济和社会发展第十四个五年规划纲要"
    assert second.scope.doc_ids == ("gx",) and second.scope.places == ()
    assert second.label == "某市“十四五”城市更新和城乡人居环境建设规划"
    # one asking both of each document is asked of each on its own, as before
    both = parse_question("甲区纲要和城市更新和人居环境建设规划都提了绿色建筑：提倡什么建筑方式？要落实哪部条例？", cat)
    assert [f.scope.doc_ids for f in both.facets] == [("qu",), ("gx",)]


def test_a_part_names_a_place_the_collection_speaks_for_by_its_short_name() -> None:
    """"国务院报告…？甘南州的…？": the later part asks of the prefecture the collection holds a document of (named by
    its short name, as the whole question reads it), not of the country the first part names as well."""
    cat = Catalog([
        _doc("n22", "2022年政府工作报告", place=NATIONAL, level="national", year=2022, kind="work_report"),
        _doc("gn", "甘南藏族自治州政务数据资源管理暂行办法", place="甘南藏族自治州", level="city", year=2021, kind="rules"),
    ])
    frame = parse_question("22年国务院报告里大数据中心要建成个什么体系？甘南州的政务数据共享交换平台要跟哪一级平台对接？", cat)
    first, second = frame.facets
    assert first.scope.places == (NATIONAL,)
    assert second.scope.places == ("甘南藏族自治州",) and second.scope.doc_years == ()


def test_the_author_and_name_of_a_report_asked_of_are_no_words_its_passages_must_hold() -> None:
    """"国务院15年的报告点名要推进…": 国务院 and 报告 name the document and 点名 is its act of saying, so none is a
    term an answer must hold ("国务院各部门取消…审批事项" would cover it best); 国务院 asked as a doer stays one."""
    terms = parse_question("国务院15年的报告点名要推进建设的自贸试验区有哪几个？").terms
    assert not {"国务院", "报告", "点名"} & set(terms) and {"自贸", "试验区"} <= set(terms)
    assert "国务院" in parse_question("国务院各部门去年取消了多少项审批事项？").terms


def test_asking_what_a_term_means_asks_nothing_a_passage_must_say() -> None:
    """"“智慧增长”是什么意思" is answered by the sentence defining it, which never says 意思 (nor 含义)."""
    assert "意思" not in parse_question("某省报告里讲的“智慧增长”是什么意思？").terms
    assert "含义" not in parse_question("“智慧增长”的含义是什么？").terms


def test_temporal_function_words_ask_nothing_a_passage_must_say() -> None:
    """"医改以后…降到多少了", "十四五以来…": 以后 and 以来 say when, no passage need hold them."""
    assert not {"以后", "以来", "之后"} & set(parse_question("规划里说医改以后公立医院药品收入占比降到多少了？").terms
                                         + parse_question("十四五以来新增了多少家？").terms)


def test_a_count_of_the_documents_asked_and_from_to_words_are_no_content() -> None:
    """"两次…报告" says which documents are asked, "是从多少提到多少" how the figure is put: no passage says either."""
    from assistant.answering.wording import content_terms

    said = content_terms("18年和23年两次国务院政府工作报告回顾时，城镇化率分别是从多少提到多少的？")
    assert "城镇化率" in said and "两次" not in said and "是从" not in said
    assert "两份" not in content_terms("这两份规划里，耕地保有量各是多少？")
    assert "两个" in "".join(content_terms("两个市场两种资源怎么用好？"))  # not a count of documents


def test_a_word_holding_an_asking_word_is_no_content() -> None:
    """"哪位科学家", "几时完成", "哪一项工作": the asking word says what is asked, nothing a passage says."""
    from assistant.answering.wording import content_terms

    assert content_terms("报告里提到哪位科学家拿了诺贝尔奖？") == ["报告", "科学家", "诺贝尔奖"]
    assert content_terms("哪一项工作几时完成？") == ["工作", "完成"]
    assert content_terms("啥时候开始施行？") == ["开始", "施行"]


def test_a_national_honour_entered_is_no_national_scope() -> None:
    """"入选了啥全国试点区", "获评全国文明城市": 全国 qualifies what was won, the place asked is still the asker's."""
    two = parse_question("甘南州引进了哪个跨境电商园？另外入选了啥全国试点区？")
    assert all("全国" not in f.scope.places for f in two.facets) and "全国" not in two.scope.places
    assert "全国" not in parse_question("兰州获评全国文明城市是哪年？").scope.places
    assert parse_question("全国粮食产量是多少？").scope.places == ("全国",)


def test_a_rate_asked_by_its_name_asks_a_percentage() -> None:
    """"首贷平均利率是多少" is not answered by "获得首贷274亿元": a rate is a figure in %."""
    assert _measure("小微企业拿到的首贷，平均利率是多少？") == "%"
    assert _measure("农村自来水普及率要达到多少？") == "%"
    assert _measure("新增就业多少人？") == "人"
    assert _measure("利率下调了多少次？") == "次"


def test_a_questions_bigrams_are_the_same_in_every_process() -> None:
    """The question words are taken out longest first, not in a set's order, which changes with the process's
    hash seed ("哪几个" before "几个"): the same question gets the same answer after every restart."""
    import os
    import subprocess
    import sys

    code = ("from assistant.answering.frame import parse_question; from assistant.answering.terms import question_terms;"
            "from assistant.answering.stats import CollectionStats;"
            "print(sorted(question_terms(parse_question('19年大气污染治理攻坚重点盯的是哪几个区域？'),"
            " CollectionStats({}, 10, [])).bigrams))")
    seen = {
        subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                       env={**os.environ, "PYTHONHASHSEED": seed}).stdout
        for seed in ("0", "9", "10")
    }
    assert len(seen) == 1


def test_a_change_to_a_figure_is_matched_written_with_either_word() -> None:
    """"降到了多少" is written "由9.8%降至7.5%" as well: a change "to" a figure is the same with 到 or 至."""
    from assistant.answering.stats import CollectionStats
    from assistant.answering.terms import question_terms

    terms = question_terms(parse_question("关税总水平降到了多少？"), CollectionStats({}, 10, []))
    assert "降到" in terms.weights
    assert terms.has("降到", "关税总水平由9.8%降至7.5%") and not terms.has("降到", "关税总水平保持稳定")


def test_a_part_naming_its_own_year_does_not_share_another_parts_year() -> None:
    """"…2029年报告说降到了多少？2030年报告又说降到了多少？": the second part keeps the first's words as shared
    topic, not the year the first asks about."""
    from assistant.answering.stats import CollectionStats
    from assistant.answering.terms import question_terms

    frame = parse_question("关税总水平，2029年报告说降到了多少？2030年报告又说降到了多少？")
    first, second = frame.facets
    stats = CollectionStats({}, 10, [])
    assert "2029" in question_terms(frame, stats, first.text, shared=first.shared).weights
    later = question_terms(frame, stats, second.text, shared=second.shared)
    assert "关税" in later.weights and "2029" not in later.weights


def test_function_words_are_no_terms_and_adverbs_weigh_little() -> None:
    """A pronoun pointing back ("碳达峰这块") or a particle is no word a passage must hold; an adverb ("已经") is
    rare in documents but weighs little; a word of "each" ("各县") is content."""
    from assistant.answering.stats import CollectionStats
    from assistant.answering.terms import ADVERB_WEIGHT, question_terms
    from assistant.answering.wording import content_terms

    assert "这块" not in content_terms("报告里碳达峰这块，去年已经做了啥")
    assert "各有" not in content_terms("两类项目各有多少项")
    assert "各县" in content_terms("各县的两场三馆要求啥时候建好")
    terms = question_terms(parse_question("报告里碳达峰这块，去年已经做了啥？"), CollectionStats({}, 10, []))
    assert terms.weights["已经"] <= ADVERB_WEIGHT < terms.weights["碳达峰"] and terms.rarest != "已经"


def test_parts_are_labelled_by_their_own_year_or_the_relative_word_they_ask_of() -> None:
    """"…去年有多少家？2030年还要再培育几家": one part by 去年, the other by its year; the year part does not take
    the other part's 去年."""
    from assistant.answering.asked_years import facet_relative

    frame = parse_question("甘肃制造业单项冠军企业去年有多少家？2030年还要再培育几家？")
    assert [f.label for f in frame.facets] == ["去年", "2030年"]
    assert facet_relative(frame, frame.facets[1]) == ()
    assert facet_relative(frame, frame.facets[0]) == (-1,)
    # a 上年 that is the base of a change labels nothing
    frame = parse_question("2030年中央预算内投资安排了多少？比上年多了多少？")
    assert not any(f.label == "上年" for f in frame.facets)


def test_a_part_takes_no_relative_year_a_later_part_says() -> None:
    """"甘肃对非贸易额在中西部排第几？今年要办第几届博览会？": 今年 is the second part's; the first (a result the report
    reviews) is not held to this year. A 今年 said before a part is its too."""
    from assistant.answering.asked_years import facet_relative

    frame = parse_question("甘肃对非贸易额在中西部排第几？今年要办第几届中非经贸博览会？")
    assert [facet_relative(frame, f) for f in frame.facets] == [(), (0,)]
    frame = parse_question("今年甘肃要新建多少所学校？改造多少公里公路？")
    assert all(facet_relative(frame, f) == (0,) for f in frame.facets)


def test_a_part_of_the_document_pointed_at_is_no_term() -> None:
    """"回顾16年那部分" says where the figure is, not a word a passage says; a part asked about keeps its name."""
    from assistant.answering.wording import content_terms

    assert "部分" not in content_terms("17年报告回顾16年那部分，全社会研发投入占GDP的比例到了多少？")
    assert "块" not in "".join(content_terms("碳达峰这一块去年做了什么"))
    assert "部分" in content_terms("部分地区要达到多少")
    assert not any("届" in t for t in content_terms("13年办的那届全运会是第几届"))  # an edition pointed at
    assert "这部分" in content_terms("这部分讲了什么")  # a part asked about keeps its name


def test_a_province_glued_to_the_city_after_it_is_named() -> None:
    """"湖南岳阳乙烯…" is cut 湖|南岳|阳: the province's short name still names it (not the district 南岳); one that
    starts inside a word is none ("黄河南岸" holds no 河南)."""
    from assistant.vocab import places

    assert [name for _, name, _ in places().find("湖南岳阳乙烯炼化一体化项目总投资是多少亿")][:1] == ["湖南"]
    assert parse_question("湖南岳阳乙烯炼化一体化项目总投资是多少亿？").scope.places == ("湖南省",)
    assert "河南" not in [name for _, name, _ in places().find("黄河南岸生态保护")]


def test_people_counted_by_ge_are_asked_in_people() -> None:
    """"几个首席技师" is answered by "首席技师73人": a counted title of people (技师, 院士, 毕业生) asks in 人."""
    for q in ("去年新增了几个首席技师？", "新增了几个院士？", "有几个专职人员？"):
        assert _measure(q) == "人", q
    assert _measure("新建了几个实验室？") == "个"


def test_a_document_kind_asked_about_is_no_kind_asked_of(catalog: Catalog) -> None:
    """"24年报告教育这块要制定个啥规划纲要": the plan is what is asked, the report is what is asked of; a plan named
    as the document ("教育发展规划里…") is still asked of."""
    frame = parse_question("24年报告教育这块要制定个啥规划纲要？", catalog)
    assert "plan" not in frame.scope.kinds
    assert parse_question("教育发展规划纲要里提到了什么目标？", catalog).scope.kinds == ("plan",)


def test_a_part_asking_of_another_kind_of_document_has_no_topic_of_the_part_before() -> None:
    """"某州那个管理办法里…？另外国务院21年报告说…？": the report's part is asked on its own words, not on the rules'
    (政务, 数据, 平台…); a part ending "…呢" asks the topic before it again, and so does one of the same kind."""
    cat = Catalog([
        _doc("n21", "2021年政府工作报告", place=NATIONAL, level="national", year=2021, kind="work_report"),
        _doc("ab", "某州政务数据资源管理暂行办法", place="某州", level="city", year=2021, kind="rules"),
    ])
    asked = parse_question("某州那个政务数据管理办法里，共享的数据要到哪个平台注册？另外国务院21年报告说企业群众常办的事要做到啥？", cat)
    assert [f.scope.kinds for f in asked.facets] == [("rules",), ("work_report",)]
    assert [f.shared for f in asked.facets] == [True, False]
    again = parse_question("某州那个政务数据管理办法里，共享的数据要到哪个平台注册？21年报告呢？", cat)
    assert all(f.shared for f in again.facets)
    same = parse_question("国务院21年报告说常办的事要做到啥？21年报告对政务数据又提了啥？", cat)
    assert all(f.shared for f in same.facets)


def test_which_countries_is_no_national_scope() -> None:
    # "通往哪些国家", "设在哪个国家": 国家 asked as countries, not the country's own documents
    frame = parse_question("甘肃今年要新开的5条国际航线，都是通往哪些国家的？")
    assert frame.scope.places == ("甘肃省",) and not frame.national
    assert parse_question("国家定的GDP增长目标是多少？").national
