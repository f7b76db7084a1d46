"""The bundled dataset: built from data/curated, faithful to the five articles."""

import pytest

from explorer.dataset import curated as dataset
from explorer.dataset import verify
from explorer.dataset.build import build
from explorer.dataset.verify import quote_problems
from explorer.exchange.export import dump
from explorer.model.session import Session
from explorer.store.connection import open_store
from explorer.store.queries import list_entities

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
    db = session.store.db
    checked, problems = quote_problems(db, SEEDS)
    assert problems == []
    c = session.counts()
    attributions = db.execute(
        "SELECT count(*) FROM statements WHERE attribution IS NOT NULL"
    ).fetchone()[0]
    expected = (
        c["event_sources"] + c["claims"] + c["statements"] + attributions + c["entity_mentions"]
    )
    assert checked == expected


def test_every_entity_has_a_source_every_summary_a_basis_every_place_a_location(session):
    db = session.store.db
    assert verify.unsourced_entities(db) == []
    assert verify.summaries_to_review(db) == []
    places = {e.id for e, _ in list_entities(session.store.db) if e.kind == "place"}
    located = {r[0] for r in db.execute("SELECT entity_id FROM locations")}
    assert verify.places_without_coordinates(db) == []
    assert located == places and len(located) >= 27
    for source, note in db.execute("SELECT source, note FROM locations"):
        assert source and note  # where the point comes from, and what it is
    for lat, lon, source in db.execute("SELECT lat, lon, source FROM locations"):
        if source.startswith("geonames:"):
            assert source.split(":")[1].isdigit()
        assert (18 <= lat <= 54 and 73 <= lon <= 135) or source.startswith("countryinfo")


#: The places no source gives a point for, reviewed by hand: each at the point of the smallest
#: place containing it that has one, where its article or a cited source says it lies there.
APPROXIMATE = {
    "ent-zhongguancun": "ent-haidian",
    "ent-zhongguancun-science-city": "ent-haidian",
    "ent-ai-innovation-street": "ent-haidian",
    "ent-beijing-etown": "ent-daxing-district",
    "ent-beijing-hlad-zone": "ent-beijing",  # the article places it only in Beijing
    "ent-west-bund": "ent-xuhui",
    "ent-shanghai-ai-highland": "ent-xuhui",
    "ent-ai-tower": "ent-xuhui",
}


def test_a_place_with_no_point_of_its_own_has_that_of_a_place_containing_it(session):
    db = session.store.db
    assert dict(verify.approximate_places(db)) == APPROXIMATE
    rows = db.execute(
        "SELECT entity_id, lat, lon, source, note, approximate, within_id FROM locations"
    ).fetchall()
    point = {r[0]: r[1:4] for r in rows}
    for place, _, _, source, note, approximate, within in rows:
        if not approximate:
            assert within is None
            continue
        assert point[place] == point[within]  # the very point of the place containing it
        assert (within, 0) in {(r[0], r[5]) for r in rows}  # whose point is its own
        assert source.startswith("geonames:")
        assert note.startswith("Approximate: the point of ")


def test_open_ended_spans_reach_the_last_date_their_source_vouches_for(session):
    policies = session.event("ev-2023-beijing-general-ai-policies").event
    assert (policies.start, policies.end, policies.last_vouched) == ("2023", "2024", "2024")
    assert policies.latest == "2024-12-31"  # a 2024 filter finds the policies
    baidu = session.event("ev-2017-baidu-huawei-cooperation-begins").event
    assert (baidu.start, baidu.last_vouched) == ("2017", "2019-07-03")
    assert baidu.t0 < baidu.last_vouched_t1 <= baidu.t1
    plan = session.event("ev-2023-2025-beijing-ai-source-plan").event
    assert (plan.start, plan.end, plan.last_vouched) == ("2023", "2025", None)


@pytest.mark.parametrize(
    "event_id", ["ev-2024-beijing-data-pilot-zone-launched", "ev-2024-beijing-hlad-zone-operating"]
)
def test_undated_facts_are_only_bounded(session, event_id):
    ev = session.event(event_id).event
    assert ev.undated and ev.qualifier == "before" and "gives no" in ev.date_note
    assert not session.event("ev-2024-06-yizhi-platform-opened").event.undated


def test_targets_and_forecasts_have_two_dates(session):
    from explorer.store.queries import get_statement

    goal = get_statement(session.store.db, "st-2019-china-lead-ai-by-2030")
    assert goal.kind == "goal" and goal.speaker_id == "ent-china"
    assert (goal.said.start, goal.said.qualifier) == ("2019-07-05", "before")
    assert (goal.about.start, goal.about.qualifier, goal.about.text) == (
        "2030",
        "before",
        "2030년까지",
    )
    forecast = get_statement(session.store.db, "st-2019-industry-overtake-us-by-2025")
    assert forecast.kind == "forecast" and forecast.speaker_id is None
    assert forecast.attribution == "관련 업계에서는" and forecast.about.start == "2025"
    level = get_statement(session.store.db, "st-2025-hong-sun-do-nearly-level")
    assert "대등" in level.words and level.said.start == "2025-11-01"


