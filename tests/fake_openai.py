"""A small OpenAI-compatible chat server for tests: scripted replies, recorded requests, failures.

Runs `http.server` in a thread on 127.0.0.1 and answers POST /v1/chat/completions, as JSON or
(for `"stream": true`) as server-sent event chunks, so the real `openai` client (and LangChain's
ChatOpenAI on top of it) can be exercised end to end without a network.

    with FakeOpenAI() as server:
        server.script(Reply("答案[1]。"), Failure(500))
        settings = Settings(llm_base_url=server.url, llm_api_key="sk-test")
        ...
        server.requests[0].system_prompt
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self


@dataclass
class Reply:
    """A successful completion; streamed in `chunk_size`-character pieces when the client asks to stream."""

    text: str
    chunk_size: int = 4
    delay_s: float = 0.0  # wait this long before answering (for client timeouts)
    break_after: int | None = None  # when streaming: send this many pieces, then a broken event


@dataclass
class Failure:
    """An error response with an OpenAI-style error body."""

    status: int
    message: str = "scripted failure"
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Request:
    """One request the server received."""

    path: str
    headers: dict[str, str]
    body: dict[str, Any]

    @property
    def messages(self) -> list[dict[str, Any]]:
        return self.body.get("messages", [])

    def content(self, role: str) -> str:
        """The concatenated content of the messages with this role."""
        return "\n".join(str(m.get("content", "")) for m in self.messages if m.get("role") == role)

    @property
    def system_prompt(self) -> str:
        return self.content("system")

    @property
    def user_prompt(self) -> str:
        return self.content("user")


class FakeOpenAI:
    """OpenAI-compatible /v1/chat/completions on 127.0.0.1 with a queue of scripted replies.

    When the queue is empty the server answers with `default` (a Reply or Failure); with no
    default it answers 500 "no scripted reply", so an unexpected call fails loudly.
    """

    def __init__(self, *, default: Reply | Failure | None = None):
        self.default = default
        self.requests: list[Request] = []
        self._queue: deque[Reply | Failure] = deque()
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # lifecycle -----------------------------------------------------------------------------
    def start(self) -> Self:
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, name="fake-openai", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()  # releases handlers sleeping in a slow reply
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        """Base URL to give the client (ends in /v1)."""
        assert self._httpd is not None, "server not started"
        return f"http://127.0.0.1:{self._httpd.server_address[1]}/v1"

    # scripting -----------------------------------------------------------------------------
    def script(self, *items: Reply | Failure | str) -> None:
        """Queue replies in order (a plain string is a Reply)."""
        with self._lock:
            self._queue.extend(Reply(i) if isinstance(i, str) else i for i in items)

    def reset(self) -> None:
        """Forget queued replies, the default and recorded requests."""
        with self._lock:
            self._queue.clear()
            self.requests.clear()
            self.default = None

    def _next(self, request: Request) -> Reply | Failure:
        with self._lock:
            self.requests.append(request)
            if self._queue:
                return self._queue.popleft()
            return self.default or Failure(500, "no scripted reply")


def closed_port_url() -> str:
    """A base URL on 127.0.0.1 where nothing listens (connection refused)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}/v1"


def _handler(server: FakeOpenAI) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:
            pass

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            try:
                body = json.loads(raw or b"{}")
            except json.JSONDecodeError:
                body = {"_raw": raw.decode("utf-8", "replace")}
            request = Request(self.path, {k.lower(): v for k, v in self.headers.items()}, body)
            if not self.path.rstrip("/").endswith("/chat/completions"):
                self._json(404, {"error": {"message": f"unknown path {self.path}", "type": "not_found"}})
                return
            item = server._next(request)
            try:
                if isinstance(item, Failure):
                    self._json(
                        item.status,
                        {"error": {"message": item.message, "type": "fake_error", "code": str(item.status)}},
                        item.headers,
                    )
                    return
                if item.delay_s and server._stopping.wait(item.delay_s):
                    return
                model = body.get("model", "fake-model")
                if body.get("stream"):
                    self._stream(
                        item,
                        model,
                        include_usage=bool((body.get("stream_options") or {}).get("include_usage")),
                    )
                else:
                    self._json(200, _completion(item.text, model))
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (timeout): nothing to answer

        def _json(self, status: int, payload: dict[str, Any], headers: dict[str, str] | None = None) -> None:
            data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(data)

        def _stream(self, reply: Reply, model: str, *, include_usage: bool) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-cache")
            self.send_header("Connection", "close")
            self.end_headers()
            self.close_connection = True
            pieces = [
                reply.text[i : i + reply.chunk_size] for i in range(0, len(reply.text), reply.chunk_size)
            ]
            events = [_chunk(model, {"role": "assistant", "content": ""})]
            events += [_chunk(model, {"content": p}) for p in pieces]
            events.append(_chunk(model, {}, finish_reason="stop"))
            if include_usage:
                events.append({**_chunk(model, {}), "choices": [], "usage": _usage(reply.text)})
            if reply.break_after is not None:
                events = events[: reply.break_after + 1]
            for event in events:
                self.wfile.write(f"data: {json.dumps(event, ensure_ascii=False)}\n\n".encode())
                self.wfile.flush()
            if reply.break_after is not None:
                self.wfile.write(b"data: {broken\n\n")  # the connection fails mid-answer
                self.wfile.flush()
                return
            self.wfile.write(b"data: [DONE]\n\n")
            self.wfile.flush()

    return Handler


def _usage(text: str) -> dict[str, int]:
    return {"prompt_tokens": 10, "completion_tokens": len(text), "total_tokens": 10 + len(text)}


def _completion(text: str, model: str) -> dict[str, Any]:
    return {
        "id": "chatcmpl-fake",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
        "usage": _usage(text),
    }


def _chunk(model: str, delta: dict[str, Any], *, finish_reason: str | None = None) -> dict[str, Any]:
    return {
        "id": "chatcmpl-fake",
        "object": "chat.completion.chunk",
        "created": int(time.time()),
        "model": model,
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish_reason}],
    }
