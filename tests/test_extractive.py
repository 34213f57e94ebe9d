"""The offline answerer on small hand-made retrieval results: what it quotes, and when it abstains."""

from __future__ import annotations

from assistant.answering.citations import markers, strip_markers
from assistant.answering.extractive import NOT_FOUND, ExtractiveAnswerer
from assistant.models import Chunk, Retrieved
from assistant.text import norm

EDU = "许昌市“十四五”教育事业发展规划"
CITY = "许昌市“十四五”城市更新和城乡人居环境建设规划"
TOWN = "许昌市新型城镇化和城乡融合发展规划"
WEIDU = "魏都区国民经济和社会发展第十四个五年规划纲要"
REPORT = "《政府工作报告》解读之2023年重点工作篇"


def chunk(
    cid: str,
    title: str,
    section: list[str],
    text: str,
    *,
    kind: str = "text",
    index_text: str = "",
    year: int | None = 2022,
) -> Chunk:
    return Chunk(
        id=cid,
        source=f"{cid}.txt",
        doc_id=title,
        title=title,
        section=section,
        text=text,
        line_start=1,
        line_end=text.count("\n") + 1,
        kind=kind,
        index_text=index_text or " > ".join([title, *section]) + "\n" + text,
        year=year,
    )


CHUNKS = [
    chunk(
        "edu1",
        EDU,
        ["五、学前教育"],
        "扩大优质普惠学前教育资源供给，提升公办园比例。“十四五”期间新建、改扩建幼儿园170所，城镇小区配套幼儿园及时移交。",
    ),
    chunk(
        "edu2",
        EDU,
        ["九、教师队伍"],
        "实施乡村首席教师岗位计划。遴选260名乡村首席教师，采取“1+10+100”的模式。",
    ),
    chunk(
        "city1",
        CITY,
        ["第三章 推进城市有机更新", "第三节 市政道路"],
        "推进城市路网建设，完善城市道路框架。提高路网密度，2025年城市道路网密度达到8公里/平方公里。",
    ),
    chunk(
        "city2",
        CITY,
        ["第四章 应急救援力量"],
        "加强应急救援力量建设，健全救援队伍体系。"
        "市级建立1支不少于100人的救援队伍；各县（市、区）分别建立不少于50人的救援队伍；各乡镇分别建立不少于20人的救援队伍。"
        "推动企业依法建立救援队伍。",
    ),
    chunk(
        "city3",
        TOWN,
        ["第二章 发展目标", "专栏1 主要指标"],
        "5\t城市道路网密度（公里/平方公里）\t5.13\t7.18",
        kind="table_row",
        index_text=f"{TOWN} > 第二章 发展目标 > 专栏1 主要指标\n序号\t指标\t2020年\t2025年\n"
        "序号：5；指标：城市道路网密度（公里/平方公里）；2020年：5.13；2025年：7.18\n",
    ),
    chunk(
        "city4",
        CITY,
        ["第五章 公园建设"],
        "加快社区公园、街头口袋公园建设，增加城市公园绿地面积。实施城市公园绿地300米见绿工程。",
    ),
    chunk(
        "rule1",
        "许昌市行政复议决定书网上公开办法",
        ["第八条"],
        "第八条 进行隐名处理时，应当按以下情形处理：\n- （一）保留姓氏，名字以“某某”替代；\n"
        "- （二）复姓保留第一个字，其余内容以“某某”替代；\n- （三）对于外国人姓名，保留第一个字。",
    ),
    chunk(
        "rep1",
        REPORT,
        ["坚持稳就业保就业"],
        "突出抓好重点人群就业帮扶工作，城镇新增就业5万人，新增农村劳动力转移就业2万人。",
        year=2023,
    ),
    chunk("wd1", WEIDU, ["第一章 发展基础"], "魏都区坚持文化旅游融合发展，打造特色街区。", year=None),
]


class FakeStore:
    def __init__(self, chunks: list[Chunk]):
        self.chunks = chunks

    def cached_chunks(self) -> list[Chunk]:
        return list(self.chunks)


def retrieved(*ids: str) -> list[Retrieved]:
    by_id = {c.id: c for c in CHUNKS}
    return [Retrieved(by_id[i], 1.0 / n, rank=n) for n, i in enumerate(ids, 1)]


def ask(question: str, *ids: str) -> tuple[str, dict[int, str], bool]:
    return ExtractiveAnswerer(FakeStore(CHUNKS)).answer(question, retrieved(*ids))


def test_number_question_quotes_the_sentence_with_the_figure():
    text, _, abstained = ask("2025年城市道路网密度要达到多少？", "city1", "city4")
    assert not abstained
    assert "8公里/平方公里" in norm(text)
    assert "完善城市道路框架" not in text  # the sentence without the figure is left out


