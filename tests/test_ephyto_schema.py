"""The e-Phyto schema 2.0 on certificates: what D17A allows passes, what it refuses fails
(without the reference set; ``test_ephyto_d17a.py`` compares with it)."""

from __future__ import annotations

import pytest

from asw_validator import Validator

from .conftest import FIXTURES, TODAY

BASE = (FIXTURES / "ephyto_base.xml").read_text("utf-8")
DS = 'xmlns:ds="http://www.w3.org/2000/09/xmldsig#"'
SIGNATURE = (
    f"<ds:Signature {DS}><ds:SignedInfo><ds:Whatever/></ds:SignedInfo>"
    "<ds:SignatureValue>AAAA</ds:SignatureValue></ds:Signature>"
)


def codes(text: str) -> list[str]:
    return Validator(today=TODAY).validate(text.encode()).codes()


def edit(old: str, new: str) -> str:
    assert old in BASE, old
    return BASE.replace(old, new, 1)


REFERENCE = (
    "<ram:ReferenceSPSReferencedDocument><ram:RelationshipTypeCode>ZZZ</ram:RelationshipTypeCode>"
    "<ram:ID>PERMIT-1</ram:ID></ram:ReferenceSPSReferencedDocument>"
)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        # a referenced document without TypeCode (1.0 required one)
        ("<ram:SignatorySPSAuthentication>", REFERENCE + "<ram:SignatorySPSAuthentication>"),
        # AvailabilityDueDateTime in the consignment, with the DateTime alternative
        (
            "<ram:ConsignorSPSParty>",
            "<ram:AvailabilityDueDateTime><udt:DateTime>2025-09-16T08:00:00Z</udt:DateTime>"
            "</ram:AvailabilityDueDateTime><ram:ConsignorSPSParty>",
        ),
        # udt:DateTime, the xs:dateTime alternative of udt:DateTimeType
        (
            "<udt:DateTimeString>2025-09-15</udt:DateTimeString>",
            "<udt:DateTime>2025-09-15T09:00:00+07:00</udt:DateTime>",
        ),
        # attributes of measures, codes and IDs that D17A declares
        ('unitCode="KGM">20000', 'unitCode="KGM" unitCodeListVersionID="17">20000'),
        ("<ram:TypeCode>851", '<ram:TypeCode listID="1001" listAgencyID="6" name="PC">851'),
        ("<ram:ID>THLCH", '<ram:ID schemeID="UN/LOCODE" schemeAgencyID="6">THLCH'),
        # an enveloped signature after the consignment: accepted laxly, never verified
        ("</rsm:SPSConsignment>", f"</rsm:SPSConsignment>{SIGNATURE}"),
        # several re-exporting countries and a storage event, before the loading port
        (
            "<ram:LoadingBaseportSPSLocation>",
            "<ram:ReExportSPSCountry><ram:ID>TH</ram:ID></ram:ReExportSPSCountry>"
            "<ram:ReExportSPSCountry><ram:ID>TH</ram:ID></ram:ReExportSPSCountry>"
            "<ram:StorageSPSEvent><ram:OccurrenceSPSLocation><ram:Name>Bang Na</ram:Name>"
            "</ram:OccurrenceSPSLocation></ram:StorageSPSEvent><ram:LoadingBaseportSPSLocation>",
        ),
    ],
    ids=[
        "reference-without-type",
        "availability-due",
        "datetime",
        "measure-attrs",
        "code-attrs",
        "id-attrs",
        "signature",
        "re-exports-and-storage",
    ],
)
def test_what_d17a_allows_is_valid(old: str, new: str) -> None:
    assert [c for c in codes(edit(old, new)) if c.startswith("XSD")] == []


@pytest.mark.parametrize(
    ("old", "new", "code"),
    [
        # ExaminationSPSEvent is D17A-mandatory, and the schema reports it
        (
            "<ram:ExaminationSPSEvent>\n      <ram:OccurrenceSPSLocation>\n        <ram:Name>"
            "Laem Chabang</ram:Name>\n      </ram:OccurrenceSPSLocation>\n"
            "    </ram:ExaminationSPSEvent>",
            "",
            "XSD002",  # a required element missing (libxml2: "not expected" in its place)
        ),
        # a trade line item without Description
        ("<ram:Description>Milled jasmine rice, 25 kg bags</ram:Description>", "", "XSD002"),
        # an empty measure is not a decimal
        ('unitCode="KGM">20160<', 'unitCode="KGM"><', "XSD003"),
        # a second signature, or another namespace after the consignment
        ("</rsm:SPSConsignment>", f"</rsm:SPSConsignment>{SIGNATURE}{SIGNATURE}", "XSD001"),
        ("</rsm:SPSConsignment>", '</rsm:SPSConsignment><x:Note xmlns:x="urn:x"/>', "XSD001"),
        # at most one Information per referenced document
        (
            "<ram:SignatorySPSAuthentication>",
            "<ram:ReferenceSPSReferencedDocument><ram:Information>a</ram:Information>"
            "<ram:Information>b</ram:Information></ram:ReferenceSPSReferencedDocument>"
            "<ram:SignatorySPSAuthentication>",
            "XSD001",
        ),
    ],
    ids=["no-examination", "no-description", "empty-measure", "two-signatures", "other-ns", "info"],
)
def test_what_d17a_refuses_is_one_schema_finding(old: str, new: str, code: str) -> None:
    assert codes(edit(old, new)) == [code]


def test_a_finding_in_the_signature_namespace_has_the_ds_prefix() -> None:
    doc = edit("</rsm:SPSConsignment>", f"</rsm:SPSConsignment>{SIGNATURE}{SIGNATURE}")
    (finding,) = Validator(today=TODAY).validate(doc.encode()).findings
    assert finding.xpath == "/rsm:SPSCertificate/ds:Signature[2]"
