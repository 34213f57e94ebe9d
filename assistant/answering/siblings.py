"""Whether the figure chosen is of a sibling of the thing asked: "药品安全群众满意度" answered by "食品安全群众满意度
80%", "服务贸易占比" by "货物贸易…占比30%", "在区域性股权市场挂牌的企业奖补多少" by "对新三板挂牌的企业给予60万元",
"银龄护士要引进多少名" by "银龄教师1550名、银龄医师1000名…".

The asking clause names a thing (安全, 挂牌) after words saying what it is of (药品, 区域性股权市场); the statements
chosen never mention the rarest of those words, and each of them with a figure names the thing only after another
word (食品, 新三板) with which its document names it more than once: a thing of its own. Unlike an indicator's
modifier (figures.swapped_indicator), any word can be told apart so; hence the conditions that the asked word be
absent from the statements and the other word a recurring name, not a verb ("做出保密审查"), a figure ("30万元奖补
资金") or a phrase ending in a particle ("…影响力的供应链"). The other way round, a statement that names the kind
(银龄) but never the asked one of it (护士), and lists at least two others of the kind, gives theirs.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from assistant.answering.candidates import Candidate
from assistant.answering.figures import ASKS_NUMBER, asking_clause, holds_figure
from assistant.answering.indicators import another_before
from assistant.answering.measures import in_measure
from assistant.answering.terms import QuestionTerms
from assistant.index.segmenter import lcut
from assistant.models import Chunk
from assistant.text import norm
from assistant.vocab import section, vocabulary

_CJK = re.compile(r"^[\u4e00-\u9fff]{2,}$")
_ASIDE = re.compile(r"[（(][^）)]{0,12}[）)]")  # a bracketed aside: "（助理）", "（%）", "（中原股权交易中心）"
_JOINS = "的之和与及或、"  # a phrase ending in one of these is no modifier word of what follows
MAX_RUN = 3  # words naming what a thing is of, at most ("药品安全群众" of 满意度)
REACH = 10  # characters before the thing searched for a part of the asked word ("城乡居民人均可支配收入")
_FIGURE_BEFORE = re.compile(r"\d\s*(?:[万亿千百]\s*)?(?:元|个|人|家|项|件|所|亩|吨|套|户|名|次|倍|%|％)?$")
RECURS = 2  # a document names a thing of its own this many times at least
MIN_OTHERS = 2  # others of the asked kind a statement lists, at least, to be a list of them


def sibling_named(
    question: str, chosen: list[Candidate], terms: QuestionTerms, places: frozenset[str], wants_number: bool = False,
    titles: tuple[str, ...] = (), document: Callable[[str], str] = lambda doc_id: "",
) -> bool:
    """Whether the chosen units give the figure of a sibling of the asked thing (see the module's note). The words
    naming a document (科技创新 of "科技创新规划里…", `titles` those the question names) are not asked of."""
    if not ASKS_NUMBER.search(question):  # ("…，属于约束性指标吗" asks no figure)
        return False
    # the clause asking, and the whole question: the thing may be named in a clause before ("在…挂牌的话，奖补多少")
    asked = dict.fromkeys([asking_clause(question, whole=wants_number), question])
    texts: dict[str, str] = {}  # (each document's text built once, however many statements and readings ask)

    def text_of(doc_id: str) -> str:
        if doc_id not in texts:
            texts[doc_id] = document(doc_id)
        return texts[doc_id]

    # the statements giving a figure in the measure asked, alone ("多少元" is not answered by a share of it)
    measured = in_measure(terms.measure, chosen)
    readings = [chosen, measured] if measured and len(measured) < len(chosen) else [chosen]
    return any(_sibling_in(a, c, terms, places, titles, text_of) for a in asked if a for c in readings)


def _sibling_in(
    question: str, chosen: list[Candidate], terms: QuestionTerms, places: frozenset[str], titles: tuple[str, ...],
    document: Callable[[str], str],
) -> bool:
    """sibling_named for one reading of the question (a clause of it, or all of it)."""
    # (a bracketed aside, "在区域性股权市场（中原股权交易中心）挂牌", does not part what it stands between)
    q = _ASIDE.sub("", norm(question))
    words, skip = _asked_words(q, terms, places)
    held = _held(chosen)
    pairs = []  # (the words naming what the thing is of, the thing): 区域性股权市场, 挂牌
    kinds = []  # (the words naming a kind, the asked one of it, which the statements do not name): 银龄, 护士
    for head in words:
        run: list[str] = []
        end = q.find(head)
        while (w := next((w for w in words if end - len(w) >= 0 and q.startswith(w, end - len(w))), None)) is not None:
            run.insert(0, w)
            end -= len(w)
        if not run or len(run) > MAX_RUN:
            continue
        if any("".join(run) + head in norm(t) for t in titles):
            continue
        # the fewest words before the thing whose rarest the statements never mention ("每千常住人口康复医师": 康复)
        apart = next((run[-k:] for k in range(1, len(run) + 1)
                      if not any(terms.has(max(run[-k:], key=terms.weights.__getitem__), h) for h in held)), None)
        if apart is not None:
            pairs.append(("".join(apart), head))
        elif not any(terms.has(head, h) for h in held):
            kinds.append(("".join(run), head))
    # a statement whole: its figure may stand in a clause after the one naming the thing ("对…挂牌的企业，给予60万元")
    said = [(_ASIDE.sub("", norm(u.display)), u.chunk.doc_id) for u in chosen]  # ("执业（助理）医师数")
    if kinds and any(_others_of_kind(c, document(d), kinds) for c, d in said if holds_figure(c)):
        return True
    if not pairs:
        return False
    naming = [(c, d) for c, d in said if holds_figure(c) and any(h in c for _, h in pairs)]
    shared = [t[:k] for t in terms.weights if not t.isdigit() for k in range(2, len(t) + 1)]
    same = [*words, *shared, *skip]
    return bool(naming) and all(_of_another(c, document(d), pairs, q, same, terms) for c, d in naming)


def _asked_words(q: str, terms: QuestionTerms, places: frozenset[str]) -> tuple[list[str], set[str]]:
    """The content words of a (normalised) question that may name what is asked (not a place, scope, time, modal,
    target or asking word), and the words skipped."""
    reading = section("reading")
    skip = {*places, *reading["change_modals"], *reading["time_words"], *vocabulary().relative_years}
    skip |= set(reading["review_asked"])  # ("…规划回顾安全生产": where it is said, not what it is of)
    skip |= {w for group in section("scope").values() for w in group}
    targets, asking = reading["target_statements"], reading["asking"]
    words = [  # (nor a plan period: "十三五" dates what is asked, it names nothing it is of)
        t for t in terms.own_weights if t in q and _CJK.match(t) and t not in skip
        and not any(t in w for w in targets) and not any(a in t for a in asking) and not vocabulary().period_years(t)
    ]
    return words, skip


def _held(chosen: list[Candidate]) -> list[str]:
    return [norm(u.display + u.chunk.title + " ".join(u.chunk.section)) for u in chosen]


MIN_ABSENT = 2  # asked words the statements never mention, at least, for an indicator named elsewhere
MIN_ABSENT_CHARS = 4


def named_elsewhere(
    question: str, chosen: list[Candidate], terms: QuestionTerms, places: frozenset[str], texts: Callable[[], list[str]],
    titles: tuple[str, ...] = (),
) -> bool:
    """Whether the figure asked for is of an indicator the collection names with a figure of its own elsewhere,
    which the chosen statements never name: "退役军人就业的目标" answered by a target list's "城镇新增就业…万人"
    when another statement lists "城镇新增就业…万人，退役军人就业…人". The asked phrase (the run of the question's
    words ending in one it shares with the statements and holding at least two they lack) must be found word for word in
    the collection, followed by a figure within its clause, in a statement that gives another figure in a clause
    holding a word it shares: a sibling of the indicator given, not another document's wording of it."""
    if not chosen or not ASKS_NUMBER.search(question):
        return False
    q = _ASIDE.sub("", norm(asking_clause(question, whole=True)))
    named = [norm(t) for t in titles]  # (the words naming a document the question names are not asked of)
    words = [w for w in _asked_words(q, terms, places)[0] if not any(w in t for t in named)]
    held = _held(chosen)
    absent = {w for w in words if not any(terms.has(w, h) for h in held)}
    if len(absent) < MIN_ABSENT or sum(map(len, absent)) < MIN_ABSENT_CHARS:
        return False
    sample = texts()  # (the collection's texts, read once for every phrase)
    for phrase in _runs(q, words):
        inside = [w for w in words if w in phrase]
        shared = [w for w in inside if w not in absent]
        # (the thing itself, the phrase's last word, is the chosen statements' too: "退役军人就业" beside "城镇新增就业";
        # "研发投入强度" asked of "研发经费支出…的比例" is a wording, 强度 never said)
        if len(inside) - len(shared) < MIN_ABSENT or not any(phrase.endswith(w) for w in shared):
            continue
        after = re.compile(re.escape(phrase) + r"([^。；;，,]{0,12})")
        for statement in (s for t in sample if phrase in t for s in _STATEMENT_END.split(t) if phrase in s):
            if not any(_FIGURE.search(_A_YEAR.sub("", m.group(1))) for m in after.finditer(statement)):
                continue
            # beside another indicator of the words it shares with the chosen ("城镇新增就业…万人，退役军人就业…人"):
            # one of its own, not a wording of the one given ("研发投入强度" for "研发经费支出…的比例")
            if any(phrase not in c and _FIGURE.search(_A_YEAR.sub("", c)) and any(w in c for w in shared)
                   for c in re.split(r"[，,、；;]", statement)):
                return True
    return False


_FIGURE = re.compile(r"\d")
_A_YEAR = re.compile(r"(?:19|20)\d{2}")  # ("…规划（2021—2035年）" names a period, no figure of an indicator)


def _runs(q: str, words: list[str]) -> list[str]:
    """The longest stretches of the question made of its content words only, one after another."""
    covered = [False] * len(q)
    for w in words:
        for m in re.finditer(re.escape(w), q):
            covered[m.start() : m.end()] = [True] * len(w)
    return [m.group(0) for m in re.finditer(r"[^\x00]+", "".join(ch if c else "\x00" for ch, c in zip(q, covered)))]


def _of_another(
    statement: str, text: str, pairs: list[tuple[str, str]], asked: str, same: list[str], terms: QuestionTerms
) -> bool:
    """Whether, for one of the asked things, every time the statement names it, it names it of another than the
    asked: after another word, with which its document names it more than once (新三板挂牌, 食品安全: a thing of
    its own). One named plainly, after a particle or a join ("…影响力的供应链"), or of the asked one, may be what is
    asked; one after a word it is not named with elsewhere ("做出保密审查": a verb and its object) or after a figure
    ("给予30万元奖补资金": what is counted) tells nothing."""
    for word, head in pairs:
        start, other, plain = 0, False, False
        for m in re.finditer(re.escape(head), statement):
            piece, start = statement[start : m.end()], m.end()
            if m.start() < 2 or statement[m.start() - 1] in _JOINS or _ends_with_asked(statement[: m.start()], word):
                plain = True  # (named plainly, or right after the asked words' last: "高速铁路运营里程" for 高铁运营里程)
            elif _FIGURE_BEFORE.search(statement[: m.start()]) or not _word_before(statement, m.start()) or text.count(
                statement[m.start() - 2 : m.end()]
            ) < RECURS:
                continue
            elif another_before(piece, [(word, head)], asked, same, terms, REACH):
                other = True
            else:
                plain = True
        if other and not plain:
            return True
    return False


def _ends_with_asked(before: str, word: str) -> bool:
    """Whether the text ends with the last two characters or more of the asked words (运营 of 高铁运营)."""
    return any(before.endswith(word[-k:]) for k in range(2, len(word) + 1))


def _word_before(statement: str, at: int) -> bool:
    """Whether a word of two characters or more ends right before `at` ("新三板|挂牌"; not "今年拟|安排": 拟 is a word
    of its own, 年拟 none)."""
    lo = max(0, at - 8)
    end = lo
    for word in lcut(statement[lo:at]):
        end += len(word)
        if end == at:
            return len(word) >= 2
    return False


def document_text(chunks: list[Chunk]) -> str:
    """A document's statements and headings, each once (chunks overlap), normalised: what its recurring names are
    counted in."""
    said = dict.fromkeys(s for c in chunks for s in _STATEMENT_END.split(_ASIDE.sub("", norm(c.text))) if s)
    headings = dict.fromkeys(_ASIDE.sub("", norm(h)) for c in chunks for h in c.section)
    return "\n".join([*said, *headings])


_STATEMENT_END = re.compile(r"[。；;！？!?\n]")


def _others_of_kind(statement: str, text: str, kinds: list[tuple[str, str]]) -> bool:
    """Whether the statement lists others of the asked kind, not the asked one: "银龄护士要引进多少名" answered by
    "银龄教师1550名、银龄医师1000名、…" (at least two, each a name its document uses more than once)."""
    for kind, asked in kinds:
        others = {
            statement[m.end() : m.end() + 2] for m in re.finditer(re.escape(kind), statement)
            if _CJK.match(statement[m.end() : m.end() + 2]) and not statement.startswith(asked[:2], m.end())
            and text.count(statement[m.start() : m.end() + 2]) >= RECURS
        }
        if len(others) >= MIN_OTHERS:
            return True
    return False
