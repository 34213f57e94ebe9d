"""The sources of a question with facets: each facet searched in the documents that fit it, with the whole
question's words (a sub-question often leaves its indicator to the other part)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from assistant.answering.candidates import Candidate
from assistant.answering.frame import Facet, parse_question
from assistant.answering.gather import gather_contexts
from assistant.models import Chunk, DocumentInfo
from assistant.retrieval.routing import NATIONAL, Catalog


@dataclass
class RecordingRetriever:
    """A retriever that finds nothing and remembers what it was asked."""

    calls: list[dict[str, Any]] = field(default_factory=list)

    def search(self, query: str, **kwargs: Any) -> list:
        self.calls.append({"query": query, **kwargs})
        return []


def _unit(doc: str, text: str, kind: str = "sentence") -> Candidate:
    """A candidate unit of document `doc` that says `text`."""
    chunk = Chunk(id=f"{doc}:{text}", source=f"{doc}.txt", doc_id=doc, title=doc, section=[], text=text, line_start=1,
                  line_end=1)
    return Candidate(0, chunk, text, text, kind)


def _catalog() -> Catalog:
    def doc(doc_id: str, title: str, place: str, level: str, year: int) -> DocumentInfo:
        return DocumentInfo(doc_id, f"{doc_id}.txt", title, 1, 10, year=year, place=place, level=level,
                            kind="work_report")

    return Catalog([
        doc("n24", "2024年政府工作报告", NATIONAL, "national", 2024),
        doc("js25", "2025年江苏省政府工作报告", "江苏省", "province", 2025),
        doc("zj25", "2025年浙江省政府工作报告", "浙江省", "province", 2025),
    ])


def _searches(question: str) -> tuple[Any, list[dict[str, Any]]]:
    """The question's frame in the catalog above, and the searches gathering its sources makes."""
    catalog = _catalog()
    frame = parse_question(question, catalog)
    retriever = RecordingRetriever()
    gather_contexts(retriever, frame, question, catalog, k=5)
    return frame, retriever.calls


def test_each_part_asked_of_a_place_is_searched_in_its_documents() -> None:
    """"江苏24年失业率是多少？社零涨了多少？": both parts ask of the province the question names (their scope is the
    question's); each is searched in the province's documents too, the whole question's words favouring other
    places' passages."""
    frame, calls = _searches("江苏24年城镇调查失业率是多少？社零涨了多少？")
    assert len(frame.facets) == 2 and all(f.scope == frame.scope for f in frame.facets)
    assert [c["only_docs"] for c in calls[1:]] == [{"js25"}, {"js25"}]
    assert all(c["dense"] for c in calls[1:])  # (by meaning too: "经济总量" is said 地区生产总值)


def test_a_facet_whose_year_no_document_is_for_is_searched_in_its_places_documents() -> None:
    """"江苏2024年实际增长多少" is answered by the province's 2025 report (it reviews 2024): the facet is searched
    there, with the indicator the other part names ("GDP")."""
    frame, calls = _searches("2024年国家定的GDP增长目标是多少？江苏2024年实际增长了多少？")
    assert [f.label for f in frame.facets] == ["全国", "江苏"]
    national, province = calls[1:]
    assert national["only_docs"] == {"n24"}
    assert province["only_docs"] == {"js25"}
    assert "GDP" in province["query"] and "江苏2024年实际增长了多少" in province["query"]


def test_a_facet_searched_in_its_documents_leaves_out_the_words_naming_them() -> None:
    """Within the national report, "国务院…报告…全国" only match its opening lines ("我代表国务院，向大会报告"):
    the facet is searched there by what it asks."""
    _, calls = _searches("国务院24年报告里说全国人均预期寿命到多少岁了？江苏25年报告里全省预计是多少？")
    national, province = calls[1:]
    assert national["only_docs"] == {"n24"} and province["only_docs"] == {"js25"}
    for word in ("国务院", "报告", "全国"):
        assert word not in national["query"]
    assert "人均预期寿命" in national["query"] and "2024" in national["query"]
    assert "全省" not in province["query"] and "人均预期寿命" in province["query"]
    assert "国务院" in calls[0]["query"]  # the whole question's search, over every document, keeps them


def test_a_citys_document_answers_for_its_province_only_where_it_names_it() -> None:
    """Asked about the province, a city's plan answers only with what it says of the province (a table column
    "2025年·四川"), not with its own targets."""
    from assistant.answering.candidates import Candidate
    from assistant.answering.eligible import eligible
    from assistant.models import Chunk

    catalog = Catalog([DocumentInfo("cd", "cd.txt", "成都市“十四五”教育事业发展规划", 1, 10, year=2022, place="成都市",
                                    level="city", kind="plan")])
    frame = parse_question("2025年学前教育毛入园率成都和四川的目标分别是多少？", catalog)
    city, province = frame.facets

    def unit(text: str) -> Candidate:
        chunk = Chunk(id=text, source="cd.txt", doc_id="cd", title="成都市“十四五”教育事业发展规划", section=[],
                      text=text, line_start=1, line_end=1)
        return Candidate(0, chunk, text, text, "sentence")

    own = unit("到2025年，学前教育毛入园率达到96%。")
    column = unit("指标：学前教育毛入园率；2025年·四川：93%；2025年·成都：96%")
    assert eligible([own, column], city, catalog) == [own, column]
    assert eligible([own, column], province, catalog) == [column]


