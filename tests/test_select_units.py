"""Choosing units: a heading chosen for a list question brings what stands under it."""

from __future__ import annotations

from assistant.answering.candidates import Candidate, units_of
from assistant.answering.frame import parse_question
from assistant.answering.select import FOLLOW_UNITS, expand, heading_like
from assistant.models import Chunk

TEXT = (
    "- 推进教育三年攻坚。扩充高中阶段教育资源和城市学校学位。大力发展职业教育。实施人才培育工程。再做一件事。\n"
    "- 推进健康城市建设。新建社区卫生服务中心。"
)


def _units():
    chunk = Chunk("c1", "a.txt", "d1", "某市政府工作报告", ["二、重点工作"], TEXT, 10, 11)
    return units_of(chunk, 0)


def test_a_heading_chosen_for_a_list_question_is_followed_by_what_it_heads() -> None:
    units = _units()
    frame = parse_question("教育三年攻坚具体要做哪些事？")
    shown = [u.text for u in expand(units[0], units, frame)]
    assert shown[0].endswith("推进教育三年攻坚。")
    assert "扩充高中阶段教育资源和城市学校学位。" in shown and "大力发展职业教育。" in shown
    assert len(shown) == 1 + FOLLOW_UNITS  # bounded: not the whole chunk
    assert not any("健康城市" in s for s in shown)


def test_a_paragraph_s_run_in_head_chosen_for_a_list_question_brings_its_paragraph() -> None:
    """"持续打造一流营商环境。实施新一轮…。强化为企服务…。" : the head opens its paragraph; what follows it there
    answers, the next paragraph does not."""
    text = ("  持续打造一流营商环境。实施新一轮优化营商环境改革举措。强化为企服务，完善服务机制。\n"
            "  加快建设现代化产业体系。推动制造业高端化。")
    chunk = Chunk("c7", "s.docx", "d7", "某市政府工作报告", ["二、今年工作"], text, 1, 2)
    units = units_of(chunk, 0)
    head = units[0]
    shown = [u.text for u in expand(head, units, parse_question("今年优化营商环境有哪些举措？"))]
    assert "实施新一轮优化营商环境改革举措。" in shown[1] and any("强化为企服务" in s for s in shown)
    assert not any("制造业" in s or "产业体系" in s for s in shown)
    from assistant.answering.select import run_in_head

    assert run_in_head(head) and not run_in_head(units[1])  # a sentence inside its paragraph heads nothing


def test_a_topic_s_name_ranked_first_gives_way_to_what_its_passage_says_of_it() -> None:
    """"…产业园准备放在什么地方建？" with the run-in head "即时物流。" ranked just above the sentence that says where:
    the head states nothing, the sentence of its passage answers; a head holding a figure still answers."""
    from assistant.answering.select import Scored, select_units

    text = ("  即时物流。推动物流行业融合应用。以老烟厂旧址为载体，建设“即时物流产业园”，吸引企业入驻。\n"
            "  今年要重点抓好以下十个方面工作。")
    chunk = Chunk("c8", "s.docx", "d8", "某区规划纲要", ["第五章"], text, 1, 2)
    units = units_of(chunk, 0)
    head, where = units[0], next(u for u in units if "老烟厂" in u.text)
    frame = parse_question("即时物流产业园准备放在什么地方建？")
    terms = {"即时": 6.0, "物流": 3.0, "产业园": 3.0}
    chosen = select_units([Scored(head, 0.89), Scored(where, 0.87)], frame, units, threshold=0.2, extra=0.3,
                          terms=terms)
    assert chosen and chosen[0] is where
    ten = next(u for u in units if "十个方面" in u.text)
    chosen = select_units([Scored(ten, 0.89), Scored(where, 0.87)], frame, units, threshold=0.2, extra=0.3,
                          terms=terms)
    assert chosen[0] is ten


def test_a_quoted_term_is_answered_first_by_the_statement_that_defines_it() -> None:
    """"“三个全覆盖”具体是哪三个" with the sentence that only names it ranked just above the glossary entry that
    says its parts: the entry answers first; a clear lead of the naming sentence is kept."""
    from assistant.answering.select import Scored, select_units

    said = Chunk("c9", "r.docx", "d9", "某省政府工作报告", ["二、今年工作"],
                 "推动特色农业增值增效。全面实现农业龙头企业“三个全覆盖”。深化集体林权改革。推动服务业扩容提质。", 1, 1)
    glossary = Chunk("c10", "r.docx", "d9", "某省政府工作报告", ["附件 名词解释"],
                     "18．农业龙头企业“三个全覆盖”：国家级龙头企业州市全覆盖、省级龙头企业县区全覆盖、县级以上龙头企业村级全覆盖。", 9, 9)
    units = units_of(said, 0) + units_of(glossary, 1)
    names = next(u for u in units if u.text.startswith("全面实现"))
    defines = next(u for u in units if "：" in u.text)
    frame = parse_question("某省说要全面实现农业龙头企业“三个全覆盖”，具体是哪三个？")
    terms = {"农业": 2.0, "龙头企业": 4.0, "三个全覆盖": 7.0}
    chosen = select_units([Scored(names, 1.0), Scored(defines, 0.998)], frame, units, threshold=0.3, extra=0.5,
                          terms=terms, floor=0.65)
    assert chosen[0] is defines
    chosen = select_units([Scored(names, 1.0), Scored(defines, 0.7)], frame, units, threshold=0.3, extra=0.5,
                          terms=terms, floor=0.65)
    assert chosen[0] is names


def test_a_statement_or_a_figure_question_is_not_extended() -> None:
    units = _units()
    assert not heading_like(units[1])  # a statement with its own content is not a heading
    frame = parse_question("教育三年攻坚的时间是多少年？")
    assert [u.text for u in expand(units[0], units, frame)] == [units[0].text]


def _unit_features(question: str, chunk: Chunk) -> list[dict[str, float]]:
    """Each unit of a chunk with its unit-scorer features for a question, by name (no collection statistics)."""
    from assistant.answering.features import FEATURES, features
    from assistant.answering.stats import CollectionStats
    from assistant.answering.terms import question_terms
    from assistant.models import Retrieved
    from assistant.retrieval.routing import Scope

    frame = parse_question(question)
    terms = question_terms(frame, CollectionStats({}, 10, []))
    hits = [Retrieved(chunk=chunk, score=1.0)]
    return [dict(zip(FEATURES, features(u, frame, terms, hits, Scope(), {}, None), strict=True)) for u in units_of(chunk, 0)]


def test_a_date_is_not_the_figure_a_quantity_question_asks_for() -> None:
    text = "2022年3月23日\n省财政安排专项资金5000万元支持企业开拓市场。"
    chunk = Chunk("c2", "b.txt", "d2", "某省实施意见", ["三、保障措施"], text, 1, 2)
    date, amount = _unit_features("省财政安排了多少专项资金？", chunk)
    assert date["figure_fit"] == 0.0
    assert amount["figure_fit"] == 1.0


def test_a_figure_question_brings_the_sentence_that_states_the_figure() -> None:
    text = ("第三十五条　有条件开放的数据，可以在开放平台提出申请。政务部门应当在十五个工作日内处理。"
            "不开放的，应当说明理由。")
    chunk = Chunk("c3", "m.txt", "d3", "某州数据资源管理办法", ["第三十五条"], text, 5, 5)
    units = units_of(chunk, 0)
    frame = parse_question("有条件开放的数据申请多久内要处理？")
    shown = [u.text for u in expand(units[0], units, frame)]
    assert shown == [units[0].text, "政务部门应当在十五个工作日内处理。"]  # 第三十五条 is no figure
    assert [u.text for u in expand(units[1], units, frame)] == [units[1].text]  # it holds its figure already


def test_a_document_number_is_not_the_figure_a_quantity_question_asks_for() -> None:
    text = "（某开放办〔2030〕6号）\n省财政安排专项资金5000万元支持企业开拓市场。"
    chunk = Chunk("c6", "b.txt", "d6", "某省实施意见", [], text, 1, 2)
    number, amount = _unit_features("省财政安排了多少专项资金？", chunk)
    assert number["figure_fit"] == 0.0
    assert amount["figure_fit"] == 1.0


def test_a_statement_announcing_the_counted_items_asked_about_brings_them() -> None:
    from assistant.answering.present import counts_items

    assert counts_items("今年的重点工作分为几个方面？", "今年要重点抓好以下十个方面工作。")
    assert not counts_items("已建成几个国家检测中心？", "已建成甲、乙、丙3个国家检测中心。")  # listed already
    assert not counts_items("答复期限是几个工作日？", "应当自收到申请之日起7个工作日内答复。")  # a measure asked
    assert not counts_items("新增就业多少人？", "今年要重点抓好以下十个方面工作。")  # not a count of items


def test_a_line_that_only_names_the_asked_year_is_not_added_to_the_answer() -> None:
    """A report's dateline ("——2023年3月5日在…会议上") adds the year the question names and nothing it asks for."""
    from assistant.answering.select import Scored, select_units

    text = "今年赤字率拟按3%安排。\n——2023年3月5日在第十四届全国人民代表大会第一次会议上"
    chunk = Chunk("c4", "r.txt", "d4", "政府工作报告", [], text, 1, 2)
    answer, dateline = units_of(chunk, 0)
    frame = parse_question("2023年的赤字率是多少？")
    terms = {"2023": 4.7, "赤字": 5.0}
    chosen = select_units([Scored(answer, 0.8), Scored(dateline, 0.7)], frame, [answer, dateline], threshold=0.0,
                          extra=0.3, terms=terms)
    assert chosen == [answer]


def test_the_measure_asked_for_adds_no_unit_to_the_answer() -> None:
    """"零售总额要达到多少亿元": another indicator's figure in 亿元 says nothing of it; the unit stays out."""
    from assistant.answering.select import Scored, select_units

    text = "社会消费品零售总额年均增长7.8%。\n一般公共预算收入达到10.18亿元。"
    chunk = Chunk("c5", "r.txt", "d5", "某区规划纲要", [], text, 1, 2)
    sales, revenue = units_of(chunk, 0)
    frame = parse_question("社会消费品零售总额要达到多少亿元？")
    terms = {"消费品": 5.4, "零售总额": 6.5, "达到": 1.0, "亿元": 3.6}
    scored = [Scored(sales, 0.9), Scored(revenue, 0.6)]
    assert select_units(scored, frame, [sales, revenue], threshold=0.0, extra=0.3, terms=terms, measure="亿元") == [
        sales]
    assert revenue in select_units(scored, frame, [sales, revenue], threshold=0.0, extra=0.3, terms=terms)


def test_a_question_asking_only_a_figure_adds_no_statement_without_one() -> None:
    """"经济增长目标是多少": "开拓新的经济增长点" names the words asked and holds no figure; it is not added. A
    question also asking something else ("基于什么考虑") keeps such a statement."""
    from assistant.answering.select import Scored, select_units

    text = "今年发展主要预期目标是：经济增长5%左右。\n要大力开拓新的经济增长点，培育发展新动能。"
    chunk = Chunk("c6", "r.txt", "d6", "政府工作报告", [], text, 1, 2)
    target, prose = units_of(chunk, 0)
    terms = {"经济增长": 3.6, "目标": 1.0, "动能": 2.0}
    scored = [Scored(target, 0.9), Scored(prose, 0.8)]
    only = select_units(scored, parse_question("今年经济增长目标是多少？"), [target, prose], threshold=0.0, extra=0.3,
                        terms=terms)
    assert prose not in only and target in only
    why = select_units(scored, parse_question("今年经济增长目标是多少？基于什么考虑？"), [target, prose],
                       threshold=0.0, extra=0.3, terms=terms)
    assert prose in why


def test_a_question_asking_a_number_is_not_answered_by_units_without_one() -> None:
    """"运营期限是多少年？" answered only by statements that give no number is declined; a number written in words
    ("二十日内", "翻一番") counts, an article's own number ("第四条") or "一批" does not."""
    from assistant.answering.figures import figure_missing

    def unit(text: str):
        chunk = Chunk("c5", "p.txt", "d5", "某市办法", [], text, 1, 1)
        return units_of(chunk, 0)[0]

    assert figure_missing("运营期限是多少年？", [unit("第四条　数据专区采取政府授权运营模式，形成一批示范成果。")])
    assert not figure_missing("多长时间内完成？", [unit("案件承办人应当在案件终结后二十日内完成审查。")])
    assert not figure_missing("目标是多少？", [unit("到2035年经济总量翻一番。")])
    # a rank asked ("排进前几名") is a number; "前几年" (the past years) asks none
    assert figure_missing("具体要在全国排进前几名？", [unit("打造现代供应链全国领先城市。")])
    assert not figure_missing("前几年的经验有哪些？", [unit("打造现代供应链全国领先城市。")])
    assert not figure_missing("运营模式是什么？", [unit("采取政府授权运营模式。")])  # no number asked
    assert figure_missing("普及率达到多少？", [unit("到2025年，基本普及。")])  # a year dates it, states nothing
    assert not figure_missing("规划了几个呼叫区域？", [unit("规划四大呼叫区域，整合产业链资源。")])  # "四大…" counts
    assert figure_missing("投资多少？", [unit("加大力度推进项目建设。")])  # (大 alone counts nothing)
    assert figure_missing("实际完成了多少？", [unit("以实际行动迎接党的二十大胜利召开。")])  # (a congress's name)
    # a figure in words the question gives itself ("四档并三档") is no answer to it, as a figure in digits is not
    bands = unit("简化增值税税率结构，今年由四档税率简并至三档，进一步减轻企业税收负担。")
    assert figure_missing("其中增值税四档并三档这一项能减多少？", [bands])
    assert not figure_missing("增值税税率简并到几档？", [bands])
    # an idiom holding numerals ("千家万户") states no figure
    care = unit("对提供助餐助行服务的机构给予税费减免，婴幼儿照护事关千家万户。")
    assert figure_missing("具体减免幅度是多少？", [care])
    assert not figure_missing("覆盖多少户？", [unit("惠及千家农户、万户居民。")])
    # a count in words with the counter the question asks by; not an ordinal, not a lone 一 of a word
    assert not figure_missing("治污实行的是几级网格管理？", [unit("继续实行四级网格管理治理大气污染。")])
    assert figure_missing("治污实行的是几级网格管理？", [unit("落实第三级网格责任。")])
    assert figure_missing("分几步走？", [unit("进一步推进网格管理。")])
    # a document's number and a day of the month are no amount, unless a day is asked
    assert figure_missing("调增后的增长目标是多少？", [unit("适当调增年度投资增长目标，依据《某某办法》（某政办〔2020〕9 号）。")])
    assert figure_missing("调增后的增长目标是多少？", [unit("于每月 25 日前报送下月任务分解情况。")])
    assert not figure_missing("每月几号前报送？", [unit("于每月 25 日前报送下月任务分解情况。")])
    assert not figure_missing("多少日内办结？", [unit("自受理之日起15日内办结。")])
    # how often ("多久通报一次") is answered by a period's report ("建立季度通报制度")
    assert not figure_missing("多久通报一次？", [unit("建立季度通报制度，通报地下水位变化情况。")])
    assert figure_missing("多久通报一次？", [unit("建立通报制度，通报地下水位变化情况。")])
    # a quoted name holding digits is no figure of what is asked, only of what it names
    policy = unit("全面落实“16条”金融支持房地产政策，“一楼一策”推动问题楼盘化解。")
    assert figure_missing("保交楼今年要交付多少套房？", [policy])
    assert not figure_missing("落实的金融支持房地产政策是多少条？", [policy])
    # a share in words (万分之一) and a count by a counter (三档, 几折) are figures
    assert not figure_missing("重错码率要压到多少？", [unit("重错码率降至万分之一以下。")])
    assert not figure_missing("增值税税率要并成几档？", [unit("今年由四档税率简并至三档。")])
    assert figure_missing("租金折扣具体是几折？", [unit("提供更长久的租赁期限，提供优惠的租金折扣。")])
    circle = unit("新建或改扩建体育公园，提升“15分钟健身圈”质量。")  # (or what it names in it)
    assert not figure_missing("健身圈按几分钟来打造？", [circle])
    assert figure_missing("体育公园要新建几个？", [circle])
    assert figure_missing("5G基站建设目标是多少个？", [unit("加大5G网络和千兆光网建设力度。")])  # a name, no figure
    assert not figure_missing("新建5G基站多少个？", [unit("新建5G基站2.3万个以上。")])
    # a figure the question gives itself is not the one it asks for
    asked = "今年的20项民生工程里，新增普惠托位多少个？"
    assert figure_missing(asked, [unit("继续实施20项民生工程，增强人民群众获得感。")])
    assert not figure_missing(asked, [unit("20项民生工程：新增普惠托位1.2万个。")])
    assert not figure_missing("去年增长5%，今年目标是多少？", [unit("今年增长5.5%左右。")])
    # nor is a list item's own number
    assert figure_missing("要打造几个乡村旅游示范县？", [unit("6.乡村旅游业培育工程。")])
    assert not figure_missing("要打造几个乡村旅游示范县？", [unit("6.打造乡村旅游示范县3个。")])
    # nor is a count in words the question gives itself ("十件民生实事…有多少个候选项目")
    chosen = unit("首次由省人大常委会测评候选项目，推动省十件民生实事更贴民意。")
    assert figure_missing("某省十件民生实事由人大测评，一共有多少个候选项目参评？", [chosen])
    assert not figure_missing("某省民生实事一共几件？", [chosen])
    # a standard's code with its year is a name, not a figure
    assert figure_missing("要新建多少个乡镇消防站？", [unit("符合《乡镇消防队》（GB/T3557—2017）建队条件的乡镇全部完成建队任务；")])
    # a target set without a figure answers as it is
    assert not figure_missing("居民收入增长目标是多少？", [unit("居民收入增长和经济增长同步。")])
    assert not figure_missing("居民消费价格涨幅目标是多少？", [unit("居民消费价格涨幅与全国一致。")])
    from assistant.answering.candidates import Candidate

    text = "分类：健康水平；指标名称：健康预期寿命（岁）；指标值·2020年：—；指标值·2025年：同比例提高"
    row = Candidate(0, Chunk("c8", "t.txt", "d8", "某市规划", [], text, 1, 1), text, text, "row")
    assert figure_missing("人均预期寿命达到多少岁？", [row])  # its column names hold years, its cells no number
    from assistant.answering.figures import lacks_asked_figure

    # a document's metadata asked as a number ("有效期是几年") is not answered by its title line, which has none
    title = unit("某市经济和信息化局印发《关于推进数据专区建设的指导意见》的通知")
    assert lacks_asked_figure("metadata", "数据专区指导意见的有效期是几年？", None, [title])
    assert not lacks_asked_figure("metadata", "指导意见是什么时候印发的？", None, [title])
    # an ordinal asked ("第几届") is answered by one ("第七届"), which is no amount
    games = unit("精心筹办冬季运动会，办好第七届世界军人运动会。")
    assert not lacks_asked_figure("quantity", "报告里说要办好的世界军人运动会是第几届？", None, [games])
    assert lacks_asked_figure("quantity", "报告里说要办好的世界军人运动会是第几届？", None, [unit("办好世界军人运动会。")])
    # ... nor is it an indicator stated without a figure ("开展第四次全国文物普查"); "第几次", "这回" are no terms
    from assistant.answering.figures import stated_without_figure
    from assistant.answering.stats import CollectionStats
    from assistant.answering.terms import question_terms

    asked = "某年报告里，全国文物普查这回是第几次了？"
    terms = question_terms(parse_question(asked), CollectionStats({}, 10, []))
    assert not {"第几次", "这回"} & set(terms.weights)
    survey = unit("开展第四次全国文物普查，加强文物系统性保护和合理利用。")
    assert not stated_without_figure(asked, [survey], [survey], terms)
    # a share said in words ("清偿一半以上") is the figure asked
    assert not lacks_asked_figure("quantity", "对拖欠企业的款项年底前要还上多少？", None, [unit("对拖欠企业的款项年底前要清偿一半以上。")])


