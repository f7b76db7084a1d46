"""An event's label, mark and tooltip: one function each, for every view and every size.

The timeline, the events table, the network's and lifelines' tooltips, exports and tests
all ask here, so the marks the README promises (≈ circa, ≤ before, ≥ after, ✎ your own) are
the same everywhere.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from explorer.store import dates
from explorer.store.records import Event

QUALIFIER_MARK = {"circa": "≈ ", "before": "≤ ", "after": "≥ "}
OWN_MARK = "✎ "
#: How many events a group's tooltip names before it says how many more there are.
GROUP_SHOWN = 12


def title(event: Event, lang: str) -> str:
    """The event's title in the interface language, when it has one in it."""
    if lang == "en" and event.title_en:
        return event.title_en
    return event.title


def mark(event: Event) -> str:
    """What goes before the title: ✎ for the annotator's own, then ≈, ≤ or ≥."""
    own = OWN_MARK if event.origin == "own" else ""
    return own + QUALIFIER_MARK.get(event.qualifier, "")


def label(event: Event, lang: str) -> str:
    """The text drawn beside the event."""
    return mark(event) + title(event, lang)


def when(event: Event) -> str:
    """The event's dates as a reader expects them: '2024-08-19', '2019 – 2021', '3501 BCE'."""
    start = dates.date_label(event.start)
    return f"{start} – {dates.date_label(event.end)}" if event.end else start


def tooltip(event: Event, lang: str, category: Callable[[str], str]) -> list[str]:
    """The lines of one event's tooltip: label, dates with the source's words, category."""
    words = f" · “{event.date_text}”" if event.date_text else ""
    return [label(event, lang), f"{when(event)}{words}", category(event.category)]


def group_tooltip(events: Sequence[Event], lang: str, heading: str, more: str) -> list[str]:
    """The lines of a group's tooltip: `heading`, the first events (date and label), then
    `more` (a format with {n}) saying how many are not listed."""
    lines = [heading]
    lines += [f"{when(e)}  {label(e, lang)}" for e in events[:GROUP_SHOWN]]
    if len(events) > GROUP_SHOWN:
        lines.append(more.format(n=f"{len(events) - GROUP_SHOWN:,}"))
    return lines
