"""Structure answers: measures numbered 1., 2., … through a document are counted; a letterhead is not a part."""

from __future__ import annotations

from dataclasses import replace

from assistant.answering.candidates import signs as _signature
from assistant.answering.outline import numbered_items
from assistant.models import Chunk, Retrieved


def _chunk(i: int, section: list[str], text: str) -> Chunk:
    return Chunk(f"c{i}", "m.txt", "d", "某省若干措施", section, text, i * 10, i * 10 + 3)


def test_measures_numbered_through_the_document_are_counted() -> None:
    chunks = [
        _chunk(1, ["一、扩大贸易"], "1.扩大优势产品出口。\n2.扩大先进技术进口。\n3.发展跨境电商。"),
        _chunk(2, ["二、保障措施"], "4.加强组织领导。\n5.强化资金支持。\n6.加强风险应对。"),
    ]
    items = numbered_items(chunks)
    assert [n for n, _, _ in items] == [1, 2, 3, 4, 5, 6]
    assert items[-1][1] == "6.加强风险应对。" and items[-1][2].id == "c2"


def test_numbering_that_restarts_per_section_is_not_a_count() -> None:
    chunks = [
        _chunk(1, ["一、扩大贸易"], "1.甲。\n2.乙。\n3.丙。"),
        _chunk(2, ["二、保障措施"], "1.丁。\n2.戊。\n3.己。"),
    ]
    assert numbered_items(chunks) == []
    assert numbered_items([_chunk(1, [], "1.甲。\n2.乙。")]) == []  # a short list is not a document's count


def test_an_issuing_body_line_is_not_a_part_of_the_text() -> None:
    assert _signature("某市经济和信息化局") and _signature("某省人民政府办公厅")
    assert not _signature("一、总体要求") and not _signature("保障措施")


def test_a_lead_ending_its_part_is_followed_by_the_next_headings_of_one_level() -> None:
    from assistant.answering.outline import items_after_lead, outline

    lead = _chunk(1, ["（九）防范风险", "名词解释"], "1.白名单：……\n附件\n2025年3件惠民实事")
    items = [_chunk(n, [title], f"年度目标：{title}。") for n, title in
             [(2, "一、稳定和扩大就业"), (3, "二、深化关爱服务"), (4, "三、实施银龄人才计划")]]
    heads = items_after_lead(outline([lead, *items]), lead, "2025年3件惠民实事")
    assert [h.title for h in heads] == ["一、稳定和扩大就业", "二、深化关爱服务", "三、实施银龄人才计划"]
    assert items_after_lead(outline([lead, *items]), lead, "名词解释") == []  # no count: nothing guessed


def test_a_run_in_heading_is_shown_with_what_follows_it() -> None:
    """"（一）坚持……。强化……" opens its own paragraph: the principle is shown with its statement, not twice."""
    from assistant.answering.outline import Heading
    from assistant.answering.structured import Sources, _heading_with_lead

    chunk = _chunk(1, ["二、基本原则", "（一）坚持统筹推进"], "（一）坚持统筹推进。强化政府统筹和政策供给，营造良好发展环境。")
    unit = _heading_with_lead(Heading(("二、基本原则", "（一）坚持统筹推进"), chunk), Sources([]))
    assert unit.display == "（一）坚持统筹推进：强化政府统筹和政策供给，营造良好发展环境。"


def test_who_delivered_a_report_and_at_which_meeting_come_from_its_opening_lines() -> None:
    from assistant.answering.docinfo import report_units
    from assistant.answering.frame import parse_question
    from assistant.answering.structured import Sources

    national = [_chunk(1, [], "——2030年3月5日在第十六届全国人民代表大会第一次会议上"),
                _chunk(2, ["国务院总理某某某"], "各位代表：\n现在，我代表国务院，向大会报告工作。")]
    frame = parse_question("2030年的政府工作报告是谁作的？在哪次会议上？")
    assert frame.answer_type == "metadata"
    shown = [u.display for u in report_units(frame, national, Sources([]))]
    assert shown == ["报告人：国务院总理某某某", "会议：第十六届全国人民代表大会第一次会议"]
    line = "2030年1月16日在某省第十六届人民代表大会第三次会议上某省人民政府代省长某某作政府工作报告。"
    province = [_chunk(1, [], f"{line}\n各位代表：")]
    shown = [u.display for u in report_units(frame, province, Sources([]))]
    assert shown == [line]  # the line says who, when and where: quoted once, whole
    assert report_units(parse_question("这份报告提出了哪些任务？"), province, Sources([])) == []
    # the name before the office, "在…会议的政府工作报告": each said apart, the line being no sentence
    city = [_chunk(1, [], "----2030年1月15日某某市长在某市第十六届人民代表大会第三次会议的政府工作报告\n各位代表：")]
    shown = [u.display for u in report_units(parse_question("这份报告是谁作的？在什么会上？"), city, Sources([]))]
    assert shown == ["报告人：市长某某", "会议：某市第十六届人民代表大会第三次会议"]
    byline = [_chunk(1, [], "——2030年1月16日省长 某某某在某省第十四届人民代表大会第三次会议上的讲话\n各位代表：")]
    shown = [u.display for u in report_units(parse_question("这份报告是谁作的？在什么会上？"), byline, Sources([]))]
    assert shown == ["报告人：省长某某某", "会议：某省第十四届人民代表大会第三次会议"]
    # the lines run together, the salutation after the name ("…省长 某某某各位代表："), asked with 哪位
    joined = [_chunk(1, [], "——2030年1月15日在某省第十四届人民代表大会第三次会议上某省省长 某某某各位代表：")]
    shown = [u.display for u in report_units(parse_question("某省今年的报告哪位作的？"), joined, Sources([]))]
    assert shown == ["报告人：省长某某某"]
    notice = [_chunk(1, [], "某政办〔2030〕9号\n各县（市）人民政府，州级各部门，各有关单位：\n现将《某办法》印发给你们。")]
    shown = [u.display for u in report_units(parse_question("这个办法主送哪些单位？"), notice, Sources([]))]
    assert shown == ["主送：各县（市）人民政府，州级各部门，各有关单位"]
    notice = [_chunk(1, [], "（某开放办〔2030〕6号）\n省有关单位：\n现将《某实施意见》印发给你们。")]
    shown = [u.display for u in report_units(parse_question("这个实施意见主送哪些单位？"), notice, Sources([]))]
    assert shown == ["主送：省有关单位"]  # an addressee need not open with 各


def test_a_speakers_name_spaced_out_or_on_the_next_line_is_read() -> None:
    from assistant.answering.docinfo import report_units
    from assistant.answering.frame import parse_question
    from assistant.answering.structured import Sources

    frame = parse_question("2030年的政府工作报告是谁作的？")
    for chunks in ([_chunk(1, ["国务院总理某\u3000某"], "各位代表：")], [_chunk(1, [], "国务院总理　\n某　某\n\n各位代表：")]):
        assert [u.display for u in report_units(frame, chunks, Sources([]))] == ["报告人：国务院总理某某"]


def test_who_delivered_a_report_is_its_speaker_not_its_issuer() -> None:
    """"谁作的" is answered by the speaker alone; "哪个机关发布" by the issuing body."""
    from assistant.answering.frame import parse_question
    from assistant.models import DocumentInfo

    doc = DocumentInfo("n", "n.txt", "政府工作报告", 1, 10, issuer="国务院")
    chunks = [_chunk(1, [], "——2030年3月5日在第十六届全国人民代表大会第一次会议上"),
              _chunk(2, ["国务院总理某某某"], "各位代表：\n现在，我代表国务院，向大会报告工作。")]
    for question in ("2030年的政府工作报告是谁代表国务院作的？", "2030年政府工作报告由哪个机关发布？"):
        assert parse_question(question).answer_type == "metadata", question
    assert _metadata_shown(doc, chunks, "2030年的政府工作报告是谁代表国务院作的？") == ["报告人：国务院总理某某某"]
    assert _metadata_shown(doc, chunks, "2030年政府工作报告由哪个机关发布？") == ["发文机关：国务院"]
    # "哪位" asks who as "谁" does: the speaker of a report, the issuer of a document signed off
    assert parse_question("2030年政府工作报告是哪位总理作的？").answer_type == "metadata"
    assert _metadata_shown(doc, chunks, "2030年政府工作报告是哪位总理作的？") == ["报告人：国务院总理某某某"]
    assert parse_question("这个实施意见由哪位领导签发？").answer_type == "metadata"
    signed = DocumentInfo("o", "o.txt", "某实施意见", 1, 10, issuer="某省开放办公室")
    opinions = [_chunk(1, [], "某省开放办公室\n各有关单位：\n现将《某实施意见》印发给你们，请认真贯彻执行。")]
    assert _metadata_shown(signed, opinions, "这个实施意见由哪位领导签发？") == ["发文机关：某省开放办公室"]


class _Library:
    def __init__(self, chunks: dict[str, list[Chunk]]):
        self.chunks = chunks

    def chunks_of(self, doc_id: str) -> list[Chunk]:
        return self.chunks.get(doc_id, [])

    def find_line(self, source: str, needle: str, first: int, last: int) -> None:
        return None


def _metadata_shown(doc, chunks: list[Chunk], question: str) -> list[str]:  # type: ignore[no-untyped-def]
    """What a document-information answer shows for a question about `doc`, whose text is `chunks`."""
    from assistant.answering.docinfo import metadata_units
    from assistant.answering.frame import parse_question
    from assistant.answering.structured import Sources

    library = _Library({doc.doc_id: chunks})
    return [u.display for u in metadata_units(parse_question(question), doc, library, Sources([]))]  # type: ignore[arg-type]


def test_the_documents_a_gazette_holds_are_listed_with_their_numbers() -> None:
    from assistant.answering.docinfo import contents_units
    from assistant.answering.frame import parse_question
    from assistant.answering.structured import Sources
    from assistant.models import DocumentInfo
    from assistant.retrieval.routing import Catalog

    docs = [
        DocumentInfo("a", "g.txt", "某市甲规划", 1, 10, doc_number="某政〔2030〕1号", issuer="某市人民政府"),
        DocumentInfo("b", "g.txt", "某市乙办法", 11, 20, doc_number="某政办〔2030〕2号", issuer="某市人民政府办公室"),
        DocumentInfo("c", "g.txt", "某市丙方案", 21, 30, doc_number="某政办〔2030〕3号", issuer="某市人民政府办公室"),
        DocumentInfo("d", "other.txt", "某市丁报告", 1, 9),
    ]
    catalog = Catalog(docs)
    library = _Library({d.doc_id: [Chunk(f"{d.doc_id}1", d.source, d.doc_id, d.title, [], "正文。", d.line_start,
                                         d.line_start + 1)] for d in docs})
    listed = contents_units(parse_question("这期公报收录了哪些文件？"), docs[0], catalog, library, Sources([]))
    assert [u.display for u in listed] == ["某市甲规划（某政〔2030〕1号）", "某市乙办法（某政办〔2030〕2号）",
                                           "某市丙方案（某政办〔2030〕3号）"]
    office = contents_units(parse_question("这期公报收了哪几份市政府办公室文件？"), docs[0], catalog, library, Sources([]))
    assert [u.text for u in office] == ["某市乙办法", "某市丙方案"]
    # "根据哪些文件编制" asks for references, not for what the file holds
    assert contents_units(parse_question("甲规划是根据哪些文件编制的？"), docs[0], catalog, library, Sources([])) == []
    assert contents_units(parse_question("收录了哪些文件？"), docs[3], catalog, library, Sources([])) == []  # one document


