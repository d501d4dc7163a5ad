"""Calendar arithmetic and dated periods for rules whose requirement changed over time.

Periods in the ATIGA OCP ("1 year", "12 months") are calendar periods, not day counts
(domain.md §5.8): one year after 2024-02-29 is 2025-02-28, the last day of that month.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

from .i18n import T


def parse_day(text: str) -> dt.date:
    """A calendar date written YYYY-MM-DD in the years documents may carry (1900-2099), as
    ``--on-date`` and the configuration take it; ValueError saying what is wrong."""
    from .binding.base import DATE_YEARS

    if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text):
        raise ValueError(f"{text!r} is not a date written YYYY-MM-DD (e.g. 2027-01-01)")
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{text!r} is not a calendar date") from None
    if day.year not in DATE_YEARS:
        first, last = DATE_YEARS.start, DATE_YEARS.stop - 1
        raise ValueError(f"{text!r} is outside the years {first}-{last}")
    return day


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` moved by whole calendar months; a day the target month lacks becomes its last."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def add_years(day: dt.date, years: int) -> dt.date:
    """``day`` moved by calendar years (29 February -> 28 February in a common year)."""
    return add_months(day, 12 * years)


@dataclass(frozen=True)
class Period:
    """A named span of dates, ``start`` and ``end`` inclusive; ``None`` is open-ended."""

    name: str
    start: dt.date | None
    end: dt.date | None

    def contains(self, day: dt.date) -> bool:
        return (self.start is None or day >= self.start) and (self.end is None or day <= self.end)

    def label(self) -> str:
        """``"name (2014-01-01 to 2020-09-19)"``, ``"name (from ...)"`` or ``"name (to ...)"``:
        a term, translated with the name (give the name as a ``T`` for that)."""
        if self.start and self.end:
            return T("{name} ({start} to {end})", name=self.name, start=self.start, end=self.end)
        if self.start:
            return T("{name} (from {start})", name=self.name, start=self.start)
        if self.end:
            return T("{name} (to {end})", name=self.name, end=self.end)
        return self.name


def period_on(periods: Sequence[Period], day: dt.date) -> Period:
    """The period of ``periods`` containing ``day``; they must cover every date."""
    for period in periods:
        if period.contains(day):
            return period
    raise ValueError(f"no period covers {day.isoformat()}")
