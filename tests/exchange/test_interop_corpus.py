"""The corpus of real files (tests/fixtures/interop, see its README): each file imports with
the events expected, times in UTC as an independent reading gives them, text unchanged, and
round trips through Explorer's JSON and TimelineJS exports; or it is refused with a
sentence. The expected counts were read off each file and checked by hand; the times and
texts are checked against readings made here with other code (for iCalendar: icalendar and
recurring-ical-events on the whole file, as RFC 5545 says, with the import's bound)."""

from __future__ import annotations

import csv
import datetime as dt
import html
import json
import re
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import icalendar
import pytest
import recurring_ical_events

from explorer.exchange.export import export_json
from explorer.exchange.export_timelinejs import export_timelinejs
from explorer.exchange.imports import Batch, ImportFailed, reader
from explorer.exchange.imports.apply import ImportReport, apply
from explorer.store.connection import create_store, open_store

from ..conftest import FIXTURES

CORPUS = FIXTURES / "interop"


@dataclass(frozen=True)
class Read:
    format: str
    seen: int
    events: int
    rejected: int


@dataclass(frozen=True)
class Refused:
    message: str


EXPECTED: dict[str, Read | Refused] = {
    "ics/icalendar-alarm_etar_future.ics": Read("ics", seen=1, events=1, rejected=0),
    "ics/icalendar-alarm_google_future.ics": Read("ics", seen=1, events=1, rejected=0),
    "ics/icalendar-alarm_thunderbird_future.ics": Read("ics", seen=1, events=1, rejected=0),
    "ics/icalendar-america_new_york.ics": Read("ics", seen=1, events=1, rejected=0),
    "ics/icalendar-broken_ical.ics": Read("ics", seen=1, events=0, rejected=1),
    "ics/icalendar-calendar_with_unicode.ics": Refused(
        "holds no events; there is nothing to import"
    ),
    "ics/icalendar-event_with_recurrence.ics": Read("ics", seen=1, events=97, rejected=0),
    "ics/icalendar-issue_112_missing_tzinfo_on_exdate.ics": Read(
        "ics", seen=1, events=11, rejected=0
    ),
    "ics/icalendar-issue_127_categories_with_commas.ics": Read("ics", seen=1, events=1, rejected=0),
    "ics/icalendar-issue_156_RDATE_with_PERIOD_TZID_khal.ics": Read(
        "ics", seen=1, events=1, rejected=0
    ),
    "ics/icalendar-issue_165_missing_event.ics": Read("ics", seen=1, events=14, rejected=0),
    "ics/icalendar-issue_218_bad_tzid.ics": Read("ics", seen=1, events=1, rejected=0),
    "ics/icalendar-issue_237_fail_to_parse_timezone_with_non_ascii_tzid.ics": Read(
        "ics", seen=1, events=1, rejected=0
    ),
    "ics/icalendar-issue_348_exception_parsing_value.ics": Read(
        "ics", seen=1, events=1, rejected=0
    ),
    "ics/icalendar-issue_350.ics": Read("ics", seen=1, events=1, rejected=0),
    "ics/icalendar-issue_466_convert_tzid_with_slash.ics": Read(
        "ics", seen=1, events=105, rejected=0
    ),
    "ics/icalendar-issue_722_missing_VTIMEZONE_custom.ics": Read(
        "ics", seen=1, events=1, rejected=0
    ),
    "ics/icalendar-issue_836_do_not_quote_tzid.ics": Read("ics", seen=1, events=1, rejected=0),
    "ics/icalendar-pacific_fiji.ics": Read("ics", seen=1, events=0, rejected=1),
    "ics/icalendar-pr_480_summary_with_colon.ics": Read("ics", seen=2, events=0, rejected=2),
    "ics/icalendar-property_params.ics": Read("ics", seen=1, events=1, rejected=0),
    "ics/icalendar-rfc_7529.ics": Read("ics", seen=4, events=4, rejected=0),
    "ics/icalendar-rfc_7986_properties.ics": Refused("holds no events; there is nothing to import"),
    "ics/icalendar-timezone_same_start.ics": Read("ics", seen=1, events=1, rejected=0),
    "ics/icalendar-x_location.ics": Read("ics", seen=1, events=522, rejected=0),
    "ics/recurring-ical-events-Germany_Holidays.ics": Read("ics", seen=34, events=34, rejected=0),
    "ics/recurring-ical-events-daylight_saving_time.ics": Read(
        "ics", seen=64, events=791, rejected=0
    ),
    "ics/recurring-ical-events-discourse_no_dtend.ics": Read("ics", seen=4, events=4, rejected=0),
    "ics/recurring-ical-events-each_week_but_two_deleted.ics": Read(
        "ics", seen=1, events=6, rejected=0
    ),
    "ics/recurring-ical-events-end_before_start_event.ics": Read(
        "ics", seen=1, events=1, rejected=0
    ),
    "ics/recurring-ical-events-fablab_cottbus.ics": Read("ics", seen=28, events=52, rejected=0),
    "ics/recurring-ical-events-issue_20_exdate_ignored.ics": Read(
        "ics", seen=1, events=7, rejected=0
    ),
    "ics/recurring-ical-events-issue_223_thunderbird.ics": Read(
        "ics", seen=3, events=5, rejected=0
    ),
    "ics/recurring-ical-events-issue_48_daylight_aware_repeats.ics": Read(
        "ics", seen=1, events=105, rejected=0
    ),
    "ics/recurring-ical-events-issue_62_moved_event.ics": Read(
        "ics", seen=2, events=25, rejected=0
    ),
    "ics/recurring-ical-events-issue_75_range_parameter.ics": Read(
        "ics", seen=4, events=193, rejected=0
    ),
    "ics/recurring-ical-events-issue_86_x_wr_timezone_without_time_zone_in_dt.ics": Read(
        "ics", seen=1, events=1, rejected=0
    ),
    "ics/recurring-ical-events-multiple_rrule.ics": Read("ics", seen=1, events=22, rejected=0),
    "ics/recurring-ical-events-rdate_hackerpublicradio.ics": Read(
        "ics", seen=1, events=12, rejected=0
    ),
    "ics/recurring-ical-events-recurrence_sequence_number.ics": Read(
        "ics", seen=2, events=105, rejected=0
    ),
    "ics/recurring-ical-events-recurring_events_moved.ics": Read(
        "ics", seen=5, events=7, rejected=0
    ),
    "ics/recurring-ical-events-x_wr_timezone_simple_events_issue_59.ics": Read(
        "ics", seen=2, events=2, rejected=0
    ),
    "timeline/thetimelineproj-versions-1d1ca9ff4.timeline": Read(
        "timeline", seen=59, events=59, rejected=0
    ),
    "timeline/thetimelineproj-versions-a731c324b.timeline": Read(
        "timeline", seen=44, events=44, rejected=0
    ),
    "timelinejs/timelinejs3-all-media-types.json": Read(
        "timelinejs", seen=41, events=41, rejected=0
    ),
    "timelinejs/timelinejs3-cosmo-mixed.json": Read("timelinejs", seen=11, events=11, rejected=0),
    "timelinejs/timelinejs3-cosmo.json": Read("timelinejs", seen=7, events=7, rejected=0),
    "timelinejs/timelinejs3-eras.json": Read("timelinejs", seen=20, events=20, rejected=0),
    "timelinejs/timelinejs3-women_in_computing.csv": Read(
        "timelinejs-csv", seen=10, events=10, rejected=0
    ),
    "timelinejs/timelinejs3-women_in_computing.json": Read(
        "timelinejs", seen=10, events=10, rejected=0
    ),
    "timesketch/timesketch-csv_datetime_last_column.csv": Read(
        "timesketch", seen=4, events=4, rejected=0
    ),
    "timesketch/timesketch-csv_timestamp_as_datetime.csv": Read(
        "timesketch", seen=4, events=4, rejected=0
    ),
    "timesketch/timesketch-csv_timestamp_no_datetime.csv": Read(
        "timesketch", seen=3, events=3, rejected=0
    ),
    "timesketch/timesketch-e2e-evtx_direct.csv": Read("timesketch", seen=13, events=13, rejected=0),
    "timesketch/timesketch-e2e-sigma_events.csv": Read("timesketch", seen=4, events=4, rejected=0),
    "timesketch/timesketch-e2e-sigma_events.jsonl": Read(
        "timesketch", seen=4, events=4, rejected=0
    ),
    "timesketch/timesketch-incorrect.csv": Refused(
        "tell what kind of file timesketch-incorrect.csv is; name its"
    ),
    "timesketch/timesketch-invalid_datetime.csv": Read("timesketch", seen=4, events=3, rejected=1),
    "timesketch/timesketch-large_field_event.jsonl": Read(
        "timesketch", seen=3, events=3, rejected=0
    ),
    "timesketch/timesketch-sigma_events.csv": Read("timesketch", seen=4, events=4, rejected=0),
    "timesketch/timesketch-sigma_events.jsonl": Read("timesketch", seen=5, events=5, rejected=0),
    "timesketch/timesketch-validate_date_events_missing_timestamp.csv": Read(
        "timesketch", seen=1, events=1, rejected=0
    ),
    "timesketch/timesketch-validate_no_datetime_timestamps.csv": Read(
        "timesketch", seen=5, events=5, rejected=0
    ),
    "timesketch/timesketch-validate_time_out_of_range.csv": Read(
        "timesketch", seen=2, events=2, rejected=0
    ),
    "timesketch/timesketch-validate_time_precision.csv": Read(
        "timesketch", seen=2, events=2, rejected=0
    ),
    "timesketch/timesketch-validate_time_precision_datetime.csv": Read(
        "timesketch", seen=1, events=1, rejected=0
    ),
    "timesketch/timesketch-validate_time_precision_jsonl.jsonl": Read(
        "timesketch", seen=2, events=2, rejected=0
    ),
    "timesketch/timesketch-validate_timestamp_conversion.csv": Read(
        "timesketch", seen=3, events=3, rejected=0
    ),
}


