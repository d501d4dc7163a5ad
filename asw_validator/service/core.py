"""What the service's routes share: the ``Service`` (settings, workers, metrics, token),
error answers, and receiving and validating a request's documents.

Every error is an ``application/problem+json`` body (RFC 9457) without a stack trace; an
internal error says the documents are not known valid.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from typing import Any

from fastapi import Request
from fastapi.responses import JSONResponse

from .. import doctypes
from ..binding.base import DATE_YEARS
from ..logs import get_logger
from ..reporters import REPORTERS
from ..resources import data_dir
from ..rules.registry import Registry
from . import worker
from .body import BodyError, Gate, Limits, Upload, boundary, read_multipart, read_xml
from .metrics import Metrics
from .pool import Pool, QueueFullError, WorkerFailedError, WorkerTimeoutError
from .settings import ServiceSettings

log = get_logger("asw_validator.service")

XML_TYPES = ("application/xml", "text/xml", "application/soap+xml")
MULTIPART = "multipart/form-data"
#: The page's cookie once the token was given (``Service.session``).
SESSION_COOKIE = "asw_validator_session"

Problem = dict[str, Any]


def problem_responses(*codes: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI entries for the error statuses a route may answer."""
    titles = {
        400: "Malformed request body (e.g. a broken multipart body)",
        401: "Missing or wrong token (when the service has one)",
        404: "Not found",
        408: "The body did not arrive within the read timeout",
        413: "Over the size limit (per file, per request, or too many files); refused"
        " before the body is read whole",
        415: "Not application/xml, text/xml or multipart/form-data",
        422: "Bad parameters, or no document in the request",
        429: "The queue is full; try again later",
        500: "Internal error: the documents are NOT known valid (no stack trace)",
        503: "Shutting down, or not ready yet",
    }
    schema = {"$ref": "#/components/schemas/Problem"}
    return {
        c: {"description": titles[c], "content": {"application/problem+json": {"schema": schema}}}
        for c in codes
    }


class ProblemError(Exception):
    """An error answer: RFC 9457 problem details, with extra members."""

    def __init__(self, status: int, title: str, detail: str, **extra: Any) -> None:
        super().__init__(detail)
        self.status = status
        self.title = title
        self.detail = detail
        self.extra = extra


def problem_response(request_id: str | None, err: ProblemError) -> JSONResponse:
    body: Problem = {"title": err.title, "status": err.status, "detail": err.detail, **err.extra}
    if request_id:
        body["request_id"] = request_id
    headers = {"WWW-Authenticate": "Bearer"} if err.status == 401 else {}
    if err.status >= 500:
        headers["X-ASW-Valid"] = "false"  # a client that reads only the header is not misled
    return JSONResponse(
        body, status_code=err.status, media_type="application/problem+json", headers=headers
    )


def not_known_valid(detail: str) -> ProblemError:
    return ProblemError(
        500,
        "Internal error",
        f"{detail} The documents are NOT known valid.",
        valid=False,
    )


class Service:
    """What the app's routes share: settings, workers, metrics, readiness."""

    def __init__(self, settings: ServiceSettings, registry: Registry) -> None:
        self.settings = settings
        self.registry = registry
        self.pool: Pool | None = None
        self.metrics = Metrics()
        self.ready = False
        self.draining = False
        self.limits = Limits(
            file_bytes=settings.max_file_bytes,
            request_bytes=settings.max_request_bytes,
            max_files=settings.max_files,
            read_timeout=settings.read_timeout,
        )
        token = settings.token
        self._token = token.encode() if token else None
        self._session = (
            hmac.new(self._token, b"asw-validator page session", hashlib.sha256).hexdigest()
            if self._token
            else None
        )

    # ----- token -----

    @property
    def token_required(self) -> bool:
        return self._token is not None

    def token_ok(self, given: str | None) -> bool:
        if self._token is None:
            return True
        return given is not None and hmac.compare_digest(given.encode(), self._token)

    def session_ok(self, cookie: str | None) -> bool:
        if self._session is None:
            return True
        return cookie is not None and hmac.compare_digest(cookie, self._session)

    @property
    def session(self) -> str | None:
        """The page's cookie value once the token was given: derived from the token, so any
        instance sharing the token accepts it, and the token itself is never in a cookie."""
        return self._session

    # ----- validation -----

    def give_back(self) -> None:
        """Give back the queue place ``receive`` took."""
        if self.pool is not None:
            self.pool.give_back()

    async def validate(self, job: worker.Job) -> worker.Outcome:
        """Run ``job`` in a worker; the caller holds a place in the queue."""
        assert self.pool is not None
        try:
            outcome = await self.pool.submit(job)
        except WorkerTimeoutError:
            self.metrics.replaced.inc()
            raise not_known_valid(
                f"Validation took longer than the time limit of"
                f" {self.settings.time_limit:g} seconds; the worker was stopped and replaced."
            ) from None
        except WorkerFailedError as err:
            if err.replaced:
                self.metrics.replaced.inc()
            raise not_known_valid(f"Validation failed inside the service ({err}).") from None
        self.metrics.outcome(outcome)
        return outcome

    async def warm(self) -> None:
        """Ready once a worker has validated a valid sample as valid (outside the queue and
        the metrics)."""
        assert self.pool is not None
        sample = data_dir("samples") / "acdd" / "valid-vn-th-rice.xml"
        job = worker.Job(((sample.read_bytes(), sample.name),), today=dt.date.today())
        try:
            outcome = await self.pool.submit(job)
        except (WorkerTimeoutError, WorkerFailedError) as err:
            log.error("workers failed to start", error=repr(err))
            return
        size = len(job.documents[0][0])
        # a file limit below the sample's size refuses it as too large: that is the limit at
        # work, not a broken worker
        too_large = size > self.settings.validation.max_bytes and set(outcome.codes) == {"XML004"}
        self.ready = outcome.exit_code == 0 or too_large
        if too_large:
            log.info("ready; the check's sample is larger than the file limit", size=size)
        elif not self.ready:
            log.error("a valid sample is not reported valid: not ready", codes=outcome.codes)


