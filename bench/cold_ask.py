"""Cold `assistant ask`: one question from a fresh process, wall time and where it goes.

.venv/bin/python bench/cold_ask.py --data-dir var               # 5 runs of the CLI, then 3 timed in phases
.venv/bin/python bench/cold_ask.py --data-dir var --runs 10 --question "…"
.venv/bin/python bench/cold_ask.py --data-dir var --new                  # each run a question never asked before

The CLI runs are what a user waits for (`assistant ask QUESTION`, process start to exit). The phase
runs do the same steps in a fresh interpreter with clocks between them: imports, building the
assistant, listing documents (the CLI's empty-base check), the first question (retrieval: loading
the local index view, jieba, Chroma and the query embedding; answering: its statistics). The first
run after an ingest builds caches (the answerer's statistics); later runs load them. Target: <= 2 s
on 2 cores. On a busy machine the wall time says more about the other jobs than about this one, so
the CPU time of each run (user + system) is reported beside it.

With --new each CLI run asks the question with a marker never used before (a run number and a random
tag), so its query embedding is not in the cache and the embedding model is loaded and run: what a
user's first question costs. The phase runs keep the plain question.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QUESTION = "到2025年全市市场主体数要达到多少万户？"

PHASES = r"""
import json, sys, time
t0 = time.perf_counter()
from assistant.cli import build_parser
from assistant.config import load_settings
build_parser()
t1 = time.perf_counter()
settings = load_settings(data_dir=sys.argv[1])
from assistant.service import build_assistant
assistant = build_assistant(settings)
t2 = time.perf_counter()
docs = assistant.documents()
t3 = time.perf_counter()
answer = assistant.ask(sys.argv[2])
t4 = time.perf_counter()
print(json.dumps({"import_ms": (t1 - t0) * 1000, "build_ms": (t2 - t1) * 1000, "documents_ms": (t3 - t2) * 1000,
                  "ask_ms": (t4 - t3) * 1000, "retrieve_ms": answer.timings_ms.get("retrieve"),
                  "answer_ms": answer.timings_ms.get("answer"), "in_process_ms": (t4 - t0) * 1000,
                  "citations": len(answer.citations)}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir", type=Path, default=ROOT / "var")
    parser.add_argument("--question", default=QUESTION)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--backend", default=None, help="ASSISTANT_EMBEDDING_BACKEND for the runs")
    parser.add_argument("--new", action="store_true", help="each CLI run asks a question never asked before")
    args = parser.parse_args()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    if args.backend:
        env["ASSISTANT_EMBEDDING_BACKEND"] = args.backend
    cli = [sys.executable, "-m", "assistant.cli", "--data-dir", str(args.data_dir), "ask", args.question]
    walls, cpus = [], []
    for n in range(args.runs):
        if args.new:
            cli[-1] = f"{args.question}（第{n + 1}问 {uuid.uuid4().hex[:8]}）"
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        done = subprocess.run(cli, env=env, capture_output=True, text=True, check=False)
        walls.append(time.perf_counter() - t0)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
        if done.returncode:
            raise SystemExit(done.stderr[-2000:])
    phases = []
    for _ in range(3):
        done = subprocess.run([sys.executable, "-c", PHASES, str(args.data_dir), args.question], env=env,
                              capture_output=True, text=True, check=True)
        phases.append(json.loads(done.stdout.strip().splitlines()[-1]))
    keys = [k for k in phases[0] if k != "citations"]
    result = {
        "question": args.question,
        "new_questions": args.new,
        "cli_runs_s": [round(w, 2) for w in walls],
        "cli_median_s": round(statistics.median(walls), 2),
        "cli_first_s": round(walls[0], 2),
        # CPU seconds (user + system) of each run: what the wall time comes to on an idle machine,
        # give or take what runs on the second core
        "cli_cpu_s": [round(c, 2) for c in cpus],
        "cli_cpu_median_s": round(statistics.median(cpus), 2),
        "phases_median_ms": {k: round(statistics.median(p[k] or 0 for p in phases)) for k in keys},
        "load_avg_1m": round(os.getloadavg()[0], 2),
        "cores": os.cpu_count(),
    }
    print(json.dumps(result, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