def test_list_question_returns_the_whole_enumeration():
    text, _, abstained = ask("应急救援队伍的人数规模，市、县、乡镇分别有什么要求？", "city2", "city1")
    assert not abstained
    for figure in ("100人", "50人", "20人"):
        assert figure in text


def test_a_quoted_list_item_brings_its_lead_in():
    text, _, _ = ask("隐名处理时复姓怎么处理？", "rule1", "edu2")
    lines = text.splitlines()
    assert any("复姓保留第一个字" in line for line in lines)
    assert lines[0].startswith("第八条")


def test_abstains_when_the_sources_do_not_hold_the_asked_thing():
    text, support, abstained = ask("许昌市什么时候开始数字人民币试点？", "edu1", "city4", "rep1")
    assert abstained and text == NOT_FOUND and support == {}


def test_a_named_district_the_source_does_not_match_means_abstention():
    # the figure exists, but for the city in 2023, not for the district the question names
    question = "魏都区城镇新增就业的目标是多少人？"
    assert not ask("城镇新增就业的目标是多少人？", "rep1")[2]
    assert ask(question, "rep1", "wd1")[2]


def test_a_named_year_the_source_does_not_match_lowers_confidence():
    # the same sentence answers "2023年…" but not "2021年…" (a report of another year)
    assert not ask("2023年城镇新增就业的目标是多少人？", "rep1")[2]
    assert ask("2021年城镇新增就业的目标是多少人？", "rep1")[2]


def test_quotes_are_verbatim_substrings_of_the_cited_chunk():
    ids = ("city2", "city1", "city3", "edu1", "rule1")
    for question in (
        "应急救援队伍的人数规模分别有什么要求？",
        "城市道路网密度目标是多少？",
        "新建改扩建幼儿园多少所？",
        "复姓怎么隐名处理？",
    ):
        text, support, abstained = ask(question, *ids)
        assert not abstained
        assert support and set(support) == set(markers(text))
        for n, quote in support.items():
            assert quote in retrieved(*ids)[n - 1].chunk.text
        for line in text.splitlines():
            n = markers(line)[0]
            chunk_text = retrieved(*ids)[n - 1].chunk.text
            shown = strip_markers(line)
            assert shown in chunk_text or retrieved(*ids)[n - 1].chunk.kind == "table_row"


def test_table_row_is_shown_with_headers_and_units():
    text, support, _ = ask("新型城镇化指标里2025年城市道路网密度是多少？", "city3")
    assert "指标：城市道路网密度（公里/平方公里）" in text
    assert "2025年：7.18公里/平方公里" in text
    assert "序号：5；" in text  # a row number is not a quantity
    assert support[1] == CHUNKS[4].text


def test_plans_named_together_get_one_passage_each():
    text, _, abstained = ask(
        "城市道路网密度的2025年目标，新型城镇化规划和城市更新规划各是多少？", "city3", "city1", "edu1"
    )
    assert not abstained
    assert "7.18" in text and "8公里" in text


def test_a_question_in_two_parts_gets_an_answer_for_each():
    text, _, abstained = ask("“十四五”期间新建、改扩建幼儿园多少所？乡村首席教师遴选多少名？", "edu1", "edu2")
    assert not abstained
    assert "170所" in text and "260" in text


def test_no_sources_abstains():
    assert ExtractiveAnswerer(FakeStore(CHUNKS)).answer("任何问题？", []) == (NOT_FOUND, {}, True)


TOWN_SPAN = f"{TOWN}（2021—2035年）"
URBAN = chunk(
    "urb1",
    TOWN_SPAN,
    ["第二章 发展目标", "专栏1 主要指标"],
    "1\t常住人口城镇化率（%）\t53.55\t64\t73",
    kind="table_row",
    index_text=f"{TOWN_SPAN} > 第二章 发展目标 > 专栏1 主要指标\n序号\t指标\t2020年\t2025年\t2035年\n"
    "序号：1；指标：常住人口城镇化率（%）；2020年：53.55；2025年：64；2035年：73\n",
)
URBAN_TEXT = chunk(
    "urb2",
    TOWN_SPAN,
    ["第二章 发展目标"],
    "到2035年，新型城镇化发展方式全面转型，城镇化格局成熟定型，全市常住人口城镇化率力争达到73%。",
)
URBAN_2025 = chunk(
    "urb3",
    TOWN_SPAN,
    ["第二章 发展目标"],
    "到2025年，城镇化水平和质量稳步提升，全市常住人口城镇化率力争达到64%。",
)
TARGETS_2021 = chunk(
    "gov21",
    "《政府工作报告》之开局起步篇",
    ["我市2021年经济社会发展主要预期目标"],
    "生产总值增长7.5%以上,城镇新增就业4.9万人,城镇调查失业率控制在5.5%左右,粮食产量保持在280万吨以上。",
    year=2021,
)
GRAIN_2023 = chunk(
    "gov23",
    REPORT,
    ["推进乡村振兴"],
    "扛稳粮食安全重任，确保粮食面积稳定在674万亩以上。",
    year=2023,
)
GRAIN_2021 = chunk(
    "gov21b",
    "《政府工作报告》之开局起步篇",
    ["全面推进乡村振兴"],
    "稳定粮食生产，粮食播种面积稳定在670万亩以上。",
    year=2021,
)
MORE = [URBAN, URBAN_TEXT, URBAN_2025, TARGETS_2021, GRAIN_2023, GRAIN_2021]


