"""Library API: validate / is_valid / iter_findings, thread safety, never printing."""

from __future__ import annotations

import io
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

import asw_validator
from asw_validator import Severity, Validator

from .conftest import SAMPLES, TODAY


def test_three_levels(base_acdd: bytes, tmp_path: Path) -> None:
    p = tmp_path / "d.xml"
    p.write_bytes(base_acdd.replace(b"<acdd:ModeCode>1<", b"<acdd:ModeCode>11<"))
    result = asw_validator.validate(p, today=TODAY)
    assert result.codes() == ["AC012"]
    assert result.findings[0].severity is Severity.ERROR
    assert asw_validator.is_valid(base_acdd, today=TODAY)
    assert not asw_validator.is_valid(str(p))
    assert [f.code for f in asw_validator.iter_findings(io.BytesIO(p.read_bytes()))] == ["AC012"]


def test_result_carries_hash_size_and_doctype(base_acdd: bytes) -> None:
    import hashlib

    r = Validator(today=TODAY).validate(base_acdd)
    assert r.sha256 == hashlib.sha256(base_acdd).hexdigest()
    assert r.size == len(base_acdd)
    assert (r.doctype, r.doctype_version) == ("acdd", "1.0")


def test_library_never_prints(base_acdd: bytes, capsys: pytest.CaptureFixture[str]) -> None:
    Validator(today=TODAY).validate(base_acdd.replace(b"VN<", b"XX<"))
    Validator(today=TODAY).validate(b"<broken")
    out = capsys.readouterr()
    assert out.out == "" and out.err == ""


def test_unknown_forced_doctype_is_rejected() -> None:
    with pytest.raises(ValueError, match="unknown document type"):
        Validator(doctype="nope")


def test_eight_threads_match_a_serial_run() -> None:
    files = sorted((SAMPLES / "acdd").glob("*.xml"))
    files = files * 4
    validator = Validator(today=TODAY)
    serial = [validator.validate(f) for f in files]
    with ThreadPoolExecutor(max_workers=8) as pool:
        threaded = list(pool.map(validator.validate, files))
    assert threaded == serial
    assert any(r.findings for r in serial)


def test_xml_text_as_str_is_a_type_error(base_acdd: bytes) -> None:
    with pytest.raises(TypeError, match="pass XML text as bytes"):
        Validator(today=TODAY).validate(base_acdd.decode())
    with pytest.raises(TypeError, match="binary mode"):
        Validator(today=TODAY).validate(io.StringIO("<r/>"))  # type: ignore[arg-type]


def test_over_size_stream_is_read_only_up_to_the_limit() -> None:
    data = io.BytesIO(b"<r>" + b"x" * 5000 + b"</r>")
    r = Validator(today=TODAY, max_bytes=100).validate(data)
    assert r.codes() == ["XML004"]
    assert data.tell() == 101  # reading stopped past the limit
    assert (r.size, r.sha256) == (None, None)  # neither is known without reading the rest
    assert "more than 100 bytes" in r.findings[0].message


@pytest.mark.parametrize("name", ["today", "presented_on"])
def test_dates_must_be_dates(name: str) -> None:
    import datetime as dt

    for wrong in ("2027-01-01", dt.datetime(2027, 1, 1)):
        with pytest.raises(TypeError, match=name):
            Validator(**{name: wrong})


def test_validate_many_wants_an_iterable_of_sources() -> None:
    with pytest.raises(TypeError, match="iterable"):
        Validator(today=TODAY).validate_many("samples/acdd/valid-vn-th-rice.xml")
