"""Throughput of the bundled embedders on Chinese passages from the sample corpus.

.venv/bin/python bench/embedders.py --n 100 --chars 400
"""

from __future__ import annotations

import argparse
import json
import platform
import time
from pathlib import Path

from assistant.index.embed import E5Embedder, Embedder, USEEmbedder

CORPUS = Path(__file__).resolve().parent.parent / "data" / "corpus"


def passages(n: int, chars: int) -> list[str]:
    """`n` non-overlapping passages of `chars` characters, spread evenly over the corpus files."""
    windows: list[str] = []
    for f in sorted(CORPUS.glob("*.txt")):
        text = "".join(line.strip() for line in f.read_text(encoding="utf-8").splitlines())
        windows.extend(text[i : i + chars] for i in range(0, len(text) - chars + 1, chars))
    step = max(1, len(windows) // n)
    return windows[::step][:n]


def measure(embedder: Embedder, texts: list[str], queries: list[str]) -> dict[str, float]:
    """Load time, passages/s over `texts`, and mean query latency."""
    t0 = time.perf_counter()
    embedder.embed_query("预热")  # loads the model
    load_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    embedder.embed_documents(texts)
    docs_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    for q in queries:
        embedder.embed_query(q)
    query_ms = (time.perf_counter() - t0) / len(queries) * 1000
    return {
        "load_s": round(load_s, 2),
        "passages": len(texts),
        "seconds": round(docs_s, 2),
        "passages_per_s": round(len(texts) / docs_s, 1),
        "query_ms": round(query_ms, 1),
    }


def main() -> None:
    """Run the benchmark and print one JSON line per embedder."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=100)
    ap.add_argument("--chars", type=int, default=400)
    ap.add_argument("--only", choices=["use", "e5"])
    args = ap.parse_args()
    texts = passages(args.n, args.chars)
    queries = ["2025年地区生产总值增长目标是多少？", "如何推动制造业高质量发展", "城镇新增就业人数"] * 3
    embedders: dict[str, Embedder] = {"use": USEEmbedder(), "e5": E5Embedder()}
    for key, emb in embedders.items():
        if args.only and key != args.only:
            continue
        result = {"embedder": emb.name, "dim": emb.dim, **measure(emb, texts, queries)}
        result["avg_chars"] = round(sum(map(len, texts)) / len(texts))
        result["machine"] = f"{platform.machine()} python{platform.python_version()}"
        print(json.dumps(result, ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main()
