"""Dates as a reader of an exported file sees them: the HTML report's and TimelineJS's
display dates ('circa 2024', '2015 – 2025', 'Mar 3501 BCE', '2015-07-24 19:01:01 UTC')."""

from __future__ import annotations

import re

from explorer.store import dates
from explorer.store.records import DatedPeriod, Event

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_DATE = re.compile(r"^([+-]?\d+)(?:-(\d\d))?(?:-(\d\d))?(?:T(\d\d)(?::(\d\d))?(?::(\d\d))?Z)?$")


def resolved_date(value: str, precision: str) -> str:
    """A partial ISO date for a reader: '2024-08-19' as is, '2015-07-24T19:01:01Z' as
    '2015-07-24 19:01:01 UTC', years outside 1..9999 by `dates.year_label`
    ('-3500-03' -> 'Mar 3501 BCE', '-13800000000' -> '13.8 billion BCE')."""
    m = _DATE.match(value)
    if not m:
        return value
    year, month, day, hh, mm, ss = m.groups()
    time = ":".join(x for x in (hh, mm, ss) if x)
    if precision == "hour":
        time += ":00"
    clock = f" {time} UTC" if time else ""
    if 1 <= int(year) <= 9999:
        return value.split("T")[0].lstrip("+") + clock
    label = dates.year_label(int(year))
    if month is None:
        return label
    return " ".join(x for x in (day and str(int(day)), MONTHS[int(month) - 1], label) if x) + clock


def event_when(ev: Event) -> str:
    """The resolved date of an event: qualifier, start and end ('circa 2024', '2015 – 2025')."""
    text = resolved_date(ev.start, ev.precision)
    if ev.end:
        text += " – " + resolved_date(ev.end, ev.precision)
    return text if ev.qualifier == "exact" else f"{ev.qualifier} {text}"


def period_when(p: DatedPeriod) -> str:
    """A statement's date or target period as a reader sees it ('before 2030')."""
    text = resolved_date(p.start, p.precision)
    if p.end:
        text += " – " + resolved_date(p.end, p.precision)
    return text if p.qualifier == "exact" else f"{p.qualifier} {text}"
