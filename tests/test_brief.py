"""Briefings on the real sample corpus and on small reports of several places (hash embedder, the shipped
models): what an official checks — every bullet cited and verified, targets only from target columns, no
false difference, the topic's year and places respected, length, parts in order, one not-covered notice."""

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
from assistant.briefing.model import PARTS
from assistant.briefing.render import body_text
from assistant.config import PROJECT_ROOT, Settings
from assistant.prompts import PromptError, render
from assistant.service import build_assistant
from assistant.text import norm
from eval.brief_checks import check_brief
from ingest.pipeline import ingest_into

CORPUS = PROJECT_ROOT / "data" / "corpus"
TECH = "许昌市“十四五”科技创新和一流创新生态建设的主要目标"
EDUCATION = "许昌市“十四五”教育事业发展规划的主要目标"
RENEWAL = "许昌市“十四五”城市更新和城乡人居环境建设的主要指标"


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


@pytest.fixture(scope="module")
def education_brief(assistant) -> Brief:
    return write_brief(assistant, EDUCATION)


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
            assert text in norm(cited), bullet


def test_brief_covers_the_targets_of_the_plan(tech_brief):
    text = norm(body_text(tech_brief))
    for evidence in ("高新技术企业达到600家", "技术合同成交额达到20亿元"):
        assert norm(evidence) in text


def test_a_baseline_is_never_called_a_target(tech_brief):
    # the plan's indicator table: 2020 baseline 244 high-tech firms, 2025 target 600
    rows = [t for t in tech_brief.targets if "高新技术企业" in t.indicator and "产业" not in t.indicator]
    assert rows and all(t.value == "600" for t in rows), rows
    assert rows[0].baseline == "2020年：244" and "2025" in rows[0].period
    assert not any(t.value == "244" for t in tech_brief.targets)


def test_target_rows_come_from_target_columns_of_their_document(tech_brief, education_brief, assistant):
    for brief in (tech_brief, education_brief):
        assert brief.targets
        checks = check_brief(brief, assistant)
        assert checks.mislabelled == [] and checks.duplicate_rows == 0
        by_n = {c.n: c for c in brief.sources}
        for row in brief.targets:
            c = by_n[row.n]
            line = assistant.source_lines(c.source)[c.lines[0] - 1]
            assert norm(row.value) in norm(line) and row.verified, row


def test_a_province_column_is_not_the_city_s_target(education_brief):
    # one table gives 学前教育毛入园率 for the province (93) and the city (96) in 2025
    rows = [t for t in education_brief.targets if t.indicator.startswith("学前教育毛入园率")]
    assert [t.value for t in rows] == ["96"], rows
    assert all("许昌" in t.column for t in education_brief.targets if "·" in t.column)
    # and the two columns are no difference between documents
    assert not any("学前教育毛入园率" in d.indicator for d in education_brief.differences)


def test_differences_are_between_documents_for_the_same_indicator_and_year(assistant):
    brief = write_brief(assistant, RENEWAL)
    checks = check_brief(brief, assistant)
    assert checks.false_differences == [] and checks.mislabelled == []
    park = [d for d in brief.differences if "城市公园绿地服务半径覆盖率" in d.indicator]
    assert park, [d.indicator for d in brief.differences]
    assert {norm(r.value) for r in park[0].rows} == {"90%", "92.65"}
    assert len({r.document for r in park[0].rows}) == 2 and {r.period for r in park[0].rows} == {"2025年"}
    section = next(s for s in brief.sections if s.title == DIFFERENCES)
    assert brief.sections[-1] is section and all(section.verified)


def test_parts_come_in_order_and_empty_ones_are_left_out(tech_brief, education_brief):
    for brief in (tech_brief, education_brief):
        titles = [s.title for s in brief.sections]
        order = [*PARTS, DIFFERENCES]
        assert titles == sorted(titles, key=order.index)
        assert all(s.bullets or (s.title == "主要目标与指标" and brief.targets) for s in brief.sections)


def test_a_default_briefing_fits_two_pages_and_the_long_form_says_more(assistant, settings):
    topic = "许昌市“十四五”乡村振兴和农业农村现代化规划的主要目标"
    short = write_brief(assistant, topic)
    long = write_brief(assistant, topic, long=True)
    assert 0 < short.body_chars <= settings.brief_chars
    assert settings.brief_chars < long.body_chars <= settings.brief_long_chars and long.long
    assert len(re.sub(r"\s", "", strip_markers(body_text(short, headings=False)))) == short.body_chars


