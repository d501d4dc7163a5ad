"""select, ignore, severity and waivers in the library (``Settings``), before any file."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import jsonschema
import pytest

from asw_validator import Severity, Validator
from asw_validator.model import exit_code
from asw_validator.policy import Waiver, _glob

from .conftest import REPO, SAMPLES, TODAY

SCHEMA = json.loads((REPO / "asw_validator" / "data" / "report-v1.schema.json").read_text())


@pytest.fixture
def bad(tmp_path: Path, base_acdd: bytes) -> Path:
    """AC013 (error) and XSD003 (error)."""
    p = tmp_path / "decl" / "bad.xml"
    p.parent.mkdir()
    p.write_bytes(base_acdd.replace(b">THLCH<", b">BANGKOK<").replace(b"2025-03-12", b"2025-02-30"))
    return p


def codes(path: Path, **settings: object) -> list[str]:
    return Validator(today=TODAY, **settings).validate(path).codes()  # type: ignore[arg-type]


def test_ignore_and_select(bad: Path) -> None:
    assert codes(bad) == ["XSD003", "AC013"]
    assert codes(bad, ignore=("AC013",)) == ["XSD003"]
    assert codes(bad, ignore=("AC",)) == ["XSD003"]
    assert codes(bad, select=("XSD",)) == ["XSD003"]
    assert codes(bad, select=("AC", "XSD003")) == ["XSD003", "AC013"]


def test_the_longest_matching_entry_decides(bad: Path) -> None:
    assert codes(bad, select=("AC013", "XSD"), ignore=("AC",)) == ["XSD003", "AC013"]
    assert codes(bad, select=("AC",), ignore=("AC013",)) == []  # XSD003 is not selected
    assert codes(bad, ignore=("AC013",), select=("AC", "XSD")) == ["XSD003"]
    assert codes(bad, select=("AC013",), ignore=("AC013",)) == []  # a tie: ignored


def test_an_ignored_error_leaves_the_document_valid(bad: Path) -> None:
    result = Validator(today=TODAY, ignore=("AC013", "XSD")).validate(bad)
    assert result.is_valid and result.findings == ()


def test_severity_replaces_the_rules_own(bad: Path) -> None:
    validator = Validator(today=TODAY, severity={"AC013": Severity.INFO, "XSD003": Severity.INFO})
    result = validator.validate(bad)
    assert [f.severity for f in result.findings] == [Severity.INFO, Severity.INFO]
    assert result.is_valid and result.counts() == {"error": 0, "warning": 0, "info": 2}
    assert exit_code([result], Severity.WARNING) == 0
    assert exit_code([result], Severity.INFO) == 1


@pytest.mark.parametrize(
    "settings",
    [
        {"ignore": ("XML002",)},
        {"ignore": ("DOC",)},
        {"select": ("IO0",)},
        {"ignore": ("VAL001",)},
        {"severity": {"INT001": Severity.INFO}},
        {"severity": {"xml001": Severity.INFO}},
    ],
)
def test_protected_codes_cannot_be_configured(settings: dict[str, object]) -> None:
    with pytest.raises(ValueError, match="cannot be selected, ignored, re-graded or waived"):
        Validator(today=TODAY, **settings)  # type: ignore[arg-type]


def test_a_waiver_of_a_protected_code_is_refused(tmp_path: Path) -> None:
    waiver = Waiver("XML002", "*.xml", str(tmp_path), "broken", TODAY, "w.toml, waiver 1")
    with pytest.raises(ValueError, match="XML002"):
        Validator(today=TODAY, waivers=(waiver,))


@pytest.mark.parametrize("settings", [{"ignore": ("X",)}, {"select": ("AC",)}])
def test_no_prefix_makes_an_unparsed_document_valid(
    tmp_path: Path, settings: dict[str, object]
) -> None:
    """ "X" covers XSD codes too, so it is allowed; it never touches XML ones."""
    p = tmp_path / "broken.xml"
    p.write_bytes(b"<acdd:Declaration xmlns:acdd='urn:asw-validator:acdd:1.0'>")
    result = Validator(today=TODAY, **settings).validate(p)  # type: ignore[arg-type]
    assert result.codes() == ["XML002"] and not result.is_valid


def test_ignore_x_drops_schema_codes(bad: Path) -> None:
    assert codes(bad, ignore=("X",)) == ["AC013"]


def waiver(base: Path, expires: dt.date, code: str = "AC013", path: str = "*/*.xml") -> Waiver:
    return Waiver(code, path, str(base), "Port code fixed in release 4.2", expires, "w.toml, 1")


def test_a_waived_finding_stays_marked_and_does_not_count(bad: Path, tmp_path: Path) -> None:
    validator = Validator(
        today=TODAY, waivers=(waiver(tmp_path, TODAY), waiver(tmp_path, TODAY, "XSD"))
    )
    result = validator.validate(bad)
    assert result.codes() == ["XSD003", "AC013"]
    assert all(f.waived is not None for f in result.findings)
    assert result.is_valid
    assert result.counts() == {"error": 0, "warning": 0, "info": 0, "waived": 2}
    assert exit_code([result], Severity.INFO) == 0
    report = validator.report([result]).to_dict()
    jsonschema.Draft202012Validator(SCHEMA).validate(report)
    assert report["summary"]["waived"] == 2
    assert report["documents"][0]["findings"][1]["waived"] == {
        "justification": "Port code fixed in release 4.2",
        "expires": TODAY.isoformat(),
        "source": "w.toml, 1",
    }


def test_an_expired_waiver_no_longer_waives_and_says_so(bad: Path, tmp_path: Path) -> None:
    result = Validator(today=TODAY, waivers=(waiver(tmp_path, TODAY - dt.timedelta(1)),)).validate(
        bad
    )
    assert result.codes() == ["CFG001", "XSD003", "AC013"]
    assert not result.is_valid and all(f.waived is None for f in result.findings)
    notice = result.findings[0]
    assert notice.severity is Severity.WARNING
    assert "w.toml, 1" in notice.message and "expired on 2026-11-22" in notice.message


def test_a_waiver_applies_only_to_the_paths_it_names(bad: Path, tmp_path: Path) -> None:
    other = waiver(tmp_path, TODAY - dt.timedelta(1), path="other/*.xml")
    result = Validator(today=TODAY, waivers=(other,)).validate(bad)
    assert result.codes() == ["XSD003", "AC013"]  # not waived, and no CFG001 either
    assert Validator(today=TODAY, waivers=(waiver(tmp_path, TODAY),)).validate(
        bad.read_bytes()
    ).codes() == ["XSD003", "AC013"]  # bytes have no path: never waived


def test_cross_document_findings_are_waived_too(tmp_path: Path) -> None:
    files = [
        SAMPLES / "eformd" / "invalid-duplicate-reference-tuna.xml",
        SAMPLES / "eformd" / "invalid-duplicate-reference-starch.xml",
    ]
    rule = Waiver("BT001", "eformd/*.xml", str(SAMPLES), "Reissued", TODAY, "w.toml, 1")
    results = Validator(today=TODAY, waivers=(rule,)).validate_many(files)
    assert [r.codes() for r in results] == [["BT001"], ["BT001"]]
    assert all(r.is_valid for r in results)


def test_waived_findings_past_the_cap_are_counted_as_waived(bad: Path, tmp_path: Path) -> None:
    rules = (waiver(tmp_path, TODAY),)
    result = Validator(today=TODAY, max_findings=1, waivers=rules).validate(bad)
    assert result.codes() == ["XSD003", "LIM001"]
    assert result.dropped == {"waived": 1}
    assert result.findings[1].severity is Severity.INFO  # stands for nothing that counts
    assert result.counts() == {"error": 1, "warning": 0, "info": 0, "waived": 1}
    only_waived = Validator(
        today=TODAY, max_findings=1, waivers=(*rules, waiver(tmp_path, TODAY, "XSD"))
    ).validate(bad)
    assert only_waived.dropped == {"waived": 1}
    assert exit_code([only_waived], Severity.INFO) == 0  # its LIM001 stands for nothing


def test_schema_errors_past_the_cap_are_built_when_a_policy_may_drop_them(
    base_acdd: bytes,
) -> None:
    bad_dates = base_acdd.replace(b"2025-03-12", b"2025-02-30").replace(
        b"2025-03-10T09:30:00+07:00", b"2025-02-31"
    )
    capped = Validator(today=TODAY, max_findings=1).validate(bad_dates)
    assert capped.counts()["error"] == 2
    ignored = Validator(today=TODAY, max_findings=1, ignore=("XSD",)).validate(bad_dates)
    assert ignored.is_valid and ignored.counts()["error"] == 0


@pytest.mark.parametrize(
    ("pattern", "path", "matches"),
    [
        ("/d/*.xml", "/d/a.xml", True),
        ("/d/*.xml", "/d/sub/a.xml", False),
        ("/d/**/a.xml", "/d/a.xml", True),
        ("/d/**/a.xml", "/d/x/y/a.xml", True),
        ("/d/**", "/d/x/y/a.xml", True),
        ("/d/a?.xml", "/d/ab.xml", True),
        ("/d/[ab].xml", "/d/c.xml", False),
        ("/d/[!ab].xml", "/d/c.xml", True),
        ("/d/a+b.xml", "/d/a+b.xml", True),
    ],
)
def test_waiver_globs(pattern: str, path: str, matches: bool) -> None:
    assert (_glob(pattern).fullmatch(path) is not None) is matches