def test_the_other_forecasts_goals_and_assessments_are_statements_too(session):
    """Each article's other dated forecasts, goals and verdicts on China against the US, each
    with when it was said and, for a target year, the period it is about."""
    from explorer.store.queries import get_statement

    db = session.store.db
    market = get_statement(db, "st-2025-industry-2030-market-forecast")
    assert (market.kind, market.speaker_id) == ("forecast", None)
    assert market.attribution == "베이징 업계 관계자들의 관측을 종합할 경우"
    assert (market.said.start, market.said.qualifier) == ("2025-11-01", "before")
    assert (market.about.start, market.about.text) == ("2030", "2030년")
    big_two = get_statement(db, "st-2019-07-05-big-two-with-us")
    assert big_two.speaker_id == "ent-peoples-daily-online" and "빅2" in big_two.words
    assert big_two.said.start == "2019-07-05" and set(big_two.entities) == {
        "ent-china",
        "ent-usa",
    }
    g1 = get_statement(db, "st-2025-hong-sun-do-g1-soon")
    assert (g1.kind, g1.speaker_id, g1.about) == ("forecast", "ent-hong-sun-do", None)
    experts = get_statement(db, "st-2024-experts-global-ai-governance")
    assert experts.attribution == "전문가들은" and experts.speaker_id is None
    alliance = get_statement(db, "st-2019-shanghai-ai-alliance-global-platform")
    founded = "ev-2019-07-02-shanghai-ai-alliance-founded"
    assert alliance.kind == "goal" and alliance.events == (founded,)
    said = {s.id for s in session.entity("ent-hong-sun-do").statements}
    assert said == {"st-2025-hong-sun-do-nearly-level", "st-2025-hong-sun-do-g1-soon"}


def test_who_said_what(session):
    db = session.store.db
    wang = session.entity("ent-wang-haifeng")
    assert [s.id for s in wang.statements] == [
        "st-2019-07-03-wang-haifeng-deeper-combination",
        "st-2019-07-03-wang-haifeng-since-2017",
    ]
    assert all(s.said_event_id == "ev-2019-07-03-baidu-create-2019" for s in wang.statements)
    visit = session.event("ev-2025-04-29-xi-visits-smc")
    assert [s.speaker_id for s in visit.statements] == ["ent-xi-jinping"]
    assert {s.speaker_id for s in session.entity("ent-beijing").statements_about} >= {"ent-cast"}
    for speaker in ("ent-pku-ai-institute", "ent-cast", "ent-xuan-chengri", "ent-lin-jianhua"):
        assert session.entity(speaker).statements, speaker
    hits = [(h.kind, h.ref_id) for h in session.search("세계 정상", limit=10).hits]
    assert ("statement", "st-2019-china-lead-ai-by-2030") in hits
    assert db.execute("SELECT count(*) FROM statements").fetchone()[0] >= 14


def test_qualifiers_of_figures(session):
    db = session.store.db
    rows = {
        r[0]: r[1:]
        for r in db.execute(
            "SELECT id, qualifier, basis, value_low, value_high, as_of_earliest, as_of_latest "
            "FROM claims"
        )
    }
    assert rows["cl-china-ai-market-size-2025"][:4] == ("more_than", "forecast", 700e9, None)
    assert rows["cl-beijing-ai-companies-share-2024-beijinggov"][2:4] == (None, 40)
    assert rows["cl-beijing-hlad-zone-expansion-planned"][:4] == ("exact", "stated", 440, 440)
    assert rows["cl-beijing-ai-social-financing-2024q1q3"][4:] == ("2024-01-01", "2024-09-30")
    assert rows["cl-usa-aa-top10-models-2025"][1] == "derived"
    assert "estimate" not in {r[0] for r in rows.values()}


def test_entities_named_and_unnamed(session):
    ids = {e.id for e, _ in list_entities(session.store.db)}
    assert {"ent-state-council", "ent-beijing-gov-korea-site"} <= ids
    assert "ent-passenger-zhang" not in ids
    names = {a.alias for a in session.entity("ent-aiig").aliases}
    assert {"AIIG", "AIIA", "中国人工智能产业发展联盟"} <= names
    assert [m.quote for m in session.entity("ent-beijing-gov-korea-site").mentions] == [
        "korea.beijing.gov.cn"
    ]


def test_texts_a_reader_sees_name_articles_as_readers_know_them(session):
    """Not by the curators' file numbers ('(004)', 'article 002'): every note, description,
    summary and title a reader sees names the article by its publisher and date."""
    db = session.store.db
    assert verify.articles_named_by_number(db) == []
    shown = [r[0] for r in db.execute("SELECT description FROM entities") if r[0]]
    shown += [r[0] for r in db.execute("SELECT note FROM claims") if r[0]]
    assert any("People's Daily Online article of July 2019" in t for t in shown)
    notes = [r[0] for r in db.execute("SELECT text FROM curator_notes")]
    assert any("the korea.beijing.gov.cn article of January 2025" in t for t in notes)


def test_curators_inference_on_the_share_of_companies(session):
    from explorer.store.queries import inferred_tensions

    notes = {n.id: n for n in inferred_tensions(session.store.db)}
    note = notes["cn-beijing-share-of-companies-48-vs-40"]
    assert note.kind == "inference" and "48%" in note.text and "curators" in note.text
    assert ("claim", "cl-china-ai-companies-2025-09") in note.targets


def test_sizes(session):
    c = session.counts()
    assert c["sources"] == 5
    assert c["events"] >= 26 and c["entities"] >= 80 and c["claims"] >= 40
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
