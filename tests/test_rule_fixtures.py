"""Every per-document rule against its fixture cases (tests/fixtures/<family>_rules.toml).

A case edits a copy of the family's base document; the test checks the exact set of codes
reported, so a "fail" case proves the rule fires and a "pass" case proves it stays silent.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass
from typing import Any

import pytest
from lxml import etree

from asw_validator import Severity, Validator
from asw_validator.binding import acdd, eformd, response
from asw_validator.rules.registry import builtin_registry

from .conftest import FIXTURES, TODAY

NS = {"acdd": acdd.NAMESPACE, "fd": eformd.NAMESPACE, "cr": response.NAMESPACE}


@dataclass(frozen=True)
class Suite:
    doctype: str
    base: str
    cases: str


SUITES = (
    Suite("acdd", "acdd_base.xml", "acdd_rules.toml"),
    Suite("eformd", "eformd_base.xml", "eformd_rules.toml"),
    Suite("eformd-response", "response_base.xml", "response_rules.toml"),
)


def _cases(suite: Suite) -> list[dict[str, Any]]:
    cases: list[dict[str, Any]] = tomllib.loads((FIXTURES / suite.cases).read_text("utf-8"))["case"]
    return [{**c, "suite": suite} for c in cases]


CASES = [c for suite in SUITES for c in _cases(suite)]


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
    base = (FIXTURES / case["suite"].base).read_bytes()
    on_date = dt.date.fromisoformat(case["on_date"]) if "on_date" in case else None
    validator = Validator(today=TODAY, presented_on=on_date)
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


@pytest.mark.parametrize("suite", SUITES, ids=[s.doctype for s in SUITES])
def test_every_rule_has_a_passing_and_a_failing_case(suite: Suite) -> None:
    by_code: dict[str, set[str]] = {}
    for case in _cases(suite):
        by_code.setdefault(case["id"].split("_", 1)[0], set()).add(case["outcome"])
    registry = builtin_registry()
    for rule in registry.for_doctype(suite.doctype):
        assert by_code.get(rule.code) == {"pass", "fail"}, rule.code
    known = {r.code for r in registry.for_doctype(suite.doctype)}
    assert set(by_code) <= known, "fixture for an unknown code"


def test_every_rule_documents_its_identity() -> None:
    for rule in builtin_registry():
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
    assert split != base
    assert validator.validate(split).findings == ()
    bad = base.replace(b">KH</fd:ImportingCountry>", b">U<!-- x -->K</fd:ImportingCountry>")
    result = validator.validate(bad)
    assert "FD023" in result.codes()
    assert any("'UK'" in f.message for f in result.findings)
