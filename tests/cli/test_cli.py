"""The command line: every command on the fixture database, and bad input that must give
one clear line on stderr and a non-zero exit, never a traceback."""

import json
import os
import shutil
import sqlite3
import subprocess
import sys

import pytest

from explorer.cli import main

from ..conftest import MINI


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_plain_explorer_opens_the_window_on_the_chosen_database(monkeypatch, mini_db):
    import explorer.ui.app

    opened = []
    monkeypatch.setattr(explorer.ui.app, "run", lambda db: opened.append(db) or 0)
    assert main(["--db", str(mini_db)]) == 0
    assert opened == [mini_db]


def test_help_lists_the_commands(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    for cmd in ("build-db", "check", "search", "show", "export", "conflicts", "screenshot"):
        assert cmd in out


@pytest.mark.parametrize(
    "cmd", ["build-db", "check", "search", "show", "export", "conflicts", "screenshot", "window"]
)
def test_every_command_has_help_and_takes_db(capsys, cmd):
    with pytest.raises(SystemExit) as exit_:
        main([cmd, "--help"])
    out = capsys.readouterr().out
    assert exit_.value.code == 0 and "--db" in out


def test_build_db_then_check(capsys, tmp_path):
    out = tmp_path / "built.db"
    code, text, _ = run(
        capsys,
        "build-db",
        "--source",
        str(MINI / "curated"),
        "--out",
        str(out),
        "--seeds",
        str(MINI / "seeds"),
        "--json",
    )
    report = json.loads(text)
    # 4 event quotes, 2 figures, a statement's words and a mention
    assert code == 0 and report["events"] == 4 and report["quotes_verified"] == 8
    assert report["statements"] == 1 and report["mentions"] == 1 and report["locations"] == 2
    code, text, _ = run(capsys, "check", "--db", str(out), "--seeds", str(MINI / "seeds"), "--json")
    report = json.loads(text)
    assert code == 0 and report["ok"] and report["integrity"] == "ok"
    assert report["counts"]["events"] == 4 and report["conflicts"] == 1
    assert report["counts"]["statements"] == 1 and report["entities_without_source"] == []
    # the conference's summary sentences have a basis; the other three summaries do not
    review = {(r["event"], r["text"]) for r in report["summaries_to_review"]}
    assert ("ev-cooperation", "Cooperation started.") in review
    assert not any(e == "ev-conference" for e, _ in review) and len(review) == 3
    assert report["places_without_coordinates"] == []
    assert report["approximate_places"] == [{"place": "ent-haidian", "within": "ent-beijing"}]
    with sqlite3.connect(out) as db:
        db.execute("DELETE FROM locations WHERE entity_id = 'ent-beijing'")
    code, text, _ = run(capsys, "check", "--db", str(out), "--seeds", str(MINI / "seeds"))
    assert "places without coordinates: 1 (ent-beijing)" in text
    assert "(approximate): 1\n  ent-haidian: the point of ent-beijing" in text


def test_check_lists_summaries_to_review_and_fails_on_unsourced_entities(capsys, mini_db):
    code, text, _ = run(capsys, "check", "--db", str(mini_db), "--seeds", str(MINI / "seeds"))
    assert code == 0 and "8 checked" in text and "0 entities linked to no source" in text
    assert "review: ev-alliance: The alliance held its first board meeting." in text
    with sqlite3.connect(mini_db) as db:
        db.execute("DELETE FROM entity_mentions")  # the alliance's only link to a source
        db.execute(  # the links are stored by rowid (store/links.py)
            "DELETE FROM event_entity_links"
            " WHERE entity = (SELECT rowid FROM entities WHERE id = 'ent-shanghai-ai-alliance')"
        )
    code, text, _ = run(capsys, "check", "--db", str(mini_db), "--seeds", str(MINI / "seeds"))
    assert code == 1 and "entity ent-shanghai-ai-alliance: linked to no source" in text


def test_check_fails_on_a_text_naming_an_article_by_file_number(capsys, mini_db):
    code, text, _ = run(capsys, "check", "--db", str(mini_db), "--seeds", str(MINI / "seeds"))
    assert code == 0 and "0 texts naming an article by number" in text
    with sqlite3.connect(mini_db) as db:
        db.execute(
            "UPDATE claims SET note = 'Conflicts with article 001.' "
            "WHERE id = 'cl-beijing-companies-a'"
        )
    db.close()
    code, text, _ = run(capsys, "check", "--db", str(mini_db), "--seeds", str(MINI / "seeds"))
    assert code == 1 and "1 texts naming an article by number" in text
    assert "problem: claims cl-beijing-companies-a note: names an article by its file" in text
    code, text, _ = run(
        capsys, "check", "--db", str(mini_db), "--seeds", str(MINI / "seeds"), "--json"
    )
    report = json.loads(text)
    assert not report["ok"] and len(report["articles_named_by_number"]) == 1


def test_check_reports_quotes_missing_from_articles(capsys, mini_db, tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "a.txt").write_text("nothing quoted here", encoding="utf-8")
    (seeds / "b.txt").write_text("nor here", encoding="utf-8")
    code, text, _ = run(capsys, "check", "--db", str(mini_db), "--seeds", str(seeds))
    assert code == 1 and "8 checked" in text and "8 not found" in text


def test_db_from_environment(capsys, mini_db, monkeypatch):
    monkeypatch.setenv("EXPLORER_DB", str(mini_db))
    code, text, _ = run(capsys, "search", "바이두", "--json")
    assert code == 0 and any(h["ref_id"] == "ent-baidu" for h in json.loads(text)["hits"])


def test_search_text_and_json(capsys, mini_db):
    code, text, _ = run(capsys, "search", "--db", str(mini_db), "上海")
    assert code == 0 and "ev-cooperation" in text and "result(s)" in text
    code, text, _ = run(capsys, "search", "--db", str(mini_db), "하이뎬", "--json")
    hits = json.loads(text)["hits"]
    assert {"kind": "entity", "ref_id": "ent-haidian"}.items() <= hits[0].items()


def test_show_event_and_entity(capsys, mini_db):
    code, text, _ = run(capsys, "show", "event", "ev-alliance", "--db", str(mini_db))
    assert code == 0
    for expected in (
        "상하이인공지능연맹 창립",
        "Shanghai AI Alliance founded",
        "2019-07-02",
        "지난 2일",
        "subject",
        "“지난 2일 상하이에서는",
    ):
        assert expected in text
    code, text, _ = run(capsys, "show", "entity", "ent-baidu", "--db", str(mini_db), "--json")
    data = json.loads(text)
    assert code == 0 and {a["alias"] for a in data["aliases"]} == {"바이두", "Baidu", "百度"}


def test_show_lists_who_said_what_where_an_entity_is_named_and_the_curators_notes(
    capsys, mini_db, bundled_copy
):
    """What the entity and event panes show, the command line shows too."""
    code, text, _ = run(capsys, "show", "entity", "ent-baidu", "--db", str(mini_db))
    said = text[text.index("Said (1):") :]
    assert code == 0 and "“百度和上海的合作 started in 2017”" not in said  # not quoted: reported
    assert "百度和上海的合作 started in 2017" in said and "[st-cooperation-since-2017]" in said
    assert "said before 2024" in said and "about after 2017" in said
    code, text, _ = run(capsys, "show", "entity", "ent-beijing", "--db", str(mini_db))
    assert "Said about it (1):" in text and "바이두: 百度和上海的合作" in text
    code, text, _ = run(capsys, "show", "entity", "ent-shanghai-ai-alliance", "--db", str(mini_db))
    assert "Named in (1):" in text and "“상하이인공지능연맹 제1차 이사회”" in text
    code, text, _ = run(capsys, "show", "event", "ev-cooperation", "--db", str(mini_db))
    assert "Said here or about it (1):" in text and "[st-cooperation-since-2017]" in text
    db = str(bundled_copy)
    code, text, _ = run(capsys, "show", "entity", "ent-cast", "--db", db)
    assert "“베이징은 글로벌 수준의 AI 생태계로 도약할 기반을 마련했다”" in text
    assert "중국 과학기술협회 관계자 역시" in text  # the source's words for the speaker
    code, text, _ = run(
        capsys, "show", "event", "ev-2019-07-04-kotra-korea-china-smart-city-forum", "--db", db
    )
    notes = text[text.index("Curators' notes (1):") :]
    assert "inference [cn-kotra-chinese-or-korean-smes]" in notes and "중국 중견•주소기업" in notes


def test_conflicts(capsys, mini_db):
    code, text, _ = run(capsys, "conflicts", "--db", str(mini_db))
    assert code == 0 and "2,200개" in text and "2,400개" in text
    code, text, _ = run(capsys, "conflicts", "--db", str(mini_db), "--json")
    assert len(json.loads(text)) == 1


def test_conflicts_list_the_curators_inferred_tensions_marked_as_theirs(capsys, bundled_copy):
    """Beside the figures that contradict outright, the tensions only the curators see (the
    ~48% that two articles' counts give against another's 'about 40%')."""
    code, text, _ = run(capsys, "conflicts", "--db", str(bundled_copy))
    inferred = text[text.index("The curators' inferences (no article states them):") :]
    assert code == 0 and "[cn-beijing-share-of-companies-48-vs-40]" in inferred
    assert "48%" in inferred and "40%에 육박" in inferred
    for claim in ("cl-china-ai-companies-2025-09", "cl-beijing-ai-companies-share-2024-beijinggov"):
        assert claim in inferred
    assert "cn-kotra-chinese-or-korean-smes" not in text  # on an event, not figures against figures


def test_export_json_and_csv(capsys, mini_db, tmp_path):
    code, _, _ = run(
        capsys,
        "export",
        "--db",
        str(mini_db),
        "--format",
        "json",
        "--out",
        str(tmp_path / "x.json"),
    )
    assert code == 0 and json.loads((tmp_path / "x.json").read_text())["events"]
    code, _, err = run(
        capsys,
        "export",
        "--db",
        str(mini_db),
        "--format",
        "json",
        "--out",
        str(tmp_path / "x.json"),
    )
    assert code == 1 and "already exists" in err
    code, _, _ = run(
        capsys, "export", "--db", str(mini_db), "--format", "csv", "--out", str(tmp_path / "csv")
    )
    assert code == 0 and (tmp_path / "csv" / "claims.csv").exists()


def _bad(tmp_path, kind):
    p = tmp_path / "bad.db"
    if kind == "missing":
        return p
    if kind == "directory":
        p.mkdir()
    elif kind == "text":
        p.write_text("hello")
    elif kind == "empty":
        p.write_bytes(b"")
    return p


def _cli(*argv, env=None):
    return subprocess.run(
        [sys.executable, "-m", "explorer", *argv],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=60,
    )


@pytest.mark.parametrize("kind", ["missing", "directory", "text", "empty"])
def test_bad_database_paths_give_one_line_and_exit_1(tmp_path, kind):
    r = _cli("check", "--db", str(_bad(tmp_path, kind)))
    assert r.returncode == 1
    assert "Traceback" not in r.stderr and r.stderr.count("\n") == 1
    assert r.stderr.startswith("explorer: error: ")


def test_a_file_name_with_a_line_break_still_gives_one_line(tmp_path, capsys):
    """A colleague's file named 'a<newline>b.json' printed its error over two lines."""
    empty = tmp_path / "a\nb.json"
    empty.write_bytes(b"")
    for argv in (
        ["import", str(empty), "--db", str(tmp_path / "p.db")],
        ["search", "x", "--db", str(tmp_path / "q\rr\u2028s.db")],
        ["export", "--format", "json", "--out", str(tmp_path / "o.json"), "--db", str(empty)],
    ):
        code, _, err = run(capsys, *argv)
        assert code == 1 and err.count("\n") == 1 and err.startswith("explorer: error: "), err
        assert "\r" not in err and "\u2028" not in err, err
    _, _, err = run(capsys, "import", str(empty), "--db", str(tmp_path / "p.db"))
    assert "a\\nb.json is empty" in err  # the break is shown as its escape


def test_a_list_of_problems_comes_before_the_one_line_that_says_why(tmp_path, capsys):
    curated = tmp_path / "curated"
    shutil.copytree(MINI / "curated", curated)
    path = curated / "events.yaml"
    text = path.read_text("utf-8").replace("category: founding", "category: party")
    path.write_text(text, "utf-8")
    code, _, err = run(capsys, "build-db", "--source", str(curated), "--out", str(tmp_path / "x"))
    lines = err.splitlines()
    assert code == 1 and lines[-1].startswith("explorer: error: 1 problem(s)"), err
    assert all(line.startswith("  - ") for line in lines[:-1]) and len(lines) > 1, err


def test_truncated_and_newer_databases_give_clear_errors(tmp_path, mini_db):
    data = mini_db.read_bytes()
    (tmp_path / "trunc.db").write_bytes(data[: len(data) // 2])
    r = _cli("search", "x", "--db", str(tmp_path / "trunc.db"))
    assert r.returncode == 1 and "Traceback" not in r.stderr and "damaged" in r.stderr
    import sqlite3

    conn = sqlite3.connect(mini_db)
    conn.execute("PRAGMA user_version = 99")
    conn.commit()
    conn.close()
    r = _cli("show", "event", "ev-alliance", "--db", str(mini_db))
    assert r.returncode == 1 and "schema version 99" in r.stderr and "Traceback" not in r.stderr


@pytest.mark.parametrize(
    ("argv", "code", "words"),
    [
        (["search", ""], 2, "empty"),
        (["search", "   "], 2, "empty"),
        (["show", "event", "ev-nope"], 1, "no event with id 'ev-nope'"),
        (["show", "entity", "nope"], 1, "no entity with id 'nope'"),
        (["search", "(", "--advanced"], 1, "cannot understand this search"),
        (["search", "x", "--limit", "0"], 2, "--limit"),
        (["show", "place", "x"], 2, "invalid choice"),
    ],
)
def test_bad_arguments(mini_db, argv, code, words):
    r = _cli(*argv, "--db", str(mini_db))
    assert r.returncode == code, r.stderr
    assert words in r.stderr and "Traceback" not in r.stderr


@pytest.mark.parametrize(
    "query",
    ['"', "AND", "*", ")", "NEAR(", "'; DROP TABLE events; --", "park.", "multi-agent", "don't"],
)
def test_odd_search_input_is_literal_text(mini_db, query):
    r = _cli("search", query, "--db", str(mini_db))
    assert r.returncode == 0 and r.stderr == "", r.stderr


def test_invalid_dataset_lists_problems(tmp_path):
    src = tmp_path / "curated"
    src.mkdir()
    r = _cli("build-db", "--source", str(src), "--out", str(tmp_path / "x.db"))
    assert r.returncode == 1 and "sources.yaml is missing" in r.stderr
    assert "Traceback" not in r.stderr and not (tmp_path / "x.db").exists()


def test_screenshot_writes_the_window_as_png(tmp_path, mini_db):
    out = tmp_path / "shot.png"
    r = _cli(
        "screenshot",
        str(out),
        "--db",
        str(mini_db),
        "--lang",
        "en",
        "--entity",
        "ent-baidu",
        "--size",
        "1000x700",
        env={"QT_QPA_PLATFORM": "offscreen"},
    )
    assert r.returncode == 0, r.stderr
    data = out.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert int.from_bytes(data[16:20], "big") == 1000 and int.from_bytes(data[20:24], "big") == 700


def test_screenshot_shows_a_linked_view_under_the_timeline(tmp_path, bundled_copy):
    shots = {}
    for view in (None, "network", "map", "lifelines", "table"):
        out = tmp_path / f"{view}.png"
        r = _cli(
            "screenshot",
            str(out),
            "--db",
            str(bundled_copy),
            "--lang",
            "ko",
            "--from",
            "2024-01-01",
            "--to",
            "2025-12-31",
            "--size",
            "1200x800",
            *(["--view", view] if view else []),
            env={"QT_QPA_PLATFORM": "offscreen"},
        )
        assert r.returncode == 0, r.stderr
        data = out.read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n"
        assert int.from_bytes(data[16:20], "big") == 1200
        assert int.from_bytes(data[20:24], "big") == 800
        shots[view] = data
    assert len(set(shots.values())) == len(shots)  # each view draws something of its own


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["--view", "graph"], "invalid choice"),
        (["--size", "big"], "WIDTHxHEIGHT"),
        (["--from", "2024-13"], "no month 13"),
        (["--entity", "ent-nope"], "no entity with id 'ent-nope'"),
    ],
)
def test_screenshot_bad_arguments(tmp_path, mini_db, argv, words):
    r = _cli(
        "screenshot",
        str(tmp_path / "x.png"),
        "--db",
        str(mini_db),
        *argv,
        env={"QT_QPA_PLATFORM": "offscreen"},
    )
    assert r.returncode in (1, 2) and words in r.stderr and "Traceback" not in r.stderr


