import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from explorer.store import dates


@pytest.mark.parametrize(
    ("start", "end", "precision", "earliest", "latest"),
    [
        ("2024-08-19", None, "day", "2024-08-19", "2024-08-19"),
        ("2023-09", None, "month", "2023-09-01", "2023-09-30"),
        ("2024-02", None, "month", "2024-02-01", "2024-02-29"),
        ("2023-02", None, "month", "2023-02-01", "2023-02-28"),
        ("2017", None, "year", "2017-01-01", "2017-12-31"),
        ("2015", "2025", "year", "2015-01-01", "2025-12-31"),
        ("2025-01", "2025-03", "month", "2025-01-01", "2025-03-31"),
    ],
)
def test_bounds(start, end, precision, earliest, latest):
    assert dates.bounds(start, end, precision) == dates.Bounds(earliest, latest)


@pytest.mark.parametrize(
    ("start", "end", "precision"),
    [
        ("2023-09", None, "day"),  # written coarser than claimed
        ("2023-09-01", None, "month"),
        ("2023-13", None, "month"),
        ("2023-02-30", None, "day"),
        ("23-02", None, "month"),
        ("2025", "2015", "year"),  # ends before it starts
        ("2024", None, "week"),
    ],
)
def test_bad_dates_are_refused(start, end, precision):
    with pytest.raises(dates.DateFormatError):
        dates.bounds(start, end, precision)


def test_precision_of():
    assert [dates.precision_of(v) for v in ("2024", "2024-09", "2024-09-30")] == [
        "year",
        "month",
        "day",
    ]


@given(st.dates(min_value=dt.date(1000, 1, 1), max_value=dt.date(9999, 12, 31)))
def test_every_day_lies_within_its_month_and_year(day):
    for value, precision in (
        (day.isoformat(), "day"),
        (day.isoformat()[:7], "month"),
        (day.isoformat()[:4], "year"),
    ):
        b = dates.bounds(value, None, precision)
        assert b.earliest <= day.isoformat() <= b.latest
        assert dt.date.fromisoformat(b.earliest) <= dt.date.fromisoformat(b.latest)
