"""Two indicators asked together ("去年的经济增速和城镇新增就业分别是多少"): a sub-question for each, labelled by
its indicator, so that each is answered from its own statement and said to be missing when nothing states it."""

from __future__ import annotations

import re

from assistant.answering.asked import asked_places
from assistant.vocab import vocabulary

# the first conjunction joins the two; the asking words follow 分别/各 ("…和…分别是多少", "…与…各安排多少")
_JOINED = re.compile(
    r"^(?P<left>[^，,？?]+?)(?:和|与|及|以及|、)(?P<right>[^和与及、，,？?]+?)"
    r"(?P<tail>(?:分别|各自|各)[^，,？?]*?(?:多少|几|什么|怎么|怎样|如何)[^，,？?]*)$"
)
# the words before the first indicator end with one of these words ("2019年报告中去年的", "2023年", "对去年"): its
# context
_CONTEXT_END = ("的", "中", "里", "对", "年", "：", ":")


def indicator_parts(question: str) -> list[tuple[str, str]]:
    """(indicator, sub-question) for each of two indicators asked together; [] when the question does not join
    two indicators (places, years, documents or 今年/去年 joined are compared as such elsewhere)."""
    m = _JOINED.match(question.strip().rstrip("？?。 "))
    if m is None:
        return []
    left, second, tail = m.group("left"), m.group("right"), m.group("tail")
    from assistant.index.segmenter import lcut

    words = lcut(left)
    last = max((i for i, w in enumerate(words) if w.endswith(_CONTEXT_END)), default=-1)
    context, first = "".join(words[: last + 1]), "".join(words[last + 1 :])
    found, _ = asked_places(first, None)
    names = [n for p in found for n in (p.name, *p.aliases) if n and n in first]
    if names:  # "某省GDP和CPI": the place is context too
        cut = max(first.rfind(n) + len(n) for n in names)
        context, first = context + first[:cut], first[cut:]
    second = second.rstrip("要将需应")  # "…投资要分别完成多少": the modal goes with the asking words
    own = lcut(first)
    head = lcut(second)[1:]
    if len(own) > 1 and not head and len(second) <= 2:
        return []  # "…拥有量现状和目标": two things said of one indicator, not two indicators
    if len(own) == 1 and head:  # "原煤和天然气产量": one word joined to a phrase shares its head
        first += "".join(head)
    vocab = vocabulary()
    kinds = [w for words in vocab.kinds.values() for w in words]
    for part in (first, second):
        if len(part) < 2 or re.search(r"\d", part) or any(w in part for w in [*vocab.relative_years, *kinds]):
            return []
        found, national = asked_places(part, None)
        if found or national:
            return []
    # labelled by the indicator ("社会消费品零售总额的增长目标" -> 社会消费品零售总额)
    return [(part.split("的")[0] or part, f"{context}{part}{tail}") for part in (first, second)]

