"""The offline answerer: frame the question, score every candidate unit with the fitted model, decide per
facet whether the sources answer it, answer each facet from its best units (labelled), or decline."""

from __future__ import annotations

from dataclasses import dataclass, field

from assistant.answering.annexes import annex_units, defined_term
from assistant.answering.asked_years import facet_relative, keep_asked_years
from assistant.answering.aspects import (
    announced_parts,
    article_items,
    aspect_units,
    nth_item,
)
from assistant.answering.candidates import Candidate, candidates_of, transmits
from assistant.answering.choose import checked_units
from assistant.answering.decide import facet_features
from assistant.answering.docinfo import (
    contents_units,
    effective_units,
    metadata_units,
    numbered_title,
    purpose_units,
)
from assistant.answering.eligible import eligible
from assistant.answering.features import features
from assistant.answering.figures import focused
from assistant.answering.frame import Facet, QuestionFrame
from assistant.answering.kinds_said import kind_said
from assistant.answering.leads import lead_items
from assistant.answering.outline import date_parts, part_years
from assistant.answering.parts import (
    COMPANION_FLOOR,
    FacetAnswer,
    companions,
    frame_for,
    giving_way,
    own_part,
    part_frame,
    says_own,
    sure_parts,
    topic_words,
    unnamed_together,
)
from assistant.answering.present import lead_in, not_held, own_columns
from assistant.answering.scorer import Scorer, load_scorer
from assistant.answering.sections import part_about, quoted_point, section_units
from assistant.answering.select import Scored, defines_quoted
from assistant.answering.stats import CollectionStats
from assistant.answering.structured import (
    COUNTS_PARTS,
    COUNTS_WHOLE,
    Library,
    Sources,
    counts_part,
    other_document,
    part_missing,
    part_units,
    structure_units,
)
from assistant.answering.terms import QuestionTerms, question_terms
from assistant.models import Retrieved
from assistant.retrieval.routing import Catalog, doc_number_key
from assistant.synonyms import SynonymSource
from assistant.text import norm
from assistant.vocab import Synonyms

NOT_FOUND = "文档中未提及"
FACET_MISSING = "文档中未找到相关内容"


@dataclass
class Draft:
    """An offline answer: text with [n] markers, the quote behind each marker, the sources it cites from."""

    text: str
    support: dict[int, str]
    abstained: bool
    contexts: list[Retrieved] = field(default_factory=list)  # what [n] refers to (n = index + 1)
    facets: list[FacetAnswer] = field(default_factory=list)


