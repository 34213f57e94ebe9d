"""Document routing: which documents of the collection a question (or one part of it) points at.

A question names places (a province's short name, "全国"), years ("2023年", 去年 relative to a report), kinds of
document ("政府工作报告", "规划") and documents by their topic ("教育事业发展规划"). The catalog
turns that into a weight per document from each document's metadata (place, level, kind, year,
period, title), so retrieval can favour them and candidates can be checked against them.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from functools import cached_property

from assistant.models import DocumentInfo
from assistant.text import in_order, norm
from assistant.vocab import places, vocabulary

NATIONAL = "全国"
_WEIGHTS_KEPT = 64  # scopes whose document weights a catalog keeps (a question asks for its few several times)


@dataclass(frozen=True)
class Scope:
    """What a question, or one facet of it, points at (empty fields constrain nothing)."""

    places: tuple[str, ...] = ()  # full names of divisions, or NATIONAL
    years: tuple[int, ...] = ()  # years the content is about
    doc_years: tuple[int, ...] = ()  # years of the document itself ("2024年政府工作报告")
    kinds: tuple[str, ...] = ()  # vocabulary document kinds
    doc_ids: tuple[str, ...] = ()  # documents named by their topic ("…规划")
    hinted: tuple[str, ...] = ()  # documents sharing distinctive title words with the question (a softer hint)

    @property
    def empty(self) -> bool:
        """True when the scope names nothing."""
        return not (self.places or self.years or self.doc_years or self.kinds or self.doc_ids or self.hinted)


@dataclass
class DocProfile:
    """A document as routing sees it: metadata from ingest, completed from its title where missing."""

    info: DocumentInfo
    place: str | None
    province: str | None
    level: str | None
    kind: str
    years: frozenset[int]  # the year it is for and the years of its period

    @property
    def doc_id(self) -> str:
        """The document's id."""
        return self.info.doc_id


def profile(info: DocumentInfo) -> DocProfile:
    """Routing profile of a document (metadata first; the title when ingest left a field empty)."""
    vocab = vocabulary()
    place, province, level = info.place, None, info.level
    if place == NATIONAL:
        level = level or "national"
    elif place is None:
        # a municipality is listed as a province and as a city: one place, the higher level
        found = [c for _, _, cands in places().find(info.title) if len(c := _one_place(cands)) == 1]
        if found:
            place, level = found[-1][0].name, level or found[-1][0].level
    if place and place != NATIONAL:
        hits = places().lookup(place)
        province = hits[0].province if hits else None
    years = {info.year} if info.year else set()
    if info.period:
        years.update(range(info.period[0], info.period[-1] + 1))
    for _, (lo, hi) in vocab.period_years(info.title):
        years.update(range(lo, hi + 1))
    return DocProfile(info, place, province, level, info.kind or vocab.kind_of(info.title), frozenset(years))


def _one_place(cands: list) -> list:
    by_name: dict[str, object] = {}
    for c in sorted(cands, key=lambda c: ("province", "city", "county").index(c.level)):
        by_name.setdefault(c.name, c)
    return list(by_name.values())