def test_the_topic_s_year_chooses_its_documents(assistant):
    brief = write_brief(assistant, "2023年民生保障重点工作（就业、社保、健康、教育）")
    assert brief.covered and brief.sources
    assert {c.title for c in brief.sources} == {"《政府工作报告》解读之2023年重点工作篇（下）"}
    text = norm(body_text(brief))
    for evidence in ("城镇新增就业5万人", "实施全民参保计划攻坚行动", "新建改扩建公办园30所"):
        assert norm(evidence) in text, evidence


def test_a_topic_naming_a_document_draws_on_its_chapters(assistant):
    brief = write_brief(assistant, "许昌市推进智慧岛建设实施方案的主要内容")
    assert {c.title for c in brief.sources} == {"许昌市推进智慧岛建设实施方案"}
    chapters = {c.section.split(" > ")[1] for c in brief.sources if c.section.count(" > ") >= 1}
    assert len(chapters) >= 3, chapters


def test_topic_the_documents_do_not_cover_is_said_once(assistant):
    for topic in ("航天发射场建设", "浙江省2025年经济增长预期目标"):
        brief = write_brief(assistant, topic)
        assert not brief.covered and not brief.sources and brief.notice is None
        markdown = brief_to_markdown(brief)
        assert markdown.count(NOT_COVERED) == 1 and len(markdown) < 200


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
    assert "## 主要目标与指标" in md and "| 指标 | 基期 | 目标值 | 年份/时期 | 属性 | 来源 |" in md
    assert "## 来源" in md
    for c in tech_brief.sources:
        assert f"{c.n}. {c.section}" in md


