"""Every document's metadata, on both corpora, as read by a person: title, issuer, place, level, kind, year…"""

from __future__ import annotations

import dataclasses
import json
from functools import cache
from pathlib import Path

import pytest

from assistant.cli import main
from assistant.models import DocumentInfo
from ingest.clean import CleanText
from ingest.pipeline import parse_file
from ingest.structure import split_documents

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "data" / "corpus"


def corpus_more() -> Path:
    """The second corpus: shipped in data/, or beside the checkout in shared/ (a development worktree)."""
    for base in (ROOT / "data", ROOT.parent / "shared", ROOT.parent.parent / "shared"):
        if (base / "corpus_more" / "SOURCES.md").is_file():
            return base / "corpus_more"
    pytest.skip("corpus_more is not in data/ nor in shared/")


@cache
def docs_of(path: Path) -> list[DocumentInfo]:
    return parse_file(path, chunk_tokens=350, max_bytes=100 * 1024 * 1024)[1]


def row(d: DocumentInfo) -> tuple:
    return (d.title, d.issuer, d.place, d.level, d.kind, d.year, d.period, d.doc_number, d.date)


# (file, title, issuer, place, level, kind, year, period, doc_number, date), written from reading each file
NATIONAL = "national"
MORE = [
    ("national/gwr_national_2014.txt", "2014年政府工作报告", "国务院", "全国", NATIONAL, "work_report", 2014, None, None, None),
    ("national/gwr_national_2015.txt", "2015年政府工作报告", "国务院", "全国", NATIONAL, "work_report", 2015, None, None, None),
    ("national/gwr_national_2016.txt", "2016年政府工作报告", "国务院", "全国", NATIONAL, "work_report", 2016, None, None, None),
    ("national/gwr_national_2017.txt", "政府工作报告", "国务院", "全国", NATIONAL, "work_report", 2017, None, None, "2017年3月5日"),
    ("national/gwr_national_2018.txt", "2018年政府工作报告", "国务院", "全国", NATIONAL, "work_report", 2018, None, None, None),
    ("national/gwr_national_2019.txt", "2019年政府工作报告", "国务院", "全国", NATIONAL, "work_report", 2019, None, None, None),
    ("national/gwr_national_2021.txt", "政府工作报告", "国务院", "全国", NATIONAL, "work_report", 2021, None, None, "2021年3月5日"),
    ("national/gwr_national_2022.txt", "政府工作报告", "国务院", "全国", NATIONAL, "work_report", 2022, None, None, "2022年3月5日"),
    ("national/gwr_national_2023.txt", "政府工作报告", "国务院", "全国", NATIONAL, "work_report", 2023, None, None, "2023年3月5日"),
    ("national/gwr_national_2024.txt", "政府工作报告", "国务院", "全国", NATIONAL, "work_report", 2024, None, None, "2024年3月5日"),
    ("policies/aba_gov_data_resources_2021.txt", "阿坝州政务数据资源管理暂行办法", "阿坝州人民政府办公室",
     "阿坝藏族羌族自治州", "city", "rules", 2021, None, "阿府办发〔2021〕21号", "2021年10月11日"),
    ("policies/anhui_rcep_opening_policy.txt",
     "安徽省关于加快对接《区域全面经济伙伴关系协定》（RCEP）经贸新规则扎实推进高水平开放实施意见",
     "安徽省推进“三地一区”建设领导小组改革开放新高地执行小组办公室", "安徽省", "province", "opinions", 2022, None,
     "皖开放办〔2022〕6号", "2022年3月23日"),
    ("policies/beijing_data_zone_guidance.txt", "关于推进北京市数据专区建设的指导意见", "北京市经济和信息化局",
     "北京市", "province", "opinions", 2022, None, "京经信发〔2022〕87号", "2022年11月21日"),
] + [
    (f"provinces/gwr_{file}_2025.docx", f"2025年{place}政府工作报告", f"{place}人民政府", place, "province",
     "work_report", 2025, None, None, f"2025年{date}")
    for file, place, date in [
        ("anhui", "安徽省", "1月20日"), ("beijing", "北京市", "1月14日"), ("chongqing", "重庆市", "1月19日"),
        ("fujian", "福建省", "1月13日"), ("guangdong", "广东省", "1月15日"), ("hebei", "河北省", "1月13日"),
        ("henan", "河南省", "1月18日"), ("hubei", "湖北省", "1月16日"), ("hunan", "湖南省", "1月14日"),
        ("jiangsu", "江苏省", "1月19日"), ("liaoning", "辽宁省", "1月16日"), ("shaanxi", "陕西省", "1月16日"),
        ("shandong", "山东省", "1月20日"), ("shanghai", "上海市", "1月15日"), ("yunnan", "云南省", "1月18日"),
    ]
]