def ask_more(question: str, *ids: str) -> tuple[str, dict[int, str], bool]:
    pool = CHUNKS + MORE
    by_id = {c.id: c for c in pool}
    hits = [Retrieved(by_id[i], 1.0 / n, rank=n) for n, i in enumerate(ids, 1)]
    return ExtractiveAnswerer(FakeStore(pool)).answer(question, hits)


def test_an_indicator_is_answered_only_by_a_quote_that_names_it():
    # the sources give the resident-population rate, not the registered-population one
    text, _, abstained = ask_more("新型城镇化规划对2035年常住人口城镇化率的目标是多少？", "urb1", "urb2")
    assert not abstained and "73" in text
    assert ask_more("新型城镇化规划对2035年户籍人口城镇化率的目标是多少？", "urb1", "urb2")[2]


def test_a_figure_for_another_year_is_not_an_answer():
    # the 2021 targets list names the unemployment rate, but the question asks about 2023
    text, _, abstained = ask_more("2021年城镇调查失业率控制在多少？", "gov21")
    assert not abstained and "5.5%" in text
    assert ask_more("2023年城镇调查失业率控制在多少？", "gov21", "rep1")[2]


def test_a_question_naming_two_years_does_not_penalise_a_source_matching_one_of_them():
    text, _, abstained = ask_more(
        "粮食播种面积的底线，2021年和2023年分别是怎么要求的？", "gov23", "gov21b", "edu1"
    )
    assert not abstained
    assert "674万亩" in text and "670万亩" in text


WATER = "许昌市地下水超采综合治理工作实施方案"
WATER_INDEX = f"{WATER} > 治理目标\n全市地下水超采综合治理目标\n区域\t地下水超采量压减指标（万立方米）\n"
WATER_HEAD = chunk(
    "wat1",
    WATER,
    ["治理目标"],
    "\t到 2025 年\t\t\t到 2035 年",
    kind="table_row",
    index_text=WATER_INDEX + "到 2025 年；地下水超采量压减指标（万立方米）：到 2035 年\n",
)
WATER_TOTAL = chunk(
    "wat2",
    WATER,
    ["治理目标"],
    "合计\t7009\t543\t7552\t7383\t543\t7926",
    kind="table_row",
    index_text=WATER_INDEX
    + "合计；7009；543；7552；7383；区域：543；地下水超采量压减指标（万立方米）：7926\n",
)


def test_a_table_heading_row_is_not_quoted_as_the_figure():
    pool = CHUNKS + [WATER_HEAD, WATER_TOTAL]
    hits = [Retrieved(WATER_HEAD, 1.0, rank=1), Retrieved(WATER_TOTAL, 0.5, rank=2)]
    text, _, abstained = ExtractiveAnswerer(FakeStore(pool)).answer(
        "到2025年地下水超采量压减指标合计是多少？", hits
    )
    assert not abstained
    assert "7552" in text
    assert "到 2025 年；" not in text


def test_two_named_years_are_both_answered():
    # each sentence gives one year's value; the plan's title spans both years, so it settles neither
    text, _, abstained = ask_more(
        "按照新型城镇化和城乡融合发展规划，全市常住人口城镇化率2025年和2035年分别要达到多少？", "urb2", "urb3"
    )
    assert not abstained
    assert "64%" in text and "73%" in text


SERVICE = "许昌市“十四五”现代服务业发展规划"


