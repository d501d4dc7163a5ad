"""Every format escapes what it quotes from a document: a golden file per format.

The sample's consignee name (a party name) holds ``<script>alert(1)</script>``, ``::error::``,
``%0A`` and a line break, in a CDATA section so that the source line itself carries a raw
``<script>``. Regenerate the golden files after an intended change with
``UPDATE_GOLDEN=1 python -m pytest tests/test_golden.py`` and read the diff.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import junitparser
import pytest
from click.testing import CliRunner

from asw_validator import __version__, cli

from .conftest import REPO

SAMPLE = "samples/acdd/invalid-consignee-name-pasted-page.xml"
GOLDEN = Path(__file__).parent / "golden"
SUFFIX = {
    "text": "txt",
    "json": "json",
    "jsonl": "jsonl",
    "github": "github.txt",
    "junit": "junit.xml",
    "sarif": "sarif.json",
    "html": "html",
}
PAYLOAD = "<script>alert(1)</script> ::error::%0A\nOrder confirmation"


def produce(fmt: str, *paths: str) -> str:
    r = CliRunner().invoke(cli.main, ["validate", "--format", fmt, *paths])
    assert r.exit_code == 1, r.output
    # what differs between machines and releases, not between runs
    return r.stdout.replace(REPO.as_uri(), "file:///REPO").replace(__version__, "VERSION")


@pytest.fixture(autouse=True)
def _in_repo(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)


def test_the_sample_holds_the_payload() -> None:
    assert PAYLOAD in (REPO / SAMPLE).read_text("utf-8")


@pytest.mark.parametrize("fmt", list(SUFFIX))
def test_golden_output(fmt: str) -> None:
    got = produce(fmt, SAMPLE)
    golden = GOLDEN / f"party-name-markup.{SUFFIX[fmt]}"
    if os.environ.get("UPDATE_GOLDEN") == "1":
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(got, "utf-8")
    assert got == golden.read_text("utf-8")


def test_html_shows_the_markup_as_text() -> None:
    page = produce("html", SAMPLE)
    assert "<script" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page  # in the value and the XML lines
    assert page.count("<pre") == page.count("</pre>")


def test_github_annotations_cannot_be_hijacked(tmp_path: Path) -> None:
    hostile = tmp_path / "a,b:c%0A.xml"
    shutil.copy(REPO / SAMPLE, hostile)
    lines = produce("github", str(hostile)).splitlines()
    commands = [line for line in lines if line.startswith("::")]
    assert len(commands) == 1 and len(lines) == 2  # one annotation, then the summary
    props, data = commands[0][len("::error ") :].split("::", 1)
    assert props.startswith("file=") and props.split(",")[0].endswith("a%2Cb%3Ac%250A.xml")
    assert "::error::%250A%0AOrder confirmation" in data


def test_junit_round_trips_the_text() -> None:
    xml = produce("junit", SAMPLE)
    suites = junitparser.JUnitXml.fromstring(xml.encode("utf-8"))
    (case,) = [c for suite in suites for c in suite]
    (failure,) = case.result
    assert PAYLOAD in (failure.text or "")


def test_json_and_jsonl_round_trip_the_text() -> None:
    report = json.loads(produce("json", SAMPLE))
    (finding,) = report["documents"][0]["findings"]
    assert finding["value"].startswith("Siam Grain Trading Co., Ltd. " + PAYLOAD)
    records = [json.loads(line) for line in produce("jsonl", SAMPLE).splitlines()]
    assert records[0]["value"] == finding["value"]