@pytest.mark.parametrize("case", MORE, ids=[c[0].split("/")[-1] for c in MORE])
def test_corpus_more_documents_have_their_metadata(case: tuple) -> None:
    path = corpus_more() / case[0]
    docs = docs_of(path)
    assert [row(d) for d in docs] == [case[1:]]


def test_corpus_more_has_28_documents_and_no_title_is_a_file_name() -> None:
    files = sorted(p for p in corpus_more().rglob("*") if p.suffix in (".txt", ".docx"))
    docs = [d for f in files for d in docs_of(f)]
    assert len(docs) == 28 == len(MORE)
    assert not any("gwr" in d.title or "_" in d.title or "名词" in d.title for d in docs)


CITY = ("许昌市人民政府", "许昌市", "city")
OFFICE = ("许昌市人民政府办公室", "许昌市", "city")
FIVE_YEARS = [2021, 2025]
SAMPLE = {
    "000": [("《政府工作报告》之未来展望篇", None, "许昌市", "city", "work_report", 2021, None, None, "2021年3月24日")],
    "001": [("《政府工作报告》之开局起步篇", None, "许昌市", "city", "work_report", 2021, None, None, None)],
    # a district's draft outline: no issuer, and no date or year is printed in it
    "002": [("魏都区国民经济和社会发展第十四个五年规划和二〇三五远景目标纲要（草案）", None, "魏都区", "county", "plan",
             None, FIVE_YEARS, None, None)],
    "003": [("《政府工作报告》解读之2023年重点工作篇（下）", None, "许昌市", "city", "interpretation", 2023, None, None, None)],
    "004": [
        ("许昌市“十四五”市场监管现代化规划", *CITY, "plan", 2022, FIVE_YEARS, "许政〔2022〕15号", "2022年7月1日"),
        ("许昌市“十四五”应急管理体系和本质安全能力建设规划", *CITY, "plan", 2022, FIVE_YEARS, "许政〔2022〕16号", "2022年7月1日"),
        ("许昌市“十四五”教育事业发展规划", *CITY, "plan", 2022, FIVE_YEARS, "许政〔2022〕17号", "2022年7月1日"),
        ("许昌市“十四五”城市更新和城乡人居环境建设规划", *CITY, "plan", 2022, FIVE_YEARS, "许政〔2022〕19号", "2022年7月6日"),
        ("许昌市“十四五”科技创新和一流创新生态建设规划", *CITY, "plan", 2022, FIVE_YEARS, "许政〔2022〕20号", "2022年7月12日"),
        ("许昌市“十四五”现代供应链发展规划", *CITY, "plan", 2022, FIVE_YEARS, "许政〔2022〕21号", "2022年7月12日"),
        ("许昌市地下水超采综合治理工作实施方案", *CITY, "implementation_plan", 2022, None, "许政〔2022〕22号", "2022年7月14日"),
        ("许昌市“十四五”现代服务业发展规划", *CITY, "plan", 2022, FIVE_YEARS, "许政〔2022〕23号", "2022年7月14日"),
        ("许昌市“十四五”乡村振兴和农业农村现代化规划", *CITY, "plan", 2022, FIVE_YEARS, "许政〔2022〕24号", "2022年7月14日"),
        ("许昌市新型城镇化和城乡融合发展规划（2021—2035年）", *CITY, "plan", 2022, [2021, 2035], "许政〔2022〕25号",
         "2022年7月16日"),
        ("许昌市“十四五”制造业高质量发展规划", *CITY, "plan", 2022, FIVE_YEARS, "许政〔2022〕26号", "2022年7月16日"),
        ("许昌市“十四五”营商环境和社会信用体系发展规划", *CITY, "plan", 2022, FIVE_YEARS, "许政〔2022〕27号", "2022年7月21日"),
        ("许昌市“十四五”公共卫生体系和全民健康规划", *CITY, "plan", 2022, FIVE_YEARS, "许政〔2022〕28号", "2022年7月30日"),
        ("许昌市“十四五”公共服务和社会保障规划", *CITY, "plan", 2022, FIVE_YEARS, "许政〔2022〕29号", "2022年7月30日"),
        ("许昌市人民政府办公室关于稳住经济大盘促投资的实施意见", *OFFICE, "opinions", 2022, None, "许政办〔2022〕29号",
         "2022年7月7日"),
        ("许昌市行政复议决定书网上公开办法（试行）", *OFFICE, "rules", 2022, None, "许政办〔2022〕30号", "2022年7月25日"),
        ("许昌市对上市（挂牌）企业奖补办法", *OFFICE, "rules", 2022, None, "许政办〔2022〕32号", "2022年7月30日"),
        ("许昌市推进智慧岛建设实施方案", *OFFICE, "implementation_plan", 2022, None, "许政办〔2022〕33号", "2022年7月30日"),
    ],
}


