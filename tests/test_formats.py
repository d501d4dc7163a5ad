"""The report formats: SARIF against its schema, JUnit through a JUnit library, JSON Lines
against the JSON report, GitHub workflow commands, HTML without a browser, ``--format auto``,
colour, ``--statistics`` and the progress line."""

from __future__ import annotations

import datetime as dt
import io
import json
from collections import Counter
from pathlib import Path
from typing import Any

import junitparser
import pytest
from click.testing import CliRunner, Result
from lxml import html as lxml_html

from asw_validator import Validator, cli
from asw_validator.model import DocumentResult, Finding, Severity
from asw_validator.progress import Progress
from asw_validator.reporters import ReportOptions, resolve_format
from asw_validator.reporters.text import TextReporter

from .conftest import REPO, SAMPLES, SHARED_REFERENCE, TODAY, needs_shared_reference


@pytest.fixture(autouse=True)
def _in_repo(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)


def run(*args: str, **kwargs: Any) -> Result:
    return CliRunner().invoke(cli.main, ["validate", *args], **kwargs)


# ----- SARIF -----


@needs_shared_reference
def test_sarif_of_every_sample_is_schema_valid_with_one_rule_per_code() -> None:
    import jsonschema

    schema = json.loads((SHARED_REFERENCE / "sarif-schema-2.1.0.json").read_text("utf-8"))
    r = run("--format", "sarif", "samples")
    assert r.exit_code == 1, r.stderr
    sarif = json.loads(r.stdout)
    jsonschema.Draft4Validator(schema).validate(sarif)
    (sarif_run,) = sarif["runs"]
    rules = sarif_run["tool"]["driver"]["rules"]
    found = {res["ruleId"] for res in sarif_run["results"]}
    assert [rule["id"] for rule in rules] == sorted(found)
    assert all(rule.get("shortDescription") and rule.get("help") for rule in rules)
    for res in sarif_run["results"]:
        assert rules[res["ruleIndex"]]["id"] == res["ruleId"]
        where = res["locations"][0]["physicalLocation"]["artifactLocation"]
        assert where["uriBaseId"] == "SRCROOT" and where["uri"].startswith("samples/")
        assert sarif_run["artifacts"][where["index"]]["location"]["uri"] == where["uri"]
    assert all(len(a["hashes"]["sha-256"]) == 64 for a in sarif_run["artifacts"])
    json_report = json.loads(run("--format", "json", "samples").stdout)
    assert len(sarif_run["results"]) == sum(len(d["findings"]) for d in json_report["documents"])


def test_sarif_stdin_waivers_and_regions(tmp_path: Path, base_acdd: bytes) -> None:
    bad = base_acdd.replace(b">THLCH<", b">BANGKOK<")
    (tmp_path / "w.toml").write_text(
        f'[[waiver]]\ncode = "AC013"\npath = "**"\njustification = "Known; fixed in 4.2"\n'
        f"expires = {dt.date.today().isoformat()}\n"
    )
    (tmp_path / "d.xml").write_bytes(bad)
    r = run("--format", "sarif", "--waivers", str(tmp_path / "w.toml"), str(tmp_path / "d.xml"))
    assert r.exit_code == 0, r.output
    (result,) = json.loads(r.stdout)["runs"][0]["results"]
    assert result["suppressions"][0]["justification"] == "Known; fixed in 4.2"
    assert result["locations"][0]["physicalLocation"]["region"] == {"startLine": 41}
    logical = result["locations"][0]["logicalLocations"][0]
    assert logical["fullyQualifiedName"].endswith("acdd:UnloadingLocation/acdd:ID")
    r = run("--format", "sarif", "-", input=bad)
    (result,) = json.loads(r.stdout)["runs"][0]["results"]
    location = result["locations"][0]["physicalLocation"]["artifactLocation"]
    assert location == {"uri": "%3Cstdin%3E", "index": 0}  # <stdin>, as a URI reference


# ----- JUnit -----