def test_the_years_a_plan_covers_are_answered_from_its_metadata() -> None:
    from assistant.answering.docinfo import metadata_units
    from assistant.answering.frame import parse_question
    from assistant.answering.structured import Sources
    from assistant.models import DocumentInfo

    plan = DocumentInfo("p", "p.txt", "某市新型城镇化规划（2031—2045年）", 1, 10, period=[2031, 2045])
    chunks = [Chunk("p1", "p.txt", "p", plan.title, [], "规划期为2031—2045年，近期至2035年。", 1, 2)]
    frame = parse_question("新型城镇化规划的规划期限是哪几年？")
    assert frame.answer_type == "metadata"
    units = metadata_units(frame, plan, _Library({"p": chunks}), Sources([]))
    assert [u.display for u in units] == ["规划期：2031—2045年"] and units[0].text.startswith("规划期为")


def test_a_section_is_chosen_by_what_is_asked_not_by_the_words_naming_the_document() -> None:
    """"数据专区建设的总体目标" in a guide on data zones: the parts about 专区数据 are not its goals."""
    from assistant.answering.frame import parse_question
    from assistant.answering.sections import section_units
    from assistant.answering.structured import Sources

    def chunk(i: int, section: list[str], text: str) -> Chunk:
        return Chunk(f"g{i}", "g.txt", "g", "关于推进某市数据专区建设的指导意见", section, text, i * 10, i * 10 + 3)

    chunks = [
        chunk(1, ["一、总体要求", "（一）指导思想"], "以新发展理念为指导。"),
        chunk(2, ["一、总体要求", "（二）工作目标"], "利用2-3年时间，建立健全数据专区管理制度。"),
        chunk(3, ["二、完善专区数据供给机制", "（一）完善数据共享机制"], "完善政务数据共享机制。"),
        chunk(4, ["二、完善专区数据供给机制", "（二）建立数据质量反馈机制"], "建立数据质量反馈机制。"),
    ]
    units = section_units(parse_question("某市数据专区建设的总体目标是什么？"), chunks, Sources([]))
    assert not any("共享机制" in u.display or "反馈机制" in u.display for u in units)


def test_a_part_asked_by_another_name_is_found_by_its_head_word() -> None:
    """"工作目标是什么" of a plan whose part is "三、治理目标": the head word 目标 finds it; an exact name wins."""
    from assistant.answering.outline import Heading, best_heading

    heads = [Heading(("一、指导思想",), _chunk(1, ["一、指导思想"], "以……为指导。")),
             Heading(("三、治理目标",), _chunk(2, ["三、治理目标"], "到2025年，压减超采量7552万立方米。")),
             Heading(("四、主要任务",), _chunk(3, ["四、主要任务"], "（一）强化节水。"))]
    assert best_heading(heads, [], ("工作目标",)).title == "三、治理目标"
    assert best_heading(heads, [], ("主要任务",)).title == "四、主要任务"
    assert best_heading(heads, [], ("工作意义",)) is None


def test_how_many_parts_a_named_section_has_is_counted_and_all_are_shown() -> None:
    """"…的重点任务有几个方面？": the named section's sub-headings, every one of them, the first saying how many."""
    from assistant.answering.frame import parse_question
    from assistant.answering.sections import section_units
    from assistant.answering.structured import Sources
    from assistant.models import Retrieved

    names = ["（一）发展货物贸易", "（二）推进服务贸易", "（三）发展新业态", "（四）深化投资合作", "（五）搭建合作平台",
             "（六）提升产业竞争力", "（七）优化营商环境"]
    chunks = [_chunk(1, ["一、发展目标"], "到2024年，货物贸易占比达30%。")]
    chunks += [_chunk(i + 2, ["二、重点任务", name], f"{i + 1}.一项任务。") for i, name in enumerate(names)]
    frame = parse_question("某省实施意见的重点任务有几个方面？")
    assert frame.answer_type == "quantity"
    shown = [u.display for u in section_units(frame, chunks, Sources([Retrieved(c, 1.0) for c in chunks]))]
    assert len(shown) == 7 and shown[0].startswith("共七个方面：（一）发展货物贸易")
    assert section_units(parse_question("某省实施意见的发展目标有几个方面？"), chunks, Sources([])) == []


def test_chapters_run_in_with_the_articles_are_listed() -> None:
    """A database export writes "第一章　总则　　第一条…" on one line: "分为几章" lists the chapters, not the articles."""
    from assistant.answering.frame import parse_question
    from assistant.answering.structured import Sources, structure_units

    chunks = [_chunk(1, ["第一条"], "第一章　总则　　第一条　为规范管理，制定本办法。"),
              _chunk(2, ["第二条"], "第二条　本办法适用于本州。"),
              _chunk(3, ["第五条"], "第二章　规划建设　　第五条　统筹建设平台。"),
              _chunk(4, ["第九条"], "第三章　附则　　第九条　本办法自颁布之日起施行。")]
    shown = [u.display for u in structure_units(parse_question("这个办法分为几章？"), chunks, Sources([]))]
    assert shown == ["共三章：第一章 总则", "第二章 规划建设", "第三章 附则"]


def test_why_a_document_was_made_is_its_own_purpose_sentence() -> None:
    """"…办法的目的是什么" is answered by "第一条 为…，制定本办法。" (from the article, not the chapter heading
    before it); a document's purpose is asked only when the question names a kind of document."""
    from assistant.answering.docinfo import purpose_units
    from assistant.answering.frame import parse_question
    from assistant.answering.structured import Sources

    rules = [_chunk(1, [], "某州政务数据管理办法"),
             _chunk(2, ["第一章 总则"], "第一章　总则　　第一条 　为规范政务数据管理，结合我州实际，制定本办法。\n第二条 　本办法适用于全州。")]
    frame = parse_question("某州制定政务数据管理办法的目的是什么？")
    assert [u.display for u in purpose_units(frame, rules, Sources([]))] == [
        "第一条 　为规范政务数据管理，结合我州实际，制定本办法。"
    ]
    letter = [_chunk(1, [], "作为试点，为促进数据融合应用，根据有关文件，我局制定了《关于推进数据专区建设的指导意见》，现印发给你们。")]
    shown = [u.display for u in purpose_units(parse_question("数据专区指导意见是为了什么？"), letter, Sources([]))]
    assert shown == ["为促进数据融合应用，根据有关文件，我局制定了《关于推进数据专区建设的指导意见》，现印发给你们。"]
    assert purpose_units(parse_question("开展专项行动的目的是什么？"), rules, Sources([])) == []


def test_a_lead_in_saying_the_items_follow_brings_them_and_one_naming_them_does_not() -> None:
    """"今年要重点做好以下工作。" announces the sub-headings after it; "重点培育甲、乙、丙等20个产业。" has named
    its items already (a count after a list in its last clause), while "…，突出实施六大举措。" announces six."""
    from assistant.answering.candidates import units_of
    from assistant.answering.leads import lead_items
    from assistant.answering.structured import Sources

    lead_chunk = _chunk(1, ["二、今年工作"], "做好今年工作，意义重大。\n今年要重点做好以下工作。")
    parts = [_chunk(n, ["二、今年工作", title], f"{title}。具体措施。") for n, title in
             [(2, "（一）扩大有效需求"), (3, "（二）发展新质生产力"), (4, "（三）办好民生实事")]]
    chunks = [lead_chunk, *parts]
    lead = units_of(lead_chunk, 0)[-1]
    assert [u.display for u in lead_items(lead, chunks, Sources([]))] == [
        "（一）扩大有效需求", "（二）发展新质生产力", "（三）办好民生实事"
    ]
    named = _chunk(1, ["二、今年工作"], "重点培育甲产业、乙产业、丙产业等3个未来产业。")
    assert lead_items(units_of(named, 0)[-1], [named, *parts], Sources([])) == []


def test_a_count_the_following_headings_do_not_make_up_brings_none() -> None:
    """"…推进好289个省重点项目。" closing a part, or "办好十件民生实事。" followed by two more parts, does not announce
    the headings after it: they are as many as it counts, or they are not its items."""
    from assistant.answering.outline import items_after_lead, outline

    lead = _chunk(1, ["二、今年工作", "（一）扩大需求"], "推进好总投资1.78万亿元的289个省重点项目。")
    after = [_chunk(n, ["二、今年工作", title], f"{title}。") for n, title in
             [(2, "（二）建设产业体系"), (3, "（三）深化改革开放")]]
    assert items_after_lead(outline([lead, *after]), lead, lead.text) == []
    tenth = _chunk(1, ["二、今年工作", "（十）改善民生"], "办好十件民生实事。")
    assert items_after_lead(outline([tenth, *after]), tenth, tenth.text) == []


def test_paragraphs_numbered_in_words_are_the_items_a_lead_in_announces() -> None:
    """"主要抓了以下三个方面的工作：" then "一是奋力拼经济，稳住基本盘。…", "二是…": each numbered paragraph's head is
    an item; a short head sentence inside one of them ("上下一心抓项目带动。") is none."""
    from assistant.answering.candidates import units_of
    from assistant.answering.leads import lead_items
    from assistant.answering.structured import Sources

    review = ["一、2024年工作回顾"]
    chunks = [_chunk(1, review, "主要抓了以下三个方面的工作：\n一是奋力拼经济，稳住基本盘。深入实施激发需求行动。"),
              _chunk(2, review, "上下一心抓项目带动。新开工项目多。\n二是全力抓产业，推动转型升级。大力实施产业行动。"),
              _chunk(3, review, "三是致力兴科创，厚植发展优势。加快推进科技创新。")]
    lead = units_of(chunks[0], 0)[0]
    assert [u.display for u in lead_items(lead, chunks, Sources([]))] == [
        "一是奋力拼经济，稳住基本盘。", "二是全力抓产业，推动转型升级。", "三是致力兴科创，厚植发展优势。"]


