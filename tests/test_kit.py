"""The trainer's sample kit (``samples``), ``schemas``, global options and shell completion."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

from click.testing import CliRunner, Result

from asw_validator import Validator, cli
from asw_validator.samplekit import catalog

from .conftest import SAMPLES, TODAY

CATALOG = tomllib.loads((SAMPLES / "catalog.toml").read_text("utf-8"))["sample"]


def invoke(*args: str, **kwargs: object) -> Result:
    return CliRunner().invoke(cli.main, list(args), **kwargs)  # type: ignore[arg-type]


def listed(*args: str) -> list[dict[str, object]]:
    r = invoke("samples", "--format", "json", *args)
    assert r.exit_code == 0, r.output
    samples: list[dict[str, object]] = json.loads(r.stdout)["samples"]
    return samples


def test_samples_lists_every_sample_with_its_story() -> None:
    r = invoke("samples")
    lines = r.stdout.splitlines()
    assert len(lines) == 2 * len(CATALOG)
    first = CATALOG[0]
    assert lines[0].startswith(f"{first['file']}  {first['doctype']}  VN -> TH  valid")
    assert lines[1].strip() and lines[1].strip() in " ".join(first["story"].split())
    assert [s["file"] for s in listed()] == [s["file"] for s in CATALOG]


def test_samples_filter_by_type_country_and_code() -> None:
    phyto = listed("--doctype", "ephyto")
    assert phyto and all(s["doctype"] == "ephyto" for s in phyto)
    mm = listed("--country", "mm")
    assert mm and all("MM" in s["countries"] for s in mm)  # type: ignore[operator]
    bt = listed("--code", "BT001")
    assert {s["file"] for s in bt} == {s["file"] for s in CATALOG if "BT001" in s.get("in_run", [])}
    both = listed("--doctype", "acdd", "--code", "AC013")
    assert [s["file"] for s in both] == [
        s["file"] for s in CATALOG if s["doctype"] == "acdd" and "AC013" in s["expected"]
    ]
    assert invoke("samples", "--country", "XX").exit_code == 2


def test_samples_show_tells_one_story_and_its_expected_findings() -> None:
    r = invoke("samples", "show", "invalid-port-of-discharge-name")
    assert r.exit_code == 0, r.output
    assert r.stdout.startswith("acdd/invalid-port-of-discharge-name.xml\n")
    assert "BANGKOK" in r.stdout  # the story
    assert "  AC013  error    locode-malformed: " in r.stdout
    same = invoke("samples", "show", "acdd/invalid-port-of-discharge-name.xml")
    assert same.stdout == r.stdout
    assert invoke("samples", "show", "no-such-sample").exit_code == 2


def test_samples_copy_puts_an_editable_kit_where_asked(tmp_path: Path) -> None:
    kit = tmp_path / "kit"
    r = invoke("samples", "copy", str(kit))
    assert r.exit_code == 0, r.output
    assert (kit / "catalog.toml").read_bytes() == (SAMPLES / "catalog.toml").read_bytes()
    copied = sorted(p.relative_to(kit).as_posix() for p in kit.rglob("*.xml"))
    assert copied == sorted(s["file"] for s in CATALOG)
    # the copied kit tells the same stories: each file reports its catalogued codes
    validator = Validator(today=TODAY)
    for s in CATALOG[:20]:
        assert set(validator.validate(kit / s["file"]).codes()) == set(s["expected"])


def test_samples_copy_never_overwrites(tmp_path: Path) -> None:
    kit = tmp_path / "kit"
    assert invoke("samples", "copy", str(kit)).exit_code == 0
    edited = kit / CATALOG[0]["file"]
    edited.write_text("<!-- the trainer's own version -->")
    r = invoke("samples", "copy", str(kit))
    assert r.exit_code == 2 and "would overwrite" in r.stderr
    assert edited.read_text() == "<!-- the trainer's own version -->"


def test_the_kit_reads_the_catalogue_the_tests_check() -> None:
    assert [s.file for s in catalog()] == [s["file"] for s in CATALOG]


def test_schemas_lists_each_bundled_schema_with_its_digest() -> None:
    r = invoke("schemas", "--format", "json")
    rows = json.loads(r.stdout)["schemas"]
    assert [row["doctype"] for row in rows] == [
        "acdd",
        "eformd",
        "eformd-response",
        "ephyto",
        "origin-declaration",
    ]  # a WCO declaration has no schema: the text lists it apart
    report = Validator(today=TODAY).report(
        [Validator(today=TODAY).validate(SAMPLES / CATALOG[0]["file"])]
    )
    assert report.schemas[0]["sha256"] == rows[0]["sha256"]
    text = invoke("schemas").stdout
    assert all(row["sha256"] in text and row["path"] in text for row in rows)


def test_global_options_before_the_command() -> None:
    r = invoke("-v", "validate", str(SAMPLES / "acdd" / "valid-vn-th-rice.xml"))
    assert r.exit_code == 0 and "validated" in r.stderr


def test_shell_completion() -> None:
    script = invoke(prog_name="asw-validator", env={"_ASW_VALIDATOR_COMPLETE": "bash_source"})
    assert "_asw_validator_completion" in script.stdout
    words = invoke(
        prog_name="asw-validator",
        env={
            "_ASW_VALIDATOR_COMPLETE": "bash_complete",
            "COMP_WORDS": "asw-validator validate --format s",
            "COMP_CWORD": "3",
        },
    )
    assert "sarif" in words.stdout
