"""The entity pane on a laptop screen: the figures table keeps its rows with the chart;
forecasts are drawn apart from reported values, in units a reader writes; what an entity
said, what was said about it and where the sources name it are listed."""

import pyqtgraph as pg
import pytest

from explorer.store.records import Claim
from explorer.ui.figures_chart import draw_figures, magnitude, unit_words


def _claim(ident, value, as_of, basis="stated", unit="CNY", period_start=None):
    label, label_en = "AI 시장 규모", "AI market size"
    return Claim(ident, "ent-x", "ai_market_size", label, label_en, value, str(value), unit,
                 "exact", as_of, "src", "q", None, basis, period_start)  # fmt: skip


@pytest.fixture
def china(make_window, bundled_copy, qtbot):
    window = make_window(db=bundled_copy, use_settings=False)
    window.resize(1366, 768)
    qtbot.wait(50)
    window.select_entity("ent-china")
    return window


def test_the_figures_table_shows_six_rows_with_the_chart_at_1366_by_768(china, qtbot):
    pane = china.entity_pane
    pane.tabs.setCurrentWidget(pane.figures)
    qtbot.wait(20)
    table = pane.claims
    assert table.rowCount() == 9
    assert pane.chart.isVisible() and pane.chart.height() >= 120
    assert table.viewport().height() >= 6 * table.rowHeight(0)


def test_forecasts_are_drawn_apart_from_reported_values(qtbot):
    plot = pg.PlotWidget()
    qtbot.addWidget(plot)
    claims = [
        _claim("a", 4.0e11, "2022"),
        _claim("b", 5.0e11, "2023"),
        _claim("c", 1.5e12, "2030", basis="forecast"),
    ]
    draw_figures(plot, claims, "en")
    series = [i for i in plot.getPlotItem().listDataItems() if len(i.getData()[0]) > 1]
    reported = [i for i in plot.getPlotItem().listDataItems() if i.name() == "reported"]
    assert len(reported) == 1 and list(reported[0].getData()[1]) == [0.4, 0.5]  # trillions
    ahead = [i for i in plot.getPlotItem().listDataItems() if i.name() != "reported"]
    assert len(ahead) == 1 and list(ahead[0].getData()[1]) == [1.5]
    assert series == reported  # the forecast is joined to nothing
    assert plot.getAxis("left").labelText == "trillion CNY"


def test_units_read_as_a_reader_writes_them():
    assert magnitude([1.5e12], "CNY", "en") == (1e12, "trillion CNY")
    assert magnitude([1.5e12], "CNY", "ko") == (1e12, "조 위안")
    assert magnitude([6.0e10], "CNY", "ko") == (1e8, "억 위안")
    assert magnitude([38210], "count", "en") == (1e3, "thousands")
    assert magnitude([38210], "count", "ko") == (1e4, "만 개")
    assert magnitude([40], "percent", "en") == (1.0, "%")
    assert unit_words("km2", "en") == "km²"
    assert all("kcount" not in magnitude([v], "count", "en")[1] for v in (5e3, 5e6))


def test_statements_and_mentions_are_listed(china, make_window, bundled_copy):
    pane = china.entity_pane
    said = pane.said.toPlainText()
    assert "2030년까지" in said  # China's goal, said by it
    assert "2025년이면" in said  # the industry forecast about it, by no named speaker
    china.select_entity("ent-beijing-gov-korea-site")
    assert "korea.beijing.gov.cn" in pane.sources.toPlainText()
    texts = [pane.tabs.tabText(i) for i in range(pane.tabs.count())]
    assert any(t.startswith("Mentioned in (") for t in texts)


def test_the_event_pane_lists_what_was_said_and_the_curators_notes_as_theirs(
    make_window, bundled_copy
):
    window = make_window(db=bundled_copy)
    window.select_event("ev-2019-07-03-baidu-create-2019")
    text = window.event_pane.browser.toPlainText()
    assert "What was said (" in text and "Wang Haifeng" in text
    window.select_event("ev-2019-07-04-kotra-korea-china-smart-city-forum")
    text = window.event_pane.browser.toPlainText()
    assert "The curators' notes" in text
    assert "The curators' inference (no article says so):" in text and "주소기업" in text


def test_the_charts_legend_sits_beside_the_chart_not_over_its_values(china, qtbot):
    """A legend inside the plot (top left) covered the earliest reported values."""
    pane = china.entity_pane
    pane.tabs.setCurrentWidget(pane.figures)
    metrics = [pane.chart_metric.itemData(i) for i in range(pane.chart_metric.count())]
    with_forecast = [
        i
        for i, key in enumerate(metrics)
        if any(c.basis in ("forecast", "target", "goal") for c in pane._series[tuple(key)])
    ]
    assert with_forecast, "China has a figure with a forecast"
    pane.chart_metric.setCurrentIndex(with_forecast[0])
    qtbot.wait(20)
    assert pane.chart.getPlotItem().legend is None  # nothing drawn over the data
    assert pane.chart_legend.isVisible()
    text = pane.chart_legend.text()
    assert china.t("figures_reported") in text and china.t("figures_ahead") in text
    only_reported = [i for i in range(len(metrics)) if i not in with_forecast]
    if only_reported:
        pane.chart_metric.setCurrentIndex(only_reported[0])
        assert not pane.chart_legend.isVisible()
