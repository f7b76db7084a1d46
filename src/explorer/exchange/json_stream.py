"""One large JSON object read member by member, and the members of its chosen arrays element
by element, so that a file of hundreds of megabytes never sits in memory whole.

Each value is decoded by the standard library's own decoder (`json.JSONDecoder.raw_decode`,
in C), so what a value means is exactly what `json.loads` makes of it: a lone surrogate
escape stays a lone surrogate for the caller to refuse, a number too long to convert is an
error, and so on. (ijson was measured for this and not taken: its C backend turns a lone
`\\ud800` escape into "?" without a word, and every backend builds a prefix string per level,
so 100,000 nested brackets end in MemoryError.)

    for key, index, value in members(path, arrays={"notes"}): ...

yields `(key, None, value)` for each member of the top-level object, except that each element
of an array named in `arrays` comes on its own, as `(key, index, element)` (an empty one as
`(key, None, [])`). An element longer than `max_value` characters (a member: `max_member`),
nesting the decoder cannot follow, and anything that is not JSON stop the reading with
`JSONStreamError` saying where; with `skip_long`, an element too long to hold is passed over
instead (found by its brackets and quotes, never held whole) and comes as a `TooLong`. The
file is read from a path, or from an iterable of text chunks that the caller decodes (an
import reads through its own reader, which reports progress and bad UTF-8 by byte and line).
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

CHUNK = 1 << 20
#: The longest single value or array element read (in characters of JSON text).
MAX_VALUE = 16 << 20
_SPACE = " \t\n\r"
_NUMBER = "0123456789.eE+-"


#: A decoding error this close to the window's end may only mean the window cut the value
#: ("tr" of "true", "-Infinit", "\\u12"); further back it is a fault of the text itself.
_CUT_MARGIN = 16
_STRING_END = re.compile(r'["\\]')
_STRUCTURE = re.compile(r'["\[\]{}]')
_SCALAR_END = re.compile(r"[\s,\]}]")


class JSONStreamError(ValueError):
    pass


@dataclass(frozen=True)
class TooLong:
    """An element longer than the limit, passed over without being held (`skip_long`)."""

    limit: int

    def __str__(self) -> str:
        return f"it is longer than {self.limit:,} characters"


def _file_chunks(path: Path) -> Iterator[str]:
    decoder = codecs.getincrementaldecoder("utf-8")(errors="strict")
    done = 0
    with path.open("rb") as f:
        while True:
            data = f.read(CHUNK)
            try:
                text = decoder.decode(data, final=not data)
            except UnicodeDecodeError:
                raise JSONStreamError(
                    f"it is not UTF-8 text (near character {done + 1:,})"
                ) from None
            done += len(text)
            if text:
                yield text
            if not data:
                return


class _Text:
    """The file's text in a sliding window: `buf[pos:]` is what is not consumed yet."""

    def __init__(self, chunks: Iterator[str]) -> None:
        self.chunks = chunks
        self.buf = ""
        self.pos = 0
        self.consumed = 0  # characters before buf[0]
        self.eof = False

    def where(self) -> str:
        return f"character {self.consumed + self.pos + 1:,}"

    def more(self) -> bool:
        """Read another chunk into the window; False at the end of the file."""
        if self.eof:
            return False
        text = next(self.chunks, None)
        if text is None:
            self.eof, text = True, ""
        self.consumed += self.pos
        self.buf = self.buf[self.pos :] + text
        self.pos = 0
        return bool(text) or not self.eof

    def peek(self) -> str:
        """The next character that is not white space ('' at the end of the file)."""
        while True:
            while self.pos < len(self.buf) and self.buf[self.pos] in _SPACE:
                self.pos += 1
            if self.pos < len(self.buf):
                return self.buf[self.pos]
            if not self.more():
                return ""

    def expect(self, chars: str, what: str) -> str:
        c = self.peek()
        if not c or c not in chars:
            found = "the end of the file" if not c else repr(c)
            raise JSONStreamError(f"expected {what} at {self.where()}, found {found}")
        self.pos += 1
        return c

    def value(self, decoder: json.JSONDecoder, limit: int, skip_long: bool = False) -> Any:
        """The next JSON value, read into the window as far as it needs; one longer than
        `limit` is passed over (with `skip_long`: a TooLong comes instead) or refused."""
        self.peek()
        while True:
            try:
                obj, end = decoder.raw_decode(self.buf, self.pos)
            except json.JSONDecodeError as exc:
                cut = exc.msg.startswith("Unterminated string") or (
                    len(self.buf) - exc.pos <= _CUT_MARGIN
                )
                if self.eof or not cut:
                    raise JSONStreamError(f"{exc.msg} at {self._at(exc.pos)}") from None
            except RecursionError:
                raise JSONStreamError(f"it is nested too deeply (at {self.where()})") from None
            except ValueError as exc:  # e.g. an integer of more digits than Python converts
                raise JSONStreamError(f"{exc} (at {self.where()})") from None
            else:
                # A value that ends where the window ends may go on, and so may a number
                # the window cuts ("12" of "12.5e3"): read on unless the file has ended.
                # (a number may also come back as what the caller's parse_int makes of it)
                number = not isinstance(obj, str | dict | list | bool) and obj is not None
                if self.eof or (end < len(self.buf) and not (number and self.buf[end] in _NUMBER)):
                    if end - self.pos > limit:  # whole in the window, but too long all the same
                        if not skip_long:
                            raise JSONStreamError(
                                f"a value at {self.where()} is longer than {limit:,} characters"
                            )
                        obj = TooLong(limit)
                    self.pos = end
                    return obj
            held = len(self.buf) - self.pos
            if held > limit:
                if skip_long:
                    self.skip()
                    return TooLong(limit)
                raise JSONStreamError(
                    f"a value at {self.where()} is longer than {limit:,} characters"
                )
            # Read on until the window holds twice as much (or just past the limit), so that
            # a long value is decoded a few times in all, not once per chunk (quadratic).
            want = min(2 * held, limit + 1)
            while self.more() and len(self.buf) - self.pos < want:
                pass

    def skip(self) -> None:
        """Move past the value that begins at `pos` without holding it: its end is found by
        its quotes (and their escapes) and brackets, and what lies between is not decoded
        (nor checked: the caller refuses the whole value anyway)."""
        start = self.where()
        first = self.buf[self.pos]
        scalar, in_string, escaped = first not in '"[{', first == '"', False
        depth = 1 if first in "[{" else 0
        i = self.pos if scalar else self.pos + 1
        while True:
            if i >= len(self.buf):
                self.pos = len(self.buf)
                if not self.more():
                    raise JSONStreamError(f"the file ends inside the value at {start}")
                i = self.pos
                continue
            if escaped:
                i, escaped = i + 1, False
            elif scalar:
                m = _SCALAR_END.search(self.buf, i)
                if m:
                    self.pos = m.start()
                    return
                i = len(self.buf)
            elif in_string:
                m = _STRING_END.search(self.buf, i)
                if not m:
                    i = len(self.buf)
                elif m.group() == "\\":
                    i, escaped = m.end(), True
                else:
                    i, in_string = m.end(), False
                    if depth == 0:
                        self.pos = i
                        return
            else:
                m = _STRUCTURE.search(self.buf, i)
                if not m:
                    i = len(self.buf)
                    continue
                i, c = m.end(), m.group()
                if c == '"':
                    in_string = True
                elif c in "[{":
                    depth += 1
                else:
                    depth -= 1
                    if depth == 0:
                        self.pos = i
                        return

    def _at(self, pos: int) -> str:
        return f"character {self.consumed + pos + 1:,}"


