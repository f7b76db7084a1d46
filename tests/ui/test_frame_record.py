"""A drag draws the frame before it moved: recorded once, played (then drawn from an image
of it, made when the loop is idle) at the new place, never with a look of another view."""

import numpy as np
from PySide6.QtGui import QImage

from explorer.model.timeline import DAY
from explorer.store.overview import Density

from .timeline_rows import START, random_rows, rows_view

X0, X1 = START + 10 * DAY, START + 30 * DAY  # the view the tests start from


def _rows():
    return random_rows(150, seed=5)


def _view(qtbot, rows=None):
    return rows_view(qtbot, rows)


def _drawn(qtbot):
    """A view of `_rows()` from X0 to X1, drawn once (recorded)."""
    view = _view(qtbot, _rows())
    view.set_range(X0, X1)
    _image(view)
    return view


def _dragged(qtbot, view):
    """`view` moved once, as a drag begins, and the image of its record made."""
    _pan_px(view, X0, X1, -20)
    _image(view)
    qtbot.waitUntil(lambda: view.item._frame.imaged == 1, timeout=2000)


def _image(view) -> QImage:
    return view.plot.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)


def _differing(a: QImage, b: QImage) -> float:
    """The share of pixels that differ by more than 2 in a channel."""
    x = np.frombuffer(a.constBits(), np.uint8).astype(int)
    y = np.frombuffer(b.constBits(), np.uint8).astype(int)
    return float(np.mean(np.abs(x - y).reshape(-1, 4).max(axis=1) > 2))


def _pan_px(view, x0, x1, pixels):
    """The view from x0..x1 (drawn) moved by a whole number of device pixels."""
    per_px = 1 / view.item._device.m11()
    view.set_range(x0 + pixels * per_px, x1 + pixels * per_px)


def test_a_pan_plays_the_frame_before_moved_as_drawing_it_would(qtbot):
    view = _drawn(qtbot)
    frame = view.item._frame
    played, made = frame.played, view.item.plans.made
    _pan_px(view, X0, X1, 37)
    moved = _image(view)
    assert frame.played == played + 1 and view.item.plans.made == made
    frame.clear()  # the same frame, drawn call by call
    drawn = _image(view)
    assert frame.played == played + 1
    assert _differing(moved, drawn) < 0.001
    assert view.item.paint_errors == 0


def test_once_idle_a_pan_draws_an_image_of_the_record_and_hits_move_with_it(qtbot):
    view = _drawn(qtbot)
    frame = view.item._frame
    qtbot.wait(50)
    assert frame.imaged == 0  # nothing moved yet: no image
    _dragged(qtbot, view)  # a drag begins: played from the record, then an image made
    _pan_px(view, X0, X1, -52)
    from_image = _image(view)
    assert frame.played >= 2 and frame.imaged == 1
    hits = {h.rows: h.rect for h in view.item._hits if not h.label}
    frame.clear()
    assert _differing(from_image, _image(view)) < 0.002
    redrawn = {h.rows: h.rect for h in view.item._hits if not h.label}
    assert hits.keys() == redrawn.keys()
    assert all(abs(hits[k].x() - redrawn[k].x()) < 0.01 for k in hits)
    # a click lands on what is drawn: the centre of a hit gives its rows
    item = view.item
    some = next(k for k in hits if len(k) == 1)
    assert item.hit_at(item._device.inverted()[0].map(hits[some].center())) is not None
    assert view.item.paint_errors == 0


def test_what_changes_the_look_draws_anew(qtbot):
    view = _drawn(qtbot)
    rows = view.item.rows
    frame = view.item._frame
    played = frame.played
    view.item.set_selected({3})
    _image(view)
    view.item.set_dimmed(np.arange(len(rows)) % 2 == 0)
    _image(view)
    view.item.set_noted(np.arange(len(rows)) % 3 == 0)
    _image(view)
    assert frame.played == played  # each was drawn, none played
    _image(view)
    assert frame.played == played + 1  # the same look again: played


