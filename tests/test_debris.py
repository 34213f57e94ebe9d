"""Debris of web pages, exports and print is kept out of the cleaned text; everything else stays verbatim."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from test_metadata import CORPUS, corpus_more

from assistant.models import LoadedText
from assistant.vocab import vocabulary
from ingest.clean import clean_text
from ingest.pipeline import parse_file


def cleaned(text: str, **kw) -> tuple[list[str], dict[str, str]]:
    c = clean_text(LoadedText(source="t.txt", path="t.txt", kind="txt", text=text, **kw))
    return c.lines, c.fields


GOV_PAGE = """首页
政策
新闻
互动
服务
数据
首页 > 政策 > 国务院政策文件库 > 国务院部门文件
2023-02-25 16:30  来源： 新华社
【字体：大 中 小】
索引号：\t000014349/2023-00012\t主题分类：\t综合政务\\其他
发文机关：\t国务院办公厅\t成文日期：\t2023年02月20日
标　　题：\t国务院办公厅关于进一步优化政务服务提升行政效能的意见
发文字号：\t国办发〔2023〕5号\t发布日期：\t2023年02月25日
国务院办公厅关于进一步优化政务服务提升行政效能的意见
国务院办公厅关于进一步优化政务服务提升行政效能的意见
各省、自治区、直辖市人民政府，国务院各部委、各直属机构：
优化政务服务、提升行政效能，对于更好利用市场资源具有重要作用。
一、总体要求
到2025年，政务服务标准化、规范化、便利化水平大幅提升。
【我要纠错】 责任编辑：王某某
扫一扫在手机打开当前页
打印本页
http://www.example.gov.cn/zhengce/content/2023-02/25/content_0000000.htm
相关稿件
版权所有：某某网 | 中文域名：某某网.政务
网站标识码bm01000001 京ICP备05070218号 京公网安备11010202000001号
"""


def test_web_page_furniture_is_dropped_and_its_fields_kept() -> None:
    lines, fields = cleaned(GOV_PAGE)
    assert lines == [
        "国务院办公厅关于进一步优化政务服务提升行政效能的意见",  # printed twice, kept once
        "各省、自治区、直辖市人民政府，国务院各部委、各直属机构：",
        "优化政务服务、提升行政效能，对于更好利用市场资源具有重要作用。",
        "一、总体要求",
        "到2025年，政务服务标准化、规范化、便利化水平大幅提升。",
    ]
    assert fields == {
        "issuer": "国务院办公厅", "date": "2023年02月20日", "doc_number": "国办发〔2023〕5号",
        "title": "国务院办公厅关于进一步优化政务服务提升行政效能的意见",
    }


def test_web_page_metadata_comes_from_its_text_and_field_box(tmp_path: Path) -> None:
    path = tmp_path / "国务院办公厅关于进一步优化政务服务提升行政效能的意见_综合政务_某某网首页.txt"
    path.write_text(GOV_PAGE, encoding="utf-8")
    text, docs, _ = parse_file(path, chunk_tokens=350, max_bytes=10**7)
    (d,) = docs
    assert (d.title, d.issuer, d.place, d.level, d.kind, d.year, d.doc_number, d.date) == (
        "国务院办公厅关于进一步优化政务服务提升行政效能的意见", "国务院办公厅", "全国", "national", "opinions",
        2023, "国办发〔2023〕5号", "2023年02月20日",
    )
    assert not any(w in text for w in ("索引号", "责任编辑", "扫一扫", "ICP", "首页", "http"))


def test_a_title_from_a_saved_page_name_loses_the_site_suffix(tmp_path: Path) -> None:
    path = tmp_path / "关于做好2024年政务公开工作的通知_政务公开_某某网首页.txt"
    path.write_text("各有关单位：\n请认真做好政务公开工作。\n", encoding="utf-8")
    (d,) = parse_file(path, chunk_tokens=350, max_bytes=10**7)[1]
    assert d.title == "关于做好2024年政务公开工作的通知"


EXPORT = """    【法宝引证码】 CLI.12.1234567\r
原文链接：https://www.example.com/lar/abc.html\r
【发布部门】 某某省人民政府办公厅\r
【发文字号】 某政办发〔2022〕8号\r
【发布日期】 2022.05.06\r
某某省人民政府办公厅关于推进数字政府建设的实施意见\r
某某省人民政府办公厅关于推进数字政府建设的实施意见\r
　　为加快数字政府建设，提升政府治理能力，结合本省实际，提出如下意见。\r
　　一、总体要求\r
　　到2025年，数字政府建设取得重要进展，政务服务水平显著提升。\r
　　二、重点任务\r
　　（一）建设一体化政务数据平台，推动数据共享开放。\r
　　为加快数字政府建设，提升政府治理能力，结合本省实际，提出如下意见。\r
　　一、总体要求\r
　　到2025年，数字政府建设取得重要进展，政务服务水平显著提升。\r
　　二、重点任务\r
　　（一）建设一体化政务数据平台，推动数据共享开放。\r
"""


def test_export_header_repeated_title_and_duplicated_body_are_dropped() -> None:
    lines, fields = cleaned(EXPORT.replace("\r", ""))
    assert lines == [
        "某某省人民政府办公厅关于推进数字政府建设的实施意见",
        "为加快数字政府建设，提升政府治理能力，结合本省实际，提出如下意见。",
        "一、总体要求",
        "到2025年，数字政府建设取得重要进展，政务服务水平显著提升。",
        "二、重点任务",
        "（一）建设一体化政务数据平台，推动数据共享开放。",
    ]
    assert fields == {"issuer": "某某省人民政府办公厅", "doc_number": "某政办发〔2022〕8号", "date": "2022.05.06"}


WIKI = """各位代表：

