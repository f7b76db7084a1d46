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


def label_room(groups: list[Group], view_right: float, pad: float = 4.0) -> list[float]:
    """For each group, the pixels free to the right of it before the next group (or the
    view's edge), so a label placed there can never overlap another."""
    room = []
    for i, g in enumerate(groups):
        limit = groups[i + 1].left if i + 1 < len(groups) else view_right
        room.append(max(0.0, limit - g.right - 2 * pad))
    return room
