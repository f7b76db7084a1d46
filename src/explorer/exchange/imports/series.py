"""How far an import expands recurring events (iCalendar RRULEs): an option of every import,
kept apart from the iCalendar reader so that naming it loads no calendar library."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SeriesBound:
    """How far a recurring event is expanded: at most `occurrences`, and none that starts
    more than `years` after the series' first occurrence."""

    occurrences: int = 1000
    years: int = 2
