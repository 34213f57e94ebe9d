"""What a document is: its title, issuer, place and level, kind, the year it is for, period, 文号 and date.

Read at ingest from the document's own text with the vocabulary's words and the table of administrative
divisions: the head of a notice (title, number, signature, date), a work report's opening ("我代表…，
向大会报告…") and its headings ("2013年工作回顾"), scope words (全省, 全市) with the divisions the text
names. Field boxes of web pages and exports (发文字号, 发布日期) and a file's own properties fill in what
the text does not say; the file name is the last resort (for the title, and for a work report's year).
What the text never states stays None: a guess would route questions to the wrong document.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from itertools import pairwise

from assistant.vocab import Place, places, vocabulary
from ingest.patterns import doc_number, full_date, heading_kind

_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*年")
_BARE_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
_RANGE = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*年?\s*[—\-–－~～至到]+\s*((?:19|20)\d{2})\s*年?")
_DATE = re.compile(r"((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_SENTENCE = set("。，；：！？")
_LEVEL_CHARS = "省市州盟区县旗"
_TOP = 8  # lines of a document's head
_SCAN_CHARS = 4000  # how much of the body scope words and named divisions are counted in
NATIONAL = "全国"


@dataclass
class Head:
    """What the layout of a notice gave (structure.py): its own title, number, date and signature."""

    title: str | None = None
    notice: str | None = None  # "某某市人民政府关于印发…的通知"
    doc_number: str | None = None
    date: str | None = None
    signature: str | None = None


@dataclass
class DocMeta:
    """A document's metadata, as DocumentInfo carries it."""

    title: str
    issuer: str | None = None
    place: str | None = None
    level: str | None = None
    kind: str | None = None
    year: int | None = None
    period: list[int] | None = None
    doc_number: str | None = None
    date: str | None = None
    about: str | None = None
    credits: dict[str, str] | None = None


def describe(
    lines: list[str],
    start: int,
    end: int,
    *,
    head: Head | None = None,
    headings: dict[int, int] | None = None,
    fields: dict[str, str] | None = None,
    properties: dict[str, object] | None = None,
    fallback_title: str = "",
) -> DocMeta:
    """The metadata of the document on lines[start:end] of a cleaned file."""
    head = head or Head()
    fields = fields or {}
    properties = properties or {}
    body = lines[start:end]
    top = body[:_TOP]
    meta = DocMeta(title="")
    report = _is_report(top)

    meta.doc_number = head.doc_number or _field_number(fields) or next(filter(None, map(doc_number, top)), None)
    meta.date = _clean(head.date) or _clean(fields.get("date")) or _delivery_date(top) or _dated_line(body)
    issuer = _issuer_of(head.notice) or _clean(head.signature) or _clean(fields.get("issuer"))
    issuer = issuer or _speaker(top) or _signature(body)

    title = head.title or _own_title(body, start, headings or {})
    meta.kind = vocabulary().kind_of(title) if title else None
    if report and meta.kind in (None, "other"):
        meta.kind = "work_report"

    place = _place(issuer, title or "", top, body)
    if place is None:  # the text never names it: what the file's own title or name says, if anything
        place = _place_named(str(properties.get("title") or "")) or _place_named(fallback_title)
    meta.place, meta.level = _name_and_level(place)
    meta.issuer = _full_issuer(issuer, place)

    meta.year = _year(meta, title or "", body, report, fallback_title)
    if not title:
        title = _built_title(meta, report) or _clean(fields.get("title")) or _property_title(properties)
    if not title:
        title = _web_title(fallback_title) or fallback_title
    meta.title = title
    if meta.kind is None:
        meta.kind = vocabulary().kind_of(title)
    meta.period = _period(title, body)
    meta.about = _about(body, title, meta.kind)
    meta.credits = _credits(body)
    return meta


# ---- title


_NAME = r"([\u4e00-\u9fff·]{2,4})"
CREDIT_CHARS = 60  # a credit line is short


def _credits(body: list[str]) -> dict[str, str] | None:
    """Who a page credits, by role, from lines made of nothing but credits ("（文字整理某某）", "值班总编 某某 编辑 某某",
    "责任编辑：某某"); the first name given for a role is kept."""
    roles = sorted(vocabulary().metadata.credit_roles, key=len, reverse=True)
    if not roles:
        return None
    spaced = "|".join(r"\s*".join(map(re.escape, role)) for role in roles)  # ("版 式 某某": a role set spaced)
    pair = re.compile(rf"({spaced})\s*[：:]?\s*{_NAME}(?=[\s（）()、，,；;]|$)")
    out: dict[str, str] = {}
    for line in body:
        s = line.strip()
        if not s or len(s) > CREDIT_CHARS:
            continue
        found = list(pair.finditer(s))
        if found and not re.sub(r"[\s（）()、，,；;：:]", "", pair.sub("", s)):
            for m in found:
                out.setdefault(re.sub(r"\s", "", m.group(1)), m.group(2))
    return out or None


