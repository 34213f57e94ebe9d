"""Load on the web UI: concurrent chat sessions through gradio_client, p50/p95 latency and errors.

Starts the workspace in-process on 127.0.0.1 with the assistant built from settings (ASSISTANT_*,
.env), unless --url points at one already running. Each session is its own gradio_client Client
(its own session, its own chat history) asking questions from a suite with follow-ups, until the
time is up. Not a timed test: run it by hand.

.venv/bin/python bench/load_ui.py --sessions 20 --seconds 60
"""

from __future__ import annotations

import argparse
import json
import platform
import socket
import statistics
import threading
import time
from collections.abc import Callable
from pathlib import Path

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


def session(
    url: str, qs: list[str], offset: int, deadline: float, record: Callable[[float | None, str | None], None]
) -> None:
    """One user: ask, follow up, start over; stops at the deadline (a request in flight finishes)."""
    from gradio_client import Client

    try:
        client = Client(url, verbose=False)
    except Exception as exc:  # noqa: BLE001 - counted, not fatal
        record(None, f"connect: {exc}")
        return
    turn = 0
    messages: list = []
    while time.monotonic() < deadline:
        if turn % 3 == 0:
            messages = []  # a new conversation (history state is reset by the app on an empty chat)
            question = qs[(offset + turn) % len(qs)]
        else:
            question = FOLLOW_UPS[turn % len(FOLLOW_UPS)]
        t0 = time.perf_counter()
        try:
            result = client.predict(question, messages, "", "", api_name="/ask")
            messages = result[0]
            if not messages or messages[-1].get("role") != "assistant":
                raise RuntimeError("no assistant message in the reply")
            record(time.perf_counter() - t0, None)
        except Exception as exc:  # noqa: BLE001 - counted, the session goes on
            record(None, f"{type(exc).__name__}: {str(exc)[:120]}")
            messages = []
        turn += 1
    client.close()


def start_server() -> tuple[str, Callable[[], None]]:
    """Serve the workspace in-process on a free 127.0.0.1 port; returns (url, close)."""
    from assistant.config import load_settings
    from assistant.service import build_assistant
    from ui.app import build_app, launch_options, prepare

    settings = load_settings()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    app = prepare(build_app(build_assistant(settings), settings))
    opts = launch_options(settings, port=port)
    opts["auth"] = None  # the load clients do not log in
    app.launch(prevent_thread_lock=True, **opts)
    return f"http://127.0.0.1:{port}/", app.close


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--url", help="an already running workspace (default: start one on 127.0.0.1)")
    parser.add_argument("--suite", type=Path, default=DEFAULT_SUITE)
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    args = parser.parse_args()

    close: Callable[[], None] = lambda: None
    url = args.url
    if not url:
        url, close = start_server()
    qs = questions(args.suite)
    latencies: list[float] = []
    errors: dict[str, int] = {}
    lock = threading.Lock()

    def record(latency: float | None, error: str | None) -> None:
        with lock:
            if error is None and latency is not None:
                latencies.append(latency)
            else:
                errors[error or "?"] = errors.get(error or "?", 0) + 1

    started = time.monotonic()
    deadline = started + args.seconds
    threads = [
        threading.Thread(target=session, args=(url, qs, i * 3, deadline, record), daemon=True)
        for i in range(args.sessions)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=args.seconds + 300)  # bounded even if a request hangs
    wall = time.monotonic() - started
    close()

    result = {
        "sessions": args.sessions,
        "seconds": round(wall, 1),
        "requests": len(latencies),
        "errors": sum(errors.values()),
        "error_kinds": errors,
        "throughput_rps": round(len(latencies) / wall, 2) if wall else None,
        "p50_s": round(percentile(latencies, 50) or 0, 3) if latencies else None,
        "p95_s": round(percentile(latencies, 95) or 0, 3) if latencies else None,
        "mean_s": round(statistics.fmean(latencies), 3) if latencies else None,
        "max_s": round(max(latencies), 3) if latencies else None,
        "machine": f"{platform.machine()}, {platform.python_version()}",
    }
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
        return
    print(f"{result['sessions']} sessions for {result['seconds']} s against {url}")
    print(
        f"requests {result['requests']}  errors {result['errors']}  throughput {result['throughput_rps']} req/s"
    )
    print(
        f"latency p50 {result['p50_s']} s  p95 {result['p95_s']} s  mean {result['mean_s']} s  max {result['max_s']} s"
    )
    for kind, count in errors.items():
        print(f"  {count} x {kind}")


if __name__ == "__main__":
    main()