class Catalog:
    """The collection's documents, with what routing needs; built per store version."""

    def __init__(self, documents: list[DocumentInfo]):
        self.profiles = {d.doc_id: profile(d) for d in documents}
        self._weights: dict[Scope, dict[str, float]] = {}  # this catalog's (so this store version's) only
        self._lock = threading.Lock()

    @cached_property
    def places(self) -> set[str]:
        """Places the collection's documents speak for (full names) and their provinces."""
        out = {p.place for p in self.profiles.values() if p.place}
        out |= {p.province for p in self.profiles.values() if p.province}
        return out

    def national_by_default(self, kinds: tuple[str, ...], years: tuple[int, ...] = ()) -> bool:
        """Whether a question naming no place means the national document of these kinds: the collection holds
        national ones, and those of the named years are of several other places ("2025年政府工作报告" in a
        base of the national reports and many provinces' 2025 ones is the State Council's, not one province's
        picked by wording; with one other place's report of the year, the wording decides)."""
        of_kind = [p for p in self.profiles.values() if p.kind in kinds]
        others = {p.place for p in of_kind if p.level != "national" and p.place and (not years or p.info.year in years)}
        return any(p.level == "national" for p in of_kind) and len(others) >= 2

    @cached_property
    def superseded(self) -> frozenset[str]:
        """Work reports a newer one of the same place follows: "今年/去年" asked without a year is not theirs."""
        newest: dict[str | None, int] = {}
        for p in self.profiles.values():
            if p.kind == "work_report" and p.info.year:
                newest[p.place] = max(newest.get(p.place, 0), p.info.year)
        return frozenset(
            d for d, p in self.profiles.items()
            if p.kind == "work_report" and p.info.year and p.info.year < newest[p.place]
        )

    def numbered(self, question: str) -> tuple[list[str], list[str]]:
        """The documents a question names by their 文号 ("许政〔2022〕17号文件"), and the numbers it names that no
        document of the collection has (brackets and spaces as written aside)."""
        found: list[str] = []
        missing: list[str] = []
        for m in vocabulary().doc_number.finditer(question):
            wanted = doc_number_key(m.group(0))  # (the pattern may take a word before it: "关于许政〔…〕")
            docs = [d for d, p in self.profiles.items() if p.info.doc_number and same_number(wanted, p.info.doc_number)]
            if docs:
                found += docs
            else:
                missing.append(m.group(0).strip())
        return found, missing

    def one_place(self, doc_ids: tuple[str, ...]) -> bool:
        """Whether the documents (those a question names by title) are all of one place."""
        return len({self.profiles[d].place for d in doc_ids if d in self.profiles}) == 1

    def weights(self, scope: Scope) -> dict[str, float]:
        """Per document, how well it fits the scope: 1 fits every named constraint, 0 contradicts one.

        Documents that fit are favoured; constraints a document's metadata cannot tell (no place
        known) count half.
        """
        if scope.empty:
            return {}
        with self._lock:
            kept = self._weights.get(scope)
        if kept is None:
            kept = self._weights_of(scope)  # 10 ms over the 1,400 documents of the 100x collection
            with self._lock:
                if len(self._weights) >= _WEIGHTS_KEPT:
                    del self._weights[next(iter(self._weights))]
                self._weights[scope] = kept
        return dict(kept)

    def _weights_of(self, scope: Scope) -> dict[str, float]:
        out: dict[str, float] = {}
        for doc_id, p in self.profiles.items():
            w = 1.0
            if scope.doc_ids:
                w *= 1.0 if doc_id in scope.doc_ids else 0.25
            elif scope.hinted:
                w *= 1.0 if doc_id in scope.hinted else 0.7
            if scope.places:
                w *= _place_fit(p, scope.places)
            if scope.kinds:
                w *= 1.0 if p.kind in scope.kinds else 0.3
            if scope.doc_years:
                w *= 1.0 if p.info.year in scope.doc_years else 0.2
            elif scope.years:
                w *= _year_fit(p, scope.years)
            out[doc_id] = w
        return out

    def matching(self, scope: Scope, *, at_least: float = 0.99) -> list[str]:
        """Documents that fit the scope fully."""
        return [d for d, w in self.weights(scope).items() if w >= at_least]

    @cached_property
    def _titles(self) -> dict[str, str]:
        """Each document's title, normalised once."""
        return {doc_id: _unquoted(p.info.title) for doc_id, p in self.profiles.items()}

    @cached_property
    def _title_cuts(self) -> dict[str, list[str]]:
        """Each document's title as jieba's words (for names made of their first characters, 科创 for 科技创新)."""
        from assistant.index.segmenter import lcut

        return {doc_id: lcut(t) for doc_id, t in self._titles.items()}

    @cached_property
    def _title_words(self) -> dict[str, set[str]]:
        """Word -> documents whose title holds it (jieba words of two or more characters)."""
        from assistant.index.segmenter import lcut

        out: dict[str, set[str]] = {}
        for doc_id, p in self.profiles.items():
            for w in lcut(re.sub(r"[“”\"《》（）()\d—\-]", " ", p.info.title)):
                w = norm(w)
                if len(w) >= 2 and not re.fullmatch(r"[a-z0-9]+", w):
                    out.setdefault(w, set()).add(doc_id)
        return out

    def named(self, question: str) -> tuple[list[list[str]], list[str]]:
        """Documents the question names: one group per "<topic>规划/方案/…" found in titles (explicit), else
        the documents sharing most distinctive title words with it (a word in the titles of at most three
        documents distinguishes them)."""
        groups = self._named_by_kind(question)
        return groups, list(dict.fromkeys(d for g in groups for d in g))

    def _narrowed(self, group: list[str], question: str) -> list[str]:
        """Of several documents a name fits ("政府工作报告"), those whose titles hold most of the question's other
        title words ("甲篇" of "《政府工作报告》之甲篇"): none narrows when no such word is asked."""
        if len(group) < 2:
            return group
        q = norm(question)
        score = {d: sum(len(w) for w, docs in self._title_words.items() if d in docs and w in q and docs < set(group))
                 for d in group}
        top = max(score.values())
        return [d for d in group if score[d] == top] if top >= 2 else group

    def hinted(self, question: str) -> list[str]:
        """Documents sharing distinctive title words with the question (a softer hint than naming them)."""
        return self._sharing_title_words(question)

    def _sharing_title_words(self, question: str) -> list[str]:
        q = norm(question)
        hits: dict[str, int] = {}
        for word, docs in self._title_words.items():
            if len(docs) <= 3 and len(docs) < len(self.profiles) and word in q and not places().lookup(word):
                for d in docs:
                    hits[d] = hits.get(d, 0) + len(word)
        top = max(hits.values(), default=0)
        best = [d for d, n in hits.items() if n == top]
        # one short shared word ("目标") is no hint: a name of four characters or more, or two words, is
        return best if len(best) <= 3 and top >= 4 else []

    @cached_property
    def _about(self) -> dict[str, str]:
        """The document each one presents besides itself (DocumentInfo.about), normalised, with the short name of
        a plan period it names ("第十四个五年" read as 十四五 too)."""
        vocab = vocabulary()
        out = {}
        for doc_id, p in self.profiles.items():
            if p.info.about:
                about = _unquoted(p.info.about)
                spans = {years for _, years in vocab.period_years(about)}
                short = [min((n for n, y in vocab.periods.items() if y == span), key=len) for span in spans]
                out[doc_id] = " ".join([*short, about])
        return out

    def _named_by_kind(self, question: str) -> list[list[str]]:
        # ("市“十四五”纲要" names 市十四五纲要; a 规划纲要 is a 纲要: "十四五规划纲要" is not "十四五规划" of every plan)
        q = _unquoted(question).replace("规划纲要", "纲要")
        out: list[list[str]] = []
        asked = tuple(c[0].name for _, _, cands in places().find(question) if len(c := _one_place(cands)) == 1)
        for m in _NAMED_KIND.finditer(q):
            stem, kind = m.group(1), m.group(2)
            # by a title; else by the document a text presents (a page explaining a plan the collection lacks), of
            # the places the question names ("某区十四五纲要" is not presented by the city's page)
            hits = self._by_title(stem, kind) or self._presenting(stem, kind, asked)
            # of several it fits, those its other title words name ("教育十四五规划" of every 十四五 plan; "甲篇"); a
            # document named twice, by its title and by the plan it presents, is one group
            hits = self._narrowed(hits, question)
            if hits and len(hits) <= 3 and hits not in out:
                out.append(hits)
        return out

    def _presenting(self, stem: str, kind: str, asked: tuple[str, ...]) -> list[str]:
        """The documents presenting the one named (its longest tail of three characters or more so found), of the
        places the question names."""
        found = next((h for i in range(len(stem) - 2) if (h := self._fits(stem[i:], kind, self._about))), [])
        return [d for d in found if not asked or _place_fit(self.profiles[d], asked) >= 1]

    def _by_title(self, stem: str, kind: str) -> list[str]:
        # a plan period said after the topic ("制造业高质量发展十四五规划" for 某市“十四五”制造业高质量发展规划): the
        # topic names the document, of that period
        periods = vocabulary().period_years(stem)
        if periods and len(core := stem.replace(periods[0][0], "")) >= 2 and not stem.startswith(periods[0][0]):
            hits, _ = self._by_kind_in_title(core, kind)
            span = periods[0][1]
            hits = [d for d in hits if any(y == span for _, y in vocabulary().period_years(self._titles[d]))]
            if hits:
                return hits
        hits, tail = self._by_kind_in_title(stem, kind)
        if hits and len(tail) <= 3:
            # only a short tail fits a title of that kind ("推进某某建设的实施|意见" by 的实施): a longer one in a title
            # of another kind is the document meant, its kind misnamed (…某某建设实施方案)
            for size in range(len(stem), 3, -1):  # its longest piece of four characters or more in a title
                for i in range(len(stem) - size + 1):
                    other = [d for d, t in self._titles.items() if stem[i : i + size] in t]
                    if other:
                        return other if len(other) <= 3 else hits
        return hits

    def _by_kind_in_title(self, stem: str, kind: str) -> tuple[list[str], str]:
        """The documents of the kind whose titles hold the stem's longest tail so found, and that tail."""
        for i in range(len(stem) - 1):  # "和制造业" -> "制造业": the longest tail found in a title
            # of its kind too: "有哪些保障措施" names no "…社会保障规划"
            hits = self._fits(stem[i:], kind, self._titles)
            # or by the first characters of its words ("科创规划" for "科技创新和一流创新生态建设规划")
            hits = hits or [
                d for d, t in self._titles.items() if kind in t and _initials(stem[i:], self._title_cuts[d])
            ]
            if hits:
                return hits, stem[i:]
        return [], ""

    @staticmethod
    def _fits(name: str, kind: str, names: dict[str, str]) -> list[str]:
        """The documents whose name (a title, or the document a text presents) holds the name and the kind, or the
        name shortened ("公共服务社保规划" for "公共服务和社会保障规划")."""
        return [d for d, t in names.items() if name in t and kind in t] or [
            d for d, t in names.items() if _shortened(name, t, kind)
        ]

