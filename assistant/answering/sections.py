"""The section a question names or describes ("…的主要目标", "哪几条基本原则"), answered by its sub-headings or its
first statements; a document's parts when a question asks what a document sets out and no part is so named."""

from __future__ import annotations

import re
from dataclasses import replace

from assistant.answering.candidates import Candidate, run_in_points, signs, units_of
from assistant.answering.frame import QuestionFrame
from assistant.answering.leads import lead_items
from assistant.answering.outline import Heading, best_heading, children, heading_name, outline
from assistant.answering.structured import (
    COUNTS_PARTS,
    MAX_PARTS,
    MAX_SECTION_UNITS,
    Sources,
    _heading_with_lead,
    ordinal_points,
    parts_shown,
)
from assistant.answering.wording import POINTING
from assistant.models import Chunk
from assistant.text import cn_numeral, norm
from assistant.vocab import section, vocabulary


def _point_head(point: Candidate) -> str:
    """A run-in point's head without its number ("3. 健全应急医疗物资保障体系：…" -> 健全应急医疗物资保障体系)."""
    return heading_name(point.display.split("：")[0]).strip("。.")


def _holding_quote(heads: list[Heading], quoted: list[str]) -> Heading | None:
    """The one heading whose name holds a phrase the question quotes ("“一老一小”那部分" of "（三）优化“一老一小”服务，
    促进人口均衡发展"), when exactly one does."""
    for q in (norm(q) for q in quoted if len(q) >= 4):
        hits = [h for h in heads if q in heading_name(h.title)]
        if len({h.path for h in hits}) == 1:
            return hits[0]
    return None


# a section named by its topic and pointed at ("推进现代化产业体系建设那一节", "讲住房保障的那章")
_POINTED = re.compile(r"(?:^|[里中，,、])(?:讲|关于|说|写)?([\u4e00-\u9fff]{2,16}?)(?:的)?(?:那|这)一?(?:节|章|部分|块)")
_NAMING = 0.5  # share of the phrase's character pairs a heading must hold to be the section it names
# ... asked what it sets out as a whole ("主要从哪几个方面部署", "具体分了哪几块", "都讲了些什么"), not a thing in it
_WHOLE_ASK = re.compile(r"[，,]?(?:下面|下边|底下|里面)?(?:主要|都|具体|一共|大概)*(?:任务|内容|措施|要求|工作)?(?:从|是)?(?:讲|说|写|谈|部署|安排|提|分|包括|有)*了?"
                        r"(?:些|哪些|哪几|几|什么|啥)个?(?:方面|块|条|项|部分|内容|工作|要求|任务|措施)?"
                        r"(?:讲|说|写|部署|安排|提)?了?(?:些|什么|啥)?[？?]?")


def _pointed_at(heads: list[Heading], question: str) -> Heading | None:
    """The heading a question points at by its topic ("某省今年报告里推进现代化产业体系建设那一节" of "（三）更大力度
    推动现代化产业体系建设"): the one holding most of the phrase's character pairs, at least half, and more than any
    other."""
    q = norm(question)
    m = _POINTED.search(q)
    if not m or not _WHOLE_ASK.fullmatch(q[m.end() :]):
        return None
    pairs = {m.group(1)[i : i + 2] for i in range(len(m.group(1)) - 1)}
    scored = sorted(((sum(p in heading_name(h.title) for p in pairs) / len(pairs), h) for h in heads),
                    key=lambda x: -x[0])
    if not scored or scored[0][0] < _NAMING or len(scored) > 1 and scored[1][0] == scored[0][0] and (
            scored[1][1].path != scored[0][1].path):
        return None
    return scored[0][1]