#: Files where Explorer reads differently from the independent reading, on purpose.
OWN_READING = {
    # DTEND before DTSTART: recurring-ical-events swaps them; Explorer keeps DTSTART as
    # written, drops the end and reports it ("DTEND before DTSTART") - tested below
    "ics/recurring-ical-events-end_before_start_event.ics",
}


def test_an_end_before_the_start_is_dropped_and_reported(tmp_path):
    report = imported(
        CORPUS / "ics/recurring-ical-events-end_before_start_event.ics", tmp_path / "p.db"
    )
    (ev,) = events(tmp_path / "p.db")
    assert (ev["start"], ev["end"]) == ("2019-03-04T07:30:00Z", None)  # 08:30 in Berlin
    assert report.fidelity["dropped"]["DTEND before DTSTART (the event kept as a moment)"] == 1


def test_a_dtstart_line_that_cannot_be_read_is_named_in_the_rejection(tmp_path):
    """broken_ical.ics writes 'DTSTART;;VALUE=DATE-TIME:…': its event was rejected for
    having no DTSTART, which the file plainly has; the reason names the line instead."""
    report = imported(CORPUS / "ics/icalendar-broken_ical.ics", tmp_path / "p.db")
    (rejected,) = report.rejected
    assert rejected.where == "VEVENT 1 (line 2)"
    assert rejected.reason.startswith(
        "its DTSTART line cannot be read: Content line could not be parsed into parts: "
        "'DTSTART;;VALUE=DATE-TIME:20140409T093000'"
    )