def test_a_figure_in_the_measure_asked_must_stand_by_the_thing_asked() -> None:
    """"毕业生留在省内就业的有多少人" answered by a statement whose only figure in 人 is another thing's ("培养高层次
    人才995人") while the graduates are given as a share is declined; a figure in the clause after the one naming
    the thing ("对上市辅导获受理的企业，给予15万元") answers."""
    from assistant.answering.candidates import Candidate
    from assistant.answering.measures import measure_apart

    def unit(text: str, kind: str = "sentence") -> Candidate:
        chunk = Chunk("c7", "q.txt", "d7", "某省政府工作报告", [], text, 1, 1)
        return Candidate(0, chunk, text, text, kind)

    said = unit("持续实施人才计划，支持培养高层次人才995人，省内高校毕业生67.5%留省就业。")
    assert measure_apart("人", [said], ["留在", "省内", "就业", "高校", "毕业生"])
    assert not measure_apart("人", [said], ["高层次", "人才"])
    # the measure asked names no thing: "接待入境游客…多少万人次" is not answered by "法律咨询服务30万人次"
    from assistant.answering.checks import _asked_words
    from assistant.answering.stats import CollectionStats
    from assistant.answering.terms import question_terms

    terms = question_terms(parse_question("某省今年接待入境游客的目标是多少万人次？"), CollectionStats({}, 10, []))
    words = _asked_words(terms)
    assert "万人次" not in words and "游客" in words
    assert measure_apart(terms.measure, [unit("年度目标：为当事人提供法律咨询服务30万人次，办理法律援助案件8万件。")], words)
    granted = unit("对上市辅导报备并获受理的企业，市财政给予15万元推动资金。")
    assert not measure_apart("元", [granted], ["上市", "辅导", "受理"])
    assert not measure_apart("个", [said], ["毕业生"])  # the general counter measures nothing of its own



def test_a_figure_about_is_in_its_measure_and_so_are_people_named_by_a_word() -> None:
    """"多少人受益" is answered by "6600多万纳税人受益" (about a figure, and people named by a word ending in 人);
    "50万元人才补贴" is money, no count of people."""
    from assistant.answering.candidates import Candidate
    from assistant.answering.measures import measure_missing

    def unit(text: str) -> Candidate:
        chunk = Chunk("c9", "q.txt", "d9", "某年政府工作报告", [], text, 1, 1)
        return Candidate(0, chunk, text, text, "sentence")

    assert not measure_missing("人", [unit("提高扣除标准，6600多万纳税人受益。")])
    assert not measure_missing("人", [unit("培训3000余人。")])
    assert measure_missing("人", [unit("发放50万元人才补贴。")])


def test_a_figure_asked_of_a_quoted_name_is_not_another_things() -> None:
    """"专精特新“小巨人”企业培育了多少家" answered by "专精特新中小企业达7万多家" (never saying 小巨人) is declined;
    a quoted plan period ("“十四五”期间") names nothing."""
    from assistant.answering.candidates import Candidate
    from assistant.answering.checks import quoted_missing

    def unit(text: str) -> Candidate:
        chunk = Chunk("c10", "q.txt", "d10", "某年政府工作报告", [], text, 1, 1)
        return Candidate(0, chunk, text, text, "sentence")

    assert quoted_missing("专精特新“小巨人”企业培育了多少家？", [unit("专精特新中小企业达7万多家。")])
    assert not quoted_missing("专精特新“小巨人”企业培育了多少家？", [unit("专精特新“小巨人”企业达1.2万家。")])
    assert not quoted_missing("“十四五”期间力争几家企业上市？", [unit("到2025年力争5家以上企业成功上市。")])


def test_a_rate_asked_is_not_answered_by_units_naming_no_word_of_it() -> None:
    """"城市生活垃圾无害化处理率25年目标是多少" answered by the row of "资源化利用率" is declined; a row naming the
    rate answers, and a growth rate ("增长率") is said by its figure."""
    from assistant.answering.candidates import Candidate
    from assistant.answering.checks import rate_unnamed
    from assistant.answering.stats import CollectionStats
    from assistant.answering.terms import question_terms

    def unit(text: str) -> Candidate:
        chunk = Chunk("c11", "r.txt", "d11", "某市城市更新规划", ["主要指标"], text, 1, 1)
        return Candidate(0, chunk, text, text, "row")

    def unnamed(asked: str, text: str) -> bool:
        return rate_unnamed(asked, [unit(text)], question_terms(parse_question(asked), CollectionStats({}, 10, [])))

    asked = "城市更新规划里，城市生活垃圾无害化处理率25年目标是多少？"
    assert unnamed(asked, "指标：城市生活垃圾资源化利用率；2025 年：60%")
    assert not unnamed(asked, "指标：城市生活垃圾无害化处理率；2025 年：100%")
    assert not unnamed("规上工业增加值增长率目标是多少？", "规上工业增加值增长6%左右。")
    # a rate said as a share of its stem ("优良率" as "优良水体比例") is named
    assert not unnamed("某省24年国考断面地表水优良率多少？", "地表水国考断面优良水体比例90%。")
    assert unnamed("某省24年国考断面地表水优良率多少？", "地表水国考断面水质达标比例90%。")
    # a rate named with an aside ("生活污水治理（管控）率") is named
    assert not unnamed("某省惠民实事里，农村污水治理管控率的目标是多少？", "农村生活污水治理（管控）率达到60%。")


def test_a_part_of_a_figure_the_question_gives_is_not_answered_by_the_whole() -> None:
    """"76个区域医疗中心，儿科方向的有几个" answered by "布局建设76个国家区域医疗中心" (the whole the question gives) is
    declined; a clause naming the part with a figure of its own answers, and a question giving no figure is not
    judged so."""
    from assistant.answering.candidates import Candidate
    from assistant.answering.checks import part_of_given
    from assistant.answering.stats import CollectionStats
    from assistant.answering.terms import question_terms

    def given(asked: str, text: str, kind: str = "sentence") -> bool:
        chunk = Chunk("c12", "g.txt", "d12", "某年政府工作报告", [], text, 1, 1)
        terms = question_terms(parse_question(asked), CollectionStats({}, 10, []))
        return part_of_given(asked, [Candidate(0, chunk, text, text, kind)], terms)

    asked = "报告说布局建设的76个区域医疗中心，儿科方向的有几个？"
    assert given(asked, "设置13个国家医学中心，布局建设76个国家区域医疗中心。")
    assert not given(asked, "布局建设76个国家区域医疗中心，其中儿科方向9个。")
    assert not given("儿科方向的区域医疗中心有几个？", "布局建设76个国家区域医疗中心。")  # (no figure given)
    money = "乡村振兴补短板工程那354亿投资里，省级财政出了多少？"
    assert given(money, "实施项目2113个，完成投资354亿元。")
    assert not given(money, "完成投资354亿元，省级财政投入62亿元。")
    # a figure given that the units do not restate: they speak of something else, judged by the other checks
    assert not given("十件民生实事里的农村公路，今年各要修多少公里？", "新改建农村公路1万公里以上。")
    # a share in words is a figure ("占比超过三分之一"); a table row is one statement
    assert not given("那22个重点产业集群，战新产业营收占比到多少了？", "22个重点产业集群中，战新产业营收占比超过三分之一。")
    row = "指标：研发投入强度（%）；2020年：1.52%；2025年：2.6%"
    asked = "规划（2021—2035）指标表里20年是1.52%，研发投入强度25年目标是多少？"
    assert not given(asked, row, "row") and given(asked, row.replace("2.6", "一"), "row")
    # an enumeration's members stand apart: 水泥's figure is not 炼铁's; a clause pairing them ("分别") stays whole
    steel = "这几年淘汰落后炼钢炼铁产能9000多万吨，这里面光炼铁就淘汰了多少？"
    assert given(steel, "近三年淘汰落后炼钢炼铁产能9000多万吨、水泥2.3亿吨、平板玻璃7600多万重量箱。")
    assert not given(steel, "淘汰落后炼钢炼铁产能9000多万吨，其中炼铁、炼钢分别为4000万吨、5000万吨。")
    # the part told from what is given by the words the giving clause does not say (登记, not 城镇): a target list
    # restating the given figure beside other indicators' figures does not answer
    targets = "居民消费价格涨幅3%左右，城镇新增就业4.9万人，城镇调查失业率控制在5.5%左右。"
    jobless = "报告里城镇调查失业率控制在5.5%左右，那城镇登记失业率要控制在多少以内？"
    assert given(jobless, targets)
    assert not given(jobless, targets + "城镇登记失业率控制在4.5%以内。")


def test_a_figure_per_head_asked_is_not_answered_by_the_total() -> None:
    """"每千名老年人拥有养老床位多少张" answered by the total ("养老服务床位数：3.38万张") is declined; a figure per
    thousand, per head (人均) or in per mille answers."""
    from assistant.answering.candidates import Candidate
    from assistant.answering.measures import per_head_missing

    def unit(text: str) -> Candidate:
        chunk = Chunk("c8", "q.txt", "d8", "某市规划", [], text, 1, 1)
        return Candidate(0, chunk, text, text, "sentence")

    asked = "到2025年每千名老年人拥有养老床位数的目标是多少张？"
    assert per_head_missing(asked, [unit("养老服务床位数达到3.38万张。")])
    assert not per_head_missing(asked, [unit("每千名老年人拥有养老床位数达到35张。")])
    assert per_head_missing("人均地区生产总值定到多少？", [unit("地区生产总值达到5000亿元。")])
    assert not per_head_missing("人均地区生产总值定到多少？", [unit("人均地区生产总值达到10万元。")])
    assert not per_head_missing("养老床位有多少张？", [unit("养老服务床位数达到3.38万张。")])
    # per head of another thing: "每千人口执业医师数" is not answered by "每千人医疗床位数"; the bound is no thing
    assert per_head_missing("每千人口执业（助理）医师数是多少？", [unit("每千人医疗床位数7.75张。")])
    assert not per_head_missing("每千人口执业（助理）医师数是多少？", [unit("每千人口执业医师数达到3.2人。")])
    assert not per_head_missing("新建小区每百户不少于多少平米？", [unit("新建小区按照每百户不低于30平方米配建。")])
    # the other way round: a count asked of a thing ("规划床位是多少张") is not answered by a figure per thousand
    per_thousand = unit("2020年，三级医疗机构达到7家，每千常住人口医疗卫生机构床位数达到5.57张。")
    assert per_head_missing("要建的某某医疗中心，规划床位是多少张？", [per_thousand], "张")
    assert not per_head_missing("要建的某某医疗中心，规划床位是多少张？", [unit("医疗中心设置床位500张。")], "张")
    assert not per_head_missing("每千人床位是多少张？", [per_thousand], "张")
    assert not per_head_missing("农民收入是多少元？", [unit("农村居民人均可支配收入19708元。")], "元")  # (人均 left out)
    # a part of a question that names the per-head indicator before its parts ("每万人口…拥有量，甲…？乙…多少件？")
    patents = unit("全省每万人口高价值发明专利拥有量达到12件。")
    assert per_head_missing("乙25年要求全省达到多少件？", [patents], "件")
    assert not per_head_missing("乙25年要求全省达到多少件？", [patents], "件",
                                "每万人口高价值发明专利拥有量，甲24年到多少件了？乙25年要求全省达到多少件？")
    # so for each person or household ("每人每月发多少钱"): a rate of growth or another thing's total is no answer
    subsidy = unit("困难残疾人生活补贴标准增长6.5%，发放各类社会救助资金57.7亿元。")
    assert per_head_missing("困难残疾人生活补贴是每人每月发多少钱？", [subsidy])
    assert not per_head_missing("生活补贴是每人每月发多少钱？", [unit("生活补贴按每人每月200元发放。")])


