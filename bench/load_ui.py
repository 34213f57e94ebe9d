"""Load on the web UI: concurrent chat sessions against `assistant serve` in its own process.

.venv/bin/python bench/load_ui.py --sessions 50 --seconds 30              # starts a server on a free port
.venv/bin/python bench/load_ui.py --url http://127.0.0.1:7860/ --server-pid PID --sessions 50

Each session is what a browser tab does: it joins the Gradio queue with its own session id (so its
chat history is kept on the server), reads the event stream until the answer is complete, and sends
the returned chat back with the next question: a question, two follow-ups, then a new conversation,
with no pause between turns (--think adds one). All sessions share one asyncio loop and one HTTP
client, so the load generator costs a few milliseconds of CPU per request instead of the ~60 ms a
gradio_client Client thread spends; its CPU and the server's are reported per request, with the
machine's load average, because on a shared 2-core machine both compete with other jobs.
Not a timed test: run it by hand; figures in the README.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import resource
import socket
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SUITE = ROOT / "eval" / "suites" / "dev.jsonl"
FOLLOW_UPS = ("请具体说明。", "有哪些量化指标？")


def questions(suite: Path, n: int = 40) -> list[str]:
    """Questions from a JSON Lines suite (only the question field is used)."""
    out = []
    for line in suite.read_text(encoding="utf-8").splitlines():
        if line.strip():
            q = json.loads(line).get("question")
            if q:
                out.append(q)
    return out[:n] or ["十四五时期的主要目标是什么？"]


def percentile(values: list[float], p: float) -> float | None:
    """Nearest-rank percentile."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))]


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Chat:
    """The /ask event of a served workspace, spoken to as the browser speaks to it (queue join + SSE)."""

    def __init__(self, client: Any, url: str) -> None:
        self.client = client
        self.url = url.rstrip("/")
        self.fn_index = -1
        self.trigger = 0
        self.inputs = 0

    async def setup(self) -> None:
        config = (await self.client.get(self.url + "/config")).json()
        for i, dep in enumerate(config["dependencies"]):
            if dep.get("api_name") == "ask":
                self.fn_index, self.trigger, self.inputs = i, dep["targets"][0][0], len(dep["inputs"])
                return
        raise RuntimeError("no /ask endpoint")

    async def ask(self, session: str, question: str, messages: list) -> list:
        """One question in one session; returns the chat as the server sent it back."""
        data = [question, messages, None, "", "", None][: self.inputs]  # None: server-side state
        joined = await self.client.post(self.url + "/gradio_api/queue/join", json={
            "data": data, "fn_index": self.fn_index, "session_hash": session, "event_data": None,
            "trigger_id": self.trigger,
        })
        joined.raise_for_status()
        event = joined.json()["event_id"]
        async with self.client.stream("GET", self.url + "/gradio_api/queue/data",
                                      params={"session_hash": session}) as stream:
            async for line in stream.aiter_lines():
                if not line.startswith("data:"):
                    continue
                message = json.loads(line[5:])
                if message.get("event_id") != event or message.get("msg") != "process_completed":
                    continue
                if not message.get("success"):
                    raise RuntimeError(f"server error: {str(message.get('output'))[:120]}")
                chat = message["output"]["data"][0]
                if not chat or chat[-1].get("role") != "assistant":
                    raise RuntimeError("no assistant message in the reply")
                return chat
        raise RuntimeError("the event stream ended before the answer")


async def session(chat: Chat, qs: list[str], offset: int, deadline: float, think: float,
                  latencies: list[float], errors: dict[str, int]) -> None:
    """One user: ask, follow up twice, start over; stops at the deadline (a request in flight finishes)."""
    name = uuid.uuid4().hex[:11]
    turn = 0
    messages: list = []
    while time.monotonic() < deadline:
        if turn % 3 == 0:
            messages = []  # a new conversation
            question = qs[(offset + turn) % len(qs)]
        else:
            question = FOLLOW_UPS[turn % len(FOLLOW_UPS)]
        t0 = time.perf_counter()
        try:
            messages = await chat.ask(name, question, messages)
            latencies.append(time.perf_counter() - t0)
        except Exception as exc:  # noqa: BLE001 - counted, the session goes on
            kind = f"{type(exc).__name__}: {str(exc)[:120]}"
            errors[kind] = errors.get(kind, 0) + 1
            messages = []
        turn += 1
        if think:
            await asyncio.sleep(think)


