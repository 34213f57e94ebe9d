"""Text primitives shared by every stage: normalising, sentences, years, Chinese numerals."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# a sentence ends at 。！？；!?; (and keeps a closing quote or bracket that follows it)
# a note in brackets right after a sentence's end ("…出口占比。（省商务厅牵头）") belongs to that sentence, unless
# it numbers what follows ("。（二）…")
_SENTENCE = re.compile(
    r"[^。！？；!?;\n]+[。！？；!?;]*[”’」』）)]*(?:（(?![一二三四五六七八九十\d]{1,3}）)[^（）。！？；\n]{1,30}）)?"
    r"|[。！？；!?;]+[”’」』）)]*"
)
_YEAR_SPAN = re.compile(r"((?:19|20)\d{2})\s*(?:年)?\s*(?:[—–\-~～至到]\s*((?:19|20)\d{2}))?\s*年")
# "2014、2015年", "2022年和2023年" is caught above; "2014、2015两年", "2021和2022年" name each year too
_YEAR_LIST = re.compile(r"(?:19|20)\d{2}(?:\s*[、和与及]\s*(?:19|20)\d{2})+\s*(?:[两三四五六七八九十]个?)?年")
_CN_NUMERAL = re.compile(r"[〇零一二三四五六七八九十百千万两]+")
_CN_YEAR = re.compile(r"[〇零一二三四五六七八九]{4}(?=年)")
_MD_EMPHASIS = re.compile(r"\*\*(.+?)\*\*")
_SPACES = re.compile(r"[\s\u200b-\u200d\ufeff]+")


@lru_cache(maxsize=32768)
def norm(text: str) -> str:
    """NFKC, no whitespace, lower case: how quotes, evidence and terms are compared.

    Cached: the same passages, titles and section paths are compared for every question.
    """
    return _SPACES.sub("", unicodedata.normalize("NFKC", text)).lower()


def sentences(text: str) -> list[str]:
    """Split Chinese text into sentences, keeping the closing punctuation and closing quotes."""
    return [s.strip() for s in _SENTENCE.findall(text) if s.strip()]


def years_in(text: str) -> set[int]:
    """Years a text names: "2025年", every year of "2021—2025年", each of "2014、2015年", and "二〇三五年"."""
    out: set[int] = set()
    text = cn_years_to_digits(text)
    for a, b in _YEAR_SPAN.findall(text):
        lo, hi = int(a), int(b or a)
        out.update(range(lo, hi + 1) if 0 <= hi - lo <= 30 else (lo, hi))
    for m in _YEAR_LIST.finditer(text):
        out.update(int(y) for y in re.findall(r"(?:19|20)\d{2}", m.group()))
    return out


def cn_years_to_digits(text: str) -> str:
    """Years written in Chinese digits as Arabic ones ("二〇三五年" -> "2035年"); everything else unchanged."""
    digits = str.maketrans("〇零一二三四五六七八九", "00123456789")
    return _CN_YEAR.sub(lambda m: m.group().translate(digits), text)


def cn_number(text: str) -> int | None:
    """A Chinese numeral as an int ("十三" -> 13, "二〇三五" -> 2035); None when it is not one."""
    if not _CN_NUMERAL.fullmatch(text):
        return None
    import cn2an  # imported on first use: ~0.3 s

    try:
        return int(cn2an.cn2an(text, "smart"))
    except (ValueError, KeyError, TypeError):
        return None


def number_of(raw: str) -> int | None:
    """A number written in digits or in Chinese numerals ("12", "十二" -> 12); None when it is neither."""
    return int(raw) if raw.isdigit() else cn_number(raw)


def plain(text: str) -> str:
    """Text for reading: markdown emphasis left by document conversion removed."""
    return _MD_EMPHASIS.sub(r"\1", text)


def in_order(short: str, text: str) -> bool:
    """Whether the characters of short occur in text in order (规上 in 规模以上)."""
    at = 0
    for ch in short:
        at = text.find(ch, at) + 1
        if not at:
            return False
    return True


def cn_numeral(n: int) -> str:
    """A count in Chinese numerals, as the documents write them (13 -> 十三)."""
    import cn2an

    return str(cn2an.an2cn(n))


def count_word(n: int) -> str:
    """How many, as a count of things is said: 两 for two (两个附件), else the numeral (三个部分)."""
    return "两" if n == 2 else cn_numeral(n)
