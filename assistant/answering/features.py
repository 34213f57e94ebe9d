"""Readable features of a candidate unit for a question (one facet of it), fed to the fitted scorer.

Each feature is a number a person can check: how much of the question the unit says, whether it
holds the kind of answer asked for, whether its document and years fit what the question names,
where retrieval ranked it.
"""

from __future__ import annotations

import functools
import math
import re

from assistant.answering.candidates import Candidate
from assistant.answering.frame import QuestionFrame
from assistant.answering.terms import QuestionTerms
from assistant.answering.wording import ASKS_NUMBER, ORDINAL_ASKED
from assistant.models import Retrieved
from assistant.retrieval.routing import Scope
from assistant.text import norm, years_in
from assistant.vocab import places, section, vocabulary

FEATURES = (
    "coverage",  # IDF-weighted share of the question's terms in the unit itself
    "coverage_context",  # ... in the unit, its list's lead-in, its section path or its document title
    "rare_term",  # the question's rarest term is in the unit
    "rare_term_context",  # ... in the unit or its context
    "bigrams",  # share of the question's character bigrams in the unit (paraphrase-tolerant)
    "heading",  # share of the question's terms in the unit's section path
    "retrieval",  # the chunk's retrieval score relative to the best
    "first_rank",  # 1 / retrieval rank
    "figure_fit",  # a figure is asked for and the unit holds one
    "figure_missing",  # a figure is asked for and the unit holds none
    "measure_unit",  # the asked measure ("多少人") is written after a figure in the unit
    "list_fit",  # a list is asked for and the unit introduces or is part of one
    "date_fit",  # a date is asked for and the unit holds one
    "entity_fit",  # "哪个县/部门…" is asked and the unit names a place of that level or a body
    "scope_fit",  # how well the unit's document fits the places/years/documents the question names
    "year_hit",  # the unit (or its section) names an asked year
    "year_conflict",  # the unit names years, none of them asked
    "term_figure",  # a clause of the unit holds one of the question's key terms and a figure
    "quoted",  # a phrase the question quotes is in the unit
    "table_row",  # the unit is a table row
    "title_line",  # the unit is a short title line without a statement
    "length",  # log length of the unit
)
# a share written in words ("削减三分之二", "万分之一")
SHARE_IN_WORDS = r"[一二三四五六七八九十百千万]+分之[一二三四五六七八九十百千万]+"
# a round amount said about ("出境旅游近亿人次", "超万家", "数十亿元", "过“万亿”")
ROUND_AMOUNT = r"(?:近|超|逾|上|过|破|数|几)[“\"]?[十百千]?[万亿]"
_FIGURE = re.compile(
    r"(?<![\d年])\d+(?:\.\d+)?(?!\d*\s*年)|[一二三四五六七八九十百千万两]+(?:个|项|家|所|条|批|大|档|折|倍)"
    rf"|{SHARE_IN_WORDS}|一半"  # ("减少一半")
    rf"|{ROUND_AMOUNT}"
)
# a name holding digits ("PM2.5", "5G", "G20", "21世纪海上丝绸之路") states no figure
NAMED_WITH_DIGITS = re.compile(r"[A-Za-z]+[\d.]+[A-Za-z\d.]*(?:\s*[—–\-]\s*\d{2,4})?|\d+[A-Za-z]+[A-Za-z\d]*|\d+\s*世纪")
# a list item's own number ("2.", "（3）", "4、") is not a figure
ITEM_NUMBER = re.compile(r"^\s*(?:[（(]?\d{1,2}[）)]|\d{1,2}\s*[.．、](?!\d))")
_WHICH = re.compile(r"哪(?:个|些|一个|家)?\s*(省|市|县|区|州|乡镇|镇|村|街道|部门|单位|机构|企业|公司)")
_DATE = re.compile(r"(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月|\d{1,2}\s*月\s*\d{1,2}\s*日")
_CALENDAR = re.compile(r"(?:(?:19|20)\d{2}\s*年\s*)?\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?")  # "2022年3月23日", "3月"
_CLAUSE = re.compile(r"[，,；;。：:]")
_STATED_ORDINAL = re.compile(r"第\s*[\d一二三四五六七八九十百千零〇两]+")
_ORDINAL_OR_FIGURE = re.compile(f"{_STATED_ORDINAL.pattern}|{_FIGURE.pattern}")
# how long is asked ("用多长时间", "要搞几年", "多少个月"): a span of time answers ("今明两年", "用3年时间", "半年")
DURATION_ASKED = re.compile(r"多长时间|多久|(?:(?<![哪那这前近好第])几|多少)\s*个?\s*(?:年|月|天|周)(?![级度份底初末])")
_FIGURE_OR_SPAN = re.compile(
    rf"{_FIGURE.pattern}|(?<![\d.])\d{{1,2}}\s*(?:年|个月|天|周)(?!\d)|[一二两三四五六七八九十半]+个?(?:年|月|天|周)"
)
# which five-year plan is asked ("启动第几个五年普法规划"): answered by its name, “七五” (or 第七个)
_FIVE_YEAR_ASKED = re.compile(r"第\s*(?:几|多少)\s*个?\s*五年")
_PLAN_ORDINAL = re.compile(rf"{_STATED_ORDINAL.pattern}|[一二三四五六七八九十]{{1,3}}五[”\"」]?(?=[\u4e00-\u9fff]{{0,6}}(?:规划|计划|时期|期间))")


