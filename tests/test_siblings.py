"""A figure of a sibling of the asked thing does not answer it: "在区域性股权市场挂牌的企业奖补多少" is not answered
by "对新三板挂牌的企业给予60万元", nor "药品安全群众满意度" by "食品安全群众满意度80%"."""

from __future__ import annotations

from assistant.answering.candidates import Candidate
from assistant.answering.siblings import document_text, sibling_named
from assistant.answering.terms import QuestionTerms
from assistant.models import Chunk


def _unit(text: str, passage: str = "") -> Candidate:
    chunk = Chunk(id=text, source="d.txt", doc_id="d", title="某市奖补办法", section=[], text=passage or text,
                  line_start=1, line_end=1)
    return Candidate(0, chunk, text, text, "sentence")


def _terms(*words: str) -> QuestionTerms:
    weights = {w: 3.0 + len(w) for w in words}
    return QuestionTerms(weights, max(weights, key=weights.__getitem__), set(), None)


def _document(text: str):  # type: ignore[no-untyped-def]
    return lambda doc_id: text


def test_a_figure_of_another_thing_of_the_same_kind_does_not_answer() -> None:
    listing = "（五）对实现新三板挂牌的企业，市财政给予60万元奖补资金。"
    doc = _document("对新三板挂牌企业给予奖补。" + listing)
    terms = _terms("区域性", "股权", "市场", "挂牌", "企业", "奖补")
    q = "在区域性股权市场（区域股权交易中心）挂牌的企业奖补多少？"
    assert sibling_named(q, [_unit(listing)], terms, frozenset(), True, document=doc)
    # the asked market named in the statement: the figure may be its own
    both = "对在区域性股权市场或新三板挂牌的企业，市财政给予60万元奖补资金。"
    assert not sibling_named(q, [_unit(both)], terms, frozenset(), True, document=_document(both + listing))
    # a question that asks no figure
    assert not sibling_named("在区域性股权市场挂牌的企业有奖补吗", [_unit(listing)], terms, frozenset(), True, document=doc)

    row = "指标：食品安全群众满意度（%）；2020年：78.21%；2025年：80%"
    food = _document("食品安全监管。" + row)
    assert sibling_named("药品安全群众满意度2025年目标是多少", [_unit(row)], _terms("药品", "安全", "群众", "满意度"),
                         frozenset(), True, document=food)


def test_a_thing_named_plainly_or_after_a_verb_or_a_figure_may_be_the_one_asked() -> None:
    # after 的: no modifier of its own ("骨干供应链企业" answered by "…影响力的供应链重点企业")
    chain = "培育10家以上具有行业或区域影响力的供应链重点企业。"
    assert not sibling_named("骨干供应链企业是多少家？", [_unit(chain)], _terms("骨干", "供应链", "企业"), frozenset(), True,
                             document=_document(chain * 3))
    # after a verb the document does not name it with elsewhere ("完成保密审查" answered by "做出保密审查")
    review = "案件承办人应当在案件终结后二十日内，对需要公开的文书做出保密审查和技术处理。"
    assert not sibling_named("承办人要在多长时间内完成保密审查？", [_unit(review)], _terms("承办人", "完成", "保密", "审查"),
                             frozenset(), True, document=_document(review))
    # after a figure it is what is counted ("市里奖补办法能拿多少" answered by "给予30万元奖补资金")
    paid = "新三板摘牌企业重新完成新三板挂牌的，市财政给予30万元奖补资金。"
    assert not sibling_named("按市里奖补办法能拿多少？", [_unit(paid)], _terms("市里", "奖补", "办法"), frozenset(), True,
                             document=_document(paid * 3))


def test_a_statement_is_read_for_the_asked_word_not_its_whole_passage() -> None:
    """"城镇低保标准每人每月多少元" answered by the disability allowances' statement: the passage speaks of 低保
    elsewhere, the statement with the figure does not."""
    allowance = "困难残疾人生活补贴、重度残疾人护理补贴标准分别从每人每月202元、270元提高到209元、280元。"
    passage = "城乡低保标准提高5%。" + allowance
    doc = _document("护理补贴标准。生活补贴标准。补贴标准。" + passage)
    weights = {"城镇": 2.0, "低保": 6.0, "标准": 2.5, "每人": 3.0, "每月": 3.0}
    terms = QuestionTerms(weights, "低保", set(), None)
    assert sibling_named("今年城镇低保标准提到每人每月多少元？", [_unit(allowance, passage)], terms, frozenset(), True,
                         document=doc)


