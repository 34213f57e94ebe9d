"""A figure asked of one named thing is not answered by the total of a list the thing is one item of."""

from __future__ import annotations

from assistant.answering.candidates import Candidate
from assistant.answering.grouped import group_figure
from assistant.answering.terms import QuestionTerms
from assistant.models import Chunk


def _said(text: str) -> Candidate:
    chunk = Chunk(id=text, source="r.txt", doc_id="r", title="某省政府工作报告", section=[], text=text,
                  line_start=1, line_end=1)
    return Candidate(0, chunk, text, text, "sentence")


def _terms(*words: str) -> QuestionTerms:
    return QuestionTerms({w: 5.0 - i for i, w in enumerate(words)}, words[0], set(), None)


def test_the_total_of_a_list_a_thing_is_named_in_is_not_its_figure() -> None:
    listed = _said("加快甲市先进算力集群、乙县新能源二期、丙石化特种油基地等5500个重大项目建设，年度投资7200亿元以上。")
    asked = "丙石化特种油基地总投资是多少？"
    assert group_figure(asked, [listed], _terms("特种油", "基地", "总投资"), True)
    assert group_figure("乙县新能源二期项目总投资是多少？", [listed], _terms("新能源", "二期", "总投资"), True)
    # a total asked ("这些项目一共"), or no figure asked, is answered by it
    assert not group_figure("这些重大项目一共投资多少？", [listed], _terms("特种油", "总投资"), True)
    assert not group_figure(asked, [listed], _terms("特种油", "基地", "总投资"), False)
    # the thing named on its own, or with its own figure, gives its own
    alone = _said("丙石化特种油基地建成投产，总投资120亿元。")
    assert not group_figure(asked, [alone], _terms("特种油", "基地", "总投资"), True)
    own = _said("研制全球最大4000吨级全地面起重机等一批国际领先技术成果。")
    assert not group_figure("全球最大全地面起重机是多少吨级的？", [own], _terms("起重机", "全地面"), True)
    # the word naming the group's kind asks its count ("搭了几类平台")
    kinds = _said("搭建科创、金融等4大功能类平台和汽车、医药等8个产业类平台，带动17万多家企业融通发展。")
    assert not group_figure("搭了几类平台，带动了多少家企业？", [kinds], _terms("平台", "带动"), True)
    # a word in a clause before the list is no item of it
    lead = _said("加快现代供应链体系建设，搭建科创、金融等4大功能类平台。")
    assert not group_figure("现代供应链搭了几类平台？", [lead], _terms("供应链", "平台"), True)
