"""XSD layer: libxml2 error classes map to XSD codes with named XPaths and lines."""

from __future__ import annotations

import threading

from asw_validator import Validator, doctypes
from asw_validator.schemas import classify, compiled

from .conftest import FIXTURES, TODAY


def line_of(doc: bytes, needle: bytes) -> int:
    return doc[: doc.index(needle)].count(b"\n") + 1


def findings(doc: bytes) -> list[tuple[str, str | None, int | None]]:
    result = Validator(today=TODAY).validate(doc)
    return [(f.code, f.xpath, f.line) for f in result.findings]


def test_unexpected_element_has_named_xpath_and_line(base_acdd: bytes) -> None:
    doc = base_acdd.replace(
        b"<acdd:Name>Mekong Rice Joint Stock Company</acdd:Name>",
        b"<acdd:Name>Mekong Rice Joint Stock Company</acdd:Name><acdd:Phone>1</acdd:Phone>",
    )
    line = line_of(doc, b"<acdd:Phone>")
    assert findings(doc) == [("XSD001", "/acdd:Declaration/acdd:Exporter/acdd:Phone", line)]


def test_bad_date_value(base_acdd: bytes) -> None:
    doc = base_acdd.replace(b"2025-03-12", b"2025-02-30")
    got = findings(doc)
    assert got == [
        (
            "XSD003",
            "/acdd:Declaration/acdd:GoodsShipment/acdd:Consignment/acdd:DepartureDateTime",
            line_of(doc, b"2025-02-30"),
        )
    ]


def test_pattern_and_missing_attribute(base_acdd: bytes) -> None:
    doc = base_acdd.replace(b"<acdd:ID>VN</acdd:ID>", b"<acdd:ID>vn</acdd:ID>").replace(
        b' currencyID="USD"', b""
    )
    codes = {c for c, _, _ in findings(doc)}
    assert codes == {"XSD004", "XSD007"}


def test_missing_required_element_points_at_parent(base_acdd: bytes) -> None:
    start = base_acdd.index(b"<acdd:GoodsShipment>")
    end = base_acdd.index(b"</acdd:Declaration>")
    doc = base_acdd[:start] + base_acdd[end:]
    got = findings(doc)
    assert got[0] == ("XSD002", "/acdd:Declaration", line_of(doc, b"<acdd:Declaration"))
    # The business items inside the missing shipment are then named once each, by AC001.
    assert {c for c, _, _ in got[1:]} == {"AC001"}


def test_unexpected_attribute(base_acdd: bytes) -> None:
    doc = base_acdd.replace(b"<acdd:Exporter>", b'<acdd:Exporter role="x">')
    line = line_of(doc, b"<acdd:Exporter ")
    assert findings(doc) == [("XSD008", "/acdd:Declaration/acdd:Exporter/@role", line)]


def test_missing_and_bad_attributes_point_at_the_attribute(base_acdd: bytes) -> None:
    doc = base_acdd.replace(b' currencyID="USD"', b"").replace(
        b'<acdd:TotalNetMassMeasure unitCode="KGM">', b'<acdd:TotalNetMassMeasure unitCode="">'
    )
    got = {(c, x) for c, x, _ in findings(doc)}
    assert got == {
        ("XSD007", "/acdd:Declaration/acdd:InvoiceAmount/@currencyID"),
        # An empty unitCode is one problem: the rules leave the flagged attribute alone.
        ("XSD004", "/acdd:Declaration/acdd:TotalNetMassMeasure/@unitCode"),
    }


def test_default_namespace_document_gets_the_same_xpaths(base_acdd: bytes) -> None:
    """XPaths never depend on the prefixes the document used (libxml2 says /*/*[2])."""
    doc = (
        base_acdd.replace(b"<acdd:", b"<")
        .replace(b"</acdd:", b"</")
        .replace(b"xmlns:acdd=", b"xmlns=")
        .replace(b"2025-03-12", b"2025-02-30")
    )
    assert findings(doc)[0][1] == (
        "/acdd:Declaration/acdd:GoodsShipment/acdd:Consignment/acdd:DepartureDateTime"
    )


def test_repeated_siblings_are_indexed(base_acdd: bytes) -> None:
    doc = base_acdd.replace(b"<acdd:SequenceNumeric>2<", b"<acdd:SequenceNumeric>two<")
    assert findings(doc)[0][:2] == (
        "XSD003",
        "/acdd:Declaration/acdd:GoodsShipment/acdd:GovernmentAgencyGoodsItem[2]"
        "/acdd:SequenceNumeric",
    )


def test_business_rules_still_run_unless_stopped(base_acdd: bytes) -> None:
    doc = base_acdd.replace(b"2025-03-12", b"2025-02-30").replace(b">THLCH<", b">BANGKOK<")
    assert {c for c, _, _ in findings(doc)} == {"XSD003", "AC013"}
    stopped = Validator(today=TODAY, stop_on_schema_error=True).validate(doc)
    assert stopped.codes() == ["XSD003"]


