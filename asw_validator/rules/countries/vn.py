"""Viet Nam pack (``VN`` codes): VNACCS conventions the ASW documents carry.

Facts: domain.md §5.1 (MST), §5.5 (VNACCS fields, declaration types). VNACCS field rules are
confirmed for import declarations (IDA); where a rule is applied to an export declaration on
that basis alone, it is a warning.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

from stdnum.exceptions import ValidationError
from stdnum.vn import mst

from ...binding.acdd import AcddDeclaration
from ...binding.base import Located, as_decimal
from ...binding.eformd import FormD
from ...binding.origin_declaration import OriginDeclaration
from ...context import Context
from ...dates import Period, period_on
from ...i18n import T
from ...model import Severity
from ..base import Family, Problem, problem
from ..common import AWSC_FROM
from .common import PARTY_DOCTYPES, before_national_instrument, check_ids

PACK = Family("vn", "1.2.0", country="VN")
rule = PACK.rule
ERROR, WARNING, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO

_MST_REASONS = {
    "InvalidChecksum": T("the check digit (10th digit) does not match"),
    "InvalidLength": T("an MST has 10 digits, or 13 for a branch (e.g. 0312687878-001)"),
    "InvalidFormat": T("an MST is digits 0-9 only (separators '-', '.' and space are allowed)"),
    "InvalidComponent": T("the province code, sequence or branch number 001-999 is invalid"),
}


#: Individuals may use their 12-digit citizen ID as tax code; its format is not an MST's, and
#: domain.md does not cover it, so such a number is left unchecked rather than rejected.
_CITIZEN_ID = re.compile(r"^[0-9]{12}$")


def _mst_reason(value: str) -> str | None:
    if _CITIZEN_ID.match(value.strip()):
        return None
    if not value.isascii():  # python-stdnum turns full-width digits into 0-9; VNACCS does not
        return _MST_REASONS["InvalidFormat"]
    try:
        mst.validate(value)
    except ValidationError as err:
        return _MST_REASONS.get(type(err).__name__, str(err))
    return None


@rule(
    code="VN001",
    name="tax-code-invalid",
    severity=ERROR,
    doctypes=PARTY_DOCTYPES,
    role="any",
    basis="Viet Nam enterprise tax code (MST): 10 digits with a check digit, 13 for a branch; "
    "VNACCS importer code IMC = MST; checked with python-stdnum stdnum.vn.mst",
)
def tax_code_invalid(doc: Any, ctx: Context) -> Iterator[Problem]:
    """The tax code (MST) of a Viet Nam party fails its format or check digit.

    Checked for the exporter, the consignee and the declarant whose country (address, else
    the document's country for that party) is VN. A 12-digit number (a citizen ID, which an
    individual may use as tax code) is not checked.

    Fails: a Vietnamese exporter with
    ``<acdd:Exporter><acdd:Name>Mekong Rice JSC</acdd:Name><acdd:ID>0100233480</acdd:ID><!-- ... -->
    </acdd:Exporter>`` (bad check digit)
    Passes: ``<acdd:ID>0100233488</acdd:ID>``; a branch, ``<acdd:ID>0314409058-002</acdd:ID>``
    """
    yield from check_ids(
        doc, "VN", T("Tax code (MST)"), _mst_reason, "10 digits (13 for a branch), e.g. 0100233488"
    )


_VNACCS_NUMBER = re.compile(r"^[0-9]{12}$")


@rule(
    code="VN002",
    name="declaration-number-not-vnaccs",
    severity=WARNING,
    doctypes=("acdd",),
    role="exporter",
    basis="VNACCS declaration number: 12 digits, assigned by the system (IDA field ICN, "
    "confirmed for import declarations); the same length for export declarations is "
    "inferred, hence a warning",
)
def declaration_number_not_vnaccs(doc: AcddDeclaration, ctx: Context) -> Iterator[Problem]:
    """The declaration number of an ACDD from Viet Nam is not a 12-digit VNACCS number.

    Fails (warning): on an export from VN, ``<acdd:ID>EX-2025-0001</acdd:ID>`` (the declaration's
    own ID)
    Passes: ``<acdd:ID>305123456789</acdd:ID>``
    """
    loc = doc.id
    if loc.usable and not _VNACCS_NUMBER.match(loc.text):
        yield problem(
            "Declaration number {value!r} is not a 12-digit VNACCS declaration number",
            loc,
            expected="12 digits, e.g. 305123456789",
        )


def _amounts(doc: Any) -> Iterator[tuple[Located, Located]]:
    """(amount, currency) pairs: the ACDD invoice amount, the e-Form D FOB values."""
    if isinstance(doc, AcddDeclaration):
        yield doc.invoice_amount, doc.invoice_currency
    elif isinstance(doc, FormD):
        for item in doc.items:
            yield item.fob, item.fob_currency


@rule(
    code="VN004",
    name="vnd-amount-with-decimals",
    severity=ERROR,
    doctypes=("acdd", "eformd"),
    role="any",
    basis="VNACCS data-entry rule (IDA guide): amounts in VND carry no decimals, other "
    "currencies up to 4; ISO 4217 gives the dong no minor unit",
)
def vnd_amount_with_decimals(doc: Any, ctx: Context) -> Iterator[Problem]:
    """An amount in Viet Nam dong (VND) is written with decimals.

    Fails: ``<acdd:InvoiceAmount currencyID="VND">352500000.50</acdd:InvoiceAmount>``
    Passes: ``<acdd:InvoiceAmount currencyID="VND">352500000</acdd:InvoiceAmount>``
    """
    for amount, currency in _amounts(doc):
        value = as_decimal(amount)
        if currency.text != "VND" or value is None:
            continue
        exponent = value.as_tuple().exponent
        if isinstance(exponent, int) and exponent < 0:
            yield problem(
                "Amount {value!r} is in VND, which is written without decimals",
                amount,
                expected=f"a whole number of dong, e.g. {value.to_integral_value():f}",
            )


def _codes(text: str) -> frozenset[str]:
    return frozenset(text.split())


#: Decision 1357/QD-TCHQ in force from this day: the current declaration-type codes.
DECISION_1357 = dt.date(2021, 6, 1)
#: Export declaration types of Decision 1357 (domain.md §5.5, S24 [C]); E56 was abolished.
EXPORT_TYPES_2021 = _codes("B11 B12 B13 E42 E52 E54 E62 E82 G21 G22 G23 G24 G61 C12 C22 H21")
#: Export types in the 2014 VNACCS client guides (EDA field ECB, Media-Hub/VNACCS 0bd3e5a).
#: The guides disagree with each other, and the list in force from 2015 (Official Dispatch
#: 2765/TCHQ-GSQL) was not found: this union is inferred, so it is checked as a warning.
EXPORT_TYPES_2014 = _codes(
    "B11 B12 B13 E42 E44 E46 E52 E54 E56 E62 E64 E82 G21 G22 G23 G24 G61 C12 C22 AEO H21"
)
TYPE_PERIODS = (
    Period(
        T("VNACCS export types before Decision 1357, inferred"),
        None,
        DECISION_1357 - dt.timedelta(days=1),
    ),
    Period(T("Decision 1357/QD-TCHQ export types"), DECISION_1357, None),
)


@rule(
    code="VN005",
    name="export-type-code-unknown",
    severity=ERROR,
    doctypes=("acdd",),
    role="exporter",
    basis="VN Decision 1357/QD-TCHQ (18 May 2021, in force 1 Jun 2021): 16 export "
    "declaration-type codes, E56 abolished. Before it, the codes of the 2014 VNACCS guides, "
    "not confirmed as complete, checked as a warning",
)
def export_type_code_unknown(doc: AcddDeclaration, ctx: Context) -> Iterator[Problem]:
    """The export declaration type of an ACDD from Viet Nam is not in the list of its date.

    The list follows the declaration date: Decision 1357 from 2021-06-01 (an error); the
    2014 VNACCS codes before it (a warning, since that list is inferred). Checked when a
    type code is given.

    Fails: ``<acdd:NationalTypeCode>E56</acdd:NationalTypeCode>`` on a declaration dated 2025-03-10
    Passes: ``<acdd:NationalTypeCode>B11</acdd:NationalTypeCode>``;
    ``<acdd:NationalTypeCode>E56</acdd:NationalTypeCode>`` on a declaration dated 2020-05-04
    """
    loc, when = doc.national_type_code, ctx.effective_date
    if not loc.usable or when is None:
        return
    period = period_on(TYPE_PERIODS, when)
    if period is None:
        return
    current = period.start is not None
    known = EXPORT_TYPES_2021 if current else EXPORT_TYPES_2014
    if loc.text in known:
        return
    abolished = current and loc.text in EXPORT_TYPES_2014
    yield problem(
        "Export declaration type {value!r} is {state}; period applied: {period}",
        loc,
        state=T("abolished by Decision 1357") if abolished else T("not a VNACCS export type"),
        period=period.label(),
        expected=", ".join(sorted(known)),
        severity=None if current else WARNING,
    )


_MAX_LINES = 50


@rule(
    code="VN006",
    name="declaration-over-50-items",
    severity=WARNING,
    doctypes=("acdd",),
    role="exporter",
    basis="VNACCS: a declaration of more than 50 lines must be split (IDA guide, fields "
    "FIC/BNO/DNO); confirmed for import declarations, inferred for export, hence a warning",
)
def declaration_over_50_items(doc: AcddDeclaration, ctx: Context) -> Iterator[Problem]:
    """An ACDD from Viet Nam has more than 50 goods items: VNACCS splits such declarations.

    Fails (warning): an export from VN with 51
    ``<acdd:GovernmentAgencyGoodsItem><!-- ... --></acdd:GovernmentAgencyGoodsItem>``
    Passes: an export from VN with 50
    ``<acdd:GovernmentAgencyGoodsItem><!-- ... --></acdd:GovernmentAgencyGoodsItem>`` or fewer
    """
    if len(doc.items) > _MAX_LINES:
        yield problem(
            "The declaration has {n} goods items; VNACCS takes at most 50 per declaration",
            doc.items[_MAX_LINES].node,
            value=str(len(doc.items)),
            n=len(doc.items),
            expected="50 items or fewer (split into several declarations)",
        )


#: Circular 19/2020/TT-BCT of the Ministry of Industry and Trade (14 Aug 2020), Viet Nam's
#: rules for ASEAN-wide Self-Certification, took effect on this day [I].
CIRCULAR_19_2020 = dt.date(2020, 9, 27)


@rule(
    code="VN007",
    name="origin-declaration-before-circular-19",
    severity=INFO,
    doctypes=("origin-declaration",),
    role="issuer",
    effective_from=AWSC_FROM,
    effective_until=CIRCULAR_19_2020 - dt.timedelta(days=1),
    basis="VN MOIT Circular 19/2020/TT-BCT (14 Aug 2020) on the ATIGA rules of origin under the "
    "First Protocol, 'This Circular takes effect on September 27, 2020' (trademarkvn.com.vn "
    "summary; text at english.luatvietnam.vn); VN Customs guidance (Customs News, 2020): AWSC "
    "self-certification follows Appendix 1 of Circular 19/2020, the SCPP2 wording only the "
    "pilot. Circular 19/2020 amends the pilot's Circular 28/2015/TT-BCT, so pilot (SCPP2) "
    "exporters existed; whether they could make AWSC declarations that week is not "
    "confirmed, hence an information",
)
def origin_declaration_before_circular_19(
    doc: OriginDeclaration, ctx: Context
) -> Iterator[Problem]:
    """An Origin Declaration of a Vietnamese Certified Exporter is dated 2020-09-20 to
    2020-09-26, after AWSC began but before Viet Nam's implementing Circular took effect.

    AWSC began across ASEAN on 2020-09-20 (OD011), but Viet Nam's Ministry of Industry and
    Trade approves self-certifying exporters under Circular 19/2020/TT-BCT, in force from
    2020-09-27 (three conditions: the exporter produces the goods, no origin violation in two
    years, trained staff); its SCPP2 pilot declarations ended on 2020-09-19. Circular 19/2020
    amends the pilot's Circular 28/2015/TT-BCT, so pilot exporters existed: a declaration of
    that week is only noted (an information), not judged.

    Fails (info): a Vietnamese CE's (``<od:IssuingCountry>VN</od:IssuingCountry>``) OD made
    out ``<od:CommercialDocument><!-- ... --><od:Date>2020-09-24</od:Date><!-- ... -->
    </od:CommercialDocument>``
    Passes: the same made out ``<od:Date>2020-09-27</od:Date>``
    """
    yield from before_national_instrument(
        doc, T("Vietnamese"), T("Circular 19/2020/TT-BCT took effect"), CIRCULAR_19_2020
    )
