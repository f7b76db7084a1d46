"""Notes in the window: write, see, edit, delete, undo and redo; a failed save keeps the text."""

from __future__ import annotations

from PySide6.QtCore import QUrl

from explorer.store.notes import Target
from explorer.ui.note_editor import NoteEditor


def rows_noted(window, event_id):
    noted = window.timeline.item.noted
    return [
        bool(noted[r])
        for r, e in enumerate(window.rows.event.tolist())
        if window.event_ids[e] == event_id
    ]


def add_via_editor(window, text, tags="", markdown=False):
    editor = window.work.new_note()
    editor.text.setPlainText(text)
    editor.tags.setText(tags)
    editor.markdown.setChecked(markdown)
    assert editor.try_save(), editor.error.text()
    return editor.saved


def test_a_note_on_the_selected_event_shows_in_pane_list_and_timeline(qtbot, window):
    window.select_event("ev-alliance")
    assert rows_noted(window, "ev-alliance") == [False]
    note = add_via_editor(window, "이사회 날짜 확인", "확인, 날짜")
    assert note.target == Target("event", "ev-alliance") and note.tags == ("확인", "날짜")
    assert "이사회 날짜 확인" in window.event_pane.browser.toPlainText()
    assert window.notes_panel.visible_ids() == [note.id]
    assert rows_noted(window, "ev-alliance") == [True]


def test_edit_delete_undo_redo_from_the_pane_and_keys(qtbot, window):
    window.select_event("ev-alliance")
    note = add_via_editor(window, "v1")
    qtbot.wait(10)  # the closed editor deletes itself
    assert window.findChildren(NoteEditor) == []
    window.event_pane.browser.anchorClicked.emit(QUrl(f"note-edit:{note.id}"))
    editors = window.findChildren(NoteEditor)
    assert [e.text.toPlainText() for e in editors] == ["v1"], "the link opens the note"
    editors[0].text.setPlainText("v2")
    assert editors[0].try_save()
    assert "v2" in window.event_pane.browser.toPlainText()
    window.event_pane.browser.anchorClicked.emit(QUrl(f"note-delete:{note.id}"))
    assert "v2" not in window.event_pane.browser.toPlainText()
    window.act_undo.trigger()
    assert "v2" in window.event_pane.browser.toPlainText()
    window.act_undo.trigger()
    assert "v1" in window.event_pane.browser.toPlainText()
    window.act_redo.trigger()
    window.act_redo.trigger()
    assert window.notes_panel.visible_ids() == []
    assert not window.act_redo.isEnabled() and window.act_undo.isEnabled()


def test_notes_list_searches_filters_by_tag_and_jumps(qtbot, window):
    window.select_entity("ent-baidu")
    on_baidu = add_via_editor(window, "search engine", "company")
    window.clear_selection()
    on_range = add_via_editor(window, "an interesting period", "period")
    assert on_range.target.kind == "range"
    panel = window.notes_panel
    assert set(panel.visible_ids()) == {on_baidu.id, on_range.id}
    panel.search.setText("engine")
    assert panel.visible_ids() == [on_baidu.id]
    panel.search.clear()
    panel.tag.setCurrentIndex(panel.tag.findData("period"))
    assert panel.visible_ids() == [on_range.id]
    panel.tag.setCurrentIndex(0)
    window.work.go_to_note(on_baidu.id)
    assert window.entity_pane.detail.entity.id == "ent-baidu"
    assert "search engine" in window.entity_pane.header.toPlainText()


def test_full_disk_keeps_the_text_and_saves_once_there_is_room(qtbot, window):
    window.select_event("ev-alliance")
    db = window.ws.annotations.store.db
    pages = db.execute("PRAGMA page_count").fetchone()[0]
    db.execute(f"PRAGMA max_page_count = {pages}")
    editor = window.work.new_note()
    text = "디스크가 가득 찼을 때의 메모 " * 3000
    editor.text.setPlainText(text)
    assert not editor.try_save()
    assert editor.error.isVisibleTo(editor) and "disk is full" in editor.error.text()
    assert editor.text.toPlainText() == text and editor.isVisible()
    db.execute("PRAGMA max_page_count = 1073741823")
    assert editor.try_save()
    assert window.ws.annotations.get(editor.saved.id).text == text


