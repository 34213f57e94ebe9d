"""Offline rewriting of a follow-up into a standalone question: the inherited subject filled in.

A question is read as  prefix (time, place, scope, document) + subject + frame (predicate + asking word):
"到2025年全市 | 市场主体数 | 要达到多少万户". A follow-up replaces the parts it names ("那2030年呢？"
replaces the time, "那新增就业呢？" the subject), fills in what it points back at ("其中哪些…",
"这个规划…"), or takes the previous subject when it has none of its own ("具体是多少？").
A question that stands on its own is returned unchanged. The words come from the vocabulary
(assistant/data/vocab.toml, table follow_up; plan periods and scope words; places from the division table).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from assistant.vocab import places, section, vocabulary

_END = "？?。.！!；;，, \u3000\t\n"
_CJK = r"\u3400-\u9fff"


def _alternation(items: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(items, key=len, reverse=True))


def words(key: str) -> list[str]:
    """One word list of the vocabulary's follow_up table."""
    return list(section("follow_up")[key])


@dataclass(frozen=True)
class _Patterns:
    time: re.Pattern[str]
    scope: re.Pattern[str]
    document: re.Pattern[str]
    frame: re.Pattern[str]
    asking_inside: re.Pattern[str]
    head: re.Pattern[str]


@cache
def _patterns() -> _Patterns:
    vocab = vocabulary()
    periods = _alternation(list(vocab.periods))
    lead_ins = _alternation(words("time_lead_ins"))
    relative = _alternation(list(vocab.relative_years))
    time = re.compile(
        rf"(?:{lead_ins})?(?:(?:19|20)\d{{2}}\s*年(?:底|末)?|“?(?:{periods})”?(?:时期|期间|末|期末)?|{relative})(?:的)?"
    )
    scope = re.compile(rf"(?:{_alternation(sorted({w for ws in vocab.scope.values() for w in ws}))})")
    # words that end a document's title, but not those that also ask or head a subject (计划, 措施)
    shared = set(words("adverbs")) | {h for w in words("heads") for h in (w, w[-2:])}
    kinds = _alternation(sorted({w for ws in vocab.kinds.values() for w in ws if w not in shared}))
    document = re.compile(rf"(?:《[^》]{{1,40}}》|[{_CJK}“”\"]{{2,30}}?(?:{kinds}))(?:中|里)?(?:提出的|的)?")
    asking = _alternation(words("asking"))
    frame = re.compile(
        rf"(?:{_alternation(words('adverbs'))})*"
        rf"(?:{_alternation(words('predicates'))})?"
        rf"(?:{asking})(?P<unit>[{_CJK}%]{{0,3}}?)(?:呢|吗)?$"
    )
    asking_inside = re.compile(rf"(?:{asking}|哪[{_CJK}]?)")
    head = re.compile(rf"(?P<de>的)?(?P<head>{_alternation(words('heads'))})$")
    return _Patterns(time, scope, document, frame, asking_inside, head)


def _place(text: str) -> str | None:
    """An administrative division named at the very start of the text (from the division table), or the whole
    country ("全国", "国家" as a scope, not "国家级")."""
    found = places().find(text[:12])
    if found and found[0][0] == 0:
        return found[0][1]
    vocab = vocabulary()
    national = next((w for w in vocab.levels["national"] if text.startswith(w)), None)
    return national if national and not vocab.national_not_scope.match(text) else None


def _above(place: str, scope: str) -> str:
    """The division above a place that a scope word names ("全市" of a district: its city), else the word itself."""
    levels = {level for level, ws in vocabulary().scope.items() if scope in ws}
    for found in places().lookup(place)[:1]:
        for parent in reversed(found.parents):  # the nearest first
            if any(p.level in levels for p in places().lookup(parent)):
                return parent
    return scope


@dataclass
class _Parts:
    prefix: list[tuple[str, str]]  # (kind, text) in order: time, scope, place, document
    subject: str
    frame: str  # predicate + asking word (+ unit), "" when the asking word sits inside the subject
    unit: str = ""

    def prefix_text(self) -> str:
        return "".join(text for _, text in self.prefix)


def _prefix(text: str) -> tuple[list[tuple[str, str]], str]:
    """Leading time, scope, place and document words, and the rest."""
    p = _patterns()
    found: list[tuple[str, str]] = []
    rest = text
    while rest:
        place = _place(rest)
        if place:
            found.append(("place", place))
            rest = rest[len(place):]
            continue
        for kind, pattern in (("time", p.time), ("scope", p.scope), ("document", p.document)):
            m = pattern.match(rest)
            if not m or (kind == "document" and len(m.group(0)) >= len(rest)):
                continue  # (the whole question is no document name)
            found.append((kind, m.group(0)))
            rest = rest[m.end():]
            break
        else:
            break
    return found, rest


