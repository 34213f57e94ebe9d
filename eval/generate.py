"""Questions a knowledge base's own documents answer, generated from the targets they set.

Each indicator a target statement gives a figure for ("主要预期目标是：地区生产总值增长5%左右，…") becomes an
eval item asking for it, quoting the clause as its evidence; an indicator that two reports of the same kind both
set becomes a two-part item (two years of the national report, or two places' reports of one year). The items are
answerable by construction, so on documents no suite was written for they measure must_include, citation, wrong
abstention and two-part completeness (not abstention). Nothing is listed: what states targets is the vocabulary's
`[reading] target_statements`, and the documents' titles, places and years come from their metadata.

    python -m eval.generate --data-dir DIR [--out FILE] [--max 200]

Without --out the suite is written to DIR's own suites (`DIR/suites/目标清单.jsonl`), so `assistant eval 目标清单`
runs it like any suite.
"""

from __future__ import annotations

import argparse
import itertools
import json
import re
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.retrieval.routing import NATIONAL, Catalog
from assistant.vocab import section, vocabulary

DEFAULT_NAME = "目标清单"
MAX_ITEMS = 200
MAX_PAIRS = 3  # two-part items per indicator
_VERB = r"增长|下降|降低|涨幅|提高到|达到|控制在|突破"
_CHANGES = ("增长", "下降", "降低", "涨幅")
_PREDICATE = r"(?:控制在|保持在|稳定在|达到|提高到|突破|不低于|不少于|超过|力争|要)$"
_UNIT = r"%|％|‰|万亿元|亿元|万元|元|万人次|万人|人|万户|户|万吨|吨|亿斤|万亩|亩|万千瓦|千瓦|公里|万个|个|家|所|项"
_CLAUSE = re.compile(
    rf"^(?P<ind>[\u4e00-\u9fff]{{2,14}}?)(?P<verb>{_VERB})?\s*(?P<fig>\d+(?:\.\d+)?(?:[%％]?[—\-－~至]\d+(?:\.\d+)?)?\s*"
    rf"(?:{_UNIT}))(?P<tail>左右|以上|以内|以下)?"
)


@dataclass(frozen=True)
class Target:
    """One indicator a document sets a figure for."""

    doc_id: str
    source: str
    indicator: str  # with its verb: "地区生产总值增长"
    figure: str  # as written, with 左右/以上: "5%左右"
    clause: str  # the clause stating it, verbatim


def targets_of(catalog: Catalog, chunks_of) -> list[Target]:  # type: ignore[no-untyped-def]
    """Every indicator a document's target statements give a figure for, in document order."""
    words = "|".join(map(re.escape, section("reading")["target_statements"]))
    # "主要预期目标是：…" or a heading naming the targets with the statement on the next line
    statement = re.compile(rf"(?:{words})[^：:。\n]{{0,6}}(?:[：:]|\s*\n+)([^。\n]+)")
    scope_words = sorted({w for ws in vocabulary().scope.values() for w in ws}, key=len, reverse=True)
    out: list[Target] = []
    for doc_id, profile in catalog.profiles.items():
        seen: set[str] = set()
        for chunk in chunks_of(doc_id):
            text = chunk.text
            statements = [m.group(1) for m in statement.finditer(text.replace("**", ""))]
            if chunk.section and re.search(words, chunk.section[-1]):  # a part headed "主要目标": its sentences
                statements += re.split(r"[。\n]", text)
            for said in statements:
                for raw in re.split(r"[，；,;]", said):
                    clause = raw.strip()
                    # (emphasis a conversion left in, "增长**7.5%**以上", is read through; a table row is no statement)
                    found = _CLAUSE.match(_without(clause.replace("**", ""), scope_words)) if "\t" not in clause else None
                    if not found:
                        continue
                    verb = found.group("verb") or ""  # a predicate ("控制在", "达到") is no part of the indicator's name
                    indicator = re.sub(_PREDICATE, "", found.group("ind") + (verb if verb in _CHANGES else ""))
                    if indicator in seen or found.group("ind").endswith("的"):
                        continue
                    seen.add(indicator)
                    figure = re.sub(r"\s+", "", found.group("fig")) + (found.group("tail") or "")
                    out.append(Target(doc_id, profile.info.source, indicator, figure, clause))
    return out


