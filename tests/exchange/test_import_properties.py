"""Any input ends either in a batch or in ImportFailed with one line of text, never another
exception; and nothing in a batch is text that cannot be stored as UTF-8."""

from __future__ import annotations

import json
import os
import random
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from explorer.exchange.imports import ImportFailed, read
from explorer.exchange.imports.batch import Batch
from explorer.store.connection import create_store

from ..conftest import FIXTURES, INTEROP

FORMATS = {
    "timelinejs": "t.json",
    "timelinejs-csv": "t.csv",
    "timeline": "t.timeline",
    "timesketch": "s.jsonl",
    "ics": "c.ics",
    "explorer-json": "e.json",
}
settings.register_profile(
    "readers",
    max_examples=int(os.environ.get("EXPLORER_READER_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory):
    with create_store(tmp_path_factory.mktemp("prop") / "p.db") as store:
        yield store


def storable(batch: Batch) -> None:
    for rows in batch.rows.values():
        for row in rows:
            for value in row.values():
                if isinstance(value, str):
                    value.encode("utf-8")  # raises on a lone surrogate
                if isinstance(value, int):
                    assert -(2**63) <= value < 2**63


def outcome(path: Path, fmt: str, db: Any) -> str:
    try:
        batch = read(path, fmt, db, keep=50)
    except ImportFailed as exc:
        message = str(exc)
        assert message and "\n" not in message, message
        return "refused"
    storable(batch)
    for r in batch.rejected:
        assert "\n" not in str(r), str(r)
    return "read"


@settings(settings.get_profile("readers"))
@given(fmt=st.sampled_from(sorted(FORMATS)), data=st.binary(max_size=600))
def test_any_bytes(project, tmp_path, fmt, data):
    path = tmp_path / FORMATS[fmt]
    path.write_bytes(data)
    outcome(path, fmt, project.db)


JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats()
    | st.text(alphabet=st.characters(codec=None), max_size=12)
    | st.sampled_from(["\ud800", "2024", "-300", "", "25", "9999", "0001"]),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                [
                    *("events", "eras", "title", "start_date", "end_date", "text", "headline"),
                    *("year", "month", "day", "hour", "minute", "second", "media", "url"),
                    *("group", "display_date", "unique_id", "location", "lat", "lon", "name"),
                    *("message", "datetime", "timestamp", "timestamp_desc", "background"),
                    *("format", "format_version", "notes", "items", "id", "start", "precision"),
                ]
            ),
            inner,
            max_size=6,
        )
    ),
    max_leaves=30,
)


@settings(settings.get_profile("readers"))
@given(doc=JSON)
def test_any_json_structure_as_timelinejs(project, tmp_path, doc):
    path = tmp_path / "t.json"
    path.write_text(json.dumps({"events": [doc, {"start_date": doc}], "eras": doc}))
    outcome(path, "timelinejs", project.db)


@settings(settings.get_profile("readers"))
@given(rows=st.lists(JSON, max_size=4))
def test_any_json_lines_as_timesketch(project, tmp_path, rows):
    path = tmp_path / "s.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    outcome(path, "timesketch", project.db)


@settings(settings.get_profile("readers"))
@given(row=JSON, table=st.sampled_from(["events", "sources", "entities", "notes", "items"]))
def test_any_json_rows_as_an_explorer_export(project, tmp_path, row, table):
    path = tmp_path / "e.json"
    doc = {"format": "explorer-json", "format_version": 1, table: [row]}
    path.write_text(json.dumps(doc))
    outcome(path, "explorer-json", project.db)


def _real_files() -> list[Path]:
    found = [p for p in sorted((FIXTURES / "interop").rglob("*")) if p.is_file()]
    found += sorted(INTEROP.glob("*")) if INTEROP.is_dir() else []
    found += [FIXTURES / "imports" / "sample.ics"]
    return [p for p in found if p.suffix in (".ics", ".json", ".csv", ".jsonl", ".timeline")]


TOKENS = [
    b"<!--",
    b'"',
    b"\r",
    b"\n",
    b"\\ud800",
    b"END:VEVENT\r\n",
    b"BEGIN:VEVENT\r\n",
    b"TZID=America:",
    b"99999999999999999999",
    b"25:61:60",
    b"00010101T000000",
    b"{",
    b"]",
    b"\xff",
    b",",
]


@settings(settings.get_profile("readers"))
@given(seed=st.integers(min_value=0, max_value=2**32), which=st.integers(min_value=0))
def test_mutated_real_files(project, tmp_path, seed, which):
    files = _real_files()
    source = files[which % len(files)]
    data = bytearray(source.read_bytes())
    rnd = random.Random(seed)
    for _ in range(rnd.randint(1, 6)):
        at = rnd.randrange(len(data) + 1)
        kind = rnd.randrange(4)
        if kind == 0 and data:
            del data[at : at + rnd.randint(1, 40)]
        elif kind == 1:
            data[at:at] = rnd.choice(TOKENS)
        elif kind == 2 and data:
            data[at % len(data)] = rnd.randrange(256)
        else:
            del data[at:]
    path = tmp_path / source.name
    path.write_bytes(bytes(data))
    outcome(path, "auto", project.db)
