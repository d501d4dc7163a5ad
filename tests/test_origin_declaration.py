"""Origin Declarations: detection, binding of a skeleton, and OD002's member formats."""

from __future__ import annotations

from asw_validator import Validator
from asw_validator.binding.origin_declaration import NAMESPACE
from asw_validator.rules.registry import default_registry

from .conftest import FIXTURES, TODAY

BASE = (FIXTURES / "od_base.xml").read_bytes()


def test_detected_by_root_and_validated_against_its_schema(validator: Validator) -> None:
    result = validator.validate(BASE)
    assert (result.doctype, result.doctype_version) == ("origin-declaration", "1.0")
    assert result.findings == ()
    bad = BASE.replace(b"<od:ImportingCountry>KH<", b"<od:ImportingCountry>kh<")
    assert validator.validate(bad).codes() == ["XSD004"]


def test_a_skeleton_binds_and_reports_attachment_1_once_per_item(validator: Validator) -> None:
    """Only what the schema requires; every missing Attachment 1 datum is one OD001."""
    doc = (
        f'<OriginDeclaration xmlns="{NAMESPACE}"><CertifiedExporter><IssuingCountry>VN'
        "</IssuingCountry></CertifiedExporter><Exporter><Name>X</Name><Address><CountryCode>VN"
        "</CountryCode></Address></Exporter><ImportingCountry>KH</ImportingCountry>"
        "<CommercialDocument><TypeCode>commercial-invoice</TypeCode></CommercialDocument>"
        "<Item><ItemNumber>1</ItemNumber></Item></OriginDeclaration>"
    ).encode()
    result = validator.validate(doc)
    assert set(result.codes()) == {"OD001"}
    # the code, five item data, the certification, the signatory and the date
    assert len(result.findings) == 9


def _with_formats(formats: dict[str, str]) -> list[str]:
    v = Validator(today=TODAY, options={"OD002": {"formats": formats}})
    return [f.message for f in v.validate(BASE).findings if f.code == "OD002"]


def test_a_members_format_given_as_option_is_checked() -> None:
    assert _with_formats({"VN": r"VN/AWSC/[0-9]{4}"}) == []
    found = _with_formats({"VN": r"[0-9]{4}/[A-Z]{4}"})
    assert found == ["The CE authorisation code 'VN/AWSC/0153' is not in the format given for VN"]
    assert _with_formats({"TH": r"[0-9]{4}/[A-Z]{4}"}) == []  # another member's format


def test_every_od_rule_cites_the_ocp_or_the_guidebook() -> None:
    """Issue 17: each OD rule quotes its OCP clause or the AWSC Guidebook."""
    rules = [r for r in default_registry() if r.family == "origin-declaration"]
    assert [r.code for r in rules] == [f"OD{n:03}" for n in range(1, 29)]
    for r in rules:
        assert "OCP" in r.basis or "Guidebook" in r.basis, r.code
        assert "'" in r.basis or '"' in r.doc, r.code  # a quotation, in the basis or the doc
