"""The service's validation workers: what runs inside each worker process.

A worker builds its rule registry once (``start``, the pool's initializer), warms up by
validating every shipped sample and writing each report format (schemas compiled, reference
data and reporter modules loaded), then validates requests: one ``Job`` (the documents of one
request, as bytes, and its options) in, one ``Outcome`` (the rendered report and the verdict)
out. Documents never touch the file system: they arrive as bytes and leave as a report.

The report is rendered here, not in the server, so the server's event loop does no
CPU-bound work. The clock is the server's, per request (``Job.today``): a worker that lives
for days still judges dated rules by the day of the request.

Only the standard library and asw_validator are imported here (no web framework): the module
is preloaded into the fork server that starts workers.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import signal
import sys
from collections import Counter
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..engine import RunResult, Settings, Validator
from ..i18n import LANGUAGES, localizer
from ..model import FAIL_ON, DocumentResult, exit_code
from ..reporters import REPORTERS, Reporter, ReportOptions, reporter_class
from ..reporters.html import HtmlSectionReporter
from ..resources import data_dir
from ..rules.registry import Registry

#: The report formats: the CLI's, and the web page's (``page``: the HTML report as a section
#: of the page, each code a link to its rule's page).
FORMATS: dict[str, type[Reporter]] = {
    **{name: reporter_class(name) for name in REPORTERS},
    "page": HtmlSectionReporter,
}
OPTIONS = {"page": ReportOptions(rule_links="rules/{code}")}


@dataclass(frozen=True)
class Job:
    """One request's documents (bytes and the label the report gives each) and options."""

    documents: tuple[tuple[bytes, str], ...]
    format: str = "json"
    doctype: str | None = None
    presented_on: dt.date | None = None
    fail_on: str = "error"
    #: The server's date when the request came (dated rules, "in the future" checks).
    today: dt.date | None = None
    #: The language of the report's words (``asw_validator.i18n``): human formats speak it,
    #: machine formats add it beside the English message.
    lang: str = "en"


@dataclass(frozen=True)
class Outcome:
    """A rendered report and what the server says of it (headers, metrics)."""

    body: str
    exit_code: int
    documents: int
    valid_documents: int
    #: Findings by code, for the service's metrics.
    codes: dict[str, int]
    pid: int

    @property
    def valid(self) -> bool:
        """Every document is valid (no error-level finding)."""
        return self.valid_documents == self.documents


_registry: Registry | None = None
_settings: Settings | None = None


def start(settings: Settings, registry: Registry, audit_dir: str | None = None) -> None:
    """The pool's initializer: keep the settings and registry, warm up, then (in tests)
    start recording what the worker opens or connects to."""
    global _registry, _settings
    # The server alone decides when workers stop: Ctrl-C in a terminal reaches the whole
    # process group, and a worker must not die under a request the server still waits for.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _settings, _registry = settings, registry
    audit = Audit.create(audit_dir) if audit_dir else None
    warm_up()
    if audit is not None:
        audit.arm()


def warm_up() -> None:
    """Validate every shipped sample in one run (``--on-date`` too, and keeping the lines
    around findings: the code those need runs once) and write that report in every format,
    so that what a request may need is compiled, loaded and imported before the first one."""
    assert _settings is not None and _registry is not None, "worker not started"
    samples = sorted(data_dir("samples").rglob("*.xml"))
    today = dt.date.today()
    excerpts = max(FORMATS, key=lambda name: FORMATS[name].excerpt_lines)
    docs = tuple((p.read_bytes(), p.name) for p in samples)
    job = Job(docs, format=excerpts, presented_on=today, today=today)
    validator, own, done = _validate(job)
    for name in FORMATS:
        _render(name, validator, own, done)
    for lang in LANGUAGES:  # catalogues and CLDR data read now, not under a request
        loc = localizer(lang)
        loc.number(Decimal("1234.5"))
        loc.date(today)
        _render("page", validator, own, done, lang)


def check(job: Job) -> Outcome:
    """Validate the job's documents together (cross-document rules apply) and render the
    report as the CLI would."""
    validator, own, done = _validate(job)
    return Outcome(
        body=_render(job.format, validator, own, done, job.lang),
        exit_code=exit_code(done.documents, FAIL_ON[job.fail_on]),
        documents=len(done.documents),
        valid_documents=sum(1 for d in done.documents if d.is_valid),
        codes=_codes(done.documents),
        pid=os.getpid(),
    )


def _validate(job: Job) -> tuple[Validator, list[DocumentResult], RunResult]:
    """The validator for the job's options, each document's own result, and the run with
    its cross-document findings."""
    assert _settings is not None and _registry is not None, "worker not started"
    settings = replace(
        _settings,
        today=job.today or _settings.today or dt.date.today(),
        doctype=job.doctype or _settings.doctype,
        presented_on=job.presented_on or _settings.presented_on,
        excerpt_lines=FORMATS[job.format].excerpt_lines,  # the lines a format shows
    )
    validator = Validator(settings, registry=_registry)  # cheap: schemas stay compiled
    run = validator.run()
    own = [run.validate(data, path=label) for data, label in job.documents]
    return validator, own, run.finish()


def _render(
    fmt: str,
    validator: Validator,
    own: list[DocumentResult],
    done: RunResult,
    lang: str = "en",
) -> str:
    """The report in format ``fmt``, written as the CLI writes it: each document as it is
    done, then the cross-document findings, then the whole report."""
    out = io.StringIO()
    options = OPTIONS.get(fmt) or ReportOptions()
    if lang != "en":
        links = options.rule_links
        options = replace(
            options,
            localizer=localizer(lang),
            rule_links=f"{links}?lang={lang}" if links else None,
        )
    reporter = FORMATS[fmt](out, options)
    for result in own:
        reporter.document(result)
    reporter.cross_document(done.cross_findings)
    reporter.finish(validator.report(done.documents))
    return out.getvalue()


def _codes(documents: list[DocumentResult]) -> dict[str, int]:
    return dict(Counter(f.code for d in documents for f in d.findings))


class Audit:
    """Test-only: records every file opened, socket connected and process started in this
    worker once armed, through an audit hook (``sys.addaudithook``), into
    ``<dir>/worker-<pid>.jsonl``. The file is opened before arming and written with
    ``os.write``, which raises no audit event: recording records nothing of itself, and a
    worker killed later leaves its record behind."""

    EVENTS = frozenset(
        {
            "open",
            "socket.connect",
            "socket.bind",
            "socket.getaddrinfo",
            "subprocess.Popen",
            "os.system",
            "os.exec",
            "os.posix_spawn",
            "os.fork",
        }
    )

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self.armed = False

    @classmethod
    def create(cls, directory: str) -> Audit:
        path = Path(directory) / f"worker-{os.getpid()}.jsonl"
        audit = cls(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600))
        sys.addaudithook(audit)
        return audit

    def arm(self) -> None:
        self.armed = True
        self._write({"armed": True, "pid": os.getpid()})

    def __call__(self, event: str, args: tuple[Any, ...]) -> None:
        if self.armed and event in self.EVENTS:
            self._write({"event": event, "args": repr(args)[:500]})

    def _write(self, record: dict[str, Any]) -> None:
        os.write(self.fd, (json.dumps(record) + "\n").encode())