def _own_title(body: list[str], start: int, headings: dict[int, int]) -> str | None:
    """A marked title (docx Title, h1, '# '), else a title-like line near the top, else a plan named as compiled."""
    for i, level in sorted(headings.items()):
        if i < start:
            continue
        if i - start > 10:
            break
        if level <= 1 and _titlelike(body[i - start].lstrip("#").strip()):
            return body[i - start].strip().lstrip("#").strip()
    for line in body[:3]:
        if line.startswith("# ") and _titlelike(line[2:]):
            return line[2:].strip()
    # near the top first; a newspaper page prints the headline naming a report in 《》 mid-page
    candidates = body[:4] + [line for line in body if line.strip().startswith("《")] + body[4:40]
    for line in candidates:
        s = line.strip()
        s = _web_title(s) or s  # a scraped page's first line may be its <title>, site names and all
        if _titlelike(s) and _names_a_document(s):
            return re.sub(r"\s+", "", s) if re.search(r"[\u3400-\u9fff]\s+[\u3400-\u9fff]", s) else s
    return _compiled_title(body)


_PRESENTS = re.compile(r"《(?P<x>[^《》]{6,80}?)》(?:中|里)?\s*(?:提出|明确|确定|描绘|勾画|部署|阐明)")


def _about(body: list[str], title: str, kind: str | None) -> str | None:
    """The document a text presents in its own words ("《某市…纲要（草案）》提出了…，明确了…" on a page explaining
    it), when that is not the text itself: questions name a plan so, not by the page's headline. A document of
    its own kind it names so is the one it follows ("《“十三五”…规划》确定的目标" in the next plan), not presents."""
    own = re.sub(r"\s+", "", title)
    for line in body:
        for m in _PRESENTS.finditer(line):
            named = re.sub(r"\s+", "", m.group("x"))
            if _names_a_document(named) and named not in own and own not in named and vocabulary().kind_of(named) != kind:
                return named
    return None


def _titlelike(s: str) -> bool:
    if not (4 <= len(s) <= 60) or heading_kind(s) or set(s) & _SENTENCE:
        return False
    if s.count("《") != s.count("》") or s.count("（") != s.count("）"):
        return False
    return not any(w in s for w in vocabulary().metadata.not_title)


def _names_a_document(s: str) -> bool:
    """The line ends (or nearly) with a kind word: 规划, 报告, 方案, 意见, 办法, 通知, 解读…"""
    return vocabulary().kind_of(s) != "other" or "公报" in s


_NAMED = re.compile(r"《(?P<x>[^《》]{4,80}?)》")


def _compiled_title(body: list[str]) -> str | None:
    """A plan named in 《》 as the one this text compiles ('编制形成《…纲要（草案）》', '制定本《…》')."""
    for line in body[:8]:
        for m in _NAMED.finditer(line):
            if re.search(r"(编制|形成|制定|印发|本)$", line[: m.start()]) and _names_a_document(m.group("x")):
                return m.group("x")
    return None


def _built_title(meta: DocMeta, report: bool) -> str | None:
    """A work report without a title line (a scrape that starts at 各位代表): its kind's name with year and place."""
    if not report:
        return None
    name = vocabulary().kind_names["work_report"]
    where = "" if meta.place in (None, NATIONAL) else meta.place
    return f"{meta.year}年{where}{name}" if meta.year else f"{where}{name}"


def _web_title(name: str) -> str | None:
    """A page title without the site and channel names a browser appends ("…的通知_宏观经济_某网首页")."""
    words = vocabulary().metadata
    name = name.strip()
    for sep in words.web_title_separators:
        if sep not in name:
            continue
        first, *rest = [p.strip() for p in name.split(sep)]
        sitey = all(len(p) <= 12 or any(w in p for w in words.web_site_words) for p in rest)
        if len(first) >= 4 and re.search(r"[\u3400-\u9fff]", first) and sitey:
            return _web_title(first) or first
    return None


def _property_title(properties: dict[str, object]) -> str | None:
    """A file's own title property (docx core, PDF info), when it is a real title and not a template's."""
    value = str(properties.get("title") or "").strip()
    value = _web_title(value) or value
    return value if _titlelike(value) and re.search(r"[\u3400-\u9fff]{4}", value) else None