def test_junit_has_a_suite_per_document_type_and_a_case_per_document(tmp_path: Path) -> None:
    out = tmp_path / "junit.xml"
    r = run("--format", "junit", "-o", str(out), "samples/acdd", "samples/eformd-response")
    assert r.exit_code == 1
    xml = junitparser.JUnitXml.fromfile(str(out))
    report = json.loads(run("--format", "json", "samples/acdd", "samples/eformd-response").stdout)
    suites = {suite.name: suite for suite in xml}
    assert set(suites) == {"acdd", "eformd-response", "unrecognised"}  # XML and DOC samples
    for name, suite in suites.items():
        docs = [d for d in report["documents"] if (d["doctype"] or "unrecognised") == name]
        cases = list(suite)
        assert [c.name for c in cases] == [d["path"] for d in docs]
        failed = [
            c.name for c in cases if any(isinstance(x, junitparser.Failure) for x in c.result)
        ]
        assert failed == [d["path"] for d in docs if not d["valid"]]
        assert suite.failures == len(failed) and suite.tests == len(docs)
    case = next(c for c in suites["acdd"] if c.name.endswith("invalid-port-of-discharge-name.xml"))
    (failure,) = case.result
    assert failure.type == "AC013" and "Place code 'BANGKOK'" in (failure.text or "")


def test_junit_reports_a_document_the_tool_could_not_check_as_an_error() -> None:
    from asw_validator.reporters.junit import JunitReporter

    crashed = DocumentResult(
        "c.xml", (Finding("INT001", Severity.ERROR, "Rule X failed"),), doctype="acdd"
    )
    out = io.StringIO()
    JunitReporter(out).finish(Validator(today=TODAY).report([crashed, _bad()]))
    suites = junitparser.JUnitXml.fromstring(out.getvalue().encode())
    cases = {c.name: c for suite in suites for c in suite}
    assert isinstance(cases["c.xml"].result[0], junitparser.Error)
    assert isinstance(cases["d.xml"].result[0], junitparser.Failure)


# ----- JSON Lines -----


def test_jsonl_streams_the_json_report_record_by_record() -> None:
    paths = ["samples/eformd", "samples/eformd-response"]  # cross-document findings too
    records = [json.loads(line) for line in run("--format", "jsonl", *paths).stdout.splitlines()]
    report = json.loads(run("--format", "json", *paths).stdout)
    assert [r["type"] for r in records][-1] == "summary"
    summary = records[-1]
    assert {k: v for k, v in summary.items() if k not in ("type", "codes")} == {
        k: v for k, v in report.items() if k != "documents"
    }
    for index, doc in enumerate(report["documents"]):
        found = [
            {k: v for k, v in r.items() if k not in ("type", "document")}
            for r in records
            if r["type"] == "finding" and r["document"] == index
        ]
        assert Counter(json.dumps(f, sort_keys=True) for f in found) == Counter(
            json.dumps(f, sort_keys=True) for f in doc["findings"]
        )
        last = [r for r in records if r["type"] == "document" and r["index"] == index][-1]
        assert {k: v for k, v in last.items() if k not in ("type", "index")} == {
            k: v for k, v in doc.items() if k != "findings"
        }
    codes = Counter(f["code"] for d in report["documents"] for f in d["findings"])
    assert summary["codes"] == dict(codes)
    assert any(r["type"] == "document" and r["valid"] is False for r in records)


def test_a_clean_jsonl_run_still_says_what_it_checked() -> None:
    lines = run("--format", "jsonl", "samples/acdd/valid-vn-th-rice.xml").stdout.splitlines()
    document, summary = (json.loads(line) for line in lines)
    assert document["type"] == "document" and document["valid"] is True
    assert summary["type"] == "summary" and summary["summary"]["documents"] == 1
    assert summary["schemas"][0]["id"] == "acdd/1.0"


# ----- GitHub -----