def test_a_pan_past_what_the_record_reaches_draws_anew(qtbot):
    view = _drawn(qtbot)
    frame = view.item._frame
    played = frame.played
    _pan_px(view, X0, X1, view.plot.viewport().width() * 0.4)  # past a quarter of the width
    _image(view)
    assert frame.played == played


def test_a_density_is_drawn_then_imaged_once_dragged_and_played(qtbot):
    """A new density (each step brings one) is drawn; drawn again (a drag begins), it is
    drawn directly and an image of it made once the loop is idle, which the frames after
    play moved: the same pixels as drawing it there."""
    view = _view(qtbot)
    counts = [[(i * 7 + lane * 3) % 11 for i in range(200)] for lane in range(3)]
    density = Density("type", ["a", "b", "c"], 2, int(START // (DAY * 2)), counts)
    view.item.set_density(density)
    view.set_lanes(["a", "b", "c"])
    x0, x1 = START, START + 300 * DAY
    view.set_range(x0, x1)
    drawn = _image(view)
    frame = view.item._frame
    played, imaged = frame.played, frame.imaged
    _pan_px(view, x0, x1, 0)
    _image(view)
    assert frame.played == played  # the same density again: drawn, not played
    assert frame.imaged == imaged  # its image not made in the frame
    _pan_px(view, x0, x1, 21)
    _image(view)
    assert frame.played == played  # nor before the loop is idle: drawn again
    qtbot.waitUntil(lambda: frame.imaged == imaged + 1, timeout=2000)
    _pan_px(view, x0, x1, 33)
    moved = _image(view)
    assert frame.played == played + 1
    frame.clear()
    view.item._density_drawn = None
    # drawn anew at that place: the same but for bins' edges that fall on half a pixel,
    # rounded the other way (single columns)
    assert _differing(moved, _image(view)) < 0.005
    _pan_px(view, x0, x1, 0)
    assert _differing(drawn, _image(view)) < 0.005
    view.item.set_selected(set(), (START + 20 * DAY, START + 21 * DAY))
    _image(view)
    _image(view)
    assert frame.played == played + 1  # the selection drawn anew (then recorded)
    assert view.item.paint_errors == 0


def test_the_items_timers_live_and_die_on_qts_thread(qtbot):
    """A timer no Qt object owns is freed wherever the collector runs: freed on a worker
    thread while it ran, Qt warned that it could not be stopped (an import failed on it).
    The rest timer is the item's; the record asks for its image with Qt's single shot."""
    from PySide6.QtCore import QTimer

    view = _view(qtbot, _rows())
    assert view.item._rest.parent() is view.item
    assert not [v for v in vars(view.item._frame).values() if isinstance(v, QTimer)]


def test_a_picture_written_out_after_a_drag_is_drawn_from_the_record(qtbot, tmp_path):
    """Qt paints a widget written out as if on screen: the image of a drag's record put
    raster where an SVG had its labels as text."""
    import xml.etree.ElementTree as ET

    from explorer.ui.transfer import render_view

    view = _drawn(qtbot)
    _dragged(qtbot, view)
    _pan_px(view, X0, X1, -30)
    _image(view)  # from the image
    labels = {h.text for h in view.item._hits if h.label}
    assert labels
    out = render_view(view, tmp_path / "view.svg", view.size(), 96) or tmp_path / "view.svg"
    texts = {t.strip() for t in ET.parse(out).getroot().itertext() if t.strip()}
    assert labels <= texts


def test_an_image_of_another_size_is_made_again(qtbot):
    view = _drawn(qtbot)
    _dragged(qtbot, view)
    frame = view.item._frame
    frame._size = (frame._size[0] + 7, frame._size[1])  # as if the device had another height
    _pan_px(view, X0, X1, -25)
    _image(view)  # drawn from the record, not an image of the wrong size
    qtbot.waitUntil(lambda: frame.imaged == 2, timeout=2000)
    assert frame._size == (view.plot.viewport().height(), view.plot.viewport().devicePixelRatioF())
