"""Retrieval quality against peers on one suite and corpus: the naive LangChain pipeline, a BM25 baseline, the product.

.venv/bin/python bench/peers.py --suite dev            # all systems, table on stdout
.venv/bin/python bench/peers.py --only naive,hybrid    # a subset
.venv/bin/python bench/peers.py --json                 # one JSON document

Systems, all scored on the top-5 passages with the same evidence matching as `assistant eval`:
- langchain-naive: RecursiveCharacterTextSplitter(chunk_size=500, chunk_overlap=50) over the raw files,
  the product's embedder through its LangChain adapter, langchain_chroma.Chroma, similarity top-5.
- bm25-naive: the same chunks, jieba words, bm25s.
- product-dense / product-lexical / product-hybrid: build_assistant on a temporary data_dir, ingest the
  corpus once, then Assistant.retrieve under each retriever setting.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from assistant.config import Settings, load_settings
from eval import metrics
from eval.suite import EvalItem, load_suite
from ingest.pipeline import ingest_into

ROOT = Path(__file__).resolve().parent.parent

K = 5
SYSTEMS = ("naive", "bm25", "dense", "lexical", "hybrid")
# search function: question -> passages, best first
Search = Callable[[str], list[str]]


@dataclass
class SystemScore:
    system: str
    items: int
    hit_at_1: float | None
    hit_at_5: float | None
    mrr: float | None
    evidence_recall_at_5: float | None
    index_s: float
    query_ms_p50: float | None


def score(system: str, search: Search, items: Sequence[EvalItem], index_s: float) -> SystemScore:
    """Run every question through `search` and score the top-5 passages."""
    ranks, recalls, times = [], [], []
    for item in items:
        t0 = time.perf_counter()
        passages = search(item.question)[:K]
        times.append((time.perf_counter() - t0) * 1000)
        rank = metrics.first_hit_rank(passages, item.evidence)
        ranks.append(rank)
        recalls.append(metrics.evidence_recall(passages, item.evidence, K))
    return SystemScore(
        system=system,
        items=len(items),
        hit_at_1=metrics.mean(metrics.hit_at(r, 1) for r in ranks),
        hit_at_5=metrics.mean(metrics.hit_at(r, K) for r in ranks),
        mrr=metrics.mean(metrics.reciprocal_rank(r) for r in ranks),
        evidence_recall_at_5=metrics.mean(recalls),
        index_s=round(index_s, 1),
        query_ms_p50=metrics.percentile(times, 50),
    )


def corpus_files(corpus: Path) -> list[Path]:
    return sorted(p for p in corpus.rglob("*") if p.is_file() and p.suffix.lower() in (".txt", ".md"))


def naive_chunks(files: Sequence[Path]) -> tuple[list[str], list[dict[str, str]]]:
    """What a LangChain tutorial does: split the raw text with the recursive character splitter."""
    try:
        from langchain_text_splitters import RecursiveCharacterTextSplitter
    except ImportError:
        sys.exit("langchain-text-splitters is not installed: pip install langchain-text-splitters==1.1.3")
    splitter = RecursiveCharacterTextSplitter(chunk_size=500, chunk_overlap=50)
    texts: list[str] = []
    metas: list[dict[str, str]] = []
    for f in files:
        for piece in splitter.split_text(f.read_text(encoding="utf-8")):
            texts.append(piece)
            metas.append({"source": f.name})
    return texts, metas


def naive_langchain(
    settings: Settings, texts: list[str], metas: list[dict[str, str]], tmp: Path
) -> tuple[Search, float]:
    """Chroma through langchain_chroma with the product's embedder, similarity top-5."""
    from langchain_chroma import Chroma

    from assistant.index.embed import as_langchain, make_embedder

    t0 = time.perf_counter()
    embedder = make_embedder(settings.model_copy(update={"data_dir": tmp / "naive"}))
    store = Chroma(
        collection_name="naive",
        embedding_function=as_langchain(embedder),
        persist_directory=str(tmp / "naive"),
    )
    batch = 256
    for i in range(0, len(texts), batch):
        store.add_texts(texts[i : i + batch], metadatas=metas[i : i + batch])
    index_s = time.perf_counter() - t0
    return (lambda q: [d.page_content for d in store.similarity_search(q, k=K)]), index_s