def test_a_total_asked_is_not_answered_by_what_was_added() -> None:
    """"4A级景区总共有多少家" answered only by "新增4A级以上景区10家" is declined; a statement giving the total too,
    or a question asking what was added, is answered."""
    from assistant.answering.candidates import Candidate
    from assistant.answering.measures import increment_as_total

    def unit(text: str) -> Candidate:
        chunk = Chunk("c8", "q.txt", "d8", "某省政府工作报告", [], text, 1, 1)
        return Candidate(0, chunk, text, text, "sentence")

    added = unit("支持争创世界级旅游景区，新增4A级以上景区10家。")
    assert increment_as_total("某省现在4A级景区总共有多少家？", [added], "家")
    assert not increment_as_total("某省去年新增4A级景区多少家？", [added], "家")
    assert not increment_as_total("全国重点实验室一共多少家？", [unit("新增全国重点实验室15家、总数达36家。")], "家")
    assert not increment_as_total("某省现在4A级景区总共有多少家？", [added], None)


def test_a_question_asking_how_many_of_a_measure_needs_a_figure_in_it() -> None:
    """"要达到多少亿元" answered only by a rate ("年均增长7.8%") is declined; "多少人" is answered by "3600名", and a
    table row gives its measure once, in a column."""
    from assistant.answering.candidates import Candidate
    from assistant.answering.measures import measure_missing

    def unit(text: str, kind: str = "sentence") -> Candidate:
        chunk = Chunk("c6", "q.txt", "d6", "某区规划", [], text, 1, 1)
        return Candidate(0, chunk, text, text, kind)

    assert measure_missing("亿元", [unit("社会消费品零售总额年均增长7.8%。")])
    assert not measure_missing("亿元", [unit("财政赤字1.62万亿元。")])
    assert measure_missing("小时", [unit("出口退税平均办理时间压缩至3个工作日以内。")])
    assert not measure_missing("人", [unit("引进留用3600名高层次银龄人才。")])
    assert not measure_missing("家", [unit("指标名称：规模以上服务业企业数量；单位：家；2025 年：650", "row")])
    assert not measure_missing(None, [unit("增长7.8%。")])
    assert not measure_missing("天", [unit("应当在5个工作日内答复。")])  # 天, 日 and 工作日 count days alike
    assert not measure_missing("个", [unit("培育高新技术企业600家。")])  # 个 is the general counter
    # hospitals and schools are counted by 家 or 所, firms and households by 家 or 户 (所 is no 户)
    assert not measure_missing("家", [unit("每个县依托1所综合实力较强的县级医院建设医学中心。")])
    assert not measure_missing("家", [unit("新增市场主体2.3万户。")])
    assert measure_missing("户", [unit("新建中小学12所。")])
    # a rate's change in points is read from its percentages ("提高多少个百分点": "提高到67%左右")
    assert not measure_missing("个百分点", [unit("到2025年，农业科技进步贡献率提高到67%左右。")])
    assert measure_missing("个百分点", [unit("新建高标准农田20万亩。")])
    # a figure followed by the thing counted is in the measure ("在校学生多少人": "2.9亿在校学生"), not one the
    # question names itself as context ("6号线东站段建成后，运营里程要达到多少公里")
    assert not measure_missing("人", [unit("全国有2.9亿在校学生。")], "全国在校学生有多少人？")
    line = unit("建成6号线东站段、4号线西延伸段，提高市民出行便利度。")
    assert measure_missing("公里", [line], "6号线东站段、4号线西延伸段建成后，运营里程要达到多少公里？")
    # a share asked by its name ("在制造业里占比多少了") is a figure in %, in words ("超过三分之一", "五成") or a ratio
    from assistant.answering.terms import _asked_measure

    assert _asked_measure("某省先进制造业在制造业里占比多少了") == "%"
    assert _asked_measure("开工备案项目的比例到了多少？") == "%" and _asked_measure("比重提高到多少？") == "%"
    assert _asked_measure("比例最高的是哪个？") is None
    assert measure_missing("%", [unit("以先进制造业高地3大标志性工程为牵引。")])
    assert not measure_missing("%", [unit("先进制造业占制造业比重超过50%。")])
    assert not measure_missing("%", [unit("战新产业营收占比超过三分之一。")])
    assert not measure_missing("%", [unit("县域经济占全省经济总量五成以上。")])
    assert not measure_missing("%", [unit("开工备案项目比例达到1∶3.4，创近年新高。")])
    # things counted by counters of their own (cases 起, shows 场, episodes 集, medals 块/枚) are asked in them
    assert _asked_measure("十三五一共查了几起？") == "起" and _asked_measure("一共拿了几块金牌？") == "块"
    assert measure_missing("起", [unit("查处各类案件1万余件，罚没数十亿元。")])
    assert not measure_missing("起", [unit("查处亿元传销大案3起。")])
    assert measure_missing("场", [unit("每年创评十星级文明户 1000 户。")])


def test_a_fact_question_asking_how_many_years_needs_a_number_too() -> None:
    """"运营授权期限是几年？" (not read as a quantity question) is not answered by a statement with no number; a list
    question ("哪几年的") is left alone."""
    from assistant.answering.figures import lacks_asked_figure

    chunk = Chunk("c7", "r.txt", "d7", "某市指导意见", [], "数据专区采取政府授权运营模式。", 1, 1)
    units = units_of(chunk, 0)
    question = "数据专区运营单位的运营授权期限是几年？"
    assert lacks_asked_figure(parse_question(question).answer_type, question, None, units)
    assert not lacks_asked_figure("list", question, None, units)


def test_a_sentence_two_overlapping_chunks_share_is_shown_once() -> None:
    from assistant.answering.candidates import Candidate
    from assistant.answering.offline import FacetAnswer, assemble
    from assistant.models import Retrieved

    text = "推动重大风险防范化解取得明显进展。"
    first = Chunk("a1", "r.txt", "d8", "政府工作报告", [], "要标本兼治。" + text, 1, 2)
    second = Chunk("a2", "r.txt", "d8", "政府工作报告", [], text + "加大精准脱贫力度。", 2, 3)
    units = [Candidate(0, first, text, text, "sentence", pos=1), Candidate(1, second, text, text, "sentence")]
    draft = assemble([FacetAnswer("", units, 0.9)], [Retrieved(first, 1.0), Retrieved(second, 0.9)], k=2,
                     multi=False)
    assert draft.text.count(text) == 1


def test_the_sources_an_answer_cites_are_listed_first_in_the_order_it_cites_them() -> None:
    """An answer quoting the 6th retrieved passage, then the 2nd, numbers them [1] and [2] and lists them first; the
    other passages shown follow in retrieval order (an answer from a document's outline cites passages the search
    ranked low: they come first, not after five passages it does not use)."""
    from assistant.answering.candidates import Candidate
    from assistant.answering.offline import FacetAnswer, assemble
    from assistant.models import Retrieved

    chunks = [Chunk(f"c{i}", "r.txt", "d9", "某规划", [], f"第{i}段内容。", i, i) for i in range(7)]
    six = Candidate(6, chunks[6], "第6段内容。", "第6段内容。", "sentence")
    two = Candidate(2, chunks[2], "第2段内容。", "第2段内容。", "sentence")
    draft = assemble([FacetAnswer("", [six, two], 0.9)], [Retrieved(c, 1.0 - i / 10) for i, c in enumerate(chunks)],
                     k=5, multi=False)
    assert draft.text == "第6段内容。[1]\n第2段内容。[2]"
    assert [r.chunk.id for r in draft.contexts] == ["c6", "c2", "c0", "c1", "c3", "c4"]


def test_the_cover_letter_that_passes_a_document_on_is_recognised() -> None:
    """"现将《…》印发给你们" and the letter's title "…关于印发《…》的通知" say who issued what to whom: they answer
    who issued a document, never what it says."""
    from assistant.answering.candidates import transmits

    assert transmits("现将《某州政务数据资源管理暂行办法》印发你们，请认真遵照执行。")
    assert transmits("《某省关于加快对接RCEP经贸新规则实施意见》现印发给你们，请认真贯彻执行。")
    assert transmits("某州人民政府办公室关于印发《某州政务数据资源管理暂行办法》的通知")
    assert transmits("某市人民政府 关于印发某市新型城镇化和城乡融合发展规划（2021—2035年）的 通 知")  # (set out spaced)
    assert transmits("《某市行政复议决定书网上公开办法》已经市政府同意，现予以印发，请认真组织实施。")
    assert transmits("某州人民政府办公室")  # the letter's signature
    assert not transmits("市财政局负责资金拨付。")
    assert not transmits("第一条　为规范政务数据资源管理，制定本办法。")
    assert not transmits("本办法自发布之日起执行。")


def test_an_indicator_a_target_statement_names_without_a_figure_has_none_set() -> None:
    """"固定资产投资增长目标是多少" where the targets say "固定资产投资提质提效，社会消费品零售总额增长5%左右":
    the clause that names it holds no figure, so the figure beside it is no answer. In other prose a short clause
    without a figure introduces the one that has it."""
    from assistant.answering.candidates import Candidate
    from assistant.answering.figures import stated_without_figure
    from assistant.answering.terms import QuestionTerms

    def unit(text: str) -> Candidate:
        chunk = Chunk(id=text, source="r.txt", doc_id="r", title="政府工作报告", section=[], text=text,
                      line_start=1, line_end=1)
        return Candidate(0, chunk, text, text, "sentence")

    terms = QuestionTerms({"固定资产": 4.6, "投资": 2.2, "增长": 1.9, "目标": 2.3}, "固定资产", set(), None)
    targets = unit("今年主要预期目标是：固定资产投资提质提效，社会消费品零售总额增长5%左右，进出口总额稳量提质；")
    assert stated_without_figure("今年固定资产投资增长目标是多少？", [targets], [targets], terms)
    said = unit("今年主要预期目标是：固定资产投资增长5%左右，社会消费品零售总额增长5%左右；")
    assert not stated_without_figure("今年固定资产投资增长目标是多少？", [said], [said], terms)
    housing = QuestionTerms({"保障性": 4.1, "安居工程": 5.1, "新开工": 4.6}, "安居工程", set(), None)
    prose = unit("加大保障性安居工程建设力度，今年新开工700万套以上。")
    assert not stated_without_figure("保障性安居工程今年新开工多少套？", [prose], [prose], housing)
    # a plan period the asking clause names is when, not what: "“十四五”时期主要目标任务" states no indicator
    years = QuestionTerms({"十四五": 6.0, "报告": 1.0, "提高": 1.5, "受教育": 5.0}, "十四五", set(), None)
    plan = unit("“十四五”时期主要目标任务是，劳动年龄人口平均受教育年限提高到11.3年。")
    assert not stated_without_figure("受教育年限，到了十四五（21年的报告）又要提高到多少年？", [plan], [plan], years)
    # a name holding digits is no figure, a gloss in brackets makes no clause longer, and "…排放量要下降3%" is that
    # indicator's own figure: "PM2.5浓度要下降百分之几" is stated without one
    air = QuestionTerms({"pm2.5": 4.6, "浓度": 4.5, "下降": 3.2, "重点": 1.2, "地区": 2.4}, "pm2.5", set(), None)
    smog = unit("巩固扩大蓝天保卫战成果，今年二氧化硫、氮氧化物排放量要下降3%，重点地区细颗粒物（PM2.5）浓度继续下降。")
    assert stated_without_figure("今年重点地区PM2.5浓度要下降百分之几？", [smog], [smog], air)
    fine = unit("今年二氧化硫、氮氧化物排放量要下降3%，重点地区细颗粒物（PM2.5）浓度下降3%。")
    assert not stated_without_figure("今年重点地区PM2.5浓度要下降百分之几？", [fine], [fine], air)
    # a word saying the change ("降幅") is what is asked of the indicator, never its name, however rare
    rate = QuestionTerms({"pm2.5": 4.6, "降幅": 6.6, "重点": 1.2, "地区": 2.4}, "降幅", set(), None)
    assert stated_without_figure("当年重点地区PM2.5定的降幅目标是多少？", [smog], [smog], rate)


def test_targets_set_under_their_own_heading_are_a_target_statement() -> None:
    """A list of targets under its own heading ("主要预期目标") sets them as much as one that says so in its text:
    "居民收入增长目标是百分之几" answered by "…增长5%,居民收入稳步增长,…" has no figure set. A heading of the
    part it stands in ("二、今年目标任务" over the year's work) does not make its prose a target statement."""
    from assistant.answering.candidates import Candidate
    from assistant.answering.figures import stated_without_figure
    from assistant.answering.terms import QuestionTerms

    def unit(text: str, section: list[str]) -> Candidate:
        chunk = Chunk(id=text, source="r.txt", doc_id="r", title="政府工作报告", section=section, text=text,
                      line_start=1, line_end=1)
        return Candidate(0, chunk, text, text, "sentence")

    terms = QuestionTerms({"居民收入": 6.0, "增长": 3.2, "预期": 3.0, "目标": 1.8}, "居民收入", set(), None)
    text = "生产总值增长7.5%以上,一般公共预算收入增长5%,居民收入稳步增长,城镇新增就业4.9万人。"
    q = "居民收入增长的预期目标是百分之几？"
    listed = unit(text, ["某市2021年经济社会发展主要预期目标"])
    assert stated_without_figure(q, [listed], [listed], terms)
    within = unit(text, ["二、2021年目标任务", "（三）保障和改善民生"])
    assert not stated_without_figure(q, [within], [within], terms)



def test_an_indicator_said_without_a_figure_beside_another_indicator_s_figure() -> None:
    """Outside a statement of targets, "研发经费投入强度要提到多少" answered by "全省研发经费投入强度进一步提升，技术合同
    成交额5000亿元以上": the only figure is of an indicator its own clause names (成交额), so the asked one has none.
    A figure that continues what the clause before it names ("…建设力度，今年新开工700万套以上") still answers."""
    from assistant.answering.candidates import Candidate
    from assistant.answering.figures import stated_without_figure
    from assistant.answering.terms import QuestionTerms

    def unit(text: str) -> Candidate:
        chunk = Chunk(id=text, source="r.txt", doc_id="r", title="政府工作报告", section=["（三）加快创新"], text=text,
                      line_start=1, line_end=1)
        return Candidate(0, chunk, text, text, "sentence")

    terms = QuestionTerms({"全省": 1.2, "研发": 3.0, "经费": 3.1, "投入": 2.0, "强度": 4.2}, "强度", set(), None)
    q = "今年全省研发经费投入强度要提到多少？"
    other = unit("全省研发经费投入强度进一步提升，技术合同成交额5000亿元以上。")
    assert stated_without_figure(q, [other], [other], terms)
    own = unit("全省研发经费投入强度进一步提升，达到2.5%以上。")
    assert not stated_without_figure(q, [own], [own], terms)
    named = unit("全省研发经费投入强度进一步提升，研发经费投入强度达到2.5%以上。")
    assert not stated_without_figure(q, [named], [named], terms)


def test_an_amount_asked_is_not_answered_by_how_it_changed() -> None:
    """"技术合同成交额是多少" answered only by "吸纳外地技术合同成交额增长34.8%" gives its change, not the amount; a
    clause giving the amount answers, and a change asked ("增长了多少") is answered by the rate."""
    from assistant.answering.candidates import Candidate
    from assistant.answering.measures import change_as_amount

    def unit(text: str) -> Candidate:
        chunk = Chunk(id=text, source="r.txt", doc_id="r", title="政府工作报告", section=[], text=text,
                      line_start=1, line_end=1)
        return Candidate(0, chunk, text, text, "sentence")

    words = ["技术", "合同", "成交额"]
    rate = unit("吸纳外地技术合同成交额增长34.8%。")
    assert change_as_amount("去年的技术合同成交额是多少？", [rate], words)
    amount = unit("技术合同成交额1900亿元，增长20%。")
    assert not change_as_amount("去年的技术合同成交额是多少？", [amount], words)
    # an amount in any unit of the vocabulary is one ("开行中欧班列2286列、增长7.7%" gives the count, not only its change)
    trains = unit("开行中欧班列2286列、增长7.7%。")
    assert not change_as_amount("去年开行了多少列中欧班列？", [trains], ["中欧", "班列"], "列")
    assert not change_as_amount("去年技术合同成交额增长了多少？", [rate], words)
    # an amount asked in its measure ("多少元") of an indicator not named as one: its weightiest word names it
    income = ["可支配", "居民", "收入"]
    changed = unit("地区生产总值35538亿元、增长5.3%，一般公共预算收入3393.1亿元，居民人均可支配收入增长5.5%。")
    assert change_as_amount("去年居民人均可支配收入是多少元？", [changed], income, "元")
    assert not change_as_amount("去年居民人均可支配收入是多少？", [changed], income)
    stated = unit("居民人均可支配收入31234元，增长5.5%。")
    assert not change_as_amount("去年居民人均可支配收入是多少元？", [stated], income, "元")


