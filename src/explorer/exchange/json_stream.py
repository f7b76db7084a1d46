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
`(key, None, [])`). A value or element
longer than `max_value` characters, nesting the decoder cannot follow, and anything that is
not JSON stop the reading with `JSONStreamError` saying where.
"""

from __future__ import annotations

import codecs
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

CHUNK = 1 << 20
#: The longest single value or array element read (in characters of JSON text).
MAX_VALUE = 16 << 20
_SPACE = " \t\n\r"
_NUMBER = "0123456789.eE+-"


class JSONStreamError(ValueError):
    pass


class _Text:
    """The file's text in a sliding window: `buf[pos:]` is what is not consumed yet."""

    def __init__(self, f: BinaryIO, max_value: int) -> None:
        self.f = f
        self.decoder = codecs.getincrementaldecoder("utf-8")(errors="strict")
        self.buf = ""
        self.pos = 0
        self.consumed = 0  # characters before buf[0]
        self.eof = False
        self.max_value = max_value

    def where(self) -> str:
        return f"character {self.consumed + self.pos + 1:,}"

    def more(self) -> bool:
        """Read another chunk into the window; False at the end of the file."""
        if self.eof:
            return False
        data = self.f.read(CHUNK)
        try:
            text = self.decoder.decode(data, final=not data)
        except UnicodeDecodeError:
            raise JSONStreamError(f"it is not UTF-8 text (near {self.where()})") from None
        self.eof = not data
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

    def value(self, decoder: json.JSONDecoder) -> Any:
        """The next JSON value, read into the window as far as it needs."""
        self.peek()
        while True:
            try:
                obj, end = decoder.raw_decode(self.buf, self.pos)
            except json.JSONDecodeError as exc:
                if self.eof:
                    raise JSONStreamError(f"{exc.msg} at {self._at(exc.pos)}") from None
            except RecursionError:
                raise JSONStreamError(f"it is nested too deeply (at {self.where()})") from None
            except ValueError as exc:  # e.g. an integer of more digits than Python converts
                raise JSONStreamError(f"{exc} (at {self.where()})") from None
            else:
                # A value that ends where the window ends may go on, and so may a number
                # the window cuts ("12" of "12.5e3"): read on unless the file has ended.
                number = isinstance(obj, int | float) and not isinstance(obj, bool)
                if self.eof or (end < len(self.buf) and not (number and self.buf[end] in _NUMBER)):
                    self.pos = end
                    return obj
            held = len(self.buf) - self.pos
            if held > self.max_value:
                raise JSONStreamError(
                    f"a value at {self.where()} is longer than {self.max_value:,} characters"
                )
            # Read on until the window holds twice as much (or just past the limit), so that
            # a long value is decoded a few times in all, not once per chunk (quadratic).
            want = min(2 * held, self.max_value + 1)
            while self.more() and len(self.buf) - self.pos < want:
                pass

    def _at(self, pos: int) -> str:
        return f"character {self.consumed + pos + 1:,}"


def members(
    path: Path, arrays: frozenset[str] | set[str] = frozenset(), max_value: int = MAX_VALUE
) -> Iterator[tuple[str, int | None, Any]]:
    """The top-level object's members, the named arrays' elements one by one."""
    decoder = json.JSONDecoder()
    with path.open("rb") as f:
        text = _Text(f, max_value)
        if text.peek() == "\ufeff":
            text.pos += 1  # a byte-order mark
        text.expect("{", "a JSON object")
        if text.peek() == "}":
            text.pos += 1
        else:
            while True:
                if text.peek() != '"':
                    text.expect('"', "a member name")
                key = text.value(decoder)
                text.expect(":", "':'")
                if key in arrays and text.peek() == "[":
                    text.pos += 1
                    if text.peek() == "]":
                        text.pos += 1
                        yield key, None, []
                    else:
                        index = 0
                        while True:
                            yield key, index, text.value(decoder)
                            index += 1
                            if text.expect(",]", "',' or ']'") == "]":
                                break
                else:
                    yield key, None, text.value(decoder)
                if text.expect(",}", "',' or '}'") == "}":
                    break
        if text.peek():
            raise JSONStreamError(f"there is more text after the object, at {text.where()}")
