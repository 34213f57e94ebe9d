"""The question frame's types: the frame of a question and its facets (what parse_question in frame.py builds)."""

from __future__ import annotations

from dataclasses import dataclass, field

from assistant.retrieval.routing import Scope


@dataclass
class Facet:
    """One part of a question that is answered on its own, with the label its answer line carries."""

    label: str
    scope: Scope
    text: str = ""  # for a sub-question: its own words
    relative: tuple[int, ...] = ()  # 今年/去年 offsets, resolved against each source's document year
    shared: bool = True  # the rest of the question is its topic too (not for one of two indicators asked together)


@dataclass
class QuestionFrame:
    """What a question asks for and what it is about."""

    question: str
    answer_type: str
    terms: list[str]  # content words, in order
    scope: Scope  # everything the question names together
    facets: list[Facet] = field(default_factory=list)  # two or more when parts must be answered apart
    quoted: list[str] = field(default_factory=list)  # phrases the question quotes (a named list, a slogan)
    relative: dict[str, int] = field(default_factory=dict)  # 去年 -> -1, resolved against a document's year
    national: bool = False
    wants_number: bool = False  # a figure answers it (a quantity, or "定了什么目标")
    # places it names, 今年/去年 and words of a document's form (草案, 报纸): scope, not content
    scope_words: frozenset[str] = frozenset()
    enumerates: bool = False  # it asks for several parallel statements ("市、县、乡镇…分别有什么要求")
    unheld_numbers: tuple[str, ...] = ()  # 文号 it names that no document of the collection has

    @property
    def multi(self) -> bool:
        """True when the answer must cover several facets, each labelled."""
        return len(self.facets) >= 2
