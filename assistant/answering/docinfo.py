"""Answers from what a document says about itself: 文号, date and issuing body from its metadata, the years a plan
covers, who delivered a report and at which meeting, whom it is addressed to, and the documents a file holds."""

from __future__ import annotations

import itertools
import re
from dataclasses import replace
from difflib import SequenceMatcher

from assistant.answering.candidates import Candidate
from assistant.answering.frame import QuestionFrame
from assistant.answering.outline import ARTICLE
from assistant.answering.structured import Library, Sources
from assistant.answering.wording import plain_asking
from assistant.models import Chunk, DocumentInfo
from assistant.retrieval.routing import Catalog, doc_number_key, same_number
from assistant.text import norm
from assistant.vocab import section, vocabulary

_FIELDS = (  # (words asking for it, label, DocumentInfo attribute; "谁" may ask for a speaker)
    (("文号", "发文字号", "发文号"), "文号", "doc_number"),
    (("日期", "时间", "哪天", "哪一天", "几号", "何时", "什么时候"), "日期", "date"),
    (("谁", "哪位"), "发文机关", "issuer"),
)
# the issuing body asked by name: after an asking word, or as the one that issued it ("哪个单位", "发文机关")
_BODY_NAMED = re.compile(r"(?:哪个|哪些|哪家|哪一个|什么|啥|哪|发文|印发|制发|出台|发布|制定)的?\s*(?:机关|部门|单位)")


def metadata_units(frame: QuestionFrame, doc: DocumentInfo, library: Library, sources: Sources) -> list[Candidate]:
    """文号/日期/发文机关 of a document from its metadata, each cited at the line of the file that states it
    (a passage when one holds it, else the header or signature line itself)."""
    out = []
    chunks = library.chunks_of(doc.doc_id)
    asked = plain_asking(frame.question)  # ("啥时候发的")
    if cited := cited_number(asked, doc, chunks, sources) or quoted_basis(frame, chunks, sources):
        return cited
    for words, label, attr in _FIELDS:
        value = getattr(doc, attr)
        if not value or not (any(w in asked for w in words) or attr == "issuer" and _BODY_NAMED.search(asked)):
            continue  # (a body asked by name, "哪个单位印发的"; not one named in passing, "给运营单位的")
        where = next((c for c in chunks if norm(value) in norm(c.text)), None)
        if where is not None:
            lines = where.text.split("\n")
            at = next((i for i, ln in enumerate(lines) if norm(value) in norm(ln)), 0)
            line = lines[at].strip() if norm(value) in norm(lines[at]) else value
        else:
            found = library.find_line(doc.source, value, doc.line_start, doc.line_end)
            if found is None or not chunks:
                continue
            n, line = found
            at = 0
            where = _line_chunk(doc, chunks[0], n, line)
        # pos after the chunk's own units: two fields stated in one passage stay two lines
        out.append(Candidate(sources.index_of(where), where, line, f"{label}：{value}", "sentence", pos=10_000 + at))
    effective = effective_units(frame, chunks, sources)
    if effective:  # "自什么时候起施行" is answered by the document's own words ("本办法自印发之日起施行"), dated
        dated = "之日" in effective[0].text  # (the date it is issued, when it takes effect that day)
        out = effective + [u for u in out if dated or not u.display.startswith("日期")]
    report = report_units(frame, chunks, sources)
    credited = credit_units(asked, doc, library, sources)
    if credited or any(_SPEAKER.search(re.sub(r"\s", "", u.text)) for u in report) and not _BODY_NAMED.search(
        frame.question
    ):  # "谁作的" asks who delivered it; "谁整理的" whom the page credits
        out = [u for u in out if not u.display.startswith("发文机关")]
    return out + credited + period_units(frame, doc, chunks, sources) + ([] if credited else report)


def credit_units(asked: str, doc: DocumentInfo, library: Library, sources: Sources) -> list[Candidate]:
    """Whom a page credits in the role a question asks after ("文字是谁整理的", "值班总编是谁"), cited at its line."""
    if not doc.credits or not _WHO.search(asked):
        return []
    words = [r for r in vocabulary().metadata.credit_roles if r in asked]
    roles = [r for r in doc.credits if r in words] or [r for r in doc.credits if any(w in r for w in words)]
    chunks = library.chunks_of(doc.doc_id)
    out: list[Candidate] = []
    for role in roles:
        found = library.find_line(doc.source, doc.credits[role], doc.line_start, doc.line_end)
        if found is None or not chunks:
            continue
        n, line = found
        where = _line_chunk(doc, chunks[0], n, line)
        out.append(Candidate(sources.index_of(where), where, line, f"{role}：{doc.credits[role]}", "sentence",
                             pos=20_000 + len(out)))
    return out


_WHO = re.compile(r"谁|哪位|什么人|名字|姓名")


def period_units(frame: QuestionFrame, doc: DocumentInfo, chunks: list[Chunk], sources: Sources) -> list[Candidate]:
    """The years a plan covers ("规划期限"), cited at the first passage that names both ends."""
    if not doc.period or not any(w in frame.question for w in vocabulary().metadata.period_words):
        return []
    first, last = (str(y) for y in doc.period)
    where = next((c for c in chunks if first in c.text and last in c.text), chunks[0] if chunks else None)
    if where is None:
        return []
    line = next((ln.strip() for ln in where.text.split("\n") if first in ln and last in ln), where.text.split("\n")[0])
    return [Candidate(sources.index_of(where), where, line, f"规划期：{first}—{last}年", "sentence", pos=30_000)]


_OFFICE = r"(国务院(?:副)?总理|(?:代理?)?(?:省|市|州|县|区|盟|旗)长|主席)"
_SPEAKER = re.compile(  # "国务院总理李克强", "某省人民政府代省长某某作政府工作报告", "某市市长 某某同志作…"
    _OFFICE + r"\s*([\u4e00-\u9fff·]{2,4}?)\s*(?:同志)?\s*(?:作|在|各位|$)"  # ("省长 某某某在…会议上的讲话"; the
)  # salutation after it, "…省长 某某某各位代表：", where a file runs the lines together)
# the name before the office: "2025年1月15日某某市长在某市人民代表大会…会议的政府工作报告"
_NAME_FIRST = re.compile(r"(?:日|——|-)\s*([\u4e00-\u9fff·]{2,3}?)\s*" + _OFFICE + r"\s*在")
_MEETING = re.compile(r"在([^，。；\n]{4,40}?会议)(?:上|的)")
# the bodies a document is addressed to (主送): "各县（市）人民政府，州级各部门，……：" opening the text
# or "省有关单位：", "市直各部门："
_ADDRESSEES = re.compile(r"^([^。；：:\n]{0,120}?(?:人民政府|部门|单位|委员会|机构|管委会))[^。；\n]{0,60}?[：:]$")
OPENING_CHUNKS = 2  # where a report names who delivers it and at which meeting
_NAME_LINES = 16  # an office and a name set on two short lines


def report_units(frame: QuestionFrame, chunks: list[Chunk], sources: Sources) -> list[Candidate]:
    """Who delivered a report and at which meeting, and whom a document is addressed to, from the lines that
    open it."""
    asks = [(label, pattern) for label, words, pattern in (("报告人", ("谁", "哪位", "报告人"), _SPEAKER),
                                                           ("会议", ("会议", "会上"), _MEETING),
                                                           ("主送", ("主送", "发给", "印发给", "下发给"), _ADDRESSEES))
            if any(w in frame.question for w in words)]
    out: list[Candidate] = []
    for label, pattern in asks:
        for chunk in chunks[:OPENING_CHUNKS]:
            lines = [line.strip() for line in (*chunk.section, *chunk.text.split("\n"))]
            hit = next(((line, m) for line in lines if (m := pattern.search(line))), None)
            if hit is None and label == "报告人":  # the name before the office
                hit = next(((line, m) for line in lines if (m := _NAME_FIRST.search(line))), None)
            if hit is None and label == "报告人":  # a name spaced out ("李　强"), perhaps on the line after the office
                hit = next(((line, m) for line in (*lines, *(f"{a}\n{b}" for a, b in itertools.pairwise(lines)))
                            if len(line) <= _NAME_LINES and (m := pattern.search(re.sub(r"\s", "", line)))), None)
            if hit is None:
                continue
            line, m = hit
            if any(u.text == line and u.display == line for u in out):
                break  # one line says who and where: quoted once (whole)
            if label == "报告人":  # the office and the name
                value = m.group(2) + m.group(1) if m.re is _NAME_FIRST else m.group(1) + m.group(2)
            elif label == "主送":
                value = line.rstrip("：:")
            else:
                value = m.group(1)
            # a line that says it all ("某日在某会议上某省长某某作政府工作报告。") is quoted whole
            shown = line if line.endswith("。") else f"{label}：{value}"
            out.append(Candidate(sources.index_of(chunk), chunk, line, shown, "sentence", pos=20_000 + len(out)))
            break
    return out


