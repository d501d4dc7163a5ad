"""e-Phyto rules (``PH`` codes) over ``PhytoCertificate`` and its hub envelope header.

Facts: domain.md §1.2, §4.1 (IPPC ePhyto hub WSDL and samples; SPSCertificate D17).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from ..binding.base import Located, as_decimal, as_int
from ..binding.ephyto import PhytoCertificate, read_instant
from ..context import Context
from ..envelope import BASIS_ENVELOPE
from ..model import Severity
from ..refdata import countries, units
from .base import Family, Problem, problem

FAMILY = Family("ephyto", "1.0.0")
rule = FAMILY.rule
PHYTO = ("ephyto",)
ERROR, WARNING, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO

BASIS_SPS = "UN/CEFACT SPS Certificate D17 as used by the IPPC ePhyto hub (ISPM 12 certificates)"
#: SPSExchangedDocument/TypeCode (domain.md §4.1 [C]).
TYPES = {"851": "phytosanitary certificate", "657": "re-export phytosanitary certificate"}
REEXPORT = "657"
#: StatusCode 70 = issued is confirmed; other codes are not (domain.md §4.1).
ISSUED = "70"


@rule(
    code="PH001",
    name="certificate-type-unknown",
    severity=ERROR,
    doctypes=PHYTO,
    basis=BASIS_SPS + ": TypeCode 851 phytosanitary certificate, 657 re-export certificate",
)
def certificate_type_unknown(cert: PhytoCertificate, ctx: Context) -> Iterator[Problem]:
    """The document type code is neither 851 (phytosanitary) nor 657 (re-export).

    Fails: ``<ram:TypeCode>852</ram:TypeCode>``
    Passes: ``<ram:TypeCode>851</ram:TypeCode>``; ``<ram:TypeCode>657</ram:TypeCode>`` for a
    re-export certificate
    """
    loc = cert.type_code  # absent: the XSD layer's finding
    if loc.present and not loc.schema_error and loc.text not in TYPES:
        yield problem(
            "Certificate type code {value!r} is neither 851 (phytosanitary) nor 657 (re-export)",
            loc,
            expected="851 or 657",
        )


@rule(
    code="PH002",
    name="status-code-not-issued",
    severity=WARNING,
    doctypes=PHYTO,
    basis=BASIS_SPS + ": StatusCode 70 = issued; other status codes (replacement, withdrawal) "
    "are not confirmed, hence a warning",
)
def status_code_not_issued(cert: PhytoCertificate, ctx: Context) -> Iterator[Problem]:
    """The status code is not 70 (issued), the only status confirmed for the hub.

    Fails (warning): ``<ram:StatusCode>39</ram:StatusCode>``
    Passes: ``<ram:StatusCode>70</ram:StatusCode>``
    """
    loc = cert.status_code  # absent: the XSD layer's finding
    if loc.present and not loc.schema_error and loc.text != ISSUED:
        yield problem(
            "Status code {value!r} is not 70 (issued); other statuses are not confirmed",
            loc,
            expected="70",
        )


def _envelope_countries(cert: PhytoCertificate) -> Iterator[tuple[str, Located]]:
    if cert.envelope is not None:
        yield "From", cert.envelope.sender
        yield "To", cert.envelope.receiver


@rule(
    code="PH003",
    name="envelope-country-invalid",
    severity=ERROR,
    doctypes=PHYTO,
    basis=BASIS_ENVELOPE + ": From and To are the NPPOs' ISO 3166-1 alpha-2 country codes",
)
def envelope_country_invalid(cert: PhytoCertificate, ctx: Context) -> Iterator[Problem]:
    """The hub envelope's From or To is not an ISO 3166-1 alpha-2 country code.

    Fails: ``<hub:Envelope><hub:From>THA</hub:From><!-- ... --></hub:Envelope>``
    Passes: ``<hub:Envelope><hub:From>TH</hub:From><!-- ... --></hub:Envelope>``
    """
    for what, loc in _envelope_countries(cert):
        if not loc.blank and not countries.is_iso_country(loc.text):  # blank: PH006
            yield problem(
                "Envelope {what} {value!r} is not an ISO 3166-1 alpha-2 country code",
                loc,
                what=what,
                expected="two capital letters, e.g. TH",
            )


@rule(
    code="PH004",
    name="envelope-country-mismatch",
    severity=WARNING,
    doctypes=PHYTO,
    basis=BASIS_ENVELOPE + "; the hub routes From the issuing NPPO To the importing one. That "
    "they equal the consignment's countries is inferred, hence a warning",
)
def envelope_country_mismatch(cert: PhytoCertificate, ctx: Context) -> Iterator[Problem]:
    """The envelope's From/To differ from the certificate's issuing/importing country.

    From is compared with the re-exporting country on a re-export certificate, else with the
    exporting country; To with the importing country.

    Fails (warning): ``<hub:Envelope><hub:From>TH</hub:From><hub:To>KH</hub:To><!-- ... -->
    </hub:Envelope>`` around a certificate with
    ``<ram:ImportSPSCountry><ram:ID>VN</ram:ID></ram:ImportSPSCountry>``
    Passes: ``<hub:Envelope><hub:From>TH</hub:From><hub:To>VN</hub:To><!-- ... --></hub:Envelope>``
    around a TH -> VN certificate
    """
    if cert.envelope is None:
        return
    issuer = cert.reexport_country if cert.reexport_country.usable else cert.export_country
    pairs = (
        ("From", cert.envelope.sender, issuer),
        ("To", cert.envelope.receiver, cert.import_country),
    )
    for what, env, doc in pairs:
        if (
            env.usable
            and doc.usable
            and countries.is_iso_country(env.text)
            and env.text != doc.text
        ):
            yield problem(
                "Envelope {what} {value} differs from the certificate's country {doc}",
                env,
                what=what,
                doc=doc.text,
                expected=doc.text,
            )


@rule(
    code="PH005",
    name="envelope-number-mismatch",
    severity=WARNING,
    doctypes=PHYTO,
    basis=BASIS_ENVELOPE + ": NPPOCertificateNumber; that it equals SPSExchangedDocument/ID "
    "is seen in every sample but inferred, hence a warning",
)
def envelope_number_mismatch(cert: PhytoCertificate, ctx: Context) -> Iterator[Problem]:
    """The envelope's NPPOCertificateNumber differs from the certificate's own ID.

    Fails (warning): ``<hub:NPPOCertificateNumber>TH-2025-1</hub:NPPOCertificateNumber>`` around a
    certificate with ``<rsm:SPSExchangedDocument><!-- ... --><ram:ID>TH-2025-2</ram:ID><!-- ... -->
    </rsm:SPSExchangedDocument>``
    Passes: ``<hub:NPPOCertificateNumber>TH-2025-2</hub:NPPOCertificateNumber>`` around a
    certificate with ``<rsm:SPSExchangedDocument><!-- ... --><ram:ID>TH-2025-2</ram:ID><!-- ... -->
    </rsm:SPSExchangedDocument>``
    """
    env = cert.envelope
    if env is None or not (env.nppo_certificate_number.usable and cert.id.usable):
        return
    if env.nppo_certificate_number.text != cert.id.text:
        yield problem(
            "Envelope NPPOCertificateNumber {value!r} differs from the certificate ID {id!r}",
            env.nppo_certificate_number,
            id=cert.id.text,
            expected=cert.id.text,
        )


_HEADER_FIELDS = ("From", "To", "CertificateType", "CertificateStatus", "NPPOCertificateNumber")


@rule(
    code="PH006",
    name="envelope-header-incomplete",
    severity=ERROR,
    doctypes=PHYTO,
    basis=BASIS_ENVELOPE + ": EnvelopeHeader requires From, To, CertificateType (int), "
    "CertificateStatus (int) and NPPOCertificateNumber",
)
def envelope_header_incomplete(cert: PhytoCertificate, ctx: Context) -> Iterator[Problem]:
    """A required hub envelope header field is missing or blank, or a code is not a number.

    Fails: ``<hub:Envelope><hub:From>TH</hub:From><hub:To>VN</hub:To>
    <hub:CertificateType>851</hub:CertificateType><hub:CertificateStatus>70</hub:CertificateStatus>
    <!-- no NPPOCertificateNumber --></hub:Envelope>``;
    ``<hub:CertificateType>PC</hub:CertificateType>``
    Passes: ``<hub:Envelope><hub:From>TH</hub:From><hub:To>VN</hub:To>
    <hub:CertificateType>851</hub:CertificateType><hub:CertificateStatus>70</hub:CertificateStatus>
    <hub:NPPOCertificateNumber>TH-DOA-2025-0471203</hub:NPPOCertificateNumber><!-- ... -->
    </hub:Envelope>``
    """
    env = cert.envelope
    if env is None:
        return
    leaves = (
        env.sender,
        env.receiver,
        env.certificate_type,
        env.certificate_status,
        env.nppo_certificate_number,
    )
    for name, loc in zip(_HEADER_FIELDS, leaves, strict=True):
        if loc.blank:
            yield problem(
                "The hub envelope header has no {name}", loc, name=name, expected=f"a {name}"
            )
        elif name in ("CertificateType", "CertificateStatus") and not loc.text.isdigit():
            yield problem(
                "Envelope {name} {value!r} is not a number", loc, name=name, expected="an integer"
            )


@rule(
    code="PH007",
    name="envelope-type-mismatch",
    severity=WARNING,
    doctypes=PHYTO,
    basis=BASIS_ENVELOPE + ": CertificateType and CertificateStatus describe the certificate "
    "carried; that they equal its TypeCode and StatusCode is inferred, hence a warning",
)
def envelope_type_mismatch(cert: PhytoCertificate, ctx: Context) -> Iterator[Problem]:
    """The envelope's CertificateType/Status differ from the certificate's type/status code.

    Fails (warning): ``<hub:CertificateType>851</hub:CertificateType>`` around a certificate with
    ``<ram:TypeCode>657</ram:TypeCode>``
    Passes: ``<hub:CertificateType>851</hub:CertificateType>`` around
    ``<ram:TypeCode>851</ram:TypeCode>``
    """
    env = cert.envelope
    if env is None:
        return
    pairs = (
        ("CertificateType", env.certificate_type, cert.type_code),
        ("CertificateStatus", env.certificate_status, cert.status_code),
    )
    for name, outer, inner in pairs:
        if outer.usable and inner.usable and outer.text.isdigit() and outer.text != inner.text:
            yield problem(
                "Envelope {name} {value} differs from the certificate's code {inner}",
                outer,
                name=name,
                inner=inner.text,
                expected=inner.text,
            )


@rule(
    code="PH008",
    name="issued-in-future",
    severity=ERROR,
    doctypes=PHYTO,
    basis=BASIS_SPS + ": IssueDateTime. A time with an offset is compared in UTC; a date or "
    "time without one may be up to one day ahead of UTC (time zones reach UTC+14)",
)
def issued_in_future(cert: PhytoCertificate, ctx: Context) -> Iterator[Problem]:
    """The issue date-time is after today, its time-zone offset respected.

    Fails: ``<ram:IssueDateTime><udt:DateTimeString>2026-11-25T08:00:00+07:00</udt:DateTimeString>
    </ram:IssueDateTime>`` when today (UTC) is 2026-11-23;
    ``<udt:DateTimeString>2026-11-25</udt:DateTimeString>``
    Passes: ``<udt:DateTimeString>2026-11-24T06:00:00+07:00</udt:DateTimeString>`` (23:00 UTC the
    day before); ``<udt:DateTimeString>2026-11-24</udt:DateTimeString>`` (no offset: up to one day
    ahead of UTC is accepted)
    """
    loc = cert.issue_date_time
    when = read_instant(loc.text, cert.issue_date_format.value) if loc.usable else None
    if when is None:
        return
    if when.utc is not None:
        late = when.utc.date() > ctx.today
        said = f"{when.utc:%Y-%m-%d %H:%M} UTC"
    else:
        late = when.day > ctx.today + dt.timedelta(days=1)
        said = when.day.isoformat()
    if late:
        yield problem(
            "The certificate is issued {said}, after today ({today})",
            loc,
            said=said,
            today=ctx.today.isoformat(),
            expected=f"an issue date-time not after {ctx.today.isoformat()}",
        )


@rule(
    code="PH009",
    name="issue-date-unreadable",
    severity=ERROR,
    doctypes=PHYTO,
    basis=BASIS_SPS + ": udt:DateTimeString, ISO 8601, or the UN/EDIFACT 2379 format named "
    "in @format (102, 203, 204); years 1900-2099",
)
def issue_date_unreadable(cert: PhytoCertificate, ctx: Context) -> Iterator[Problem]:
    """The issue date-time is not a readable date, so no dated check can be made.

    Fails: ``<ram:IssueDateTime><udt:DateTimeString>21/01/2025</udt:DateTimeString>
    </ram:IssueDateTime>``
    Passes: ``<udt:DateTimeString>2025-01-21T15:49:40</udt:DateTimeString>``,
    ``<udt:DateTimeString>2025-01-21</udt:DateTimeString>``, or
    ``<udt:DateTimeString format="102">20250121</udt:DateTimeString>``
    """
    loc = cert.issue_date_time
    if loc.usable and read_instant(loc.text, cert.issue_date_format.value) is None:
        yield problem(
            "Issue date-time {value!r} is not a readable date (ISO 8601, or the format in @format)",
            loc,
            expected="e.g. 2025-01-21T15:49:40+07:00",
        )


@rule(
    code="PH010",
    name="scientific-name-missing",
    severity=ERROR,
    doctypes=PHYTO,
    basis="ISPM 12 (botanical name of plants) and the IPPC ePhyto guidelines: every "
    "commodity line carries its scientific name",
)
def scientific_name_missing(cert: PhytoCertificate, ctx: Context) -> Iterator[Problem]:
    """A trade line item has no scientific (botanical) name.

    Fails: ``<ram:IncludedSPSTradeLineItem><ram:SequenceNumeric>1</ram:SequenceNumeric>
    <ram:CommonName>rice</ram:CommonName><!-- no ScientificName --></ram:IncludedSPSTradeLineItem>``
    Passes: ``<ram:IncludedSPSTradeLineItem><ram:SequenceNumeric>1</ram:SequenceNumeric>
    <ram:CommonName>rice</ram:CommonName><ram:ScientificName>Oryza sativa</ram:ScientificName>
    </ram:IncludedSPSTradeLineItem>``
    """
    for item in cert.items:
        if not any(not n.blank for n in item.scientific_names):
            names = ", ".join(n.text for n in item.common_names if not n.blank) or "no name"
            yield problem(
                "Trade line item {seq} ({names}) has no scientific name",
                item.node,
                value=item.sequence.text or None,
                seq=item.sequence.text or "?",
                names=names,
                expected="a botanical name, e.g. Oryza sativa",
            )


@rule(
    code="PH011",
    name="sequence-number-duplicate",
    severity=ERROR,
    doctypes=PHYTO,
    basis=BASIS_SPS + ": SequenceNumeric identifies a trade line item within the certificate",
)
def sequence_number_duplicate(cert: PhytoCertificate, ctx: Context) -> Iterator[Problem]:
    """Two trade line items share a sequence number.

    Any integers are accepted (0, gaps), as the standard asks only for uniqueness.

    Fails: two trade line items with ``<ram:SequenceNumeric>1</ram:SequenceNumeric>``
    Passes: items with ``<ram:SequenceNumeric>0</ram:SequenceNumeric>`` and
    ``<ram:SequenceNumeric>5</ram:SequenceNumeric>``
    """
    seen: set[int] = set()
    for item in cert.items:
        number = as_int(item.sequence)
        if number is None:
            continue
        if number in seen:
            yield problem(
                "Sequence number {value} is used by another trade line item",
                item.sequence,
                expected="a number no other item of the certificate uses",
            )
        seen.add(number)


def _weights(cert: PhytoCertificate) -> Iterator[tuple[str, Located, Located]]:
    for item in cert.items:
        seq = item.sequence.text or "?"
        yield f"net weight of item {seq}", item.net_weight.amount, item.net_weight.unit
        yield f"gross weight of item {seq}", item.gross_weight.amount, item.gross_weight.unit


@rule(
    code="PH012",
    name="weight-not-positive",
    severity=ERROR,
    doctypes=PHYTO,
    basis=BASIS_SPS + ": Net/GrossWeightMeasure state the consignment's weight",
)
def weight_not_positive(cert: PhytoCertificate, ctx: Context) -> Iterator[Problem]:
    """A net or gross weight given is zero or negative.

    Fails: ``<ram:NetWeightMeasure unitCode="KGM">0</ram:NetWeightMeasure>``
    Passes: ``<ram:NetWeightMeasure unitCode="KGM">20000</ram:NetWeightMeasure>``
    """
    for what, amount, _unit in _weights(cert):
        value = as_decimal(amount)
        if value is not None and value <= 0:
            yield problem("The {what} is {value}: not positive", amount, what=what, expected="> 0")


@rule(
    code="PH013",
    name="weight-unit-invalid",
    severity=ERROR,
    doctypes=PHYTO,
    basis=BASIS_SPS + " (unitCode: UN/ECE Recommendation 20)",
)
def weight_unit_invalid(cert: PhytoCertificate, ctx: Context) -> Iterator[Problem]:
    """A weight given has no unitCode, or one that is not (or no longer) a Rec 20 code.

    Fails: ``<ram:NetWeightMeasure>200</ram:NetWeightMeasure>``;
    ``<ram:NetWeightMeasure unitCode="KG">200</ram:NetWeightMeasure>`` (keg, deleted)
    Passes: ``<ram:NetWeightMeasure unitCode="KGM">200</ram:NetWeightMeasure>``
    """
    for what, amount, unit in _weights(cert):
        if amount.blank or amount.schema_error:
            continue
        if unit.blank:
            yield problem(
                "The {what} ({amount}) has no unitCode",
                amount,
                value=None,
                what=what,
                amount=amount.text,
                expected="a UN/ECE Rec 20 unit, e.g. KGM",
            )
        else:
            known = units.unit(unit.text)
            if known is None or known.deleted:
                state = f"deleted ({known.name})" if known else "not a code"
                yield problem(
                    "The {what} has unit {value!r}: {state} in UN/ECE Recommendation 20",
                    unit,
                    what=what,
                    state=state,
                    expected="a UN/ECE Rec 20 unit, e.g. KGM",
                )


@rule(
    code="PH014",
    name="reexport-original-missing",
    severity=ERROR,
    doctypes=PHYTO,
    basis="ISPM 12 (re-export phytosanitary certificate: the original certificate is "
    "attached or referred to); SPS D17 ReferenceSPSReferencedDocument",
)
def reexport_original_missing(cert: PhytoCertificate, ctx: Context) -> Iterator[Problem]:
    """A re-export certificate (657) does not reference the original certificate (851) by ID.

    Fails: ``<rsm:SPSExchangedDocument><!-- ... --><ram:TypeCode>657</ram:TypeCode>
    <!-- no ReferenceSPSReferencedDocument --></rsm:SPSExchangedDocument>``
    Passes: ``<rsm:SPSExchangedDocument><!-- ... --><ram:TypeCode>657</ram:TypeCode><!-- ... -->
    <ram:ReferenceSPSReferencedDocument><ram:TypeCode>851</ram:TypeCode>
    <ram:ID>VN-PPD-2025-118734</ram:ID></ram:ReferenceSPSReferencedDocument>
    </rsm:SPSExchangedDocument>``
    """
    if cert.type_code.text != REEXPORT:
        return
    if not any(r.type_code.text == "851" and r.id.usable for r in cert.references):
        yield problem(
            "Re-export certificate {id} does not reference the original phytosanitary"
            " certificate (a referenced document of type 851 with its ID)",
            cert.type_code,
            id=cert.id.text or "(no ID)",
            expected="ReferenceSPSReferencedDocument with TypeCode 851 and ID",
        )


@rule(
    code="PH015",
    name="party-name-missing",
    severity=ERROR,
    doctypes=PHYTO,
    basis="ISPM 12 model certificate: name and address of the exporter and the declared "
    "consignee; SPS D17 Consignor/ConsigneeSPSParty",
)
def party_name_missing(cert: PhytoCertificate, ctx: Context) -> Iterator[Problem]:
    """The consignor (exporter) or the consignee is not named.

    Fails: ``<ram:ConsigneeSPSParty><ram:Name/></ram:ConsigneeSPSParty>``
    Passes: ``<ram:ConsigneeSPSParty><ram:Name>Saigon Fruit Import JSC</ram:Name>
    </ram:ConsigneeSPSParty>``
    """
    for what, loc in (("consignor", cert.consignor_name), ("consignee", cert.consignee_name)):
        if loc.blank:
            yield problem("The {what} is not named", loc, what=what, expected="a name")


def _consignment_countries(cert: PhytoCertificate) -> Iterator[tuple[str, Located]]:
    yield "exporting country", cert.export_country
    yield "re-exporting country", cert.reexport_country
    yield "importing country", cert.import_country


@rule(
    code="PH016",
    name="country-code-unknown",
    severity=ERROR,
    doctypes=PHYTO,
    basis=BASIS_SPS + ": country identifiers are ISO 3166-1 alpha-2 codes",
)
def country_code_unknown(cert: PhytoCertificate, ctx: Context) -> Iterator[Problem]:
    """An exporting, re-exporting or importing country is missing or not an ISO alpha-2 code.

    Fails: ``<ram:ExportSPSCountry><ram:ID>THA</ram:ID></ram:ExportSPSCountry>``;
    ``<ram:ImportSPSCountry><ram:Name>Viet Nam</ram:Name></ram:ImportSPSCountry>`` (no ID)
    Passes: ``<ram:ExportSPSCountry><ram:ID>TH</ram:ID></ram:ExportSPSCountry>``
    """
    for what, loc in _consignment_countries(cert):
        if what != "re-exporting country" and not loc.present:
            yield problem("The {what} has no ID", loc, what=what, expected="an ISO code")
        elif loc.present and not loc.schema_error and not countries.is_iso_country(loc.text):
            yield problem(
                "The {what} {value!r} is not an ISO 3166-1 alpha-2 code",
                loc,
                what=what,
                expected="two capital letters, e.g. VN",
            )


@rule(
    code="PH017",
    name="route-outside-asw",
    severity=INFO,
    doctypes=PHYTO,
    basis="ASEAN Single Window: e-Phyto between ASEAN Member States (PH-ID live since "
    "2024-06-10); other routes go through the IPPC hub alone",
)
def route_outside_asw(cert: PhytoCertificate, ctx: Context) -> Iterator[Problem]:
    """The exporting or importing country is not an ASW member: not an ASW route.

    Fails (info): ``<ram:ExportSPSCountry><ram:ID>TH</ram:ID></ram:ExportSPSCountry>
    <ram:ImportSPSCountry><ram:ID>CN</ram:ID></ram:ImportSPSCountry>``
    Passes: ``<ram:ExportSPSCountry><ram:ID>TH</ram:ID></ram:ExportSPSCountry><ram:ImportSPSCountry>
    <ram:ID>VN</ram:ID></ram:ImportSPSCountry>``
    """
    exp, imp = cert.export_country, cert.import_country
    if not (exp.usable and imp.usable):
        return
    if not all(countries.is_iso_country(c.text) for c in (exp, imp)):
        return
    outside = [c for c in (exp, imp) if not countries.is_asw_party(c.text, ctx.effective_date)]
    if outside:
        yield problem(
            "{value} is not an ASW member: this certificate travels through the IPPC hub,"
            " not the ASEAN Single Window",
            outside[0],
            expected="ASEAN members on both sides for the ASW route",
        )