def _shortened(tail: str, title: str, kind: str) -> bool:
    """Whether a title holds a name shortened by leaving characters out: its first two characters together, the
    rest in order within twice its length ("公共服务社保" in "公共服务和社会保障规划")."""
    at = title.find(tail[:2])
    return len(tail) >= 4 and at >= 0 and kind in title and in_order(tail, title[at : at + 2 * len(tail)])


_SKIPPED = frozenset("和与及的")  # words an abbreviation leaves out ("科技创新和…" -> 科创)


def _initials(tail: str, words: list[str]) -> bool:
    """Whether a name is made of the first characters of consecutive words of a title (skipping 和/与/及/的)."""
    if len(tail) < 2:
        return False
    for start in range(len(words)):
        at, ok = start, True
        for ch in tail:
            while at < len(words) and words[at] in _SKIPPED and at > start:
                at += 1
            if at >= len(words) or len(words[at]) < 2 or not words[at].startswith(ch):
                ok = False
                break
            at += 1
        if ok:
            return True
    return False


def place_names(name: str) -> set[str]:
    """A division's full name and its short names ("甘肃省" -> {"甘肃省", "甘肃"})."""
    out = {name}
    for p in places().lookup(name):
        out.update(a for a in p.aliases if len(a) >= 2)
    return out


