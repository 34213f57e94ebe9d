"""A question asking several things, split into sub-questions: two indicators asked together ("去年的经济增速和
城镇新增就业分别是多少"), or several asking parts ("…是多少？…呢？"). Each is labelled by what it asks about, answered
from its own statement and said to be missing when nothing states it."""

from __future__ import annotations

import re

from assistant.answering.asked import asked_places
from assistant.answering.followup import rewrite
from assistant.retrieval.routing import DOCUMENT_KINDS
from assistant.vocab import vocabulary

# the first conjunction joins the two; the asking words follow 分别/各 ("…和…分别是多少", "…与…各安排多少")
_JOINED = re.compile(
    r"^(?P<left>[^，,？?和]+?)(?:和|与|及|以及|、)(?P<right>[^和与、，,？?]+?)"
    r"(?P<tail>(?:(?:到|在)?(?:19|20)\d{2}年(?:底|末)?的?[^，,？?]*?)?"  # ("…到2025年的产业规模目标各是多少")
    r"(?:分别|各自|各)[^，,？?]*?(?:多少|几|什么|怎么|怎样|如何)[^，,？?]*)$"
)
# the words before the first indicator end with one of these words ("2019年报告中去年的", "2023年", "对去年"): its
# context
_CONTEXT_END = ("的", "中", "里", "对", "年", "：", ":")
_A_YEAR_WORD = re.compile(r"(?:\d+|[去今明前]|上一?)年")  # "2025年", "去年": a word ending the context


_EACH = re.compile(r"(?:分别|各自|各)")
_COUNTED_BACK = re.compile(r"(?:这|那)?(?:两|俩)(?:个|项|类|种|家|大)?")


def indicator_parts(question: str) -> list[tuple[str, str]]:
    """(indicator, sub-question) for each of two indicators asked together; [] when the question does not join
    two indicators (places, years, documents or 今年/去年 joined are compared as such elsewhere)."""
    text = question.strip().rstrip("？?。 ")
    lead, _, asked = text.rpartition("，")  # "2023年报告里，赤字率和专项债各安排了多少": the clause before is context
    if lead and (parts := indicator_parts(asked)):
        return [(indicator, f"{lead}，{part}") for indicator, part in parts]
    if lead and _EACH.match(asked):  # "…进博会和世界军人运动会，分别是第几届": the two are joined before the comma
        return indicator_parts(f"{lead}{asked}")
    m = _JOINED.match(text)
    if m is None:
        return []
    left, second, tail = m.group("left"), m.group("right"), m.group("tail")
    from assistant.index.segmenter import lcut

    words = lcut(left)
    # (a word that only ends so, "集中" of "污水集中收集率", is the indicator's own)
    last = max((i for i, w in enumerate(words) if w in _CONTEXT_END or _A_YEAR_WORD.fullmatch(w)), default=-1)
    context, first = "".join(words[: last + 1]), "".join(words[last + 1 :])
    found, _ = asked_places(first, None)
    names = [n for p in found for n in (p.name, *p.aliases) if n and n in first]
    if names:  # "某省GDP和CPI": the place is context too
        cut = max(first.rfind(n) + len(n) for n in names)
        context, first = context + first[:cut], first[cut:]
    second = second.rstrip("要将需应")  # "…投资要分别完成多少": the modal goes with the asking words
    # (the two counted back, "甲和乙这两个产业到2025年的规模各多少": what follows the count is asked of both)
    back = _COUNTED_BACK.search(second)
    if counted := back is not None and back.start() >= 2:
        rest = lcut(second[back.end() :])
        second, tail = second[: back.start()], "".join(rest[1:]) + tail
    own = lcut(first)
    head = lcut(second)[1:]
    if len(own) > 1 and not head and len(second) <= 2 and not counted:
        return []  # "…拥有量现状和目标": two things said of one indicator, not two indicators
    if len(own) == 1 and head and not first.endswith("".join(head)):  # "原煤和天然气产量": one word joined to a
        # phrase shares its head (not a word that has it already: "粮食产量和棉花产量")
        first += "".join(head)
    vocab = vocabulary()
    kinds = vocab.kind_words
    for part in (first, second):
        if len(part) < 2 or re.search(r"\d", part) or any(w in part for w in [*vocab.relative_years, *kinds]):
            return []
        found, national = asked_places(part, None)
        if found or national:
            return []
    # labelled by the indicator ("社会消费品零售总额的增长目标" -> 社会消费品零售总额)
    return [(part.split("的")[0] or part, f"{context}{part}{tail}") for part in (first, second)]


# where a sub-question starts asking ("…是多少", "…有哪些", "…是什么属性"), and the words that lead into it
_ASKING = re.compile(r"(?:是|为|有|要|将|需|达到|到|提出了?|定了?|的)*(?:多少|几|什么|哪|如何|怎么|怎样|吗)")
_DOCUMENT = re.compile(rf"^.*?(?:{DOCUMENT_KINDS})(?:中|里|提出的?|对)?")  # the document asked of
_YEARS = re.compile(r"(?:19|20)\d{2}年")
_LEADING = re.compile(r"^(?:(?:19|20)\d{2}年|的)+")