# ---- kind, issuer, date, number


def _is_report(top: list[str]) -> bool:
    """The text opens as a work report is delivered: '我代表国务院，向大会报告政府工作'."""
    openings = vocabulary().metadata.report_openings
    return any(w in line for line in top for w in openings)


_SPEAKER_TAIL = re.compile(r"(人民政府|国务院|政府)")


def _speaker(top: list[str]) -> str | None:
    """Who a report is delivered for: '我代表省人民政府' -> 省人民政府 (made absolute once the place is known)."""
    word = vocabulary().metadata.speaker
    for line in top:
        at = line.find(word)
        if at < 0:
            continue
        rest = line[at + len(word) : at + len(word) + 20]
        if m := _SPEAKER_TAIL.search(rest):
            return rest[: m.end()]
    return None


def _issuer_of(notice: str | None) -> str | None:
    """The issuing body that opens a notice's title: '某某市人民政府关于印发…' -> 某某市人民政府."""
    if not notice:
        return None
    s = re.sub(r"\s+", "", notice)
    m = re.match(rf"^(.{{2,40}}?(?:{'|'.join(map(re.escape, vocabulary().issuer_suffixes))}))(?:关于|印发)", s)
    return m.group(1) if m else None


def _signature(body: list[str]) -> str | None:
    """A signature line just above the date at the end of a document."""
    tail = body[-4:]
    for a, b in pairwise(tail):
        if full_date(b) and _is_issuer(a.strip()):
            return re.sub(r"\s+", "", a)
    return None


def _is_issuer(s: str) -> bool:
    return 2 < len(s) <= 40 and s.endswith(vocabulary().issuer_suffixes) and not set(s) & _SENTENCE


def _full_issuer(issuer: str | None, place: Place | str | None) -> str | None:
    """'省人民政府' said by a province's report is that province's 人民政府."""
    if not issuer:
        return None
    if isinstance(place, Place) and issuer[:1] in _LEVEL_CHARS and not _places_in(issuer):
        level_word = re.match(r"^(自治区|自治州|[省市州盟区县旗])", issuer)
        return place.name + issuer[level_word.end() :] if level_word else issuer
    return issuer


def _field_number(fields: dict[str, str]) -> str | None:
    value = fields.get("doc_number")
    return (doc_number(value) or re.sub(r"\s+", "", value)) if value else None


def _clean(value: str | None) -> str | None:
    return re.sub(r"\s+", "", value) if value else None


def _delivery_date(top: list[str]) -> str | None:
    """The date a report was delivered: '——2017年3月5日在第十二届全国人民代表大会第五次会议上'."""
    for line in top:
        for m in _DATE.finditer(line):
            if "人民代表大会" in line[m.end() : m.end() + 60]:
                return re.sub(r"\s+", "", m.group(0))
    return None


def _dated_line(body: list[str]) -> str | None:
    """A line that is only a date, in the head or at the end (a signature's date, a newspaper page's date)."""
    for line in [*body[:_TOP], *body[-8:]]:
        if full_date(line):
            return re.sub(r"\s+", "", line)
    return None


# ---- place and level


def _place(issuer: str | None, title: str, top: list[str], body: list[str]) -> Place | str | None:
    """The division a document speaks for: its issuer's, its title's, its head's, else its scope words'."""
    words = vocabulary().metadata
    if issuer and issuer.startswith(words.national_issuers) and not _places_in(issuer):
        return NATIONAL
    if not issuer and re.sub(r"^[“”《\"]+", "", title).startswith(words.national_titles):
        return NATIONAL
    # the head's own lines (a report's "在某省第十四届人民代表大会…会议上", an issuer's line), not its first sentences
    own = "\n".join(line for line in top[:5] if "人民代表大会" in line or _is_issuer(line.strip()) or _titlelike(line))
    for text, strict in ((issuer or "", False), (title, False), (own, True)):
        if found := _most_specific(_places_in(text, strict=strict)):
            return found
    return _scoped_place(body)


def _place_named(name: str) -> Place | None:
    """A division a file name or a property names (the last resort)."""
    return _most_specific(_places_in(name, strict=True))


def _places_in(text: str, *, strict: bool = False) -> list[Place]:
    """Divisions a text names. A county's short name counts only with its level word (平安 is not 平安区);
    with strict, a short name counts only with a level word or as a province's name."""
    out: list[Place] = []
    for pos, name, cands in places().find(text):
        full = [c for c in cands if c.name == name]
        if not full:
            glued = text[pos + len(name) : pos + len(name) + 1] in _LEVEL_CHARS
            keep = ("province", "city", "county") if glued else ("province",) if strict else ("province", "city")
            full = [c for c in cands if c.level in keep]
        full = _one_per_division(full)
        if len(full) == 1:
            out.append(full[0])
        elif full:
            out.extend(c for c in full if any(c.province == o.name or o.name in c.parents for o in out))
    return out


