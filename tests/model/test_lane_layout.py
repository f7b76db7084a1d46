"""Bars stacked on lines of a lane, their labels, and lanes' heights (pure pixel layout)."""

from explorer.model.lane_layout import Bar, Line, allot, stack_bars


def _overlap(a, b):
    return a[0] < b[1] and b[0] < a[1]


def test_bars_that_overlap_in_time_never_share_a_line():
    bars = [Bar(0, 500, None), Bar(100, 300, None), Bar(200, 600, None), Bar(550, 700, None)]
    out, lines = stack_bars(bars, 0, 1000)
    assert lines == 3
    for i, a in enumerate(bars):
        for j, b in enumerate(bars[i + 1 :], i + 1):
            if _overlap((a.left, a.right), (b.left, b.right)):
                assert out[i].line != out[j].line


def test_a_label_never_covers_a_bar_or_another_label():
    bars = [Bar(0, 400, 150), Bar(380, 420, 200), Bar(10, 900, 120), Bar(600, 990, 300)]
    out, _lines = stack_bars(bars, 0, 1000)
    taken = [(s.line, b.left - 2, b.right + 2) for b, s in zip(bars, out, strict=True)]
    for s in out:
        if s.label is not None:
            taken.append((s.label.row, s.label.x, s.label.x + s.label.width))
            assert s.label.x >= 0 and s.label.x + s.label.width <= 1000
    for i, (ka, a0, a1) in enumerate(taken):
        for kb, b0, b1 in taken[i + 1 :]:
            assert ka != kb or not _overlap((a0, a1), (b0, b1))


def test_an_elided_label_gets_no_room_inside_what_a_line_already_holds():
    # the line above holds a label from 446 to 662; a bar ending at 650 below it has no room
    # to its right on that line, so with labels reaching a line up, it is left out there
    above = Line()
    above.take(446, 662)
    out, _ = stack_bars([Bar(20, 650, 400)], 0, 700, max_lines=1, above=above, reach=1)
    label = out[0].label
    assert label is None or label.x + label.width <= 446 or label.x >= 662


def test_lanes_get_what_they_need_and_share_the_rest_evenly():
    assert allot([20, 100, 20], 300) == [100, 100, 100]
    assert allot([20, 200, 20], 300) == [50, 200, 50]
    short = allot([100, 200, 100], 200)
    assert short == [50, 100, 50] and sum(short) == 200


def test_a_bar_past_an_edge_with_its_fade_in_view_keeps_its_label_inside_the_view():
    for bar in (Bar(1010, 1400, 150), Bar(-400, -10, 150)):
        (s,), _ = stack_bars([bar], 0, 1000)
        assert s.label is not None
        assert s.label.x >= 0 and s.label.x + s.label.width <= 1000