def test_a_share_written_in_words_is_a_figure() -> None:
    """"专项转移支付项目要压减多少" is answered by "要减少三分之一": a share in words is a figure."""
    from assistant.answering.candidates import Candidate
    from assistant.answering.figures import figure_missing

    text = "提高一般性转移支付比例，专项转移支付项目要减少三分之一，今后还要进一步减少。"
    chunk = Chunk(id="t", source="r.txt", doc_id="r", title="政府工作报告", section=[], text=text, line_start=1, line_end=1)
    unit = Candidate(0, chunk, text, text, "sentence")
    assert not figure_missing("专项转移支付项目要压减多少？", [unit])
    vague = Candidate(0, chunk, "今后还要进一步减少。", "今后还要进一步减少。", "sentence")
    assert figure_missing("专项转移支付项目要压减多少？", [vague])


def test_the_words_that_set_targets_name_no_indicator() -> None:
    """"进出口增长目标是多少" where the targets say "今年主要预期目标是：国内生产总值增长6.5%，进出口回稳向好": the
    lead-in's 目标 is said of every target, so it does not make the GDP clause say more of the question than the
    clause that names 进出口 without a figure."""
    from assistant.answering.candidates import Candidate
    from assistant.answering.figures import stated_without_figure
    from assistant.answering.terms import QuestionTerms

    text = "今年主要预期目标是：国内生产总值增长6.5%左右，进出口回稳向好，居民收入增长和经济增长基本同步。"
    chunk = Chunk(id="t", source="r.txt", doc_id="r", title="政府工作报告", section=[], text=text, line_start=1, line_end=1)
    unit = Candidate(0, chunk, text, text, "sentence")
    terms = QuestionTerms({"进出口": 3.6, "增长": 1.9, "目标": 2.3}, "进出口", set(), None)
    assert stated_without_figure("今年给进出口定的增长目标是多少？", [unit], [unit], terms)



def test_a_share_asked_is_not_answered_by_the_thing_s_growth() -> None:
    """"研发投入强度要达到多少" answered by "企业研发投入增长15%以上" gives another measure of the same thing; a clause
    that states the share answers ("研发投入强度3.6%左右"), and so does one that states both."""
    from assistant.answering.candidates import Candidate
    from assistant.answering.indicators import share_as_change
    from assistant.answering.terms import QuestionTerms

    def unit(text: str) -> Candidate:
        chunk = Chunk(id=text, source="r.txt", doc_id="r", title="政府工作报告", section=[], text=text,
                      line_start=1, line_end=1)
        return Candidate(0, chunk, text, text, "sentence")

    terms = QuestionTerms({"全社会": 3.0, "研发投入": 5.2, "强度": 4.4, "达到": 1.2}, "研发投入", set(), None)
    q = "今年全社会研发投入强度要达到多少？"
    assert share_as_change(q, [unit("企业研发投入增长15%以上，高新技术企业突破1.5万家。")], terms)
    assert not share_as_change(q, [unit("预计全省研发经费支出约5100亿元、研发投入强度3.6%左右。")], terms)
    assert not share_as_change(q, [unit("研发投入增长10%，研发投入强度达到2.5%。")], terms)
    assert not share_as_change("今年研发投入增长多少？", [unit("企业研发投入增长15%以上。")], terms)
    # a share asked as "X占Y的比重" is of X: its growth ("X增长", "X、Z分别增长") is no share
    high = QuestionTerms({"高新技术": 5.0, "产业": 1.5, "增加值": 3.0, "规上": 4.0, "工业": 2.0}, "高新技术", set(), None)
    q = "某省去年高新技术产业增加值占规上工业的比重是多少？"
    assert share_as_change(q, [unit("技术合同成交额1900亿元，高新技术产业增加值增长11.2%。")], high)
    assert share_as_change(q, [unit("高新技术产业增加值、规上工业增加值分别增长11.2%、7.5%。")], high)
    assert not share_as_change(q, [unit("高新技术产业增加值占规上工业增加值的比重达到22%。")], high)


def test_another_indicator_s_figure_does_not_answer_the_one_asked() -> None:
    """"城镇登记失业率控制在多少" answered by "城镇调查失业率5.5%左右" is another indicator's figure; a shortening
    (规上 for 规模以上), a scope word before the indicator or a more specific wording of the asked one is not."""
    from assistant.answering.candidates import Candidate
    from assistant.answering.indicators import swapped_indicator
    from assistant.answering.terms import QuestionTerms

    def unit(text: str, kind: str = "sentence") -> Candidate:
        chunk = Chunk(id=text, source="r.txt", doc_id="r", title="政府工作报告", section=[], text=text,
                      line_start=1, line_end=1)
        return Candidate(0, chunk, text, text, kind)

    jobless = QuestionTerms({"城镇": 2.8, "登记": 4.2, "失业率": 4.0, "控制": 3.8}, "登记", set(), None)
    asked = "今年城镇登记失业率控制在多少以内？"
    assert swapped_indicator(asked, [unit("城镇调查失业率5.5%左右，城镇新增就业70万人以上；")], jobless, frozenset())
    assert not swapped_indicator(asked, [unit("城镇调查失业率5.5%左右，城镇登记失业率4.5%以内；")], jobless, frozenset())
    assert not swapped_indicator(asked, [unit("全省失业率控制在4.5%以内。")], jobless, frozenset())
    # nor a scope word the question puts before it: "全市…事故起数" is the city's, named by its name ("某市…起数")
    accidents = QuestionTerms({"全市": 2.0, "生产": 2.0, "安全事故": 5.0, "起数": 6.0}, "起数", set(), None)
    said = unit("“十三五”期间某市生产安全事故起数、死亡人数分别下降50.1%、14.7%。")
    assert not swapped_indicator("全市生产安全事故起数降了多少？", [said], accidents, frozenset())
    # "过去五年" says when, not which 员额: "裁减军队员额30万" answers "过去五年军队员额裁了多少"
    army = QuestionTerms({"过去": 2.7, "五年": 1.0, "军队": 4.0, "员额": 7.7}, "员额", set(), None)
    assert not swapped_indicator("过去五年军队员额裁了多少？", [unit("各方配合基本完成裁减军队员额30万任务。")], army, frozenset())
    # a hedge the user types ("大概增长了多少") names no indicator of the change: "服务贸易预计增长10%以上" answers it
    trade_in_services = QuestionTerms({"服务贸易": 5.0, "大概": 1.5, "增长": 1.2}, "服务贸易", set(), None)
    said = unit("外贸出口增长6.8%，服务贸易预计增长10%以上。")
    assert not swapped_indicator("某省去年服务贸易大概增长了多少？", [said], trade_in_services, frozenset())
    # nor is a time the question names before it ("十三五期间市场主体年报率" answered by "各类市场主体年报率…90%以上")
    filed = QuestionTerms({"十三五": 3.0, "期间": 2.0, "市场主体": 3.5, "年报率": 6.0, "保持": 1.5}, "年报率", set(), None)
    said = unit("强化市场主体年报信息公示，各类市场主体年报率连年保持90%以上。")
    assert not swapped_indicator("十三五期间市场主体年报率一直保持在多少以上？", [said], filed, frozenset(), True)
    # a word saying when ("全年进出口总额9000亿元") is no other indicator than the one asked ("外贸进出口总额")
    trade = QuestionTerms({"外贸": 4.0, "进出口": 3.0, "总额": 2.5, "目标": 1.5}, "外贸", set(), None)
    asked_trade = "某省外贸进出口总额的目标定的多少？"
    assert not swapped_indicator(asked_trade, [unit("大力开拓新兴市场，全年进出口总额9000亿元以上。")], trade, frozenset())
    assert swapped_indicator(asked_trade, [unit("大力开拓新兴市场，服务进出口总额900亿元以上。")], trade, frozenset())
    target = "今年对城镇登记失业率提出了什么目标？"  # a figure asked without 多少: the question is read whole
    surveyed = [unit("城镇调查失业率5.5%左右，城镇新增就业70万人以上；")]
    assert swapped_indicator(target, surveyed, jobless, frozenset(), wants_number=True)
    assert not swapped_indicator(target, surveyed, jobless, frozenset())
    output = QuestionTerms({"规模": 2.8, "以上": 2.2, "工业增加值": 3.8, "增长": 1.9}, "工业增加值", set(), None)
    said = unit("规上工业增加值增长7.5%左右。")
    assert not swapped_indicator("今年规模以上工业增加值增长目标是多少？", [said], output, frozenset())
    food = QuestionTerms({"食品安全": 4.0, "抽检合格率": 5.0}, "抽检合格率", set(), None)
    row = unit("指标：主要食品评价性抽检合格率（%）；2025年：98.5%", "row")
    assert not swapped_indicator("食品安全抽检合格率目标是多少？", [row], food, frozenset())
    urban = QuestionTerms({"户籍": 4.5, "人口": 2.0, "城镇化率": 3.9}, "户籍", set(), None)
    row = unit("指标：常住人口城镇化率（%）；2025年：64%", "row")
    assert swapped_indicator("2035年户籍人口城镇化率的目标是多少？", [row], urban, frozenset())
    grain = QuestionTerms({"粮食产量": 4.3, "稳定": 2.0}, "粮食产量", set(), None)
    asked = "2025年粮食产量要稳定在多少？"  # one word of both: 粮食 + 产量
    assert swapped_indicator(asked, [unit("持续提升粮食单产，蔬菜产量稳定在200万吨左右。")], grain, frozenset())
    total = QuestionTerms({"粮食总产量": 5.0}, "粮食总产量", set(), None)
    assert not swapped_indicator("粮食总产量目标是多少？", [unit("粮食产量继续保持500亿斤以上；")], total, frozenset())
    firms = QuestionTerms({"培育": 2.5, "独角兽": 7.0, "企业": 1.5}, "独角兽", set(), None)
    asked = "到2025年要培育多少家独角兽企业？"  # the things counted are an indicator too
    said = unit("到2025年，累计培育单项冠军企业5家以上，国家级专精特新“小巨人”企业35家左右。")
    assert swapped_indicator(asked, [said], firms, frozenset())
    tech = QuestionTerms({"高新技术": 4.0, "企业": 1.5}, "高新技术", set(), None)
    assert not swapped_indicator("今年新增多少家高新技术企业？", [unit("新增高新技术企业3000家。")], tech, frozenset())
    # the things counted written as one word (重大项目: 重大 + 项目); the asked word may shorten the one written
    projects = QuestionTerms({"实施": 1.3, "重大项目": 3.4}, "重大项目", set(), None)
    assert swapped_indicator("今年要实施多少个重大项目？", [unit("新实施1500个工业技改项目。")], projects, frozenset())
    firms = QuestionTerms({"新设": 3.0, "外资企业": 4.0}, "外资企业", set(), None)
    assert not swapped_indicator("去年新设了多少家外资企业？", [unit("新设外商投资企业606家。")], firms, frozenset())
    # one character between the asked word and the indicator ("生猪年出栏量")
    pigs = QuestionTerms({"生猪": 4.5, "出栏量": 4.0, "稳定": 2.0}, "生猪", set(), None)
    asked = "到2025年全市生猪年出栏量要稳定在多少万头？"
    assert swapped_indicator(asked, [unit("到2025年家禽出栏量稳定在2400万羽左右。")], pigs, frozenset())
    assert not swapped_indicator(asked, [unit("到2025年生猪出栏量稳定在300万头。")], pigs, frozenset())
    # an area is an indicator too ("核心区面积" is not answered by "总规划面积")
    core = QuestionTerms({"智慧岛": 5.0, "核心区": 5.5, "面积": 3.0}, "核心区", set(), None)
    asked = "智慧岛的核心区面积是多少亩？"
    assert swapped_indicator(asked, [unit("智慧岛总规划面积2760亩。")], core, frozenset())
    assert not swapped_indicator(asked, [unit("智慧岛核心区面积800亩。")], core, frozenset())
    share = QuestionTerms({"中心城区": 3.0, "比例": 2.5, "面积": 3.0, "达标": 3.5}, "达标", set(), None)
    said = unit("中心城区、县城建成区50%、20%以上的面积达到海绵城市的要求。")  # (比例 is not asked of 面积)
    assert not swapped_indicator("中心城区各要有多大比例的面积达标？", [said], share, frozenset())
    # a share is an indicator too, and a clause naming it may leave its figure to the next clause
    pay = QuestionTerms({"养老保险": 3.0, "个人": 2.0, "缴费比例": 4.0, "降到": 2.0}, "缴费比例", set(), None)
    asked = "城镇职工基本养老保险的个人缴费比例降到多少？"
    assert swapped_indicator(asked, [unit("下调城镇职工基本养老保险单位缴费比例，各地可降至16%。")], pay, frozenset())
    assert not swapped_indicator(asked, [unit("养老保险个人缴费比例，统一降至8%。")], pay, frozenset())
    # things counted after several words ("多少张护理型养老床位"): each is asked, also behind one the answer shares
    beds = QuestionTerms({"新增": 1.5, "护理": 4.0, "养老": 3.0, "床位": 3.5}, "护理", set(), None)
    asked = "今年要新增多少张护理型养老床位？"
    assert swapped_indicator(asked, [unit("新增智慧养老院30家、家庭养老床位1万张。")], beds, frozenset())
    assert not swapped_indicator(asked, [unit("新增护理型养老床位2万张。")], beds, frozenset())
    assert not swapped_indicator(asked, [unit("新增养老床位2万张，其中护理型床位占比60%。")], beds, frozenset())
    # a sub-question leaving its indicator to the part before ("…粮食产量目标是多少？去年实际产量是多少？") shares it
    rest = QuestionTerms({"实际": 3.5, "产量": 4.8, "粮食产量": 2.2}, "产量", set(), None,
                         own=frozenset({"实际", "产量"}))
    assert not swapped_indicator("去年实际产量是多少", [unit("粮食产量1352.3万吨、再创历史新高。")], rest, frozenset())
    assert swapped_indicator("去年实际产量是多少", [unit("蔬菜产量200万吨。")], rest, frozenset())
    # a change asked for as such is answered by a rate, not by an amount ("总投资不低于2000亿元")
    from assistant.answering.checks import rate_missing

    asked = "今年固定资产投资增长目标是多少"
    assert rate_missing(asked, [unit("面向民间资本推介重大项目总投资不低于2000亿元。")])
    assert not rate_missing(asked, [unit("固定资产投资增长5%左右。")])
    assert not rate_missing(asked, [unit("居民收入增长与经济增长同步。")])  # a target set without a figure
    assert not rate_missing("今年要新增多少家企业", [unit("新增企业2000家。")])  # no change asked
    # (however the target is said to be set: "增长目标调到了百分之几")
    assert rate_missing("把全年固定资产投资增长目标调到了百分之几", [unit("于每月 25 日前报送下月任务分解情况。")])
    # a word saying how a change is meant ("今年计划增长多少") is no indicator the answer must name before 增长
    revenue = QuestionTerms({"计划": 3.1, "增长": 1.9, "地方": 1.3, "财政收入": 2.5}, "计划", set(), None,
                            own=frozenset({"计划", "增长"}))
    said = unit("主要预期目标是：全市生产总值增长5%左右，地方一般公共预算收入增长2%。")
    assert not swapped_indicator("今年计划增长多少", [said], revenue, frozenset())
    # what 多少 measures ("多少地方政府专项债券") is named by the answer's figure, not another thing's amount
    from assistant.answering.indicators import measured_missing

    bonds = QuestionTerms({"安排": 1.3, "地方政府": 2.0, "专项债券": 4.5}, "专项债券", set(), None)
    asked = "2015年政府工作报告安排了多少地方政府专项债券？"
    assert measured_missing(asked, [unit("地方财政赤字5000亿元，增加1000亿元。")], bonds)
    assert not measured_missing(asked, [unit("拟安排地方政府专项债券3.9万亿元。")], bonds)
    assert not measured_missing("多少亿元？", [unit("地方财政赤字5000亿元。")], bonds)  # nothing named before it
    # of several words naming what is measured, the user's own for one ("进城落户") may not be the document's: a
    # figure saying most of their weight names it ("在城镇落户"), one saying less does not
    settled = QuestionTerms({"农村": 2.4, "人口": 3.0, "进城": 5.1}, "进城", set(), None)
    asked = "十年里有多少农村人口进城落户？"
    assert not measured_missing(asked, [unit("十年1.4亿农村人口在城镇落户。")], settled)
    assert measured_missing(asked, [unit("全国人口减少85万人。")], settled)
    # an amount of money asked ("…赤字规模安排了多少万亿元") is of what the clause names before 多少
    deficit = QuestionTerms({"财政": 2.0, "赤字": 4.0, "规模": 2.5, "安排": 1.3}, "赤字", set(), None)
    asked = "2021年政府工作报告里，财政赤字规模安排了多少万亿元？"
    assert measured_missing(asked, [unit("全年为市场主体减负超过2.6万亿元。")], deficit)
    assert not measured_missing(asked, [unit("拟安排财政赤字3.57万亿元。")], deficit)
    # things counted after the counter ("多少个口袋公园") are named by the answer's figure, by any of their words
    parks = QuestionTerms({"民生实事": 3.0, "口袋": 5.0, "公园": 3.5}, "口袋", set(), None)
    asked = "今年的重点民生实事里，要建多少个口袋公园？"
    assert measured_missing(asked, [unit("⑧建成150个基层消防站。")], parks)
    assert not measured_missing(asked, [unit("新建口袋公园200个。")], parks)
    assert not measured_missing(asked, [unit("建设城市公园50个。")], parks)  # one of its words will do
    # events counted by 场 ("多少场促消费活动", cut 场促/消费/活动): the counter names nothing
    events = QuestionTerms({"场促": 7.7, "消费": 2.8, "活动": 2.6}, "场促", set(), None)
    asked = "去年一共办了多少场促消费活动？"
    assert not measured_missing(asked, [unit("举办促消费活动5000多场，拉动消费785亿元。")], events)
    assert measured_missing(asked, [unit("新增城镇就业50万人。")], events)
    # a threshold ("超过多少的取水户"): what follows 多少的 is what the amount qualifies, not what it measures
    wells = QuestionTerms({"取水": 3.0, "许可量": 5.0, "户得装": 6.0, "在线": 3.5, "计量": 4.0}, "许可量", set(), None)
    asked = "年取水许可量超过多少的取水户得装在线计量？"
    said = unit("地下水年取水许可量超过5万立方米的取水户要安装在线计量设施，计量数据要实时传输。")
    assert not measured_missing(asked, [said], wells)
    assert not swapped_indicator(asked, [said], wells, frozenset())
    # "多少钱一个月": money asked, of the words before it (what follows names no thing)
    orphans = QuestionTerms({"孤儿": 6.0, "补贴": 3.0, "标准": 2.0, "一个月": 3.0}, "孤儿", set(), "元")
    said = unit("散居和集中养育孤儿补贴标准提高到不低于1200元/月和1700元/月。")
    assert not measured_missing("某省民生实事里，孤儿补贴标准提到多少钱一个月？", [said], orphans)
    # a table row whose column of the asked year is blank gives no figure for it
    from assistant.answering.checks import blank_cell

    row = unit("指标：城市生活垃圾资源化利用率；2020 年：—；2025 年：60%", "row")
    row.cells = [("指标", "城市生活垃圾资源化利用率"), ("2020 年", "—"), ("2025 年", "60%")]
    assert blank_cell("城市生活垃圾资源化利用率2020年的基数是多少？", [row])
    assert not blank_cell("城市生活垃圾资源化利用率2025年的目标是多少？", [row])
    assert not blank_cell("城市生活垃圾资源化利用率的目标是多少？", [row])  # no year asked
    # a column stating it in words answers how it is set, not a figure asked
    words = unit("指标名称：健康预期寿命（岁）；指标值·2020年：—；指标值·2025年：同比例提高", "row")
    words.cells = [("指标名称", "健康预期寿命（岁）"), ("指标值·2020年", "—"), ("指标值·2025年", "同比例提高")]
    assert not blank_cell("健康预期寿命2025年目标怎么定的？", [words])
    assert blank_cell("健康预期寿命2025年要达到多少岁？", [words])
    # a count asked of one indicator ("ICU床位数") is not another's ("医疗卫生机构床位数")
    beds = QuestionTerms({"每千": 3.0, "常住人口": 2.5, "icu": 6.0, "床位数": 4.0}, "icu", set(), None)
    row = unit("指标名称：每千常住人口医疗卫生机构床位数（张）；指标值·2025年：7.4张", "row")
    assert swapped_indicator("每千常住人口ICU床位数2025年的目标是多少？", [row], beds, frozenset())
    # a growth asked of one indicator ("进出口增长") is not another's growth; one said in other words is said
    trade = QuestionTerms({"进出口": 4.5, "增长": 1.9, "目标": 2.3}, "进出口", set(), None)
    targets = unit("今年主要预期目标是：国内生产总值增长6%－6.5%；")
    assert swapped_indicator("今年进出口增长目标是多少？", [targets], trade, frozenset())
    invest = QuestionTerms({"固定资产投资": 4.6, "增长": 1.9, "目标": 2.3}, "固定资产投资", set(), None)
    said = unit("今年主要预期目标是：生产总值增长5%左右，固定资产投资增速保持在全国平均水平以上。")
    assert not swapped_indicator("今年固定资产投资增长目标是多少？", [said], invest, frozenset())