def contents_units(
    frame: QuestionFrame, doc: DocumentInfo, catalog: Catalog, library: Library, sources: Sources
) -> list[Candidate]:
    """The documents a file holds (a gazette's), each by its title and 文号, cited at its opening; those of an
    issuing body the question names ("市政府办公室文件") when only some are."""
    words = section("contents")
    if not (any(w in frame.question for w in words["holds"]) and any(w in frame.question for w in words["documents"])):
        return []
    held = sorted((p.info for p in catalog.profiles.values() if p.info.source == doc.source), key=lambda d: d.line_start)
    if len(held) < 2:
        return []
    asked = norm(frame.question)
    named = [d for d in held if d.issuer and any(asked[i : i + 4] in norm(d.issuer) for i in range(len(asked) - 3))]
    out = []
    for d in named if 0 < len(named) < len(held) else held:
        chunks = library.chunks_of(d.doc_id)
        if chunks:
            shown = f"{d.title}（{d.doc_number}）" if d.doc_number else d.title
            out.append(Candidate(sources.index_of(chunks[0]), chunks[0], d.title, shown, "item"))
    return out


# "许政〔2022〕17号文件印发的是哪个规划", "国发〔2021〕4号是什么文件": which document a 文号 is
_WHICH_DOCUMENT = re.compile(r"(?:哪个|哪份|哪一个|哪一份|什么)[\u4e00-\u9fff]{0,4}(?:规划|文件|方案|意见|办法|通知|报告|纲要|措施|规定)")


_CITED = re.compile(r"《([^》]{4,80})》\s*[（(]([^（）()]{4,30})[）)]")  # "《…实施意见》（某政办〔2018〕75号）"
_SHARED = 8  # characters of a cited title a question must say to name it


def cited_number(asked: str, doc: DocumentInfo, chunks: list[Chunk], sources: Sources) -> list[Candidate]:
    """The 文号 of a document the question names by a title its document only cites ("…回顾时说贯彻了省政府办公厅关于
    积极推进某某的实施意见，这个文件的文号是多少"): the number the text writes beside that title, when the question
    says more of that title than of its document's own."""
    if not any(w in asked for w in _FIELDS[0][0]):
        return []
    q = norm(asked)
    own = _shared(norm(doc.title), q)
    best: tuple[int, Chunk, re.Match[str]] | None = None
    for chunk in chunks:
        for m in _CITED.finditer(chunk.text):
            if vocabulary().doc_number.fullmatch(m.group(2).strip()):
                size = _shared(norm(re.sub(r"\s", "", m.group(1))), q)
                if size >= _SHARED and size > own and (best is None or size > best[0]):
                    best = (size, chunk, m)
    if best is None:
        return []
    _, chunk, m = best
    start = max(chunk.text.rfind("。", 0, m.start()), chunk.text.rfind("\n", 0, m.start())) + 1
    end = chunk.text.find("。", m.end())
    text = chunk.text[start : end + 1 if end >= 0 else len(chunk.text)].strip()
    title = re.sub(r"\s", "", m.group(1))
    return [Candidate(sources.index_of(chunk), chunk, text, f"《{title}》文号：{m.group(2).strip()}", "sentence", pos=m.start())]


_FOLLOWS_DOCUMENT = re.compile(r"(?:按|按照|依据|根据|依照|落实|贯彻)(?:的是)?(?:哪个|哪份|哪一个|什么)文件")


def quoted_basis(frame: QuestionFrame, chunks: list[Chunk], sources: Sources) -> list[Candidate]:
    """"“煤矿智能化水平提升”这项工程是按哪个文件的要求推进的？文号多少": the document the quoted item's paragraph
    cites with its number ("3.煤矿智能化水平提升。按照《…指导意见》（发改能源〔2020〕283号）等要求…")."""
    if not frame.quoted or not _FOLLOWS_DOCUMENT.search(frame.question):
        return []
    for chunk in chunks:
        for q in frame.quoted:
            at = chunk.text.find(q)
            if at < 0:
                continue
            end = chunk.text.find("\n", at)
            for m in _CITED.finditer(chunk.text, at, end if end >= 0 else len(chunk.text)):
                if vocabulary().doc_number.fullmatch(number := m.group(2).strip()):
                    title = re.sub(r"\s", "", m.group(1))
                    shown = f"《{title}》文号：{number}"
                    return [Candidate(sources.index_of(chunk), chunk, chunk.text[at : m.end()], shown, "sentence", pos=m.start())]
    return []


