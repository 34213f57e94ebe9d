"""Question words the collection never uses, read in the collection's own wording: shortened or mistyped terms.

A question word the collection never contains (as a word or inside any chunk) cannot be matched as it is. One that
jieba's dictionary does not know either (the segmenter put it together, as it does with 固投要) is read, the longest
part of it first, as:

- a homophone of a word the collection uses, of the same length and sharing a character in place (规画 typed
  for 规划: the usual slip of a pinyin input method), when one such word is clearly the collection's commonest;
- a shortening: officials shorten compound terms to a character of each word (固投 for 固定资产投资, 社零 for
  社会消费品零售总额, 规上 for 规模以上, 高企 for 高新技术企业). Its characters must occur in order within one run
  of Chinese characters of a chunk, the first starting a word and each next one the first or last character of
  a later word (jieba's words, as the collection is segmented), at most GAP characters apart; the phrase runs
  to the end of the last such word.

A reading must occur in at least MIN_CHUNKS chunks and DOMINANCE times as often as the next candidate; otherwise
the word is left as it was. A word jieba's dictionary knows is read only as a homophone, and only when general
Chinese uses it at most RARE_VARIANT as often (规画 for 规划, 布署 for 部署; never 公式 for 公示, 制订 for 制定).
Nothing is listed: every reading comes from the documents at hand and jieba's general word counts.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from functools import partial
from typing import TYPE_CHECKING

from assistant.vocab import section, vocabulary

if TYPE_CHECKING:
    from assistant.answering.stats import CollectionStats

GAP = 6  # characters at most between two characters of a shortening
MIN_CHUNKS = 3  # a reading must occur in this many chunks
DOMINANCE = 2.0  # ... and this many times as often as the next reading
RARE_VARIANT = 0.01  # a known word is read as its homophone only when general Chinese uses it this much as rarely
SLIP_COUNT = 5  # ... and jieba's dictionary holds it at most this often (a slip, not a word: 规画 3, 疑义 26)
LONE_COUNT = 10_000  # a lone character counted at most this often as a word (社 3,573; 时 103,735, 高 57,483)
MAX_MATCHES = 400  # occurrences checked against word boundaries at most (the rest are not needed to decide)
_WINDOW = 8  # characters of context segmented on each side of an occurrence
_HAN = re.compile(r"^[\u4e00-\u9fff]{2,8}$")


def read_abbreviations(question: str, terms: Iterable[str], stats: CollectionStats) -> tuple[str, list[tuple[str, str]]]:
    """The question with each shortened term written out, and the (shortening, reading) pairs used."""
    from assistant.index.segmenter import word_count

    readings: list[tuple[str, str]] = []
    words = section("reading")
    asking, particles = words["asking"], tuple(words["particles"])
    split = _split_shortenings(question, (*particles, *vocabulary().question_words, *vocabulary().facet_joiners))
    for term in [*terms, *split]:
        if not _HAN.match(term) or stats.freq(term) or any(w in term for w in asking):
            continue
        term = term.strip("".join(particles))  # the segmenter's 比要 ("占比要达到") is 比 with a particle
        if len(term) < 2:
            continue
        if term in split:  # only as a shortening of a longer term, never a homophone
            reading = stats.memo(("short", term), partial(reading_of, term, stats.sample()))
            found = (term, reading) if reading and len(reading) >= 4 and stats.freq(reading) and not stats.memo(
                ("ends", split[term], term), partial(_ends_a_word, split[term], term, reading, stats)) else None
        else:
            found = _shortening_in(term, stats) if not word_count(term) else _rare_variant(term, stats)
        if found is None:
            continue
        short, reading = found
        if short not in question:  # only the plain wording is rewritten (no width or space variants)
            continue
        at = question.find(short)
        after = question[at + len(short) :]
        # ("社零总额": the reading 社会消费品零售总额 already ends with the word written after the shortening)
        # (or with the rest of the word its last character began: "稳经济" read 稳住经济 is not "稳住经济济")
        kept = next((n for n in range(min(len(after), 4), 1, -1) if reading.endswith(after[:n])), 0) or next(
            (n for n in range(min(len(after), 3), 0, -1) if reading.endswith(short[-1] + after[:n])), 0
        )
        question = question[:at] + reading + after[kept:]
        readings.append((short, reading))
    return question, readings


def _split_shortenings(question: str, particles: tuple[str, ...]) -> dict[str, str]:
    """A shortening the segmenter split, its first character left alone before a word it joined the second to
    ("社零增长" cut 社 + 零增长, "zero growth"): the lone character with the first of the word after it, and the
    word before it."""
    from assistant.index.segmenter import lcut, word_count

    cut = ["", *lcut(question)]
    return {  # (a character general Chinese uses as a word of its own, 时/多/高, is one here too)
        a + b[0]: before for before, a, b in zip(cut, cut[1:], cut[2:], strict=False)
        if len(a) == 1 and _HAN.match(a + b) and a not in particles and len(b) >= 2 and word_count(a) <= LONE_COUNT
    }


def _ends_a_word(before: str, short: str, reading: str, stats: CollectionStats) -> bool:
    """Whether the lone character ends the word before it as the documents write it, and the reading does not go
    on from that word ("营造林一共" cut 营造 + 林 + 一共: 营造林 is the documents' word, and no document says
    营造林田湖草沙一体化; "专项债投向" read 专项债券投向 goes on from 专项债)."""
    return bool(_HAN.match(before + short[0]) and stats.freq(before + short[0])) and not any(
        before + reading in text for text in stats.sample())


def _rare_variant(term: str, stats: CollectionStats) -> tuple[str, str] | None:
    """A word jieba knows but the documents never use, read as their homophone when it is a rare variant of it in
    general Chinese (规画, 3 in jieba's counts, for 规划, 5,445); a word as common as its homophone (公式, 公示) is
    another word, never rewritten."""
    from assistant.index.segmenter import word_count

    reading = stats.memo(("sound", term), partial(homophone_of, term, stats.df))
    if reading is None or word_count(term) > min(RARE_VARIANT * word_count(reading), SLIP_COUNT):
        return None
    return term, reading


def _shortening_in(term: str, stats: CollectionStats) -> tuple[str, str] | None:
    """The longest part of an unknown term (leftmost first) that the collection reads, as a homophone or a
    shortening."""
    for size in range(min(len(term), 4), 1, -1):
        for start in range(len(term) - size + 1):
            part = term[start : start + size]
            if stats.freq(part):
                continue
            reading = stats.memo(("abbrev", part), partial(_read_in, part, stats))
            if reading is not None:
                return part, reading
    return None


def _read_in(short: str, stats: CollectionStats) -> str | None:
    return homophone_of(short, stats.df) or reading_of(short, stats.sample())


def homophone_of(word: str, df: dict[str, int]) -> str | None:
    """The collection's word that sounds like `word` (same pinyin, same length, a character shared in place),
    when one is clearly the commonest; None otherwise."""
    from pypinyin import lazy_pinyin

    sound = lazy_pinyin(word)
    found = sorted(
        ((n, w) for w, n in df.items()
         if len(w) == len(word) and w != word and any(a == b for a, b in zip(w, word, strict=True))
         and lazy_pinyin(w) == sound),
        reverse=True,
    )
    if not found or found[0][0] < MIN_CHUNKS or (len(found) > 1 and found[0][0] < DOMINANCE * found[1][0]):
        return None
    return found[0][1]


def reading_of(short: str, texts: list[str]) -> str | None:
    """What the (normalised) texts read `short` as, or None when they give no clear reading."""
    from assistant.index.segmenter import lcut

    pattern = re.compile(f"[\u4e00-\u9fff]{{0,{GAP}}}?".join(map(re.escape, short)))
    counts: Counter[str] = Counter()
    checked = 0
    for text in texts:
        if short[0] not in text or short[-1] not in text:
            continue
        in_text: set[str] = set()
        for m in pattern.finditer(text):
            checked += 1
            phrase = _phrase(text, m.start(), m.end(), short, lcut)
            if phrase is not None and len(phrase) > len(short):
                in_text.add(phrase)
        counts.update(in_text)
        if checked >= MAX_MATCHES:
            break
    ranked = counts.most_common(2)
    if not ranked or ranked[0][1] < MIN_CHUNKS:
        return None
    if len(ranked) > 1 and ranked[0][1] < DOMINANCE * ranked[1][1]:
        return None
    return ranked[0][0]


def _halves(word: str) -> list[tuple[int, int]]:
    """A word's spans: a four-character word made of two words general Chinese knows ("公共卫生": 公共 + 卫生) is
    two, as a shortening takes a character of each (公卫); any other word is one."""
    from assistant.index.segmenter import word_count

    if len(word) == 4 and _HAN.match(word) and word_count(word[:2]) and word_count(word[2:]):
        return [(0, 2), (2, 4)]
    return [(0, len(word))]


def _phrase(text: str, start: int, end: int, short: str, lcut) -> str | None:
    """The phrase an occurrence spells out, when its characters fall on word edges as a shortening's do."""
    lo = max(0, start - _WINDOW)
    spans: list[tuple[int, int]] = []
    at = lo
    whole: dict[tuple[int, int], int] = {}  # a half's span -> where its word ends (the phrase runs to there)
    for word in lcut(text[lo : min(len(text), end + _WINDOW)]):
        for a, b in _halves(word):
            spans.append((at + a, at + b))
            whole[spans[-1]] = at + len(word)
        at += len(word)
    first = {a: (a, b) for a, b in spans}
    last = {b - 1: (a, b) for a, b in spans}
    word = first.get(start)
    if word is None:
        return None
    pos = start
    for ch in short[1:]:
        pos = text.index(ch, pos + 1, end)
        nxt = first.get(pos) or last.get(pos)
        if nxt is None or nxt[0] < word[1]:  # not on a word's edge, or inside the previous character's word
            return None
        word = nxt
    return text[start : whole[word]]