def test_a_lead_in_announcing_the_items_asked_for_leads_a_list_answer() -> None:
    """"…要抓好哪几个方面" with "重点抓好以下十二个方面：" chosen below another sentence: the lead-in's items answer it;
    a line that only ends with a colon ("各位代表：") announces nothing."""
    from assistant.answering.candidates import Candidate
    from assistant.answering.present import lead_in

    def unit(text: str) -> Candidate:
        return Candidate(0, Chunk(text, "r.txt", "r", "政府工作报告", [], text, 1, 1), text, text, "sentence")

    first, announce, opening = unit("推动海洋经济高质量发展。"), unit("重点抓好以下十二个方面："), unit("各位代表：")
    question = "今年推动高质量发展要抓好哪几个方面？"
    assert lead_in([first, announce], "list", question) is announce
    assert lead_in([first, opening], "list", question) is first
    assert lead_in([first, announce], "quantity", "要抓好几个方面？") is None  # it counts, but is not first


def test_a_short_clause_holding_the_asked_figure_is_whole() -> None:
    # a short "；" clause reads as a fragment and is continued; one stating the figure asked for is not
    text = "粮食产量保持500亿斤以上；单位地区生产总值能耗完成国家考核目标。"
    chunk = Chunk("c4", "r.txt", "d4", "某省政府工作报告", ["二、今年工作"], text, 3, 3)
    units = units_of(chunk, 0)
    grain = next(u for u in units if u.text.startswith("粮食产量"))
    shown = [u.text for u in expand(grain, units, parse_question("今年粮食产量目标是多少？"))]
    assert not any("能耗" in s for s in shown)
    shown = [u.text for u in expand(grain, units, parse_question("今年粮食生产有什么要求？"))]
    assert any("能耗" in s for s in shown)


def test_of_units_scored_alike_one_holding_a_figure_answers_a_number_question() -> None:
    """"…示范社区要创几个？" with a sentence naming the thing ("建成一批…示范社区") and the row giving its count
    ("30 个") scored alike: the row answers; a figure scored well below the best does not jump ahead of it."""
    from assistant.answering.select import FIGURE_TIE, Scored, select_units

    text = "  建成一批具有特色的综合减灾示范社区。\n  创建综合减灾示范社区30个。"
    chunk = Chunk("c9", "p.txt", "d9", "某市应急管理规划", ["主要指标"], text, 1, 2)
    units = units_of(chunk, 0)
    named, counted = units[0], units[1]
    frame = parse_question("综合减灾示范社区要创几个？")
    terms = {"综合": 2.0, "减灾": 4.0, "示范": 2.5, "社区": 3.0}
    chosen = select_units([Scored(named, 0.993), Scored(counted, 0.992)], frame, units, threshold=0.2, extra=0.3,
                          terms=terms, floor=0.66)
    assert chosen[0] is counted
    chosen = select_units([Scored(named, 0.99), Scored(counted, 0.99 - 3 * FIGURE_TIE)], frame, units,
                          threshold=0.2, extra=0.3, terms=terms, floor=0.66)
    assert chosen[0] is named


def test_of_units_scored_alike_one_in_the_measure_asked_answers_first() -> None:
    """"服务业增加值要干到多少亿": of a share ("…占服务业增加值比重达到50%") and the amount ("…达到2226亿元") scored
    alike, the amount in 亿 answers; a magnitude asked without its unit is the measure."""
    from assistant.answering.stats import CollectionStats
    from assistant.answering.terms import question_terms

    asked = "服务业增加值2025年要干到多少亿？"
    measure = question_terms(parse_question(asked), CollectionStats({}, 10, [])).measure
    assert measure == "亿"
    first = _first_of_two(
        "到2025年，生产性服务业增加值占服务业增加值比重达到50%左右。\n到2025年，服务业增加值达到2226亿元。", asked,
        (0.978, 0.977), {"服务业": 2.0, "增加值": 3.0}, measure)
    assert first == 1  # the amount, not the share


def test_above_the_floor_a_unit_in_the_measure_saying_more_of_what_is_asked_answers_first() -> None:
    """"去年派了多少人" (科技特派员): of "…降费670亿元" (best, no figure in 人) and "选派超千名科技特派员服务企业"
    (above the floor, saying more of the question, or as much), the second answers; one saying less ("增值税起征点…提高到15万元"
    for "个人所得税起征点…提高到每月多少元") does not jump ahead."""
    sent = _first_of_two(
        "支持科技创新和制造业发展减税退税降费670亿元。\n选派超千名科技特派员服务企业。", "某省给企业派科技特派员，去年派了多少人？",
        (0.872, 0.792), {"科技": 2.0, "特派员": 6.0, "企业": 1.5}, "人")
    assert sent == 1
    income = _first_of_two(
        "提高个人所得税起征点，设立6项专项附加扣除。\n将小规模纳税人增值税起征点从月销售额10万元提高到15万元。",
        "政府工作报告里说提高个人所得税起征点，具体提高到每月多少元？", (0.95, 0.80),
        {"起征点": 6.1, "每月": 5.9, "个人所得税": 5.8, "提高": 1.8}, "元")
    assert income == 0
    # a compound said in another order is said ("改造农村危房260万户" says 农村 and 危房改造)
    houses = _first_of_two(
        "今年再减少农村贫困人口1000万人以上。\n完善农村基础设施，改造农村危房260万户。", "当年农村危房改造安排了多少户？",
        (0.79, 0.75), {"农村": 1.5, "危房改造": 6.0, "安排": 1.0}, "户")
    assert houses == 1
    # ... or as much of it ("市场主体…多少户": "各类市场主体达到9800多万户", not the best, "为市场主体减负3000多亿元")
    firms = _first_of_two(
        "全年要为市场主体减轻非税负担3000多亿元。\n各类市场主体达到9800多万户，五年增加70%以上。",
        "全国市场主体数量，某年政府工作报告里是多少户？", (0.965, 0.804), {"市场主体": 5.0, "数量": 1.0}, "户")
    assert firms == 1


def test_a_fact_asked_without_a_number_is_answered_by_every_statement_scored_alike() -> None:
    """"智慧岛采用什么样的管理架构": "…构建标准智慧岛管理架构；" (best) and "…实施理事会领导下的“秘书处+专家委员会+
    市场化运营公司”的架构体系" (within 0.9 of it) both answer; a number asked ("运营期限是几年") takes the best alone."""
    from assistant.answering.select import Scored, select_units

    text = "按照原则选取专业运营团队，构建标准智慧岛管理架构；\n智慧岛实施理事会领导下的“秘书处+专家委员会+市场化运营公司”的架构体系。"
    units = units_of(Chunk("c8", "p.txt", "d8", "某市智慧岛建设实施方案", ["一、管理"], text, 1, 2), 0)
    scored = [Scored(u, p) for u, p in zip(units, (0.95, 0.865), strict=True)]
    terms = {"智慧岛": 5.0, "管理": 1.5, "架构": 4.0}

    def chosen(asked: str) -> list[str]:
        return [u.text for u in select_units(scored, parse_question(asked), units, threshold=0.2, extra=0.3,
                                             terms=terms, floor=0.66)]

    assert len(chosen("智慧岛采用什么样的管理架构？")) == 2
    assert len(chosen("智慧岛管理架构的运营期限是几年？")) == 1


def test_a_heading_without_a_figure_gives_way_to_a_unit_in_the_measure_saying_as_much() -> None:
    """"体系一共搭了几级": the heading "3.某某教师梯队攀升体系建设计划。" (best, no figure) gives way, above the floor,
    to the statement in the measure asked that says as much ("…搭建从校级骨干到名师的 9 级攀升梯级")."""
    asked = "某某教育规划里，教师梯队攀升体系一共搭了几级？"
    assert parse_question(asked).answer_type == "quantity"
    terms = {"教师": 3.9, "梯队": 5.5, "攀升": 6.2, "体系": 1.2}
    text = "3.教师梯队攀升体系建设计划。\n建立教师梯队攀升体系，搭建从校级骨干到名师的 9 级攀升梯级。"
    assert _first_of_two(text, asked, (0.99, 0.95), terms, "级") == 1
    # one saying less of the question does not jump ahead
    less = "3.教师梯队攀升体系建设计划。\n建立9级职称评审机制。"
    assert _first_of_two(less, asked, (0.99, 0.95), terms, "级") == 0


def _first_of_two(text: str, asked: str, scores: tuple[float, float], terms: dict[str, float], measure: str) -> int:
    """Which of a passage's two statements, scored so, select_units answers the question with first."""
    from assistant.answering.select import Scored, select_units

    units = units_of(Chunk("c7", "p.txt", "d7", "某省政府工作报告", ["一、工作"], text, 1, 2), 0)
    chosen = select_units([Scored(u, p) for u, p in zip(units, scores, strict=True)], parse_question(asked), units,
                          threshold=0.2, extra=0.3, terms=terms, measure=measure, floor=0.66)
    return units.index(chosen[0])


def test_an_indicator_written_as_a_province_words_it_is_the_one_asked() -> None:
    """"规上工业增加值增长目标" is answered by "规模工业增加值增长6.5%以上" (the same indicator in a province's wording,
    a group of the shipped synonym table), not declined as another indicator's figure."""
    from assistant.answering.candidates import Candidate
    from assistant.answering.frame import parse_question
    from assistant.answering.indicators import swapped_indicator
    from assistant.answering.stats import CollectionStats
    from assistant.answering.terms import question_terms
    from assistant.vocab import synonyms

    asked = "今年规上工业增加值增长目标是多少？"
    terms = question_terms(parse_question(asked), CollectionStats({}, 10, []), synonyms=synonyms())
    text = "主要预期目标是：地区生产总值增长5.5%左右，规模工业增加值增长6.5%以上，固定资产投资增长4.5%。"
    unit = Candidate(0, Chunk("h", "h.docx", "h", "政府工作报告", [], text, 1, 1), text, text, "sentence")
    assert not swapped_indicator(asked, [unit], terms, frozenset())