def test_a_row_answering_for_one_of_the_places_compared_shows_its_own_columns() -> None:
    from assistant.answering.candidates import Candidate
    from assistant.answering.present import own_columns
    from assistant.models import Chunk

    cells = [("指标", "学前教育毛入园率（%）"), ("2025年·四川", "93%"), ("2025年·成都", "96%"), ("属性", "预期性")]
    chunk = Chunk(id="r", source="cd.txt", doc_id="cd", title="规划", section=[], text="x", line_start=1, line_end=1)
    row = Candidate(0, chunk, "x", "全部", "row", cells=cells)
    shown = own_columns(row, ("四川省",), ("成都市", "四川省")).display
    assert "93%" in shown and "96%" not in shown and "学前教育毛入园率" in shown
    assert own_columns(row, ("重庆市",), ("重庆市", "四川省")).display == "全部"  # no column of its own: unchanged


def test_a_which_year_question_is_told_the_year_a_statements_relative_word_stands_for() -> None:
    from assistant.answering.candidates import Candidate
    from assistant.answering.named import with_year
    from assistant.models import Chunk

    text = "城镇调查失业率涵盖城镇常住人口，今年首次把这一指标作为预期目标。"
    chunk = Chunk(id="r", source="r.txt", doc_id="r", title="2030年政府工作报告", section=[], text=text, line_start=1,
                  line_end=1)
    unit = Candidate(0, chunk, text, text, "sentence")
    assert with_year(unit, 2030).display == text + "（今年即2030年，据《2030年政府工作报告》）"
    assert with_year(unit, None).display == text
    plain = Candidate(0, chunk, "没有相对年份的话。", "没有相对年份的话。", "sentence")
    assert with_year(plain, 2030).display == "没有相对年份的话。"
    # a statement naming no year, under a heading that names one, is of that year
    review = Chunk(id="v", source="r.txt", doc_id="r", title="2030年政府工作报告", section=["一、2029年工作回顾"],
                   text="服务业比重首次超过第二产业。", line_start=1, line_end=1)
    first = Candidate(0, review, review.text, review.text, "sentence")
    assert with_year(first, 2030).display.endswith("（2029年，据《2030年政府工作报告》“一、2029年工作回顾”）")
    # the heading's year is no answer when the question names it itself ("29年那段说…，延到哪一年")
    from assistant.answering.named import year_unnamed

    told = with_year(first, 2030)
    assert not year_unnamed([told], "服务业比重首次超过第二产业是哪一年？")
    assert year_unnamed([told], "2029年回顾里说服务业比重超过第二产业，这个势头要保持到哪一年？")
    assert not year_unnamed([with_year(unit, 2030)], "2030年报告说首次列为目标，是哪一年首次列入的？")  # (今年 said)