class OfflineAnswerer:
    """Scores candidates with the fitted models and assembles cited answers; thread-safe."""

    def __init__(self, scorer: Scorer | None = None, synonyms: SynonymSource | None = None):
        self._scorer = scorer
        self._synonyms = synonyms  # equivalent wordings matched as one term (None: exact words only)

    @property
    def synonyms(self) -> Synonyms | None:
        """The synonym table in use for the next question (users' groups apply without a restart)."""
        return self._synonyms.current() if self._synonyms is not None else None

    @property
    def synonyms_version(self) -> object:
        """What identifies the table in use (caches keyed on it are rebuilt when a user changes it)."""
        table = self.synonyms
        return (getattr(self._synonyms, "version", None), table.version if table is not None else None)

    @property
    def scorer(self) -> Scorer:
        """The fitted models (the shipped ones unless others were given), read on first use."""
        if self._scorer is None:
            self._scorer = load_scorer()
        return self._scorer

    def answer(
        self, frame: QuestionFrame, pool: list[Retrieved], catalog: Catalog, stats: CollectionStats, *, k: int,
        library: Library,
    ) -> Draft:
        """Answer from a pool of retrieved passages; the cited passages first, then the rest of the first k.

        `library` gives a document's chunks and source lines, for answers from its structure and metadata.
        """
        if not pool:
            return Draft(NOT_FOUND, {}, True, [])
        unheld = [n for n in frame.unheld_numbers if not any(doc_number_key(n) in doc_number_key(r.chunk.text) for r in pool)]
        if unheld:  # a document named by a 文号 the collection does not hold: another document does not answer
            return Draft(f"{NOT_FOUND}。知识库中没有文号为{'、'.join(unheld)}的文件。", {}, True, pool[:k])
        # (a document's part years read once while the collection is unchanged)
        units = date_parts(candidates_of(pool), lambda doc_id: stats.memo(
            ("part years", doc_id), lambda: part_years(library.chunks_of(doc_id))))
        sources = Sources(list(pool))
        facets = frame.facets or [Facet("", frame.scope)]
        results: list[FacetAnswer] = []
        for f in facets:
            taken = {r.units[0].key for r in results if r.units}  # what earlier parts are answered by first
            results.append(self.answer_facet(frame, f, units, sources, catalog, stats, library, taken=taken))
        for i in companions(results, self.scorer.threshold):
            results[i] = self.answer_facet(frame, facets[i], units, sources, catalog, stats, library, floor=COMPANION_FLOOR)
        for i, key in giving_way(results):
            again = self.answer_facet(frame, facets[i], units, sources, catalog, stats, library, floor=COMPANION_FLOOR,
                                      given_way=key)
            results[i] = again if again.units else results[i]
        for i in sure_parts(results, self.scorer.threshold):
            results[i] = self.answer_facet(frame, facets[i], units, sources, catalog, stats, library, sure=True)
        results = unnamed_together(results, facets, frame)
        if not any(r.units for r in results):
            reason = not_held(frame.scope, catalog) if all(f.scope == frame.scope for f in frame.facets) else None
            return Draft(f"{NOT_FOUND}。{reason}" if reason else NOT_FOUND, {}, True, pool[:k], results)
        return assemble(results, sources.pool, k=k, multi=len(facets) > 1)

    def answer_facet(
        self, frame: QuestionFrame, facet: Facet, units: list[Candidate], sources: Sources,
        catalog: Catalog, stats: CollectionStats, library: Library, floor: float | None = None,
        taken: frozenset[tuple[str, int]] | set[tuple[str, int]] = frozenset(), sure: bool = False,
        given_way: tuple[str, int] | None = None,
    ) -> FacetAnswer:
        """The units answering one facet (none when the decider says the sources do not answer it)."""
        pool = sources.pool
        frame = frame_for(frame, facet)
        terms = question_terms(frame, stats, facet.text or None, self.synonyms, facet.shared)
        weights = catalog.weights(facet.scope)
        years = {d: p.info.year for d, p in catalog.profiles.items()}
        units = [] if part_missing(frame, facet.scope, catalog, library) else eligible(units, facet, catalog)
        relative = facet_relative(frame, facet)
        if relative and not (facet.scope.years or facet.scope.doc_years):
            units = [u for u in units if u.chunk.doc_id not in catalog.superseded]  # "今年" is the newest report's
        if frame.answer_type not in ("metadata", "entity"):  # the cover letter says who issued what, to whom
            units = [u for u in units if not transmits(u.text)]
        vectors = [
            features(u, frame, terms, pool, facet.scope, weights, years.get(u.chunk.doc_id), relative)
            for u in units
        ]
        units, vectors = keep_asked_years(units, vectors, facet.text or frame.question, facet.scope, relative, years)
        probs = [self.scorer.unit.probability(v) for v in vectors]
        decision = facet_features(probs, vectors, units, frame, terms, facet.scope, catalog)
        p_answer = self.scorer.facet.probability(decision)
        scored = sorted((Scored(u, p) for u, p in zip(units, probs, strict=True)
                         if u.key != given_way), key=lambda s: -s.p)  # (a unit another part claims: parts.giving_way)
        # the documents the question names (by title), those its best passages are of first; else its best passage's
        best = {s.unit.chunk.doc_id: i for i, s in reversed(list(enumerate(scored)))}
        routed = sorted(facet.scope.doc_ids, key=lambda d: best.get(d, len(scored))) or [
            s.unit.chunk.doc_id for s in scored[:1]
        ]
        words = topic_words(frame, facet, terms, stats)  # (a part asking what a section says names it by its own words)
        structural = next(
            (found for d in routed if (found := self._structural(frame, d, catalog, library, sources, terms, words))), []
        )
        if structural and structural[0].key in taken and (own := part_frame(frame, facet)) is not frame:
            # a later part asks a structure of its own ("共几章？“重点任务”那一章下面有几节？"), not the first part's again
            structural = next(
                (found for d in routed if (found := self._structural(own, d, catalog, library, sources))), []
            )
        if structural:
            return FacetAnswer(facet.label, structural, max(p_answer, self.scorer.threshold), scored[:8], facet.text)
        chosen: list[Candidate] = []
        floor = self.scorer.unit_floor if floor is None else floor
        if (p_answer >= self.scorer.threshold or sure) and scored and scored[0].p >= floor:
            scored = own_part(scored, terms, taken, floor) if facet.text else scored
            asked = facet.text or frame.question
            chosen = checked_units(scored, frame, units, terms, asked, extra=self.scorer.extra, floor=floor,
                                   catalog=catalog, library=library, stats=stats, taken=taken)
            if frame.wants_number and frame.answer_type != "list" and not (facet.text and facet.shared):
                # (a sub-question's statement often answers the other parts too: it is shown whole)
                chosen = focused(chosen, terms, asked)  # (none when what would be shown holds no figure)
            if frame.multi and facet.scope.places != frame.scope.places:
                chosen = [own_columns(u, facet.scope.places, frame.scope.places) for u in chosen]
            lead = lead_in(chosen, frame.answer_type, frame.question)
            if lead is not None and not any(u.intro == lead.pos for u in chosen) and not defines_quoted(chosen, frame):
                items = lead_items(lead, library.chunks_of(lead.chunk.doc_id), sources)
                # the items a lead-in announces answer a list question: the rest chosen beside it does not
                chosen = [lead, *items] if len(items) >= 2 and frame.answer_type == "list" else chosen + items
            chosen = kind_said(chosen, asked, terms, catalog, years)
        return FacetAnswer(facet.label, chosen, p_answer, scored[:8], facet.text)

    @staticmethod
    def _structural(
        frame: QuestionFrame, doc_id: str, catalog: Catalog, library: Library, sources: Sources,
        terms: QuestionTerms | None = None, part_words: list[str] | None = None,
    ) -> list[Candidate]:
        """Metadata, structure and section answers from the routed document, when the question asks for one."""
        profile = catalog.profiles.get(doc_id)
        if profile is None:
            return []
        held = contents_units(frame, profile.info, catalog, library, sources) or numbered_title(
            frame, profile.info, library, sources
        )
        if held:
            return held
        if frame.answer_type == "metadata":
            if other_document(frame.question, profile.kind, profile.info.title):  # (what it speaks of, not itself)
                return []
            return metadata_units(frame, profile.info, library, sources)
        chunks = library.chunks_of(doc_id)
        if about := part_about(frame, chunks, sources):  # "讲文化的是第几部分？标题叫什么？": both parts by its heading
            return about
        if annexes := annex_units(frame, chunks, sources) or defined_term(frame, chunks, sources) or nth_item(
            frame, chunks, sources
        ):  # "附了几个附件？", "“编外院长”是什么意思", "“十大民生实事”的第一件包括哪些"
            return annexes
        # "第三章讲什么"; of a structure or count question, when it counts what a part it names holds ("第九章下面分了
        # 几节"; not when it counts the document's own parts, "一共分几大部分？第八部分叫什么")
        names_part = frame.answer_type not in ("structure", "quantity") or bool(
            counts_part(frame.question) and not COUNTS_WHOLE.search(frame.question))
        if names_part and (part := part_units(frame, chunks, sources)):
            return part
        if frame.answer_type in ("quantity", "structure") and (listed := article_items(frame, chunks, sources)):
            return listed  # "第N条列了多少种情形": its items, counted
        if frame.answer_type == "date" and (effective := effective_units(frame, chunks, sources)):
            return effective
        purpose = purpose_units(frame, chunks, sources)
        if purpose:
            return purpose
        if frame.answer_type == "structure":
            return structure_units(frame, chunks, sources)
        if frame.answer_type in ("description", "list") or frame.answer_type == "quantity" and COUNTS_PARTS.search(
            frame.question
        ):  # a section the question names: its sub-headings (how many, "…工作任务分为几个方面"; what a part holds)
            found = section_units(frame, chunks, sources) or aspect_units(frame, chunks, sources) or (
                announced_parts(frame, chunks, sources) if frame.answer_type == "quantity" else []
            )
            # (none of a part's own words in its headings: the whole question's words named another part's section)
            if found and (part_words is None or terms is None or says_own(found, terms, part_words)):
                return found
        return quoted_point(frame, chunks, sources)  # "“某某”具体要干啥": the point run in with what it sets out


