"""e-Phyto rules (``PH`` codes) over ``PhytoCertificate`` and its hub envelope header.

Facts: domain.md §1.2, §4.1 (IPPC ePhyto hub WSDL and samples; SPSCertificate D17A). Each
rule states its basis; one whose basis is a hub or ASW convention rather than ISPM 12 or
D17A is a warning at most, and its docstring gives the evidence from exchanged certificates.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal

from ..binding.base import Located, as_decimal
from ..binding.ephyto import PhytoCertificate, read_instant
from ..context import Context
from ..envelope import BASIS_ENVELOPE
from ..i18n import Day, T
from ..model import Severity
from ..refdata import countries, units
from .base import Family, Problem, problem

FAMILY = Family("ephyto", "2.0.0")
rule = FAMILY.rule
PHYTO = ("ephyto",)
ERROR, WARNING, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO

BASIS_SPS = "UN/CEFACT SPS Certificate D17A as used by the IPPC ePhyto hub (ISPM 12 certificates)"
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
    said: dt.date | T
    if when.utc is not None:
        late = when.utc.date() > ctx.today
        said = T("{day} {time} UTC", day=when.utc.date(), time=f"{when.utc:%H:%M}")
    else:
        late = when.day > ctx.today + dt.timedelta(days=1)
        said = when.day
    if late:
        yield problem(
            "The certificate is issued {said}, after today ({today})",
            loc,
            said=said,
            today=Day.of(ctx.today),
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
    basis="ISPM 12 model certificate, box 'Botanical name of plants' (scientific names); "
    "D17A leaves ScientificName optional (0..n), so this rule, not the schema, asks for it",
)
def scientific_name_missing(cert: PhytoCertificate, ctx: Context) -> Iterator[Problem]:
    """A trade line item has no scientific (botanical) name.

    Basis: ISPM 12, not a hub or ASW convention, so an error. The model certificate has a
    box for the botanical name of the plants. Evidence that exchanged certificates follow
    it: the hub test certificate of Mattilsynet/ephyto-api (SPSCertificateContent.xml, at
    5e8b9aa) and the Bolivian DeliverPhytoEnvelope of maxguiver/ApiEphyto (ejemplo.xml, at
    06d669f) give every line item a ScientificName, even a genus alone ("Ribes").

    Fails: ``<ram:IncludedSPSTradeLineItem><ram:SequenceNumeric>1</ram:SequenceNumeric>
    <ram:CommonName>rice</ram:CommonName><!-- no ScientificName --></ram:IncludedSPSTradeLineItem>``
    Passes: ``<ram:IncludedSPSTradeLineItem><ram:SequenceNumeric>1</ram:SequenceNumeric>
    <ram:CommonName>rice</ram:CommonName><ram:ScientificName>Oryza sativa</ram:ScientificName>
    </ram:IncludedSPSTradeLineItem>``
    """
    for item in cert.items:
        if not any(not n.blank for n in item.scientific_names):
            names = ", ".join(n.text for n in item.common_names if not n.blank) or T("no name")
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
    basis=BASIS_SPS + ": SequenceNumeric (udt:NumericType) identifies a trade line item within "
    "the certificate",
)
def sequence_number_duplicate(cert: PhytoCertificate, ctx: Context) -> Iterator[Problem]:
    """Two trade line items share a sequence number.

    Any numbers are accepted (0, gaps; D17A's ``udt:NumericType`` is a decimal), as the
    standard asks only for uniqueness; 1 and 1.0 are the same number.

    Fails: two trade line items with ``<ram:SequenceNumeric>1</ram:SequenceNumeric>``
    Passes: items with ``<ram:SequenceNumeric>0</ram:SequenceNumeric>`` and
    ``<ram:SequenceNumeric>5</ram:SequenceNumeric>``
    """
    seen: set[Decimal] = set()
    for item in cert.items:
        number = as_decimal(item.sequence)
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
        yield T("net weight of item {n}", n=seq), item.net_weight.amount, item.net_weight.unit
        yield (
            T("gross weight of item {n}", n=seq),
            item.gross_weight.amount,
            item.gross_weight.unit,
        )


@rule(
    code="PH012",
    name="weight-not-positive",
    severity=ERROR,
    doctypes=PHYTO,
    basis="UN/CEFACT UDT 21 MeasureType, 'a numeric value determined by measuring an "
    "object' (D17A Net/GrossWeightMeasure): a weight measured is above zero",
)
def weight_not_positive(cert: PhytoCertificate, ctx: Context) -> Iterator[Problem]:
    """A net or gross weight given is zero or negative.

    Basis: D17A's data type itself, not a hub or ASW convention, so an error. The schema
    accepts any decimal (``xs:decimal``); a weight is a measured value, and an unknown
    weight is left out (the element is optional), not written as 0. Both public hub
    certificates read (Mattilsynet's, the Bolivian one) give positive weights or none.

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
    basis="UN/ECE Recommendation 20, the UN/CEFACT list of unit codes (QDT 21 "
    "WeightUnitMeasureType restricts a weight's unitCode to it; D17A's udt:MeasureType "
    "leaves unitCode an unrestricted token)",
)
def weight_unit_invalid(cert: PhytoCertificate, ctx: Context) -> Iterator[Problem]:
    """A weight's unitCode is not (or no longer) a UN/ECE Recommendation 20 code.

    Basis: Rec 20, the unit list of UN/CEFACT's own data types (QDT 21 restricts a weight
    unit to it), so an error: a receiver cannot read the weight. Exchanged certificates use
    Rec 20 codes (KGM, MTQ, HUR, CEL in Mattilsynet's hub test certificate). A weight
    without unitCode is PH020's warning.

    Fails: ``<ram:NetWeightMeasure unitCode="KILO">200</ram:NetWeightMeasure>``;
    ``<ram:NetWeightMeasure unitCode="KG">200</ram:NetWeightMeasure>`` (keg, deleted)
    Passes: ``<ram:NetWeightMeasure unitCode="KGM">200</ram:NetWeightMeasure>``
    """
    for what, amount, unit in _weights(cert):
        if amount.blank or amount.schema_error or unit.blank:
            continue
        known = units.unit(unit.text)
        if known is None or known.deleted:
            state = T("deleted ({name})", name=known.name) if known else T("not a code")
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
    basis="ISPM 12 (re-export phytosanitary certificate: 'the original PSC or its certified "
    "copy should accompany' it); D17A ReferenceSPSReferencedDocument. An earlier re-export "
    "certificate (657) is accepted as the original of a second re-export (inferred)",
)
def reexport_original_missing(cert: PhytoCertificate, ctx: Context) -> Iterator[Problem]:
    """A re-export certificate (657) does not reference the certificate it rests on by ID: the
    original phytosanitary certificate (851), or, in a re-export of a re-export, the earlier
    re-export certificate (657).

    Fails: ``<rsm:SPSExchangedDocument><!-- ... --><ram:TypeCode>657</ram:TypeCode>
    <!-- no ReferenceSPSReferencedDocument --></rsm:SPSExchangedDocument>``
    Passes: ``<rsm:SPSExchangedDocument><!-- ... --><ram:TypeCode>657</ram:TypeCode><!-- ... -->
    <ram:ReferenceSPSReferencedDocument><ram:TypeCode>851</ram:TypeCode>
    <ram:ID>VN-PPD-2025-118734</ram:ID></ram:ReferenceSPSReferencedDocument>
    </rsm:SPSExchangedDocument>``
    """
    if cert.type_code.text != REEXPORT:
        return
    if not any(r.type_code.text in TYPES and r.id.usable for r in cert.references):
        yield problem(
            "Re-export certificate {id} does not reference the original phytosanitary"
            " certificate (a referenced document of type 851, or 657 for an earlier re-export,"
            " with its ID)",
            cert.type_code,
            id=cert.id.text or T("(no ID)"),
            expected="ReferenceSPSReferencedDocument with TypeCode 851 (or 657) and ID",
        )