def test_list_items_under_labels_the_question_names_are_quoted():
    # the sentence names the list; the items are spelled out under their labels in a box elsewhere
    lead = chunk(
        "svc1",
        SERVICE,
        ["一、文化旅游"],
        "全力打造以“一城一都一区两带”为核心的文化旅游主地标，促进文化与旅游融合发展。",
    )
    box = chunk(
        "svc2",
        SERVICE,
        ["专栏 5-1 文化旅游主地标建设重点任务"],
        "一城：三国文化核心之城。挖掘三国文化资源。\n一都：钧瓷文化之都。统筹钧瓷文化遗存。\n"
        "一区：生态康养旅游示范引领区。\n两带：乡村特色旅游带和慢生活休闲旅游带。",
    )
    pool = CHUNKS + [lead, box]
    hits = [Retrieved(lead, 1.0, rank=1), Retrieved(box, 0.5, rank=2)]
    text, _, abstained = ExtractiveAnswerer(FakeStore(pool)).answer(
        "服务业规划中文化旅游主地标“一城、一都、一区、两带”分别指什么？", hits
    )
    assert not abstained
    for item in ("三国文化核心之城", "钧瓷文化之都", "生态康养旅游示范引领区", "慢生活休闲旅游带"):
        assert item in text


def test_a_bare_indicator_name_does_not_answer_how_much():
    bare = chunk("wd2", WEIDU, ["三、民生福祉"], "城镇新增就业人数（万人）\n居民人均可支配收入增长（%）", year=None)
    store = FakeStore([*CHUNKS, bare])
    text, _, abstained = ExtractiveAnswerer(store).answer(
        "魏都区“十四五”期间城镇新增就业的目标是多少万人？", [Retrieved(bare, 1.0, rank=1)]
    )
    assert abstained and text == NOT_FOUND


def test_which_items_is_a_list_question_not_a_figure_question():
    gas = chunk(
        "gas1", CITY, ["第八章 强化质量安全监管"],
        "深入开展燃气安全隐患排查整治，落实“五个一批”要求（整改治理一批、依法严惩一批、关闭取缔一批、"
        "联合惩戒一批、问责曝光一批）。",
    )
    text, _, abstained = ExtractiveAnswerer(FakeStore([*CHUNKS, gas])).answer(
        "燃气安全隐患排查整治要落实的“五个一批”是哪几项？", [Retrieved(gas, 1.0, rank=1)]
    )
    assert not abstained and "整改治理一批" in text and "问责曝光一批" in text


def test_a_date_line_is_not_quoted_as_the_answer_for_a_named_year():
    dated = chunk("r21", "《政府工作报告》之开局起步篇", [], "2021年3月24日\n星期三", year=2021)
    grain = chunk("r23", REPORT, ["扛稳粮食安全重任"], "确保粮食面积稳定在674万亩以上。", year=2023)
    text, _, abstained = ExtractiveAnswerer(FakeStore([*CHUNKS, dated, grain])).answer(
        "粮食面积的底线，2021年和2023年分别是怎么要求的？",
        [Retrieved(grain, 1.0, rank=1), Retrieved(dated, 0.9, rank=2)],
    )
    assert not abstained and "674万亩" in text and "3月24日" not in text


def test_a_list_named_in_quotes_is_quoted_with_all_its_items():
    intro = chunk("n1", "某市规划纲要解读", [], "纲要明确了“打造三个高地”的具体定位和主要目标。")
    items = chunk(
        "n2", "某市规划纲要解读", [],
        "打造三个高地\n◉面向新发展格局的枢纽经济高地\n◉先进制造业和现代服务业深度融合的\n现代产业高地\n◉魅力彰显的文化高地",
    )
    text, _, abstained = ExtractiveAnswerer(FakeStore([*CHUNKS, intro, items])).answer(
        "纲要提出要“打造三个高地”，具体是哪三个？", [Retrieved(intro, 1.0, rank=1), Retrieved(items, 0.9, rank=2)]
    )
    assert not abstained
    for item in ("枢纽经济高地", "现代产业高地", "文化高地"):
        assert item in text


def test_parallel_statements_in_one_section_answer_a_list_question():
    box = chunk(
        "sc1", "许昌市“十四五”现代供应链发展规划", ["专栏 1：传统产业供应链建设工程"],
        "化工。布局发展化工新材料，打造500亿级化工产业供应链。\n新型建材。推广绿色建材，打造500亿级新型建材产业供应链。\n"
        "轻纺。发展高端纺织，打造500亿级轻纺产业供应链。",
    )
    text, _, abstained = ExtractiveAnswerer(FakeStore([*CHUNKS, box])).answer(
        "供应链规划提出打造哪几个500亿级的传统产业供应链？", [Retrieved(box, 1.0, rank=1)]
    )
    assert not abstained
    for item in ("化工产业供应链", "新型建材产业供应链", "轻纺产业供应链"):
        assert item in text
