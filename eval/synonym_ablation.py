"""What the shipped synonym table adds, group by group, and with it on and off.

    python -m eval.synonym_ablation --index sample=DATA_DIR:dev,heldout,tune_sample \\
        --index more=DATA_DIR:corpus_more,tune_more [--out ablation.md]

The table serves two readers: the answerer's term matching and the curated-pair matching. Decide on the tune
splits: each group is left out in turn, the tune questions of every corpus are asked again and the tune pairs of
eval/suites/pairs/curated_match.jsonl matched again; a group is kept when leaving it out loses something (an
item that passed, a rewording that matched) and gains nothing anywhere (no item passes only without it, no
non-match matches only with it). A group nothing on the tune splits uses has no measured effect and is not kept.
Then report on the test splits: no synonyms, the whole table measured, and the kept groups. Nothing is decided
on a test split. NAME of an index is the corpus of the pairs it answers (sample, more).
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.config import load_settings
from assistant.service import build_assistant
from assistant.vocab import DATA_DIR, Synonyms, read_groups
from eval.runner import run_suite
from eval.suite import EvalItem, load_suite, select_split

METRICS = ("must_include", "abstention_recall", "wrong_abstention_rate", "citation_accuracy", "multi_part_complete")


@dataclass
class Corpus:
    name: str
    assistant: Any
    suites: list[str]


def _spec(text: str) -> tuple[str, str, list[str]]:
    name, _, rest = text.partition("=")
    data_dir, _, suites = rest.rpartition(":")
    return name, data_dir, [s for s in suites.split(",") if s]


def _ask(assistant: Any, items: list[EvalItem], table: Synonyms | None, suite: str = "") -> Any:
    assistant.answerer.offline._synonyms = table  # the answerer reads its table at every question
    return run_suite(assistant, items, suite=suite)


def _passed(report: Any) -> set[str]:
    return {r.id for r in report.items if r.passed}


def uses(group: list[str], items: list[EvalItem]) -> int:
    """How many questions name a term of the group."""
    table = Synonyms([group])
    return sum(bool(table.in_text(i.question)) for i in items)


def curated_counts(corpora: list[Corpus], pairs: list[Any], table: Synonyms | None, split: str) -> tuple[int, int]:
    """(rewordings matched, non-matches matched) of one split of the pairs with a table."""
    from assistant.answering.curated import question_key, similarity, term_weights

    matched = false = 0
    for c in corpora:
        chain = c.assistant.answerer
        catalog, weight = chain.catalogs.get(), term_weights(chain.stats.get())
        threshold = c.assistant.settings.curated_threshold
        keys: dict[str, Any] = {}
        for p in (p for p in pairs if p.corpus == c.name and p.split == split):
            for q in (p.stored, p.asked):
                if q not in keys:
                    keys[q] = question_key(q, catalog, table)
            hit = similarity(keys[p.stored], keys[p.asked], weight) >= threshold
            matched += hit and p.same
            false += hit and not p.same
    return matched, false


def main(argv: list[str] | None = None) -> int:
    """Decide per group on tune, report test; print (and write) both tables."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--index", action="append", required=True, type=_spec, metavar="NAME=DATA_DIR:SUITES")
    parser.add_argument("--out", type=Path)
    parser.add_argument("--table", type=Path, default=DATA_DIR / "synonyms.txt", help="the table to measure")
    args = parser.parse_args(argv)
    groups = read_groups(args.table)
    corpora = [Corpus(name, build_assistant(load_settings(data_dir=d)), suites) for name, d, suites in args.index]
    tune = {c.name: [i for s in c.suites for i in select_split(load_suite(s).items, "tune")] for c in corpora}
    from eval.fit_curated import load_pairs

    pairs = load_pairs()
    full = Synonyms(groups)
    base = {c.name: _passed(_ask(c.assistant, tune[c.name], full)) for c in corpora}
    none = {c.name: _passed(_ask(c.assistant, tune[c.name], None)) for c in corpora}
    matched, false = curated_counts(corpora, pairs, full, "tune")
    plain = curated_counts(corpora, pairs, None, "tune")
    lines = ["### Tune splits: leave one group out", "",
             "Items passing with the whole table: " + ", ".join(f"{c.name} {len(base[c.name])}/{len(tune[c.name])}"
                                                               for c in corpora)
             + "; without any synonyms: " + ", ".join(f"{c.name} {len(none[c.name])}" for c in corpora)
             + f". Curated pairs (tune): {matched} rewordings matched, {false} false matches with the whole table; "
             f"{plain[0]} and {plain[1]} without synonyms.", "",
             "| group | tune questions using it | " + " | ".join(f"{c.name}: lost / gained without it" for c in corpora)
             + " | curated rewordings lost / false matches removed without it | kept |",
             "|---|---|" + "---|" * len(corpora) + "---|---|"]
    kept: list[list[str]] = []
    for n, group in enumerate(groups):
        used = {c.name: uses(group, tune[c.name]) for c in corpora}
        rest = Synonyms(groups[:n] + groups[n + 1:])
        cells, lost_any, gained_any = [], False, False
        for c in corpora:
            if not used[c.name]:
                cells.append("—")
                continue
            without = _passed(_ask(c.assistant, tune[c.name], rest))
            lost, gained = len(base[c.name] - without), len(without - base[c.name])
            lost_any, gained_any = lost_any or lost > 0, gained_any or gained > 0
            cells.append(f"{lost} / {gained}")
        m, f = curated_counts(corpora, pairs, rest, "tune")
        lost_c, gained_c, fixed = matched - m, max(0, m - matched), false - f
        keep = (lost_any or lost_c > 0) and not gained_any and not gained_c and fixed <= 0
        if keep:
            kept.append(group)
        total = " + ".join(str(used[c.name]) for c in corpora)
        lines.append(f"| {'|'.join(group)} | {total} | " + " | ".join(cells)
                     + f" | {lost_c} / {max(0, fixed)} | {'yes' if keep else 'no'} |")
        print(lines[-1], file=sys.stderr)
    lines += ["", "### Test splits", "", "| suite | synonyms | " + " | ".join(METRICS) + " |",
              "|---|---|" + "---|" * len(METRICS)]
    for c in corpora:
        for suite in c.suites:
            loaded = load_suite(suite)
            items = select_split(loaded.items, "test")
            if not items:
                continue
            for label, table in (("off", None), ("table measured", full), ("kept groups", Synonyms(kept))):
                scores = _ask(c.assistant, items, table, loaded.name).metrics()
                cells = ["—" if scores.get(m) is None else f"{scores[m]:.3f}" for m in METRICS]
                lines.append(f"| {loaded.name} ({len(items)}) | {label} | " + " | ".join(cells) + " |")
    lines += ["", "| curated pairs (test) | rewordings matched | false matches |", "|---|---|---|"]
    for label, table in (("off", None), ("table measured", full), ("kept groups", Synonyms(kept))):
        m, f = curated_counts(corpora, pairs, table, "test")
        total = sum(p.same for p in pairs if p.split == "test")
        lines.append(f"| {label} | {m} of {total} | {f} of {sum(not p.same for p in pairs if p.split == 'test')} |")
    lines += ["", "Kept groups:", "", *("    " + "|".join(g) for g in kept)]
    report = "\n".join(lines)
    print(report)
    if args.out:
        args.out.write_text(report + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
