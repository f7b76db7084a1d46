"""Where labels go: beside their marks when there is room, else on a free row; cut only
when there is no room anywhere."""

import itertools

from explorer.model.layout import Group, place_labels


def g(left, right=None, n=1):
    return Group(list(range(n)), left, left + 10 if right is None else right)


def test_a_label_with_room_on_the_right_goes_there():
    (p,) = place_labels([g(100)], [80.0], 0, 1000)
    assert p is not None and (p.x, p.row, p.width) == (114, 0, 80)


def test_a_label_cut_by_the_view_edge_goes_left_of_its_mark_when_that_is_free():
    (p,) = place_labels([g(950)], [120.0], 0, 1000)
    assert p is not None and p.row == 0 and p.width == 120
    assert p.x + p.width <= 950


def test_with_no_room_beside_its_mark_a_label_goes_whole_to_a_free_row():
    # the previous label takes the left, the view's edge cuts the right
    places = place_labels([g(600), g(950)], [330.0, 200.0], 0, 1000)
    assert places[0] is not None and places[0].row == 0 and places[0].width == 330
    last = places[1]
    assert last is not None and last.row == 1 and last.width == 200
    assert last.x >= 0 and last.x + 200 <= 1000


def test_free_rows_fill_up_and_then_labels_are_elided_beside_their_marks():
    places = place_labels([g(600), g(900), g(950)], [330.0, 900.0, 900.0], 0, 1000)
    assert places[1] is not None and places[1].row == 1  # the free row takes the first
    third = places[2]  # no room anywhere: elided to the room left of it (none right)
    assert third is None or (third.row == 0 and third.width < 900)


def test_labels_never_overlap_each_other_or_marks():
    groups = [g(x) for x in range(0, 1000, 60)]
    places = place_labels(groups, [150.0] * len(groups), 0, 1000, free_rows=2)
    spans: dict[int, list[tuple[float, float]]] = {}
    for grp, p in zip(groups, places, strict=True):
        spans.setdefault(0, []).append((grp.left, grp.right))
        if p is not None:
            spans.setdefault(p.row, []).append((p.x, p.x + p.width))
    for row in spans.values():
        row.sort()
        assert all(a[1] <= b[0] for a, b in itertools.pairwise(row))


def test_a_count_has_no_label_and_its_extent_is_kept_clear():
    places = place_labels([g(100, 140, n=3), g(150)], [None, 60.0], 0, 1000)
    assert places[0] is None
    assert places[1] is not None and places[1].x >= 160


def test_a_mark_past_an_edge_with_its_tail_in_view_keeps_its_label_inside_the_view():
    # a 'before' mark just past the right edge: its label left of it ends at the edge
    (p,) = place_labels([g(1030, 1040)], [120.0], 0, 1000)
    assert p is not None and p.row == 0 and p.x >= 0 and p.x + p.width <= 1000
    # an 'after' mark just past the left edge, its tail reaching in: the label starts inside
    (p,) = place_labels([g(-40, -30)], [120.0], 0, 1000, lead=[28.0])
    assert p is not None and p.row == 0 and p.x >= 0 and p.x + p.width <= 1000
    # elided in the room there is, never past the edge
    _, p = place_labels([g(500, 510), g(1030, 1040)], [None, 900.0], 0, 1000)
    assert p is None or (p.x >= 0 and p.x + p.width <= 1000)
