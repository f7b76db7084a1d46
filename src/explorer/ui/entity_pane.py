"""The entity pane: every name by language, kind, description; then one tab each for its
events (click to centre the timeline), its figures (a table and, where a metric has several
dated values, a chart), what it said and what was said about it, where the sources name it,
and the entities it most often appears with. Tabs, not stacked scroll areas: the figures
table keeps its rows with the chart on a laptop screen."""

from __future__ import annotations

from collections import defaultdict

import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from explorer.model.catalog import Catalog
from explorer.store.notes import Note
from explorer.store.records import Claim, EntityDetail
from explorer.ui.figures_chart import draw_figures, legend_html, unit_words
from explorer.ui.i18n import Translator
from explorer.ui.rich_text import SafeBrowser, esc, link, notes_section, own_badge
from explorer.ui.statements_html import mentions_section, statements_section

LANG_ORDER = ("ko", "en", "zh", "ja")
LANG_NAMES = {"ko": "한국어", "en": "English", "zh": "中文", "ja": "日本語"}


def chartable(claims: list[Claim]) -> dict[tuple[str, str], list[Claim]]:
    """Metrics (with unit) that have values at two or more different dates."""
    by_metric: dict[tuple[str, str], list[Claim]] = defaultdict(list)
    for c in claims:
        by_metric[(c.metric, c.unit)].append(c)
    return {
        k: sorted(v, key=lambda c: c.as_of)
        for k, v in by_metric.items()
        if len({c.as_of for c in v}) >= 2
    }


