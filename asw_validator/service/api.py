"""The ``/v1`` API, health and metrics routes.

A report is a 200 whatever its verdict: the verdict is in the report and in the
``X-ASW-Valid`` and ``X-ASW-Exit-Code`` headers.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, FastAPI, Query, Request
from fastapi.responses import JSONResponse, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from .. import doctypes, samplekit
from ..codes import PIPELINE_CODES
from ..explain import explain
from ..i18n import LANGUAGES
from ..reporters import REPORTERS
from ..samplekit import Sample
from ..schemas import SchemaLoadError, schema_info
from .core import (
    MULTIPART,
    XML_TYPES,
    ProblemError,
    Service,
    check_options,
    problem_responses,
    receive,
    request_language,
    validated,
)

#: Formats a person reads: Accept-Language may choose their words.
HUMAN = ("text", "html")
#: Media type of each report format; a format added later without one is served as text.
MEDIA_TYPES = {
    "json": "application/json",
    "jsonl": "application/x-ndjson",
    "sarif": "application/sarif+json",
    "junit": "application/xml",
    "html": "text/html; charset=utf-8",
    "text": "text/plain; charset=utf-8",
    "github": "text/plain; charset=utf-8",
}
#: Report labels: printable, at most 255 characters (a label, never a path).
FILENAME_PATTERN = r"^[^\x00-\x1f\x7f]{1,255}$"

# ----- the API -----

FailOn = Literal["error", "warning", "info", "never"]
_bearer = HTTPBearer(auto_error=False, description="The service's token, when it has one")


def add_routes(app: FastAPI, service: Service) -> None:
    async def authorized(
        credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    ) -> None:
        if not service.token_ok(credentials.credentials if credentials else None):
            raise ProblemError(
                401, "Unauthorized", "a valid 'Authorization: Bearer' token is required"
            )

    protected = APIRouter(dependencies=[Depends(authorized)])
    v1 = APIRouter(prefix="/v1", dependencies=[Depends(authorized)], tags=["v1"])

    @app.get("/healthz", tags=["health"], summary="Liveness: the server answers")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get(
        "/readyz",
        tags=["health"],
        summary="Readiness: workers validate, and the service is not shutting down",
        responses={503: {"description": "Not ready yet, or shutting down"}},
    )
    async def readyz() -> Response:
        if service.draining:
            return JSONResponse({"status": "shutting down"}, status_code=503)
        if not service.ready:
            return JSONResponse({"status": "starting"}, status_code=503)
        return JSONResponse({"status": "ready", "workers": service.settings.workers})

    @protected.get("/metrics", tags=["health"], summary="Prometheus metrics")
    async def metrics() -> Response:
        service.metrics.queue.set(service.pool.taken if service.pool else 0)
        return Response(service.metrics.text(), media_type="text/plain; version=0.0.4")

    @protected.get("/openapi.json", include_in_schema=False)
    async def openapi() -> dict[str, Any]:
        return app.openapi()

    @v1.post(
        "/validate",
        summary="Validate one document (XML body) or several together (multipart)",
        response_class=Response,
        responses={
            200: {
                "description": "The report, whatever the verdict (see X-ASW-Valid and"
                " X-ASW-Exit-Code)",
                "headers": {
                    "X-ASW-Valid": {
                        "description": "true when every document is valid",
                        "schema": {"type": "string", "enum": ["true", "false"]},
                    },
                    "X-ASW-Exit-Code": {
                        "description": "the CLI's exit code for this run: 0, 1, or 3",
                        "schema": {"type": "integer"},
                    },
                },
                "content": {t.split(";")[0]: {} for t in MEDIA_TYPES.values()},
            },
            **problem_responses(400, 401, 408, 413, 415, 422, 429, 500, 503),
        },
        openapi_extra={
            "requestBody": {
                "required": True,
                "content": {
                    "application/xml": {"schema": {"type": "string", "format": "binary"}},
                    "text/xml": {"schema": {"type": "string", "format": "binary"}},
                    MULTIPART: {
                        "schema": {
                            "type": "object",
                            "properties": {
                                "files": {
                                    "type": "array",
                                    "items": {"type": "string", "format": "binary"},
                                    "description": "documents; each part's file name is its"
                                    " label in the report",
                                }
                            },
                        }
                    },
                },
            }
        },
    )
    async def validate(
        request: Request,
        doctype: Annotated[
            str | None,
            Query(
                description="Skip detection: the root must match (else DOC003)",
                json_schema_extra={"enum": doctypes.names()},
            ),
        ] = None,
        on_date: Annotated[
            dt.date | None,
            Query(description="Date the documents are presented at import (e.g. FD008)"),
        ] = None,
        fail_on: Annotated[
            FailOn, Query(description="Lowest severity that makes X-ASW-Exit-Code 1")
        ] = "error",
        format: Annotated[
            str,
            Query(description="Report format", json_schema_extra={"enum": sorted(REPORTERS)}),
        ] = "json",
        filename: Annotated[
            str | None,
            Query(
                description="The document's label in the report (an XML body; a multipart"
                " part's file name is its label)",
                pattern=FILENAME_PATTERN,
            ),
        ] = None,
        lang: Annotated[
            str | None,
            Query(
                description="Language of the report's words (text, html: the report; json,"
                " jsonl, junit, sarif: message_localized beside the English message); default:"
                " the best of Accept-Language, else en",
                json_schema_extra={"enum": list(LANGUAGES)},
            ),
        ] = None,
    ) -> Response:
        check_options(doctype, on_date, format)
        # Accept-Language chooses the words of a report a person reads (text, html); a
        # machine format changes only when lang= asks for the localised message beside it
        language = (
            request_language(request, lang, service.settings.lang)
            if lang or format in HUMAN
            else "en"
        )
        kind = _media_type(request)
        documents = await receive(service, request, kind, filename)
        try:
            if kind == MULTIPART and documents.fields:
                unexpected = sorted(documents.fields)[0]
                raise ProblemError(
                    422,
                    "Bad parameters",
                    f"unexpected form field {unexpected!r}: options are query parameters",
                )
            outcome = await validated(
                service, request, documents, doctype, on_date, fail_on, format, language
            )
        finally:
            service.give_back()
        media = MEDIA_TYPES.get(format, "text/plain; charset=utf-8")
        spoken = {"Content-Language": language} if language != "en" else {}
        if format in HUMAN and not lang:
            spoken["Vary"] = "Accept-Language"
        return Response(
            outcome.body,
            media_type=media,
            headers={
                **spoken,
                "X-ASW-Valid": str(outcome.valid).lower(),
                "X-ASW-Exit-Code": str(outcome.exit_code),
                "Cache-Control": "no-store",
            },
        )

    @v1.get("/rules", summary="The rules and every other code ('rules --all')")
    async def rules(
        doctype: Annotated[str | None, Query(json_schema_extra={"enum": doctypes.names()})] = None,
        country: Annotated[str | None, Query(pattern="^[A-Za-z]{2}$")] = None,
    ) -> dict[str, Any]:
        if doctype is not None and doctype not in doctypes.names():
            raise ProblemError(422, "Bad parameters", f"unknown doctype {doctype!r}")
        found = service.registry.for_country(country.upper()) if country else list(service.registry)
        found = [r for r in found if doctype is None or r.applies_to(doctype)]
        return {
            "rules": [r.info() for r in found],
            "pipeline_codes": [vars(c) | {"basis": c.basis} for c in PIPELINE_CODES.values()],
        }

    @v1.get(
        "/rules/{code}",
        summary="What 'asw-validator explain CODE' says",
        responses=problem_responses(404),
    )
    async def rule(code: str) -> dict[str, Any]:
        found = explain(code, service.registry)
        if found is None:
            raise ProblemError(404, "Not found", f"unknown code {code!r}")
        return found

    @v1.get("/schemas", summary="The schemas documents are validated with")
    async def schemas() -> dict[str, Any]:
        return {"schemas": _schemas(service)}

    @v1.get("/samples", summary="The trainer's sample kit: each sample and its story")
    async def samples() -> dict[str, Any]:
        return {"samples": [s.to_dict() for s in _catalog().values()]}

    @v1.get(
        "/samples/{name:path}",
        summary="One sample message (e.g. acdd/valid-vn-th-rice.xml)",
        response_class=Response,
        responses={200: {"content": {"application/xml": {}}}, **problem_responses(404)},
    )
    async def sample(name: str) -> Response:
        entry = _catalog().get(name)  # only catalogued names: never a path built from input
        if entry is None:
            raise ProblemError(404, "Not found", f"no sample {name!r} (GET /v1/samples lists them)")
        data = entry.path.read_bytes()
        return Response(data, media_type="application/xml")

    app.include_router(protected)
    app.include_router(v1)


def _media_type(request: Request) -> str:
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind in XML_TYPES or kind == MULTIPART:
        return kind
    raise ProblemError(
        415,
        "Unsupported media type",
        f"Content-Type {kind or 'none'!r}: send application/xml (one document) or"
        " multipart/form-data (several)",
    )


def _schemas(service: Service) -> list[dict[str, Any]]:
    out = []
    schema_dir = service.settings.validation.schema_dir
    for t in doctypes.all_types():
        row: dict[str, Any] = {"doctype": t.name, "version": t.version, "root": t.qname}
        if t.schema is None:
            row["schema"] = None
        else:
            try:
                row["schema"] = schema_info(t, schema_dir).to_dict()
            except SchemaLoadError as err:
                row["schema"] = None
                row["error"] = str(err)
        out.append(row)
    return out


def _catalog() -> dict[str, Sample]:
    """The sample kit, by catalogue path (``acdd/valid-vn-th-rice.xml``)."""
    return {s.file: s for s in samplekit.catalog()}
