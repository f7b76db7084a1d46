"""A 1024x700 laptop: the window cannot be squeezed below a size where its parts still sit
side by side, and the own-event dialog fits the screen however long the names it lists."""

from PySide6.QtCore import QRect


def test_the_window_has_a_minimum_size_that_fits_a_laptop(make_window, qtbot):
    window = make_window(use_settings=False)
    from explorer.ui.main_window import MIN_HEIGHT, MIN_WIDTH

    least = window.minimumSize()
    # a laptop's 1024x700 screen holds it with its panels (92% of its height is left)
    assert 800 <= MIN_WIDTH <= 1024 * 0.96 and 500 <= MIN_HEIGHT <= 700 * 0.92
    # on a screen smaller still (the test's is 800x800) it is what the screen holds
    free = window.screen().availableGeometry()
    assert least.width() == min(MIN_WIDTH, int(free.width() * 0.96))
    assert least.height() == min(MIN_HEIGHT, int(free.height() * 0.92))
    window.resize(300, 200)  # squeezed: it stops at the minimum
    qtbot.wait(50)
    assert window.width() >= least.width() and window.height() >= least.height()
    # at the minimum the panes and the timeline are all there, side by side
    docks = [window.left_dock, window.right_dock]
    assert all(d.isVisible() and d.width() > 100 for d in docks)
    assert window.timeline.view_box.width() >= 0.4 * window.width()
    rects = [QRect(d.mapTo(window, d.rect().topLeft()), d.size()) for d in docks]
    central = window.centralWidget()
    rects.append(QRect(central.mapTo(window, central.rect().topLeft()), central.size()))
    for i, a in enumerate(rects):
        for b in rects[i + 1 :]:
            assert not a.intersects(b)


def test_the_own_event_dialog_fits_the_screen_with_long_names(make_window, qtbot):
    window = make_window(use_settings=False)
    long = "A source with a very long title " * 6
    names = [("ent-x", "An entity whose name is long enough to widen any box " * 3)]
    from explorer.ui.own_dialogs import OwnEventDialog

    dialog = OwnEventDialog(window.t, lambda data: None, names, [("src-x", long)], None, window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    room = dialog.screen().availableGeometry().width()
    assert dialog.minimumSizeHint().width() <= min(room, 1024)
    assert dialog.width() <= min(room, 1024) and dialog.maximumWidth() <= room
    dialog.reject()
