"""The places a question names: divisions from the administrative-division table (a short name kept when it
is a province's or a place the collection speaks for), whether it speaks of the whole country, and whether it
speaks of a province's or city's own affairs without naming it."""

from __future__ import annotations

import re

from assistant.index.segmenter import lcut, word_count
from assistant.retrieval.routing import Catalog
from assistant.vocab import Place, places, section, vocabulary


def asked_places(text: str, catalog: Catalog | None) -> tuple[list[Place], bool]:
    """Divisions the question names, and whether it speaks of the whole country."""
    vocab = vocabulary()
    national = any(w in vocab.national_not_scope.sub("", text) for w in vocab.levels["national"])
    known = catalog.places if catalog else set()
    out: list[Place] = []
    spans: dict[str, tuple[int, int]] = {}  # where each chosen place is named
    named = places().find(text)
    named += [(at, text[at], [p]) for at, p in short_names(text, named)]
    for at, name, cands in sorted(named, key=lambda n: n[0]):
        if len(name) == 2 and len({c.code for c in cands if c.name == name}) >= 2 and name not in known:
            continue  # a two-character name several divisions share is a word ("中心城区", "郊区")
        cands = list({c.name: c for c in cands}.values())  # a municipality is a province and a city
        full = [c for c in cands if c.name == name]
        if full:
            chosen = full
        elif len(cands) == 1 and (cands[0].level == "province" or cands[0].name in known):
            chosen = cands  # a short name: a province's, or one of a place the collection speaks for
        elif len(cities := [c for c in cands if c.level == "city"]) == 1 and _clause_words(text, at)[:1] == [name]:
            chosen = cities  # a city's, leading a clause as a word of its own ("长沙今年GDP目标"; not "幸福安康")
        else:
            chosen = [c for c in cands if c.name in known][:1]
        for c in chosen[:1]:
            if c not in out:
                out.append(c)
                spans[c.name] = (at, at + len(name))
    # "某市某区": the district is the place; its city only narrows it down — unless the two are compared
    # ("某市和某省…分别")
    out = [p for p in out if not any(
        p.name in other.parents and not _joined(text, spans[p.name], spans[other.name]) for other in out if other is not p
    )]
    return out, national


def _clause_words(text: str, at: int) -> list[str]:
    """The first words of a clause opening at `at` (as the segmenter cuts them), or none where no clause opens."""
    return lcut(text[at : at + 10]) if at == 0 or text[at - 1] in "，,。？?；;：:" or text[at - 1].isspace() else []


def short_names(
    text: str, found: list[tuple[int, str, list[Place]]] | None = None
) -> list[tuple[int, Place]]:
    """Provinces named by a one-character short name where a place stands ("皖2025年…", "京、沪今年", "苏浙两省", and
    a follow-up asking the same of one: "那皖呢？"); `found` is the division table's find over the text, when done."""
    reading = section("reading")
    shorts = "".join(ch for chars in vocabulary().province_short.values() for ch in chars)
    common, before = reading["short_place_common"], reading["short_place_before"]
    after = rf"(?:{before}|{reading['short_place_before_also']}|[两三四五六几]?[省地]|呢)"
    start = r"(?:^|(?<=[，,。？?；;：:、\s和与及跟同那]))"
    out: list[tuple[int, Place]] = []
    # a run at a clause's start before a year or 省 ("沪去年", "苏浙两省"), or each of several joined ("京、沪今年")
    for m in re.finditer(rf"{start}([{shorts}]{{1,4}})(?=\s*{after})", text):
        run = m.group(1)
        if len(run) == 1 and run in common and not re.match(rf"\s*{before}", text[m.end() :]):
            continue  # "新经济", "云计算平台": an everyday character
        out += [(m.start(1) + i, p) for i, ch in enumerate(run) if (p := places().by_short(ch))]
    # a clause led by a short name the segmenter leaves a word of its own ("皖口岸货物吞吐量", "鄂300个项目"; not
    # "黑土地", "晋升", "闽台合作", which it joins into a word)
    # (not one of a list or a run, "（浙、川）", "川渝合作": those are read as such above)
    for m in re.finditer(rf"([{shorts}])(?![{shorts}]|\s*[、和与及])", text):
        words = _clause_words(text, m.start(1))
        # (before a figure or a word of the dictionary, not inside a phrase the segmenter cannot read: "藏|粮于|地")
        if m.group(1) not in common and words[:1] == [m.group(1)] and len(words) > 1 and (
                words[1][0].isascii() and words[1][0].isalnum() or len(words[1]) >= 2 and word_count(words[1]) > 0):
            out += [(m.start(1), p)] if (p := places().by_short(m.group(1))) else []
    joiner = r"\s*[、和与及跟同]\s*"
    for m in re.finditer(rf"{start}([{shorts}])(?=(?:{joiner}[{shorts}])+\s*{after})", text):
        if (p := places().by_short(m.group(1))) is not None:
            out.append((m.start(1), p))
    # (a full name holding a short character names its own place)
    taken = [(at, at + len(name)) for at, name, _ in (places().find(text) if found is None else found)]
    return sorted({at: (at, p) for at, p in out if not any(a <= at < b for a, b in taken)}.values(), key=lambda x: x[0])


def spelled_out(text: str) -> str:
    """The question with each province named by its one-character short name named by its usual name instead
    ("闽去年GDP"): searched as written, the rare character matches passages of other things ("闽台合作")."""
    for at, place in reversed(short_names(text)):
        name = next((a for a in place.aliases if len(a) >= 2), place.name)
        text = text[:at] + name + text[at + 1 :]
    return text


def local(text: str) -> bool:
    """Whether the question speaks of a province's or a city's own affairs ("全省", "我市", "市政府") without naming it."""
    scope = vocabulary().scope
    return any(w in text for w in (*scope["province"], *scope["city"])) or bool(_LOCAL_BODY.search(text))


_LOCAL_BODY = re.compile(r"[省市州县区]\s*(?:政府|委|人大|“十[一二三四五]五”)")


def _joined(text: str, a: tuple[int, int], b: tuple[int, int]) -> bool:
    """Whether two names of the text stand side by side joined as things compared ("甲和乙", "甲、乙")."""
    between = text[min(a[1], b[1]) : max(a[0], b[0])].strip()
    return between in vocabulary().facet_joiners