def _one_per_division(cands: list[Place]) -> list[Place]:
    """A municipality is listed as a province and as a city: keep the province."""
    by_code: dict[str, Place] = {}
    for c in cands:
        if c.code not in by_code or c.level == "province":
            by_code[c.code] = c
    return list(by_code.values())


def _most_specific(found: list[Place]) -> Place | None:
    """Of the divisions a text names, the one the others contain (某省某市 -> 某市), else the first."""
    if not found:
        return None
    best = found[0]
    for p in found[1:]:
        if best.name in p.parents:
            best = p
    return best


def _scoped_place(body: list[str]) -> Place | None:
    """Scope words (全市, 我省…) give the level; the division of that level the text names most is the place."""
    text = "\n".join(body)[:_SCAN_CHARS]
    scope = vocabulary().scope
    counts = Counter({level: sum(text.count(w) for w in words) for level, words in scope.items() if level != "national"})
    n = max(counts.values(), default=0)
    if not n:
        return None
    levels = {lvl for lvl, c in counts.items() if c == n}  # 全区 speaks for a county or an autonomous region
    found = [p for p in _places_in(text) if p.level in levels]
    if "city" in levels:  # 全市 speaks for a city, or for a municipality (a province that is a city)
        found = [p for p in found if p.level != "province" or any(q.level == "city" for q in places().lookup(p.name))]
    named = Counter(p.name for p in found)
    if not named:
        return None
    name, _ = named.most_common(1)[0]
    return next(p for p in found if p.name == name)


def _name_and_level(place: Place | str | None) -> tuple[str | None, str | None]:
    if place == NATIONAL:
        return NATIONAL, "national"
    if isinstance(place, Place):
        return place.name, place.level
    return None, None


# ---- year and period


def _year(meta: DocMeta, title: str, body: list[str], report: bool, fallback_title: str) -> int | None:
    """The year a document is for: its date's, its title's, a report's headings', never the last it mentions."""
    if meta.date and (y := _year_of(meta.date)):
        return y
    if y := _title_year(title):
        return y
    if report and (y := _report_year(body)):
        return y
    if opening := next(filter(None, map(_stated_year, body[:3])), None):
        return opening
    if report and (m := _BARE_YEAR.search(fallback_title)):
        # a report whose text names neither its date nor its year: the file name's year is all there is
        return int(m.group(1))
    return None


def _year_of(date: str) -> int | None:
    """The year of a date as written: 2022年7月1日, 二〇二二年七月一日, 2022.05.06, 2022-05-06."""
    if y := full_date(date):
        return int(y)
    m = _BARE_YEAR.search(date)
    return int(m.group(1)) if m else None


def _title_year(title: str) -> int | None:
    return _stated_year(title)


def _stated_year(text: str) -> int | None:
    """The first year a text states as its own: not in a range (2021—2035年), not a target (到2035年, 2035年远景)."""
    words = vocabulary().metadata
    text = _RANGE.sub("", text)
    for m in _YEAR.finditer(text):
        before, after = text[max(0, m.start() - 2) : m.start()], text[m.end() : m.end() + 2]
        if not before.endswith(words.target_before) and not after.startswith(words.target_after):
            return int(m.group(1))
    return None


def _report_year(body: list[str]) -> int | None:
    """'一、2013年工作回顾' reviews the year before the report's; '二、2018年…总体要求' plans the report's year."""
    words = vocabulary().metadata
    for line in body:
        if heading_kind(line) is None or not (m := _YEAR.search(line)):
            continue
        if any(w in line for w in words.review_words):
            return int(m.group(1)) + 1
        if any(w in line for w in words.plan_words):
            return int(m.group(1))
    return None


def _period(title: str, body: list[str]) -> list[int] | None:
    """[first, last] year a plan covers: a period name (十四五) or a range ('2021—2035年') in its title or text."""
    norm = unicodedata.normalize("NFKC", title)
    if m := _RANGE.search(norm):
        return [int(m.group(1)), int(m.group(2))]
    if named := vocabulary().period_years(title):
        return list(named[0][1])
    words = vocabulary().metadata.period_words
    for line in body[:60]:
        for w in words:
            at = line.find(w)
            if at >= 0 and (m := _RANGE.search(line[at : at + 30])):
                return [int(m.group(1)), int(m.group(2))]
    return None
