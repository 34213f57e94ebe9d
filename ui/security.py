"""Upload checks, safe file names and login parsing for the web UI (no gradio here)."""

from __future__ import annotations

import json
import math
import re
import threading
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ALLOWED_SUFFIXES = (".txt", ".md", ".docx", ".pdf", ".html")
SUITE_SUFFIXES = (".jsonl", ".csv", ".xlsx")
_MAX_NAME_CHARS = 120
_UNSAFE_CHARS = re.compile(r'[<>:"|?*\\/]')


def safe_filename(name: str, *, fallback: str = "upload") -> str:
    """Reduce a user-supplied file name to a harmless basename (no dirs, '..', control or hidden names)."""
    # keep only the last path component, whichever separator the client used
    base = re.split(r"[\\/]", name or "")[-1]
    base = unicodedata.normalize("NFC", base)
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C")  # control, format, ...
    base = _UNSAFE_CHARS.sub("_", base)
    base = re.sub(r"\.{2,}", ".", base)
    base = base.strip().lstrip(".").strip()
    stem, dot, suffix = base.rpartition(".")
    if not dot:
        stem, suffix = base, ""
    stem = stem.strip(" .")
    if not stem:
        stem = fallback
    suffix = suffix.lower()
    if len(stem) > _MAX_NAME_CHARS:
        stem = stem[:_MAX_NAME_CHARS]
    return f"{stem}.{suffix}" if suffix else stem


@dataclass
class UploadCheck:
    """Outcome of checking one uploaded file."""

    name: str  # the sanitised basename to store it under
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


def check_upload(
    path: Path,
    *,
    original_name: str | None = None,
    max_mb: float,
    allowed: tuple[str, ...] = ALLOWED_SUFFIXES,
) -> UploadCheck:
    """Check an uploaded file's type and size and pick a safe name for it."""
    name = safe_filename(original_name or path.name)
    suffix = Path(name).suffix.lower()
    if suffix not in allowed:
        return UploadCheck(name, f"不支持的文件类型（{suffix or '无扩展名'}），只接受 {' '.join(allowed)}")
    try:
        size = path.stat().st_size
    except OSError:
        return UploadCheck(name, "无法读取上传的文件")
    if size > max_mb * 1024 * 1024:
        return UploadCheck(name, f"文件过大（{size / 1024 / 1024:.1f} MB），上限 {max_mb:g} MB")
    if size == 0:
        return UploadCheck(name, "文件为空")
    return UploadCheck(name)


def parse_auth(value: str | None) -> list[tuple[str, str]] | None:
    """Read login pairs from 'user:pass,user2:pass2' or from a file with one 'user:pass' per line."""
    if not value or not value.strip():
        return None
    candidate = Path(value.strip()).expanduser()
    if ":" not in value or (candidate.is_file()):
        if not candidate.is_file():
            raise ValueError(f"auth file not found: {candidate}")
        entries = candidate.read_text(encoding="utf-8").splitlines()
    else:
        entries = value.split(",")
    pairs: list[tuple[str, str]] = []
    for entry in entries:
        entry = entry.strip()
        if not entry or entry.startswith("#"):
            continue
        user, sep, password = entry.partition(":")
        if not sep or not user.strip() or not password:
            raise ValueError("auth entries must look like user:password")
        pairs.append((user.strip(), password))
    if not pairs:
        raise ValueError("auth is set but holds no user:password entries")
    return pairs


class LoginThrottle:
    """ASGI middleware: a client that fails to log in `max_failures` times is locked out for `lockout_s`.

    Counted per client address on POST …/login; a locked-out client gets 429 with a Chinese message
    (shown on the login page by the workspace's script) and its attempts are not checked at all.
    """

    MAX_CLIENTS = 10_000  # remembered clients; the oldest are forgotten first

    def __init__(self, app: Any, *, max_failures: int, lockout_s: float, clock: Any = time.monotonic) -> None:
        self.app = app
        self.max_failures = max_failures
        self.lockout_s = lockout_s
        self.clock = clock
        self.failures: dict[str, tuple[int, float]] = {}  # client -> (failures, locked until)
        self._lock = threading.Lock()

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        """Pass requests on; count failed logins and refuse locked-out clients."""
        if scope.get("type") != "http" or scope.get("method") != "POST" or not _is_login(scope.get("path", "")):
            await self.app(scope, receive, send)
            return
        client = (scope.get("client") or ("?", 0))[0]
        wait = self._locked_for(client)
        if wait > 0:
            await _json(send, 429, {"detail": lockout_message(wait)})
            return
        status: dict[str, int] = {}

        async def watch(message: dict[str, Any]) -> None:
            if message.get("type") == "http.response.start":
                status["code"] = int(message.get("status", 0))
            await send(message)

        await self.app(scope, receive, watch)
        self._record(client, ok=status.get("code") == 200)

    def _locked_for(self, client: str) -> float:
        with self._lock:
            count, until = self.failures.get(client, (0, 0.0))
            return until - self.clock() if count >= self.max_failures else 0.0

    def _record(self, client: str, *, ok: bool) -> None:
        with self._lock:
            if ok:
                self.failures.pop(client, None)
                return
            count, _ = self.failures.pop(client, (0, 0.0))
            count = 0 if count >= self.max_failures else count  # a lockout that ran out starts afresh
            self.failures[client] = (count + 1, self.clock() + self.lockout_s)
            while len(self.failures) > self.MAX_CLIENTS:
                self.failures.pop(next(iter(self.failures)))


def lockout_message(seconds: float) -> str:
    """What a locked-out client is told."""
    minutes = max(1, math.ceil(seconds / 60))
    return f"登录失败次数过多，已暂时锁定，请 {minutes} 分钟后再试"


def login_throttle(settings: Any) -> Any:
    """The LoginThrottle as a Starlette Middleware entry for FastAPI(middleware=[…])."""
    from starlette.middleware import Middleware

    return Middleware(
        LoginThrottle, max_failures=settings.login_max_failures, lockout_s=settings.login_lockout_s
    )


def _is_login(path: str) -> bool:
    return path.rstrip("/").endswith("/login") or path.rstrip("/") == "login"


async def _json(send: Any, status: int, body: dict[str, Any]) -> None:
    data = json.dumps(body, ensure_ascii=False).encode("utf-8")
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json; charset=utf-8"),
                            (b"content-length", str(len(data)).encode())]})
    await send({"type": "http.response.body", "body": data})
