"""The web page's routes: the form, its answer (the report under the form), rule pages,
and the page's script and style sheet (files of the package, served from memory).

The page takes the token in a password field; once given, a cookie derived from it (never
the token) lets the browser follow rule links and validate again.
"""

from __future__ import annotations

import datetime as dt
from importlib import resources

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, Response

from .. import doctypes
from ..explain import explain
from ..model import FAIL_ON
from ..reporters import html as html_report
from . import page
from .body import BodyError
from .core import (
    MULTIPART,
    SESSION_COOKIE,
    ProblemError,
    Service,
    check_options,
    receive,
    request_language,
    validated,
)

#: The page's own report format (``page.PageReporter``), not offered by the API.
PAGE_FORMAT = "page"

# ----- the page -----


def add_routes(app: FastAPI, service: Service) -> None:
    static = resources.files("asw_validator.service") / "static"
    files = {
        "app.css": ((static / "app.css").read_bytes(), "text/css; charset=utf-8"),
        "app.js": ((static / "app.js").read_bytes(), "text/javascript; charset=utf-8"),
        # the HTML report's own style, as a style sheet rather than its inline element
        "report.css": (html_report.CSS.encode(), "text/css; charset=utf-8"),
    }

    def signed_in(request: Request) -> bool:
        return service.session_ok(request.cookies.get(SESSION_COOKIE))

    def html(text: str, status: int = 200) -> HTMLResponse:
        return HTMLResponse(text, status_code=status, headers={"Cache-Control": "no-store"})

    @app.get("/static/{name}", include_in_schema=False)
    async def static_file(name: str) -> Response:
        found = files.get(name)
        if found is None:
            return Response("not found", status_code=404, media_type="text/plain")
        return Response(found[0], media_type=found[1], headers={"Cache-Control": "max-age=3600"})

    def language(request: Request, given: str | None = None) -> str:
        """The page's language: ``lang`` (query or form), else Accept-Language; an unknown
        ``lang`` gives English rather than an error page."""
        try:
            return request_language(
                request, given or request.query_params.get("lang"), service.settings.lang
            )
        except ProblemError:
            return "en"

    @app.get("/", include_in_schema=False)
    async def form(request: Request) -> HTMLResponse:
        # The empty form carries no data and is where the token is typed: always served.
        with page.speaking(language(request)):
            return html(
                page.form_page(
                    doctypes.names(),
                    token_required=service.token_required,
                    signed_in=service.token_required and signed_in(request),
                )
            )

    @app.post("/", include_in_schema=False)
    async def submit(request: Request) -> HTMLResponse:
        kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if kind != MULTIPART:
            with page.speaking(language(request)):
                return html(page.message_page("Unsupported media type", "Send the form."), 415)
        authorized = signed_in(request)

        def gate(name: str, value: str | None) -> None:
            """The token field comes first in the form: a wrong one is refused before the
            documents after it are read."""
            nonlocal authorized
            if name == "token" and value is not None and not authorized:
                authorized = service.token_ok(value)
            if not authorized and (value is None or name == "token"):
                raise BodyError(401, "Unauthorized", "The access token is wrong or missing.")

        try:
            upload = await receive(service, request, kind, None, gate)
        except ProblemError as err:
            return _form_error(service, request, err.status, err.detail, {})
        try:
            fields = upload.fields
            lang = language(request, fields.get("lang"))
            if not (authorized or service.token_ok(fields.get("token"))):
                return _form_error(service, request, 401, "The access token is wrong.", fields)
            doctype = fields.get("doctype") or None
            fail_on = fields.get("fail_on") or "error"
            try:
                on_date = (
                    dt.date.fromisoformat(fields["on_date"]) if fields.get("on_date") else None
                )
                if fail_on not in FAIL_ON:
                    raise ValueError(f"fail on {fail_on!r}")
                check_options(doctype, on_date, "json")
            except (ValueError, ProblemError) as err:
                detail = err.detail if isinstance(err, ProblemError) else str(err)
                return _form_error(service, request, 422, detail, fields)
            try:
                outcome = await validated(
                    service, request, upload, doctype, on_date, fail_on, PAGE_FORMAT, lang
                )
            except ProblemError as err:
                return _form_error(service, request, err.status, err.detail, fields)
        finally:
            service.give_back()
        with page.speaking(lang):
            report = page.verdict_line(outcome.exit_code, fail_on) + outcome.body
            response = html(
                page.form_page(
                    doctypes.names(),
                    token_required=service.token_required,
                    signed_in=service.token_required,
                    values=fields,
                    report=report,
                )
            )
        response.headers["X-ASW-Valid"] = str(outcome.valid).lower()
        response.headers["X-ASW-Exit-Code"] = str(outcome.exit_code)
        if service.session is not None:
            response.set_cookie(
                SESSION_COOKIE,
                service.session,
                httponly=True,
                samesite="strict",
                secure=request.url.scheme == "https",
            )
        return response

    def guarded(request: Request, root: str) -> HTMLResponse | None:
        """The answer to a page request without the token, None when it may go on."""
        if signed_in(request):
            return None
        with page.speaking(language(request)):
            text = page.message_page(
                "Token required", "Validate a document with the access token first.", root=root
            )
        return html(text, 401)

    @app.get("/rules", include_in_schema=False)
    async def rules_page(request: Request) -> HTMLResponse:
        refused = guarded(request, "")
        if refused is not None:
            return refused
        with page.speaking(language(request)):
            return html(page.rules_page(r.info() for r in service.registry))

    @app.get("/rules/{code}", include_in_schema=False)
    async def rule_page(request: Request, code: str) -> HTMLResponse:
        refused = guarded(request, "../")
        if refused is not None:
            return refused
        found = explain(code, service.registry)
        with page.speaking(language(request)):
            if found is None:
                return html(
                    page.message_page("Unknown code", f"No code {code!r}.", root="../"), 404
                )
            return html(page.rule_page(found))


def _form_error(
    service: Service, request: Request, status: int, detail: str, fields: dict[str, str]
) -> HTMLResponse:
    try:
        lang = request_language(
            request,
            fields.get("lang") or request.query_params.get("lang"),
            service.settings.lang,
        )
    except ProblemError:
        lang = "en"
    with page.speaking(lang):
        return _form_error_page(service, request, status, detail, fields)


def _form_error_page(
    service: Service, request: Request, status: int, detail: str, fields: dict[str, str]
) -> HTMLResponse:
    text = page.form_page(
        doctypes.names(),
        token_required=service.token_required,
        signed_in=service.token_required
        and service.session_ok(request.cookies.get(SESSION_COOKIE)),
        values={k: v for k, v in fields.items() if k != "token"},
        error=detail,
    )
    headers = {"Cache-Control": "no-store"}
    if status >= 500:
        headers["X-ASW-Valid"] = "false"
    return HTMLResponse(text, status_code=status, headers=headers)