def test_an_edit_made_elsewhere_is_not_overwritten(qtbot, window):
    window.select_event("ev-alliance")
    note = add_via_editor(window, "original")
    editor = window.work.edit_note(note.id)
    window.ws.annotations.edit(note.id, text="changed in another window")
    editor.text.setPlainText("my change")
    assert not editor.try_save()
    assert "changed elsewhere" in editor.error.text()
    assert editor.text.toPlainText() == "my change"
    assert window.ws.annotations.get(note.id).text == "changed in another window"


def test_hostile_note_is_shown_as_text(qtbot, window):
    window.select_event("ev-alliance")
    hostile = '<img src="file:///etc/passwd"> <b>bold?</b>'
    add_via_editor(window, hostile)
    add_via_editor(
        window, "![x](https://tracker.example/p.png) **md** [ok](https://e.org)", markdown=True
    )
    pane = window.event_pane.browser
    assert hostile in pane.toPlainText()
    html = pane.toHtml()
    assert "<img" not in html and 'file:///etc/passwd"' not in html
    assert 'href="https://e.org"' in html


def test_range_notes_are_drawn_on_the_timeline_and_open_on_click(qtbot, window):
    from PySide6.QtCore import QPoint, QPointF, Qt

    from explorer.model.timeline import epoch_seconds

    window.ws.annotations.add(Target("range", None, "2019-01-01", "2019-12-31"), "2019 in review")
    band = window.range_notes
    assert [n.label for n in band.notes] == ["2019 in review"]
    window.timeline.set_range(epoch_seconds("2018-01-01"), epoch_seconds("2021-01-01"))
    image = window.timeline.plot.grab().toImage()
    assert band.spots, "the band is drawn when its dates are in view"
    rect = band.spots[0][0]
    inside = image.pixelColor(int(rect.center().x()), int(rect.top() + 40))
    outside = image.pixelColor(int(rect.right() + 60), int(rect.top() + 40))
    assert inside != outside
    scene = band.mapToScene(
        band._device.inverted()[0].map(QPointF(rect.center().x(), rect.bottom() - 8))
    )
    pos = window.timeline.plot.mapFromScene(scene)
    qtbot.mouseClick(
        window.timeline.plot.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(pos.x(), pos.y())
    )
    editors = window.findChildren(NoteEditor)
    assert [e.text.toPlainText() for e in editors] == ["2019 in review"]


def test_notes_on_a_source_and_on_a_figure_from_the_panes(qtbot, window):
    window.select_event("ev-alliance")
    assert "note-add-source:src-a" in window.event_pane.browser.toHtml()
    window.event_pane.browser.anchorClicked.emit(QUrl("note-add-source:src-a"))
    editor = [e for e in window.findChildren(NoteEditor) if e.isVisible()][-1]
    editor.text.setPlainText("이 기사의 날짜 표기가 이상함")
    assert editor.try_save() and editor.saved.target == Target("source", "src-a")
    assert "On the source" in window.event_pane.browser.toPlainText()
    assert "이 기사의 날짜 표기가 이상함" in window.event_pane.browser.toPlainText()
    window.select_entity("ent-beijing")
    pane = window.entity_pane
    pane.claims.selectRow(0)
    pane.claim_note.click()
    editor = [e for e in window.findChildren(NoteEditor) if e.isVisible()][-1]
    editor.text.setPlainText("두 기사의 수치가 다름")
    assert editor.try_save() and editor.saved.target.kind == "claim"
    assert "On the figure" in pane.header.toPlainText()
    assert "두 기사의 수치가 다름" in pane.header.toPlainText()


def test_notes_on_events_this_dataset_lacks_are_listed_as_orphaned(qtbot, window):
    from explorer.store import notes

    orphan = notes.add(
        window.ws.annotations.store.db,
        Target("event", "ev-from-another-release"),
        "kept",
        author="lee",
    )
    window.ws.reload()
    item = next(
        window.notes_panel.list.item(i)
        for i in range(window.notes_panel.list.count())
        if window.notes_panel.list.item(i).data(0x0100) == orphan.id
    )
    assert "not in this dataset: ev-from-another-release" in item.text()