def test_how_long_is_answered_by_a_span_of_time() -> None:
    """"要保留多长时间" answered by an article that states no span ("一份决定书一个电子文本") is not answered; "二十
    日内", "3个工作日" and "两年" are spans of time."""
    from assistant.answering.candidates import Candidate
    from assistant.answering.figures import lacks_asked_figure

    def unit(text: str) -> Candidate:
        chunk = Chunk(id=text, source="r.txt", doc_id="r", title="某办法", section=[], text=text, line_start=1, line_end=1)
        return Candidate(0, chunk, text, text, "sentence")

    q = "决定书公开以后要保留多长时间？"
    assert lacks_asked_figure("fact", q, None, [unit("第六条 发布的决定书采取一份决定书一个电子文本的方式。")])
    for said in ("承办人应当在案件终结后二十日内完成审查。", "应当在3个工作日内答复。", "公开期限为两年。"):
        assert not lacks_asked_figure("fact", q, None, [unit(said)]), said
    # asked as how many years or days ("给几年期限"): another count ("连续两次") states no span; "40多年", "2.5个自然日" do
    twice = unit("连续两次评估结果较差的，终止数据专区运营授权。")
    assert lacks_asked_figure("fact", "运营授权一次给几年期限？", "年", [twice])
    assert not lacks_asked_figure("fact", "全球通胀创了多少年来的新高？", "年", [unit("全球通胀达到40多年来新高。")])
    assert not lacks_asked_figure("quantity", "用气报装时间压到几天了？", "天", [unit("用气报装时间压缩至2.5个自然日。")])


def test_a_figure_followed_by_the_thing_counted_is_in_the_measure_asked() -> None:
    """"在校学生多少人" answered by "我国有2.9亿在校学生": the figure counts the asked thing itself, so it is in
    people; a figure of another thing ("5000万元资金") is not."""
    from assistant.answering.candidates import Candidate
    from assistant.answering.measures import measure_missing

    def unit(text: str) -> Candidate:
        chunk = Chunk(id=text, source="r.txt", doc_id="r", title="报告", section=[], text=text, line_start=1, line_end=1)
        return Candidate(0, chunk, text, text, "sentence")

    q = "全国在校学生大概多少人？"
    assert not measure_missing("人", [unit("我国有2.9亿在校学生，要坚持把教育办好。")], q)
    assert measure_missing("人", [unit("安排5000万元资金支持学校建设。")], q)
    assert measure_missing("人", [unit("我国有2.9亿在校学生。")])  # (without the question, as before)


def test_a_bracket_left_alone_is_no_unit() -> None:
    """Conversion leftovers (a lone "]" after a footnote) say nothing and are never chosen as an answer."""
    chunk = Chunk("c9", "s.txt", "d9", "某区纲要", ["第四节 创新投融资机制"], "强化直接融资能力。发行项目收益债。 ]\n——\n", 1, 2)
    assert [u.text for u in units_of(chunk, 0)] == ["强化直接融资能力。", "发行项目收益债。"]


def test_an_indicator_named_by_its_bound_is_not_one_bounded_otherwise() -> None:
    """"65岁以上老年人口有多少" is not answered by "60岁以上人口已达2.5亿": another indicator. The bound asked, or a
    statement bounding nothing, answers."""
    from assistant.answering.measures import other_bound

    def unit(text: str) -> Candidate:
        return units_of(Chunk("c9", "r.txt", "r", "某年政府工作报告", [], text, 1, 1), 0)[0]

    asked = "19年政府工作报告里说我国65岁以上老年人口有多少？"
    assert other_bound(asked, [unit("我国60岁以上人口已达2.5亿。")])
    assert not other_bound(asked, [unit("我国65岁以上人口达1.7亿。")])
    assert not other_bound(asked, [unit("老年人口持续增加。")])
    assert not other_bound("15岁以上人群吸烟率要降到多少？", [unit("15岁以上人群吸烟率降低到20%以下。")])
    assert other_bound("年营业收入2000万元以上企业有多少家？", [unit("年营业收入500万元以上企业达1200家。")])


def test_a_quoted_term_is_answered_with_the_statements_that_say_its_parts() -> None:
    """"“两个高于一个前列”具体是指啥": the statement naming it, and those after it quoting its parts ("“两个高于”即…"),
    not the list that follows; a statement quoting no part of it is not added."""
    from assistant.answering.frame import parse_question
    from assistant.answering.select import defines_quoted, expand

    text = ("“十四五”期间，我市科技创新的主要目标是“两个高于一个前列”。“两个高于”即主要指标增速高于全省平均水平；"
            "“一个前列”即创新发展走在全省前列。“三个中心”即另一回事。")
    units = units_of(Chunk("c8", "p.txt", "p", "某市科技创新规划", [], text, 1, 1), 0)
    frame = parse_question("科技创新规划里说的“两个高于一个前列”，具体是指啥？")
    chosen = expand(units[0], units, frame)
    said = "".join(u.text for u in chosen)
    assert "两个高于”即" in said and "一个前列”即" in said and "三个中心" not in said
    assert defines_quoted(chosen, frame) and not defines_quoted(units[:1], frame)


def test_a_heading_answering_a_fact_question_first_is_followed_by_what_it_heads() -> None:
    """"巩固拓展脱贫攻坚成果，要落实什么要求": the heading chosen first says nothing of it, what stands under it does;
    a heading added beside a better statement is not followed."""
    units = _units()
    frame = parse_question("教育三年攻坚要落实什么要求？")
    assert frame.answer_type == "fact"
    shown = [u.text for u in expand(units[0], units, frame)]
    assert "扩充高中阶段教育资源和城市学校学位。" in shown
    assert [u.text for u in expand(units[0], units, frame, first=False)] == [units[0].text]


def test_an_amount_asked_is_not_answered_by_a_span_of_time() -> None:
    """"过路过桥费具体要降多少" is not answered by "两年内基本取消…收费站" (when, not how much); a figure beside the
    span answers, and so does a span when the question asks how long or for a time."""
    from assistant.answering.figures import only_spans

    def unit(text: str) -> Candidate:
        return units_of(Chunk("c9", "r.txt", "r", "某年政府工作报告", [], text, 1, 1), 0)[0]

    span = unit("两年内基本取消全国高速公路省界收费站，实现不停车快捷收费。")
    assert only_spans("19年报告说要推动降低过路过桥费，具体要降多少？", [span])
    assert not only_spans("具体要降多少？", [unit("两年内过路过桥费降低10%。")])
    assert not only_spans("收费站多长时间内取消？", [span])
    assert not only_spans("受灾人员得到救助的时间要控制在多少？", [unit("救助时间控制在12小时以内。")])
    assert not only_spans("几年内取消省界收费站？", [span])
    # a count in words with the counter asked ("几级网格" answered by "四级网格") is a figure, not only a span
    assert not only_spans("治污实行的是几级网格管理？", [unit("继续实行四级网格管理治理大气污染。")])


def test_a_time_asked_of_one_procedure_is_not_another_s() -> None:
    """"进口整体通关时间要压缩到多少小时" is not answered by the row of "企业纳税时间（小时）": 时间 ends an indicator
    like 率/额/量 do, and the word before it tells them apart."""
    from assistant.answering.indicators import swapped_indicator
    from assistant.answering.terms import QuestionTerms

    def unit(text: str) -> Candidate:
        return units_of(Chunk("c9", "p.txt", "p", "某市营商环境规划", [], text, 1, 1), 0)[0]

    terms = QuestionTerms({"进口": 3.0, "整体": 2.5, "通关": 4.0, "时间": 1.5, "压缩": 2.0}, "通关", set(), None)
    asked = "到25年进口整体通关时间要压缩到多少小时？"
    assert swapped_indicator(asked, [unit("企业纳税时间压缩到55小时。")], terms, frozenset())
    assert not swapped_indicator(asked, [unit("进口整体通关时间压缩到40小时。")], terms, frozenset())


def test_how_often_answers_how_long_between() -> None:
    """"联席会议办公室多久召集开一次工作例会" is answered by "每周召集…例会" (how often); "每周" gives no amount asked
    with 多少."""
    from assistant.answering.figures import figure_missing, lacks_asked_figure

    def unit(text: str) -> Candidate:
        return units_of(Chunk("c9", "p.txt", "p", "某市实施方案", [], text, 1, 1), 0)[0]

    weekly = unit("联席会议办公室每周召集成员单位召开工作例会。")
    assert not figure_missing("多久召集开一次工作例会？", [weekly])
    assert not lacks_asked_figure("quantity", "多久召集开一次工作例会？", None, [weekly])
    assert figure_missing("例会要有多少个成员单位参加？", [weekly])


def test_a_line_opening_with_a_bare_name_speaks_of_it_in_the_sentences_after() -> None:
    """"某某检测园区。位于某区，…": the sentence saying where it is has the name as its context (a unit's context counts
    toward how much of the question it covers); a name followed by nothing, or a statement, heads nothing."""
    chunk = Chunk("c9", "s.txt", "d9", "某市服务业规划", [],
                  "甲类检测园区。位于东区，重点发展电力装备检测。\n乙类检测园区。\n加快建设检测平台，推进项目。位于西区的项目开工。", 1, 3)
    units = units_of(chunk, 0)
    where = next(u for u in units if u.text.startswith("位于东区"))
    assert where.lead == "甲类检测园区。"
    assert [u.text for u in units if u.lead] == ["位于东区，重点发展电力装备检测。"]


def test_a_piece_of_page_layout_is_no_answer() -> None:
    """A newspaper page's layout lines ("建成具有全国", "2021年3月24日", "版 式 某某 校对 某某") fit a question that names
    the page, by its title and section, but state nothing: none is chosen; a sentence, a list item, or a short line
    holding a word of the question is."""
    from assistant.answering.select import _bare_fragment

    terms = {"绿色": 3.0, "转型": 3.5, "领域": 2.0, "2021": 2.0}
    chunk = Chunk("c7", "n.txt", "d7", "某报之未来展望篇", [],
                  "建成具有全国\n2021年3月24日\n版 式 甲某 校对 乙某\n推进绿色低碳循环发展，加快工业、农业绿色转型。\n绿色转型", 1, 5)
    bare = {u.text: _bare_fragment(u, terms) for u in units_of(chunk, 0)}
    assert bare == {"建成具有全国": True, "2021年3月24日": True, "版 式 甲某 校对 乙某": True,
                    "推进绿色低碳循环发展，加快工业、农业绿色转型。": False, "绿色转型": False}
    # a short piece holding a common word of the question among others is layout too ("建成具有全国" for "要建成哪些
    # 医院"); a headline, longer, is not
    terms = {"建成": 1.5, "公立医院": 6.0, "印发": 2.0}
    chunk = Chunk("c8", "n.txt", "d8", "某报之未来展望篇", [], "建成具有全国\n某省人民政府关于印发某某实施意见的通知", 1, 2)
    bare = {u.text: _bare_fragment(u, terms) for u in units_of(chunk, 0)}
    assert bare == {"建成具有全国": True, "某省人民政府关于印发某某实施意见的通知": False}


def test_a_bodys_duties_are_the_line_its_name_labels() -> None:
    """"市市场监管局负责什么" of a passage giving each body's duties on a line of its own: that line (with the statement
    run on after it), not another body's; nothing when the question asks no duty or names no labelled body."""
    from assistant.answering.select import labelled

    chunk = Chunk("c9", "r.txt", "d9", "某市某某建设实施方案", [], (
        "市科技局：负责推进科创资源整合。\n市市场监管局：负责推进知识产权应用保护。会同市政数局，优化注册服务流程。"
        "\n某区政府：负责整体建设运营。"), 1, 3)
    units = units_of(chunk, 0)
    got = labelled(units, "工作细则里，市市场监管局负责什么")
    assert [u.text for u in got] == ["市市场监管局：负责推进知识产权应用保护。", "会同市政数局，优化注册服务流程。"]
    assert labelled(units, "市市场监管局有几个处室") == []
    assert labelled(units, "市财政局负责什么") == []


def test_who_leads_a_measure_is_the_tag_closing_its_paragraph() -> None:
    """"…绿色通道依托哪儿探索？这条任务谁牵头？": the measure's paragraph ends with who leads it ("（省商务厅牵头，某
    海关配合）"); that statement joins the chosen one. Not when the question asks no one, nor when a chosen statement
    carries a tag itself."""
    from assistant.answering.candidates import Candidate
    from assistant.answering.select import tagged_duty

    texts = ["2.积极扩大进口。", "发挥某经开区示范区作用，探索设立关键设备进口的绿色通道。",
             "扩大先进技术、设备进口，丰富进口消费品供给。（省商务厅牵头，某海关配合）", "3.用好原产地规则。"]
    chunk = Chunk(id="c", source="r.txt", doc_id="r", title="某省实施意见", section=[], text="".join(texts),
                  line_start=1, line_end=1)
    units = [Candidate(0, chunk, t, t, "sentence", pos=i) for i, t in enumerate(texts)]
    shown = tagged_duty(units, [units[1]], "这条任务谁牵头？")
    assert [u.pos for u in shown] == [1, 2]
    assert tagged_duty(units, [units[1]], "绿色通道依托哪儿来探索？") == [units[1]]
    assert tagged_duty(units, [units[2]], "这条任务谁牵头？") == [units[2]]


def test_an_action_in_a_run_of_actions_stated_without_a_figure_gives_none() -> None:
    """"新能源汽车推广目标是多少万辆" where the report says "…淘汰黄标车和老旧车600万辆，推广新能源汽车，在全国供应…": in a
    run of actions the clause naming it holds no figure and no figure shown says any of it (not the unit it is measured
    in, 万辆, nor whose it is, 国务院); shown focused ("……") the clauses count apart. One that introduces its figure, or
    beside a figure of the asked thing ("省级骨干教师 2000 名"), still answers."""
    from assistant.answering.candidates import Candidate
    from assistant.answering.figures import stated_without_figure
    from assistant.answering.terms import QuestionTerms

    def unit(text: str, display: str | None = None, chunk_id: str = "") -> Candidate:
        chunk = Chunk(id=chunk_id or text, source="r.txt", doc_id="r", title="政府工作报告", section=[], text=text,
                      line_start=1, line_end=1)
        return Candidate(0, chunk, text, display or text, "sentence")

    terms = QuestionTerms({"国务院": 3.4, "新能源": 3.1, "汽车": 3.2, "推广": 3.1, "目标": 2.3, "万辆": 4.7}, "万辆",
                          set(), None)
    question = "国务院2014年报告里新能源汽车推广目标是多少万辆？"
    text = "今年要淘汰燃煤小锅炉5万台，淘汰黄标车和老旧车600万辆，推广新能源汽车，在全国供应国四标准车用柴油。"
    run = unit(text)
    assert stated_without_figure(question, [run], [run], terms)
    assert stated_without_figure(question, [unit(text, "淘汰黄标车和老旧车600万辆……推广新能源汽车")], [run], terms)
    housing = QuestionTerms({"保障性": 4.1, "安居工程": 5.1, "新开工": 4.6}, "安居工程", set(), None)
    prose = unit("加大保障性安居工程建设力度，今年新开工700万套以上。")
    assert not stated_without_figure("保障性安居工程今年新开工多少套？", [prose], [prose], housing)
    teachers = QuestionTerms({"遴选": 4.0, "推荐": 3.0, "省级": 3.5, "骨干教师": 5.0}, "骨干教师", set(), None)
    named = unit("遴选推荐中原名师 13 名，省级骨干教师 2000 名。", chunk_id="c")
    beside = unit("建立中小学教师梯队攀升体系，努力推荐省级名师、骨干教师，提升工作室内涵。", chunk_id="c")
    assert not stated_without_figure("要遴选推荐多少名省级骨干教师？", [named], [named, beside], teachers)


