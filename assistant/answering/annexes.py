"""A document's appendices (附件): how many it has and what each is, read from the headings ingest gives them
("附件 1" over its own title "某区域范围"); and the entry of its glossary (名词解释, often one of them) that defines a
term the question quotes."""

from __future__ import annotations

import re
from dataclasses import replace

from assistant.answering.candidates import Candidate
from assistant.answering.frame import QuestionFrame
from assistant.answering.outline import Heading, children, outline
from assistant.answering.structured import Sources
from assistant.models import Chunk
from assistant.text import count_word

_ANNEX = re.compile(r"^附\s*件\s*([\d一二三四五六七八九十]{0,2})\s*(.*)$")
# the appendices themselves asked about ("附了几个附件", "附件有哪些"), not what one of them says ("附件2有哪些范围")
_ASKS = re.compile(
    r"(?:几|多少|哪些|哪几)[个份项]?附件|附件(?:都|分别|一共|共)?(?:有哪些|有哪几|是什么|是啥|有啥|有几|分别是)|附了(?:几|多少|哪)"
)


def annex_units(frame: QuestionFrame, chunks: list[Chunk], sources: Sources) -> list[Candidate]:
    """"…后面附了几个附件？分别是什么？": each appendix of the document by its number and title, said how many
    first; [] when the question does not ask about appendices or the document has none."""
    if not _ASKS.search(frame.question):
        return []
    heads = outline(chunks)
    annexes = [h for h in children(heads, ()) if _ANNEX.match(h.title)]
    if not annexes:
        return []
    units = [_annex_unit(h, heads, sources) for h in annexes]
    return [replace(units[0], display=f"共{count_word(len(units))}个附件：{units[0].display}"), *units[1:]]


def _annex_unit(h: Heading, heads: list[Heading], sources: Sources) -> Candidate:
    """An appendix shown by its heading and, where the heading is only its number, the title under it."""
    m = _ANNEX.match(h.title)
    own = m.group(2).strip() if m else ""
    below = children(heads, h.path)
    title = own or (below[0].title if below else "")
    label = f"附件{m.group(1)}" if m else h.title  # ("附 件 1" as 附件1)
    shown = f"{label}：{title}" if title else label
    chunk = below[0].chunk if below and not own else h.chunk
    return Candidate(sources.index_of(chunk), chunk, shown, shown, "item")


_MEANING = re.compile(r"什么意思|啥意思|指什么|指的是什么|是指什么|指啥|什么含义|含义是|怎么解释|如何解释|怎么理解|什么概念")


def defined_term(frame: QuestionFrame, chunks: list[Chunk], sources: Sources) -> list[Candidate]:
    """"“编外院长”是什么意思": the line of the document that defines the quoted term ("12.“编外院长”：各级领导干部…",
    "2.分线管理：货物“一线”放开…", "“某某”是指…"); [] when the question asks no meaning or no line defines it."""
    if not frame.quoted or not _MEANING.search(frame.question):
        return []
    for chunk in chunks:
        for line in chunk.text.split("\n"):
            if any(_defines(line, q) for q in frame.quoted):
                return [Candidate(sources.index_of(chunk), chunk, line.strip(), line.strip(), "sentence")]
    return []


def _defines(line: str, term: str) -> bool:
    return bool(re.match(rf"\s*(?:\d+\s*[.．、]\s*)?[“\"]?{re.escape(term)}[”\"]?\s*(?:[：:]|是指|指的是|即)", line))