def test_a_point_the_question_quotes_is_answered_by_its_line() -> None:
    """"“构建更具活力的体制机制”具体要干啥": the line run in with it ("◉构建更具活力的体制机制：坚持…；深化…；") whole;
    a title over items ("八个走在前列：") or a question of two parts is answered otherwise."""
    from assistant.answering.frame import parse_question
    from assistant.answering.sections import quoted_point
    from assistant.answering.structured import Sources

    page = _chunk(1, ["一、推动创新发展"], "◉构建更具活力的体制机制：坚持改革方向，激发主体活力；\n深化专项行动；\n"
                  "建设高标准市场体系。\n八个走在前列：\n◉在创新驱动发展上走在前列")
    shown = [u.display for u in quoted_point(parse_question("“构建更具活力的体制机制”具体要干啥？"), [page], Sources([]))]
    assert shown == ["◉构建更具活力的体制机制：坚持改革方向，激发主体活力；"]
    assert quoted_point(parse_question("“八个走在前列”具体是哪些？"), [page], Sources([])) == []
    two = parse_question("“构建更具活力的体制机制”那块要坚持什么？另外要建设什么体系？")
    assert quoted_point(two, [page], Sources([])) == []


def test_items_announced_in_the_text_and_spelled_out_in_an_appendix_are_listed() -> None:
    """"办好三件民生实事。" in the report, its items under "附件1 2025年省三件民生实事" at the end."""
    from assistant.answering.candidates import units_of
    from assistant.answering.leads import lead_items
    from assistant.answering.structured import Sources
    from assistant.answering.wording import answer_type

    body = _chunk(1, ["二、今年工作", "（十）改善民生"], "办好三件民生实事。今年创新民生实事遴选机制。")
    last = _chunk(2, ["二、今年工作", "（十一）加强自身建设"], "各位代表！让我们团结奋斗。\n附件1\n2025年省三件民生实事")
    items = [_chunk(n, [title], f"{title}。为超2.5万名老年人提供服务。") for n, title in
             [(3, "一、为老年人提供健康管理、医养结合服务"), (4, "二、提升兜底保障水平"), (5, "三、推进生活污水治理")]]
    chunks = [body, last, *items]
    lead = units_of(body, 0)[0]
    assert [u.display for u in lead_items(lead, chunks, Sources([]))] == [
        "一、为老年人提供健康管理、医养结合服务", "二、提升兜底保障水平", "三、推进生活污水治理"
    ]
    assert answer_type("广东2025年十件民生实事是什么？") == "list"
    # "意见总共分几大块": how many parts the document has, its structure; a topic in blocks ("产业分为几大块") is a list
    assert answer_type("那个促投资的实施意见总共分几大块？最后一块叫什么？") == "structure"
    assert answer_type("产业发展分为几大块？") == "list"


def test_a_numbered_paragraphs_first_sentence_is_its_head() -> None:
    from assistant.answering.leads import _run_in_head

    assert _run_in_head("一、为老年人提供健康管理、医养结合服务。为超2.5万名老年人提供上门服务。") == (
        "一、为老年人提供健康管理、医养结合服务。"
    )
    assert _run_in_head("创新医养深度融合模式，新增护理型床位超过1000张。城乡社区规范健康管理。") is None


def test_when_a_document_takes_effect_is_its_closing_article() -> None:
    """"自什么时候起施行" is answered by "本办法自印发之日起施行", with the date it was issued; "哪天印发" by the date."""
    from assistant.models import DocumentInfo

    doc = DocumentInfo("r", "r.txt", "某市数据管理办法", 1, 10, date="2030年7月30日")
    chunks = [_chunk(1, [], "某市数据管理办法\n2030年7月30日"),
              _chunk(2, ["第三章 附则"], "第十二条 本办法由市数据局负责解释。\n第十三条 本办法自印发之日起施行，有效期2年。")]
    assert _metadata_shown(doc, chunks, "某市数据管理办法自什么时候起施行？") == [
        "第十三条 本办法自印发之日起施行，有效期2年。", "日期：2030年7月30日"
    ]
    assert _metadata_shown(doc, chunks, "某市数据管理办法是哪天印发的？") == ["日期：2030年7月30日"]


def test_what_part_n_is_about_is_its_heading_and_what_is_under_it() -> None:
    """"第二章讲什么" is answered by the chapter's heading and its sections; "第二部分" is the second top-level part;
    a chapter run in with its articles ("第二章　目录管理　　第五条…") by its own line and articles."""
    from assistant.answering.frame import parse_question
    from assistant.answering.structured import Sources, part_units

    plan = [_chunk(1, ["第一章 发展基础"], "过去五年成绩显著。"),
            _chunk(2, ["第二章 总体要求", "第一节 指导思想"], "坚持稳中求进。"),
            _chunk(3, ["第二章 总体要求", "第二节 发展目标"], "到2030年全面提升。"),
            _chunk(4, ["第三章 规划实施"], "加强组织领导。")]
    shown = [u.display for u in part_units(parse_question("某规划第二章讲什么？"), plan, Sources([]))]
    assert shown == ["第二章 总体要求", "第一节 指导思想", "第二节 发展目标"]
    report = [_chunk(1, ["一、工作回顾"], "过去一年成绩显著。"), _chunk(2, ["二、今年工作"], "今年要稳中求进。")]
    second = part_units(parse_question("这份报告第二部分讲什么？"), report, Sources([]))
    assert second and second[0].display == "二、今年工作"
    rules = [_chunk(1, [], "第一章　总则　　第一条 　为规范管理，制定本办法。"),
             _chunk(2, [], "第二章　目录管理　　第五条 　数据实行统一目录管理。\n第六条 　目录每年更新。")]
    shown = [u.display for u in part_units(parse_question("某办法第二章是什么内容？"), rules, Sources([]))]
    assert shown[0] == "第二章 目录管理" and any("统一目录管理" in s for s in shown)
    assert part_units(parse_question("某规划第九章讲什么？"), plan, Sources([])) == []
    # a chapter the named document, numbering its chapters, lacks: nothing of it answers (a chapter it has, or a
    # document numbering none, or none named, decides nothing); so an article or a bracketed item
    from assistant.answering.structured import part_missing
    from assistant.models import DocumentInfo
    from assistant.retrieval.routing import Catalog, Scope

    library = _Library({"plan": plan, "rules": rules, "report": report})
    catalog = Catalog([DocumentInfo(d, f"{d}.txt", d, 1, 10, year=2030, place="某省") for d in library.chunks])

    def missing(question: str, *docs: str) -> bool:
        return part_missing(parse_question(question), Scope(doc_ids=docs), catalog, library)

    assert missing("某规划第九章讲的是啥？分了哪几节？", "plan") and missing("这个办法第三章讲什么？", "rules")
    assert not missing("这个办法第二章讲什么？", "rules") and not missing("某规划第三章讲什么？", "plan")
    assert not missing("某规划第九章讲什么？") and not missing("这份报告第九章讲什么？", "report")
    assert missing("这份报告第九部分讲什么？", "report")
    assert missing("这个办法第七条怎么规定的？", "rules") and not missing("这个办法第六条怎么规定的？", "rules")
    assert not missing("某规划第七条怎么规定的？", "plan")  # (no articles: nothing told)
    listed = _chunk(9, ["三、重点任务"], "（一）稳增长。\n（二）促改革。")
    library.chunks["tasks"] = [listed]
    assert missing("重点任务第（三）项讲的是啥？", "tasks") and not missing("重点任务第（二）项讲的是啥？", "tasks")
    assert not missing("某规划第（三）项讲的是啥？", "plan")
    # the one document a place and year fit, when the question names none by its title
    dated = Scope(places=("某省",), doc_years=(2030,))
    assert part_missing(parse_question("某省30年报告第九部分讲什么？"), dated, catalog, library) is False  # (four fit)
    # a part named after 除了 is left out: the others of its kind are asked (those after it, with 后面)
    report = [*report, _chunk(3, ["三、政府建设"], "加强政府自身建设。")]
    asked = "某省报告除了第一部分回顾去年，后面两部分分别叫什么？"
    assert [u.display for u in part_units(parse_question(asked), report, Sources([]))] == ["二、今年工作", "三、政府建设"]
    asked = "某省报告除了第二部分，还有哪些部分？"
    assert [u.display for u in part_units(parse_question(asked), report, Sources([]))] == ["一、工作回顾", "三、政府建设"]
    asked = "某省报告第一部分是回顾去年，后面两大部分的标题分别是什么？"
    assert [u.display for u in part_units(parse_question(asked), report, Sources([]))] == ["二、今年工作", "三、政府建设"]
    # a chapter opening with its own statements before its sections: what it is about starts with the first of them
    # (not when its title is asked)
    opened = [_chunk(1, ["第二章 总体要求"], "全面深化改革，统筹推进各项任务。"), *plan[1:3]]
    shown = [u.display for u in part_units(parse_question("某规划第二章讲什么？"), opened, Sources([]))]
    assert shown == ["第二章 总体要求：全面深化改革，统筹推进各项任务。", "第一节 指导思想", "第二节 发展目标"]
    shown = [u.display for u in part_units(parse_question("某规划第二章标题叫什么？"), opened, Sources([]))]
    assert shown[0] == "第二章 总体要求"


def test_how_many_parts_a_document_has_is_said_first_and_a_byline_is_no_part() -> None:
    """"有几部分" is answered "共两个部分：…"; the report's byline line before its numbered parts is not counted."""
    from assistant.answering.frame import parse_question
    from assistant.answering.structured import Sources, structure_units

    chunks = [_chunk(1, ["国务院总理 某某"], "各位代表："),
              _chunk(2, ["一、过去一年工作回顾"], "过去一年，经济回升向好。"),
              _chunk(3, ["二、今年工作建议"], "今年发展主要预期目标是：国内生产总值增长5%左右。")]
    shown = [u.display for u in structure_units(parse_question("这份报告有几部分？"), chunks, Sources([]))]
    assert shown == ["共两个部分：一、过去一年工作回顾", "二、今年工作建议"]
    listed = [u.display for u in structure_units(parse_question("这份报告的结构是怎样的？"), chunks, Sources([]))]
    assert listed == ["一、过去一年工作回顾", "二、今年工作建议"]  # listed without a count when none is asked


