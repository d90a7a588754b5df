"""The session cookie as ASGI middleware: read it before the app, write it back when it changed."""

from __future__ import annotations

import asyncio
import json
from http.cookies import SimpleCookie
from typing import Any

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .security import SESSION_COOKIE, SessionCodec


class SessionMiddleware:
    """Puts a :class:`~taizhang.web.security.Session` in ``request.state.session``."""

    def __init__(self, app: ASGIApp, codec: SessionCodec, cookie_options: dict[str, Any]) -> None:
        self.app = app
        self.codec = codec
        self.options = cookie_options

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        session = self.codec.loads(_cookie(scope))
        if scope["path"].startswith("/api"):
            session.changed = False  # API clients use tokens; do not hand them a cookie per call
        scope.setdefault("state", {})["session"] = session

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start" and session.changed:
                headers = MutableHeaders(scope=message)
                headers.append("set-cookie", self._set_cookie(self.codec.dumps(session)))
            await send(message)

        await self.app(scope, receive, send_with_cookie)

    def _set_cookie(self, value: str) -> str:
        cookie: SimpleCookie = SimpleCookie()
        cookie[SESSION_COOKIE] = value
        morsel = cookie[SESSION_COOKIE]
        morsel["path"] = self.options["path"]
        morsel["max-age"] = str(self.options["max_age"])
        morsel["samesite"] = self.options["samesite"]
        morsel["httponly"] = True
        if self.options["secure"]:
            morsel["secure"] = True
        return morsel.OutputString()


def _cookie(scope: Scope) -> str | None:
    for name, value in scope.get("headers", []):
        if name == b"cookie":
            jar: SimpleCookie = SimpleCookie()
            jar.load(value.decode("latin-1"))
            if SESSION_COOKIE in jar:
                return jar[SESSION_COOKIE].value
    return None


# Pages use only this site's scripts and styles (inline style attributes aside) and are never framed.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; object-src 'none'; "
    "frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
)
SECURITY_HEADERS = (
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
)
API_DOCS = "/api/docs"  # Swagger UI loads its scripts from a CDN: no CSP there


class SecurityHeadersMiddleware:
    """Adds nosniff, no framing, a referrer policy and a content security policy to every response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        with_csp = not scope["path"].startswith(API_DOCS)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS:
                    headers[name.decode()] = value.decode()
                if with_csp:
                    headers["content-security-policy"] = CONTENT_SECURITY_POLICY
            await send(message)

        await self.app(scope, receive, send_with_headers)


class _BodyTooLarge(Exception):
    pass


class BodyLimitMiddleware:
    """Refuses a request body over ``max_bytes`` with 413: at once when Content-Length says so,
    else as soon as the bytes received pass the limit, never reading the rest."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers", [])).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > self.max_bytes:
            await self._refuse(scope, send)
            return
        received = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.max_bytes:
                raise _BodyTooLarge
            return message

        async def watching_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting_receive, watching_send)
        except _BodyTooLarge:
            if started:
                raise
            await self._refuse(scope, send)

    async def _refuse(self, scope: Scope, send: Send) -> None:
        limit = f"{self.max_bytes // (1024 * 1024)} MB"
        if scope["path"].startswith("/api"):
            body = json.dumps(
                {"detail": f"请求体超过 {limit}：附件请压缩或分次上传"}, ensure_ascii=False
            ).encode()
            kind = b"application/json"
        else:
            body = f"上传内容超过 {limit}：附件请压缩或分次上传".encode()
            kind = b"text/plain; charset=utf-8"
        headers = [
            (b"content-type", kind),
            (b"content-length", str(len(body)).encode()),
            (b"connection", b"close"),
        ]
        await send({"type": "http.response.start", "status": 413, "headers": headers})
        await send({"type": "http.response.body", "body": body})


SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class AdmissionMiddleware:
    """Lets at most ``limit`` reading requests (GET, HEAD, OPTIONS) and ``writers`` others into the app
    at once; the rest wait their turn on the event loop, holding neither a thread nor a connection.
    Each admitted request holds its connection across several threadpool hops: without the gate,
    more requests than connections let every request thread wait for a connection held by a request
    waiting for a thread (a stall until the pool's timeout, seen at 50 clients once abandoned
    requests piled up).

    Writes take turns at the database (one at a time): a write let in beyond ``writers`` would only
    wait there holding a thread, and its work before the wait would compete for the interpreter
    with the write that holds the lock, stretching it. Reads have their own gate, so waiting
    writes never keep them out.

    ``exempt`` (method, path) pairs bypass the gate: routes with a gate of their own that may wait
    there a while (the login waits for a password check: inside this gate a flood of logins kept
    every other request out)."""

    def __init__(
        self, app: ASGIApp, limit: int, writers: int, exempt: frozenset[tuple[str, str]] = frozenset()
    ) -> None:
        self.app = app
        self.limit = limit
        self.writers = writers
        self.exempt = exempt
        self.gates: tuple[asyncio.Semaphore, asyncio.Semaphore] | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or (scope["method"], scope["path"]) in self.exempt:
            await self.app(scope, receive, send)
            return
        if self.gates is None:  # made on first use, inside the server's event loop
            self.gates = (asyncio.Semaphore(self.limit), asyncio.Semaphore(self.writers))
        reads, writes = self.gates
        async with reads if scope["method"] in SAFE_METHODS else writes:
            await self.app(scope, receive, send)
