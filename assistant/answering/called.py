"""Whether the units chosen for a facet say what a thing is called ("这艘邮轮叫啥名字") or who holds a role it asks
("实验室主任是谁"): a statement saying the thing is, or was set up, names neither."""

from __future__ import annotations

import re
from functools import cache

from assistant.answering.candidates import Candidate
from assistant.text import norm
from assistant.vocab import section

# a thing's name asked ("这艘邮轮叫啥名字", "那个平台的名称是什么"): the two characters before the asking words are the
# thing's head word
_NAME_ASKED = re.compile(
    r"((?!的)[\u4e00-\u9fff]{2})[，,]?(?:都|分别|各自|各|具体|全称|的名字|的名称)?"
    r"(?:叫(?:啥|什么)(?:名字|名)?|(?:名字|名称)(?:是|叫)(?:啥|什么))"
)
_QUOTED = re.compile(r"“([^”]{2,})”|《([^》]{2,})》")
_NAME_FILLERS = ("各自", "分别", "具体", "全称", "名字", "名称")
_TWO_CHARS = re.compile(r"[\u4e00-\u9fff]{2}")
_CODE_AFTER = re.compile(r"[\u4e00-\u9fff]{0,3}[-—A-Za-z0-9]*[A-Za-z0-9]")


def name_unsaid(asked: str, chosen: list[Candidate]) -> bool:
    """A thing's name asked answered by statements giving none: they quote no name the question does not give
    ("“优羲慧眼”发布运行"), and the thing's head word follows no two characters the question does not say ("燕赵钢铁实验室"
    names "省实验室"; "成功设置首所本科层次公办职业大学" does not name "第一所公办本科职业大学") and comes before no code
    ("隐身战机歼-35A"). They say it is, not what it is called."""
    m = _NAME_ASKED.search(asked)
    if not chosen or m is None or m.group(1) in _NAME_FILLERS:  # ("…的圈，各自叫啥": no head word said)
        return False
    head, own = m.group(1), norm(asked)
    for u in chosen:
        text = u.display
        at = [h.start() for h in re.finditer(re.escape(head), text)]
        for q in _QUOTED.finditer(text):  # (a quoted name near the head word, or anywhere when it is not said)
            near = not at or any(q.start() - 8 <= h <= q.end() + 6 for h in at)
            if near and norm(q.group(1) or q.group(2)) not in own:
                return False
        for h in at:
            before = text[max(0, h - 2) : h]
            after = _CODE_AFTER.match(text, h + len(head))  # (a model's code after it: "隐身战机歼-35A")
            if _TWO_CHARS.fullmatch(before) and norm(before) not in own or after and norm(after.group()) not in own:
                return False
    return True


def person_unnamed(asked: str, chosen: list[Candidate]) -> bool:
    """A person asked by the role held ("实验室主任是谁", "首任董事长是谁", "哪位科学家的团队搞的") answered by statements
    that never say the role: a name is given with it ("召集人：甲乙", "由市政府主要领导任总链长", "甲院士团队"); one
    that says the thing was set up, launched or won names no one."""
    asked_roles = [r for r, by in _role_asked() if by.search(asked)]
    if not chosen or not asked_roles:
        return False
    return not any(r in norm(u.display) for u in chosen for r in asked_roles)


@cache
def _role_asked() -> list[tuple[str, re.Pattern[str]]]:
    """Each role of vocab's person_roles with how a question asks who holds it ("主任是谁", "哪位科学家"), compiled once."""
    return [
        (r, re.compile(rf"{re.escape(r)}[^，,。？?]{{0,6}}(?:谁|哪位)|(?:谁|哪位)[^，,。？?]{{0,6}}{re.escape(r)}"))
        for r in section("reading")["person_roles"]
    ]
