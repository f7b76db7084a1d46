"""iCalendar through icalendar, recurring-ical-events and x-wr-timezone: times in the right
zone, series expanded within a bound, every property accounted for in the fidelity report."""

from __future__ import annotations

from pathlib import Path

from explorer.exchange.imports import SeriesBound, read
from explorer.store.connection import create_store

CUSTOM_ZONE = """BEGIN:VTIMEZONE
TZID:GMT +0100 (Standard) / GMT +0200 (Daylight)
BEGIN:STANDARD
DTSTART:16011028T030000
TZOFFSETFROM:+0200
TZOFFSETTO:+0100
RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU
END:STANDARD
BEGIN:DAYLIGHT
DTSTART:16010325T020000
TZOFFSETFROM:+0100
TZOFFSETTO:+0200
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU
END:DAYLIGHT
END:VTIMEZONE
"""


def cal(body: str, head: str = "") -> str:
    return f"BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//t//EN\n{head}{body}END:VCALENDAR\n"


def ev(uid: str, *lines: str, summary: str = "s") -> str:
    body = "".join(f"{x}\n" for x in lines)
    return f"BEGIN:VEVENT\nUID:{uid}\nSUMMARY:{summary}\n{body}END:VEVENT\n"


def batch_of(tmp_path: Path, text: str, series: SeriesBound | None = None, zone=None):
    path = tmp_path / "c.ics"
    path.write_text(text, encoding="utf-8")
    with create_store(tmp_path / f"p{len(list(tmp_path.iterdir()))}.db") as store:
        kwargs = {"zone": zone} if zone else {}
        return read(path, "ics", store.db, series=series, **kwargs)


def starts(batch) -> list[str]:
    return sorted(e["start"] for e in batch.rows["events"])


def test_a_tzid_defined_by_the_files_vtimezone_is_resolved(tmp_path):
    text = cal(
        ev("a", "DTSTART;TZID=GMT +0100 (Standard) / GMT +0200 (Daylight):20240115T100000")
        + ev("b", "DTSTART;TZID=GMT +0100 (Standard) / GMT +0200 (Daylight):20240715T100000"),
        CUSTOM_ZONE,
    )
    b = batch_of(tmp_path, text)
    assert starts(b) == ["2024-01-15T09:00:00Z", "2024-07-15T08:00:00Z"]
    assert b.fidelity.kept["VTIMEZONE definition(s) used to place times"] == 1


def test_windows_zone_names_are_mapped_to_iana(tmp_path):
    b = batch_of(tmp_path, cal(ev("a", "DTSTART;TZID=Eastern Standard Time:20240115T100000")))
    assert starts(b) == ["2024-01-15T15:00:00Z"]


def test_x_wr_timezone_places_floating_times_but_not_zoned_ones(tmp_path):
    text = cal(
        ev("a", "DTSTART:20240115T100000")
        + ev("b", "DTSTART:20240115T100000Z")
        + ev("c", "DTSTART;TZID=GMT +0100 (Standard) / GMT +0200 (Daylight):20240115T100000"),
        "X-WR-TIMEZONE:Asia/Seoul\n" + CUSTOM_ZONE,
    )
    b = batch_of(tmp_path, text)
    assert starts(b) == [
        "2024-01-15T01:00:00Z",  # floating, read in the calendar's zone
        "2024-01-15T09:00:00Z",  # its own zone (x-wr-timezone 2.0.1 alone moved it)
        "2024-01-15T10:00:00Z",  # UTC stays UTC
    ]
    assert b.floating == 0