def _place_fit(p: DocProfile, asked: tuple[str, ...]) -> float:
    if p.place is None:
        return 0.5
    for name in asked:
        if name == NATIONAL:
            if p.level == "national":
                return 1.0
            continue
        if name in (p.place, p.province):
            return 1.0
        hits = places().lookup(name)
        if hits and p.place in hits[0].parents:  # a city's document asked about by its province: partly
            return 0.6
    return 0.1


def _year_fit(p: DocProfile, years: tuple[int, ...]) -> float:
    if not p.years:
        return 0.6
    if p.info.year in years:
        return 1.0  # the year the document is for
    # a plan whose period covers the year, or a report for the next year or a plan for the next period (each
    # reviews the asked one: a "十四五" plan opens with what was done in the "十三五" years)
    if any(y in p.years for y in years) or (p.info.year and any(p.info.year == y + 1 for y in years)):
        return 0.7
    if max(years) + 1 == min(p.years):
        return 0.7
    return 0.3


def _unquoted(text: str) -> str:
    """A name normalised, without the quotes set around a part of it ("某市“十四五”规划")."""
    return re.sub(r"[“”\"‘’「」]", "", norm(text))


DOCUMENT_KINDS = "规划|方案|办法|意见|纲要|报告|措施|通知"  # the words a question names a document's kind by
_NAMED_KIND = re.compile(rf"([\u4e00-\u9fff]{{2,10}}?)({DOCUMENT_KINDS})")


class CatalogCache:
    """The catalog of a store's documents, rebuilt when the store's contents change."""

    def __init__(self, store: object):
        self.store = store
        self._key: object = None
        self._version: int | None = None
        self._catalog: Catalog | None = None

    def get(self) -> Catalog:
        """The catalog for the store's current documents (read again only when the store's version moved:
        listing every file's record is a read of the whole catalog, 300 ms at 250,000 chunks)."""
        version_of = getattr(self.store, "version", None)
        version = version_of() if callable(version_of) else None
        if version is not None and version == self._version and self._catalog is not None:
            return self._catalog
        docs = self.store.documents()  # type: ignore[attr-defined]
        key = tuple((d.doc_id, d.title, d.year, d.place, d.kind) for d in docs)
        if self._catalog is None or key != self._key:
            self._catalog, self._key = Catalog(docs), key
        self._version = version
        return self._catalog


_BRACKETS = str.maketrans("[［(（【]］)）】", "〔〔〔〔〔〕〕〕〕〕")


def doc_number_key(number: str) -> str:
    """A 文号 as compared: no spaces, every bracket 〔〕."""
    return re.sub(r"\s", "", number).translate(_BRACKETS)


def same_number(asked: str, number: str) -> bool:
    """Whether a 文号 asked (its key) is the document's, one of them ending the other."""
    own = doc_number_key(number)
    return asked.endswith(own) or own.endswith(asked)
