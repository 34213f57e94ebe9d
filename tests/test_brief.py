"""Briefings on the real sample corpus (hash embedder): recall, citations, targets, differences, outputs."""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

import docx
import pytest

from assistant.answering.citations import markers, strip_markers
from assistant.briefing.brief import (
    DIFFERENCES,
    NOT_COVERED,
    Brief,
    BriefError,
    brief_to_markdown,
    numbers_copied,
    save_brief,
    write_brief,
)
from assistant.briefing.command import run as run_command
from assistant.briefing.targets import Target, find_differences, targets_from_text
from assistant.config import PROJECT_ROOT, Settings
from assistant.models import Chunk
from assistant.prompts import PromptError, render
from assistant.service import build_assistant
from assistant.text import norm
from ingest.pipeline import ingest_into

CORPUS = PROJECT_ROOT / "data" / "corpus"
TECH = "许昌市“十四五”科技创新和一流创新生态建设的主要目标"


@pytest.fixture(scope="module")
def settings(tmp_path_factory) -> Settings:
    return Settings(data_dir=tmp_path_factory.mktemp("brief"), embedding_backend="hash",
                    llm_base_url=None, llm_api_key=None)


@pytest.fixture(scope="module")
def assistant(settings):
    a = build_assistant(settings)
    ingest_into(a, [CORPUS])  # the whole sample corpus: ~12 s with the hash embedder
    return a


@pytest.fixture(scope="module")
def tech_brief(assistant) -> Brief:
    return write_brief(assistant, TECH)


def _bullets(brief: Brief) -> list[str]:
    return [b for s in brief.sections for b in s.bullets]


def test_every_bullet_is_cited_and_verified(tech_brief, assistant):
    assert tech_brief.mode == "extractive" and tech_brief.covered
    assert {s.title for s in tech_brief.sections} >= {"主要目标与指标"}
    by_n = {c.n: c for c in tech_brief.sources}
    for bullet in _bullets(tech_brief):
        ns = markers(bullet)
        assert ns, bullet
        assert all(n in by_n and by_n[n].verified for n in ns), bullet
    assert tech_brief.all_verified
    for section in tech_brief.sections:
        assert all(section.verified) and len(section.verified) == len(section.bullets)
    # each citation resolves to title > section with a line range, and its quote is on those lines
    for c in tech_brief.sources:
        assert c.title and c.section.startswith(c.title) and c.lines[0] <= c.lines[1]
        lines = assistant.source_lines(c.source)[c.lines[0] - 1 : c.lines[1]]
        assert all(norm(q) in norm("".join(lines)) for q in c.quote.split(" … ")), c


def test_extractive_bullets_are_verbatim_with_numbers_copied(tech_brief, assistant):
    assert numbers_copied(tech_brief)
    by_n = {c.n: c for c in tech_brief.sources}
    for section in tech_brief.sections:
        if section.title == DIFFERENCES:
            continue
        for bullet in section.bullets:
            text = norm(strip_markers(bullet))
            cited = "".join(assistant.source_lines(by_n[n].source)[by_n[n].lines[0] - 1] for n in markers(bullet))
            assert text in norm(cited).replace("\t", "") or text in norm(cited.replace("\t", "；")), bullet


def test_brief_covers_the_targets_of_the_plan(tech_brief):
    text = norm(brief_to_markdown(tech_brief))
    for evidence in ("高新技术企业达到600家", "技术合同成交额达到20亿元", "两个高于一个前列"):
        assert norm(evidence) in text


def test_target_rows_come_from_real_sources(tech_brief, assistant):
    assert tech_brief.targets
    by_n = {c.n: c for c in tech_brief.sources}
    for row in tech_brief.targets:
        c = by_n[row.n]
        lines = "".join(assistant.source_lines(c.source)[c.lines[0] - 1 : c.lines[1]])
        assert norm(row.value) in norm(lines), row
        assert row.verified and row.document == c.title
    indicators = {re.sub(r"\W", "", r.indicator): r.value for r in tech_brief.targets}
    assert any("技术合同成交额" in k and v.startswith("20") for k, v in indicators.items())


def test_difference_between_documents_is_found(assistant):
    brief = write_brief(assistant, "许昌市“十四五”城市更新和城乡人居环境建设的主要指标")
    road = [d for d in brief.differences if "道路网密度" in d.indicator]
    assert road, [d.indicator for d in brief.differences]
    values = {norm(r.value) for r in road[0].rows}
    titles = {r.document for r in road[0].rows}
    assert "8公里/平方公里" in values and "7.18" in values
    assert len(titles) == 2
    section = next(s for s in brief.sections if s.title == DIFFERENCES)
    assert any("道路网密度" in b and "7.18" in b for b in section.bullets)
    assert all(section.verified)