def test_rrule_exdate_and_recurrence_id_are_expanded_as_one_series(tmp_path):
    master = ev(
        "daily",
        "DTSTART;TZID=Europe/Berlin:20240101T090000",
        "DTEND;TZID=Europe/Berlin:20240101T091500",
        "RRULE:FREQ=DAILY;COUNT=5",
        "EXDATE;TZID=Europe/Berlin:20240103T090000",
        summary="Stand-up",
    )
    moved = ev(
        "daily",
        "RECURRENCE-ID;TZID=Europe/Berlin:20240104T090000",
        "DTSTART;TZID=Europe/Berlin:20240104T140000",
        "DTEND;TZID=Europe/Berlin:20240104T141500",
        summary="Stand-up (afternoon)",
    )
    b = batch_of(tmp_path, cal(master + moved))
    assert starts(b) == [
        "2024-01-01T08:00:00Z",
        "2024-01-02T08:00:00Z",
        "2024-01-04T13:00:00Z",
        "2024-01-05T08:00:00Z",
    ]
    assert b.seen == 2 and not b.rejected
    notes = {e["date_note"] for e in b.rows["events"]}
    assert all("of the series daily (FREQ=DAILY;COUNT=5)" in n for n in notes)
    assert len({e["id"] for e in b.rows["events"]}) == 4
    lines = b.fidelity.lines()
    assert (
        "changed: 4 occurrence(s) expanded from 1 recurring event(s) (RRULE/RDATE), "
        "linked by their series' UID in the date note" in lines
    )
    assert "changed: 1 modified occurrence(s) (RECURRENCE-ID) applied to their series" in lines


def test_rdate_lists_are_expanded(tmp_path):
    text = cal(ev("r", "DTSTART:20240101T100000Z", "RDATE:20240201T100000Z,20240301T100000Z"))
    assert starts(batch_of(tmp_path, text)) == [
        "2024-01-01T10:00:00Z",
        "2024-02-01T10:00:00Z",
        "2024-03-01T10:00:00Z",
    ]


def test_an_endless_series_is_cut_at_the_bound_and_the_report_says_so(tmp_path):
    text = cal(ev("w", "DTSTART:20240101T100000Z", "RRULE:FREQ=WEEKLY"))
    b = batch_of(tmp_path, text)
    assert len(b.rows["events"]) == 105  # two years of weeks (366 days a year at most)
    assert any("1 recurring series went on past the bound and were cut: w" in w for w in b.warnings)
    b = batch_of(tmp_path, text, SeriesBound(occurrences=10, years=50))
    assert len(b.rows["events"]) == 10
    cut = "series cut at the bound (10 occurrences or 50 years after the first)"
    assert b.fidelity.changed[cut] == 1


def test_alarms_quoted_parameters_categories_and_people(tmp_path):
    text = cal(
        "BEGIN:VEVENT\nUID:x\nDTSTART:20240101T100000Z\nSUMMARY:Review\n"
        'DESCRIPTION;ALTREP="data:text/html,<b>x</b>:y":The real description\n'
        "CATEGORIES:Work\\, urgent,Review\nCATEGORIES:Other\n"
        "URL:https://example.org/review\n"
        'ORGANIZER;CN="Doe, Jane":mailto:jane@example.org\n'
        "ATTENDEE;CN=Kim:mailto:kim@example.org\nATTENDEE:mailto:lee@example.org\n"
        "BEGIN:VALARM\nACTION:DISPLAY\nDESCRIPTION:Reminder text\nTRIGGER:-PT15M\nEND:VALARM\n"
        "STATUS:CONFIRMED\nEND:VEVENT\n"
    )
    b = batch_of(tmp_path, text)
    e = b.rows["events"][0]
    assert e["category"] == "Work, urgent"
    assert e["summary"] == (
        "The real description\n"
        "Categories: Work, urgent, Review, Other\n"
        "Link: https://example.org/review\n"
        "Organizer: Doe, Jane <mailto:jane@example.org>\n"
        "Attendees: Kim <mailto:kim@example.org>, mailto:lee@example.org"
    )
    assert "Reminder" not in e["summary"]
    f = b.fidelity
    assert f.dropped["alarm(s) (VALARM) ignored"] == 1
    assert f.dropped["STATUS (no place for it in Explorer)"] == 1
    assert f.kept["ORGANIZER kept as a 'Organizer:' line of text"] == 1


def test_location_and_geo_become_a_place_with_coordinates(tmp_path):
    text = cal(
        ev("g", "DTSTART:20240101T100000Z", "LOCATION:Seoul City Hall", "GEO:37.5663;126.9779")
        + ev("h", "DTSTART:20240102T100000Z", "GEO:35.1796;129.0756")
    )
    b = batch_of(tmp_path, text)
    places = {e["name"] for e in b.rows["entities"]}
    assert places == {"Seoul City Hall", "35.17960, 129.07560"}
    locs = sorted((r["lat"], r["lon"], r["source"]) for r in b.rows["locations"])
    assert locs == [(35.1796, 129.0756, "c.ics"), (37.5663, 126.9779, "c.ics")]
    assert b.fidelity.kept["GEO kept as the place's coordinates (locations)"] == 2