def test_classify_covers_the_libxml2_classes() -> None:
    assert classify("SCHEMAV_ELEMENT_CONTENT", "Missing child element(s).")[0] == "XSD002"
    assert classify("SCHEMAV_ELEMENT_CONTENT", "This element is not expected.")[0] == "XSD001"
    assert classify("SCHEMAV_CVC_ENUMERATION_VALID", "")[0] == "XSD005"
    assert classify("SCHEMAV_CVC_MAXLENGTH_VALID", "")[0] == "XSD006"
    assert classify("SCHEMAV_CVC_COMPLEX_TYPE_2_3", "")[0] == "XSD009"
    assert classify("SCHEMAV_SOMETHING_NEW", "")[0] == "XSD099"


def test_schema_compiled_once_per_thread() -> None:
    acdd = doctypes.get("acdd")
    assert compiled(acdd) is compiled(acdd)
    other: list[object] = []
    t = threading.Thread(target=lambda: other.append(compiled(acdd)))
    t.start()
    t.join()
    assert other[0] is not compiled(acdd)


def test_a_required_element_missing_mid_sequence_is_xsd002_naming_it(base_acdd: bytes) -> None:
    """libxml2 says "TotalGrossMassMeasure: not expected. Expected is (IssueDateTime)": the
    problem is the missing IssueDateTime, reported where it belongs, not XSD001."""
    start = base_acdd.index(b"<acdd:IssueDateTime>")
    end = base_acdd.index(b"<acdd:TotalGrossMassMeasure")
    doc = base_acdd[:start] + base_acdd[end:]
    result = Validator(today=TODAY).validate(doc)
    (f,) = result.findings
    assert (f.code, f.rule) == ("XSD002", "missing-element")
    assert f.xpath == "/acdd:Declaration/acdd:IssueDateTime"
    assert f.line == line_of(doc, b"<acdd:TotalGrossMassMeasure")
    assert "Missing child element 'acdd:IssueDateTime'" in f.message


def test_an_element_out_of_order_stays_unexpected(base_acdd: bytes) -> None:
    """Expected X, and X comes later: the order is wrong, nothing is missing (XSD001)."""
    declarant = base_acdd[
        base_acdd.index(b"<acdd:Declarant>") : base_acdd.index(b"<acdd:Exporter>")
    ]
    doc = base_acdd.replace(declarant, b"").replace(
        b"<acdd:GoodsShipment>", declarant + b"<acdd:GoodsShipment>"
    )
    assert {c for c, _, _ in findings(doc)} == {"XSD001"}


def test_an_extra_element_where_an_optional_one_may_stand_stays_unexpected(
    base_acdd: bytes,
) -> None:
    """Expected (Declarant, Exporter, GoodsShipment) but the content may not end there either:
    the later ones are present, so the stray element is the problem."""
    doc = base_acdd.replace(b"<acdd:Declarant>", b"<acdd:Bogus/><acdd:Declarant>")
    assert findings(doc) == [
        ("XSD001", "/acdd:Declaration/acdd:Bogus", line_of(doc, b"<acdd:Bogus"))
    ]


def test_an_optional_element_expected_where_a_stray_one_stands_is_not_missing(
    base_acdd: bytes,
) -> None:
    """Expected is (X) with X optional: the content could end there, so nothing is missing."""
    # Postcode is optional and may be followed only by CountryCode in a consignee address
    doc = base_acdd.replace(
        b"<acdd:CityName>Bangkok</acdd:CityName>\n        <acdd:PostcodeID>10110</acdd:PostcodeID>",
        b"<acdd:CityName>Bangkok</acdd:CityName>",
    ).replace(
        b"<acdd:CountryCode>TH</acdd:CountryCode>\n      </acdd:Address>\n    </acdd:Consignee>",
        b"<acdd:CountryCode>TH</acdd:CountryCode><acdd:Stray/>\n      </acdd:Address>\n"
        b"    </acdd:Consignee>",
    )
    got = findings(doc)
    assert [c for c, _, _ in got] == ["XSD001"], got


def test_several_missing_elements_in_one_document_are_each_named() -> None:
    """One copy of the document answers every such error at once, in separate subtrees."""
    doc = (
        (FIXTURES / "ephyto_base.xml")
        .read_bytes()
        .replace(b"<ram:StatusCode>70</ram:StatusCode>", b"")
        .replace(b"<ram:SequenceNumeric>1</ram:SequenceNumeric>", b"")
    )
    item = "/rsm:SPSConsignment/ram:IncludedSPSConsignmentItem/ram:IncludedSPSTradeLineItem"
    assert [(c, x) for c, x, _ in findings(doc)] == [
        ("XSD002", "/rsm:SPSCertificate/rsm:SPSExchangedDocument/ram:StatusCode"),
        ("XSD002", f"/rsm:SPSCertificate{item}/ram:SequenceNumeric"),
    ]
