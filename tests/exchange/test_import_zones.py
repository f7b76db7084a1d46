"""Times written without a zone are read in the zone the user names (UTC by default)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from explorer.exchange.imports import UTC, Batch, ImportFailed, parse_zone, read, reader
from explorer.exchange.imports.apply import ImportReport, apply
from explorer.store.connection import create_store

from ..conftest import INTEROP

FLOATING = """BEGIN:VCALENDAR
VERSION:2.0
BEGIN:VEVENT
UID:a@example.org
DTSTART:20250429T093000
DTEND:20250429T110000
SUMMARY:Floating meeting
END:VEVENT
BEGIN:VEVENT
UID:b@example.org
DTSTART;VALUE=DATE:20250430
SUMMARY:A day
END:VEVENT
END:VCALENDAR
"""


def events(src: Path, tmp_path: Path, zone: str = "UTC") -> tuple[Batch, dict[str, dict]]:
    with create_store(tmp_path / f"s{len(list(tmp_path.iterdir()))}.db") as store:
        batch = read(src, "auto", store.db, zone=parse_zone(zone))
    return batch, {e["title"]: e for e in batch.rows["events"]}


@pytest.mark.parametrize(
    ("text", "name", "offset_hours"),
    [("UTC", "UTC", 0), ("", "UTC", 0), ("+09:00", "UTC+09:00", 9), ("-0530", "UTC-05:30", -5.5),
     ("UTC+8", "UTC+08:00", 8), ("Asia/Seoul", "Asia/Seoul", 9)],
)  # fmt: skip
def test_zones_are_named_as_offsets_or_places(text, name, offset_hours):
    import datetime as dt

    zone = parse_zone(text)
    assert zone.name == name
    assert dt.datetime(2025, 1, 1, tzinfo=zone.tz).utcoffset() == dt.timedelta(hours=offset_hours)


@pytest.mark.parametrize("text", ["Mars/Olympus", "+15:00", "+09:75", "../../etc/passwd"])
def test_unknown_zones_are_refused_with_a_hint(text):
    with pytest.raises(ImportFailed, match=r"Asia/Seoul|from -14:00 to \+14:00"):
        parse_zone(text)


def test_icalendar_floating_times_read_in_the_named_zone(tmp_path):
    src = tmp_path / "cal.ics"
    src.write_text(FLOATING, encoding="utf-8")
    batch, got = events(src, tmp_path)
    assert got["Floating meeting"]["start"] == "2025-04-29T09:30:00Z"
    assert batch.warnings == ["2 time(s) had no time zone; read as UTC"]
    batch, got = events(src, tmp_path, "Asia/Seoul")
    meeting = got["Floating meeting"]
    assert (meeting["start"], meeting["end"]) == ("2025-04-29T00:30:00Z", "2025-04-29T02:00:00Z")
    assert got["A day"]["start"] == "2025-04-30"  # a date has no time to shift
    assert batch.warnings == ["2 time(s) had no time zone; read as Asia/Seoul"]


def test_timelinejs_hours_shift_and_gain_minutes_when_the_offset_has_them(tmp_path):
    src = tmp_path / "t.json"
    when = {"year": 2020, "month": 1, "day": 1, "hour": 5}
    src.write_text(json.dumps({"events": [{"start_date": when, "text": {"headline": "h"}}]}))
    _, got = events(src, tmp_path, "+05:30")
    assert (got["h"]["start"], got["h"]["precision"]) == ("2019-12-31T23:30Z", "minute")
    _, got = events(src, tmp_path, "+05:00")
    assert (got["h"]["start"], got["h"]["precision"]) == ("2020-01-01T00Z", "hour")


@pytest.mark.skipif(not INTEROP.is_dir(), reason="../shared/interop is missing")
def test_timeline_project_times_shift_and_dates_stay(tmp_path):
    src = INTEROP / "thetimelineproj-versions.timeline"
    _, utc = events(src, tmp_path)
    batch, seoul = events(src, tmp_path, "+09:00")
    assert utc.keys() == seoul.keys()
    shifted = [t for t in utc if utc[t]["start"] != seoul[t]["start"]]
    for title in shifted:
        assert utc[title]["t0"] - seoul[title]["t0"] == 9 * 3600
    same_day = [t for t in utc if utc[t]["precision"] == "day"]
    assert all(utc[t]["start"] == seoul[t]["start"] for t in same_day)
    assert len(shifted) + len(same_day) == len(utc)
    assert ("read as UTC+09:00" in batch.warnings[-1]) == bool(shifted)


def test_the_zone_travels_into_the_written_import(tmp_path):
    src = tmp_path / "cal.ics"
    src.write_text(FLOATING, encoding="utf-8")
    with create_store(tmp_path / "p.db") as store:
        fmt, fill = reader(src, "auto", store.db, zone=parse_zone("+09:00"))
        report = apply(store, Batch(fmt), ImportReport(str(src), fmt, None, 0), fill=fill)
        starts = [r[0] for r in store.db.execute("SELECT start FROM events ORDER BY start")]
    assert starts == ["2025-04-29T00:30:00Z", "2025-04-30"]
    assert "read as UTC+09:00" in report.text()
    assert parse_zone("utc") is UTC
