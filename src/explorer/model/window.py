"""The time window a project is looked at through: its arithmetic, Qt-free.

A window is (x0, x1) in seconds since 1970-01-01 UTC, x1 exclusive. The narrowest is a
quarter of a day; the widest a little over a century, or the project's whole extent when
that is longer, and never so wide or so far out that the project's events leave it.
"""

from __future__ import annotations

import math
import re

DAY = 86400.0
MIN_SPAN = 6 * 3600.0
MAX_SPAN = 120 * 365.25 * DAY
ZOOM_STEP = 1.6

Window = tuple[float, float]


def widest(extent: Window | None) -> float:
    """The widest window for a project of this extent."""
    if extent is None or not all(math.isfinite(v) and abs(v) <= LIMIT for v in extent):
        return MAX_SPAN
    return max(MAX_SPAN, (extent[1] - extent[0]) * 1.3)


#: No window reaches beyond the instants Explorer can place (store.queries.T_LIMIT).
LIMIT = 3.2e18


def clamp(window: Window, extent: Window | None = None) -> Window:
    """`window` kept between the narrowest and the widest span, and, when it is as wide as
    it may be, over the project (zooming out past the widest never walks away from it).
    Non-finite or absurd values (a damaged file's) give a window of the present day's
    century instead."""
    x0, x1 = window
    if not all(math.isfinite(v) and abs(v) <= LIMIT for v in (x0, x1)) or x1 <= x0:
        x0, x1 = 0.0, MAX_SPAN
    if extent is not None and not all(math.isfinite(v) and abs(v) <= LIMIT for v in extent):
        extent = None
    mid = (x0 + x1) / 2
    if x1 - x0 < MIN_SPAN:
        x0, x1 = mid - MIN_SPAN / 2, mid + MIN_SPAN / 2
    most = widest(extent)
    if x1 - x0 > most:
        x0, x1 = mid - most / 2, mid + most / 2
    if extent is not None and x1 - x0 >= (extent[1] - extent[0]):
        # wider than the project: the project stays inside it
        if extent[0] < x0:
            x0, x1 = extent[0], extent[0] + (x1 - x0)
        if extent[1] > x1:
            x0, x1 = extent[1] - (x1 - x0), extent[1]
    return x0, x1


def fitted(extent: Window | None) -> Window | None:
    """The window that shows the whole project, with a margin."""
    if extent is None:
        return None
    x0, x1 = extent
    pad = max((x1 - x0) * 0.04, 15 * DAY)
    return clamp((x0 - pad, x1 + pad), extent)


def zoomed(window: Window, factor: float, center: float | None = None) -> Window:
    """`factor` < 1 zooms in, keeping `center` (default: the middle) in place."""
    x0, x1 = window
    c = (x0 + x1) / 2 if center is None else center
    return c - (c - x0) * factor, c + (x1 - c) * factor


def panned(window: Window, fraction: float) -> Window:
    x0, x1 = window
    d = (x1 - x0) * fraction
    return x0 + d, x1 + d


def centered(window: Window, x0: float, x1: float) -> Window:
    """A window showing [x0, x1]: `window` itself when the span is already well inside it;
    else centred on the span, zooming out only if it does not fit."""
    v0, v1 = window
    margin = (v1 - v0) * 0.05
    if x0 >= v0 + margin and x1 <= v1 - margin:
        return window
    width = max(v1 - v0, (x1 - x0) * 1.5)
    mid = (x0 + x1) / 2
    return mid - width / 2, mid + width / 2


def around(x0: float, x1: float) -> Window:
    """A window a little wider than [x0, x1] (a group of events opened by a click)."""
    pad = max((x1 - x0) * 0.15, DAY)
    return x0 - pad, x1 + pad


#: What may stand between the two ends of a range typed by a reader.
_RANGE = re.compile(r"\s*(?:–|—|~|\.\.|\bto\b|\s-\s|부터|에서)\s*")


def period_of(text: str) -> Window:
    """The period a reader typed: '2019', '2019-07', '2019-07-05', or a range of two of
    them ('2019-07 – 2020-03', '2019..2021', '2019 to 2021', '2019-2021'), as (t0, t1).
    Raises ValueError with the reason when it is none of these."""
    from explorer.store import dates

    cleaned = text.strip().removesuffix("까지").strip()
    parts = [p for p in _RANGE.split(cleaned) if p.strip()]
    if len(parts) == 1 and re.fullmatch(r"-?\d{1,5}-\d{4}", parts[0]):  # 2019-2021
        parts = parts[0].rsplit("-", 1)
    if not 1 <= len(parts) <= 2:
        raise ValueError(f"not a date or a range of two dates: {text!r}")
    first = dates.period_bounds(parts[0].strip())
    last = dates.period_bounds(parts[-1].strip())
    if last.t1 <= first.t0:
        raise ValueError(f"the range ends before it starts: {text!r}")
    return first.t0, last.t1