def test_a_which_province_question_is_told_the_place_whose_report_says_it() -> None:
    """"去年新能源汽车产量达到119.8万辆的是哪个省": the province whose report states it; not a place of another
    level than the one asked, nor one the statement names itself."""
    from assistant.answering.candidates import Candidate
    from assistant.answering.named import which_place, with_place
    from assistant.models import Chunk
    from assistant.retrieval.routing import DocProfile

    text = "新能源汽车产量达到119.8万辆。"
    chunk = Chunk(id="s", source="s.txt", doc_id="s", title="2030年某省政府工作报告", section=[], text=text,
                  line_start=1, line_end=1)
    unit = Candidate(0, chunk, text, text, "sentence")
    info = DocumentInfo("s", "s.txt", "2030年陕西省政府工作报告", 1, 10, year=2030, place="陕西省", level="province")
    doc = DocProfile(info, "陕西省", "陕西省", "province", "work_report", frozenset({2030}))
    assert which_place("去年新能源汽车产量达到119.8万辆的是哪个省？") == "省"
    assert with_place(unit, doc, "省").display.startswith("陕西省（据《2030年某省政府工作报告》）：")
    assert with_place(unit, doc, "县").display == text
    assert which_place("新能源汽车产量是多少？") is None
    assert which_place("某省筹办的运动会，主赛区定在哪个城市？") == "市"  # (a city asked as 城市, a province as 省份)
    assert which_place("这个产业园落在哪个省份？") == "省"
    # a place asked is not answered by statements naming none (nor a county's short name that is an everyday word)
    from assistant.answering.named import place_unnamed

    def said(line: str) -> Candidate:
        return Candidate(0, chunk, line, line, "sentence")

    assert place_unnamed([said("建成2个万卡智算集群。"), said("统筹推进新型城镇化和乡村全面振兴。")])
    assert not place_unnamed([said("在城关区、七里河区各建成1个万卡智算集群。")])
    assert not place_unnamed([said("在兰州经济技术开发区建设智算集群。")])
    assert not place_unnamed([with_place(unit, doc, "省")])  # the document's own place, told
    assert not place_unnamed([])
    # asked of a level ("哪个城市"), a place of another level (the province a note cites) names none asked
    games = said("申办第十六届全国运动会。（2030年，据《2030年甘肃省政府工作报告》“二、今年工作”）")
    assert place_unnamed([games], "市") and place_unnamed([said("甘肃省申办第十六届全国运动会。")], "市")
    assert not place_unnamed([said("支持兰州申办第十六届全国运动会。")], "市")
    assert not place_unnamed([with_place(unit, doc, "省")], "省")
    # several places asked ("都分布在哪些地市", "哪几个县市上榜"): a count of them names none; counties listed by their
    # short names name them; "哪些区域"/"哪些地区" ask regions, not divisions
    from assistant.answering.named import places_asked

    assert which_place("20个先导区都分布在哪些地市？") == "市" and places_asked("20个先导区都分布在哪些地市？")
    assert which_place("哪几个县市上了百强县榜单？") == "县" and not places_asked("主赛区定在哪个城市？")
    assert which_place("重点盯的是哪几个区域？") is None and which_place("跟哪几个地区交流合作？") is None
    assert which_place("这个旅游带覆盖哪几个地级市？") == "市"
    # a level word that makes an attribute of another thing asks no place ("哪些省级试点", "哪些市直部门", "哪个市场主体")
    for asked in ("新增了哪几个省级试点？", "分别由哪些市直部门牵头？", "哪个市场主体受益最大？", "哪个县城要扩容？"):
        assert which_place(asked) is None, asked
    home = {"s": "甘肃省"}
    assert place_unnamed([said("培育20个省级乡村建设先导区。")], "市", home)
    listed = said("榆中、永登、皋兰上榜全国百强县。")
    assert not place_unnamed([listed], "县", home) and place_unnamed([listed], "县")
    assert place_unnamed([said("推进兴业、强县、富民一体发展，培育工业强县5个。")], "县", home)  # (a county far away)
    # a place the question names itself is no answer to which places
    metro = said("抓好兰州都市圈规划建设。")
    assert place_unnamed([metro], "市", home, "兰州都市圈包括周边哪几个市？") and not place_unnamed([metro], "市", home)
    # nor is the document's own place, told, when the question names it (by a short name too: 陕西, 陕西省)
    for asked in ("陕西今年社保经办先跟哪几个省份打通？", "陕西省今年社保经办先跟哪几个省份打通？"):
        assert place_unnamed([with_place(unit, doc, "省")], "省", None, asked)
    # where a thing stands asked ("选址定在哪儿", "在哪下线的"): a place of any level or a zone answers; not where
    # effort goes ("重点放在哪")
    assert which_place("储备库选址定在哪儿了？") == "地点" and which_place("那台风机是在哪下线的？") == "地点"
    assert which_place("三个汽车站搬迁后，新站分别搬到哪儿？") == "地点"  # (where a thing moves to)
    assert which_place("协同发展的重点放在哪？") is None and which_place("特别国债主要用在哪？") is None
    depot = said("规划建设1-2个市级综合应急物资储备库。")
    assert place_unnamed([depot], "地点") and not place_unnamed([said("在甲县经济开发区建设应急物资储备库。")], "地点")
    # a town, village or street asked needs one named: not an everyday word before the ending ("中心镇", "特色村")
    from assistant.answering.named import town_unnamed

    assert town_unnamed([said("新增省级特色生态旅游示范乡（镇）1个、旅游特色村5个。")], "那个示范乡具体是哪个乡镇？")
    assert town_unnamed([said("实行特大镇扩权增能试点，提升县城和中心镇承载能力。")], "首批都挑了哪几个镇？")
    assert not town_unnamed([said("推动大周镇、神垕镇向小城市发展。")], "要推动哪几个镇往小城市发展？")
    assert not town_unnamed([said("十八洞村入选全国乡村振兴十佳案例。")], "哪个村进了十佳案例？")
    assert not town_unnamed([said("实行特大镇扩权增能试点。")], "特大镇试点是怎么安排的？")  # (no town asked)
    # with the question's terms, only statements about the thing asked count: a city named beside them says nothing
    # of where it is
    from assistant.answering.terms import QuestionTerms

    terms = QuestionTerms(weights={"集聚区": 6.0, "海洋": 5.0, "分布": 2.0}, rarest="集聚区", bigrams=set(), measure=None)
    zones = [said("培育10个左右海洋特色产业集聚区，发展海洋生物医药。"), said("支持天水市港产城融合发展。")]
    assert place_unnamed(zones, "市", home, "海洋特色产业集聚区都分布在哪些市？", terms)
    assert not place_unnamed(zones, "市", home, "海洋特色产业集聚区都分布在哪些市？")
    # ... nor a city named in another clause of a statement about it ("精心筹办兰州冬运会，办好第七届军运会")
    games = QuestionTerms(weights={"军运会": 7.0, "第七届": 4.0, "城市": 1.0}, rarest="军运会", bigrams=set(), measure=None)
    held = said("精心筹办兰州冬运会，办好第七届军运会。")
    assert place_unnamed([held], "市", None, "第七届军运会是在哪个城市办的？", games)
    assert not place_unnamed([said("在兰州办好第七届军运会。")], "市", None, "第七届军运会是在哪个城市办的？", games)
    assert not place_unnamed([held], "市", None, "第七届军运会是在哪个城市办的？")  # (without the terms: whole)
    # ... nor in a clause that says fewer of the key terms than the one naming it ("支持天水打造入境旅游标杆城市，办好
    # 全省旅游发展大会"); a clause saying the word the question asks where with ("位于哪里": "位于某示范区，…") counts
    tour = QuestionTerms(weights={"大会": 6.0, "旅游": 5.0, "全省": 3.0, "发展": 1.0}, rarest="大会", bigrams=set(),
                         measure=None)
    beside = said("支持天水打造入境旅游标杆城市，办好全省旅游发展大会，加快建设世界旅游目的地。")
    assert place_unnamed([beside], "市", None, "全省旅游发展大会定在哪个市办？", tour)
    assert not place_unnamed([said("在天水办好全省旅游发展大会。")], "市", None, "全省旅游发展大会定在哪个市办？", tour)
    lies = QuestionTerms(weights={"位于": 6.0, "电力": 5.0, "检测": 4.0, "园区": 3.0}, rarest="位于", bigrams=set(),
                         measure=None)
    site = said("位于城乡一体化示范区，已建成并运营电力装备4个国家检测中心。")
    assert not place_unnamed([site], None, None, "电力装备检测园区位于哪里？", lies)
    assert which_place("要推动融合发展的是哪个城市群？") is None  # (a 城市群 is no city)
    # a term found only across clauses (a compound written with a word inside) keeps the statement whole
    import re as _re

    across = QuestionTerms(weights={"航空港": 6.0}, rarest="航空港", bigrams=set(), measure=None,
                           gapped={"航空港": _re.compile(r"航空[^。]{0,12}港")})
    spread = said("在兰州建设航空，打造临空港。")
    assert not place_unnamed([spread], "市", None, "航空港建在哪个城市？", across)
    assert not place_unnamed([said("在天水市培育海洋特色产业集聚区。")], "市", home, "集聚区都分布在哪些市？", terms)
    # one place asked of an item of an enumeration: the places of the other items say nothing of it; several asked,
    # the enumeration is the answer
    mall = QuestionTerms(weights={"购物乐园": 6.0, "商贸": 2.0}, rarest="购物乐园", bigrams=set(), measure=None)
    listed = said("甲新城商业综合体项目、禹州市乙生活广场项目、丙时尚主题购物乐园、丁国际家居博览中心项目。")
    assert place_unnamed([listed], "区", None, "商贸项目里的丙时尚主题购物乐园，建在哪个区？", mall)
    cities = QuestionTerms(weights={"历史文化名城": 6.0}, rarest="历史文化名城", bigrams=set(), measure=None)
    named = said("支持厦门、泰宁、建瓯申报国家历史文化名城。")
    assert not place_unnamed([named], "市", None, "今年支持哪几个城市去申报历史文化名城？", cities)
    # a year asked is not answered by statements naming none, even after the document's year is told
    from assistant.answering.named import with_year, year_unnamed

    assert year_unnamed([said("召开全省政治工作会议，推进改革强军。")])
    assert not year_unnamed([with_year(said("今年首次把这一指标作为预期目标。"), 2030)])
    assert not year_unnamed([said("有力应对2008年以来最严重的低温雨雪冰冻灾害。")]) and not year_unnamed([])
    # a body asked is not answered by statements naming none
    from assistant.answering.named import body_unnamed

    stations = said("依托社区、商圈、车站等网点，建设122个“就业驿站”，为劳动者和用人单位提供公共就业服务。")
    assert body_unnamed("建就业驿站那件是哪个厅牵头负责的？", [stations])
    assert not body_unnamed("建就业驿站那件是哪个厅牵头负责的？", [said("建设122个“就业驿站”。（省人力资源社会保障厅负责）")])
    assert not body_unnamed("这条由谁牵头？", [said("（省十大新兴产业推进组工作专班牵头单位牵头）")])
    # a body asked with its level ("哪个市直部门"); a word of two characters ending as a body's name does is none
    # ("新发展格局", "举办"), a place level's is ("省委")
    duties = "“八个走在前列”每一项分别是哪个市直部门牵头抓？"
    assert body_unnamed(duties, [said("◉面向新发展格局的枢纽经济高地"), said("举办一届交易会。")])
    assert not body_unnamed(duties, [said("由省委负责统筹。")]) and not body_unnamed(duties, [said("省人社厅负责。")])
    assert not body_unnamed("税率对比清单归谁负责？", [said("建立国别商品税率对比清单。（兰州海关负责）")])
    assert not body_unnamed("就业驿站要建多少个？", [stations])  # (no body asked)
    action = said("开展“人工智能+”行动，打造数字产业集群。")
    assert body_unnamed("“人工智能+”行动是哪个部委牵头推进的？", [action])
    assert body_unnamed("这个引导基金是由哪几家机构一起发起的？", [action])
    # an institution asked by its kind ("依托哪所高校", "哪家医院当龙头") needs one of that kind named
    institute = said("2个前沿技术交叉研究院启动建设，新增省属本科高校宿舍床位6万个。")
    assert body_unnamed("那2个研究院各自依托的是哪所高校？", [institute])
    assert not body_unnamed("这个中心依托哪个学校建？", [said("建设甲学院知识产权运营管理中心。")])
    assert body_unnamed("是由哪家医院当龙头？", [said("建设1个省级儿童医学救治中心。")])
    assert not body_unnamed("是由哪家医院当龙头？", [said("以甲市中心医院为龙头，组建城市医疗集团。")])
    # so for a park ("建在哪个园区", "搬到哪个产业园") and a subdistrict ("建在哪个街道")
    hub = said("建成全球某产品分拨中心，打造线上线下相结合的产业集群跨境平台。")
    assert body_unnamed("要建的全球某产品分拨中心，具体建在哪个园区？", [hub])
    assert not body_unnamed("某智慧岛是依托哪个园区建的？", [said("某智慧岛以甲区高新技术产业园为建设基础。")])
    assert body_unnamed("储备库建在哪个街道？", [said("新建区应急物资储备库。")])
    assert not body_unnamed("储备库建在哪个街道？", [said("在甲乙街道新建区应急物资储备库。")])
    # a company asked by that word ("交给哪家公司运营") needs a company named, not the way it is run
    run = said("采取“政府主导投资，第三方运营”模式，加快建设家政服务大数据平台。")
    assert body_unnamed("平台说是第三方运营，具体交给了哪家公司？", [run])
    assert not body_unnamed("平台交给了哪家公司运营？", [said("平台由甲乙数据集团有限公司建设运营。")])
    # a body's ending must end a word ("扎实办好", "高效办成一件事" name no 办), and the body the question asks
    # about is no answer ("小组办公室设在哪个部门")
    assert body_unnamed("培训乡村医生那件是哪个部门牵头？", [said("扎实办好十件民生实事，培训乡村医生5000名。")])
    assert body_unnamed("这件事是哪个部门牵头负责？", [said("以推进“高效办成一件事”为牵引，提高政务服务水平。")])
    assert not body_unnamed("这件事是哪个部门牵头负责？", [said("由省发展改革委会同有关部门推进。")])
    office = said("市推进小组负责总体指导，市推进小组办公室负责组织推进相关决策落实。")
    assert body_unnamed("市推进小组的办公室设在哪个部门？", [office])
    assert not body_unnamed("数据专区由哪个部门统筹？", [office])
    # bodies of the same ending as the thing asked about are its peers, not who runs it ("甲试飞中心由哪家单位牵头建":
    # "乙技术创新中心获批，甲试飞中心揭牌运行" names no one); the kind asked is no peer ("点名要哪几个部门负责")
    peers = said("加快丙科技创新中心建设，乙技术创新中心获批，甲试飞中心揭牌运行。")
    assert body_unnamed("揭牌运行的甲试飞中心，是由哪家单位牵头建设运营的？", [peers])
    assert not body_unnamed("甲试飞中心是哪家单位牵头建的？", [said("甲试飞中心由丁航空工业局牵头建设。")])
    assert not body_unnamed("数据安全这些，点名要哪几个部门按职责负责？", [said("网信部门、公安部门应当按照各自职责做好数据安全保护。")])
    assert not body_unnamed("盐业执法职能划给哪个单位了？", [said("市盐业局盐业执法职能划入市市场监管综合执法支队。")])
    # a maker or operator asked ("哪家企业研制的") needs a body named or one said to lead, build or back it
    crane = said("涌现了最大直径盾构机、全球最大4000吨级全地面起重机等一批国际领先技术成果。")
    assert body_unnamed("全球最大4000吨级全地面起重机，是哪家企业研制的？", [crane])
    assert body_unnamed("那条中试线是哪家企业建的？", [said("首条百兆瓦钙钛矿电池中试线成功运行。")])
    assert not body_unnamed("高端装备产业园以哪家企业为龙头？", [said("高端装备产业园以甲乙交科为龙头，拉动全产业链。")])
    assert not body_unnamed("点名支持了哪几家企业做精做强？", [said("支持甲乙即送、丙丁科技、戊己软件等企业做精做强。")])
    assert not body_unnamed("这条中试线是哪家企业建的？", [said("甲乙新能源有限公司建成百兆瓦中试线。")])
    # a builder, contractor or operator asked by any kind of organisation ("施工总包是哪家央企", "哪个施工单位建的")
    bridge = said("开工建设甲乙高速、长丙大桥等重点项目，4条高速公路提前建成通车。")
    assert body_unnamed("长丙大桥是哪家单位中标承建的？", [bridge])
    assert body_unnamed("长丙大桥是哪个施工单位建的？", [bridge])
    assert body_unnamed("甲乙高速施工总包是哪家央企？", [bridge])
    assert not body_unnamed("哪家单位拿了国家技术发明一等奖？", [said("甲乙物探获国家技术发明奖一等奖，实现零的突破。")])
    assert not body_unnamed("点名鼓励哪家零售企业搞门店数字化？", [said("鼓励甲乙丙等大型零售企业推进实体店铺数字化改造。")])
    assert not body_unnamed("社区大学是由哪家单位来办的？", [said("支持甲电气职业学院依托乙广播电视大学举办甲社区大学。")])
    # an institution the question names itself is no answer to which one it works with
    college = said("支持甲技术经济学校创办甲中德职业学院，开展“双元制”教育。")
    assert body_unnamed("甲技术经济学校要办的中德职业学院，德方合作的是哪所院校？", [college])
    assert not body_unnamed("甲技术经济学校要办的中德职业学院，德方合作的是哪所院校？", [said("与德国乙应用技术大学合作。")])
    # a government is a place's ("区政府"; not "数字政府"), and 办 an office's ("网信办"; not "网上办、一次办")
    digital = said("加强数字政府建设，实现更多政务服务事项网上办、掌上办、一次办。")
    assert body_unnamed("这个机制由哪个部门牵头？", [digital])
    assert not body_unnamed("这个机制由哪个部门牵头？", [said("由区政府牵头，省委网信办配合。")])
    # a maker asked by any trade ("哪家电信运营商"); a centre beside it is a facility, not who runs it
    assert body_unnamed("政务云平台是交给哪家电信运营商承建的？", [said("大数据中心平台包括共享交换平台、数据开放平台。")])
    hub = said("建成全球某产品分拨中心，打造线上线下相结合的产业集群跨境平台。")
    assert body_unnamed("跨境平台是由哪家企业牵头运营的？", [hub])
    assert not body_unnamed("跨境平台是由哪家企业牵头运营的？", [said("跨境平台由甲乙数字科技有限公司运营。")])
    # a court asked by its kind ("设在哪家法院") needs one named
    assert body_unnamed("速裁庭设在哪家法院？", [said("建立商事纠纷速裁庭，全面推行速裁庭审机制。")])
    assert not body_unnamed("速裁庭设在哪家法院？", [said("在甲市中级人民法院设立商事纠纷速裁庭。")])
    # a park asked by "哪几个园区" as by "哪些园区"
    assert body_unnamed("这种招商模式在哪几个园区落地了？", [said("推广“基金+技术+厂房”模式，引进和孵化企业。")])
    assert not body_unnamed("这种招商模式在哪几个园区落地了？", [said("在甲乙产业园、丙丁高新区推广这一模式。")])
    # a thing's name asked ("这艘邮轮叫啥名字") is not answered by statements saying it is, without its name
    from assistant.answering.called import name_unsaid

    ship = said("国产大飞机投入商业运营，国产大型邮轮成功建造，新能源汽车产销量占全球比重超过60%。")
    assert name_unsaid("报告里说国产大型邮轮建成了，这艘邮轮叫啥名字？", [ship])
    assert not name_unsaid("国产大型邮轮叫啥名字？", [said("国产大型邮轮“甲乙城”号成功建造。")])
    assert name_unsaid("第一所公办本科职业大学叫啥名字？", [said("建成“四新”高校13所，成功设置首所本科层次公办职业大学。")])
    assert not name_unsaid("第一家省实验室叫什么名字？", [said("首家省实验室——甲乙钢铁实验室挂牌成立。")])
    assert not name_unsaid("那款新型隐身战机叫啥？", [said("新型隐身战机歼-35A惊艳亮相。")])
    assert not name_unsaid("养老服务体系叫啥品牌？", [said("不断完善“甲适养老”服务体系，发展居家养老。")])
    assert not name_unsaid("两个报告里的圈，各自叫啥？", [ship])  # (no head word said)
    drone = said("积极布局低空经济，大型多功能固定翼无人机成功首飞。")
    assert name_unsaid("首飞成功的那款大型多功能固定翼无人机，叫啥名字？", [drone])  # (asked after a comma)
    # a person asked by the role held needs a statement saying the role
    from assistant.answering.called import person_unnamed

    lab = said("首家省实验室——甲乙钢铁实验室挂牌成立。")
    assert person_unnamed("甲乙钢铁实验室，实验室主任是谁？", [lab])
    assert person_unnamed("是哪位科学家的团队搞的？", [lab]) and person_unnamed("是谁领衔的团队研制的？", [lab])
    assert not person_unnamed("联席会议的召集人是谁？", [said("设立由常务副市长甲乙担任召集人的联席会议。")])
    assert not person_unnamed("总链长由谁来当？", [said("由市政府主要领导任总链长。")])
    assert not person_unnamed("这个实验室是哪年挂牌的？", [lab])  # (no person asked)
    # alternatives offered ("是甲厅牵头还是乙委牵头") are answered only by a statement naming one of them
    from assistant.answering.checks import alternative_unmet
    from assistant.answering.terms import QuestionTerms

    terms = QuestionTerms(weights={}, rarest=None, bigrams=set(), measure=None)
    reform = said("实施科技体制改革三年攻坚方案，强化国家战略科技力量。")
    assert alternative_unmet("改革攻坚方案是科技厅牵头还是发改委牵头搞？", [reform], terms)
    assert not alternative_unmet("改革攻坚方案是科技厅牵头还是发改委牵头搞？", [said("改革攻坚方案由科技厅牵头。")], terms)
    assert alternative_unmet("运营单位咋选出来的，走公开招标还是竞争性磋商？", [said("遴选具有技术能力的企事业单位开展运营。")], terms)
    # (what the sides share, or say elsewhere in the question, tells them not apart: "通报" of "每季度通报一次还是半年一次")
    report = said("复议机构应当定期统计、通报本地区案件信息公开工作情况。")
    assert alternative_unmet("复议机构统计通报公开情况，是每季度通报一次还是半年一次？", [report], terms)
    # (alternatives told apart by one character compare; figures answer: "高还是低")
    assert not alternative_unmet("今年的增长目标比去年高还是低？", [said("国内生产总值增长5%左右。")], terms)
    assert not alternative_unmet("这个指标是约束性还是预期性？", [said("指标：森林覆盖率；属性：约束性")], terms)