def test_a_list_of_others_of_the_asked_kind_does_not_answer_for_it() -> None:
    """"银龄护士要引进多少名" answered by "银龄教师1550名、银龄医师1000名…": others of the kind, each a recurring name;
    the asked one listed (银龄教师), or the kind asked as a whole, is answered."""
    listing = "年度目标：引进留用3600名高层次银龄人才，其中：银龄教师1550名、银龄医师1000名、银龄技师300名。"
    doc = _document(listing + "银龄教师、银龄医师、银龄技师计划。")
    assert sibling_named("银龄人才计划里，银龄护士要引进多少名？", [_unit(listing)], _terms("银龄", "人才", "计划", "护士", "引进"),
                         frozenset(), True, document=doc)
    assert not sibling_named("银龄人才计划里，银龄教师要引进多少名？", [_unit(listing)],
                             _terms("银龄", "人才", "计划", "教师", "引进"), frozenset(), True, document=doc)
    assert not sibling_named("银龄人才计划要引进留用多少人？", [_unit(listing)], _terms("银龄", "人才", "计划", "引进", "留用"),
                             frozenset(), True, document=doc)


def test_the_word_right_before_the_thing_tells_siblings_apart_and_asides_are_read_through() -> None:
    """"每千常住人口康复医师数" answered by "每千常住人口拥有执业（助理）医师数达到3.29人": the words before 医师
    that the statement lacks are 康复 alone (每千常住人口 it has), and the bracketed aside does not hide 执业医师."""
    statement = "到2030年，每千常住人口拥有执业（助理）医师数达到3.29人，每千常住人口注册护士数达到3.92人。"
    text = document_text([_unit("执业（助理）医师队伍。" + statement).chunk])  # (as the answerer reads documents)
    doc = _document(text)
    weights = {"每千": 4.0, "常住人口": 5.0, "康复": 3.5, "医师": 3.0, "达到": 1.0}
    terms = QuestionTerms(weights, "常住人口", set(), None)
    assert sibling_named("每千常住人口康复医师数要达到多少？", [_unit(statement)], terms, frozenset(), True, document=doc)


def test_a_name_counts_as_recurring_only_in_two_statements_not_in_overlapping_chunks() -> None:
    """Chunks overlap: a statement two chunks both hold is one statement, and the name in it does not recur."""
    statement = "针对首年关税为零的2034种出口商品，加大市场开拓力度。"
    first = Chunk(id="a", source="d.txt", doc_id="d", title="某实施意见", section=["一、目标"], text="总体要求。" + statement,
                  line_start=1, line_end=2)
    second = Chunk(id="b", source="d.txt", doc_id="d", title="某实施意见", section=["一、目标"], text=statement + "其他。",
                   line_start=2, line_end=3)
    assert document_text([first, second]).count("针对首年") == 1
    assert document_text([first, second]).count("一、目标") == 1


def test_a_pronoun_of_the_question_is_no_word_it_asks_about() -> None:
    """"日本对咱们首年就零关税的商品有多少种": 咱们 says who asks, it names nothing to find."""
    from assistant.answering.wording import content_terms

    assert "咱们" not in content_terms("日本对咱们首年就零关税的出口商品有多少种？")
    assert "首年" in content_terms("日本对咱们首年就零关税的出口商品有多少种？")


def test_the_thing_may_be_named_in_a_clause_before_the_one_asking() -> None:
    """"企业在区域股权交易中心挂牌的话，奖补多少钱": the clause asking names no thing; the one before it does."""
    listing = "（五）对实现新三板挂牌的企业，市财政给予60万元奖补资金。"
    doc = _document("对新三板挂牌企业给予奖补。" + listing)
    terms = _terms("企业", "区域", "股权", "交易中心", "挂牌", "奖补")
    assert sibling_named("企业在区域股权交易中心挂牌的话，市财政奖补多少钱？", [_unit(listing)], terms, frozenset(), True,
                         document=doc)


