"""Shortened question terms read in the collection's wording (固投 -> 固定资产投资), never guessed."""

from __future__ import annotations

from pathlib import Path

from assistant.answering.abbrev import MIN_CHUNKS, homophone_of, read_abbreviations, reading_of
from assistant.answering.stats import CollectionStats
from assistant.config import Settings
from assistant.service import build_assistant
from assistant.text import norm
from ingest.pipeline import ingest_into

PASSAGES = [
    "全年固定资产投资增长6%，社会消费品零售总额增长5%。",
    "扩大有效投资，固定资产投资保持合理增长。",
    "推动规模以上工业企业数字化改造，固定资产投资结构持续优化。",
    "规模以上工业增加值增长7%。",
    "新增规模以上工业企业300家，社会消费品零售总额突破千亿元。",
    "稳定社会消费品零售总额，促进消费升级。",
]


def _stats(texts: list[str]) -> CollectionStats:
    return CollectionStats({}, len(texts), [norm(t) for t in texts])


def test_a_shortening_is_read_as_the_phrase_whose_words_it_abbreviates():
    texts = [norm(t) for t in PASSAGES]
    assert reading_of("固投", texts) == "固定资产投资"
    assert reading_of("社零", texts) == "社会消费品零售总额"
    assert reading_of("规上", texts) == "规模以上"  # a last character counts as a word's edge too


def test_a_shortening_takes_a_character_of_each_half_of_a_four_character_word():
    """"公卫" is 公共卫生, one word to the segmenter but two (公共 + 卫生) to a shortening; the phrase still ends
    where its word ends ("零售总额" in 社会消费品零售总额)."""
    texts = ["加强公共卫生体系建设。", "完善公共卫生应急管理。", "提升公共卫生服务能力。", "健全公共卫生监测网络。",
             "推进公有产权村卫生室建设。"]
    assert reading_of("公卫", texts) == "公共卫生"


def test_no_reading_when_too_rare_or_when_two_readings_compete():
    texts = [norm(t) for t in PASSAGES]
    assert reading_of("固投", texts[:MIN_CHUNKS - 1]) is None  # fewer chunks than a reading needs
    competing = [norm(t) for t in ["数据资源开发利用", "数据要素市场化配置"] * MIN_CHUNKS]
    assert reading_of("数资", texts + competing) == "数据资源"  # one reading only
    competing += [norm("数字资产登记")] * MIN_CHUNKS
    assert reading_of("数资", texts + competing) is None  # 数据资源 and 数字资产 equally common: no guess
    assert reading_of("投固", texts) is None  # characters out of order are no shortening


def test_a_lone_character_ending_a_word_of_the_collection_starts_no_shortening():
    """"营造林一共完成多少亩" is cut 营造 + 林 + 一共: 林 ends 营造林, a word the documents use, so 林一 is no
    shortening to read (it had been read as 林田湖草沙一体化); "社零增长" (社 + 零增长) still is one."""
    texts = ["完成营造林600万亩。", "营造林面积持续增加。", "营造林工程全面完成。",
             "推进山水林田湖草沙一体化保护。", "统筹山水林田湖草沙一体化。", "林田湖草沙一体化治理。"]
    stats = CollectionStats({"营造林": 3, "营造": 3}, len(texts), [norm(t) for t in texts])
    question, readings = read_abbreviations("去年营造林一共完成了多少亩？", ["营造", "完成"], stats)
    assert readings == [] and question == "去年营造林一共完成了多少亩？"
    assert read_abbreviations("社零增长多少？", ["零增长"], _stats(PASSAGES))[1] == [("社零", "社会消费品零售总额")]


def test_only_unknown_words_are_rewritten_and_the_question_says_which():
    stats = _stats(PASSAGES)
    question, readings = read_abbreviations("今年固投要增长多少？", ["固投要", "增长"], stats)
    assert readings == [("固投", "固定资产投资")]  # the segmenter's 固投要: its longest readable part
    assert question == "今年固定资产投资要增长多少？"
    # a dictionary word absent from the documents (一共) and a word they contain are left alone
    assert read_abbreviations("一共增长多少？", ["一共", "增长"], stats) == ("一共增长多少？", [])
    assert read_abbreviations("投资增长多少？", ["投资", "增长"], stats)[1] == []


