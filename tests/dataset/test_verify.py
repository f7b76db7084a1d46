"""The curated-dataset checks of `explorer check --seeds`: texts a reader sees name an article
by its publisher and date, never by the number of its file in the collection."""

import sqlite3

import pytest

from explorer.dataset import verify
from explorer.store.connection import open_store


def _numbered(path):
    with open_store(path, readonly=True) as store:
        return verify.articles_named_by_number(store.db)


def _set(path, sql, *params):
    with sqlite3.connect(path) as db:
        assert db.execute(sql, params).rowcount >= 1
    db.close()


@pytest.mark.parametrize(
    "text",
    [
        "Conflicts with article 001, which gives 2,200.",
        "Article 000 is undated.",
        "As articles 000 and 002 say.",
        "Ranked first (004).",
        "Both counts (000, 002) are from 2024.",
        "Article 004's own headline.",
        "The same fund as in 003.",
        "기사 001에 따르면",
        "002번 기사가 전한다",
        "See 004_9463a80b0bc8c609.txt.",
    ],
)
def test_a_note_naming_an_article_by_file_number_is_reported(mini_db, text):
    assert _numbered(mini_db) == []
    _set(mini_db, "UPDATE claims SET note = ? WHERE id = 'cl-beijing-companies-a'", text)
    [line] = _numbered(mini_db)
    assert line.startswith("claims cl-beijing-companies-a note: names an article by its file")
    assert "publisher and date" in line


@pytest.mark.parametrize(
    "text",
    [
        "Conflicts with the korea.beijing.gov.cn article of January 2025.",
        "Ranking cited by the People's Daily Online article of July 2019.",
        "인민망 한국채널 기사 (2019-07-05)",
        "Article 3 of the 2017 plan; articles 10 and 12 (2019).",
        "In 2024 (see the source note); call (010-1234-5678); 0.05's share.",
    ],
)
def test_names_and_other_numbers_pass(mini_db, text):
    _set(mini_db, "UPDATE claims SET note = ? WHERE id = 'cl-beijing-companies-a'", text)
    assert _numbered(mini_db) == []


def test_every_text_a_reader_sees_is_checked_and_the_articles_own_words_are_not(mini_db):
    with sqlite3.connect(mini_db) as db:
        filled = []
        for table, key, column in verify.READER_TEXTS:
            # a row whose text is set: some texts are there only with or without another
            first = f"SELECT rowid, [{key}] FROM [{table}] ORDER BY [{column}] IS NULL LIMIT 1"
            row = db.execute(first).fetchone()
            if row is None:
                continue
            change = f"UPDATE [{table}] SET [{column}] = 'see article 002' WHERE rowid = ?"
            db.execute(change, row[:1])
            filled.append(f"{table} {row[1]} {column}:")
        # the articles' own words may hold anything: they are checked verbatim instead
        db.execute("UPDATE claims SET quote = '기사 001 (004)', value_text = '(004)'")
        db.execute("UPDATE events SET date_text = '기사 001'")
    db.close()
    # the fixture has rows in every table of such texts but the two that only imports fill
    assert len(filled) == len(verify.READER_TEXTS) - 2
    lines = _numbered(mini_db)
    assert len(lines) == len(filled)
    for where, line in zip(filled, lines, strict=True):
        assert line.startswith(where)
