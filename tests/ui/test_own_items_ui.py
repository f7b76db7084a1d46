"""The annotator's own events, entities and sources in the window: added, shown as theirs,
edited, deleted, undone; curated rows offer no editing."""

from __future__ import annotations

from PySide6.QtCore import QUrl

from explorer.ui.own_dialogs import OwnEntityDialog, OwnEventDialog


def own_event(window, title="내 사건", start="2024-03", precision="month"):
    dialog = window.work.new_own("event")
    dialog.title.setText(title)
    dialog.title_en.setText("My event")
    dialog.category.setCurrentIndex(dialog.category.findData("investment"))
    dialog.start.setText(start)
    dialog.precision.setCurrentIndex(dialog.precision.findData(precision))
    dialog.entity.setCurrentText(dialog.entity.itemText(dialog.entity.findData("ent-baidu")))
    dialog.role.setText("partner")
    dialog._add_current()
    dialog.source.setCurrentIndex(dialog.source.findData("src-a"))
    dialog.quote.setText("내가 찾은 근거")
    return dialog


def test_an_own_event_joins_the_timeline_marked_as_mine(qtbot, window):
    dialog = own_event(window)
    assert dialog.try_save(), dialog.error.text()
    item = dialog.saved
    assert item.id in window.event_ids
    row = next(
        r for r, e in enumerate(window.rows.event.tolist()) if window.event_ids[e] == item.id
    )
    assert window.pane._label(row).startswith("✎ ")
    window.select_event(item.id)
    text = window.event_pane.browser.toPlainText()
    assert "Added by you" in text and "내가 찾은 근거" in text and "2024-03" in text
    window.select_entity("ent-baidu")
    assert item.id in [ee.event.id for ee in window.entity_pane.detail.events]


def test_curated_rows_offer_no_editing(qtbot, window):
    window.select_event("ev-alliance")
    assert "own-edit:" not in window.event_pane.browser.toHtml()
    window.select_entity("ent-baidu")
    assert "own-edit:" not in window.entity_pane.header.toHtml()


def test_a_bad_date_keeps_the_dialog_and_what_was_typed(qtbot, window):
    dialog = own_event(window, start="2024-13")
    assert not dialog.try_save()
    assert "no month 13" in dialog.error.text() and dialog.title.text() == "내 사건"
    dialog.start.setText("2024-03")
    assert dialog.try_save()


def test_edit_delete_and_undo_an_own_event(qtbot, window):
    dialog = own_event(window)
    dialog.try_save()
    item = dialog.saved
    window.select_event(item.id)
    window.event_pane.browser.anchorClicked.emit(QUrl(f"own-edit:{item.id}"))
    editors = window.findChildren(OwnEventDialog)
    editors = [e for e in editors if e.isVisible()]
    assert editors and editors[-1].title.text() == "내 사건"
    editors[-1].title.setText("고친 사건")
    assert editors[-1].try_save()
    assert "고친 사건" in window.event_pane.browser.toPlainText()
    window.event_pane.browser.anchorClicked.emit(QUrl(f"own-delete:{item.id}"))
    assert item.id not in window.event_ids
    assert window.details.currentWidget() is window.placeholder
    window.act_undo.trigger()
    assert item.id in window.event_ids


def test_own_entities_and_sources_appear_in_the_browser_and_filters(qtbot, window):
    dialog = window.work.new_own("entity")
    assert isinstance(dialog, OwnEntityDialog)
    dialog.kind.setCurrentIndex(dialog.kind.findData("organization"))
    dialog.name.setText("새 연구소")
    dialog.name_en.setText("New Lab")
    assert dialog.try_save()
    entity = dialog.saved
    window.browser.filter.setText("new lab")
    assert window.browser.visible_ids() == [entity.id]
    src = window.work.new_own("source")
    src.fields["title"].setText("현장 인터뷰")
    src.fields["published"].setText("2024-05")
    assert src.try_save()
    sources = window.filters_panel.lists["sources"]
    assert any("현장 인터뷰" in sources.item(i).text() for i in range(sources.count()))
    window.select_entity(entity.id)
    assert "Added by you" in window.entity_pane.header.toPlainText()