现在，我代表国务院，向大会报告政府工作，请予审议。

一、2019年工作回顾

过去一年，我国发展取得新成就。
党的十九届四中全会
作出重大部署，
习近平
总书记发表重要讲话，经济运行总体平稳。

——国内生产总值达到99.1
\u200b
万亿元，增长6.1%。

广义货币M
2
和社会融资规模增速与名义经济增速基本匹配。

要持续推进污染防治，细颗粒物（PM
2.5
）浓度继续下降。

今年发展主要预期目标是：城镇新增就业900万人以上。

各位代表！

让我们紧密团结，努力完成全年目标任务。

要坚持稳中求进工作总基调，统筹推进各项工作。

要坚定实施扩大内需战略，促进消费投资。

要深化改革开放，激发市场活力。

要加强民生保障，兜牢基本民生底线。

要加强政府自身建设，提高行政效能。



本作品是中华人民共和国的
法律
、
法规
，属于
公有领域
。

注：中文维基文库社群认为，公务演讲
不总是
具有立法性质的文件。

Public domain
false
"""


def test_link_split_sentences_rejoined_and_licence_footer_dropped() -> None:
    lines, _ = cleaned(WIKI)
    assert "党的十九届四中全会作出重大部署，习近平总书记发表重要讲话，经济运行总体平稳。" in lines
    assert "——国内生产总值达到99.1万亿元，增长6.1%。" in lines
    assert "广义货币M2和社会融资规模增速与名义经济增速基本匹配。" in lines
    assert "要持续推进污染防治，细颗粒物（PM2.5）浓度继续下降。" in lines
    assert "过去一年，我国发展取得新成就。" in lines  # a complete sentence before the link is not joined
    assert lines[-1] == "要加强政府自身建设，提高行政效能。"
    raw = WIKI.replace("\n", "").replace("\u200b", "")
    assert all(line in raw for line in lines)  # nothing rewritten: kept lines are the raw text, rejoined


def test_a_report_whose_text_has_no_title_is_named_by_its_kind_and_year(tmp_path: Path) -> None:
    path = tmp_path / "speech.txt"
    path.write_text(WIKI, encoding="utf-8")
    (d,) = parse_file(path, chunk_tokens=350, max_bytes=10**7)[1]
    assert (d.title, d.year, d.place, d.kind) == ("2020年政府工作报告", 2020, "全国", "work_report")


def test_running_header_on_every_pdf_page_is_dropped(tmp_path: Path) -> None:
    from test_load import chinese_pdf

    header = "某某市人民政府公报"
    pages = [[header, f"第{n}章 发展任务", f"第{n}项任务是推进城乡融合发展，提高公共服务水平。", f"— {n} —"] for n in range(1, 5)]
    path = chinese_pdf(tmp_path / "公报.pdf", pages)
    text, _, chunks = parse_file(path, chunk_tokens=350, max_bytes=10**7)
    assert header not in text and "—" not in text
    assert "第3项任务是推进城乡融合发展，提高公共服务水平。" in text
    assert {c.page for c in chunks} == {1, 2, 3, 4}


def test_page_number_lines_are_dropped() -> None:
    lines, _ = cleaned("规划的主要目标如下。\n第 3 页 共 10 页\n到2025年基本实现现代化。\n- 4 -\n")
    assert lines == ["规划的主要目标如下。", "到2025年基本实现现代化。"]


def _is_debris(text: str) -> bool:
    v = vocabulary()
    return any(p.search(line) for line in text.split("\n") for p in (*v.debris, *v.footer)) or not re.search(
        r"[\u3400-\u9fff]", text
    )


@pytest.mark.parametrize("corpus", ["sample", "more"])
def test_no_chunk_of_the_corpora_is_debris(corpus: str) -> None:
    root = CORPUS if corpus == "sample" else corpus_more()
    files = sorted(p for p in root.rglob("*") if p.suffix in (".txt", ".docx"))
    chunks = [c for f in files for c in parse_file(f, chunk_tokens=350, max_bytes=10**8)[2]]
    assert chunks
    assert [c.text[:60] for c in chunks if _is_debris(c.text)] == []
    assert not any(w in c.text for c in chunks for w in ("法宝引证码", "原文链接", "Public domain", "维基文库"))


def test_short_lines_are_navigation_only_where_a_page_puts_its_links() -> None:
    table = ["附表 重点项目", "序号", "项目", "单位", "属性", "投资", "道路改造", "城建局"]
    lines, _ = cleaned("\n".join(["某某市城市更新实施方案", "一、总体要求", "推进老旧小区改造。", *table]) + "\n")
    assert lines[-len(table) :] == table  # a table's cells one a line, at the end of a document: kept
    lines, _ = cleaned("正文第一段，推进老旧小区改造。\n首页\n新闻\n政策\n互动\n服务\n版权所有：某某网\n")
    assert lines == ["正文第一段，推进老旧小区改造。"]


GOV_HTML = """<html><head><meta charset="utf-8"><title>某某省人民政府关于印发数字政府建设规划的通知_省政府文件_某某省人民政府门户网站</title></head>
<body>
<div class="top"><ul><li><a href="/">首页</a></li><li><a>要闻</a></li><li><a>政务</a></li><li><a>服务</a></li>
<li><a>互动</a></li><li><a>数据</a></li></ul></div>
<div class="crumb">首页 &gt; 政务公开 &gt; 政策文件</div>
<table class="info"><tr><td>索引号：</td><td>11330000/2023-00021</td><td>发布机构：</td><td>省政府办公厅</td></tr>
<tr><td>发文字号：</td><td>浙政发〔2023〕9号</td><td>发布日期：</td><td>2023-04-10</td></tr></table>
<h1>浙江省人民政府关于印发浙江省数字政府建设“十四五”规划的通知</h1>
<p>浙政发〔2023〕9号</p>
<p>各市、县（市、区）人民政府，省政府直属各单位：</p>
<p>现将《浙江省数字政府建设“十四五”规划》印发给你们，请认真组织实施。</p>
<p>浙江省人民政府</p><p>2023年4月6日</p>
<p>浙江省数字政府建设“十四五”规划</p>
<p>一、发展基础</p><p>“十三五”以来，全省数字政府建设取得显著成效，政务服务事项网上可办率达到100%。</p>
<div class="tools">【打印本页】【关闭窗口】</div>
<div class="foot"><p>主办：某某省人民政府办公厅</p><p>版权所有：某某省人民政府办公厅 ICP备案号：某ICP备05001234号</p></div>
</body></html>"""


def test_an_html_page_of_a_notice_keeps_the_notice_and_its_metadata(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(GOV_HTML, encoding="utf-8")
    text, docs, _ = parse_file(path, chunk_tokens=350, max_bytes=10**7)
    (d,) = docs
    assert (d.title, d.issuer, d.place, d.level, d.kind, d.year, d.period, d.doc_number, d.date) == (
        "浙江省数字政府建设“十四五”规划", "浙江省人民政府", "浙江省", "province", "plan", 2023, [2021, 2025],
        "浙政发〔2023〕9号", "2023年4月6日",
    )
    assert not any(w in text for w in ("索引号", "首页", "要闻", "打印本页", "版权所有", "ICP"))
    assert "“十三五”以来，全省数字政府建设取得显著成效，政务服务事项网上可办率达到100%。" in text


def test_boilerplate_two_documents_share_is_kept_in_both() -> None:
    shared = ["三、保障措施", "（一）加强组织领导。各级各部门要把规划实施摆上重要议事日程，明确责任分工，确保各项任务落到实处。",
              "（二）强化要素保障。统筹用好财政资金和各类要素资源，优先保障重大项目建设需要，形成工作合力。"]
    doc = lambda n: [f"第{n}个专项规划", "一、发展目标", f"到2025年第{n}项指标达到{n}0%。", "二、重点任务",
                     f"推进第{n}类重点项目建设。", *shared]
    lines, _ = cleaned("\n".join(doc(1) + doc(2) + doc(3) + doc(4)) + "\n")
    assert sum(line == shared[1] for line in lines) == 4


def test_a_closing_note_stays_unless_a_licence_footer_holds_it() -> None:
    lines, _ = cleaned("全市生产总值增长6%。\n注：数据来源于市统计局。\n12\n")
    assert lines == ["全市生产总值增长6%。", "注：数据来源于市统计局。"]
    lines, _ = cleaned("全市生产总值增长6%。\n本作品属于公有领域。\n注：本站转载仅供参考。\nPublic domain\n")
    assert lines == ["全市生产总值增长6%。"]


def test_a_headline_printed_twice_over_and_a_lone_weekday_are_debris() -> None:
    """A newspaper PDF's large headline comes out with every glyph doubled ("三三五五年年远远景景目目", "标标"), and
    its date line's weekday stands alone ("星期三"): neither is text to quote. Real lines stay, the date too."""
    from ingest.debris import strip_debris

    lines = ["二二", "〇〇", "三三五五年年远远景景目目", "标标", "建成具有全国影响力的城市。", "2021年3月24日", "星期三",
             "人人享有基本公共服务。"]
    kept = [text for text, *_ in strip_debris([(t, i) for i, t in enumerate(lines)], lines).items]
    assert kept == ["建成具有全国影响力的城市。", "2021年3月24日", "人人享有基本公共服务。"]