class EntityPane(QWidget):
    sigEventChosen = Signal(str)
    sigFilterToEntity = Signal(str)
    sigNoteOnClaim = Signal(str)

    def __init__(self, t: Translator, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.t = t
        self.detail: EntityDetail | None = None
        self._catalog: Catalog | None = None
        self.notes: list[Note] | None = None  # None: notes are unavailable
        self.notes_about: dict[str, str] = {}  # note id -> the figure it is on
        self.header = SafeBrowser()
        self.header.setObjectName("entityHeader")
        self.filter_button = QPushButton()
        self.filter_button.clicked.connect(self._filter_clicked)
        self.events_label = QLabel()
        self.events = QListWidget()
        self.events.setObjectName("entityEvents")
        self.events.itemActivated.connect(self._event_activated)
        self.events.itemClicked.connect(self._event_activated)
        self.claims_label = QLabel()
        self.claims = QTableWidget(0, 4)
        self.claims.setObjectName("entityClaims")
        self.claims.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.claims.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.claims.verticalHeader().setVisible(False)
        head = self.claims.horizontalHeader()
        head.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        head.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)  # the metric, elided
        for col, width in ((1, 112), (3, 64)):  # the value and the source, elided
            head.setSectionResizeMode(col, QHeaderView.ResizeMode.Interactive)
            head.resizeSection(col, width)
        self.claims.setTextElideMode(Qt.TextElideMode.ElideRight)
        head.setStretchLastSection(False)
        self.claims.setWordWrap(False)
        self.chart_metric = QComboBox()
        self.chart_metric.currentIndexChanged.connect(self._draw_chart)
        self.chart = pg.PlotWidget(axisItems={"bottom": pg.DateAxisItem(utcOffset=0)})
        self.chart.setObjectName("entityChart")
        self.chart.setMinimumHeight(140)
        self.chart.setMenuEnabled(False)
        self.chart.hideButtons()
        self.chart_legend = QLabel()
        self.chart_legend.setObjectName("entityChartLegend")
        self.chart_legend.setTextFormat(Qt.TextFormat.RichText)
        self.chart_legend.setWordWrap(True)
        self._series: dict[tuple[str, str], list[Claim]] = {}
        self.companions = SafeBrowser()
        self.companions.setObjectName("entityCompanions")

        self.said = SafeBrowser()
        self.said.setObjectName("entityStatements")
        self.sources = SafeBrowser()
        self.sources.setObjectName("entityMentions")

        top = QWidget()
        tl = QVBoxLayout(top)
        tl.setContentsMargins(0, 0, 0, 0)
        tl.addWidget(self.header)
        tl.addWidget(self.filter_button)
        mid = QWidget()
        ml = QVBoxLayout(mid)
        ml.setContentsMargins(0, 0, 0, 0)
        ml.addWidget(self.events_label)
        ml.addWidget(self.events)
        figs = self.figures = QWidget()
        fl = QVBoxLayout(figs)
        fl.setContentsMargins(0, 0, 0, 0)
        fl.addWidget(self.claims_label)
        fl.addWidget(self.claims, 3)
        self.claim_note = QPushButton()
        self.claim_note.setObjectName("noteOnClaim")
        self.claim_note.clicked.connect(self._note_on_claim)
        fl.addWidget(self.claim_note)
        above = QHBoxLayout()  # the metric, and the legend beside it (never over the data)
        above.addWidget(self.chart_metric)
        above.addWidget(self.chart_legend, 1)
        fl.addLayout(above)
        fl.addWidget(self.chart, 2)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("entityTabs")
        self.tabs.setDocumentMode(True)
        for w in (mid, figs, self.said, self.sources, self.companions):
            self.tabs.addTab(w, "")
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(top)
        split.addWidget(self.tabs)
        split.setStretchFactor(1, 3)
        split.setSizes([170, 500])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(split)

    def show_entity(self, detail: EntityDetail, catalog: Catalog) -> None:
        self.detail, self._catalog = detail, catalog
        self.refresh()

    def refresh(self) -> None:
        if self.detail is None or self._catalog is None:
            return
        t, d, cat = self.t, self.detail, self._catalog
        info = cat.entities.get(d.entity.id)
        title = info.display_name(t.lang) if info else d.entity.name
        body = [
            f"<h2>{esc(title)}</h2>",
            f'<div class="sub">{esc(t.kind(d.entity.kind))}</div>',
        ]
        if d.entity.origin == "own":
            body.append(own_badge(t, d.entity.id))
        body.append(f"<h3>{esc(t('names'))}</h3><table>")
        for lang in LANG_ORDER:
            names = d.names(lang)
            if names:
                joined = esc(" / ".join(names))
                body.append(f'<tr><td class="k">{LANG_NAMES[lang]}</td><td>{joined}</td></tr>')
        body.append("</table>")
        if d.entity.description:
            body.append(f"<h3>{esc(t('description'))}</h3><p>{esc(d.entity.description)}</p>")
        if self.notes is not None:
            body.append(notes_section(t, self.notes, self.notes_about))
        self.header.set_body("".join(body))
        self.filter_button.setText(t("filter_to_entity"))
        self.claim_note.setText(t("note_on_claim"))
        self.claim_note.setVisible(self.notes is not None)

        total = d.event_total if d.event_total is not None else len(d.events)
        first = f", {t('first_n', n=len(d.events))}" if total > len(d.events) else ""
        self.events_label.setText(f"<b>{esc(t('events'))}</b> ({total:,}{esc(first)})")
        self.events.clear()
        for ee in d.events:
            ev = ee.event
            item = QListWidgetItem(
                f"{ev.start}  {cat.event_title(ev, t.lang)}  — {t.role(ee.role)}"
            )
            item.setData(Qt.ItemDataRole.UserRole, ev.id)
            item.setToolTip("")
            self.events.addItem(item)

        self.claims_label.setText(f"<b>{esc(t('figures'))}</b> ({len(d.claims)})")
        headers = [t("metric"), t("value"), t("as_of"), t("source")]
        self.claims.setHorizontalHeaderLabels(headers)
        self.claims.setRowCount(len(d.claims))
        for r, c in enumerate(d.claims):
            label = c.metric_label if t.lang == "ko" else c.metric_label_en
            src = cat.sources.get(c.source_id)
            source = (src.publisher or src.title) if src else c.source_id
            value = c.value_text
            if c.basis != "stated":  # a forecast, an estimate, the curators' inference
                value += f" · {t('basis_' + c.basis)}"
            when = f"{c.period_start} – {c.as_of}" if c.period_start else c.as_of
            for col, text in enumerate((label, value, when, source)):
                cell = QTableWidgetItem(text)
                cell.setToolTip("")  # quotes are shown in the status tip, as plain text
                cell.setStatusTip(c.quote)
                self.claims.setItem(r, col, cell)
        self.tabs.setTabEnabled(1, bool(d.claims))

        self._series = chartable(d.claims)
        self.chart_metric.blockSignals(True)
        self.chart_metric.clear()
        for (metric, unit), claims in self._series.items():
            label = claims[0].metric_label if t.lang == "ko" else claims[0].metric_label_en
            words = unit_words(unit, t.lang)
            self.chart_metric.addItem(f"{label} ({words})" if words else label, (metric, unit))
        self.chart_metric.blockSignals(False)
        has_chart = bool(self._series)
        self.chart.setVisible(has_chart)
        self.chart_metric.setVisible(has_chart)
        self._draw_chart()

        mates = []
        for m in d.companions:
            mate = cat.entities.get(m.entity_id)
            name = mate.display_name(t.lang) if mate else m.name
            mates.append(f"{link('entity', m.entity_id, name)} ({m.shared_events})")
        self.companions.set_body(
            f"<b>{esc(t('appears_with'))}</b><br>" + (", ".join(mates) if mates else "—")
        )
        said = statements_section(t, t("said_by_it"), d.statements, cat, speaker=False)
        said += statements_section(t, t("said_about_it"), d.statements_about, cat, speaker=True)
        self.said.set_body(said or "—")
        self.sources.set_body(mentions_section(t, d.mentions) or "—")
        said_count = len(d.statements) + len(d.statements_about)
        for i, (key, n) in enumerate(
            (
                ("events", len(d.events)),
                ("figures", len(d.claims)),
                ("statements", said_count),
                ("mentioned_in", len(d.mentions)),
                ("appears_with", len(d.companions)),
            )
        ):
            self.tabs.setTabText(i, f"{t(key)} ({n})" if n else t(key))
            self.tabs.setTabEnabled(i, bool(n) or i == 0)

    def _draw_chart(self) -> None:
        key = self.chart_metric.currentData()
        claims = self._series.get(tuple(key), []) if key is not None else []
        words = (self.t("figures_reported"), self.t("figures_ahead"))
        draw_figures(self.chart, claims, self.t.lang, words)
        self.chart_legend.setText(legend_html(claims, words))
        self.chart_legend.setVisible(bool(self.chart_legend.text()))

    def _note_on_claim(self) -> None:
        row = self.claims.currentRow()
        if self.detail is not None and 0 <= row < len(self.detail.claims):
            self.sigNoteOnClaim.emit(self.detail.claims[row].id)

    def _event_activated(self, item: QListWidgetItem) -> None:
        self.sigEventChosen.emit(item.data(Qt.ItemDataRole.UserRole))

    def _filter_clicked(self) -> None:
        if self.detail is not None:
            self.sigFilterToEntity.emit(self.detail.entity.id)