def members(
    source: Path | Iterable[str],
    arrays: frozenset[str] | set[str] = frozenset(),
    max_value: int = MAX_VALUE,
    *,
    max_member: int | None = None,
    skip_long: bool = False,
    parse_int: Callable[[str], Any] | None = None,
    parse_constant: Callable[[str], Any] | None = None,
) -> Iterator[tuple[str, int | None, Any]]:
    """The top-level object's members, the named arrays' elements one by one."""
    decoder = json.JSONDecoder(parse_int=parse_int, parse_constant=parse_constant)
    member_limit = max_value if max_member is None else max_member
    chunks = iter(_file_chunks(source) if isinstance(source, Path) else source)
    try:
        text = _Text(chunks)
        if text.peek() == "\ufeff":
            text.pos += 1  # a byte-order mark
        text.expect("{", "a JSON object")
        if text.peek() == "}":
            text.pos += 1
        else:
            while True:
                if text.peek() != '"':
                    text.expect('"', "a member name")
                key = text.value(decoder, member_limit)
                text.expect(":", "':'")
                if key in arrays and text.peek() == "[":
                    text.pos += 1
                    if text.peek() == "]":
                        text.pos += 1
                        yield key, None, []
                    else:
                        index = 0
                        while True:
                            yield key, index, text.value(decoder, max_value, skip_long)
                            index += 1
                            if text.expect(",]", "',' or ']'") == "]":
                                break
                else:
                    yield key, None, text.value(decoder, member_limit)
                if text.expect(",}", "',' or '}'") == "}":
                    break
        if text.peek():
            raise JSONStreamError(f"there is more text after the object, at {text.where()}")
    finally:
        close = getattr(chunks, "close", None)
        if close is not None:
            close()
