"""The plan of one timeline lane at one view: which events merge into a count, where every
mark and label goes, on which line, and how many pixels of height the lane needs for it.

Qt-free (text widths come from a `measure` callable), so the window, its exported pictures
and the tests plan alike. From the top of a lane: a free line for labels of point-like marks
that find no room beside them (when one needs it), the line of those marks, then the lines
of bars (spans and uncertain periods wide enough to be drawn as bars), or a free line below
the marks when there are no bars. See model.lane_layout for how bars are stacked.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from explorer.model.lane_layout import Bar, Line, Stacked, overlap_depth, stack_bars
from explorer.model.layout import Group, Placement, group_crowded, place_labels
from explorer.model.timeline import TimelineRows


@dataclass(frozen=True)
class Metrics:
    """The pixel sizes a plan is made with."""

    line: float  # a line of text
    mark: float  # the narrowest mark
    tail: float  # the fade after an 'after' date
    pad: float = 4.0
    margin: float = 3.0  # above and below a lane's content
    min_step: float = 5.0  # the closest bars are stacked when a lane is short of room


@dataclass(frozen=True)
class BarSpot:
    """A bar: the rows it stands for (more than one: events with the same extent on screen,
    or, on the last line of a lane short of room, the bars that found no line), its mark's
    pixels, its label and where it went."""

    members: tuple[int, ...]
    left: float
    right: float
    text: str | None
    stacked: Stacked
    overflow: bool = False


@dataclass(frozen=True)
class Rows:
    """Where a plan's lines are, in pixels, once the lane's top and height are known."""

    above: float  # the free line over the marks
    marks: float  # the line of point-like marks
    below: float  # the free line under them (lanes without bars)
    bars: float  # the centre of the first line of bars
    step: float  # from one line of bars to the next

    def label_y(self, row: int) -> float:
        """The centre of a compact label's row (0 beside its mark, 1 above, 2 below)."""
        return (self.marks, self.above, self.below)[row]

    def bar_y(self, line: int) -> float:
        """The centre of a line of bars (-1: the line of the point-like marks)."""
        return self.marks if line < 0 else self.bars + line * self.step


_SERIALS = itertools.count(1)


@dataclass
class LanePlan:
    groups: list[Group] = field(default_factory=list)  # point-like marks and counts
    texts: list[str | None] = field(default_factory=list)  # their labels (None: a count)
    places: list[Placement | None] = field(default_factory=list)
    above: bool = False  # a label went to the free line above the marks
    below: bool = False  # ... or below them
    bars: list[BarSpot] = field(default_factory=list)
    lines: int = 0  # lines of bars
    step: float = 0.0
    reach: int = 0  # how many neighbouring lines of bars a bar's label covers
    need: float = 0.0  # the lane's height that shows all of it at full line spacing
    #: what the plan draws, as a number: the same for the plan moved, and for it given
    #: other rows that lose none of its own, or lose only rows gone out of a view only
    #: moved (see `remapped`); new for any other plan
    serial: int = field(default_factory=lambda: next(_SERIALS), compare=False)

    def moved(self, at: float, to: float, scale: float = 1.0) -> LanePlan:
        """The plan with its pixels p at (p - at) * scale + to: the same view drawn
        elsewhere (scale 1), or, until it is planned on its own, a view moved or zoomed
        from this one (marks go with the data; labels keep their widths)."""
        if at == to and scale == 1.0:
            return self

        def x(p: float) -> float:
            return (p - at) * scale + to

        def place(p: Placement | None) -> Placement | None:
            return None if p is None else Placement(x(p.x), p.row, p.width)

        groups = [Group(g.members, x(g.left), x(g.right)) for g in self.groups]
        bars = [
            BarSpot(b.members, x(b.left), x(b.right), b.text,
                    Stacked(b.stacked.line, place(b.stacked.label)), b.overflow)
            for b in self.bars
        ]  # fmt: skip
        return replace(self, groups=groups, places=[place(p) for p in self.places], bars=bars)

    def remapped(self, rows: dict[int, int], moved: bool = False) -> LanePlan:
        """The plan for other rows: each row by its index in them (`rows`: old to new);
        rows not among them are left out, with what only they made. `moved`: the other
        rows are those of a view only moved (the rows left out went out of it), and the
        plan is still what it draws (its `serial`) until the view is planned itself."""
        keep = [
            (Group(ms, g.left, g.right), t, p)
            for g, t, p in zip(self.groups, self.texts, self.places, strict=True)
            if (ms := [rows[r] for r in g.members if r in rows])
        ]
        bars = [
            BarSpot(kept, b.left, b.right, b.text, b.stacked, b.overflow)
            for b in self.bars
            if (kept := tuple(rows[r] for r in b.members if r in rows))
        ]
        whole = sum(len(g.members) for g, _, _ in keep) == sum(
            len(g.members) for g in self.groups
        ) and sum(len(b.members) for b in bars) == sum(len(b.members) for b in self.bars)
        return replace(
            self,
            groups=[g for g, _, _ in keep],
            texts=[t for _, t, _ in keep],
            places=[p for _, _, p in keep],
            bars=bars,
            serial=self.serial if whole or moved else next(_SERIALS),
        )

    def rows(self, top: float, height: float, m: Metrics) -> Rows:
        """The lines' positions in a lane from `top`, `height` pixels high: the content is
        centred in the lane."""
        compact = 1 if self.groups else 0
        block = m.line * (self.above + compact + self.below) + self.lines * self.step
        y = top + max(min(m.margin, height / 2), (height - block) / 2)
        above = y + m.line / 2
        y += m.line * self.above
        marks = y + m.line / 2
        y += m.line * compact
        return Rows(above, marks, marks + m.line, y + self.step / 2, self.step)


