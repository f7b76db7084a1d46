"""Suggestions from the seed articles: the dates the curated dataset holds, with the
entities the curated events link."""

from __future__ import annotations

import datetime as dt

import pytest
import yaml

from explorer.model.article_reader import find_entities, sentences, suggestions

from ..conftest import CURATED, SEEDS


def names() -> list[tuple[str, str]]:
    entities = yaml.safe_load((CURATED / "entities.yaml").read_text("utf-8"))
    out = []
    for e in entities:
        out.append((e["name"], e["id"]))
        out.extend((a["alias"], e["id"]) for a in e.get("aliases") or [])
    return out


def test_entities_by_any_name_longest_first_whole_words():
    pairs = [
        ("Baidu", "b"),
        ("바이두", "b"),
        ("百度", "b"),
        ("AI", "ai"),
        ("상하이", "s"),
        ("상하이 AI 연맹", "alliance"),
    ]
    text = "바이두(百度)와 Baidu, 상하이 AI 연맹; AIR is not AI."
    found = [(m.words, m.entity_id) for m in find_entities(text, pairs)]
    assert found == [
        ("바이두", "b"),
        ("百度", "b"),
        ("Baidu", "b"),
        ("상하이 AI 연맹", "alliance"),
        ("AI", "ai"),
    ]


def test_sentences_split_on_ends_and_lines():
    text = "첫 문장이다. 둘째 문장! 第三句。\nLast one"
    assert [text[b:e] for b, e in sentences(text)] == [
        "첫 문장이다.",
        "둘째 문장!",
        "第三句。",
        "Last one",
    ]


@pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds is missing")
def test_the_conference_article_suggests_the_curated_event_with_its_entities():
    seed = next(SEEDS.glob("000_*.txt")).read_text("utf-8")
    found, mentions = suggestions(seed, None, names())
    conference = [s for s in found if s.date.value == "2024-08-19"]
    assert conference and conference[0].date.precision == "day"
    assert "ent-haidian" in conference[0].entities
    assert conference[0].quote in " ".join(seed.split())
    assert len(conference[0].quote) <= 400
    assert {m.entity_id for m in mentions} >= {"ent-haidian", "ent-beijing"}


@pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds is missing")
def test_relative_dates_resolve_against_the_article_date():
    seed = next(SEEDS.glob("004_*.txt")).read_text("utf-8")
    found, _ = suggestions(seed, dt.date(2019, 7, 5), names())
    values = {s.date.words: s.date.value for s in found}
    assert values.get("지난 2일") == "2019-07-02" and values.get("지난 4일") == "2019-07-04"
