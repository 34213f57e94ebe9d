"""Eval items generated from the targets a knowledge base's documents set (eval/generate.py)."""

from __future__ import annotations

from assistant.models import Chunk, DocumentInfo
from assistant.retrieval.routing import NATIONAL, Catalog
from eval.generate import generate


def _chunk(doc_id: str, source: str, section: list[str], text: str) -> Chunk:
    return Chunk(id=f"{doc_id}:{len(text)}", source=source, doc_id=doc_id, title="", section=section, text=text,
                 line_start=1, line_end=1)


def test_each_target_set_is_asked_and_two_reports_setting_one_indicator_are_asked_together() -> None:
    docs = [
        DocumentInfo("n30", "n30.txt", "2030年政府工作报告", 1, 9, year=2030, place=NATIONAL, level="national",
                     kind="work_report"),
        DocumentInfo("n31", "n31.txt", "2031年政府工作报告", 1, 9, year=2031, place=NATIONAL, level="national",
                     kind="work_report"),
        DocumentInfo("p", "p.txt", "某市“十六五”教育事业发展规划", 1, 9, year=2031, place="成都市", level="city",
                     kind="plan"),
    ]
    chunks = {
        "n30": [_chunk("n30", "n30.txt", ["二、2030年工作"],
                       "今年发展主要预期目标是：国内生产总值增长5%左右；城镇新增就业1200万人以上，城镇调查失业率5.5%左右。")],
        "n31": [_chunk("n31", "n31.txt", ["二、2031年工作"],
                       "今年发展主要预期目标是：全国国内生产总值增长4.5%—5%，居民消费价格涨幅控制在2%左右。")],
        "p": [_chunk("p", "p.txt", ["二、主要目标"], "到2035年，全面普及学前教育，学前教育毛入园率达到**96%**。"),
              _chunk("p", "p.txt", ["专栏 主要目标"], "学前教育\t毛入园率（%）\t90\t96")],
    }
    items = generate(Catalog(docs), lambda d: chunks.get(d, []))
    asked = {i["question"]: i for i in items}
    first = asked["2030年政府工作报告提出的国内生产总值增长目标是多少？"]
    assert first["must_include"] == ["5%左右"] and first["evidence"] == ["国内生产总值增长5%左右"]
    assert first["doc"] == ["n30.txt"] and first["split"] == "test"
    assert asked["2031年政府工作报告提出的国内生产总值增长目标是多少？"]["must_include"] == ["4.5%—5%"]  # 全国 read past
    assert asked["2031年政府工作报告提出的居民消费价格涨幅目标是多少？"]["must_include"] == ["2%左右"]  # not "涨幅控制在"
    pair = asked["2030年和2031年政府工作报告提出的国内生产总值增长目标分别是多少？"]
    assert pair["type"] == "two_part" and pair["must_include"] == ["5%左右", "4.5%—5%"]
    plan = asked["《某市“十六五”教育事业发展规划》提出的学前教育毛入园率目标是多少？"]
    assert plan["must_include"] == ["96%"] and plan["evidence"] == ["学前教育毛入园率达到**96%**"]  # as written
    assert not any("\t" in e for i in items for e in i["evidence"])  # a table row is no statement
    assert len({i["id"] for i in items}) == len(items)