def test_when_a_thing_is_due_is_answered_only_by_a_time() -> None:
    """"…储备库要求哪年建成" answered by "规划建设1-2个市级综合应急物资储备库" gives no time ("1-2个" is none); one saying
    "2023年年底前建成" does; when a thing happened ("首届进口博览会是哪一年办的") is not held to it."""
    from assistant.answering.candidates import Candidate
    from assistant.answering.checks import time_missing

    def unit(text: str) -> Candidate:
        chunk = Chunk(id=text, source="p.txt", doc_id="p", title="某市规划", section=[], text=text, line_start=1,
                      line_end=1)
        return Candidate(0, chunk, text, text, "sentence")

    plan = unit("统筹考虑全市自然灾害风险，规划建设1-2个市级综合应急物资储备库。")
    assert time_missing("那1-2个市级综合应急物资储备库，要求哪年建成？", [plan])
    assert not time_missing("那1-2个市级综合应急物资储备库，要求哪年建成？", [unit("2023年年底前建成市级综合应急物资储备库。")])
    assert not time_missing("首届进口博览会是哪一年办的？", [unit("首届中国国际进口博览会成功举办。")])
    # the day a thing happened is said by a month or a day ("哪天成立的"; "每月几号前报送": "于每月 25 日前报送")
    assert time_missing("城市治理委员会是哪天成立的？", [unit("城市治理委员会组建运行，执法事项综合率达到71.9%。")])
    assert not time_missing("各县区每月几号前要报什么？", [unit("于每月 25 日前报送下月任务分解情况。")])
    # a numeral in words before 号 names a thing ("天问一号"), no day; a day in words is said with 日 ("五月一日")
    assert time_missing("天问一号是哪天发射的？", [unit("“天问一号”、“嫦娥五号”等突破性成果不断涌现。")])
    assert not time_missing("条例是哪天施行的？", [unit("本条例自二〇三〇年五月一日起施行。")])
    # when a thing happens, asked without a modal ("博览会啥时候开幕"), is said by a time too
    assert time_missing("第四届博览会什么时候开幕？", [unit("高质量建设合作先行区，办好第四届博览会。")])
    assert not time_missing("第四届博览会什么时候开幕？", [unit("第四届博览会将于6月举办。")])
    # the month asked is said by a month or a part of the year ("定在几月份": "9月", "下半年"), not by the event alone
    assert time_missing("第二届场景汇定在几月份？", [unit("办好第二届未来之城场景汇，拓展更多场景。")])
    assert not time_missing("第二届场景汇定在几月份？", [unit("9月办好第二届未来之城场景汇。")])
    assert not time_missing("场景汇哪个月办？", [unit("下半年办好第二届场景汇。")])
    # a metro line's number ("19号线") is no day
    assert time_missing("某乐园度假区具体哪天开园？", [unit("推进19号线、南枫线等轨道交通线建设，推动某乐园度假区开园运营。")])
    # asked colloquially ("要求啥时候建完")
    teams = unit("推动城市消防站保护范围外的乡镇（街道）按照标准建设乡镇专职消防救援队。")
    assert time_missing("某规划里，乡镇专职消防救援队要求啥时候建完？", [teams])


def test_a_share_written_in_words_is_a_figure_for_the_unit_scorer() -> None:
    # "削减三分之二", "减少一半": the figure asked, written in words
    chunk = Chunk("c7", "r.txt", "d7", "某年政府工作报告", [], "限制性措施削减三分之二。外商投资结构优化。", 1, 1)
    share, plain = _unit_features("外资限制性措施一共削减了多少？", chunk)
    assert share["figure_fit"] == 1.0
    assert plain["figure_fit"] == 0.0


def test_the_same_statement_in_an_overlapping_chunk_is_no_second_answer() -> None:
    # the decider's second_gap compares the best unit with another statement, not with its own words again
    from assistant.answering.decide import FACET_FEATURES, facet_features
    from assistant.answering.features import FEATURES
    from assistant.answering.stats import CollectionStats
    from assistant.answering.terms import question_terms
    from assistant.retrieval.routing import Catalog, Scope

    text = "成功引进某跨境电商园。社会信用体系建设走在前列。"
    a = units_of(Chunk("a1", "r.txt", "d1", "某区纲要", [], text, 1, 1), 0)
    b = units_of(Chunk("a2", "r.txt", "d1", "某区纲要", [], text, 1, 1), 0)
    units = [a[0], b[0], a[1]]
    frame = parse_question("引进了哪个跨境电商园？")
    terms = question_terms(frame, CollectionStats({}, 10, []))
    vectors = [[0.0] * len(FEATURES) for _ in units]
    gap = FACET_FEATURES.index("second_gap")
    got = facet_features([0.9, 0.88, 0.2], vectors, units, frame, terms, Scope(), Catalog([]))
    assert abs(got[gap] - 0.7) < 1e-9


def test_an_ordinal_is_the_figure_of_a_which_one_question_for_the_unit_scorer() -> None:
    # "第几次" is answered by "第三次", not by another thing's count ("审议法律议案13件"); asked with a number as
    # well ("有多少家？排第几？") either answers
    chunk = Chunk("c9", "r.txt", "d9", "某年政府工作报告", [], "提请审议法律议案13件。组织开展第三次国务院大督查。", 1, 1)
    count, ordinal = _unit_features("国务院大督查搞到第几次了？", chunk)
    assert ordinal["figure_fit"] == 1.0 and ordinal["term_figure"] == 1.0
    assert count["figure_fit"] == 0.0
    count, ordinal = _unit_features("国务院大督查开展了多少项？这是第几次？", chunk)
    assert ordinal["figure_fit"] == 1.0 and count["figure_fit"] == 1.0


def test_a_statement_giving_the_best_units_figure_is_no_rival_answer() -> None:
    # the decider's second_gap: a table row and a sentence giving the same asked figure agree
    from assistant.answering.decide import FACET_FEATURES, facet_features
    from assistant.answering.features import FEATURES
    from assistant.answering.stats import CollectionStats
    from assistant.answering.terms import question_terms
    from assistant.retrieval.routing import Catalog, Scope

    text = "城乡居民收入比缩小到1.7:1。农村居民人均可支配收入达到28000元。城乡居民收入比保持在2.1:1。"
    agree, other, rival = units_of(Chunk("b1", "r.txt", "d1", "某市规划", [], text, 1, 1), 0)
    row_text = "指标：城乡居民收入比；2025年目标值：1.7:1"
    row = Candidate(0, Chunk("b2", "r.txt", "d1", "某市规划", [], row_text, 1, 1), row_text, row_text, "row")
    frame = parse_question("2025年城乡居民收入比要缩小到多少？")
    terms = question_terms(frame, CollectionStats({}, 10, []))
    vectors = [[0.0] * len(FEATURES) for _ in range(3)]
    gap = FACET_FEATURES.index("second_gap")
    got = facet_features([0.9, 0.85, 0.3], vectors, [row, agree, other], frame, terms, Scope(), Catalog([]))
    assert abs(got[gap] - 0.6) < 1e-9  # the agreeing sentence is passed over
    got = facet_features([0.9, 0.85, 0.3], vectors, [row, rival, other], frame, terms, Scope(), Catalog([]))
    assert abs(got[gap] - 0.05) < 1e-9  # another figure of it is a rival


def test_a_round_amount_said_about_is_a_figure() -> None:
    # "出境旅游近亿人次", "超万家": a figure said about, for the unit scorer and for the figure checks
    from assistant.answering.features import _FIGURE
    from assistant.answering.figures import holds_figure

    assert _FIGURE.search("出境旅游近亿人次") and holds_figure("出境旅游近亿人次")
    assert holds_figure("市场主体超万家") and not holds_figure("出境旅游人次大幅增加")


def test_a_century_or_a_name_with_digits_is_no_figure() -> None:
    # "21世纪海上丝绸之路", "5G" name things; a sentence saying only them gives no amount asked
    from assistant.answering.figures import holds_figure

    chunk = Chunk("c9", "r.txt", "d9", "某年政府工作报告", [], "推进21世纪海上丝绸之路建设，建设5G网络。新建5G基站3万个。", 1, 1)
    named, counted = _unit_features("它的注册资本是多少？", chunk)
    assert named["figure_missing"] == 1.0 and counted["figure_missing"] == 0.0
    assert not holds_figure("推进21世纪海上丝绸之路建设") and holds_figure("新建5G基站3万个")


def test_a_span_of_time_clause_speaks_of_the_clause_after_it() -> None:
    # "经过今明两年努力，要让所有农村居民都能喝上干净的水": the two years are the water's, said in the clause after
    from assistant.answering.candidates import Candidate
    from assistant.answering.measures import measure_apart

    text = "今年再解决6000万农村人口的饮水安全问题，经过今明两年努力，要让所有农村居民都能喝上干净的水。"
    said = Candidate(0, Chunk("c7", "q.txt", "d7", "某年政府工作报告", [], text, 1, 1), text, text, "sentence")
    assert not measure_apart("年", [said], ["农村居民", "干净"])
    other = "今年再解决6000万农村人口的饮水安全问题，开展两年行动，要让所有农村居民都能喝上干净的水。"
    said = Candidate(0, Chunk("c7", "q.txt", "d7", "某年政府工作报告", [], other, 1, 1), other, other, "sentence")
    assert measure_apart("年", [said], ["农村居民", "干净"])  # (a clause of its own, not one of time spent)


def test_a_span_of_time_answers_how_long() -> None:
    # "打算用多长时间打好" is answered by "今明两年" (a span in words), "用3年时间"; a year is no span
    chunk = Chunk("c9", "r.txt", "d9", "某年政府工作报告", [],
                  "今明两年，要以改革促发展，坚决打好攻坚战。2016年要打好攻坚战。", 1, 1)
    span, year = _unit_features("攻坚战打算用多长时间打好？", chunk)
    assert span["figure_missing"] == 0.0 and year["figure_missing"] == 1.0
    plain, _ = _unit_features("攻坚战要打好多少场？", chunk)
    assert plain["figure_missing"] == 1.0  # (a span is no count of things)


def test_a_round_amount_in_quotes_is_a_figure() -> None:
    # "经济规模要尽快过“万亿”": the figure a requirement on a size states
    from assistant.answering.features import _FIGURE

    assert _FIGURE.search("两市经济规模要尽快过“万亿”") and not _FIGURE.search("两市经济规模要尽快扩大")


def test_a_compound_term_is_found_with_a_number_inside() -> None:
    # "核电机组" written "核电2—4号机组", "轨道交通线" as "轨道交通7号线": a numbered one of the kind
    from assistant.answering.stats import CollectionStats
    from assistant.answering.terms import question_terms

    terms = question_terms(parse_question("要推进建设的核电机组有哪些？"), CollectionStats({}, 10, []))
    assert terms.has("核电机组", "推进漳州核电2—4号机组、宁德核电5号机组建设")
    assert not terms.has("核电机组", "推进核电项目建设，新增机组两台")


def test_a_rare_three_character_word_is_found_with_a_character_inside() -> None:
    # "出境游" (a word passages rarely say) written "出境旅游": its dictionary word and last character apart
    from assistant.answering.stats import CollectionStats
    from assistant.answering.terms import question_terms

    terms = question_terms(parse_question("出境游大概有多少人次？"), CollectionStats({}, 10, []))
    assert terms.has("出境游", "对外投资大幅增加，出境旅游近亿人次")
    assert not terms.has("出境游", "出境管理更加便利，旅游市场平稳")


def test_an_indicator_stated_with_a_count_in_words_of_the_asked_counter_has_its_figure() -> None:
    # "粮食产量是几连增" is stated by "粮食产量实现“十二连增”": not an indicator stated without a figure
    from assistant.answering.figures import stated_without_figure
    from assistant.answering.stats import CollectionStats
    from assistant.answering.terms import question_terms

    asked = "某年报告回顾上年，粮食产量是几连增？"
    terms = question_terms(parse_question(asked), CollectionStats({}, 10, []))
    chunk = Chunk("c10", "r.txt", "d10", "某年政府工作报告", [], "粮食产量实现“十二连增”，居民消费价格涨幅保持较低水平。", 1, 1)
    units = units_of(chunk, 0)
    assert not stated_without_figure(asked, units, units, terms)


def test_which_five_year_plan_is_answered_by_its_name() -> None:
    # "启动第几个五年普法规划" is answered by "启动实施“七五”普法规划" (the plan's ordinal name), not by a plan unnamed
    from assistant.answering.figures import lacks_asked_figure

    def unit(text: str) -> Candidate:
        return units_of(Chunk("c11", "r.txt", "d11", "某年政府工作报告", [], text, 1, 1), 0)[0]

    asked = "某年报告说要启动第几个五年普法规划？"
    assert not lacks_asked_figure("quantity", asked, None, [unit("开展法治宣传教育，启动实施“七五”普法规划。")])
    assert lacks_asked_figure("quantity", asked, None, [unit("开展法治宣传教育，启动实施新一轮普法规划。")])
    # ("十四五" is no ordinal of another thing asked: "第几届" is not answered by a plan period)
    assert lacks_asked_figure("quantity", "要办好第几届博览会？", None, [unit("“十四五”时期办好博览会。")])


def test_of_units_scored_alike_one_giving_the_amount_not_its_change_answers() -> None:
    """"技术合同成交额是多少": "吸纳技术合同成交额增长34.8%" and "全省技术合同成交额1900亿元" score alike; the first gives
    the amount's change, so the tie is broken for the second (a unit scored clearly lower is never tried)."""
    from assistant.answering.candidates import Candidate
    from assistant.answering.checks import figure_of_other_form
    from assistant.answering.select import Scored, tie_orders
    from assistant.answering.stats import CollectionStats
    from assistant.answering.terms import question_terms

    def unit(text: str) -> Candidate:
        return Candidate(0, Chunk("c7", "q.txt", "d7", "某省政府工作报告", [], text, 1, 1), text, text, "sentence")

    change, amount, other = unit("吸纳技术合同成交额增长34.8%。"), unit("全省技术合同成交额1900亿元。"), unit("新增企业800家。")
    question = "去年的技术合同成交额是多少？"
    terms = question_terms(parse_question(question), CollectionStats({}, 10, []))
    assert figure_of_other_form(question, [change], terms) and not figure_of_other_form(question, [amount], terms)
    orders = list(tie_orders([Scored(change, 0.998), Scored(amount, 0.99), Scored(other, 0.9)]))
    assert [[s.unit.text for s in o][:2] for o in orders] == [[change.text, amount.text], [amount.text, change.text]]
    assert orders[1][0].p == 0.998  # (scored as the best, so the selection keeps it first)
    assert len(list(tie_orders([Scored(change, 0.998), Scored(amount, 0.9)]))) == 1


def test_a_count_is_read_with_the_asked_words_in_any_of_their_wordings() -> None:
    """"GDP过200亿的县区一共有几个" answered by "生产总值超200亿元县（区）达26个": the clause names the asked indicator in
    another wording of the synonym table, so the count is not another thing's."""
    from assistant.answering.candidates import Candidate
    from assistant.answering.checks import not_the_figure_asked
    from assistant.answering.stats import CollectionStats
    from assistant.answering.terms import question_terms
    from assistant.vocab import synonyms

    asked = "甘肃24年GDP过200亿的县区一共有几个？"
    frame = parse_question(asked)
    terms = question_terms(frame, CollectionStats({}, 10, []), synonyms=synonyms())
    text = "健全产业培育机制，10个县获得表彰，生产总值超200亿元县（区）达26个，县域经济增速高于全省。"
    unit = Candidate(0, Chunk("h", "h.docx", "h", "政府工作报告", [], text, 1, 1), text, text, "sentence")
    assert not not_the_figure_asked(frame.answer_type, asked, terms, [unit], [unit], frozenset(), frame.wants_number)
    other = "健全产业培育机制，新建产业园区26个，县域经济增速高于全省。"
    unit = Candidate(0, Chunk("h", "h.docx", "h", "政府工作报告", [], other, 1, 1), other, other, "sentence")
    assert not_the_figure_asked(frame.answer_type, asked, terms, [unit], [unit], frozenset(), frame.wants_number)


