"""A large project's slow reads (an event's detail, an entity's events) run on a worker
thread, are taken in on the caller's thread through `post`, and only the newest counts."""

from __future__ import annotations

import queue
import threading
import time

import pytest

from explorer.model import workspace
from explorer.model.annotations import Annotations
from explorer.model.changes import Changes
from explorer.model.session import Session
from explorer.model.workspace import Workspace


class Posted:
    """The caller's thread: calls posted from the worker wait here until `run` takes them."""

    def __init__(self) -> None:
        self.calls: queue.Queue = queue.Queue()

    def post(self, call) -> None:
        self.calls.put(call)

    def run(self, n: int = 1, timeout: float = 20.0) -> None:
        for _ in range(n):
            self.calls.get(timeout=timeout)()

    def run_all(self, settle: float = 0.3) -> int:
        """Run what arrives until nothing more comes for `settle` seconds."""
        done = 0
        while True:
            try:
                self.calls.get(timeout=settle)()
            except queue.Empty:
                return done
            done += 1


@pytest.fixture
def large(mini_db, tmp_path, monkeypatch):
    """The mini project, treated as large: its views and reads go off the caller's thread."""
    monkeypatch.setattr(workspace, "INLINE_EVENTS", 0)
    session = Session.open(mini_db)
    ws = Workspace(session, Annotations.open(session, tmp_path / "w.db", "kim"), lang="en")
    posted = Posted()
    ws.read_in_background(posted.post)
    told: list[Changes] = []
    ws.listeners.append(told.append)
    yield ws, posted, told
    ws.close()


def test_a_small_project_reads_at_once(mini_db, tmp_path):
    session = Session.open(mini_db)
    ws = Workspace(session, None, lang="en")
    ws.read_in_background(lambda call: pytest.fail("nothing is posted for a small project"))
    assert ws.reads is None
    assert ws.select_entity("ent-baidu") is not None and ws.pending is None
    ws.close()


def test_an_entity_is_read_on_the_worker_and_taken_in_on_the_callers_thread(large, monkeypatch):
    ws, posted, told = large
    threads = []
    real = Session.entity

    def entity(self, entity_id):
        threads.append(threading.get_ident())
        return real(self, entity_id)

    monkeypatch.setattr(Session, "entity", entity)
    assert ws.select_entity("ent-baidu") is None  # not read yet
    assert ws.selected_entity == "ent-baidu" and ws.pending == "entity"
    assert ws.highlight_entity == "ent-baidu"  # highlighted at once
    assert told[-1].selection and ws.entity_detail is None
    posted.run()
    assert threads and threads[0] != threading.get_ident()
    assert ws.pending is None and ws.entity_detail.entity.id == "ent-baidu"
    assert told[-1].selection and len(told) == 2


def test_only_the_newest_selection_is_taken_in(large, monkeypatch):
    ws, posted, _told = large
    gate = threading.Event()
    real = Session.event

    def slow_event(self, event_id):
        gate.wait(10)
        return real(self, event_id)

    monkeypatch.setattr(Session, "event", slow_event)
    ws.select_event("ev-alliance")
    ws.select_entity("ent-baidu")  # while the event is still being read
    gate.set()
    posted.run_all()
    assert ws.selected_entity == "ent-baidu" and ws.entity_detail.entity.id == "ent-baidu"
    assert ws.event_detail is None and ws.pending is None


def test_an_event_is_centred_when_its_detail_arrives(large):
    ws, posted, told = large
    ws.set_window(0.0, 86400.0 * 30)  # January 1970
    ws.select_event("ev-alliance", center=True)
    assert ws.window == (0.0, 86400.0 * 30)  # not yet: its dates are not known
    posted.run()
    x0, x1 = ws.window
    t0 = ws.event_detail.event.t0
    assert x0 <= t0 <= x1 and told[-1].window


def test_a_read_that_fails_clears_the_selection_and_says_why(large):
    ws, posted, told = large
    ws.select_event("ev-does-not-exist")
    posted.run()
    assert ws.selected_event is None and ws.pending is None
    assert "ev-does-not-exist" in ws.notice
    assert told[-1].selection


def test_clearing_or_going_back_drops_a_read_under_way(large):
    ws, posted, _told = large
    ws.select_entity("ent-baidu")
    posted.run()
    ws.select_event("ev-alliance")
    ws.clear_selection()
    posted.run_all()
    assert ws.event_detail is None and ws.selected_event is None and ws.pending is None
    ws.back()  # back to the event: read again, and taken in this time
    posted.run_all()
    assert ws.event_detail.event.id == "ev-alliance" and ws.pending is None
    ws.back()
    posted.run_all()
    assert ws.entity_detail.entity.id == "ent-baidu"


def test_closing_with_a_read_under_way_takes_nothing_in(mini_db, tmp_path, monkeypatch):
    monkeypatch.setattr(workspace, "INLINE_EVENTS", 0)
    session = Session.open(mini_db)
    ws = Workspace(session, None, lang="en")
    posted = Posted()
    ws.read_in_background(posted.post)
    real = Session.event

    def slow_event(self, event_id):
        time.sleep(0.3)
        return real(self, event_id)

    monkeypatch.setattr(Session, "event", slow_event)
    ws.select_event("ev-alliance")
    ws.close()  # waits for the read under way, then closes its session
    assert posted.run_all(settle=0.5) <= 1
    assert ws.event_detail is None
