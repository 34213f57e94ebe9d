"""Bounded requests on a served workspace in its own process: a 1 MB question through the Gradio API is refused
with a Chinese message, and the server's memory does not grow with it (issue 15: the query embedding once
took ~9 KB per character). Uses the real default embedder, as `assistant serve` does.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "data" / "corpus"

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_mb(pid: int) -> float:
    """Resident memory of a process, in MB (from /proc)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[tuple[str, subprocess.Popen]]:
    """`assistant serve` in its own process on a small ingested corpus (default settings otherwise)."""
    data = tmp_path_factory.mktemp("serve")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "ASSISTANT_DATA_DIR": str(data / "var")}
    cli = [sys.executable, "-m", "assistant.cli"]
    subprocess.run([*cli, "ingest", *map(str, CORPUS.glob("001_*.txt"))], env=env, check=True,
                   capture_output=True, timeout=600)
    port = _free_port()
    proc = subprocess.Popen([*cli, "serve", "--port", str(port)], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)
    url = f"http://127.0.0.1:{port}/"
    import httpx

    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"the server exited: {proc.stderr.read()[-2000:] if proc.stderr else ''}")
        try:
            if httpx.get(url + "config", timeout=2).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.5)
    else:
        proc.kill()
        pytest.fail("the server did not start within 300 s")
    try:
        yield url, proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


def _text(message: dict) -> str:
    content = message["content"]
    return content if isinstance(content, str) else "".join(p.get("text", "") for p in content)


def test_a_1_mb_question_through_the_api_is_refused_and_memory_stays_flat(server) -> None:
    from gradio_client import Client

    url, proc = server
    client = Client(url, verbose=False)
    client.predict("到2025年全市市场主体数要达到多少万户？", [], "", "", api_name="/ask")  # warm: models in use
    start = rss_mb(proc.pid)
    peak = [start]
    stop = threading.Event()

    def sample() -> None:
        while not stop.is_set():
            peak[0] = max(peak[0], rss_mb(proc.pid))
            time.sleep(0.05)

    watcher = threading.Thread(target=sample, daemon=True)
    watcher.start()
    t0 = time.perf_counter()
    try:
        result = client.predict("问" * 1_000_000, [], "", "", api_name="/ask")
    finally:
        stop.set()
        watcher.join()
    seconds = time.perf_counter() - t0

    reply = _text(result[0][-1])
    assert "问题过长" in reply and "1,000,000" in reply and "2,000" in reply
    assert peak[0] - start < 200, f"server memory grew from {start:.0f} MB to {peak[0]:.0f} MB"
    assert seconds < 30
    # and the server still answers
    again = client.predict("2021年城镇新增就业目标是多少？", [], "", "", api_name="/ask")
    assert 'class="cite"' in _text(again[0][-1])  # a cited answer
