"""Calendar periods: same day next year/month, the last day of the month when it lacks one."""

from __future__ import annotations

import datetime as dt

import pytest

from asw_validator.dates import Period, add_months, add_years, period_on

D = dt.date


@pytest.mark.parametrize(
    ("start", "years", "end"),
    [
        (D(2024, 2, 29), 1, D(2025, 2, 28)),
        (D(2024, 2, 29), 4, D(2028, 2, 29)),
        (D(2025, 3, 12), 1, D(2026, 3, 12)),
        (D(2025, 12, 31), 1, D(2026, 12, 31)),
    ],
)
def test_add_years(start: dt.date, years: int, end: dt.date) -> None:
    assert add_years(start, years) == end


@pytest.mark.parametrize(
    ("start", "months", "end"),
    [
        (D(2025, 1, 31), 1, D(2025, 2, 28)),
        (D(2024, 1, 31), 1, D(2024, 2, 29)),
        (D(2025, 3, 12), 12, D(2026, 3, 12)),
        (D(2025, 11, 30), 3, D(2026, 2, 28)),
        (D(2025, 3, 31), -1, D(2025, 2, 28)),
    ],
)
def test_add_months(start: dt.date, months: int, end: dt.date) -> None:
    assert add_months(start, months) == end


def test_periods_are_inclusive_and_labelled() -> None:
    periods = (
        Period("old", None, D(2013, 12, 31)),
        Period("mid", D(2014, 1, 1), D(2020, 9, 19)),
        Period("new", D(2020, 9, 20), None),
    )
    assert period_on(periods, D(2013, 12, 31)).name == "old"
    assert period_on(periods, D(2014, 1, 1)).name == "mid"
    assert period_on(periods, D(2020, 9, 19)).name == "mid"
    assert period_on(periods, D(2020, 9, 20)).name == "new"
    assert [p.label() for p in periods] == [
        "old (to 2013-12-31)",
        "mid (2014-01-01 to 2020-09-19)",
        "new (from 2020-09-20)",
    ]
    with pytest.raises(ValueError):
        period_on(periods[1:2], D(2021, 1, 1))