@pytest.mark.parametrize(
    ("name", "background"),
    [
        ("timelinejs3-all-media-types.json", "Background: papayawhip"),
        ("timelinejs3-women_in_computing.json", "Background image: https://upload.wikimedia"),
    ],
)
def test_the_title_slides_background_is_kept(tmp_path, name, background):
    """TimelineJS3's examples give the title slide a background, which was left out
    without a word."""
    report = imported(CORPUS / "timelinejs" / name, tmp_path / "p.db")
    with open_store(tmp_path / "p.db", readonly=True) as store:
        (note,) = store.db.execute("SELECT note FROM sources").fetchone()
    assert background in note
    assert report.fidelity["kept"]["title slide's background kept in the source's note"] == 1


def test_the_manifest_covers_every_file_of_the_corpus():
    files = {
        str(p.relative_to(CORPUS)) for p in CORPUS.rglob("*") if p.is_file() and p.suffix != ".md"
    }
    assert files == set(EXPECTED)


def imported(path: Path, db: Path, fmt: str = "auto") -> ImportReport:
    with create_store(db) as store:
        fmt, fill = reader(path, fmt, store.db)
        report = ImportReport(str(path), fmt, None, 0)
        return apply(store, Batch(fmt), report, skip_bad=True, fill=fill)


def events(db: Path) -> list[dict[str, Any]]:
    with open_store(db, readonly=True) as store:
        cur = store.db.execute("SELECT * FROM events ORDER BY id")
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