def test_demo_data_writes_refuses_to_overwrite_and_keeps_the_old_file_on_failure(
    capsys, tmp_path, monkeypatch
):
    out = tmp_path / "demo.db"
    code, stdout, err = run(capsys, "demo-data", "--events", "3000", "--out", str(out))
    assert code == 0 and "3,000 events" in stdout and "done" in err
    before = out.read_bytes()
    code, _, err = run(capsys, "demo-data", "--events", "3000", "--out", str(out))
    assert code == 1 and "already exists" in err and "Traceback" not in err
    from explorer.store import overview

    def full_disk(db):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(overview, "rebuild_stats", full_disk)
    argv = ["demo-data", "--events", "2000", "--seed", "4", "--out", str(out), "--force"]
    code, _, err = run(capsys, *argv)
    assert code != 0 and "No space left on device" in err and "Traceback" not in err
    assert out.read_bytes() == before  # the project being replaced is untouched
    assert sorted(p.name for p in tmp_path.iterdir()) == ["demo.db", "demo.notes.json"]


def test_a_missing_system_library_is_named_not_a_traceback(capsys, monkeypatch, mini_db):
    import explorer.cli

    def no_glib(args):
        raise ImportError("libglib-2.0.so.0: cannot open shared object file: No such file")

    monkeypatch.setattr(explorer.cli, "cmd_window", no_glib)
    code, _, err = run(capsys, "--db", str(mini_db))
    assert code == 1 and "libglib-2.0.so.0" in err and "system library" in err
    assert "Traceback" not in err


