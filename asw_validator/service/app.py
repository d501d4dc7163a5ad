"""The validation service's ASGI app: the ``/v1`` API, health, metrics and the page.

Requests are validated by the workers (``pool``), never on the event loop. Every response
passes the edge (``_Edge``): a request id, security headers (a Content-Security-Policy that
allows nothing but this service's own script and style sheet), the access log (no message
content) and the metrics, and a last-resort 500 that says the documents are not known valid.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import re
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, MutableMapping
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..__about__ import __version__
from ..logs import get_logger
from ..reporters import html as html_report
from ..rules.registry import Registry, default_registry
from . import api, web
from .core import ProblemError, Service, not_known_valid, problem_response
from .pool import Pool, Task
from .settings import ServiceSettings

log = get_logger("asw_validator.service")
#: The access log's logger: one line per request.
ACCESS_LOG = "asw_validator.service.access"
access = get_logger(ACCESS_LOG)

#: The one inline style allowed, by its hash: the HTML report's (``format=html`` answers a
#: whole page, styled by its own ``<style>`` element).
REPORT_STYLE = base64.b64encode(hashlib.sha256(html_report.CSS.encode()).digest()).decode()
#: Nothing from anywhere but this service; no inline script, no other inline style.
CSP = (
    f"default-src 'none'; script-src 'self'; style-src 'self' 'sha256-{REPORT_STYLE}';"
    " img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")


_TITLES = {404: "Not found", 405: "Method not allowed"}


def create_app(
    settings: ServiceSettings,
    *,
    registry: Registry | None = None,
    task: Task | None = None,
) -> FastAPI:
    """The app; its workers start with it (``lifespan``) and stop when it stops.

    ``task`` replaces what workers run (tests: a worker that hangs); it must be importable by
    name. Workers start from a fork server, so a script that serves the app itself needs the
    ``if __name__ == "__main__":`` guard of any program that starts processes.
    """
    service = Service(settings, registry or default_registry())

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        service.pool = Pool(settings, service.registry, task=task)
        warming = asyncio.create_task(service.warm())
        try:
            yield
        finally:
            service.draining = True
            service.ready = False
            warming.cancel()
            await asyncio.to_thread(service.pool.close, settings.time_limit)

    app = FastAPI(
        title="asw-validator",
        version=__version__,
        summary="Validate ASEAN Single Window trade messages",
        description=_DESCRIPTION,
        lifespan=lifespan,
        docs_url=None,  # the interactive docs load scripts from a CDN: no resource from afar
        redoc_url=None,
        openapi_url=None,  # served below, behind the token
    )
    app.state.service = service
    app.add_middleware(_Edge, service=service)

    @app.exception_handler(ProblemError)
    async def on_problem(request: Request, err: ProblemError) -> Response:
        return problem_response(getattr(request.state, "request_id", None), err)

    @app.exception_handler(StarletteHTTPException)
    async def on_http_error(request: Request, err: StarletteHTTPException) -> Response:
        """Starlette's own 404 and 405 in the service's problem form, with the request id."""
        problem = ProblemError(
            err.status_code, _TITLES.get(err.status_code, "Error"), str(err.detail)
        )
        return problem_response(getattr(request.state, "request_id", None), problem)

    @app.exception_handler(RequestValidationError)
    async def on_bad_parameters(request: Request, err: RequestValidationError) -> Response:
        errors = [{"loc": list(e.get("loc", ())), "msg": e.get("msg", "")} for e in err.errors()]
        wrong = ", ".join(str(e["loc"][-1]) for e in errors if e["loc"]) or "parameters"
        problem = ProblemError(422, "Bad parameters", f"invalid: {wrong}", errors=errors)
        return problem_response(getattr(request.state, "request_id", None), problem)

    api.add_routes(app, service)
    web.add_routes(app, service)

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = _openapi_base(app)
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
    return app


_DESCRIPTION = """\
Validate ASEAN Single Window trade messages (ACDD, e-Form D, Customs Response, e-Phyto,
Origin Declaration, WCO export declarations) as `asw-validator validate` does: the same
report, in the same formats.

A report is **200 whatever the verdict**: the verdict is in the report, in `X-ASW-Valid`
(`true` when every document is valid) and in `X-ASW-Exit-Code` (the CLI's exit code for the
run with `fail_on`: 0, 1, or 3 when the tool could not judge a document). When the service
has a token, every route but `/healthz` and `/readyz` requires `Authorization: Bearer TOKEN`.
"""


def _openapi_base(app: FastAPI) -> dict[str, Any]:
    from fastapi.openapi.utils import get_openapi

    schema = get_openapi(
        title=app.title,
        version=app.version,
        summary=app.summary,
        description=app.description,
        routes=app.routes,
    )
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components["Problem"] = {
        "type": "object",
        "description": "RFC 9457 problem details",
        "properties": {
            "title": {"type": "string"},
            "status": {"type": "integer"},
            "detail": {"type": "string"},
            "request_id": {"type": "string"},
            "valid": {"type": "boolean", "description": "false on every 500"},
        },
        "required": ["title", "status", "detail"],
    }
    return schema


# ----- the edge: request id, access log, metrics, security headers, last-resort 500 -----

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

_SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
]


class _Edge:
    """Pure ASGI middleware around every request (no BaseHTTPMiddleware: bodies stream)."""

    def __init__(self, app: ASGIApp, service: Service) -> None:
        self.app = app
        self.service = service

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        request_id = _request_id(scope)
        scope.setdefault("state", {})["request_id"] = request_id
        status = 500
        sent = False

        async def send_with_headers(message: Message) -> None:
            nonlocal status, sent
            if message["type"] == "http.response.start":
                status = message["status"]
                sent = True
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                headers += [h for h in _SECURITY_HEADERS if h[0] not in present]
                headers.append((b"x-request-id", request_id.encode()))
                message["headers"] = headers
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        except Exception:
            log.exception("internal error", request_id=request_id)
            if not sent:
                err = not_known_valid("The service failed while answering.")
                await problem_response(request_id, err)(scope, receive, send_with_headers)
        finally:
            route = scope.get("route")
            template = getattr(route, "path", "unmatched")
            elapsed = time.perf_counter() - started
            metrics = self.service.metrics
            metrics.requests.labels(scope["method"], template, str(status)).inc()
            metrics.duration.labels(template).observe(elapsed)
            state = scope["state"]
            access.info(
                "request",
                request_id=request_id,
                method=scope["method"],
                path=scope["path"],
                route=template,
                status=status,
                duration_ms=round(elapsed * 1000, 1),
                documents=state.get("documents"),
                valid=state.get("valid"),
                exit_code=state.get("exit_code"),
            )


def _request_id(scope: Scope) -> str:
    """The caller's ``X-Request-ID`` when it is a plain token, else a new one."""
    headers: list[tuple[bytes, bytes]] = scope.get("headers", [])
    for name, value in headers:
        if name == b"x-request-id":
            text = value.decode("latin-1")
            if _REQUEST_ID.fullmatch(text):
                return text
    return uuid.uuid4().hex