def _shared(a: str, b: str) -> int:
    """The length of the longest run of characters two texts share."""
    return SequenceMatcher(None, a, b, autojunk=False).find_longest_match(0, len(a), 0, len(b)).size


def numbered_title(frame: QuestionFrame, doc: DocumentInfo, library: Library, sources: Sources) -> list[Candidate]:
    """The title of the document a question names by its 文号 and asks which it is, cited at its title line."""
    numbers = [m.group(0) for m in vocabulary().doc_number.finditer(frame.question)]
    if not doc.doc_number or not _WHICH_DOCUMENT.search(frame.question) or not any(
        same_number(doc_number_key(n), doc.doc_number) for n in numbers
    ):
        return []
    chunks = library.chunks_of(doc.doc_id)
    if not chunks:
        return []
    found = library.find_line(doc.source, doc.title, doc.line_start, doc.line_end)
    first = chunks[0]
    outside = found is not None and not first.line_start <= found[0] <= first.line_end
    where = _line_chunk(doc, first, *found) if found is not None and outside else first
    return [Candidate(sources.index_of(where), where, doc.title, doc.title, "sentence")]


def _line_chunk(doc: DocumentInfo, like: Chunk, n: int, line: str) -> Chunk:
    """A line of the document's file cited on its own (a header, signature or title line no passage holds)."""
    return replace(like, id=f"{doc.doc_id}:{n}", section=["文件信息"], text=line, line_start=n, line_end=n,
                   kind="text", index_text=f"{doc.title}\n{line}", page=None)


# "第一条 为规范…，根据…，制定本办法。", "为…，编制本规划。": why a document was made, in its own words
_PURPOSE = re.compile(r"(?<![作成认因行称视以更较最极尤])为了?[^。；]{4,}?[，,][^。]*?(?:制定|编制|制订|出台)了?(?:本[\u4e00-\u9fff]{0,4}|《[^》]+》)[^。]*[。；]")


# "根据《…纲要》和…工作部署，编制《…规划》。": what a document was made on, in its own words
_BASIS = re.compile(r"(?:根据|依据|依照)[^。；]{4,}?[，,][^。]*?(?:制定|编制|制订|出台)了?(?:本[\u4e00-\u9fff]{0,4}|《[^》]+》)[^。]*[。；]")


def purpose_units(frame: QuestionFrame, chunks: list[Chunk], sources: Sources) -> list[Candidate]:
    """Why a document was made ("…的目的是什么"), from the sentence that says so ("为…，制定本办法。"); what it was
    made on ("是依据哪些文件编出来的"), from the sentence that says that ("根据《…》…，编制本规划。")."""
    reading = section("reading")
    if not any(w in frame.question for w in vocabulary().kind_words):
        return []  # (a document's: "开展某行动的目的" asks about the action)
    if any(w in frame.question for w in reading["purpose_words"]):
        pattern = _PURPOSE
    elif re.search(reading["basis_asked"], frame.question):
        pattern = _BASIS
    else:
        return []
    for chunk in chunks:
        m = pattern.search(chunk.text)
        if m:
            start = max(chunk.text.rfind("\n", 0, m.start()), chunk.text.rfind("。", 0, m.start())) + 1
            article = ARTICLE.search(chunk.text, start, m.start())  # "第一章 总则 第一条 为…": from the article
            text = chunk.text[article.start() if article else m.start() : m.end()].strip()
            return [Candidate(sources.index_of(chunk), chunk, text, text, "sentence", pos=m.start())]
    return []


# "本办法自印发之日起施行。", "本办法自发布之日起执行，……": when a document takes effect, in its own words
_EFFECTIVE = re.compile(r"(?:第[一二三四五六七八九十百]+条\s*)?本[\u4e00-\u9fff]{1,6}自[^。；\n]{2,30}?(?:施行|执行|生效|实施)[^。\n]*[。；]?")


def effective_units(frame: QuestionFrame, chunks: list[Chunk], sources: Sources) -> list[Candidate]:
    """When a document takes effect ("自什么时候起施行", "有效期多久"), from the article that says so."""
    if not any(w in frame.question for w in section("reading")["effective_words"]):
        return []
    for chunk in reversed(chunks):  # the closing article
        m = _EFFECTIVE.search(chunk.text)
        if m:
            text = m.group(0).strip()
            return [Candidate(sources.index_of(chunk), chunk, text, text, "sentence", pos=m.start())]
    return []