def test_a_list_question_asking_what_a_named_part_comprises_lists_its_sub_headings() -> None:
    """"推进城市有机更新包括哪些方面": the part the question names in so many words, listed by its sub-headings; a
    question naming no part is left to the passages."""
    from assistant.answering.aspects import aspect_units
    from assistant.answering.frame import parse_question
    from assistant.answering.structured import Sources

    chunks = [_chunk(1, ["第三章 推进城市有机更新"], "坚持留改拆并举。"),
              _chunk(2, ["第三章 推进城市有机更新", "第一节 完善城市空间布局"], "优化城市空间结构。"),
              _chunk(3, ["第三章 推进城市有机更新", "第二节 加快基础设施补短板"], "实施补短板行动。"),
              _chunk(4, ["第四章 提高城市治理水平", "第一节 推进智慧城市建设"], "建设城市大脑。")]
    frame = parse_question("城市更新规划中推进城市有机更新包括哪些方面？")
    shown = [u.display for u in aspect_units(frame, chunks, Sources([Retrieved(c, 1.0) for c in chunks]))]
    assert [s.split("：")[0] for s in shown] == ["第一节 完善城市空间布局", "第二节 加快基础设施补短板"]
    assert aspect_units(parse_question("城市更新规划中老旧小区改造包括哪些方面？"), chunks, Sources([])) == []


def test_a_section_of_points_is_shown_point_by_point_across_its_chunks() -> None:
    """"——以人为本、健康优先。坚持…" lines: each point is its head with its first statement, all of them, also when
    the section runs over two (overlapping) chunks; a passage with a line that is no point is not one."""
    from assistant.answering.candidates import run_in_points, units_of
    from assistant.answering.frame import parse_question
    from assistant.answering.sections import section_units
    from assistant.answering.structured import Sources

    first = _chunk(1, ["二、总体要求", "（二）基本原则"], "——以人为本、健康优先。坚持以人民健康为中心。\n"
                   "——预防为主，防治结合。从治已病向治未病转变。\n——提高质量，促进均衡。坚持高质量发展。\n"
                   "——政府主导，社会参与。")
    second = _chunk(2, ["二、总体要求", "（二）基本原则"], "——政府主导，社会参与。坚持公益属性。\n"
                    "——深化改革，创新发展。推进体制机制改革。")
    points = run_in_points(units_of(first, 0))
    assert [p.display for p in points][:2] == ["——以人为本、健康优先：坚持以人民健康为中心。", "——预防为主，防治结合：从治已病向治未病转变。"]
    assert run_in_points(units_of(_chunk(3, [], "——甲方。乙方负责。\n总的来看，形势较好，发展稳中有进。"), 0)) == []
    assert len(run_in_points(units_of(_chunk(3, [], "形势较好，稳中有进。\n人民至上，生命至上。牢固树立。"), 0))) == 1
    heads = _chunk(0, ["二、总体要求"], "二、总体要求\n（二）基本原则")
    shown = section_units(parse_question("某省若干措施的基本原则有哪些？"), [heads, first, second],
                          Sources([Retrieved(c, 1.0) for c in (heads, first, second)]))
    assert [u.display.split("：")[0] for u in shown] == [
        "——以人为本、健康优先", "——预防为主，防治结合", "——提高质量，促进均衡", "——政府主导，社会参与", "——深化改革，创新发展",
    ]
    # the section's opening statement leads its points; a chunk beginning inside a point skips that tail
    first = _chunk(1, ["二、总体要求", "（二）基本原则"], "主要目标是“两个高于”。\n人民至上，生命至上。牢固树立安全发展理念。\n"
                   "党建统领，社会共治。坚持党的领导。")
    second = _chunk(2, ["二、总体要求", "（二）基本原则"], "形成整体合力，提高效能。\n创新驱动，数字赋能。以改革创新为动力。\n"
                    "防救结合，科学应对。衔接好责任链条。")
    shown = section_units(parse_question("某省若干措施的基本原则有哪些？"), [heads, first, second],
                          Sources([Retrieved(c, 1.0) for c in (heads, first, second)]))
    assert [u.display.split("：")[0] for u in shown] == [
        "主要目标是“两个高于”。", "人民至上，生命至上", "党建统领，社会共治", "创新驱动，数字赋能", "防救结合，科学应对",
    ]
    # two points only, the second in the next chunk: both shown by their heads, not the first chunk's statements alone
    first = _chunk(1, ["三、主要任务", "（四）健全生态治理体系"], "构建生态治理监管体系。实施分类管控。加强监测。\n")
    second = _chunk(2, ["三、主要任务", "（四）健全生态治理体系"], "开展固定污染源清理整顿。加强排污许可监管。\n")
    shown = section_units(parse_question("某省若干措施里“健全生态治理体系”这一节主要讲了哪几方面？"), [heads, first, second],
                          Sources([Retrieved(c, 1.0) for c in (heads, first, second)]))
    assert [u.display.split("：")[0] for u in shown] == ["构建生态治理监管体系", "开展固定污染源清理整顿"]
    # one point quoted by its head ("“健全应急物资保障体系”这一条讲了什么"), its passage running on into the next point:
    # that point's statements, not the next point's
    path = ["三、重点任务", "（一）健全公共卫生体系", "3. 健全应急物资保障体系"]
    point = _chunk(5, path, "3. 健全应急物资保障体系。坚持平时服务、灾时应急。健全储备体系。\n"
                   "4. 优化专业公共卫生服务体系。加强心理健康服务。")
    more = _chunk(6, path, "4. 优化专业公共卫生服务体系。加强心理健康服务。完善网络。")
    chunks = [heads, point, more]
    shown = section_units(parse_question("某省若干措施里“健全应急物资保障体系”这一条主要讲了什么？"), chunks,
                          Sources([Retrieved(c, 1.0) for c in chunks]))
    assert "健全储备体系。" in [u.display for u in shown] and not any("心理健康" in u.display for u in shown)


def test_a_section_asked_by_a_phrase_its_heading_quotes_is_answered_by_its_parts() -> None:
    """"“一老一小”那部分主要部署了哪些工作": the one heading holding the quoted phrase ("（七）优化“一老一小”服务，
    促进人口均衡发展") answers by its sub-headings; a phrase two headings hold names neither."""
    from assistant.answering.frame import parse_question
    from assistant.answering.sections import section_units
    from assistant.answering.structured import Sources

    part = ["三、重点任务", "（七）优化“一老一小”服务，促进人口均衡发展"]
    chunks = [_chunk(1, [*part, "1. 完善人口监测与家庭发展制度体系"], "落实国家生育政策和配套支持措施。"),
              _chunk(2, [*part, "2. 健全老年健康服务体系"], "推动医疗、养老融合发展。"),
              _chunk(3, ["三、重点任务", "（八）加强公共卫生队伍建设"], "培养公共卫生人才。")]
    sources = Sources([Retrieved(c, 1.0) for c in chunks])
    shown = section_units(parse_question("某省若干措施里，“一老一小”那部分主要部署了哪些工作？"), chunks, sources)
    assert [u.display.split("：")[0] for u in shown] == ["1. 完善人口监测与家庭发展制度体系", "2. 健全老年健康服务体系"]
    twice = [*chunks, _chunk(4, ["四、保障措施", "（一）统筹“一老一小”服务资源"], "统筹资源。")]
    assert section_units(parse_question("某省若干措施里，“一老一小”那部分主要部署了哪些工作？"), twice,
                         Sources([Retrieved(c, 1.0) for c in twice])) != shown


def test_a_quoted_name_counting_its_parts_is_answered_by_a_heading_with_that_many() -> None:
    """"“三大提升工程”是哪三个": the heading with exactly three parts named like them (…工程), a box beside them
    ("专栏1 …行动") not counted; a count no heading has finds nothing."""
    from assistant.answering.aspects import aspect_units
    from assistant.answering.frame import parse_question
    from assistant.answering.structured import Sources

    chunks = [_chunk(1, ["五、重点工程"], "五、重点工程")]
    for n, (title, box) in enumerate([("（一）实施创新提能工程", "专栏1 创新提能行动"), ("（二）实施产业提档工程", ""),
                                      ("（三）实施数字提智工程", "")], start=2):
        chunks.append(_chunk(n, ["五、重点工程", title], f"{title}\n强化企业创新主体地位。"))
        if box:
            chunks.append(_chunk(n + 10, ["五、重点工程", box], f"{box}\n建设研发中心10家。"))
    sources = Sources([Retrieved(c, 1.0) for c in chunks])
    shown = aspect_units(parse_question("某省若干措施里说的“三大提升工程”是哪三个？"), chunks, sources)
    assert [u.display.split("：")[0] for u in shown] == ["（一）实施创新提能工程", "（二）实施产业提档工程", "（三）实施数字提智工程"]
    assert aspect_units(parse_question("某省若干措施里说的“四大提升工程”是哪四个？"), chunks, sources) == []


def test_a_quoted_name_counting_its_parts_is_answered_by_the_statement_listing_them() -> None:
    """"“六保”具体指哪六个": the statement naming 六保 whose clause lists six parts, each with 保; a name whose parts
    no clause lists ("五稳": no five 稳…) finds nothing, and two names asked are answered each or not at all."""
    from assistant.answering.aspects import aspect_units
    from assistant.answering.frame import parse_question
    from assistant.answering.structured import Sources

    text = ("持续做好“六稳”、“六保”工作，强化保居民就业、保基本民生、保市场主体、保粮食能源安全、保产业链供应链稳定、"
            "保基层运转，推动经济持续前行。")
    chunks = [_chunk(1, ["一、过去五年工作回顾"], "一、过去五年工作回顾"), _chunk(2, ["一、过去五年工作回顾"], text)]
    sources = Sources([Retrieved(c, 1.0) for c in chunks])
    [shown] = aspect_units(parse_question("回顾中提到的“六保”具体指哪六个？"), chunks, sources)
    assert "保居民就业" in shown.display and "保基层运转" in shown.display
    assert aspect_units(parse_question("回顾中提到的“五稳”具体指哪五个？"), chunks, sources) == []
    assert aspect_units(parse_question("“六保”“六稳”分别指什么？"), chunks, sources) == []  # 六稳 listed nowhere


def test_a_document_number_and_a_date_asked_together_are_both_answered() -> None:
    """"文号是多少，啥时候发的？" asks for two fields: the colloquial 啥时候 asks for the date as 什么时候 does."""
    from assistant.models import DocumentInfo

    doc = DocumentInfo("o", "o.txt", "某市关于促投资的实施意见", 1, 10, doc_number="某政办〔2030〕29号",
                       date="2030年7月7日")
    chunks = [_chunk(1, [], "某政办〔2030〕29号\n各县（市、区）人民政府：\n现将意见印发给你们。\n2030年7月7日")]
    assert _metadata_shown(doc, chunks, "促投资的实施意见文号是多少，啥时候发的？") == [
        "文号：某政办〔2030〕29号", "日期：2030年7月7日"]
    assert _metadata_shown(doc, chunks, "这个意见是哪一天印发的？") == ["日期：2030年7月7日"]


