"""Pixel layout of one timeline lane: which events merge into a count, where labels fit.

Pure functions over pixel positions, so they are tested without Qt and reused by exports.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt


@dataclass(frozen=True)
class Group:
    members: list[int]  # row indices, in order of start
    left: float  # pixel extent of the group
    right: float

    @property
    def count(self) -> int:
        return len(self.members)


def group_crowded(
    rows: npt.NDArray[np.intp],
    left: npt.NDArray[np.float64],
    right: npt.NDArray[np.float64],
    min_width: float,
    gap: float = 2.0,
) -> list[Group]:
    """Merge events of one lane whose drawn extents (at least `min_width` wide) overlap or
    come closer than `gap`. `left` must be sorted. A group of one is a single event."""
    groups: list[Group] = []
    cur: list[int] = []
    cur_l = cur_r = 0.0
    for r, lo, hi in zip(rows.tolist(), left.tolist(), right.tolist(), strict=True):
        hi = max(hi, lo + min_width)
        if cur and lo <= cur_r + gap:
            cur.append(r)
            cur_r = max(cur_r, hi)
        else:
            if cur:
                groups.append(Group(cur, cur_l, cur_r))
            cur, cur_l, cur_r = [r], lo, hi
    if cur:
        groups.append(Group(cur, cur_l, cur_r))
    return groups


@dataclass(frozen=True)
class Placement:
    """Where a label goes: its left edge, the row (0 beside the marks, 1 and 2 the free rows
    beside them, above and below) and the pixels it may take (it is elided to them)."""

    x: float
    row: int
    width: float


def place_labels(
    groups: list[Group],
    widths: list[float | None],
    view_left: float,
    view_right: float,
    *,
    lead: list[float] | None = None,
    free_rows: int = 1,
    pad: float = 4.0,
    min_room: float = 36.0,
) -> list[Placement | None]:
    """Place each group's label (`widths[i]`: its full width, None for no label) so that no
    two labels and no label and mark overlap, and none is cut when there is room for it
    anywhere: right of its mark, else left of it, else on a free row (starting over the
    mark, or ending over it, or at the view's right edge). Only when none has room is a
    label elided, in the largest room beside its mark (at least `min_room`); else it is
    left out. `lead[i]`: pixels right of the mark a label must keep clear (an 'after'
    tail)."""
    out: list[Placement | None] = []
    used = view_left  # right edge of what the previous group and its label took, row 0
    used_free = [view_left] * free_rows  # the same on each free row (labels only)
    for i, (g, w) in enumerate(zip(groups, widths, strict=True)):
        if w is None:
            out.append(None)
            used = max(used, g.right)
            continue
        gap = lead[i] if lead is not None else 0.0
        # the next group's mark, or the view's edge when that comes first (a mark just past
        # the edge leaves no room beyond the edge)
        limit = min(groups[i + 1].left, view_right) if i + 1 < len(groups) else view_right
        # beside a mark past an edge (its tail in view), a label starts or ends at the edge
        after, before = max(g.right + gap, view_left), min(g.left, view_right)
        right = limit - after - 2 * pad
        left = before - used - 2 * pad
        placed: Placement | None = None
        if w <= right:
            placed = Placement(after + pad, 0, w)
            used = placed.x + w
        elif w <= left:
            placed = Placement(before - pad - w, 0, w)
            used = g.right
        else:
            for r, taken in enumerate(used_free):
                start = max(view_left, taken) + pad
                for x in (max(g.left, start), g.right - w, view_right - pad - w):
                    if x >= start and x + w <= view_right - pad:
                        placed = Placement(x, r + 1, w)
                        used_free[r] = x + w
                        break
                if placed is not None:
                    break
            used = max(used, g.right)
        if placed is None:
            room = max(right, left)
            if room >= min_room:
                on_left = left > right
                x = before - pad - room if on_left else after + pad
                placed = Placement(x, 0, room)
                used = g.right if on_left else x + room
        out.append(placed)
    return out