def test_an_event_without_summary_gets_a_title_and_the_report_says_from_what(tmp_path):
    text = cal(
        "BEGIN:VEVENT\nUID:1\nDTSTART:20240101T100000Z\nLOCATION:Busan\nEND:VEVENT\n"
        "BEGIN:VEVENT\nUID:2\nDTSTART;VALUE=DATE:20240102\nEND:VEVENT\n"
    )
    b = batch_of(tmp_path, text)
    assert sorted(e["title"] for e in b.rows["events"]) == [
        "Busan",
        "untitled event on 2024-01-02",
    ]
    assert b.fidelity.changed["title(s) made from LOCATION (no SUMMARY)"] == 1
    assert b.fidelity.changed["title(s) made from the date (no SUMMARY)"] == 1


def test_todos_and_calendar_properties_are_reported_as_dropped(tmp_path):
    text = cal(
        ev("a", "DTSTART:20240101T100000Z") + "BEGIN:VTODO\nUID:t\nSUMMARY:todo\nEND:VTODO\n",
        "METHOD:PUBLISH\nX-WR-CALNAME:Team\n",
    )
    b = batch_of(tmp_path, text)
    assert b.title == "Team"
    assert b.fidelity.dropped["VTODO component(s) (Explorer keeps events only)"] == 1
    assert b.fidelity.dropped["calendar property METHOD"] == 1


def test_two_files_defining_the_same_zone_name_differently_keep_their_own(tmp_path):
    """icalendar caches a VTIMEZONE by its TZID for the whole process; a second file's own
    definition of the same name must still be the one its times are read in."""

    def zone(offset: str) -> str:
        return (
            "BEGIN:VTIMEZONE\nTZID:Office Time\nBEGIN:STANDARD\nDTSTART:19700101T000000\n"
            f"TZOFFSETFROM:{offset}\nTZOFFSETTO:{offset}\nEND:STANDARD\nEND:VTIMEZONE\n"
        )

    event = ev("o", 'DTSTART;TZID="Office Time":20240101T100000')
    for folder, offset, expected in (("a", "+0500", "05:00"), ("b", "+0300", "07:00")):
        (tmp_path / folder).mkdir()
        b = batch_of(tmp_path / folder, cal(event, zone(offset)))
        assert starts(b) == [f"2024-01-01T{expected}:00Z"]


def test_a_globally_unique_tzid_the_file_does_not_define_is_read_and_reported(tmp_path, recwarn):
    """icalendar reads '/citadel.org/…/Europe/Berlin' as Europe/Berlin, a guess RFC 5545
    (3.2.19) does not promise, and said so only by a Python warning on stderr, once a
    process: the report says it for every file, and a file's own definition wins."""
    name = "/citadel.org/20190914_1/Europe/Berlin"
    event = ev("u", f"DTSTART;TZID={name}:20240715T100000")
    for attempt in (1, 2):  # icalendar caches the guess: the second file must be told too
        (tmp_path / str(attempt)).mkdir()
        b = batch_of(tmp_path / str(attempt), cal(event))
        assert starts(b) == ["2024-07-15T08:00:00Z"]
        assert b.warnings == [
            f"time zone {name!r} is not defined in the file; its times were read in "
            "Europe/Berlin (RFC 5545 does not promise that reading)"
        ]
        guess = (
            "event(s) with a globally unique TZID the file does not define, read in the "
            "zone its last part names"
        )
        assert b.fidelity.changed[guess] == 1
    assert not [w for w in recwarn if "globally unique" in str(w.message)]
    defined = (
        f"BEGIN:VTIMEZONE\nTZID:{name}\nBEGIN:STANDARD\nDTSTART:19700101T000000\n"
        "TZOFFSETFROM:+0500\nTZOFFSETTO:+0500\nEND:STANDARD\nEND:VTIMEZONE\n"
    )
    (tmp_path / "defined").mkdir()
    b = batch_of(tmp_path / "defined", cal(event, defined))
    assert starts(b) == ["2024-07-15T05:00:00Z"] and not b.warnings
