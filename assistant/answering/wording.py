"""How a question's words are read: the kind of answer it asks for, its content words (without question words,
a plan period kept whole), and the years a change it asks of is measured from."""

from __future__ import annotations

import functools
import re

from assistant.text import norm
from assistant.vocab import section, vocabulary

# "几大工程" counts things a text names, not its parts ("几大部分", "几大块", "几大方面" may be either)
_BIG_THINGS = re.compile(r"(?<!哪)几大(?![章节篇部块方])[\u4e00-\u9fff]")
_ASK_COUNT = re.compile(rf"(?<![哪那这前近好])几大?[个项家所条名万亿人次倍天届张座章节篇部分级处台辆套档折]|{_BIG_THINGS.pattern}")  # "几大部分"
_NAMED_COUNT = re.compile(
    r"[二三四五六七八九十两\d]+\s*(?:个|项|件|大|方面|条|类|种)[\u4e00-\u9fff“”\"]{1,10}(?:是什么|指什么|包括什么|具体是|分别是什么)"
)
_WHICH_N = re.compile(r"哪(?:几|些|[二三四五六七八九十两\d]+)\s*(?:个|项|方面|大|条|类|种|部分|件|批|家)?")
# "那几条“走廊”都是啥", "这几项措施分别是什么": which items (of those the question points at), not how many
_THOSE_N = re.compile(
    r"[那这]几\s*(?:个|项|方面|大|条|类|种|件|批|家)?[^，,。？?；;]{0,12}?(?:都|分别|各|具体)?(?:是|指|包括|叫)(?:什么|啥|哪些)"
)
_COUNTS_THINGS = re.compile(
    r"(?:几|多少)条(?![“\"「]?[\u4e00-\u9fff]{0,3}[”\"」]?(?:规定|条款|内容|措施|举措|政策|意见|原则|要求|任务)|[？?，,。]|$)"
    r"[“\"「]?[\u4e00-\u9fff]"
)
# "某项支持政策是多少条", "推广…的多少条支持政策": the policies counted ("16条"), not the articles of the document asked about
# (nor those someone issued: "省里又发了多少条融合举措", "今年新一轮又推出多少条")
_MEASURES_COUNTED = re.compile(
    r"(?:政策|措施|举措)(?:是|共|一共|总共|有)*(?:几|多少)条|(?:几|多少)条[\u4e00-\u9fff]{1,4}政策"
    r"|(?:发|出台|推出|发布|印发)了?(?:几|多少)条"
)
# a contents, structure or frame asked of a document ("那期的目录", "报告的结构"), not one a passage speaks of ("归集目录",
# "产业结构", "框架协议")
_OUTLINE_WORDS = ("目录", "结构", "框架")
_OUTLINE_ASKED = re.compile(r"(?:^|[的之，,？?\s]|文件|规划|报告|方案|纲要|全文|正文|整体|总体|公报)(?:目录|结构|框架)")
_CHANGE = re.compile(r"有什么(?:变化|不同|区别|差别|差异)")
_DELIVERED_BY = re.compile(r"(?:谁|哪位)[\u4e00-\u9fff]{0,8}(?:作的|作了|代表)")  # "是哪位总理作的", "由谁代表"
# the meeting a report was delivered at: "在哪次全国人大会议上作的", "在什么大会上"
# ("在第几届人大的第几次会议上": the congress a report was delivered to; "办好第几届…大会" asks of another event)
_MEETING_ASKED = re.compile(
    r"(?:哪次|哪一次|哪个|哪届|什么)[\u4e00-\u9fff]{0,8}(?:会议|会上|大会)|第几届(?:人大|人民代表大会)[\u4e00-\u9fff]{0,6}(?:会议|会上)"
)


def plain_asking(text: str) -> str:
    """The text with colloquial question words read as their plain forms ("啥时候" as 什么时候, "咋处理" as 怎么处理)."""
    for word, plain in section("reading")["colloquial"].items():
        text = text.replace(word, plain)
    return text


_ISSUER_ASKED = re.compile(r"([\u4e00-\u9fff]{0,12}?)(?:是)?(?:由谁|是谁|谁|哪个部门|哪个单位|什么机构)")
_FUTURE_ISSUE = re.compile(r"(?:计划|打算|准备|预计|将|会|能)(?:在)?(?:啥时候|什么时候|何时|哪天|哪年|几月)?(?:出台|印发|发布|下发|制定)")
POINTING = ("这个", "这份", "那个", "那份", "该", "本", "它", "其")  # words pointing at a document


