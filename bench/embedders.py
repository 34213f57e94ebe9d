"""Throughput of the bundled embedders on Chinese passages from the sample corpus.

.venv/bin/python bench/embedders.py --n 100 --chars 400
.venv/bin/python bench/embedders.py --only use --n 512 --workers 1,2,4   # passages on 1, 2, 4 processes

Each run reports wall time, and the CPU seconds of this process and of its worker processes, with the
load average: on a machine shared with other jobs, passages per CPU-second says what the model costs
and the wall time what the other jobs left.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
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
    embedder.embed_documents(texts[:128])  # and starts the worker processes, if any
    load_s = time.perf_counter() - t0
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    pool = getattr(embedder, "_pool", None)
    workers_before = _workers_cpu(pool) if pool is not None else 0.0
    t0 = time.perf_counter()
    embedder.embed_documents(list(reversed(texts)))
    docs_s = time.perf_counter() - t0
    own2, kids2 = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (own2.ru_utime + own2.ru_stime - own.ru_utime - own.ru_stime)
    workers_cpu = _workers_cpu(pool) - workers_before if pool is not None else 0.0
    t0 = time.perf_counter()
    for q in queries:
        embedder.embed_query(q)
    query_ms = (time.perf_counter() - t0) / len(queries) * 1000
    return {
        "load_s": round(load_s, 2),
        "passages": len(texts),
        "seconds": round(docs_s, 2),
        "passages_per_s": round(len(texts) / docs_s, 1),
        "cpu_s": round(cpu, 2),
        "workers_cpu_s": round(workers_cpu, 2) if workers_cpu else round(kids2.ru_utime - kids.ru_utime, 2),
        "load_1m": round(os.getloadavg()[0], 2),
        "query_ms": round(query_ms, 1),
    }


def _workers_cpu(pool: object) -> float:
    """CPU seconds the pool's live worker processes have used (from /proc)."""
    ex = getattr(pool, "_ex", None)
    total = 0.0
    for proc in (getattr(ex, "_processes", None) or {}).values():
        fields = Path(f"/proc/{proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def main() -> None:
    """Run the benchmark and print one JSON line per embedder."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=100)
    ap.add_argument("--chars", type=int, default=400)
    ap.add_argument("--only", choices=["use", "e5"])
    ap.add_argument("--workers", default="1", help="comma-separated worker counts for USE (1 = in-process)")
    args = ap.parse_args()
    texts = passages(args.n, args.chars)
    queries = ["2025年地区生产总值增长目标是多少？", "如何推动制造业高质量发展", "城镇新增就业人数"] * 3
    embedders: dict[str, Embedder] = {
        f"use{'' if w == 1 else f'-{w}workers'}": USEEmbedder(workers=w) for w in map(int, args.workers.split(","))
    }
    embedders["e5"] = E5Embedder()
    for key, emb in embedders.items():
        if args.only and not key.startswith(args.only):
            continue
        result = {"embedder": key, "dim": emb.dim, **measure(emb, texts, queries)}
        result["avg_chars"] = round(sum(map(len, texts)) / len(texts))
        result["machine"] = f"{platform.machine()} python{platform.python_version()}"
        print(json.dumps(result, ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main()