def stated_ordinal(question: str) -> re.Pattern[str]:
    """What states the ordinal a which-one question asks ("第几届": "第三届"; "第几个五年规划": also “七五”)."""
    return _PLAN_ORDINAL if _FIVE_YEAR_ASKED.search(question) else _STATED_ORDINAL


@functools.cache
def _figures_asked(question: str) -> re.Pattern[str]:
    """What states the figure a question asks: an ordinal where it asks which one ("第几届", "排第几"), either where
    it asks a number too ("有多少家？排第几？"), a span of time as well where it asks how long ("用多长时间": "今明两年",
    "用3年时间"), any figure otherwise."""
    if not ORDINAL_ASKED.search(question):
        return _FIGURE_OR_SPAN if DURATION_ASKED.search(question) else _FIGURE
    if _FIVE_YEAR_ASKED.search(question):
        return _PLAN_ORDINAL
    return _ORDINAL_OR_FIGURE if ASKS_NUMBER.search(ORDINAL_ASKED.sub("", question)) else _STATED_ORDINAL


def features(
    c: Candidate,
    frame: QuestionFrame,
    terms: QuestionTerms,
    retrieved: list[Retrieved],
    scope: Scope,
    doc_weights: dict[str, float],
    doc_year: int | None,
    relative: tuple[int, ...] = (),
    best: float | None = None,
) -> list[float]:
    """The feature vector of one candidate, in FEATURES order; `relative` holds the 今年/去年 offsets the
    question leaves to be resolved against the candidate's own document year; `best` the best retrieval
    score of `retrieved` when the caller scores many units of a long pool (computed here otherwise)."""
    body = norm(c.display if c.kind == "row" else c.text)
    heading = norm(" ".join(c.chunk.section))
    context = body + norm(c.chunk.title) + heading + norm(c.lead)
    total = sum(terms.weights.values()) or 1.0
    # (body and heading are parts of the context: a term the context never mentions is in neither)
    mentioned = [(t, w) for t, w in terms.weights.items() if terms.mentions(t, context)]
    covered = sum(w for t, w in mentioned if terms.has(t, body)) / total
    covered_ctx = sum(w for t, w in mentioned if terms.has(t, context)) / total
    in_heading = sum(w for t, w in mentioned if terms.has(t, heading)) / total
    bigrams = sum(g in body for g in terms.bigrams) / len(terms.bigrams) if terms.bigrams else 0.0
    r = retrieved[c.context]
    best = best or max((x.score for x in retrieved), default=1.0) or 1.0
    # a list number, a date or a document number (某发〔2022〕87号) is not a figure
    plain_text = _plain(c.text)
    figure = bool(_FIGURE.search(plain_text)) and not (c.kind == "row" and not any(_FIGURE.search(v) for _, v in c.cells))
    figures = _figures_asked(frame.question)  # ("第几届": said by an ordinal, "第三届")
    if figures is not _FIGURE:
        figure = bool(figures.search(plain_text))
    said_years = _years_of(c, doc_year)
    asked_years = set(scope.years) | ({doc_year + d for d in relative} if doc_year else set())
    list_like = c.kind in ("lead", "item") or "、" in c.text or c.text.count("；") >= 1
    return [
        covered,
        covered_ctx,
        float(bool(terms.rarest) and terms.has(terms.rarest or "", body)),
        float(bool(terms.rarest) and terms.has(terms.rarest or "", context)),
        bigrams,
        in_heading,
        r.score / best,
        1.0 / (c.context + 1),
        float(frame.wants_number and figure),
        float(frame.wants_number and not figure),
        float(bool(terms.measure) and figure and (terms.measure or "") in c.text),
        float(frame.answer_type == "list" and list_like),
        float(frame.answer_type == "date" and bool(_DATE.search(c.text))),
        float(_entity_fit(frame.question, c.text)),
        doc_weights.get(c.chunk.doc_id, 1.0) if doc_weights else 1.0,
        float(bool(asked_years & said_years)),
        float(bool(asked_years) and bool(said_years) and not asked_years & said_years),
        float(_term_figure(c.display, terms, figures)),
        float(any(norm(q) in body for q in frame.quoted)),
        float(c.kind == "row"),
        float(c.kind == "lead" and not c.text.rstrip().endswith(("：", ":"))),
        math.log1p(len(body)),
    ]