def _issues_other(text: str) -> bool:
    """Whether who issues something asks of a thing the document speaks of, not of the document ("已经生效的决定书由谁、
    在什么平台发布" asks who publishes decisions; "这个办法是由谁发布的" asks the document's issuer)."""
    m = next((m for c in re.split(r"[，,？?；;]", text) if (m := _ISSUER_ASKED.search(c))), None)
    before = re.sub(r"(?:的|是|已经|已)+$", "", m.group(1)) if m else ""
    return bool(before) and not before.endswith((*vocabulary().kind_words, *POINTING, "文件", "报告"))


_COUNTED_BEFORE = re.compile(r"([\u4e00-\u9fff]{2,12}?)(?:一共|共|总共)?(?:有|是|为)?(?:几|多少)条(?=[？?，,、。；;]|$)")


def _records_counted(text: str) -> bool:
    """"企业信用承诺有多少条": records of a thing the document speaks of are counted, not its articles ("这个办法一共
    有多少条", "第三章有几条": what is named before is the document or a part of it)."""
    for clause in re.split(r"[，,；;？?]", text):
        m = _COUNTED_BEFORE.search(clause)
        if m is None:
            continue
        before = re.sub(r"(?:[的里中内有是共了]|一共|总共)+$", "", m.group(1))
        # ("下面分了几条", "一共列了多少条": how the text itself is divided)
        if before and not before.endswith((*vocabulary().kind_words, *POINTING, "文件", "章", "节", "部分", "附件", "分", "列", "设", "下面")):
            return True
    return False


_ONE_ASKED = re.compile(r"具体(?:是|指)(?=哪(?!几|些)|谁)")


def answer_type(text: str) -> str:
    """The kind of answer asked for (vocabulary question words, checked in a fixed order)."""
    q = vocabulary().question
    text = plain_asking(text)
    has = {kind: any(w in text for w in words) for kind, words in q.items()}
    has["structure"] = any(w in text for w in q["structure"] if w not in _OUTLINE_WORDS) or bool(_OUTLINE_ASKED.search(text))
    # ("有什么变化" compares, it lists nothing; "具体是哪家公司" asks one)
    has["list"] = any(w in _ONE_ASKED.sub("", _CHANGE.sub("", text)) for w in q["list"])
    counting = bool(_ASK_COUNT.search(text)) or has["quantity"] or _in_a_measure(text)
    which = bool(_WHICH_N.search(text) or _THOSE_N.search(text))  # "哪八方面", "哪几条", "哪些": which items
    # (issued in the future, "那个纲要计划啥时候出台", is a thing the document speaks of: a document in hand was issued)
    issued = re.search(r"印发|发布|出台|下发|制定|签发", text) and not _FUTURE_ISSUE.search(text)
    credited = re.search(r"谁|哪位", text) and any(r in text for r in vocabulary().metadata.credit_roles)
    if has["metadata"] or credited or _DELIVERED_BY.search(text) or _MEETING_ASKED.search(text) or issued and (
        has["date"] or re.search(r"哪个部门|哪个单位|什么机构|谁|哪位|哪天|何时|什么时候", text)
    ) and not _issues_other(text):
        return "metadata"
    if has["date"] and "多少" not in text and not _ASK_COUNT.search(text):
        return "date"
    # "多少条专线" counts things the text names, not a document's articles ("共有多少条", "几条措施")
    counts_things = bool(
        _COUNTS_THINGS.search(text) or _MEASURES_COUNTED.search(text) or _records_counted(text) or _BIG_THINGS.search(text)
    ) and not any(
        w in text for w in vocabulary().question["structure"] if "条" not in w
    )
    if has["structure"] and counting and not which and not counts_things or re.search(
        section("reading")["whole_parts"], text
    ) or (
        re.search(r"第[一二三四五六七八九十百\d]+[条章]", text) and "规定" in text
    ):
        return "structure"
    if which or _NAMED_COUNT.search(text):  # "十件民生实事是什么": the things counted, listed
        return "list"
    if counting and _members_apart(text):  # "打了几场“保卫战”，都是什么": the members listed answer how many too
        return "list"
    if has["list"] and not re.search(r"哪几|哪些|包括|具体(?!是?(?:百分之)?(?:多少|几)|有多少)", text) and counting:
        return "quantity"  # "分别是多少", "具体是多少所", "具体是百分之多少": figures
    if has["list"] and not ("几" in text and not re.search(r"哪几", text) and counting):
        return "list"
    if counting:
        return "quantity"
    for kind in ("date", "yesno", "entity", "description"):
        if has[kind]:
            return kind
    return "fact"


