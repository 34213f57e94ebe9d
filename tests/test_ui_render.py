"""Pure render and security helpers of the web UI."""

from __future__ import annotations

import html

import pytest

from assistant.models import Answer, Citation, DocumentInfo, IngestReport, Location
from ui import render
from ui.security import check_upload, parse_auth, safe_filename

TITLE = "许昌市“十四五”应急管理体系规划"


def _cite(n=1, *, verified=True, quote="建立市级救援队伍500人", lines=(3, 4), problem=None, location=None):
    return Citation(n, "004.txt", TITLE, f"{TITLE} > 三、主要任务", list(lines), quote, verified, problem,
                    location=location)


def test_escape_neutralises_html_and_template_syntax():
    out = render.escape("<script>alert(1)</script> ${x} {{y}} `z`")
    assert "<" not in out and "${" not in out and "{{" not in out and "`" not in out
    assert html.unescape(out) == "<script>alert(1)</script> ${x} {{y}} `z`"


def test_escape_md_leaves_no_markdown_syntax():
    out = render.escape_md("![x](http://evil/x.png) **b** # h <img src=x>")
    for token in ("![", "](", "**", "# ", "<", ">"):
        assert token not in out
    assert html.unescape(out) == "![x](http://evil/x.png) **b** # h <img src=x>"


def test_answer_markers_link_to_sources_and_flag_unverified():
    answer = Answer(
        "q", "q", "队伍500人[1]，另见[2]，无此[9]。", "llm", False, [_cite(1), _cite(2, verified=False)]
    )
    out = render.render_answer(answer, turn=3)
    assert '<a class="cite" href="#src-3-1" data-n="1">1</a>' in out  # answer 3's own [1]
    assert 'class="cite unverified" href="#src-3-2"' in out and "未能在原文中核验" in out
    assert 'class="cite missing"' in out and 'href="#src-3-9"' not in out  # a marker with no citation is no link


@pytest.mark.parametrize("text", ["甲[1,2]。", "甲[1，2]。", "甲[1、2]。", "甲[1][2]。"])
def test_every_citation_form_links_each_number(text):
    out = render.render_answer(Answer("q", "q", text, "llm", False, [_cite(1), _cite(2)]), turn=1)
    assert 'href="#src-1-1"' in out and 'href="#src-1-2"' in out and "[1" not in out.replace("[<a", "")


def test_sources_panel_keeps_every_answer_newest_open():
    first = render.render_source_entries([_cite(1)], None, turn=1)
    second = render.render_source_entries([_cite(1)], None, turn=2)
    panel = render.render_sources_panel([(1, "第一问", first), (2, "第二问<b>", second)])
    assert 'id="src-1-1"' in panel and 'id="src-2-1"' in panel  # the older answer's [1] still has its target
    assert panel.index("第 2 问") < panel.index("第 1 问")
    assert '<details class="answer-sources" id="answer-2" open>' in panel
    assert '<details class="answer-sources" id="answer-1">' in panel and "<b>" not in panel


def test_answer_text_from_documents_is_escaped_in_the_bubble():
    answer = Answer(
        "q", "q", "原文：<script>x</script>![i](http://e/i.png)[1]", "extractive", False, [_cite()]
    )
    out = render.render_answer(answer)
    assert "<script" not in out and "![" not in out and "](" not in out
    assert '<a class="cite"' in out


def test_abstention_shows_not_found_plainly():
    out = render.render_answer(Answer("q", "q", "文档中未提及。", "extractive", True))
    assert render.NOT_FOUND in out and "<strong>" in out
    assert out.count(render.NOT_FOUND) == 1


def test_abstention_gives_its_reason_once_under_the_heading():
    out = render.render_answer(Answer("q", "q", "文档中未提及。知识库中没有全国2025年的政府工作报告。", "extractive", True))
    assert out.count(render.NOT_FOUND) == 1 and "知识库中没有全国2025年的政府工作报告" in out


def test_status_badge_modes_notice_and_condensed_question():
    llm = render.render_status(Answer("那县级呢", "县级救援队伍规模", "a", "llm", False), question="那县级呢")
    assert "生成式回答" in llm and "县级救援队伍规模" in llm
    offline = render.render_status(
        Answer("q", "q", "a", "extractive", False, notice="LLM unavailable, offline answer")
    )
    assert "离线抽取式回答" in offline and "LLM unavailable" in offline and "改写" not in offline


