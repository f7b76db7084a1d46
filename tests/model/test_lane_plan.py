"""A lane's plan made once: the stacking passes skipped where the outcome is sure are the
same plan as when every pass runs (what a frame of a crowded lane costs depends on it)."""

import random
from itertools import pairwise

import pytest

from explorer.model import lane_plan
from explorer.model.lane_layout import Bar, overlap_depth
from explorer.model.lane_plan import LaneRows, Metrics, plan_lane

M = Metrics(line=17.0, mark=10.0, tail=14.0)


def _brute_depth(bars: list[Bar], half: float) -> int:
    points = sorted({b.left - half for b in bars} | {b.right + half for b in bars})
    mids = [(a + b) / 2 for a, b in pairwise(points)]
    return max(
        (sum(1 for b in bars if b.left - half < x < b.right + half) for x in mids), default=0
    )


def test_overlap_depth_is_the_most_bars_over_one_instant():
    rng = random.Random(5)
    for _ in range(300):
        bars = []
        for _ in range(rng.randint(0, 25)):
            left = float(rng.randint(0, 300))
            bars.append(Bar(left, left + rng.randint(0, 120), None))
        assert overlap_depth(bars, 2.0) == (_brute_depth(bars, 2.0) if bars else 0)


def test_bars_that_only_touch_are_not_counted_as_overlapping():
    assert overlap_depth([Bar(0, 10, None), Bar(14, 20, None)], 2.0) == 1
    assert overlap_depth([Bar(0, 10, None), Bar(13.9, 20, None)], 2.0) == 2


def _lane(rng: random.Random, n: int, width: float) -> LaneRows:
    lo, hi = [], []
    for _ in range(n):
        if rng.random() < 0.6:  # a bar: often running past the view, as a year's event does
            a = rng.uniform(-width, width)
            b = a + rng.uniform(40, 2 * width)
        else:
            a = rng.uniform(0, width)
            b = a + rng.uniform(0, 4)
        lo.append(a)
        hi.append(b)
    order = sorted(range(n), key=lambda i: lo[i])
    lo = [lo[i] for i in order]
    hi = [hi[i] for i in order]
    return LaneRows(
        list(range(n)),
        lo,
        hi,
        [a - 5 for a in lo],
        [b + 5 for b in hi],
        [(b - a) >= 30 for a, b in zip(lo, hi, strict=True)],
        [False] * n,
    )


def _plan(lane: LaneRows, width: float, height: float | None, most: float | None):
    labels = [f"event {i} " + "x" * (i % 17) for i in range(len(lane.rows))]
    return plan_lane(
        lane,
        lambda r: labels[r],
        lambda n: f"{n} events",
        lambda text: 7.0 * len(text),
        0.0,
        width,
        M,
        height,
        most_height=most,
    )


@pytest.mark.parametrize("seed", range(40))
def test_a_plan_made_once_is_the_plan_every_pass_makes(seed, monkeypatch):
    rng = random.Random(seed)
    width = 1600.0
    lane = _lane(rng, rng.choice([5, 20, 60, 120]), width)
    asked = [(None, 900.0), (rng.uniform(20, 60), None), (rng.uniform(60, 300), None)]
    once = [_plan(lane, width, h, most) for h, most in asked]
    monkeypatch.setattr(lane_plan, "overlap_depth", lambda bars, half: 0)  # every pass runs
    every = [_plan(lane, width, h, most) for h, most in asked]
    assert once == every


def test_a_crowded_lane_asked_only_for_its_need_needs_the_plot_and_is_not_stacked():
    rng = random.Random(1)
    lane = _lane(rng, 150, 1600.0)
    labels = [f"e{i}" for i in range(150)]
    args = (lane, lambda r: labels[r], str, lambda t: 7.0 * len(t), 0.0, 1600.0, M)
    quick = plan_lane(*args, most_height=120.0, need_only=True)
    full = plan_lane(*args, most_height=120.0)
    # more lines than the plot holds at full spacing are not counted: it needs the plot
    assert quick.lines == int(120.0 // M.line) + 1 and 120.0 <= quick.need <= full.need
    assert quick.bars == [] and full.bars  # only the full plan stacked its bars


def test_a_lane_with_room_asked_only_for_its_need_needs_what_its_plan_needs():
    rng = random.Random(2)
    for _ in range(20):
        lane = _lane(rng, 6, 1600.0)
        args = (lane, lambda r: f"event {r}", str, lambda t: 7.0 * len(t), 0.0, 1600.0, M)
        quick = plan_lane(*args, most_height=900.0, need_only=True)
        assert quick.need == plan_lane(*args, most_height=900.0).need