def test_a_document_named_by_its_title_answers_though_its_kind_differs() -> None:
    """"2023年的政府工作报告" answers from the only 2023 document whose title names the report, even though it is
    the report's 解读 rather than the report itself; a 2021 report does not answer for 2023."""
    from assistant.answering.eligible import eligible

    catalog = Catalog([
        DocumentInfo("r21", "r21.txt", "2021年政府工作报告", 1, 10, year=2021, place="许昌市", level="city",
                     kind="work_report"),
        DocumentInfo("j23", "j23.txt", "《政府工作报告》解读之2023年重点工作篇", 1, 10, year=2023, place="许昌市",
                     level="city", kind="interpretation"),
    ])
    frame = parse_question("林业生态建设任务，2021年和2023年的政府工作报告分别安排了多少万亩？", catalog)
    assert [f.label for f in frame.facets] == ["2021年", "2023年"]

    r21, j23 = _unit("r21", "完成林业生态建设11万亩。"), _unit("j23", "完成2.76万亩林业生态建设任务。")
    assert eligible([r21, j23], frame.facets[0], catalog) == [r21]
    assert eligible([r21, j23], frame.facets[1], catalog) == [j23]


def test_another_documents_passage_naming_the_place_speaks_of_it() -> None:
    """"某区某智慧岛…" asked: the district has a plan of its own, yet the city's plan that names the district's
    智慧岛 answers too; a passage of the city's plan that does not name the district does not."""
    from assistant.answering.eligible import eligible

    catalog = Catalog([
        DocumentInfo("wd", "wd.txt", "魏都区“十四五”规划纲要", 1, 10, year=2021, place="魏都区", level="district",
                     kind="plan"),
        DocumentInfo("xc", "xc.txt", "许昌市推进智慧岛建设实施方案", 1, 10, year=2022, place="许昌市", level="city",
                     kind="implementation_plan"),
    ])
    frame = parse_question("魏都智慧岛是依托哪个园区建的？", catalog)

    names, other = _unit("xc", "魏都智慧岛以魏都高新技术产业园为建设基础。"), _unit("xc", "双创智慧岛总规划面积2760亩。")
    own = _unit("wd", "建设智慧岛。")
    assert eligible([names, other, own], Facet("", frame.scope), catalog) == [names, own]


