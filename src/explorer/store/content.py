"""What `explorer check` finds in the content of a file whose structure is sound: rows that
the schema would refuse or that no view can draw (a precision such as 'fortnight', a start
of 'not-a-date', periods of ±1e308 seconds, dates that disagree with their t0/t1, text far
beyond any sane length). A damaged or hostile file can hold them; the views leave such rows
out (store.queries.valid_event) and this names them."""

from __future__ import annotations

import math

from sqlite_utils import Database

from explorer.store import dates, queries

CHUNK = 20_000


def _event_problem(row: tuple[object, ...]) -> str | None:
    _ident, start, end, precision, qualifier, t0, t1, title_len, summary_len = row
    if precision not in dates.ALL_PRECISIONS:
        return f"precision {precision!r} is not one of {', '.join(dates.ALL_PRECISIONS)}"
    if qualifier not in dates.QUALIFIERS:
        return f"qualifier {qualifier!r} is not one of {', '.join(dates.QUALIFIERS)}"
    if not isinstance(start, str) or (end is not None and not isinstance(end, str)):
        return "its dates are not text"
    try:
        b = dates.bounds(start, end, str(precision))
    except dates.DateFormatError as exc:
        return str(exc)
    for name, given, wanted in (("t0", t0, b.t0), ("t1", t1, b.t1)):
        if not isinstance(given, (int, float)) or not math.isfinite(given):
            return f"{name} is {given!r}, not a number of seconds"
        if abs(given - wanted) > 1:
            return f"{name} is {given!r} but its dates say {wanted!r}"
    if isinstance(title_len, int) and title_len > queries.MAX_LABEL:
        return f"its title has {title_len:,} characters (at most {queries.MAX_LABEL:,} shown)"
    if isinstance(summary_len, int) and summary_len > queries.MAX_BODY:
        return f"its summary has {summary_len:,} characters (at most {queries.MAX_BODY:,} shown)"
    return None


def problems(db: Database, limit: int = 20) -> tuple[int, list[str]]:
    """How many content problems the file has, and the first `limit` ("event ID: why")."""
    found: list[str] = []
    count = 0
    last = None
    while True:
        rows = db.execute(
            """SELECT rowid, id, start, "end", precision, qualifier, t0, t1, length(title),
                      length(summary) FROM events WHERE rowid > ? ORDER BY rowid LIMIT ?""",
            [last if last is not None else -(2**63), CHUNK],
        ).fetchall()
        if not rows:
            break
        for row in rows:
            why = _event_problem(row[1:])
            if why is not None:
                count += 1
                if len(found) < limit:
                    found.append(f"event {row[1]}: {why}")
        last = rows[-1][0]
    for ident, lat, lon in db.execute("SELECT entity_id, lat, lon FROM locations"):
        if not (
            isinstance(lat, (int, float))
            and isinstance(lon, (int, float))
            and -90 <= lat <= 90
            and -180 <= lon <= 180
        ):
            count += 1
            if len(found) < limit:
                found.append(f"location of {ident}: ({lat!r}, {lon!r}) is not on the globe")
    for ident, value in db.execute("SELECT id, value FROM claims"):
        if not isinstance(value, (int, float)) or not math.isfinite(value):
            count += 1
            if len(found) < limit:
                found.append(f"figure {ident}: value {value!r} is not a finite number")
    return count, found