def _parse(question: str) -> _Parts:
    text = question.strip().rstrip(_END)
    prefix, rest = _prefix(text)
    m = _patterns().frame.search(rest)
    if m and m.start() > 0:
        return _Parts(prefix, rest[: m.start()], rest[m.start():], m.group("unit") or "")
    return _Parts(prefix, rest, "")


def _strip_openers(text: str) -> str:
    text = text.strip().rstrip(_END)
    openers = sorted(words("openers"), key=len, reverse=True)
    changed = True
    while changed:
        changed = False
        for w in openers:
            if text.startswith(w) and len(text) > len(w):
                text, changed = text[len(w):].lstrip("，, "), True
    return text


def _topic(parts: _Parts) -> str:
    """What a question is about: its prefix and subject, without the asking words."""
    subject = parts.subject if parts.frame else _patterns().asking_inside.sub("", parts.subject)
    return parts.prefix_text() + subject


def _own_words(text: str) -> str:
    """What a follow-up says of its own: without asking words, predicates, fillers and punctuation."""
    for key in ("asking", "predicates", "adverbs", "fillers"):
        for w in sorted(words(key), key=len, reverse=True):
            text = text.replace(w, "")
    return re.sub(rf"[^{_CJK}A-Za-z0-9]", "", text)


def _merge_prefix(old: list[tuple[str, str]], new: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The previous prefix with each kind the follow-up names replaced (or added at the front)."""
    merged = list(old)
    for kind, text in new:
        at = next((i for i, (k, _) in enumerate(merged) if k == kind), None)
        if at is None:
            merged.insert(0, (kind, text))
            continue
        lead_ins = _alternation(words("time_lead_ins"))
        lead = re.match(lead_ins, merged[at][1])
        if kind == "time" and lead and not re.match(lead_ins, text):
            text = lead.group(0) + text  # "到2025年" + "那2030年呢？" -> "到2030年"
        merged[at] = (kind, text)
    return merged


def _replace(previous: _Parts, named: str) -> str:
    """A "那X呢？" follow-up: X's time/place/document words and subject take the previous ones' places."""
    new_prefix, new_subject = _prefix(named)
    place = next((t for k, t in previous.prefix if k == "place"), None)
    if place and not any(k == "place" for k, _ in new_prefix):
        # "某区…？全市的呢？": the scope word stands for the place's city, and takes the place's place
        new_prefix = [("place", _above(place, t)) if k == "scope" else (k, t) for k, t in new_prefix]
    prefix = "".join(t for _, t in _merge_prefix(previous.prefix, new_prefix))
    if not new_subject:
        return prefix + previous.subject + previous.frame + "？"
    head = _patterns().head.search(previous.subject)
    if head and not _patterns().head.search(new_subject):
        new_subject += (head.group("de") or "") + head.group("head")
    if not previous.frame:
        return f"{prefix}{new_subject}的情况如何？"
    frame = previous.frame[: len(previous.frame) - len(previous.unit)] if previous.unit else previous.frame
    return prefix + new_subject + frame + "？"


def rewrite(question: str, previous: str) -> str:
    """The follow-up `question` as a standalone question, given the (standalone) previous question."""
    original = question.strip()
    text = _strip_openers(original)
    prev = _parse(previous)
    if not text:
        return previous
    # "那X呢？": X replaces what it names
    if text.endswith("呢") and not _patterns().asking_inside.search(text[:-1]):
        return _replace(prev, text[:-1].rstrip("的"))
    # "其中哪些…", "这个规划的…": the pointer becomes what it points at
    for ref in sorted(words("references"), key=len, reverse=True):
        if text.startswith(ref):
            rest = text[len(ref):]
            has_document = any(k == "document" for k, _ in prev.prefix)
            named = [t for k, t in prev.prefix if k in ("place", "document")] if has_document else []
            if "规划" in ref or "文件" in ref:
                target = re.sub(r"(?:中|里)?(?:提出的|的)?$", "", "".join(named)) if named else _topic(prev)
            else:
                target = _topic(prev) + ("中" if ref == "其中" else "")
            return target + rest + _ending(original)
    own = _own_words(text)
    leads_with_predicate = _patterns().frame.match(text) is not None or text.startswith(
        tuple(words("predicates")) + tuple(words("adverbs"))
    )
    if len(own) <= 3 or leads_with_predicate:
        if text.startswith("请"):
            return text + _topic(prev) + "。"
        return _topic(prev) + text + _ending(original)
    return original


def _ending(question: str) -> str:
    tail = question.strip()[-1:] if question.strip() else ""
    return tail if tail in "？?。." else "？"


def standalone(question: str, history: Sequence[tuple[str, str]]) -> str:
    """The question made standalone through the whole conversation (each earlier question rewritten first)."""
    previous = ""
    for asked, _ in history:
        previous = rewrite(asked, previous) if previous else asked.strip()
    return rewrite(question, previous) if previous else question.strip()
