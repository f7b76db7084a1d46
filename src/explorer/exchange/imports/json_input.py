"""An import's JSON document read member by member (explorer.exchange.json_stream), so that
its long arrays (TimelineJS's events, the tables of Explorer's export) come one element at a
time and a file of hundreds of megabytes never sits in memory whole.

Values mean what `text_input.json_value` makes of them (the same decoder: an integer too
long to store stays a HugeNumber for its item to be refused, NaN and Infinity are not
JSON), and the file is read through the import's TextReader (progress, cancel, bad UTF-8
named by byte and line). An element longer than MAX_LINE characters is never held: it comes
as a `json_stream.TooLong`, for the reader to reject with its number; any other member is
read whole, up to MAX_DOCUMENT characters. A document that is not a JSON object at all is
left to the caller (`is_object`), which reads it whole as before and names what it is not.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from explorer.exchange import json_stream
from explorer.exchange.imports.errors import ImportFailed
from explorer.exchange.imports.text_input import (
    MAX_DOCUMENT,
    MAX_LINE,
    TextReader,
    parse_json_int,
    refuse_json_constant,
)
from explorer.exchange.json_stream import TooLong

__all__ = ["TOO_LONG", "TooLong", "is_object", "members"]

#: Why an element over MAX_LINE characters is rejected (as a line over it is).
TOO_LONG = f"it is longer than {MAX_LINE >> 20} million characters"


def is_object(reader: TextReader) -> bool:
    """Whether the file's first character (after a byte-order mark and white space) opens a
    JSON object, the only kind of document read member by member."""
    with reader.path.open("rb") as f:
        head = f.read(65536).removeprefix(b"\xef\xbb\xbf").lstrip(b" \t\r\n")
        while not head:  # white space only so far: read on (nothing is held)
            data = f.read(65536)
            if not data:
                return False
            head = data.lstrip(b" \t\r\n")
    return head[:1] == b"{"


def members(
    reader: TextReader, arrays: frozenset[str] | set[str]
) -> Iterator[tuple[str, int | None, Any]]:
    """(name, index, value) of the document's members; the elements of `arrays` one by one
    (json_stream.members). A fault of the JSON stops the import with ImportFailed; a byte
    that is not UTF-8 anywhere in the file is named first, as when the file was read whole
    before it was parsed."""
    chunks = reader.chunks()
    try:
        yield from json_stream.members(
            chunks,
            arrays,
            MAX_LINE,
            max_member=MAX_DOCUMENT,
            skip_long=True,
            parse_int=parse_json_int,
            parse_constant=refuse_json_constant,
        )
    except json_stream.JSONStreamError as exc:
        for _ in chunks:  # reads on (without holding) for a byte that is not UTF-8
            pass
        name = reader.path.name
        if "nested too deeply" in str(exc):
            raise ImportFailed(f"{name} is nested too deeply to be read") from None
        raise ImportFailed(f"{name} is not valid JSON: {exc}") from None
    finally:
        chunks.close()