@pytest.mark.parametrize("prefix", sorted(SAMPLE))
def test_sample_corpus_documents_have_their_metadata(prefix: str) -> None:
    path = next(CORPUS.glob(f"{prefix}_*.txt"))
    assert [row(d) for d in docs_of(path)] == SAMPLE[prefix]


def test_sample_corpus_has_22_documents() -> None:
    assert sum(len(docs_of(p)) for p in sorted(CORPUS.glob("*.txt"))) == sum(map(len, SAMPLE.values())) == 22


def notice(n: int, number: str, title: str) -> str:
    return (
        f"杭州市人民政府关于印发{title}的通知\n{number}\n各区、县（市）人民政府，市政府各部门：\n"
        f"现将《{title}》印发给你们，请认真贯彻落实。\n杭州市人民政府\n2022年3月{n}日\n{title}\n"
        f"一、总体要求\n到2025年，全市第{n}项工作取得明显成效，群众满意度持续提升。\n"
    )


@pytest.mark.parametrize("brackets", ["〔〕", "[]", "［］", "()", "（）", "【】"])
def test_a_gazette_splits_whatever_brackets_its_numbers_use(tmp_path: Path, brackets: str) -> None:
    o, c = brackets
    titles = ["杭州市“十四五”交通发展规划", "杭州市数字经济促进实施方案", "杭州市公共数据管理办法"]
    gazette = "杭州市人民政府公报\n2022年第2期\n" + "".join(
        notice(n, f"杭政{o}2022{c}{n}号", t) for n, t in enumerate(titles, start=1)
    )
    path = tmp_path / "gazette.txt"
    path.write_text(gazette, encoding="utf-8")
    docs = docs_of(path)
    assert [(d.title, d.doc_number, d.date) for d in docs] == [
        (t, f"杭政{o}2022{c}{n}号", f"2022年3月{n}日") for n, t in enumerate(titles, start=1)
    ]
    assert {(d.issuer, d.place, d.level, d.year) for d in docs} == {("杭州市人民政府", "杭州市", "city", 2022)}
    assert [d.kind for d in docs] == ["plan", "implementation_plan", "rules"]
    assert docs[0].period == [2021, 2025] and docs[1].period is None


PROVINCIAL_SPEECH = """各位代表：
现在，我代表省人民政府向大会报告工作，请予审议。
一、2023年工作回顾
过去一年，全省上下砥砺奋进，浙江经济运行稳中向好，全省生产总值增长6%。
二、2024年工作安排
今年全省经济社会发展的主要预期目标是：生产总值增长5.5%左右。到2035年基本实现现代化。
《政府工作报告》有关内容名词注释
1.新质生产力：由技术革命性突破催生的先进生产力。
"""


