"""ACDD business rules (``AC`` codes) over ``AcddDeclaration``.

The 15 ACDD items are those of domain.md §2.1 (a)-(o): Singapore Customs' ACDD data items and
the "15 mandatory information parameters" of the 35th ASW Technical Working Group.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from decimal import Decimal

from ..binding.acdd import AcddDeclaration, Measure
from ..binding.base import Located, as_date, as_decimal, as_int
from ..context import Context
from ..i18n import Day, T
from ..model import Severity
from ..refdata import countries, hs, locodes, units
from . import common
from .base import Family, Problem, problem

FAMILY = Family("acdd", "1.2.0")
rule = FAMILY.rule
ACDD = ("acdd",)
ERROR, WARNING, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO

BASIS_ITEMS = (
    "ACDD 15 mandatory data items (Singapore Customs ACDD item list; the 35th ASW TWG's 15 "
    "information parameters; the ACDD MIG v1.08, 2018, aligns them with the WCO Data Model)"
)


def _item_list(doc: AcddDeclaration) -> Iterator[tuple[str, T, tuple[Located, ...]]]:
    """(letter, business name, leaves) for every unconditional ACDD item, in item order.

    An item is missing when all its leaves are blank; the first leaf is where it is reported.
    """
    yield "a", T("Exporter Identifier"), (doc.exporter.id,)
    yield "b", T("Exporter Company Name"), (doc.exporter.name,)
    yield "c", T("Consignee Company Name"), (doc.consignee.name,)
    # A street line or a city makes an address.
    yield "d", T("Consignee Company Address"), (doc.consignee.address_line, doc.consignee.city)
    yield "g", T("Departure Date"), (doc.departure_date,)
    yield "l", T("Outward Transport Mode"), (doc.transport_mode,)
    yield "m", T("Port of Discharge"), (doc.unloading_location,)
    yield "o", T("Export Declaration Number"), (doc.id,)
    for item in doc.items:
        yield "h", T("Item HS Code"), (item.hs_code,)
        yield "i", T("Item HS Quantity"), (item.quantity.amount,)
        yield "j", T("Item HS Quantity Unit of Measure"), (item.quantity.unit,)
        yield "k", T("Item Country of Origin"), (item.origin,)
        yield "n", T("Serial Number of Item"), (item.sequence,)


@rule(
    code="AC001",
    name="mandatory-item-missing",
    severity=ERROR,
    doctypes=ACDD,
    basis=BASIS_ITEMS + ", items (a)-(d), (g)-(o)",
)
def mandatory_item_missing(doc: AcddDeclaration, ctx: Context) -> Iterator[Problem]:
    """A mandatory ACDD item is absent or blank.

    Each of the 13 unconditional items is reported once, named after the business item
    (items (e) and (f), the declaring agent, are conditional: see AC002). Item (d), the
    consignee address, needs a street line or a city. A declaration without any goods item
    is one finding for the item-level items (h)-(k) and (n).

    Fails: ``<acdd:Consignee><acdd:Name> </acdd:Name><!-- ... --></acdd:Consignee>`` (item (c)
    blank)
    Passes: ``<acdd:Consignee><acdd:Name>Siam Rice Co.</acdd:Name><!-- ... --></acdd:Consignee>``
    """
    for letter, item, locs in _item_list(doc):
        if all(loc.blank and not loc.schema_error for loc in locs):
            yield problem(
                "ACDD item ({letter}) {item} is missing", locs[0], letter=letter, item=item
            )
    if not doc.items:
        # the step is written as the GoodsShipment's (its prefix: an ACDD's, a WCO DM's)
        shipment = doc.goods_shipment.xpath
        prefix = shipment.rsplit("/", 1)[-1].rsplit("GoodsShipment", 1)[0]
        at = Located(
            None,
            f"{shipment}/{prefix}GovernmentAgencyGoodsItem",
            doc.goods_shipment.line,
            present=False,
        )
        yield problem(
            "ACDD items (h)-(k) and (n) are missing: the declaration has no goods item", at
        )


@rule(
    code="AC002",
    name="declarant-incomplete",
    severity=ERROR,
    doctypes=ACDD,
    basis=BASIS_ITEMS + ", items (e) Declaring Agent Identifier and (f) Declaring Agent Name",
)
def declarant_incomplete(doc: AcddDeclaration, ctx: Context) -> Iterator[Problem]:
    """The declaring agent has an identifier without a name, or a name without an identifier.

    Items (e) and (f) are conditional: both when an agent declares, neither otherwise.

    Fails: ``<acdd:Declarant><acdd:ID>0312687878</acdd:ID></acdd:Declarant>`` (no name)
    Passes: ``<acdd:Declarant><acdd:Name>Saigon Brokers</acdd:Name><acdd:ID>0312687878</acdd:ID>
    </acdd:Declarant>``
    """
    d = doc.declarant
    if d.id.schema_error or d.name.schema_error:
        return
    if not d.id.blank and d.name.blank:
        yield problem(
            "ACDD item (f) Declaring Agent Name is missing although item (e) agent ID is given",
            d.name,
            expected="both agent ID and name, or neither",
        )
    elif d.id.blank and not d.name.blank:
        yield problem(
            "ACDD item (e) Declaring Agent Identifier is missing although item (f) agent name"
            " is given",
            d.id,
            expected="both agent ID and name, or neither",
        )


@rule(
    code="AC003",
    name="same-export-import-country",
    severity=ERROR,
    doctypes=ACDD,
    basis="ACDD exchange between two ASEAN Member States (ASW Agreement 2005; ACDD MIG v1.08)",
)
def same_export_import_country(doc: AcddDeclaration, ctx: Context) -> Iterator[Problem]:
    """The exporting and importing country are the same.

    The ACDD travels from the exporting member's customs to the importing member's customs.

    Fails: ``<acdd:ExportCountry><acdd:ID>VN</acdd:ID></acdd:ExportCountry><acdd:ImportCountry>
    <acdd:ID>VN</acdd:ID></acdd:ImportCountry>``
    Passes: ``<acdd:ExportCountry><acdd:ID>VN</acdd:ID></acdd:ExportCountry><acdd:ImportCountry>
    <acdd:ID>TH</acdd:ID></acdd:ImportCountry>``
    """
    exp, imp = doc.export_country, doc.import_country
    if exp.usable and imp.usable and exp.text == imp.text:
        yield problem(
            "Exporting and importing country are both {value}; an ACDD crosses a border",
            imp,
            expected="an importing country other than the exporting country",
        )


def _countries_in(doc: AcddDeclaration) -> Iterator[tuple[str, Located]]:
    yield T("exporting country"), doc.export_country
    yield T("importing country"), doc.import_country


@rule(
    code="AC004",
    name="country-not-asw-party",
    severity=ERROR,
    doctypes=ACDD,
    basis="Agreement to Establish and Implement the ASEAN Single Window (Kuala Lumpur, "
    "9 Dec 2005): parties BN, KH, ID, LA, MY, MM, PH, SG, TH, VN",
)
def country_not_asw_party(doc: AcddDeclaration, ctx: Context) -> Iterator[Problem]:
    """The exporting or importing country is not an ASW party on the declaration date.

    Only ASEAN Member States that are parties to the ASW exchange ACDDs. Codes that are not
    ISO 3166-1 at all are AC005's; an ASEAN member outside the ASW (Timor-Leste from its
    admission) is AC017's, an information only. Without a usable declaration date, today's
    membership applies.

    Fails: ``<acdd:ImportCountry><acdd:ID>CN</acdd:ID></acdd:ImportCountry>``;
    ``<acdd:ImportCountry><acdd:ID>TL</acdd:ID></acdd:ImportCountry>`` on a declaration dated
    2025-03-10, before Timor-Leste joined ASEAN
    Passes: ``<acdd:ImportCountry><acdd:ID>KH</acdd:ID></acdd:ImportCountry>``
    """
    for role, loc in common.outside_asean(_countries_in(doc), ctx.effective_date):
        yield problem(
            "The {role} {value} ({name}) is not a party to the ASEAN Single Window",
            loc,
            role=role,
            name=countries.country_name(loc.text),
            expected="one of " + ", ".join(sorted(countries.ASW_PARTIES)),
        )


@rule(
    code="AC005",
    name="country-code-unknown",
    severity=ERROR,
    doctypes=ACDD,
    basis="ISO 3166-1 alpha-2 country codes (WCO Data Model country, coded)",
)
def country_code_unknown(doc: AcddDeclaration, ctx: Context) -> Iterator[Problem]:
    """A country code is not an assigned ISO 3166-1 alpha-2 code.

    Checked for the exporting and importing country, each item's country of origin (item (k))
    and the consignee's address country.

    Fails: ``<acdd:Origin><acdd:CountryCode>UK</acdd:CountryCode></acdd:Origin>``
    Passes: ``<acdd:Origin><acdd:CountryCode>GB</acdd:CountryCode></acdd:Origin>``
    """
    locs = [loc for _, loc in _countries_in(doc)]
    locs.append(doc.consignee.country)
    locs.extend(item.origin for item in doc.items)
    for loc in locs:
        if loc.usable and not countries.is_iso_country(loc.text):
            yield problem(
                "Country code {value!r} is not an ISO 3166-1 alpha-2 code",
                loc,
                expected="an assigned ISO 3166-1 alpha-2 code",
            )


@rule(
    code="AC006",
    name="departure-date-implausible",
    severity=WARNING,
    doctypes=ACDD,
    basis="ACDD item (g) Departure Date; plausibility window is asw-validator's own "
    "(options before_days, after_days)",
)
def departure_date_implausible(doc: AcddDeclaration, ctx: Context) -> Iterator[Problem]:
    """The departure date lies far from the declaration's issue date.

    An export declaration is lodged around the goods' departure; a departure more than
    ``before_days`` (30) before or ``after_days`` (90) after the issue date is most likely a
    typing error in the year or month.

    Fails (warning): ``<acdd:IssueDateTime>2025-03-01</acdd:IssueDateTime>`` with
    ``<acdd:Consignment><acdd:DepartureDateTime>2024-03-05</acdd:DepartureDateTime>
    </acdd:Consignment>``
    Passes: ``<acdd:IssueDateTime>2025-03-01</acdd:IssueDateTime>`` with
    ``<acdd:Consignment><acdd:DepartureDateTime>2025-03-05</acdd:DepartureDateTime>
    </acdd:Consignment>``
    """
    issued, departed = as_date(doc.issue_date), as_date(doc.departure_date)
    if issued is None or departed is None:
        return
    before = int(ctx.option("AC006", "before_days", 30))
    after = int(ctx.option("AC006", "after_days", 90))
    delta = (departed - issued).days
    if delta < -before or delta > after:
        yield problem(
            "Departure date {value} is {days} days {direction} the declaration date {issued}",
            doc.departure_date,
            days=abs(delta),
            direction=T("before") if delta < 0 else T("after"),
            issued=issued,
            expected=f"between {before} days before and {after} days after {issued}",
        )


_HS_DIGITS = re.compile(r"^[0-9]{6,8}$")  # ASCII: \d would accept full-width digits
#: A national tariff line beyond the AHTN: 9 to 12 digits (MY 10, VNACCS's field 12).
_NATIONAL_LINE = re.compile(r"^[0-9]{9,12}$")


@rule(
    code="AC007",
    name="hs-code-malformed",
    severity=ERROR,
    doctypes=ACDD,
    basis=BASIS_ITEMS + ", item (h) Item HS Code: an HS subheading (6 digits), the AHTN line "
    "(8) or the national tariff line of the export declaration (up to 12)",
)
def hs_code_malformed(doc: AcddDeclaration, ctx: Context) -> Iterator[Problem]:
    """The HS code is not a tariff code: not 6 to 12 digits once dots and a quota suffix are
    removed.

    ``0101.21.00`` and ``0103.91.00A`` are valid spellings of 8-digit AHTN codes; a national
    line of 9 to 12 digits (Malaysia's 10) is AC022's warning, not this error.

    Fails: ``<acdd:Classification><acdd:ID>0101.2</acdd:ID></acdd:Classification>`` (5 digits);
    ``<acdd:Classification><acdd:ID>rice</acdd:ID></acdd:Classification>``
    Passes: ``<acdd:Classification><acdd:ID>1006.30.30</acdd:ID></acdd:Classification>``;
    ``<acdd:Classification><acdd:ID>1006301000</acdd:ID></acdd:Classification>`` (AC022 warns)
    """
    for item in doc.items:
        loc = item.hs_code
        code = hs.normalise(loc.text) if loc.usable else ""
        if loc.usable and not (_HS_DIGITS.match(code) or _NATIONAL_LINE.match(code)):
            yield problem(
                "HS code {value!r} is not a tariff code of 6 to 12 digits (after removing dots"
                " and a quota suffix)",
                loc,
                expected="6 to 8 digits, e.g. 1006.30.30 (a national line may have up to 12)",
            )


@rule(
    code="AC008",
    name="hs-subheading-unknown",
    severity=WARNING,
    doctypes=ACDD,
    basis=common.BASIS_HS_EDITION + "; the ACDD carries the exporting member's declaration code",
    effective_from=hs.HS2022_FROM,
)
def hs_subheading_unknown(doc: AcddDeclaration, ctx: Context) -> Iterator[Problem]:
    """The first 6 digits of the HS code are not a subheading of the edition in force.

    The ACDD carries the code of the exporting member's declaration, so the edition is the
    one the exporting member applied on the declaration date: AHTN 2022 from its own
    switch-over day; before it (AHTN 2017) and for members whose day is unknown nothing is
    checked. From 2028-01-01 HS 2028 applies, of which no list is available: a code outside
    HS 2022 is then only an info.

    Fails (warning): ``<acdd:Classification><acdd:ID>10063099</acdd:ID></acdd:Classification>``
    on a 2025 declaration from VN (1006.39 does not exist in HS 2022)
    Passes: the same code on a VN declaration of 2022-06-01 (VN applied AHTN 2022 at the end
    of 2022); ``<acdd:Classification><acdd:ID>10063030</acdd:ID></acdd:Classification>`` in 2025
    """
    for item in doc.items:
        loc = item.hs_code
        code = hs.normalise(loc.text)
        if loc.usable and (_HS_DIGITS.match(code) or _NATIONAL_LINE.match(code)) and len(code) > 5:
            found = common.hs_edition_problem(loc, code, ctx.export_country, ctx.effective_date)
            if found is not None:
                yield found


def _measures(doc: AcddDeclaration) -> Iterator[tuple[str, Measure]]:
    yield T("total gross mass"), doc.total_gross_mass
    yield T("total net mass"), doc.total_net_mass
    for item in doc.items:
        yield T("tariff quantity"), item.quantity
        yield T("gross mass"), item.gross_mass
        yield T("net mass"), item.net_mass


@rule(
    code="AC009",
    name="quantity-not-positive",
    severity=ERROR,
    doctypes=ACDD,
    basis=BASIS_ITEMS + ", item (i) Item HS Quantity (decimal > 0); WCO measures",
)
def quantity_not_positive(doc: AcddDeclaration, ctx: Context) -> Iterator[Problem]:
    """A quantity or weight is zero or negative.

    Fails: ``<acdd:TariffQuantity unitCode="KGM">0</acdd:TariffQuantity>``
    Passes: ``<acdd:TariffQuantity unitCode="KGM">25000</acdd:TariffQuantity>``
    """
    for what, m in _measures(doc):
        value = as_decimal(m.amount)
        if value is not None and value <= 0:
            yield problem(
                "The {what} {value} is not greater than zero",
                m.amount,
                what=what,
                expected="a number > 0",
            )


BASIS_REC20 = "UN/ECE Recommendation 20, codes for units of measure (rev. 17, 2021)"


@rule(
    code="AC010",
    name="unit-code-unknown",
    severity=ERROR,
    doctypes=ACDD,
    basis=BASIS_REC20 + "; ACDD item (j) Item HS Quantity UOM",
)
def unit_code_unknown(doc: AcddDeclaration, ctx: Context) -> Iterator[Problem]:
    """A ``unitCode`` is not a UN/ECE Recommendation 20 code, or a weight has no unit.

    (A tariff quantity without unit is ACDD item (j) missing: AC001.)

    Fails: ``<acdd:TariffQuantity unitCode="PCS">12000</acdd:TariffQuantity>`` (not Rec 20; "piece"
    is H87, "one" C62); ``<acdd:GrossMassMeasure>20320</acdd:GrossMassMeasure>``
    Passes: ``<acdd:TariffQuantity unitCode="KGM">20000</acdd:TariffQuantity>``
    """
    for what, m in _measures(doc):
        if m.amount.usable and not m.unit.present and what != "tariff quantity":
            yield problem(
                "The {what} {value} has no unitCode",
                m.amount,
                what=what,
                expected="a UN/ECE Rec 20 unit, e.g. KGM",
            )
        elif m.unit.usable and units.unit(m.unit.text) is None:
            yield problem(
                "Unit {value!r} of the {what} is not a UN/ECE Recommendation 20 code",
                m.unit,
                what=what,
                expected="a UN/ECE Rec 20 common code, e.g. KGM, TNE, C62",
            )


@rule(
    code="AC011",
    name="unit-code-deleted",
    severity=WARNING,
    doctypes=ACDD,
    basis=BASIS_REC20 + " (status X: deleted)",
)
def unit_code_deleted(doc: AcddDeclaration, ctx: Context) -> Iterator[Problem]:
    """A ``unitCode`` is a Recommendation 20 code that has been deleted.

    Fails (warning): ``<acdd:TariffQuantity unitCode="KG">20000</acdd:TariffQuantity>`` (deleted
    code for "keg", not kilogram)
    Passes: ``<acdd:TariffQuantity unitCode="C62">12000</acdd:TariffQuantity>``
    """
    for what, m in _measures(doc):
        u = units.unit(m.unit.text) if m.unit.usable else None
        if u is not None and u.deleted:
            yield problem(
                "Unit {value!r} ({name}) of the {what} was deleted from UN/ECE Recommendation 20",
                m.unit,
                what=what,
                name=u.name,
                expected="a current UN/ECE Rec 20 code",
            )


@rule(
    code="AC012",
    name="transport-mode-unknown",
    severity=ERROR,
    doctypes=ACDD,
    basis=BASIS_ITEMS + ", item (l) Outward Transport Mode; UN/ECE Recommendation 19",
)
def transport_mode_unknown(doc: AcddDeclaration, ctx: Context) -> Iterator[Problem]:
    """The outward transport mode is not a UN/ECE Recommendation 19 code (0-9).

    Fails: ``<acdd:BorderTransportMeans><acdd:ModeCode>11</acdd:ModeCode>
    </acdd:BorderTransportMeans>``
    Passes: ``<acdd:BorderTransportMeans><acdd:ModeCode>1</acdd:ModeCode>
    </acdd:BorderTransportMeans>`` (maritime)
    """
    loc = doc.transport_mode
    if loc.usable and loc.text not in units.REC19_TRANSPORT_MODES:
        yield problem(
            "Transport mode {value!r} is not a UN/ECE Recommendation 19 code",
            loc,
            expected="one digit 0-9 (1 maritime, 2 rail, 3 road, 4 air, ...)",
        )


_LOCODE = locodes.LOCODE
BASIS_LOCODE = (
    "UN/ECE Recommendation 16 (UN/LOCODE): 2-letter ISO country + 3 characters; the place codes "
    "of this ACDD profile are UN/LOCODEs (a WCO DM place may add a user code, an..17)"
)


@rule(
    code="AC013",
    name="locode-malformed",
    severity=ERROR,
    doctypes=ACDD,
    basis=BASIS_LOCODE + "; ACDD item (m) Port of Discharge",
)
def locode_malformed(doc: AcddDeclaration, ctx: Context) -> Iterator[Problem]:
    """A place code is not a well-formed UN/LOCODE.

    Checked for the port of discharge (item (m)) and the place of loading when given.

    Fails: ``<acdd:UnloadingLocation><acdd:ID>BANGKOK</acdd:ID></acdd:UnloadingLocation>``,
    ``<acdd:UnloadingLocation><acdd:ID>XXBKK</acdd:ID></acdd:UnloadingLocation>`` (no such country)
    Passes: ``<acdd:UnloadingLocation><acdd:ID>THBKK</acdd:ID></acdd:UnloadingLocation>``
    """
    for loc in (doc.unloading_location, doc.loading_location):
        if not loc.usable:
            continue
        m = _LOCODE.match(loc.text)
        if m is None or not countries.is_iso_country(m.group(1)):
            yield problem(
                "Place code {value!r} is not a well-formed UN/LOCODE",
                loc,
                expected="ISO country code + 3 letters or digits 2-9, e.g. THLCH",
            )


@rule(
    code="AC014",
    name="discharge-port-outside-import-country",
    severity=WARNING,
    doctypes=ACDD,
    basis=BASIS_ITEMS + ", item (m) Port of Discharge; landlocked Lao PDR imports through "
    "ports of TH or VN, hence a warning",
)
def discharge_port_outside_import_country(doc: AcddDeclaration, ctx: Context) -> Iterator[Problem]:
    """The port of discharge lies outside the importing country.

    Usually a wrong code, but not always: goods for Lao PDR are discharged at Laem Chabang
    (THLCH) or Da Nang (VNDAD), so this is a warning.

    Fails (warning): ``<acdd:ImportCountry><acdd:ID>TH</acdd:ID></acdd:ImportCountry>`` with
    ``<acdd:UnloadingLocation><acdd:ID>VNSGN</acdd:ID></acdd:UnloadingLocation>``
    Passes: ``<acdd:ImportCountry><acdd:ID>TH</acdd:ID></acdd:ImportCountry>`` with
    ``<acdd:UnloadingLocation><acdd:ID>THLCH</acdd:ID></acdd:UnloadingLocation>``
    """
    loc, imp = doc.unloading_location, doc.import_country
    if not (loc.usable and imp.usable):
        return
    m = _LOCODE.match(loc.text)
    if m and countries.is_iso_country(m.group(1)) and m.group(1) != imp.text:
        yield problem(
            "Port of discharge {value} is in {port_country}, not in the importing country {imp}",
            loc,
            port_country=m.group(1),
            imp=imp.text,
            expected=f"a UN/LOCODE starting with {imp.text}",
        )


@rule(
    code="AC015",
    name="item-sequence-broken",
    severity=ERROR,
    doctypes=ACDD,
    basis=BASIS_ITEMS + ", item (n) Serial Number of Item, which identifies the item (unique); "
    "WCO 006. Numbering 1..n without gaps is this validator's expectation, not a source's: a "
    "gap or a number out of range is a warning (a declaration whose item was deleted keeps "
    "the others' numbers)",
)
def item_sequence_broken(doc: AcddDeclaration, ctx: Context) -> Iterator[Problem]:
    """Item serial numbers are not exactly 1..n: a duplicate (an error: two items share one
    number) or a gap or a number out of range (a warning).

    Fails: three goods items numbered ``<acdd:SequenceNumeric>1</acdd:SequenceNumeric>``,
    ``<acdd:SequenceNumeric>2</acdd:SequenceNumeric>`` and
    ``<acdd:SequenceNumeric>2</acdd:SequenceNumeric>``; a warning for two numbered 1 and
    ``<acdd:SequenceNumeric>3</acdd:SequenceNumeric>`` (a gap)
    Passes: two items numbered ``<acdd:SequenceNumeric>2</acdd:SequenceNumeric>`` and
    ``<acdd:SequenceNumeric>1</acdd:SequenceNumeric>`` (in any order)
    """
    n = len(doc.items)
    seen: set[int] = set()
    for item in doc.items:
        loc = item.sequence
        number = as_int(loc)
        if number is None:
            continue
        if number in seen:
            yield problem(
                "Item serial number {value} is used twice", loc, expected=f"unique 1..{n}"
            )
        elif not 1 <= number <= n:
            yield problem(
                "Item serial number {value} is outside 1..{n} ({n} items: a gap in the numbering)",
                loc,
                n=n,
                expected=f"1..{n}",
                severity=WARNING,
            )
        seen.add(number)


@rule(
    code="AC016",
    name="currency-code-unknown",
    severity=ERROR,
    doctypes=ACDD,
    basis="ISO 4217 currency codes (WCO 135 currency, coded)",
)
def currency_code_unknown(doc: AcddDeclaration, ctx: Context) -> Iterator[Problem]:
    """The invoice currency is not an ISO 4217 code.

    Fails: ``<acdd:InvoiceAmount currencyID="BAT">14250.00</acdd:InvoiceAmount>``
    Passes: ``<acdd:InvoiceAmount currencyID="THB">14250.00</acdd:InvoiceAmount>``
    """
    loc = doc.invoice_currency
    if loc.usable and not countries.is_iso_currency(loc.text):
        yield problem(
            "Currency {value!r} is not an ISO 4217 code", loc, expected="e.g. USD, THB, VND"
        )


@rule(
    code="AC017",
    name="asean-member-outside-asw",
    severity=INFO,
    doctypes=ACDD,
    basis="ASEAN membership by date (Timor-Leste admitted 2025-10-26); no source makes it "
    "an ASW party",
)
def asean_member_outside_asw(doc: AcddDeclaration, ctx: Context) -> Iterator[Problem]:
    """The exporting or importing country is an ASEAN member that is not an ASW party.

    Timor-Leste joined ASEAN on 2025-10-26 but no source shows it exchanging through the ASW:
    the message cannot travel the ASW route yet, which is worth knowing but not an error.
    Before its admission it is an ordinary non-party (AC004).

    Fails (info): ``<acdd:ImportCountry><acdd:ID>TL</acdd:ID></acdd:ImportCountry>`` on a 2026
    declaration
    Passes: ``<acdd:ImportCountry><acdd:ID>TH</acdd:ID></acdd:ImportCountry>``
    """
    for role, loc, since in common.asean_outside_asw(_countries_in(doc), ctx.effective_date):
        yield problem(
            "The {role} {value} is an ASEAN member (since {since}) but not an ASW party:"
            " the ACDD cannot travel the ASW route",
            loc,
            role=role,
            since=since,
        )


@rule(
    code="AC018",
    name="date-out-of-range",
    severity=ERROR,
    doctypes=ACDD,
    basis="asw-validator: dated rules need a calendar date; XSD dates allow years such as "
    "12025 that no ASW message can carry (years 1900-2099 accepted)",
)
def date_out_of_range(doc: AcddDeclaration, ctx: Context) -> Iterator[Problem]:
    """The issue or departure date has a year outside 1900-2099.

    ``xs:date`` accepts five-digit and negative years; such a date is a typing error, and it
    would silently switch off every rule that depends on the document's date.

    Fails: ``<acdd:IssueDateTime>12025-03-10</acdd:IssueDateTime>``
    Passes: ``<acdd:IssueDateTime>2025-03-10</acdd:IssueDateTime>``
    """
    dates = ((T("issue date"), doc.issue_date), (T("departure date"), doc.departure_date))
    for what, loc in common.unusable_dates(dates):
        yield problem(
            "The {what} {value} is not a usable date: its year is outside {first}-{last},"
            " so no rule that depends on it is applied",
            loc,
            what=what,
            first=common.FIRST_YEAR,
            last=common.LAST_YEAR,
            expected=common.DATE_RANGE,
        )


#: Tags for ``rules --country``: the place rules read every Mekong member's codes.
MEKONG = countries.MEKONG
BASIS_LOCODE_LIST = (
    "UN/LOCODE (UN/ECE Recommendation 16), entries of the ASEAN countries as published by "
    "UN/CEFACT (vocab-locode, 2024-12)"
)


def _places(doc: AcddDeclaration) -> Iterator[tuple[str, Located]]:
    yield T("place of loading"), doc.loading_location
    yield T("port of discharge"), doc.unloading_location


def _vnaccs_placeholder(doc: AcddDeclaration, what: str, code: str) -> bool:
    """VNACCS takes "country code + ZZZ" as the place of loading when no LOCODE exists."""
    return what == "place of loading" and doc.export_country.text == "VN" and code[2:] == "ZZZ"


@rule(
    code="AC019",
    name="locode-not-listed",
    severity=WARNING,
    doctypes=ACDD,
    countries=MEKONG,
    basis=BASIS_LOCODE_LIST + "; a code may be newer than this list, hence a warning. "
    "VNACCS accepts <CC>ZZZ as the place of loading where no LOCODE exists (VNACCS EDA/IDA "
    "field PSC)",
)
def locode_not_listed(doc: AcddDeclaration, ctx: Context) -> Iterator[Problem]:
    """A well-formed UN/LOCODE of an ASEAN country is not in the UN/LOCODE list.

    Checked for the place of loading and the port of discharge. Codes of other countries are
    not checked (the list holds the ASEAN countries only); malformed codes are AC013's. On a
    declaration from Viet Nam, ``<CC>ZZZ`` is accepted as the place of loading.

    Fails (warning): ``<acdd:UnloadingLocation><acdd:ID>THLCX</acdd:ID></acdd:UnloadingLocation>``
    (no such place in Thailand)
    Passes: ``<acdd:UnloadingLocation><acdd:ID>THLCH</acdd:ID></acdd:UnloadingLocation>``;
    ``<acdd:LoadingLocation><acdd:ID>VNZZZ</acdd:ID></acdd:LoadingLocation>`` on an export from VN
    """
    for what, loc in _places(doc):
        m = _LOCODE.match(loc.text) if loc.usable else None
        if m is None or not locodes.covers(m.group(1)) or locodes.get(loc.text):
            continue
        if _vnaccs_placeholder(doc, what, loc.text):
            continue
        yield problem(
            "The {what} {value!r} is not in the UN/LOCODE list of {country}",
            loc,
            what=what,
            country=countries.country_name(m.group(1)) or m.group(1),
            expected=f"a listed UN/LOCODE of {m.group(1)}",
        )


#: Location functions that can receive goods carried by each UN/ECE Rec 19 transport mode:
#: the mode's own (1 port, 2 rail, 3 road, 4 airport, 5 postal, 7 fixed installation), an
#: inland clearance depot (6), and border crossings (B) for land modes. Inland water (8)
#: uses river ports (1). Modes 0 and 9 say nothing.
MODE_FUNCTIONS = {
    "1": "16",
    "2": "26B",
    "3": "36B",
    "4": "46",
    "5": "56",
    "6": "12346B",
    "7": "7",
    "8": "16",
}


@rule(
    code="AC020",
    name="discharge-port-mode-mismatch",
    severity=WARNING,
    doctypes=ACDD,
    countries=MEKONG,
    basis=BASIS_LOCODE_LIST + " (function classifier: 1 port, 2 rail, 3 road, 4 airport, "
    "5 postal, 6 ICD, 7 fixed, B border crossing); UN/ECE Rec 19 transport modes; "
    "functions are often incomplete, hence a warning",
)
def discharge_port_mode_mismatch(doc: AcddDeclaration, ctx: Context) -> Iterator[Problem]:
    """The port of discharge has no function for the declared transport mode.

    E.g. goods by sea (mode 1) discharged at a place that is no port and no ICD. Checked for
    listed ASEAN LOCODEs whose function is known; modes 0 and 9 are not checked.

    Fails (warning): ``<acdd:BorderTransportMeans><acdd:ModeCode>1</acdd:ModeCode>
    </acdd:BorderTransportMeans>`` (maritime) with
    ``<acdd:UnloadingLocation><acdd:ID>THARA</acdd:ID></acdd:UnloadingLocation>`` (Aranyaprathet,
    road only)
    Passes: ``<acdd:ModeCode>3</acdd:ModeCode>`` (road) with ``<acdd:ID>THARA</acdd:ID>``;
    ``<acdd:ModeCode>1</acdd:ModeCode>`` with ``<acdd:ID>THLCH</acdd:ID>``
    """
    loc, mode = doc.unloading_location, doc.transport_mode.text
    place = locodes.get(loc.text) if loc.usable else None
    wanted = MODE_FUNCTIONS.get(mode)
    if place is None or wanted is None or place.functions in ("", "0"):
        return
    if not set(place.functions) & set(wanted):
        yield problem(
            "Port of discharge {value} ({name}) has the UN/LOCODE functions {functions}:"
            " none receives transport mode {mode} ({mode_name})",
            loc,
            name=place.name,
            functions=place.describe_functions(),
            mode=mode,
            mode_name=units.REC19_TRANSPORT_MODES[mode],
            expected=f"a place with function {' or '.join(wanted)} for mode {mode}",
        )


#: First day of live ACDD exchange through the ASW, for members where a source gives one:
#: Cambodia, Myanmar and Singapore on 31 Dec 2020 (domain.md §0 S2 [C]).
ACDD_LIVE = {"KH": dt.date(2020, 12, 31), "MM": dt.date(2020, 12, 31), "SG": dt.date(2020, 12, 31)}


@rule(
    code="AC021",
    name="acdd-exchange-not-live",
    severity=INFO,
    doctypes=ACDD,
    countries=tuple(sorted(ACDD_LIVE)),
    effective_until=max(ACDD_LIVE.values()) - dt.timedelta(days=1),
    basis="ASEAN Secretariat, live operation of the ACDD: exchange live from 31 Dec 2020 "
    "for Cambodia, Myanmar and Singapore",
)
def acdd_exchange_not_live(doc: AcddDeclaration, ctx: Context) -> Iterator[Problem]:
    """The declaration is dated before its exporting or importing member exchanged ACDDs.

    Such a declaration cannot have travelled through the ASW: often a wrong year. Applied
    for the members whose go-live date is known (KH, MM, SG).

    Fails (info): ``<acdd:IssueDateTime>2020-06-15</acdd:IssueDateTime>`` on an export from
    ``<acdd:ExportCountry><acdd:ID>KH</acdd:ID></acdd:ExportCountry>``
    Passes: ``<acdd:IssueDateTime>2021-01-04</acdd:IssueDateTime>`` on the same export
    """
    when = ctx.effective_date
    places = ((T("exporting"), doc.export_country), (T("importing"), doc.import_country))
    for what, loc, live in common.before_going_live(places, when, ACDD_LIVE):
        yield problem(
            "The declaration is dated {date}, before the {what} country {value}"
            " exchanged ACDDs through the ASW (from {live})",
            doc.issue_date,
            value=loc.text,
            date=when,
            what=what,
            live=live,
            expected=f"a date from {live.isoformat()}",
        )


# ----- declaration sanity (issue: checks a customs officer expects) -----


@rule(
    code="AC022",
    name="hs-code-beyond-ahtn",
    severity=WARNING,
    doctypes=ACDD,
    basis=BASIS_ITEMS + ", item (h); national tariff lines extend the 8-digit AHTN (domain.md "
    "§8.5: e.g. Malaysia's 10 digits = AHTN 8 + 2 national): not an error, but the "
    "importing customs reads the first 8",
)
def hs_code_beyond_ahtn(doc: AcddDeclaration, ctx: Context) -> Iterator[Problem]:
    """The HS code is a national tariff line of 9 to 12 digits, beyond the 8-digit AHTN.

    The ACDD carries the export declaration's code, which may be a national line; the
    importing customs can use only its AHTN part.

    Fails (warning): ``<acdd:ID>1006301000</acdd:ID>`` (a 10-digit Malaysian line)
    Passes: ``<acdd:ID>1006.30.30</acdd:ID>``
    """
    for item in doc.items:
        loc = item.hs_code
        code = hs.normalise(loc.text) if loc.usable else ""
        if _NATIONAL_LINE.match(code):
            yield problem(
                "HS code {value!r} has {n} digits, a national tariff line beyond the 8-digit"
                " AHTN code ({ahtn})",
                loc,
                n=len(code),
                ahtn=code[:8],
                expected="the 8-digit AHTN line, e.g. " + code[:8],
            )


def _kg(measure: Measure) -> Decimal | None:
    """A mass in kilograms (None: no amount, not above zero, or a unit that is no mass)."""
    amount = as_decimal(measure.amount)
    factor = units.kilograms(measure.unit.text) if measure.unit.usable else None
    if amount is None or factor is None or amount <= 0:  # zero or less is AC009's
        return None
    return amount * factor


def _mass_pairs(doc: AcddDeclaration) -> Iterator[tuple[str, Measure, Measure]]:
    yield T("total"), doc.total_gross_mass, doc.total_net_mass
    for item in doc.items:
        yield T("item {n}", n=item.sequence.text or "?"), item.gross_mass, item.net_mass


BASIS_MASSES = (
    "WCO Data Model: gross mass (131, 126) includes packaging, net mass excludes it, and a "
    "declaration's totals are those of its goods items; UN/ECE Rec 20 conversion factors"
)


@rule(
    code="AC023",
    name="gross-mass-below-net",
    severity=ERROR,
    doctypes=ACDD,
    countries=MEKONG,
    basis=BASIS_MASSES + ": a gross mass below its net mass is impossible",
)
def gross_mass_below_net(doc: AcddDeclaration, ctx: Context) -> Iterator[Problem]:
    """A gross mass is below its net mass (the totals, or one item), compared in kilograms.

    Fails: ``<acdd:TotalGrossMassMeasure unitCode="KGM">24000</acdd:TotalGrossMassMeasure>
    <acdd:TotalNetMassMeasure unitCode="KGM">25000</acdd:TotalNetMassMeasure>``
    Passes: ``<acdd:TotalGrossMassMeasure unitCode="TNE">25.4</acdd:TotalGrossMassMeasure>
    <acdd:TotalNetMassMeasure unitCode="KGM">25000</acdd:TotalNetMassMeasure>``
    """
    for what, gross, net in _mass_pairs(doc):
        g, n = _kg(gross), _kg(net)
        if g is not None and n is not None and g < n:
            yield problem(
                "The {what} gross mass {value} {unit} is less than the net mass {net} {net_unit}",
                gross.amount,
                what=what,
                unit=gross.unit.text,
                net=net.amount.text,
                net_unit=net.unit.text,
                expected="a gross mass at least the net mass",
            )


@rule(
    code="AC024",
    name="item-masses-contradict-total",
    severity=ERROR,
    doctypes=ACDD,
    countries=MEKONG,
    basis=BASIS_MASSES + "; the tolerance (option tolerance_percent, default 1) allows for "
    "rounding. Thai e-Customs requires exact equality (e-Import manual): tolerance 0",
)
def item_masses_contradict_total(doc: AcddDeclaration, ctx: Context) -> Iterator[Problem]:
    """The items' gross or net masses add up to more or less than the declared total, beyond
    a tolerance (1% of the total by default; option ``tolerance_percent``).

    Compared in kilograms; checked only when the total and every item's mass are given in
    mass units.

    Fails: ``<acdd:TotalNetMassMeasure unitCode="KGM">61000</acdd:TotalNetMassMeasure>``, items
    ``<acdd:NetNetWeightMeasure unitCode="KGM">30000</acdd:NetNetWeightMeasure>`` and
    ``<acdd:NetNetWeightMeasure unitCode="KGM">29500</acdd:NetNetWeightMeasure>`` (2.5% off)
    Passes: ``<acdd:TotalNetMassMeasure unitCode="TNE">60.5</acdd:TotalNetMassMeasure>``, items
    ``<acdd:NetNetWeightMeasure unitCode="KGM">30000</acdd:NetNetWeightMeasure>`` and
    ``<acdd:NetNetWeightMeasure unitCode="KGM">30500</acdd:NetNetWeightMeasure>``
    """
    tolerance = Decimal(str(ctx.option("AC024", "tolerance_percent", 1))) / 100
    for what, total, masses in (
        (T("gross"), doc.total_gross_mass, [_kg(item.gross_mass) for item in doc.items]),
        (T("net"), doc.total_net_mass, [_kg(item.net_mass) for item in doc.items]),
    ):
        declared = _kg(total)
        if declared is None or not masses or any(m is None for m in masses):
            continue
        summed = sum((m for m in masses if m is not None), Decimal(0))
        if abs(summed - declared) > tolerance * declared:
            yield problem(
                "The total {what} mass {value} {unit} is {declared} kg; the items' {what}"
                " masses add up to {summed} kg",
                total.amount,
                what=what,
                unit=total.unit.text,
                declared=common.decimal(declared.normalize()),
                summed=common.decimal(summed.normalize()),
                expected=f"{summed.normalize():f} kg, within {tolerance * 100:f}%",
            )


@rule(
    code="AC025",
    name="invoice-amount-not-positive",
    severity=ERROR,
    doctypes=ACDD,
    basis="WCO Data Model 109 (total invoice amount): the amount invoiced for the goods, never "
    "negative; zero is a warning (goods without commercial value, e.g. Thai nature of "
    "transaction 21, may be invoiced at zero; the invoice amount is not one of the 15 items)",
)
def invoice_amount_not_positive(doc: AcddDeclaration, ctx: Context) -> Iterator[Problem]:
    """The invoice amount is negative (an error) or zero (a warning).

    Fails: ``<acdd:InvoiceAmount currencyID="USD">-14250.00</acdd:InvoiceAmount>``; a warning
    for ``<acdd:InvoiceAmount currencyID="USD">0</acdd:InvoiceAmount>``
    Passes: ``<acdd:InvoiceAmount currencyID="USD">14250.00</acdd:InvoiceAmount>``
    """
    value = as_decimal(doc.invoice_amount)
    if value is not None and value <= 0:
        yield problem(
            "The invoice amount {value} is not greater than zero",
            doc.invoice_amount,
            expected="an amount > 0",
            severity=WARNING if value == 0 else None,
        )


@rule(
    code="AC026",
    name="mass-unit-not-a-mass",
    severity=ERROR,
    doctypes=ACDD,
    basis=BASIS_REC20 + ": the conversion factor of the unit is not a mass (derived list, "
    "tools/derive_rec20_mass.py)",
)
def mass_unit_not_a_mass(doc: AcddDeclaration, ctx: Context) -> Iterator[Problem]:
    """A gross or net mass is measured in a unit of another quantity (length, volume, ...).

    Units whose quantity Recommendation 20 does not state (``58`` net kilogram) are not
    judged; codes that are not Rec 20 at all are AC010's.

    Fails: ``<acdd:GrossMassMeasure unitCode="MTR">20320</acdd:GrossMassMeasure>``
    Passes: ``<acdd:GrossMassMeasure unitCode="KGM">20320</acdd:GrossMassMeasure>``; unitCode
    TNE or LBR as well
    """
    for what, gross, net in _mass_pairs(doc):
        for kind, measure in ((T("gross mass"), gross), (T("net mass"), net)):
            unit = measure.unit
            if unit.usable and units.is_not_mass(unit.text):
                known = units.unit(unit.text)
                yield problem(
                    "The {what} {kind} is measured in {value!r} ({name}), which is not a unit"
                    " of mass",
                    unit,
                    what=what,
                    kind=kind,
                    name=known.name if known else unit.text,
                    expected="a unit of mass, e.g. KGM, TNE",
                )


@rule(
    code="AC027",
    name="declaration-dated-in-future",
    severity=WARNING,
    doctypes=ACDD,
    basis="ACDD: the export declaration is lodged before the ACDD is sent; a date after today "
    "is most likely a typing error (a clock skew of a day is possible, hence a warning)",
)
def declaration_dated_in_future(doc: AcddDeclaration, ctx: Context) -> Iterator[Problem]:
    """The declaration is dated after today.

    Fails (warning): ``<acdd:IssueDateTime>2099-03-10</acdd:IssueDateTime>``
    Passes: ``<acdd:IssueDateTime>2025-03-10</acdd:IssueDateTime>``
    """
    issued = ctx.effective_date
    if issued is not None and issued > ctx.today:
        yield problem(
            "The declaration is dated {date}, after today ({today})",
            doc.issue_date,
            date=issued,
            today=Day.of(ctx.today),
            expected=f"on or before {ctx.today.isoformat()}",
        )


@rule(
    code="AC028",
    name="departure-far-in-future",
    severity=WARNING,
    doctypes=ACDD,
    basis="ACDD item (g) Departure Date: pre-departure declarations are normal, a departure "
    "more than days_ahead (30) days after today is most likely a typing error",
)
def departure_far_in_future(doc: AcddDeclaration, ctx: Context) -> Iterator[Problem]:
    """The departure date is more than 30 days after today (option ``days_ahead``).

    Fails (warning): ``<acdd:DepartureDateTime>2027-03-12</acdd:DepartureDateTime>`` with
    today 2026-11-23
    Passes: ``<acdd:DepartureDateTime>2026-12-10</acdd:DepartureDateTime>`` (a pre-departure
    declaration)
    """
    departed = as_date(doc.departure_date)
    ahead = int(ctx.option("AC028", "days_ahead", 30))
    if departed is not None and (departed - ctx.today).days > ahead:
        yield problem(
            "The departure date {value} is {days} days after today ({today})",
            doc.departure_date,
            days=(departed - ctx.today).days,
            today=Day.of(ctx.today),
            expected=f"within {ahead} days of today",
        )


@rule(
    code="AC029",
    name="loading-place-outside-export-country",
    severity=WARNING,
    doctypes=ACDD,
    countries=MEKONG,
    basis=BASIS_LOCODE + "; the place of loading is usually in the exporting country, but "
    "goods from Lao PDR leave through ports of TH or VN, land borders name the neighbour's "
    "post, and re-exports load abroad: hence a warning",
)
def loading_place_outside_export_country(doc: AcddDeclaration, ctx: Context) -> Iterator[Problem]:
    """The place of loading lies outside the exporting country.

    Usually a wrong code, but not always: a landlocked exporter (Lao PDR) loads at a port of
    Thailand or Viet Nam, a land-border post may carry the neighbour's code, and goods
    re-exported from a bonded area abroad load there.

    Fails (warning): ``<acdd:ExportCountry><acdd:ID>VN</acdd:ID></acdd:ExportCountry>`` with
    ``<acdd:LoadingLocation><acdd:ID>THLCH</acdd:ID></acdd:LoadingLocation>``
    Passes: export country VN with
    ``<acdd:LoadingLocation><acdd:ID>VNCLI</acdd:ID></acdd:LoadingLocation>``
    """
    loc, exp = doc.loading_location, doc.export_country
    if not (loc.usable and exp.usable):
        return
    m = _LOCODE.match(loc.text)
    if m and countries.is_iso_country(m.group(1)) and m.group(1) != exp.text:
        yield problem(
            "The place of loading {value} is in {place_country}, not in the exporting country"
            " {exp}",
            loc,
            place_country=m.group(1),
            exp=exp.text,
            expected=f"a UN/LOCODE starting with {exp.text}",
        )


@rule(
    code="AC030",
    name="currency-not-a-currency",
    severity=ERROR,
    doctypes=ACDD,
    basis="ISO 4217: the X-codes XXX (no currency), XTS (testing), XAU/XAG/XPT/XPD (precious "
    "metals), XBA-XBD (bond-market units), XDR, XSU, XUA (units of account) are not currencies "
    "an invoice is in",
)
def currency_not_a_currency(doc: AcddDeclaration, ctx: Context) -> Iterator[Problem]:
    """The invoice currency is an ISO 4217 code that is not a currency (``XXX``, ``XAU``...).

    Fails: ``<acdd:InvoiceAmount currencyID="XXX">...</acdd:InvoiceAmount>``; currencyID XAU
    (gold)
    Passes: ``<acdd:InvoiceAmount currencyID="USD">...</acdd:InvoiceAmount>``
    """
    loc = doc.invoice_currency
    if loc.usable and loc.text in countries.NOT_CURRENCIES:
        yield problem(
            "Currency {value!r} ({what}) is not a currency an invoice can be in",
            loc,
            what=countries.NOT_CURRENCIES[loc.text],
            expected="a currency, e.g. USD, THB, VND",
        )


_RATE = re.compile(r"\bper (second|minute|hour|day|week|month|year|annum|shift)\b")


@rule(
    code="AC031",
    name="tariff-quantity-unit-is-a-rate",
    severity=WARNING,
    doctypes=ACDD,
    basis=BASIS_REC20 + "; ACDD item (j) Item HS Quantity UOM: the quantity of the goods, a "
    "unit the WCO's standard units of quantity are made of (kg, l, m, m2, m3, units, pairs), "
    "never a rate over time (a warning: no source lists the units the ACDD accepts)",
)
def tariff_quantity_unit_is_a_rate(doc: AcddDeclaration, ctx: Context) -> Iterator[Problem]:
    """The tariff quantity is in a rate over time (Rec 20 "... per second/hour/day"), most
    often ``KGS`` (kilogram per second) typed for kilograms.

    Fails (warning): ``<acdd:TariffQuantity unitCode="KGS">19200</acdd:TariffQuantity>``
    Passes: ``<acdd:TariffQuantity unitCode="KGM">19200</acdd:TariffQuantity>``; unitCode KWH
    (kilowatt hour, an energy)
    """
    for item in doc.items:
        unit = item.quantity.unit
        known = units.unit(unit.text) if unit.usable else None
        if known is not None and _RATE.search(known.name):
            yield problem(
                "The tariff quantity of item {seq} is in {value!r} ({name}), a rate over time,"
                " not a quantity of goods",
                unit,
                seq=item.sequence.text or "?",
                name=known.name,
                expected="a unit of quantity, e.g. KGM (kilogram), NAR (number of articles)",
            )