def test_a_new_file_is_checked_before_the_first_answer_or_not_with_no_check(capsys, mini_db):
    """A file with an index that disagrees with its table (only the full check sees it): a
    search refuses it with one line; --no-check answers and says the file is unchecked."""
    from tests.store.test_checked_files import drop_index_entries, indexed

    drop_index_entries(mini_db, indexed(mini_db))
    code, out, err = run(capsys, "search", "바이두", "--db", str(mini_db))
    assert code == 1 and out == "" and "is damaged: integrity_check reports" in err
    code, out, err = run(capsys, "search", "바이두", "--db", str(mini_db), "--no-check")
    assert code == 0 and "ent-baidu" in out
    assert err.startswith("explorer: note: ") and "has not been checked (--no-check)" in err


def test_a_checked_file_answers_at_once_and_check_always_checks_in_full(
    capsys, mini_db, monkeypatch
):
    from explorer.store import checked_files, integrity

    code, _, err = run(capsys, "search", "바이두", "--db", str(mini_db))
    assert code == 0 and err == "" and checked_files.known(mini_db)
    ran = []
    monkeypatch.setattr(integrity.IntegrityCheck, "run", lambda self: ran.append(self))
    code, _, err = run(capsys, "search", "바이두", "--db", str(mini_db))
    assert code == 0 and err == "" and ran == []  # known: no check at all
    from tests.store.test_checked_files import drop_index_entries, indexed

    drop_index_entries(mini_db, indexed(mini_db))
    monkeypatch.setattr(checked_files, "known", lambda p: True)  # as if the ledger missed it
    code, _, err = run(capsys, "check", "--db", str(mini_db))
    assert code == 1 and "missing from index" in err


def test_a_slow_check_says_what_it_does_on_stderr(capsys, mini_db, monkeypatch):
    import time

    from explorer.store import integrity

    real = integrity.IntegrityCheck.run

    def slow(self):
        time.sleep(0.7)
        return real(self)

    monkeypatch.setattr(integrity.IntegrityCheck, "run", slow)
    code, out, err = run(capsys, "search", "바이두", "--db", str(mini_db))
    assert code == 0 and "ent-baidu" in out
    lines = err.splitlines()
    assert lines[0].startswith(f"explorer: checking {mini_db} (") and "--no-check" in lines[0]
    assert lines[-1].startswith(f"explorer: {mini_db} checked in ") and lines[-1].endswith(": ok")