def test_source_shows_path_lines_and_highlights_quote_with_context():
    lines = ["标题", "三、主要任务", "（一）队伍建设", "建立市级救援队伍500人，", "县级200人。", "下一段"]
    where = Location(line_start=146, line_end=148)  # the user's file; 4–5 are the internal cleaned copy's
    out = render.render_source(_cite(quote="建立市级救援队伍500人", lines=(4, 5), location=where), lines)
    assert 'id="src-1"' in out
    assert "三、主要任务" in out and "第146–148行" in out and "004.txt" in out
    assert "4–5" not in out
    assert "<mark>建立市级救援队伍500人</mark>" in out
    assert '<div class="ctx">（一）队伍建设</div>' in out and '<div class="ctx">下一段</div>' in out


def test_highlight_matches_across_line_breaks():
    out = render.highlight("建立市级救援\n队伍500人。", "建立市级救援队伍500人")
    assert out.startswith("<mark>建立市级救援<br>队伍500人</mark>")


def test_unverified_source_is_marked_with_its_problem():
    out = render.render_source(_cite(verified=False, problem="引文不在原文中"), None)
    assert "unverified" in out and "未核验" in out and "引文不在原文中" in out
    assert "<mark>建立市级救援队伍500人</mark>" in out  # without source lines the quote alone is shown


def test_source_escapes_hostile_document_text():
    lines = ["<script>alert(1)</script>", "![x](http://evil/x.png)"]
    out = render.render_source(_cite(quote="<script>", lines=(1, 2)), lines)
    assert "<script>" not in out and "&lt;script&gt;" in out


def test_plain_text_copy_lists_sources():
    answer = Answer("q", "q", "队伍500人[1]。", "llm", False, [_cite(verified=False)])
    text = render.answer_plain_text(answer)
    assert text.startswith("队伍500人[1]。") and "来源" in text and "（未核验）" in text and "<" not in text
    located = Answer("q", "q", "队伍500人[1]。", "llm", False, [_cite(location=Location(line_start=146, line_end=146))])
    assert "，第146行（004.txt）" in render.answer_plain_text(located)


def test_filter_choices_from_documents():
    docs = [
        DocumentInfo("a", "004.txt", "甲规划", 1, 10, year=2022),
        DocumentInfo("b", "004.txt", "乙规划", 11, 20, year=2021),
        DocumentInfo("c", "001.txt", "甲规划", 1, 10, year=2022),
    ]
    assert render.doc_choices(docs) == [
        (render.ALL_DOCS, ""),
        ("甲规划（004.txt）", "甲规划"),
        ("乙规划（004.txt）", "乙规划"),
    ]
    assert render.year_choices(docs) == [(render.ALL_YEARS, ""), ("2022 年", "2022"), ("2021 年", "2021")]
    assert render.source_choices(docs) == ["004.txt", "001.txt"]


def test_documents_table_escapes_titles():
    docs = [
        DocumentInfo("a", "x.html", "<img src=x onerror=alert(1)>", 1, 2, chunks=7, ingested_at="2025-01-01")
    ]
    out = render.render_documents(docs)
    assert "<img" not in out and "&lt;img" in out and ">7<" in out and "2025-01-01" in out


def test_format_time():
    assert render.format_time(None) == ""
    assert render.format_time("2025-01-02T03:04:05") == "2025-01-02 03:04"
    assert render.format_time("昨天") == "昨天"


def test_ingest_report_lists_rejected_files():
    out = render.render_ingest_report(
        IngestReport(files=1, chunks=3), rejected=[("a.exe", "不支持的文件类型")]
    )
    assert "1 个文件" in out and "a.exe" in out and "不支持" in out


def test_a_brief_renders_from_its_own_parts_escaped_with_linked_markers():
    from assistant.briefing.model import Brief, BriefSection, TargetRow

    brief = Brief(
        "教育<script>", "extractive",
        sections=[BriefSection("重点任务", ["建设队伍 **500** 人[1]", "![x](http://evil/x.png)[2]"],
                               ["甲规划", "乙规划"], [True, False]),
                  BriefSection("主要目标与指标", [])],
        targets=[TargetRow("道路<script>x</script>", "8", "2025年", 1, "甲规划", baseline="6", attribute="预期性")],
        scope=[("甲规划", "一、目标"), ("乙规划", "二、任务")],
    )
    out = render.render_brief(brief)
    assert "<h1>简报：教育&lt;script&gt;</h1>" in out and "<h2>重点任务</h2>" in out
    assert '<a class="cite" href="#brief-src-1" data-n="1">1</a>' in out and "<strong>500</strong>" in out
    assert "（引用未核实）" in out and "《甲规划》" in out and "《乙规划》" in out  # grouped by document
    assert "<table>" in out and "&lt;script&gt;x" in out and "<script" not in out
    assert "<img" not in out and "![x](http://evil/x.png)" in out  # shown as text


