"""ATIGA e-Form D business rules (``FD`` codes) over ``FormD``.

Facts: domain.md §3 (ATIGA Annex 7 boxes and Overleaf Notes; Annex 8 Operational Certification
Procedures in force from 2020-09-20) and §5.8 (membership, calendar periods, HS by date).
The certificate's issue date (box 12) picks the period of every dated rule, and the finding
names the period it applied.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterator
from decimal import Decimal

from ..binding.base import Located, as_date, as_decimal, as_int
from ..binding.eformd import NAMESPACE, FormD, Item, ticked
from ..context import Context
from ..dates import Period, add_years, period_on
from ..i18n import Day, T
from ..model import Severity
from ..refdata import countries, criteria, hs, units
from ..xpath import step_name
from . import common
from .base import Family, Problem, problem

FAMILY = Family("eformd", "1.2.0")
rule = FAMILY.rule
FD = ("eformd",)
ERROR, WARNING, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO

ANNEX7 = "ATIGA Annex 7 (revised Form D), Overleaf Note"
OCP = "ATIGA Annex 8 OCP Rule"


#: The item's criterion, spelling variants included (FD043 reports those).
_criterion = common.item_criterion


# ----- box 8: origin criterion -----


@rule(
    code="FD001",
    name="origin-criterion-invalid",
    severity=ERROR,
    doctypes=FD,
    basis=f"{ANNEX7} 3 (origin criteria WO, CC/CTH/CTSH, SP, RVC %, combinations, PC x%)",
)
def origin_criterion_invalid(form: FormD, ctx: Context) -> Iterator[Problem]:
    """The box-8 entry is not one of the criteria Overleaf Note 3 allows.

    Allowed: ``WO``, ``CC``, ``CTH``, ``CTSH``, ``SP``, an RVC percentage (``40%`` or
    ``RVC 40%``), the actual combination (``CTSH + 35%``) and ``PC x%`` with x below 40. A
    typing slip that does not change the criterion (``RVC 40``, ``RVC: 45%``) is FD043's
    warning, not this error; a ditto mark is FD019's.

    Fails: ``<fd:OriginCriterion>RVC</fd:OriginCriterion>`` (no percentage);
    ``<fd:OriginCriterion>PC 45%</fd:OriginCriterion>``
    Passes: ``<fd:OriginCriterion>CTSH + 35%</fd:OriginCriterion>``
    """
    for item in form.items:
        loc = item.criterion
        if loc.usable and not _is_ditto(loc.text) and criteria.read(loc.text)[0] is None:
            yield problem(
                "Origin criterion {value!r} of item {n} is not a box-8 entry of Overleaf Note 3",
                loc,
                n=item.number.text or "?",
                expected="WO, CC, CTH, CTSH, SP, 40% / RVC 40%, CTSH + 35%, PC 25% (x < 40)",
            )


@rule(
    code="FD002",
    name="origin-criterion-legacy",
    severity=WARNING,
    doctypes=FD,
    basis=f"{ANNEX7} 3: PE is not on the current overleaf (it is on other FTA forms)",
)
def origin_criterion_legacy(form: FormD, ctx: Context) -> Iterator[Problem]:
    """The box-8 entry is ``PE``, which the current Form D overleaf no longer lists.

    Goods produced entirely from originating materials are entered with the criterion
    actually met (e.g. ``CTH`` or ``RVC 40%``); ``PE`` is accepted as a legacy value.

    Fails (warning): ``<fd:OriginCriterion>PE</fd:OriginCriterion>``
    Passes: ``<fd:OriginCriterion>CTH</fd:OriginCriterion>``
    """
    for item in form.items:
        c = _criterion(item)
        if c is not None and c.legacy:
            yield problem(
                "Origin criterion 'PE' of item {n} is a legacy entry not listed on the current"
                " Form D overleaf",
                item.criterion,
                n=item.number.text or "?",
                expected="the criterion actually met, e.g. CTH or RVC 40%",
            )


# ----- box 9: FOB value, by period -----

#: Cambodia's Ministry of Commerce records the FOB of every item from this day (notice on its
#: automated e-ATIGA Form D, cambodiantr.gov.kh): FOB shown is then no information (FD004).
KH_FOB_EVERY_ITEM_FROM = dt.date(2020, 6, 1)
#: Goods to or from these members kept FOB for every criterion until FOB_KH_MM_UNTIL.
KH_MM = frozenset({"KH", "MM"})
FOB_KH_MM_UNTIL = dt.date(2016, 3, 31)
#: Annex 7 Note 10 (revised Form D): members requiring FOB where RVC is applied.
NOTE10_MEMBERS = frozenset({"KH", "ID", "LA"})
#: VN Official Letter 3622/TCHQ-GSQL (2021-07-16): back-to-back Form D imported into VN from
#: these members need not show FOB even with RVC.
VN_B2B_RELIEF_FROM = frozenset({"BN", "SG", "TH", "PH", "MY", "MM", "VN"})

FOB_PERIODS = (
    # Before the First Protocol: FOB for every criterion. Inferred [I]: findings are warnings.
    Period(T("FOB for every criterion"), None, dt.date(2013, 12, 31)),
    # VN GDC Official Dispatch 139/TCHQ-GSQL (2014-01-07) [C].
    Period(T("FOB only where RVC is applied"), dt.date(2014, 1, 1), dt.date(2020, 9, 19)),
    # Revised OCP (Annex 8) in force 2020-09-20; the revised overleaf taken to apply from then.
    Period(T("revised Form D, Note 10"), dt.date(2020, 9, 20), None),
)


def fob_rule(
    c: criteria.Criterion | None,
    on: dt.date,
    exporter: str | None,
    importer: str | None,
    back_to_back: bool,
) -> tuple[bool | None, str, bool]:
    """(FOB required?, the period and reason applied, inferred?) for one item.

    ``None`` means "cannot tell" (criterion unreadable or a country unknown where it matters).
    """
    period = period_on(FOB_PERIODS, on)
    members = {m for m in (exporter, importer) if m}
    if period is FOB_PERIODS[0]:
        return True, T("{period}, inferred", period=period.label()), True
    if period is FOB_PERIODS[1]:
        if members & KH_MM and on <= FOB_KH_MM_UNTIL:
            return (
                True,
                T(
                    "FOB for every criterion on goods to or from KH or MM ({since} to {until})",
                    since=period.start,
                    until=FOB_KH_MM_UNTIL,
                ),
                False,
            )
        if c is None:
            return None, period.label(), False
        return c.uses_value, period.label(), False
    if back_to_back and importer == "VN" and exporter in VN_B2B_RELIEF_FROM:
        return (
            False,
            T(
                "VN back-to-back relief (Official Letter 3622/TCHQ-GSQL), no FOB needed, within"
                " {period}",
                period=period.label(),
            ),
            False,
        )
    if c is None or exporter is None or importer is None:
        return None, period.label(), False
    note10 = bool(members & NOTE10_MEMBERS)
    return (
        c.uses_value and note10,
        T(
            "{period}: FOB where RVC is applied and KH, ID or LA exports or imports",
            period=period.label(),
        ),
        False,
    )


def _fob_items(form: FormD, ctx: Context) -> Iterator[tuple[Item, bool | None, str, bool]]:
    if ctx.effective_date is None:
        return
    b2b = ticked(form.box13.back_to_back)
    for item in form.items:
        required, why, inferred = fob_rule(
            _criterion(item), ctx.effective_date, ctx.export_country, ctx.import_country, b2b
        )
        yield item, required, why, inferred


BASIS_FOB = (
    f"{ANNEX7} 10 and {OCP} 25 (FOB where RVC is applied, for KH, ID, LA); VN GDC Official"
    " Dispatch 139/TCHQ-GSQL (2014: FOB only with RVC; KH/MM all criteria to 2016-03-31);"
    " VN Official Letter 3622/TCHQ-GSQL (2021, back-to-back)"
)


@rule(
    code="FD003",
    name="fob-missing",
    severity=ERROR,
    doctypes=FD,
    # Tags for `rules --country`: Note 10 names KH, ID and LA; KH and MM needed FOB for every
    # criterion until 2016-03-31. The rule runs on every route.
    countries=("ID", "KH", "LA", "MM"),
    basis=BASIS_FOB,
)
def fob_missing(form: FormD, ctx: Context) -> Iterator[Problem]:
    """An item has no FOB value in box 9 although the period of the issue date requires one.

    Periods by issue date: before 2014 FOB for every criterion (inferred, so a warning);
    2014-01-01 to 2020-09-19 FOB where RVC is applied, and for every criterion on goods to or
    from KH or MM until 2016-03-31; from 2020-09-20 (Note 10) FOB where RVC is applied and
    KH, ID or LA is the exporting or importing member, except a back-to-back certificate
    imported into VN from BN, SG, TH, PH, MY, MM or VN.

    Fails: from LA to VN,
    ``<fd:Certification><fd:IssueDate>2025-03-12</fd:IssueDate></fd:Certification>`` and
    ``<fd:Item><fd:ItemNumber>1</fd:ItemNumber><!-- ... -->
    <fd:OriginCriterion>RVC 45%</fd:OriginCriterion><!-- no FOBValue --></fd:Item>``
    Passes: the same item with ``<fd:FOBValue currencyID="USD">4800</fd:FOBValue>``
    """
    for item, required, why, inferred in _fob_items(form, ctx):
        if required and not item.fob.present:
            yield problem(
                "Item {n} has no FOB value; period applied: {why}",
                item.fob,
                n=item.number.text or "?",
                why=why,
                expected="an FOB value in box 9",
                severity=WARNING if inferred else None,
            )


@rule(
    code="FD004",
    name="fob-not-required",
    severity=INFO,
    doctypes=FD,
    basis=BASIS_FOB,
)
def fob_not_required(form: FormD, ctx: Context) -> Iterator[Problem]:
    """An item shows an FOB value that the period of the issue date does not require.

    Not an error: members may show it, but OCP Rule 25 has FOB appear only where it is
    needed, and traders often want to keep prices off the certificate.

    Not reported on a certificate issued in Cambodia from 2020-06-01: the Ministry of
    Commerce's automated e-ATIGA Form D records the FOB of every item (KH pack, KH004).

    Fails (info): from VN to TH, issued 2025-03-12,
    ``<fd:Item><!-- ... --><fd:OriginCriterion>WO</fd:OriginCriterion><!-- ... -->
    <fd:FOBValue currencyID="USD">4800</fd:FOBValue></fd:Item>``
    Passes: the same item without FOBValue; from VN to KH,
    ``<fd:Item><!-- ... --><fd:OriginCriterion>RVC 45%</fd:OriginCriterion><!-- ... -->
    <fd:FOBValue currencyID="USD">4800</fd:FOBValue></fd:Item>``
    """
    on = ctx.effective_date
    if ctx.issuer_country == "KH" and on is not None and on >= KH_FOB_EVERY_ITEM_FROM:
        return
    for item, required, why, _ in _fob_items(form, ctx):
        if required is False and item.fob.present:
            yield problem(
                "Item {n} shows an FOB value that is not required; period applied: {why}",
                item.fob,
                n=item.number.text or "?",
                why=why,
            )


# ----- OCP 10, 14, 15: dates and values -----

RETRO_DAYS = 3


def _issued(form: FormD, ctx: Context) -> dt.date | None:
    """The issue date OCP Rules 10 and 14 count from: for a re-issue (OCP 29(1), endorsed with
    the original's date) that of the original, since it is made after shipment by design and
    is valid only as long as the original. None when unusable or after today (FD024's)."""
    if form.certified_true_copy.present:
        day = as_date(form.original_issue_date)
        if day is not None and ctx.effective_date is not None and day > ctx.effective_date:
            return None  # original dated after its copy: FD031's finding
    else:
        day = ctx.effective_date
    return day if day is not None and day <= ctx.today else None


def _issue_loc(form: FormD) -> Located:
    return form.original_issue_date if form.certified_true_copy.present else form.issue_date


@rule(
    code="FD005",
    name="retroactive-flag-missing",
    severity=ERROR,
    doctypes=FD,
    basis=f"{OCP} 10 (issue at most 3 days after shipment, else 'Issued Retroactively')",
)
def retroactive_flag_missing(form: FormD, ctx: Context) -> Iterator[Problem]:
    """Issued more than 3 days after departure without "Issued Retroactively" ticked in box 13.

    Day 3 after the departure date is still on time; day 4 needs the tick. (Issued more than
    one calendar year after departure is FD006 instead.) A replacement (OCP Rule 29(4), it
    names the certificate it replaces) is late by design when the original was altered after
    shipment; it is not itself issued retroactively when the original was issued in time
    (domain.md §8.6, inferred), so on a replacement this is only a warning.

    Fails: ``<fd:Transport><fd:DepartureDate>2025-03-01</fd:DepartureDate></fd:Transport>`` and
    ``<fd:Certification><fd:IssueDate>2025-03-05</fd:IssueDate></fd:Certification>`` without
    ``<fd:Box13><fd:IssuedRetroactively>true</fd:IssuedRetroactively></fd:Box13>``
    Passes: departure the same,
    ``<fd:Certification><fd:IssueDate>2025-03-04</fd:IssueDate></fd:Certification>``
    """
    flag = form.box13.issued_retroactively
    departed, issued = as_date(form.departure_date), _issued(form, ctx)
    if departed is None or issued is None or ticked(flag) or flag.schema_error:
        return
    days = (issued - departed).days
    if days > RETRO_DAYS and issued <= add_years(departed, 1):
        at = flag if flag.present else Located(None, flag.xpath, _issue_loc(form).line, False)
        replacing = form.replaces.usable
        yield problem(
            (
                "Issued {days} days after the departure date {departed} but box 13 'Issued"
                " Retroactively' is not ticked; it replaces {replaces}: no tick is needed if"
                " that one was issued in time"
                if replacing
                else "Issued {days} days after the departure date {departed} but box 13"
                " 'Issued Retroactively' is not ticked"
            ),
            at,
            days=days,
            departed=departed,
            replaces=form.replaces.text,
            expected="<IssuedRetroactively>true</IssuedRetroactively>",
            severity=WARNING if replacing else None,
        )


@rule(
    code="FD006",
    name="issued-over-a-year-after-shipment",
    severity=ERROR,
    doctypes=FD,
    basis=f"{OCP} 10 (retroactive issue no later than 1 year from the shipment date)",
)
def issued_over_a_year_after_shipment(form: FormD, ctx: Context) -> Iterator[Problem]:
    """Issued later than one calendar year after the departure date.

    One year is a calendar year: from a 2024-02-29 departure the last day is 2025-02-28.

    Fails: ``<fd:Transport><fd:DepartureDate>2024-02-29</fd:DepartureDate></fd:Transport>`` and
    ``<fd:Certification><fd:IssueDate>2025-03-01</fd:IssueDate></fd:Certification>``
    Passes: departure the same,
    ``<fd:Certification><fd:IssueDate>2025-02-28</fd:IssueDate></fd:Certification>`` with
    ``<fd:Box13><fd:IssuedRetroactively>true</fd:IssuedRetroactively></fd:Box13>``
    """
    departed, issued = as_date(form.departure_date), _issued(form, ctx)
    if departed is None or issued is None:
        return
    last = add_years(departed, 1)
    if issued > last:
        yield problem(
            "Issued {value} more than one year after the departure date {departed}"
            " (last possible day {last})",
            _issue_loc(form),
            departed=departed,
            last=last,
            expected=f"an issue date on or before {last.isoformat()}",
        )


@rule(
    code="FD007",
    name="retroactive-flag-unneeded",
    severity=WARNING,
    doctypes=FD,
    basis=f"{OCP} 10 ('Issued Retroactively' is for certificates issued after 3 days)",
)
def retroactive_flag_unneeded(form: FormD, ctx: Context) -> Iterator[Problem]:
    """Box 13 "Issued Retroactively" is ticked but the certificate was issued within 3 days.

    Fails (warning): ``<fd:Transport><fd:DepartureDate>2025-03-01</fd:DepartureDate>
    </fd:Transport>``, ``<fd:Certification><fd:IssueDate>2025-03-04</fd:IssueDate>
    </fd:Certification>`` and
    ``<fd:Box13><fd:IssuedRetroactively>true</fd:IssuedRetroactively></fd:Box13>``
    Passes: the same with
    ``<fd:Certification><fd:IssueDate>2025-03-05</fd:IssueDate></fd:Certification>``
    """
    departed, issued = as_date(form.departure_date), _issued(form, ctx)
    if departed is None or issued is None or not ticked(form.box13.issued_retroactively):
        return
    days = (issued - departed).days
    if days <= RETRO_DAYS:
        yield problem(
            "Box 13 'Issued Retroactively' is ticked but the certificate was issued {days}"
            " day(s) after the departure date {departed}",
            form.box13.issued_retroactively,
            days=days,
            departed=departed,
            expected="no tick when issued at most 3 days after departure",
        )


@rule(
    code="FD008",
    name="certificate-expired",
    severity=ERROR,
    doctypes=FD,
    basis=f"{OCP} 14 (proof of origin valid for 12 months from the date of issuance)",
)
def certificate_expired(form: FormD, ctx: Context) -> Iterator[Problem]:
    """Presented (``--on-date``) later than 12 calendar months after the issue date.

    Checked only when the presentation date is given. A re-issued certificate counts from the
    original's issue date (OCP Rule 29(1)). OCP Rule 14 lets the importing member
    accept a late certificate for force majeure or when the goods were imported in time;
    that is the officer's decision, so the finding stands.

    Fails: ``<fd:Certification><fd:IssueDate>2025-03-12</fd:IssueDate></fd:Certification>``
    presented with --on-date 2027-01-01
    Passes: ``<fd:Certification><fd:IssueDate>2025-03-12</fd:IssueDate></fd:Certification>``
    presented with --on-date 2026-03-12
    """
    issued, on = _issued(form, ctx), ctx.presented_on
    if issued is None or on is None:
        return
    last = common.valid_until(issued)
    if on > last:
        yield problem(
            "Presented on {on}, after the 12 months of validity (issued {value}, valid to {last})",
            _issue_loc(form),
            on=on,
            last=last,
            expected=f"presentation on or before {last.isoformat()}",
        )


LOW_VALUE_USD = Decimal(200)


@rule(
    code="FD009",
    name="low-value-consignment",
    severity=INFO,
    doctypes=FD,
    basis=f"{OCP} 15 (consignments not exceeding US$200 FOB need no proof of origin)",
)
def low_value_consignment(form: FormD, ctx: Context) -> Iterator[Problem]:
    """The total FOB value is US$200 or less: no proof of origin is needed.

    Judged only when every item states its FOB in USD (no exchange rates offline).

    Fails (info): a single item with ``<fd:FOBValue currencyID="USD">180</fd:FOBValue>``
    Passes: ``<fd:FOBValue currencyID="USD">4800</fd:FOBValue>``; or any item without FOBValue
    """
    values = [(as_decimal(i.fob), i.fob_currency.text) for i in form.items]
    if not values or any(v is None or cur != "USD" for v, cur in values):
        return
    total = sum((v for v, _ in values if v is not None), Decimal(0))
    if total <= LOW_VALUE_USD:
        yield problem(
            "Total FOB value USD {total} does not exceed USD 200: the consignment needs no"
            " proof of origin",
            form.items[0].fob,
            total=common.decimal(total),
        )


# ----- box 13 flags and their data -----


@rule(
    code="FD010",
    name="third-country-invoicing-incomplete",
    severity=ERROR,
    doctypes=FD,
    basis=f"{OCP} 23 and {ANNEX7} 11 (invoicing company's name and country in box 7)",
)
def third_country_invoicing_incomplete(form: FormD, ctx: Context) -> Iterator[Problem]:
    """Box 13 "Third Country Invoicing" is ticked; the invoicer's name or country is missing.

    Fails: ``<fd:Box13><fd:ThirdCountryInvoicing>true</fd:ThirdCountryInvoicing></fd:Box13>`` and no
    InvoicingCompany
    Passes: ``<fd:InvoicingCompany><fd:Name>Lion Trading Pte Ltd</fd:Name>
    <fd:CountryCode>SG</fd:CountryCode></fd:InvoicingCompany>``
    """
    flag = form.box13.third_country_invoicing
    if not ticked(flag):
        return
    if not form.invoicing_company.present:
        yield problem(
            "Third Country Invoicing is ticked but no invoicing company is given",
            Located(None, form.invoicing_company.xpath, flag.line, present=False),
            expected="the invoicing company's name and country (box 7)",
        )
        return
    for what, loc in (
        (T("name"), form.invoicing_company_name),
        (T("country"), form.invoicing_company_country),
    ):
        if loc.blank and not loc.schema_error:
            yield problem(
                "Third Country Invoicing is ticked but the invoicing company's {what} is missing",
                loc,
                what=what,
                expected="the invoicing company's name and country (box 7)",
            )


@rule(
    code="FD011",
    name="back-to-back-original-missing",
    severity=ERROR,
    doctypes=FD,
    basis=f"{OCP} 11(1)(f) and {ANNEX7} 12 (original proof of origin reference and date)",
)
def back_to_back_original_missing(form: FormD, ctx: Context) -> Iterator[Problem]:
    """Box 13 "Back-to-Back CO" is ticked; the original proof's reference or date is missing.

    Fails: ``<fd:Box13><fd:BackToBack>true</fd:BackToBack></fd:Box13>`` and no OriginalProofOfOrigin
    Passes: ``<fd:OriginalProofOfOrigin><fd:ReferenceNumber>TH-2025-0000812</fd:ReferenceNumber>
    <fd:IssueDate>2025-02-20</fd:IssueDate></fd:OriginalProofOfOrigin>``
    """
    if not ticked(form.box13.back_to_back):
        return
    if not form.original_proofs:
        at = Located(
            None,
            f"{form.root.xpath}/{step_name(f'{{{NAMESPACE}}}OriginalProofOfOrigin')}",
            form.box13.back_to_back.line,
            present=False,
        )
        yield problem(
            "Back-to-Back CO is ticked but no original proof of origin is given",
            at,
            expected="the original's reference number and issue date (box 7)",
        )
        return
    for proof in form.original_proofs:
        for what, loc in (
            (T("reference number"), proof.reference),
            (T("issue date"), proof.issue_date),
        ):
            if loc.blank and not loc.schema_error:
                yield problem(
                    "Back-to-Back CO: the original proof of origin has no {what}",
                    loc,
                    what=what,
                    expected="the original's reference number and issue date (box 7)",
                )


@rule(
    code="FD012",
    name="exhibition-details-missing",
    severity=ERROR,
    doctypes=FD,
    basis=f"{OCP} 22 and {ANNEX7} 13 (exhibition name and address in box 2)",
)
def exhibition_details_missing(form: FormD, ctx: Context) -> Iterator[Problem]:
    """Box 13 "Exhibition" is ticked but box 2 lacks the exhibition's name or address.

    Fails: ``<fd:Box13><fd:Exhibition>true</fd:Exhibition></fd:Box13>`` and, in box 2,
    ``<fd:Exhibition><fd:Address><fd:CityName>Hanoi</fd:CityName><fd:CountryCode>VN</fd:CountryCode>
    </fd:Address></fd:Exhibition>`` (no name)
    Passes: ``<fd:Exhibition><fd:Name>Vietnam Expo 2025</fd:Name><fd:Address>
    <fd:CityName>Hanoi</fd:CityName><fd:CountryCode>VN</fd:CountryCode></fd:Address>
    </fd:Exhibition>``
    """
    flag = form.box13.exhibition
    if not ticked(flag):
        return
    if not form.exhibition.present:
        yield problem(
            "Exhibition is ticked but box 2 gives no exhibition",
            Located(None, form.exhibition.xpath, flag.line, present=False),
            expected="the exhibition's name and address (box 2)",
        )
        return
    if form.exhibition_name.blank and not form.exhibition_name.schema_error:
        yield problem(
            "Exhibition is ticked but box 2 has no exhibition name",
            form.exhibition_name,
            expected="the exhibition's name and address (box 2)",
        )
    address = form.exhibition_address
    if address is None or not (address.has_address or address.country.usable):
        where = form.exhibition_name
        yield problem(
            "Exhibition is ticked but box 2 has no exhibition address",
            Located(
                None,
                where.xpath.rsplit("/", 1)[0] + "/" + step_name(f"{{{NAMESPACE}}}Address"),
                where.line,
                present=False,
            ),
            expected="the exhibition's name and address (box 2)",
        )


@rule(
    code="FD013",
    name="de-minimis-without-ctc",
    severity=ERROR,
    doctypes=FD,
    basis=f"{ANNEX7} 17 and ATIGA Art. 33 (de minimis applies to the CTC criterion only)",
)
def de_minimis_without_ctc(form: FormD, ctx: Context) -> Iterator[Problem]:
    """Box 13 "De Minimis" is ticked but no item uses a change-in-tariff-classification criterion.

    Fails: ``<fd:Box13><fd:DeMinimis>true</fd:DeMinimis></fd:Box13>`` with items
    ``<fd:OriginCriterion>WO</fd:OriginCriterion>`` and
    ``<fd:OriginCriterion>RVC 40%</fd:OriginCriterion>``
    Passes: ``<fd:Box13><fd:DeMinimis>true</fd:DeMinimis></fd:Box13>`` with an item
    ``<fd:OriginCriterion>CTH</fd:OriginCriterion>``
    """
    if not ticked(form.box13.de_minimis):
        return
    parsed = [_criterion(i) for i in form.items]
    if any(c is None for c in parsed):
        return  # an unreadable criterion is FD001/FD019's; it might be the CTC one
    if not any(c is not None and c.has_ctc for c in parsed):
        yield problem(
            "De Minimis is ticked but no item uses a CTC criterion (CC, CTH or CTSH)",
            form.box13.de_minimis,
            expected="an item with CC, CTH or CTSH, or no De Minimis tick",
        )


@rule(
    code="FD014",
    name="partial-cumulation-mismatch",
    severity=ERROR,
    doctypes=FD,
    basis=f"{ANNEX7} 3 and 16 and ATIGA Art. 30(2) (partial cumulation: PC x%, box 13 tick)",
)
def partial_cumulation_mismatch(form: FormD, ctx: Context) -> Iterator[Problem]:
    """Box 13 "Partial Cumulation" is ticked without a ``PC x%`` item, or the reverse.

    Fails: an item ``<fd:OriginCriterion>PC 25%</fd:OriginCriterion>`` and no
    ``<fd:Box13><fd:PartialCumulation>true</fd:PartialCumulation></fd:Box13>``
    Passes: the same item with
    ``<fd:Box13><fd:PartialCumulation>true</fd:PartialCumulation></fd:Box13>``
    """
    flag = ticked(form.box13.partial_cumulation)
    pc_items = [i for i in form.items if (c := _criterion(i)) is not None and c.pc is not None]
    if flag and not pc_items and all(_criterion(i) is not None for i in form.items):
        yield problem(
            "Partial Cumulation is ticked but no item has a 'PC x%' criterion",
            form.box13.partial_cumulation,
            expected="an item with PC x% (x < 40), or no tick",
        )
    if not flag:
        for item in pc_items:
            yield problem(
                "Item {n} has criterion {value!r} but box 13 'Partial Cumulation' is not ticked",
                item.criterion,
                n=item.number.text or "?",
                expected="<PartialCumulation>true</PartialCumulation>",
            )


@rule(
    code="FD015",
    name="certified-copy-too-late",
    severity=ERROR,
    doctypes=FD,
    basis=f"{OCP} 29(1) (an e-Form D is re-issued within 1 year from the date of issuance of "
    "the original); Rule 12's certified true copy is the paper Form D's, excluded for e-Form D "
    "by Rule 26(2)",
)
def certified_copy_too_late(form: FormD, ctx: Context) -> Iterator[Problem]:
    """A re-issued certificate (endorsed as a copy of the original) comes later than one
    calendar year after the original.

    For e-Form D the replacement of a lost or damaged original is a re-issue, within one year
    of the original's issue date (OCP Rule 29(1)); the paper Form D's certified true copy
    (Rule 12) does not apply (Rule 26(2)).

    Fails: ``<fd:Certification><!-- ... --><fd:IssueDate>2025-03-01</fd:IssueDate>
    <fd:CertifiedTrueCopy><fd:OriginalIssueDate>2024-02-29</fd:OriginalIssueDate>
    </fd:CertifiedTrueCopy></fd:Certification>``
    Passes: the same with ``<fd:IssueDate>2025-02-28</fd:IssueDate>``
    """
    if not form.certified_true_copy.present:
        return
    original, issued = as_date(form.original_issue_date), ctx.effective_date
    if original is None or issued is None:
        return
    last = add_years(original, 1)
    if issued > last:
        yield problem(
            "Certified true copy issued {issued}, more than one year after the original"
            " ({value}; last possible day {last})",
            form.original_issue_date,
            issued=issued,
            last=last,
            expected=f"a copy certified on or before {last.isoformat()}",
        )


# ----- box 5-7: items, HS codes, descriptions -----

_AHTN = re.compile(r"^[0-9]{8}$")
_AHTN_OR_LONGER = re.compile(r"^[0-9]{8,12}$")


@rule(
    code="FD016",
    name="hs-code-not-ahtn",
    severity=ERROR,
    doctypes=FD,
    basis=f"{ANNEX7} 6 (HS number of the importing country: the 8-digit AHTN code); {OCP} "
    "16(2) (a classification difference does not invalidate the proof of origin)",
)
def hs_code_not_ahtn(form: FormD, ctx: Context) -> Iterator[Problem]:
    """The HS code is not the 8-digit AHTN code (dots, spaces and a quota suffix removed).

    A code of another length (an HS subheading of 6 digits, a national line of 10) is a
    warning: OCP Rule 16(2) has a classification difference leave the certificate valid (the
    goods are released at the applicable rate). A value that is not a tariff code at all
    (letters, fewer than 4 or more than 12 digits) is an error.

    Fails: ``<fd:HSCode>rice</fd:HSCode>`` (error); ``<fd:HSCode>1006.30</fd:HSCode>``
    (6 digits: warning)
    Passes: ``<fd:HSCode>1006.30.30</fd:HSCode>``; ``<fd:HSCode>0103.91.00A</fd:HSCode>``
    """
    for item in form.items:
        loc = item.hs_code
        found = common.tariff_code(loc)
        if found is None or _AHTN.match(found[0]):
            continue
        code, tariff = found
        if tariff:
            yield problem(
                "HS code {value!r} of item {n} has {digits} digits, not the 8 of an AHTN code"
                " (a classification difference: the certificate stays valid, OCP Rule 16(2))",
                loc,
                n=item.number.text or "?",
                digits=len(code),
                expected="8 digits, e.g. 1006.30.30",
                severity=WARNING,
            )
        else:
            yield problem(
                "HS code {value!r} of item {n} is not a tariff code",
                loc,
                n=item.number.text or "?",
                expected="the 8-digit AHTN code, e.g. 1006.30.30",
            )


@rule(
    code="FD017",
    name="hs-subheading-unknown",
    severity=WARNING,
    doctypes=FD,
    basis=common.BASIS_HS_EDITION + "; the e-Form D carries the importing member's code (Annex 7 "
    "Note 6)",
    effective_from=hs.HS2022_FROM,
)
def hs_subheading_unknown(form: FormD, ctx: Context) -> Iterator[Problem]:
    """The first 6 digits of the HS code are not a subheading of the edition in force.

    Box 7 carries the importing member's code (Note 6), so the edition is the one the
    importing member applied on the issue date: AHTN 2022 from its own switch-over day;
    before it (AHTN 2017) and for members whose day is unknown nothing is checked. From
    2028-01-01 HS 2028 applies, of which no list is available: a code outside HS 2022 is then
    only an info.

    Fails (warning): ``<fd:HSCode>10063990</fd:HSCode>`` on a certificate to TH issued 2025
    (1006.39 is no HS 2022 subheading; TH applied AHTN 2022 from 2022-01-01)
    Passes: the same code to PH issued 2022-03-10 (PH applied AHTN 2022 from 2022-07-01);
    ``<fd:HSCode>10063030</fd:HSCode>`` issued 2025
    """
    for item in form.items:
        code = hs.normalise(item.hs_code.text)
        if item.hs_code.usable and _AHTN_OR_LONGER.match(code):
            found = common.hs_edition_problem(
                item.hs_code, code, ctx.import_country, ctx.effective_date
            )
            if found is not None:
                yield found


@rule(
    code="FD018",
    name="item-numbers-broken",
    severity=ERROR,
    doctypes=FD,
    basis=f"{ANNEX7} box 5 (item number) and {ANNEX7} 9 (a refused item is identified by it)",
)
def item_numbers_broken(form: FormD, ctx: Context) -> Iterator[Problem]:
    """Item numbers are not exactly 1..n: a duplicate, a gap or a number out of range.

    The importing customs refuses or grants preference item by item (box 4, Note 9), so each
    item needs its own number.

    Fails: items ``<fd:ItemNumber>1</fd:ItemNumber>`` and ``<fd:ItemNumber>1</fd:ItemNumber>``; or 1
    and 3
    Passes: items ``<fd:ItemNumber>1</fd:ItemNumber>`` and ``<fd:ItemNumber>2</fd:ItemNumber>``
    """
    n = len(form.items)
    seen: set[int] = set()
    for item in form.items:
        loc = item.number
        number = as_int(loc)
        if number is None:
            continue
        if number in seen:
            yield problem("Item number {value} is used twice", loc, expected=f"unique 1..{n}")
        elif not 1 <= number <= n:
            yield problem(
                "Item number {value} is outside 1..{n} (items are numbered 1 to n without gaps)",
                loc,
                n=n,
                expected=f"1..{n}",
            )
        seen.add(number)


_DITTO = frozenset(
    {'"', "''", "\u3003", "DO", "-DO-", "DITTO", "ASABOVE", "SAMEASABOVE", "-", "--"}
)


def _is_ditto(text: str) -> bool:
    """Ditto marks, with or without spaces: ``"``, ``" "``, ``〃``, ``-do-``, ``as above``."""
    return "".join(text.upper().split()) in _DITTO


@rule(
    code="FD019",
    name="item-criterion-missing",
    severity=ERROR,
    doctypes=FD,
    basis=f"{OCP} 6(e) and {ANNEX7} 4 (each item must qualify separately)",
)
def item_criterion_missing(form: FormD, ctx: Context) -> Iterator[Problem]:
    """An item has no origin criterion of its own: absent, blank, or a ditto mark.

    Fails: ``<fd:OriginCriterion>-do-</fd:OriginCriterion>``; an item with no OriginCriterion
    Passes: ``<fd:OriginCriterion>WO</fd:OriginCriterion>`` on every item
    """
    for item in form.items:
        loc = item.criterion
        if loc.schema_error:
            continue
        if loc.blank or _is_ditto(loc.text):
            yield problem(
                (
                    "Item {n} has no origin criterion of its own ({mark!r} refers to another item)"
                    if not loc.blank
                    else "Item {n} has no origin criterion of its own"
                ),
                loc,
                n=item.number.text or "?",
                mark=loc.text,
                expected="a box-8 criterion on every item",
            )


# ----- countries -----


def _members(form: FormD) -> Iterator[tuple[str, Located]]:
    yield T("issuing (exporting) country"), form.issuing_country
    yield T("importing country"), form.importing_country


@rule(
    code="FD020",
    name="same-export-import-country",
    severity=ERROR,
    doctypes=FD,
    basis="ATIGA Art. 3 (preferential treatment on goods traded between Member States)",
)
def same_export_import_country(form: FormD, ctx: Context) -> Iterator[Problem]:
    """The issuing (exporting) member and the importing member are the same.

    Fails: ``<fd:IssuingCountry>VN</fd:IssuingCountry>`` and
    ``<fd:ExporterDeclaration><!-- ... --><fd:ImportingCountry>VN</fd:ImportingCountry>
    </fd:ExporterDeclaration>``
    Passes: ``<fd:IssuingCountry>VN</fd:IssuingCountry>`` and
    ``<fd:ExporterDeclaration><!-- ... --><fd:ImportingCountry>KH</fd:ImportingCountry>
    </fd:ExporterDeclaration>``
    """
    exp, imp = form.issuing_country, form.importing_country
    if exp.usable and imp.usable and exp.text == imp.text:
        yield problem(
            "Issuing and importing country are both {value}; a Form D covers goods traded"
            " between two Member States",
            imp,
            expected="an importing member other than the issuing member",
        )


BASIS_PARTIES = "ATIGA (2009) Member States: BN, KH, ID, LA, MY, MM, PH, SG, TH, VN"


@rule(
    code="FD021",
    name="country-not-atiga-party",
    severity=ERROR,
    doctypes=FD,
    basis=BASIS_PARTIES + "; e-Form D exchanged through the ASW",
)
def country_not_atiga_party(form: FormD, ctx: Context) -> Iterator[Problem]:
    """The issuing or importing country is not an ATIGA Member State (ASW party).

    Timor-Leste from its ASEAN admission is FD022 (information); codes that are not ISO 3166
    at all are FD023's.

    Fails: ``<fd:ExporterDeclaration><!-- ... --><fd:ImportingCountry>CN</fd:ImportingCountry>
    </fd:ExporterDeclaration>``
    Passes: ``<fd:ExporterDeclaration><!-- ... --><fd:ImportingCountry>KH</fd:ImportingCountry>
    </fd:ExporterDeclaration>``
    """
    for role, loc in common.outside_asean(_members(form), ctx.effective_date):
        yield problem(
            "The {role} {value} ({name}) is not an ATIGA Member State",
            loc,
            role=role,
            name=countries.country_name(loc.text),
            expected="one of " + ", ".join(sorted(countries.ASW_PARTIES)),
        )


@rule(
    code="FD022",
    name="asean-member-outside-atiga",
    severity=INFO,
    doctypes=FD,
    basis="ASEAN membership by date (Timor-Leste admitted 2025-10-26); no source makes it an "
    "ATIGA or ASW party",
)
def asean_member_outside_atiga(form: FormD, ctx: Context) -> Iterator[Problem]:
    """The issuing or importing country is an ASEAN member not (yet) party to ATIGA.

    Fails (info): ``<fd:ExporterDeclaration><!-- ... -->
    <fd:ImportingCountry>TL</fd:ImportingCountry></fd:ExporterDeclaration>`` on a certificate issued
    in 2026
    Passes: ``<fd:ExporterDeclaration><!-- ... --><fd:ImportingCountry>TH</fd:ImportingCountry>
    </fd:ExporterDeclaration>``
    """
    for role, loc, since in common.asean_outside_asw(_members(form), ctx.effective_date):
        yield problem(
            "The {role} {value} is an ASEAN member (since {since}) but not an ATIGA party:"
            " no Form D preference applies yet",
            loc,
            role=role,
            since=since,
        )


def _country_codes(form: FormD) -> Iterator[tuple[str, Located]]:
    yield from _members(form)
    yield T("exporter's country"), form.exporter.country
    yield T("consignee's country"), form.consignee.country
    if form.exhibition_address is not None:
        yield T("exhibition's country"), form.exhibition_address.country
    yield T("invoicing company's country"), form.invoicing_company_country
    for proof in form.original_proofs:
        yield T("original proof's issuing country"), proof.issuing_country
    yield T("producing country"), form.producing_country


@rule(
    code="FD023",
    name="country-code-unknown",
    severity=ERROR,
    doctypes=FD,
    basis="ISO 3166-1 alpha-2 country codes",
)
def country_code_unknown(form: FormD, ctx: Context) -> Iterator[Problem]:
    """A country code is not an assigned ISO 3166-1 alpha-2 code.

    Fails: ``<fd:Consignee><!-- ... --><fd:Address><fd:CountryCode>UK</fd:CountryCode></fd:Address>
    </fd:Consignee>``
    Passes: ``<fd:Consignee><!-- ... --><fd:Address><fd:CountryCode>GB</fd:CountryCode></fd:Address>
    </fd:Consignee>``
    """
    yield from common.country_codes_unknown(_country_codes(form))


@rule(
    code="FD024",
    name="issued-in-future",
    severity=ERROR,
    doctypes=FD,
    basis="Box 12 certification date: a certificate cannot be issued after today",
)
def issued_in_future(form: FormD, ctx: Context) -> Iterator[Problem]:
    """The issue date (box 12) is after today (a day ahead is allowed: the date is the issuing
    member's, whose day may have begun before the validator's).

    Fails: ``<fd:Certification><!-- ... --><fd:IssueDate>2099-01-01</fd:IssueDate>
    </fd:Certification>``
    Passes: ``<fd:Certification><!-- ... --><fd:IssueDate>2025-03-12</fd:IssueDate>
    </fd:Certification>``
    """
    if ctx.effective_date is not None and common.after_today(ctx.effective_date, ctx.today):
        yield problem(
            "Issue date {value} is after today ({today})",
            form.issue_date,
            today=Day.of(ctx.today),
            expected=f"on or before {ctx.today.isoformat()}",
        )


def _non_latin_script(text: str) -> str | None:
    """The first script of a letter in ``text`` that is not Latin (e.g. "THAI"), or None."""
    for ch in text:
        if ch.isalpha():
            name = unicodedata.name(ch, "")
            if name and not name.startswith("LATIN"):
                return name.split(" ")[0]
    return None


#: The scripts of the Mekong members' languages, in words a report translates; any other
#: script is named as Unicode names it.
_SCRIPTS = {"THAI": T("Thai"), "KHMER": T("Khmer"), "LAO": T("Lao"), "MYANMAR": T("Myanmar")}


@rule(
    code="FD025",
    name="description-not-english",
    severity=INFO,
    doctypes=FD,
    basis="ATIGA Annex 7: the Form D is an English-language form; OCP Rule 7 (completed in "
    "English) governs the paper Form D and does not apply to e-Form D (Rule 26(2)), and no "
    "e-Form D rule sets a language: hence information only",
)
def description_not_english(form: FormD, ctx: Context) -> Iterator[Problem]:
    """A goods description contains letters of a non-Latin script.

    Information only: OCP Rule 7 (English) is one of the rules Rule 26(2) excludes for
    e-Form D, and no e-Form D rule sets a language; but the receiving officer reads English,
    and Thai, Khmer, Lao or Myanmar script is certainly not English.

    Fails (info): ``<fd:Description>ข้าวหอมมะลิ</fd:Description>``
    Passes: ``<fd:Description>Thai Hom Mali jasmine rice</fd:Description>``
    """
    for item in form.items:
        loc = item.description
        script = _non_latin_script(loc.text) if loc.usable else None
        if script:
            yield problem(
                "Description of item {n} contains {script} script; Form D is completed in English",
                loc,
                n=item.number.text or "?",
                script=_SCRIPTS.get(script) or script.title(),
                expected="an English description",
            )


def _dates(form: FormD) -> Iterator[tuple[str, Located]]:
    yield T("issue date"), form.issue_date
    yield T("departure date"), form.departure_date
    yield T("exporter's declaration date"), form.declaration_date
    yield T("original issue date"), form.original_issue_date
    for item in form.items:
        yield T("invoice date"), item.invoice_date
    for proof in form.original_proofs:
        yield T("original proof's issue date"), proof.issue_date


@rule(
    code="FD026",
    name="date-out-of-range",
    severity=ERROR,
    doctypes=FD,
    basis="asw-validator: dated rules need a calendar date; XSD dates allow years such as "
    "12025 that no certificate can carry (years 1900-2099 accepted)",
)
def date_out_of_range(form: FormD, ctx: Context) -> Iterator[Problem]:
    """A date has a year outside 1900-2099, which would switch every dated rule off.

    Fails: ``<fd:Certification><!-- ... --><fd:IssueDate>12025-03-12</fd:IssueDate>
    </fd:Certification>``
    Passes: ``<fd:Certification><!-- ... --><fd:IssueDate>2025-03-12</fd:IssueDate>
    </fd:Certification>``
    """
    yield from common.dates_out_of_range(_dates(form))


@rule(
    code="FD027",
    name="box13-data-without-tick",
    severity=WARNING,
    doctypes=FD,
    basis=f"{ANNEX7} 11-13 and {OCP} 11, 22, 23 (box 13 tick boxes and their box 2/7 data)",
)
def box13_data_without_tick(form: FormD, ctx: Context) -> Iterator[Problem]:
    """Box 2/7 data of a box-13 case is given but its box is not ticked.

    The importing customs reads the tick first: invoicing company data without "Third Country
    Invoicing", an original proof without "Back-to-Back CO", or exhibition details without
    "Exhibition" suggest a forgotten tick.

    Fails (warning): ``<fd:InvoicingCompany><fd:Name>Lion Trading Pte Ltd</fd:Name>
    </fd:InvoicingCompany>`` and no
    ``<fd:Box13><fd:ThirdCountryInvoicing>true</fd:ThirdCountryInvoicing></fd:Box13>``
    Passes: ``<fd:InvoicingCompany><fd:Name>Lion Trading Pte Ltd</fd:Name></fd:InvoicingCompany>``
    with ``<fd:Box13><fd:ThirdCountryInvoicing>true</fd:ThirdCountryInvoicing></fd:Box13>``; or
    neither
    """
    b13 = form.box13
    cases = [
        (T("invoicing company"), form.invoicing_company, b13.third_country_invoicing),
        (T("exhibition details"), form.exhibition, b13.exhibition),
    ]
    if form.original_proofs:
        proof = form.original_proofs[0].node
        cases.append((T("an original proof of origin"), proof, b13.back_to_back))
    for what, data, flag in cases:
        if data.present and not ticked(flag) and not flag.schema_error:
            box = _BOX13_LABELS[flag.xpath.rsplit(":", 1)[-1]]
            yield problem(
                "The certificate gives {what} but box 13 '{box}' is not ticked",
                Located(None, data.xpath, data.line),
                what=what,
                box=box,
                expected=f"'{box}' ticked, or no {what}",
            )


_BOX13_LABELS = {
    "ThirdCountryInvoicing": T("Third Country Invoicing"),
    "BackToBack": T("Back-to-Back CO"),
    "Exhibition": T("Exhibition"),
}


@rule(
    code="FD028",
    name="currency-code-unknown",
    severity=ERROR,
    doctypes=FD,
    basis="ISO 4217 currency codes (box 9 FOB value)",
)
def currency_code_unknown(form: FormD, ctx: Context) -> Iterator[Problem]:
    """The FOB value's currency is not an ISO 4217 code.

    Fails: ``<fd:FOBValue currencyID="USS">4800</fd:FOBValue>``
    Passes: ``<fd:FOBValue currencyID="USD">4800</fd:FOBValue>``
    """
    yield from common.fob_currencies_unknown(form.items)


@rule(
    code="FD029",
    name="unit-code-unknown",
    severity=ERROR,
    doctypes=FD,
    basis="UN/ECE Recommendation 20, codes for units of measure (rev. 17, 2021); box 9",
)
def unit_code_unknown(form: FormD, ctx: Context) -> Iterator[Problem]:
    """The unit of a gross weight or quantity (box 9) is not a UN/ECE Rec 20 code.

    Fails: ``<fd:Quantity unitCode="PCS">12000</fd:Quantity>`` (not Rec 20; a piece is H87)
    Passes: ``<fd:GrossWeight unitCode="KGM">20320</fd:GrossWeight>``
    """
    for item in form.items:
        for loc in (item.gross_weight_unit, item.quantity_unit):
            if loc.usable and units.unit(loc.text) is None:
                yield problem(
                    "Unit {value!r} of item {n} is not a UN/ECE Recommendation 20 code",
                    loc,
                    n=item.number.text or "?",
                    expected="a UN/ECE Rec 20 common code, e.g. KGM, TNE, C62",
                )


@rule(
    code="FD030",
    name="unit-code-deleted",
    severity=WARNING,
    doctypes=FD,
    basis="UN/ECE Recommendation 20, codes for units of measure (rev. 17, 2021; status X: "
    "deleted); box 9",
)
def unit_code_deleted(form: FormD, ctx: Context) -> Iterator[Problem]:
    """The unit of a gross weight or quantity is a Recommendation 20 code that was deleted.

    Fails (warning): ``<fd:GrossWeight unitCode="KG">20320</fd:GrossWeight>`` (deleted code for
    "keg", not kilogram)
    Passes: ``<fd:GrossWeight unitCode="KGM">20320</fd:GrossWeight>``
    """
    for item in form.items:
        for loc in (item.gross_weight_unit, item.quantity_unit):
            u = units.unit(loc.text) if loc.usable else None
            if u is not None and u.deleted:
                yield problem(
                    "Unit {value!r} ({name}) of item {n} was deleted from UN/ECE Recommendation 20",
                    loc,
                    name=u.name,
                    n=item.number.text or "?",
                    expected="a current UN/ECE Rec 20 code, e.g. KGM",
                )


@rule(
    code="FD031",
    name="certified-copy-before-original",
    severity=ERROR,
    doctypes=FD,
    basis=f"{OCP} 29(1) (an e-Form D is re-issued after, and within 1 year of, the original); "
    "Rule 12's certified true copy is the paper Form D's, excluded for e-Form D by Rule 26(2)",
)
def certified_copy_before_original(form: FormD, ctx: Context) -> Iterator[Problem]:
    """A re-issued certificate (endorsed as a copy of the original) is dated before the
    original it replaces.

    The copy is certified after the original was lost, so the original's issue date in the
    endorsement must be on or before the copy's own issue date; dated rules that count from
    the original (OCP Rules 10 and 14) are not applied to such a copy.

    Fails: ``<fd:Certification><!-- ... --><fd:IssueDate>2025-06-10</fd:IssueDate>
    <fd:CertifiedTrueCopy><fd:OriginalIssueDate>2025-06-20</fd:OriginalIssueDate>
    </fd:CertifiedTrueCopy></fd:Certification>``
    Passes: ``<fd:Certification><!-- ... --><fd:IssueDate>2025-06-20</fd:IssueDate>
    <fd:CertifiedTrueCopy><fd:OriginalIssueDate>2025-06-10</fd:OriginalIssueDate>
    </fd:CertifiedTrueCopy></fd:Certification>``
    """
    if not form.certified_true_copy.present:
        return
    original, copied = as_date(form.original_issue_date), ctx.effective_date
    if original is not None and copied is not None and original > copied:
        yield problem(
            "The original's issue date {value} is after the certified true copy's own issue"
            " date {copied}",
            form.original_issue_date,
            copied=copied,
            expected=f"an original issued on or before {copied.isoformat()}",
        )


#: First day of live e-Form D exchange through the ASW, for members where a source gives the
#: day: SG, ID, VN on 1 Jan 2018 (domain.md S12 [C]); LA and PH on 23 Dec 2019 (S13 [C]).
#: Left out: MY (the sources disagree: 2018 or 18 Mar 2020), TH, KH, MM (year only).
EFORMD_LIVE = {
    "ID": dt.date(2018, 1, 1),
    "SG": dt.date(2018, 1, 1),
    "VN": dt.date(2018, 1, 1),
    "LA": dt.date(2019, 12, 23),
    "PH": dt.date(2019, 12, 23),
}


@rule(
    code="FD032",
    name="eformd-exchange-not-live",
    severity=INFO,
    doctypes=FD,
    countries=tuple(sorted(EFORMD_LIVE)),
    effective_until=max(EFORMD_LIVE.values()) - dt.timedelta(days=1),
    basis="e-Form D exchange through the ASW live from 1 Jan 2018 (SG, ID, VN; law-firm and "
    "trade-press reports) and from 23 Dec 2019 (LA, PH; MITI Malaysia ASW slides)",
)
def eformd_exchange_not_live(form: FormD, ctx: Context) -> Iterator[Problem]:
    """The e-Form D is issued before its issuing or importing member exchanged e-Form D.

    Such a certificate cannot have travelled through the ASW: often a wrong year. Applied
    for the members whose go-live day is known (ID, LA, PH, SG, VN).

    Fails (info): ``<fd:IssuingCountry>VN</fd:IssuingCountry>`` to
    ``<fd:ImportingCountry>LA</fd:ImportingCountry>`` issued
    ``<fd:IssueDate>2019-06-03</fd:IssueDate>`` (Lao PDR exchanged e-Form D from 2019-12-23)
    Passes: the same issued ``<fd:IssueDate>2020-01-06</fd:IssueDate>``
    """
    when = ctx.effective_date
    places = ((T("issuing"), form.issuing_country), (T("importing"), form.importing_country))
    for what, loc, live in common.before_going_live(places, when, EFORMD_LIVE):
        yield problem(
            "The e-Form D is issued on {date}, before the {what} member {value}"
            " exchanged e-Form D through the ASW (from {live})",
            form.issue_date,
            value=loc.text,
            date=when,
            what=what,
            live=live,
            expected=f"an issue date from {live.isoformat()}",
        )


# ----- back-to-back chains (OCP Rule 1(b), 11(1); domain.md §8.2) -----

BASIS_B2B = (
    f"{OCP} 1(b) (a back-to-back proof of origin is issued by an intermediate member on the "
    "basis of the proof issued by the first exporting member) and 11(1)"
)


B2B_WORDS = common.BackToBackWords(
    T("certificate"), T("issued"), T("the member that issues this back-to-back certificate")
)


def _back_to_back(form: FormD) -> bool:
    return ticked(form.box13.back_to_back)


@rule(
    code="FD033",
    name="back-to-back-same-issuer",
    severity=ERROR,
    doctypes=FD,
    basis=BASIS_B2B,
)
def back_to_back_same_issuer(form: FormD, ctx: Context) -> Iterator[Problem]:
    """A back-to-back certificate's original proof was issued by the same member.

    The back-to-back proof is issued by an intermediate member on the basis of the original
    issued by the first exporting member (OCP Rule 1(b)): the two issuers differ.

    Fails: a back-to-back issued in SG on ``<fd:OriginalProofOfOrigin><!-- ... -->
    <fd:IssuingCountry>SG</fd:IssuingCountry></fd:OriginalProofOfOrigin>``
    Passes: a back-to-back issued in SG on ``<fd:OriginalProofOfOrigin><!-- ... -->
    <fd:IssuingCountry>TH</fd:IssuingCountry></fd:OriginalProofOfOrigin>``
    """
    if _back_to_back(form):
        originals = (p.issuing_country for p in form.original_proofs)
        yield from common.originals_of_same_member(form.issuing_country, originals, B2B_WORDS)


@rule(
    code="FD034",
    name="back-to-back-original-dated-after",
    severity=ERROR,
    doctypes=FD,
    basis=BASIS_B2B + " (the original exists when the back-to-back is issued)",
)
def back_to_back_original_dated_after(form: FormD, ctx: Context) -> Iterator[Problem]:
    """The original proof is dated after the back-to-back certificate issued on it.

    Fails: a back-to-back with
    ``<fd:Certification><fd:IssueDate>2025-03-12</fd:IssueDate></fd:Certification>`` on
    ``<fd:OriginalProofOfOrigin><!-- ... --><fd:IssueDate>2025-03-20</fd:IssueDate><!-- ... -->
    </fd:OriginalProofOfOrigin>``
    Passes: the original's ``<fd:IssueDate>2025-02-20</fd:IssueDate>``
    """
    issued = ctx.effective_date
    if _back_to_back(form) and issued is not None:
        dates = (p.issue_date for p in form.original_proofs)
        yield from common.originals_dated_after(issued, dates, B2B_WORDS)


@rule(
    code="FD035",
    name="back-to-back-original-expired",
    severity=ERROR,
    doctypes=FD,
    basis=f"{OCP} 11(1)(a) (the back-to-back is issued on a valid original proof) and 14 "
    "(a proof of origin is valid for 12 months from issuance)",
)
def back_to_back_original_expired(form: FormD, ctx: Context) -> Iterator[Problem]:
    """The original proof was past its 12 months when the back-to-back was issued on it.

    12 calendar months: an original of 2024-02-29 is valid to 2025-02-28.

    Fails: a back-to-back with
    ``<fd:Certification><fd:IssueDate>2025-03-12</fd:IssueDate></fd:Certification>`` on
    ``<fd:OriginalProofOfOrigin><!-- ... --><fd:IssueDate>2024-03-11</fd:IssueDate><!-- ... -->
    </fd:OriginalProofOfOrigin>``
    Passes: the original's ``<fd:IssueDate>2024-03-12</fd:IssueDate>``
    """
    issued = ctx.effective_date
    if _back_to_back(form) and issued is not None:
        dates = (p.issue_date for p in form.original_proofs)
        yield from common.originals_expired(issued, dates, B2B_WORDS)


@rule(
    code="FD036",
    name="back-to-back-origin-country-mismatch",
    severity=ERROR,
    doctypes=FD,
    basis=f"{ANNEX7} 12 and box 11 (the back-to-back names the goods' country of origin, the "
    "original's issuing member, not the intermediate member)",
)
def back_to_back_origin_country_mismatch(form: FormD, ctx: Context) -> Iterator[Problem]:
    """Box 11 of a back-to-back names another country than its original's issuing member.

    The goods keep the origin the original proof gives them; box 11 ("produced in") names
    that country, not the intermediate member that issues the back-to-back.

    Fails: a back-to-back from SG on an original issued in TH, with
    ``<fd:ProducingCountry>SG</fd:ProducingCountry>``
    Passes: ``<fd:ProducingCountry>TH</fd:ProducingCountry>``
    """
    if not _back_to_back(form):
        return
    firsts = (p.issuing_country for p in form.original_proofs)
    for loc, origins in common.origins_not_original([form.producing_country], firsts):
        yield problem(
            "Box 11 says the goods are produced in {value}, but the original proof of origin"
            " was issued in {origins}: a back-to-back names the goods' country of origin",
            loc,
            origins=origins,
            expected=origins.replace(", ", " or "),
        )


# ----- coherence of boxes 1, 2, 11 and 12 (domain.md §8.3) -----


@rule(
    code="FD037",
    name="exporter-outside-issuing-member",
    severity=ERROR,
    doctypes=FD,
    basis=f"{ANNEX7} box 1 (goods consigned from: the exporter) and the header (issued in: the "
    "exporting member); OCP Rule 1 (issuing authority of the exporting member)",
)
def exporter_outside_issuing_member(form: FormD, ctx: Context) -> Iterator[Problem]:
    """The exporter's address (box 1) is in another country than the issuing member.

    The certificate is issued by the exporting member's authority for its own exporter.

    Fails: ``<fd:IssuingCountry>VN</fd:IssuingCountry>``, an exporter ``<fd:Exporter><!-- ... -->
    <fd:Address><!-- ... --><fd:CountryCode>TH</fd:CountryCode></fd:Address></fd:Exporter>``
    Passes: issued in VN, the exporter's ``<fd:CountryCode>VN</fd:CountryCode>``
    """
    country, issuer = form.exporter.country, form.issuing_country
    if country.usable and issuer.usable and country.text != issuer.text:
        yield problem(
            "The exporter's address is in {value}, but the certificate is issued in {issuer}",
            country,
            issuer=issuer.text,
            expected=f"an exporter in {issuer.text}",
        )


@rule(
    code="FD038",
    name="producing-country-not-issuer",
    severity=ERROR,
    doctypes=FD,
    basis=f"{ANNEX7} box 11 (goods produced in an ATIGA member) and {OCP} 1 (the issuing member "
    "certifies its own originating goods; a back-to-back names the first member: FD036)",
)
def producing_country_not_issuer(form: FormD, ctx: Context) -> Iterator[Problem]:
    """Box 11 "produced in" is not an ATIGA member, or, on a certificate that is not
    back-to-back, not the issuing member.

    Fails: issued in VN, ``<fd:ProducingCountry>CN</fd:ProducingCountry>``; issued in VN,
    ``<fd:ProducingCountry>TH</fd:ProducingCountry>``, no back-to-back tick
    Passes: issued in VN, ``<fd:ProducingCountry>VN</fd:ProducingCountry>``; a back-to-back
    issued in SG with ``<fd:ProducingCountry>TH</fd:ProducingCountry>``
    """
    produced, issuer = form.producing_country, form.issuing_country
    if not produced.usable or not countries.is_iso_country(produced.text):
        return
    if not countries.is_asw_party(produced.text, ctx.effective_date):
        yield problem(
            "Box 11 says the goods are produced in {value}, which is not an ATIGA member:"
            " Form D covers goods originating in ASEAN",
            produced,
            expected="an ATIGA member State",
        )
    elif (
        not (_back_to_back(form) or form.original_proofs)
        and issuer.usable
        and (produced.text != issuer.text)
    ):  # original proof data without the tick is FD027's finding
        yield problem(
            "Box 11 says the goods are produced in {value}, but the certificate is issued in"
            " {issuer} and is not back-to-back",
            produced,
            issuer=issuer.text,
            expected=f"{issuer.text}, or a back-to-back certificate",
        )


@rule(
    code="FD039",
    name="consignee-outside-importing-member",
    severity=WARNING,
    doctypes=FD,
    basis=f"{ANNEX7} box 2 (goods consigned to: the consignee in the importing member; an "
    "exhibition's name and address instead for exhibition goods, Rule 22); inferred, hence a "
    "warning",
)
def consignee_outside_importing_member(form: FormD, ctx: Context) -> Iterator[Problem]:
    """The consignee's address (box 2) is outside the importing member, and the goods are not
    for an exhibition.

    A warning: a consignee's own address may lie elsewhere while the goods go to the
    importing member (an inferred convention).

    Fails (warning): ``<fd:ImportingCountry>KH</fd:ImportingCountry>`` in box 11, a consignee
    ``<fd:Consignee><!-- ... --><fd:Address><!-- ... --><fd:CountryCode>TH</fd:CountryCode>
    </fd:Address></fd:Consignee>``
    Passes: the consignee's ``<fd:CountryCode>KH</fd:CountryCode>``; or an exhibition in box 2,
    ``<fd:Exhibition><!-- ... --></fd:Exhibition>``
    """
    country, imp = form.consignee.country, form.importing_country
    if ticked(form.box13.exhibition) or form.exhibition.present:
        return
    if imp.text == form.issuing_country.text:  # the importing country is wrong: FD020's
        return
    if country.usable and imp.usable and country.text != imp.text:
        yield problem(
            "The consignee's address is in {value}, but the goods are exported to {imp}",
            country,
            imp=imp.text,
            expected=f"a consignee in {imp.text}",
        )


@rule(
    code="FD040",
    name="declaration-after-certification",
    severity=ERROR,
    doctypes=FD,
    basis=f"{ANNEX7} boxes 11 and 12 (the exporter declares; the authority then certifies the "
    "declaration)",
)
def declaration_after_certification(form: FormD, ctx: Context) -> Iterator[Problem]:
    """The exporter's declaration (box 11) is dated after the certification (box 12).

    Fails: ``<fd:ExporterDeclaration><!-- ... --><fd:Date>2025-03-13</fd:Date><!-- ... -->
    </fd:ExporterDeclaration>`` and
    ``<fd:Certification><fd:IssueDate>2025-03-12</fd:IssueDate></fd:Certification>``
    Passes: box 11 ``<fd:Date>2025-03-11</fd:Date>``
    """
    declared, certified = as_date(form.declaration_date), ctx.effective_date
    if declared is not None and certified is not None and declared > certified:
        yield problem(
            "The exporter's declaration is dated {value}, after the certification of"
            " {certified}: the authority certifies a declaration already made",
            form.declaration_date,
            certified=certified,
            expected=f"a declaration dated on or before {certified.isoformat()}",
        )


# ----- origin criteria (domain.md §8.4) -----


@rule(
    code="FD041",
    name="partial-cumulation-below-20",
    severity=ERROR,
    doctypes=FD,
    basis="ATIGA Art. 30(2) (partial cumulation of materials with a regional value content "
    "of at least 20%) and Annex 7 Note 3 ('PC x%', x below 40)",
)
def partial_cumulation_below_20(form: FormD, ctx: Context) -> Iterator[Problem]:
    """A ``PC x%`` criterion has x below 20: partial cumulation needs at least 20%.

    Fails: ``<fd:OriginCriterion>PC 15%</fd:OriginCriterion>``
    Passes: ``<fd:OriginCriterion>PC 25%</fd:OriginCriterion>``
    """
    yield from common.partial_cumulation_below_20(form.items)


@rule(
    code="FD042",
    name="rvc-below-40",
    severity=WARNING,
    doctypes=FD,
    basis="ATIGA Art. 28 (the general rule: a regional value content of at least 40%); a "
    "lower value only under a product-specific rule (Annex 3), hence a warning",
)
def rvc_below_40(form: FormD, ctx: Context) -> Iterator[Problem]:
    """A standalone RVC criterion is below the general 40%.

    Only a product-specific rule allows less; the validator cannot tell, hence a warning.
    Combinations (``CTSH + 35%``) are product-specific rules themselves and are not judged.

    Fails (warning): ``<fd:OriginCriterion>RVC 35%</fd:OriginCriterion>``
    Passes: ``<fd:OriginCriterion>RVC 40%</fd:OriginCriterion>``;
    ``<fd:OriginCriterion>CTSH + 35%</fd:OriginCriterion>``
    """
    yield from common.rvc_below_40(form.items)


@rule(
    code="FD043",
    name="origin-criterion-spelling",
    severity=WARNING,
    doctypes=FD,
    basis=f"{OCP} 16 (minor discrepancies do not invalidate a proof of origin) and the SC-AROO "
    "minor-discrepancy matrix (2021), item 1: a typing slip that does not change the criterion",
)
def origin_criterion_spelling(form: FormD, ctx: Context) -> Iterator[Problem]:
    """The origin criterion has a typing slip that does not change it (a minor discrepancy).

    ``RVC 40`` (no percent sign), ``RVC(40%)``, ``RVC: 45%``, ``40 %`` name a valid criterion:
    the certificate stays valid (OCP Rule 16), but the entry should be written as Note 3 has it.

    Fails (warning): ``<fd:OriginCriterion>RVC: 45%</fd:OriginCriterion>``
    Passes: ``<fd:OriginCriterion>RVC 45%</fd:OriginCriterion>``
    """
    yield from common.criterion_spelling(
        form.items, "as Overleaf Note 3 writes it, e.g. RVC 45% or 45%"
    )