def test_the_year_last_year_stands_for_is_searched_in_so_many_words() -> None:
    """"2024年报告中去年经济增长多少": the report's review is headed "一、2023年工作回顾"; 2023 is searched for."""
    question = "2024年政府工作报告中去年经济增长多少？"
    _, calls = _searches(question)
    assert calls[0]["query"].startswith("2023年") and question in calls[0]["query"]
    _, plain = _searches("2024年政府工作报告中经济增长目标是多少？")
    assert plain[0]["query"] == "2024年政府工作报告中经济增长目标是多少？"  # no relative year: as asked


def test_last_year_and_this_year_of_a_place_are_searched_in_its_documents_with_their_years() -> None:
    """"江苏去年…多少？今年目标是多少？": the province's newest report is of 2025, so 去年 is searched as 2024, within
    the province's documents (not among every report that reviews some year's growth)."""
    frame, calls = _searches("江苏去年经济增长多少？今年目标是多少？")
    assert [f.label for f in frame.facets] == ["去年", "今年"]
    last, this = calls[1:]
    assert last["only_docs"] == {"js25"} and this["only_docs"] == {"js25"}
    assert last["query"].startswith("2024年") and this["query"].startswith("2025年")


def test_a_passage_holding_what_the_question_quotes_is_among_its_sources_first() -> None:
    """"2024年报告回顾过去五年时提到的“六保”是哪六项": the question's other words rank another passage first; a
    search by the quotation alone, in the documents the question names, finds the one that holds it. A hit that
    does not hold the quotation is not promoted."""
    from assistant.models import Chunk, Retrieved

    def hit(cid: str, text: str) -> Retrieved:
        return Retrieved(Chunk(cid, "n24.txt", "n24", "2024年政府工作报告", ["一、过去五年工作回顾"], text, 1, 1), 1.0)

    review = hit("c1", "过去五年工作回顾：经济实力明显提升。")
    six = hit("c2", "持续做好“六稳”、“六保”工作，强化保居民就业、保基本民生。")

    @dataclass
    class Retriever:
        calls: list[str] = field(default_factory=list)

        def search(self, query: str, **kwargs: Any) -> list[Retrieved]:
            self.calls.append(query)
            return [review, six]  # the quotation's search too: only the hit holding it is promoted

    catalog = _catalog()
    question = "2024年政府工作报告回顾过去五年时提到的“六保”具体是哪六项？"
    retriever = Retriever()
    out = gather_contexts(retriever, parse_question(question, catalog), question, catalog, k=5)
    assert [r.chunk.id for r in out] == ["c2", "c1"] and "六保" in retriever.calls
    retriever = Retriever()
    other = "2024年政府工作报告回顾过去五年时提到的“三保”具体是哪三项？"  # no passage holds it
    out = gather_contexts(retriever, parse_question(other, catalog), other, catalog, k=5)
    assert [r.chunk.id for r in out] == ["c1", "c2"]


