"""The lanes' plans of the view on screen, kept until what they were made from changes.

A frame used to plan every lane again, and to ask every row for its label and every label
for its width, even when nothing but the hover or the selection had changed. The plans of
one view are kept here with the labels and widths they were made from; the same view drawn
at another place on the device (an exported picture, a grab) is the same plan moved.
Qt-free: the widths come from a `measure` callable, keyed by the font they measure in.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable

from explorer.model.lane_plan import LanePlan, LaneRows, Metrics, plan_lane

#: Plans kept at most (a view's lanes, at a few heights); past it they are made again.
MOST_PLANS = 256


class PlanCache:
    def __init__(self, label_of: Callable[[int], str]) -> None:
        self._label_of = label_of
        self._labels: dict[int, str] = {}
        self._widths: dict[str, float] = {}
        self._font: Hashable = None
        self._plans: dict[tuple[object, ...], tuple[LanePlan, float]] = {}
        #: the newest plan of each lane, whatever its view's place and scale (see `plan`):
        #: (plan, its offset, its scale, where its view starts in the data)
        self._held: dict[tuple[object, ...], tuple[LanePlan, float, float, float]] = {}
        self._keys: list[Hashable] | None = None  # what each row is (see new_rows)
        self.made = 0  # plans made (the rest were kept ones)
        self.moved = False  # a plan of another view was drawn moved since `release`

    def reset(self, rows: dict[int, int] | None = None, moved: bool = False) -> None:
        """Other rows: the plans made of them go. `rows`: the old rows' indexes in the new
        ones (the same events in the same lanes, in the same language), which keep their
        labels (a zoom's step made 3,000 again) and are given the plans held for drawing at
        once (see `plan`; `moved`: see LanePlan.remapped); without it those go too, and
        every label."""
        self._plans.clear()
        if rows is None:
            self._labels.clear()
            self._held.clear()
        else:
            self._labels = {rows[r]: t for r, t in self._labels.items() if r in rows}
            self._held = {
                k: (plan.remapped(rows, moved), at, scale, x0)
                for k, (plan, at, scale, x0) in self._held.items()
            }

    def new_rows(
        self, keys: list[Hashable] | None, hold: bool, moved: bool = False
    ) -> dict[int, int] | None:
        """Other rows; `keys` says what each is (its event, lane, language). With `hold` (their
        lanes are the lanes drawn), the plans held for drawing at once are kept for the
        rows that are still there (`moved`: the rows of the view before, only moved; see
        LanePlan.remapped). Returns, when a plan was kept, each old row still there and its
        index in the new rows."""
        old, self._keys = self._keys, keys
        index = {k: i for i, k in enumerate(keys or ())}
        still = {i: index[k] for i, k in enumerate(old or ()) if k in index}
        if not (hold and still):  # nothing drawn before is drawn now: no plan holds
            self.reset()
            return None
        self.reset(still, moved)
        return still if self._held else None

    @property
    def holding(self) -> bool:
        """Whether plans are held for drawing other views at once (see `plan`)."""
        return bool(self._held)

    def release(self) -> None:
        """Plans of other views are not drawn moved any more: each view gets its own."""
        self._held.clear()
        self.moved = False

    def label(self, row: int) -> str:
        text = self._labels.get(row)
        if text is None:
            text = self._labels[row] = self._label_of(row)
        return text

    def measurer(self, font: Hashable, measure: Callable[[str], float]) -> Callable[[str], float]:
        """`measure`, asked once per text while the font stays `font`."""
        if font != self._font:
            self._font, self._widths = font, {}
            self._plans.clear()
            self._held.clear()
        widths = self._widths

        def width(text: str) -> float:
            found = widths.get(text)
            if found is None:
                found = widths[text] = measure(text)
            return found

        return width

    def plan(
        self,
        lane: int,
        rows: LaneRows,
        many_label: Callable[[int], str],
        measure: Callable[[str], float],
        scale: float,
        offset: float,
        view: tuple[float, float],
        m: Metrics,
        height: float | None = None,
        most_height: float | None = None,
        need_only: bool = False,
        hold: bool = False,
    ) -> LanePlan:
        """Lane `lane`'s plan of `rows` (in pixels: x * scale + offset) in the view from
        view[0] to view[1] pixels; see model.lane_plan.plan_lane. Made once per view: the
        key holds where the view is in the data, not on the device.

        `hold`: a view at least half of which the view before it showed, zoomed by at most
        3x (a drag, a wheel notch), may be drawn at once from the plan of that view, moved
        and scaled with the data; `moved` is then set, and the caller plans the view itself
        once it rests (`release`). What that frame may lack: marks coming in at the edges
        and rows new since (see `reset`); labels kept inside the view's edges go out with
        their marks, and zoomed, marks may overlap or part until the view is planned."""
        found = self.origin(lane, scale, offset, view, m, height, most_height, need_only, hold)
        if found is not None:
            plan, at, ratio = found
            return plan.moved(at, offset, ratio)
        left, right = view
        plan = plan_lane(
            rows, self.label, many_label, measure, left, right, m, height, most_height, need_only
        )
        self.made += 1
        if len(self._plans) >= MOST_PLANS:
            self._plans.clear()
            self._held.clear()
        where = _where(lane, right - left, m, height, most_height, need_only)
        self._plans[(*where, scale, left - offset)] = (plan, offset)
        self._held[where] = (plan, offset, scale, (left - offset) / scale)
        return plan

    def origin(
        self,
        lane: int,
        scale: float,
        offset: float,
        view: tuple[float, float],
        m: Metrics,
        height: float | None = None,
        most_height: float | None = None,
        need_only: bool = False,
        hold: bool = False,
    ) -> tuple[LanePlan, float, float] | None:
        """Where `plan` would take this plan from, without moving it: a plan kept or held
        (then `moved` is set), the offset it was made at, and the scale it is drawn at
        against its own. None: it would be made.
        Two frames whose lanes come from the same plans at the same scale differ only by
        where they are (the difference of their offsets)."""
        left, right = view
        where = _where(lane, right - left, m, height, most_height, need_only)
        kept = self._plans.get((*where, scale, left - offset))
        if kept is not None:
            return kept[0], kept[1], 1.0
        held = self._held.get(where) if hold else None
        if held is not None:
            plan, at, was, x0 = held  # made at scale `was`, its view starting at data x0
            ratio = scale / was
            start = (left - offset) / scale  # this view's start, in data
            # the share of this view that the held one showed (a pan, or a zoom about a
            # point in view: a zoom in about the middle keeps the view inside the one before)
            shown = min(x0 + (right - left) / was, start + (right - left) / scale) - max(x0, start)
            if 1 / 3 <= ratio <= 3 and shown * scale >= (right - left) / 2:
                self.moved = True
                return plan, at, ratio
        return None


def _where(
    lane: int,
    width: float,
    m: Metrics,
    height: float | None,
    most_height: float | None,
    need_only: bool,
) -> tuple[object, ...]:
    """What a lane's plan is of but the view's place and scale. The view's width in pixels
    is rounded: it comes out of the view's edges mapped to the device, and differs in its
    last digits from frame to frame of a drag (each such frame made every plan again)."""
    return (lane, round(width, 3), m, height, most_height, need_only)
