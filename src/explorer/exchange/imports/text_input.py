"""Reading an import file as text: strict UTF-8, in chunks, with progress and cancel.

Line-based formats (CSV, JSONL, iCalendar) are streamed line by line, so a file of hundreds
of megabytes never sits in memory whole; JSON and XML documents are read whole, up to
MAX_DOCUMENT bytes. A byte that is not UTF-8 stops the import with its offset and line.
"""

from __future__ import annotations

import codecs
import csv
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, NoReturn

from explorer.exchange.imports.errors import ImportCancelled, ImportFailed

CHUNK = 1 << 20
MAX_DOCUMENT = 512 << 20  # JSON and XML are parsed whole; larger ones are refused
#: Called with (bytes read, total bytes); returns False to cancel.
Progress = Callable[[int, int], bool]


def _no_progress(done: int, total: int) -> bool:
    return True


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

    def chunks(self) -> Iterator[str]:
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

    def lines(self) -> Iterator[str]:
        """Lines ending in '\n' (the last one may not), streamed; other line breaks such as
        U+2028 stay inside their line, as CSV and JSON expect."""
        rest = ""
        for text in self.chunks():
            *full, rest = (rest + text).split("\n")
            for line in full:
                yield line + "\n"
        if rest:
            yield rest

    def document(self) -> str:
        if self.total > MAX_DOCUMENT:
            raise ImportFailed(
                f"{self.path.name} is {self.total >> 20} MB; documents of this format are read "
                f"whole and may be at most {MAX_DOCUMENT >> 20} MB"
            )
        return "".join(self.chunks())


def csv_records(rows: Any) -> Iterator[tuple[int, Any]]:
    """Each record of a csv reader (or DictReader) with the line it begins on, as a cell may
    hold line breaks; a record that is not CSV comes as its csv.Error, and reading goes on."""
    while True:
        start = rows.line_num + 1
        try:
            record = next(rows)
        except StopIteration:
            return
        except csv.Error as exc:
            yield start, exc
            continue
        yield start, record


def _no_constant(name: str) -> NoReturn:
    raise ValueError(f"{name} is not a number JSON allows")


def json_value(text: str, what: str) -> Any:
    """Parse JSON text; `what` names it in the message if it cannot be read."""
    try:
        return json.loads(text, parse_constant=_no_constant)
    except RecursionError:
        raise ImportFailed(f"{what} is nested too deeply to be read") from None
    except ValueError as exc:
        raise ImportFailed(f"{what} is not valid JSON: {exc}") from None