def test_how_many_parts_is_answered_by_the_statement_that_announces_them() -> None:
    """"今年的重点工作有几个方面" of a report whose section says "重点抓好以下三个方面：" and spells them out as
    headings after it: that statement and its parts, not the review's "做了以下两个方面工作" (fewer of the
    question's words), and nothing when the question shares no word with any such statement."""
    from assistant.answering.aspects import announced_parts
    from assistant.answering.frame import parse_question
    from assistant.answering.structured import Sources

    work = "二、今年工作安排"
    review = "一、过去一年工作回顾"
    chunks = [
        _chunk(1, [review], "过去一年主要做了以下两个方面工作："),
        _chunk(2, [review, "（一）稳增长"], "经济平稳运行。"),
        _chunk(3, [review, "（二）惠民生"], "民生持续改善。"),
        _chunk(4, [work], "今年经济社会发展的主要预期目标是：地区生产总值增长5%左右。重点抓好以下三个方面："),
        _chunk(5, [work, "（一）扩大内需"], "提振消费。"),
        _chunk(6, [work, "（二）发展产业"], "建设现代化产业体系。"),
        _chunk(7, [work, "（三）保障民生"], "稳定就业。"),
    ]
    shown = [u.text for u in announced_parts(parse_question("今年重点工作安排有几个方面？"), chunks, Sources([]))]
    assert shown == ["重点抓好以下三个方面：", "（一）扩大内需", "（二）发展产业", "（三）保障民生"]
    assert announced_parts(parse_question("有几个方面？"), chunks, Sources([])) == []
    # a question counting things, not a text's parts ("首批设立了几个国家公园") is not answered so
    set_up = "四、首批设立情况"
    counted = [*chunks, _chunk(8, [set_up], "首批设立以下2个国家医学中心："),
               _chunk(9, [set_up, "（一）甲中心"], "建设甲中心。"), _chunk(10, [set_up, "（二）乙中心"], "建设乙中心。")]
    assert announced_parts(parse_question("今年首批设立了几个国家公园？"), counted, Sources([])) == []


def test_a_document_named_by_its_number_is_found_and_one_not_held_is_said_missing() -> None:
    """"许政〔2030〕17号文件印发的是哪个规划": the document with that 文号 (brackets and spaces as written aside) is
    named, and answered by its title; a number no document has is reported, and "…办〔2030〕17号" is another number."""
    from assistant.answering.docinfo import numbered_title
    from assistant.answering.frame import parse_question
    from assistant.answering.structured import Sources
    from assistant.models import DocumentInfo
    from assistant.retrieval.routing import Catalog

    docs = [DocumentInfo("a", "g.txt", "某市甲规划", 1, 10, doc_number="某政〔2030〕17号"),
            DocumentInfo("b", "g.txt", "某市乙方案", 11, 20, doc_number="某政办〔2030〕29号")]
    catalog = Catalog(docs)
    assert catalog.numbered("某政 [2030] 17 号文件印发的是哪个规划？") == (["a"], [])
    assert catalog.numbered("某政〔2030〕18号文件印发的是什么？") == ([], ["某政〔2030〕18号"])
    assert catalog.numbered("某政办〔2030〕17号文件") == ([], ["某政办〔2030〕17号"])
    frame = parse_question("某政〔2030〕17号文件印发的是哪个规划？", catalog)
    assert frame.scope.doc_ids == ("a",) and not frame.unheld_numbers
    assert parse_question("某政〔2030〕18号文件印发的是哪个规划？", catalog).unheld_numbers == ("某政〔2030〕18号",)
    library = _Library({"a": [Chunk("a1", "g.txt", "a", "某市甲规划", [], "某市甲规划\n某政〔2030〕17号\n正文。", 1, 3)]})
    shown = [u.display for u in numbered_title(frame, docs[0], library, Sources([]))]
    assert shown == ["某市甲规划"]
    assert numbered_title(parse_question("某市甲规划的主要目标是什么", catalog), docs[0], library, Sources([])) == []


def test_a_part_that_makes_its_points_as_numbered_paragraphs_lists_their_openings() -> None:
    """"政府自身建设提了哪几个“坚持”" of a part without sub-headings whose paragraphs open 一是…, 二是…: the opening
    sentence of each, in order; numbering with a gap is no such run."""
    from assistant.answering.aspects import aspect_units
    from assistant.answering.frame import parse_question
    from assistant.answering.structured import Sources, ordinal_points

    part = "三、全面加强政府自身建设"
    chunks = [
        _chunk(1, ["二、今年工作安排"], "重点做好以下工作。"),
        _chunk(2, [part], "面对艰巨繁重的任务，需要加强政府建设。\n一是坚持政治引领，永葆忠诚。旗帜鲜明讲政治。"),
        _chunk(3, [part], "二是坚持人民至上，践行为民宗旨。始终把人民放在心中。\n三是坚持依法行政，建设法治政府。接受监督。"),
    ]
    shown = [u.text for u in aspect_units(parse_question("政府工作报告讲政府自身建设，提了哪几个“坚持”？"), chunks, Sources([]))]
    assert shown == ["一是坚持政治引领，永葆忠诚。", "二是坚持人民至上，践行为民宗旨。", "三是坚持依法行政，建设法治政府。"]
    gap = [_chunk(2, [part], "一是坚持政治引领。讲政治。\n三是坚持依法行政。接受监督。")]
    assert ordinal_points(gap, Sources([])) == []


def test_a_documents_appendices_are_counted_and_named() -> None:
    """"附了几个附件？分别是什么？": each appendix by its number and the title under it; what one of them says is
    not asked so."""
    from assistant.answering.annexes import annex_units
    from assistant.answering.frame import parse_question
    from assistant.answering.structured import Sources

    chunks = [_chunk(1, ["四、保障措施"], "加强组织领导。\n附件：1. 全市超采区范围"),
              _chunk(2, ["附件 1", "全市超采区范围"], "区域\t面积"),
              _chunk(3, ["附件 2", "全市治理目标"], "到2030年压减超采量。"),
              _chunk(4, ["附件3 名词解释"], "1.超采：……")]
    shown = [u.display for u in annex_units(parse_question("这个方案后面附了几个附件？分别是什么？"), chunks, Sources([]))]
    assert shown == ["共三个附件：附件1：全市超采区范围", "附件2：全市治理目标", "附件3：名词解释"]
    assert annex_units(parse_question("方案附件2有哪些范围？"), chunks, Sources([])) == []
    assert annex_units(parse_question("这个方案有几个附件？"), chunks[:1], Sources([])) == []  # none of its own


def test_every_item_of_a_long_list_is_named_and_a_titled_list_elsewhere_is_found() -> None:
    """"十件惠民实事具体包括哪些": all ten by their headings (not six with their first statements); "办好十件民生
    实事。" answered by the items under an appendix titled so."""
    from assistant.answering.candidates import Candidate
    from assistant.answering.leads import _announced_elsewhere
    from assistant.answering.outline import outline
    from assistant.answering.structured import Sources, parts_shown

    names = ["一、甲", "二、乙", "三、丙", "四、丁", "五、戊", "六、己", "七、庚", "八、辛", "九、壬", "十、癸"]
    items = [_chunk(n + 2, ["附件1", "2030年省十件民生实事", t], f"年度目标：{t}。") for n, t in enumerate(names)]
    lead_chunk = _chunk(1, ["二、2030年工作安排"], "办好十件民生实事。")
    heads = outline([lead_chunk, *items])
    below = [h for h in heads if len(h.path) == 3]
    assert [u.display for u in parts_shown(below, Sources([]), every=True)] == names
    assert len(parts_shown(below, Sources([]), every=False)) == 6  # a description: the first parts, each with its lead
    lead = Candidate(0, lead_chunk, "办好十件民生实事。", "办好十件民生实事。", "lead")
    found = _announced_elsewhere(lead, 10, [lead_chunk, *items], heads, Sources([]))
    assert [u.display for u in found] == names


def test_a_part_counted_by_its_numbered_paragraphs_when_it_has_no_sub_headings() -> None:
    """"第三部分政府工作任务一共分了几大项": a report's part written as paragraphs "（一）…。" (no sub-headings of its
    own) is counted and listed by them."""
    from assistant.answering.frame import parse_question
    from assistant.answering.sections import section_units
    from assistant.answering.structured import Sources

    part = ["三、2030年政府工作任务"]
    chunks = [_chunk(1, ["一、2029年工作回顾"], "过去一年，经济运行总体平稳。"),
              _chunk(2, part, "（一）着力稳定宏观经济大盘。\n继续做好“六稳”工作。\n（二）着力稳市场主体保就业。\n加大政策力度。"),
              _chunk(3, part, "（三）坚定不移深化改革。\n更大激发市场活力。")]
    frame = parse_question("2030年政府工作报告第三部分“政府工作任务”一共分了几大项？")
    shown = [u.display for u in section_units(frame, chunks, Sources([]))]
    assert shown == ["共三大项：（一）着力稳定宏观经济大盘。", "（二）着力稳市场主体保就业。", "（三）坚定不移深化改革。"]


def test_a_section_does_not_answer_for_a_term_the_question_quotes_that_it_does_not_name() -> None:
    """"名词解释里“虚拟电厂”是怎么解释的": the glossary's entries are not listed for it (the entry that names the term
    answers); a section that names the quoted term still does."""
    from assistant.answering.frame import parse_question
    from assistant.answering.sections import section_units
    from assistant.answering.structured import Sources

    glossary = ["附件2 名词解释"]
    chunks = [_chunk(1, [*glossary, "1.“链式改造”"], "1.“链式改造”：包括供应链改造。"),
              _chunk(2, [*glossary, "2.“四旁”"], "2.“四旁”：村旁、宅旁。15.虚拟电厂：一种电源协调管理系统。")]
    assert section_units(parse_question("某省报告名词解释里，“虚拟电厂”是怎么解释的？"), chunks, Sources([])) == []
    part = ["（二）推进“两新”工作"]
    named = [_chunk(3, [*part, "1.设备更新"], "1.设备更新。加快设备更新。"),
             _chunk(4, [*part, "2.以旧换新"], "2.以旧换新。扩大以旧换新。")]
    shown = [u.display for u in section_units(parse_question("推进“两新”工作是怎么安排的？"), named, Sources([]))]
    assert shown == ["1.设备更新：加快设备更新。", "2.以旧换新：扩大以旧换新。"]


