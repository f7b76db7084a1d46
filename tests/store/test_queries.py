import json

import pytest

from explorer.exchange.export import dump, export_csv, export_json, neutralise_cell
from explorer.store import queries
from explorer.store.connection import open_store
from explorer.store.errors import NotFound, StoreError


@pytest.fixture
def db(mini_db):
    store = open_store(mini_db, readonly=True)
    yield store.db
    store.close()


def test_event_detail_has_participants_and_evidence(db):
    d = queries.get_event(db, "ev-conference")
    assert d.event.earliest == d.event.latest == "2024-08-19"
    assert [(p.entity_id, p.role) for p in d.participants] == [
        ("ent-haidian", "venue"),
        ("ent-beijing", "location"),
        ("ent-baidu", "participant"),
    ]
    assert d.evidence[0].source.url == "https://example.org/b"
    assert d.evidence[0].quote.startswith("2024년 8월 19일")


def test_entity_detail_has_names_events_claims_and_companions(db):
    d = queries.get_entity(db, "ent-baidu")
    assert d.names("zh") == ["百度"] and d.display_name("en") == "Baidu"
    assert [e.event.id for e in d.events] == ["ev-cooperation", "ev-conference", "ev-ernie"]
    beijing = queries.get_entity(db, "ent-beijing")
    assert len(beijing.claims) == 2
    companions = {c.entity_id: c.shared_events for c in d.companions}
    assert companions["ent-beijing"] == 2 and companions["ent-haidian"] == 1


@pytest.mark.parametrize(
    ("fn", "ident"),
    [(queries.get_event, "ev-nope"), (queries.get_entity, "ent-nope"), (queries.get_claim, "x")],
)
def test_unknown_ids_raise_not_found(db, fn, ident):
    with pytest.raises(NotFound, match=ident):
        fn(db, ident)


def test_conflicting_figures_are_listed(db):
    found = queries.conflicts(db)
    assert len(found) == 1
    ids = {c.id for c in found[0].claims}
    assert ids == {"cl-beijing-companies-a", "cl-beijing-companies-b"}


@pytest.mark.parametrize(
    ("qualifier", "value", "as_of", "conflict"),
    [
        ("more_than", 2100, "2024", False),  # 'more than 2,100' agrees with 2,200
        ("more_than", 2400, "2023", False),  # a different year is no conflict
        ("about", 2250, "2024", False),  # 'about 2,250' allows 2,200
        ("about", 3000, "2024", True),
        ("exact", 2200, "2024-05", False),
        ("less_than", 2000, "2024", True),
    ],
)
def test_conflicts_respect_qualifiers_and_periods(mini_db, qualifier, value, as_of, conflict):
    from explorer.dataset.curated import value_range

    low, high = value_range(value, qualifier)
    with open_store(mini_db) as store:
        store.db.execute("DELETE FROM claims WHERE id = 'cl-beijing-companies-b'")
        store.db["claims"].insert(
            {
                "id": "cl-test",
                "entity_id": "ent-beijing",
                "metric": "ai_companies",
                "value": value,
                "value_text": str(value),
                "unit": "count",
                "qualifier": qualifier,
                "value_low": low,
                "value_high": high,
                "as_of": as_of,
                "as_of_earliest": f"{as_of[:4]}-01-01" if len(as_of) == 4 else f"{as_of}-01",
                "as_of_latest": f"{as_of[:4]}-12-31" if len(as_of) == 4 else f"{as_of}-28",
                "source_id": "src-b",
                "quote": "q",
            }
        )
        assert bool(queries.conflicts(store.db)) is conflict


def test_json_export_round_trips(db, tmp_path):
    out = tmp_path / "all.json"
    n = export_json(db, out)
    data = json.loads(out.read_text(encoding="utf-8"))
    expected = dump(db)
    assert n == sum(len(v) for v in expected.values())
    assert {k: data[k] for k in expected} == expected
    assert data["format"] == "explorer-json"


