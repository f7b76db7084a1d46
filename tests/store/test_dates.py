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
    b = dates.bounds(start, end, precision)
    assert (b.earliest, b.latest) == (earliest, latest)
    # t0/t1 are the same period in seconds, as datetime counts them
    epoch = dt.date(1970, 1, 1)
    assert b.t0 == (dt.date.fromisoformat(earliest) - epoch).days * 86400
    assert b.t1 == ((dt.date.fromisoformat(latest) - epoch).days + 1) * 86400


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


@given(st.integers(min_value=-(10**12), max_value=10**12))
def test_day_numbers_round_trip_for_any_day(days):
    assert dates.days_from_civil(*dates.civil_from_days(days)) == days


@given(st.dates())
def test_day_numbers_agree_with_datetime(day):
    expected = (day - dt.date(1970, 1, 1)).days
    assert dates.days_from_civil(day.year, day.month, day.day) == expected


@pytest.mark.parametrize(
    ("start", "end", "precision", "earliest", "latest", "seconds"),
    [
        # TimelineJS's cosmological scale: the Big Bang at year precision
        ("-13800000000", None, "year", "-13800000000-01-01", "-13800000000-12-31", 366 * 86400),
        ("-3500", None, "year", "-3500-01-01", "-3500-12-31", 365 * 86400),  # a century year
        ("0000", None, "year", "0000-01-01", "0000-12-31", 366 * 86400),  # 1 BCE, leap
        ("0602", "0629", "year", "0602-01-01", "0629-12-31", None),
        ("-538800000", "-251902000", "year", "-538800000-01-01", "-251902000-12-31", None),
        ("2015-07-24T19:01:01Z", None, "second", "2015-07-24", "2015-07-24", 1),
        ("2013-03-30T11:16Z", None, "minute", "2013-03-30", "2013-03-30", 60),
        ("2013-03-30T23Z", None, "hour", "2013-03-30", "2013-03-30", 3600),
        ("+12000-02", None, "month", "+12000-02-01", "+12000-02-29", 29 * 86400),
    ],
)
def test_deep_time_and_times_of_day(start, end, precision, earliest, latest, seconds):
    b = dates.bounds(start, end, precision)
    assert (b.earliest, b.latest) == (earliest, latest)
    assert b.t0 < b.t1
    if seconds is not None:
        assert b.t1 - b.t0 == seconds
    assert dates.precision_of(start) == precision


def test_instants_are_utc_seconds():
    b = dates.bounds("2015-07-24T19:01:01Z", None, "second")
    assert b.t0 == dt.datetime(2015, 7, 24, 19, 1, 1, tzinfo=dt.UTC).timestamp()


@pytest.mark.parametrize(
    "value",
    [
        "602",
        "-13800000000000",
        "2015-07-24T24:00Z",
        "2015-07-24T19:61Z",
        "2015-07-24 19:01Z",
        "2015-07-24T19:01:01+09:00",
        "--2024",
        "2024-00",
    ],
)
def test_odd_dates_are_refused(value):
    with pytest.raises(dates.DateFormatError):
        dates.period_bounds(value)


def test_year_labels():
    years = (602, 1, 0, -3500, -13_800_000_000, -538_800_000, 551_996_361)
    assert [dates.year_label(y) for y in years] == [
        "602",
        "1",
        "1 BCE",
        "3501 BCE",
        "13.8 billion BCE",
        "538.8 million BCE",
        "552 million",
    ]