def start_server() -> tuple[str, subprocess.Popen]:
    """`assistant serve` in its own process on a free 127.0.0.1 port (settings from the environment)."""
    import httpx

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "PYTHONPATH": str(ROOT), "ASSISTANT_AUTH": ""}  # the load clients do not log in
    proc = subprocess.Popen([sys.executable, "-m", "assistant.cli", "serve", "--port", str(port)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit("the server exited while starting")
        try:
            if httpx.get(url + "config", timeout=2).status_code == 200:
                return url, proc
        except httpx.HTTPError:
            time.sleep(0.5)
    proc.kill()
    raise SystemExit("the server did not start within 600 s")


async def run(url: str, sessions: int, seconds: float, think: float, qs: list[str]) -> tuple[list, dict, float]:
    import httpx

    limits = httpx.Limits(max_connections=sessions * 2 + 4, max_keepalive_connections=sessions * 2 + 4)
    async with httpx.AsyncClient(timeout=httpx.Timeout(120.0), limits=limits) as client:
        chat = Chat(client, url)
        await chat.setup()
        await chat.ask(uuid.uuid4().hex[:11], qs[0], [])  # warm: the first request loads what is lazy
        latencies: list[float] = []
        errors: dict[str, int] = {}
        started = time.monotonic()
        deadline = started + seconds
        await asyncio.gather(*(session(chat, qs, i * 3, deadline, think, latencies, errors)
                               for i in range(sessions)))
        return latencies, errors, time.monotonic() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--think", type=float, default=0.0, help="pause between a session's turns (s)")
    parser.add_argument("--url", help="an already running workspace (default: start one in its own process)")
    parser.add_argument("--server-pid", type=int, help="the running workspace's process, for its CPU time")
    parser.add_argument("--suite", type=Path, default=DEFAULT_SUITE)
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    args = parser.parse_args()

    proc = None
    url, pid = args.url, args.server_pid
    if not url:
        url, proc = start_server()
        pid = proc.pid
    qs = questions(args.suite)
    load_before = os.getloadavg()
    server_cpu0 = cpu_seconds(pid) if pid else None
    own0 = resource.getrusage(resource.RUSAGE_SELF)
    try:
        latencies, errors, wall = asyncio.run(run(url, args.sessions, args.seconds, args.think, qs))
    finally:
        server_cpu1 = cpu_seconds(pid) if pid else None
        own1 = resource.getrusage(resource.RUSAGE_SELF)
        load_after = os.getloadavg()
        if proc is not None:
            proc.terminate()
            proc.wait(timeout=30)
    n = len(latencies)
    own_cpu = (own1.ru_utime + own1.ru_stime) - (own0.ru_utime + own0.ru_stime)
    result = {
        "sessions": args.sessions,
        "think_s": args.think,
        "seconds": round(wall, 1),
        "requests": n,
        "errors": sum(errors.values()),
        "error_kinds": errors,
        "throughput_rps": round(n / wall, 2) if wall else None,
        "p50_s": round(percentile(latencies, 50) or 0, 3) if n else None,
        "p95_s": round(percentile(latencies, 95) or 0, 3) if n else None,
        "mean_s": round(statistics.fmean(latencies), 3) if n else None,
        "max_s": round(max(latencies), 3) if n else None,
        "server_cpu_ms_per_request": round(1000 * (server_cpu1 - server_cpu0) / n, 1)
        if n and server_cpu0 is not None and server_cpu1 is not None else None,
        "generator_cpu_ms_per_request": round(1000 * own_cpu / n, 1) if n else None,
        "cores": os.cpu_count(),
        "load_average_1m": [round(load_before[0], 2), round(load_after[0], 2)],
        "machine": f"{platform.machine()}, Python {platform.python_version()}",
    }
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
        return
    print(f"{result['sessions']} sessions for {result['seconds']} s against {url} "
          f"({result['cores']} cores, load average {load_before[0]:.1f} -> {load_after[0]:.1f})")
    print(f"requests {n}  errors {result['errors']}  throughput {result['throughput_rps']} req/s")
    print(f"latency p50 {result['p50_s']} s  p95 {result['p95_s']} s  mean {result['mean_s']} s  max {result['max_s']} s")
    print(f"cpu per request: server {result['server_cpu_ms_per_request']} ms, "
          f"load generator {result['generator_cpu_ms_per_request']} ms")
    for kind, count in errors.items():
        print(f"  {count} x {kind}")


if __name__ == "__main__":
    main()