def request_language(request: Request, given: str | None, default: str = "en") -> str:
    """The language of a request's report and page: ``lang`` (a query parameter or the form's
    field), else the best of the browser's Accept-Language the tool speaks, else English. An
    unknown ``lang`` is a 422."""
    from ..i18n import LANGUAGES, language_of

    if given:
        found = language_of(given)  # km, KM, km_KH and km-KH alike
        if found is None:
            raise ProblemError(
                422, "Bad parameters", f"lang {given!r} is not one of {', '.join(LANGUAGES)}"
            )
        return found
    best, weight = default, 0.0
    for part in request.headers.get("accept-language", "").split(","):
        tag, _, params = part.strip().partition(";")
        q = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        found = language_of(tag) if tag and tag != "*" else None
        if found is not None and q > weight:
            best, weight = found, q
    return best


def check_options(doctype: str | None, on_date: dt.date | None, fmt: str) -> None:
    if doctype is not None and doctype not in doctypes.names():
        raise ProblemError(
            422,
            "Bad parameters",
            f"doctype {doctype!r} is not one of {', '.join(doctypes.names())}",
        )
    if on_date is not None and on_date.year not in DATE_YEARS:
        first, last = DATE_YEARS.start, DATE_YEARS.stop - 1
        raise ProblemError(422, "Bad parameters", f"on_date {on_date} is outside {first}-{last}")
    if fmt not in REPORTERS:
        raise ProblemError(
            422, "Bad parameters", f"format {fmt!r} is not one of {', '.join(sorted(REPORTERS))}"
        )


async def receive(
    service: Service,
    request: Request,
    kind: str,
    filename: str | None,
    gate: Gate | None = None,
) -> Upload:
    """The request's documents, read within the limits (``gate``: see ``body.Gate``); holds
    a place in the queue on return (the caller gives it back)."""
    if service.draining or service.pool is None:
        raise ProblemError(503, "Service unavailable", "the service is shutting down")
    limit = service.limits.request_bytes if kind == MULTIPART else service.limits.file_bytes
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise ProblemError(413, "Content too large", f"the body is larger than {limit} bytes")
    try:
        service.pool.take()
    except QueueFullError:
        raise ProblemError(
            429, "Too many requests", "every worker and queue place is taken; try again later"
        ) from None
    try:
        if kind == MULTIPART:
            found = await read_multipart(
                request.stream(), boundary(request.headers["content-type"]), service.limits, gate
            )
        else:
            data = await read_xml(request.stream(), service.limits)
            found = Upload(documents=[(data, filename or "<body>")])
    except BodyError as err:
        service.pool.give_back()
        raise ProblemError(err.status, err.title, err.detail) from None
    except BaseException:
        service.pool.give_back()
        raise
    if not found.documents:
        service.pool.give_back()
        raise ProblemError(422, "Bad parameters", "no document in the request")
    request.state.documents = len(found.documents)
    return found


async def validated(
    service: Service,
    request: Request,
    upload: Upload,
    doctype: str | None,
    on_date: dt.date | None,
    fail_on: str,
    fmt: str,
    lang: str = "en",
) -> worker.Outcome:
    job = worker.Job(
        documents=tuple(upload.documents),
        format=fmt,
        doctype=doctype,
        presented_on=on_date,
        fail_on=fail_on,
        today=dt.date.today(),
        lang=lang,
    )
    outcome = await service.validate(job)
    request.state.valid = outcome.valid
    request.state.exit_code = outcome.exit_code
    return outcome