def test_a_shortening_the_segmenter_split_is_read_and_function_characters_never_are():
    """"社零增长" is cut 社 + 零增长 ("zero growth"): the lone 社 with 零 is the shortening; its reading does not
    repeat the word written after it ("社零总额"). A lone character general Chinese uses as a word (时, 多, 和) starts
    no shortening ("确定目标时主要考虑了什么")."""
    stats = _stats(PASSAGES + ["主要预期目标是增长5%，时间节点明确，主要考虑稳就业。"] * 3)
    question, readings = read_abbreviations("今年社零增长目标是多少？", [], stats)
    assert question == "今年社会消费品零售总额增长目标是多少？" and readings == [("社零", "社会消费品零售总额")]
    assert read_abbreviations("去年社零总额是多少？", ["社零", "总额"], stats)[0] == "去年社会消费品零售总额是多少？"
    assert read_abbreviations("确定目标时主要考虑了什么？", [], stats) == ("确定目标时主要考虑了什么？", [])


def test_the_answer_uses_the_reading_and_says_so(tmp_path: Path):
    doc = tmp_path / "report.txt"
    numbers = "一二三四五六七八"
    sections = [f"{numbers[i]}、第{numbers[i]}部分\n{p}" for i, p in enumerate([*PASSAGES, "持续优化营商环境。"])]
    doc.write_text("2025年某市政府工作报告\n" + "\n".join(sections) + "\n", encoding="utf-8")  # a chunk each
    assistant = build_assistant(Settings(_env_file=None, data_dir=tmp_path / "kb", embedding_backend="hash"))
    ingest_into(assistant, [doc])
    answer = assistant.answerer.run("全年固投增长多少？")
    assert "6%" in answer.answer and not answer.abstained
    assert answer.condensed_question == "全年固定资产投资增长多少？"
    assert "固投" in (answer.notice or "") and "固定资产投资" in (answer.notice or "")


def test_a_mistyped_homophone_is_read_as_the_collection_s_word_and_a_real_word_never_is():
    assert homophone_of("规画", {"规划": 40, "计划": 30, "规模": 20}) == "规划"  # same sound, a character in place
    assert homophone_of("规画", {"规划": 2}) is None  # too rare to be the reading
    assert homophone_of("规画", {"规划": 10, "规化": 10}) is None  # two readings: no guess
    assert homophone_of("规画", {"归化": 40}) is None  # no character in place: not a slip of the same word
    texts = ["编制发展规划，实施规划任务。"] * 5 + ["依法公示项目信息。"] * 5
    stats = _stats(texts)
    stats.df.update({"规划": 5, "公示": 5})
    # 规画 is a rare variant of 规划 in general Chinese; 公式 is a word of its own, as common as 公示
    assert read_abbreviations("发展规画的任务是什么？", ["发展", "规画", "任务"], stats)[1] == [("规画", "规划")]
    assert read_abbreviations("计算公式是什么？", ["计算", "公式"], stats)[1] == []


def test_a_term_that_asks_is_never_read_as_a_word_of_the_documents():
    """"分几部分": 分几 sounds like 分级, but it asks how many parts; it is left as asked."""
    stats = _stats(["实行分级分类管理。"] * 5)
    stats.df.update({"分级": 5})
    assert read_abbreviations("这份报告分几部分？", ["报告", "分几"], stats) == ("这份报告分几部分？", [])


def test_a_piece_the_segmenter_cut_or_a_real_rare_word_is_never_read():
    stats = _stats(["创新监管方式。", "提供了便利。", "具有重要意义。"] * 5)
    stats.df.update({"方式": 5, "提供": 5, "意义": 5})
    assert read_abbreviations("监管方是谁？", ["监管", "方是"], stats)[1] == []  # 方是 ends with a particle
    assert read_abbreviations("提了什么模式？", ["提了", "模式"], stats)[1] == []
    # 疑义 is a word of its own (26 in jieba's counts), not a slip for 意义
    assert read_abbreviations("有疑义的怎么办？", ["疑义"], stats)[1] == []


def test_a_piece_cut_with_an_auxiliary_is_never_read_as_a_homophone():
    """"占比要达到" segmented as 占 + 比要: 比要 sounds like 必要, but it is 比 with the auxiliary 要."""
    stats = _stats(["增加值占比达到10%。", "十分必要。"] * 5)
    stats.df.update({"必要": 5})
    assert read_abbreviations("核心产业增加值占比要达到多少？", ["比要", "达到"], stats)[1] == []
