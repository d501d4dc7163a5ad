"""The command line: exit codes 0/1/2/3, formats, stdin, output file, directory walks."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from asw_validator import cli
from asw_validator.context import Context
from asw_validator.model import Severity
from asw_validator.rules import registry as registry_mod
from asw_validator.rules.registry import Family, Problem, Registry

from .conftest import FIXTURES


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def good(tmp_path: Path, base_acdd: bytes) -> Path:
    p = tmp_path / "good.xml"
    p.write_bytes(base_acdd)
    return p


@pytest.fixture
def bad(tmp_path: Path, base_acdd: bytes) -> Path:
    p = tmp_path / "bad.xml"
    p.write_bytes(base_acdd.replace(b">THLCH<", b">BANGKOK<"))
    return p


@pytest.fixture
def warn(tmp_path: Path, base_acdd: bytes) -> Path:
    p = tmp_path / "warn.xml"
    p.write_bytes(base_acdd.replace(b"<acdd:ID>TH</acdd:ID>", b"<acdd:ID>LA</acdd:ID>"))
    return p


def test_valid_exits_0(runner: CliRunner, good: Path) -> None:
    r = runner.invoke(cli.main, ["validate", str(good)])
    assert r.exit_code == 0, r.output
    assert "1 document checked, 1 valid" in r.stdout


def test_error_exits_1_with_text_line(runner: CliRunner, bad: Path) -> None:
    r = runner.invoke(cli.main, ["validate", str(bad)])
    assert r.exit_code == 1
    line = r.stdout.splitlines()[0]
    assert line.startswith(f"{bad}:")
    assert ": AC013 error Place code 'BANGKOK'" in line
    assert line.endswith(
        "(/acdd:Declaration/acdd:GoodsShipment/acdd:Consignment/acdd:UnloadingLocation/acdd:ID)"
    )


def test_fail_on_levels(runner: CliRunner, warn: Path, bad: Path) -> None:
    assert runner.invoke(cli.main, ["validate", str(warn)]).exit_code == 0
    assert runner.invoke(cli.main, ["validate", "--fail-on", "warning", str(warn)]).exit_code == 1
    assert runner.invoke(cli.main, ["validate", "--fail-on", "never", str(bad)]).exit_code == 0


def test_missing_path_exits_2(runner: CliRunner, good: Path) -> None:
    r = runner.invoke(cli.main, ["validate", str(good), "no-such-file.xml"])
    assert r.exit_code == 2
    assert "does not exist" in r.stderr


def test_bad_option_exits_2(runner: CliRunner, good: Path) -> None:
    assert runner.invoke(cli.main, ["validate", "--format", "yaml", str(good)]).exit_code == 2
    assert runner.invoke(cli.main, ["validate", "--doctype", "nope", str(good)]).exit_code == 2


def test_empty_directory_exits_2(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    assert runner.invoke(cli.main, ["validate", str(tmp_path / "empty")]).exit_code == 2


def _boom(doc: object, ctx: Context) -> Iterator[Problem]:
    """Raises.

    Fails: always. Passes: never.
    """
    raise RuntimeError("boom")
    yield  # pragma: no cover


def test_rule_exception_is_int001_and_exits_3(
    runner: CliRunner, good: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fam = Family("broken", "0")
    fam.rule(
        code="ZZ001", name="always-raises", severity=Severity.INFO, doctypes=("acdd",), basis="test"
    )(_boom)
    real = registry_mod.default_registry()
    monkeypatch.setattr(
        "asw_validator.cli.default_registry", lambda: Registry([*real.families, fam])
    )
    r = runner.invoke(cli.main, ["validate", "--fail-on", "never", "--format", "json", str(good)])
    assert r.exit_code == 3
    doc = json.loads(r.stdout)["documents"][0]
    assert doc["valid"] is False
    assert [f["code"] for f in doc["findings"]] == ["INT001"]
    assert "ZZ001" in doc["findings"][0]["message"]


def test_stdin(runner: CliRunner, base_acdd: bytes) -> None:
    r = runner.invoke(cli.main, ["validate", "-"], input=base_acdd.replace(b"9<", b"9<x/><"))
    assert r.exit_code == 1
    assert r.stdout.startswith("<stdin>:")


def test_directory_walk_sorted_with_unreadable_file(
    runner: CliRunner, tmp_path: Path, base_acdd: bytes
) -> None:
    d = tmp_path / "batch"
    (d / "sub").mkdir(parents=True)
    (d / "b.xml").write_bytes(base_acdd)
    (d / "sub" / "a.xml").write_bytes(base_acdd)
    (d / "notes.txt").write_text("not xml")
    (d / "dangling.xml").symlink_to(d / "missing-target.xml")
    r = runner.invoke(cli.main, ["validate", "--format", "json", str(d)])
    assert r.exit_code == 1
    report = json.loads(r.stdout)
    paths = [Path(x["path"]).relative_to(d).as_posix() for x in report["documents"]]
    assert paths == ["b.xml", "dangling.xml", "sub/a.xml"]
    assert [f["code"] for f in report["documents"][1]["findings"]] == ["IO001"]


def test_output_file_and_clean_stdout(runner: CliRunner, bad: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.json"
    r = runner.invoke(cli.main, ["validate", "--format", "json", "-o", str(out), "-v", str(bad)])
    assert r.exit_code == 1
    assert r.stdout == ""
    assert json.loads(out.read_text())["summary"]["error"] == 1
    assert "validated" in r.stderr  # -v logs go to stderr


def test_version(runner: CliRunner) -> None:
    r = runner.invoke(cli.main, ["--version"])
    assert r.exit_code == 0 and "asw-validator" in r.stdout


def test_rules_and_explain(runner: CliRunner) -> None:
    r = runner.invoke(cli.main, ["rules", "--all"])
    assert r.exit_code == 0
    for code in ("AC001", "AC017", "XML003", "XSD001", "DOC002", "DOC007", "WCO001", "INT001"):
        assert code in r.stdout
    r = runner.invoke(cli.main, ["explain", "ac013"])
    assert r.exit_code == 0
    assert "locode-malformed" in r.stdout and "Fails:" in r.stdout and "basis:" in r.stdout
    assert runner.invoke(cli.main, ["explain", "XML003"]).exit_code == 0
    assert runner.invoke(cli.main, ["explain", "ZZ999"]).exit_code == 2


def test_forced_doctype_with_other_root(runner: CliRunner, tmp_path: Path) -> None:
    p = tmp_path / "other.xml"
    p.write_bytes(b"<Invoice xmlns='urn:x'/>")
    r = runner.invoke(cli.main, ["validate", "--doctype", "acdd", str(p)])
    assert r.exit_code == 1 and "DOC003" in r.stdout
    r = runner.invoke(cli.main, ["validate", str(p)])
    assert r.exit_code == 1 and "DOC001" in r.stdout and "acdd" in r.stdout


def test_empty_wco_declaration_gets_a_readiness_verdict(runner: CliRunner, tmp_path: Path) -> None:
    """Since 0.6.0 a WCO DM declaration is read as an ACDD (no DOC002): an empty one is not
    ACDD-ready, and the verdict names every item it lacks."""
    p = tmp_path / "wco.xml"
    p.write_bytes(b'<Declaration xmlns="urn:wco:datamodel:WCO:DEC-DMS:2"/>')
    r = runner.invoke(cli.main, ["validate", str(p)])
    assert r.exit_code == 1 and "DOC002" not in r.stdout
    assert (
        f"{p}: not ACDD-ready: missing a, b, c, d, g, h, i, j, k, l, m, n, o; no FunctionCode,"
        " IssueDateTime, GoodsShipment/ExportCountry/ID, GoodsShipment/Destination/CountryCode"
    ) in r.stdout


def test_stdin_named_twice_is_a_usage_error(runner: CliRunner, base_acdd: bytes) -> None:
    assert runner.invoke(cli.main, ["validate", "-", "-"], input=base_acdd).exit_code == 2


def test_output_is_replaced_only_when_the_run_completes(
    runner: CliRunner, tmp_path: Path, good: Path
) -> None:
    out = tmp_path / "report.txt"
    out.write_text("previous report\n")
    (tmp_path / "empty").mkdir()
    assert (
        runner.invoke(cli.main, ["validate", "-o", str(out), str(tmp_path / "empty")]).exit_code
        == 2
    )
    assert out.read_text() == "previous report\n"
    assert runner.invoke(cli.main, ["validate", "-o", str(out), str(good)]).exit_code == 0
    assert "1 valid" in out.read_text()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty", "good.xml", "report.txt"]


def test_output_dash_is_stdout(runner: CliRunner, good: Path) -> None:
    r = runner.invoke(cli.main, ["validate", "-o", "-", str(good)])
    assert r.exit_code == 0 and "1 valid" in r.stdout


def test_output_into_a_missing_directory_exits_2(
    runner: CliRunner, tmp_path: Path, good: Path
) -> None:
    r = runner.invoke(cli.main, ["validate", "-o", str(tmp_path / "nope" / "r.json"), str(good)])
    assert r.exit_code == 2 and "does not exist" in r.stderr


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_report_write_failure_exits_3_without_traceback(good: Path) -> None:
    with Path("/dev/full").open("w") as full:
        proc = subprocess.run(
            [sys.executable, "-m", "asw_validator", "validate", str(good)],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
        )
    assert proc.returncode == 3
    assert "cannot write the report" in proc.stderr and "Traceback" not in proc.stderr


def test_symlinked_directories_are_followed_once(
    runner: CliRunner, tmp_path: Path, base_acdd: bytes
) -> None:
    real = tmp_path / "real"
    real.mkdir()
    (real / "bad.xml").write_bytes(base_acdd.replace(b">THLCH<", b">BANGKOK<"))
    top = tmp_path / "top"
    top.mkdir()
    (top / "linked").symlink_to(real, target_is_directory=True)
    (real / "loop").symlink_to(top, target_is_directory=True)  # a cycle must not hang
    r = runner.invoke(cli.main, ["validate", "--format", "json", str(top)])
    assert r.exit_code == 1
    paths = [d["path"] for d in json.loads(r.stdout)["documents"]]
    assert paths == [str(top / "linked" / "bad.xml")]


def test_log_lines_name_their_level_once(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "notes.txt").write_text("x")
    r = runner.invoke(cli.main, ["validate", "-v", str(tmp_path / "d")])
    assert r.exit_code == 2
    assert r.stderr.count("[info") == 1 and r.stderr.count("[warning") == 1
    assert "skipped files not named *.xml" in r.stderr


def test_on_date_checks_e_form_d_validity(runner: CliRunner) -> None:
    """OCP Rule 14: a certificate issued 2025-03-12 is valid to 2026-03-12."""
    cert = str(FIXTURES / "eformd_base.xml")
    assert runner.invoke(cli.main, ["validate", cert]).exit_code == 0
    assert runner.invoke(cli.main, ["validate", "--on-date", "2026-03-12", cert]).exit_code == 0
    late = runner.invoke(cli.main, ["validate", "--on-date", "2027-01-01", cert])
    assert late.exit_code == 1
    assert ": FD008 error Presented on 2027-01-01, after the 12 months" in late.stdout


def test_on_date_must_be_a_date(runner: CliRunner) -> None:
    r = runner.invoke(cli.main, ["validate", "--on-date", "01/01/2027", "x.xml"])
    assert r.exit_code == 2
    assert "--on-date" in r.output


@pytest.mark.parametrize(
    ("value", "says"),
    [
        ("2026-02-30", "is not a calendar date"),
        ("2026-6-18", "is not a date written YYYY-MM-DD"),
        ("0001-01-01", "is outside the years 1900-2099"),
    ],
)
def test_on_date_is_strict(runner: CliRunner, value: str, says: str) -> None:
    cert = str(FIXTURES / "eformd_base.xml")
    r = runner.invoke(cli.main, ["validate", "--on-date", value, cert])
    assert r.exit_code == 2
    assert says in r.output


def test_text_report_keeps_one_finding_per_line(runner: CliRunner, tmp_path: Path) -> None:
    doc = (FIXTURES / "eformd_base.xml").read_bytes()
    p = tmp_path / "nl.xml"
    p.write_bytes(doc.replace(b"<fd:IssueDate>2025-03-12<", b"<fd:IssueDate>\n2025-13-01\n<"))
    r = runner.invoke(cli.main, ["validate", str(p)])
    lines = r.stdout.splitlines()
    assert all(line.startswith(str(p)) for line in lines[:-1]), lines
    assert len(lines) >= 2