def test_docx_has_headings_and_a_real_table(tech_brief, tmp_path):
    path = save_brief(tech_brief, tmp_path / "brief.docx")
    document = docx.Document(str(path))
    headings = [(p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith(("Heading", "Title"))]
    assert ("Title", f"关于{TECH}的简报") in headings  # the topic has its own quotes
    assert any(h == ("Heading 1", f"{n}、主要目标与指标") for h in headings for n in "一二三四五六")
    assert ("Heading 1", "来源") in headings
    table = document.tables[0]
    assert [c.text for c in table.rows[0].cells] == ["指标", "目标值", "年份/时期", "来源"]
    assert len(table.rows) == len(tech_brief.targets) + 1
    assert table.rows[1].cells[1].text == tech_brief.targets[0].value
    bullets = [p.text for p in document.paragraphs if p.style.name == "List Bullet"]
    assert bullets == [re.sub(r"\s+(?=\[\d)", "", b) for b in _bullets(tech_brief)]  # marks follow the text


def test_json_round_trips(tech_brief, tmp_path):
    path = save_brief(tech_brief, tmp_path / "brief.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["topic"] == TECH and data["sources"][0]["n"] == 1 and data["body_chars"] == tech_brief.body_chars
    assert Brief.from_dict(data) == tech_brief


def test_markdown_file_and_unsupported_extension(tech_brief, tmp_path):
    assert save_brief(tech_brief, tmp_path / "b.md").read_text(encoding="utf-8") == brief_to_markdown(tech_brief)
    with pytest.raises(ValueError, match=r"unsupported briefing format '\.pdf'.*\.md, \.docx or \.json"):
        save_brief(tech_brief, tmp_path / "b.pdf")


# --- comparisons: small reports of several places and years --------------------------------------

PROVINCE = """{year}年{province}政府工作报告
各位代表：
一、{prev}年工作回顾
过去一年，全省地区生产总值增长{growth_prev}，城镇新增就业{jobs_prev}。
二、{year}年目标任务
今年经济社会发展的主要预期目标是：地区生产总值增长{growth}，城镇新增就业{jobs}，居民收入增长与经济增长同步。
三、{year}年重点工作
（一）聚力扩大有效投资
实施重点项目{projects}个，完成年度投资计划。
（二）聚力办好民生实事
新建改扩建中小学校{schools}所，提升基本医疗服务能力。
"""

NATIONAL = """{year}年政府工作报告
——{year}年3月5日在第十四届全国人民代表大会上
各位代表：
一、{prev}年工作回顾
过去一年，国内生产总值增长{growth_prev}。
二、{year}年经济社会发展总体要求和政策取向
今年发展主要预期目标是：国内生产总值增长{growth}左右；城镇新增就业{jobs}万人以上。
三、{year}年政府工作任务
赤字率拟按{deficit}安排，拟安排地方政府专项债券{bonds}万亿元。
"""


@pytest.fixture(scope="module")
def places_assistant(tmp_path_factory):
    folder = tmp_path_factory.mktemp("reports")
    for province, growth, jobs, projects in (("安徽省", "5.5%以上", "68万人左右", 1000),
                                             ("河南省", "5.5%左右", "110万人以上", 2000),
                                             ("湖北省", "6%左右", "70万人以上", 3000)):
        (folder / f"{province}.txt").write_text(PROVINCE.format(
            year=2025, prev=2024, province=province, growth=growth, jobs=jobs, growth_prev="5.1%",
            jobs_prev="60万人", projects=projects, schools=projects // 10), encoding="utf-8")
    for year, growth, jobs, deficit, bonds in ((2022, "5.5%", 1100, "2.8%左右", "3.65"),
                                               (2023, "5%", 1200, "3%", "3.8"), (2024, "5%", 1200, "3%", "3.9")):
        (folder / f"national_{year}.txt").write_text(NATIONAL.format(
            year=year, prev=year - 1, growth=growth, jobs=jobs, deficit=deficit, bonds=bonds, growth_prev="3%"),
            encoding="utf-8")
    settings = Settings(_env_file=None, data_dir=Path(tmp_path_factory.mktemp("var")), embedding_backend="hash")
    built = build_assistant(settings)
    ingest_into(built, [folder])
    return built


def test_each_province_of_a_comparison_is_briefed_from_its_own_report(places_assistant):
    brief = write_brief(places_assistant, "2025年经济增长预期目标（皖、豫、鄂）")
    text = body_text(brief)
    assert brief.all_verified
    for province, growth in (("安徽", "5.5%以上"), ("河南", "5.5%左右"), ("湖北", "6%左右")):
        # what is said under the province's report, in whichever part of the briefing (the targets part holds it;
        # the overview may recall the year before, "过去一年…增长5.1%", from the same report)
        parts = text.split("\n")
        said = [parts[i + 1] for i, line in enumerate(parts[:-1]) if province in line and "政府工作报告" in line]
        assert any(growth in line for line in said), (province, said)
        assert not any(g in line for line in said for p, g in (("安徽", "5.5%以上"), ("河南", "5.5%左右"),
                                                              ("湖北", "6%左右")) if p != province)
    for c in brief.sources:
        assert any(p in c.title for p in ("安徽", "河南", "湖北")), c.title


def test_a_side_without_documents_is_named_not_briefed_from_others(places_assistant):
    brief = write_brief(places_assistant, "2025年经济增长预期目标（皖、浙）")
    assert brief.covered and "浙江" in (brief.notice or "")
    assert all("安徽" in c.title for c in brief.sources)


def test_a_span_of_years_gets_each_year_s_report(places_assistant):
    brief = write_brief(places_assistant, "2022—2024年政府工作报告中的赤字率与地方政府专项债券")
    text = body_text(brief)
    for year, bonds in ((2022, "3.65"), (2023, "3.8"), (2024, "3.9")):
        assert f"{year}年政府工作报告" in text and bonds in text, year
    assert "安徽" not in text


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
    return argparse.Namespace(**{"topic": "", "doc": None, "out": None, "plain": True, "long": False, **kw})


def test_command_errors_are_one_line(settings, capsys):
    assert run_command(_args(topic="  "), settings) == 2
    assert run_command(_args(topic=TECH, out=Path("x.pdf")), settings) == 2
    err = capsys.readouterr().err
    assert "简报主题为空" in err and "不支持的输出格式" in err and "Traceback" not in err


def test_command_writes_docx_and_prints_markdown(assistant, settings, tmp_path, capsys):
    target = tmp_path / "out" / "brief.docx"
    assert run_command(_args(topic=TECH, out=target), settings) == 0
    assert docx.Document(str(target)).tables
    assert run_command(_args(topic=TECH), settings) == 0
    assert "## 主要目标与指标" in capsys.readouterr().out
    assert run_command(_args(topic=TECH, long=True), settings) == 0
    assert "## 主要目标与指标" in capsys.readouterr().out


def test_a_topic_over_the_limit_is_refused_before_any_work(fake_assistant) -> None:
    from assistant.errors import InputTooLong

    with pytest.raises(InputTooLong, match="简报主题过长"):
        write_brief(fake_assistant, "教育" * 150_000)
    assert fake_assistant.calls == []
