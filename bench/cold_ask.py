"""Cold `assistant ask`: one question per fresh process, as a user at a terminal runs it.

.venv/bin/python bench/cold_ask.py --data-dir var                 # 5 runs, different dev-suite questions
.venv/bin/python bench/cold_ask.py --data-dir var --runs 10 --json

Each run starts `assistant ask QUESTION` in a new Python process on an index that already exists
(`assistant ingest` first), and reads the timing line the CLI prints
("加载模型与索引 X 秒 · 检索 N 毫秒 · 作答 N 毫秒 · 本次共 Y 秒（含启动）"); the wall clock around the process
is measured here too. Startup is what precedes loading: interpreter, imports, settings, argument parsing
and opening the manifest. Each run asks a different question, so no answer comes from a cache
of an earlier run. Target: wall time ≤ 2 s on the 2-core machine. The machine's load average is
reported with the figures, because other jobs on a shared machine change them.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SUITE = ROOT / "eval" / "suites" / "dev.jsonl"
TIMING = re.compile(
    r"加载模型与索引 (?P<load>[\d.]+) 秒 · 检索 (?P<retrieve>[\d.]+) 毫秒 · 作答 (?P<answer>[\d.]+) 毫秒"
    r" · 本次共 (?P<total>[\d.]+) 秒"
)


def questions(n: int) -> list[str]:
    """The first n answerable questions of the dev suite."""
    out = []
    for line in SUITE.read_text(encoding="utf-8").splitlines():
        item = json.loads(line) if line.strip() else {}
        if item.get("question") and item.get("type") != "unanswerable":
            out.append(item["question"])
    return out[:n]


def one_run(question: str, data_dir: str, command: list[str]) -> dict[str, float]:
    """Run `assistant ask` once in a fresh process; seconds for the wall clock and each phase."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "ASSISTANT_DATA_DIR": data_dir, "COLUMNS": "200"}
    t0 = time.perf_counter()
    done = subprocess.run([*command, "ask", question], capture_output=True, text=True, env=env, check=False,
                          timeout=600)
    wall = time.perf_counter() - t0
    if done.returncode != 0:
        raise SystemExit(f"assistant ask failed ({done.returncode}): {done.stderr.strip()[-300:]}")
    m = TIMING.search(done.stdout)
    if not m:
        raise SystemExit(f"no timing line in the output:\n{done.stdout[-500:]}")
    load, total = float(m["load"]), float(m["total"])
    retrieve, answer = float(m["retrieve"]) / 1000, float(m["answer"]) / 1000
    return {"wall": wall, "startup": max(0.0, total - load - retrieve - answer), "load": load,
            "retrieve": retrieve, "answer": answer}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", default=str(ROOT / "var"), help="an ingested index (only read)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    command = [sys.executable, "-m", "assistant.cli"]
    load_before = os.getloadavg()
    runs = [one_run(q, args.data_dir, command) for q in questions(args.runs)]
    load_after = os.getloadavg()
    phases = ("wall", "startup", "load", "retrieve", "answer")
    summary = {
        p: {"median_s": round(statistics.median(r[p] for r in runs), 3), "max_s": round(max(r[p] for r in runs), 3)}
        for p in phases
    }
    result = {
        "runs": len(runs),
        "phases": summary,
        "cores": os.cpu_count(),
        "load_average_1m": [round(load_before[0], 2), round(load_after[0], 2)],
        "target_s": 2.0,
    }
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
        return
    print(f"cold `assistant ask`, {len(runs)} runs on {os.cpu_count()} cores, "
          f"load average {load_before[0]:.1f} -> {load_after[0]:.1f}")
    for p in phases:
        print(f"  {p:9s} median {summary[p]['median_s']:.3f} s   max {summary[p]['max_s']:.3f} s")


if __name__ == "__main__":
    main()
