"""Cost follows size: the work of locating elements grows linearly with a document's goods
items, and the cross-document pass linearly with the documents of a run.

Work is counted, not timed (``asw_validator.work``): every position index over a parent's
children, every XPath step written, every XSD error located, every envelope part, every
document a batch rule visits. A document of 10,000 items may cost at most 12 times one of
1,000 — a quadratic locator (one that scans same-named siblings per element) costs 100 times.
Times are in bench/RESULTS.md, never asserted here.
"""

from __future__ import annotations

import sys
from dataclasses import replace

import pytest

from asw_validator import Validator
from asw_validator.work import WORK

from .conftest import REPO, TODAY

sys.path.insert(0, str(REPO))
from bench.corpus import document, enveloped, in_metadata

WRAPS = {"ephyto": (None, "soap", "hub"), "wco-declaration": (None, "metadata")}
CASES = [
    (doctype, invalid, wrap)
    for doctype in ("acdd", "eformd", "ephyto", "origin-declaration", "wco-declaration")
    for invalid in (False, True)
    for wrap in WRAPS.get(doctype, (None,))
]


def _work(doctype: str, items: int, invalid: bool, wrap: str | None) -> tuple[int, int]:
    data = document(doctype, items, invalid=invalid)
    if wrap == "metadata":
        data = in_metadata(data)
    elif wrap:
        data = enveloped(data, wrap)
    validator = Validator(today=TODAY, max_findings=None)  # locate every finding
    WORK.reset()
    result = validator.validate(data)
    assert "INT001" not in result.codes()
    for f in result.findings[:50]:
        assert f.xpath is None or f.xpath.startswith("/")  # written out, counted
    for f in result.findings:
        _ = f.xpath
    return WORK.visits, len(result.findings)


@pytest.mark.parametrize(("doctype", "invalid", "wrap"), CASES)
def test_work_is_linear_in_goods_items(doctype: str, invalid: bool, wrap: str | None) -> None:
    small, found_small = _work(doctype, 1_000, invalid, wrap)
    large, found_large = _work(doctype, 10_000, invalid, wrap)
    if invalid:  # an XSD finding (none for WCO: no XSD layer) and a rule finding in every item
        per_item = 1 if doctype == "wco-declaration" else 2
        assert found_small >= per_item * 1_000 and found_large >= per_item * 10_000
    assert small > 0
    assert large <= 12 * small, (small, large)


def test_the_cross_document_pass_is_linear_in_documents() -> None:
    validator = Validator(today=TODAY)
    result, model = validator._check(document("eformd", 1), "one.xml")
    assert model is not None

    def visits(n: int) -> int:
        run = validator.run()
        for i in range(n):  # n certificates with one reference number: all duplicates
            run.add(replace(result, path=f"{i}.xml", sha256=f"{i:064x}"), model)
        WORK.reset()
        done = run.finish()
        assert all("BT001" in d.codes() for d in done.documents)
        return WORK.visits

    small, large = visits(1_000), visits(10_000)
    assert large <= 12 * small, (small, large)


def test_the_invoice_comparison_is_linear_in_documents() -> None:
    """n Origin Declarations and n e-Form D of one invoice: BT007 on every declaration."""
    validator = Validator(today=TODAY)
    fixtures = REPO / "tests" / "fixtures"
    certificate, cert_model = validator._check((fixtures / "eformd_base.xml").read_bytes(), "c")
    od_bytes = (fixtures / "od_base.xml").read_bytes().replace(b">1902.30.20<", b">1902.19<")
    declaration, od_model = validator._check(od_bytes, "o")
    assert cert_model is not None and od_model is not None

    def visits(n: int) -> int:
        run = validator.run()
        for i in range(n):
            run.add(replace(certificate, path=f"c{i}.xml", sha256=f"{i:064x}"), cert_model)
            run.add(replace(declaration, path=f"o{i}.xml", sha256=f"{n + i:064x}"), od_model)
        WORK.reset()
        done = run.finish()
        assert all("BT007" in d.codes() for d in done.documents[1::2])
        return WORK.visits

    small, large = visits(1_000), visits(10_000)
    assert large <= 12 * small, (small, large)