@functools.cache
def body_pattern(leading: bool = False) -> re.Pattern[str]:
    """A body's name: two characters or more before one of vocab's body endings ("省商务厅"); with `leading`, also the
    further bodies that answer who leads a task ("某海关", "…工作专班", "牵头单位")."""
    reading = section("reading")
    endings = [*reading["body_endings"], *(reading["leading_body_endings"] if leading else ())]
    named = "|".join(map(re.escape, endings))
    return re.compile(rf"[\u4e00-\u9fff]{{2,}}(?:{named})" + ("|(?:牵头|责任|成员|主管)单位" if leading else ""))


def _entity_fit(question: str, text: str) -> bool:
    """A "哪个县/哪个部门" question and a unit that names a division of that level or a body."""
    m = _WHICH.search(question)
    if not m:
        return False
    kind = m.group(1)
    if kind in ("部门", "单位", "机构", "企业", "公司"):
        return bool(body_pattern().search(text))
    return any(name.endswith(kind[-1]) for _, name, _ in places().find(text))


def _term_figure(text: str, terms: QuestionTerms, figures: re.Pattern[str] = _FIGURE) -> bool:
    """Whether one clause of the text holds both a key term of the question and a figure (an ordinal, where the
    question asks which one)."""
    key = [t for t in sorted(terms.weights, key=lambda t: -terms.weights[t])[:3] if not t.isdigit()]
    return any(figures.search(clause) and any(terms.has(t, flat) for t in key) for clause, flat in _clauses(text))


@functools.lru_cache(maxsize=1 << 16)
def _clauses(text: str) -> tuple[tuple[str, str], ...]:
    """A text's clauses, each as written and normalised (cached: the same units come back for every question)."""
    return tuple((clause, norm(clause)) for clause in _CLAUSE.split(text))


REVIEW_YEARS = 5  # a review section speaks of at most the five years before its document (a plan period)


def looks_back(c: Candidate, doc_year: int | None) -> bool:
    """Whether a unit speaks only of years before its document: before the plan period its title names, else
    before the document's year."""
    start, said = _start(c, doc_year), _years_of(c, doc_year)
    return start is not None and bool(said) and max(said) < start


def _start(c: Candidate, doc_year: int | None) -> int | None:
    """Where a unit's document begins: the first year of the plan period its title names, else its own year."""
    return _start_of(c.chunk.title, doc_year)


def _start_of(title: str, doc_year: int | None) -> int | None:
    """_start from a document's title and year."""
    periods = [lo for _, (lo, _) in vocabulary().period_years(title)]
    return min(periods) if periods else doc_year


@functools.lru_cache(maxsize=1 << 16)
def _plain(text: str) -> str:
    """A unit's text without what holds digits but is no figure: a list number, a date, a document number
    (某发〔2022〕87号), a name with digits. (Cached: the same units come back for every question.)"""
    return NAMED_WITH_DIGITS.sub("", vocabulary().doc_number.sub("", _CALENDAR.sub("", ITEM_NUMBER.sub("", text))))


def _years_of(c: Candidate, doc_year: int | None) -> frozenset[int]:
    """Years a unit speaks of: named in it or its section (a plan period as its years), and 今年/去年
    resolved against its document."""
    return _years_said(c.text, c.display, c.lead, tuple(c.chunk.section), c.chunk.title, c.dated, doc_year)


@functools.lru_cache(maxsize=1 << 16)
def _years_said(
    text: str, display: str, lead: str, path: tuple[str, ...], title: str, opens: int | None, doc_year: int | None
) -> frozenset[int]:
    """_years_of for a unit's own words, its section path, its document's title, the year its part opens with and its
    document's year (cached: the same units come back for every question)."""
    vocab = vocabulary()
    heading = " ".join(path)
    own = years_in(display)
    if doc_year:  # 今年/去年 in the unit, its list's lead-in ("今年发展主要预期目标是：") or its section ("过去一年…回顾")
        own |= {doc_year + d for d in vocab.relative_in(f"{text} {lead} {heading}").values()}
        own |= {doc_year} & years_in(heading)  # a report's "二、2024年…总体要求" heading
    # a plan period in the section speaks of its years; one the unit only mentions ("与“十四五”规划相衔接") does
    # when nothing dates the unit more closely, nor its section a year up to its document's ("一、2024年工作回顾" of a
    # 2025 report: "为“十四五”末…打下基础"; not a target year, "2035年远景目标")
    dated = bool(doc_year) and any(y <= (doc_year or 0) for y in years_in(heading))
    periods = vocab.period_years(heading) + (vocab.period_years(display) if not own and not dated else [])
    said = own | years_in(heading)
    for _, (lo, hi) in periods:
        said.update(range(lo, hi + 1))
    if not said and opens is not None:  # the year the part it stands in opens with ("2024年是…")
        said = {opens}
    start = _start_of(title, doc_year)
    if not said and start is not None and any(w in heading for w in section("reading")["review_headings"]):
        # (before the plan period its title names: a 十四五 plan reviews 十三五; else before the document's year)
        said = set(range(start - REVIEW_YEARS, start))
    return frozenset(said)
