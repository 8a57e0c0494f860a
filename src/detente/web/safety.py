"""The app's guards: which hosts it answers, how large a body may be, which posts it accepts, the headers of
every answer, and errors as one short page or JSON object (never a stack trace).

Posts are protected from cross-site forgery by a strict same-origin check, not a token: the app keeps no
session or cookie, so what a forged post could do is an action of the app itself (store an article). A post is
accepted when its `Origin` (else its `Referer`) is this server's own address, or when it is JSON
(`application/json` cannot be sent across sites without a preflight the app never grants); `Sec-Fetch-Site:
cross-site` is refused in any case. The Host header must name this server (a DNS-rebinding page would
otherwise be "same-origin").
"""

from __future__ import annotations

from urllib.parse import urlsplit

from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.types import ASGIApp, Receive, Scope, Send

from ..textsafe import escape_controls

UNSAFE_METHODS = ("POST", "PUT", "PATCH", "DELETE")
CSP = ("default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
       "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")  # fmt: skip
HEADERS = {
    "content-security-policy": CSP,
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",  # a browser sends "Origin: null" on posts under no-referrer
    "x-frame-options": "DENY",
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-resource-policy": "same-origin",
}
TITLES = {400: "Bad request", 403: "Refused", 404: "Not found", 405: "Method not allowed", 413: "Too large",
          415: "Unsupported media type", 422: "Invalid request", 500: "Server error", 503: "Store busy"}  # fmt: skip


def wants_json(request: Request) -> bool:
    """An API path, or a client that asks for JSON rather than a page."""
    if request.url.path.startswith("/api/") or request.url.path == "/openapi.json":
        return True
    accept = request.headers.get("accept", "")
    return "application/json" in accept and "text/html" not in accept


def one_line(text: object) -> str:
    return escape_controls((str(text).strip().splitlines() or [""])[0])


def error_response(request: Request, status: int, reason: str, headers: dict | None = None) -> Response:
    """The answer to a failed request: `{"error": reason}` or a short page, by `wants_json`."""
    reason = one_line(reason)
    if wants_json(request):
        return JSONResponse({"error": reason}, status_code=status, headers=headers)
    from .pages import render_error  # the page's template lives with the pages

    return HTMLResponse(render_error(request, status, TITLES.get(status, "Error"), reason), status, headers=headers)


def _origin(url: str) -> tuple[str, str, int | None] | None:
    try:
        parts = urlsplit(url)
        port = parts.port or {"http": 80, "https": 443}.get(parts.scheme)
        return parts.scheme, (parts.hostname or "").lower(), port
    except ValueError:
        return None


def same_origin_refusal(request: Request) -> str | None:
    """Why a post must be refused as possibly cross-site, or None to accept it."""
    if request.headers.get("sec-fetch-site") == "cross-site":
        return "a post from another site is refused"
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    claimed = request.headers.get("origin") or request.headers.get("referer")
    if claimed is None or claimed == "null":
        if content_type == "application/json":
            return None
        return "a form post must come from this server's own pages (no Origin or Referer header)"
    if _origin(claimed) != _origin(str(request.base_url)):
        return "a post from another origin is refused (its Origin or Referer is not this server)"
    return None


class Guard:
    """ASGI middleware: the Host check, the body size limit, the same-origin check of posts and the security
    headers of every answer."""

    def __init__(self, app: ASGIApp, max_body: int, allowed_hosts: frozenset[str] | None) -> None:
        self.app, self.max_body, self.allowed_hosts = app, max_body, allowed_hosts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        request = Request(scope)
        host = (headers.get("host") or "").rsplit(":", 1)[0].strip("[]").lower()
        if self.allowed_hosts is not None and host not in self.allowed_hosts:
            refusal = error_response(request, 400, f"this server does not answer for the host {host!r}")
            await refusal(scope, receive, send)
            return
        length = headers.get("content-length")
        if length is not None and (not length.isdigit() or int(length) > self.max_body):
            reason = f"the request body is larger than this server's limit of {self.max_body:,} bytes"
            await error_response(request, 413, reason)(scope, receive, send)
            return
        if scope["method"] in UNSAFE_METHODS and (why := same_origin_refusal(request)):
            await error_response(request, 403, why)(scope, receive, send)
            return
        received = 0

        async def limited() -> dict:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.max_body:
                raise HTTPException(413, f"the request body is larger than this server's limit of {self.max_body:,} "
                                         "bytes")  # fmt: skip
            return message

        async def with_headers(message: dict) -> None:
            if message["type"] == "http.response.start":
                present = {k.lower() for k, _ in message.get("headers", [])}
                message["headers"] = list(message.get("headers", [])) + [
                    (k.encode(), v.encode()) for k, v in HEADERS.items() if k.encode() not in present
                ]
            await send(message)

        await self.app(scope, limited, with_headers)