def test_find_differences_ignores_the_same_document_and_unknown_years():
    def chunk(doc: str) -> Chunk:
        return Chunk(id=doc, source="s.txt", doc_id=doc, title=f"{doc}规划", section=["目标"], text="",
                     line_start=1, line_end=1)

    a = Target("城市道路网密度", "8", "2025年", chunk("a"), 2025)
    same_doc = Target("城市道路网密度", "9", "2025年", chunk("a"), 2025)
    other_year = Target("城市道路网密度", "7", "2035年", chunk("b"), 2035)
    assert find_differences([a], [a, same_doc, other_year]) == []
    other = Target("城市道路网密度（公里/平方公里）", "7.18", "2025年", chunk("b"), 2025)
    assert [[t.value for t in g] for g in find_differences([a], [a, other])] == [["8", "7.18"]]


def test_targets_from_text_copy_values_and_years():
    c = Chunk(id="x", source="s.txt", doc_id="d", title="许昌市“十四五”示例规划", section=["发展目标"],
              text="", line_start=1, line_end=1)
    found = targets_from_text("到 2025 年，全市社会物流总运输量达到 1.5 亿吨，社会物流总费用占 GDP 比例降至 13% 以下。", c)
    assert [(t.indicator, t.value, t.period) for t in found] == [
        ("社会物流总运输量", "1.5亿吨", "2025年"), ("社会物流总费用占 GDP 比例", "13%以下", "2025年"),
    ]


def test_a_topic_naming_a_document_covers_all_of_its_chapters(assistant):
    brief = write_brief(assistant, "许昌市推进智慧岛建设实施方案的主要内容")
    chapters = {c.section.split(" > ")[1] for c in brief.sources if c.section.count(" > ") >= 1}
    assert len(chapters) >= 4, chapters
    assert {"2760", "1991"} <= set(re.findall(r"\d+", brief_to_markdown(brief)))


def test_enumerated_items_each_get_their_section(assistant):
    brief = write_brief(assistant, "许昌市2023年民生保障重点工作（就业、社保、健康、教育）")
    text = norm(brief_to_markdown(brief))
    for evidence in ("城镇新增就业5万人", "实施全民参保计划攻坚行动", "支持中医药传承创新发展", "新建改扩建公办园30所"):
        assert norm(evidence) in text, evidence


def test_topic_the_documents_do_not_cover(assistant):
    brief = write_brief(assistant, "航天发射场建设")
    assert not brief.covered and not brief.sources and brief.notice == NOT_COVERED
    markdown = brief_to_markdown(brief)
    assert NOT_COVERED in markdown and len(markdown) < 200


def test_empty_topic_is_an_error(assistant):
    with pytest.raises(BriefError):
        write_brief(assistant, "   ")


def test_progress_is_reported_to_the_end(assistant):
    seen: list[tuple[int, int, str]] = []
    write_brief(assistant, "2023年民生保障重点工作", progress=lambda d, t, label: seen.append((d, t, label)))
    assert seen[0][0] == 0 and seen[-1][0] == seen[-1][1]
    assert [d for d, _, _ in seen] == sorted(d for d, _, _ in seen)


def test_markdown_has_parts_table_and_sources(tech_brief):
    md = brief_to_markdown(tech_brief)
    assert md.startswith(f"# 简报：{TECH}")
    assert "## 主要目标与指标" in md and "| 指标 | 目标值 | 年份/时期 | 来源 |" in md
    assert "## 来源" in md
    for c in tech_brief.sources:
        assert f"{c.n}. {c.section}" in md


def test_docx_has_headings_and_a_real_table(tech_brief, tmp_path):
    path = save_brief(tech_brief, tmp_path / "brief.docx")
    document = docx.Document(str(path))
    headings = [(p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith(("Heading", "Title"))]
    assert ("Title", f"简报：{TECH}") in headings
    assert ("Heading 1", "主要目标与指标") in headings and ("Heading 1", "来源") in headings
    table = document.tables[0]
    assert [c.text for c in table.rows[0].cells] == ["指标", "目标值", "年份/时期", "来源"]
    assert len(table.rows) == len(tech_brief.targets) + 1
    assert table.rows[1].cells[1].text == tech_brief.targets[0].value
    bullets = [p.text for p in document.paragraphs if p.style.name == "List Bullet"]
    assert bullets == _bullets(tech_brief)


def test_json_round_trips(tech_brief, tmp_path):
    path = save_brief(tech_brief, tmp_path / "brief.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["topic"] == TECH and data["sources"][0]["n"] == 1
    assert Brief.from_dict(data) == tech_brief


def test_markdown_file_and_unsupported_extension(tech_brief, tmp_path):
    assert save_brief(tech_brief, tmp_path / "b.md").read_text(encoding="utf-8") == brief_to_markdown(tech_brief)
    with pytest.raises(ValueError, match=r"unsupported briefing format '\.pdf'.*\.md, \.docx or \.json"):
        save_brief(tech_brief, tmp_path / "b.pdf")


# --- LLM map-reduce with a fake chat model ------------------------------------------------------

_PASSAGE = re.compile(r"\[(\d+)\] 《[^》]*》[^\n]*\n<<<资料开始\n(.*?)\n资料结束>>>", re.DOTALL)


class FakeChat:
    """Replies like a careful model, plus one bad figure and one made-up source; records prompts."""

    def __init__(self, *, fail: bool = False):
        self.prompts: list[str] = []
        self.fail = fail

    def invoke(self, prompt: str):
        self.prompts.append(prompt)
        if self.fail:
            raise ConnectionError("endpoint down")
        bullets = []
        for n, text in _PASSAGE.findall(prompt):
            first = re.split(r"(?<=。)", text.replace("\n", ""))[0]
            if "达到" in first and len(bullets) < 4:
                bullets.append(f"- 【目标】{first} [{n}]")
        return type("Reply", (), {"content": "\n".join(bullets) or "无"})()

    def stream(self, prompt: str):
        self.prompts.append(prompt)
        notes = [ln[len("- 【目标】"):] for ln in prompt.splitlines() if ln.startswith("- 【目标】")]
        first = markers(notes[0])[0]
        reply = "## 概述\n" + f"- {notes[0]}\n" + "## 主要目标与指标\n" + "".join(f"- {n}\n" for n in notes[1:])
        reply += f"- 研发经费投入年均增长99%以上 [{first}]\n- 建成月球科研基地 [999]\n"
        for i in range(0, len(reply), 40):
            yield type("Chunk", (), {"content": reply[i : i + 40]})()


def test_llm_map_reduce_prompts_and_verification(assistant):
    chat = FakeChat()
    steps: list[str] = []
    brief = write_brief(assistant, TECH, chat_model=chat, progress=lambda d, t, label: steps.append(label))
    assert brief.mode == "llm"
    maps, reduce = chat.prompts[:-1], chat.prompts[-1]
    assert maps and all(TECH in p and "[1] 《" in p for p in maps[:1])
    assert all("照抄原文" in p for p in maps)
    assert "## 主要目标与指标" in reduce and "【目标】" in reduce
    assert any(s.startswith("提炼要点") for s in steps) and any(s.startswith("汇总成文") for s in steps)
    bullets = _bullets(brief)
    good = [b for b in bullets if "99%" not in b and "月球" not in b and "道路网" not in b]
    bad_figure = next(b for b in bullets if "99%" in b)
    made_up = next(b for b in bullets if "月球" in b)
    by_n = {c.n: c for c in brief.sources}
    flags = {b: ok for s in brief.sections for b, ok in zip(s.bullets, s.verified, strict=True)}
    assert good and all(flags[b] for b in good)
    assert not flags[bad_figure] and not flags[made_up]
    assert any("99" in (by_n[n].problem or "") for n in markers(bad_figure))
    assert all("不对应任何提供的资料" in (by_n[n].problem or "") for n in markers(made_up))
    assert not brief.all_verified
    assert "引用未核实" in brief_to_markdown(brief)


def test_llm_failure_falls_back_to_the_extractive_briefing(assistant):
    brief = write_brief(assistant, TECH, chat_model=FakeChat(fail=True))
    assert brief.mode == "extractive" and "LLM 不可用" in (brief.notice or "")
    assert brief.all_verified and _bullets(brief)


def test_brief_prompts_render_and_check_variables():
    assert "主题X" in render("brief_map", topic="主题X", sources="[1] 资料")
    assert "要点Y" in render("brief_reduce", topic="主题", notes="要点Y")
    with pytest.raises(PromptError):
        render("brief_reduce", topic="主题")


# --- the command ---------------------------------------------------------------------------------


def _args(**kw) -> argparse.Namespace:
    return argparse.Namespace(**{"topic": "", "doc": None, "out": None, "plain": True, **kw})


def test_command_errors_are_one_line(settings, capsys):
    assert run_command(_args(topic="  "), settings) == 2
    assert run_command(_args(topic=TECH, out=Path("x.pdf")), settings) == 2
    err = capsys.readouterr().err
    assert "topic is empty" in err and "unsupported output format" in err and "Traceback" not in err


def test_command_writes_docx_and_prints_markdown(assistant, settings, tmp_path, capsys):
    target = tmp_path / "out" / "brief.docx"
    assert run_command(_args(topic=TECH, out=target), settings) == 0
    assert docx.Document(str(target)).tables
    assert run_command(_args(topic=TECH), settings) == 0
    assert "## 主要目标与指标" in capsys.readouterr().out