_MEMBERS = re.compile(r"(?:都|分别)是(?:什么|哪)|具体是哪[些几]|都有(?:什么|哪)|有哪些|包括(?:什么|哪)")


def _members_apart(text: str) -> bool:
    """Whether a clause after one counting (几, 多少) asks which they are, and counts nothing itself ("…几场…，都是
    什么"; not one asking who, "具体是哪位")."""
    clauses = re.split(r"[，,；;]", text)
    counts = [bool(re.search(r"几|多少", c)) for c in clauses]
    return any(_MEMBERS.search(c) and not counts[i] and any(counts[:i]) for i, c in enumerate(clauses) if i)


def compared_years(text: str) -> set[int]:
    """The years a change asked of is measured from: "比2020年下降" -> {2020}, "比“十二五”多" -> 2011–2015 ("比2023年多
    多少" asks both years' figures)."""
    out: set[int] = set()
    for year, period, set_year, set_period in re.findall(section("reading")["compared_year"], text):
        year, period = year or set_year, period or set_period  # ("比2020年下降", or "与2020年相比")
        out |= {int(year)} if year else {y for _, (lo, hi) in vocabulary().period_years(period) for y in range(lo, hi + 1)}
    return out


def full_years(text: str) -> str:
    """A question's two-digit years written out ("20年政府工作报告" -> "2020年政府工作报告"); counts of years kept."""
    return re.sub(section("reading")["short_year"], r"20\1年", text)


def _unglued(word: str) -> str:
    """A word the segmenter glued to a particle ("要创几个" cut 要创; no word of general Chinese) or opened with an
    adverb ("又定的多少" cut 又定: 又 is jieba's adverb, d) without it; a word of the dictionary (要素, 了解, 还原)
    stays whole."""
    from assistant.index.segmenter import function_tag, word_count

    particles = "".join(section("reading")["particles"])
    if len(word) < 2 or not re.fullmatch(r"[\u4e00-\u9fff]+", word) or word_count(word):
        return word
    word = word.strip(particles)
    # (an adverb general Chinese writes as a word of its own: 又, 还, 也; not 常, which joins words: "经常办理")
    free = len(word) == 2 and function_tag(word[0]) == "d" and word_count(word[0]) >= FREE_ADVERB
    return word[1:] if free else word


FREE_ADVERB = 50_000  # jieba's count of a lone adverb, at least (又 150,749, 还 157,058; 常 13,042, 均 20,776)


def _counter_unglued(words: list[str]) -> list[str]:
    """Words after 多少/几 without the counter the segmenter glued to them ("多少名银龄律师" cut 名银龄, "几个托位"
    cut 个托位): a counter of the units, before a word that is none of general Chinese (项目 stays whole)."""
    from assistant.index.segmenter import word_count

    counters = {u for u in vocabulary().units if len(u) == 1 and "\u4e00" <= u <= "\u9fff"}
    out = list(words)
    for i in range(1, len(out)):
        w = out[i]
        if out[i - 1].endswith(("多少", "几")) and len(w) >= 3 and w[0] in counters and not word_count(w):
            out[i] = w[1:]
    return out


# (not "那几年": those years; "排进前几名" asks a rank)
ASKS_NUMBER = re.compile(r"多少|(?<![哪那这前近好])几(?!乎)|前几[名位强]|百分之几|多大|多高|多长|多久")
# which one is asked ("第几届", "这回是第几次"): answered by an ordinal ("第七届"), no word a passage says
ORDINAL_ASKED = re.compile(r"第\s*(?:几|多少)\s*[个次届批期轮项条章节部篇]?")


