"""Every per-document rule against its fixture cases.

Family cases live in tests/fixtures/<family>_rules.toml; country-pack cases in
tests/fixtures/countries/<pack>.toml, where each case names the ``doctype`` whose base it
edits. A case edits a copy of that base document; the test checks the exact set of codes
reported, so a "fail" case proves the rule fires and a "pass" case proves it stays silent.
Every rule needs both, for every document type it reads.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from asw_validator import Severity, Validator
from asw_validator.binding import acdd, eformd, ephyto, origin_declaration, response
from asw_validator.envelope import HUB, HUB_SERVICE, SOAP11
from asw_validator.rules.registry import default_registry

from .conftest import FIXTURES, TODAY

NS = {
    "acdd": acdd.NAMESPACE,
    "fd": eformd.NAMESPACE,
    "cr": response.NAMESPACE,
    "od": origin_declaration.NAMESPACE,
    "rsm": ephyto.NAMESPACE,
    "ram": ephyto.RAM,
    "udt": ephyto.UDT,
    "hub": HUB,
    "eph": HUB_SERVICE,
    "soap": SOAP11,
}


@dataclass(frozen=True)
class Suite:
    doctype: str
    base: str
    cases: str


SUITES = (
    Suite("acdd", "acdd_base.xml", "acdd_rules.toml"),
    Suite("eformd", "eformd_base.xml", "eformd_rules.toml"),
    Suite("eformd-response", "response_base.xml", "response_rules.toml"),
    Suite("ephyto", "ephyto_base.xml", "ephyto_rules.toml"),
    Suite("origin-declaration", "od_base.xml", "od_rules.toml"),
)


BY_DOCTYPE = {s.doctype: s for s in SUITES}
PACK_CASES = sorted((FIXTURES / "countries").glob("*.toml"))


def _load(path: Path) -> list[dict[str, Any]]:
    cases: list[dict[str, Any]] = tomllib.loads(path.read_text("utf-8"))["case"]
    return cases


def _cases(suite: Suite) -> list[dict[str, Any]]:
    return [{**c, "suite": suite} for c in _load(FIXTURES / suite.cases)]


def _pack_cases(path: Path) -> list[dict[str, Any]]:
    return [{**c, "suite": BY_DOCTYPE[c["doctype"]]} for c in _load(path)]


CASES = [c for suite in SUITES for c in _cases(suite)] + [
    c for path in PACK_CASES for c in _pack_cases(path)
]


def _fragment(xml: str) -> list[etree._Element]:
    """Elements of an XML fragment written with the fixture prefixes (acdd, fd, cr)."""
    decls = " ".join(f'xmlns:{p}="{uri}"' for p, uri in NS.items())
    return list(etree.fromstring(f"<wrap {decls}>{xml}</wrap>"))


def apply_edits(base: bytes, edits: list[dict[str, str]]) -> bytes:
    root = etree.fromstring(base)
    for edit in edits:
        found = root.xpath(edit["at"], namespaces=NS)
        assert isinstance(found, list) and found, f"edit path matches nothing: {edit['at']}"
        target = found[0]
        assert isinstance(target, etree._Element)
        op = edit["op"]
        if op == "text":
            target.text = edit["value"]
        elif op == "remove":
            parent = target.getparent()
            assert parent is not None
            parent.remove(target)
        elif op == "attr":
            target.set(edit["name"], edit["value"])
        elif op == "delattr":
            del target.attrib[edit["name"]]
        elif op == "dup":
            target.addnext(etree.fromstring(etree.tostring(target)))
        elif op == "append":  # add the fragment's elements as the last children of `at`
            for elem in _fragment(edit["xml"]):
                target.append(elem)
        elif op == "before":  # insert the fragment's elements right before `at`
            for elem in _fragment(edit["xml"]):
                target.addprevious(elem)
        elif op == "copies":  # `count` copies after `at`, each numbered on from it at `number`
            last = target
            numbered = target.xpath(edit["number"], namespaces=NS)[0]
            for k in range(1, int(edit["count"]) + 1):
                copy = etree.fromstring(etree.tostring(target))
                copy.xpath(edit["number"], namespaces=NS)[0].text = str(int(numbered.text) + k)
                last.addnext(copy)
                last = copy
        else:
            raise AssertionError(f"unknown edit op {op!r}")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


@pytest.mark.parametrize("suite", SUITES, ids=[s.doctype for s in SUITES])
def test_base_document_is_clean(suite: Suite, validator: Validator) -> None:
    result = validator.validate(FIXTURES / suite.base)
    assert result.doctype == suite.doctype
    assert result.findings == ()


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_rule_case(case: dict[str, Any]) -> None:
    code = case["id"].split("_", 1)[0]
    base = (FIXTURES / case.get("base", case["suite"].base)).read_bytes()
    on_date = dt.date.fromisoformat(case["on_date"]) if "on_date" in case else None
    today = dt.date.fromisoformat(case["on_today"]) if "on_today" in case else TODAY
    validator = Validator(today=today, presented_on=on_date)
    result = validator.validate(apply_edits(base, case["edits"]))
    codes = set(result.codes())
    expected = set(case.get("also", []))
    if case["outcome"] == "fail":
        expected.add(code)
    assert codes == expected, [(f.code, f.message) for f in result.findings]
    mine = [f for f in result.findings if f.code == code]
    if "findings" in case:
        assert len(mine) == case["findings"]
    if "xpath" in case:
        assert case["xpath"] in {f.xpath for f in mine}
    if "severity" in case:
        assert {f.severity for f in mine} == {Severity(case["severity"])}
    if "message" in case:
        assert any(case["message"] in f.message for f in mine), [f.message for f in mine]
    for f in mine:
        assert f.line is not None and f.xpath is not None and f.basis


def test_every_rule_has_a_passing_and_a_failing_case_per_document_type() -> None:
    outcomes: dict[tuple[str, str], set[str]] = {}
    for case in CASES:
        key = (case["id"].split("_", 1)[0], case["suite"].doctype)
        outcomes.setdefault(key, set()).add(case["outcome"])
    registry = default_registry()
    wanted = {(r.code, doctype) for doctype in BY_DOCTYPE for r in registry.for_doctype(doctype)}
    missing = sorted(k for k in wanted if outcomes.get(k) != {"pass", "fail"})
    assert not missing, missing
    assert set(outcomes) <= wanted, "fixture for an unknown code or a type it does not read"


def test_pack_cases_carry_their_pack_code() -> None:
    """A case in countries/vn.toml tests a VN rule (or a rule tagged VN)."""
    registry = default_registry()
    for path in PACK_CASES:
        for case in _load(path):
            rule = registry.get(case["id"].split("_", 1)[0])
            assert rule is not None and path.stem.upper() in rule.countries, case["id"]


def test_every_rule_documents_its_identity() -> None:
    for rule in default_registry():
        assert rule.basis and rule.summary, rule.code
        assert "Fails" in rule.doc and "Passes" in rule.doc, rule.code


def test_absent_leaves_read_as_none_without_errors(validator: Validator) -> None:
    """A skeletal declaration still binds and runs every rule (no INT001)."""
    doc = (
        f'<Declaration xmlns="{acdd.NAMESPACE}"><FunctionCode>9</FunctionCode>'
        "<IssueDateTime>2025-01-01</IssueDateTime><GoodsShipment><ExportCountry><ID>VN</ID>"
        "</ExportCountry><ImportCountry><ID>TH</ID></ImportCountry></GoodsShipment>"
        "</Declaration>"
    ).encode()
    result = validator.validate(doc)
    assert set(result.codes()) == {"AC001"}
    items = {f.message for f in result.findings}
    assert any("(c) Consignee Company Name" in m for m in items)
    assert any("no goods item" in m for m in items)


def test_a_comment_inside_a_value_does_not_cut_it_short(validator: Validator) -> None:
    """Rules read the whole value, as the XSD layer does: ``L<!-- x -->A`` is ``LA``."""
    base = (FIXTURES / "eformd_base.xml").read_bytes()
    split = base.replace(b">KH</fd:ImportingCountry>", b">L<!-- x -->A</fd:ImportingCountry>")
    split = split.replace(
        b"<fd:CountryCode>KH</fd:CountryCode>", b"<fd:CountryCode>LA</fd:CountryCode>"
    )
    assert split != base
    assert validator.validate(split).findings == ()
    bad = base.replace(b">KH</fd:ImportingCountry>", b">U<!-- x -->K</fd:ImportingCountry>")
    result = validator.validate(bad)
    assert "FD023" in result.codes()
    assert any("'UK'" in f.message for f in result.findings)