def test_how_many_a_named_part_holds_is_counted_and_every_one_shown() -> None:
    """"第三大部分叫什么？下面分了几条，最后一条讲的啥": the part's heading with how many it holds and every one of
    them (the last too, beyond the first six); a count before the part names counts something else."""
    from assistant.answering.frame import parse_question
    from assistant.answering.structured import Sources, counts_part, part_units

    part = "三、提升政府治理水平"
    chunks = [_chunk(1, ["一、工作回顾"], "过去一年成绩显著。"), _chunk(2, ["二、今年任务"], "今年要稳中求进。"),
              *(_chunk(3 + i, [part, f"（{n}）第{n}项工作"], "扎实推进。") for i, n in enumerate("一二三四五六七"))]
    frame = parse_question("某省报告的第三大部分叫什么？下面分了几条，最后一条讲的啥？")
    shown = [u.display for u in part_units(frame, chunks, Sources([]))]
    assert shown[0] == f"{part}：下分七条" and shown[-1] == "（七）第七项工作"
    assert counts_part("某报告的第三部分下面分了几项？") and not counts_part("工作分了几个方面？最后第三部分叫什么？")
    # things a part names counted ("第一章讲战略重点，一共要实施几大工程") are no count of its parts; "几大部分" is
    assert not counts_part("规划第一章讲战略重点，十四五一共要实施几大工程？")
    assert counts_part("纲要第二篇下面分了几大部分？")


def test_a_section_quoted_below_a_named_part_answers_by_its_numbered_paragraphs() -> None:
    """"第十二章里“保障措施”那一节，分了哪几方面": the quoted section below the chapter, by the heads of its
    paragraphs numbered in words ("一是强化要素保障能力。…"), not the chapter's sections."""
    from assistant.answering.frame import parse_question
    from assistant.answering.structured import Sources, part_units

    chapter = "第十二章 协同推进公共服务"
    chunks = [_chunk(1, [chapter, "第一节 落实标准"], "严格落实标准。"),
              _chunk(2, [chapter, "第二节 保障措施"], "一是强化要素保障能力。统筹用好政策。\n二是持续优化营商环境。平等准入。"),
              _chunk(3, [chapter, "第二节 保障措施"], "三是建设信息共享机制。推动数据共享。")]
    frame = parse_question("某规划第十二章里“保障措施”那一节，分了哪几方面来讲？")
    assert [u.display for u in part_units(frame, chunks, Sources([]))] == [
        "第二节 保障措施", "一是强化要素保障能力。", "二是持续优化营商环境。", "三是建设信息共享机制。"]


def test_parts_numbered_with_a_digit_and_a_space_are_the_pages_parts() -> None:
    """A page's parts "1 聚焦制造业发展 着力…", "2 …": counted as its parts (not with an unnumbered box beside them),
    found as part N ("第2部分", "第2块"), several asked at once each by its heading."""
    from assistant.answering.frame import parse_question
    from assistant.answering.structured import Sources, part_units, structure_units

    titles = ["1 聚焦制造业发展 着力推动转型", "2 坚持创新驱动 着力提升新动能", "3 挖掘内需潜力 着力稳定增长"]
    chunks = [_chunk(1, ["我市2030年主要预期目标"], "生产总值增长6%。"),
              *(_chunk(n + 2, [t], f"第{n + 1}项工作。") for n, t in enumerate(titles))]
    counted = [u.display for u in structure_units(parse_question("这个版面分为几部分？"), chunks, Sources([]))]
    assert counted == [f"共三个部分：{titles[0]}", *titles[1:]]
    shown = [u.display for u in part_units(parse_question("这个版面第2块的标题是什么？"), chunks, Sources([]))]
    assert shown[0] == titles[1]
    both = [u.display for u in part_units(parse_question("第1部分和第3部分的标题分别是啥？"), chunks, Sources([]))]
    assert both == [titles[0], titles[2]]


def test_how_many_key_tasks_is_answered_by_the_statement_announcing_them() -> None:
    """"2030年一共安排了几项重点工作" of a report that says "重点做好以下3项工作：" and spells them out: that statement
    with its parts (重点 qualifies what is counted, 工作)."""
    from assistant.answering.aspects import announced_parts
    from assistant.answering.frame import parse_question
    from assistant.answering.present import counts_items
    from assistant.answering.structured import Sources

    part = ["二、2030年工作安排"]
    titles = ["（一）扩大有效需求", "（二）发展新质生产力", "（三）守牢安全底线"]
    chunks = [_chunk(1, part, "今年是关键之年。\n重点做好以下3项工作："),
              *(_chunk(n + 2, [*part, t], "抓好落实。") for n, t in enumerate(titles))]
    question = "某省今年的政府工作报告，2030年一共安排了几项重点工作？"
    assert counts_items(question, "重点做好以下3项工作：")
    shown = [u.display for u in announced_parts(parse_question(question), chunks, Sources([]))]
    assert shown == ["重点做好以下3项工作：", *titles]


def test_what_a_counted_name_stands_for_must_be_spelled_out_where_it_is_named() -> None:
    """"“365”工程具体指的是哪些内容" answered by a statement naming it in passing ("坚持每年实施民生“365”工程，…") is
    declined; a definition after it ("：", "（…）", "即"), its members before it in its clause or the one before, or in
    the clause after it, answer; so does a part of the name defined ("“两个高于”即…")."""
    from assistant.answering.candidates import Candidate
    from assistant.answering.members import name_unexplained

    def unit(text: str) -> Candidate:
        chunk = Chunk("c9", "p.txt", "d9", "某市规划", [], text, 1, 1)
        return Candidate(0, chunk, text, text, "sentence")

    passing = unit("坚持每年实施民生“365”工程，“15分钟民生服务圈”日益完善，教育、医疗、养老等事业全面发展。")
    assert name_unexplained("民生“365”工程，这个“365”具体指的是哪些内容？", [passing])
    assert not name_unexplained("民生“365”工程今年投了多少钱？", [passing])  # (its meaning not asked)
    twice = unit("实施创新成果转化“双百工程”，技术合同成交额达到2000亿元。")
    assert name_unexplained("成果转化“双百工程”，两个“百”分别是指啥？", [twice])
    assert name_unexplained("“9级攀升”这9级具体是哪几级？", [unit("搭建从校级骨干到名师的 9 级攀升梯级，推荐名师、骨干教师。")])
    assert not name_unexplained("“四化”是指哪四化？", [unit("推进农村集中供水“四化”（规模化、市场化、水源地表化、城乡供水一体化）建设。")])
    assert not name_unexplained("“三大战役”具体是哪三个行业？", [unit("深入打好汽车、钢铁、化工产业转型“三大战役”。")])
    assert not name_unexplained("“四线贯通”具体是哪四条线？", [unit("甲南环、乙城际开通运营，与丙、丁城际“四线贯通”。")])
    assert not name_unexplained("“六保”具体指哪六个？", [unit("做好“六稳”、“六保”工作，强化保居民就业、保基本民生、保市场主体、保粮食能源安全、保产业链供应链稳定、保基层运转。")])
    assert not name_unexplained("“三个一百”计划具体是哪三个一百？", [unit("实施文旅投资“三个一百”计划，推进100项在建重大项目、100项重点招商项目。")])
    assert not name_unexplained("“双长制”是哪两个“长”？", [unit("推行产业链“链长”和产业联盟会长“双长制”，培育引领型企业。")])
    assert not name_unexplained("“三空间二平台”具体指哪些？", [unit("“三空间二平台”，即初创企业的集聚空间，人才的集聚空间；")])
    assert not name_unexplained("“1+11”指挥部是指什么？", [unit("成立“1+11”应急救援指挥部（1个总指挥部和11个专项指挥部）。")])
    # 为 defines it only right after it ("以“1242”发展战略为抓手" defines nothing); a list the name closes ("…、乙、四治融合
    # 等“九大行动”") lists other things, not its members
    strategy = unit("以“1242”现代服务业发展战略为重要抓手，以推动服务业供给侧结构性改革为主线。")
    assert name_unexplained("提到的“1242”现代服务业发展战略，这个1242分别代表啥？", [strategy])
    actions = unit("开展质效提升、科技赋能、开放提质、协同共建、四治融合等“九大行动”。")
    assert name_unexplained("要健全“四治融合”基层治理体系，这“四治”具体是哪四治？", [actions])
    assert not name_unexplained("“四治”具体是哪四治？", [unit("推进自治、法治、德治、智治“四治融合”。")])
    # a counted name typed without its quotes is the same name ("某市885工作体系指的啥" of "“885”工作体系"); some of
    # its members named before 等 answer ("海参、人参、梅花鹿等十大特色农业产业")
    system = unit("完善党建统领“885”工作体系，健全绩效考核全面承接机制，推动各项工作抓紧抓实。")
    assert name_unexplained("某市885工作体系指的啥？", [system])
    assert not name_unexplained("某市885工作体系指的啥？", [unit("“885”工作体系，即8个…、8个…、5个…的工作体系。")])
    clusters = unit("开展先进制造业集群提升行动，支持新型电力装备、现代食品等产业争创国家先进制造业集群，推动7大产业集群成体系。")
    assert name_unexplained("某省7大产业集群是哪7个？", [clusters])
    farms = unit("扩大地理标志农产品生产规模，重点培育海参、人参、梅花鹿等十大特色农业产业。")
    assert not name_unexplained("某省要重点培育的十大特色农业产业都有啥？", [farms])
    goal = [unit("主要目标是“两个高于一个前列”。"), unit("“两个高于”即主要指标增速高于全省平均水平；")]
    assert not name_unexplained("“两个高于一个前列”具体是指啥？", goal)
    # (a plan period quoted counts nothing: "“十四五”要实施的六大举措都有哪些")
    assert not name_unexplained("“十四五”要突出实施的六大举措都有哪些？", [unit("“十四五”时期突出实施六大举措。")])