def test_a_word_before_the_thing_must_be_a_word_of_the_statement() -> None:
    """"财政赤字准备安排多少" answered by "今年拟安排财政赤字13500亿元": 准备 says how it is meant, and "年拟" before 安排
    is no word of the statement (今年|拟|安排), however often the reports say "今年拟安排"."""
    deficit = "今年拟安排财政赤字13500亿元，比上年增加1500亿元。"
    doc = _document("今年拟安排中央预算内投资。今年拟安排地方专项债券。" + deficit)
    weights = {"财政赤字": 5.0, "准备": 4.0, "安排": 2.0}
    terms = QuestionTerms(weights, "财政赤字", set(), None)
    assert not sibling_named("2030年财政赤字准备安排多少？", [_unit(deficit)], terms, frozenset(), True, document=doc)
    # (a slice no word list holds, "年要" of "今年|要|安排": the segmentation decides)
    plain = "今年要安排财政赤字13500亿元。"
    doc = _document("今年要安排中央预算内投资。今年要安排地方专项债券。" + plain)
    weights = {"财政赤字": 5.0, "意向": 4.0, "安排": 2.0}
    terms = QuestionTerms(weights, "财政赤字", set(), None)
    assert not sibling_named("2030年财政赤字意向安排多少？", [_unit(plain)], terms, frozenset(), True, document=doc)


def test_an_indicator_the_collection_quantifies_elsewhere_is_not_the_one_a_list_gives() -> None:
    """"退役军人就业的目标" is not answered by a target list's "城镇新增就业5万人" when another statement lists
    "城镇新增就业6万人，退役军人就业3000人": the asked indicator is one of its own."""
    from assistant.answering.siblings import named_elsewhere

    targets = "生产总值增长7%左右，城镇新增就业5万人，粮食产量稳定。"
    terms = _terms("退役", "军人", "就业", "目标", "万人")
    q = "某市2030年报告里，退役军人就业的目标是多少万人？"
    elsewhere = ["全年实现城镇新增就业6万人，退役军人就业3000人。", targets]
    assert named_elsewhere(q, [_unit(targets)], terms, frozenset(), lambda: elsewhere)
    # the collection never states it with a figure: it may be the list's wording of it
    assert not named_elsewhere(q, [_unit(targets)], terms, frozenset(), lambda: ["做好退役军人就业工作。", targets])
    # a year after the phrase is no figure of it ("…规划（2021—2035年）")
    assert not named_elsewhere(q, [_unit(targets)], terms, frozenset(), lambda: ["退役军人就业规划（2031—2035年）"])
    # stated with a figure but beside no other indicator of the words it shares: perhaps another document's wording
    assert not named_elsewhere(q, [_unit(targets)], terms, frozenset(), lambda: ["退役军人就业3000人。", targets])
    # the thing asked (强度) never said by the chosen statement: a wording of it ("…相当于生产总值的比例"), however
    # the collection lists the asked phrase beside a sibling
    ratio = "研发经费支出相当于生产总值的比例达到4.5%左右。"
    assert not named_elsewhere("某市今年研发投入强度目标是多少？", [_unit(ratio)], _terms("研发", "投入", "强度"), frozenset(),
                               lambda: ["研发经费支出约5100亿元、研发投入强度3.6%左右。"])
    # one asked word missing is a wording, not another indicator
    terms = _terms("全市", "城镇", "新增", "就业")
    assert not named_elsewhere("全市城镇新增就业目标是多少", [_unit("新增就业5万人。")], terms, frozenset(),
                               lambda: ["城镇新增就业6万人。"])


def test_only_the_statements_in_the_measure_asked_are_read_for_the_figure() -> None:
    """"城镇低保标准提到每人每月多少元" is not answered by "残疾人护理补贴标准每人每月202元" beside a sentence that
    names 低保标准 with a share only."""
    subsidy = "困难残疾人生活补贴、重度残疾人护理补贴标准分别从每人每月202元提高到209元。"
    share = "农村低保标准占城镇低保标准的比例达到77%以上。"
    doc = _document(subsidy + share + "提高残疾人护理补贴标准。")
    terms = QuestionTerms({"城镇": 4.0, "低保": 6.0, "标准": 3.0, "每人": 3.0, "每月": 3.0}, "低保", set(), "元")
    q = "某省2030年城镇低保标准提到每人每月多少元？"
    assert sibling_named(q, [_unit(subsidy), _unit(share)], terms, frozenset(), True, document=doc)
    # a statement giving the asked one in the measure asked answers it
    given = "城镇低保标准提高到每人每月900元。"
    assert not sibling_named(q, [_unit(given), _unit(subsidy)], terms, frozenset(), True, document=doc)


