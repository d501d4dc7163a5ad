"""The service's worker side, in this process: the report it renders, the request's clock,
and the audit hook that the load test reads."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import pytest

from asw_validator.engine import Settings
from asw_validator.i18n import LANGUAGES
from asw_validator.rules.registry import default_registry
from asw_validator.service import worker

from .conftest import SAMPLES

RICE = SAMPLES / "acdd" / "valid-vn-th-rice.xml"  # declared in March 2025


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch) -> None:
    """The worker's state as ``worker.start`` leaves it (without its signal handling)."""
    monkeypatch.setattr(worker, "_settings", Settings())
    monkeypatch.setattr(worker, "_registry", default_registry())


def test_each_request_is_judged_on_its_own_day(started: None) -> None:
    docs = ((RICE.read_bytes(), RICE.name),)
    now = worker.check(worker.Job(docs, today=dt.date(2026, 11, 23)))
    assert now.codes == {}
    before = worker.check(worker.Job(docs, today=dt.date(2024, 1, 1)))
    # dates after "today" (warnings): a worker's clock is the request's, not its start's
    assert before.codes == {"AC027": 1, "AC028": 1}


def test_the_outcome_counts_documents_and_codes(started: None) -> None:
    bad = SAMPLES / "acdd" / "invalid-port-of-discharge-name.xml"
    docs = ((RICE.read_bytes(), "a.xml"), (bad.read_bytes(), "b.xml"))
    out = worker.check(worker.Job(docs, format="json", today=dt.date(2026, 11, 23)))
    assert (out.documents, out.valid_documents, out.codes) == (2, 1, {"AC013": 1})
    assert [d["path"] for d in json.loads(out.body)["documents"]] == ["a.xml", "b.xml"]
    page = worker.check(worker.Job(docs, format="page", today=dt.date(2026, 11, 23)))
    assert 'href="rules/AC013"' in page.body


def test_warm_up_renders_every_format(started: None, monkeypatch: pytest.MonkeyPatch) -> None:
    rendered: list[str] = []
    real = worker._render

    def spy(fmt: str, *args: object) -> str:
        rendered.append(fmt)
        return real(fmt, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(worker, "_render", spy)
    worker.warm_up()
    # every format once, then the page in every language (catalogues and CLDR data loaded)
    assert rendered == [*worker.FORMATS, *["page"] * len(LANGUAGES)]


def test_the_audit_records_only_once_armed_and_only_what_it_watches(tmp_path: Path) -> None:
    record = tmp_path / "audit.jsonl"
    fd = os.open(record, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        audit = worker.Audit(fd)
        audit("open", ("/before/arming", "r", 0))
        audit.arm()
        audit("open", ("/etc/passwd", "r", 0))
        audit("socket.connect", ("sock", ("127.0.0.1", 9)))
        audit("compile", ("source", "<string>"))  # not watched
    finally:
        os.close(fd)
    lines = [json.loads(line) for line in record.read_text().splitlines()]
    assert lines[0] == {"armed": True, "pid": os.getpid()}
    assert [line["event"] for line in lines[1:]] == ["open", "socket.connect"]
    assert "/etc/passwd" in lines[1]["args"]