def section_units(frame: QuestionFrame, chunks: list[Chunk], sources: Sources) -> list[Candidate]:
    """The section a description question asks about ("主要目标"), or a list question names ("哪几条基本原则"): its
    sub-headings, else its first statements."""
    words = tuple(w for w in vocabulary().question["description"] if w in frame.question)
    heads = outline(chunks)
    # a section the question quotes by its heading ("“持续推进美丽某省建设”这一块安排了哪几方面的工作")
    quoted = next((h for h in heads for q in frame.quoted if norm(q) == heading_name(h.title)), None) or _holding_quote(
        heads, frame.quoted) or _pointed_at(heads, frame.question)
    if not words and not (quoted and frame.answer_type in ("list", "description", "quantity")):
        return []  # ("“某某”那一章下面分了几节": a section quoted and counted)
    # the words naming the document itself ("数据专区" of a guide on data zones) do not tell its parts apart
    title = norm(chunks[0].title) if chunks else ""
    # (a part the question points at holds the one its words ask for: "讲住房保障的那章，主要任务分哪几条")
    within = [h for h in heads if quoted is not None and h.path[: len(quoted.path)] == quoted.path]
    terms = [t for t in frame.terms if t not in title and not t.isdigit()]  # (a year says when, no topic: "2021年重点工作")
    best = quoted if not words else best_heading(within or heads, terms, words) or quoted
    if best is None:
        return overview_units(frame, heads, sources)
    # a term the question quotes ("“某术语”是怎么解释的") that the section does not name is what it asks about
    named = norm(" ".join((*best.path, title)))
    if any(norm(q) not in named for q in frame.quoted):
        return []
    if best is not quoted and frame.answer_type in ("list", "quantity") and not any(norm(w) in norm(best.title) for w in words):
        return []  # a list question is answered by a section only when it names the section ("哪几条基本原则")
    below = children(heads, best.path)
    if frame.answer_type == "quantity":  # "…有几项基本原则": counted by the section's parts, all of them shown
        # (parts written as numbered paragraphs, "（一）…。（二）…。", when it has no sub-headings)
        units = [_heading_with_lead(h, sources) for h in below[:MAX_PARTS]] if len(below) >= 2 else ordinal_points(
            [c for c in chunks if tuple(c.section) == best.path], sources
        )
        if len(units) < 2:
            return []
        asked = COUNTS_PARTS.search(frame.question)
        n = len(below) if len(below) >= 2 else len(units)
        units[0] = replace(units[0], display=f"共{cn_numeral(n)}{asked.group(1) if asked else '项'}：{units[0].display}")
        return units
    if len(below) >= 2:
        return parts_shown(below, sources, every=frame.answer_type == "list")
    i = sources.index_of(best.chunk)
    units = units_of(best.chunk, i)
    lead = next((u for u in units[:2] if u.kind == "lead"), None)  # the section opens by announcing a list
    if lead is not None and not any(u.intro == lead.pos for u in units):
        items = lead_items(lead, chunks, sources)  # spelled out below it, as heads of their paragraphs
        if items:
            return [*units[: lead.pos + 1], *items]
    # a section of points ("——以人为本、健康优先。坚持…"), each shown by its head with its first statement (in
    # every chunk of the section)
    points = list({p.display: p for c in chunks if c.section == best.chunk.section
                   for p in run_in_points(units_of(c, sources.index_of(c)))}.values())  # (chunks overlap)
    # one point the question quotes by its head ("“健全应急医疗物资保障体系”这一条讲了什么"): that point's own statements
    heads_quoted = [p for p in points if any(norm(q) == _point_head(p) for q in frame.quoted)]
    if len(heads_quoted) == 1:
        point = heads_quoted[0]
        own = units_of(point.chunk, point.context)
        # (up to the next point's head, "4. 优化…" in the same passage)
        end = min((p.pos - 1 for p in run_in_points(own) if p.pos > point.pos), default=len(own) + 1)
        return [u for u in own if point.pos - 1 <= u.pos < end][:MAX_SECTION_UNITS]
    # (few points all in the passage found read with it; points running on into further passages are listed, each
    # by its head: "1. 强化知识产权创造运用。…" here, "2. 加大知识产权保护力度。…" in the next)
    if len(points) * 2 <= MAX_SECTION_UNITS and not (len(points) >= 2 and any(p.chunk.id != best.chunk.id for p in points)):
        return units[:MAX_SECTION_UNITS]
    first = next((p for p in points if p.chunk.id == best.chunk.id), None)  # (its head is the unit before it)
    opening = [u for u in units if first is not None and u.pos < first.pos - 1][:2]
    return [*opening, *points][:MAX_PARTS]  # (what the section says before its points leads them)


