"""Cambodia pack (``KH`` codes).

Facts: domain.md §5.1, §5.3, and the Ministry of Commerce (MoC), Cambodia's issuing
authority for Form D:

- [C] MoC certifies Cambodian certificates of origin (co.moc.gov.kh, CO Automation System:
  "certified by a recognized issuing body - in the Kingdom of Cambodia's case, Ministry of
  Commerce (MOC)"); since 2017 it delegates Form D issuance to provincial departments of
  commerce (Khmer Times, 2019).
- [C] MoC's notice "The implementation of automated e-ATIGA Form D from 1st June 2020"
  (Cambodia National Trade Repository, cambodiantr.gov.kh, in Khmer): from 2020-06-01 box 3
  no longer carries the means of transport ("BY SEA, BY TRUCK, BY AIR"), and exporters enter
  the FOB value of every goods item as in the invoice. How these reach the e-Form D message
  is not confirmed: those rules are information only.
- [?] The TIN format is not published by the General Department of Taxation in any source
  reached: its check is a warning on format only.

Cambodia's FOB rule lives in the e-Form D family (FD003, tagged KH).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

from ...binding.eformd import FormD
from ...context import Context
from ...i18n import T
from ...model import Severity
from ...refdata import criteria
from ..base import Family, Problem, problem
from .common import PARTY_DOCTYPES, check_ids

PACK = Family("kh", "1.2.0", country="KH")
rule = PACK.rule

_TIN = re.compile(r"^[A-Z][0-9]{3}-?[0-9]{9,10}$")


def _tin_reason(value: str) -> str | None:
    if _TIN.match(value.replace(" ", "")):
        return None
    return T("not in the usual Cambodian shape (a letter, 3 digits, then 9 or 10 digits)")


@rule(
    code="KH001",
    name="tin-format-unusual",
    severity=Severity.WARNING,
    doctypes=PARTY_DOCTYPES,
    role="any",
    basis="Cambodia TIN: no official format found; third-party guides give a letter "
    "(L large, K medium, E small taxpayer) + 3 digits + 9-10 digits, and no public check "
    "digit. Format only, not confirmed, hence a warning",
)
def tin_format_unusual(doc: Any, ctx: Context) -> Iterator[Problem]:
    """The TIN of a Cambodian party is not in the shape third-party guides describe.

    Spaces are ignored; the letter must be a capital.

    Fails (warning): a Cambodian consignee with
    ``<fd:Consignee><fd:Name>Angkor Agro Co.</fd:Name><fd:ID>12345</fd:ID><!-- ... -->
    </fd:Consignee>``
    Passes: ``<fd:Consignee><fd:Name>Angkor Agro Co.</fd:Name><fd:ID>K001-901234567</fd:ID>
    <!-- ... --></fd:Consignee>``
    """
    yield from check_ids(
        doc, "KH", T("TIN"), _tin_reason, "a letter, 3 digits, 9-10 digits, e.g. K001-901234567"
    )


BASIS_MOC = (
    "Ministry of Commerce of Cambodia, issuing authority of Form D (co.moc.gov.kh, CO "
    "Automation System; Form D issuance delegated to provincial departments of commerce "
    "since 2017)"
)
#: MoC's automated e-ATIGA Form D (cambodiantr.gov.kh notice, in force 2020-06-01).
MOC_AUTOMATED = dt.date(2020, 6, 1)
BASIS_AUTOMATED = (
    "Ministry of Commerce of Cambodia, notice 'The implementation of automated e-ATIGA Form D "
    "from 1st June 2020' (Cambodia National Trade Repository)"
)


@rule(
    code="KH002",
    name="issuing-authority-not-commerce",
    severity=Severity.WARNING,
    doctypes=("eformd",),
    role="issuer",
    basis=BASIS_MOC + "; how box 12 names it in the message is inferred, hence a warning",
)
def issuing_authority_not_commerce(doc: FormD, ctx: Context) -> Iterator[Problem]:
    """Box 12 of a Cambodian e-Form D names an authority other than the Ministry of Commerce
    or a department of commerce.

    Fails (warning): ``<fd:Authority>General Department of Customs and Excise</fd:Authority>``
    Passes: ``<fd:Authority>Ministry of Commerce</fd:Authority>``;
    ``<fd:Authority>Department of Commerce, Battambang Province</fd:Authority>``
    """
    loc = doc.authority
    if loc.usable and "COMMERCE" not in loc.text.upper() and "ពាណិជ្ជកម្ម" not in loc.text:
        yield problem(
            "The certifying authority {value!r} is not the Ministry of Commerce, which issues"
            " Cambodian Form D (directly or through a provincial department of commerce)",
            loc,
            expected="Ministry of Commerce, or a provincial Department of Commerce",
        )


_BY_MODE = re.compile(r"^\s*BY\s+(SEA|TRUCK|AIR)\s*\.?\s*$", re.IGNORECASE)


@rule(
    code="KH003",
    name="transport-means-by-mode",
    severity=Severity.INFO,
    doctypes=("eformd",),
    role="issuer",
    effective_from=MOC_AUTOMATED,
    basis=BASIS_AUTOMATED + ": box 3 no longer carries 'BY SEA, BY TRUCK, BY AIR'; its "
    "effect on the message is inferred, hence information",
)
def transport_means_by_mode(doc: FormD, ctx: Context) -> Iterator[Problem]:
    """Box 3 of a Cambodian e-Form D from 2020-06-01 gives only "BY SEA", "BY TRUCK" or
    "BY AIR" as the means of transport, an entry MoC's automated system dropped.

    Fails (info): ``<fd:MeansName>BY SEA</fd:MeansName>`` on a 2025 certificate from KH
    Passes: ``<fd:MeansName>MV Mekong Star V.25</fd:MeansName>``
    """
    loc = doc.transport_means
    if loc.usable and _BY_MODE.match(loc.text):
        yield problem(
            "Box 3 gives {value!r} as the means of transport; since 2020-06-01 MoC's automated"
            " e-ATIGA Form D leaves this entry out (name the vessel, truck or flight instead)",
            loc,
            expected="the vessel's or aircraft's name, or nothing",
        )


@rule(
    code="KH004",
    name="item-fob-missing",
    severity=Severity.INFO,
    doctypes=("eformd",),
    role="issuer",
    effective_from=MOC_AUTOMATED,
    basis=BASIS_AUTOMATED + ": exporters enter the FOB value of every goods item as in the "
    "invoice; whether it is sent in the e-Form D for every criterion is inferred, hence "
    "information (FD003 judges FOB where ATIGA requires it)",
)
def item_fob_missing(doc: FormD, ctx: Context) -> Iterator[Problem]:
    """An item of a Cambodian e-Form D from 2020-06-01 has no FOB value, which MoC's system
    asks for every item.

    Items whose FOB ATIGA requires (RVC: FD003) are left to FD003.

    Fails (info): an item ``<fd:OriginCriterion>WO</fd:OriginCriterion>`` without FOBValue, on
    a 2025 certificate from KH
    Passes: the item with ``<fd:FOBValue currencyID="USD">4800</fd:FOBValue>``
    """
    for item in doc.items:
        found = criteria.read(item.criterion.text)[0] if item.criterion.usable else None
        uses_value = found is not None and found.uses_value
        if not item.fob.present and not uses_value:
            yield problem(
                "Item {n} has no FOB value; MoC's automated e-ATIGA Form D records the FOB of"
                " every item (from 2020-06-01)",
                item.fob,
                n=item.number.text or "?",
                expected="an FOB value as in the invoice",
            )
