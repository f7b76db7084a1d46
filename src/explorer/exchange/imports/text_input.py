"""Reading an import file as text: strict UTF-8, in chunks, with progress and cancel.

Line-based formats (CSV, JSONL, iCalendar) are streamed line by line, and JSON documents
(TimelineJS, Explorer's export) member by member and element by element (json_input), so a
file of hundreds of megabytes never sits in memory whole; XML documents (and a JSON file that
is not an object at all) are read whole, up to MAX_DOCUMENT bytes. A byte that is not UTF-8
stops the import with its offset and line.
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

from explorer.exchange.imports.errors import ImportCancelled, ImportFailed

CHUNK = 1 << 20
MAX_DOCUMENT = 512 << 20  # what is parsed whole (XML, one JSON member); larger is refused
#: A longer line is not held in memory: it is skipped and reported with its number (Explorer's
#: own CSV holds notes of a million characters; nothing any tool writes comes near this).
MAX_LINE = 16 << 20
_NEWLINE = re.compile("\n")
_ANY_NEWLINE = re.compile("\r\n|\n|\r")
#: Called with (bytes read, total bytes); returns False to cancel.
Progress = Callable[[int, int], bool]


def _no_progress(done: int, total: int) -> bool:
    return True


@dataclass(frozen=True)
class LineTooLong:
    """A line over MAX_LINE characters, skipped; `number` is its line number."""

    number: int

    def __str__(self) -> str:
        return f"line {self.number} is longer than {MAX_LINE >> 20} million characters"


class TextReader:
    def __init__(self, path: Path, progress: Progress | None = None) -> None:
        self.path = path
        self.progress = progress or _no_progress
        try:
            self.total = path.stat().st_size
        except OSError as exc:
            raise ImportFailed(f"{path} cannot be read: {exc.strerror}") from exc
        if path.is_dir():
            raise ImportFailed(f"{path} is a folder, not a file")

    def chunks(self) -> Generator[str, None, None]:
        """The file's text, decoded strictly (a BOM is dropped), chunk by chunk."""
        decoder = codecs.getincrementaldecoder("utf-8-sig")(errors="strict")
        done, lines = 0, 1
        try:
            with self.path.open("rb") as f:
                while True:
                    data = f.read(CHUNK)
                    try:
                        text = decoder.decode(data, final=not data)
                    except UnicodeDecodeError as exc:
                        offset = done + exc.start
                        line = lines + data[: exc.start].count(b"\n")
                        raise ImportFailed(
                            f"{self.path.name} is not UTF-8 text: byte {offset} (line {line}) "
                            f"cannot be read; save the file as UTF-8 and import it again"
                        ) from None
                    done += len(data)
                    lines += data.count(b"\n")
                    if text:
                        yield text
                    if not self.progress(done, self.total):
                        raise ImportCancelled("the import was cancelled; nothing was written")
                    if not data:
                        return
        except OSError as exc:
            raise ImportFailed(f"{self.path} cannot be read: {exc.strerror}") from exc

    def lines(self, *, universal: bool = False) -> Iterator[str | LineTooLong]:
        """Lines with their ending kept (the last one may have none), streamed. Lines end at
        '\n'; with `universal` also at '\r\n' and a lone '\r' (old Mac files, iCalendar
        written by hand). Other line breaks such as U+2028 stay inside their line, as CSV and
        JSON expect. A line longer than MAX_LINE comes as a LineTooLong, never held whole."""
        ends = _ANY_NEWLINE if universal else _NEWLINE
        parts: list[str] = []
        held = 0  # characters in parts
        too_long = False
        number = 1
        carry = ""
        for chunk in self.chunks():
            text = carry + chunk
            carry = ""
            if universal and text.endswith("\r"):  # may be the first half of '\r\n'
                carry, text = "\r", text[:-1]
            pos = 0
            for m in ends.finditer(text):
                piece = text[pos : m.end()]
                pos = m.end()
                if too_long or held + len(piece) > MAX_LINE:
                    yield LineTooLong(number)
                else:
                    yield "".join(parts) + piece if parts else piece
                parts.clear()
                held, too_long, number = 0, False, number + 1
            rest = text[pos:]
            if rest and not too_long:
                if held + len(rest) > MAX_LINE:
                    parts.clear()
                    too_long = True
                else:
                    parts.append(rest)
                    held += len(rest)
        if carry:
            if too_long or held + 1 > MAX_LINE:
                yield LineTooLong(number)
            else:
                yield "".join(parts) + carry
        elif too_long:
            yield LineTooLong(number)
        elif parts:
            yield "".join(parts)

    def document(self) -> str:
        if self.total > MAX_DOCUMENT:
            raise ImportFailed(
                f"{self.path.name} is {self.total >> 20} MB; documents of this format are read "
                f"whole and may be at most {MAX_DOCUMENT >> 20} MB"
            )
        return "".join(self.chunks())


@dataclass(frozen=True)
class HugeNumber:
    """An integer of JSON too long to be a number Explorer stores (kept as its first digits,
    so that the item holding it is rejected, not the whole file)."""

    head: str
    digits: int


def parse_json_int(text: str) -> int | HugeNumber:
    if len(text.lstrip("-")) > 40:  # int() refuses past 4,300 digits; SQLite holds 19
        return HugeNumber(text[:20], len(text.lstrip("-")))
    return int(text)


def refuse_json_constant(name: str) -> NoReturn:
    raise ValueError(f"{name} is not a number JSON allows")


def json_value(text: str, what: str) -> Any:
    """Parse JSON text; `what` names it in the message if it cannot be read."""
    try:
        return json.loads(text, parse_constant=refuse_json_constant, parse_int=parse_json_int)
    except RecursionError:
        raise ImportFailed(f"{what} is nested too deeply to be read") from None
    except ValueError as exc:
        raise ImportFailed(f"{what} is not valid JSON: {exc}") from None
