"""Every sample in samples/catalog.toml reports exactly its catalogued codes.

The catalogue is the trainers' material and the tool's acceptance test at once: a sample
whose findings drift from its story fails here.
"""

from __future__ import annotations

import tomllib
from typing import Any

import pytest

from asw_validator import Severity, Validator

from .conftest import SAMPLES, TODAY

CATALOG: list[dict[str, Any]] = tomllib.loads((SAMPLES / "catalog.toml").read_text("utf-8"))[
    "sample"
]
VALIDATOR = Validator(today=TODAY)


@pytest.mark.parametrize("sample", CATALOG, ids=[s["file"] for s in CATALOG])
def test_sample_reports_exactly_its_codes(sample: dict[str, Any]) -> None:
    result = VALIDATOR.validate(SAMPLES / sample["file"])
    assert set(result.codes()) == set(sample["expected"]), [
        (f.code, f.line, f.message) for f in result.findings
    ]
    has_error = any(f.severity is Severity.ERROR for f in result.findings)
    assert sample["valid"] is not has_error
    if sample["doctype"]:
        assert result.doctype == sample["doctype"]


def test_catalog_lists_every_sample_once() -> None:
    listed = [s["file"] for s in CATALOG]
    assert len(listed) == len(set(listed))
    on_disk = {p.relative_to(SAMPLES).as_posix() for p in SAMPLES.rglob("*.xml")}
    assert on_disk == set(listed)


def test_catalog_entries_are_complete() -> None:
    for s in CATALOG:
        assert set(s) >= {"file", "doctype", "countries", "valid", "expected", "story"}, s
        assert len(s["story"].split()) >= 20, s["file"]


def test_enough_valid_and_invalid_acdd_samples() -> None:
    acdd = [s for s in CATALOG if s["file"].startswith("acdd/")]
    valid = [s for s in acdd if s["valid"]]
    assert len(valid) >= 4 and len(acdd) - len(valid) >= 10
    routes = {tuple(s["countries"]) for s in valid}
    mekong = {"KH", "LA", "MM", "TH", "VN"}
    assert len({c for r in routes for c in r} & mekong) == 5
