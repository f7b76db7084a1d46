"""A frame draws from what is already planned: the same view drawn again plans nothing, a
pan is drawn at once from the plans of the view before it and gets its own once it rests,
and new rows that are the rows drawn keep their plans."""

from explorer.model.timeline import DAY, TimelineRows
from explorer.ui import timeline_item

from .timeline_rows import START, random_rows, rows_view


def _labels(view):
    return sorted(
        (h.text, round(h.rect.x(), 1), round(h.rect.y(), 1)) for h in view.item._hits if h.label
    )


def test_the_same_view_drawn_again_plans_nothing(qtbot):
    view = rows_view(qtbot, random_rows())
    view.set_range(START + 10 * DAY, START + 30 * DAY)
    view.plot.grab()
    made, drawn = view.item.plans.made, _labels(view)
    assert made > 0 and drawn
    view.item.set_selected({5})
    view.plot.grab()
    assert view.item.plans.made == made and _labels(view) == drawn
    assert view.item.paint_errors == 0


def test_a_pan_is_drawn_from_the_plans_before_it_then_planned_when_it_rests(qtbot):
    rows = random_rows()
    view = rows_view(qtbot, rows)
    x0, x1 = START + 10 * DAY, START + 30 * DAY
    view.set_range(x0, x1)
    view.plot.grab()
    made, before = view.item.plans.made, _labels(view)
    shift = (x1 - x0) / 20
    view.set_range(x0 + shift, x1 + shift)
    view.plot.grab()
    assert view.item.plans.made == made and view.item.plans.moved  # drawn at once
    px = view.item._device.m11() * shift
    moved = {(text, y): x for text, x, y in _labels(view)}
    same = [(t, x, y) for t, x, y in before if (t, y) in moved]
    assert same and all(abs(moved[(t, y)] - (x - px)) < 1 for t, x, y in same)  # with the data
    qtbot.waitUntil(lambda: not view.item.plans.moved, timeout=2000)
    view.plot.grab()
    assert view.item.plans.made > made  # its own plans, once the pan rested
    fresh = rows_view(qtbot, rows)
    fresh.set_range(x0 + shift, x1 + shift)
    fresh.plot.grab()
    assert _labels(view) == _labels(fresh)
    assert view.item.paint_errors == 0


def test_a_jump_is_planned_at_once(qtbot):
    view = rows_view(qtbot, random_rows())
    x0, x1 = START + 10 * DAY, START + 30 * DAY
    view.set_range(x0, x1)
    view.plot.grab()
    made = view.item.plans.made
    view.set_range(x0 + (x1 - x0) * 0.8, x1 + (x1 - x0) * 0.8)  # most of a view away
    view.plot.grab()
    assert view.item.plans.made > made and not view.item.plans.moved


def test_a_zoom_in_about_the_middle_is_drawn_at_once_and_a_zoom_out_planned(qtbot):
    view = rows_view(qtbot, random_rows())
    x0, x1 = START + 10 * DAY, START + 35 * DAY
    middle, width = (x0 + x1) / 2, x1 - x0
    view.set_range(x0, x1)
    view.plot.grab()
    made = view.item.plans.made
    view.set_range(middle - width / 5, middle + width / 5)  # 2.5x in: inside the view before
    view.plot.grab()
    assert view.item.plans.made == made and view.item.plans.moved
    view.item._rested()
    view.plot.grab()
    made = view.item.plans.made
    view.set_range(middle - width / 2, middle + width / 2)  # 2.5x out: most of it unseen
    view.plot.grab()
    assert view.item.plans.made > made and not view.item.plans.moved
    assert view.item.paint_errors == 0


def test_rows_that_are_the_rows_drawn_keep_their_plans(qtbot, monkeypatch):
    monkeypatch.setattr(timeline_item, "REST_MS", 10_000)
    rows = random_rows()
    view = rows_view(qtbot, rows)
    view.set_range(START + 10 * DAY, START + 30 * DAY)
    view.plot.grab()
    made = view.item.plans.made
    again = TimelineRows(**{k: getattr(rows, k) for k in rows.__dataclass_fields__})
    assert again.same_as(rows)
    view.set_rows(again, [lane.key for lane in rows.lanes], same=True)
    view.plot.grab()
    assert view.item.plans.made == made
    view.set_rows(again, [lane.key for lane in rows.lanes])  # not said to be the same
    view.plot.grab()
    assert view.item.plans.made > made


def test_rows_that_differ_in_anything_drawn_are_not_the_same():
    rows = random_rows()
    for name in ("x0", "x1", "lane", "precision", "qualifier", "span", "event"):
        other = TimelineRows(**{k: getattr(rows, k) for k in rows.__dataclass_fields__})
        changed = getattr(rows, name).copy()
        changed[7] = changed[7] + 1 if changed.dtype != bool else not changed[7]
        setattr(other, name, changed)
        assert not other.same_as(rows), name


def test_rows_in_another_language_keep_no_plan_of_the_one_before(qtbot):
    rows = random_rows()
    view = rows_view(qtbot, rows)
    view.set_range(START + 10 * DAY, START + 30 * DAY)
    view.plot.grab()
    names = [lane.key for lane in rows.lanes]
    keys = [(int(e), int(k), "ko") for e, k in zip(rows.event, rows.lane, strict=True)]
    view.set_rows(rows, names, keys=keys)
    view.plot.grab()
    same_language = [(e, k, "ko") for e, k, _ in keys]
    view.set_rows(rows, names, keys=same_language)
    assert view.item._stale  # the same rows: drawn from what was held
    view.set_rows(rows, names, keys=[(e, k, "en") for e, k, _ in keys])
    made = view.item.plans.made
    view.plot.grab()
    assert view.item.plans.made > made and not view.item.plans.moved  # planned anew