def test_a_plan_period_names_nothing_a_thing_is_of() -> None:
    """"十三五提升社区党建阵地投了多少钱": 十三五 dates what is asked; it is no word naming what the thing is of (else the
    statement "投入2.2亿全面提升86个社区党建阵地", which never says 十三五, would be read as another thing's figure)."""
    from assistant.answering.siblings import _asked_words

    terms = QuestionTerms({"十三五": 5.0, "提升": 2.0, "社区": 3.0, "党建": 4.0, "阵地": 4.0}, "十三五", set(), "元")
    words, _ = _asked_words("十三五提升社区党建阵地投了多少钱", terms, frozenset())
    assert "十三五" not in words and {"社区", "党建", "阵地"} <= set(words)


def test_a_time_word_names_nothing_the_thing_is_of() -> None:
    """"十三五期间固定资产投资年均增长多少" asks the 固定资产投资 of a period: "全社会固定资产投资年均增长9%" is it, not
    another kind of investment than one "of 期间"."""
    said = "全社会固定资产投资年均增长9%；"
    terms = _terms("期间", "固定资产", "投资", "增长")
    q = "某区十三五期间固定资产投资年均增长了多少？"
    assert not sibling_named(q, [_unit(said)], terms, frozenset(), True, document=_document("全社会固定资产投资保持增长，全社会固定资产投资结构优化。" + said))


def test_a_thing_right_after_the_asked_words_is_of_the_asked_one() -> None:
    """"高铁运营里程" asked: "高速铁路运营里程达1.6万公里" names the 里程 right after 运营, the asked words' last, though the
    same statement names another 里程 ("新建铁路投产里程8427公里") first."""
    said = "新建铁路投产里程8427公里，高速铁路运营里程达1.6万公里，占世界的60%以上。"
    terms = _terms("高铁", "运营", "里程")
    doc = _document("新投产里程8000公里以上。" + said)
    assert not sibling_named("某年报告里高铁运营里程说到多少公里了？", [_unit(said)], terms, frozenset(), True, document=doc)


def test_a_due_time_names_nothing_the_thing_is_of() -> None:
    """"25年底前食品企业…合格率" (cut 年 + 底前 + 食品): 底前 says when, it is no kind of 食品 the statement lacks."""
    said = ("督促食品生产经营者全面落实主体责任，配备专兼职食品安全管理人员，到 2025 年底，规模以上食品生产企业自查报告率"
            "达到 100%，食品安全管理岗位人员法规知识抽查考核合格率达到 90% 以上。")
    terms = _terms("底前", "食品", "企业", "管理", "人员", "法规", "抽查", "考核", "合格率")
    doc = _document(said + "督促食品生产企业落实责任。")
    assert not sibling_named("某规划25年底前食品企业管理岗人员法规抽查考核合格率要求多少？", [_unit(said)], terms,
                             frozenset(), True, document=doc)


def test_the_country_named_is_no_sibling_of_what_it_qualifies() -> None:
    # "中国经济占世界的比重" is answered by "我国经济占世界经济比重从11.4%提高到15%": 中国 says whose, like 我国
    said = "国内生产总值年均增长7.1%，占世界经济比重从11.4%提高到15%左右。"
    terms = QuestionTerms({"过去": 2.7, "中国": 1.9, "经济": 1.4, "全世界": 7.7, "比重": 3.7}, "全世界", set(), None)
    q = "过去五年，中国经济占全世界的比重是从多少升到多少的？"
    doc = _document("世界经济复苏乏力，世界经济格局深刻调整。" + said)
    assert not sibling_named(q, [_unit(said)], terms, frozenset(), True, document=doc)


def test_where_a_plan_says_it_is_no_word_of_what_is_asked() -> None:
    """"…规划回顾安全生产，…死亡人数各降了多少": 回顾 says where the plan says it, it names nothing 安全 is of; the
    statement giving the figure answers."""
    said = "按可比口径与“十二五”相比，“十三五”期间某市生产安全事故起数、死亡人数分别下降50.1%、14.7%。"
    terms = _terms("规划", "回顾", "安全", "生产", "死亡", "人数")
    q = "应急管理那个规划回顾安全生产，死亡人数各降了多少？"
    doc = _document("回顾安全生产形势。安全生产形势持续稳定。" + said + "生产安全事故起数下降。")
    assert not sibling_named(q, [_unit(said)], terms, frozenset(), True, document=doc)
