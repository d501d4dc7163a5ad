"""Every ACDD rule against its fixture cases (tests/fixtures/acdd_rules.toml).

A case edits a copy of acdd_base.xml; the test checks the exact set of codes reported, so a
"fail" case proves the rule fires and a "pass" case proves it stays silent.
"""

from __future__ import annotations

import tomllib
from typing import Any

import pytest
from lxml import etree

from asw_validator import Validator
from asw_validator.binding.acdd import NAMESPACE
from asw_validator.rules.registry import builtin_registry

from .conftest import FIXTURES, TODAY

NS = {"acdd": NAMESPACE}
CASES: list[dict[str, Any]] = tomllib.loads((FIXTURES / "acdd_rules.toml").read_text("utf-8"))[
    "case"
]


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
        else:
            raise AssertionError(f"unknown edit op {op!r}")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def test_base_document_is_clean(base_acdd: bytes, validator: Validator) -> None:
    assert validator.validate(base_acdd).findings == ()


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_rule_case(case: dict[str, Any], base_acdd: bytes) -> None:
    code = case["id"].split("_", 1)[0]
    result = Validator(today=TODAY).validate(apply_edits(base_acdd, case["edits"]))
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
    for f in mine:
        assert f.line is not None and f.xpath is not None and f.basis


def test_every_rule_has_a_passing_and_a_failing_case() -> None:
    by_code: dict[str, set[str]] = {}
    for case in CASES:
        by_code.setdefault(case["id"].split("_", 1)[0], set()).add(case["outcome"])
    registry = builtin_registry()
    for rule in registry.for_doctype("acdd"):
        assert by_code.get(rule.code) == {"pass", "fail"}, rule.code
    assert set(by_code) <= {r.code for r in registry}, "fixture for an unknown code"


def test_every_rule_documents_its_identity() -> None:
    for rule in builtin_registry():
        assert rule.basis and rule.summary, rule.code
        assert "Fails" in rule.doc and "Passes" in rule.doc, rule.code


def test_absent_leaves_read_as_none_without_errors(validator: Validator) -> None:
    """A skeletal declaration still binds and runs every rule (no INT001)."""
    doc = (
        f'<Declaration xmlns="{NAMESPACE}"><FunctionCode>9</FunctionCode>'
        "<IssueDateTime>2025-01-01</IssueDateTime><GoodsShipment><ExportCountry><ID>VN</ID>"
        "</ExportCountry><ImportCountry><ID>TH</ID></ImportCountry></GoodsShipment>"
        "</Declaration>"
    ).encode()
    result = validator.validate(doc)
    assert set(result.codes()) == {"AC001"}
    items = {f.message for f in result.findings}
    assert any("(c) Consignee Company Name" in m for m in items)
    assert any("no goods item" in m for m in items)
