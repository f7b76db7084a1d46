"""A bound against hangs for the tests of hostile input (not a speed test: the benches
measure): `with alarm(30): ...` raises Hang if the block takes longer."""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager


class Hang(BaseException):
    """Raised by the alarm: not an Exception, so no reader's handler can take it for bad
    input."""


@contextmanager
def alarm(seconds: int) -> Iterator[None]:
    def stop(*_: object) -> None:
        raise Hang(f"no answer within {seconds} s")

    old = signal.signal(signal.SIGALRM, stop)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)