def test_which_ones_of_a_kind_asked_must_be_listed_not_only_the_kind_named() -> None:
    """"首批入选的光网城市是哪些" answered by a statement naming only the kind ("建设一批光网城市") is declined;
    an enumeration, items, all of the kind, or two joined by 和 ending in the kind asked, answer; measures asked
    ("哪些新举措") are described, not listed."""
    from assistant.answering.candidates import Candidate
    from assistant.answering.members import ones_unlisted

    def unit(text: str, kind: str = "sentence") -> Candidate:
        chunk = Chunk("c7", "p.txt", "d7", "某省报告", [], text, 1, 1)
        return Candidate(0, chunk, text, text, kind)

    kind_only = unit("建设一批光网城市，推进5万个行政村通光纤。")
    assert ones_unlisted("首批入选的光网城市是哪些？", [kind_only])
    assert ones_unlisted("要扩大到哪几个行业？", [unit("扩大全国碳市场行业覆盖范围。")])
    assert not ones_unlisted("光网城市建了多少个？", [kind_only])  # (no members asked)
    assert not ones_unlisted("首批入选的光网城市是哪些？", [unit("甲市、乙市入选首批光网城市。")])
    assert not ones_unlisted("重点推哪几个“信易+”？", [unit("以“信易贷”“信易行”等为重点。")])
    assert not ones_unlisted("要落实哪些法规？", [unit("贯彻落实《甲条例》《乙办法》，开展执法行动。")])
    assert not ones_unlisted("商业模式由哪几块组成？", [unit("推广“电商平台+智能便利店+网络终端”模式。")])
    assert not ones_unlisted("去年承办了哪些晚会？", [unit("成功承办春晚分会场和中秋晚会。")])
    assert not ones_unlisted("政策扩大到了哪些企业？", [unit("将加计扣除政策扩大至所有企业。")])
    items = [unit(f"- （{n}）{n}保护范围。") for n in "一二"]
    assert not ones_unlisted("禁采区包括哪些范围？", items)
    assert not ones_unlisted("提了哪些新举措？", [unit("适当提高最低收购价，健全收益保障机制。")])
    assert not ones_unlisted("具体要做哪些事？", [unit("扩充教育资源，大力发展职业教育。")])
    assert not ones_unlisted("是连续哪几年获评的？", [unit("2019年至2023年连续获评全国文明城市。")])  # (a span)
    # (an enumeration the question itself gives lists none of those asked)
    assert ones_unlisted("除了甲市、乙市，另外哪些城市入选？", [unit("甲市、乙市入选试点，加快建设。")])
    # which ones counted in words ("分别是哪两所", "具体是哪三家"), and the names of a counted group ("2家公司都叫
    # 啥名"): a statement naming the group alone lists none; two joined by 和 list two
    named = unit("2所幼儿园被确定为推广基地，48所幼儿园被确定为试点园。")
    assert ones_unlisted("被定成推广基地的那2所幼儿园，分别是哪两所？", [named])
    assert ones_unlisted("新成立的2家回收利用公司都叫啥名？", [unit("成立2家省属回收利用公司，体系更加完善。")])
    assert not ones_unlisted("新成立的2家回收利用公司都叫啥名？", [unit("成立甲公司、乙公司2家省属回收利用公司。")])
    assert not ones_unlisted("产前筛查免费做哪两项？", [unit("开展一次免费血清学筛查和一次免费彩色超声筛查。")])
    # (the members of a counted group are looked for where it is named: an enumeration elsewhere lists other things)
    apart = unit("实施甲工程、乙行动、丙计划，4个设区市入选国家产融合作试点城市。")
    assert ones_unlisted("入选国家产融合作试点的那4个设区市是哪几个？", [apart])
    assert not ones_unlisted("入选试点的那4个设区市是哪几个？", [unit("甲市、乙市等4个设区市入选试点城市。")])


def test_the_others_asked_of_a_kind_must_be_named_not_those_the_question_names() -> None:
    """"除了甲、乙、丙，另外7个是哪些" answered by a statement restating the three ("甲、乙、丙等10个县获得表彰") is
    declined; one naming another beside them, or items of its list naming others, answers."""
    from assistant.answering.candidates import Candidate
    from assistant.answering.members import others_unsaid

    def unit(text: str, kind: str = "sentence", chunk_id: str = "c6") -> Candidate:
        chunk = Chunk(chunk_id, "p.txt", "d6", "某省报告", [], text, 1, 1)
        return Candidate(0, chunk, text, text, kind)

    restated = unit("健全产业培育机制，甲县、乙县、丙县等10个突出县获得表彰，县域经济增速加快。")
    asked = "获表彰的10个突出县，除了甲县、乙县、丙县，另外7个是哪些？"
    assert others_unsaid(asked, [restated])
    assert not others_unsaid("获表彰的10个突出县有哪些？", [restated])  # (none named by the question)
    assert not others_unsaid(asked, [unit("甲县、乙县、丙县、丁县等10个突出县获得表彰。")])
    # (items of the list chosen first answer; headings of another part, chosen beside, do not)
    items = [unit(f"- {n}县", "item") for n in "丁戊"]
    assert not others_unsaid(asked, [unit("获表彰的突出县如下："), *items])
    headings = [unit(f"（{n}）系统保护，生态改善", "item", "c5") for n in "五七"]
    assert others_unsaid(asked, [restated, *headings])
    # (a member named otherwise, "服贸会" said in full: an enumeration lists others)
    assert not others_unsaid("除了服贸会还有啥论坛？", [unit("提升服务贸易交易会、中关村论坛等平台影响力。")])


def test_members_of_a_counted_name_must_be_spelled_out_not_only_named() -> None:
    """"“四所医院”具体是哪四家" answered by statements that only name it ("建设市级公立“四所医院”、县级公立“三所
    医院”") is declined; members listed in a clause ("水网、道路网、…“六网”"), in brackets after the name, after a
    lead-in or a heading naming it, or two joined by 和, answer."""
    from assistant.answering.candidates import Candidate
    from assistant.answering.members import members_unsaid

    def unit(text: str) -> Candidate:
        chunk = Chunk("c8", "p.txt", "d8", "某市规划", [], text, 1, 1)
        return Candidate(0, chunk, text, text, "sentence")

    named = unit("高水平建设市级公立“四所医院”、县级公立“三所医院”，支持中医药传承创新发展。")
    assert members_unsaid("市级公立“四所医院”具体是哪四家医院？", [named, unit("健全多层次社会保障体系；")])
    assert not members_unsaid("市级公立医院有哪些？", [named])  # no number asked or given
    # the number given, not asked ("那5处考古遗址公园具体是哪几处", "这18项收费具体都有啥"): some members named answer
    assert members_unsaid("市级公立“四所医院”是哪些医院？", [named])
    assert members_unsaid("要新建的5处考古遗址公园具体是哪几处？", [unit("新建5处省级以上考古遗址公园。"), unit("建设书房300个。")])
    assert not members_unsaid("那9个离岸科创园都设在哪些地方？", [unit("甲、乙、丙等9个离岸科创园投入运营。")])
    lead, items = unit("建设以下遗址公园："), [replace(unit(f"{n}遗址公园"), kind="item") for n in "甲乙"]
    assert not members_unsaid("这5处遗址公园具体是哪几处？", [lead, *items])
    assert members_unsaid("这5处遗址公园具体是哪几处？", [lead, unit("加强文物保护。"), unit("建设书房300个。")])
    assert not members_unsaid("这5处遗址公园提了啥要求？", [unit("新建5处省级以上考古遗址公园。")])  # (no members asked)
    funds = unit("央地合作新设产业基金4只、总规模97亿元。")
    assert members_unsaid("新设的4只产业基金分别叫啥名字？", [funds])
    assert members_unsaid("那11件法律议案具体都是哪几部法律？", [unit("提请常委会审议法律议案11件，制定修订行政法规8部。")])
    assert members_unsaid("共建的那6条产业链，具体都是哪几条？", [unit("与邻省共建6条产业链，启动建设产业园。")])
    # members the question names itself are none of those asked ("除了甲、乙，另外几个是哪些")
    counties = unit("甲县、乙县、丙县等10个质效提升突出县获得表彰。")
    assert members_unsaid("10个突出县，除了甲县、乙县、丙县，另外7个是哪些？", [counties])
    assert not members_unsaid("获表彰的10个突出县是哪些？", [counties])
    # listed near the clause stating the number, not in a clause apart ("（五）系统保护" names no member)
    plans = unit("围绕集成电路、工业母机、新材料等重点领域，推出科技创新10个行动计划。")
    assert not members_unsaid("推出的10个行动计划主要盯哪些领域？", [plans])
    apart = unit("人力资源、自然资源公司整合完成，项目建设提速，开放水平提升，推动7户融资平台退出。")
    assert members_unsaid("退出的7户融资平台是哪几家？", [apart])
    stations = unit("重点加强40个农业综合服务区域站建设。")
    other = unit("开展科技活动周、科普活动日等科技服务行动。")  # (a statement not stating the number lists no member)
    assert members_unsaid("那40个区域站，都分在哪些乡镇？", [stations, other])
    assert not members_unsaid("那40个区域站，都分在哪些乡镇？", [unit("区域站分设在甲镇、乙镇、丙镇等乡镇。")])
    # "另外4家是谁" asks members too; a number inside another ("二十大" holds 十) states none of them
    firms = unit("支持甲集团等5家企业建设世界一流企业，培育单项冠军企业10家。")
    assert members_unsaid("那5家企业，除了甲集团，另外4家是谁？", [firms])
    actions = [unit("有序推进碳达峰十大行动，健全废弃物循环利用体系。"), unit("深入贯彻党的二十大和二十届二中、三中全会精神。")]
    assert members_unsaid("碳达峰十大行动，这十个行动具体是啥？", actions)
    nets = unit("加快水网、道路网、信息网、阻隔网、监测网、航空消防网“六网”建设。")
    assert not members_unsaid("要建的“六网”是指哪六张网？", [nets])
    brackets = unit("持续推进12315“五进”（进商场、进市场、进超市、进企业、进景区）工作。")
    assert not members_unsaid("“五进”具体是进哪五个地方？", [brackets])
    head = [unit("八个走在前列"), *(unit(f"◉在第{i}方面走在前列") for i in range(8))]
    assert not members_unsaid("“八个走在前列”具体是哪八个方面？", head)
    assert members_unsaid("“八个走在前列”具体是哪八个方面？", [unit("实现“八个走在前列”，建设现代化强市。")])
    pair = unit("推行产业链“链长”和产业联盟会长“双长制”。")
    assert not members_unsaid("推行的“双长制”是哪两个“长”？", [pair])
    # no name quoted ("重点做好哪三方面工作"): as many units as parts asked answer
    parts = [unit("（一）扩大有效投资"), unit("（二）发展新质生产力"), unit("（三）办好民生实事")]
    assert not members_unsaid("今年重点做好哪三方面工作？", parts)
    # characters counted ("哪八个字"): four words of two characters each spell them out
    words = unit("在“巩固、增强、提升、畅通”八个字上下功夫。")
    assert not members_unsaid("供给侧改革要在哪八个字上下功夫？", [words])
    assert members_unsaid("供给侧改革要在哪八个字上下功夫？", [unit("在八个字上下功夫。")])
    # spelled out up to the clause naming it ("甲、乙城际开通运营，与丙、丁城际“四线贯通”"), not in clauses apart
    lines = unit("开展轨道交通试点，甲环、乙城际开通运营，与丙、丁城际“四线贯通”，实现城际公交化运营。")
    assert not members_unsaid("去年说的城际“四线贯通”，具体是哪四条线？", [lines])
    apart = unit("甲环、乙城际开通运营，建成一批枢纽。推进“四线贯通”。")
    assert members_unsaid("去年说的城际“四线贯通”，具体是哪四条线？", [apart])
    # counts in the counter asked name no member ("基地1家、示范园区3家" names no park); a long name between the
    # number given and the asking words still asks its members
    parks = unit("做强开放平台，新培育跨境电子商务培训孵化基地1家、示范园区3家。")
    assert members_unsaid("跨境电商要新培育3家示范园区，具体是哪3家园区？", [parks])
    assert not members_unsaid("跨境电商要新培育3家示范园区，具体是哪3家园区？", [unit("示范园区为甲园、乙园、丙园。")])
    firms = unit("培育20家全产业链“三链同构”核心骨干企业。")
    assert members_unsaid("要培育的20家全产业链“三链同构”核心骨干企业，分别是哪几家？", [firms])