def overview_units(frame: QuestionFrame, heads: list[Heading], sources: Sources) -> list[Candidate]:
    """"某实施意见提出了哪些措施" with no part of that name: the parts of the document it names, each with its
    first statement."""
    overview = section("contents")["overview"]
    if not frame.scope.doc_ids or not any(w in frame.question for w in overview) or _names_topic(frame, heads, overview):
        return []
    parts = [h for h in children(heads, ()) if not signs(h.title)]  # a letterhead is no part
    return [_heading_with_lead(h, sources) for h in parts[:MAX_PARTS]] if len(parts) >= 2 else []


def _names_topic(frame: QuestionFrame, heads: list[Heading], overview: list[str]) -> bool:
    """Whether the question names a topic of its own beside the document ("某规划里减轻噪声污染提了哪些措施": the
    measures on noise, not the document's parts): a term that is not the document's title's, a plan period, a kind of
    document or the word asking the overview."""
    vocab = vocabulary()
    title = norm(heads[0].chunk.title) if heads else ""
    # (pieces of a kind, "实施|意见"; of the overview asked, "主要|任务"; words pointing at it, "这份")
    general = (*(w for words in vocab.kinds.values() for w in words), *overview, *section("follow_up")["references"],
               *POINTING)
    return any(t not in title and not vocab.period_years(t) and not any(t in w for w in general) for t in frame.terms)


_BULLET = "◉●○•·■□◆◇▪▶►→*-—　 "
MIN_QUOTED = 5  # a quoted point's name this long at least: shorter quotes are terms, not points


def quoted_point(frame: QuestionFrame, chunks: list[Chunk], sources: Sources) -> list[Candidate]:
    """A point the question quotes by its name ("“构建更具活力的市场经济体制机制”具体要干啥") that the document
    runs in with what it sets out ("◉构建更具活力的市场经济体制机制：坚持…；深化…；建设…"): its line whole, when
    one line of the document opens with the name (a figure asked, or a question of several parts, is answered
    otherwise)."""
    if frame.wants_number or frame.multi or frame.answer_type not in ("description", "fact", "list"):
        return []
    for q in (norm(q) for q in frame.quoted if len(q) >= MIN_QUOTED):
        found = {norm(line): (c, line) for c in chunks for line in c.text.split("\n") if _runs_in(norm(line), q)}
        if len(found) == 1:
            chunk, line = next(iter(found.values()))
            return [u for u in units_of(chunk, sources.index_of(chunk)) if norm(u.text) in norm(line)]
    return []


MIN_SET_OUT = 8  # what a point sets out after its name, at least (not a title over items: "八个走在前列：")


def _runs_in(line: str, name: str) -> bool:
    """Whether a (normalised) line opens with the name, a colon, and what it sets out."""
    body = line.lstrip(_BULLET)
    return body.startswith(name) and body[len(name) : len(name) + 1] in "：:" and len(body) - len(name) > MIN_SET_OUT


# "讲文化的是第几部分", "关于生态的内容在哪一章": the part about a topic asked for
_PART_ABOUT = re.compile(r"(?:讲|说|写|谈|关于)([\u4e00-\u9fff]{1,8}?)的(?:内容|那部分)?(?:是|在)(?:第几|哪)")


def part_about(frame: QuestionFrame, chunks: list[Chunk], sources: Sources) -> list[Candidate]:
    """The heading of the part a question asks by its topic ("某省今年的报告部署25年工作时，讲文化的是第几部分"):
    of the headings naming the topic, the one whose path names most of the question's other words; none when no
    heading names it or two fit as well."""
    q = norm(frame.question)
    m = _PART_ABOUT.search(q)
    # (one that also counts the parts, "一共分几个方面？讲海洋经济的是第几项？", is answered by all of them, numbered)
    if m is None or COUNTS_PARTS.search(q[: m.start()] + q[m.end() + 2 :]):
        return []
    topic = m.group(1)
    heads = [h for h in outline(chunks) if topic in norm(h.title)]
    if not heads:
        return []
    terms = [t for t in frame.terms if t not in topic]

    def fit(h: Heading) -> int:
        path = norm(" ".join(h.path))
        return sum(len(t) for t in terms if t in path)

    heads.sort(key=fit, reverse=True)
    if len(heads) > 1 and fit(heads[0]) == fit(heads[1]):
        return []
    h = heads[0]
    shown = " › ".join(h.path)
    return [Candidate(sources.index_of(h.chunk), h.chunk, h.title, shown, "item")]
