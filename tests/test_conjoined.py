"""Two indicators asked together are split into a sub-question each; places, years and attributes joined are not."""

from __future__ import annotations

from assistant.answering.candidates import Candidate
from assistant.answering.conjoined import indicator_parts
from assistant.answering.frame import parse_question
from assistant.answering.offline import FacetAnswer, assemble
from assistant.models import Chunk, Retrieved


def test_two_indicators_joined_become_two_sub_questions_with_the_context_of_both() -> None:
    assert indicator_parts("2019年报告中去年的经济增速和城镇新增就业分别是多少？") == [
        ("经济增速", "2019年报告中去年的经济增速分别是多少"),
        ("城镇新增就业", "2019年报告中去年的城镇新增就业分别是多少"),
    ]
    # a place before them is context; one word joined to a phrase shares the phrase's head
    assert [p for _, p in indicator_parts("某省今年原煤和天然气产量目标分别是多少？")] == [
        "某省今年原煤产量目标分别是多少", "某省今年天然气产量目标分别是多少"]
    assert [i for i, _ in indicator_parts("2030年中央预算内投资和专项债券各安排多少？")] == ["中央预算内投资", "专项债券"]
    # a word that only ends like the context's end ("集中" of "污水集中收集率") is the indicator's own
    assert [i for i, _ in indicator_parts("某规划30年城市污水集中收集率、垃圾资源化利用率分别定的多少？")] == [
        "城市污水集中收集率", "垃圾资源化利用率"]
    # 与 joins only when no other conjunction does: it is inside names too
    assert [i for i, _ in indicator_parts("研究与试验发展经费投入强度和高新技术企业数量分别是多少？")] == [
        "研究与试验发展经费投入强度", "高新技术企业数量"]
    assert [i for i, _ in indicator_parts("中央预算内投资与专项债券各安排多少？")] == ["中央预算内投资", "专项债券"]
    # the second thing may hold 及 ("烟草及食品产业"), and the year asked of both may follow it
    assert indicator_parts("某规划里，信息技术产业和烟草及食品产业到2025年的产业规模目标各是多少？") == [
        ("信息技术产业", "某规划里，信息技术产业到2025年的产业规模目标各是多少"),
        ("烟草及食品产业", "某规划里，烟草及食品产业到2025年的产业规模目标各是多少"),
    ]
    # three things joined are not split as two ("制造业和交通运输、建筑业": which two?)
    assert indicator_parts("2030年增值税改革，制造业和交通运输、建筑业的税率分别降到多少？") == []
    # a clause before them is context of both
    assert indicator_parts("2030年政府工作报告里，赤字率和专项债券各安排了多少？") == [
        ("赤字率", "2030年政府工作报告里，赤字率各安排了多少"), ("专项债券", "2030年政府工作报告里，专项债券各安排了多少")]
    # the two counted back ("这两个产业", "两个产业的规模"): what follows the count is asked of both, not the second's
    assert indicator_parts("某规划里，新材料和智能装备这两个产业到2025年的产业规模各定的多少？") == [
        ("新材料", "某规划里，新材料到2025年的产业规模各定的多少"),
        ("智能装备", "某规划里，智能装备到2025年的产业规模各定的多少"),
    ]
    # (a first indicator of two words and a second of one, counted back, are two: "节能环保和轻纺这两个产业")
    assert indicator_parts("某规划里，节能环保和轻纺这两个产业到2025年规模分别要冲到多少？") == [
        ("节能环保", "某规划里，节能环保到2025年规模分别要冲到多少"), ("轻纺", "某规划里，轻纺到2025年规模分别要冲到多少")]
    assert indicator_parts("新材料、智能装备两个产业的规模分别是多少？") == [
        ("新材料", "新材料的规模分别是多少"), ("智能装备", "智能装备的规模分别是多少")]


def test_places_years_documents_and_attributes_joined_are_no_two_indicators() -> None:
    for question in ("安徽和江苏今年城镇新增就业目标分别是多少？", "2014、2015两年中央预算内投资规模各多少？",
                     "去年和今年的经济增长目标分别是多少？", "教育规划和卫生规划的目标分别是多少？",
                     "每万人口发明专利拥有量现状和目标分别是多少？", "城镇新增就业和调查失业率是多少？"):
        assert indicator_parts(question) == [], question


def test_the_frame_labels_each_indicator() -> None:
    frame = parse_question("2030年报告中去年的经济增速和城镇新增就业分别是多少？")
    assert [f.label for f in frame.facets] == ["经济增速", "城镇新增就业"]
    assert not any(f.shared for f in frame.facets)  # each is asked without the other's words


def test_one_statement_answering_two_labelled_facets_is_shown_once() -> None:
    text = "今年要完成铁路建设投资8000亿元、公路水运投资1.8万亿元。"
    chunk = Chunk("c1", "r.txt", "d1", "政府工作报告", [], text, 1, 1)
    unit = Candidate(0, chunk, text, text, "sentence")
    draft = assemble([FacetAnswer("铁路建设投资", [unit], 0.9), FacetAnswer("公路水运投资", [unit], 0.9)],
                     [Retrieved(chunk, 1.0)], k=1, multi=True)
    assert draft.text == f"铁路建设投资、公路水运投资：{text}[1]"