# --- independent readings ----------------------------------------------------------------


def utc(value: Any) -> str:
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None and value.utcoffset() is not None:
            value = value.astimezone(dt.UTC)
        v = value
        return f"{v.year:04d}-{v.month:02d}-{v.day:02d}T{v.hour:02d}:{v.minute:02d}:{v.second:02d}Z"
    return value.isoformat()


def ics_reading(path: Path) -> tuple[Counter[str], set[str]] | None:
    """(start times in UTC, summaries) of every occurrence, by icalendar and
    recurring-ical-events on the whole file, each series bounded as the import bounds it
    (1,000 occurrences, none after 2 × 366 days from its first); None where the libraries
    cannot read the file as a whole."""
    try:
        cal = icalendar.Calendar.from_ical(path.read_bytes())
        starts = [e.get("DTSTART").dt for e in cal.walk("VEVENT") if e.get("DTSTART")]
        naive = [
            s if isinstance(s, dt.datetime) else dt.datetime(s.year, s.month, s.day) for s in starts
        ]
        naive = [s.astimezone(dt.UTC).replace(tzinfo=None) if s.tzinfo else s for s in naive]
        lo, hi = min(naive) - dt.timedelta(days=3), max(naive) + dt.timedelta(days=2 * 366 + 3)
        found = list(recurring_ical_events.of(cal).between(lo, hi))
    except Exception:
        return None
    by_series: dict[str, list[Any]] = {}
    for occ in found:
        by_series.setdefault(str(occ.get("UID", "")), []).append(occ)
    times: Counter[str] = Counter()
    for uid, occs in by_series.items():
        occs.sort(key=lambda o: utc(o.start))
        first = occs[0].start
        for n, occ in enumerate(occs):
            if uid and (n >= 1000 or bounded_out(first, occ.start)):
                break
            times[utc(occ.start)] += 1
    summaries = {str(e.get("SUMMARY")).strip() for e in found if e.get("SUMMARY")}
    return times, summaries


def bounded_out(first: Any, start: Any) -> bool:
    def n(v: Any) -> dt.datetime:
        if not isinstance(v, dt.datetime):
            return dt.datetime(v.year, v.month, v.day)
        return v.astimezone(dt.UTC).replace(tzinfo=None) if v.tzinfo else v

    return n(start) > n(first) + dt.timedelta(days=2 * 366)


def tjs_year(value: Any) -> int:
    y = int(str(value).strip())
    return y + 1 if -99999 <= y < 0 else y  # TimelineJS shows -300 as 300 BCE


def tjs_start(date: dict[str, Any]) -> str:
    y = tjs_year(date["year"])
    text = f"{y:04d}" if 0 <= y <= 9999 else f"{y:+05d}"
    for key, sep in (("month", "-"), ("day", "-"), ("hour", "T")):
        if str(date.get(key) or "").strip():
            text += f"{sep}{int(date[key]):02d}"
        else:
            break
    return text


def tag_free(text: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]*>", " ", text)).split())


def reading(path: Path) -> tuple[Counter[str], set[str]] | None:
    """(starts, titles) of a file read independently; starts are compared on the date (and
    hour, for times) part that every precision keeps."""
    if path.suffix == ".ics":
        return ics_reading(path)
    if path.suffix == ".json":
        doc = json.loads(path.read_text("utf-8"))
        evs = [e for e in doc["events"] if e.get("start_date")]
        starts = Counter(tjs_start(e["start_date"]) for e in evs)
        titles = {tag_free(e["text"]["headline"]) for e in evs if e.get("text", {}).get("headline")}
        return starts, titles
    if path.suffix == ".timeline":
        root = ET.parse(path).getroot()
        starts, titles = Counter(), set()
        for ev in root.iterfind("events/event"):
            day, _, time = ev.findtext("start", "").partition(" ")
            y, m, d = (int(x) for x in day.split("-"))
            starts[
                f"{y:04d}-{m:02d}-{d:02d}" + (f"T{time[:2]}" if time[:8] != "00:00:00" else "")
            ] += 1
            titles.add(re.sub(r"^(\[\d+\]|\(\d+\))", "", ev.findtext("text", "")).strip())
        return starts, titles
    if "timesketch" in path.name:
        if path.suffix == ".jsonl":
            rows = [
                json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()
            ]
        else:
            with path.open(encoding="utf-8", newline="") as f:
                rows = list(csv.DictReader(f))
        starts = Counter()
        for row in rows:
            when = str(row.get("datetime") or "").strip()
            if when.isdigit():  # an epoch number: microseconds at Timesketch's sizes
                unit = 1e6 if int(when) >= 1e14 else 1e3 if int(when) >= 1e11 else 1
                t = dt.datetime.fromtimestamp(int(when) / unit, dt.UTC)
                starts[utc(t)[:13]] += 1
            elif when:
                try:
                    t = dt.datetime.fromisoformat(when.replace("Z", "+00:00"))
                except ValueError:
                    continue
                starts[utc(t if t.tzinfo else t.replace(tzinfo=dt.UTC))[:13]] += 1
            elif str(row.get("timestamp") or "").strip():
                t = dt.datetime.fromtimestamp(int(row["timestamp"]) / 1e6, dt.UTC)
                starts[utc(t)[:13]] += 1
        return starts, {str(r["message"]).split("\n")[0][:200] for r in rows}
    return None


