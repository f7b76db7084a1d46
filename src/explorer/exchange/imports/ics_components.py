"""The structure of an iCalendar file, streamed: content lines unfolded, and components
tracked on a stack, so that each VEVENT (with the components inside it, such as VALARM) comes
out whole or is rejected with the line that broke it.

RFC 5545 ends lines with CRLF; files written by other tools use LF or a lone CR, and all three
are accepted. A VEVENT that is not closed by its own END (a misspelt END, a BEGIN:VEVENT inside
an open VEVENT, the end of the calendar or of the file inside one) is rejected with its line,
never dropped without a word.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field

from explorer.exchange.imports.errors import ImportFailed
from explorer.exchange.imports.text_input import LineTooLong, TextReader

#: Components whose content Explorer reads (others are counted and reported as left out).
EVENT = "VEVENT"
MAX_DEPTH = 32  # RFC 5545 nests three deep at most (VCALENDAR > VEVENT > VALARM)
BARE = frozenset({"VEVENT", "VTODO", "VJOURNAL", "VTIMEZONE"})
MAX_EVENT_LINES = 100_000  # an event's content lines held at most (memory stays bounded)


def unfolded(lines: Iterator[str | LineTooLong]) -> Iterator[tuple[int, str | LineTooLong]]:
    """Content lines with folding undone, each with the number of the line it starts on."""
    current: list[str] = []
    start = 0
    for n, raw in enumerate(lines, 1):
        if isinstance(raw, LineTooLong):
            if current:
                yield start, "".join(current)
                current = []
            yield n, raw
            continue
        line = raw.rstrip("\r\n")
        if line[:1] in (" ", "\t") and current:
            current.append(line[1:])
            continue
        if current:
            yield start, "".join(current)
        current, start = [line], n
    if current:
        yield start, "".join(current)


@dataclass
class Component:
    """One top-level component of the calendar (VEVENT, VTIMEZONE, ...) as content lines."""

    name: str
    line: int  # where its BEGIN is
    lines: list[str] = field(default_factory=list)
    error: str | None = None  # why it cannot be read; then `lines` may be partial

    def text(self) -> str:
        return "\r\n".join(self.lines) + "\r\n"


@dataclass
class Calendar:
    """What the calendar itself says (its own properties) and what it holds besides events."""

    properties: list[str] = field(default_factory=list)
    others: dict[str, int] = field(default_factory=dict)  # component name -> how many
    bare: bool = False  # components without a VCALENDAR around them (a lone VEVENT)


def _name(line: str) -> tuple[str, str]:
    """('BEGIN', 'VEVENT') for 'BEGIN:VEVENT' (any case, parameters and spaces allowed)."""
    head, _, value = line.partition(":")
    return head.split(";")[0].strip().upper(), value.strip().upper()


def components(reader: TextReader, calendar: Calendar) -> Iterator[Component]:
    """Every component directly inside VCALENDAR, in file order; `calendar` collects the
    calendar's own properties as they pass. Raises ImportFailed for a file that is not an
    iCalendar file at all."""
    lines = unfolded(reader.lines(universal=True))
    for n, first in lines:
        if isinstance(first, LineTooLong):
            raise ImportFailed(f"{reader.path.name} is not an iCalendar file: {first}")
        if not first.strip():
            continue
        key, value = _name(first)
        if (key, value) == ("BEGIN", "VCALENDAR"):
            break
        if key == "BEGIN" and value in BARE:  # a component saved on its own
            calendar.bare = True
            lines = itertools.chain([(n, first)], lines)
            break
        raise ImportFailed(f"{reader.path.name} is not an iCalendar file (no BEGIN:VCALENDAR)")
    else:
        raise ImportFailed(f"{reader.path.name} is empty; there is nothing to import")
    stack: list[str] = ["VCALENDAR"]
    current: Component | None = None  # the open top-level component
    for n, line in lines:
        if isinstance(line, LineTooLong):
            if current is not None and current.error is None:
                current.error = str(line)
            continue
        key, value = _name(line)
        if key == "BEGIN" and value:
            if len(stack) == 1:  # a new top-level component
                current = Component(value, n, [line])
                stack.append(value)
                continue
            if value == EVENT and EVENT in stack and current is not None:
                current.error = current.error or (
                    f"it is not closed: BEGIN:VEVENT on line {n} begins another inside it"
                )
                yield current
                del stack[1:]
                current = Component(value, n, [line])
                stack.append(value)
                continue
            if len(stack) >= MAX_DEPTH:
                raise ImportFailed(
                    f"{reader.path.name}: components are nested too deeply (line {n})"
                )
            stack.append(value)
        elif key == "END" and value:
            if value == stack[-1]:
                stack.pop()
                if len(stack) == 1 and current is not None:
                    current.lines.append(line)
                    yield current
                    current = None
                    continue
                if not stack:  # END:VCALENDAR
                    yield from _trailing(lines, reader.path.name)
                    return
            elif value in stack:  # closes an outer component: the inner ones never ended
                depth = stack.index(value)
                if current is not None and depth <= 1:
                    current.error = current.error or (
                        f"it is not closed: END:{value} on line {n} comes before END:{stack[1]}"
                    )
                    yield current
                    current = None
                del stack[depth:]
                if not stack:
                    yield from _trailing(lines, reader.path.name)
                    return
                continue
            else:  # an END that closes nothing (misspelt): the open component is broken
                if current is not None:
                    current.error = current.error or (
                        f"it is not closed: line {n} ({line[:40]!r}) ends no open component"
                    )
                    current.lines.append(line)
                continue
        if current is not None:
            if len(current.lines) >= MAX_EVENT_LINES:
                current.error = current.error or f"it has over {MAX_EVENT_LINES} lines"
            else:
                current.lines.append(line)
        elif len(stack) == 1 and line.strip():
            calendar.properties.append(line)
    if current is not None:
        current.error = current.error or f"the file ends inside it (no END:{current.name})"
        yield current
    # a calendar without END:VCALENDAR: what it held was read; nothing is lost


def _trailing(lines: Iterator[tuple[int, str | LineTooLong]], name: str) -> Iterator[Component]:
    """What follows END:VCALENDAR: an event there is outside the calendar, and rejected."""
    for n, line in lines:
        if isinstance(line, str) and _name(line) == ("BEGIN", EVENT):
            yield Component(EVENT, n, [], error="it comes after END:VCALENDAR")
        elif isinstance(line, str) and _name(line) == ("BEGIN", "VCALENDAR"):
            raise ImportFailed(
                f"{name}: line {n} begins a second calendar in the same file; "
                "import each calendar on its own"
            )