@rule(
    code="PH015",
    name="party-name-missing",
    severity=ERROR,
    doctypes=PHYTO,
    basis="ISPM 12 model certificate, boxes 'Name and address of exporter' and 'Declared "
    "name and address of consignee'; D17A ConsignorSPSParty and ConsigneeSPSParty 1..1 with "
    "Name 0..1, so the rule asks for the name",
)
def party_name_missing(cert: PhytoCertificate, ctx: Context) -> Iterator[Problem]:
    """The consignor (exporter) or the consignee is not named.

    Basis: ISPM 12, so an error. A missing party is the schema's finding (D17A requires
    both); a party without a name is this rule's. Both public hub certificates read name
    both parties.

    Fails: ``<ram:ConsigneeSPSParty><ram:Name/></ram:ConsigneeSPSParty>``
    Passes: ``<ram:ConsigneeSPSParty><ram:Name>Saigon Fruit Import JSC</ram:Name>
    </ram:ConsigneeSPSParty>``
    """
    parties = (
        (T("consignor"), cert.consignor, cert.consignor_name),
        (T("consignee"), cert.consignee, cert.consignee_name),
    )
    for what, party, name in parties:
        if party.present and name.blank:
            yield problem("The {what} is not named", name, what=what, expected="a name")


def _consignment_countries(cert: PhytoCertificate) -> Iterator[tuple[str, Located]]:
    yield T("exporting country"), cert.export_country
    for country in cert.reexport_countries:
        yield T("re-exporting country"), country
    yield T("importing country"), cert.import_country
    for item in cert.items:
        for country in item.origins:
            yield T("origin country of item {n}", n=item.sequence.text or "?"), country