def test_github_levels_positions_and_waivers(tmp_path: Path) -> None:
    r = run("--format", "github", "samples/acdd/invalid-unit-kg-keg.xml", "samples/acdd/no.xml")
    assert r.exit_code == 2  # a missing path: usage error, nothing written
    r = run(
        "--format",
        "github",
        "samples/acdd/invalid-unit-kg-keg.xml",
        "samples/acdd/invalid-port-of-discharge-name.xml",
        "samples/acdd/invalid-import-country-timor-leste.xml",
    )
    lines = r.stdout.splitlines()
    kg = "samples/acdd/invalid-unit-kg-keg.xml"
    assert lines[0].startswith(f"::warning file={kg},line=58,title=AC011 unit-code-deleted::")
    assert lines[1].startswith("::error file=samples/acdd/invalid-port-of-discharge-name.xml,")
    assert lines[2].startswith("::notice file=samples/acdd/invalid-import-country-timor-leste.xml,")
    assert lines[3] == "3 documents checked, 2 valid; 1 error, 1 warning, 1 info"
    waivers = tmp_path / "w.toml"
    waivers.write_text(
        f'[[waiver]]\ncode = "AC"\npath = "{REPO}/samples/**"\njustification = "x"\n'
        "expires = 2099-01-01\n"
    )
    r = run("--format", "github", "--waivers", str(waivers), "samples/acdd/invalid-unit-kg-keg.xml")
    assert r.stdout == "1 document checked, 1 valid; 0 errors, 0 warnings, 0 info, 1 waived\n"


def test_auto_is_github_under_actions_on_stdout_only(tmp_path: Path) -> None:
    assert resolve_format("auto", to_stdout=True, env={"GITHUB_ACTIONS": "true"}) == "github"
    assert resolve_format("auto", to_stdout=False, env={"GITHUB_ACTIONS": "true"}) == "text"
    assert resolve_format("auto", to_stdout=True, env={}) == "text"
    assert resolve_format("json", to_stdout=True, env={"GITHUB_ACTIONS": "true"}) == "json"
    sample = "samples/acdd/invalid-port-of-discharge-name.xml"
    r = run(sample, env={"GITHUB_ACTIONS": "true"})
    assert r.stdout.startswith("::error file=")
    out = tmp_path / "r.txt"
    run("-o", str(out), sample, env={"GITHUB_ACTIONS": "true"})
    assert out.read_text().startswith(f"{sample}:")


# ----- text: colour and statistics -----


def _bad() -> DocumentResult:
    return DocumentResult("d.xml", (Finding("AC013", Severity.ERROR, "Bad place", line=3),))


