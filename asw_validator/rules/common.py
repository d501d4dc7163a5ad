"""Checks several families share; each rule keeps its own message, code and basis."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator

from ..binding.base import DATE_YEARS, Located, as_date
from ..refdata import countries

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