@rule(
    code="PH016",
    name="country-code-unknown",
    severity=ERROR,
    doctypes=PHYTO,
    basis=BASIS_SPS + ": SPSCountry/ID is a qdt:CountryIDType, an ISO 3166-1 alpha-2 code",
)
def country_code_unknown(cert: PhytoCertificate, ctx: Context) -> Iterator[Problem]:
    """An exporting, re-exporting, importing or origin country is not an ISO alpha-2 code.

    A country without ID is the XSD layer's finding (D17A: ``SPSCountry/ID`` 1..1).

    Fails: ``<ram:ExportSPSCountry><ram:ID>THA</ram:ID></ram:ExportSPSCountry>``;
    ``<ram:OriginSPSCountry><ram:ID>THA</ram:ID></ram:OriginSPSCountry>`` on a line item
    Passes: ``<ram:ExportSPSCountry><ram:ID>TH</ram:ID></ram:ExportSPSCountry>``
    """
    for what, loc in _consignment_countries(cert):
        if loc.present and not loc.schema_error and not countries.is_iso_country(loc.text):
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
    basis="ASEAN Single Window convention: e-Phyto between ASEAN Member States (PH-ID live "
    "since 2024-06-10); certificates of other routes travel the IPPC hub and are as valid",
)
def route_outside_asw(cert: PhytoCertificate, ctx: Context) -> Iterator[Problem]:
    """The exporting or importing country is not an ASW member: not an ASW route.

    Basis: an ASW convention, not ISPM 12 or D17A, so an info and never more: a certificate
    between two countries outside the ASW (the Bolivian hub certificate, BO to AR) is an
    ordinary hub certificate, and every other rule judges it as any other.

    Fails (info): ``<ram:ExportSPSCountry><ram:ID>TH</ram:ID></ram:ExportSPSCountry>
    <ram:ImportSPSCountry><ram:ID>CN</ram:ID></ram:ImportSPSCountry>``; BO to AR (neither
    is a member)
    Passes: ``<ram:ExportSPSCountry><ram:ID>TH</ram:ID></ram:ExportSPSCountry><ram:ImportSPSCountry>
    <ram:ID>VN</ram:ID></ram:ImportSPSCountry>``
    """
    exp, imp = cert.export_country, cert.import_country
    if not (exp.usable and imp.usable):
        return
    if not all(countries.is_iso_country(c.text) for c in (exp, imp)):
        return
    outside = [c for c in (exp, imp) if not countries.is_asw_party(c.text, ctx.effective_date)]
    if len(outside) == 2:
        yield problem(
            "Neither {value} nor {other} is an ASW member: this certificate travels through"
            " the IPPC hub only",
            exp,
            other=imp.text,
            expected="ASEAN members on both sides for the ASW route",
        )
    elif outside:
        yield problem(
            "{value} is not an ASW member: this certificate travels through the IPPC hub,"
            " not the ASEAN Single Window",
            outside[0],
            expected="ASEAN members on both sides for the ASW route",
        )