def test_a_follow_up_asking_of_another_indicator_is_labelled_by_what_each_part_asks() -> None:
    from assistant.answering.conjoined import part_indicator

    frame = parse_question("甘肃今年规模以上工业增加值增长目标是多少？城镇新增就业呢？")
    assert [f.label for f in frame.facets] == ["规模以上工业增加值增长目标", "城镇新增就业目标"]
    # the document, years, places and asking words around the indicator are no part of its label
    assert part_indicator("公共服务规划中基本养老保险参保率2025年目标是多少") == "基本养老保险参保率目标"
    assert part_indicator("是什么属性") == "属性"
    labels = [f.label for f in parse_question("2019年赤字率定为多少？赤字规模呢？").facets]
    assert labels == ["赤字率", "赤字规模"]  # (not "赤字规模呢")
    # two full questions of one scope stay unlabelled (their own words say what each asks); so do a document's
    # metadata fields, which label themselves ("文号：…")
    assert [f.label for f in parse_question("2030年报告中城镇新增就业多少？棚户区改造多少套？").facets] == ["", ""]
    assert [f.label for f in parse_question("某规划是哪个机关印发的？文号呢？").facets] == ["", ""]


def test_relative_years_are_answered_in_the_order_the_question_asks_them() -> None:
    frame = parse_question("甘肃去年经济增长多少，今年目标是多少？")
    assert [f.label for f in frame.facets] == ["去年", "今年"]


def test_a_follow_up_that_only_compares_the_answers_is_no_part_of_its_own() -> None:
    """"甲省和乙省去年社零总额分别是多少？哪个更高？": asked of each province, the comparison is read off the answers;
    a follow-up asking something ("…比去年的实际增速高还是低？" names 去年) stays a part."""
    from assistant.answering.conjoined import sub_questions

    frame = parse_question("山东和河南去年社会消费品零售总额分别是多少？哪个更高？")
    assert [f.label for f in frame.facets] == ["山东", "河南"]
    assert sub_questions("甲规划的目标是多少？乙规划的目标是多少？一样吗？") == ["甲规划的目标是多少", "乙规划的目标是多少"]
    assert len(sub_questions("今年国内生产总值增长目标是多少？比去年的实际增速高还是低？")) == 2
    # nor one asking only the names of what the part before counts ("…那一章下面分了几节？各叫什么？")
    assert sub_questions("某规划里“强化质量安全监管”那一章下面分了几节？各叫什么？") == []
    assert len(sub_questions("一共分几大部分？第八部分叫什么？")) == 2
    # a follow-up naming only where to look ("某省报告咋说的", "某省报告里有说吗") is no part; one comparing another
    # ("15年报告又咋说的") or naming a year ("24年报告怎么说的": maybe another report) is
    assert sub_questions("某贷款的贴息比例是多少？某省报告怎么说的") == []
    assert sub_questions("某园区去年地区生产总值多少亿？某省报告有提吗？") == []
    assert len(sub_questions("某工程14年报告里说到什么进度了？15年报告又怎么说的？")) == 2
    assert len(sub_questions("某省现在第一大电源是什么？24年报告怎么说的")) == 2
    # a part offering alternatives ("…是建好了还是刚开工") asks of its own thing
    assert sub_questions("某省去年那条特高压什么进展？某站改造是建好了还是刚开工？") == [
        "某省去年那条特高压什么进展", "某站改造是建好了还是刚开工"]


def test_a_clause_ending_in_its_question_word_is_a_part_of_its_own() -> None:
    """"福建去年GDP多少，今年预期增速定的多少" asks two things split by a comma; a clause after it asking nothing of
    its own ("…有哪些措施，分别是什么", "…是多少，比去年高还是低") is no second part."""
    from assistant.answering.conjoined import sub_questions

    assert sub_questions("福建去年GDP多少，今年预期增速定的多少？") == ["福建去年GDP多少", "今年预期增速定的多少"]
    assert sub_questions("基本养老保险参保率2020年多少、2025年要到多少？") == ["基本养老保险参保率2020年多少", "2025年要到多少"]
    assert sub_questions("提出了哪些措施，分别是什么？") == []
    assert sub_questions("GDP增长目标是多少，比去年高还是低？") == []


def test_a_remark_in_brackets_is_no_part_of_the_question() -> None:
    """"…增长目标是多少？（报告里说没达到年初目标）" asks one thing: the bracketed remark is no second part."""
    from assistant.answering.conjoined import sub_questions

    assert sub_questions("某省24年年初定的地区生产总值增长目标是多少？（报告里说没达到年初目标）") == []
    assert len(sub_questions("某省去年GDP是多少？（按报告的说法）今年目标定的多少？")) == 2


def test_two_things_joined_before_a_comma_and_asked_each_after_it_are_two_parts() -> None:
    """"…进博会和世界军人运动会，分别是第几届": each is asked; "粮食产量和棉花产量" keeps each indicator as it is."""
    from assistant.answering.conjoined import indicator_parts

    parts = indicator_parts("报告里说要办好的进博会和世界军人运动会，分别是第几届？")
    assert [label for label, _ in parts] == ["进博会", "世界军人运动会"]
    assert parts[1][1] == "报告里说要办好的世界军人运动会分别是第几届"
    assert [label for label, _ in indicator_parts("去年粮食产量和棉花产量分别是多少？")] == ["粮食产量", "棉花产量"]
