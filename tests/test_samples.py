"""Every sample in samples/catalog.toml reports exactly its catalogued codes.

The catalogue is the trainers' material and the tool's acceptance test at once: a sample
whose findings drift from its story fails here. ``expected`` is what a file gets alone;
``in_run`` adds the cross-document codes it gets when all samples are validated together.
"""

from __future__ import annotations

import json
import tomllib
from typing import Any

import pytest
from click.testing import CliRunner

from asw_validator import Severity, Validator, cli

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


def _in_run(sample: dict[str, Any]) -> set[str]:
    return set(sample["expected"]) | set(sample.get("in_run", []))


def test_whole_catalogue_in_one_run() -> None:
    """All samples in one run: each reports its own codes plus its cross-document ones."""
    results = VALIDATOR.validate_many(SAMPLES / s["file"] for s in CATALOG)
    got = {s["file"]: set(r.codes()) for s, r in zip(CATALOG, results, strict=True)}
    assert got == {s["file"]: _in_run(s) for s in CATALOG}


#: Directories whose samples get their in_run codes from partners in samples/eformd.
PARTNERS_ELSEWHERE = ("eformd-response", "origin-declaration")


@pytest.mark.parametrize(
    "directory", ["acdd", "eformd", "eformd-response", "ephyto", "origin-declaration"]
)
def test_validating_a_sample_directory_reports_the_catalogue(
    directory: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``asw-validator validate samples/<dir>`` reports exactly the catalogue's codes."""
    monkeypatch.chdir(SAMPLES.parent)
    r = CliRunner().invoke(cli.main, ["validate", "--format", "json", f"samples/{directory}"])
    report = json.loads(r.stdout)
    got = {d["path"]: {f["code"] for f in d["findings"]} for d in report["documents"]}
    mine = [s for s in CATALOG if s["file"].startswith(f"{directory}/")]
    # in_run codes come from partners in the same directory, except BT003/BT004 on a
    # response and BT007-BT009 on an Origin Declaration, whose e-Form D lives in samples/eformd
    want = {
        f"samples/{s['file']}": set(s["expected"])
        if directory in PARTNERS_ELSEWHERE
        else _in_run(s)
        for s in mine
    }
    assert got == want
    assert r.exit_code == 1


def test_catalog_entries_are_complete() -> None:
    for s in CATALOG:
        assert set(s) >= {"file", "doctype", "countries", "valid", "expected", "story"}, s
        optional = {"in_run", "envelope"}
        assert set(s) <= {"file", "doctype", "countries", "valid", "expected", "story", *optional}
        assert s.get("envelope", "soap") in ("soap", "hub"), s["file"]
        assert len(s["story"].split()) >= 20, s["file"]


def test_ephyto_samples_cover_bare_soap_and_hub_certificates() -> None:
    phyto = [s for s in CATALOG if s["file"].startswith("ephyto/")]
    valid = [s for s in phyto if s["valid"]]
    assert len(valid) >= 3 and len(phyto) - len(valid) >= 6
    for kind in (None, "soap", "hub"):
        assert any(s.get("envelope") == kind for s in valid), kind
        assert any(s.get("envelope") == kind and not s["valid"] for s in phyto), kind


def test_enough_valid_and_invalid_acdd_samples() -> None:
    acdd = [s for s in CATALOG if s["file"].startswith("acdd/")]
    valid = [s for s in acdd if s["valid"]]
    assert len(valid) >= 4 and len(acdd) - len(valid) >= 10
    routes = {tuple(s["countries"]) for s in valid}
    mekong = {"KH", "LA", "MM", "TH", "VN"}
    assert len({c for r in routes for c in r} & mekong) == 5


def test_enough_e_form_d_and_response_samples() -> None:
    """Issue 4: at least 5 valid and 14 invalid e-Form D; 2 valid and 3 invalid responses."""
    for directory, valid_min, invalid_min in (("eformd", 5, 14), ("eformd-response", 2, 3)):
        mine = [s for s in CATALOG if s["file"].startswith(f"{directory}/")]
        valid = [s for s in mine if s["file"].split("/")[-1].startswith("valid-")]
        invalid = [s for s in mine if s["file"].split("/")[-1].startswith("invalid-")]
        assert len(valid) >= valid_min and len(invalid) >= invalid_min, directory
        assert all(s["valid"] and not s.get("in_run") for s in valid), directory
    routes = {c for s in CATALOG if s["file"].startswith("eformd/valid-") for c in s["countries"]}
    assert {"KH", "LA", "MM", "TH", "VN"} <= routes


def test_origin_declarations_of_every_mekong_member() -> None:
    """Issue 17: a valid Origin Declaration of each Mekong member as exporter, invalid ones
    for each, and every OD rule's code in some sample or fixture."""
    mine = [s for s in CATALOG if s["file"].startswith("origin-declaration/")]
    valid = {s["countries"][0] for s in mine if s["file"].split("/")[-1].startswith("valid-")}
    flawed = {s["countries"][0] for s in mine if not s["file"].split("/")[-1].startswith("valid-")}
    mekong = {"KH", "LA", "MM", "TH", "VN"}
    assert mekong <= valid and mekong <= flawed
    assert all(s["doctype"] == "origin-declaration" for s in mine)
    in_run = {c for s in mine for c in s.get("in_run", [])}
    assert {"BT007", "BT008", "BT009"} <= in_run
