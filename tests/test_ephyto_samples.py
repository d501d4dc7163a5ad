"""The e-Phyto samples include certificates shaped as exchanged ones are: other prefixes, no
XML declaration, one line, a 200 KB certificate with a dozen notes, several classifications
per line item, attachments with relationship codes, transit countries, clauses, a signature,
and the D17A alternatives schema 1.0 refused (no document type code on a referenced document,
AvailabilityDueDateTime, udt:DateTime)."""

from __future__ import annotations

import tomllib

from lxml import etree

from asw_validator.envelope import open_envelope

from .conftest import SAMPLES

CATALOG = tomllib.loads((SAMPLES / "catalog.toml").read_text("utf-8"))["sample"]
VALID = [SAMPLES / s["file"] for s in CATALOG if s["doctype"] == "ephyto" and s["valid"]]
RAM = "{urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:21}"


def _certificate(data: bytes) -> etree._Element:
    tree = etree.ElementTree(etree.fromstring(data))
    opened = open_envelope(tree, max_bytes=10**8, max_depth=256)
    if opened is None:
        return tree.getroot()
    assert opened.tree is not None
    return opened.tree.getroot()


def test_valid_samples_look_like_exchanged_certificates() -> None:
    raw = {p.name: p.read_bytes() for p in VALID}
    certs = {name: _certificate(data) for name, data in raw.items()}
    one_line = [n for n, d in raw.items() if b"\n" not in d and not d.startswith(b"<?xml")]
    assert len(one_line) >= 3
    assert any(c.prefix == "ns0" for c in certs.values())
    big = [n for n, d in raw.items() if len(d) >= 200_000]
    assert big and len(certs[big[0]].findall(f".//{RAM}IncludedSPSNote")) >= 12
    assert any(
        len(t.findall(f"{RAM}ApplicableSPSClassification")) >= 3
        for c in certs.values()
        for t in c.iter(f"{RAM}IncludedSPSTradeLineItem")
    )
    attached = [
        r
        for c in certs.values()
        for r in c.iter(f"{RAM}ReferenceSPSReferencedDocument")
        if r.find(f"{RAM}AttachmentBinaryObject") is not None
    ]
    assert len(attached) >= 2 and all(
        r.find(f"{RAM}RelationshipTypeCode") is not None for r in attached
    )
    assert any(r.find(f"{RAM}TypeCode") is None for r in attached)
    assert any(c.find(f".//{RAM}AvailabilityDueDateTime") is not None for c in certs.values())
    assert any(len(c.findall(f".//{RAM}TransitSPSCountry")) >= 2 for c in certs.values())
    assert any(
        len(a.findall(f"{RAM}IncludedSPSClause")) >= 2
        for c in certs.values()
        for a in c.iter(f"{RAM}SignatorySPSAuthentication")
    )
    assert any(
        c.find("{http://www.w3.org/2000/09/xmldsig#}Signature") is not None for c in certs.values()
    )
    assert any(
        c.find(
            f".//{RAM}IssueDateTime/{{urn:un:unece:uncefact:data:standard:UnqualifiedDataType:21}}DateTime"
        )
        is not None
        for c in certs.values()
    )