def part_indicator(part: str) -> str:
    """What one sub-question asks about, to label its answer: its last clause up to the asking words, without
    the places, years and 今年/去年 that scope it ("某省今年城镇新增就业目标是多少" -> 城镇新增就业目标;
    "是什么属性" -> 属性); "" when nothing is left."""
    clause = re.sub(r"呢[？?]?$", "", re.split(r"[，,：:]", part)[-1])  # "…？粮食产量呢？" asks 粮食产量
    m = _ASKING.search(clause)
    head = clause[: m.start()] if m else clause
    if m and not head.strip():  # the asking words come first: "是什么属性"
        head = clause[m.end() :]
    found, _ = asked_places(head, None)
    for word in sorted({*vocabulary().relative_years, *(n for p in found for n in (p.name, *p.aliases) if n)},
                       key=len, reverse=True):
        head = head.replace(word, "") if len(word) >= 2 else head
    head = _YEARS.sub("", _DOCUMENT.sub("", head))  # "公共服务规划中…2025年目标" -> …目标
    return _LEADING.sub("", head).strip("“”\"' 的")


_COMPARES = re.compile(r"(?:那么|那)?(?:哪个|哪一个|谁|哪里|哪家|哪个省|哪个市)?的?(?:更|最|比较)?(?:高|低|多|少|快|慢|大|小)(?:一些|些)?"
                       r"|(?:是否|有没有)?(?:一样|一致|相同|不同)(?:吗|呢)?|(?:差|相差)(?:多少|几个百分点)|[高低多少快慢]还是[高低多少快慢]")
_NAMES_OF = re.compile(r"(?:各|分别|都)(?:自)?(?:叫|是|为)?(?:什么|啥|哪些)(?:名字|名称|标题)?")
_ASKED_END = re.compile(r"(?:(?<=多少)|(?<=什么)|(?<=哪些)|(?<=哪个)|(?<=几个)|(?<=几项)|(?<=如何))[，,、]")


def _after_asked(piece: str) -> list[str]:
    from assistant.answering.wording import content_terms

    parts = _ASKED_END.split(piece)
    out = [parts[0]]
    for p in parts[1:]:
        if content_terms(p) and not _COMPARES.fullmatch(p.strip()):
            out.append(p)
        else:
            out[-1] = f"{out[-1]}，{p}"
    return out


ELLIPTICAL = re.compile(r"[^？?；;，,]{1,16}呢(?=[？?]|$)")  # "2023年呢", "某省呢"
# a follow-up naming only where to look ("甲省报告咋说的", "乙省报告里有说吗"): the source asked of, no part of its own
# (not one comparing another, "15年报告又咋说的", nor one naming a year, "24年报告怎么说的": that may be another report)
_SOURCE_ONLY = re.compile(
    r"(?![^又各分年\d]*[又各分年\d])[^，,？?]{0,16}?(?:报告|规划|纲要|文件|方案|意见|通知|办法)(?:里|中|上)?(?:是)?"
    r"(?:(?:咋|怎么|如何|怎样)(?:说|讲|写|提|表述)的?|(?:有没有|有)(?:说|提|讲|写)(?:到|过)?(?:吗)?)(?:呢)?"
)


_ASIDE = re.compile(r"[（(][^（）()]*[）)]")


def sub_questions(text: str) -> list[str]:
    """"…多少？…多少？" or "…是多少，…是多少": the asking parts, each with a question word of its own."""
    vocab = vocabulary()
    asks = [w for words in vocab.question.values() for w in words] + ["什么", "哪", "几", "多少", "吗", "还是"]
    pieces = [p.strip() for p in re.split(r"[？?；;]|，(?:以及|另外|同时|还有)", text) if p.strip()]
    # "某省去年GDP多少，今年预期增速定的多少": a clause ending in its question word is a question of its own, and
    # so is the clause after it when it asks about words of its own ("…有哪些措施，分别是什么" is one question)
    pieces = [q.strip() for p in pieces for q in _after_asked(p)]
    pieces = [p for p in pieces if not _ASIDE.fullmatch(p)]  # "…是多少？（报告里说没达到）": a remark, no part
    asking: list[str] = []
    for p in pieces:
        if asking and (_COMPARES.fullmatch(p) or _NAMES_OF.fullmatch(p) or _SOURCE_ONLY.fullmatch(p)):
            continue  # "…分别是多少？哪个更高？": a comparison of the answers; "…分了几节？各叫什么？": what is counted
        if len(p) >= 4 and any(w in p for w in asks):
            asking.append(p)
        elif asking and ELLIPTICAL.fullmatch(p):  # "…赤字率是多少？2023年呢？": the part before, asked of 2023
            asking.append(rewrite(p, asking[-1]).rstrip("？?"))
    return asking if len(asking) >= 2 else []
