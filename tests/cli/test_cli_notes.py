"""`explorer notes …` end to end, in separate processes as a user would run them."""

import json
import os
import subprocess
import sys

import pytest

from explorer import paths


def cli(*argv, home):
    env = {**os.environ, "EXPLORER_HOME": str(home), "EXPLORER_AUTHOR": "kim"}
    return subprocess.run(
        [sys.executable, "-m", "explorer", *argv],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )


@pytest.fixture
def home():
    return paths.user_data_dir()  # EXPLORER_HOME from conftest


def test_add_list_edit_delete(mini_db, home):
    db = ["--db", str(mini_db)]
    add = cli(
        "notes",
        "add",
        "--event",
        "ev-alliance",
        "--text",
        "첫 메모",
        "--tag",
        "check",
        *db,
        home=home,
    )
    assert add.returncode == 0, add.stderr
    note_id = add.stdout.strip()
    assert len(note_id) == 36  # only the id, printed once saved
    listed = json.loads(cli("notes", "list", "--json", *db, home=home).stdout)
    assert [(n["id"], n["text"], n["tags"], n["author"]) for n in listed] == [
        (note_id, "첫 메모", ["check"], "kim")
    ]
    assert (
        cli("notes", "edit", note_id, "--text", "고침", "--no-tags", *db, home=home).returncode == 0
    )
    listed = json.loads(cli("notes", "list", "--json", *db, home=home).stdout)
    assert listed[0]["text"] == "고침" and listed[0]["tags"] == []
    assert cli("notes", "delete", note_id, *db, home=home).returncode == 0
    assert json.loads(cli("notes", "list", "--json", *db, home=home).stdout) == []
    assert (home / "work" / "mini-fixture.db").exists()


def test_exchange_between_two_people(mini_db, tmp_path):
    kim, lee = tmp_path / "kim", tmp_path / "lee"
    db = ["--db", str(mini_db)]
    cli("notes", "add", "--entity", "ent-baidu", "--text", "from kim", *db, home=kim)
    out = tmp_path / "kim.json"
    assert cli("notes", "export", "--out", str(out), *db, home=kim).returncode == 0
    first = cli("notes", "import", str(out), *db, home=lee)
    assert first.returncode == 0 and "1 added" in first.stdout
    again = cli("notes", "import", str(out), *db, home=lee)
    assert "0 added, 0 updated, 1 unchanged" in again.stdout


def test_conflict_listing_and_resolving(mini_db, tmp_path):
    kim, lee = tmp_path / "kim", tmp_path / "lee"
    db = ["--db", str(mini_db)]
    note_id = cli(
        "notes", "add", "--event", "ev-alliance", "--text", "v1", *db, home=kim
    ).stdout.strip()
    out = tmp_path / "share.json"
    cli("notes", "export", "--out", str(out), *db, home=kim)
    cli("notes", "import", str(out), *db, home=lee)
    cli("notes", "edit", note_id, "--text", "kim's", *db, home=kim)
    cli("notes", "edit", note_id, "--text", "lee's", *db, home=lee)
    cli("notes", "export", "--out", str(out), "--force", *db, home=lee)
    assert "1 conflict(s)" in cli("notes", "import", str(out), *db, home=kim).stdout
    found = json.loads(cli("notes", "conflicts", "--json", *db, home=kim).stdout)
    revision = found[0]["their_revision"]
    r = cli("notes", "resolve", note_id, revision, "--keep", "both", *db, home=kim)
    assert r.returncode == 0 and len(r.stdout.split()) == 2
    texts = sorted(
        n["text"] for n in json.loads(cli("notes", "list", "--json", *db, home=kim).stdout)
    )
    assert texts == ["kim's", "lee's"]


def test_backup_and_restore(mini_db, home):
    db = ["--db", str(mini_db)]
    cli("notes", "add", "--event", "ev-alliance", "--text", "before", *db, home=home)
    backup = cli("notes", "backup", *db, home=home).stdout.strip()
    cli("notes", "add", "--event", "ev-alliance", "--text", "after", *db, home=home)
    assert cli("notes", "backups", *db, home=home).stdout.strip() == backup
    r = cli("notes", "restore", backup, *db, home=home)
    assert r.returncode == 0, r.stderr
    texts = [n["text"] for n in json.loads(cli("notes", "list", "--json", *db, home=home).stdout)]
    assert texts == ["before"]


@pytest.mark.parametrize(
    ("argv", "code", "words"),
    [
        (["notes", "add", "--event", "ev-nope", "--text", "x"], 1, "no event with id"),
        (["notes", "add", "--text", "x"], 2, "one of the arguments"),
        (
            ["notes", "add", "--range", "2020-02-01", "2020-01-01", "--text", "x"],
            1,
            "before its start",
        ),
        (["notes", "edit", "nope", "--text", "x"], 1, "no note with id"),
        (["notes", "import", "/nonexistent.json"], 1, "no file"),
        (["notes", "restore", "/nonexistent.db"], 1, "no backup"),
        (["notes", "resolve", "a", "b", "--keep", "mine"], 1, "no conflict"),
    ],
)
def test_bad_input(mini_db, home, argv, code, words):
    r = cli(*argv, "--db", str(mini_db), home=home)
    assert r.returncode == code, r.stderr
    assert words in r.stderr and "Traceback" not in r.stderr


def test_malformed_bundle_is_refused(mini_db, home, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "explorer-annotations", "format_version": 1, "notes": [{"id": 1}]}')
    r = cli("notes", "import", str(bad), "--db", str(mini_db), home=home)
    assert r.returncode == 1 and "nothing imported" in r.stderr and "Traceback" not in r.stderr


@pytest.mark.parametrize("before", [True, False])
def test_work_and_author_apply_before_or_after_the_action(mini_db, home, tmp_path, before):
    """`explorer notes --work F --author N add …` silently wrote to the default work file."""
    work = tmp_path / "mine.db"
    opts = ["--work", str(work), "--author", "bob"]
    add = ["add", "--event", "ev-alliance", "--text", "x", "--db", str(mini_db)]
    r = cli("notes", *(opts + add if before else add[:1] + opts + add[1:]), home=home)
    assert r.returncode == 0, r.stderr
    listed = cli("notes", "list", "--json", "--work", str(work), "--db", str(mini_db), home=home)
    assert [n["author"] for n in json.loads(listed.stdout)] == ["bob"]
    assert not (home / "work").exists()  # nothing went to the default work file