def test_a_figure_asked_is_declined_when_the_clauses_shown_of_the_thing_hold_none() -> None:
    """"甲码头年吞吐能力能到多少" chosen a long statement whose figures are of other things: focused on the clause of
    the thing asked ("甲码头投用"), it shows no figure, so it does not answer; one whose clause holds it does."""
    from assistant.answering.candidates import Candidate
    from assistant.answering.figures import focused
    from assistant.answering.terms import QuestionTerms

    def unit(text: str) -> Candidate:
        chunk = Chunk(id=text, source="r.txt", doc_id="r", title="某省政府工作报告", section=[], text=text,
                      line_start=1, line_end=1)
        return Candidate(0, chunk, text, text, "sentence")

    terms = QuestionTerms({"码头": 6.0, "吞吐": 5.0, "能力": 2.0}, "码头", set(), None)
    other = unit("中欧班列开行5000列、增长12%，乙港集装箱运量增长8.1%，甲码头投用，开放通道建设取得新成效，"
                 "跨境电商进出口额增长20%，外贸新业态加快发展，口岸营商环境持续优化，对外开放水平进一步提高。")
    assert focused([other], terms, "甲码头投用以后，年吞吐能力能到多少？") == []
    own = unit("中欧班列开行5000列、增长12%，乙港集装箱运量增长8.1%，甲码头投用、年吞吐能力达到300万吨，"
               "跨境电商进出口额增长20%，外贸新业态加快发展，口岸营商环境持续优化，对外开放水平进一步提高。")
    shown = focused([own], terms, "甲码头投用以后，年吞吐能力能到多少？")
    assert shown and "300万吨" in shown[0].display
    assert focused([other], terms, "甲码头是哪年投用的？")  # (no number asked: shown as it is)



def test_a_figure_of_a_statement_saying_little_of_the_thing_asked_does_not_answer() -> None:
    """"某水库设计库容是多少" answered by the figure of a statement that names the reservoir among other works
    ("完成15处积水点治理") is declined: the thing asked (库容) and most of what the asking clause names go unsaid. A
    statement saying it answers, and so does one saying it in other words of its own ("专职团队成员" for 专职人员,
    "县（区）" for 县区); the document asked of, how a quantity is asked and a clause naming no thing are not judged."""
    from assistant.answering.candidates import Candidate
    from assistant.answering.checks import thing_unsaid
    from assistant.answering.stats import CollectionStats
    from assistant.answering.terms import question_terms

    def unsaid(asked: str, text: str) -> bool:
        chunk = Chunk("c13", "t.txt", "d13", "某省政府工作报告", [], text, 1, 1)
        terms = question_terms(parse_question(asked), CollectionStats({}, 10, []))
        return thing_unsaid(asked, [Candidate(0, chunk, text, text, "sentence")], terms, lambda word: True)

    reservoir = "某省推动规划建设的甲河水库，设计库容是多少？"
    assert unsaid(reservoir, "推动甲河水库等防洪控制性工程规划建设，完成15处积水点治理。")
    assert not unsaid(reservoir, "甲河水库设计库容1.2亿立方米。")
    assert not unsaid(reservoir, "推动甲河水库等防洪控制性工程规划建设。")  # (no figure: figure_missing's)
    port = "某港去年5150多万标箱的吞吐量里，乙港区贡献了多少？"
    assert unsaid(port, "某港集装箱吞吐量达到5150.6万标准箱、连续15年排名世界第一。")
    assert not unsaid(port, "乙港区完成集装箱吞吐量2500万标准箱。")
    # a document named by its title in 《》 is where it is asked, not what ("《政府工作报告之某篇》提出新增就业达到多少")
    assert not unsaid("《政府工作报告之未来展望篇》提出新增就业达到多少？", "◉坚持经济发展就业导向，新增就业超过25万人。")
    # a word said inside another or in brackets is said
    assert not unsaid("驻地专职人员最少要多少人？", "其中驻地专职团队成员不少于25人。")
    assert not unsaid("生产总值过200亿的县区一共有几个？", "生产总值超200亿元县（区）达26个。")
    # the document asked of names no thing of it; nor do the words asking a quantity, or a clause with no noun
    assert not unsaid("营商环境规划里不动产登记有几项事项能当场即办？", "查封、查询、注销等 7 项登记事项实现即办。")
    assert not unsaid("到去年底达到多少了？", "能源绿色低碳转型加快，新能源装机达1.15亿千瓦。")
    assert not unsaid("规模到底多大？", "完成保交楼项目198个20.1万套。")
    assert unsaid("这个基金规模到底多大？", "完成保交楼项目198个20.1万套。")  # (a fund, of which nothing is said)
    assert not unsaid("打算花几年时间？", "今年再解决6000万农村人口的饮水安全问题。")  # (how long: the duration checks')
    # one word is too little to go by: a statement may leave its subject unsaid
    assert not unsaid("去年全省GDP总量是多少？", "全年增长4.8%、总量达5.3万亿元。")
    assert unsaid("去年全省GDP总量和人均GDP是多少？", "城镇新增就业70万人以上。")
    # a count in words of the counter asked is a figure too ("几节": "每天开设一节体育课"), though a lone 一
    asked = "对中小学体育课出了个硬性规定，义务教育阶段学校一天要开几节体育课？"
    terms = question_terms(parse_question(asked), CollectionStats({}, 10, []))
    chunk = Chunk("c14", "t.txt", "d14", "某省政府工作报告", [], "", 1, 1)
    gym, doctors = "义务教育阶段学校每天开设一节体育课。", "全省新增博士点23个、硕士点90个。"
    both = [Candidate(0, chunk, gym, gym, "sentence"), Candidate(0, chunk, doctors, doctors, "sentence")]
    assert not thing_unsaid(asked, both, terms, lambda word: True)
    assert thing_unsaid(asked, both[1:], terms, lambda word: True)


def test_the_clause_asking_a_number_takes_the_one_before_when_it_names_no_thing() -> None:
    """"…说要继续推动降低一般工商业电价，当年具体要降多少": the asking clause names nothing (当年, 具体, 降), the thing is
    in the clause before; a clause naming one is read alone."""
    from assistant.answering.figures import asking_clause

    asked = "报告说要继续推动降低一般工商业电价，当年具体要降多少？"
    assert asking_clause(asked) == "报告说要继续推动降低一般工商业电价，当年具体要降多少？"
    assert asking_clause("去年扩大有效投资，规划床位是多少张？") == "规划床位是多少张？"


def test_a_clause_the_question_restates_is_shown_with_the_rest_of_its_sentence() -> None:
    """"…那条，除了做大做强数字经济，社会层面还要加强啥建设": the question says the clause chosen itself, so the next
    clause of its sentence, which says what is asked, is shown with it; a question not restating it gets the clause."""
    text = "◉加快建设数字某市：培育某某计算产业生态，做大做强数字经济；加强数字社会建设，推进数字技术广泛应用。"
    units = units_of(Chunk("c9", "n.txt", "d9", "某市纲要", [], text, 1, 1), 0)
    asked = parse_question("纲要里“加快建设数字某市”那条，除了做大做强数字经济，社会层面还要加强啥建设？")
    assert [u.text for u in expand(units[0], units, asked)] == [units[0].text, units[1].text]
    other = parse_question("纲要里“加快建设数字某市”要培育什么产业生态？")
    assert [u.text for u in expand(units[0], units, other)] == [units[0].text]


def test_a_part_leaning_on_the_question_s_thing_is_answered_only_of_that_thing() -> None:
    """"规上工业总产值是多少？增长了多少？": the second part asks how the first part's thing changed, so a growth of
    another thing ("意向成交金额800.1亿美元、增长2%") does not answer it; a part naming a thing of its own is not
    held to the others' words."""
    from assistant.answering.choose import topic_unsaid
    from assistant.answering.terms import QuestionTerms

    def unit(text: str) -> Candidate:
        chunk = Chunk("c", "s.txt", "d", "2030年某市政府工作报告", [], text, 1, 1)
        return Candidate(0, chunk, text, text, "sentence")

    weights = {"2029": 1.0, "规上": 2.0, "工业": 1.5, "总产值": 3.0, "增长": 1.0}
    leaning = QuestionTerms(weights, "总产值", set(), None, own=frozenset({"增长"}))
    assert topic_unsaid(leaning, [unit("进博会意向成交金额800.1亿美元、增长2%。")])
    assert not topic_unsaid(leaning, [unit("规上工业总产值增长6.2%。")])
    # the unit an earlier part is answered by says the thing in its own words
    stated = unit("全年生产总值3.2万亿元、增长6.2%。")
    assert topic_unsaid(leaning, [stated]) and not topic_unsaid(leaning, [stated], {stated.key})
    owning = QuestionTerms({**weights, "民间": 2.0, "投资": 1.0}, "民间", set(), None, own=frozenset({"民间", "投资"}))
    assert not topic_unsaid(owning, [unit("民间投资增长10.5%。")])


def _said(text: str) -> Candidate:
    chunk = Chunk(id=text, source="r.docx", doc_id="r", title="某省政府工作报告", section=[], text=text,
                  line_start=1, line_end=1)
    return Candidate(0, chunk, text, text, "sentence")


def test_a_figure_asked_in_its_own_clause_leans_on_the_clause_naming_the_indicator() -> None:
    """"…提高农村生活污水治理率，目标定到百分之多少？": the asking clause names no thing but how a figure is asked (目标), so
    the clause before it is read with it; the passage names the rate in a run of actions, its one figure beside being
    another indicator's ("卫生厕所普及率达到85%"): no figure is set for the asked one. Set beside it, it answers."""
    from assistant.answering.figures import asking_clause, stated_without_figure
    from assistant.answering.terms import QuestionTerms

    question = "某省今年要提高农村生活污水治理率，目标定到百分之多少？"
    assert asking_clause(question).startswith("某省今年要提高")
    assert asking_clause("某市推动降低工商业电价，当年具体要降多少？").startswith("某市推动")
    assert asking_clause("某市推动降低工商业电价，污水处理率目标是多少？") == "污水处理率目标是多少？"
    terms = QuestionTerms({"提高": 1.8, "农村": 2.4, "生活": 2.5, "污水": 4.4, "目标": 2.3, "定到": 7.7, "治理率": 6.6},
                          "定到", set(), "%")
    run = _said("创建示范村500个，提高农村生活污水治理率，农村户用卫生厕所普及率达到85%，生活垃圾收运处理的自然村稳定在95%以上。")
    assert stated_without_figure(question, [run], [run], terms)
    set_to = _said("创建示范村500个，农村生活污水治理率提高到40%，农村户用卫生厕所普及率达到85%。")
    assert not stated_without_figure(question, [set_to], [set_to], terms)


def test_a_figure_per_head_of_another_thing_does_not_answer() -> None:
    """"人均GDP" is not answered by "居民人均可支配收入" (per head, of another thing); "人均地区生产总值" (GDP in other
    words) answers, and so does a sign standing right before its figure ("补助标准提高到人均320元")."""
    from assistant.answering.measures import per_head_missing

    other = {"gdp": frozenset({"地区生产总值", "生产总值"})}
    asked = "某省去年人均GDP到多少了？"
    assert per_head_missing(asked, [_said("全省地区生产总值增长5.1%。"), _said("居民人均可支配收入增长4.9%。")],
                            None, "", other)
    assert not per_head_missing(asked, [_said("人均地区生产总值突破10万元。")], None, "", other)
    # (what a sign is per head of ends where its change is said: not "可支配收入增长与经济增长同步" of GDP)
    growth = {"gdp": frozenset({"地区生产总值", "经济增长"})}
    assert per_head_missing("某省人均GDP的目标是多少？", [_said("居民人均可支配收入增长与经济增长基本同步。")], None, "", growth)
    assert not per_head_missing("居民医保财政补助标准提高到人均多少钱？", [_said("城乡居民基本医保财政补助标准提高到人均320元。")])
    assert not per_head_missing("城乡居民医保的人均财政补助从多少提到多少？", [_said("财政补助由每人每年420元提高到450元。")])


def test_a_count_of_things_stands_in_a_clause_naming_what_they_are_of() -> None:
    """"省重点工程一共安排了多少个项目": the 个 given ("开工957个重大项目") stand in a clause that names no word of the
    question but the thing counted (项目, which any count of projects says): they are other projects. A clause naming
    the 重点工程 with its count answers."""
    from assistant.answering.checks import _uncounted
    from assistant.answering.measures import measure_apart
    from assistant.answering.terms import QuestionTerms

    question = "某省去年的省重点工程一共安排了多少个项目？"
    terms = QuestionTerms({"重点工程": 5.0, "安排": 2.0, "项目": 2.2}, "重点工程", set(), "个")
    words = _uncounted(question, terms, frozenset({"某省"}))
    assert "项目" not in words and "重点工程" in words
    # (a clause naming no other thing, "某市有多少个物流园区", keeps what it counts)
    parks = QuestionTerms({"物流园区": 5.0, "某市": 2.0}, "物流园区", set(), "个")
    assert "物流园区" in _uncounted("某市有多少个物流园区？", parks, frozenset({"某市"}))
    ranked = QuestionTerms({"高新区": 5.0, "评价": 3.0, "国家": 1.5}, "高新区", set(), "家")
    assert "高新区" in _uncounted("某省去年有几家高新区进了国家高新区评价前50强？", ranked, frozenset({"某省"}))
    apart = _said("三批集中开工957个重大项目，省重点工程项目投资5367.1亿元。")
    assert measure_apart("个", [apart], words)
    assert not measure_apart("个", [_said("省重点工程安排项目300个，完成投资5000亿元。")], words)


def test_an_area_asked_is_not_answered_by_a_share_of_another_thing() -> None:
    """"规划面积有多大" answered by a passage whose only figures are a count and another thing's share ("增长8%"): no
    area; a share of the area done ("确权面积超过80%") still answers."""
    from assistant.answering.measures import area_missing

    assert area_missing("某产业园规划面积有多大？", [_said("某产业园启动建设、签约项目163个，货运量增长8%。")])
    assert not area_missing("某产业园规划面积有多大？", [_said("某产业园规划面积12平方公里。")])
    assert not area_missing("确权面积有多大？", [_said("推进农村承包地确权，确权面积超过80%。")])


def test_an_ordinal_is_no_count_and_a_change_no_total() -> None:
    """"第十四个五年规划" counts nothing (多少个 is not answered by it); "较禁捕之初增加47种" is what was added, not how
    many kinds there are (种 is a measure)."""
    from assistant.answering.measures import increment_as_total, measure_missing

    assert measure_missing("个", [_said("根据某市第十四个五年规划和二〇三五年远景目标纲要编制。")], "划了多少个固定网格？")
    assert not measure_missing("个", [_said("划分固定网格1200个。")], "划了多少个固定网格？")
    assert increment_as_total("某段干流一共监测到多少种鱼了？", [_said("某段监测鱼类较禁捕之初增加47种。")], "种")
    assert not increment_as_total("某段干流一共监测到多少种鱼了？", [_said("某段监测到鱼类累计达到120种。")], "种")


def test_parts_told_apart_by_their_things_are_not_answered_by_one_statement_naming_neither() -> None:
    """"男性和女性各是多少岁" answered for both by one row of 人均期望寿命 that names neither: the figure is the whole's,
    not each part's. One statement naming both answers both."""
    from assistant.answering.frame import Facet
    from assistant.answering.parts import FacetAnswer, unnamed_together

    frame = parse_question("人均期望寿命男性和女性各是多少岁？")
    facets = [Facet("男性", frame.scope, "人均期望寿命男性是多少岁"), Facet("女性", frame.scope, "人均期望寿命女性是多少岁")]
    def kept(units: list[list[Candidate]]) -> list[bool]:
        results = [FacetAnswer(f.label, u, 0.9) for f, u in zip(facets, units, strict=True)]
        return [bool(r.units) for r in unnamed_together(results, facets, frame)]

    whole = _said("人均期望寿命达到77.5岁。")
    both = _said("男性人均期望寿命75岁、女性80岁。")
    assert kept([[whole], [whole]]) == [False, False]
    assert kept([[both], [both]]) == [True, True]
    assert kept([[whole], [both]]) == [True, True]  # (answered apart: each is judged on its own)
