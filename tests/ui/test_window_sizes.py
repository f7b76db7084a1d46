"""The timeline keeps most of the window at laptop and desktop sizes, and the lane names
take only the width they need (no blank strip left of them)."""

import pytest
from PySide6.QtGui import QFontMetricsF


@pytest.mark.parametrize("size", [(1024, 700), (1366, 768), (1920, 1080)])
def test_the_timeline_gets_most_of_the_window(make_window, qtbot, size):
    window = make_window(use_settings=False)
    window.resize(*size)
    qtbot.wait(50)
    width = window.width()
    assert window.centralWidget().width() >= 0.55 * width
    # and the plotting area itself (without the lane names) keeps most of that
    assert window.timeline.view_box.width() >= 0.45 * width
    # the panes are still there, narrowed, not gone
    assert window.left_dock.isVisible() and window.right_dock.isVisible()
    assert window.right_dock.width() >= window.right_dock.minimumSizeHint().width()


def test_the_lane_names_fill_their_axis(make_window, qtbot):
    window = make_window(use_settings=False)
    qtbot.wait(20)
    axis = window.timeline.lane_axis
    ticks = axis._tickLevels[0]
    names = [name for _, name in ticks]
    fm = QFontMetricsF(axis.style["tickFont"] or window.timeline.font())
    widest = max(fm.horizontalAdvance(n) for n in names)
    assert widest + 4 <= axis.width() <= widest + 24


def test_a_place_lane_keeps_its_whole_english_name(make_window, bundled_copy, qtbot):
    window = make_window(db=bundled_copy, use_settings=False)
    window.set_grouping("place")
    qtbot.wait(20)
    names = [n for _, n in window.timeline.lane_axis._tickLevels[0]]
    assert "Zhongguancun Science City" in names


def test_the_first_window_fits_the_screen(qtbot, mini_db, settings):
    """It opened at a fixed 1440×900: on a 1024×700 or 1366×768 laptop the language list,
    the details pane and the status bar were off screen."""
    from explorer.model.session import Session
    from explorer.ui.main_window import MainWindow

    with Session.open(mini_db) as session:
        window = MainWindow(session, settings, lang="en")
        qtbot.addWidget(window)
        free = window.screen().availableGeometry()
        assert free.width() < 1440 or free.height() < 900  # the test screen is a small one
        assert free.contains(window.geometry()), (free, window.geometry())
        assert window.width() > free.width() * 0.9
        window.close()