@rule(
    code="PH018",
    name="issuer-not-named",
    severity=ERROR,
    doctypes=PHYTO,
    basis="ISPM 12 model certificate: issued by the 'Plant Protection Organization of' the "
    "exporting country; D17A SPSExchangedDocument/IssuerSPSParty 1..1 (our schema leaves it "
    "to this rule)",
)
def issuer_not_named(cert: PhytoCertificate, ctx: Context) -> Iterator[Problem]:
    """The certificate does not name its issuing NPPO: no IssuerSPSParty, or one without Name.

    Basis: ISPM 12 and D17A, so an error. D17A requires IssuerSPSParty but not its Name;
    the schema leaves the party optional so that one finding, this one, names the ISPM 12
    item in both cases. Both public hub certificates read carry IssuerSPSParty/Name.

    Fails: ``<rsm:SPSExchangedDocument><!-- ... no IssuerSPSParty --></rsm:SPSExchangedDocument>``;
    ``<ram:IssuerSPSParty><ram:ID>...</ram:ID></ram:IssuerSPSParty>`` (the ID alone)
    Passes: ``<ram:IssuerSPSParty><ram:Name>Department of Agriculture</ram:Name>
    </ram:IssuerSPSParty>``
    """
    if not cert.document.present:
        return
    if not cert.issuer.present:
        yield problem(
            "The certificate does not name its issuing NPPO (no IssuerSPSParty)",
            cert.issuer,
            value=None,
            expected="IssuerSPSParty with the NPPO's Name (ISPM 12: Plant Protection "
            "Organization of ...)",
        )
    elif cert.issuer_name.blank:
        yield problem(
            "The issuing NPPO (IssuerSPSParty) has no name",
            cert.issuer_name,
            expected="the NPPO's name, e.g. Department of Agriculture",
        )


@rule(
    code="PH019",
    name="signatory-authentication-missing",
    severity=ERROR,
    doctypes=PHYTO,
    basis="ISPM 12 model certificate: place of issue, date, name and signature of the "
    "authorized officer; D17A SPSExchangedDocument/SignatorySPSAuthentication 1..n (our "
    "schema leaves it to this rule)",
)
def signatory_authentication_missing(cert: PhytoCertificate, ctx: Context) -> Iterator[Problem]:
    """The certificate has no SignatorySPSAuthentication: no place, date or officer of issue.

    Basis: ISPM 12 and D17A, so an error. The authentication carries the place of issue
    (IssueSPSLocation, which the schema then requires), the date (ActualDateTime) and the
    authorized officer (ProviderSPSParty/SpecifiedSPSPerson). Both public hub certificates
    read carry one, with the officer's name and a clause.

    Fails: ``<rsm:SPSExchangedDocument><!-- ... --><ram:IncludedSPSNote><!-- ... -->
    </ram:IncludedSPSNote></rsm:SPSExchangedDocument>`` (the note its last child)
    Passes: ``<ram:SignatorySPSAuthentication><ram:IssueSPSLocation><ram:Name>Bangkok</ram:Name>
    </ram:IssueSPSLocation><!-- ... --></ram:SignatorySPSAuthentication>``
    """
    if cert.document.present and not cert.signatory.present:
        yield problem(
            "The certificate has no signatory authentication (place and date of issue,"
            " authorized officer)",
            cert.signatory,
            value=None,
            expected="SignatorySPSAuthentication with IssueSPSLocation, ActualDateTime and "
            "the officer in ProviderSPSParty",
        )


@rule(
    code="PH020",
    name="weight-unit-missing",
    severity=WARNING,
    doctypes=PHYTO,
    basis="hub practice: weights carry a UN/ECE Rec 20 unitCode; D17A's udt:MeasureType "
    "makes unitCode optional and ISPM 12 asks for the quantity, not a coded unit, hence a "
    "warning",
)
def weight_unit_missing(cert: PhytoCertificate, ctx: Context) -> Iterator[Problem]:
    """A weight is given without unitCode: the receiver has to guess kilograms.

    Basis: a convention, not a source: no source makes the unit mandatory (D17A declares
    ``unitCode`` ``use="optional"``), and real certificates differ: the Bolivian hub
    certificate (maxguiver/ApiEphyto ejemplo.xml) has ``<NetWeightMeasure>200`` with no
    unit, while Mattilsynet's carries KGM. Hence a warning, not an error.

    Fails (warning): ``<ram:NetWeightMeasure>200</ram:NetWeightMeasure>``
    Passes: ``<ram:NetWeightMeasure unitCode="KGM">200</ram:NetWeightMeasure>``
    """
    for what, amount, unit in _weights(cert):
        if amount.blank or amount.schema_error or not unit.blank:
            continue
        yield problem(
            "The {what} ({amount}) has no unitCode",
            amount,
            value=None,
            what=what,
            amount=amount.text,
            expected="a UN/ECE Rec 20 unit, e.g. KGM",
        )