def test_a_place_asked_of_a_document_for_another_place_is_answered_only_by_what_names_it() -> None:
    """"市方案里，某区的超采区面积是多少": the city's plan is named, the district has a plan of its own; the plan's
    table total, which names no district, does not answer for the district, its row naming it does."""
    from assistant.answering.eligible import eligible

    catalog = Catalog([
        DocumentInfo("wd", "wd.txt", "魏都区“十四五”规划纲要", 1, 10, year=2021, place="魏都区", level="district",
                     kind="plan"),
        DocumentInfo("gw", "gw.txt", "许昌市地下水超采综合治理工作实施方案", 1, 10, year=2022, place="许昌市",
                     level="city", kind="implementation_plan"),
    ])
    frame = parse_question("地下水超采综合治理工作实施方案里，魏都区的超采区面积是多少？", catalog)
    assert frame.scope.doc_ids == ("gw",) and "魏都区" in frame.scope.places

    total, row = _unit("gw", "区域：合计；超采区面积：2273平方公里", "row"), _unit("gw", "区域：魏都区；超采区面积：12平方公里", "row")
    assert eligible([total, row], Facet("", frame.scope), catalog) == [row]


def test_an_organisation_asked_by_which_unit_won_is_no_government_body() -> None:
    # "哪家单位拿了奖" asks a company or an institute; "哪家单位牵头" asks who is charged with a task
    from assistant.answering.candidates import Candidate
    from assistant.answering.named import body_unnamed
    from assistant.models import Chunk

    chunk = Chunk("c1", "r.docx", "d1", "某省政府工作报告", [], "", 1, 1)

    def said(line: str) -> Candidate:
        return Candidate(0, chunk, line, line, "sentence")

    won = said("星河物探获国家技术发明奖一等奖，实现我省零的突破。")
    assert not body_unnamed("去年是哪家单位拿了国家技术发明一等奖？", [won])
    assert body_unnamed("这项工作由哪家单位牵头？", [said("建设122个就业驿站。")])