def test_export_never_overwrites_without_force(db, tmp_path):
    out = tmp_path / "all.json"
    out.write_text("keep me")
    with pytest.raises(StoreError, match="already exists"):
        export_json(db, out)
    assert out.read_text() == "keep me"
    export_json(db, out, force=True)
    assert json.loads(out.read_text())["events"]


def test_csv_export_writes_one_file_per_table_and_neutralises_formulas(db, tmp_path):
    out = tmp_path / "csv"
    export_csv(db, out)
    tables = [f"{t}.csv" for t in dump(db)]
    assert sorted(p.name for p in out.iterdir()) == sorted([*tables, "notes.csv", "items.csv"])
    text = (out / "events.csv").read_text(encoding="utf-8-sig")
    assert "상하이인공지능연맹 창립" in text
    assert [neutralise_cell(v) for v in ("=1+1", "+x", "-y", "@z", "\tq", "ok", -5)] == [
        "'=1+1",
        "'+x",
        "'-y",
        "'@z",
        "'\tq",
        "ok",
        -5,
    ]
    with pytest.raises(StoreError):
        export_csv(db, out)


def test_statements_of_an_entity_and_of_an_event(db):
    by_baidu = queries.get_entity(db, "ent-baidu").statements
    assert [s.id for s in by_baidu] == ["st-cooperation-since-2017"]
    st = by_baidu[0]
    assert (st.speaker_name, st.kind, st.direct) == ("바이두", "remark", False)
    assert (st.said.start, st.said.qualifier, st.said.t1 - st.said.t0) == (
        "2024",
        "before",
        366 * 86400,
    )
    assert st.about is not None and (st.about.start, st.about.qualifier) == ("2017", "after")
    assert st.events == ("ev-cooperation",) and st.entities == ("ent-beijing",)
    assert queries.entity_statements(db, "ent-beijing") == []
    assert queries.statements_about_entity(db, "ent-beijing") == [st]
    assert queries.event_statements(db, "ev-cooperation") == [st]
    assert queries.get_event(db, "ev-conference").statements == []
    assert queries.list_statements(db) == [st] == [queries.get_statement(db, st.id)]
    with pytest.raises(NotFound):
        queries.get_statement(db, "st-none")


def test_mentions_and_curators_notes(db):
    mentions = queries.get_entity(db, "ent-shanghai-ai-alliance").mentions
    assert [(m.source.id, m.quote) for m in mentions] == [
        ("src-a", "상하이인공지능연맹 제1차 이사회")
    ]
    note = queries.curator_notes(db, "claim", "cl-beijing-companies-b")[0]
    assert note.kind == "inference" and note.targets == (
        ("claim", "cl-beijing-companies-a"),
        ("claim", "cl-beijing-companies-b"),
    )
    assert queries.inferred_tensions(db) == [note] == queries.curator_notes(db)
    assert queries.curator_notes(db, "event", "ev-conference") == []


def test_open_ended_and_undated_events_read_back(db):
    ev = queries.get_event(db, "ev-alliance").event
    assert (ev.last_vouched, ev.last_vouched_t1, ev.undated) == (None, None, False)
    claim = queries.get_claim(db, "cl-beijing-companies-b")
    assert (claim.basis, claim.period_start) == ("stated", None)


def test_exports_carry_statements_mentions_notes_and_summary_basis(db, tmp_path):
    data = dump(db)
    for table in ("statements", "statement_events", "statement_entities", "entity_mentions"):
        assert data[table], table
    assert data["curator_note_targets"] and data["summary_basis"]
    assert {r["sentence"] for r in data["summary_basis"]} == {
        "A conference in Haidian.",
        "Baidu took part.",
    }
    export_csv(db, tmp_path / "csv")
    assert "百度和上海的合作" in (tmp_path / "csv" / "statements.csv").read_text("utf-8-sig")
