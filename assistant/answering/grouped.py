"""Whether the figure chosen is a group's, not the one named thing's asked about: "甲基地总投资多少" answered by "…乙集群、
甲基地等5500个重大项目建设，年度投资7200亿元以上", which names the thing only among others, the figure their total."""

from __future__ import annotations

import re

from assistant.answering.candidates import Candidate
from assistant.answering.figures import holds_figure
from assistant.answering.terms import QuestionTerms
from assistant.text import norm

# a total asked ("一共投了多少", "这些项目加起来", "各多少"): the group's figure is what is asked
_TOTAL_ASKED = re.compile(r"一共|总共|合计|加起来|累计|这些|这几|全部|总计|共计|各|分别|整体|总体")
# the end of a list of named things with their count ("等5500个重大项目", "等十大工程", "等一批")
_GROUP_END = re.compile(
    r"等\s*(?:\d[\d.,]*\s*[万千百亿]?|[一二三四五六七八九十百千两几]+)\s*(?:个|项|家|所|条|批|座|处|大|类|件)"
)
REACH = 40  # characters from the thing named to the group's count, at most
KIND_REACH = 8  # characters after the count that name the group's kind ("等4大功能类平台")
_ITEM = re.compile(r"[、，,；;：:]")


def group_figure(asked: str, chosen: list[Candidate], terms: QuestionTerms, wants_number: bool) -> bool:
    """A figure asked of one thing, answered by statements that name the rarest of the question's words only as an
    item of a list ending with the count of its things ("、甲基地等5500个项目"), with no figure of its own in its item
    or between it and the count: the figures that follow are the group's. Not when the word names the group's kind
    ("…等4大功能类平台": the count is asked), nor when a total is asked."""
    rarest = terms.rarest
    if not wants_number or not chosen or rarest is None or _TOTAL_ASKED.search(asked):
        return False
    found = False
    for u in chosen:
        text = norm(u.display)
        at = [m.start() for m in re.finditer(re.escape(rarest), text)]
        if not at:
            continue
        ends = [m.end() for m in _GROUP_END.finditer(text)]
        for i in at:
            if any(e <= i <= e + KIND_REACH for e in ends):
                return False  # (the word names the group's kind)
            item = max((m.end() for m in _ITEM.finditer(text, 0, i)), default=0)
            clause = re.split(r"[，,。；;！!？?]", text[i:], maxsplit=1)[0][: REACH + len(rarest)]
            end = _GROUP_END.search(clause)
            listed = end is not None and ("、" in text[max(0, item - 1) : item] or "、" in clause[: end.start()])
            if end is None or not listed or holds_figure(text[item:i]) or holds_figure(clause[len(rarest) : end.start()]):
                return False  # (the thing named on its own, or with a figure of its own)
        found = True
    return found
