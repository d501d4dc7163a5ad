"""Binder for the e-Phyto certificate (UN/CEFACT SPSCertificate D17A): tree -> ``PhytoCertificate``.

Reads the parts the ``PH`` rules need. The hub envelope header, when the certificate came in
one, is attached by the engine (``asw_validator.envelope``).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..xpath import register_prefix
from .base import DATE_YEARS, BoundDocument, Located, Node

if TYPE_CHECKING:
    from ..envelope import EnvelopeHeader

NAMESPACE = "urn:un:unece:uncefact:data:standard:SPSCertificate:17"
RAM = "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:21"
UDT = "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:21"
QDT = "urn:un:unece:uncefact:data:Standard:QualifiedDataType:21"
#: An enveloped XML Signature may follow SPSConsignment (accepted, not verified).
DS = "http://www.w3.org/2000/09/xmldsig#"

for _ns, _prefix in ((RAM, "ram"), (UDT, "udt"), (QDT, "qdt"), (DS, "ds")):
    register_prefix(_ns, _prefix)


@dataclass(frozen=True, slots=True)
class Measure:
    amount: Located
    unit: Located


@dataclass(frozen=True, slots=True)
class TradeLineItem:
    node: Located
    sequence: Located
    scientific_names: tuple[Located, ...]
    common_names: tuple[Located, ...]
    net_weight: Measure
    gross_weight: Measure
    origins: tuple[Located, ...] = ()  # OriginSPSCountry/ID, 0..n


@dataclass(frozen=True, slots=True)
class ReferencedDocument:
    node: Located
    type_code: Located
    relationship: Located
    id: Located


@dataclass(frozen=True, slots=True)
class PhytoCertificate:
    root: Located
    document: Located  # SPSExchangedDocument (absent: the XSD layer's finding)
    id: Located
    type_code: Located
    status_code: Located
    issue_date_time: Located  # udt:DateTimeString, or udt:DateTime
    issue_date_format: Located  # DateTimeString/@format
    issuer: Located  # IssuerSPSParty, the issuing NPPO
    issuer_name: Located
    signatory: Located  # the first SignatorySPSAuthentication
    references: tuple[ReferencedDocument, ...]
    consignor: Located  # ConsignorSPSParty (absent: the XSD layer's finding)
    consignor_name: Located
    consignee: Located
    consignee_name: Located
    export_country: Located
    reexport_country: Located  # the first ReExportSPSCountry (D17A allows several)
    reexport_countries: tuple[Located, ...]
    import_country: Located
    items: tuple[TradeLineItem, ...]
    envelope: EnvelopeHeader | None = None


@dataclass(frozen=True, slots=True)
class Instant:
    """A DateTimeString read: its calendar date, and its UTC time when it has an offset."""

    day: dt.date
    utc: dt.datetime | None  # None: no time-zone offset given


_ISO = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?"
    r"(Z|[+-]\d{2}:\d{2})?$"
)
#: UN/EDIFACT 2379 date/time formats a DateTimeString may name in @format.
_EDIFACT = {"102": "%Y%m%d", "203": "%Y%m%d%H%M", "204": "%Y%m%d%H%M%S"}


def read_instant(text: str, fmt: str | None) -> Instant | None:
    """ISO 8601 date or date-time (offset optional), or an EDIFACT 102/203/204 string."""
    text = text.strip()
    try:
        if fmt and fmt.strip() in _EDIFACT:
            stamp = dt.datetime.strptime(text, _EDIFACT[fmt.strip()])
            return _instant(stamp.date(), None) if stamp.year in DATE_YEARS else None
        m = _ISO.match(text)
        if m is None:
            return None
        y, mo, d, hh, mm, ss, tz = m.groups()
        day = dt.date(int(y), int(mo), int(d))
        if tz is None or hh is None:
            return _instant(day, None)
        offset = (
            dt.timedelta(0)
            if tz == "Z"
            else dt.timedelta(hours=int(tz[1:3]), minutes=int(tz[4:6]))
            * (-1 if tz[0] == "-" else 1)
        )
        local = dt.datetime(day.year, day.month, day.day, int(hh), int(mm), int(ss or 0))
        return _instant(day, (local - offset).replace(tzinfo=dt.UTC))
    except ValueError:
        return None


def _instant(day: dt.date, utc: dt.datetime | None) -> Instant | None:
    return Instant(day, utc) if day.year in DATE_YEARS else None


def _r(node: Node, *path: str) -> Node:
    for local in path:
        node = node.child(local, RAM)
    return node


def _measure(node: Node) -> Measure:
    return Measure(node.number(), node.attr("unitCode"))


def _item(node: Node) -> TradeLineItem:
    return TradeLineItem(
        node=node.leaf(),
        sequence=_r(node, "SequenceNumeric").number(),  # udt:NumericType: a decimal
        scientific_names=tuple(n.leaf() for n in node.children("ScientificName", RAM)),
        common_names=tuple(n.leaf() for n in node.children("CommonName", RAM)),
        net_weight=_measure(_r(node, "NetWeightMeasure")),
        gross_weight=_measure(_r(node, "GrossWeightMeasure")),
        origins=tuple(_r(c, "ID").leaf() for c in node.children("OriginSPSCountry", RAM)),
    )


def _date_time(node: Node) -> Node:
    """The value of a ``udt:DateTimeType``: its ``DateTimeString`` (text, ``@format``) or,
    when that is absent, the ``DateTime`` alternative (``xs:dateTime``) D17A allows."""
    text = node.child("DateTimeString", UDT)
    if not text.present:
        alternative = node.child("DateTime", UDT)
        if alternative.present:
            return alternative
    return text


def bind(root: Node) -> BoundDocument[PhytoCertificate]:
    """Bind a certificate from its located root."""
    doc = root.child("SPSExchangedDocument", NAMESPACE)
    consignment = root.child("SPSConsignment", NAMESPACE)
    issued = _date_time(_r(doc, "IssueDateTime"))
    issuer = _r(doc, "IssuerSPSParty")
    consignor = _r(consignment, "ConsignorSPSParty")
    consignee = _r(consignment, "ConsigneeSPSParty")
    cert = PhytoCertificate(
        root=root.leaf(),
        document=doc.leaf(),
        id=_r(doc, "ID").leaf(),
        type_code=_r(doc, "TypeCode").leaf(),
        status_code=_r(doc, "StatusCode").leaf(),
        issue_date_time=issued.leaf(),
        issue_date_format=issued.attr("format"),  # absent on udt:DateTime
        issuer=issuer.leaf(),
        issuer_name=_r(issuer, "Name").leaf(),
        signatory=_r(doc, "SignatorySPSAuthentication").leaf(),
        references=tuple(
            ReferencedDocument(
                n.leaf(),
                _r(n, "TypeCode").leaf(),
                _r(n, "RelationshipTypeCode").leaf(),
                _r(n, "ID").leaf(),
            )
            for n in doc.children("ReferenceSPSReferencedDocument", RAM)
        ),
        consignor=consignor.leaf(),
        consignor_name=_r(consignor, "Name").leaf(),
        consignee=consignee.leaf(),
        consignee_name=_r(consignee, "Name").leaf(),
        export_country=_r(consignment, "ExportSPSCountry", "ID").leaf(),
        reexport_country=_r(consignment, "ReExportSPSCountry", "ID").leaf(),
        reexport_countries=tuple(
            _r(n, "ID").leaf() for n in consignment.children("ReExportSPSCountry", RAM)
        ),
        import_country=_r(consignment, "ImportSPSCountry", "ID").leaf(),
        items=tuple(
            _item(line)
            for item in consignment.children("IncludedSPSConsignmentItem", RAM)
            for line in item.children("IncludedSPSTradeLineItem", RAM)
        ),
    )
    exp, imp, rex = cert.export_country, cert.import_country, cert.reexport_country
    by = rex if rex.usable else exp
    issued_on = read_instant(cert.issue_date_time.text, cert.issue_date_format.value)
    return BoundDocument(
        model=cert,
        export_country=exp.text if exp.usable else None,
        import_country=imp.text if imp.usable else None,
        effective_date=issued_on.day if issued_on and cert.issue_date_time.usable else None,
        # A re-export certificate is issued by the re-exporting country's NPPO.
        issuer_country=by.text if by.usable else None,
    )
