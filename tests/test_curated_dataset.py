"""The bundled dataset: built from data/curated, faithful to the five articles."""

import pytest

from explorer.dataset import curated as dataset
from explorer.dataset.build import build
from explorer.dataset.verify import quote_problems
from explorer.exchange.export import dump
from explorer.model.session import Session
from explorer.store.connection import open_store

from .conftest import BUNDLED_DB, CURATED, SEEDS


@pytest.fixture(scope="module")
def session():
    s = Session.open(BUNDLED_DB)
    yield s
    s.close()


def test_committed_database_matches_its_source(tmp_path):
    ds = dataset.load(CURATED)
    fresh = tmp_path / "fresh.db"
    build(ds, fresh)
    with open_store(BUNDLED_DB, readonly=True) as committed, open_store(fresh) as rebuilt:
        meta = dict(committed.db.execute("SELECT key, value FROM meta").fetchall())
        assert meta["source_digest"] == ds.digest, "run `make build-db` and commit data/"
        assert dump(committed.db) == dump(rebuilt.db)
        for table in ("search_docs", "search_index_data", "search_index_docsize"):
            q = f"SELECT * FROM {table} ORDER BY rowid"
            assert committed.db.execute(q).fetchall() == rebuilt.db.execute(q).fetchall(), table


@pytest.mark.skipif(
    not SEEDS.is_dir(), reason="the shared article texts are not beside the checkout"
)
def test_every_quote_is_verbatim_in_its_article(session):
    checked, problems = quote_problems(session.store.db, SEEDS)
    assert problems == []
    assert checked == session.counts()["event_sources"] + session.counts()["claims"]


def test_sizes(session):
    c = session.counts()
    assert c["sources"] == 5
    assert c["events"] >= 25 and c["entities"] >= 80 and c["claims"] >= 40
    assert c["entity_aliases"] >= 2 * c["entities"]


@pytest.mark.parametrize(
    ("event_id", "start", "precision", "earliest", "latest"),
    [
        (
            "ev-2019-07-02-shanghai-ai-alliance-founded",
            "2019-07-02",
            "day",
            "2019-07-02",
            "2019-07-02",
        ),
        ("ev-2023-09-smc-launched", "2023-09", "month", "2023-09-01", "2023-09-30"),
        (
            "ev-2024-08-19-beijing-ai-ecosystem-conference",
            "2024-08-19",
            "day",
            "2024-08-19",
            "2024-08-19",
        ),
        ("ev-2025-04-29-xi-visits-smc", "2025-04-29", "day", "2025-04-29", "2025-04-29"),
        # '올해 6월 말' in a 2024 text republished on 2025-01-14
        ("ev-2024-06-yizhi-platform-opened", "2024-06", "month", "2024-06-01", "2024-06-30"),
        (
            "ev-2019-07-04-kotra-korea-china-smart-city-forum",
            "2019-07-04",
            "day",
            "2019-07-04",
            "2019-07-04",
        ),
        ("ev-2015-made-in-china-2025", "2015", "year", "2015-01-01", "2025-12-31"),
    ],
)
def test_key_events_have_the_right_dates(session, event_id, start, precision, earliest, latest):
    ev = session.event(event_id).event
    assert (ev.start, ev.precision, ev.earliest, ev.latest) == (start, precision, earliest, latest)


def test_every_event_is_sourced_linked_and_explained(session):
    for ev in session.events():
        d = session.event(ev.id)
        assert d.evidence and d.participants, ev.id
        assert all(len(e.quote) <= 300 for e in d.evidence), ev.id
        assert ev.title and ev.title_en and ev.summary, ev.id
        assert ev.date_text or ev.date_note, ev.id
        if ev.date_text and any(w in ev.date_text for w in ("지난", "올해", "지난해", "4월 29일")):
            assert ev.date_note, f"{ev.id}: a relative date needs its reasoning"


@pytest.mark.parametrize(
    ("entity_id", "names"),
    [
        ("ent-baidu", {"바이두", "Baidu", "百度"}),
        ("ent-xi-jinping", {"시진핑", "Xi Jinping", "习近平"}),
        ("ent-haidian", {"하이뎬구"}),
        ("ent-sensetime", {"센스타임", "상탕커지", "SenseTime"}),
    ],
)
def test_aliases_in_three_languages(session, entity_id, names):
    aliases = {a.alias for a in session.entity(entity_id).aliases}
    assert names <= aliases


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("바이두", "ent-baidu"),
        ("上海", "ent-shanghai"),
        ("하이뎬", "ent-haidian"),
        ("Xi Jinping", "ent-xi-jinping"),
        ("习近平", "ent-xi-jinping"),
        ("38,210", "cl-china-ai-patents-to-2023"),
        ("300 billion", "cl-beijing-ai-core-industry-size-2024"),
        ("94종", "cl-beijing-registered-foundation-models-2024"),
    ],
)
def test_search_finds_the_dataset_in_every_language(session, query, expected):
    assert expected in [h.ref_id for h in session.search(query, limit=10).hits]


@pytest.mark.parametrize(
    ("claim_id", "value", "unit", "as_of"),
    [
        ("cl-beijing-ai-core-industry-size-2024", 300e9, "CNY", "2024"),
        ("cl-beijing-registered-foundation-models-2024", 94, "count", "2024"),
        ("cl-china-ai-patents-to-2023", 38210, "count", "2023"),
        ("cl-national-ai-industry-fund-size", 60e9, "CNY", "2025-05"),
    ],
)
def test_key_figures(session, claim_id, value, unit, as_of):
    from explorer.store.queries import get_claim

    c = get_claim(session.store.db, claim_id)
    assert (c.value, c.unit, c.as_of) == (value, unit, as_of)


def test_conflicting_company_counts_for_beijing_are_listed(session):
    conflicts = session.conflicts()
    pairs = {(c.entity_id, c.metric) for c in conflicts}
    assert ("ent-beijing", "ai_companies") in pairs