def _kg(amount: Located, unit: Located) -> Decimal | None:
    """A weight in kilograms; a weight without unit is taken as kilograms (PH020 warns)."""
    value = as_decimal(amount)
    if value is None or value <= 0:  # zero or less is PH012's
        return None
    if unit.blank:
        return value
    factor = units.kilograms(unit.text) if unit.usable else None
    return None if factor is None else value * factor


@rule(
    code="PH021",
    name="net-weight-above-gross",
    severity=ERROR,
    doctypes=PHYTO,
    basis=BASIS_SPS + ": SPSTradeLineItem NetWeightMeasure (the goods without packaging) and "
    "GrossWeightMeasure (with it): a net weight cannot exceed the gross",
)
def net_weight_above_gross(cert: PhytoCertificate, ctx: Context) -> Iterator[Problem]:
    """A line item's net weight is above its gross weight (compared in kilograms).

    Weights in units that are not masses are PH022's; a weight without unit is read as
    kilograms (PH020 warns about it).

    Fails: ``<ram:NetWeightMeasure unitCode="KGM">5800</ram:NetWeightMeasure>
    <ram:GrossWeightMeasure unitCode="KGM">5280</ram:GrossWeightMeasure>``
    Passes: ``<ram:NetWeightMeasure unitCode="KGM">5280</ram:NetWeightMeasure>
    <ram:GrossWeightMeasure unitCode="TNE">5.8</ram:GrossWeightMeasure>``
    """
    for item in cert.items:
        net = _kg(item.net_weight.amount, item.net_weight.unit)
        gross = _kg(item.gross_weight.amount, item.gross_weight.unit)
        if net is not None and gross is not None and net > gross:
            yield problem(
                "Item {seq}: the net weight ({net}) is above the gross weight ({gross})",
                item.net_weight.amount,
                seq=item.sequence.text or "?",
                net=_shown(item.net_weight.amount, item.net_weight.unit),
                gross=_shown(item.gross_weight.amount, item.gross_weight.unit),
                expected="a net weight at most the gross weight",
            )


def _shown(amount: Located, unit: Located) -> str:
    return f"{amount.text} {unit.text}".strip()


@rule(
    code="PH022",
    name="weight-unit-not-a-mass",
    severity=WARNING,
    doctypes=PHYTO,
    basis=BASIS_SPS + ": NetWeightMeasure and GrossWeightMeasure are weights; volumes have "
    "their own NetVolumeMeasure and GrossVolumeMeasure; UN/ECE Rec 20 conversion factors "
    "(tools/derive_rec20_mass.py)",
)
def weight_unit_not_a_mass(cert: PhytoCertificate, ctx: Context) -> Iterator[Problem]:
    """A weight is given in a unit that is not a mass: ``KGS`` (kilogram per second, the
    common slip for kilograms), ``MTQ`` (a volume, which belongs in NetVolumeMeasure).

    A warning: D17A types the weight as a plain measure, and how exchanged certificates use
    it for goods sold by volume (timber) is not known here.

    Fails (warning): ``<ram:NetWeightMeasure unitCode="KGS">5280</ram:NetWeightMeasure>``
    Passes: ``<ram:NetWeightMeasure unitCode="KGM">5280</ram:NetWeightMeasure>``; unitCode TNE
    """
    for what, amount, unit in _weights(cert):
        if amount.blank or amount.schema_error or not unit.usable:
            continue
        if units.is_not_mass(unit.text):
            known = units.unit(unit.text)
            yield problem(
                "The {what} is in {value!r} ({name}), which is not a unit of mass",
                unit,
                what=what,
                name=known.name if known else unit.text,
                expected="a unit of mass, e.g. KGM; a volume goes in NetVolumeMeasure",
            )