def test_colour_only_when_asked() -> None:
    out = io.StringIO()
    TextReporter(out, ReportOptions(color=True)).document(_bad())
    assert "\033[1;31merror\033[0m" in out.getvalue()
    out = io.StringIO()
    TextReporter(out).document(_bad())
    assert "\033[" not in out.getvalue()


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_colour_on_a_terminal_unless_no_color(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert cli._color(_Terminal()) is True
    assert cli._color(io.StringIO()) is False
    monkeypatch.setenv("NO_COLOR", "1")
    assert cli._color(_Terminal()) is False


def test_statistics_follow_a_text_report_and_go_to_stderr_otherwise() -> None:
    r = run("--statistics", "samples/acdd")
    tail = r.stdout.splitlines()[-4:]
    assert tail[-1].strip().startswith(tuple("0123456789")) and "findings of" in tail[-1]
    assert any(
        "AC001" in line and "mandatory-item-missing" in line for line in r.stdout.splitlines()
    )
    r = run("--format", "json", "--statistics", "samples/acdd")
    json.loads(r.stdout)  # still one JSON document
    assert "findings of" in r.stderr


# ----- progress -----


def test_progress_waits_a_second_then_redraws_and_clears() -> None:
    now = [0.0]
    out = io.StringIO()
    progress = Progress(out, clock=lambda: now[0])
    progress.update(_bad())
    assert out.getvalue() == ""  # a short run prints nothing
    now[0] = 1.5
    progress.update(_bad())
    assert out.getvalue().endswith("2 checked, 2 not valid: d.xml")
    now[0] = 1.55
    progress.update(_bad())  # too soon to redraw
    assert "3 checked" not in out.getvalue()
    progress.clear()
    assert out.getvalue().endswith("\r\033[K")


def test_no_progress_when_stderr_is_not_a_terminal() -> None:
    r = run("samples/acdd")
    assert "checked," not in r.stderr


# ----- HTML, without a browser -----


def test_html_is_self_contained_and_loads_nothing(tmp_path: Path) -> None:
    page = tmp_path / "r.html"
    run("--format", "html", "-o", str(page), "samples/acdd", "samples/ephyto")
    text = page.read_text("utf-8")
    tree = lxml_html.fromstring(text)
    assert tree.get("lang") == "en"
    csp = tree.xpath("//meta[@http-equiv='Content-Security-Policy']/@content")
    assert csp == ["default-src 'none'; style-src 'unsafe-inline'"]
    assert not tree.xpath("//script | //link | //img | //iframe | //object | //embed")
    assert {h for h in tree.xpath("//@href")} <= {f"#doc-{n}" for n in range(1, 100)}
    assert not tree.xpath("//@src")
    assert "url(" not in text and "@import" not in text
    assert "Noto Sans Khmer" in text and "Noto Sans Lao" in text


def test_html_labels_come_from_one_module() -> None:
    from asw_validator.reporters import html, labels

    source = Path(html.__file__).read_text("utf-8")
    for key in labels.LABELS:
        if key.startswith("severity_"):
            continue
        assert f'"{key}"' in source or f"'{key}'" in source, key


# ----- the XML lines kept for reports -----


def test_lines_around_each_finding_are_kept_when_asked(base_acdd: bytes) -> None:
    doc = base_acdd.replace(b">THLCH<", b">BANGKOK<")
    line = doc[: doc.index(b"BANGKOK")].count(b"\n") + 1
    plain = Validator(today=TODAY).validate(doc)
    assert plain.source_lines == {}
    kept = Validator(today=TODAY, excerpt_lines=2).validate(doc)
    assert sorted(kept.source_lines) == list(range(line - 2, line + 3))
    assert "BANGKOK" in kept.source_lines[line]


def test_kept_lines_are_cut_and_bounded(base_acdd: bytes) -> None:
    long = base_acdd.replace(b">THLCH<", b">BANGKOK<" + b" " * 300)
    result = Validator(today=TODAY, excerpt_lines=1).validate(long)
    assert all(len(text) <= 201 for text in result.source_lines.values())
    assert max(len(t) for t in result.source_lines.values()) == 201  # 200 and an ellipsis


def test_kept_lines_follow_cr_only_line_ends(base_acdd: bytes) -> None:
    doc = base_acdd.replace(b">THLCH<", b">BANGKOK<").replace(b"\n", b"\r")
    result = Validator(today=TODAY, excerpt_lines=0 + 1).validate(doc)
    (finding,) = result.findings
    assert finding.line is not None and "BANGKOK" in result.source_lines[finding.line]


def test_an_escaped_certificate_shows_its_content_line() -> None:
    sample = SAMPLES / "ephyto" / "invalid-reexport-without-original-hub.xml"
    result = Validator(today=TODAY, excerpt_lines=2).validate(sample)
    (finding,) = result.findings
    assert finding.line is not None
    assert result.source_lines[finding.line].lstrip().startswith("<hub:Content>")


def test_the_html_report_is_the_same_with_worker_processes(tmp_path: Path) -> None:
    """The XML lines are kept in the workers that read the documents."""
    pages = []
    for jobs in ("1", "2"):
        page = tmp_path / f"r{jobs}.html"
        run("--format", "html", "-j", jobs, "-o", str(page), "samples/acdd", "samples/ephyto")
        pages.append(page.read_text("utf-8"))
    assert pages[0] == pages[1] and pages[0].count('class="l hit"') > 20


def test_html_from_standard_input_shows_its_lines() -> None:
    sample = (SAMPLES / "acdd" / "invalid-port-of-discharge-name.xml").read_bytes()
    page = run("--format", "html", "-", input=sample).stdout
    assert page.count('class="l hit"') == 1 and "&lt;stdin&gt;" in page