def key(start: str, path: Path) -> str:
    """The part of a start that both readings give: the hour for timed TimelineJS, .timeline
    and Timesketch events (their minutes are checked by the format tests), all of it for
    iCalendar."""
    return start if path.suffix == ".ics" else start.removesuffix("Z")[:13]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_real_file(tmp_path, name):
    path = CORPUS / name
    expected = EXPECTED[name]
    if isinstance(expected, Refused):
        with pytest.raises(ImportFailed) as caught:
            imported(path, tmp_path / "p.db")
        assert expected.message in str(caught.value) and "\n" not in str(caught.value)
        return
    report = imported(path, tmp_path / "p.db")
    assert (report.format, report.seen, report.added.get("events", 0), len(report.rejected)) == (
        expected.format,
        expected.seen,
        expected.events,
        expected.rejected,
    )
    assert all(r.reason for r in report.rejected)
    got = events(tmp_path / "p.db")
    independent = None if name in OWN_READING else reading(path)
    if independent is not None:
        starts, titles = independent
        mine = Counter(key(e["start"], path) for e in got)
        theirs = Counter({key(k, path): v for k, v in starts.items()})
        if expected.rejected:
            assert not mine - theirs, mine - theirs  # what was read is what the file says
        else:
            assert mine == theirs
        got_titles = {e["title"] for e in got}
        unchanged = titles & got_titles
        assert len(unchanged) >= len(titles) - expected.rejected - 1, titles - got_titles


@pytest.mark.parametrize(
    "name", sorted(n for n, e in EXPECTED.items() if isinstance(e, Read) and e.events)
)
def test_each_real_file_round_trips_through_json_and_timelinejs(tmp_path, name):
    imported(CORPUS / name, tmp_path / "first.db")
    with open_store(tmp_path / "first.db", readonly=True) as store:
        export_json(store.db, tmp_path / "all.json")
        export_timelinejs(store.db, tmp_path / "t.json")
    imported(tmp_path / "all.json", tmp_path / "json.db")
    assert events(tmp_path / "json.db") == events(tmp_path / "first.db")
    imported(tmp_path / "t.json", tmp_path / "tjs.db")

    def seen(db: Path) -> Counter[tuple[str, ...]]:
        return Counter(
            (" ".join(e["title"].split()), e["start"], e["end"] or "", e["precision"])
            for e in events(db)
        )

    assert seen(tmp_path / "tjs.db") == seen(tmp_path / "first.db")


def test_microsoft_cdo_stand_ups_are_fourteen_at_ten_in_summer_time(tmp_path):
    """BYDAY=MO, TU, WE (with spaces) in a GMT +0100 / +0200 VTIMEZONE: the issue's
    "14 daily stand-ups" that became one event."""
    report = imported(CORPUS / "ics/icalendar-issue_165_missing_event.ics", tmp_path / "p.db")
    got = events(tmp_path / "p.db")
    days = [3, 6, 7, 8, 9, 10, 13, 14, 15, 16, 17, 20, 21, 22]
    assert sorted(e["start"] for e in got) == [f"2015-07-{d:02d}T08:00:00Z" for d in days]
    assert {e["end"][11:] for e in got} == {"08:30:00Z"}
    changed = report.fidelity["changed"]
    assert changed["RRULE(s) written with spaces (as Microsoft CDO does) read without"] == 1
