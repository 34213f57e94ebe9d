"""Ingest speed and memory: cold ingest of the sample corpus into a fresh data dir, then an unchanged re-ingest.

.venv/bin/python bench/ingest_speed.py                    # default embedder (bundled USE), fresh cache
.venv/bin/python bench/ingest_speed.py --backend hash     # pipeline cost without a real model

Each phase runs in its own process, so its peak RSS (ru_maxrss) is that phase's alone. Targets:
cold <= 60 s, unchanged re-ingest <= 5 s, peak memory < 1.5 GB.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from ingest.pipeline import ingest_into

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGETS = {"cold": 60.0, "reingest": 5.0}
MAX_RSS_MB = 1536


def run_phase(data_dir: Path, corpus: Path, backend: str) -> dict[str, float]:
    """One ingest in this process; wall time split into parsing, embedding and the rest (Chroma, lexical)."""
    from assistant.config import Settings
    from assistant.service import build_assistant
    from ingest import pipeline

    spent = {"parse": 0.0, "embed": 0.0, "chroma": 0.0, "lexical": 0.0}

    def timed(key: str, fn):
        def wrapper(*args, **kwargs):
            t0 = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                spent[key] += time.perf_counter() - t0

        return wrapper

    import threading

    active = {"n": 0, "since": 0.0}
    guard = threading.Lock()

    def timed_union(key: str, fn):
        """Wall time during which at least one call runs (write batches are embedded two at a time)."""
        def wrapper(*args, **kwargs):
            with guard:
                if active["n"] == 0:
                    active["since"] = time.perf_counter()
                active["n"] += 1
            try:
                return fn(*args, **kwargs)
            finally:
                with guard:
                    active["n"] -= 1
                    if active["n"] == 0:
                        spent[key] += time.perf_counter() - active["since"]

        return wrapper

    t_start = time.perf_counter()
    settings = Settings(data_dir=data_dir, embedding_backend=backend, llm_base_url=None, llm_api_key=None)
    assistant = build_assistant(settings)
    inner = assistant.store.embedder.inner
    inner.embed_documents = timed_union("embed", inner.embed_documents)
    pipeline.load_file = timed("parse", pipeline.load_file)
    pipeline.parse_loaded = timed("parse", pipeline.parse_loaded)
    store = assistant.store
    for name in ("upsert_chunks", "delete_ids"):  # embedding time is inside upsert
        setattr(store, name, timed("chroma", getattr(store, name)))
    store.sync_lexical = timed("lexical", store.sync_lexical)
    t_build = time.perf_counter() - t_start
    report = ingest_into(assistant, [corpus])
    total = time.perf_counter() - t_start
    own = resource.getrusage(resource.RUSAGE_SELF)
    ex = getattr(getattr(inner, "_pool", None), "_ex", None)
    workers = 0.0
    for proc in (getattr(ex, "_processes", None) or {}).values():  # the embedding processes, still running
        fields = Path(f"/proc/{proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
        workers += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return {
        "seconds": total,
        "build_s": t_build,
        "ingest_s": report.seconds,
        "parse_s": spent["parse"],
        "embed_s": spent["embed"],
        "chroma_s": spent["chroma"] - spent["embed"],
        "lexical_s": spent["lexical"],
        "other_s": report.seconds - spent["parse"] - spent["chroma"] - spent["lexical"],
        "files": report.files,
        "documents": report.documents,
        "chunks": report.chunks,
        "tokens": report.tokens,
        "embedded": report.embedded,
        "skipped": len(report.skipped),
        "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        # CPU seconds: on a machine shared with other jobs these, not the wall time, say what it costs
        "cpu_s": own.ru_utime + own.ru_stime,
        "workers_cpu_s": workers,
    }


def machine() -> str:
    """Cores and CPU model."""
    model = platform.processor() or "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} cores, {model}, Python {platform.python_version()}"


def load() -> str:
    """The load averages, since other processes on a shared machine skew timings."""
    try:
        return "load average " + " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "load average unknown"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", default="use", choices=["use", "e5", "hash", "openai"])
    parser.add_argument("--corpus", type=Path, default=ROOT / "data" / "corpus")
    parser.add_argument("--phase", help=argparse.SUPPRESS)  # internal: run one phase and print JSON
    parser.add_argument("--data-dir", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--json", action="store_true", help="print results as JSON")
    args = parser.parse_args()

    if args.phase:
        print(json.dumps(run_phase(args.data_dir, args.corpus, args.backend)))
        return 0

    results: dict[str, dict[str, float]] = {}
    before = load()
    with tempfile.TemporaryDirectory(prefix="bench-ingest-") as tmp:
        data_dir = Path(tmp) / "var"  # fresh index and a fresh embedding cache
        for phase in ("cold", "reingest"):
            cmd = [sys.executable, __file__, "--phase", phase, "--data-dir", str(data_dir)]
            cmd += ["--backend", args.backend, "--corpus", str(args.corpus)]
            done = subprocess.run(cmd, check=True, capture_output=True, text=True)
            results[phase] = json.loads(done.stdout.strip().splitlines()[-1])
    after = load()

    if args.json:
        print(json.dumps({"machine": machine(), "load": [before, after], "results": results}, indent=1))
        return 0
    print(f"machine: {machine()}")
    print(f"backend: {args.backend}; {before} (start), {after} (end)")
    cols = [
        "seconds",
        "parse_s",
        "embed_s",
        "chroma_s",
        "lexical_s",
        "other_s",
        "documents",
        "chunks",
        "tokens",
        "embedded",
        "max_rss_mb",
        "cpu_s",
        "workers_cpu_s",
    ]
    print(f"{'phase':<9}" + "".join(f"{c:>11}" for c in cols) + "  target")
    for phase, row in results.items():
        cells = "".join(f"{row[c]:>11.1f}" if isinstance(row[c], float) else f"{row[c]:>11}" for c in cols)
        ok = row["seconds"] <= TARGETS[phase] and row["max_rss_mb"] < MAX_RSS_MB
        verdict = "ok" if ok else "MISSED"
        print(f"{phase:<9}{cells}  <= {TARGETS[phase]:.0f} s, < {MAX_RSS_MB} MB: {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