@dataclass(frozen=True)
class LaneRows:
    """One lane's rows in view, sorted by left edge, in pixels: `lo`/`hi` the marks' ends,
    `lo_ext`/`hi_ext` what their tails and fades take, `wide` the ones drawn as bars."""

    rows: Sequence[int]
    lo: Sequence[float]
    hi: Sequence[float]
    lo_ext: Sequence[float]
    hi_ext: Sequence[float]
    wide: Sequence[bool]
    after: Sequence[bool]  # an 'after' date: its label keeps clear of its tail


def plan_lane(
    lane: LaneRows,
    label_of: Callable[[int], str],
    many_label: Callable[[int], str],
    measure: Callable[[str], float],
    view_left: float,
    view_right: float,
    m: Metrics,
    height: float | None = None,
    most_height: float | None = None,
    need_only: bool = False,
) -> LanePlan:
    """Plan a lane. Without `height`, as much height as it needs (`need`), up to
    `most_height` (the plot's: lines past it could never be drawn, and stacking bars on
    them made a frame of a crowded lane cost 100 ms); with it, in that height: a lane short
    of room loses its free lines first, then stacks its bars closer (their labels only
    where their text covers nothing), and at last draws the bars that find no line as one
    mark with their count on its last line. `need_only`: the plan's `need` is what is
    asked for (a crowded lane's bars are then not stacked).

    Stacking is the costly part, and a lane short of room used to stack its bars three
    times. Where more bars overlap at one instant than there are lines, some bar is sure to
    find no line (bars on one line never overlap), so those passes are skipped: the plan is
    the same, made once."""
    plan = LanePlan()
    compact = [i for i, w in enumerate(lane.wide) if not w]
    wide = [i for i, w in enumerate(lane.wide) if w]
    _plan_marks(plan, lane, compact, label_of, measure, view_left, view_right, m, 2 - bool(wide))
    bars = _bars(lane, wide, label_of, many_label, measure)
    occupied = _marks_line(plan, lane) if plan.groups else None
    inputs = [Bar(b.left, b.right, b.label) for b in bars]
    bound = height if height is not None else most_height
    # lines as close as they may come; asked only for the need, lines at full spacing (no
    # lane is given more than the plot's height, and stacking the rest cost a step 30 ms)
    spacing = m.line if need_only and height is None else m.min_step
    cap = None if bound is None else int(max(0.0, bound) // spacing) + 1
    depth = overlap_depth(inputs, m.pad / 2)
    crowded = cap is not None and depth > cap
    stacked: list[Stacked] = []
    if cap is not None and crowded:  # every line is taken (see above): `need` is known
        lines = cap
    else:
        stacked, lines = stack_bars(
            inputs, view_left, view_right, max_lines=cap, above=_fresh(occupied), pad=m.pad
        )
    plan.lines, plan.step = lines, m.line
    compact_lines = bool(plan.groups) + plan.above + plan.below
    plan.need = 2 * m.margin + m.line * compact_lines + lines * m.line
    if height is None or height >= plan.need - 0.5 or not (wide or plan.above or plan.below):
        if crowded and not need_only:
            stacked, _ = stack_bars(
                inputs, view_left, view_right, max_lines=cap, above=_fresh(occupied), pad=m.pad
            )
        if not need_only:
            plan.bars = [b.spot(s) for b, s in zip(bars, stacked, strict=True)]
        return plan
    # short of room: first the free lines go (labels that needed them are elided or left out)
    room = height - 2 * m.margin - m.line * bool(plan.groups)
    keep = int(max(0.0, room - lines * m.line) // m.line) if plan.groups else 0
    keep = min(keep, 2 - bool(wide))
    if keep < plan.above + plan.below:
        _plan_marks(plan, lane, compact, label_of, measure, view_left, view_right, m, keep)
        occupied = _marks_line(plan, lane) if plan.groups else None
    room -= m.line * (plan.above + plan.below)
    if lines == 0:
        return plan
    step = room / lines
    if step >= m.line:
        stacked, lines = stack_bars(
            inputs, view_left, view_right, above=_fresh(occupied), pad=m.pad
        )
        plan.bars = [b.spot(s) for b, s in zip(bars, stacked, strict=True)]
        return plan
    most = max(1, int(room // m.min_step))
    step = max(m.min_step, room / min(lines, most)) if room > 0 else m.min_step
    plan.step = step
    plan.reach = max(0, math.ceil(m.line / (2 * step) + 0.5) - 1)
    fit = min(lines, most)
    if depth > fit and fit > 1:  # some bar is sure to find no line: straight to the last step
        stacked = [Stacked(None, None)]
    else:
        stacked, plan.lines = stack_bars(
            inputs, view_left, view_right, max_lines=fit, above=_fresh(occupied), reach=plan.reach,
            pad=m.pad,
        )  # fmt: skip
    if any(s.line is None for s in stacked) and fit > 1:
        # the last line takes, as one mark each, the runs of bars that find no line
        stacked, _ = stack_bars(
            inputs,
            view_left,
            view_right,
            max_lines=fit - 1,
            above=_fresh(occupied),
            reach=plan.reach,
            pad=m.pad,
        )
        plan.lines = fit
    plan.bars = [b.spot(s) for b, s in zip(bars, stacked, strict=True) if s.line is not None]
    plan.bars += _overflow([b for b, s in zip(bars, stacked, strict=True) if s.line is None],
                           max(0, plan.lines - 1), many_label)  # fmt: skip
    return plan


def _fresh(line: Line | None) -> Line | None:
    """The marks' line as it is before bars' labels take room on it (each stacking pass
    starts from it: a pass that is thrown away must leave nothing behind)."""
    return None if line is None else line.copy()


def _plan_marks(
    plan: LanePlan,
    lane: LaneRows,
    compact: list[int],
    label_of: Callable[[int], str],
    measure: Callable[[str], float],
    view_left: float,
    view_right: float,
    m: Metrics,
    free_rows: int,
) -> None:
    """Point-like marks, merged into counts where crowded, and their labels."""
    rows = [lane.rows[i] for i in compact]
    lo = [lane.lo[i] for i in compact]
    hi = [lane.hi[i] for i in compact]
    after = {lane.rows[i]: lane.after[i] for i in compact}
    groups = bubbled(group_crowded_lists(rows, lo, hi, m.mark), measure, view_right, view_left)
    texts = [label_of(g.members[0]) if g.count == 1 else None for g in groups]
    places = place_labels(
        groups,
        [measure(t) if t is not None else None for t in texts],
        view_left,
        view_right,
        lead=[m.tail if after[g.members[0]] else 0.0 for g in groups],
        free_rows=free_rows,
        pad=m.pad,
    )
    plan.groups, plan.texts, plan.places = groups, texts, places
    used = {p.row for p in places if p is not None}
    plan.above, plan.below = 1 in used, 2 in used


def group_crowded_lists(
    rows: list[int], lo: list[float], hi: list[float], min_width: float
) -> list[Group]:
    return group_crowded(
        np.asarray(rows, dtype=np.intp),
        np.asarray(lo, dtype=np.float64),
        np.asarray(hi, dtype=np.float64),
        min_width,
    )


def bubble_width(count: int, measure: Callable[[str], float]) -> float:
    """The width of a count's bubble."""
    return measure(str(count)) + 12


def bubbled(
    groups: list[Group],
    measure: Callable[[str], float],
    view_right: float | None = None,
    view_left: float | None = None,
) -> list[Group]:
    """Groups with the width their count bubble takes (so no label runs under it), merged
    with the groups that bubble would cover; a bubble stays inside the view's edges."""
    out: list[Group] = []
    for g in groups:
        if out and out[-1].count > 1 and g.left <= out[-1].right + 2:
            last = out.pop()
            g = Group(last.members + g.members, last.left, max(last.right, g.right))
        if g.count > 1:
            width = bubble_width(g.count, measure)
            left = g.left if view_left is None else max(g.left, view_left)
            right = max(g.right, left + width)
            if view_right is not None and right > view_right:
                right = view_right
                left = min(left, right - width)
            g = Group(g.members, left, right)
            while out and out[-1].right + 2 >= g.left:  # moved left over the one before
                last = out.pop()
                g = Group(last.members + g.members, min(last.left, g.left), g.right)
        out.append(g)
    return out


def _marks_line(plan: LanePlan, lane: LaneRows) -> Line:
    """What the line of point-like marks holds: the marks (tails included) and their labels
    beside them; bars' labels may use the rest."""
    line = Line()
    ext = {r: (a, b) for r, a, b in zip(lane.rows, lane.lo_ext, lane.hi_ext, strict=True)}
    half = 2.0
    for g, p in zip(plan.groups, plan.places, strict=True):
        left = min([g.left] + [ext[r][0] for r in g.members])
        right = max([g.right] + [ext[r][1] for r in g.members])
        line.merge(left - half, right + half)
        if p is not None and p.row == 0:
            line.merge(p.x - half, p.x + p.width + half)
    return line


@dataclass(slots=True)  # made for every bar of every plan: not frozen (that costs)
class _BarIn:
    members: tuple[int, ...]
    x0: float
    x1: float
    left: float
    right: float
    text: str
    label: float

    def spot(self, stacked: Stacked) -> BarSpot:
        return BarSpot(self.members, self.x0, self.x1, self.text, stacked)


def _bars(
    lane: LaneRows,
    wide: list[int],
    label_of: Callable[[int], str],
    many_label: Callable[[int], str],
    measure: Callable[[str], float],
) -> list[_BarIn]:
    """The lane's bars, sorted by left edge; bars of events with the same extent on screen
    (say, a thousand events dated only '2022') are one bar with their count."""
    lo, hi, rows = lane.lo, lane.hi, lane.rows
    same: dict[tuple[int, int], list[int]] = {}
    for i in wide:
        key = (round(lo[i]), round(hi[i]))
        found = same.get(key)
        if found is None:
            same[key] = [i]
        else:
            found.append(i)
    out: list[_BarIn] = []
    for members in same.values():
        first = members[0]
        if len(members) == 1:  # most bars: no count, no extent to merge
            row = rows[first]
            text = label_of(row)
            left, right = lane.lo_ext[first], lane.hi_ext[first]
            out.append(_BarIn((row,), lo[first], hi[first], left, right, text, measure(text)))
            continue
        merged = tuple(rows[i] for i in members)
        text = many_label(len(merged))
        left = min(lane.lo_ext[i] for i in members)
        right = max(lane.hi_ext[i] for i in members)
        out.append(_BarIn(merged, lo[first], hi[first], left, right, text, measure(text)))
    out.sort(key=lambda b: b.left)
    return out


def _overflow(bars: list[_BarIn], line: int, many_label: Callable[[int], str]) -> list[BarSpot]:
    """Bars that found no line, as one mark per run of overlapping ones, on `line`."""
    runs: list[tuple[list[_BarIn], float]] = []  # each run and its right end
    for b in sorted(bars, key=lambda b: b.left):
        if runs and b.left <= runs[-1][1]:
            run, right = runs[-1]
            run.append(b)
            runs[-1] = (run, max(right, b.right))
        else:
            runs.append(([b], b.right))
    out: list[BarSpot] = []
    for run, right in runs:
        members = tuple(r for b in run for r in b.members)
        left = run[0].left  # sorted by left edge
        text = many_label(len(members))
        out.append(BarSpot(members, left, right, text, Stacked(line, None), overflow=True))
    return out


def _near(
    rows: TimelineRows, left: float, right: float, sx: float, m: Metrics, trail: float
) -> np.ndarray:
    """The rows whose marks (and tails, fades and trails) may reach into the view."""
    margin = (m.mark + trail) / max(abs(sx), 1e-12)
    return np.nonzero((rows.x1 >= left - margin) & (rows.x0 <= right + margin))[0]


def lanes_near(
    rows: TimelineRows, left: float, right: float, sx: float, m: Metrics, trail: float
) -> list[int]:
    """The lanes `lanes_in_view` gives, without their rows."""
    return [int(lane) for lane in np.unique(rows.lane[_near(rows, left, right, sx, m, trail)])]


def lanes_in_view(
    rows: TimelineRows,
    left: float,
    right: float,
    sx: float,
    ox: float,
    m: Metrics,
    trail: float,
    wide_px: float,
) -> Iterator[tuple[int, LaneRows]]:
    """Each lane's rows that overlap the view from `left` to `right` (data units), mapped to
    pixels by `sx`, `ox`, sorted by left edge: what their marks, tails, fades and (for an
    undated fact, a bound with a `trail`) take, and which are bars (at least `wide_px`)."""
    visible = _near(rows, left, right, sx, m, trail)
    lo = rows.x0[visible] * sx + ox
    hi = rows.x1[visible] * sx + ox
    bound = rows.undated[visible] if rows.undated is not None else np.zeros(visible.size, bool)
    lo[bound] = hi[bound] - m.mark  # only a bound: its mark at the end (and a trail)
    qualifier = rows.qualifier[visible]
    centre = (lo + hi) / 2
    lo_ext = np.minimum(lo, centre - m.mark / 2)
    hi_ext = np.maximum(hi, centre + m.mark / 2)
    lo_ext = np.where(qualifier == 2, lo_ext - m.tail, lo_ext)
    hi_ext = np.where(qualifier == 3, hi_ext + m.tail, hi_ext)
    if rows.vouched is not None:
        vouched = rows.vouched[visible] * sx + ox
        fade = np.maximum(hi, np.maximum(vouched, lo + 2) + m.tail)
        hi_ext = np.where(np.isnan(vouched), hi_ext, fade)
    lo_ext[bound] = hi[bound] - trail
    # spans, and months and years wide enough at this zoom, are drawn as bars on lines
    # of their own and never swallow the point-like events around them
    wide = ((hi - lo) >= wide_px) & ~bound
    lanes = rows.lane[visible]
    for lane in np.unique(lanes).tolist():
        sel = np.nonzero(lanes == lane)[0]
        sel = sel[np.argsort(lo[sel], kind="stable")]  # a bound's trail moved its edge
        yield (
            int(lane),
            LaneRows(
                visible[sel].tolist(),
                lo[sel].tolist(),
                hi[sel].tolist(),
                lo_ext[sel].tolist(),
                hi_ext[sel].tolist(),
                wide[sel].tolist(),
                (qualifier[sel] == 3).tolist(),
            ),
        )