def test_table_renders_dicts_and_truncates():
    out = render.render_table([{"a": 0.5, "b": "<b>"}] * 3, limit=2)
    assert "0.500" in out and "&lt;b&gt;" in out and "另有 1 行" in out


@pytest.mark.parametrize(
    ("raw", "safe"),
    [
        ("../../etc/passwd.txt", "passwd.txt"),
        ("..\\..\\win.ini.md", "win.ini.md"),
        (".hidden.txt", "hidden.txt"),
        ("a\x00b\x1fc.TXT", "abc.txt"),
        ("规划..docx", "规划.docx"),
        ("...", "upload"),
        ("", "upload"),
        ("a<b>|c?.pdf", "a_b__c_.pdf"),
        ("/", "upload"),
    ],
)
def test_safe_filename(raw, safe):
    assert safe_filename(raw) == safe


def test_safe_filename_caps_length():
    assert len(safe_filename("长" * 500 + ".txt")) <= 125


def test_uploads_take_every_format_ingest_reads():
    from ingest.load import ARCHIVES, SUPPORTED
    from ui.security import ALLOWED_SUFFIXES

    assert set(ALLOWED_SUFFIXES) == SUPPORTED | ARCHIVES


def test_check_upload_type_size_and_empty(tmp_path):
    ok = tmp_path / "a.md"
    ok.write_text("# x", encoding="utf-8")
    assert check_upload(ok, max_mb=1).ok
    exe = tmp_path / "a.exe"
    exe.write_bytes(b"x")
    assert "不支持" in (check_upload(exe, max_mb=1).error or "")
    big = tmp_path / "b.txt"
    big.write_bytes(b"x" * 2048)
    assert "过大" in (check_upload(big, max_mb=0.001).error or "")
    empty = tmp_path / "e.txt"
    empty.write_bytes(b"")
    assert "为空" in (check_upload(empty, max_mb=1).error or "")
    tricky = check_upload(ok, original_name="../../x/.a.md", max_mb=1)
    assert tricky.ok and tricky.name == "a.md"


def test_parse_auth_pairs_and_file(tmp_path):
    assert parse_auth(None) is None and parse_auth("  ") is None
    assert parse_auth("u1:p1,u2:p:2") == [("u1", "p1"), ("u2", "p:2")]
    f = tmp_path / "users"
    f.write_text("# comment\nalice:secret\n\nbob:pw\n", encoding="utf-8")
    assert parse_auth(str(f)) == [("alice", "secret"), ("bob", "pw")]
    with pytest.raises(ValueError):
        parse_auth("nocolon-and-no-such-file")
    with pytest.raises(ValueError):
        parse_auth("user:")


def test_pdf_citations_show_their_page() -> None:
    from assistant.models import Citation
    from ui.render import render_source

    cited = Citation(n=1, source="plan.pdf", title="规划", section="规划 > 第一章", lines=[3, 4], quote="原文",
                     page=7, location=Location(page_start=7, page_end=7))
    assert "第7页" in render_source(cited)
    assert "页" not in render_source(Citation(n=1, source="a.txt", title="规划", section="规划", lines=[3, 3],
                                              quote="原文"))


def test_a_citation_of_no_provided_source_is_shown_as_missing() -> None:
    from assistant.models import Citation
    from ui.render import link_markers, render_source

    ghost = Citation(n=7, source="", title="", section="", lines=[], quote="", verified=False,
                     problem="[7] 不对应任何提供的资料")
    assert "无此来源" in render_source(ghost) and "<blockquote" not in render_source(ghost)
    assert 'class="cite missing"' in link_markers("结论[7]。", [ghost])


def test_source_passages_drop_markdown_bold_from_conversions() -> None:
    from assistant.models import Citation
    from ui.render import render_source

    lines = ["生产总值增长**7.5%**以上，城镇新增就业**4.9万人**。"]
    cited = Citation(n=1, source="a.txt", title="报告", section="报告", lines=[1, 1], quote=lines[0])
    out = render_source(cited, lines)
    assert "**" not in out and "<mark>" in out and "4.9万人" in out
