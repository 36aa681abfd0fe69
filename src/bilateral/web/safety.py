"""What keeps the server's answers clean: error bodies, status codes and a body-size limit.

- Our own errors become JSON ``{"detail": message}``: an unknown country or bad parameter
  is 422, figures the store does not hold are 404.
- Invalid parameters (FastAPI's validation) and unreadable bodies are 422 with one
  readable message.
- Anything unexpected is 500 with a fixed message; the traceback goes to the server log,
  never to the client.
- Request bodies above :data:`MAX_BODY_BYTES` are refused with 413 before they are read
  in full, whether or not the client sent Content-Length.
- A request whose ``Host`` is not one of the names the server was configured with is
  refused with 400 (a page on another site cannot reach it by DNS rebinding).
- Every answer, these refusals included, carries the same security headers.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bilateral.errors import BilateralError, NotAvailableError, UnknownCountryError

MAX_BODY_BYTES = 256 * 1024
UNREADABLE_BODY = 'request body: not readable as JSON; expected UTF-8 JSON like {"text": "..."}'
INTERNAL_ERROR = "The server could not answer this request; its log has the details."

log = logging.getLogger("bilateral.web")


class ErrorBody(BaseModel):
    """Every error answer: one sentence saying what was wrong."""

    detail: str


ERROR_DESCRIPTIONS = {
    404: "The store holds no figures for this question.",
    422: "A parameter is missing or not understood.",
    500: "Unexpected failure (details in the server log).",
}
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorBody, "description": text} for status, text in ERROR_DESCRIPTIONS.items()
}
#: The same, for routes whose own answer is not JSON (FastAPI would document the errors
#: under the route's media type otherwise).
JSON_ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {
        "description": text,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}},
    }
    for status, text in ERROR_DESCRIPTIONS.items()
}


def status_of(error: BilateralError) -> int:
    if isinstance(error, NotAvailableError):
        return 404
    if isinstance(error, UnknownCountryError):
        return 422
    return 422


def _validation_message(error: RequestValidationError) -> str:
    parts = []
    for item in error.errors():
        where = ".".join(str(p) for p in item.get("loc", ()) if p not in ("query", "body"))
        place = item.get("loc", ("",))[0]
        label = f"{place} parameter '{where}'" if place == "query" else f"field '{where}'"
        if place == "body" and not where:
            label = "request body"
        message = str(item.get("msg", "invalid")).removeprefix("Value error, ")
        parts.append(f"{label}: {message}")
    return "; ".join(parts) or "Invalid request."


def install_error_handlers(app: FastAPI) -> None:
    """Map every failure to a JSON answer without internals."""

    @app.exception_handler(BilateralError)
    async def bilateral_error(_: Request, error: BilateralError) -> JSONResponse:
        return JSONResponse({"detail": str(error)}, status_code=status_of(error))

    @app.exception_handler(RequestValidationError)
    async def invalid_request(_: Request, error: RequestValidationError) -> JSONResponse:
        return JSONResponse({"detail": _validation_message(error)}, status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_: Request, error: StarletteHTTPException) -> JSONResponse:
        if error.status_code == 400:  # FastAPI could not decode the body at all
            return JSONResponse({"detail": UNREADABLE_BODY}, status_code=422)
        return JSONResponse(
            {"detail": str(error.detail)}, status_code=error.status_code, headers=error.headers
        )

    @app.exception_handler(Exception)
    async def unexpected(request: Request, error: Exception) -> JSONResponse:
        log.exception("Unexpected error on %s %s", request.method, request.url.path)
        return JSONResponse({"detail": INTERNAL_ERROR}, status_code=500)


class BodyTooLarge(HTTPException):
    """Raised while the body streams in; FastAPI passes its HTTP exceptions through untouched."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"Request body too large; the limit is {limit // 1024} KB.")


class BodySizeLimit:
    """ASGI middleware: answer 413 once a request body passes ``limit`` bytes."""

    def __init__(self, app: ASGIApp, limit: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.limit):
            await self._refuse(send)
            return
        received = 0
        started = False

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    raise BodyTooLarge(self.limit)
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except BodyTooLarge:
            if not started:
                await self._refuse(send)

    async def _refuse(self, send: Send) -> None:
        await send_json(send, 413, {"detail": BodyTooLarge(self.limit).detail})


#: Names a server listening on the loopback interface answers to.
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "[::1]")


def host_name(header: str) -> str:
    """The name in a ``Host`` header, without its port: "[::1]:8000" -> "[::1]"."""
    header = header.strip().lower()
    if header.startswith("["):
        return header.split("]", 1)[0] + "]"
    return header.rsplit(":", 1)[0] if header.count(":") == 1 else header


class TrustedHosts:
    """ASGI middleware: answer 400 to a request whose ``Host`` is not in ``hosts``."""

    def __init__(self, app: ASGIApp, hosts: tuple[str, ...] = LOOPBACK_HOSTS) -> None:
        self.app = app
        self.hosts = frozenset(host_name(h) for h in hosts)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = dict(scope.get("headers") or []).get(b"host", b"").decode("latin-1")
        if host_name(given) in self.hosts:
            await self.app(scope, receive, send)
            return
        detail = (
            f"Host '{given}' is not a name this server answers to ("
            + ", ".join(sorted(self.hosts))
            + "); if it should be, start it with --allow-host NAME."
        )
        await send_json(send, 400, {"detail": detail})


async def send_json(send: Send, status: int, payload: dict[str, Any]) -> None:
    """A whole JSON answer, sent below FastAPI (by a middleware), closing the connection."""
    body = json.dumps(payload).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class SecurityHeaders:
    """ASGI middleware: a Content-Security-Policy, nosniff, no referrer and no framing on
    every answer. It is the outermost layer, so the refusals of the layers inside it (413,
    a wrong ``Host``) carry the same headers.

    Written against ASGI directly (not Starlette's BaseHTTPMiddleware), so exceptions
    raised while a body streams in, such as :class:`BodyTooLarge`, reach FastAPI as they are.
    """

    ALWAYS = (
        (b"x-content-type-options", b"nosniff"),
        (b"referrer-policy", b"no-referrer"),
        (b"x-frame-options", b"DENY"),
    )

    def __init__(self, app: ASGIApp, policy: str, exempt: tuple[str, ...] = ()) -> None:
        self.app = app
        self.policy = policy.encode()
        self.exempt = exempt

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        with_policy = not str(scope.get("path", "")).startswith(self.exempt)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {name.lower() for name, _ in headers}
                headers += [(n, v) for n, v in self.ALWAYS if n not in names]
                if with_policy and b"content-security-policy" not in names:
                    headers.append((b"content-security-policy", self.policy))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)