def test_a_speech_without_a_title_line_is_named_from_its_text_not_its_glossary(tmp_path: Path) -> None:
    path = tmp_path / "report.txt"
    path.write_text(PROVINCIAL_SPEECH, encoding="utf-8")
    (d,) = docs_of(path)
    assert (d.title, d.issuer, d.place, d.level, d.kind, d.year) == (
        "2024年浙江省政府工作报告", "浙江省人民政府", "浙江省", "province", "work_report", 2024,
    )


def test_a_plan_is_dated_by_its_issue_not_by_its_horizon(tmp_path: Path) -> None:
    path = tmp_path / "plan.txt"
    path.write_text(
        "苏州市国土空间总体规划（2021—2035年）\n第一章 规划总则\n规划期限为2021年至2035年，近期至2025年。\n"
        "到2035年，全市建成社会主义现代化强市。\n苏州市人民政府\n2023年9月8日\n",
        encoding="utf-8",
    )
    (d,) = docs_of(path)
    assert (d.title, d.place, d.level, d.kind, d.year, d.period, d.date, d.issuer) == (
        "苏州市国土空间总体规划（2021—2035年）", "苏州市", "city", "plan", 2023, [2021, 2035], "2023年9月8日",
        "苏州市人民政府",
    )


def test_what_a_text_never_states_stays_unknown(tmp_path: Path) -> None:
    path = tmp_path / "note.txt"
    path.write_text("关于加强社区养老服务的若干措施\n一、扩大服务供给，完善社区养老设施。\n二、加强人才队伍建设。\n", encoding="utf-8")
    (d,) = docs_of(path)
    assert (d.title, d.kind, d.place, d.level, d.issuer, d.year, d.date, d.doc_number) == (
        "关于加强社区养老服务的若干措施", "measures", None, None, None, None, None, None,
    )


def test_docs_json_carries_every_metadata_field(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    folder = tmp_path / "files"
    folder.mkdir()
    (folder / "plan.txt").write_text(
        "苏州市国土空间总体规划（2021—2035年）\n第一章 规划总则\n到2035年，全市建成现代化强市。\n苏州市人民政府\n2023年9月8日\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("ASSISTANT_EMBEDDING_BACKEND", "hash")
    data = str(tmp_path / "kb")
    assert main(["--data-dir", data, "ingest", str(folder)]) == 0
    capsys.readouterr()
    assert main(["--data-dir", data, "docs", "--json"]) == 0
    (doc,) = json.loads(capsys.readouterr().out)
    assert set(doc) == {f.name for f in dataclasses.fields(DocumentInfo)}
    assert {k: doc[k] for k in ("title", "issuer", "place", "level", "kind", "year", "period", "date")} == {
        "title": "苏州市国土空间总体规划（2021—2035年）", "issuer": "苏州市人民政府", "place": "苏州市", "level": "city",
        "kind": "plan", "year": 2023, "period": [2021, 2035], "date": "2023年9月8日",
    }


def test_a_signature_dated_in_chinese_digits(tmp_path: Path) -> None:
    path = tmp_path / "measures.txt"
    path.write_text(
        "温州市人民政府办公室关于促进民营经济发展的若干措施\n一、加大金融支持力度，降低融资成本。\n"
        "温州市人民政府办公室\n二〇二三年十二月五日\n",
        encoding="utf-8",
    )
    (d,) = docs_of(path)
    assert (d.issuer, d.place, d.kind, d.year, d.date) == (
        "温州市人民政府办公室", "温州市", "measures", 2023, "二〇二三年十二月五日",
    )


def test_scope_words_and_the_divisions_a_text_names_give_its_place(tmp_path: Path) -> None:
    path = tmp_path / "page.txt"
    path.write_text(
        "《政府工作报告》之民生篇\n全市新增城镇就业5万人，落实浙江省部署，对标浙江省先进地区。\n"
        "建设平安嘉兴、法治嘉兴，全市居民收入稳步增长，助力浙江省高质量发展。\n",
        encoding="utf-8",
    )
    (d,) = docs_of(path)
    assert (d.place, d.level) == ("嘉兴市", "city")


def test_a_files_own_title_property_counts_only_when_the_text_has_no_title() -> None:
    body = ["一、加快建设现代化产业体系，推进新型工业化。", "二、扩大有效投资，促进消费持续恢复。"]
    props = {"title": "宁波市推进制造业高质量发展实施方案_市政府文件_某某网"}
    (span,) = split_documents(CleanText("x.docx", body), fallback_title="x", properties=props)
    assert (span.title, span.kind, span.place) == ("宁波市推进制造业高质量发展实施方案", "implementation_plan", "宁波市")
    titled = CleanText("x.docx", ["宁波市促进服务业发展若干措施", *body])
    (span,) = split_documents(titled, fallback_title="x", properties=props)
    assert span.title == "宁波市促进服务业发展若干措施"
    (span,) = split_documents(CleanText("x.docx", body), fallback_title="x", properties={"title": "Microsoft Word - 文档1"})
    assert span.title == "x"


def test_a_scraped_national_plan_whose_first_line_is_the_page_title(tmp_path: Path) -> None:
    path = tmp_path / "plan.txt"
    path.write_text(
        "中华人民共和国国民经济和社会发展第十四个五年规划和2035年远景目标纲要_滚动新闻_某某网\n"
        "第一篇 开启全面建设社会主义现代化国家新征程\n“十四五”时期是我国全面建成小康社会之后的第一个五年。\n"
        "到2035年，我国经济实力、科技实力、综合国力将大幅跃升。全国人民共同奋斗。\n",
        encoding="utf-8",
    )
    (d,) = docs_of(path)
    assert (d.title, d.place, d.level, d.kind, d.year, d.period) == (
        "中华人民共和国国民经济和社会发展第十四个五年规划和2035年远景目标纲要", "全国", "national", "plan", None,
        [2021, 2025],
    )


def test_a_page_presenting_a_plan_says_which_and_a_plan_following_another_does_not(tmp_path: Path) -> None:
    """A newspaper page explaining a draft plan ("《…纲要（草案）》提出了…") is about that plan; a plan naming the one
    before it ("《“十三五”…规划》确定的目标全面完成") follows it, it does not present it."""
    page = tmp_path / "page.txt"
    page.write_text("《政府工作报告》之未来展望篇\n打造六个高地\n《某市国民经济和社会发展第十四个五年规划和2035年远景目标纲要"
                    "（草案）》提出了我市2035年远景目标，明确了主要目标。\n新增就业超过25万人。\n", encoding="utf-8")
    assert [d.about for d in docs_of(page)] == ["某市国民经济和社会发展第十四个五年规划和2035年远景目标纲要（草案）"]
    plan = tmp_path / "plan.txt"
    plan.write_text("某市“十四五”教育事业发展规划\n一、发展基础\n《某市“十三五”教育事业发展规划》确定的主要目标全面完成。\n",
                    encoding="utf-8")
    assert [d.about for d in docs_of(plan)] == [None]


def test_a_page_knows_whom_it_credits_and_a_line_that_only_names_roles_is_none(tmp_path: Path) -> None:
    """A newspaper page's credit lines ("值班总编 某某 编辑 某某", "版 式 某某", "（文字整理某某）") are its credits, by
    role; a sentence that names a role among other words ("记者从会上获悉…") is text, not a credit."""
    page = tmp_path / "page.txt"
    page.write_text("《政府工作报告》之未来展望篇\n打造六个高地\n记者从会上获悉，全市新增就业超过25万人。\n"
                    "值班总编 张三 编辑 李四\n版 式 王五 校对 赵六\n（文字整理孙七）\n", encoding="utf-8")
    (d,) = docs_of(page)
    assert d.credits == {"值班总编": "张三", "编辑": "李四", "版式": "王五", "校对": "赵六", "文字整理": "孙七"}
    plan = tmp_path / "plan.txt"
    plan.write_text("某市“十四五”教育事业发展规划\n一、发展基础\n记者从会上获悉，全市新增学位2万个。\n", encoding="utf-8")
    assert [d.credits for d in docs_of(plan)] == [None]
