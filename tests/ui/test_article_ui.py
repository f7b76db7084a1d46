"""File > Import article: dates and names marked, a suggestion becomes an own event."""

from __future__ import annotations

import pytest

from ..conftest import SEEDS

ARTICLE = (
    "바이두(百度)는 지난 4일 상하이에서 새 모델을 발표했다. "
    "The company said last June that Baidu would expand. 2024年8月19日，海淀区举行大会。"
)


def test_an_article_suggestion_becomes_an_own_event(window, qtbot):
    dialog = window.transfer.import_article()
    dialog.title.setText("테스트 기사")
    dialog.publisher.setText("Example Daily")
    dialog.published.setText("2024-08-20")
    dialog.url.setText("https://example.org/a")
    dialog.text.setPlainText(ARTICLE)
    dialog.analyse()
    found = {s.date.words: (s.date.value, s.date.precision) for s in dialog.found}
    assert found["지난 4일"] == ("2024-08-04", "day")
    assert found["last June"] == ("2024-06", "month")
    assert found["2024年8月19日"] == ("2024-08-19", "day")
    assert {m.entity_id for m in dialog.mentions} >= {"ent-baidu"}
    assert len(dialog.text.extraSelections()) == len(dialog.found) + len(dialog.mentions)
    dialog.list.setCurrentRow(0)
    event_dialog = dialog.take()
    assert event_dialog.start.text() == "2024-08-04"
    assert event_dialog.date_text.text() == "지난 4일"
    assert event_dialog.try_save(), event_dialog.error.text()
    item = event_dialog.saved
    assert item.data["entities"] == [{"entity": "ent-baidu", "role": "subject"}]
    (ref,) = item.data["sources"]
    assert ref["quote"] == "바이두(百度)는 지난 4일 상하이에서 새 모델을 발표했다."
    source = window.ws.annotations.item(ref["source"])
    assert source.data["title"] == "테스트 기사" and source.data["url"] == "https://example.org/a"
    assert item.id in window.event_ids
    # a second suggestion cites the same source, not a copy of it
    dialog.list.setCurrentRow(2)
    second = dialog.take()
    assert second.try_save()
    assert second.saved.data["sources"][0]["source"] == ref["source"]
    dialog.close()


@pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds is missing")
def test_a_seed_article_opened_from_a_file(window, tmp_path, qapp):
    from explorer.ui.fonts import apply_app_font

    before = qapp.font()
    apply_app_font(qapp)  # as the app does at start-up: the bundled CJK fallback
    try:
        look_at_seed(window, tmp_path)
    finally:
        qapp.setFont(before)


def look_at_seed(window, tmp_path):
    dialog = window.transfer.import_article()
    dialog.published.setText("2019-07-05")
    dialog.open_file(next(SEEDS.glob("004_*.txt")))
    dialog.analyse()
    values = {s.date.words: s.date.value for s in dialog.found}
    assert values["지난 2일"] == "2019-07-02"
    dialog.resize(1000, 700)
    dialog.grab().save(str(tmp_path / "article.png"))
    dialog.close()
