"""File > Import (preview, report, the new project in a window) and File > Export."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtCore import QSize
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QDialogButtonBox

from ..conftest import INTEROP


@pytest.mark.skipif(not INTEROP.is_dir(), reason="../shared/interop is missing")
def test_import_previews_then_opens_the_new_project(window, tmp_path, qtbot):
    dialog = window.transfer.import_file(INTEROP / "timelinejs-cosmo.json")
    assert dialog is not None
    qtbot.waitUntil(lambda: not dialog.busy)  # read on a worker thread
    assert dialog.batch is not None
    assert dialog.preview.rowCount() == 7
    assert dialog.preview.item(0, 0).text() == "-13800000000 (year)"
    assert "7 item(s) in the file gave 7 event(s)" in dialog.summary.text()
    dialog.target.setText(str(tmp_path / "cosmo.db"))
    dialog.as_project.setChecked(True)  # a new project, not a layer
    dialog.run_import()
    qtbot.waitUntil(lambda: not dialog.busy)
    assert dialog.report is not None and dialog.report.added["events"] == 7
    opened = window.transfer.windows[-1]
    qtbot.addWidget(opened)
    opened.resize(1400, 850)
    opened.timeline.fit_all()
    qtbot.wait(20)
    assert len(opened.event_ids) == 7
    ticks = opened.timeline.tick_strings()
    assert any("billion BCE" in t for t in ticks), ticks
    opened.grab().save(str(tmp_path / "cosmo.png"))
    assert opened.timeline.item.paint_errors == 0
    opened.close()


def test_a_file_with_bad_rows_cannot_be_imported_until_asked_to_skip(window, tmp_path, qtbot):
    src = tmp_path / "t.json"
    events = [
        {"start_date": {"year": "2001"}, "text": {"headline": "good"}},
        {"start_date": {"year": "20x1"}, "text": {"headline": "bad"}},
    ]
    src.write_text(json.dumps({"events": events}), encoding="utf-8")
    dialog = window.transfer.import_file(src)
    qtbot.waitUntil(lambda: not dialog.busy)
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert not ok.isEnabled()
    assert "event 2: year '20x1' is not a number" in dialog.problems.toPlainText()
    dialog.skip_bad.setChecked(True)
    assert ok.isEnabled()
    (tmp_path / "broken.json").write_text("{", encoding="utf-8")
    broken = window.transfer.import_file(tmp_path / "broken.json")
    qtbot.waitUntil(lambda: not broken.busy)
    assert "is not valid JSON" in broken.summary.text()
    assert not broken.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled()
    for d in (dialog, broken):
        d.reject()


@pytest.mark.parametrize("suffix", [".png", ".svg"])
def test_export_view_at_a_chosen_size_and_resolution(window, tmp_path, suffix):
    folder = tmp_path / "out"
    out = folder / f"view{suffix}"
    assert window.transfer.write_view(out, QSize(1200, 500), dpi=150) == out
    if suffix == ".png":
        image = QImage(str(out))
        assert (image.width(), image.height()) == (1200, 500)
        assert round(image.dotsPerMeterX() * 0.0254) == 150
        colours = {image.pixel(x, y) for x in range(0, 1200, 7) for y in range(0, 500, 7)}
        assert len(colours) > 20  # lanes, events and labels drawn, not a blank page
    else:
        root = ET.parse(out).getroot()
        assert root.get("viewBox") == "0 0 1200 500"
        text = " ".join(t for t in root.itertext())
        assert "2019" in text or "2023" in text  # the axis labels are in it
    assert [p.name for p in folder.iterdir()] == [out.name]  # no temporary file left


def test_export_data_in_every_kind(window, tmp_path):
    for kind, name in (
        ("json", "p.json"),
        ("csv", "csv"),
        ("timelinejs", "t.json"),
        ("html", "r.html"),
    ):
        assert window.transfer.export_data(kind, tmp_path / name) == tmp_path / name
    doc = json.loads((tmp_path / "t.json").read_text("utf-8"))
    assert len(doc["events"]) == len(window.shown_event_ids())
    assert (tmp_path / "csv" / "events.csv").is_file()
    assert "<!DOCTYPE html>" in (tmp_path / "r.html").read_text("utf-8")[:200]


def test_reading_runs_off_the_gui_thread_and_cancel_stops_it(window, tmp_path, qtbot):
    src = tmp_path / "big.csv"
    line = b"a message,2015-07-24T19:01:01+00:00,Write time\n"
    with src.open("wb") as f:
        f.write(b"message,datetime,timestamp_desc\n")
        f.write(line * (1 << 20))  # 46 MB
    dialog = window.transfer.import_file(src)
    assert dialog.busy and dialog.progress.isVisible()  # the window is free meanwhile
    # one Cancel, and it can be pressed while working (a second one was shown beside it)
    from PySide6.QtWidgets import QAbstractButton

    cancels = [
        b
        for b in dialog.findChildren(QAbstractButton)
        if b.isVisible() and b.text().replace("&", "") == "Cancel"
    ]
    assert len(cancels) == 1 and cancels[0].isEnabled()
    assert not dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled()
    cancels[0].click()  # Cancel: stops the reading, keeps the dialog
    qtbot.waitUntil(lambda: not dialog.busy, timeout=20000)
    assert dialog.batch is None and "cancelled" in dialog.summary.text()
    assert dialog.isVisible()
    dialog.close()


def test_own_export_carries_notes_into_the_imported_project(window, tmp_path, qtbot):
    from explorer.store.notes import Target

    event_id = window.shown_event_ids()[0]
    window.ws.annotations.add(Target("event", event_id), "가져갈 메모", ["검토"], "plain")
    out = window.transfer.export_data("json", tmp_path / "p.json")
    assert out is not None and len(json.loads(out.read_text("utf-8"))["notes"]) == 1
    dialog = window.transfer.import_file(out)
    qtbot.waitUntil(lambda: not dialog.busy)
    assert "explorer-json" in dialog.summary.text()
    assert "It also carries 1 note(s) and 0 item(s) of your own." in dialog.summary.text()
    dialog.target.setText(str(tmp_path / "copy.db"))
    dialog.as_project.setChecked(True)  # a new project, not a layer
    dialog.run_import()
    qtbot.waitUntil(lambda: not dialog.busy)
    assert dialog.report is not None and dialog.report.annotations["added"] == 1
    opened = window.transfer.windows[-1]
    qtbot.addWidget(opened)
    assert [n.text for n in opened.ws.annotations.list_notes()] == ["가져갈 메모"]
    assert opened.ws.annotations.list_notes()[0].target.id == event_id
    opened.close()


def test_a_large_file_previews_its_first_rows_and_imports_in_chunks(window, tmp_path, qtbot):
    from explorer.ui.import_dialog import PREVIEW_ROWS

    src = tmp_path / "many.csv"
    rows = [f"event {i},2015-07-24T19:{i // 60 % 60:02d}:{i % 60:02d}Z,Write" for i in range(12000)]
    src.write_text("message,datetime,timestamp_desc\n" + "\n".join(rows) + "\n", encoding="utf-8")
    dialog = window.transfer.import_file(src)
    qtbot.waitUntil(lambda: not dialog.busy, timeout=20000)
    assert dialog.preview.rowCount() == PREVIEW_ROWS
    assert len(dialog.batch.rows["events"]) == PREVIEW_ROWS  # the preview holds no more
    assert "12000 item(s) in the file gave 12000 event(s)" in dialog.summary.text()
    dialog.target.setText(str(tmp_path / "many.db"))
    dialog.as_project.setChecked(True)  # a new project, not a layer
    dialog.run_import()
    qtbot.waitUntil(lambda: not dialog.busy, timeout=60000)
    assert dialog.report is not None and dialog.report.added["events"] == 12000
    opened = window.transfer.windows[-1]
    qtbot.addWidget(opened)
    assert opened.ws.total_events == 12000
    qtbot.waitUntil(opened.pane.settled, timeout=10000)  # the one timeline: every event drawn
    result = opened.pane.result
    drawn = result.density.total() if result.density is not None else len(result.events)
    assert drawn == 12000
    opened.close()


def svg_ticks(path) -> list[str]:
    root = ET.parse(path).getroot()
    return [t.strip() for t in root.itertext() if t.strip()]


def test_a_higher_resolution_keeps_the_layout_and_sharpens_it(window, tmp_path):
    screen = window.transfer.write_view(tmp_path / "a.svg", QSize(1200, 500), dpi=96)
    sharp = window.transfer.write_view(tmp_path / "b.svg", QSize(2400, 1000), dpi=192)
    assert screen and sharp
    assert svg_ticks(screen)[1:] == svg_ticks(sharp)[1:]  # after the title: the same layout
    png = window.transfer.write_view(tmp_path / "b.png", QSize(2400, 1000), dpi=192)
    image = QImage(str(png))
    assert (image.width(), image.height()) == (2400, 1000)
    assert round(image.dotsPerMeterX() * 0.0254) == 192


def test_the_export_view_dialog_chooses_size_resolution_and_asks_before_replacing(
    window, tmp_path, qtbot, monkeypatch
):
    from PySide6.QtWidgets import QMessageBox

    dialog = window.transfer.export_view()
    view = window.timeline.size()
    assert dialog.picture_size() == QSize(view.width() * 2, view.height() * 2)  # 192 dpi
    assert dialog.dpi.value() == 192
    dialog.width_px.setValue(3000)
    dialog.height_px.setValue(1500)
    dialog.dpi.setValue(300)
    assert dialog.printed.text() == "Printed size 25.4 × 12.7 cm (10.0 × 5.0 in)"
    dialog.path.setText(str(tmp_path / "figure.png"))
    dialog.kind.setCurrentIndex(1)  # SVG: the file name follows
    assert dialog.chosen_path() == tmp_path / "figure.svg"
    dialog.kind.setCurrentIndex(0)
    out = tmp_path / "figure.png"
    out.write_bytes(b"old")
    asked: list[str] = []

    def answer(reply):
        def question(parent, title, text, *args):
            asked.append(text)
            return reply

        return question

    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.No))
    dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
    assert asked and str(out) in asked[0] and out.read_bytes() == b"old" and dialog.isVisible()
    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.Yes))
    dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
    qtbot.waitUntil(lambda: out.read_bytes() != b"old")
    image = QImage(str(out))
    assert (image.width(), image.height()) == (3000, 1500)
    assert round(image.dotsPerMeterX() * 0.0254) == 300


def test_the_zone_of_floating_times_is_chosen_in_the_preview(window, tmp_path, qtbot):
    src = tmp_path / "cal.ics"
    src.write_text(
        "BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:a\nDTSTART:20250429T093000\nSUMMARY:m\n"
        "END:VEVENT\nEND:VCALENDAR\n",
        encoding="utf-8",
    )
    dialog = window.transfer.import_file(src)
    qtbot.waitUntil(lambda: not dialog.busy)
    assert dialog.preview.item(0, 0).text().startswith("2025-04-29T09:30:00Z")
    report = dialog.problems.toPlainText()
    assert "read as UTC" in report
    # each line says what became of it: it said "kept: changed: …" and "kept: dropped: …"
    assert "kept: kept" not in report and "kept: changed" not in report
    assert any(line.startswith("kept: 1 UID kept as") for line in report.splitlines())
    dialog.zone.setEditText("+09:00")
    dialog.zone.lineEdit().editingFinished.emit()
    qtbot.waitUntil(lambda: not dialog.busy)
    assert dialog.preview.item(0, 0).text().startswith("2025-04-29T00:30:00Z")
    dialog.zone.setEditText("Nowhere/Land")
    dialog.zone.lineEdit().editingFinished.emit()
    qtbot.waitUntil(lambda: not dialog.busy)
    assert "unknown time zone" in dialog.summary.text()
    assert not dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled()
    dialog.reject()


@pytest.mark.parametrize(
    ("kind", "typed", "written"),
    [("html", "report", "report.html"), ("csv", "folder", "folder")],
)
def test_export_data_asks_before_replacing_what_the_save_dialog_did_not(
    window, tmp_path, monkeypatch, kind, typed, written
):
    from PySide6.QtWidgets import QFileDialog, QMessageBox

    from explorer.ui.transfer import DATA_KINDS

    target = tmp_path / written
    if kind == "csv":  # a folder with an earlier export's file, and one of the user's own
        target.mkdir()
        (target / "mine.txt").write_text("keep", encoding="utf-8")
        (target / "events.csv").write_text("old", encoding="utf-8")
    else:
        target.write_text("keep", encoding="utf-8")
    monkeypatch.setattr(
        QFileDialog,
        "getSaveFileName",
        lambda *a, **k: (str(tmp_path / typed), DATA_KINDS[kind][0]),
    )
    replies = [QMessageBox.StandardButton.No]
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: replies.pop(0))
    assert window.transfer.export_data() is None and not replies  # asked, and told no
    kept = target / "mine.txt" if kind == "csv" else target
    assert kept.read_text("utf-8") == "keep"
    replies.append(QMessageBox.StandardButton.Yes)
    assert window.transfer.export_data() == target and not replies
    if kind == "csv":  # only the export's own files are replaced; the user's stay
        assert (target / "mine.txt").read_text("utf-8") == "keep"
        assert (target / "events.csv").read_text("utf-8-sig").startswith("id,")
    else:
        assert "<!DOCTYPE" in target.read_text("utf-8")


@pytest.mark.parametrize(
    ("kind", "name"), [("timelinejs", "t.timelinejs.json"), ("html", "r.html")]
)
def test_export_data_through_the_window_carries_an_own_event(window, tmp_path, kind, name):
    """File > Export data as TimelineJS or HTML failed with "no event with id 'u-…'" and
    wrote nothing once the annotator had one event of their own."""
    item = window.ws.annotations.add_item(
        "event",
        {"title": "내가 찾은 회의", "category": "conference", "start": "2024-08-19"},
    )
    window.fit_all()
    assert item.id in window.shown_event_ids()
    out = window.transfer.export_data(kind, tmp_path / name)
    assert out == tmp_path / name
    text = out.read_text("utf-8")
    assert "내가 찾은 회의" in text and "Shanghai AI Alliance founded" in text
    if kind == "timelinejs":
        doc = json.loads(text)
        assert item.id in [slide["unique_id"] for slide in doc["events"]]


def test_a_file_imported_while_a_project_is_open_can_join_it_as_a_layer(window, qtbot):
    corpus = Path(__file__).parents[1] / "fixtures" / "interop" / "timelinejs"
    dialog = window.transfer.import_file(corpus / "timelinejs3-cosmo.json")
    qtbot.waitUntil(lambda: not dialog.busy)
    assert dialog.as_layer.isChecked() and not dialog.target.isEnabled()
    curated = len(window.ws.catalog.events)
    dialog.run_import()
    qtbot.waitUntil(lambda: dialog.layer_report is not None, timeout=10000)
    assert dialog.layer_report.layer.events == 7
    assert len(window.ws.catalog.events) == curated + 7
    assert window.transfer.windows == []  # no new window: it joined this project
    layers_menu = window.findChild(type(window.menuBar().actions()[0].menu()), "layersMenu")
    layers_menu.aboutToShow.emit()
    shown = [a for a in layers_menu.actions() if a.isCheckable()]
    assert len(shown) == 1 and shown[0].isChecked()
    shown[0].setChecked(False)  # hidden in every view
    assert len(window.ws.catalog.events) == curated
    window.act_undo.trigger()  # nothing to do with hiding: undo removes the layer's adding
    shown[0].setChecked(True)
    assert len(window.ws.catalog.events) == curated


@pytest.mark.parametrize(
    ("chosen", "typed", "kind", "written"),
    [
        ("timelinejs", "tl.json", "timelinejs", "tl.json"),  # wrote Explorer JSON
        ("timelinejs", "tl", "timelinejs", "tl.timelinejs.json"),
        ("json", "all.json", "json", "all.json"),
        ("json", "report.html", "html", "report.html"),
        ("html", "r.HTML", "html", "r.HTML"),
        ("timelinejs", "r.html", "html", "r.html"),
    ],
)
def test_the_chosen_filter_decides_unless_the_name_says_otherwise(
    window, tmp_path, monkeypatch, chosen, typed, kind, written
):
    from PySide6.QtWidgets import QFileDialog

    from explorer.ui.transfer import DATA_KINDS

    monkeypatch.setattr(
        QFileDialog,
        "getSaveFileName",
        lambda *a, **k: (str(tmp_path / typed), DATA_KINDS[chosen][0]),
    )
    out = window.transfer.export_data()
    assert out == tmp_path / written
    text = out.read_text("utf-8")
    if kind == "timelinejs":
        assert "headline" in json.loads(text)["events"][0]["text"]
    elif kind == "json":
        assert "events" in json.loads(text) and "headline" not in text
    else:
        assert text.startswith("<!DOCTYPE")


WEEKLY = (
    "BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:weekly\nDTSTART:20240101T100000Z\nSUMMARY:Meeting\n"
    "RRULE:FREQ=WEEKLY\nEND:VEVENT\nEND:VCALENDAR\n"
)


@pytest.mark.parametrize("as_layer", [False, True])
def test_the_series_bound_is_set_in_the_preview_and_used_by_the_import(
    window, tmp_path, qtbot, as_layer
):
    """The bound of a recurring iCalendar event is the user's in the dialog as in the CLI
    (--series-limit, --series-years): the preview is read again with it, the report says
    it cut the series, and the import (a project or a layer) writes what the preview showed."""
    src = tmp_path / "weekly.ics"
    src.write_text(WEEKLY, encoding="utf-8")
    dialog = window.transfer.import_file(src)
    qtbot.waitUntil(lambda: not dialog.busy)
    assert dialog.preview.rowCount() == 105  # the default: two years of weeks
    assert (dialog.series_limit.value(), dialog.series_years.value()) == (1000, 2)
    assert "series cut at the bound (1000 occurrences or 2 years" in dialog.problems.toPlainText()
    dialog.series_limit.setValue(10)
    dialog.series_limit.editingFinished.emit()
    qtbot.waitUntil(lambda: not dialog.busy)
    assert dialog.preview.rowCount() == 10
    problems = dialog.problems.toPlainText()
    assert "changed: 1 series cut at the bound (10 occurrences or 2 years after the first)" in (
        problems
    )
    assert "1 recurring series went on past the bound and were cut: weekly" in problems
    dialog.series_years.setValue(50)
    dialog.series_years.editingFinished.emit()
    qtbot.waitUntil(lambda: not dialog.busy)
    assert "(10 occurrences or 50 years after the first)" in dialog.problems.toPlainText()
    if as_layer:
        assert dialog.as_layer.isChecked()
        dialog.run_import()
        qtbot.waitUntil(lambda: dialog.layer_report is not None, timeout=10000)
        assert dialog.layer_report.layer.events == 10
        return
    dialog.as_project.setChecked(True)
    dialog.target.setText(str(tmp_path / "weekly.db"))
    dialog.run_import()
    qtbot.waitUntil(lambda: dialog.report is not None, timeout=10000)
    assert dialog.report.added["events"] == 10
    changed = dialog.report.fidelity["changed"]
    assert changed["series cut at the bound (10 occurrences or 50 years after the first)"] == 1
    for opened in window.transfer.windows:
        qtbot.addWidget(opened)
        opened.close()