def assemble(results: list[FacetAnswer], pool: list[Retrieved], *, k: int, multi: bool) -> Draft:
    """Answer text: one line per unit with its [n]; facets labelled, a facet without evidence said so.

    Sources are the passages the answer cites, in the order it first cites them (so its markers read [1], [2], …
    and the passages it stands on are listed first), then the rest of the first k passages of the pool.
    """
    cited = list(dict.fromkeys(u.context for r in results for u in r.units))
    order = cited + [i for i in range(min(k, len(pool))) if i not in cited]
    number = {i: n for n, i in enumerate(order, 1)}
    lines: list[str] = []
    support: dict[int, str] = {}
    labelled = multi and any(r.label for r in results)
    seen: dict[tuple[str, int], list[str]] = {}  # what was shown of each passage
    last: list[str] = []  # what the previous labelled facet showed
    for r in results:
        shown = []
        said: set[str] = set()
        for u in r.units:
            shown_as = norm(u.display)
            if not labelled and any(shown_as in d or d in shown_as for d in seen.get(u.key, ())) or shown_as in said:
                continue  # the same passage (or a sentence two overlapping chunks share) is shown once
            seen.setdefault(u.key, []).append(shown_as)  # (a heading counted otherwise, "共八节：第一节…", is not it)
            said.add(shown_as)
            n = number[u.context]
            support.setdefault(n, u.text)
            shown.append(f"{u.display}[{n}]")
        if labelled and shown and shown == last:  # one statement answers both: "甲、乙：…", shown once
            label, _, body = lines[-1].partition("：")
            lines[-1] = f"{label}、{r.label}：{body}"
        elif labelled:
            lines.append(f"{r.label}：" + ("\n".join(shown) if shown else FACET_MISSING))
        elif multi and not shown and not any(u.key in seen for u in r.units):
            lines.append(f"关于“{r.text or r.label}”：{FACET_MISSING}")
        else:
            lines += shown
        last = shown
    return Draft("\n".join(lines), support, False, [pool[i] for i in order], results)
