"""The guard in front of every route: Host and Origin checks, the token, the body limit, security headers.

A plain ASGI middleware, so that it runs before FastAPI reads anything: an oversized body is
refused from its Content-Length (or as soon as the bytes read pass the limit), never read whole
and never echoed back.
"""

from __future__ import annotations

import hmac
import json
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from sayso.web.config import MAX_BODY, ServeConfig

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

COOKIE = "sayso_token"
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
PUBLIC_PATHS = ("/login", "/health", "/favicon.ico")  # and /static/: no data behind them

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "font-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), interest-cohort=()"),
]


def _headers(scope: Scope) -> dict[str, str]:
    return {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}


def _cookie(header: str, name: str) -> str | None:
    for part in header.split(";"):
        key, _, value = part.strip().partition("=")
        if key == name:
            return value
    return None


def token_matches(given: str | None, token: str) -> bool:
    return given is not None and hmac.compare_digest(given.encode("utf-8", "replace"), token.encode("utf-8"))


async def _reply(send: Send, status: int, detail: str, extra: list[tuple[bytes, bytes]] | None = None) -> None:
    body = json.dumps({"detail": detail}).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    headers += extra or []
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class Guard:
    def __init__(self, app: ASGIApp, config: ServeConfig) -> None:
        self.app, self.config = app, config

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope.get("path", "")
        no_store = not path.startswith("/static/")

        async def send_secured(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {k.lower() for k, _ in message.get("headers", [])}
                extra = [h for h in HEADERS if h[0] not in names]
                if no_store:
                    extra.append((b"cache-control", b"no-store"))
                message["headers"] = list(message.get("headers", [])) + extra
            await send(message)

        headers = _headers(scope)
        if not self.config.host_allowed(headers.get("host", "")):
            await _reply(send_secured, 400, "bad Host header: this server answers only to the address it serves")
            return
        method = scope.get("method", "GET")
        if method not in SAFE_METHODS:
            origin = headers.get("origin")
            if origin is not None and not self.config.origin_allowed(origin):
                await _reply(send_secured, 403, "cross-origin request refused")
                return
            if origin is None and headers.get("sec-fetch-site") == "cross-site":
                await _reply(send_secured, 403, "cross-origin request refused")
                return
        if self.config.token and not self._authorised(path, headers):
            if path.startswith("/api/") or path == "/openapi.json" or method not in SAFE_METHODS:
                await _reply(send_secured, 401, "a token is required (Authorization: Bearer TOKEN)", [(b"www-authenticate", b"Bearer")])
            else:
                await send_secured({"type": "http.response.start", "status": 303, "headers": [(b"location", b"/login"), (b"content-length", b"0")]})
                await send_secured({"type": "http.response.body", "body": b""})
            return
        if method in SAFE_METHODS:
            await self.app(scope, receive, send_secured)
            return
        length = headers.get("content-length")
        if length is not None and (not length.isdigit() or int(length) > MAX_BODY):
            await _reply(send_secured, 413, f"request body too large: the limit is {MAX_BODY} bytes")
            return
        body = bytearray()
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            body.extend(message.get("body", b""))
            if len(body) > MAX_BODY:
                await _reply(send_secured, 413, f"request body too large: the limit is {MAX_BODY} bytes")
                return
            if not message.get("more_body", False):
                break
        await self.app(scope, _replay(bytes(body), receive), send_secured)

    def _authorised(self, path: str, headers: dict[str, str]) -> bool:
        if path.startswith("/static/") or path in PUBLIC_PATHS:
            return True
        token = self.config.token or ""
        auth = headers.get("authorization", "")
        if auth.lower().startswith("bearer ") and token_matches(auth[7:].strip(), token):
            return True
        return token_matches(_cookie(headers.get("cookie", ""), COOKIE), token)


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay
