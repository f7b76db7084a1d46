"""iCalendar (RFC 5545) files, read with well-kept libraries around Explorer's streaming.

- The file's structure is streamed by ics_components (each VEVENT whole, or rejected with its
  line); each event is parsed by `icalendar`, with the file's VTIMEZONE definitions beside
  it, so a TZID defined in the file or written as a Windows/Exchange name ("Eastern Standard
  Time") is resolved to the right UTC instant.
- Recurring events (RRULE, RDATE, EXDATE, and RECURRENCE-ID overrides) are expanded by
  `recurring-ical-events` within a bound the user sets (SeriesBound: a number of
  occurrences and of years after the series' start); the occurrences share the series' UID
  in their date note, and the report says when the bound cut a series.
- Google's calendar-wide zone (X-WR-TIMEZONE) is applied with `x-wr-timezone`'s walker.
- Floating times (no zone) are read in the zone the user names (--zone).

The file is read twice: a first pass collects the time zones and the overrides of recurring
events (few and small), the second imports the events as they come, so memory stays bounded.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import warnings
import zoneinfo
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import icalendar
import recurring_ical_events
import x_wr_timezone
from icalendar.error import GloballyUniqueTZIDGuessed

from explorer.exchange.imports.batch import Batch
from explorer.exchange.imports.fidelity import Fidelity
from explorer.exchange.imports.ics_components import EVENT, Calendar, Component, components
from explorer.exchange.imports.ics_event import Item, convert, raw
from explorer.exchange.imports.series import SeriesBound
from explorer.exchange.imports.text_input import TextReader
from explorer.store import dates

HEAD = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Explorer//import//EN\r\n"
TAIL = "END:VCALENDAR\r\n"
_NAME = re.compile(r"[A-Za-z0-9-]+")
_TZID = re.compile(r'TZID=(?:"([^"]*)"|([^;:,"]*))', re.IGNORECASE)
#: Calendar properties that are used (the rest are reported as dropped).
_CALENDAR_USED = frozenset({"VERSION", "PRODID", "CALSCALE", "X-WR-CALNAME", "X-WR-TIMEZONE"})


class _Walker(x_wr_timezone.UTCChangingWalker):  # type: ignore[misc]
    """x-wr-timezone's walker, but a time in a zone without a name (a VTIMEZONE without
    TZNAME) is not taken for a floating time: x-wr-timezone 2.0.1 tests `tzname() is None`,
    which moved such times to the calendar's zone."""

    def is_Floating(self, value: dt.datetime) -> bool:
        return value.tzinfo is None or value.utcoffset() is None


def _properties(comp: Component) -> dict[str, str]:
    """The component's own properties (not those of components inside it): name -> value
    of the first of each."""
    found: dict[str, str] = {}
    depth = 0
    for line in comp.lines[1:-1]:
        m = _NAME.match(line)
        name = m.group(0).upper() if m else ""
        if name == "BEGIN":
            depth += 1
        elif name == "END":
            depth -= 1
        elif depth == 0 and name and name not in found:
            found[name] = line.partition(":")[2].strip()
    return found


@dataclass(frozen=True)
class _Zone:
    """A VTIMEZONE the file defines under a name zoneinfo does not know. icalendar caches
    such definitions by TZID for the whole process, the first one winning (a second file
    defining "Custom" differently got the first file's offsets), so each is given a name
    of its own, made from its text, in the zone and in the events that use it."""

    tzid: str
    unique: str
    text: str
    pattern: re.Pattern[str]

    def rename(self, text: str) -> str:
        return self.pattern.sub(lambda m: f"TZID={m.group(1)}{self.unique}{m.group(1)}", text)


def _zone(comp: Component) -> _Zone | None:
    tzid = _properties(comp).get("TZID", "").strip().strip('"')
    if not tzid:
        return None
    try:
        zoneinfo.ZoneInfo(tzid)
        return None  # icalendar reads IANA names with zoneinfo, whatever the file says
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        pass
    digest = hashlib.sha256(comp.text().encode("utf-8", "surrogatepass")).hexdigest()[:10]
    unique = f"{tzid} [{digest}]"
    text = re.sub(r"(?im)^TZID:.*$", lambda _: f"TZID:{unique}\r", comp.text(), count=1)
    pattern = re.compile(r'TZID=("?)' + re.escape(tzid) + r"\1(?=[:;,])")
    return _Zone(tzid, unique, text.replace("\r\r", "\r"), pattern)


@dataclass
class _Prescan:
    zones: list[_Zone]  # the file's VTIMEZONEs with names zoneinfo does not know
    overrides: dict[str, list[str]]  # UID -> text of its RECURRENCE-ID components
    recurring: set[str]  # UIDs of events with RRULE or RDATE
    calendar: Calendar


def _prescan(reader: TextReader) -> _Prescan:
    calendar = Calendar()
    zones: list[_Zone] = []
    overrides: dict[str, list[str]] = defaultdict(list)
    recurring: set[str] = set()
    for comp in components(TextReader(reader.path), calendar):
        if comp.error:
            continue
        if comp.name == "VTIMEZONE":
            zone = _zone(comp)
            if zone is not None:
                zones.append(zone)
        elif comp.name == EVENT:
            props = _properties(comp)
            uid = props.get("UID", "")
            if "RECURRENCE-ID" in props and uid:
                overrides[uid].append(comp.text())
            if "RRULE" in props or "RDATE" in props:
                recurring.add(uid)
    return _Prescan(zones, dict(overrides), recurring, calendar)


def _calendar_zone(pre: _Prescan, batch: Batch) -> dt.tzinfo | None:
    """The calendar's X-WR-TIMEZONE (Google writes it), or None."""
    for line in pre.calendar.properties:
        m = _NAME.match(line)
        if m and m.group(0).upper() == "X-WR-TIMEZONE":
            name = line.partition(":")[2].strip()
            try:
                zone = zoneinfo.ZoneInfo(name)
            except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
                batch.warnings.append(f"X-WR-TIMEZONE {name!r} is unknown here; not applied")
                return None
            batch.fidelity.keep(f"X-WR-TIMEZONE {name} applied to times without a zone")
            return zone
    return None


def _account_calendar(pre: _Prescan, batch: Batch) -> None:
    for line in pre.calendar.properties:
        m = _NAME.match(line)
        name = m.group(0).upper() if m else "?"
        if name == "X-WR-CALNAME":
            title = line.partition(":")[2].strip()
            if title:
                batch.title = title
                batch.retitle_source(title)
                batch.fidelity.keep("X-WR-CALNAME kept as the source's title")
        elif name not in _CALENDAR_USED:
            batch.fidelity.drop(f"calendar property {name}")


def read(reader: TextReader, batch: Batch, bound: SeriesBound | None = None) -> None:
    bound = bound or SeriesBound()
    pre = _prescan(reader)
    batch.title = reader.path.stem
    batch.set_source(
        reader.path.name, reader.path.stem, note=f"Calendar imported from {reader.path.name}"
    )
    _account_calendar(pre, batch)
    if pre.calendar.bare:
        batch.fidelity.change("file of components without BEGIN:VCALENDAR, read as one calendar")
    zone = _calendar_zone(pre, batch)
    unknown: set[str] = set()
    guessed: Counter[str] = Counter()
    others: Counter[str] = Counter()
    series = _Series(batch, bound)
    count = 0
    for comp in components(reader, Calendar()):
        if comp.name != EVENT:
            others[comp.name] += 1
            continue
        count += 1
        batch.seen += 1
        where = f"VEVENT {count} (line {comp.line})"
        if comp.error:
            batch.reject(where, comp.error)
            continue
        props = _properties(comp)
        uid = props.get("UID", "")
        if "RECURRENCE-ID" in props and uid and uid in pre.recurring:
            batch.fidelity.change("modified occurrence(s) (RECURRENCE-ID) applied to their series")
            continue
        recurring = "RRULE" in props or "RDATE" in props
        try:
            # icalendar warns (once a process, on stderr) when it guesses a globally unique
            # TZID; Explorer says so in the report instead (_report_guesses)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", GloballyUniqueTZIDGuessed)
                items = list(
                    _items(comp, pre, zone, batch, unknown, series if recurring else None, guessed)
                )
        except (dates.DateFormatError, ValueError) as exc:
            reason = str(exc).split("\n")[0][:300]
            if reason.startswith("Multiple "):  # icalendar: "Multiple DTSTART defined."
                reason = f"it has more than one {reason.split()[1]}"
            batch.reject(where, reason)
            continue
        except OSError:  # zoneinfo opened a folder: TZID=America
            batch.reject(where, "a TZID names a group of zones (such as 'America'), not a zone")
            continue
        except Exception as exc:
            batch.reject(where, f"it cannot be read: {type(exc).__name__}: {exc}"[:300])
            continue
        for item in items:
            try:
                _put(batch, item)
            except dates.DateFormatError as exc:
                batch.reject(where, str(exc))
                break
    for name in sorted(unknown):
        batch.warnings.append(
            f"time zone {name!r} is neither defined in the file nor known here; "
            f"its times were read in {batch.zone.name} (--zone)"
        )
    series.report()
    _report_guesses(batch, guessed, unknown)
    if others.get("VTIMEZONE"):
        batch.fidelity.keep("VTIMEZONE definition(s) used to place times", others["VTIMEZONE"])
    for name, n in sorted(others.items()):
        if name != "VTIMEZONE":
            batch.fidelity.drop(f"{name} component(s) (Explorer keeps events only)", n)


def _items(
    comp: Component,
    pre: _Prescan,
    zone: dt.tzinfo | None,
    batch: Batch,
    unknown: set[str],
    series: _Series | None,
    guessed: Counter[str],
) -> Iterator[Item]:
    uid = _properties(comp).get("UID", "")
    extra = "".join(pre.overrides.get(uid, [])) if series and uid else ""
    body = comp.text() + extra
    used = [z for z in pre.zones if z.tzid in body]
    for defined in used:
        body = defined.rename(body)
    defined_names = {z.unique for z in used}
    for name in {m.group(1) or m.group(2) or "" for m in _TZID.finditer(body)}:
        if name.startswith("/") and name not in defined_names:
            guessed[name] += 1  # a globally unique TZID the file does not define
    text = HEAD + "".join(z.text for z in used) + body + TAIL
    cal = icalendar.Calendar.from_ical(text)
    if series is not None and _rule_errors(cal):
        # Microsoft CDO writes "BYDAY=MO, TU, WE": read it without the spaces, and say so
        fixed = _RULE_LINE.sub(lambda m: m.group(1) + m.group(2).replace(" ", ""), text)
        again = icalendar.Calendar.from_ical(fixed)
        if fixed != text and not _rule_errors(again):
            cal = again
            batch.fidelity.change(
                "RRULE(s) written with spaces (as Microsoft CDO does) read without"
            )
    if zone is not None:
        cal = _Walker(zone).walk(cal)
    if series is None:
        ev = cal.walk("VEVENT")[0]
        assert isinstance(ev, icalendar.Event)
        yield convert(ev, batch, batch.fidelity, unknown, count=True)
        return
    yield from series.expand(cal, uid or f"{batch.file} line {comp.line}", unknown)


class _Series:
    """Expands recurring events within the bound, and counts what it did."""

    def __init__(self, batch: Batch, bound: SeriesBound) -> None:
        self.batch, self.bound = batch, bound
        self.series = 0
        self.occurrences = 0
        self.cut: list[str] = []

    def expand(self, cal: icalendar.Calendar, uid: str, unknown: set[str]) -> Iterator[Item]:
        events = [e for e in cal.walk("VEVENT") if isinstance(e, icalendar.Event)]
        master = next((e for e in events if "RECURRENCE-ID" not in e), events[0])
        first = convert(master, self.batch, self.batch.fidelity, unknown, count=True)
        rules = master.get("RRULE")
        rule = "; ".join(
            raw(r) for r in (rules if isinstance(rules, list) else [rules] if rules else [])
        )
        broken = [f"{n}: {r}" for n, r in master.errors if n in ("RRULE", "RDATE", "EXDATE")]
        try:
            if broken:
                raise ValueError(broken[0])
            occurrences = self._occurrences(cal, master, uid, unknown)
        except Exception as exc:
            reason = str(exc).split("\n")[0][:200]
            self.batch.fidelity.change(
                "series whose recurrence cannot be expanded, kept as their first occurrence"
            )
            self.batch.warnings.append(f"the recurrence of {uid} cannot be expanded: {reason}")
            first.date_note = (
                f"Imported from ics: the first occurrence of the series {uid}, whose "
                f"recurrence ({rule or 'RDATE'}) cannot be expanded: {reason}"
            )
            yield first
            return
        self.series += 1
        self.occurrences += len(occurrences)
        total = len(occurrences)
        for i, item in enumerate(occurrences, 1):
            item.date_note = (
                f"Imported from ics: occurrence {i} of {total} of the series {uid} "
                f"({rule or 'RDATE'})"
            )
            yield item
        if not occurrences:  # every occurrence excluded: nothing to add, and said so
            self.batch.fidelity.drop("series whose every occurrence is excluded")

    def _occurrences(
        self, cal: icalendar.Calendar, master: icalendar.Event, uid: str, unknown: set[str]
    ) -> list[Item]:
        limit = _naive(master.start) + dt.timedelta(days=366 * self.bound.years)
        if "EXDATE" in master:
            self.batch.fidelity.keep("EXDATE(s) honoured (excluded occurrences left out)")
        query = recurring_ical_events.of(cal, keep_recurrence_attributes=False)
        occurrences: list[Item] = []
        # from the earliest date the series names, not query.all(): that walks from year 1
        # and took minutes on FREQ=SECONDLY
        for n, occ in enumerate(query.after(_earliest(master) - dt.timedelta(days=2))):
            if n >= self.bound.occurrences or _naive(occ.start) > limit:
                self.cut.append(uid)
                break
            item = convert(occ, self.batch, Fidelity(), unknown, count=False)
            item.key = f"{uid}|{item.start}"
            occurrences.append(item)
        return occurrences

    def report(self) -> None:
        if not self.series:
            return
        self.batch.fidelity.change(
            f"occurrence(s) expanded from {self.series} recurring event(s) (RRULE/RDATE), "
            "linked by their series' UID in the date note",
            self.occurrences,
        )
        if self.cut:
            b = self.bound
            self.batch.fidelity.change(
                f"series cut at the bound ({b.occurrences} occurrences or {b.years} years "
                "after the first)",
                len(self.cut),
            )
            shown = ", ".join(self.cut[:5]) + (" …" if len(self.cut) > 5 else "")
            self.batch.warnings.append(
                f"{len(self.cut)} recurring series went on past the bound and were cut: {shown}"
            )


def _report_guesses(batch: Batch, guessed: Counter[str], unknown: set[str]) -> None:
    """A globally unique TZID ('/citadel.org/20190914_1/Europe/Berlin') that the file does
    not define is read by icalendar in the zone its last parts name, a convention RFC 5545
    (3.2.19) does not promise: the report says which zone each was read in."""
    for name, n in sorted(guessed.items()):
        if name in unknown:
            continue  # not resolved at all: reported as unknown
        parts = [p for p in name.split("/") if p]
        found = next((c for c in ("/".join(parts[i:]) for i in range(len(parts))) if _iana(c)), "")
        batch.fidelity.change(
            "event(s) with a globally unique TZID the file does not define, read in the zone "
            "its last part names",
            n,
        )
        batch.warnings.append(
            f"time zone {name!r} is not defined in the file; its times were read in "
            f"{found or 'the zone its last part names'} (RFC 5545 does not promise that reading)"
        )


def _iana(name: str) -> bool:
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        return False
    return True


def _earliest(master: icalendar.Event) -> dt.datetime:
    """The earliest start the series names: DTSTART or an RDATE before it (RFC 5545 allows
    that), as a naive UTC time."""
    found = [_naive(master.start)]
    rdates = master.get("RDATE")
    for prop in rdates if isinstance(rdates, list) else [rdates] if rdates is not None else []:
        for value in getattr(prop, "dts", []):
            when = value.dt
            found.append(_naive(when[0] if isinstance(when, tuple) else when))
    return min(found)


_RULE_LINE = re.compile(r"(?im)^((?:RRULE|EXRULE)[^:\r\n]*:)([^\r\n]*)")


def _rule_errors(cal: icalendar.Calendar) -> bool:
    return any(n in ("RRULE", "EXRULE") for ev in cal.walk("VEVENT") for n, _ in ev.errors)


def _naive(value: Any) -> dt.datetime:
    """A date or time as a naive UTC datetime, for comparing against the bound."""
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None and value.utcoffset() is not None:
            try:
                return value.astimezone(dt.UTC).replace(tzinfo=None)
            except OverflowError:
                return value.replace(tzinfo=None)
        return value
    return dt.datetime(value.year, value.month, value.day)


def _put(batch: Batch, item: Item) -> None:
    places = (item.place,) if item.place else ()
    batch.add_event(
        key=item.key,
        title=item.title,
        start=item.start,
        end=item.end,
        precision=item.precision,
        category=item.category,
        summary=item.summary,
        date_text=item.date_text,
        quote=item.title,
        places=places,
        date_note=item.date_note,
    )
    if item.place and item.geo:
        entity = batch.add_entity("place", item.place)
        if not batch.add_location(entity, *item.geo, "GEO of the iCalendar event"):
            batch.fidelity.drop("GEO off the globe (latitude or longitude out of range)")