def naive_bm25(texts: list[str]) -> tuple[Search, float]:
    """The same chunks, jieba-tokenised, scored with bm25s."""
    import bm25s
    import jieba

    jieba.setLogLevel(60)
    t0 = time.perf_counter()

    def tokens(text: str) -> list[str]:
        return [t for t in jieba.lcut(text) if t.strip()]

    retriever = bm25s.BM25()
    retriever.index([tokens(t) for t in texts], show_progress=False)
    index_s = time.perf_counter() - t0

    def search(q: str) -> list[str]:
        ids, _ = retriever.retrieve([tokens(q) or ["的"]], k=min(K, len(texts)), show_progress=False)
        return [texts[i] for i in ids[0]]

    return search, index_s


def product(
    settings: Settings, corpus: Path, retrievers: Sequence[str], tmp: Path
) -> dict[str, tuple[Search, float]]:
    """The product on a fresh data_dir: one ingest, then retrieve under each retriever setting."""
    from assistant.service import build_assistant

    base = settings.model_copy(update={"data_dir": tmp / "product", "chroma_host": None})
    t0 = time.perf_counter()
    ingest_into(build_assistant(base), [corpus])
    index_s = time.perf_counter() - t0
    out: dict[str, tuple[Search, float]] = {}
    for name in retrievers:
        assistant = build_assistant(base.model_copy(update={"retriever": name}))

        def search(q: str, a=assistant) -> list[str]:
            return [r.chunk.text for r in a.retrieve(q, k=K)]

        out[name] = (search, index_s)
    return out


def machine() -> dict[str, str]:
    return {
        "python": platform.python_version(),
        "cores": str(os.cpu_count()),
        "cpu": platform.processor() or platform.machine(),
        "os": f"{platform.system()} {platform.release()}",
    }


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark and print a table (or JSON)."""
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--suite", default="dev")
    ap.add_argument("--corpus", type=Path, default=ROOT / "data" / "corpus")
    ap.add_argument(
        "--only", default=",".join(SYSTEMS), help=f"comma-separated subset of {','.join(SYSTEMS)}"
    )
    ap.add_argument("--embedding-backend", help="override settings.embedding_backend (use, e5, openai, hash)")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)

    wanted = [s.strip() for s in args.only.split(",") if s.strip()]
    if bad := [s for s in wanted if s not in SYSTEMS]:
        ap.error(f"unknown system {bad[0]!r}")
    settings = load_settings()
    if args.embedding_backend:
        settings = settings.model_copy(update={"embedding_backend": args.embedding_backend})
    suite = load_suite(args.suite)
    items = [i for i in suite.items if i.answerable and i.evidence]
    files = corpus_files(args.corpus)

    results: list[SystemScore] = []
    with tempfile.TemporaryDirectory(prefix="peers-") as tmp_name:
        tmp = Path(tmp_name)
        if "naive" in wanted or "bm25" in wanted:
            texts, metas = naive_chunks(files)
            if "naive" in wanted:
                search, secs = naive_langchain(settings, texts, metas, tmp)
                results.append(score("langchain-naive (chroma, 500/50)", search, items, secs))
            if "bm25" in wanted:
                search, secs = naive_bm25(texts)
                results.append(score("bm25-naive (jieba+bm25s, 500/50)", search, items, secs))
        product_retrievers = [s for s in ("dense", "lexical", "hybrid") if s in wanted]
        if product_retrievers:
            for name, (search, secs) in product(settings, args.corpus, product_retrievers, tmp).items():
                results.append(score(f"product-{name}", search, items, secs))

    info = machine() | {
        "embedding_backend": settings.embedding_backend,
        "suite": suite.name,
        "items": str(len(items)),
    }
    if args.json:
        print(
            json.dumps(
                {"machine": info, "results": [asdict(r) for r in results]}, ensure_ascii=False, indent=2
            )
        )
        return 0
    print(
        f"Retrieval on {suite.name} ({len(items)} answerable items), top-{K}; "
        + ", ".join(f"{k} {v}" for k, v in info.items())
    )
    header = f"| {'system':36} | hit@1 | hit@5 |  MRR  | ev.recall@5 | index s | query ms p50 |"
    print(header)
    print("|" + "|".join("-" * (len(c)) for c in header.split("|")[1:-1]) + "|")
    for r in results:
        print(
            f"| {r.system:36} | {metrics_fmt(r.hit_at_1)} | {metrics_fmt(r.hit_at_5)} | {metrics_fmt(r.mrr)} |"
            f" {metrics_fmt(r.evidence_recall_at_5):>11} | {r.index_s:7.1f} | {metrics_fmt(r.query_ms_p50, 1):>12} |"
        )
    return 0


def metrics_fmt(value: float | None, digits: int = 3) -> str:
    return "  —  " if value is None else f"{value:.{digits}f}"


if __name__ == "__main__":
    sys.exit(main())
