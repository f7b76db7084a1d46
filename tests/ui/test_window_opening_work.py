"""A window opening lists its entities and fills its filters once, not once per change it
hears of while it opens, and lists them again whenever what they come from changes."""

from PySide6.QtCore import Qt

from explorer.model import entity_list
from explorer.ui import filters_panel


def test_opening_lists_the_entities_and_fills_the_filters_once(qtbot, make_window, monkeypatch):
    pages, fills = [], []
    real_page, real_fill = entity_list.page, filters_panel.FiltersPanel._fill

    def page(ws, kind, *args):
        pages.append(kind)
        return real_page(ws, kind, *args)

    def fill(self):
        fills.append(self.filters)
        before = self._filled
        real_fill(self)
        if self._filled is not before:
            fills.append("filled")

    monkeypatch.setattr(entity_list, "page", page)
    monkeypatch.setattr(filters_panel.FiltersPanel, "_fill", fill)
    window = make_window()
    assert len(pages) == len(set(pages))  # each kind listed once
    assert fills.count("filled") <= 2  # before the catalog is known, and with it
    assert "ent-baidu" in window.browser.visible_ids()

    pages.clear()
    window.set_language("ko")  # what the list is made from changed: listed again
    assert pages and window.t.lang == "ko"
    pages.clear()
    lst = window.filters_panel.lists["categories"]
    item = next(
        lst.item(i)
        for i in range(lst.count())
        if lst.item(i).data(Qt.ItemDataRole.UserRole) == "founding"
    )
    item.setCheckState(Qt.CheckState.Checked)  # the filters changed: listed again
    assert pages and window.browser.counts["ent-baidu"] == 0
