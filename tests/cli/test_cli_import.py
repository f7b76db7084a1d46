"""`explorer import`: reports, exit codes and what is left on disk."""

import json
from pathlib import Path

import pytest

from explorer.cli import main
from explorer.store.connection import open_store

from ..conftest import FIXTURES

IMPORTS = FIXTURES / "imports"


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def timeline(path: Path, *years: str) -> Path:
    events = [{"start_date": {"year": y}, "text": {"headline": f"event {y}"}} for y in years]
    path.write_text(json.dumps({"events": events}), encoding="utf-8")
    return path


def test_import_creates_the_project_and_reports(tmp_path, capsys):
    db = tmp_path / "mine.db"
    code, out, err = run(capsys, "import", str(IMPORTS / "sample.ics"), "--db", str(db))
    assert code == 0, err
    assert "(ics): 4 item(s) read" in out and "events: 4 added" in out
    code, out, _ = run(capsys, "search", "Haidian", "--db", str(db), "--json")
    assert code == 0 and json.loads(out)["hits"]


def test_json_report_and_dry_run(tmp_path, capsys):
    db = tmp_path / "mine.db"
    src = timeline(tmp_path / "t.json", "2001", "-500")
    code, out, _ = run(capsys, "import", str(src), "--db", str(db), "--dry-run", "--json")
    assert code == 0 and json.loads(out)["added"]["events"] == 2
    assert not db.exists()  # a dry run leaves nothing behind
    code, out, _ = run(capsys, "import", str(src), "--db", str(db), "--json")
    report = json.loads(out)
    assert report["written"] and report["added"]["events"] == 2 and report["format"] == "timelinejs"


def test_bad_rows_refuse_the_import_and_are_listed(tmp_path, capsys):
    db = tmp_path / "mine.db"
    src = timeline(tmp_path / "t.json", "2001", "20x1")
    code, out, err = run(capsys, "import", str(src), "--db", str(db))
    assert code == 1 and out == ""
    assert "event 2: year '20x1' is not a number" in err
    assert "1 of the items cannot be imported, so nothing was written" in err
    assert "Traceback" not in err
    assert not db.exists()  # the project it would have created is not left half-made
    code, out, err = run(capsys, "import", str(src), "--db", str(db), "--skip-bad")
    assert code == 0 and "events: 1 added" in out and "1 skipped" in out


def test_broken_and_foreign_files_give_one_line(tmp_path, capsys):
    db = tmp_path / "mine.db"
    cases = {
        "broken.json": b'{"events": [',
        "latin1.csv": b"message,datetime,timestamp_desc\ncaf\xe9,2015-07-24T19:01:01Z,x\n",
        "image.png": b"\x89PNG\r\n\x1a\n\x00\x00",
    }
    for name, data in cases.items():
        (tmp_path / name).write_bytes(data)
        code, _, err = run(capsys, "import", str(tmp_path / name), "--db", str(db))
        assert code == 1 and "Traceback" not in err, name
        assert err.startswith("explorer: error: ") and err.count("\n") == 1, err
    code, _, err = run(capsys, "import", str(tmp_path / "missing.ics"), "--db", str(db))
    assert code == 1 and "no file at" in err


def test_import_needs_a_project(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("EXPLORER_DB", raising=False)
    code, _, err = run(capsys, "import", str(IMPORTS / "sample.ics"))
    assert code == 1 and "--db PATH" in err


def test_export_timelinejs_and_html_report_with_notes(tmp_path, capsys, mini_db):
    code, out, err = run(
        capsys,
        "notes",
        "add",
        "--db",
        str(mini_db),
        "--event",
        "ev-alliance",
        "--text",
        "check <img src=x onerror=alert(1)>",
    )
    assert code == 0, err
    tl, report = tmp_path / "t.json", tmp_path / "r.html"
    code, out, _ = run(
        capsys, "export", "--db", str(mini_db), "--format", "timelinejs", "--out", str(tl)
    )
    assert code == 0 and out.startswith("exported")
    doc = json.loads(tl.read_text("utf-8"))
    assert doc["events"] and all("start_date" in e for e in doc["events"])
    code, out, _ = run(
        capsys,
        "export",
        "--db",
        str(mini_db),
        "--format",
        "html",
        "--out",
        str(report),
        "--events",
        "ev-alliance",
    )
    assert code == 0 and out == f"exported 1 events to {report}\n"
    page = report.read_text("utf-8")
    assert "check &lt;img src=x onerror=alert(1)&gt;" in page and "<img" not in page
    code, _, err = run(
        capsys, "export", "--db", str(mini_db), "--format", "html", "--out", str(report)
    )
    assert code == 1 and "already exists" in err


def test_zone_option_reads_floating_times_and_refuses_unknown_zones(tmp_path, capsys):
    db = tmp_path / "mine.db"
    src = tmp_path / "cal.ics"
    src.write_text(
        "BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:a\nDTSTART:20250429T093000\nSUMMARY:m\n"
        "END:VEVENT\nEND:VCALENDAR\n",
        encoding="utf-8",
    )
    code, out, err = run(capsys, "import", str(src), "--db", str(db), "--zone", "Nowhere/Land")
    assert code == 1 and "unknown time zone 'Nowhere/Land'" in err and "Traceback" not in err
    assert not db.exists()
    code, out, _ = run(capsys, "import", str(src), "--db", str(db), "--zone", "Asia/Seoul")
    assert code == 0 and "1 time(s) had no time zone; read as Asia/Seoul" in out
    with open_store(db, readonly=True) as store:
        assert store.db.execute("SELECT start FROM events").fetchall() == [
            ("2025-04-29T00:30:00Z",)
        ]


def test_series_options_bound_recurring_events_and_the_report_says_so(tmp_path, capsys):
    src = tmp_path / "weekly.ics"
    src.write_text(
        "BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:weekly\nDTSTART:20240101T100000Z\nSUMMARY:m\n"
        "RRULE:FREQ=WEEKLY\nEND:VEVENT\nEND:VCALENDAR\n",
        encoding="utf-8",
    )
    code, out, _ = run(capsys, "import", str(src), "--db", str(tmp_path / "a.db"))
    assert code == 0 and "events: 105 added" in out  # 1,000 or 2 years: two years of weeks
    assert "changed: 1 series cut at the bound (1000 occurrences or 2 years after the first)" in out
    db = tmp_path / "b.db"
    argv = ["import", str(src), "--db", str(db), "--series-limit", "10", "--series-years", "50"]
    code, out, _ = run(capsys, *argv)
    assert code == 0 and "events: 10 added" in out
    assert "changed: 1 series cut at the bound (10 occurrences or 50 years after the first)" in out
    assert "note: 1 recurring series went on past the bound and were cut: weekly" in out
    with open_store(db, readonly=True) as store:
        assert store.db.execute("SELECT count(*) FROM events").fetchone() == (10,)
    with pytest.raises(SystemExit) as exit_:
        main(["import", str(src), "--db", str(db), "--series-limit", "0"])
    assert exit_.value.code == 2 and "--series-limit: must be at least 1" in capsys.readouterr().err
