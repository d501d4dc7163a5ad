"""The JSON report validates against the repository's JSON Schema (report_version 1)."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from asw_validator import cli

from .conftest import REPO, SAMPLES

SCHEMA = json.loads((REPO / "asw_validator" / "data" / "report-v1.schema.json").read_text())


def test_schema_is_a_valid_json_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


def test_samples_report_validates(tmp_path: Path) -> None:
    r = CliRunner().invoke(cli.main, ["validate", "--format", "json", str(SAMPLES / "acdd")])
    assert r.exit_code == 1, r.stderr
    report = json.loads(r.stdout)
    jsonschema.Draft202012Validator(SCHEMA).validate(report)
    assert report["report_version"] == 1
    assert report["namespaces"]["acdd"] == "urn:asw-validator:acdd:1.0"
    assert report["schemas"][0]["id"] == "acdd/1.0"
    assert report["summary"]["documents"] == len(report["documents"]) > 0


@pytest.mark.parametrize("mutation", ["report_version", "severity"])
def test_schema_rejects_a_broken_report(mutation: str) -> None:
    r = CliRunner().invoke(cli.main, ["validate", "--format", "json", str(SAMPLES / "acdd")])
    report = json.loads(r.stdout)
    if mutation == "report_version":
        report["report_version"] = 2
    else:
        next(d for d in report["documents"] if d["findings"])["findings"][0]["severity"] = "fatal"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(SCHEMA).validate(report)
