"""Pixel layout inside the timeline's lanes: bars stacked on lines, their labels placed beside
or next to them, and the lanes' heights shared out by what each needs.

Pure functions over pixel positions (no Qt), so they are tested on their own and the window
and its exported pictures lay out alike. The rules:

- two bars that overlap in time (tails and fades included) never share a line;
- a label never covers a mark, its own included: it goes right of its bar, else left of it,
  else on the line above or below, starting over the bar's visible part; only when no line
  has room is it elided beside its bar, or left out (the tooltip still says it);
- a lane that needs more lines gets more height, taken from lanes with room to spare.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import islice

import numpy as np

from explorer.model.layout import Placement

#: The lines a bar fits on where its label is looked for (see _Stack.place).
LABEL_LINES = 4


class Line:
    """What one line of a lane holds: disjoint pixel intervals, kept sorted."""

    def __init__(self) -> None:
        self._starts: list[float] = []
        self._ends: list[float] = []

    def copy(self) -> Line:
        line = Line()
        line._starts, line._ends = self._starts[:], self._ends[:]
        return line

    def free(self, a: float, b: float) -> bool:
        """Whether nothing on the line overlaps (a, b)."""
        i = bisect_left(self._starts, b)  # the intervals that start before b: [0, i)
        return i == 0 or self._ends[i - 1] <= a

    def take(self, a: float, b: float) -> None:
        i = bisect_left(self._starts, a)
        self._starts.insert(i, a)
        self._ends.insert(i, b)

    def drop(self, a: float, b: float) -> None:
        i = bisect_left(self._starts, a)
        while i < len(self._starts) and self._starts[i] == a:
            if self._ends[i] == b:
                del self._starts[i], self._ends[i]
                return
            i += 1

    def merge(self, a: float, b: float) -> None:
        """Take (a, b), joined with whatever it overlaps (the intervals stay disjoint)."""
        lo = bisect_left(self._ends, a)  # the first interval that ends at or after a
        hi = bisect_left(self._starts, b)  # those that start before b: up to hi
        if lo < hi:
            a, b = min(a, self._starts[lo]), max(b, self._ends[hi - 1])
            del self._starts[lo:hi], self._ends[lo:hi]
        self._starts.insert(lo, a)
        self._ends.insert(lo, b)

    def before(self, x: float) -> float:
        """The right end of what the line holds left of `x` (-inf when nothing)."""
        i = bisect_right(self._starts, x)
        return self._ends[i - 1] if i else float("-inf")

    def after(self, x: float) -> float:
        """The left end of what the line holds right of `x` (inf when nothing)."""
        i = bisect_left(self._starts, x)
        return self._starts[i] if i < len(self._starts) else float("inf")


@dataclass(frozen=True)
class Bar:
    """A bar to stack: its drawn extent in pixels (tails and fades included) and its label's
    full width (None: no label)."""

    left: float
    right: float
    label: float | None


@dataclass(frozen=True)
class Stacked:
    """Where a bar went: its line (None: no line had room for it) and its label's place
    (`Placement.row` is the label's line; -1 is the line above the first, when given)."""

    line: int | None
    label: Placement | None


def stack_bars(
    bars: Sequence[Bar],
    view_left: float,
    view_right: float,
    *,
    max_lines: int | None = None,
    above: Line | None = None,
    reach: int = 0,
    pad: float = 4.0,
    min_room: float = 36.0,
) -> tuple[list[Stacked], int]:
    """Stack `bars` (sorted by left edge) on as few lines as they need, each with its label
    where it fits whole (see the module's rules). `max_lines`: the lines there is room for
    (None: as many as needed). `above`: what the line above the first holds (its free
    stretches take labels too). `reach`: how many lines a label's text covers above and
    below its own (0 when lines are a text line apart). Returns where each bar went and the
    number of lines used."""
    stack = _Stack(view_left, view_right, max_lines, above, reach, pad)
    out: list[Stacked] = []
    for bar in bars:
        out.append(stack.place(bar, min_room))
    return out, len(stack.lines)


def overlap_depth(bars: Sequence[Bar], half: float) -> int:
    """The most bars (each widened by `half` on both sides, as stacking sees them) that
    overlap at one instant: no stacking puts them on fewer lines. Bars that only touch do
    not overlap (a line takes both)."""
    if not bars:
        return 0
    n = len(bars)
    ends = np.empty(2 * n)
    ends[:n] = [b.left - half for b in bars]
    ends[n:] = [b.right + half for b in bars]
    step = np.concatenate([np.ones(n, np.int64), -np.ones(n, np.int64)])
    order = np.lexsort((step, ends))  # at the same pixel an end comes before a start
    return int(np.cumsum(step[order]).max())


class _Stack:
    def __init__(
        self,
        view_left: float,
        view_right: float,
        max_lines: int | None,
        above: Line | None,
        reach: int,
        pad: float,
    ) -> None:
        self.vl, self.vr = view_left, view_right
        self.max_lines = max_lines
        self.above = above
        self.reach = reach
        self.pad = pad
        self.lines: list[Line] = []

    # --- lines -------------------------------------------------------------------------

    def _can_open(self, k: int) -> bool:
        return self.max_lines is None or k < self.max_lines

    def _line(self, k: int) -> Line | None:
        """Line k (-1: the line above, if any); a line not opened yet is empty."""
        if k == -1:
            return self.above
        if k < 0:
            return None
        if k < len(self.lines):
            return self.lines[k]
        return Line() if self._can_open(k) else None

    def _open(self, k: int) -> Line:
        while len(self.lines) <= k:
            self.lines.append(Line())
        return self.lines[k]

    def _free(self, k: int, a: float, b: float, cover: int = 0) -> bool:
        """Whether (a, b) is free on line k and the `cover` lines on each side of it that
        exist (a line past the last is free; past the room there is, it is not)."""
        for j in range(k - cover, k + cover + 1):
            if j < -1 or (j == -1 and self.above is None):
                if j == k:
                    return False
                continue
            line = self._line(j)
            if line is None:
                if j == k:
                    return False
                continue
            if not line.free(a, b):
                return False
        return True

    def _take(self, k: int, a: float, b: float, cover: int = 0) -> None:
        for j in range(k - cover, k + cover + 1):
            if j == -1 and self.above is not None:
                self.above.take(a, b)
            elif j >= 0 and self._can_open(j):
                self._open(j).take(a, b)

    # --- a bar and its label -------------------------------------------------------------

    def _label_spots(self, bar: Bar, k: int, w: float) -> list[tuple[int, float]]:
        """Where the label of `bar` on line k may go, best first: (line, left edge)."""
        pad, vl, vr = self.pad, self.vl, self.vr
        spots: list[tuple[int, float]] = []
        # beside a bar past an edge (its fade in view), a label starts or ends at the edge
        after, before = max(bar.right, vl), min(bar.left, vr)
        if after + pad + w <= vr - pad:
            spots.append((k, after + pad))
        if before - pad - w >= vl + pad:
            spots.append((k, before - pad - w))
        if w <= vr - vl - 2 * pad:
            lo, hi = max(bar.left, vl), min(bar.right, vr)
            for x in (lo, hi - w):
                x = min(max(x, vl + pad), vr - pad - w)
                spots.extend(((k - 1, x), (k + 1, x)))
        return spots

    def _label_free(self, k: int, x: float, w: float) -> bool:
        half = self.pad / 2
        return self._free(k, x - half, x + w + half, self.reach)

    def _fits(self, a: float, b: float) -> Iterator[int]:
        """The lines (b, a new one last) where a bar from a to b fits, first first; found
        as they are asked for (a crowded lane has many lines, and most bars take the first)."""
        for k in range(len(self.lines)):
            if self.lines[k].free(a, b):
                yield k
        if self._can_open(len(self.lines)):
            yield len(self.lines)

    def place(self, bar: Bar, min_room: float) -> Stacked:
        half = self.pad / 2
        a, b = bar.left - half, bar.right + half
        w = bar.label
        new = len(self.lines)
        first = next(self._fits(a, b), None)
        if first is None:
            return Stacked(None, None)
        if w is None:
            self._open(first).take(a, b)
            return Stacked(first, None)
        # a line where the bar and its whole label fit; a label may open the line below
        # only when the bar could not go on an open line with its label. The label is
        # looked for on the first LABEL_LINES lines the bar fits on: further down, in a
        # crowded lane, it would not be found, and looking cost a frame its 16 ms
        for k in islice(self._fits(a, b), LABEL_LINES):
            line = self._open(k)
            line.take(a, b)
            for lk, x in self._label_spots(bar, k, w):
                opens = lk >= len(self.lines)
                if opens and k < new:
                    continue
                if self._label_free(lk, x, w):
                    self._take(lk, x - half, x + w + half, self.reach)
                    return Stacked(k, Placement(x, lk, w))
            line.drop(a, b)
            if k == new and len(self.lines) > new:
                self.lines.pop()
        # no room for the whole label anywhere: the first line with room for the bar, and
        # its label elided in the larger room beside it
        k = first
        after, before = max(bar.right, self.vl), min(bar.left, self.vr)
        right = self._room(k, after, rightwards=True) - 2 * self.pad
        left = self._room(k, before, rightwards=False) - 2 * self.pad
        self._open(k).take(a, b)
        room = max(left, right)
        if room < min_room:
            return Stacked(k, None)
        x = before - self.pad - room if left > right else after + self.pad
        self._take(k, x - half, x + room + half, self.reach)
        return Stacked(k, Placement(x, k, room))

    def _room(self, k: int, x: float, *, rightwards: bool) -> float:
        """Free pixels from `x` to the next thing on line k and the lines a label covers
        (or the view's edge)."""
        edge = self.vr if rightwards else self.vl
        for j in range(k - self.reach, k + self.reach + 1):
            line = self._line(j) if j >= -1 else None
            if line is None:
                continue
            if rightwards:  # what starts after x; no room when something covers x
                edge = min(edge, line.after(x), x if line.before(x) > x else edge)
            else:  # what ends before x (past x when something covers it: no room)
                edge = max(edge, line.before(x))
        return edge - x if rightwards else x - edge


def allot(needs: Sequence[float], total: float) -> list[float]:
    """Heights for lanes that need `needs` pixels, filling `total`: each gets at least what
    it needs and the rest is shared so that lanes are as even as they can be; when the needs
    are more than `total`, each gets a share in proportion to its need."""
    n = len(needs)
    if n == 0:
        return []
    whole = float(sum(needs))
    if whole >= total:
        if whole <= 0:
            return [total / n] * n
        return [need * total / whole for need in needs]
    largest = sorted(needs, reverse=True)
    kept = 0.0
    for k in range(n):
        level = (total - kept) / (n - k)
        if level >= largest[k]:
            return [max(float(need), level) for need in needs]
        kept += largest[k]
    return [float(need) for need in needs]  # unreachable: the last level is above its need