def _without(clause: str, scope_words: list[str]) -> str:
    """The clause without a scope word opening it ("全省地区生产总值…" -> "地区生产总值…")."""
    return next((clause[len(w) :] for w in scope_words if clause.startswith(w)), clause)


def _label(catalog: Catalog, doc_id: str) -> str:
    """How a question names a document: a work report by its year and place, anything else by its title."""
    p = catalog.profiles[doc_id]
    if p.kind == "work_report" and p.info.year:
        place = "" if p.place in (None, NATIONAL) else p.place
        return f"{p.info.year}年{place}政府工作报告"
    return f"《{p.info.title}》"


def generate(catalog: Catalog, chunks_of, *, limit: int = MAX_ITEMS) -> list[dict]:  # type: ignore[no-untyped-def]
    """Eval items (the suite schema) asking for the targets the documents set: one per target, then two-part ones."""
    found = targets_of(catalog, chunks_of)
    items: list[dict] = []
    for t in found:
        items.append(_item(f"{_label(catalog, t.doc_id)}提出的{t.indicator}目标是多少？", [t], "number"))
    by_indicator: dict[str, list[Target]] = defaultdict(list)
    for t in found:
        if catalog.profiles[t.doc_id].kind == "work_report":
            by_indicator[t.indicator].append(t)
    pairs = []
    for found_for in by_indicator.values():
        ts = sorted(found_for, key=lambda t: (catalog.profiles[t.doc_id].info.year or 0, t.source))
        made = 0
        for a, b in itertools.pairwise(ts):
            question = _pair_question(catalog, a, b)
            if question and made < MAX_PAIRS:
                pairs.append(_item(question, [a, b], "two_part"))
                made += 1
    # singles and pairs interleaved, so a limit keeps some of each
    merged = [x for pair in zip(items, pairs, strict=False) for x in pair] + items[len(pairs) :] + pairs[len(items) :]
    for n, item in enumerate(merged[:limit], 1):
        item["id"] = f"g{n:03d}"
    return merged[:limit]


def _pair_question(catalog: Catalog, a: Target, b: Target) -> str | None:
    """Two reports setting the same indicator, asked together: two years of one place, or two places of one year."""
    pa, pb = catalog.profiles[a.doc_id], catalog.profiles[b.doc_id]
    if pa.place == pb.place and pa.info.year != pb.info.year:
        place = "" if pa.place in (None, NATIONAL) else pa.place
        return f"{pa.info.year}年和{pb.info.year}年{place}政府工作报告提出的{a.indicator}目标分别是多少？"
    if pa.info.year == pb.info.year and pa.place != pb.place and NATIONAL not in (pa.place, pb.place):
        return f"{pa.place}和{pb.place}{pa.info.year}年政府工作报告提出的{a.indicator}目标分别是多少？"
    return None


def _item(question: str, targets: list[Target], kind: str) -> dict:
    return {
        "id": "",
        "question": question,
        "answer": "；".join(t.clause for t in targets),
        "must_include": [t.figure for t in targets],
        "evidence": [t.clause for t in targets],
        "doc": sorted({t.source for t in targets}),
        "section": "",
        "type": kind,
        "split": "test",
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="从知识库文件自身的目标表述生成评测题（可回答的数字题与两问题）")
    parser.add_argument("--data-dir", required=True, type=Path, help="知识库目录（ASSISTANT_DATA_DIR）")
    parser.add_argument("--out", type=Path, help=f"输出 .jsonl（默认：知识库的 suites/{DEFAULT_NAME}.jsonl）")
    parser.add_argument("--max", type=int, default=MAX_ITEMS, help="最多生成多少题")
    args = parser.parse_args(argv)
    from assistant.config import load_settings
    from assistant.service import build_assistant

    built = build_assistant(load_settings(data_dir=args.data_dir))
    chain: Any = built.answerer  # the LangChain answerer (its catalog and document library)
    items = generate(chain.catalogs.get(), chain.documents.chunks_of, limit=args.max)
    out = args.out or args.data_dir / "suites" / f"{DEFAULT_NAME}.jsonl"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("".join(json.dumps(i, ensure_ascii=False) + "\n" for i in items), encoding="utf-8")
    singles = sum(1 for i in items if i["type"] == "number")
    print(f"{len(items)} 题（{singles} 道数字题，{len(items) - singles} 道两问题）已写入 {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