def content_terms(text: str) -> list[str]:
    """The question's content words (jieba search mode), without question words and punctuation."""
    from assistant.index.segmenter import lcut_for_search

    vocab = vocabulary()
    cleaned = re.sub(r"[“”\"《》？?，,。、：:（）()；;！!]", " ", vocab.compared_base.sub(" ", text))  # "比上年"
    cleaned = re.sub(r"((?:19|20)\d{2})\s*年", r" \1年 ", cleaned)  # "2025年全社会" is not "年全"
    cleaned = re.sub(section("reading")["asked_dimension"], " ", cleaned)  # "达到什么规模": 规模 is what is asked
    cleaned = re.sub(section("reading")["documents_counted"], " ", cleaned)  # "两份报告里": which documents
    cleaned = re.sub(section("reading")["pointed_part"], " ", cleaned)  # "回顾16年那部分": where it is said
    cleaned = ORDINAL_ASKED.sub(" ", cleaned)  # "这回是第几次": which one is asked, no word a passage says
    cleaned = re.sub(r"哪一(?=[\u4e00-\u9fff])", "哪", cleaned)  # "哪一项工作" asks which, not of 一项
    cleaned = re.sub(r"(多少钱|多[大高长久远])", r" \1 ", cleaned)  # "多大面积" asks 多大 of 面积, not of 大面积
    periods = sorted((name for name, _ in vocab.period_years(cleaned)), key=len, reverse=True)
    for name in periods:  # "回顾十三五时" is 回顾 + 十三五, not 十三 + 五时 (a plan period is one word)
        cleaned = cleaned.replace(name, " ")
    latin = re.findall(r"[A-Za-z][A-Za-z0-9&+.\-]*[A-Za-z0-9]", cleaned)  # GDP, R&D, 5G, PM2.5
    for word in latin:
        cleaned = cleaned.replace(word, " ")
    cut = _counter_unglued(lcut_for_search(cleaned))
    words = [norm(w) for w in (*latin, *periods)] + [_unglued(norm(w)) for w in cut]
    asking = section("reading")["asking"]  # a word holding an asking word ("哪位", "几时", "多少岁") says nothing a passage says
    kept = [
        w for w in dict.fromkeys(words)
        if w and w not in vocab.question_words and (len(w) >= 2 or w.isdigit()) and not any(a in w for a in asking)
        and not function_word(w)
    ]
    # "赤字率" cut as 赤字 + 率: the indicator keeps its ending (a rate is not the amount)
    endings = section("reading")["indicator_endings"]
    kept += [w + e for w in kept for e in endings if len(w) >= 2 and w + e in cleaned and w + e not in kept]
    # a word inside a longer kept word would count the same text twice
    return [w for w in kept if not any(w != o and w in o for o in kept)]


# function words that carry no content (jieba's part-of-speech tags): conjunctions, prepositions, particles,
# interjections, onomatopoeia, modal particles; pronouns that point or speak of a person ("这块", "咱们"; not "各地",
# "每年", "自身")
_FUNCTION_TAGS = frozenset({"c", "p", "u", "y", "e", "o"})
_POINTING = "这那哪咱我你他她它此"


_NOUN_TAGS = ("n", "j", "vn")  # jieba's nouns (n, nr, ns, nt, nz…), abbreviations, verbs used as nouns
_LATIN = re.compile(r"[a-z][a-z0-9.]*")


def names_a_thing(word: str) -> bool:
    """Whether a word names a thing: a noun of jieba's dictionary, a compound ending in one ("报销比例"), or a
    Latin name ("pm2.5", "gdp")."""
    from assistant.index.segmenter import lcut, word_tag

    if _LATIN.fullmatch(word):
        return True
    tag = word_tag(word)
    if tag is None and len(pieces := lcut(word)) >= 2:
        tag = word_tag(pieces[-1])
    return tag is not None and tag.startswith(_NOUN_TAGS)


def function_word(word: str) -> bool:
    """Whether a question word is a function word, no content a passage must hold."""
    from assistant.index.segmenter import function_tag

    tag = function_tag(word)
    return tag in _FUNCTION_TAGS or tag == "r" and word[0] in _POINTING


def _in_a_measure(text: str) -> bool:
    """"整治长度有几公里", "能存几吨": 几 with a measure after it asks a figure."""
    return bool(_measure_after_ji().search(text))


@functools.cache
def _measure_after_ji() -> re.Pattern[str]:
    """几 followed by one of vocab's measures (compiled once)."""
    units = "|".join(re.escape(u) for u in vocabulary().units if u not in ("%", "％", "‰"))
    return re.compile(rf"(?<![哪那这前近好第])几\s*(?:{units})")
