"""Reads of a large project that take time (an event's detail, an entity's events), run off
the thread that draws the window.

One worker thread holds its own read-only session of the project (SQLite connections stay on
the thread that made them). A read is submitted with what to do with its result; the result
is handed back through `post`, which the window supplies so that the result is taken in on
its own thread. Of the reads of one kind, only the newest one's result is taken in: a
selection made while an earlier one was still being read makes that earlier result moot.

Qt-free: the window passes a `post` that schedules a call on its thread (a queued signal).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from explorer.model.session import Session

#: Schedules a call on the thread that owns the workspace.
Post = Callable[[Callable[[], None]], None]


class BackgroundReads:
    def __init__(self, path: Path, post: Post) -> None:
        self._path = path
        self._post = post
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="explorer-reads")
        self._session: Session | None = None  # made and used on the worker thread only
        self._newest: dict[str, int] = {}
        self._lock = threading.Lock()
        self._closed = False

    def submit(
        self,
        kind: str,
        read: Callable[[Session], Any],
        done: Callable[[Any], None],
    ) -> None:
        """Run `read(session)` on the worker; `done(result or exception)` is posted back,
        unless a newer read of the same kind was submitted meanwhile."""
        with self._lock:
            number = self._newest[kind] = self._newest.get(kind, 0) + 1

        def job() -> None:
            if not self.current(kind, number):
                return  # a newer read of this kind is queued: skip the work
            try:
                if self._session is None:
                    self._session = Session.open(self._path, check="skip")  # the window's
                result: Any = read(self._session)
            except Exception as exc:  # handed back, never raised on the worker
                result = exc
            self._post(lambda: done(result) if self.current(kind, number) else None)

        if not self._closed:
            self._pool.submit(job)

    def current(self, kind: str, number: int) -> bool:
        with self._lock:
            return not self._closed and self._newest.get(kind) == number

    def cancel(self, kind: str) -> None:
        """Whatever read of this kind is under way, its result is not taken in."""
        with self._lock:
            self._newest[kind] = self._newest.get(kind, 0) + 1

    def close(self) -> None:
        """Stop taking results in, let the read under way end, and close the session."""
        with self._lock:
            self._closed = True

        def finish() -> None:
            if self._session is not None:
                self._session.close()
                self._session = None

        self._pool.submit(finish)
        self._pool.shutdown(wait=True, cancel_futures=False)