def test_the_items_an_article_lists_are_counted_across_its_chunks() -> None:
    """"第四十四条一共列了多少种…情形": the article's items, counted, with the statement introducing them, though the
    article runs on into a second (overlapping) chunk; an article listing nothing gives no count."""
    from assistant.answering.aspects import article_items
    from assistant.answering.frame import parse_question
    from assistant.answering.structured import Sources

    first = Chunk("a1", "r.txt", "d", "某州某某管理暂行办法", ["第四十四条"],
                  "第四十四条　有下列情形之一的，责令其限期整改：\n（一）甲的；\n（二）乙的；\n（三）丙的；", 91, 94)
    second = Chunk("a2", "r.txt", "d", "某州某某管理暂行办法", ["第四十四条"], "（三）丙的；\n（四）丁的；\n（五）其他违法行为。", 94, 96)
    other = Chunk("a3", "r.txt", "d", "某州某某管理暂行办法", ["第四十五条"], "第四十五条　本办法自颁布之日起施行。", 97, 97)
    chunks = [first, second, other]
    sources = Sources([Retrieved(c, 1.0) for c in chunks])
    shown = [u.display for u in article_items(parse_question("某办法第四十四条一共列了多少种要整改的情形？"), chunks, sources)]
    assert shown[0].startswith("共五项：第四十四条") and len(shown) == 6 and shown[-1] == "（五）其他违法行为。"
    assert article_items(parse_question("某办法第四十五条列了几项？"), chunks, sources) == []
    assert article_items(parse_question("某办法第四十四条讲的是什么？"), chunks, sources) == []


def test_a_part_asked_by_its_topic_is_named_by_its_heading() -> None:
    """"部署25年工作时，讲文化的是第几部分？": the heading naming the topic under the part the question's other words
    name; nothing when no heading names it, or when the question also counts the parts (all are listed then)."""
    from assistant.answering.frame import parse_question
    from assistant.answering.sections import part_about
    from assistant.answering.structured import Sources

    chunks = [_chunk(1, ["一、2024年工作回顾"], "文化事业繁荣发展。"),
              _chunk(2, ["二、2025年工作安排", "（六）加强生态保护"], "推进污染防治。"),
              _chunk(3, ["二、2025年工作安排", "（七）推动文化繁荣发展，丰富群众精神文化生活"], "建设文化强省。")]
    sources = Sources([Retrieved(c, 1.0) for c in chunks])
    shown = [u.display for u in part_about(parse_question("某省今年的报告部署25年工作时，讲文化的是第几部分？"), chunks, sources)]
    assert shown == ["二、2025年工作安排 › （七）推动文化繁荣发展，丰富群众精神文化生活"]
    assert part_about(parse_question("讲交通的是第几部分？"), chunks, sources) == []
    assert part_about(parse_question("今年工作分几个方面？讲文化的是第几项？"), chunks, sources) == []


def test_the_meaning_of_a_quoted_term_is_the_line_defining_it() -> None:
    """"“编外院长”是什么意思": the glossary entry defining the term ("12.“编外院长”：…", "2.分线管理：…"), not the
    statement that only names it; a question asking otherwise, or a term no line defines, gets none."""
    from assistant.answering.annexes import defined_term
    from assistant.answering.frame import parse_question
    from assistant.answering.structured import Sources

    chunks = [_chunk(1, ["一、工作回顾"], "“编外校长”“编外院长”等做法深受群众好评。国家在某区分线管理方面推出支持举措。"),
              _chunk(2, ["附件 名词解释"], "12.“编外院长”：各级领导干部挂钩联系本地区至少1所薄弱医院。\n\u3000\u30002.分线管理：货物"
                     "“一线”放开、“二线”管住。")]
    shown = [u.display for u in defined_term(parse_question("某省报告里说的“编外院长”是什么意思？"), chunks, Sources([]))]
    assert shown == ["12.“编外院长”：各级领导干部挂钩联系本地区至少1所薄弱医院。"]
    shown = [u.display for u in defined_term(parse_question("报告里提到的“分线管理”具体指什么？"), chunks, Sources([]))]
    assert shown == ["2.分线管理：货物“一线”放开、“二线”管住。"]
    assert defined_term(parse_question("“编外院长”的做法效果怎么样？"), chunks, Sources([])) == []
    assert defined_term(parse_question("“编外校长”是什么意思？"), chunks, Sources([])) == []


def test_the_nth_item_of_a_quoted_list_is_the_one_numbered_so() -> None:
    """"“十大重点民生实事”的第一件具体包括哪些内容": the item ① after the quoted name in its paragraph, up to ②; an item
    the paragraph does not number so, or a question naming none, gets none."""
    from assistant.answering.aspects import nth_item
    from assistant.answering.frame import parse_question
    from assistant.answering.structured import Sources

    chunks = [_chunk(1, ["二、今年工作"], "扎实办好“十大重点民生实事”。①补充配置农村学校电脑30万台，新增宿舍床位6万个。"
                     "②组织职业技能培训23万人次。③培训乡村医生5000名。")]
    shown = [u.display for u in nth_item(parse_question("某省今年“十大重点民生实事”的第一件具体包括哪些？"), chunks, Sources([]))]
    assert shown == ["①补充配置农村学校电脑30万台，新增宿舍床位6万个。"]
    shown = [u.display for u in nth_item(parse_question("“十大重点民生实事”第三项是什么？"), chunks, Sources([]))]
    assert shown == ["③培训乡村医生5000名。"]
    assert nth_item(parse_question("“十大重点民生实事”第五项是什么？"), chunks, Sources([])) == []
    assert nth_item(parse_question("“十大重点民生实事”包括哪些？"), chunks, Sources([])) == []


def test_lines_found_further_on_are_a_count_s_items_only_as_many_as_it_counts() -> None:
    """"…新设7个自贸试验区。" closing a review paragraph is not followed by its seven zones: the three short head lines
    of later paragraphs ("加强基层公共文化服务。") are not its items."""
    from assistant.answering.candidates import units_of
    from assistant.answering.leads import lead_items
    from assistant.answering.structured import Sources

    review = ["一、去年工作回顾"]
    chunks = [_chunk(1, review, "推广自贸试验区改革创新成果，新设7个自贸试验区。"),
              _chunk(2, review, "加强基层公共文化服务。推进公共文化服务标准化。"),
              _chunk(3, review, "坚定维护国家领土主权和海洋权益。国防和军队改革取得进展。"),
              _chunk(4, review, "各位代表！\n成就来之不易。")]
    lead = units_of(chunks[0], 0)[-1]
    assert lead_items(lead, chunks, Sources([])) == []


def test_a_count_said_inside_a_passage_is_no_lead_in_of_the_sections_after_it() -> None:
    """"…新开通5条国际航线。支持…" goes on after the count: the five sections after its own are not the routes (only a
    lead-in that closes its passage may introduce the sections after it)."""
    from assistant.answering.outline import items_after_lead, outline

    lead = _chunk(1, ["二、今年工作", "（二）建设产业体系"], "深化港航贸一体化发展，新开通2条国际航线。支持建设国际航空枢纽。")
    after = [_chunk(n, ["二、今年工作", title], f"{title}。") for n, title in
             [(2, "（三）扩大内需"), (3, "（四）深化改革")]]
    assert items_after_lead(outline([lead, *after]), lead, "深化港航贸一体化发展，新开通2条国际航线。") == []
    closing = _chunk(1, ["二、今年工作", "（二）建设产业体系"], "支持建设国际航空枢纽。重点做好两方面工作。")
    heads = items_after_lead(outline([closing, *after]), closing, "重点做好两方面工作。")
    assert [h.title for h in heads] == ["（三）扩大内需", "（四）深化改革"]


def test_a_body_named_in_passing_asks_for_no_issuer() -> None:
    """"给运营单位的运营授权有效期是几年" names a unit as a party, not as the one asked for: the issuing body is not
    the answer; "是哪个单位印发的" asks for it."""
    from assistant.models import DocumentInfo

    doc = DocumentInfo("n", "n.txt", "关于推进某市数据专区建设的指导意见", 1, 10, issuer="某市经济和信息化局")
    chunks = [Chunk("n1", "n.txt", "n", doc.title, [], "某市经济和信息化局\n运营单位负责数据专区的建设运营。", 1, 2)]
    assert not any(s.startswith("发文机关") for s in _metadata_shown(doc, chunks, "这个指导意见给运营单位的运营授权有效期是几年？"))
    assert _metadata_shown(doc, chunks, "这个指导意见是哪个单位印发的？") == ["发文机关：某市经济和信息化局"]
    assert _metadata_shown(doc, chunks, "这个指导意见的发文机关是？") == ["发文机关：某市经济和信息化局"]


def test_who_issued_a_document_the_routed_one_speaks_of_is_not_its_own_metadata() -> None:
    """"报告里说要制定的那个条例是哪个部门牵头起草的" names a regulation, not the report routed: the report's issuer is
    no answer. A question naming the routed document's own kind, or a word of its title, is asked of it."""
    from assistant.answering.structured import other_document

    assert other_document("报告提出研究制定某补偿条例，这个条例是哪个部门牵头起草的？", "work_report", "2021年政府工作报告")
    assert other_document("关爱新就业群体的那15条措施，是哪个部门出台的？", "work_report", "2025年某市政府工作报告")
    assert not other_document("这个办法是哪天印发的？", "rules", "某州政务数据资源管理暂行办法")
    assert not other_document("那个规划的印发通知是谁发的？", "plan", "关于印发某市十四五规划的通知")
    assert not other_document("这份文件是哪个单位印发的？", "work_report", "2025年某市政府工作报告")  # (no kind named)
    assert not other_document("解读纲要的那一版是哪天的报纸？值班总编是谁？", "work_report", "《政府工作报告》之展望篇")
    assert not other_document("实施意见是哪个单位印发的？", "notice", "关于印发某省实施意见的通知")  # (its title says it)