def test_a_question_naming_one_report_is_searched_within_it_without_the_words_naming_it() -> None:
    """"24年国务院报告提到要强化哪几类污染的治理": over all documents, "国务院…报告" ranks every report's opening
    first; the report named is searched as well, by what is asked."""
    frame, calls = _searches("24年国务院报告提到要强化哪几类污染的治理？")
    assert not frame.multi
    within = [c for c in calls if c.get("only_docs") == {"n24"}]
    assert len(within) == 1
    assert "国务院" not in within[0]["query"] and "报告" not in within[0]["query"]
    assert "污染" in within[0]["query"]
    assert "国务院" in calls[0]["query"] and not calls[0].get("only_docs")  # the whole question, everywhere
    # a question naming no document is searched once, everywhere
    _, calls = _searches("哪几类污染的治理要强化？")
    assert len(calls) == 1


def test_a_part_asking_two_relative_years_of_a_place_is_searched_with_both() -> None:
    """"江苏…去年实施了几项？今年呢？": the elliptical part holds 今年 and 去年; both stand for years of the province's
    one newest report (it crashed: the report's year was taken once per relative word)."""
    frame, calls = _searches("江苏抓两重机遇上的那批重大工程，去年实施了几项？今年呢？")
    assert [f.label for f in frame.facets] == ["去年", "今年"]
    assert any(c.get("only_docs") == {"js25"} and "2024年" in c["query"] for c in calls)
